"""trustnet: trust dynamics in interorganisational networks, as a Mesa model.

The model is :mod:`trustnet.core`; sweeps, validation, plots, the command line and the
browser view are applications beside it. The public names are the core's, and load on
first use (Mesa, numpy, pandas), so that the command line answers fast.
"""

from __future__ import annotations

from typing import Any

from trustnet import core

__version__ = "0.3.8"
__all__ = ["PARAMETERS", "REPORTERS", "SCENARIOS", "SUMMARY_OUTCOMES", "RunResult",
           "TrustNetworkModel", "resolve", "run_model", "scenario_params"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(core, name)
    raise AttributeError(f"module 'trustnet' has no attribute {name!r}")
