"""`coopkg network`: partner networks drawn, measured and exported."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLE = """\
examples:
  coopkg network --png docs/network.png --html build/network.html   # the bundled dataset
  coopkg network --graph build/graph.ttl --svg net.svg --graphml net.graphml --gexf net.gexf
  coopkg network --html reseau.html --lang fr            # the page opens in French (switch: en, fr, ro)
  coopkg network --around ro-timis --hops 2 --status ended --png timis.png
  coopkg network --country RO --since 2000 --until 2015 --edges-csv edges.csv
  coopkg network --funders --around fr-romans-sur-isere --png romans.png
  coopkg network stats                        # readable table of the most connected actors
  coopkg network stats --graph build/graph.ttl --format json > metrics.json
  coopkg network stats --endpoint http://localhost:7878/query --default-graph https://w3id.org/coopkg/graph

Without --graph: build/graph.ttl of the last `coopkg build` in this folder, else the
bundled dataset built in memory (named on stderr on a terminal). Filters keep partnerships
(--country: touching that country; --since/--until: known dates overlapping the
period; --status: ongoing, planned, ended, unknown) and the actors they link.
Exit codes: 0 written, 1 nothing left to show, 2 usage error or a graph that cannot
be read, 3 internal error.
"""

STATS_EXAMPLE = """\
examples:
  coopkg network stats
  coopkg network stats --graph build/graph.ttl --format csv > actors.csv
  coopkg network stats --around fr-romans-sur-isere --format json

Betweenness is exact on small networks (n*(n+m) <= 1,000,000 search steps) and sampled
above, with as many pivots as that budget allows (at least 16) and seed 42: the output
says which. Communities are networkx's Louvain (seeded, so stable).
"""


def _filters(p: argparse.ArgumentParser, suppress: bool) -> None:
    """The input and filter options, on `network` and again on `network stats`."""
    default = argparse.SUPPRESS if suppress else None
    p.add_argument("--graph", type=Path, metavar="FILE|-", default=default,
                   help="graph file (Turtle, N-Triples, TriG, JSON-LD, RDF/XML; '-': standard input); "
                   "default: build/graph.ttl if present, else the bundled dataset")
    p.add_argument("--graph-format", metavar="FORMAT", default=default,
                   help="syntax of --graph when its extension does not say, or of '-' (ttl, nt, nq, trig, jsonld, rdf)")
    p.add_argument("--endpoint", metavar="URL", default=default,
                   help="project the network on this SPARQL endpoint, where the graph was published (no local copy)")
    p.add_argument("--default-graph", action="append", metavar="IRI", default=argparse.SUPPRESS if suppress else [],
                   help="with --endpoint: query this named graph as the default graph (repeatable)")
    p.add_argument("--country", action="append", metavar="CC", default=argparse.SUPPRESS if suppress else [],
                   help="keep partnerships touching this country (ISO code; repeatable)")
    p.add_argument("--since", type=int, metavar="YEAR", default=default, help="keep partnerships not known to end before YEAR")
    p.add_argument("--until", type=int, metavar="YEAR", default=default, help="keep partnerships not known to start after YEAR")
    p.add_argument("--status", action="append", metavar="STATUS", default=argparse.SUPPRESS if suppress else [],
                   help="keep partnerships with this status: ongoing, planned, ended, unknown (repeatable)")
    p.add_argument("--around", metavar="ACTOR", default=default,
                   help="keep the neighbourhood of one actor (key such as ro-timis, or its name)")
    p.add_argument("--hops", type=int, metavar="N", default=argparse.SUPPRESS if suppress else 1,
                   help="with --around: how many partnerships away (default 1)")
    p.add_argument("--funders", action="store_true", default=argparse.SUPPRESS if suppress else False,
                   help="show funders that are no party (ministries...) as nodes linked to the parties they fund")
    p.add_argument("--seed", type=int, metavar="N", default=argparse.SUPPRESS if suppress else None,
                   help="seed of the layout (default 7) and of Louvain and sampled betweenness (default 42)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "network",
        help="partner networks: pictures (PNG/SVG/HTML), metrics, GraphML/GEXF/CSV exports",
        description="Project the graph into a network of actors (one edge per partnership), then draw it "
        "(static SVG/PNG, interactive offline HTML), export it (GraphML, GEXF, CSV edge list) or measure it "
        "(`coopkg network stats`).",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _filters(p, suppress=False)
    p.add_argument("--html", type=Path, metavar="FILE", help="interactive page, one self-contained file")
    p.add_argument("--svg", type=Path, metavar="FILE", help="static picture, SVG (byte-for-byte reproducible)")
    p.add_argument("--png", type=Path, metavar="FILE", help="static picture, PNG")
    p.add_argument("--graphml", type=Path, metavar="FILE", help="GraphML export (yEd, Cytoscape, networkx)")
    p.add_argument("--gexf", type=Path, metavar="FILE", help="GEXF export (Gephi)")
    p.add_argument("--edges-csv", type=Path, metavar="FILE", help="CSV edge list, one row per partnership and pair")
    p.add_argument("--level", choices=("actors", "countries", "themes"), default="actors",
                   help="what GraphML/GEXF hold: actors (default), countries, or the actor-theme bipartite graph")
    p.add_argument("--lang", choices=("en", "fr", "ro"), default="en",
                   help="language the HTML page opens in (it has a switch for en, fr and ro; default en)")
    p.add_argument("--title", metavar="TEXT", help="title of the pictures (default: Partner network ...)")
    p.add_argument("--labels", type=int, metavar="N", default=60,
                   help="label at most N actors in the static picture, most connected first (default 60)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.set_defaults(func=run)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    s = actions.add_parser(
        "stats",
        help="metrics: degree, weighted degree, betweenness, components, communities, bridges",
        description="Measure the partner network: per actor its partners (degree), partnerships (weighted "
        "degree), betweenness, component and Louvain community; overall components, communities, bridges.",
        epilog=STATS_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _filters(s, suppress=True)
    s.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format (default: table)")
    s.add_argument("--top", type=int, metavar="N", default=25, help="table: show the N most connected actors (default 25)")
    s.set_defaults(func=run_stats)


def _error(message: str) -> None:
    print(f"coopkg network: {message}", file=sys.stderr)


def _load(args: argparse.Namespace, command: str = "network") -> tuple[object, object, str] | int:
    """(projection, filtered actor graph, filter description), or an exit code; ``command`` names the messages."""
    from coopkg import working_graph
    from coopkg.errors import InputError, UsageError
    from coopkg.network import filters, project
    from coopkg.progress import stage
    from coopkg.query import EndpointError

    choice = working_graph.choose(getattr(args, "graph", None), getattr(args, "endpoint", None),
                                  syntax=getattr(args, "graph_format", None))
    default_graphs = getattr(args, "default_graph", None) or []
    if default_graphs and choice.kind != "endpoint":
        raise UsageError("--default-graph goes with --endpoint")
    quiet = getattr(args, "quiet", False)
    with stage(f"{command}: reading {choice.name()}"):
        if choice.kind == "endpoint":
            store = working_graph.open_remote(choice, default_graphs)
        else:
            store = working_graph.open_store(choice, scans=True).store
    working_graph.announce(command, choice, working_graph.store_counts(store)
                           if working_graph.on_terminal(quiet) else None, quiet=quiet)
    with stage(f"{command}: projecting partnerships onto actors"):
        try:
            projection = project(store, include_funders=getattr(args, "funders", False))
        except EndpointError as err:  # the message names the endpoint
            raise InputError(f"the endpoint failed: {err}") from None
    chosen = filters.Filters(
        countries=list(getattr(args, "country", []) or []),
        since=getattr(args, "since", None),
        until=getattr(args, "until", None),
        statuses=list(getattr(args, "status", []) or []),
        around=getattr(args, "around", None),
        hops=getattr(args, "hops", 1),
    )
    try:
        graph = filters.apply(projection.actors, chosen)
    except filters.FilterError as err:
        print(f"coopkg {command}: {err}", file=sys.stderr)
        return 2
    return projection, graph, chosen.describe()


def run(args: argparse.Namespace) -> int:
    outputs = [args.html, args.svg, args.png, args.graphml, args.gexf, args.edges_csv]
    if getattr(args, "action", None) is None and not any(outputs):
        _error("nothing to write: give --html, --svg, --png, --graphml, --gexf or --edges-csv "
               "(or use `coopkg network stats`)")
        return 2
    for option, path in (("--svg", args.svg), ("--png", args.png)):
        if path is not None and path.suffix.lower() != "." + option[2:]:
            _error(f"{option} {path}: the file name must end in .{option[2:]}")
            return 2
    loaded = _load(args)
    if isinstance(loaded, int):
        return loaded
    projection, graph, described = loaded
    from coopkg.network import country_graph, draw, export, page, theme_graph

    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a))
    if graph.number_of_edges() == 0:  # type: ignore[attr-defined]
        _error("no partnership left to show" + (f" ({described})" if described else "") + ": nothing written")
        return 1
    partnerships = len({a["link"] for _, _, a in graph.edges(data=True) if a.get("relation") != "funds"})  # type: ignore[attr-defined]
    title = args.title or ("Partner network" + (f" — {described}" if described else ""))
    seed = 7 if args.seed is None else args.seed
    themes = projection.theme_labels  # type: ignore[attr-defined]
    level_graph = {"actors": lambda: graph, "countries": lambda: country_graph(graph),  # type: ignore[arg-type]
                   "themes": lambda: theme_graph(graph, themes)}[args.level]()  # type: ignore[arg-type]
    from coopkg.network.layout import layout
    from coopkg.progress import stage

    with stage("network: laying out"):
        pos = layout(graph, seed=seed) if (args.png or args.svg or args.html) else None  # type: ignore[arg-type]
    jobs = [
        (args.png, lambda path: draw.save(graph, path, title=title, seed=seed, label_max=args.labels, pos=pos)),  # type: ignore[arg-type]
        (args.svg, lambda path: draw.save(graph, path, title=title, seed=seed, label_max=args.labels, pos=pos)),  # type: ignore[arg-type]
        (args.html, lambda path: page.save(graph, path, themes, title=title, seed=seed, filters=described,  # type: ignore[arg-type]
                                           pos=pos, labels=projection.labels, lang=args.lang)),  # type: ignore[attr-defined]
        (args.graphml, lambda path: export.write_graphml(level_graph, path)),
        (args.gexf, lambda path: export.write_gexf(level_graph, path)),
        (args.edges_csv, lambda path: export.write_edges_csv(graph, path)),  # type: ignore[arg-type]
    ]
    say(f"network: {graph.number_of_nodes()} actors, {partnerships} partnerships"  # type: ignore[attr-defined]
        + (f" ({described})" if described else ""))
    from coopkg.progress import Progress

    wanted = [(path, write) for path, write in jobs if path is not None]
    with Progress("network: writing", total=len(wanted)) as progress:  # drawn on a terminal only
        for path, write in wanted:
            progress.describe(f"network: writing {path}")
            try:
                write(path)
            except OSError as err:
                _error(f"{path}: cannot write: {err}")
                return 2
            progress.advance()
            say(f"wrote {path}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    loaded = _load(args)
    if isinstance(loaded, int):
        return loaded
    projection, graph, described = loaded
    from coopkg.network import country_graph
    from coopkg.network.metrics import SEED, compute
    from coopkg.network.stats_output import write_csv, write_json, write_table
    from coopkg.progress import stage

    seed = SEED if getattr(args, "seed", None) is None else args.seed
    with stage("network stats: measuring"):
        metrics = compute(graph, seed=seed)  # type: ignore[arg-type]
    if args.format == "json":
        write_json(metrics, graph, country_graph(graph), described, sys.stdout)  # type: ignore[arg-type]
    elif args.format == "csv":
        write_csv(metrics, sys.stdout)
    else:
        write_table(metrics, graph, described, args.top, sys.stdout)  # type: ignore[arg-type]
    return 0


# The map command takes the same graph and filter options and loads the same way.
add_filters = _filters
load_network = _load
