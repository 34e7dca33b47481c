"""Matplotlib figures of the page: the network view and the time plots.

The time plots take the model's data frame (one row per month), the network view takes a
:class:`NetworkSnapshot`; neither touches a model. Figures are built with
``matplotlib.figure.Figure`` (no pyplot), so that a server drawing for many sessions in
threads keeps no global figure state.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from PIL import Image

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
DPI = 90
NETWORK_SIZE = (6.4, 6.2)  # inches
TIME_SIZE = (5.4, 3.7)
PALETTE_COLOURS = 256  # of a live picture


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


def _network_frame(fig: Figure, key: tuple) -> tuple:
    """What stays put from month to month: the ring's sector names, the legend, a colour bar."""
    sectors, sector_names, colour_by, min_level = key
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.3, 1.3)
    n = len(sectors)
    if n > MAX_DRAWN:
        ax.text(0.5, 0.5, f"{n} members: too many to draw here;\nthe plots still follow the run",
                ha="center", va="center", transform=ax.transAxes, fontsize=12)
        return (ax,)
    xy = network_layout(sectors)
    sector = np.asarray(sectors, dtype=int)
    for s, name in enumerate(sector_names):  # outside their arc, aligned away from the circle
        members = sector == s
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
    if colour_by != "sector":
        cmap, norm = NODE_STATES[colour_by]
        bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, pad=0.01)
        bar.set_label(colour_by.replace("_", " "))
    handles = [Line2D([], [], color=LEVEL_COLOURS[lv - 1], lw=LEVEL_WIDTHS[lv - 1] + 0.6,
                      label=f"{LEVEL_NAMES[lv - 1]} tie")
               for lv in range(max(1, min_level), len(LEVELS))]
    handles.append(Line2D([], [], marker="o", ls="", mfc="none", mec="#999999",
                          label="left the network"))
    fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=9, frameon=False)
    return (ax,)


def _pairs_by_level(snap: NetworkSnapshot, min_level: int) -> dict[int, tuple]:
    """{level: (i, j)} of the pairs of current members drawn at each level from ``min_level``;
    a pair's level is the higher of its two directions."""
    n = len(snap.sector)
    level = np.maximum(snap.level, snap.level.T)
    both = snap.active[:, None] & snap.active[None, :]
    iu, ju = np.triu_indices(n, k=1)
    out = {}
    for lv in range(max(1, min_level), len(LEVELS)):
        mask = (level[iu, ju] == lv) & both[iu, ju]
        out[lv] = (iu[mask], ju[mask])
    return out


def pair_counts(snap: NetworkSnapshot, min_level: int = 1) -> dict[str, int]:
    """{level name: pairs of current members at it} for the levels drawn (shown beside the
    picture: text drawn into it each month would cost more than the rest of the picture)."""
    if len(snap.sector) > MAX_DRAWN:
        return {}
    return {LEVEL_NAMES[lv - 1]: len(i) for lv, (i, _) in
            _pairs_by_level(snap, min_level).items()}


def _network_data(axes: tuple, snap: NetworkSnapshot, colour_by: str, min_level: int) -> list:
    """This month's ties, members and coordinator, added to the frame's axes."""
    (ax,) = axes
    n = len(snap.sector)
    if n > MAX_DRAWN:
        return []
    artists: list = []
    xy = network_layout(tuple(int(s) for s in snap.sector))
    for lv, (iu, ju) in _pairs_by_level(snap, min_level).items():
        count = len(iu)
        if count:
            segs = np.stack([xy[iu], xy[ju]], axis=1)
            # fade lines as they multiply, so that a dense network stays readable
            alpha = min(0.8, max(0.15, 60.0 / count))
            artists.append(ax.add_collection(LineCollection(
                segs, colors=LEVEL_COLOURS[lv - 1], linewidths=LEVEL_WIDTHS[lv - 1],
                alpha=alpha, zorder=lv), autolim=False))
    # nodes: area by capacity, colour by sector or state; members who left are hollow grey
    cap = snap.capacity / max(float(snap.capacity.max()), 1e-12)
    shrink = min(1.0, 40.0 / max(n, 1)) ** 0.5
    sizes = (40 + 360 * cap) * shrink
    act = snap.active
    if colour_by == "sector":
        colours = np.array(SECTOR_COLOURS)[snap.sector % len(SECTOR_COLOURS)]
        artists.append(ax.scatter(xy[act, 0], xy[act, 1], s=sizes[act], c=colours[act],
                                  edgecolors="white", linewidths=0.8, zorder=5))
    else:
        cmap, norm = NODE_STATES[colour_by]
        artists.append(ax.scatter(xy[act, 0], xy[act, 1], s=sizes[act],
                                  c=snap.states[colour_by][act], cmap=cmap, norm=norm,
                                  edgecolors="black", linewidths=0.5, zorder=5))
    if (~act).any():
        artists.append(ax.scatter(xy[~act, 0], xy[~act, 1], s=sizes[~act], facecolors="none",
                                  edgecolors="#999999", linewidths=0.8, linestyle=":",
                                  zorder=5))
    # the coordinator, at the centre
    box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1}
    if snap.coordinator == "present":
        artists.append(ax.scatter([0], [0], marker="H", s=700, c="#222222", zorder=6))
        artists.append(ax.text(0, -0.13, f"coordinator\n{snap.coordinator_style or ''}",
                               ha="center", va="top", fontsize=9, zorder=7, bbox=box))
    else:
        artists.append(ax.scatter([0], [0], marker="H", s=700, facecolors="none",
                                  edgecolors="#777777", linewidths=1.5, linestyle="--",
                                  zorder=6))
        text = {"vacant": "coordinator\npost vacant", "withdrawn": "coordinator\nwithdrawn",
                "none": "no coordinator\n(shared governance)"}[snap.coordinator]
        artists.append(ax.text(0, -0.13, text, ha="center", va="top", fontsize=9,
                               color="#555555", zorder=7, bbox=box))
    return artists


def network_key(snap: NetworkSnapshot, colour_by: str, min_level: int) -> tuple:
    """What the network's frame depends on: a new frame is drawn only when this changes."""
    return (tuple(int(s) for s in snap.sector), tuple(snap.sector_names), colour_by,
            int(min_level))


def network_digest(snap: NetworkSnapshot, colour_by: str, min_level: int) -> bytes:
    """A digest of everything the network's data depend on: ties change mostly at meetings,
    so most months draw the same picture and need not draw it again."""
    h = hashlib.blake2b(digest_size=16)
    h.update(np.ascontiguousarray(snap.level).tobytes())
    for a in (snap.active, snap.capacity, snap.sector):
        h.update(np.ascontiguousarray(a).tobytes())
    if colour_by != "sector":
        h.update(np.ascontiguousarray(snap.states[colour_by]).tobytes())
    h.update(f"{snap.coordinator}|{snap.coordinator_style}|{colour_by}|{min_level}".encode())
    return h.digest()


def network_figure(snap: NetworkSnapshot, colour_by: str = "sector", min_level: int = 1,
                   *, size: tuple[float, float] = NETWORK_SIZE, dpi: int = DPI) -> Figure:
    """The network: members as nodes, ties at or above ``min_level`` as edges."""
    fig = Figure(figsize=size, dpi=dpi, layout="constrained")
    axes = _network_frame(fig, network_key(snap, colour_by, min_level))
    _network_data(axes, snap, colour_by, min_level)
    counts = pair_counts(snap, min_level)
    if counts:
        axes[0].set_title("pairs: " + " · ".join(f"{k} {v}" for k, v in counts.items()),
                          fontsize=9, loc="left", color="#444444")
    return fig


# --- time plots: a frame (axes, labels, legend) and the data drawn into it ------------------

def horizon(df: pd.DataFrame) -> int:
    """The time axis's end: the next full year, at least two years, so it moves seldom."""
    months = len(df) - 1
    return max(24, -(-months // 12) * 12)


def nice_top(peak: float, least: float = 1.0) -> float:
    """An upper limit of 1, 2, 2.5 or 5 times a power of ten above 1.1 x ``peak``."""
    target = max(least, 1.1 * peak)
    power = 10.0 ** math.floor(math.log10(target))
    return next(k * power for k in (1, 2, 2.5, 5, 10) if k * power >= target - 1e-12)


def _peak(df: pd.DataFrame, columns: list[str]) -> float:
    values = df[columns].to_numpy(float)
    return float(np.nanmax(values)) if values.size and np.isfinite(values).any() else 0.0


def _axes(fig: Figure, title: str, xmax: int, ylabel: str, top: float = 1.0):
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=11, loc="left")
    ax.set_xlabel("month")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.tick_params(labelsize=8)
    ax.set_xlim(0, xmax)
    ax.set_ylim(0, top)
    return ax


def _legend(fig: Figure, handles: list) -> None:
    """One legend under the plot, so that it never hides the lines."""
    fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=8, frameon=False)


def _line(colour: str, label: str, **style) -> Line2D:
    return Line2D([], [], color=colour, label=label, **style)


TRUST_LINE = {"color": "black", "lw": 2}


def _trust_frame(fig: Figure, key: tuple) -> tuple:
    ax = _axes(fig, "Trust and integration levels", key[0], "share / trust")
    handles = [Patch(color=c, alpha=0.55, label=f"pairs at {name}")
               for c, name in zip(LEVEL_COLOURS, LEVEL_NAMES, strict=True)]
    _legend(fig, [*handles, _line(label="mean trust", colour="black", lw=2)])
    return (ax,)


def _trust_data(axes: tuple, df: pd.DataFrame) -> list:
    (ax,) = axes
    t = np.arange(len(df))
    shares = [df[f"share_{name}"].to_numpy(float) for name in LEVEL_NAMES]
    artists = list(ax.stackplot(t, *shares, colors=LEVEL_COLOURS, alpha=0.55))
    artists += ax.plot(t, df["mean_trust"].to_numpy(float), **TRUST_LINE)
    return artists


PROJECT_LINES = (("projects_active", "#1f77b4", "active"),
                 ("projects_succeeded", "#2ca02c", "succeeded"),
                 ("projects_failed", "#d62728", "failed"))
OUTPUT_LINE = {"color": "#7f7f7f", "ls": "--"}


def _projects_key(df: pd.DataFrame) -> tuple:
    return (horizon(df), nice_top(_peak(df, [c for c, _, _ in PROJECT_LINES])),
            nice_top(_peak(df, ["output"])))


def _projects_frame(fig: Figure, key: tuple) -> tuple:
    xmax, top, output_top = key
    ax = _axes(fig, "Projects and output", xmax, "projects", top)
    ax2 = ax.twinx()
    ax2.set_ylabel("output", color="#555555")
    ax2.set_ylim(0, output_top)
    ax2.tick_params(labelsize=8)
    _legend(fig, [*(_line(c, label) for _, c, label in PROJECT_LINES),
                  _line(label="output", colour=OUTPUT_LINE["color"], ls="--")])
    return ax, ax2


def _projects_data(axes: tuple, df: pd.DataFrame) -> list:
    ax, ax2 = axes
    t = np.arange(len(df))
    artists = []
    for column, colour, _ in PROJECT_LINES:
        artists += ax.plot(t, df[column].to_numpy(float), color=colour)
    artists += ax2.plot(t, df["output"].to_numpy(float), **OUTPUT_LINE)
    return artists


ROLE_LINES = (("coordinator_task_share", "#222222", "coordinator's task share", 2.0),
              ("mean_commitment", "#2ca02c", "members' commitment", 1.5),
              ("volunteering", "#ff7f0e", "members' volunteering", 1.5))
DIRECTIVE_MARK = {"marker": "|", "ls": "", "color": "#9467bd", "ms": 8}


def _role_frame(fig: Figure, key: tuple) -> tuple:
    ax = _axes(fig, "Role drift: who does the work", key[0], "share")
    _legend(fig, [*(_line(c, label, lw=w) for _, c, label, w in ROLE_LINES),
                  Line2D([], [], label="directive month", **DIRECTIVE_MARK)])
    return (ax,)


def _role_data(axes: tuple, df: pd.DataFrame) -> list:
    (ax,) = axes
    t = np.arange(len(df))
    artists = []
    for column, colour, _, width in ROLE_LINES:
        artists += ax.plot(t, df[column].to_numpy(float), color=colour, lw=width)
    directive = df["coordinator_style_directive"].to_numpy(float) > 0
    if directive.any():
        artists += ax.plot(t[directive], np.full(int(directive.sum()), 0.015), **DIRECTIVE_MARK)
    return artists


STRAIN_LINES = (("mean_disillusionment", "#8c564b", "members' disillusionment", "-"),
                ("coordinator_disillusionment", "#d62728", "coordinator's disillusionment", "-"),
                ("coordinator_strain", "#ff7f0e", "coordinator's strain", "--"))
ABSENT_COLOUR = "#dddddd"


def _strain_frame(fig: Figure, key: tuple) -> tuple:
    ax = _axes(fig, "Disillusionment and coordinator strain", key[0], "level")
    _legend(fig, [*(_line(c, label, ls=ls) for _, c, label, ls in STRAIN_LINES),
                  Patch(color=ABSENT_COLOUR, label="no coordinator"),
                  _line("black", "coordinator left", lw=1, ls=":")])
    return (ax,)


def _strain_data(axes: tuple, df: pd.DataFrame) -> list:
    (ax,) = axes
    t = np.arange(len(df))
    artists = []
    present = df["coordinator_present"].to_numpy(float) > 0
    if present.any() and not present.all():
        artists.append(ax.fill_between(t, 0, 1, where=~present, color=ABSENT_COLOUR,
                                       step="mid", zorder=0.5))
    for column, colour, _, ls in STRAIN_LINES:
        artists += ax.plot(t, df[column].to_numpy(float), color=colour, ls=ls)
    exits = np.flatnonzero(np.diff(df["coordinator_exits"].to_numpy(float)) > 0) + 1
    for step in exits:
        artists.append(ax.axvline(step, color="black", lw=1, ls=":"))
    return artists


EVENT_COLOUR = "#6a3d9a"


def _marks(axes: tuple, months: tuple[int, ...]) -> None:
    """The scheduled events' months, as thin lines with their month on top (part of the frame)."""
    ax = axes[0]
    for month in months:
        if month <= ax.get_xlim()[1]:
            ax.axvline(month, color=EVENT_COLOUR, lw=0.8, ls=(0, (4, 3)), alpha=0.8, zorder=0.4)
            ax.text(month, 1.0, f" {month}", transform=ax.get_xaxis_transform(), fontsize=7,
                    color=EVENT_COLOUR, ha="left", va="bottom")


@dataclass(frozen=True)
class TimePlotSpec:
    """A time plot as its frame (redrawn only when ``key`` changes) and its data."""

    frame: Callable[[Figure, tuple], tuple]
    data: Callable[[tuple, pd.DataFrame], list]
    key: Callable[[pd.DataFrame], tuple] = lambda df: (horizon(df),)

    def framed(self, fig: Figure, key: tuple) -> tuple:
        """The frame of ``(self.key(df), event_months)``, with the events marked."""
        axes = self.frame(fig, key[0])
        _marks(axes, key[1])
        return axes

    def figure(self, df: pd.DataFrame, events: tuple[int, ...] = (), *,
               size: tuple[float, float] = TIME_SIZE, dpi: int = DPI) -> Figure:
        """The whole figure; ``events`` are months marked as scheduled events."""
        fig = Figure(figsize=size, dpi=dpi, layout="constrained")
        self.data(self.framed(fig, (self.key(df), tuple(events))), df)
        return fig


TIME_PLOTS = {
    "trust": TimePlotSpec(_trust_frame, _trust_data),
    "projects": TimePlotSpec(_projects_frame, _projects_data, _projects_key),
    "role": TimePlotSpec(_role_frame, _role_data),
    "strain": TimePlotSpec(_strain_frame, _strain_data),
}
TIME_FIGURES = {name: spec.figure for name, spec in TIME_PLOTS.items()}


def png(fig: Figure) -> bytes:
    """A whole figure as PNG (for a first picture or a download; the page uses LiveFigure)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


class LiveFigure:
    """A figure that follows a run by blitting.

    The frame (axes, ticks, labels, legend: most of the cost of drawing) is drawn once and
    kept as a bitmap; each month restores it and draws only the data, then encodes the result
    as a 256-colour PNG with fast compression. A new frame is drawn only when its key changes
    (the time axis reaching a new year, a plot's upper limit a new step). The pictures are
    those of the figure functions above but for the palette and the order of overlapping
    data; text that changes monthly belongs beside the picture, since laying it out costs
    more than all the data.
    """

    def __init__(self, frame: Callable[[Figure, tuple], tuple],
                 size: tuple[float, float], dpi: int = DPI) -> None:
        self._frame, self._size, self._dpi = frame, size, dpi
        self._key: tuple | None = None
        self._content: bytes | None = None
        self._last = b""
        self.frames_drawn = 0

    def png(self, key: tuple, data: Callable[[tuple], list], content: bytes | None = None
            ) -> bytes:
        """The picture with ``data(axes)``'s artists drawn into the frame of ``key``.

        ``content``, a digest of what the data depend on, lets a month in which nothing
        drawn has changed return the last picture without drawing it again.
        """
        if content is not None and key == self._key and content == self._content:
            return self._last
        self._content = content
        if key != self._key:
            fig = Figure(figsize=self._size, dpi=self._dpi, layout="constrained")
            canvas = FigureCanvasAgg(fig)
            self._axes = self._frame(fig, key)
            canvas.draw()
            fig.set_layout_engine("none")  # the frame's layout is fixed from here on
            self._background = canvas.copy_from_bbox(fig.bbox)
            self._fig, self._key = fig, key
            self.frames_drawn += 1
        else:
            self._fig.canvas.restore_region(self._background)
        artists = data(self._axes)
        try:
            for artist in sorted(artists, key=lambda a: a.get_zorder()):
                artist.axes.draw_artist(artist)
            canvas = self._fig.canvas
            width, height = canvas.get_width_height(physical=True)
            image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw",
                                     "RGBA", 0, 1).convert("RGB")
            # 256 colours look the same here and make a network's picture a third the size
            image = image.quantize(PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE)
            buffer = io.BytesIO()
            image.save(buffer, format="png", compress_level=1)
        finally:
            for artist in artists:
                artist.remove()
        self._last = buffer.getvalue()
        return self._last


def live_time_plot(which: str, *, size: tuple[float, float] = TIME_SIZE,
                   dpi: int = DPI) -> Callable[..., bytes]:
    """A function from a run's data frame (and event months) to time plot ``which``, blitted."""
    spec = TIME_PLOTS[which]
    live = LiveFigure(spec.framed, size, dpi)

    def draw(df: pd.DataFrame, events: tuple[int, ...] = ()) -> bytes:
        return live.png((spec.key(df), tuple(events)), lambda axes: spec.data(axes, df))

    draw.live = live
    return draw


def live_network(*, size: tuple[float, float] = NETWORK_SIZE,
                 dpi: int = DPI) -> Callable[[NetworkSnapshot, str, int], bytes]:
    """A function from a month's snapshot to the network's picture, blitted."""
    live = LiveFigure(_network_frame, size, dpi)

    def draw(snap: NetworkSnapshot, colour_by: str = "sector", min_level: int = 1) -> bytes:
        return live.png(network_key(snap, colour_by, min_level),
                        lambda axes: _network_data(axes, snap, colour_by, min_level),
                        network_digest(snap, colour_by, min_level))

    draw.live = live
    return draw
