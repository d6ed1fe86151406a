"""The validation report written as it is made, and same-name duplicates grouped (docs/validation.md)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from coopkg import validate
from coopkg.shacl_sparql import group_outcomes, report_graph, run_fast, write_report
from coopkg.shacl_sparql.base import Outcome
from coopkg.shacl_sparql.report import ALSO_FOCUS, FOCUS_COUNT
from coopkg.turtle import write_turtle
from coopkg.vocab import SH

ID = "https://w3id.org/coopkg/id/collectivity/"

_HEAD = """\
@prefix coop: <https://w3id.org/coopkg/ontology#> .
@prefix ckind: <https://w3id.org/coopkg/vocab/collectivity-kind/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/coopkg/id/source/towns> a coop:SourceDocument ; dcterms:title "towns.csv" .
"""


def _town(key: str, name: str, line: int, country: str = "FR", kind: str = "commune") -> str:
    return (f"<{ID}{key}> a coop:Collectivity ; coop:collectivityKind ckind:{kind} ; coop:countryCode \"{country}\" ;\n"
            f"    rdfs:label \"{name}\"@fr ; skos:prefLabel \"{name}\"@fr ; skos:hiddenLabel \"{name.lower()}\" ;\n"
            f"    prov:wasDerivedFrom <https://w3id.org/coopkg/id/source/towns/L{line}> .\n"
            f"<https://w3id.org/coopkg/id/source/towns/L{line}> a coop:SourceLocation ; coop:line {line} ;\n"
            "    dcterms:isPartOf <https://w3id.org/coopkg/id/source/towns> .\n")


@pytest.fixture(scope="module")
def towns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # four communes named Urbel (one set), two named Vicla (a pair), Urbel as a region too
    # (another kind: not a duplicate of the communes), and one Torival (alone)
    body = "".join([_town("urbel-1", "Urbel", 2), _town("urbel-2", "Urbel", 3), _town("urbel-3", "Urbel", 4),
                    _town("urbel-4", "Urbel", 5), _town("vicla-1", "Vicla", 6), _town("vicla-2", "Vicla", 7),
                    _town("urbel-region", "Urbel", 8, kind="region"), _town("torival", "Torival", 9)])
    path = tmp_path_factory.mktemp("towns") / "towns.ttl"
    path.write_text(_HEAD + body, encoding="utf-8")
    return path


def _duplicates(report: validate.Report) -> list[validate.Result]:
    return [r for r in report.results if r.rule == "collectivity-duplicate"]


def test_four_same_name_communes_are_one_result_with_a_count(towns: Path) -> None:
    report = validate.validate_files([towns])
    found = {(str(r.focus).removeprefix(ID), str(r.value).removeprefix(ID) if r.value else None, r.count,
              tuple(str(o).removeprefix(ID) for o, _ in r.also)) for r in _duplicates(report)}
    assert found == {
        ("urbel-1", None, 4, ("urbel-2", "urbel-3", "urbel-4")),  # 12 results made one
        ("vicla-1", "vicla-2", 1, ()),  # a pair stays two results, each naming the other
        ("vicla-2", "vicla-1", 1, ()),
    }
    grouped = next(r for r in _duplicates(report) if r.also)
    assert [str(s) for _, sources in grouped.also for s in sources] == ["towns.csv:3", "towns.csv:4", "towns.csv:5"]


def test_a_set_with_a_missing_pair_is_not_grouped() -> None:
    a, b, c = (URIRef(f"{ID}{k}") for k in "abc")
    shape, component, severity = URIRef("urn:shape"), SH.SPARQLConstraintComponent, SH.Warning
    pairs = [(a, b), (b, a), (b, c), (c, b), (a, c)]  # c -> a missing
    outcomes = [Outcome(f, shape, component, severity, None, v) for f, v in pairs]
    assert sorted((o.focus, o.value) for o in group_outcomes(outcomes)) == sorted(pairs)
    outcomes.append(Outcome(c, shape, component, severity, None, a))
    (grouped,) = group_outcomes(outcomes)
    assert (grouped.focus, grouped.value, grouped.others) == (a, None, (b, c))


def test_grouped_results_in_every_format(towns: Path) -> None:
    report = validate.validate_files([towns])
    text = validate.render_text(report)
    assert "[collectivity-duplicate] the same for 4 records, this one and:\n      collectivity/urbel-2 (towns.csv:3)" in text
    assert "de même pour 4 fiches, celle-ci et :" in validate.render_text(report, "fr")
    doc = json.loads(validate.render_json(report))
    (grouped,) = [r for r in doc["results"] if r.get("count")]
    assert grouped["count"] == 4 and [a["record"] for a in grouped["also"]] == [f"{ID}urbel-{n}" for n in (2, 3, 4)]
    report_ttl = Graph().parse(data=validate.render_turtle(report), format="turtle")
    (result,) = report_ttl.subjects(FOCUS_COUNT, Literal(4))
    assert set(report_ttl.objects(result, ALSO_FOCUS)) == {URIRef(f"{ID}urbel-{n}") for n in (2, 3, 4)}
    assert report_ttl.value(result, SH.value) is None


def test_json_is_written_as_json_dumps_would(towns: Path, tmp_path: Path) -> None:
    text = validate.render_json(validate.validate_files([towns]))
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    shapes = tmp_path / "shapes.ttl"  # a shape every town meets: no result at all
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> a sh:NodeShape ; sh:targetClass "
                      "<https://w3id.org/coopkg/ontology#Collectivity> ; sh:property [ sh:path "
                      "<http://www.w3.org/2000/01/rdf-schema#label> ; sh:minCount 1 ] .\n", encoding="utf-8")
    empty = validate.render_json(validate.validate_files([towns], [shapes], default_shapes=False))
    assert json.loads(empty)["results"] == []
    assert empty == json.dumps(json.loads(empty), ensure_ascii=False, indent=2) + "\n"


def _canonical(outcomes: list[Outcome], shapes: Graph) -> str:
    buffer = StringIO()
    write_turtle(validate.canonical_report(report_graph(outcomes, shapes)), buffer, validate.REPORT_PREFIXES)
    return buffer.getvalue()


def _streamed(outcomes: list[Outcome], shapes: Graph) -> str:
    buffer = StringIO()
    write_report(outcomes, shapes, buffer, batch=3)  # small batches: the block boundaries are crossed
    return buffer.getvalue()


def test_streamed_turtle_is_the_canonical_report_of_the_graph(towns: Path) -> None:
    """The streamed writer gives the bytes the report graph, canonicalised, gives: on
    coopkg's shapes (grouped results included) and on shapes with blank-node paths."""
    store = validate.load_graphs([towns])
    validate.prepare(store)
    shapes = validate.load_shapes()
    outcomes = group_outcomes(run_fast(store, shapes))
    assert any(o.others for o in outcomes) and len(outcomes) == 3
    assert _streamed(outcomes, shapes) == _canonical(outcomes, shapes)
    paths = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix coop: <https://w3id.org/coopkg/ontology#> .
        <urn:s> a sh:NodeShape ; sh:targetClass coop:Collectivity ;
            sh:property [ sh:path ( skos:hiddenLabel [ sh:inversePath skos:hiddenLabel ] ) ; sh:maxCount 1 ] ,
                        [ sh:path [ sh:inversePath coop:partOf ] ; sh:minCount 1 ] ,
                        [ sh:path [ sh:alternativePath ( skos:altLabel coop:inseeCode ) ] ; sh:minCount 1 ] .""")
    outcomes = run_fast(validate.load_graphs([towns]), paths)
    assert len(outcomes) >= 8 and any(o.path is not None and not isinstance(o.path, URIRef) for o in outcomes)
    streamed = _streamed(outcomes, paths)
    assert streamed == _canonical(outcomes, paths)
    assert "_:b0" in streamed  # the path structures were written


def test_report_graph_is_made_only_when_asked(towns: Path) -> None:
    report = validate.validate_files([towns])
    assert report.source_graph is None and report.outcomes is not None  # the fast engine alone: no graph
    assert len(set(report.graph.objects(None, SH.result))) == len(report.results)
