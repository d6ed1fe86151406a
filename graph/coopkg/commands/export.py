"""`coopkg export`: the graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML, and its DCAT-AP/VoID description."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLE = """\
examples:
  coopkg export --out build/graph.jsonld        # format from the extension: build/graph.ttl (or the bundled dataset) as JSON-LD
  coopkg export --out build/graph.rdf           # RDF/XML (.rdf or .owl); .nq is N-Quads, .nt N-Triples
  coopkg export --graph build/graph.ttl --format nt > graph.nt
  coopkg export records.yaml --out graph.trig   # one named graph per source document
  coopkg export relations.xlsx --mapping registry --out relations.ttl   # a sheet + a mapping, as in coopkg build
  cat graph.nt | coopkg export --graph - --graph-format nt --format jsonld --out -   # standard input to standard output
  coopkg export --out-dir dist/ --download-base https://data.example.org/coopkg/
      # dist/graph.{ttl,nt,jsonld,trig} and dist/description.ttl (DCAT-AP + VoID) describing them
  coopkg export --describe --distribution dist/graph.ttl --out dist/description.ttl

The format is the extension of --out (.ttl .nt .nq .trig .jsonld, .rdf/.owl for
RDF/XML) or --format; when both are given they must agree. `--out -` (or no --out)
writes standard output, `--graph -` reads standard input.
Output is deterministic: the same graph always gives the same bytes. TriG and N-Quads need
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
        "or the bundled dataset (named on stderr on a terminal).",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("sources", nargs="*", metavar="SOURCE", type=Path, help="record files to build the graph from")
    from coopkg.working_graph import add_graph_arguments

    add_graph_arguments(p, help_default="a built graph file (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML; "
                        "'-': standard input); default: build/graph.ttl if present, else the bundled dataset")
    p.add_argument("--format", choices=["ttl", "nt", "nq", "trig", "jsonld", "rdf"],
                   help="output format (default: from --out's extension, else ttl); rdf is RDF/XML")
    p.add_argument("--out", type=Path, metavar="FILE|-", help="output file, written atomically ('-' or none: stdout)")
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
    p.add_argument("--mapping", metavar="FILE", help="YAML mapping for CSV/TSV/XLSX sheets (a file, or a shipped "
                   "mapping name: registry, atlas-projects), as in coopkg build")
    p.add_argument("--include-contacts", action="store_true", help="put contact persons (personal data) in the graph")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.set_defaults(func=run)


def _fail(message: str, code: int = 2) -> int:
    print(f"coopkg export: {message}", file=sys.stderr)
    return code


def output_format(out: Path | None, given: str | None, describe: bool = False) -> str:
    """The format to write: --out's extension or --format, which must agree (UsageError otherwise)."""
    from coopkg import export
    from coopkg.errors import UsageError

    to_file = out is not None and str(out) != "-"
    by_name = export.format_of(out) if to_file else None  # type: ignore[arg-type]
    if describe:
        if given not in (None, "ttl") or (by_name not in (None, "ttl")):
            raise UsageError("--describe writes Turtle (the DCAT-AP + VoID description): "
                             f"{'--format ' + given if given not in (None, 'ttl') else '--out ' + str(out)} disagrees")
        return "ttl"
    if given and by_name and given != by_name:
        raise UsageError(f"--out {out} is {_name(by_name)} by its extension but --format says {_name(given)}: "
                         "make them agree (or drop one)")
    if to_file and by_name is None and given is None:
        raise UsageError(f"--out {out}: the extension does not say which format (.ttl .nt .nq .trig .jsonld "
                         ".rdf .owl): rename the file or give --format")
    return given or by_name or "ttl"


_NAMES = {"ttl": "Turtle", "nt": "N-Triples", "nq": "N-Quads", "trig": "TriG", "jsonld": "JSON-LD", "rdf": "RDF/XML"}


def _name(fmt: str) -> str:
    return f"{fmt} ({_NAMES.get(fmt, fmt)})"


def run(args: argparse.Namespace) -> int:
    from coopkg import atomic, describe, export, working_graph
    from coopkg.progress import stage

    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))
    if args.out and args.out_dir:
        return _fail("give either --out FILE or --out-dir DIR")
    to_stdout = args.out is None or str(args.out) == "-"
    fmt = output_format(None if args.out_dir else args.out, args.format, args.describe)
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
            return _fail(f"--distribution: {dist}: unknown format (use .ttl, .nt, .nq, .trig, .jsonld or .rdf)")
    if args.base:
        from coopkg.iris import IriMinter

        try:
            IriMinter(args.base)
        except ValueError as err:
            return _fail(f"--base: {err}")

    choice = working_graph.choose(args.graph, sources=args.sources, syntax=args.graph_format)
    want_quads = args.out_dir is not None or (fmt in ("trig", "nq") and not args.describe)
    with stage(f"export: reading {choice.name()}"):
        data = working_graph.open_input(choice, args.reader, args.mapping, args.base, args.include_contacts,
                                        with_quads=want_quads)
    for problem in data.problems:
        print(str(problem), file=sys.stderr)
    errors = sum(getattr(p, "severity", "error") == "error" for p in data.problems)
    # The table (distinct terms once, triples as integer rows) and its canonical order are
    # built once and shared by every format written below.
    count = data.count()
    working_graph.announce("export", choice, working_graph.table_counts(data.table)
                           if working_graph.on_terminal(args.quiet) else None, quiet=args.quiet)
    if not count:
        return _fail("the graph is empty: nothing written", 1)
    if not working_graph.on_terminal(args.quiet):
        say(f"graph: {data.origin} ({count} triples)")
    from coopkg.commands._common import warn_contacts

    warn_contacts("export", data.triples, data.origin)
    if want_quads and data.quads is None:
        say("TriG/N-Quads: no records, so triples are grouped by their subject's prov:wasDerivedFrom")

    def description(files: list[Path], out: Path | None) -> None:
        base = args.download_base if args.download_base.endswith("/") else args.download_base + "/"
        dists = [describe.Distribution(f, base + f.name) for f in files]
        triples = describe.describe(data.triples, dists, args.metadata, issued, modified, args.endpoint)
        _write_turtle(triples, out, describe.DESCRIPTION_PREFIXES)

    try:
        if args.out_dir:
            files = []
            for name in export.OUT_DIR_FORMATS:
                path = args.out_dir / f"graph{export.FORMATS[name]['extension']}"
                with stage(f"export: writing {path}"), atomic.atomic_write(path) as handle:
                    count = export.write(name, data.table, handle, data.quads)
                say(f"wrote {path} ({count} triples)")
                files.append(path)
            description(files, args.out_dir / "description.ttl")
            say(f"wrote {args.out_dir / 'description.ttl'}")
        elif args.describe:
            description(args.distribution, None if to_stdout else args.out)
            if not to_stdout:
                say(f"wrote {args.out}")
        elif not to_stdout:
            with stage(f"export: writing {args.out}"), atomic.atomic_write(args.out) as handle:
                count = export.write(fmt, data.table, handle, data.quads)
            say(f"wrote {args.out} ({count} triples, {_name(fmt)})")
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
