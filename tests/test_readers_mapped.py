"""The mapped reader: CSV/TSV/XLSX + a YAML mapping; the shipped mappings; build --mapping."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from coopkg.cli import main
from coopkg.readers import mapped, pick, read_source, registry
from coopkg.records import Agreement, Collectivity, PartialDate, Partnership, Term

FIX = Path(__file__).parent / "fixtures" / "readers"
SHEET = FIX / "mapped" / "council-sheet.csv"


def by_parties(result):
    return {frozenset(p.actor for p in a.parties): a for a in result.records if isinstance(a, Agreement)}


@pytest.fixture
def timis_xlsx(tmp_path) -> Path:
    """The Timiș table (seed 000's rows, in the BOM fixture) saved as a workbook."""
    book = Workbook()
    sheet = book.active
    with (FIX / "registry" / "timis-bom.tsv").open(encoding="utf-8-sig") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            sheet.append(row)
    path = tmp_path / "timis.xlsx"
    book.save(path)
    return path


def test_shipped_registry_mapping_reads_the_table_as_xlsx_like_the_registry_reader(timis_xlsx):
    assert pick(timis_xlsx).NAME == "mapped"
    result = read_source(timis_xlsx, mapping="registry")
    assert result.reader == "mapped" and not result.problems
    same = registry.read(FIX / "registry" / "timis-bom.tsv")
    keys = lambda r: sorted(x.key for x in r.records)  # noqa: E731
    assert keys(result) == keys(same)  # the same facts get the same keys, whichever reader
    vest = by_parties(result)[frozenset({"ro-regiunea-vest", "fr-alsace"})]
    assert vest.term == Term(3, 1) and vest.signed == PartialDate(2006, 9, 28)
    assert [s.line for s in vest.sources] == [4]  # the workbook row


@pytest.mark.parametrize("name", ["timis-bom.tsv", "timis-semicolon.csv", "timis-fr.csv", "timis-en.tsv"])
def test_shipped_registry_mapping_on_csv_variants(name):
    result = read_source(FIX / "registry" / name, mapping="registry")
    assert result.reader == "mapped"
    found = by_parties(result)
    assert found[frozenset({"ro-timis", "fr-rhone"})].reorganization == "fr-regional-reform-2016"
    assert found[frozenset({"ro-timis", "fr-midi-pyrenees"})].end_reason == "expiry"


def test_mapping_beside_the_sheet_split_parties_local_words_and_date_formats():
    assert mapped.beside(SHEET) == SHEET.with_name(SHEET.name + ".mapping.yaml")
    assert pick(SHEET).NAME == "mapped"
    result = read_source(SHEET)
    found = by_parties(result)
    rhone = found[frozenset({"ro-timis", "fr-rhone"})]
    assert (rhone.kind, rhone.signed, rhone.status, rhone.end_reason, rhone.reorganization) == (
        "cooperation-protocol", PartialDate(1997, 11, 22), "ended", "administrative-reorganisation",
        "fr-regional-reform-2016")
    assert rhone.note == "reînnoit 2004"
    midi = found[frozenset({"ro-timis", "fr-midi-pyrenees"})]
    assert (midi.kind, midi.status, midi.end_reason) == ("cooperation-agreement", "ended", "expiry")
    gex = found[frozenset({"ro-timis", "fr-communaute-de-communes-du-pays-de-gex"})]
    assert (gex.kind, gex.signed, gex.status) == ("twinning", PartialDate(1998, 5), "ongoing")
    new = [r for r in result.records if isinstance(r, Collectivity)]
    assert [(c.key, c.country) for c in new] == [("fr-communaute-de-communes-du-pays-de-gex", "FR")]
    problems = {(p.line, p.field, p.severity): p.message for p in result.problems}
    assert problems[(4, "parties", "warning")].startswith("unknown collectivity 'Communauté de communes du Pays de Gex'")
    assert problems[(5, "parties", "error")] == (
        "row skipped: expected two parties separated by ' / ' in 'Consiliul Județean Timiș'")
    assert problems[(6, "date", "error")].startswith("unparseable date '30/02/2006'")
    assert result.skipped == 1
    assert found[frozenset({"ro-timis", "fr-alsace"})].signed is None  # kept, without the impossible date


def test_shipped_atlas_projects_mapping_gives_partnerships():
    result = read_source(FIX / "mapped" / "atlas-projects.tsv", mapping="atlas-projects")
    assert not result.problems
    partnerships = {frozenset(p.parties): p for p in result.records if isinstance(p, Partnership)}
    pair = partnerships[frozenset({"fr-romans-sur-isere", "tn-el-jem"})]
    assert (pair.start, pair.status, pair.form, pair.themes) == (
        PartialDate(2010), "ongoing", "decentralised-cooperation-project", ["competitiveness-clusters"])
    taroudannt = partnerships[frozenset({"fr-romans-sur-isere", "ma-taroudannt"})]
    assert (taroudannt.start, taroudannt.form) == (PartialDate(1994), "twinning")


def test_bad_mapping_is_reported_with_its_fields(tmp_path):
    sheet = tmp_path / "t.tsv"
    sheet.write_text((FIX / "registry" / "timis-bom.tsv").read_text(encoding="utf-8-sig"), encoding="utf-8")
    result = read_source(sheet, mapping=str(FIX / "mapped" / "bad-mapping.yaml"))
    messages = {p.field: p.message for p in result.problems}
    assert messages["columns.signature"].startswith("unknown role 'signature'")
    assert messages["values.status"] == "'finished-for-good' (for 'încetat') is not a status code"
    assert len(by_parties(result)) == 3  # the good part of the mapping still reads the rows


def test_missing_required_column(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("coopkg-mapping: 1\ncolumns:\n  institution: Instituția\n  partner: Partenerul străin\n")
    result = read_source(FIX / "registry" / "timis-bom.tsv", mapping=str(mapping))
    assert not result.records
    [problem] = result.problems
    assert (problem.line, problem.field) == (1, "partner")
    assert problem.message.startswith("missing column 'Partenerul străin' for 'partner' in the header")


@pytest.mark.parametrize(("name", "mapping", "message"), [
    ("garbage.xlsx", "registry", "cannot read: not an XLSX workbook (BadZipFile)"),
    ("garbage.xlsx", None, "no mapping: give --mapping FILE"),
])
def test_unreadable_sheets(name, mapping, message):
    result = read_source(FIX / "mapped" / name, mapping=mapping) if mapping else read_source(FIX / "mapped" / name)
    assert not result.records and result.problems[0].message.startswith(message)


def test_empty_sheet(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert read_source(empty, mapping="registry").problems[0].message == "empty file: no rows to read"


def test_unknown_mapping_name():
    result = read_source(SHEET, mapping="no-such-mapping")
    assert result.problems[0].message.startswith("no mapping 'no-such-mapping': not a file, nor a shipped mapping")


def test_build_command_with_mapping(timis_xlsx, tmp_path, capsys):
    assert main(["build", str(timis_xlsx), "--mapping", "registry", "--no-validate", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "with the mapped reader: 4 records, 0 skipped" in out
    assert (tmp_path / "out" / "graph.ttl").is_file()


def test_a_town_named_once_for_every_row_is_one_place_on_every_row(tmp_path):
    """"Arad" as defaults.institution at level city: the town on every row, not the town on
    the first and the curated county of the same name on the next ones (once the first row
    made the town known, the town's key was no longer taken for it)."""
    sheet = tmp_path / "arad.csv"
    sheet.write_text("City,Country,Since\nGyula,Hungary,1993\nLudwigsburg,Germany,1995\n", encoding="utf-8")
    (tmp_path / "arad.csv.mapping.yaml").write_text(
        "coopkg-mapping: 1\nrecord: partnership\nlevel: city\n"
        "columns: {partner: City, partner_country: Country, date: Since}\n"
        "defaults: {institution: Arad, home_country: RO, kind: twinning}\n", encoding="utf-8")
    result = read_source(sheet)
    homes = {next(p for p in r.parties if p.startswith("ro-")) for r in result.records if isinstance(r, Partnership)}
    assert homes == {"ro-arad-gn686254"}
