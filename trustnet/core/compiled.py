"""What the compiled kernels of the month share: how they are compiled, and numpy's sums.

A phase whose arithmetic is many small array operations runs as one kernel compiled by numba
(a month at 40 members is a few thousand operations; as numpy calls it costs a microsecond
each). The kernels are compiled on first use and cached on disk, so a machine pays for
compilation once and every worker process of a sweep loads the cached machine code. The
cache is kept per version of the model's source (``~/.cache/trustnet/kernels-<hash>``, under
``$NUMBA_CACHE_DIR`` when that is set): numba only checks the file that defines a kernel, so
a kernel would otherwise keep running an old copy of a helper edited in another file.

Results stay bit-identical to numpy's: no fast-math, the same order of every operation, and
sums in numpy's own order (:func:`pairwise_sum`), since a float sum depends on its order.
"""

from __future__ import annotations

import os
from pathlib import Path

import numba
import numpy as np

from trustnet.core.source import source_hash


def cache_dir() -> Path:
    """Where the kernels of this version of the model's source are cached."""
    base = os.environ.get("NUMBA_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    base = Path(base) if base else Path.home() / ".cache"
    return base / "trustnet" / f"kernels-{source_hash()}"


def jit(function):
    """Compile ``function`` with numba (no fast-math), cached in :func:`cache_dir`."""
    previous = numba.config.CACHE_DIR
    numba.config.CACHE_DIR = str(cache_dir())  # read when the cache is set up, here
    try:
        return numba.njit(cache=True, nogil=True, error_model="numpy")(function)
    finally:
        numba.config.CACHE_DIR = previous


@jit
def _block_sum(a, lo, n):  # pragma: no cover - compiled
    """numpy's sum of at most 128 items: in turn below 8, else eight running sums."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    m = n - n % 8
    i = 8
    while i < m:
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@jit
def pairwise_sum(a):  # pragma: no cover - compiled
    """Sum of the contiguous array ``a`` in numpy's order (``np.add.reduce``): blocks of at
    most 128 items, above that the sum of two halves (left, then right).

    numpy recurses; this walks the same tree with a stack (a cached numba function must not
    call itself)."""
    lo, n = 0, len(a)
    if n <= 128:
        return _block_sum(a, lo, n)
    # tasks: (lo, n) to sum, or n = -1 to add the last two sums
    task_lo = np.empty(128, dtype=np.int64)
    task_n = np.empty(128, dtype=np.int64)
    sums = np.empty(128)
    tasks, depth = 1, 0
    task_lo[0], task_n[0] = lo, n
    while tasks:
        tasks -= 1
        at, size = task_lo[tasks], task_n[tasks]
        if size == -1:
            depth -= 1
            sums[depth - 1] = sums[depth - 1] + sums[depth]
        elif size <= 128:
            sums[depth] = _block_sum(a, at, size)
            depth += 1
        else:
            half = size // 2
            half -= half % 8
            task_lo[tasks], task_n[tasks] = 0, -1  # last: add the two halves
            task_lo[tasks + 1], task_n[tasks + 1] = at + half, size - half  # then the right
            task_lo[tasks + 2], task_n[tasks + 2] = at, half  # first the left
            tasks += 3
    return sums[0]


@jit
def minimum(a, b):  # pragma: no cover - compiled
    """``np.minimum`` of two floats (a NaN in either is the result, as in numpy)."""
    return a if a <= b or a != a else b


@jit
def maximum(a, b):  # pragma: no cover - compiled
    """``np.maximum`` of two floats (a NaN in either is the result, as in numpy)."""
    return a if a >= b or a != a else b


@jit
def sum64(a):  # pragma: no cover - compiled
    """``a.sum(dtype=np.float64)`` of a contiguous single-precision array, in numpy's order:
    numpy casts 8,192 items at a time into a buffer and adds each buffer's pairwise sum to
    the running total."""
    buffer = np.empty(min(len(a), 8192))
    total = 0.0
    for lo in range(0, len(a), 8192):
        size = min(8192, len(a) - lo)
        for k in range(size):
            buffer[k] = a[lo + k]
        total += pairwise_sum(buffer[:size])
    return total


@jit
def sort_in_place(a):  # pragma: no cover - compiled
    """Sort the integer array ``a`` (heapsort: any correct sort of distinct keys gives the
    same order, and this one compiles in a fraction of numba's ``np.sort``)."""
    n = len(a)
    for start in range(n // 2 - 1, -1, -1):
        _sift(a, start, n)
    for end in range(n - 1, 0, -1):
        a[0], a[end] = a[end], a[0]
        _sift(a, 0, end)


@jit
def _sift(a, root, end):  # pragma: no cover - compiled
    while True:
        child = 2 * root + 1
        if child >= end:
            return
        if child + 1 < end and a[child] < a[child + 1]:
            child += 1
        if a[root] >= a[child]:
            return
        a[root], a[child] = a[child], a[root]
        root = child
