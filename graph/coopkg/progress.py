"""Progress for long work: shown on a terminal, silent in pipes and CI logs."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """``with Progress("emitting", total) as p: p.advance()``; draws on stderr only if a TTY."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None,
                 enabled: bool | None = None) -> None:
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = 0
        self._last = 0.0
        self._start = time.monotonic()

    def __enter__(self) -> Progress:
        return self

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and now - self._last > 0.1:
            self._last = now
            self._draw()

    def _draw(self, final: bool = False) -> None:
        if self.total:
            pct = 100 * self.done / self.total
            text = f"\r{self.label}: {self.done:,}/{self.total:,} ({pct:.0f}%)"
        else:
            text = f"\r{self.label}: {self.done:,}"
        elapsed = time.monotonic() - self._start
        self.stream.write(f"{text} {elapsed:.1f}s" + ("\n" if final else ""))
        self.stream.flush()

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._draw(final=True)
