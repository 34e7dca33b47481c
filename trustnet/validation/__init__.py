"""Pattern-oriented validation: the thirteen patterns of the design brief as statistical checks.

``trustnet validate`` (or ``python -m trustnet.validation``, the same command) runs the
pattern sweeps (experiments/p01..p13, or the folder given with ``--experiments``), analyses
them and writes docs/VALIDATION.md with one figure per pattern under docs/validation/. The
same analysis functions serve the fast checks in the test suite::

    from trustnet.validation import analyse, run_pattern
    result = run_pattern("p06", replications=20, engine="serial")  # in memory
    analyse("p06", result).verdict                                # "reproduced", ...
    PATTERNS["p06"].figure(analyse("p06", result))                # its matplotlib Figure

Modules: ``stats`` (paired and unpaired contrasts; intervals come from :mod:`trustnet.stats`),
``analysis`` (reading sweep tables and specs), ``patterns`` (the thirteen claims, their
descriptions, analyses and figures), ``figures``, ``report``, ``sweeps`` (specs and resumable
result folders), ``cli`` (the work of the command; its options are in :mod:`trustnet.cli`).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "PATTERNS": "trustnet.validation.patterns",
    "analyse": "trustnet.validation.patterns",
    "run_pattern": "trustnet.validation.sweeps",
    "pattern_spec": "trustnet.validation.sweeps",
    "main": "trustnet.validation.cli",
}

__all__ = ["PATTERNS", "analyse", "main", "pattern_spec", "run_pattern"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'trustnet.validation' has no attribute {name!r}")
