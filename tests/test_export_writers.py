"""The export writers on the integer table: canonical order, exact layouts, edge cases.

test_export.py checks that every format parses back to the graph; this file checks what
the fast writers promise beyond that: N-Triples lines in sorted order, JSON-LD laid out
exactly as ``json.dump(indent=1, sort_keys=True)`` would, Turtle that reads back whatever
the names and literals, the same bytes whatever order or form the triples come in, and
the table itself (repeats, named graphs, both sort paths).
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from coopkg import build, export, termtable
from coopkg.cli import main
from coopkg.store import from_ox
from coopkg.termtable import TripleTable
from coopkg.vocab import COOP, DCTERMS, PREFIXES, RDF, RDFS, THEME, XSD

FIXTURES = Path(__file__).parent / "fixtures" / "export"
EX = "https://w3id.org/coopkg/id/agreement/"
FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


def _text(fmt: str, triples) -> str:
    out = io.StringIO()
    export.write(fmt, triples, out)
    return out.getvalue()


def _norm(graph: Graph, values: bool = False) -> Graph:
    """Language tags lower-cased (Oxigraph does); with ``values``, literals by value
    ("007"^^xsd:integer as "7"), as rdflib's Turtle parser reads bare numbers."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and (o.language or values):
            o = Literal(str(o), lang=o.language.lower() if o.language else None, datatype=o.datatype,
                        normalize=values or None)
        out.add((s, p, o))
    return out


def _reference(triples) -> Graph:
    graph = Graph()
    for t in triples:
        graph.add(t)
    return _norm(graph)


def _read_back(text: str, fmt: str) -> tuple[Graph, Graph]:
    by_rdflib = _norm(Graph().parse(data=text, format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt]))
    by_oxigraph = Graph()
    for q in ox.parse(text.encode("utf-8"), format=FORMATS[fmt]):
        by_oxigraph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return by_rdflib, _norm(by_oxigraph)


def _awkward() -> list:
    """Terms whose texts are prefixes of each other, local names Turtle cannot write
    bare, escapes N-Triples and JSON write differently, blank nodes, numbers, repeats."""
    s = URIRef(EX + "x")
    b1, b10 = BNode("b1"), BNode("b10")
    triples = [
        (s, RDFS.label, Literal("abc")),
        (s, RDFS.label, Literal("abc", lang="en")),
        (s, RDFS.label, Literal("abc", lang="EN-gb")),
        (s, RDFS.label, Literal("abcd")),
        (s, RDFS.label, Literal("ab")),
        (s, RDFS.comment, Literal('quote " back\\slash\nnew\rline\ttab\x08\x0c « Timiș » \x01 \x7f end')),
        (s, RDFS.comment, Literal("\\u0041 is not an escape here")),
        (s, RDFS.comment, Literal("x\x1b", lang="ro")),
        (s, COOP.sizeKB, Literal("12.50", datatype=XSD.decimal, normalize=False)),
        (s, COOP.sizeKB, Literal(".5", datatype=XSD.decimal, normalize=False)),
        (s, COOP.sizeKB, Literal("1.0e3", datatype=XSD.double, normalize=False)),
        (s, COOP.sizeKB, Literal("INF", datatype=XSD.double, normalize=False)),
        (s, COOP.termYears, Literal(3)),
        (s, COOP.termYears, Literal("-7", datatype=XSD.integer, normalize=False)),
        (s, COOP.termYears, Literal("+7", datatype=XSD.integer, normalize=False)),
        (s, COOP.termYears, Literal("007", datatype=XSD.integer, normalize=False)),
        (s, COOP.termYears, Literal("٣", datatype=XSD.integer, normalize=False)),  # not ASCII digits: quoted
        (s, COOP.tacitRenewal, Literal(True)),
        (s, COOP.tacitRenewal, Literal("1", datatype=XSD.boolean, normalize=False)),
        (s, COOP.signed, Literal("2006-08-27", datatype=XSD.date)),
        (s, COOP.signed, Literal('a"^^<x>', datatype=XSD.date)),
        (s, COOP.signed, Literal("odd", datatype=URIRef("http://example.org/types#odd"))),
        (s, RDF.type, COOP.Agreement),
        (s, RDF.type, URIRef(str(COOP) + "Two.Words")),
        (s, RDF.type, b1),
        (s, COOP.theme, URIRef(str(THEME) + "a/b")),
        (s, COOP.theme, URIRef(str(THEME) + "trailing.")),
        (s, COOP.theme, URIRef(str(THEME) + "-dash")),
        (s, COOP.theme, URIRef(str(THEME) + "1st")),
        (s, COOP.theme, URIRef(str(THEME) + "Timiș")),
        (s, COOP.theme, URIRef(str(THEME) + "with:colon")),
        (s, COOP.theme, URIRef(str(THEME) + "pct%20")),
        (s, COOP.theme, URIRef(str(THEME))),
        (s, COOP.theme, URIRef("https://w3id.org/coopkg/vocab/")),
        (s, COOP.party, b10),
        (b1, RDFS.label, Literal("blank one")),
        (b10, RDFS.label, Literal("blank ten")),
        (URIRef(EX + "x1"), RDFS.label, Literal("x1")),
        (URIRef(EX + "x10"), RDFS.label, Literal("x10")),
        (URIRef(EX + "x-1"), RDFS.label, Literal("x-1")),
        (URIRef(str(COOP) + "x"), DCTERMS.title, Literal("a compacted subject")),
    ]
    return triples + triples[:5]  # repeats count once


@pytest.fixture(scope="module")
def bundled() -> list[ox.Triple]:
    loaded = build.load(None)
    emitter = build.emitter(loaded.records)
    return export.ox_triples(list(emitter.triples()) + build.vocabulary_triples())


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_awkward_terms_read_back_as_the_same_graph(fmt, monkeypatch):
    # rdflib would read "007"^^xsd:integer back as "7": compare lexical forms as written
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)
    triples = _awkward()
    text = _text(fmt, triples)
    by_rdflib, by_oxigraph = _read_back(text, fmt)
    assert isomorphic(by_oxigraph, _reference(triples)), fmt
    assert isomorphic(_norm(by_rdflib, values=True), _norm(_reference(triples), values=True)), fmt


def test_ntriples_lines_are_the_sorted_distinct_lines_of_the_triples():
    triples = _awkward()
    expected = sorted({f"{t} .\n" for t in export.ox_triples(triples)})
    assert _text("nt", triples) == "".join(expected)
    # the sort puts a text before its extensions: "b1" < "b10", "abc" < "abc"@en
    lines = _text("nt", triples).splitlines()
    assert lines.index('<https://w3id.org/coopkg/id/agreement/x> <http://www.w3.org/2000/01/rdf-schema#label> "abc" .') < \
        lines.index('<https://w3id.org/coopkg/id/agreement/x> <http://www.w3.org/2000/01/rdf-schema#label> "abc"@en .')


def test_both_sort_paths_give_the_same_order(monkeypatch):
    """Rows are sorted as one 64-bit key when the ranks fit, else by three columns."""
    triples = _awkward()
    packed = {fmt: _text(fmt, triples) for fmt in FORMATS}
    monkeypatch.setattr(termtable, "KEY_BITS", 0)
    for fmt in FORMATS:
        assert _text(fmt, triples) == packed[fmt], fmt


@pytest.mark.parametrize("source", ["awkward", "bundled"])
def test_jsonld_text_is_exactly_what_json_dump_writes(source, bundled):
    triples = _awkward() if source == "awkward" else bundled
    text = _text("jsonld", triples)
    document = json.loads(text)
    assert text == json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    ids = [node["@id"] for node in document["@graph"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))


def test_jsonld_values_keep_their_kind():
    node = next(n for n in json.loads(_text("jsonld", _awkward()))["@graph"] if n["@id"] == EX + "x")
    assert node["@type"] == ["coop:Agreement", "coop:Two.Words"]
    assert 3 in node["coop:termYears"] and -7 in node["coop:termYears"]
    assert {"@type": "xsd:integer", "@value": "007"} in node["coop:termYears"]
    assert True in node["coop:tacitRenewal"] and {"@type": "xsd:boolean", "@value": "1"} in node["coop:tacitRenewal"]
    assert {"@language": "en-gb", "@value": "abc"} in node["rdfs:label"]
    assert {"@id": "_:b1"} == node["rdf:type"]  # a blank-node class is not an "@type"
    comments = node["rdfs:comment"]
    assert 'quote " back\\slash\nnew\rline\ttab\x08\x0c « Timiș » \x01 \x7f end' in comments
    assert "\\u0041 is not an escape here" in comments


def test_turtle_writes_prefixed_names_only_where_the_local_name_allows():
    text = _text("ttl", _awkward())
    assert "coop:Agreement" in text and "theme:1st" in text and "coop:Two.Words" in text
    for iri in ("a/b", "trailing.", "-dash", "with:colon", "pct%20"):
        assert f"<{THEME}{iri}>" in text, iri
    assert " 3 ," in text or " 3 ." in text or " 3 ;" in text  # an integer is bare
    assert " 007 ," in text or " 007 ." in text  # INTEGER's grammar allows leading zeros
    assert '"\u0663"^^xsd:integer' in text or '"٣"^^xsd:integer' in text  # not ASCII digits: quoted
    assert '"2006-08-27"^^xsd:date' in text and '"INF"^^xsd:double' in text and " .5 " in text
    assert "<http://example.org/types#odd>" in text


def test_turtle_has_the_layout_of_oxigraphs_serialiser(bundled):
    """The same statements, line for line, as Oxigraph's Turtle serialiser given the
    sorted triples (the prefix lines may come in another order)."""
    ours = _text("ttl", bundled)
    theirs = ox.serialize(export.sorted_triples(bundled), format=ox.RdfFormat.TURTLE,
                          prefixes=dict(sorted(PREFIXES.items()))).decode("utf-8")

    def split(text: str) -> tuple[set[str], list[str]]:
        lines = text.splitlines()
        head = [line for line in lines if line.startswith("@prefix")]
        return set(head), lines[len(head):]

    assert split(ours) == split(theirs)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig"])
def test_same_bytes_whatever_the_order_form_and_repeats(fmt, bundled):
    rdflib_form = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in bundled]
    shuffled = list(bundled) + bundled[:50]
    random.Random(3).shuffle(shuffled)
    table = TripleTable.from_triples(reversed(bundled))
    texts = {_text(fmt, form) for form in (bundled, rdflib_form, shuffled, table)}
    assert len(texts) == 1


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_an_empty_graph_is_a_valid_empty_document(fmt):
    text = _text(fmt, [])
    assert list(ox.parse(text.encode("utf-8"), format=FORMATS[fmt])) == []
    if fmt == "jsonld":
        assert json.loads(text) == {"@context": export.context(), "@graph": []}


def test_jsonld_refuses_an_iri_that_would_read_as_a_compact_iri():
    triples = [(URIRef("coop:not-a-compact-iri"), RDFS.label, Literal("x"))]
    with pytest.raises(ValueError, match="compact IRI"):
        _text("jsonld", triples)


def test_table_counts_distinct_triples_and_gives_them_back(tmp_path):
    triples = export.ox_triples(_awkward())
    table = TripleTable.from_triples(triples)
    assert len(table) == len(triples)  # rows, repeats included
    assert len(table.canonical()) == len(set(triples))
    assert set(table) == set(triples)
    assert export.sorted_triples(table) == sorted(set(triples), key=str)
    # a TriG file's named graphs are merged
    trig = tmp_path / "g.trig"
    trig.write_text("<http://e/g1> { <http://e/s> <http://e/p> 1 . }\n<http://e/g2> { <http://e/s> <http://e/p> 1 . "
                    "<http://e/s> <http://e/p> 2 . }\n", encoding="utf-8")
    from_file = TripleTable.from_file(trig)
    assert len(from_file) == 3 and len(from_file.canonical()) == 2


def test_export_from_a_graph_file_gives_the_bytes_of_the_records(tmp_path):
    """`coopkg export --graph` (the table path) writes what the writers give for the
    records the file was built from."""
    triples = build.graph_triples(build.load([FIXTURES / "two-sources.yaml"]).records)
    graph = tmp_path / "graph.ttl"
    build.write_graph(triples, graph)
    for fmt in ("ttl", "nt", "jsonld"):
        out = tmp_path / f"out.{fmt}"
        assert main(["export", "--graph", str(graph), "--out", str(out), "-q"]) == 0
        assert out.read_text("utf-8") == _text(fmt, triples), fmt
