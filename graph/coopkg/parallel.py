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
import contextlib
import json
import marshal
import multiprocessing
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from coopkg import build, diskstore, gc_pause
from coopkg.literal_forms import Rewrites, may_be_normalised
from coopkg.records import AnyRecord
from coopkg.terms import GRAPH_TERMS, TextTriple
from coopkg.turtle import _TYPE_KEY, group_by_subject, header, write_blocks

#: Below this many records one process is faster than forking and passing buckets.
MIN_RECORDS = 20_000
_SAMPLE = 4096
#: Triples of a bucket an emitter writes at a time (`_emit_share`), and a range's worker groups.
_CHUNK = 250_000

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
    with gc_pause.paused(), contextlib.ExitStack() as files:
        # each bucket goes to its file `_CHUNK` triples at a time (`_chunks` reads them back):
        # held whole, a share's buckets and the bytes marshal made of them were ~0.9 GB of a
        # worker's peak at 120,000 partnerships, beside the records it shares with the parent
        outs = [files.enter_context(open(tmp / f"emit-{k}-{b}.bin", "wb")) for b in range(jobs)]

        def put(triples: Any) -> int:
            made = 0
            for triple in triples:
                buckets[where(bounds, triple[0])].append(triple)
                made += 1
            for b, bucket in enumerate(buckets):
                if len(bucket) >= _CHUNK:
                    spill(b)
            return made

        def spill(b: int) -> None:
            marshal.dump(buckets[b], outs[b])
            buckets[b].clear()

        own = sum(put(emitter.record_triples(records[index])) for index in range(lo, hi))
        cited = put(emitter.source_triples())  # the source lines this share cites (another may too)
        if k == 0:
            own += put(GRAPH_TERMS.triples_of(build.vocabulary_triples()))
        for b in range(jobs):
            spill(b)
    (tmp / f"emit-{k}.json").write_text(json.dumps({"own": own, "cited": cited}), encoding="utf-8")


def _chunks(tmp: Path, b: int, jobs: int) -> Iterator[list[TextTriple]]:
    """Bucket ``b`` of every emitter, in order, a chunk at a time (each file removed once read)."""
    for k in range(jobs):
        path = tmp / f"emit-{k}-{b}.bin"
        with open(path, "rb") as handle:
            while True:
                try:
                    yield marshal.load(handle)
                except EOFError:
                    break
        path.unlink()


def _write_range(b: int) -> None:
    jobs, tmp, batch = _JOB["jobs"], _JOB["tmp"], _JOB["batch"]
    with gc_pause.paused():
        # grouped a chunk at a time, never the list of the range's triples beside its groups
        by_subject: dict[str, list[str]] = {}
        # the triples whose literal the store rewrites, sorted out as the one-process build does
        # (`literal_forms.Rewrites`): 2,206 of ~2.3 million candidates at 120,000 partnerships
        rewrites = Rewrites(GRAPH_TERMS.turtle_document)
        kept: list[TextTriple] = []
        pending: list[TextTriple] = []  # for the store's next document (``batch``)
        held: list[TextTriple] = []  # those with a blank node: all in the store's last document
        documents = 0
        for chunk in _chunks(tmp, b, jobs):
            kept.extend(rewrites.keep([t for t in chunk if may_be_normalised(t[2])]))
            group_by_subject(chunk, into=by_subject)
            if batch is None:
                continue
            pending.extend(chunk)
            del chunk
            while len(pending) >= batch:
                _document(tmp / f"store-{b:03d}-{documents:05d}.ttl", pending[:batch], held)
                del pending[:batch]
                documents += 1
        if pending:
            _document(tmp / f"store-{b:03d}-{documents:05d}.ttl", pending, held)
            pending.clear()
        if held:
            with open(tmp / f"blank-{b}.ttl", "wb") as out:
                out.writelines(build._statements(held, None))
        with open(tmp / f"forms-{b}.bin", "wb") as handle:
            marshal.dump(kept, handle)
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


def _document(path: Path, triples: list[TextTriple], held: list[TextTriple]) -> None:
    """One document for the store (`coopkg.diskstore.PendingStore.stream_files`): the header's
    prefixes and the triples as statements, those with a blank node put in ``held``."""
    with open(path, "wb") as out:
        out.write(header().encode("utf-8"))
        out.writelines(build._statements(triples, held))


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
                name_rows: list[Any] | None = None, rows_of: NameRows | None = None, consume: bool = False,
                documents: Callable[[list[Path]], None] | None = None, batch: int = diskstore.BATCH,
                whole: int = diskstore.WHOLE) -> tuple[int, dict[str, int]]:
    """Write the graph of ``records`` as Turtle to ``path`` with ``jobs`` processes (not
    atomically: `coopkg.build_report.write_built` writes to a temporary file and renames).
    Return the triple count and the coop: class counts. ``candidates`` gets the triples
    whose literal a store rewrites (`coopkg.literal_forms.Rewrites`: what
    `coopkg.literal_forms.from_text_triples` needs of them); ``name_rows``
    gets ``rows_of`` of each range's groups: the rows of the index of folded names
    (`coopkg.query.binding.name_rows_of_groups`, given by the caller because the query
    package sits above this stage). With ``consume`` the records list is emptied once emitted.

    ``documents``: given the same triples as documents for the store (`coopkg.diskstore.PendingStore.stream_files`:
    ``batch`` triples each, those with a blank node all in the last) when the emitters made
    ``whole`` or more, before graph.ttl is put together from the ranges; else not called (the
    store loads graph.ttl, one batch: its scans are faster)."""
    if (name_rows is None) != (rows_of is None):
        raise ValueError("name_rows and rows_of go together")
    if jobs < 2 or not available():
        grouped = build.graph_grouped(records, base, include_contacts, consume=consume)
        if candidates is not None:
            candidates.extend(grouped.candidates)
        if name_rows is not None and rows_of is not None:
            name_rows.append(rows_of(grouped.by_subject, _TYPE_KEY))
        return build.write_grouped(grouped, path)
    emitter = build.emitter(records, base, include_contacts)
    tmp = Path(tempfile.mkdtemp(prefix=".coopkg-build-", dir=path.parent))
    try:
        _JOB.update(emitter=emitter, records=records, jobs=jobs, bounds=_bounds(emitter, records, jobs), tmp=tmp,
                    rows_of=rows_of, batch=None)
        _run(_emit_share, jobs)
        del emitter
        if consume:
            # let go of the records before the range workers are forked: a forked worker's RSS
            # counts every page it shares with the parent (~1.2 GB of records at 120,000
            # partnerships), and the parent's later steps reuse the memory
            del _JOB["emitter"], _JOB["records"]
            records.clear()
            gc_pause.give_back()
        if documents is not None and _emitted(tmp, jobs) >= whole:
            _JOB["batch"] = batch
        _run(_write_range, jobs)
        if _JOB["batch"] is not None and documents is not None:
            documents(_store_documents(tmp, jobs))
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


def _emitted(tmp: Path, jobs: int) -> int:
    """At most the triples the one-process build emits (`build.graph_grouped`'s count for ``whole``):
    the records' and the vocabularies', and the source lines of the share that cites most (two
    shares citing one line both emit it; the one-process build, once). So a graph the one-process
    build gives the store whole is given whole here too (a store of one batch scans faster)."""
    counts = [json.loads((tmp / f"emit-{k}.json").read_text(encoding="utf-8")) for k in range(jobs)]
    return sum(c["own"] for c in counts) + max(c["cited"] for c in counts)


def _store_documents(tmp: Path, jobs: int) -> list[Path]:
    """The ranges' store documents in order, then one of every triple with a blank node (a
    label names one node in one document)."""
    made = sorted(tmp.glob("store-*.ttl"))  # store-RANGE-NUMBER, both zero-padded as sorted
    blank = [tmp / f"blank-{b}.ttl" for b in range(jobs) if (tmp / f"blank-{b}.ttl").exists()]
    if blank:
        last = tmp / "blank.ttl"
        with open(last, "wb") as out:
            out.write(header().encode("utf-8"))
            for part in blank:
                with open(part, "rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 22)
        made.append(last)
    return made
