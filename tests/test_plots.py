"""Figures read the reporters' declarations: what is drawn, and on what scale."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trustnet.core.reporters import OUTCOMES
from trustnet.core.run import run_model
from trustnet.plots import _defined, outcome_by, run_figure


@pytest.fixture(scope="module")
def shared_run():
    return run_model({"governance": "shared", "n_orgs": 12}, seed=3, steps=24).series


def _panel(fig, title):
    return next(ax for ax in fig.axes if ax.get_title() == title)


def test_trust_earned_is_drawn_only_where_a_shock_made_it_differ(shared_run):
    titles = [ax.get_title() for ax in run_figure(shared_run).axes]
    assert OUTCOMES["mean_trust"].label in titles
    assert not any(t.startswith(OUTCOMES["earned_trust"].label) for t in titles)
    shocked = run_model({"n_orgs": 12}, seed=3, steps=24,
                        events=[{"month": 6, "action": "trust_shock", "evidence": -3.0}]).series
    assert not shocked["earned_trust"].equals(shocked["mean_trust"])
    assert any(t.startswith(OUTCOMES["earned_trust"].label)
               for t in (ax.get_title() for ax in run_figure(shocked).axes))


def test_a_steady_outcome_is_drawn_on_a_scale_of_several_smallest_effects(shared_run):
    steps = np.arange(30)
    series = pd.DataFrame({"active_members": np.r_[np.full(15, 40.0), np.full(15, 39.0)],
                           "coordinator_present": np.ones(30),
                           "projects_abandoned": np.zeros(30)}, index=steps)
    fig = run_figure(series)
    members = _panel(fig, OUTCOMES["active_members"].label)
    low, high = members.get_ylim()
    assert high - low >= 4 * OUTCOMES["active_members"].sesoi  # one member leaving is 1 in 4
    ticks = [t for t in members.get_yticks() if low <= t <= high]
    assert all(float(t).is_integer() for t in ticks)
    present = _panel(fig, OUTCOMES["coordinator_present"].label)
    low, high = present.get_ylim()
    assert high - low >= 4 * OUTCOMES["coordinator_present"].sesoi and low < 1.0 < high
    low, high = _panel(fig, OUTCOMES["projects_abandoned"].label).get_ylim()
    assert low < 0.0 and high >= 1.0  # none at all, clear of the frame


def test_a_coordinators_state_is_left_out_where_no_coordinator_was_in_post():
    runs = pd.DataFrame({"arm": ["shared", "shared", "nao", "nao"],
                         "coordinator_present_mean": [0.0, 0.0, 1.0, 0.5],
                         "coordinator_disillusionment_mean": [0.0, 0.0, 0.2, 0.3],
                         "mean_coordinator_tenure": [0.0, 0.0, 40.0, 30.0],
                         "coordinator_task_share_mean": [0.0, 0.0, 0.1, 0.2],
                         "status": "ok"})
    kept = _defined(runs, ["coordinator_disillusionment_mean", "mean_coordinator_tenure",
                           "coordinator_task_share_mean"])
    assert kept["coordinator_disillusionment_mean"].isna().tolist() == [True, True, False, False]
    assert kept["mean_coordinator_tenure"].isna().sum() == 2
    # a share of the work is 0 without a coordinator, truly: it stays
    assert kept["coordinator_task_share_mean"].tolist() == [0.0, 0.0, 0.1, 0.2]
    assert runs["mean_coordinator_tenure"].notna().all()  # the table itself is not changed
    fig = outcome_by(runs, "arm", ["mean_coordinator_tenure"])
    means = np.asarray(fig.axes[0].containers[0].lines[0].get_ydata(), dtype=float)
    assert np.isnan(means[0]) and means[1] == pytest.approx(35.0)  # shared: no point at 0


def test_a_run_without_a_coordinator_says_so_instead_of_drawing_zero(shared_run):
    fig = run_figure(shared_run, ["coordinator_strain", "mean_trust"])
    strain = _panel(fig, OUTCOMES["coordinator_strain"].label)
    assert np.isnan(strain.lines[0].get_ydata()).all()
    assert any("no coordinator" in t.get_text() for t in strain.texts)


def test_a_runs_final_state_counts_where_a_coordinator_was_in_post_at_the_end():
    # the coordinator of the second run left for good half way: its final strain reads 0 and
    # means nothing, its mean over the run does
    runs = pd.DataFrame({"coordinator_present": [1.0, 0.0], "coordinator_present_mean": [1.0, 0.5],
                         "coordinator_strain": [0.4, 0.0], "coordinator_strain_mean": [0.3, 0.2]})
    kept = _defined(runs, ["coordinator_strain", "coordinator_strain_mean"])
    assert kept["coordinator_strain"].isna().tolist() == [False, True]
    assert kept["coordinator_strain_mean"].tolist() == [0.3, 0.2]


def test_only_a_coordinators_state_says_no_coordinator_was_in_post():
    series = pd.DataFrame({"inclusion_gap": np.full(5, np.nan), "coordinator_present": 0.0,
                           "coordinator_strain": 0.0}, index=np.arange(5))
    fig = run_figure(series, ["inclusion_gap", "coordinator_strain"])
    gap = _panel(fig, OUTCOMES["inclusion_gap"].label)
    strain = _panel(fig, OUTCOMES["coordinator_strain"].label)
    assert not gap.texts and any("no coordinator" in t.get_text() for t in strain.texts)


def test_trajectories_leave_out_runs_that_never_had_a_coordinator_without_its_series():
    from trustnet.plots import series_by

    runs = pd.DataFrame({"run_id": [0, 1], "status": "ok", "arm": ["shared", "nao"],
                         "coordinator_present_mean": [0.0, 1.0]})
    series = pd.DataFrame({"run_id": [0, 0, 1, 1], "step": [0, 1, 0, 1],
                           "coordinator_strain": [0.0, 0.0, 0.1, 0.2]})
    fig = series_by(series, runs, "arm", ["coordinator_strain"])
    shared, nao = fig.axes[0].lines[:2]
    assert np.isnan(np.asarray(shared.get_ydata(), dtype=float)).all()
    assert np.asarray(nao.get_ydata(), dtype=float).tolist() == [0.1, 0.2]
