"""Reading a pattern sweep: per-replication values of one arm, windows of the series, results.

A :class:`View` wraps a sweep's tables (``SweepResult``) so that an analysis can ask for "end
mean trust of the arm with ambition 2.0, by replication" without knowing the table layout; the
replication index is the pairing key (replication r has the same seed in every arm).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from trustnet.experiment.tables import ok_runs
from trustnet.stats import column_mean_ci, mean_ci
from trustnet.validation import judgement
from trustnet.validation.stats import Comparison

VERDICTS = ("reproduced", "partly", "not reproduced")


@dataclass
class Check:
    """One part of a pattern's claim, whether the data support it by size, and how much of it
    survives switching off the rule that states it most directly."""

    name: str
    text: str
    holds: bool
    evidence: str = ""
    size: str = ""  # holds, negligible or not shown (judgement); from ``holds`` when not given
    comparison: Comparison | None = None  # the comparison behind it, if it is a single one
    knockout: str = ""  # the rule switched off, in words (or why the effect is by construction)
    knocked_out: float = np.nan  # the estimate with that rule switched off
    surviving: float = np.nan  # share of the effect that survives (0-1)
    emergence: str = judgement.NO_KNOCKOUT

    def __post_init__(self) -> None:
        if not self.size:
            self.size = judgement.HOLDS if self.holds else judgement.NOT_SHOWN
        self.holds = self.size == judgement.HOLDS


@dataclass
class PatternResult:
    """Everything the report shows for one pattern, and what the tests assert."""

    key: str
    arms: list[str]
    n: str
    arm_table: pd.DataFrame           # arm, outcome, n, mean, ci_low, ci_high
    comparisons: list[Comparison]
    checks: list[Check]
    verdict: str
    key_number: str
    frames: dict[str, pd.DataFrame]   # what the figure draws
    notes: list[str] = field(default_factory=list)
    secondary: list[Comparison] = field(default_factory=list)  # reported, not in the verdict
    marks: dict[str, Any] = field(default_factory=dict)  # months and levels the figure labels
    emergence: str = judgement.NO_KNOCKOUT  # of the pattern, once its controls are applied

    def check(self, name: str) -> Check:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(f"no check {name!r}; checks: {', '.join(c.name for c in self.checks)}")


def verdict_of(checks: list[Check]) -> str:
    """Every check holds by size: reproduced; some: partly; none: not reproduced."""
    return judgement.pattern_verdict([c.size for c in checks])


def check_from(c: Comparison, text: str | None = None) -> Check:
    return Check(c.name, text or c.claim, c.holds, evidence(c), size=c.size, comparison=c)


def evidence(c: Comparison) -> str:
    """One line of numbers: estimate [CI], relative change, SESOI and size, test, p."""
    label = "rho" if c.kind == "correlation" else "difference"
    relative = f" ({c.relative:+.0%} of the reference)" if np.isfinite(c.relative) else ""
    return (f"{label} {fmt(c.estimate)} [{fmt(c.ci_low)}, {fmt(c.ci_high)}]{relative}, "
            f"SESOI {fmt(c.margin.value)}: {c.size}; {c.effect_name} {fmt(c.effect)}, "
            f"p {fmt_p(c.p_value)} (n {c.n})")


def fmt(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "n/a"
    ax = abs(x)
    if ax == 0:
        return "0"
    if ax >= 100:
        return f"{x:.0f}"
    if ax >= 10:
        return f"{x:.1f}"
    if ax >= 0.01:
        return f"{x:.3f}"
    return f"{x:.2g}"


def fmt_p(p: float) -> str:
    if not np.isfinite(p):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


class SpecFacts:
    """What a pattern's description reads from its spec: months, replications, axis values,
    arms and the parameters they resolve to (so that no text restates a number of a spec)."""

    def __init__(self, spec: Any) -> None:
        from trustnet.experiment.spec import Spec, load_spec

        self.spec = spec if isinstance(spec, Spec) else load_spec(spec)

    @property
    def steps(self) -> int:
        return self.spec.steps

    @property
    def replications(self) -> int:
        return self.spec.replications

    @property
    def scenario(self) -> str:
        return self.spec.scenario

    def axis(self, name: str) -> list[Any]:
        return list(self.spec.axes[name])

    def arm(self, label: str) -> dict[str, Any]:
        """The overrides of the ``[[arms]]`` entry with this label."""
        for entry in self.spec.arms:
            if entry.get("label") == label:
                return {k: v for k, v in entry.items() if k != "label"}
        raise KeyError(f"no arm labelled {label!r} in {self.spec.source}")

    @property
    def labels(self) -> list[str]:
        return [entry.get("label", "") for entry in self.spec.arms]

    def param(self, name: str, scenario: str | None = None, **overrides: Any) -> Any:
        """A parameter's value in the spec's base (its scenario and ``[base]``) plus
        ``overrides``."""
        from trustnet.core.scenarios import scenario_params

        values = {**self.spec.base, **overrides}
        scenario = values.pop("scenario", None) or scenario or self.spec.scenario
        return scenario_params(scenario, values)[name]


def listing(values: Any, sep: str = ", ") -> str:
    """Values as a spec writes them: 0.2, 0.5, 2.0."""
    return sep.join(map(str, values))


class View:
    """Per-replication access to the arms of one sweep."""

    def __init__(self, result: Any) -> None:
        self.runs = ok_runs(result.runs)
        self.series = result.series
        self.projects = result.projects
        self.arms = {a["arm"]: a for a in result.manifest["arms"]}
        self.steps = int(result.manifest["steps"])

    def arm(self, label: str | None = None, scenario: str | None = None, **varied: Any) -> int:
        """The arm with this label / scenario / swept values (None stands for "none")."""
        for number, arm in self.arms.items():
            if label is not None and arm["label"] != label:
                continue
            if scenario is not None and arm["scenario"] != scenario:
                continue
            if all(_same(arm["varied"].get(k, _MISSING), v) for k, v in varied.items()):
                return number
        raise KeyError(f"no arm with label={label!r}, scenario={scenario!r}, {varied}")

    def values(self, arm: int, outcome: str) -> pd.Series:
        """A summary outcome of every replication of ``arm`` (index: replication)."""
        from trustnet.experiment.tables import outcome_column

        rows = self.runs[self.runs["arm"] == arm]
        return rows.set_index("replication")[outcome_column(outcome)].astype(float).sort_index()

    def wide(self, arm: int, reporter: str) -> pd.DataFrame:
        """The kept series of ``reporter``: one row per replication, one column per step."""
        if self.series is None or reporter not in self.series.columns:
            raise KeyError(f"series of {reporter!r} not kept by this sweep ([outputs] series)")
        rows = self.series[self.series["arm"] == arm]
        return rows.pivot(index="replication", columns="step", values=reporter).sort_index()

    def at(self, arm: int, reporter: str, step: int) -> pd.Series:
        wide = self.wide(arm, reporter)
        if step not in wide.columns:
            raise KeyError(f"step {step} of {reporter!r} not kept (series every k steps)")
        return wide[step]

    def window(self, arm: int, reporter: str, first: int, last: int) -> pd.Series:
        """Mean of ``reporter`` over months ``first``..``last`` (inclusive) per replication."""
        wide = self.wide(arm, reporter)
        cols = [s for s in wide.columns if first <= s <= last]
        return wide[cols].mean(axis=1)

    def project_rows(self, arm: int) -> pd.DataFrame:
        if self.projects is None:
            raise KeyError("projects not kept by this sweep ([outputs] projects = true)")
        return self.projects[self.projects["arm"] == arm]

    def replications(self, arm: int) -> pd.Index:
        return pd.Index(sorted(self.runs.loc[self.runs["arm"] == arm, "replication"]))


_MISSING = object()


def _same(a: Any, b: Any) -> bool:
    if a is _MISSING:
        return False
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return bool(np.isclose(float(a), float(b)))
    return a == b


def row(arm: str, outcome: str, values: Any) -> dict[str, Any]:
    m, lo, hi, n = mean_ci(values)
    return {"arm": arm, "outcome": outcome, "n": n, "mean": m, "ci_low": lo, "ci_high": hi}


def table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["arm", "outcome", "n", "mean", "ci_low", "ci_high"])


def band(wide: pd.DataFrame, **labels: Any) -> pd.DataFrame:
    """Mean and 95% interval over replications at each step of a wide series frame."""
    ci = column_mean_ci(wide)
    out = pd.DataFrame({"step": wide.columns.astype(int), "mean": ci["mean"].to_numpy(),
                        "ci_low": ci["ci_low"].to_numpy(), "ci_high": ci["ci_high"].to_numpy()})
    for k, v in labels.items():
        out[k] = v
    return out
