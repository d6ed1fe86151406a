"""`coopkg serve`: the built graph as a SPARQL 1.1 endpoint on 127.0.0.1 (a real Oxigraph server)."""

from __future__ import annotations

import argparse
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from types import FrameType

EXAMPLE = """\
examples:
  coopkg serve                                  # build/graph.ttl (or the bundled dataset) on port 7878
  coopkg serve --graph out/graph.ttl --port 8000 --read-only
  # then, in another terminal:
  coopkg query partnerships-per-country --endpoint http://127.0.0.1:7878/query
  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' \\
       http://127.0.0.1:7878/query

The graph is loaded into a temporary Oxigraph store (removed on exit), in the default
graph, and served by the `oxigraph` server (SPARQL 1.1 Query, Update unless --read-only,
and the Graph Store Protocol) on 127.0.0.1 only. Ctrl-C stops it.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the graph as a local SPARQL endpoint (Oxigraph on 127.0.0.1)",
        description="Load the graph (--graph FILE, or build/graph.ttl when it exists, or the bundled dataset) "
        "into a temporary store and serve it with Oxigraph's SPARQL server on 127.0.0.1 until Ctrl-C.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from coopkg.working_graph import add_graph_arguments

    add_graph_arguments(p, help_default="the graph file to serve ('-': standard input); default: build/graph.ttl "
                        "if present, else the bundled dataset")
    p.add_argument("--port", type=int, default=7878, metavar="N", help="port on 127.0.0.1 (default: %(default)s; 0: any free)")
    p.add_argument("--read-only", action="store_true", help="refuse SPARQL Update and Graph Store writes")
    p.set_defaults(func=run)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from coopkg import export, resources, working_graph
    from coopkg.server import ServerError, free_port, oxigraph_binary, start_oxigraph

    def fail(message: str, code: int) -> int:
        print(f"coopkg serve: {message}", file=sys.stderr)
        return code

    if not 0 <= args.port <= 65535:
        return fail("--port must be between 0 and 65535", 2)
    choice = working_graph.choose(args.graph, syntax=args.graph_format)
    port = args.port or free_port()
    if not _port_free(port):
        return fail(f"port {port} is in use on 127.0.0.1: choose another with --port (0: any free port)", 2)
    try:
        binary = oxigraph_binary()
    except ServerError as err:
        return fail(str(err), 1)

    with tempfile.TemporaryDirectory(prefix="coopkg-serve-") as tmp:
        folder = Path(tmp)
        if choice.kind in ("file", "last-build") and choice.syntax in ("ttl", "nt"):
            origin, load = str(choice.path), choice.path  # the server reads these itself
            working_graph.announce("serve", choice)
        else:
            data = working_graph.open_input(choice)
            working_graph.announce("serve", choice, working_graph.table_counts(data.table)
                                   if working_graph.on_terminal() else None)
            origin, load = data.origin, folder / "graph.nt"
            with load.open("w", encoding="utf-8") as handle:
                export.write_ntriples(data.triples, handle)
        location = folder / "store"
        loaded = subprocess.run([binary, "load", "--location", str(location), "--file", str(load)],
                                capture_output=True, text=True, check=False)
        if loaded.returncode != 0:
            return fail(f"oxigraph could not load {origin}: {loaded.stderr.strip()}", 2)
        previous = signal.signal(signal.SIGTERM, _stop)
        try:
            server = start_oxigraph(location, port, read_only=args.read_only, log=folder / "oxigraph.log")
        except ServerError as err:
            signal.signal(signal.SIGTERM, previous)
            return fail(str(err), 1)
        try:
            _announce(server.url, origin, args.read_only, [p.stem for p in resources.files("queries", "*.rq")
                                                           if p.parent == resources.folder("queries")])
            code = server.process.wait()
            log = (folder / "oxigraph.log").read_text(errors="replace").strip()
            return fail(f"the server stopped by itself ({code}): {log[-500:]}", 1)
        except KeyboardInterrupt:
            print("stopping the server", file=sys.stderr, flush=True)
            return 0
        finally:
            server.stop()
            signal.signal(signal.SIGTERM, previous)


def _runnable_example(names: list[str]) -> str:
    """A `coopkg query` command that runs as printed: a query needing no parameter, else one with
    its header's example values (the first canned query, active-partnerships, requires one)."""
    from coopkg import query

    canned = []
    for name in names:
        try:
            canned.append(query.find_query(name))
        except query.QueryError:
            continue
    # one with no required parameter first: an example value may name a record the served graph lacks
    for found in canned:
        if not any(p.required for p in found.parameters):
            return f"coopkg query {found.name}"
    for found in canned:
        if all(not p.required or p.example is not None for p in found.parameters):
            return found.example_command()
    return "coopkg query NAME"


def _announce(url: str, origin: str, read_only: bool, queries: list[str]) -> None:
    lines = [
        f"serving {origin} as a SPARQL 1.1 endpoint{' (read-only)' if read_only else ''}",
        f"  query:        {url}/query",
    ]
    if not read_only:
        lines.append(f"  update:       {url}/update")
    lines += [
        f"  graph store:  {url}/store",
        f"  web editor:   {url}/",
        "run a canned query against it:",
        f"  {_runnable_example(queries)} --endpoint {url}/query",
    ]
    if queries:
        lines.append(f"  (canned queries: {', '.join(queries)})")
    lines.append("Ctrl-C stops the server.")
    print("\n".join(lines), flush=True)
