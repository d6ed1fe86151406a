"""Collectivities, institutions, the relations between actors, and contact persons."""

from __future__ import annotations

import re

from coopkg.emit.base import EmitterBase
from coopkg.emit.text import (
    COOP,
    DCTERMS,
    FOAF,
    GEO,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    TIME,
    date_literal,
    name_key,
    plain_literal,
    text_literal,
    wkt_literal,
)
from coopkg.geo import point_wkt
from coopkg.records import Actor, Collectivity, Contact, Institution, Membership, PartialDate, Relation
from coopkg.terms import TextTriple
from coopkg.vocab import GEONAMES, WD

# "GeoNames 665087 (Timișoara, the county seat)": the point is GeoNames feature 665087's.
_GEONAMES_SOURCE = re.compile(r"^GeoNames (\d+)\b")

RELATION_PROPERTY = {
    "supported-by": COOP.supportedBy,
    "collaborates-with": COOP.collaboratesWith,
    "member-of": ORG.memberOf,
    "governs": COOP.governs,
}


# OWL-Time's position of an instant at the date's own precision (never a widened day)
_IN_XSD = {"day": TIME.inXSDDate, "month": TIME.inXSDgYearMonth, "year": TIME.inXSDgYear}


class ActorEmitter(EmitterBase):
    def _actor(self, s: str, a: Actor, out: list[TextTriple]) -> None:
        out.append((s, RDFS.label, text_literal(a.name)))
        out.append((s, SKOS.prefLabel, text_literal(a.name)))
        for alt in a.alt_names:
            out.append((s, SKOS.altLabel, text_literal(alt)))
        if a.country:
            out.append((s, COOP.countryCode, plain_literal(a.country.upper())))
        if a.part_of:
            out.append((s, COOP.partOf, self.ref(a.part_of)))
        if a.wikidata:
            out.append((s, SKOS.exactMatch, self._iri(str(WD[a.wikidata]))))
        if a.homepage:
            out.append((s, FOAF.homepage, self._iri(a.homepage)))
        if a.point:
            self._point(s, a, out)

    def _point(self, s: str, a: Actor, out: list[TextTriple]) -> None:
        # GeoSPARQL (OGC): a geometry node with its WKT, the form GIS tools and
        # GeoSPARQL stores (GraphDB, Jena, Virtuoso) read; its source said on the node.
        point = a.point
        assert point is not None
        g = self.part(s, "geometry", "point")
        out.append((s, GEO.hasGeometry, g))
        out.append((g, RDF.type, GEO.Geometry))
        out.append((g, GEO.asWKT, wkt_literal(point_wkt(point.latitude, point.longitude))))
        if point.source:
            out.append((g, DCTERMS.source, plain_literal(point.source)))
            geonames = _GEONAMES_SOURCE.match(point.source)
            if geonames:
                out.append((g, PROV.wasDerivedFrom, self._iri(f"{GEONAMES}{geonames.group(1)}/")))

    def _collectivity(self, s: str, c: Collectivity, out: list[TextTriple]) -> None:
        out.append((s, RDF.type, COOP.Collectivity))
        self._actor(s, c, out)
        # The name folded (no case, accents, punctuation) as a hidden label: the
        # duplicate-names shape joins on it, which stays linear at atlas scale where
        # comparing names pairwise does not.
        key = name_key(c.name.text)
        if key:
            out.append((s, SKOS.hiddenLabel, plain_literal(key)))
        if c.kind:
            out.append((s, COOP.collectivityKind, self.concept("collectivity-kind", c.kind)))
        for prop, value in ((COOP.inseeCode, c.insee), (COOP.sirutaCode, c.siruta), (COOP.nutsCode, c.nuts),
                            (COOP.isoSubdivisionCode, c.iso_code), (COOP.lauCode, c.lau)):
            if value:
                out.append((s, prop, plain_literal(value)))
        if c.geonames:  # identity kept as a link, like the Wikidata item (docs/identity.md)
            out.append((s, SKOS.exactMatch, self._iri(f"{GEONAMES}{c.geonames}/")))
        if c.council:
            out.append((s, COOP.councilName, text_literal(c.council)))
        if c.created:
            out.append((s, SCHEMA.foundingDate, date_literal(c.created)))
        if c.abolished:
            out.append((s, SCHEMA.dissolutionDate, date_literal(c.abolished)))

    def _institution(self, s: str, i: Institution, out: list[TextTriple]) -> None:
        out.append((s, RDF.type, COOP.Institution))
        self._actor(s, i, out)
        if i.kind:
            out.append((s, COOP.institutionKind, self.concept("institution-kind", i.kind)))
        for member in i.members:
            out.append((s, ORG.hasMember, self.ref(member)))
        self._themes(s, i.themes, [], out)
        if i.description:
            out.append((s, DCTERMS.description, plain_literal(i.description, i.description_lang)))

    def _relation(self, s: str, r: Relation, out: list[TextTriple]) -> None:
        # The link itself is what users query; the relation node carries its provenance.
        subject, obj = self.ref(r.subject), self.ref(r.object)
        out.append((subject, RELATION_PROPERTY[r.kind], obj))
        out.append((s, RDF.type, COOP.ActorRelation))
        out.append((s, RDF.subject, subject))
        out.append((s, RDF.predicate, RELATION_PROPERTY[r.kind]))
        out.append((s, RDF.object, obj))

    def _membership(self, s: str, m: Membership, out: list[TextTriple]) -> None:
        """A dated membership (W3C ORG) or territorial part-of, its time an OWL-Time interval
        (docs/time.md section 2, "Dated membership and part-of")."""
        member, whole = self.ref(m.member), self.ref(m.organization)
        if m.relation == "member":
            out.append((s, RDF.type, ORG.Membership))
            out.append((s, ORG.member, member))
            out.append((s, ORG.organization, whole))
            link = ORG.memberDuring
        else:
            out.append((s, RDF.type, COOP.TerritorialInclusion))
            out.append((s, COOP.part, member))
            out.append((s, COOP.whole, whole))
            link = TIME.hasTime
        if m.start is None and m.end is None and not m.attested:
            return  # nothing dated: no interval to say nothing about
        during = self.part(s, "interval", "during")
        out.append((s, link, during))
        out.append((during, RDF.type, TIME.Interval))
        if m.start is not None:
            out.append((during, TIME.hasBeginning, self._instant(during, "beginning", m.start, out)))
        if m.end is not None:
            out.append((during, TIME.hasEnd, self._instant(during, "end", m.end, out)))
        for day in sorted(set(m.attested), key=lambda d: (d.earliest(), d.latest())):
            out.append((during, TIME.inside, self._instant(during, "attested", day, out)))

    def _instant(self, during: str, role: str, d: PartialDate, out: list[TextTriple]) -> str:
        i = self.part(during, role, d.isoformat())
        out.append((i, RDF.type, TIME.Instant))
        out.append((i, _IN_XSD[d.precision], date_literal(d)))
        return i

    def _contact(self, s: str, c: Contact, out: list[TextTriple]) -> None:
        out.append((s, RDF.type, SCHEMA.Person))
        out.append((s, SCHEMA.name, plain_literal(c.name)))
        if c.organisation:
            out.append((s, SCHEMA.worksFor, self.ref(c.organisation, "institution")))
        if c.role:
            out.append((s, SCHEMA.jobTitle, plain_literal(c.role)))
        if c.email:
            out.append((s, SCHEMA.email, plain_literal(c.email)))
