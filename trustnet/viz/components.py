"""Solara components of the page: status panel, network view, time plots.

They read a model only through :mod:`trustnet.viz.snapshot` and hand the result to
:mod:`trustnet.viz.figures`. Each figure is redrawn only when the model steps or is replaced
(Mesa's ``update_counter``, the model's identity) or a view option changes.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd
import solara
from matplotlib.figure import Figure
from mesa.visualization.utils import update_counter

from trustnet.viz.controls import main_parameters
from trustnet.viz.figures import COLOUR_BY, LEVEL_NAMES, TIME_FIGURES, network_figure
from trustnet.viz.snapshot import coordinator_state, series, snapshot

# View options (not model parameters), kept per browser session and across a Reset.
colour_by = solara.reactive("sector")
min_level = solara.reactive(LEVEL_NAMES[1])  # all cooperation ties are a hairball

GOVERNANCE_NAMES = {
    "nao": "network administrative organisation (NAO)",
    "lead": "lead organisation",
    "shared": "shared participant governance",
}


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


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


@solara.component
def StatusPanel(model: solara.Reactive):
    """Month, governance mode, coordinator presence and style, integration level."""
    update_counter.get()
    m = model.value
    items = status(m, series(m))
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
def NetworkView(model: solara.Reactive):
    """The network with its view options (colour of nodes, lowest tie level drawn)."""
    counter = update_counter.get()
    m = model.value
    colour, level = colour_by.value, min_level.value
    with solara.Row(style={"gap": "12px", "align-items": "center"}):
        solara.Select("colour members by", values=list(COLOUR_BY), value=colour_by)
        solara.Select("draw ties from", values=list(LEVEL_NAMES), value=min_level)

    def draw() -> bytes:
        return png(network_figure(snapshot(m), colour, LEVEL_NAMES.index(level) + 1))

    image = solara.use_memo(draw, dependencies=[counter, id(m), colour, level])
    solara.Image(image, width="100%", classes=["tn-figure", "tn-network"])


@solara.component
def TimePlot(model: solara.Reactive, which: str):
    """One of the time plots (see ``figures.TIME_FIGURES``)."""
    counter = update_counter.get()
    m = model.value

    def draw() -> bytes:
        return png(TIME_FIGURES[which](series(m)))

    image = solara.use_memo(draw, dependencies=[counter, id(m), which])
    solara.Image(image, width="100%", classes=["tn-figure", f"tn-plot-{which}"])


@solara.component
def RunParameters(model: solara.Reactive):
    """The main parameters the current model runs with (sliders show theirs only when moved)."""
    m = model.value
    text = " · ".join(f"{p.name} **{m.params[p.name]}**" for p in main_parameters())
    solara.Markdown(f"This run: {text}", style={"font-size": "12px"})


@solara.component
def Dashboard(model: solara.Reactive):
    """The main area: status panel, then the network beside the time plots."""
    with solara.Column(style={"padding": "4px 12px"}):
        StatusPanel(model)
        RunParameters(model)
        with solara.Columns([1, 1]):
            with solara.Card("Network", margin=0):
                NetworkView(model)
            with solara.Column():
                TimePlot(model, "trust")
                TimePlot(model, "projects")
        with solara.Columns([1, 1]):
            TimePlot(model, "role")
            TimePlot(model, "strain")
