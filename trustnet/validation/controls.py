"""Knockout controls: is a pattern's effect emergent, or does a rule state it?

Each check of each pattern names the rule that turns its treatment into its outcome most
directly. The validation reruns the pattern's sweep with that rule switched off by the
parameters below (on every arm, the treatment itself kept) and reports the share of the effect
that survives (:mod:`trustnet.validation.judgement`). Where the effect is part of what the
treatment means, the check is *by construction* and no knockout is run; a claim of no
difference has no effect that could survive, so it is *not tested*, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from trustnet.core.parameters import PARAMETERS
from trustnet.validation import judgement

DEFAULT = {name: p.default for name, p in PARAMETERS.items()}


@dataclass(frozen=True)
class Knockout:
    """A rule switched off for some checks of a pattern."""

    checks: tuple[str, ...]
    rule: str  # the rule, in words
    overrides: Mapping[str, Any]  # parameters that switch it off, on every arm
    reason: str  # why this rule is the one that states the effect most directly


@dataclass(frozen=True)
class Controls:
    knockouts: tuple[Knockout, ...] = ()
    by_construction: Mapping[str, str] = field(default_factory=dict)  # check -> why
    not_tested: Mapping[str, str] = field(default_factory=dict)  # check -> why

    def covered(self) -> set[str]:
        return ({c for k in self.knockouts for c in k.checks} | set(self.by_construction)
                | set(self.not_tested))


NO_DIFFERENCE = ("a claim of no difference (non-inferiority): there is no effect whose share "
                 "could survive a knockout")

CONTROLS: dict[str, Controls] = {
    "p01": Controls(
        knockouts=(
            Knockout(("high_trust", "high_attendance"), "the chance of success falls with the "
                     "work required over the work delivered", {"success_slope": 0.0},
                     "ambition acts on trust and attendance through failures: with a slope of "
                     "0 every project is a coin flip whatever its ambition"),
            Knockout(("low_trust",), "a success feels as meaningful as it is ambitious",
                     {"meaningful_ambition": PARAMETERS["meaningful_ambition"].low},
                     "the trust a success adds is its meaning; at the smallest meaningful "
                     "ambition every success means nearly 1"),
        ),
        by_construction={"high_successes": "ambition sets the work a project requires, and the "
                         "chance of success falls with required over delivered work: that is "
                         "what overambition means"}),
    "p02": Controls(knockouts=(
        Knockout(("late_trust", "later_output"), "a project's end gives its members trust "
                 "evidence about each other", {"outcome_evidence": 0.0},
                 "early successes can only raise later trust through the evidence they leave"),
        Knockout(("later_ambition",), "new projects are more ambitious the more the core "
                 "present trusts each other", {"ambition_trust_gain": 0.0},
                 "the one rule that links trust to the ambition of later projects"),
    )),
    "p03": Controls(knockouts=(
        Knockout(("rho_0.8", "trust_by_output"), "a project's end gives its members trust "
                 "evidence about each other", {"outcome_evidence": 0.0},
                 "successes (output) raise trust directly through the evidence they add"),
    )),
    "p04": Controls(knockouts=(
        Knockout(("output_t0", "output_t1"), "the coordinator proposes projects of its own",
                 {"coordinator_initiative": 0.0},
                 "the most direct way a coordinator's absence lowers output: its proposals "
                 "stop"),
        Knockout(("attendance_t0", "attendance_t1"), "attendance follows a member's tie to the "
                 "coordinator", {"coordinator_pull": 0.0},
                 "the ties with the coordinator leave with it, and with them its pull"),
        Knockout(("drop_interaction",), "members learn to rely on a coordinator that takes "
                 "over", {"reliance_erosion": 0.0},
                 "heavy takeover can only deepen the drop through the volunteering it "
                 "eroded"),
    )),
    "p05": Controls(
        knockouts=(
            Knockout(("volunteering", "member_ties", "withdrawal_drop"), "members learn to "
                     "rely on a coordinator that takes over", {"reliance_erosion": 0.0},
                     "the rule that states that takeover erodes volunteering"),
        ),
        by_construction={"early_output": "a task the coordinator takes over is work done that "
                         "nobody else did: more output at once is what takeover means"}),
    "p06": Controls(knockouts=(
        Knockout(("coordinator_disillusionment_mean", "mean_coordinator_tenure",
                  "coordinator_exits"), "a mandate fixes a high aspiration and lowers the "
                 "coordinator's leverage",
                 {"mandate_aspiration": DEFAULT["coordinator_aspiration"],
                  "mandated_leverage": 1.0},
                 "the two rules by which the brief says a mandate disillusions: a mandated "
                 "coordinator then starts with a voluntary one's aspiration and leverage"),
    )),
    "p07": Controls(
        knockouts=(
            Knockout(("inclusion_gap",), "overruled members lose trust in the network, the "
                     "less powerful the more", {"overrule_penalty": 0.0},
                     "the rule that states the inclusion gap"),
            Knockout(("late_trust",), "a directive meeting leaves less time for "
                     "relationships", {"directive_relationship_share": 1.0},
                     "the rule by which directive style builds less trust"),
        ),
        by_construction={
            "early_decisions": "deciding by the coordinator's power-weighted majority instead "
                               "of by consensus is what the directive style is",
            "early_output": "the directive decision rule, the treatment itself, is the rule "
                            "that puts more work under way early"}),
    "p08": Controls(not_tested={"not_dominated_by_coordinating": NO_DIFFERENCE,
                                "not_dominated_by_directive": NO_DIFFERENCE}),
    "p09": Controls(knockouts=(
        Knockout(("broader", "broadly", "core"), "relationship time at meetings builds "
                 "relationship strength", {"strength_gain_meeting": 0.0},
                 "the investment is relationship time, which acts on ties through this gain"),
    ), not_tested={"stays_lower": "a check of the arm without the investment alone: the rule "
                                  "the investment acts through does not act there"}),
    "p10": Controls(knockouts=(
        Knockout(("within_runs", "across_arms"), "each needed sector missing from a group "
                 "lowers its chance of success", {"missing_sector_penalty": 0.0},
                 "the rule that states that a missing sector costs implementation"),
    )),
    "p11": Controls(
        knockouts=(
            Knockout(("output_large", "output_gap", "mean_trust_large", "mean_trust_gap"),
                     "shared governance costs each member capacity per other member",
                     {"shared_coordination_cost": 0.0},
                     "the rule that states that self-governance costs more the larger the "
                     "network; vetoes, which grow with size and fall with trust, stay"),
        ),
        not_tested={"output_small": NO_DIFFERENCE, "mean_trust_small": NO_DIFFERENCE}),
    "p13": Controls(
        knockouts=(
            Knockout(("output", "successes", "negative_output", "gain_output"), "trust lowers "
                     "the transaction costs of a working group", {"transaction_cost": 0.0},
                     "the rule by which the shock's trust becomes delivered work: without it "
                     "trust changes ambition and volunteering only"),
            Knockout(("reinforced", "negative_reinforced"), "project ends and the meetings "
                     "that report them give trust evidence", {"outcome_evidence": 0.0,
                                                              "meeting_mood_weight": 0.0},
                     "trust earned after the shock comes from the evidence outcomes leave, "
                     "at a project's end and in the mood of the meetings that report it"),
        )),
    "p12": Controls(
        knockouts=(
            Knockout(("broader",), "mandated members attend at least symbolically",
                     {"mandated_attendance": 0.0}, "the floor that states broader attendance"),
            Knockout(("trust_per_meeting",), "mandated members start less motivated",
                     {"mandated_motivation": 1.0},
                     "conversations build trust in proportion to commitment, and a mandate "
                     "lowers starting commitment"),
        ),
        by_construction={
            "motivated": "a mandate enrols members at mandated_motivation times a voluntary "
                         "member's starting commitment: the gap is that factor",
            "lose_members": "members of a mandated network cannot leave: that is what a "
                            "mandate means"}),
}


def apply(result: Any, controls: Controls, knocked_out: Mapping[int, Any]) -> None:
    """Mark each check of ``result`` (a PatternResult) with its control; ``knocked_out`` maps
    the index of each knockout to the PatternResult of its rerun. Only a check that holds has
    an effect whose emergence can be judged; the others keep their rerun's estimate."""
    by_name = {c.name: c for c in result.checks}
    for name, why in controls.by_construction.items():
        if name in by_name:
            check = by_name[name]
            check.knockout = why
            if check.holds:
                check.emergence = judgement.BY_CONSTRUCTION
    for name, why in controls.not_tested.items():
        if name in by_name:
            by_name[name].knockout = why
    for i, knockout in enumerate(controls.knockouts):
        rerun = knocked_out.get(i)
        if rerun is None:
            continue
        again = {c.name: c for c in rerun.checks}
        switched = ", ".join(f"{k} = {v:g}" for k, v in knockout.overrides.items())
        for name in knockout.checks:
            check, other = by_name.get(name), again.get(name)
            if check is None or other is None or check.comparison is None:
                continue
            check.knocked_out = other.comparison.estimate
            check.knockout = f"no rule that {knockout.rule} ({switched})"
            if check.holds:  # a share of an effect that points the claimed way
                check.surviving = judgement.surviving_share(check.comparison.estimate,
                                                            check.knocked_out)
                check.emergence = judgement.emergence(check.surviving)
    for check in result.checks:
        if not check.holds:
            check.emergence = judgement.NOT_JUDGED
    result.emergence = judgement.pattern_emergence([c.emergence for c in result.checks
                                                    if c.holds])


def knockout_spec(spec: dict[str, Any], knockout: Knockout) -> dict[str, Any]:
    """The pattern's spec with the knockout's parameters on every arm (in ``[base]``)."""
    swept = set(spec.get("axes", {})) | {k for arm in spec.get("arms", []) for k in arm}
    clash = swept & set(knockout.overrides)
    if clash:
        raise ValueError(f"knockout of {', '.join(knockout.checks)}: {', '.join(sorted(clash))} "
                         "is swept by the pattern's spec, so it cannot be switched off on every "
                         "arm")
    return {**spec, "base": {**spec.get("base", {}), **knockout.overrides}}
