"""Running a canned query: local runs refuse SERVICE and (on rdflib) FROM / FROM NAMED, values
are bound, the runner answers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from coopkg.query.binding import bind_cells
from coopkg.query.catalogue import CannedQuery, QueryError
from coopkg.query.local import Runner
from coopkg.query.sparql_text import uses_service


def refuse_service(query: CannedQuery) -> None:
    """Raise QueryError when the query has a SERVICE clause (local runs stay off the network)."""
    try:
        found = uses_service(query.text)
    except QueryError as err:
        raise QueryError(f"{query.path}: {err}") from None
    if found:
        raise QueryError(f"{query.path}: the query has a SERVICE clause, which would send requests over the network; "
                         "run it with --allow-service if that is intended")


def refuse_datasets(query: CannedQuery, engine: str) -> None:
    """Raise QueryError for FROM / FROM NAMED on rdflib: it would fetch those graphs from the
    web (and crashes on a graph file, which has no named graphs)."""
    from coopkg.query_check import UncheckableQuery, could_name, reach

    if engine != "rdflib":
        return  # Oxigraph reads FROM / FROM NAMED from the store it runs on, never from the web
    if not could_name(query.text, "FROM"):
        return
    try:
        graphs = reach(query.text).datasets
    except UncheckableQuery:
        return  # refuse_service has said it
    if graphs:
        raise QueryError(f"{query.path}: FROM / FROM NAMED ({', '.join(graphs)}) would make --engine rdflib load "
                         "those graphs from the web; a local graph file has only its default graph: remove the "
                         "clauses, or use --engine oxigraph")


def run(query: CannedQuery, values: dict[str, str], runner: Runner, allow_service: bool = False,
        today: date | None = None) -> Any:
    """Run a query with parameter values given as text; SelectResult, bool or triples."""
    if runner.local and not allow_service:
        refuse_service(query)
    if runner.local:
        refuse_datasets(query, getattr(getattr(runner, "store", None), "engine", ""))
    # the terms as cells: an rdflib term is made only by a runner that needs one (rdflib's engine)
    return runner.run(query.text, bind_cells(query, values, runner, today))
