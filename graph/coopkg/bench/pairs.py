"""The pair-table benchmark (issue 13): a synthetic twinning list shaped like Wikipedia's, loaded.

`generate` writes ``city1,country1,city2,country2`` rows from the world gazetteer's real
towns (so names resolve as real ones do): English country names, namesakes in different
countries (Córdoba AR/ES, Florence IT/US), a share of pairs stated in both directions
and a few repeated rows. `measure` loads the table in a fresh process (reading,
reconciliation, merge: what `coopkg build` does before emitting) and reports the wall
time, the peak memory and the counts.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from coopkg import atomic

BOTH_WAYS = 0.35  # share of pairs stated in both directions
REPEATED = 0.01  # share of rows repeated verbatim


def _country_names() -> dict[str, str]:
    import pycountry

    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    names.update({"RU": "Russia", "TR": "Turkey", "GB": "England", "IE": "Republic of Ireland", "XK": "Kosovo",
                  "TW": "Taiwan", "PS": "Palestine", "KR": "South Korea", "IR": "Iran", "SY": "Syria"})
    return names


def generate(rows: int, seed: int, out: Path) -> dict[str, int]:
    """Write ``rows`` rows to ``out`` (CSV); return what was put in."""
    from coopkg.normalise.world import world

    rng = random.Random(seed)
    places = world()
    towns = [p for c in places.countries() for p in places.places(c) if p.scheme == "geonames" and p.population >= 15000]
    towns.sort(key=lambda p: int(p.id))
    by_name: dict[str, list[Any]] = {}
    for town in towns:
        by_name.setdefault(town.name, []).append(town)
    namesakes = [group for group in by_name.values() if len({t.country for t in group}) > 1]
    names = _country_names()
    lines: list[list[str]] = []
    stats = {"pairs": 0, "both_ways": 0, "namesake_pairs": 0, "repeated": 0}
    while len(lines) < rows:
        if rng.random() < 0.05 and namesakes:  # a town twinned with its namesake abroad
            group = rng.choice(namesakes)
            a, b = rng.sample([t for t in group], 2) if len(group) > 1 else (group[0], rng.choice(towns))
            if a.country == b.country:
                continue
            stats["namesake_pairs"] += 1
        else:
            a, b = rng.choice(towns), rng.choice(towns)
            if a.id == b.id:
                continue
        row = [a.name, names.get(a.country, a.country), b.name, names.get(b.country, b.country)]
        lines.append(row)
        stats["pairs"] += 1
        if rng.random() < BOTH_WAYS and len(lines) < rows:
            lines.append(row[2:] + row[:2])
            stats["both_ways"] += 1
        if rng.random() < REPEATED and len(lines) < rows:
            lines.append(row)
            stats["repeated"] += 1
    with atomic.atomic_write(out, "w") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["city1", "country1", "city2", "country2"])
        writer.writerows(lines[:rows])
    stats["rows"] = rows
    return stats


_CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from coopkg import build
loaded = build.load([sys.argv[1]])
elapsed = time.perf_counter() - start
from coopkg.records import Collectivity, Partnership
(report,) = [r for _, r in loaded.reconciliations] or [None]
print(json.dumps({
    "seconds": round(elapsed, 2),
    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    "partnerships": sum(isinstance(r, Partnership) for r in loaded.records),
    "collectivities": sum(isinstance(r, Collectivity) for r in loaded.records),
    "by_name": report.by_name if report else 0, "minted": report.minted if report else 0,
    "ambiguous": len(report.ambiguous) if report else 0, "restated_rows": report.reciprocal if report else 0,
    "one_way": len(report.one_way) if report else 0,
    "errors": len(loaded.errors),
}))
"""


def measure(path: Path) -> dict[str, Any]:
    """Load the table in a fresh process: seconds, peak resident memory (MB), counts."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"loading {path} failed: {done.stderr.strip().splitlines()[-1] if done.stderr else '?'}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = round(time.perf_counter() - started, 2)
    return result


def line(rows: int, result: dict[str, Any], limit_s: float = 30.0, limit_mb: int = 1024) -> str:
    ok = result["seconds"] < limit_s and result["peak_mb"] < limit_mb
    return (f"pair table, {rows} rows: {result['seconds']} s, {result['peak_mb']} MB peak "
            f"({'within' if ok else 'OVER'} {limit_s:.0f} s / {limit_mb} MB); "
            f"{result['partnerships']} partnerships, {result['collectivities']} collectivities, "
            f"{result['restated_rows']} rows restating a pair, {result['one_way']} one-way, "
            f"{result['ambiguous']} ambiguous names, {result['minted']} minted")
