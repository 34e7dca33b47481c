"""Monthly work in the working groups, and the end of projects (M1, M2, M3, M8, M9).

Each month a working group delivers its routine share of the work with the capacity and
commitment its members can spare (split over their projects, less what meetings and shared
coordination cost them), at an efficiency set by how many of its pairs have ties at the level
the project requires (M8) and by the group's mutual trust, which spares it the cost of
negotiating, checking and chasing each other (trust as a collaborative advantage, M1). The rest
of the month's work is an open task nobody is assigned to (drafting, mapping, compiling). It
goes through a volunteer round in which each member's willingness falls with the size of the
group (the volunteer's dilemma) and grows with its trust in its teammates, which closes the
trust-building loop (M1). If nobody volunteers, the coordinator takes it over with propensity
``takeover`` when it has capacity left, and ``overcommitment`` times as readily when it has not
(then it works beyond its capacity, and strains); it also makes up part of the shortfall of a
project behind schedule. Progress continues, but each member of that group relies on the
coordinator a little more (their volunteering erodes), and work the coordinator does builds no
ties between members (M3). A directive coordinator, or an adaptive one whose project's deadline
looms (it is this month or next and the project is behind schedule), first assigns the task to
the member with most time to spare, who complies as far as it accepts the coordinator's
legitimacy and resents being overruled (M5). Members who volunteer earn their teammates' trust.

Joint work is credited to the ties between members at the next meeting or at the project's
end, whichever comes first: ties are re-evaluated when the network meets, so a month without
a meeting changes no pair.

At its deadline a project succeeds with a chance that falls logistically with required over
delivered effort and with each needed sector missing from the group (M2, M9). Its members
then gain trust evidence in each other: a success counts as much as it felt meaningful, a
failure ``failure_weight`` times as much against, both in proportion to the share of the work
the members did themselves (M1). Members perceive a success against what they expected of it
(``progress_expectation``), so an unambitious success disappoints a little (M2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trustnet.core.compiled import jit, maximum, minimum, pairwise_sum
from trustnet.core.coordinator import Coordinator
from trustnet.core.organisations import Organisations
from trustnet.core.projects import (
    ABANDONED,
    ACTIVE,
    FAILED,
    SUCCEEDED,
    Portfolio,
    meaning,
    pairs_within,
    success_probability,
    team_pairs,
)
from trustnet.core.ties import Ties


class WorkLedger:
    """Effort by members and by the coordinator over the last twelve months (role drift)."""

    WINDOW = 12

    def __init__(self) -> None:
        self.members = [0.0] * self.WINDOW
        self.coordinator = [0.0] * self.WINDOW

    def record(self, step: int, members: float, coordinator: float) -> None:
        slot = step % self.WINDOW
        self.members[slot] = members
        self.coordinator[slot] = coordinator

    def coordinator_share(self) -> float:
        by_coordinator = sum(self.coordinator)
        total = sum(self.members) + by_coordinator
        return by_coordinator / total if total > 0 else 0.0


@dataclass
class Teams:
    """The active working groups, rebuilt only when a project starts or ends or a member leaves."""

    key: tuple
    act: np.ndarray  # project rows
    team: np.ndarray  # members, -1 for empty slots or members who left
    per_project: np.ndarray  # 1 / number of projects of each member, 0 in empty slots
    size_factor: np.ndarray  # group size ** -volunteer_group_exponent
    efficiency: np.ndarray | None = None
    teammate_trust: np.ndarray | None = None  # each member's mean trust in its teammates
    ties_version: int = -1
    pairs: tuple | None = None  # the groups' ordered pairs (team_pairs), fixed with the groups


def active_teams(projects: Portfolio, orgs: Organisations, params: dict, step: int,
                 cached: Teams | None = None) -> Teams:
    """The working groups of this month: ``cached`` unless the portfolio or members changed.

    Groups all of whose members left are abandoned here; each member's load is recounted.
    """
    key = (projects.version, orgs.exits)
    if cached is not None and cached.key == key:
        return cached
    act, team, load, size, per_project, empty = _groups(projects.members, projects.status,
                                                        projects.count, orgs.active)
    if len(empty):  # a group whose members have all left is abandoned
        projects.end(act[empty], ABANDONED, step)
        keep = np.ones(len(act), dtype=bool)
        keep[empty] = False
        act, team, size, per_project = act[keep], team[keep], size[keep], per_project[keep]
        key = (projects.version, orgs.exits)
    orgs.load = load
    return Teams(key=key, act=act, team=team, per_project=per_project,
                 size_factor=size ** -params["volunteer_group_exponent"])


@jit
def _groups(members, status, count, active):  # pragma: no cover - compiled
    """The active projects' rows, their groups' active members (-1 elsewhere), each member's
    number of groups, each group's size (at least 1), each slot's share of its member's groups
    (1 / their number, 0 in empty slots) and the groups left with nobody."""
    rows = 0
    for p in range(count):
        rows += status[p] == ACTIVE
    act = np.empty(rows, dtype=np.int64)
    at = 0
    for p in range(count):
        if status[p] == ACTIVE:
            act[at] = p
            at += 1
    k = members.shape[1]
    team = np.full((rows, k), -1, dtype=np.int64)
    load = np.zeros(len(active), dtype=np.int64)
    size = np.zeros(rows)
    share = np.zeros((rows, k))
    empty = []
    for r in range(rows):
        filled = 0
        for a in range(k):
            who = members[act[r], a]
            if who >= 0 and active[who]:
                team[r, a] = who
                load[who] += 1
                filled += 1
        if filled == 0:
            empty.append(r)
        size[r] = max(filled, 1)
    for r in range(rows):
        for a in range(k):
            if team[r, a] >= 0:
                share[r, a] = 1.0 / max(load[team[r, a]], 1)
    return act, team, load, size, share, np.array(empty, dtype=np.int64)


def tie_effects(teams: Teams, ties: Ties, projects: Portfolio, params: dict
                ) -> tuple[np.ndarray, np.ndarray]:
    """Efficiency of each group (M8, M1) and each member's mean trust in its teammates (M1).

    Efficiency runs from ``misfit_efficiency`` (no pair at the required level) to 1 (the
    quorum of pairs is), times the saving of transaction costs: at the group's mean mutual
    trust T a share ``transaction_cost * 2 * (1 - T)`` of its effort goes to negotiating and
    checking, against the share expected at the starting trust that plans allow for. Both
    change only when ties do, so they are kept until then.
    """
    if teams.ties_version == ties.version and teams.efficiency is not None:
        return teams.efficiency, teams.teammate_trust
    if teams.pairs is None:
        row, i, j, slot_i = team_pairs(teams.team, with_slot_of="i")
        teams.pairs = (row, i, j, row * teams.team.shape[1] + slot_i,
                       np.bincount(row, minlength=len(teams.act)))
    row, i, j, cell, pairs = teams.pairs
    # trust saves the group the effort of negotiating, checking and chasing (Dyer & Chu 2003);
    # plans allow for the cost expected at the starting trust, so a group that trusts more than
    # that delivers more than planned, one that trusts less delivers less
    teams.efficiency, teams.teammate_trust = _tie_effects(
        row, cell, pairs, ties.level_of(i, j), ties.trust_of(i, j), projects.level, teams.act,
        teams.team.shape[1], ties.prior_mean,
        params["integration_quorum"], params["misfit_efficiency"], params["transaction_cost"])
    teams.ties_version = ties.version
    return teams.efficiency, teams.teammate_trust


@jit
def _tie_effects(row, cell, pairs, level, trust, required, act, k, prior_mean, quorum, floor,
                 transaction_cost):  # pragma: no cover - compiled
    n = len(pairs)
    at_level = np.zeros(n)
    mutual_sum = np.zeros(n)
    total = np.zeros(n * k)
    count = np.zeros(n * k, dtype=np.int64)
    for x in range(len(row)):
        r = row[x]
        if level[x] >= required[act[r]]:
            at_level[r] += 1.0
        t = np.float64(trust[x])
        mutual_sum[r] += t
        total[cell[x]] += t
        count[cell[x]] += 1
    teammate_trust = np.empty(n * k)
    for c in range(n * k):
        teammate_trust[c] = total[c] / count[c] if count[c] > 0 else prior_mean
    cost = transaction_cost * 2.0
    planned = maximum(1.0 - cost * (1.0 - prior_mean), 1e-9)
    efficiency = np.empty(n)
    for r in range(n):
        share = at_level[r] / pairs[r] if pairs[r] > 0 else 1.0
        fit = minimum(1.0, share / quorum)
        mutual = mutual_sum[r] / pairs[r] if pairs[r] > 0 else prior_mean
        # at most the cost a group without any trust would pay: planned at a low starting
        # trust, trust cannot multiply what a group delivers without bound
        saving = minimum(maximum(1.0 - cost * (1.0 - mutual), 0.0), 1.0)
        advantage = minimum(saving / planned, 1.0 + cost)
        efficiency[r] = (floor + (1.0 - floor) * fit) * advantage
    return efficiency, teammate_trust.reshape(n, k)


def work_month(teams: Teams, orgs: Organisations, projects: Portfolio, ties: Ties,
               coordinator: Coordinator, params: dict, rng: np.random.Generator, step: int
               ) -> tuple[float, float]:
    """One month of work on every active project of ``teams``.

    Updates the projects' progress and effort, the members' volunteering and the coordinator's
    workload; returns the effort by members and by the coordinator.
    """
    p = params
    n_act = len(teams.act)
    if n_act == 0:
        return 0.0, 0.0
    act = teams.act
    efficiency, teammate_trust = tie_effects(teams, ties, projects, p)
    # one draw per slot for the volunteer round, then per project: compliance with an
    # assignment, takeover and rescue (drawn whether needed or not, for common random numbers)
    draws = rng.random(teams.team.size + 3 * n_act)
    present = coordinator.present
    out = _work(
        teams.team, teams.per_project, teams.size_factor, projects.planned_capacity,
        projects.start, projects.deadline, projects.required, efficiency, teammate_trust, act,
        orgs.capacity, orgs.commitment, orgs.capacity_used, orgs.volunteering,
        orgs.coordinator_tie, projects.progress, projects.effort_members,
        projects.effort_coordinator, projects.joint_months, projects.volunteered, draws, step,
        p["open_task_share"], p["takeover"], p["reliance_erosion"], present,
        coordinator.style_code,
        coordinator.legitimacy if present else 0.0,
        coordinator.overcommit_chance() if present else 0.0,
        coordinator.effective_capacity if present else 0.0,
        coordinator.workload, coordinator.overwork_ceiling() if present else 0.0)
    member_effort, coordinator_effort, workload, acted, overruled = out
    if present:
        coordinator.workload = workload
        coordinator.acted_directively |= acted
    orgs.overrule(overruled, p)  # in the order the tasks were assigned
    return member_effort, coordinator_effort


@jit
def _work(team, per_project, size_factor, planned_capacity, start, deadline, required,
          efficiency, teammate_trust, act, capacity, commitment, capacity_used, volunteering,
          coordinator_tie, progress, effort_members, effort_coordinator, joint_months,
          volunteered, draws, step, open_task_share, takeover, reliance_erosion, present, style,
          legitimacy, beyond, effective_capacity, workload, ceiling
          ):  # pragma: no cover - compiled
    n_act, k = team.shape
    # each project's monthly open task and the effort due per month (required over planned
    # months); what each member can spare this month (nothing in an empty slot)
    task = np.empty(n_act)
    pace = np.empty(n_act)
    spare = np.zeros((n_act, k))
    for r in range(n_act):
        row = act[r]
        task[r] = open_task_share * planned_capacity[row]
        pace[r] = required[row] / max(deadline[row] - start[row], 1)
        for c in range(k):
            m = team[r, c]
            if m >= 0:
                free = 1.0 - capacity_used[m]
                spare[r, c] = capacity[m] * commitment[m] * maximum(free, 0.0)
    # routine work, at the group's efficiency; the open task's volunteer round: willingness
    # falls with group size and grows with trust in the teammates (twice the propensity at
    # full trust, none at none)
    routine = np.empty(n_act)
    shares = np.empty(k)
    volunteers = np.zeros((n_act, k), dtype=np.bool_)
    has_volunteer = np.zeros(n_act, dtype=np.bool_)
    for r in range(n_act):
        for c in range(k):
            shares[c] = spare[r, c] * per_project[r, c]
        routine[r] = (1.0 - open_task_share) * pairwise_sum(shares) * efficiency[r]
        for c in range(k):
            m = team[r, c]
            if m < 0:
                continue
            willing = (volunteering[m] * commitment[m] * size_factor[r] * 2.0
                       * teammate_trust[r, c])
            if draws[r * k + c] < willing:
                volunteers[r, c] = True
                has_volunteer[r] = True
    comply_at, takeover_at, rescue_at = n_act * k, n_act * k + n_act, n_act * k + 2 * n_act
    done_by_member = has_volunteer.copy()
    coordinator_effort = np.zeros(n_act)
    # the progress each project should have made by the end of this month
    due = np.empty(n_act)
    for r in range(n_act):
        due[r] = (step - start[act[r]] + 1) * pace[r]
    acted = False
    overruled = np.empty(n_act, dtype=np.int64)  # members told to do a task, in turn
    n_overruled = 0
    if present:
        free = effective_capacity - workload
        for r in range(n_act):
            if has_volunteer[r]:
                continue
            # a deadline looms when it is this month or next and the project is behind
            looms = deadline[act[r]] - step <= 1 and progress[act[r]] < due[r]
            assigns = style == 1 or (style == 2 and looms)
            acted |= assigns
            if assigns:
                # told to do it, the most available member complies as far as it accepts the
                # coordinator's authority, and resents being overruled
                slot, best = 0, -np.inf
                for c in range(k):
                    value = spare[r, c] if team[r, c] >= 0 else -1.0
                    if value > best:
                        slot, best = c, value
                if draws[comply_at + r] < legitimacy:
                    done_by_member[r] = True
                    overruled[n_overruled] = team[r, slot]
                    n_overruled += 1
                    continue
            # within its free time it takes the task with propensity ``takeover``; beyond it,
            # overcommitted, less readily (Homer 1985)
            size = task[r]
            chance = (takeover if free >= size else beyond if free + ceiling >= size else 0.0)
            if draws[takeover_at + r] < chance:
                free -= size
                workload += size
                coordinator_effort[r] = size
    member_effort = np.empty(n_act)
    for r in range(n_act):
        member_effort[r] = routine[r] + (task[r] * efficiency[r] if done_by_member[r] else 0.0)
    if present and takeover > 0:
        # a project behind its schedule after the month's work: the coordinator makes up the
        # shortfall, up to an open task's size, the work nobody else will do (role drift, M3)
        behind = []
        amounts = []
        for r in range(n_act):
            gap = due[r] - progress[act[r]] - member_effort[r]
            gap = minimum(gap, task[r])
            if gap > 0 and coordinator_effort[r] == 0:
                behind.append(r)
                amounts.append(gap)
        if len(behind):
            free = effective_capacity - workload
            gaps = np.array(amounts)
            if free >= pairwise_sum(gaps):  # it covers them all: one chance each
                taken = np.empty(len(behind))
                n_taken = 0
                for i in range(len(behind)):
                    if draws[rescue_at + behind[i]] < takeover:
                        coordinator_effort[behind[i]] = taken[n_taken] = gaps[i]
                        n_taken += 1
                workload += pairwise_sum(taken[:n_taken])
            else:  # free time runs out on the way: in turn
                for i in range(len(behind)):
                    size = gaps[i]
                    chance = (takeover if free >= size
                              else beyond if free + ceiling >= size else 0.0)
                    if draws[rescue_at + behind[i]] < chance:
                        free -= size
                        workload += size
                        coordinator_effort[behind[i]] = size
    if present:
        # members of groups whose work the coordinator took learn to rely on it (once a month,
        # however many of their groups it helped)
        reliant = np.zeros(len(volunteering), dtype=np.bool_)
        for r in range(n_act):
            if coordinator_effort[r] > 0:
                for c in range(k):
                    if team[r, c] >= 0:
                        reliant[team[r, c]] = True
        for m in range(len(volunteering)):
            if reliant[m]:
                volunteering[m] *= 1.0 - reliance_erosion
                coordinator_tie[m] += 0.05 * (1.0 - coordinator_tie[m])
    for r in range(n_act):
        row = act[r]
        progress[row] += member_effort[r] + coordinator_effort[r]
        effort_members[row] += member_effort[r]
        effort_coordinator[row] += coordinator_effort[r]
        total = member_effort[r] + coordinator_effort[r]
        joint_months[row] += member_effort[r] / total if total > 0 else 1.0
        for c in range(k):
            volunteered[row, c] += volunteers[r, c]
    return (pairwise_sum(member_effort), pairwise_sum(coordinator_effort),
            workload, acted, overruled[:n_overruled])


def credit_joint_work(rows: np.ndarray, projects: Portfolio, orgs: Organisations, ties: Ties,
                      params: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Credit the uncredited joint work of projects ``rows`` to their active members' ties.

    Returns the pairs (``team_pairs``: index into ``rows``, i, j). Strength grows per
    member-month of joint work; teammates give trust evidence to each member for each month
    that member volunteered.
    """
    p = params
    gain = 1.0 - (1.0 - p["strength_gain_work"]) ** projects.joint_months[rows]
    (row, i, j), (strength_gain, credit) = _joint_work(
        projects.members, rows, orgs.active, gain, projects.joint_months,
        projects.volunteered, p["volunteer_credit"])
    if len(row):
        ties.strengthen(i, j, strength_gain)
        ties.add_evidence(i, j, credit)
    return row, i, j


@jit
def _joint_work(members, rows, active, gain, joint_months, volunteered,
                volunteer_credit):  # pragma: no cover - compiled
    """The pairs of active members within each project of ``rows`` (row, i, j), each pair's
    strength gain and the evidence i gains of j's volunteering; the credited work is reset
    (unless no project has a pair)."""
    teams = np.empty((len(rows), members.shape[1]), dtype=np.int64)
    for x in range(len(rows)):
        teams[x] = members[rows[x]]
    pairs = pairs_within(teams, active)  # row, i, j, slot of i, slot of j
    size = pairs.shape[1]
    values = np.empty((2, size))
    for x in range(size):
        r = pairs[0, x]
        values[0, x] = gain[r]
        values[1, x] = volunteered[rows[r], pairs[4, x]] * volunteer_credit
    if size:
        for x in range(len(rows)):
            joint_months[rows[x]] = 0.0
            volunteered[rows[x]] = 0
    return pairs[:3], values


@dataclass
class Ended:
    """Projects that ended this month, and what their ends mean for the rest of the model."""

    rows: np.ndarray
    success: np.ndarray  # bool per project
    value: np.ndarray  # how meaningful a success of each would feel
    perceived: np.ndarray  # what members perceived of each (value less expectation, or -1)
    output: float  # ambition delivered by the successes


NOTHING_ENDED = Ended(np.empty(0, dtype=np.int64), np.empty(0, dtype=bool), np.empty(0),
                      np.empty(0), 0.0)


def close_projects(projects: Portfolio, teams: Teams | None, orgs: Organisations, ties: Ties,
                   params: dict, rng: np.random.Generator, step: int) -> Ended:
    """Projects at their deadline succeed or fail; members learn from it (M1, M2).

    Updates the portfolio, the members' ties and their perceived progress; returns what
    ended, for the network's output, the next meeting's report and the coordinator.
    """
    p = params
    act = teams.act if teams is not None else projects.active()
    due = _due(act, projects.deadline, projects.status, step)
    if len(due) == 0:
        return NOTHING_ENDED
    chance = success_probability(projects.required[due], projects.progress[due],
                                 projects.missing[due], p)
    value = meaning(projects.ambition[due], p["meaningful_ambition"])
    success = rng.random(len(due)) < chance
    projects.end(due, np.where(success, SUCCEEDED, FAILED), step)
    row, i, j = credit_joint_work(due, projects, orgs, ties, p)
    good, bad, outcome, output, who, felt = _outcomes(
        due, success, value, projects.effort_members, projects.effort_coordinator,
        projects.ambition, projects.members, orgs.active, row, p["outcome_evidence"],
        p["failure_weight"], p["progress_expectation"])
    ties.add_evidence(i, j, good, bad)
    ties.touch(i, j)
    orgs.signal(who, felt, p)
    return Ended(due, success, value, outcome, output)


@jit
def _due(act, deadline, status, step):  # pragma: no cover - compiled
    """The projects of ``act`` still active at or past their deadline."""
    due = np.empty(len(act), dtype=np.int64)
    count = 0
    for x in range(len(act)):
        if deadline[act[x]] <= step and status[act[x]] == ACTIVE:
            due[count] = act[x]
            count += 1
    return due[:count]


@jit
def _outcomes(due, success, value, effort_members, effort_coordinator, ambition, members,
              active, row, outcome_evidence, failure_weight,
              progress_expectation):  # pragma: no cover - compiled
    """What the members of projects ``due``, which ended, learn and perceive.

    Returns the evidence for and against each pair (rows ``row``), in proportion to the
    members' part of the effort; each project's outcome as perceived against what members
    expected of a success (a failure is a plain setback); the ambition delivered; and each
    active member's mean perceived outcome over its projects that ended now.
    """
    ended = len(success)
    good_of, bad_of = np.empty(ended), np.empty(ended)
    outcome = np.empty(ended)
    delivered = np.empty(ended)
    won = 0
    for x in range(ended):
        p = due[x]
        total = effort_members[p] + effort_coordinator[p]
        learnt = (effort_members[p] / total if total > 0 else 0.0) * outcome_evidence
        good_of[x] = (value[x] if success[x] else 0.0) * learnt
        bad_of[x] = (0.0 if success[x] else failure_weight) * learnt
        outcome[x] = value[x] - progress_expectation if success[x] else -1.0
        if success[x]:
            delivered[won] = ambition[p]
            won += 1
    good, bad = np.empty(len(row)), np.empty(len(row))
    for x in range(len(row)):
        good[x], bad[x] = good_of[row[x]], bad_of[row[x]]
    # the active members of each project, slot by slot, and what each perceived
    who, felt = [], []
    for x in range(ended):
        for a in range(members.shape[1]):
            member = members[due[x], a]
            if member >= 0 and active[member]:
                who.append(member)
                felt.append(outcome[x])
    who_of, felt_of = np.array(who, dtype=np.int64), np.array(felt, dtype=np.float64)
    if ended > 1:  # per member, its values added in the order they come
        total_of = np.zeros(len(active))
        count = np.zeros(len(active), dtype=np.int64)
        for x in range(len(who_of)):
            total_of[who_of[x]] += felt_of[x]
            count[who_of[x]] += 1
        members_felt = 0
        for member in range(len(count)):
            members_felt += int(count[member] > 0)
        who_of = np.empty(members_felt, dtype=np.int64)
        felt_of = np.empty(members_felt)
        at = 0
        for member in range(len(count)):
            if count[member]:
                who_of[at], felt_of[at] = member, total_of[member] / count[member]
                at += 1
    return good, bad, outcome, pairwise_sum(delivered[:won]), who_of, felt_of
