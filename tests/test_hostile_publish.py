"""A publish that fails at any request leaves no staging graph behind (a fault-injecting proxy
in front of a real Oxigraph server answers the N-th request with an error).

On a store whose default graph is the union of its named graphs, a half-filled staging
graph left by a failed upload showed as data (12 agreements instead of 11).
"""

from __future__ import annotations

import pytest
from test_publish import FAST, GRAPH, Proxy, graph_names  # the proxy and helpers of the publish tests

from coopkg import build, publish
from coopkg.server import OxigraphServer


@pytest.fixture
def proxy(oxigraph_server: OxigraphServer):
    p = Proxy(oxigraph_server.port)
    yield p
    p.close()


@pytest.fixture(scope="module")
def triples() -> list:
    from pathlib import Path

    loaded = build.load([Path(__file__).parent / "fixtures" / "export" / "two-sources.yaml"])
    return build.graph_triples(loaded.records)


@pytest.mark.parametrize("graph_store", [True, False], ids=["graph-store", "update-only"])
@pytest.mark.parametrize("status", [500, 503])
def test_no_staging_graph_survives_a_failed_publish(oxigraph_server, proxy, triples, graph_store, status):
    staging = publish.staging_iri(GRAPH)
    start = proxy.count
    publish.publish(triples, proxy.endpoints(graph_store), GRAPH + "-scratch", publish.Client(FAST), chunk_size=300)
    total = proxy.count - start
    failed = 0
    for n in range(1, total + 1):
        # every attempt at request n fails (its retries too): the publish breaks there
        attempts = FAST.attempts if status in publish.TRANSIENT_STATUS else 1
        proxy.answer = {proxy.count + n + k: status for k in range(attempts)}
        try:  # a transient status may be recovered from (the swap checks counts): either way, no staging left
            publish.publish(triples, proxy.endpoints(graph_store), GRAPH, publish.Client(FAST), chunk_size=300)
        except publish.PublishError:
            failed += 1
        proxy.answer = {}
        assert staging not in graph_names(oxigraph_server.url), f"request {n} of {total} failed: staging graph left"
    assert failed >= total - 2  # nearly every injected failure is a failed publish
