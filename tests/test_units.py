"""Mechanisms on hand-built inputs: a month of work, a project's end, a meeting's decisions.

Each builds only the state the mechanism takes (members, ties, portfolio, coordinator,
parameters, a generator), never a whole model, and checks what the mechanism says it changes.
"""

from types import SimpleNamespace

import numpy as np
import pytest

from trustnet.core import decisions, work
from trustnet.core.coordinator import Coordinator, Post
from trustnet.core.meetings import Outcomes
from trustnet.core.organisations import Organisations
from trustnet.core.parameters import resolve
from trustnet.core.projects import ACTIVE, FAILED, SUCCEEDED, Portfolio
from trustnet.core.ties import DenseTies

TEAM = np.arange(5)


def world(n=10, seed=1, **overrides):
    """Members, ties, an empty portfolio and a coordinator for ``overrides`` of the defaults."""
    params = resolve({"n_orgs": n, **overrides})
    return SimpleNamespace(
        params=params, rng=np.random.default_rng(seed),
        orgs=Organisations(params, np.random.default_rng(seed + 100)),
        ties=DenseTies(np.full(n, params["initial_strength"]), params),
        projects=Portfolio(params["team_size"]),
        coordinator=Coordinator(params),
    )


def add_project(w, members=TEAM, start=1, duration=6, planned=0.3):
    w.orgs.load[members] += 1
    team = np.full((1, w.projects.team_size), -1, dtype=np.int64)
    team[0, :len(members)] = members
    return int(w.projects.add_many(
        ambition=np.ones(1), level=np.ones(1, dtype=np.int64), needs=np.zeros((1, 5), dtype=bool),
        members=team, start=start, duration=duration, planned_capacity=np.array([planned]),
        origin=np.zeros(1, dtype=np.int64), missing=np.zeros(1, dtype=np.int64))[0])


def month_of_work(w, step=1):
    teams = work.active_teams(w.projects, w.orgs, w.params, step)
    effort = work.work_month(teams, w.orgs, w.projects, w.ties, w.coordinator, w.params, w.rng,
                             step)
    return teams, effort


# --- a month of work ---------------------------------------------------------------------------
def test_a_month_of_work_accounts_for_every_unit_of_effort():
    w = world(volunteering=0.0, takeover=1.0, coordinator_capacity=5.0, open_task_share=0.8)
    add_project(w)
    volunteering_before = w.orgs.volunteering.copy()
    teams, (members, by_coordinator) = month_of_work(w)
    row = teams.act[0]
    # nobody volunteers, so the coordinator takes the open task over
    assert by_coordinator == pytest.approx(0.8 * 0.3) and members > 0
    assert w.projects.progress[row] == pytest.approx(members + by_coordinator)
    assert w.projects.effort_coordinator[row] == pytest.approx(by_coordinator)
    assert w.coordinator.workload == pytest.approx(by_coordinator)
    # the group learns to rely on it; members outside the group do not
    assert np.all(w.orgs.volunteering[TEAM] <= volunteering_before[TEAM])
    assert np.all(w.orgs.coordinator_tie[TEAM] > 0)
    assert np.all(w.orgs.coordinator_tie[5:] == 0)


def test_work_by_the_coordinator_builds_no_ties_between_members():
    def after_a_month(takeover):
        w = world(volunteering=0.0, takeover=takeover, coordinator_capacity=5.0,
                  open_task_share=0.8, initial_strength=0.0)
        row = add_project(w)
        month_of_work(w)
        work.credit_joint_work(np.array([row]), w.projects, w.orgs, w.ties, w.params)
        share = w.projects.effort_coordinator[row] / w.projects.progress[row]
        return w.ties.strength[np.ix_(TEAM, TEAM)].sum() / 20, share

    drifted, coordinator_share = after_a_month(1.0)
    own_work, no_share = after_a_month(0.0)
    assert coordinator_share > 0.5 and no_share == 0
    assert own_work > 0 and drifted < 0.5 * own_work


def test_a_directive_coordinator_assigns_the_orphaned_task_to_a_member():
    # takeover 0: the coordinator neither takes the task nor rescues the project itself
    w = world(volunteering=0.0, takeover=0.0, nao_style="directive", coordinator_legitimacy=1.0,
              open_task_share=0.8, overrule_penalty=0.5)
    add_project(w)
    trust_before = w.orgs.trust_in_network.copy()
    _, (members, by_coordinator) = month_of_work(w)
    assert by_coordinator == 0.0 and members > 0
    assert w.coordinator.acted_directively
    # exactly one member was told to do it, and resents it unless it is the most powerful
    lost = np.flatnonzero(w.orgs.trust_in_network < trust_before)
    assert len(lost) <= 1 and set(lost) <= set(TEAM)


def test_no_projects_no_work():
    w = world()
    teams, effort = month_of_work(w)
    assert len(teams.act) == 0 and effort == (0.0, 0.0)


# --- a project's end ---------------------------------------------------------------------------
def end_with(delivered_per_required, **params):
    w = world(**params)
    row = add_project(w, start=1, duration=6)
    w.projects.progress[row] = delivered_per_required * w.projects.required[row]
    w.projects.effort_members[row] = w.projects.progress[row]
    w.ties.refresh()
    trust_before = w.ties.trust()[np.ix_(TEAM, TEAM)].copy()
    progress_before = w.orgs.perceived_progress.copy()
    not_yet = work.close_projects(w.projects, None, w.orgs, w.ties, w.params, w.rng, step=6)
    assert len(not_yet.rows) == 0 and w.projects.status[row] == ACTIVE  # deadline is month 7
    ended = work.close_projects(w.projects, None, w.orgs, w.ties, w.params, w.rng, step=7)
    change = w.ties.trust()[np.ix_(TEAM, TEAM)] - trust_before
    off_diagonal = ~np.eye(len(TEAM), dtype=bool)
    return w, row, ended, change[off_diagonal], w.orgs.perceived_progress - progress_before


def test_a_project_delivered_in_full_succeeds_and_its_members_trust_each_other_more():
    w, row, ended, trust_change, progress_change = end_with(delivered_per_required=10.0)
    assert list(ended.rows) == [row] and ended.success.all()
    assert w.projects.status[row] == SUCCEEDED and w.projects.ended[row] == 7
    assert ended.output == pytest.approx(w.projects.ambition[row])
    assert ended.perceived[0] == pytest.approx(ended.value[0] - w.params["progress_expectation"])
    assert np.all(trust_change > 0)
    # those who did the work perceive progress; the others have not heard yet
    assert np.all(progress_change[TEAM] > 0) and np.all(progress_change[5:] == 0)


def test_a_project_hardly_delivered_fails_and_its_members_trust_each_other_less():
    w, row, ended, trust_change, progress_change = end_with(delivered_per_required=0.05)
    assert not ended.success.any() and w.projects.status[row] == FAILED
    assert ended.output == 0.0 and ended.perceived[0] == -1.0
    assert np.all(trust_change < 0)
    assert np.all(progress_change[TEAM] < 0)


def test_without_outcome_evidence_an_end_teaches_members_nothing_about_each_other():
    for delivered in (10.0, 0.05):
        _, _, ended, trust_change, progress_change = end_with(delivered, outcome_evidence=0.0)
        assert len(ended.rows) == 1 and np.all(trust_change == 0)
        assert np.all(progress_change[TEAM] != 0)  # they still perceive the outcome


def test_outcomes_accumulate_until_the_meeting_reports_them():
    tally = Outcomes()
    tally.add(np.array([0.5, -1.0]))
    tally.add(np.array([0.25]))
    assert (tally.total, tally.count) == (pytest.approx(-0.25), 3)


# --- a meeting's decisions ---------------------------------------------------------------------
def item(origin=decisions.MEMBER, proposer=-1):
    return decisions.Proposal(origin=origin, proposer=proposer, needs=np.eye(5, dtype=bool)[2],
                              level=1, ambition=1.0)


def recruit(w, proposal, step=4, again=True):
    """The group formed for one adopted item (None if none), as a meeting forms it; ``again``
    leaves members' load as it was, so that repeated calls are alike draws."""
    load = w.orgs.load.copy()
    formed = decisions.form_groups([proposal], w.orgs, w.ties, w.coordinator, w.projects,
                                   w.params, w.rng, step)
    if again:
        w.orgs.load[:] = load
    return formed[0] if formed else None


def decide(w, agenda, present=None):
    present = np.arange(w.orgs.n) if present is None else present
    return decisions.decide(agenda, present, w.orgs, w.ties, w.coordinator, w.params, w.rng)


def test_without_support_an_item_is_deferred_with_more_support_then_dropped():
    w = world(nao_style="coordinating", goal_consensus=0.0, initial_trust=0.01,
              consensus_quorum=0.9)
    agenda = [item()]
    for deferrals in range(1, decisions.MAX_DEFERRALS + 1):
        adopted, agenda = decide(w, agenda)
        assert adopted == [] and len(agenda) == 1
        assert agenda[0].deferrals == deferrals
        assert agenda[0].support_bonus == pytest.approx(deferrals * decisions.DELIBERATION_BONUS)
    adopted, agenda = decide(w, agenda)
    assert adopted == [] and agenda == []


def test_broad_support_adopts_and_overrules_nobody():
    w = world(goal_consensus=1.0, consensus_quorum=0.5)
    before = w.orgs.trust_in_network.copy()
    adopted, deferred = decide(w, [item(), item()])
    assert len(adopted) == 2 and deferred == []
    assert np.array_equal(w.orgs.trust_in_network, before)


def test_an_imposed_item_is_adopted_and_those_against_it_are_overruled():
    w = world(goal_consensus=0.0, initial_trust=0.01, overrule_penalty=0.5)
    before = w.orgs.trust_in_network.copy()
    adopted, deferred = decide(w, [item(origin=decisions.EXTERNAL)])
    assert len(adopted) == 1 and deferred == []
    lost = w.orgs.trust_in_network < before
    weakest = np.argmin(w.orgs.power)
    assert lost[weakest] and lost.sum() >= w.orgs.n // 2


def test_a_directive_coordinator_defers_what_the_powerful_do_not_back():
    w = world(nao_style="directive", goal_consensus=0.0, initial_trust=0.01)
    adopted, deferred = decide(w, [item()])
    assert adopted == [] and len(deferred) == 1 and w.coordinator.acted_directively


def test_a_legitimate_directive_coordinator_decides_with_little_backing():
    def adopted_share(legitimacy):
        w = world(nao_style="directive", goal_consensus=0.3, coordinator_legitimacy=legitimacy,
                  initial_trust=0.3)
        return np.mean([len(decide(w, [item()])[0]) for _ in range(200)])

    # the coordinator needs only the backing its legitimacy does not give
    assert adopted_share(0.9) > 0.85 and adopted_share(0.0) < 0.2


def test_without_a_coordinator_dissent_can_veto_an_item():
    def adopted_share(trust):
        w = world(governance="shared", n=30, goal_consensus=0.65, consensus_quorum=0.5,
                  initial_trust=trust)
        w.ties.refresh()
        adopted, _ = decide(w, [item() for _ in range(200)])
        return len(adopted) / 200

    assert adopted_share(0.2) < adopted_share(0.9)


def test_recruitment_forms_a_group_that_becomes_a_project():
    w = world(n=20, initial_commitment=1.0, base_attendance=1.0, primary_care_attendance=1.0)
    w.orgs.attending[:] = True
    trust_before = w.orgs.trust_in_network.copy()
    proposal = item(proposer=3)
    team = recruit(w, proposal, again=False)
    assert team is not None and 2 <= len(team) <= w.params["team_size"]
    assert np.all(w.orgs.active[team]) and len(set(team)) == len(team)
    assert np.all(w.orgs.trust_in_network[team] > trust_before[team])
    assert w.coordinator.workload == pytest.approx(decisions.RECRUITMENT_WORK)
    row = 0
    assert w.projects.count == 1 and w.projects.start[row] == 4
    assert list(w.projects.members[row, :len(team)]) == list(team)
    assert w.projects.deadline[row] == 4 + w.params["project_duration"]
    assert np.all(w.orgs.load[team] == 1) and w.orgs.load.sum() == len(team)
    assert w.projects.required[row] > 0


def test_the_groups_of_one_meeting_are_formed_in_turn():
    w = world(n=20, initial_commitment=1.0, base_attendance=1.0, primary_care_attendance=1.0)
    w.orgs.attending[:] = True
    spare = w.orgs.capacity * w.orgs.commitment  # nobody is overruled by a coordinating NAO
    first, second = decisions.form_groups([item(), item()], w.orgs, w.ties, w.coordinator,
                                          w.projects, w.params, w.rng, 4)
    assert w.projects.count == 2 and len(np.intersect1d(first, second))
    assert w.coordinator.workload == pytest.approx(2 * decisions.RECRUITMENT_WORK)
    assert np.all(w.orgs.load[np.intersect1d(first, second)] == 2)
    # members of the first group can spare only half their time for the second
    assert w.projects.planned_capacity[0] == pytest.approx(spare[first].sum())
    in_first = np.isin(second, first)
    assert w.projects.planned_capacity[1] == pytest.approx(
        (spare[second] / (1.0 + in_first)).sum())


def test_the_proposer_is_asked_first():
    w = world(n=20, initial_commitment=1.0, base_attendance=1.0, primary_care_attendance=1.0)
    w.orgs.attending[:] = True
    teams = [recruit(w, item(proposer=3)) for _ in range(20)]
    with_proposer = [team for team in teams if team is not None and 3 in team]
    assert with_proposer and all(team[0] == 3 for team in with_proposer)


def test_nobody_accepts_no_group():
    w = world(initial_commitment=0.0)
    w.orgs.commitment[:] = 0.0
    assert recruit(w, item()) is None


# --- the coordinator's post --------------------------------------------------------------------
def test_the_post_is_one_named_state_through_exit_vacancy_and_withdrawal():
    w = world(coordinator_exit_rate=1.0, coordinator_capacity=0.01, vacancy_months=2,
              nao_withdrawal_step=400)
    c = w.coordinator
    assert c.post is Post.IN_POST and c.present
    for month in range(1, 400):
        c.start_month(month, 10)  # an overloaded coordinator strains, and leaves
        if c.end_month(w.rng):
            break
    assert c.exits == 1 and c.post is Post.VACANT and c.vacant and not c.present
    assert not c.start_month(month + 1, 10) and not c.start_month(month + 2, 10)
    assert c.vacant
    assert c.start_month(month + 3, 10)  # a successor starts afresh
    assert c.present and c.tenure == 1 and c.strain == 0.0
    assert c.start_month(400, 10) and c.post is Post.WITHDRAWN and c.withdrawn
    assert not c.start_month(401, 10) and c.post is Post.WITHDRAWN
    assert c.all_tenures() == c.tenures and len(c.tenures) == 2
    assert Coordinator(resolve({"governance": "shared"})).post is Post.NONE


# --- the public names --------------------------------------------------------------------------
def test_the_public_names_are_the_cores_and_load():
    import trustnet
    import trustnet.core
    from trustnet.core import _EXPORTS

    assert sorted(trustnet.__all__) == sorted(trustnet.core.__all__) == sorted(_EXPORTS)
    for name in trustnet.__all__:
        assert getattr(trustnet, name) is getattr(trustnet.core, name)


def test_a_scenario_name_applies_that_scenario_beneath_the_given_parameters():
    from trustnet import SCENARIOS, TrustNetworkModel, scenario_params

    model = TrustNetworkModel(rng=1, scenario="belgian_mandated", ambition=1.5)
    assert model.params == scenario_params("belgian_mandated", {"ambition": 1.5})
    assert model.params["mandated"] and model.scenario_name == "belgian_mandated"
    assert set(SCENARIOS["belgian_mandated"].overrides) - {"ambition"} <= set(model.params)
    with pytest.raises(ValueError, match="unknown scenario 'belgian'"):
        TrustNetworkModel(scenario="belgian")
    with pytest.raises(TypeError, match="parameter 'scenario'"):
        TrustNetworkModel(scenario=3)


# --- version 0.3.0: trust as a collaborative advantage, rescue, strain, mood, motivation -------
def test_trust_above_the_start_lowers_transaction_costs_and_below_raises_them():
    def efficiency(trust, cost=0.3):
        w = world(transaction_cost=cost)
        add_project(w)
        if trust is not None:
            good, bad = (trust - 0.5) * 20, 0.0
            if trust < 0.5:
                good, bad = 0.0, (0.5 - trust) * 20
            i, j = np.meshgrid(TEAM, TEAM)
            keep = i != j
            w.ties.add_evidence(i[keep], j[keep], good, bad)
            w.ties.refresh()
        teams = work.active_teams(w.projects, w.orgs, w.params, 1)
        return work.tie_effects(teams, w.ties, w.projects, w.params)[0][0]

    at_start = efficiency(None)
    assert at_start == pytest.approx(efficiency(None, cost=0.0))  # plans allow for it
    assert efficiency(0.9) > 1.2 * at_start and efficiency(0.2) < 0.8 * at_start
    assert efficiency(0.9, cost=0.0) == pytest.approx(at_start)  # the knockout


def test_the_coordinator_rescues_a_late_project_and_may_overcommit():
    def rescued(capacity, overcommitment):
        w = world(volunteering=1.0, takeover=1.0, coordinator_capacity=capacity,
                  overcommitment=overcommitment, open_task_share=0.3)
        row = add_project(w, planned=0.3)
        w.projects.required[row] *= 3.0  # far behind its schedule from the first month
        _, (_, by_coordinator) = month_of_work(w)
        return by_coordinator, w.coordinator.workload / capacity

    effort, load = rescued(5.0, 0.0)
    assert effort > 0 and load < 1.0  # within its free capacity
    # the open task (0.09) is more than its free time (0.06)
    assert rescued(0.06, 0.0)[0] == 0.0  # no time left and no overcommitment
    effort, load = rescued(0.06, 1.0)
    assert effort > 0 and load > 1.0  # overcommitted: beyond its capacity
    assert rescued(0.01, 1.0)[0] == 0.0  # but not without limit: twice 0.01 is too little


def test_strain_settles_graded_with_a_steady_load():
    def settled(load):
        params = resolve({"coordinator_exit_rate": 0.0})
        c = Coordinator(params)
        for _ in range(400):
            c.workload = load * c.effective_capacity
            c.end_month(np.random.default_rng(0))
        return c.strain

    low, mid, high = settled(0.7), settled(1.0), settled(1.5)
    assert low == 0.0 and 0.05 < mid < high < 1.0


def test_a_meeting_in_a_bad_mood_builds_mistrust_and_a_good_one_trust():
    from trustnet.core.meetings import hold_conversations

    def after(mood):
        w = world(meeting_contacts=100)
        present = np.arange(w.orgs.n)
        hold_conversations(w.ties, present, np.ones(w.orgs.n), 0.3, mood, w.params, w.rng)
        w.ties.refresh()
        return w.ties.metrics()[0]

    neutral = after(0.0)
    assert after(0.5) > neutral > 0.5 > after(-0.5)
    w = world(meeting_mood_weight=0.0, meeting_contacts=100)
    hold_conversations(w.ties, np.arange(10), np.ones(10), 0.3, -1.0, w.params, w.rng)
    w.ties.refresh()
    assert w.ties.metrics()[0] == pytest.approx(neutral)  # the knockout: news makes no mood


def test_commitment_recovers_towards_a_motivation_that_follows_trust_in_the_network():
    w = world(commitment_recovery=0.5)
    base = w.orgs.commitment_base.copy()
    w.orgs.trust_in_network[:5] += 0.3
    w.orgs.commitment[:] = base
    w.orgs.recover(24, w.params)
    assert np.all(w.orgs.commitment[:5] > base[:5])
    assert np.allclose(w.orgs.commitment[5:], base[5:])
    w = world(commitment_recovery=0.5, motivation_trust_link=0.0)
    w.orgs.trust_in_network[:5] += 0.3
    w.orgs.commitment[:] = w.orgs.commitment_base
    w.orgs.recover(24, w.params)
    assert np.allclose(w.orgs.commitment, w.orgs.commitment_base)


def test_an_item_needs_one_or_two_sectors_drawn_by_share_and_its_proposers_own():
    def items(**overrides):
        w = world(n=20, external_project_rate=0.0, lead_interest_bias=0.0, **overrides)
        return w, [it for _ in range(400) for it in decisions.propose(
            np.arange(20), w.orgs, w.ties, w.coordinator, w.params, w.rng)]

    w, theirs = items(proposal_rate=0.0, coordinator_initiative=1.0)  # the NAO's: no proposer
    assert len(theirs) == 400 and all(it.proposer == -1 for it in theirs)
    sizes = np.array([it.needs.sum() for it in theirs])
    assert set(sizes) == {1, 2} and 0.4 < np.mean(sizes == 1) < 0.6  # one or two, by a coin
    needed = np.mean([it.needs for it in theirs], axis=0)  # in proportion to the share
    assert np.argmax(needed) == np.argmax(w.orgs.sectors.share)
    w, members = items(proposal_rate=4.0, coordinator_initiative=0.0)
    assert len(members) > 400
    assert all(it.needs[w.orgs.sector[it.proposer]] and it.needs.sum() <= 3 for it in members)
    assert all(it.level in (1, 2, 3) and it.ambition > 0 for it in theirs + members)


def test_members_who_trust_the_network_propose_more():
    def proposals(trust_in_network, link=1.0):
        w = world(n=20, coordinator_initiative=0.0, initiative_trust_link=link)
        w.orgs.trust_in_network[:] = trust_in_network
        present = np.arange(20)
        return np.mean([len(decisions.propose(present, w.orgs, w.ties, w.coordinator,
                                              w.params, w.rng)) for _ in range(400)])

    assert proposals(0.75) > 1.3 * proposals(0.5) > 1.3 * proposals(0.3)
    assert proposals(0.75, link=0.0) == pytest.approx(proposals(0.5, link=0.0), rel=0.15)


@pytest.mark.parametrize("storage", ["dense", "sparse"])
def test_working_ties_trust_density_and_trust_earned(storage):
    from trustnet.core.ties import make_ties

    params = resolve({"n_orgs": 6})
    ties = make_ties(np.full(6, 0.1), params, storage)
    assert ties.working_trust() == pytest.approx(0.5) and ties.metrics()[1] == 0.0
    i, j = np.array([0, 1]), np.array([1, 0])
    ties.mark_worked(np.array([0, 1]))
    ties.add_evidence(i, j, 3.0)
    ties.refresh()
    # the pair that worked together trusts (above the prior by more than the margin)
    assert ties.working_trust() == pytest.approx((3 + 0.5) / (3 + 1), rel=1e-6)
    assert ties.metrics()[1] == pytest.approx(2 / 30)
    before = ties.metrics()[0]
    ties.shock(np.arange(6), 2.0)
    assert ties.metrics()[0] > before
    assert ties.earned_mean_trust() == pytest.approx(before, rel=1e-6)
    ties.forget(12)
    ties.refresh()
    assert ties.earned_mean_trust() < ties.metrics()[0]


def test_a_disillusioned_coordinator_strains_without_overload():
    def settled(disillusionment, weight=0.2):
        params = resolve({"coordinator_exit_rate": 0.0, "disillusion_strain": weight})
        c = Coordinator(params)
        for _ in range(300):
            c.workload = 0.3 * c.effective_capacity  # well within what it can sustain
            c.disillusionment = disillusionment
            c.end_month(np.random.default_rng(0))
        return c.strain

    assert settled(0.0) == 0.0 and 0.1 < settled(0.5) < settled(1.0) < 1.0
    assert settled(1.0, weight=0.0) == 0.0


def test_members_join_a_network_they_trust_more_readily():
    def joined(trust, link=1.0):
        # members with little time to give, so that groups do not fill up either way
        w = world(n=20, acceptance_trust_link=link, nao_style="coordinating",
                  initial_commitment=0.15)
        i, j = np.meshgrid(np.arange(20), np.arange(20))
        keep = i != j
        if trust > 0.5:
            w.ties.add_evidence(i[keep], j[keep], (trust - 0.5) * 2 / (1 - trust))
        w.ties.refresh()
        w.orgs.attending[:] = True
        sizes = [recruit(w, item()) for _ in range(300)]
        return np.mean([0 if t is None else len(t) for t in sizes])

    assert joined(0.8) > 1.1 * joined(0.5)
    assert joined(0.8, link=0.0) == pytest.approx(joined(0.5, link=0.0), rel=0.1)


def test_a_directive_coordinator_tells_members_to_join_and_overrules_the_unwilling():
    w = world(n=20, nao_style="directive", coordinator_legitimacy=1.0, initial_commitment=0.05,
              overrule_penalty=0.5)
    w.orgs.attending[:] = True
    before = w.orgs.trust_in_network.copy()
    team = recruit(w, item())
    assert team is not None and len(team) == w.params["team_size"]
    # hardly anyone would have agreed, so most of the group was told and lost trust
    overruled = w.orgs.trust_in_network[team] < before[team] + w.params["inclusion_gain"] * (
        1 - before[team]) - 1e-12
    assert overruled.sum() >= len(team) - 2
