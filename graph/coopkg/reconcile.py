"""The reconciliation report: how each input's names were matched (docs/identity.md, section 5).

Written by every build as DIR/reconcile.txt and printed by `coopkg reconcile`, so a user
sees what the tool guessed — ambiguous names with their candidates, places loaded
without a country, one-way pairs with their rows — and can fix it with an identifier
column or a gazetteer entry.
"""

from __future__ import annotations

from pathlib import Path

from coopkg import atomic
from coopkg.records import Reconciliation

REPORT_FILE = "reconcile.txt"


def summary(source: str, r: Reconciliation) -> str:
    return (f"{Path(source).name}: {r.by_identifier} matched by identifier, {r.by_name} by name within a country, "
            f"{r.minted} newly minted, {len(r.ambiguous)} ambiguous, {len(r.without_country)} without a country; "
            f"{r.reciprocal} rows restating a pair (reverse direction or duplicate), {len(r.one_way)} one-way pairs")


def render(reports: list[tuple[str, Reconciliation]]) -> str:
    lines = ["# coopkg reconcile: how the names of each input were matched (docs/identity.md)", ""]
    if not reports:
        lines.append("no input matched names (native records carry their keys)")
    for source, r in reports:
        lines.append(summary(source, r))
        for where, name, key, candidates in r.ambiguous:
            lines.append(f"  ambiguous {where}: {name!r} -> new key {key}; candidates:")
            lines += [f"    - {c}" for c in candidates]
        lines += [f"  without a country {where}: {name!r}" for where, name in r.without_country]
        lines += [f"  one-way {where}: {a} -> {b}" for where, a, b in r.one_way]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def write(reports: list[tuple[str, Reconciliation]], out_dir: Path) -> Path:
    path = out_dir / REPORT_FILE
    atomic.write_text(path, render(reports))
    return path
