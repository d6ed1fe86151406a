"""Parameter values given as text made RDF terms: checked against their type, defaults applied,
names of records (labels, keys) resolved to the one IRI they name.

The terms are made as `coopkg.store.Cell`s (`bind_cells`, what `coopkg.query.run` binds), and
as rdflib terms only for callers that ask for them (`bind`, `convert`, `resolve`): a query on
the on-disk store then runs without importing rdflib (docs/performance.md, "The start of a
query process").
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coopkg import limits
from coopkg.namespaces import XSD
from coopkg.query.catalogue import _IRI, RECORD_TYPES, CannedQuery, Name, Parameter, QueryError, _shell_quote
from coopkg.query.local import LocalRunner, Runner
from coopkg.query.sparql_text import _iri_text

if TYPE_CHECKING:
    from rdflib import URIRef
    from rdflib.term import Node

    from coopkg.store import Cell


# -- parameter values ----------------------------------------------------------------
def _iri(value: str) -> str | None:
    inner = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    return inner if _IRI.match(inner) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", inner) else None


def convert(param: Parameter, value: str, today: date | None = None) -> Node | Name:
    """The RDF term for a value of ``param``; a record type's name or key comes back as a `Name`.

    Raises QueryError naming the parameter, the type and an example when it does not fit.
    """
    term = convert_cell(param, value, today)
    return term if isinstance(term, Name) else term.term()


def convert_cell(param: Parameter, value: str, today: date | None = None) -> Cell | Name:
    """`convert`, the term as a `coopkg.store.Cell`. A number's or boolean's lexical form is the
    one rdflib gives a Literal of its Python value (tests/test_queries_cli.py compares them)."""
    from coopkg.store import Cell  # here: pyoxigraph, which coopkg.store imports, is no cost of `coopkg queries`

    def iri(text: str) -> Cell:
        return Cell(text, "uri")

    def typed(text: str, datatype: str | None = None) -> Cell:
        return Cell(text, "literal", datatype)

    raw = value.strip()

    def bad(expected: str) -> QueryError:
        example = f" (e.g. --param {param.name}={param.example})" if param.example else ""
        return QueryError(f"parameter {param.name}: {value!r} is not {expected}{example}")

    kind = param.type
    if kind in RECORD_TYPES:
        if not raw:
            raise bad(f"a {kind} (give a name, a key or an IRI)")
        given = _iri(raw)
        return Name(raw) if given is None else iri(given)
    if kind == "iri":
        given = _iri(raw)
        if given is None:
            raise bad("an absolute IRI such as https://w3id.org/coopkg/id/collectivity/ro-timis")
        return iri(given)
    if kind == "date":
        if raw.lower() == "today":
            return typed((today or date.today()).isoformat(), XSD + "date")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise bad("a date written YYYY-MM-DD (or 'today')")
        try:
            date.fromisoformat(raw)
        except ValueError:
            raise bad("a date that exists") from None
        return typed(raw, XSD + "date")
    if kind == "year":
        if not re.fullmatch(r"\d{4}", raw):
            raise bad("a year written YYYY")
        return typed(raw, XSD + "gYear")
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", raw):
            raise bad("a whole number")
        return typed(str(int(raw)), XSD + "integer")
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
        return typed(f"{number:f}", XSD + "decimal")  # in positional notation, as rdflib writes a Decimal
    if kind == "country":
        if not re.fullmatch(r"[A-Za-z]{2}", raw):
            raise bad("a two-letter ISO 3166-1 country code such as FR or RO")
        return typed(raw.upper())
    if kind == "currency":
        if not re.fullmatch(r"[A-Za-z]{3}", raw):
            raise bad("a three-letter ISO 4217 currency code such as EUR or RON")
        return typed(raw.upper())
    if kind == "boolean":
        if raw.lower() not in {"true", "false"}:
            raise bad("true or false")
        return typed(raw.lower(), XSD + "boolean")
    return typed(value)  # string: as given, spaces included


# -- resolving labels ------------------------------------------------------------------
# The properties a record's names are read from, for `name_index_of_groups`; the label
# query spells the same ones (its text is kept as it was: the index's header records it, and
# tests/test_diskstore.py checks that the two name the same properties).
_LABEL_NAMES = (("rdfs:label", "http://www.w3.org/2000/01/rdf-schema#label"),
                ("skos:prefLabel", "http://www.w3.org/2004/02/skos/core#prefLabel"),
                ("skos:altLabel", "http://www.w3.org/2004/02/skos/core#altLabel"),
                ("dcterms:title", "http://purl.org/dc/terms/title"))
_LABEL_PROPERTIES = tuple(iri for _, iri in _LABEL_NAMES)
# The four label properties of a record, as UNIONs (not the path rdfs:label|skos:prefLabel|...
# nor VALUES ?class: Virtuoso 7.2 answers that path with every row twice, and estimates VALUES
# with a UNION of labels at hours).
_LABEL_UNIONS = ("{ ?record rdfs:label ?label } UNION { ?record skos:prefLabel ?label }\n"
                 "             UNION { ?record skos:altLabel ?label } UNION { ?record dcterms:title ?label }")
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


def _label_rows(runner: Runner, classes: tuple[str, ...]) -> list[tuple[str | None, ...]]:
    """Every (record, label) of the records of ``classes``; ?label None for a record without one."""
    union = " UNION ".join(f"{{ ?record a {_iri_text(c)} }}" for c in classes)
    # On an endpoint the answer is every label of every record of the type: a row cap
    # cuts it at atlas scale, so EndpointRunner completes it by paging or fails, never
    # answers "no such name" from a cut list. (Narrowing it on the server with a REGEX of
    # each letter's accented forms does not work on Virtuoso, whose REGEX matches no
    # non-ASCII letter once the pattern has an operator.)
    local_oxigraph = isinstance(runner, LocalRunner) and getattr(runner.store, "engine", "") == "oxigraph"
    return _text_rows(runner, (_LABELS_QUERY_OXIGRAPH if local_oxigraph else _LABELS_QUERY) % union)


def _record_names(rows: list[tuple[str | None, ...]]) -> Iterator[tuple[str, str]]:
    """(record, name) for each name a record answers to: its key (the IRI's last segment),
    then its label when it has one."""
    for record, label in rows:
        if record is None:
            continue
        key = record.rstrip("/").rsplit("/", 1)[-1]
        yield record, key
        if label is not None:
            yield record, label


def _folded(names: Iterable[tuple[str, str]], memo: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    """(record, name, folded name) for each (record, name); each distinct name is folded once
    (``memo``: name -> folded form, kept by the caller): a record's key comes back once per
    label, and titles repeat labels."""
    for record, name in names:
        form = memo.get(name)
        if form is None:
            form = memo[name] = fold(name)
        yield record, name, form


def _shown(names: Iterable[str]) -> str:
    """The one name shown for a folded form in a suggestion, whatever order the engine gave
    the rows in: the one written with its diacritics first ("Timișoara" before "Timisoara"),
    then by text."""
    return min(names, key=lambda name: (name.isascii(), name))


def resolve(runner: Runner, kind: str, value: str) -> URIRef:
    """The one record of ``kind`` whose label, alternative label, title or key is ``value``.

    From the fresh on-disk store's index of folded names (`name_index`) when there is one,
    else from every label of the type read by SPARQL: the same answers and messages."""
    from rdflib import URIRef

    return URIRef(resolve_iri(runner, kind, value))


def resolve_iri(runner: Runner, kind: str, value: str) -> str:
    """`resolve`, the IRI as text."""
    wanted = fold(value)
    index = _index_of(runner)
    if index is not None:
        return _answer(kind, value, wanted, *index.lookup(kind, wanted))
    found: dict[str, set[str]] = {}
    folded: dict[str, str] = {}
    for record, name, form in _folded(_record_names(_label_rows(runner, RECORD_TYPES[kind])), folded):
        if form == wanted:
            found.setdefault(record, set()).add(name)

    def known() -> dict[str, str]:
        names: dict[str, list[str]] = {}
        for name, form in folded.items():
            names.setdefault(form, []).append(name)
        return {form: _shown(spellings) for form, spellings in names.items()}

    return _answer(kind, value, wanted, found, known)


def _answer(kind: str, value: str, wanted: str, found: dict[str, set[str]],
            known: Callable[[], dict[str, str]]) -> str:
    """The one IRI ``found`` (IRI -> the names of it that fold to ``wanted``) holds, or the
    QueryError saying none (with the close names of ``known()``: folded form -> name shown)
    or several."""
    if len(found) == 1:
        return next(iter(found))
    if not found:
        import difflib

        shown = known()
        close = difflib.get_close_matches(wanted, list(shown), n=4, cutoff=0.75)
        hint = f"; did you mean {', '.join(repr(shown[c]) for c in close)}?" if close else ""
        raise QueryError(f"no {kind} is called {value!r}{hint}")
    listing = "; ".join(f"{iri} ({', '.join(sorted(names))})" for iri, names in sorted(found.items()))
    raise QueryError(f"{value!r} names {len(found)} records of type {kind}: {listing}; give the key or the IRI instead")


# -- the index of folded names (docs/performance.md, "Resolving a name or key") ---------
# A header line, then one JSON line per (class, folded form), sorted:
# ``[section, form, shown, [[iri, [names]], ...]]``, the section a class's one-class kind
# ("collectivity"; "actor" is read as its two classes' sections), the IRIs without the
# header's "base" (the prefix all of them share). A lookup bisects the file's bytes (a few
# lines parsed, not 290,000 rows read at 120,000 partnerships); a name not found reads its
# kind's lines for the suggestions. The header says what the folding depended on when it
# was written: with another Unicode database (NFKD, casefold), label query, extra folds or
# kinds the index is not used. Change NAMES_FORMAT when `fold` or `_record_names` change.
NAMES_FORMAT = 1


def _sections() -> dict[str, str]:
    """The section of each class: its one-class kind's name, else the class IRI."""
    single = {classes[0]: kind for kind, classes in RECORD_TYPES.items() if len(classes) == 1}
    return {c: single.get(c, c) for classes in RECORD_TYPES.values() for c in classes}


def _record_types_text() -> str:
    """``repr(sorted(RECORD_TYPES.items()))`` as it was while the classes were rdflib URIRefs,
    part of what ``made_by`` hashes: indexes written then stay usable (tests/test_diskstore.py
    compares it with the repr of the URIRefs)."""
    def classes(iris: tuple[str, ...]) -> str:
        inner = ", ".join(f"rdflib.term.URIRef({iri!r})" for iri in iris)
        return f"({inner},)" if len(iris) == 1 else f"({inner})"

    return "[" + ", ".join(f"({kind!r}, {classes(iris)})" for kind, iris in sorted(RECORD_TYPES.items())) + "]"


def _names_header(base: str) -> dict[str, Any]:
    import hashlib

    made_by = _LABELS_QUERY_OXIGRAPH + repr(sorted(_EXTRA_FOLDS.items())) + _record_types_text()
    return {"format": NAMES_FORMAT, "unicode": unicodedata.unidata_version, "base": base,
            "made_by": hashlib.sha256(made_by.encode("utf-8")).hexdigest()[:16]}


def _header_line(header: dict[str, Any]) -> bytes:
    return json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"


def name_index(store: object) -> bytes:
    """The index of folded names of a store (what the build writes beside the on-disk store):
    for each class of the kinds `resolve` takes, each folded name or key -> the IRIs answering
    to it and their names, read with `resolve`'s own query, names and folding. Deterministic."""
    runner = LocalRunner(store)
    return _index_lines({cls: _label_rows(runner, (cls,)) for cls in _sections()})


def name_index_of_groups(by_subject: dict[str, list[str]], type_key: str) -> bytes | None:
    """`name_index` of a graph given as the Turtle writer's groups (`coopkg.build.Grouped`:
    subject text -> its predicate and object texts one after the other, rdf:type as ``type_key``), the same bytes
    as from a store holding those triples, without asking the store six label queries.
    None when a record's label is not a plain or language-tagged string (a typed literal,
    an IRI): its text as the store gives it is then the store's to say (`name_index`)."""
    rows = name_rows_of_groups(by_subject, type_key)
    return None if rows is None else name_index_of_rows([rows])


def name_index_of_rows(shares: list[dict[str, list[tuple[str, str | None]]] | None]) -> bytes | None:
    """`name_index_of_groups` of a graph whose groups were split by subject (`coopkg.parallel`):
    each share's `name_rows_of_groups`, None when any share's is."""
    rows: dict[str, list[tuple[str | None, ...]]] = {cls: [] for cls in _sections()}
    for share in shares:
        if share is None:
            return None
        for cls, found in share.items():
            rows[cls].extend(found)
    return _index_lines(rows)


def name_rows_of_groups(by_subject: dict[str, list[str]],
                        type_key: str) -> dict[str, list[tuple[str, str | None]]] | None:
    """The (record, label) rows of each class (its IRI as a plain str, so `marshal` takes them)
    that `name_index_of_groups` indexes, or None (see there)."""
    from coopkg.terms import GRAPH_TERMS, TermText

    terms = TermText(GRAPH_TERMS.prefixes)  # its caches live as long as this call
    classes = {terms.iri(cls): cls for cls in _sections()}
    labels = {terms.iri(p) for p in _LABEL_PROPERTIES}
    rows: dict[str, list[tuple[str, str | None]]] = {cls: [] for cls in classes.values()}
    # Every subject of the graph passes here (1.3 M at 120,000 partnerships): its predicates
    # and objects are sliced apart and searched by list and set methods (C), and a Python
    # loop runs only over a typed record's types and labels, not a tuple made a triple.
    for subject, flat in by_subject.items():
        predicates = flat[0::2]
        if type_key not in predicates:
            continue
        objects = flat[1::2]
        typed = {classes[objects[i]] for i in _positions(predicates, type_key) if objects[i] in classes}
        if not typed or subject.startswith("_:"):
            continue
        record = terms.iri_value(subject)
        if record is None:
            return None
        names: list[str | None] = []
        if not labels.isdisjoint(predicates):
            for p, o in zip(predicates, objects, strict=True):
                if p in labels:
                    label = terms.plain_text(o)
                    if label is None:
                        return None
                    names.append(label)
        for cls in typed:
            rows[cls].extend((record, name) for name in names or [None])
    return rows


def _positions(items: list[str], item: str) -> Iterator[int]:
    """Where ``item`` is in ``items``, found by `list.index` (a subject has one or two types
    among its dozen predicates)."""
    at = -1
    try:
        while True:
            at = items.index(item, at + 1)
            yield at
    except ValueError:
        return


def _index_lines(rows: dict[str, list[tuple[str | None, ...]]]) -> bytes:
    """The index's bytes from each class's (record, label) rows, as `_label_rows` gives them."""
    sections: dict[str, dict[str, dict[str, set[str]]]] = {}
    folded: dict[str, str] = {}
    for cls, section in sorted(_sections().items()):
        forms: dict[str, dict[str, set[str]]] = {}
        sections[section] = forms
        memo = folded.get  # `_folded` inlined: ~300,000 names at 120,000 partnerships
        for record, name in set(_record_names(rows[cls])):
            form = memo(name)
            if form is None:
                form = folded[name] = fold(name)
            records = forms.get(form)
            if records is None:
                forms[form] = {record: {name}}
                continue
            names = records.get(record)
            if names is None:
                records[record] = {name}
            else:
                names.add(name)
    iris = [record for forms in sections.values() for records in forms.values() for record in records]
    base = os.path.commonprefix(iris) if iris else ""
    base = base[: base.rfind("/") + 1]  # whole segments; base + the rest is the IRI again
    cut = len(base)
    # each line as json.dumps(entry, ensure_ascii=False, separators=(",", ":")) writes it, from
    # its strings encoded by json's own (C) string encoder, faster than a dumps per line
    text = encode_basestring
    lines = [_header_line(_names_header(base)).decode("utf-8")]
    pieces: list[bytes] = []  # the lines encoded a few thousand at a time: not every line's str beside the bytes
    for section in sorted(sections):
        forms = sections[section]
        for form in sorted(forms):
            records = forms[form]
            if len(records) == 1:  # most forms: one record, most often under one name
                ((record, names),) = records.items()
                shown = next(iter(names)) if len(names) == 1 else _shown(names)
                listing = f"[{text(record[cut:])},[{','.join(map(text, sorted(names)))}]]"
            else:
                shown = _shown(n for names in records.values() for n in names)
                listing = ",".join(f"[{text(record[cut:])},[{','.join(map(text, sorted(records[record])))}]]"
                                   for record in sorted(records))
            lines.append(f"[{text(section)},{text(form)},{text(shown)},[{listing}]]\n")
            if len(lines) == 4096:
                pieces.append("".join(lines).encode("utf-8"))
                lines.clear()
    pieces.append("".join(lines).encode("utf-8"))
    return b"".join(pieces)


class NameIndex:
    """A written `name_index`, read by bisecting its bytes (mapped, so only the pages a
    lookup touches are read)."""

    def __init__(self, data: Any, base: str, start: int) -> None:
        self.data = data
        self.base = base
        self.start = start  # after the header

    def _first(self, target: tuple[str, str]) -> int:
        """The offset of the first line whose (section, form) is not below ``target``."""
        data = self.data
        lo, hi = self.start, len(data)
        # lo and hi are line starts; lines before lo are below target, lines from hi are not
        while lo < hi:
            mid = (lo + hi) // 2
            begin = data.rfind(b"\n", lo - 1, mid) + 1
            end = data.find(b"\n", begin)
            section, form = json.loads(data[begin:end])[:2]
            if (section, form) < target:
                lo = end + 1
            else:
                hi = begin
        return lo

    def _entries(self, at: int) -> Iterator[list[Any]]:
        data = self.data
        while at < len(data):
            end = data.find(b"\n", at)
            yield json.loads(data[at:end])
            at = end + 1

    def lookup(self, kind: str, wanted: str) -> tuple[dict[str, set[str]], Callable[[], dict[str, str]]]:
        """What `_answer` takes: the records of ``kind`` whose names fold to ``wanted`` and those
        names, and the kind's folded forms with the name shown for each."""
        sections = _sections()
        wanted_in = [sections[c] for c in RECORD_TYPES[kind]]
        found: dict[str, set[str]] = {}
        for section in wanted_in:
            entry = next(self._entries(self._first((section, wanted))), None)
            if entry is not None and entry[0] == section and entry[1] == wanted:
                for record, names in entry[3]:
                    found.setdefault(self.base + record, set()).update(names)

        def known() -> dict[str, str]:
            shown: dict[str, str] = {}
            for section in wanted_in:
                for entry in self._entries(self._first((section, ""))):
                    if entry[0] != section:
                        break
                    form, name = entry[1], entry[2]
                    shown[form] = name if form not in shown else _shown((shown[form], name))
            return shown

        return found, known


def read_name_index(path: Path) -> NameIndex | None:
    """The index written at ``path``, or None when it is missing, unreadable or was made by
    another folding (the SPARQL path answers then)."""
    import mmap

    try:
        with path.open("rb") as handle:
            head = handle.readline()
            header = json.loads(head)
            if not isinstance(header, dict) or _header_line(_names_header(str(header.get("base")))) != head:
                return None
            data: Any = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    return NameIndex(data, header["base"], len(head))


def _index_of(runner: Runner) -> NameIndex | None:
    """The index of folded names of the runner's store: a fresh on-disk store opened by
    `coopkg.diskstore.open_persistent` carries its path; queries there see only the graph
    (not validation's support triples, which the index does not hold)."""
    if not isinstance(runner, LocalRunner):
        return None
    store = runner.store
    path = getattr(store, "names_file", None)
    if path is None or getattr(store, "_support", False):
        return None
    cached = getattr(store, "_name_index", None)
    if cached is None:
        cached = read_name_index(path)
        if cached is None:
            store.names_file = None  # not usable: do not read it again
            return None
        store._name_index = cached
    return cached


# -- the whole thing ---------------------------------------------------------------------
def bind(query: CannedQuery, values: dict[str, str], runner: Runner, today: date | None = None) -> dict[str, Node]:
    """Check the given values against the header, apply defaults, resolve labels."""
    return {name: cell.term() for name, cell in bind_cells(query, values, runner, today).items()}


def bind_cells(query: CannedQuery, values: dict[str, str], runner: Runner,
               today: date | None = None) -> dict[str, Cell]:
    """`bind`, the terms as `coopkg.store.Cell`s (what a runner binds without an rdflib term)."""
    from coopkg.store import Cell

    bindings: dict[str, Cell] = {}
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
        term = convert_cell(param, raw, today)
        bindings[param.name] = Cell(resolve_iri(runner, param.type, term.text), "uri") if isinstance(term, Name) else term
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
