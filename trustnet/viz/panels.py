"""The sidebar: scenario, run controls, the parameters (main ones and all) and the events.

Each panel edits the page's pending :class:`~trustnet.viz.setup.Setup` through its
validating functions, showing their one-line message under the control when a value is
refused; a Reset builds the model from it. None of these panels reads the running model's
month, so that a Play redraws the main area only and a click in the sidebar is never lost to a
re-render.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import solara
from mesa.visualization.utils import force_update

from trustnet.core.events import ACTIONS
from trustnet.core.parameters import PARAMETERS, Parameter
from trustnet.viz import setup as su
from trustnet.viz.controls import control, main_parameters

# pauses a user can put between months during Play; 0 runs as fast as the page draws
PACES = {"as fast as it draws": 0.0, "0.2 s a month": 0.2, "0.5 s a month": 0.5,
         "1 s a month": 1.0}
SET_PARAMETER = "set a parameter"
DRAW_TIMEOUT = 5.0  # seconds Play waits for a month to be shown before it steps on anyway


def control_label(p: Parameter) -> str:
    """The declaration's label with its unit: what a control is called on the page."""
    return p.label if p.unit in ("-", "") else f"{p.label} ({p.unit})"


def _tooltip(p: Parameter) -> str:
    unit = "" if p.unit in ("-", "") else f" Unit: {p.unit}."
    return (f"{p.meaning}{unit} Allowed: {p.allowed()}. Default: {p.default}. "
            f"Source: {p.source}. Name in specs and --set: {p.name}.")


@solara.component
def ScenarioCard(pending: solara.Reactive, choose: Callable[[str], None],
                 options: dict[str, str]):
    """Choose a built-in scenario, a scenario file (found, or by its path) or a roster CSV."""
    error = solara.use_reactive("")
    path = solara.use_reactive("")
    current = pending.value

    def pick(choice: str) -> None:
        try:
            choose(choice)
            error.set("")
        except ValueError as exc:
            error.set(str(exc))

    with solara.Card("Scenario", margin=0, classes=["tn-scenario"]):
        values = list(options) if current.choice in options else [current.choice, *options]
        solara.Select("scenario or scenario file", values=values, value=current.choice,
                      on_value=pick)
        text = f"**{current.title}**. {current.description}"
        solara.Markdown(text + (f"\n\n*{current.source}*" if current.source else ""),
                        style={"font-size": "13px"})
        solara.InputText("open a scenario file or roster (path, Enter)", value=path,
                         on_value=lambda text: (path.set(text), pick(text.strip())),
                         error=bool(error.value), message=error.value or None)


@solara.component
def RunCard(pending: solara.Reactive, built: solara.Reactive, playing: solara.Reactive,
            pace: solara.Reactive, reset: Callable[[], None], step: Callable[[], None],
            set_setup: Callable[[Any], None]):
    """Reset, Play/Pause and Step; the pace of Play; the seed; what a Reset would change."""
    seed_error = solara.use_reactive("")

    def set_seed(value: Any) -> None:
        try:
            set_setup(su.with_seed(pending.value, int(value)))
            seed_error.set("")
        except (TypeError, ValueError) as exc:
            seed_error.set(str(exc))

    with solara.Card("Run", margin=0, classes=["tn-run"]):
        with solara.Row(justify="space-between"):
            solara.Button("Reset", color="primary", on_click=reset, classes=["tn-reset"])
            solara.Button("Pause" if playing.value else "Play", color="primary",
                          on_click=lambda: playing.set(not playing.value),
                          classes=["tn-play"])
            solara.Button("Step", color="primary", on_click=step, disabled=playing.value,
                          classes=["tn-step"])
        solara.Select("pace of Play", values=list(PACES), value=pace)
        solara.InputInt("random seed", value=pending.value.seed, on_value=set_seed)
        if seed_error.value:
            solara.Text(seed_error.value, style={"color": "#b00020", "font-size": "12px"},
                        classes=["tn-error"])
        changes = su.differences(built.value, pending.value)
        if changes:
            text = "; ".join(changes)
            solara.Text(f"Reset applies: {text}", classes=["tn-pending"],
                        style={"font-size": "13px", "color": "#a15c00", "font-weight": "600"})
        else:
            solara.Text("Changes below apply at the next Reset.",
                        style={"font-size": "12px", "color": "#777"})


@solara.component
def ParameterControl(p: Parameter, pending: solara.Reactive,
                     set_setup: Callable[[Any], None], compact: bool = False):
    """One declared parameter: slider, menu, switch or text field, with its meaning on hover."""
    error = solara.use_reactive("")
    value = pending.value.params[p.name]
    fixed = p.name == "n_orgs" and pending.value.members is not None

    def change(new: Any) -> None:
        try:
            set_setup(su.with_parameter(pending.value, p.name, new))
            error.set("")
        except ValueError as exc:
            error.set(str(exc))

    mark = " •" if p.name in pending.value.changed else ""
    text = control_label(p) + mark
    with solara.Tooltip(_tooltip(p)), solara.Column(gap="0px",
                                                    classes=["tn-param", f"tn-param-{p.name}"]):
            if fixed:
                solara.Text(f"{text}: {value} (the roster's size)", style={"font-size": "13px"})
            elif p.kind == "bool":
                solara.Checkbox(label=text, value=bool(value), on_value=change)
            elif p.kind == "choice":
                solara.Select(text, values=list(p.choices), value=value, on_value=change,
                              dense=compact)
            elif compact or p.allow_none:
                solara.InputText(text, value="none" if value is None else str(value),
                                 on_value=change)
            else:
                spec = control(p, value)
                slider = solara.SliderInt if p.kind == "int" else solara.SliderFloat
                solara.Text(f"{text}: {value}", style={"font-size": "13px"})
                slider("", value=value, min=spec["min"], max=spec["max"], step=spec["step"],
                       on_value=change, thumb_label=False)
            if error.value:
                solara.Text(error.value, style={"color": "#b00020", "font-size": "12px"},
                            classes=["tn-error"])


@solara.component
def MainParameters(pending: solara.Reactive, set_setup: Callable[[Any], None]):
    with solara.Card("Main parameters", margin=0):
        for p in main_parameters():
            ParameterControl(p, pending, set_setup).key(p.name)


@solara.component
def Collapsible(summary: str, render: Callable[[], None], classes: tuple[str, ...] = ()):
    """A section whose contents are built only while it is open (85 fields cost a render)."""
    is_open = solara.use_reactive(False)
    with solara.Column(gap="2px", classes=list(classes)):
        solara.Button(("▾ " if is_open.value else "▸ ") + summary, text=True,
                      on_click=lambda: is_open.set(not is_open.value),
                      style={"justify-content": "flex-start", "text-transform": "none"})
        if is_open.value:
            render()


@solara.component
def AllParameters(pending: solara.Reactive, set_setup: Callable[[Any], None]):
    """Every declared parameter, by group, as a text field or menu (hover: meaning, unit)."""
    groups: dict[str, list[Parameter]] = {}
    for p in PARAMETERS.values():
        groups.setdefault(p.group, []).append(p)

    def group_fields(params: list[Parameter]) -> Callable[[], None]:
        def render() -> None:
            for p in params:
                ParameterControl(p, pending, set_setup, compact=True).key(f"all-{p.name}")
        return render

    def all_groups() -> None:
        for group, params in groups.items():
            Collapsible(f"{group} ({len(params)})", group_fields(params),
                        classes=(f"tn-group-{group}",)).key(group)

    with solara.Card(margin=0, classes=["tn-all"]):
        Collapsible(f"All parameters ({len(PARAMETERS)})", all_groups,
                    classes=("tn-all-toggle",))


def event_from_form(month: Any, what: str, parameter: str, value: str,
                    option: str) -> dict[str, Any]:
    """The event the form describes (validated when added to the setup)."""
    if isinstance(month, bool) or not isinstance(month, int):
        raise ValueError(f"event month: got {month!r}; allowed: an integer >= 1")
    if what == SET_PARAMETER:
        if not value.strip():
            raise ValueError(f"event: give a value for '{parameter}'")
        return {"month": month, "set": {parameter: PARAMETERS[parameter].parse(value)}}
    event: dict[str, Any] = {"month": month, "action": what}
    for key in ACTIONS[what]:
        if key == "evidence":
            try:
                event[key] = float(option)
            except ValueError:
                raise ValueError(f"action '{what}' option 'evidence': got {option!r}; "
                                 "allowed: a number in [-20, 20], not 0") from None
        elif option.strip():
            event[key] = option.strip()
    return event


@solara.component
def EventsCard(pending: solara.Reactive, set_setup: Callable[[Any], None]):
    """The scenario's events as a timeline: remove one, or add one with the form below."""
    error = solara.use_reactive("")
    month = solara.use_reactive(12)
    what = solara.use_reactive(SET_PARAMETER)
    changeable = [p.name for p in PARAMETERS.values() if p.changeable]
    parameter = solara.use_reactive("ambition")
    value = solara.use_reactive("")
    option = solara.use_reactive("")
    setup = pending.value

    def remove(index: int) -> None:
        try:
            set_setup(su.without_event(pending.value, index))
            error.set("")
        except ValueError as exc:
            error.set(str(exc))

    def add() -> None:
        try:
            event = event_from_form(month.value, what.value, parameter.value, value.value,
                                    option.value)
            set_setup(su.with_event(pending.value, event))
            error.set("")
        except ValueError as exc:
            error.set(str(exc))

    with solara.Card(f"Events ({len(setup.events)})", margin=0, classes=["tn-events"]):
        if not setup.events:
            solara.Text("none: the run goes as the parameters say", style={"color": "#777"})
        for i, event in enumerate(setup.events):
            with solara.Row(style={"align-items": "center"}, classes=["tn-event"]):
                solara.Text(su.event_text(event), style={"font-size": "13px"})
                solara.Button(icon_name="mdi-close", icon=True, small=True,
                              on_click=lambda i=i: remove(i), classes=[f"tn-remove-{i}"])
        solara.InputInt("month (1 = the first)", value=month, continuous_update=True,
                        classes=["tn-event-month"])
        solara.Select("what happens", values=[SET_PARAMETER, *ACTIONS], value=what)
        if what.value == SET_PARAMETER:
            solara.Select("parameter", values=changeable, value=parameter)
            p = PARAMETERS[parameter.value]
            solara.InputText(f"new value ({p.allowed()})", value=value, continuous_update=True,
                             classes=["tn-event-value"])
        else:
            for key, (meaning, _required) in ACTIONS[what.value].items():
                if key == "style":
                    solara.Select(meaning, values=["", *PARAMETERS["nao_style"].choices],
                                  value=option)
                elif key == "name" and setup.names is not None:
                    solara.Select(meaning, values=list(setup.names), value=option)
                else:
                    solara.InputText(meaning, value=option, continuous_update=True)
        solara.Button("Add event", color="primary", outlined=True, on_click=add,
                      classes=["tn-add-event"])
        if error.value:
            solara.Text(error.value, style={"color": "#b00020", "font-size": "12px"},
                        classes=["tn-error"])


def play_loop(model: solara.Reactive, playing: solara.Reactive, pace: solara.Reactive,
              lock: threading.RLock, drawn: threading.Event) -> None:
    """Step the model and show each month, until paused or the run ends.

    A month is stepped under ``lock`` (the page reads the model under it too) and the next is
    stepped only once the main area has shown this one (``drawn``), so Play never runs ahead
    of what the browser sees.
    """
    while playing.value:
        started = time.perf_counter()
        m = model.value
        drawn.clear()
        with lock:
            m.step()
        force_update()  # the main area renders the month, and sets ``drawn`` when it has
        drawn.wait(timeout=DRAW_TIMEOUT)
        if not m.running:
            playing.set(False)
            break
        rest = PACES[pace.value] - (time.perf_counter() - started)
        if rest > 0:
            time.sleep(rest)
