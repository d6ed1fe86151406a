"""Names and identifiers -> collectivity keys, through the gazetteer (docs/identity.md).

The curated entries (data/gazetteer.yaml, plus any ``--gazetteer FILE``) come first: a
name is compared case- and diacritic-insensitively with every actor's name, alternative
names and council name, with the usual prefixes stripped ("Regiunea", "Departamentul",
"Județul", "Consiliul Județean", "Conseil général du", "Ville de"...), so "Departamentul
Rhone", "Consiliul General al Rhône" and "Rhône" meet at ``fr-rhone``. Then the world
gazetteer (`coopkg.normalise.world`: ISO 3166-2 subdivisions and GeoNames towns), always
within the country the source states. A name nothing knows gets a new key
``<iso2>-<slug>``; `Gazetteer.match` says how each name was matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from coopkg.iris import slugify
from coopkg.records import Actor, Collectivity, Label, Point, Reorganization
from coopkg.vocabularies import fold as _fold_text

if TYPE_CHECKING:
    from coopkg.normalise.world import Place, World

# Folded prefixes, longest first; stripped repeatedly ("Consiliul Județean al Județului ...").
# Tables repeat their names (a town in every row of its twinnings): fold each text once.
fold = lru_cache(maxsize=262144)(_fold_text)

_PREFIXES = sorted(
    {
        # ro
        "consiliul judetean", "consiliului judetean", "consiliul general al", "consiliul general",
        "consiliul local al", "consiliul local", "consiliul regional al", "consiliul regional",
        "judetul", "judetului", "judetele", "regiunea", "regiunii", "departamentul", "departamentului",
        "municipiul", "municipiului", "orasul", "orasului", "comuna", "comunei", "primaria", "primariei",
        "provincia", "landul", "districtul",
        # fr
        "conseil general du", "conseil general de la", "conseil general des", "conseil general de l",
        "conseil general de", "conseil general d", "conseil general",
        "conseil departemental du", "conseil departemental de la", "conseil departemental de",
        "conseil departemental d", "conseil departemental",
        "conseil regional du", "conseil regional de la", "conseil regional de", "conseil regional d",
        "conseil regional", "region de la", "region du", "region de", "region d", "region",
        "la region", "departement du", "departement de la",
        "departement de l", "departement de", "departement d", "departement", "le departement du",
        "ville de", "ville d", "la ville de", "ville", "commune de", "commune d", "commune", "mairie de",
        "mairie d", "municipalite de", "municipalite d", "municipalite", "province du", "province de",
        "province d", "province", "comte de", "comte du", "comte d", "county of",
        # the first-level units of Maghreb and Polish partners, as French tables write them
        "gouvernorat de", "gouvernorat du", "gouvernorat d", "gouvernorat", "wilaya de", "wilaya d", "wilaya",
        "voivodie de", "voivodie",
        "departements de", "departements d", "departements du", "departements", "des departements de",
        "des departements d", "regions", "communes de", "communes d", "villes de", "villes d",
        # en
        "county council of", "county council", "city of", "town of", "region of", "province of",
        "municipality of", "department of", "district of", "governorate of", "the",
    },
    key=len,
    reverse=True,
)
_SUFFIXES = ("county council", "county", "city council", "region", "province", "department", "municipality",
             "governorate", "voivodeship")

# What a prefix says about the kind of a collectivity a reader has to invent.
KIND_HINTS: tuple[tuple[str, str], ...] = (
    ("judet", "county"), ("county", "county"), ("comte", "county"),
    ("regiun", "region"), ("region", "region"),
    ("departament", "department"), ("departement", "department"), ("department", "department"),
    ("municipi", "municipality"), ("municipalit", "municipality"), ("ville", "city"), ("city", "city"),
    ("oras", "city"), ("town", "city"), ("comun", "commune"), ("commune", "commune"), ("primari", "municipality"),
    ("mairie", "municipality"), ("provinc", "province"), ("district", "district"),
    # a Tunisian governorate or an Algerian wilaya is a province in ISO 3166-2; a voivodeship a region
    ("gouvernorat", "province"), ("governorate", "province"), ("wilaya", "province"),
    ("voivod", "region"),
)


@lru_cache(maxsize=65536)
def strip_prefixes(folded: str) -> str:
    """Strip the administrative prefixes/suffixes of an already folded name."""
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if folded.startswith(prefix + " ") and len(folded) > len(prefix) + 1:
                folded = folded[len(prefix) + 1:]
                changed = True
                break
        for suffix in _SUFFIXES:
            if folded.endswith(" " + suffix):
                folded = folded[: -len(suffix) - 1]
                changed = True
                break
    return folded


UNKNOWN_KIND = "The source does not say what kind of collectivity this is: kind 'other' until the gazetteer says."


def kind_hint(name: str) -> str | None:
    """The collectivity kind a name's prefix suggests ("Regiunea X", "Consiliul Județean X" -> ...), or None."""
    folded = fold(name)
    stripped = strip_prefixes(folded)
    # the words of the prefix that was stripped ("consiliul judetean"), else the first word
    prefix = folded[: len(folded) - len(stripped)].split() if stripped != folded else folded.split()[:1]
    for word in prefix:
        for stem, kind in KIND_HINTS:
            if word.startswith(stem):
                return kind
    return None


# Identifier fields of a collectivity, by scheme (the order is docs/identity.md's).
ID_FIELDS: tuple[tuple[str, str], ...] = (
    ("wikidata", "wikidata"), ("iso3166-2", "iso_code"), ("insee", "insee"), ("siruta", "siruta"),
    ("nuts", "nuts"), ("lau", "lau"), ("geonames", "geonames"),
)
_TOWN_KINDS = {"city", "municipality", "commune"}
# A GeoNames namesake is chosen over the others of its country only this much more populous.
POPULATION_MARGIN = 3


def identifiers(actor: Actor) -> list[tuple[str, str]]:
    """(scheme, value) of the identifiers an actor carries."""
    return [(scheme, str(value)) for scheme, name in ID_FIELDS if (value := getattr(actor, name, None))]


How = Literal["identifier", "name", "ambiguous", "minted"]


@dataclass(frozen=True)
class Match:
    """What a name (and identifiers) stands for, and how that was found."""

    key: str
    how: How
    candidates: tuple[str, ...] = ()  # for "ambiguous": "key (what it is)" of each candidate
    actor: Collectivity | None = None  # a world place made a record: the caller adds it


@dataclass
class Gazetteer:
    """Known actors by folded name and by identifier; reorganisations by country."""

    actors: dict[str, Actor] = field(default_factory=dict)
    reorganizations: list[Reorganization] = field(default_factory=list)
    use_world: bool = True
    _exact: dict[str, list[str]] = field(default_factory=dict)
    _stripped: dict[str, list[str]] = field(default_factory=dict)
    _ids: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for actor in self.actors.values():
            self._index(actor)

    def _index(self, actor: Actor) -> None:
        names = [actor.name, *actor.alt_names]
        if isinstance(actor, Collectivity) and actor.council:
            names.append(actor.council)
        for label in names:
            folded = fold(label.text)
            for table, key in ((self._exact, folded), (self._stripped, strip_prefixes(folded))):
                keys = table.setdefault(key, [])
                if actor.key not in keys:
                    keys.append(actor.key)
        for ident in identifiers(actor):
            self._ids.setdefault(ident, actor.key)

    def add(self, actor: Actor) -> None:
        """Make an actor known (a reader's newly met collectivity), so later rows find it."""
        if actor.key not in self.actors:
            self.actors[actor.key] = actor
            self._index(actor)

    def by_identifier(self, scheme: str, value: str) -> str | None:
        return self._ids.get((scheme, value))

    def _same_country(self, keys: list[str], country: str | None) -> list[str]:
        """Candidates a stated country allows: that country's, and actors without one (EU bodies)."""
        if not country:
            return keys
        return [k for k in keys if (self.actors[k].country or country).upper() == country.upper()]

    def _pick(self, keys: list[str], country: str | None, strict: bool = True) -> str | None:
        if not keys:
            return None
        if country:
            same = [k for k in keys if (self.actors[k].country or "").upper() == country.upper()]
            if same:
                return same[0]
            if strict:  # a name is never resolved to a place of another country
                keys = [k for k in keys if not self.actors[k].country]
                if not keys:
                    return None
        # Prefer a collectivity to an institution of the same name (Timiș vs its council).
        keys = sorted(keys, key=lambda k: not isinstance(self.actors[k], Collectivity))
        return keys[0]

    def resolve(self, name: str, country: str | None = None, strict: bool = True) -> str | None:
        """The key of the curated actor ``name`` stands for, or None when unknown.

        A stated country is binding: an actor of another country is never the answer.
        With ``strict=False`` the country is only a preference (a guess from the
        table's language, not a statement of the source).
        """
        folded = fold(name)
        if not folded:
            return None
        if key := self._pick(self._exact.get(folded, []), country, strict):
            return key
        stripped = strip_prefixes(folded)
        return self._pick(self._stripped.get(stripped, []) or self._exact.get(stripped, []), country, strict)

    def match(self, name: str, country: str | None = None, ids: dict[str, str] | None = None,
              prefer: str | None = None) -> Match:
        """What ``name`` (with the identifiers a source gives) stands for: docs/identity.md, section 2.

        ``prefer`` is the level the source speaks of ("city" for a twinning table's town
        columns); a kind word in the name ("Județul", "Region") says more and wins.
        """
        ids = {k: str(v).strip() for k, v in (ids or {}).items() if v and str(v).strip()}
        for scheme, value in ids.items():
            if key := self._ids.get((scheme, value)):
                return Match(key, "identifier")
        if self.use_world and country:
            for scheme, value in ids.items():
                if scheme in ("iso3166-2", "geonames") and (place := _world().by_id(scheme, value, country)):
                    return self._from_place(place, name, "identifier")
        key = self.resolve(name, country)
        if key is not None and not self._contradicts(key, ids):
            curated = getattr(self.actors[key], "kind", None)
            if (prefer in _TOWN_KINDS and curated not in _TOWN_KINDS | {"other", None} and not kind_hint(name)
                    and country and self.use_world):
                # A town column names "Arad": the town, not the curated county of the same name.
                town = self._world_match(name, country.upper(), prefer, ids)
                # the town met on an earlier row is known now: _from_place gives its key, no actor to add
                met = town.actor or self.actors.get(town.key) if town is not None else None
                if town is not None and town.how == "name" and getattr(met, "geonames", None):
                    return town
            return Match(key, "name")
        if country and self.use_world:
            found = self._world_match(name, country.upper(), kind_hint(name) or prefer, ids)
            if found is not None:
                return found
        return Match(self.mint(name, country, ids), "minted")

    def _contradicts(self, key: str, ids: dict[str, str]) -> bool:
        """An entry carrying another identifier of a scheme the source gives is another place."""
        actor = self.actors[key]
        return any(dict(identifiers(actor)).get(scheme) not in (None, value) for scheme, value in ids.items())

    def _world_match(self, name: str, country: str, level: str | None, ids: dict[str, str]) -> Match | None:
        world = _world()
        folded = fold(name)
        places = world.candidates(folded, country)
        stripped = strip_prefixes(folded)
        if stripped != folded:
            places += [p for p in world.candidates(stripped, country) if p not in places]
        if not places:
            return None
        if level:
            town = level in _TOWN_KINDS
            fitting = [p for p in places if (p.scheme == "geonames") == town and (town or p.kind == level)]
            places = fitting or places
        subdivisions = [p for p in places if p.scheme == "iso3166-2"]
        towns = sorted((p for p in places if p.scheme == "geonames"), key=lambda p: -p.population)
        if len(subdivisions) == 1 and not towns:
            return self._from_place(subdivisions[0], name, "name")
        if towns and not subdivisions and (len(towns) == 1 or
                                            towns[0].population >= POPULATION_MARGIN * max(towns[1].population, 1)):
            return self._from_place(towns[0], name, "name")
        listed = [*subdivisions, *towns][:8]
        candidates = tuple(f"{self._place_key(p)} ({p.name}, {p.kind}, {p.scheme} {p.id}"
                           + (f", population {p.population}" if p.population else "") + ")" for p in listed)
        key = self.mint(name, country, ids)
        if key in {self._place_key(p) for p in [*subdivisions, *towns]}:
            key = f"{key}-ambiguous"  # a candidate's key would make the unresolved name that candidate (identity.md)
        return Match(key, "ambiguous", candidates)

    def _place_key(self, p: Place) -> str:
        if p.scheme == "iso3166-2":
            return p.id.lower()
        slug = slugify(p.name)
        key = f"{p.country.lower()}-{slug}"
        # another place has this key (the curated Arad county), or a namesake in the country could have it
        taken = key in self.actors and getattr(self.actors[key], "geonames", None) != p.id
        if taken or _world().slug_taken(p.country, slug) > 1:
            key = f"{key}-gn{p.id}"
        return key

    def _from_place(self, p: Place, name: str, how: How) -> Match:
        key = self._place_key(p)
        if key in self.actors:
            return Match(key, how)
        ident = {"iso3166-2": "iso_code", "geonames": "geonames"}[p.scheme]
        actor = Collectivity(
            key=key, name=Label(p.name, "en"), country=p.country, kind=p.kind,
            point=(Point(p.latitude, p.longitude, f"GeoNames {p.id}")
                   if p.scheme == "geonames" and p.latitude is not None and p.longitude is not None else None),
            **{ident: p.id},  # type: ignore[arg-type]
        )
        if fold(name) != fold(p.name):
            actor.alt_names.append(Label(name, "en"))
        return Match(key, how, actor=actor)

    def mint(self, name: str, country: str | None, ids: dict[str, str] | None = None) -> str:
        """A new key for an unknown name: ``<iso2>-<slug of the name without prefixes>``.

        With a Wikidata item, its QID is part of the key (two items with one label
        never share a key).
        """
        base = strip_prefixes(fold(name)) or fold(name)
        key = f"{(country or 'xx').lower()}-{slugify(base)}"
        if ids and ids.get("wikidata"):
            key = f"{key}-{ids['wikidata'].lower()}"
        return key

    def reorganization_for(self, country: str | None) -> str | None:
        """The one known reorganisation of a country (the 2016 French reform for FR)."""
        found = [r.key for r in self.reorganizations if country and (r.country or "").upper() == country.upper()]
        return found[0] if len(found) == 1 else None


def _world() -> World:
    # imported lazily: building or reading the world index takes seconds, curated names need none of it
    from coopkg.normalise.world import world

    return world()


_SPLIT_LIST = re.compile(r"\s*(?:,|;|\bși\b|\bsi\b|\bet\b|\band\b|&)\s*", re.I)


def split_names(text: str) -> list[str]:
    """"Arad, Caraș-Severin, Hunedoara și Timiș" -> the four names."""
    return [part.strip(" .") for part in _SPLIT_LIST.split(text) if part and part.strip(" .")]
