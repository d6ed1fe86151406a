"""Latitude and longitude columns in publishers' tables: pair lists, registries, mapped sheets and joins.

The fixtures (tests/fixtures/readers/coordinates/) are in the shapes these come in: an
OpenStreetMap-style twin list with lat1/lon1/lat2/lon2, a French list with decimal commas,
degrees-minutes-seconds and two columns both named "latitude", a Romanian registry with
Latitudine/Longitudine, a Gephi-style links + nodes export, a department's sheet with
"Lat. partenaire". Each has rows that cannot be right (swapped, out of range, half a pair).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from coopkg import build
from coopkg.cli import main
from coopkg.normalise.coordinates import CoordinateError, check, degrees
from coopkg.normalise.headers import pair_columns
from coopkg.readers import pick, read_source
from coopkg.records import Actor

FIX = Path(__file__).parent / "fixtures" / "readers" / "coordinates"


def points(result) -> dict[str, tuple[float, float, str | None] | None]:
    return {r.key: (r.point.latitude, r.point.longitude, r.point.source) if r.point else None
            for r in result.records if isinstance(r, Actor)}


def problems(result) -> list[tuple[int | None, str | None, str, str]]:
    """The problems about coordinates: line, field, severity, message."""
    return [(p.line, p.field, p.severity, p.message) for p in result.problems
            if p.field and p.field.endswith(("_latitude", "_longitude"))]


@pytest.mark.parametrize(("text", "axis", "value"), [
    ("45.75372", "latitude", 45.75372),
    ("45,75372", "latitude", 45.75372),
    ("-1,67429", "longitude", -1.67429),
    ("46°59′32″N", "latitude", 46.992222),
    ("2°56'W", "longitude", -2.933333),
    ("N 6,3630", "latitude", 6.363),
    ("21° 13' 32\" E", "longitude", 21.225556),
    ("10.5 V", "longitude", -10.5),  # vest (ro)
    ("3,5 O", "longitude", -3.5),  # ouest (fr)
])
def test_degrees_as_publishers_write_them(text, axis, value):
    assert degrees(text, axis) == pytest.approx(value, abs=1e-6)


@pytest.mark.parametrize(("text", "axis", "words"), [
    ("45.7 E", "latitude", "not a latitude"),
    ("0,63 N", "longitude", "swapped"),
    ("45°75'", "latitude", "minutes"),
    ("-45 S", "latitude", "both a sign"),
    ("north", "latitude", "not a latitude in degrees"),
    ("45.1.2", "longitude", "not a longitude"),
])
def test_degrees_refused(text, axis, words):
    with pytest.raises(CoordinateError, match=words):
        degrees(text, axis)


def test_check_ranges_and_swaps_against_the_country():
    assert check(45.75, 21.23, "RO").error is None  # Timișoara
    assert "swapped" in (check(21.23, 45.75, "RO").error or "")  # both in range, only swapped fits Romania
    assert "out of range" in (check(95.0, 21.0, None).error or "")
    assert "swapped" in (check(120.0, 45.0, None).error or "")  # could only be a longitude
    assert "swapped" not in (check(120.0, 7.7, "DE").error or "")  # (7.7, 120) is no more in Germany
    assert "out of range" in (check(45.0, 181.0, None).error or "")
    lost_sign = check(39.739, 104.985, "US")  # Denver with its western longitude's sign lost
    assert lost_sign.latitude == 39.739 and "outside US" in (lost_sign.warning or "")
    assert check(-21.1, 55.5, "XX").error is None  # a country without an outline is not tested


def test_pair_headers_with_coordinates_for_both_sides():
    roles = pair_columns(["city1", "country1", "lat1", "lon1", "city2", "country2", "lat2", "lon2"])
    assert roles == {0: "name_a", 1: "country_a", 2: "latitude_a", 3: "longitude_a",
                     4: "name_b", 5: "country_b", 6: "latitude_b", 7: "longitude_b"}
    # unmarked coordinate columns belong to the name before them; "city1_lat" is a latitude, not a name
    assert pair_columns(["ville", "pays", "latitude", "longitude", "ville jumelle", "pays", "latitude", "longitude"]) \
        == {0: "name_a", 1: "country_a", 2: "latitude_a", 3: "longitude_a",
            4: "name_b", 5: "country_b", 6: "latitude_b", 7: "longitude_b"}
    assert pair_columns(["city1", "city1_lat", "city1_lng", "city2", "city2_lat", "city2_lng"]) == \
        {0: "name_a", 1: "latitude_a", 2: "longitude_a", 3: "name_b", 4: "latitude_b", 5: "longitude_b"}


def test_osm_style_twin_list_with_two_coordinate_pairs():
    path = FIX / "twins-osm.csv"
    assert pick(path).NAME == "pairs"
    result = read_source(path)
    found = points(result)
    # a place met with no point gets the sheet's, its source the file and row
    assert found["ie-ballinamore"] == (54.05222, -7.80222, "twins-osm.csv:2")
    # one GeoNames places 300 m away keeps GeoNames' point, silently: the same place
    assert found["fr-plouguerneau"][2] == "GeoNames 2986664"
    listed = problems(result)
    assert (5, "institution_latitude", "error") == listed[0][:3] and "swapped" in listed[0][3]
    assert (6, "institution_latitude", "error") == listed[1][:3] and "out of range" in listed[1][3]
    assert (7, "institution_longitude", "error") == listed[2][:3] and "without a longitude" in listed[2][3]
    # the refused points' places keep GeoNames' point (Arad) and their partnerships still load
    assert found["ro-arad-gn686254"][2] == "GeoNames 686254"
    assert sum(r.__class__.__name__ == "Partnership" for r in result.records) == 5


def test_french_list_with_decimal_commas_and_degrees_minutes_seconds():
    result = read_source(FIX / "jumelages-coords-fr.csv")
    found = points(result)
    assert found["ch-motiers"] == (46.911111, 6.61, "jumelages-coords-fr.csv:2")  # 46°54′40″N 6°36′36″E
    # Denver written with its longitude's sign lost: outside the US, and far from GeoNames' Denver
    listed = [p for p in problems(result) if p[0] == 3]
    assert [p[:3] for p in listed] == [(3, "partner_latitude", "warning")] * 2
    assert "outside US" in listed[0][3] and "first point is kept" in listed[1][3]
    assert found["us-denver-gn5419384"][1] == pytest.approx(-104.98, abs=0.01)


def test_romanian_registry_latitudine_longitudine_are_the_partners():
    result = read_source(FIX / "registru-coords-ro.tsv")
    assert result.reader == "registry"
    found = points(result)
    assert found["fr-communaute-de-communes-du-val-de-drome"] == (44.7536, 4.9942, "registru-coords-ro.tsv:3")
    assert found["es-comunidad-de-villa-nueva"] is None  # swapped: refused, the agreement kept
    swapped = [p for p in problems(result) if p[1] == "partner_latitude"]
    assert swapped and swapped[0][:3] == (4, "partner_latitude", "error") and "swapped" in swapped[0][3]
    assert result.mapping["columns"]["partner_latitude"] == "Latitudine"  # --write-mapping keeps them


def test_gephi_style_nodes_file_with_coordinates():
    result = read_source(FIX / "ties.csv")
    assert result.reader == "mapped"
    found = points(result)
    assert found["de-eichstetten-am-kaiserstuhl"] == (48.0906, 7.7469, "ties.csv:3")
    assert found["de-nowhere"] is None
    assert [(p[0], p[1], p[2]) for p in problems(result) if "range" in p[3]] == [(4, "institution_latitude", "error")]


def test_department_sheet_through_a_mapping_and_the_graph_it_builds(tmp_path):
    result = read_source(FIX / "conventions.csv")
    found = points(result)
    assert found["bf-tiebele"] == (11.0964, -0.965, "conventions.csv:2")
    assert found["bf-rurale-de-dissin"][:2] == pytest.approx((10.933333, -2.933333))
    fields = {(p[0], p[1]) for p in problems(result) if p[2] == "error"}
    assert fields == {(5, "partner_longitude"), (6, "partner_longitude")}
    assert main(["build", str(FIX / "conventions.csv"), "--out", str(tmp_path), "-q"]) in (0, 1)
    graph = rdflib.Graph().parse(tmp_path / "graph.ttl")
    rows = {str(r.wkt): str(r.source) for r in graph.query(
        """PREFIX geo: <http://www.opengis.net/ont/geosparql#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?wkt ?source WHERE { ?a geo:hasGeometry ?g . ?g geo:asWKT ?wkt ; dcterms:source ?source }""")}
    assert rows["POINT(-0.965 11.0964)"] == "conventions.csv:2"


def test_a_curated_place_keeps_its_point_and_a_far_one_is_a_warning(tmp_path):
    sheet = tmp_path / "ties.csv"
    sheet.write_text("Source,Target,Year,Lat,Long\nJudețul Timiș,Département de la Manche,1995,45.75,21.23\n"
                     "Județul Timiș,Département du Gers,1996,44.43,26.10\n", encoding="utf-8")
    (tmp_path / "ties.mapping.yaml").write_text(
        "coopkg-mapping: 1\nrecord: partnership\ncolumns: {institution: Source, partner: Target, date: Year, "
        "institution_latitude: Lat, institution_longitude: Long}\ndefaults: {home_country: RO, country: FR}\n",
        encoding="utf-8")
    loaded = build.load([sheet])
    timis = next(r for r in loaded.records if isinstance(r, Actor) and r.key == "ro-timis")
    assert timis.point is not None and timis.point.source.startswith("GeoNames 665087")
    far = [p for p in loaded.problems if p.field == "institution_latitude"]
    assert [(p.line, p.severity) for p in far] == [(3, "warning")]  # Bucharest's point for Timiș: 420 km away
    assert "'ro-timis' is placed 4" in far[0].message
