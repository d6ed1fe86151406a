"""National list articles in saved pages (tests/fixtures/readers/articles/*.html).

"List of twin towns and sister cities in France", "Liste der deutsch-französischen
Städtepartnerschaften", "Lista orașelor înfrățite din România", "Liste des jumelages et
partenariats de villes": a home town a sub-heading (or a "X is twinned with:" line), its
partners a list or one paragraph, the home towns' country in the title. Both parties are on
the page: read as a pair table by the pairs reader (docs/readers.md, section 2c).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coopkg.merge import merge
from coopkg.readers import read_source
from coopkg.readers.htmllist import html_lists, list_article, title_countries
from coopkg.records import Collectivity, PartialDate, Partnership, ReadResult

ARTICLES = Path(__file__).parent / "fixtures" / "readers" / "articles"


def partnerships(records: list) -> dict[frozenset[str], Partnership]:
    return {frozenset(r.parties): r for r in records if isinstance(r, Partnership)}


def countries(result: ReadResult) -> dict[str, str | None]:
    return {r.key: r.country for r in result.records if isinstance(r, Collectivity)}


def errors(result: ReadResult) -> list[str]:
    return [p.message for p in result.problems if p.severity == "error"]


# what each page says: (home, partner) -> (start year, the line of the partner's <li> or <p>)
_PAGES: dict[str, dict[tuple[str, str], tuple[int | None, int]]] = {
    "twin-towns-in-france-wikipedia-en.html": {
        # "Aix-en-Provence (Bouches-du-Rhône)": the département is no part of the town's name
        ("fr-aix-en-provence", "il-ashkelon"): (None, 26), ("fr-aix-en-provence", "gb-bath"): (None, 27),
        ("fr-aix-en-provence", "pt-coimbra-gn2740637"): (None, 28),
        ("fr-aix-en-provence", "it-perugia-gn3171180"): (1970, 29), ("fr-aix-en-provence", "de-tubingen"): (1960, 30),
        ("fr-angers", "nl-haarlem"): (1964, 35), ("fr-angers", "de-osnabruck"): (1964, 36),
        ("fr-angers", "it-pisa-gn3170647"): (1982, 37), ("fr-angers", "gb-wigan-gn2633948"): (1988, 38),
        ("fr-besancon", "pl-bielsko-biala"): (None, 44), ("fr-besancon", "de-freiburg"): (1959, 45),
        ("fr-besancon", "gb-huddersfield"): (1955, 46), ("fr-besancon", "ch-neuchatel-gn2659496"): (1975, 47),
        ("fr-lyon", "il-beersheba"): (None, 53), ("fr-lyon", "gb-birmingham-gn2655603"): (1951, 54),
        ("fr-lyon", "de-frankfurt-am-main"): (1960, 55), ("fr-lyon", "it-milan"): (1966, 56),
        ("fr-montbeliard", "de-ludwigsburg"): (1950, 62),
        ("fr-montbeliard", "de-bad-cannstatt-stuttgart"): (None, 63),  # "Bad Cannstatt (Stuttgart), Germany"
        ("fr-strasbourg", "us-boston-gn4930956"): (1960, 70), ("fr-strasbourg", "de-dresden"): (None, 71),
        ("fr-strasbourg", "gb-leicester-gn2644668"): (1960, 72), ("fr-strasbourg", "de-stuttgart"): (1962, 73),
    },
    "deutsch-franzoesische-partnerschaften-wikipedia-de.html": {
        # the partners' country is the title's second: "Saint-Lô (seit 1978)" is in France
        ("de-aalen", "fr-saint-lo"): (1978, 17), ("de-aalen", "fr-antony"): (1971, 18),
        ("de-freiburg", "fr-besancon"): (1959, 22), ("de-ludwigsburg", "fr-montbeliard"): (1950, 26),
        ("de-ludwigsburg", "fr-caen"): (1961, 27), ("de-erlangen", "fr-rennes"): (1964, 33),
        ("de-nuremberg", "fr-nice"): (1954, 37),
        # under the region heading "Saarland", each town named by the line above its list
        ("de-saarlouis", "fr-saint-nazaire-gn2977921"): (1969, 42), ("de-saarbrucken", "fr-nantes"): (1965, 46),
    },
    "orase-infratite-din-romania-wikipedia-ro.html": {
        # "Alba Iulia – Arras (Franța), Székesfehérvár (Ungaria), Sulmona (Italia, din 1996)": one paragraph
        ("ro-alba-iulia", "fr-arras"): (None, 13), ("ro-alba-iulia", "hu-szekesfehervar-gn3044774"): (None, 13),
        ("ro-alba-iulia", "it-sulmona"): (1996, 13),
        ("ro-arad-gn686254", "hu-gyula"): (None, 14), ("ro-arad-gn686254", "de-ludwigsburg"): (1995, 14),
        ("ro-arad-gn686254", "md-orhei-gn617638"): (None, 14),
        # "Bistrița (Bistrița-Năsăud)", then "Bistrița este înfrățit cu: Besançon (Franța), Wolfsberg (Austria)"
        ("ro-bistrita-gn684657", "fr-besancon"): (None, 17), ("ro-bistrita-gn684657", "at-wolfsberg"): (None, 17),
        ("ro-cluj-napoca", "fr-nantes"): (1992, 19), ("ro-cluj-napoca", "hu-pecs-gn3046526"): (None, 19),
    },
    "twin-towns-in-germany-wikipedia-en.html": {
        # Karlsruhe's Halle (Saale) (line 24) and Halle's Karlsruhe (line 40): one partnership, two sources
        ("de-karlsruhe", "de-halle-saale"): (1987, 24), ("de-karlsruhe", "fr-nancy"): (1955, 25),
        ("de-karlsruhe", "gb-nottingham-gn2641170"): (1969, 26), ("de-frankfurt-am-main", "pl-krakow"): (1991, 32),
        ("de-frankfurt-am-main", "fr-lyon"): (1960, 33), ("de-halle-saale", "fr-grenoble"): (1976, 39),
    },
}
_COUNTRIES = {"fr-aix-en-provence": "FR", "il-ashkelon": "IL", "gb-bath": "GB", "fr-montbeliard": "FR",
              "de-bad-cannstatt-stuttgart": "DE", "us-boston-gn4930956": "US", "de-aalen": "DE", "fr-saint-lo": "FR",
              "fr-antony": "FR", "de-saarlouis": "DE", "ro-alba-iulia": "RO", "it-sulmona": "IT",
              "md-orhei-gn617638": "MD", "ro-bistrita-gn684657": "RO", "hu-pecs-gn3046526": "HU",
              "de-halle-saale": "DE", "de-karlsruhe": "DE"}


@pytest.mark.parametrize("page", sorted(_PAGES))
def test_a_list_article_gives_its_partnerships(page: str) -> None:
    result = read_source(ARTICLES / page)
    assert result.reader == "html" and errors(result) == []
    expected = _PAGES[page]
    found = partnerships(result.records)
    assert set(found) == {frozenset(pair) for pair in expected}
    for pair, (year, line) in expected.items():
        p = found[frozenset(pair)]
        assert (p.start, p.form) == (PartialDate(year) if year else None, "twinning"), pair
        assert (page, line) in [(s.document, s.line) for s in p.sources], pair
    have = countries(result)
    assert {k: have[k] for k in _COUNTRIES if k in have} == {k: v for k, v in _COUNTRIES.items() if k in have}
    assert all(any(k in pair for pair in expected) for k in _COUNTRIES if k in have)


def test_counts_after_reciprocal_rows_are_merged() -> None:
    germany = read_source(ARTICLES / "twin-towns-in-germany-wikipedia-en.html")
    # seven rows, six partnerships: Karlsruhe -> Halle and Halle -> Karlsruhe are one
    assert len(list_article((ARTICLES / "twin-towns-in-germany-wikipedia-en.html").read_text()).table.rows) - 1 == 7
    assert len(partnerships(germany.records)) == 6
    halle = partnerships(germany.records)[frozenset({"de-karlsruhe", "de-halle-saale"})]
    assert [s.line for s in halle.sources] == [24, 40]
    # Lyon's Frankfurt in the France article, Frankfurt's Lyon in the Germany one: one partnership
    france = read_source(ARTICLES / "twin-towns-in-france-wikipedia-en.html")
    assert len(partnerships(france.records)) == 23
    merged, _ = merge([*france.records, *germany.records])
    both = partnerships(merged)
    assert len(both) == 23 + 6 - 1
    assert sorted((s.document, s.line) for s in both[frozenset({"fr-lyon", "de-frankfurt-am-main"})].sources) == [
        ("twin-towns-in-france-wikipedia-en.html", 55), ("twin-towns-in-germany-wikipedia-en.html", 33)]


def test_groupings_and_back_matter_are_no_home_towns() -> None:
    # "A", "Baden-Württemberg", "Mittelfranken" (a heading over headings), "See also", "Siehe auch",
    # the references, the navigation box and "Notă – lista nu este completă" give no row
    homes = {cells[0] for page in _PAGES for _, cells in
             list_article((ARTICLES / page).read_text(encoding="utf-8")).table.rows[1:]}
    assert homes == {"Aix-en-Provence", "Angers", "Besançon", "Lyon", "Montbéliard", "Strasbourg", "Aalen",
                     "Freiburg im Breisgau", "Ludwigsburg", "Erlangen", "Nürnberg", "Saarlouis", "Saarbrücken",
                     "Alba Iulia", "Arad", "Bistrița", "Cluj-Napoca", "Karlsruhe", "Frankfurt am Main", "Halle (Saale)"}
    # an article's lists are its towns' partners: no one-party list is taken from it
    assert all(html_lists((ARTICLES / page).read_text(encoding="utf-8")) == [] for page in _PAGES)


def test_an_item_without_a_partner_is_a_warning_at_its_line() -> None:
    result = read_source(ARTICLES / "twin-towns-in-france-wikipedia-en.html")
    assert [(p.line, p.field, p.message) for p in result.problems if "partner name" in p.message] == [
        (64, "partner", "list article 1 (line 15, 'List of twin towns and sister cities in France'): list item "
                        "without a partner name ('(1998)'): not read")]


@pytest.mark.parametrize(("title", "codes"), [
    ("List of twin towns and sister cities in France - Wikipedia", ["FR"]),
    ("List of twin towns and sister cities in the United States", ["US"]),
    ("Lista orașelor înfrățite din România", ["RO"]),
    ("Liste der deutsch-französischen Städtepartnerschaften", ["DE", "FR"]),
    ("Liste des jumelages franco-allemands", ["FR", "DE"]),
    ("Liste des jumelages et partenariats de villes", []),
])
def test_the_countries_a_title_names(title: str, codes: list[str]) -> None:
    assert title_countries(title) == codes


def test_a_title_naming_no_single_country_needs_the_home_country(tmp_path: Path) -> None:
    page = "jumelages-et-partenariats-wikipedia-fr.html"
    alone = tmp_path / page
    alone.write_bytes((ARTICLES / page).read_bytes())
    refused = read_source(alone)
    assert refused.reader == "html" and refused.records == []
    [message] = errors(refused)
    assert message.startswith("list article 1 (line 9, 'Liste des jumelages et partenariats de villes'): its title "
                              "names no single country (countries named: none)")
    assert "defaults: {home_country: CC}" in message and f"{page}.mapping.yaml" in message
    # the mapping beside the page (defaults: {home_country: FR}) says it
    result = read_source(ARTICLES / page)
    assert result.reader == "mapped" and errors(result) == []
    found = partnerships(result.records)
    assert set(found) == {frozenset(p) for p in [
        ("fr-grenoble", "de-essen-gn2928810"), ("fr-grenoble", "de-halle-saale"), ("fr-lyon", "de-frankfurt-am-main"),
        ("fr-lyon", "il-beersheba"), ("fr-antony", "de-aalen"), ("fr-antony", "cz-olomouc-gn3069011")]}
    assert found[frozenset({"fr-lyon", "de-frankfurt-am-main"})].start == PartialDate(1960)
    assert [(s.document, s.line) for s in found[frozenset({"fr-antony", "de-aalen"})].sources] == [(page, 27)]
    assert countries(result)["fr-antony"] == "FR"  # "Antony (Hauts-de-Seine)", a département beside the name


def test_the_same_page_without_its_title_is_no_list_article(tmp_path: Path) -> None:
    text = (ARTICLES / "twin-towns-in-france-wikipedia-en.html").read_text(encoding="utf-8")
    plain = tmp_path / "france.html"
    plain.write_text(text.replace("List of twin towns and sister cities in France", "Town twinning in France"),
                     encoding="utf-8")
    assert list_article(plain.read_text(encoding="utf-8")) is None
    result = read_source(plain)
    # what it was before list articles were read: its one table (the navigation box) has no twinning header
    assert result.reader == "html" and result.records == []
    assert errors(result) == ["no table of the page has a twinning header (a name column for each party, or a "
                              "registry's institution and partner columns); its tables: table 1 (line 80, 'References'): Lists "
                              "of twin towns and sister cities"]


def test_a_list_article_with_a_twinning_table_is_refused_naming_both(tmp_path: Path) -> None:
    text = (ARTICLES / "twin-towns-in-france-wikipedia-en.html").read_text(encoding="utf-8")
    table = ("<h2>Partner regions</h2>\n<table class='wikitable'><tr><th>City</th><th>Country</th><th>Twin city</th>"
             "<th>Twin country</th><th>Since</th></tr>\n<tr><td>Lyon</td><td>France</td><td>Turin</td>"
             "<td>Italy</td><td>1958</td></tr></table>\n")
    page = tmp_path / "france.html"
    page.write_text(text.replace('<div class="mw-heading mw-heading2"><h2 id="See_also">', table
                                 + '<div class="mw-heading mw-heading2"><h2 id="See_also">'), encoding="utf-8")
    result = read_source(page)
    assert result.records == []
    [message] = errors(result)
    assert message.startswith("the page is a list article (list article 1 (line 15, 'List of twin towns and sister "
                              "cities in France'): 23 partners, read as City1 | Country1 | City2 | Country2 | Since | "
                              "Kind) and has twinning tables: table 1 (line 75, 'Partner regions'): pairs, City | "
                              "Country | Twin city | Twin country | Since; save the one to read as CSV")


def test_a_list_title_over_one_town_s_list_is_that_town_s_list(tmp_path: Path) -> None:
    # a list-like title over one town's partners grouped by country: no home town has partners
    # (a country heading is no town), so the page is read as a town's list, as it was
    page = tmp_path / "karlsruhe.html"
    page.write_text("<!DOCTYPE html>\n<html><body>\n<h1>Liste der Städtepartnerschaften von Karlsruhe</h1>\n"
                    "<h2>Frankreich</h2>\n<ul><li>Nancy (seit 1955)</li>\n<li>Nizza</li></ul>\n</body></html>\n",
                    encoding="utf-8")
    assert list_article(page.read_text(encoding="utf-8")) is None
    result = read_source(page)
    assert result.reader == "html" and result.records == []
    assert errors(result)[0].startswith("list 1 (line 5, 'Liste der Städtepartnerschaften von Karlsruhe'), read as "
                                        "City | Country | Since | Kind: its columns name one party a row")


def test_an_article_whose_first_64_kib_are_styles_is_picked_by_its_title(tmp_path: Path) -> None:
    # a reader is picked by a file's first 64 KiB: a saved article's may hold only its head and menus
    text = (ARTICLES / "twin-towns-in-germany-wikipedia-en.html").read_text(encoding="utf-8")
    page = tmp_path / "germany.html"
    page.write_text(text.replace("</head>", "<style>" + ".x{margin:0}\n" * 6000 + "</style>\n</head>"),
                    encoding="utf-8")
    result = read_source(page)
    assert result.reader == "html" and errors(result) == []
    assert len(partnerships(result.records)) == 6
