"""The static map (SVG or PNG) for reports and slides, drawn with matplotlib.

Country outlines from Natural Earth 1:110m (shipped in data/geo/), in plate carrée
(longitude, latitude as x, y: what QGIS shows for EPSG:4326), framed on the located
partners; partnerships as great-circle arcs styled as in the network picture; actors
coloured by country, sized by partnerships, labelled without collisions. The SVG is
byte-for-byte reproducible.
"""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path

from coopkg import atomic, resources
from coopkg.map.project import MapData
from coopkg.network.draw import labelled_nodes, node_sizes, place_labels
from coopkg.network.style import EDGE_STYLES, NODE_SHAPES, OTHER_COLOR, country_colors, dash_pattern

LABEL_MAX = 40
MIN_SPAN = (24.0, 14.0)  # degrees of longitude, latitude: a map of one town still shows its region


@cache
def outlines() -> dict:
    """Natural Earth 1:110m countries (GeoJSON, ISO 3166-1 alpha-2 in ``properties.iso``)."""
    path = resources.folder("data") / "geo" / "countries-110m.geojson"
    return json.loads(path.read_text(encoding="utf-8"))


def extent(data: MapData, margin: float = 0.12) -> tuple[float, float, float, float]:
    """(west, east, south, north) framing every located actor and arc, never less than MIN_SPAN."""
    xs = [loc.longitude for loc in data.located.values()]
    ys = [loc.latitude for loc in data.located.values()]
    for arc in data.arcs:
        for piece in arc.pieces:
            xs.extend(p[0] for p in piece)
            ys.extend(p[1] for p in piece)
    if not xs:
        return (-180.0, 180.0, -60.0, 85.0)
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    width, height = max(east - west, MIN_SPAN[0]), max(north - south, MIN_SPAN[1])
    cx, cy = (west + east) / 2, (south + north) / 2
    width, height = width * (1 + 2 * margin), height * (1 + 2 * margin)
    return (max(-180.0, cx - width / 2), min(180.0, cx + width / 2), max(-85.0, cy - height / 2), min(85.0, cy + height / 2))


def figure(data: MapData, title: str = "", label_max: int = LABEL_MAX) -> object:
    """A matplotlib Figure of the map (not saved)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    west, east, south, north = extent(data)
    width_in = 12.0
    height_in = max(4.0, min(12.0, width_in * (north - south) / (east - west)))
    fig = Figure(figsize=(width_in + 3.0, height_in + 0.8), dpi=100)
    FigureCanvasAgg(fig)
    plot_share = width_in / (width_in + 3.0)
    title_h = 0.8 / (height_in + 0.8)
    ax = fig.add_axes((0.0, 0.0, plot_share, 1 - title_h))
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("auto")
    ax.set_facecolor("#eef4f8")
    ax.set_xticks([])
    ax.set_yticks([])

    polygons = [ring for feature in outlines()["features"] for polygon in feature["geometry"]["coordinates"]
                for ring in polygon[:1]]
    ax.add_collection(PolyCollection(polygons, facecolors="#f4f1ea", edgecolors="#b9b4a8", linewidths=0.5, zorder=0))

    graph = data.graph
    big = len(data.arcs) > 400
    by_style: dict[str, list] = {name: [] for name in EDGE_STYLES}
    for arc in data.arcs:
        by_style[arc.attrs.get("style", "unknown")].extend(arc.pieces)
    for order, name in enumerate(("funding", "unknown", "active", "ended", "ended-reorganisation")):
        if by_style[name]:
            style = EDGE_STYLES[name]
            ax.add_collection(LineCollection(by_style[name], colors=style.color,
                                             linewidths=style.width * (0.45 if big else 1.0), linestyles=dash_pattern(style),
                                             alpha=0.45 if big else 0.9, zorder=1 + order * 0.1, capstyle="round"))

    located = sorted(data.located)
    sub = graph.subgraph(located)
    sizes = node_sizes(graph)
    colors = country_colors(sub)
    pos = {n: (data.located[n].longitude, data.located[n].latitude) for n in located}
    for kind, marker in NODE_SHAPES.items():
        members = [n for n in located if graph.nodes[n].get("kind", "collectivity") == kind]
        if members:
            ax.scatter([pos[m][0] for m in members], [pos[m][1] for m in members], s=[sizes[m] * 0.6 for m in members],
                       c=[colors.get(graph.nodes[m].get("country", "?"), OTHER_COLOR) for m in members],
                       marker=marker, edgecolors="white", linewidths=0.9, zorder=3)
    label_sizes = {n: sizes[n] * 0.6 for n in located}
    named = labelled_nodes(sub, label_max)
    # On an atlas-scale map every marker as an obstacle makes placing 40 names take
    # seconds; the names then avoid each other and the named places only.
    obstacles = sub if len(located) <= 2000 else sub.subgraph(named)
    place_labels(ax, fig, obstacles, pos, label_sizes, named, 9.0, force=len(located) <= 30, segments={})

    handles: list = [Line2D([], [], linestyle="none", label="Partnerships")]
    present = {arc.attrs.get("style", "unknown") for arc in data.arcs}
    for name in ("active", "unknown", "ended", "ended-reorganisation", "funding"):
        if name in present:
            style = EDGE_STYLES[name]
            handles.append(Line2D([], [], color=style.color, lw=style.width, linestyle=dash_pattern(style), label=style.label))
    handles.append(Line2D([], [], linestyle="none", label=" "))
    handles.append(Line2D([], [], linestyle="none", label="Country"))
    for code in list(colors)[:15]:
        handles.append(Line2D([], [], marker="o", color=colors[code], linestyle="none", markersize=8, label=code))
    legend = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(plot_share + 0.005, 1 - title_h),
                        frameon=False, fontsize=9.5, handlelength=2.6)
    for text in legend.get_texts():
        if text.get_text() in {"Partnerships", "Country"}:
            text.set_fontweight("bold")
    fig.text(0.012, 1 - 0.35 / (height_in + 0.8), title or "Partners on the map", fontsize=15, fontweight="bold", va="center")
    missing = f"; {len(data.unlocated)} without a point, not shown" if data.unlocated else ""
    fig.text(0.012, 1 - 0.68 / (height_in + 0.8),
             f"{len(located)} located actors, {len(data.arcs)} arcs{missing}. Outlines: Natural Earth 1:110m",
             fontsize=9.5, color="#555555", va="center")
    return fig


def save(data: MapData, path: Path, title: str = "", label_max: int = LABEL_MAX) -> None:
    """Write an SVG or PNG (by suffix) atomically; the SVG is reproducible."""
    import matplotlib

    fmt = path.suffix.lower().lstrip(".")
    if fmt not in {"svg", "png"}:
        raise ValueError(f"{path}: the picture must be .svg or .png")
    with matplotlib.rc_context({"svg.hashsalt": "coopkg-map", "svg.fonttype": "path", "font.family": "DejaVu Sans"}):
        fig = figure(data, title=title, label_max=label_max)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else {"Software": None},  # type: ignore[attr-defined]
                    dpi=110 if fmt == "png" else 100, facecolor="white")
    atomic.write_bytes(path, buffer.getvalue())
