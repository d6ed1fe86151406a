"""Many sources, one graph: the same agreement from two sources is one node with both provenances."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopkg import build
from coopkg.cli import main
from coopkg.merge import merge
from coopkg.records import Agreement, AgreementChange, Claim, Label, PartialDate, Party, SourceRef
from coopkg.vocab import COOP, PROV, RDF

ROOT = Path(__file__).resolve().parents[1]
CURATED = ROOT / "data" / "bundled" / "000_f1604e6ac0ab52dc.yaml"
FIX = Path(__file__).parent / "fixtures" / "readers"
SEED = ROOT.parent / "shared" / "seeds" / "000_f1604e6ac0ab52dc.txt"

needs_curated = pytest.mark.skipif(not CURATED.is_file(), reason="curated YAML not there")


def agreement(loaded, parties: set[str], signed: PartialDate) -> Agreement:
    found = [r for r in loaded.records if isinstance(r, Agreement) and {p.actor for p in r.parties} == parties
             and r.signed == signed]
    assert len(found) == 1, [a.key for a in found]
    return found[0]


@needs_curated
def test_table_and_curated_yaml_make_one_node_with_both_provenances():
    loaded = build.load([CURATED, FIX / "registry" / "timis-en.tsv"])
    rhone = agreement(loaded, {"ro-timis", "fr-rhone"}, PartialDate(1997, 11, 22))
    assert rhone.key == "timis-rhone-protocol-1997"  # the first source's key is kept
    docs = {s.document for s in rhone.sources}
    assert docs == {"000_f1604e6ac0ab52dc.txt", "timis-en.tsv"}
    renewals = [r for r in loaded.records if isinstance(r, AgreementChange) and r.kind == "renewal"
                and r.agreement == rhone.key]
    assert len(renewals) == 1 and {s.document for s in renewals[0].sources} == docs
    vest = agreement(loaded, {"ro-regiunea-vest", "fr-alsace"}, PartialDate(2006, 9, 28))
    assert vest.key == "vest-alsace-protocol-2006" and vest.term.years == 3
    assert not [p for p in loaded.problems if "conflict" in p.message]
    # one Agreement node in the graph, derived from both documents
    emitter = build.emitter(loaded.records)
    iri = emitter.iri_of(rhone)
    triples = set(build.graph_triples(loaded.records))
    assert sum(1 for s, p, o in triples if p == COOP.signatureDate and s == iri) == 1
    derived = {o for s, p, o in triples if s == iri and p == PROV.wasDerivedFrom}
    assert emitter.iris.location("timis-en.tsv", 3) in derived
    assert emitter.iris.location("000_f1604e6ac0ab52dc.txt", 22) in derived


@needs_curated
def test_disagreeing_kind_is_kept_as_a_claim_and_reported(tmp_path, capsys):
    conflicting = FIX / "merge" / "midi-pyrenees-protocol.tsv"
    loaded = build.load([CURATED, conflicting])
    midi = agreement(loaded, {"ro-timis", "fr-midi-pyrenees"}, PartialDate(1996, 2, 16))
    assert midi.kind == "cooperation-agreement"
    assert Claim("kind", "cooperation-protocol", SourceRef("midi-pyrenees-protocol.tsv", 2)) in midi.claims
    [conflict] = [p for p in loaded.problems if "conflict" in p.message]
    assert (conflict.file, conflict.line, conflict.field, conflict.severity) == (
        "midi-pyrenees-protocol.tsv", 2, "kind", "warning")
    assert "says cooperation-protocol" in conflict.message and "says cooperation-agreement" in conflict.message
    # the claimed value reaches the graph as a reified statement with its source
    triples = set(build.graph_triples(loaded.records))
    statements = {s for s, p, o in triples if p == RDF.type and o == RDF.Statement
                  and (s, PROV.wasDerivedFrom, build.emitter(loaded.records).iris.location(
                      "midi-pyrenees-protocol.tsv", 2)) in triples}
    assert statements
    # the build says so, and --strict refuses
    assert main(["build", str(CURATED), str(conflicting), "--no-validate", "--out", str(tmp_path / "a")]) == 0
    assert "midi-pyrenees-protocol.tsv:2 [kind]" in capsys.readouterr().err
    assert main(["build", str(CURATED), str(conflicting), "--strict", "--no-validate", "--out", str(tmp_path / "b")]) == 1
    assert not (tmp_path / "b").exists()


@pytest.mark.skipif(not SEED.is_file(), reason="seed documents not beside the checkout")
def test_two_readers_of_one_table_agree_on_keys():
    loaded = build.load([SEED, FIX / "registry" / "timis-semicolon.csv"])
    agreements = [r for r in loaded.records if isinstance(r, Agreement)]
    assert len(agreements) == 3
    assert all({s.document for s in a.sources} == {SEED.name, "timis-semicolon.csv"} for a in agreements)


def test_precision_refines_instead_of_conflicting_and_names_are_wording():
    one = Agreement(key="a", kind="twinning", parties=[Party("x"), Party("y")], signed=PartialDate(1997),
                    title=Label("Jumelage X – Y", "fr"), sources=[SourceRef("one.yaml", 1)])
    two = Agreement(key="a", kind="twinning", parties=[Party("x", ("z",)), Party("y")],
                    signed=PartialDate(1997, 11, 22), title=Label("Twinning X-Y", "en"), sources=[SourceRef("two.tsv", 4)])
    [merged], problems = merge([one, two])
    assert merged.signed == PartialDate(1997, 11, 22) and merged.title.text == "Jumelage X – Y"
    assert merged.parties[0] == Party("x", ("z",))  # the richer party (on behalf of) wins, no conflict
    assert not problems and merged.sources == [SourceRef("one.yaml", 1), SourceRef("two.tsv", 4)]


def test_different_dates_with_one_key_are_a_conflict():
    one = Agreement(key="a", kind="twinning", parties=[Party("x"), Party("y")], signed=PartialDate(1997, 11, 22),
                    sources=[SourceRef("one.yaml", 1)])
    two = Agreement(key="a", kind="twinning", parties=[Party("x"), Party("y")], signed=PartialDate(1998, 1, 3),
                    sources=[SourceRef("two.yaml", 7)])
    [merged], problems = merge([one, two])
    assert merged.signed == PartialDate(1997, 11, 22)
    assert merged.claims == [Claim("signed", PartialDate(1998, 1, 3), SourceRef("two.yaml", 7))]
    assert [p.field for p in problems] == ["signed"]
