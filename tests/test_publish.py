"""Publishing into a real Oxigraph server: the graph arrives whole, canned queries give the local
rows, a second publish changes nothing, and a failure at any step leaves the earlier graph intact."""

from __future__ import annotations

import base64
import hashlib
import http.client
import re
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from coopkg import build, publish, resources
from coopkg.cli import main
from coopkg.server import OxigraphServer, start_oxigraph
from coopkg.store import open_graph, to_ox

FIXTURES = Path(__file__).parent / "fixtures" / "export"
GRAPH = "https://example.org/graph/coopkg"
FAST = publish.RetryPolicy(attempts=3, delay=0.01, max_delay=0.02)


# -- a small real HTTP proxy in front of Oxigraph -------------------------------------------
def _read_chunked(stream: Any) -> bytes:
    """A body sent with ``Transfer-Encoding: chunked`` (RFC 9112 section 7.1), whole."""
    out = bytearray()
    while True:
        size = int(stream.readline().split(b";")[0].strip(), 16)
        if size == 0:
            while stream.readline().strip():  # trailer fields, then the empty line
                pass
            return bytes(out)
        out += stream.read(size)
        stream.readline()  # the CRLF after the chunk


class Proxy:
    """Forwards every request to Oxigraph; can answer N-th requests itself, or run a hook."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.count = 0
        self.answer: dict[int, int] = {}  # request number -> status to answer instead of forwarding
        self.before: dict[int, Callable[[], None]] = {}  # request number -> run before forwarding
        self.authorizations: list[str | None] = []
        # ("Basic" or "Digest", user, password): answer 401 with that challenge unless the
        # request carries the right credentials, checked as the scheme's RFC says
        self.challenge: tuple[str, str, str] | None = None
        # (method, request body, upstream status, upstream body) -> (status, body) to answer
        self.transform: Callable[[str, bytes, int, bytes], tuple[int, bytes]] | None = None
        self.refuse: Callable[[str, bytes], int | None] | None = None  # (method, body) -> status to refuse with
        self.lines: list[str] = []
        self.chunked: list[bool] = []  # whether each request's body came in chunks (Transfer-Encoding)
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                chunked = (self.headers.get("Transfer-Encoding") or "").lower() == "chunked"
                body = _read_chunked(self.rfile) if chunked else self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with proxy._lock:
                    proxy.count += 1
                    n = proxy.count
                    proxy.chunked.append(chunked)
                    proxy.authorizations.append(self.headers.get("Authorization"))
                    proxy.lines.append(f"{self.command} {self.path.split('?')[0]}")
                if n in proxy.before:
                    proxy.before[n]()
                if n in proxy.answer:
                    self._reply(proxy.answer[n], b"injected failure", "text/plain")
                    return
                refused = proxy.refuse(self.command, body) if proxy.refuse else None
                if refused:
                    self._reply(refused, b"Request Entity Too Large: SP031 generated SQL text has exceeded 10000 lines"
                                if refused == 413 else b"injected failure", "text/plain")
                    return
                if proxy.challenge and not _authorised(proxy.challenge, self.command, self.path,
                                                       self.headers.get("Authorization")):
                    scheme = proxy.challenge[0]
                    extra = (', nonce="n0nce", qop="auth", algorithm="MD5", opaque="0p"' if scheme == "Digest" else "")
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", f'{scheme} realm="SPARQL"{extra}')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=30)
                    conn.request(self.command, self.path, body=body or None, headers=headers)
                    answer = conn.getresponse()
                    data = answer.read()
                    conn.close()
                except OSError:
                    self._reply(502, b"upstream unreachable", "text/plain")
                    return
                if proxy.transform is not None:
                    status, data = proxy.transform(self.command, body, answer.status, data)
                    self._reply(status, data, answer.getheader("Content-Type") or "text/plain")
                    return
                self._reply(answer.status, data, answer.getheader("Content-Type") or "text/plain")

            def _reply(self, status: int, data: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def endpoints(self, graph_store: bool = True) -> publish.Endpoints:
        return publish.Endpoints(self.url + "/query", self.url + "/update", [self.url + "/store"] if graph_store else [])

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _authorised(challenge: tuple[str, str, str], method: str, path: str, header: str | None) -> bool:
    scheme, user, password = challenge
    if not header:
        return False
    if scheme == "Basic":
        return header == "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    if not header.startswith("Digest "):
        return False
    fields = {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', header[7:])}
    md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731, S324 - RFC 7616's MD5
    ha1 = md5(f"{user}:SPARQL:{password}")
    ha2 = md5(f"{method}:{fields.get('uri')}")
    expected = md5(f"{ha1}:n0nce:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
    return fields.get("username") == user and fields.get("uri") == path and fields.get("response") == expected


@pytest.fixture
def proxy(oxigraph_server: OxigraphServer) -> Iterator[Proxy]:
    p = Proxy(oxigraph_server.port)
    yield p
    p.close()


# -- helpers ------------------------------------------------------------------------------------
def _canonical(triples) -> set[str]:
    """Triples as an Oxigraph server stores them (lang tags lower-cased, "25000.0"^^xsd:decimal
    as "25000"): a plain pyoxigraph store makes the same canonical forms. coopkg's own store
    keeps the forms as written (docs/time.md), so its triples are compared through this."""
    plain = ox.Store()
    plain.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples])
    return {str(ox.Triple(q.subject, q.predicate, q.object)) for q in plain}


def graph_content(server_url: str, graph: str) -> set[str]:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(server_url + "/query", data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "application/n-triples",
                                              "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - loopback
        data = answer.read()
    return {str(ox.Triple(q.subject, q.predicate, q.object)) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)}


def graph_names(server_url: str) -> set[str]:
    rows = publish.Client().select(server_url + "/query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {row["g"]["value"] for row in rows}


@pytest.fixture(scope="module")
def bundled_triples(bundled_graph: Path) -> list:
    return list(open_graph(bundled_graph, "oxigraph").triples())


@pytest.fixture(scope="module")
def other_triples() -> list:
    loaded = build.load([FIXTURES / "two-sources.yaml"])
    return build.graph_triples(loaded.records)


# -- the happy path -------------------------------------------------------------------------
def test_publish_bundled_graph_queries_match_local_and_republish_is_idempotent(
        oxigraph_server, bundled_graph, bundled_store, bundled_triples):
    url = oxigraph_server.query_url
    code = main(["publish", "--endpoint", url, "--graph-iri", GRAPH, "--graph", str(bundled_graph), "-q"])
    assert code == 0
    published = graph_content(oxigraph_server.url, GRAPH)
    assert published == _canonical(bundled_triples)
    assert graph_names(oxigraph_server.url) == {GRAPH}  # no staging graph left behind

    _run_every_canned_query(url, bundled_store)

    code = main(["publish", "--endpoint", url, "--graph-iri", GRAPH, "--graph", str(bundled_graph), "-q"])
    assert code == 0
    assert publish.Client().count(url, GRAPH) == len(published)
    assert graph_content(oxigraph_server.url, GRAPH) == published
    assert graph_names(oxigraph_server.url) == {GRAPH}


def _run_every_canned_query(endpoint: str, local) -> None:
    """Every queries/*.rq through the endpoint (the published graph as default graph) and locally."""
    from SPARQLWrapper import JSON, SPARQLWrapper

    queries = resources.files("queries", "*.rq")
    assert queries, "no canned queries found"
    for path in queries:
        text = path.read_text(encoding="utf-8")
        wrapper = SPARQLWrapper(endpoint)
        wrapper.addDefaultGraph(GRAPH)
        wrapper.setReturnFormat(JSON)
        # SPARQLWrapper guesses the query type from the text and is fooled by words such as
        # "add" or "ask" in the header comments: send the query without its comment lines.
        wrapper.setQuery("\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
        answer = wrapper.queryAndConvert()
        local_answer = local.query(text)
        if "boolean" in answer:
            assert answer["boolean"] == local_answer, path.name
            continue
        names = answer["head"]["vars"]
        remote_rows = sorted(tuple(_key(_term(b.get(v))) for v in names) for b in answer["results"]["bindings"])
        local_rows = sorted(tuple(_key(t) for t in row) for row in local_answer.rows)
        assert names == local_answer.variables, path.name
        assert remote_rows == local_rows, path.name


def _term(binding: dict | None):
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


_NUMBERS = {"http://www.w3.org/2001/XMLSchema#" + t for t in ("decimal", "integer", "double", "float", "int", "long")}


def _key(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:b"  # blank node labels differ between stores
    if isinstance(term, Literal) and str(term.datatype) in _NUMBERS:
        # numbers compared as numbers: a server answers Oxigraph's canonical "25000", coopkg's
        # store the form the graph wrote, "25000.0" (docs/time.md, literals as written)
        from decimal import Decimal, InvalidOperation

        try:
            return f"number:{Decimal(str(term)).normalize()}"
        except InvalidOperation:
            return term.n3()
    return term.n3()


def test_coopkg_query_endpoint_gives_the_local_rows_for_every_canned_query(tmp_path, bundled_graph, bundled_store):
    """`coopkg query NAME --endpoint` (coopkg.query's EndpointRunner) on a store whose default
    graph is the union of its named graphs (GraphDB's default, Fuseki's unionDefaultGraph)."""
    from datetime import date

    from coopkg import query

    with start_oxigraph(tmp_path / "db", union_default_graph=True) as server:
        assert main(["publish", "--endpoint", server.query_url, "--graph-iri", GRAPH,
                     "--graph", str(bundled_graph), "-q"]) == 0
        remote, local = query.EndpointRunner(server.query_url), query.LocalRunner(bundled_store)
        today = date(2026, 11, 24)
        catalogue = query.catalogue()
        assert catalogue
        compared = 0
        for name, canned in catalogue.items():
            values = {p.name: p.example for p in canned.parameters if p.example is not None}
            expected = query.run(canned, values, local, today=today)
            got = query.run(canned, values, remote, today=today)
            if isinstance(expected, bool):
                assert got == expected, name
                continue
            assert got.variables == expected.variables, name
            assert sorted(tuple(map(_key, r)) for r in got.rows) == sorted(tuple(map(_key, r)) for r in expected.rows), name
            compared += bool(expected.rows)
        assert compared >= len(catalogue) // 2  # most examples find rows in the bundled data


def test_update_only_store_gets_the_same_graph(oxigraph_server, other_triples):
    endpoints = publish.Endpoints(oxigraph_server.query_url, oxigraph_server.update_url, [])
    result = publish.publish(other_triples, endpoints, GRAPH, publish.Client(FAST), chunk_size=300)
    assert result.method == "update" and result.swap == "copy"  # Oxigraph, seen in its Server header: COPY, then DROP
    assert graph_content(oxigraph_server.url, GRAPH) == _canonical(other_triples)
    assert graph_names(oxigraph_server.url) == {GRAPH}


def test_graph_store_only_store_swaps_with_one_put(oxigraph_server, proxy, bundled_triples, other_triples):
    publish.publish(bundled_triples, proxy.endpoints(), GRAPH, publish.Client(FAST))
    endpoints = proxy.endpoints()
    endpoints.update = proxy.url + "/no-update-here"  # Oxigraph answers 404: no SPARQL Update
    result = publish.publish(other_triples, endpoints, GRAPH, publish.Client(FAST), chunk_size=500)
    assert result.method == "graph-store" and result.swap == "put"
    assert graph_content(oxigraph_server.url, GRAPH) == _canonical(other_triples)
    assert graph_names(oxigraph_server.url) == {GRAPH}


# -- failures ---------------------------------------------------------------------------------
def test_on_oxigraph_a_500_at_any_request_leaves_the_earlier_graph_or_the_new_one_whole(
        oxigraph_server, proxy, bundled_triples, other_triples):
    """Oxigraph's way (bulk-loaded staging graph, COPY, then DROP apart): a failure before the
    COPY keeps the earlier graph; one after it leaves the new graph in, and no staging graph."""
    def endpoints() -> publish.Endpoints:
        e = proxy.endpoints()
        e.kind = "oxigraph"  # the proxy hides the Server header
        return e

    before, after = _canonical(bundled_triples), _canonical(other_triples)
    publish.publish(bundled_triples, endpoints(), GRAPH, publish.Client(FAST))
    start = proxy.count
    result = publish.publish(other_triples, endpoints(), GRAPH + "-scratch", publish.Client(FAST), chunk_size=400,
                             strategy="stage")
    assert result.swap == "copy"
    total = proxy.count - start
    for n in range(1, total + 1):
        publish.publish(bundled_triples, endpoints(), GRAPH, publish.Client(FAST))
        proxy.answer = {proxy.count + n: 500}
        try:
            publish.publish(other_triples, endpoints(), GRAPH, publish.Client(FAST), chunk_size=400, strategy="stage")
        except publish.PublishError as failure:
            content = graph_content(oxigraph_server.url, GRAPH)
            assert content == (after if failure.swapped else before), f"request {n} of {total} failed"
        else:  # the failed request was the staging graph's drop, done again another way
            assert graph_content(oxigraph_server.url, GRAPH) == after
        assert graph_names(oxigraph_server.url) == {GRAPH, GRAPH + "-scratch"}, f"request {n} of {total}"
    proxy.answer = {}


@pytest.mark.parametrize(("graph_store", "strategy"), [(True, "stage"), (False, "stage"), (True, "put")],
                         ids=["graph-store", "update", "put"])
def test_a_500_at_any_request_leaves_the_earlier_graph_intact(oxigraph_server, proxy, bundled_triples,
                                                              other_triples, graph_store, strategy):
    before = _canonical(bundled_triples)
    after = _canonical(other_triples)
    publish.publish(bundled_triples, proxy.endpoints(graph_store), GRAPH, publish.Client(FAST))
    # How many requests a successful publish makes, on a scratch graph (the sequence is fixed).
    start = proxy.count
    publish.publish(other_triples, proxy.endpoints(graph_store), GRAPH + "-scratch", publish.Client(FAST),
                    chunk_size=400, strategy=strategy)
    total = proxy.count - start
    assert total >= (2 if strategy == "put" else 6)  # upload chunks, counts, the swap
    for n in range(1, total + 1):
        proxy.answer = {proxy.count + n: 500}
        with pytest.raises(publish.PublishError) as failure:
            publish.publish(other_triples, proxy.endpoints(graph_store), GRAPH, publish.Client(FAST), chunk_size=400,
                            strategy=strategy)
        content = graph_content(oxigraph_server.url, GRAPH)
        if failure.value.swapped:  # only the final count failed: the new graph is in, whole
            assert n == total and content == after
        else:
            assert content == before, f"request {n} of {total} failed and the graph changed"
        assert GRAPH in graph_names(oxigraph_server.url)
    proxy.answer = {}


def test_on_oxigraph_the_default_is_one_streamed_put_and_a_failure_keeps_the_earlier_graph(
        oxigraph_server, proxy, bundled_triples, other_triples):
    """Oxigraph (its Server header): one PUT of the whole graph, sent chunked, onto the target,
    then its count; no staging graph. A 500 at either request keeps the earlier graph, or (the
    count) says the new one is in."""
    result = publish.publish(bundled_triples, publish.Endpoints.guess(oxigraph_server.query_url), GRAPH)
    assert (result.store, result.method, result.swap) == ("oxigraph", "graph-store", "put")
    assert graph_content(oxigraph_server.url, GRAPH) == _canonical(bundled_triples)
    assert graph_names(oxigraph_server.url) == {GRAPH}  # no staging graph made

    def endpoints() -> publish.Endpoints:
        e = proxy.endpoints()
        e.kind = "oxigraph"  # the proxy hides the Server header
        return e

    start = proxy.count
    publish.publish(other_triples, endpoints(), GRAPH, publish.Client(FAST), detect=False)
    assert proxy.count - start == 2  # the PUT and the count
    assert proxy.chunked[start] and proxy.lines[start] == "PUT /store"  # streamed, never held whole
    assert graph_content(oxigraph_server.url, GRAPH) == _canonical(other_triples)
    for n, swapped in ((1, False), (2, True)):
        publish.publish(bundled_triples, endpoints(), GRAPH, publish.Client(FAST), detect=False)
        proxy.answer = {proxy.count + n: 500}
        with pytest.raises(publish.PublishError) as failure:
            publish.publish(other_triples, endpoints(), GRAPH, publish.Client(FAST), detect=False)
        assert failure.value.swapped == swapped
        assert graph_content(oxigraph_server.url, GRAPH) == _canonical(other_triples if swapped else bundled_triples)
        assert graph_names(oxigraph_server.url) == {GRAPH}
    # every attempt's answer lost (502): the PUT may or may not have been applied, and the error says so
    proxy.answer = {proxy.count + n: 502 for n in range(1, FAST.attempts + 1)}
    with pytest.raises(publish.PublishError) as failure:
        publish.publish(other_triples, endpoints(), GRAPH, publish.Client(FAST), detect=False)
    assert failure.value.in_doubt and not failure.value.swapped
    assert "either the earlier or the new graph" in str(failure.value)
    proxy.answer = {}


def test_the_put_strategy_relies_on_a_put_being_one_transaction(oxigraph_server, bundled_triples, other_triples):
    """A PUT whose body breaks on its last line changes nothing: the store applied it whole or not at all."""
    publish.publish(bundled_triples, publish.Endpoints.guess(oxigraph_server.query_url), GRAPH, strategy="put")
    body = "".join(line for part in publish.chunks(other_triples, 10**6) for line in part) + "<urn:x> <urn:y> broken .\n"
    url = oxigraph_server.store_url + "?graph=" + urllib.parse.quote(GRAPH, safe="")
    with pytest.raises(publish.HttpError) as failure:
        publish.Client(FAST).send("PUT", url, body.encode(), "application/n-triples")
    assert failure.value.status == 400
    assert graph_content(oxigraph_server.url, GRAPH) == _canonical(bundled_triples)
    result = publish.publish(other_triples, publish.Endpoints.guess(oxigraph_server.query_url), GRAPH, strategy="put")
    assert (result.method, result.swap) == ("graph-store", "put")
    assert graph_content(oxigraph_server.url, GRAPH) == _canonical(other_triples)
    assert graph_names(oxigraph_server.url) == {GRAPH}  # no staging graph


def test_server_stopped_mid_way_leaves_the_earlier_graph_intact(tmp_path, bundled_triples, other_triples):
    location = tmp_path / "db"
    server = start_oxigraph(location)
    proxy = Proxy(server.port)
    try:
        publish.publish(bundled_triples, proxy.endpoints(), GRAPH, publish.Client(FAST))
        proxy.before = {proxy.count + 3: server.stop}  # the server dies during the upload
        with pytest.raises(publish.PublishError) as failure:
            publish.publish(other_triples, proxy.endpoints(), GRAPH, publish.Client(FAST), chunk_size=300)
        assert not failure.value.swapped
        assert "502" in str(failure.value) or "no answer" in str(failure.value)
    finally:
        proxy.close()
        server.stop()
    with start_oxigraph(location) as again:
        assert graph_content(again.url, GRAPH) == _canonical(bundled_triples)


def test_transient_failures_are_retried(oxigraph_server, proxy, other_triples):
    proxy.answer = {1: 503, 3: 502, 4: 429}
    client = publish.Client(FAST)
    result = publish.publish(other_triples, proxy.endpoints(), GRAPH, client, chunk_size=500)
    assert result.triples == len(_canonical(other_triples))
    assert client.requests == proxy.count
    assert graph_content(oxigraph_server.url, GRAPH) == _canonical(other_triples)


def test_retries_are_bounded(oxigraph_server, proxy, other_triples):
    proxy.answer = {n: 503 for n in range(1, 50)}
    with pytest.raises(publish.PublishError, match="503"):
        # detect=False: the first request is the upload (not the ASK asking what the store is)
        publish.publish(other_triples, proxy.endpoints(), GRAPH, publish.Client(FAST), detect=False)
    # the attempts, then the drop of whatever was staged: by Graph Store DELETE, then (refused too) by DROP
    assert proxy.count == FAST.attempts + 2
    assert graph_names(oxigraph_server.url) == set()


def test_publish_refuses_an_empty_graph(oxigraph_server):
    with pytest.raises(publish.PublishError, match="empty"):
        publish.publish([], publish.Endpoints.guess(oxigraph_server.query_url), GRAPH)


# -- credentials ------------------------------------------------------------------------------
@pytest.mark.parametrize("scheme", ["Basic", "Digest"])
def test_credentials_come_from_the_environment_and_are_never_printed(proxy, bundled_graph, monkeypatch, capsys,
                                                                     scheme):
    secret = "s3cret-Pa55word"
    monkeypatch.setenv(publish.ENV_USER, "portal")
    monkeypatch.setenv(publish.ENV_PASSWORD, secret)
    monkeypatch.delenv(publish.ENV_TOKEN, raising=False)
    monkeypatch.delenv("COOPKG_SPARQL_AUTH", raising=False)
    proxy.challenge = (scheme, "portal", secret)
    assert main(["publish", "--endpoint", proxy.url + "/query", "--graph", str(bundled_graph)]) == 0
    basic = "Basic " + base64.b64encode(f"portal:{secret}".encode()).decode()
    sent = [a for a in proxy.authorizations if a]
    assert sent and all(a.startswith(scheme + " ") for a in sent)
    if scheme == "Digest":
        assert basic not in proxy.authorizations  # never Basic to a store that asks for Digest
    else:  # Basic goes at once once the store accepted it: one challenge only
        assert proxy.authorizations.count(None) == 1 and set(sent) == {basic}
    # a failing run does not print them either
    proxy.answer = {proxy.count + 3: 500}
    assert main(["publish", "--endpoint", proxy.url + "/query", "--graph", str(bundled_graph), "--retries", "0"]) == 1
    # wrong password: refused with a message that does not show it
    monkeypatch.setenv(publish.ENV_PASSWORD, "wrong-" + secret)
    proxy.answer = {}
    assert main(["publish", "--endpoint", proxy.url + "/query", "--graph", str(bundled_graph), "-q"]) == 1
    assert "credentials were refused" in capsys.readouterr().err
    proxy.challenge = None
    monkeypatch.setenv(publish.ENV_TOKEN, "t0ken-xyz")
    assert main(["publish", "--endpoint", proxy.url + "/query", "--graph", str(bundled_graph), "-q"]) == 0
    assert proxy.authorizations[-1] == "Bearer t0ken-xyz"
    out = capsys.readouterr()
    for text in (out.out, out.err):
        assert secret not in text and "t0ken-xyz" not in text
        assert base64.b64encode(f"portal:{secret}".encode()).decode() not in text


def test_no_credentials_for_a_store_that_asks_says_which_to_set(proxy, bundled_graph, monkeypatch, capsys):
    for name in (publish.ENV_USER, publish.ENV_PASSWORD, publish.ENV_TOKEN):
        monkeypatch.delenv(name, raising=False)
    proxy.challenge = ("Digest", "portal", "x")
    assert main(["publish", "--endpoint", proxy.url + "/query", "--graph", str(bundled_graph), "-q"]) == 1
    err = capsys.readouterr().err
    assert "HTTP 401" in err and "COOPKG_SPARQL_USER" in err and "Digest" in err


def test_credentials_in_the_url_are_refused(capsys):
    assert main(["publish", "--endpoint", "http://user:pw@127.0.0.1:9/query"]) == 2
    err = capsys.readouterr().err
    assert "COOPKG_SPARQL_USER" in err and "pw@" not in err


# -- endpoint guessing --------------------------------------------------------------------------
def test_endpoints_are_guessed_for_oxigraph_fuseki_and_graphdb():
    ox_ = publish.Endpoints.guess("http://127.0.0.1:7878/query")
    assert ox_.update == "http://127.0.0.1:7878/update"
    assert ox_.stores == ["http://127.0.0.1:7878/store", "http://127.0.0.1:7878/data"]
    fuseki = publish.Endpoints.guess("http://localhost:3030/coop/query")
    assert fuseki.update == "http://localhost:3030/coop/update" and "http://localhost:3030/coop/data" in fuseki.stores
    graphdb = publish.Endpoints.guess("http://localhost:7200/repositories/coop")
    assert graphdb.update == "http://localhost:7200/repositories/coop/statements"
    assert graphdb.stores == ["http://localhost:7200/repositories/coop/rdf-graphs/service"]
    virtuoso = publish.Endpoints.guess("http://localhost:8890/sparql")
    assert virtuoso.update == "http://localhost:8890/sparql" and virtuoso.stores == []
    explicit = publish.Endpoints.guess("http://h/q", update="http://h/u", store="http://h/s")
    assert (explicit.update, explicit.stores) == ("http://h/u", ["http://h/s"])


def test_chunks_keep_blank_node_triples_together():
    s = URIRef("https://example.org/s")
    b = BNode("b1")
    triples = [(s, URIRef(f"https://example.org/p{i}"), Literal(i)) for i in range(10)]
    triples += [(s, URIRef("https://example.org/q"), b), (b, URIRef("https://example.org/r"), Literal("x"))]
    parts = publish.chunks(triples, 3)
    assert sum(len(p) for p in parts) == 12
    assert sum(any("_:b1" in line for line in part) for part in parts) == 1
