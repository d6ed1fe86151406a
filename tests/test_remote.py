"""`coopkg validate --endpoint` and `coopkg network --endpoint`: on a real Oxigraph server,
the same report and the same network as on the local graph."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from coopkg import build, cli
from coopkg.server import OxigraphServer

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
NAME = "https://data.example.org/graph/coopkg"


def _put(server: OxigraphServer, graph: Path, name: str | None = NAME) -> None:
    where = f"?graph={urllib.parse.quote(name, safe='')}" if name else "?default"
    request = urllib.request.Request(f"{server.store_url}{where}", data=graph.read_bytes(),
                                     headers={"Content-Type": "text/turtle"}, method="PUT")
    urllib.request.urlopen(request, timeout=60).close()


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(argv)
    return code, capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_remote_validation_gives_the_local_report(bundled_graph: Path, oxigraph_server: OxigraphServer,
                                                  capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    _put(oxigraph_server, bundled_graph)
    local = _run(["validate", "--graph", str(bundled_graph), "--format", fmt], capsys)
    remote = _run(["validate", "--endpoint", oxigraph_server.query_url, "--default-graph", NAME, "--format", fmt],
                  capsys)
    assert remote == local
    assert local[1].strip()


def test_remote_validation_finds_the_violations(tmp_path: Path, oxigraph_server: OxigraphServer,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A graph with violations, in the endpoint's default graph: same results, exit 1."""
    loaded = build.load([FIXTURES / "actors.yaml", FIXTURES / "dates.yaml"])
    graph = tmp_path / "graph.ttl"
    build.write_graph(build.graph_text(loaded.records), graph)
    _put(oxigraph_server, graph, None)
    local = _run(["validate", "--graph", str(graph), "--format", "json"], capsys)
    remote = _run(["validate", "--endpoint", oxigraph_server.query_url, "--format", "json"], capsys)
    assert remote == local and local[0] == 1
    results = json.loads(local[1])
    assert "end-year-before-start-day" in json.dumps(results)


def test_remote_validation_refuses_a_graph_without_the_vocabularies(tmp_path: Path, oxigraph_server: OxigraphServer,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    graph = tmp_path / "bare.ttl"
    graph.write_text("<https://w3id.org/coopkg/id/collectivity/x> a <https://w3id.org/coopkg/ontology#Collectivity> .\n",
                     encoding="utf-8")
    _put(oxigraph_server, graph, None)
    assert cli.main(["validate", "--endpoint", oxigraph_server.query_url]) == 1
    err = capsys.readouterr().err
    assert "lacks" in err and "coopkg build" in err and "Traceback" not in err


def test_remote_network_gives_the_local_network(bundled_graph: Path, oxigraph_server: OxigraphServer,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    _put(oxigraph_server, bundled_graph)
    local = _run(["network", "stats", "--graph", str(bundled_graph), "--format", "json"], capsys)
    remote = _run(["network", "stats", "--endpoint", oxigraph_server.query_url, "--default-graph", NAME,
                   "--format", "json"], capsys)
    assert remote == local and local[0] == 0
    assert json.loads(local[1])
    local_csv = _run(["network", "stats", "--graph", str(bundled_graph), "--format", "csv", "--country", "RO"], capsys)
    remote_csv = _run(["network", "stats", "--endpoint", oxigraph_server.query_url, "--default-graph", NAME,
                       "--format", "csv", "--country", "RO"], capsys)
    assert remote_csv == local_csv


def test_endpoint_usage_errors(bundled_graph: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from coopkg.server import free_port

    assert cli.main(["validate", "--graph", str(bundled_graph), "--endpoint", "http://127.0.0.1:1/query"]) == 2
    assert cli.main(["validate", "--default-graph", NAME]) == 2
    assert cli.main(["validate", "--endpoint", "http://127.0.0.1:1/query", "--engine", "pyshacl"]) == 2
    url = f"http://127.0.0.1:{free_port()}/query"
    assert cli.main(["validate", "--endpoint", url]) == 2  # an input that cannot be reached
    assert cli.main(["network", "stats", "--endpoint", url]) == 2
    err = capsys.readouterr().err
    assert "cannot reach" in err and "Traceback" not in err
