"""Global sensitivity analysis (SALib): Morris elementary effects or Sobol indices.

The sample points of the method become the arms of an ordinary sweep (same engines, same
resumable store); each point is replicated with common random numbers and the replication mean
of each outcome is analysed. A sensitivity spec uses ``scenario``, ``[base]``, ``steps``,
``replications``, ``seed`` and ``[sensitivity]``; ``[axes]``, ``[[arms]]`` and ``[samples]`` are
ignored.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from trustnet.experiment.spec import Spec, SpecError, load_spec


@dataclass(frozen=True)
class IndexColumns:
    """The index columns a method's rows carry, the one that ranks parameters, its name."""

    columns: tuple[str, ...]
    main: str
    label: str


INDICES = {
    "morris": IndexColumns(("mu", "mu_star", "sigma", "mu_star_conf"), "mu_star",
                           "Morris mu*"),
    "sobol": IndexColumns(("S1", "S1_conf", "ST", "ST_conf"), "ST",
                          "Sobol total-order index ST"),
}
METHODS = tuple(INDICES)


@dataclass
class SensitivityResult:
    indices: Any  # pandas frame: outcome, parameter, index columns, rank, note
    runs: Any
    method: str
    problem: dict[str, Any]
    out: Path | None = None
    convergence: Any = None  # Sobol: per outcome, the indices at N/2 against those at N


def problem_of(spec: Spec) -> dict[str, Any]:
    ranges = spec.sensitivity.ranges
    return {"num_vars": len(ranges), "names": list(ranges),
            "bounds": [[float(lo), float(hi)] for lo, hi in ranges.values()]}


def sample(spec: Spec, method: str) -> Any:
    """The method's design matrix (one row per parameter set, unscaled to types)."""
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    from trustnet.experiment.seeds import derived_seed

    s = spec.sensitivity
    problem = problem_of(spec)
    seed = derived_seed(spec.seed, f"sensitivity-{method}")
    if method == "morris":
        return morris_sample.sample(problem, N=s.trajectories, num_levels=s.levels, seed=seed)
    return sobol_sample.sample(problem, N=s.samples, calc_second_order=s.second_order, seed=seed)


def check(spec: Spec, method: str) -> None:
    """Reject what would fail or mislead before anything runs."""
    where = spec.source
    if method not in METHODS:
        raise SpecError(f"unknown method '{method}'; allowed: {', '.join(METHODS)}")
    if spec.sensitivity is None:
        raise SpecError(f"{where}: [sensitivity]: missing; give [sensitivity.ranges] with "
                        "name = [low, high] for the parameters to analyse")
    s = spec.sensitivity
    if method == "morris" and len(s.ranges) < 2:
        raise SpecError(f"{where}: [sensitivity.ranges]: morris needs at least 2 parameters")
    for name in s.ranges:
        if name in spec.base:
            raise SpecError(f"{where}: [sensitivity.ranges] {name}: also set in [base]; "
                            "allowed: a parameter varied in one place only")


def run_sensitivity(spec: Spec | dict | str | Path, method: str = "morris",
                    out: str | Path | None = None, **sweep_options: Any) -> SensitivityResult:
    """Sample, run (any engine, resumable when ``out`` is given), analyse; write indices."""
    import numpy as np
    import pandas as pd

    from trustnet.experiment.design import scale_points
    from trustnet.experiment.runner import run_sweep
    from trustnet.experiment.tables import ok_runs, outcome_column, summary_outcomes

    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    check(spec, method)
    spec = replace(spec, arms=(), axes={}, samples=None, series=None)
    problem = problem_of(spec)
    X = sample(spec, method)
    unit = (X - np.array([b[0] for b in problem["bounds"]])) / np.array(
        [b[1] - b[0] for b in problem["bounds"]])
    points = scale_points(np.clip(unit, 0.0, 1.0), spec.sensitivity.ranges)
    extra = f"sensitivity:{method}"
    result = run_sweep(spec, out, points=points, fingerprint_extra=extra, **sweep_options)

    outcomes = spec.sensitivity.outcomes or summary_outcomes()
    runs = result.runs
    ok = ok_runs(runs)
    rows = []
    for outcome in outcomes:
        col = outcome_column(outcome)
        y = ok.groupby("arm")[col].mean().reindex(range(len(points))).to_numpy()
        rows += analyse(problem, X, y, method, spec, outcome)
    indices = pd.DataFrame(rows)
    convergence = None
    if method == "sobol" and spec.sensitivity.samples >= 4:
        convergence = converge(problem, spec, outcomes, ok, len(points), indices)
    if out is not None:
        out = Path(out)
        indices.to_csv(out / f"indices_{method}.csv", index=False)
        if convergence is not None:
            convergence.to_csv(out / "convergence_sobol.csv", index=False)
        from trustnet.plots import sensitivity_figure
        fig = sensitivity_figure(indices, method)
        fig.savefig(out / f"sensitivity_{method}.png", dpi=120, bbox_inches="tight")
    return SensitivityResult(indices=indices, runs=runs, method=method, problem=problem,
                             out=out, convergence=convergence)


def converge(problem: dict[str, Any], spec: Spec, outcomes: Any, ok: Any, n_points: int,
             indices: Any) -> Any:
    """Sobol indices from the first half of the base samples against those from all of them.

    SALib lays out a Sobol design base sample by base sample, so its first half is the design
    at N/2: no extra runs. An analysis has converged where the total-order indices, their
    ranking and the set of the most influential parameters no longer move from N/2 to N.
    """
    import numpy as np
    import pandas as pd
    from scipy.stats import spearmanr

    from trustnet.experiment.tables import outcome_column

    half = replace(spec, sensitivity=replace(spec.sensitivity,
                                             samples=spec.sensitivity.samples // 2))
    rows = []
    for outcome in outcomes:
        full = indices[indices["outcome"] == outcome]
        y = ok.groupby("arm")[outcome_column(outcome)].mean().reindex(range(n_points))
        y = y.to_numpy()[: n_points // 2]
        early = pd.DataFrame(analyse(problem, None, y, "sobol", half, outcome))
        a, b = early["ST"].to_numpy(), full["ST"].to_numpy()
        if np.isnan(a).all() or np.isnan(b).all():
            rows.append({"outcome": outcome, "note": full["note"].iloc[0] or early["note"].iloc[0]})
            continue
        top_a = set(early.nsmallest(5, "rank")["parameter"])
        top_b = set(full.nsmallest(5, "rank")["parameter"])
        rows.append({
            "outcome": outcome,
            "largest_ST_change": float(np.nanmax(np.abs(a - b))),
            "rank_correlation": float(spearmanr(a, b, nan_policy="omit").statistic),
            "top5_kept": len(top_a & top_b),
            "widest_ST_interval": float(np.nanmax(full["ST_conf"])),
            "note": ""})
    return pd.DataFrame(rows)


def analyse(problem: dict[str, Any], X: Any, y: Any, method: str, spec: Spec,
            outcome: str) -> list[dict[str, Any]]:
    """Index rows of one outcome, ranked (1 = most influential)."""
    import numpy as np
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze

    from trustnet.experiment.seeds import derived_seed

    names = problem["names"]
    keys, key = INDICES[method].columns, INDICES[method].main
    note = ""
    if np.isnan(y).any():
        note = "runs failed at some sample points"
    elif np.ptp(y) == 0:
        note = "constant outcome"
    if note:
        return [{"outcome": outcome, "parameter": n, **dict.fromkeys(keys, np.nan),
                 "rank": np.nan, "note": note} for n in names]
    seed = derived_seed(spec.seed, f"analyse-{method}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if method == "morris":
            res = morris_analyze.analyze(problem, X, y, num_levels=spec.sensitivity.levels,
                                         seed=seed)
        else:
            res = sobol_analyze.analyze(problem, y, calc_second_order=spec.sensitivity.
                                        second_order, seed=seed)
    rows = [{"outcome": outcome, "parameter": n,
             **{k: float(np.asarray(res[k])[i]) for k in keys}, "note": ""}
            for i, n in enumerate(names)]
    order = sorted(range(len(rows)), key=lambda i: -np.nan_to_num(rows[i][key], nan=-np.inf))
    for rank, i in enumerate(order, start=1):
        rows[i]["rank"] = rank
    return rows
