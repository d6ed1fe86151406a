"""`coopkg build --jobs N`: the same bytes as the one-process build, whatever N."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopkg import cli, diskstore, parallel
from coopkg.bench.generate import generate
from coopkg.query import binding

pytestmark = pytest.mark.skipif(not parallel.available(), reason="no fork start method on this platform")


@pytest.fixture(scope="module")
def atlas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("atlas") / "atlas.jsonl"
    with path.open("w", encoding="utf-8") as out:
        generate(600, 5, out)
    return path


def _build(tmp: Path, name: str, *argv: str) -> tuple[bytes, str]:
    out = tmp / name
    code = cli.main(["build", *argv, "--out", str(out), "--no-validate"])
    assert code in (0, 1)  # a synthetic atlas may hold records the shapes flag; the graph is written
    return (out / "graph.ttl").read_bytes(), str(out / "graph.ttl")


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_parallel_build_gives_the_serial_bytes(atlas: Path, tmp_path: Path, jobs: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    serial, _ = _build(tmp_path, "serial", str(atlas), "--jobs", "1")
    serial_out = capsys.readouterr().out
    forked, path = _build(tmp_path, "forked", str(atlas), "--jobs", jobs)
    forked_out = capsys.readouterr().out
    assert forked == serial and len(serial) > 100_000
    # the class counts printed are the same too, and the store is made from the parallel file
    assert forked_out.replace("forked", "serial") == serial_out
    assert diskstore.freshness(Path(path))[0] is not None
    # the files beside the store too: the literals as written and the index of folded names
    assert _beside_store(tmp_path / "forked") == _beside_store(tmp_path / "serial")
    # no temporary file or bucket folder left (the build lock file is the lock's own)
    assert not [p for p in Path(path).parent.iterdir() if p.name.startswith((".coopkg-build-", ".graph.ttl."))]


def _beside_store(out: Path) -> dict[str, bytes]:
    store = diskstore.freshness(out / "graph.ttl")[0]
    assert store is not None
    found = {suffix: store.with_name(store.name + suffix).read_bytes() for suffix in (diskstore.FORMS, diskstore.NAMES)}
    assert all(found.values())
    return found


def test_the_parallel_names_index_is_made_by_the_workers(atlas: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Each worker gives the rows of its range of subjects; the store is not asked for labels."""
    _build(tmp_path, "serial", str(atlas), "--jobs", "1")

    def no_store(store: object) -> bytes:
        raise AssertionError("the names index was read from the store")

    monkeypatch.setattr(binding, "name_index", no_store)
    _build(tmp_path, "forked", str(atlas), "--jobs", "2")
    assert _beside_store(tmp_path / "forked") == _beside_store(tmp_path / "serial")


def test_parallel_build_of_the_bundled_dataset(tmp_path: Path) -> None:
    serial, _ = _build(tmp_path, "serial", "--jobs", "1")
    forked, _ = _build(tmp_path, "forked", "--jobs", "2")
    assert forked == serial


def test_a_failing_worker_fails_the_build_and_keeps_the_old_graph(atlas: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    before, path = _build(tmp_path, "out", "--jobs", "1")

    def broken(k: int) -> None:
        raise SystemExit(3)

    monkeypatch.setattr(parallel, "_write_range", broken)
    assert cli.main(["build", str(atlas), "--out", str(Path(path).parent), "--no-validate", "--jobs", "2"]) == 3
    assert "parallel build failed" in capsys.readouterr().err
    assert Path(path).read_bytes() == before
    assert not [p for p in Path(path).parent.iterdir() if p.name.startswith((".coopkg-build-", ".graph.ttl."))]


@pytest.mark.parametrize(("cores", "records", "jobs"), [(2, 100_000, 1), (1, 100_000, 1), (3, 100_000, 3),
                                                         (8, 100_000, 4), (8, 100, 1)])
def test_the_default_is_one_process_on_two_cores(monkeypatch: pytest.MonkeyPatch, cores: int, records: int,
                                                 jobs: int) -> None:
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: cores)
    monkeypatch.setattr(parallel, "available", lambda: True)
    assert parallel.default_jobs(records) == jobs


def _quads(graph: Path) -> list[str]:
    import pyoxigraph as ox

    store = diskstore.freshness(graph)[0]
    assert store is not None
    return [str(q) for q in ox.Store.read_only(str(store))]


def test_a_big_parallel_build_loads_the_store_a_batch_at_a_time(atlas: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Past `diskstore.WHOLE` triples the store takes the range workers' documents of
    `diskstore.BATCH` triples, never graph.ttl whole (at 120,000 partnerships that load held
    ~1.5 GB); the graph, its store and the files beside it are the one-process build's."""
    monkeypatch.setattr(diskstore, "BATCH", 2_000)
    monkeypatch.setattr(diskstore, "WHOLE", 5_000)
    monkeypatch.setattr(parallel, "_CHUNK", 700)  # several chunks a bucket, and a part-filled last
    serial, serial_path = _build(tmp_path, "serial", str(atlas), "--jobs", "1")
    loaded: list[int] = []
    moved = diskstore.PendingStore.stream_files

    def counted(self: diskstore.PendingStore, documents: list[Path]) -> None:
        loaded.append(len(documents))
        moved(self, documents)

    def whole(*args: object) -> None:
        raise AssertionError("the store loaded graph.ttl whole")

    monkeypatch.setattr(diskstore.PendingStore, "stream_files", counted)
    monkeypatch.setattr(diskstore.PendingStore, "load", whole)
    forked, path = _build(tmp_path, "forked", str(atlas), "--jobs", "2")
    assert forked == serial
    assert loaded and loaded[0] > len(serial) // 60 // 2_000  # ~60 bytes a triple
    assert _quads(Path(path)) == _quads(Path(serial_path))
    assert _beside_store(tmp_path / "forked") == _beside_store(tmp_path / "serial")
    assert not [p for p in Path(path).parent.iterdir() if p.name.startswith((".coopkg-build-", ".graph.ttl."))]
    assert not list(diskstore.folder(Path(path)).glob(".tmp-document*"))


def test_a_graph_the_serial_build_loads_whole_is_loaded_whole(atlas: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Two shares citing one source line both emit it: counted twice, a graph just under
    `diskstore.WHOLE` (the 12,000-partnership one) went into several batches, whose scans are
    slower than one's, where the one-process build gives the store one document."""
    from coopkg import build

    records = build.load([atlas]).records
    emitted = sum(map(len, build.graph_grouped(records).by_subject.values())) // 2
    monkeypatch.setattr(diskstore, "BATCH", 2_000)
    monkeypatch.setattr(diskstore, "WHOLE", emitted + 1)

    def split(*args: object) -> None:
        raise AssertionError("the store was given documents")

    monkeypatch.setattr(diskstore.PendingStore, "stream_files", split)
    serial, _ = _build(tmp_path, "serial", str(atlas), "--jobs", "1")
    forked, _ = _build(tmp_path, "forked", str(atlas), "--jobs", "2")
    assert forked == serial
