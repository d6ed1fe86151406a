"""The built graph kept on disk as an Oxigraph store beside graph.ttl, so commands open it
instead of parsing the Turtle again (docs/performance.md, "The persistent store").

Layout, for a graph file ``DIR/graph.ttl``::

    DIR/graph.oxigraph/fresh.json     which store matches which graph file (written last, atomically)
    DIR/graph.oxigraph/<token>/       the store (RocksDB files), never modified once named
    DIR/graph.oxigraph/<token>.forms.nt  the triples whose literals Oxigraph rewrites, as written
    DIR/graph.oxigraph/<token>.names.jsonl  the index of folded names `coopkg.query.resolve` reads

A build writes a new store under a temporary name, renames it to a new token and only
then replaces ``fresh.json``: a failed or interrupted build leaves the previous store and
its record as they were, and a reader never sees half a store. ``fresh.json`` records the
size and modification time (ns) of the graph file the store was made from; a store is
used only while the file still has both (an edit by hand, a copy without timestamps, a
graph written by another tool: the file is loaded instead, and the command says so once).
Size + mtime rather than a content hash: hashing 470 MB takes longer than the 0.5 s a
query at 120,000 partnerships may take in all.

The store holds graph.ttl's triples in its default graph, exactly. What validation adds
to a graph (`coopkg.validate.prepare`: the class hierarchy, the vocabularies when
missing) lives in a named graph of its own, `SUPPORT_GRAPH`, seen only by a store whose
`add_triples` was asked for it; queries see graph.ttl and nothing else.

Oxigraph gives numbers and dates back in canonical forms (``"212000.0"`` comes back
``"212000"``, ``xsd:int`` as ``xsd:integer``). The build notes, from the graph file it
loads, every triple whose literal the store rewrites and keeps them as written in
``<token>.forms.nt`` (`coopkg.literal_forms`); a reader opening the store reads that small
file the first time an answer holds such a literal, so answers and exports give back what
the emitter wrote without parsing graph.ttl again (docs/time.md section 6). A store made
before the file existed falls back to reading graph.ttl for the forms, once.

``<token>.names.jsonl`` (`coopkg.query.binding.name_index`, made by the build from the
store before it is named, or the same bytes from the triples it wrote) maps each folded
name or key of each record kind to its IRIs, so resolving a parameter's name reads a few
lines instead of every label of the kind. It goes with its store as the forms file does;
a store without one (made before it existed, or written without it) is resolved by
SPARQL, the same answers.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from coopkg import atomic, gc_pause, literal_forms
from coopkg.store import OxigraphStore, Store, Triple, open_graph, to_ox

#: Up to this many triples, work that scans most of the graph (validation, the network
#: projection) parses the graph into memory rather than reading the on-disk store: scans
#: run ~2x faster in memory, and parsing costs ~3 s at 860,000 triples; above, memory
#: would not stay flat (3 GB for 8.5 M triples) and the on-disk store is read.
IN_MEMORY_MAX_TRIPLES = 2_000_000
RECORD = "fresh.json"
FORMS = ".forms.nt"  # beside the store <token>: <token>.forms.nt
NAMES = ".names.jsonl"  # beside the store <token>: <token>.names.jsonl
FORMAT = 1
SUPPORT_GRAPH = "https://w3id.org/coopkg/graph/validation-support"
#: Triples a document given to `PendingStore.feed` holds: one batch of Oxigraph's bulk loader,
#: which takes ~0.2 GB for 250,000 triples (~0.8 GB for 1,000,000) beside the build's own
#: memory (docs/performance.md, "The build's memory at 120,000, December 3").
BATCH = 250_000
#: A graph of fewer triples is fed as one document: a store of one batch scans ~2x faster
#: than one of several (past a few, more cost nothing measurable).
WHOLE = 1_000_000
_SUPPORT = ox.NamedNode(SUPPORT_GRAPH)
_DEFAULT = ox.DefaultGraph()


class StoreReadOnly(RuntimeError):
    """A triple had to be added to a store opened read-only."""


def folder(graph: Path) -> Path:
    """Where the store of ``graph`` lives: ``DIR/graph.oxigraph`` for ``DIR/graph.ttl``."""
    graph = Path(graph)
    return graph.with_name(graph.stem + ".oxigraph")


def _stamp(graph: Path) -> dict[str, int]:
    st = graph.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def read_record(graph: Path) -> dict[str, Any] | None:
    try:
        record = json.loads((folder(graph) / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def freshness(graph: Path) -> tuple[Path | None, str]:
    """The store folder matching ``graph`` now, or None and why not (for the message)."""
    graph = Path(graph)
    record = read_record(graph)
    if record is None:
        return None, f"no store beside {graph} (`coopkg build` writes one)"
    try:
        stamp = _stamp(graph)
    except OSError:
        return None, f"{graph}: cannot read the file"
    store = folder(graph) / str(record.get("store", ""))
    if record.get("format") != FORMAT or record.get("graph") != graph.name or not record.get("store"):
        return None, f"the store beside {graph} is of another coopkg version"
    if record.get("pyoxigraph") != ox.__version__:
        return None, f"the store beside {graph} was written by pyoxigraph {record.get('pyoxigraph')}"
    if {"size": record.get("size"), "mtime_ns": record.get("mtime_ns")} != stamp:
        return None, f"{graph} changed since the store beside it was built"
    if not store.is_dir():
        return None, f"the store beside {graph} is missing ({store})"
    return store, ""


class PersistentStore(OxigraphStore):
    """An on-disk Oxigraph store holding a built graph (its default graph) and, apart, the
    validation support triples. Opened read-only by readers; read-write while a build makes it."""

    def __init__(self, store: ox.Store, writable: bool, triples: int | None = None) -> None:
        super().__init__()
        self.store = store
        self.writable = writable
        self._count = triples
        self._support = False  # whether queries see SUPPORT_GRAPH as part of the default graph
        #: the index of folded names beside the store (module docstring), when it is fresh
        self.names_file: Path | None = None

    def add_triples(self, triples: Iterable[Triple]) -> None:
        """Additions go to the support graph (graph.ttl's triples stay what the file says).
        A read-only store accepts only triples it already holds there or in the graph."""
        quads = [(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]
        self._support = True
        if self.writable:
            self.store.extend(ox.Quad(s, p, o, _SUPPORT) for s, p, o in quads)  # type: ignore[arg-type]
            return
        for s, p, o in quads:
            if ox.Quad(s, p, o, _SUPPORT) not in self.store and ox.Quad(s, p, o, _DEFAULT) not in self.store:  # type: ignore[arg-type]
                raise StoreReadOnly(f"the store is read-only and lacks {s} {p} {o}")

    def holds(self, triples: Iterable[Triple]) -> bool:
        """Whether the store holds every one of ``triples``, in the graph or the support graph
        (what `add_triples` on a read-only store needs; nothing is switched on)."""
        for s, p, o in triples:
            s_, p_, o_ = to_ox(s), to_ox(p), to_ox(o)
            if ox.Quad(s_, p_, o_, _SUPPORT) not in self.store and ox.Quad(s_, p_, o_, _DEFAULT) not in self.store:  # type: ignore[arg-type]
                return False
        return True

    def load_file(self, path: Path) -> None:
        raise StoreReadOnly("a built store is not loaded into; build again")

    def _query(self, sparql: str, substitutions: Any) -> Any:
        if self._support:
            return self.store.query(sparql, substitutions=substitutions, default_graph=[_DEFAULT, _SUPPORT])
        return self.store.query(sparql, substitutions=substitutions)

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(1 for _ in self.store.quads_for_pattern(None, None, None, _DEFAULT))
        return self._count

    def triples(self) -> Iterator[Triple]:
        from coopkg.store import from_ox

        # what queries see: the graph, and the support triples once they were asked for
        for graph in (_DEFAULT, _SUPPORT) if self._support else (_DEFAULT,):
            for quad in self.store.quads_for_pattern(None, None, None, graph):
                for s, p, o in self._written(quad.subject, quad.predicate, quad.object):
                    yield from_ox(s), from_ox(p), from_ox(o)  # type: ignore[arg-type]


# -- reading ----------------------------------------------------------------------------------
_SAID: set[str] = set()


def _say_once(message: str) -> None:
    if message not in _SAID:
        _SAID.add(message)
        print(f"coopkg: {message}: loading the file", file=sys.stderr)


def open_persistent(graph: Path) -> PersistentStore | None:
    """The fresh store of ``graph`` opened read-only, or None (stale, missing, unreadable)."""
    store_dir, why = freshness(graph)
    if store_dir is None:
        return None
    record = read_record(graph) or {}
    try:
        opened = ox.Store.read_only(str(store_dir))
    except OSError:
        return None
    count = record.get("triples")
    persistent = PersistentStore(opened, writable=False, triples=count if isinstance(count, int) else None)
    # the literals as written (module docstring): read on the first answer that needs them
    forms = store_dir.with_name(store_dir.name + FORMS)
    if forms.is_file():
        persistent._pending_forms.append(lambda: literal_forms.from_file(forms, ox.RdfFormat.N_TRIPLES))
    else:
        fmt = ox.RdfFormat.from_extension(graph.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
        persistent._pending_forms.append(lambda: literal_forms.from_file(graph, fmt))
    names = store_dir.with_name(store_dir.name + NAMES)
    persistent.names_file = names if names.is_file() else None
    return persistent


def forms_file(graph: Path | str) -> Path | None:
    """The file of literals as written (module docstring) of ``graph``'s store, while the store
    matches the file; None when stale, missing or made before the file existed."""
    store_dir = freshness(Path(graph))[0]
    if store_dir is None:
        return None
    forms = store_dir.with_name(store_dir.name + FORMS)
    return forms if forms.is_file() else None


def say_once(why: str) -> None:
    """Say once, on stderr, why a store is not used: ``coopkg: WHY: loading the file``."""
    _say_once(why)


def say_stale(graph: Path | str) -> None:
    """Say once, on stderr, why the store beside ``graph`` is not used (when there is one)."""
    graph = Path(graph)
    if folder(graph).is_dir():
        why = freshness(graph)[1]
        if why:
            _say_once(why)


def load_built(graph: Path | str, engine: str = "oxigraph", quiet: bool = False) -> Store:
    """The graph of a graph file, for a command that reads it: its on-disk store when that
    matches the file (Oxigraph), else the file parsed into memory, said once on stderr."""
    graph = Path(graph)
    if engine == "oxigraph":
        opened = open_persistent(graph)
        if opened is not None:
            return opened
        if not quiet:
            _say_once(freshness(graph)[1] or f"the store beside {graph} cannot be opened")
    return open_graph(graph, engine)


def load_for_scans(graph: Path | str) -> Store:
    """The graph for work that scans most of it (validation, the network projection): the
    on-disk store for a big graph, else the file parsed into memory, where scans run ~2x
    faster and parsing a small graph costs less than the difference."""
    graph = Path(graph)
    record = read_record(graph) or {}
    count = record.get("triples")
    if isinstance(count, int) and count <= IN_MEMORY_MAX_TRIPLES and freshness(graph)[0] is not None:
        return load_in_memory(graph)  # a deliberate choice, nothing to say
    return load_built(graph)


def load_in_memory(graph: Path | str) -> Store:
    """The graph file parsed into memory (Oxigraph), its literals as written read from the
    fresh store's small forms file beside it rather than from a second parse of the file."""
    graph = Path(graph)
    return open_graph(graph, "oxigraph", forms=forms_file(graph))


# -- writing ----------------------------------------------------------------------------------
class PendingStore:
    """A store being made for a graph file; `commit` names it the file's store, `discard` drops it.

    ``with PendingStore(graph) as pending:`` discards on an exception and on leaving
    without `commit`.
    """

    def __init__(self, graph: Path) -> None:
        self.graph = Path(graph)
        self.folder = folder(self.graph)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.token = f"{time.time_ns():x}-{os.getpid()}"
        self.path = self.folder / f".tmp-{self.token}"
        self.store: PersistentStore | None = PersistentStore(ox.Store(str(self.path)), writable=True)
        self.forms: literal_forms.LiteralForms | None = None
        self.committed = False
        self._loader: threading.Thread | None = None
        self._ended = False
        self._discarding = False
        self._fed = 0  # documents named so far (`_document_path`)

    def __enter__(self) -> PendingStore:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            self.discard()

    def load(self, source: Path, forms: literal_forms.LiteralForms | None = None) -> PersistentStore:
        """Load a graph file (written as ``graph`` will be) into the store's default graph;
        ``forms``: its forms table when the caller made it already (else read from the file)."""
        assert self.store is not None
        fmt = ox.RdfFormat.from_extension(self.graph.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
        self._bulk_load(str(source), fmt)
        # the forms the store rewrites, noted from the same file (kept beside it at commit)
        return self._use_forms(forms if forms is not None else literal_forms.from_file(source, fmt))

    def _bulk_load(self, path: str, fmt: ox.RdfFormat) -> None:
        # bulk_load writes sorted files straight to disk: a fraction of `load`'s memory and time
        assert self.store is not None
        self.store.store.bulk_load(path=path, format=fmt, to_graph=_DEFAULT)

    def _use_forms(self, forms: literal_forms.LiteralForms) -> PersistentStore:
        assert self.store is not None
        self.forms = forms
        self.store._forms = forms
        return self.store

    # -- loading while the build goes on (docs/performance.md, "The persistent store") ----------
    @property
    def streaming(self) -> bool:
        return self._loader is not None

    def stream(self, header: str) -> None:
        """Start loading documents given one by one (`feed`, then `end_feed` and `finish`).

        A thread bulk-loads each (pyoxigraph lets go of the GIL), so the store is made on the
        other core while the build emits and writes. Each document is one batch of Oxigraph's
        bulk loader (sorted and written as one set of files), and one is loaded at a time, so
        the store holds one batch in memory, not the two or three a load of the whole file
        holds. The build gives documents of `BATCH` triples, or one document for a graph of
        fewer than `WHOLE`. At
        most one more document waits in the queue: the build waits when the store falls behind.
        ``header``: the ``@prefix`` lines every document needs, put before each.
        """
        self._header = header.encode("utf-8")
        self._start_loader(queue.Queue(maxsize=1))

    def stream_files(self, documents: list[Path]) -> None:
        """Load these documents (each a whole Turtle document; no blank node label shared
        with another) one at a time on a thread, as `stream` loads those given to `feed`; then
        `finish`. They are moved beside the store first (their folder may go before they are
        loaded). `coopkg.parallel` writes them: loading graph.ttl whole held two or three
        1,000,000-triple batches (~1.5 GB) at 120,000 partnerships."""
        if self._loader is not None:
            raise RuntimeError("already streaming")
        moved: queue.Queue[Path | None] = queue.Queue()
        for document in documents:
            path = self._document_path()
            shutil.move(document, path)
            moved.put(path)
        self._ended = True
        moved.put(None)
        self._start_loader(moved)

    def _start_loader(self, documents: queue.Queue[Path | None]) -> None:
        # the thread `_load_documents` loading what ``documents`` gives, until None
        self._documents = documents
        self._failed: list[BaseException] = []
        self._loader = threading.Thread(target=self._load_documents, name="coopkg-store", daemon=True)
        self._loader.start()

    def feed(self, statements: bytes | list[bytes]) -> None:
        """Load these statements (whole ones, under the header's prefixes, no blank node
        label shared with another document), or the document these pieces make, the list
        emptied as written; raises what made an earlier load fail.

        The document goes to the loader as a file beside the store (`_document_path`), written
        here and removed once loaded: held as bytes, the one loading, the one waiting and the
        one being made were ~0.15 GB of the build's peak at 120,000 partnerships."""
        if self._loader is None:
            raise RuntimeError("feed before stream")
        path = self._document_path()
        try:
            with open(path, "wb") as out:
                out.write(self._header)
                if isinstance(statements, list):
                    for piece in statements:
                        out.write(piece)
                    statements.clear()
                else:
                    out.write(statements)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        while True:
            if self._failed:
                path.unlink(missing_ok=True)
                raise self._failed[0]
            try:
                self._documents.put(path, timeout=0.2)
                return
            except queue.Full:
                continue

    def _document_path(self) -> Path:
        # named as `_prune` knows a dead build's temporary files: .tmp-...-PID
        self._fed += 1
        return self.folder / f".tmp-document{self._fed}-{self.token}"

    def end_feed(self) -> None:
        """No more documents: the store finishes the last while the build goes on."""
        if self._loader is not None and not self._ended:
            self._ended = True
            self._documents.put(None)

    def finish(self, forms: literal_forms.LiteralForms) -> PersistentStore:
        """Wait for the documents to be loaded; ``forms``: their triples' forms table."""
        self._end_stream()
        if self._failed:
            raise self._failed[0]
        return self._use_forms(forms)

    def _load_documents(self) -> None:
        while (document := self._documents.get()) is not None:
            try:
                if self._failed or self._discarding:
                    continue  # let feed and the end go on, to fail there
                assert self.store is not None
                self._bulk_load_document(document)
            except BaseException as err:  # raised in the build's thread by feed or finish
                self._failed.append(err)
            finally:
                document.unlink(missing_ok=True)
            # What the batch took, kept by malloc for the loader's threads (not always the same
            # arenas: it piled up over a 120,000-partnership build) and, after the
            # last, under the rest of the build.
            gc_pause.give_back()

    def _bulk_load_document(self, document: Path) -> None:
        assert self.store is not None
        self.store.store.bulk_load(path=str(document), format=ox.RdfFormat.TURTLE, to_graph=_DEFAULT)

    def _end_stream(self) -> None:
        if self._loader is None:
            return
        self.end_feed()
        self._loader.join()
        self._loader = None

    def _close(self) -> None:
        if self.store is not None:
            self.store.store.flush()
            self.store = None  # the last reference: RocksDB closes its files

    def commit(self, triples: int | None = None, prepare: Callable[[Store], None] | None = None,
               names: Callable[[Store], bytes] | None = None) -> Path:
        """Name the store the graph file's: call once the graph file is in place. ``prepare``
        (`coopkg.validate.prepare`) adds what validation needs, so later readers need not write.
        ``names`` (`coopkg.query.binding.name_index`) makes the index of folded names kept beside
        it, from the graph alone (before ``prepare``)."""
        assert self.store is not None and not self.streaming
        index = None
        if names is not None:
            # from the graph alone: a build validated on the store (over IN_MEMORY_MAX_TRIPLES) has
            # added validation's support triples, which the index must not see, yet needs one as much
            support, self.store._support = self.store._support, False
            try:
                index = names(self.store)
            finally:
                self.store._support = support
        if prepare is not None and not self.store._support:
            prepare(self.store)
        self._close()
        final = self.folder / self.token
        if self.forms is not None:
            literal_forms.write_file(self.forms, self.folder / f"{self.token}{FORMS}")  # atomically, as the index
        if index is not None:
            atomic.write_bytes(self.folder / f"{self.token}{NAMES}", index)
        os.replace(self.path, final)
        record = {"format": FORMAT, "graph": self.graph.name, "store": self.token, "triples": triples,
                  "pyoxigraph": ox.__version__, **_stamp(self.graph)}
        atomic.write_text(self.folder / RECORD, json.dumps(record, indent=1, sort_keys=True) + "\n")
        self.committed = True
        _prune(self.folder, keep={self.token})
        return final

    def discard(self) -> None:
        self._discarding = True  # the documents still queued are removed, not loaded
        self._end_stream()
        self._close()
        shutil.rmtree(self.path, ignore_errors=True)


def _prune(where: Path, keep: set[str]) -> None:
    """Remove stores no record names, except the newest other one: a command that opened it a
    moment ago may still be reading (RocksDB opens files lazily)."""
    others = sorted((p for p in where.iterdir() if p.is_dir() and p.name not in keep and not p.name.startswith(".tmp-")),
                    key=lambda p: p.stat().st_mtime_ns)
    for old in others[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    # a forms file and an index of names go with their store
    for suffix in (FORMS, NAMES):
        for kept in where.glob(f"*{suffix}"):
            if not kept.name.startswith(".tmp-") and not (where / kept.name[: -len(suffix)]).is_dir():
                kept.unlink(missing_ok=True)
    # temporary stores of builds that died (not this process's, not a running one's), and the
    # .tmp-TOKEN.forms.nt files builds before the forms file was written atomically left
    for tmp in where.glob(".tmp-*"):
        pid = tmp.name.removesuffix(FORMS).rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_store(graph: Path, triples: int | None = None, prepare: Callable[[Store], None] | None = None,
                names: Callable[[Store], bytes] | None = None) -> Path:
    """Make the store of an existing graph file (what `coopkg build` does after writing it)."""
    with PendingStore(graph) as pending:
        pending.load(graph)
        return pending.commit(triples, prepare, names)


__all__ = ["PendingStore", "PersistentStore", "StoreReadOnly", "folder", "freshness", "load_built", "load_for_scans",
           "load_in_memory", "open_persistent", "write_store"]
