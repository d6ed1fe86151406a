"""`coopkg map`: where the partners are — an offline page, a static picture, GeoJSON."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

EXAMPLE = """\
examples:
  coopkg map --html build/map.html                    # the bundled dataset, offline page
  coopkg map --graph build/graph.ttl --png map.png --svg map.svg
  coopkg map --around ro-timis --status ended --html timis-map.html --lang fr
  coopkg map --country FR --since 2000 --geojson partners.geojson   # open it in QGIS
  coopkg map --missing unlocated.csv                  # the actors without a point

Actors are placed by their GeoSPARQL point (geo:hasGeometry/geo:asWKT): from the
gazetteer (GeoNames coordinates), Wikidata's P625, or a sheet's latitude/longitude
columns. An actor without a point is listed, never dropped: its partnerships stay in
the panel and in the counts. The filters are those of `coopkg network`.
Without --graph: build/graph.ttl of the last `coopkg build` in this folder, else the
bundled dataset (named on stderr on a terminal).
Exit codes: 0 written, 1 nothing left to show, 2 usage error, a graph that cannot be
read or an output that cannot be written, 3 internal error.
"""


def register(sub: argparse._SubParsersAction) -> None:
    from coopkg.commands.network import add_filters

    p = sub.add_parser(
        "map",
        help="the partners on a map: offline HTML page, PNG/SVG picture, GeoJSON",
        description="Place the actors of the partner network at their points and draw each partnership as a "
        "great-circle arc styled by status: an offline self-contained HTML page (Natural Earth outlines, no tile "
        "server), a static PNG/SVG, and GeoJSON for GIS tools.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_filters(p, suppress=False)
    p.add_argument("--html", type=Path, metavar="FILE", help="interactive map, one self-contained file")
    p.add_argument("--png", type=Path, metavar="FILE", help="static map, PNG")
    p.add_argument("--svg", type=Path, metavar="FILE", help="static map, SVG (byte-for-byte reproducible)")
    p.add_argument("--geojson", type=Path, metavar="FILE", help="GeoJSON: Points (actors), lines (partnerships); '-': stdout")
    p.add_argument("--missing", type=Path, metavar="FILE", help="CSV of the actors without a point ('-': stdout)")
    p.add_argument("--lang", choices=("en", "fr"), default="en", help="page language at opening")
    p.add_argument("--title", metavar="TEXT", help="title of the page and pictures")
    p.add_argument("--labels", type=int, metavar="N", default=40, help="label at most N places in the static map (default 40)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.set_defaults(func=run)


def _error(message: str) -> None:
    print(f"coopkg map: {message}", file=sys.stderr)


def _write_missing(data: object, path: Path) -> None:
    from coopkg import atomic

    graph = data.graph  # type: ignore[attr-defined]
    rows = [(graph.nodes[n].get("key", n), graph.nodes[n].get("label", n), graph.nodes[n].get("country", "?"), n)
            for n in data.unlocated]  # type: ignore[attr-defined]

    def write(handle: object) -> None:
        writer = csv.writer(handle, lineterminator="\n")  # type: ignore[arg-type]
        writer.writerow(("key", "label", "country", "iri"))
        writer.writerows(rows)

    if str(path) == "-":
        write(sys.stdout)
        return
    with atomic.atomic_write(path, "w", encoding="utf-8") as handle:
        write(handle)


def run(args: argparse.Namespace) -> int:
    outputs = [args.html, args.png, args.svg, args.geojson, args.missing]
    if not any(outputs):
        _error("nothing to write: give --html, --png, --svg, --geojson or --missing")
        return 2
    for option, path in (("--svg", args.svg), ("--png", args.png)):
        if path is not None and path.suffix.lower() != "." + option[2:]:
            _error(f"{option} {path}: the file name must end in .{option[2:]}")
            return 2
    from coopkg.commands.network import load_network

    loaded = load_network(args, command="map")
    if isinstance(loaded, int):
        return loaded
    projection, graph, described = loaded
    from coopkg.map import draw, geojson, page
    from coopkg.map.project import build, locations

    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a))
    if graph.number_of_edges() == 0:  # type: ignore[attr-defined]
        _error("no partnership left to show" + (f" ({described})" if described else "") + ": nothing written")
        return 1
    from coopkg.progress import Progress, stage

    with stage("map: placing the partners and drawing the arcs"):
        located, unreadable = locations(projection.store)  # type: ignore[attr-defined]
        data = build(graph, located)  # type: ignore[arg-type]
    for problem in unreadable:
        _error(f"not a CRS84 WKT point, actor left unlocated: {problem}")
    title = args.title or ("Partners on the map" + (f" — {described}" if described else ""))
    say(f"map: {len(data.located)} located actors, {len(data.arcs)} arcs, {data.partnerships} partnerships"
        + (f" ({described})" if described else ""))
    if data.unlocated:
        names = ", ".join(graph.nodes[n].get("label", n) for n in data.unlocated[:8])  # type: ignore[attr-defined]
        more = f" and {len(data.unlocated) - 8} more" if len(data.unlocated) > 8 else ""
        say(f"{len(data.unlocated)} actors have no point and are not on the map: {names}{more}"
            + ("" if args.missing else " (list them with --missing FILE)"))
    jobs = [
        (args.html, lambda path: page.save(data, path, title=title, filters=described, lang=args.lang)),
        (args.png, lambda path: draw.save(data, path, title=title, label_max=args.labels)),
        (args.svg, lambda path: draw.save(data, path, title=title, label_max=args.labels)),
        (args.geojson, lambda path: geojson.write(data, path)),
        (args.missing, lambda path: _write_missing(data, path)),
    ]
    wanted = [(path, write) for path, write in jobs if path is not None]
    with Progress("map: writing", total=len(wanted)) as progress:
        for path, write in wanted:
            progress.describe(f"map: writing {path}")
            try:
                write(path)
            except OSError as err:
                _error(f"{path}: cannot write: {err}")
                return 2
            progress.advance()
            if str(path) != "-":
                say(f"wrote {path}")
    return 0
