"""Named graphs and Oxigraph's serialisers: TriG and N-Quads (one graph per source document,
grouped by ``prov:wasDerivedFrom`` for a graph file) and RDF/XML, on sorted input.

A graph file's quads are never held as a list of pyoxigraph quads (~400 bytes each, 3.5 GB
at 120,000 partnerships): `derived_quads` says, as integer rows over the table's canonical
order, which graph each triple goes to, and the writers stream those rows, as text
(N-Quads) or as quads made a chunk at a time and handed to Oxigraph's serialiser, which
writes as it reads (TriG, RDF/XML).
"""

from __future__ import annotations

import codecs
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
import pyoxigraph as ox

from coopkg.export.convert import sorted_quads_counted
from coopkg.export.formats import CHUNK, RDF_TYPE
from coopkg.export.rows import fill, object_array, write_parts
from coopkg.termtable import Canonical, as_table, distinct
from coopkg.vocab import COOP, DCTERMS, PREFIXES, PROV

_DEFAULT = -1  # the graph number of the default graph (it sorts first)


@dataclass
class QuadRows:
    """Quads as rows of a canonical table: entry i is the triple ``row[i]`` of ``c`` in the
    graph of rank ``graph[i]`` (`_DEFAULT`: the default graph), in output order (the default
    graph first, then each named graph by IRI; triples in N-Triples order within a graph)."""

    c: Canonical
    row: np.ndarray
    graph: np.ndarray

    def __len__(self) -> int:
        return len(self.row)

    def chunks(self) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        """(subject, predicate, object, graph) ranks, a chunk of entries at a time."""
        c = self.c
        for start in range(0, len(self.row), CHUNK):
            rows = self.row[start:start + CHUNK]
            yield c.s[rows], c.p[rows], c.o[rows], self.graph[start:start + CHUNK]

    def __iter__(self) -> Iterator[ox.Quad]:
        terms, ids = self.c.terms, self.c.ids
        default = ox.DefaultGraph()
        for s, p, o, g in self.chunks():
            graphs = [default if i < 0 else terms[i] for i in np.where(g < 0, -1, ids[np.maximum(g, 0)]).tolist()]
            for a, b, d, e in zip(ids[s].tolist(), ids[p].tolist(), ids[o].tolist(), graphs, strict=True):
                yield ox.Quad(terms[a], terms[b], terms[d], e)  # type: ignore[arg-type]


# -- TriG grouping for a graph file -----------------------------------------------------------
def derived_quads(triples: Iterable[Any]) -> QuadRows:
    """Put each triple in the named graph of the source document(s) its subject came from.

    For a graph file, where the records (and so `Emitter.by_source`) are gone:
    * a subject with ``prov:wasDerivedFrom L`` goes to the graph of L's document
      (``L dcterms:isPartOf D``; L itself when it is a document);
    * a source document or location goes to its document's graph;
    * a part of a record (``{record}/{part}/{slug}``: a qualified party, a unit change,
      an attached document) goes where its record goes;
    * anything else (the shipped vocabularies) stays in the default graph.

    (Read in the table's own row order, the file's, so that a subject part of two
    things is part of the last one stated, as when this read pyoxigraph triples.)
    """
    table = as_table(triples)
    c = table.canonical()
    terms, s_col, p_col, o_col = table.terms, table.s, table.p, table.o
    by_value = {terms[i].value: i for i in distinct(p_col, size=len(terms)).tolist()}
    is_part_of, derived, rdf_type = (by_value.get(str(DCTERMS.isPartOf)), by_value.get(str(PROV.wasDerivedFrom)),
                                     by_value.get(RDF_TYPE))

    def rows(predicate: int | None) -> tuple[list[int], list[int]]:
        if predicate is None:
            return [], []
        keep = p_col == predicate
        return s_col[keep].tolist(), o_col[keep].tolist()

    part_of: dict[int, int] = dict(zip(*rows(is_part_of), strict=True))
    documents: set[int] = set()
    typed_s, typed_o = rows(rdf_type)
    source_document = next((i for i in set(typed_o) if terms[i] == ox.NamedNode(str(COOP.SourceDocument))), None)
    if source_document is not None:
        documents = {s for s, o in zip(typed_s, typed_o, strict=True) if o == source_document}
    homes: dict[int, set[int]] = defaultdict(set)
    for s, o in zip(*rows(derived), strict=True):
        if isinstance(terms[o], ox.NamedNode):
            homes[s].add(part_of.get(o, o))
    for doc in documents:
        homes[doc].add(doc)
    for loc, doc in part_of.items():
        if doc in documents:
            homes[loc].add(doc)
    by_iri = {terms[i].value: i for i in homes if isinstance(terms[i], ox.NamedNode)}

    def home(subject: int) -> set[int]:
        found = homes.get(subject)
        if found:
            return found
        term = terms[subject]
        if isinstance(term, ox.NamedNode):
            owner = term.value
            while owner.count("/") > 3:
                owner = owner.rsplit("/", 2)[0]
                i = by_iri.get(owner)
                found = homes.get(i) if i is not None else None
                if found:
                    return found
        return set()

    # Each subject's graphs by rank: a graph's rank orders graphs as their IRIs' text does.
    rank = np.empty(len(terms), dtype=np.int32)
    rank[c.ids] = np.arange(len(terms), dtype=np.int32)
    subjects = distinct(c.s, size=len(terms))
    first = np.full(len(terms), _DEFAULT, dtype=np.int32)  # by subject rank
    more: dict[int, list[int]] = {}  # subject ranks in several graphs: their other graphs
    for subject, index in zip(subjects.tolist(), c.ids[subjects].tolist(), strict=True):
        graphs = home(index)
        if graphs:
            ranked = sorted(int(rank[g]) for g in graphs)
            first[subject] = ranked[0]
            if len(ranked) > 1:
                more[subject] = ranked[1:]
    row, graph = np.arange(len(c), dtype=np.int64), first[c.s]
    if more:
        several = np.zeros(len(terms), dtype=bool)
        several[list(more)] = True
        extra = [(r, g) for r in np.flatnonzero(several[c.s]).tolist() for g in more[int(c.s[r])]]
        row = np.concatenate([row, np.asarray([r for r, _ in extra], dtype=np.int64)])
        graph = np.concatenate([graph, np.asarray([g for _, g in extra], dtype=np.int32)])
    order = np.lexsort((row, graph))
    return QuadRows(c, row[order], graph[order])


def group_by_derivation(triples: Iterable[Any]) -> list[ox.Quad]:
    """`derived_quads` as pyoxigraph quads (a list: for small graphs)."""
    return list(derived_quads(triples))


# -- writing ---------------------------------------------------------------------------------
class _Utf8Sink:
    """A binary writer over a text stream, for Oxigraph's serialiser, which writes bytes as
    it goes (a UTF-8 character may be split between two writes)."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._decode = codecs.getincrementaldecoder("utf-8")().decode
        self._parts: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self._size += len(data)
        if self._size >= 1 << 20:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._parts:
            self._out.write(self._decode(b"".join(self._parts)))
            self._parts, self._size = [], 0

    def close(self) -> None:
        self.flush()
        self._out.write(self._decode(b"", final=True))


def _serialize(items: Iterable[ox.Triple] | Iterable[ox.Quad], out: IO[str], fmt: ox.RdfFormat,
               prefixes: dict[str, str] | None) -> None:
    """Oxigraph's serialiser, streaming: to the text file's own buffer when it is UTF-8."""
    chosen = dict(sorted((prefixes or PREFIXES).items()))
    buffer = getattr(out, "buffer", None)
    if buffer is not None and codecs.lookup(getattr(out, "encoding", None) or "ascii").name == "utf-8":
        out.flush()
        ox.serialize(items, buffer, format=fmt, prefixes=chosen)
        buffer.flush()
        return
    sink = _Utf8Sink(out)
    ox.serialize(items, sink, format=fmt, prefixes=chosen)
    sink.close()


def _quad_rows(quads: Iterable[Any] | QuadRows) -> tuple[QuadRows | Sequence[ox.Quad], int]:
    if isinstance(quads, QuadRows):
        return quads, len(quads.c)
    return sorted_quads_counted(quads)


def write_trig(quads: Iterable[Any] | QuadRows, out: IO[str], prefixes: dict[str, str] | None = None) -> int:
    """Write quads as TriG; return the number of distinct triples over all graphs.

    (A triple stated in two source documents sits in both graphs but counts once.)
    """
    rows, count = _quad_rows(quads)
    _serialize(rows, out, ox.RdfFormat.TRIG, prefixes)
    return count


def write_nquads(quads: Iterable[Any] | QuadRows, out: IO[str]) -> int:
    """One line per distinct quad (the default graph first, then each named graph, sorted);
    return the number of distinct triples over all graphs.

    Rows of a table are written as text (the N-Triples text of each term, as Oxigraph's
    N-Quads serialiser writes it); other quads go through that serialiser."""
    rows, count = _quad_rows(quads)
    if not isinstance(rows, QuadRows):
        _serialize(rows, out, ox.RdfFormat.N_QUADS, None)
        return count
    c = rows.c
    nt = object_array(len(c.nt))
    nt[:] = c.nt
    middle = object_array(len(c.nt))  # " <predicate> " for the few predicates
    predicates = distinct(c.p, size=len(c.nt))
    fill(middle, predicates, [f" {c.nt[i]} " for i in predicates.tolist()])
    ends = object_array(len(c.nt) + 1)  # " <graph> .\n" for the graphs, " .\n" for the default
    graphs = distinct(rows.graph[rows.graph >= 0], size=len(c.nt))
    fill(ends, graphs, [f" {c.nt[i]} .\n" for i in graphs.tolist()])
    ends[-1] = " .\n"
    for s, p, o, g in rows.chunks():
        write_parts(out, nt[s], middle[p], nt[o], ends[g])  # (-1, the default graph, is the last)
    return count


def write_rdfxml(triples: Iterable[Any], out: IO[str], prefixes: dict[str, str] | None = None) -> int:
    """RDF/XML (Oxigraph's serialiser on the triples in N-Triples order: deterministic)."""
    c = as_table(triples).canonical()
    _serialize(_triples(c), out, ox.RdfFormat.RDF_XML, prefixes)
    return len(c)


def _triples(c: Canonical) -> Iterator[ox.Triple]:
    terms, ids = c.terms, c.ids
    for start in range(0, len(c), CHUNK):
        rows = slice(start, start + CHUNK)
        for a, b, d in zip(ids[c.s[rows]].tolist(), ids[c.p[rows]].tolist(), ids[c.o[rows]].tolist(), strict=True):
            yield ox.Triple(terms[a], terms[b], terms[d])  # type: ignore[arg-type]


__all__ = ["QuadRows", "derived_quads", "group_by_derivation", "write_nquads",
           "write_rdfxml", "write_trig"]
