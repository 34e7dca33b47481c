"""What the model reports: computed once per step from state the model already holds.

The reporters are declared (label, unit, range, smallest effect of interest) in
:mod:`trustnet.core.reporters`.

The DataCollector's reporters only read the dictionary this module fills, so collecting a
step costs a few dictionary look-ups.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from trustnet.core.reporters import REPORTERS, RUN_MEANS, SUMMARY_OUTCOMES

if TYPE_CHECKING:
    from trustnet.core.model import TrustNetworkModel
    from trustnet.core.organisations import Organisations

__all__ = ["REPORTERS", "RUN_MEANS", "SUMMARY_OUTCOMES", "inclusion_gap", "measure", "summarise"]


def measure(model: TrustNetworkModel) -> dict[str, float]:
    """The reporters' values for the model's current state (reads it, changes nothing)."""
    orgs, coordinator = model.orgs, model.coordinator
    active = orgs.active
    n_active = orgs.n_active
    mean_trust, density, at_level = model.ties.metrics()
    counts = model.projects.counts()
    present = coordinator.present
    return {
        "mean_trust": mean_trust,
        "trust_density": density,
        "working_trust": model.ties.working_trust(),
        "earned_trust": model.ties.earned_mean_trust(),
        "active_members": float(n_active),
        "attendance": model.attendance,
        "projects_active": float(counts[0]),
        "projects_succeeded": float(counts[1]),
        "projects_failed": float(counts[2]),
        "projects_abandoned": float(counts[3]),
        "output": model.output,
        "coordinator_task_share": model.ledger.coordinator_share(),
        "volunteering": _mean(orgs.volunteering, active, n_active),
        "mean_commitment": _mean(orgs.commitment, active, n_active),
        "mean_disillusionment": _mean(orgs.disillusionment, active, n_active),
        "coordinator_present": 1.0 if present else 0.0,
        "coordinator_strain": coordinator.strain if present else 0.0,
        "coordinator_disillusionment": coordinator.disillusionment if present else 0.0,
        "coordinator_exits": float(coordinator.exits),
        "coordinator_style_directive": 1.0 if coordinator.current_style == "directive" else 0.0,
        "inclusion_gap": inclusion_gap(orgs),
        "share_cooperation": float(at_level[0]),
        "share_coordination": float(at_level[1]),
        "share_collaboration": float(at_level[2]),
    }


def _mean(values: np.ndarray, active: np.ndarray, n_active: int) -> float:
    if n_active == len(values):
        return float(np.add.reduce(values)) / n_active
    return float(np.add.reduce(values[active])) / n_active if n_active else 0.0


def inclusion_gap(orgs: Organisations) -> float:
    """Trust in the network of the more powerful half of active members minus the less powerful."""
    lower, upper = orgs.power_halves()
    if len(lower) == 0:
        return 0.0
    trust = orgs.trust_in_network
    return float(np.add.reduce(trust[upper]) - np.add.reduce(trust[lower])) / len(lower)


def summarise(values: Mapping[str, np.ndarray], tenures: list[int]) -> dict[str, float]:
    """Summary outcomes of one run from each reporter's values at steps 0, 1, ..."""
    summary = {name: float(values[name][-1]) for name in REPORTERS}
    for name in RUN_MEANS:
        series = values[name]
        summary[f"{name}_mean"] = (float(np.add.reduce(series[1:]) / (len(series) - 1))
                                   if len(series) > 1 else float(series[-1]))
    ended = summary["projects_succeeded"] + summary["projects_failed"]
    summary["success_rate"] = summary["projects_succeeded"] / ended if ended else 0.0
    summary["mean_coordinator_tenure"] = float(np.mean(tenures)) if tenures else 0.0
    return summary
