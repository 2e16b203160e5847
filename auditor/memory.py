"""Keeping a long run's memory near what it holds, on Linux with the GNU C library (a no-op anywhere else).

Python frees large objects (an answer's JSON text, a page of posts) with the C library's `free`. glibc keeps what is
freed for reuse in arenas, one per thread that allocated, up to eight a core, and gives memory back to the system only
from the top of each heap. A run whose 32 fetch threads each read hundreds of answers so keeps the high-water mark of
many arenas, and freed holes in the middle of them, resident. Measured with `benchmarks/scale.py` (100 accounts, 32
workers), the two calls below lower a run's level from about 110 MB to 95 MB (docs/scale.md).

`limit_arenas` caps the number of arenas before the fetch threads start (the `MALLOC_ARENA_MAX` setting, made from
inside the process); `give_back` returns the free pages of every arena to the system (`malloc_trim`), which the runner
calls once an account has been checked. Both only change where freed memory waits: nothing allocated is touched.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import os
import sys

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc's <malloc.h>
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
ARENAS = 2


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):  # musl (Alpine) has neither call
            return None
        libc = ctypes.CDLL(None)
        for name in ("mallopt", "malloc_trim"):
            getattr(libc, name).restype = ctypes.c_int
        libc.mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
        libc.malloc_trim.argtypes = (ctypes.c_size_t,)
    except (ValueError, OSError, AttributeError):
        return None
    return libc


def limit_arenas(count: int = ARENAS) -> bool:
    """At most `count` malloc arenas from now on (arenas already made stay). False where it cannot be done."""
    libc = _glibc()
    if libc is None:
        return False
    done = bool(libc.mallopt(M_ARENA_MAX, count))
    if not done:
        log.debug("mallopt(M_ARENA_MAX) was refused")
    return done


def give_back() -> bool:
    """Return the C library's free memory to the system. True if some was returned."""
    libc = _glibc()
    return libc is not None and bool(libc.malloc_trim(0))


def keep_large_blocks(largest: int = 64 * 1024**2) -> bool:
    """Reuse freed blocks of up to `largest` bytes instead of mapping and unmapping each: for a process that handles
    one large photo after another (auditor.services' face workers), where every decoded photo and tile was otherwise
    fresh memory from the system, each page faulted in again (a quarter of the CPU time on 12-megapixel photos). Up to
    twice `largest` of free memory may then wait in the process for the next photo. False where it cannot be done."""
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, largest)) and bool(libc.mallopt(M_TRIM_THRESHOLD, 2 * largest))
