"""Exports for the tools people already use: GraphML, GEXF (Gephi) and a CSV edge list.

GraphML and GEXF only hold scalar attributes, so lists become ``;``-separated text,
funding becomes one ``funding_<CURRENCY>`` number per currency (plus a readable
``funding`` text), and missing values are left out rather than written as "None".
Files are written atomically.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import networkx as nx

from coopkg import atomic

EDGE_COLUMNS = (
    "source", "target", "source_label", "target_label", "source_country", "target_country",
    "partnership", "title", "kinds", "status", "end_reason", "reorganization", "start", "end",
    "start_year", "end_year", "themes", "funding", "style", "relation",
)


def _scalar(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple | set):
        return ";".join(str(v) for v in value)
    return value


def funding_text(funding: dict[str, Decimal]) -> str:
    return "; ".join(f"{amount:f} {currency}" for currency, amount in sorted(funding.items()))


def scalar_graph(graph: nx.Graph) -> nx.Graph:
    """A copy (multigraph or not, as given) whose attributes are all str, int, float or bool."""
    out = nx.MultiGraph() if graph.is_multigraph() else nx.Graph()
    for node, attrs in sorted(graph.nodes(data=True)):
        out.add_node(node, **{k: _scalar(v) for k, v in sorted(attrs.items()) if v is not None})
    if graph.is_multigraph():
        edges = list(graph.edges(keys=True, data=True))
    else:
        edges = [(a, b, None, d) for a, b, d in graph.edges(data=True)]
    for a, b, key, attrs in sorted(edges, key=lambda e: (e[0], e[1], str(e[2]))):
        data = {k: _scalar(v) for k, v in sorted(attrs.items()) if v is not None and k not in ("funding", "titles")}
        for lang, text in sorted((attrs.get("titles") or {}).items()):
            data[f"title_{lang}"] = text  # one column per language, as funding_<CURRENCY>
        funding = attrs.get("funding") or {}
        for currency, amount in sorted(funding.items()):
            data[f"funding_{currency}"] = float(amount)
        if funding:
            data["funding"] = funding_text(funding)
        if key is None:
            out.add_edge(a, b, **data)
        else:
            out.add_edge(a, b, key=key, **data)
    return out


def write_graphml(graph: nx.Graph, path: Path) -> None:
    buffer = io.BytesIO()
    nx.write_graphml(scalar_graph(graph), buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    atomic.write_bytes(path, buffer.getvalue())


def write_gexf(graph: nx.Graph, path: Path) -> None:
    scalar = scalar_graph(graph)
    for node, attrs in scalar.nodes(data=True):
        attrs["label"] = attrs.get("display") or attrs.get("label") or node  # Gephi shows "label"
    buffer = io.BytesIO()
    nx.write_gexf(scalar, buffer, encoding="utf-8", prettyprint=True)
    atomic.write_bytes(path, buffer.getvalue())


def edge_rows(graph: nx.MultiGraph) -> list[dict[str, object]]:
    rows = []
    for a, b, attrs in sorted(graph.edges(data=True), key=lambda e: (e[2]["link"], e[0], e[1])):
        na, nb = graph.nodes[a], graph.nodes[b]
        rows.append({
            "source": na.get("key", a), "target": nb.get("key", b),
            "source_label": na.get("label", ""), "target_label": nb.get("label", ""),
            "source_country": na.get("country", ""), "target_country": nb.get("country", ""),
            "partnership": attrs["link"], "title": attrs.get("title", ""),
            "kinds": ";".join(attrs.get("kinds", [])), "status": attrs.get("status", ""),
            "end_reason": attrs.get("end_reason") or "", "reorganization": attrs.get("reorganization") or "",
            "start": attrs.get("start") or "", "end": attrs.get("end") or "",
            "start_year": attrs.get("start_year") or "", "end_year": attrs.get("end_year") or "",
            "themes": ";".join(attrs.get("themes", [])), "funding": funding_text(attrs.get("funding") or {}),
            "style": attrs.get("style", ""), "relation": attrs.get("relation", "partnership"),
        })
    return rows


def write_edges_csv(graph: nx.MultiGraph, path: Path) -> None:
    with atomic.atomic_write(path) as handle:
        writer = csv.DictWriter(handle, fieldnames=EDGE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(edge_rows(graph))
