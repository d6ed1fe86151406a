"""Pause Python's cyclic garbage collector while millions of small objects are made.

Reading an atlas-scale file makes ~10 million dicts, tuples and records that all stay
alive; each collection rescans them all, and the collector ran hundreds of times: a
third of the reading time. Nothing made there forms a cycle that must be freed early
(refcounting frees the rest), so the collector is paused and runs once afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic GC off (as it was before, afterwards; nesting is fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Re-enabled as is, the next allocation would trigger a collection that walks every
            # object made in the block (all in the youngest generation): ~1 s each time at
            # 12,000 partnerships. freeze + unfreeze moves them to the oldest generation
            # without a walk; a full collection still sees them (no leak of cycles).
            gc.freeze()
            gc.unfreeze()
            gc.enable()


@contextmanager
def resumed() -> Iterator[None]:
    """Inside `paused`, run a block with the collector on (work that may make cycles to free,
    such as a validation) without its collections walking what the paused work made: those
    objects are frozen (left out of every collection) for the block, and paused again after."""
    if gc.isenabled():
        yield
        return
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        gc.disable()
        gc.unfreeze()


def give_back() -> None:
    """Return the C heap's free memory to the system (glibc's ``malloc_trim``; nothing elsewhere).

    Oxigraph's bulk loader frees what a batch took (~0.8 GB for 1,000,000 triples) into its
    thread's malloc arena, which glibc keeps: ~0.3 GB stayed resident after each load while
    the build went on, and after the last one under the names index, forms table and
    validation (docs/performance.md, "The build's memory at 120,000, December 3")."""
    global _trim
    if _trim is None:
        try:
            import ctypes

            _trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _trim = False
    if callable(_trim):
        _trim(0)


_trim: Callable[[int], int] | bool | None = None  # libc's malloc_trim once looked up; False where there is none
