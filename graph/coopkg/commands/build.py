"""`coopkg build`: records -> graph.ttl (the main job)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXAMPLE = """\
examples:
  coopkg build                               # the bundled dataset -> build/graph.ttl
  coopkg build records.yaml atlas-sheet.txt --out out/
  coopkg build table.tsv --reader registry --strict
  coopkg build relations.xlsx --mapping registry   # a spreadsheet + a mapping (docs/readers.md)
  coopkg build --base https://data.example.org/coop/ --include-contacts
  coopkg build data/bundled/*.yaml --gazetteer all  # the same bytes as `coopkg build`

Other commands (query, validate, network, export, publish, serve) use DIR/graph.ttl
when DIR is build/ (the default); after `--out out/` give them --graph out/graph.ttl.

Reading problems are listed as FILE:LINE [FIELD]: message. The good records are
still built; the exit code is 1 when any record had an error. With --strict any
problem fails the run and nothing is written.

The graph is validated against the SHACL shapes (docs/validation.md); the report goes
to DIR/validation.txt and DIR/validation.ttl. A graph with a Violation does not
replace DIR/graph.ttl unless --allow-invalid is given (exit 1 either way).
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build the graph (Turtle) from records; the bundled dataset by default",
        description="Read records (the bundled dataset when no SOURCE is given), mint IRIs, "
        "emit triples and write DIR/graph.ttl atomically.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("sources", nargs="*", metavar="SOURCE", type=Path, help="record files (YAML, sheets, tables...)")
    p.add_argument("--out", type=Path, default=Path("build"), metavar="DIR", help="output folder (default: build/)")
    p.add_argument("--base", metavar="IRI", help="base namespace of data IRIs (default: https://w3id.org/coopkg/id/)")
    p.add_argument("--reader", metavar="NAME", help="force a reader instead of guessing from the file")
    p.add_argument("--mapping", metavar="FILE", help="YAML mapping for CSV/TSV/XLSX sheets (a file, or a shipped "
                   "mapping name: registry, atlas-projects); default: SHEET.mapping.yaml beside the sheet")
    p.add_argument("--gazetteer", choices=("all", "referenced"),
                   help="which gazetteer places join the records: all (the default without SOURCE) or only those "
                   "the records refer to (the default with SOURCE files)")
    p.add_argument("--include-contacts", action="store_true", help="put contact persons (personal data) in the graph")
    p.add_argument("--strict", action="store_true", help="any reading problem fails the run; nothing is written")
    p.add_argument("--no-validate", action="store_true", help="do not validate the graph against the shapes")
    p.add_argument("--allow-invalid", action="store_true", help="write graph.ttl even if validation finds a Violation")
    p.add_argument("--engine", choices=("fast", "pyshacl"), help="validation engine (default: fast)")
    p.add_argument("--jobs", type=int, metavar="N", help="processes that emit and write the graph (default: the "
                   "cores for 20,000 records or more, else 1); the bytes are the same for any N")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.set_defaults(func=run)


def _shown(source: str) -> str:
    """A source as a person wants to read it: the bundled files as `bundled/NAME`."""
    from coopkg import resources

    path = Path(source)
    data = resources.folder("data")
    if path.is_relative_to(data):
        return str(path.relative_to(data))
    return source


def _validator(args: argparse.Namespace, say: Any) -> Callable[[Any], tuple[int, bool]]:
    """Validate a build's store and write the reports; say whether the graph may replace the old one."""
    from coopkg.build_report import check_build

    def check(store: Any) -> tuple[int, bool]:
        violations = check_build(store, args.out, getattr(args, "engine", None), say)
        return violations, not violations or args.allow_invalid

    return check


def run(args: argparse.Namespace) -> int:
    from coopkg import build
    from coopkg.commands._common import print_problems

    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a))
    if args.reader:
        from coopkg.readers import available

        if args.reader not in available():
            print(f"coopkg build: unknown reader {args.reader!r} (known: {', '.join(available())})", file=sys.stderr)
            return 2
    try:
        emitter_options = {"base": args.base, "include_contacts": args.include_contacts}
        if args.base:
            from coopkg.iris import IriMinter

            IriMinter(args.base)
    except ValueError as err:
        print(f"coopkg build: --base: {err}", file=sys.stderr)
        return 2
    options: dict = {"mapping": args.mapping} if getattr(args, "mapping", None) else {}
    if getattr(args, "gazetteer", None):
        options["whole_gazetteer"] = args.gazetteer == "all"
    loaded = build.load(args.sources or None, reader=args.reader, **options)
    for s in loaded.summaries:
        say(f"read {_shown(s.source)} with the {s.reader} reader: {s.records} records, {s.skipped} skipped"
            + (f", {s.errors} errors" if s.errors else "") + (f", {s.warnings} warnings" if s.warnings else ""))
    print_problems(loaded.problems)
    if args.strict and loaded.problems:
        print(f"coopkg build: {len(loaded.problems)} problem(s) and --strict: nothing written", file=sys.stderr)
        return 1
    if not loaded.records:
        print("coopkg build: no records could be read: nothing written", file=sys.stderr)
        return 1
    from coopkg import build_report, parallel

    jobs = args.jobs if getattr(args, "jobs", None) else parallel.default_jobs(len(loaded.records))
    if jobs < 1:
        print("coopkg build: --jobs: give 1 or more", file=sys.stderr)
        return 2
    out = args.out / "graph.ttl"
    check = None if getattr(args, "no_validate", False) else _validator(args, say)
    # graph.ttl is written beside itself first and its on-disk store made from it; validation
    # runs in memory or on that store (docs/performance.md, "The persistent store"), and both
    # replace the previous build only when the run succeeds
    if jobs > 1 and parallel.available():
        records, loaded.records = loaded.records, []
        counts: dict[str, int] = {}

        def writer(path: Path) -> int:
            count, found = parallel.write_graph(records, path, jobs, **emitter_options)
            counts.update(found)
            records.clear()  # the records are not needed once written
            return count

        violations, written = build_report.write_built(None, out, check, writer=writer)
    else:
        # The records are not needed once emitted: handing them over frees ~1.5 GB at 120,000.
        records, loaded.records = loaded.records, []
        triples = build.graph_text(records, **emitter_options, consume=True)
        counts = build.class_counts(triples)
        violations, written = build_report.write_built(triples, out, check)
    if written is None:
        print(f"coopkg build: {violations} violation(s) (see {args.out / 'validation.txt'}): {out} not written; "
              "fix the records, or use --allow-invalid", file=sys.stderr)
        return 1
    if getattr(args, "no_validate", False):  # a report left from an earlier build would describe another graph
        build_report.clear_reports(args.out)
    count = written
    say(f"wrote {out} ({count} triples)")
    from coopkg.working_graph import LAST_BUILD

    if out.resolve() != LAST_BUILD.resolve():
        say(f"  (other commands use {LAST_BUILD} by default: pass them --graph {out})")
    for cls, n in counts.items():
        say(f"  {cls:<16} {n}")
    if violations:
        print(f"coopkg build: {violations} violation(s) written with --allow-invalid", file=sys.stderr)
    if loaded.errors:
        print(f"coopkg build: {len(loaded.errors)} error(s) in the records; the graph holds the good ones",
              file=sys.stderr)
    return 1 if loaded.errors or violations else 0
