"""`trustnet discover`: PRIM and a tree find the conditions under which runs end a given way."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from trustnet.cli import main
from trustnet.experiment import run_sweep
from trustnet.experiment.discover import DiscoverError, discover

SAMPLE = {"steps": 1, "replications": 1, "seed": 3,
          "samples": {"method": "lhs", "n": 400,
                      "ranges": {"takeover": [0.0, 1.0], "volunteering": [0.0, 1.0],
                                 "goal_consensus": [0.3, 0.9]}}}


@pytest.fixture(scope="module")
def known(tmp_path_factory):
    """A sweep whose collapse is exactly 'takeover > 0.6 and volunteering < 0.3'."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    out = tmp_path_factory.mktemp("known") / "out"
    return run_sweep(SAMPLE, out, engine="serial", progress=False,
                     runner="sweep_helpers:box_runner")


def test_prim_recovers_a_box_built_in_by_design(known):
    found = discover(known, "active_members < 15")
    limits = found.limits.set_index("parameter")
    assert set(limits.index) >= {"takeover", "volunteering"}
    assert limits.loc["takeover", "low"] == pytest.approx(0.6, abs=0.05)
    assert limits.loc["volunteering", "high"] == pytest.approx(0.3, abs=0.05)
    assert list(limits.index[:2]) == ["volunteering", "takeover"] or \
        list(limits.index[:2]) == ["takeover", "volunteering"]  # the tightest limits first
    row = found.trajectory.set_index("id").loc[found.box]
    assert row["density"] > 0.9 and row["coverage"] >= 0.5
    text = found.describe()
    assert "coordinator's takeover propensity >=" in text and "willingness to volunteer <=" \
        in text
    # the tree finds the same rule
    best = found.rules[0]
    assert best["density"] > 0.9 and best["coverage"] > 0.9
    assert any("takeover" in c for c in best["conditions"])
    assert any("volunteer" in c for c in best["conditions"])


def test_a_box_can_be_picked_on_the_trajectory(known):
    first = discover(known, "active_members < 15", box=0)
    assert first.box == 0 and first.limits.empty  # box 0 is the whole space
    with pytest.raises(DiscoverError, match="--box 999: the peeling trajectory has boxes 0 to"):
        discover(known, "active_members < 15", box=999)


@pytest.mark.parametrize(("where", "words"), [
    ("active_member < 15", "unknown outcome 'active_member'"),
    ("active_members <", "not a condition"),
    ("active_members < 1", "no run of 400 meets it"),
    ("active_members < 100", "every run of 400 meets it"),
    ("active_members + 1", "not a condition (it gives numbers"),
    ("__import__('os')", "only outcomes, numbers"),
    ("mean_trust < 'x'", "'x' is not a number"),
    ("attendance_mean < 0.4 and active_members", "not a condition"),
    ("not attendance_mean", "not a condition"),
    ("attendance_mean < 0.4 or 1", "not a condition"),
])
def test_a_bad_condition_is_named(known, where, words):
    with pytest.raises(DiscoverError, match=words.replace("(", r"\(")):
        discover(known, where)


def test_discover_needs_sampled_parameters(tmp_path):
    result = run_sweep({"steps": 2, "base": {"n_orgs": 5}, "axes": {"ambition": [0.5, 1.0]}},
                       tmp_path / "o", engine="serial", progress=False)
    with pytest.raises(DiscoverError, match=r"no sampled parameters \(\[samples\]"):
        discover(result, "active_members < 15")


def test_discover_command_prints_the_box_and_writes_figures(known, capsys):
    out = known.out
    assert main(["discover", str(out), "--where", "active_members < 15"]) == 0
    printed = capsys.readouterr().out
    assert "PRIM box" in printed and "coverage" in printed and "density" in printed
    assert "classification tree" in printed
    folder = out / "discover"
    (trajectory,) = folder.glob("active_members_15_*_trajectory.csv")
    assert len(pd.read_csv(trajectory)) > 5
    stem = trajectory.name[: -len("_trajectory.csv")]
    assert {p.name for p in folder.glob("*.png")} >= {f"{stem}_prim_trajectory.png",
                                                      f"{stem}_prim_box.png"}
    # a condition that differs only in its operator writes other files
    assert main(["discover", str(out), "--where", "active_members > 15"]) == 0
    capsys.readouterr()
    assert len(list(folder.glob("active_members_15_*_trajectory.csv"))) == 2
    assert main(["discover", str(out), "--where", "nonsense < 1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown outcome 'nonsense'" in err[0]


def test_discover_without_its_libraries_says_how_to_install_them(known, capsys, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "ema_workbench" else real(name, *a))
    assert main(["discover", str(known.out), "--where", "active_members < 15"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "needs ema_workbench" in err[0] and "bootstrap discover" in err[0]
