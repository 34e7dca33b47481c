"""Summaries over replications: mean, spread, quantiles and confidence intervals per arm.

Works on any tidy frame (the runs table, or the series table grouped by step too), so that the
same numbers feed tables, plots and statistical checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

STATS = ("n", "mean", "sd", "ci_low", "ci_high", "q05", "q25", "median", "q75", "q95")


def aggregate(frame: Any, by: str | Sequence[str], outcomes: Sequence[str] | None = None, *,
              confidence: float = 0.95, long: bool = False) -> Any:
    """Per group of ``by``: n, mean, sd, Student-t confidence interval and quantiles.

    Failed runs (status != "ok") are left out of the statistics (a group whose runs all
    failed has n = 0). Returns a wide frame with columns
    ``(outcome, stat)`` or, with ``long=True``, one row per group and outcome.
    """
    import numpy as np
    import pandas as pd

    from trustnet.experiment.tables import ok_mask
    from trustnet.stats import half_width

    by = [by] if isinstance(by, str) else list(by)
    if outcomes is None:
        outcomes = default_outcomes(frame, exclude=by)
    outcomes = list(outcomes)
    missing = [c for c in [*by, *outcomes] if c not in frame.columns]
    if missing:
        raise ValueError(f"columns not in the frame: {', '.join(missing)}")
    data = frame[[*by, *outcomes]]
    # failed runs count as missing values (n can be 0)
    data = data.where(ok_mask(frame)[:, None] | np.isin(data.columns, by)[None, :])

    grouped = data.groupby(by, sort=True, dropna=False)[outcomes]
    n = grouped.count()
    mean = grouped.mean()
    sd = grouped.std(ddof=1)
    half = pd.DataFrame(half_width(sd.to_numpy(), n.to_numpy(), confidence), index=n.index,
                        columns=n.columns)
    pieces = {"n": n, "mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half,
              "q05": grouped.quantile(0.05), "q25": grouped.quantile(0.25),
              "median": grouped.quantile(0.5), "q75": grouped.quantile(0.75),
              "q95": grouped.quantile(0.95)}
    wide = pd.concat(pieces, axis=1)  # columns (stat, outcome)
    wide = wide.swaplevel(0, 1, axis=1)
    wide = wide.reindex(columns=pd.MultiIndex.from_product([outcomes, STATS]))
    if not long:
        return wide
    out = wide.stack(level=0, future_stack=True).reset_index()
    return out.rename(columns={f"level_{len(by)}": "outcome"})


def default_outcomes(frame: Any, exclude: Sequence[str] = ()) -> list[str]:
    """Numeric outcome columns of a runs or series table (not ids, seeds or parameters)."""
    from trustnet.core.parameters import PARAMETERS
    from trustnet.experiment.tables import RUN_KEYS, SERIES_KEYS

    skip = set(RUN_KEYS) | set(SERIES_KEYS) | set(PARAMETERS) | set(exclude)
    return [c for c in frame.columns if c not in skip and frame[c].dtype.kind in "fiu"]


def paired_difference(frame: Any, by: str, baseline: Any, outcomes: Sequence[str], *,
                      confidence: float = 0.95) -> Any:
    """Each arm minus the ``baseline`` arm, paired by replication (common random numbers).

    Replication r of every arm shares its seed, so the per-replication difference removes the
    noise the arms have in common; its mean and Student-t interval are usually much tighter
    than the difference of two independent means. ``by`` is the column that names arms (e.g.
    "label" or a swept parameter); other swept columns must be fixed beforehand.
    """
    import pandas as pd

    from trustnet.experiment.tables import ok_runs
    from trustnet.stats import paired_mean_ci

    data = ok_runs(frame)
    if baseline not in set(data[by]):
        raise ValueError(f"baseline {baseline!r} not among the values of {by!r}: "
                         f"{', '.join(map(str, dict.fromkeys(data[by])))}")
    if data.groupby([by, "replication"]).size().max() > 1:
        raise ValueError(f"several runs per ({by}, replication): fix the other swept columns "
                         "first (e.g. frame[frame.ambition == 0.8])")
    rows = []
    for outcome in outcomes:
        wide = data.pivot(index="replication", columns=by, values=outcome)
        for arm in wide.columns:
            if arm == baseline:
                continue
            mean, low, high, n = paired_mean_ci(wide[arm], wide[baseline], confidence)
            rows.append({by: arm, "outcome": outcome, "n": n, "difference": mean,
                         "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)
