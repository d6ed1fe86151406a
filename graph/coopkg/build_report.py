"""A build's validation: check the triples about to be written and leave the reports beside them.

Shared by `coopkg build` (which holds back an invalid graph) and anything else that
builds a graph folder; the command modules only decide what to print and the exit code.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from coopkg import gc_pause, literal_forms
from coopkg.literal_forms import LiteralForms
from coopkg.terms import TextTriple

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


def check(triples: object, engine: str | None) -> Any:
    """The validation report of a build's triples, or of the store it is making (nothing written)."""
    from coopkg import validate
    from coopkg.store import Store, from_text, from_triples

    # the store a build is making, Turtle text straight from the emitter, or rdflib terms from a script
    if isinstance(triples, Store):
        store = triples
    else:
        store = from_text(triples) if triples and type(triples[0][0]) is str else from_triples(triples, "oxigraph")  # type: ignore[index]
    with validate.quiet_rdflib():
        return validate.validate(store, engine)


def write_reports(out_dir: Path, report: Any, names: tuple[str, str] = REPORT_FILES) -> Path:
    """Write the text and Turtle reports (each atomically); return the text report's path."""
    from coopkg import atomic, validate

    with atomic.atomic_write(out_dir / names[0]) as handle:
        validate.write_text(report, handle)
    with atomic.atomic_write(out_dir / names[1]) as handle:
        validate.write_turtle_report(report, handle)
    return out_dir / names[0]


Check = Callable[[Any], tuple[int, bool]]


def write_built(triples: list[TextTriple] | None, out: Path, check: Check | None = None,
                writer: Callable[[Path], int] | None = None,
                replacing: Callable[[], None] | None = None,
                forms_of: Callable[[], LiteralForms | None] | None = None,
                pending: Any = None, names_of: Callable[[], bytes | None] | None = None) -> tuple[int, int | None]:
    """Write graph.ttl and its on-disk store (`coopkg.diskstore`), atomically: from Turtle text
    (``triples``, emptied on the way), or by ``writer(path)`` (`coopkg.parallel`,
    `coopkg.build.write_grouped`), which writes the Turtle to ``path`` and returns the triple count.

    ``check(store)`` validates and says ``(violations, keep)``; when it says not to keep,
    nothing replaces the previous graph or store. Return ``(violations, triples written)``,
    the count None when nothing was written. ``replacing()`` runs just before the new graph
    replaces the old (to remove the old graph's reports). ``forms_of()``, called after
    ``writer``, gives the written triples' forms table (`coopkg.literal_forms`) when the
    writer kept it; from Turtle text it is made here. Either way the stores take it rather
    than reading graph.ttl again for it (7 s at 12,000 partnerships, twice).

    ``pending``: the graph's `diskstore.PendingStore`, already loading the same triples as a
    stream (`PendingStore.stream`, fed while they were emitted); else the store is loaded
    from the written file, on a thread while the graph is validated in memory.

    ``names_of()``, called after ``writer``: the store's index of folded names when the writer
    made it from the triples it wrote (`coopkg.query.binding.name_index_of_groups`); else
    (None) it is read from the store once loaded (`name_index`), the same bytes.
    """
    import os
    import threading

    from coopkg import diskstore, validate
    from coopkg.build import write_graph
    from coopkg.query.binding import name_index
    from coopkg.store import OxigraphStore, from_text, open_graph
    from coopkg.terms import GRAPH_TERMS

    forms = None if triples is None else literal_forms.from_text_triples(triples, GRAPH_TERMS.turtle_document)
    in_memory = check is not None and triples is not None and len(triples) <= diskstore.IN_MEMORY_MAX_TRIPLES
    memory = from_text(triples, forms=forms) if in_memory else None  # before writing: the writer empties the list
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    violations, keep = 0, True
    try:
        with pending if pending is not None else diskstore.PendingStore(out) as pending:
            count = write_graph(triples, tmp, consume=True) if writer is None else writer(tmp)
            if forms is None and forms_of is not None:
                forms = forms_of()
            if check is not None and triples is None and count <= diskstore.IN_MEMORY_MAX_TRIPLES:
                in_memory = True
            failed: list[BaseException] = []

            def load() -> None:
                try:
                    pending.load(tmp, forms)
                except BaseException as err:  # re-raised below, in the caller's thread
                    failed.append(err)

            streaming = pending.streaming
            loader = None if streaming else threading.Thread(target=load, name="coopkg-store")  # pyoxigraph lets go of the GIL
            if loader is not None:
                loader.start()
            try:
                if in_memory and check is not None:
                    if memory is None:
                        memory = open_graph(tmp)
                        if forms is not None and isinstance(memory, OxigraphStore):
                            memory.use_forms(forms)
                    violations, keep = check(memory)
                    memory = None
            finally:
                if loader is not None:
                    loader.join()
                else:
                    pending.finish(forms if forms is not None else literal_forms.from_file(tmp, _format(out)))
            if failed:
                raise failed[0]
            if check is not None and not in_memory:
                violations, keep = check(pending.store)
            if not keep:
                return violations, None
            if replacing is not None:
                replacing()
            os.replace(tmp, out)
            made = names_of() if names_of is not None else None
            pending.commit(count, validate.prepare, names=name_index if made is None else lambda _: made)
    finally:
        tmp.unlink(missing_ok=True)
    return violations, count


def write_records(records: list, out: Path, check: Check | None = None,
                  replacing: Callable[[], None] | None = None, base: str | None = None,
                  include_contacts: bool = False, jobs: int = 1) -> tuple[int, int | None, dict[str, int]]:
    """The build of ``records`` (emptied on the way) into graph.ttl and its store: `write_built`.
    One process (``jobs`` 1) feeds the store the triples as they are emitted, a batch at a
    time, loaded on another core (`diskstore.PendingStore.stream`) instead of from graph.ttl
    once written; with ``jobs`` > 1 (`coopkg.parallel`) the store loads the documents of a
    batch the range workers wrote (`diskstore.PendingStore.stream_files`), or the written file
    for a graph of fewer than `diskstore.WHOLE` triples. Return ``(violations, triples written or None, coop: class counts)``.

    The cyclic collector is paused throughout (`coopkg.gc_pause`): while the groups are held
    (millions of strings and lists), the names index and the forms table made from them
    triggered full collections that walked them all (~2 s of a 12,000-partnership build).
    ``check`` runs with it on and the build's objects frozen (`gc_pause.resumed`)."""
    with gc_pause.paused():
        return _write_records(records, out, None if check is None else _collected(check), replacing, base,
                              include_contacts, jobs)


def _collected(check: Check) -> Check:
    """``check`` run with the cyclic collector on (a validation's report graphs may hold cycles)."""
    def run(store: Any) -> tuple[int, bool]:
        with gc_pause.resumed():
            return check(store)
    return run


def _write_records(records: list, out: Path, check: Check | None, replacing: Callable[[], None] | None,
                   base: str | None, include_contacts: bool, jobs: int) -> tuple[int, int | None, dict[str, int]]:
    from coopkg import build, diskstore, parallel
    from coopkg.query.binding import name_index_of_rows, name_rows_of_groups
    from coopkg.terms import GRAPH_TERMS
    from coopkg.turtle import _TYPE_KEY, header

    counts: dict[str, int] = {}
    names: list[bytes | None] = []  # the index of folded names, when made from the groups
    forked = jobs > 1 and parallel.available()
    with diskstore.PendingStore(out) as pending:
        candidates: list = []  # the triples whose literal the store may rewrite (one process: only those it does)
        if forked:
            # the store is loaded from documents the range workers write once they are done (a
            # big graph), else from the written file: no process is forked with its thread
            def writer(path: Path) -> int:
                shares: list = []  # each range's rows of the names index, made where it was grouped
                count, found = parallel.write_graph(records, path, jobs, base, include_contacts, candidates, shares,
                                                   name_rows_of_groups, consume=True, documents=pending.stream_files,
                                                   batch=diskstore.BATCH, whole=diskstore.WHOLE)
                names.append(name_index_of_rows(shares))
                counts.update(found)
                records.clear()  # the records are not needed once written
                return count
        else:
            pending.stream(header())
            grouped = build.graph_grouped(records, base, include_contacts, consume=True, feed=pending.feed,
                                          feed_every=diskstore.BATCH, whole=diskstore.WHOLE)
            pending.end_feed()  # the store's last batch is sorted and written while graph.ttl is written
            candidates = grouped.candidates
            grouped.candidates = []

            def writer(path: Path) -> int:
                # the names from the groups, not six label queries on the store: their rows before
                # the groups are let go, their index after (its dicts and sets of ~1 M folded names
                # took ~0.65 GB beside the groups at 120,000 partnerships)
                rows = name_rows_of_groups(grouped.by_subject, _TYPE_KEY)
                count, found = build.write_grouped(grouped, path)
                counts.update(found)
                names.append(None if rows is None else name_index_of_rows([rows]))
                return count

        def forms() -> LiteralForms:
            made = literal_forms.from_text_triples(candidates, GRAPH_TERMS.turtle_document)
            candidates.clear()
            return made

        violations, written = write_built(None, out, check, writer=writer, replacing=replacing, forms_of=forms,
                                          pending=pending, names_of=lambda: names[0] if names else None)
    return violations, written, counts


def _format(graph: Path) -> Any:
    import pyoxigraph as ox

    return ox.RdfFormat.from_extension(graph.suffix.lstrip(".")) or ox.RdfFormat.TURTLE


def clear_reports(out_dir: Path) -> None:
    """Remove the reports of an earlier build: they would describe another graph."""
    for name in REPORT_FILES:
        (out_dir / name).unlink(missing_ok=True)
