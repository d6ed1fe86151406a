"""Network metrics on the actor graph: degree, weighted degree, betweenness, components,
Louvain communities and bridges.

Metrics are computed on the simple graph where parallel partnerships between two actors
are one edge whose ``weight`` counts them. ``degree`` is the number of distinct partners,
``weighted_degree`` the number of partnerships. A bridge is a partnership whose end
would split a component (a pair linked by two partnerships is never one).

networkx is the graph users and callers see; the measuring is done by python-igraph (C),
on an igraph copy of the simple graph, because networkx takes seconds per metric at atlas
scale (docs/performance.md). Betweenness is networkx's definition and scaling, on sources
drawn as networkx draws them; Louvain is igraph's multilevel algorithm with igraph's
random numbers drawn from ``random.Random(seed)``, so the same graph and seed give the
same communities.

Betweenness costs one breadth-first search per source node, n·(n+m) steps in all. It is
exact while that stays within ``BETWEENNESS_WORK`` steps (about a second) and sampled
above: ``k`` pivots chosen so the work stays within the same budget (at least
``MIN_SAMPLES``), with a seed. The result says which (``betweenness_method``).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import igraph
import networkx as nx

from coopkg import gc_pause
from coopkg.network.project import partnerships_only

BETWEENNESS_WORK = 1_000_000
MIN_SAMPLES = 16
SEED = 42


@dataclass
class NodeMetrics:
    node: str
    key: str
    label: str
    country: str
    kind: str
    degree: int
    weighted_degree: int
    betweenness: float
    component: int
    community: int


@dataclass
class Metrics:
    nodes: list[NodeMetrics] = field(default_factory=list)
    partnerships: int = 0
    edges: int = 0  # actor pairs linked by at least one partnership
    components: list[list[str]] = field(default_factory=list)
    communities: list[list[str]] = field(default_factory=list)
    modularity: float | None = None
    bridges: list[tuple[str, str]] = field(default_factory=list)
    betweenness_method: str = "exact"
    density: float = 0.0

    def summary(self) -> dict[str, object]:
        return {
            "actors": len(self.nodes),
            "partnerships": self.partnerships,
            "linked_pairs": self.edges,
            "density": round(self.density, 6),
            "components": len(self.components),
            "largest_component": len(self.components[0]) if self.components else 0,
            "communities": len(self.communities),
            "modularity": None if self.modularity is None else round(self.modularity, 6),
            "bridges": len(self.bridges),
            "betweenness": self.betweenness_method,
        }


def compute(graph: nx.MultiGraph, seed: int = SEED, work: int = BETWEENNESS_WORK, samples: int | None = None) -> Metrics:
    """All metrics of the actor multigraph (deterministic for a given seed).

    ``work`` is the betweenness budget in search steps; ``samples`` forces the number
    of pivots once the graph is over budget.
    """
    with gc_pause.paused():
        return _compute(graph, seed, work, samples)


def _compute(graph: nx.MultiGraph, seed: int, work: int, samples: int | None) -> Metrics:
    graph = partnerships_only(graph)  # funders are shown, not measured
    names, simple = indexed(graph)
    n, m = simple.vcount(), simple.ecount()
    if n * (n + m) <= work:
        scores = betweenness(simple)
        method = f"exact ({n} nodes, {m} pairs)"
    else:
        k = min(n, samples if samples is not None else max(MIN_SAMPLES, work // (n + m)))
        scores = betweenness(simple, k=k, seed=seed)
        method = f"sampled: k={k} pivots of {n} nodes, seed={seed} (exact over budget: {n}x{n + m} > {work} steps)"
    components = _ordered(list(simple.connected_components()), names)
    component_of = {node: i for i, comp in enumerate(components) for node in comp}
    if m:
        membership = louvain(simple, seed)
        communities = _ordered(_groups(membership), names)
        modularity: float | None = simple.modularity(membership, weights="weight")
    else:
        communities = [[node] for node in sorted(names)]
        modularity = None
    community_of = {node: i for i, comm in enumerate(communities) for node in comm}
    # A pair linked by two partnerships is no bridge: ending one leaves the other.
    weights = simple.es["weight"] if m else []
    bridges = sorted(tuple(sorted((names[a], names[b])))
                     for a, b in (simple.es[e].tuple for e in simple.bridges() if weights[e] == 1))
    degrees = simple.degree()  # a self-loop counts twice, as networkx counts it
    strengths = simple.strength(weights="weight") if m else [0] * n
    attributes = graph.nodes
    nodes = []
    for i, node in enumerate(names):
        attrs = attributes[node]
        nodes.append(NodeMetrics(
            node=node,
            key=attrs.get("key", node),
            label=attrs.get("display") or attrs.get("label", node),
            country=attrs.get("country", "?"),
            kind=attrs.get("kind", "?"),
            degree=degrees[i],
            weighted_degree=int(strengths[i]),
            betweenness=scores[i],
            component=component_of[node],
            community=community_of[node],
        ))
    nodes.sort(key=lambda m: (-m.weighted_degree, -m.betweenness, m.key))
    return Metrics(
        nodes=nodes,
        partnerships=len({attrs["link"] for _, _, attrs in graph.edges(data=True)}),  # funders left out above
        edges=m,
        components=components,
        communities=communities,
        modularity=modularity,
        bridges=bridges,  # type: ignore[arg-type]
        betweenness_method=method,
        density=_density(n, m),
    )


def indexed(graph: nx.MultiGraph) -> tuple[list[str], igraph.Graph]:
    """The simple graph of ``graph`` in igraph: vertex ``i`` is ``names[i]`` (networkx's node
    order), one edge per linked pair, its ``weight`` the pair's partnerships."""
    names = list(graph)
    index = {node: i for i, node in enumerate(names)}
    edges: list[tuple[int, int]] = []
    weights: list[int] = []
    seen: set[str] = set()
    for node, neighbours in graph.adjacency():  # (reading the adjacency: networkx's views cost more)
        i = index[node]
        for other, keys in neighbours.items():
            if other not in seen:  # each pair once, from the first of its two nodes
                edges.append((i, index[other]))
                weights.append(len(keys))
        seen.add(node)
    simple = igraph.Graph(n=len(names), edges=edges)
    simple.es["weight"] = weights
    return names, simple


def betweenness(simple: igraph.Graph, k: int | None = None, seed: int = 0) -> list[float]:
    """Normalised betweenness, as ``nx.betweenness_centrality(G, k, normalized=True, seed=seed)``.

    With ``k`` (fewer than all nodes), the sources are the ``k`` nodes networkx draws with
    ``random.Random(seed)``, and the scaling is networkx 3.6's for samples. igraph counts
    each unordered pair once where networkx's sum over sources counts it from both ends:
    its scores are doubled before networkx's scaling.
    """
    n = simple.vcount()
    if k is not None and k == n:
        k = None  # networkx: the same result, computed exactly
    sources = None if k is None else random.Random(seed).sample(list(range(n)), k)
    raw = simple.betweenness(directed=False) if sources is None else simple.betweenness(directed=False, sources=sources)
    return _rescale([2 * value for value in raw], sources)


def _rescale(scores: list[float], sampled: list[int] | None) -> list[float]:
    """networkx 3.6's scaling for normalized=True, endpoints=False, undirected."""
    pairs = len(scores) - 1  # a node is never its own target
    if pairs < 2:
        return scores
    if sampled is None:
        scale = 1 / (pairs * (pairs - 1))
        return [value * scale for value in scores]
    k = len(sampled)
    scale_source = 1 / ((k - 1) * (pairs - 1)) if k > 1 else math.nan  # (networkx's NaN for one pivot)
    scale_other = 1 / (k * (pairs - 1))
    chosen = set(sampled)
    return [value * (scale_source if i in chosen else scale_other) for i, value in enumerate(scores)]


def louvain(simple: igraph.Graph, seed: int) -> list[int]:
    """Each vertex's community by igraph's multilevel (Louvain) algorithm on the weights.

    igraph draws its random numbers (the order it visits vertices in) from the generator
    set by ``igraph.set_random_number_generator``, by default the global ``random``
    module; here from ``random.Random(seed)``, put back afterwards, so the communities
    depend on the graph and the seed only.
    """
    igraph.set_random_number_generator(random.Random(seed))
    try:
        return list(simple.community_multilevel(weights="weight").membership)
    finally:
        igraph.set_random_number_generator(random)


def _groups(membership: list[int]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for vertex, community in enumerate(membership):
        groups.setdefault(community, []).append(vertex)
    return list(groups.values())


def _ordered(groups: list[list[int]], names: list[str]) -> list[list[str]]:
    """Groups of nodes by name, each sorted, largest first (ties by first name)."""
    return sorted((sorted(names[i] for i in group) for group in groups), key=lambda c: (-len(c), c[0]))


def _density(n: int, m: int) -> float:
    """``nx.density`` of an undirected graph, the same operations in the same order."""
    if n <= 1:
        return 0.0
    if m == 0:
        return 0  # networkx's int zero, kept so that the printed summary stays the same
    d = m / (n * (n - 1))
    d *= 2
    return d
