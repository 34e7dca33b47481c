"""The model's public surface: construction, errors, data collection, Mesa's runners."""

import mesa
import numpy as np
import pandas as pd
import pytest

from trustnet import TrustNetworkModel, run_model
from trustnet.core.metrics import REPORTERS, SUMMARY_OUTCOMES
from trustnet.core.organisations import STATE_VARIABLES, Organisation
from trustnet.core.scenarios import SCENARIOS
from trustnet.core.ties import LEVELS


def test_defaults_build_and_collect_at_construction_and_every_step():
    model = TrustNetworkModel(rng=1)
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == 1 and list(frame.columns) == list(REPORTERS)
    for _ in range(5):
        model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == 6  # row k is the state after k steps
    assert frame["active_members"].iloc[0] == 40
    assert model.steps == 5


def test_unknown_keyword_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match=r"'n_org'.*'n_orgs'"):
        TrustNetworkModel(n_org=10)


@pytest.mark.parametrize("bad", [{"n_orgs": 2}, {"governance": "x"}, {"ambition": 0.0},
                                 {"takeover": -0.1}, {"meeting_interval": 0},
                                 {"nao_style": "loud"}, {"nao_withdrawal_step": -3}])
def test_out_of_range_is_a_value_error_naming_the_parameter(bad):
    (name,) = bad
    with pytest.raises(ValueError, match=f"'{name}'"):
        TrustNetworkModel(**bad)


def test_every_governance_accepts_every_style():
    for governance in ("nao", "lead", "shared"):
        for style in ("coordinating", "directive", "adaptive"):
            model = TrustNetworkModel(rng=0, n_orgs=8, governance=governance, nao_style=style)
            model.run_for(6)
            assert model.coordinator.present == (governance != "shared")


def test_run_for_and_batch_run_work():
    model = TrustNetworkModel(rng=2, n_orgs=12)
    model.run_for(7)
    assert len(model.datacollector.get_model_vars_dataframe()) == 8
    results = mesa.batch_run(
        TrustNetworkModel, parameters={"n_orgs": [8, 12], "governance": ["nao", "shared"]},
        rng=[1, 2], max_steps=6, data_collection_period=1, number_processes=1,
        display_progress=False)
    frame = pd.DataFrame(results)
    assert len(frame) == 2 * 2 * 2 * 7
    assert set(REPORTERS) <= set(frame.columns)
    assert frame["mean_trust"].between(0, 1).all()


def test_organisation_data_at_the_chosen_interval():
    model = TrustNetworkModel(rng=3, n_orgs=10, org_data_every=4)
    model.run_for(12)
    orgs = model.datacollector.get_agenttype_vars_dataframe(Organisation)
    steps = sorted(orgs.index.get_level_values("Step").unique())
    assert steps == [0, 4, 8, 12]
    assert set(STATE_VARIABLES) <= set(orgs.columns)
    assert len(orgs) == 4 * 10
    # views agree with the model's arrays
    agent = model.organisations[3]
    assert agent.commitment == pytest.approx(model.orgs.commitment[3])
    assert agent.sector_name in ("hospital", "primary_care", "municipal_care",
                                 "social_services", "private_provider")
    with pytest.raises(ValueError, match="org_data_every"):
        TrustNetworkModel(org_data_every=-1)


def test_no_organisation_data_by_default():
    model = TrustNetworkModel(rng=3, n_orgs=10)
    model.run_for(3)
    with pytest.warns(UserWarning, match="No agent-type reporters"):
        assert model.datacollector.get_agenttype_vars_dataframe(Organisation).empty


def test_views_for_the_visualisation():
    model = TrustNetworkModel(rng=4, n_orgs=15)
    model.run_for(13)
    trust = model.ties.trust()
    assert trust.shape == (15, 15) and np.all((trust >= 0) & (trust <= 1))
    assert set(np.unique(model.ties.level)) <= {0, 1, 2, 3}
    assert model.integration_level in LEVELS
    table = model.projects.table()
    assert len(table) == model.projects.count
    assert set(table["status"]) <= {"active", "succeeded", "failed", "abandoned"}


def test_run_model_returns_series_summary_and_projects():
    result = run_model({"n_orgs": 20}, seed=5, steps=24, series_every=6)
    assert list(result.series.index) == [0, 6, 12, 18, 24]
    assert set(result.summary) == set(SUMMARY_OUTCOMES)
    assert all(np.isfinite(v) for v in result.summary.values())
    assert result.params["n_orgs"] == 20
    scenario = run_model(scenario="small_shared", seed=1, steps=3)
    assert scenario.params["governance"] == "shared"
    with pytest.raises(ValueError, match="steps"):
        run_model(steps=-1)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_scenario_runs_and_stays_in_bounds(name):
    result = run_model(scenario=name, seed=7, steps=60)
    frame = result.series
    assert np.isfinite(frame.to_numpy()).all()
    shares = ["mean_trust", "trust_density", "attendance", "coordinator_task_share",
              "volunteering", "mean_commitment", "mean_disillusionment",
              "coordinator_strain", "coordinator_disillusionment", "share_cooperation",
              "share_coordination", "share_collaboration"]
    assert ((frame[shares] >= 0) & (frame[shares] <= 1)).all().all()
    assert result.summary["projects_succeeded"] + result.summary["projects_failed"] > 0
