"""Every arm of a sweep against a baseline arm, outcome by outcome, in the outcome's units.

Arms that share replication seeds (every sweep's arms do: common random numbers) are compared
per replication: the mean paired difference with its 95% interval. Arms that do not share them
fall back to a difference of means with a Welch interval, and the table says so. The flag comes
from the validation's size rules (:mod:`trustnet.validation.stats`): an arm is *clearly better*
or *clearly worse* when its difference is significant and at least the outcome's smallest
effect of interest in the direction the outcome declares better, *negligible* when its interval
lies within that margin, and *not shown* otherwise. With crossed dimensions (arms crossed with
axes, or two axes) each arm is compared with the baseline at the same values of the others.

    from trustnet.experiment import compare, load_results
    table = compare(load_results("results/showcase"), baseline="NAO, coordinating")
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

BETTER, WORSE = "clearly better", "clearly worse"
HIGHER, LOWER = "clearly higher", "clearly lower"
NEGLIGIBLE, NOT_SHOWN = "negligible", "not shown"
MIN_FOR_A_TEST = 6  # below, a two-sided signed-rank test cannot reach p < 0.05
COLUMNS = ("arm", "context", "outcome", "label", "unit", "baseline_mean", "arm_mean",
           "difference", "ci_low", "ci_high", "relative", "sesoi", "flag", "n", "method")


class CompareError(ValueError):
    """A comparison that cannot be made as asked (names the baseline, outcome or folder)."""


def compare(result: Any, baseline: str, outcomes: Sequence[str] | None = None) -> Any:
    """One row per arm other than the baseline and per outcome (columns :data:`COLUMNS`).

    ``result`` is a :class:`~trustnet.experiment.SweepResult` (or anything with ``runs`` and
    ``manifest``). ``baseline`` is an arm's label (``[[arms]]``), or ``NAME=VALUE[,...]`` for
    arms that differ on axes (``ambition=0.5``). ``outcomes`` default to the main ones.
    """
    import pandas as pd

    from trustnet.core.reporters import MAIN_OUTCOMES, outcome
    from trustnet.experiment.tables import ok_runs, outcome_column

    runs, manifest = result.runs, result.manifest
    names = list(outcomes) if outcomes else list(MAIN_OUTCOMES)
    for name in names:
        try:
            outcome(name)
        except ValueError as exc:
            raise CompareError(str(exc)) from None
    dims = [d[0] for d in manifest.get("dims", []) if d[1] != "sampled"]
    sampled = [d[0] for d in manifest.get("dims", []) if d[1] == "sampled"]
    if not dims:
        raise CompareError("the sweep has a single arm (or only sampled parameters): there is "
                           "nothing to compare with a baseline")
    ok = ok_runs(runs)
    if ok.empty:
        raise CompareError("every run of the sweep failed (see the error column of the runs "
                           "table): there is nothing to compare")
    fixed, wanted = _baseline(baseline, runs, dims)
    # arms are compared where everything else is equal, sampled points included
    context = [d for d in dims if d not in fixed] + sampled
    rows = []
    arms = ok.groupby("arm", sort=True)
    for _, group in arms:
        first = group.iloc[0]
        if all(_same(first[d], wanted[d]) for d in fixed):
            continue  # a baseline arm
        at = {d: first[d] for d in context}
        base = ok[_matches(ok, {**wanted, **at})]
        if base.empty:
            continue  # no baseline at this combination (e.g. an arm that sets the axis itself)
        for name in names:
            rows.append(_row(_context({d: first[d] for d in fixed}),
                             _context({d: v for d, v in at.items() if d not in sampled}
                                      | ({"sample point": int(first["arm"])} if sampled
                                         else {})),
                             name, group, base, outcome_column(name)))
    if not rows:
        raise CompareError(f"baseline '{baseline}': no other arm to compare with it")
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _row(arm: str, context: str, name: str, group: Any, base: Any, column: str) -> list:
    import warnings

    import numpy as np
    import pandas as pd

    from trustnet.core.reporters import outcome
    from trustnet.validation import judgement
    from trustnet.validation import stats as vs

    o = outcome(name)
    same_network = all(
        c not in group.columns or (group[c].nunique() == 1 and base[c].nunique() == 1
        and _same(group[c].iloc[0], base[c].iloc[0])) for c in ("scenario", "n_orgs"))
    try:
        merged = group[["replication", "seed", column]].merge(
            base[["replication", "seed", column]], on="replication", suffixes=("", "_base"),
            validate="one_to_one")
    except pd.errors.MergeError:
        raise CompareError(f"arm '{arm}' at {context or 'its values'}: more than one baseline "
                           "run per replication; name the baseline more fully") from None
    merged = merged[np.isfinite(merged[column]) & np.isfinite(merged[f"{column}_base"])]
    a_all = group[column].to_numpy(float)
    b_all = base[column].to_numpy(float)
    a_all, b_all = a_all[np.isfinite(a_all)], b_all[np.isfinite(b_all)]
    base_mean = float(b_all.mean()) if len(b_all) else np.nan
    arm_mean = float(a_all.mean()) if len(a_all) else np.nan
    paired = same_network and (merged["seed"] == merged["seed_base"]).all()
    n_pairs = len(merged) if paired else min(len(a_all), len(b_all))
    if n_pairs < 2:  # no interval can be given
        method = ("one replication: no interval" if n_pairs == 1 else
                  "no finite values to compare")
        return [arm, context, name, o.label, o.unit, base_mean, arm_mean,
                arm_mean - base_mean, np.nan, np.nan,
                (arm_mean - base_mean) / abs(base_mean) if base_mean else np.nan,
                np.nan, NOT_SHOWN, n_pairs, method]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # constant differences
        if paired:
            a, b = merged[column].to_numpy(float), merged[f"{column}_base"].to_numpy(float)
            up, down = (vs.paired(name, "", a, b, e, outcome=name) for e in (1, -1))
            method, n = "paired by replication", len(merged)
        else:
            up, down = (vs.unpaired(name, "", a_all, b_all, e, outcome=name) for e in (1, -1))
            why = ("the arms are different networks" if not same_network
                   else "the arms do not share replication seeds")
            method, n = f"unpaired ({why})", f"{len(a_all)} / {len(b_all)}"
    if (len(merged) if paired else min(len(a_all), len(b_all))) < MIN_FOR_A_TEST:
        method += f" (fewer than {MIN_FOR_A_TEST} replications: no difference can be shown)"
    if up.holds:
        flag = BETTER if o.better == "higher" else WORSE if o.better == "lower" else HIGHER
    elif down.holds:
        flag = WORSE if o.better == "higher" else BETTER if o.better == "lower" else LOWER
    elif up.size == judgement.NEGLIGIBLE:
        flag = NEGLIGIBLE
    else:
        flag = NOT_SHOWN
    # a change relative to a baseline smaller than the smallest effect of interest means
    # nothing (an inclusion gap of 0.009 would make any change hundreds of percent)
    margin = up.margin.value
    relative = (np.nan if np.isfinite(margin) and abs(base_mean) < margin else up.relative)
    return [arm, context, name, o.label, o.unit, base_mean, arm_mean,
            up.estimate, up.ci_low, up.ci_high, relative, margin, flag, n, method]


def _baseline(text: str, runs: Any, dims: list[str]) -> tuple[list[str], dict[str, Any]]:
    """The dimensions the baseline fixes and their values."""
    if "label" in dims and (runs["label"] == text).any():
        return ["label"], {"label": text}
    if "=" in text:
        from trustnet.core.parameters import PARAMETERS

        wanted: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, value = part.partition("=")
            name = name.strip()
            if name not in dims:
                raise CompareError(f"baseline '{text}': '{name}' does not vary in this sweep; "
                                   f"it varies {', '.join(dims)}")
            try:
                wanted[name] = (PARAMETERS[name].parse(value) if name in PARAMETERS
                                else value.strip())
            except ValueError as exc:
                raise CompareError(f"baseline '{text}': {exc}") from None
            if not runs[name].map(lambda v, w=wanted[name]: _same(v, w)).any():
                values = ", ".join(sorted({_text(v) for v in runs[name]}))
                raise CompareError(f"baseline '{text}': no arm has {name}={value.strip()}; "
                                   f"its values: {values}")
        return list(wanted), wanted
    labels = sorted(set(runs["label"])) if "label" in dims else []
    allowed = (f"an arm's label ({', '.join(repr(x) for x in labels)})" if labels else
               f"NAME=VALUE of a swept dimension ({', '.join(dims)})")
    raise CompareError(f"baseline '{text}': no such arm; allowed: {allowed}")


def _matches(frame: Any, values: dict[str, Any]) -> Any:
    """Rows of ``frame`` with the given value in each column."""
    import numpy as np

    mask = np.ones(len(frame), dtype=bool)
    for column, value in values.items():
        mask &= frame[column].map(lambda v, w=value: _same(v, w)).to_numpy(bool)
    return mask


def _same(a: Any, b: Any) -> bool:
    """Equal values, a missing value (None, nan) equal to another missing value."""
    import math

    def missing(v: Any) -> bool:
        return v is None or (isinstance(v, float) and math.isnan(v))

    if missing(a) or missing(b):
        return missing(a) and missing(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def _text(v: Any) -> str:
    import math

    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "none"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _context(values: dict[str, Any]) -> str:
    """Values of dimensions in words: an arm's label as itself, axes as NAME=VALUE."""
    return ", ".join(_text(v) if k == "label" else f"{k}={_text(v)}" for k, v in values.items())


def markdown(table: Any, baseline: str) -> str:
    """The comparison as a Markdown table, one row per arm and outcome."""
    from trustnet.experiment.tables import label_with_unit

    lines = [f"Each arm against the baseline **{baseline}**: the difference in the outcome's "
             "unit with its 95% interval, the change relative to the baseline (left out where "
             "the baseline itself is smaller than the SESOI), and a flag from the outcome's "
             "smallest effect of interest (SESOI): *clearly better* or *worse* (*higher* or "
             "*lower* where neither is better) when the difference is significant (p < 0.05, "
             "the rank test agreeing) and at least the SESOI, *negligible* when two one-sided "
             "tests place it within plus or minus the SESOI (its 90% interval lies inside, so "
             "its 95% interval may reach beyond), "
             "*not shown* otherwise.", "",
             "| arm | at | outcome | baseline | arm | difference (95% CI) | relative | SESOI "
             "| flag | n |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        lines.append(f"| {r.arm} | {r.context or '-'} | {label_with_unit(r.outcome)} | "
                     f"{_num(r.baseline_mean)} | {_num(r.arm_mean)} | {_num(r.difference)} "
                     f"({_num(r.ci_low)} to {_num(r.ci_high)}) | {_pct(r.relative)} | "
                     f"{_num(r.sesoi)} | {r.flag} | {r.n} |")
    methods = sorted(set(table["method"]))
    lines += ["", "Comparisons: " + "; ".join(methods) + "."]
    return "\n".join(lines) + "\n"


def _num(x: Any) -> str:
    import math

    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def _pct(x: Any) -> str:
    import math

    return "-" if x is None or not math.isfinite(x) else f"{x:+.0%}"
