"""The interactive network page in a real headless Chromium (Debian's), driven by Selenium.

Skipped, with the reason, only where chromium or chromedriver is not installed and
CI is not set; with CI=true (as .ci/run sets it, after installing both) a browser that
cannot start is a failure, so a green CI means the page really ran in Chromium.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from coopkg.network import filters, page, project


def _found(variable: str, *names: str, fallback: str = "") -> str | None:
    """$VARIABLE if set (a path, or empty for none), else the first of ``names`` on PATH."""
    if variable in os.environ:
        path = os.environ[variable]
        return path if path and os.path.exists(path) else None
    found = next((p for p in map(shutil.which, names) if p), None)
    return found or (fallback if fallback and os.path.exists(fallback) else None)


CHROMIUM = _found("COOPKG_CHROMIUM", "chromium", "chromium-browser")
DRIVER = _found("COOPKG_CHROMEDRIVER", "chromedriver", fallback="/usr/bin/chromedriver")

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
MISSING = "Debian's chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"


def cannot_start(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where the browser must run."""
    if IN_CI:
        pytest.fail(f"CI=true and the browser test cannot start: {reason}", pytrace=False)
    pytest.skip(reason)

# Without these, Chromium in a sandboxed machine without internet hangs on network calls.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         "--window-size=1500,950"]


@pytest.fixture(scope="module")
def projection(bundled_store):
    return project(bundled_store)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (CHROMIUM and DRIVER):
        cannot_start(MISSING)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        cannot_start("selenium is not installed (pip install .[test])")

    profile = tempfile.mkdtemp(prefix="coopkg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    except Exception as err:  # selenium's WebDriverException, a missing library, a crash at start
        shutil.rmtree(profile, ignore_errors=True)
        cannot_start(f"chromium did not start: {str(err).strip().splitlines()[0] if str(err).strip() else err!r}")
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _visible_nodes(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.get_attribute("data-key") for e in driver.find_elements(By.CSS_SELECTOR, "#nodes g.node:not(.hidden)")]


def _shown_name(projection, node, lang: str) -> str:
    return projection.labels.get(node, {}).get(lang) or projection.actors.nodes[node]["display"]


def _severe(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] in {"SEVERE", "ERROR"}]


def test_page_renders_searches_and_shows_an_actors_partnerships(browser, projection, tmp_path):
    from selenium.webdriver.common.by import By

    graph = projection.actors
    path = tmp_path / "network.html"
    page.save(graph, path, projection.theme_labels, title="Partner network of the bundled dataset",
              labels=projection.labels)
    browser.get(Path(path).resolve().as_uri())

    # Every actor of the projection is drawn, and nothing went wrong in the console.
    assert sorted(_visible_nodes(browser)) == sorted(a["key"] for _, a in graph.nodes(data=True))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#edges line.edge")) == graph.number_of_edges()
    assert _severe(browser) == []

    # Search without diacritics finds Județul Timiș and opens its partnerships.
    timis = next(n for n in graph if graph.nodes[n]["key"] == "ro-timis")
    box = browser.find_element(By.ID, "search")
    box.send_keys("judetul timis")
    browser.find_element(By.CSS_SELECTOR, "#search-form button").click()
    # the name the data has in the page's language (English here: "Timiș County"), else its own
    assert browser.find_element(By.CSS_SELECTOR, "#panel h2").text == _shown_name(projection, timis, "en")
    assert _shown_name(projection, timis, "en") == "Timiș County"
    found = browser.find_elements(By.CSS_SELECTOR, "#nodes g.node.found")
    assert [e.get_attribute("data-key") for e in found] == ["ro-timis"]
    items = browser.find_elements(By.CSS_SELECTOR, "#partnerships li")
    assert sorted(i.get_attribute("data-link") for i in items) == sorted(d["link"] for _, _, d in graph.edges(timis, data=True))
    rhone = next(i for i in items if i.get_attribute("data-link").endswith("/timis-rhone"))
    assert "1993" in rhone.text and "2016" in rhone.text and "Administrative reorganisation" in rhone.text
    assert "administrative-reorganisation" not in rhone.text  # a label, not a code

    # A search that matches nothing says so.
    box.clear()
    box.send_keys("Atlantis")
    browser.find_element(By.CSS_SELECTOR, "#search-form button").click()
    assert "No actor matches" in browser.find_element(By.ID, "search-message").text

    # Clicking a node shows that actor's partnerships (after fitting: the search zoomed in on Timiș).
    browser.find_element(By.ID, "zoom-reset").click()
    romans = next(n for n in graph if graph.nodes[n]["key"] == "fr-romans-sur-isere")
    node = browser.find_element(By.CSS_SELECTOR, '#nodes g.node[data-key="fr-romans-sur-isere"] .shape')
    node.click()
    assert browser.find_element(By.CSS_SELECTOR, "#panel h2").text == _shown_name(projection, romans, "en")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#partnerships li")) == graph.degree(romans)

    browser.save_screenshot(str(tmp_path / "network.png"))
    assert (tmp_path / "network.png").read_bytes()[:4] == b"\x89PNG"
    assert _severe(browser) == []


def test_year_slider_and_filters(browser, projection, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    graph = projection.actors
    path = tmp_path / "network.html"
    page.save(graph, path, projection.theme_labels)
    browser.get(Path(path).resolve().as_uri())

    # The network as it stood in 2012: partnerships whose known dates include 2012.
    year = 2012
    expected = set()
    for a, b, d in graph.edges(data=True):
        known = d["start_year"] is not None or d["end_year"] is not None
        if known and filters.active_in(d, year, year):
            expected |= {graph.nodes[a]["key"], graph.nodes[b]["key"]}
    browser.find_element(By.ID, "year-all").click()
    browser.execute_script(
        "var y = document.getElementById('year'); y.value = arguments[0];"
        "y.dispatchEvent(new Event('input'));", year)
    assert set(_visible_nodes(browser)) == expected
    assert "in 2012" in browser.find_element(By.ID, "summary").text
    browser.find_element(By.ID, "year-all").click()
    assert len(_visible_nodes(browser)) == graph.number_of_nodes()

    # Status: only ended partnerships.
    for box in browser.find_elements(By.CSS_SELECTOR, "#status-filter input"):
        if box.get_attribute("value") != "ended":
            box.click()
    ended = {graph.nodes[n]["key"] for a, b, d in graph.edges(data=True) if d["status"] == "ended" for n in (a, b)}
    assert set(_visible_nodes(browser)) == ended
    for box in browser.find_elements(By.CSS_SELECTOR, "#status-filter input"):
        if not box.is_selected():
            box.click()

    # Country and theme.
    Select(browser.find_element(By.ID, "country-filter")).select_by_value("TN")
    tunisia = {graph.nodes[n]["key"] for a, b in graph.edges() if "TN" in {graph.nodes[a]["country"], graph.nodes[b]["country"]}
               for n in (a, b)}
    assert set(_visible_nodes(browser)) == tunisia
    Select(browser.find_element(By.ID, "country-filter")).select_by_value("")
    Select(browser.find_element(By.ID, "theme-filter")).select_by_value("child-protection")
    themed = {graph.nodes[n]["key"] for a, b, d in graph.edges(data=True) if "child-protection" in d["themes"] for n in (a, b)}
    assert set(_visible_nodes(browser)) == themed
    assert _severe(browser) == []


def _open(browser, projection, tmp_path, lang="en"):
    path = tmp_path / f"network-{lang}.html"
    page.save(projection.actors, path, projection.theme_labels, labels=projection.labels, lang=lang)
    browser.get(Path(path).resolve().as_uri())
    return projection.actors


def _node(graph, key):
    return next(n for n in graph if graph.nodes[n]["key"] == key)


def _click_node(browser, key):
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, f'#nodes g.node[data-key="{key}"] .shape').click()


def test_page_speaks_french_and_romanian_with_labels_not_codes(browser, projection, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    graph = _open(browser, projection, tmp_path)
    timis = _node(graph, "ro-timis")
    # the Timiș partnership with Alsace has no known start: it must say so, not "?"
    unknown_start = [d for _, _, d in graph.edges(timis, data=True) if d["start"] is None and d["end"]]
    assert unknown_start
    Select(browser.find_element(By.ID, "lang")).select_by_value("fr")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=search]").text == "Trouver une collectivité"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    countries = [o.text for o in Select(browser.find_element(By.ID, "country-filter")).options]
    assert any(text.startswith("Roumanie (RO)") for text in countries)
    assert any(text.startswith("Tunisie (TN)") for text in countries)
    _click_node(browser, "ro-timis")
    text = browser.find_element(By.ID, "panel").text
    assert "Roumanie (RO)" in text
    assert "Réorganisation administrative" in text and "Réforme territoriale de 2016" in text
    assert "début inconnu" in text and " ? " not in text
    for code in ("administrative-reorganisation", "fr-regional-reform-2016", "cooperation-protocol", "(FR)\n"):
        assert code not in text
    status_labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#status-filter label")]
    assert any(label.startswith("Terminé") for label in status_labels)

    # Romanian: the names the data has in Romanian, and the interface too
    Select(browser.find_element(By.ID, "lang")).select_by_value("ro")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=search]").text == "Găsiți o colectivitate"
    romanian = {graph.nodes[n]["key"]: names["ro"] for n, names in projection.labels.items()
                if n in graph and "ro" in names and names["ro"] != graph.nodes[n]["display"]}
    assert romanian  # the bundled data has Romanian names (Alsacia, ...)
    for key, expected in romanian.items():
        shown = browser.find_element(By.CSS_SELECTOR, f'#nodes g.node[data-key="{key}"] text')
        assert shown.get_attribute("textContent") == expected
    assert "început necunoscut" in browser.find_element(By.ID, "panel").text
    Select(browser.find_element(By.ID, "lang")).select_by_value("en")
    assert "start unknown" in browser.find_element(By.ID, "panel").text
    assert _severe(browser) == []


def _screen_box(browser, selector):
    return browser.execute_script("""
        var r = null;
        document.querySelectorAll(arguments[0]).forEach(function (e) {
          var b = e.getBoundingClientRect();
          r = r ? {l: Math.min(r.l, b.left), t: Math.min(r.t, b.top), r: Math.max(r.r, b.right), b: Math.max(r.b, b.bottom)}
                : {l: b.left, t: b.top, r: b.right, b: b.bottom};
        });
        return r;""", selector)


def test_selection_cleared_when_filtered_out_and_view_refits(browser, projection, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    graph = _open(browser, projection, tmp_path)
    _click_node(browser, "fr-romans-sur-isere")
    assert browser.find_elements(By.CSS_SELECTOR, "#nodes g.node.dim")
    # Romans has no partner in Romania: filtering on RO hides it, so nothing stays dimmed
    Select(browser.find_element(By.ID, "country-filter")).select_by_value("RO")
    assert "fr-romans-sur-isere" not in _visible_nodes(browser)
    assert browser.find_elements(By.CSS_SELECTOR, "#nodes g.node.dim, #edges line.dim") == []
    assert browser.find_elements(By.CSS_SELECTOR, "#panel h2") == []
    # the view is fitted to what the filter leaves: the Tunisian partnerships fill it
    Select(browser.find_element(By.ID, "country-filter")).select_by_value("TN")
    stage = _screen_box(browser, "#net")
    shown = _screen_box(browser, "#nodes g.node:not(.hidden)")
    width, height = stage["r"] - stage["l"], stage["b"] - stage["t"]
    assert (shown["r"] - shown["l"]) > 0.6 * width or (shown["b"] - shown["t"]) > 0.6 * height
    assert stage["l"] - 1 <= shown["l"] and shown["r"] <= stage["r"] + 1
    assert stage["t"] - 1 <= shown["t"] and shown["b"] <= stage["b"] + 1
    # a selected actor the filter keeps stays selected, dimming what is not its own
    Select(browser.find_element(By.ID, "country-filter")).select_by_value("")
    _click_node(browser, "ro-timis")
    Select(browser.find_element(By.ID, "country-filter")).select_by_value("FR")
    assert browser.find_element(By.CSS_SELECTOR, "#panel h2").text
    timis = _node(graph, "ro-timis")
    partners = {graph.nodes[b]["key"] for _, b in graph.edges(timis)} | {"ro-timis"}
    dimmed = {e.get_attribute("data-key") for e in browser.find_elements(By.CSS_SELECTOR, "#nodes g.node.dim")}
    assert dimmed and not dimmed & (partners & set(_visible_nodes(browser)))
    assert _severe(browser) == []


def test_search_zooms_to_the_hit(browser, projection, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _open(browser, projection, tmp_path)
    before = browser.execute_script("return window.coopkgNetwork.view()")
    box = browser.find_element(By.ID, "search")
    box.send_keys("El Jem")
    browser.find_element(By.CSS_SELECTOR, "#search-form button").click()
    after = browser.execute_script("return window.coopkgNetwork.view()")
    assert after["k"] >= 3.9 * before["fitK"]
    stage = _screen_box(browser, "#net")
    hit = _screen_box(browser, '#nodes g.node[data-key="tn-el-jem"] .shape')
    centre = ((stage["l"] + stage["r"]) / 2, (stage["t"] + stage["b"]) / 2)
    assert abs((hit["l"] + hit["r"]) / 2 - centre[0]) < 30 and abs((hit["t"] + hit["b"]) / 2 - centre[1]) < 30
    # an actor the filters hide is found but said hidden
    Select(browser.find_element(By.ID, "country-filter")).select_by_value("RO")
    box.clear()
    box.send_keys("El Jem")
    browser.find_element(By.CSS_SELECTOR, "#search-form button").click()
    assert "hidden by the current filters" in browser.find_element(By.ID, "search-message").text
    assert _severe(browser) == []


@pytest.fixture(scope="session")
def atlas_page(tmp_path_factory) -> tuple[Path, object]:
    """The network page of the synthetic 12,000-partnership atlas (`coopkg bench generate`), made once a session.

    Laid out at the actors' points (the generator gives every collectivity one) instead
    of the force layout, which takes most of a minute at this scale: this test is about
    the page's own work at 12,000 partnerships, not the layout (`coopkg bench` times that)."""
    from coopkg import working_graph
    from coopkg.bench.generate import generate
    from coopkg.cli import main
    from coopkg.map.project import locations
    from coopkg.network.project import project

    folder = tmp_path_factory.mktemp("atlas-12k")
    with (folder / "atlas.jsonl").open("w", encoding="utf-8") as handle:
        generate(12000, 1, handle)
    assert main(["build", str(folder / "atlas.jsonl"), "--out", str(folder / "build"), "--no-validate", "-q"]) == 0
    store = working_graph.open_store(working_graph.choose(folder / "build" / "graph.ttl"), scans=True).store
    projection = project(store)
    located, _ = locations(store)
    # institutions have no point: a row of their own below the map
    pos = {n: (located[n].longitude, located[n].latitude) if n in located else (-170.0 + i, -70.0)
           for i, n in enumerate(sorted(projection.actors.nodes))}
    path = folder / "network-12k.html"
    page.save(projection.actors, path, projection.theme_labels, pos=pos, labels=projection.labels)
    return path, projection


def test_the_page_at_atlas_scale_loads_and_search_zooms_to_the_hit(browser, atlas_page):
    from selenium.webdriver.common.by import By

    path, projection = atlas_page
    graph = projection.actors
    assert sum(1 for _ in graph.edges()) >= 12000
    browser.get_log("browser")  # drop what came before
    browser.get(Path(path).resolve().as_uri())
    assert _severe(browser) == []
    assert len(browser.find_elements(By.CSS_SELECTOR, "#nodes g.node")) == graph.number_of_nodes()
    # a small foreign partner among thousands: found, zoomed to, in the middle, its panel open
    degree = dict(graph.degree())
    node = min((n for n in graph.nodes if graph.nodes[n].get("country") not in (None, "FR")),
               key=lambda n: (degree[n], graph.nodes[n]["key"]))
    key, name = graph.nodes[node]["key"], graph.nodes[node]["label"]
    before = browser.execute_script("return window.coopkgNetwork.view()")
    box = browser.find_element(By.ID, "search")
    box.send_keys(key)
    browser.find_element(By.CSS_SELECTOR, "#search-form button").click()
    after = browser.execute_script("return window.coopkgNetwork.view()")
    assert after["k"] >= 3.9 * before["fitK"]
    stage = _screen_box(browser, "#net")
    hit = _screen_box(browser, f'#nodes g.node[data-key="{key}"] .shape')
    centre = ((stage["l"] + stage["r"]) / 2, (stage["t"] + stage["b"]) / 2)
    assert abs((hit["l"] + hit["r"]) / 2 - centre[0]) < 30 and abs((hit["t"] + hit["b"]) / 2 - centre[1]) < 30
    assert name in browser.find_element(By.CSS_SELECTOR, "#panel h2").text
    assert _severe(browser) == []


@pytest.fixture(scope="module")
def titled(bundled_graph, tmp_path_factory):
    """The bundled graph with Timiș–Alsace titled in three languages, as a portal's graph may have it."""
    from coopkg.network.project import project
    from coopkg.store import open_graph

    path = tmp_path_factory.mktemp("titled") / "graph.ttl"
    path.write_text(bundled_graph.read_text(encoding="utf-8") + """
<https://w3id.org/coopkg/id/partnership/timis-alsace> <http://purl.org/dc/terms/title>
    "Twinning of Timiș and Alsace"@en, "Jumelage Timiș – Alsace"@fr .
""", encoding="utf-8")
    return project(open_graph(path, "oxigraph"))


def test_partnership_titles_follow_the_page_language(browser, titled, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    alsace = next(a for _, _, a in titled.actors.edges(data=True) if a["link_key"] == "timis-alsace")
    assert alsace["titles"] == {"en": "Twinning of Timiș and Alsace", "fr": "Jumelage Timiș – Alsace",
                                "ro": "Înfrățire Timiș – Alsacia"}
    mulhouse = next(a for _, _, a in titled.actors.edges(data=True) if a["link_key"] == "timis-mulhouse")
    _open(browser, titled, tmp_path, lang="fr")
    _click_node(browser, "ro-timis")
    panel = browser.find_element(By.ID, "panel")
    assert "Jumelage Timiș – Alsace" in panel.text
    assert mulhouse["title"] in panel.text  # a title in one language only is shown in every one
    tip = browser.execute_script(
        "return document.querySelector('#edges line[data-link$=\"/timis-alsace\"] title').textContent;")
    assert tip.startswith("Jumelage Timiș – Alsace (")
    for lang, title in (("ro", "Înfrățire Timiș – Alsacia"), ("en", "Twinning of Timiș and Alsace")):
        Select(browser.find_element(By.ID, "lang")).select_by_value(lang)
        assert title in browser.find_element(By.ID, "panel").text
    assert "Jumelage" not in browser.find_element(By.ID, "panel").text
    assert _severe(browser) == []


def test_legend_names_come_from_the_style_table(browser, projection, tmp_path):
    import yaml
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from coopkg import resources

    table = yaml.safe_load((resources.folder("data") / "edge-styles.yaml").read_text(encoding="utf-8"))
    _open(browser, projection, tmp_path)
    for lang in ("fr", "ro", "en"):
        Select(browser.find_element(By.ID, "lang")).select_by_value(lang)
        legend = browser.find_element(By.ID, "legend").text
        assert table["ended-reorganisation"]["labels"][lang] in legend
        assert table["active"]["labels"][lang] in legend
