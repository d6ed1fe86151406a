"""The foundation: IRI policy, dates, the native reader, the emitter, determinism, build."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from coopkg import build
from coopkg.cli import main
from coopkg.emit import EmitOptions, Emitter
from coopkg.iris import IriMinter, slugify
from coopkg.normalise.dates import DateError, compare, find_dates, parse_date
from coopkg.readers import native, read_source
from coopkg.records import Agreement, Collectivity, Funding, Label, PartialDate, Party, SourceRef
from coopkg.vocab import COOP, PROV

FIXTURES = Path(__file__).parent / "fixtures" / "native"


# -- namespaces ---------------------------------------------------------------------
def test_the_namespaces_as_text_are_the_rdflib_namespaces_of_vocab() -> None:
    """`coopkg.namespaces` spells by hand what `coopkg.vocab` (and rdflib.namespace under it) names."""
    from coopkg import namespaces, vocab

    spelled = {name: value for name, value in vars(namespaces).items() if name.isupper() and isinstance(value, str)}
    assert len(spelled) >= 20
    for name, iri in spelled.items():
        assert str(getattr(vocab, name)) == iri, name
    assert vocab.PREFIXES is namespaces.PREFIXES
    assert set(namespaces.PREFIXES.values()) <= set(spelled.values())


# -- IRIs -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Timiș", "timis"),
        ("Caraș-Severin", "caras-severin"),
        ("Departamentul Rhône", "departamentul-rhone"),
        ("Departamentul Rhone", "departamentul-rhone"),
        ("Midi-Pyrénées", "midi-pyrenees"),
        ("Straße Œuvre", "strasse-oeuvre"),
        ('a <b> "c" {d} | e \\ ^ f', "a-b-c-d-e-f"),
        ("   ", "x"),
        ("北京", "x"),
    ],
)
def test_slugify_is_ascii_and_folds_diacritics(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("hostile", ['<>"{}|\\^`', "a b", "x\ny", "ro-timis/../../etc", "é" * 3])
def test_minted_iris_never_hold_hostile_characters(hostile: str) -> None:
    iri = str(IriMinter().record("collectivity", hostile))
    tail = iri.removeprefix("https://w3id.org/coopkg/id/collectivity/")
    assert tail and all(c.isascii() and (c.isalnum() or c == "-") for c in tail), iri
    # and it parses as an IRI in a strict parser
    ox.parse(f"<{iri}> <http://x/p> <http://x/o> .", format=ox.RdfFormat.N_TRIPLES)


def test_iris_are_stable_across_minters_and_bases() -> None:
    assert IriMinter().record("agreement", "Timiș-Rhône 1997") == IriMinter().record("agreement", "Timiș-Rhône 1997")
    assert str(IriMinter().record("agreement", "a")) == "https://w3id.org/coopkg/id/agreement/a"
    custom = IriMinter("https://data.example.org/coop/")
    assert str(custom.record("collectivity", "ro-timis")) == "https://data.example.org/coop/collectivity/ro-timis"
    with pytest.raises(ValueError, match="must be an absolute IRI"):
        IriMinter("not a base")


def test_a_renamed_collectivity_keeps_its_iri() -> None:
    """The IRI comes from the key, never the label."""
    old = Collectivity(key="fr-x", name=Label("Ancien nom", "fr"), kind="commune", country="FR")
    new = Collectivity(key="fr-x", name=Label("Nouveau nom", "fr"), kind="commune", country="FR")
    em = Emitter([old])
    assert em.iri_of(old) == Emitter([new]).iri_of(new)


# -- dates ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16.02.1996", PartialDate(1996, 2, 16)),
        ("16/02/1996", PartialDate(1996, 2, 16)),
        ("1996-02-16", PartialDate(1996, 2, 16)),
        ("16 februarie 1996", PartialDate(1996, 2, 16)),
        ("22 noiembrie 1997", PartialDate(1997, 11, 22)),
        ("22 novembre 1997", PartialDate(1997, 11, 22)),
        ("1er juin 2012", PartialDate(2012, 6, 1)),
        ("juin 2012", PartialDate(2012, 6)),
        ("iulie 2009", PartialDate(2009, 7)),
        ("July 2009", PartialDate(2009, 7)),
        ("February 16, 1996", PartialDate(1996, 2, 16)),
        ("2010", PartialDate(2010)),
        ("2004-11", PartialDate(2004, 11)),
    ],
)
def test_dates_in_three_languages_keep_their_precision(text: str, expected: PartialDate) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31.02.2004", "2004-13", "yesterday", "", "12345"])
def test_impossible_dates_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text)


def test_find_dates_reads_signature_and_renewal() -> None:
    assert find_dates("22.11.1997 reînnoit la 19.11.2004") == [PartialDate(1997, 11, 22), PartialDate(2004, 11, 19)]


def test_mixed_precision_comparison_treats_years_as_intervals() -> None:
    assert compare(PartialDate(2004), PartialDate(2004, 11, 19)) is None  # overlap: no order error
    assert compare(PartialDate(2003), PartialDate(2004, 2, 1)) == -1
    assert compare(PartialDate(2004, 2, 1), PartialDate(2003)) == 1


# -- the native reader ------------------------------------------------------------
def test_native_reader_reads_records_with_sources() -> None:
    result = native.read(FIXTURES / "good.yaml")
    assert result.problems == []
    by_key = {r.key: r for r in result.records}
    timis = by_key["ro-timis"]
    assert timis.name == Label("Județul Timiș", "ro")
    assert timis.alt_names == [Label("Timis", "en")]
    assert timis.sources == [SourceRef("example-table.txt", 3)]
    agreement = by_key["timis-rhone-1997"]
    assert isinstance(agreement, Agreement)
    assert agreement.signed == PartialDate(1997, 11, 22)
    assert agreement.end == PartialDate(2016)
    assert agreement.parties == [Party("ro-timis"), Party("fr-rhone")]
    assert agreement.claims[0].value == "cooperation-agreement"


def test_native_reader_reports_bad_entries_with_file_line_field_and_keeps_the_good() -> None:
    result = native.read(FIXTURES / "bad.yaml")
    keys = {r.key for r in result.records}
    assert "fr-good" in keys
    messages = {(p.line, p.field): p.message for p in result.problems}
    assert all(p.file.endswith("bad.yaml") for p in result.problems)
    assert "missing required field 'name'" in messages[(11, "name")]
    assert "unknown collectivity-kind 'metropolis'" in messages[(15, "kind")]
    assert "day 31 does not exist in 2004-02" in messages[(22, "signed")]
    assert "unknown agreement-kind 'alliance'" in messages[(27, "kind")]
    # a bad required field skips the entry; a bad optional one is dropped from it
    assert {"fr-no-name", "fr-bad-kind", "unknown-kind"}.isdisjoint(keys)
    assert "bad-date" in keys
    assert result.skipped == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "'coopkg: 1' is missing"),
        (b"coopkg: 1\nagreements: [\n", "not valid YAML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not UTF-8 text"),
        (b"coopkg: 7\n", "unsupported format version 7"),
    ],
)
def test_native_reader_refuses_what_is_not_a_record_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(content)
    result = native.read(path)
    assert result.records == []
    assert message in result.problems[0].message
    assert result.problems[0].file == str(path)


def test_reader_registry_sniffs_native_yaml_and_explains_unknown_files(tmp_path: Path) -> None:
    assert read_source(FIXTURES / "good.yaml").reader == "native"
    other = tmp_path / "notes.bin"
    other.write_bytes(b"\x00\x01\x02")
    problem = read_source(other).problems[0]
    assert "no reader recognises this file" in problem.message


# -- the emitter ------------------------------------------------------------------
def _graph(records: list, **options: object) -> Graph:
    graph = Graph()
    for triple in Emitter(records, EmitOptions(**options)).triples():  # type: ignore[arg-type]
        graph.add(triple)
    return graph


def test_emitter_types_protocols_keeps_date_precision_and_provenance() -> None:
    records = native.read(FIXTURES / "good.yaml").records
    graph = _graph(records)
    agreement = URIRef("https://w3id.org/coopkg/id/agreement/timis-rhone-1997")
    assert (agreement, RDF.type, COOP.Protocol) in graph
    assert (agreement, COOP.signatureDate, Literal("1997-11-22", datatype=XSD.date)) in graph
    assert (agreement, URIRef("https://schema.org/endDate"), Literal("2016", datatype=XSD.gYear)) in graph
    location = URIRef("https://w3id.org/coopkg/id/source/example-table-txt/L5")
    assert (agreement, PROV.wasDerivedFrom, location) in graph
    assert (location, COOP.line, Literal(5)) in graph


def test_contradicting_sources_are_both_kept_with_their_source() -> None:
    """The record's kind is stated; the contradicting one is only a claim with its line
    (docs/time.md section 4: one value per field, the others reified)."""
    graph = _graph(native.read(FIXTURES / "good.yaml").records)
    stated = list(graph.query("""
        PREFIX coop: <https://w3id.org/coopkg/ontology#>
        SELECT ?kind WHERE { ?a coop:agreementKind ?kind . }"""))
    assert [str(k).rsplit("/", 1)[-1] for (k,) in stated] == ["cooperation-protocol"]
    claimed = list(graph.query("""
        PREFIX coop: <https://w3id.org/coopkg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?kind ?line WHERE {
          ?st rdf:subject ?a ; rdf:predicate coop:agreementKind ; rdf:object ?kind ;
              prov:wasDerivedFrom/coop:line ?line .
        }"""))
    assert [(str(k).rsplit("/", 1)[-1], int(line)) for k, line in claimed] == [("cooperation-agreement", 9)]


def test_contacts_stay_out_unless_asked() -> None:
    from coopkg.records import Contact

    contact = Contact(key="c1", name="Someone", email="someone@example.org")
    assert not any("Someone" in str(o) for _, _, o in _graph([contact]))
    assert any("Someone" in str(o) for _, _, o in _graph([contact], include_contacts=True))


def test_funding_amounts_are_decimals_with_currency() -> None:
    funding = Funding(key="f1", funder="fr-x", amount=Decimal("177837"), currency="RON", funds="p1",
                      year=PartialDate(2009))
    graph = _graph([funding])
    amounts = list(graph.objects(None, COOP.amount))
    assert amounts == [Literal("177837.0", datatype=XSD.decimal)]
    assert Literal("RON") in set(graph.objects(None, COOP.currency))


# -- build, determinism, other parsers -------------------------------------------
def test_same_records_give_byte_identical_turtle(tmp_path: Path) -> None:
    records = build.load([FIXTURES / "good.yaml"]).records
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    build.write_graph(build.graph_triples(records), a)
    build.write_graph(build.graph_triples(list(reversed(records))), b)
    assert a.read_bytes() == b.read_bytes()


def test_turtle_is_read_by_oxigraph_and_rdflib_alike(bundled_graph: Path) -> None:
    rdflib_graph = Graph().parse(bundled_graph, format="turtle")
    oxigraph_triples = list(ox.parse(path=str(bundled_graph), format=ox.RdfFormat.TURTLE))
    assert len(rdflib_graph) == len(oxigraph_triples) > 500


def test_build_command_writes_graph_and_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(FIXTURES / "good.yaml"), "--out", str(tmp_path), "--no-validate"]) == 0
    out = capsys.readouterr().out
    assert "with the native reader: 4 records, 0 skipped" in out
    assert "Agreement" in out and (tmp_path / "graph.ttl").is_file()


def test_build_with_bad_records_says_where_keeps_good_ones_and_fails(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(FIXTURES / "bad.yaml"), "--out", str(tmp_path), "--no-validate"]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:15 [kind]" in err and "unknown collectivity-kind 'metropolis'" in err
    assert "Bonneville" in (tmp_path / "graph.ttl").read_text(encoding="utf-8")


def test_a_homepage_that_is_no_web_address_is_an_error_and_the_record_still_loads(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = tmp_path / "records.yaml"
    records.write_text("coopkg: 1\nlanguage: ro\ncollectivities:\n"
                       "  - {key: a, name: A, kind: county, country: RO, homepage: \"http://a b/x\"}\n"
                       "  - {key: b, name: B, kind: county, country: RO, homepage: \"https://b.ro/\"}\n",
                       encoding="utf-8")
    # validation loads the graph into Oxigraph, which refuses such an IRI: it must not get there
    assert main(["build", str(records), "--out", str(tmp_path / "out")]) == 1
    assert f"{records}:4 [homepage] (record a)" in capsys.readouterr().err
    graph = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "collectivity/a>" in graph and "<https://b.ro/>" in graph and "http://a" not in graph


def test_strict_build_writes_nothing_and_keeps_the_previous_graph(tmp_path: Path) -> None:
    graph = tmp_path / "graph.ttl"
    graph.write_text("# a good earlier graph\n", encoding="utf-8")
    assert main(["build", str(FIXTURES / "bad.yaml"), "--out", str(tmp_path), "--strict", "--no-validate"]) == 1
    assert graph.read_text(encoding="utf-8") == "# a good earlier graph\n"


def test_a_crash_while_writing_leaves_the_previous_file(tmp_path: Path) -> None:
    from coopkg.atomic import atomic_write

    target = tmp_path / "graph.ttl"
    target.write_text("good", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half a gra")
        raise RuntimeError("disk on fire")
    assert target.read_text(encoding="utf-8") == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_console_script_runs_from_any_folder(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "coopkg.cli", "build", "--out", str(tmp_path / "b"), "--quiet"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "b" / "graph.ttl").stat().st_size > 10_000


def test_atomic_outputs_get_ordinary_permissions(tmp_path: Path) -> None:
    import os

    from coopkg.atomic import write_text

    umask = os.umask(0o022)
    try:
        write_text(tmp_path / "graph.ttl", "x")
    finally:
        os.umask(umask)
    assert (tmp_path / "graph.ttl").stat().st_mode & 0o777 == 0o644
