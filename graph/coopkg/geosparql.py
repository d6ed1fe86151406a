"""GeoSPARQL's geof:distance for rdflib, so the canned queries answer alike on both engines.

pyoxigraph evaluates ``geof:distance(?a, ?b, uom:metre)`` itself (on a sphere of the
IUGG mean radius); rdflib has no GeoSPARQL functions, so this module registers the
same function with it (points only, the same radius, metres or kilometres), once, when
coopkg.store makes its first rdflib store. Anything else (another geometry, unit or reference system)
raises, which SPARQL turns into an unbound value rather than a wrong number.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from coopkg.geo import distance_km, parse_point

DISTANCE = URIRef("http://www.opengis.net/def/function/geosparql/distance")
UNITS_IN_METRES = {
    "http://www.opengis.net/def/uom/OGC/1.0/metre": 1.0,
    "http://qudt.org/vocab/unit/M": 1.0,
    "http://qudt.org/vocab/unit/KiloM": 1000.0,
}


def _distance(a: object, b: object, unit: object = None) -> Literal:
    from rdflib.plugins.sparql.sparql import SPARQLError  # loaded by the engine calling this

    points = [parse_point(str(term)) if isinstance(term, Literal) else None for term in (a, b)]
    if points[0] is None or points[1] is None:
        raise SPARQLError("geof:distance: both arguments must be WKT points in CRS84")
    scale = UNITS_IN_METRES.get(str(unit)) if unit is not None else 1.0
    if scale is None:
        raise SPARQLError(f"geof:distance: unit {unit} is not supported (metre or kilometre)")
    return Literal(distance_km(points[0], points[1]) * 1000.0 / scale, datatype=XSD.double)


_registered = False


def register() -> None:
    """Register geof:distance with rdflib's SPARQL engine (idempotent)."""
    global _registered
    if not _registered:
        # imported here: rdflib's SPARQL package builds its grammar on import (0.15-0.2 s)
        from rdflib.plugins.sparql.operators import register_custom_function

        register_custom_function(DISTANCE, _distance, raw=False)
        _registered = True
