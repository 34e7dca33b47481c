"""Serial, local-process and Dask engines give identical tables for the same spec."""

from __future__ import annotations

import pandas as pd
import pytest
from sweep_helpers import SMALL, comparable

from trustnet.experiment import run_sweep

SPEC = {
    "steps": 15, "replications": 3, "seed": 42, "base": SMALL,
    "axes": {"governance": ["shared", "nao"], "ambition": [0.5, 1.5]},
    "outputs": {"series": ["mean_trust", "output", "attendance"], "every": 4, "projects": True},
}


@pytest.fixture(scope="module")
def serial():
    return run_sweep(SPEC, engine="serial", progress=False)


def test_serial_tables_are_complete(serial):
    runs, series = serial.runs, serial.series
    assert list(runs["run_id"]) == list(range(12))
    assert (runs["status"] == "ok").all()
    assert set(runs["governance"]) == {"shared", "nao"}
    # steps 0, 4, 8, 12 and the last (15) for each run
    assert sorted(series["step"].unique()) == [0, 4, 8, 12, 15]
    assert len(series) == 12 * 5
    # common random numbers: replication r has one seed across all four arms
    assert runs.groupby("replication")["seed"].nunique().eq(1).all()
    projects = serial.projects
    assert set(projects["run_id"]) <= set(runs["run_id"]) and len(projects) > 12
    assert {"ambition", "status", "start"} <= set(projects.columns)


def test_processes_match_serial(serial, tmp_path):
    result = run_sweep(SPEC, tmp_path / "out", engine="processes", workers=2, chunk_size=2,
                       progress=False)
    pd.testing.assert_frame_equal(comparable(result.runs), comparable(serial.runs))
    pd.testing.assert_frame_equal(result.series, serial.series)
    pd.testing.assert_frame_equal(result.projects, serial.projects)


def test_dask_local_cluster_matches_serial(serial):
    pytest.importorskip("distributed")
    from trustnet.experiment.engines import DaskEngine

    engine = DaskEngine(workers=2, processes=False)
    from trustnet.experiment import engines

    original = engines.make_engine
    try:
        engines.make_engine = lambda *a, **k: engine
        result = run_sweep(SPEC, engine="dask", chunk_size=5, progress=False)
    finally:
        engines.make_engine = original
    assert result.manifest["sessions"][-1]["engine"] == "dask"
    pd.testing.assert_frame_equal(comparable(result.runs), comparable(serial.runs))
    pd.testing.assert_frame_equal(result.series, serial.series)
    pd.testing.assert_frame_equal(result.projects, serial.projects)


def test_chunking_and_worker_count_do_not_change_results(serial):
    result = run_sweep(SPEC, engine="processes", workers=1, chunk_size=7, progress=False)
    pd.testing.assert_frame_equal(comparable(result.runs), comparable(serial.runs))
