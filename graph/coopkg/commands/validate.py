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
  coopkg validate --graph data.ttl --shapes my-shapes.ttl --no-default-shapes
  coopkg validate --graph a.ttl --graph b.nt --shapes extra.ttl      # yours and coopkg's shapes
  coopkg validate --graph data.ttl --shapes my-shapes.ttl --engine fast   # refuse what it cannot check

The text report groups results by record: where the record was read (FILE:LINE), the
rule in plain words, the offending value and the severity. Engines: auto (default) runs
the fast engine and sends to pyshacl the shapes it does not implement exactly (and says
so on stderr); fast refuses them instead; pyshacl runs everything, on the graph files
read by rdflib. Exit status: 0 when there is no Violation (warnings allowed), 1 when
there is one (or a record could not be read), 2 on usage errors, a graph or shapes file
that cannot be read, or shapes the engine refuses, 3 on an internal error.
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
    from coopkg.working_graph import SYNTAXES

    # --graph as `working_graph.add_graph_arguments` spells it, but repeatable: a user's data
    # may come in several files
    p.add_argument("--graph", type=Path, metavar="FILE|-", action="append", default=[],
                   help="validate this graph file ('-': standard input) instead of records; repeatable; "
                   "default: build/graph.ttl if present, else the bundled dataset")
    p.add_argument("--graph-format", choices=tuple(SYNTAXES), metavar="FORMAT",
                   help=f"syntax of --graph when its extension does not say, or of '-' (default ttl; "
                   f"{', '.join(SYNTAXES)})")
    p.add_argument("--shapes", type=Path, metavar="FILE", action="append", default=[],
                   help="your SHACL shapes file (repeatable), checked besides coopkg's unless --no-default-shapes")
    p.add_argument("--no-default-shapes", action="store_true", help="leave out coopkg's shapes (shapes/*.ttl)")
    p.add_argument("--endpoint", metavar="URL", help="validate the graph published on this SPARQL endpoint: the "
                   "shapes run there as SPARQL queries (fast engine; nothing is copied or written)")
    p.add_argument("--default-graph", action="append", default=[], metavar="IRI",
                   help="with --endpoint: query this named graph as the default graph (repeatable), e.g. the "
                   "graph IRI `coopkg publish` used")
    p.add_argument("--timeout", type=float, default=300.0, metavar="S",
                   help="with --endpoint: seconds each query may take there (default: %(default)s)")
    p.add_argument("--format", choices=FORMATS, default="text", help="text for people (default), json, or turtle "
                   "(the standard sh:ValidationReport)")
    p.add_argument("--engine", choices=("auto", "fast", "pyshacl"), default="auto",
                   help="auto (default): fast, and pyshacl for the shapes fast does not implement exactly; "
                   "fast: refuse those; pyshacl: the reference engine for everything")
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
    from coopkg.errors import UsageError
    from coopkg.progress import stage

    if len(args.graph) > 1 and working_graph.STDIN in args.graph:
        raise UsageError("--graph -: standard input goes alone, not with other --graph files")
    if args.endpoint and args.graph:
        raise UsageError("give only one of --graph and --endpoint: they name different graphs")
    choices = [working_graph.choose(g, sources=args.sources, syntax=args.graph_format) for g in args.graph] or [
        working_graph.choose(None, args.endpoint, sources=args.sources, syntax=args.graph_format)]
    if args.default_graph and choices[0].kind != "endpoint":
        raise UsageError("--default-graph goes with --endpoint")
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    if choices[0].kind == "endpoint" and (args.engine == "pyshacl" or args.shapes or args.no_default_shapes):
        raise UsageError("--endpoint runs coopkg's shapes with the fast engine (as SPARQL, there); pyshacl and "
                         "your own shapes need a local copy")
    missing = [str(p) for p in args.shapes if not p.is_file()]
    if missing:
        return _fail(f"--shapes: no such file: {', '.join(missing)}")
    if args.no_default_shapes and not args.shapes:
        return _fail("--no-default-shapes needs --shapes FILE")
    if args.reader:
        from coopkg.readers import available

        if args.reader not in available():
            return _fail(f"unknown reader {args.reader!r} (known: {', '.join(available())})")

    choice = choices[0]
    files = [c.path for c in choices if c.kind in ("file", "last-build") and c.path is not None]
    scan: list[Path] | None = None
    with validate.quiet_rdflib():
        with stage(f"validate: reading {', '.join(c.name() for c in choices)}"):
            if choice.kind == "endpoint":
                opened = working_graph.Opened(working_graph.open_remote(choice, args.default_graph, args.timeout),
                                              choice)
            elif files:
                # graph files: pyshacl reads them itself with rdflib, the fast engine checks
                # literals as written in them (docs/validation.md); a built graph.ttl is
                # read from its on-disk store while that matches it
                store, scan = validate.open_graph_files(files)
                opened = working_graph.Opened(store, choice)
            else:
                opened = working_graph.open_store(choice, reader=args.reader, mapping=args.mapping)
        if opened.problems:
            from coopkg.commands._common import print_problems

            print_problems(opened.problems)
        if opened.records == 0:
            print("coopkg validate: no records could be read", file=sys.stderr)
            return 1
        working_graph.announce("validate", choice, working_graph.store_counts(opened.store)
                               if working_graph.on_terminal(args.quiet) else None)
        with stage("validate: checking the shapes"):
            if files or args.shapes or args.no_default_shapes:
                report = validate.validate_files(files, args.shapes, not args.no_default_shapes, args.engine,
                                                 args.lang, store=opened.store, scan=scan)
            elif choice.kind == "endpoint":
                report = _remote(opened.store, args.lang)
            else:  # coopkg's shapes on records, as `coopkg build` checks them
                report = validate.validate(opened.store, args.engine, args.lang)

    for note in report.notes:
        print(f"coopkg validate: {note}", file=sys.stderr)
    # written as it is made: a report of hundreds of thousands of results is never one string
    if args.output and str(args.output) != "-":
        from coopkg import atomic

        with atomic.atomic_write(args.output) as handle:
            validate.write(report, args.format, handle, args.lang)
    else:
        validate.write(report, args.format, sys.stdout, args.lang)
    if args.format != "text" or args.output:
        print(f"coopkg validate: {report.violations} violation(s), {report.warnings} warning(s)", file=sys.stderr)
    return 1 if report.violations or opened.errors else 0


def _remote(store: object, lang: str) -> object:
    """coopkg's shapes run on an endpoint; its failures said as the errors they are."""
    from coopkg import validate
    from coopkg.endpoint_store import RemoteGraphError
    from coopkg.errors import DataError, InputError
    from coopkg.query import EndpointError

    try:
        return validate.validate(store, "fast", lang)  # type: ignore[arg-type]
    except EndpointError as err:  # the message names the endpoint
        hint = " (--timeout S allows more)" if "no complete answer within" in str(err) else ""
        raise InputError(f"the endpoint failed: {err}{hint}") from None
    except RemoteGraphError as err:  # the published graph lacks the vocabularies: the data's problem
        raise DataError(str(err)) from None
