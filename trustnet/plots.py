"""Standard figures from data frames (never from models).

Every function takes tidy frames (a run's series, a sweep's runs or series table, a sensitivity
index table) and returns a matplotlib ``Figure`` built without pyplot, so it works the same in
scripts, notebooks and worker processes. Means over replications carry 95% confidence bands.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from trustnet.experiment.tables import label, label_with_unit, ok_runs
from trustnet.stats import CONFIDENCE

MAX_HUE = 8


def _figure(n_panels: int, ncols: int = 4, size: tuple[float, float] = (3.6, 2.7)) -> tuple:
    from matplotlib.figure import Figure

    ncols = max(1, min(ncols, n_panels))
    nrows = math.ceil(n_panels / ncols)
    fig = Figure(figsize=(size[0] * ncols, size[1] * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, axes[:n_panels]


# outcomes whose value at the start of a run is a parameter of it
START = {"mean_trust": "initial_trust", "working_trust": "initial_trust",
         "earned_trust": "initial_trust", "active_members": "n_orgs"}


def _start_line(ax: Any, data: Any, outcome: str) -> None:
    """The outcome's value at the start of the runs, dashed, where all runs share it."""
    name = outcome[: -len("_outcome")] if outcome.endswith("_outcome") else outcome
    column = START.get(name)
    if column in data.columns and data[column].nunique() == 1:
        ax.axhline(float(data[column].iloc[0]), ls="--", lw=0.9, color="0.45", zorder=0,
                   label="at the start")


def _within_range(name: str, low: Any, high: Any) -> tuple[Any, Any]:
    """An interval band clipped to the outcome's declared range (no count below 0)."""
    import numpy as np

    from trustnet.core.reporters import OUTCOMES

    base = name[: -len("_outcome")] if name.endswith("_outcome") else name
    o = OUTCOMES.get(base)
    if o is None:
        return low, high
    bottom = -np.inf if o.low is None else o.low
    top = np.inf if o.high is None else o.high
    return np.clip(low, bottom, top), np.clip(high, bottom, top)


def _defined(data: Any, outcomes: Sequence[str]) -> Any:
    """``data`` with each coordinator state (declared so) left empty where no coordinator was
    in post: such a state reads 0 there, which a mean would take for a value. A month's or a
    run's final state counts where none was in post then (``coordinator_present``), a run's
    mean or tenure where none ever was (``coordinator_present_mean``), the one a table has."""
    from trustnet.core.reporters import OUTCOMES

    def base(name: str) -> str:
        return name[: -len("_outcome")] if name.endswith("_outcome") else name

    states = [o for o in outcomes
              if o in data.columns and getattr(OUTCOMES.get(base(o)), "coordinator", False)]
    if not states:
        return data
    data = data.copy()
    for name in states:
        over_the_run = base(name).endswith("_mean") or not OUTCOMES[base(name)].reporter
        order = (("coordinator_present_mean", "coordinator_present") if over_the_run
                 else ("coordinator_present", "coordinator_present_mean"))
        present = next((c for c in order if c in data.columns), None)
        if present is not None:
            data.loc[data[present] == 0, name] = float("nan")
    return data


def _legend(fig: Any, axes: Any, title: str) -> None:
    """One legend for the figure, below the panels (never over the data)."""
    handles, labels = axes[0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, title=title, loc="outside lower center",
                   ncols=min(len(handles), 8), fontsize=7, title_fontsize=7, frameon=False)


def run_figure(series: Any, reporters: Sequence[str] | None = None, title: str = "") -> Any:
    """One run: each reporter against the month (trust earned only where a trust shock made
    it differ from mean trust; a coordinator's state only while one is in post)."""
    import numpy as np

    from trustnet.core.reporters import OUTCOMES

    reporters = list(reporters or [c for c in series.columns if series[c].dtype.kind in "fiu"])
    if ("mean_trust" in reporters and "earned_trust" in reporters
            and series["earned_trust"].equals(series["mean_trust"])):
        reporters.remove("earned_trust")
    data = _defined(series, reporters)
    fig, axes = _figure(len(reporters))
    steps = series.index.to_numpy()
    for ax, name in zip(axes, reporters):
        values = data[name].to_numpy(dtype=float)
        ax.plot(steps, values, lw=1.4)
        _readable_span(ax, name, values)
        if np.isnan(values).all() and len(steps) and getattr(OUTCOMES.get(name),
                                                             "coordinator", False):
            if steps.max() > steps.min():
                ax.set_xlim(steps.min(), steps.max())
            ax.set_yticks([])
            ax.text(0.5, 0.5, "no coordinator in post", transform=ax.transAxes, ha="center",
                    fontsize=8, color="0.4")
        ax.set_title(label_with_unit(name), fontsize=9)
        ax.set_xlabel("month", fontsize=8)
        ax.tick_params(labelsize=7)
    if title:
        fig.suptitle(title)
    return fig


COUNTED = ("members", "projects", "coordinators")  # units that come in whole numbers


def _readable_span(ax: Any, name: str, values: Any) -> None:
    """At least four smallest effects of interest on the value axis, within the outcome's
    declared range, so that a change smaller than one does not fill the panel; whole numbers
    for what is counted."""
    import numpy as np
    from matplotlib.ticker import MaxNLocator

    from trustnet.core.reporters import OUTCOMES

    o = OUTCOMES.get(name)
    finite = values[np.isfinite(values)]
    if o is None or not len(finite):
        return
    counted = o.unit in COUNTED
    if counted:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    need = 4 * o.margin(float(np.mean(finite)))
    if counted:
        need = max(need, 1.0)
    low, high = ax.get_ylim()
    if need <= 0 or high - low >= need:
        return
    middle = (low + high) / 2  # of what is drawn
    low, high = middle - need / 2, middle + need / 2
    if o.low is not None and low < o.low:
        low, high = o.low, o.low + need
    if o.high is not None and high > o.high:
        low, high = o.high - need, o.high
    pad = 0.05 * need  # a line at a bound stays clear of the frame
    ax.set_ylim(low - pad, high + pad)


def _mean_ci(frame: Any, by: list[str], outcome: str) -> Any:
    from trustnet.experiment.aggregation import aggregate

    agg = aggregate(frame, by, [outcome], confidence=CONFIDENCE)
    return agg[outcome].reset_index()


def _is_numeric(frame: Any, name: str) -> bool:
    return frame[name].dtype.kind in "fiu"


def outcome_by(runs: Any, x: str, outcomes: Sequence[str], hue: str | None = None,
               title: str = "") -> Any:
    """Each outcome against ``x``: mean over replications and 95% CI band (bars for categories),
    one line per value of ``hue``; other swept parameters are averaged over."""
    import numpy as np

    data = _defined(ok_runs(runs), outcomes)
    fig, axes = _figure(len(outcomes))
    hues = [None] if hue is None else list(dict.fromkeys(data[hue].tolist()))
    numeric = _is_numeric(data, x) and data[x].nunique() > 2
    categories = list(dict.fromkeys(data[x].tolist()))
    for ax, outcome in zip(axes, outcomes):
        for k, h in enumerate(hues):
            sub = data if h is None else data[data[hue] == h]
            stats = _mean_ci(sub, [x], outcome)
            legend_label = None if h is None else str(h)
            if numeric:
                stats = stats.sort_values(x)
                line, = ax.plot(stats[x], stats["mean"], marker="o", ms=3, lw=1.4,
                                label=legend_label)
                ax.fill_between(stats[x], *_within_range(outcome, stats["ci_low"],
                                                         stats["ci_high"]),
                                alpha=0.2, color=line.get_color(), lw=0)
            else:
                stats = stats.set_index(x).reindex(categories).reset_index()
                width = 0.8 / len(hues)
                pos = np.arange(len(categories)) - 0.4 + width * (k + 0.5)
                low, high = _within_range(outcome, stats["ci_low"], stats["ci_high"])
                err = np.vstack([stats["mean"] - low, high - stats["mean"]])
                ax.errorbar(pos, stats["mean"], yerr=np.nan_to_num(err), fmt="o", ms=4,
                            capsize=3, label=legend_label)
        _start_line(ax, data, outcome)
        if not numeric:
            ax.set_xticks(range(len(categories)))
            ax.set_xticklabels([str(c) for c in categories], rotation=30, ha="right", fontsize=7)
        ax.set_title(label_with_unit(outcome), fontsize=9)
        ax.set_xlabel(label_with_unit(x), fontsize=8)
        ax.tick_params(labelsize=7)
    if len(axes) and (hue is not None or any(ax.get_legend_handles_labels()[0]
                                             for ax in axes)):
        _legend(fig, axes, label(hue) if hue else "")
    fig.suptitle(title or f"outcomes by {label(x)} (mean, {CONFIDENCE:.0%} CI over "
                          "replications)", fontsize=11)
    return fig


def outcome_scatter(runs: Any, x: str, outcomes: Sequence[str], title: str = "") -> Any:
    """Sampled parameter (Latin hypercube, Sobol): replication mean of each sample point."""
    data = _defined(ok_runs(runs), outcomes)
    means = data.groupby("arm").agg({x: "first", **{o: "mean" for o in outcomes}})
    fig, axes = _figure(len(outcomes))
    for ax, outcome in zip(axes, outcomes):
        ax.scatter(means[x], means[outcome], s=8, alpha=0.7)
        ax.set_title(label_with_unit(outcome), fontsize=9)
        ax.set_xlabel(label_with_unit(x), fontsize=8)
        ax.tick_params(labelsize=7)
    fig.suptitle(title or f"outcomes by sampled {label(x)} (mean over replications per point)",
                 fontsize=11)
    return fig


def heatmaps(runs: Any, x: str, y: str, outcomes: Sequence[str], title: str = "") -> Any:
    """Mean of each outcome over replications on the grid of two swept parameters."""
    import numpy as np

    data = _defined(ok_runs(runs), outcomes)
    fig, axes = _figure(len(outcomes))
    xs = sorted(data[x].unique()) if _is_numeric(data, x) else list(dict.fromkeys(data[x]))
    ys = sorted(data[y].unique()) if _is_numeric(data, y) else list(dict.fromkeys(data[y]))
    for ax, outcome in zip(axes, outcomes):
        grid = data.groupby([y, x])[outcome].mean().unstack(x).reindex(index=ys, columns=xs)
        image = ax.imshow(grid.to_numpy(dtype=float), origin="lower", aspect="auto",
                          cmap="viridis", interpolation="nearest")
        fig.colorbar(image, ax=ax, shrink=0.8).ax.tick_params(labelsize=6)
        ax.set_xticks(range(len(xs)))
        ax.set_xticklabels([_short(v) for v in xs], rotation=45, ha="right", fontsize=6)
        ax.set_yticks(range(len(ys)))
        ax.set_yticklabels([_short(v) for v in ys], fontsize=6)
        ax.set_xlabel(label(x), fontsize=8)  # with their units in the figure's title
        ax.set_ylabel(label(y), fontsize=8)
        ax.set_title(label_with_unit(outcome), fontsize=9)
        if np.isnan(grid.to_numpy(dtype=float)).all():
            ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center")
    fig.suptitle(title or f"mean outcomes over {label_with_unit(x)} and {label_with_unit(y)}",
                 fontsize=11)
    return fig


def _short(v: Any) -> str:
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def series_by(series: Any, runs: Any, hue: str | None, reporters: Sequence[str],
              title: str = "") -> Any:
    """Mean trajectories over replications (95% CI band), one line per value of ``hue``."""
    from trustnet.experiment.aggregation import aggregate

    keep = ["run_id"] + ([hue] if hue else [])
    if "coordinator_present" not in series.columns and "coordinator_present_mean" in runs:
        keep.append("coordinator_present_mean")  # to leave out runs that never had one
    ok = ok_runs(runs)[list(dict.fromkeys(keep))]
    data = _defined(series.merge(ok, on="run_id"), reporters)
    fig, axes = _figure(len(reporters))
    hues = [None] if hue is None else list(dict.fromkeys(data[hue].tolist()))[:MAX_HUE]
    for ax, name in zip(axes, reporters):
        for h in hues:
            sub = data if h is None else data[data[hue] == h]
            stats = aggregate(sub, ["step"], [name])[name].reset_index()
            line, = ax.plot(stats["step"], stats["mean"], lw=1.3,
                            label=None if h is None else str(h))
            ax.fill_between(stats["step"], *_within_range(name, stats["ci_low"],
                                                          stats["ci_high"]),
                            alpha=0.2, color=line.get_color(), lw=0)
        _readable_span(ax, name, data[name].to_numpy(dtype=float))
        first = data[data["step"] == data["step"].min()][name]
        if name in START and len(first) and first.nunique() == 1:  # where every run starts
            ax.axhline(float(first.iloc[0]), ls="--", lw=0.9, color="0.45", zorder=0,
                       label="at the start")
        ax.set_title(label_with_unit(name), fontsize=9)
        ax.set_xlabel("month", fontsize=8)
        ax.tick_params(labelsize=7)
    if len(axes):
        _legend(fig, axes, label(hue) if hue else "")
    fig.suptitle(title or "trajectories (mean, 95% CI over replications)", fontsize=11)
    return fig


MAX_SENSITIVITY_ROWS = 30  # parameters a sensitivity heatmap shows at most


def sensitivity_figure(indices: Any, method: str) -> Any:
    """Indices per parameter and outcome: a heatmap of the main index, normalised per outcome
    (Morris mu*, or Sobol total order ST)."""
    import numpy as np

    from trustnet.experiment.sensitivity import INDICES

    key = INDICES[method].main
    table = indices.pivot(index="parameter", columns="outcome", values=key)
    params = list(dict.fromkeys(indices["parameter"]))
    outcomes = list(dict.fromkeys(indices["outcome"]))
    table = table.reindex(index=params, columns=outcomes)
    values = table.to_numpy(dtype=float)
    # each outcome's column relative to its largest index; an outcome without any index (it
    # did not vary, or the design was too small) stays blank
    largest = np.max(np.abs(np.nan_to_num(values, nan=0.0)), axis=0, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        norm = np.where(largest > 0, values / np.where(largest > 0, largest, 1.0), np.nan)
    left_out = ""
    if len(params) > MAX_SENSITIVITY_ROWS:
        # many parameters: the most influential over all outcomes first (the mean of the
        # scaled indices: one noisy outcome does not decide), those that matter least left out
        strength = np.nan_to_num(norm, nan=0.0).mean(axis=1)
        order = np.argsort(-strength, kind="stable")[:MAX_SENSITIVITY_ROWS]
        left_out = (f"; rows by mean over outcomes, the {len(params) - len(order)} "
                    "parameters with the smallest not shown")
        norm, params = norm[order], [params[i] for i in order]
    from matplotlib.figure import Figure

    fig = Figure(figsize=(max(6, 0.35 * len(outcomes) + 3), max(3, 0.4 * len(params) + 2)),
                 layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(norm, aspect="auto", cmap="magma_r", vmin=0, vmax=1)
    ax.set_xticks(range(len(outcomes)))
    ax.set_xticklabels([label(o) for o in outcomes], rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(len(params)))
    ax.set_yticklabels([label(p) for p in params], fontsize=8)
    bar_label = f"{INDICES[method].label} (scaled per outcome)"
    fig.colorbar(image, ax=ax, label=bar_label)
    fig.suptitle(f"Global sensitivity ({method}); blank: constant outcome or failed runs"
                 f"{left_out}", fontsize=10, wrap=True)
    return fig


def _none_as_category(runs: Any, names: Sequence[str]) -> Any:
    """A swept column holding "none" (e.g. no withdrawal) becomes text, so "none" is a level."""
    runs = runs.copy()
    for name in names:
        if runs[name].isna().any():
            runs[name] = [("none" if _missing(v) else _short(_int_if_whole(v)))
                          for v in runs[name]]
    return runs


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _int_if_whole(v: Any) -> Any:
    return int(v) if isinstance(v, float) and v.is_integer() else v


def distributions(runs: Any, outcomes: Sequence[str], title: str = "") -> Any:
    """Histogram of each outcome over runs (for specs that vary nothing but the seed)."""
    data = _defined(ok_runs(runs), outcomes)
    fig, axes = _figure(len(outcomes))
    for ax, outcome in zip(axes, outcomes):
        ax.hist(data[outcome].dropna(), bins=20)
        ax.set_title(label(outcome), fontsize=9)
        ax.tick_params(labelsize=7)
    fig.suptitle(title or "outcomes over replications", fontsize=11)
    return fig


def sweep_figures(runs: Any, series: Any | None, dims: Sequence[tuple[str, str]],
                  outcomes: Sequence[str], reporters: Sequence[str] | None = None,
                  ) -> dict[str, Any]:
    """The standard figures of a sweep, by file stem.

    ``dims`` are the swept dimensions as (column, kind) with kind "numeric", "categorical" or
    "sampled". One figure per dimension (the other dimension as line colour when there are
    exactly two), heatmaps for pairs of dimensions, scatter plots for sampled parameters, and
    mean trajectories when the series was kept.
    """
    figures: dict[str, Any] = {}
    runs = _none_as_category(runs, [n for n, _ in dims])
    grid = [(n, k) for n, k in dims if k != "sampled" and runs[n].nunique() > 1]
    for i, (name, _) in enumerate(grid):
        hue = None
        if len(grid) == 2:
            other = grid[1 - i][0]
            if runs[other].nunique() <= MAX_HUE:
                hue = other
        pooled = [label(n) for n, _ in dims if n not in (name, hue) and runs[n].nunique() > 1]
        title = f"outcomes by {label(name)} (mean, {CONFIDENCE:.0%} CI over replications" + (
            f"; pooled over {', '.join(pooled)})" if pooled else ")")
        figures[f"by_{name}"] = outcome_by(runs, name, outcomes, hue=hue, title=title)
    pairs = [(grid[i][0], grid[j][0]) for i in range(len(grid)) for j in range(i + 1, len(grid))]
    for x, y in pairs[:3]:
        figures[f"heatmap_{x}_{y}"] = heatmaps(runs, x, y, outcomes)
    for name, kind in dims:
        if kind == "sampled":
            figures[f"scatter_{name}"] = outcome_scatter(runs, name, outcomes)
    if not figures:
        figures["distributions"] = distributions(runs, outcomes)
    if series is not None and len(series):
        hue = next((n for n, _ in grid if runs[n].nunique() <= MAX_HUE), None)
        reporters = list(reporters or [c for c in series.columns
                                       if c not in ("run_id", "arm", "replication", "step")])
        pooled = [label(n) for n, _ in dims if n != hue and runs[n].nunique() > 1]
        title = "trajectories (mean, 95% CI over replications" + (
            f"; pooled over {', '.join(pooled)})" if pooled else ")")
        figures["series"] = series_by(series, runs, hue, reporters, title=title)
    return figures


FLAG_COLOURS = {"clearly better": "#1a7f37", "clearly worse": "#c62828",
                "clearly higher": "#1f5fbf", "clearly lower": "#8e44ad",
                "negligible": "#7f7f7f", "not shown": "#e08a00"}


def comparison_figure(table: Any, baseline: str) -> Any:
    """Forest plot of a comparison table (:func:`trustnet.experiment.compare.compare`): per
    outcome, each arm's difference from the baseline with its 95% interval, the band of
    differences too small to matter (the SESOI) shaded, coloured by flag."""
    from matplotlib.lines import Line2D

    outcomes = list(dict.fromkeys(table["outcome"]))
    rows = list(dict.fromkeys(zip(table["arm"], table["context"], strict=True)))
    height = max(1.6, 0.32 * len(rows) + 0.9)
    fig, axes = _figure(len(outcomes), ncols=min(3, len(outcomes)), size=(4.2, height))
    names = [f"{arm} ({context})" if context else arm for arm, context in rows]
    for ax, name in zip(axes, outcomes, strict=True):
        part = table[table["outcome"] == name]
        first = part.iloc[0]
        ax.axvline(0, color="0.4", lw=0.8, zorder=1)
        for r in part.itertuples():
            y = rows.index((r.arm, r.context))
            if math.isfinite(r.sesoi) and r.sesoi > 0:  # relative ones differ by baseline
                ax.fill_betweenx([y - 0.45, y + 0.45], -r.sesoi, r.sesoi, color="0.9",
                                 zorder=0, lw=0)
            colour = FLAG_COLOURS.get(r.flag, "k")
            ax.errorbar(r.difference, y, xerr=[[r.difference - r.ci_low],
                                               [r.ci_high - r.difference]],
                        fmt="o", ms=4, color=colour, capsize=2, lw=1.2, zorder=2)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels(names if ax is axes[0] or len(outcomes) == 1 else [], fontsize=8)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_title(str(first["label"]), fontsize=9)
        unit = first["unit"]
        ax.set_xlabel(f"difference from the baseline ({unit})" if unit not in ("-", "0-1")
                      else "difference from the baseline", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
    for ax in axes:
        if ax.get_subplotspec().colspan.start == 0:
            ax.set_yticklabels(names, fontsize=8)
    used = [f for f in FLAG_COLOURS if f in set(table["flag"])]
    handles = [Line2D([], [], marker="o", ls="", color=FLAG_COLOURS[f], label=f) for f in used]
    handles.append(Line2D([], [], lw=6, color="0.9", label="smaller than the SESOI"))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8,
               frameon=False)
    fig.suptitle(f"each arm against the baseline '{baseline}' (difference, 95% CI)",
                 fontsize=10)
    return fig


def discovery_figures(trajectory: Any, box: int, x: Any, y: Any, limits: Any,
                      where: str) -> dict[str, Any]:
    """The figures of a scenario discovery (:func:`trustnet.experiment.discover.discover`):
    PRIM's peeling trajectory (coverage against density, the chosen box marked) and the runs
    over the two parameters the box restricts first, the box drawn on them."""
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from trustnet.core.parameters import PARAMETERS

    figures = {}
    fig = Figure(figsize=(5.6, 4.2), layout="constrained")
    ax = fig.subplots()
    points = ax.scatter(trajectory["coverage"], trajectory["density"], c=trajectory["res_dim"],
                        cmap="viridis", s=18, zorder=2)
    chosen = trajectory.set_index("id").loc[box]
    ax.scatter([chosen["coverage"]], [chosen["density"]], s=120, facecolors="none",
               edgecolors="#c62828", lw=1.5, zorder=3, label=f"box {box} (chosen)")
    bar = fig.colorbar(points, ax=ax, label="parameters restricted")
    bar.set_ticks(sorted(set(int(v) for v in trajectory["res_dim"])))
    ax.set_xlabel("coverage (share of the runs of interest inside the box)")
    ax.set_ylabel("density (share of the box's runs of interest)")
    ax.set_title(f"PRIM peeling trajectory for '{where}'", fontsize=9)
    fig.legend(loc="outside lower center", frameon=False, fontsize=8)
    figures["prim_trajectory"] = fig

    names = list(limits["parameter"])[:2]
    others = [c for c in x.columns if c not in names]
    names += others[: 2 - len(names)]
    if len(names) == 2:
        fig = Figure(figsize=(5.6, 4.6), layout="constrained")
        ax = fig.subplots()
        y = np.asarray(y)
        a, b = x[names[0]].to_numpy(), x[names[1]].to_numpy()
        ax.scatter(a[~y], b[~y], s=10, color="0.65", label="other runs")
        ax.scatter(a[y], b[y], s=12, color="#c62828", label="runs of interest")
        bounds = limits.set_index("parameter")
        lo = [bounds.loc[n, "low"] if n in bounds.index and bounds.loc[n, "low"] is not None
              and np.isfinite(bounds.loc[n, "low"]) else v.min() for n, v in zip(names, (a, b))]
        hi = [bounds.loc[n, "high"] if n in bounds.index and bounds.loc[n, "high"] is not None
              and np.isfinite(bounds.loc[n, "high"]) else v.max() for n, v in zip(names, (a, b))]
        ax.add_patch(Rectangle((lo[0], lo[1]), hi[0] - lo[0], hi[1] - lo[1], fill=False,
                               lw=1.8, color="k", label=f"box {box}"))
        labels = [PARAMETERS[n].label if n in PARAMETERS else n for n in names]
        ax.set_xlabel(labels[0])
        ax.set_ylabel(labels[1])
        limits_text = ("its two tightest limits" if len(limits) >= 2 else
                       "its one limit and another sampled parameter" if len(limits) == 1
                       else "two sampled parameters (it restricts none)")
        ax.set_title(f"runs with {where}\nand PRIM's box {box} over {limits_text}", fontsize=9)
        fig.legend(loc="outside lower center", ncols=3, frameon=False, fontsize=8)
        figures["prim_box"] = fig
    return figures
