"""The browser page: a what-if tool on a Mesa model, served by Solara.

Run with ``trustnet viz`` or ``solara run trustnet/viz/app.py``. The scenario first shown is
``$TRUSTNET_VIZ_SCENARIO`` (set by ``trustnet viz --scenario NAME|FILE.toml``) or the default
scenario. The sidebar edits a pending setup (scenario or scenario file, parameters, events,
seed) that a Reset builds; the main area follows the running model, redrawn each month from
Mesa's update counter (:mod:`trustnet.viz.components`).
"""

from __future__ import annotations

import os
import threading

import solara
from mesa.visualization.utils import force_update

from trustnet.core.scenarios import DEFAULT_SCENARIO
from trustnet.viz import setup as su
from trustnet.viz.components import Dashboard
from trustnet.viz.panels import (
    PACES,
    AllParameters,
    EventsCard,
    MainParameters,
    RunCard,
    ScenarioCard,
    play_loop,
)

ENV_SCENARIO = "TRUSTNET_VIZ_SCENARIO"
# The drawer takes the width of its widest content but the main area's offset is measured
# once: a long file path would make the sidebar cover the main area, so it stays at 400 px
# and long texts wrap or end in an ellipsis.
SIDEBAR_CSS = """
.v-navigation-drawer { width: 400px !important; min-width: 400px !important;
                       max-width: 400px !important; }
.v-navigation-drawer__content { overflow-wrap: anywhere; }
.v-navigation-drawer .v-select__selections { min-width: 0; overflow: hidden; }
.v-navigation-drawer .v-select__selection { overflow: hidden; text-overflow: ellipsis;
                                            white-space: nowrap; max-width: 100%; }
"""


def initial_choice() -> str:
    return os.environ.get(ENV_SCENARIO) or DEFAULT_SCENARIO


@solara.component
def Page():
    first = solara.use_memo(lambda: su.load(initial_choice()), [])
    options = solara.use_memo(lambda: su.choices(initial_choice()), [])
    pending = solara.use_reactive(first)  # what the next Reset builds
    built = solara.use_reactive(first)  # what the running model was built from
    model = solara.use_reactive(solara.use_memo(first.build, []))
    playing = solara.use_reactive(False)
    pace = solara.use_reactive(next(iter(PACES)))
    lock = solara.use_memo(threading.RLock, [])  # the model is stepped and read under it
    drawn = solara.use_memo(threading.Event, [])  # set when the main area shows a month

    def reset() -> None:
        playing.set(False)
        setup = pending.value
        model.set(setup.build())
        built.set(setup)
        force_update()

    def step() -> None:
        with lock:
            model.value.step()
        force_update()

    def choose(choice: str) -> None:
        setup = su.load(choice)  # raises ValueError with the file's one-line message
        playing.set(False)
        pending.set(setup)
        model.set(setup.build())
        built.set(setup)
        force_update()

    solara.lab.use_task(lambda: play_loop(model, playing, pace, lock, drawn),
                        dependencies=[playing.value], prefer_threaded=True)

    solara.Title(f"trustnet: {built.value.title}")
    with solara.AppBar():
        solara.AppBarTitle(f"trustnet: {built.value.title}")
    solara.Style(SIDEBAR_CSS)
    with solara.Sidebar(), solara.Column(gap="10px"):
        ScenarioCard(pending, choose, options)
        RunCard(pending, built, playing, pace, reset, step, pending.set)
        EventsCard(pending, pending.set)
        MainParameters(pending, pending.set)
        AllParameters(pending, pending.set)
    Dashboard(model, built, lock, drawn)
