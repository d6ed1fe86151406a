"""Remote answers are bounded: a total wall-clock timeout per request (not per socket read)
and a size limit, for `query --endpoint`, `validate --endpoint`, `publish` and `import wikidata`.

A real HTTP server on 127.0.0.1 plays the hostile endpoint: it trickles its answer one
byte at a time (each read succeeds, so a socket timeout never fires), or announces or
sends an answer over the limit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from coopkg import cli, publish, query
from coopkg.readers import wikidata

ANSWER = b'{"head": {"vars": ["item"]}, "results": {"bindings": []}}'


class Hostile:
    def __init__(self) -> None:
        self.mode = "trickle"
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                if server.mode == "no-item":  # a SELECT answer without the ?item the import asks for
                    data = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": "u:x"}}]}}'
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if server.mode == "announced":
                    self.send_header("Content-Length", str(10**12))
                    self.end_headers()
                    return
                if server.mode == "big":
                    self.end_headers()  # no length: read until the server closes
                    try:
                        for _ in range(2000):
                            self.wfile.write(b" " * 1024)
                    except OSError:
                        pass
                    return
                self.end_headers()
                try:  # one byte every 0.2 s: 60 s for the whole answer
                    for _ in range(300):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.2)
                except OSError:
                    pass

            do_GET = do_POST = do_PUT = _handle  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"


@pytest.fixture
def hostile() -> Iterator[Hostile]:
    server = Hostile()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def _within(seconds: float, call) -> Exception:
    start = time.monotonic()
    with pytest.raises(Exception) as failure:  # noqa: B017 - each caller checks the type below
        call()
    assert time.monotonic() - start < seconds, f"took {time.monotonic() - start:.1f} s"
    return failure.value


def test_a_trickling_endpoint_stops_query_at_the_total_timeout(hostile: Hostile) -> None:
    runner = query.EndpointRunner(hostile.url, timeout=1.5)
    err = _within(10, lambda: runner.run("SELECT ?item WHERE { ?item ?p ?o }", {}))
    assert isinstance(err, query.EndpointError) and "timeout" in str(err)


def test_a_trickling_endpoint_stops_the_query_command(hostile: Hostile, capsys: pytest.CaptureFixture[str],
                                                      tmp_path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?item WHERE { ?item ?p ?o }", encoding="utf-8")
    start = time.monotonic()
    assert cli.main(["query", str(rq), "--endpoint", hostile.url, "--timeout", "1.5"]) == 2  # cli: an input error
    assert time.monotonic() - start < 10
    assert "timeout" in capsys.readouterr().err


def test_a_trickling_endpoint_stops_validate_with_a_message(hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    # the store is reached but does not finish: said as a timeout (not "cannot reach"), no traceback
    start = time.monotonic()
    assert cli.main(["validate", "--endpoint", hostile.url, "--timeout", "1.5", "-q"]) == 2
    assert time.monotonic() - start < 10
    err = capsys.readouterr().err
    assert "no complete answer within 1.5 s" in err and "--timeout" in err
    assert "cannot reach" not in err and "Traceback" not in err


def test_a_trickling_store_stops_publish_at_the_total_timeout(hostile: Hostile) -> None:
    client = publish.Client(publish.RetryPolicy(attempts=1), timeout=1.5)
    err = _within(10, lambda: client.select(hostile.url, "SELECT * WHERE { ?s ?p ?o }"))
    assert isinstance(err, publish.PublishError) and "no answer" in str(err)


def test_a_trickling_wikidata_stops_the_import_at_the_total_timeout(hostile: Hostile) -> None:
    err = _within(10, lambda: wikidata.run_query(hostile.url, "SELECT ?item WHERE { ?item ?p ?o }", timeout=1))
    assert isinstance(err, wikidata.WikidataError) and "Timeout" in str(err)


@pytest.mark.parametrize("mode", ["announced", "big"])
def test_an_answer_over_the_size_limit_is_refused(hostile: Hostile, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    hostile.mode = mode
    monkeypatch.setenv("COOPKG_LIMIT_ANSWER_BYTES", "100000")
    err = _within(30, lambda: query.EndpointRunner(hostile.url, timeout=20).run("SELECT ?item WHERE { ?item ?p ?o }", {}))
    assert isinstance(err, query.EndpointError) and "COOPKG_LIMIT_ANSWER_BYTES" in str(err)
    err = _within(30, lambda: publish.Client(publish.RetryPolicy(attempts=1), timeout=20).select(hostile.url, "ASK {}"))
    assert isinstance(err, publish.PublishError) and "COOPKG_LIMIT_ANSWER_BYTES" in str(err)
    err = _within(30, lambda: wikidata.run_query(hostile.url, "SELECT ?item WHERE { ?item ?p ?o }", timeout=20))
    assert isinstance(err, wikidata.WikidataError) and "COOPKG_LIMIT_ANSWER_BYTES" in str(err)


def test_an_answer_without_item_fails_the_import_with_a_message(hostile: Hostile, tmp_path, capsys) -> None:
    hostile.mode = "no-item"
    out = tmp_path / "wd.yaml"
    assert cli.main(["import", "wikidata", "--endpoint", hostile.url, "--items", "Q1", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{hostile.url}: the endpoint's answer row 1 [?item, ?other]: not bound (it has ?x)" in err
    assert "Traceback" not in err and not out.exists()
