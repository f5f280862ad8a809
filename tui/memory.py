"""Keeping the app's memory small: one C heap for all threads, and giving back a lesson thrown away."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable


# glibc's mallopt parameter for the most heaps ("arenas") threads may use (malloc.h).
M_ARENA_MAX = -8


def _c_library() -> ctypes.CDLL | None:
    # find_library runs `ldconfig -p`: once per app, not once per function.
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


# glibc's functions, if this C library has them (musl and macOS do not: nothing to do there).
_LIBC = _c_library()
_TRIM: Callable[[int], int] | None = getattr(_LIBC, "malloc_trim", None)
_MALLOPT: Callable[[int, int], int] | None = getattr(_LIBC, "mallopt", None)


def one_heap_for_all_threads() -> bool:
    """Make every thread allocate from the main C heap; True if the C library took the setting.

    glibc gives each thread that allocates a heap of its own and keeps there
    what the thread frees, for that thread only. The threads that load MNIST
    and train left 2-3 MB behind that way in every app (measured in lesson 6,
    idle and training). They almost always allocate holding the GIL, so one
    heap makes no thread wait that we could measure. Call it before the app
    starts its threads.
    """
    return _MALLOPT is not None and _MALLOPT(M_ARENA_MAX, 1) == 1


def give_back_memory() -> None:
    """Free a thrown-away screen's objects now, and hand the heap pages they held back to the system.

    A screen's widgets refer to each other, so Python frees them only at its
    next full collection, whenever that comes; and the C heap keeps pages it
    got back for later use. A student following a teacher through lessons
    1-7 kept about 3 MB more for each without this.
    """
    gc.collect()
    if _TRIM is not None:
        _TRIM(0)
