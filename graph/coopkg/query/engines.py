"""Which engine answers at an endpoint (its Server header) and what a query's header says about
it: the warnings `coopkg query --endpoint` prints before running.
"""

from __future__ import annotations

from typing import Any

from coopkg.query.catalogue import ENGINES, CannedQuery
from coopkg.query.endpoint import EndpointRunner


def store_engine(url: str, client: Any = None) -> str | None:
    """Which engine answers at ``url``, from its Server header (Virtuoso says so); None when unknown."""
    from coopkg.remote import Client, RemoteError, RetryPolicy

    client = client or Client(RetryPolicy(attempts=1), timeout=10)
    try:
        answer = client.request("GET", url + ("&" if "?" in url else "?") + "query=ASK%7B%7D",
                                accept="application/sparql-results+json", retry=False)
    except (RemoteError, ValueError):
        return None
    server = (answer.headers.get("Server") or "").lower()
    for engine in ENGINES:
        if server.startswith(engine) or f"/{engine}" in server:
            return engine
    return None


def engine_warnings(query: CannedQuery, url: str, runner: EndpointRunner | None = None) -> list[str]:
    """What the query's header says about the engine at ``url`` (asked only when it says anything)."""
    if not query.engines:
        return []
    engine = store_engine(url, runner._client() if runner else None)
    if engine is None or engine not in query.engines:
        return []
    return [f"{query.name} is not supported on {engine}: {query.engines[engine]}"]
