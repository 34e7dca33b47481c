"""Every reporter and summary outcome, declared once.

Figures, tables, the validation's verdicts, the ODD and the browser view take their labels,
units, ranges and smallest effects of interest from :data:`OUTCOMES`; nothing else declares
them. A *smallest effect of interest* (SESOI) is the difference a reader would care about, with
its reason: a difference smaller than it is negligible however significant it is. It is
absolute (in the outcome's unit) or relative (a share of the reference arm's mean).

Like :mod:`trustnet.core.parameters`, this module imports only the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

HIGHER, LOWER = "higher", "lower"

TRUST_SESOI = 0.02
TRUST_REASON = ("a fiftieth of the 0-1 scale: about a tenth of a point on a five-point survey "
                "item of trust, the least change such instruments resolve")
SHARE_SESOI = 0.05
SHARE_REASON = "five percentage points: one pair, member or month in twenty"
COUNT_SESOI = 0.10
COUNT_REASON = ("a tenth of the reference arm: a network delivering a tenth more or less has "
                "changed in a way its members and funders notice")


@dataclass(frozen=True)
class Outcome:
    """One reporter or summary outcome: what it measures, in what unit, what size matters."""

    name: str
    label: str  # for figures and tables
    unit: str
    meaning: str
    sesoi: float
    sesoi_reason: str
    relative: bool = False  # the SESOI is a share of the reference arm's mean
    low: float | None = 0.0
    high: float | None = None
    better: str | None = None  # HIGHER, LOWER, or None where neither is better in itself
    main: bool = False  # shown by default in figures and tables
    reporter: bool = True  # measured every month (False: a summary of the run only)
    coordinator: bool = False  # a state of the coordinator in post: reads 0 where none is,
    # so figures leave out runs that never had one (and months without one)

    def margin(self, reference_mean: float) -> float:
        """The SESOI in the outcome's unit, given the reference arm's mean."""
        return self.sesoi * abs(reference_mean) if self.relative else self.sesoi

    def describe_sesoi(self) -> str:
        """The SESOI in words, e.g. '0.02' or '10% of the reference'."""
        if self.relative:
            return f"{self.sesoi:.0%} of the reference"
        if self.unit in ("-", "share", "0-1"):
            return f"{self.sesoi:g}"
        unit = self.unit[:-1] if self.sesoi == 1 and self.unit.endswith("s") else self.unit
        return f"{self.sesoi:g} {unit}"


def _o(name: str, label: str, unit: str, meaning: str, sesoi: float, reason: str,
       **kw) -> Outcome:
    return Outcome(name=name, label=label, unit=unit, meaning=meaning, sesoi=sesoi,
                   sesoi_reason=reason, **kw)


_REPORTERS = (
    _o("mean_trust", "mean trust between members", "0-1",
       "mean trust of every active member in every other (beta reputation, prior included)",
       TRUST_SESOI, TRUST_REASON, high=1.0, better=HIGHER, main=True),
    _o("trust_density", "pairs trusting", "share",
       "share of ordered pairs of active members whose trust is clearly above where it started "
       "(by more than a tenth of the scale)", SHARE_SESOI, SHARE_REASON, high=1.0,
       better=HIGHER),
    _o("working_trust", "trust in working ties", "0-1",
       "mean trust of active members in those they have shared a working group with (the "
       "starting trust while nobody has)", TRUST_SESOI, TRUST_REASON, high=1.0, better=HIGHER,
       main=True),
    _o("earned_trust", "trust earned", "0-1",
       "mean trust without what is left of the evidence added by trust shocks (events): the "
       "trust the network built itself (in a run that has had no shock, its mean trust)",
       TRUST_SESOI, TRUST_REASON, high=1.0, better=HIGHER),
    _o("active_members", "members", "members", "members who have not left the network",
       1.0, "one organisation more or less: the smallest change of membership there is",
       better=HIGHER, main=True),
    _o("attendance", "meeting attendance", "share",
       "share of active members at the latest plenary meeting", SHARE_SESOI, SHARE_REASON,
       high=1.0, better=HIGHER, main=True),
    _o("projects_active", "projects running", "projects", "projects under way this month",
       COUNT_SESOI, COUNT_REASON, relative=True),
    _o("projects_succeeded", "projects succeeded", "projects",
       "projects that succeeded so far", COUNT_SESOI, COUNT_REASON, relative=True,
       better=HIGHER, main=True),
    _o("projects_failed", "projects failed", "projects", "projects that failed so far",
       COUNT_SESOI, COUNT_REASON, relative=True, better=LOWER),
    _o("projects_abandoned", "projects abandoned", "projects",
       "projects abandoned because every member of their group left", COUNT_SESOI,
       COUNT_REASON, relative=True, better=LOWER),
    _o("output", "output (ambition delivered)", "ambition units",
       "sum of the ambition of the projects that succeeded so far", COUNT_SESOI,
       COUNT_REASON, relative=True, better=HIGHER, main=True),
    _o("coordinator_task_share", "coordinator's share of task effort", "share",
       "share of the last twelve months' project effort done by the coordinator (role drift)",
       SHARE_SESOI, SHARE_REASON, high=1.0, main=True),
    _o("volunteering", "willingness to volunteer", "0-1",
       "mean propensity of active members to volunteer for an open task", SHARE_SESOI,
       SHARE_REASON, high=1.0, better=HIGHER),
    _o("mean_commitment", "commitment", "0-1", "mean commitment of active members",
       TRUST_SESOI, "an attitude on the same 0-1 scale as trust: " + TRUST_REASON, high=1.0,
       better=HIGHER, main=True),
    _o("mean_disillusionment", "members' disillusionment", "0-1",
       "mean disillusionment of active members", TRUST_SESOI,
       "an attitude on the same 0-1 scale as trust: " + TRUST_REASON, high=1.0,
       better=LOWER, main=True),
    _o("coordinator_present", "coordinator in post", "share",
       "1 while a coordinator is in post, else 0 (its mean: the share of months in post)",
       SHARE_SESOI, SHARE_REASON, high=1.0),
    _o("coordinator_strain", "coordinator's strain", "0-1",
       "burnout strain of the coordinator in post (0 when none is)", SHARE_SESOI,
       "a twentieth of the scale: strain is an index, not a survey score, and coarser",
       high=1.0, better=LOWER, main=True, coordinator=True),
    _o("coordinator_disillusionment", "coordinator's disillusionment", "0-1",
       "disillusionment of the coordinator in post (0 when none is)", SHARE_SESOI,
       "a twentieth of the scale: the coordinator's state is one index, not a mean over "
       "members", high=1.0, better=LOWER, main=True, coordinator=True),
    _o("coordinator_exits", "coordinators who left", "coordinators",
       "coordinators who left their post so far (withdrawal not counted)", 0.2,
       "one coordinator more leaving in every fifth network over the run", better=LOWER,
       main=True),
    _o("coordinator_style_directive", "directive months", "share",
       "1 in a month the coordinator acted directively, else 0", SHARE_SESOI, SHARE_REASON,
       high=1.0, coordinator=True),
    _o("inclusion_gap", "inclusion gap", "0-1",
       "trust in the network of the more powerful half of active members less that of the "
       "less powerful half", TRUST_SESOI, "a gap on the trust scale: " + TRUST_REASON,
       low=-1.0, high=1.0, better=LOWER),
    _o("share_cooperation", "pairs at cooperation", "share",
       "share of ordered pairs whose tie is at cooperation (and no higher)", SHARE_SESOI,
       SHARE_REASON, high=1.0),
    _o("share_coordination", "pairs at coordination", "share",
       "share of ordered pairs whose tie is at coordination (and no higher)", SHARE_SESOI,
       SHARE_REASON, high=1.0),
    _o("share_collaboration", "pairs at collaboration", "share",
       "share of ordered pairs whose tie is at collaboration", SHARE_SESOI, SHARE_REASON,
       high=1.0),
)

REPORTERS: tuple[str, ...] = tuple(o.name for o in _REPORTERS)

# End-of-run values of every reporter, plus means over the run of the ones that fluctuate.
RUN_MEANS = ("mean_trust", "attendance", "coordinator_task_share", "coordinator_present",
             "coordinator_strain", "coordinator_disillusionment", "inclusion_gap",
             "volunteering", "mean_commitment")

_BY_NAME = {o.name: o for o in _REPORTERS}
_RUN_MEAN_OUTCOMES = tuple(
    replace(_BY_NAME[name], name=f"{name}_mean", label=f"{_BY_NAME[name].label}, run mean",
            meaning=f"mean over months 1 to the end of: {_BY_NAME[name].meaning}",
            main=False, reporter=False)
    for name in RUN_MEANS)
_SUMMARY_ONLY = (
    _o("success_rate", "success rate", "share",
       "share of the projects ended (succeeded or failed) that succeeded", SHARE_SESOI,
       SHARE_REASON, high=1.0, better=HIGHER, main=True, reporter=False),
    _o("mean_coordinator_tenure", "coordinator's tenure", "months",
       "mean length of the coordinators' tenures, the current one included", 6.0,
       "half a year in post: the least turnover a network notices", better=HIGHER,
       reporter=False, coordinator=True),
)

OUTCOMES: dict[str, Outcome] = {o.name: o for o in (*_REPORTERS, *_RUN_MEAN_OUTCOMES,
                                                    *_SUMMARY_ONLY)}
SUMMARY_OUTCOMES: tuple[str, ...] = tuple(OUTCOMES)
MAIN_OUTCOMES: tuple[str, ...] = tuple(name for name, o in OUTCOMES.items() if o.main)


def outcome(name: str) -> Outcome:
    """The declaration of an outcome; ValueError names an unknown one."""
    if name not in OUTCOMES:
        import difflib

        close = difflib.get_close_matches(name, OUTCOMES, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(f"unknown outcome '{name}'{hint} (the outcome table of docs/ODD.md "
                         "lists them)")
    return OUTCOMES[name]


def label(name: str) -> str:
    """Label of an outcome for figures and tables (the name itself when not declared)."""
    return OUTCOMES[name].label if name in OUTCOMES else name.replace("_", " ")


def markdown_table() -> str:
    """The outcomes as a Markdown table (for the ODD)."""
    lines = ["| name | label | unit | range | better | SESOI | why that size |",
             "|---|---|---|---|---|---|---|"]
    for o in OUTCOMES.values():
        if o.reporter or o.name in ("success_rate", "mean_coordinator_tenure"):
            span = f"{o.low:g} to {o.high:g}" if o.high is not None else f">= {o.low:g}"
            main = " (main)" if o.main else ""
            lines.append(f"| `{o.name}`{main} | {o.label} | {o.unit} | {span} | "
                         f"{o.better or '-'} | {o.describe_sesoi()} | {o.sesoi_reason} |")
    lines.append("")
    lines.append("Each of " + ", ".join(f"`{n}`" for n in RUN_MEANS) + " also has a run mean, "
                 "`NAME_mean`, with the same unit and smallest effect.")
    return "\n".join(lines) + "\n"
