"""One run as a plain function: (parameters, seed) -> outcomes.

Sweeps, notebooks, tests and other tools (EMA Workbench, Mesa's runners) all call this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from trustnet.core.events import check_within
from trustnet.core.metrics import summarise
from trustnet.core.model import TrustNetworkModel
from trustnet.core.scenarios import scenario_params


@dataclass
class RunResult:
    params: dict[str, Any]
    seed: int
    steps: int
    series: pd.DataFrame  # index "step", one column per reporter
    summary: dict[str, float]
    projects: pd.DataFrame  # one row per project created


def run_model(params: Mapping[str, Any] | None = None, *, scenario: str | None = None,
              seed: int = 0, steps: int = 120, series_every: int = 1,
              events: Sequence[Mapping[str, Any]] | None = None) -> RunResult:
    """Run the model for ``steps`` months from ``seed``; parameters override the scenario's;
    ``events`` are what-ifs over time (:mod:`trustnet.core.events`), all within the run."""
    if not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps: got {steps!r}; allowed: an integer >= 0")
    if not isinstance(series_every, int) or series_every < 1:
        raise ValueError(f"series_every: got {series_every!r}; allowed: an integer >= 1")
    resolved = scenario_params(scenario, params) if scenario else dict(params or {})
    model = TrustNetworkModel(rng=seed, events=events, **resolved)
    check_within(model.events, steps)
    for _ in range(steps):
        model.step()
    series = model.datacollector.get_model_vars_dataframe()
    series.index = pd.RangeIndex(len(series), name="step")
    summary = summarise(series, model.coordinator.all_tenures())
    if series_every > 1:
        keep = (series.index % series_every == 0) | (series.index == series.index[-1])
        series = series[keep]
    return RunResult(params=dict(model.params), seed=seed, steps=steps, series=series,
                     summary=summary, projects=model.projects.table())
