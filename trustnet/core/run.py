"""One run as a plain function: (parameters, seed) -> outcomes.

Sweeps, notebooks, tests and other tools (EMA Workbench, Mesa's runners) all call this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from trustnet.core.events import check_within
from trustnet.core.metrics import summarise
from trustnet.core.model import TrustNetworkModel
from trustnet.core.parameters import check_seed
from trustnet.core.scenarios import scenario_params


@dataclass
class RunResult:
    params: dict[str, Any]  # as the run started (events change them later)
    seed: int
    steps: int
    series: pd.DataFrame  # index "step", one column per reporter
    summary: dict[str, float]
    projects: pd.DataFrame  # one row per project created
    given_ties: pd.DataFrame | None = None  # the given ties' trust and strength at tie_months


def run_model(params: Mapping[str, Any] | None = None, *, scenario: str | None = None,
              seed: int = 0, steps: int = 120, series_every: int = 1,
              events: Sequence[Mapping[str, Any]] | None = None, members: Any = None,
              ties: Any = None, sectors: Any = None, tie_months: Sequence[int] = ()
              ) -> RunResult:
    """Run the model for ``steps`` months from ``seed``; parameters override the scenario's;
    ``events`` are what-ifs over time (:mod:`trustnet.core.events`), all within the run;
    ``members``, ``ties`` and ``sectors`` your own network (:mod:`trustnet.core.roster`,
    :mod:`trustnet.core.sectors`), whose given ties' trust and strength are kept at
    ``tie_months`` (0 is the start)."""
    steps = _whole(steps, "steps", 0)
    series_every = _whole(series_every, "series_every", 1)
    check_seed(seed)
    if members is not None and "n_orgs" in (params or {}):
        raise ValueError("parameter 'n_orgs': the roster of members sets it; give one or the "
                         "other")
    resolved = scenario_params(scenario, params) if scenario else dict(params or {})
    if members is not None:
        resolved.pop("n_orgs", None)
    months = sorted(set(tie_months))
    if any(not isinstance(m, int) or isinstance(m, bool) or not 0 <= m <= steps
           for m in months):
        raise ValueError(f"tie_months: got {list(tie_months)!r}; allowed: months 0 to {steps}")
    model = TrustNetworkModel(rng=seed, events=events, members=members, ties=ties,
                              sectors=sectors, **resolved)
    check_within(model.events, steps)
    kept = [model.given_tie_state()] if 0 in months else []
    for _ in range(steps):
        model.step()
        if model.steps in months:
            kept.append(model.given_tie_state())
    series = model.datacollector.get_model_vars_dataframe()
    series.index = pd.RangeIndex(len(series), name="step")
    summary = summarise(series, model.coordinator.all_tenures())
    if series_every > 1:
        keep = (series.index % series_every == 0) | (series.index == series.index[-1])
        series = series[keep]
    return RunResult(params=model.initial_params, seed=seed, steps=steps, series=series,
                     summary=summary, projects=model.projects.table(),
                     given_ties=pd.concat(kept, ignore_index=True) if kept else None)


def _whole(value: Any, name: str, low: int) -> int:
    """An integer argument (a numpy integer too, never a bool) of at least ``low``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name}: got {value!r}; allowed: an integer >= {low}")
    return int(value)
