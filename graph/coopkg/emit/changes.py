"""Administrative reorganisations as W3C ORG means them (docs/time.md section 3).

A reform (`coop:Reorganization`, a prov:Activity) has one ``org:ChangeEvent`` per
change (`coopkg.emit.timeline.change_events`): a merger's originals are the merged
units and its result the new one, never the other way round; each event is dated.
The per-unit qualification (`coop:UnitChange`) is kept and is part of its event.
"""

from __future__ import annotations

from coopkg.emit.base import EmitterBase
from coopkg.emit.text import COOP, DCTERMS, ORG, RDF, RDFS, date_literal, plain_literal, text_literal
from coopkg.records import Reorganization
from coopkg.terms import TextTriple


class ReorganizationEmitter(EmitterBase):
    def _reorganization(self, s: str, r: Reorganization, out: list[TextTriple]) -> None:
        out.append((s, RDF.type, COOP.Reorganization))
        out.append((s, RDFS.label, text_literal(r.title)))
        when = date_literal(r.date)
        out.append((s, DCTERMS.date, when))
        if r.country:
            out.append((s, COOP.countryCode, plain_literal(r.country.upper())))
        if r.legal_basis:
            out.append((s, COOP.legalBasis, plain_literal(r.legal_basis)))
        if r.description:
            out.append((s, DCTERMS.description, text_literal(r.description)))
        event_of: dict[str, str] = {}
        for event in self.time.events.get(r.key, []):
            e = self.part(s, "event", event.slug)
            out.append((s, DCTERMS.hasPart, e))
            out.append((e, RDF.type, ORG.ChangeEvent))
            out.append((e, DCTERMS.isPartOf, s))
            out.append((e, DCTERMS.date, when))
            out.append((e, COOP.changeKind, self.concept("change-kind", event.kind)))
            for unit in event.originals:
                original = self.ref(unit)
                out.append((e, ORG.originalOrganization, original))
                out.append((original, ORG.changedBy, e))
            for unit in event.results:
                result = self.ref(unit)
                out.append((e, ORG.resultingOrganization, result))
                out.append((result, ORG.resultedFrom, e))
            for unit in event.units:
                event_of[unit] = e
        for change in r.changes:
            unit = self.ref(change.unit)
            c = self.part(s, "change", change.unit)
            out.append((s, COOP.unitChange, c))
            out.append((c, RDF.type, COOP.UnitChange))
            out.append((c, COOP.unit, unit))
            out.append((c, COOP.changeKind, self.concept("change-kind", change.change)))
            if change.unit in event_of:
                out.append((c, DCTERMS.isPartOf, event_of[change.unit]))
            for succ in change.successors:
                successor = self.ref(succ)
                out.append((c, COOP.successor, successor))
                out.append((successor, COOP.predecessor, unit))
