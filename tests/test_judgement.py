"""Judging checks by size and emergence, on numbers whose answer is known."""

import math

import numpy as np
import pytest

from trustnet.validation import judgement as j


def test_a_large_significant_effect_holds_and_a_tiny_one_is_negligible():
    assert j.status(0.05, 1, True, True, (0.04, 0.06), margin=0.02) == j.HOLDS
    # significant, but far inside the margin: negligible, not "reproduced"
    assert j.status(0.004, 1, True, True, (0.003, 0.005), margin=0.02) == j.NEGLIGIBLE
    # significant and beyond the margin, but the other way round
    assert j.status(-0.05, 1, True, True, (-0.06, -0.04), margin=0.02) == j.NOT_SHOWN
    # too uncertain to say either
    assert j.status(0.01, 1, False, True, (-0.03, 0.05), margin=0.02) == j.NOT_SHOWN


def test_rank_disagreement_is_not_a_hold():
    assert j.status(0.05, 1, True, False, (0.04, 0.06), margin=0.02) != j.HOLDS


def test_no_worse_is_non_inferiority_within_the_margin():
    assert j.status(-0.01, 0, False, True, (-0.015, -0.005), margin=0.02) == j.HOLDS
    assert j.status(-0.01, 0, True, True, (-0.03, 0.01), margin=0.02) == j.NOT_SHOWN


def test_surviving_share_is_clipped_and_decides_emergence():
    assert j.surviving_share(0.1, 0.08) == pytest.approx(0.8)
    assert j.surviving_share(0.1, 0.2) == 1.0 and j.surviving_share(0.1, -0.1) == 0.0
    assert math.isnan(j.surviving_share(0.0, 0.1))
    assert j.emergence(0.8) == j.EMERGENT and j.emergence(0.1) == j.BUILT_IN
    assert j.emergence(None, by_construction=True) == j.BY_CONSTRUCTION
    assert j.emergence(math.nan) == j.NO_KNOCKOUT


def test_pattern_verdicts_need_every_check_by_size():
    assert j.pattern_verdict([j.HOLDS, j.HOLDS]) == "reproduced"
    assert j.pattern_verdict([j.HOLDS, j.NEGLIGIBLE]) == "partly"
    assert j.pattern_verdict([j.NEGLIGIBLE, j.NOT_SHOWN]) == "not reproduced"
    assert j.pattern_emergence([j.EMERGENT, j.EMERGENT]) == j.EMERGENT
    assert j.pattern_emergence([j.EMERGENT, j.BUILT_IN]) == j.BUILT_IN


def test_a_pattern_with_a_check_by_construction_is_not_emergent():
    assert j.pattern_emergence([j.EMERGENT, j.BY_CONSTRUCTION]) == "partly by construction"
    assert j.pattern_emergence([j.BY_CONSTRUCTION]) == j.BY_CONSTRUCTION
    assert j.pattern_emergence([j.NO_KNOCKOUT, j.NO_KNOCKOUT]) == j.NO_KNOCKOUT


# --- on synthetic frames: the rules applied to whole comparisons and patterns -----------------
def _paired(effect, noise=0.01, n=100, seed=0, outcome="mean_trust"):
    from trustnet.validation import stats as st

    rng = np.random.default_rng(seed)
    base = 0.5 + rng.normal(0, 0.05, n)
    return st.paired("x", "a - b", base + effect + rng.normal(0, noise, n), base, 1,
                     outcome=outcome)


def test_on_synthetic_runs_a_large_effect_holds_and_a_tiny_significant_one_is_negligible():
    large = _paired(0.05)
    assert large.p_value < 1e-6 and large.size == j.HOLDS and large.holds
    tiny = _paired(0.004)
    assert tiny.p_value < 0.001  # significant with 100 pairs ...
    assert tiny.size == j.NEGLIGIBLE and not tiny.holds  # ... but a fifth of the SESOI
    noisy = _paired(0.02, noise=0.2)
    assert noisy.size == j.NOT_SHOWN


def test_relative_margins_are_taken_of_the_reference_arm():
    from trustnet.validation import stats as st

    rng = np.random.default_rng(1)
    stay = 100 + rng.normal(0, 5, 100)
    assert st.paired("x", "", stay * 0.95, stay, -1, outcome="output").size == j.NEGLIGIBLE
    drop = st.paired("x", "", stay * 0.8, stay, -1, outcome="output")
    assert drop.size == j.HOLDS and drop.margin.value == pytest.approx(0.1 * stay.mean())
    assert drop.relative == pytest.approx(-0.2, abs=0.01)


def test_a_knockout_that_removes_the_effect_marks_the_pattern_built_in():
    from trustnet.validation.analysis import PatternResult, check_from, verdict_of
    from trustnet.validation.controls import Controls, Knockout, apply

    def result(effect_a, effect_b):
        checks = [check_from(_paired(effect_a, seed=2), "a"), check_from(_paired(effect_b,
                                                                                  seed=3), "b")]
        for c, name in zip(checks, ("a", "b")):
            c.name = name
        return PatternResult(key="px", arms=[], n="", arm_table=None, comparisons=[],
                             checks=checks, verdict=verdict_of(checks), key_number="",
                             frames={})

    controls = Controls(knockouts=(Knockout(("a", "b"), "a rule states it", {"takeover": 0.0},
                                            "it does"),))
    original = result(0.05, 0.05)
    assert original.verdict == "reproduced"
    apply(original, controls, {0: result(0.045, 0.004)})  # b's effect vanishes
    a, b = original.checks
    assert a.emergence == j.EMERGENT and a.surviving == pytest.approx(0.9, abs=0.1)
    assert b.emergence == j.BUILT_IN and b.surviving < 0.2
    assert original.emergence == j.BUILT_IN
    robust = result(0.05, 0.05)
    apply(robust, controls, {0: result(0.05, 0.04)})
    assert robust.emergence == j.EMERGENT


def test_every_check_of_every_pattern_has_its_control():
    from trustnet.core.parameters import PARAMETERS
    from trustnet.validation.controls import CONTROLS
    from trustnet.validation.patterns import PATTERNS

    assert set(CONTROLS) == set(PATTERNS)
    for key, controls in CONTROLS.items():
        for knockout in controls.knockouts:
            for name, value in knockout.overrides.items():
                PARAMETERS[name].validate(value)  # every switch is a declared, valid value
            assert knockout.rule and len(knockout.reason) > 20
        assert controls.covered(), key
