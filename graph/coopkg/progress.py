"""Progress for long work: drawn with rich on a terminal, silent in pipes, CI logs and with -q.

Two forms, both no-ops when progress is off:

* ``with Progress("emitting", total) as p: p.advance()`` — a bar (a count when the
  total is unknown) with elapsed time;
* ``with stage("reading sources"):`` — a spinner for a step that has no count.

`coopkg.cli` calls `configure(quiet=...)` from each command's ``-q``; whether to draw is
decided once per bar: stderr must be a terminal (``TERM=dumb`` is not). rich is imported
only when something is drawn, so commands in pipes start no slower.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

_quiet = False


def configure(quiet: bool = False) -> None:
    """Silence (or not) every progress display of this process (``-q``)."""
    global _quiet
    _quiet = quiet


def wanted(stream: TextIO | None = None) -> bool:
    """Whether progress should be drawn on ``stream`` (stderr by default)."""
    stream = stream or sys.stderr
    if _quiet or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def _bar(label: str, total: int | None, stream: TextIO) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
    if total:
        columns += [BarColumn(bar_width=30), MofNCompleteColumn()]
    columns.append(TimeElapsedColumn())
    # transient: the finished bar is wiped, so the lines a command prints stay readable
    return Progress(*columns, console=Console(file=stream), transient=True)


class Progress:
    """A counted step; drawn on stderr only if it is a terminal and progress is not silenced."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None,
                 enabled: bool | None = None) -> None:
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else (enabled and not _quiet)
        self.done = 0
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            self._bar = _bar(self.label, self.total, self.stream)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total)
        return self

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(self._task, advance=n)

    def describe(self, label: str) -> None:
        """Change the text of the bar (the step now running)."""
        self.label = label
        if self._bar is not None:
            self._bar.update(self._task, description=label)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


@contextmanager
def stage(label: str, stream: TextIO | None = None) -> Iterator[Progress]:
    """A spinner with the elapsed time while a step without a count runs."""
    with Progress(label, None, stream) as shown:
        yield shown


__all__ = ["Progress", "configure", "stage", "wanted"]
