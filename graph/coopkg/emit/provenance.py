"""Where each fact comes from: ``prov:wasDerivedFrom`` source lines, notes, contested values (claims).

Every record node gets ``prov:wasDerivedFrom`` the source locations it was read from
(``{base}source/{file}/L{line}``), each located in its document. A value that one
source states and another contradicts (a `Claim`) is emitted too, with a reified
``rdf:Statement`` saying which source made it, so nothing is picked silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from copy import copy

from rdflib.term import Node

from coopkg.emit.base import EmitterBase
from coopkg.emit.text import COOP, DCTERMS, PROV, RDF, RDFS, integer_literal, plain_literal
from coopkg.records import Claim, Record
from coopkg.terms import TextTriple


class ProvenanceEmitter(EmitterBase):
    def _provenance(self, s: str, record: Record, out: list[TextTriple]) -> None:
        for src in record.sources:
            out.append((s, PROV.wasDerivedFrom, self.location(src.document, src.line)))
        if record.note:
            out.append((s, RDFS.comment, plain_literal(record.note, record.note_lang)))
        for claim in record.claims:
            self._claim(s, record, claim, out)

    def _claim(self, s: str, record: Record, claim: Claim, out: list[TextTriple]) -> None:
        """Emit what a claimed value states beyond the record's own triples, reified."""
        own: list[TextTriple] = []
        claimed: list[TextTriple] = []
        self._describe(s, record, own)
        self._describe(s, _with_field(record, claim.field, claim.value), claimed)
        location = self.location(claim.source.document, claim.source.line)
        for triple in sorted(set(claimed) - set(own)):
            _, p, o = triple
            out.append(triple)
            stmt = self.part(s, "claim", f"{_local(self._terms.to_rdflib(p))}-{self._terms.to_rdflib(o)}-{claim.source}")
            out.extend(
                [
                    (stmt, RDF.type, RDF.Statement),
                    (stmt, RDF.subject, s),
                    (stmt, RDF.predicate, p),
                    (stmt, RDF.object, o),
                    (stmt, PROV.wasDerivedFrom, location),
                ]
            )

    def source_triples(self) -> Iterator[TextTriple]:
        """Describe each document and line that some record was derived from."""
        documents = sorted({doc for doc, _ in self._locations})
        for doc in documents:
            doc_iri = self.record_text("source", doc)
            yield doc_iri, RDF.type, COOP.SourceDocument
            yield doc_iri, DCTERMS.title, plain_literal(doc)
        for doc, line in sorted(self._locations, key=lambda dl: (dl[0], dl[1] or 0)):
            if line is None:
                continue
            loc = self.location(doc, line)
            yield loc, RDF.type, COOP.SourceLocation
            yield loc, DCTERMS.isPartOf, self.record_text("source", doc)
            yield loc, COOP.line, integer_literal(line)


def _with_field(record: Record, name: str, value: object) -> Record:
    """A shallow copy of ``record`` where ``name`` holds a claimed value instead."""
    shadow = copy(record)
    setattr(shadow, name, value)
    return shadow


def _local(iri: Node) -> str:
    """The local name of a property IRI ("…#endReason" -> "endReason")."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
