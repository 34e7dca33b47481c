"""The browser page: Mesa's SolaraViz with trustnet's own network view and plots.

Run with ``trustnet viz`` or ``solara run trustnet/viz/app.py``. The scenario first shown is
``$TRUSTNET_VIZ_SCENARIO`` (set by ``trustnet viz --scenario``) or the default scenario.
SolaraViz supplies the Play/Step/Reset controls and the parameter controls, which
:mod:`trustnet.viz.controls` derives from the parameter declarations; choosing another
scenario rebuilds the controls with that scenario's values and a new model.
"""

from __future__ import annotations

import os

import solara
from mesa.visualization import SolaraViz

from trustnet.core.model import TrustNetworkModel
from trustnet.core.scenarios import (
    DEFAULT_SCENARIO,
    SCENARIOS,
    check_scenario,
    scenario_params,
)
from trustnet.viz.components import Dashboard
from trustnet.viz.controls import model_params

ENV_SCENARIO = "TRUSTNET_VIZ_SCENARIO"
PLAY_INTERVAL_MS = 150


def initial_scenario() -> str:
    return check_scenario(os.environ.get(ENV_SCENARIO) or DEFAULT_SCENARIO)


scenario = solara.reactive(initial_scenario())


def make_model(name: str, seed: int = 0) -> TrustNetworkModel:
    """The model a scenario starts with (the page's first model and after a scenario change)."""
    return TrustNetworkModel(rng=seed, **scenario_params(name))


@solara.component
def ScenarioPicker():
    """Choose a named scenario; its description and source below."""
    current = SCENARIOS[scenario.value]
    with solara.Card("Scenario", margin=0):
        solara.Select("scenario", values=list(SCENARIOS), value=scenario)
        solara.Markdown(f"**{current.title}**. {current.description}\n\n*{current.source}*",
                        style={"font-size": "13px"})


@solara.component
def ScenarioView(name: str):
    """SolaraViz and the dashboard for one scenario (remounted when the scenario changes)."""
    first = solara.use_memo(lambda: make_model(name), dependencies=[name])
    model = solara.use_reactive(first)
    SolaraViz(
        model,
        components=[],  # the main area is the Dashboard below, laid out without a drag grid
        model_params=model_params(name),
        name=f"trustnet: {SCENARIOS[name].title}",
        play_interval=PLAY_INTERVAL_MS,
    )
    Dashboard(model)


@solara.component
def Page():
    with solara.Sidebar():
        ScenarioPicker()
    ScenarioView(scenario.value).key(f"scenario-{scenario.value}")
