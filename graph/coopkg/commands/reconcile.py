"""`coopkg reconcile`: how the names of each input would be matched, without building a graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLE = """\
examples:
  coopkg reconcile twins.csv                        # city1,country1,city2,country2
  coopkg reconcile registre.csv --gazetteer my-places.yaml
  coopkg reconcile sheet.csv --mapping sheet.mapping.yaml --out reconcile.txt

For each input: how many names were matched by an identifier (QID, ISO 3166-2, INSEE,
GeoNames...), by name within the stated country, newly minted, or ambiguous (listed with
their candidates), which places no source gives a country, and the one-way pairs with
their rows (docs/identity.md). Every `coopkg build SOURCE...` writes the same report as
DIR/reconcile.txt. Exit 0, or 1 when an input could not be read.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "reconcile",
        help="show how the names of tables were matched to places (by id, by name, minted, ambiguous)",
        description="Read the sources as `coopkg build` does and report, per input, how names were matched.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE", type=Path, help="tables or record files")
    p.add_argument("--reader", metavar="NAME", help="force a reader instead of guessing from the file")
    p.add_argument("--mapping", metavar="FILE", help="YAML mapping for CSV/TSV/XLSX sheets")
    p.add_argument("--gazetteer", metavar="FILE", action="append", default=[],
                   help="your own gazetteer entries (native YAML); repeatable")
    p.add_argument("--out", metavar="FILE", type=Path, help="also write the report here")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coopkg import atomic, build, reconcile

    options = {"mapping": args.mapping} if args.mapping else {}
    from coopkg.commands.build import split_gazetteer_option

    _, files = split_gazetteer_option(args.gazetteer)
    loaded = build.load(args.sources, reader=args.reader, gazetteers=files, **options)
    text = reconcile.render(loaded.reconciliations)
    sys.stdout.write(text)
    if args.out:
        atomic.write_text(args.out, text)
    unread = [p for p in loaded.errors if p.line is None]
    for problem in unread:
        print(str(problem), file=sys.stderr)
    return 1 if unread else 0
