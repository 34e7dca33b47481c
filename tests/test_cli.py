"""The trustnet command line: fast help, one-line errors with exit code 2, working commands."""

from __future__ import annotations

import json
import subprocess
import sys
import types

import pandas as pd
import pytest

from trustnet.cli import main
from trustnet.core.parameters import PARAMETERS
from trustnet.core.scenarios import SCENARIOS

HEAVY = ("mesa", "pandas", "numpy", "dask", "distributed", "scipy", "matplotlib", "pyarrow",
         "numba")


@pytest.mark.parametrize("argv", [["--help"], ["sweep", "--help"], ["run", "--help"],
                                  ["validate", "--help"]])
def test_help_imports_no_heavy_module(argv):
    # what keeps the help fast (benchmarks/suite.py times it)
    code = (
        "import sys\n"
        "from trustnet.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "examples:" in result.stdout


def _error(capsys, argv) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("trustnet: error: ") and err.count("\n") == 1, err
    return err


@pytest.mark.parametrize("argv, words", [
    (["run", "--set", "ambtion=1"], ["'ambtion'", "did you mean 'ambition'"]),
    (["run", "--set", "ambition=99"], ["'ambition'", "(0, 10]"]),
    (["run", "--set", "governance=anarchy"], ["'governance'", "'nao', 'lead', 'shared'"]),
    (["run", "--scenario", "atlantis"], ["'atlantis'", "swedish_eldercare"]),
    (["run", "--out", "series.xlsx"], ["series.xlsx", ".parquet, .csv"]),
    (["params", "--group", "nothing"], ["'nothing'", "coordinator"]),
    (["plot", "no/such/folder"], ["no/such/folder", "no such folder"]),
    (["viz", "--scenario", "atlantis"], ["'atlantis'"]),
])
def test_bad_input_is_one_line_with_exit_code_2(capsys, argv, words):
    err = _error(capsys, argv)
    for word in words:
        assert word in err


def test_argparse_errors_are_one_line_too(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run", "--steps", "many"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("trustnet: error: argument --steps: got 'many'") and err.count("\n") == 1


def test_bad_spec_exits_2_with_one_line_naming_file_and_key(tmp_path):
    spec = tmp_path / "bad.toml"
    spec.write_text("steps = 10\n[axes]\ntakeover = [0.5, 1.5]\n")
    result = subprocess.run([sys.executable, "-m", "trustnet.cli", "sweep", str(spec)],
                            capture_output=True, text=True, cwd=tmp_path, check=False)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"trustnet: error: {spec}: [axes] takeover:")
    assert "[0, 1]" in result.stderr
    assert not (tmp_path / "results").exists()  # nothing ran
    missing = subprocess.run([sys.executable, "-m", "trustnet.cli", "sweep", "nope.toml"],
                             capture_output=True, text=True, cwd=tmp_path, check=False)
    assert missing.returncode == 2 and "nope.toml: no such spec file" in missing.stderr


def test_run_prints_summary_and_writes_series_and_plot(tmp_path, capsys):
    csv, parquet, png = tmp_path / "s.csv", tmp_path / "s.parquet", tmp_path / "s.png"
    assert main(["run", "--scenario", "small_shared", "--set", "ambition=1.2", "--steps", "24",
                 "--seed", "3", "--out", str(csv), "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "scenario small_shared, seed 3, 24 months" in out
    assert "ambition=1.2" in out and "during the run" in out and "at the end" in out
    assert "mean_trust" in out and "success_rate" in out
    series = pd.read_csv(csv)
    assert list(series["step"]) == list(range(25)) and "mean_trust" in series.columns
    assert png.stat().st_size > 1000
    assert main(["run", "--steps", "6", "--set", "n_orgs=6", "--out", str(parquet)]) == 0
    same = pd.read_parquet(parquet)
    assert len(same) == 7 and same["active_members"].iloc[0] == 6


def test_sweep_then_plot(tmp_path, capsys):
    spec = tmp_path / "tiny.toml"
    spec.write_text(
        'steps = 12\nreplications = 3\n[base]\nn_orgs = 6\n'
        '[axes]\nambition = [0.5, 1.5]\ngovernance = ["shared", "nao"]\n'
        '[outputs]\nseries = ["mean_trust", "output"]\nplot = ["mean_trust", "output"]\n')
    out = tmp_path / "res"
    assert main(["sweep", str(spec), "--out", str(out), "--engine", "serial", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "4 arms x 3 replications = 12 runs of 12 months" in text and "done: 12 runs" in text
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs_written"] == 12
    assert len(manifest["replication_seeds"]) == 3 and manifest["versions"]["mesa"]
    assert (out / "spec.toml").read_text() == spec.read_text()
    assert main(["plot", str(out)]) == 0
    written = capsys.readouterr().out.split()
    names = {p.rsplit("/", 1)[-1] for p in written}
    assert names == {"by_ambition.png", "by_governance.png",
                     "heatmap_ambition_governance.png", "series.png"}
    assert main(["plot", str(out), "--outcomes", "mean_trust,bogus"]) == 2
    assert "unknown outcome 'bogus'" in capsys.readouterr().err


def test_params_and_scenarios_list_everything(capsys):
    assert main(["params"]) == 0
    out = capsys.readouterr().out
    for name in PARAMETERS:
        assert name in out
    assert "Source:" in out and "no lit." in out
    assert main(["params", "--format", "csv", "--group", "coordinator"]) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    assert rows[0].startswith("name,label,group,default,allowed,unit,meaning,source")
    assert len(rows) - 1 == sum(p.group == "coordinator" for p in PARAMETERS.values())
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for name, scenario in SCENARIOS.items():
        assert name in out and scenario.source in out


def test_viz_passes_its_arguments_to_the_launcher(monkeypatch):
    calls = []
    fake = types.ModuleType("trustnet.viz.launch")
    fake.serve = lambda **kw: calls.append(kw) or 0
    monkeypatch.setitem(sys.modules, "trustnet.viz.launch", fake)
    assert main(["viz", "--scenario", "belgian_mandated", "--port", "8611",
                 "--host", "0.0.0.0"]) == 0
    assert calls == [{"scenario": "belgian_mandated", "host": "0.0.0.0", "port": 8611}]


def test_python_dash_m_trustnet_is_the_command():
    done = subprocess.run([sys.executable, "-m", "trustnet", "validate", "--replications", "0"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and done.stderr.startswith("trustnet: error: argument "
                                                           "--replications")
