"""`coopkg import wikidata` against a real Oxigraph server holding a Wikidata-shaped fixture."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from rdflib import URIRef

from coopkg import build
from coopkg.cli import main
from coopkg.readers import native, read_source, wikidata
from coopkg.records import Collectivity, PartialDate, Partnership, Point
from coopkg.server import free_port
from coopkg.vocab import PROV, SKOS, WD

FIXTURE = Path(__file__).parent / "fixtures" / "readers" / "wikidata" / "twinning.ttl"
ENTITY = "http://www.wikidata.org/entity/"


@pytest.fixture
def endpoint(oxigraph_server) -> str:
    request = urllib.request.Request(f"{oxigraph_server.store_url}?default", data=FIXTURE.read_bytes(),
                                     headers={"Content-Type": "text/turtle"}, method="POST")
    with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - the local test server
        pass
    return oxigraph_server.query_url


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["import", "wikidata", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_country_import_counts_one_way_and_merges_symmetric(endpoint, tmp_path, capsys):
    out_file = tmp_path / "twins.yaml"
    code, _, err = run(capsys, "--endpoint", endpoint, "--country", "Q218", "--out", str(out_file))
    assert code == 0, err
    assert "3 P190 statements -> 2 partnerships (1 symmetric, 1 one-way)" in err
    assert "one-way: Q90000001 names Q90000003, Q90000003 does not name Q90000001" in err
    result = native.read(out_file)
    assert not result.problems
    partnerships = {frozenset(p.parties): p for p in result.records if isinstance(p, Partnership)}
    assert set(partnerships) == {frozenset({"ro-timisoara", "fr-mulhouse"}), frozenset({"ro-timisoara", "it-faenza"})}
    mulhouse = partnerships[frozenset({"ro-timisoara", "fr-mulhouse"})]
    assert mulhouse.form == "twinning" and mulhouse.start == PartialDate(1991)  # year precision kept
    assert {s.document for s in mulhouse.sources} == {ENTITY + "Q90000001", ENTITY + "Q90000002"}
    faenza = partnerships[frozenset({"ro-timisoara", "it-faenza"})]
    assert (faenza.start, faenza.end, faenza.status) == (PartialDate(1991, 5, 17), PartialDate(2012, 6), "ended")
    assert [s.document for s in faenza.sources] == [ENTITY + "Q90000001"]
    actors = {c.key: c for c in result.records if isinstance(c, Collectivity)}
    assert actors["ro-timisoara"].wikidata == "Q90000001"  # found in the gazetteer by its labels
    assert (actors["it-faenza"].country, actors["it-faenza"].kind) == ("IT", "commune")  # new: P31 -> kind
    # P625 brings the item's coordinates, said to come from Wikidata (the map places it there)
    assert actors["it-faenza"].point == Point(44.283333, 11.883333, "Wikidata P625")
    # the deprecated statement (Q90000001 -> Q90000009) is not imported
    assert "nowhere" not in out_file.read_text().lower()


def test_import_to_jsonl_gives_the_records_of_the_yaml(endpoint, tmp_path, capsys):
    assert run(capsys, "--endpoint", endpoint, "--country", "Q218", "--out", str(tmp_path / "twins.yaml"))[0] == 0
    assert run(capsys, "--endpoint", endpoint, "--country", "Q218", "--out", str(tmp_path / "twins.jsonl"))[0] == 0
    assert (tmp_path / "twins.jsonl").read_text(encoding="utf-8").startswith('{"coopkg": 1')
    from_yaml, from_jsonl = native.read(tmp_path / "twins.yaml"), read_source(tmp_path / "twins.jsonl")
    assert from_jsonl.reader == "jsonl" and from_jsonl.problems == from_yaml.problems == []
    assert from_jsonl.records == from_yaml.records and len(from_jsonl.records) >= 5


def test_imported_records_build_and_merge_with_the_gazetteer(endpoint, tmp_path, capsys):
    out_file = tmp_path / "twins.yaml"
    assert run(capsys, "--endpoint", endpoint, "--out", str(out_file))[0] == 0
    loaded = build.load([out_file])
    assert not loaded.errors, loaded.errors
    timisoara = next(r for r in loaded.records if r.key == "ro-timisoara")
    assert timisoara.wikidata == "Q90000001" and timisoara.part_of == "ro-timis"  # gazetteer facts kept
    assert timisoara.name.text == "Municipiul Timișoara"  # the curated name wins, Wikidata's are alt names
    triples = set(build.graph_triples(loaded.records))
    emitter = build.emitter(loaded.records)
    iri = emitter.iri_of(timisoara)
    assert (iri, SKOS.exactMatch, WD["Q90000001"]) in triples
    partnership = next(r for r in loaded.records if isinstance(r, Partnership) and "ro-timisoara" in r.parties
                       and "fr-mulhouse" in r.parties)
    derived = {o for s, p, o in triples if s == emitter.iri_of(partnership) and p == PROV.wasDerivedFrom}
    assert derived == {emitter.iris.location(ENTITY + q, None) for q in ("Q90000001", "Q90000002")}


def test_disagreeing_directions_keep_both_dates(endpoint, capsys):
    code, out, err = run(capsys, "--endpoint", endpoint, "--items", "Q90000004")
    assert code == 0
    assert "2 P190 statements -> 1 partnerships (1 symmetric, 0 one-way)" in err
    assert "1 date conflicts between the two directions" in err
    assert "key: fr-romans-sur-isere--tn-el-jem--twinning" in out
    assert "value: '1993'" in out and f"source: {ENTITY}Q90000005" in out


def test_unreachable_endpoint_fails_clearly_and_keeps_a_good_output(tmp_path, capsys):
    out_file = tmp_path / "twins.yaml"
    out_file.write_text("coopkg: 1\n")
    code, _, err = run(capsys, "--endpoint", f"http://127.0.0.1:{free_port()}/query", "--items", "Q1",
                       "--out", str(out_file), "--timeout", "5")
    assert code == 1 and "coopkg import wikidata: http://127.0.0.1:" in err
    assert out_file.read_text() == "coopkg: 1\n"


def test_usage_errors(capsys):
    assert run(capsys, "--items", "London")[0] == 2
    assert main(["import"]) == 2


def test_dates_at_wikidata_precision():
    assert wikidata.wikidata_date("1991-01-01T00:00:00Z", "9") == PartialDate(1991)
    assert wikidata.wikidata_date("2012-06-01T00:00:00Z", "10") == PartialDate(2012, 6)
    assert wikidata.wikidata_date("1991-05-17T00:00:00Z", None) == PartialDate(1991, 5, 17)
    assert wikidata.wikidata_date("1991-01-01T00:00:00Z", None) == PartialDate(1991)
    assert wikidata.qid(ENTITY + "Q218") == "Q218"
    assert str(URIRef(ENTITY + "Q1")).startswith(ENTITY)


def test_import_output_is_read_by_build_sniffing(endpoint, tmp_path, capsys):
    out_file = tmp_path / "twins.yaml"
    assert run(capsys, "--endpoint", endpoint, "--country", "Q218", "--out", str(out_file))[0] == 0
    assert read_source(out_file).reader == "native"
