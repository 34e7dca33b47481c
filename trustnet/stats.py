"""Means over replications with Student-t intervals, and paired differences.

The one place these are computed: sweep summaries (:mod:`trustnet.experiment.aggregation`),
figures (:mod:`trustnet.plots`) and the validation (:mod:`trustnet.validation`) all use it.
The half width of a mean's interval is ``t * sd / sqrt(n)``, with ``t`` the ``(1 + confidence)
/ 2`` quantile of Student's t with ``n - 1`` degrees of freedom; with fewer than two values it
is NaN. Paired differences are taken over the pairs where both values are finite (replication
r of every arm shares its seed, so they remove the noise the arms have in common).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from scipy import stats

CONFIDENCE = 0.95


class MeanCI(NamedTuple):
    mean: float
    ci_low: float
    ci_high: float
    n: int


def t_quantile(dof: Any, confidence: float = CONFIDENCE) -> Any:
    """The two-sided ``confidence`` quantile of Student's t with ``dof`` degrees of freedom."""
    return stats.t.ppf(0.5 + confidence / 2, dof)


def half_width(sd: Any, n: Any, confidence: float = CONFIDENCE) -> Any:
    """Half width of the Student-t interval of a mean, elementwise; NaN where ``n < 2``."""
    n = np.asarray(n, dtype=float)
    sd = np.asarray(sd, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        half = t_quantile(np.maximum(n - 1, 1), confidence) * sd / np.sqrt(n)
    return np.where(n > 1, half, np.nan)


def mean_ci(values: Any, confidence: float = CONFIDENCE) -> MeanCI:
    """Mean, Student-t interval and n of the finite values (NaN where undefined)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return MeanCI(np.nan, np.nan, np.nan, 0)
    m = float(x.mean())
    if n < 2:
        return MeanCI(m, np.nan, np.nan, n)
    half = float(half_width(x.std(ddof=1), n, confidence))
    return MeanCI(m, m - half, m + half, n)


def paired_differences(a: Any, b: Any) -> np.ndarray:
    """``a - b`` over the pairs (aligned arrays) where both values are finite."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    ok = np.isfinite(a) & np.isfinite(b)
    return a[ok] - b[ok]


def paired_mean_ci(a: Any, b: Any, confidence: float = CONFIDENCE) -> MeanCI:
    """Mean of the paired differences ``a - b`` with its Student-t interval and n."""
    return mean_ci(paired_differences(a, b), confidence)


def column_mean_ci(wide: Any, confidence: float = CONFIDENCE) -> Any:
    """Per column of a frame (e.g. replications x steps): n, mean and interval (NaNs skipped).

    Returns a frame indexed by the columns of ``wide`` with columns n, mean, ci_low, ci_high.
    """
    import pandas as pd

    n = wide.count()
    mean = wide.mean()
    half = half_width(wide.std(ddof=1).to_numpy(), n.to_numpy(), confidence)
    return pd.DataFrame({"n": n, "mean": mean, "ci_low": mean - half, "ci_high": mean + half})
