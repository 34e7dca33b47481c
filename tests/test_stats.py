"""trustnet.stats, the one place of mean intervals and paired differences, against scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from trustnet.stats import (
    column_mean_ci,
    half_width,
    mean_ci,
    paired_differences,
    paired_mean_ci,
)


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_mean_interval_is_scipys_student_t_interval(confidence):
    x = np.random.default_rng(1).normal(3.0, 2.0, size=17)
    m, lo, hi, n = mean_ci(x, confidence)
    ref_lo, ref_hi = stats.t.interval(confidence, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert n == 17 and m == pytest.approx(x.mean())
    assert (lo, hi) == pytest.approx((ref_lo, ref_hi), rel=1e-12)


def test_mean_interval_skips_missing_values_and_needs_two():
    m, lo, hi, n = mean_ci([1.0, np.nan, 3.0, np.inf])
    assert n == 2 and m == 2.0 and lo < 2.0 < hi
    one = mean_ci([5.0, np.nan])
    assert one.n == 1 and one.mean == 5.0 and np.isnan(one.ci_low) and np.isnan(one.ci_high)
    none = mean_ci([])
    assert none.n == 0 and np.isnan(none.mean)


def test_half_width_is_elementwise_and_undefined_below_two():
    half = half_width([1.0, 2.0, 2.0, 1.0], [0, 1, 5, 30])
    assert np.isnan(half[:2]).all()
    assert half[2] == pytest.approx(stats.t.ppf(0.975, 4) * 2.0 / np.sqrt(5))
    assert half[3] == pytest.approx(stats.t.ppf(0.975, 29) / np.sqrt(30))


def test_paired_interval_is_scipys_paired_t_interval():
    rng = np.random.default_rng(2)
    a = rng.normal(size=25)
    b = a + rng.normal(0.3, 0.5, size=25)
    a[3], b[7] = np.nan, np.nan  # pairs with a missing side drop out
    ok = np.isfinite(a) & np.isfinite(b)
    assert list(paired_differences(a, b)) == list(a[ok] - b[ok])
    m, lo, hi, n = paired_mean_ci(a, b)
    ci = stats.ttest_rel(a[ok], b[ok]).confidence_interval(0.95)
    assert n == 23 and m == pytest.approx((a[ok] - b[ok]).mean())
    assert (lo, hi) == pytest.approx((ci.low, ci.high), rel=1e-10)


def test_column_intervals_match_the_single_interval():
    wide = pd.DataFrame({0: [1.0, 2.0, 4.0], 3: [2.0, np.nan, 5.0], 6: [1.0, np.nan, np.nan]})
    ci = column_mean_ci(wide)
    assert list(ci.index) == [0, 3, 6] and list(ci["n"]) == [3, 2, 1]
    for step in (0, 3):
        m, lo, hi, _ = mean_ci(wide[step])
        assert ci.loc[step, ["mean", "ci_low", "ci_high"]].tolist() == pytest.approx([m, lo, hi])
    assert np.isnan(ci.loc[6, "ci_low"]) and ci.loc[6, "mean"] == 1.0


def test_sweep_aggregates_and_validation_use_the_same_intervals():
    from trustnet.experiment import aggregate, paired_difference
    from trustnet.validation.analysis import row

    values = np.random.default_rng(3).normal(size=(2, 12))
    frame = pd.DataFrame({"arm": np.repeat([0, 1], 12), "replication": np.tile(range(12), 2),
                          "status": "ok", "y": values.ravel()})
    agg = aggregate(frame, "arm", ["y"])["y"]
    for arm in (0, 1):
        m, lo, hi, n = mean_ci(values[arm])
        assert agg.loc[arm, ["mean", "ci_low", "ci_high"]].tolist() == pytest.approx([m, lo, hi])
        r = row(f"arm {arm}", "y", values[arm])
        assert (r["mean"], r["ci_low"], r["ci_high"], r["n"]) == (m, lo, hi, n)
    diff = paired_difference(frame, "arm", 0, ["y"]).iloc[0]
    m, lo, hi, n = paired_mean_ci(values[1], values[0])
    assert (diff["difference"], diff["ci_low"], diff["ci_high"], diff["n"]) == (m, lo, hi, n)
