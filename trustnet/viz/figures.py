"""Matplotlib figures of the page: the network view and the time plots.

The time plots take the model's data frame (one row per month), the network view takes a
:class:`NetworkSnapshot`; neither touches a model. Figures are built with
``matplotlib.figure.Figure`` (no pyplot), so that a server drawing for many sessions in
threads keeps no global figure state.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from trustnet.core.ties import LEVELS

LEVEL_NAMES = LEVELS[1:]  # the levels a tie can reach, without "none"
LEVEL_COLOURS = ("#9ecae1", "#3182bd", "#08306b")
LEVEL_WIDTHS = (0.6, 1.3, 2.4)
SECTOR_COLOURS = ("#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b")
# Member states the nodes can be coloured by, with the colour scale each is read on. Fixed
# scales keep a colour meaning the same from month to month.
NODE_STATES = {
    "commitment": ("viridis", Normalize(0.0, 1.0)),
    "disillusionment": ("magma_r", Normalize(0.0, 1.0)),
    "trust_in_network": ("viridis", Normalize(0.0, 1.0)),
    "volunteering": ("viridis", Normalize(0.0, 1.0)),
    "perceived_progress": ("RdBu", TwoSlopeNorm(0.0, -1.0, 1.0)),
}
COLOUR_BY = ("sector", *NODE_STATES)
MAX_DRAWN = 400  # above this many members only the plots are drawn, not the network


@dataclass(frozen=True)
class NetworkSnapshot:
    """What the network view shows of one month (arrays indexed by organisation)."""

    sector: np.ndarray
    sector_names: tuple[str, ...]
    capacity: np.ndarray
    active: np.ndarray
    attending: np.ndarray
    states: dict[str, np.ndarray]
    level: np.ndarray  # n x n, 0 none .. 3 collaboration
    coordinator: str  # "present", "vacant", "withdrawn" or "none"
    coordinator_style: str | None


@lru_cache(maxsize=32)
def network_layout(sectors: tuple[int, ...]) -> np.ndarray:
    """Node positions: members on a circle grouped by sector, the coordinator at the centre.

    The positions depend only on the members' sectors (fixed for a given n_orgs and seed), so
    the picture stays put from month to month and across a Reset with the same seed. A gap of
    one slot separates sectors. Returns an (n, 2) array.
    """
    order = sorted(range(len(sectors)), key=lambda i: (sectors[i], i))
    ring: list[object] = []
    for k, i in enumerate(order):
        if k and sectors[i] != sectors[order[k - 1]]:
            ring.append(("gap", k))
        ring.append(i)
    if len(ring) > 1 and sectors[order[0]] != sectors[order[-1]]:
        ring.append(("gap", "end"))
    graph = nx.Graph()
    graph.add_nodes_from(ring)
    pos = nx.circular_layout(graph)  # node order is insertion order: a deterministic ring
    xy = np.zeros((len(sectors), 2))
    for i in range(len(sectors)):
        xy[i] = pos[i]
    # start at the top and go clockwise, which reads more naturally than networkx's default
    rot = np.array([[0.0, 1.0], [-1.0, 0.0]])
    return xy @ rot.T


def network_figure(snap: NetworkSnapshot, colour_by: str = "sector", min_level: int = 1,
                   *, size: tuple[float, float] = (6.4, 6.2), dpi: int = 90) -> Figure:
    """The network: members as nodes, ties at or above ``min_level`` as edges."""
    fig = Figure(figsize=size, dpi=dpi, layout="constrained")
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    ax.axis("off")
    n = len(snap.sector)
    if n > MAX_DRAWN:
        ax.text(0.5, 0.5, f"{n} members: too many to draw here;\nthe plots still follow the run",
                ha="center", va="center", transform=ax.transAxes, fontsize=12)
        return fig
    xy = network_layout(tuple(int(s) for s in snap.sector))
    # edges: a pair's level is the higher of the two directions, between current members
    level = np.maximum(snap.level, snap.level.T)
    both = snap.active[:, None] & snap.active[None, :]
    iu, ju = np.triu_indices(n, k=1)
    handles = []
    for lv in range(max(1, min_level), len(LEVELS)):
        mask = (level[iu, ju] == lv) & both[iu, ju]
        count = int(mask.sum())
        if count:
            segs = np.stack([xy[iu[mask]], xy[ju[mask]]], axis=1)
            # fade lines as they multiply, so that a dense network stays readable
            alpha = min(0.8, max(0.15, 60.0 / count))
            ax.add_collection(LineCollection(segs, colors=LEVEL_COLOURS[lv - 1],
                                             linewidths=LEVEL_WIDTHS[lv - 1], alpha=alpha,
                                             zorder=lv))
        handles.append(Line2D([], [], color=LEVEL_COLOURS[lv - 1], lw=LEVEL_WIDTHS[lv - 1] + 0.6,
                              label=f"{LEVEL_NAMES[lv - 1]} ({count} pairs)"))
    # nodes: area by capacity, colour by sector or state; members who left are hollow grey
    cap = snap.capacity / max(float(snap.capacity.max()), 1e-12)
    shrink = min(1.0, 40.0 / max(n, 1)) ** 0.5
    sizes = (40 + 360 * cap) * shrink
    act = snap.active
    if colour_by == "sector":
        colours = np.array(SECTOR_COLOURS)[snap.sector % len(SECTOR_COLOURS)]
        ax.scatter(xy[act, 0], xy[act, 1], s=sizes[act], c=colours[act], edgecolors="white",
                   linewidths=0.8, zorder=5)
    else:
        cmap, norm = NODE_STATES[colour_by]
        points = ax.scatter(xy[act, 0], xy[act, 1], s=sizes[act], c=snap.states[colour_by][act],
                            cmap=cmap, norm=norm, edgecolors="black", linewidths=0.5, zorder=5)
        bar = fig.colorbar(points, ax=ax, shrink=0.6, pad=0.01)
        bar.set_label(colour_by.replace("_", " "))
    if (~act).any():
        ax.scatter(xy[~act, 0], xy[~act, 1], s=sizes[~act], facecolors="none",
                   edgecolors="#999999", linewidths=0.8, linestyle=":", zorder=5)
        handles.append(Line2D([], [], marker="o", ls="", mfc="none", mec="#999999",
                              label=f"left the network ({int((~act).sum())})"))
    # sector names outside their arc, aligned away from the circle
    for s, name in enumerate(snap.sector_names):
        members = snap.sector == s
        if members.any():
            centre = xy[members].mean(axis=0)
            norm_c = np.hypot(*centre)
            if norm_c > 1e-9:
                x, y = centre / norm_c * 1.13
                ha = "left" if x > 0.35 else "right" if x < -0.35 else "center"
                va = "bottom" if y > 0.35 else "top" if y < -0.35 else "center"
                ax.text(x, y, name.replace("_", "\n"), ha=ha, va=va, fontsize=10,
                        linespacing=1.0,
                        color=SECTOR_COLOURS[s % len(SECTOR_COLOURS)]
                        if colour_by == "sector" else "#444444", fontweight="bold")
    # the coordinator, at the centre
    if snap.coordinator == "present":
        ax.scatter([0], [0], marker="H", s=700, c="#222222", zorder=6)
        text = f"coordinator\n{snap.coordinator_style or ''}"
        ax.text(0, -0.13, text, ha="center", va="top", fontsize=9, zorder=7,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
    else:
        ax.scatter([0], [0], marker="H", s=700, facecolors="none", edgecolors="#777777",
                   linewidths=1.5, linestyle="--", zorder=6)
        text = {"vacant": "coordinator\npost vacant", "withdrawn": "coordinator\nwithdrawn",
                "none": "no coordinator\n(shared governance)"}[snap.coordinator]
        ax.text(0, -0.13, text, ha="center", va="top", fontsize=9, color="#555555", zorder=7,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.3, 1.3)
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=9,
                   frameon=False)
    return fig


def _time_axis(df: pd.DataFrame) -> np.ndarray:
    return np.arange(len(df))


def _new(title: str, size: tuple[float, float], dpi: int) -> tuple[Figure, matplotlib.axes.Axes]:
    fig = Figure(figsize=size, dpi=dpi, layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=11, loc="left")
    ax.set_xlabel("month")
    ax.grid(alpha=0.3)
    ax.tick_params(labelsize=8)
    return fig, ax


def _xlim(ax, t: np.ndarray) -> None:
    ax.set_xlim(0, max(12, int(t[-1]) if len(t) else 12))


def _legend(fig: Figure, lines: list | None = None) -> None:
    """One legend under the plot, so that it never hides the lines."""
    if lines is None:
        fig.legend(loc="outside lower center", ncol=2, fontsize=8, frameon=False)
    else:
        fig.legend(lines, [line.get_label() for line in lines], loc="outside lower center",
                   ncol=2, fontsize=8, frameon=False)


def _top(values: pd.Series, least: float = 1.0) -> float:
    peak = float(np.nanmax(values.to_numpy(float))) if len(values) else 0.0
    return max(least, 1.1 * peak)


def trust_figure(df: pd.DataFrame, *, size=(5.4, 3.7), dpi=90) -> Figure:
    """Mean trust over the shares of member pairs at each integration level."""
    fig, ax = _new("Trust and integration levels", size, dpi)
    t = _time_axis(df)
    shares = [df[f"share_{name}"].to_numpy(float) for name in LEVEL_NAMES]
    ax.stackplot(t, *shares, colors=LEVEL_COLOURS, alpha=0.55,
                 labels=[f"pairs at {name}" for name in LEVEL_NAMES])
    ax.plot(t, df["mean_trust"].to_numpy(float), color="black", lw=2, label="mean trust")
    ax.set_ylim(0, 1)
    ax.set_ylabel("share / trust")
    _xlim(ax, t)
    _legend(fig)
    return fig


def projects_figure(df: pd.DataFrame, *, size=(5.4, 3.7), dpi=90) -> Figure:
    """Projects active, succeeded and failed, with the network's output."""
    fig, ax = _new("Projects and output", size, dpi)
    t = _time_axis(df)
    ax.plot(t, df["projects_active"], color="#1f77b4", label="active")
    ax.plot(t, df["projects_succeeded"], color="#2ca02c", label="succeeded")
    ax.plot(t, df["projects_failed"], color="#d62728", label="failed")
    ax.set_ylabel("projects")
    counts = df[["projects_active", "projects_succeeded", "projects_failed"]]
    ax.set_ylim(0, _top(counts.max(axis=1)))
    _xlim(ax, t)
    ax2 = ax.twinx()
    ax2.plot(t, df["output"], color="#7f7f7f", ls="--", label="output")
    ax2.set_ylabel("output", color="#555555")
    ax2.set_ylim(0, _top(df["output"]))
    ax2.tick_params(labelsize=8)
    _legend(fig, ax.get_lines() + ax2.get_lines())
    return fig


def role_figure(df: pd.DataFrame, *, size=(5.4, 3.7), dpi=90) -> Figure:
    """The coordinator's share of task effort against members' commitment and volunteering."""
    fig, ax = _new("Role drift: who does the work", size, dpi)
    t = _time_axis(df)
    ax.plot(t, df["coordinator_task_share"], color="#222222", lw=2,
            label="coordinator's task share")
    ax.plot(t, df["mean_commitment"], color="#2ca02c", label="members' commitment")
    ax.plot(t, df["volunteering"], color="#ff7f0e", label="members' volunteering")
    directive = df["coordinator_style_directive"].to_numpy(float) > 0
    if directive.any():
        ax.plot(t[directive], np.full(directive.sum(), 0.015), "|", color="#9467bd", ms=8,
                label="directive month")
    ax.set_ylim(0, 1)
    ax.set_ylabel("share")
    _xlim(ax, t)
    _legend(fig)
    return fig


def strain_figure(df: pd.DataFrame, *, size=(5.4, 3.7), dpi=90) -> Figure:
    """Disillusionment of members and coordinator, coordinator strain, exits and vacancies."""
    fig, ax = _new("Disillusionment and coordinator strain", size, dpi)
    t = _time_axis(df)
    present = df["coordinator_present"].to_numpy(float) > 0
    if present.any() and not present.all():
        ax.fill_between(t, 0, 1, where=~present, color="#dddddd", step="mid",
                        label="no coordinator")
    ax.plot(t, df["mean_disillusionment"], color="#8c564b", label="members' disillusionment")
    ax.plot(t, df["coordinator_disillusionment"], color="#d62728",
            label="coordinator's disillusionment")
    ax.plot(t, df["coordinator_strain"], color="#ff7f0e", ls="--", label="coordinator's strain")
    exits = np.flatnonzero(np.diff(df["coordinator_exits"].to_numpy(float)) > 0) + 1
    for k, step in enumerate(exits):
        ax.axvline(step, color="black", lw=1, ls=":",
                   label="coordinator left" if k == 0 else None)
    ax.set_ylim(0, 1)
    ax.set_ylabel("level")
    _xlim(ax, t)
    _legend(fig)
    return fig


TIME_FIGURES = {
    "trust": trust_figure,
    "projects": projects_figure,
    "role": role_figure,
    "strain": strain_figure,
}
