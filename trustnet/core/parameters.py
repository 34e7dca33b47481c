"""Every model parameter, declared once.

Validation, the CLI's ``--set`` parsing, sweep specs, the visualisation's controls and the
ODD parameter table are all derived from :data:`PARAMETERS`; nothing else declares a default,
a range or a unit. This module imports only the standard library so that ``trustnet --help``
and spec checking stay fast.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

NO_LIT = "no lit."
ARMS_NOT_VARIED = ("a structural condition the experiments compare as arms (showcase, "
                   "p06, p07, p11), not an uncertainty")


@dataclass(frozen=True)
class Parameter:
    """One model parameter: its type, default, allowed values and provenance."""

    name: str
    kind: str  # "int", "float", "bool" or "choice"
    default: Any
    meaning: str
    source: str = NO_LIT
    unit: str = "-"
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # True: the lower bound itself is not allowed
    choices: tuple[str, ...] = ()
    allow_none: bool = False
    group: str = "general"
    main: bool = False  # shown as a control in the visualisation
    label: str = ""  # for figures, tables and controls (the name, spaced, when empty)
    changeable: bool = True  # False: fixed for a run (structure, or a starting value)
    # what a value could plausibly be in the network the defaults describe, for a global
    # sensitivity analysis: narrower than what validation allows (low, high)
    plausible: tuple[float, float] | None = None
    not_varied: str = ""  # why a parameter without a plausible range is left out of it

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name.replace("_", " "))
        if (self.plausible is None) == (not self.not_varied):
            raise ValueError(f"parameter '{self.name}': declare a plausible range or why it "
                             "is not varied, one of the two")
        if self.plausible is not None:
            lo, hi = self.plausible
            if self.kind not in ("int", "float") or not lo < hi:
                raise ValueError(f"parameter '{self.name}': plausible range {self.plausible} "
                                 "needs a numeric parameter and low < high")
            self.validate(lo)
            self.validate(hi)

    def allowed(self) -> str:
        """What values are allowed, in words (used in every error message)."""
        if self.kind == "choice":
            text = "one of " + ", ".join(repr(c) for c in self.choices)
        elif self.kind == "bool":
            text = "true or false"
        else:
            noun = "an integer" if self.kind == "int" else "a number"
            lo, hi = _fmt(self.low), _fmt(self.high)
            if self.low is not None and self.high is not None:
                left = "(" if self.low_open else "["
                text = f"{noun} in {left}{lo}, {hi}]"
            elif self.low is not None:
                text = f"{noun} {'>' if self.low_open else '>='} {lo}"
            elif self.high is not None:
                text = f"{noun} <= {hi}"
            else:
                text = noun
        if self.allow_none:
            text += ", or none"
        return text

    def plausible_text(self) -> str:
        """The plausible range in words, or why the parameter is not varied."""
        if self.plausible is None:
            return f"not varied: {self.not_varied}"
        return f"{_fmt(self.plausible[0])} to {_fmt(self.plausible[1])}"

    def validate(self, value: Any) -> Any:
        """Return ``value`` as this parameter's type, or raise ValueError naming the parameter."""
        if value is None:
            if self.allow_none:
                return None
            raise ValueError(f"parameter '{self.name}': got None; allowed: {self.allowed()}")
        if self.kind == "bool":  # one rule for every input: true or false, nothing else
            if isinstance(value, bool) or getattr(getattr(value, "dtype", None), "kind", "") == "b":
                return bool(value)
            raise ValueError(f"parameter '{self.name}': got {value!r}; allowed: {self.allowed()}")
        if self.kind == "choice":
            if isinstance(value, str) and value in self.choices:
                return value
            raise ValueError(f"parameter '{self.name}': got {value!r}; allowed: {self.allowed()}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            # numpy scalars are accepted through their Python value
            if hasattr(value, "item") and not isinstance(value, bool):
                return self.validate(value.item())
            raise ValueError(f"parameter '{self.name}': got {value!r}; allowed: {self.allowed()}")
        if self.kind == "int":
            if isinstance(value, float):
                if not value.is_integer():
                    raise ValueError(
                        f"parameter '{self.name}': got {value!r}; allowed: {self.allowed()}"
                    )
                value = int(value)
        else:
            value = float(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"parameter '{self.name}': got {value!r}; allowed: {self.allowed()}")
        too_low = self.low is not None and (
            value <= self.low if self.low_open else value < self.low
        )
        too_high = self.high is not None and value > self.high
        if too_low or too_high:
            raise ValueError(f"parameter '{self.name}': got {value!r}; allowed: {self.allowed()}")
        return value

    def parse(self, text: str) -> Any:
        """Turn command-line or spec text into a validated value."""
        raw = text.strip()
        if self.allow_none and raw.lower() in ("none", "null", ""):
            return None
        if self.kind == "bool":
            lowered = raw.lower()
            if lowered in ("true", "false"):
                return lowered == "true"
            raise ValueError(f"parameter '{self.name}': got {raw!r}; allowed: {self.allowed()}")
        if self.kind == "choice":
            return self.validate(raw)
        try:
            number = int(raw) if self.kind == "int" else float(raw)
        except ValueError:
            try:
                number = float(raw)
            except ValueError:
                raise ValueError(
                    f"parameter '{self.name}': got {raw!r}; allowed: {self.allowed()}"
                ) from None
        return self.validate(number)


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else repr(x)


def _p(name: str, kind: str, default: Any, meaning: str, **kw: Any) -> Parameter:
    return Parameter(name=name, kind=kind, default=default, meaning=meaning, **kw)


HALLBERG = "Hallberg, Winblad & Fredriksson 2021"
DARCIS = "Darcis 2025"
PROVAN_KENIS = "Provan & Kenis 2008"
HUXHAM_VANGEN = "Huxham & Vangen 2004; Vangen & Huxham 2003"

_DECLARATIONS: tuple[Parameter, ...] = (
    # --- structure and governance -------------------------------------------------------
    _p("n_orgs", "int", 40, "member organisations on the network's list",
       source=f"{HALLBERG} (about 40 on the mailing list)", unit="organisations",
       low=3, high=100_000, group="structure", main=True, label="members", changeable=False,
       not_varied="known for a given network; the effect of size is an experiment of its own "
       "(p11)"),
    _p("governance", "choice", "nao", "who coordinates: a separate NAO, the most powerful member, "
       "or nobody (shared participant governance)", source=PROVAN_KENIS,
       choices=("nao", "lead", "shared"), group="structure", main=True, label="governance",
       changeable=False, not_varied=ARMS_NOT_VARIED),
    _p("nao_style", "choice", "adaptive", "style of whoever coordinates; adaptive is coordinating "
       "by default, and directive only on an item that has stalled and on an open task nobody "
       "volunteered for when its project's deadline looms; no effect under shared governance",
       source="Newman 2001; Klaster et al. 2017; " + HALLBERG,
       choices=("coordinating", "directive", "adaptive"), group="structure", main=True,
       label="coordinator's style", not_varied=ARMS_NOT_VARIED),
    _p("mandated", "bool", False, "membership is mandated by an authority (broad enrolment, no "
       "exit, low starting motivation, funded coordinator with low leverage and a fixed "
       "aspiration)",
       source=f"{DARCIS}; Rodríguez et al. 2007", group="structure", main=True,
       label="mandated network", not_varied=ARMS_NOT_VARIED),
    _p("nao_withdrawal_step", "int", None, "from this step on there is no coordinator, for good; "
       "none keeps it; no effect under shared governance",
       source="Stadtler & Karakulak 2020; " + HALLBERG, unit="step", low=0, high=100_000,
       allow_none=True, group="structure", label="coordinator withdrawn from month",
       changeable=False,
       not_varied="a what-if over time (p04), not an uncertainty of the model"),
    _p("meeting_interval", "int", 3, "months between plenary network meetings",
       source=f"{HALLBERG} (four meetings a year)", unit="months", low=1, high=24,
       group="structure", main=True, label="months between meetings", plausible=(2, 4)),
    # --- projects (M1, M2, M8, M9) --------------------------------------------------------
    _p("ambition", "float", 0.8, "effort new projects require relative to the expected effective "
       "capacity of the team over the planned duration (1 is matched): in planning terms, the "
       "share of the network time its members can spare that a project asks of them for its "
       "whole duration (0.5: half of it; 1.5: half as much again as they have)",
       source="Aunger et al. 2021; " + HALLBERG, unit="ratio", low=0.0, high=10.0, low_open=True,
       group="projects", main=True, label="ambition", plausible=(0.5, 1.5)),
    _p("ambition_trust_gain", "float", 1.0, "how much the ambition of a new project grows with the "
       "trust of the core present (pairs weighted by relationship strength) above its initial "
       "level",
       source=HUXHAM_VANGEN + " (value no lit.)", unit="1/trust", low=0.0, high=5.0,
       group="projects", label="ambition's growth with trust", plausible=(0.5, 1.5)),
    _p("project_duration", "int", 6, "planned duration of a project", unit="months", low=1,
       high=60, group="projects", label="project duration", plausible=(4, 9)),
    _p("team_size", "int", 5, "working-group size a project recruits for", unit="organisations",
       low=2, high=20, group="projects", label="working-group size", changeable=False,
       plausible=(3, 8)),
    _p("proposal_rate", "float", 1.0, "expected member proposals at a meeting of 20 members "
       "(grows with the square root of those present)",
       unit="proposals/meeting", low=0.0, high=20.0, group="projects",
       label="member proposals per meeting", plausible=(0.5, 2.0)),
    _p("initiative_trust_link", "float", 1.0, "how the members' proposals grow with the trust in "
       "the network of those present (relative change of proposals per relative change of "
       "that trust from its start; 0 switches the link off, a knockout control)",
       source="Ring & Van de Ven 1994; Vangen & Huxham 2003 (value no lit., range 0-2)",
       unit="ratio", low=0.0, high=5.0, group="projects", label="initiative's link to trust",
       plausible=(0.0, 2.0)),
    _p("acceptance_trust_link", "float", 1.0, "how a member's readiness to join a working group "
       "grows with its mean trust in the other members (relative change per relative change "
       "of that trust from the start; 0 switches the link off, a knockout control)",
       source="Gulati 1995; Ring & Van de Ven 1994 (value no lit., range 0-2)", unit="ratio",
       low=0.0, high=5.0, group="projects", label="joining's link to trust", plausible=(0.0, 2.0)),
    _p("coordinator_initiative", "float", 0.5, "chance per meeting that the coordinator proposes "
       "a project of its own (under shared governance, that a member takes this initiative)",
       source=HALLBERG, unit="probability", low=0.0, high=1.0, group="projects",
       label="coordinator's initiative", plausible=(0.25, 0.75)),
    _p("external_project_rate", "float", 0.0, "chance per meeting that an authority imposes an "
       "ambitious collaboration project, adopted without a vote",
       source=f"{DARCIS}; Keast, Brown & Mandell 2007", unit="probability", low=0.0, high=1.0,
       group="projects", label="imposed projects per meeting", plausible=(0.0, 0.2)),
    _p("collaboration_push", "float", 0.1, "chance that a proposal asks for collaboration whatever "
       "the ties can carry (the rhetoric of collaboration)",
       source="Keast, Brown & Mandell 2007 (case 001)", unit="probability", low=0.0, high=1.0,
       group="projects", label="push for collaboration", plausible=(0.0, 0.3)),
    _p("success_slope", "float", 5.0, "slope of the logistic chance of success in required over "
       "delivered effort (0: success does not depend on the effort delivered, a knockout "
       "control)", source="Aunger et al. 2021 (value no lit., range 3-8)", unit="1/ratio",
       low=0.0, high=50.0, group="projects", label="steepness of success", plausible=(3.0, 8.0)),
    _p("success_midpoint", "float", 1.25, "required over delivered effort at which success is a "
       "coin flip", unit="ratio", low=0.1, high=5.0, group="projects",
       label="effort ratio of a coin-flip success", plausible=(1.0, 1.5)),
    _p("meaningful_ambition", "float", 0.5, "ambition at which a success feels 63% meaningful; "
       "unambitious successes give little perceived progress",
       source=f"{HALLBERG} ('meaningless if you only sit in a group'; value no lit.)",
       unit="ratio", low=0.01, high=10.0, group="projects", label="ambition that feels meaningful",
       plausible=(0.3, 0.8)),
    _p("missing_sector_penalty", "float", 0.3, "relative loss of the chance of implementation for "
       "each needed sector missing from the team", source=f"{HALLBERG}; Provan & Milward 1995",
       unit="share", low=0.0, high=1.0, group="projects", main=True,
       label="penalty per missing sector", plausible=(0.15, 0.45)),
    _p("transaction_cost", "float", 0.3, "share of a working group's effort lost to "
       "negotiating, checking and chasing each other when its members' mutual trust is one "
       "half; none at full trust, twice as much at none (trust as a collaborative advantage; 0 "
       "switches the rule off, a knockout control)",
       source="Dyer & Chu 2003; Zaheer, McEvily & Perrone 1998 (value no lit., range 0-0.5)",
       unit="share", low=0.0, high=0.5, group="projects", label="cost of working without trust",
       plausible=(0.1, 0.5)),
    _p("misfit_efficiency", "float", 0.4, "efficiency of a working group none of whose pairs reach "
       "the project's required integration level", source="Keast, Brown & Mandell 2007 (value "
       "no lit.)", unit="share", low=0.0, high=1.0, group="projects",
       label="efficiency of a misfit group", plausible=(0.2, 0.6)),
    _p("integration_quorum", "float", 0.5, "share of a team's pairs that must be at the project's "
       "required integration level for full efficiency",
       source="Keast, Brown & Mandell 2007 (value no lit.)", unit="share", low=0.01, high=1.0,
       group="projects", label="pairs needed at the project's level", plausible=(0.3, 0.7)),
    # --- decisions (M5, M6) ---------------------------------------------------------------
    _p("goal_consensus", "float", 0.5, "chance that a member present supports a proposal that "
       "does not need its sector, at neutral trust in the network",
       source=PROVAN_KENIS, unit="probability", low=0.0, high=1.0, group="decisions", main=True,
       label="support for others' proposals", plausible=(0.3, 0.7)),
    _p("consensus_quorum", "float", 0.6, "share of members present whose support a decision by "
       "broad support needs", source="Newman 2001 (value no lit.)", unit="share", low=0.0,
       high=1.0, group="decisions", label="consensus quorum", plausible=(0.5, 0.75)),
    _p("overrule_penalty", "float", 0.1, "relative loss of trust in the network (and half as much "
       "commitment) of a powerless member overruled by a directive decision (scaled by 1 - power)",
       source="Klaster et al. 2017 (value no lit.)", unit="share", low=0.0, high=1.0,
       group="decisions", label="cost of being overruled", plausible=(0.05, 0.2)),
    _p("inclusion_gain", "float", 0.05, "relative gain of trust in the network of a member "
       "included in a working group", source="Klaster et al. 2017 (value no lit.)",
       unit="share", low=0.0, high=1.0, group="decisions", label="gain from inclusion",
       plausible=(0.025, 0.1)),
    _p("shared_coordination_cost", "float", 0.005, "share of each member's capacity spent on "
       "coordination per other member under shared governance", source=PROVAN_KENIS,
       unit="share/member", low=0.0, high=0.1, group="decisions",
       label="cost of shared coordination", plausible=(0.0025, 0.01)),
    _p("lead_interest_bias", "float", 0.7, "chance that a proposal under lead-organisation "
       "governance is steered to need the lead's own sector", source=PROVAN_KENIS,
       unit="probability", low=0.0, high=1.0, group="decisions",
       label="lead's steering of projects", plausible=(0.5, 0.9)),
    # --- members (M2, M3, M7, M9) ---------------------------------------------------------
    _p("member_capacity", "float", 0.1, "mean share of a representative's working time available "
       "to the network", source=f"{HALLBERG} (busy schedules; value no lit.)",
       unit="FTE", low=0.0, high=1.0, low_open=True, group="members", label="members' capacity",
       changeable=False, plausible=(0.05, 0.2)),
    _p("initial_commitment", "float", 0.65, "mean commitment of members of a voluntary network "
       "at the start", source=HALLBERG, unit="share", low=0.0, high=1.0, group="members",
       label="starting commitment", changeable=False, plausible=(0.5, 0.8)),
    _p("mandated_motivation", "float", 0.6, "starting commitment of mandated members relative to "
       "voluntary ones", source=DARCIS, unit="ratio", low=0.0, high=1.0, group="members",
       label="mandated members' relative motivation", changeable=False, plausible=(0.4, 0.8)),
    _p("mandated_attendance", "float", 0.5, "least chance that a mandated member attends a meeting "
       "(symbolic participation)", source=DARCIS, unit="probability", low=0.0, high=1.0,
       group="members", label="mandated attendance floor", plausible=(0.3, 0.7)),
    _p("base_attendance", "float", 0.5, "chance that a member of a typical sector with average "
       "commitment and no tie to a coordinator attends a meeting",
       source=f"{HALLBERG} (about 20 of 40 at a meeting)", unit="probability", low=0.0,
       high=1.0, group="members", label="base attendance", plausible=(0.4, 0.6)),
    _p("coordinator_pull", "float", 0.4, "relative rise of a member's chance to attend with its "
       "tie to the coordinator (personal invitations, agendas and notes that keep work on track)",
       source=f"{HALLBERG} ('if it wouldn't proceed like this ... not come to every meeting'; "
       "value no lit.)", unit="share", low=0.0, high=2.0, group="members",
       label="coordinator's pull on attendance", plausible=(0.2, 0.6)),
    _p("primary_care_attendance", "float", 0.15,
       "same for primary care, the rarely attending sector",
       source=f"{HALLBERG} ('creates a hole')", unit="probability", low=0.0, high=1.0,
       group="members", main=True, label="primary care's attendance", plausible=(0.05, 0.3)),
    _p("volunteering", "float", 0.6, "mean starting propensity to volunteer for an open task",
       source="Stadtler & Karakulak 2020 (value no lit.)", unit="probability", low=0.0, high=1.0,
       group="members", label="willingness to volunteer", changeable=False, plausible=(0.4, 0.8)),
    _p("volunteer_group_exponent", "float", 0.5, "how fast individual willingness to volunteer "
       "falls with the size of the group asked (willingness / size^exponent)",
       source="Diekmann 1985 volunteer's dilemma (value no lit.)", unit="-", low=0.0, high=3.0,
       group="members", label="volunteer's dilemma exponent", plausible=(0.25, 1.0)),
    _p("open_task_share", "float", 0.3, "share of a project's monthly work that is an open task "
       "nobody is assigned to and needs a volunteer", source=HALLBERG, unit="share", low=0.0,
       high=1.0, group="members", label="share of work that is an open task",
       plausible=(0.2, 0.4)),
    _p("takeover", "float", 0.5, "the coordinator's propensity to take over an open task nobody "
       "volunteered for", source=f"Stadtler & Karakulak 2020; {HALLBERG}", unit="probability",
       low=0.0, high=1.0, group="members", main=True, label="coordinator's takeover propensity",
       plausible=(0.25, 0.75)),
    _p("reliance_erosion", "float", 0.05, "relative loss of volunteering of each team member when "
       "the coordinator takes over their project's task (learned reliance)",
       source="Stadtler & Karakulak 2020 (value no lit.)", unit="share", low=0.0, high=1.0,
       group="members", label="erosion by reliance", plausible=(0.025, 0.1)),
    _p("volunteering_recovery", "float", 0.005, "monthly recovery of volunteering towards its "
       "starting value (each takeover erodes it on top): learned reliance lasts years",
       source="Stadtler & Karakulak 2020 (value no lit., range 0.002-0.02)",
       unit="share/month", low=0.0, high=1.0, group="members", label="recovery of volunteering",
       plausible=(0.002, 0.02)),
    _p("meeting_cost", "float", 0.2, "share of a meeting month's network capacity that attending "
       "costs a member", source=HALLBERG, unit="share", low=0.0, high=1.0, group="members",
       label="cost of a meeting", plausible=(0.1, 0.3)),
    _p("commitment_recovery", "float", 0.02, "monthly relaxation of commitment towards the "
       "organisation's motivation: why it joined or was enrolled, moved by how its trust in the "
       "network has changed since", unit="share/month", low=0.0, high=1.0, group="members",
       label="recovery of commitment", plausible=(0.01, 0.04)),
    _p("motivation_trust_link", "float", 1.0, "how far an organisation's motivation follows "
       "its trust in the network (change of motivation per change of that trust; 0: motivation "
       "stays what it was at the start, a knockout control)",
       source="Klijn, Edelenbos & Steijn 2010; Ring & Van de Ven 1994 (value no lit., range "
       "0-2)", unit="1/trust", low=0.0, high=5.0, group="members",
       label="motivation's link to trust", plausible=(0.0, 2.0)),
    _p("motivation_rate", "float", 0.15, "how strongly perceived progress moves commitment",
       source="Aunger et al. 2021 (value no lit.)", unit="share/signal", low=0.0, high=1.0,
       group="members", label="motivation rate", plausible=(0.075, 0.3)),
    _p("progress_memory", "float", 0.4, "weight of the newest signal in perceived progress",
       unit="share", low=0.0, high=1.0, low_open=True, group="members", label="memory of progress",
       plausible=(0.2, 0.6)),
    _p("progress_expectation", "float", 0.3, "meaning members expect of a success: a success "
       "that means less disappoints, one that means more encourages",
       source="Aunger et al. 2021; " + HALLBERG + " (value no lit.)", unit="share", low=0.0,
       high=1.0, group="members", label="expected meaning of a success", plausible=(0.15, 0.45)),
    _p("idle_penalty", "float", 0.2, "negative perceived progress of a meeting with nothing to "
       "report ('just sit and talk')", source=HALLBERG, unit="signal", low=0.0, high=1.0,
       group="members", label="disappointment of an idle meeting", plausible=(0.1, 0.3)),
    _p("disillusion_rate", "float", 0.2,
       "how fast negative perceived progress disillusions a member",
       unit="share/signal", low=0.0, high=1.0, group="members",
       label="members' disillusionment rate", plausible=(0.1, 0.3)),
    _p("member_exit_rate", "float", 0.1,
       "chance per meeting that a fully disillusioned member of a "
       "voluntary network leaves (scales with disillusionment squared)",
       source=f"{DARCIS}; {HALLBERG}", unit="probability", low=0.0, high=1.0, group="members",
       label="members' exit rate", plausible=(0.05, 0.2)),
    # --- trust and ties (M1, M8) ----------------------------------------------------------
    _p("initial_trust", "float", 0.5, "trust every member has in every other at the start "
       "(the beta prior's mean, with the weight prior_weight)", source=HUXHAM_VANGEN,
       unit="probability", low=0.01, high=0.99, group="trust", main=True, label="starting trust",
       changeable=False, plausible=(0.35, 0.65)),
    _p("initial_strength", "float", 0.1, "mean strength of existing working relationships at the "
       "start", source="Keast, Brown & Mandell 2007 (case 001: weak ties)", unit="share",
       low=0.0, high=0.95, group="trust", main=True, label="starting relationship strength",
       changeable=False, plausible=(0.05, 0.2)),
    _p("failure_weight", "float", 2.0, "evidence a failure adds against trust relative to what a "
       "success adds for it (trust is lost faster than won)",
       source=HUXHAM_VANGEN + " (value no lit., range 1.5-3)", unit="ratio", low=1.0, high=10.0,
       group="trust", label="weight of a failure", plausible=(1.5, 3.0)),
    _p("outcome_evidence", "float", 1.0, "weight of the trust evidence a project's end gives its "
       "members about each other, success and failure alike (0 switches the rule off, a "
       "knockout control)", unit="ratio", low=0.0, high=2.0, group="trust",
       label="trust evidence from outcomes", plausible=(0.5, 1.5)),
    _p("prior_weight", "float", 1.0, "weight of the starting trust, in observations: how much "
       "evidence it takes to move a pair's trust (2 is the textbook beta reputation; with 1 a "
       "first shared project counts)", source="Jøsang & Ismail 2002 (value no lit., range "
       "0.5-4)", unit="observations", low=0.1, high=20.0, group="trust",
       label="weight of starting trust", changeable=False, plausible=(0.5, 4.0)),
    _p("forgetting", "float", 0.995, "monthly retention of trust evidence: organisations keep "
       "what they learnt of a partner when representatives change (0.995 is a half-life of "
       "about twelve years)", unit="1/month",
       source="Zaheer, McEvily & Perrone 1998 (institutional memory; value no lit., range "
       "0.95-1)", low=0.5, high=1.0, group="trust", label="retention of trust evidence",
       plausible=(0.95, 1.0)),
    _p("meeting_trust_gain", "float", 0.3, "trust evidence a conversation at a meeting adds "
       "between two fully committed members (scaled by the pair's mean commitment)",
       source=HALLBERG, unit="observations", low=0.0, high=5.0, group="trust",
       label="trust from a conversation", plausible=(0.15, 0.45)),
    _p("meeting_mood_weight", "float", 2.0, "how far the progress a meeting reports colours "
       "what its conversations teach about each other: good news adds to trust, bad news "
       "turns it into evidence against (0: conversations always build trust, a knockout "
       "control)", source="Klijn, Edelenbos & Steijn 2010; Vangen & Huxham 2003 (value no "
       "lit., range 0-2)", unit="ratio", low=0.0, high=5.0, group="trust",
       label="weight of a meeting's mood", plausible=(0.0, 2.0)),
    _p("meeting_contacts", "int", 8, "members each attendee talks to at a meeting",
       unit="organisations", low=1, high=10_000, group="trust", label="contacts per meeting",
       plausible=(4, 12)),
    _p("relationship_time", "float", 0.3, "share of meeting time spent on relationship building "
       "(costs capacity, yields no output, raises relationship strength)",
       source="Keast, Brown & Mandell 2007 (case 001)", unit="share", low=0.0, high=1.0,
       group="trust", main=True, label="relationship time", plausible=(0.15, 0.45)),
    _p("directive_relationship_share", "float", 0.3, "relationship time of a directive meeting "
       "relative to a coordinating one", source="Newman 2001 (value no lit.)", unit="ratio",
       low=0.0, high=1.0, group="trust", label="relationship time when directive",
       plausible=(0.15, 0.45)),
    _p("strength_gain_meeting", "float", 0.3,
       "growth of relationship strength towards 1 per meeting "
       "conversation at full relationship time", unit="share", low=0.0, high=1.0, group="trust",
       label="strength from a conversation", plausible=(0.15, 0.45)),
    _p("strength_gain_work", "float", 0.08,
       "growth of relationship strength towards 1 per month of "
       "joint work", source=HALLBERG, unit="share/month", low=0.0, high=1.0, group="trust",
       label="strength from joint work", plausible=(0.04, 0.12)),
    _p("strength_decay", "float", 0.02, "monthly decay of relationship strength",
       unit="share/month",
       low=0.0, high=1.0, group="trust", label="decay of strength", plausible=(0.01, 0.04)),
    _p("volunteer_credit", "float", 0.2,
       "trust evidence teammates give a member who volunteers for "
       "an open task (one-directional)", unit="observations", low=0.0, high=5.0, group="trust",
       label="trust earned by volunteering", plausible=(0.1, 0.3)),
    _p("cooperation_threshold", "float", 0.15, "tie quality (geometric mean of trust and strength) "
       "from which a pair cooperates", source="Keast, Brown & Mandell 2007 (value no lit.)",
       unit="quality", low=0.0, high=1.0, group="trust", label="threshold of cooperation",
       plausible=(0.1, 0.2)),
    _p("coordination_threshold", "float", 0.3, "tie quality from which a pair coordinates",
       source="Keast, Brown & Mandell 2007 (value no lit.)", unit="quality", low=0.0, high=1.0,
       group="trust", label="threshold of coordination", plausible=(0.25, 0.35)),
    _p("collaboration_threshold", "float", 0.5, "tie quality from which a pair collaborates",
       source="Keast, Brown & Mandell 2007 (value no lit.)", unit="quality", low=0.0, high=1.0,
       group="trust", label="threshold of collaboration", plausible=(0.4, 0.6)),
    # --- coordinator (M3, M4, M7) ---------------------------------------------------------
    _p("coordinator_capacity", "float", 0.5, "working time of the NAO (two part-time meeting "
       "leaders in the Swedish case)", source=HALLBERG, unit="FTE", low=0.0, high=20.0,
       group="coordinator", label="coordinator's capacity", plausible=(0.25, 1.0)),
    _p("lead_capacity_share", "float", 0.6, "share of an NAO's capacity a lead organisation gives "
       "to coordination from its own staff", source=PROVAN_KENIS, unit="share", low=0.0,
       high=1.0, group="coordinator", label="lead's share of capacity", plausible=(0.4, 0.8)),
    _p("coordinator_admin", "float", 0.005, "the coordinator's monthly routine work per member "
       "(agendas, notes, connecting people)", source=HALLBERG, unit="FTE/member", low=0.0,
       high=1.0, group="coordinator", label="coordinator's routine work",
       plausible=(0.0025, 0.01)),
    _p("sustainable_load", "float", 0.8, "share of its capacity a coordinator can fill month "
       "after month without strain", source="Homer 1985 (value no lit., range 0.6-1)",
       unit="share", low=0.05, high=2.0, group="coordinator", label="sustainable load",
       plausible=(0.6, 1.0)),
    _p("disillusion_strain", "float", 0.2, "strain a fully disillusioned coordinator feels as if "
       "it worked this share of its capacity above the sustainable load (an impossible mission "
       "wears one out; 0: strain from workload only)",
       source="Darcis 2025 ('disillusionment, leading some of them to experience burn out'; "
       "value no lit., range 0-0.5)", unit="share", low=0.0, high=2.0, group="coordinator",
       label="strain from disillusionment", plausible=(0.0, 0.5)),
    _p("overcommitment", "float", 0.5, "chance, relative to ``takeover``, that the coordinator "
       "takes over an open task nobody volunteered for when it has no time left for it "
       "(overcommitment), raised by the gap between its aspiration and what it sees "
       "delivered (the pressure to deliver), and how far beyond its capacity it goes (this "
       "share of it); 0: only within free capacity",
       source="Homer 1985; Stadtler & Karakulak 2020 (value no lit.)", unit="probability",
       low=0.0, high=1.0, group="coordinator", label="overcommitment", plausible=(0.25, 0.75)),
    _p("strain_rate", "float", 0.3, "growth of coordinator strain per unit of load above the "
       "sustainable load (relative to its capacity)",
       source="Homer 1985 (value no lit.)", unit="1/month", low=0.0, high=5.0, group="coordinator",
       label="growth of strain", plausible=(0.15, 0.6)),
    _p("strain_recovery", "float", 0.05, "monthly recovery of strain (strain settles where "
       "growth and recovery balance, so it is graded with the load)",
       source="Homer 1985 (value no lit.)", unit="share/month", low=0.0, high=1.0,
       group="coordinator", label="recovery from strain", plausible=(0.025, 0.1)),
    _p("coordinator_aspiration", "float", 0.6, "starting aspiration of a coordinator (the "
       "meaningful progress it expects per project)", source="Lant 1992", unit="share", low=0.0,
       high=1.0, group="coordinator", label="coordinator's aspiration", plausible=(0.4, 0.8)),
    _p("aspiration_adaptation", "float", 0.05, "monthly adaptation of a voluntary network "
       "coordinator's aspiration towards what is delivered", source="Lant 1992 (value no lit.)",
       unit="share/month", low=0.0, high=1.0, group="coordinator",
       label="adaptation of aspiration", plausible=(0.025, 0.1)),
    _p("mandate_aspiration", "float", 0.9, "the fixed aspiration of a mandated coordinator (the "
       "'myth' of the mandate)", source=DARCIS, unit="share", low=0.0, high=1.0,
       group="coordinator", label="mandated aspiration", plausible=(0.75, 1.0)),
    _p("coordinator_legitimacy", "float", 0.6, "starting legitimacy (leverage) of a coordinator",
       source=DARCIS, unit="share", low=0.0, high=1.0, group="coordinator",
       label="coordinator's legitimacy", plausible=(0.4, 0.8)),
    _p("mandated_leverage", "float", 0.5, "legitimacy of a mandated coordinator relative to a "
       "voluntary one", source=DARCIS, unit="ratio", low=0.0, high=1.0, group="coordinator",
       label="mandated leverage", plausible=(0.3, 0.7)),
    _p("disillusion_speed", "float", 0.1, "monthly growth of coordinator disillusionment per unit "
       "of aspiration gap (doubled at zero legitimacy)", source=f"{DARCIS} (value no lit.)",
       unit="1/month", low=0.0, high=5.0, group="coordinator",
       label="coordinator's disillusionment rate", plausible=(0.05, 0.2)),
    _p("coordinator_exit_rate", "float", 0.08, "monthly chance that a fully strained and fully "
       "disillusioned coordinator leaves (it scales with the mean of the squares of the two)",
       source=f"{DARCIS}; Homer 1985 (value no lit.)",
       unit="probability", low=0.0, high=1.0, group="coordinator", label="coordinator's exit rate",
       plausible=(0.04, 0.16)),
    _p("vacancy_months", "int", 4, "months the coordinator post stays vacant after an exit",
       unit="months", low=0, high=120, group="coordinator", label="months of vacancy",
       plausible=(2, 8)),
)

PARAMETERS: dict[str, Parameter] = {p.name: p for p in _DECLARATIONS}
DEFAULTS: dict[str, Any] = {p.name: p.default for p in _DECLARATIONS}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(p.group for p in _DECLARATIONS))


def unknown_name_message(name: Any, known: Iterable[str] | None = None, *,
                         kind: str = "parameter", listing: str | None = None) -> str:
    """One line naming an unknown name, with the closest known names.

    By default the name is a parameter's and the line points to ``trustnet params``; for other
    kinds of names give ``known`` and ``kind`` (and ``listing``, what follows in parentheses;
    by default "allowed: " and the known names).
    """
    names = [str(n) for n in (PARAMETERS if known is None else known)]
    close = difflib.get_close_matches(str(name), names, n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    if listing is None:
        listing = ("'trustnet params' lists them" if known is None
                   else f"allowed: {', '.join(names)}")
    shown = f"'{name}'" if isinstance(name, str) else repr(name)
    return f"unknown {kind} {shown}{hint} ({listing})"


def check_seed(seed: Any, name: str = "seed") -> None:
    """A seed is an integer >= 0 (a numpy integer too), a numpy Generator or SeedSequence, or
    None (fresh entropy); anything else is refused naming ``name``."""
    import numpy as np

    if seed is None or isinstance(seed, (np.random.Generator, np.random.SeedSequence)):
        return
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        return
    raise ValueError(f"{name}: got {seed!r}; allowed: an integer >= 0, a numpy Generator or "
                     "None")


def resolve(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults updated with validated ``overrides``; ValueError names a bad name or value."""
    values = dict(DEFAULTS)
    for name, value in (overrides or {}).items():
        if name not in PARAMETERS:
            raise ValueError(unknown_name_message(name))
        values[name] = PARAMETERS[name].validate(value)
    check_consistency(values)
    return values


def check_consistency(values: Mapping[str, Any]) -> None:
    """Rules that involve more than one parameter."""
    a, b, c = (values["cooperation_threshold"], values["coordination_threshold"],
               values["collaboration_threshold"])
    if not a <= b <= c:
        raise ValueError(
            "parameters 'cooperation_threshold' <= 'coordination_threshold' <= "
            f"'collaboration_threshold' must hold; got {a}, {b}, {c}"
        )


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse ``name=value`` (as given to ``--set``) into a validated pair."""
    if "=" not in text:
        raise ValueError(f"expected name=value, got {text!r}")
    name, raw = text.split("=", 1)
    name = name.strip()
    if name not in PARAMETERS:
        raise ValueError(unknown_name_message(name))
    return name, PARAMETERS[name].parse(raw)


def parameter_table() -> list[dict[str, Any]]:
    """One row per parameter, in declaration order (for ``trustnet params`` and the ODD)."""
    return [
        {
            "name": p.name,
            "label": p.label,
            "group": p.group,
            "default": p.default,
            "allowed": p.allowed(),
            "unit": p.unit,
            "meaning": p.meaning,
            "source": p.source,
            "in_a_run": "may change (events)" if p.changeable else "fixed for a run",
            "plausible": p.plausible_text(),
        }
        for p in _DECLARATIONS
    ]


def markdown_table() -> str:
    """The parameter table as Markdown, grouped as declared."""
    lines = []
    for group in GROUPS:
        lines += [f"\n**{group}**\n",
                  "| name | label | default | allowed | plausible | unit | in a run | meaning | "
                  "source |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for row in parameter_table():
            if row["group"] == group:
                lines.append(
                    f"| `{row['name']}` | {row['label']} | {row['default']} | {row['allowed']} | "
                    f"{row['plausible']} | {row['unit']} | {row['in_a_run']} | {row['meaning']} | "
                    f"{row['source']} |"
                )
    return "\n".join(lines).lstrip("\n") + "\n"
