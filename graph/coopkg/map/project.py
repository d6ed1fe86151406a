"""From the filtered partner network and the actors' points to what a map draws.

The network projection (coopkg.network) gives actors and partnerships with every
attribute the pages show; this module adds each actor's point (GeoSPARQL, read by
``queries/network/locations.rq``), the great-circle arc of each located pair, the
country-pair aggregates drawn when a large map is zoomed out, and the list of actors
that have no point (listed, never dropped silently).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from coopkg.geo import distance_km, great_circle, parse_point
from coopkg.network.project import Lit, rows
from coopkg.store import Store


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    source: str  # where the point comes from: "GeoNames 674531", "Wikidata P625", "sheet.csv:12"

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


@dataclass(frozen=True)
class Arc:
    """One partnership between two located actors (a multilateral one gives one arc per pair)."""

    link: str
    source: str
    target: str
    attrs: dict
    distance_km: float
    pieces: list[list[tuple[float, float]]]  # (longitude, latitude), split at the antimeridian


@dataclass(frozen=True)
class CountryPair:
    """All arcs between two countries, drawn as one when a big map is zoomed out."""

    countries: tuple[str, str]
    count: int
    pieces: list[list[tuple[float, float]]]


@dataclass
class MapData:
    graph: nx.MultiGraph
    located: dict[str, Location]
    arcs: list[Arc] = field(default_factory=list)
    unlocated: list[str] = field(default_factory=list)  # actor IRIs without a point, sorted
    country_points: dict[str, tuple[float, float]] = field(default_factory=dict)
    country_pairs: list[CountryPair] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)  # partnerships with at least one end unlocated

    @property
    def partnerships(self) -> int:
        return len({a["link"] for _, _, a in self.graph.edges(data=True) if a.get("relation") != "funds"})


def _text(value: object) -> str:
    return value.text if isinstance(value, Lit) else str(value)


def locations(store: Store) -> tuple[dict[str, Location], list[str]]:
    """Each actor's point; and the actors whose WKT could not be read (with the text)."""
    found: dict[str, Location] = {}
    unreadable: list[str] = []
    for actor, _geometry, wkt, source in rows(store, "locations", ("actor", "geometry", "wkt", "source")):
        if actor in found:
            continue
        point = parse_point(_text(wkt))
        if point is None:
            unreadable.append(f"{actor}: {_text(wkt)!r}")
            continue
        found[actor] = Location(point[0], point[1], _text(source) if source is not None else "")
    return found, unreadable


def build(graph: nx.MultiGraph, located: dict[str, Location]) -> MapData:
    """Arcs, aggregates and the unlocated list for a (filtered) actor graph."""
    data = MapData(graph=graph, located={n: located[n] for n in graph.nodes if n in located})
    data.unlocated = sorted(n for n in graph.nodes if n not in located)
    partial: set[str] = set()
    pair_counts: dict[tuple[str, str], int] = defaultdict(int)
    for a, b, attrs in sorted(graph.edges(data=True), key=lambda e: (e[2]["link"], e[0], e[1])):
        if a not in located or b not in located:
            partial.add(attrs["link"])
            continue
        pa, pb = located[a].point, located[b].point
        data.arcs.append(Arc(attrs["link"], a, b, attrs, round(distance_km(pa, pb), 1), great_circle(pa, pb)))
        if attrs.get("relation") != "funds":
            ca, cb = sorted((graph.nodes[a].get("country", "?"), graph.nodes[b].get("country", "?")))
            pair_counts[(ca, cb)] += 1
    data.partial = sorted(partial)
    # A country's point on a zoomed-out map: the mean of its located actors (not the
    # country's centroid, so the arcs start where the partners are).
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for node, location in data.located.items():
        total = sums[graph.nodes[node].get("country", "?")]
        total[0] += location.latitude
        total[1] += location.longitude
        total[2] += 1
    data.country_points = {c: (round(t[0] / t[2], 4), round(t[1] / t[2], 4)) for c, t in sorted(sums.items())}
    for (ca, cb), count in sorted(pair_counts.items()):
        pieces = great_circle(data.country_points[ca], data.country_points[cb]) if ca != cb else []
        data.country_pairs.append(CountryPair((ca, cb), count, pieces))
    return data
