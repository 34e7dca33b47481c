"""Sweep specs are checked completely before anything runs; designs are pure functions of them."""

from __future__ import annotations

import pytest

from trustnet.experiment.design import build_design
from trustnet.experiment.seeds import replication_seeds
from trustnet.experiment.spec import SpecError, load_spec


def test_ranges_lists_and_scenario_axis_expand_in_order():
    spec = load_spec({
        "replications": 3, "steps": 5,
        "axes": {"ambition": {"start": 0.5, "stop": 1.5, "step": 0.5},
                 "n_orgs": {"start": 4, "stop": 10, "num": 3},
                 "scenario": ["swedish_eldercare", "small_shared"]},
    })
    assert spec.axes["ambition"] == [0.5, 1.0, 1.5]
    assert spec.axes["n_orgs"] == [4, 7, 10]
    design = build_design(spec)
    assert len(design.arms) == 3 * 3 * 2 and design.n_runs == 54
    small_shared = [a for a in design.arms if a.scenario == "small_shared"]
    # the axis value wins over the scenario's own n_orgs; the scenario's other overrides stay
    assert {a.params["n_orgs"] for a in small_shared} == {4, 7, 10}
    assert all(a.params["governance"] == "shared" for a in small_shared)
    tasks = list(design.tasks())
    assert [t.run_id for t in tasks] == list(range(54))


def test_replication_uses_the_same_seed_in_every_arm():
    spec = load_spec({"replications": 4, "seed": 11, "axes": {"takeover": [0.0, 0.5, 1.0]}})
    design = build_design(spec)
    by_rep: dict[int, set[int]] = {}
    for t in design.tasks():
        by_rep.setdefault(t.replication, set()).add(t.seed)
    assert all(len(seeds) == 1 for seeds in by_rep.values())
    assert len({next(iter(s)) for s in by_rep.values()}) == 4
    assert list(design.seeds) == replication_seeds(11, 4)
    assert replication_seeds(12, 4) != replication_seeds(11, 4)


@pytest.mark.parametrize("method", ["lhs", "sobol"])
def test_samples_are_within_ranges_and_typed(method):
    spec = load_spec({"seed": 3, "samples": {"method": method, "n": 16, "ranges": {
        "ambition": [0.5, 2.0], "team_size": [2, 9]}}})
    arms = build_design(spec).arms
    assert len(arms) == 16
    assert all(0.5 <= a.params["ambition"] <= 2.0 for a in arms)
    assert all(isinstance(a.params["team_size"], int) and 2 <= a.params["team_size"] <= 9
               for a in arms)
    # a Latin hypercube / Sobol design spreads over the range rather than clumping
    values = sorted(a.params["ambition"] for a in arms)
    assert values[0] < 0.7 and values[-1] > 1.8
    again = build_design(spec).arms
    assert [a.params for a in again] == [a.params for a in arms]


def test_arms_are_labelled_and_crossed_with_axes():
    spec = load_spec({"arms": [{"label": "shared", "governance": "shared"},
                               {"governance": "nao", "nao_style": "directive"}],
                      "axes": {"ambition": [0.5, 1.0]}})
    arms = build_design(spec).arms
    assert [a.label for a in arms] == ["shared", "shared", "governance=nao, nao_style=directive",
                                       "governance=nao, nao_style=directive"]
    assert arms[2].params["nao_style"] == "directive"


@pytest.mark.parametrize("data, words", [
    ({"stepz": 10}, ["top level", "'stepz'", "allowed", "steps"]),
    ({"axes": {"ambition": [0.5, 20]}}, ["[axes] ambition", "(0, 10]"]),
    ({"axes": {"ambtion": [0.5]}}, ["[axes] ambtion", "did you mean 'ambition'"]),
    ({"base": {"governance": "anarchy"}}, ["[base] governance", "'nao'"]),
    ({"axes": {"governance": {"start": 0, "stop": 1, "step": 1}}}, ["needs a numeric"]),
    ({"axes": {"ambition": {"start": 0.5, "stop": 1.0}}}, ["exactly one of step or num"]),
    ({"axes": {"n_orgs": {"start": 4, "stop": 5, "num": 3}}}, ["integer parameter"]),
    ({"replications": 0}, ["replications", "[1, "]),
    ({"scenario": "atlantis"}, ["scenario", "swedish_eldercare"]),
    ({"samples": {"method": "grid", "n": 4, "ranges": {"ambition": [0.5, 1]}}},
     ["[samples] method", "lhs, sobol"]),
    ({"samples": {"n": 4, "ranges": {"governance": ["nao", "lead"]}}}, ["only numeric"]),
    ({"samples": {"n": 4, "ranges": {"ambition": [1.0, 0.5]}}}, ["low < high"]),
    ({"axes": {"ambition": [0.5]}, "samples": {"n": 2, "ranges": {"ambition": [0.5, 1]}}},
     ["varied twice"]),
    ({"outputs": {"series": ["mean_trus"]}}, ["[outputs] series", "did you mean 'mean_trust'"]),
    ({"outputs": {"every": 0}}, ["[outputs] every"]),
    ({"base": {"cooperation_threshold": 0.9}}, ["[base]", "cooperation_threshold"]),
    ({"arms": [{"label": "x", "scenario": "nowhere"}]}, ["scenario", "allowed"]),
    ({"scenario": "small_share"}, ["scenario", "did you mean 'small_shared'"]),
    ({"arms": [{"scenario": "small_share"}]}, ["[[arms]] #1 scenario",
                                                "did you mean 'small_shared'"]),
    ({"axes": {"scenario": ["swedish_eldercare", "small_share"]}},
     ["[axes] scenario", "did you mean 'small_shared'"]),
    ({"outputs": {"plot": ["outptu"]}}, ["[outputs] plot", "did you mean 'output'", "allowed:"]),
])
def test_bad_specs_name_the_key_and_what_is_allowed(data, words):
    with pytest.raises(SpecError) as err:
        load_spec(data)
    message = str(err.value)
    assert message.startswith("<dict>: ") and "\n" not in message
    for word in words:
        assert word in message


def test_arms_expand_once_for_the_design_and_the_checks():
    from trustnet.experiment.spec import expand_arms

    spec = load_spec({"base": {"n_orgs": 12}, "arms": [{"label": "a", "takeover": 0.0},
                                                      {"scenario": "small_shared"}],
                      "axes": {"ambition": [0.5, 1.0]}})
    expanded = list(expand_arms(spec))
    assert [(varied, scenario) for _, varied, scenario, _ in expanded] == [
        ({"takeover": 0.0, "ambition": 0.5}, "swedish_eldercare"),
        ({"takeover": 0.0, "ambition": 1.0}, "swedish_eldercare"),
        ({"scenario": "small_shared", "ambition": 0.5}, "small_shared"),
        ({"scenario": "small_shared", "ambition": 1.0}, "small_shared")]
    assert all(overrides["n_orgs"] == 12 and "scenario" not in overrides
               for _, _, _, overrides in expanded)
    arms = build_design(spec).arms
    assert [(a.varied, a.scenario) for a in arms] == [(v, s) for _, v, s, _ in expanded]
    assert [a.label for a in arms] == ["a", "a", "scenario=small_shared",
                                       "scenario=small_shared"]
    # the checks walk the same expansion: a bad corner is named by its arm
    with pytest.raises(SpecError, match=r"arm \(a\)"):
        load_spec({"arms": [{"label": "a", "cooperation_threshold": 0.9}],
                   "axes": {"ambition": [0.5]}})


def test_spec_file_errors_name_the_file(tmp_path):
    missing = tmp_path / "missing.toml"
    with pytest.raises(SpecError, match=r"missing\.toml: no such spec file"):
        load_spec(missing)
    broken = tmp_path / "broken.toml"
    broken.write_text("steps = \n")
    with pytest.raises(SpecError, match=r"broken\.toml: not valid TOML"):
        load_spec(broken)
    good = tmp_path / "my_sweep.toml"
    good.write_text('steps = 12\n[axes]\nnao_withdrawal_step = ["none", 6]\n')
    spec = load_spec(good)
    assert spec.name == "my_sweep" and spec.axes["nao_withdrawal_step"] == [None, 6]
