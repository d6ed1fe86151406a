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
                              "Until | Kind | Status) and has twinning tables: table 1 (line 75, 'Partner regions'): pairs, "
                              "City | Country | Twin city | Twin country | Since; save the one to read as CSV")


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
                                        "City | Country | Since | Until | Kind: its columns name one party a row")


def test_an_article_whose_first_64_kib_are_styles_is_picked_by_its_title(tmp_path: Path) -> None:
    # a reader is picked by a file's first 64 KiB: a saved article's may hold only its head and menus
    text = (ARTICLES / "twin-towns-in-germany-wikipedia-en.html").read_text(encoding="utf-8")
    page = tmp_path / "germany.html"
    page.write_text(text.replace("</head>", "<style>" + ".x{margin:0}\n" * 6000 + "</style>\n</head>"),
                    encoding="utf-8")
    result = read_source(page)
    assert result.reader == "html" and errors(result) == []
    assert len(partnerships(result.records)) == 6


# -- headings that are no town -------------------------------------------------------------
_SEE_ALSO = '<div class="mw-heading mw-heading2"><h2 id="See_also">'
_FRANCE = ARTICLES / "twin-towns-in-france-wikipedia-en.html"


def _france_with(tmp_path: Path, html: str, before: str = _SEE_ALSO) -> tuple[ReadResult, int]:
    """The France article with ``html`` put before ``before``, read; and the line ``html`` starts at."""
    text = _FRANCE.read_text(encoding="utf-8")
    assert text.count(before) == 1
    page = tmp_path / "france.html"
    page.write_text(text.replace(before, html + before), encoding="utf-8")
    return read_source(page), text[:text.index(before)].count("\n") + 1


@pytest.mark.parametrize("heading", [
    "History", "Overview", "Former twin towns", "Twin towns – sister cities", "Partner cities", "Anciens jumelages",
    "Ehemalige Partnerschaften", "Geschichte", "Istoric", "Historique", "Statistics", "Gallery", "Galería",
    "Storia dei gemellaggi", "1950s", "Since 1990", "Seit 1990", "1990–2000",
    "Towns that signed a charter of friendship after the war",
])
@pytest.mark.parametrize("level", [2, 3])
def test_a_heading_that_is_no_town_is_never_a_home_town(tmp_path: Path, heading: str, level: int) -> None:
    base = read_source(_FRANCE)
    result, line = _france_with(tmp_path, f"<h{level}>{heading}</h{level}>\n<ul><li>Turin, Italy (1958)</li>\n"
                                          "<li>Genoa, Italy</li></ul>\n")
    assert errors(result) == []
    # no place minted from the heading, no partner taken from its list
    assert set(countries(result)) == set(countries(base))
    assert set(partnerships(result.records)) == set(partnerships(base.records))
    [warning] = [p for p in result.problems if p.line == line]
    assert (warning.severity, warning.field) == ("warning", "institution")
    assert warning.message.startswith("list article 1 (line 15, 'List of twin towns and sister cities in France'): "
                                      f"heading {heading!r} is ")
    assert "its 2 items are not read" in warning.message
    assert "'Lyon is twinned with:'" in warning.message and "mapping" in warning.message


@pytest.mark.parametrize("heading", ["Twin towns – sister cities", "History"])
def test_a_line_naming_the_town_under_such_a_heading_gives_the_home_town(tmp_path: Path, heading: str) -> None:
    result, line = _france_with(tmp_path, f"<h2>{heading}</h2>\n<p><b>Marseille</b> is twinned with:</p>\n"
                                          "<ul><li>Genoa, Italy (1958)</li></ul>\n")
    assert errors(result) == [] and not [p for p in result.problems if p.line == line]
    [genoa] = [p for pair, p in partnerships(result.records).items()
               if any(k.startswith("fr-marseille") for k in pair) and any(k.startswith("it-genoa") for k in pair)]
    assert (genoa.start, genoa.status) == (PartialDate(1958), None)


def test_a_heading_with_a_parenthesised_hint_is_a_town_however_long(tmp_path: Path) -> None:
    # seven words, but "(Loire-Atlantique)" says it is a town and its département
    result, _ = _france_with(tmp_path, "<h3>Saint-Jean-de-Boiseau sur la Loire en aval (Loire-Atlantique)</h3>\n"
                                       "<ul><li>Turin, Italy</li></ul>\n")
    homes = {cells[0] for _, cells in list_article(Path(result.source).read_text(encoding="utf-8")).table.rows[1:]}
    assert "Saint-Jean-de-Boiseau sur la Loire en aval" in homes


_LYON_END = '<div class="mw-heading mw-heading2"><h2 id="M">'


@pytest.mark.parametrize("heading", ["Former twin towns", "Anciens jumelages", "Ehemalige Partnerstädte",
                                     "Foste orașe înfrățite"])
def test_former_twinnings_under_a_town_are_its_partners_ended(tmp_path: Path, heading: str) -> None:
    result, line = _france_with(tmp_path, f"<h4>{heading}</h4>\n<ul><li>Turin, Italy (1958)</li></ul>\n", _LYON_END)
    assert errors(result) == [] and not [p for p in result.problems if p.line == line]
    found = partnerships(result.records)
    [turin] = [p for pair, p in found.items() if "fr-lyon" in pair and any(k.startswith("it-turin") for k in pair)]
    assert (turin.start, turin.end, turin.status, turin.form) == (PartialDate(1958), None, "ended", "twinning")
    assert [s.line for s in turin.sources] == [line + 1]
    # Lyon's partners above the heading are as they were
    assert found[frozenset({"fr-lyon", "it-milan"})].status is None
    assert len(found) == 24


def test_a_partner_with_a_range_in_a_list_article_gives_its_start_and_end(tmp_path: Path) -> None:
    result, line = _france_with(tmp_path, "<h4>Former twin towns</h4>\n<ul><li>Turin, Italy (1958–2014)</li>\n"
                                          "<li>Genoa, Italy (1960, renewed 1990)</li></ul>\n", _LYON_END)
    found = partnerships(result.records)
    [turin] = [p for pair, p in found.items() if "fr-lyon" in pair and any(k.startswith("it-turin") for k in pair)]
    assert (turin.start, turin.end, turin.status) == (PartialDate(1958), PartialDate(2014), "ended")
    # a start and a renewal is no range: refused at its line, never read with one of its years
    assert not any(k.startswith("it-genoa") for pair in found for k in pair)
    assert [p.severity for p in result.problems if p.line == line + 2] == ["warning"]


def test_a_kind_heading_under_a_town_groups_its_partners(tmp_path: Path) -> None:
    result, line = _france_with(tmp_path, "<h4>Partner cities</h4>\n<ul><li>Turin, Italy (1958)</li></ul>\n"
                                          "<h4>Former partner cities</h4>\n<ul><li>Genoa, Italy</li></ul>\n", _LYON_END)
    assert errors(result) == []
    found = {next(k for k in pair if k != "fr-lyon")[:8]: p for pair, p in partnerships(result.records).items()
             if "fr-lyon" in pair}
    assert (found["it-turin"].form, found["it-turin"].status) == ("partnership-agreement", None)
    assert (found["it-genoa"].form, found["it-genoa"].status) == ("partnership-agreement", "ended")


def test_a_country_heading_under_a_town_groups_its_partners_by_country(tmp_path: Path) -> None:
    # "Germany" below "Lyon" is where Lyon's partners under it are, not the end of Lyon's section
    result, line = _france_with(tmp_path, "<h4>Germany</h4>\n<ul><li>Leipzig (1981)</li></ul>\n"
                                          "<h4>Europe</h4>\n<ul><li>Turin, Italy</li></ul>\n", _LYON_END)
    assert errors(result) == []
    found = {next(k for k in pair if k != "fr-lyon")[:9]: p for pair, p in partnerships(result.records).items()
             if "fr-lyon" in pair}
    assert found["de-leipzi"].start == PartialDate(1981)
    assert [s.line for s in found["de-leipzi"].sources] == [line + 1]
    assert any(k.startswith("it-turin") for k in found)
    assert len(partnerships(result.records)) == 25


def test_a_former_twinnings_heading_over_no_town_is_refused(tmp_path: Path) -> None:
    # an h2 "Former twin towns" is not under Lyon (an h3): whose they were is not known
    result, line = _france_with(tmp_path, "<h2>Former twin towns</h2>\n<ul><li>Turin, Italy (1958)</li></ul>\n",
                                _LYON_END)
    assert not any(k.startswith("it-turin") for pair in partnerships(result.records) for k in pair)
    [warning] = [p for p in result.problems if p.line == line]
    assert "a twinning heading" in warning.message


# -- pairs stated one way ---------------------------------------------------------------------
def test_one_way_rows_of_a_list_article_are_no_warning() -> None:
    # Karlsruhe <-> Halle both ways, five pairs one way: the other direction of each is in the
    # partner country's article, so nothing is missing; reconcile.txt still lists them
    result = read_source(ARTICLES / "twin-towns-in-germany-wikipedia-en.html")
    assert [p.message for p in result.problems if "direction" in p.message or "one-way" in p.message] == []
    assert len(result.reconciliation.one_way) == 5


def test_the_same_pairs_in_a_page_s_pair_table_are_warned(tmp_path: Path) -> None:
    # the Germany article's rows as a twinning table: a pair table stating some pairs both ways
    # and others one way may have lost rows, and says so
    rows = list_article((ARTICLES / "twin-towns-in-germany-wikipedia-en.html").read_text(encoding="utf-8")).table.rows
    cells = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in row[:5]) + "</tr>" for _, row in rows[1:])
    page = tmp_path / "germany-table.html"
    page.write_text("<!DOCTYPE html>\n<html><body>\n<h2>Twin towns</h2>\n<table class='wikitable'>\n<tr><th>City</th>"
                    "<th>Country</th><th>Twin city</th><th>Twin country</th><th>Since</th></tr>\n" + cells
                    + "\n</table>\n</body></html>\n", encoding="utf-8")
    result = read_source(page)
    assert result.reader == "html" and errors(result) == []
    assert len(partnerships(result.records)) == 6
    assert [p.message for p in result.problems if "direction" in p.message] == [
        "5 pairs are stated in one direction only, 1 in both (see reconcile.txt for the rows)"]


def test_one_way_rows_of_a_list_article_read_with_a_mapping_are_no_warning(tmp_path: Path) -> None:
    page = "jumelages-et-partenariats-wikipedia-fr.html"
    text = (ARTICLES / page).read_text(encoding="utf-8")
    # Annecy's Chambéry and Chambéry's Annecy: one pair both ways, the six others one way
    copy = tmp_path / page
    copy.write_text(text.replace('<div class="mw-heading mw-heading2"><h2 id="Voir_aussi">',
                                 "<h3>Annecy</h3>\n<ul><li>Chambéry (France)</li></ul>\n<h3>Chambéry</h3>\n"
                                 "<ul><li>Annecy (France)</li></ul>\n"
                                 '<div class="mw-heading mw-heading2"><h2 id="Voir_aussi">'), encoding="utf-8")
    (tmp_path / f"{page}.mapping.yaml").write_bytes((ARTICLES / f"{page}.mapping.yaml").read_bytes())
    result = read_source(copy)
    assert result.reader == "mapped" and errors(result) == []
    assert result.reconciliation.reciprocal == 1 and len(result.reconciliation.one_way) == 6
    assert [p.message for p in result.problems if "direction" in p.message or "one-way" in p.message] == []


def test_a_list_article_read_with_a_mapping_refuses_such_headings_and_reads_former_twinnings(tmp_path: Path) -> None:
    page = "jumelages-et-partenariats-wikipedia-fr.html"
    text = (ARTICLES / page).read_text(encoding="utf-8")
    lyon_end = '<div class="mw-heading mw-heading2"><h2 id="Île-de-France">'
    text = text.replace(lyon_end, "<h4>Anciens jumelages</h4>\n<ul><li>Turin (Italie) depuis 1958</li></ul>\n"
                        "<h2>Historique</h2>\n<ul><li>Gênes (Italie)</li></ul>\n" + lyon_end)
    copy = tmp_path / page
    copy.write_text(text, encoding="utf-8")
    (tmp_path / f"{page}.mapping.yaml").write_bytes((ARTICLES / f"{page}.mapping.yaml").read_bytes())
    result = read_source(copy)
    assert result.reader == "mapped" and errors(result) == []
    [turin] = [p for pair, p in partnerships(result.records).items()
               if "fr-lyon" in pair and any(k.startswith("it-turin") for k in pair)]
    assert (turin.start, turin.status) == (PartialDate(1958), "ended")
    heading = text[:text.index("<h2>Historique</h2>")].count("\n") + 1
    [warning] = [p for p in result.problems if p.line == heading]
    assert warning.field == "institution" and "heading 'Historique' is a section title" in warning.message
    # the six partnerships of the page and Turin: nothing from "Historique", no place named so
    assert len(partnerships(result.records)) == 7 and "fr-historique" not in countries(result)
