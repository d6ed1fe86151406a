"""Names -> collectivity keys, through the gazetteer (data/gazetteer.yaml).

A name is compared case- and diacritic-insensitively with every actor's name,
alternative names and council name, with the usual prefixes stripped ("Regiunea",
"Departamentul", "Județul", "Consiliul Județean", "Conseil général du", "Ville de"...),
so "Departamentul Rhone", "Consiliul General al Rhône" and "Rhône" meet at ``fr-rhone``.
A name the gazetteer does not know gets a new key ``<iso2>-<slug>``; the reader says so.
The gazetteer file is loaded by `coopkg.readers.gazetteer` (reading records is a reader's job).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coopkg.iris import slugify
from coopkg.records import Actor, Collectivity, Reorganization
from coopkg.vocabularies import fold

# Folded prefixes, longest first; stripped repeatedly ("Consiliul Județean al Județului ...").
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
        "conseil regional", "region", "la region", "departement du", "departement de la",
        "departement de l", "departement de", "departement d", "departement", "le departement du",
        "ville de", "ville d", "la ville de", "ville", "commune de", "commune d", "commune", "mairie de",
        "mairie d", "municipalite de", "municipalite d", "municipalite", "province du", "province de",
        "province d", "province", "comte de", "comte du", "comte d", "county of",
        "departements de", "departements d", "departements du", "departements", "des departements de",
        "des departements d", "regions", "communes de", "communes d", "villes de", "villes d",
        # en
        "county council of", "county council", "city of", "town of", "region of", "province of",
        "municipality of", "department of", "district of", "the",
    },
    key=len,
    reverse=True,
)
_SUFFIXES = ("county council", "county", "city council", "region", "province", "department", "municipality")

# What a prefix says about the kind of a collectivity a reader has to invent.
KIND_HINTS: tuple[tuple[str, str], ...] = (
    ("judet", "county"), ("county", "county"), ("comte", "county"),
    ("regiun", "region"), ("region", "region"),
    ("departament", "department"), ("departement", "department"), ("department", "department"),
    ("municipi", "municipality"), ("municipalit", "municipality"), ("ville", "city"), ("city", "city"),
    ("oras", "city"), ("town", "city"), ("comun", "commune"), ("commune", "commune"), ("primari", "municipality"),
    ("mairie", "municipality"), ("provinc", "province"), ("district", "district"),
)


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
    """The collectivity kind a name's prefix suggests ("Regiunea X" -> region), or None."""
    first = fold(name).split(" ", 1)[0] if name.strip() else ""
    for stem, kind in KIND_HINTS:
        if first.startswith(stem):
            return kind
    return None


@dataclass
class Gazetteer:
    """Known actors by folded name; reorganisations by country."""

    actors: dict[str, Actor] = field(default_factory=dict)
    reorganizations: list[Reorganization] = field(default_factory=list)
    _exact: dict[str, list[str]] = field(default_factory=dict)
    _stripped: dict[str, list[str]] = field(default_factory=dict)

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

    def add(self, actor: Actor) -> None:
        """Make an actor known (a reader's newly met collectivity), so later rows find it."""
        if actor.key not in self.actors:
            self.actors[actor.key] = actor
            self._index(actor)

    def _pick(self, keys: list[str], country: str | None) -> str | None:
        if not keys:
            return None
        if country:
            same = [k for k in keys if (self.actors[k].country or "").upper() == country.upper()]
            if same:
                return same[0]
        # Prefer a collectivity to an institution of the same name (Timiș vs its council).
        keys = sorted(keys, key=lambda k: not isinstance(self.actors[k], Collectivity))
        return keys[0]

    def resolve(self, name: str, country: str | None = None) -> str | None:
        """The key of the actor ``name`` stands for, or None when unknown."""
        folded = fold(name)
        if not folded:
            return None
        if key := self._pick(self._exact.get(folded, []), country):
            return key
        stripped = strip_prefixes(folded)
        return self._pick(self._stripped.get(stripped, []) or self._exact.get(stripped, []), country)

    def mint(self, name: str, country: str | None) -> str:
        """A new key for an unknown name: ``<iso2>-<slug of the name without prefixes>``."""
        base = strip_prefixes(fold(name)) or fold(name)
        return f"{(country or 'xx').lower()}-{slugify(base)}"

    def reorganization_for(self, country: str | None) -> str | None:
        """The one known reorganisation of a country (the 2016 French reform for FR)."""
        found = [r.key for r in self.reorganizations if country and (r.country or "").upper() == country.upper()]
        return found[0] if len(found) == 1 else None


_SPLIT_LIST = re.compile(r"\s*(?:,|;|\bși\b|\bsi\b|\bet\b|\band\b|&)\s*", re.I)


def split_names(text: str) -> list[str]:
    """"Arad, Caraș-Severin, Hunedoara și Timiș" -> the four names."""
    return [part.strip(" .") for part in _SPLIT_LIST.split(text) if part and part.strip(" .")]
