"""Pausing Python's cyclic garbage collector around bulk work on a day's journal."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Building a day's hundred thousand rows triggers the cycle collector again and again,
    and each full pass walks every live object, the downloaded journal included: a third of
    the build time, measured, at random points. What is built under this holds no cycles,
    so pausing the collector loses nothing. It is re-enabled only if it was enabled when
    entered: nested or on two threads at once, it ends enabled (a pause may end early
    because of another thread, which only costs time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
