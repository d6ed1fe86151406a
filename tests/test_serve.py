"""`coopkg serve`: a real Oxigraph endpoint on 127.0.0.1 with the graph, stopped cleanly by Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from coopkg.server import free_port

COOPKG = [sys.executable, "-m", "coopkg.cli"]


def _ask(url: str, query: str) -> dict:
    request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
        return json.loads(answer.read())


def _start(args: list[str], cwd: Path) -> tuple[subprocess.Popen, list[str]]:
    process = subprocess.Popen(COOPKG + ["serve", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=cwd)
    lines: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("Ctrl-C"):
            return process, lines
    process.wait(timeout=30)
    raise AssertionError(f"coopkg serve did not start: {process.stderr.read() if process.stderr else ''}")


def _stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGINT)
    return process.wait(timeout=30)


@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "read-write"])
def test_serve_answers_sparql_and_stops_on_ctrl_c(bundled_graph, bundled_store, tmp_path, read_only):
    port = free_port()
    args = ["--graph", str(bundled_graph), "--port", str(port)] + (["--read-only"] if read_only else [])
    process, lines = _start(args, tmp_path)
    try:
        url = f"http://127.0.0.1:{port}"
        assert f"  query:        {url}/query" in lines
        assert any("coopkg query " in line and f"--endpoint {url}/query" in line for line in lines)
        assert any(f"{url}/update" in line for line in lines) is not read_only
        answer = _ask(url + "/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert int(answer["results"]["bindings"][0]["n"]["value"]) == len(bundled_store)
        update = urllib.request.Request(url + "/update", method="POST",
                                        data=b"update=" + urllib.parse.quote(
                                            "INSERT DATA { <urn:a> <urn:b> <urn:c> }").encode(),
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        if read_only:
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(update, timeout=10)  # noqa: S310 - loopback
        else:
            urllib.request.urlopen(update, timeout=10).close()  # noqa: S310 - loopback
    finally:
        code = _stop(process)
    assert code == 0
    with pytest.raises(urllib.error.URLError):
        _ask(f"http://127.0.0.1:{port}/query", "ASK {}")


def test_serve_builds_the_bundled_dataset_when_no_graph_is_given(bundled_store, tmp_path):
    port = free_port()
    process, lines = _start(["--port", str(port), "--read-only"], tmp_path)  # no build/graph.ttl in tmp_path
    try:
        assert "the bundled dataset" in lines[0]
        answer = _ask(f"http://127.0.0.1:{port}/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert int(answer["results"]["bindings"][0]["n"]["value"]) == len(bundled_store)
    finally:
        assert _stop(process) == 0


def test_serve_reads_any_rdf_syntax(bundled_graph, bundled_store, tmp_path):
    jsonld = tmp_path / "graph.jsonld"
    assert subprocess.run(COOPKG + ["export", "--graph", str(bundled_graph), "--out", str(jsonld), "-q"],
                          timeout=120).returncode == 0
    port = free_port()
    process, _ = _start(["--graph", str(jsonld), "--port", str(port), "--read-only"], tmp_path)
    try:
        answer = _ask(f"http://127.0.0.1:{port}/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert int(answer["results"]["bindings"][0]["n"]["value"]) == len(bundled_store)
    finally:
        assert _stop(process) == 0


def test_serve_refuses_a_busy_port(tmp_path, bundled_graph):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(COOPKG + ["serve", "--graph", str(bundled_graph), "--port", str(port)],
                                capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert f"port {port} is in use" in result.stderr


def test_serve_stops_on_sigterm_too(bundled_graph, tmp_path):
    port = free_port()
    process, _ = _start(["--graph", str(bundled_graph), "--port", str(port), "--read-only"], tmp_path)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    with pytest.raises(urllib.error.URLError):
        _ask(f"http://127.0.0.1:{port}/query", "ASK {}")


