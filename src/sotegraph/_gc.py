"""Pausing Python's cycle collector around work that makes many small objects and no cycles."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector (restored after): for code whose strings, tuples, rows and
    dictionaries hold no cycles, where its passes over a heap of many small objects cost more
    than the work itself.

    >>> with no_cycle_collection():
    ...     gc.isenabled()
    False
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
