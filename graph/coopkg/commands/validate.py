"""`coopkg validate`: check records or a graph against the SHACL shapes and say what to fix."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLE = """\
examples:
  coopkg validate                                  # build/graph.ttl, else the bundled dataset
  coopkg validate my-records.yaml                  # your records (reading problems shown too)
  coopkg validate --graph build/graph.ttl --format json > report.json
  coopkg validate records.yaml --lang fr --engine pyshacl
  coopkg validate --graph build/graph.ttl --format turtle -o report.ttl
  coopkg validate --endpoint http://localhost:7878/query --default-graph https://w3id.org/coopkg/graph
                                                   # where `coopkg publish` put the graph: checked there
  coopkg export --format nt | coopkg validate --graph - --graph-format nt

The text report groups results by record: where the record was read (FILE:LINE), the
rule in plain words, the offending value and the severity. Exit status: 0 when there
is no Violation (warnings allowed), 1 when there is one (or a record could not be
read), 2 on usage errors or a graph that cannot be read, 3 on an internal error.
Without SOURCE or --graph: build/graph.ttl of the last `coopkg build` here, else the
bundled dataset (the graph used is named on stderr on a terminal). See
docs/validation.md for every rule.
"""

FORMATS = ("text", "json", "turtle")
LANGS = ("en", "fr")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check records or a graph against the SHACL shapes; report what to fix",
        description="Validate records (SOURCE files), a graph file (--graph), or else build/graph.ttl when it "
        "exists, else the bundled dataset, "
        "against the shapes in shapes/ (SHACL Core + SHACL-SPARQL), and report each problem with "
        "the source file and line of the record it concerns.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("sources", nargs="*", metavar="SOURCE", type=Path, help="record files (YAML, sheets, tables...)")
    from coopkg.working_graph import add_graph_arguments

    add_graph_arguments(p, help_default="validate this graph file ('-': standard input) instead of records; "
                        "default: build/graph.ttl if present, else the bundled dataset")
    p.add_argument("--endpoint", metavar="URL", help="validate the graph published on this SPARQL endpoint: the "
                   "shapes run there as SPARQL queries (fast engine; nothing is copied or written)")
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
                   "instead of standard output ('-': standard output)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress and no note of the graph used")
    p.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"coopkg validate: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from coopkg import validate, working_graph
    from coopkg.errors import InputError, UsageError
    from coopkg.progress import stage

    choice = working_graph.choose(args.graph, args.endpoint, sources=args.sources, syntax=args.graph_format)
    if args.default_graph and choice.kind != "endpoint":
        raise UsageError("--default-graph goes with --endpoint")
    if choice.kind == "endpoint" and args.engine == "pyshacl":
        raise UsageError("--endpoint runs the fast engine (the shapes as SPARQL); pyshacl needs a local copy")
    if args.reader:
        from coopkg.readers import available

        if args.reader not in available():
            return _fail(f"unknown reader {args.reader!r} (known: {', '.join(available())})")

    with validate.quiet_rdflib():
        with stage(f"validate: reading {choice.name()}"):
            if choice.kind == "endpoint":
                opened = working_graph.Opened(working_graph.open_remote(choice, args.default_graph), choice)
            else:
                opened = working_graph.open_store(choice, reader=args.reader, mapping=args.mapping, scans=True)
        if opened.problems:
            from coopkg.commands._common import print_problems

            print_problems(opened.problems)
        if opened.records == 0:
            print("coopkg validate: no records could be read", file=sys.stderr)
            return 1
        working_graph.announce("validate", choice, working_graph.store_counts(opened.store)
                               if working_graph.on_terminal() else None)
        with stage("validate: checking the shapes"):
            from coopkg.query import EndpointError
            from coopkg.remote import RemoteGraphError

            try:
                report = validate.validate(opened.store, args.engine, args.lang)
            except EndpointError as err:  # the message names the endpoint
                raise InputError(f"the endpoint failed: {err}") from None
            except RemoteGraphError as err:  # the published graph lacks the vocabularies: the data's problem
                from coopkg.errors import DataError

                raise DataError(str(err)) from None

    text = validate.render(report, args.format, args.lang)
    if args.output and str(args.output) != "-":
        from coopkg import atomic

        atomic.write_text(args.output, text)
    else:
        sys.stdout.write(text)
    if args.format != "text" or args.output:
        print(f"coopkg validate: {report.violations} violation(s), {report.warnings} warning(s)", file=sys.stderr)
    return 1 if report.violations or opened.errors else 0

