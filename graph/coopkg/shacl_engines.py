"""Which engine checks which shape, and one report out of their answers.

A validation run has one or two groups of shapes: coopkg's own (``shapes/``), which need
coopkg's vocabularies (SKOS schemes, the class hierarchy) beside the data, and the
user's (``--shapes FILE``), which see the data alone. For each group:

* ``fast``: every shape on the fast engine (`coopkg.shacl_sparql`); a shape it does not
  implement exactly stops the run with the list of reasons (`EngineRefused`);
* ``pyshacl``: every shape on pyshacl, with the data read by rdflib from the files
  themselves (not through the store, which rewrites literals); the group that needs the
  vocabularies gets a copy of the data with them, the data itself stays as read;
* ``auto`` (the default): the fast engine, and pyshacl for the shapes the fast engine
  refuses, named in `EngineRun.notes`.

The answers are merged into one standard sh:ValidationReport.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from coopkg import resources
from coopkg.errors import UsageError
from coopkg.shacl_sparql import (
    Outcome,
    Refusal,
    Rewrites,
    UnsupportedShape,
    refusals,
    report_graph,
    run_fast,
    scan,
    top_shapes,
)
from coopkg.store import Store
from coopkg.vocab import RDF, RDFS, SH

ENGINES: tuple[str, ...] = ("auto", "fast", "pyshacl")
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


class EngineRefused(UsageError):
    """``--engine fast`` was asked for shapes it does not implement exactly."""

    def __init__(self, found: list[Refusal]) -> None:
        super().__init__("the fast engine cannot check these shapes exactly (use --engine auto or pyshacl):\n"
                         + "\n".join(f"  {r}" for r in found))
        self.refusals = found


@dataclass
class ShapeGroup:
    """Shapes checked together; ``vocabularies``: they need coopkg's vocabularies beside the data."""

    shapes: Graph
    vocabularies: bool


@dataclass
class Data:
    """The data to validate: a store for the fast engine, and how pyshacl gets the same triples.

    ``files``: the graph files (pyshacl parses them with rdflib); without them pyshacl gets
    ``text`` (a Turtle document) or, as a last resort, the store's triples.
    """

    store: Store
    files: list[Path] = field(default_factory=list)
    text: str | None = None
    # where to find the literals as written, when not in ``files``: the small file of them
    # an on-disk store keeps beside graph.ttl (`coopkg.diskstore.forms_file`)
    scan_files: list[Path] | None = None
    _rdflib: Graph | None = None
    _rewrites: Rewrites | None = None

    def rewrites(self) -> Rewrites:
        """The literals of the files the store does not keep as written (`shacl_sparql.literals`)."""
        if self._rewrites is None:
            paths = self.scan_files if self.scan_files is not None else self.files
            self._rewrites = scan(paths) if paths else Rewrites()
        return self._rewrites

    def rdflib_graph(self) -> Graph:
        if self._rdflib is None:
            with as_written():
                if self.files:
                    graph = Graph()
                    for path in self.files:
                        graph.parse(path, format=rdflib_format(path))
                    self._rdflib = graph
                elif self.text is not None:
                    self._rdflib = Graph().parse(data=self.text, format="turtle")
                else:
                    self._rdflib = self.store.rdflib_graph()
        return self._rdflib


@contextmanager
def as_written() -> Iterator[None]:
    """rdflib keeps literals as written while parsing ("1"^^xsd:boolean is not "true")."""
    import rdflib

    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved


_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld",
            ".json": "json-ld", ".rdf": "xml", ".owl": "xml", ".xml": "xml", ".n3": "n3"}


def rdflib_format(path: Path) -> str:
    return _FORMATS.get(path.suffix.lower(), "turtle")


@dataclass
class EngineRun:
    """What the engines found: the fast engine's outcomes (no report graph made for them) and
    pyshacl's report graphs."""

    outcomes: list[Outcome]  # the fast engine's results
    graphs: list[Graph]  # pyshacl's sh:ValidationReport graphs
    engines: list[str]  # the engines that answered, in order
    notes: list[str] = field(default_factory=list)  # what went to pyshacl and why
    shapes: Graph | None = None  # the shapes the outcomes name (their paths' blank nodes)

    @property
    def engine(self) -> str:
        return " + ".join(self.engines) if self.engines else "fast"

    @property
    def report(self) -> Graph:
        """The merged sh:ValidationReport graph (made on demand: at scale, write the outcomes instead)."""
        fast = [report_graph(self.outcomes, self.shapes if self.shapes is not None else Graph())] if (
            "fast" in self.engines or not self.graphs) else []
        return merge_reports(fast + self.graphs)


@cache
def _schemes() -> tuple[tuple[Node, Node, Node], ...]:
    """coopkg's SKOS schemes (kinds, statuses, end reasons, themes)."""
    from coopkg.build import vocabulary_triples

    return tuple(sorted(vocabulary_triples()))


@cache
def _class_hierarchy() -> tuple[tuple[Node, Node, Node], ...]:
    """``rdfs:subClassOf`` between named classes of the ontology, for sh:targetClass and sh:class."""
    ontology = Graph()
    for path in resources.files("ontology", "*.ttl"):
        if path.parent.name != "vocabularies":
            ontology.parse(path, format="turtle")
    return tuple(sorted((s, p, o) for s, p, o in ontology.triples((None, RDFS.subClassOf, None))
                        if isinstance(s, URIRef) and isinstance(o, URIRef)))


def vocabulary_graph() -> Graph:
    """What coopkg's shapes need beside the data."""
    graph = Graph()
    for triple in (*_schemes(), *_class_hierarchy()):
        graph.add(triple)
    return graph


def _add_vocabularies(store: Store) -> None:
    """The vocabularies into the data's store, for the shapes that need them.

    `run` checks the groups that must not see them first: a union of named graphs would keep
    them apart too, but makes every query of the fast engine ten times slower.
    """
    from coopkg.vocab import SKOS, THEME

    scheme = URIRef(str(THEME).rstrip("/"))
    if not store.query("ASK { ?s a ?c }", {"s": scheme, "c": SKOS.ConceptScheme}):
        store.add_triples(_schemes())  # graph.ttl holds them already; a graph from elsewhere may not
    store.add_triples(_class_hierarchy())


def _keep_only(shapes: Graph, keep: set[str]) -> Graph:
    """A copy of ``shapes`` where only the top-level shapes in ``keep`` have targets."""
    copy = Graph()
    for prefix, ns in shapes.namespaces():
        copy.bind(prefix, ns)
    for s, p, o in shapes:
        if str(s) not in keep and (p in TARGETS or (p == RDF.type and o == RDFS.Class and
                                                     (s, RDF.type, SH.NodeShape) in shapes)):
            continue
        copy.add((s, p, o))
    return copy


def _pyshacl(data: Data, group: ShapeGroup) -> Graph:
    from pyshacl import validate as pyshacl_validate

    graph = data.rdflib_graph()
    if group.vocabularies:
        # a copy for coopkg's shapes: the data and the vocabularies (pyshacl's ont_graph would
        # copy in only class and property definitions, not the SKOS concepts)
        mixed = Graph()
        for triple in graph:
            mixed.add(triple)
        for triple in vocabulary_graph():
            mixed.add(triple)
        graph = mixed
    with quiet_rdflib(), _rdflib_query_cache():
        try:
            _, report, _ = pyshacl_validate(graph, shacl_graph=group.shapes, inference="none", advanced=False,
                                            abort_on_first=False)
        except Exception as err:  # noqa: BLE001 - pyshacl raises its own kinds for shapes it refuses
            raise EngineError(f"pyshacl cannot validate with these shapes: {err}") from err
    if not isinstance(report, Graph):
        raise EngineError(f"pyshacl cannot validate with these shapes: {report}")
    return report


# SPARQL text -> rdflib's translated query, kept for the process (the shapes do not change).
_PARSED: dict[tuple[str, str | None, tuple[tuple[str, Any], ...]], Any] = {}


@contextmanager
def _rdflib_query_cache() -> Iterator[None]:
    """Parse each SPARQL text once while pyshacl runs.

    pyshacl sends the same constraint query for every focus node as text, and rdflib
    parses it anew each time: on the bundled dataset parsing took 23 of 25 seconds.
    A translated query is reusable with other bindings (that is what prepareQuery is for).
    """
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    parsed = _PARSED

    def query(self: Any, str_or_query: Any, initBindings: Any = None, initNs: Any = None,  # noqa: N803
              base: str | None = None, DEBUG: bool = False) -> Any:  # noqa: N803
        if isinstance(str_or_query, str):
            key = (str_or_query, base, tuple(sorted((initNs or {}).items())))
            if key not in parsed:
                parsed[key] = processor.translateQuery(processor.parseQuery(str_or_query), base, initNs)
            str_or_query = parsed[key]
        return original(self, str_or_query, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original  # type: ignore[method-assign]


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for every ill-typed literal it meets; the report says it better."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


class EngineError(UsageError):
    """An engine refused the shapes or the data while running (a message for the user)."""


def run(data: Data, groups: list[ShapeGroup], engine: str = "auto") -> EngineRun:
    """Validate ``data`` against each group of shapes with ``engine``; one merged report."""
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r} (known: {', '.join(ENGINES)})")
    reports: list[Graph] = []
    outcomes: list[Outcome] = []
    used: list[str] = []
    notes: list[str] = []
    for group in sorted(groups, key=lambda g: g.vocabularies):  # the data alone first
        tops = {str(s) for s in top_shapes(group.shapes)}
        rewrites = data.rewrites() if engine != "pyshacl" else None
        found = refusals(group.shapes, None, rewrites) if engine != "pyshacl" else []
        if found and engine == "fast":
            raise EngineRefused(found)
        slow = tops if engine == "pyshacl" else {r.shape for r in found}
        if tops - slow:
            if group.vocabularies:
                _add_vocabularies(data.store)
            store = data.store
            try:
                with as_written():  # the store's terms as it gives them, not re-normalised by rdflib
                    outcomes.extend(run_fast(store, group.shapes, frozenset(slow), rewrites))
            except UnsupportedShape as err:  # a ?failure answer: the check could not be made
                raise EngineError(str(err)) from err
            used.append("fast")
        if slow:
            for shape in sorted(slow) if found else []:
                why = "; ".join(f"{r.construct}: {r.why}" for r in found if r.shape == shape)
                notes.append(f"pyshacl checks {shape}, which the fast engine leaves: {why}")
            shapes = group.shapes if slow == tops else _keep_only(group.shapes, slow)
            reports.append(_pyshacl(data, ShapeGroup(shapes, group.vocabularies)))
            used.append("pyshacl")
    return EngineRun(outcomes, reports, sorted(set(used), key=used.index), notes, _union([g.shapes for g in groups]))


def _union(graphs: list[Graph]) -> Graph:
    if len(graphs) == 1:
        return graphs[0]
    union = Graph()
    for graph in graphs:
        for triple in graph:
            union.add(triple)
    return union


def merge_reports(reports: list[Graph]) -> Graph:
    """One sh:ValidationReport holding the results of all of ``reports``."""
    if len(reports) == 1:
        return reports[0]
    merged = Graph()
    merged.bind("sh", str(SH))
    root = BNode()
    merged.add((root, RDF.type, SH.ValidationReport))
    conforms = True
    for report in reports:
        roots = set(report.subjects(RDF.type, SH.ValidationReport))
        for r in roots:
            value = report.value(r, SH.conforms)
            conforms = conforms and not (isinstance(value, Literal) and value.toPython() is False)
        for s, p, o in report:
            if s in roots:
                if p == SH.result:
                    merged.add((root, SH.result, o))
                continue
            merged.add((s, p, o))
    merged.add((root, SH.conforms, Literal(conforms)))
    return merged


__all__ = ["ENGINES", "Data", "EngineError", "EngineRefused", "EngineRun", "ShapeGroup", "merge_reports", "run",
           "vocabulary_graph"]
