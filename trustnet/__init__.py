"""trustnet: trust dynamics in interorganisational networks, as a Mesa model.

Heavy modules (Mesa, numpy, pandas) load on first use, so that the command line answers fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "TrustNetworkModel": "trustnet.model",
    "run_model": "trustnet.run",
    "RunResult": "trustnet.run",
    "PARAMETERS": "trustnet.parameters",
    "resolve": "trustnet.parameters",
    "SCENARIOS": "trustnet.scenarios",
    "scenario_params": "trustnet.scenarios",
    "REPORTERS": "trustnet.metrics",
    "SUMMARY_OUTCOMES": "trustnet.metrics",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'trustnet' has no attribute {name!r}")
