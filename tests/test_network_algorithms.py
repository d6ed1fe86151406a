"""The network metrics' own algorithms give networkx's numbers, and the projection's
shortcuts (pyoxigraph terms, the paused collector, funders' names) change no answer.

coopkg.network.algorithms follows networkx step for step so that `coopkg network stats`
prints what networkx would; these tests compare the two on random graphs with parallel
edges and self-loops, and on the bundled network.
"""

from __future__ import annotations

import gc
import random
from decimal import Decimal

import networkx as nx
import pytest

from coopkg.build import graph_triples
from coopkg.network import algorithms, metrics, project, simple_graph
from coopkg.records import Agreement, Collectivity, Funding, Label, Partnership, Party
from coopkg.store import from_triples

NX_VERSION = tuple(int(part) for part in nx.__version__.split(".")[:2])


def _random_multigraph(seed: int) -> nx.MultiGraph:
    rng = random.Random(seed)
    graph = nx.MultiGraph()
    size = rng.randint(2, 120)
    names = [f"n{rng.randint(0, 10**6)}-{i}" for i in range(size)]  # insertion order unlike sorted order
    graph.add_nodes_from(names)
    for i in range(rng.randint(0, 3 * size)):
        a, b = rng.choice(names), rng.choice(names)
        if a != b or seed % 4 == 0:  # some graphs with self-loops
            graph.add_edge(a, b, key=f"l{i}")
    return graph


GRAPHS = [_random_multigraph(seed) for seed in range(24)]


@pytest.fixture(scope="module")
def bundled_actors(bundled_store) -> nx.MultiGraph:
    return project(bundled_store).actors


def _cases(bundled_actors: nx.MultiGraph) -> list[nx.MultiGraph]:
    return [bundled_actors, *GRAPHS]


def test_the_indexed_graph_is_the_simple_graph(bundled_actors):
    for graph in _cases(bundled_actors):
        indexed = algorithms.from_multigraph(graph)
        simple = simple_graph(graph)
        assert indexed.nodes == list(simple)
        # same neighbours in the same order: networkx breaks ties by that order
        assert [[(indexed.nodes[j], w) for j, w in row.items()] for row in indexed.adj] == \
               [[(v, d["weight"]) for v, d in simple[u].items()] for u in simple]
        assert [indexed.degree(i) for i in range(len(indexed.nodes))] == [simple.degree(u) for u in simple]
        assert [indexed.weighted_degree(i) for i in range(len(indexed.nodes))] == [graph.degree(u) for u in simple]
        assert indexed.number_of_edges() == simple.number_of_edges()


def test_exact_betweenness_is_networkx_to_the_last_bit(bundled_actors):
    for graph in _cases(bundled_actors):
        indexed = algorithms.from_multigraph(graph)
        expected = nx.betweenness_centrality(simple_graph(graph), normalized=True)
        assert dict(zip(indexed.nodes, algorithms.betweenness(indexed), strict=True)) == expected


@pytest.mark.skipif(NX_VERSION < (3, 6), reason="networkx rescaled sampled betweenness differently before 3.6")
def test_sampled_betweenness_draws_networkx_pivots(bundled_actors):
    for graph in _cases(bundled_actors):
        indexed = algorithms.from_multigraph(graph)
        for k in {1, 2, len(indexed.nodes) // 2, len(indexed.nodes)} - {0}:
            expected = nx.betweenness_centrality(simple_graph(graph), k=k, normalized=True, seed=5)
            found = dict(zip(indexed.nodes, algorithms.betweenness(indexed, k=k, seed=5), strict=True))
            assert found.keys() == expected.keys()
            assert all(found[n] == expected[n] or (found[n] != found[n] and expected[n] != expected[n]) for n in found)  # NaN


def test_louvain_and_modularity_are_networkx(bundled_actors):
    for graph in _cases(bundled_actors):
        simple = simple_graph(graph)
        if not simple.number_of_edges():
            continue
        indexed = algorithms.from_multigraph(graph)
        for seed in (0, 42):
            expected = sorted(sorted(c) for c in nx.community.louvain_communities(simple, weight="weight", seed=seed))
            found = sorted(sorted(indexed.nodes[i] for i in c) for c in algorithms.louvain(indexed, seed))
            assert found == expected
            index = {node: i for i, node in enumerate(indexed.nodes)}
            assert algorithms.modularity(indexed.adj, [[index[n] for n in c] for c in expected]) == \
                nx.community.modularity(simple, expected, weight="weight")


def test_bridges_and_components_are_networkx(bundled_actors):
    for graph in _cases(bundled_actors):
        simple = simple_graph(graph)
        indexed = algorithms.from_multigraph(graph)
        names = indexed.nodes
        assert {frozenset((names[a], names[b])) for a, b in algorithms.bridges(indexed)} == \
               {frozenset(e) for e in nx.bridges(simple)}
        assert sorted(sorted(names[i] for i in c) for c in algorithms.components(indexed)) == \
               sorted(sorted(c) for c in nx.connected_components(simple))


def test_compute_on_graphs_without_edges():
    empty = metrics.compute(nx.MultiGraph())
    assert empty.nodes == [] and empty.density == 0.0 and empty.modularity is None
    lonely = nx.MultiGraph()
    lonely.add_nodes_from(["b", "a"])
    result = metrics.compute(lonely)
    assert result.communities == [["a"], ["b"]] and result.components == [["a"], ["b"]]
    assert result.density == 0 and result.betweenness_method.startswith("exact")


def test_the_collector_is_paused_and_then_left_as_it_was(bundled_store):
    from coopkg.gc_pause import paused

    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        project(bundled_store)
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()
    project(bundled_store)
    assert gc.isenabled()


def _funded_by_fujian(fujian_signs_an_agreement: bool) -> list:
    records = [
        Collectivity(key="xa", name=Label("A", "en"), country="FR", kind="commune"),
        Collectivity(key="xb", name=Label("B", "en"), country="RO", kind="commune"),
        Collectivity(key="cn-fj", name=Label("福建省", "zh"), alt_names=[Label("Fujian", "en")], country="CN",
                     kind="province"),
        Partnership(key="ab", parties=["xa", "xb"], status="ongoing"),
        Funding(key="f1", funder="cn-fj", amount=Decimal("3"), currency="CNY", funds="ab"),
    ]
    if fujian_signs_an_agreement:  # a party to something, though not to the partnership
        records.append(Agreement(key="ab-1", partnership="ab", parties=[Party("xa"), Party("cn-fj")]))
    return records


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_funder_is_shown_by_another_name_only_when_it_is_party_to_something(engine):
    for signs, display in ((False, "福建省"), (True, "Fujian")):
        graph = project(from_triples(graph_triples(_funded_by_fujian(signs)), engine), include_funders=True).actors
        fujian = next(attrs for _, attrs in graph.nodes(data=True) if attrs["key"] == "cn-fj")
        assert (fujian["kind"], fujian["label"], fujian["display"]) == ("funder", "福建省", display)
        funds = [d for _, _, d in graph.edges(data=True) if d["relation"] == "funds"]
        assert len(funds) == 2 and all(d["funding"] == {"CNY": Decimal("3")} for d in funds)


def test_a_query_that_selects_other_variables_is_refused(bundled_store, monkeypatch):
    import sys

    module = sys.modules["coopkg.network.project"]
    original = module._query_text
    monkeypatch.setattr(module, "_query_text",
                        lambda name: original(name).replace("SELECT ?link ?actor", "SELECT ?actor ?link"))
    with pytest.raises(ValueError, match="parties.rq selects"):
        project(bundled_store)
