"""What-ifs over time: events change parameters or act at a month, and nothing before it."""

import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustnet import TrustNetworkModel, run_model
from trustnet.core.events import EventError
from trustnet.core.parameters import PARAMETERS

SMALL = {"n_orgs": 20}


def series(events=None, steps=40, seed=3, **params):
    return run_model({**SMALL, **params}, seed=seed, steps=steps, events=events).series


# --- prefix identity -------------------------------------------------------------------------
CHANGES = {
    "relationship_time": st.floats(0.0, 1.0), "ambition": st.floats(0.2, 2.0),
    "takeover": st.floats(0.0, 1.0), "forgetting": st.floats(0.8, 1.0),
    "nao_style": st.sampled_from(["coordinating", "directive", "adaptive"]),
    "mandated": st.booleans(), "coordinator_capacity": st.floats(0.05, 2.0),
    "primary_care_attendance": st.floats(0.0, 1.0), "meeting_trust_gain": st.floats(0.0, 1.0),
}
ACTION = st.one_of(
    st.fixed_dictionaries({"action": st.sampled_from(
        ["withdraw_coordinator", "appoint_coordinator", "impose_mandate", "lift_mandate"])}),
    st.fixed_dictionaries({"action": st.just("trust_shock"),
                           "evidence": st.sampled_from([-2.0, 1.5, 3.0])}),
)
EVENT = st.one_of(
    st.dictionaries(st.sampled_from(sorted(CHANGES)), st.just(None), min_size=1, max_size=3)
    .flatmap(lambda keys: st.fixed_dictionaries({k: CHANGES[k] for k in keys}))
    .map(lambda changes: {"set": changes}),
    ACTION,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(2, 30), EVENT), min_size=1, max_size=4),
       st.integers(0, 10_000))
def test_a_run_is_identical_to_one_without_events_until_the_first_event(events, seed):
    scheduled = [{"month": m, **e} for m, e in events]
    first = min(m for m, _ in events)
    with_events = series(scheduled, steps=32, seed=seed)
    without = series(None, steps=32, seed=seed)
    pd.testing.assert_frame_equal(with_events.loc[:first - 1], without.loc[:first - 1])
    assert np.isfinite(with_events.to_numpy()).all()


# --- what events do ----------------------------------------------------------------------------
def test_withdrawal_as_an_event_is_the_withdrawal_parameter():
    by_event = series([{"month": 20, "action": "withdraw_coordinator"}])
    by_parameter = series(nao_withdrawal_step=20)
    pd.testing.assert_frame_equal(by_event, by_parameter)
    assert (by_event.loc[20:, "coordinator_present"] == 0).all()


def test_a_coordinator_turning_directive_after_year_one_acts_directively_from_then():
    s = series([{"month": 13, "set": {"nao_style": "directive"}}], nao_style="coordinating",
               coordinator_exit_rate=0.0)
    assert (s.loc[1:12, "coordinator_style_directive"] == 0).all()
    assert (s.loc[13:, "coordinator_style_directive"] == 1).all()


def test_relationship_workshops_in_year_two_only_build_ties_in_year_two():
    quiet = {"proposal_rate": 0.0, "coordinator_initiative": 0.0, "initial_strength": 0.05,
             "relationship_time": 0.0}
    workshops = [{"month": 13, "set": {"relationship_time": 0.8}},
                 {"month": 25, "set": {"relationship_time": 0.0}}]
    s = series(workshops, steps=36, **quiet)
    base = series(None, steps=36, **quiet)
    ties = s["share_coordination"] + s["share_collaboration"]
    ties_base = base["share_coordination"] + base["share_collaboration"]
    assert ties.loc[12] == ties_base.loc[12]
    assert ties.loc[24] > ties_base.loc[24] + 0.05


def test_a_mandate_imposed_in_year_three_blocks_exit_from_then():
    restless = {"ambition": 2.5, "member_exit_rate": 1.0}
    s = series([{"month": 25, "action": "impose_mandate"}], steps=60, **restless)
    members = s["active_members"]
    assert members.loc[24] < SMALL["n_orgs"]  # members left before the mandate
    assert (members.loc[25:] == members.loc[25]).all()  # and none after it
    model = TrustNetworkModel(rng=1, events=[{"month": 2, "action": "impose_mandate"}], **SMALL)
    model.run_for(3)
    assert model.coordinator.mandated
    assert model.coordinator.aspiration == model.params["mandate_aspiration"]


def test_a_coordinator_appointed_after_a_withdrawal_is_in_post_afresh():
    s = series([{"month": 10, "action": "withdraw_coordinator"},
                {"month": 20, "action": "appoint_coordinator", "style": "directive"}])
    assert (s.loc[10:19, "coordinator_present"] == 0).all()
    assert s.loc[20, "coordinator_present"] == 1
    assert s.loc[20, "coordinator_style_directive"] == 1


def test_a_trust_shock_moves_trust_at_once_either_way():
    up = series([{"month": 24, "action": "trust_shock", "evidence": 2.0}], steps=25)
    down = series([{"month": 24, "action": "trust_shock", "evidence": -2.0}], steps=25)
    base = series(None, steps=25)
    assert up.loc[24, "mean_trust"] > base.loc[24, "mean_trust"] + 0.1
    assert down.loc[24, "mean_trust"] < base.loc[24, "mean_trust"] - 0.1


def test_events_keep_dense_and_sparse_storage_identical():
    events = [{"month": 5, "action": "trust_shock", "evidence": 1.0},
              {"month": 8, "set": {"cooperation_threshold": 0.3, "forgetting": 0.9}},
              {"month": 12, "action": "withdraw_coordinator"}]
    frames = []
    for storage in ("dense", "sparse"):
        model = TrustNetworkModel(rng=4, events=events, tie_storage=storage, **SMALL)
        model.run_for(24)
        frames.append(model.datacollector.get_model_vars_dataframe())
    pd.testing.assert_frame_equal(frames[0], frames[1], check_exact=False, rtol=1e-9)


# --- parameters are read-only --------------------------------------------------------------------
def test_parameters_cannot_be_changed_behind_the_models_back():
    model = TrustNetworkModel(rng=1, **SMALL)
    with pytest.raises(TypeError, match="read-only during a run; schedule a change with events"):
        model.params["nao_style"] = "directive"
    with pytest.raises(TypeError, match="events"):
        model.params.update(relationship_time=0.5)
    result = run_model(SMALL, seed=1, steps=2)
    assert type(result.params) is dict and pickle.loads(pickle.dumps(result.params))


# --- bad events ----------------------------------------------------------------------------------
@pytest.mark.parametrize("events, words", [
    ([{"month": 0, "set": {"ambition": 1}}], ["event 1", "'month' got 0",
                                              "months count from 1"]),
    ([{"month": -3, "action": "lift_mandate"}], ["'month' got -3"]),
    ([{"month": 5, "set": {"ambiton": 1}}], ["event 1 (month 5)", "'ambiton'", "'ambition'"]),
    ([{"month": 5, "set": {"n_orgs": 10}}], ["'n_orgs' is fixed for a run"]),
    ([{"month": 5, "set": {"ambition": -1}}], ["parameter 'ambition'", "allowed"]),
    ([{"month": 5, "action": "withdraw"}], ["unknown action 'withdraw'",
                                            "allowed: withdraw_coordinator"]),
    ([{"month": 5, "action": "trust_shock"}], ["needs 'evidence'"]),
    ([{"month": 5, "action": "trust_shock", "evidence": 0}], ["'evidence' got 0"]),
    ([{"month": 5, "action": "appoint_coordinator", "style": "bossy"}], ["option 'style'"]),
    ([{"month": 5, "action": "lift_mandate", "when": 3}], ["takes no option 'when'"]),
    ([{"month": 5}], ["exactly one of 'set'"]),
    ([{"month": 2, "set": {"ambition": 1}},
      {"month": 3, "set": {"cooperation_threshold": 0.9}}],
     ["event 2 (month 3)", "cooperation_threshold"]),
    ({"month": 5}, ["events: got dict", "a list"]),
])
def test_bad_events_are_refused_in_one_line_naming_the_event(events, words):
    with pytest.raises(EventError) as error:
        TrustNetworkModel(rng=1, events=events, **SMALL)
    message = str(error.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


def test_events_after_the_run_and_coordinator_actions_without_a_post_are_refused():
    with pytest.raises(EventError, match=r"event 1 \(month 13\): after the run's end \(month 12"):
        run_model(SMALL, steps=12, events=[{"month": 13, "action": "withdraw_coordinator"}])
    with pytest.raises(EventError, match="under shared governance"):
        TrustNetworkModel(governance="shared", events=[{"month": 3,
                                                        "action": "withdraw_coordinator"}])


def test_structure_and_starting_values_are_declared_fixed():
    fixed = {name for name, p in PARAMETERS.items() if not p.changeable}
    assert {"n_orgs", "governance", "team_size", "initial_trust"} <= fixed
    assert {"relationship_time", "nao_style", "mandated", "ambition"}.isdisjoint(fixed)


# --- from the command line and in sweeps ---------------------------------------------------------
def test_the_command_line_takes_events_and_refuses_bad_ones_in_one_line(capsys):
    from trustnet.cli import main

    assert main(["run", "--steps", "30", "--set", "n_orgs=12", "--event",
                 "13:nao_style=directive", "--event", "20:trust_shock:evidence=2"]) == 0
    assert "13:nao_style=directive; 20:trust_shock:evidence=2 from the command line" in (
        capsys.readouterr().out)
    for bad, words in ((["--event", "40:withdraw_coordinator"], "after the run's end"),
                       (["--event", "5:n_orgs=3"], "fixed for a run"),
                       (["--event", "five:ambition=1"], "expected MONTH:NAME=VALUE")):
        assert main(["run", "--steps", "30", *bad]) == 2
        err = capsys.readouterr().err
        assert err.startswith("trustnet: error: --event") and err.count("\n") == 1, err
        assert words in err


def test_sweeps_run_events_per_arm_on_common_seeds():
    from trustnet.experiment import run_sweep
    from trustnet.experiment.spec import SpecError, load_spec

    spec = {"steps": 30, "replications": 3, "seed": 2, "base": {"n_orgs": 15},
            "arms": [{"label": "baseline"},
                     {"label": "withdrawn at 20",
                      "events": [{"month": 20, "action": "withdraw_coordinator"}]}]}
    res = run_sweep(spec, engine="serial", progress=False)
    runs = res.runs.set_index(["label", "replication"])
    assert (runs.loc["withdrawn at 20", "coordinator_present"] == 0).all()
    assert (runs.loc["baseline", "coordinator_present"] == 1).all()
    assert res.manifest["arms"][1]["events"][0]["month"] == 20
    late = {**spec, "arms": [{"label": "late", "events": [{"month": 31,
                                                          "action": "lift_mandate"}]}]}
    with pytest.raises(SpecError, match=r"arm \(late\): event 1 \(month 31\): after the run"):
        load_spec(late)
    unlabelled = {**spec, "arms": [{"events": [{"month": 3, "action": "lift_mandate"}]}]}
    with pytest.raises(SpecError, match="an arm with events needs a label"):
        load_spec(unlabelled)


def test_the_spec_format_example_of_the_experiments_readme_is_a_valid_spec():
    import tomllib
    from pathlib import Path

    from trustnet.experiment.spec import load_spec

    text = (Path(__file__).resolve().parents[1] / "experiments" / "README.md").read_text()
    block = text.split("## Spec format", 1)[1].split("```toml", 1)[1].split("```", 1)[0]
    spec = load_spec(tomllib.loads(block))
    assert spec.events and spec.arms[1]["events"][0]["action"] == "withdraw_coordinator"


def test_events_are_checked_in_the_order_they_apply_and_leverage_follows_the_mandate():
    # given out of order: the month-10 change applies first, and alone breaks the order
    with pytest.raises(EventError, match=r"event 2 \(month 10\): parameters"):
        TrustNetworkModel(events=[{"month": 30, "set": {"collaboration_threshold": 0.7}},
                                  {"month": 10, "set": {"coordination_threshold": 0.6}}])
    model = TrustNetworkModel(rng=1, mandated=True, coordinator_exit_rate=0.0,
                              events=[{"month": 3, "set": {"mandated_leverage": 0.1}},
                                      {"month": 4, "action": "lift_mandate"}], **SMALL)
    model.run_for(2)
    before = model.coordinator.legitimacy
    model.run_for(1)
    assert model.coordinator.legitimacy == pytest.approx(before * 0.1 / 0.5, rel=0.2)
    model.run_for(1)  # lifted: the leverage returns, whatever it was meanwhile
    assert model.coordinator.legitimacy == pytest.approx(before / 0.5, rel=0.2)
    assert model.coordinator.legitimacy <= 1.0


def test_a_new_meeting_interval_counts_from_the_last_meeting():
    model = TrustNetworkModel(rng=1, events=[{"month": 11, "set": {"meeting_interval": 5}}],
                              **SMALL)
    meetings = []
    for _ in range(22):
        model.step()
        if model.last_meeting == model.steps:
            meetings.append(model.steps)
    assert meetings == [1, 4, 7, 10, 15, 20]
