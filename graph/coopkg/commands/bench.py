"""`coopkg bench`: generate a synthetic atlas and benchmark every stage on it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLE = """\
examples:
  coopkg bench generate --partnerships 12000 --seed 1 --out atlas-12k.jsonl
  coopkg build atlas-12k.jsonl --out out/           # valid by default: exits 0
  coopkg bench generate --partnerships 2000 --out atlas-2k.yaml     # the same records as native YAML
  coopkg bench generate --partnerships 2000 --faults 0.05 --out faulty.jsonl  # ~5 % known defects, counted
  coopkg bench run --scales 12000,120000 --runs 3 --json bench/results.json
  coopkg bench run --scales 2000 --runs 1 --compare-rdflib

`bench run` prints, for each scale, the median wall time of every stage over --runs
runs, its peak memory (resident set size of a fresh process per stage), the triples
and the ratio to the floor (reading or writing the same bytes). Nothing is a test:
it measures this machine.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench",
        help="generate synthetic atlas-scale records and time every stage",
        description="Atlas-scale benchmark: a seeded generator of realistic records in the native "
        "format (JSON Lines or YAML), and a runner timing read, emit, write, validate, queries, exports and network.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bsub = p.add_subparsers(dest="bench_command", metavar="ACTION")
    g = bsub.add_parser("generate", help="write N synthetic partnerships as native JSON Lines (or YAML)",
                        description="Write a synthetic atlas in the native record format: N partnerships with their "
                        "collectivities, agreements, renewals, amendments, projects, fundings and reorganisations.",
                        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    g.add_argument("--partnerships", type=int, required=True, metavar="N", help="how many partnerships")
    g.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1): same seed, same bytes")
    g.add_argument("--out", type=Path, required=True, metavar="FILE.jsonl", help="output file (written atomically)")
    g.add_argument("--format", choices=("jsonl", "yaml"), dest="output_format",
                   help="jsonl (one record per line, what big files should be) or yaml; "
                   "default: yaml for a .yaml/.yml --out, else jsonl")
    g.add_argument("--faults", type=float, default=0.0, metavar="RATE",
                   help="give about this share (0..1) of partnerships one known defect each, counted "
                   "(for validation benchmarks); default 0: valid data that `coopkg build` accepts")
    g.set_defaults(func=run_generate)
    r = bsub.add_parser("run", help="time every stage at one or more scales",
                        description="Generate a synthetic atlas at each scale and time every stage; "
                        "print a table and optionally write JSON.",
                        epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("--scales", default="12000,120000", metavar="N,N",
                   help="comma-separated partnership counts (default 12000,120000)")
    r.add_argument("--runs", type=int, default=3, metavar="R", help="runs per stage; the median is shown (default 3)")
    r.add_argument("--seed", type=int, default=1, metavar="S", help="generator seed (default 1)")
    r.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    r.add_argument("--compare-rdflib", action="store_true",
                   help="also run the plain rdflib way (rdflib parse/serialise, pyshacl, rdflib SPARQL)")
    r.add_argument("--rdflib-max", type=int, default=12000, metavar="N",
                   help="skip the rdflib stages above N partnerships (they take minutes; default 12000)")
    r.add_argument("--stages", metavar="NAME,...", help="only these stages (see the table for names)")
    r.add_argument("--timeout", type=float, default=900.0, metavar="SECONDS",
                   help="stop a stage run after this long and show it as timed out (default 900)")
    r.add_argument("--workdir", type=Path, metavar="DIR", help="keep generated files here (default: a temporary folder)")
    t = bsub.add_parser("pairs", help="load a synthetic N-row twinning pair table (city1,country1,city2,country2)",
                        description="Generate a pair table shaped like Wikipedia's twinning lists from the world "
                        "gazetteer's real towns (namesakes in different countries, pairs stated both ways, repeated "
                        "rows) and time loading it in a fresh process: reading, reconciliation and merge.",
                        epilog="examples:\n  coopkg bench pairs --rows 26000\n"
                        "  coopkg bench pairs --rows 26000 --keep twins-26k.csv --json bench/pairs-26000.json",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    t.add_argument("--rows", type=int, default=26000, metavar="N", help="rows of the table (default 26000)")
    t.add_argument("--seed", type=int, default=1, metavar="S", help="generator seed (default 1)")
    t.add_argument("--keep", type=Path, metavar="FILE.csv", help="keep the generated table here")
    t.add_argument("--json", type=Path, metavar="FILE", help="also write the result as JSON")
    t.set_defaults(func=run_pairs)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])
    r.set_defaults(func=run_bench)


def run_generate(args: argparse.Namespace) -> int:
    from coopkg import atomic
    from coopkg.bench.generate import generate

    if args.partnerships < 1:
        print("coopkg bench generate: --partnerships must be at least 1", file=sys.stderr)
        return 2
    if not 0.0 <= args.faults <= 1.0:
        print("coopkg bench generate: --faults must be a rate between 0 and 1", file=sys.stderr)
        return 2
    output_format = args.output_format or ("yaml" if args.out.suffix.lower() in {".yaml", ".yml"} else "jsonl")
    with atomic.atomic_write(args.out) as handle:
        counts = generate(args.partnerships, args.seed, handle, faults=args.faults, output_format=output_format)
    print(f"wrote {args.out}: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
    return 0


def run_bench(args: argparse.Namespace) -> int:
    from coopkg.bench.run import main

    try:
        scales = [int(s) for s in str(args.scales).split(",") if s.strip()]
    except ValueError:
        print(f"coopkg bench run: --scales {args.scales!r} is not a list of numbers", file=sys.stderr)
        return 2
    if not scales or min(scales) < 1 or args.runs < 1:
        print("coopkg bench run: --scales and --runs must be positive", file=sys.stderr)
        return 2
    stages = [s.strip() for s in args.stages.split(",")] if args.stages else None
    return main(scales, runs=args.runs, seed=args.seed, json_path=args.json, compare_rdflib=args.compare_rdflib,
                rdflib_max=args.rdflib_max, stages=stages, workdir=args.workdir, timeout=args.timeout)


def run_pairs(args: argparse.Namespace) -> int:
    import json
    import tempfile

    from coopkg import atomic
    from coopkg.bench import pairs

    if args.rows < 1:
        print("coopkg bench pairs: --rows must be at least 1", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="coopkg-pairs-") as tmp:
        table = args.keep or Path(tmp) / f"pairs-{args.rows}.csv"
        made = pairs.generate(args.rows, args.seed, table)
        print(f"generated {table}: " + ", ".join(f"{n} {name}" for name, n in made.items()), file=sys.stderr)
        result = pairs.measure(table)
    print(pairs.line(args.rows, result))
    if args.json:
        atomic.write_text(args.json, json.dumps({"rows": args.rows, "seed": args.seed, "generated": made,
                                                 **result}, indent=2, sort_keys=True) + "\n")
    return 0
