"""`coopkg publish`: replace a named graph in any SPARQL 1.1 store, safely."""

from __future__ import annotations

import argparse
import sys

EXAMPLE = """\
examples:
  coopkg publish --endpoint http://127.0.0.1:7878/query                  # Oxigraph
  coopkg publish --endpoint http://localhost:3030/coop/query \\
      --graph-iri https://data.example.org/graph/coopkg                 # Apache Jena Fuseki
  COOPKG_SPARQL_USER=admin COOPKG_SPARQL_PASSWORD=... \\
  coopkg publish --endpoint http://localhost:7200/repositories/coop --graph build/graph.ttl   # GraphDB
  COOPKG_SPARQL_USER=coopkg COOPKG_SPARQL_PASSWORD=... \\
  coopkg publish --endpoint http://localhost:8890/sparql                 # Virtuoso (Digest, /sparql-auth)
  coopkg query funding-totals --endpoint http://localhost:8890/sparql    # reads the graph just published

The graph is uploaded to a staging graph, counted, then swapped in with one
MOVE (or one PUT), so a failure leaves the published graph as it was; on Oxigraph
it is one PUT of the whole graph (one transaction there), counted after. Update and
Graph Store URLs are guessed from --endpoint (…/query -> …/update, …/store or
…/data; …/repositories/ID -> …/statements, …/rdf-graphs/service; Virtuoso, which
the store's answer reveals: …/sparql-auth, …/sparql-graph-crud-auth) unless given.
A chunk the store refuses as too large is sent again in halves. Credentials come
only from COOPKG_SPARQL_TOKEN (Bearer) or COOPKG_SPARQL_USER and
COOPKG_SPARQL_PASSWORD (Basic or Digest, as the store asks) in the environment.
The graph IRI is recorded (see docs/publishing.md), so `coopkg query --endpoint`
on the same URL reads the published graph without --default-graph.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "publish",
        help="replace a named graph in a SPARQL store (Graph Store Protocol or SPARQL Update)",
        description="Publish the graph (--graph FILE, or build/graph.ttl when it exists, or the bundled "
        "dataset; named on stderr on a terminal) into the named graph --graph-iri of a SPARQL 1.1 store, "
        "and check the triple count.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--endpoint", required=True, metavar="URL", help="the store's SPARQL query endpoint")
    p.add_argument("--update-url", metavar="URL", help="SPARQL Update endpoint (default: guessed from --endpoint)")
    p.add_argument("--store-url", metavar="URL", help="Graph Store Protocol endpoint (default: guessed)")
    p.add_argument("--no-graph-store", action="store_true", help="use SPARQL Update only, never the Graph Store Protocol")
    p.add_argument("--graph-iri", metavar="IRI", help="the named graph to replace (default: https://w3id.org/coopkg/graph)")
    from coopkg.working_graph import add_graph_arguments

    add_graph_arguments(p, help_default="the graph file to publish ('-': standard input); default: build/graph.ttl "
                        "if present, else the bundled dataset")
    p.add_argument("--strategy", choices=["auto", "stage", "put"], default="auto",
                   help="auto (default): put on Oxigraph, stage elsewhere; stage: upload to a staging graph, "
                   "count, swap with MOVE (any store); put: one Graph Store PUT onto the target, counted "
                   "after (faster; atomic where PUT is a transaction)")
    p.add_argument("--chunk-size", type=int, default=50_000, metavar="N", help="triples per request (default: %(default)s)")
    p.add_argument("--retries", type=int, default=4, metavar="N",
                   help="retries of a request after a transient failure (default: %(default)s)")
    p.add_argument("--timeout", type=float, default=120.0, metavar="S", help="seconds per request (default: %(default)s)")
    p.add_argument("--no-record", action="store_true",
                   help="do not record the graph IRI for `coopkg query --endpoint` (see docs/publishing.md)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coopkg import publish, working_graph
    from coopkg.progress import Progress, stage

    def fail(message: str, code: int) -> int:
        print(f"coopkg publish: {message}", file=sys.stderr)
        return code

    graph_iri = args.graph_iri or publish.DEFAULT_GRAPH_IRI
    try:
        endpoints = publish.Endpoints.guess(args.endpoint, args.update_url, args.store_url)
        publish.check_graph_iri(graph_iri)
        client = publish.Client(publish.RetryPolicy(attempts=args.retries + 1), timeout=args.timeout)
    except ValueError as err:
        return fail(str(err), 2)
    if args.no_graph_store:
        endpoints.stores = []
    if args.chunk_size < 1 or args.retries < 0 or args.timeout <= 0:
        return fail("--chunk-size and --timeout must be positive, --retries not negative", 2)
    choice = working_graph.choose(args.graph, syntax=args.graph_format)
    with stage(f"publish: reading {choice.name()}"):
        data = working_graph.open_input(choice)
    working_graph.announce("publish", choice, working_graph.table_counts(data.table)
                           if working_graph.on_terminal(args.quiet) else None, quiet=args.quiet)
    errors = [p for p in data.problems if getattr(p, "severity", "error") == "error"]
    if errors:
        for problem in errors:
            print(str(problem), file=sys.stderr)
        return fail("the records have errors: fix them or publish a built --graph", 1)
    from coopkg.commands._common import warn_contacts

    warn_contacts("publish", data.triples, data.origin)
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))
    triples = data.count()  # distinct triples, from the table (a set of triple objects would take GBs at scale)
    say(f"publishing {data.origin} ({triples} triples) into <{graph_iri}> at {args.endpoint}")
    with Progress("uploading triples", triples, enabled=None if not args.quiet else False) as bar:
        try:
            result = publish.publish(data.triples, endpoints, graph_iri, client, args.chunk_size, bar.advance,
                                     strategy=args.strategy)
        except publish.PublishError as err:
            kept = err.swapped or getattr(err, "in_doubt", False)  # the message says what the target holds
            return fail(str(err) if kept else f"{err}\nthe published graph <{graph_iri}> was left as it was", 1)
    for note in result.notes:
        say(f"note: {note}")
    say(f"published {result.triples} triples into <{graph_iri}> "
        f"(uploaded with {'the Graph Store Protocol' if result.method == 'graph-store' else 'SPARQL Update'}, "
        f"swapped with {result.swap.upper()}, {result.requests} requests); count verified")
    if not args.no_record:
        from coopkg import publications

        try:
            publications.record(args.endpoint, graph_iri, result.triples, result.store)
        except OSError as err:
            say(f"warning: could not record the published graph ({err}): query it with --default-graph {graph_iri}")
        else:
            say(f"`coopkg query NAME --endpoint {args.endpoint}` now reads <{graph_iri}>")
    return 0
