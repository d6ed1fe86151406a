"""A seeded generator of synthetic atlas-like records, written as native JSON Lines (or YAML).

Shaped like the French Atlas of decentralised cooperation (about 12,129 projects by
4,756 French collectivities with 9,889 foreign partners in 140 countries): for N
partnerships it makes N*4756/12129 French collectivities (communes mostly, then
departments and regions, including the 22 regions of before 2016 and the 13 after) and
N*9889/12129 foreign partners in up to 140 countries (a few countries hold most of
them), 1-3 agreements per partnership with renewals, amendments, ends and end reasons,
1-4 themes from the three-level theme scheme, 0-5 funding lines (EUR mostly, some in
the partner's currency), projects, and a few reorganisations touching many units.

Each entry is a dict of native fields, written one per line: as JSON Lines (the default,
docs/record-format.md) or, with ``output_format="yaml"``, as native YAML with each entry a
JSON object on its line (JSON is YAML's flow syntax), which any YAML reader accepts. Both
give the same records. The same ``seed`` and ``partnerships`` always give byte-identical output.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

Entry = dict[str, Any]
FORMATS = ("jsonl", "yaml")

SOURCE = "synthetic-atlas.txt"

# Atlas proportions (French Atlas of decentralised cooperation).
ATLAS_PROJECTS = 12129
ATLAS_FRENCH = 4756
ATLAS_PARTNERS = 9889

# Partner countries, most frequent first, with their currency (weights fall as 1/rank^0.9).
COUNTRIES: list[tuple[str, str]] = [
    ("DE", "EUR"), ("SN", "XOF"), ("BF", "XOF"), ("MA", "MAD"), ("IT", "EUR"), ("PL", "PLN"), ("RO", "RON"),
    ("ES", "EUR"), ("ML", "XOF"), ("GB", "GBP"), ("MG", "MGA"), ("BJ", "XOF"), ("TN", "TND"), ("CM", "XAF"),
    ("VN", "VND"), ("HT", "HTG"), ("LB", "LBP"), ("NE", "XOF"), ("CN", "CNY"), ("PS", "ILS"), ("US", "USD"),
    ("CA", "CAD"), ("JP", "JPY"), ("BE", "EUR"), ("PT", "EUR"), ("HU", "HUF"), ("CZ", "CZK"), ("BR", "BRL"),
    ("TG", "XOF"), ("MR", "MRU"), ("DZ", "DZD"), ("CI", "XOF"), ("CD", "CDF"), ("GN", "GNF"), ("KH", "KHR"),
    ("LA", "LAK"), ("AM", "AMD"), ("IL", "ILS"), ("RU", "RUB"), ("UA", "UAH"), ("MD", "MDL"), ("AR", "ARS"),
    ("CL", "CLP"), ("MX", "MXN"), ("IN", "INR"), ("KR", "KRW"), ("AT", "EUR"), ("NL", "EUR"), ("IE", "EUR"),
    ("SK", "EUR"), ("SI", "EUR"), ("HR", "EUR"), ("BG", "BGN"), ("GR", "EUR"), ("CY", "EUR"), ("LT", "EUR"),
    ("LV", "EUR"), ("EE", "EUR"), ("FI", "EUR"), ("SE", "SEK"), ("DK", "DKK"), ("NO", "NOK"), ("CH", "CHF"),
    ("LU", "EUR"), ("TR", "TRY"), ("GE", "GEL"), ("AZ", "AZN"), ("KZ", "KZT"), ("UZ", "UZS"), ("MN", "MNT"),
    ("TH", "THB"), ("ID", "IDR"), ("PH", "PHP"), ("MY", "MYR"), ("AU", "AUD"), ("NZ", "NZD"), ("PE", "PEN"),
    ("BO", "BOB"), ("CO", "COP"), ("EC", "USD"), ("UY", "UYU"), ("PY", "PYG"), ("CU", "CUP"), ("DO", "DOP"),
    ("NI", "NIO"), ("GT", "GTQ"), ("SV", "USD"), ("HN", "HNL"), ("CR", "CRC"), ("PA", "PAB"), ("VE", "VES"),
    ("EG", "EGP"), ("JO", "JOD"), ("SY", "SYP"), ("IQ", "IQD"), ("IR", "IRR"), ("AF", "AFN"), ("PK", "PKR"),
    ("BD", "BDT"), ("LK", "LKR"), ("NP", "NPR"), ("TD", "XAF"), ("CF", "XAF"), ("CG", "XAF"), ("GA", "XAF"),
    ("GQ", "XAF"), ("CV", "CVE"), ("GW", "XOF"), ("GM", "GMD"), ("SL", "SLE"), ("LR", "LRD"), ("GH", "GHS"),
    ("NG", "NGN"), ("ET", "ETB"), ("KE", "KES"), ("TZ", "TZS"), ("UG", "UGX"), ("RW", "RWF"), ("BI", "BIF"),
    ("DJ", "DJF"), ("KM", "KMF"), ("MU", "MUR"), ("SC", "SCR"), ("MZ", "MZN"), ("AO", "AOA"), ("ZA", "ZAR"),
    ("NA", "NAD"), ("ZW", "ZWL"), ("ZM", "ZMW"), ("MW", "MWK"), ("BW", "BWP"), ("LY", "LYD"), ("SD", "SDG"),
    ("YE", "YER"), ("SA", "SAR"), ("QA", "QAR"), ("AE", "AED"), ("AL", "ALL"), ("MK", "MKD"), ("RS", "RSD"),
]
FOREIGN_KINDS = [("municipality", 45), ("city", 20), ("region", 10), ("province", 8), ("county", 6),
                 ("district", 6), ("state", 2), ("other", 3)]
FRENCH_KINDS = [("commune", 86), ("department", 6), ("region", 3), ("other", 5)]
AGREEMENT_KINDS = [("cooperation-agreement", 30), ("twinning", 20), ("cooperation-protocol", 15),
                   ("framework-convention", 10), ("partnership-agreement", 8), ("memorandum-of-understanding", 6),
                   ("funding-convention", 5), ("decentralised-cooperation-project", 4), ("multilateral-agreement", 2)]
END_REASONS = [("expiry", 50), ("completion", 25), ("termination", 15), ("unknown", 10)]
FRENCH_INSTITUTIONS = [
    ("fr-meae", "Ministère de l'Europe et des Affaires étrangères", "ministry"),
    ("fr-afd", "Agence française de développement", "public-service"),
    ("fr-cites-unies-france", "Cités Unies France", "network"),
    ("eu-commission", "Commission européenne", "european-institution"),
    ("fr-agences-de-l-eau", "Agences de l'eau", "public-service"),
    ("fr-f3e", "F3E", "association"),
]
OLD_REGIONS = {  # 2016 French regional reform: old regions -> new region
    "alsace": "grand-est", "champagne-ardenne": "grand-est", "lorraine": "grand-est",
    "rhone-alpes": "auvergne-rhone-alpes", "auvergne": "auvergne-rhone-alpes",
    "midi-pyrenees": "occitanie", "languedoc-roussillon": "occitanie",
    "basse-normandie": "normandie", "haute-normandie": "normandie",
    "franche-comte": "bourgogne-franche-comte", "bourgogne": "bourgogne-franche-comte",
    "aquitaine": "nouvelle-aquitaine", "limousin": "nouvelle-aquitaine", "poitou-charentes": "nouvelle-aquitaine",
    "nord-pas-de-calais": "hauts-de-france", "picardie": "hauts-de-france",
}
KEPT_REGIONS = ["bretagne", "pays-de-la-loire", "centre-val-de-loire", "ile-de-france",
                "provence-alpes-cote-d-azur", "corse"]
SYLLABLES = ["an", "bel", "cor", "dan", "es", "fon", "gar", "hau", "ival", "jol", "ker", "lan", "mon", "nor",
             "or", "pra", "quer", "ros", "sal", "tor", "ur", "val", "ville", "wiss", "yen", "zor", "bru", "cla",
             "dro", "fle", "gre", "lou", "mar", "ney", "pel", "riv", "sau", "tre", "vi"]
PROJECT_WORDS = ["Appui", "Échanges", "Programme", "Projet", "Coopération", "Soutien", "Renforcement"]
DOMAIN_WORDS = ["gestion de l'eau", "formation des élus", "patrimoine bâti", "accès à l'école", "tourisme rural",
                "santé maternelle", "agriculture familiale", "gestion des déchets", "jeunesse", "culture"]


def _weighted(rng: random.Random, items: list[tuple[str, int]]) -> str:
    return rng.choices([i for i, _ in items], weights=[w for _, w in items])[0]


@dataclass
class Actor:
    key: str
    name: str
    lang: str
    kind: str
    country: str
    part_of: str | None = None
    abolished: str | None = None
    created: str | None = None
    insee: str | None = None
    point: tuple[float, float, str] | None = None  # latitude, longitude, source


@dataclass
class Plan:
    """Everything drawn from the seed, before any text is written."""

    french: list[Actor] = field(default_factory=list)
    foreign: list[Actor] = field(default_factory=list)
    currency: dict[str, str] = field(default_factory=dict)


class Generator:
    def __init__(self, partnerships: int, seed: int = 1, faults: float = 0.0, output_format: str = "jsonl") -> None:
        if output_format not in FORMATS:
            raise ValueError(f"format {output_format!r} is not one of {', '.join(FORMATS)}")
        self.format = output_format
        if partnerships < 1:
            raise ValueError("partnerships must be at least 1")
        self.n = partnerships
        self.faults = faults
        self.fault_counts: dict[str, int] = {}
        self.seed = seed
        self.rng = random.Random(seed)
        self.line = 0
        self.reorgs: list[tuple[str, str, str, str, list[tuple[str, str, list[str]]]]] = []
        self.abolished_by: dict[str, str] = {}  # unit key -> reorganisation key
        self.reorg_year: dict[str, int] = {}  # reorganisation key -> the year it took effect
        self.created_year: dict[str, int] = {}  # unit key -> the year a reorganisation created it
        self.merged_foreign: list[Actor] = []  # foreign units a reorganisation merged
        self.themes, self.theme_weights = self._themes()

    @staticmethod
    def _themes() -> tuple[list[str], list[float]]:
        from coopkg.vocabularies import schemes

        scheme = schemes()["theme"]
        codes = sorted(scheme.codes)

        def depth(code: str) -> int:
            d = 0
            while code in scheme.broader:
                code, d = scheme.broader[code], d + 1
            return d

        # Records mostly carry the precise (second or third level) theme.
        return codes, [1.0 if depth(c) == 0 else 3.0 for c in codes]

    def _name(self) -> str:
        parts = self.rng.sample(SYLLABLES, self.rng.randint(2, 3))
        return "".join(parts).capitalize()

    # -- actors -------------------------------------------------------------------
    def _actors(self) -> Plan:
        rng = self.rng
        plan = Plan(currency=dict(COUNTRIES))
        n_french = max(2, round(self.n * ATLAS_FRENCH / ATLAS_PROJECTS))
        n_foreign = max(2, round(self.n * ATLAS_PARTNERS / ATLAS_PROJECTS))
        regions: list[Actor] = []
        for old in sorted(OLD_REGIONS):
            regions.append(Actor(f"fr-{old}", old.replace("-", " ").title(), "fr", "region", "FR", abolished="2016-01-01"))
        for new in sorted(set(OLD_REGIONS.values())):
            regions.append(Actor(f"fr-{new}", new.replace("-", " ").title(), "fr", "region", "FR", created="2016-01-01"))
        for kept in KEPT_REGIONS:
            regions.append(Actor(f"fr-{kept}", kept.replace("-", " ").title(), "fr", "region", "FR"))
        current_regions = [r for r in regions if r.abolished is None]
        plan.french.extend(regions[: max(2, min(len(regions), n_french // 20))])
        present_regions = [r for r in current_regions if r in plan.french]
        departments: list[Actor] = []
        seen: set[str] = {a.key for a in plan.french}
        while len(plan.french) < n_french:
            kind = _weighted(rng, FRENCH_KINDS)
            if kind == "region":
                kind = "commune"
            if kind == "department" and len(departments) >= 101:
                kind = "commune"
            name = self._name()
            key = f"fr-{name.lower()}-{len(plan.french)}"
            if key in seen:
                continue
            seen.add(key)
            part_of = None
            if kind == "commune" and departments:
                part_of = rng.choice(departments).key
            elif kind == "department" and present_regions:
                part_of = rng.choice(present_regions).key
            actor = Actor(key, ("Département " if kind == "department" else "") + name, "fr", kind, "FR",
                          part_of=part_of,
                          insee=f"{rng.randint(1, 95):02d}{rng.randint(1, 999):03d}" if kind == "commune" else None)
            if kind == "department":
                departments.append(actor)
            plan.french.append(actor)
        weights = [1 / (rank + 1) ** 0.9 for rank in range(len(COUNTRIES))]
        countries = rng.choices([c for c, _ in COUNTRIES], weights=weights, k=n_foreign)
        for i, country in enumerate(countries):
            kind = _weighted(rng, FOREIGN_KINDS)
            name = self._name()
            plan.foreign.append(Actor(f"{country.lower()}-{name.lower()}-{i}", name, "en", kind, country))
        self._reorganisations(plan)
        self._points(plan)
        return plan

    def _points(self, plan: Plan) -> None:
        """Each collectivity at a real town of its country (GeoNames, through the world gazetteer), moved a little.

        Real towns, so the map's points are where people live (inland, clustered like the
        Atlas' partners), not uniform over a bounding box that is half sea. Each actor has
        its own generator seeded by the run's seed and its key: the other draws, and so the
        rest of the file, are the same as without points. A country the gazetteer has no
        town for leaves its actors without a point, as real data does."""
        from coopkg.normalise.world import world

        towns: dict[str, list[tuple[float, float, str]]] = {}
        # the French regions are real ones, which the shipped gazetteer places at their seats
        real = {f"fr-{r}" for r in [*OLD_REGIONS, *OLD_REGIONS.values(), *KEPT_REGIONS]}
        for actor in plan.french + plan.foreign:
            if actor.key in real:
                continue
            if actor.country not in towns:
                towns[actor.country] = [(p.latitude, p.longitude, p.id) for p in world().places(actor.country)
                                        if p.scheme == "geonames" and p.latitude is not None and p.longitude is not None]
            near = towns[actor.country]
            if not near:
                continue
            rng = random.Random(f"{self.seed}:{actor.key}")
            latitude, longitude, geonames = rng.choice(near)
            latitude = max(-90.0, min(90.0, latitude + rng.uniform(-0.05, 0.05)))
            longitude = max(-180.0, min(180.0, longitude + rng.uniform(-0.05, 0.05)))
            actor.point = (round(latitude, 5), round(longitude, 5), f"synthetic, near GeoNames {geonames}")

    def _reorganisations(self, plan: Plan) -> None:
        """The 2016 French regional reform, and a few foreign ones merging many units."""
        changes = [(f"fr-{old}", "merged", [f"fr-{new}"]) for old, new in sorted(OLD_REGIONS.items())]
        changes += [(f"fr-{new}", "created", []) for new in sorted(set(OLD_REGIONS.values()))]
        present = {a.key for a in plan.french}
        changes = [c for c in changes if c[0] in present and all(s in present for s in c[2])]
        if changes:
            self.reorgs.append(("fr-regional-reform-2016", "Réforme territoriale de 2016@fr", "2016-01-01", "FR", changes))
        by_country: dict[str, list[Actor]] = {}
        for actor in plan.foreign:
            by_country.setdefault(actor.country, []).append(actor)
        for country in sorted(by_country, key=lambda c: -len(by_country[c]))[1:4]:
            units = by_country[country]
            year = self.rng.randint(1999, 2020)
            merged = units[: max(2, len(units) // 10)]
            successor = Actor(f"{country.lower()}-merged-{year}", f"{self._name()} (merged {year})", "en", "municipality",
                              country, created=f"{year}-01-01")
            plan.foreign.append(successor)
            rchanges = [(u.key, "merged", [successor.key]) for u in merged] + [(successor.key, "created", [])]
            for u in merged:
                u.abolished = f"{year}-01-01"
            self.merged_foreign.extend(merged)
            key = f"{country.lower()}-reform-{year}"
            self.reorgs.append((key, f"Municipal reform {country} {year}@en", f"{year}-01-01", country, rchanges))
        for key, _, date, _, rchanges in self.reorgs:
            self.reorg_year[key] = int(date[:4])
            for unit, change, _ in rchanges:
                if change == "merged":
                    self.abolished_by[unit] = key
                elif change == "created":
                    self.created_year[unit] = int(date[:4])

    # -- text ---------------------------------------------------------------------
    def _loc(self) -> int:
        self.line += 1
        return self.line

    def write(self, out: IO[str]) -> dict[str, int]:
        """Write the whole file; return how many records of each section were written."""
        plan = self._actors()
        counts: dict[str, int] = {}
        if self.format == "jsonl":
            out.write(json.dumps({"coopkg": 1, "language": "fr", "source": SOURCE}) + "\n")
        else:
            out.write(f"coopkg: 1\nlanguage: fr\nsource: {SOURCE}\n")
            out.write(f"# Synthetic atlas: {self.n} partnerships, generated by `coopkg bench generate`.\n")
        sections = {
            "collectivities": self._collectivities(plan),
            "institutions": self._institutions(),
            "reorganizations": self._reorganization_entries(),
        }
        for name, lines in sections.items():
            counts[name] = self._section(out, name, lines)
        bodies: dict[str, list[Entry]] = {s: [] for s in ("partnerships", "agreements", "changes", "projects", "fundings")}
        for i in range(self.n):
            self._partnership(i, plan, bodies)
        for name, lines in bodies.items():
            counts[name] = self._section(out, name, iter(lines))
        return counts

    def _section(self, out: IO[str], name: str, entries: Iterator[Entry]) -> int:
        n = 0
        if self.format == "jsonl":
            for entry in entries:
                out.write(json.dumps({"section": name, **entry}, ensure_ascii=False))
                out.write("\n")
                n += 1
            return n
        out.write(f"\n{name}:\n")
        for entry in entries:
            out.write("  - ")
            out.write(json.dumps(entry, ensure_ascii=False))
            out.write("\n")
            n += 1
        return n

    def _collectivities(self, plan: Plan) -> Iterator[Entry]:
        for a in plan.french + plan.foreign:
            entry: Entry = {"key": a.key, "name": f"{a.name}@{a.lang}", "kind": a.kind, "country": a.country}
            if a.part_of:
                entry["part_of"] = a.part_of
            if a.insee:
                entry["insee"] = a.insee
            if a.created:
                entry["created"] = a.created
            if a.abolished:
                entry["abolished"] = a.abolished
            if a.point:
                entry["point"] = {"lat": a.point[0], "long": a.point[1], "source": a.point[2]}
            entry["line"] = self._loc()
            yield entry

    def _institutions(self) -> Iterator[Entry]:
        for key, name, kind in FRENCH_INSTITUTIONS:
            country = "BE" if key.startswith("eu-") else "FR"
            yield {"key": key, "name": f"{name}@fr", "kind": kind, "country": country, "line": self._loc()}

    def _reorganization_entries(self) -> Iterator[Entry]:
        for key, title, date, country, changes in self.reorgs:
            items = [{"unit": u, "change": c, **({"successors": list(s)} if s else {})} for u, c, s in changes]
            yield {"key": key, "title": title, "date": date, "country": country, "changes": items, "line": self._loc()}

    def _pick_themes(self) -> list[str]:
        k = self.rng.choices([1, 2, 3, 4], weights=[45, 30, 15, 10])[0]
        picked = self.rng.choices(self.themes, weights=self.theme_weights, k=k)
        return sorted(set(picked))

    def _partnership(self, i: int, plan: Plan, bodies: dict[str, list[Entry]]) -> None:
        """One partnership with its agreements, changes, project and fundings, valid by
        construction: every date lies within the lifetime of what it belongs to, an end
        by reorganisation is on the reorganisation's date, a party exists when it signs
        (docs/time.md). Faults are added afterwards (`_fault`), one kind at a time."""
        rng = self.rng
        french = rng.choice(plan.french)
        # Half the partnerships go to a few popular partners (long tail), half anywhere.
        if rng.random() < 0.5:
            foreign = rng.choice(plan.foreign)
        else:
            foreign = plan.foreign[int(rng.paretovariate(1.2) * len(plan.foreign) / 8) % len(plan.foreign)]
        if self.merged_foreign and rng.random() < 0.03:
            # a few partnerships with a unit a reform merged, so every scale has ends by reorganisation
            foreign = rng.choice(self.merged_foreign)
        parties = [french.key, foreign.key]
        if rng.random() < 0.05:
            parties.append(rng.choice(plan.foreign).key)
        parties = list(dict.fromkeys(parties))
        if len(parties) < 2:
            parties.append(next(a.key for a in plan.foreign if a.key not in parties))
        key = f"p{i:06d}"
        loc = self._loc()  # one atlas sheet line per partnership, shared by all its records
        themes = self._pick_themes()
        # a party abolished by a reorganisation ends the partnership on that year; a party
        # created by one exists only from then on
        reorg = next((self.abolished_by[p] for p in parties if p in self.abolished_by), None)
        reorg_year = self.reorg_year[reorg] if reorg else None
        born = max([self.created_year.get(p, 1975) for p in parties])
        latest_start = min(2023, reorg_year - 1) if reorg_year else 2023
        start = rng.randint(min(born, latest_start), latest_start) if born <= latest_start else latest_start
        end_year: int | None = None
        if reorg_year:
            end_year = reorg_year
        elif rng.random() < 0.3:
            end_year = min(2025, start + rng.randint(1, 15))
        ended = end_year is not None
        fields: Entry = {"key": key, "parties": parties, "title": f"Coopération {french.name} – {foreign.name}@fr",
                         "start": start, "themes": themes}
        if ended:
            fields.update(end=end_year, status="ended")
            if reorg:
                fields.update(end_reason="administrative-reorganisation", reorganization=reorg)
            else:
                fields["end_reason"] = _weighted(rng, END_REASONS)
        else:
            fields["status"] = "ongoing"
        if rng.random() < 0.3:
            fields["term"] = {"years": rng.choice([1, 2, 3, 5])}
        fields["line"] = loc
        bodies["partnerships"].append(fields)
        last_year = end_year if end_year is not None else 2025  # nothing of it is dated later
        year = start
        agreements: list[tuple[str, int, int | None]] = []  # key, signature year, end year
        for n in range(rng.choices([1, 2, 3], weights=[55, 30, 15])[0]):
            if year > last_year or year > 2025:  # one agreement a year at most, within the partnership
                break
            akey = f"{key}-a{n}"
            kind = _weighted(rng, AGREEMENT_KINDS)
            day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            a: Entry = {"key": akey, "kind": kind, "parties": parties[:2], "partnership": key,
                        "signed": day if rng.random() < 0.6 else year, "title": f"Convention {n + 1} ({year})@fr"}
            years = rng.choice([1, 2, 3, 3, 4, 5])
            a["term"] = {"years": years, "renewable_times": rng.choice([0, 1, 2])}
            a_end: int | None = None
            if ended or rng.random() < 0.5:
                # an agreement ends at its term or with its partnership, whichever is first;
                # one the reorganisation cut short ends with it, on its date
                natural = year + years
                a_end = min(natural, last_year)
                a["status"] = "ended"
                if reorg and natural >= last_year:
                    a.update(end_reason="administrative-reorganisation", reorganization=reorg)
                else:
                    a["end_reason"] = _weighted(rng, END_REASONS)
                a["end"] = max(a_end, year)
                a_end = max(a_end, year)
            else:
                a["status"] = "ongoing"
            if rng.random() < 0.3:
                a["themes"] = self._pick_themes()
            a["line"] = loc
            bodies["agreements"].append(a)
            agreements.append((akey, year, a_end))
            for c in range(rng.choices([0, 1, 2], weights=[60, 30, 10])[0]):
                when = year + years * (c + 1)
                # a change is dated after the signature (next year at the earliest) and
                # strictly before the agreement's end
                if when > 2025 or (a_end is not None and when >= a_end):
                    break
                ckind = "renewal" if rng.random() < 0.6 else "amendment"
                change: Entry = {"key": f"{akey}-c{c}", "kind": ckind, "agreement": akey, "date": when}
                if ckind == "amendment" and rng.random() < 0.5:
                    change["themes"] = [self.rng.choice(self.themes)]
                change["line"] = loc
                bodies["changes"].append(change)
            year += rng.randint(1, 6)
        funded = key
        last_signed = agreements[-1][1] if agreements else start
        if rng.random() < 0.45 and agreements:
            pkey = f"{key}-pr"
            funded = pkey
            words = rng.choice(PROJECT_WORDS)
            domain = rng.choice(DOMAIN_WORDS)
            pstart = rng.randint(last_signed, max(last_signed, min(last_year, year)))
            pend = min(last_year, pstart + rng.randint(1, 4))
            bodies["projects"].append({
                "key": pkey, "title": f"{words} — {domain} à {foreign.name}@fr", "partnership": key,
                "agreement": agreements[-1][0], "participants": parties, "start": pstart,
                "end": max(pstart, pend), "themes": themes[:2],
                "domains": [f"{domain}@fr"], "location": foreign.name, "line": loc,
            })
            fund_from, fund_until = pstart, max(pstart, pend)
        else:
            fund_from, fund_until = start, max(start, min(last_year, year))
        for f in range(rng.choices([0, 1, 2, 3, 4, 5], weights=[20, 30, 20, 15, 10, 5])[0]):
            r = rng.random()
            if r < 0.55:
                funder, currency = french.key, "EUR"
            elif r < 0.85:
                funder, currency = rng.choice(FRENCH_INSTITUTIONS)[0], "EUR"
            else:
                funder, currency = foreign.key, plan.currency.get(foreign.country, "EUR")
            amount = round(rng.lognormvariate(9.5, 1.3), 2)
            fyear = rng.randint(fund_from, max(fund_from, min(2025, fund_until)))
            funding: Entry = {"key": f"{key}-f{f}", "funder": funder, "amount": amount, "currency": currency,
                              "year": fyear, "funds": funded}
            if rng.random() < 0.05:
                funding["water_amount"] = round(amount * 0.1, 2)
            funding["line"] = loc
            bodies["fundings"].append(funding)
        if self.faults and rng.random() < self.faults:
            self._fault(key, start, agreements, bodies, loc)

    def _fault(self, key: str, start: int, agreements: list[tuple[str, int, int | None]],
               bodies: dict[str, list[Entry]], loc: int) -> None:
        """Break one record of partnership ``key`` in one known way, and count it."""
        kind = self.rng.choice(FAULTS)
        entry = bodies["partnerships"][-1]
        if kind == "end-before-start":
            # only the dates are wrong: an end by expiry, so no other rule is broken with them
            entry.pop("reorganization", None)
            entry.update(end=start - 1 - self.rng.randint(0, 5), status="ended", end_reason="expiry")
        elif kind == "ongoing-with-past-end":
            entry.update(status="ongoing", end=max(start, 2001))
            entry.pop("end_reason", None)
            entry.pop("reorganization", None)
        elif kind == "end-reason-but-not-ended":
            entry.pop("end", None)
            entry.pop("reorganization", None)
            entry.update(status="ongoing", end_reason="expiry")
        elif kind == "change-after-end":
            ended = [a for a in agreements if a[2] is not None]
            if not ended:
                return self._fault(key, start, agreements, bodies, loc)
            akey, _, a_end = ended[0]
            bodies["changes"].append({"key": f"{akey}-late", "kind": "amendment", "agreement": akey,
                                      "date": a_end + 1, "line": loc})  # type: ignore[operator]
        self.fault_counts[kind] = self.fault_counts.get(kind, 0) + 1
        return None


# The defects `--faults` injects, each one a rule of the shapes reports (a Violation).
FAULTS = ["end-before-start", "ongoing-with-past-end", "end-reason-but-not-ended", "change-after-end"]


def generate(partnerships: int, seed: int, out: IO[str], faults: float = 0.0,
             output_format: str = "jsonl") -> dict[str, int]:
    """Write a synthetic atlas of ``partnerships`` partnerships to ``out`` (``output_format``
    "jsonl" or "yaml", the same records); counts per section.

    Valid by default (`coopkg build` reports no Violation). With ``faults`` (a rate in
    0..1) about that share of partnerships get one known defect each; the counts come
    back as ``fault:<rule>`` entries, the rule the validation report must name.
    """
    if not 0.0 <= faults <= 1.0:
        raise ValueError("faults must be a rate between 0 and 1")
    generator = Generator(partnerships, seed, faults, output_format)
    counts = generator.write(out)
    counts.update({f"fault:{k}": v for k, v in sorted(generator.fault_counts.items())})
    return counts
