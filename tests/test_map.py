"""The map: points in the graph, great-circle geometry, GeoJSON, pictures and the command."""

from __future__ import annotations

import json
import math
import re

import networkx as nx
import pytest
import yaml

from coopkg import cli, resources
from coopkg.geo import distance_km, great_circle, parse_point, point_wkt
from coopkg.map import draw, geojson, page
from coopkg.map.project import Location, build, locations
from coopkg.network import project

GEO = "http://www.opengis.net/ont/geosparql#"


# ---- geometry -----------------------------------------------------------------
@pytest.mark.parametrize(("a", "b", "km"), [
    ((48.8566, 2.3522), (51.5074, -0.1278), 343.5),  # Paris–London, about 344 km
    ((45.75372, 21.22571), (48.58392, 7.74553), 1065.0),  # Timișoara–Strasbourg
    ((0.0, 0.0), (0.0, 180.0), math.pi * 6371.0088),  # half the equator
])
def test_distance_is_the_great_circle_distance(a, b, km):
    assert distance_km(a, b) == pytest.approx(km, rel=0.003)
    assert distance_km(a, b) == pytest.approx(distance_km(b, a))


def test_arcs_follow_the_great_circle_and_split_at_the_antimeridian():
    # Tokyo -> San Francisco crosses the Pacific, not Europe.
    pieces = great_circle((35.68, 139.69), (37.77, -122.42))
    assert len(pieces) == 2
    assert pieces[0][0] == (139.69, 35.68) and pieces[-1][-1] == (-122.42, 37.77)
    assert pieces[0][-1][0] == 180.0 and pieces[1][0][0] == -180.0
    assert pieces[0][-1][1] == pieces[1][0][1]  # the two pieces meet
    for piece in pieces:
        for (x0, _), (x1, _) in zip(piece, piece[1:], strict=False):
            assert abs(x1 - x0) < 20  # no jump across the map
    # Between two European towns: one piece, its highest point north of both ends.
    (piece,) = great_circle((45.75, 21.23), (48.58, 7.75))
    assert max(p[1] for p in piece) >= 48.58


def test_wkt_points_are_read_longitude_first_and_refused_outside_crs84():
    assert parse_point("POINT(21.2257 45.7537)") == (45.7537, 21.2257)
    assert parse_point("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT (5 45)") == (45.0, 5.0)
    assert parse_point("<http://www.opengis.net/def/crs/EPSG/0/3857> POINT(2400000 5700000)") is None
    assert parse_point("POINT(200 45)") is None  # longitude out of range
    assert parse_point("LINESTRING(0 0, 1 1)") is None
    assert point_wkt(45.75372, 21.22571) == "POINT(21.22571 45.75372)"


# ---- points in the graph --------------------------------------------------------
def test_every_gazetteer_point_is_in_the_graph_with_its_source(bundled_store):
    gazetteer = yaml.safe_load((resources.folder("data") / "gazetteer.yaml").read_text(encoding="utf-8"))
    expected = {e["key"]: e["point"] for e in gazetteer["collectivities"] if "point" in e}
    assert len(expected) >= 50
    found, unreadable = locations(bundled_store)
    assert unreadable == []
    by_key = {iri.rsplit("/", 1)[-1]: loc for iri, loc in found.items()}
    for key, point in expected.items():
        assert key in by_key, f"{key} has a point in the gazetteer but none in the graph"
        loc = by_key[key]
        assert (loc.latitude, loc.longitude) == pytest.approx((point["lat"], point["long"]), abs=1e-5)
        assert loc.source == point["source"] and loc.source.startswith("GeoNames ")


def test_points_are_geosparql_geometries_derived_from_geonames(bundled_store):
    rows = bundled_store.query(f"""
        PREFIX geo: <{GEO}>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?wkt ?from WHERE {{
          ?actor geo:hasGeometry ?g . ?g a geo:Geometry ; geo:asWKT ?wkt ; prov:wasDerivedFrom ?from .
          FILTER(STRENDS(STR(?actor), "/ro-timisoara"))
        }}""").rows
    assert len(rows) == 1
    wkt, source = rows[0]
    assert str(wkt) == "POINT(21.22571 45.75372)" and str(wkt.datatype) == GEO + "wktLiteral"
    assert str(source) == "https://sws.geonames.org/665087/"


# ---- the map of the bundled dataset --------------------------------------------
@pytest.fixture(scope="module")
def bundled_map(bundled_store):
    projection = project(bundled_store)
    found, _ = locations(bundled_store)
    return build(projection.actors, found)


def test_actors_without_a_point_are_listed_not_dropped(bundled_map):
    graph = bundled_map.graph
    assert set(bundled_map.located) | set(bundled_map.unlocated) == set(graph.nodes)
    keys = {graph.nodes[n]["key"] for n in bundled_map.unlocated}
    assert "lb-kab-elias" in keys  # no GeoNames point found: listed, not guessed
    # every arc joins two located actors; every partnership with an unlocated end is counted
    assert all(a.source in bundled_map.located and a.target in bundled_map.located for a in bundled_map.arcs)
    links_with_arcs = {a.link for a in bundled_map.arcs}
    for a, b, attrs in graph.edges(data=True):
        if a in bundled_map.unlocated or b in bundled_map.unlocated:
            assert attrs["link"] in bundled_map.partial
        else:
            assert attrs["link"] in links_with_arcs


def test_geojson_is_valid_rfc7946_with_points_lines_and_properties(bundled_map, tmp_path):
    path = tmp_path / "partners.geojson"
    geojson.write(bundled_map, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    kinds = {"Point": 0, "LineString": 0, "MultiLineString": 0}
    ids = set()
    for feature in data["features"]:
        assert feature["type"] == "Feature" and feature["id"] not in ids
        ids.add(feature["id"])
        geometry = feature["geometry"]
        kinds[geometry["type"]] += 1
        lines = ([geometry["coordinates"]] if geometry["type"] == "Point" else
                 [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"])
        for line in lines:
            positions = [line] if geometry["type"] == "Point" else line
            if geometry["type"] != "Point":
                assert len(positions) >= 2
            for lon, lat in positions:
                assert -180 <= lon <= 180 and -90 <= lat <= 90
        properties = feature["properties"]
        assert all(isinstance(v, str | int | float | list | type(None)) for v in properties.values())
    assert kinds["Point"] == len(bundled_map.located)
    assert kinds["LineString"] + kinds["MultiLineString"] == len(bundled_map.arcs)
    timis = next(f for f in data["features"] if f["properties"].get("key") == "ro-timis")
    assert timis["geometry"]["coordinates"] == [21.22571, 45.75372]
    assert timis["properties"]["point_source"].startswith("GeoNames 665087")
    arc = next(f for f in data["features"] if f["geometry"]["type"] != "Point")
    for name in ("title", "status", "start", "end", "distance_km", "source", "target", "iri"):
        assert name in arc["properties"]


def test_static_map_svg_is_reproducible_and_png_is_a_png(bundled_map, tmp_path):
    one, two, png = tmp_path / "a.svg", tmp_path / "b.svg", tmp_path / "m.png"
    draw.save(bundled_map, one, title="Partners")
    draw.save(bundled_map, two, title="Partners")
    assert one.read_bytes() == two.read_bytes()
    draw.save(bundled_map, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_page_is_self_contained_and_safe_to_embed(bundled_map):
    html = page.render(bundled_map, title="Partners <on> the map")
    assert "Partners &lt;on&gt; the map" in html
    # nothing is fetched: no external script, style, image or font
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and not re.search(r"url\((?!#)", html)  # only in-page references
    data = json.loads(re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S).group(1))
    assert len(data["actors"]) == len(bundled_map.located)
    assert len(data["outlines"]) == 177  # Natural Earth 1:110m countries
    assert data["countryNames"]["RO"] == {"en": "Romania", "fr": "Roumanie", "ro": "România"}


def test_a_name_that_would_end_the_script_element_stays_data():
    graph = nx.MultiGraph()
    evil = "</script><script>alert(1)</script><!--"
    graph.add_node("a", key="a", label=evil, country="FR")
    graph.add_node("b", key="b", label="B", country="RO")
    graph.add_edge("a", "b", key="p", link="p", title=evil, status="ongoing", style="active")
    data = build(graph, {"a": Location(45.0, 5.0, "test"), "b": Location(45.7, 21.2, "test")})
    html = page.render(data)
    body = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S).group(1)
    assert "</" not in body and "<!--" not in body
    assert json.loads(body)["actors"][0]["label"] == evil


# ---- the command ----------------------------------------------------------------
def test_coopkg_map_writes_every_output_and_lists_the_unlocated(bundled_graph, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    code = cli.main(["map", "--graph", str(bundled_graph), "--html", str(out / "map.html"), "--png", str(out / "map.png"),
                     "--svg", str(out / "map.svg"), "--geojson", str(out / "map.geojson"), "--missing", str(out / "missing.csv")])
    assert code == 0
    printed = capsys.readouterr().out
    assert re.search(r"map: \d+ located actors, \d+ arcs", printed)
    assert "have no point and are not on the map" in printed
    for name in ("map.html", "map.png", "map.svg", "map.geojson", "missing.csv"):
        assert (out / name).stat().st_size > 0
    missing = (out / "missing.csv").read_text(encoding="utf-8").splitlines()
    assert missing[0] == "key,label,country,iri" and any(line.startswith("lb-kab-elias,") for line in missing)


def test_coopkg_map_filters_like_coopkg_network(bundled_graph, tmp_path):
    path = tmp_path / "timis.geojson"
    assert cli.main(["map", "--graph", str(bundled_graph), "--around", "ro-timis", "--geojson", str(path), "-q"]) == 0
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    keys = {f["properties"]["key"] for f in features if f["geometry"]["type"] == "Point"}
    assert "ro-timis" in keys and "fr-romans-sur-isere" not in keys


def test_coopkg_map_usage_errors(bundled_graph, tmp_path, capsys):
    assert cli.main(["map", "--graph", str(bundled_graph)]) == 2
    assert "nothing to write" in capsys.readouterr().err
    assert cli.main(["map", "--graph", str(bundled_graph), "--png", str(tmp_path / "x.svg")]) == 2


def test_the_outlines_are_natural_earth_with_iso_codes():
    data = draw.outlines()
    codes = {f["properties"]["iso"] for f in data["features"]}
    assert {"FR", "RO", "TN", "BF", "AM", "XK"} <= codes and None not in codes
    assert "Natural Earth" in data["source"]


def test_extent_frames_the_located_partners(bundled_map):
    west, east, south, north = draw.extent(bundled_map)
    for loc in bundled_map.located.values():
        assert west <= loc.longitude <= east and south <= loc.latitude <= north


# ---- the geography query ----------------------------------------------------------
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_geography_query_gives_both_ends_and_the_great_circle_distance(engine, bundled_store, bundled_rdflib, bundled):
    from coopkg import query

    runner = query.LocalRunner(bundled_store if engine == "oxigraph" else bundled_rdflib)
    answer = query.run(query.find_query("partnership-geography"), {}, runner)
    names = list(answer.variables)
    table = [dict(zip(names, row, strict=True)) for row in answer.rows]
    assert table
    points = {r.key: r.point for r in bundled.records if getattr(r, "point", None)}
    for row in table:
        a, b = (str(row[k]).rsplit("/", 1)[-1] for k in ("actorA", "actorB"))
        assert str(row["actorA"]) < str(row["actorB"])
        pa, pb = points[a], points[b]
        assert (float(row["latA"]), float(row["longA"])) == pytest.approx((pa.latitude, pa.longitude))
        assert (float(row["latB"]), float(row["longB"])) == pytest.approx((pb.latitude, pb.longitude))
        expected = distance_km((pa.latitude, pa.longitude), (pb.latitude, pb.longitude))
        assert float(row["distanceKm"]) == pytest.approx(expected, abs=0.051)
    basse_normandie_fujian = [r for r in table if str(r["item"]).endswith("/basse-normandie-fujian")]
    assert len(basse_normandie_fujian) == 1 and float(basse_normandie_fujian[0]["distanceKm"]) > 9000


def _crowded(places: int, spread: float) -> object:
    """Places of a few countries packed into ``spread`` degrees, the first ones the most connected."""
    import networkx as nx

    from coopkg.map.project import Location, build

    graph = nx.MultiGraph()
    located = {}
    for i in range(places):
        node = f"n{i}"
        graph.add_node(node, key=node, label=f"Commune number {i}", display=f"Commune number {i}", country="FR")
        located[node] = Location(46.0 + spread * ((i * 7) % 11) / 11, 2.0 + spread * ((i * 5) % 13) / 13, "test")
    link = 0
    for i in range(places):
        for j in range(max(1, (places - i) // 4)):  # degree falls with i
            link += 1
            graph.add_edge(f"n{i}", f"n{(i + j + 1) % places}", key=str(link), link=f"p{link}", title="P",
                           status="ongoing", style="active")
    return build(graph, located)


@pytest.mark.parametrize(("places", "spread"), [(12, 0.3), (200, 2.0)])
def test_static_map_names_never_overlap_and_the_biggest_places_are_named(places, spread):
    from matplotlib.text import Annotation

    data = _crowded(places, spread)
    fig = draw.figure(data, label_max=40)
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.axes[0].texts if isinstance(t, Annotation)]
    boxes = [t.get_window_extent(renderer) for t in texts]
    assert len(boxes) >= 2
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (texts[boxes.index(a)].get_text(), texts[boxes.index(b)].get_text())
    # bigger places first: the names shown are of the 40 most connected places
    degree = dict(data.graph.degree())
    ranked = sorted(degree, key=lambda n: -degree[n])
    named = {t.get_text() for t in texts}
    assert named <= {data.graph.nodes[n]["display"] for n in ranked if degree[n] >= degree[ranked[min(39, len(ranked) - 1)]]}
    if places <= 30:  # a small map names every place it can, the most connected first
        assert data.graph.nodes[ranked[0]]["display"] in named
