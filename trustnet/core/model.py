"""The trustnet model: organisations, a coordinator and projects in one network."""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd
from mesa.datacollection import DataCollector
from mesa.experimental.scenarios import Scenario as MesaScenario

from trustnet.core import compiled, decisions, meetings, work
from trustnet.core.coordinator import Coordinator, CoordinatorAgent
from trustnet.core.events import Event, Parameters, by_month, parse_events
from trustnet.core.metrics import REPORTERS, measure
from trustnet.core.organisations import STATE_VARIABLES, Organisation, Organisations
from trustnet.core.parameters import PARAMETERS, check_seed, resolve, unknown_name_message
from trustnet.core.projects import Portfolio
from trustnet.core.roster import GivenTies, evidence_for, read_members, read_ties
from trustnet.core.scenarios import scenario_params
from trustnet.core.sectors import read_sectors
from trustnet.core.ties import LEVELS, make_ties


class TrustNetworkModel(mesa.Model):
    """Trust dynamics in an interorganisational network; one step is one month.

    Phases of a step (month ``t``; meetings fall on months 1, 1 + interval, ...):

    0. Members of the roster due this month join; events scheduled for the month apply
       (parameter changes and named actions, see :mod:`trustnet.core.events`).
    1. Coordinator's month begins: withdrawal from ``nao_withdrawal_step`` on, vacancy
       countdown and replacement (members' ties to the person go with it); routine workload.
       Under shared governance members spend part of their capacity coordinating, more the
       larger the network.
    2. Meeting, if one falls this month:
       a. forgetting of trust evidence, decay of relationship strength and recovery of
          commitment towards its starting value, for the months since the last meeting;
       b. attendance (sector base rate x commitment x the pull of a tie to the coordinator;
          mandated floor);
       c. reporting: attendees perceive progress, which moves commitment, trust in the
          network and disillusionment;
       d. conversations: trust evidence (in proportion to the pair's commitment, for or
          against as the reported progress was good or bad) and relationship strength
          between attendees; joint work since the last meeting credited to ties; pair
          metrics recomputed;
       e. disillusioned members of a voluntary network may leave;
       f. the agenda (deferred items and new proposals) is decided, item by item (an
          adaptive coordinator decides stalled items directively), and working groups are
          recruited for adopted items, which become projects.
    3. Work: routine work; the open-task volunteer round; a task nobody volunteered for is
       assigned to a member by a directive coordinator (or an adaptive one when the
       project's deadline looms), else taken over by the coordinator with propensity
       ``takeover``.
    4. Projects at their deadline succeed or fail; members gain or lose trust in each other;
       the coordinator's legitimacy follows the outcomes.
    5. Coordinator's month ends: strain, aspiration and disillusionment; it may leave.
    6. Reporters are measured and collected.
    """

    def __init__(self, *, rng: Any = None, scenario: str | MesaScenario | None = None,
                 members: Any = None, ties: Any = None, sectors: Any = None,
                 events: Any = None, org_data_every: int = 0, tie_storage: str = "auto",
                 **params: Any) -> None:
        """Build the network.

        ``scenario`` names one of :data:`trustnet.SCENARIOS`, whose parameters apply beneath
        the ones given here (``TrustNetworkModel(scenario="belgian_mandated", ambition=1.5)``).
        Mesa's own scenario objects, which its visualisation passes on Reset, are accepted
        and carry nothing trustnet uses. ``events`` schedules what-ifs over time (a list of
        mappings, :mod:`trustnet.core.events`); the parameters are read-only otherwise.
        ``tie_storage`` is "dense" (n x n arrays), "sparse"
        (only pairs that have met) or "auto" (dense up to
        ``trustnet.core.ties.DENSE_LIMIT`` members); results are the same. ``members`` and
        ``ties`` model your own network (:mod:`trustnet.core.roster`: a CSV file, a DataFrame
        or a networkx graph); the network's size then follows from the roster. ``sectors``
        is a sector table (:mod:`trustnet.core.sectors`) for a roster's or a generated
        network's members; None keeps the five built-in sectors.
        """
        for name in params:
            if name not in PARAMETERS:
                raise TypeError(f"TrustNetworkModel got an {unknown_name_message(name)}")
        check_seed(rng, "rng")
        if not isinstance(org_data_every, int) or org_data_every < 0:
            raise ValueError(f"parameter 'org_data_every': got {org_data_every!r}; allowed: an "
                             "integer >= 0 (0 collects no organisation-level data)")
        roster = read_members(members, sectors) if members is not None else None
        table = roster.sectors if roster is not None else read_sectors(sectors)
        if not table.has_shares:
            raise ValueError(f"sectors: {table.source} gives no shares; a network generated "
                             "from n_orgs needs a share for every sector (or give members)")
        if roster is not None:
            if "n_orgs" in params:
                raise ValueError(f"parameter 'n_orgs': the roster {roster.source} sets it "
                                 f"({len(roster)} members); give one or the other")
            params = {**params, "n_orgs": len(roster)}
        elif ties is not None:
            raise ValueError("ties: given ties need the members they join (members=...)")
        if isinstance(scenario, str):
            self.scenario_name: str | None = scenario
            resolved = scenario_params(scenario, params)
        elif scenario is None or isinstance(scenario, MesaScenario):
            self.scenario_name = None
            resolved = resolve(params)
        else:
            raise TypeError(f"parameter 'scenario': got {scenario!r}; allowed: the name of a "
                            "trustnet scenario ('trustnet scenarios' lists them) or none")
        self.events: tuple[Event, ...] = parse_events(
            events, resolved, roster.names if roster is not None else None,
            roster.join_months() if roster is not None else None)
        self._joins: dict[int, np.ndarray] = {}  # month -> members of the roster who join
        if roster is not None and roster.joins is not None:
            for month in np.unique(roster.joins[roster.joins > 0]).tolist():
                self._joins[month] = np.flatnonzero(roster.joins == month)
        self._schedule = by_month(self.events)
        compiled.prepare(resolved["n_orgs"])  # a new version's kernels compile once
        super().__init__(rng=rng)
        self.params = p = Parameters(resolved)
        self.initial_params = dict(resolved)  # before any event
        self.governance = p["governance"]
        # the set-up has its own stream, so that every arm of a comparison with the same seed
        # faces the same members and the same initial ties
        setup_rng = self.rng.spawn(1)[0]
        self.orgs = Organisations(p, setup_rng, roster, table)
        n = p["n_orgs"]
        # prior embeddedness: a pair that has not met in the network is as strong as its less
        # embedded member (the minimum of two draws from 0.5-2 x has the declared mean)
        embeddedness = np.minimum(1.0, p["initial_strength"] * (0.5 + 1.5 * setup_rng.random(n)))
        self.ties = make_ties(embeddedness, p, tie_storage)
        if self.orgs.pending:
            self.ties.set_active(self.orgs.active)
        self.given_ties = read_ties(ties, roster) if ties is not None else None
        if self.given_ties is not None:
            self._apply_given_ties(self.given_ties)
        self.projects = Portfolio(p["team_size"], sectors=table.names)
        self.ledger = work.WorkLedger()
        self.organisations = [Organisation(self, i) for i in range(n)]
        lead = int(np.argmax(self.orgs.power)) if self.governance == "lead" else None
        self.coordinator = Coordinator(p, lead)
        self.coordinator_agent = CoordinatorAgent(self)
        self.agenda: list[decisions.Proposal] = []
        self.teams: work.Teams | None = None  # this month's working groups
        self.output = 0.0
        self.outcomes = meetings.Outcomes()  # perceived since the last meeting
        self.attendance = 0.0
        self.last_meeting = 0
        self._metrics = measure(self)
        self.datacollector = _IntervalDataCollector(
            model_reporters={name: _reporter(name) for name in REPORTERS},
            agenttype_reporters=(
                {Organisation: {name: name for name in (
                    ("name", *STATE_VARIABLES) if roster is not None else STATE_VARIABLES)}}
                if org_data_every else {}
            ),
            every=org_data_every,
        )
        self.datacollector.collect(self)

    def _apply_given_ties(self, given: GivenTies) -> None:
        """Existing ties: given strength as it is, given trust as evidence under the prior."""
        known = np.isfinite(given.strength)
        if known.any():
            self.ties.set_strength(given.i[known], given.j[known], given.strength[known])
        known = np.isfinite(given.trust)
        if known.any():
            good, bad = evidence_for(given.trust[known], self.ties.a0, self.ties.prior_weight)
            self.ties.add_evidence(given.i[known], given.j[known], good, bad)
        self.ties.refresh()

    def given_tie_state(self) -> pd.DataFrame:
        """Trust and strength now of the pairs whose ties were given (names and both values)."""
        g = self.given_ties
        if g is None:
            return pd.DataFrame(columns=["month", "source", "target", "trust", "strength"])
        names = self.orgs.names
        return pd.DataFrame({
            "month": self.steps, "source": [names[i] for i in g.i],
            "target": [names[j] for j in g.j],
            "trust": self.ties.trust_of(g.i, g.j).astype(float),
            "strength": self.ties.strength_of(g.i, g.j).astype(float)})

    # --- derived views ---------------------------------------------------------------------
    @property
    def integration_level(self) -> str:
        """The level most active pairs are at."""
        shares = self.ties.metrics()[2]
        return LEVELS[int(np.argmax([1.0 - sum(shares), *shares]))]

    def is_meeting_month(self, step: int) -> bool:
        """Months 1, 1 + interval, ...; after a change of the interval, counted from the last
        meeting."""
        if not self.last_meeting:
            return step == 1
        return step - self.last_meeting >= self.params["meeting_interval"]

    # --- the month ---------------------------------------------------------------------------
    def step(self) -> None:
        compiled.switch_when_compiled()  # a first model's kernels, once they are compiled
        t = self.steps
        if t in self._joins:  # 0
            self.orgs.join(self._joins[t])
            self.ties.set_active(self.orgs.active)
        if t in self._schedule:
            self._apply_events(self._schedule[t])
        self._begin_month(t)  # 1
        if self.is_meeting_month(t):  # 2
            self._meeting(t)
        self._work(t)  # 3
        self._close_projects(t)  # 4
        self._end_month()  # 5
        self._metrics = measure(self)  # 6
        self.datacollector.collect(self)

    def _apply_events(self, events: list[Event]) -> None:
        for event in events:
            if event.action is None:
                self._set(event.changes)
            elif event.action == "withdraw_coordinator":
                if self.coordinator.withdraw():
                    self.orgs.drop_coordinator_ties()
            elif event.action == "appoint_coordinator":
                if "style" in event.options:
                    self._set({"nao_style": event.options["style"]})
                self.coordinator.appoint()
                self.orgs.drop_coordinator_ties()
            elif event.action in ("impose_mandate", "lift_mandate"):
                self._set({"mandated": event.action == "impose_mandate"})
            elif event.action == "member_joins":
                self.orgs.join(np.array([self.orgs.names.index(event.options["name"])]))
                self.ties.set_active(self.orgs.active)
            elif event.action == "member_leaves":
                who = self.orgs.names.index(event.options["name"])
                if self.orgs.active[who]:
                    self.orgs.leave(np.array([who]))
                    self.ties.set_active(self.orgs.active)
            elif event.action == "trust_shock":
                self.ties.shock(np.flatnonzero(self.orgs.active), event.options["evidence"])

    def _set(self, changes: dict[str, Any]) -> None:
        """New parameter values from now on, and every value derived from them."""
        self.params._set(changes)
        p = self.params
        self.orgs.configure(p)
        self.coordinator.configure(p)
        if self.ties.configure(p):
            self.ties.refresh()
        self.teams = None  # group sizes and open tasks are derived anew next month

    def _begin_month(self, t: int) -> None:
        orgs, p = self.orgs, self.params
        if self.coordinator.start_month(t, orgs.n_active):
            orgs.drop_coordinator_ties()
        shared = self.governance == "shared"
        orgs.begin_month(min(0.9, p["shared_coordination_cost"] * (orgs.n_active - 1))
                         if shared else 0.0)

    def _meeting(self, t: int) -> None:
        p, orgs, rng, coordinator, ties = (self.params, self.orgs, self.rng, self.coordinator,
                                           self.ties)
        # a. what fades between meetings
        elapsed = t - self.last_meeting if self.last_meeting else 0
        ties.forget(elapsed)
        orgs.recover(elapsed, p)
        # b. who comes
        present = meetings.draw_attendance(orgs, p, rng)
        self.attendance = len(present) / orgs.n_active if orgs.n_active else 0.0
        # c. reporting: attendees perceive progress
        mood = meetings.report_progress(orgs, self.projects, present, self.outcomes, t, p)
        self.outcomes = meetings.Outcomes()
        # d. conversations, in the mood of the report, and the joint work since the last one
        relationship_time = p["relationship_time"] * (
            p["directive_relationship_share"] if coordinator.meeting_style() == "directive"
            else 1.0)
        meetings.hold_conversations(ties, present, orgs.commitment, relationship_time, mood, p,
                                    rng)
        orgs.capacity_used[present] += p["meeting_cost"] * (1.0 + relationship_time)
        if coordinator.present:
            orgs.coordinator_tie[present] += 0.1 * (1.0 - orgs.coordinator_tie[present])
            coordinator.workload += p["coordinator_admin"] * len(present)
        work.credit_joint_work(self.projects.active(), self.projects, orgs, ties, p)
        ties.refresh()
        # e. exits
        if len(meetings.members_leave(orgs, p, rng)):
            ties.set_active(orgs.active)
            present = np.flatnonzero(orgs.attending)
        # f. decisions and working groups
        agenda = self.agenda + decisions.propose(present, orgs, ties, coordinator, p, rng)
        adopted, self.agenda = decisions.decide(agenda, present, orgs, ties, coordinator, p,
                                                rng)
        decisions.form_groups(adopted, orgs, ties, coordinator, self.projects, p, rng, t)
        self.last_meeting = t

    def _work(self, t: int) -> None:
        orgs, p = self.orgs, self.params
        orgs.recover_volunteering(p)
        self.teams = work.active_teams(self.projects, orgs, p, t, self.teams)
        effort = work.work_month(self.teams, orgs, self.projects, self.ties, self.coordinator,
                                 p, self.rng, t)
        self.ledger.record(t, *effort)

    def _close_projects(self, t: int) -> None:
        ended = work.close_projects(self.projects, self.teams, self.orgs, self.ties,
                                    self.params, self.rng, t)
        if len(ended.rows):
            self.output += ended.output
            self.outcomes.add(ended.perceived)
            self.coordinator.record_outcomes(ended.success, ended.value)

    def _end_month(self) -> None:
        if self.coordinator.end_month(self.rng):
            self.orgs.drop_coordinator_ties()


def _reporter(name: str):
    def report(model: TrustNetworkModel) -> float:
        return model._metrics[name]

    report.__name__ = name
    return report


class _IntervalDataCollector(DataCollector):
    """Mesa's DataCollector, with organisation-level data only every ``every`` steps."""

    def __init__(self, *, every: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.every = every

    def collect(self, model: mesa.Model) -> None:
        if self.every and model.steps % self.every == 0:
            super().collect(model)
            return
        # the reporters return fresh floats, so Mesa's defensive deep copy is not needed
        if not self._validated:
            for name, reporter in self.model_reporters.items():
                self._validate_model_reporter(name, reporter, model)
        if hasattr(self, "_collection_steps"):
            self._collection_steps.append(model.time)
        for name, value in model._metrics.items():
            self.model_vars[name].append(value)
