"""A seeded, stable layout: each connected component laid out on its own, then packed.

Small components use Kamada–Kawai (deterministic, reads well for stars and chains),
big ones a seeded, vectorised Fruchterman–Reingold (networkx's own spring layout loops in
Python over nodes and takes minutes on thousands of actors); components are then placed in rows, biggest first,
each scaled by the square root of its size so dense parts get the room they need.

The force layout's repulsion is exact (all pairs) up to ``EXACT_MAX`` nodes. Above, as in
the main component of a 120,000-partnership atlas (~100,000 actors), all pairs cost
10^10 distances an iteration (tens of minutes in all), so the repulsion is the field of
the nodes' density on a grid, one FFT convolution an iteration (particle-mesh, as
FFT-accelerated t-SNE does): seconds in all, the same picture at a glance.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

SEED = 7
KAMADA_KAWAI_MAX = 400
CHUNK = 256


PAIR_BUDGET = 150_000_000  # node pairs visited by the force layout, over all its iterations
EXACT_MAX = 20_000  # nodes: above, the repulsion is computed on a grid
MESH = 256  # cells a side of that grid
MESH_ITERATIONS = 60


def force_layout(nodes: list[str], edges: list[tuple[str, str]], seed: int,
                 iterations: int | None = None) -> dict[str, np.ndarray]:
    """Fruchterman–Reingold with numpy: all-pairs repulsion in chunks, edge attraction.

    Without ``iterations``, as many as ``PAIR_BUDGET`` allows (12 to 60).
    """
    n = len(nodes)
    if iterations is None:
        iterations = MESH_ITERATIONS if n > EXACT_MAX else int(min(60, max(12, PAIR_BUDGET // (n * n))))
    index = {node: i for i, node in enumerate(nodes)}
    src = np.array([index[a] for a, _ in edges], dtype=int)
    dst = np.array([index[b] for _, b in edges], dtype=int)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = 1.0 / math.sqrt(n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        disp = _mesh_repulsion(pos, k) if n > EXACT_MAX else _exact_repulsion(pos, k)
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.maximum(np.sqrt((delta ** 2).sum(axis=-1)), 1e-9)
            pull = delta * (dist / k)[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        length = np.maximum(np.sqrt((disp ** 2).sum(axis=-1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return {node: pos[i] for node, i in index.items()}


def _exact_repulsion(pos: np.ndarray, k: float) -> np.ndarray:
    """Each node's push from all others: k²/d along each difference."""
    n = len(pos)
    disp = np.zeros((n, 2))
    squares = (pos ** 2).sum(axis=1)
    for start in range(0, n, CHUNK):
        rows = pos[start:start + CHUNK]
        # Squared distances by matrix products.
        dist2 = squares[start:start + CHUNK, None] + squares[None, :] - 2.0 * rows @ pos.T
        weight = k * k / np.maximum(dist2, 1e-9)
        weight[np.arange(len(rows)), np.arange(start, start + len(rows))] = 0.0
        disp[start:start + CHUNK] += rows * weight.sum(axis=1)[:, None] - weight @ pos
    return disp


def _mesh_repulsion(pos: np.ndarray, k: float) -> np.ndarray:
    """The same push, from the nodes counted per cell of a MESH x MESH grid over them: the
    counts convolved (by FFT) with the push of one node, read at each node's cell. Nodes
    in one cell do not push each other apart (the cell is ~1/256 of the picture)."""
    low, high = pos.min(axis=0), pos.max(axis=0)
    h = float(max(high - low)) / (MESH - 1) or 1e-9  # square cells
    cell = np.minimum(((pos - low) / h).astype(np.int64), MESH - 1)
    counts = np.zeros((2 * MESH, 2 * MESH))
    np.add.at(counts, (cell[:, 0], cell[:, 1]), 1.0)
    offsets = np.fft.fftfreq(2 * MESH, 1.0 / (2 * MESH)) * h  # 0, h, 2h, ..., -h (wrapped)
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    d2 = dx * dx + dy * dy
    d2[0, 0] = np.inf  # no push on itself
    spectrum = np.fft.rfft2(counts)
    fx = np.fft.irfft2(spectrum * np.fft.rfft2(k * k * dx / d2), s=counts.shape)
    fy = np.fft.irfft2(spectrum * np.fft.rfft2(k * k * dy / d2), s=counts.shape)
    return np.stack([fx[cell[:, 0], cell[:, 1]], fy[cell[:, 0], cell[:, 1]]], axis=1)


def _component_layout(graph: nx.Graph, nodes: list[str], seed: int) -> dict[str, np.ndarray]:
    if len(nodes) == 1:
        return {nodes[0]: np.zeros(2)}
    if len(nodes) == 2:
        return {nodes[0]: np.array([-1.0, 0.0]), nodes[1]: np.array([1.0, 0.0])}
    sub = nx.Graph()
    sub.add_nodes_from(nodes)  # sorted insertion: the layout depends on node order only
    sub.add_edges_from(sorted(tuple(sorted(e)) for e in graph.subgraph(nodes).edges()))
    if len(nodes) <= KAMADA_KAWAI_MAX:
        start = nx.spring_layout(sub, seed=seed)
        pos = nx.kamada_kawai_layout(sub, pos=start)
    else:
        pos = force_layout(nodes, list(sub.edges()), seed)
    return {n: np.asarray(p, dtype=float) for n, p in pos.items()}


def layout(graph: nx.Graph, seed: int = SEED, aspect: float = 1.6) -> dict[str, tuple[float, float]]:
    """Node -> (x, y), the same for the same graph and seed."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted(tuple(sorted((a, b))) for a, b in graph.edges()))
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    boxes = []
    for nodes in components:
        pos = _component_layout(simple, nodes, seed)
        points = np.array([pos[n] for n in nodes])
        centre = (points.max(axis=0) + points.min(axis=0)) / 2
        spread = max(float(np.abs(points - centre).max()), 1e-9)
        radius = math.sqrt(len(nodes))
        scaled = {n: (pos[n] - centre) / spread * radius for n in nodes}
        pts = np.array(list(scaled.values()))
        size = pts.max(axis=0) - pts.min(axis=0) + np.array([3.4, 2.4])  # room for nodes and labels
        boxes.append((nodes, scaled, size))
    # Shelf packing into rows about as wide as aspect * height.
    total_area = sum(float(s[0] * s[1]) for _, _, s in boxes)
    row_width = max(math.sqrt(total_area * aspect), max(float(s[0]) for _, _, s in boxes)) if boxes else 1.0
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for nodes, scaled, size in boxes:
        width, height = float(size[0]), float(size[1])
        if x > 0 and x + width > row_width * 1.05:
            y -= row_height
            x, row_height = 0.0, 0.0
        cx, cy = x + width / 2, y - height / 2
        for n in nodes:
            out[n] = (round(float(scaled[n][0]) + cx, 6), round(float(scaled[n][1]) + cy, 6))
        x += width
        row_height = max(row_height, height)
    return out
