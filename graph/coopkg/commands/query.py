"""`coopkg query` (run a canned query or a .rq file) and `coopkg queries` (list them)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

QUERY_EXAMPLE = """\
examples:
  coopkg query ended-by-reorganisation
  coopkg query active-partnerships --param collectivity=Timiș --param at=2010-06-01
  coopkg query funding-totals --format csv > fundings.csv
  coopkg query partnership-timeline --param partnership=timis-rhone --graph out/graph.ttl
  coopkg query my-question.rq --param country=RO --format json
  coopkg query partners-with-predecessors --param collectivity="Grand Est" \\
      --endpoint http://localhost:7878/query
  coopkg query stale-records --endpoint http://localhost:7878/query \\
      --default-graph https://example.org/graph/other   # another named graph than the published one
  coopkg query funding-totals --endpoint http://localhost:8890/sparql --store-default-graph

On an endpoint, the query reads the named graph the last `coopkg publish` there put
the graph in (or coopkg's default graph IRI when the store holds it), not the store's
default graph, which is empty on some stores and the union of every graph on others.
An answer the store cut at its row cap is completed by paging, or refused (exit 1).

A collectivity (or actor, partnership...) may be given by name, in any case and with or
without diacritics ("Timis", "Departamentul Rhone"), by key (ro-timis) or by IRI.
Parameters are bound as RDF terms, never pasted into the query. Without --graph or
--endpoint the query runs on build/graph.ttl, or on the bundled dataset built in memory
when there is none; on a terminal the graph used is named on stderr. `--graph -` reads
the graph from standard input (Turtle; --graph-format for another syntax):
  coopkg export --format nt | coopkg query funding-totals --graph - --graph-format nt
Exit codes: 0 answered, 2 usage error (unknown query or parameter, a value of the wrong
type, a name that matches none or several records, a SERVICE clause without
--allow-service) or a graph file or endpoint that cannot be read or reached,
3 internal error.
"""

QUERIES_EXAMPLE = """\
examples:
  coopkg queries                          # name, title and parameters of each query
  coopkg queries active-partnerships      # its questions (en, fr), parameters, columns
"""

def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "query",
        help="run a canned SPARQL query (or your own .rq file) on the graph or an endpoint",
        description="Run one of the canned queries (see `coopkg queries`) or a SPARQL file, with "
        "parameters bound as RDF terms, on a graph file, the default graph or a remote endpoint.",
        epilog=QUERY_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("query", metavar="NAME|FILE.rq", help="a canned query's name, or a SPARQL query file")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", default=[],
                   help="a parameter value (repeatable)")
    from coopkg.working_graph import add_graph_arguments

    add_graph_arguments(p, endpoint=True)
    p.add_argument("--default-graph", action="append", default=[], metavar="IRI",
                   help="with --endpoint: query this named graph as the default graph (repeatable), "
                   "e.g. the --graph-iri of coopkg publish")
    p.add_argument("--store-default-graph", action="store_true",
                   help="with --endpoint: query the store's own default graph, not the graph coopkg published")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S",
                   help="with --endpoint: seconds for the whole request and answer (default: %(default)s)")
    p.add_argument("--format", "-f", choices=("table", "csv", "tsv", "json"), default="table",
                   help="table (default), or SPARQL 1.1 results as csv, tsv or json")
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                   help="local SPARQL engine (default: oxigraph)")
    p.add_argument("--allow-service", action="store_true",
                   help="let a local query follow SERVICE clauses (refused by default: no network access)")
    p.set_defaults(func=run)

    q = sub.add_parser(
        "queries",
        help="list the canned queries with their titles and parameters",
        description="List the canned SPARQL queries shipped in queries/, or describe one.",
        epilog=QUERIES_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.add_argument("name", nargs="?", metavar="NAME", help="describe this query in full")
    q.set_defaults(func=run_list)


def run(args: argparse.Namespace) -> int:
    from coopkg import query, query_output, working_graph
    from coopkg.errors import InputError, UsageError

    try:
        canned = query.find_query(args.query)
        values = query.parse_assignments(args.param)
        choice = working_graph.choose(args.graph, args.endpoint, syntax=args.graph_format)
        if choice.kind == "endpoint":
            remote = query.EndpointRunner(args.endpoint, timeout=args.timeout)
            graphs, why = query.choose_graphs(args.endpoint, tuple(args.default_graph), args.store_default_graph,
                                              remote)
            remote.default_graphs = graphs
            working_graph.announce("query", choice)
            if sys.stderr.isatty():
                shown = ", ".join(f"<{g}>" for g in graphs) or "the store's default graph"
                print(f"coopkg query: reading {shown} at {args.endpoint} ({why})", file=sys.stderr)
            for warning in query.engine_warnings(canned, args.endpoint, remote):
                print(f"coopkg query: warning: {warning}", file=sys.stderr)
            runner: query.Runner = remote
        else:
            if args.default_graph or args.store_default_graph:
                raise query.QueryError("--default-graph and --store-default-graph go with --endpoint")
            if not args.allow_service:
                query.refuse_service(canned)  # before loading anything
            opened = working_graph.open_store(choice, args.engine)
            working_graph.announce("query", choice, _counts(opened.store))
            # the answer is only written out: cells, not rdflib terms (docs/performance.md)
            runner = query.LocalRunner(opened.store, cells=True)
        answer = query.run(canned, values, runner, allow_service=args.allow_service)
    except query.QueryError as err:
        raise UsageError(str(err)) from None
    except query.EndpointError as err:  # the message names the endpoint, never a local file
        raise InputError(f"the endpoint failed: {err}") from None
    if args.endpoint:
        for warning in runner.warnings:  # type: ignore[attr-defined]
            print(f"coopkg query: warning: {warning}", file=sys.stderr)
        rows = getattr(answer, "rows", None)
        if rows == [] and not runner.default_graphs:  # type: ignore[attr-defined]
            hint = query.named_graphs_hint(runner)  # type: ignore[arg-type]
            if hint:
                print(f"coopkg query: {hint}", file=sys.stderr)
    query_output.write(answer, args.format, sys.stdout)
    return 0


def _counts(store: Any) -> tuple[int, dict[str, int]] | None:
    from coopkg import working_graph

    return working_graph.store_counts(store) if working_graph.on_terminal() else None


def run_list(args: argparse.Namespace) -> int:
    from coopkg import query

    try:
        if args.name:
            _describe(query.find_query(args.name))
            return 0
        queries = query.catalogue()
    except query.QueryError as err:
        print(f"coopkg queries: {err}", file=sys.stderr)
        return 2
    width = max(len(name) for name in queries)
    for name, canned in queries.items():
        params = " ".join(p.usage() for p in canned.parameters)
        print(f"{name.ljust(width)}  {canned.title}")
        if params:
            print(f"{'':{width}}    parameters: {params}")
    print(f"\n{len(queries)} queries; `coopkg queries NAME` describes one, `coopkg query NAME` runs it.")
    return 0


def _describe(canned: Any) -> None:
    print(canned.title)
    for lang, text in canned.question.items():
        print(f"  [{lang}] {text}")
    print(f"file: {canned.path}")
    if canned.parameters:
        print("parameters:")
        for p in canned.parameters:
            extra = "required" if p.required else f"default {p.default}"
            example = f"; e.g. {p.example}" if p.example is not None else ""
            print(f"  {p.name} ({p.type}, {extra}{example}){': ' + p.description if p.description else ''}")
    if canned.columns:
        print("columns:")
        for name, text in canned.columns.items():
            print(f"  {name}: {text}")
    if canned.notes:
        print(f"notes: {canned.notes}")
    print(f"example: {canned.example_command()}")
