"""`coopkg build`: records -> graph.ttl (the main job)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXAMPLE = """\
examples:
  coopkg build                               # the bundled dataset -> build/graph.ttl
  coopkg build records.yaml atlas-sheet.txt --out out/
  coopkg build table.tsv --reader registry --strict
  coopkg build atlas.jsonl --out out/              # native records, one JSON object a line (big files)
  coopkg build relations.xlsx --mapping registry   # a spreadsheet + a mapping (docs/readers.md)
  coopkg build --base https://data.example.org/coop/ --include-contacts
  coopkg build data/bundled/*.yaml --gazetteer all  # the same bytes as `coopkg build`
  coopkg build twins.csv --gazetteer my-places.yaml   # city1,country1,city2,country2; your own entries first
  coopkg build partnerstaedte.html --out out/   # a saved Wikipedia or council page: its twinning table
  coopkg build registre.csv --write-mapping registre.mapping.yaml   # the mapping it inferred, to edit

Other commands (query, validate, network, export, publish, serve) use DIR/graph.ttl
when DIR is build/ (the default); after `--out out/` give them --graph out/graph.ttl.

Reading problems are listed as FILE:LINE [FIELD]: message. The good records are
still built; the exit code is 1 when any record had an error. With --strict any
problem fails the run and nothing is written.

The graph is validated against the SHACL shapes (docs/validation.md); the report goes
to DIR/validation.txt and DIR/validation.ttl, written with the graph they describe. A
graph with a Violation does not replace DIR/graph.ttl unless --allow-invalid is given
(exit 1 either way); its report goes to DIR/rejected-validation.txt (and .ttl).
One build at a time writes into a DIR (a second one waits).
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
    p.add_argument("sources", nargs="*", metavar="SOURCE", type=Path,
                   help="record files (native YAML or JSON Lines .jsonl, sheets, tables...)")
    p.add_argument("--out", type=Path, default=Path("build"), metavar="DIR", help="output folder (default: build/)")
    p.add_argument("--base", metavar="IRI", help="base namespace of data IRIs (default: https://w3id.org/coopkg/id/)")
    p.add_argument("--reader", metavar="NAME", help="force a reader instead of guessing from the file")
    p.add_argument("--mapping", metavar="FILE", help="YAML mapping for CSV/TSV/XLSX sheets (a file, or a shipped "
                   "mapping name: registry, atlas-projects); default: SHEET.mapping.yaml beside the sheet")
    p.add_argument("--gazetteer", metavar="all|referenced|FILE", action="append", default=[],
                   help="which gazetteer places join the records: all (the default without SOURCE) or only those "
                   "the records refer to (the default with SOURCE files); or FILE: your own gazetteer entries "
                   "(native YAML, docs/readers.md), used first; repeatable")
    p.add_argument("--write-mapping", metavar="M.yaml", type=Path,
                   help="write the mapping inferred for a table SOURCE, to edit and give back with --mapping")
    p.add_argument("--include-contacts", action="store_true", help="put contact persons (personal data) in the graph")
    p.add_argument("--strict", action="store_true", help="any reading problem fails the run; nothing is written")
    p.add_argument("--no-validate", action="store_true", help="do not validate the graph against the shapes")
    p.add_argument("--allow-invalid", action="store_true", help="write graph.ttl even if validation finds a Violation")
    p.add_argument("--engine", choices=("fast", "pyshacl"), help="validation engine (default: fast)")
    p.add_argument("--jobs", type=int, metavar="N", help="processes that emit and write the graph (default: the "
                   "cores, at most 4, for 20,000 records or more on more than 2 cores, else 1); "
                   "the bytes are the same for any N")
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


GAZETTEER_MODES = ("all", "referenced")


def split_gazetteer_option(values: list[str]) -> tuple[list[str], list[Path]]:
    """``--gazetteer`` values: the modes (all, referenced) and the user's gazetteer files."""
    return [v for v in values if v in GAZETTEER_MODES], [Path(v) for v in values if v not in GAZETTEER_MODES]


def write_mapping(loaded: object, path: Path) -> int:
    """Write the one inferred mapping of this build as YAML; 2 when there is none or several."""
    import yaml

    from coopkg import atomic

    mappings = loaded.mappings  # type: ignore[attr-defined]
    if len(mappings) != 1:
        found = ", ".join(Path(s).name for s, _ in mappings) or "none"
        print(f"coopkg build: --write-mapping needs one table read without a mapping (inferred: {found})",
              file=sys.stderr)
        return 2
    source, mapping = mappings[0]
    text = (f"# the mapping coopkg inferred for {Path(source).name}: edit it, then\n"
            f"#   coopkg build {Path(source).name} --mapping {path.name}\n"
            + yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True))
    atomic.write_text(path, text)
    print(f"wrote {path} (the mapping inferred for {Path(source).name})", file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    from coopkg import build
    from coopkg.commands._common import print_problems
    from coopkg.progress import stage

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
    modes, files = split_gazetteer_option(getattr(args, "gazetteer", None) or [])
    if modes:
        options["whole_gazetteer"] = modes[-1] == "all"
    with stage("build: reading the sources"):
        loaded = build.load(args.sources or None, reader=args.reader, gazetteers=files, **options)
    if args.write_mapping:
        code = write_mapping(loaded, args.write_mapping)
        if code:
            return code
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
    if args.sources:
        from coopkg import reconcile

        report = reconcile.write(loaded.reconciliations, args.out)
        for source, counts in loaded.reconciliations:
            say(reconcile.summary(source, counts))
        say(f"reconciliation report in {report}")
    from coopkg import atomic, build_report, parallel

    jobs = args.jobs if getattr(args, "jobs", None) else parallel.default_jobs(len(loaded.records))
    if jobs < 1:
        print("coopkg build: --jobs: give 1 or more", file=sys.stderr)
        return 2
    out = args.out / "graph.ttl"
    reports: list[Any] = []  # the validation report, once made

    def check(store: Any) -> tuple[int, bool]:
        with stage("build: validating"):
            report = build_report.check(store, getattr(args, "engine", None))
        reports.append(report)
        say(f"validated ({report.engine}): {report.violations} violation(s), {report.warnings} warning(s)")
        if report.violations and not args.allow_invalid:
            held = build_report.write_reports(args.out, report, build_report.REJECTED_FILES)
            print(f"coopkg build: {report.violations} violation(s) (see {held}): {out} not written; "
                  "fix the records, or use --allow-invalid", file=sys.stderr)
            return report.violations, False
        return report.violations, True

    def replacing() -> None:
        build_report.clear_reports(args.out)
        for name in build_report.REJECTED_FILES:  # about a graph held back before: this one is written
            (args.out / name).unlink(missing_ok=True)

    # One build at a time into a folder, and its graph and reports written as one unit:
    # the old reports go first, then the graph (and its on-disk store), then its reports, so
    # at every instant the reports beside graph.ttl (when there are any) describe that
    # graph.ttl. graph.ttl is written beside itself first and the store made from it;
    # validation runs in memory or on that store (docs/performance.md, "The persistent store").
    validator = None if getattr(args, "no_validate", False) else check
    with atomic.folder_lock(args.out, "build"):
        # The records are not needed once emitted: handing them over frees ~1.5 GB at 120,000.
        records, loaded.records = loaded.records, []
        violations, written, counts = build_report.write_records(records, out, validator, replacing=replacing,
                                                                 jobs=jobs, **emitter_options)
        if written is None:
            return 1
        count = written
        if reports:
            say(f"report in {build_report.write_reports(args.out, reports[0])}")
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
