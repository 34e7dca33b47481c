"""Global sensitivity: indices are finite and a parameter without effect ranks last."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trustnet.experiment import run_sensitivity
from trustnet.experiment.spec import SpecError, load_spec

# nao_withdrawal_step beyond the run length cannot have any effect
TOY = {"steps": 24, "replications": 2, "seed": 5, "base": {"n_orgs": 10},
       "sensitivity": {"trajectories": 8, "samples": 8, "levels": 4,
                       "outcomes": ["mean_trust", "output", "success_rate"],
                       "ranges": {"ambition": [0.3, 2.5], "initial_trust": [0.2, 0.8],
                                  "nao_withdrawal_step": [100, 400]}}}


@pytest.mark.parametrize("method, key", [("morris", "mu_star"), ("sobol", "ST")])
def test_indices_are_finite_and_rank_a_no_effect_parameter_last(tmp_path, method, key):
    from trustnet.experiment.sensitivity import INDICES

    assert INDICES[method].main == key
    result = run_sensitivity(TOY, method, tmp_path / method, engine="processes", workers=2,
                             progress=False)
    idx = result.indices
    assert list(idx.columns) == ["outcome", "parameter", *INDICES[method].columns, "note",
                                 "rank"]
    assert set(idx["outcome"]) == {"mean_trust", "output", "success_rate"}
    for outcome, group in idx.groupby("outcome"):
        values = dict(zip(group["parameter"], group[key]))
        assert all(math.isfinite(v) for v in values.values()), (outcome, values)
        assert values["nao_withdrawal_step"] == 0.0
        ranks = dict(zip(group["parameter"], group["rank"]))
        assert ranks["nao_withdrawal_step"] == 3, (outcome, values)
        assert max(values["ambition"], values["initial_trust"]) > 0
    assert (tmp_path / method / f"indices_{method}.csv").is_file()
    assert (tmp_path / method / f"sensitivity_{method}.png").stat().st_size > 1000
    # one arm per sample point, with the sampled values in the runs table
    runs = result.runs
    assert runs["arm"].nunique() * 2 == len(runs)
    assert np.all((runs["ambition"] >= 0.3) & (runs["ambition"] <= 2.5))


def test_sobol_samples_must_be_a_power_of_two():
    with pytest.raises(SpecError,
                       match=r"\[sensitivity\] samples: got 12; allowed: a power of two"):
        load_spec({**TOY, "sensitivity": {**TOY["sensitivity"], "samples": 12}})


def test_missing_sensitivity_table_is_a_spec_error(tmp_path):
    with pytest.raises(SpecError, match=r"\[sensitivity\]: missing"):
        run_sensitivity({"steps": 5}, "morris", tmp_path / "x")


def test_sobol_convergence_compares_the_first_half_of_the_design_with_all_of_it(tmp_path):
    from trustnet.experiment.sensitivity import analyse, problem_of, sample

    result = run_sensitivity(TOY, "sobol", tmp_path / "s", engine="serial", progress=False)
    conv = result.convergence
    assert list(conv["outcome"]) == ["mean_trust", "output", "success_rate"]
    assert (tmp_path / "s" / "convergence_sobol.csv").is_file()
    assert ((conv["top5_kept"] >= 0) & (conv["top5_kept"] <= 3)).all()  # 3 parameters here
    assert (conv["rank_correlation"].abs() <= 1).all() and (conv["largest_ST_change"] >= 0).all()
    # the first half of the design is the design at N/2 (so no runs are needed for it) ...
    spec = load_spec(TOY)
    half = load_spec({**TOY, "sensitivity": {**TOY["sensitivity"], "samples": 4}})
    full_x, half_x = sample(spec, "sobol"), sample(half, "sobol")
    assert np.array_equal(full_x[: len(half_x)], half_x)
    # ... and its indices are what an analysis of those runs alone gives
    ok = result.runs[result.runs["status"] == "ok"]
    y = ok.groupby("arm")["mean_trust"].mean().to_numpy()[: len(half_x)]
    alone = analyse(problem_of(half), None, y, "sobol", half, "mean_trust")
    full = result.indices[result.indices["outcome"] == "mean_trust"]
    change = np.nanmax(np.abs(np.array([r["ST"] for r in alone]) - full["ST"].to_numpy()))
    assert conv.loc[conv["outcome"] == "mean_trust", "largest_ST_change"].item() == \
        pytest.approx(change)


def test_plausible_ranges_cover_every_parameter_that_can_vary_less_those_fixed_in_base():
    from trustnet.core.parameters import PARAMETERS

    spec = load_spec({"steps": 12, "base": {"ambition": 1.2},
                      "sensitivity": {"ranges": "plausible", "exclude": ["takeover"]}})
    ranges = spec.sensitivity.ranges
    varied = {n for n, p in PARAMETERS.items() if p.plausible is not None}
    assert set(ranges) == varied - {"ambition", "takeover"}
    assert ranges["forgetting"] == PARAMETERS["forgetting"].plausible
    # a scenario's own values stay as the scenario sets them
    from trustnet.core.scenarios import SCENARIOS

    mandated = load_spec({"steps": 12, "scenario": "belgian_mandated",
                          "sensitivity": {"ranges": "plausible"}}).sensitivity.ranges
    fixed = set(SCENARIOS["belgian_mandated"].overrides)
    assert fixed & varied and not fixed & set(mandated)


@pytest.mark.parametrize("sensitivity, message", [
    ({"ranges": "plausible", "exclude": ["governance"]},
     r"\[sensitivity\] exclude: 'governance' is not varied anyway \(a structural condition"),
    ({"ranges": "plausible", "exclude": ["takeovr"]}, r"unknown parameter 'takeovr'"),
    ({"ranges": {"ambition": [0.5, 1.0]}, "exclude": ["takeover"]},
     r'\[sensitivity\] exclude: only with ranges = "plausible"'),
    ({"ranges": "plausibel"}, r"\[sensitivity\] ranges: got 'plausibel'; allowed: \"plausible\""),
])
def test_bad_plausible_sensitivity_specs_are_one_line_errors(sensitivity, message):
    with pytest.raises(SpecError, match=message):
        load_spec({"steps": 12, "sensitivity": sensitivity})


def test_a_heatmap_of_many_parameters_shows_the_most_influential_first():
    import pandas as pd

    from trustnet.plots import MAX_SENSITIVITY_ROWS, sensitivity_figure

    names = [f"p{i}" for i in range(45)]
    rows = [{"outcome": o, "parameter": n, "ST": (i + 1) / 45 if o == "output" else 0.0,
             "S1": 0.0, "ST_conf": 0.0, "S1_conf": 0.0, "rank": 45 - i, "note": ""}
            for o in ("output", "mean_trust") for i, n in enumerate(names)]
    fig = sensitivity_figure(pd.DataFrame(rows), "sobol")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == MAX_SENSITIVITY_ROWS
    assert labels[0] == "p44" and "p0" not in labels  # strongest first, weakest left out
    assert "the 15 parameters with the smallest not shown" in fig._suptitle.get_text()


@pytest.mark.parametrize("method", ["morris", "sobol"])
def test_the_command_prints_the_ranking_and_for_sobol_its_convergence(tmp_path, capsys, method):
    from trustnet.cli import main

    spec = tmp_path / "toy.toml"
    spec.write_text(
        'steps = 24\nreplications = 1\nseed = 5\n[base]\nn_orgs = 10\n[sensitivity]\n'
        'trajectories = 4\nsamples = 8\noutcomes = ["output", "mean_trust"]\n'
        '[sensitivity.ranges]\nambition = [0.3, 2.5]\ninitial_trust = [0.2, 0.8]\n')
    assert main(["sensitivity", str(spec), "--method", method, "--out",
                 str(tmp_path / "out"), "--quiet", "--engine", "serial"]) == 0
    text = capsys.readouterr().out
    assert "parameters by influence" in text
    assert "none varied" not in text
    assert ("convergence, the first 4 base samples against all 8" in text) == (method == "sobol")
