"""Spherical geometry: WKT points (the emitter writes them), great-circle distance and arcs (the map).

Hand-written (about 60 lines) rather than a GIS dependency: the map needs only points on
a sphere, and pyproj/shapely would add ~30 MB of compiled code for two formulas.
"""

from __future__ import annotations

import math
import re

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG), the usual choice for haversine distances

_POINT = re.compile(
    r"^\s*(?:<[^>]*>\s*)?POINT\s*\(\s*([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s+([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*\)\s*$",
    re.IGNORECASE,
)
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def parse_point(wkt: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a WKT ``POINT(long lat)`` in CRS84 (GeoSPARQL's default), or None."""
    if wkt.lstrip().startswith("<") and not wkt.lstrip().startswith(f"<{CRS84}>"):
        return None  # another reference system: coordinates are not degrees of CRS84
    match = _POINT.match(wkt)
    if not match:
        return None
    longitude, latitude = float(match.group(1)), float(match.group(2))
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        return None
    return latitude, longitude


def point_wkt(latitude: float, longitude: float) -> str:
    """GeoSPARQL WKT of a point: longitude first (CRS84 axis order), 5 decimals (about 1 m)."""
    return f"POINT({_number(longitude)} {_number(latitude)})"


def _number(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points, haversine formula."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _vector(point: tuple[float, float]) -> tuple[float, float, float]:
    lat, lon = math.radians(point[0]), math.radians(point[1])
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def great_circle(a: tuple[float, float], b: tuple[float, float], step_km: float = 250.0) -> list[list[tuple[float, float]]]:
    """The shorter great-circle arc from a to b as (longitude, latitude) pieces.

    Several pieces when the arc crosses the antimeridian (GeoJSON and flat maps draw a
    piece that jumps from +180 to -180 as a line across the whole world).
    """
    angle = distance_km(a, b) / EARTH_RADIUS_KM
    steps = max(1, math.ceil(distance_km(a, b) / step_km))
    va, vb = _vector(a), _vector(b)
    points: list[tuple[float, float]] = []
    for i in range(steps + 1):
        t = i / steps
        if angle < 1e-9:
            x, y, z = va
        else:  # spherical linear interpolation
            wa, wb = math.sin((1 - t) * angle) / math.sin(angle), math.sin(t * angle) / math.sin(angle)
            x, y, z = (wa * va[k] + wb * vb[k] for k in range(3))
        lon = math.degrees(math.atan2(y, x))
        lat = math.degrees(math.atan2(z, math.hypot(x, y)))
        points.append((round(lon, 4), round(lat, 4)))
    pieces = [[points[0]]]
    for previous, current in zip(points, points[1:], strict=False):
        if abs(current[0] - previous[0]) > 180:  # crossed the antimeridian: close at the edge, reopen
            edge = 180.0 if previous[0] > 0 else -180.0
            span = (edge - previous[0]) / ((current[0] + 2 * edge) - previous[0]) if current[0] != previous[0] else 0
            lat = round(previous[1] + (current[1] - previous[1]) * span, 4)
            pieces[-1].append((edge, lat))
            pieces.append([(-edge, lat)])
        pieces[-1].append(current)
    return pieces
