"""Output files under kills, signals and concurrent builds.

* SIGTERM (and SIGINT, SIGHUP) during a write removes the temporary file;
* what ``kill -9`` leaves is removed by the next write into the folder, never a live
  writer's file;
* one build at a time per --out: a second one waits, and the reports beside graph.ttl
  always describe that graph.ttl (two builds used to leave "valid" beside 2,661 violations).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coopkg import atomic

FIXTURES = Path(__file__).parent / "fixtures"

WRITER = """\
import sys, time
from coopkg import atomic
atomic.install_signal_cleanup()
with atomic.atomic_write(sys.argv[1]) as handle:
    handle.write("half a graph")
    handle.flush()
    print("ready", flush=True)
    time.sleep(60)
"""


def _writer(target: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    return child


def _temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_during_a_write_removes_the_temporary_file(tmp_path: Path, signum: int) -> None:
    target = tmp_path / "graph.ttl"
    child = _writer(target)
    assert len(_temps(tmp_path)) == 1
    child.send_signal(signum)
    child.wait(timeout=30)
    assert child.returncode != 0
    assert _temps(tmp_path) == [] and not target.exists()


def test_what_kill_9_leaves_is_cleaned_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    child = _writer(target)
    child.kill()
    child.wait(timeout=30)
    left = _temps(tmp_path)
    assert len(left) == 1
    # a temporary file of a live writer is not touched
    live = _writer(tmp_path / "other.ttl")
    old = tmp_path / ".graph.ttl.abcd1234.tmp"  # written by an older coopkg, without a PID
    old.write_text("old", encoding="utf-8")
    os.utime(old, (time.time() - 3 * 86400, time.time() - 3 * 86400))
    try:
        atomic.write_text(target, "a whole graph")
        names = {p.name for p in _temps(tmp_path)}
        assert left[0].name not in names and old.name not in names
        assert any(name.startswith(".other.ttl.") for name in names)
        assert target.read_text(encoding="utf-8") == "a whole graph"
    finally:
        live.kill()
        live.wait(timeout=30)


HOLDER = """\
import sys, time
from coopkg import atomic
with atomic.folder_lock(sys.argv[1], "build"):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_second_build_into_one_folder_waits_for_the_first(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out), "4"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    build = subprocess.run([sys.executable, "-m", "coopkg.cli", "build", str(FIXTURES / "hostile" / "good.yaml"),
                            "--out", str(out), "-q", "--no-validate"], capture_output=True, text=True, timeout=300)
    holder.wait(timeout=30)
    assert build.returncode == 0, build.stderr
    assert f"waiting for the build into {out} that pid {holder.pid} is running" in build.stderr
    assert (out / "graph.ttl").is_file()


def test_concurrent_builds_leave_reports_that_describe_the_graph(tmp_path: Path) -> None:
    out = tmp_path / "out"
    good = [str(FIXTURES / "validate" / "actors.yaml")]
    bad = [*good, str(FIXTURES / "validate" / "dates.yaml"), "--allow-invalid"]
    runs = [subprocess.Popen([sys.executable, "-m", "coopkg.cli", "build", *args, "--out", str(out), "-q"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for args in (good, bad)]
    for run in runs:
        run.communicate(timeout=600)
    graph = (out / "graph.ttl").read_text(encoding="utf-8")
    report = (out / "validation.txt").read_text(encoding="utf-8")
    if "end-year-before-start-day" in graph:
        assert "end-year-before-start-day" in report
    else:
        assert "valid: no violation" in report
    assert _temps(out) == []
