"""What a store does that the SPARQL standard leaves open, met by coopkg on a real Oxigraph behind
a proxy that plays the store: chunks refused as too large, answers cut at a row cap, a default
graph that is not the published one, a failed upload's staging graph, engine warnings."""

from __future__ import annotations

import json
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest
from test_publish import GRAPH, graph_names
from test_publish import proxy as proxy  # noqa: F401 - the fixture, shared
from test_stores_real import normal, numbers_as_numbers

from coopkg import publications, publish, query
from coopkg.cli import main
from coopkg.store import open_graph

FAST = publish.RetryPolicy(attempts=2, delay=0.01, max_delay=0.02)


@pytest.fixture(scope="module")
def triples(bundled_graph: Path) -> list:
    return list(open_graph(bundled_graph, "oxigraph").triples())


def test_a_chunk_refused_as_too_large_is_sent_again_in_halves(proxy, triples):
    # the store takes at most 700 N-Triples lines a request, like Virtuoso's SQL text limit
    proxy.refuse = lambda method, body: 413 if method in ("PUT", "POST") and body.count(b" .\n") > 700 else None
    result = publish.publish(triples, proxy.endpoints(), GRAPH, publish.Client(FAST), chunk_size=50_000)
    assert result.chunk_size <= 700 and any("too large" in note for note in result.notes)
    assert publish.Client().count(proxy.url + "/query", GRAPH) == result.triples
    assert not any(g.startswith("urn:coopkg:staging:") for g in graph_names(proxy.url))


def test_a_store_that_refuses_every_size_fails_and_drops_the_staging_graph(proxy, triples):
    proxy.refuse = lambda method, body: 413 if method == "POST" and body.startswith(b"<") else None
    with pytest.raises(publish.PublishError, match="staging graph .* was dropped"):
        publish.publish(triples, proxy.endpoints(), GRAPH, publish.Client(FAST), chunk_size=1000)
    assert not graph_names(proxy.url)  # nothing left: no target, no staging graph


def test_an_upload_failing_half_way_leaves_no_staging_graph(proxy, triples):
    publish.publish(triples, proxy.endpoints(), GRAPH, publish.Client(FAST))  # the graph before
    calls = {"n": 0}

    def third_post_fails(method: str, body: bytes) -> int | None:
        if method == "POST" and b"query=" not in body and b"update=" not in body:
            calls["n"] += 1
            return 500 if calls["n"] == 3 else None
        return None

    proxy.refuse = third_post_fails
    with pytest.raises(publish.PublishError, match="was dropped"):
        publish.publish(triples, proxy.endpoints(), GRAPH, publish.Client(FAST), chunk_size=500)
    assert graph_names(proxy.url) == {GRAPH}
    assert publish.Client().count(proxy.url + "/query", GRAPH) == len(set(triples))


def _cap(limit: int):
    """Answer at most ``limit`` rows of any SELECT, silently, as Virtuoso's ResultSetMaxRows does."""
    def transform(method: str, body: bytes, status: int, data: bytes) -> tuple[int, bytes]:
        if status == 200 and b"query=" in body:
            try:
                answer = json.loads(data)
            except ValueError:
                return status, data
            if "results" in answer:
                answer["results"]["bindings"] = answer["results"]["bindings"][:limit]
                return status, json.dumps(answer).encode()
        return status, data
    return transform


def _rows(rows: list) -> Counter:
    """Rows compared as the real-store test does: numbers by value ("25000" and "25000.0" alike)."""
    return Counter(tuple(normal(t) for t in row) for row in rows)


def test_an_answer_cut_at_a_row_cap_is_completed_by_paging(proxy, triples, bundled_store):
    publish.publish(triples, proxy.endpoints(), GRAPH, publish.Client(FAST))
    proxy.transform = _cap(150)
    canned = query.find_query("partnership-sources")  # hundreds of rows at any partnership? use a wide one
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p"
    remote = query.EndpointRunner(proxy.url + "/query", default_graphs=(GRAPH,))
    rows = remote.run(text, {}).rows
    assert len(rows) == len(set(triples)) and remote.pages >= len(rows) // 150
    local = query.LocalRunner(bundled_store).run(text, {}).rows
    assert _rows(rows) == _rows(local)
    # canned queries too: every row of funding-totals' local answer, in order of its ORDER BY keys
    canned = query.find_query("collectivities-by-partners")
    assert _rows(query.run(canned, {}, remote).rows) == _rows(query.run(canned, {}, query.LocalRunner(bundled_store)).rows)


def test_an_answer_cut_at_a_row_cap_that_cannot_be_paged_is_an_error(proxy, triples):
    publish.publish(triples, proxy.endpoints(), GRAPH, publish.Client(FAST))
    cap = _cap(150)

    def no_offset(method: str, body: bytes, status: int, data: bytes) -> tuple[int, bytes]:
        if b"OFFSET" in urllib.parse.unquote_plus(body.decode()).encode():
            return 500, b"Sorted TOP clause specifies more then 10001 rows to sort"
        return cap(method, body, status, data)

    proxy.transform = no_offset
    remote = query.EndpointRunner(proxy.url + "/query", default_graphs=(GRAPH,))
    with pytest.raises(query.EndpointError, match="answered 150 of .* rows .*paging the rest"):
        remote.run("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {})


def test_on_virtuoso_paging_uses_only_the_scrollable_cursor_form(proxy, triples, bundled_store):
    """Virtuoso 7.2 answers ORDER BY ... LIMIT/OFFSET over a grouped sub-query with values of
    other rows put together (collectivities-by-partners at 2,000 partnerships): there the
    pages are the ordered query as a sub-query, never the standard form."""
    publish.publish(triples, proxy.endpoints(), GRAPH, publish.Client(FAST))
    cap = _cap(150)
    sent: list[str] = []

    def record(method: str, body: bytes, status: int, data: bytes) -> tuple[int, bytes]:
        sent.append(urllib.parse.unquote_plus(body.decode()))
        return cap(method, body, status, data)

    proxy.transform = record
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p"  # thousands of rows, a cap of 150
    expected = _rows(query.LocalRunner(bundled_store).run(text, {}).rows)
    for engine, standard_tried in (("virtuoso", False), ("", True)):
        sent.clear()
        remote = query.EndpointRunner(proxy.url + "/query", default_graphs=(GRAPH,), engine=engine)
        assert _rows(remote.run(text, {}).rows) == expected and remote.pages >= 1
        pages = [text for text in sent if "OFFSET" in text]
        assert pages and any("SELECT * WHERE" not in text for text in pages) == standard_tried, engine


def test_names_are_resolved_past_a_row_cap(proxy, triples, bundled_store):
    publish.publish(triples, proxy.endpoints(), GRAPH, publish.Client(FAST))
    proxy.transform = _cap(100)  # fewer rows than the bundled data has labels of collectivities
    remote = query.EndpointRunner(proxy.url + "/query", default_graphs=(GRAPH,))
    local = query.LocalRunner(bundled_store)
    names = local.run("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX coop: <https://w3id.org/coopkg/ontology#> "
                      "SELECT ?c ?l WHERE { ?c a coop:Collectivity ; rdfs:label ?l } ORDER BY DESC(?l)", {}).rows
    iri, label = names[0]  # the last in label order: beyond the first 100 rows of an unordered answer too
    assert query.resolve(remote, "collectivity", str(iri).rsplit("/", 1)[-1]) == iri
    assert remote.pages >= 1


def test_query_on_the_endpoint_reads_the_published_graph_with_no_flag(oxigraph_server, bundled_graph, tmp_path,
                                                                       capsys):
    endpoint = oxigraph_server.query_url
    # Oxigraph's default graph holds only unnamed triples: without the record, nothing is found
    assert main(["publish", "--endpoint", endpoint, "--graph", str(bundled_graph), "--graph-iri", GRAPH,
                 "--no-record", "-q"]) == 0
    capsys.readouterr()
    assert main(["query", "partnerships-per-kind", "--endpoint", endpoint, "--format", "csv"]) == 0
    out = capsys.readouterr()
    assert out.out.strip().count("\n") == 0  # the header only
    assert f"--default-graph {GRAPH}" in out.err and "named graphs hold partnerships" in out.err
    # published with the record (the default): the same rows as the local graph, no flag
    assert main(["publish", "--endpoint", endpoint, "--graph", str(bundled_graph), "--graph-iri", GRAPH, "-q"]) == 0
    assert publications.lookup(endpoint)["graph"] == GRAPH
    capsys.readouterr()
    for name in ("partnerships-per-kind", "funding-totals"):
        assert main(["query", name, "--endpoint", endpoint, "--format", "csv"]) == 0
        remote = capsys.readouterr().out
        assert main(["query", name, "--graph", str(bundled_graph), "--format", "csv"]) == 0
        assert sorted(map(numbers_as_numbers, remote.splitlines())) == sorted(
            map(numbers_as_numbers, capsys.readouterr().out.splitlines()))
    # --store-default-graph asks the store's own default graph (empty here)
    assert main(["query", "partnerships-per-kind", "--endpoint", endpoint, "--store-default-graph", "--format",
                 "csv"]) == 0
    assert capsys.readouterr().out.strip().count("\n") == 0


def test_with_the_default_graph_iri_no_record_is_needed(oxigraph_server, bundled_graph):
    assert main(["publish", "--endpoint", oxigraph_server.query_url, "--graph", str(bundled_graph), "--no-record",
                 "-q"]) == 0
    graphs, why = query.choose_graphs(oxigraph_server.query_url)
    assert graphs == (publish.DEFAULT_GRAPH_IRI,) and "found in the store" in why


def test_a_query_says_which_engine_it_does_not_support(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("# title: t\n# engines:\n#   virtuoso: miscounts\nSELECT ?s WHERE { ?s ?p ?o }\n")
    assert query.load_query_file(path, require_header=False).engines == {"virtuoso": "miscounts"}
    path.write_text("# title: t\n# engines:\n#   nosuchstore: x\nSELECT ?s WHERE { ?s ?p ?o }\n")
    with pytest.raises(query.QueryError, match=r"\[engines\]"):
        query.load_query_file(path, require_header=False)


def test_without_geosparql_leaves_out_only_the_binds_that_call_it():
    text = query.find_query("partnership-geography").text
    stripped, columns = query.without_geosparql(text)
    assert columns == ["distanceKm"]
    assert "geof:distance" not in query.strip_comments(stripped)
    assert stripped.count("BIND") == text.count("BIND") - 1  # the coordinates' BINDs stay
    # the full IRI form too; a string or a prefix bound elsewhere is no call
    full = 'SELECT ?d ?e WHERE { BIND (<http://www.opengis.net/def/function/geosparql/distance>(?a, ?b) AS ?d) ' \
           'BIND ("geof:distance" AS ?e) }'
    assert query.without_geosparql(full)[1] == ["d"]
    assert query.without_geosparql("PREFIX geof: <http://example.org/> SELECT ?d WHERE { BIND (geof:f(1) AS ?d) }")[1] \
        == []


def test_a_store_with_geosparql_gets_the_distance(oxigraph_server, bundled_graph):
    # Oxigraph's server computes geof:distance: nothing is left out, no warning
    assert main(["publish", "--endpoint", oxigraph_server.query_url, "--graph", str(bundled_graph), "-q"]) == 0
    remote = query.EndpointRunner(oxigraph_server.query_url, default_graphs=query.choose_graphs(
        oxigraph_server.query_url)[0])
    answer = query.run(query.find_query("partnership-geography"), {}, remote)
    assert remote.geosparql is True and not remote.emptied and not remote.warnings
    assert answer.rows and all(row[-1] is not None for row in answer.rows)


def test_paging_orders_every_row_totally():
    text = "PREFIX x: <http://x/>\nSELECT ?a ?b WHERE { ?a x:p ?b }\nORDER BY DESC(?b)"
    assert query.total_order(text, ["a", "b"]).endswith("ORDER BY DESC(?b) ?a ?b")
    assert query.total_order("SELECT ?a WHERE { ?a ?p ?o }", ["a"]).endswith("ORDER BY ?a")
    with pytest.raises(query.QueryError):
        query.total_order("SELECT ?a WHERE { ?a ?p ?o } LIMIT 5", ["a"])


def test_serve_suggests_a_query_that_runs(bundled_graph, capsys):
    from coopkg import resources
    from coopkg.commands.serve import _runnable_example

    command = _runnable_example([p.stem for p in resources.files("queries", "*.rq")])
    words = command.split()
    assert words[:2] == ["coopkg", "query"]
    assert main(words[1:] + ["--graph", str(bundled_graph), "--format", "csv"]) == 0
