"""Users' own shapes on their own data: `coopkg validate --graph --shapes`, the engines, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from coopkg import cli, validate
from coopkg.shacl_engines import EngineError, EngineRefused
from coopkg.vocab import SH

DATA = """
@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:a ex:n "5"^^xsd:int ; ex:m "5"^^xsd:integer ; ex:d "1.50"^^xsd:decimal .
ex:c a skos:Concept ; skos:prefLabel "c"@en .
"""
SHAPES = """
@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:Ints a sh:NodeShape ; sh:targetNode ex:a ;
    sh:property [ sh:path ex:n ; sh:datatype xsd:int ] ;          # as written: conforms
    sh:property [ sh:path ex:m ; sh:datatype xsd:int ] ;          # xsd:integer is not xsd:int
    sh:property [ sh:path ex:d ; sh:maxLength 3 ] .               # "1.50" is 4 characters
ex:Concepts a sh:NodeShape ; sh:targetClass skos:Concept ; sh:property [ sh:path skos:prefLabel ; sh:minCount 1 ] .
"""
CLOSED = """
@prefix ex: <http://example.org/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
ex:Closed a sh:NodeShape ; sh:targetNode ex:a ; sh:closed true ; sh:property [ sh:path ex:n ] .
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    data, shapes, closed = tmp_path / "data.ttl", tmp_path / "shapes.ttl", tmp_path / "closed.ttl"
    data.write_text(DATA, encoding="utf-8")
    shapes.write_text(SHAPES, encoding="utf-8")
    closed.write_text(CLOSED, encoding="utf-8")
    return data, shapes, closed


def _results(report: validate.Report) -> set[tuple[str, str, str]]:
    g = report.graph
    return {(str(g.value(r, SH.focusNode)).rsplit("/", 1)[-1], str(g.value(r, SH.sourceConstraintComponent)).rsplit("#")[-1],
             str(g.value(r, SH.value))) for r in g.objects(None, SH.result)}


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_datatypes_and_lengths_see_the_literals_as_written(files: tuple[Path, Path, Path], engine: str) -> None:
    data, shapes, _ = files
    report = validate.validate_files([data], [shapes], default_shapes=False, engine=engine)
    # the store keeps "5"^^xsd:int as "5"^^xsd:integer and "1.50" as "1.5": neither may show
    assert _results(report) == {("a", "DatatypeConstraintComponent", "5"), ("a", "MaxLengthConstraintComponent", "1.50")}
    values = {report.graph.value(r, SH.value) for r in report.graph.objects(None, SH.result)}
    assert Literal("1.50", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"), normalize=False) in values


def test_user_shapes_do_not_see_coopkgs_vocabularies(files: tuple[Path, Path, Path]) -> None:
    data, shapes, _ = files
    for engine in ("fast", "pyshacl"):
        alone = validate.validate_files([data], [shapes], default_shapes=False, engine=engine)
        both = validate.validate_files([data], [shapes], default_shapes=True, engine=engine)
        g = both.graph
        foreign = {str(g.value(r, SH.focusNode)) for r in g.objects(None, SH.result)
                   if not str(g.value(r, SH.focusNode)).startswith("http://example.org/")}
        # coopkg's SKOS schemes hold hundreds of skos:Concept: none reaches the user's shape
        assert not foreign, (engine, sorted(foreign)[:3])
        assert _results(alone) <= _results(both)


def test_auto_sends_refused_shapes_to_pyshacl_and_says_so(files: tuple[Path, Path, Path]) -> None:
    data, shapes, closed = files
    with pytest.raises(EngineRefused) as refused:
        validate.validate_files([data], [shapes, closed], default_shapes=False, engine="fast")
    assert "http://example.org/Closed: sh:closed" in str(refused.value)
    report = validate.validate_files([data], [shapes, closed], default_shapes=False, engine="auto")
    assert report.engine == "fast + pyshacl"
    assert any("http://example.org/Closed" in note and "sh:closed" in note for note in report.notes)
    # ex:m and ex:d are not allowed by the closed shape (sh:value: the value of the property)
    assert {("a", "ClosedConstraintComponent", "5"), ("a", "ClosedConstraintComponent", "1.50")} <= _results(report)
    assert ("a", "DatatypeConstraintComponent", "5") in _results(report)  # the fast engine's part


def test_pyshacl_refusing_a_shape_is_a_message(tmp_path: Path, files: tuple[Path, Path, Path]) -> None:
    data, _, _ = files
    bad = tmp_path / "bad.ttl"
    bad.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:n ; sh:minCount "many" ] .""",
                   encoding="utf-8")
    with pytest.raises(EngineError, match="pyshacl cannot validate"):
        validate.validate_files([data], [bad], default_shapes=False, engine="pyshacl")


def test_cli_exit_codes(files: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, shapes, closed = files
    base = ["validate", "--graph", str(data), "--no-default-shapes"]
    assert cli.main([*base, "--shapes", str(shapes)]) == 1
    ok = tmp_path / "ok.ttl"
    ok.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
                  "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:n ; sh:minCount 1 ] .\n")
    capsys.readouterr()
    assert cli.main([*base, "--shapes", str(ok), "--format", "json"]) == 0
    assert '"conforms": true' in capsys.readouterr().out
    assert cli.main([*base, "--shapes", str(closed), "--engine", "fast"]) == 2
    err = capsys.readouterr().err
    assert "sh:closed" in err and "Traceback" not in err
    assert cli.main([*base, "--shapes", str(closed)]) == 1
    assert "pyshacl checks http://example.org/Closed" in capsys.readouterr().err
    broken = tmp_path / "broken.ttl"
    broken.write_text("ex:a ex:b .", encoding="utf-8")
    assert cli.main(["validate", "--graph", str(broken), "--shapes", str(ok), "--no-default-shapes"]) == 2
    assert "broken.ttl" in capsys.readouterr().err
    assert cli.main(["validate", "--graph", str(data), "--shapes", str(broken), "--no-default-shapes"]) == 2
    assert cli.main(["validate", "--graph", str(data), "--no-default-shapes"]) == 2


def test_turtle_report_is_standard(files: tuple[Path, Path, Path], tmp_path: Path) -> None:
    data, shapes, _ = files
    out = tmp_path / "report.ttl"
    assert cli.main(["validate", "--graph", str(data), "--shapes", str(shapes), "--no-default-shapes",
                     "--format", "turtle", "-o", str(out)]) == 1
    report = Graph().parse(out, format="turtle")
    assert (None, SH.conforms, Literal(False)) in report
    assert len(list(report.objects(None, SH.result))) == 2
