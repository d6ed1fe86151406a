"""How the network looks, shared by the static picture and the HTML page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from coopkg.network.project import ACTIVE, ENDED, ENDED_REORGANISATION, FUNDING, UNKNOWN


@dataclass(frozen=True)
class EdgeStyle:
    name: str
    label: str
    color: str
    dashed: bool
    width: float
    dotted: bool = False


EDGE_STYLES: dict[str, EdgeStyle] = {
    ACTIVE: EdgeStyle(ACTIVE, "ongoing (or planned)", "#2f7d32", False, 2.0),
    UNKNOWN: EdgeStyle(UNKNOWN, "status not stated", "#8c8c8c", False, 1.4),
    ENDED: EdgeStyle(ENDED, "ended", "#4a4a4a", True, 1.6),
    ENDED_REORGANISATION: EdgeStyle(ENDED_REORGANISATION, "ended by a reorganisation", "#d9480f", True, 2.2),
    FUNDING: EdgeStyle(FUNDING, "funds (funder to parties)", "#7b3294", False, 1.2, dotted=True),
}


def dash_pattern(style: EdgeStyle) -> tuple[int, tuple[float, float]] | str:
    """matplotlib line style of an edge style."""
    if style.dotted:
        return (0, (1.0, 2.0))
    return (0, (4.0, 2.5)) if style.dashed else "solid"

# Colour-blind-friendly qualitative colours (Okabe–Ito, then Tol's muted), then grey.
PALETTE = (
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442",
    "#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#882255", "#aa4499",
    "#6699cc", "#997700", "#994455", "#ee99aa", "#bbbbbb",
)
OTHER_COLOR = "#c8c8c8"

NODE_SHAPES = {"collectivity": "o", "institution": "s", "funder": "D"}


def country_colors(graph: nx.Graph) -> dict[str, str]:
    """A colour per country, most frequent first; countries beyond the palette share grey."""
    counts = Counter(attrs.get("country", "?") for _, attrs in graph.nodes(data=True))
    ordered = sorted(counts, key=lambda c: (-counts[c], c))
    return {c: (PALETTE[i] if i < len(PALETTE) - 1 and c != "?" else OTHER_COLOR) for i, c in enumerate(ordered)}


def edge_style_of(attrs: dict) -> EdgeStyle:
    return EDGE_STYLES[attrs.get("style", UNKNOWN)]
