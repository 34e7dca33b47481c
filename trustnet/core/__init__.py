"""The model core: parameters, scenarios, the model, its mechanisms and one run as a function.

Everything that decides a run's results lives in this package and nothing else does: it
imports only numpy, numba, pandas and Mesa, and its source (this folder) is what the model
hash that guards stored sweeps covers. Applications (sweeps, validation, the command line, plots,
the browser view) sit beside it in :mod:`trustnet`.

Modules load on first use, so that reading the parameter declarations stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "TrustNetworkModel": "trustnet.core.model",
    "run_model": "trustnet.core.run",
    "RunResult": "trustnet.core.run",
    "PARAMETERS": "trustnet.core.parameters",
    "resolve": "trustnet.core.parameters",
    "SCENARIOS": "trustnet.core.scenarios",
    "scenario_params": "trustnet.core.scenarios",
    "REPORTERS": "trustnet.core.metrics",
    "SUMMARY_OUTCOMES": "trustnet.core.metrics",
}

__all__ = ["PARAMETERS", "REPORTERS", "SCENARIOS", "SUMMARY_OUTCOMES", "RunResult",
           "TrustNetworkModel", "resolve", "run_model", "scenario_params"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'trustnet.core' has no attribute {name!r}")
