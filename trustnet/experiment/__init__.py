"""Experiments with trustnet: specs, sweeps over engines, stored results, aggregation, sensitivity.

One concept per module: ``spec`` (checked TOML/dict specs), ``seeds`` (common random numbers),
``design`` (arms and runs), ``worker`` (a chunk of runs), ``engines`` (serial, processes,
Dask), ``tables`` (schemas), ``store`` (Parquet + manifest, resume), ``runner`` (orchestration),
``aggregation`` (replications -> means and intervals), ``compare`` (arms against a baseline,
flagged by size), ``sensitivity`` (SALib Morris and Sobol).
Names load on first use so that importing this package is cheap.

In a notebook::

    from trustnet.experiment import sweep, load_results, aggregate, paired_difference
    res = sweep("experiments/p07_directive_style.toml")              # or a dict of the same keys
    res = sweep({"axes": {"ambition": [0.5, 1.0, 2.0]}, "replications": 10}, out="results/amb")
    aggregate(res.runs, "ambition", ["mean_trust", "success_rate"])   # mean, sd, CI, quantiles
    paired_difference(res.runs, "ambition", 1.0, ["mean_trust"])      # CRN-paired contrasts
    compare(res, baseline="ambition=1.0")                             # every arm, flagged by size
    load_results("results/amb").series                                # tables written earlier
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Spec": "trustnet.experiment.spec",
    "SpecError": "trustnet.experiment.spec",
    "load_spec": "trustnet.experiment.spec",
    "build_design": "trustnet.experiment.design",
    "replication_seeds": "trustnet.experiment.seeds",
    "run_sweep": "trustnet.experiment.runner",
    "sweep": "trustnet.experiment.runner",
    "SweepResult": "trustnet.experiment.runner",
    "load_results": "trustnet.experiment.runner",
    "aggregate": "trustnet.experiment.aggregation",
    "paired_difference": "trustnet.experiment.aggregation",
    "compare": "trustnet.experiment.compare",
    "discover": "trustnet.experiment.discover",
    "run_sensitivity": "trustnet.experiment.sensitivity",
    "make_engine": "trustnet.experiment.engines",
}
_ALIASES = {"sweep": "run_sweep"}

__all__ = [
    "Spec",
    "SpecError",
    "SweepResult",
    "aggregate",
    "build_design",
    "compare",
    "discover",
    "load_results",
    "load_spec",
    "make_engine",
    "paired_difference",
    "replication_seeds",
    "run_sensitivity",
    "run_sweep",
    "sweep",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), _ALIASES.get(name, name))
    raise AttributeError(f"module 'trustnet.experiment' has no attribute {name!r}")
