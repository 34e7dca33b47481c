"""Sparse tie storage (large networks) gives the same model as dense storage (small ones)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_properties import valid_params

from trustnet import TrustNetworkModel, scenario_params
from trustnet.core.ties import DENSE_LIMIT, DenseTies, SparseTies


def run(storage, params, seed, steps):
    model = TrustNetworkModel(rng=seed, tie_storage=storage, **params)
    model.run_for(steps)
    return model


def assert_same_run(params, seed, steps):
    dense, sparse = run("dense", params, seed, steps), run("sparse", params, seed, steps)
    assert isinstance(dense.ties, DenseTies) and isinstance(sparse.ties, SparseTies)
    # every pair's trust, strength and level, bit for bit
    assert np.array_equal(dense.ties.trust(), sparse.ties.trust())
    assert np.array_equal(dense.ties.strength_matrix(), sparse.ties.strength_matrix())
    assert np.array_equal(dense.ties.level_matrix(), sparse.ties.level_matrix())
    assert dense.ties.count_ties() == sparse.ties.count_ties()
    # the pair metrics are sums in another order; everything downstream is the same
    pd.testing.assert_frame_equal(dense.datacollector.get_model_vars_dataframe(),
                                  sparse.datacollector.get_model_vars_dataframe(), rtol=1e-9)
    pd.testing.assert_frame_equal(dense.projects.table(), sparse.projects.table())
    assert np.array_equal(dense.orgs.active, sparse.orgs.active)
    return sparse


@pytest.mark.parametrize("scenario", ["swedish_eldercare", "belgian_mandated", "small_shared",
                                      "lead_organisation"])
def test_sparse_and_dense_storage_give_identical_runs(scenario):
    sparse = assert_same_run(scenario_params(scenario), seed=3, steps=120)
    assert 0 < sparse.ties.size < sparse.ties.n * (sparse.ties.n - 1) + 1


def test_identical_with_members_leaving_and_the_coordinator_gone():
    params = {"n_orgs": 150, "mandated": False, "member_exit_rate": 0.2,
              "nao_withdrawal_step": 30, "meeting_contacts": 6}
    sparse = assert_same_run(params, seed=5, steps=90)
    assert not sparse.orgs.active.all()
    # only pairs that met are stored
    assert sparse.ties.size < 0.6 * 150 * 149


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=valid_params(), seed=st.integers(0, 2**32 - 1))
# a refresh after pairs were first stored between two meetings
@example(params={"n_orgs": 5, "meeting_interval": 8, "cooperation_threshold": 0.0,
                 "coordination_threshold": 0.0, "collaboration_threshold": 0.0}, seed=0)
def test_identical_over_random_valid_parameters(params, seed):
    assert_same_run(params, seed, steps=36)


def test_large_networks_store_ties_sparsely():
    assert isinstance(TrustNetworkModel(n_orgs=DENSE_LIMIT).ties, DenseTies)
    model = TrustNetworkModel(rng=1, n_orgs=DENSE_LIMIT + 1)
    assert isinstance(model.ties, SparseTies)
    model.run_for(4)
    ties = model.ties
    # memory grows with the pairs that met, not with the square of the members
    assert 0 < ties.count_ties() <= ties.size < 0.02 * ties.n**2
    assert ties.r.nbytes + ties.s.nbytes + ties.strength.nbytes < 0.01 * 12 * ties.n**2


def test_unknown_storage_is_refused():
    with pytest.raises(ValueError, match=r"'tie_storage'.*auto, dense, sparse"):
        TrustNetworkModel(tie_storage="compressed")


def test_pair_metrics_follow_pairs_changed_after_the_last_refresh():
    from trustnet.core.parameters import resolve

    n = 12
    ties = DenseTies(np.full(n, 0.2), resolve({"n_orgs": n}))
    i, j = np.nonzero(~np.eye(n, dtype=bool))
    ties.add_evidence(i, j, np.random.default_rng(3).random(len(i)) * 3)
    ties.refresh()
    ties.add_evidence(i[:30], j[:30], 5.0)  # changed after the refresh, then members leave
    ties.touch(i[:30], j[:30])
    active = np.ones(n, dtype=bool)
    active[[2, 7]] = False
    ties.set_active(active)
    within = np.ix_(active, active)
    trust, level = ties.trust()[within], ties.level_matrix()[within]
    assert ties.sum_trust == pytest.approx(trust.sum(dtype=np.float64), rel=1e-12)
    assert ties.n_trusting == np.count_nonzero(trust > ties.trusting_level)
    assert list(ties.at_least) == [np.count_nonzero(level >= k) for k in (1, 2, 3)]
