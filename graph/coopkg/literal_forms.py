"""Literals as the source wrote them, through Oxigraph (docs/time.md section 6).

Oxigraph stores numbers, booleans and dates by value and gives back canonical forms:
``"4.0"^^xsd:decimal`` comes back ``"4"``, ``"7"^^xsd:int`` comes back
``"7"^^xsd:integer``. Nothing a source said may change its datatype or form on the way
to an answer or an export, so the Oxigraph store keeps a table of the forms it was
given, made from the same text it loaded (a second, streaming parse, done only the
first time an answer holds a literal of such a datatype), and gives every answer back
in those forms:

* a triple (CONSTRUCT, DESCRIBE, `Store.triples`) gets exactly the literal it was
  loaded with, keyed by its subject and predicate;
* a SELECT cell gets the form written for that value; where one value was written in
  several forms ("4.0" and "4.00") the first written is given.

The on-disk store beside graph.ttl (`coopkg.diskstore`) keeps the table as the written
triples in a small N-Triples file (`write_file`), noted once by the build.

rdflib keeps lexical forms itself and needs none of this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from coopkg import atomic

_XSD = "http://www.w3.org/2001/XMLSchema#"
# the subjects of the probe `from_text_triples` parses: this prefix, then the literal's number
_PROBE = "urn:coopkg:"
# the datatypes whose literals Oxigraph stores by value (and so may rewrite)
NORMALISED = frozenset(_XSD + name for name in (
    "integer", "decimal", "float", "double", "boolean", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
    "dateTime", "dateTimeStamp", "date", "time", "duration", "dayTimeDuration", "yearMonthDuration",
    "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay",
))

Term = ox.NamedNode | ox.BlankNode | ox.Literal
TripleKey = tuple[Term, Term, ox.Literal]


def is_normalised(term: object) -> bool:
    """Whether Oxigraph may give ``term`` back in another form."""
    return isinstance(term, ox.Literal) and term.datatype.value in NORMALISED


class LiteralForms:
    """Canonical literal (as Oxigraph gives it) -> the literal as it was written."""

    def __init__(self) -> None:
        self.cells: dict[ox.Literal, ox.Literal] = {}
        self.triples: dict[TripleKey, list[ox.Literal]] = {}

    def __bool__(self) -> bool:
        return bool(self.cells)

    def note(self, triples: Iterable[ox.Triple | ox.Quad]) -> None:
        """Remember the written form of every literal the store would rewrite."""
        written: list[tuple[Term, Term, ox.Literal]] = [
            (t.subject, t.predicate, t.object) for t in triples if is_normalised(t.object)  # type: ignore[misc]
        ]
        distinct = sorted({o for _, _, o in written}, key=str)
        if not distinct:
            return
        canonical = _canonical_forms(distinct)
        for s, p, o in written:
            c = canonical[o]
            if c == o:
                continue
            self.cells.setdefault(c, o)
            forms = self.triples.setdefault((s, p, c), [])
            if o not in forms:
                forms.append(o)

    def cell(self, term: object) -> object:
        """A SELECT cell in its written form."""
        if isinstance(term, ox.Literal):
            return self.cells.get(term, term)
        return term

    def triple(self, s: Term, p: Term, o: Term) -> list[tuple[Term, Term, Term]]:
        """A stored triple as it was written (two written forms of one value: both)."""
        if isinstance(o, ox.Literal):
            forms = self.triples.get((s, p, o))
            if forms:
                return [(s, p, f) for f in forms]
        return [(s, p, o)]


    def written_triples(self) -> Iterable[ox.Triple]:
        """Every noted triple in its written form, in the order first met (noting them again
        gives this table back: `coopkg.diskstore` keeps them beside an on-disk store)."""
        for (s, p, _), forms in self.triples.items():
            for form in forms:
                yield ox.Triple(s, p, form)  # type: ignore[arg-type]


def _canonical_forms(literals: list[ox.Literal]) -> dict[ox.Literal, ox.Literal]:
    """Each literal as Oxigraph stores it: each goes through a scratch store once."""
    scratch = ox.Store()
    p = ox.NamedNode("urn:coopkg:form")
    scratch.extend(ox.Quad(ox.NamedNode(f"urn:coopkg:{i}"), p, lit, ox.DefaultGraph()) for i, lit in enumerate(literals))
    out: dict[ox.Literal, ox.Literal] = {}
    for quad in scratch:
        out[literals[int(quad.subject.value.rsplit(":", 1)[1])]] = quad.object  # type: ignore[union-attr, index]
    return out


def may_be_normalised(text: str) -> bool:
    """Whether a term written as Turtle text (`coopkg.terms`) can be a literal Oxigraph
    rewrites: a typed literal or a bare number or boolean. A cheap test on the text, true
    for a few non-candidates (a string holding ``"^^``), which `note` then leaves out."""
    first = text[:1]
    if first == '"':
        return '"^^' in text
    return first in _BARE or text in ("true", "false")


_BARE = frozenset("0123456789+-.")


def from_text_triples(triples: Iterable[tuple[str, str, str]],
                      document: Callable[[list[tuple[str, str, str]]], bytes]) -> LiteralForms:
    """The forms table of triples given as Turtle text, without parsing all of them.

    Building the table from a parse makes a Python object of every node (~7 s for the
    860,000 triples of a 12,000-partnership atlas); here the text filters the candidates,
    each distinct candidate literal is parsed once to learn whether the store rewrites it
    (`rewritten`), and only the triples holding a rewritten one are parsed. ``document``
    makes a Turtle document of text triples (`coopkg.terms.TermText.turtle_document`).
    """
    candidates = [t for t in triples if may_be_normalised(t[2])]
    rewritten = _rewritten(sorted({o for _, _, o in candidates}), document)
    forms = LiteralForms()
    if rewritten:
        forms.note(ox.parse(document([t for t in candidates if t[2] in rewritten]), format=ox.RdfFormat.TURTLE))  # type: ignore[arg-type]
    return forms


class Rewrites:
    """The candidate triples (`may_be_normalised`) whose literal the store rewrites, picked a
    batch at a time while a graph is emitted: `from_text_triples` of the triples `keep` kept,
    in their order, is `from_text_triples` of every candidate. At 120,000 partnerships 2,206
    of ~2.3 million candidates are kept; holding them all for the table (with their literals'
    texts) took ~0.3 GB at the build's peak. Each distinct literal is probed once."""

    def __init__(self, document: Callable[[list[tuple[str, str, str]]], bytes]) -> None:
        self.document = document
        self._rewritten: dict[str, bool] = {}  # each literal probed so far: whether the store rewrites it

    def keep(self, candidates: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        """Those of ``candidates`` whose literal the store rewrites, in order."""
        known = self._rewritten
        new = sorted({o for _, _, o in candidates if o not in known})
        rewritten = _rewritten(new, self.document)
        for o in new:
            known[o] = o in rewritten
        return [t for t in candidates if known[t[2]]]


def _rewritten(distinct: list[str], document: Callable[[list[tuple[str, str, str]]], bytes]) -> set[str]:
    """Which of these literal texts (distinct, sorted) the store keeps in another form."""
    if not distinct:
        return set()
    probe = document([(f"<{_PROBE}{i}>", "<urn:coopkg:form>", o) for i, o in enumerate(distinct)])
    parsed: dict[int, ox.Literal] = {}
    for triple in ox.parse(probe, format=ox.RdfFormat.TURTLE):
        if is_normalised(triple.object):
            parsed[int(triple.subject.value[len(_PROBE):])] = triple.object  # type: ignore[assignment]
    if not parsed:
        return set()
    # each literal as the store keeps it: the probe loaded by Oxigraph itself (`_canonical_forms`
    # made a term and a quad per literal in Python: 1.5 s of the 2 s at 12,000 partnerships)
    scratch = ox.Store()
    scratch.load(probe, format=ox.RdfFormat.TURTLE)
    stored = {int(quad.subject.value[len(_PROBE):]): quad.object for quad in scratch}
    return {distinct[i] for i, lit in parsed.items() if stored[i] != lit}


def from_file(path: Path, fmt: ox.RdfFormat) -> LiteralForms:
    forms = LiteralForms()
    forms.note(ox.parse(path=str(path), format=fmt))  # type: ignore[arg-type]
    return forms


def from_text(text: str | bytes, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> LiteralForms:
    forms = LiteralForms()
    forms.note(ox.parse(text.encode() if isinstance(text, str) else text, format=fmt))  # type: ignore[arg-type]
    return forms


def write_file(forms: LiteralForms, path: Path) -> None:
    """The forms table as N-Triples (the written triples only; small beside the graph), atomically."""
    with atomic.atomic_write(path, "wb") as out:
        ox.serialize(forms.written_triples(), output=out, format=ox.RdfFormat.N_TRIPLES)


Maker = Callable[[], LiteralForms]
