"""Where a query runs (`Runner`) and the local runner: a graph in a `coopkg.store.Store`, with
parameters bound as a VALUES block on Oxigraph or through the store on rdflib.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from coopkg.query.catalogue import QueryError
from coopkg.query.sparql_text import with_values

if TYPE_CHECKING:
    from rdflib.term import Node

    from coopkg.store import Cell


# -- running -------------------------------------------------------------------------
class Runner(Protocol):
    """Where a query runs: a local store or a remote endpoint. A bound term is an rdflib term or a
    `coopkg.store.Cell` (what `coopkg.query.run` binds)."""

    local: bool

    def run(self, sparql: str, bindings: dict[str, Node | Cell]) -> Any: ...


@dataclass
class LocalRunner:
    """A graph in a `coopkg.store.Store` (Oxigraph or rdflib).

    ``binding`` says how parameters reach the engine: ``values`` puts a VALUES block of
    serialised terms at the top of the WHERE group (as on a remote endpoint), which
    Oxigraph's optimiser sees, so a query starts from the given collectivity instead of
    evaluating every collectivity's answer and filtering it (5 to 300 times faster at
    12,000 partnerships, see docs/queries.md); ``store`` passes them to
    `coopkg.store.Store.query` (SEP-0007 substitutions on Oxigraph, initBindings on
    rdflib). The default is ``values`` on Oxigraph and ``store`` on rdflib.

    ``cells``: a SELECT answers a `coopkg.store.CellResult` (`Store.query_cells`), for an
    answer that is only written out (`coopkg query`): no rdflib term is built for it.
    """

    store: Any
    binding: str = "auto"
    local: bool = True
    cells: bool = False

    def run(self, sparql: str, bindings: dict[str, Node | Cell]) -> Any:
        mode = self.binding
        if mode == "auto":
            mode = "values" if getattr(self.store, "engine", "") == "oxigraph" else "store"
        if mode == "values" and bindings:
            sparql, bindings = with_values(sparql, bindings), {}
        try:
            if self.cells:
                return self.store.query_cells(sparql, bindings)
            return self.store.query(sparql, bindings)
        except SyntaxError as err:  # pyoxigraph
            raise QueryError(f"the query is not valid SPARQL: {err}") from None
        except RuntimeError as err:
            message = str(err)
            if "SELECT projection" in message:
                raise QueryError(f"{message}: a parameter must be a variable of the SELECT clause") from None
            raise
        except Exception as err:  # rdflib's pyparsing errors carry no common base class
            if type(err).__name__ in {"ParseException", "ParseSyntaxException"}:
                raise QueryError(f"the query is not valid SPARQL: {err}") from None
            raise
