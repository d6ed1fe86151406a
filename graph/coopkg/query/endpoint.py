"""A remote SPARQL 1.1 endpoint: POSTed queries, SPARQL JSON results, an answer cut at a row cap
completed by paging or refused, and which named graphs a query there reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coopkg.namespaces import COOP, XSD
from coopkg.query.catalogue import ENGINES, QueryError
from coopkg.query.sparql_text import (
    GEOF,
    _iri_text,
    query_form,
    split_prologue,
    strip_comments,
    total_order,
    with_values,
    without_geosparql,
)

if TYPE_CHECKING:
    from rdflib.term import Node

    from coopkg.store import Cell

ROW_CAP_CHECK = 100  # answers at least this long are checked against a COUNT (row caps are round numbers above it)


@dataclass
class EndpointRunner:
    """A remote SPARQL 1.1 endpoint (SPARQL JSON results, POST), through `coopkg.remote.Client`
    (so the credentials of ``COOPKG_SPARQL_*`` go with queries too, Basic or Digest).

    Complete or say so: stores cap the rows of an answer (Virtuoso's ``ResultSetMaxRows``,
    10,000 in Debian's configuration) and send the first rows as if they were all. An
    answer of ``ROW_CAP_CHECK`` rows or more is checked with a COUNT of the same query;
    when the store held back rows, the query is run again in pages (its ORDER BY made
    total with every projected variable, ``LIMIT``/``OFFSET``, one page the size the store
    answered), and when that cannot complete it, `EndpointError` says so: never a cut
    answer as if whole. Warnings (a COUNT the store could not run) go to ``warnings``.
    """

    url: str
    timeout: float = 60.0
    local: bool = False
    # Named graphs to query as the default graph (SPARQL protocol's default-graph-uri):
    # how to query a graph `coopkg publish` put under a name (see `choose_graphs`).
    default_graphs: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    client: Any = None
    pages: int = 0  # page requests made to complete capped answers (for tests and messages)
    engine: str | None = None  # the store's engine ("" unknown), asked the first time an answer is paged
    geosparql: bool | None = None  # whether the store has geof:distance, asked the first time a query calls geof:
    emptied: list[str] = field(default_factory=list)  # columns left empty: their function is missing on the store

    def _client(self) -> Any:
        if self.client is None:
            from coopkg.remote import Client, RetryPolicy

            # one attempt: the timeout bounds the whole request and answer (--timeout), not a third of it
            self.client = Client(RetryPolicy(attempts=1), timeout=self.timeout)
        return self.client

    def _post(self, text: str) -> tuple[dict[str, Any], Any]:
        import urllib.parse

        from coopkg.remote import RemoteError

        fields = [("query", text)] + [("default-graph-uri", g) for g in self.default_graphs]
        try:
            answer = self._client().request(
                "POST", self.url, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded",
                "application/sparql-results+json")
        except RemoteError as err:
            message = str(err)
            if getattr(err, "timed_out", False):
                message = (f"{self.url}: no complete answer within {self.timeout:g} s (the timeout); the store was "
                           "reached but did not finish the query in time")
            elif getattr(err, "status", 0) is None:
                message = f"{self.url}: cannot reach the endpoint: {getattr(err, 'detail', err)}"
            raise EndpointError(message) from None
        except ValueError as err:  # a URL that is none
            raise EndpointError(f"{self.url}: {err}") from None
        try:
            data = json.loads(answer.body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise EndpointError(f"{self.url}: the endpoint did not answer with SPARQL JSON results")
        return data, answer.headers

    def _select(self, text: str) -> tuple[list[str], list[tuple[Node | None, ...]], Any]:
        data, headers = self._post(text)
        names = list(data.get("head", {}).get("vars", []))
        rows = [tuple(json_term(b.get(n)) for n in names) for b in data.get("results", {}).get("bindings", [])]
        return names, rows, headers

    def run(self, sparql: str, bindings: dict[str, Node | Cell]) -> Any:
        from coopkg.store import SelectResult

        form = query_form(sparql)
        if form not in {"SELECT", "ASK"}:
            raise QueryError(f"only SELECT and ASK queries can run on an endpoint (this one is {form})")
        text = strip_comments(with_values(sparql, bindings))
        if GEOF in text and not self._has_geosparql():
            text, columns = without_geosparql(text)
            if columns:
                self.emptied = columns
                self.warnings.append(f"the store has no GeoSPARQL functions (geof:distance): {', '.join(columns)} "
                                     "left empty, the other columns as on any store")
        if form == "ASK":
            data, _ = self._post(text)
            if "boolean" not in data:
                raise EndpointError(f"{self.url}: the endpoint did not answer ASK with a boolean")
            return bool(data["boolean"])
        names, rows, headers = self._select(text)
        if len(rows) >= ROW_CAP_CHECK or _cap_header(headers):
            total = self._count(text)
            if total is not None and total > len(rows):
                rows = self._page(text, names, len(rows), total)
        return SelectResult(names, rows)

    def _has_geosparql(self) -> bool:
        """Whether the store computes geof:distance. A SPARQL 1.1 engine without it leaves the
        BIND unbound; Virtuoso 7.2 refuses the whole query (SR185 undefined procedure), so the
        store is asked first, once."""
        if self.geosparql is None:
            probe = (f"PREFIX geo: <http://www.opengis.net/ont/geosparql#>\nASK {{ BIND (<{GEOF}distance>("
                     '"POINT(0 0)"^^geo:wktLiteral, "POINT(1 0)"^^geo:wktLiteral, '
                     "<http://www.opengis.net/def/uom/OGC/1.0/metre>) AS ?d) FILTER (BOUND(?d)) }")
            try:
                data, _ = self._post(probe)
                self.geosparql = bool(data.get("boolean"))
            except EndpointError:
                self.geosparql = False
        return self.geosparql

    def _count(self, text: str) -> int | None:
        prologue, body = split_prologue(text)
        counting = f"{prologue}SELECT (COUNT(*) AS ?coopkg_rows) WHERE {{\n{body}\n}}"
        try:
            _, rows, _ = self._select(counting)
            value = rows[0][0] if rows else None
            return int(str(value)) if value is not None else None
        except (EndpointError, ValueError) as err:
            self.warnings.append(f"could not check whether the store cut the answer at a row cap "
                                 f"(its COUNT failed: {err})")
            return None

    def _page(self, text: str, names: list[str], page: int, total: int) -> list[tuple[Node | None, ...]]:
        cut = (f"the store answered {page} of {total} rows (a row cap: Virtuoso's ResultSetMaxRows, "
               "for one)")
        try:
            ordered = total_order(text, names)
        except QueryError as err:
            raise EndpointError(f"{self.url}: {cut}, and the query cannot be paged ({err})") from None
        prologue, body = split_prologue(ordered)
        standard = f"{ordered}\nLIMIT {page} OFFSET {{offset}}"
        # Virtuoso sorts at most MaxSortedTopRows (10,000) rows for ORDER BY with
        # LIMIT/OFFSET (SR353) and documents this form, the ordered query as a
        # sub-query with the LIMIT/OFFSET outside ("scrollable cursor"), instead
        scrollable = f"{prologue}SELECT * WHERE {{\n{{ {body} }}\n}} LIMIT {page} OFFSET {{offset}}"
        # and on Virtuoso 7.2 the standard form is not only limited but wrong: with a grouped
        # sub-query joined to OPTIONALs it puts values of other rows together (two thirds of
        # collectivities-by-partners' rows at 2,000 partnerships), so there it is not tried.
        # Elsewhere it comes first: SPARQL 1.1 does not promise that a sub-query keeps its order.
        if self.engine is None:
            self.engine = store_engine(self.url, self._client()) or ""
        forms = [scrollable] if self.engine == "virtuoso" else [standard, scrollable]
        rows: list[tuple[Node | None, ...]] = []
        while len(rows) < total:
            chunk = None
            for form in list(forms):
                try:
                    got, chunk, _ = self._select(form.replace("{offset}", str(len(rows))))
                    if got != names:  # SELECT * may list the variables in another order
                        where = [got.index(n) if n in got else None for n in names]
                        chunk = [tuple(None if i is None else row[i] for i in where) for row in chunk]
                    break
                except EndpointError as err:
                    forms.remove(form)  # this form fails on this store: the next pages use the other
                    failure = err
            if chunk is None:
                raise EndpointError(f"{cut}; paging the rest with ORDER BY/LIMIT/OFFSET failed at row {len(rows)}: "
                                    f"{failure}. Raise the store's row cap (docs/publishing.md) or query a file") from None
            self.pages += 1
            if not chunk:
                break
            rows.extend(chunk)
        if len(rows) != total:
            raise EndpointError(f"{self.url}: {cut}; paging gave {len(rows)} rows: the answer would be incomplete")
        return rows


def _cap_header(headers: Any) -> bool:
    """Virtuoso says it cut an answer in a response header (X-SPARQL-MaxRows)."""
    return bool(headers is not None and headers.get("X-SPARQL-MaxRows"))


def choose_graphs(url: str, explicit: tuple[str, ...] = (), store_default: bool = False,
                  runner: EndpointRunner | None = None) -> tuple[tuple[str, ...], str]:
    """The named graphs a query on ``url`` reads, and why (one line for the user).

    ``--default-graph`` given: those. ``--store-default-graph``: the store's own default
    graph. Otherwise the graph the last `coopkg publish` to ``url`` recorded
    (`coopkg.publications`), else coopkg's default graph IRI when the store holds it.
    """
    from coopkg import publications
    from coopkg.publications import DEFAULT_GRAPH_IRI

    if explicit:
        return explicit, "given by --default-graph"
    if store_default:
        return (), "the store's default graph (--store-default-graph)"
    recorded = publications.lookup(url)
    if recorded:
        return (recorded["graph"],), f"published there by coopkg publish on {recorded.get('published', '?')}"
    probe = runner or EndpointRunner(url)
    try:
        if probe.run(f"ASK {{ GRAPH <{DEFAULT_GRAPH_IRI}> {{ ?s ?p ?o }} }}", {}):
            return (DEFAULT_GRAPH_IRI,), "coopkg publish's default graph, found in the store"
    except (EndpointError, QueryError):
        pass  # the query itself will report an unreachable store
    return (), "the store's default graph (no graph published by coopkg recorded or found)"


def named_graphs_hint(runner: EndpointRunner) -> str:
    """For an empty answer from a store's default graph: the named graphs holding coopkg data."""
    probe = EndpointRunner(runner.url, runner.timeout, client=runner.client)
    try:
        answer = probe.run(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s a {_iri_text(COOP + 'Partnership')} }} }} "
                           "ORDER BY ?g LIMIT 10", {})
    except (EndpointError, QueryError):
        return ""
    graphs = [str(row[0]) for row in answer.rows if row[0] is not None]
    if not graphs:
        return ""
    return ("the store's default graph answered nothing, but these named graphs hold partnerships: "
            + ", ".join(f"<{g}>" for g in graphs) + f"; choose one with --default-graph {graphs[0]}")


class EndpointError(Exception):
    """The remote endpoint failed or could not be reached."""


def json_term(value: dict[str, str] | None) -> Node | None:
    """A term of SPARQL 1.1 JSON results as an rdflib term."""
    if value is None:
        return None
    # imported here, not with the module: `coopkg query` on a local store imports this module,
    # and rdflib is 0.15 s of its start (rdflib.term, a module: a cheap import once loaded)
    from rdflib.term import BNode, Literal, URIRef
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in {"literal", "typed-literal"}:
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != XSD + "string":
            return Literal(value["value"], datatype=URIRef(datatype))
        return Literal(value["value"])
    raise EndpointError(f"unknown term type in the results: {kind!r}")


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
