"""Issue 20: export formats by extension or --format (disagreement refused), standard
input and output, export --mapping, and progress on a terminal only."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_cli_graph import MY_TOWN, run_in_pipe, run_on_terminal

from coopkg import cli

FIXTURES = Path(__file__).parent / "fixtures"
SYNTAX = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
          ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML,
          ".owl": ox.RdfFormat.RDF_XML}


def _triples(path: Path, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(path=str(path), format=fmt)}


@pytest.fixture(scope="module")
def town_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("town")
    assert cli.main(["build", "-q", str(MY_TOWN), "--out", str(out)]) == 0
    return out / "graph.ttl"


@pytest.mark.parametrize("extension", sorted(SYNTAX))
def test_the_format_follows_the_extension(town_graph: Path, tmp_path: Path, extension: str) -> None:
    out = tmp_path / f"g{extension}"
    assert cli.main(["export", "-q", "--graph", str(town_graph), "--out", str(out)]) == 0
    # parsed in the syntax the extension names: an .rdf file is RDF/XML, not Turtle
    assert _triples(out, SYNTAX[extension]) == _triples(town_graph, ox.RdfFormat.TURTLE)
    if extension in (".rdf", ".owl"):
        assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_rdfxml_and_nquads_are_deterministic(town_graph: Path, tmp_path: Path) -> None:
    for name in ("a", "b"):
        for extension in (".rdf", ".nq"):
            assert cli.main(["export", "-q", "--graph", str(town_graph), "--out", str(tmp_path / f"{name}{extension}")]) == 0
    assert (tmp_path / "a.rdf").read_bytes() == (tmp_path / "b.rdf").read_bytes()
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes()


def test_nquads_from_records_has_a_graph_per_source(tmp_path: Path) -> None:
    out = tmp_path / "g.nq"
    assert cli.main(["export", "-q", str(MY_TOWN), "--out", str(out)]) == 0
    graphs = {q.graph_name for q in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)}
    assert any("my-town-minutes" in str(g) for g in graphs)


def test_extension_and_format_must_agree(town_graph: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "g.rdf"
    assert cli.main(["export", "--graph", str(town_graph), "--out", str(out), "--format", "ttl"]) == 2
    err = capsys.readouterr().err
    assert "g.rdf is rdf (RDF/XML) by its extension but --format says ttl (Turtle)" in err
    assert not out.exists()
    assert cli.main(["export", "--graph", str(town_graph), "--out", str(tmp_path / "g.txt")]) == 2
    assert "the extension does not say which format" in capsys.readouterr().err
    # agreeing is fine, and --format names a file the extension does not
    assert cli.main(["export", "-q", "--graph", str(town_graph), "--out", str(out), "--format", "rdf"]) == 0
    assert cli.main(["export", "-q", "--graph", str(town_graph), "--out", str(tmp_path / "g.txt"), "--format", "nt"]) == 0
    assert cli.main(["export", "--describe", "--graph", str(town_graph), "--out", str(tmp_path / "d.jsonld")]) == 2
    assert "--describe writes Turtle" in capsys.readouterr().err


def test_standard_input_and_output(town_graph: Path, tmp_path: Path) -> None:
    nt = run_in_pipe(["export", "--graph", str(town_graph), "--format", "nt", "--out", "-"], tmp_path)
    assert nt.returncode == 0 and nt.stdout.count(" .\n") > 100
    jsonld = run_in_pipe(["export", "--graph", "-", "--graph-format", "nt", "--format", "jsonld", "--out", "-"], tmp_path,
                         stdin=nt.stdout.encode("utf-8"))
    assert jsonld.returncode == 0, jsonld.stderr
    back = {t for t in ox.parse(jsonld.stdout.encode("utf-8"), format=ox.RdfFormat.JSON_LD)}
    assert {q.triple if isinstance(q, ox.Quad) else q for q in back} == _triples(town_graph, ox.RdfFormat.TURTLE)
    # the wrong syntax for standard input is an unreadable input, named as such
    bad = run_in_pipe(["export", "--graph", "-", "--graph-format", "rdf", "--format", "nt"], tmp_path,
                      stdin=nt.stdout.encode("utf-8"))
    assert bad.returncode == 2 and "standard input: cannot read the graph (rdf/xml)" in bad.stderr
    report = run_in_pipe(["validate", "--graph", "-", "--graph-format", "nt", "--format", "json", "-o", "-"], tmp_path,
                         stdin=nt.stdout.encode("utf-8"))
    assert report.returncode == 0 and report.stdout.lstrip().startswith("{")


def test_export_mapping_like_build(tmp_path: Path) -> None:
    sheet = FIXTURES / "readers" / "mapped" / "atlas-projects.tsv"
    built = ["build", "-q", str(sheet), "--mapping", "atlas-projects", "--no-validate", "--out", str(tmp_path / "b")]
    assert cli.main(built) in (0, 1)
    out = tmp_path / "e.ttl"
    code = cli.main(["export", "-q", str(sheet), "--mapping", "atlas-projects", "--out", str(out)])
    assert code in (0, 1)  # 1: some rows have problems, the good ones are exported
    exported = _triples(out, ox.RdfFormat.TURTLE)
    assert any("el-jem" in str(t.subject) for t in exported)
    assert exported == _triples(tmp_path / "b" / "graph.ttl", ox.RdfFormat.TURTLE)


def test_progress_on_a_terminal_only(tmp_path: Path) -> None:
    shutil.copy(MY_TOWN, tmp_path / "my-town.yaml")
    code, _, err = run_on_terminal(["build", "my-town.yaml"], tmp_path)
    assert code == 0
    assert "build: reading the sources" in err and "build: validating" in err  # rich's spinner lines
    code, _, err = run_on_terminal(["build", "my-town.yaml", "-q"], tmp_path)
    assert code == 0 and "build: reading" not in err and "\x1b[" not in err
    piped = run_in_pipe(["build", "my-town.yaml"], tmp_path)
    assert piped.returncode == 0 and "build: reading" not in piped.stderr and "\x1b[" not in piped.stderr


def test_progress_bar_counts_on_a_terminal() -> None:
    from coopkg import progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    with progress.Progress("uploading triples", 10, stream=stream) as bar:
        bar.advance(4)
        bar.advance(6)
    assert "uploading triples" in stream.getvalue()
    quiet = Terminal()
    progress.configure(quiet=True)
    try:
        with progress.Progress("uploading triples", 10, stream=quiet) as bar:
            bar.advance(10)
    finally:
        progress.configure(quiet=False)
    assert quiet.getvalue() == ""
    assert not progress.wanted(io.StringIO())  # a pipe or a file: never drawn
    assert sys.stderr is not None
