"""Literals come back as they were written, through Oxigraph too (docs/time.md section 6).

Oxigraph stores "4.0"^^xsd:decimal as the value 4 and "7"^^xsd:int as an xsd:integer;
coopkg's Oxigraph store gives them back as written, in SELECT cells, CONSTRUCT triples,
`Store.triples`, and the `coopkg query` / `coopkg export` commands.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from coopkg import build
from coopkg.cli import main
from coopkg.records import Funding, PartialDate, SourceRef
from coopkg.store import from_text, open_graph

GRAPH = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/a> <http://example.org/p> "4.0"^^xsd:decimal, "7"^^xsd:int, "1993"^^xsd:gYear, 4.50, "0012"^^xsd:int .
<http://example.org/b> <http://example.org/p> "4.00"^^xsd:decimal .
"""
A, B, P = URIRef("http://example.org/a"), URIRef("http://example.org/b"), URIRef("http://example.org/p")
WRITTEN_A = {("4.0", XSD.decimal), ("7", XSD.int), ("1993", XSD.gYear), ("4.50", XSD.decimal), ("0012", XSD.int)}


def forms(terms: object) -> set[tuple[str, object]]:
    return {(str(t), t.datatype) for t in terms}  # type: ignore[attr-defined, union-attr]


@pytest.fixture
def graph_file(tmp_path: Path) -> Path:
    path = tmp_path / "forms.ttl"
    path.write_text(GRAPH, encoding="utf-8")
    return path


def test_oxigraph_itself_rewrites_them(graph_file: Path) -> None:
    # the reason for coopkg.literal_forms: if Oxigraph stops rewriting, this test says so
    import pyoxigraph as ox

    raw = ox.Store()
    raw.load(path=str(graph_file), format=ox.RdfFormat.TURTLE)
    assert {(q.object.value, q.object.datatype.value) for q in raw} >= {("4", str(XSD.decimal)), ("7", str(XSD.integer))}


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_select_construct_and_triples_keep_datatype_and_form(graph_file: Path, engine: str) -> None:
    store = open_graph(graph_file, engine)
    rows = store.query("SELECT ?o WHERE { <http://example.org/a> ?p ?o }").rows  # type: ignore[union-attr]
    if engine == "rdflib":  # rdflib reads "0012"^^xsd:int as "12" itself, before any store
        assert forms(r[0] for r in rows) == (WRITTEN_A - {("0012", XSD.int)}) | {("12", XSD.int)}
        return
    assert forms(r[0] for r in rows) == WRITTEN_A
    constructed = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert forms(o for s, _, o in constructed if s == A) == WRITTEN_A  # type: ignore[union-attr]
    assert forms(o for s, _, o in constructed if s == B) == {("4.00", XSD.decimal)}  # type: ignore[union-attr]
    assert forms(o for s, _, o in store.triples() if s == A) == WRITTEN_A
    # numbers still compare as numbers
    assert store.query("ASK { <http://example.org/a> ?p ?o FILTER (?o = 4) }") is True


def test_the_emitters_decimal_survives_a_store_built_from_records() -> None:
    funding = Funding(key="f", funder="x", amount=__import__("decimal").Decimal("212000"), currency="EUR",
                      year=PartialDate(2009), funds="p", sources=[SourceRef("doc.txt", 54)])
    store = from_text(build.graph_text([funding]))
    (row,) = store.query("SELECT ?a WHERE { ?f <https://w3id.org/coopkg/ontology#amount> ?a }").rows  # type: ignore[union-attr]
    assert row[0] == Literal("212000.0", datatype=XSD.decimal) and str(row[0]) == "212000.0"


def test_query_and_export_commands_give_the_written_forms(graph_file: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    sparql = tmp_path / "all.rq"
    sparql.write_text("SELECT ?o WHERE { <http://example.org/a> ?p ?o }\n", encoding="utf-8")
    assert main(["query", str(sparql), "--graph", str(graph_file), "--format", "json"]) == 0
    bindings = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert {(b["o"]["value"], b["o"]["datatype"]) for b in bindings} == {(t, str(d)) for t, d in WRITTEN_A}
    out = tmp_path / "out.nt"
    assert main(["export", "--graph", str(graph_file), "--format", "nt", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    for lexical, datatype in WRITTEN_A | {("4.00", XSD.decimal)}:
        assert f'"{lexical}"^^<{datatype}>' in text


def test_the_on_disk_store_gives_the_written_forms(graph_file: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # the store `coopkg build` leaves beside graph.ttl (coopkg.diskstore) is read instead of
    # the file: its answers and exports must give what was written, not Oxigraph's forms
    from coopkg import diskstore

    graph = tmp_path / "graph.ttl"
    graph.write_text(GRAPH, encoding="utf-8")
    store_dir = diskstore.write_store(graph, triples=6)
    assert store_dir.with_name(store_dir.name + diskstore.FORMS).is_file()
    opened = diskstore.load_built(graph)
    assert isinstance(opened, diskstore.PersistentStore)
    rows = opened.query("SELECT ?o WHERE { <http://example.org/a> ?p ?o }").rows  # type: ignore[union-attr]
    assert forms(r[0] for r in rows) == WRITTEN_A
    constructed = opened.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert forms(o for s, _, o in constructed if s == A) == WRITTEN_A  # type: ignore[union-attr]
    assert forms(o for s, _, o in opened.triples() if s == B) == {("4.00", XSD.decimal)}
    assert opened.query("ASK { <http://example.org/a> ?p ?o FILTER (?o = 4) }") is True
    # the commands, which open the store when it is fresh (nothing said about loading the file)
    sparql = tmp_path / "all.rq"
    sparql.write_text("SELECT ?o WHERE { <http://example.org/a> ?p ?o }\n", encoding="utf-8")
    assert main(["query", str(sparql), "--graph", str(graph), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "loading the file" not in captured.err
    bindings = json.loads(captured.out)["results"]["bindings"]
    assert {(b["o"]["value"], b["o"]["datatype"]) for b in bindings} == {(t, str(d)) for t, d in WRITTEN_A}
    out = tmp_path / "out.nt"
    assert main(["export", "--graph", str(graph), "--format", "nt", "--out", str(out)]) == 0
    assert "loading the file" not in capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    for lexical, datatype in WRITTEN_A | {("4.00", XSD.decimal)}:
        assert f'"{lexical}"^^<{datatype}>' in text
    assert '"4"^^' not in text and str(XSD.integer) not in text


def test_a_store_without_its_forms_file_reads_them_from_the_graph(tmp_path: Path) -> None:
    # a store made before coopkg kept the forms beside it: the graph file gives them, once
    from coopkg import diskstore

    graph = tmp_path / "graph.ttl"
    graph.write_text(GRAPH, encoding="utf-8")
    store_dir = diskstore.write_store(graph)
    store_dir.with_name(store_dir.name + diskstore.FORMS).unlink()
    opened = diskstore.open_persistent(graph)
    assert opened is not None
    rows = opened.query("SELECT ?o WHERE { <http://example.org/a> ?p ?o }").rows  # type: ignore[union-attr]
    assert forms(r[0] for r in rows) == WRITTEN_A


def test_the_forms_table_from_the_emitters_text_equals_the_one_from_a_full_parse():
    """A build makes the table from the text triples it emits, parsing only the candidates
    (`literal_forms.from_text_triples`): it must be the table a parse of every triple gives."""
    from coopkg import literal_forms
    from coopkg.terms import GRAPH_TERMS

    triples = build.graph_text(build.load().records)
    extra = [
        ("<http://example.org/a>", "<http://example.org/p>", '"4.0"^^xsd:decimal'),
        ("<http://example.org/a>", "<http://example.org/p>", '"7"^^xsd:int'),
        ("<http://example.org/a>", "<http://example.org/p>", "4.50"),
        ("<http://example.org/a>", "<http://example.org/p>", "+12"),
        ("<http://example.org/a>", "<http://example.org/p>", '"0012"^^xsd:integer'),
        ("<http://example.org/b>", "<http://example.org/p>", '"4.00"^^xsd:decimal'),
        ("<http://example.org/b>", "<http://example.org/p>", '"say \\"^^ here"@en'),
        ("<http://example.org/b>", "<http://example.org/p>", '"1"^^xsd:boolean'),
    ]
    everything = triples + extra
    quick = literal_forms.from_text_triples(everything, GRAPH_TERMS.turtle_document)
    full = literal_forms.from_text(GRAPH_TERMS.turtle_document(everything))
    assert quick.cells == full.cells
    assert quick.triples == full.triples
    assert len(quick.triples) >= 6  # the extras are rewritten by Oxigraph: the comparison is not of two empty tables


def test_the_candidates_picked_a_batch_at_a_time_give_the_same_table():
    """A build keeps only the candidates whose literal the store rewrites, a batch at a time
    while it emits (`literal_forms.Rewrites`), each literal probed once: the table made from the
    kept triples must be the table of every triple, in the same order (the first written form
    of a value is the one a SELECT cell gets)."""
    from coopkg import literal_forms
    from coopkg.terms import GRAPH_TERMS

    triples = build.graph_text(build.load().records)
    extra = [
        ("<http://example.org/b>", "<http://example.org/p>", '"4.00"^^xsd:decimal'),
        ("<http://example.org/a>", "<http://example.org/p>", '"4.0"^^xsd:decimal'),
        ("<http://example.org/a>", "<http://example.org/p>", '"7"^^xsd:int'),
        ("<http://example.org/c>", "<http://example.org/p>", '"4.0"^^xsd:decimal'),  # probed already
        ("<http://example.org/a>", "<http://example.org/p>", "+12"),
    ]
    everything = extra[:2] + triples + extra[2:]
    rewrites = literal_forms.Rewrites(GRAPH_TERMS.turtle_document)
    kept = [t for start in range(0, len(everything), 1000)
            for t in rewrites.keep([t for t in everything[start:start + 1000] if literal_forms.may_be_normalised(t[2])])]
    assert len(kept) < len(everything) // 100  # the point: few are kept
    assert extra[3] in kept and extra[4] in kept
    whole = literal_forms.from_text_triples(everything, GRAPH_TERMS.turtle_document)
    picked = literal_forms.from_text_triples(kept, GRAPH_TERMS.turtle_document)
    assert picked.cells == whole.cells and list(picked.cells) == list(whole.cells)
    assert picked.triples == whole.triples and list(picked.triples) == list(whole.triples)
    assert len(whole.triples) >= 4



def test_grouping_without_a_store_sorts_the_candidates_out_a_batch_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """`build.graph_grouped` fed to no store (the bench's emit stage) probes the candidates
    every ``feed_every`` triples as the build does, not all at the end (~0.3 GB at 120,000
    partnerships); the kept triples are the same."""
    from coopkg import literal_forms

    records = build.load().records
    whole = build.graph_grouped(list(records), feed_every=10**9).candidates
    sizes: list[int] = []
    keep = literal_forms.Rewrites.keep

    def counted(self: literal_forms.Rewrites, candidates: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        sizes.append(len(candidates))
        return keep(self, candidates)

    monkeypatch.setattr(literal_forms.Rewrites, "keep", counted)
    batched = build.graph_grouped(list(records), feed_every=500).candidates
    assert len(sizes) > 3 and max(sizes) <= 500
    assert batched == whole and whole

# every kind of cell a SELECT can give: forms Oxigraph rewrites (decimal, dateTime, boolean,
# int), a language tag, datatypes rdflib rewrites itself (token), a blank node, an unbound cell
# and characters TSV escapes
CELLS = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/a> <http://example.org/p> "4.0"^^xsd:decimal, "2004-01-01T10:00:00+00:00"^^xsd:dateTime,
    "1"^^xsd:boolean, "0012"^^xsd:int, "Timiș"@ro-RO, " a  b "^^xsd:token, "tab\\there \\"q\\"\\nline", _:x .
<http://example.org/b> <http://example.org/p> "4.00"^^xsd:decimal .
"""
CELLS_QUERY = "SELECT ?s ?o ?none WHERE { ?s <http://example.org/p> ?o OPTIONAL { ?s <urn:none> ?none } } ORDER BY ?s ?o\n"


def test_cells_from_oxigraph_are_the_cells_of_its_rdflib_terms(tmp_path: Path) -> None:
    # the writers read cells made straight from pyoxigraph (`coopkg query`) or from rdflib
    # terms (other engines): both makers must give the same fields for every term
    import pyoxigraph as ox

    from coopkg.store import Cell, cell_from_ox, from_ox

    for triple in ox.parse(CELLS.encode(), format=ox.RdfFormat.TURTLE):
        for term in (triple.subject, triple.predicate, triple.object):
            assert cell_from_ox(term) == Cell.of(from_ox(term))  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_command_writes_cells_as_the_rdflib_terms_would(tmp_path: Path, fmt: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from coopkg import query_output

    graph = tmp_path / "cells.ttl"
    graph.write_text(CELLS, encoding="utf-8")
    sparql = tmp_path / "cells.rq"
    sparql.write_text(CELLS_QUERY, encoding="utf-8")
    assert main(["query", str(sparql), "--graph", str(graph), "--format", fmt]) == 0
    written = capsys.readouterr().out
    # the same answer as rdflib terms (`Store.query`, which network, map and export use)
    expected = io.StringIO()
    query_output.write(open_graph(graph).query(CELLS_QUERY), fmt, expected)
    def labelled(text: str) -> str:  # each load labels the blank node anew
        text = re.sub(r"_:\w+|\b[0-9a-f]{20,32}\b", "_:b", text)
        if fmt == "table":
            # a table pads its columns to the longest cell, and a random label may be one digit
            # shorter or two (Oxigraph writes its 128-bit ids in hex without leading zeros): the padding
            # follows the label, the cells are compared
            text = re.sub(r"-{2,}", "-", re.sub(r" {2,}", "  ", text))
        return text

    assert labelled(written) == labelled(expected.getvalue())
    # and the forms as written, not Oxigraph's "4", "2004-01-01T10:00:00Z", "true", "12" (a cell
    # of a value written twice, "4.0" and "4.00", gives the first written)
    for lexical in ("4.0", "2004-01-01T10:00:00+00:00", "0012"):
        assert lexical in written
    assert "T10:00:00Z" not in written and "true" not in written
    if fmt == "tsv":
        assert '"1"^^<http://www.w3.org/2001/XMLSchema#boolean>' in written
        assert '"Timiș"@ro-ro' in written and '"tab\\there \\"q\\"\\nline"' in written
