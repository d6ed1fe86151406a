"""`coopkg validate`: check records or a graph against the SHACL shapes and say what to fix."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLE = """\
examples:
  coopkg validate                                  # the bundled dataset
  coopkg validate my-records.yaml                  # your records (reading problems shown too)
  coopkg validate --graph build/graph.ttl --format json > report.json
  coopkg validate records.yaml --lang fr --engine pyshacl
  coopkg validate --graph build/graph.ttl --format turtle -o report.ttl
  coopkg validate --graph data.ttl --shapes my-shapes.ttl --no-default-shapes
  coopkg validate --graph a.ttl --graph b.nt --shapes extra.ttl      # yours and coopkg's shapes
  coopkg validate --graph data.ttl --shapes my-shapes.ttl --engine fast   # refuse what it cannot check

The text report groups results by record: where the record was read (FILE:LINE), the
rule in plain words, the offending value and the severity. Engines: auto (default) runs
the fast engine and sends to pyshacl the shapes it does not implement exactly (and says
so); fast refuses them instead; pyshacl runs everything on the files read by rdflib.
Exit status: 0 when there is no Violation (warnings allowed), 1 when there is one (or a
record could not be read), 2 when the shapes are refused or an input cannot be read.
See docs/validation.md.
"""

FORMATS = ("text", "json", "turtle")
LANGS = ("en", "fr")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check records or a graph against the SHACL shapes; report what to fix",
        description="Validate records (the bundled dataset when no SOURCE is given) or a graph file "
        "against the shapes in shapes/ (SHACL Core + SHACL-SPARQL), and report each problem with "
        "the source file and line of the record it concerns.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("sources", nargs="*", metavar="SOURCE", type=Path, help="record files (YAML, sheets, tables...)")
    p.add_argument("--graph", type=Path, metavar="FILE", action="append", default=[],
                   help="validate this graph (Turtle, N-Triples, TriG, JSON-LD, RDF/XML) instead of records; repeatable")
    p.add_argument("--shapes", type=Path, metavar="FILE", action="append", default=[],
                   help="your SHACL shapes (repeatable), checked besides coopkg's unless --no-default-shapes")
    p.add_argument("--no-default-shapes", action="store_true", help="leave out coopkg's shapes (shapes/*.ttl)")
    p.add_argument("--format", choices=FORMATS, default="text", help="text for people (default), json, or turtle "
                   "(the standard sh:ValidationReport)")
    p.add_argument("--engine", choices=("auto", "fast", "pyshacl"), default="auto",
                   help="auto (default): fast, and pyshacl for the shapes fast does not implement exactly; "
                   "fast: refuse those; pyshacl: the reference engine for everything")
    p.add_argument("--lang", choices=LANGS, default="en", help="language of the rules in the report (default: en)")
    p.add_argument("--reader", metavar="NAME", help="force a reader for the SOURCE files")
    p.add_argument("--mapping", metavar="FILE", help="YAML mapping for CSV/TSV/XLSX sheets (as in coopkg build)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report to FILE (atomically) "
                   "instead of standard output")
    p.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"coopkg validate: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from coopkg import validate
    from coopkg.progress import Progress
    from coopkg.shacl_engines import EngineError, EngineRefused

    if args.graph and args.sources:
        return _fail("give either SOURCE files or --graph, not both")
    for option, paths in (("--graph", args.graph), ("--shapes", args.shapes)):
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            return _fail(f"{option}: no such file: {', '.join(missing)}")
    if args.no_default_shapes and not args.shapes:
        return _fail("--no-default-shapes needs --shapes FILE")
    missing = [str(s) for s in args.sources if not s.exists()]
    if missing:
        return _fail(f"no such file: {', '.join(missing)}")
    if args.reader:
        from coopkg.readers import available

        if args.reader not in available():
            return _fail(f"unknown reader {args.reader!r} (known: {', '.join(available())})")

    read_errors = 0
    try:
        with validate.quiet_rdflib(), Progress("validating") as progress:
            text: str | None = None
            if args.graph:
                store = validate.load_graphs(args.graph)
            else:
                from coopkg import build
                from coopkg.commands._common import print_problems
                from coopkg.store import from_text
                from coopkg.terms import GRAPH_TERMS

                options = {"mapping": args.mapping} if args.mapping else {}
                loaded = build.load(args.sources or None, reader=args.reader, **options)
                print_problems(loaded.problems)
                read_errors = len(loaded.errors)
                if not loaded.records:
                    print("coopkg validate: no records could be read", file=sys.stderr)
                    return 2
                triples = build.graph_text(loaded.records)
                store = from_text(triples)
                if args.engine != "fast":  # pyshacl reads the same Turtle with rdflib, not through the store
                    text = GRAPH_TERMS.turtle_document(triples).decode("utf-8")
            progress.advance()
            if args.graph or args.shapes:
                report = validate.validate_files(args.graph, args.shapes, not args.no_default_shapes, args.engine,
                                                 args.lang, store=store, text=text)
            else:  # coopkg's shapes on records, as `coopkg build` checks them
                report = validate.validate(store, args.engine, args.lang)
            progress.advance()
    except (EngineRefused, EngineError, validate.InputError) as err:
        return _fail(str(err))

    for note in report.notes:
        print(f"coopkg validate: {note}", file=sys.stderr)
    output = validate.render(report, args.format, args.lang)
    if args.output:
        from coopkg import atomic

        atomic.write_text(args.output, output)
    else:
        sys.stdout.write(output)
    if args.format != "text" or args.output:
        print(f"coopkg validate: {report.violations} violation(s), {report.warnings} warning(s)", file=sys.stderr)
    return 1 if report.violations or read_errors else 0
