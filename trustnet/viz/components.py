"""Solara components of the main area: status, network, time plots, members and given ties.

They read a model only through :mod:`trustnet.viz.snapshot` and the setup's tables and hand
the result to :mod:`trustnet.viz.figures`. Each picture is redrawn only when the model steps or
is replaced (Mesa's ``update_counter``, the model's identity) or a view option changes, and
then by blitting (:class:`~trustnet.viz.figures.LiveFigure`): the axes and legends are drawn
once, the data each month.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import solara
from mesa.visualization.utils import update_counter

from trustnet.core.parameters import PARAMETERS
from trustnet.viz import setup as su
from trustnet.viz.figures import (
    COLOUR_BY,
    LEVEL_NAMES,
    live_network,
    live_time_plot,
    pair_counts,
)
from trustnet.viz.snapshot import coordinator_state, series, snapshot

# View options (not model parameters), kept per browser session and across a Reset.
colour_by = solara.reactive("sector")
min_level = solara.reactive(LEVEL_NAMES[1])  # all cooperation ties are a hairball

GOVERNANCE_NAMES = {
    "nao": "network administrative organisation (NAO)",
    "lead": "lead organisation",
    "shared": "shared participant governance",
}


def status(model: Any, df: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, value) pairs of the status panel."""
    coordinator = model.coordinator
    state = coordinator_state(model)
    params = model.params
    mode = GOVERNANCE_NAMES.get(model.governance, model.governance)
    mode += ", mandated" if params.get("mandated") else ", voluntary"
    if state == "present":
        who = f"present ({int(coordinator.tenure)} months in post)"
    elif state == "none":
        who = "none under shared governance"
    else:
        who = state
    if coordinator.exits:
        who += f"; {int(coordinator.exits)} left so far"
    if state == "none":
        style = "no coordinator"
    else:
        style = str(coordinator.style)
        now = coordinator.current_style
        if coordinator.style == "adaptive":
            directive = df["coordinator_style_directive"].to_numpy(float) > 0
            switches = int(np.count_nonzero(np.diff(directive.astype(int)) != 0))
            style += f": now {now or 'absent'}, {switches} switches, directive in " \
                     f"{int(directive.sum())} of {len(df) - 1} months"
        elif now is None:
            style += " (post empty)"
    month = len(df) - 1
    active = np.asarray(model.orgs.active, dtype=bool)
    return [
        ("month", str(month)),
        ("members", f"{int(active.sum())} of {active.size} active"),
        ("governance", mode),
        ("coordinator", who),
        ("style", style),
        ("integration level", str(model.integration_level)),
    ]


@dataclass(frozen=True)
class Month:
    """Everything the main area shows of one month, read from the model at once.

    Read under the session's lock: a Play steps the model in its own thread while a click can
    make the page render in another, and a half-stepped model has columns of unequal length.
    """

    stamp: tuple[int, int]  # (Mesa's update counter, the model's identity): what memos follow
    df: pd.DataFrame
    snap: Any
    status: list[tuple[str, str]]
    members: pd.DataFrame
    given: pd.DataFrame
    n: int


def read_month(model: Any, stamp: tuple[int, int]) -> Month:
    df = series(model)
    given = model.given_tie_state()
    if not given.empty:
        given = given.assign(given_trust=model.given_ties.trust.astype(float))
        given = given[["source", "target", "given_trust", "trust", "strength"]]
        given.columns = ["from", "to", "given trust", "trust now", "strength now"]
    return Month(stamp=stamp, df=df, snap=snapshot(model), status=status(model, df),
                 members=su.members_frame(model), given=given, n=int(model.orgs.n))


@solara.component
def StatusPanel(items: list[tuple[str, str]]):
    """Month, governance mode, coordinator presence and style, integration level."""
    boxes = "".join(
        f'<div class="tn-stat"><div class="tn-label">{label}</div>'
        f'<div class="tn-value">{value}</div></div>'
        for label, value in items
    )
    solara.Style("""
        .tn-status { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 8px; }
        .tn-stat { border: 1px solid #ddd; border-radius: 6px; padding: 4px 10px; }
        .tn-label { font-size: 11px; color: #777; text-transform: uppercase; }
        .tn-value { font-size: 15px; font-weight: 600; }
    """)
    solara.HTML(tag="div", unsafe_innerHTML=boxes, classes=["tn-status"])


@solara.component
def NetworkView(month: Month):
    """The network with its view options (colour of nodes, lowest tie level drawn)."""
    colour, level = colour_by.value, min_level.value
    draw = solara.use_memo(live_network, [])
    with solara.Row(style={"gap": "12px", "align-items": "center"}):
        solara.Select("colour members by", values=list(COLOUR_BY), value=colour_by)
        solara.Select("draw ties from", values=list(LEVEL_NAMES), value=min_level)
    lowest = LEVEL_NAMES.index(level) + 1
    snap = month.snap
    image = solara.use_memo(lambda: draw(snap, colour, lowest),
                            dependencies=[month.stamp, colour, level])
    solara.Image(image, width="100%", classes=["tn-figure", "tn-network"])
    counts = " · ".join(f"{name} {count}" for name, count in pair_counts(snap, lowest).items())
    gone = int((~snap.active).sum())
    if counts:
        solara.Text(f"pairs of members: {counts}" + (f"; {gone} left" if gone else ""),
                    style={"font-size": "13px", "color": "#444"}, classes=["tn-pairs"])


@solara.component
def TimePlot(month: Month, which: str, events: tuple[int, ...]):
    """One of the time plots (see ``figures.TIME_PLOTS``), the events' months marked."""
    draw = solara.use_memo(lambda: live_time_plot(which), [which])
    df = month.df
    image = solara.use_memo(lambda: draw(df, events),
                            dependencies=[month.stamp, which, events])
    solara.Image(image, width="100%", classes=["tn-figure", f"tn-plot-{which}"])


def _table(frame: pd.DataFrame, classes: str) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(f'{v:.2f}' if isinstance(v, float) else str(v))}"
                         "</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False))
    return f'<table class="{classes}"><tr>{head}</tr>{rows}</table>'


MAX_MEMBER_ROWS = 60  # a generated network of hundreds is summarised by sector instead


@solara.component
def MembersView(month: Month, setup: Any):
    """Who the members are (the roster's names) and the ties the scenario gave, with trust now."""
    members = month.members
    if len(members) > MAX_MEMBER_ROWS:
        by = members.groupby("sector", sort=False)
        members = pd.DataFrame({"members": by["status"].apply(lambda s: int((s == "member").sum())),
                                "left": by["status"].apply(lambda s: int((s == "left").sum())),
                                "commitment": by["commitment"].mean(),
                                "disillusionment": by["disillusionment"].mean()}
                               ).reset_index()
        title = f"Members by sector ({month.n} generated)"
    else:
        named = "from the roster" if setup.members is not None else "generated"
        title = f"Members ({len(members)}, {named})"
    solara.Style("""
        .tn-table { border-collapse: collapse; font-size: 12px; width: 100%; }
        .tn-table th { text-align: left; color: #555; border-bottom: 1px solid #ccc; }
        .tn-table td { padding: 1px 6px 1px 0; border-bottom: 1px solid #eee; }
    """)
    with solara.Columns([1, 1]):
        with solara.Card(title, margin=0, classes=["tn-members"]):
            solara.HTML(tag="div", unsafe_innerHTML=_table(members, "tn-table"))
        with solara.Card("Given ties", margin=0, classes=["tn-ties"]):
            if month.given.empty:
                solara.Text("none given: all ties start from the prior (initial_trust)",
                            style={"color": "#777", "font-size": "13px"})
            else:
                solara.HTML(tag="div", unsafe_innerHTML=_table(month.given, "tn-table"))


@solara.component
def RunParameters(setup: Any):
    """What this run changed from its scenario, and its events."""
    changed = [f"{PARAMETERS[n].label} **{setup.params[n]}**" for n in setup.changed]
    events = [su.event_text(e) for e in setup.events]
    text = f"Seed **{setup.seed}**"
    text += " · changed: " + ", ".join(changed) if changed else " · the scenario's parameters"
    if events:
        text += " · events: " + "; ".join(events)
    solara.Markdown(text, style={"font-size": "12px"})


@solara.component
def Dashboard(model: solara.Reactive, built: solara.Reactive, lock: Any, drawn: Any):
    """The main area: status, the network beside the time plots, members and given ties.

    The only component that follows Mesa's update counter: the month is read once (under
    ``lock``) and handed down; ``drawn`` is set when it is on the page, so that Play waits
    for each month to be shown before it steps the next.
    """
    counter = update_counter.get()
    m = model.value
    stamp = (counter, id(m))

    def read() -> Month:
        with lock:
            return read_month(m, stamp)

    month = solara.use_memo(read, dependencies=[stamp])
    setup = built.value
    months = tuple(sorted({int(e["month"]) for e in setup.events}))
    solara.use_effect(drawn.set, [stamp])
    with solara.Column(style={"padding": "4px 12px"}):
        StatusPanel(month.status)
        RunParameters(setup)
        with solara.Columns([1, 1]):
            with solara.Card("Network", margin=0):
                NetworkView(month)
            with solara.Column():
                TimePlot(month, "trust", months)
                TimePlot(month, "projects", months)
        with solara.Columns([1, 1]):
            TimePlot(month, "role", months)
            TimePlot(month, "strain", months)
        MembersView(month, setup)
