"""Parameter values given as text made RDF terms: checked against their type, defaults applied,
names of records (labels, keys) resolved to the one IRI they name.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.term import Node

from coopkg import limits
from coopkg.query.catalogue import _IRI, RECORD_TYPES, CannedQuery, Name, Parameter, QueryError, _shell_quote
from coopkg.query.local import LocalRunner, Runner
from coopkg.query.sparql_text import term_text
from coopkg.vocab import XSD


# -- parameter values ----------------------------------------------------------------
def _iri(value: str) -> URIRef | None:
    inner = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    return URIRef(inner) if _IRI.match(inner) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", inner) else None


def convert(param: Parameter, value: str, today: date | None = None) -> Node | Name:
    """The RDF term for a value of ``param``; a record type's name or key comes back as a `Name`.

    Raises QueryError naming the parameter, the type and an example when it does not fit.
    """
    raw = value.strip()

    def bad(expected: str) -> QueryError:
        example = f" (e.g. --param {param.name}={param.example})" if param.example else ""
        return QueryError(f"parameter {param.name}: {value!r} is not {expected}{example}")

    kind = param.type
    if kind in RECORD_TYPES:
        if not raw:
            raise bad(f"a {kind} (give a name, a key or an IRI)")
        return _iri(raw) or Name(raw)
    if kind == "iri":
        iri = _iri(raw)
        if iri is None:
            raise bad("an absolute IRI such as https://w3id.org/coopkg/id/collectivity/ro-timis")
        return iri
    if kind == "date":
        if raw.lower() == "today":
            return Literal((today or date.today()).isoformat(), datatype=XSD.date)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise bad("a date written YYYY-MM-DD (or 'today')")
        try:
            date.fromisoformat(raw)
        except ValueError:
            raise bad("a date that exists") from None
        return Literal(raw, datatype=XSD.date)
    if kind == "year":
        if not re.fullmatch(r"\d{4}", raw):
            raise bad("a year written YYYY")
        return Literal(raw, datatype=XSD.gYear)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", raw):
            raise bad("a whole number")
        return Literal(int(raw))
    if kind == "decimal":
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise bad("a decimal number such as 1500.50") from None
        if not number.is_finite():
            raise bad("a finite decimal number")
        # 1e999999999 is a valid decimal whose digits the engines would write out: minutes of work
        exponent = limits.current().number_exponent
        if number and abs(number.adjusted()) >= exponent:
            raise bad(f"a decimal number under 1e{exponent} (COOPKG_LIMIT_NUMBER_EXPONENT)")
        return Literal(number)
    if kind == "country":
        if not re.fullmatch(r"[A-Za-z]{2}", raw):
            raise bad("a two-letter ISO 3166-1 country code such as FR or RO")
        return Literal(raw.upper())
    if kind == "currency":
        if not re.fullmatch(r"[A-Za-z]{3}", raw):
            raise bad("a three-letter ISO 4217 currency code such as EUR or RON")
        return Literal(raw.upper())
    if kind == "boolean":
        if raw.lower() not in {"true", "false"}:
            raise bad("true or false")
        return Literal(raw.lower() == "true")
    return Literal(value)  # string: as given, spaces included


# -- resolving labels ------------------------------------------------------------------
# The four label properties of a record, as UNIONs (not the path rdfs:label|skos:prefLabel|...
# nor VALUES ?class: Virtuoso 7.2 answers that path with every row twice, and estimates VALUES
# with a UNION of labels at hours).
_LABEL_UNIONS = """{ ?record rdfs:label ?label } UNION { ?record skos:prefLabel ?label }
             UNION { ?record skos:altLabel ?label } UNION { ?record dcterms:title ?label }"""
_LABELS_HEAD = """\
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?record ?label WHERE {
  %s
  FILTER (isIRI(?record))
"""
_LABELS_QUERY = _LABELS_HEAD + "  OPTIONAL { " + _LABEL_UNIONS + " }\n}"

# The same rows for Oxigraph, the labels in a sub-SELECT: Oxigraph then joins two scans by
# hash instead of seeking each record's four label properties one by one (on the on-disk
# store, 0.45-0.55 s -> 0.21 s CPU for the 29,000 rows of 14,500 collectivities at 12,000
# partnerships). A record without a label keeps its one row with ?label unbound.
_LABELS_QUERY_OXIGRAPH = (_LABELS_HEAD + "  OPTIONAL { SELECT ?record ?label WHERE {\n             "
                          + _LABEL_UNIONS + " } }\n}")


_EXTRA_FOLDS = str.maketrans({"ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "æ": "ae", "Æ": "AE",
                               "œ": "oe", "Œ": "OE"})


_WORDS = re.compile(r"\w+")


def fold(text: str) -> str:
    """Case-, diacritic- and punctuation-insensitive form: "Rhône-Alpes" and "rhone alpes" meet.

    Letters of every script are kept ("Нови Београд" stays Cyrillic), only their marks go.
    """
    if text.isascii():
        # ASCII has nothing to translate, decompose or strip, and casefolds as lower():
        # the same answer, several times faster on the thousands of names `resolve` folds
        return " ".join(_WORDS.findall(text.lower()))
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORDS.findall(bare.casefold()))


def _text_rows(runner: Runner, sparql: str) -> list[tuple[str | None, ...]]:
    """A SELECT's rows as text (None when unbound); from a local store without building
    rdflib terms for the thousands of names `resolve` compares."""
    if isinstance(runner, LocalRunner) and hasattr(runner.store, "text_rows"):
        return list(runner.store.text_rows(sparql))
    answer = runner.run(sparql, {})
    return [tuple(None if term is None else str(term) for term in row) for row in answer.rows]


def resolve(runner: Runner, kind: str, value: str) -> URIRef:
    """The one record of ``kind`` whose label, alternative label, title or key is ``value``."""
    classes = " UNION ".join(f"{{ ?record a {term_text(c)} }}" for c in RECORD_TYPES[kind])
    wanted = fold(value)
    found: dict[str, set[str]] = {}
    # each name folded once: a record's key comes back once per label, and titles repeat labels
    folded: dict[str, str] = {}
    # On an endpoint the answer is every label of every record of the type: a row cap
    # cuts it at atlas scale, so EndpointRunner completes it by paging or fails, never
    # answers "no such name" from a cut list. (Narrowing it on the server with a REGEX of
    # each letter's accented forms does not work on Virtuoso, whose REGEX matches no
    # non-ASCII letter once the pattern has an operator.)
    local_oxigraph = isinstance(runner, LocalRunner) and getattr(runner.store, "engine", "") == "oxigraph"
    sparql = (_LABELS_QUERY_OXIGRAPH if local_oxigraph else _LABELS_QUERY) % classes
    for record, label in _text_rows(runner, sparql):
        if record is None:
            continue
        key = record.rstrip("/").rsplit("/", 1)[-1]
        for name in (key,) if label is None else (key, label):
            form = folded.get(name)
            if form is None:
                form = folded[name] = fold(name)
            if form == wanted:
                found.setdefault(record, set()).add(name)
    if len(found) == 1:
        return URIRef(next(iter(found)))
    if not found:
        import difflib

        # one name shown per folded form, whatever order the engine gave the rows in: the one
        # written with its diacritics first ("Timișoara" before "Timisoara"), then by text
        known: dict[str, str] = {}
        for name, form in folded.items():
            shown = known.get(form)
            if shown is None or (name.isascii(), name) < (shown.isascii(), shown):
                known[form] = name
        close = difflib.get_close_matches(wanted, list(known), n=4, cutoff=0.75)
        hint = f"; did you mean {', '.join(repr(known[c]) for c in close)}?" if close else ""
        raise QueryError(f"no {kind} is called {value!r}{hint}")
    listing = "; ".join(f"{iri} ({', '.join(sorted(names))})" for iri, names in sorted(found.items()))
    raise QueryError(f"{value!r} names {len(found)} records of type {kind}: {listing}; give the key or the IRI instead")


# -- the whole thing ---------------------------------------------------------------------
def bind(query: CannedQuery, values: dict[str, str], runner: Runner, today: date | None = None) -> dict[str, Node]:
    """Check the given values against the header, apply defaults, resolve labels."""
    bindings: dict[str, Node] = {}
    for name in values:
        if query.parameter(name) is None:
            declared = ", ".join(p.name for p in query.parameters) or "none"
            hint = "" if query.has_header else " (declare parameters in a header; see docs/queries.md)"
            raise QueryError(f"{query.name}: unknown parameter {name!r} (its parameters: {declared}){hint}")
    for param in query.parameters:
        raw = values.get(param.name, param.default)
        if raw is None:
            example = f", e.g. --param {param.name}={_shell_quote(param.example)}" if param.example else ""
            raise QueryError(f"{query.name}: parameter {param.name} ({param.type}) is required{example}")
        term = convert(param, raw, today)
        bindings[param.name] = resolve(runner, param.type, term.text) if isinstance(term, Name) else term
    return bindings


def parse_assignments(pairs: list[str] | None) -> dict[str, str]:
    """``["key=value", ...]`` as a dict; a pair without ``=`` is a QueryError."""
    values: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param {pair!r}: write --param NAME=VALUE")
        values[key.strip()] = value
    return values
