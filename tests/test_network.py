"""Partner networks: projection against the bundled YAML, metrics, filters, pictures, exports, CLI.

Expected values are computed here from data/bundled/*.yaml with plain PyYAML, not from
coopkg's readers or from what the projection prints.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections import defaultdict
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import yaml

from coopkg import cli, resources
from coopkg.network import (
    ACTIVE,
    ENDED,
    ENDED_REORGANISATION,
    UNKNOWN,
    draw,
    edge_style,
    export,
    filters,
    metrics,
    page,
    project,
)
from coopkg.network.layout import layout
from coopkg.network.style import EDGE_STYLES
from coopkg.store import from_triples

REORG = "administrative-reorganisation"


# -- what the YAML says -------------------------------------------------------------
def _yaml_records() -> dict[str, list[dict]]:
    sections: dict[str, list[dict]] = defaultdict(list)
    for path in resources.files("data", "bundled/*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section, items in doc.items():
            if isinstance(items, list):
                sections[section].extend(items)
    return sections


def _party_keys(parties: list) -> list[str]:
    return sorted({p if isinstance(p, str) else p["actor"] for p in parties})


@pytest.fixture(scope="module")
def yaml_data() -> dict[str, list[dict]]:
    return _yaml_records()


@pytest.fixture(scope="module")
def expected_links(yaml_data) -> dict[str, dict]:
    """Partnerships, and agreements that belong to none: key -> record."""
    links = {p["key"]: p for p in yaml_data["partnerships"]}
    links.update({a["key"]: a for a in yaml_data["agreements"] if not a.get("partnership")})
    return links


@pytest.fixture(scope="module")
def projection(bundled_store):
    return project(bundled_store)


def _edge(graph: nx.MultiGraph, link_key: str) -> tuple[str, str, dict]:
    found = [(a, b, d) for a, b, d in graph.edges(data=True) if d["link_key"] == link_key]
    assert len(found) == 1, f"{link_key}: {len(found)} edges"
    return found[0]


# -- projection ---------------------------------------------------------------------
def test_node_and_edge_counts_match_the_yaml(projection, expected_links):
    parties = {k: _party_keys(r["parties"]) for k, r in expected_links.items()}
    expected_nodes = {actor for keys in parties.values() for actor in keys}
    expected_edges = sum(len(list(combinations(keys, 2))) for keys in parties.values())
    graph = projection.actors
    assert sorted(a["key"] for _, a in graph.nodes(data=True)) == sorted(expected_nodes)
    assert graph.number_of_edges() == expected_edges
    assert {d["link_key"] for _, _, d in graph.edges(data=True)} == set(expected_links)


def test_every_edge_joins_the_parties_of_its_partnership(projection, expected_links):
    graph = projection.actors
    for a, b, d in graph.edges(data=True):
        ends = sorted([graph.nodes[a]["key"], graph.nodes[b]["key"]])
        assert set(ends) <= set(_party_keys(expected_links[d["link_key"]]["parties"])), d["link_key"]


def test_timis_rhone_edge_carries_the_partnership_facts(projection, yaml_data):
    record = next(p for p in yaml_data["partnerships"] if p["key"] == "timis-rhone")
    agreements = [a for a in yaml_data["agreements"] if a.get("partnership") == "timis-rhone"]
    agreement_keys = {a["key"] for a in agreements}
    projects = [p for p in yaml_data["projects"]
                if p.get("partnership") == "timis-rhone" or p.get("agreement") in agreement_keys]
    funded = {"timis-rhone"} | agreement_keys | {p["key"] for p in projects}
    funding: dict[str, Decimal] = defaultdict(Decimal)
    for f in yaml_data["fundings"]:
        if f["funds"] in funded:
            funding[f["currency"]] += Decimal(str(f["amount"]))
    themes = set(record.get("themes", []))
    for item in agreements + projects:
        themes.update(item.get("themes", []))

    a, b, edge = _edge(projection.actors, "timis-rhone")
    graph = projection.actors
    assert sorted([graph.nodes[a]["key"], graph.nodes[b]["key"]]) == sorted(record["parties"])
    assert edge["kinds"] == sorted({x["kind"] for x in agreements})
    assert edge["start"] == str(record["start"]) and edge["end"] == str(record["end"])
    assert (edge["start_year"], edge["end_year"]) == (int(str(record["start"])[:4]), int(str(record["end"])[:4]))
    assert edge["status"] == record["status"] == "ended"
    assert edge["end_reason"] == record["end_reason"] == REORG
    assert edge["reorganization"] == record["reorganization"]
    assert edge["themes"] == sorted(themes)
    assert edge["funding"] == dict(funding) and len(funding) == 2  # EUR from the Rhône, RON from Timiș
    assert edge["style"] == ENDED_REORGANISATION


def test_ended_by_reorganisation_edges_are_styled_apart(projection, expected_links):
    expected = {k for k, r in expected_links.items() if r.get("end_reason") == REORG or r.get("reorganization")}
    assert expected, "the bundled data has partnerships ended by the 2016 reform"
    styled = {d["link_key"] for _, _, d in projection.actors.edges(data=True) if d["style"] == ENDED_REORGANISATION}
    assert styled == expected
    reorg, ended = EDGE_STYLES[ENDED_REORGANISATION], EDGE_STYLES[ENDED]
    assert reorg.dashed and ended.dashed and not EDGE_STYLES[ACTIVE].dashed
    assert len({s.color for s in EDGE_STYLES.values()}) == len(EDGE_STYLES)


def test_the_drawn_reorganisation_edges_are_dashed_and_in_their_own_colour(projection):
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_hex

    fig = draw.figure(projection.actors)
    collections = [c for c in fig.axes[0].collections if isinstance(c, LineCollection)]
    by_color = {to_hex(c.get_colors()[0]): c for c in collections}
    reorg = by_color[EDGE_STYLES[ENDED_REORGANISATION].color]
    count = sum(d["style"] == ENDED_REORGANISATION for _, _, d in projection.actors.edges(data=True))
    assert len(reorg.get_segments()) == count
    offset, dashes = reorg.get_linestyle()[0]
    assert dashes is not None and len(dashes) >= 2  # dashed
    active = by_color[EDGE_STYLES[ACTIVE].color]
    assert active.get_linestyle()[0][1] is None  # solid


def test_a_claim_never_replaces_the_records_own_value(projection, yaml_data):
    claimed = [p for p in yaml_data["partnerships"] if any(c["field"] == "end_reason" for c in p.get("claims", []))]
    assert claimed
    for record in claimed:
        _, _, edge = _edge(projection.actors, record["key"])
        assert edge["end_reason"] == record.get("end_reason")
        if "end" not in record:
            assert edge["end"] is None
        assert edge["style"] == edge_style(record["status"], record.get("end_reason"), record.get("reorganization"))


def test_edge_style_rules():
    assert edge_style("ended", REORG, None) == ENDED_REORGANISATION
    assert edge_style("ended", None, "fr-regional-reform-2016") == ENDED_REORGANISATION
    assert edge_style("ended", "expiry", None) == ENDED
    assert edge_style("ongoing", None, None) == ACTIVE
    assert edge_style("unknown", None, None) == UNKNOWN


def test_institutions_are_their_own_node_kind(projection, yaml_data):
    institution_parties = {
        k for a in yaml_data["agreements"] if not a.get("partnership") for k in _party_keys(a["parties"])
    } & {"ro-regiunea-vest"}
    kinds = {a["key"]: a["kind"] for _, a in projection.actors.nodes(data=True)}
    assert institution_parties and all(kinds[k] == "institution" for k in institution_parties)


def test_names_in_other_scripts_get_a_latin_display_label(projection):
    for _, attrs in projection.actors.nodes(data=True):
        assert all(not ch.isalpha() or unicodedata.name(ch).startswith("LATIN") for ch in attrs["display"]), attrs
    fujian = next(a for _, a in projection.actors.nodes(data=True) if a["key"] == "cn-fujian")
    assert fujian["label"] != fujian["display"]  # its name stays its own; the picture shows a Latin one


def test_rdflib_and_oxigraph_give_the_same_projection(projection, bundled_rdflib):
    other = project(bundled_rdflib).actors
    ours = projection.actors
    assert sorted(ours.nodes(data=True)) == sorted(other.nodes(data=True))
    key = lambda e: e[2]  # noqa: E731
    assert sorted(ours.edges(keys=True, data=True), key=key) == sorted(other.edges(keys=True, data=True), key=key)


def test_country_and_theme_graphs(projection):
    graph = projection.actors
    countries = projection.countries
    assert set(countries) == {a["country"] for _, a in graph.nodes(data=True)}
    assert sum(d["weight"] for _, _, d in countries.edges(data=True)) == len({d["link"] for _, _, d in graph.edges(data=True)})
    themes = projection.themes
    top = {n for n, d in themes.nodes(data=True) if d["bipartite"] == 1}
    assert top == {f"theme:{t}" for _, _, d in graph.edges(data=True) for t in d["themes"]}
    assert nx.is_bipartite(themes)


# -- metrics and filters -------------------------------------------------------------
def test_metrics_on_the_bundled_network(projection):
    result = metrics.compute(projection.actors)
    simple = nx.Graph(projection.actors)
    assert result.summary()["components"] == nx.number_connected_components(simple)
    by_key = {m.key: m for m in result.nodes}
    timis = by_key["ro-timis"]
    assert timis.degree == len(list(simple.neighbors(next(n for n in simple if n.endswith("/ro-timis")))))
    romans = by_key["fr-romans-sur-isere"]
    assert romans.weighted_degree > romans.degree  # two partnerships with El Jem
    pairs = {tuple(sorted((projection.actors.nodes[a]["key"], projection.actors.nodes[b]["key"]))) for a, b in result.bridges}
    assert ("fr-romans-sur-isere", "tn-el-jem") not in pairs  # two partnerships: ending one splits nothing
    assert ("fr-romans-sur-isere", "ma-taroudannt") in pairs
    assert result.betweenness_method.startswith("exact")
    again = metrics.compute(projection.actors)
    assert [(m.key, m.community) for m in again.nodes] == [(m.key, m.community) for m in result.nodes]


def test_betweenness_is_sampled_and_says_so_above_the_threshold(projection):
    result = metrics.compute(projection.actors, work=100, samples=8, seed=3)
    assert result.betweenness_method.startswith("sampled: k=8")
    budget = metrics.compute(projection.actors, work=100, seed=3)
    assert budget.betweenness_method.startswith(f"sampled: k={metrics.MIN_SAMPLES} ")
    assert "seed=3" in result.betweenness_method


def test_filters(projection):
    graph = projection.actors
    around = filters.apply(graph, filters.Filters(around="ro-timis", hops=1))
    timis = next(n for n in graph if n.endswith("/ro-timis"))
    assert set(around) == {timis} | set(graph.neighbors(timis))
    two = filters.apply(graph, filters.Filters(around="Județul Timiș", hops=2))
    assert set(two) == set(nx.ego_graph(graph, timis, radius=2))
    ended = filters.apply(graph, filters.Filters(statuses=["ended"]))
    assert {d["status"] for _, _, d in ended.edges(data=True)} == {"ended"}
    tn = filters.apply(graph, filters.Filters(countries=["tn"]))
    assert all("TN" in {tn.nodes[a]["country"], tn.nodes[b]["country"]} for a, b in tn.edges())
    late = filters.apply(graph, filters.Filters(since=2017))
    assert all(d["end_year"] is None or d["end_year"] >= 2017 for _, _, d in late.edges(data=True))
    assert "timis-rhone" not in {d["link_key"] for _, _, d in late.edges(data=True)}
    with pytest.raises(filters.FilterError):
        filters.apply(graph, filters.Filters(around="Atlantis"))
    with pytest.raises(filters.FilterError):
        filters.apply(graph, filters.Filters(since=2010, until=2000))


# -- pictures and exports --------------------------------------------------------------
def test_layout_is_stable(projection):
    assert layout(projection.actors, seed=7) == layout(projection.actors, seed=7)


def test_svg_is_deterministic_and_labels_do_not_collide(projection, tmp_path):
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    draw.save(projection.actors, first)
    draw.save(projection.actors, second)
    assert first.read_bytes() == second.read_bytes()
    assert b"<dc:date>" not in first.read_bytes()
    fig = draw.figure(projection.actors)
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts]
    assert len(boxes) == projection.actors.number_of_nodes()  # small graph: every actor named
    for i, box in enumerate(boxes):
        for other in boxes[i + 1:]:
            assert not box.overlaps(other), "two labels collide"


def test_big_graphs_label_only_the_most_connected(projection):
    chosen = draw.labelled_nodes(projection.actors, label_max=4)
    degrees = sorted((projection.actors.degree(n) for n in projection.actors), reverse=True)
    assert 0 < len(chosen) <= 4
    assert all(projection.actors.degree(n) >= degrees[3] for n in chosen)


def test_png_is_written(projection, tmp_path):
    path = tmp_path / "n.png"
    draw.save(projection.actors, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_graphml_gexf_and_csv_round_trip(projection, tmp_path):
    graph = projection.actors
    export.write_graphml(graph, tmp_path / "n.graphml")
    export.write_gexf(graph, tmp_path / "n.gexf")
    export.write_edges_csv(graph, tmp_path / "e.csv")
    back = nx.read_graphml(tmp_path / "n.graphml", force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    edge = next(d for _, _, d in back.edges(data=True) if d["link_key"] == "timis-rhone")
    assert edge["status"] == "ended" and edge["style"] == ENDED_REORGANISATION
    assert edge["funding_EUR"] == 212000.0 and edge["funding_RON"] == 177837.0
    gexf = nx.read_gexf(tmp_path / "n.gexf")
    assert (gexf.number_of_nodes(), gexf.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    rows = list(csv.DictReader((tmp_path / "e.csv").open(encoding="utf-8")))
    assert len(rows) == graph.number_of_edges()
    row = next(r for r in rows if r["partnership"].endswith("/timis-rhone"))
    assert {row["source"], row["target"]} == {"ro-timis", "fr-rhone"} and row["end_reason"] == REORG


def test_country_level_exports_hold_scalars(projection, tmp_path):
    export.write_graphml(projection.countries, tmp_path / "c.graphml")
    export.write_gexf(projection.themes, tmp_path / "t.gexf")
    assert nx.read_graphml(tmp_path / "c.graphml").number_of_nodes() == projection.countries.number_of_nodes()
    assert nx.read_gexf(tmp_path / "t.gexf").number_of_nodes() == projection.themes.number_of_nodes()


def test_page_is_self_contained(projection):
    html = page.render(projection.actors, projection.theme_labels, title="<T>")
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") .replace("http://www.wikidata.org", "")
    assert "<script src" not in html and "<link" not in html
    assert "&lt;T&gt;" in html
    data = page.page_data(projection.actors, projection.theme_labels)
    assert len(data["nodes"]) == projection.actors.number_of_nodes()
    assert len(data["edges"]) == projection.actors.number_of_edges()


def test_projection_of_a_small_made_up_graph_with_three_parties():
    from coopkg.build import graph_triples
    from coopkg.records import Collectivity, Funding, Label, PartialDate, Partnership

    records = [
        Collectivity(key="xa", name=Label("A", "en"), country="FR", kind="commune"),
        Collectivity(key="xb", name=Label("B", "en"), country="DE", kind="commune"),
        Collectivity(key="xc", name=Label("C", "en"), country="IT", kind="commune"),
        Partnership(key="abc", parties=["xa", "xb", "xc"], start=PartialDate(2001), status="ongoing"),
        Funding(key="f1", funder="xa", amount=Decimal("10.5"), currency="EUR", funds="abc"),
        Funding(key="f2", funder="xb", amount=Decimal("4.5"), currency="EUR", funds="abc"),
    ]
    graph = project(from_triples(graph_triples(records))).actors
    assert graph.number_of_nodes() == 3 and graph.number_of_edges() == 3  # a triangle for three parties
    assert {d["link_key"] for _, _, d in graph.edges(data=True)} == {"abc"}
    assert all(d["funding"] == {"EUR": Decimal("15.0")} and d["start_year"] == 2001 for _, _, d in graph.edges(data=True))
    assert metrics.compute(graph).partnerships == 1


# -- the command ------------------------------------------------------------------------
def test_cli_writes_every_output(bundled_graph, tmp_path, capsys):
    outputs = {"--png": "n.png", "--svg": "n.svg", "--html": "n.html", "--graphml": "n.graphml",
               "--gexf": "n.gexf", "--edges-csv": "e.csv"}
    argv = ["network", "--graph", str(bundled_graph), "-q"]
    for option, name in outputs.items():
        argv += [option, str(tmp_path / name)]
    assert cli.main(argv) == 0
    assert all((tmp_path / name).stat().st_size > 0 for name in outputs.values())


def test_cli_stats_formats(bundled_graph, capsys, projection):
    assert cli.main(["network", "stats", "--graph", str(bundled_graph), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["actors"] == projection.actors.number_of_nodes()
    assert data["summary"]["betweenness"].startswith("exact")
    assert cli.main(["network", "stats", "--graph", str(bundled_graph), "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert len(rows) == projection.actors.number_of_nodes()
    assert cli.main(["network", "stats", "--around", "ro-timis"]) == 0
    table = capsys.readouterr().out
    assert "Județul Timiș" in table and "betweenness: exact" in table


def test_cli_errors(tmp_path, capsys):
    assert cli.main(["network"]) == 2
    assert cli.main(["network", "--png", str(tmp_path / "x.svg")]) == 2
    assert cli.main(["network", "--around", "Atlantis", "--png", str(tmp_path / "x.png")]) == 2
    assert cli.main(["network", "--graph", str(tmp_path / "missing.ttl"), "--png", str(tmp_path / "x.png")]) == 2
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <\n", encoding="utf-8")
    # an unreadable input exits 2 (README "Exit codes")
    assert cli.main(["network", "--graph", str(bad), "--png", str(tmp_path / "x.png")]) == 2
    assert "bad.ttl" in capsys.readouterr().err
    good = tmp_path / "good.png"
    good.write_bytes(b"keep me")
    assert cli.main(["network", "--country", "ZZ", "--png", str(good)]) == 1  # nothing left: nothing written
    assert good.read_bytes() == b"keep me"
    assert not list(Path(tmp_path).glob(".*.tmp"))


def test_funders_that_are_no_party_become_funder_nodes(bundled_store, yaml_data, expected_links):
    agreements = {a["key"]: a for a in yaml_data["agreements"]}
    projects = {p["key"]: p for p in yaml_data["projects"]}

    def link_of(key: str) -> str | None:
        if key in expected_links:
            return key
        if key in agreements:
            return agreements[key].get("partnership")
        if key in projects:
            p = projects[key]
            return p.get("partnership") or (agreements.get(p.get("agreement"), {}).get("partnership"))
        return None

    expected_edges = set()
    for f in yaml_data["fundings"]:
        link = link_of(f["funds"])
        parties = _party_keys(expected_links[link]["parties"]) if link else []
        if f.get("funder") and f["funder"] not in parties:
            expected_edges |= {(f["funder"], p, link) for p in parties}
    assert expected_edges, "the bundled data has a funder that is no party (the French ministry)"

    projection = project(bundled_store, include_funders=True)
    graph = projection.actors
    funds = {(graph.nodes[d["funder"]]["key"], graph.nodes[b if d["funder"] == a else a]["key"], d["link_key"])
             for a, b, d in graph.edges(data=True) if d["relation"] == "funds"}
    assert funds == expected_edges
    assert {graph.nodes[n]["kind"] for n in graph if graph.nodes[n]["key"] in {f for f, _, _ in expected_edges}} == {"funder"}
    assert all(d["style"] == "funding" for _, _, d in graph.edges(data=True) if d["relation"] == "funds")
    # Funders are shown, not measured: the metrics are those of the partnerships alone.
    plain = project(bundled_store).actors
    assert metrics.compute(graph).summary() == metrics.compute(plain).summary()
    fig = draw.figure(graph)
    assert fig is not None


def test_titles_by_language_become_one_graphml_column_each(tmp_path):
    from coopkg.network.export import scalar_graph

    graph = nx.MultiGraph()
    graph.add_edge("a", "b", key="p", link="p", title="Twinning", titles={"en": "Twinning", "fr": "Jumelage"},
                   funding={}, kinds=["twinning"])
    flat = scalar_graph(graph)
    (_, _, attrs), = flat.edges(data=True)
    assert attrs["title_fr"] == "Jumelage" and attrs["title_en"] == "Twinning" and "titles" not in attrs
    nx.write_graphml(flat, tmp_path / "g.graphml")  # every value a scalar GraphML can hold
    assert "Jumelage" in (tmp_path / "g.graphml").read_text(encoding="utf-8")


def test_the_grid_repulsion_of_big_components_follows_the_exact_one(monkeypatch):
    """Above EXACT_MAX nodes the force layout's repulsion comes from a density grid: it must
    push each node about as all pairs do, and the layout stay seeded and stable."""
    from coopkg.network import layout as lay

    rng = np.random.default_rng(1)
    pos = rng.random((3000, 2))
    pos[:1000] *= 0.3  # a dense part, as a big component has
    k = 1 / np.sqrt(len(pos))
    exact, grid = lay._exact_repulsion(pos, k), lay._mesh_repulsion(pos, k)
    for axis in (0, 1):
        assert np.corrcoef(exact[:, axis], grid[:, axis])[0, 1] > 0.99
    assert abs(np.abs(grid).mean() / np.abs(exact).mean() - 1) < 0.05
    monkeypatch.setattr(lay, "EXACT_MAX", 500)
    graph = nx.gnm_random_graph(800, 1200, seed=3)
    graph = nx.relabel_nodes(graph, {i: f"n{i:04d}" for i in graph})
    first = lay.layout(graph, seed=7)
    assert first == lay.layout(graph, seed=7)
    assert len(first) == 800 and all(np.isfinite(xy).all() for xy in map(np.asarray, first.values()))
