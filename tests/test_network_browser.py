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


def _severe(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] in {"SEVERE", "ERROR"}]


def test_page_renders_searches_and_shows_an_actors_partnerships(browser, projection, tmp_path):
    from selenium.webdriver.common.by import By

    graph = projection.actors
    path = tmp_path / "network.html"
    page.save(graph, path, projection.theme_labels, title="Partner network of the bundled dataset")
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
    assert browser.find_element(By.CSS_SELECTOR, "#panel h2").text == graph.nodes[timis]["display"]
    found = browser.find_elements(By.CSS_SELECTOR, "#nodes g.node.found")
    assert [e.get_attribute("data-key") for e in found] == ["ro-timis"]
    items = browser.find_elements(By.CSS_SELECTOR, "#partnerships li")
    assert sorted(i.get_attribute("data-link") for i in items) == sorted(d["link"] for _, _, d in graph.edges(timis, data=True))
    rhone = next(i for i in items if i.get_attribute("data-link").endswith("/timis-rhone"))
    assert "1993" in rhone.text and "2016" in rhone.text and "administrative-reorganisation" in rhone.text

    # A search that matches nothing says so.
    box.clear()
    box.send_keys("Atlantis")
    browser.find_element(By.CSS_SELECTOR, "#search-form button").click()
    assert "No actor matches" in browser.find_element(By.ID, "search-message").text

    # Clicking a node shows that actor's partnerships.
    romans = next(n for n in graph if graph.nodes[n]["key"] == "fr-romans-sur-isere")
    node = browser.find_element(By.CSS_SELECTOR, '#nodes g.node[data-key="fr-romans-sur-isere"] .shape')
    node.click()
    assert browser.find_element(By.CSS_SELECTOR, "#panel h2").text == graph.nodes[romans]["display"]
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
