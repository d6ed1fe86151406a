"""Latitude and longitude cells of a table -> WGS 84 degrees, refused when they cannot be right.

Publishers write coordinates as ``45.75372``, ``45,75372`` (decimal comma: French and
Romanian spreadsheets), ``45.75372 N``, ``21°13'32"E`` or ``-21.2257``. A value outside
-90..90 (latitude) or -180..180 (longitude) is refused, never clamped. Two columns
swapped (a frequent slip: GeoJSON and WKT put longitude first) are recognised when the
latitude is out of range and would fit as a longitude, or when the party's country is
known and the point lies outside it while the swapped one lies inside; the point is then
refused with a message saying so rather than placed in the wrong hemisphere.

The country test uses the bounding boxes of Natural Earth's 1:110m outlines (shipped in
data/geo/, the map's outlines) widened by a margin, so a coastal town or an island the
coarse outlines leave out still fits; a country those outlines do not have is not tested.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from coopkg import resources

# Small countries and islands fall outside 1:110m outlines; one degree (about 110 km) is
# wider than any such generalisation and narrower than a swap or a lost sign usually moves a point.
MARGIN_DEGREES = 1.0
_HEMISPHERE = {"n": 1, "s": -1, "e": 1, "w": -1, "o": -1, "v": -1}  # o: ouest (fr), v: vest (ro)
_LATITUDE_LETTERS = {"n", "s"}
_DMS = re.compile(
    r"""^\s*(?P<pre>[NSEWOV])?\s*(?P<sign>[-+−])?\s*
    (?P<deg>\d+(?:[.,]\d+)?)\s*(?:°|º|˚|d|deg)?\s*
    (?:(?P<min>\d+(?:[.,]\d+)?)\s*['′’m]\s*)?
    (?:(?P<sec>\d+(?:[.,]\d+)?)\s*(?:["″”]|''|s)\s*)?
    (?P<post>[NSEWOV])?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


class CoordinateError(ValueError):
    """A coordinate cell that is not a number of degrees, or not one this axis can have."""


def degrees(text: str, axis: str) -> float:
    """The degrees of a latitude or longitude cell; CoordinateError when it does not read as one.

    ``axis`` is ``latitude`` or ``longitude``: it says which hemisphere letters fit (a
    latitude is N or S) and the range the value must be in."""
    match = _DMS.match(text)
    if match is None:
        raise CoordinateError(f"{text!r} is not a {axis} in degrees (45.75, 45,75, 45°45'13\"N)")
    letter = (match["pre"] or match["post"] or "").lower()
    if match["pre"] and match["post"]:
        raise CoordinateError(f"{text!r} has two hemisphere letters")
    if letter and (letter in _LATITUDE_LETTERS) != (axis == "latitude"):
        raise CoordinateError(f"{text!r} is marked {letter.upper()}, which is not a {axis}"
                              " (are the latitude and longitude columns swapped?)")
    if letter and match["sign"]:
        raise CoordinateError(f"{text!r} has both a sign and a hemisphere letter")
    value = float(match["deg"].replace(",", "."))
    for part, size in (("min", 60.0), ("sec", 3600.0)):
        if match[part] is not None:
            amount = float(match[part].replace(",", "."))
            if amount >= 60:
                raise CoordinateError(f"{text!r}: {amount:g} is not a number of {'minutes' if part == 'min' else 'seconds'}")
            value += amount / size
    if match["sign"] in ("-", "−") or _HEMISPHERE.get(letter, 1) < 0:
        value = -value
    return round(value, 6)  # a tenth of a metre: finer than any publisher measures


@dataclass(frozen=True)
class Checked:
    """A checked pair: the point, or why it is refused; a warning may come with a kept point."""

    latitude: float | None
    longitude: float | None
    error: str | None = None
    warning: str | None = None


def check(latitude: float, longitude: float, country: str | None) -> Checked:
    """The point if it can be right for a place in ``country``, else why not."""
    lat_ok, lon_ok = -90.0 <= latitude <= 90.0, -180.0 <= longitude <= 180.0
    box = country_boxes().get(country or "")
    if not lat_ok:
        swapped = -90.0 <= longitude <= 90.0 and abs(latitude) <= 180.0 and \
            (box is None or _inside(box, longitude, latitude))
        hint = " (the latitude and longitude columns look swapped)" if swapped else ""
        return Checked(None, None, f"latitude {latitude:g} is out of range (-90 to 90){hint}: the point is not used")
    if not lon_ok:
        return Checked(None, None, f"longitude {longitude:g} is out of range (-180 to 180): the point is not used")
    if box is None or _inside(box, latitude, longitude):
        return Checked(latitude, longitude)
    if -90.0 <= longitude <= 90.0 and _inside(box, longitude, latitude):
        return Checked(None, None, f"({latitude:g}, {longitude:g}) lies outside {country}, ({longitude:g}, "
                       f"{latitude:g}) inside it: the latitude and longitude look swapped; the point is not used")
    return Checked(latitude, longitude, warning=f"({latitude:g}, {longitude:g}) lies outside {country} "
                   "(more than a degree from its outline): check the signs and the country")


def _inside(box: tuple[float, float, float, float], latitude: float, longitude: float) -> bool:
    south, west, north, east = box
    return south - MARGIN_DEGREES <= latitude <= north + MARGIN_DEGREES and \
        west - MARGIN_DEGREES <= longitude <= east + MARGIN_DEGREES


@cache
def country_boxes() -> dict[str, tuple[float, float, float, float]]:
    """(south, west, north, east) of each country of Natural Earth's 1:110m outlines, by ISO alpha-2."""
    path = resources.folder("data") / "geo" / "countries-110m.geojson"
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        iso = feature["properties"].get("iso")
        if not iso or iso == "-99":
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        points = [pt for polygon in polygons for ring in polygon for pt in ring]
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        boxes[iso] = (min(lats), min(lons), max(lats), max(lons))
    return boxes
