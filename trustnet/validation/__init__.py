"""Pattern-oriented validation: the twelve patterns of the design brief as statistical checks.

``python -m trustnet.validation`` (or ``trustnet validate``) runs the pattern sweeps
(experiments/p01..p12), analyses them and writes docs/VALIDATION.md with one figure per pattern
under docs/validation/. The same analysis functions serve the fast checks in the test suite::

    from trustnet.validation import analyse, run_pattern
    result = run_pattern("p06", replications=20, engine="serial")  # in memory
    analyse("p06", result).verdict                                # "reproduced", ...

Modules: ``stats`` (paired and unpaired contrasts), ``analysis`` (reading sweep tables),
``patterns`` (the twelve claims and their analyses), ``figures``, ``report``, ``sweeps``
(specs and resumable result folders), ``cli`` (the command).
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
