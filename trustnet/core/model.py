"""The trustnet model: organisations, a coordinator and projects in one network."""

from __future__ import annotations

import difflib
from typing import Any

import mesa
import numpy as np
from mesa.datacollection import DataCollector

from trustnet.core import decisions, meetings, work
from trustnet.core.organisations import STATE_VARIABLES, Organisation, Organisations
from trustnet.core.coordinator import Coordinator
from trustnet.core.metrics import REPORTERS, measure
from trustnet.core.parameters import PARAMETERS, resolve
from trustnet.core.projects import Portfolio
from trustnet.core.ties import LEVELS, make_ties


class TrustNetworkModel(mesa.Model):
    """Trust dynamics in an interorganisational network; one step is one month.

    Order of work within a step (month ``t``; meetings fall on months 1, 1 + interval, ...):

    1. Coordinator in post: withdrawal from ``nao_withdrawal_step`` on, vacancy countdown and
       replacement; routine workload for the month. Under shared governance members spend
       part of their capacity coordinating, more the larger the network.
    2. If a meeting falls this month:
       a. forgetting of trust evidence, decay of relationship strength and recovery of
          commitment towards its starting value, for the months since the last meeting;
       b. attendance (sector base rate x commitment x the pull of a tie to the coordinator;
          mandated floor);
       c. conversations: trust evidence (in proportion to the pair's commitment) and
          relationship strength between attendees; joint work since the last meeting
          credited to ties; pair metrics recomputed;
       d. reporting: attendees perceive progress, which moves commitment, trust in the
          network and disillusionment;
       e. disillusioned members of a voluntary network may leave;
       f. the agenda (deferred items and new proposals) is decided, item by item (an
          adaptive coordinator decides stalled items directively), and working groups are
          recruited for adopted items, which become projects.
    3. Work: routine work; the open-task volunteer round; a task nobody volunteered for is
       assigned to a member by a directive coordinator (or an adaptive one when the
       project's deadline looms), else taken over by the coordinator with propensity
       ``takeover``.
    4. Projects at their deadline succeed or fail; members gain or lose trust in each other.
    5. The coordinator's strain, aspiration and disillusionment; it may leave.
    6. Reporters are measured and collected.
    """

    def __init__(self, *, rng: Any = None, org_data_every: int = 0, tie_storage: str = "auto",
                 scenario: Any = None, **params: Any) -> None:
        """Build the network.

        ``tie_storage`` is "dense" (n x n arrays), "sparse" (only pairs that have met) or
        "auto" (dense up to ``trustnet.core.ties.DENSE_LIMIT`` members); results are the same.
        ``scenario`` is accepted for Mesa's visualisation, which passes its own (empty)
        scenario object on Reset; trustnet's named scenarios are parameter sets
        (:func:`trustnet.scenario_params`)."""
        for name in params:
            if name not in PARAMETERS:
                close = difflib.get_close_matches(name, PARAMETERS, n=3)
                hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
                raise TypeError(f"TrustNetworkModel got an unexpected parameter '{name}'{hint}")
        if not isinstance(org_data_every, int) or org_data_every < 0:
            raise ValueError(f"parameter 'org_data_every': got {org_data_every!r}; allowed: an "
                             "integer >= 0 (0 collects no organisation-level data)")
        super().__init__(rng=rng)
        self.params = p = resolve(params)
        self.governance = p["governance"]
        # the set-up has its own stream, so that every arm of a comparison with the same seed
        # faces the same members and the same initial ties
        setup_rng = self.rng.spawn(1)[0]
        self.orgs = Organisations(p, setup_rng)
        n = p["n_orgs"]
        # prior embeddedness: a pair that has not met in the network is as strong as its less
        # embedded member (the minimum of two draws from 0.5-2 x has the declared mean)
        embeddedness = np.minimum(1.0, p["initial_strength"] * (0.5 + 1.5 * setup_rng.random(n)))
        self.ties = make_ties(embeddedness, p, tie_storage)
        self.projects = Portfolio(p["team_size"])
        self.ledger = work.WorkLedger()
        self.organisations = [Organisation(self, i) for i in range(n)]
        lead = int(np.argmax(self.orgs.power)) if self.governance == "lead" else None
        self.coordinator = Coordinator(self, lead)
        self.agenda: list[decisions.Proposal] = []
        self._teams: work.Teams | None = None
        self.output = 0.0
        self.outcomes_since_meeting = [0.0, 0]  # sum and number of perceived outcome values
        self.attendance = 0.0
        self.last_meeting = 0
        self._metrics = measure(self)
        self.datacollector = _IntervalDataCollector(
            model_reporters={name: _reporter(name) for name in REPORTERS},
            agenttype_reporters=(
                {Organisation: {name: name for name in STATE_VARIABLES}} if org_data_every else {}
            ),
            every=org_data_every,
        )
        self.datacollector.collect(self)

    # --- derived views ---------------------------------------------------------------------
    @property
    def integration_level(self) -> str:
        """The level most active pairs are at."""
        shares = self.ties.metrics()[2]
        return LEVELS[int(np.argmax([1.0 - sum(shares), *shares]))]

    def is_meeting_month(self, step: int) -> bool:
        return (step - 1) % self.params["meeting_interval"] == 0

    # --- the month ---------------------------------------------------------------------------
    def step(self) -> None:
        t = self.steps
        p, orgs, coordinator = self.params, self.orgs, self.coordinator
        coordinator.start_month(t, orgs.n - orgs.exits)
        orgs.capacity_used[:] = 0.0
        if self.governance == "shared":
            others = orgs.n - orgs.exits - 1
            orgs.capacity_used += min(0.9, p["shared_coordination_cost"] * others)
        if self.is_meeting_month(t):
            self._meeting(t)
        work.work_month(self, t)
        work.close_projects(self, t)
        coordinator.end_month(self.rng)
        self._metrics = measure(self)
        self.datacollector.collect(self)

    def _meeting(self, t: int) -> None:
        p, orgs, rng, coordinator = self.params, self.orgs, self.rng, self.coordinator
        elapsed = t - self.last_meeting if self.last_meeting else 0
        self.ties.forget(elapsed)
        orgs.recover(elapsed, p)
        present = meetings.draw_attendance(orgs, p, rng)
        n_active = orgs.n - orgs.exits
        self.attendance = len(present) / n_active if n_active else 0.0
        relationship_time = p["relationship_time"] * (
            p["directive_relationship_share"] if coordinator.meeting_style() == "directive"
            else 1.0)
        meetings.hold_conversations(self.ties, present, orgs.commitment, relationship_time, p,
                                    rng)
        orgs.capacity_used[present] += p["meeting_cost"] * (1.0 + relationship_time)
        if coordinator.present:
            orgs.coordinator_tie[present] += 0.1 * (1.0 - orgs.coordinator_tie[present])
            coordinator.workload += p["coordinator_admin"] * len(present)
        work.credit_joint_work(self, self.projects.active())
        self.ties.refresh()
        meetings.report_progress(orgs, self.projects, present, self.outcomes_since_meeting, t, p)
        self.outcomes_since_meeting = [0.0, 0]
        if len(meetings.members_leave(orgs, p, rng)):
            self.ties.set_active(orgs.active)
            present = np.flatnonzero(orgs.attending)
        agenda = self.agenda + decisions.propose(self, present)
        adopted, self.agenda = decisions.decide(self, agenda, present)
        for item in adopted:
            self._start_project(item, present, t)
        self.last_meeting = t

    def _start_project(self, item: decisions.Proposal, present: np.ndarray, t: int) -> None:
        orgs = self.orgs
        team = decisions.recruit(self, item, present)
        if team is None:
            return
        spare = orgs.capacity[team] * orgs.commitment[team] / (orgs.load[team] + 1.0)
        orgs.load[team] += 1
        covered = np.zeros_like(item.needs)
        covered[orgs.sector[team]] = True
        self.projects.add(
            ambition=item.ambition, level=item.level, needs=item.needs, members=team, start=t,
            duration=self.params["project_duration"], planned_capacity=float(spare.sum()),
            origin=item.origin, missing=int(np.count_nonzero(item.needs & ~covered)),
        )


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
