"""Every reporter and summary outcome is declared once, and the declarations hold in runs."""

import math

import pytest

from trustnet import run_model
from trustnet.core.metrics import REPORTERS, SUMMARY_OUTCOMES
from trustnet.core.reporters import HIGHER, LOWER, MAIN_OUTCOMES, OUTCOMES, label, outcome


def test_every_outcome_is_declared_with_a_reasoned_smallest_effect():
    assert set(SUMMARY_OUTCOMES) == set(OUTCOMES) and set(REPORTERS) <= set(OUTCOMES)
    for o in OUTCOMES.values():
        assert o.sesoi > 0 and len(o.sesoi_reason) > 20, o.name
        assert o.better in (None, HIGHER, LOWER) and o.label and o.unit and o.meaning
        if o.relative:
            assert o.sesoi < 1, o.name
    assert {"mean_trust", "output", "active_members"} <= set(MAIN_OUTCOMES)


def test_margins_are_absolute_or_a_share_of_the_reference():
    assert outcome("mean_trust").margin(0.6) == pytest.approx(0.02)
    assert outcome("output").margin(80.0) == pytest.approx(8.0)
    assert outcome("output").describe_sesoi() == "10% of the reference"
    assert outcome("active_members").describe_sesoi() == "1 member"
    assert label("mean_trust") == "mean trust between members"
    with pytest.raises(ValueError, match="unknown outcome 'mean_trsut'; did you mean 'mean_trust'"):
        outcome("mean_trsut")


@pytest.mark.parametrize("params", [{}, {"governance": "shared", "n_orgs": 12},
                                    {"mandated": True, "ambition": 2.0},
                                    {"nao_withdrawal_step": 20, "takeover": 1.0}])
def test_runs_stay_within_the_declared_ranges(params):
    result = run_model(params, seed=2, steps=60)
    for name, o in OUTCOMES.items():
        if o.reporter:
            values = result.series[name]
            assert values.notna().all(), name
            assert values.min() >= o.low - 1e-9, name
            if o.high is not None:
                assert values.max() <= o.high + 1e-9, name
        value = result.summary[name]
        assert math.isfinite(value) and value >= o.low - 1e-9, name
        assert o.high is None or value <= o.high + 1e-9, name
