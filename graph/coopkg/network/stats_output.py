"""`coopkg network stats` output: a readable table, CSV (one row per actor) or JSON."""

from __future__ import annotations

import csv
import json
from typing import TextIO

import networkx as nx

from coopkg.network.metrics import Metrics, NodeMetrics

COLUMNS = ("key", "label", "country", "kind", "degree", "weighted_degree", "betweenness", "component", "community")


def _row(m: NodeMetrics) -> dict[str, object]:
    return {"key": m.key, "label": m.label, "country": m.country, "kind": m.kind, "degree": m.degree,
            "weighted_degree": m.weighted_degree, "betweenness": round(m.betweenness, 6),
            "component": m.component, "community": m.community}


def write_csv(metrics: Metrics, out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_row(m) for m in metrics.nodes)


def write_json(metrics: Metrics, graph: nx.MultiGraph, countries: nx.Graph, filters: str, out: TextIO) -> None:
    key = {n: a.get("key", n) for n, a in graph.nodes(data=True)}
    payload = {
        "summary": metrics.summary(),
        "filters": filters,
        "actors": [_row(m) for m in metrics.nodes],
        "components": [[key[n] for n in comp] for comp in metrics.components],
        "communities": [[key[n] for n in comm] for comm in metrics.communities],
        "bridges": [[key[a], key[b]] for a, b in metrics.bridges],
        "countries": [{"a": a, "b": b, "partnerships": d["weight"]}
                      for a, b, d in sorted(countries.edges(data=True), key=lambda e: (-e[2]["weight"], e[0], e[1]))],
    }
    json.dump(payload, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def write_table(metrics: Metrics, graph: nx.MultiGraph, filters: str, top: int, out: TextIO) -> None:
    s = metrics.summary()
    label = {n: a.get("display") or a.get("label", n) for n, a in graph.nodes(data=True)}
    lines = [
        f"Partner network{' (' + filters + ')' if filters else ''}",
        f"  actors {s['actors']}, partnerships {s['partnerships']}, linked pairs {s['linked_pairs']}, "
        f"density {s['density']:.4f}",
        f"  components {s['components']} (largest: {s['largest_component']} actors), "
        f"Louvain communities {s['communities']}"
        + (f" (modularity {s['modularity']:.3f})" if s["modularity"] is not None else ""),
        f"  bridges {s['bridges']} (partnerships whose end would split their component)",
        f"  betweenness: {s['betweenness']}",
        "",
        f"{'#':>3}  {'actor':<32} {'country':<7} {'partners':>8} {'partnerships':>12} {'betweenness':>11} "
        f"{'community':>9}",
    ]
    for i, m in enumerate(metrics.nodes[:top], 1):
        lines.append(f"{i:>3}  {_fit(m.label, 32):<32} {m.country:<7} {m.degree:>8} {m.weighted_degree:>12} "
                     f"{m.betweenness:>11.4f} {m.community:>9}")
    if len(metrics.nodes) > top:
        lines.append(f"     … {len(metrics.nodes) - top} more (--top N, or --format csv for all)")
    if metrics.bridges:
        lines.append("")
        lines.append("bridges:")
        for a, b in metrics.bridges[:top]:
            lines.append(f"  {label[a]} — {label[b]}")
        if len(metrics.bridges) > top:
            lines.append(f"  … {len(metrics.bridges) - top} more")
    out.write("\n".join(lines) + "\n")
