"""A graph as integer rows over its distinct terms, and its canonical order.

Why: a Python list of pyoxigraph triples costs ~400 bytes a triple (each triple owns
copies of its three strings), ~3.5 GB for the 8.5 million triples of a 120,000-partnership
atlas, and sorting it means building a Python string per triple. Here each distinct term
is held once and a triple is three int32 numbers (12 bytes), so the same graph fits in a
few hundred MB, and the canonical order is found by sorting the distinct terms' texts
once and then the rows as integers with numpy.

The canonical order is the order of the triples' N-Triples lines: a row is ranked by
(subject, predicate, object), each term by its N-Triples text. Sorting the terms and then
the rows gives the same order as sorting the lines, because a term's text never ends
where another's goes on with a character that sorts below the separating space (IRIs end
with ``>``, blank-node labels and literal suffixes have no space, and N-Triples escapes
every control character).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal
# Bits a row's sort key may use (int64, sign bit spared); tests lower it to force the
# three-column sort that larger graphs take.
KEY_BITS = 63


@dataclass
class Canonical:
    """The distinct rows of a table in N-Triples order.

    ``nt`` lists the N-Triples texts of the table's distinct terms, sorted: a term is
    known here by its rank in that list. ``s``, ``p``, ``o`` are the rows as ranks
    (int32), in N-Triples order, without repeats. ``ids`` maps a rank back to the
    table's index of the term (`term` gives the term itself).
    """

    nt: list[str]
    s: np.ndarray
    p: np.ndarray
    o: np.ndarray
    terms: list[Term]
    ids: np.ndarray

    def __len__(self) -> int:
        return len(self.s)

    def term(self, rank: int) -> Term:
        return self.terms[self.ids[rank]]

    def starting(self, prefix: str) -> range:
        """The ranks of the terms whose text starts with ``prefix`` (a run of ``nt``)."""
        lo = bisect_left(self.nt, prefix)
        return range(lo, bisect_left(self.nt, prefix[:-1] + chr(ord(prefix[-1]) + 1), lo))


class TripleTable:
    """Triples as three int32 columns (subject, predicate, object) over a list of terms.

    Rows may repeat (a file may state a triple twice); `canonical` drops the repeats.
    Iterating gives pyoxigraph triples, for code that wants them (slow at scale).
    """

    def __init__(self, terms: list[Term], s: np.ndarray, p: np.ndarray, o: np.ndarray) -> None:
        self.terms = terms
        self.s, self.p, self.o = s, p, o
        self._canonical: Canonical | None = None

    @classmethod
    def from_file(cls, path: Path | str, fmt: ox.RdfFormat | None = None) -> TripleTable:
        """Every triple of a graph file (any syntax Oxigraph reads; named graphs merged)."""
        return cls.from_triples(ox.parse(path=str(path), format=fmt))

    @classmethod
    def from_triples(cls, triples: Iterable[Any]) -> TripleTable:
        """From pyoxigraph triples or quads, or (s, p, o) tuples of rdflib or pyoxigraph terms."""
        if isinstance(triples, TripleTable):
            return triples
        ids: dict[Any, int] = {}
        terms: list[Term] = []
        columns = (array("i"), array("i"), array("i"))
        add_s, add_p, add_o = (c.append for c in columns)
        get = ids.get
        converted: dict[Any, Term] = {}

        def intern(term: Any) -> int:
            if not isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
                found = converted.get(term)
                if found is None:
                    from coopkg.store import to_ox

                    found = converted[term] = to_ox(term)
                term = found
            i = get(term)
            if i is None:
                i = ids[term] = len(terms)
                terms.append(term)
            return i

        for t in triples:
            if isinstance(t, ox.Triple | ox.Quad):
                # The common case (a parsed file), inlined: this loop runs once per triple.
                term = t.subject
                i = get(term)
                if i is None:
                    i = ids[term] = len(terms)
                    terms.append(term)
                add_s(i)
                term = t.predicate
                i = get(term)
                if i is None:
                    i = ids[term] = len(terms)
                    terms.append(term)
                add_p(i)
                term = t.object
                i = get(term)
                if i is None:
                    i = ids[term] = len(terms)
                    terms.append(term)
                add_o(i)
            else:
                add_s(intern(t[0]))
                add_p(intern(t[1]))
                add_o(intern(t[2]))
        s, p, o = (np.frombuffer(c, dtype=np.int32) if len(c) else np.zeros(0, np.int32) for c in columns)
        return cls(terms, s, p, o)

    def __len__(self) -> int:
        """Rows, repeats included (``len(table.canonical())`` counts distinct triples)."""
        return len(self.s)

    def __iter__(self) -> Iterator[ox.Triple]:
        terms = self.terms
        for s, p, o in zip(self.s.tolist(), self.p.tolist(), self.o.tolist(), strict=True):
            yield ox.Triple(terms[s], terms[p], terms[o])  # type: ignore[arg-type]

    def subjects_with(self, predicate: str, obj: str) -> np.ndarray:
        """The distinct subjects (term indices) of the rows ``s <predicate> <obj>`` (two IRIs).

        Only the few distinct predicates, then the distinct objects of that predicate, are
        compared as terms: no dictionary of every term, no triple made per row."""
        m = len(self.terms)
        p = next((i for i in distinct(self.p, size=m).tolist() if self.terms[i] == ox.NamedNode(predicate)), None)
        if p is None:
            return np.zeros(0, dtype=np.int32)
        rows = self.p == p
        o = next((i for i in distinct(self.o[rows], size=m).tolist() if self.terms[i] == ox.NamedNode(obj)), None)
        if o is None:
            return np.zeros(0, dtype=np.int32)
        return distinct(self.s[rows & (self.o == o)], size=m).astype(np.int32)

    def canonical(self) -> Canonical:
        """The distinct rows in N-Triples order (computed once, then kept)."""
        if self._canonical is None:
            self._canonical = _canonical(self)
        return self._canonical


def as_table(triples: Iterable[Any]) -> TripleTable:
    return triples if isinstance(triples, TripleTable) else TripleTable.from_triples(triples)


def distinct(*columns: np.ndarray, size: int) -> np.ndarray:
    """The distinct values of int columns whose values are below ``size``, ascending.

    (A mask, not np.unique: this is linear, and np.unique is slow on large int arrays.)
    """
    seen = np.zeros(size, dtype=bool)
    for column in columns:
        seen[column] = True
    return np.flatnonzero(seen)


def _canonical(table: TripleTable) -> Canonical:
    texts = list(map(str, table.terms))
    m = len(texts)
    ids = np.asarray(sorted(range(m), key=texts.__getitem__), dtype=np.int32)  # rank -> index
    by_index = np.empty(m, dtype=object)
    by_index[:] = texts
    nt = by_index[ids].tolist()
    del texts, by_index
    rank = np.empty(m, dtype=np.int32)  # index -> rank
    rank[ids] = np.arange(m, dtype=np.int32)
    # Predicates are few: numbered among themselves they take a few bits, so one int64
    # (subject rank, predicate number, object rank) holds a whole row, and one sort of
    # those numbers orders the rows. Bit fields, not products: decoding is shifts and masks.
    predicates = np.sort(rank[distinct(table.p, size=m)])  # their ranks, in text order
    number = np.zeros(m, dtype=np.int64)  # index -> predicate number
    number[ids[predicates]] = np.arange(len(predicates))
    term_bits, predicate_bits = max(m - 1, 1).bit_length(), max(len(predicates) - 1, 1).bit_length()
    if 2 * term_bits + predicate_bits <= KEY_BITS:
        key = rank[table.s].astype(np.int64) << (term_bits + predicate_bits)
        key |= number[table.p] << term_bits
        key |= rank[table.o]
        key.sort()
        key = key[_starts(key)]
        o = (key & ((1 << term_bits) - 1)).astype(np.int32)
        p = predicates[(key >> term_bits) & ((1 << predicate_bits) - 1)]
        key >>= term_bits + predicate_bits
        s = key.astype(np.int32)
    else:  # too many terms for one 64-bit key: sort by three columns
        rs, rp, ro = rank[table.s], rank[table.p], rank[table.o]
        perm = np.lexsort((ro, rp, rs))
        rs, rp, ro = rs[perm], rp[perm], ro[perm]
        keep = _starts(rs) | _starts(rp) | _starts(ro)
        s, p, o = rs[keep], rp[keep], ro[keep]
    return Canonical(nt, s, p, o, table.terms, ids)


def _starts(column: np.ndarray) -> np.ndarray:
    """True where a value differs from the one before (the first: True)."""
    out = np.ones(len(column), dtype=bool)
    out[1:] = column[1:] != column[:-1]
    return out


__all__ = ["Canonical", "TripleTable", "as_table", "distinct"]
