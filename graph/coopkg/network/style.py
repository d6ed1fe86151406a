"""How the network looks, shared by the static picture and the HTML page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx
import yaml

from coopkg import resources
from coopkg.network.project import ACTIVE, ENDED, ENDED_REORGANISATION, FUNDING, UNKNOWN


@dataclass(frozen=True)
class EdgeStyle:
    name: str
    label: str  # English: the static pictures' legend
    color: str
    dashed: bool
    width: float
    dotted: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # language -> name, for the pages' legends


def _edge_styles() -> dict[str, EdgeStyle]:
    """The styles of data/edge-styles.yaml, in the projection's order; a style missing there is a packaging bug."""
    raw = yaml.safe_load((resources.folder("data") / "edge-styles.yaml").read_text(encoding="utf-8"))
    missing = [name for name in _ORDER if name not in raw]
    if missing:
        raise RuntimeError(f"data/edge-styles.yaml has no style {', '.join(missing)}")
    styles = {}
    for name in _ORDER:
        entry = raw[name]
        labels = {str(lang): str(text) for lang, text in entry["labels"].items()}
        styles[name] = EdgeStyle(name, labels["en"], str(entry["color"]), bool(entry.get("dashed", False)),
                                 float(entry["width"]), bool(entry.get("dotted", False)), labels)
    return styles


_ORDER = (ACTIVE, UNKNOWN, ENDED, ENDED_REORGANISATION, FUNDING)
EDGE_STYLES: dict[str, EdgeStyle] = _edge_styles()


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
