"""Table headers -> column roles, by scoring every header against every role (en/fr/ro).

A header is read as words ("Collectivité et région à l'étranger" -> collectivite, et,
region, a, l, etranger; "city1" -> city, 1). Each role has weighted words and phrases;
a phrase at the start of the header counts double ("Date de fin" is an end date before
it is a date). Roles are then given to columns best score first, each role and each
column once, so a header is never taken by the first pattern that happens to match
and a later, better column left without a role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coopkg.normalise.text import clean
from coopkg.vocabularies import fold

Vocabulary = dict[str, dict[str, float]]  # role -> phrase (folded words) -> weight


def words(header: str) -> list[str]:
    """Folded words of a header, digits apart from letters ("country_2" -> country, 2).

    camelCase is split first: a Wikidata Query Service download names its columns after
    the query's variables ("itemLabel", "twinCountryLabel")."""
    spaced = re.sub(r"(?<=[a-zà-ÿ])(?=[A-Z])", " ", clean(header))
    return re.findall(r"[a-z]+|\d+", fold(spaced))


def score(header: str, phrases: dict[str, float]) -> float:
    tokens = words(header)
    text = f" {' '.join(tokens)} "
    total = 0.0
    for phrase, weight in phrases.items():
        if f" {phrase} " in text:
            total += weight * (2 if text.startswith(f" {phrase} ") else 1)
    return total


@dataclass(frozen=True)
class Assignment:
    roles: dict[int, str]  # column index -> role
    scores: dict[int, float]


def assign(headers: list[str], vocabulary: Vocabulary, minimum: float = 2.0) -> Assignment:
    """Give each role to the column that fits it best (each column at most one role)."""
    table = [(score(h, phrases), -i, i, role) for i, h in enumerate(headers) for role, phrases in vocabulary.items()]
    roles: dict[int, str] = {}
    scores: dict[int, float] = {}
    taken: set[str] = set()
    for value, _, column, role in sorted(table, reverse=True):
        if value < minimum or column in roles or role in taken:
            continue
        roles[column] = role
        scores[column] = value
        taken.add(role)
    return Assignment(dict(sorted(roles.items())), scores)


# Coordinate headers (en, fr: latitude/longitude; ro: latitudine/longitudine; GIS short forms).
# Weighted above any name word, so "city1_lat" is the first city's latitude, not a name column.
LATITUDE = {"latitude": 7, "latitudine": 7, "lat": 7}
LONGITUDE = {"longitude": 7, "longitudine": 7, "lon": 7, "lng": 7, "long": 7}

# -- one row per agreement (registries) ----------------------------------------------------
REGISTRY: Vocabulary = {
    "institution": {"institution": 3, "institutia": 3, "autorite": 2, "authority": 2, "council": 2, "consiliul": 2,
                    "signatory": 3, "signataire": 3, "organisation": 1.5, "organization": 1.5,
                    "local authority": 3, "collectivite": 1, "collectivite francaise": 3, "home": 1.5,
                    "institutie": 3, "our": 1, "collectivite territoriale": 3, "francaise": 1.5},
    "partner": {"partner": 3, "partener": 3, "partenerul": 3, "partenaire": 3, "partenaires": 3, "foreign": 3,
                "etranger": 3, "etrangere": 3, "strainatate": 3, "localitatea": 2, "locality": 2, "abroad": 3,
                "counterpart": 3, "collectivite etrangere": 4, "collectivite partenaire": 4, "ville partenaire": 4,
                "region": 1, "regiunea": 1, "judetul": 0.5, "twin": 2, "jumelle": 2, "exterieur": 2,
                # "Autorité locale partenaire" is the partner, whatever word it starts with
                "locale partenaire": 5, "twinned": 3, "twinned with": 3, "extern": 3, "externe": 3},
    "kind": {"tipul": 3, "tip": 3, "type": 3, "kind": 3, "forme": 2.5, "forma": 2.5, "nature": 2.5,
             "relation": 1, "relatiei": 1, "relationship": 1, "instrument": 1.5},
    "date": {"data": 2.5, "date": 2.5, "dates": 2.5, "signed": 3, "signature": 3, "conclusion": 2, "incheierii": 2,
             "annee": 2, "year": 2, "anul": 2, "semnarii": 2, "since": 1.5, "depuis": 1.5},
    "status": {"stadiul": 3, "stare": 3, "starea": 3, "statut": 3, "status": 3, "etat": 2.5, "situation": 2,
               "situatia": 2, "state": 1.5},
    "country": {"tara": 3, "pays": 3, "country": 3, "statul": 1},
    "end": {"data incetarii": 5, "data expirarii": 5, "data finalizarii": 5, "date de fin": 5, "date d expiration": 5,
            "date de cloture": 5, "end": 3, "fin": 2.5, "expir": 2, "expiration": 3, "expiry": 3, "until": 2,
            "incetare": 3, "incetarii": 3, "ended": 2.5},
    "renewed": {"data reinnoirii": 5, "reinnoit": 3, "reinnoire": 3, "date de renouvellement": 5, "renouvellement": 3,
                "renouvele": 3, "renewed": 3, "renewal": 3},
    "title": {"titlu": 3, "titre": 3, "title": 3, "denumire": 2.5, "intitule": 3, "objet": 2, "subject": 2},
    "term": {"durata": 3, "duree": 3, "term": 3, "duration": 3},
    "domains": {"domenii": 3, "domeniul": 3, "domaines": 3, "domaine": 3, "domains": 3, "fields": 3, "themes": 3,
                "thematiques": 3, "thematique": 3, "areas": 2},
    "note": {"observatii": 3, "remarques": 3, "remarque": 3, "notes": 3, "note": 3, "comments": 3, "comment": 3,
             "mentiuni": 3, "commentaire": 3, "commentaires": 3},
    # A registry lists one institution's partners: coordinates on its rows are the partner's.
    "partner_latitude": LATITUDE,
    "partner_longitude": LONGITUDE,
}

# -- one row per pair of parties ------------------------------------------------------------
PAIR_CONCEPTS: Vocabulary = {
    "name": {"city": 3, "town": 3, "ville": 3, "commune": 2.5, "municipality": 2.5, "municipalite": 2.5, "oras": 3,
             "orasul": 3, "localitate": 3, "localitatea": 3, "locality": 3, "name": 2, "nom": 2, "denumire": 2,
             "place": 2, "lieu": 2, "collectivite": 2.5, "municipiu": 3, "municipiul": 3, "label": 1.5,
             "twin": 1.5, "jumelle": 1.5, "sister city": 3, "partner city": 3, "item label": 2, "region": 1.5,
             "county": 1.5, "departement": 1.5, "judet": 1.5, "entity": 1.5,
             # Wikidata's own name for P190 as a query variable: ?twinnedAdministrativeBody
             "administrative body": 3,
             # de, es, it: Wikipedia's "Partnerstädte", "Ciudades hermanadas", "Gemellaggi" tables
             "stadt": 3, "partnerstadt": 3, "partnerstadte": 3, "gemeinde": 2.5, "partnergemeinde": 3,
             "ciudad": 3, "ciudades": 3, "municipio": 2.5, "localidad": 3, "comune": 3, "citta": 3},
    "country": {"country": 4, "pays": 4, "tara": 4, "nation": 3, "land": 1, "country code": 4, "iso": 1,
                "pais": 4, "nazione": 4, "paese": 4, "stato": 3, "staat": 3, "country label": 3},
    "wikidata": {"qid": 4, "wikidata": 4, "wd": 3, "item": 2, "q": 1},
    "geonames": {"geonames": 4, "geonameid": 4, "geoname": 4},
    "date": {"year": 3, "since": 3, "date": 3, "annee": 3, "depuis": 3, "start": 3, "debut": 3, "anul": 3, "data": 3,
             "signed": 3, "twinned": 2, "from": 1, "seit": 3, "jahr": 3, "ano": 3, "desde": 3, "fecha": 3,
             "anno": 3, "dal": 3},
    "end": {"end": 3, "fin": 3, "until": 3, "ended": 3, "jusqu": 3},
    "kind": {"type": 3, "kind": 3, "form": 3, "forme": 3, "tip": 3, "tipul": 3, "relation": 1},
    "status": {"status": 3, "statut": 3, "stadiul": 3, "etat": 3},
    "note": {"note": 3, "notes": 3, "comment": 3, "comments": 3, "remarque": 3, "remarques": 3, "observatii": 3},
    "latitude": LATITUDE,
    "longitude": LONGITUDE,
}
SIDE_A = {"1", "a", "from", "source", "home", "own", "first", "local", "origin"}
SIDE_B = {"2", "b", "to", "twin", "twinned", "jumelle", "jumelee", "jumele", "jumelles", "partner", "partenaire",
          "partener", "sister", "other", "target", "infratit", "infratita", "infratire", "second", "foreign",
          "etrangere", "etranger", "counterpart", "partnered", "partnerstadt", "partnerstadte", "partnergemeinde",
          "hermanada", "hermanadas", "hermana", "gemellato", "gemellata", "gemellate", "gemellati"}
PARTY_CONCEPTS = ("name", "country", "wikidata", "geonames", "latitude", "longitude")


def _side(header: str) -> str | None:
    tokens = words(header)
    if tokens and tokens[-1] in {"1", "a"} or any(t in SIDE_A - {"a"} for t in tokens):
        return "a"
    if tokens and tokens[-1] in {"2", "b"} or any(t in SIDE_B - {"b"} for t in tokens):
        return "b"
    return None


def pair_columns(headers: list[str]) -> dict[int, str]:
    """Columns of a pair table -> roles ``name_a``, ``country_b``, ``wikidata_a``, ``date``...

    A header without a side marker takes side a if the other side is marked ("ville"
    beside "ville jumelle"), else the sides go in order ("pays" ... "pays"); a country,
    QID or GeoNames column without a marker belongs to the name column before it.
    """
    concepts: dict[int, str] = {}
    for i, header in enumerate(headers):
        scored = sorted(((score(header, phrases), concept) for concept, phrases in PAIR_CONCEPTS.items()), reverse=True)
        if scored and scored[0][0] >= 2:
            concepts[i] = scored[0][1]
    # A Wikidata Query Service download: "item" holds the entity IRIs of "itemLabel"'s names,
    # "country" those of "countryLabel" (the country's name is the column to read).
    folded = [" ".join(words(h)) for h in headers]
    items: dict[int, int] = {}
    for i, text in enumerate(folded):
        label = next((j for j, other in enumerate(folded) if text and other == f"{text} label"), None)
        if label is None or concepts.get(label) not in ("name", "country"):
            continue
        if concepts[label] == "name":
            concepts[i] = "wikidata"
            items[i] = label
        else:
            concepts.pop(i, None)
    roles: dict[int, str] = {}
    sides: dict[int, str | None] = {i: _side(headers[i]) if c in PARTY_CONCEPTS else None for i, c in concepts.items()}
    names = [i for i, c in concepts.items() if c == "name"]
    marked = {sides[i] for i in names if sides[i]}
    order = iter(["a", "b"])
    for i in names:
        if sides[i] is None:
            sides[i] = ("a" if "b" in marked else "b") if len(marked) == 1 else next(order, None)
    for i, label in items.items():
        sides[i] = sides[i] or sides[label]
    for i, concept in concepts.items():
        if concept == "name" or concept not in PARTY_CONCEPTS or sides[i]:
            continue
        # "countryLabel" beside "twinCountryLabel": the side the marked one leaves free
        others = {sides[j] for j, c in concepts.items() if c == concept and j != i and sides[j]}
        if len(others) == 1:
            sides[i] = "b" if others == {"a"} else "a"
            continue
        before = [n for n in names if n < i]
        sides[i] = sides[before[-1]] if before else None
    taken: set[str] = set()
    for i, concept in concepts.items():
        role = f"{concept}_{sides[i]}" if concept in PARTY_CONCEPTS else concept
        if concept in PARTY_CONCEPTS and sides[i] is None:
            continue
        if role not in taken:
            roles[i] = role
            taken.add(role)
    return roles


def is_pair_table(roles: dict[int, str]) -> bool:
    """Two parties, each with its own country or identifier column (a registry has one country, for partners)."""
    found = set(roles.values())
    named = any({f"{c}_a", f"{c}_b"} <= found for c in ("name", "wikidata"))
    return named and any({f"{c}_a", f"{c}_b"} <= found for c in ("country", "wikidata", "geonames", "latitude"))


# -- twin towns as a list under a heading (a saved page's "Twin towns – sister cities") ------
# A list on a page is read only under a heading that names twin towns or partner cities
# (coopkg.readers.htmllist); the heading, or a short line above the list, also says what
# kind of partnership its items are, as an agreement-kind code (ontology/vocabularies/
# agreement-kinds.ttl): twinning; partner cities are the vocabulary's partnership-agreement;
# friendship cities and "Coopérations" its collaboration (no named instrument); cooperation
# agreements its cooperation-agreement. Twinning words weigh most: "Twin towns and partner
# cities" and "Jumelages et coopérations" are twinning sections.
LIST_HEADINGS: Vocabulary = {
    "twinning": {
        "twin towns": 4, "twin cities": 4, "twin city": 4, "twin town": 4, "sister cities": 4, "sister city": 4,
        "twinning": 4, "twinnings": 4, "twinned with": 4, "town twinning": 4, "is twinned": 4,
        "jumelages": 4, "jumelage": 4, "villes jumelles": 4, "villes jumelees": 4, "jumelee avec": 4,
        "partnerstadte": 4, "partnerstadt": 4, "stadtepartnerschaften": 4, "stadtepartnerschaft": 4,
        "partnergemeinden": 4, "partnerschaften": 3,
        "orase infratite": 4, "orasele infratite": 4, "infratiri": 4, "infratit cu": 4, "infratire": 4,
        "ciudades hermanadas": 4, "ciudades hermanas": 4, "hermanamientos": 4, "hermanamiento": 4,
        "hermanada con": 4,
        "gemellaggi": 4, "gemellaggio": 4, "citta gemellate": 4, "gemellata con": 4,
    },
    "partnership-agreement": {
        "partner cities": 3, "partner towns": 3, "partner city": 3, "partnership cities": 3, "partnerships": 3,
        "villes partenaires": 3, "partenariats": 3, "orase partenere": 3, "parteneriate": 3,
        "ciudades asociadas": 3, "citta partner": 3, "partenariati": 3,
    },
    "collaboration": {
        "friendship cities": 3, "friendship towns": 3, "friendly cities": 3, "friendship": 3, "villes amies": 3,
        "amitie": 3, "freundschaftsstadte": 3, "freundschaften": 3, "stadtefreundschaften": 3,
        "orase prietene": 3, "ciudades amigas": 3, "citta amiche": 3, "amicizia": 3,
        "cooperations": 3, "cooperation": 1.5, "cooperation decentralisee": 3, "kooperationen": 3,
        "colaborari": 3, "cooperari": 3, "cooperaciones": 3, "cooperazioni": 3,
    },
    "cooperation-agreement": {
        "cooperation agreements": 4, "accords de cooperation": 4, "kooperationsvereinbarungen": 4,
        "acorduri de cooperare": 4, "acuerdos de cooperacion": 4, "accordi di cooperazione": 4,
    },
}
LIST_HEADING_MINIMUM = 3.0
# A sub-heading under a twinning heading that keeps its section: a continent (or a country,
# coopkg.normalise.countries); any other ("Contact", "Horaires") ends it: a council page's
# title may name its twinnings, its later sections are not twin towns.
CONTINENTS = {"europe", "europa", "asia", "asie", "asien", "africa", "afrique", "afrika", "america", "americas",
              "amerique", "ameriques", "amerika", "americi", "north america", "south america", "latin america",
              "amerique du nord", "amerique du sud", "amerique latine", "nordamerika", "sudamerika", "lateinamerika",
              "america de nord", "america de sud", "america latina", "america del norte", "america del sur",
              "america del nord", "oceania", "oceanie", "ozeanien", "middle east", "moyen orient", "naher osten",
              "orientul mijlociu", "oriente medio", "medio oriente", "other", "autres", "andere", "altele", "otras",
              "altre"}
# The words before a list item's start year ("(seit 1959)", "depuis 1990", "din 1991"): en, de, fr, ro, es, it.
SINCE_WORDS = ("since", "from", "seit", "depuis", "din", "desde", "dal", "dall", "dai", "dalla")


def is_continent(text: str) -> bool:
    """Whether a sub-heading names a continent (or "Other"): a twinning list's part, not a new section."""
    return " ".join(words(text)) in CONTINENTS


def list_kind(text: str) -> str | None:
    """The agreement kind a heading (or a line above a list) names, if it names twin towns or partners."""
    scored = sorted(((score(text, phrases), kind) for kind, phrases in LIST_HEADINGS.items()), reverse=True)
    return scored[0][1] if scored and scored[0][0] >= LIST_HEADING_MINIMUM else None


# -- a national list article ("List of twin towns and sister cities in France") ---------------
# Its title (or <h1>) starts with a list word and names twinnings; the body is a home town a
# sub-heading (or a "X is twinned with:" line), each followed by its partners. The words are
# folded as words() folds them: "Liste der deutsch-französischen Städtepartnerschaften",
# "Lista orașelor înfrățite din România", "Liste des jumelages et partenariats de villes".
ARTICLE_LIST_WORDS = ("list of", "liste des", "liste der", "liste de", "lista", "lista de", "elenco dei",
                      "elenco delle")
ARTICLE_TWINNING_WORDS = ("twin towns", "twin cities", "sister cities", "twinnings", "twinned", "jumelages",
                          "villes jumelees", "stadtepartnerschaften",
                          "orase infratite", "orasele infratite", "oraselor infratite", "infratiri",
                          "ciudades hermanadas", "hermanamientos", "gemellaggi", "citta gemellate")
# The country a title names by an adjective ("deutsch-französischen", "franco-allemands",
# "româno-francez"): folded stems, each the start of the title's word. The towns' own
# country is the first named (the article's subject), the partners' the second.
ARTICLE_COUNTRY_ADJECTIVES = {
    # de
    "deutsch": "DE", "franzos": "FR", "polnisch": "PL", "italienisch": "IT", "britisch": "GB", "englisch": "GB",
    "rumanisch": "RO", "osterreich": "AT", "tschechisch": "CZ", "ungarisch": "HU", "russisch": "RU",
    "ukrainisch": "UA", "israelisch": "IL", "japanisch": "JP", "chinesisch": "CN", "spanisch": "ES",
    "niederlandisch": "NL", "belgisch": "BE", "schweizer": "CH", "danisch": "DK", "schwedisch": "SE",
    "norwegisch": "NO", "finnisch": "FI", "griechisch": "GR", "turkisch": "TR", "portugiesisch": "PT",
    "luxemburgisch": "LU", "slowakisch": "SK", "slowenisch": "SI", "kroatisch": "HR", "litauisch": "LT",
    "lettisch": "LV", "estnisch": "EE", "bulgarisch": "BG", "serbisch": "RS", "amerikanisch": "US",
    "moldauisch": "MD", "irisch": "IE",
    # fr
    "franco": "FR", "germano": "DE", "allemand": "DE", "italo": "IT", "italien": "IT", "polono": "PL",
    "polonais": "PL", "anglo": "GB", "britannique": "GB", "roumain": "RO", "hispano": "ES", "espagnol": "ES",
    # ro, en
    "romano": "RO", "francez": "FR", "german": "DE",
}
# Headings after which an article's content is over: its lists are links and sources, not partners.
BACK_MATTER = {"see also", "references", "notes", "notes and references", "external links", "further reading",
               "sources", "bibliography", "voir aussi", "references et notes", "notes et references", "liens externes",
               "bibliographie", "siehe auch", "weblinks", "einzelnachweise", "literatur", "anmerkungen", "quellen",
               "vezi si", "referinte", "note", "legaturi externe", "bibliografie", "vease tambien", "referencias",
               "enlaces externos", "voci correlate", "note e riferimenti", "collegamenti esterni"}
# Headings of an article's sections that name no town ("History", "Geschichte", "Istoric"): a
# list right under one is not a town's partners, and the heading is never made a place. With
# them, a twinning heading (LIST_HEADINGS: "Twin towns – sister cities", "Partner cities") is a
# section too, and a date ("1950s", "Since 1990", PERIOD_WORDS). A heading starting with one
# ("Statistics by region", "Storia dei gemellaggi") is one. No town's name is among them ("List"
# is: List auf Sylt; "Other" is a grouping, CONTINENTS).
SECTION_TITLES = {
    # en
    "history", "overview", "background", "introduction", "summary", "description", "statistics", "gallery",
    "images", "photos", "pictures", "map", "maps", "contents", "context", "miscellaneous",
    # fr
    "historique", "histoire", "presentation", "apercu", "generalites", "contexte", "statistiques", "galerie",
    "galerie d images", "carte", "cartes", "sommaire", "divers",
    # de
    "geschichte", "uberblick", "ubersicht", "allgemeines", "einleitung", "hintergrund", "statistik", "statistiken",
    "bildergalerie", "bilder", "karte", "karten", "verschiedenes",
    # ro
    "istoric", "istorie", "istoria", "prezentare", "prezentare generala", "statistici", "statistica",
    "galerie foto", "imagini", "harta", "diverse",
    # es
    "historia", "resumen", "descripcion", "vision general", "antecedentes", "introduccion", "contexto",
    "estadisticas", "galeria", "galeria de imagenes", "imagenes", "mapa", "mapas", "varios",
    # it
    "storia", "panoramica", "descrizione", "introduzione", "contesto", "statistiche", "galleria",
    "galleria d immagini", "immagini", "mappa", "mappe", "varie",
}
# The words of a heading that is a date or a period, beside its years ("1950s", "Since 1990",
# "Années 1990", "1990er Jahre", "Anii 1990", "From 1950 to 1960"): en, fr, de, ro, es, it.
PERIOD_WORDS = {*SINCE_WORDS, "s", "er", "ern", "years", "decade", "decades", "century", "the", "to", "until",
                "till", "and", "before", "after", "in", "annees", "decennie", "siecle", "jusqu", "en", "a", "au",
                "avant", "apres", "et", "de", "des", "du", "jahre", "jahren", "jahrzehnt", "jahrhundert", "bis",
                "vor", "nach", "und", "anii", "ani", "deceniul", "secolul", "pana", "la", "inainte", "dupa", "si",
                "anos", "decada", "siglo", "hasta", "antes", "despues", "y", "los", "anni", "decennio", "secolo",
                "fino", "al", "prima", "dopo", "e", "gli"}
# A twinning heading saying its twinnings are over ("Former twin towns", "Anciens jumelages",
# "Ehemalige Partnerstädte", "Foste orașe înfrățite", "Antiguas ciudades hermanadas", "Ex gemellaggi").
FORMER_WORDS = {"former", "past", "ended", "previous", "ancien", "anciens", "ancienne", "anciennes", "ex",
                "ehemalige", "ehemaligen", "fruhere", "fruheren", "beendete", "beendeten", "fost", "foste", "fostele",
                "fostul", "antiguo", "antiguos", "antigua", "antiguas", "anteriores", "precedenti", "cessati",
                "passati"}


def is_section_title(heading: str) -> bool:
    """Whether a heading is, or starts with, a section title (SECTION_TITLES): "History", "Geschichte"."""
    text = " ".join(words(heading))
    return any(text == t or text.startswith(f"{t} ") for t in SECTION_TITLES)


def is_period(heading: str) -> bool:
    """Whether a heading is a date or a period: its years and PERIOD_WORDS only ("1950s", "Since 1990")."""
    tokens = words(heading)
    return any(t.isdigit() for t in tokens) and all(t.isdigit() or t in PERIOD_WORDS for t in tokens)


def is_former(heading: str) -> bool:
    """Whether a twinning heading says its twinnings are over ("Former twin towns", "Anciens jumelages")."""
    return list_kind(heading) is not None and any(t in FORMER_WORDS for t in words(heading))


# What a line above a home town's partners says after the town: "Aix-en-Provence is twinned
# with:", "Saarlouis unterhält Partnerschaften mit:", "Bistrița este înfrățit cu:".
ARTICLE_TWINNED_WITH = ("is twinned with", "is twinned", "has twinned", "est jumelee avec", "est jumele avec",
                        "est jumelee a", "est jumele a", "est jumelee", "est jumele", "ist verschwistert mit",
                        "unterhalt partnerschaften mit", "unterhalt stadtepartnerschaften mit",
                        "unterhalt eine partnerschaft mit", "pflegt partnerschaften mit",
                        "pflegt stadtepartnerschaften mit", "hat partnerstadte", "este infratit cu",
                        "este infratita cu", "este infratit", "este infratita", "esta hermanada con",
                        "e gemellata con", "e gemellato con")


def _phrase_at(tokens: list[str], phrases: tuple[str, ...]) -> int | None:
    """Where in ``tokens`` the first of ``phrases`` starts (longest first), or None."""
    text = f" {' '.join(tokens)} "
    for phrase in sorted(phrases, key=len, reverse=True):
        at = text.find(f" {phrase} ")
        if at >= 0:
            return text[:at].count(" ")
    return None


def is_list_article_title(title: str) -> bool:
    """Whether a page's title is a national list article's ("List of twin towns and sister cities in France")."""
    tokens = words(title)
    text = " ".join(tokens)
    return (any(text == w or text.startswith(f"{w} ") for w in ARTICLE_LIST_WORDS)
            and _phrase_at(tokens, ARTICLE_TWINNING_WORDS) is not None)


def is_back_matter(heading: str) -> bool:
    """"See also", "Einzelnachweise": a heading after which a page's lists are not its content."""
    return " ".join(words(heading)) in BACK_MATTER


def twinned_subject(line: str) -> str | None:
    """The town a line above a list names as twinned ("Aix-en-Provence is twinned with:" -> the
    town, as written), or None when the line says no such thing."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\W_]+", clean(line))]
    tokens: list[str] = []
    starts: list[int] = []
    for start, end in spans:
        for token in words(clean(line)[start:end]):
            tokens.append(token)
            starts.append(start)
    at = _phrase_at(tokens, ARTICLE_TWINNED_WITH)
    if not at:
        return None
    subject = clean(line)[:starts[at]].strip(" ,:;–—-'\"")
    return subject or None
