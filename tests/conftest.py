"""Shared fixtures: the bundled dataset built once per session, and real servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coopkg import build
from coopkg.server import OxigraphServer, start_oxigraph
from coopkg.store import Store, open_graph

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="session")
def bundled() -> build.Loaded:
    """The bundled dataset's records (gazetteer included), read and merged once."""
    return build.load()


@pytest.fixture(scope="session")
def bundled_graph(bundled: build.Loaded, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """graph.ttl of the bundled dataset, written the way `coopkg build` writes it."""
    path = tmp_path_factory.mktemp("bundled") / "graph.ttl"
    build.write_graph(build.graph_triples(bundled.records), path)
    return path


@pytest.fixture(scope="session")
def bundled_store(bundled_graph: Path) -> Store:
    """The bundled graph in Oxigraph (treat as read-only)."""
    return open_graph(bundled_graph, "oxigraph")


@pytest.fixture(scope="session")
def bundled_rdflib(bundled_graph: Path) -> Store:
    """The bundled graph in rdflib's memory store (treat as read-only)."""
    return open_graph(bundled_graph, "rdflib")


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A real Oxigraph SPARQL server on a free 127.0.0.1 port, empty, stopped after the test."""
    with start_oxigraph(tmp_path / "oxigraph-db") as server:
        yield server


@pytest.fixture(autouse=True)
def _published_graphs_recorded_per_test(tmp_path_factory: pytest.TempPathFactory,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`coopkg publish` records where it published (coopkg.publications): in a test's own
    folder, never in the user's ~/.local/state."""
    monkeypatch.setenv("COOPKG_STATE_DIR", str(tmp_path_factory.mktemp("state")))
