"""`coopkg export`: the graph as Turtle, N-Triples, JSON-LD or TriG, and its DCAT-AP/VoID description."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLE = """\
examples:
  coopkg export --format jsonld --out build/graph.jsonld     # the bundled dataset (or build/graph.ttl)
  coopkg export --graph build/graph.ttl --format nt > graph.nt
  coopkg export records.yaml --format trig --out graph.trig   # one named graph per source document
  coopkg export --out-dir dist/ --download-base https://data.example.org/coopkg/
      # dist/graph.{ttl,nt,jsonld,trig} and dist/description.ttl (DCAT-AP + VoID) describing them
  coopkg export --describe --distribution dist/graph.ttl --out dist/description.ttl

Output is deterministic: the same graph always gives the same bytes. TriG needs
records to know each triple's source; from --graph it groups triples by their
subject's prov:wasDerivedFrom instead. Dates in the description come from the data
(or --issued/--modified); the clock is read only for --modified today.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="export the graph (ttl, nt, jsonld, trig) and a DCAT-AP/VoID description for portals",
        description="Write the graph in a linked-data format, or describe it for a data portal. "
        "The graph is --graph FILE, or built from SOURCE files, or build/graph.ttl when it exists, "
        "or the bundled dataset.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("sources", nargs="*", metavar="SOURCE", type=Path, help="record files to build the graph from")
    p.add_argument("--graph", type=Path, metavar="FILE", help="a built graph file (Turtle, N-Triples, TriG, JSON-LD)")
    p.add_argument("--format", choices=["ttl", "nt", "jsonld", "trig"],
                   help="output format (default: from --out's extension, else ttl)")
    p.add_argument("--out", type=Path, metavar="FILE", help="output file, written atomically (default: stdout)")
    p.add_argument("--out-dir", type=Path, metavar="DIR",
                   help="write graph.ttl, graph.nt, graph.jsonld, graph.trig and description.ttl into DIR")
    p.add_argument("--describe", action="store_true", help="write the DCAT-AP + VoID description instead of the graph")
    p.add_argument("--distribution", action="append", type=Path, default=[], metavar="FILE",
                   help="an exported file the description lists as a dcat:Distribution (repeatable)")
    p.add_argument("--download-base", metavar="URL", default="https://w3id.org/coopkg/data/",
                   help="where the files will be downloadable (URL of the folder; default: %(default)s)")
    p.add_argument("--metadata", type=Path, metavar="FILE",
                   help="your DCAT template (Turtle; titles, publisher, licence...), "
                   "default: the shipped ontology/publishing/dataset.ttl")
    p.add_argument("--issued", metavar="DATE", help="dct:issued (YYYY[-MM[-DD]] or 'today'; default: none)")
    p.add_argument("--modified", metavar="DATE",
                   help="dct:modified (YYYY[-MM[-DD]] or 'today'; default: the newest event date in the data)")
    p.add_argument("--endpoint", metavar="URL", help="SPARQL endpoint to state as void:sparqlEndpoint")
    p.add_argument("--base", metavar="IRI", help="base namespace of data IRIs when building from records")
    p.add_argument("--reader", metavar="NAME", help="force a reader for SOURCE files")
    p.add_argument("--include-contacts", action="store_true", help="put contact persons (personal data) in the graph")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.set_defaults(func=run)


def _fail(message: str, code: int = 2) -> int:
    print(f"coopkg export: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    from coopkg import atomic, describe, export

    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))
    if args.graph and args.sources:
        return _fail("give either --graph FILE or SOURCE files, not both")
    if args.graph and not args.graph.is_file():
        return _fail(f"--graph: {args.graph}: no such file")
    if args.out and args.out_dir:
        return _fail("give either --out FILE or --out-dir DIR")
    fmt = args.format or (export.format_of(args.out) if args.out and not args.describe else None) or "ttl"
    try:
        issued = describe.parse_day(args.issued) if args.issued else None
        modified = describe.parse_day(args.modified) if args.modified else None
    except ValueError as err:
        return _fail(str(err))
    if args.metadata and not args.metadata.is_file():
        return _fail(f"--metadata: {args.metadata}: no such file")
    for dist in args.distribution:
        if not dist.is_file():
            return _fail(f"--distribution: {dist}: no such file")
        if export.format_of(dist) is None:
            return _fail(f"--distribution: {dist}: unknown format (use .ttl, .nt, .jsonld or .trig)")
    if args.base:
        from coopkg.iris import IriMinter

        try:
            IriMinter(args.base)
        except ValueError as err:
            return _fail(f"--base: {err}")

    want_quads = args.out_dir is not None or (fmt == "trig" and not args.describe)
    try:
        data = export.load_input(args.graph, args.sources, args.base, args.include_contacts, args.reader,
                                 with_quads=want_quads)
    except (OSError, SyntaxError, ValueError) as err:
        return _fail(f"cannot read the graph: {err}", 1)
    for problem in data.problems:
        print(str(problem), file=sys.stderr)
    errors = sum(getattr(p, "severity", "error") == "error" for p in data.problems)
    # The table (distinct terms once, triples as integer rows) and its canonical order are
    # built once and shared by every format written below.
    count = data.count()
    if not count:
        return _fail("the graph is empty: nothing written", 1)
    say(f"graph: {data.origin} ({count} triples)")
    from coopkg.commands._common import warn_contacts

    warn_contacts("export", data.triples, data.origin)
    if want_quads and data.quads is None:
        say("TriG: no records, so triples are grouped by their subject's prov:wasDerivedFrom")

    def description(files: list[Path], out: Path | None) -> None:
        base = args.download_base if args.download_base.endswith("/") else args.download_base + "/"
        dists = [describe.Distribution(f, base + f.name) for f in files]
        triples = describe.describe(data.triples, dists, args.metadata, issued, modified, args.endpoint)
        _write_turtle(triples, out, describe.DESCRIPTION_PREFIXES)

    try:
        if args.out_dir:
            files = []
            for name in export.FORMATS:
                path = args.out_dir / f"graph{export.FORMATS[name]['extension']}"
                with atomic.atomic_write(path) as handle:
                    count = export.write(name, data.table, handle, data.quads)
                say(f"wrote {path} ({count} triples)")
                files.append(path)
            description(files, args.out_dir / "description.ttl")
            say(f"wrote {args.out_dir / 'description.ttl'}")
        elif args.describe:
            description(args.distribution, args.out)
            if args.out:
                say(f"wrote {args.out}")
        elif args.out:
            with atomic.atomic_write(args.out) as handle:
                count = export.write(fmt, data.table, handle, data.quads)
            say(f"wrote {args.out} ({count} triples, {fmt})")
        else:
            export.write(fmt, data.table, sys.stdout, data.quads)
    except ValueError as err:
        return _fail(str(err), 1)
    return 1 if errors else 0


def _write_turtle(triples: list, out: Path | None, prefixes: dict[str, str]) -> None:
    from coopkg import atomic
    from coopkg.export import write_turtle

    if out is None:
        write_turtle(triples, sys.stdout, prefixes)
        return
    with atomic.atomic_write(out) as handle:
        write_turtle(triples, handle, prefixes)
