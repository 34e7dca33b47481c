"""Helpers shared by the sweep tests (a runner that fails on purpose, small specs)."""

from __future__ import annotations

from typing import Any

SMALL = {"n_orgs": 8}


def failing_runner(params: dict[str, Any], *, seed: int, steps: int, series_every: int = 1):
    """The real run, except that ambition above 2 raises (a stand-in for a model error)."""
    from trustnet.core.run import run_model

    if params["ambition"] > 2:
        raise RuntimeError(f"ambition {params['ambition']} is out of the tested range")
    return run_model(params, seed=seed, steps=steps, series_every=series_every)


def comparable(frame):
    """A runs table without what legitimately differs between engines (timings)."""
    return frame.drop(columns=["elapsed_s"]).sort_values("run_id").reset_index(drop=True)


def _marked(params: dict[str, Any]) -> bool:
    """Whether the marker file the test named in TRUSTNET_TEST_MARKER exists and this run is
    one the test picked (ambition 1.5)."""
    import os

    marker = os.environ.get("TRUSTNET_TEST_MARKER")
    return bool(marker) and os.path.exists(marker) and params["ambition"] == 1.5


def dying_runner(params: dict[str, Any], *, seed: int, steps: int, series_every: int = 1):
    """The real run, except that a picked run kills its worker process (out of memory, say)."""
    import os
    import signal

    from trustnet.core.run import run_model

    if _marked(params):
        os.kill(os.getpid(), signal.SIGKILL)
    return run_model(params, seed=seed, steps=steps, series_every=series_every)


def flaky_runner(params: dict[str, Any], *, seed: int, steps: int, series_every: int = 1):
    """The real run, except that picked runs fail while the marker file exists."""
    from trustnet.core.run import run_model

    if _marked(params):
        raise RuntimeError("a transient failure")
    return run_model(params, seed=seed, steps=steps, series_every=series_every)


def box_runner(params: dict[str, Any], *, seed: int, steps: int, series_every: int = 1):
    """A stand-in for the model whose network collapses exactly when takeover > 0.6 and
    volunteering < 0.3 (a known answer for scenario discovery)."""
    from types import SimpleNamespace

    from trustnet.core.reporters import SUMMARY_OUTCOMES

    collapse = params["takeover"] > 0.6 and params["volunteering"] < 0.3
    summary = dict.fromkeys(SUMMARY_OUTCOMES, 0.0)
    summary.update(active_members=5.0 if collapse else 30.0, mean_trust=0.5)
    return SimpleNamespace(summary=summary)
