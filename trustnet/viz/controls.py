"""The page's sliders, derived from the parameter declarations.

Each parameter declared with ``main=True`` becomes one control in the sidebar (a slider for
numbers, a menu for choices, a checkbox for switches; :mod:`trustnet.viz.panels`), the others
text fields in the panel of all parameters. Defaults, ranges and allowed choices come from
:data:`trustnet.core.parameters.PARAMETERS` and the chosen scenario; nothing here restates them.
The only rules of this module's own are how a declared range becomes a usable slider.
"""

from __future__ import annotations

import math
from typing import Any

from trustnet.core.parameters import PARAMETERS, Parameter

# An integer range wider than this (n_orgs allows up to 100,000) is cut to a slider that can
# be moved with a mouse and to networks the page can draw: up to five times the default.
MAX_INT_SLIDER_SPAN = 200
SLIDER_STEPS = 50  # a float slider moves in "nice" steps of about 1/50 of its range


def main_parameters() -> list[Parameter]:
    """Parameters shown as controls, in declaration order."""
    return [p for p in PARAMETERS.values() if p.main]


def _nice_step(span: float) -> float:
    return 10.0 ** math.floor(math.log10(span / SLIDER_STEPS))


def control(p: Parameter, value: Any) -> dict[str, Any]:
    """A control for one declared parameter starting at ``value``: its type and, for a
    slider, its range and step."""
    if p.allow_none:
        raise ValueError(f"parameter '{p.name}': a control for an optional value is not supported")
    if p.kind == "bool":
        return {"type": "Checkbox", "value": bool(value), "label": p.label}
    if p.kind == "choice":
        return {"type": "Select", "value": value, "values": list(p.choices), "label": p.label}
    if p.low is None or p.high is None:
        raise ValueError(f"parameter '{p.name}': a slider needs a declared lower and upper bound")
    if p.kind == "int":
        low = int(p.low) + (1 if p.low_open else 0)
        high = int(p.high)
        if high - low > MAX_INT_SLIDER_SPAN:
            high = min(high, max(5 * int(p.default), low + 10, int(value)))
        return {"type": "SliderInt", "value": int(value), "min": low, "max": high, "step": 1,
                "label": p.label}
    step = _nice_step(p.high - p.low)
    low = p.low + step if p.low_open else p.low
    return {"type": "SliderFloat", "value": float(value), "min": float(low),
            "max": float(p.high), "step": step, "label": p.label}
