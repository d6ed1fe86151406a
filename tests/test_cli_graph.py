"""Issue 20: one rule for the graph every command works on, said on a terminal; exit codes."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coopkg import cli, working_graph
from coopkg.errors import InputError, UsageError

FIXTURES = Path(__file__).parent / "fixtures"
MY_TOWN = FIXTURES / "cli" / "my-town.yaml"


def run_on_terminal(args: list[str], cwd: Path, stdin: bytes | None = None,
                    timeout: float = 120) -> tuple[int, str, str]:
    """Run `coopkg ARGS` with stderr on a pseudo-terminal (stdout a pipe): (code, stdout, stderr)."""
    import tempfile

    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120"}
    captured = tempfile.TemporaryFile()  # a file, not a pipe: a large output cannot block the child
    process = subprocess.Popen([sys.executable, "-m", "coopkg.cli", *args], cwd=cwd, env=env,
                               stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                               stdout=captured, stderr=follower)
    os.close(follower)
    if stdin is not None:
        assert process.stdin is not None
        process.stdin.write(stdin)
        process.stdin.close()
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([leader], [], [], timeout)
        if not ready:
            process.kill()
            raise AssertionError(f"coopkg {' '.join(args)} did not finish in {timeout} s")
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    code = process.wait(timeout)
    captured.seek(0)
    out = captured.read().decode("utf-8")
    captured.close()
    os.close(leader)
    return code, out, b"".join(chunks).decode("utf-8", errors="replace")


def run_in_pipe(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coopkg.cli", *args], cwd=cwd, capture_output=True, text=True,
                          input=None if stdin is None else stdin.decode("utf-8"), timeout=300, check=False)


@pytest.fixture(scope="module")
def my_town_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where `coopkg build my-town.yaml` was run: build/graph.ttl holds two towns."""
    folder = tmp_path_factory.mktemp("my-town")
    shutil.copy(MY_TOWN, folder / "my-town.yaml")
    done = run_in_pipe(["build", "my-town.yaml", "-q"], folder)
    assert done.returncode == 0, done.stderr
    return folder


# -- the rule ---------------------------------------------------------------------------------
def test_choose_follows_the_rule(tmp_path: Path) -> None:
    assert working_graph.choose(folder=tmp_path).kind == "bundled"
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "graph.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    last = working_graph.choose(folder=tmp_path)
    assert last.kind == "last-build" and last.path == tmp_path / "build" / "graph.ttl"
    other = tmp_path / "other.nt"
    other.write_text("<urn:a> <urn:b> <urn:d> .\n", encoding="utf-8")
    explicit = working_graph.choose(other, folder=tmp_path)
    assert (explicit.kind, explicit.syntax) == ("file", "nt")
    assert working_graph.choose(sources=[other], folder=tmp_path).kind == "sources"
    assert working_graph.choose(endpoint="http://127.0.0.1:1/query").kind == "endpoint"
    assert working_graph.choose("-", syntax="nq").syntax == "nq"


def test_choose_refuses_what_cannot_be_right(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--graph .*missing.ttl: no such file"):
        working_graph.choose(tmp_path / "missing.ttl")
    with pytest.raises(UsageError, match="only one of --graph and --endpoint"):
        working_graph.choose(tmp_path / "g.ttl", "http://127.0.0.1:1/query")
    nt = tmp_path / "g.nt"
    nt.write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="extension says nt, --graph-format says ttl"):
        working_graph.choose(nt, syntax="ttl")
    with pytest.raises(UsageError, match="not an http"):
        working_graph.choose(endpoint="ftp://example.org/sparql")


def test_every_command_uses_the_last_build(my_town_folder: Path) -> None:
    """After `coopkg build my-town.yaml`, every command works on the user's town, not the seeds."""
    stats = run_in_pipe(["network", "stats", "--format", "json"], my_town_folder)
    assert stats.returncode == 0, stats.stderr
    names = {a["label"] for a in json.loads(stats.stdout)["actors"]}
    assert names == {"Oakbridge", "Vila Serena"}
    valid = run_in_pipe(["validate", "--format", "json"], my_town_folder)
    assert valid.returncode == 0, valid.stderr
    assert "Timi" not in valid.stdout
    answer = run_in_pipe(["query", "collectivities-by-partners", "--format", "csv"], my_town_folder)
    assert answer.returncode == 0 and "Vila Serena" in answer.stdout and "Timi" not in answer.stdout
    exported = run_in_pipe(["export", "--format", "nt"], my_town_folder)
    assert exported.returncode == 0
    assert "gb-oakbridge" in exported.stdout and "ro-timis" not in exported.stdout
    built = (my_town_folder / "build" / "graph.ttl").read_text(encoding="utf-8")
    assert len(exported.stdout.splitlines()) == len(
        working_graph.open_input(working_graph.choose(my_town_folder / "build" / "graph.ttl")).table.canonical())
    assert "gb-oakbridge" in built


def test_every_command_names_the_graph_on_a_terminal(my_town_folder: Path) -> None:
    for args in (["query", "partnerships-per-country"], ["validate"], ["network", "stats"], ["export", "--format", "nt"]):
        code, out, err = run_on_terminal(args, my_town_folder)
        assert code == 0, err
        lines = [line for line in err.splitlines() if "graph: build/graph.ttl" in line]
        assert len(lines) == 1, err
        assert "the last `coopkg build` in this folder" in lines[0]
        assert "2 collectivities, 1 partnerships, 1 agreements" in err  # the counts line
        assert "graph:" not in out  # never on standard output


def test_the_bundled_dataset_is_named_when_there_is_no_build(tmp_path: Path) -> None:
    code, _, err = run_on_terminal(["query", "funding-totals", "--format", "csv"], tmp_path)
    assert code == 0
    assert "graph: the bundled dataset, built in memory (no build/graph.ttl here" in err
    assert "53 collectivities" in err


def test_quiet_in_pipes_and_with_q(my_town_folder: Path) -> None:
    piped = run_in_pipe(["network", "stats"], my_town_folder)
    assert piped.returncode == 0 and "graph:" not in piped.stderr and "\x1b" not in piped.stderr
    code, _, err = run_on_terminal(["network", "-q", "--edges-csv", "e.csv"], my_town_folder)
    assert code == 0 and "graph:" not in err and "\x1b[" not in err


def test_build_and_build_of_the_bundled_files_agree_with_gazetteer_all(tmp_path: Path) -> None:
    from coopkg import build

    bundled = sorted(str(p) for p in build.bundled_sources())
    assert cli.main(["build", "-q", "--out", str(tmp_path / "a")]) == 0
    assert cli.main(["build", "-q", *bundled, "--out", str(tmp_path / "b")]) == 0
    assert cli.main(["build", "-q", *bundled, "--gazetteer", "all", "--out", str(tmp_path / "c")]) == 0
    a, b, c = ((tmp_path / x / "graph.ttl").read_bytes() for x in "abc")
    assert a == c
    # the difference is exactly the gazetteer's places no record refers to (and their sources)
    assert len(b) < len(a) and b"collectivity/ro-recas" in a and b"collectivity/ro-recas" not in b


def test_stdin_graph(my_town_folder: Path) -> None:
    nt = (run_in_pipe(["export", "--format", "nt"], my_town_folder)).stdout.encode("utf-8")
    answer = run_in_pipe(["query", "collectivities-by-partners", "--graph", "-", "--graph-format", "nt",
                          "--format", "csv"], Path("/"), stdin=nt)
    assert answer.returncode == 0, answer.stderr
    assert "Oakbridge" in answer.stdout and "Timi" not in answer.stdout
    empty = run_in_pipe(["query", "partnerships-per-country", "--graph", "-"], Path("/"), stdin=b"")
    assert empty.returncode == 2 and "standard input is empty" in empty.stderr


# -- the parser ------------------------------------------------------------------------------
def _commands(top: object) -> dict[str, object]:
    import argparse

    return next(a for a in top._actions if isinstance(a, argparse._SubParsersAction)).choices  # type: ignore[attr-defined]


def test_a_command_s_parser_is_built_from_its_module_alone_and_is_the_same() -> None:
    """`coopkg NAME ...` builds NAME's module's parsers only (cli._MODULE_OF for a command not named
    as its module): the same help, usage and options as in the parser of every command."""
    full = _commands(cli.parser())
    assert len(full) > 10
    for name, whole in full.items():
        alone = _commands(cli.parser(name))
        assert name in alone and len(alone) <= 2, f"{name}: found only by the parser of every command"
        assert alone[name].format_help() == whole.format_help()  # type: ignore[attr-defined]
    for unknown in ("nope", "_common", "../query", "query.x"):
        assert _commands(cli.parser(unknown)).keys() == full.keys()


# -- exit codes ---------------------------------------------------------------------------------
def _crash(args: object) -> int:
    raise RuntimeError("an invariant broke")


def test_internal_error_is_exit_3_with_one_line(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from coopkg.commands import query as query_command

    monkeypatch.setattr(query_command, "run", _crash)
    assert cli.main(["query", "funding-totals"]) == 3
    err = capsys.readouterr().err
    [first, second] = err.splitlines()
    assert first.startswith("coopkg query: internal error in tests/test_cli_graph.py") is False
    assert "internal error" in first and "RuntimeError: an invariant broke" in first
    assert "this is a bug in coopkg" in second and "report it to" in second and "--debug" in second
    assert "Traceback" not in err
    # --debug, anywhere on the line: the traceback too
    for argv in (["--debug", "query", "funding-totals"], ["query", "funding-totals", "--debug"]):
        assert cli.main(argv) == 3
        err = capsys.readouterr().err
        assert "Traceback (most recent call last)" in err and "an invariant broke" in err


def test_errors_name_the_module_where_coopkg_failed(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from coopkg import query

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("column")

    monkeypatch.setattr(query, "run", broken)
    assert cli.main(["query", "funding-totals"]) == 3
    assert "internal error in coopkg/commands/query.py:" in capsys.readouterr().err


def test_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <\n", encoding="utf-8")
    for command in (["query", "funding-totals"], ["validate"], ["network", "stats"], ["export"]):
        assert cli.main([*command, "--graph", str(tmp_path / "missing.ttl")]) == 2
        assert "missing.ttl: no such file" in capsys.readouterr().err
        assert cli.main([*command, "--graph", str(bad)]) == 2
        err = capsys.readouterr().err
        assert "bad.ttl: cannot read the graph" in err and "Traceback" not in err
