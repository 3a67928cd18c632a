"""Python's cyclic garbage collector held off while a tracker is read or scored."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Hold off the cyclic collector, and let it run as before once done (also usable as a decorator).

    Reading and scoring make a great many small objects that live on (units, returns, results) and
    hardly any cycles; every so often the collector would walk all of them again: a quarter of the
    time of loading 16 million answers. Memory is not at stake: reference counting still frees
    everything at once, and any cycle is collected when the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
