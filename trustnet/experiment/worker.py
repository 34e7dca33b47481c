"""What a worker does with a chunk of runs: run each, catch its error, return compact results.

Runs are shipped in chunks so that many short runs still spread well over processes or a
cluster; results come back as plain dicts of numbers and numpy arrays (cheap to pickle). A run
that raises is returned with its error text instead of outcomes, so one bad corner of a design
never stops a sweep.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

DEFAULT_RUNNER = "trustnet.core.run:run_model"


@dataclass(frozen=True)
class Chunk:
    """Runs shipped together to one worker."""

    runs: tuple[tuple[int, int, dict[str, Any], tuple[dict[str, Any], ...]], ...]
    # (run_id, seed, params, events)
    steps: int
    series: tuple[str, ...] | None  # reporter names to keep; None keeps no series
    series_every: int = 1
    projects: bool = False  # return each run's project table
    runner: str = DEFAULT_RUNNER  # "module:function" with run_model's signature
    members: Any = None  # your own network (a Roster) and its given ties, for every run
    ties: Any = None
    sectors: Any = None  # the sectors of a generated network (a roster brings its own)


_RUNNERS: dict[str, Callable[..., Any]] = {}


def load_runner(path: str) -> Callable[..., Any]:
    """The run function named ``module:function`` (cached per process)."""
    if path not in _RUNNERS:
        module, _, name = path.partition(":")
        _RUNNERS[path] = getattr(import_module(module), name)
    return _RUNNERS[path]


def run_chunk(chunk: Chunk) -> list[dict[str, Any]]:
    """Run every run of ``chunk``; never raises for a failing run."""
    from trustnet.experiment.threads import single_blas_thread

    runner = load_runner(chunk.runner)
    with single_blas_thread():
        return [_run_one(runner, chunk, run_id, seed, params, events)
                for run_id, seed, params, events in chunk.runs]


def _run_one(runner: Callable[..., Any], chunk: Chunk, run_id: int, seed: int,
             params: dict[str, Any], events: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    start = time.perf_counter()
    record: dict[str, Any] = {"run_id": run_id, "status": "ok", "error": None,
                              "summary": {}, "steps": None, "values": None}
    try:
        # only runs with events pass them, so that any runner with run_model's signature works
        more: dict[str, Any] = {"events": list(events)} if events else {}
        if chunk.members is not None:  # the roster sets the network's size
            params = {k: v for k, v in params.items() if k != "n_orgs"}
            more.update(members=chunk.members, ties=chunk.ties)
        elif chunk.sectors is not None:
            more.update(sectors=chunk.sectors)
        result = runner(params, seed=seed, steps=chunk.steps,
                        series_every=chunk.series_every if chunk.series else chunk.steps, **more)
        record["summary"] = {k: _number(v) for k, v in result.summary.items()}
        if chunk.series:
            frame = result.series.loc[:, list(chunk.series)]
            record["steps"] = frame.index.to_numpy(dtype="int64")
            record["values"] = frame.to_numpy(dtype="float64")
        if chunk.projects:
            record["projects"] = result.projects
    except Exception as exc:  # recorded with the run, the sweep goes on
        record["status"] = "error"
        record["error"] = f"{type(exc).__name__}: {exc}"
        record["traceback"] = traceback.format_exc(limit=-6)
    record["elapsed_s"] = time.perf_counter() - start
    return record


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")
