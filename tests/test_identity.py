"""Identity before names (issue 13, docs/identity.md): tables as users have them, without corrupting who is who.

Every fixture in tests/fixtures/identity/ is written for these tests in the shapes real
publishers use (Wikipedia twinning lists, a French council's list in Windows-1252, a
Wikidata query result with one row per direction, registries in fr/ro, a Norwegian sheet).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coopkg import build
from coopkg.cli import main
from coopkg.normalise.countries import country_code
from coopkg.normalise.headers import REGISTRY, assign, pair_columns
from coopkg.readers import pick
from coopkg.readers.gazetteer import gazetteer
from coopkg.records import Agreement, AgreementChange, Collectivity, Partnership

FIX = Path(__file__).parent / "fixtures" / "identity"


def partnerships(records) -> dict[frozenset[str], Partnership]:
    return {frozenset(r.parties): r for r in records if isinstance(r, Partnership)}


def actors(records) -> dict[str, Collectivity]:
    return {r.key: r for r in records if isinstance(r, Collectivity)}


@pytest.mark.parametrize(("name", "code"), [
    ("Russia", "RU"), ("Turkey", "TR"), ("England", "GB"), ("Scotland", "GB"), ("Wales", "GB"),
    ("Republic of Ireland", "IE"), ("Kosovo", "XK"), ("Taiwan", "TW"), ("Palestine", "PS"),
    ("Pays de Galles", "GB"), ("Allemagne", "DE"), ("Irlanda", "IE"), ("Congo", "CG"), ("NO", "NO"),
])
def test_country_names_people_write(name, code):
    assert country_code(name) == code


def test_headers_scored_across_all_columns():
    french = ["Institution", "Type de relation", "Collectivité et région à l'étranger", "Date de conclusion", "Statut"]
    assert assign(french, REGISTRY).roles == {0: "institution", 1: "kind", 2: "partner", 3: "date", 4: "status"}
    # "Date de fin" is an end date before it is a date, wherever it stands
    assert assign(["Partner", "Date de fin", "Date", "Institution"], REGISTRY).roles == \
        {0: "partner", 1: "end", 2: "date", 3: "institution"}
    assert pair_columns(["ville", "pays", "ville jumelle", "pays"]) == \
        {0: "name_a", 1: "country_a", 2: "name_b", 3: "country_b"}
    assert pair_columns(["qid_a", "name_a", "qid_b", "name_b"]) == \
        {0: "wikidata_a", 1: "name_a", 2: "wikidata_b", 3: "name_b"}


def test_namesakes_stay_apart_in_a_pair_table():
    path = FIX / "twins-wikipedia.csv"
    assert pick(path).NAME == "pairs"
    loaded = build.load([path])
    pairs = partnerships(loaded.records)
    places = actors(loaded.records)
    cordoba = next(p for p in pairs.values() if all("cordoba" in k for k in p.parties))
    assert {places[k].country for k in cordoba.parties} == {"AR", "ES"}  # two Córdobas, not one twinned with itself
    assert {places[k].geonames for k in cordoba.parties} == {"3860259", "2519240"}
    # Arad (Israel) is not Romania's Arad county; Arad (Romania) in a town column is the town
    israel = next(k for k, a in places.items() if a.country == "IL")
    assert israel != "ro-arad" and places[israel].geonames == "295657"
    assert frozenset({israel, "fr-mulhouse"}) in pairs
    romania = next(k for p in pairs for k in p if israel in p and k != israel and places[k].country == "RO")
    assert places[romania].kind == "city" and romania != "ro-arad"
    for partnership in pairs.values():
        assert len(set(partnership.parties)) == 2
    # English country names a user writes
    countries = {places[k].country for p in pairs for k in p}
    assert {"RU", "GB", "IE", "XK", "TW", "PS", "TR"} <= countries


def test_reciprocal_rows_are_one_partnership_and_one_way_pairs_are_reported():
    loaded = build.load([FIX / "twins-wikipedia.csv"])
    pairs = partnerships(loaded.records)
    krakow = pairs[frozenset({"pl-krakow", "de-nuremberg"})]
    assert [s.line for s in krakow.sources] == [5, 6]  # A->B and B->A: one partnership, both rows as sources
    assert len(pairs) == 11  # 16 rows: 4 pairs stated twice, a self-pair refused
    (report,) = [r for _, r in loaded.reconciliations]
    assert report.reciprocal == 4
    one_way = {(a, b) for _, a, b in report.one_way}
    assert len(one_way) == 7 and ("pl-krakow", "de-nuremberg") not in one_way
    assert any(where.endswith(":4") for where, _, _ in report.one_way)  # rows are named
    refused = [p for p in loaded.problems if p.line == 13]
    assert refused and "not its own partner" in refused[0].message and refused[0].severity == "error"


def test_french_pair_list_in_windows_1252():
    loaded = build.load([FIX / "jumelages-fr.csv"])
    assert [s.reader for s in loaded.summaries] == ["pairs"]
    pairs = partnerships(loaded.records)
    places = actors(loaded.records)
    assert frozenset({"fr-rennes", "de-erlangen"}) in pairs
    assert places["fr-epinal"].name.text == "Épinal" or "Épinal" in {n.text for n in places["fr-epinal"].alt_names}
    assert places["de-schwabisch-hall"].country == "DE" and places["gb-cardiff"].country == "GB"
    assert places["fr-rennes"].point is not None and places["fr-rennes"].point.source.startswith("GeoNames ")  # for the map


def test_qids_are_identity_and_one_label_keeps_two_keys():
    loaded = build.load([FIX / "wikidata-pairs.csv"])
    places = actors(loaded.records)
    by_qid = {a.wikidata: k for k, a in places.items() if a.wikidata}
    assert by_qid["Q25784"] != by_qid["Q505050"]  # two items called "Kalmar"
    assert by_qid["Q84"] != by_qid["Q23311"]  # London and City of London
    pairs = partnerships(loaded.records)
    assert len(pairs) == 5  # 9 rows, one per direction, and one one-way
    (report,) = [r for _, r in loaded.reconciliations]
    assert [(a, b) for _, a, b in report.one_way] == [(by_qid["Q1741"], by_qid["Q90"])]
    one_way = [p for p in loaded.problems if "one-way pair" in p.message]
    assert len(one_way) == 1 and one_way[0].line == 10
    # no country anywhere: loaded, each place warned once, no errors
    assert not loaded.errors
    assert all(a.country is None for a in places.values() if a.wikidata)
    assert any("no country is stated for 'Kalmar'" in p.message and p.severity == "warning" for p in loaded.problems)


def test_countryless_places_build_with_a_validation_warning(tmp_path, capsys):
    code = main(["build", str(FIX / "wikidata-pairs.csv"), "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert (tmp_path / "graph.ttl").is_file()
    assert "0 violation(s)" in out
    report = (tmp_path / "validation.txt").read_text()
    assert "collectivity-country" in report and "Warning" in report
    assert "wd:Q25784" in (tmp_path / "graph.ttl").read_text() or "Q25784" in (tmp_path / "graph.ttl").read_text()


def test_french_registry_header_in_windows_1252_without_a_mapping():
    path = FIX / "registre-fr-cp1252.csv"
    assert pick(path).NAME == "registry"
    loaded = build.load([path])
    agreements = [r for r in loaded.records if isinstance(r, Agreement)]
    assert len(agreements) == 3 and not loaded.errors
    places = actors(loaded.records)
    bretagne = next(k for k in places if places[k].iso_code == "FR-BRE")  # ISO 3166-2: identity of the region
    assert all(any(p.actor == bretagne for p in a.parties) for a in agreements if a.kind != "framework-convention")
    assert {a.kind for a in agreements} == {"cooperation-agreement", "framework-convention", "twinning"}


def test_unknown_kind_word_is_a_warning_with_a_generic_value(tmp_path, capsys):
    loaded = build.load([FIX / "registru-ro.tsv"])
    agreements = [r for r in loaded.records if isinstance(r, Agreement)]
    assert len(agreements) == 2
    bilateral = next(a for a in agreements if a.signed and a.signed.year == 2002)
    assert bilateral.kind == "cooperation-agreement"
    warned = [p for p in loaded.problems if p.field == "kind"]
    assert warned and warned[0].severity == "warning" and warned[0].line == 2 and "Acord bilateral" in warned[0].message
    status = [p for p in loaded.problems if p.field == "status"]
    assert status and status[0].severity == "warning" and status[0].line == 3
    assert next(a for a in agreements if a.signed.year == 1999).status == "unknown"
    # "Consiliul Județean Cluj" is the county (ISO RO-CJ), not Cluj-Napoca
    assert any(p.actor == "ro-cj" for a in agreements for p in a.parties)
    code = main(["build", str(FIX / "registru-ro.tsv"), "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "graph.ttl").is_file()


def test_partnership_record_keeps_notes_and_the_renewal():
    loaded = build.load([FIX / "partnerships-notes.csv"])
    pairs = partnerships(loaded.records)
    hall = pairs[frozenset({"fr-epinal", "de-schwabisch-hall"})]
    assert hall.note == "Jumelage des écoles depuis 1980" and hall.note_lang == "fr"
    assert hall.start.isoformat() == "1973-05-12" and hall.form == "twinning"
    agreement = next(r for r in loaded.records if isinstance(r, Agreement) and r.partnership == hall.key)
    renewal = next(r for r in loaded.records if isinstance(r, AgreementChange) and r.agreement == agreement.key)
    assert renewal.kind == "renewal" and renewal.date.isoformat() == "2003-03-03"


def test_home_country_no_is_norway_and_country_value_maps():
    loaded = build.load([FIX / "vennskap.csv"])
    assert not loaded.errors, loaded.errors
    places = actors(loaded.records)
    assert places["no-bodo"].country == "NO"
    assert places["ru-vologda"].country == "RU"  # "Russland" through values: country:
    assert frozenset({"no-bodo", "fi-kuopio"}) in partnerships(loaded.records)


def test_headerless_file_and_joined_nodes_file():
    loaded = build.load([FIX / "headerless.csv"], mapping=str(FIX / "headerless.mapping.yaml"))
    assert frozenset({"no-bodo", "ru-vologda"}) in partnerships(loaded.records)
    rennes = next(p for p in partnerships(loaded.records).values() if "fr-rennes" in p.parties)
    assert rennes.sources[0].line == 2  # the first row is data
    joined = build.load([FIX / "links.csv"])
    places = actors(joined.records)
    kalmars = {k for k, a in places.items() if a.name.text == "Kalmar"}
    assert len(kalmars) == 2 and {places[k].wikidata for k in kalmars} == {"Q25784", "Q505050"}
    assert all(places[k].country == "SE" for k in kalmars)
    assert len(partnerships(joined.records)) == 2


def test_write_mapping_round_trips(tmp_path, capsys):
    mapping = tmp_path / "twins.mapping.yaml"
    assert main(["build", str(FIX / "jumelages-fr.csv"), "--out", str(tmp_path / "a"), "--no-validate",
                 "--write-mapping", str(mapping)]) == 0
    written = yaml.safe_load(mapping.read_text())
    assert written["columns"] == {"institution": "ville", "institution_country": "2", "partner": "ville jumelle",
                                  "partner_country": "4"}
    assert main(["build", str(FIX / "jumelages-fr.csv"), "--mapping", str(mapping), "--out", str(tmp_path / "b"),
                 "--no-validate"]) == 0
    assert (tmp_path / "a" / "graph.ttl").read_text().replace("mapped", "pairs") == \
        (tmp_path / "b" / "graph.ttl").read_text().replace("mapped", "pairs")
    capsys.readouterr()


def test_reconcile_counts_and_user_gazetteer(tmp_path, capsys):
    assert main(["reconcile", str(FIX / "florence.csv")]) == 0
    out = capsys.readouterr().out
    assert "1 ambiguous" in out and "us-florence-gn4062577" in out  # candidates listed
    assert main(["reconcile", str(FIX / "florence.csv"), "--gazetteer", str(FIX / "my-places.yaml")]) == 0
    out = capsys.readouterr().out
    assert "1 matched by identifier" in out or "by name within a country" in out
    assert "0 ambiguous" in out
    loaded = build.load([FIX / "florence.csv"], gazetteers=[FIX / "my-places.yaml"])
    assert frozenset({"us-florence-al", "it-florence"}) in partnerships(loaded.records)
    assert actors(loaded.records)["us-florence-al"].point.latitude == pytest.approx(34.79981)


def test_every_build_writes_the_reconciliation_report(tmp_path, capsys):
    assert main(["build", str(FIX / "twins-wikipedia.csv"), "--out", str(tmp_path)]) == 1  # the self-pair row
    report = (tmp_path / "reconcile.txt").read_text()
    assert "twins-wikipedia.csv:" in report and "one-way" in report and "4 rows restating a pair" in report
    capsys.readouterr()


def test_a_stated_country_is_binding():
    gaz = gazetteer()
    assert gaz.resolve("Arad", "IL") is None  # the curated Arad is Romania's
    assert gaz.match("Arad", "IL", prefer="city").actor.geonames == "295657"
    assert gaz.match("Florence", "US", prefer="city").how == "ambiguous"
    assert gaz.match("Bavière", "DE").key == "de-by"


def test_wikidata_import_keeps_one_label_apart_and_builds_without_a_country(oxigraph_server, tmp_path, capsys):
    import urllib.request

    request = urllib.request.Request(f"{oxigraph_server.store_url}?default",
                                     data=(FIX / "namesakes.ttl").read_bytes(),
                                     headers={"Content-Type": "text/turtle"}, method="POST")
    with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - the local test server
        pass
    out_file = tmp_path / "twins.yaml"
    code = main(["import", "wikidata", "--endpoint", oxigraph_server.query_url, "--items", "Q90000101",
                 "Q90000102", "--out", str(out_file)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "3 partnerships (1 symmetric, 2 one-way)" in err
    assert "no country on Wikidata: Q90000105" in err
    records = build.load([out_file])
    places = actors(records.records)
    by_qid = {a.wikidata: k for k, a in places.items() if a.wikidata}
    assert len({by_qid[q] for q in ("Q90000101", "Q90000102", "Q90000103", "Q90000104", "Q90000105")}) == 5
    assert len(partnerships(records.records)) == 3  # none dropped as a duplicate
    assert main(["build", str(out_file), "--out", str(tmp_path / "out")]) == 0, capsys.readouterr().err
    assert (tmp_path / "out" / "graph.ttl").is_file()
