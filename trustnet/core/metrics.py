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

from trustnet.core.compiled import jit, pairwise_sum
from trustnet.core.reporters import REPORTERS, RUN_MEANS, SUMMARY_OUTCOMES

if TYPE_CHECKING:
    from trustnet.core.model import TrustNetworkModel

__all__ = ["REPORTERS", "RUN_MEANS", "SUMMARY_OUTCOMES", "measure", "summarise"]


def measure(model: TrustNetworkModel) -> dict[str, float]:
    """The reporters' values for the model's current state (reads it, changes nothing)."""
    orgs, coordinator = model.orgs, model.coordinator
    active = orgs.active
    n_active = orgs.n_active
    mean_trust, density, at_level = model.ties.metrics()
    counts = model.projects.counts()
    present = coordinator.present
    lower, upper = orgs.power_halves()
    volunteering, commitment, disillusionment, gap = _member_means(
        orgs.volunteering, orgs.commitment, orgs.disillusionment, orgs.trust_in_network,
        active, n_active, lower, upper)
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
        "volunteering": volunteering,
        "mean_commitment": commitment,
        "mean_disillusionment": disillusionment,
        "coordinator_present": 1.0 if present else 0.0,
        "coordinator_strain": coordinator.strain if present else 0.0,
        "coordinator_disillusionment": coordinator.disillusionment if present else 0.0,
        "coordinator_exits": float(coordinator.exits),
        "coordinator_style_directive": 1.0 if coordinator.current_style == "directive" else 0.0,
        "inclusion_gap": gap,
        "share_cooperation": float(at_level[0]),
        "share_coordination": float(at_level[1]),
        "share_collaboration": float(at_level[2]),
    }


@jit
def _member_means(volunteering, commitment, disillusionment, trust, active, n_active, lower,
                  upper):  # pragma: no cover - compiled
    """Active members' mean volunteering, commitment and disillusionment, and the inclusion
    gap: the trust in the network of the more powerful half of active members less that of
    the less powerful half (numpy's sums, in numpy's order)."""
    means = np.zeros(3)
    chosen = np.empty(len(active))  # the values of those chosen
    if n_active:
        for at, values in enumerate((volunteering, commitment, disillusionment)):
            if n_active == len(values):
                means[at] = pairwise_sum(values) / n_active
                continue
            taken = 0
            for x in range(len(values)):
                if active[x]:
                    chosen[taken] = values[x]
                    taken += 1
            means[at] = pairwise_sum(chosen[:taken]) / n_active
    gap = 0.0
    if len(lower):
        sums = np.zeros(2)
        for at, half in enumerate((upper, lower)):
            for x in range(len(half)):
                chosen[x] = trust[half[x]]
            sums[at] = pairwise_sum(chosen[:len(half)])
        gap = (sums[0] - sums[1]) / len(lower)
    return means[0], means[1], means[2], gap


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
