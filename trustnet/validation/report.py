"""docs/VALIDATION.md: per pattern the claim and its source, the arms, the numbers, the figure and
the verdict, with a summary table on top. Written from PatternResults; nothing here computes
statistics."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from trustnet.stats import CONFIDENCE
from trustnet.validation import judgement
from trustnet.validation.analysis import Check, PatternResult, SpecFacts, fmt, fmt_p
from trustnet.validation.patterns import PATTERNS
from trustnet.validation.stats import ALPHA, BOOTSTRAP, EQUIVALENCE, Comparison


@dataclass
class Entry:
    """A pattern in the report: its result (None when not run) and where its figure is."""

    key: str
    spec: dict[str, Any]               # the pattern's spec, as its sweep ran
    result: PatternResult | None
    figure: str | None = None          # path relative to the report
    sweep_seconds: float | None = None
    runs: int = 0
    failed: int = 0


def _comparison_table(comps: list[Comparison]) -> list[str]:
    lines = [(f"| check | claim | expected | estimate [{CONFIDENCE:.0%} CI] | relative | "
              f"{EQUIVALENCE:.0%} interval | SESOI | effect size | test, statistic | p | n | "
              "size |"),
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in comps:
        relative = f"{c.relative:+.0%}" if np.isfinite(c.relative) else "-"
        lo, hi = c.equivalence
        lines.append(
            f"| `{c.name}` | {c.claim} | {c.direction} | {fmt(c.estimate)} [{fmt(c.ci_low)}, "
            f"{fmt(c.ci_high)}] | {relative} | [{fmt(lo)}, {fmt(hi)}] | {fmt(c.margin.value)} | "
            f"{c.effect_name} = {fmt(c.effect)} | {c.test} = {fmt(c.statistic)} | "
            f"{fmt_p(c.p_value)} | {c.n} | **{c.size}** |")
    return lines


def _share(x: float) -> str:
    return f"{x:.0%}" if np.isfinite(x) else "-"


def _emergence_line(c: Check) -> str:
    if c.emergence in (judgement.EMERGENT, judgement.BUILT_IN):
        return (f"Knockout, {c.knockout}: {_share(c.surviving)} of the effect survives "
                f"(estimate {fmt(c.knocked_out)}), **{c.emergence}**")
    if c.emergence == judgement.BY_CONSTRUCTION:
        return f"**by construction**: {c.knockout}"
    if not c.holds and np.isfinite(c.knocked_out):
        return (f"It does not hold, so its emergence is not judged (with {c.knockout}, the "
                f"estimate is {fmt(c.knocked_out)})")
    if not c.holds and c.knockout:
        return f"It does not hold, so its emergence is not judged ({c.knockout})"
    return f"emergence not tested: {c.knockout}" if c.knockout else "emergence not tested"


def _margins(comps: list[Comparison]) -> list[str]:
    seen, out = set(), []
    for c in comps:
        if c.margin.reason not in seen:
            seen.add(c.margin.reason)
            out.append(f"`{c.name}` {fmt(c.margin.value)}: {c.margin.reason}")
    return out


def _arm_table(res: PatternResult) -> list[str]:
    lines = ["| arm | outcome | n | mean | 95% CI |", "|---|---|---|---|---|"]
    for r in res.arm_table.itertuples():
        lines.append(f"| {r.arm} | {r.outcome} | {r.n} | {fmt(r.mean)} | "
                     f"[{fmt(r.ci_low)}, {fmt(r.ci_high)}] |")
    return lines


def _section(entry: Entry) -> list[str]:
    p = PATTERNS[entry.key]
    number = int(entry.key[1:])
    out = [f"## {number}. {p.title}", ""]
    out += [f"**Claim.** {p.claim}", "", f"**Source.** {p.source}", "",
            f"**Spec.** `experiments/{p.spec}`", "",
            f"**Operationalisation.** {p.describe(entry.spec)}", ""]
    res = entry.result
    if res is None:
        return [*out, "*Not run in this invocation (no current results).*", ""]
    out += [f"**Arms compared.** {'; '.join(res.arms)}.", "",
            f"**N.** {res.n}" + (f"; {entry.failed} runs failed and are left out"
                                 if entry.failed else "") + ".", ""]
    out += [f"**Arm means ({CONFIDENCE:.0%} Student-t intervals over replications).**", ""]
    out += [*_arm_table(res), ""]
    out += ["**Comparisons** (paired by seed unless the test says otherwise; size: holds, "
            "negligible or not shown against the SESOI):", ""]
    out += [*_comparison_table(res.comparisons), ""]
    if res.secondary:
        out += ["**Further comparisons** (reported, not part of the verdict):", ""]
        out += [*_comparison_table(res.secondary), ""]
    out += ["**Smallest effects of interest.** " + "; ".join(_margins(
        res.comparisons + res.secondary)) + ".", ""]
    if entry.figure:
        out += [f"![{p.title}]({entry.figure})", ""]
    out += [f"**Verdict: {res.verdict}; {res.emergence}.**", ""]
    for c in res.checks:
        out.append(f"- **{c.size}**: {c.text} ({c.evidence}). {_emergence_line(c)}.")
    negligible = [c.name for c in res.checks if c.size == judgement.NEGLIGIBLE]
    if negligible:
        out += ["", "Negligible (shown to lie inside the smallest effect of interest): "
                + ", ".join(f"`{n}`" for n in negligible) + "."]
    out.append("")
    for n in res.notes:
        out += [n, ""]
    return out


def _months_text(entries: list[Entry]) -> str:
    steps = sorted({SpecFacts(e.spec).steps for e in entries})
    return f"{'/'.join(map(str, steps))} months per run"


def _default_text() -> str:
    from trustnet.core.scenarios import DEFAULT_SCENARIO, scenario_params

    return (f"default scenario `{DEFAULT_SCENARIO}` "
            f"({scenario_params(DEFAULT_SCENARIO)['n_orgs']} organisations)")


def render(entries: list[Entry], *, meta: dict[str, Any]) -> str:
    reps = meta.get("replications", "?")
    lines = ["# Validation: the thirteen patterns", "",
             ("Generated by `python -m trustnet.validation` (also `trustnet validate`); do not "
             "edit by hand. Each pattern of the design brief (docs/ODD.md, section 1) is a "
             "comparison between scenarios over replications: the sweep specs are in "
             "`experiments/p01_*.toml` ... `p12_*.toml`, the analyses in "
             "`trustnet/validation/patterns.py`, and a fast version of every comparison runs in "
             "the test suite (`tests/test_patterns.py`)."), ""]
    lines += [(f"- Model: git revision {meta.get('git', '?')}, model source hash "
              f"`{meta.get('model_source', '?')}`."),
              (f"- Replications: {meta.get('replications_text', '?')}; "
               f"{_months_text(entries)}; {_default_text()} unless stated."),
              f"- Compute time of the sweeps: {meta.get('compute_text', '?')}.", ""]
    lines += ["## How the comparisons are made", "",
              ("Replication r of every arm of a sweep runs with the same seed (common random "
              "numbers), so arms are compared per replication: the mean paired difference with "
              f"its {CONFIDENCE:.0%} Student-t interval, the standardised effect d_z and a "
              "two-sided Wilcoxon signed-rank test. Groups that are not paired (runs split "
              "within one arm, or two network sizes) get the difference of means with a Welch "
              "interval, the rank-biserial correlation and a two-sided Mann-Whitney test; "
              "correlations are Spearman's rho with a percentile bootstrap interval "
              f"({BOOTSTRAP} resamples, fixed seed)."), "",
              ("**Size.** With "
              f"{reps} paired replications almost any difference is significant, so every "
              "check is judged against a **smallest effect of interest** (SESOI): that of the "
              "outcome it measures, declared once with its reason (docs/ODD.md, the outcome "
              "table; relative ones are taken of the reference arm's mean), or one the check "
              "declares itself, with its reason. A directional check **holds** when it is "
              f"significant (p < {ALPHA}) the claimed way, the rank test agrees, and the "
              "estimate is at least the SESOI; it is **negligible** when two one-sided tests at "
              f"plus and minus the SESOI place it inside that margin (the {EQUIVALENCE:.0%} "
              "interval lies within it); otherwise it is **not shown**. A claim of no "
              "difference ('no worse') is a non-inferiority test: it holds when the "
              f"{EQUIVALENCE:.0%} interval's lower end lies above minus the SESOI. A pattern "
              "is **reproduced** when every check holds by size, **partly** when some do, "
              "**not reproduced** when none do."), "",
              ("**Emergence.** Each check names the rule that turns its treatment into its "
              "outcome most directly; the pattern's sweep is rerun with that rule switched off "
              "on every arm (the treatment kept), and the report gives the share of the effect "
              "that survives, clipped to 0-100%. A check that holds is **emergent** when at "
              f"least {judgement.EMERGENT_SHARE:.0%} survives, **built in** otherwise, and **by "
              "construction** where the effect is part of what the treatment means (no "
              "knockout can be run); a check that does not hold has no effect to judge. A "
              "pattern is emergent when each of its checks that hold and were tested is, and "
              "none is by construction. The rules and their switches are declared in "
              "`trustnet/validation/controls.py`. No threshold or measure was tuned to make a "
              "pattern pass."), ""]
    lines += ["## Summary", "",
              "| # | pattern | verdict | emergence | checks by size | key number |",
              "|---|---|---|---|---|---|"]
    for e in entries:
        p = PATTERNS[e.key]
        n = int(e.key[1:])
        if e.result is None:
            lines.append(f"| {n} | [{p.title}](#{_anchor(n, p.title)}) | not run | | | |")
        else:
            sizes = [c.size for c in e.result.checks]
            counts = ", ".join(f"{sizes.count(k)} {k}" for k in (
                judgement.HOLDS, judgement.NEGLIGIBLE, judgement.NOT_SHOWN) if sizes.count(k))
            lines.append(f"| {n} | [{p.title}](#{_anchor(n, p.title)}) | **{e.result.verdict}** "
                         f"| {e.result.emergence} | {counts} | {e.result.key_number} |")
    lines.append("")
    lines += ["### Every check", "",
              "| # | check | estimate | relative | SESOI | size | surviving its knockout | "
              "emergence |", "|---|---|---|---|---|---|---|---|"]
    for e in entries:
        if e.result is None:
            continue
        for c in e.result.checks:
            comp = c.comparison
            est = fmt(comp.estimate) if comp is not None else "-"
            rel = (f"{comp.relative:+.0%}" if comp is not None and np.isfinite(comp.relative)
                   else "-")
            sesoi = fmt(comp.margin.value) if comp is not None else "-"
            lines.append(f"| {int(e.key[1:])} | `{c.name}` | {est} | {rel} | {sesoi} | "
                         f"{c.size} | {_share(c.surviving)} | {c.emergence} |")
    lines.append("")
    for e in entries:
        lines += _section(e)
    return "\n".join(lines).rstrip() + "\n"


def _anchor(number: int, title: str) -> str:
    import re

    text = f"{number}. {title}".lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def write(entries: list[Entry], path: Path, meta: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(entries, meta=meta), encoding="utf-8")
