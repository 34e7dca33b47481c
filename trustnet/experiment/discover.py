"""Scenario discovery: under what conditions does a sweep over sampled parameters end badly?

A condition on the outcomes (``--where "active_members < 15 or mean_trust < 0.45"``) marks the
runs of interest; PRIM (the Patient Rule Induction Method, Friedman & Fisher 1999, as the EMA
Workbench implements it, Kwakkel 2017) then peels the sampled parameter space down to boxes
where those runs are dense, trading *coverage* (the share of all runs of interest inside the
box) against *density* (the share of the box's runs that are of interest). A shallow
classification tree (scikit-learn) beside it gives the same answer as readable rules.

    from trustnet.experiment import discover, load_results
    found = discover(load_results("results/collapse"), "active_members < 15")
    print(found.describe())
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MIN_COVERAGE = 0.5  # the default box: the densest that still holds half the runs of interest
TREE_DEPTH = 3


class DiscoverError(ValueError):
    """A discovery that cannot be made as asked (names the condition, box or folder)."""


@dataclass
class Discovery:
    """What PRIM and the tree found for one condition."""

    where: str
    n_runs: int
    n_selected: int
    trajectory: Any  # pandas frame: id, coverage, density, mass, res_dim, n (runs in the box)
    box: int  # the chosen box's id on the trajectory
    limits: Any  # frame: parameter, label, unit, low, high, sampled_low, sampled_high
    rules: list[dict[str, Any]]  # the tree's leaves of interest: conditions, n, density, coverage
    x: Any  # the sampled parameters of each run (for the figures)
    y: Any  # whether each run meets the condition

    def describe(self) -> str:
        """The chosen box and the tree's rules in words, with coverage, density and runs."""
        row = self.trajectory.set_index("id").loc[self.box]
        lines = [f"{self.n_selected} of {self.n_runs} runs meet '{self.where}' "
                 f"({self.n_selected / self.n_runs:.0%}).", "",
                 f"PRIM box {self.box} of {len(self.trajectory) - 1}: coverage "
                 f"{row['coverage']:.0%} (of the runs that meet it, the share inside), density "
                 f"{row['density']:.0%} (of the {int(row['n'])} runs inside, the share that meet "
                 "it):"]
        if self.limits.empty:
            lines.append("  (no restriction: the whole sampled space)")
        for r in self.limits.itertuples():
            lines.append(f"  {r.label}{_unit(r.unit)} {_span(r)}  (sampled "
                         f"{_num(r.sampled_low)} to {_num(r.sampled_high)}; "
                         f"{r.restriction:.0%} of it cut away)")
        lines += ["", f"classification tree (depth {TREE_DEPTH}), its leaves where most runs "
                  "meet the condition:"]
        if not self.rules:
            lines.append("  (none: no leaf where most runs meet it)")
        for rule in self.rules:
            lines.append(f"  {' and '.join(rule['conditions']) or 'every run'}: "
                         f"{rule['n']} runs, density {rule['density']:.0%}, coverage "
                         f"{rule['coverage']:.0%}")
        return "\n".join(lines)


def discover(result: Any, where: str, box: int | None = None, *, seed: int = 0) -> Discovery:
    """PRIM boxes and tree rules for the runs of ``result`` that meet ``where``.

    ``box`` picks a box on the peeling trajectory (default: the densest with at least
    :data:`MIN_COVERAGE` coverage).
    """
    import numpy as np

    from trustnet.experiment.tables import ok_runs

    runs, manifest = result.runs, result.manifest
    sampled = [d[0] for d in manifest.get("dims", []) if d[1] == "sampled"]
    if not sampled:
        raise DiscoverError("the sweep has no sampled parameters ([samples] in its spec); "
                            "discovery needs a sample of the parameter space, e.g. "
                            "experiments/collapse.toml")
    ok = ok_runs(runs)
    if ok.empty:
        raise DiscoverError("every run of the sweep failed (see the error column of the runs "
                            "table): there is nothing to tell apart")
    y = selection(ok, where)
    if not y.any() or y.all():
        raise DiscoverError(f"--where '{where}': {'no' if not y.any() else 'every'} run of "
                            f"{len(y)} meets it, so there is nothing to tell apart; choose "
                            "another threshold")
    x = ok[sampled].astype(float).reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the workbench's notices about optional parts
        from ema_workbench.analysis import prim

        found = prim.Prim(x, y).find_box()
    trajectory = found.peeling_trajectory[["id", "coverage", "density", "mass", "res_dim",
                                           "n"]].copy()
    if box is None:
        good = trajectory[trajectory["coverage"] >= MIN_COVERAGE]
        box = int(good.sort_values(["density", "coverage"]).iloc[-1]["id"])
    elif not 0 <= box < len(trajectory):
        raise DiscoverError(f"--box {box}: the peeling trajectory has boxes 0 to "
                            f"{len(trajectory) - 1}")
    limits = _limits(found.box_lims[box], x, sampled)
    return Discovery(where, len(y), int(y.sum()), trajectory, box, limits,
                     _tree_rules(x, y, seed), x, np.asarray(y))


def selection(runs: Any, where: str) -> Any:
    """Which runs meet the condition ``where`` (a boolean array), or DiscoverError naming
    what is wrong with it."""
    import numpy as np
    import pandas as pd

    from trustnet.core.reporters import OUTCOMES
    from trustnet.experiment.tables import outcome_column

    try:
        tree = ast.parse(where.strip(), mode="eval")
    except SyntaxError as exc:
        raise DiscoverError(f"--where '{where}': not a condition ({exc.msg}); e.g. "
                            "\"active_members < 15 or mean_trust < 0.45\"") from None
    allowed = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub,
               ast.Compare, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq, ast.Name,
               ast.Load, ast.Constant, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div)
    names = []
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            raise DiscoverError(f"--where '{where}': only outcomes, numbers, comparisons, "
                                "arithmetic, and, or and not are allowed")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise DiscoverError(f"--where '{where}': {node.value!r} is not a number")
        if isinstance(node, ast.Name):
            names.append(node.id)
    if not names:
        raise DiscoverError(f"--where '{where}': names no outcome")
    values = {}
    for name in names:
        if name not in OUTCOMES:
            from trustnet.core.parameters import unknown_name_message

            raise DiscoverError(f"--where '{where}': "
                                f"{unknown_name_message(name, tuple(OUTCOMES), kind='outcome')}")
        values[name] = runs[outcome_column(name)].to_numpy(float)
    try:
        with np.errstate(invalid="ignore"):
            out = np.asarray(pd.eval(where, local_dict=values, engine="python"))
    except (TypeError, ValueError, NotImplementedError, SyntaxError):
        out = np.asarray(0.0)  # e.g. "and" between a comparison and a bare number
    if out.dtype != bool or out.shape != (len(runs),):
        raise DiscoverError(f"--where '{where}': not a condition (it gives numbers, not "
                            "true or false for each run)")
    return out


def _limits(box: Any, x: Any, sampled: Sequence[str]) -> Any:
    """The parameters the box restricts, with their labels and units."""
    import pandas as pd

    from trustnet.core.parameters import PARAMETERS

    rows = []
    for name in sampled:
        low, high = float(box.loc[0, name]), float(box.loc[1, name])
        s_low, s_high = float(x[name].min()), float(x[name].max())
        if low <= s_low and high >= s_high:
            continue  # not restricted
        p = PARAMETERS.get(name)
        span = s_high - s_low
        rows.append({"parameter": name, "label": p.label if p else name,
                     "unit": p.unit if p else "", "low": low if low > s_low else None,
                     "high": high if high < s_high else None,
                     "sampled_low": s_low, "sampled_high": s_high,
                     # how much of the sampled range the box cuts away
                     "restriction": 1.0 - (min(high, s_high) - max(low, s_low)) / span
                     if span > 0 else 0.0})
    frame = pd.DataFrame(rows, columns=["parameter", "label", "unit", "low", "high",
                                        "sampled_low", "sampled_high", "restriction"])
    return frame.sort_values("restriction", ascending=False, kind="stable").reset_index(
        drop=True)


def _tree_rules(x: Any, y: Any, seed: int) -> list[dict[str, Any]]:
    """The leaves of a shallow tree where most runs meet the condition, as conditions."""
    from sklearn.tree import DecisionTreeClassifier

    from trustnet.core.parameters import PARAMETERS

    leaf_size = max(5, len(y) // 50)
    model = DecisionTreeClassifier(max_depth=TREE_DEPTH, min_samples_leaf=leaf_size,
                                   random_state=seed).fit(x.to_numpy(), y)
    t = model.tree_
    total = int(y.sum())
    rules = []

    def walk(node: int, path: list[str]) -> None:
        if t.children_left[node] == -1:  # a leaf
            n = int(t.n_node_samples[node])
            hits = float(t.value[node][0][list(model.classes_).index(True)]) * n \
                if True in model.classes_ else 0.0
            if hits / n > 0.5:
                rules.append({"conditions": path, "n": n, "density": hits / n,
                              "coverage": hits / total})
            return
        name = x.columns[t.feature[node]]
        label = PARAMETERS[name].label if name in PARAMETERS else name
        cut = _num(float(t.threshold[node]))
        walk(t.children_left[node], [*path, f"{label} <= {cut}"])
        walk(t.children_right[node], [*path, f"{label} > {cut}"])

    walk(0, [])
    return sorted(rules, key=lambda r: -r["coverage"])


def _unit(unit: str) -> str:
    return f" ({unit})" if unit and unit not in ("-", "probability", "share", "ratio") else ""


def _span(r: Any) -> str:
    low, high = _given(r.low), _given(r.high)
    if low and high:
        return f"between {_num(r.low)} and {_num(r.high)}"
    return f">= {_num(r.low)}" if low else f"<= {_num(r.high)}"


def _given(value: Any) -> bool:
    """A bound the box sets (not None or nan, which mean the sampled range's end)."""
    import math

    return value is not None and math.isfinite(value)


def _num(x: float) -> str:
    return f"{x:.3g}"
