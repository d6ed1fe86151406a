"""Saved web pages whose twin towns sit in an HTML table (tests/fixtures/readers/unseen/*.html).

A German Wikipedia "Partnerstädte" table (rowspan, flags, footnotes) and a French council's
plain table read like the same table as CSV; an English Wikipedia "Twin towns – sister
cities" table names one party a row and is refused with what to do until a mapping beside
the page names the town; several tables are chosen by their headers, two shapes refused.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from coopkg.normalise.headers import list_kind
from coopkg.readers import read_source
from coopkg.readers.htmllist import html_lists, item_cells
from coopkg.readers.htmltext import html_tables
from coopkg.records import Agreement, Collectivity, PartialDate, Partnership, ReadResult

FIX = Path(__file__).parent / "fixtures" / "readers" / "unseen"


def partnerships(result: ReadResult) -> dict[frozenset[str], Partnership]:
    return {frozenset(r.parties): r for r in result.records if isinstance(r, Partnership)}


def agreements(result: ReadResult) -> dict[frozenset[str], Agreement]:
    return {frozenset(p.actor for p in r.parties): r for r in result.records if isinstance(r, Agreement)}


def places(result: ReadResult) -> dict[str, Collectivity]:
    return {r.key: r for r in result.records if isinstance(r, Collectivity)}


def errors(result: ReadResult) -> list[str]:
    return [p.message for p in result.problems if p.severity == "error"]


def lines(record: Any) -> list[tuple[str, int | None]]:
    return [(s.document, s.line) for s in record.sources]


def facts(result: ReadResult) -> list[str]:
    """The records without where they were read (file and line differ between a page and its CSV)."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"document", "line"}:
                return None
            return {k: strip(v) for k, v in value.items()}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return sorted(repr((type(r).__name__, strip(dataclasses.asdict(r)))) for r in result.records)


def as_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    path.write_text("\n".join(delimiter.join(cells) for cells in rows) + "\n", encoding="utf-8")
    return path


# -- the tables of a page ---------------------------------------------------------------------

def test_a_page_table_as_a_reader_sees_it() -> None:
    [table] = html_tables(
        "<h2>Twins<span class=mw-editsection>[edit]</span></h2>\n"
        "<table class=wikitable><tr><th>A<th>B<th>C\n"
        "<tr><td rowspan=2>x<sup class=reference>[1]</sup><td colspan=2>wide\n"
        "<tr><td><span class=flagicon><img alt=France></span><td><span style='display: none'>1991-05-01</span>1991\n"
        "<tr><th>A</th><th>B</th><th>C</th></tr>\n"
        "<tr><td><span class=flagicon><img alt=Italy></span>&nbsp;Faenza</td><td>y<br>z</td><td>3</td></tr></table>")
    assert table.heading == "Twins" and table.classes == "wikitable" and table.line == 2
    assert table.rows == [(2, ["A", "B", "C"]),
                          (3, ["x", "wide", ""]),  # a colspan cell fills its columns, text in the first
                          (4, ["x", "France", "1991"]),  # rowspan repeats downward; a flag alone is its country
                          (5, ["A", "B", "C"]),
                          (6, ["Faenza", "y z", "3"])]  # a flag beside a name is not part of it


# -- a pair table: German Wikipedia ----------------------------------------------------------

def test_german_wikipedia_page() -> None:
    result = read_source(FIX / "partnerstaedte-wikipedia-de.html")
    assert result.reader == "html"
    assert errors(result) == []
    pairs = partnerships(result)
    assert set(pairs) == {
        frozenset({"de-frankfurt-am-main", "fr-lyon"}), frozenset({"de-frankfurt-am-main", "pl-krakow"}),
        frozenset({"de-frankfurt-oder", "pl-slubice-gn3085495"}), frozenset({"fr-saint-louis", "de-weil-am-rhein"}),
        frozenset({"sn-saint-louis-gn2246452", "fr-lille"}), frozenset({"us-st-louis", "de-stuttgart"}),
    }
    # footnote marks are not part of the year ("1960[1]", "1991[Anm. 1]"), a hidden sort key not the date
    assert pairs[frozenset({"de-frankfurt-am-main", "fr-lyon"})].start == PartialDate(1960)
    assert pairs[frozenset({"de-frankfurt-am-main", "pl-krakow"})].start == PartialDate(1991)
    assert pairs[frozenset({"sn-saint-louis-gn2246452", "fr-lille"})].start == PartialDate(1978)
    # each row's source is the line of its <tr> in the page; a rowspan cell is read on every row it spans
    assert lines(pairs[frozenset({"de-frankfurt-am-main", "fr-lyon"})]) == [("partnerstaedte-wikipedia-de.html", 9)]
    assert lines(pairs[frozenset({"de-frankfurt-am-main", "pl-krakow"})]) == [("partnerstaedte-wikipedia-de.html", 15)]
    # the three Saint-Louis stay three places, each in its own country (the second one's "Senegal"
    # is its own cell beside the rowspan name; Lille's country is its flag alone)
    found = places(result)
    assert {k: found[k].country for k in ("fr-saint-louis", "sn-saint-louis-gn2246452", "us-st-louis", "fr-lille",
                                          "de-frankfurt-oder")} == \
        {"fr-saint-louis": "FR", "sn-saint-louis-gn2246452": "SN", "us-st-louis": "US", "fr-lille": "FR",
         "de-frankfurt-oder": "DE"}
    assert [(p.line, p.field) for p in result.problems if "ambiguous" in p.message] == [(24, "institution")]
    # the navigation box below the table is not a twinning table: not read, not warned about
    assert [p for p in result.problems if "table" in p.message] == []


def test_german_page_reads_like_its_csv(tmp_path: Path) -> None:
    page = read_source(FIX / "partnerstaedte-wikipedia-de.html")
    [table, _navbox] = html_tables((FIX / "partnerstaedte-wikipedia-de.html").read_text(encoding="utf-8"))
    sheet = read_source(as_csv(tmp_path / "partnerstaedte.tsv", [cells for _, cells in table.rows], "\t"))
    assert sheet.reader == "pairs"
    assert facts(page) == facts(sheet) and len(page.records) == 17
    assert page.mapping == sheet.mapping


# -- a registry table: a French council's page ----------------------------------------------

def test_french_council_page() -> None:
    result = read_source(FIX / "jumelages-conseil-fr.html")
    assert result.reader == "html"
    assert errors(result) == []
    found = agreements(result)
    assert set(found) == {frozenset({"fr-rennes", k}) for k in
                          ("gb-exeter", "de-erlangen", "cz-brno", "jp-sendai-gn2111149", "ru-rostov-on-don", "pl-poznan")}
    erlangen = found[frozenset({"fr-rennes", "de-erlangen"})]
    assert erlangen.signed == PartialDate(1964, 4, 24) and erlangen.kind == "twinning"
    assert lines(erlangen) == [("jumelages-conseil-fr.html", 15)]  # "Ville de Rennes" from the rowspan above
    assert found[frozenset({"fr-rennes", "ru-rostov-on-don"})].kind == "cooperation-agreement"
    assert places(result)["ru-rostov-on-don"].country == "RU"
    assert [p.message for p in result.problems] == []  # the menu's and the opening hours' tables are not read


def test_french_council_page_reads_like_its_csv(tmp_path: Path) -> None:
    page = read_source(FIX / "jumelages-conseil-fr.html")
    table = html_tables((FIX / "jumelages-conseil-fr.html").read_text(encoding="utf-8"))[1]
    sheet = read_source(as_csv(tmp_path / "jumelages.csv", [cells for _, cells in table.rows], ";"))
    assert sheet.reader == "registry"
    assert facts(page) == facts(sheet) and len(page.records) == 13


# -- one party a row: English Wikipedia ------------------------------------------------------

def test_one_party_page_is_refused_with_what_to_do() -> None:
    result = read_source(FIX / "twin-towns-wikipedia-en.html")
    assert result.records == []
    [message] = [p.message for p in result.problems]
    assert message.startswith("table 2 (line 16, 'Twin towns – sister cities'): its columns name one party a row")
    assert "defaults: {institution: NAME" in message and message.endswith("twin-towns-wikipedia-en.html.mapping.yaml")


def test_one_party_page_with_the_town_in_its_mapping(tmp_path: Path) -> None:
    page = tmp_path / "twins.html"
    page.write_bytes((FIX / "twin-towns-wikipedia-en.html").read_bytes())
    (tmp_path / "twins.html.mapping.yaml").write_text(
        "coopkg-mapping: 1\nrecord: partnership\nlevel: city\n"
        "columns: {partner: City, partner_country: Country, date: Since}\n"
        "defaults: {institution: Timișoara, home_country: RO, kind: twinning}\n", encoding="utf-8")
    result = read_source(page)
    assert result.reader == "mapped"
    assert errors(result) == []
    pairs = partnerships(result)
    assert set(pairs) == {frozenset({"ro-timisoara", k}) for k in
                          ("it-faenza", "de-gera", "at-graz", "de-karlsruhe", "fr-mulhouse", "rs-novi-sad",
                           "hu-szeged-gn715429")}
    # "1988" beside its sort key, "Karlsruhe[93]": the shown text, without the footnote
    assert pairs[frozenset({"ro-timisoara", "de-gera"})].start == PartialDate(1988)
    assert lines(pairs[frozenset({"ro-timisoara", "de-karlsruhe"})]) == [("twins.html", 37)]
    assert places(result)["at-graz"].country == "AT"  # a flag without alternative text, then the name
    assert {p.form for p in pairs.values()} == {"twinning"}
    # the infobox above ("Country | Romania") is not the table the mapping reads
    assert [p.message for p in result.problems if p.severity == "error"] == []


# -- several tables ----------------------------------------------------------------------------

_PAIR_TABLE = ("<h3>{heading}</h3>\n<table class='wikitable'>\n<tr><th>City</th><th>Country</th><th>Twin city</th>"
               "<th>Twin country</th><th>Since</th></tr>\n{rows}</table>\n")


def _page(tmp_path: Path, body: str) -> Path:
    page = tmp_path / "twins.html"
    page.write_text(f"<!DOCTYPE html>\n<html><body>\n{body}</body></html>\n", encoding="utf-8")
    return page


def test_tables_of_one_shape_read_as_one(tmp_path: Path) -> None:
    page = _page(tmp_path, _PAIR_TABLE.format(heading="Europe", rows="<tr><td>Kraków</td><td>Poland</td>"
                                              "<td>Nuremberg</td><td>Germany</td><td>1979</td></tr>\n")
                 + _PAIR_TABLE.format(heading="Elsewhere", rows="<tr><td>Nuremberg</td><td>Germany</td>"
                                      "<td>Kraków</td><td>Poland</td><td>1979</td></tr>\n<tr><td>Córdoba</td>"
                                      "<td>Argentina</td><td>Córdoba</td><td>Spain</td><td>1985</td></tr>\n"))
    result = read_source(page)
    assert result.reader == "html" and errors(result) == []
    pairs = partnerships(result)
    # A->B in one table and B->A in the other are one partnership, with both rows
    assert lines(pairs[frozenset({"pl-krakow", "de-nuremberg"})]) == [("twins.html", 6), ("twins.html", 11)]
    cordoba = [k for k in places(result) if "cordoba" in k]
    assert len(cordoba) == 2 and {places(result)[k].country for k in cordoba} == {"AR", "ES"}


def test_tables_of_two_shapes_are_refused(tmp_path: Path) -> None:
    page = _page(tmp_path, _PAIR_TABLE.format(heading="Twin towns", rows="<tr><td>Kraków</td><td>Poland</td>"
                                              "<td>Nuremberg</td><td>Germany</td><td>1979</td></tr>\n")
                 + "<h3>Agreements</h3>\n<table><tr><th>Institution</th><th>Type</th><th>Partner</th><th>Date</th>"
                 "</tr>\n<tr><td>Kraków</td><td>Agreement</td><td>Lviv</td><td>1995</td></tr></table>\n")
    result = read_source(page)
    assert result.records == []
    [message] = errors(result)
    assert message.startswith("the page has tables of different shapes: table 1 (line 4, 'Twin towns'): pairs, "
                              "City | Country | Twin city | Twin country | Since; table 2 (line 9, 'Agreements'): "
                              "registry, Institution | Type | Partner | Date;")


def test_a_one_party_table_beside_a_pair_table_is_said(tmp_path: Path) -> None:
    page = _page(tmp_path, _PAIR_TABLE.format(heading="Twin towns", rows="<tr><td>Kraków</td><td>Poland</td>"
                                              "<td>Nuremberg</td><td>Germany</td><td>1979</td></tr>\n")
                 + "<h3>Friends</h3>\n<table><tr><th>City</th><th>Country</th></tr>\n"
                 "<tr><td>Lviv</td><td>Ukraine</td></tr></table>\n")
    result = read_source(page)
    assert set(partnerships(result)) == {frozenset({"pl-krakow", "de-nuremberg"})}
    assert [(p.line, p.severity, p.message.split(":")[0]) for p in result.problems] == \
        [(9, "warning", "table 2 (line 9, 'Friends') is not read")]


def test_a_page_without_a_twinning_table(tmp_path: Path) -> None:
    page = _page(tmp_path, "<h2>Horaires</h2>\n<table><tr><th>Jour</th><th>Heures</th></tr>"
                 "<tr><td>Lundi</td><td>9h</td></tr></table>\n")
    result = read_source(page)
    assert result.reader == "html" and result.records == []
    assert errors(result) == ["no table of the page has a twinning header (a name column for each party, or a "
                              "registry's institution and partner columns); its tables: table 1 (line 4, "
                              "'Horaires'): Jour | Heures"]
    # no table at all: no reader takes the page
    [nothing] = read_source(_page(tmp_path, "<p>Nothing here</p>\n")).problems
    assert nothing.message.startswith("no reader recognises this file")


def test_a_mapping_over_a_page_of_two_table_shapes_is_refused(tmp_path: Path) -> None:
    page = _page(tmp_path, "<table><tr><th>City</th><th>Country</th></tr><tr><td>Lviv</td><td>Ukraine</td></tr>"
                 "</table>\n<table><tr><th>City</th><th>Since</th></tr><tr><td>Graz</td><td>1991</td></tr></table>\n")
    (tmp_path / "twins.html.mapping.yaml").write_text(
        "coopkg-mapping: 1\ncolumns: {partner: City}\ndefaults: {institution: Kraków}\n", encoding="utf-8")
    result = read_source(page)
    assert result.reader == "mapped" and result.records == []
    assert errors(result) == ["cannot read: the page has tables of different shapes with the mapping's columns: "
                              "table 1 (line 3): City | Country; table 2 (line 4): City | Since"]


def test_the_mapping_a_page_was_read_with_reads_it_again(tmp_path: Path) -> None:
    import yaml

    page = read_source(FIX / "partnerstaedte-wikipedia-de.html")
    mapping = tmp_path / "de.mapping.yaml"
    mapping.write_text(yaml.safe_dump(page.mapping, allow_unicode=True), encoding="utf-8")  # --write-mapping's content
    again = read_source(FIX / "partnerstaedte-wikipedia-de.html", mapping=str(mapping))
    assert again.reader == "mapped" and errors(again) == []
    assert set(partnerships(again)) == set(partnerships(page))
    assert {k: p.country for k, p in places(again).items()} == {k: p.country for k, p in places(page).items()}


def test_a_registry_table_under_a_heading_naming_the_country(tmp_path: Path) -> None:
    body = ("<h3>Republica Franceză</h3>\n<table><tr><th>Instituția</th><th>Tipul relației</th>"
            "<th>Localitatea/regiunea din străinătate</th><th>Data</th><th>Stadiul</th></tr>\n"
            "<tr><td>Consiliul Județean Timiș</td><td>Acord de cooperare</td><td>Mulhouse</td><td>1991</td>"
            "<td>în derulare</td></tr></table>\n")
    result = read_source(_page(tmp_path, body))
    assert result.reader == "html" and errors(result) == []
    assert set(agreements(result)) == {frozenset({"ro-timis", "fr-mulhouse"})}
    assert result.mapping["defaults"]["country"] == "FR"  # the partners' country, from the heading
    # an infobox's "Country | Romania" is no heading: the partners' country comes only from one
    infobox = ("<table class=infobox><tr><th>Country</th><td>Romania</td></tr><tr><th>County</th><td>Timiș</td></tr>"
               "</table>\n")
    again = read_source(_page(tmp_path, infobox + body.replace("<h3>Republica Franceză</h3>\n", "")))
    assert again.reader == "html" and "country" not in again.mapping["defaults"]


# -- twin towns as a list under a heading (tests/fixtures/readers/lists/) ----------------------

LISTS = Path(__file__).parent / "fixtures" / "readers" / "lists"

# what each page says: the town, partner -> (start year, kind), and some partners' countries
_LIST_PAGES: dict[str, tuple[str, dict[str, tuple[int | None, str]], dict[str, str]]] = {
    "twin-towns-list-wikipedia-en.html": ("ro-timisoara", {
        "it-faenza": (1991, "twinning"), "de-gera": (1988, "twinning"), "at-graz": (1991, "twinning"),
        "de-karlsruhe": (1992, "twinning"), "fr-mulhouse": (1991, "twinning"), "rs-novi-sad": (2005, "twinning"),
        "hu-szeged-gn715429": (1997, "twinning"),
        "md-chisinau-gn618426": (None, "partnership-agreement"), "fr-rueil-malmaison": (None, "partnership-agreement"),
    }, {"at-graz": "AT", "rs-novi-sad": "RS", "md-chisinau-gn618426": "MD", "fr-rueil-malmaison": "FR"}),
    "partnerstaedte-liste-wikipedia-de.html": ("de-karlsruhe", {
        "fr-nancy": (1955, "twinning"), "fr-mulhouse": (1959, "twinning"), "gb-nottingham-gn2641170": (1969, "twinning"),
        "de-halle-saale": (1987, "twinning"), "ro-timisoara": (1992, "twinning"),
        "ru-krasnodar": (2005, "collaboration"), "gb-oxford": (2010, "collaboration"),
    }, {"fr-nancy": "FR", "gb-nottingham-gn2641170": "GB", "de-halle-saale": "DE", "ru-krasnodar": "RU"}),
    "jumelages-liste-conseil-fr.html": ("fr-rennes", {
        "gb-exeter": (1956, "twinning"), "de-erlangen": (1964, "twinning"), "cz-brno": (1966, "twinning"),
        "pl-poznan": (1998, "twinning"), "jp-sendai-gn2111149": (1967, "twinning"),
        "ru-rostov-on-don": (1977, "collaboration"), "ro-sibiu-gn667268": (2012, "collaboration"),
        "ro-cluj-napoca": (None, "collaboration"),
    }, {"jp-sendai-gn2111149": "JP", "ro-sibiu-gn667268": "RO", "cz-brno": "CZ"}),
    "ciudades-hermanadas-lista-es.html": ("ar-cordoba-gn3860259", {
        "es-cordoba-gn2519240": (1974, "twinning"), "mx-guadalajara": (1981, "twinning"), "it-turin": (None, "twinning"),
        "br-porto-alegre": (1995, "cooperation-agreement"), "cl-valparaiso-gn3868626": (None, "cooperation-agreement"),
        "cl-santiago": (2003, "cooperation-agreement"),
    }, {"es-cordoba-gn2519240": "ES", "ar-cordoba-gn3860259": "AR", "it-turin": "IT", "cl-valparaiso-gn3868626": "CL"}),
    "orase-infratite-wikipedia-ro.html": ("ro-arad-gn686254", {
        "hu-gyula": (1993, "twinning"), "de-ludwigsburg": (1995, "twinning"),
        "it-ascoli-piceno-gn3182749": (None, "twinning"), "md-orhei-gn617638": (2008, "twinning"),
    }, {"hu-gyula": "HU", "it-ascoli-piceno-gn3182749": "IT", "md-orhei-gn617638": "MD"}),
}


@pytest.mark.parametrize("page", sorted(_LIST_PAGES))
def test_a_list_page_gives_its_partnerships(page: str) -> None:
    home, expected, countries = _LIST_PAGES[page]
    result = read_source(LISTS / page)  # PAGE.mapping.yaml beside it names the town
    assert result.reader == "mapped" and errors(result) == []
    pairs = partnerships(result)
    assert set(pairs) == {frozenset({home, partner}) for partner in expected}
    found = {partner: (p.start.year if p.start else None, p.form)
             for partner in expected for p in [pairs[frozenset({home, partner})]]}
    assert found == expected
    assert {k: places(result)[k].country for k in countries} == countries


def test_a_list_item_is_read_at_its_line() -> None:
    result = read_source(LISTS / "partnerstaedte-liste-wikipedia-de.html")
    pairs = partnerships(result)
    # the <li> of each town, under its country's <li> (Nancy under "Frankreich")
    assert lines(pairs[frozenset({"de-karlsruhe", "fr-nancy"})]) == [("partnerstaedte-liste-wikipedia-de.html", 17)]
    assert lines(pairs[frozenset({"de-karlsruhe", "ro-timisoara"})]) == [("partnerstaedte-liste-wikipedia-de.html", 27)]
    es = partnerships(read_source(LISTS / "ciudades-hermanadas-lista-es.html"))
    assert lines(es[frozenset({"ar-cordoba-gn3860259", "cl-santiago"})]) == [("ciudades-hermanadas-lista-es.html", 24)]


@pytest.mark.parametrize(("page", "named"), [
    ("twin-towns-list-wikipedia-en.html", "list 1 (line 25, 'Twin towns – sister cities')"),
    ("partnerstaedte-liste-wikipedia-de.html", "list 1 (line 14, 'Städtepartnerschaften')"),
    ("jumelages-liste-conseil-fr.html", "list 1 (line 25, 'Nos villes jumelles')"),
    ("ciudades-hermanadas-lista-es.html", "list 1 (line 13, 'Ciudades hermanadas')"),
    ("orase-infratite-wikipedia-ro.html", "list 1 (line 13, 'Orașe înfrățite')"),
])
def test_a_list_page_without_a_mapping_is_refused_with_what_to_do(tmp_path: Path, page: str, named: str) -> None:
    alone = tmp_path / page
    alone.write_bytes((LISTS / page).read_bytes())
    result = read_source(alone)
    assert result.reader == "html" and result.records == []
    [message] = [p.message for p in result.problems]
    assert message.startswith(f"{named}, read as City | Country | Since | Until | Kind: its columns name one party a row")
    assert "defaults: {institution: NAME" in message and message.endswith(f"for this page: {page}.mapping.yaml")


@pytest.mark.parametrize("page", sorted(_LIST_PAGES))
def test_a_list_page_reads_like_the_list_typed_as_csv(page: str) -> None:
    mapping = LISTS / f"{page}.mapping.yaml"
    typed = LISTS / "typed" / page.replace(".html", ".csv")
    sheet = read_source(typed, mapping=str(mapping))
    assert sheet.reader == "mapped" and errors(sheet) == []
    assert facts(read_source(LISTS / page)) == facts(sheet)


def test_navigation_reference_and_other_lists_are_not_read() -> None:
    cells = {c for page in _LIST_PAGES for t in html_lists((LISTS / page).read_text(encoding="utf-8"))
             for _, row in t.rows for c in row}
    # a table of contents, an infobox's list, navigation boxes, "See also", references, menus,
    # breadcrumbs, a footer, a history list, and a council page's contact list after its twinnings
    for shown in ("History", "Mayor: Dominic Fritz", "Arad", "Stuttgart", "Banat", "VIAF", "Privacy policy",
                  "Accueil", "Mentions légales", "Tél. 02 23 62 10 10", "Service des relations internationales",
                  "1715: Gründung der Stadt", "Rosario", "Provincia de Córdoba", "Județul Arad", "România",
                  "Liste der Städtepartnerschaften in Deutschland"):
        assert not any(shown in c for c in cells), shown
    headings = [(t.heading, len(t.rows) - 1) for page in sorted(_LIST_PAGES)
                for t in html_lists((LISTS / page).read_text(encoding="utf-8"))]
    assert headings == [("Ciudades hermanadas", 3), ("Acuerdos de cooperación", 3),
                        ("Nos villes jumelles", 5), ("Coopérations", 1), ("Coopérations", 2),
                        ("Orașe înfrățite", 4), ("Städtepartnerschaften", 5), ("Städtefreundschaften", 2),
                        ("Twin towns – sister cities", 7), ("Partner cities", 2)]


def test_a_list_item_without_a_partner_name_is_a_warning_with_its_line() -> None:
    result = read_source(LISTS / "twin-towns-list-wikipedia-en.html")
    assert [(p.line, p.field, p.severity, p.message) for p in result.problems] == [
        (32, "partner", "warning", "list 1 (line 25, 'Twin towns – sister cities'): list item without a partner "
                                   "name ('(2001) Hungary'): not read")]


@pytest.mark.parametrize(("item", "alts", "group", "cells"), [
    ("Faenza, Italy (1991)", [], "", ["Faenza", "Italy", "1991"]),
    ("Gera, Germany[92]", [], "", ["Gera", "Germany", ""]),
    ("Graz (1991)", ["Austria"], "", ["Graz", "Austria", "1991"]),
    ("Frankreich: Mulhouse (seit 1959)", [], "", ["Mulhouse", "Frankreich", "1959"]),
    ("Mulhouse (Frankreich), seit 1959", [], "", ["Mulhouse", "Frankreich", "1959"]),
    ("Lyon (France) depuis 1990", [], "", ["Lyon", "France", "1990"]),
    ("Lyon (France) – depuis le 12 mai 1990", ["Drapeau de la France"], "", ["Lyon", "France", "1990"]),
    ("Szeged, Ungaria (din 1997)", [], "", ["Szeged", "Ungaria", "1997"]),
    ("Lyon, Francia (desde 1990)", [], "", ["Lyon", "Francia", "1990"]),
    ("Faenza (Italia, dal 1991)", [], "", ["Faenza", "Italia", "1991"]),
    ("Nice", [], "France", ["Nice", "France", ""]),  # the group's country
    ("Oxford (Vereinigtes Königreich)", [], "Deutschland", ["Oxford", "Vereinigtes Königreich", ""]),
    ("Halle (Saale) (seit 1987)", [], "Deutschland", ["Halle (Saale)", "Deutschland", "1987"]),
    ("Atlanta, Georgia", ["Flag of the United States"], "", ["Atlanta, Georgia", "United States", ""]),
    # a constituent country before its state, a département beside a town's name: not part of the name
    ("Bath, England, United Kingdom", [], "", ["Bath", "United Kingdom", ""]),
    ("Antony (Hauts-de-Seine) (seit 1971)", [], "Frankreich", ["Antony", "Frankreich", "1971"]),
    ("Frankfurt (Oder) (seit 1975)", [], "Deutschland", ["Frankfurt (Oder)", "Deutschland", "1975"]),
])
def test_the_cells_of_a_list_item(item: str, alts: list[str], group: str, cells: list[str]) -> None:
    assert item_cells(item, alts, group, "twinning") == ([*cells, "", "twinning"], None)


@pytest.mark.parametrize(("item", "why"), [
    ("[1]", "list item without a partner name ('[1]')"),
    ("France", "list item 'France' names a country, not a partner"),
    ("See the full list of our partner towns on the council's website", "is a sentence, not a partner's name"),
])
def test_a_list_item_that_names_no_partner(item: str, why: str) -> None:
    cells, message = item_cells(item, [], "", "twinning")
    assert cells is None and message is not None and why in message


@pytest.mark.parametrize(("item", "cells"), [
    ("Turin, Italy (1965–2014)", ["Turin", "Italy", "1965", "2014"]),
    ("Mulhouse (Frankreich), 1959–2012", ["Mulhouse", "Frankreich", "1959", "2012"]),
    ("Lyon (France) de 1990 à 2005", ["Lyon", "France", "1990", "2005"]),
    ("Gera (seit 1959, bis 2012)", ["Gera", "", "1959", "2012"]),
    ("Szeged, Ungaria (din 1995 până în 2010)", ["Szeged", "Ungaria", "1995", "2010"]),
    ("Speyer (Germania, dal 1989 al 2014)", ["Speyer", "Germania", "1989", "2014"]),
    ("Córdoba, España (desde 1990 hasta 2005)", ["Córdoba", "España", "1990", "2005"]),
    ("Coimbra, Portugal, 1999 – 2010", ["Coimbra", "Portugal", "1999", "2010"]),
])
def test_a_list_item_with_a_range_gives_its_start_and_its_end(item: str, cells: list[str]) -> None:
    assert item_cells(item, [], "", "twinning") == ([*cells, "twinning"], None)


@pytest.mark.parametrize(("item", "why"), [
    # a start and a renewal, or three dates: which year ends it (if any) the item does not say
    ("Faenza, Italy (1991, renewed 2005)", "states 2 years (1991, 2005) and not as a range"),
    ("Graz (1965, 1990, 2014)", "states 3 years (1965, 1990, 2014)"),
    ("Kyiv (2014–1990)", "ends (1990) before it starts (2014)"),
])
def test_a_list_item_with_years_that_are_no_range_is_refused_not_read_with_one(item: str, why: str) -> None:
    cells, message = item_cells(item, [], "", "twinning")
    assert cells is None and message is not None and why in message


def test_a_list_item_with_two_years_is_a_warning_and_the_others_are_read() -> None:
    page = ("<h3>Twin towns – sister cities</h3>\n<ul>\n<li>Lviv, Ukraine (1995)</li>\n"
            "<li>Faenza, Italy (1991, renewed 2005)</li>\n<li>Graz, Austria</li>\n<li>Turin, Italy (1965–2014)</li>\n"
            "</ul>\n")
    (table,) = html_lists(page)
    assert [cells[:4] for _, cells in table.rows[1:]] == [["Lviv", "Ukraine", "1995", ""], ["Graz", "Austria", "", ""],
                                                          ["Turin", "Italy", "1965", "2014"]]
    assert [(line, "1991, 2005" in why) for line, why in table.notes] == [(4, True)]


_ENDED_LIST = ("<h3>Twin towns – sister cities</h3>\n<ul>\n<li>Lviv, Ukraine (1995)</li>\n"
               "<li>Sochi, Russia (1957–2022)</li>\n<li>Graz, Austria</li>\n</ul>\n")
_LIST_MAPPING = ("coopkg-mapping: 1\nrecord: partnership\nlevel: city\ncolumns: {{partner: City, partner_country: "
                 "Country, date: Since, kind: Kind{end}}}\ndefaults: {{institution: Timișoara, home_country: RO}}\n")


def test_a_list_item_with_a_range_is_read_with_its_end_when_the_mapping_reads_until(tmp_path: Path) -> None:
    page = _page(tmp_path, _ENDED_LIST)
    page.with_name(page.name + ".mapping.yaml").write_text(_LIST_MAPPING.format(end=", end: Until"), encoding="utf-8")
    result = read_source(page)
    assert result.reader == "mapped" and result.problems == []
    pairs = partnerships(result)
    sochi = pairs[frozenset({"ro-timisoara", "ru-sochi"})]
    assert (sochi.start, sochi.end) == (PartialDate(1957), PartialDate(2022))
    assert pairs[frozenset({"ro-timisoara", "ua-lviv"})].end is None


def test_a_list_item_with_an_end_is_refused_when_the_mapping_reads_no_end(tmp_path: Path) -> None:
    # a mapping written before lists had an Until column: read without its end, Sochi would be a
    # partnership still active, so its item is refused at its line and the others are read
    page = _page(tmp_path, _ENDED_LIST)
    page.with_name(page.name + ".mapping.yaml").write_text(_LIST_MAPPING.format(end=""), encoding="utf-8")
    result = read_source(page)
    assert [(p.line, p.field, p.severity) for p in result.problems] == [(6, "end", "warning")]
    assert "add 'end: Until' to the mapping's columns" in result.problems[0].message
    assert set(partnerships(result)) == {frozenset({"ro-timisoara", "ua-lviv"}), frozenset({"ro-timisoara", "at-graz"})}


def test_an_empty_until_column_is_not_warned_about(tmp_path: Path) -> None:
    # no item states an end: the Until column holds nothing, and "columns not used" would say nothing useful
    page = _page(tmp_path, _TWIN_LIST)
    page.with_name(page.name + ".mapping.yaml").write_text(_LIST_MAPPING.format(end=""), encoding="utf-8")
    result = read_source(page)
    assert result.problems == [] and len(partnerships(result)) == 2


_TWIN_LIST = ("<h3>Twin towns – sister cities</h3>\n<ul>\n<li>Lviv, Ukraine (1995)</li>\n"
              "<li>Graz, Austria</li>\n</ul>\n")


def test_a_twinning_table_and_a_twinning_list_on_one_page_are_refused(tmp_path: Path) -> None:
    page = _page(tmp_path, _PAIR_TABLE.format(heading="Partner regions", rows="<tr><td>Kraków</td><td>Poland</td>"
                                              "<td>Nuremberg</td><td>Germany</td><td>1979</td></tr>\n") + _TWIN_LIST)
    result = read_source(page)
    assert result.records == []
    [message] = errors(result)
    assert message.startswith("the page has twinning tables and twinning lists: table 1 (line 4, 'Partner regions'): "
                              "pairs, City | Country | Twin city | Twin country | Since; list 1 (line 9, "
                              "'Twin towns – sister cities'): 2 items;")


def test_a_mapping_reading_a_page_s_table_says_its_list_is_not_read(tmp_path: Path) -> None:
    page = _page(tmp_path, "<h3>Partners</h3>\n<table><tr><th>Town</th><th>Land</th></tr>"
                 "<tr><td>Lviv</td><td>Ukraine</td></tr></table>\n" + _TWIN_LIST)
    (tmp_path / "twins.html.mapping.yaml").write_text(
        "coopkg-mapping: 1\nrecord: partnership\ncolumns: {partner: Town, partner_country: Land}\n"
        "defaults: {institution: Kraków, home_country: PL}\n", encoding="utf-8")
    result = read_source(page)
    assert set(partnerships(result)) == {frozenset({"pl-krakow", "ua-lviv"})}
    assert [(p.line, p.message) for p in result.problems if p.severity == "warning" and "list" in p.message] == [
        (6, "list 1 (line 6, 'Twin towns – sister cities') is not read: the mapping's columns are not a list's "
            "(City | Country | Since | Until | Kind)")]
    # and a mapping naming both a table's and a list's columns: two shapes, refused naming both
    (tmp_path / "twins.html.mapping.yaml").write_text(
        "coopkg-mapping: 1\nrecord: partnership\ncolumns: {partner: [City, Town]}\n"
        "defaults: {institution: Kraków, home_country: PL}\n", encoding="utf-8")
    again = read_source(page)
    assert again.records == [] and errors(again)[0].startswith(
        "cannot read: the page has tables of different shapes with the mapping's columns: table 1 (line 4, "
        "'Partners'): Town | Land; list 1 (line 6, 'Twin towns – sister cities'): City | Country | Since | Until | Kind")


@pytest.mark.parametrize(("heading", "kind"), [
    ("Twin towns – sister cities", "twinning"), ("Twin towns and partner cities", "twinning"),
    ("Partnerstädte", "twinning"), ("Jumelages et coopérations", "twinning"), ("Orașe înfrățite", "twinning"),
    ("Ciudades hermanadas", "twinning"), ("Gemellaggi", "twinning"), ("Città gemellate", "twinning"),
    ("Partner cities", "partnership-agreement"), ("Villes partenaires", "partnership-agreement"),
    ("Friendship cities", "collaboration"), ("Coopérations", "collaboration"),
    ("Cooperation agreements", "cooperation-agreement"), ("Accordi di cooperazione", "cooperation-agreement"),
    ("See also", None), ("References", None), ("International relations", None), ("Economy and cooperation", None),
])
def test_the_kind_a_heading_names(heading: str, kind: str | None) -> None:
    assert list_kind(heading) == kind


def test_a_section_goes_on_under_a_continent_and_ends_at_another_subject(tmp_path: Path) -> None:
    body = ("<h2>Gemellaggi</h2>\n<h3>Europa</h3>\n<ul><li>Faenza (Italia, dal 1991)</li></ul>\n"
            "<h3>Francia</h3>\n<ul><li>Mulhouse</li></ul>\n"
            "<h3>Contatti</h3>\n<ul><li>Ufficio relazioni internazionali</li></ul>\n")
    found = html_lists(_page(tmp_path, body).read_text(encoding="utf-8"))
    # a sub-heading naming a country gives it to its list; "Contatti" is another subject
    assert [row for t in found for row in t.rows[1:]] == [(5, ["Faenza", "Italia", "1991", "", "twinning"]),
                                                         (7, ["Mulhouse", "Francia", "", "", "twinning"])]


def test_a_page_nested_past_any_real_one_is_read_without_a_crash(tmp_path: Path) -> None:
    # the list reader walks the page as a tree: 50,000 nested <div>s must not exhaust the stack
    page = _page(tmp_path, "<h2>Twin towns</h2>\n" + "<div>" * 50_000 + "<ul><li>Lyon, France</li></ul>"
                 + "</div>" * 50_000 + "\n" + _TWIN_LIST)
    lists = html_lists(page.read_text(encoding="utf-8"))
    assert [row for t in lists for row in t.rows[1:]] == [(7, ["Lviv", "Ukraine", "1995", "", "twinning"]),
                                                         (8, ["Graz", "Austria", "", "", "twinning"])]
    # (the first 64 KiB, all <div>s, are what a reader is picked by: the html reader is named)
    [refused] = read_source(page, reader="html").problems
    assert refused.message.startswith("list 1 (line 6, 'Twin towns – sister cities'), read as City | Country")


def test_a_country_s_towns_in_one_item_are_each_a_row(tmp_path: Path) -> None:
    # "Frankreich: Lyon, Nice": two partners in France, not one town named "Lyon, Nice"; a
    # constituent country after its town stays that town's ("Bath, England")
    body = ("<h3>Partnerstädte</h3>\n<ul>\n<li>Frankreich: Lyon (seit 1960), Nice (seit 1970)</li>\n"
            "<li>Vereinigtes Königreich: Bath, England und Oxford</li>\n<li>Italien: Faenza</li>\n</ul>\n")
    (table,) = html_lists(_page(tmp_path, body).read_text(encoding="utf-8"))
    assert [(line, cells[:3]) for line, cells in table.rows[1:]] == [
        (5, ["Lyon", "Frankreich", "1960"]), (5, ["Nice", "Frankreich", "1970"]), (6, ["Bath", "England", ""]),
        (6, ["Oxford", "Vereinigtes Königreich", ""]), (7, ["Faenza", "Italien", ""])]
    assert table.notes == []


@pytest.mark.parametrize(("alt", "code"), [
    ("Steagul Ungariei", "HU"), ("Steagul Franței", "FR"), ("Steagul Israelului", "IL"),
    ("Steagul Regatului Unit", "GB"), ("Steagul Republicii Moldova", "MD"), ("Steagul Germaniei", "DE"),
])
def test_a_romanian_flag_s_genitive_gives_its_country(alt: str, code: str) -> None:
    # Romanian Wikipedia's flags say "Steagul Ungariei" (the flag of Hungary): a genitive, not "Ungaria"
    assert item_cells("Szeged", [alt], "", "twinning") == (["Szeged", code, "", "", "twinning"], None)
