"""A sweep killed at any moment and resumed has every run exactly once, none recomputed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from sweep_helpers import comparable

from trustnet.experiment import load_results, run_sweep
from trustnet.experiment.store import ParquetStore

SPEC_TEXT = """
steps = 40
replications = 30
seed = 7
[base]
n_orgs = 12
[axes]
ambition = [0.5, 1.0, 1.5, 2.0]
[outputs]
series = ["mean_trust", "output"]
every = 5
"""
N_RUNS = 120


def _parts(folder: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime_ns for p in (folder / "runs").glob("part-*.parquet")}


def test_sigkill_then_resume_runs_each_run_exactly_once(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC_TEXT)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "trustnet.cli", "sweep", str(spec), "--out", str(out),
           "--workers", "2", "--chunk-size", "2", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while len(_parts(out)) < 6 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole group: the CLI and its workers
    proc.wait()
    before = _parts(out)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    assert 6 <= len(before) < N_RUNS // 2, "the sweep finished before it could be killed"
    done_before = len(ParquetStore(out).done_ids())

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode != 0 and "--resume" in again.stderr  # refuses to overwrite

    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=120,
                             check=False)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done_before} already written" in resumed.stdout

    after = _parts(out)
    # parts written before the kill are untouched: nothing already written was recomputed
    assert {k: after[k] for k in before} == before
    result = load_results(out)
    assert sorted(result.runs["run_id"]) == list(range(N_RUNS))
    assert (result.runs["status"] == "ok").all()
    per_run = result.series.groupby("run_id").size()
    assert len(per_run) == N_RUNS and (per_run == 9).all()  # steps 0, 5, ..., 40: no duplicates
    manifest = result.manifest
    assert manifest["status"] == "complete" and manifest["runs_written"] == N_RUNS
    assert manifest["sessions"][-1]["runs_to_do"] == N_RUNS - done_before

    # and the result equals an uninterrupted serial sweep of the same spec
    reference = run_sweep(spec, engine="serial", progress=False)
    pd.testing.assert_frame_equal(comparable(result.runs), comparable(reference.runs))
    pd.testing.assert_frame_equal(result.series, reference.series)


def test_resume_drops_partial_files_of_unfinished_chunks(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC_TEXT.replace("replications = 30", "replications = 2"))
    out = tmp_path / "out"
    run_sweep(spec, out, engine="serial", chunk_size=3, progress=False)
    runs_parts = sorted((out / "runs").glob("part-*.parquet"))
    # simulate a kill between writing a chunk's series part and its runs part, and mid-write
    runs_parts[-1].unlink()
    (out / "runs" / ".part-x.parquet.tmp").write_bytes(b"partial")
    result = run_sweep(spec, out, engine="serial", chunk_size=3, resume=True, progress=False)
    assert sorted(result.runs["run_id"]) == list(range(8))
    assert result.series.groupby("run_id").size().eq(9).all()
    assert not list((out / "runs").glob(".*.tmp"))
    assert result.manifest["sessions"][-1]["runs_to_do"] == 2


def test_resume_refuses_a_different_spec(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC_TEXT.replace("replications = 30", "replications = 1"))
    out = tmp_path / "out"
    run_sweep(spec, out, engine="serial", progress=False)
    spec.write_text(SPEC_TEXT.replace("replications = 30", "replications = 2"))
    result = subprocess.run([sys.executable, "-m", "trustnet.cli", "sweep", str(spec), "--out",
                             str(out), "--resume"], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("trustnet: error: ") and "different spec" in result.stderr
    assert result.stderr.count("\n") == 1


def test_two_sweeps_never_write_into_one_folder(tmp_path):
    from trustnet.experiment.store import StoreError

    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC_TEXT.replace("replications = 30", "replications = 1"))
    holder = ParquetStore(tmp_path / "out")
    holder._acquire_lock()  # as a running sweep does
    try:
        with pytest.raises(StoreError, match=r"another sweep .* is writing into this folder"):
            run_sweep(spec, tmp_path / "out", engine="serial", progress=False)
    finally:
        holder.close()
    result = run_sweep(spec, tmp_path / "out", engine="serial", progress=False)
    assert len(result.runs) == 4
