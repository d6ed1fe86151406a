"""Exports for linked-data portals: Turtle, N-Triples, JSON-LD and TriG, deterministic.

The writers work on pyoxigraph terms: a graph file is parsed by Oxigraph (Rust) and
never turned into rdflib objects, which at atlas scale is what costs most (see
docs/publishing.md). Triples are deduplicated and sorted by their N-Triples text once,
so the same graph always gives byte-identical files whatever order it came in:

* Turtle: the sorted triples through pyoxigraph's streaming Turtle serialiser, with
  the prefixes of `coopkg.vocab.PREFIXES`;
* N-Triples: one sorted line per distinct triple;
* JSON-LD: one node object per subject, sorted by ``@id``, keys and values sorted,
  compacted with the ``@context`` shipped in the package (``ontology/context.jsonld``:
  the same prefixes as the Turtle);
* TriG: one named graph per source document. From records, the emitter says which
  source each record came from (`Emitter.by_source`); from a graph file there are no
  records, so triples are grouped by their subject's ``prov:wasDerivedFrom`` (see
  `group_by_derivation`). Triples that come from no source (the shipped vocabularies)
  stay in the default graph. The union of all graphs is exactly the exported graph.

rdflib triples (what `coopkg.emit` yields) are accepted everywhere and converted.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib.term import Node

from coopkg import resources
from coopkg.store import to_ox
from coopkg.vocab import COOP, DCTERMS, PREFIXES, PROV, RDF, XSD

Triple = tuple[Node, Node, Node]
Quad = tuple[Node | None, Triple]  # (named graph or None for the default graph, rdflib triple)
Term = ox.NamedNode | ox.BlankNode | ox.Literal

FORMATS: dict[str, dict[str, str]] = {
    "ttl": {"media_type": "text/turtle", "extension": ".ttl", "eu_file_type": "RDF_TURTLE"},
    "nt": {"media_type": "application/n-triples", "extension": ".nt", "eu_file_type": "RDF_N_TRIPLES"},
    "jsonld": {"media_type": "application/ld+json", "extension": ".jsonld", "eu_file_type": "JSON_LD"},
    "trig": {"media_type": "application/trig", "extension": ".trig", "eu_file_type": "RDF_TRIG"},
}
SORTED_PREFIXES = dict(sorted(PREFIXES.items()))
_RDF_TYPE = str(RDF.type)
_XSD_STRING, _XSD_INTEGER, _XSD_BOOLEAN = str(XSD.string), str(XSD.integer), str(XSD.boolean)


def format_of(path: Path) -> str | None:
    """The export format a file name stands for (``.ttl`` -> ``ttl``), or None."""
    suffix = path.suffix.lower()
    return next((name for name, f in FORMATS.items() if f["extension"] == suffix), None)


# -- from rdflib terms -------------------------------------------------------------------
class _Converter:
    """rdflib terms to pyoxigraph terms, each distinct term converted once."""

    def __init__(self) -> None:
        self._cache: dict[Node, Term] = {}
        self._graphs: dict[Node | None, ox.NamedNode | ox.DefaultGraph] = {}

    def term(self, node: Node) -> Term:
        found = self._cache.get(node)
        if found is None:
            found = self._cache[node] = to_ox(node)
        return found

    def triple(self, t: Any) -> ox.Triple:
        return t if isinstance(t, ox.Triple) else ox.Triple(self.term(t[0]), self.term(t[1]), self.term(t[2]))  # type: ignore[arg-type]

    def quad(self, q: Any) -> ox.Quad:
        if isinstance(q, ox.Quad):
            return q
        graph = self._graphs.get(q[0])
        if graph is None:
            graph = self._graphs[q[0]] = ox.DefaultGraph() if q[0] is None else ox.NamedNode(str(q[0]))
        t = self.triple(q[1])
        return ox.Quad(t.subject, t.predicate, t.object, graph)


def ox_triples(triples: Iterable[Any]) -> list[ox.Triple]:
    """Triples as pyoxigraph triples (rdflib tuples are converted, each term once)."""
    convert = _Converter()
    return [convert.triple(t) for t in triples]


def ox_quads(quads: Iterable[Any]) -> list[ox.Quad]:
    """(graph, rdflib triple) pairs as pyoxigraph quads (graph None: the default graph)."""
    convert = _Converter()
    return [convert.quad(q) for q in quads]


def sorted_triples(triples: Iterable[Any]) -> list[ox.Triple]:
    """Distinct triples, sorted by their N-Triples text (each text computed once)."""
    by_text = {str(t): t for t in ox_triples(triples)}
    return [by_text[k] for k in sorted(by_text)]


def _sorted_quads(quads: Iterable[Any]) -> tuple[list[ox.Quad], int]:
    """Distinct quads (the default graph first, then each named graph, triples sorted),
    and how many distinct triples they hold."""
    by_key: dict[tuple[str, str], ox.Quad] = {}
    for q in ox_quads(quads):
        graph = q.graph_name
        by_key[("" if isinstance(graph, ox.DefaultGraph) else "~" + str(graph), str(q.triple))] = q
    return [by_key[k] for k in sorted(by_key)], len({k[1] for k in by_key})


def sorted_quads(quads: Iterable[Any]) -> list[ox.Quad]:
    return _sorted_quads(quads)[0]


# -- N-Triples -----------------------------------------------------------------------------
def nt_term(node: Node | Term) -> str:
    """A term in N-Triples syntax (rdflib or pyoxigraph)."""
    return str(node if isinstance(node, ox.NamedNode | ox.BlankNode | ox.Literal) else to_ox(node))


def write_ntriples(triples: Iterable[Any], out: IO[str]) -> int:
    lines = sorted({f"{t} .\n" for t in ox_triples(triples)})
    out.writelines(lines)
    return len(lines)


# -- Turtle and TriG (pyoxigraph's streaming serialisers, on sorted input) ------------------
def _serialize(items: Sequence[ox.Triple] | Sequence[ox.Quad], out: IO[str], fmt: ox.RdfFormat,
               prefixes: dict[str, str] | None) -> None:
    data = ox.serialize(items, format=fmt, prefixes=dict(sorted((prefixes or PREFIXES).items())))
    out.write(data.decode("utf-8"))


def write_turtle(triples: Iterable[Any], out: IO[str], prefixes: dict[str, str] | None = None) -> int:
    rows = sorted_triples(triples)
    _serialize(rows, out, ox.RdfFormat.TURTLE, prefixes)
    return len(rows)


def write_trig(quads: Iterable[Any], out: IO[str], prefixes: dict[str, str] | None = None) -> int:
    """Write quads as TriG; return the number of distinct triples over all graphs.

    (A triple stated in two source documents sits in both graphs but counts once.)
    """
    rows, distinct = _sorted_quads(quads)
    _serialize(rows, out, ox.RdfFormat.TRIG, prefixes)
    return distinct


# -- JSON-LD ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def context() -> dict[str, Any]:
    """The ``@context`` shipped with coopkg (ontology/context.jsonld)."""
    with open(resources.folder("ontology") / "context.jsonld", encoding="utf-8") as handle:
        return dict(json.load(handle)["@context"])


_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_CANONICAL_INT = re.compile(r"^(0|-?[1-9][0-9]*)$")


class _Compactor:
    """Turns IRIs into compact IRIs (``coop:Agreement``) with the context's prefixes."""

    def __init__(self, ctx: dict[str, Any]) -> None:
        prefixes = [(k, v) for k, v in ctx.items() if isinstance(v, str) and not k.startswith("@")]
        self._by_ns = sorted(prefixes, key=lambda kv: (-len(kv[1]), kv[0]))
        self._terms = {k for k, _ in prefixes}
        self._cache: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        text = self._cache.get(iri)
        if text is None:
            text = iri
            for prefix, ns in self._by_ns:
                if iri.startswith(ns):
                    local = iri[len(ns):]
                    if _LOCAL.match(local):
                        text = f"{prefix}:{local}"
                        break
            # An absolute IRI whose scheme is also a prefix would be misread as compact.
            if text == iri and iri.split(":", 1)[0] in self._terms:
                raise ValueError(f"IRI {iri!r} would be read as a compact IRI; rename the prefix")
            self._cache[iri] = text
        return text

    def node_ref(self, node: Term) -> str:
        return f"_:{node.value}" if isinstance(node, ox.BlankNode) else self.iri(node.value)

    def value(self, node: Term) -> Any:
        if not isinstance(node, ox.Literal):
            return {"@id": self.node_ref(node)}
        lexical = node.value
        if node.language:
            return {"@language": node.language, "@value": lexical}
        datatype = node.datatype.value
        if datatype == _XSD_STRING:
            return lexical
        if datatype == _XSD_INTEGER and _CANONICAL_INT.match(lexical):
            return int(lexical)
        if datatype == _XSD_BOOLEAN and lexical in ("true", "false"):
            return lexical == "true"
        return {"@type": self.iri(datatype), "@value": lexical}


def jsonld_document(triples: Iterable[Any], ctx: dict[str, Any] | None = None) -> dict[str, Any]:
    """A compacted JSON-LD document: ``{"@context": ..., "@graph": [node, ...]}``, sorted."""
    ctx = ctx if ctx is not None else context()
    compact = _Compactor(ctx)
    graph: list[dict[str, Any]] = []
    node: dict[str, Any] = {}
    subject: Term | None = None
    values: dict[str, list[Any]] = {}
    types: list[str] = []

    def close() -> None:
        if types:
            node["@type"] = types[0] if len(types) == 1 else list(types)
        for key, vals in values.items():
            node[key] = vals[0] if len(vals) == 1 else vals
        graph.append(node)

    # Sorted by N-Triples text: a subject's triples are together, values in a stable order.
    for t in sorted_triples(triples):
        if t.subject != subject:
            if subject is not None:
                close()
            subject, node, values, types = t.subject, {"@id": compact.node_ref(t.subject)}, {}, []
        if t.predicate.value == _RDF_TYPE and isinstance(t.object, ox.NamedNode):
            types.append(compact.iri(t.object.value))
        else:
            values.setdefault(compact.iri(t.predicate.value), []).append(compact.value(t.object))
    if subject is not None:
        close()
    graph.sort(key=lambda n: n["@id"])
    return {"@context": ctx, "@graph": graph}


def write_jsonld(triples: Iterable[Any], out: IO[str], ctx: dict[str, Any] | None = None) -> int:
    distinct = sorted_triples(triples)
    json.dump(jsonld_document(distinct, ctx), out, ensure_ascii=False, indent=1, sort_keys=True)
    out.write("\n")
    return len(distinct)


# -- TriG grouping for a graph file -----------------------------------------------------------
def group_by_derivation(triples: Iterable[Any]) -> list[ox.Quad]:
    """Put each triple in the named graph of the source document(s) its subject came from.

    For a graph file, where the records (and so `Emitter.by_source`) are gone:
    * a subject with ``prov:wasDerivedFrom L`` goes to the graph of L's document
      (``L dcterms:isPartOf D``; L itself when it is a document);
    * a source document or location goes to its document's graph;
    * a part of a record (``{record}/{part}/{slug}``: a qualified party, a unit change,
      an attached document) goes where its record goes;
    * anything else (the shipped vocabularies) stays in the default graph.
    """
    rows = ox_triples(triples)
    is_part_of, derived, rdf_type = str(DCTERMS.isPartOf), str(PROV.wasDerivedFrom), _RDF_TYPE
    source_document = str(COOP.SourceDocument)
    part_of: dict[Term, Term] = {}
    documents: set[Term] = set()
    for t in rows:
        p = t.predicate.value
        if p == is_part_of:
            part_of[t.subject] = t.object
        elif p == rdf_type and isinstance(t.object, ox.NamedNode) and t.object.value == source_document:
            documents.add(t.subject)
    homes: dict[Term, set[ox.NamedNode]] = defaultdict(set)
    for t in rows:
        if t.predicate.value == derived and isinstance(t.object, ox.NamedNode):
            homes[t.subject].add(part_of.get(t.object, t.object))  # type: ignore[arg-type]
    for doc in documents:
        homes[doc].add(doc)  # type: ignore[arg-type]
    for loc, doc in part_of.items():
        if doc in documents:
            homes[loc].add(doc)  # type: ignore[arg-type]

    def home(subject: Term) -> set[ox.NamedNode]:
        found = homes.get(subject)
        if found:
            return found
        if isinstance(subject, ox.NamedNode):
            owner = subject.value
            while owner.count("/") > 3:
                owner = owner.rsplit("/", 2)[0]
                found = homes.get(ox.NamedNode(owner))
                if found:
                    return found
        return set()

    default = [ox.DefaultGraph()]
    memo: dict[Term, list[ox.NamedNode] | list[ox.DefaultGraph]] = {}
    quads: list[ox.Quad] = []
    for t in rows:
        graphs = memo.get(t.subject)
        if graphs is None:
            graphs = memo[t.subject] = sorted(home(t.subject), key=str) or default
        for g in graphs:
            quads.append(ox.Quad(t.subject, t.predicate, t.object, g))
    return quads


# -- one entry point -------------------------------------------------------------------------
def write(fmt: str, triples: Iterable[Any], out: IO[str], quads: Iterable[Any] | None = None) -> int:
    """Write ``triples`` in ``fmt`` (ttl, nt, jsonld, trig); TriG uses ``quads`` when given."""
    if fmt == "ttl":
        return write_turtle(triples, out)
    if fmt == "nt":
        return write_ntriples(triples, out)
    if fmt == "jsonld":
        return write_jsonld(triples, out)
    if fmt == "trig":
        return write_trig(quads if quads is not None else group_by_derivation(triples), out)
    raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")


def context_matches_prefixes() -> bool:
    """True when the shipped @context declares exactly the Turtle prefixes."""
    return {k: v for k, v in context().items() if not k.startswith("@")} == PREFIXES


# -- where the triples come from ---------------------------------------------------------
DEFAULT_GRAPH = Path("build") / "graph.ttl"


class Input:
    """The graph to export or publish (pyoxigraph triples): from a graph file or from records.

    ``quads`` (for TriG) is set only when records were read: each record's triples in
    the named graph of each source document (`Emitter.by_source`), the shipped
    vocabularies in the default graph.
    """

    def __init__(self, triples: list[ox.Triple], origin: str, quads: list[ox.Quad] | None = None,
                 problems: list[Any] | None = None) -> None:
        self.triples = triples
        self.origin = origin
        self.quads = quads
        self.problems = problems or []

    def rdflib_triples(self) -> list[Triple]:
        """The triples as rdflib terms (slow at scale: for APIs that need them)."""
        from coopkg.store import from_ox

        return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in self.triples]  # type: ignore[misc]


def read_graph_file(path: Path) -> list[ox.Triple]:
    """Every triple of a graph file (any RDF syntax Oxigraph reads; named graphs merged)."""
    return [q.triple for q in ox.parse(path=str(path))]


def load_input(graph: Path | None = None, sources: list[Path] | None = None, base: str | None = None,
               include_contacts: bool = False, reader: str | None = None, with_quads: bool = False) -> Input:
    """``graph`` if given; else records from ``sources``; else build/graph.ttl if it
    exists; else the bundled dataset, built in memory."""
    if graph is not None:
        return Input(read_graph_file(graph), str(graph))
    if not sources and DEFAULT_GRAPH.is_file():
        return Input(read_graph_file(DEFAULT_GRAPH), str(DEFAULT_GRAPH))
    from coopkg import build

    loaded = build.load(sources or None, reader=reader)
    emitter = build.emitter(loaded.records, base, include_contacts)
    vocabulary = build.vocabulary_triples()
    quads: list[ox.Quad] | None = None
    if with_quads:
        quads = ox_quads(list(emitter.by_source()) + [(None, t) for t in vocabulary])
        triples = list({q.triple for q in quads})
    else:
        triples = list(set(ox_triples(list(emitter.triples()) + vocabulary)))
    origin = "the bundled dataset" if not sources else ", ".join(str(s) for s in sources)
    return Input(triples, origin, quads, loaded.problems)


__all__ = [
    "FORMATS",
    "Input",
    "context",
    "format_of",
    "group_by_derivation",
    "jsonld_document",
    "load_input",
    "nt_term",
    "ox_quads",
    "ox_triples",
    "sorted_triples",
    "write",
    "write_jsonld",
    "write_ntriples",
    "write_trig",
    "write_turtle",
]
