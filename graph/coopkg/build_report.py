"""A build's validation: check the triples about to be written and leave the reports beside them.

Shared by `coopkg build` (which holds back an invalid graph) and anything else that
builds a graph folder; the command modules only decide what to print and the exit code.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

REPORT_FILES = ("validation.txt", "validation.ttl")


#: Where the reports of a graph that was held back go: the reports beside graph.ttl always
#: describe that graph.ttl (docs/security.md).
REJECTED_FILES = ("rejected-validation.txt", "rejected-validation.ttl")


def check_build(triples: list, out_dir: Path, engine: str | None, say: Callable[..., object] = print) -> int:
    """Validate the triples of a build; write DIR/validation.txt and DIR/validation.ttl; return the violations.

    The reports are written (atomically) whether or not the graph is, so the user can
    read why a graph was held back. `coopkg build` uses `check` and `write_reports`
    instead, to write the reports with the graph they describe.
    """
    report = check(triples, engine)
    write_reports(out_dir, report)
    say(f"validated ({report.engine}): {report.violations} violation(s), {report.warnings} warning(s); "
        f"report in {out_dir / REPORT_FILES[0]}")
    return report.violations


def check(triples: list, engine: str | None) -> Any:
    """The validation report of a build's triples (nothing written)."""
    from coopkg import validate
    from coopkg.store import from_text, from_triples

    # Turtle text straight from the emitter, or rdflib terms from a script
    store = from_text(triples) if triples and type(triples[0][0]) is str else from_triples(triples, "oxigraph")
    with validate.quiet_rdflib():
        return validate.validate(store, engine)


def write_reports(out_dir: Path, report: Any, names: tuple[str, str] = REPORT_FILES) -> Path:
    """Write the text and Turtle reports (each atomically); return the text report's path."""
    from coopkg import atomic, validate

    atomic.write_text(out_dir / names[0], validate.render_text(report))
    atomic.write_text(out_dir / names[1], validate.render_turtle(report))
    return out_dir / names[0]


def clear_reports(out_dir: Path) -> None:
    """Remove the reports of an earlier build: they would describe another graph."""
    for name in REPORT_FILES:
        (out_dir / name).unlink(missing_ok=True)
