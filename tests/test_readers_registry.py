"""The registry reader: Timiș county's table (seed 000), its variants and bad inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopkg.cli import main
from coopkg.readers import native, pick, read_source, registry
from coopkg.records import Agreement, AgreementChange, Collectivity, PartialDate, Party, Term

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SEED = SEEDS / "000_f1604e6ac0ab52dc.txt"
CURATED = ROOT / "data" / "bundled" / "000_f1604e6ac0ab52dc.yaml"
FIX = Path(__file__).parent / "fixtures" / "readers" / "registry"

needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="seed documents not beside the checkout")


def agreements(result):
    return {frozenset(p.actor for p in a.parties): a for a in result.records if isinstance(a, Agreement)}


def facts(agreement: Agreement) -> dict:
    """The facts a registry row carries, comparable across sources."""
    return {
        "parties": {(p.actor, frozenset(p.on_behalf_of)) for p in agreement.parties},
        "kind": agreement.kind,
        "signed": agreement.signed,
        "status": agreement.status,
        "end_reason": agreement.end_reason,
        "reorganization": agreement.reorganization,
        "term": agreement.term,
    }


EXPECTED = {
    frozenset({"ro-timis", "fr-midi-pyrenees"}): {
        "kind": "cooperation-agreement", "signed": PartialDate(1996, 2, 16), "status": "ended",
        "end_reason": "expiry", "reorganization": None, "term": None},
    frozenset({"ro-timis", "fr-rhone"}): {
        "kind": "cooperation-protocol", "signed": PartialDate(1997, 11, 22), "status": "ended",
        "end_reason": "administrative-reorganisation", "reorganization": "fr-regional-reform-2016", "term": None},
    frozenset({"ro-regiunea-vest", "fr-alsace"}): {
        "kind": "cooperation-protocol", "signed": PartialDate(2006, 9, 28), "status": "ended",
        "end_reason": "expiry", "reorganization": None, "term": Term(3, 1)},
}


def check_timis(result, document: str | None = None) -> None:
    assert not [p for p in result.problems if p.severity == "error"], result.problems
    found = agreements(result)
    assert set(found) == set(EXPECTED)
    for parties, expected in EXPECTED.items():
        got = facts(found[parties])
        for name, value in expected.items():
            assert got[name] == value, (parties, name)
    vest = found[frozenset({"ro-regiunea-vest", "fr-alsace"})]
    assert Party("ro-regiunea-vest", ("ro-arad", "ro-caras-severin", "ro-hunedoara", "ro-timis")) in vest.parties
    rhone = found[frozenset({"ro-timis", "fr-rhone"})]
    renewals = [c for c in result.records if isinstance(c, AgreementChange)]
    assert [(c.kind, c.agreement, c.date) for c in renewals] == [("renewal", rhone.key, PartialDate(2004, 11, 19))]
    # keys two readers agree on: sorted party keys + signature date
    assert rhone.key == "fr-rhone--ro-timis--1997-11-22"
    if document:
        assert all(s.document == document for r in result.records for s in r.sources)


@needs_seed
def test_seed_table_is_found_inside_the_page_and_read():
    assert pick(SEED).NAME == "registry"
    result = read_source(SEED)
    assert result.reader == "registry"
    check_timis(result, SEED.name)
    lines = {frozenset(p.actor for p in a.parties): a.sources[0].line for a in agreements(result).values()}
    assert lines == {frozenset({"ro-timis", "fr-midi-pyrenees"}): 21, frozenset({"ro-timis", "fr-rhone"}): 22,
                     frozenset({"ro-regiunea-vest", "fr-alsace"}): 23}
    # the partners' country comes from the heading above the table (# Republica Franceză)
    assert not [r for r in result.records if isinstance(r, Collectivity)]


@needs_seed
@pytest.mark.skipif(not CURATED.is_file(), reason="curated YAML not there")
def test_seed_facts_equal_the_curated_yaml():
    """Every fact the reader gets from the table is the curated dataset's fact."""
    mine = read_source(SEED)
    curated = native.read(CURATED)
    theirs = {(frozenset(p.actor for p in a.parties), a.signed): a for a in curated.records if isinstance(a, Agreement)}
    for parties, agreement in agreements(mine).items():
        match = theirs[(parties, agreement.signed)]
        ours, expected = facts(agreement), facts(match)
        assert ours == expected, (parties, ours, expected)
    renewal = next(r for r in mine.records if isinstance(r, AgreementChange))
    curated_renewals = {(c.kind, c.date) for c in curated.records if isinstance(c, AgreementChange)
                        and c.agreement == "timis-rhone-protocol-1997"}
    assert (renewal.kind, renewal.date) in curated_renewals


@pytest.mark.parametrize("name", ["timis-bom.tsv", "timis-semicolon.csv", "timis-fr.csv", "timis-en.tsv"])
def test_variants_give_the_same_facts(name):
    path = FIX / name
    assert pick(path).NAME == "registry"
    check_timis(read_source(path), name)


def test_windows_1252_french_table():
    result = read_source(FIX / "rhone-cp1252.csv")
    assert result.reader == "registry" and not result.problems
    found = agreements(result)
    rhone = found[frozenset({"fr-rhone", "ro-timis"})]
    assert rhone.signed == PartialDate(1997, 11, 22) and rhone.status == "ended"
    twinning = found[frozenset({"fr-romans-sur-isere", "tn-el-jem"})]
    assert twinning.kind == "twinning" and twinning.signed == PartialDate(1992, 6) and twinning.status == "ongoing"


def test_bad_rows_are_reported_and_good_rows_kept():
    path = FIX / "bad-rows.tsv"
    result = read_source(path, "registry")
    messages = [(p.line, p.field, p.message) for p in result.problems]
    assert (3, "date", "unparseable date '31.02.1997': day 31 does not exist in 1997-02 ('31.02.1997')") in messages
    assert any(line == 4 and field == "partner" and "row skipped" in msg for line, field, msg in messages)
    assert any(line == 5 and field == "date" and "cândva" in msg for line, field, msg in messages)
    assert any(line == 6 and "row has 3 cells, the header 5" in msg for line, _, msg in messages)
    assert all(str(p).startswith(f"{path}:") for p in result.problems)
    assert result.skipped == 1
    found = agreements(result)
    assert found[frozenset({"ro-timis", "fr-midi-pyrenees"})].signed == PartialDate(1996, 2, 16)
    assert found[frozenset({"ro-regiunea-vest", "fr-alsace"})].term == Term(3, 1)
    # the row with an impossible date still loads, without the date
    assert found[frozenset({"ro-timis", "fr-rhone"})].signed is None


@pytest.mark.parametrize(("name", "message"), [
    ("empty.tsv", "empty file: no table to read"),
    ("garbage.tsv", "cannot read: binary data (NUL bytes), not text"),
    ("missing-partner-column.tsv", "missing column 'foreign locality/region' in the header"),
])
def test_unreadable_files_give_one_clear_error(name, message):
    result = registry.read(FIX / name)
    assert not result.records
    assert len(result.problems) == 1 and result.problems[0].severity == "error"
    assert message in result.problems[0].message
    assert str(result.problems[0]).startswith(str(FIX / name))


def test_build_command_reads_bad_rows_and_strict_fails(tmp_path, capsys):
    code = main(["build", str(FIX / "bad-rows.tsv"), "--no-validate", "--out", str(tmp_path / "lenient")])
    out, err = capsys.readouterr()
    assert code == 1 and (tmp_path / "lenient" / "graph.ttl").is_file()
    assert "with the registry reader: 5 records, 1 skipped, 4 errors" in out
    assert "bad-rows.tsv:3 [date]" in err
    code = main(["build", str(FIX / "bad-rows.tsv"), "--strict", "--no-validate", "--out", str(tmp_path / "strict")])
    assert code == 1 and not (tmp_path / "strict").exists()
