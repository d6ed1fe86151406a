"""Pause Python's cyclic garbage collector while millions of small objects are made.

Reading an atlas-scale file makes ~10 million dicts, tuples and records that all stay
alive; each collection rescans them all, and the collector ran hundreds of times: a
third of the reading time. Nothing made there forms a cycle that must be freed early
(refcounting frees the rest), so the collector is paused and runs once afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
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
