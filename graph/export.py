"""Exports for linked-data portals: Turtle, N-Triples, JSON-LD and TriG, deterministic.

Every writer works on plain triples (rdflib terms), sorts them once and streams text,
so the same graph always gives byte-identical files and no store (and none of rdflib's
slow serialisers) sits on the path:

* Turtle: `coopkg.turtle` (the writer `coopkg build` uses);
* N-Triples: one sorted line per distinct triple;
* JSON-LD: one node object per subject, sorted by ``@id``, keys and values sorted,
  compacted with the ``@context`` shipped in the package (``ontology/context.jsonld``:
  the same prefixes as the Turtle);
* TriG: one named graph per source document. From records, the emitter says which
  source each record came from (`Emitter.by_source`); from a graph file there are no
  records, so triples are grouped by their subject's ``prov:wasDerivedFrom`` (see
  `group_by_derivation`). Triples that come from no source (the shipped vocabularies)
  stay in the default graph. The union of all graphs is exactly the exported graph.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from coopkg import resources
from coopkg.turtle import TurtleWriter, write_turtle
from coopkg.vocab import COOP, DCTERMS, PREFIXES, PROV, RDF, XSD

Triple = tuple[Node, Node, Node]
Quad = tuple[URIRef | None, Triple]  # (named graph or None for the default graph, triple)

FORMATS: dict[str, dict[str, str]] = {
    "ttl": {"media_type": "text/turtle", "extension": ".ttl", "eu_file_type": "RDF_TURTLE"},
    "nt": {"media_type": "application/n-triples", "extension": ".nt", "eu_file_type": "RDF_N_TRIPLES"},
    "jsonld": {"media_type": "application/ld+json", "extension": ".jsonld", "eu_file_type": "JSON_LD"},
    "trig": {"media_type": "application/trig", "extension": ".trig", "eu_file_type": "RDF_TRIG"},
}


def format_of(path: Path) -> str | None:
    """The export format a file name stands for (``.ttl`` -> ``ttl``), or None."""
    suffix = path.suffix.lower()
    return next((name for name, f in FORMATS.items() if f["extension"] == suffix), None)


# -- N-Triples -------------------------------------------------------------------------
_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _nt_iri(iri: str) -> str:
    if _IRI_BAD.search(iri):
        iri = _IRI_BAD.sub(lambda m: f"\\u{ord(m.group()):04X}", iri)
    return f"<{iri}>"


def nt_term(node: Node) -> str:
    """A term in N-Triples syntax."""
    if isinstance(node, URIRef):
        return _nt_iri(str(node))
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        text = '"' + str(node).translate(_NT_ESCAPES) + '"'
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype and node.datatype != XSD.string:
            return f"{text}^^{_nt_iri(str(node.datatype))}"
        return text
    raise TypeError(f"not an RDF term: {node!r}")


def ntriples_lines(triples: Iterable[Triple]) -> list[str]:
    """The distinct triples as sorted N-Triples lines (with their newline)."""
    cache: dict[Node, str] = {}

    def term(node: Node) -> str:
        text = cache.get(node)
        if text is None:
            text = cache[node] = nt_term(node)
        return text

    return sorted({f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples})


def write_ntriples(triples: Iterable[Triple], out: IO[str]) -> int:
    lines = ntriples_lines(triples)
    out.writelines(lines)
    return len(lines)


# -- JSON-LD ---------------------------------------------------------------------------
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
            # An absolute IRI whose scheme happens to be a prefix would be misread: keep it
            # only if it cannot be taken for a compact IRI.
            if text == iri and iri.split(":", 1)[0] in self._terms:
                raise ValueError(f"IRI {iri!r} would be read as a compact IRI; rename the prefix")
            self._cache[iri] = text
        return text

    def node_ref(self, node: Node) -> str:
        return f"_:{node}" if isinstance(node, BNode) else self.iri(str(node))

    def value(self, node: Node) -> Any:
        if isinstance(node, URIRef | BNode):
            return {"@id": self.node_ref(node)}
        assert isinstance(node, Literal)
        lexical = str(node)
        if node.language:
            return {"@language": node.language, "@value": lexical}
        if node.datatype is None or node.datatype == XSD.string:
            return lexical
        if node.datatype == XSD.integer and _CANONICAL_INT.match(lexical):
            return int(lexical)
        if node.datatype == XSD.boolean and lexical in ("true", "false"):
            return lexical == "true"
        return {"@type": self.iri(str(node.datatype)), "@value": lexical}


def jsonld_document(triples: Iterable[Triple], ctx: dict[str, Any] | None = None) -> dict[str, Any]:
    """A compacted JSON-LD document: ``{"@context": ..., "@graph": [node, ...]}``, sorted."""
    ctx = ctx if ctx is not None else context()
    compact = _Compactor(ctx)
    nodes: dict[Node, dict[Node, set[Node]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        nodes[s][p].add(o)
    graph = []
    for subject in sorted(nodes, key=nt_term):
        node: dict[str, Any] = {"@id": compact.node_ref(subject)}
        for predicate, objects in nodes[subject].items():
            ordered = sorted(objects, key=nt_term)
            if predicate == RDF.type and all(isinstance(o, URIRef) for o in ordered):
                values: list[Any] = [compact.iri(str(o)) for o in ordered]
                key = "@type"
            else:
                values = [compact.value(o) for o in ordered]
                key = compact.iri(str(predicate))
            node[key] = values[0] if len(values) == 1 else values
        graph.append(node)
    return {"@context": ctx, "@graph": graph}


def write_jsonld(triples: Iterable[Triple], out: IO[str], ctx: dict[str, Any] | None = None) -> int:
    distinct = set(triples)
    json.dump(jsonld_document(distinct, ctx), out, ensure_ascii=False, indent=1, sort_keys=True)
    out.write("\n")
    return len(distinct)


# -- TriG ------------------------------------------------------------------------------
def write_trig(quads: Iterable[Quad], out: IO[str], prefixes: dict[str, str] | None = None) -> int:
    """Write quads as TriG: the default graph first, then each named graph, all sorted.

    Returns the number of distinct triples over all graphs (a triple stated in two
    source documents sits in both graphs but counts once).
    """
    writer = TurtleWriter(prefixes)
    graphs: dict[URIRef | None, set[Triple]] = defaultdict(set)
    for graph, triple in quads:
        graphs[graph].add(triple)
    for prefix, ns in writer.prefixes.items():
        out.write(f"@prefix {prefix}: <{ns}> .\n")
    order = sorted(graphs, key=lambda g: "" if g is None else str(g))
    for graph in order:
        indent = "" if graph is None else "    "
        out.write("\n" if graph is None else f"\n{writer.term(graph)} {{\n")
        _write_block(writer, graphs[graph], out, indent)
        if graph is not None:
            out.write("}\n")
    return len(set().union(*graphs.values())) if graphs else 0


def _write_block(writer: TurtleWriter, triples: set[Triple], out: IO[str], indent: str) -> None:
    rows = sorted(
        ((writer.term(s), "a" if p == RDF.type else writer.term(p), writer.term(o)) for s, p, o in triples),
        key=lambda r: (r[0], 0 if r[1] == "a" else 1, r[1], r[2]),
    )
    subject = predicate = None
    for s, p, o in rows:
        if s != subject:
            if subject is not None:
                out.write(" .\n\n")
            out.write(f"{indent}{s}\n{indent}    {p} {o}")
            subject, predicate = s, p
        elif p != predicate:
            out.write(f" ;\n{indent}    {p} {o}")
            predicate = p
        else:
            out.write(f" ,\n{indent}        {o}")
    if subject is not None:
        out.write(" .\n")


def group_by_derivation(triples: Iterable[Triple]) -> list[Quad]:
    """Put each triple in the named graph of the source document(s) its subject came from.

    For a graph file, where the records (and so `Emitter.by_source`) are gone:
    * a subject with ``prov:wasDerivedFrom L`` goes to the graph of L's document
      (``L dcterms:isPartOf D``; L itself when it is a document);
    * a source document or location goes to its document's graph;
    * a part of a record (``{record}/{part}/{slug}``: a qualified party, a unit change,
      an attached document) goes where its record goes;
    * anything else (the shipped vocabularies) stays in the default graph.
    """
    triples = list(triples)
    part_of: dict[Node, Node] = {}
    documents: set[Node] = set()
    for s, p, o in triples:
        if p == DCTERMS.isPartOf:
            part_of[s] = o
        elif p == RDF.type and o == COOP.SourceDocument:
            documents.add(s)
    homes: dict[Node, set[URIRef]] = defaultdict(set)
    for s, p, o in triples:
        if p == PROV.wasDerivedFrom and isinstance(o, URIRef):
            homes[s].add(part_of.get(o, o))  # type: ignore[arg-type]
    for doc in documents:
        homes[doc].add(doc)  # type: ignore[arg-type]
    for loc, doc in part_of.items():
        if doc in documents:
            homes[loc].add(doc)  # type: ignore[arg-type]

    def home(subject: Node) -> set[URIRef]:
        found = homes.get(subject)
        if found:
            return found
        if isinstance(subject, URIRef):
            owner = str(subject)
            while owner.count("/") > 3:
                owner = owner.rsplit("/", 2)[0]
                found = homes.get(URIRef(owner))
                if found:
                    return found
        return set()

    quads: list[Quad] = []
    for triple in triples:
        graphs = home(triple[0])
        if graphs:
            quads.extend((g, triple) for g in sorted(graphs))
        else:
            quads.append((None, triple))
    return quads


# -- one entry point -------------------------------------------------------------------
def write(fmt: str, triples: list[Triple], out: IO[str], quads: Iterable[Quad] | None = None) -> int:
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
    ctx = context()
    return {k: v for k, v in ctx.items() if not k.startswith("@")} == PREFIXES


__all__ = [
    "FORMATS",
    "Quad",
    "context",
    "format_of",
    "group_by_derivation",
    "jsonld_document",
    "nt_term",
    "write",
    "write_jsonld",
    "write_ntriples",
    "write_trig",
]


# -- where the triples come from ---------------------------------------------------------
DEFAULT_GRAPH = Path("build") / "graph.ttl"


class Input:
    """The graph to export or publish: from a graph file, or built from sources.

    ``quads`` (for TriG) is set only when records were read: each record's triples in
    the named graph of each source document (`Emitter.by_source`), the shipped
    vocabularies in the default graph.
    """

    def __init__(self, triples: list[Triple], origin: str, quads: list[Quad] | None = None,
                 problems: list[Any] | None = None) -> None:
        self.triples = triples
        self.origin = origin
        self.quads = quads
        self.problems = problems or []


def read_graph_file(path: Path) -> list[Triple]:
    """Every triple of a graph file (any RDF syntax pyoxigraph reads), as rdflib terms."""
    from coopkg.store import open_graph

    return list(open_graph(path, "oxigraph").triples())


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
    quads: list[Quad] | None = None
    if with_quads:
        quads = [(g, t) for g, t in emitter.by_source()] + [(None, t) for t in vocabulary]
        triples = list({t for _, t in quads})
    else:
        triples = list(emitter.triples()) + vocabulary
    origin = "the bundled dataset" if not sources else ", ".join(str(s) for s in sources)
    return Input(triples, origin, quads, loaded.problems)
