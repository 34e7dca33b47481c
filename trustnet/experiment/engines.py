"""Where chunks of runs execute: in this process, in local processes, or on a Dask cluster.

Every engine is a context manager with ``imap(fn, items)`` that yields results as they
complete (in any order). Results carry their run ids and seeds, so the order never matters:
the same spec gives the same tables on every engine. The parallel engines keep only a window of
chunks in flight (a few per worker) and drop each result once it is handed on, so memory stays
flat however many runs a sweep has.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Self

from trustnet.core.machine import usable_cores

ENGINES = ("serial", "processes", "dask")
IN_FLIGHT_PER_WORKER = 4


class EngineError(ValueError):
    """An engine that cannot start as asked (e.g. an unreachable Dask scheduler)."""


def default_workers() -> int:
    """Usable cores (respects CPU affinity, e.g. inside a batch job)."""
    return usable_cores()


class SerialEngine:
    """One run after another in this process: simplest, and the reference for the others."""

    name = "serial"
    workers = 1

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def imap(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            yield fn(item)


class ProcessEngine:
    """A pool of local processes (all usable cores by default).

    On Linux the pool forks, so workers start in milliseconds with the model already imported.
    """

    name = "processes"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self._pool = None

    def __enter__(self) -> Self:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if sys.platform.startswith("linux") else None
        self._pool = ProcessPoolExecutor(max_workers=self.workers,
                                         mp_context=mp.get_context(method))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=exc[0] is None, cancel_futures=True)
            self._pool = None

    def imap(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        from concurrent.futures import FIRST_COMPLETED, wait

        todo = iter(items)
        pending: set[Any] = set()
        try:
            self._fill(fn, todo, pending)
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    pending.discard(future)
                    yield future.result()
                self._fill(fn, todo, pending)
        finally:
            for future in pending:
                future.cancel()

    def _fill(self, fn: Callable[[Any], Any], todo: Iterator[Any], pending: set[Any]) -> None:
        import warnings

        with warnings.catch_warnings():
            # Workers fork at the first submit. The only other threads in this process are
            # OpenBLAS's idle pool (it re-initialises itself in a forked child), so Python's
            # generic warning about forking a multi-threaded process does not apply here.
            warnings.filterwarnings("ignore", message=".*use of fork\\(\\) may lead to deadlocks",
                                    category=DeprecationWarning)
            while len(pending) < self.workers * IN_FLIGHT_PER_WORKER:
                item = next(todo, _END)
                if item is _END:
                    return
                pending.add(self._pool.submit(fn, item))


_END = object()


class DaskEngine:
    """A Dask distributed cluster: an existing scheduler (``tcp://host:port``, e.g. started on
    an HPC batch system with dask-jobqueue) or, without an address, a ``LocalCluster``.

    Workers must be able to import trustnet (install the package in their environment).
    """

    name = "dask"

    def __init__(self, address: str | None = None, workers: int | None = None,
                 processes: bool = True) -> None:
        self.address = address
        self.workers = workers or default_workers()
        self.processes = processes
        self._client = None
        self._cluster = None

    def __enter__(self) -> Self:
        from distributed import Client, LocalCluster

        if self.address:
            try:
                self._client = Client(self.address, timeout="20s")
            except (OSError, TimeoutError, ValueError) as exc:
                text = str(exc).strip()
                reason = text.splitlines()[0] if text else type(exc).__name__
                raise EngineError(f"cannot connect to the Dask scheduler at {self.address} "
                                  f"({reason}); expected the address of a running scheduler, "
                                  "e.g. tcp://host:8786") from None
            info = self._client.scheduler_info()
            self.workers = max(1, sum(w.get("nthreads", 1) for w in
                                      info.get("workers", {}).values()))
        else:
            self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                         processes=self.processes, dashboard_address=None)
            self._client = Client(self._cluster)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def imap(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        from distributed import as_completed

        todo = iter(items)
        completed = as_completed()
        in_flight = set()

        def submit_next() -> None:
            item = next(todo, _END)
            if item is not _END:
                future = self._client.submit(fn, item, pure=False)
                in_flight.add(future)
                completed.add(future)

        try:
            for _ in range(self.workers * IN_FLIGHT_PER_WORKER):
                submit_next()
            for future in completed:
                in_flight.discard(future)
                result = future.result()
                future.release()  # the cluster may forget it now
                yield result
                submit_next()
        finally:
            for future in in_flight:
                future.cancel()


def make_engine(name: str = "processes", *, workers: int | None = None,
                scheduler: str | None = None) -> SerialEngine | ProcessEngine | DaskEngine:
    """The engine called ``name``; a scheduler address implies Dask."""
    if scheduler:
        return DaskEngine(address=None if scheduler == "local" else scheduler, workers=workers)
    if name == "serial":
        return SerialEngine()
    if name == "processes":
        return ProcessEngine(workers)
    if name == "dask":
        return DaskEngine(workers=workers)
    raise ValueError(f"unknown engine '{name}'; allowed: {', '.join(ENGINES)}")
