"""Canned SPARQL queries: the catalogue in ``queries/``, parameters, and running them.
May import shacl_engines and below (store, query_check, remote, publications, iris, vocab, ...); not validate, export, network.

Each ``queries/NAME.rq`` opens with a header: the leading ``#`` comment lines, which
(with the ``#`` and one space taken off) are a YAML mapping::

    # title: Partnerships of a collectivity active at a date
    # question:
    #   en: What partnerships does a given collectivity have ...?
    #   fr: Quels partenariats une collectivité donnée ...?
    # parameters:
    #   - name: collectivity
    #     type: collectivity
    #     example: Timiș
    #     description: the collectivity
    #   - name: at
    #     type: date
    #     default: today
    #     example: "2010-06-01"
    # columns:
    #   collectivity: the collectivity asked about
    #   ...
    # notes: >
    #   free text

A parameter is a variable of the query (``?collectivity``). Its value is checked against
its type and bound as an RDF term: ``initBindings`` on rdflib (through `coopkg.store`);
on Oxigraph and on a remote endpoint a ``VALUES`` block of serialised, escaped terms put
at the top of the WHERE group (Oxigraph's optimiser ignores SEP-0007 substitutions, see
`LocalRunner`). A value is never pasted as text, so it cannot change the query's shape.
For the ways to agree, a parameter is used only in the query's top-level group (never
inside a sub-SELECT, never assigned by BIND) and appears in the SELECT clause.

Nothing here prints: errors are `QueryError` with a message meant for the user.
"""

from coopkg.query.binding import bind, bind_cells, convert, convert_cell, fold, parse_assignments, resolve, resolve_iri
from coopkg.query.catalogue import (
    ENGINES,
    HEADER_KEYS,
    PARAM_KEYS,
    PARAM_TYPES,
    RECORD_TYPES,
    CannedQuery,
    Name,
    Parameter,
    QueryError,
    catalogue,
    find_query,
    header_lines,
    load_query_file,
    parse_header,
)
from coopkg.query.endpoint import ROW_CAP_CHECK, EndpointError, EndpointRunner, choose_graphs, json_term, named_graphs_hint
from coopkg.query.engines import engine_warnings, store_engine
from coopkg.query.local import LocalRunner, Runner
from coopkg.query.running import refuse_datasets, refuse_service, run
from coopkg.query.sparql_text import (
    cell_text,
    mask,
    query_form,
    split_prologue,
    strip_comments,
    term_text,
    total_order,
    uses_service,
    where_brace,
    with_values,
    without_geosparql,
)

__all__ = [
    "CannedQuery",
    "ENGINES",
    "EndpointError",
    "EndpointRunner",
    "HEADER_KEYS",
    "LocalRunner",
    "Name",
    "PARAM_KEYS",
    "PARAM_TYPES",
    "Parameter",
    "QueryError",
    "RECORD_TYPES",
    "ROW_CAP_CHECK",
    "Runner",
    "bind",
    "bind_cells",
    "catalogue",
    "cell_text",
    "choose_graphs",
    "convert",
    "convert_cell",
    "engine_warnings",
    "find_query",
    "fold",
    "header_lines",
    "json_term",
    "load_query_file",
    "mask",
    "named_graphs_hint",
    "parse_assignments",
    "parse_header",
    "query_form",
    "refuse_datasets",
    "refuse_service",
    "resolve",
    "resolve_iri",
    "run",
    "split_prologue",
    "store_engine",
    "strip_comments",
    "term_text",
    "total_order",
    "uses_service",
    "where_brace",
    "with_values",
    "without_geosparql",
]
