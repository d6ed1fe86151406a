"""Network metrics on the actor graph: degree, weighted degree, betweenness, components,
Louvain communities and bridges.

Metrics are computed on the simple graph where parallel partnerships between two actors
are one edge whose ``weight`` counts them. ``degree`` is the number of distinct partners,
``weighted_degree`` the number of partnerships. A bridge is a partnership whose end
would split a component (a pair linked by two partnerships is never one).

The algorithms are networkx's, run on an int-indexed copy of the simple graph
(`coopkg.network.algorithms`): the same numbers, several times faster.

Betweenness costs one breadth-first search per source node, n·(n+m) steps in all. It is
exact while that stays within ``BETWEENNESS_WORK`` steps (about a second) and sampled
above: ``k`` pivots chosen so the work stays within the same budget (at least
``MIN_SAMPLES``), with a seed. The result says which (``betweenness_method``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from coopkg import gc_pause
from coopkg.network import algorithms
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
    simple = algorithms.from_multigraph(graph)
    n, m = len(simple.nodes), simple.number_of_edges()
    if n * (n + m) <= work:
        scores = algorithms.betweenness(simple)
        method = f"exact ({n} nodes, {m} pairs)"
    else:
        k = min(n, samples if samples is not None else max(MIN_SAMPLES, work // (n + m)))
        scores = algorithms.betweenness(simple, k=k, seed=seed)
        method = f"sampled: k={k} pivots of {n} nodes, seed={seed} (exact over budget: {n}x{n + m} > {work} steps)"
    names = simple.nodes
    components = _ordered(algorithms.components(simple), names)
    component_of = {node: i for i, comp in enumerate(components) for node in comp}
    if m:
        communities = _ordered(algorithms.louvain(simple, seed), names)
        index = {node: i for i, node in enumerate(names)}
        modularity: float | None = algorithms.modularity(simple.adj, [[index[x] for x in c] for c in communities])
    else:
        communities = [[node] for node in sorted(names)]
        modularity = None
    community_of = {node: i for i, comm in enumerate(communities) for node in comm}
    # A pair linked by two partnerships is no bridge: ending one leaves the other.
    bridges = sorted(tuple(sorted((names[a], names[b]))) for a, b in algorithms.bridges(simple) if simple.adj[a][b] == 1)
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
            degree=simple.degree(i),
            weighted_degree=simple.weighted_degree(i),
            betweenness=scores[i],
            component=component_of[node],
            community=community_of[node],
        ))
    nodes.sort(key=lambda m: (-m.weighted_degree, -m.betweenness, m.key))
    return Metrics(
        nodes=nodes,
        partnerships=len({attrs["link"] for _, _, attrs in graph.edges(data=True)}),  # funders left out above
        edges=simple.number_of_edges(),
        components=components,
        communities=communities,
        modularity=modularity,
        bridges=bridges,  # type: ignore[arg-type]
        betweenness_method=method,
        density=_density(n, m),
    )


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
