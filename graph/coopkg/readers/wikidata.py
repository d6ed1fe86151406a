"""Wikidata "twinned administrative body" (P190) statements -> collectivities and partnerships.

The statements are fetched with SPARQLWrapper from a configurable endpoint (Wikidata's
query service, a mirror, or a local store holding Wikidata-shaped triples: wd:, wdt:,
p:, ps:, pq:, pqv:). Each pair of collectivities becomes ONE partnership (form twinning),
whether both items name each other (symmetric) or only one does (one-way: counted and
reported). Start/end come from the P580/P582 qualifiers at their precision; when the
two directions disagree, the first is kept and the other becomes a claim. Provenance:
every record is derived from the entity IRIs of the items that state it; collectivities
carry their QID (emitted as skos:exactMatch).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from coopkg import resources
from coopkg.geo import parse_point
from coopkg.normalise.dates import DateError, timestamp_date
from coopkg.normalise.keys import partnership_key
from coopkg.normalise.names import Gazetteer, Match
from coopkg.records import AnyRecord, Claim, Collectivity, Label, PartialDate, Partnership, Point, SourceRef

NAME = "wikidata"
WD = "http://www.wikidata.org/entity/"
PUBLIC_ENDPOINT = "https://query.wikidata.org/sparql"
LANGS = ("fr", "ro", "en")
PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX pqv: <http://www.wikidata.org/prop/qualifier/value/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_QID = re.compile(r"^Q[1-9]\d*$")
_COUNTRY_LANG = {"FR": "fr", "RO": "ro", "MD": "ro", "BE": "fr", "TN": "fr", "MA": "fr", "SN": "fr", "BF": "fr"}


class WikidataError(RuntimeError):
    """The endpoint could not be queried (unreachable, an error page, not SPARQL JSON)."""


def qid(value: str) -> str:
    """"Q218", "wd:Q218" or the entity IRI -> "Q218"; ValueError otherwise."""
    text = value.strip().removeprefix(WD).removeprefix("wd:")
    if not _QID.match(text):
        raise ValueError(f"{value!r} is not a Wikidata item (Q123)")
    return text


def _scope(var: str, items: list[str], country: str | None) -> str:
    parts = []
    if items:
        parts.append(f"VALUES {var} {{ {' '.join('wd:' + q for q in items)} }}")
    if country:
        parts.append(f"{var} wdt:P17 wd:{country} .")
    return "\n    ".join(parts)


def statements_query(items: list[str], country: str | None) -> str:
    """P190 statements where either end is in scope (so the reverse statements are seen too)."""
    body = """?item p:P190 ?st . ?st ps:P190 ?other .
    FILTER NOT EXISTS { ?st wikibase:rank wikibase:DeprecatedRank }"""
    if items or country:
        mine, theirs = _scope("?item", items, country), _scope("?other", items, country)
        where = f"{{ {body}\n    {mine} }}\n  UNION\n  {{ {body}\n    {theirs} }}"
    else:
        where = body
    return PREFIXES + f"""SELECT DISTINCT ?item ?other ?st ?start ?startPrecision ?end ?endPrecision WHERE {{
  {where}
  OPTIONAL {{ ?st pq:P580 ?start }}
  OPTIONAL {{ ?st pqv:P580 ?startValue . ?startValue wikibase:timePrecision ?startPrecision }}
  OPTIONAL {{ ?st pq:P582 ?end }}
  OPTIONAL {{ ?st pqv:P582 ?endValue . ?endValue wikibase:timePrecision ?endPrecision }}
}}
ORDER BY ?item ?other ?st"""


def entities_query(qids: list[str]) -> str:
    values = " ".join(f"wd:{q}" for q in sorted(qids))
    langs = ", ".join(f'"{lang}"' for lang in LANGS)
    return PREFIXES + f"""SELECT ?x ?label ?iso ?class ?coord WHERE {{
  VALUES ?x {{ {values} }}
  OPTIONAL {{ ?x wdt:P625 ?coord }}
  OPTIONAL {{ ?x rdfs:label ?label FILTER(LANG(?label) IN ({langs})) }}
  OPTIONAL {{ ?x wdt:P17 ?country . ?country wdt:P297 ?iso }}
  OPTIONAL {{ ?x wdt:P31 ?class }}
}}"""


def run_query(endpoint: str, query: str, timeout: int = 60) -> list[dict[str, str]]:
    """Bindings of a SELECT as {var: value, "var@lang": tag}; WikidataError when the endpoint fails."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint, agent="coopkg/0.1 (https://w3id.org/coopkg; decentralised cooperation graph)")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    client.setMethod(POST)
    client.setTimeout(timeout)
    from coopkg import remote

    try:
        # the request and its whole answer within the timeout, the answer within the size limit
        _, body = remote.exchange(lambda deadline: client.query().response, timeout, endpoint)
        answer: Any = json.loads(body)
    except (SPARQLWrapperException, OSError, ValueError) as err:
        raise WikidataError(f"{endpoint}: {err.__class__.__name__}: {str(err).strip().splitlines()[0] if str(err) else ''}")\
            from None
    if not isinstance(answer, dict) or "results" not in answer:
        raise WikidataError(f"{endpoint}: the answer is not SPARQL JSON results")
    rows = []
    for binding in answer["results"]["bindings"]:
        row = {k: v["value"] for k, v in binding.items()}
        row.update({f"{k}@lang": v["xml:lang"] for k, v in binding.items() if v.get("xml:lang")})
        rows.append(row)
    return rows


@dataclass
class Statement:
    item: str
    other: str
    start: PartialDate | None = None
    end: PartialDate | None = None


@dataclass
class Entity:
    qid: str
    labels: dict[str, str] = field(default_factory=dict)
    country: str | None = None
    classes: set[str] = field(default_factory=set)
    point: tuple[float, float] | None = None  # (latitude, longitude) of P625, the item's own coordinates


@dataclass
class Report:
    statements: int = 0
    pairs: int = 0
    symmetric: int = 0
    one_way: list[tuple[str, str]] = field(default_factory=list)  # (stating item, named item)
    known: int = 0  # collectivities found in the gazetteer
    new: int = 0
    conflicts: int = 0
    ignored: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)  # items that share a label: keyed by their QID
    without_country: list[str] = field(default_factory=list)  # items with no country on Wikidata (P17)

    def lines(self) -> list[str]:
        out = [f"{self.statements} P190 statements -> {self.pairs} partnerships "
               f"({self.symmetric} symmetric, {len(self.one_way)} one-way)",
               f"{self.known + self.new} collectivities ({self.known} known to the gazetteer, {self.new} new)"]
        if self.conflicts:
            out.append(f"{self.conflicts} date conflicts between the two directions (both kept as claims)")
        out += [f"one-way: {a} names {b}, {b} does not name {a}" for a, b in self.one_way]
        out += [f"same label: {line}" for line in self.ambiguous]
        out += [f"no country on Wikidata: {line} (built without a country: a validation warning)"
                for line in self.without_country]
        out += self.ignored
        return out


_PRECISION = {"9": "year", "10": "month", "11": "day"}


def wikidata_date(value: str | None, precision: str | None) -> PartialDate | None:
    """"1991-01-01T00:00:00Z" at precision 9 -> 1991; without a precision, 01-01 means a year."""
    if not value:
        return None
    m = re.match(r"^\+?(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    level = _PRECISION.get(str(precision or ""), None)
    if level is None:
        try:
            return timestamp_date(year, month, day, value)
        except DateError:
            return None  # not a date (a broken endpoint's answer): as if unstated
    if level == "year":
        return PartialDate(year)
    if level == "month":
        return PartialDate(year, month)
    return PartialDate(year, month, day)


def _require(rows: list[dict[str, str]], names: tuple[str, ...]) -> None:
    """WikidataError for an answer row without a variable the import needs (a broken or
    hostile endpoint: it crashed the import with a KeyError)."""
    for number, row in enumerate(rows, start=1):
        missing = [n for n in names if not isinstance(row.get(n), str)]
        if missing:
            raise WikidataError(f"the endpoint's answer row {number} [{', '.join('?' + m for m in missing)}]: not bound "
                                f"(it has {', '.join('?' + k for k in sorted(row) if '@' not in k) or 'no variable'}); "
                                "is this a Wikidata SPARQL endpoint?")


def parse_statements(rows: list[dict[str, str]]) -> list[Statement]:
    _require(rows, ("item", "other"))
    seen: dict[str, Statement] = {}
    for row in rows:
        st = row.get("st", f"{row['item']}>{row['other']}")
        if st in seen or not row["item"].startswith(WD) or not row["other"].startswith(WD):
            continue
        seen[st] = Statement(qid(row["item"]), qid(row["other"]), wikidata_date(row.get("start"), row.get("startPrecision")),
                             wikidata_date(row.get("end"), row.get("endPrecision")))
    return list(seen.values())


def parse_entities(rows: list[dict[str, str]]) -> dict[str, Entity]:
    _require(rows, ("x",))
    entities: dict[str, Entity] = {}
    for row in rows:
        entity = entities.setdefault(qid(row["x"]), Entity(qid(row["x"])))
        if row.get("label") and row.get("label@lang") in LANGS:
            entity.labels.setdefault(row["label@lang"], row["label"])
        if row.get("iso"):
            entity.country = row["iso"].upper()
        if row.get("class", "").startswith(WD):
            entity.classes.add(qid(row["class"]))
        if row.get("coord") and entity.point is None:  # "Point(11.88 44.28)"; another globe's is refused
            entity.point = parse_point(row["coord"])
    return entities


@cache
def kind_map() -> dict[str, str]:
    path = resources.folder("data") / "mappings" / "wikidata-kinds.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return {str(k): str(v) for k, v in (raw or {}).get("kinds", {}).items()}


class _Converter:
    def __init__(self, entities: dict[str, Entity], gaz: Gazetteer) -> None:
        self.entities = entities
        self.gaz = gaz
        self.keys: dict[str, str] = {}
        self.records: list[AnyRecord] = []
        self.report = Report()

    def name(self, entity: Entity) -> Label:
        order = [_COUNTRY_LANG.get(entity.country or "", "en"), "en", "fr", "ro"]
        for lang in order:
            if lang in entity.labels:
                return Label(entity.labels[lang], lang)
        return Label(entity.qid, "en")

    def assign_keys(self, qids: list[str]) -> None:
        """Keys for every item of the import at once (docs/identity.md, section 3).

        An item the gazetteer knows by its QID keeps that key; otherwise its label is
        matched within its country. When two items would get one key by their labels
        (London and the City of London, Kalmar the town and the municipality), neither
        takes it: each gets a key with its QID, so no item is dropped as a duplicate.
        """
        found: dict[str, Match] = {}
        for q in sorted(qids):
            entity = self.entities.get(q, Entity(q))
            kind = next((kind_map()[c] for c in sorted(entity.classes) if c in kind_map()), None)
            labels = [entity.labels[lang] for lang in ("en", "fr", "ro") if lang in entity.labels] or [q]
            match = None
            for label in labels:
                match = self.gaz.match(label, entity.country, {"wikidata": q}, kind)
                if match.how in ("identifier", "name"):
                    break
            assert match is not None
            found[q] = match
        claimed: dict[str, list[str]] = defaultdict(list)
        for q, match in found.items():
            if match.how != "identifier":
                claimed[match.key].append(q)
        for q, match in found.items():
            if match.how != "identifier" and len(claimed[match.key]) > 1:
                entity = self.entities.get(q, Entity(q))
                name = self.name(entity)
                key = self.gaz.mint(name.text, entity.country, {"wikidata": q})
                self.report.ambiguous.append(f"{q} ({name.text}) shares its label with "
                                             f"{', '.join(x for x in claimed[match.key] if x != q)}: key {key}")
                found[q] = Match(key, "minted")
        self.matches = found

    def collectivity(self, q: str) -> str:
        if q in self.keys:
            return self.keys[q]
        entity = self.entities.get(q, Entity(q))
        name = self.name(entity)
        match = self.matches[q]
        key = match.key
        fields_: dict[str, Any] = {}
        if key in self.gaz.actors:
            self.report.known += 1
            actor = self.gaz.actors[key]
            kind = getattr(actor, "kind", None) or "other"
        else:
            self.report.new += 1
            kind = next((kind_map()[c] for c in sorted(entity.classes) if c in kind_map()), None) \
                or (match.actor.kind if match.actor else None) or "other"
            if match.actor is not None:  # a world place: its GeoNames id / ISO code and coordinates
                fields_ = {f: getattr(match.actor, f) for f in ("geonames", "iso_code", "point")
                           if getattr(match.actor, f) is not None}
            if entity.point is not None:  # the item's own coordinates win over a world-gazetteer namesake's
                fields_["point"] = Point(entity.point[0], entity.point[1], "Wikidata P625")
        if entity.country is None:
            self.report.without_country.append(f"{q} ({name.text})")
        alt = sorted({Label(text, lang) for lang, text in entity.labels.items() if Label(text, lang) != name},
                     key=lambda label: (label.lang, label.text))
        self.records.append(Collectivity(
            key=key, name=name, alt_names=alt, country=entity.country, wikidata=q, kind=kind,
            sources=[SourceRef(WD + q)], **fields_,
        ))
        self.keys[q] = key
        return key

    def convert(self, statements: list[Statement]) -> tuple[list[AnyRecord], Report]:
        self.report.statements = len(statements)
        self.assign_keys(sorted({q for st in statements for q in (st.item, st.other)}))
        pairs: dict[frozenset[str], list[Statement]] = defaultdict(list)
        for st in statements:
            if st.item == st.other:
                self.report.ignored.append(f"ignored: {st.item} names itself as twin")
                continue
            pairs[frozenset((st.item, st.other))].append(st)
        for pair in sorted(pairs, key=sorted):
            group = sorted(pairs[pair], key=lambda s: (s.item, s.other))
            directions = {(s.item, s.other) for s in group}
            a, b = sorted(pair)
            if (a, b) in directions and (b, a) in directions:
                self.report.symmetric += 1
            else:
                self.report.one_way.append(next(iter(sorted(directions))))
            self.report.pairs += 1
            parties = [self.collectivity(a), self.collectivity(b)]
            names = [self.name(self.entities.get(q, Entity(q))) for q in (a, b)]
            partnership = Partnership(
                key=partnership_key(parties, "twinning"), parties=sorted(parties), form="twinning",
                title=Label(f"{names[0].text} – {names[1].text}", names[0].lang if names[0].lang == names[1].lang else "en"),
                sources=sorted({SourceRef(WD + s.item) for s in group}, key=str),
            )
            for name in ("start", "end"):
                values = [(getattr(s, name), s) for s in group if getattr(s, name) is not None]
                if not values:
                    continue
                setattr(partnership, name, values[0][0])
                for value, st in values[1:]:
                    if value != values[0][0]:
                        partnership.claims.append(Claim(name, value, SourceRef(WD + st.item)))
                        self.report.conflicts += 1
            if partnership.end is not None:
                partnership.status = "ended"
            self.records.append(partnership)
        return self.records, self.report


def to_records(statements: list[Statement], entities: dict[str, Entity], gaz: Gazetteer) -> tuple[list[AnyRecord], Report]:
    """Collectivities (one per item) and partnerships (one per pair) with a report."""
    return _Converter(entities, gaz).convert(statements)


def fetch(endpoint: str, items: list[str], country: str | None, gaz: Gazetteer,
          timeout: int = 60) -> tuple[list[AnyRecord], Report]:
    """Query the endpoint for P190 statements in scope and turn them into records."""
    try:
        statements = parse_statements(run_query(endpoint, statements_query(items, country), timeout))
        qids = sorted({q for s in statements for q in (s.item, s.other)})
        entities: dict[str, Entity] = {}
        for start in range(0, len(qids), 200):
            rows = run_query(endpoint, entities_query(qids[start:start + 200]), timeout)
            entities.update(parse_entities(rows))
    except WikidataError as err:
        raise WikidataError(str(err) if str(err).startswith(endpoint) else f"{endpoint}: {err}") from None
    return to_records(statements, entities, gaz)
