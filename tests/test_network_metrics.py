"""The network metrics (python-igraph under a networkx API) give networkx's numbers, and
the projection's shortcuts (pyoxigraph terms, the paused collector, funders' names) change
no answer.

Betweenness, components, bridges and degrees are compared with networkx's own on random
graphs with parallel edges and self-loops and on the bundled network. Louvain is a
heuristic whose random draws differ between the libraries: its communities are checked
for what they must be (a partition, deterministic for a seed, its modularity networkx's
modularity of it and as good as networkx's Louvain finds) and against planted groups.
"""

from __future__ import annotations

import gc
import math
import random
from decimal import Decimal

import networkx as nx
import pytest

from coopkg.build import graph_triples
from coopkg.network import metrics, project, simple_graph
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
            graph.add_edge(a, b, key=f"l{i}", link=f"l{i}")
    return graph


GRAPHS = [_random_multigraph(seed) for seed in range(24)]


@pytest.fixture(scope="module")
def bundled_actors(bundled_store) -> nx.MultiGraph:
    return project(bundled_store).actors


def _cases(bundled_actors: nx.MultiGraph) -> list[nx.MultiGraph]:
    return [bundled_actors, *GRAPHS]


def _same(found: dict[str, float], expected: dict[str, float]) -> bool:
    """Equal up to the order of floating-point sums (NaN where networkx gives NaN)."""
    return found.keys() == expected.keys() and all(
        math.isclose(found[n], expected[n], rel_tol=1e-9, abs_tol=1e-12)
        or (math.isnan(found[n]) and math.isnan(expected[n])) for n in found)


def test_the_igraph_copy_is_the_simple_graph(bundled_actors):
    for graph in _cases(bundled_actors):
        names, indexed = metrics.indexed(graph)
        simple = simple_graph(graph)
        assert names == list(simple)
        assert indexed.ecount() == simple.number_of_edges()
        assert sorted((frozenset((names[a], names[b])), w) for (a, b), w in
                      zip(indexed.get_edgelist(), indexed.es["weight"], strict=True)) == \
               sorted((frozenset((u, v)), d["weight"]) for u, v, d in simple.edges(data=True))


def test_degrees_are_networkx(bundled_actors):
    for graph in GRAPHS + [bundled_actors]:
        result = metrics.compute(graph)
        simple = simple_graph(metrics.partnerships_only(graph))
        assert {m.node: m.degree for m in result.nodes} == dict(simple.degree())
        assert {m.node: m.weighted_degree for m in result.nodes} == dict(simple.degree(weight="weight"))
        assert result.edges == simple.number_of_edges()


def test_exact_betweenness_is_networkx(bundled_actors):
    for graph in _cases(bundled_actors):
        names, indexed = metrics.indexed(graph)
        expected = nx.betweenness_centrality(simple_graph(graph), normalized=True)
        assert _same(dict(zip(names, metrics.betweenness(indexed), strict=True)), expected)


@pytest.mark.skipif(NX_VERSION < (3, 6), reason="networkx rescaled sampled betweenness differently before 3.6")
def test_sampled_betweenness_draws_networkx_pivots(bundled_actors):
    for graph in _cases(bundled_actors):
        names, indexed = metrics.indexed(graph)
        for k in {1, 2, len(names) // 2, len(names)} - {0}:
            expected = nx.betweenness_centrality(simple_graph(graph), k=k, normalized=True, seed=5)
            found = dict(zip(names, metrics.betweenness(indexed, k=k, seed=5), strict=True))
            assert _same(found, expected), (len(names), k)


def _communities(membership: list[int], names: list[str]) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for vertex, community in enumerate(membership):
        groups.setdefault(community, []).append(names[vertex])
    return sorted(sorted(group) for group in groups.values())


def test_louvain_is_a_partition_as_good_as_networkx_and_deterministic(bundled_actors):
    # Two Louvain implementations settle in different local optima on small graphs (up to
    # 0.023 apart on these), neither better on average: each within 0.03, the mean within 0.005.
    differences = []
    for graph in _cases(bundled_actors):
        simple = simple_graph(graph)
        if not simple.number_of_edges():
            continue
        names, indexed = metrics.indexed(graph)
        for seed in (0, 42):
            membership = metrics.louvain(indexed, seed)
            found = _communities(membership, names)
            assert sorted(n for c in found for n in c) == sorted(names)
            random.seed(seed + 1)  # the global generator's state must not matter
            assert _communities(metrics.louvain(indexed, seed), names) == found
            ours = nx.community.modularity(simple, found, weight="weight")
            assert math.isclose(indexed.modularity(membership, weights="weight"), ours, rel_tol=1e-9, abs_tol=1e-12)
            theirs = nx.community.modularity(
                simple, nx.community.louvain_communities(simple, weight="weight", seed=seed), weight="weight")
            assert ours >= theirs - 0.03, (len(names), seed, ours, theirs)
            differences.append(ours - theirs)
    assert sum(differences) / len(differences) > -0.005


def test_louvain_finds_planted_groups():
    rng = random.Random(7)
    graph = nx.MultiGraph()
    groups = [[f"g{g}-{i}" for i in range(rng.randint(5, 9))] for g in range(6)]
    for group in groups:
        for a in group:
            for b in group:
                if a < b:
                    graph.add_edge(a, b, link=f"{a}~{b}")
    for left, right in zip(groups, groups[1:], strict=False):  # one partnership between neighbouring groups
        graph.add_edge(left[0], right[-1], link=f"{left[0]}~{right[-1]}")
    rng.shuffle(order := list(graph))
    shuffled = nx.MultiGraph()
    shuffled.add_nodes_from(order)
    shuffled.add_edges_from(graph.edges(keys=True, data=True))
    for seed in (0, 1, 42):
        result = metrics.compute(shuffled, seed=seed)
        assert sorted(result.communities) == sorted(sorted(g) for g in groups)
        assert math.isclose(result.modularity, nx.community.modularity(nx.Graph(graph), groups))


def test_bridges_and_components_are_networkx(bundled_actors):
    for graph in _cases(bundled_actors):
        simple = simple_graph(metrics.partnerships_only(graph))
        result = metrics.compute(graph)
        single = {frozenset(e) for e in nx.bridges(simple) if simple.edges[e]["weight"] == 1}
        assert {frozenset(b) for b in result.bridges} == single
        assert sorted(result.components) == sorted(sorted(c) for c in nx.connected_components(simple))


def test_the_same_graph_gives_the_same_metrics(bundled_actors):
    first, second = metrics.compute(bundled_actors), metrics.compute(bundled_actors.copy())
    assert first == second
    assert metrics.compute(bundled_actors, seed=7).communities == metrics.compute(bundled_actors, seed=7).communities


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
