"""Where `coopkg publish` put the graph, so `coopkg query --endpoint` reads that graph.

A store's default graph is not the same thing everywhere: Oxigraph's and Fuseki's hold
only unnamed triples, so a graph published under a name answers nothing there;
Virtuoso's and GraphDB's are the union of every graph, so any other graph in the store
(and a staging graph a failed run left behind) silently changes the answers. Either way
the right question is "what is in the graph coopkg published", so each successful
publish records, per query endpoint, the named graph it replaced; a query on that
endpoint then names it (the protocol's ``default-graph-uri``).

The record is a small JSON file in the user's state folder, not beside the data: the
same user queries from any folder. ``COOPKG_STATE_DIR`` moves it (tests do);
otherwise ``$XDG_STATE_HOME/coopkg`` or ``~/.local/state/coopkg``. Nothing secret goes in
it (no credentials): endpoint URL, graph IRI, triple count, time.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coopkg.atomic import write_text

ENV_STATE_DIR = "COOPKG_STATE_DIR"
# The named graph `coopkg publish` replaces unless told another (--graph-iri)
DEFAULT_GRAPH_IRI = "https://w3id.org/coopkg/graph"


def state_file() -> Path:
    folder = os.environ.get(ENV_STATE_DIR)
    if folder:
        return Path(folder) / "published.json"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "coopkg" / "published.json"


def key(endpoint: str) -> str:
    """The endpoint as recorded: no trailing slash, no query string."""
    return endpoint.split("?", 1)[0].rstrip("/")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no record yet, or an unreadable one: treated as none
    return data if isinstance(data, dict) else {}


def record(endpoint: str, graph_iri: str, triples: int, store: str = "sparql") -> Path:
    """Remember that ``graph_iri`` at ``endpoint`` now holds coopkg's graph; the file written."""
    path = state_file()
    data = _read(path)
    data[key(endpoint)] = {
        "graph": graph_iri,
        "triples": triples,
        "store": store,
        "published": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")
    return path


def lookup(endpoint: str) -> dict[str, Any] | None:
    """What the last publish to ``endpoint`` recorded, or None."""
    entry = _read(state_file()).get(key(endpoint))
    return entry if isinstance(entry, dict) and isinstance(entry.get("graph"), str) else None


__all__ = ["DEFAULT_GRAPH_IRI", "ENV_STATE_DIR", "key", "lookup", "record", "state_file"]
