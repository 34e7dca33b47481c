"""The thirteen patterns of the design brief: claim, source, spec, operationalisation, analysis.

Each analysis takes the tables of its sweep (a ``SweepResult``, from ``run_sweep`` or
``load_results``) and returns a :class:`PatternResult`; the report and the test suite call the
same functions, the report on the full sweeps, the tests on small ones. Analyses only ask for the
arms they need, so a test may run a sweep with fewer arms (e.g. without a reference arm).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from trustnet.core.parameters import DEFAULTS
from trustnet.core.reporters import COUNT_REASON, COUNT_SESOI, TRUST_SESOI
from trustnet.core.scenarios import DEFAULT_SCENARIO
from trustnet.validation import figures as fig
from trustnet.validation import judgement
from trustnet.validation import stats as st
from trustnet.validation.analysis import (
    Check,
    PatternResult,
    SpecFacts,
    View,
    band,
    check_from,
    evidence,
    fmt,
    listing,
    row,
    table,
    verdict_of,
)


@dataclass(frozen=True)
class Pattern:
    key: str
    spec: str            # file in the experiments folder
    title: str
    claim: str           # as in the design brief
    source: str
    operationalisation: Callable[[SpecFacts], str]  # in words, from the pattern's spec
    analyse: Callable[..., PatternResult]  # (SweepResult, *needed SweepResults)
    figure: Callable[[PatternResult], Any]  # PatternResult -> matplotlib Figure
    needs: tuple[str, ...] = ()  # patterns whose sweeps the analysis also reads

    def describe(self, spec: Any) -> str:
        """The operationalisation, with the numbers of ``spec`` (a spec dict or Spec)."""
        return self.operationalisation(SpecFacts(spec))


# Choices of the analyses (not of the sweeps): which months and levels a check reads. The
# descriptions, notes and figures use these too, so each is stated once.
P01_MODERATE = (0.5, 0.8)   # the moderate peak is the better of these ambitions on end trust
P03_MAIN = 0.8              # the ambition whose correlation is the check (others: second views)
EARLY_MONTH = 36            # "early" output and decisions (patterns 5 and 7)
LATE_SHARE = 0.7            # late trust: from this share of the run to its end (patterns 7, 8)
P12_BASE = 0.8              # moderate ambition of pattern 12 (the highest is "low progress")
P12_FIRST, P12_TRUST = 12, 24  # months of attendance and commitment, of trust per meeting


# Smallest effects of interest that checks declare themselves (the others are their outcome's).
SMALLEST_CORRELATION = (0.3, "a moderate rank correlation (Cohen 1988): below it the runs that "
                        "deliver more share too little of their trust for a loop to matter")
P02_MIN_RANK = (0.3, "a moderate rank-biserial correlation (Cohen 1988): a higher mean that only "
                "a few diverging runs make is not path dependence of the network as such")
RELATIVE_GAP_SESOI = (0.10, "ten percentage points of the NAO's level: the gap must widen by a "
                      "tenth of what the NAO delivers to count as growing with size")


def _p02_months(steps: int) -> tuple[int, int, int]:
    """Pattern 2: projects ended by the first month are early; later projects start after the
    second; late trust is averaged from the third month to the end."""
    return round(steps * 0.2), round(steps * 0.6), round(steps * 0.8)


def _early(steps: int) -> int:
    return min(EARLY_MONTH, steps)


def _late(steps: int) -> int:
    return round(steps * LATE_SHARE)


def _meetings(first: int, last: int, interval: int) -> int:
    """Meetings fall on months 1, 1 + interval, ...: how many in months first..last."""
    return len([m for m in range(1, last + 1, interval) if m >= first])


def _pc(v: float) -> str:
    return f"{100 * v:.0f}%" if abs(v) >= 0.01 else f"{100 * v:.1g}%"


def _param(v: View, arm: int, name: str) -> Any:
    return v.runs.loc[v.runs["arm"] == arm, name].iloc[0]


# --------------------------------------------------------------------------- P1
def analyse_p01(result: Any) -> PatternResult:
    v = View(result)
    levels = sorted({float(a["varied"]["ambition"]) for a in v.arms.values()})
    outs = {"mean_trust": "end mean trust", "projects_succeeded": "successes",
            "attendance_mean": "mean attendance", "success_rate": "success rate"}
    vals = {(lv, o): v.values(v.arm(ambition=lv), o) for lv in levels for o in outs}
    moderate = [lv for lv in P01_MODERATE if lv in levels]
    peak = max(moderate, key=lambda lv: vals[(lv, "mean_trust")].mean())
    high, low = max(levels), min(levels)
    comps = [
        st.paired("high_trust", f"end mean trust lower at ambition {high:g} than at the peak "
                  f"{peak:g}", vals[(high, "mean_trust")], vals[(peak, "mean_trust")], -1,
                  outcome="mean_trust"),
        st.paired("high_successes", f"fewer successes at {high:g} than at {peak:g}",
                  vals[(high, "projects_succeeded")], vals[(peak, "projects_succeeded")], -1,
                  outcome="projects_succeeded"),
        st.paired("high_attendance", f"lower mean attendance at {high:g} than at {peak:g}",
                  vals[(high, "attendance_mean")], vals[(peak, "attendance_mean")], -1,
                  outcome="attendance_mean"),
        st.paired("low_trust", f"end mean trust lower at ambition {low:g} than at the peak "
                  f"{peak:g}", vals[(low, "mean_trust")], vals[(peak, "mean_trust")], -1,
                  outcome="mean_trust"),
    ]
    checks = [check_from(c) for c in comps]
    rows = [row(f"ambition {lv:g}", outs[o], vals[(lv, o)]) for o in outs for lv in levels]
    frame = pd.DataFrame([{**r, "ambition": float(r["arm"].split()[-1]), "key": o}
                          for o in outs for r in rows if r["outcome"] == outs[o]])
    start = _param(v, v.arm(ambition=low), "initial_trust")
    trust_gain = vals[(low, "mean_trust")].mean() - start
    return PatternResult(
        key="p01", arms=[f"ambition {lv:g}" for lv in levels],
        n=f"{len(vals[(peak, 'mean_trust')])} replications per arm", arm_table=table(rows),
        comparisons=comps, checks=checks, verdict=verdict_of(checks),
        key_number=(f"trust {fmt(comps[0].estimate)} at {high:g} and {fmt(comps[3].estimate)} "
                    f"at {low:g} vs peak {peak:g}"),
        frames={"by_ambition": frame},
        notes=[(f"The moderate peak is the ambition among {listing(moderate)} with the higher "
               f"mean end trust: {peak:g}. Trust starts at {start:g}; at ambition {low:g} it ends "
               f"{fmt(trust_gain)} away from there on average.")])


# --------------------------------------------------------------------------- P2
def analyse_p02(result: Any) -> PatternResult:
    v = View(result)
    arm = next(iter(v.arms))
    steps = v.steps
    early_end, later_start, late_first = _p02_months(steps)
    proj = v.project_rows(arm)
    judged = proj[proj["status"].isin(["succeeded", "failed"])]
    early = judged[(judged["ended"] >= 0) & (judged["ended"] <= early_end)]
    share = early.groupby("replication")["status"].apply(lambda s: (s == "succeeded").mean())
    median = float(share.median())
    hi_reps, lo_reps = share.index[share > median], share.index[share < median]
    late_trust = v.window(arm, "mean_trust", late_first, steps)
    later = proj[proj["start"] > later_start].groupby("replication")["ambition"].mean()
    gained = v.at(arm, "output", steps) - v.at(arm, "output", later_start)

    def split(s: pd.Series) -> tuple[pd.Series, pd.Series]:
        return s.reindex(hi_reps), s.reindex(lo_reps)

    comps = [
        st.unpaired("late_trust", f"mean trust over months {late_first}-{steps} higher after "
                    "early success", *split(late_trust), 1, outcome="mean_trust",
                    min_rank=P02_MIN_RANK),
        st.unpaired("later_ambition", f"mean ambition of projects started after month "
                    f"{later_start} higher after early success", *split(later), 1,
                    sesoi=(COUNT_SESOI, "projects a tenth more ambitious: " + COUNT_REASON),
                    relative=True),
        st.unpaired("later_output", f"output gained after month {later_start} higher after early "
                    "success", *split(gained), 1, outcome="output"),
    ]
    mid = v.window(arm, "mean_trust", early_end + 1, 2 * early_end)
    secondary = [st.unpaired("mid_trust", f"mean trust over months {early_end + 1}-"
                             f"{2 * early_end} higher after early success", *split(mid), 1,
                             outcome="mean_trust")]
    checks = [check_from(c) for c in comps]
    groups = {"early success": hi_reps, "early failure": lo_reps}
    rows = []
    for g, reps in groups.items():
        rows += [row(g, f"early success share (ended by month {early_end})", share.reindex(reps)),
                 row(g, f"late trust (months {late_first}-{steps})", late_trust.reindex(reps)),
                 row(g, f"ambition of projects started after month {later_start}",
                     later.reindex(reps)),
                 row(g, f"output gained after month {later_start}", gained.reindex(reps))]
    wide = v.wide(arm, "mean_trust")
    bands = pd.concat([band(wide.reindex(reps), group=g) for g, reps in groups.items()])
    points = pd.concat([pd.DataFrame({"group": g, "later_ambition": later.reindex(reps),
                                      "late_trust": late_trust.reindex(reps)})
                        for g, reps in groups.items()])
    excluded = len(share) - len(hi_reps) - len(lo_reps)
    return PatternResult(
        key="p02", arms=["one arm (default network), runs split by early success"],
        n=(f"{len(v.replications(arm))} replications; {len(hi_reps)} above and {len(lo_reps)} "
           f"below the median"), arm_table=table(rows), comparisons=comps, checks=checks,
        secondary=secondary,
        verdict=verdict_of(checks),
        key_number=(f"late trust {fmt(comps[0].estimate)}, later ambition "
                    f"{fmt(comps[1].estimate)} (early success - failure)"),
        frames={"trust_bands": bands, "points": points}, marks={"later_start": later_start},
        notes=[(f"Early success share: successes among the projects that succeeded or failed by "
               f"month {early_end}; median {fmt(median)}. Runs exactly at the median ({excluded}) "
               f"and runs with no project ended by then ({len(v.replications(arm)) - len(share)}) "
               "are in neither group. The split is within one arm, so the groups are compared "
               "unpaired (Mann-Whitney). The further comparison asks whether early success "
               "leaves a mark on trust in the two years that follow, before the late window."),
               (f"Trust evidence is forgotten at the monthly rate forgetting = "
               f"{_param(v, arm, 'forgetting'):g}: evidence from month {early_end} keeps "
               f"{_pc(_param(v, arm, 'forgetting') ** (late_first - early_end))} of its weight "
               f"by month {late_first}, so any lasting effect of early success has to run "
               "through later events rather than through remembered evidence.")])


# --------------------------------------------------------------------------- P3
def analyse_p03(result: Any) -> PatternResult:
    v = View(result)
    levels = sorted({float(a["varied"]["ambition"]) for a in v.arms.values()})
    main = P03_MAIN if P03_MAIN in levels else levels[-1]
    comps, secondary, rows, pts = [], [], [], []
    for lv in levels:
        arm = v.arm(ambition=lv)
        out, trust = v.values(arm, "output"), v.values(arm, "mean_trust")
        c = st.spearman(f"rho_{lv:g}", f"end output and end mean trust correlate positively "
                        f"across replications at ambition {lv:g}", out, trust, 1,
                        sesoi=SMALLEST_CORRELATION)
        (comps if lv == main else secondary).append(c)
        if lv == main:  # how much trust the correlation is worth, in trust's own unit
            more = out > out.median()
            comps.append(st.unpaired("trust_by_output", f"end mean trust higher in the runs "
                                     f"with above-median output than below it (ambition "
                                     f"{lv:g})", trust[more], trust[out < out.median()], 1,
                                     outcome="mean_trust"))
        rows += [row(f"ambition {lv:g}", "output", out), row(f"ambition {lv:g}", "mean trust",
                                                              trust)]
        pts.append(pd.DataFrame({"ambition": lv, "output": out, "mean_trust": trust}))
    checks = [check_from(c) for c in comps]
    return PatternResult(
        key="p03", arms=[f"ambition {lv:g}" for lv in levels],
        n=f"{len(v.replications(v.arm(ambition=main)))} replications per ambition",
        arm_table=table(rows), comparisons=comps, secondary=secondary, checks=checks,
        verdict=verdict_of(checks), key_number=f"Spearman rho {fmt(comps[0].estimate)} at "
        f"ambition {main:g}", frames={"points": pd.concat(pts)}, marks={"steps": v.steps},
        notes=[("Replications of one setting differ only by the model's own randomness (who "
               "attends, which projects succeed), so a positive correlation across them says "
               "that runs that delivered more also built more trust: the loop of the claim. "
               "The second check says what that correlation is worth in trust itself: the end "
               "trust of the runs with above-median output less that of the others. "
               "Varying starting trust, capacity or consensus (a Latin hypercube) would move "
               "trust and output together for exogenous reasons and could not separate the "
               "loop from the conditions.")])


# --------------------------------------------------------------------------- P4, P5 helpers
def _withdrawal_drop(v: View, takeover: float, at: int, steps: int, reporter: str = "output"
                     ) -> tuple[pd.Series, pd.Series]:
    """Per replication, what the coordinator's staying is worth after ``at`` (stay - withdraw)."""
    stay, gone = v.arm(nao_withdrawal_step=None, takeover=takeover), v.arm(
        nao_withdrawal_step=at, takeover=takeover)
    if reporter == "output":
        gain = {a: v.at(a, "output", steps) - v.at(a, "output", at) for a in (stay, gone)}
    else:
        gain = {a: v.window(a, reporter, at + 1, steps) for a in (stay, gone)}
    return gain[stay], gain[gone]


def _takeover_levels(v: View) -> tuple[float, float]:
    levels = sorted({float(a["varied"]["takeover"]) for a in v.arms.values()})
    return levels[0], levels[-1]


def _withdrawal_step(v: View) -> int:
    return int(next(a["varied"]["nao_withdrawal_step"] for a in v.arms.values()
                    if a["varied"].get("nao_withdrawal_step") is not None))


# --------------------------------------------------------------------------- P4
def analyse_p04(result: Any) -> PatternResult:
    v = View(result)
    at, steps = _withdrawal_step(v), v.steps
    lo, hi = _takeover_levels(v)
    comps, rows, secondary = [], [], []
    drops: dict[float, pd.Series] = {}
    context: dict[float, tuple[float, float, float]] = {}
    for t in (lo, hi):
        stay, gone = _withdrawal_drop(v, t, at, steps)
        drops[t] = stay - gone
        comps.append(st.paired(f"output_t{t:g}", f"withdrawal at month {at} lowers output "
                               f"gained after it (takeover {t:g})", gone, stay, -1,
                               outcome="output"))
        a_stay, a_gone = _withdrawal_drop(v, t, at, steps, "attendance")
        comps.append(st.paired(f"attendance_t{t:g}", f"withdrawal lowers mean attendance after "
                               f"month {at} (takeover {t:g})", a_gone, a_stay, -1,
                               outcome="attendance"))
        rows += [row(f"takeover {t:g}, stays", f"output gained after month {at}", stay),
                 row(f"takeover {t:g}, withdrawn", f"output gained after month {at}", gone),
                 row(f"takeover {t:g}, stays", f"mean attendance after month {at}", a_stay),
                 row(f"takeover {t:g}, withdrawn", f"mean attendance after month {at}", a_gone)]
        s_arm = v.arm(nao_withdrawal_step=None, takeover=t)
        share = v.window(s_arm, "coordinator_task_share", 1, at)
        coord = (v.at(s_arm, "share_coordination", at) + v.at(s_arm, "share_collaboration", at))
        rows += [row(f"takeover {t:g}", f"coordinator task share, months 1-{at}", share),
                 row(f"takeover {t:g}", f"share of pairs at coordination or better, month {at}",
                     coord)]
        rel = (stay - gone) / stay.where(stay > 0)
        context[t] = (share.mean(), coord.mean(), rel.mean())
        rows.append(row(f"takeover {t:g}", "relative output drop (drop / output gained when it "
                        "stays)", rel))
    comps.append(st.paired("drop_interaction", f"the output drop is larger with takeover {hi:g} "
                           f"than with takeover {lo:g}", drops[hi], drops[lo], 1, outcome="output"))
    a_drops = {t: _withdrawal_drop(v, t, at, steps, "attendance") for t in (lo, hi)}
    secondary.append(st.paired("attendance_interaction", "the attendance drop is larger with "
                               f"takeover {hi:g} than with takeover {lo:g}",
                               a_drops[hi][0] - a_drops[hi][1],
                               a_drops[lo][0] - a_drops[lo][1], 1, outcome="attendance"))
    checks = [check_from(c) for c in comps]
    bands = []
    for t in (lo, hi):
        for w in (None, at):
            arm = v.arm(nao_withdrawal_step=w, takeover=t)
            label = f"takeover {t:g}, " + ("stays" if w is None else f"withdrawn at {w}")
            for rep in ("output", "attendance"):
                bands.append(band(v.wide(arm, rep), arm=label, reporter=rep))
    return PatternResult(
        key="p04", arms=[f"takeover {t:g}, coordinator {w}" for t in (lo, hi)
                         for w in ("stays", f"withdrawn at month {at}")],
        n=f"{len(v.replications(0))} replications per arm", arm_table=table(rows),
        comparisons=comps, secondary=secondary, checks=checks, verdict=verdict_of(checks),
        key_number=(f"output after month {at}: {fmt(comps[0].estimate)} (takeover {lo:g}), "
                    f"{fmt(comps[2].estimate)} (takeover {hi:g})"),
        frames={"bands": pd.concat(bands)}, marks={"withdrawal": at},
        notes=[(f"Output gained after the withdrawal is output({steps}) - output({at}); "
               "attendance is the share of active members at the latest meeting, averaged over "
               f"months {at + 1}-{steps}. The interaction is the paired difference of "
               f"differences: (stays - withdrawn) at takeover {hi:g} minus the same at takeover "
               f"{lo:g}."),
               (f"Before the withdrawal the coordinator did {_pc(context[lo][0])} of the task "
                f"effort with takeover {lo:g} and {_pc(context[hi][0])} with takeover {hi:g}; "
                f"{_pc(context[lo][1])} and {_pc(context[hi][1])} of pairs were at "
                f"coordination or better at month {at}. Withdrawal removes "
                f"{_pc(context[lo][2])} (takeover {lo:g}) and {_pc(context[hi][2])} (takeover "
                f"{hi:g}) of "
                "the output the network gains when the coordinator stays.")])


# --------------------------------------------------------------------------- P5
def analyse_p05(result: Any, withdrawal: Any = None) -> PatternResult:
    """Takeover 1 vs 0; the drop at withdrawal from ``withdrawal`` (pattern 4's sweep) when
    given, else from this sweep's own withdrawal arms."""
    v = View(result)
    steps = v.steps
    early = _early(steps)
    levels = sorted({float(a["varied"]["takeover"]) for a in v.arms.values()})
    stay = {t: v.arm(nao_withdrawal_step=None, takeover=t) for t in levels}
    out36 = {t: v.at(stay[t], "output", early) for t in levels}
    vol = {t: v.values(stay[t], "volunteering") for t in levels}
    ties = {t: v.values(stay[t], "share_coordination") + v.values(stay[t], "share_collaboration")
            for t in levels}
    dens = {t: v.values(stay[t], "trust_density") for t in levels}
    task = {t: v.values(stay[t], "coordinator_task_share_mean") for t in levels}
    lo, hi = min(levels), max(levels)
    own = any(a["varied"].get("nao_withdrawal_step") is not None for a in v.arms.values())
    at = _withdrawal_step(v) if own else None
    drop: dict[float, pd.Series] = {}
    own_drop = None
    if own:
        for t in levels:
            s, g = _withdrawal_drop(v, t, at, steps)
            drop[t] = s - g
        own_drop = st.paired("withdrawal_drop_own_seeds", f"larger output drop after "
                             f"withdrawal at month {at}, this sweep's withdrawal arms (seeds "
                             "independent of pattern 4's)", drop[hi], drop[lo], 1, outcome="output")
    if withdrawal is not None:
        w = View(withdrawal)
        at_w = _withdrawal_step(w)
        d4 = {}
        for t in (lo, hi):
            s, g = _withdrawal_drop(w, t, at_w, w.steps)
            d4[t] = s - g
        drop_check = st.paired("withdrawal_drop", f"larger output drop after withdrawal at "
                               f"month {at_w} with takeover {hi:g} than {lo:g} (pattern 4's "
                               "runs)", d4[hi], d4[lo], 1, outcome="output")
    elif own_drop is not None:
        drop_check = own_drop
        drop_check.name = "withdrawal_drop"
    else:
        raise ValueError("p05: the drop at withdrawal needs pattern 4's sweep or withdrawal arms")
    comps = [
        st.paired("early_output", f"output at month {early} higher with takeover {hi:g} than "
                  f"{lo:g}", out36[hi], out36[lo], 1, outcome="output"),
        st.paired("volunteering", "end volunteering lower", vol[hi], vol[lo], -1,
        outcome="volunteering"),
        st.paired("member_ties", "fewer pairs at coordination or better at the end (thinner "
                  "member ties)", ties[hi], ties[lo], -1, outcome="share_coordination"),
        drop_check,
    ]
    secondary = [st.paired("trust_density", "trust density at the end lower", dens[hi], dens[lo],
                           -1, outcome="trust_density")]
    if own_drop is not None and withdrawal is not None:
        secondary.append(own_drop)
    checks = [check_from(c) for c in comps]
    named = {f"output at month {early}": out36, "end volunteering": vol,
             "end share at coordination or better": ties, "end trust density": dens,
             "coordinator task share (run mean)": task}
    if own:
        named[f"output drop after withdrawal at month {at} (this sweep)"] = drop
    rows = [row(f"takeover {t:g}", k, d[t]) for k, d in named.items() for t in levels]
    frame = table(rows)
    return PatternResult(
        key="p05", arms=[f"takeover {t:g}" + (" (with and without withdrawal)" if own else "")
                         for t in levels],
        n=f"{len(v.replications(stay[lo]))} replications per arm", arm_table=frame,
        comparisons=comps, secondary=secondary, checks=checks, verdict=verdict_of(checks),
        key_number=(f"month-{early} output {fmt(comps[0].estimate)}, volunteering "
                    f"{fmt(comps[1].estimate)}, drop {fmt(comps[3].estimate)} "
                    f"(takeover {hi:g} - {lo:g})"),
        frames={"by_takeover": frame.assign(takeover=[float(a.split()[-1]) for a in frame.arm])},
        notes=[("Member ties are measured as the share of active pairs at coordination or "
               f"collaboration level at month {steps}; trust density (share of pairs trusting "
               "clearly above the starting trust) is shown as a second view. The drop is output "
               "gained after the withdrawal month when the coordinator stays minus when it is "
               "withdrawn, paired by seed; the check uses pattern 4's runs (the same difference "
               "of differences as there), and this sweep's own withdrawal arms, on independent "
               "seeds, are reported as a replication."),
               (f"Where role drift stops: with takeover {hi:g} the coordinator does "
                f"{_pc(float(task[hi].mean()))} of the task effort over the run (takeover "
                f"{lo:g}: {_pc(float(task[lo].mean()))}) and volunteering falls by "
                f"{_pc(-float((vol[hi] - vol[lo]).mean() / vol[lo].mean()))}, but the "
                f"coordinator's {_param(v, stay[hi], 'coordinator_capacity'):g} FTE, most of it "
                "taken by routine work, is small beside what the members deliver together, so "
                "even a coordinator that takes over everything nobody volunteers for, beyond its "
                "capacity, carries too small a share to thin the members' ties or deepen the "
                "drop at its withdrawal by the SESOI. A larger share needs a coordinator with "
                "more time, not a different rule.")])


# --------------------------------------------------------------------------- P6
def analyse_p06(result: Any) -> PatternResult:
    v = View(result)
    vol, man = v.arm(label="voluntary"), v.arm(label="mandated")
    outs = {"coordinator_disillusionment_mean": ("coordinator disillusionment (run mean)", 1),
            "mean_coordinator_tenure": ("mean coordinator tenure (months)", -1),
            "coordinator_exits": ("coordinator exits", 1)}
    comps = [st.paired(o, f"{text} {'higher' if d > 0 else 'shorter'} when mandated"
                       if o != "coordinator_exits" else "more coordinator exits when mandated",
                       v.values(man, o), v.values(vol, o), d,
                       outcome=o) for o, (text, d) in outs.items()]
    checks = [check_from(c) for c in comps]
    labels = [a["label"] for a in v.arms.values()]
    extra = {"coordinator_strain_mean": "coordinator strain (run mean)",
             "coordinator_present_mean": "coordinator present (share of months)"}
    rows = [row(lab, text, v.values(v.arm(label=lab), o))
            for o, (text, _) in outs.items() for lab in labels]
    rows += [row(lab, text, v.values(v.arm(label=lab), o)) for o, text in extra.items()
             for lab in labels]
    aspiration, leverage = (_param(v, man, n) for n in ("mandate_aspiration",
                                                         "mandated_leverage"))
    return PatternResult(
        key="p06", arms=labels, n=f"{len(v.replications(vol))} replications per arm",
        arm_table=table(rows), comparisons=comps, checks=checks, verdict=verdict_of(checks),
        key_number=(f"disillusionment {fmt(comps[0].estimate)}, tenure {fmt(comps[1].estimate)} "
                    f"months, exits {fmt(comps[2].estimate)} (mandated - voluntary)"),
        frames={"arms": table(rows)},
        notes=[("A mandate fixes the coordinator's aspiration at mandate_aspiration "
               f"({aspiration:g}) and scales its legitimacy by mandated_leverage ({leverage:g}); "
               "it also enrols members with lower motivation who cannot leave. Mean tenure "
               f"averages finished tenures and the one running at month {v.steps} (a "
               f"coordinator who never leaves has tenure {v.steps}). "
               "The Belgian mandated scenario (30 members, imposed projects) is shown for "
               "reference only; it differs in more than the mandate.")])


# --------------------------------------------------------------------------- P7
def analyse_p07(result: Any) -> PatternResult:
    v = View(result)
    steps = v.steps
    early, late = _early(steps), _late(steps)
    d, c = v.arm(nao_style="directive"), v.arm(nao_style="coordinating")

    def adopted(arm: int) -> pd.Series:
        p = v.project_rows(arm)
        counts = p[p["start"] <= early].groupby("replication").size()
        return counts.reindex(v.replications(arm), fill_value=0).astype(float)

    vals = {
        f"output at month {early}": {a: v.at(a, "output", early) for a in (d, c)},
        f"projects adopted by month {early}": {a: adopted(a) for a in (d, c)},
        "inclusion gap (run mean)": {a: v.values(a, "inclusion_gap_mean") for a in (d, c)},
        f"late mean trust (months {late}-{steps})": {a: v.window(a, "mean_trust", late, steps)
                                                     for a in (d, c)},
        f"early mean trust (months 1-{early})": {a: v.window(a, "mean_trust", 1, early)
                                                  for a in (d, c)},
        "end output": {a: v.values(a, "output") for a in (d, c)},
    }
    k = list(vals)
    comps = [
        st.paired("early_output", f"directive: higher output at month {early}", vals[k[0]][d],
                  vals[k[0]][c], 1, outcome="output"),
        st.paired("early_decisions", f"directive: more projects adopted by month {early}",
                  vals[k[1]][d], vals[k[1]][c], 1,
                  sesoi=(COUNT_SESOI, "a tenth more or fewer projects: " + COUNT_REASON),
                  relative=True),
        st.paired("inclusion_gap", "directive: larger inclusion gap", vals[k[2]][d],
                  vals[k[2]][c], 1, outcome="inclusion_gap_mean"),
        st.paired("late_trust", f"coordinating: higher mean trust over months {late}-{steps}",
                  vals[k[3]][c], vals[k[3]][d], 1, outcome="mean_trust"),
    ]
    secondary = [st.paired("catching_up", f"coordinating's trust advantage grows: (coordinating "
                           f"- directive) mean trust over months {late}-{steps} minus the same "
                           f"over months 1-{early}", vals[k[3]][c] - vals[k[3]][d],
                           vals[k[4]][c] - vals[k[4]][d], 1, outcome="mean_trust")]
    checks = [check_from(x) for x in comps]
    rows = [row(name, o, vals[o][a]) for o in vals for name, a in (("directive", d),
                                                                    ("coordinating", c))]
    bands = pd.concat([band(v.wide(a, rep), arm=name, reporter=rep)
                       for name, a in (("directive", d), ("coordinating", c))
                       for rep in ("output", "mean_trust", "inclusion_gap")])
    return PatternResult(
        key="p07", arms=["NAO style directive", "NAO style coordinating"],
        n=f"{len(v.replications(d))} replications per arm", arm_table=table(rows),
        comparisons=comps, secondary=secondary, checks=checks, verdict=verdict_of(checks),
        key_number=(f"month-{early} output {fmt(comps[0].estimate)}, inclusion gap "
                    f"{fmt(comps[2].estimate)}, late trust {fmt(comps[3].estimate)}"),
        frames={"bands": bands}, marks={"early": early},
        notes=[(f"Projects adopted counts every project started by month {early} (the projects "
               "table); the inclusion gap is the trust in the network of the more powerful half of "
               "members minus the less powerful half, averaged over the run."),
               ("Why the directive style is not faster: a directive coordinator decides at once "
                "what the coordinating style defers to the next meeting, but items are seldom "
                "dropped under the coordinating style, so the gain is a few months on some "
                "items; meanwhile every member overruled (in decisions, and when told to join a "
                "group) loses commitment and trust in the network, which thins attendance and "
                "the members' proposals. Mean commitment over the run: directive "
                f"{fmt(float(v.values(d, 'mean_commitment_mean').mean()))}, coordinating "
                f"{fmt(float(v.values(c, 'mean_commitment_mean').mean()))}.")])


# --------------------------------------------------------------------------- P8
def analyse_p08(result: Any) -> PatternResult:
    v = View(result)
    steps = v.steps
    late = _late(steps)
    styles = ("coordinating", "directive", "adaptive")
    arms = {s: v.arm(nao_style=s) for s in styles}
    measures = {"output": lambda a: v.values(a, "output"),
                "late_trust": lambda a: v.window(a, "mean_trust", late, steps),
                "inclusion_gap": lambda a: v.values(a, "inclusion_gap_mean")}
    text = {"output": "end output", "late_trust": f"late mean trust (months {late}-{steps})",
            "inclusion_gap": "inclusion gap (run mean)"}
    vals = {(s, m): f(arms[s]) for s in styles for m, f in measures.items()}
    comps, checks = [], []
    sesoi = {"output": "output", "late_trust": "mean_trust", "inclusion_gap": "inclusion_gap_mean"}
    for s in ("coordinating", "directive"):
        pair = []
        for m in ("output", "late_trust"):  # adaptive no worse than s by more than the SESOI
            c = st.paired(f"{s}_{m}", f"adaptive - {s}, {text[m]}: no worse", vals[("adaptive", m)],
                          vals[(s, m)], 0, outcome=sesoi[m])
            comps.append(c)
            pair.append(c)
        comps.append(st.paired(f"{s}_inclusion_gap", f"adaptive - {s}, {text['inclusion_gap']}: "
                               "smaller", vals[("adaptive", "inclusion_gap")],
                               vals[(s, "inclusion_gap")], -1, outcome=sesoi["inclusion_gap"]))
        checks.append(Check(f"not_dominated_by_{s}", f"on the frontier against {s}: adaptive is "
                            f"shown no worse than {s} by more than the SESOI on output or on late "
                            "trust", any(c.holds for c in pair),
                            "; ".join(f"{c.name}: {evidence(c)}" for c in pair),
                            size=judgement.HOLDS if any(c.holds for c in pair)
                            else judgement.NOT_SHOWN))
    rows = [row(s, text[m], vals[(s, m)]) for m in measures for s in styles]
    means = {s: (vals[(s, "output")].mean(), vals[(s, "late_trust")].mean()) for s in styles}
    a_out, a_tr = means["adaptive"]
    position = []
    for s in ("coordinating", "directive"):
        o, t = means[s]
        position.append(f"{'more' if a_out > o else 'less'} output and "
                        f"{'more' if a_tr > t else 'less'} late trust than {s}")
    frontier = not any(means[s][0] >= a_out and means[s][1] >= a_tr
                       for s in ("coordinating", "directive"))
    by = {c.name: c for c in comps}
    three = []
    for s in ("coordinating", "directive"):
        cs = [by[f"{s}_{m}"] for m in ("output", "late_trust", "inclusion_gap")]
        three.append(f"against {s}: " + ", ".join(
            f"{c.name.split('_', 1)[1]} {fmt(c.estimate)} ({c.size})" for c in cs))
    summary = pd.DataFrame([{"style": s, "output": vals[(s, "output")].mean(),
                             "output_lo": row(s, "", vals[(s, "output")])["ci_low"],
                             "output_hi": row(s, "", vals[(s, "output")])["ci_high"],
                             "trust": vals[(s, "late_trust")].mean(),
                             "trust_lo": row(s, "", vals[(s, "late_trust")])["ci_low"],
                             "trust_hi": row(s, "", vals[(s, "late_trust")])["ci_high"],
                             "gap": vals[(s, "inclusion_gap")].mean()} for s in styles])
    return PatternResult(
        key="p08", arms=[f"NAO style {s}" for s in styles],
        n=f"{len(v.replications(arms['adaptive']))} replications per arm",
        arm_table=table(rows), comparisons=comps, checks=checks, verdict=verdict_of(checks),
        key_number=(f"adaptive - coordinating: output {fmt(by['coordinating_output'].estimate)}"
                    f", late trust {fmt(by['coordinating_late_trust'].estimate)}; adaptive - "
                    f"directive: output {fmt(by['directive_output'].estimate)}, late trust "
                    f"{fmt(by['directive_late_trust'].estimate)}"),
        frames={"summary": summary}, marks={"steps": steps, "late": late},
        notes=["Adaptive sits " + ("on the frontier of the arm means (no fixed style has both "
                                   "more output and more late trust)" if frontier else
                                   "inside the frontier of the arm means (a fixed style has "
                                   "both more output and more late trust on average)")
               + ": it has " + "; ".join(position) + ". Each check is a non-inferiority "
               "test with the outcome's SESOI as the margin: adaptive passes against a fixed "
               "style when, on output or on late trust, the lower end of the 90% interval of "
               "(adaptive - fixed) lies above minus the SESOI.",
               "Adaptive minus each fixed style, with the size verdict: " + "; ".join(three)
               + " (the inclusion gap should be smaller for adaptive)."])


# --------------------------------------------------------------------------- P9
def _levels(v: View, arm: int) -> dict[str, pd.Series]:
    coop = v.values(arm, "share_cooperation")
    coord = v.values(arm, "share_coordination")
    collab = v.values(arm, "share_collaboration")
    return {"cooperation": coop, "coordination": coord, "collaboration": collab,
            "coordination or better": coord + collab,
            "none or cooperation": 1 - coord - collab}


def _p09_comparisons(v: View, scenario: str, suffix: str = "") -> list[Any]:
    rts = sorted({float(a["varied"]["relationship_time"]) for a in v.arms.values()})
    lo, hi = min(rts), max(rts)
    with_, without = (_levels(v, v.arm(scenario=scenario, relationship_time=r)) for r in (hi, lo))
    return [
        st.paired(f"broader{suffix}", f"more pairs at coordination or better with relationship "
                  f"time {hi:g} than {lo:g}", with_["coordination or better"],
                  without["coordination or better"], 1, outcome="share_coordination"),
        st.one_sample(f"broadly{suffix}", "with investment, most pairs (> 50%) at coordination "
                      "or better", with_["coordination or better"], 1, 0.5,
                      outcome="share_coordination"),
        st.one_sample(f"core{suffix}", "with investment, some collaboration (share > 0)",
                      with_["collaboration"], 1, outcome="share_collaboration"),
        st.paired(f"core_limited{suffix}", "with investment, collaboration limited to a core: "
                  "share at collaboration < share at coordination", with_["collaboration"],
                  with_["coordination"], -1, outcome="share_collaboration"),
        st.one_sample(f"stays_lower{suffix}", "without investment, cooperation or below "
                      "dominates (> 50% of pairs)", without["none or cooperation"], 1, 0.5,
                      outcome="share_cooperation"),
    ]


def analyse_p09(result: Any) -> PatternResult:
    v = View(result)
    scenarios = list(dict.fromkeys(a["scenario"] for a in v.arms.values()))
    main = DEFAULT_SCENARIO if DEFAULT_SCENARIO in scenarios else scenarios[0]
    comps = _p09_comparisons(v, main)
    by = {c.name: c for c in comps}
    checks = [check_from(by["broader"]), check_from(by["broadly"]),
              Check("core", "with investment, collaboration limited to a core (0 < share at "
                    "collaboration < share at coordination)",
                    by["core"].holds and by["core_limited"].holds,
                    f"{evidence(by['core'])}; {evidence(by['core_limited'])}",
                    comparison=by["core"]),
              check_from(by["stays_lower"])]
    secondary = [c for s in scenarios if s != main for c in _p09_comparisons(v, s, f"_{s}")]
    rows, bands = [], []
    for a in v.arms.values():
        name = f"{a['scenario']}, relationship time {a['varied']['relationship_time']:g}"
        rows += [row(name, f"end share at {k}", s) for k, s in _levels(v, a["arm"]).items()]
        if a["scenario"] == main:
            wides = {rep: v.wide(a["arm"], f"share_{rep}")
                     for rep in ("cooperation", "coordination", "collaboration")}
            wides = {"none": 1 - sum(wides.values()), **wides}
            bands += [band(w, arm=name, reporter=rep) for rep, w in wides.items()]
    rts = sorted({float(a["varied"]["relationship_time"]) for a in v.arms.values()})
    hi_arm = v.arm(scenario=main, relationship_time=max(rts))
    others = [s for s in scenarios if s != main]
    sizes = {s: _param(v, v.arm(scenario=s, relationship_time=max(rts)), "n_orgs")
             for s in scenarios}
    return PatternResult(
        key="p09", arms=[f"{s}, relationship time {r:g}" for s in scenarios for r in rts],
        n=f"{len(v.replications(hi_arm))} replications per arm", arm_table=table(rows),
        comparisons=comps, secondary=secondary, checks=checks, verdict=verdict_of(checks),
        key_number=(f"coordination or better +{_pc(by['broader'].estimate)} of pairs with "
                    f"investment (to {_pc(_levels(v, hi_arm)['coordination or better'].mean())}"
                    f"; {_pc(_levels(v, hi_arm)['collaboration'].mean())} collaborate)"),
        frames={"bands": pd.concat(bands)},
        notes=[("Both arms start weak (initial strength "
               f"{_param(v, hi_arm, 'initial_strength'):g}, initial trust "
               f"{_param(v, hi_arm, 'initial_trust'):g}). The verdict uses the default network "
               f"({sizes[main]} members)"
               + "".join(f"; the same comparison in the top-down scenario of case 001 "
                         f"({sizes[s]} members, "
                         f"{_param(v, v.arm(scenario=s, relationship_time=max(rts)), 'nao_style')}"
                         " NAO, collaboration rhetoric) is reported below as a second view"
                         for s in others)
               + ". 'Broadly' is read as most pairs (> 50%) at "
               "coordination or better, 'a core' as some but fewer pairs at collaboration than "
               "at coordination, and 'stays lower' as most pairs at cooperation or no level.")])


# --------------------------------------------------------------------------- P10
def _success_by_need(proj: pd.DataFrame, reps: pd.Index, sector: str = "primary_care"
                     ) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    judged = proj[proj["status"].isin(["succeeded", "failed"])]
    needs = judged["needs"].fillna("").str.split(",").apply(lambda s: sector in s)
    ok = judged["status"] == "succeeded"
    frame = pd.DataFrame({"replication": judged["replication"], "needs": needs, "ok": ok})
    g = frame.groupby(["replication", "needs"])["ok"]
    rate, count = g.mean().unstack(), g.size().unstack()

    def get(f: pd.DataFrame, k: bool) -> pd.Series:
        return f[k].reindex(reps) if k in f.columns else pd.Series(np.nan, index=reps)

    return get(rate, True), get(rate, False), get(count, True), get(count, False)


def analyse_p10(result: Any) -> PatternResult:
    v = View(result)
    levels = sorted({float(a["varied"]["primary_care_attendance"]) for a in v.arms.values()})
    low, high = min(levels), max(levels)
    data = {}
    for lv in levels:
        arm = v.arm(primary_care_attendance=lv)
        data[lv] = _success_by_need(v.project_rows(arm), v.replications(arm))
    comps = [
        st.paired("within_runs", f"within runs (primary care attendance {low:g}): success rate "
                  "of ended projects needing primary care lower than of the others",
                  data[low][0], data[low][1], -1, outcome="success_rate"),
        st.paired("across_arms", f"success rate of projects needing primary care higher when "
                  f"primary care attends more ({high:g} vs {low:g})", data[high][0],
                  data[low][0], 1, outcome="success_rate"),
    ]
    checks = [check_from(c) for c in comps]
    rows = []
    for lv in levels:
        name = f"primary care attendance {lv:g}"
        rows += [row(name, "success rate, projects needing primary care", data[lv][0]),
                 row(name, "success rate, other projects", data[lv][1]),
                 row(name, "ended projects needing primary care", data[lv][2].fillna(0)),
                 row(name, "other ended projects", data[lv][3].fillna(0))]
    frame = table(rows)
    return PatternResult(
        key="p10", arms=[f"primary care attendance {lv:g}" for lv in levels],
        n=f"{len(v.replications(v.arm(primary_care_attendance=low)))} replications per arm",
        arm_table=frame, comparisons=comps, checks=checks, verdict=verdict_of(checks),
        key_number=(f"success {fmt(comps[0].estimate)} within runs, "
                    f"{fmt(comps[1].estimate)} across arms"),
        frames={"rates": frame},
        notes=[("Ended projects are those that succeeded or failed (abandoned ones are not "
               "judged). A run without an ended project of a kind has no rate for it and "
               "drops out of that pair.")])


# --------------------------------------------------------------------------- P11
def analyse_p11(result: Any) -> PatternResult:
    v = View(result)
    sizes = list(dict.fromkeys(a["label"] for a in v.arms.values()))
    small, large = sizes[0], sizes[-1]
    outs = {"output": "end output", "mean_trust": "end mean trust",
            "success_rate": "success rate", "active_members": "active members at the end"}
    vals = {(lab, g, o): v.values(v.arm(label=lab, governance=g), o)
            for lab in sizes for g in ("shared", "nao") for o in outs}
    comps, secondary, checks, rel = [], [], [], {}

    def nao(name: str) -> Any:  # a parameter of the small network's NAO arm
        return _param(v, v.arm(label=small, governance="nao"), name)

    for o, text in outs.items():
        for lab in sizes:
            sh, na = vals[(lab, "shared", o)], vals[(lab, "nao", o)]
            rel[(lab, o)] = (sh - na) / na.where(na != 0)
        primary = o in ("output", "mean_trust")
        c_small = st.paired(f"{o}_small", f"{small}: shared no worse than NAO on {text}",
                            vals[(small, "shared", o)], vals[(small, "nao", o)], 0, outcome=o)
        c_large = st.paired(f"{o}_large", f"{large}: shared behind NAO on {text}",
                            vals[(large, "shared", o)], vals[(large, "nao", o)], -1, outcome=o)
        c_gap = st.unpaired(f"{o}_gap", f"relative gap (shared - NAO) / NAO on {text} more "
                            f"negative for {large} than for {small}", rel[(large, o)],
                            rel[(small, o)], -1, sesoi=RELATIVE_GAP_SESOI)
        (comps if primary else secondary).extend([c_small, c_large, c_gap])
        if primary:
            checks += [check_from(c) for c in (c_small, c_large, c_gap)]
    rows = [row(f"{lab}, {g}", outs[o], vals[(lab, g, o)]) for o in outs for lab in sizes
            for g in ("shared", "nao")]
    rows += [row(lab, f"relative gap (shared - NAO) / NAO, {outs[o]}", rel[(lab, o)])
             for o in outs for lab in sizes]
    frame = table(rows)
    return PatternResult(
        key="p11", arms=[f"{lab}, {g}" for lab in sizes for g in ("shared", "NAO")],
        n=f"{len(v.replications(0))} replications per arm", arm_table=frame,
        comparisons=comps, secondary=secondary, checks=checks, verdict=verdict_of(checks),
        key_number=(f"output gap {_pc(rel[(small, 'output')].mean())} (small) vs "
                    f"{_pc(rel[(large, 'output')].mean())} (large); trust gap "
                    f"{_pc(rel[(small, 'mean_trust')].mean())} vs "
                    f"{_pc(rel[(large, 'mean_trust')].mean())}"),
        frames={"arms": frame},
        notes=[("'Matches' is read as: shared governance is not significantly worse than the NAO "
               f"(paired Wilcoxon, p >= {st.ALPHA}, or shared ahead); 'falls behind' as "
               "significantly "
               "worse; and the gap relative to the NAO should widen from the small to the large "
               "network (Mann-Whitney on the per-replication relative gaps; the two sizes are "
               "different networks, so they are not paired). The verdict uses output and mean "
               "trust; success rate and active members are reported. The sweep runs "
               f"{len(v.replications(0))} replications per arm because this comparison between "
               "sizes is unpaired and its effect small; with 100 per arm it fell short of "
               "significance."),
               (f"Why shared governance falls behind also in the small network: the NAO brings "
                f"{nao('coordinator_capacity'):g} FTE (the {nao('n_orgs')} members give about "
                f"{nao('n_orgs') * nao('member_capacity'):g} FTE together), its initiative, its "
                "pull on attendance and its rescue of late projects: a small network with "
                "dense trust does without the coordinating costs, but not without that much "
                "extra capacity. The comparison holds the NAO's resources fixed across sizes, "
                "as the theory's claim is about the mode, not about the money.")])


# --------------------------------------------------------------------------- P12
def analyse_p12(result: Any) -> PatternResult:
    v = View(result)
    levels = sorted({float(a["varied"]["ambition"]) for a in v.arms.values()})
    base = P12_BASE if P12_BASE in levels else levels[0]
    low_progress = max(levels)
    steps = v.steps
    first, trust_months = P12_FIRST, P12_TRUST
    vo, ma = v.arm(mandated=False, ambition=base), v.arm(mandated=True, ambition=base)
    interval = int(_param(v, vo, "meeting_interval"))
    meetings = _meetings(1, trust_months, interval)

    def per_meeting(a: int) -> pd.Series:
        return (v.at(a, "mean_trust", trust_months) - v.at(a, "mean_trust", 0)) / meetings

    vals = {
        f"attendance, months 1-{first}": {a: v.window(a, "attendance", 1, first) for a in (vo, ma)},
        f"trust gained per meeting, months 0-{trust_months}": {a: per_meeting(a)
                                                                for a in (vo, ma)},
        f"commitment, months 1-{first}": {a: v.window(a, "mean_commitment", 1, first)
                                          for a in (vo, ma)},
    }
    k = list(vals)
    vlow, mlow = (v.arm(mandated=m, ambition=low_progress) for m in (False, True))
    members = {a: v.values(a, "active_members") for a in (vo, ma, vlow, mlow)}
    comps = [
        st.paired("broader", f"mandated: higher attendance over months 1-{first}",
                  vals[k[0]][ma], vals[k[0]][vo], 1, outcome="attendance"),
        st.paired("trust_per_meeting", f"mandated: less trust gained per meeting over the first "
                  f"{trust_months} months ({meetings} meetings)", vals[k[1]][ma], vals[k[1]][vo],
                  -1,
                  sesoi=(TRUST_SESOI / meetings, f"the trust SESOI ({TRUST_SESOI:g}) over the "
                         f"{meetings} meetings of the window")),
        st.paired("motivated", f"voluntary: higher mean commitment over months 1-{first}",
                  vals[k[2]][vo], vals[k[2]][ma], 1, outcome="mean_commitment"),
        st.paired("lose_members", f"at ambition {low_progress:g} (low progress) voluntary "
                  "networks have fewer active members at the end than mandated ones",
                  members[vlow], members[mlow], -1, outcome="active_members"),
    ]
    secondary = [st.paired("lose_more_when_low", f"voluntary networks lose more members at "
                           f"ambition {low_progress:g} than at {base:g}", members[vlow],
                           members[vo], -1, outcome="active_members")]
    checks = [check_from(c) for c in comps]
    rows = [row(name, o, vals[o][a]) for o in vals for name, a in (("voluntary", vo),
                                                                    ("mandated", ma))]
    rows += [row(f"{name}, ambition {amb:g}", f"active members at month {steps}", members[a])
             for name, amb, a in (("voluntary", base, vo), ("mandated", base, ma),
                                  ("voluntary", low_progress, vlow),
                                  ("mandated", low_progress, mlow))]
    bands = [band(v.wide(a, rep), arm=name, reporter=rep)
             for name, a in (("voluntary", vo), ("mandated", ma))
             for rep in ("attendance", "mean_trust", "mean_commitment")]
    bands += [band(v.wide(a, "active_members"), arm=f"{name}, ambition {low_progress:g}",
                   reporter="active_members") for name, a in (("voluntary", vlow),
                                                              ("mandated", mlow))]
    return PatternResult(
        key="p12", arms=[f"{'mandated' if m else 'voluntary'}, ambition {a:g}"
                         for m in (False, True) for a in levels],
        n=f"{len(v.replications(vo))} replications per arm", arm_table=table(rows),
        comparisons=comps, secondary=secondary, checks=checks, verdict=verdict_of(checks),
        key_number=(f"attendance {fmt(comps[0].estimate)}, trust/meeting "
                    f"{fmt(comps[1].estimate)}, members {fmt(comps[3].estimate)} "
                    "(mandated or voluntary contrasts)"),
        frames={"bands": pd.concat(bands)},
        marks={"trust_months": trust_months, "low_progress": low_progress},
        notes=[(f"Meetings fall on months "
               f"{', '.join(str(1 + i * interval) for i in range(3))}, ...: {meetings} in the "
               f"first {trust_months} "
               "months. A mandated network cannot lose members, so the last check asks whether "
               "voluntary members leave when progress is low.")])


# --------------------------------------------------------------------------- descriptions
# How each pattern is operationalised, in words, with the numbers read from its spec.

def _op_p01(s: SpecFacts) -> str:
    amb = s.axis("ambition")
    return (f"Ambition {listing(amb)} in the default network ({s.scenario}, "
            f"{s.param('n_orgs')} organisations, {s.steps} months). At {max(amb)} vs the "
            f"moderate peak (the better of {listing(P01_MODERATE, ' and ')} on end mean trust): "
            "end mean trust, projects succeeded and the run's mean attendance should be lower; "
            f"at {min(amb)} end mean trust should be lower than at the peak. Reproduced only if "
            "both ends hold.")


def _op_p02(s: SpecFacts) -> str:
    early_end, later_start, late_first = _p02_months(s.steps)
    return ("Many replications of the default network. Runs are split at the median share of "
            f"successes among projects ended by month {early_end}; the groups are compared on "
            f"late trust (mean of the mean_trust series over months {late_first}-{s.steps}), "
            f"the mean ambition of projects started after month {later_start}, and output "
            f"gained after month {later_start} (unpaired Mann-Whitney, the split is within one "
            "arm).")


def _op_p03(s: SpecFacts) -> str:
    others = [a for a in s.axis("ambition") if a != P03_MAIN]
    return (f"Replications of one setting at ambition {P03_MAIN} (and {listing(others)} as a "
            "second view): Spearman correlation between end output and end mean trust across "
            "replications should be positive.")


def _withdrawal_month(s: SpecFacts) -> int:
    return next(w for w in s.axis("nao_withdrawal_step") if w is not None)


def _op_p04(s: SpecFacts) -> str:
    at, t = _withdrawal_month(s), s.axis("takeover")
    lo, hi = min(t), max(t)
    return (f"NAO withdrawn at month {at} vs staying, crossed with takeover {lo:g} and {hi:g}. "
            f"Output gained after month {at} and mean attendance over months {at + 1}-{s.steps} "
            "should be lower with withdrawal (paired, at each takeover level), and the output "
            f"drop larger with takeover {hi:g} (paired difference of differences). The "
            "coordinator's task share and the share of pairs at coordination or better before "
            "the withdrawal are reported.")


def _op_p05(s: SpecFacts) -> str:
    t = sorted(s.axis("takeover"))
    dose = f" ({listing(t[1:-1])} shown for the dose)" if len(t) > 2 else ""
    return (f"Takeover {t[-1]} vs {t[0]}{dose}, the NAO staying: output at month "
            f"{_early(s.steps)} higher, end volunteering lower, fewer pairs at coordination or "
            "better at the end (thinner member ties); and, from the paired withdrawal arms "
            f"(month {_withdrawal_month(s)}), a larger output drop with takeover {t[-1]:g} "
            "(pattern 4's runs; this sweep's own withdrawal arms as a replication on other "
            "seeds).")


def _op_p06(s: SpecFacts) -> str:
    mandated = s.arm("mandated")
    return ("The default network, mandated (fixed mandate_aspiration "
            f"{s.param('mandate_aspiration', **mandated)}, leverage "
            f"{s.param('mandated_leverage', **mandated)}) vs voluntary, paired by seed: the "
            "run's mean coordinator disillusionment higher, mean coordinator tenure shorter, "
            "coordinator exits more.")


def _op_p07(s: SpecFacts) -> str:
    early = _early(s.steps)
    return (f"NAO style directive vs coordinating, paired: output at month {early} and projects "
            f"adopted by month {early} higher with directive, the run's mean inclusion gap "
            f"larger; mean trust over months {_late(s.steps)}-{s.steps} higher with "
            "coordinating.")


def _op_p08(s: SpecFacts) -> str:
    return ("Adaptive vs coordinating and vs directive, paired, on end output, late mean trust "
            f"(months {_late(s.steps)}-{s.steps}) and the inclusion gap. Reproduced if no fixed "
            "style is significantly better than adaptive on both output and trust; where "
            "adaptive sits is reported.")


def _op_p09(s: SpecFacts) -> str:
    rt = s.axis("relationship_time")
    return (f"Weak start (initial strength {s.param('initial_strength')}, initial trust "
            f"{s.param('initial_trust')}), relationship time {max(rt)} vs {min(rt)}, default "
            f"network (the top-down scenario as a second view), at month {s.steps}: more pairs "
            "at coordination or better with investment, and most of them; collaboration "
            "present but below coordination; without investment most pairs at cooperation or "
            "below.")


def _op_p10(s: SpecFacts) -> str:
    levels = s.axis("primary_care_attendance")
    low, high = min(levels), max(levels)
    return (f"Within runs at the default primary care attendance ({low}): success rate of ended "
            "projects needing primary care lower than of the others (paired by run). Across "
            f"arms, primary care attendance {high} vs {low}: success rate of primary-care "
            "projects higher when primary care attends.")


def _op_p11(s: SpecFacts) -> str:
    small, large = (s.arm(label) for label in (s.labels[0], s.labels[-1]))
    return (f"Shared vs NAO at {small['n_orgs']} members (initial trust "
            f"{small['initial_trust']}, initial strength {small['initial_strength']}) and at "
            f"{large['n_orgs']} members (initial trust {large['initial_trust']}), paired by seed "
            "within size: on end output and end mean trust, shared no worse than the NAO when "
            "small, behind it when large, and its relative gap wider when large. Success rate "
            "and active members are reported.")


def _op_p12(s: SpecFacts) -> str:
    meetings = _meetings(1, P12_TRUST, s.param("meeting_interval"))
    return (f"Mandated vs voluntary, paired: at ambition {P12_BASE}, attendance over the first "
            f"{P12_FIRST} months higher when mandated, trust gained per meeting over the first "
            f"{P12_TRUST} months ((mean trust at month {P12_TRUST} - at month 0) / {meetings}) "
            f"lower when mandated, mean commitment over the first {P12_FIRST} months higher "
            f"when voluntary; at ambition {max(s.axis('ambition'))} (low progress), fewer "
            f"active members at month {s.steps} in the voluntary network.")


# --------------------------------------------------------------------------- P13
P13_SHOCK = ("positive shock", "negative shock", "no shock")
P13_LOOP_SESOI = 0.10  # the loop must add a tenth to what the shock leaves by itself
P13_LOOP_REASON = ("a tenth of the trust the shock's own evidence still gives at the end (its "
                   "passive excess): less than that and the shock merely fades")


def analyse_p13(result: Any) -> PatternResult:
    v = View(result)
    steps = v.steps
    gains = sorted({float(a["varied"]["ambition_trust_gain"]) for a in v.arms.values()})
    declared = DEFAULTS["ambition_trust_gain"]
    default = declared if declared in gains else gains[len(gains) // 2]
    month = _shock(result.manifest["spec"]["arms"], P13_SHOCK[0])[0]
    pos, neg, none = P13_SHOCK

    def at(label: str, gain: float, reporter: str) -> pd.Series:
        return v.at(v.arm(label=label, ambition_trust_gain=gain), reporter, steps)

    base = {o: at(none, default, o) for o in ("output", "projects_succeeded", "mean_trust")}
    passive, comps = {}, []
    for label, sign, word in ((pos, 1, "positive"), (neg, -1, "negative")):
        trust, earned = at(label, default, "mean_trust"), at(label, default, "earned_trust")
        passive[label] = trust - earned  # what the shock's own evidence still gives
        loop = (P13_LOOP_SESOI * abs(float(passive[label].mean())), P13_LOOP_REASON)
        prefix = "" if sign > 0 else "negative_"
        comps += [
            st.paired(f"{prefix}output", f"{word} shock: {'more' if sign > 0 else 'less'} "
                      f"output by month {steps}", at(label, default, "output"), base["output"],
                      sign, outcome="output"),
            st.paired(f"{prefix}reinforced", f"{word} shock: trust at month {steps} "
                      f"{'above' if sign > 0 else 'below'} the unshocked run's even without "
                      "what is left of the shock's own evidence", earned, base["mean_trust"],
                      sign, sesoi=loop),
        ]
        if sign > 0:
            comps.insert(1, st.paired("successes", f"positive shock: more successes by month "
                                      f"{steps}", at(label, default, "projects_succeeded"),
                                      base["projects_succeeded"], 1,
                                      outcome="projects_succeeded"))
    gain_of = {g: at(pos, g, "output") - at(none, g, "output") for g in gains}
    lo, hi = min(gains), max(gains)
    comps.append(st.paired("gain_output", f"the output the positive shock adds is larger at "
                           f"ambition_trust_gain {hi:g} than at {lo:g}", gain_of[hi], gain_of[lo],
                           1, sesoi=(COUNT_SESOI * abs(float(at(none, lo, "output").mean())),
                                     "a tenth of the unshocked network's output: "
                                     + COUNT_REASON)))
    checks = [check_from(c) for c in comps]
    rows = []
    for g in gains:
        for label in P13_SHOCK:
            for o, text in (("output", "output"), ("projects_succeeded", "successes"),
                            ("mean_trust", "mean trust"), ("earned_trust", "trust earned")):
                rows.append(row(f"{label}, gain {g:g}", f"{text} at month {steps}",
                                at(label, g, o)))
    observed = {label: at(label, default, "mean_trust") - base["mean_trust"]
                for label in (pos, neg)}
    ratio = {label: float(observed[label].mean() / passive[label].mean()) for label in (pos, neg)}
    bands = pd.concat([band(v.wide(v.arm(label=label, ambition_trust_gain=default), rep),
                            arm=label, reporter=rep)
                       for label in P13_SHOCK for rep in ("mean_trust", "earned_trust",
                                                           "output")])
    return PatternResult(
        key="p13", arms=[f"{label}, ambition_trust_gain {g:g}" for g in gains
                         for label in P13_SHOCK],
        n=f"{len(v.replications(0))} replications per arm", arm_table=table(rows),
        comparisons=comps, checks=checks, verdict=verdict_of(checks),
        key_number=(f"output {fmt(comps[0].estimate)}, observed / passive trust excess "
                    f"{ratio[pos]:.2f} (positive shock), {ratio[neg]:.2f} (negative)"),
        frames={"bands": bands}, marks={"shock": month, "gain": default},
        notes=[(f"Trust earned is the mean trust without what is left of the shock's own "
               f"evidence (faded by forgetting at every meeting since month {month}); the "
               "shocked run's mean trust less its trust earned is the shock's passive excess, "
               "and a loop that reinforces leaves trust earned above the unshocked run's trust. "
               f"At ambition_trust_gain {default:g} the observed excess is "
               f"{fmt(float(observed[pos].mean()))} against a passive "
               f"{fmt(float(passive[pos].mean()))} (ratio {ratio[pos]:.2f}) for the positive "
               f"shock and {fmt(float(observed[neg].mean()))} against "
               f"{fmt(float(passive[neg].mean()))} (ratio {ratio[neg]:.2f}) for the negative. "
               "Output gained from the positive shock by ambition_trust_gain: "
               + ", ".join(f"{g:g}: {fmt(float(d.mean()))}" for g, d in gain_of.items())
               + "."),
               ("Where the loop stops: the rules weigh good and bad news alike except that a "
                "failure counts failure_weight times a success, yet the negative shock's effects "
                "are the larger ones. By month 24 the unshocked network already trusts well "
                f"above its start ({fmt(float(base['mean_trust'].mean()))} at month {steps}) and "
                "mostly succeeds, so more trust buys little more capacity, while less trust "
                "costs it dearly: trust is easier to destroy than to build (Slovic 1993), here "
                "as an outcome of the model. The more ambition grows with trust, the more of "
                "the positive shock goes into riskier projects rather than more successes; at "
                "the top of ambition_trust_gain's range it overreaches, the risk Vangen & "
                "Huxham (2003) see in every turn of the loop.")])


def _shock(arms: list[dict], label: str) -> tuple[int, float]:
    """Month and evidence of the trust shock of the spec's arm ``label``."""
    entry = next(a for a in arms if a.get("label") == label)
    event = next(e for e in entry["events"] if e.get("action") == "trust_shock")
    return int(event["month"]), float(event["evidence"])


def _op_p13(s: SpecFacts) -> str:
    month, evidence = _shock(s.spec.arms, P13_SHOCK[0])
    return (f"Per seed, runs with a trust shock at month {month} ({evidence:g} observations "
            f"for, or against, every pair of members) against the same seed without one: "
            f"output and successes at month {s.steps}, and trust earned (without the shock's "
            "own remaining evidence) against the unshocked run's mean trust, at "
            f"ambition_trust_gain {DEFAULTS['ambition_trust_gain']:g} (its default); and the "
            "output a positive shock adds at the ends of "
            "ambition_trust_gain's range ("
            + listing([f"{g:g}" for g in s.axis("ambition_trust_gain")]) + ").")


PATTERNS: dict[str, Pattern] = {p.key: p for p in (
    Pattern("p01", "p01_ambition.toml", "Ambition: an inverted U of trust",
            "Ambition well above capacity gives lower trust, fewer successes and lower "
            "attendance than moderate ambition; very low ambition gives little trust growth (an "
            "inverted U).",
            "Aunger et al. 2021; Hallberg, Winblad & Fredriksson 2021 (M2: perception of "
            "progress vs ambition); Huxham & Vangen 2004 (M1)",
            _op_p01, analyse_p01, fig.fig_p01),
    Pattern("p02", "p02_path_dependence.toml", "Path dependence of early success",
            "Path dependence: runs whose first projects succeed end with higher trust and larger "
            "later projects than runs whose first projects fail.",
            "Huxham & Vangen 2004; Vangen & Huxham 2003 (M1: the trust-building loop)",
            _op_p02, analyse_p02, fig.fig_p02),
    Pattern("p03", "p03_pragmatism.toml", "Output and trust rise together",
            "At moderate ambition, output and trust rise together (pragmatism reinforces "
            "sustainability).",
            "Hallberg, Winblad & Fredriksson 2021; Huxham & Vangen 2004",
            _op_p03, analyse_p03, fig.fig_p03),
    Pattern("p04", "p04_withdrawal.toml", "Withdrawing the coordinator",
            "Withdrawing the coordinator cuts output and attendance afterwards, more so when its "
            "task share was high and member-to-member ties thin.",
            "Stadtler & Karakulak 2020; Hallberg, Winblad & Fredriksson 2021 (M3: role drift)",
            _op_p04, analyse_p04, fig.fig_p04),
    Pattern("p05", "p05_takeover.toml", "Role drift: takeover",
            "High takeover gives more early output, but less volunteering, thinner member ties, "
            "and a bigger drop at withdrawal (role drift).",
            "Stadtler & Karakulak 2020 (M3: role drift)",
            _op_p05, analyse_p05, fig.fig_p05, needs=("p04",)),
    Pattern("p06", "p06_mandated_coordinator.toml", "Mandated coordinators' disillusionment",
            "Mandated networks with fixed high aspiration and low leverage show more coordinator "
            "disillusionment, shorter tenure and more turnover than voluntary ones.",
            "Darcis 2025 (M4, M7)",
            _op_p06, analyse_p06, fig.fig_p06),
    Pattern("p07", "p07_directive_style.toml", "Directive vs coordinating style",
            "Directive style: more decisions and output early, a larger inclusion gap between "
            "low- and high-power members; coordinating catches up on trust later.",
            "Newman 2001; Klaster et al. 2017; Hallberg, Winblad & Fredriksson 2021 (M5)",
            _op_p07, analyse_p07, fig.fig_p07),
    Pattern("p08", "p08_adaptive_frontier.toml", "Adaptive style and the frontier (hypothesis)",
            "Adaptive style is on or beyond the trade-off frontier of fixed styles (a hypothesis "
            "to test, never to hard-code).",
            "Hallberg, Winblad & Fredriksson 2021 (the 'balancing act'); Klaster et al. 2017",
            _op_p08, analyse_p08, fig.fig_p08),
    Pattern("p09", "p09_relationship_building.toml", "Relationship building from weak ties",
            "A network starting with weak ties that invests in relationship building moves from "
            "cooperation to coordination broadly, with collaboration limited to a core; without "
            "that investment it stays lower.",
            "Keast, Brown & Mandell 2007 (case 001; M8)",
            _op_p09, analyse_p09, fig.fig_p09),
    Pattern("p10", "p10_missing_sector.toml", "Missing sector",
            "Projects needing a rarely attending sector are implemented less often.",
            "Hallberg, Winblad & Fredriksson 2021; Provan & Milward 1995 (M9)",
            _op_p10, analyse_p10, fig.fig_p10),
    Pattern("p11", "p11_governance_size.toml", "Shared governance and network size",
            "Shared governance matches an NAO for a few members with dense trust, and falls "
            "behind it for ~40 members with moderate trust.",
            "Provan & Kenis 2008 (M6)",
            _op_p11, analyse_p11, fig.fig_p11),
    Pattern("p12", "p12_mandated_breadth.toml", "Mandated breadth vs voluntary motivation",
            "Mandated networks start broader but gain less trust per meeting; voluntary ones are "
            "narrower, more motivated, and lose members when progress is low.",
            "Darcis 2025; Rodríguez et al. 2007 (M7)",
            _op_p12, analyse_p12, fig.fig_p12),
    Pattern("p13", "p13_trust_shock.toml", "The loop reinforces: a trust shock",
            "The loop reinforces: a trust shock early in a run leaves more trust later than "
            "passive decay would, and more output (a perturbation experiment).",
            "Vangen & Huxham 2003; Huxham & Vangen 2004 (M1: the trust-building loop); "
            "Zaheer, McEvily & Perrone 1998",
            _op_p13, analyse_p13, fig.fig_p13),
)}


def analyse(key: str, result: Any, *needed: Any) -> PatternResult:
    """The analysis of pattern ``key`` ("p01" ... "p13") on the tables of its sweep (and of the
    sweeps it ``needs``, in that order)."""
    if key not in PATTERNS:
        raise KeyError(f"unknown pattern {key!r}; allowed: {', '.join(PATTERNS)}")
    return PATTERNS[key].analyse(result, *needed)
