"""What a query's header says about the engine at an endpoint (found by its Server header,
`store_engine`, kept beside the runner that also asks it before paging): the warnings
`coopkg query --endpoint` prints before running.
"""

from __future__ import annotations

from coopkg.query.catalogue import CannedQuery
from coopkg.query.endpoint import EndpointRunner, store_engine  # with the runner: it asks before paging


def engine_warnings(query: CannedQuery, url: str, runner: EndpointRunner | None = None) -> list[str]:
    """What the query's header says about the engine at ``url`` (asked only when it says anything)."""
    if not query.engines:
        return []
    engine = store_engine(url, runner._client() if runner else None)
    if engine is None or engine not in query.engines:
        return []
    return [f"{query.name} is not supported on {engine}: {query.engines[engine]}"]
