"""Validation: the SHACL shapes of ``shapes/`` run over a graph, and the report made readable.

Two engines give the same standard ``sh:ValidationReport`` graph:

* ``fast``: `coopkg.shacl_sparql.validate_fast` (the shapes compiled to SPARQL on Oxigraph),
  the default;
* ``pyshacl``: the reference engine, on an rdflib graph.

Everything after the engine works on the report graph alone, so both are rendered the
same way: results grouped by record, each with the source file and line the record
was read from (``prov:wasDerivedFrom`` -> ``coop:SourceLocation``), the rule in plain
words (the shape's ``sh:message`` in English or French), the offending value and the
severity. A Violation makes the data wrong; a Warning marks what is suspicious.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from io import StringIO
from pathlib import Path
from typing import IO, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from coopkg import resources
from coopkg.errors import InputError  # a graph or shapes file that cannot be read
from coopkg.shacl_engines import _rdflib_query_cache, quiet_rdflib
from coopkg.shacl_sparql import Outcome, group_outcomes, report_graph, write_report
from coopkg.shacl_sparql.report import ALSO_FOCUS, REPORT_PREFIXES, SHAPES_NS, iter_results
from coopkg.shacl_sparql.report import curie as _curie
from coopkg.shacl_sparql.report import show as _show
from coopkg.store import SelectResult, Store
from coopkg.turtle import write_turtle
from coopkg.vocab import RDF, SH

ENGINES: tuple[str, ...] = ("auto", "fast", "pyshacl")
SEVERITIES = ("Violation", "Warning", "Info")


# -- engines ---------------------------------------------------------------------------

def default_engine() -> str:
    """``auto``: the fast engine (shapes compiled to SPARQL on Oxigraph), and pyshacl for the
    shapes it does not implement exactly (`coopkg.shacl_engines`)."""
    return "auto"


@cache
def _shapes() -> Graph:
    graph = Graph()
    for path in resources.files("shapes", "*.ttl"):
        graph.parse(path, format="turtle")
    return graph


def load_shapes() -> Graph:
    """The shapes of ``shapes/*.ttl`` in one rdflib graph (a fresh copy: callers may change it)."""
    copy = Graph()
    for triple in _shapes():
        copy.add(triple)
    return copy


def prepare(store: Store) -> None:
    """Add what the shapes need besides the records: the SKOS schemes and the class hierarchy.

    graph.ttl already holds the schemes; a graph from elsewhere may not, and then every
    kind or theme would look foreign to its scheme.
    """
    from coopkg.shacl_engines import _add_vocabularies

    _add_vocabularies(store)


def run_engine(store: Store, shapes: Graph, engine: str) -> Graph:
    """Validate ``store`` (prepared) against ``shapes``; return the sh:ValidationReport graph."""
    if engine == "fast":
        from coopkg.shacl_sparql import validate_fast

        return validate_fast(store, shapes)
    if engine == "pyshacl":
        from pyshacl import validate as pyshacl_validate

        with quiet_rdflib(), _rdflib_query_cache():
            _, report, _ = pyshacl_validate(store.rdflib_graph(), shacl_graph=shapes, inference="none",
                                            advanced=False, abort_on_first=False)
        return report  # type: ignore[no-any-return]
    raise ValueError(f"unknown validation engine {engine!r} (known: fast, pyshacl)")


# -- the report, for people ------------------------------------------------------------

@dataclass(frozen=True, order=True)
class SourceLine:
    """A place a record (or a claimed value) was read from."""

    document: str
    line: int | None = None

    def __str__(self) -> str:
        return self.document if self.line is None else f"{self.document}:{self.line}"


@dataclass
class Result:
    """One validation result, resolved to the record a user can open and fix."""

    record: Node  # the record the focus node belongs to (itself, or the owner of a part)
    focus: Node
    severity: str  # Violation, Warning or Info
    rule: str  # coopsh local name of the constraint or property shape ("end-before-start")
    shape: Node | None
    constraint: Node | None
    component: str  # "sh:MinCountConstraintComponent"
    path: Node | None
    value: Node | None
    messages: dict[str, str] = field(default_factory=dict)  # language -> text ("" = untagged)
    sources: list[SourceLine] = field(default_factory=list)
    claimed_by: list[SourceLine] = field(default_factory=list)  # sources of a contested value
    label: str | None = None
    # a grouped result (docs/validation.md, "Grouped results"): the other records it stands
    # for, each with its sources
    also: list[tuple[Node, list[SourceLine]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many focus nodes this result stands for (1 unless grouped)."""
        return 1 + len(self.also)

    def message(self, lang: str = "en") -> str:
        for key in (lang, "en", ""):
            if key in self.messages:
                return self.messages[key]
        return next(iter(self.messages.values()), self.component)

    def sort_key(self) -> tuple:
        first = self.sources[0] if self.sources else SourceLine("~")
        return (first.document, first.line or 0, str(self.record), SEVERITIES.index(self.severity)
                if self.severity in SEVERITIES else 9, self.rule, str(self.focus), _show(self.path), _show(self.value))


@dataclass
class Report:
    engine: str
    # the sh:ValidationReport as the engines gave it; None when only the fast engine answered:
    # its outcomes are kept instead and `graph` makes the graph when asked (at 120,000
    # synthetic partnerships it held 3.9 million triples: `write` streams the outcomes)
    source_graph: Graph | None = None
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # which shapes went to pyshacl, and why
    store: Store | None = None  # the data the report is about (for callers that look nodes up)
    shapes: Graph | None = None  # the shapes it was checked against
    data: Any = None  # the `coopkg.shacl_engines.Data` validated
    outcomes: list[Outcome] | None = None  # the fast engine's results, when it answered alone

    @property
    def graph(self) -> Graph:
        """The standard sh:ValidationReport graph."""
        if self.source_graph is None:
            self.source_graph = report_graph(self.outcomes or [], self.shapes if self.shapes is not None else Graph())
        return self.source_graph

    def count(self, severity: str) -> int:
        return sum(r.severity == severity for r in self.results)

    @property
    def violations(self) -> int:
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        return self.count("Warning")

    @property
    def ok(self) -> bool:
        """No Violation (warnings are allowed): the graph may be published."""
        return self.violations == 0

    @property
    def conforms(self) -> bool:
        """The standard sh:conforms: no result at all."""
        return not self.results

    def records(self) -> list[tuple[Node, list[Result]]]:
        """Results grouped by record, in source order."""
        groups: dict[Node, list[Result]] = {}
        for result in sorted(self.results, key=Result.sort_key):
            groups.setdefault(result.record, []).append(result)
        return list(groups.items())


def _local(node: Node | None) -> str:
    text = str(node)
    return text[len(SHAPES_NS):] if text.startswith(SHAPES_NS) else text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _rows(answer: object) -> list[tuple[Node | None, ...]]:
    return answer.rows if isinstance(answer, SelectResult) else []


# Where a record was read: its location (a line of a document) or the document itself.
# (Two OPTIONALs rather than `dcterms:isPartOf?`: Oxigraph evaluates a zero-length path
# over every node of the graph before joining, seconds per query at atlas scale.) Whether
# ?loc or ?part is a document, and its titles, come from `_DOCUMENTS` (asked once: a
# graph holds few documents), not from three more look-ups a node: on the on-disk store
# each is a seek (~20 us), and a report at 120,000 partnerships names 84,000 nodes.
_PROVENANCE = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX coop: <https://w3id.org/coopkg/ontology#>
SELECT ?node ?line ?loc ?part WHERE {
    %s
    ?node prov:wasDerivedFrom ?loc .
    OPTIONAL { ?loc coop:line ?line }
    OPTIONAL { ?loc dcterms:isPartOf ?part }
}"""

_DOCUMENTS = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX coop: <https://w3id.org/coopkg/ontology#>
SELECT ?d ?title WHERE { ?d a coop:SourceDocument ; dcterms:title ?title }"""

_CLAIMS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX coop: <https://w3id.org/coopkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?s ?p ?o ?doc ?line WHERE {
    ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?loc .
    ?loc dcterms:isPartOf? ?d .
    ?d a coop:SourceDocument ; dcterms:title ?doc .
    OPTIONAL { ?loc coop:line ?line }
}"""

_OWNER = """
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?part ?owner WHERE { ?owner ?p ?part . ?owner prov:wasDerivedFrom ?loc . } ORDER BY ?owner LIMIT 1"""

_LABEL = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?node ?label WHERE { %s ?node rdfs:label ?label }"""


# Terms asked about in one query (a VALUES block): a few thousand keep a query text small.
_BATCH = 2000


class _Resolver:
    """Looks up, in the data, where records come from and what they are called.

    Only the nodes a report names are looked up (`prefetch` asks for them in batches):
    the provenance of every record of an atlas is a hundred thousand rows.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._sources: dict[Node, list[SourceLine]] = {}
        self._labels: dict[Node, list[Node]] = {}
        self._claims: dict[tuple[Node, Node, Node], list[SourceLine]] | None = None
        self._documents: dict[Node, list[Node]] | None = None

    def documents(self) -> dict[Node, list[Node]]:
        """Each source document and its titles."""
        if self._documents is None:
            self._documents = {}
            for d, title in _rows(self.store.query(_DOCUMENTS)):
                if d is not None and title is not None:
                    self._documents.setdefault(d, []).append(title)
        return self._documents

    @staticmethod
    def _line(doc: Node | None, line: Node | None) -> SourceLine:
        number = None
        if isinstance(line, Literal):
            try:
                number = int(str(line))
            except ValueError:
                number = None
        return SourceLine(str(doc), number)

    def _batches(self, template: str, nodes: list[Node], seen: dict[Node, Any]) -> Iterator[tuple[Node | None, ...]]:
        """The rows of ``template`` (with %s for a VALUES block of ``?node``) for the nodes not
        yet in ``seen``; blank nodes cannot be written in a query, so any of them means all rows."""
        todo = sorted({n for n in nodes if n not in seen and not isinstance(n, Literal)}, key=str)
        if any(isinstance(n, BNode) for n in todo):
            yield from _rows(self.store.query(template % ""))
            return
        for start in range(0, len(todo), _BATCH):
            values = "VALUES ?node { " + " ".join(f"<{n}>" for n in todo[start:start + _BATCH]) + " }"
            yield from _rows(self.store.query(template % values))

    def prefetch(self, nodes: list[Node]) -> None:
        """Sources of ``nodes`` (and where they have none, of the record owning them) and their labels."""
        self._fetch_sources(nodes)
        owners = [self.owner(n) for n in nodes]
        self._fetch_sources(owners)
        found: dict[Node, list[Node]] = {}
        for n, label in self._batches(_LABEL, owners, self._labels):
            if n is not None and label is not None:
                found.setdefault(n, []).append(label)
        for n in owners:
            self._labels.setdefault(n, found.get(n, []))
        for n, labels in found.items():
            self._labels.setdefault(n, labels)

    def _fetch_sources(self, nodes: list[Node]) -> None:
        found: dict[Node, set[SourceLine]] = {}
        documents = self.documents()
        for n, line, loc, part in self._batches(_PROVENANCE, nodes, self._sources):
            # the location itself when it is a document, and the document it is part of
            titles = [*documents.get(loc, ()), *documents.get(part, ())]  # type: ignore[arg-type]
            for document in titles:
                if n is not None:
                    found.setdefault(n, set()).add(self._line(document, line))
        # a location without a line number is covered by the same document's lines
        for n, lines in found.items():
            self._sources.setdefault(n, sorted(s for s in lines if s.line is not None or not any(
                o.document == s.document and o.line is not None for o in lines)))
        for n in nodes:
            self._sources.setdefault(n, [])

    def sources(self, node: Node) -> list[SourceLine]:
        if node not in self._sources:
            self._fetch_sources([node])
        return self._sources[node]

    def claims(self, s: Node, p: Node | None, o: Node | None) -> list[SourceLine]:
        if self._claims is None:
            self._claims = {}
            for cs, cp, co, doc, line in _rows(self.store.query(_CLAIMS)):
                if cs is not None and cp is not None and co is not None:
                    self._claims.setdefault((cs, cp, co), []).append(self._line(doc, line))
        if p is None or o is None:
            return []
        return sorted(set(self._claims.get((s, p, o), [])))

    def owner(self, node: Node) -> Node:
        """The record a node belongs to: itself when it has provenance, else the record pointing to it."""
        if self.sources(node) or isinstance(node, Literal):
            return node
        for _, owner in _rows(self.store.query(_OWNER, {"part": node})):
            if owner is not None:
                return owner
        return node

    def label(self, node: Node, lang: str) -> str | None:
        if node not in self._labels:
            self._labels[node] = [row[1] for row in self._batches(_LABEL, [node], {})
                                  if row[0] == node and row[1] is not None]
        labels = sorted(self._labels[node], key=lambda lit: (getattr(lit, "language", None) != lang, str(lit)))
        return str(labels[0]) if labels else None


def _messages(own: list[Node], shapes: Graph, sources: list[Node | None],
              cache: dict[Node, list[Node]]) -> dict[str, str]:
    """The rule in every language: the shape's sh:message first (engines may drop the language
    tags of sh:resultMessage, pyshacl does for SPARQL constraints), then the result's own
    (``own``, its sh:resultMessage values). ``cache`` keeps each shape's messages, sorted."""
    found: dict[str, str] = {}
    for source in sources:
        if source is None:
            continue
        if source not in cache:
            cache[source] = sorted(shapes.objects(source, SH.message), key=str)
        for msg in cache[source]:
            if getattr(msg, "language", None):
                found.setdefault(msg.language, str(msg))  # type: ignore[attr-defined]
        if found:
            break
    if not found:
        for msg in sorted(own, key=str):
            found.setdefault(getattr(msg, "language", None) or "", str(msg))
    return found


def read_report(report: Graph, store: Store, shapes: Graph, engine: str, lang: str = "en") -> Report:
    """Turn a standard sh:ValidationReport graph into records, sources and messages."""
    # one pass over the report's triples: asking the graph for each property of each of
    # thousands of results costs an index lookup apiece
    props: dict[Node, dict[Node, list[Node]]] = {}
    details: set[Node] = set()
    detail, result_class = SH.detail, SH.ValidationResult  # looked up once
    for s, p, o in report:
        props.setdefault(s, {}).setdefault(p, []).append(o)
        if p == detail:
            details.add(o)
    results = sorted((s for s, by in props.items() if result_class in by.get(RDF.type, ())), key=str)
    # a nested detail of another result is not a result of its own
    out = Report(engine, report)
    out.results = _resolve([props[r] for r in results if r not in details], store, shapes, lang)
    return out


def read_outcomes(outcomes: list[Outcome], store: Store, shapes: Graph, engine: str, lang: str = "en") -> Report:
    """The fast engine's outcomes as records, sources and messages, without a report graph."""
    out = Report(engine, None, outcomes=outcomes, shapes=shapes)
    out.results = _resolve(iter_results(outcomes), store, shapes, lang)
    return out


def _resolve(items: Iterable[dict[Node, list[Node]]], store: Store, shapes: Graph, lang: str) -> list[Result]:
    """Each result (its properties: predicate -> objects) resolved to the record a user can open."""
    resolver = _Resolver(store)
    items = list(items)
    resolver.prefetch([f for by in items for name in (SH.focusNode, ALSO_FOCUS) for f in by.get(name, [])])
    shape_messages: dict[Node, list[Node]] = {}
    names = (SH.focusNode, SH.resultSeverity, SH.sourceShape, SH.sourceConstraint, SH.sourceConstraintComponent,
             SH.resultPath, SH.value, SH.resultMessage)
    found: list[Result] = []
    for by in items:
        focus, severity_node, shape, constraint, component, path, value_node = (
            by[name][0] if name in by else None for name in names[:7])
        if focus is None:
            continue
        rule_node = constraint if isinstance(constraint, URIRef) else shape
        rule = _local(rule_node) if isinstance(rule_node, URIRef) else _local(component)
        record = resolver.owner(focus)
        also = [resolver.owner(other) for other in sorted(by.get(ALSO_FOCUS, []), key=str)]
        found.append(Result(
            record=record,
            focus=focus,
            severity=_local(severity_node) if severity_node is not None else "Violation",
            rule=rule,
            shape=shape,
            constraint=constraint,
            component=_curie(str(component)) if component is not None else "",
            path=path if not isinstance(path, BNode) else None,
            value=value_node,
            messages=_messages(by.get(names[7], []), shapes, [constraint, shape], shape_messages),
            sources=resolver.sources(record),
            claimed_by=resolver.claims(focus, path, value_node),
            label=resolver.label(record, lang),
            also=[(other, resolver.sources(other)) for other in also],
        ))
    return found


def validate(store: Store, engine: str | None = None, lang: str = "en", shapes: Graph | None = None) -> Report:
    """Validate a store and resolve the report for people.

    Without ``shapes``: coopkg's shapes, the vocabularies they need added to the store
    (`prepare`). With ``shapes``: those shapes alone, on the data as it is.
    """
    from coopkg.shacl_engines import Data, ShapeGroup

    if shapes is None:
        shapes = load_shapes()
        prepare(store)
    return validate_data(Data(store), [ShapeGroup(shapes, False)], engine, lang)




def _parse_shapes(paths: list[Path]) -> Graph:
    from coopkg.shacl_engines import as_written, rdflib_format

    graph = Graph()
    for path in paths:
        try:
            with as_written():
                graph.parse(path, format=rdflib_format(path))
        except Exception as err:  # noqa: BLE001 - rdflib's parsers raise many kinds
            raise InputError(f"cannot read shapes file {path}: {err}") from err
    return graph


def load_graphs(paths: list[Path]) -> Store:
    """The graph files in one Oxigraph store (an unreadable file: `InputError` naming it)."""
    import pyoxigraph as ox

    from coopkg.store import _FORMATS, OxigraphStore

    store = OxigraphStore()
    for path in paths:
        fmt = _FORMATS.get(path.suffix.lower(), _FORMATS[".ttl"])[1]
        try:
            # relative IRIs (<>) resolve against the file, as rdflib (pyshacl's reader) does
            store.store.load(path=str(path), format=fmt, base_iri=path.resolve().as_uri(), to_graph=ox.DefaultGraph())
        except (OSError, SyntaxError, ValueError) as err:
            raise InputError(f"{path}: cannot read the graph: {err}") from err
    return store


def open_graph_files(paths: list[Path]) -> tuple[Store, list[Path]]:
    """The graph files in one store, and the files that give their literals as written (`validate_files`'s ``scan``).

    One Turtle file that `coopkg build` left with a fresh on-disk store beside it: that
    store (`coopkg.diskstore.load_for_scans`: past 2,000,000 triples the shapes run on disk;
    below, the file is parsed into memory, where they run twice as fast), and the store's
    small file of the literals Oxigraph rewrites, as written, instead of a second parse of
    the graph. Otherwise the files are loaded (`load_graphs`), and a stale store said once.
    """
    from coopkg import diskstore
    from coopkg.shacl_engines import vocabulary_graph

    if len(paths) == 1 and paths[0].suffix.lower() in (".ttl", ".turtle"):
        forms = diskstore.forms_file(paths[0])
        if forms is not None:
            store = diskstore.load_for_scans(paths[0])
            # a store is read-only: it must hold what coopkg's shapes need beside the data (the
            # build put it there); one built by a coopkg with another ontology may not
            if not isinstance(store, diskstore.PersistentStore) or store.holds(vocabulary_graph()):
                return store, [forms]
            diskstore.say_once(f"the store beside {paths[0]} lacks this coopkg's class hierarchy (built by "
                               "another version)")
        else:
            diskstore.say_stale(paths[0])
    return load_graphs(paths), list(paths)


def validate_files(graphs: list[Path], shapes: list[Path] | None = None, default_shapes: bool = True,
                   engine: str | None = None, lang: str = "en", store: Store | None = None,
                   text: str | None = None, scan: list[Path] | None = None) -> Report:
    """Validate graph files against the user's shapes files and/or coopkg's shapes.

    coopkg's vocabularies are seen by coopkg's shapes only (checked after the user's, for
    pyshacl on a copy of the data), never by the user's. pyshacl reads ``graphs`` with rdflib
    (or ``text``, a Turtle document of the records) so it is a true reference. ``store``:
    the data already loaded (records, or `open_graph_files`); else the files are loaded.
    ``scan``: the files giving the literals as written, when not ``graphs`` (`open_graph_files`).
    """
    from coopkg.shacl_engines import Data, ShapeGroup

    groups = []
    if default_shapes:
        groups.append(ShapeGroup(load_shapes(), True))
    if shapes:
        groups.append(ShapeGroup(_parse_shapes(shapes), False))
    if not groups:
        raise InputError("no shapes to validate against (--no-default-shapes needs --shapes FILE)")
    data = Data(store if store is not None else load_graphs(graphs), list(graphs), text, scan)
    return validate_data(data, groups, engine, lang)


def validate_data(data: Any, groups: list[Any], engine: str | None = None, lang: str = "en") -> Report:
    """Run `coopkg.shacl_engines.run` on ``data`` and resolve the report for people."""
    from coopkg.shacl_engines import run

    engine = engine or default_engine()
    if len(groups) == 1:
        shapes = groups[0].shapes
    else:
        shapes = Graph()
        for group in groups:
            for triple in group.shapes:
                shapes.add(triple)
    with quiet_rdflib():
        answer = run(data, groups, engine)
        # same-name sets reported pair by pair become one result each (docs/validation.md)
        answer.outcomes = group_outcomes(answer.outcomes)
        if answer.graphs:  # pyshacl answered too: one merged graph
            report = read_report(answer.report, data.store, shapes, answer.engine, lang)
        else:
            report = read_outcomes(answer.outcomes, data.store, shapes, answer.engine, lang)
    report.notes = answer.notes
    report.store = data.store
    report.data = data
    report.shapes = shapes
    return report


# -- rendering -------------------------------------------------------------------------
# Every format is written to a stream as it is made (`write`); `render` gives it as text.

_WORDS = {
    "en": {"Violation": "Violation", "Warning": "Warning", "Info": "Info", "source": "source",
           "value": "value", "claimed": "value stated by", "none": "no source recorded",
           "summary": "{v} violation(s), {w} warning(s) in {r} record(s)", "ok": "valid: no violation, no warning",
           "engine": "engine", "also": "the same for {n} records, this one and:"},
    "fr": {"Violation": "Violation", "Warning": "Avertissement", "Info": "Info", "source": "source",
           "value": "valeur", "claimed": "valeur donnée par", "none": "aucune source enregistrée",
           "summary": "{v} violation(s), {w} avertissement(s) dans {r} fiche(s)",
           "ok": "valide : aucune violation, aucun avertissement", "engine": "moteur",
           "also": "de même pour {n} fiches, celle-ci et :"},
}


def write_text(report: Report, out: IO[str], lang: str = "en") -> None:
    """The report for people: one block per record, its source lines, each rule broken."""
    words = _WORDS.get(lang, _WORDS["en"])
    groups = report.records()
    for record, results in groups:
        lines: list[str] = []
        head = _curie(str(record))
        label = results[0].label
        lines.append(f"{head}" + (f"  «{label}»" if label else ""))
        sources = results[0].sources
        lines.append(f"  {words['source']}: " + (", ".join(str(s) for s in sources) if sources else words["none"]))
        for r in results:
            where = _curie(str(r.path)) if r.path is not None else ""
            if r.focus != record:
                where = f"{_curie(str(r.focus))} {where}".strip()
            value = f" = {_show(r.value)}" if r.value is not None else ""
            lines.append(f"  {words[r.severity] if r.severity in words else r.severity}: {r.message(lang)}")
            detail = f"    [{r.rule}]" + (f" {where}" if where else "") + value
            if r.claimed_by:
                detail += f" ({words['claimed']} " + ", ".join(str(s) for s in r.claimed_by) + ")"
            if r.also:
                detail += " " + words["also"].format(n=r.count)
            lines.append(detail)
            for other, other_sources in r.also:
                lines.append(f"      {_curie(str(other))}" + (f" ({', '.join(str(s) for s in other_sources)})"
                                                              if other_sources else ""))
        lines.append("")
        out.write("\n".join(lines) + "\n")
    summary = (words["summary"].format(v=report.violations, w=report.warnings, r=len(groups))
               if report.results else words["ok"])
    tail = [*report.notes, f"{summary} ({words['engine']}: {report.engine})"]
    out.write("\n".join(tail) + "\n")


def render_text(report: Report, lang: str = "en") -> str:
    buffer = StringIO()
    write_text(report, buffer, lang)
    return buffer.getvalue()


def _json_term(node: Node | None) -> dict[str, str] | None:
    if node is None:
        return None
    if isinstance(node, Literal):
        out = {"type": "literal", "value": str(node)}
        if node.language:
            out["lang"] = node.language
        elif node.datatype:
            out["datatype"] = str(node.datatype)
        return out
    return {"type": "iri" if isinstance(node, URIRef) else "bnode", "value": str(node)}


def _json_result(record: Node, r: Result, lang: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "record": str(record),
        "label": r.label,
        "sources": [{"file": s.document, "line": s.line} for s in r.sources],
        "severity": r.severity,
        "rule": r.rule,
        "message": r.message(lang),
        "messages": dict(sorted(r.messages.items())),
        "focus": str(r.focus),
        "path": str(r.path) if r.path is not None else None,
        "value": _json_term(r.value),
        "claimed_by": [{"file": s.document, "line": s.line} for s in r.claimed_by],
        "shape": str(r.shape) if isinstance(r.shape, URIRef) else None,
        "constraint": str(r.constraint) if isinstance(r.constraint, URIRef) else None,
        "component": r.component,
    }
    if r.also:  # a grouped result: how many records, and the others with their sources
        item["count"] = r.count
        item["also"] = [{"record": str(other), "sources": [{"file": s.document, "line": s.line} for s in sources]}
                        for other, sources in r.also]
    return item


def write_json(report: Report, out: IO[str], lang: str = "en") -> None:
    """The report for machines: counts and one object per result, in source order.

    The bytes of ``json.dumps(document, indent=2)``, written one result at a time."""
    groups = report.records()
    doc = {
        "ok": report.ok,
        "conforms": report.conforms,
        "engine": report.engine,
        "engine_notes": report.notes,
        "violations": report.violations,
        "warnings": report.warnings,
        "infos": report.count("Info"),
        "records": len(groups),
        "results": [],
    }
    head = json.dumps(doc, ensure_ascii=False, indent=2)
    closing = '"results": []\n}'
    if not report.results:
        out.write(head + "\n")
        return
    out.write(head[:-len(closing)] + '"results": [\n')
    first = True
    for record, group in groups:
        for r in group:
            text = json.dumps(_json_result(record, r, lang), ensure_ascii=False, indent=2)
            out.write(("" if first else ",\n") + "\n".join("    " + line for line in text.split("\n")))
            first = False
    out.write("\n  ]\n}\n")


def render_json(report: Report, lang: str = "en") -> str:
    buffer = StringIO()
    write_json(report, buffer, lang)
    return buffer.getvalue()


def canonical_report(graph: Graph) -> list[tuple[Node, Node, Node]]:
    """The report's triples with blank nodes renamed in a stable order (byte-identical output)."""
    names: dict[Node, BNode] = {}

    def key(result: Node) -> tuple[str, ...]:
        return tuple(_show(graph.value(result, p)) for p in
                     (SH.focusNode, SH.sourceShape, SH.sourceConstraint, SH.resultPath, SH.value,
                      SH.sourceConstraintComponent, SH.resultSeverity))

    def visit(node: Node) -> None:
        """Name the blank nodes hanging off ``node``, depth first, in sorted order."""
        for _p, o in sorted(graph.predicate_objects(node), key=lambda po: (str(po[0]), _show(po[1]))):
            if isinstance(o, BNode) and o not in names:
                names[o] = BNode(f"b{len(names):05d}")
                visit(o)

    roots = sorted(graph.subjects(RDF.type, SH.ValidationReport), key=str)
    for report in roots:
        if isinstance(report, BNode):
            names[report] = BNode("report")
    for n, result in enumerate(sorted(graph.subjects(RDF.type, SH.ValidationResult), key=key), 1):
        if isinstance(result, BNode):
            names.setdefault(result, BNode(f"result{n:05d}"))
    for node in list(names):
        visit(node)

    def name(node: Node) -> Node:
        if isinstance(node, BNode):
            if node not in names:
                names[node] = BNode(f"b{len(names):05d}")
            return names[node]
        return node

    return [(name(s), p, name(o)) for s, p, o in graph]


def write_turtle_report(report: Report, out: IO[str]) -> None:
    """The standard sh:ValidationReport as deterministic Turtle: the fast engine's outcomes
    written as they go (`coopkg.shacl_sparql.write_report`), a graph from pyshacl canonicalised."""
    if report.source_graph is None and report.outcomes is not None:
        write_report(report.outcomes, report.shapes if report.shapes is not None else Graph(), out)
    else:
        write_turtle(canonical_report(report.graph), out, REPORT_PREFIXES)


def render_turtle(report: Report) -> str:
    buffer = StringIO()
    write_turtle_report(report, buffer)
    return buffer.getvalue()


WRITERS = {"json": write_json, "text": write_text}


def write(report: Report, fmt: str, out: IO[str], lang: str = "en") -> None:
    """Write the report in ``fmt`` (text, json, turtle) to ``out`` as it is made."""
    if fmt == "turtle":
        write_turtle_report(report, out)
    else:
        WRITERS.get(fmt, write_text)(report, out, lang)


def render(report: Report, fmt: str, lang: str = "en") -> str:
    buffer = StringIO()
    write(report, fmt, buffer, lang)
    return buffer.getvalue()


__all__ = [
    "ENGINES",
    "Report",
    "Result",
    "SourceLine",
    "default_engine",
    "load_shapes",
    "prepare",
    "read_report",
    "render",
    "render_json",
    "render_text",
    "render_turtle",
    "read_outcomes",
    "write",
    "write_json",
    "write_text",
    "write_turtle_report",
    "run_engine",
    "validate",
    "validate_data",
    "validate_files",
    "open_graph_files",
    "InputError",
    "load_graphs",
]
