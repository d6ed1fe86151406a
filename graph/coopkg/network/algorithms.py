"""The network metrics on an int-indexed copy of the simple actor graph.

networkx spends most of its time at atlas scale in its graph views (``G[u]``,
``G.degree``, ``G.edges(nbunch)``), not in the algorithms. The functions here follow
networkx 3.6's betweenness (Brandes), Louvain and modularity step for step on plain
lists and dicts: the same node and neighbour order, the same random draws and the same
floating-point operations in the same order, so they give the same numbers (the tests
compare them with networkx) several times faster. Bridges and components are sets, so
any correct algorithm gives the same answer.

Weights are ints (partnerships per pair), so every sum of weights is exact.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx


@dataclass
class Indexed:
    """A simple weighted graph: node ``i`` is ``nodes[i]``, ``adj[i]`` maps neighbour -> weight.

    Neighbours are in the order networkx's ``Graph`` would hold them, which the
    algorithms below rely on to break ties as networkx does.
    """

    nodes: list[str]
    adj: list[dict[int, int]]

    def degree(self, i: int) -> int:
        """Distinct neighbours (a self-loop counts twice, as networkx counts it)."""
        return len(self.adj[i]) + (i in self.adj[i])

    def weighted_degree(self, i: int) -> int:
        row = self.adj[i]
        return sum(row.values()) + row.get(i, 0)

    def number_of_edges(self) -> int:
        return sum(sum(1 for j in row if j >= i) for i, row in enumerate(self.adj))


def from_multigraph(graph: nx.MultiGraph) -> Indexed:
    """The simple graph of ``graph``: one edge per linked pair, ``weight`` = its edges.

    Pairs enter each node's neighbours in the order ``simple_graph`` adds them (the
    first of their edges in ``graph.edges()``), so the result is that graph, indexed.
    """
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    adj: list[dict[int, int]] = [{} for _ in nodes]
    seen: set[str] = set()
    for node, neighbours in graph.adjacency():
        i = index[node]
        for other, keys in neighbours.items():
            if other in seen:
                continue  # that pair came with `other`, as in networkx's edge order
            j = index[other]
            adj[i][j] = len(keys)
            adj[j][i] = len(keys)
        seen.add(node)
    return Indexed(nodes, adj)


def _renumbered(adj: list[dict[int, int]], community: Sequence[int], size: int) -> list[dict[int, int]]:
    """The graph of communities (Louvain's ``_gen_graph``): edges in the order networkx adds them."""
    out: list[dict[int, int]] = [{} for _ in range(size)]
    for u, row in enumerate(adj):
        cu = community[u]
        target = out[cu]
        for v, weight in row.items():
            if v < u:
                continue  # networkx's G.edges() gives each pair once, from its first node
            cv = community[v]
            if cv in target:
                target[cv] += weight
                if cu != cv:
                    out[cv][cu] += weight
            else:
                target[cv] = weight
                out[cv][cu] = weight
    return out


# -- betweenness ----------------------------------------------------------------------------

def betweenness(graph: Indexed, k: int | None = None, seed: int = 0) -> list[float]:
    """Normalised betweenness, as ``nx.betweenness_centrality(G, k, normalized=True, seed=seed)``.

    With ``k`` (fewer than all nodes), the sources are the ``k`` nodes networkx would
    draw with ``random.Random(seed)`` and the scaling is networkx 3.6's for samples.
    """
    n = len(graph.nodes)
    if k is not None and k == n:
        k = None  # networkx: the same result, computed exactly
    sources = list(range(n)) if k is None else random.Random(seed).sample(list(range(n)), k)
    adj = [list(row) for row in graph.adj]
    scores = [0.0] * n
    for s in sources:
        dist = [-1] * n
        sigma = [0.0] * n
        dist[s] = 0
        sigma[s] = 1.0
        order = [s]  # BFS order: networkx's queue and its stack S at once
        at = 0
        while at < len(order):
            v = order[at]
            at += 1
            next_dist = dist[v] + 1
            paths = sigma[v]
            for w in adj[v]:
                d = dist[w]
                if d < 0:
                    dist[w] = next_dist
                    order.append(w)
                    sigma[w] += paths
                elif d == next_dist:
                    sigma[w] += paths
        delta = [0.0] * n
        for w in reversed(order):
            if w == s:
                continue  # the source is last out and has no predecessor
            coeff = (1 + delta[w]) / sigma[w]
            before = dist[w] - 1
            for v in adj[w]:
                if dist[v] == before:  # v is a predecessor of w (networkx's P[w])
                    delta[v] += sigma[v] * coeff
            scores[w] += delta[w]
    return _rescale(scores, sources if k is not None else None)


def _rescale(scores: list[float], sampled: list[int] | None) -> list[float]:
    """networkx 3.6's ``_rescale`` for normalized=True, endpoints=False, undirected."""
    pairs = len(scores) - 1  # N: a node is never its own target
    if pairs < 2:
        return scores
    if sampled is None:
        scale = 1 / (pairs * (pairs - 1))
        return [value * scale for value in scores] if scale != 1 else scores
    k = len(sampled)
    scale_source = 1 / ((k - 1) * (pairs - 1)) if k > 1 else math.nan
    scale_other = 1 / (k * (pairs - 1))
    chosen = set(sampled)
    return [value * (scale_source if i in chosen else scale_other) for i, value in enumerate(scores)]


# -- components and bridges ------------------------------------------------------------------

def components(graph: Indexed) -> list[list[int]]:
    """Connected components (unordered)."""
    seen = [False] * len(graph.nodes)
    found = []
    for start in range(len(graph.nodes)):
        if seen[start]:
            continue
        seen[start] = True
        members = [start]
        for v in members:
            for w in graph.adj[v]:
                if not seen[w]:
                    seen[w] = True
                    members.append(w)
        found.append(members)
    return found


def bridges(graph: Indexed) -> list[tuple[int, int]]:
    """Edges whose removal splits a component (iterative Tarjan low-link; self-loops never are)."""
    n = len(graph.nodes)
    adj = [list(row) for row in graph.adj]
    found_at = [-1] * n
    low = [0] * n
    out: list[tuple[int, int]] = []
    clock = 0
    for root in range(n):
        if found_at[root] >= 0:
            continue
        found_at[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, 0)]  # node, parent, next neighbour position
        while stack:
            v, parent, pos = stack[-1]
            row = adj[v]
            if pos < len(row):
                stack[-1] = (v, parent, pos + 1)
                w = row[pos]
                if w == v or w == parent:
                    continue  # simple graph: one edge to the parent, and loops bridge nothing
                if found_at[w] < 0:
                    found_at[w] = low[w] = clock
                    clock += 1
                    stack.append((w, v, 0))
                elif found_at[w] < low[v]:
                    low[v] = found_at[w]
            else:
                stack.pop()
                if parent >= 0:
                    if low[v] < low[parent]:
                        low[parent] = low[v]
                    if low[v] > found_at[parent]:
                        out.append((parent, v))
    return out


# -- Louvain and modularity ------------------------------------------------------------------

def _degrees(adj: list[dict[int, int]]) -> list[int]:
    """Weighted degrees, a self-loop counting twice (networkx's ``G.degree(weight=...)``)."""
    return [sum(row.values()) + row.get(u, 0) for u, row in enumerate(adj)]


def modularity(adj: list[dict[int, int]], communities: Sequence[Sequence[int]], resolution: float = 1) -> float:
    """``nx.community.modularity`` (undirected), the communities summed in the order given."""
    degree = _degrees(adj)
    deg_sum = sum(degree)
    m = deg_sum / 2
    norm = 1 / deg_sum**2

    def contribution(community: Sequence[int]) -> float:
        comm = set(community)
        inside = sum(w for u in comm for v, w in adj[u].items() if v >= u and v in comm)
        degree_sum = sum(degree[u] for u in comm)
        return inside / m - resolution * degree_sum * degree_sum * norm

    return sum(map(contribution, communities))


def _one_level(adj: list[dict[int, int]], m: float, rng: random.Random, resolution: float) -> tuple[list[int], bool]:
    """One Louvain pass (networkx's ``_one_level``, undirected): each node's community, and whether any moved.

    networkx weighs every node again on every sweep, though after the first sweeps only
    a few move. A node's choice depends only on its neighbours' communities and on the
    totals of those communities and its own; a community's ``version`` goes up whenever
    a member leaves or joins it, so a node whose communities all kept their version
    would choose as before (stay put) and is skipped. The moves, and so the result, are
    networkx's.
    """
    size = len(adj)
    node2com = list(range(size))
    degrees = _degrees(adj)
    totals = list(degrees)
    nbrs = [{v: w for v, w in row.items() if v != u} for u, row in enumerate(adj)]
    rand_nodes = list(range(size))
    rng.shuffle(rand_nodes)
    version = [0] * size  # per community
    considered: list[list[int]] = [[] for _ in range(size)]  # per node: the communities it weighed last
    stamp = [-1] * size  # per node: the sum of their versions then (versions only grow); -1: weigh it
    moves = 1
    improvement = False
    two_m2 = 2 * m**2
    while moves > 0:
        moves = 0
        for u in rand_nodes:
            seen = stamp[u]
            if seen >= 0 and sum([version[c] for c in considered[u]]) == seen:
                continue
            best_mod: float = 0
            best_com = node2com[u]
            weights2com: dict[int, float] = {}
            for nbr, wt in nbrs[u].items():
                com = node2com[nbr]
                weights2com[com] = weights2com.get(com, 0.0) + wt
            own = weights2com.get(best_com)
            if own is None:
                own = weights2com[best_com] = 0.0  # networkx's defaultdict adds it here, last
            degree = degrees[u]
            totals[best_com] -= degree
            remove_cost = -own / m + resolution * (totals[best_com] * degree) / two_m2
            for nbr_com, wt in weights2com.items():
                gain = remove_cost + wt / m - resolution * (totals[nbr_com] * degree) / two_m2
                if gain > best_mod:
                    best_mod = gain
                    best_com = nbr_com
            totals[best_com] += degree
            old = node2com[u]
            if best_com != old:
                improvement = True
                moves += 1
                node2com[u] = best_com
                version[old] += 1
                version[best_com] += 1
                stamp[u] = -1
            else:
                communities = list(weights2com)
                considered[u] = communities
                stamp[u] = sum([version[c] for c in communities])
    return node2com, improvement


def louvain(graph: Indexed, seed: int, resolution: float = 1, threshold: float = 0.0000001) -> list[list[int]]:
    """``nx.community.louvain_communities(G, weight="weight", seed=seed)`` (unordered communities)."""
    size = len(graph.nodes)
    rng = random.Random(seed)
    mod = modularity(graph.adj, [[u] for u in range(size)], resolution)
    # networkx rebuilds the graph from G.edges() first, which reorders neighbours
    adj = _renumbered(graph.adj, range(size), size)
    m = sum(_degrees(adj)) / 2
    members: list[list[int]] = [[u] for u in range(size)]  # level node -> original nodes
    node2com, improvement = _one_level(adj, m, rng, resolution)
    improvement = True
    while improvement:
        used = sorted(set(node2com))  # networkx drops empty communities, keeping their order
        renumber = {c: i for i, c in enumerate(used)}
        community = [renumber[c] for c in node2com]
        inner: list[list[int]] = [[] for _ in used]
        for u, c in enumerate(community):
            inner[c].append(u)
        partition = [[x for u in level for x in members[u]] for level in inner]
        new_mod = modularity(adj, inner, resolution)
        if new_mod - mod <= threshold:
            return partition
        mod = new_mod
        adj = _renumbered(adj, community, len(used))
        members = partition
        node2com, improvement = _one_level(adj, m, rng, resolution)
    return members
