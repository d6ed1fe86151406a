"""The atlas reader: the Romans project sheet (seed 001) as text and as saved HTML."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from coopkg import build
from coopkg.readers import native, pick, read_source
from coopkg.records import Agreement, Contact, Document, Funding, PartialDate, Partnership, Term
from coopkg.vocab import RDF, SCHEMA

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "001_b057226553d068dc.txt"
CURATED = ROOT / "data" / "bundled" / "001_b057226553d068dc.yaml"
FIX = Path(__file__).parent / "fixtures" / "readers" / "atlas"

needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="seed documents not beside the checkout")


def one(result, cls):
    found = [r for r in result.records if isinstance(r, cls)]
    assert len(found) == 1, found
    return found[0]


def partnership_facts(p: Partnership) -> dict:
    return {"title": p.title, "parties": set(p.parties), "start": p.start, "end": p.end, "status": p.status,
            "form": p.form, "term": p.term, "themes": p.themes}


def funding_facts(result) -> set:
    return {(f.funder, f.funder_label.text if f.funder_label else None, f.amount, f.water_amount, f.currency, f.year)
            for f in result.records if isinstance(f, Funding)}


EXPECTED_FUNDINGS = {
    (None, "Autre", Decimal(0), Decimal(0), "EUR", PartialDate(2010)),
    ("fr-romans-sur-isere", "Romans sur Isère", Decimal(112285), Decimal(0), "EUR", PartialDate(2010)),
    ("fr-ministry-foreign-affairs", "Ministère de l'Europe et des Affaires étrangères", Decimal(25000), None, "EUR",
     PartialDate(2010)),
    ("fr-ministry-foreign-affairs", "Ministère de l'Europe et des Affaires étrangères", Decimal(25000), None, "EUR",
     PartialDate(2011)),
    ("fr-ministry-foreign-affairs", "Ministère de l'Europe et des Affaires étrangères", Decimal(25000), None, "EUR",
     PartialDate(2012)),
    (None, "Villes partenaires", Decimal(27000), None, "EUR", PartialDate(2010)),
}


def check_romans(result) -> None:
    p = one(result, Partnership)
    assert p.title.text == "Projet d'action internationale de Romans et de ses villes partenaires"
    assert p.parties == ["fr-romans-sur-isere", "tn-el-jem"]
    assert (p.start, p.end, p.status, p.form) == (PartialDate(2010), None, "ongoing", "decentralised-cooperation-project")
    assert p.term == Term(years=3) and p.themes == ["competitiveness-clusters"]
    a = one(result, Agreement)
    assert (a.kind, a.signed, a.partnership) == ("multilateral-agreement", PartialDate(2010), p.key)
    assert a.documents == [Document("Accord de coopération multilatérale", "protocole_coop_2010-2012_PAIR.pdf",
                                    Decimal("394.63"), "fr")]
    assert funding_facts(result) == EXPECTED_FUNDINGS
    assert all(f.funds == p.key for f in result.records if isinstance(f, Funding))
    contacts = {(c.name, c.organisation, c.email) for c in result.records if isinstance(c, Contact)}
    assert ("AKROUT Ali", "tn-el-jem", "ali.eljem@yahoo.fr") in contacts
    assert ("Pierre-Yves SONALET", "tn-ambassade-de-france", "pierre-yves.sonalet[at]diplomatie.gouv.fr") in contacts


@needs_seed
def test_seed_sheet():
    assert pick(SEED).NAME == "atlas"
    result = read_source(SEED)
    assert result.reader == "atlas" and not result.problems and result.skipped == 0
    check_romans(result)
    p = one(result, Partnership)
    # provenance: the lines of the sheet the facts were read from
    assert {s.line for s in p.sources} >= {15, 17, 19, 21, 23, 31, 33, 68, 81, 93, 97}
    lines = sorted(f.sources[0].line for f in result.records if isinstance(f, Funding))
    assert lines == [103, 104, 105, 106, 107, 108]


@needs_seed
@pytest.mark.skipif(not CURATED.is_file(), reason="curated YAML not there")
def test_seed_facts_equal_the_curated_yaml():
    mine, curated = read_source(SEED), native.read(CURATED)
    theirs = next(r for r in curated.records if isinstance(r, Partnership) and r.key == "romans-pair-2010")
    ours = one(mine, Partnership)
    assert partnership_facts(ours) == partnership_facts(theirs)
    assert funding_facts(mine) == funding_facts(curated)
    agreement = next(r for r in curated.records if isinstance(r, Agreement) and r.key == "romans-multilateral-agreement-2010")
    ours_a = one(mine, Agreement)
    assert (ours_a.kind, ours_a.signed, ours_a.documents) == (agreement.kind, agreement.signed, agreement.documents)
    # the sheet names only El Jem as foreign partner; the curated agreement adds the other cities from the text
    assert {p.actor for p in ours_a.parties} <= {p.actor for p in agreement.parties}
    assert {(c.name, c.organisation, c.email) for c in mine.records if isinstance(c, Contact)} == \
        {(c.name, c.organisation, c.email) for c in curated.records if isinstance(c, Contact)}


@needs_seed
def test_seed_merges_with_the_curated_dataset_into_one_partnership():
    loaded = build.load([CURATED, SEED])
    partnerships = [r for r in loaded.records if isinstance(r, Partnership) and set(r.parties) ==
                    {"fr-romans-sur-isere", "tn-el-jem"} and r.start == PartialDate(2010)]
    assert [p.key for p in partnerships] == ["romans-pair-2010"]
    fundings = [r for r in loaded.records if isinstance(r, Funding)]
    assert len(fundings) == 6 and all(f.funds == "romans-pair-2010" for f in fundings)
    assert not [p for p in loaded.problems if "conflict" in p.message]


def test_html_sheet_gives_the_same_facts():
    path = FIX / "romans.html"
    assert pick(path).NAME == "atlas"
    result = read_source(path)
    assert not result.problems
    p = one(result, Partnership)
    assert partnership_facts(p)["parties"] == {"fr-romans-sur-isere", "tn-el-jem"}
    assert (p.start, p.status, p.form, p.term, p.themes) == (
        PartialDate(2010), "ongoing", "decentralised-cooperation-project", Term(years=3), ["competitiveness-clusters"])
    assert funding_facts(result) == EXPECTED_FUNDINGS
    assert one(result, Agreement).kind == "multilateral-agreement"
    # lines point into the HTML file
    assert one(result, Agreement).documents[0].size_kb == Decimal("394.63")
    assert all(s.document == "romans.html" and s.line for r in result.records for s in r.sources)


@needs_seed
def test_windows_1252_text_sheet():
    result = read_source(FIX / "romans-cp1252.txt")
    assert result.reader == "atlas"
    check_romans(result)


def test_contacts_stay_out_of_the_graph_unless_asked():
    result = read_source(FIX / "romans.html")
    people = lambda triples: {s for s, p, o in triples if p == RDF.type and o == SCHEMA.Person}  # noqa: E731
    assert not people(build.graph_triples(result.records))
    assert len(people(build.graph_triples(result.records, include_contacts=True))) == 2


def test_bad_fields_are_reported_and_the_rest_loads():
    path = FIX / "romans-bad-fields.txt"
    result = read_source(path)
    problems = {(p.line, p.field): p.message for p in result.problems}
    assert problems[(31, "start")].startswith("unparseable date 'deux mille dix'")
    assert problems[(33, "status")] == "unknown status 'Peut-être' (expected En cours / Terminé)"
    assert problems[(108, "funding")].startswith("cannot read funding row 'Villes partenaires vingt-sept mille'")
    assert problems[(131, "documents")].startswith("cannot read document row 'Plaquette sans taille'")
    assert result.skipped == 2
    p = one(result, Partnership)
    assert p.start is None and p.status is None and p.term == Term(years=3)
    assert len(funding_facts(result)) == 5
    assert one(result, Agreement).kind == "multilateral-agreement"


@pytest.mark.parametrize(("name", "message"), [
    ("no-title.txt", "no 'Titre' block: not an Atlas project sheet"),
    ("empty.txt", "empty file: no Atlas sheet to read"),
    ("garbage.html", "cannot read: binary data (NUL bytes), not text"),
])
def test_unreadable_sheets(name, message):
    result = read_source(FIX / name, "atlas")
    assert not result.records
    assert [p.message for p in result.problems] == [message]
