"""What partnerships, agreements and projects share: title, dates, status and end, themes,
documents, term; and the theme concepts themselves (`Theme` records)."""

from __future__ import annotations

from datetime import date

from coopkg.emit.base import RECORD_KIND, EmitterBase
from coopkg.emit.text import (
    COOP,
    DCTERMS,
    FOAF,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    date_literal,
    decimal_literal,
    integer_literal,
    plain_literal,
    text_literal,
)
from coopkg.intervals import Span
from coopkg.iris import slugify
from coopkg.records import Document, Lifetime, PartialDate, Term, Theme
from coopkg.terms import TextTriple
from coopkg.vocab import THEME


class LifetimeEmitter(EmitterBase):
    def _lifetime(self, s: str, r: Lifetime, out: list[TextTriple]) -> None:
        if r.title:
            out.append((s, DCTERMS.title, text_literal(r.title)))
            out.append((s, RDFS.label, text_literal(r.title)))
        if r.start:
            out.append((s, SCHEMA.startDate, date_literal(r.start)))
        if r.end:
            out.append((s, SCHEMA.endDate, date_literal(r.end)))
        if r.status:
            out.append((s, COOP.status, self.concept("status", r.status)))
        if r.end_reason:
            out.append((s, COOP.endReason, self.concept("end-reason", r.end_reason)))
        if r.reorganization:
            reorganization = self.record_text("reorganization", r.reorganization)
            out.append((s, COOP.endedBy, reorganization))
            # the change event of its own party (docs/time.md section 3)
            for slug in self.time.ended_by_changes(r):
                out.append((s, COOP.endedByChange, self.part(reorganization, "event", slug)))
        if r.taken_over is not None:
            out.append((s, COOP.takenOver, "true" if r.taken_over else "false"))
        if r.taken_over_by:
            out.append((s, COOP.takenOverBy, self.ref(r.taken_over_by)))
        for law in r.legal_basis:
            out.append((s, COOP.legalBasis, text_literal(law)))
        self._themes(s, r.themes, r.domains, out)
        if r.description:
            out.append((s, DCTERMS.description, text_literal(r.description)))
        for doc in r.documents:
            self._document(s, doc, out)
        span = self.time.span_of(RECORD_KIND[type(r)], r.key)
        if span is not None:
            self._span(s, span, out)

    def _span(self, s: str, span: Span, out: list[TextTriple]) -> None:
        """The lifetime the interval rule gives (docs/time.md section 2), marked as generated."""
        # a part of its record ({record}/{part}/{slug}), so exports keep it with the record
        life = self.part(s, "lifetime", "interval-rule")
        out.append((s, COOP.lifetime, life))
        out.append((life, PROV.wasGeneratedBy, self.activity("interval-rule")))
        out.append((life, COOP.earliestStart, _day(span.earliest_start)))
        out.append((life, COOP.certainStart, _day(span.certain_start)))
        if span.certain_end is not None:
            out.append((life, COOP.certainEnd, _day(span.certain_end)))
        if span.latest_end is not None:
            out.append((life, COOP.latestEnd, _day(span.latest_end)))
        out.append((life, COOP.startBasis, plain_literal(span.start_basis)))
        out.append((life, COOP.endBasis, plain_literal(span.end_basis)))

    def _document(self, s: str, doc: Document, out: list[TextTriple]) -> None:
        d = self.part(s, "document", doc.file or doc.title)
        out.append((s, COOP.document, d))
        out.append((d, RDF.type, FOAF.Document))
        out.append((d, DCTERMS.title, plain_literal(doc.title, doc.lang)))
        if doc.file:
            out.append((d, COOP.fileName, plain_literal(doc.file)))
        if doc.size_kb is not None:
            out.append((d, COOP.sizeKB, decimal_literal(doc.size_kb)))

    def _term(self, s: str, term: Term | None, out: list[TextTriple]) -> None:
        if term is None:
            return
        if term.years is not None:
            out.append((s, COOP.termYears, integer_literal(term.years)))
        if term.renewable_times is not None:
            out.append((s, COOP.maxRenewals, integer_literal(term.renewable_times)))
        if term.tacit_renewal:
            out.append((s, COOP.tacitRenewal, "true"))

    def _theme(self, s: str, t: Theme, out: list[TextTriple]) -> None:
        out.append((s, RDF.type, SKOS.Concept))
        out.append((s, SKOS.inScheme, self._iri(str(THEME).rstrip("/"))))
        for label in t.labels:
            out.append((s, SKOS.prefLabel, text_literal(label)))
        if t.broader:
            out.append((s, SKOS.broader, self._iri(str(THEME[slugify(t.broader)]))))


def _day(d: date) -> str:
    return date_literal(PartialDate(d.year, d.month, d.day))
