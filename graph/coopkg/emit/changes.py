"""Administrative reorganisations: which units they abolished, merged or changed, and their successors (W3C ORG)."""

from __future__ import annotations

from coopkg.emit.base import EmitterBase
from coopkg.emit.text import COOP, DCTERMS, ORG, RDF, RDFS, date_literal, plain_literal, text_literal
from coopkg.records import Reorganization
from coopkg.terms import TextTriple


class ReorganizationEmitter(EmitterBase):
    def _reorganization(self, s: str, r: Reorganization, out: list[TextTriple]) -> None:
        out.append((s, RDF.type, COOP.Reorganization))
        out.append((s, RDFS.label, text_literal(r.title)))
        out.append((s, DCTERMS.date, date_literal(r.date)))
        if r.country:
            out.append((s, COOP.countryCode, plain_literal(r.country.upper())))
        if r.legal_basis:
            out.append((s, COOP.legalBasis, plain_literal(r.legal_basis)))
        if r.description:
            out.append((s, DCTERMS.description, text_literal(r.description)))
        for change in r.changes:
            unit = self.ref(change.unit)
            c = self.part(s, "change", change.unit)
            out.append((s, COOP.unitChange, c))
            out.append((c, RDF.type, COOP.UnitChange))
            out.append((c, COOP.unit, unit))
            out.append((c, COOP.changeKind, self.concept("change-kind", change.change)))
            out.append((s, ORG.originalOrganization, unit))
            for succ in change.successors:
                successor = self.ref(succ)
                out.append((c, COOP.successor, successor))
                out.append((s, ORG.resultingOrganization, successor))
                out.append((successor, COOP.predecessor, unit))
