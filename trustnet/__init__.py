"""trustnet: trust dynamics in interorganisational networks, as a Mesa model.

The model is :mod:`trustnet.core`; sweeps, validation, plots, the command line and the
browser view are applications beside it. Heavy modules (Mesa, numpy, pandas) load on first
use, so that the command line answers fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from trustnet.core import _EXPORTS

__version__ = "0.2.0"
__all__ = sorted(_EXPORTS)  # noqa: PLE0605 - the core's exports, named once in trustnet.core


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'trustnet' has no attribute {name!r}")
