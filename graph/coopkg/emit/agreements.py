"""Partnerships, the agreements that found or implement them, and their renewals and amendments."""

from __future__ import annotations

from coopkg.emit.lifetime import LifetimeEmitter
from coopkg.emit.text import COOP, DCTERMS, RDF, date_literal, text_literal
from coopkg.records import Agreement, AgreementChange, Partnership
from coopkg.terms import TextTriple
from coopkg.vocab import PROTOCOL_KINDS


class AgreementEmitter(LifetimeEmitter):
    def _partnership(self, s: str, p: Partnership, out: list[TextTriple]) -> None:
        out.append((s, RDF.type, COOP.Partnership))
        self._lifetime(s, p, out)
        for party in p.parties:
            out.append((s, COOP.party, self.ref(party)))
        if p.form:
            out.append((s, COOP.form, self.concept("agreement-kind", p.form)))
        self._term(s, p.term, out)

    def _agreement(self, s: str, a: Agreement, out: list[TextTriple]) -> None:
        out.append((s, RDF.type, COOP.Agreement))
        if a.kind:
            out.append((s, COOP.agreementKind, self.concept("agreement-kind", a.kind)))
            if a.kind in PROTOCOL_KINDS:
                out.append((s, RDF.type, COOP.Protocol))
        self._lifetime(s, a, out)
        for party in a.parties:
            actor = self.ref(party.actor)
            out.append((s, COOP.party, actor))
            if party.on_behalf_of:
                q = self.part(s, "party", party.actor)
                out.append((s, COOP.qualifiedParty, q))
                out.append((q, RDF.type, COOP.PartyRole))
                out.append((q, COOP.actor, actor))
                for member in party.on_behalf_of:
                    out.append((q, COOP.onBehalfOf, self.ref(member)))
        if a.partnership:
            out.append((s, COOP.partnership, self.record_text("partnership", a.partnership)))
        if a.signed:
            out.append((s, COOP.signatureDate, date_literal(a.signed)))
        self._term(s, a.term, out)
        if a.programme:
            out.append((s, COOP.programme, self.record_text("programme", a.programme)))
        if a.framework:
            out.append((s, COOP.implements, self.record_text("agreement", a.framework)))

    def _agreementchange(self, s: str, c: AgreementChange, out: list[TextTriple]) -> None:
        """A renewal or an amendment of an agreement."""
        out.append((s, RDF.type, COOP.Renewal if c.kind == "renewal" else COOP.Amendment))
        out.append((s, COOP.changes, self.record_text("agreement", c.agreement)))
        if c.date:
            out.append((s, DCTERMS.date, date_literal(c.date)))
        self._themes(s, c.themes, c.domains, out)
        if c.description:
            out.append((s, DCTERMS.description, text_literal(c.description)))
