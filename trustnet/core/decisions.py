"""Proposals, decisions and recruitment at a meeting (M5, M6, M7, M9, and M1's ambition).

Decision rules by who coordinates and how:

- broad support (a coordinating coordinator, an adaptive one on an item that has not
  stalled, or nobody when the network governs itself): an item is adopted when
  at least ``consensus_quorum`` of those present support it, otherwise it is deferred to the
  next meeting with a little more support from deliberation, and dropped after three
  deferrals. When nobody coordinates, every member who does not support an item may also veto
  it, the more likely the less they trust the others present: decision cost grows fast with
  size and falls with dense trust (Provan & Kenis 2008).
- directive (a directive coordinator, or an adaptive one on an item that has stalled, i.e.
  two meetings could not agree on it): the coordinator decides at once, needing only the
  power-weighted support its legitimacy does not supply (one half times one less its
  legitimacy); an item without it is deferred. Fast, but members present who did not support
  an adopted item are overruled and lose trust in the network and some commitment, the more
  the less power (say) they have.
- items imposed by an authority are adopted without a vote, overruling those who disagree.

Recruitment: a coordinating coordinator asks inclusively (needed sectors first, approaching
absent members of those sectors personally, then others in random order); a directive one
asks the most capable (needed sectors first), but only those present or reading the notes,
and tells them to join: a member who would not have agreed complies as far as it accepts the
coordinator's legitimacy and has the time, and is overruled; without a coordinator, members
select themselves. Members accept
according to commitment, current load and their sector's availability (the time scarcity
that keeps primary care from meetings keeps it from working groups too), half as readily when
they were absent and nobody approached them, and more readily when the coordinator has
legitimacy and a tie with them. Being included in a working group raises a member's trust in
the network; since a directive coordinator recruits the capable and powerful and overrules the
rest, the less powerful end up trusting the network less (the inclusion gap).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trustnet.core.compiled import helper, jit, maximum, minimum, pairwise_sum
from trustnet.core.coordinator import Coordinator
from trustnet.core.organisations import Organisations, overrule_member
from trustnet.core.projects import ORIGINS, Portfolio
from trustnet.core.ties import Ties

MEMBER, COORDINATOR, EXTERNAL = range(len(ORIGINS))
MAX_DEFERRALS = 3
STALLED = 2  # deferrals after which an item has stalled (two meetings could not agree)
DELIBERATION_BONUS = 0.1  # support gained per deferral (no lit.)
OWN_SECTOR_SUPPORT = 0.25  # extra support for an item that needs one's own sector (no lit.)
RECRUITMENT_WORK = 0.02  # coordinator FTE-months spent recruiting one working group (no lit.)
ABSENT_WILLINGNESS = 0.5  # relative willingness of members who only read about an item (no lit.)
MIN_TEAM = 2
DIRECTIVE_BACKING = 0.5  # power-weighted support a directive decision needs at no legitimacy


@dataclass
class Proposal:
    origin: int
    proposer: int  # -1 unless a member proposed it
    needs: np.ndarray  # bool per sector
    level: int  # required integration level, 1..3
    ambition: float
    support_bonus: float = 0.0
    deferrals: int = 0


def propose(present: np.ndarray, orgs: Organisations, ties: Ties, coordinator: Coordinator,
            params: dict, rng: np.random.Generator) -> list[Proposal]:
    """New agenda items: members', the coordinator's, and any imposed by an authority."""
    p = params
    k = len(present)
    # ideas grow with the square root of the room (not every extra voice brings a new one)
    # and with how much those present trust the network to carry them
    confidence = (float(np.add.reduce(orgs.trust_in_network[present])) / k / p["initial_trust"]
                  - 1.0 if k else 0.0)
    rate = p["proposal_rate"] * np.sqrt(k / 20.0) * max(
        0.0, 1.0 + p["initiative_trust_link"] * confidence)
    origins = [MEMBER] * int(rng.poisson(rate))
    coordinator_draw, external_draw = rng.random(2)
    if coordinator_draw < p["coordinator_initiative"]:
        if coordinator.present:
            origins.append(COORDINATOR)
        elif p["governance"] == "shared" and k:
            # a network that governs itself rotates the coordinating initiative among its
            # members (its cost is in shared_coordination_cost); an NAO network that lost its
            # NAO has no such routine
            origins.append(MEMBER)
    if external_draw < p["external_project_rate"]:
        origins.append(EXTERNAL)
    if not origins:
        return []
    core_trust = ties.core_trust_among(present)
    at_least = ties.level_shares_among(present)  # shares at >= coordination, collaboration
    push = p["collaboration_push"]
    p_collab = push + (1 - push) * at_least[2]
    p_coord = (1 - push) * (at_least[1] - at_least[2])
    growth = max(0.1, 1.0 + p["ambition_trust_gain"] * (core_trust - p["initial_trust"]))
    lead = coordinator.lead_index
    m = len(origins)
    # one or two sectors drawn in proportion to their share, without replacement
    # (keys u ** (1 / weight), Efraimidis & Spirakis 2006), plus the proposer's own sector
    share = orgs.sectors.share
    s = len(share)
    # then per item: the number of sectors, the proposer, the lead's bias, the level
    draws = rng.random(m * (s + 4))
    keys = draws[:m * s].reshape(m, s) ** orgs.sectors.key_exponent
    noise = np.exp(0.2 * rng.standard_normal(m) - 0.02)
    needs, proposer, level, ambition = _proposals(
        keys, draws[m * s:].reshape(m, 4), share, np.array(origins), present, orgs.sector,
        -1 if lead is None else lead, p["lead_interest_bias"], p_collab, p_coord,
        p["ambition"], growth, noise)
    return [Proposal(*item) for item in zip(origins, proposer.tolist(), needs,
                                             level.tolist(), ambition.tolist())]


@jit
def _proposals(keys, draws, share, origin, present, sector, lead, lead_bias, p_collab,
               p_coord, ambition, growth, noise):  # pragma: no cover - compiled
    """Each item's needed sectors, proposer (-1: none), required level and ambition."""
    m, n_sectors = keys.shape
    k = len(present)
    needs = np.zeros((m, n_sectors), dtype=np.bool_)
    proposer = np.full(m, -1, dtype=np.int64)
    level = np.empty(m, dtype=np.int64)
    ambitions = np.empty(m)
    for x in range(m):
        # the largest key and the second largest (the largest again with one sector)
        first = 0
        for s in range(1, n_sectors):
            if keys[x, s] > keys[x, first]:
                first = s
        second = keys[x, first]
        if n_sectors > 1:
            second = -np.inf
            for s in range(n_sectors):
                if s != first and keys[x, s] > second:
                    second = keys[x, s]
        bar = keys[x, first] if draws[x, 0] < 0.5 else second
        for s in range(n_sectors):
            needs[x, s] = keys[x, s] >= bar and share[s] > 0
        if origin[x] == MEMBER and k:
            proposer[x] = present[int(draws[x, 1] * k)]
            needs[x, sector[proposer[x]]] = True
        if lead >= 0 and draws[x, 2] < lead_bias:
            needs[x, sector[lead]] = True
        level_draw = draws[x, 3]
        if origin[x] == EXTERNAL:
            level[x], value = 3, 1.5 * ambition
        else:
            level[x] = 3 if level_draw < p_collab else 2 if level_draw < p_collab + p_coord else 1
            value = ambition * growth
        ambitions[x] = value * noise[x]
    return needs, proposer, level, ambitions


def decide(agenda: list[Proposal], present: np.ndarray, orgs: Organisations, ties: Ties,
           coordinator: Coordinator, params: dict, rng: np.random.Generator
           ) -> tuple[list[Proposal], list[Proposal]]:
    """Adopted items and the items deferred to the next meeting.

    Those present support an item with a chance that grows with their trust in the network
    and when it needs their own sector; its proposer always does. An item imposed by an
    authority is adopted without a vote. A coordinator who decides directively (always, or
    when adaptive and the item has stalled) needs only the backing its legitimacy does not
    give; otherwise a quorum of those present must agree, and without a coordinator anyone
    who does not may veto it, the more readily the less they trust the others. Members who
    were overruled lose trust in the network and commitment; deferred items gain support from
    deliberation.
    """
    if not agenda:
        return [], []
    p = params
    k = len(present)
    draws = rng.random((len(agenda), k))
    veto_draws = rng.random((len(agenda), k))
    nobody_coordinates = not coordinator.present
    others_trust = (ties.mean_trust_within(present) if nobody_coordinates and k > 1
                    else np.empty(0))
    outcome, acted = _decide(
        np.array([it.needs for it in agenda]), np.array([it.support_bonus for it in agenda]),
        np.array([(it.origin, it.proposer, it.deferrals) for it in agenda], dtype=np.int64),
        present, orgs.sector, orgs.trust_in_network, orgs.commitment, orgs.power, draws,
        veto_draws, others_trust, p["goal_consensus"], p["consensus_quorum"],
        nobody_coordinates, coordinator.style_code, coordinator.legitimacy,
        p["overrule_penalty"])
    coordinator.acted_directively |= acted
    adopted, deferred = [], []
    for row, item in enumerate(agenda):
        if outcome[row] == ADOPTED:
            adopted.append(item)
        elif outcome[row] != DROPPED:
            item.deferrals += 1
            if outcome[row] == DELIBERATED:
                item.support_bonus += DELIBERATION_BONUS
            deferred.append(item)
    return adopted, deferred


ADOPTED, DELIBERATED, DEFERRED, DROPPED = range(4)  # what the kernel decided of each item


@jit
def _decide(needs, bonus, items, present, sector, trust_in_network, commitment, power, draws,
            veto_draws, others_trust, goal_consensus, consensus_quorum, nobody_coordinates,
            style, legitimacy, overrule_penalty):  # pragma: no cover - compiled
    """What becomes of each item (``items``: origin, proposer, deferrals per row), and
    whether the coordinator decided directively; those overruled, item by item, once every
    item is decided."""
    origin, proposer, deferrals = items[:, 0], items[:, 1], items[:, 2]
    n_items, k = draws.shape
    outcome = np.empty(n_items, dtype=np.int64)
    overruled = np.zeros((n_items, k), dtype=np.bool_)
    acted = False
    powers = np.empty(k)
    backing = np.empty(k)
    for c in range(k):
        powers[c] = power[present[c]]
    total_power = maximum(pairwise_sum(powers), 1e-12)
    for row in range(n_items):
        yes = np.empty(k, dtype=np.bool_)
        for c in range(k):
            m = present[c]
            chance = (goal_consensus + OWN_SECTOR_SUPPORT * needs[row, sector[m]]
                      + 0.3 * (trust_in_network[m] - 0.5) + bonus[row])
            yes[c] = draws[row, c] < minimum(maximum(chance, 0.02), 0.98) or m == proposer[row]
        if origin[row] == EXTERNAL:  # imposed: adopted without a vote
            outcome[row] = ADOPTED
            for c in range(k):
                overruled[row, c] = not yes[c]
            continue
        if not nobody_coordinates:
            directive = style == 1 or (style == 2 and deferrals[row] >= STALLED)
            acted |= directive
            if directive:  # it needs only the backing its legitimacy does not give
                for c in range(k):
                    backing[c] = powers[c] * yes[c]
                share = pairwise_sum(backing) / total_power if k else 0.0
                if share >= DIRECTIVE_BACKING * (1.0 - legitimacy):
                    outcome[row] = ADOPTED
                    for c in range(k):
                        overruled[row, c] = not yes[c]
                else:
                    outcome[row] = DEFERRED if deferrals[row] < MAX_DEFERRALS else DROPPED
                continue
        votes = 0
        for c in range(k):
            votes += int(yes[c])
        agreed = k > 0 and votes >= consensus_quorum * k
        if agreed and nobody_coordinates and k > 1:
            for c in range(k):
                if not yes[c] and veto_draws[row, c] < 0.5 * (1.0 - others_trust[c]):
                    agreed = False
        if agreed:
            outcome[row] = ADOPTED
        else:
            outcome[row] = DELIBERATED if deferrals[row] < MAX_DEFERRALS else DROPPED
    for row in range(n_items):
        for c in range(k):
            if overruled[row, c]:
                overrule_member(present[c], power, trust_in_network, commitment,
                                overrule_penalty)
    return outcome, acted


def form_groups(items: list[Proposal], orgs: Organisations, ties: Ties,
                coordinator: Coordinator, projects: Portfolio, params: dict,
                rng: np.random.Generator, step: int) -> list[np.ndarray]:
    """Recruit a working group for each adopted item in turn; each group of at least two
    becomes a project, whose work required is set from the time its members can spare for it
    now. Returns the groups formed.

    Members who were not at the meeting only hear of it from the notes, unless a coordinating
    coordinator approaches them because their sector is needed; members join more readily a
    network of partners they trust (Gulati 1995). A coordinator asks needed sectors first
    (random within, or the most capable first when directive); told to join, a member who has
    the time complies as far as it accepts the coordinator's authority (M5), and resents it
    when it would not have agreed. Those included trust the network more; the coordinator
    spends time recruiting and gains ties with those it asked.
    """
    p = params
    pool = orgs.active.nonzero()[0]
    if not items or len(pool) < MIN_TEAM:
        return []
    style = coordinator.meeting_style()
    draws = rng.random((len(items), 2, len(pool)))  # per item: the order asked, acceptance
    needs = np.array([it.needs for it in items])
    origin, proposer, level = np.array([(it.origin, it.proposer, it.level) for it in items]).T
    teams, sizes, planned, missing, workload = _form_groups(
        pool, needs, proposer, draws, orgs.sector, orgs.attending, ties.trust_in_others(),
        orgs.commitment, orgs.availability, orgs.load, orgs.volunteering, orgs.capacity,
        orgs.power, orgs.coordinator_tie, orgs.trust_in_network, MEETING_STYLE_CODES[style],
        coordinator.legitimacy, coordinator.workload, p["acceptance_trust_link"],
        p["initial_trust"], p["team_size"], p["overrule_penalty"], p["inclusion_gain"])
    if style is not None:
        coordinator.workload = workload
    formed = sizes > 0
    projects.add_many(ambition=np.array([it.ambition for it in items]), level=level,
                      needs=needs, members=teams, start=step, duration=p["project_duration"],
                      planned_capacity=planned, origin=origin, missing=missing, keep=formed)
    groups = [teams[x, :sizes[x]] for x in np.flatnonzero(formed).tolist()]
    for team in groups:
        ties.mark_worked(team)
    return groups


@jit
def _form_groups(pool, needs, proposer, draws, sector, attending, trust_in_others, commitment,
                 availability, load, volunteering, capacity, power, coordinator_tie,
                 trust_in_network, style, legitimacy, workload, trust_link, initial_trust,
                 team_size, overrule_penalty, inclusion_gain):  # pragma: no cover - compiled
    """Each item's group (padded with -1) and its size (0: none formed), the time its
    members can spare for it (the project's planned capacity), the needed sectors it lacks,
    and the coordinator's workload after recruiting."""
    n_items = len(proposer)
    teams = np.full((n_items, team_size), -1, dtype=np.int64)
    sizes = np.zeros(n_items, dtype=np.int64)
    planned = np.zeros(n_items)
    missing = np.zeros(n_items, dtype=np.int64)
    for x in range(n_items):
        if style != 0:
            workload += RECRUITMENT_WORK
        team, resents = _recruit(
            pool, needs[x], sector, draws[x, 0], draws[x, 1], attending, trust_in_others,
            commitment, availability, load, volunteering, capacity, power, coordinator_tie,
            style, legitimacy, trust_link, initial_trust, proposer[x], team_size)
        k = len(team)
        if k < MIN_TEAM:
            continue
        for a in range(k):
            m = team[a]
            if resents[a]:
                overrule_member(m, power, trust_in_network, commitment, overrule_penalty)
        spare = np.empty(k)
        covered = np.zeros(needs.shape[1], dtype=np.bool_)
        for a in range(k):
            m = team[a]
            trust_in_network[m] += inclusion_gain * (1.0 - trust_in_network[m])
            spare[a] = capacity[m] * commitment[m] / (load[m] + 1.0)
            load[m] += 1
            covered[sector[m]] = True
            teams[x, a] = m
        sizes[x] = k
        planned[x] = pairwise_sum(spare)
        for s in range(needs.shape[1]):
            if needs[x, s] and not covered[s]:
                missing[x] += 1
    return teams, sizes, planned, missing, workload


MEETING_STYLE_CODES = {None: 0, "coordinating": 1, "directive": 2}  # for the kernel


@helper
def _recruit(pool, needs, sector, order_draw, accept_draw, attending, trust_in_others,
             commitment, availability, load, volunteering, capacity, power, coordinator_tie,
             style, legitimacy, trust_link, initial_trust, proposer, team_size
             ):  # pragma: no cover - compiled
    """Who is asked in what order, who agrees or is told to join: (the team, and which of
    its members joined only because they were told to)."""
    n = len(pool)
    key = np.empty(n)
    told = np.zeros(n, dtype=np.bool_)
    agrees = np.zeros(n, dtype=np.bool_)
    for x in range(n):
        m = pool[x]
        needed = needs[sector[m]]
        reached = attending[m] or (needed and style == 1)
        trusting = maximum(0.0, 1.0 + trust_link * (trust_in_others[m] / initial_trust - 1.0))
        willing = (commitment[m] * availability[m] / (1.0 + load[m])
                   * (1.0 if reached else ABSENT_WILLINGNESS) * trusting)
        if style == 0:  # nobody coordinates: members select themselves
            key[x] = order_draw[x]
            willing *= 0.5 + 0.5 * volunteering[m]
        else:
            if style == 1:  # needed sectors first, random within
                key[x] = order_draw[x] - needed
            else:  # directive: needed sectors first, the most capable first within
                key[x] = -(capacity[m] * power[m]) - needed
            willing *= 0.5 + 0.25 * legitimacy + 0.25 * coordinator_tie[m]
            if reached:
                coordinator_tie[m] += 0.1 * (1.0 - coordinator_tie[m])
        if m == proposer:
            key[x] = -np.inf
        agrees[x] = accept_draw[x] < willing
        told[x] = agrees[x] or (style == 2 and reached and accept_draw[x] < (
            legitimacy * availability[m] / (1.0 + load[m])))
    # those who accept, in the order they are asked (the first of equals first: the order of
    # a stable sort), until the group is full
    yes = np.flatnonzero(told)
    accepted = np.empty(min(team_size, len(yes)), dtype=np.int64)
    taken = np.zeros(len(yes), dtype=np.bool_)
    for t in range(len(accepted)):
        best = -1
        for y in range(len(yes)):
            if not taken[y] and (best < 0 or key[yes[y]] < key[yes[best]]):
                best = y
        taken[best] = True
        accepted[t] = yes[best]
    return pool[accepted], ~agrees[accepted]
