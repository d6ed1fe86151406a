"""The hostile-input corpus (tests/fixtures/hostile/cases.yaml), each case run as a user runs
coopkg, in its own process under a memory limit: the exit code, the FILE:LINE [FIELD]
message, the good records kept, and never a traceback.

The memory limit (RLIMIT_AS, set in the child before coopkg is imported) is what turns an
unbounded input (an XLSX dimension of 17 billion cells, a YAML alias chain) into a failed
test here rather than a machine that swaps: without the bounds these cases took 11.5 GB.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

HERE = Path(__file__).parent / "fixtures" / "hostile"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space: coopkg's imports need ~1 GB of it

RUNNER = """\
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from coopkg.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_limited(args: list[str], cwd: Path, env: dict[str, str] | None = None,
                timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """``coopkg ARGS`` in a child process whose address space is capped at MEMORY_LIMIT."""
    environ = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-c", RUNNER.format(limit=MEMORY_LIMIT), *args], cwd=cwd, env=environ,
                          capture_output=True, text=True, timeout=timeout, errors="replace")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for path in HERE.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hostile_case(case: dict, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    answer = run_limited([*case["args"], "--out", str(out), "-q"], corpus, case.get("env"))
    assert "Traceback" not in answer.stderr, answer.stderr[-3000:]
    assert "MemoryError" not in answer.stderr, answer.stderr[-3000:]
    assert answer.returncode == case["exit"], answer.stderr[-3000:]
    if case.get("message"):
        assert re.search(case["message"], answer.stderr), answer.stderr[-3000:]
    graph = (out / "graph.ttl").read_text(encoding="utf-8")
    assert list(ox.parse(graph.encode("utf-8"), format=ox.RdfFormat.TURTLE))  # a graph any RDF tool reads
    for iri in case.get("kept", []):
        assert re.search(re.escape(iri) + r"[>/\s]", graph), f"{iri} missing from graph.ttl"
    for text in case.get("absent", []):
        assert text not in graph, f"{text!r} in graph.ttl"


def test_a_literal_over_the_size_limit_is_left_out(tmp_path: Path) -> None:
    # 16 MiB literals broke query, validate, export, network and publish; the default
    # limit is 1 MiB characters, lowered here so the file stays small.
    (tmp_path / "big.yaml").write_text(
        "coopkg: 1\ncollectivities:\n"
        f"  - {{key: ro-big, name: Big, kind: county, country: RO, note: {'x' * 200_000}}}\n"
        "  - {key: ro-small, name: Small, kind: county, country: RO}\n", encoding="utf-8")
    answer = run_limited(["build", "big.yaml", "--out", "out", "-q", "--no-validate"], tmp_path,
                         {"COOPKG_LIMIT_LITERAL_CHARS": "100000"})
    assert answer.returncode == 1 and "Traceback" not in answer.stderr
    assert re.search(r"big\.yaml:3 \[note\] \(record ro-big\).*characters of note \(200,000\).*COOPKG_LIMIT_LITERAL_CHARS",
                     answer.stderr), answer.stderr
    graph = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "collectivity/ro-small" in graph and "ro-big" not in graph


def test_a_limit_that_is_no_number_is_a_usage_error(tmp_path: Path) -> None:
    shutil.copy(HERE / "good.yaml", tmp_path / "good.yaml")
    answer = run_limited(["build", "good.yaml", "--out", "out", "-q"], tmp_path, {"COOPKG_LIMIT_YAML_DEPTH": "deep"})
    assert answer.returncode == 2 and "Traceback" not in answer.stderr
    assert "COOPKG_LIMIT_YAML_DEPTH='deep' is not a whole number" in answer.stderr
