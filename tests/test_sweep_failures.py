"""A run that raises is recorded with its error and parameters; the sweep goes on."""

from __future__ import annotations

import pytest
from sweep_helpers import SMALL

from trustnet.experiment import aggregate, load_results, run_sweep

SPEC = {"steps": 10, "replications": 2, "base": SMALL,
        "axes": {"ambition": [0.5, 3.0, 1.0]}, "outputs": {"series": ["mean_trust"]}}


@pytest.mark.parametrize("engine", ["serial", "processes"])
def test_failing_runs_are_recorded_and_the_rest_complete(tmp_path, engine):
    result = run_sweep(SPEC, tmp_path / "out", engine=engine, workers=2, chunk_size=1,
                       runner="sweep_helpers:failing_runner", progress=False)
    runs = result.runs
    assert list(runs["run_id"]) == list(range(6))
    failed = runs[runs["status"] == "error"]
    assert list(failed["ambition"]) == [3.0, 3.0]
    assert failed["error"].str.startswith("RuntimeError: ambition 3.0").all()
    assert failed["traceback"].str.contains("failing_runner").all()
    assert failed["mean_trust"].isna().all()
    ok = runs[runs["status"] == "ok"]
    assert len(ok) == 4 and ok["error"].isna().all() and ok["mean_trust"].notna().all()
    # no series rows for failed runs; the others have theirs
    assert set(result.series["run_id"]) == set(ok["run_id"])
    assert result.manifest["runs_failed"] == 2 and result.manifest["runs_written"] == 6
    assert load_results(tmp_path / "out").manifest["status"] == "complete"
    # aggregation leaves failed runs out
    table = aggregate(runs, "ambition", ["mean_trust"])
    assert table.loc[3.0, ("mean_trust", "n")] == 0
    assert table.loc[0.5, ("mean_trust", "n")] == 2
