"""From a checked spec to the list of runs: arms (parameter sets) times replications.

Arms are the cartesian product of the explicit ``[[arms]]``, the ``[axes]`` and the sample
points, in that nesting order; run ``run_id = arm * replications + replication``. The design
is a pure function of the spec, so a resumed sweep rebuilds exactly the same run ids, seeds and
parameters.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from trustnet.core.parameters import PARAMETERS
from trustnet.core.scenarios import scenario_params
from trustnet.experiment.seeds import derived_seed, replication_seeds
from trustnet.experiment.spec import Spec, SpecError, arm_events, expand_arms


@dataclass(frozen=True)
class Arm:
    """One parameter combination of the experiment."""

    arm: int
    label: str
    scenario: str
    varied: dict[str, Any]  # the values that distinguish this arm
    params: dict[str, Any]  # every model parameter, validated
    events: tuple[dict[str, Any], ...] = ()  # what-ifs over time (trustnet.core.events)


@dataclass(frozen=True)
class RunTask:
    run_id: int
    arm: int
    replication: int
    seed: int


@dataclass(frozen=True)
class Design:
    spec: Spec
    arms: tuple[Arm, ...]
    seeds: tuple[int, ...]  # one per replication, shared by every arm

    @property
    def n_runs(self) -> int:
        return len(self.arms) * len(self.seeds)

    def tasks(self) -> Iterator[RunTask]:
        reps = len(self.seeds)
        for arm in self.arms:
            for r, seed in enumerate(self.seeds):
                yield RunTask(arm.arm * reps + r, arm.arm, r, seed)


def sample_points(spec: Spec) -> list[dict[str, Any]]:
    """Latin hypercube or scrambled Sobol points over ``[samples.ranges]``, scaled and typed."""
    if spec.samples is None:
        return [{}]
    import numpy as np
    from scipy.stats import qmc

    s = spec.samples
    seed = s.seed if s.seed is not None else derived_seed(spec.seed, "samples")
    rng = np.random.default_rng(seed)
    d = len(s.ranges)
    if s.method == "lhs":
        unit = qmc.LatinHypercube(d=d, rng=rng).random(s.n)
    else:
        with warnings.catch_warnings():  # n need not be a power of two for a sweep
            warnings.simplefilter("ignore", UserWarning)
            unit = qmc.Sobol(d=d, scramble=True, rng=rng).random(s.n)
    return scale_points(unit, s.ranges)


def scale_points(unit: Any, ranges: dict[str, tuple[float, float]]) -> list[dict[str, Any]]:
    """Map points of the unit cube onto parameter ranges (integers rounded)."""
    points = []
    for row in unit:
        point = {}
        for x, (name, (low, high)) in zip(row, ranges.items()):
            value = low + float(x) * (high - low)
            if PARAMETERS[name].kind == "int":
                value = round(value)
            point[name] = PARAMETERS[name].validate(value)
        points.append(point)
    return points


def build_design(spec: Spec, points: Sequence[dict[str, Any]] | None = None) -> Design:
    """All arms of ``spec``; ``points`` (e.g. a sensitivity sample) replaces ``[samples]``."""
    pts = list(points) if points is not None else sample_points(spec)
    arms: list[Arm] = []
    for entry, varied, scenario, values in expand_arms(spec, pts):
        label = entry.get("label") or ", ".join(f"{k}={v}" for k, v in entry.items()
                                                if k not in ("label", "events"))
        arms.append(Arm(len(arms), label, scenario, varied, scenario_params(scenario, values),
                        arm_events(spec, entry)))
    if points is None and not spec.samples:
        _refuse_repeated_arms(spec, arms)
    return Design(spec, tuple(arms), tuple(replication_seeds(spec.seed, spec.replications)))


def _refuse_repeated_arms(spec: Spec, arms: list[Arm]) -> None:
    """Two arms that resolve to the same parameters and events would run the same runs twice
    (e.g. an arm setting a parameter to its scenario's value, beside one that does not)."""
    seen: dict[str, Arm] = {}
    for arm in arms:
        key = repr((arm.scenario, sorted(arm.params.items()), arm.events))
        if key in seen:
            raise SpecError(f"{spec.source}: arms '{_name(seen[key])}' and '{_name(arm)}' "
                            "resolve to the same parameters and "
                            "events, so they would run the same runs twice; change or remove "
                            "one")
        seen[key] = arm


def _name(arm: Arm) -> str:
    return arm.label or ", ".join(f"{k}={v}" for k, v in arm.varied.items()) or "base"


def dimensions(spec: Spec) -> list[tuple[str, str]]:
    """Swept dimensions as runs-table columns with their kind (for plots and summaries).

    Explicit arms are one categorical dimension, their ``label``; axes are numeric or
    categorical by parameter type; sampled parameters are "sampled".
    """
    dims: list[tuple[str, str]] = []
    if len(spec.arms) > 1:
        dims.append(("label", "categorical"))
    for name in spec.axes:
        numeric = name in PARAMETERS and PARAMETERS[name].kind in ("int", "float")
        dims.append((name, "numeric" if numeric else "categorical"))
    if spec.samples:
        dims += [(name, "sampled") for name in spec.samples.ranges]
    return dims
