"""Replicated comparisons for behavioural tests: fixed seeds, common random numbers, a
one-sided Mann-Whitney test on the outcome of interest."""

from __future__ import annotations

import numpy as np
from scipy.stats import mannwhitneyu, wilcoxon

from trustnet.core.run import run_model

ALPHA = 0.01


def outcomes(params: dict, outcome: str | tuple[str, ...], *, seeds=range(12),
             steps: int = 60) -> np.ndarray:
    """``outcome`` (a summary outcome, or the sum of several) of one run per seed."""
    names = (outcome,) if isinstance(outcome, str) else outcome
    results = (run_model(params, seed=s, steps=steps).summary for s in seeds)
    return np.array([sum(r[name] for name in names) for r in results])


def assert_greater(high: np.ndarray, low: np.ndarray, label: str = "", *,
                   paired: bool = False) -> None:
    """``high`` is greater than ``low``: one-sided Mann-Whitney, or Wilcoxon signed-rank when
    the two come in pairs (the same run, or the same seed in both arms); alpha 1%."""
    if paired:
        p = wilcoxon(high, low, alternative="greater").pvalue
    else:
        p = mannwhitneyu(high, low, alternative="greater").pvalue
    assert p < ALPHA, (
        f"{label}: expected greater, medians {np.median(high):.4g} vs {np.median(low):.4g}, "
        f"p = {p:.3g}")
