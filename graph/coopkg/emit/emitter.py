"""`Emitter`: every record kind's triples, and the whole graph's, as Turtle text or rdflib terms."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from coopkg.emit.actors import ActorEmitter
from coopkg.emit.agreements import AgreementEmitter
from coopkg.emit.base import EmitOptions
from coopkg.emit.changes import ReorganizationEmitter
from coopkg.emit.fundings import FundingEmitter
from coopkg.emit.provenance import ProvenanceEmitter
from coopkg.records import AnyRecord, Contact
from coopkg.terms import TextTriple

Triple = tuple[Node, Node, Node]


@dataclass
class Emitter(ActorEmitter, AgreementEmitter, FundingEmitter, ReorganizationEmitter, ProvenanceEmitter):
    """Turns records into triples. Keys are resolved to IRIs through the actor index.

    Triples are made as Turtle text (`text_triples`, `coopkg.terms`): that is what
    `coopkg build` sorts, writes and loads into Oxigraph. `triples` gives the same
    triples as rdflib terms for callers that script against rdflib.
    """

    # -- the whole graph --------------------------------------------------------
    def text_triples(self) -> Iterator[TextTriple]:
        """Every triple of the records (and of the source lines they cite), as Turtle text."""
        for record in self.records:
            yield from self.record_triples(record)
        yield from self.source_triples()

    def drain_text_triples(self) -> Iterator[TextTriple]:
        """`text_triples`, letting go of each record once emitted (the list ends empty).

        For one-shot builds: at 120,000 partnerships the records take ~1.5 GB that the
        triples no longer need.
        """
        records = self.records
        for index in range(len(records)):
            record = records[index]
            records[index] = None  # type: ignore[call-overload]
            yield from self.record_triples(record)
        records.clear()
        yield from self.source_triples()

    def triples(self) -> Iterator[Triple]:
        """`text_triples` as rdflib terms."""
        to_rdflib = self._terms.triple_to_rdflib
        for triple in self.text_triples():
            yield to_rdflib(triple)

    def by_source(self) -> Iterator[tuple[URIRef | None, Triple]]:
        """(source document IRI, triple) pairs: the named-graph view used by TriG (None:
        the default graph, for the inference activities that no source states)."""
        to_rdflib = self._terms.triple_to_rdflib
        for record in self.records:
            triples = [to_rdflib(t) for t in self.record_triples(record)]
            docs = sorted({s.document for s in record.sources}) or ["unknown"]
            for doc in docs:
                graph = self.iris.document(doc)
                for triple in triples:
                    yield graph, triple
        activities = f"{self.iris.base}activity/"
        for text in self.source_triples():
            triple = to_rdflib(text)
            if str(triple[0]).startswith(activities):
                # an inference activity comes from no source: the default graph
                yield None, triple  # type: ignore[misc]
                continue
            # A location {document}/L12 lives in its document's graph (slugs are lower case).
            head, _, tail = str(triple[0]).rpartition("/L")
            yield (URIRef(head) if tail.isdigit() else triple[0]), triple  # type: ignore[misc]

    # -- one record -------------------------------------------------------------
    def record_triples(self, record: AnyRecord) -> list[TextTriple]:
        if isinstance(record, Contact) and not self.options.include_contacts:
            return []
        out: list[TextTriple] = []
        s = self._subject(record)
        self._describe(s, record, out)
        self._provenance(s, record, out)
        return out


def emit(records: Iterable[AnyRecord], options: EmitOptions | None = None) -> Iterator[Triple]:
    """All triples for ``records`` (store-agnostic)."""
    return Emitter(list(records), options or EmitOptions()).triples()
