"""Country names as sources write them (fr, ro, en, de, es, it) -> ISO 3166-1 alpha-2 codes.

The names come from pycountry's ISO 3166 data and its translations, so "Tunisie",
"Tunisia", "Franța", "Republica Franceză" and "TN" all give "TN", and the German, Spanish
and Italian Wikipedias' twinning tables ("Frankreich", "Estados Unidos", "Spagna") read.
"""

from __future__ import annotations

import gettext
import re
from functools import cache

from coopkg.vocabularies import fold

# fr, ro, en first: a name two languages give to different countries keeps its fr/ro/en meaning.
LANGUAGES = ("fr", "ro", "en", "de", "es", "it")
# Usual short forms that the ISO names (in any language) do not give live in
# data/gazetteer-countries.yaml ("Russia", "England" -> GB, "Kosovo" -> XK...).


@cache
def _aliases() -> dict[str, str]:
    raw = _data()
    aliases = {fold(str(name)): str(code).upper() for name, code in (raw.get("aliases") or {}).items()}
    for code, names in (raw.get("former_one_country") or {}).items():
        aliases.update({fold(str(name)): str(code).upper() for name in names})
    return aliases


@cache
def _data() -> dict:
    import yaml

    from coopkg import resources

    path = resources.folder("data") / "gazetteer-countries.yaml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None) or {}


@cache
def _former_states() -> frozenset[str]:
    return frozenset(fold(str(name)) for name in _data().get("former_several_countries") or [])


def is_former_state(name: str) -> bool:
    """Whether ``name`` is a former state whose towns are in several countries today (the USSR,
    Yugoslavia...): data/gazetteer-countries.yaml; such a name gives no country."""
    return fold(name) in _former_states()


@cache
def _index() -> dict[str, str]:
    import pycountry

    index: dict[str, str] = {}
    translators = {lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
                   for lang in LANGUAGES}
    for country in pycountry.countries:
        code = country.alpha_2
        names = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}
        for name in [n for n in names if n]:
            for translator in translators.values():
                for variant in (name, translator.gettext(name)):
                    folded = fold(variant)
                    index.setdefault(folded, code)
                    # "Palestine, État de" / "Moldova, Republica" -> also "Palestine" / "Moldova"
                    if "," in variant:
                        index.setdefault(fold(variant.split(",")[0]), code)
        index.setdefault(code.lower(), code)
        index.setdefault(country.alpha_3.lower(), code)
    index.update(_aliases())
    return index


def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code coopkg knows (XK for Kosovo included)."""
    return code.upper() in _codes()


@cache
def _codes() -> frozenset[str]:
    import pycountry

    return frozenset({c.alpha_2 for c in pycountry.countries} | {"XK"})


def country_code(name: str) -> str | None:
    """The ISO alpha-2 code a country name or code stands for, or None."""
    return _index().get(fold(name)) if name and name.strip() else None


def split_trailing_country(text: str) -> tuple[str, str | None]:
    """"El Jem Tunisie" -> ("El Jem", "TN"): the longest trailing words naming a country."""
    words = text.split()
    for start in range(1, len(words)):
        code = country_code(" ".join(words[start:]))
        if code and len(" ".join(words[start:])) > 2:
            return " ".join(words[:start]), code
    return text, None


_STATED = re.compile(r"^(?P<name>.+?)\s*(?:,\s*(?P<comma>[^,()]+?)|\(\s*(?P<paren>[^()]+?)\s*\))\s*$")


@cache
def _subdivision_names() -> dict[str, frozenset[str]]:
    """Folded ISO 3166-2 subdivision names -> the countries that have one so named."""
    import pycountry

    names: dict[str, set[str]] = {}
    for subdivision in pycountry.subdivisions:
        names.setdefault(fold(subdivision.name), set()).add(subdivision.country_code)
    return {name: frozenset(codes) for name, codes in names.items()}


def split_stated_country(text: str) -> tuple[str, str | None]:
    """"Heidelberg, Germany" / "Szeged (Hungary)" -> (name, ISO code): a country stated in a name cell.

    Not when the country's name is also a subdivision's elsewhere ("Atlanta, Georgia" is
    in the US; "Niamey, Niger" could be Nigeria's state): then (text, None), never a guess."""
    m = _STATED.match(text.strip())
    if m is None:
        return text, None
    country = m.group("comma") or m.group("paren") or ""
    code = country_code(country)
    if code is None or _subdivision_names().get(fold(country), frozenset()) - {code}:
        return text, None
    return m.group("name").strip(), code


def find_country(text: str) -> str | None:
    """The first country named anywhere in a text ("... UAT din Franța" -> "FR")."""
    words = fold(text).split()
    for size in (4, 3, 2, 1):
        for i in range(len(words) - size + 1):
            chunk = " ".join(words[i:i + size])
            if len(chunk) > 3 and chunk in _index():
                return _index()[chunk]
    return None


def is_subdivision_name(name: str, country: str | None) -> bool:
    """Whether ``name`` is an ISO 3166-2 subdivision's of ``country`` (of any country when None):
    "Bouches-du-Rhône" beside "Aix-en-Provence", a département, not part of the town's name."""
    found = _subdivision_names().get(fold(name), frozenset())
    return bool(found) and (country is None or country.upper() in found)


def drop_subdivision_hint(name: str, country: str | None) -> str:
    """"Aix-en-Provence (Bouches-du-Rhône)" -> "Aix-en-Provence": a subdivision in parentheses
    tells namesakes apart for a reader, and the name matching (coopkg.normalise.names) takes
    no such hint, so it is kept out of the name; "Halle (Saale)" (a river) stays whole."""
    m = re.match(r"^(?P<name>.+?)\s*\(\s*(?P<hint>[^()]+?)\s*\)$", name.strip())
    if m is None or not is_subdivision_name(m.group("hint"), country):
        return name
    return m.group("name")
