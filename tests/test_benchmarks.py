"""The benchmark suite runs end to end on tiny sizes (its figures are not checked here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SUITE = Path(__file__).resolve().parent.parent / "benchmarks" / "suite.py"


def suite(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SUITE), *argv], capture_output=True, text=True,
                          check=False)


def test_model_and_memory_sections_write_their_figures(tmp_path):
    out = tmp_path / "results.json"
    done = suite("--only", "model,memory", "--sizes", "12", "24", "--steps", "4",
                 "--repeats", "1", "--json", str(out))
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text())
    rows = results["model"]["rows"]
    assert [r["n_orgs"] for r in rows] == [12, 24]
    assert all(r["trustnet_s"] > 0 and r["virus_s"] > 0 and r["ratio"] > 0 for r in rows)
    assert all(r["ties"] > 0 for r in rows)
    memory = results["memory"]["rows"]
    assert all(r["peak_mb"] >= r["baseline_mb"] > 0 for r in memory)
    assert results["growth"]["trustnet time"]["vs_orgs"] is not None
    assert results["machine"]["logical_cores"] >= 1
    # the 10,000-organisation targets were not measured, so they are not judged
    assert results["targets"]["time_10000"]["met"] is None
    assert "Whole run" in done.stdout and "Targets" in done.stdout
    again = suite("--from-json", str(out))
    assert again.returncode == 0 and "Peak memory" in again.stdout


def test_bad_input_is_one_line_with_exit_code_2(tmp_path):
    for argv in (["--only", "speed"], ["--sizes", "2"], ["--sweep-runs", "0"],
                 ["--from-json", str(tmp_path / "missing.json")]):
        done = suite(*argv)
        assert done.returncode == 2, argv
        assert len(done.stderr.strip().splitlines()) == 1 and "error" in done.stderr, argv
        assert "Traceback" not in done.stderr


def test_startup_and_sensitivity_sections_run_to_the_end(tmp_path):
    out = tmp_path / "results.json"
    done = suite("--quick", "--only", "startup,sensitivity", "--json", str(out))
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text())
    startup = {r["command"]: r for r in results["startup"]["rows"]}
    first = startup["trustnet run (first, empty cache)"]
    assert 0 < first["median_s"] <= first["compiled_after_s"]  # the run waited for nothing
    assert startup["trustnet run (kernels cached)"]["median_s"] > 0
    assert results["targets"]["first_run"]["met"] is not None
    sens = results["sensitivity"]
    assert sens["samples"] == 8 and sens["runs"] == 8 * (sens["parameters"] + 2)
    assert sens["failed_runs"] == 0
    assert {r["outcome"] for r in sens["convergence"]} <= {r["outcome"] for r in sens["top"]}
    # the quick design is not the one the target is about, so it is not judged
    assert results["targets"]["sobol_all"]["met"] is None
    assert "Sobol over every parameter" in done.stdout
