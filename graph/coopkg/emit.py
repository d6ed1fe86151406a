"""Records -> triples. The one emitter every reader's records go through.

It knows nothing of stores: it yields each triple as three strings, the terms' Turtle
text (`coopkg.terms`), so the same triples can be written straight to graph.ttl, loaded
into Oxigraph, or turned into rdflib terms for rdflib's memory store.
Each record's triples are produced together (`record_triples`), which lets exports put
them in the named graph of each source the record came from.

Provenance: every record node gets ``prov:wasDerivedFrom`` the source locations it was
read from (``{base}source/{file}/L{line}``), each located in its document. A value that
one source states and another contradicts (a `Claim`) is emitted too, with a reified
``rdf:Statement`` saying which source made it, so nothing is picked silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from rdflib import URIRef
from rdflib.term import Node

from coopkg.iris import RECORD_KINDS, IriMinter, slugify
from coopkg.records import (
    Actor,
    Agreement,
    AgreementChange,
    AnyRecord,
    Claim,
    Collectivity,
    Contact,
    Document,
    Funding,
    Institution,
    Label,
    Lifetime,
    PartialDate,
    Partnership,
    Programme,
    Project,
    Record,
    Relation,
    Reorganization,
    SourceRef,
    Term,
    Theme,
)
from coopkg.terms import GRAPH_TERMS, TermText, TextTriple
from coopkg.vocab import (
    COOP,
    DCTERMS,
    FOAF,
    ORG,
    PROTOCOL_KINDS,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    THEME,
    WD,
    XSD,
)
from coopkg.vocabularies import fold

Triple = tuple[Node, Node, Node]

_T = GRAPH_TERMS


class _Names:
    """A namespace whose terms are Turtle text, made once each (``COOP.party`` -> "coop:party")."""

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        text = _T.iri(str(getattr(self._namespace, name)))
        setattr(self, name, text)
        return text


COOP, DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SCHEMA, SKOS = (  # type: ignore[assignment]
    _Names(ns) for ns in (COOP, DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SCHEMA, SKOS)
)

RECORD_KIND: dict[type, str] = {
    Collectivity: "collectivity",
    Institution: "institution",
    Partnership: "partnership",
    Agreement: "agreement",
    AgreementChange: "change",
    Project: "project",
    Funding: "funding",
    Reorganization: "reorganization",
    Programme: "programme",
    Relation: "relation",
    Contact: "contact",
}

RELATION_PROPERTY = {
    "supported-by": COOP.supportedBy,
    "collaborates-with": COOP.collaboratesWith,
    "member-of": ORG.memberOf,
    "governs": COOP.governs,
}

_DATE_TYPES = {"year": str(XSD.gYear), "month": str(XSD.gYearMonth), "day": str(XSD.date)}
_DECIMAL = str(XSD.decimal)
_INTEGER = str(XSD.integer)


@lru_cache(maxsize=65536)
def date_literal(date: PartialDate) -> str:
    """A date at its own precision: xsd:gYear, xsd:gYearMonth or xsd:date."""
    return _T.literal(date.isoformat(), datatype=_DATE_TYPES[date.precision])


def name_key(name: str) -> str:
    """"Județul Timiș" -> "judetultimis": what likely-duplicate names share."""
    return re.sub(r"[\W_]+", "", fold(name))


def decimal_literal(value: Decimal) -> str:
    """xsd:decimal in canonical form ("212000.0"), so equal amounts are equal terms everywhere."""
    text = format(Decimal(value), "f")
    if "." not in text:
        text += ".0"
    return _T.literal(text, datatype=_DECIMAL)


def text_literal(label: Label) -> str:
    return _T.literal(label.text, label.lang)


def plain_literal(text: str, lang: str | None = None) -> str:
    return _T.literal(text, lang)


def integer_literal(value: int) -> str:
    return _T.literal(str(int(value)), datatype=_INTEGER)


@dataclass
class EmitOptions:
    base: str | None = None
    include_contacts: bool = False


@dataclass
class Emitter:
    """Turns records into triples. Keys are resolved to IRIs through the actor index.

    Triples are made as Turtle text (`text_triples`, `coopkg.terms`): that is what
    `coopkg build` sorts, writes and loads into Oxigraph. `triples` gives the same
    triples as rdflib terms for callers that script against rdflib.
    """

    records: list[AnyRecord]
    options: EmitOptions = field(default_factory=EmitOptions)

    def __post_init__(self) -> None:
        self.iris = IriMinter(self.options.base) if self.options.base else IriMinter()
        # Actors and fundable things are referred to by key alone; the index says
        # which kind of record a key names, so the right IRI can be minted.
        self.kind_of: dict[str, str] = {}
        for record in self.records:
            kind = RECORD_KIND.get(type(record))
            if kind and kind not in {"relation", "contact"}:
                self.kind_of.setdefault(record.key, kind)
        self._locations: set[tuple[str, int | None]] = set()
        self._records: dict[tuple[str, str], str] = {}
        self._location_text: dict[tuple[str, int | None], str] = {}
        self._concepts: dict[tuple[str, str], str] = {}
        # rdflib terms, for callers that want them: cached per emitter, not for the process
        self._terms = TermText(GRAPH_TERMS.prefixes)
        # Record IRIs are {base}{kind}/{slug}: when no prefix can shorten those of a kind,
        # their text is made by concatenation (the base is checked, slugs are safe).
        self._plain_kinds: dict[str, str] = {}
        for kind in RECORD_KINDS:
            stem = self.iris.record_iri(kind, "x")[:-1]
            if not any(stem.startswith(ns) or ns.startswith(stem) for ns in _T.prefixes.values()):
                self._plain_kinds[kind] = "<" + stem

    # -- terms ------------------------------------------------------------------
    def _iri(self, iri: str) -> str:
        return _T.iri(iri)

    def record_text(self, kind: str, key: str) -> str:
        text = self._records.get((kind, key))
        if text is None:
            stem = self._plain_kinds.get(kind)
            if stem is not None:
                text = f"{stem}{slugify(key)}>"
            else:
                text = _T.iri(self.iris.record_iri(kind, key))
            self._records[(kind, key)] = text
        return text

    def ref(self, key: str, default_kind: str = "collectivity") -> str:
        return self.record_text(self.kind_of.get(key, default_kind), key)

    def concept(self, scheme: str, code: str) -> str:
        text = self._concepts.get((scheme, code))
        if text is None:
            text = self._concepts[(scheme, code)] = _T.iri(str(IriMinter.concept(scheme, code)))
        return text

    def location(self, document: str, line: int | None) -> str:
        text = self._location_text.get((document, line))
        if text is None:
            self._locations.add((document, line))
            if line is None:
                text = self.record_text("source", document)
            elif "source" in self._plain_kinds:
                text = f"{self.record_text('source', document)[:-1]}/L{int(line)}>"
            else:
                text = _T.iri(self.iris.location_iri(document, line))
            self._location_text[(document, line)] = text
        return text

    def part(self, owner: str, part: str, key: str) -> str:
        return _T.iri(f"{self._terms.to_rdflib(owner)}/{part}/{slugify(key)}")

    def _subject(self, record: AnyRecord) -> str:
        if isinstance(record, Theme):
            return self._iri(str(THEME[slugify(record.key)]))
        return self.record_text(RECORD_KIND[type(record)], record.key)

    def iri_of(self, record: AnyRecord) -> URIRef:
        return self._terms.to_rdflib(self._subject(record))  # type: ignore[return-value]

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

    def by_source(self) -> Iterator[tuple[URIRef, Triple]]:
        """(source document IRI, triple) pairs: the named-graph view used by TriG."""
        to_rdflib = self._terms.triple_to_rdflib
        for record in self.records:
            triples = [to_rdflib(t) for t in self.record_triples(record)]
            docs = sorted({s.document for s in record.sources}) or ["unknown"]
            for doc in docs:
                graph = self.iris.document(doc)
                for triple in triples:
                    yield graph, triple
        for text in self.source_triples():
            triple = to_rdflib(text)
            # A location {document}/L12 lives in its document's graph (slugs are lower case).
            head, _, tail = str(triple[0]).rpartition("/L")
            yield (URIRef(head) if tail.isdigit() else triple[0]), triple  # type: ignore[misc]

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

    # -- one record -------------------------------------------------------------
    def record_triples(self, record: AnyRecord) -> list[TextTriple]:
        if isinstance(record, Contact) and not self.options.include_contacts:
            return []
        out: list[TextTriple] = []
        s = self._subject(record)
        self._describe(s, record, out)
        self._provenance(s, record, out)
        return out

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

    def _describe(self, s: str, record: Record, out: list[TextTriple]) -> None:
        getattr(self, "_" + type(record).__name__.lower())(s, record, out)

    # -- shared pieces ------------------------------------------------------------
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
            out.append((s, COOP.endedBy, self.record_text("reorganization", r.reorganization)))
        self._themes(s, r.themes, r.domains, out)
        if r.description:
            out.append((s, DCTERMS.description, text_literal(r.description)))
        for doc in r.documents:
            self._document(s, doc, out)

    def _themes(self, s: str, themes: list[str], domains: list[Label], out: list[TextTriple]) -> None:
        for code in themes:
            out.append((s, COOP.theme, self.concept("theme", code)))
        for domain in domains:
            out.append((s, COOP.domain, text_literal(domain)))

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

    # -- one method per record class ------------------------------------------------
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
        for prop, value in ((COOP.inseeCode, c.insee), (COOP.sirutaCode, c.siruta), (COOP.nutsCode, c.nuts)):
            if value:
                out.append((s, prop, plain_literal(value)))
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
        out.append((s, RDF.type, COOP.Renewal if c.kind == "renewal" else COOP.Amendment))
        out.append((s, COOP.changes, self.record_text("agreement", c.agreement)))
        if c.date:
            out.append((s, DCTERMS.date, date_literal(c.date)))
        self._themes(s, c.themes, c.domains, out)
        if c.description:
            out.append((s, DCTERMS.description, text_literal(c.description)))

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

    def _theme(self, s: str, t: Theme, out: list[TextTriple]) -> None:
        out.append((s, RDF.type, SKOS.Concept))
        out.append((s, SKOS.inScheme, self._iri(str(THEME).rstrip("/"))))
        for label in t.labels:
            out.append((s, SKOS.prefLabel, text_literal(label)))
        if t.broader:
            out.append((s, SKOS.broader, self._iri(str(THEME[slugify(t.broader)]))))

    def _relation(self, s: str, r: Relation, out: list[TextTriple]) -> None:
        # The link itself is what users query; the relation node carries its provenance.
        subject, obj = self.ref(r.subject), self.ref(r.object)
        out.append((subject, RELATION_PROPERTY[r.kind], obj))
        out.append((s, RDF.type, COOP.ActorRelation))
        out.append((s, RDF.subject, subject))
        out.append((s, RDF.predicate, RELATION_PROPERTY[r.kind]))
        out.append((s, RDF.object, obj))

    def _contact(self, s: str, c: Contact, out: list[TextTriple]) -> None:
        out.append((s, RDF.type, SCHEMA.Person))
        out.append((s, SCHEMA.name, plain_literal(c.name)))
        if c.organisation:
            out.append((s, SCHEMA.worksFor, self.ref(c.organisation, "institution")))
        if c.role:
            out.append((s, SCHEMA.jobTitle, plain_literal(c.role)))
        if c.email:
            out.append((s, SCHEMA.email, plain_literal(c.email)))


def _with_field(record: Record, name: str, value: object) -> Record:
    """A shallow copy of ``record`` where ``name`` holds a claimed value instead."""
    from copy import copy

    shadow = copy(record)
    setattr(shadow, name, value)
    return shadow


def _local(iri: Node) -> str:
    """The local name of a property IRI ("…#endReason" -> "endReason")."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def emit(records: Iterable[AnyRecord], options: EmitOptions | None = None) -> Iterator[Triple]:
    """All triples for ``records`` (store-agnostic)."""
    return Emitter(list(records), options or EmitOptions()).triples()


__all__ = ["EmitOptions", "Emitter", "SourceRef", "TextTriple", "Triple", "date_literal", "emit"]
