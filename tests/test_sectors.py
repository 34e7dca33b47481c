"""Sectors as data: the built-in five keep their calibration, other sectors come from a table."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from trustnet import TrustNetworkModel, run_model
from trustnet.core.roster import RosterError
from trustnet.core.sectors import BUILT_IN, SectorError, read_sectors

SECTORS = pd.DataFrame({"sector": ["hospital", "pharmacy", "general_practice"],
                        "share": [1, 2, 3], "power": [None, 0.5, 1.0],
                        "attendance": [None, 0.05, None]})
ROSTER = pd.DataFrame({"name": [f"m{i}" for i in range(12)],
                       "sector": ["hospital"] * 2 + ["pharmacy"] * 4 + ["general_practice"] * 6})


def _same(a, b):
    pd.testing.assert_frame_equal(a.series, b.series)
    pd.testing.assert_frame_equal(a.projects, b.projects)


def test_the_built_in_table_given_as_data_gives_the_same_run():
    table = BUILT_IN.table()[["sector", "share"]]  # power and attendance left to the built-ins
    _same(run_model(seed=4, steps=36), run_model(seed=4, steps=36, sectors=table))
    again = read_sectors(table)
    assert again == BUILT_IN and again.attendance[1] == "primary_care_attendance"


def test_a_table_of_other_sectors_sets_composition_power_attendance_and_needs():
    model = TrustNetworkModel(rng=1, sectors=SECTORS, n_orgs=30)
    assert np.bincount(model.orgs.sector).tolist() == [5, 10, 15]  # shares 1:2:3, exactly
    pharmacy = model.orgs.sector == 1
    assert np.all(model.orgs.base_attendance[pharmacy] == 0.05)
    assert np.all(model.orgs.base_attendance[~pharmacy] == model.params["base_attendance"])
    # a hospital (built-in power 3) outweighs a pharmacy (0.5) on average
    assert model.orgs.power[model.orgs.sector == 0].mean() > model.orgs.power[pharmacy].mean()
    attended = np.zeros(30)
    for _ in range(60):
        model.step()
        attended += model.orgs.attending
    assert attended[pharmacy].mean() < 0.3 * attended[~pharmacy].mean()
    needs = model.projects.table()["needs"].str.split(",").explode()
    assert set(needs) <= {"hospital", "pharmacy", "general_practice"} and len(needs) > 20
    assert model.organisations[int(np.flatnonzero(pharmacy)[0])].sector_name == "pharmacy"


def test_a_roster_may_use_sectors_of_its_own_and_takes_their_shares_from_its_composition():
    table = SECTORS.drop(columns="share")
    model = TrustNetworkModel(rng=2, members=ROSTER, sectors=table)
    assert model.orgs.sectors.share.tolist() == pytest.approx([2 / 12, 4 / 12, 6 / 12])
    assert np.all(model.orgs.base_attendance[2:6] == 0.05)
    with pytest.raises(RosterError, match="row 1, column 'sector': got 'hospital'"):
        TrustNetworkModel(members=ROSTER, sectors=SECTORS.iloc[1:])
    with pytest.raises(RosterError, match="or another sector given in a sector table"):
        TrustNetworkModel(members=ROSTER)  # pharmacy is not built in


def test_a_sector_nobody_belongs_to_is_never_needed():
    roster = ROSTER.assign(sector=["hospital"] * 4 + ["general_practice"] * 8)
    result = run_model(members=roster, sectors=SECTORS.drop(columns="share"), seed=3, steps=60)
    needs = set(result.projects["needs"].str.split(",").explode())
    assert "pharmacy" not in needs and needs == {"hospital", "general_practice"}


def test_primary_care_attendance_still_sets_the_built_in_primary_care():
    model = TrustNetworkModel(rng=1, primary_care_attendance=0.3,
                              events=[{"month": 2, "set": {"primary_care_attendance": 0.02}}])
    primary = model.orgs.sector == BUILT_IN.index("primary_care")
    assert np.all(model.orgs.base_attendance[primary] == 0.3)
    model.step()
    model.step()
    assert np.all(model.orgs.base_attendance[primary] == 0.02)


def test_dense_and_sparse_storage_agree_with_sectors_of_ones_own():
    dense = TrustNetworkModel(rng=5, sectors=SECTORS, n_orgs=30, tie_storage="dense")
    sparse = TrustNetworkModel(rng=5, sectors=SECTORS, n_orgs=30, tie_storage="sparse")
    for _ in range(30):
        dense.step()
        sparse.step()
    pd.testing.assert_frame_equal(dense.datacollector.get_model_vars_dataframe(),
                                  sparse.datacollector.get_model_vars_dataframe())
    pd.testing.assert_frame_equal(dense.projects.table(), sparse.projects.table())


@pytest.mark.parametrize("text, words", [
    ("sector,share\nhospital,1\nhospital,2\n", ["row 2, column 'sector'", "also row 1"]),
    ("sector,share\nhospital,1\nclinic,\n", ["row 2, column 'share'", "on every row, or on none"]),
    ("sector,attendance\nclinic,1.5\n", ["row 1, column 'attendance'", "got 1.5",
                                         "allowed: a number in [0, 1]"]),
    ("sector,power\nclinic,0\n", ["row 1, column 'power'", "allowed: a number in"]),
    ("sector,size\nclinic,1\n", ["unknown column 'size'", "allowed: sector, share"]),
    ("share\n1\n", ["missing column 'sector'"]),
    ("sector,share\nclinic,0\nward,0\n", ["all zero"]),
    ("sector\n\n", ["no sectors"]),
])
def test_bad_sector_tables_are_refused_in_one_line(tmp_path, text, words):
    path = tmp_path / "sectors.csv"
    path.write_text(text)
    with pytest.raises(SectorError) as error:
        read_sectors(path)
    message = str(error.value)
    assert message.startswith(str(path)) and "\n" not in message
    for word in words:
        assert word in message, message


def test_a_generated_network_needs_shares():
    with pytest.raises(ValueError, match="gives no shares"):
        TrustNetworkModel(sectors=SECTORS.drop(columns="share"))


def test_sectors_from_the_command_line_a_scenario_file_and_a_sweep(tmp_path, capsys):
    from trustnet.cli import main
    from trustnet.experiment import run_sweep
    from trustnet.experiment.store import StoreError
    from trustnet.scenario_files import load_scenario_file

    SECTORS.to_csv(tmp_path / "sectors.csv", index=False)
    ROSTER.to_csv(tmp_path / "members.csv", index=False)
    assert main(["run", "--sectors", str(tmp_path / "sectors.csv"), "--set", "n_orgs=18",
                 "--steps", "6"]) == 0
    assert "sectors: hospital, pharmacy, general_practice from" in capsys.readouterr().out
    (tmp_path / "bad.csv").write_text("sector,attendance\nclinic,2\n")
    assert main(["run", "--sectors", str(tmp_path / "bad.csv"), "--steps", "6"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "row 1, column 'attendance'" in err

    (tmp_path / "mine.toml").write_text('sectors = "sectors.csv"\nmembers = "members.csv"\n')
    file = load_scenario_file(tmp_path / "mine.toml")
    assert file.members.sectors.names == ("hospital", "pharmacy", "general_practice")
    assert str(tmp_path / "sectors.csv") in file.files()
    assert main(["run", "--scenario", str(tmp_path / "mine.toml"), "--steps", "6"]) == 0

    spec = tmp_path / "sweep.toml"
    spec.write_text('sectors = "sectors.csv"\nsteps = 6\nreplications = 2\n[base]\nn_orgs = 12\n')
    out = tmp_path / "out"
    res = run_sweep(spec, out, engine="serial", progress=False)
    assert (res.runs["status"] == "ok").all()
    SECTORS.assign(attendance=[None, 0.5, None]).to_csv(tmp_path / "sectors.csv", index=False)
    with pytest.raises(StoreError):  # the table's contents are part of the experiment
        run_sweep(spec, out, engine="serial", progress=False, resume=True)


def test_the_example_roster_is_unchanged_by_sectors_becoming_data():
    example = Path(__file__).resolve().parents[1] / "experiments" / "own_network"
    model = TrustNetworkModel(rng=1, members=example / "members.csv")
    assert model.orgs.sectors is BUILT_IN
