"""rdflib triples and quads as pyoxigraph ones (each distinct term converted once), and distinct
triples or quads in N-Triples order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from coopkg.export.formats import Term
from coopkg.store import to_ox
from coopkg.termtable import as_table


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
    """Distinct triples, sorted by their N-Triples text."""
    c = as_table(triples).canonical()
    term = c.term
    return [ox.Triple(term(s), term(p), term(o))  # type: ignore[arg-type]
            for s, p, o in zip(c.s.tolist(), c.p.tolist(), c.o.tolist(), strict=True)]


def sorted_quads_counted(quads: Iterable[Any]) -> tuple[list[ox.Quad], int]:
    """Distinct quads (the default graph first, then each named graph, triples sorted),
    and how many distinct triples they hold."""
    by_key: dict[tuple[str, str], ox.Quad] = {}
    for q in ox_quads(quads):
        graph = q.graph_name
        by_key[("" if isinstance(graph, ox.DefaultGraph) else "~" + str(graph), str(q.triple))] = q
    return [by_key[k] for k in sorted(by_key)], len({k[1] for k in by_key})


def sorted_quads(quads: Iterable[Any]) -> list[ox.Quad]:
    return sorted_quads_counted(quads)[0]
