"""Your own network: members and existing ties from data, checked row by row."""

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from trustnet import TrustNetworkModel, run_model
from trustnet.core.roster import RosterError, read_members
from trustnet.core.sectors import SECTORS

EXAMPLE = Path(__file__).resolve().parents[1] / "experiments" / "own_network"
MEMBERS = pd.DataFrame({
    "name": ["A", "B", "C", "D", "E"],
    "sector": ["hospital", "primary_care", "primary_care", "municipal_care", "social_services"],
    "power": [1.0, None, None, None, 0.2], "attendance": [None, 0.05, None, None, None],
})
TIES = pd.DataFrame({"source": ["A", "B"], "target": ["B", "A"], "trust": [0.8, 0.3],
                     "strength": [0.6, None]})


def test_the_roster_sets_the_members_exactly_as_given():
    model = TrustNetworkModel(rng=1, members=EXAMPLE / "members.csv")
    roster = pd.read_csv(EXAMPLE / "members.csv")
    assert model.params["n_orgs"] == len(roster) == 23
    counts = pd.Series([SECTORS[s] for s in model.orgs.sector]).value_counts().to_dict()
    assert counts == roster["sector"].value_counts().to_dict()
    assert counts == {"hospital": 2, "primary_care": 6, "municipal_care": 8,
                      "social_services": 4, "private_provider": 3}
    assert model.orgs.power[0] == 1.0 and model.orgs.power[1] == 0.9
    assert np.all(model.orgs.base_attendance[2:8] == 0.1)  # primary care seldom comes
    assert model.orgs.commitment[8] == 0.8
    assert model.organisations[0].name == "Regional Hospital"


def test_given_ties_are_there_at_month_zero_and_then_evolve():
    result = run_model(members=MEMBERS, ties=TIES, steps=24, seed=2, tie_months=[0, 24])
    start = result.given_ties[result.given_ties.month == 0].set_index(["source", "target"])
    assert start.loc[("A", "B"), "trust"] == pytest.approx(0.8, abs=1e-6)
    assert start.loc[("B", "A"), "trust"] == pytest.approx(0.3, abs=1e-6)  # asymmetric
    assert start.loc[("A", "B"), "strength"] == pytest.approx(0.6)
    assert start.loc[("B", "A"), "strength"] == pytest.approx(0.6)  # strength is symmetric
    end = result.given_ties[result.given_ties.month == 24].set_index(["source", "target"])
    assert end.loc[("A", "B"), "trust"] != start.loc[("A", "B"), "trust"]


def test_a_pair_given_once_applies_both_ways():
    model = TrustNetworkModel(rng=1, members=MEMBERS, ties=TIES.iloc[:1])
    assert model.ties.trust_of(np.array([0, 1]), np.array([1, 0])) == pytest.approx([0.8, 0.8],
                                                                                     abs=1e-6)


def test_a_networkx_graph_is_a_roster_with_ties():
    graph = nx.DiGraph()
    for row in MEMBERS.itertuples():
        graph.add_node(row.name, sector=row.sector)
    graph.add_edge("A", "B", trust=0.9)
    model = TrustNetworkModel(rng=1, members=graph, ties=graph)
    assert model.params["n_orgs"] == 5
    assert model.ties.trust_of(np.array([0]), np.array([1]))[0] == pytest.approx(0.9, abs=1e-6)


def test_rosters_and_ties_keep_dense_and_sparse_storage_identical():
    frames = []
    for storage in ("dense", "sparse"):
        model = TrustNetworkModel(rng=3, members=EXAMPLE / "members.csv",
                                  ties=EXAMPLE / "ties.csv", tie_storage=storage,
                                  events=[{"month": 6, "action": "trust_shock",
                                           "evidence": -1.0}])
        model.run_for(36)
        frames.append(model.datacollector.get_model_vars_dataframe())
    pd.testing.assert_frame_equal(frames[0], frames[1], check_exact=False, rtol=1e-9)


def test_organisation_level_data_carries_the_names():
    model = TrustNetworkModel(rng=1, members=MEMBERS, org_data_every=6)
    model.run_for(6)
    frame = model.datacollector.get_agenttype_vars_dataframe(type(model.organisations[0]))
    assert list(frame.loc[6, "name"]) == list(MEMBERS["name"])


# --- bad input: one line naming the file, row and column -------------------------------------
def _csv(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("text, words", [
    ("name,sector\nA,hospital\nB,hosptal\nC,primary_care\n",
     ["row 2, column 'sector'", "'hosptal'", "allowed: one of hospital"]),
    ("name,sector\nA,hospital\nA,hospital\nC,primary_care\n",
     ["row 2, column 'name'", "'A' is also row 1"]),
    ("name,sector,power\nA,hospital,2\nB,hospital,\nC,primary_care,\n",
     ["row 1, column 'power'", "got 2", "[0.0001, 1]"]),
    ("name,sector,size\nA,hospital,2\nB,hospital,\nC,primary_care,\n",
     ["unknown column 'size'", "allowed: name, sector"]),
    ("name\nA\nB\nC\n", ["missing column 'sector'"]),
    ("name,sector\nA,hospital\nB,hospital\n", ["2 members; allowed: at least 3"]),
])
def test_bad_rosters_are_refused_in_one_line(tmp_path, text, words):
    path = _csv(tmp_path, "members.csv", text)
    with pytest.raises(RosterError) as error:
        read_members(path)
    message = str(error.value)
    assert message.startswith(str(path)) and "\n" not in message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("text, words", [
    ("source,target\nA,Z\n", ["row 1, column 'target'", "'Z' is not a member"]),
    ("source,target\nA,A\n", ["row 1: a tie of 'A' to itself"]),
    ("source,target,trust\nA,B,1.0\n", ["row 1, column 'trust'", "[0.01, 0.99]"]),
    ("source,target\nA,B\nA,B\n", ["row 2: the pair 'A' -> 'B' is given twice"]),
    ("source,target,strength\nA,B,0.5\nB,A,0.7\n", ["two strengths"]),
])
def test_bad_ties_are_refused_in_one_line(tmp_path, text, words):
    path = _csv(tmp_path, "ties.csv", text)
    with pytest.raises(RosterError) as error:
        TrustNetworkModel(members=MEMBERS, ties=path)
    for word in words:
        assert word in str(error.value), str(error.value)


def test_size_comes_from_the_roster_alone():
    with pytest.raises(ValueError, match="parameter 'n_orgs': the roster"):
        TrustNetworkModel(members=MEMBERS, n_orgs=5)
    with pytest.raises(ValueError, match="given ties need the members"):
        TrustNetworkModel(ties=TIES)
    with pytest.raises(RosterError, match="no such members file"):
        TrustNetworkModel(members="no/such/file.csv")


def test_a_sweep_reads_its_roster_beside_the_spec_and_refuses_to_resume_an_edited_one(tmp_path):
    from trustnet.experiment import run_sweep
    from trustnet.experiment.store import StoreError

    MEMBERS.to_csv(tmp_path / "members.csv", index=False)
    TIES.to_csv(tmp_path / "ties.csv", index=False)
    spec = tmp_path / "mine.toml"
    spec.write_text('members = "members.csv"\nties = "ties.csv"\nsteps = 12\nreplications = 2\n'
                    '[[arms]]\nlabel = "baseline"\n[[arms]]\nlabel = "shock"\n'
                    'events = [{month = 6, action = "trust_shock", evidence = 2.0}]\n')
    out = tmp_path / "out"
    res = run_sweep(spec, out, engine="serial", progress=False)
    assert (res.runs["n_orgs"] == 5).all() and (res.runs["status"] == "ok").all()
    MEMBERS.assign(power=[1.0, 0.5, None, None, 0.2]).to_csv(tmp_path / "members.csv",
                                                              index=False)
    with pytest.raises(StoreError):
        run_sweep(spec, out, engine="serial", progress=False, resume=True)


def test_the_command_line_runs_your_network_and_refuses_a_bad_roster(tmp_path, capsys):
    from trustnet.cli import main

    assert main(["run", "--members", str(EXAMPLE / "members.csv"), "--ties",
                 str(EXAMPLE / "ties.csv"), "--steps", "12"]) == 0
    assert "members: 23 from" in capsys.readouterr().out
    bad = _csv(tmp_path, "m.csv", "name,sector\nA,hospital\nB,nursing\nC,hospital\n")
    for argv, words in ((["--members", str(bad)], "row 2, column 'sector'"),
                        (["--ties", str(EXAMPLE / "ties.csv")], "need the members"),
                        (["--members", str(EXAMPLE / "members.csv"), "--set", "n_orgs=5"],
                         "give one or the other")):
        assert main(["run", *argv]) == 2
        err = capsys.readouterr().err
        assert err.startswith("trustnet: error:") and err.count("\n") == 1 and words in err, err


def test_ambition_is_explained_in_planning_terms():
    from trustnet.core.parameters import DEFAULTS
    from trustnet.core.projects import planning_terms

    text = planning_terms({**DEFAULTS, "ambition": 0.5})
    assert "asks its working group for 50% of the network time" in text
    assert "for all of its 6 months" in text and "succeeds with probability" in text
    low = planning_terms({**DEFAULTS, "ambition": 0.5})
    high = planning_terms({**DEFAULTS, "ambition": 2.0})
    assert int(low.split("probability ")[1].split("%")[0]) > int(
        high.split("probability ")[1].split("%")[0])


def test_a_member_leaves_by_name_and_only_a_member_of_the_roster_can():
    from trustnet.core.events import EventError

    result = run_model(members=MEMBERS, steps=12, seed=1,
                       events=[{"month": 6, "action": "member_leaves", "name": "B"}])
    members = result.series["active_members"]
    assert members.loc[5] == 5 and (members.loc[6:] == 4).all()
    for events, words in (
            ([{"month": 6, "action": "member_leaves", "name": "Z"}], "'Z' is not a member"),
            ([{"month": 6, "action": "member_leaves", "name": "B"},
              {"month": 8, "action": "member_leaves", "name": "B"}], "'B' has already left")):
        with pytest.raises(EventError, match=words):
            TrustNetworkModel(members=MEMBERS, events=events)
    with pytest.raises(EventError, match="needs a roster"):
        TrustNetworkModel(events=[{"month": 6, "action": "member_leaves", "name": "B"}])


def test_members_join_at_their_month_and_cannot_leave_before():
    from trustnet.core.events import EventError

    later = MEMBERS.assign(joins=[0, 0, 0, 10, None])
    result = run_model(members=later, steps=20, seed=1)
    members = result.series["active_members"]
    assert (members.loc[:9] == 4).all() and (members.loc[10:] == 5).all()
    model = TrustNetworkModel(rng=1, members=later)
    assert not model.orgs.active[3] and model.orgs.n_active == 4
    with pytest.raises(EventError, match="'D' joins at month 10, so it cannot leave at month 5"):
        TrustNetworkModel(members=later, events=[{"month": 5, "action": "member_leaves",
                                                  "name": "D"}])
    with pytest.raises(RosterError, match="at least one must be a member from the start"):
        read_members(MEMBERS.assign(joins=[3, 3, 3, 3, 3]))
    with pytest.raises(RosterError, match="row 1, column 'joins'"):
        read_members(MEMBERS.assign(joins=[1.5, 0, 0, 0, 0]))


def test_a_member_due_later_or_never_joins_when_an_event_brings_it_in():
    from trustnet.core.events import EventError

    roster = MEMBERS.assign(joins=[0, 0, 0, 0, "never"])
    base = run_model(members=roster, steps=20, seed=1).series["active_members"]
    assert (base == 4).all()
    joined = run_model(members=roster, steps=20, seed=1,
                       events=[{"month": 8, "action": "member_joins", "name": "E"}])
    members = joined.series["active_members"]
    assert (members.loc[:7] == 4).all() and (members.loc[8:] == 5).all()
    pd.testing.assert_frame_equal(joined.series.loc[:7], run_model(
        members=roster, steps=20, seed=1).series.loc[:7])
    for events, words in (
            ([{"month": 8, "action": "member_joins", "name": "A"}], "'A' is a member by then"),
            ([{"month": 8, "action": "member_leaves", "name": "E"}], "'E' never joins"),
            ([{"month": 8, "action": "member_joins", "name": "E"},
              {"month": 9, "action": "member_leaves", "name": "E"},
              {"month": 10, "action": "member_joins", "name": "E"}], "does not come back")):
        with pytest.raises(EventError, match=words):
            TrustNetworkModel(members=roster, events=events)


def test_a_member_brought_in_early_who_leaves_is_not_brought_back_at_its_roster_month():
    roster = MEMBERS.assign(joins=[0, 0, 0, 0, 12])
    result = run_model(members=roster, steps=20, seed=1, events=[
        {"month": 4, "action": "member_joins", "name": "E"},
        {"month": 8, "action": "member_leaves", "name": "E"}])
    members = result.series["active_members"]
    assert (members.loc[4:7] == 5).all() and (members.loc[8:] == 4).all()
