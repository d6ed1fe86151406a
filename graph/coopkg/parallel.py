"""Emitting and writing graph.ttl over several processes (`coopkg build --jobs N`).

The records are read once; then N forked processes (the records shared copy-on-write,
nothing pickled) each emit a contiguous share of them and sort the triples they made into
N buckets by subject, at split points chosen from a sample of subjects. Then N processes
each take one bucket from every emitter, group its triples by subject and write that
range of subjects as Turtle. The ranges are sorted and disjoint and the writer sorts
within a range exactly as the one-process writer sorts the whole (`turtle.write_blocks`),
so the header followed by the ranges in order is byte for byte the one-process graph.ttl.
A triple two shares both emit (a source line, a vocabulary term) falls in one bucket and
is written once, as the one-process writer's set does. `tests/test_parallel.py` compares
the bytes.

Only where ``fork`` exists (Linux, macOS); elsewhere the build runs in one process.
"""

from __future__ import annotations

import bisect
import json
import marshal
import multiprocessing
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coopkg import build, gc_pause
from coopkg.literal_forms import may_be_normalised
from coopkg.records import AnyRecord
from coopkg.terms import GRAPH_TERMS, TextTriple
from coopkg.turtle import _TYPE_KEY, group_by_subject, header, write_blocks

#: Below this many records one process is faster than forking and passing buckets.
MIN_RECORDS = 20_000
_SAMPLE = 4096

#: Rows of the names index from a range's groups (subject text -> predicate and object texts).
NameRows = Callable[[dict[str, list[str]], str], Any]

# Set in the parent just before forking: the children inherit them (fork, not spawn).
_JOB: dict[str, Any] = {}


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def default_jobs(records: int) -> int:
    """The cores (at most 4) for a big build on more than two, else one process: on two cores
    the one-process build keeps both busy already (the store is loaded on the second while it
    emits), and `--jobs 2` cost more CPU and time there (docs/performance.md, "Parallel build")."""
    cores = os.cpu_count() or 1
    if records < MIN_RECORDS or not available() or cores <= 2:
        return 1
    return min(cores, 4)


def _bounds(emitter: Any, records: list[AnyRecord], jobs: int) -> list[str]:
    """jobs-1 subject texts splitting a sample of the records' subjects into equal ranges."""
    step = max(1, len(records) // _SAMPLE)
    sample = sorted(emitter._subject(r) for r in records[::step])
    return [sample[len(sample) * k // jobs] for k in range(1, jobs)]


def _emit_share(k: int) -> None:
    emitter, records, jobs, bounds, tmp = (_JOB[n] for n in ("emitter", "records", "jobs", "bounds", "tmp"))
    lo, hi = len(records) * k // jobs, len(records) * (k + 1) // jobs
    buckets: list[list[TextTriple]] = [[] for _ in range(jobs)]
    where = bisect.bisect_right
    with gc_pause.paused():
        def put(triples: Any) -> None:
            for triple in triples:
                buckets[where(bounds, triple[0])].append(triple)

        for index in range(lo, hi):
            put(emitter.record_triples(records[index]))
        put(emitter.source_triples())  # the source lines this share cites
        if k == 0:
            put(GRAPH_TERMS.triples_of(build.vocabulary_triples()))
        for b, bucket in enumerate(buckets):
            with open(tmp / f"emit-{k}-{b}.bin", "wb") as handle:
                marshal.dump(bucket, handle)
            bucket.clear()


def _write_range(b: int) -> None:
    jobs, tmp = _JOB["jobs"], _JOB["tmp"]
    with gc_pause.paused():
        triples: list[TextTriple] = []
        for k in range(jobs):
            path = tmp / f"emit-{k}-{b}.bin"
            with open(path, "rb") as handle:
                triples.extend(marshal.load(handle))
            path.unlink()
        # the triples whose literal the store may rewrite, for the forms table (literal_forms)
        with open(tmp / f"forms-{b}.bin", "wb") as handle:
            marshal.dump([t for t in triples if may_be_normalised(t[2])], handle)
        by_subject = group_by_subject(triples)
        del triples
        # this range's rows of the index of folded names, from its groups (not six label
        # queries on the store once loaded: `coopkg.query.binding.name_index_of_rows`)
        rows_of = _JOB["rows_of"]
        if rows_of is not None:
            with open(tmp / f"names-{b}.bin", "wb") as handle:
                marshal.dump(rows_of(by_subject, _TYPE_KEY), handle)
        classes = build.grouped_class_counts(by_subject)
        with open(tmp / f"part-{b}.ttl", "w", encoding="utf-8") as out:
            count = write_blocks(by_subject, out, flat=True)
    (tmp / f"part-{b}.json").write_text(json.dumps({"triples": count, "classes": classes}), encoding="utf-8")


def _run(target: Any, jobs: int) -> None:
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=target, args=(k,), name=f"coopkg-build-{k}") for k in range(jobs)]
    for worker in workers:
        worker.start()
    failed = []
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            failed.append(f"{worker.name} exited with {worker.exitcode}")
    if failed:
        raise RuntimeError("parallel build failed: " + "; ".join(failed))


def write_graph(records: list[AnyRecord], path: Path, jobs: int, base: str | None = None,
                include_contacts: bool = False, candidates: list[TextTriple] | None = None,
                name_rows: list[Any] | None = None, rows_of: NameRows | None = None) -> tuple[int, dict[str, int]]:
    """Write the graph of ``records`` as Turtle to ``path`` with ``jobs`` processes (not
    atomically: `coopkg.build_report.write_built` writes to a temporary file and renames).
    Return the triple count and the coop: class counts. ``candidates`` gets the triples
    whose literal a store may rewrite (`coopkg.literal_forms.from_text_triples`); ``name_rows``
    gets ``rows_of`` of each range's groups: the rows of the index of folded names
    (`coopkg.query.binding.name_rows_of_groups`, given by the caller because the query
    package sits above this stage)."""
    if (name_rows is None) != (rows_of is None):
        raise ValueError("name_rows and rows_of go together")
    if jobs < 2 or not available():
        grouped = build.graph_grouped(records, base, include_contacts)
        if candidates is not None:
            candidates.extend(grouped.candidates)
        if name_rows is not None and rows_of is not None:
            name_rows.append(rows_of(grouped.by_subject, _TYPE_KEY))
        return build.write_grouped(grouped, path)
    emitter = build.emitter(records, base, include_contacts)
    tmp = Path(tempfile.mkdtemp(prefix=".coopkg-build-", dir=path.parent))
    try:
        _JOB.update(emitter=emitter, records=records, jobs=jobs, bounds=_bounds(emitter, records, jobs), tmp=tmp,
                    rows_of=rows_of)
        _run(_emit_share, jobs)
        _run(_write_range, jobs)
        total, classes = 0, Counter[str]()
        with open(path, "wb") as out:
            out.write(header().encode("utf-8"))
            for b in range(jobs):
                part = json.loads((tmp / f"part-{b}.json").read_text(encoding="utf-8"))
                total += part["triples"]
                classes.update(part["classes"])
                if candidates is not None:
                    with open(tmp / f"forms-{b}.bin", "rb") as handle:
                        candidates.extend(marshal.load(handle))
                if name_rows is not None:
                    with open(tmp / f"names-{b}.bin", "rb") as handle:
                        name_rows.append(marshal.load(handle))
                with open(tmp / f"part-{b}.ttl", "rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 22)
    finally:
        _JOB.clear()
        shutil.rmtree(tmp, ignore_errors=True)
    return total, dict(sorted(classes.items()))
