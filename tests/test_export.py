"""Exports: every format parses back to the same graph (rdflib and pyoxigraph), deterministically;
TriG has one named graph per source document; the DCAT-AP/VoID description is valid and true."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from coopkg import build, describe, export, working_graph
from coopkg.cli import main
from coopkg.store import from_ox, open_graph
from coopkg.vocab import COOP, DCAT, DCTERMS, PREFIXES, PROV, RDF, SKOS, VOID, WD

FIXTURES = Path(__file__).parent / "fixtures" / "export"
TWO_SOURCES = FIXTURES / "two-sources.yaml"
RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}
OX_FORMAT = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
             "trig": ox.RdfFormat.TRIG}


def _norm(graph: Graph) -> Graph:
    """Language tags are case-insensitive (RDF 1.1); Oxigraph lower-cases them."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


def _graph(triples) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return _norm(graph)


def _parse_rdflib(text: str, fmt: str) -> Graph:
    if fmt == "trig":
        dataset = Dataset()
        dataset.parse(data=text, format="trig")
        return _graph((s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None)))
    return _norm(Graph().parse(data=text, format=RDFLIB_FORMAT[fmt]))


def _parse_oxigraph(text: str, fmt: str) -> Graph:
    quads = ox.parse(text.encode("utf-8"), format=OX_FORMAT[fmt])
    return _graph((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in quads)


def _records_input(sources: list[Path] | None) -> export.Input:
    loaded = build.load(sources)
    emitter = build.emitter(loaded.records)
    vocabulary = build.vocabulary_triples()
    quads = list(emitter.by_source()) + [(None, t) for t in vocabulary]
    return export.Input(list({t for _, t in quads}), "records", quads, loaded.problems)


@pytest.fixture(scope="module")
def records_input() -> export.Input:
    return _records_input(None)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig"])
def test_every_format_parses_back_to_the_same_graph_in_rdflib_and_oxigraph(records_input, fmt):
    reference = _graph(records_input.triples)
    out = io.StringIO()
    count = export.write(fmt, records_input.triples, out, records_input.quads)
    text = out.getvalue()
    assert count == len(set(records_input.triples))
    assert isomorphic(_parse_rdflib(text, fmt), reference)
    assert isomorphic(_parse_oxigraph(text, fmt), reference)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig"])
def test_output_does_not_depend_on_triple_order(records_input, fmt):
    shuffled = list(records_input.triples)
    random.Random(8).shuffle(shuffled)
    quads = list(records_input.quads or [])
    random.Random(9).shuffle(quads)
    first, second = io.StringIO(), io.StringIO()
    export.write(fmt, records_input.triples, first, records_input.quads)
    export.write(fmt, shuffled, second, quads)
    assert first.getvalue() == second.getvalue()


def test_ntriples_are_sorted_lines_one_per_triple(records_input):
    out = io.StringIO()
    export.write_ntriples(records_input.triples, out)
    lines = out.getvalue().splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(set(records_input.triples))


def test_hostile_literals_and_iris_survive_every_format():
    s = URIRef("https://w3id.org/coopkg/id/agreement/x")
    triples = [
        (s, DCTERMS.title, Literal('quote " back\\slash\nnew line\ttab « Timiș »', lang="ro")),
        (s, COOP.sizeKB, Literal("12.50", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))),
        (s, COOP.termYears, Literal(3)),
        (s, COOP.tacitRenewal, Literal(True)),
        (s, RDF.type, COOP.Agreement),
        (s, COOP.place, Literal("01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))),
    ]
    for fmt in ("ttl", "nt", "jsonld", "trig"):
        out = io.StringIO()
        export.write(fmt, triples, out)
        assert isomorphic(_parse_rdflib(out.getvalue(), fmt), _graph(triples)), fmt
        assert isomorphic(_parse_oxigraph(out.getvalue(), fmt), _graph(triples)), fmt


def test_jsonld_uses_the_shipped_context_and_compact_iris(records_input):
    assert export.context_matches_prefixes()
    out = io.StringIO()
    export.write_jsonld(records_input.triples, out)
    document = json.loads(out.getvalue())
    shipped = json.loads((Path(export.resources.folder("ontology")) / "context.jsonld").read_text("utf-8"))
    assert document["@context"] == shipped["@context"]
    ids = [node["@id"] for node in document["@graph"]]
    assert len(ids) == len(set(ids))
    agreements = [n for n in document["@graph"] if "coop:Agreement" in _as_list(n.get("@type"))]
    assert agreements and all("coop:party" in n for n in agreements)


def _as_list(value):
    return value if isinstance(value, list) else [value]


def test_trig_has_one_named_graph_per_source_document():
    data = _records_input([TWO_SOURCES])
    out = io.StringIO()
    export.write_trig(data.quads, out)
    dataset = Dataset()
    dataset.parse(data=out.getvalue(), format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if isinstance(g.identifier, URIRef)} - {
        "urn:x-rdflib:default"}
    base = "https://w3id.org/coopkg/id/source/"
    assert names == {base + "atlas-sheet-txt", base + "registry-table-txt"}
    registry = dataset.graph(URIRef(base + "registry-table-txt"))
    atlas = dataset.graph(URIRef(base + "atlas-sheet-txt"))
    amont = URIRef("https://w3id.org/coopkg/id/collectivity/xx-amont")
    aval_amont = URIRef("https://w3id.org/coopkg/id/agreement/aval-amont-1994")
    # a record read from two documents is in both graphs; one read from one, in that one only
    assert (amont, RDF.type, COOP.Collectivity) in registry and (amont, RDF.type, COOP.Collectivity) in atlas
    assert (aval_amont, RDF.type, COOP.Agreement) in registry
    assert (aval_amont, RDF.type, COOP.Agreement) not in atlas
    # each source location sits in its own document's graph
    for graph in (registry, atlas):
        for loc in graph.subjects(RDF.type, COOP.SourceLocation):
            assert graph.value(loc, DCTERMS.isPartOf) == graph.identifier


def test_trig_from_a_graph_file_groups_by_derivation(tmp_path):
    data = _records_input([TWO_SOURCES])
    path = tmp_path / "graph.ttl"
    build.write_graph(data.triples, path)
    from_file = working_graph.open_input(working_graph.choose(path))
    assert from_file.quads is None
    quads = [(None if isinstance(q.graph_name, ox.DefaultGraph) else URIRef(q.graph_name.value),
              (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
             for q in export.group_by_derivation(from_file.triples)]
    assert isomorphic(_graph(t for _, t in quads), _graph(data.triples))
    by_graph: dict = {}
    for g, triple in quads:
        by_graph.setdefault(g, set()).add(triple)
    documents = {s for s, p, o in data.triples if p == RDF.type and o == COOP.SourceDocument}
    assert set(by_graph) - {None} == documents
    # every subject derived from a source is in that source's graph
    for s, p, o in data.triples:
        if p == PROV.wasDerivedFrom:
            doc = URIRef(str(o).rsplit("/L", 1)[0])
            assert (s, p, o) in by_graph[doc]
    # what no source states (the vocabularies) is in the default graph
    assert all(p != PROV.wasDerivedFrom for _, p, _ in by_graph[None])
    # and the TriG written from the file parses back to the same graph
    out = io.StringIO()
    export.write("trig", from_file.triples, out)
    assert isomorphic(_parse_oxigraph(out.getvalue(), "trig"), _graph(data.triples))


def test_export_command_writes_every_format_and_a_description(tmp_path, capsys):
    out = tmp_path / "dist"
    code = main(["export", str(TWO_SOURCES), "--out-dir", str(out), "--download-base", "https://data.example.org/c/",
                 "--issued", "2026-01-15", "-q"])
    assert code == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["description.ttl", "graph.jsonld", "graph.nt", "graph.trig", "graph.ttl"]
    reference = _norm(open_graph(out / "graph.ttl", "rdflib").rdflib_graph())
    for fmt in ("nt", "jsonld", "trig"):
        assert isomorphic(_parse_oxigraph((out / f"graph.{fmt}").read_text("utf-8"), fmt), reference), fmt
    # a second run gives the same bytes
    again = tmp_path / "again"
    assert main(["export", str(TWO_SOURCES), "--out-dir", str(again), "--download-base",
                 "https://data.example.org/c/", "--issued", "2026-01-15", "-q"]) == 0
    for name in names:
        assert (out / name).read_bytes() == (again / name).read_bytes(), name
    # a single format to stdout
    capsys.readouterr()
    assert main(["export", "--graph", str(out / "graph.ttl"), "--format", "nt", "-q"]) == 0
    assert capsys.readouterr().out == (out / "graph.nt").read_text("utf-8")


def test_export_usage_errors_exit_2(tmp_path, capsys):
    assert main(["export", "--graph", str(tmp_path / "missing.ttl")]) == 2
    assert main(["export", str(TWO_SOURCES), "--graph", str(TWO_SOURCES)]) == 2
    assert main(["export", "--describe", "--modified", "2026-02-30"]) == 2
    assert "missing.ttl" in capsys.readouterr().err


# -- the description ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def described(tmp_path_factory) -> tuple[Graph, export.Input, Path]:
    folder = tmp_path_factory.mktemp("described")
    data = _records_input([TWO_SOURCES])
    files = []
    for fmt in ("ttl", "jsonld"):
        path = folder / f"graph.{fmt}"
        with path.open("w", encoding="utf-8") as handle:
            export.write(fmt, data.triples, handle)
        files.append(describe.Distribution(path, f"https://data.example.org/c/{path.name}"))
    triples = describe.describe(data.triples, files, issued=describe.parse_day("2026-01-15"),
                                endpoint="https://data.example.org/sparql")
    out = folder / "description.ttl"
    with out.open("w", encoding="utf-8") as handle:
        export.write_turtle(triples, handle, describe.DESCRIPTION_PREFIXES)
    return Graph().parse(out, format="turtle"), data, folder


def test_description_is_valid_dcat_ap(described):
    graph, _, _ = described
    shapes = Graph().parse(FIXTURES / "dcat-ap-shapes.ttl", format="turtle")
    conforms, _, report = validate(graph, shacl_graph=shapes)
    assert conforms, report


def test_the_dcat_shape_catches_a_missing_mandatory_field(described):
    graph, _, _ = described
    broken = Graph()
    for triple in graph:
        if triple[1] not in (DCAT.accessURL, DCTERMS.description):
            broken.add(triple)
    conforms, _, report = validate(broken, shacl_graph=Graph().parse(FIXTURES / "dcat-ap-shapes.ttl"))
    assert not conforms
    assert "accessURL" in report and "description" in report


def test_description_measures_the_data(described):
    graph, data, folder = described
    dataset = URIRef("https://w3id.org/coopkg/dataset")
    store = open_graph(folder / "graph.ttl", "oxigraph")
    assert int(graph.value(dataset, VOID.triples)) == len(store)
    # per-class entity counts agree with SPARQL on the exported graph
    classes = {c: int(n) for c, n in store.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c").rows}
    described_classes = {graph.value(part, VOID["class"]): int(graph.value(part, VOID.entities))
                         for part in graph.objects(dataset, VOID.classPartition)}
    assert described_classes == classes
    properties = {p: int(n) for p, n in store.query("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p").rows}
    described_properties = {graph.value(part, VOID.property): int(graph.value(part, VOID.triples))
                            for part in graph.objects(dataset, VOID.propertyPartition)}
    assert described_properties == properties
    # the Wikidata linkset counts the skos:exactMatch links (two in the fixture)
    linkset = next(graph.subjects(RDF.type, VOID.Linkset))
    assert graph.value(linkset, VOID.linkPredicate) == SKOS.exactMatch
    links = sum(1 for _, p, o in data.triples if p == SKOS.exactMatch and str(o).startswith(str(WD)))
    assert int(graph.value(linkset, VOID.triples)) == links == 2
    # temporal coverage: the earliest and latest dates of the fixture (1994-05 ... 2014-03-04)
    period = graph.value(dataset, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "1994-05"
    assert str(graph.value(period, DCAT.endDate)) == "2014-03-04"
    # spatial: the actors' countries, as EU authority IRIs
    spatial = sorted(str(o).rsplit("/", 1)[-1] for o in graph.objects(dataset, DCTERMS.spatial))
    assert spatial == ["FRA", "ROU", "TUN"]
    # modified: the newest thing that happened (the 2014 renewal), not the clock
    assert str(graph.value(dataset, DCTERMS.modified)) == "2014-03-04"
    assert str(graph.value(dataset, DCTERMS.issued)) == "2026-01-15"
    # distributions: real sizes and media types
    for dist in graph.objects(dataset, DCAT.distribution):
        name = str(graph.value(dist, DCTERMS.title))
        assert int(graph.value(dist, DCAT.byteSize)) == (folder / name).stat().st_size
        assert str(graph.value(dist, DCAT.downloadURL)).endswith(name)
        media = str(graph.value(dist, DCAT.mediaType))
        assert media.endswith({"graph.ttl": "text/turtle", "graph.jsonld": "application/ld+json"}[name])


def test_description_titles_and_descriptions_in_english_and_french(described):
    graph, _, _ = described
    dataset = URIRef("https://w3id.org/coopkg/dataset")
    for prop in (DCTERMS.title, DCTERMS.description):
        assert {o.language for o in graph.objects(dataset, prop)} >= {"en", "fr"}


def test_context_declares_the_turtle_prefixes():
    assert {k: v for k, v in export.context().items() if not k.startswith("@")} == PREFIXES


def test_describe_listed_files_with_your_own_template(tmp_path):
    template = tmp_path / "portal.ttl"
    template.write_text(
        (Path(describe.template_path())).read_text("utf-8").replace(
            "<https://w3id.org/coopkg/dataset>", "<https://data.example.org/dataset/coop>"),
        encoding="utf-8")
    graph_file = tmp_path / "graph.nt"
    assert main(["export", str(TWO_SOURCES), "--format", "nt", "--out", str(graph_file), "-q"]) == 0
    out = tmp_path / "description.ttl"
    assert main(["export", "--graph", str(graph_file), "--describe", "--distribution", str(graph_file),
                 "--metadata", str(template), "--modified", "2025-06", "--out", str(out), "-q"]) == 0
    graph = Graph().parse(out, format="turtle")
    dataset = URIRef("https://data.example.org/dataset/coop")
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    assert str(graph.value(dataset, DCTERMS.modified)) == "2025-06"
    dist = graph.value(dataset, DCAT.distribution)
    assert str(graph.value(dist, DCAT.mediaType)).endswith("application/n-triples")
    assert int(graph.value(dist, DCAT.byteSize)) == graph_file.stat().st_size
    conforms, _, report = validate(graph, shacl_graph=Graph().parse(FIXTURES / "dcat-ap-shapes.ttl"))
    assert conforms, report
