"""Sweeps never mix two experiments' results, never run out of memory or processes on a large
design, and never end in a traceback: bad input and broken folders get one line and exit 2."""

from __future__ import annotations

import errno
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustnet.cli import main
from trustnet.experiment import load_results, run_sweep
from trustnet.experiment.engines import default_workers
from trustnet.experiment.spec import MAX_ARMS, SpecError, load_spec
from trustnet.experiment.store import ParquetStore, StoreError, StoreWarning

SPEC = """
steps = 4
replications = 2
[base]
n_orgs = 6
[axes]
ambition = [0.5, 1.5]
"""
OTHER = SPEC.replace("[0.5, 1.5]", "[0.7, 1.2]")


def _write(tmp_path: Path, text: str, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's errors
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _one_line_error(capsys, *argv: str) -> str:
    """Run the command; it must exit 2 with a single line on stderr (no traceback)."""
    code, _, err = _cli(capsys, *argv)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trustnet: error:"), err
    return lines[0]


def _ids(out: Path) -> list[int]:
    return sorted(load_results(out).runs["run_id"])


# --- 1. resume never mixes two specs' results ---------------------------------------------

@pytest.mark.parametrize("damage", ["missing", "unreadable", "no fingerprint"])
def test_resume_without_a_readable_manifest_refuses_instead_of_mixing(tmp_path, capsys, damage):
    out = tmp_path / "out"
    run_sweep(_write(tmp_path, SPEC, "a.toml"), out, engine="serial", progress=False)
    manifest = out / "manifest.json"
    if damage == "missing":
        manifest.unlink()
    elif damage == "unreadable":
        manifest.write_text("{ not json")
    else:
        manifest.write_text(json.dumps({"status": "complete"}))
    other = _write(tmp_path, OTHER, "b.toml")
    line = _one_line_error(capsys, "sweep", str(other), "--out", str(out), "--resume",
                           "--engine", "serial", "--quiet")
    assert "no readable manifest.json" in line and str(out) in line
    assert len(list((out / "runs").glob("part-*.parquet"))) == 4  # the old results untouched


def test_resume_refuses_a_part_written_by_another_experiment(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    run_sweep(_write(tmp_path, SPEC, "a.toml"), a, engine="serial", progress=False)
    run_sweep(_write(tmp_path, OTHER, "b.toml"), b, engine="serial", progress=False)
    stray = next((b / "runs").glob("part-*.parquet"))
    os.replace(stray, a / "runs" / "part-999999999-00001.parquet")
    with pytest.raises(StoreError, match="written by another spec"):
        run_sweep(tmp_path / "a.toml", a, engine="serial", resume=True, progress=False)


def test_an_unreadable_part_is_set_aside_and_its_runs_run_again(tmp_path):
    out = tmp_path / "out"
    spec = _write(tmp_path, SPEC)
    run_sweep(spec, out, engine="serial", progress=False, chunk_size=1)
    part = sorted((out / "runs").glob("part-*.parquet"))[1]
    part.write_bytes(b"PAR1 this is not a parquet file")
    with pytest.raises(StoreError, match="unreadable"):  # reading says what to do
        load_results(out)
    with pytest.warns(StoreWarning, match="moved aside"):
        result = run_sweep(spec, out, engine="serial", resume=True, progress=False)
    assert result.manifest["sessions"][-1]["runs_done"] == 1
    assert _ids(out) == [0, 1, 2, 3]  # every run exactly once
    assert part.with_name(part.name + ".unreadable").exists()  # kept, not deleted


def test_a_part_with_damaged_data_or_a_damaged_series_part_is_set_aside(tmp_path):
    spec = load_spec({"steps": 3, "replications": 2, "base": {"n_orgs": 6},
                      "axes": {"ambition": [0.5, 1.5]},
                      "outputs": {"series": ["mean_trust"]}})
    out = tmp_path / "out"
    run_sweep(spec, out, engine="serial", progress=False, chunk_size=1)
    runs_part = sorted((out / "runs").glob("part-*.parquet"))[0]
    data = bytearray(runs_part.read_bytes())
    data[8:200] = b"\xff" * 192  # the data pages, not the footer
    runs_part.write_bytes(bytes(data))
    series_part = sorted((out / "series").glob("part-*.parquet"))[2]
    series_part.write_bytes(b"junk")
    with pytest.warns(StoreWarning, match="moved aside") as caught:
        result = run_sweep(spec, out, engine="serial", resume=True, progress=False)
    assert len(caught) == 2
    assert result.manifest["sessions"][-1]["runs_done"] == 2
    assert sorted(result.runs["run_id"]) == [0, 1, 2, 3]
    assert result.series.groupby("run_id").size().tolist() == [4, 4, 4, 4]


def test_a_manifest_that_is_not_an_object_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    spec = _write(tmp_path, SPEC)
    run_sweep(spec, out, engine="serial", progress=False)
    (out / "manifest.json").write_text("[1, 2]")
    line = _one_line_error(capsys, "sweep", str(spec), "--out", str(out), "--resume",
                           "--engine", "serial", "--quiet")
    assert "no readable manifest.json" in line
    assert "not a manifest" in _one_line_error(capsys, "plot", str(out))


def test_a_corrupt_manifest_is_named_when_reading_results(tmp_path, capsys):
    out = tmp_path / "out"
    run_sweep(_write(tmp_path, SPEC), out, engine="serial", progress=False)
    (out / "manifest.json").write_text("{ broken")
    line = _one_line_error(capsys, "plot", str(out))
    assert "manifest.json" in line and "JSON" in line


# --- 2, 3. large designs and many workers ---------------------------------------------------

def test_a_design_with_too_many_arms_is_refused_before_it_is_built():
    big = {"steps": 1, "axes": {"ambition": {"start": 0.1, "stop": 5, "num": 1000},
                                "takeover": {"start": 0, "stop": 1, "num": 1000}}}
    with pytest.raises(SpecError, match=f"1,000,000 arms; allowed: at most {MAX_ARMS:,}"):
        load_spec(big)


def test_a_sweep_says_how_long_it_will_take_and_refuses_what_the_disk_cannot_hold(
        tmp_path, capsys, monkeypatch):
    spec = _write(tmp_path, SPEC)
    code, out, _ = _cli(capsys, "sweep", str(spec), "--out", str(tmp_path / "o"), "--engine",
                        "serial", "--quiet")
    assert code == 0 and "estimated: about" in out and "on disk" in out

    import shutil

    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(1, 1, 10))
    line = _one_line_error(capsys, "sweep", str(spec), "--out", str(tmp_path / "p"),
                           "--engine", "serial", "--quiet")
    assert "the disk has 10 bytes free" in line
    assert not (tmp_path / "p").exists()


def test_the_estimate_times_whole_runs_when_they_are_short_and_first_months_otherwise(
        monkeypatch):
    # a run's later months cost more than its first, and its fixed costs do not grow with
    # its months: whole runs are timed whenever that is cheap, and the kernels are compiled
    # first (a first run on a fresh machine would otherwise run them as plain Python)
    from trustnet.core import compiled
    from trustnet.experiment import runner, worker

    steps, warmed = [], []
    real = worker.run_chunk
    monkeypatch.setattr(worker, "run_chunk", lambda chunk: (steps.append(chunk.steps),
                                                            real(chunk))[1])
    monkeypatch.setattr(compiled, "warm", lambda: warmed.append(True))
    spec = load_spec({"steps": 60, "replications": 10, "base": {"n_orgs": 10}})
    seconds, size = runner.estimate_sweep(spec, workers=2)
    assert warmed and steps == [12, 12, 60, 60] and seconds > 0 and size > 0
    steps.clear()
    monkeypatch.setattr(runner, "WHOLE_RUN_S", 0.0)  # as if a whole run took long
    longer, _ = runner.estimate_sweep(load_spec({"steps": 600, "replications": 10,
                                                 "base": {"n_orgs": 10}}), workers=2)
    assert steps == [12, 12] and longer > seconds


def test_workers_are_bounded_by_the_cores_and_by_the_work(tmp_path, capsys):
    spec = _write(tmp_path, SPEC)
    too_many = str(4 * default_workers() + 1)
    line = _one_line_error(capsys, "sweep", str(spec), "--workers", too_many)
    assert f"at most {4 * default_workers()}" in line
    result = run_sweep(spec, tmp_path / "o", workers=3, chunk_size=2, progress=False)
    assert result.manifest["sessions"][-1]["workers"] == 2  # two chunks, two processes
    one = run_sweep({"steps": 2, "base": {"n_orgs": 5}}, tmp_path / "one", progress=False)
    assert one.manifest["sessions"][-1]["workers"] == 1  # one run: one process, by default


# --- 4. tracebacks that are now one line ----------------------------------------------------

@pytest.mark.parametrize(("text", "words"), [
    ('steps = 2\n[axes]\nscenario = [["a"]]\n', "unknown scenario"),
    ("steps = 2\n[axes]\nambition = {start = 0.5, stop = nan, num = 3}\n", "nan"),
    ("steps = 2\n[axes]\nambition = [inf]\n", "inf"),
    ('steps = 2\n[[arms]]\nlabel = "x"\nambition = 0.5\n[[arms]]\nlabel = "x"\n'
     'ambition = 1.0\n', "'x' is the label of [[arms]] #1 too"),
    ("steps = 2\n[[arms]]\nambition = 0.5\n[[arms]]\nambition = 0.5\n",
     "it would run twice"),
    ('steps = 2\n[[arms]]\nlabel = "a"\nambition = 0.8\n[[arms]]\nlabel = "b"\n',
     "arms 'a' and 'b' resolve to the same parameters"),
])
def test_bad_specs_get_one_line(tmp_path, capsys, text, words):
    line = _one_line_error(capsys, "sweep", str(_write(tmp_path, text)), "--out",
                           str(tmp_path / "o"), "--engine", "serial", "--quiet")
    assert words in line


@pytest.mark.parametrize("name", ["../../escape", "/tmp/escape", "", "a/b"])
def test_a_spec_name_cannot_leave_the_results_folder(tmp_path, capsys, monkeypatch, name):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)  # the default output folder is results/<name>, from here
    spec = _write(tmp_path, f"name = {json.dumps(name)}\nsteps = 2\n")
    line = _one_line_error(capsys, "sweep", str(spec), "--engine", "serial", "--quiet")
    assert f"name: got {name!r}" in line
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b", "spec.toml"]


def test_a_long_file_name_gives_a_valid_default_name(tmp_path):
    path = _write(tmp_path, "steps = 2\n", "x" * 150 + ".toml")
    assert load_spec(path).name == "x" * 100


def test_a_spec_that_is_not_utf8_gets_one_line(tmp_path, capsys):
    path = tmp_path / "spec.toml"
    path.write_bytes(b'name = "\xff"\nsteps = 2\n')
    line = _one_line_error(capsys, "sweep", str(path))
    assert "not UTF-8" in line and "0xff" in line


def test_unusable_output_folders_get_one_line(tmp_path, capsys, monkeypatch):
    spec = str(_write(tmp_path, SPEC))
    (tmp_path / "file.txt").write_text("x")
    line = _one_line_error(capsys, "sweep", spec, "--out", str(tmp_path / "file.txt"),
                           "--engine", "serial", "--quiet")
    assert "is a file" in line

    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)  # a read-only place (root ignores chmod)
    line = _one_line_error(capsys, "sweep", spec, "--out", str(tmp_path / "ro" / "x"),
                           "--engine", "serial", "--quiet")
    assert "cannot write results there (Permission denied)" in line


@pytest.mark.parametrize("full_at", ["parts", "first manifest", "progress", "last manifest"])
def test_a_full_disk_stops_the_sweep_in_one_line_and_keeps_what_was_written(
        tmp_path, capsys, monkeypatch, full_at):
    """Writes fail with ENOSPC from some point on (as on a small filesystem that fills up)."""
    from trustnet.experiment import runner, store

    spec = str(_write(tmp_path, SPEC))
    out = tmp_path / "out"
    monkeypatch.setattr(runner, "MANIFEST_EVERY_S", -1.0)  # progress after every part:
    monkeypatch.setattr(runner, "PROGRESS_SHARE", 0)  # 1 + 4 + the last two writes
    real_parquet, real_bytes = store._write_parquet, store._atomic_write_bytes
    written = {"parts": 0, "manifests": 0}
    full = {"parts": (2, None), "first manifest": (None, 0), "progress": (None, 2),
            "last manifest": (None, 6)}[full_at]

    def parquet(table, path):
        if full[0] is not None and written["parts"] >= full[0]:
            raise OSError(errno.ENOSPC, "No space left on device")
        written["parts"] += 1
        real_parquet(table, path)

    def atomic(path, data):
        if path.name == "manifest.json":
            if full[1] is not None and written["manifests"] >= full[1]:
                raise OSError(errno.ENOSPC, "No space left on device")
            written["manifests"] += 1
        real_bytes(path, data)

    monkeypatch.setattr(store, "_write_parquet", parquet)
    monkeypatch.setattr(store, "_atomic_write_bytes", atomic)
    code, _, err = _cli(capsys, "sweep", spec, "--out", str(out), "--engine", "serial",
                        "--chunk-size", "1", "--quiet")
    if full_at == "progress":  # a failed progress write stops nothing; the last one fails
        assert written["parts"] == 4
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "No space left on device" in err and "kept" in err
    assert not list(out.rglob(".*.tmp"))
    monkeypatch.setattr(store, "_write_parquet", real_parquet)
    monkeypatch.setattr(store, "_atomic_write_bytes", real_bytes)
    code, _, err = _cli(capsys, "sweep", spec, "--out", str(out), "--engine", "serial",
                        "--resume", "--quiet")
    if full_at == "first manifest":  # nothing was written: nothing to resume from
        assert code == 0 or "no readable manifest" in err
        return
    assert code == 0, err
    assert _ids(out) == [0, 1, 2, 3]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs_written"] == 4


def test_run_checks_its_output_files_before_it_runs(tmp_path, capsys, monkeypatch):
    import trustnet.core.run as run

    def never(*args, **kwargs):
        raise AssertionError("the run started although its output cannot be written")

    monkeypatch.setattr(run, "run_model", never)
    line = _one_line_error(capsys, "run", "--out", str(tmp_path / "missing" / "x.csv"))
    assert "no folder" in line
    (tmp_path / "fig.png").mkdir()
    line = _one_line_error(capsys, "run", "--plot", str(tmp_path / "fig.png"))
    assert "is a folder" in line


# --- a worker killed mid-sweep ----------------------------------------------------------------

def test_a_killed_worker_stops_the_sweep_cleanly_and_resume_completes_it(
        tmp_path, capsys, monkeypatch):
    spec = str(_write(tmp_path, SPEC))
    out = tmp_path / "out"
    marker = tmp_path / "die"
    marker.touch()
    monkeypatch.setenv("TRUSTNET_TEST_MARKER", str(marker))
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    with pytest.raises(Exception, match="a worker process died") as info:
        run_sweep(spec, out, workers=2, chunk_size=1, progress=False,
                  runner="sweep_helpers:dying_runner")
    assert type(info.value).__name__ == "EngineError"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    marker.unlink()
    result = run_sweep(spec, out, workers=2, chunk_size=1, progress=False, resume=True,
                       runner="sweep_helpers:dying_runner")
    assert sorted(result.runs["run_id"]) == [0, 1, 2, 3]
    assert (result.runs["status"] == "ok").all()


def test_a_killed_dask_worker_stops_the_sweep_in_one_line(tmp_path):
    from distributed import KilledWorker

    from trustnet.experiment.engines import EngineError
    from trustnet.experiment.runner import _results

    class Cluster:
        name = "dask"

        def imap(self, fn, items):
            raise KilledWorker("run_chunk-1", "tcp://127.0.0.1:1", 3)
            yield

    with pytest.raises(EngineError, match=r"a worker process died.*--resume"):
        list(_results(Cluster(), [], tmp_path))


def test_failed_runs_can_be_retried(tmp_path, monkeypatch):
    spec = _write(tmp_path, SPEC)
    out = tmp_path / "out"
    marker = tmp_path / "fail"
    marker.touch()
    monkeypatch.setenv("TRUSTNET_TEST_MARKER", str(marker))
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    kw = {"engine": "serial", "progress": False, "runner": "sweep_helpers:flaky_runner"}
    first = run_sweep(spec, out, chunk_size=3, **kw)
    assert len(first.failed) == 2
    marker.unlink()
    again = run_sweep(spec, out, resume=True, **kw)  # a plain resume keeps them
    assert len(again.failed) == 2 and again.manifest["sessions"][-1]["runs_to_do"] == 0
    retried = run_sweep(spec, out, resume=True, retry_failed=True, **kw)
    assert retried.manifest["sessions"][-1]["runs_to_do"] == 2
    assert sorted(retried.runs["run_id"]) == [0, 1, 2, 3] and retried.failed.empty


def test_retrying_never_replaces_runs_that_succeeded(tmp_path):
    # run 0 fails beside three good runs in one chunk, and a retried chunk starts at run 0
    # again: the good runs must survive the retry
    spec = {"steps": 2, "base": {"n_orgs": 5},
            "axes": {"ambition": [3.0, 0.5, 0.6, 0.7, 3.1, 3.2, 3.3, 3.4]}}
    out = tmp_path / "out"
    kw = {"engine": "serial", "progress": False, "runner": "sweep_helpers:failing_runner",
          "chunk_size": 4}
    import sys as _sys

    _sys.path.insert(0, str(Path(__file__).parent))
    first = run_sweep(spec, out, **kw)
    good = first.runs[first.runs["status"] == "ok"].drop(columns=["elapsed_s"])
    retried = run_sweep(spec, out, resume=True, retry_failed=True, **kw)
    assert sorted(retried.runs["run_id"]) == list(range(8))
    kept = retried.runs[retried.runs["status"] == "ok"].drop(columns=["elapsed_s"])
    assert kept.reset_index(drop=True).equals(good.reset_index(drop=True))
    assert retried.manifest["runs_written"] == 8


# --- 6, 7. the viz host and conflicting or empty options -------------------------------------

def test_viz_warns_when_the_page_is_open_to_the_network(monkeypatch, capsys):
    from trustnet.viz import launch

    class Child:
        def wait(self, timeout=None):
            return 0

    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(launch, "ensure_assets", lambda: Path("."))
    monkeypatch.setattr(launch.subprocess, "Popen", lambda *a, **k: Child())
    assert launch.serve(host="0.0.0.0", port=port) == 0
    captured = capsys.readouterr()
    assert "opens the page to the network" in captured.err
    assert f"http://0.0.0.0:{port}/" in captured.out
    assert launch.serve(host="127.0.0.1", port=port) == 0
    assert "network" not in capsys.readouterr().err
    assert launch.serve(host="no-such-host.invalid", port=port) == 2
    err = capsys.readouterr().err
    assert "not a known name" in err and "in use" not in err


@pytest.mark.parametrize(("argv", "words"), [
    (["sweep", "SPEC", "--engine", "serial", "--workers", "2"], "serial engine"),
    (["sweep", "SPEC", "--engine", "serial", "--scheduler", "tcp://x:1"], "serial engine"),
    (["sweep", "SPEC", "--scheduler", "tcp://x:1", "--workers", "2"], "own workers"),
    (["sweep", "SPEC", "--engine", "processes", "--scheduler", "tcp://x:1"], "Dask cluster"),
    (["plot", "SPEC", "--outcomes", ""], "argument --outcomes: got ''"),
    (["params", "--group", ""], "argument --group: got ''"),
    (["validate", "--workers", "100000"], "per usable core"),
    (["sweep", "SPEC", "--out", ""], "argument --out: got ''"),
    (["sweep", "SPEC", "--scheduler", ""], "argument --scheduler: got ''"),
    (["sweep", "SPEC", "--retry-failed"], "add --resume"),
    (["run", "--out", ""], "argument --out: got ''"),
    (["run", "--plot", ""], "argument --plot: got ''"),
    (["run", "--scenario", ""], "argument --scenario: got ''"),
    (["run", "--steps", "100001"], "[1, 100000]"),
])
def test_conflicting_or_empty_options_get_one_line(tmp_path, capsys, argv, words):
    spec = str(_write(tmp_path, SPEC))
    line = _one_line_error(capsys, *[spec if a == "SPEC" else a for a in argv])
    assert words in line


# --- 8. abnormal stops leave a manifest that says what happened -----------------------------

SLOW = """
steps = 120
replications = 100
[base]
n_orgs = 30
[axes]
ambition = [0.5, 1.0]
"""


def _start(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, Path, list[str]]:
    spec = _write(tmp_path, SLOW)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "trustnet", "sweep", str(spec), "--out", str(out),
           "--workers", "2", "--chunk-size", "2", "--quiet", *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while (len(list((out / "runs").glob("part-*.parquet"))) < 4 and proc.poll() is None
           and time.monotonic() < deadline):
        time.sleep(0.01)
    assert proc.poll() is None, "the sweep finished before it could be stopped"
    return proc, out, cmd


def test_sigterm_stops_a_sweep_like_ctrl_c(tmp_path):
    proc, out, cmd = _start(tmp_path)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert err.strip().splitlines() == [err.strip()] and "terminated" in err and "--resume" in err
    manifest = json.loads((out / "manifest.json").read_text())
    written = len(ParquetStore(out).done_ids())
    assert manifest["status"] == "interrupted"
    assert manifest["sessions"][-1]["runs_done"] == written > 0
    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=180,
                             check=False)
    assert resumed.returncode == 0, resumed.stderr
    assert _ids(out) == list(range(200))


def test_a_killed_session_is_recorded_with_what_it_wrote(tmp_path):
    proc, out, cmd = _start(tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until the first periodic manifest write
        sessions = json.loads((out / "manifest.json").read_text())["sessions"]
        if sessions[-1]["runs_done"]:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    written = len(ParquetStore(out).done_ids())
    running = json.loads((out / "manifest.json").read_text())
    assert running["status"] == "running" and running["sessions"][-1]["runs_done"] > 0
    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=180,
                             check=False)
    assert resumed.returncode == 0, resumed.stderr
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert sessions[0]["finished"] == "killed" and sessions[0]["runs_done"] == written
    assert sessions[0]["runs_done"] + sessions[1]["runs_done"] == 200


def test_plot_says_when_a_sweep_is_incomplete(tmp_path, capsys):
    out = tmp_path / "out"
    run_sweep(_write(tmp_path, SPEC), out, engine="serial", progress=False, chunk_size=1)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["status"] = "interrupted"
    (out / "manifest.json").write_text(json.dumps(manifest))
    next((out / "runs").glob("part-*.parquet")).unlink()
    code, _, err = _cli(capsys, "plot", str(out))
    assert code == 0 and "holds 3 of 4 runs" in err and "--resume" in err


# --- no spec ends in a traceback ---------------------------------------------------------------

def _toml(value) -> str:
    """A value as TOML (inline tables and arrays; enough for these specs)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") \
            if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"


SCALARS = (st.booleans() | st.integers(-3, 200) | st.floats(allow_nan=True)
           | st.sampled_from(["", "x", "swedish_eldercare", "small_shared", "../x", "nan",
                              "nao", "lead", "directive", "true", "0.5"]))
NUMBERS = st.integers(-2, 60) | st.floats(-1, 5, allow_nan=False) | st.just(math.nan)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(["ambition", "label", "x", "start",
                                                         "stop", "num", "n"]), inner,
                                        max_size=3), max_leaves=6)
PARAMS = st.sampled_from(["ambition", "n_orgs", "mandated", "governance", "takeover",
                          "nao_style", "meeting_interval", "forgetting", "unknown_name"])
# edits of a valid spec: mostly plausible values in the right places, some arbitrary ones
EDITS = st.one_of(
    st.tuples(st.just("base"), PARAMS, st.floats(0.05, 1) | st.integers(3, 8) | SCALARS),
    st.tuples(st.just("axes"), PARAMS, st.lists(st.floats(0.05, 1), min_size=1, max_size=2,
                                                unique=True)
              | st.lists(NUMBERS | SCALARS, max_size=3)
              | st.fixed_dictionaries({"start": NUMBERS, "stop": NUMBERS, "num": NUMBERS})),
    st.tuples(st.just("outputs"), st.sampled_from(["series", "every", "projects", "plot"]),
              st.lists(st.sampled_from(["mean_trust", "output", "nope"]), max_size=2)
              | SCALARS),
    st.tuples(st.just("arms"), st.none(), st.lists(st.dictionaries(
        st.sampled_from(["label", "ambition", "takeover", "events"]), SCALARS, max_size=2),
        max_size=3)),
    st.tuples(st.sampled_from(["name", "description", "scenario", "steps", "replications",
                               "seed", "samples", "sensitivity", "events", "members", "ties",
                               "unknown"]), st.none(), VALUES),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDITS, min_size=1, max_size=3))
def test_no_spec_makes_sweep_end_in_a_traceback(tmp_path_factory, capsys, edits):
    spec: dict = {"steps": 2, "replications": 1, "base": {"n_orgs": 5},
                  "axes": {"ambition": [0.5, 1.0]}}
    for key, sub, value in edits:
        if sub is not None:
            if not isinstance(spec.get(key), dict):
                spec[key] = {}
            spec[key][sub] = value
        else:
            spec[key] = value
    # keep a spec that is valid small: few runs, few months
    if isinstance(spec.get("steps"), int) and spec["steps"] > 5:
        spec["steps"] = 5
    if isinstance(spec.get("replications"), int) and spec["replications"] > 2:
        spec["replications"] = 2
    folder = tmp_path_factory.mktemp("spec")
    path = folder / "spec.toml"
    path.write_text("\n".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in spec.items()) + "\n")
    try:
        load_spec(path)  # bounded: the property is about input, not about long sweeps
        small = load_spec(path).n_runs() <= 8
    except SpecError:
        small = True
    if not small:
        return
    code, _, err = _cli(capsys, "sweep", str(path), "--out", str(folder / "out"), "--engine",
                        "serial", "--quiet")
    assert code in (0, 2), err
    if code == 2:
        assert len(err.strip().splitlines()) == 1 and err.startswith("trustnet: error:"), err


def test_a_tiny_sensitivity_design_says_so_without_warnings(tmp_path, capsys):
    import warnings

    spec = _write(tmp_path, """
steps = 2
[base]
n_orgs = 5
[sensitivity]
trajectories = 2
levels = 4
[sensitivity.ranges]
ambition = [0.4, 2.0]
takeover = [0.0, 1.0]
""")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        code, out, err = _cli(capsys, "sensitivity", str(spec), "--method", "morris", "--out",
                              str(tmp_path / "o"), "--engine", "serial", "--quiet")
    assert code == 0, err
    assert "no outcome has a mu_star" in out and not err


# --- 10, 11. one rule for booleans and numbers; arguments of the Python API -------------------

def test_booleans_are_true_or_false_in_every_input(tmp_path, capsys):
    from trustnet import TrustNetworkModel
    from trustnet.core.run import run_model

    for text in ("yes", "on", "1"):
        line = _one_line_error(capsys, "run", "--set", f"mandated={text}", "--steps", "1")
        assert f"got '{text}'; allowed: true or false" in line
    code, _, _ = _cli(capsys, "run", "--set", "mandated=True", "--steps", "1")
    assert code == 0
    for value in ("yes", 1):
        with pytest.raises(ValueError, match="allowed: true or false"):
            TrustNetworkModel(mandated=value)
    import numpy as np

    assert TrustNetworkModel(mandated=np.bool_(True)).params["mandated"] is True
    # a spec is TOML: booleans and numbers unquoted, "none" the one text a number may be
    for text, words in (('mandated = "true"', "got 'true' (text); allowed: true or false"),
                        ('ambition = "0.5"', "got '0.5' (text)"), ("mandated = 1", "got 1")):
        path = _write(tmp_path, f"steps = 1\n[base]\n{text}\n")
        assert words in _one_line_error(capsys, "sweep", str(path), "--engine", "serial")
    assert load_spec({"axes": {"nao_withdrawal_step": ["none", 60]}}).axes[
        "nao_withdrawal_step"] == [None, 60]
    with pytest.raises(ValueError, match="steps: got True"):
        run_model(steps=True)
    assert len(run_model(steps=np.int64(2)).series) == 3


@pytest.mark.parametrize("seed", [-1, True, 1.5, "7"])
def test_a_bad_seed_is_named(seed):
    from trustnet import TrustNetworkModel
    from trustnet.core.run import run_model

    with pytest.raises(ValueError, match=r"^seed: got"):
        run_model(seed=seed, steps=1)
    with pytest.raises(ValueError, match=r"^rng: got"):
        TrustNetworkModel(rng=seed)


@pytest.mark.parametrize("strikes", ["after the write", "during the write"])
def test_an_interrupt_while_a_chunk_is_written_is_counted_as_it_landed(tmp_path, monkeypatch,
                                                                       strikes):
    # Ctrl-C or SIGTERM strike between any two statements: a chunk on disk is counted, one
    # that did not land is not, and a resume completes the sweep without doing a run twice
    original = ParquetStore.write
    calls = []

    def write(self, *tables):
        calls.append(1)
        if len(calls) == 2 and strikes == "during the write":
            raise KeyboardInterrupt
        original(self, *tables)
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(ParquetStore, "write", write)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_sweep(load_spec(_write(tmp_path, SPEC)), out, engine="serial", chunk_size=1,
                  progress=False)
    manifest = json.loads((out / "manifest.json").read_text())
    stored = len(ParquetStore(out).done_ids())
    assert stored == (2 if strikes == "after the write" else 1)
    assert manifest["status"] == "interrupted"
    assert manifest["sessions"][-1]["runs_done"] == stored
    monkeypatch.setattr(ParquetStore, "write", original)
    result = run_sweep(load_spec(_write(tmp_path, SPEC)), out, engine="serial", resume=True,
                       progress=False)
    assert sorted(result.runs["run_id"]) == list(range(4))
    assert result.manifest["sessions"][-1]["runs_done"] == 4 - stored
