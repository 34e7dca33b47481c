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


def test_equivalence_p_agrees_with_the_interval_rule():
    rng = np.random.default_rng(3)
    for _ in range(200):
        estimate, se = rng.normal(0, 0.02), rng.uniform(0.001, 0.02)
        dof, margin = 99, 0.02
        from scipy import stats

        half = stats.t.ppf(1 - j.ALPHA, dof) * se
        inside = -margin < estimate - half and estimate + half < margin
        assert (j.equivalence_p(estimate, se, dof, margin) < j.ALPHA) == inside


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
