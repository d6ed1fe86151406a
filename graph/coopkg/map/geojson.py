"""GeoJSON (RFC 7946) of a map: a Point per located actor, a line per partnership arc.

Coordinates are longitude, latitude in WGS 84 as RFC 7946 requires; an arc crossing the
antimeridian is a MultiLineString (RFC 7946 §3.1.9). Properties are flat scalars or
lists of strings, which QGIS and geopandas read as columns.
"""

from __future__ import annotations

import json
from pathlib import Path

from coopkg import atomic
from coopkg.map.project import MapData
from coopkg.network.export import funding_text
from coopkg.network.project import local_name


def _line(pieces: list[list[tuple[float, float]]]) -> dict:
    if len(pieces) == 1:
        return {"type": "LineString", "coordinates": [list(p) for p in pieces[0]]}
    return {"type": "MultiLineString", "coordinates": [[list(p) for p in piece] for piece in pieces]}


def collection(data: MapData) -> dict:
    graph = data.graph
    features = []
    for node, location in sorted(data.located.items()):
        attrs = graph.nodes[node]
        features.append({
            "type": "Feature",
            "id": node,
            "geometry": {"type": "Point", "coordinates": [location.longitude, location.latitude]},
            "properties": {
                "feature": "actor", "iri": node, "key": attrs.get("key", local_name(node)),
                "label": attrs.get("display") or attrs.get("label", node), "country": attrs.get("country", "?"),
                "kind": attrs.get("kind", "collectivity"), "subkind": attrs.get("subkind", ""),
                "partners": graph.degree(node), "point_source": location.source,
            },
        })
    for arc in data.arcs:
        attrs = arc.attrs
        features.append({
            "type": "Feature",
            "id": f"{arc.link}#{local_name(arc.source)}--{local_name(arc.target)}",
            "geometry": _line(arc.pieces),
            "properties": {
                "feature": "partnership" if attrs.get("relation") != "funds" else "funding",
                "iri": arc.link, "key": attrs.get("link_key") or local_name(arc.link), "title": attrs.get("title", ""),
                "source": graph.nodes[arc.source].get("key", local_name(arc.source)),
                "target": graph.nodes[arc.target].get("key", local_name(arc.target)),
                "source_label": graph.nodes[arc.source].get("label", ""),
                "target_label": graph.nodes[arc.target].get("label", ""),
                "status": attrs.get("status", "unknown"), "style": attrs.get("style", "unknown"),
                "start": attrs.get("start"), "end": attrs.get("end"),
                "end_reason": attrs.get("end_reason"), "reorganization": attrs.get("reorganization"),
                "kinds": list(attrs.get("kinds", [])), "themes": list(attrs.get("themes", [])),
                "funding": funding_text(attrs.get("funding") or {}), "distance_km": arc.distance_km,
            },
        })
    return {"type": "FeatureCollection", "features": features}


def write(data: MapData, path: Path) -> None:
    text = json.dumps(collection(data), ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    if str(path) == "-":
        import sys

        sys.stdout.write(text)
        return
    atomic.write_text(path, text)
