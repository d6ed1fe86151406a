"""A SPARQL endpoint as a read-only `Store`: validation and the network run where the graph
was published (`coopkg validate --endpoint`, `coopkg network --endpoint`), with no local copy.

Every query goes to the endpoint (SPARQL 1.1 protocol, JSON results, POST) through
`coopkg.query.EndpointRunner`, so the same engines answer as for `coopkg query
--endpoint`: Oxigraph, Fuseki, Virtuoso, GraphDB. Nothing is ever written there.

What validation adds to a graph (`coopkg.validate.prepare`) cannot be written to someone
else's store. The ontology's class hierarchy (``rdfs:subClassOf``, which SHACL reads from
the data graph for ``sh:targetClass`` and ``sh:class``) is kept here instead and joined
to the one query that reads it: a plain SELECT of ``rdfs:subClassOf`` pairs, answered by
both. Any other triple the graph would need (the SKOS schemes, when the published graph
lacks them) is refused with a message: publish the graph `coopkg build` wrote, which holds them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import RDFS
from rdflib.term import Node

from coopkg.query import EndpointRunner
from coopkg.store import Cell, QueryResult, SelectResult, Store, Triple, from_triples

_SUBCLASS_PAIRS = re.compile(
    r"^\s*SELECT\s+\?(\w+)\s+\?(\w+)\s+WHERE\s*\{\s*\?\1\s+<" + re.escape(str(RDFS.subClassOf)) + r">\s+\?\2\s*\.?\s*\}\s*$",
    re.IGNORECASE)


class RemoteGraphError(RuntimeError):
    """The endpoint's graph lacks what a local graph would be given."""


class EndpointStore(Store):
    """A remote SPARQL endpoint, read-only; ``default_graphs`` are queried as the default graph."""

    engine = "endpoint"

    def __init__(self, url: str, default_graphs: tuple[str, ...] = (), timeout: float = 300.0) -> None:
        self.url = url
        self.runner = EndpointRunner(url, timeout=timeout, default_graphs=default_graphs)
        self.hierarchy: set[Triple] = set()

    def add_triples(self, triples: Iterable[Triple]) -> None:
        triples = list(triples)
        foreign = [t for t in triples if t[1] != RDFS.subClassOf]
        if foreign:
            raise RemoteGraphError(
                f"{self.url}: the graph there lacks {len(foreign)} triple(s) validation needs (e.g. "
                f"{' '.join(t.n3() for t in foreign[0])}): publish the graph.ttl that `coopkg build` wrote, "
                "which holds the vocabularies")
        self.hierarchy.update(triples)

    def load_file(self, path: Path) -> None:
        raise RemoteGraphError(f"{self.url}: an endpoint is read-only here; publish with `coopkg publish`")

    def query(self, sparql: str, bindings: dict[str, Node | Cell] | None = None) -> QueryResult:
        answer = self.runner.run(sparql, bindings or {})
        if self.hierarchy and isinstance(answer, SelectResult) and not bindings:
            match = _SUBCLASS_PAIRS.match(sparql)
            if match and tuple(answer.variables) == match.groups():
                local = from_triples(self.hierarchy).query(sparql)
                assert isinstance(local, SelectResult)
                seen = set(answer.rows)
                answer.rows.extend(row for row in local.rows if row not in seen)
        return answer

    def __len__(self) -> int:
        answer = self.runner.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {})
        return int(answer.rows[0][0]) if isinstance(answer, SelectResult) and answer.rows else 0

    def triples(self) -> Iterator[Triple]:
        raise RemoteGraphError(f"{self.url}: the graph is not copied from an endpoint (use the fast engine)")


__all__ = ["EndpointStore", "RemoteGraphError"]
