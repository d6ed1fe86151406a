"""A DCAT-AP and VoID description of an exported graph, for data portals.

What a person decides (titles and descriptions in English and French, publisher,
licence, contact point, themes, keywords) sits in a Turtle template shipped in
``ontology/publishing/dataset.ttl``; a portal operator passes their own copy with
``--metadata``. What can be measured is computed from the triples:

* DCAT-AP: ``dct:temporal`` (the earliest and latest dates stated in the data),
  ``dct:spatial`` (the countries of the actors, as EU authority-table IRIs),
  ``dct:modified`` (an option, or the newest date of something that happened: a
  signature, a change, a start, a funding year — never the wall clock unless asked
  with ``today``), ``dct:issued`` (an option), and one ``dcat:Distribution`` per
  exported file with ``dcat:mediaType``, ``dct:format``, ``dcat:byteSize``, a SHA-256
  checksum, ``dcat:accessURL`` and ``dcat:downloadURL``;
* VoID: ``void:triples``, ``void:entities``, ``void:classPartition`` (entities per
  class), ``void:propertyPartition`` (triples per property), ``void:vocabulary`` and a
  ``void:Linkset`` counting ``skos:exactMatch`` links to Wikidata.

Everything is deterministic: the same triples and files give the same description.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from coopkg import resources
from coopkg.export import FORMATS, format_of, ox_triples
from coopkg.iris import IriMinter, slugify
from coopkg.records import PartialDate
from coopkg.vocab import COOP, DCAT, DCTERMS, FOAF, PREFIXES, RDF, SCHEMA, SKOS, VOID, WD, XSD

Triple = tuple[Node, Node, Node]

SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
IANA = "http://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
WIKIDATA_DATASET = URIRef("http://www.wikidata.org/")

DESCRIPTION_PREFIXES = {**PREFIXES, "spdx": str(SPDX), "vcard": str(VCARD)}

# Dates of things that happened: the newest one is the default dct:modified.
EVENT_DATES = (COOP.signatureDate, DCTERMS.date, SCHEMA.startDate, COOP.fundingYear)
_DATE_TYPES = {str(XSD.date): "day", str(XSD.gYearMonth): "month", str(XSD.gYear): "year"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def template_path() -> Path:
    return resources.folder("ontology") / "publishing" / "dataset.ttl"


@dataclass
class Distribution:
    """An exported file and where a portal will offer it."""

    path: Path
    url: str
    fmt: str | None = None

    def __post_init__(self) -> None:
        self.fmt = self.fmt or format_of(self.path)
        if self.fmt is None:
            raise ValueError(f"{self.path}: unknown export format (use .ttl, .nt, .jsonld or .trig)")


@dataclass
class Statistics:
    """What the description says about the graph, computed in one pass."""

    triples: int = 0
    classes: Counter[URIRef] = field(default_factory=Counter)
    properties: Counter[URIRef] = field(default_factory=Counter)
    entities: int = 0
    earliest: PartialDate | None = None
    latest: PartialDate | None = None
    newest_event: PartialDate | None = None
    countries: set[str] = field(default_factory=set)
    wikidata_links: int = 0
    namespaces: set[str] = field(default_factory=set)


def _date(literal: ox.Literal) -> PartialDate | None:
    if literal.datatype.value not in _DATE_TYPES:
        return None
    match = _DATE.match(literal.value)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    return PartialDate(year, month, day)  # type: ignore[arg-type]


def statistics(triples: Iterable[Any]) -> Statistics:
    """Counts, dates, countries and links of the graph (pyoxigraph or rdflib triples)."""
    stats = Statistics()
    typed: dict[str, set[object]] = defaultdict(set)
    properties: Counter[str] = Counter()
    rows = set(ox_triples(triples))
    stats.triples = len(rows)
    rdf_type, country, exact, wikidata = str(RDF.type), str(COOP.countryCode), str(SKOS.exactMatch), str(WD)
    events = {str(p) for p in EVENT_DATES}
    for t in rows:
        p, o = t.predicate.value, t.object
        properties[p] += 1
        if isinstance(o, ox.Literal):
            date = _date(o)
            if date is not None:
                if stats.earliest is None or date.earliest() < stats.earliest.earliest():
                    stats.earliest = date
                if stats.latest is None or date.latest() > stats.latest.latest():
                    stats.latest = date
                if p in events and (stats.newest_event is None or date.latest() > stats.newest_event.latest()):
                    stats.newest_event = date
            if p == country:
                stats.countries.add(o.value.upper())
        elif isinstance(o, ox.NamedNode):
            if p == rdf_type:
                typed[o.value].add(t.subject)
            elif p == exact and o.value.startswith(wikidata):
                stats.wikidata_links += 1
    stats.properties = Counter({URIRef(k): n for k, n in properties.items()})
    stats.classes = Counter({URIRef(cls): len(subjects) for cls, subjects in typed.items()})
    stats.entities = len({s for subjects in typed.values() for s in subjects if isinstance(s, ox.NamedNode)})
    known = sorted(PREFIXES.values(), key=len, reverse=True)
    for term in list(stats.properties) + list(stats.classes):
        ns = next((n for n in known if str(term).startswith(n)), None)
        if ns:
            stats.namespaces.add(ns)
    return stats


def _date_literal(date: PartialDate) -> Literal:
    datatype = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}[date.precision]
    return Literal(date.isoformat(), datatype=datatype)


def parse_day(text: str, today: dt.date | None = None) -> PartialDate:
    """An ISO date (2026, 2026-03 or 2026-03-01), or ``today`` (the only use of the clock)."""
    if text == "today":
        day = today or dt.date.today()
        return PartialDate(day.year, day.month, day.day)
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date (YYYY, YYYY-MM, YYYY-MM-DD or 'today')")
    year, month, day_ = (int(g) if g else None for g in match.groups())
    date = PartialDate(year, month, day_)  # type: ignore[arg-type]
    dt.date(*date.earliest())  # rejects 2026-13 or 2026-02-30
    return date


def country_iri(code: str) -> URIRef | None:
    """The EU authority-table IRI of an ISO 3166-1 alpha-2 code (FR -> .../country/FRA)."""
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper())
    return EU_COUNTRY[country.alpha_3] if country else None


def load_template(path: Path | None = None) -> tuple[Graph, URIRef]:
    """The hand-written metadata and the IRI of its one dcat:Dataset."""
    graph = Graph().parse(path or template_path(), format="turtle")
    datasets = sorted(s for s in graph.subjects(RDF.type, DCAT.Dataset) if isinstance(s, URIRef))
    if len(datasets) != 1:
        raise ValueError(f"{path or template_path()}: expected one dcat:Dataset with an IRI, found {len(datasets)}")
    return graph, datasets[0]


def describe(triples: Iterable[Any], distributions: list[Distribution] | None = None,
             metadata: Path | None = None, issued: PartialDate | None = None,
             modified: PartialDate | None = None, endpoint: str | None = None) -> list[Triple]:
    """The DCAT-AP + VoID description of the graph ``triples`` and its exported files."""
    template, dataset = load_template(metadata)
    stats = statistics(triples)
    out: list[Triple] = list(template)
    add = out.append
    part = IriMinter.part

    add((dataset, RDF.type, DCAT.Dataset))
    add((dataset, RDF.type, VOID.Dataset))
    if issued:
        add((dataset, DCTERMS.issued, _date_literal(issued)))
    modified = modified or stats.newest_event
    if modified:
        add((dataset, DCTERMS.modified, _date_literal(modified)))
    if stats.earliest and stats.latest:
        period = part(dataset, "temporal", "coverage")
        add((dataset, DCTERMS.temporal, period))
        add((period, RDF.type, DCTERMS.PeriodOfTime))
        add((period, DCAT.startDate, _date_literal(stats.earliest)))
        add((period, DCAT.endDate, _date_literal(stats.latest)))
    for code in sorted(stats.countries):
        iri = country_iri(code)
        if iri is not None:
            add((dataset, DCTERMS.spatial, iri))
            add((iri, RDF.type, DCTERMS.Location))
            add((iri, DCTERMS.identifier, Literal(code)))

    licence = template.value(dataset, DCTERMS.license)
    for dist in distributions or []:
        _distribution(dataset, dist, licence, out)

    # VoID statistics
    add((dataset, VOID.triples, Literal(stats.triples)))
    add((dataset, VOID.entities, Literal(stats.entities)))
    add((dataset, VOID.classes, Literal(len(stats.classes))))
    add((dataset, VOID.properties, Literal(len(stats.properties))))
    for ns in sorted(stats.namespaces):
        add((dataset, VOID.vocabulary, URIRef(ns)))
    if endpoint:
        add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    for cls, count in sorted(stats.classes.items()):
        node = _unique(part(dataset, "class", _curie(cls)), out)
        add((dataset, VOID.classPartition, node))
        add((node, VOID["class"], cls))
        add((node, VOID.entities, Literal(count)))
    for prop, count in sorted(stats.properties.items()):
        node = _unique(part(dataset, "property", _curie(prop)), out)
        add((dataset, VOID.propertyPartition, node))
        add((node, VOID.property, prop))
        add((node, VOID.triples, Literal(count)))
    linkset = part(dataset, "linkset", "wikidata")
    add((dataset, VOID.subset, linkset))
    add((linkset, RDF.type, VOID.Linkset))
    add((linkset, VOID.subjectsTarget, dataset))
    add((linkset, VOID.objectsTarget, WIKIDATA_DATASET))
    add((linkset, VOID.linkPredicate, SKOS.exactMatch))
    add((linkset, VOID.triples, Literal(stats.wikidata_links)))
    add((WIKIDATA_DATASET, RDF.type, VOID.Dataset))
    add((WIKIDATA_DATASET, DCTERMS.title, Literal("Wikidata", lang="en")))
    add((WIKIDATA_DATASET, VOID.uriSpace, Literal(str(WD))))
    add((WIKIDATA_DATASET, FOAF.homepage, URIRef("https://www.wikidata.org/")))
    return out


def _unique(node: URIRef, out: list[Triple]) -> URIRef:
    """``node``, or ``node-2``... when two terms differing only in case gave the same slug."""
    used = {t[0] for t in out}
    candidate, n = node, 1
    while candidate in used:
        n += 1
        candidate = URIRef(f"{node}-{n}")
    return candidate


def _curie(iri: Node) -> str:
    text = str(iri)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns):
            return f"{prefix}-{text[len(ns):]}"
    return slugify(text)


def _distribution(dataset: URIRef, dist: Distribution, licence: Node | None, out: list[Triple]) -> None:
    fmt = FORMATS[dist.fmt or ""]
    node = IriMinter.part(dataset, "distribution", dist.path.name)
    data = dist.path.read_bytes()
    checksum = IriMinter.part(node, "checksum", "sha256")
    url = URIRef(dist.url)
    out.extend([
        (dataset, DCAT.distribution, node),
        (node, RDF.type, DCAT.Distribution),
        (node, DCTERMS.title, Literal(dist.path.name)),
        (node, DCAT.accessURL, url),
        (node, DCAT.downloadURL, url),
        (node, DCAT.mediaType, URIRef(IANA + fmt["media_type"])),
        (node, DCTERMS["format"], EU_FILE_TYPE[fmt["eu_file_type"]]),
        (node, DCAT.byteSize, Literal(str(len(data)), datatype=XSD.nonNegativeInteger)),
        (node, SPDX.checksum, checksum),
        (checksum, RDF.type, SPDX.Checksum),
        (checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        (checksum, SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)),
        (dataset, VOID.dataDump, url),
    ])
    if licence is not None:
        out.append((node, DCTERMS.license, licence))


__all__ = ["Distribution", "Statistics", "describe", "load_template", "parse_day", "statistics", "template_path"]
