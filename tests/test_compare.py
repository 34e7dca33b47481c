"""`trustnet compare`: every arm against a baseline, paired by replication, flagged by size."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from trustnet.cli import main
from trustnet.experiment import load_results, run_sweep
from trustnet.experiment.compare import (
    BETTER,
    NEGLIGIBLE,
    NOT_SHOWN,
    WORSE,
    CompareError,
    compare,
    markdown,
)
from trustnet.validation import stats as vs

REPS = 30


def _result(effects: dict[str, float], seeds_differ: bool = False, noise: float = 0.3,
            axis: list[float] | None = None) -> SimpleNamespace:
    """A runs table of arms whose output is the baseline's plus a known effect, run by run."""
    rng = np.random.default_rng(1)
    base = 5.0 + noise * rng.standard_normal(REPS)
    trust = 0.5 + 0.05 * rng.standard_normal(REPS)
    rows, arm = [], 0
    for level in axis or [None]:
        for label, effect in effects.items():
            for r in range(REPS):
                shift = 0.0 if level is None else 10.0 * (level - 1.0)
                if label == "uncertain":  # a difference that varies a lot between runs
                    shift += float(np.sin(7.0 * r))
                rows.append({"run_id": len(rows), "arm": arm, "label": label, "replication": r,
                             "seed": 100 + r + (1000 * arm if seeds_differ else 0),
                             "status": "ok", "ambition": level,
                             "output": base[r] + effect + shift,
                             "mean_trust": trust[r] + 1e-4 * effect})
            arm += 1
    dims = [["label", "categorical"]] + ([["ambition", "numeric"]] if axis else [])
    return SimpleNamespace(runs=pd.DataFrame(rows), manifest={"dims": dims,
                                                              "status": "complete"})


def test_flags_follow_the_outcomes_smallest_effect_and_better_direction():
    result = _result({"base": 0.0, "more": 1.0, "same": 0.01, "less": -2.0, "a little": 0.3,
                      "uncertain": 0.3})
    table = compare(result, "base", ["output"]).set_index("arm")
    # output's SESOI is 10% of the baseline mean (about 0.5)
    assert table.loc["more", "flag"] == BETTER
    assert table.loc["less", "flag"] == WORSE
    assert table.loc["same", "flag"] == NEGLIGIBLE
    assert table.loc["a little", "flag"] == NEGLIGIBLE  # real, but surely below the SESOI
    assert table.loc["uncertain", "flag"] == NOT_SHOWN  # its interval reaches past the SESOI
    assert table.loc["more", "difference"] == pytest.approx(1.0)
    assert table.loc["more", "ci_low"] == pytest.approx(1.0) == table.loc["more", "ci_high"]
    assert table.loc["less", "relative"] == pytest.approx(-2.0 / 5.0, rel=0.05)
    assert (table["method"] == "paired by replication").all()


def test_flags_agree_with_the_validations_size_rules_on_the_same_data():
    result = _result({"base": 0.0, "b": 0.4, "c": -0.6, "d": 0.0}, noise=1.0)
    runs = result.runs
    table = compare(result, "base", ["output"]).set_index("arm")
    reference = runs[runs["label"] == "base"]["output"].to_numpy()
    for label in ("b", "c", "d"):
        arm = runs[runs["label"] == label]["output"].to_numpy()
        up = vs.paired("x", "", arm, reference, 1, outcome="output")
        down = vs.paired("x", "", arm, reference, -1, outcome="output")
        expected = (BETTER if up.holds else WORSE if down.holds
                    else NEGLIGIBLE if up.size == "negligible" else NOT_SHOWN)
        assert table.loc[label, "flag"] == expected
        assert table.loc[label, "ci_low"] == pytest.approx(up.ci_low)


def test_crossed_dimensions_are_compared_level_by_level():
    result = _result({"base": 0.0, "more": 1.0}, axis=[1.0, 2.0])
    table = compare(result, "base", ["output"])
    # the axis adds 10 to every arm at its second level: within a level the effect is 1
    assert list(table["context"]) == ["ambition=1", "ambition=2"]
    assert np.allclose(table["difference"], 1.0)
    by_axis = compare(result, "ambition=1", ["output"]).set_index("context")
    assert by_axis.loc["base", "difference"] == pytest.approx(10.0)
    assert by_axis.loc["more", "difference"] == pytest.approx(10.0)


def test_arms_without_shared_seeds_are_compared_unpaired_and_say_so():
    table = compare(_result({"base": 0.0, "more": 1.0}, seeds_differ=True), "base", ["output"])
    assert table.loc[0, "method"].startswith("unpaired")
    assert table.loc[0, "n"] == f"{REPS} / {REPS}"
    assert "unpaired" in markdown(table, "base")


@pytest.mark.parametrize(("baseline", "words"), [
    ("nope", "no such arm; allowed: an arm's label ('base', 'more')"),
    ("ambition=0.5", "'ambition' does not vary"),
])
def test_a_baseline_that_is_not_there_is_named(baseline, words):
    with pytest.raises(CompareError, match=words.replace("(", r"\(").replace(")", r"\)")):
        compare(_result({"base": 0.0, "more": 1.0}), baseline)


def test_compare_command_prints_and_writes_table_markdown_and_forest_plot(tmp_path, capsys):
    spec = {"steps": 12, "replications": 4, "base": {"n_orgs": 8},
            "arms": [{"label": "coordinating", "nao_style": "coordinating"},
                     {"label": "directive", "nao_style": "directive"}]}
    out = tmp_path / "out"
    run_sweep(spec, out, engine="serial", progress=False)
    code = main(["compare", str(out), "--baseline", "coordinating", "--outcomes",
                 "mean_trust,output"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "directive" in printed and "mean_trust" in printed and "paired by replication" in printed
    folder = out / "compare"
    table = pd.read_csv(folder / "vs_coordinating.csv")
    assert list(table["outcome"]) == ["mean_trust", "output"]
    expected = compare(load_results(out), "coordinating", ["mean_trust", "output"])
    assert np.allclose(table["difference"], expected["difference"])
    assert (folder / "vs_coordinating.md").read_text().count("| directive |") == 2
    assert (folder / "vs_coordinating.png").stat().st_size > 10_000


@pytest.mark.parametrize(("argv", "words"), [
    (["--baseline", "nope"], "no such arm"),
    (["--baseline", "coordinating", "--outcomes", "nonsense"], "unknown outcome 'nonsense'"),
    (["--baseline", "coordinating", "--all", "--outcomes", "output"], "drop --outcomes"),
])
def test_compare_bad_input_is_one_line(tmp_path, capsys, argv, words):
    spec = {"steps": 3, "replications": 2, "base": {"n_orgs": 6},
            "arms": [{"label": "coordinating", "nao_style": "coordinating"},
                     {"label": "directive", "nao_style": "directive"}]}
    out = tmp_path / "out"
    run_sweep(spec, out, engine="serial", progress=False)
    capsys.readouterr()
    assert main(["compare", str(out), *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0]


@pytest.mark.parametrize("command", [["compare", "--baseline", "coordinating"],
                                     ["report", "--baseline", "coordinating"]])
def test_an_incomplete_sweep_is_analysed_only_when_asked(tmp_path, capsys, command):
    import json

    spec = {"steps": 3, "replications": 3, "base": {"n_orgs": 6},
            "arms": [{"label": "coordinating", "nao_style": "coordinating"},
                     {"label": "directive", "nao_style": "directive"}]}
    out = tmp_path / "out"
    run_sweep(spec, out, engine="serial", progress=False, chunk_size=1)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["status"] = "interrupted"
    (out / "manifest.json").write_text(json.dumps(manifest))
    sorted((out / "runs").glob("part-*.parquet"))[-1].unlink()
    capsys.readouterr()
    name, *rest = command
    assert main([name, str(out), *rest]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "holds 5 of 6 runs" in err[0] and "--partial" in err[0]
    assert main([name, str(out), *rest, "--partial"]) == 0
    assert "holds 5 of 6 runs" in capsys.readouterr().err


def test_arms_crossed_with_samples_are_compared_point_by_point():
    rows = []
    for arm, (label, point) in enumerate([(lb, pt) for lb in ("base", "more")
                                          for pt in (0.1, 0.9)]):
        for r in range(REPS):
            rows.append({"run_id": len(rows), "arm": arm, "label": label, "replication": r,
                         "seed": 100 + r, "status": "ok", "takeover": point,
                         "output": 5.0 + 10 * point + (1.0 if label == "more" else 0.0)
                         + 0.01 * r})
    result = SimpleNamespace(runs=pd.DataFrame(rows), manifest={
        "dims": [["label", "categorical"], ["takeover", "sampled"]], "status": "complete"})
    table = compare(result, "base", ["output"])
    assert len(table) == 2 and np.allclose(table["difference"], 1.0)  # not 1 +- 8
    assert (table["n"] == REPS).all() and table["context"].str.contains("sample point").all()


def test_arms_on_different_networks_are_compared_unpaired():
    result = _result({"base": 0.0, "more": 1.0})
    result.runs["n_orgs"] = np.where(result.runs["label"] == "base", 40, 6)
    table = compare(result, "base", ["output"])
    assert table.loc[0, "method"] == "unpaired (the arms are different networks)"


def test_one_replication_or_few_say_what_they_cannot_show():
    one = _result({"base": 0.0, "more": 1.0})
    one.runs = one.runs[one.runs["replication"] == 0]
    row = compare(one, "base", ["output"]).iloc[0]
    assert row["method"] == "one replication: no interval" and row["flag"] == NOT_SHOWN
    assert row["difference"] == pytest.approx(1.0)
    few = _result({"base": 0.0, "more": 1.0})
    few.runs = few.runs[few.runs["replication"] < 4]
    assert "fewer than 6 replications" in compare(few, "base", ["output"]).iloc[0]["method"]


def test_an_outcome_missing_in_an_arm_is_not_shown_rather_than_an_error():
    result = _result({"base": 0.0, "more": 1.0})
    result.runs.loc[result.runs["label"] == "more", "output"] = np.nan
    row = compare(result, "base", ["output"]).iloc[0]
    assert row["flag"] == NOT_SHOWN and row["method"] == "no finite values to compare"


def test_a_sweep_whose_runs_all_failed_is_named():
    result = _result({"base": 0.0, "more": 1.0})
    result.runs["status"] = "error"
    with pytest.raises(CompareError, match="every run of the sweep failed"):
        compare(result, "base", ["output"])


def test_the_table_leaves_out_a_change_relative_to_a_baseline_below_the_smallest_effect():
    # inclusion gap's SESOI is 0.02: relative to a baseline of 0.005, any change looks huge
    result = _result({"base": 0.0, "more": 1.0})
    runs = result.runs
    runs["inclusion_gap"] = np.where(runs["label"] == "base", 0.005, 0.03)
    runs["output"] = np.where(runs["label"] == "base", 5.0, 6.0) + 0.01 * runs["replication"]
    table = compare(result, "base", ["inclusion_gap", "output"])
    rows = {line.split(" | ")[2]: line.split(" | ")
            for line in markdown(table, "base").splitlines() if line.startswith("| more")}
    gap = next(v for k, v in rows.items() if k.startswith("inclusion gap"))
    output = next(v for k, v in rows.items() if k.startswith("output"))
    assert gap[6] == "-" and output[6] == "+19%"  # 1 on a baseline of 5.145
    # the table itself (its CSV, the command line's and the report's tables) agrees
    relative = table.set_index("outcome")["relative"]
    assert np.isnan(relative["inclusion_gap"]) and relative["output"] == pytest.approx(0.194, 0.01)
