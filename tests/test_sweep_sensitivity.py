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
