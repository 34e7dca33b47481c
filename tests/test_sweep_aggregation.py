"""Aggregation over replications: means, quantiles, intervals, and paired CRN differences."""

from __future__ import annotations

import math

import pytest

from trustnet.experiment import aggregate


def test_aggregate_gives_means_quantiles_and_intervals():
    import pandas as pd

    frame = pd.DataFrame({"arm": [0] * 4 + [1] * 4, "status": "ok",
                          "y": [1.0, 2.0, 3.0, 4.0, 10.0, 10.0, 10.0, 10.0]})
    table = aggregate(frame, "arm", ["y"])
    row = table.loc[0, "y"]
    assert row["n"] == 4 and row["mean"] == 2.5 and row["median"] == 2.5
    half = 3.182446305284263 * (pd.Series([1.0, 2.0, 3.0, 4.0]).std() / 2)  # t(0.975, 3)
    assert math.isclose(row["ci_high"] - row["mean"], half, rel_tol=1e-9)
    assert row["q05"] < row["q25"] < row["median"] < row["q75"] < row["q95"]
    constant = table.loc[1, "y"]
    assert constant["ci_low"] == constant["ci_high"] == 10.0
    long = aggregate(frame, "arm", ["y"], long=True)
    assert list(long["outcome"]) == ["y", "y"] and "ci_low" in long.columns


def test_paired_difference_uses_common_random_numbers():
    import pandas as pd

    from trustnet.experiment import paired_difference

    # arm b = arm a + 1 exactly in every replication, though replications vary a lot
    frame = pd.DataFrame({"label": ["a"] * 5 + ["b"] * 5, "replication": list(range(5)) * 2,
                          "y": [0.0, 10.0, 20.0, 30.0, 40.0, 1.0, 11.0, 21.0, 31.0, 41.0]})
    table = paired_difference(frame, "label", "a", ["y"])
    row = table.iloc[0]
    assert row["label"] == "b" and row["n"] == 5 and row["difference"] == 1.0
    assert row["ci_low"] == row["ci_high"] == 1.0
    with pytest.raises(ValueError, match="baseline 'c'"):
        paired_difference(frame, "label", "c", ["y"])
