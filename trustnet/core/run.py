"""One run as a plain function: (parameters, seed) -> outcomes.

Sweeps, notebooks, tests and other tools (EMA Workbench, Mesa's runners) all call this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from trustnet.core.events import check_within
from trustnet.core.metrics import summarise
from trustnet.core.model import TrustNetworkModel
from trustnet.core.parameters import check_seed
from trustnet.core.scenarios import scenario_params


class RunResult:
    """A run's outcomes; its time series and projects become tables when first read (a sweep
    that keeps only summaries never pays for them)."""

    def __init__(self, params: dict[str, Any], seed: int, steps: int,
                 values: dict[str, np.ndarray], series_every: int, summary: dict[str, float],
                 portfolio: Any, given_ties: pd.DataFrame | None = None) -> None:
        self.params = params  # as the run started (events change them later)
        self.seed = seed
        self.steps = steps
        self.summary = summary
        self.given_ties = given_ties  # the given ties' trust and strength at tie_months
        self.values = values  # reporter -> its value at steps 0 .. steps
        self._every = series_every
        self._portfolio = portfolio
        self._series: pd.DataFrame | None = None
        self._projects: pd.DataFrame | None = None

    @property
    def series(self) -> pd.DataFrame:
        """Index "step", one column per reporter (every ``series_every``-th step and the last)."""
        if self._series is None:
            series = pd.DataFrame(self.values)
            series.index = pd.RangeIndex(len(series), name="step")
            if self._every > 1:
                keep = (series.index % self._every == 0) | (series.index == series.index[-1])
                series = series[keep]
            self._series = series
        return self._series

    @property
    def projects(self) -> pd.DataFrame:
        """One row per project created."""
        if self._projects is None:
            self._projects = self._portfolio.table()
        return self._projects


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
    values = {name: np.asarray(v, dtype=np.float64)
              for name, v in model.datacollector.model_vars.items()}
    return RunResult(model.initial_params, seed, steps, values, series_every,
                     summarise(values, model.coordinator.all_tenures()), model.projects,
                     pd.concat(kept, ignore_index=True) if kept else None)


def _whole(value: Any, name: str, low: int) -> int:
    """An integer argument (a numpy integer too, never a bool) of at least ``low``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name}: got {value!r}; allowed: an integer >= {low}")
    return int(value)
