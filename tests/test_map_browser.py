"""The map page in a real headless Chromium (Debian's), driven by Selenium.

Checks what a person would: it loads from a file with no console error and no request
beyond the file itself, one marker per located actor, the year slider and a click show
what the data says, search zooms to the place, the language switch works.
Without chromium/chromedriver the tests skip with the reason, except under CI=true
(.ci/run installs both), where they fail: a browser test that cannot start is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from coopkg.map import page
from coopkg.map.project import build, locations
from coopkg.network import project

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         "--window-size=1500,950"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (CHROMIUM and DRIVER):
        message = "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="coopkg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def bundled_map(bundled_store):
    found, _ = locations(bundled_store)
    return build(project(bundled_store).actors, found)


def _requests(driver) -> list[str]:
    """Every request the page made off this machine's files (Chromium's own chrome:// pages aside)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(("chrome://", "chrome-untrusted://", "devtools://", "data:")):
                urls.append(url)
    return urls


def _severe(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] in {"SEVERE", "ERROR"}]


def _shown(driver, selector: str) -> int:
    return driver.execute_script(
        "return Array.prototype.filter.call(document.querySelectorAll(arguments[0]),"
        " function (n) { return !n.classList.contains('hidden') && n.getBoundingClientRect().width >= 0"
        " && getComputedStyle(n.parentNode).display !== 'none'; }).length;", selector)


def _active_in(p: dict, year: int) -> bool:  # the rule of docs/time.md, as the page applies it
    if p["status"] == "planned":
        return False
    first = p["start_year"] if p["start_year"] is not None else p["end_year"]
    return first is not None and first <= year and (p["end_year"] is None or year <= p["end_year"])


def test_map_page_offline_markers_slider_click_search_and_language(browser, bundled_map, tmp_path):
    from selenium.webdriver.common.by import By

    path = tmp_path / "map.html"
    page.save(bundled_map, path, title="Partners on the map")
    browser.get_log("performance")  # drop what came before
    browser.get(Path(path).resolve().as_uri())
    data = json.loads(browser.execute_script("return document.getElementById('map-data').textContent;"))

    # Offline: the file itself is the only request, and nothing went wrong.
    assert {url for url in _requests(browser)} == {Path(path).resolve().as_uri()}
    assert _severe(browser) == []

    # One marker per located actor, at its key.
    markers = browser.find_elements(By.CSS_SELECTOR, "#markers circle.marker")
    assert sorted(m.get_attribute("data-key") for m in markers) == sorted(
        bundled_map.graph.nodes[n]["key"] for n in bundled_map.located)
    assert _shown(browser, "#arcs path.arc") == len(bundled_map.arcs)
    unlocated = browser.find_element(By.CSS_SELECTOR, "#unlocated summary").text
    assert unlocated.startswith(f"{len(bundled_map.unlocated)} actors without a point")

    # The year slider shows the partnerships active that year, by the written rule.
    browser.execute_script("""
        var all = document.getElementById('year-all'); all.checked = false; all.dispatchEvent(new Event('change'));
        var y = document.getElementById('year'); y.value = '2007'; y.dispatchEvent(new Event('input'));""")
    expected = sum(1 for arc in data["arcs"] if _active_in(data["partnerships"][arc["p"]], 2007))
    assert 0 < expected < len(data["arcs"])
    assert _shown(browser, "#arcs path.arc") == expected
    browser.execute_script("""
        var all = document.getElementById('year-all'); all.checked = true; all.dispatchEvent(new Event('change'));""")

    # A click on a place opens its partnerships in the panel.
    timis = next(a for a in data["actors"] if a["key"] == "ro-timis")
    browser.execute_script("document.querySelector('circle[data-key=\"ro-timis\"]')"
                           ".dispatchEvent(new MouseEvent('click', {bubbles: true}));")
    panel = browser.find_element(By.ID, "panel")
    assert panel.find_element(By.TAG_NAME, "h2").text == timis["display"]
    items = panel.find_elements(By.CSS_SELECTOR, "ul > li")
    own = [p for p in data["partnerships"] if data["actors"].index(timis) in p["parties"]]
    assert len(items) == len(own) > 0
    assert "Alsace" in panel.text

    # Search zooms to the place and selects it.
    before = browser.execute_script("return window.coopkgMap.view.k;")
    search = browser.find_element(By.ID, "search")
    search.clear()
    search.send_keys("Romans")
    browser.find_element(By.CSS_SELECTOR, "#search-form button").click()
    assert browser.execute_script("return window.coopkgMap.view.k;") > before
    assert "Romans-sur-Isère" in browser.find_element(By.CSS_SELECTOR, "#panel h2").text
    search.clear()
    search.send_keys("Kab Elias")
    browser.find_element(By.CSS_SELECTOR, "#search-form button").click()
    assert "has no point" in browser.find_element(By.ID, "search-message").text

    # French interface.
    browser.execute_script("var s = document.getElementById('lang'); s.value = 'fr'; s.dispatchEvent(new Event('change'));")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=search]").text == "Chercher une collectivité"
    assert "partenariats sur la carte" in browser.find_element(By.ID, "summary").text
    assert _severe(browser) == []
    assert {url for url in _requests(browser)} <= {Path(path).resolve().as_uri()}
    browser.save_screenshot(str(tmp_path / "map.png"))
    assert (tmp_path / "map.png").stat().st_size > 10000


def test_big_maps_draw_country_pairs_until_zoomed_in(browser, tmp_path):
    import networkx as nx

    from coopkg.map.project import Location

    graph = nx.MultiGraph()
    located = {}
    for i in range(60):
        for side, country, (lat, lon) in (("a", "FR", (46.0, 2.0)), ("b", "RO", (45.5, 24.0)), ("c", "TN", (34.0, 9.0))):
            node = f"{side}{i}"
            graph.add_node(node, key=node, label=f"Place {node}", country=country)
            located[node] = Location(lat + i * 0.01, lon + i * 0.01, "test")
    link = 0
    for i in range(60):
        for j in range(30):
            for x, y in (("a", "b"), ("a", "c")):
                link += 1
                graph.add_edge(f"{x}{i}", f"{y}{(i + j) % 60}", key=str(link), link=f"p{link}", title=f"P{link}",
                               status="ongoing", style="active", start_year=2000, end_year=None)
    data = build(graph, located)
    assert len(data.arcs) > page.AGGREGATE_OVER
    path = tmp_path / "big.html"
    page.save(data, path)
    browser.get(Path(path).resolve().as_uri())
    assert _severe(browser) == []
    # zoomed out: one arc per country pair, no single arcs drawn yet
    assert _shown(browser, "#pairs path.pair") == 2
    assert browser.execute_script("return document.querySelectorAll('#arcs path').length;") == 0
    browser.execute_script("window.coopkgMap.zoomAt(4, 400, 300);")
    assert browser.execute_script("return document.querySelectorAll('#arcs path').length;") == len(data.arcs)
    assert browser.execute_script("return getComputedStyle(document.getElementById('pairs')).display;") == "none"


_LABEL_BOXES = """
    return Array.prototype.filter.call(document.querySelectorAll('#labels text.place-label'), function (n) {
      return !n.classList.contains('hidden') && getComputedStyle(n).display !== 'none';
    }).map(function (n) { var r = n.getBoundingClientRect();
      return [n.textContent, r.left, r.top, r.right, r.bottom]; });"""


def _overlapping(boxes: list) -> list[tuple[str, str]]:
    return [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]


def test_place_names_never_overlap_at_any_zoom(browser, tmp_path):
    import networkx as nx

    from coopkg.map.project import Location

    graph = nx.MultiGraph()
    located = {}
    for i in range(300):  # a dense cluster of long names around Lyon, degrees falling with i
        node = f"n{i}"
        graph.add_node(node, key=node, label=f"Commune de Saint-Exemple {i}", country="FR")
        located[node] = Location(45.7 + 0.9 * ((i * 7) % 23) / 23, 4.8 + 1.4 * ((i * 5) % 29) / 29, "test")
    link = 0
    for i in range(300):
        for j in range(max(1, (300 - i) // 30)):
            link += 1
            graph.add_edge(f"n{i}", f"n{(i + 7 * j + 1) % 300}", key=str(link), link=f"p{link}", title="P",
                           status="ongoing", style="active", start_year=2000, end_year=None)
    data = build(graph, located)
    path = tmp_path / "dense.html"
    page.save(data, path)
    browser.get(Path(path).resolve().as_uri())
    assert _severe(browser) == []
    degree = dict(graph.degree())
    biggest = f"Commune de Saint-Exemple {max(degree, key=lambda n: (degree[n], -int(n[1:])))[1:]}"
    for zoom in (None, 4, 4, 3):  # fitted, zoomed in on the cluster past the detail level, further
        if zoom:
            browser.execute_script(
                "var m = document.querySelector('circle[data-key=\"n0\"]').getBoundingClientRect(),"
                " s = document.getElementById('map').getBoundingClientRect();"
                f"window.coopkgMap.zoomAt({zoom}, m.left - s.left, m.top - s.top);")
        boxes = browser.execute_script(_LABEL_BOXES)
        assert len(boxes) >= (1 if zoom is None else 3), zoom  # fitted, the cluster is a few pixels wide
        assert _overlapping(boxes) == [], zoom
        if zoom is None:
            assert biggest in [b[0] for b in boxes]  # bigger places are named first
    browser.execute_script("window.coopkgMap.fit();")
    assert _overlapping(browser.execute_script(_LABEL_BOXES)) == []
    assert _severe(browser) == []


def test_partnership_titles_and_legend_follow_the_page_language(browser, bundled_graph, tmp_path):
    import yaml

    from coopkg import resources
    from coopkg.store import open_graph

    path = tmp_path / "graph.ttl"
    path.write_text(bundled_graph.read_text(encoding="utf-8") + """
<https://w3id.org/coopkg/id/partnership/timis-alsace> <http://purl.org/dc/terms/title>
    "Twinning of Timiș and Alsace"@en, "Jumelage Timiș – Alsace"@fr .
""", encoding="utf-8")
    store = open_graph(path, "oxigraph")
    found, _ = locations(store)
    html = tmp_path / "map.html"
    page.save(build(project(store).actors, found), html, lang="fr")
    browser.get(html.resolve().as_uri())
    browser.execute_script("document.querySelector('circle[data-key=\"ro-timis\"]')"
                           ".dispatchEvent(new MouseEvent('click', {bubbles: true}));")
    panel = lambda: browser.execute_script("return document.getElementById('panel').textContent;")  # noqa: E731
    assert "Jumelage Timiș – Alsace" in panel()
    table = yaml.safe_load((resources.folder("data") / "edge-styles.yaml").read_text(encoding="utf-8"))
    legend = browser.execute_script("return document.getElementById('legend').textContent;")
    assert table["ended-reorganisation"]["labels"]["fr"] in legend
    browser.execute_script("var s = document.getElementById('lang'); s.value = 'en'; s.dispatchEvent(new Event('change'));")
    assert "Twinning of Timiș and Alsace" in panel() and "Jumelage" not in panel()
    assert table["ended-reorganisation"]["labels"]["en"] in browser.execute_script(
        "return document.getElementById('legend').textContent;")
    assert _severe(browser) == []


def test_the_map_and_network_pages_show_one_partnership_panel(browser, bundled_store, bundled_map, tmp_path):
    """Both pages render a partnership with common.js: the same parts, titles, status and dates."""
    from coopkg.network import page as network_page

    item = """
        document.querySelector(arguments[0]).dispatchEvent(new MouseEvent('click', {bubbles: true}));
        var li = document.querySelector('#panel li[data-link$="/timis-rhone"]');
        return li ? Array.prototype.map.call(li.children, function (c) { return [c.className, c.textContent]; }) : null;"""
    projection = project(bundled_store)
    network = tmp_path / "network.html"
    network_page.save(projection.actors, network, projection.theme_labels, labels=projection.labels)
    browser.get(network.resolve().as_uri())
    seen_network = browser.execute_script(item, '#nodes g.node[data-key="ro-timis"]')
    mapped = tmp_path / "map.html"
    page.save(bundled_map, mapped)
    browser.get(mapped.resolve().as_uri())
    seen_map = browser.execute_script(item, 'circle[data-key="ro-timis"]')
    assert seen_network and seen_map
    assert [c for c, _ in seen_map[:3]] == [c for c, _ in seen_network[:3]] == ["title", "", "status"]
    assert seen_map[0][1] == seen_network[0][1]  # the title
    assert seen_map[2][1].split(" · ")[0].split(" ", 1)[1] == seen_network[2][1].split(" · ")[0].split(" ", 1)[1]  # dates
    assert "Rhône" in seen_map[1][1] and "Rhône" in seen_network[1][1]
    assert _severe(browser) == []
