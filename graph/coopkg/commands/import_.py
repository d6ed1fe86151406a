"""`coopkg import wikidata`: twinning statements (P190) from a SPARQL endpoint -> native records."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLE = """\
examples:
  coopkg import wikidata --country Q218 --out wikidata-ro.yaml   # every twinning of Romania's collectivities
  coopkg import wikidata --items Q83404 Q79815 --out twins.yaml    # the twinnings of two items
  coopkg import wikidata --country Q142 --out wikidata-fr.jsonl    # as JSON Lines, one record a line (big imports)
  coopkg import wikidata --endpoint http://127.0.0.1:7878/query --country Q218 --out twins.yaml
  coopkg build data/bundled/*.yaml twins.yaml                       # merge with the other sources

The records are native YAML (docs/record-format.md): collectivities with their QID
(skos:exactMatch) and one twinning partnership per pair, derived from the items' entity
IRIs. One-way statements (A names B, B does not name A) are counted and listed on
stderr, and still make one partnership. Without --out the YAML goes to stdout.
Exit 0 ok, 1 the endpoint failed or gave nothing, 2 usage errors.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import records from an outside source (wikidata)",
        description="Import records from an outside source into native YAML that `coopkg build` reads.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sources = p.add_subparsers(dest="source", metavar="SOURCE")
    w = sources.add_parser(
        "wikidata",
        help="twinned administrative bodies (P190) with start/end qualifiers",
        description="Fetch 'twinned administrative body' (P190) statements with their start (P580) and end "
        "(P582) qualifiers, labels (fr, ro, en) and countries (P17/P297) through SPARQL, and write "
        "collectivities and twinning partnerships as native records.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    w.add_argument("--endpoint", metavar="URL", default=None,
                   help="SPARQL endpoint (default: Wikidata's query service); a mirror or a local store works")
    w.add_argument("--country", metavar="QID", help="only twinnings of items in this country (P17), e.g. Q218")
    w.add_argument("--items", metavar="QID", nargs="+", default=[], help="only twinnings of these items")
    w.add_argument("--out", metavar="FILE", type=Path,
                   help="write the records here (atomically): native YAML, or JSON Lines for a .jsonl FILE; "
                   "default: YAML to stdout")
    w.add_argument("--timeout", type=int, default=60, metavar="S", help="seconds per query (default 60)")
    w.set_defaults(func=run_wikidata)
    p.set_defaults(func=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_wikidata(args: argparse.Namespace) -> int:
    from coopkg import atomic
    from coopkg.readers import wikidata
    from coopkg.readers.gazetteer import gazetteer
    from coopkg.readers.jsonlines import SUFFIXES
    from coopkg.readers.native_writer import dump, dump_jsonl

    try:
        items = [wikidata.qid(q) for q in args.items]
        country = wikidata.qid(args.country) if args.country else None
    except ValueError as err:
        print(f"coopkg import wikidata: {err}", file=sys.stderr)
        return 2
    endpoint = args.endpoint or wikidata.PUBLIC_ENDPOINT
    try:
        from coopkg.progress import stage

        with stage(f"import wikidata: querying {endpoint}"):
            records, report = wikidata.fetch(endpoint, items, country, gazetteer(), timeout=args.timeout)
    except wikidata.WikidataError as err:
        print(f"coopkg import wikidata: {err}", file=sys.stderr)
        return 1
    for line in report.lines():
        print(line, file=sys.stderr)
    if not records:
        print("coopkg import wikidata: no P190 statements in scope: nothing written", file=sys.stderr)
        return 1
    scope = " ".join(filter(None, [f"country {country}" if country else "", " ".join(items)])) or "all items"
    if args.out and args.out.suffix.lower() in SUFFIXES:
        text = dump_jsonl(records, "en")  # JSON has no comments: the report above went to stderr
    else:
        text = dump(records, "en", comment=f"coopkg import wikidata ({scope}) from {endpoint}\n"
                    f"{report.pairs} partnerships ({report.symmetric} symmetric, {len(report.one_way)} one-way)")
    if args.out:
        atomic.write_text(args.out, text)
        print(f"wrote {args.out} ({len(records)} records)", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
