"""Text from rows of term numbers through numpy arrays of strings: the terms' text made once,
each chunk of rows joined with no Python code per triple (the N-Triples and Turtle writers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

import numpy as np

from coopkg.export.formats import CHUNK
from coopkg.termtable import Canonical


# -- building text from rows -----------------------------------------------------------------
def object_array(size: int) -> np.ndarray:
    """An object array for strings (numpy would otherwise guess a fixed-width dtype)."""
    return np.empty(size, dtype=object)


def fill(target: np.ndarray, indices: np.ndarray, texts: list[str]) -> None:
    values = object_array(len(texts))
    values[:] = texts
    target[indices] = values


def run_starts(column: np.ndarray) -> np.ndarray:
    """True where a row's value differs from the row before (the first row: True)."""
    out = np.ones(len(column), dtype=bool)
    out[1:] = column[1:] != column[:-1]
    return out


def text_range(c: Canonical, start: str) -> np.ndarray:
    """The ranks of the terms whose N-Triples text starts with ``start``."""
    found = c.starting(start)
    return np.arange(found.start, found.stop, dtype=np.int64)


def compact_names(c: Canonical, names: np.ndarray, by_ns: list[tuple[str, str]],
                   local_name: Callable[[str], object]) -> None:
    """Set ``names[i]`` to ``prefix:local`` for each IRI in a namespace of ``by_ns``
    (longest first) whose rest is a local name ``local_name`` accepts.

    The IRIs of a namespace are one run of the terms (sorted by text), found by bisection,
    so only they are looked at: data IRIs outside every namespace cost nothing.
    """
    done: set[int] = set()
    nt = c.nt
    for name, ns in by_ns:
        cut = len(ns) + 1
        for i in text_range(c, "<" + ns).tolist():
            if i not in done:
                local = nt[i][cut:-1]
                if local_name(local):
                    names[i] = f"{name}:{local}"
                    done.add(i)


def write_parts(out: IO[str], *columns: np.ndarray) -> None:
    """Write row i as columns[0][i] + columns[1][i] + ..., one string per chunk."""
    n, width = len(columns[0]), len(columns)
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        parts = object_array((stop - start) * width)
        for k, column in enumerate(columns):
            parts[k::width] = column[start:stop]
        out.write("".join(parts.tolist()))
