"""The static picture (SVG or PNG) of the actor network, drawn with matplotlib.

Colour by country (legend), node size by number of partnerships, shape by actor kind,
edges styled by status (`coopkg.network.style`), labels placed so they do not collide
(each label tries positions around its node, nearest first, and takes the first one that
overlaps no other label and no node; on big graphs only the most connected actors are
labelled). The layout is seeded and the SVG is deterministic (fixed hash salt, no date).
"""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import numpy as np

from coopkg import atomic
from coopkg.network.layout import layout as seeded_layout
from coopkg.network.style import EDGE_STYLES, NODE_SHAPES, OTHER_COLOR, country_colors, dash_pattern, edge_style_of

LABEL_MAX = 60  # at most this many labels, the most connected actors first
LEGEND_COUNTRIES_MAX = 19
EDGE_OBSTACLES_MAX = 400


def node_sizes(graph: nx.MultiGraph) -> dict[str, float]:
    """Marker area (points²) growing with the number of partnerships."""
    big = graph.number_of_nodes() > 300
    base, step, cap = (10.0, 6.0, 400.0) if big else (90.0, 110.0, 1400.0)
    return {n: min(base + step * graph.degree(n), cap) for n in graph}


def labelled_nodes(graph: nx.MultiGraph, label_max: int = LABEL_MAX) -> list[str]:
    """The nodes to label, most partnerships first (all of them on small graphs)."""
    degree = dict(graph.degree())  # once: a degree view call per node is slow on big graphs
    ordered = sorted(graph.nodes, key=lambda n: (-degree[n], graph.nodes[n].get("display", n)))
    if len(ordered) <= label_max:
        return ordered
    threshold = degree[ordered[label_max - 1]]
    return [n for n in ordered if degree[n] > threshold][:label_max] or ordered[:label_max]


def _figure_size(pos: dict[str, tuple[float, float]], n: int) -> tuple[float, float]:
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    width = max(max(xs) - min(xs), 1.0)
    height = max(max(ys) - min(ys), 1.0)
    inches = min(max(9.0, 2.2 * math.sqrt(n)), 24.0)
    plot_w = inches
    plot_h = min(max(plot_w * height / width, 4.5), 24.0)
    return plot_w, plot_h


def _edge_segments(graph: nx.MultiGraph, pos: dict[str, tuple[float, float]], offset: float) -> dict[str, list]:
    """Line segments per style; parallel partnerships between two actors side by side."""
    by_pair: dict[tuple[str, str], list[dict]] = {}
    for a, b, _key, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
        by_pair.setdefault(tuple(sorted((a, b))), []).append(attrs)  # type: ignore[arg-type]
    segments: dict[str, list] = {name: [] for name in EDGE_STYLES}
    for (a, b), edges in by_pair.items():
        (x1, y1), (x2, y2) = pos[a], pos[b]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        nx_, ny_ = -dy / length, dx / length
        for i, attrs in enumerate(edges):
            shift = (i - (len(edges) - 1) / 2) * offset
            segments[edge_style_of(attrs).name].append(
                [(x1 + nx_ * shift, y1 + ny_ * shift), (x2 + nx_ * shift, y2 + ny_ * shift)]
            )
    return segments


def _overlaps(box: tuple[float, float, float, float], others: list[tuple[float, float, float, float]]) -> bool:
    x0, y0, x1, y1 = box
    return any(not (x1 <= a0 or a1 <= x0 or y1 <= b0 or b1 <= y0) for a0, b0, a1, b1 in others)


def _hits(box: tuple[float, float, float, float], boxes: np.ndarray) -> bool:
    """`_overlaps` on an array of boxes (rows x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    return bool((~((x1 <= boxes[:, 0]) | (boxes[:, 2] <= x0) | (y1 <= boxes[:, 1]) | (boxes[:, 3] <= y0))).any())


# Directions to try around a node: right, left, up, down, then the diagonals.
_DIRECTIONS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]


def _crosses(box: tuple[float, float, float, float], lines: np.ndarray) -> bool:
    """Whether any of the sampled edge points falls inside the box."""
    if not len(lines):
        return False
    x0, y0, x1, y1 = box
    inside = (lines[:, 0] > x0) & (lines[:, 0] < x1) & (lines[:, 1] > y0) & (lines[:, 1] < y1)
    return bool(inside.any())


def _edge_points(to_px: object, segments: dict[str, list], step: float = 4.0) -> np.ndarray:
    """Points every few pixels along every edge, in display coordinates."""
    points = []
    for segs in segments.values():
        for (xa, ya), (xb, yb) in segs:
            (pa, pb) = to_px([(xa, ya), (xb, yb)])  # type: ignore[operator]
            count = max(int(math.hypot(*(pb - pa)) / step), 1)
            t = np.linspace(0.0, 1.0, count + 1)[:, None]
            points.append(pa + (pb - pa) * t)
    return np.vstack(points) if points else np.zeros((0, 2))


def _place_labels(ax: object, fig: object, graph: nx.MultiGraph, pos: dict[str, tuple[float, float]],
                  sizes: dict[str, float], nodes: list[str], fontsize: float, force: bool,
                  segments: dict[str, list]) -> int:
    """Put labels where they collide with nothing; return how many were placed."""
    from matplotlib import patheffects

    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    to_px = ax.transData.transform  # type: ignore[attr-defined]
    pad = 2.0
    dpi_scale = fig.dpi / 72.0  # type: ignore[attr-defined]
    occupied: list[tuple[float, float, float, float]] = []  # the names placed, the obstacles after the nodes
    names: list[tuple[float, float, float, float]] = []  # the boxes of the names placed
    # every node is an obstacle: their boxes as one array, tested at once (100,000 actors
    # at 120,000 partnerships: a Python loop over them per candidate spot took minutes)
    order = list(graph.nodes)
    centres = to_px(np.array([pos[node] for node in order], dtype=float).reshape(-1, 2))
    radii = np.sqrt(np.array([sizes[node] for node in order], dtype=float) / math.pi) * dpi_scale + 1
    markers = np.column_stack([centres[:, 0] - radii, centres[:, 1] - radii, centres[:, 0] + radii,
                               centres[:, 1] + radii]) if order else np.zeros((0, 4))
    bounds = ax.bbox.extents  # type: ignore[attr-defined]
    # Edges are obstacles too on small graphs; on big ones the hubs sit in a mesh of
    # edges where no spot is free, and naming the hubs matters more.
    lines = _edge_points(to_px, segments) if graph.number_of_edges() <= EDGE_OBSTACLES_MAX else np.zeros((0, 2))
    placed = 0
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    for node in nodes:
        text = graph.nodes[node].get("display") or graph.nodes[node].get("label") or node
        radius = math.sqrt(sizes[node] / math.pi) + 2.5  # points
        best = None
        for ring in (1.0, 2.2, 3.6):
            for dx, dy in _DIRECTIONS:
                norm = math.hypot(dx, dy)
                off = (dx / norm * radius * ring, dy / norm * radius * ring)
                ha = "left" if dx > 0 else "right" if dx < 0 else "center"
                va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
                label = ax.annotate(text, pos[node], xytext=off, textcoords="offset points",  # type: ignore[attr-defined]
                                    ha=ha, va=va, fontsize=fontsize, color="#1a1a1a", zorder=5,
                                    path_effects=halo)
                ext = label.get_window_extent(renderer)
                box = (ext.x0 - pad, ext.y0 - pad, ext.x1 + pad, ext.y1 + pad)
                inside = box[0] >= bounds[0] and box[2] <= bounds[2] and box[1] >= bounds[1] and box[3] <= bounds[3]
                if inside and not _hits(box, markers) and not _overlaps(box, occupied) and not _crosses(box, lines):
                    best = (label, box)
                    break
                label.remove()
            if best:
                break
        if best is None and force:  # on a small picture every name, over a line or a marker if it must
            off = (radius, 0.0)
            label = ax.annotate(text, pos[node], xytext=off, textcoords="offset points", ha="left",  # type: ignore[attr-defined]
                                va="center", fontsize=fontsize, color="#1a1a1a", zorder=5, path_effects=halo)
            ext = label.get_window_extent(renderer)
            box = (ext.x0 - pad, ext.y0 - pad, ext.x1 + pad, ext.y1 + pad)
            if _overlaps(box, names):  # but never over another name: two names over each other read as neither
                label.remove()
            else:
                best = (label, box)
        if best is not None:
            occupied.append(best[1])
            names.append(best[1])
            placed += 1
    return placed


def figure(graph: nx.MultiGraph, title: str = "", seed: int = 7, label_max: int = LABEL_MAX,
           pos: dict[str, tuple[float, float]] | None = None) -> object:
    """A matplotlib Figure of the network (not saved); ``pos`` saves recomputing the layout."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    pos = pos if pos is not None else seeded_layout(graph, seed=seed)
    n = graph.number_of_nodes()
    plot_w, plot_h = _figure_size(pos, n)
    legend_w = 3.4
    fig = Figure(figsize=(plot_w + legend_w, plot_h + 0.8), dpi=100)
    FigureCanvasAgg(fig)  # a renderer to measure labels with, no GUI
    fig.patch.set_facecolor("white")
    title_h = 0.8 / (plot_h + 0.8)
    ax = fig.add_axes((0.0, 0.0, plot_w / (plot_w + legend_w), 1 - title_h))
    ax.set_axis_off()
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    margin = 1.2
    x0, x1, y0, y1 = min(xs) - margin, max(xs) + margin, min(ys) - margin, max(ys) + margin
    # Equal aspect by hand: widen the limits to the axes' own proportions.
    box_w, box_h = plot_w, plot_h
    scale = max((x1 - x0) / box_w, (y1 - y0) / box_h)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - scale * box_w / 2, cx + scale * box_w / 2)
    ax.set_ylim(cy - scale * box_h / 2, cy + scale * box_h / 2)

    # Edges: one collection per style, reorganisation ends on top.
    offset = 0.09 * scale * 72 / 72
    segments = _edge_segments(graph, pos, offset * 1.4)
    big = n > 300
    for order, name in enumerate(("funding", "unknown", "active", "ended", "ended-reorganisation")):
        style = EDGE_STYLES[name]
        if segments[name]:
            ax.add_collection(LineCollection(
                segments[name], colors=style.color, linewidths=style.width * (0.5 if big else 1.0),
                linestyles=dash_pattern(style), alpha=0.5 if big else 0.9,
                zorder=1 + order * 0.1, capstyle="round"))

    colors = country_colors(graph)
    sizes = node_sizes(graph)
    for kind, marker in NODE_SHAPES.items():
        members = [node for node in graph.nodes if graph.nodes[node].get("kind", "collectivity") == kind]
        if not members:
            continue
        ax.scatter([pos[m][0] for m in members], [pos[m][1] for m in members], s=[sizes[m] for m in members],
                   c=[colors.get(graph.nodes[m].get("country", "?"), OTHER_COLOR) for m in members],
                   marker=marker, edgecolors="white", linewidths=1.2, zorder=3)
    centre = graph.graph.get("centre")
    if centre in pos:
        ax.scatter([pos[centre][0]], [pos[centre][1]], s=[sizes[centre] * 1.9], facecolors="none",
                   edgecolors="#1a1a1a", linewidths=1.5, zorder=2)

    fontsize = 10.0 if n <= 80 else 9.0
    _place_labels(ax, fig, graph, pos, sizes, labelled_nodes(graph, label_max), fontsize, force=n <= 80,
                  segments=segments)

    # Legend: partnership styles, actor kinds, node size, countries.
    header = {"linestyle": "none", "marker": None}
    handles: list = [Line2D([], [], label="Partnerships", **header)]
    present = {edge_style_of(a).name for _, _, a in graph.edges(data=True)}
    for name in ("active", "unknown", "ended", "ended-reorganisation", "funding"):
        style = EDGE_STYLES[name]
        if name in present:
            handles.append(Line2D([], [], color=style.color, lw=style.width, linestyle=dash_pattern(style),
                                  label=style.label))
    kinds = sorted({graph.nodes[m].get("kind", "collectivity") for m in graph}, key=list(NODE_SHAPES).index)
    handles.append(Line2D([], [], label=" ", **header))
    handles.append(Line2D([], [], label="Actors (size: partnerships)", **header))
    for kind in kinds:
        handles.append(Line2D([], [], marker=NODE_SHAPES[kind], color="#777777", linestyle="none",
                              markersize=8, label=kind))
    handles.append(Line2D([], [], label=" ", **header))
    handles.append(Line2D([], [], label="Country", **header))
    countries = list(colors)
    for code in countries[:LEGEND_COUNTRIES_MAX]:
        handles.append(Line2D([], [], marker="o", color=colors[code], linestyle="none", markersize=9, label=code))
    if len(countries) > LEGEND_COUNTRIES_MAX:
        handles.append(Line2D([], [], marker="o", color=OTHER_COLOR, linestyle="none", markersize=9,
                              label=f"{len(countries) - LEGEND_COUNTRIES_MAX} other countries"))
    legend = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(plot_w / (plot_w + legend_w) + 0.005,
                        1 - title_h), frameon=False, fontsize=10, handlelength=2.6, borderaxespad=0.2)
    headers = {"Partnerships", "Actors (size: partnerships)", "Country"}
    for text in legend.get_texts():
        if text.get_text() in headers:
            text.set_fontweight("bold")
            text.set_x(-30)
    partnerships = len({a["link"] for _, _, a in graph.edges(data=True) if a.get("relation") != "funds"})
    heading = title or "Partner network"
    fig.text(0.012, 1 - 0.35 / (plot_h + 0.8), heading, fontsize=15, fontweight="bold", va="center")
    fig.text(0.012, 1 - 0.68 / (plot_h + 0.8), f"{n} actors, {partnerships} partnerships; layout seed {seed}",
             fontsize=10, color="#555555", va="center")
    return fig


def save(graph: nx.MultiGraph, path: Path, title: str = "", seed: int = 7, label_max: int = LABEL_MAX,
         pos: dict[str, tuple[float, float]] | None = None) -> None:
    """Write an SVG or PNG (by suffix) atomically; the SVG is byte-for-byte reproducible."""
    import io

    import matplotlib

    fmt = path.suffix.lower().lstrip(".")
    if fmt not in {"svg", "png"}:
        raise ValueError(f"{path}: the picture must be .svg or .png")
    with matplotlib.rc_context({"svg.hashsalt": "coopkg-network", "svg.fonttype": "path",
                                "font.family": "DejaVu Sans"}):
        fig = figure(graph, title=title, seed=seed, label_max=label_max, pos=pos)
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, metadata=metadata, dpi=110 if fmt == "png" else 100,  # type: ignore[attr-defined]
                    facecolor="white")
    atomic.write_bytes(path, buffer.getvalue())


place_labels = _place_labels  # the map places its labels the same way

__all__ = ["LABEL_MAX", "figure", "labelled_nodes", "node_sizes", "place_labels", "save"]
