"""Scenario files: a network and its what-ifs saved once, reused in run and sweep."""

import pytest

from trustnet.cli import main
from trustnet.scenario_files import ScenarioFileError, load_scenario_file, write_template


def test_a_template_is_a_valid_scenario_that_runs(tmp_path, capsys):
    assert main(["scenarios", "new", "regional", "--dir", str(tmp_path)]) == 0
    assert "wrote" in capsys.readouterr().out
    file = load_scenario_file(tmp_path / "regional.toml")
    assert len(file.members) == 6 and file.base == "swedish_eldercare"
    assert file.parameters == {"ambition": 0.8}
    assert main(["run", "--scenario", str(tmp_path / "regional.toml"), "--steps", "6"]) == 0
    out = capsys.readouterr().out
    assert "regional.toml (from swedish_eldercare)" in out and "members: 6" in out
    assert main(["scenarios", "new", "regional", "--dir", str(tmp_path)]) == 2
    assert "exists already" in capsys.readouterr().err


def test_a_sweep_takes_a_scenario_file_with_its_network_and_events(tmp_path):
    from trustnet.experiment import run_sweep

    write_template("mine", tmp_path)
    text = (tmp_path / "mine.toml").read_text().replace(
        "events = [", 'events = [{ month = 4, action = "withdraw_coordinator" },')
    (tmp_path / "mine.toml").write_text(text)
    spec = tmp_path / "sweep.toml"
    spec.write_text('scenario = "mine.toml"\nsteps = 8\nreplications = 2\n'
                    '[base]\nambition = 1.0\n')
    res = run_sweep(spec, engine="serial", progress=False)
    assert (res.runs["n_orgs"] == 6).all() and (res.runs["ambition"] == 1.0).all()
    assert (res.runs["coordinator_present"] == 0).all()  # the file's event ran


@pytest.mark.parametrize("text, words", [
    ('nme = "x"\n', ["unknown key 'nme'", "'name'"]),
    ('scenario = "swedish"\n', ["scenario:", "unknown scenario 'swedish'"]),
    ('[parameters]\nambition = -1\n', ["parameters:", "parameter 'ambition'"]),
    ('events = [{ month = 0, action = "lift_mandate" }]\n', ["events:", "'month' got 0"]),
    ('ties = "t.csv"\n', ["ties:", "need the members"]),
    ('members = "none.csv"\n', ["none.csv: no such members file"]),
    ("name = \n", ["not valid TOML"]),
])
def test_bad_scenario_files_are_refused_in_one_line(tmp_path, text, words, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioFileError) as error:
        load_scenario_file(path)
    for word in words:
        assert word in str(error.value), str(error.value)
    assert main(["run", "--scenario", str(path)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_scenario_files_stay_at_the_top_of_a_spec_and_a_bad_one_stops_the_browser_view(
        tmp_path, capsys):
    from trustnet.experiment.spec import SpecError, load_spec

    write_template("mine", tmp_path)
    with pytest.raises(SpecError, match="a scenario file goes at the top level"):
        load_spec({"arms": [{"label": "a", "scenario": "mine.toml"}]})
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\nmembers = "missing.csv"\n')
    assert main(["viz", "--scenario", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.csv" in err


def test_the_committed_example_network_is_a_scenario_file_with_four_what_ifs():
    from pathlib import Path

    from trustnet.experiment.spec import load_spec

    experiments = Path(__file__).resolve().parents[1] / "experiments"
    spec = load_spec(experiments / "own_network.toml")
    assert len(spec.members) == 23 and len(spec.ties.i) == 14  # 7 pairs, both ways
    assert spec.arms[0]["label"] == "baseline" and len(spec.arms) == 5
    assert all("events" in a for a in spec.arms[1:])


def test_the_built_in_scenarios_are_shipped_files_a_user_can_copy(tmp_path):
    import shutil
    from pathlib import Path

    from trustnet.core.scenarios import FOLDER, SCENARIOS, scenario_params

    shipped = sorted(r.name for r in FOLDER.iterdir() if r.name.endswith(".toml"))
    assert shipped == sorted(f"{name}.toml" for name in SCENARIOS) and len(shipped) == 5
    for name, scenario in SCENARIOS.items():
        copy = Path(shutil.copy(scenario.path, tmp_path / f"my_{name}.toml"))
        file = load_scenario_file(copy)  # a built-in file is a valid scenario file of yours
        assert file.title == scenario.title
        assert " ".join(file.description.split()) == scenario.description
        assert scenario_params(file.base, file.parameters) == scenario_params(name)
    assert SCENARIOS["belgian_mandated"].overrides["mandated"] is True
