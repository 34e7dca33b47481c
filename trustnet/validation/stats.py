"""The statistics of a pattern check: arm means with intervals, paired and unpaired contrasts,
rank correlations, each judged by size against its smallest effect of interest.

Every replication r of every arm of a sweep shares its seed (common random numbers), so arms are
compared per replication: the mean paired difference with its Student-t interval, Cohen's d_z and
a Wilcoxon signed-rank test. Groups that are not paired (a split within one arm) get a
difference of means with a Welch interval, the rank-biserial correlation and a Mann-Whitney test.
All tests are two-sided. Every comparison carries a smallest effect of interest (SESOI): that of
the outcome it measures (:mod:`trustnet.core.reporters`), relative ones taken of the reference
arm's mean, or one the check declares with its reason; :mod:`trustnet.validation.judgement`
then says whether it holds, is negligible or is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from trustnet.core.reporters import outcome as declared_outcome
from trustnet.stats import CONFIDENCE, mean_ci, paired_differences, t_quantile
from trustnet.validation import judgement
from trustnet.validation.judgement import ALPHA, Margin

BOOTSTRAP = 2000  # resamples of the interval of a rank correlation
EQUIVALENCE = 1 - 2 * ALPHA  # the interval two one-sided tests at ALPHA correspond to


@dataclass
class Comparison:
    """One statistical check of a claim: an estimate, its intervals, a test, its size verdict."""

    name: str                 # short identifier (used by the tests)
    claim: str                # what should hold, in words
    kind: str                 # "paired", "unpaired", "correlation" or "one-sample"
    expected: int             # +1: the estimate should be positive, -1: negative, 0: no worse
    estimate: float           # difference (or correlation)
    ci_low: float
    ci_high: float
    n: int | str              # pairs, or "n1 / n2"
    test: str                 # name of the test
    statistic: float
    p_value: float
    effect: float             # standardised effect size
    effect_name: str
    margin: Margin            # the smallest effect of interest, in the estimate's unit
    equivalence: tuple[float, float]  # the (1 - 2 ALPHA) interval of the estimate
    reference: float = np.nan  # mean of the reference arm (relative changes are taken of it)
    rank_effect: float = np.nan  # the rank test's own direction (rank-biserial r)
    size: str = judgement.NOT_SHOWN
    # a least rank effect the check declares (value, reason): below it, a difference of
    # means that a few runs make does not count
    min_rank: tuple[float, str] | None = None

    def __post_init__(self) -> None:
        signs = {int(np.sign(self.estimate))}
        if np.isfinite(self.rank_effect):
            signs.add(int(np.sign(self.rank_effect)))
        self.size = judgement.status(
            self.estimate, self.expected, self.significant,
            directions_agree=signs == {self.expected}, interval=self.equivalence,
            margin=self.margin.value)
        if (self.size == judgement.HOLDS and self.min_rank is not None
                and not abs(self.rank_effect) >= self.min_rank[0]):
            self.size = judgement.NOT_SHOWN

    @property
    def significant(self) -> bool:
        return bool(self.p_value < ALPHA)

    @property
    def holds(self) -> bool:
        """Holds by size: significant the claimed way and at least the SESOI (or non-inferior)."""
        return self.size == judgement.HOLDS

    @property
    def relative(self) -> float:
        """The estimate relative to the reference arm's mean (nan where that means nothing)."""
        if (self.kind in ("correlation", "one-sample") or not np.isfinite(self.reference)
                or self.reference == 0):  # a threshold is no reference arm
            return np.nan
        return self.estimate / abs(self.reference)

    @property
    def direction(self) -> str:
        m = self.margin.describe()
        return {1: f">= +{m}", -1: f"<= -{m}", 0: f"no worse than -{m}"}[self.expected]


def margin_of(outcome: str | None, sesoi: tuple[float, str] | None, reference: float,
              relative: bool = False) -> Margin:
    """The SESOI of a check: declared with its outcome (``outcome``), or by the check
    (``sesoi`` = (value, reason); a share of the reference when ``relative``)."""
    if sesoi is not None:
        value, reason = sesoi
        if relative:
            return Margin(value * abs(reference), f"{value:.0%} of the reference: {reason}")
        return Margin(float(value), reason)
    if outcome is None:
        raise TypeError("a check needs the outcome it measures (outcome=) or its own "
                        "smallest effect of interest (sesoi=(value, reason))")
    o = declared_outcome(outcome)
    reason = f"that of {o.label} ({o.describe_sesoi()}): {o.sesoi_reason}"
    return Margin(o.margin(reference), reason)


def _finite_mean(x: Any) -> float:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    return float(x.mean()) if len(x) else np.nan


def paired(name: str, claim: str, a: Any, b: Any, expected: int, *, outcome: str | None = None,
           sesoi: tuple[float, str] | None = None, relative: bool = False) -> Comparison:
    """``a - b`` per replication (aligned arrays): mean, t interval, d_z, Wilcoxon signed-rank;
    ``b`` is the reference arm."""
    d = paired_differences(a, b)
    m, lo, hi, n = mean_ci(d)
    _, eq_lo, eq_hi, _ = mean_ci(d, EQUIVALENCE)
    sd = d.std(ddof=1) if n > 1 else np.nan
    effect = m / sd if sd and np.isfinite(sd) and sd > 0 else (0.0 if m == 0 else np.nan)
    nz = d[d != 0]
    if len(nz) == 0:
        stat, p, rank = 0.0, 1.0, 0.0
        if n > 1:  # no difference at all: exactly zero, certainly inside any margin
            eq_lo = eq_hi = 0.0
    else:
        res = stats.wilcoxon(d, zero_method="wilcox", alternative="two-sided")
        stat, p = float(res.statistic), float(res.pvalue)
        ranks = stats.rankdata(np.abs(nz))  # matched-pairs rank-biserial correlation
        rank = float((ranks[nz > 0].sum() - ranks[nz < 0].sum()) / ranks.sum())
    reference = _finite_mean(b)
    return Comparison(name, claim, "paired", expected, m, lo, hi, n, "Wilcoxon signed-rank W",
                      stat, p, float(effect), "d_z", margin_of(outcome, sesoi, reference, relative),
                      (eq_lo, eq_hi), reference, rank_effect=rank)


def one_sample(name: str, claim: str, x: Any, expected: int, reference: float = 0.0, *,
               outcome: str | None = None, sesoi: tuple[float, str] | None = None,
               ) -> Comparison:
    """``x - reference``: mean, t interval, d, Wilcoxon signed-rank against the reference."""
    x = np.asarray(x, dtype=float)
    c = paired(name, claim, x, np.full_like(x, reference), expected, outcome=outcome,
               sesoi=sesoi)
    c.kind, c.effect_name = "one-sample", "d"
    return c


def unpaired(name: str, claim: str, a: Any, b: Any, expected: int, *,
             outcome: str | None = None, sesoi: tuple[float, str] | None = None,
             relative: bool = False, min_rank: tuple[float, str] | None = None) -> Comparison:
    """Mean of ``a`` minus mean of ``b`` (Welch interval), rank-biserial r, Mann-Whitney U;
    ``min_rank`` is a least rank-biserial r the check needs besides its SESOI."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    na, nb = len(a), len(b)
    m = float(a.mean() - b.mean())
    va, vb = a.var(ddof=1) / na, b.var(ddof=1) / nb
    se = np.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1)) if se > 0 else na + nb - 2
    half = t_quantile(dof) * se
    eq_half = t_quantile(dof, EQUIVALENCE) * se
    res = stats.mannwhitneyu(a, b, alternative="two-sided")
    u = float(res.statistic)
    rank_biserial = 2 * u / (na * nb) - 1
    reference = float(b.mean())
    return Comparison(name, claim, "unpaired", expected, m, m - half, m + half, f"{na} / {nb}",
                      "Mann-Whitney U", u, float(res.pvalue), float(rank_biserial),
                      "rank-biserial r", margin_of(outcome, sesoi, reference, relative),
                      (m - eq_half, m + eq_half), reference, rank_effect=float(rank_biserial),
                      min_rank=min_rank)


def spearman(name: str, claim: str, x: Any, y: Any, expected: int, *,
             sesoi: tuple[float, str], boot: int = BOOTSTRAP, seed: int = 0) -> Comparison:
    """Spearman's rho with a percentile bootstrap interval (fixed seed) and its t-test p-value;
    ``sesoi`` is the smallest correlation of interest, with its reason."""
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
    eq_lo, eq_hi = np.nanquantile(reps, [ALPHA, 1 - ALPHA])
    return Comparison(name, claim, "correlation", expected, float(rho), float(lo), float(hi), n,
                      "Spearman rank correlation (t approximation)", float(rho), float(p),
                      float(rho), "rho", margin_of(None, sesoi, np.nan),
                      (float(eq_lo), float(eq_hi)))
