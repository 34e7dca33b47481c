"""The statistics of a pattern check: arm means with intervals, paired and unpaired contrasts,
rank correlations.

Every replication r of every arm of a sweep shares its seed (common random numbers), so arms are
compared per replication: the mean paired difference with its Student-t interval, Cohen's d_z and
a Wilcoxon signed-rank test. Groups that are not paired (a split within one arm) get a
difference of means with a Welch interval, the rank-biserial correlation and a Mann-Whitney test.
All tests are two-sided; a check holds when p < ALPHA and both the estimate (a difference of
means) and the rank test's own effect (rank-biserial correlation) point the claimed way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from trustnet.stats import CONFIDENCE, mean_ci, paired_differences, t_quantile

ALPHA = 0.05
BOOTSTRAP = 2000  # resamples of the interval of a rank correlation


@dataclass
class Comparison:
    """One statistical check of a claim: an estimate, its interval, a test and the verdict."""

    name: str                 # short identifier (used by the tests)
    claim: str                # what should hold, in words
    kind: str                 # "paired", "unpaired", "correlation" or "one-sample"
    expected: int             # +1: the estimate should be positive, -1: negative, 0: no difference
    estimate: float           # difference (or correlation)
    ci_low: float
    ci_high: float
    n: int | str              # pairs, or "n1 / n2"
    test: str                 # name of the test
    statistic: float
    p_value: float
    effect: float             # standardised effect size
    effect_name: str
    rank_effect: float = np.nan  # the rank test's own direction (rank-biserial r)
    holds: bool = False

    def __post_init__(self) -> None:
        significant = bool(self.p_value < ALPHA)
        # the mean and the ranks must point the same way for a difference to count
        signs = {int(np.sign(self.estimate))}
        if np.isfinite(self.rank_effect):
            signs.add(int(np.sign(self.rank_effect)))
        if self.expected == 0:  # "no worse": not significantly negative
            self.holds = not (significant and -1 in signs)
        else:
            self.holds = bool(signs == {self.expected} and significant)

    @property
    def direction(self) -> str:
        return {1: "> 0", -1: "< 0", 0: "not significantly < 0"}[self.expected]


def paired(name: str, claim: str, a: Any, b: Any, expected: int) -> Comparison:
    """``a - b`` per replication (aligned arrays): mean, t interval, d_z, Wilcoxon signed-rank."""
    d = paired_differences(a, b)
    m, lo, hi, n = mean_ci(d)
    sd = d.std(ddof=1) if n > 1 else np.nan
    effect = m / sd if sd and np.isfinite(sd) and sd > 0 else (0.0 if m == 0 else np.nan)
    nz = d[d != 0]
    if len(nz) == 0:
        stat, p, rank = 0.0, 1.0, 0.0
    else:
        res = stats.wilcoxon(d, zero_method="wilcox", alternative="two-sided")
        stat, p = float(res.statistic), float(res.pvalue)
        ranks = stats.rankdata(np.abs(nz))  # matched-pairs rank-biserial correlation
        rank = float((ranks[nz > 0].sum() - ranks[nz < 0].sum()) / ranks.sum())
    return Comparison(name, claim, "paired", expected, m, lo, hi, n, "Wilcoxon signed-rank W",
                      stat, p, float(effect), "d_z", rank_effect=rank)


def one_sample(name: str, claim: str, x: Any, expected: int, reference: float = 0.0,
               ) -> Comparison:
    """``x - reference``: mean, t interval, d, Wilcoxon signed-rank against the reference."""
    x = np.asarray(x, dtype=float)
    c = paired(name, claim, x, np.full_like(x, reference), expected)
    c.kind, c.effect_name = "one-sample", "d"
    return c


def unpaired(name: str, claim: str, a: Any, b: Any, expected: int) -> Comparison:
    """Mean of ``a`` minus mean of ``b`` (Welch interval), rank-biserial r, Mann-Whitney U."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    na, nb = len(a), len(b)
    m = float(a.mean() - b.mean())
    va, vb = a.var(ddof=1) / na, b.var(ddof=1) / nb
    se = np.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1)) if se > 0 else na + nb - 2
    half = t_quantile(dof) * se
    res = stats.mannwhitneyu(a, b, alternative="two-sided")
    u = float(res.statistic)
    rank_biserial = 2 * u / (na * nb) - 1
    return Comparison(name, claim, "unpaired", expected, m, m - half, m + half, f"{na} / {nb}",
                      "Mann-Whitney U", u, float(res.pvalue), float(rank_biserial),
                      "rank-biserial r", rank_effect=float(rank_biserial))


def spearman(name: str, claim: str, x: Any, y: Any, expected: int, *, boot: int = BOOTSTRAP,
             seed: int = 0) -> Comparison:
    """Spearman's rho with a percentile bootstrap interval (fixed seed) and its t-test p-value."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    n = len(x)
    rho, p = stats.spearmanr(x, y)
    rng = np.random.default_rng(seed)
    rx, ry = stats.rankdata(x), stats.rankdata(y)
    idx = rng.integers(0, n, size=(boot, n))
    reps = np.array([stats.spearmanr(rx[i], ry[i])[0] for i in idx])
    lo, hi = np.nanquantile(reps, [(1 - CONFIDENCE) / 2, (1 + CONFIDENCE) / 2])
    return Comparison(name, claim, "correlation", expected, float(rho), float(lo), float(hi), n,
                      "Spearman rank correlation (t approximation)", float(rho), float(p),
                      float(rho), "rho")
