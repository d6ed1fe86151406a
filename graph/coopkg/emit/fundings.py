"""Projects, the programmes that fund or frame them, and fundings (who pays how much for what)."""

from __future__ import annotations

from coopkg.emit.lifetime import LifetimeEmitter
from coopkg.emit.text import (
    COOP,
    DCTERMS,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    date_literal,
    decimal_literal,
    plain_literal,
    text_literal,
)
from coopkg.records import Funding, Programme, Project
from coopkg.terms import TextTriple


class FundingEmitter(LifetimeEmitter):
    def _project(self, s: str, p: Project, out: list[TextTriple]) -> None:
        out.append((s, RDF.type, COOP.Project))
        self._lifetime(s, p, out)
        if p.partnership:
            out.append((s, COOP.partnership, self.record_text("partnership", p.partnership)))
        if p.agreement:
            out.append((s, COOP.underAgreement, self.record_text("agreement", p.agreement)))
        for actor in p.participants:
            out.append((s, COOP.participant, self.ref(actor)))
        if p.programme:
            out.append((s, COOP.programme, self.record_text("programme", p.programme)))
        if p.location:
            out.append((s, COOP.place, plain_literal(p.location)))
        if p.outcome:
            out.append((s, COOP.outcome, text_literal(p.outcome)))

    def _funding(self, s: str, f: Funding, out: list[TextTriple]) -> None:
        out.append((s, RDF.type, COOP.Funding))
        if f.funder:
            funder = self.ref(f.funder, "institution")
            out.append((s, COOP.funder, funder))
            out.append((funder, RDF.type, COOP.Funder))
        if f.funder_label:
            out.append((s, COOP.funderName, text_literal(f.funder_label)))
        out.append((s, COOP.amount, decimal_literal(f.amount)))
        out.append((s, COOP.currency, plain_literal(f.currency.upper())))
        if f.year:
            out.append((s, COOP.fundingYear, date_literal(f.year)))
        out.append((s, COOP.funds, self.ref(f.funds, "partnership")))
        if f.water_amount is not None:
            out.append((s, COOP.waterAmount, decimal_literal(f.water_amount)))

    def _programme(self, s: str, p: Programme, out: list[TextTriple]) -> None:
        out.append((s, RDF.type, COOP.Programme))
        out.append((s, RDFS.label, text_literal(p.name)))
        for alt in p.alt_names:
            out.append((s, SKOS.altLabel, text_literal(alt)))
        if p.operator:
            out.append((s, COOP.operator, self.ref(p.operator, "institution")))
        self._themes(s, p.themes, [], out)
        if p.start:
            out.append((s, SCHEMA.startDate, date_literal(p.start)))
        if p.end:
            out.append((s, SCHEMA.endDate, date_literal(p.end)))
        if p.description:
            out.append((s, DCTERMS.description, text_literal(p.description)))
