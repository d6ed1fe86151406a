""".ci/browser installs chromium and chromium-driver whenever either is missing, and
with CI=true a browser test that cannot start fails instead of skipping (issue 20)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "browser"


def _stub(folder: Path, name: str, body: str = "exit 0") -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _run(tmp_path: Path, present: list[str]) -> list[str]:
    """Run .ci/browser with only ``present`` (and stub apt-get/flock) on PATH; the apt-get calls."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    for name in present:
        _stub(bin_dir, name)
    _stub(bin_dir, "apt-get", f'echo "$@" >> "{log}"')
    _stub(bin_dir, "flock", 'shift; exec "$@"')  # the lock file, then the command
    for tool in ("env", "bash", "sh"):  # what the script itself needs
        found = subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True, text=True, check=True)
        os.symlink(found.stdout.strip(), bin_dir / tool)
    subprocess.run(["bash", str(SCRIPT)], env={"PATH": str(bin_dir), "COOPKG_APT_LOCK": str(tmp_path / "lock")},
                   check=True, capture_output=True, text=True)
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


@pytest.mark.parametrize("present", [[], ["chromium"], ["chromedriver"]])
def test_installs_both_when_either_is_missing(tmp_path: Path, present: list[str]) -> None:
    calls = _run(tmp_path, present)
    assert any(c.startswith("-o DPkg::Lock::Timeout=600 update") for c in calls)
    [install] = [c for c in calls if " install " in f" {c} "]
    assert install.split()[-2:] == ["chromium", "chromium-driver"]


def test_installs_nothing_when_both_are_there(tmp_path: Path) -> None:
    assert _run(tmp_path, ["chromium", "chromedriver"]) == []


def test_ci_run_calls_it_with_ci_true() -> None:
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    call = text.index("\n.ci/browser\n")
    assert 'export CI="${CI:-true}"' in text and text.index("export CI=") < call < text.index("python -m pytest")


# a failure in the browser fixture is reported as an error: red either way
@pytest.mark.parametrize(("ci", "outcome"), [("true", "error"), ("", "skipped")])
def test_a_browser_that_cannot_start_fails_in_ci(tmp_path: Path, ci: str, outcome: str) -> None:
    """The real browser test module, with no chromium on PATH: skipped locally, failed with CI=true."""
    env = {**os.environ, "CI": ci, "PATH": str(tmp_path)}  # nothing on PATH: no chromium, no chromedriver
    env.pop("PYTEST_ADDOPTS", None)
    probe = tmp_path / "no-driver"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "renders",
         str(ROOT / "tests" / "test_network_browser.py")],
        env={**env, "COOPKG_CHROMEDRIVER": str(probe)}, cwd=ROOT, capture_output=True, text=True, timeout=600,
        check=False)
    summary = done.stdout.strip().splitlines()[-1]
    assert f"1 {outcome}" in summary, done.stdout[-2000:]
    assert done.returncode == (1 if outcome == "error" else 0)
    if outcome == "error":
        assert "CI=true and the browser test cannot start" in done.stdout
