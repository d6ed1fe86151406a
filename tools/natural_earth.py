"""Make data/geo/countries-110m.geojson from Natural Earth's 1:110m countries.

Run once by a maintainer, not at install or run time (coopkg reads the GeoJSON it
ships). The input is `countries-110m.json` of the npm package `world-atlas` (Natural
Earth 4.1.0 admin-0 boundaries as TopoJSON, public domain data; the package is ISC):

    npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    python tools/natural_earth.py package/countries-110m.json data/geo/countries-110m.geojson

TopoJSON is decoded here (quantised, delta-encoded arcs; ~30 lines) rather than with a
library because no maintained Python TopoJSON decoder is packaged; the output is plain
GeoJSON with ISO 3166-1 alpha-2 codes (pycountry maps the numeric ids), coordinates
rounded to 0.01° (1:110m data is no more precise than that), polygons crossing the
antimeridian unwrapped (longitudes may pass ±180 there: clip the drawing to the world).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

# Natural Earth names these without an ISO numeric id (disputed or not UN members).
NO_NUMERIC = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 2), round(y * sy + ty, 2)))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[list[float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])  # arcs share their end points
    return [list(p) for p in points]


def unwrapped(rings: list[list[list[float]]]) -> list[list[list[list[float]]]]:
    """A polygon whose rings jump across the antimeridian (Russia, Fiji), made continuous.

    Natural Earth draws such rings with a jump from +180 to -180, which a flat map shows
    as a band across the world. Each ring's longitudes are unwrapped (±360 where a step
    exceeds 180°); a polygon that then reaches past ±180 is returned twice, once shifted
    by 360°, and the map clips both to the world. Antarctica, which runs along the whole
    edge, only needs its jump removed.
    """
    fixed = []
    for r in rings:
        out = [r[0][:]]
        for lon, lat in r[1:]:
            previous = out[-1][0]
            while lon - previous > 180:
                lon -= 360
            while lon - previous < -180:
                lon += 360
            out.append([round(lon, 2), lat])
        fixed.append(out)
    west = min(p[0] for r in fixed for p in r)
    east = max(p[0] for r in fixed for p in r)
    copies = [fixed]
    if east > 180.001:
        copies.append([[[round(x - 360, 2), y] for x, y in r] for r in fixed])
    if west < -180.001:
        copies.append([[[round(x + 360, 2), y] for x, y in r] for r in fixed])
    return copies


def alpha2(geometry: dict) -> str | None:
    name = geometry["properties"]["name"]
    if geometry.get("id") is None:
        return NO_NUMERIC.get(name)
    country = pycountry.countries.get(numeric=geometry["id"])
    return country.alpha_2 if country else None


def convert(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        coordinates = [copy for polygon in polygons for copy in unwrapped([ring(arcs, r) for r in polygon])]
        features.append({
            "type": "Feature",
            "properties": {"iso": alpha2(geometry), "name": geometry["properties"]["name"]},
            "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
        })
    features.sort(key=lambda f: (f["properties"]["iso"] or "~", f["properties"]["name"]))
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:110m Admin 0 countries, version 4.1.0 (public domain), via world-atlas 2.0.2",
        "features": features,
    }


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    collection = convert(json.loads(source.read_text(encoding="utf-8")))
    target.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {target}: {len(collection['features'])} countries")
