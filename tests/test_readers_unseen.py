"""Readers against table shapes nobody on the project wrote (tests/fixtures/readers/unseen/).

Each fixture is a shape a real publisher uses: a Wikidata Query Service download (CSV and
SPARQL JSON), German, Spanish and Italian Wikipedia twinning tables, a French atlas export
in Latin-1, a Romanian county table with cedilla and comma diacritics, an English council
list, and a table with bad rows. The facts asserted are the ones a wrong reader gets wrong:
which reader, which place (never its namesake abroad), one partnership per pair, dates at
their precision, and bad rows refused with file, line and field while the rest loads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coopkg.cli import main
from coopkg.normalise.countries import country_code, split_stated_country
from coopkg.normalise.dates import DateError, parse_date
from coopkg.normalise.headers import pair_columns
from coopkg.readers import read_source
from coopkg.records import Agreement, Collectivity, PartialDate, Partnership, ReadResult

FIX = Path(__file__).parent / "fixtures" / "readers" / "unseen"


def partnerships(result: ReadResult) -> dict[frozenset[str], Partnership]:
    found: dict[frozenset[str], Partnership] = {}
    for record in result.records:
        if isinstance(record, Partnership):
            assert frozenset(record.parties) not in found, f"pair stated twice: {record.parties}"
            found[frozenset(record.parties)] = record
    return found


def agreements(result: ReadResult) -> dict[frozenset[str], Agreement]:
    return {frozenset(p.actor for p in r.parties): r for r in result.records if isinstance(r, Agreement)}


def places(result: ReadResult) -> dict[str, Collectivity]:
    return {r.key: r for r in result.records if isinstance(r, Collectivity)}


def errors(result: ReadResult) -> list[tuple[int | None, str | None, str]]:
    return [(p.line, p.field, p.message) for p in result.problems if p.severity == "error"]


@pytest.fixture(scope="module")
def read():
    cache: dict[str, ReadResult] = {}

    def reader(name: str) -> ReadResult:
        if name not in cache:
            cache[name] = read_source(FIX / name)
        return cache[name]

    return reader


# -- Wikidata Query Service downloads ------------------------------------------------------

def test_wdqs_headers_are_query_variables() -> None:
    roles = pair_columns("item,itemLabel,twin,twinLabel,countryLabel,twinCountryLabel,start".split(","))
    assert roles == {0: "wikidata_a", 1: "name_a", 2: "wikidata_b", 3: "name_b", 4: "country_a", 5: "country_b",
                     6: "date"}
    # the label service's country IRI column beside its label is not read as a party
    assert pair_columns("item,itemLabel,twin,twinLabel,country,countryLabel".split(","))[5] == "country_b"


def test_wdqs_header_named_after_the_property() -> None:
    # ?twinnedAdministrativeBody: the variable a query gets from P190's English label
    roles = pair_columns("item,itemLabel,twinnedAdministrativeBody,twinnedAdministrativeBodyLabel,start".split(","))
    assert roles == {0: "wikidata_a", 1: "name_a", 2: "wikidata_b", 3: "name_b", 4: "date"}


def test_wdqs_csv(read) -> None:
    result = read("wdqs-p190.csv")
    assert result.reader == "pairs"
    assert errors(result) == []
    pairs = partnerships(result)
    assert set(pairs) == {
        frozenset({"fr-paris-gn2988507", "it-rome"}),
        frozenset({"de-frankfurt-am-main", "fr-paris-gn2988507"}),
        frozenset({"de-frankfurt-oder", "pl-gorzow-wielkopolski"}),
        frozenset({"es-valencia-gn2509954", "ve-valencia"}),
        frozenset({"pl-krakow", "de-nuremberg"}),
    }
    # the reciprocal rows are one partnership with both rows as sources
    rome = pairs[frozenset({"fr-paris-gn2988507", "it-rome"})]
    assert [s.line for s in rome.sources] == [2, 3]
    # a full timestamp is the day; Wikidata's year-precision 01-01 timestamp is the year, no more
    assert rome.start == PartialDate(1956, 1, 30)
    assert pairs[frozenset({"de-frankfurt-oder", "pl-gorzow-wielkopolski"})].start == PartialDate(1975)
    assert pairs[frozenset({"de-frankfurt-am-main", "fr-paris-gn2988507"})].start is None
    found = places(result)
    # the entity IRI is the identity, kept from the first row that names the place
    assert {k: (p.wikidata, p.country) for k, p in found.items()} == {
        "fr-paris-gn2988507": ("Q90", "FR"), "it-rome": ("Q220", "IT"), "de-frankfurt-am-main": ("Q1794", "DE"),
        "de-frankfurt-oder": ("Q4024", "DE"), "pl-gorzow-wielkopolski": ("Q1792", "PL"),
        "es-valencia-gn2509954": ("Q8818", "ES"), "ve-valencia": ("Q156356", "VE"),
        "pl-krakow": ("Q40898", "PL"), "de-nuremberg": ("Q2090", "DE"),
    }


def test_wdqs_sparql_json(read) -> None:
    result = read("wdqs-p190.json")
    assert result.reader == "pairs"
    assert errors(result) == []
    pairs = partnerships(result)
    assert set(pairs) == {
        frozenset({"de-munich", "fr-bordeaux"}), frozenset({"de-munich", "no-oslo-gn3143244"}),
        frozenset({"es-valencia-gn2509954", "ve-valencia"}),
        frozenset({"pl-gorzow-wielkopolski", "de-frankfurt-oder"}),
    }
    munich = pairs[frozenset({"de-munich", "fr-bordeaux"})]
    assert munich.start == PartialDate(1964)
    # rows numbered as in the CSV download of the same query
    assert [s.line for s in munich.sources] == [2, 3]
    assert places(result)["no-oslo-gn3143244"].wikidata == "Q585"
    assert places(result)["de-munich"].country == "DE"  # "Deutschland", in the query's label language


def test_sparql_json_that_is_not_results_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "twins.json"
    broken.write_text('{"head": {"vars": ["item", "itemLabel", "twin", "twinLabel"]}, "results": {"bindings": [',
                      encoding="utf-8")
    result = read_source(broken)
    assert result.records == []
    assert len(errors(result)) == 1 and errors(result)[0][2].startswith("cannot read SPARQL JSON results:")


def test_sparql_json_nested_too_deep_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"head": {"vars": ["item", "itemLabel", "twin", "twinLabel"]}, "results": '
                    + "[" * 200_000 + "]" * 200_000 + "}", encoding="utf-8")
    result = read_source(deep)
    assert result.records == [] and "nesting depth" in errors(result)[0][2]


def test_sparql_json_with_its_written_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--write-mapping on a JSON result, then --mapping: the mapping applies (it was ignored)."""
    mapping = tmp_path / "wdqs.mapping.yaml"
    assert main(["build", str(FIX / "wdqs-p190.json"), "--write-mapping", str(mapping), "--out", str(tmp_path / "out")]) == 0
    inferred = read_source(FIX / "wdqs-p190.json")
    mapped = read_source(FIX / "wdqs-p190.json", mapping=str(mapping))
    assert mapped.reader == "mapped"
    assert set(partnerships(mapped)) == set(partnerships(inferred))
    edited = tmp_path / "edited.mapping.yaml"
    edited.write_text(mapping.read_text(encoding="utf-8").replace("date: start", "end: start"), encoding="utf-8")
    ends = {p.end for p in partnerships(read_source(FIX / "wdqs-p190.json", mapping=str(edited))).values()}
    assert ends == {PartialDate(1964), PartialDate(1982), PartialDate(1975), None}
    capsys.readouterr()


# -- Wikipedia tables in German, Spanish, Italian ----------------------------------------

def test_country_stated_in_a_name_cell() -> None:
    assert split_stated_country("Heidelberg, Germany") == ("Heidelberg", "DE")
    assert split_stated_country("Szeged (Hungary)") == ("Szeged", "HU")
    assert split_stated_country("Saint-Louis (Sénégal)") == ("Saint-Louis", "SN")
    assert split_stated_country("Frankfurt (Oder)") == ("Frankfurt (Oder)", None)
    assert split_stated_country("Atlanta, Georgia") == ("Atlanta, Georgia", None)  # also a US state
    assert split_stated_country("Regiunea Midi-Pyrenees,") == ("Regiunea Midi-Pyrenees,", None)


def test_countries_in_german_spanish_italian() -> None:
    assert [country_code(n) for n in ("Frankreich", "Vereinigte Staaten", "Polen", "Russland")] == \
        ["FR", "US", "PL", "RU"]
    assert [country_code(n) for n in ("España", "Estados Unidos", "Francia", "Spagna", "Germania")] == \
        ["ES", "US", "FR", "ES", "DE"]
    assert country_code("Romania") == "RO" and country_code("Irlanda") == "IE"  # fr/ro/en meanings stay


def test_german_partnerstaedte(read) -> None:
    result = read("partnerstaedte-de.csv")
    assert result.reader == "pairs"
    assert errors(result) == []
    pairs = partnerships(result)
    assert set(pairs) == {
        frozenset({"de-frankfurt-am-main", "fr-lyon"}),
        frozenset({"de-frankfurt-oder", "pl-slubice-gn3085495"}),
        frozenset({"fr-saint-louis", "de-weil-am-rhein"}),
        frozenset({"sn-saint-louis-gn2246452", "fr-lille"}),
        frozenset({"us-st-louis", "de-stuttgart"}),
    }
    # the three Saint-Louis stay three places, each in its own country
    found = places(result)
    assert {k: found[k].country for k in ("fr-saint-louis", "sn-saint-louis-gn2246452", "us-st-louis")} == \
        {"fr-saint-louis": "FR", "sn-saint-louis-gn2246452": "SN", "us-st-louis": "US"}
    assert found["de-frankfurt-oder"].geonames != found["de-frankfurt-am-main"].geonames
    lyon = pairs[frozenset({"de-frankfurt-am-main", "fr-lyon"})]
    assert lyon.start == PartialDate(1960) and [s.line for s in lyon.sources] == [2, 8]
    # two French Saint-Louis of close size: ambiguous, said with the candidates, never guessed
    ambiguous = [p for p in result.problems if "ambiguous" in p.message]
    assert [(p.line, p.field) for p in ambiguous] == [(4, "institution")]
    # Stuttgart's row says 1961, Saint Louis's 1960: one partnership, the first year kept, the other a claim
    stuttgart = pairs[frozenset({"us-st-louis", "de-stuttgart"})]
    assert stuttgart.start == PartialDate(1960) and [s.line for s in stuttgart.sources] == [6, 7]
    assert [(c.field, c.value, c.source.line) for c in stuttgart.claims] == [("start", PartialDate(1961), 7)]
    assert [(p.line, p.field, p.message) for p in result.problems if "conflict" in p.message] == [
        (7, "date", "conflict on Partnership 'de-stuttgart--us-st-louis--1960': partnerstaedte-de.csv:7 says 1961, "
                    "partnerstaedte-de.csv:6 says 1960; both kept")]
    assert result.reconciliation.reciprocal == 2


def test_wikipedia_table_copied_with_footnotes_and_flags(read) -> None:
    """A table copied from a Wikipedia page: "Lyon[1]" (a reference mark), "Frankreich Frankreich"
    (the flag's alternative text before the name)."""
    result = read("partnerstaedte-wikipedia-copy.tsv")
    assert result.reader == "pairs"
    assert [p for p in result.problems if p.severity != "info"] == []
    pairs = partnerships(result)
    partners = {next(iter(pair - {"de-frankfurt-am-main"})): p.start for pair, p in pairs.items()}
    # "Lyon[1]" is Lyon, not "Lyon 1" (GeoNames' Lyon 01, the 1st arrondissement)
    assert partners == {"fr-lyon": PartialDate(1960), "gb-birmingham-gn2655603": PartialDate(1966),
                        "it-milan": PartialDate(1970), "eg-cairo": PartialDate(1979), "il-tel-aviv": PartialDate(1980),
                        "cn-guangzhou": PartialDate(1988), "pl-krakow": PartialDate(1991),
                        "cz-prague": PartialDate(1990)}
    assert {p.country for p in places(result).values()} == {"DE", "FR", "GB", "IT", "EG", "IL", "CN", "PL", "CZ"}


def test_spanish_ciudades_hermanadas_with_bom(read) -> None:
    result = read("ciudades-hermanadas-es.csv")
    assert result.reader == "pairs"
    assert errors(result) == []
    pairs = partnerships(result)
    valencias = pairs[frozenset({"es-valencia-gn2509954", "ve-valencia"})]
    assert [s.line for s in valencias.sources] == [2, 6] and valencias.start == PartialDate(1982)
    assert frozenset({"ar-cordoba-gn3860259", "es-cordoba-gn2519240"}) in pairs
    assert frozenset({"es-zaragoza-gn3104324", "fr-pau"}) in pairs
    assert len(pairs) == 5
    # a town column names the town, not the province of the same name
    assert all(p.kind == "city" for p in places(result).values())


def test_italian_gemellaggi(read) -> None:
    result = read("gemellaggi-it.tsv")
    assert result.reader == "pairs"
    assert errors(result) == []
    pairs = partnerships(result)
    assert set(pairs) == {
        frozenset({"it-faenza", "es-talavera-de-la-reina"}), frozenset({"it-padua", "de-freiburg"}),
        frozenset({"it-bologna-gn3181928", "es-valencia-gn2509954"}), frozenset({"it-florence", "fr-reims"}),
        frozenset({"it-reggio-nell-emilia", "fr-biarritz"}),
    }
    assert pairs[frozenset({"it-florence", "fr-reims"})].start == PartialDate(1954)  # "dal 1954"
    assert pairs[frozenset({"it-reggio-nell-emilia", "fr-biarritz"})].start == PartialDate(1993, 3, 12)


# -- registries: French export, Romanian county, English council ------------------------

def test_french_atlas_export_latin1(read) -> None:
    result = read("atlas-export-fr.csv")
    assert result.reader == "registry"
    found = agreements(result)
    assert set(found) == {
        frozenset({"fr-bre", "pl-wielkopolska"}), frozenset({"fr-besancon", "de-freiburg"}),
        frozenset({"fr-38", "ro-cluj"}), frozenset({"fr-saint-louis", "de-lorrach"}),
        frozenset({"fr-lille", "sn-saint-louis"}), frozenset({"fr-poitiers", "de-marburg-an-der-lahn"}),
    }
    assert found[frozenset({"fr-bre", "pl-wielkopolska"})].signed == PartialDate(2004, 3, 12)
    assert found[frozenset({"fr-38", "ro-cluj"})].status == "ended"
    # no kind column: the generic kind (an agreement needs one), said once
    assert {a.kind for a in found.values()} == {"cooperation-agreement"}
    assert any(p.line == 1 and p.field == "kind" and "read as 'cooperation-agreement'" in p.message
               for p in result.problems)
    # 31 February: that row's date refused, the row kept; the row after the export's blank line is read;
    # the notes line under the table (it names the Atlas: still read as a table) is refused, no place minted
    assert errors(result) == [
        (8, "date", "unparseable date '31/02/1961': day 31 does not exist in 1961-02 ('31/02/1961')"),
        (9, "partner", "row skipped: needs two parties, found 1 (empty: partner)"),
    ]
    assert not [k for k in places(result) if "atlas" in k or "source" in k]
    assert found[frozenset({"fr-poitiers", "de-marburg-an-der-lahn"})].signed is None
    assert places(result)["sn-saint-louis"].country == "SN"


def test_page_table_ends_at_a_blank_line_and_says_what_follows(tmp_path: Path) -> None:
    """In a page the table ends at a blank line (seed 000); rows that seem to follow are warned, not read."""
    page = tmp_path / "relatii.txt"
    rows = (FIX / "relatii-externe-cluj.tsv").read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join(["# Relaţii externe", "", *rows[:3], "", *rows[3:]]) + "\n", encoding="utf-8")
    result = read_source(page)
    assert result.reader == "registry" and len(agreements(result)) == 2
    assert [(p.line, p.message) for p in result.problems if "blank line" in p.message] == [
        (7, "the table ends at the blank line 6: this line has the header's 7 cells but is not read "
            "(remove the blank line to read it)")]


def test_romanian_county_cedilla_and_comma(read) -> None:
    result = read("relatii-externe-cluj.tsv")
    assert result.reader == "registry"
    assert errors(result) == []
    found = agreements(result)
    # "Judeţean" (cedilla) and "Județean" (comma below) are one council
    assert {p for pair in found for p in pair if p.startswith("ro-")} == {"ro-cj"}
    assert {frozenset(pair - {"ro-cj"}) for pair in found} == {
        frozenset({"hu-comitatul-hajdu-bihar"}), frozenset({"fr-38"}), frozenset({"it-toscana"}),
        frozenset({"fr-nantes"}), frozenset({"cn-sd"})}
    nantes = found[frozenset({"ro-cj", "fr-nantes"})]
    assert nantes.kind == "twinning" and nantes.signed == PartialDate(2000, 11, 15)
    assert found[frozenset({"ro-cj", "fr-38"})].kind == "cooperation-protocol"
    assert found[frozenset({"ro-cj", "it-toscana"})].status == "ended"


def test_english_council_list(read) -> None:
    result = read("twin-towns-council-en.csv")
    assert result.reader == "registry"
    assert errors(result) == []
    found = agreements(result)
    assert len(found) == 9
    # a country stated in the name cell when the column is empty; never a US state read as a country
    assert places(result)["nl-leiden"].country == "NL"
    assert found[frozenset({"xx-oxford", "nl-leiden"})].signed == PartialDate(1946)
    assert places(result)["xx-atlanta-georgia"].country is None
    # "Padua": the province of Padova or the city; unresolved, and never under the city's key it-padua
    padua = places(result)["it-padua-ambiguous"]
    assert padua.country == "IT" and padua.geonames is None
    assert frozenset({"xx-oxford", "it-padua-ambiguous"}) in found
    assert found[frozenset({"xx-cambridge", "hu-szeged"})].signed == PartialDate(1987, 3)
    assert found[frozenset({"xx-cambridge", "de-heidelberg"})].signed == PartialDate(1965)
    # a row without a country: the partner loaded without one (warned), never a guessed Bonn
    assert places(result)["xx-bonn"].country is None
    assert any(p.line == 6 and p.field == "partner" and "no country is stated for 'Bonn'" in p.message
               for p in result.problems)
    # a quoted note over two lines is one row, named by its first line; the rows after it keep their lines
    szeged = found[frozenset({"xx-cambridge", "hu-szeged"})]
    assert szeged.note == "Friendship link from 1985; formal twinning signed in Szeged"
    assert [s.line for s in szeged.sources] == [3]
    assert [s.line for s in found[frozenset({"xx-oxford", "fr-grenoble"})].sources] == [5]


def test_pair_rows_named_by_their_first_line(tmp_path: Path) -> None:
    table = tmp_path / "twins.csv"
    table.write_text('city1,country1,city2,country2,notes\nRennes,France,Erlangen,Germany,"signed 1964,\n'
                     'renewed 2014"\nNantes,France,Cardiff,United Kingdom,\n', encoding="utf-8")
    pairs = partnerships(read_source(table))
    assert [s.line for s in pairs[frozenset({"fr-rennes", "de-erlangen"})].sources] == [2]
    assert [s.line for s in pairs[frozenset({"fr-nantes", "gb-cardiff"})].sources] == [4]


def _xlsx(rows: list[list[str]], path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([int(c) if c.isdigit() else (c or None) for c in row])
    book.save(path)
    return path


@pytest.mark.parametrize(("fixture", "delimiter", "encoding"), [("partnerstaedte-de.csv", ",", "utf-8"),
                                                                ("atlas-export-fr.csv", ";", "latin-1")])
def test_the_same_table_as_xlsx_without_a_mapping(tmp_path: Path, read, fixture: str, delimiter: str,
                                                  encoding: str) -> None:
    """A council's XLSX of a table coopkg reads as CSV: its header is read the same way (it was
    refused: 'no mapping'), with the same records."""
    import csv

    rows = list(csv.reader((FIX / fixture).read_text(encoding=encoding).splitlines(), delimiter=delimiter))
    sheet = read_source(_xlsx(rows, tmp_path / "sheet.xlsx"))
    assert sheet.reader == "mapped"
    assert any(p.field == "mapping" and "inferred from the header" in p.message for p in sheet.problems)
    table = read(fixture)
    if fixture.startswith("partner"):
        assert {k: (p.start, [s.line for s in p.sources]) for k, p in partnerships(sheet).items()} == \
            {k: (p.start, [s.line for s in p.sources]) for k, p in partnerships(table).items()}
    else:
        assert {k: (a.kind, a.signed, a.status) for k, a in agreements(sheet).items()} == \
            {k: (a.kind, a.signed, a.status) for k, a in agreements(table).items()}
    assert errors(sheet) == errors(table)


def test_xlsx_with_an_unknown_header_still_asks_for_a_mapping(tmp_path: Path) -> None:
    sheet = read_source(_xlsx([["A", "B", "C"], ["x", "y", "z"]], tmp_path / "other.xlsx"))
    assert sheet.records == [] and "no mapping: give --mapping FILE" in errors(sheet)[0][2]


def test_written_mapping_of_a_table_without_kind_gives_the_kind(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "fr.mapping.yaml"
    assert main(["build", str(FIX / "atlas-export-fr.csv"), "--write-mapping", str(mapping),
                 "--out", str(tmp_path / "out")]) in (0, 1)
    again = read_source(FIX / "atlas-export-fr.csv", mapping=str(mapping))
    assert again.reader == "mapped"
    assert {a.kind for a in agreements(again).values()} == {"cooperation-agreement"}
    capsys.readouterr()


# -- bad rows ------------------------------------------------------------------------------

def test_bad_rows_refused_good_rows_load(read) -> None:
    result = read("twins-bad-rows.csv")
    assert result.reader == "pairs"
    assert errors(result) == [
        (3, "end", "end 1959 is before the start 1961: the end is not used"),
        (7, "date", "unparseable date '31/13/1963': month 13 in '31/13/1963' does not exist"),
        (8, "partner", "row skipped: needs two parties, found 1 (empty: partner)"),
    ]
    pairs = partnerships(result)
    assert len(pairs) == 5
    poitiers = pairs[frozenset({"fr-poitiers", "de-marburg-an-der-lahn"})]
    assert poitiers.start == PartialDate(1961) and poitiers.end is None
    assert any(p.line == 4 and p.field == "partner_country" and "unknown country 'Narnia'" in p.message
               for p in result.problems)
    # the trailing notes line is refused before any name is looked up: no place named after it
    assert not [k for k in places(result) if "wikipedia" in k]
    assert result.skipped == 1


def test_bad_rows_build_writes_the_good_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["build", str(FIX / "twins-bad-rows.csv"), "--out", str(out)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert "twins-bad-rows.csv:3 [end]: error: end 1959 is before the start 1961" in captured.err
    assert code != 0  # errors in the records are reported in the exit status...
    graph = (out / "graph.ttl").read_text(encoding="utf-8")  # ...and the good rows are in the graph
    assert "fr-nantes" in graph and "gb-cardiff" in graph
    assert '"1959"' not in graph  # the refused end is not stated


def test_dates_in_german_spanish_italian() -> None:
    assert parse_date("12. März 2004") == parse_date("12 de marzo de 2004") == parse_date("12 marzo 2004") \
        == PartialDate(2004, 3, 12)
    assert parse_date("1. Januar 1960") == PartialDate(1960, 1, 1)
    assert parse_date("diciembre 1999") == PartialDate(1999, 12)
    assert [parse_date(t) for t in ("seit 1960", "since 1960", "depuis 1960", "desde 1960", "dal 1960")] == \
        [PartialDate(1960)] * 5
    with pytest.raises(DateError):
        parse_date("circa 1960")  # an approximate year is not a year


def test_wikidata_timestamp_precision() -> None:
    assert parse_date("1958-01-01T00:00:00Z") == PartialDate(1958)
    assert parse_date("+1964-01-01T00:00:00Z") == PartialDate(1964)
    assert parse_date("1956-01-30T00:00:00Z") == PartialDate(1956, 1, 30)
    assert parse_date("1996-01-01 00:00:00") == PartialDate(1996, 1, 1)  # a spreadsheet's cell is a day


# -- a town's own list of its twins (Wikipedia's "Jumelages", a council page) ------------------

def test_one_party_list_is_refused_with_what_to_do() -> None:
    # the commonest list there is says nowhere whose partners they are: never guessed
    result = read_source(FIX / "jumelages-fr.csv")
    assert result.records == []
    [problem] = result.problems
    assert "one party a row" in problem.message and "defaults: {institution: NAME" in problem.message


def test_one_party_list_with_the_town_in_its_mapping(tmp_path: Path) -> None:
    sheet = tmp_path / "jumelages-fr.csv"
    sheet.write_bytes((FIX / "jumelages-fr.csv").read_bytes())
    (tmp_path / "jumelages-fr.csv.mapping.yaml").write_text(
        "coopkg-mapping: 1\ncolumns: {partner: Ville, country: Pays, date: Depuis}\n"
        "defaults: {institution: Nantes, home_country: FR}\n", encoding="utf-8")
    result = read_source(sheet)
    assert result.reader == "mapped"
    assert errors(result) == []
    found = agreements(result)
    assert len(found) == 5 and all("fr-nantes" in pair for pair in found)
    # the French names of foreign places, in the country the row gives
    assert found[frozenset({"fr-nantes", "es-valencia-gn2509954"})].signed == PartialDate(1991)
    assert places(result)["es-valencia-gn2509954"].country == "ES"
    assert all(p.country == "SN" for k, p in places(result).items() if k.startswith("sn-saint-louis"))
    assert not any(k.startswith("fr-saint-louis") for k in places(result))
    # no kind column and no defaults.kind: the generic kind, said once on the header line
    assert {a.kind for a in found.values()} == {"cooperation-agreement"}
    assert [(p.line, p.field) for p in result.problems if "no kind column" in p.message] == [(1, "kind")]


# -- former states in old twinning tables -----------------------------------------------------

def test_former_states(tmp_path: Path) -> None:
    # the two German states' towns are all in Germany today; the USSR's and Yugoslavia's are not
    assert {country_code(n) for n in ("RDA", "Allemagne de l'Est", "West Germany", "DDR", "Germania de Est")} == {"DE"}
    assert country_code("URSS") is None and country_code("Yougoslavie") is None
    table = tmp_path / "jumelages-anciens.csv"
    table.write_text("ville,pays,ville jumelle,pays jumelle,depuis\n"
                     "Nantes,France,Halle (Saale),RDA,1974\n"
                     "Saint-Étienne,France,Donetsk,URSS,1959\n", encoding="utf-8")
    result = read_source(table)
    assert result.reader == "pairs" and errors(result) == []
    assert places(result)["de-halle-saale"].country == "DE"
    [donetsk] = [p for k, p in places(result).items() if "donetsk" in k]
    assert donetsk.country is None
    assert any(p.line == 3 and "'URSS' is a former state whose towns are in several countries today" in p.message
               for p in result.problems)


# -- a French region's table of its partners abroad -------------------------------------------

def test_first_level_units_abroad_as_french_tables_write_them(tmp_path: Path) -> None:
    table = tmp_path / "cooperations-region.csv"
    table.write_text("Institution;Partenaire;Pays;Type;Date\n"
                     "Région Bretagne;Wilaya de Tizi Ouzou;Algérie;Protocole;2010\n"
                     "Région Bretagne;Voïvodie de Grande-Pologne;Pologne;Accord de coopération;1998\n"
                     "Région Bretagne;Gouvernorat de Nabeul;Tunisie;Protocole;2012\n", encoding="utf-8")
    result = read_source(table)
    assert result.reader == "registry" and errors(result) == []
    found = agreements(result)
    # the prefix says the level: the governorate Nabeul (TN-21), not the town of that name
    assert set().union(*found) == {"fr-bre", "dz-15", "pl-30", "tn-21"}
    assert found[frozenset({"fr-bre", "tn-21"})].kind == "cooperation-protocol"  # "Protocole" alone
    assert not [p for p in result.problems if "ambiguous" in p.message or "unknown kind" in p.message]
