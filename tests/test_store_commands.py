"""Commands that read a built graph open its on-disk store while it matches graph.ttl, and load
the file (saying so once) when it does not (issue 16; docs/performance.md, "The persistent store")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coopkg import cli, diskstore, shacl_engines, validate

HAND_MADE = "<https://w3id.org/coopkg/id/collectivity/by-hand> a <https://w3id.org/coopkg/ontology#Collectivity> .\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "build"
    assert cli.main(["build", "--out", str(out), "-q"]) == 0
    return out / "graph.ttl"


@pytest.fixture(scope="module")
def from_file(built: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The JSON report of graph.ttl read from the file alone (a copy with no store beside it)."""
    alone = tmp_path_factory.mktemp("alone") / "graph.ttl"
    shutil.copyfile(built, alone)
    return validate.render_json(validate.validate_files([alone]))


@pytest.fixture
def no_parse(monkeypatch: pytest.MonkeyPatch, built: Path) -> list[Path]:
    """Make any parse of graph.ttl fail, and the store be used for scans at any size; return the
    files scanned for literals as written."""
    scanned: list[Path] = []

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"graph.ttl was parsed although its store is fresh: {args}")

    real_scan = shacl_engines.scan

    def scan(paths: list[Path]) -> object:
        scanned.extend(paths)
        return real_scan(paths)

    monkeypatch.setattr(diskstore, "IN_MEMORY_MAX_TRIPLES", 0)
    monkeypatch.setattr(diskstore, "open_graph", refuse)
    monkeypatch.setattr(validate, "load_graphs", refuse)
    monkeypatch.setattr(shacl_engines, "scan", scan)
    return scanned


def test_validate_graph_reads_the_fresh_store(built: Path, from_file: str, no_parse: list[Path],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", "--graph", str(built), "--format", "json"]) == 0
    on_store = capsys.readouterr()
    assert "loading the file" not in on_store.err
    # the literals as written came from the store's small forms file, not from graph.ttl
    assert no_parse and built not in no_parse and all(p.name.endswith(diskstore.FORMS) for p in no_parse)
    assert on_store.out == from_file


def test_validate_graph_of_a_stale_store_loads_the_file_and_says_so(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build"
    assert cli.main(["build", "--out", str(out), "-q"]) == 0
    graph = out / "graph.ttl"
    with graph.open("a", encoding="utf-8") as handle:
        handle.write(HAND_MADE)
    capsys.readouterr()
    assert cli.main(["validate", "--graph", str(graph)]) == 1  # the hand-made collectivity has no name
    captured = capsys.readouterr()
    assert "collectivity/by-hand" in captured.out  # the file was read, not the store
    assert captured.err.count("changed since the store beside it was built: loading the file") == 1


def test_network_reads_the_fresh_store(built: Path, no_parse: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["network", "stats", "--graph", str(built), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "loading the file" not in captured.err and '"' in captured.out


def test_map_reads_the_fresh_store(built: Path, no_parse: list[Path], tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "map.geojson"
    assert cli.main(["map", "--graph", str(built), "--geojson", str(out), "-q"]) == 0
    assert "loading the file" not in capsys.readouterr().err
    assert '"FeatureCollection"' in out.read_text(encoding="utf-8")


def test_a_store_lacking_this_versions_class_hierarchy_is_not_used(built: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A read-only store cannot be given what coopkg's shapes need: one built by a coopkg with
    another ontology (here: one more rdfs:subClassOf) is left for the file, said once."""
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    real = shacl_engines.vocabulary_graph

    def newer() -> object:
        graph = real()
        graph.add((URIRef("https://w3id.org/coopkg/ontology#Twinning"), RDFS.subClassOf,
                   URIRef("https://w3id.org/coopkg/ontology#Agreement")))
        return graph

    monkeypatch.setattr(diskstore, "IN_MEMORY_MAX_TRIPLES", 0)
    monkeypatch.setattr(shacl_engines, "vocabulary_graph", newer)
    assert cli.main(["validate", "--graph", str(built), "-q"]) == 0
    err = capsys.readouterr().err
    assert err.count("lacks this coopkg's class hierarchy (built by another version): loading the file") == 1


# What `coopkg query` on a fresh store must not import: rdflib alone is 0.15 s of a process
# whose query takes 0.1-0.5 s (issue 16; docs/performance.md, "The start of a query process").
HEAVY = ("rdflib", "pyshacl", "networkx", "html5rdf")
_IMPORTS = """\
import json, sys
from coopkg.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})]), file=sys.stderr)
"""


def _query_process(graph: Path, args: list[str]) -> tuple[int, list[str], str]:
    """Exit code, the heavy modules imported, and the output of `coopkg query ARGS` run as a process."""
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _IMPORTS.format(heavy=set(HEAVY)), "query", *args,
                           "--graph", str(graph)], capture_output=True, text=True, check=False)
    code, modules = json.loads(done.stderr.strip().splitlines()[-1])
    return code, modules, done.stdout


def _example_args(name: str) -> list[str]:
    from coopkg import query

    return [name, *(f"--param={p.name}={p.example}" for p in query.find_query(name).parameters
                    if p.example is not None)]


@pytest.mark.parametrize("name", ["partnerships-per-kind", "active-partnerships", "terms-ending", "funded-by",
                                  "partnership-timeline", "country-french-partners"])
def test_a_query_on_the_fresh_store_imports_no_rdflib(built: Path, name: str) -> None:
    """Parameters of every kind (a record's name, a date, an integer, a country) bound without an rdflib term."""
    code, modules, out = _query_process(built, [*_example_args(name), "--format", "csv"])
    assert code == 0 and out.count("\n") > 1
    assert modules == []


@pytest.mark.parametrize("fmt", ["table", "tsv", "json"])
def test_every_format_on_the_fresh_store_imports_no_rdflib(built: Path, fmt: str) -> None:
    code, modules, out = _query_process(built, [*_example_args("active-partnerships"), "--format", fmt])
    assert code == 0 and out.strip()
    assert modules == []


def test_a_query_with_the_rdflib_engine_still_uses_rdflib(built: Path) -> None:
    """The check above can fail: the same process with --engine rdflib imports it."""
    code, modules, _ = _query_process(built, [*_example_args("active-partnerships"), "--engine", "rdflib"])
    assert code == 0 and "rdflib" in modules
