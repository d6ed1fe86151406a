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
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from coopkg import resources
from coopkg.export import FORMATS, format_of
from coopkg.iris import IriMinter, slugify
from coopkg.records import PartialDate
from coopkg.termtable import as_table, distinct
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
    """Counts, dates, countries and links of the graph (pyoxigraph or rdflib triples, or the
    export's triple table).

    Read from the table's distinct rows as integer columns: only the rows that say
    something here (typed literals of a date type, country codes, types, Wikidata links)
    are looked at one by one, so a graph of millions of triples costs seconds and no
    pyoxigraph triple per row."""
    stats = Statistics()
    c = as_table(triples).canonical()
    stats.triples = n = len(c)
    if not n:
        return stats
    nt = c.nt
    predicate_of = {rank: nt[rank][1:-1] for rank in distinct(c.p, size=len(nt)).tolist()}
    counts = np.bincount(c.p, minlength=len(nt))
    stats.properties = Counter({URIRef(iri): int(counts[rank]) for rank, iri in predicate_of.items()})
    by_iri = {iri: rank for rank, iri in predicate_of.items()}

    def rows_of(iri: str) -> np.ndarray:
        rank = by_iri.get(iri)
        return np.flatnonzero(c.p == rank) if rank is not None else np.zeros(0, dtype=np.int64)

    # dates: the distinct literals of a date type, each read once; rows in N-Triples order
    suffixes = tuple(f'"^^<{datatype}>' for datatype in _DATE_TYPES)
    literals = c.starting('"')
    dates: dict[int, PartialDate] = {}
    for rank in range(literals.start, literals.stop):
        if nt[rank].endswith(suffixes):
            date = _date(c.term(rank))  # type: ignore[arg-type]
            if date is not None:
                dates[rank] = date
    if dates:
        # every term of the table is in some row; between equal bounds the coarser date wins
        # (1994-05 rather than 1994-05-01: it says the whole month), whatever the row order
        stats.earliest = min(dates.values(), key=_earliest)
        stats.latest = max(dates.values(), key=_latest)
        is_date = np.zeros(len(nt), dtype=bool)
        is_date[list(dates)] = True
        dated = np.flatnonzero(is_date[c.o])
        events = np.zeros(len(nt), dtype=bool)
        events[[by_iri[str(p)] for p in EVENT_DATES if str(p) in by_iri]] = True
        happened = set(c.o[dated[events[c.p[dated]]]].tolist())
        if happened:
            stats.newest_event = max((dates[rank] for rank in happened), key=_latest)
    for rank in set(c.o[rows_of(str(COOP.countryCode))].tolist()):
        term = c.term(rank)
        if isinstance(term, ox.Literal):
            stats.countries.add(term.value.upper())
    typed = rows_of(str(RDF.type))
    iris = c.starting("<")
    is_iri = np.zeros(len(nt), dtype=bool)
    is_iri[iris.start:iris.stop] = True
    typed = typed[is_iri[c.o[typed]]]
    classes, subjects = c.o[typed], c.s[typed]
    for rank in distinct(classes, size=len(nt)).tolist():
        stats.classes[URIRef(nt[rank][1:-1])] = len(np.unique(subjects[classes == rank]))
    stats.entities = len(distinct(subjects[is_iri[subjects]], size=len(nt)))
    wikidata = c.starting(f"<{WD}")
    linked = c.o[rows_of(str(SKOS.exactMatch))]
    stats.wikidata_links = int(np.count_nonzero((linked >= wikidata.start) & (linked < wikidata.stop)))
    known = sorted(PREFIXES.values(), key=len, reverse=True)
    for term in list(stats.properties) + list(stats.classes):
        ns = next((n for n in known if str(term).startswith(n)), None)
        if ns:
            stats.namespaces.add(ns)
    return stats


_COARSER = {"year": 0, "month": 1, "day": 2}


def _earliest(date: PartialDate) -> tuple[tuple[int, int, int], int]:
    return date.earliest(), _COARSER[date.precision]


def _latest(date: PartialDate) -> tuple[tuple[int, int, int], int]:
    return date.latest(), -_COARSER[date.precision]


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
