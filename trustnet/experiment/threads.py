"""One BLAS thread per run, in every engine.

Runs are already parallel across processes; a multi-threaded BLAS inside each would only
compete for the same cores. It would also change results: a threaded reduction sums in another
order, so the last digits of a run would depend on the engine that ran it. Every chunk of runs
therefore executes with OpenBLAS limited to one thread (restored afterwards, so a notebook's own
numpy is left as it was). This is the part of threadpoolctl that trustnet needs, without the
dependency.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager

_SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
            "openblas_set_num_threads64_", "openblas_set_num_threads")
_GETTERS = ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads",
            "openblas_get_num_threads64_", "openblas_get_num_threads")
_LIBS: dict[str, tuple[object, object] | None] = {}


def _openblas_libraries() -> list[tuple[object, object]]:
    """(getter, setter) of every OpenBLAS loaded in this process (numpy's, scipy's)."""
    import numpy  # noqa: F401 - loads numpy's BLAS so that it can be found
    paths = set()
    try:
        with open("/proc/self/maps") as fh:
            for line in fh:
                path = line.rsplit(" ", 1)[-1].strip()
                if "openblas" in path.lower() and ".so" in path:
                    paths.add(path)
    except OSError:  # not Linux: leave the BLAS alone
        paths = set()
    for path in sorted(paths - set(_LIBS)):
        _LIBS[path] = _bind(path)
    return [_LIBS[p] for p in sorted(paths) if _LIBS[p] is not None]


def _bind(path: str) -> tuple[object, object] | None:
    try:
        lib = ctypes.CDLL(path)
    except OSError:
        return None
    getter = next((getattr(lib, n) for n in _GETTERS if hasattr(lib, n)), None)
    setter = next((getattr(lib, n) for n in _SETTERS if hasattr(lib, n)), None)
    if getter is None or setter is None:
        return None
    getter.restype = ctypes.c_int
    setter.argtypes = [ctypes.c_int]
    return getter, setter


@contextmanager
def single_blas_thread() -> Iterator[None]:
    """Run the body with one BLAS thread, then restore the previous thread counts."""
    libs = _openblas_libraries()
    before = [getter() for getter, _ in libs]
    for _, setter in libs:
        setter(1)
    try:
        yield
    finally:
        for (_, setter), n in zip(libs, before):
            setter(n)
