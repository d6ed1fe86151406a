"""Filters on the actor multigraph: country, years, status, and the neighbourhood of one actor.

Every filter keeps partnerships (edges) and then drops the actors left without one,
except the centre of ``around``. Unknown dates never exclude a partnership: a filter
on years only drops what the known dates place outside the asked period.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from coopkg.network.project import local_name

STATUSES = ("ongoing", "planned", "ended", "unknown")


class FilterError(ValueError):
    """A filter that cannot be applied (an unknown actor, a bad period)."""


@dataclass
class Filters:
    countries: list[str] = field(default_factory=list)  # ISO codes; an edge touching one is kept
    since: int | None = None
    until: int | None = None
    statuses: list[str] = field(default_factory=list)
    around: str | None = None  # key, IRI or name of an actor
    hops: int = 1

    def describe(self) -> str:
        """A short human line of what was kept ("" when nothing is filtered)."""
        parts = []
        if self.countries:
            parts.append("country " + ", ".join(self.countries))
        if self.since is not None or self.until is not None:
            parts.append(f"years {self.since or '…'}–{self.until or '…'}")
        if self.statuses:
            parts.append("status " + ", ".join(self.statuses))
        if self.around:
            parts.append(f"{self.hops} hop(s) around {self.around}")
        return "; ".join(parts)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def find_actor(graph: nx.Graph, name: str) -> str:
    """The node an actor key, IRI or name stands for (case and accents ignored)."""
    if name in graph:
        return name
    wanted = _fold(name)
    for attr in ("key", "label", "display"):
        hits = sorted(n for n, a in graph.nodes(data=True) if _fold(str(a.get(attr, ""))) == wanted)
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise FilterError(f"{name!r} names {len(hits)} actors: {', '.join(local_name(h) for h in hits)}")
    partial = sorted(n for n, a in graph.nodes(data=True) if wanted in _fold(str(a.get("label", ""))))
    if len(partial) == 1:
        return partial[0]
    if partial:
        shown = ", ".join(local_name(h) for h in partial[:8])
        raise FilterError(f"{name!r} matches {len(partial)} actors ({shown}); give the key")
    raise FilterError(f"no actor {name!r} in the network (give a key such as ro-timis, or a name)")


def active_in(attrs: dict, since: int | None, until: int | None) -> bool:
    """Whether a partnership's known dates let it overlap [since, until]."""
    start, end = attrs.get("start_year"), attrs.get("end_year")
    if start is None:
        start = end  # docs/time.md: an unknown start is no "since forever", but the first known year
    if until is not None and start is not None and start > until:
        return False
    return not (since is not None and end is not None and end < since)


def apply(graph: nx.MultiGraph, filters: Filters) -> nx.MultiGraph:
    """A filtered copy of the actor multigraph (the input is left as it is)."""
    if filters.since is not None and filters.until is not None and filters.since > filters.until:
        raise FilterError(f"--since {filters.since} is after --until {filters.until}")
    unknown = sorted(set(filters.statuses) - set(STATUSES))
    if unknown:
        raise FilterError(f"unknown status {', '.join(unknown)} (known: {', '.join(STATUSES)})")
    countries = {c.upper() for c in filters.countries}
    keep: list[tuple[str, str, str]] = []
    for a, b, key, attrs in graph.edges(keys=True, data=True):
        if countries and not ({graph.nodes[a]["country"], graph.nodes[b]["country"]} & countries):
            continue
        if filters.statuses and attrs["status"] not in filters.statuses:
            continue
        if not active_in(attrs, filters.since, filters.until):
            continue
        keep.append((a, b, key))
    out = graph.edge_subgraph(keep).copy()
    out.graph.update(graph.graph)
    if filters.around:
        centre = find_actor(graph, filters.around)
        if filters.hops < 0:
            raise FilterError("--hops must be 0 or more")
        if centre not in out:
            out.add_node(centre, **graph.nodes[centre])
        near = nx.ego_graph(out, centre, radius=filters.hops)
        out = out.subgraph(near.nodes).copy()
        out.graph.update(graph.graph)
        out.graph["centre"] = centre
    return out


def restrict(graph: nx.MultiGraph, nodes: Iterable[str]) -> nx.MultiGraph:
    sub = graph.subgraph(nodes).copy()
    sub.graph.update(graph.graph)
    return sub
