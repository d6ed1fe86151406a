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
  coopkg validate --endpoint http://localhost:7878/query --default-graph https://w3id.org/coopkg/graph
                                                   # where `coopkg publish` put the graph: checked there

The text report groups results by record: where the record was read (FILE:LINE), the
rule in plain words, the offending value and the severity. Exit status: 0 when there
is no Violation (warnings allowed), 1 when there is one (or a record could not be
read), 2 on usage errors. See docs/validation.md for every rule.
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
    p.add_argument("--graph", type=Path, metavar="FILE", help="validate this graph (Turtle, N-Triples, ...) instead of records")
    p.add_argument("--endpoint", metavar="URL", help="validate the graph published on this SPARQL endpoint, "
                   "the shapes run there as SPARQL queries (fast engine; nothing is copied or written)")
    p.add_argument("--default-graph", action="append", default=[], metavar="IRI",
                   help="with --endpoint: query this named graph as the default graph (repeatable), e.g. the "
                   "graph IRI `coopkg publish` used")
    p.add_argument("--format", choices=FORMATS, default="text", help="text for people (default), json, or turtle "
                   "(the standard sh:ValidationReport)")
    p.add_argument("--engine", choices=("fast", "pyshacl"), help="validation engine (default: fast; pyshacl is the "
                   "reference)")
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
    from coopkg.diskstore import load_for_scans
    from coopkg.progress import Progress

    if sum(map(bool, (args.graph, args.sources, getattr(args, "endpoint", None)))) > 1:
        return _fail("give one of SOURCE files, --graph or --endpoint")
    if getattr(args, "default_graph", None) and not getattr(args, "endpoint", None):
        return _fail("--default-graph goes with --endpoint")
    if getattr(args, "endpoint", None) and args.engine == "pyshacl":
        return _fail("--endpoint runs the fast engine (the shapes as SPARQL); pyshacl needs a local copy")
    if args.graph and not args.graph.is_file():
        return _fail(f"--graph: no such file: {args.graph}")
    missing = [str(s) for s in args.sources if not s.exists()]
    if missing:
        return _fail(f"no such file: {', '.join(missing)}")
    if args.reader:
        from coopkg.readers import available

        if args.reader not in available():
            return _fail(f"unknown reader {args.reader!r} (known: {', '.join(available())})")

    read_errors = 0
    with validate.quiet_rdflib(), Progress("validating") as progress:
        if getattr(args, "endpoint", None):
            from coopkg.remote import EndpointStore

            store = EndpointStore(args.endpoint, tuple(args.default_graph))
        elif args.graph:
            try:
                store = load_for_scans(args.graph)
            except (OSError, SyntaxError, ValueError) as err:
                print(f"coopkg validate: cannot read {args.graph}: {err}", file=sys.stderr)
                return 1
        else:
            from coopkg import build
            from coopkg.commands._common import print_problems
            from coopkg.store import from_text

            options = {"mapping": args.mapping} if args.mapping else {}
            loaded = build.load(args.sources or None, reader=args.reader, **options)
            print_problems(loaded.problems)
            read_errors = len(loaded.errors)
            if not loaded.records:
                print("coopkg validate: no records could be read", file=sys.stderr)
                return 1
            store = from_text(build.graph_text(loaded.records))
        progress.advance()
        try:
            report = validate.validate(store, args.engine, args.lang)
        except Exception as err:  # the endpoint failed, or its graph lacks the vocabularies
            from coopkg.query import EndpointError
            from coopkg.remote import RemoteGraphError

            if not isinstance(err, EndpointError | RemoteGraphError):
                raise
            print(f"coopkg validate: {err}", file=sys.stderr)
            return 1
        progress.advance()

    text = validate.render(report, args.format, args.lang)
    if args.output:
        from coopkg import atomic

        atomic.write_text(args.output, text)
    else:
        sys.stdout.write(text)
    if args.format != "text" or args.output:
        print(f"coopkg validate: {report.violations} violation(s), {report.warnings} warning(s)", file=sys.stderr)
    return 1 if report.violations or read_errors else 0

