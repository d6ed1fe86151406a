"""Named graphs and Oxigraph's serialisers: TriG and N-Quads (one graph per source document,
grouped by ``prov:wasDerivedFrom`` for a graph file) and RDF/XML, on sorted input.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import IO, Any

import pyoxigraph as ox

from coopkg.export.convert import ox_triples, sorted_quads_counted, sorted_triples
from coopkg.export.formats import RDF_TYPE, Term
from coopkg.vocab import COOP, DCTERMS, PREFIXES, PROV


# -- TriG (pyoxigraph's streaming serialiser, on sorted input) -------------------------------
def _serialize(items: Sequence[ox.Triple] | Sequence[ox.Quad], out: IO[str], fmt: ox.RdfFormat,
               prefixes: dict[str, str] | None) -> None:
    data = ox.serialize(items, format=fmt, prefixes=dict(sorted((prefixes or PREFIXES).items())))
    out.write(data.decode("utf-8"))


def write_trig(quads: Iterable[Any], out: IO[str], prefixes: dict[str, str] | None = None) -> int:
    """Write quads as TriG; return the number of distinct triples over all graphs.

    (A triple stated in two source documents sits in both graphs but counts once.)
    """
    rows, distinct = sorted_quads_counted(quads)
    _serialize(rows, out, ox.RdfFormat.TRIG, prefixes)
    return distinct


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
    is_part_of, derived, rdf_type = str(DCTERMS.isPartOf), str(PROV.wasDerivedFrom), RDF_TYPE
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
def write_nquads(quads: Iterable[Any], out: IO[str]) -> int:
    """One line per distinct quad (the default graph first, then each named graph, sorted);
    return the number of distinct triples over all graphs."""
    rows, distinct_triples = sorted_quads_counted(quads)
    _serialize(rows, out, ox.RdfFormat.N_QUADS, None)
    return distinct_triples


def write_rdfxml(triples: Iterable[Any], out: IO[str], prefixes: dict[str, str] | None = None) -> int:
    """RDF/XML (Oxigraph's serialiser on the triples in N-Triples order: deterministic)."""
    rows = sorted_triples(triples)
    _serialize(rows, out, ox.RdfFormat.RDF_XML, prefixes)
    return len(rows)
