"""One figure per pattern, drawn from what an analysis returns (never from models).

Every function takes a ``PatternResult`` (its ``frames``, data frames, and ``marks``, the months
and levels to label) and returns a matplotlib ``Figure`` built without pyplot, so that drawing
leaves the caller's backend alone; each pattern names its function (``Pattern.figure``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from trustnet.validation.analysis import PatternResult

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def _fig(ncols: int, width: float = 4.2, height: float = 3.4) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width * ncols, height), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)
    return fig, axes[0]


def _errorbar(ax: Any, x: Any, frame: pd.DataFrame, **kw: Any) -> None:
    y = frame["mean"].to_numpy()
    err = np.vstack([y - frame["ci_low"].to_numpy(), frame["ci_high"].to_numpy() - y])
    ax.errorbar(x, y, yerr=err, capsize=3, marker="o", **kw)


def _bands(ax: Any, frame: pd.DataFrame, by: str, title: str, ylabel: str,
           vline: float | None = None) -> None:
    for i, (name, part) in enumerate(frame.groupby(by, sort=False)):
        c = COLORS[i % len(COLORS)]
        ax.plot(part["step"], part["mean"], color=c, label=str(name), lw=1.5)
        ax.fill_between(part["step"], part["ci_low"], part["ci_high"], color=c, alpha=0.2, lw=0)
    if vline is not None:
        ax.axvline(vline, color="grey", ls=":", lw=1)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("month")
    ax.set_ylabel(ylabel)


def _bars(ax: Any, frame: pd.DataFrame, title: str, ylabel: str) -> None:
    x = np.arange(len(frame))
    y = frame["mean"].to_numpy()
    err = np.vstack([y - frame["ci_low"].to_numpy(), frame["ci_high"].to_numpy() - y])
    ax.bar(x, y, yerr=err, capsize=3, color=[COLORS[i % len(COLORS)] for i in x], alpha=0.8)
    ax.set_xticks(x, [str(a).replace(", ", ",\n") for a in frame["arm"]], fontsize=7)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)


def fig_p01(res: PatternResult) -> Any:
    frames = res.frames
    f = frames["by_ambition"]
    panels = [("end mean trust", "mean trust"), ("successes", "projects succeeded"),
              ("mean attendance", "attendance (run mean)")]
    fig, axes = _fig(len(panels))
    for ax, (outcome, ylabel) in zip(axes, panels, strict=True):
        part = f[f["outcome"] == outcome].sort_values("ambition")
        _errorbar(ax, part["ambition"], part, color=COLORS[0])
        ax.set_xlabel("ambition")
        ax.set_ylabel(ylabel)
        ax.set_title(f"{outcome} (mean, 95% CI)", fontsize=10)
    return fig


def fig_p02(res: PatternResult) -> Any:
    frames = res.frames
    fig, axes = _fig(2)
    _bands(axes[0], frames["trust_bands"], "group", "mean trust by early success",
           "mean trust")
    axes[0].legend(fontsize=8)
    pts = frames["points"]
    groups = list(dict.fromkeys(pts["group"]))
    data = [pts.loc[pts["group"] == g, "later_ambition"].dropna() for g in groups]
    axes[1].boxplot(data, tick_labels=groups)
    axes[1].set_title(f"ambition of projects started after month {res.marks['later_start']}",
                      fontsize=10)
    axes[1].set_ylabel("mean ambition per run")
    return fig


def fig_p03(res: PatternResult) -> Any:
    frames = res.frames
    pts = frames["points"]
    levels = sorted(pts["ambition"].unique())
    fig, axes = _fig(len(levels))
    for ax, lv in zip(axes, levels, strict=True):
        part = pts[pts["ambition"] == lv]
        ax.scatter(part["output"], part["mean_trust"], s=10, alpha=0.6, color=COLORS[0])
        ax.set_title(f"ambition {lv:g}: one point per replication", fontsize=10)
        ax.set_xlabel(f"output at month {res.marks['steps']}")
        ax.set_ylabel(f"mean trust at month {res.marks['steps']}")
    return fig


def fig_p04(res: PatternResult) -> Any:
    frames = res.frames
    b = frames["bands"]
    fig, axes = _fig(2, width=5)
    for ax, rep, ylabel in ((axes[0], "output", "cumulative output"),
                            (axes[1], "attendance", "attendance (latest meeting)")):
        _bands(ax, b[b["reporter"] == rep], "arm", ylabel, ylabel, vline=res.marks["withdrawal"])
    axes[0].legend(fontsize=7)
    return fig


def fig_p05(res: PatternResult) -> Any:
    frames = res.frames
    f = frames["by_takeover"]
    names = [o for o in dict.fromkeys(f["outcome"]) if "task share" not in o]
    fig, axes = _fig(len(names), width=3.4)
    for ax, name in zip(axes, names, strict=True):
        part = f[f["outcome"] == name].sort_values("takeover")
        _errorbar(ax, part["takeover"], part, color=COLORS[0])
        ax.set_xlabel("takeover")
        ax.set_title(name, fontsize=9)
    return fig


def _outcome_panels(frame: pd.DataFrame, names: list[str], width: float) -> Any:
    """One panel of bars per outcome of an arms table."""
    fig, axes = _fig(len(names), width=width)
    for ax, name in zip(axes, names, strict=True):
        _bars(ax, frame[frame["outcome"] == name], name, "")
    return fig


def fig_p06(res: PatternResult) -> Any:
    frames = res.frames
    f = frames["arms"]
    return _outcome_panels(f, list(dict.fromkeys(f["outcome"]))[:3], width=4)


def _arm_panels(bands: pd.DataFrame, panels: tuple, vline: float) -> Any:
    """One panel per (reporter, label): every arm's band over time, a line at ``vline``."""
    fig, axes = _fig(len(panels))
    for ax, (rep, label) in zip(axes, panels, strict=True):
        _bands(ax, bands[bands["reporter"] == rep], "arm", label, label, vline=vline)
    axes[0].legend(fontsize=8)
    return fig


def fig_p07(res: PatternResult) -> Any:
    return _arm_panels(res.frames["bands"], (
        ("output", "cumulative output"), ("mean_trust", "mean trust"),
        ("inclusion_gap", "inclusion gap")), res.marks["early"])


def fig_p08(res: PatternResult) -> Any:
    frames = res.frames
    s = frames["summary"]
    fig, axes = _fig(1, width=5.2, height=4)
    ax = axes[0]
    for i, r in s.reset_index(drop=True).iterrows():
        ax.errorbar(r["output"], r["trust"],
                    xerr=[[r["output"] - r["output_lo"]], [r["output_hi"] - r["output"]]],
                    yerr=[[r["trust"] - r["trust_lo"]], [r["trust_hi"] - r["trust"]]],
                    marker="o", capsize=3, color=COLORS[i % len(COLORS)],
                    label=f"{r['style']} (inclusion gap {r['gap']:.3f})")
    ax.set_xlabel(f"output at month {res.marks['steps']}")
    ax.set_ylabel(f"late mean trust (months {res.marks['late']}-{res.marks['steps']})")
    ax.set_title("styles: arm means with 95% CIs", fontsize=10)
    ax.legend(fontsize=8)
    return fig


def fig_p09(res: PatternResult) -> Any:
    frames = res.frames
    b = frames["bands"]
    arms = list(dict.fromkeys(b["arm"]))
    fig, axes = _fig(len(arms), width=4.6)
    for ax, arm in zip(axes, arms, strict=True):
        _bands(ax, b[b["arm"] == arm], "reporter", arm, "share of active pairs")
        ax.set_ylim(0, 1)
        ax.legend(fontsize=8)
    return fig


def fig_p10(res: PatternResult) -> Any:
    frames = res.frames
    f = frames["rates"]
    f = f[f["outcome"].str.startswith("success rate")]
    arms = list(dict.fromkeys(f["arm"]))
    fig, axes = _fig(1, width=6)
    ax = axes[0]
    width = 0.38
    for j, (kind, color) in enumerate((("needing primary care", COLORS[1]),
                                       ("other", COLORS[0]))):
        part = f[f["outcome"].str.contains(kind)].set_index("arm").reindex(arms)
        x = np.arange(len(arms)) + (j - 0.5) * width
        y = part["mean"].to_numpy()
        err = np.vstack([y - part["ci_low"].to_numpy(), part["ci_high"].to_numpy() - y])
        ax.bar(x, y, width, yerr=err, capsize=3, color=color, alpha=0.8,
               label=f"projects {kind}")
    ax.set_xticks(np.arange(len(arms)), arms, fontsize=8)
    ax.set_ylabel("success rate of ended projects")
    ax.legend(fontsize=8)
    return fig


def fig_p11(res: PatternResult) -> Any:
    frames = res.frames
    names = ["end output", "end mean trust", "success rate", "active members at the end"]
    return _outcome_panels(frames["arms"], names, width=3.6)


def fig_p13(res: PatternResult) -> Any:
    return _arm_panels(res.frames["bands"], (
        ("mean_trust", "mean trust"), ("earned_trust", "trust earned (without the shock)"),
        ("output", "cumulative output")), res.marks["shock"])


def fig_p12(res: PatternResult) -> Any:
    frames = res.frames
    b = frames["bands"]
    upto, low = res.marks["trust_months"], res.marks["low_progress"]
    panels = (("attendance", "attendance", upto), ("mean_trust", "mean trust", upto),
              ("mean_commitment", "mean commitment", upto),
              ("active_members", f"active members (ambition {low:g})", None))
    fig, axes = _fig(4, width=3.6)
    for ax, (rep, label, upto) in zip(axes, panels, strict=True):
        part = b[b["reporter"] == rep]
        if upto is not None:
            part = part[part["step"] <= upto]
        _bands(ax, part, "arm", label, label)
        ax.legend(fontsize=7)
    return fig
