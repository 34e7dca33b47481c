"""The coordinator: an NAO, the lead member's staff, or nobody (M3, M4, M5, M7).

Strain follows Homer's (1985) burnout structure: it grows with workload above a sustainable
share of capacity, eats into the capacity that is left, and recovers slowly; a coordinator who
takes on open tasks beyond its time (overcommitment) strains itself. Disillusionment grows with
the gap between aspiration and delivered progress (Darcis 2025), faster when legitimacy is low;
the aspiration adapts to what is delivered in a voluntary network (Lant 1992) and stays fixed
and high under a mandate. Both raise the monthly chance that the coordinator leaves; the post
is then vacant for some months and the successor starts afresh, without the ties or legitimacy
its predecessor built.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from trustnet.core.model import TrustNetworkModel

LEGITIMACY_STEP = 0.05  # change of legitimacy per project outcome (no lit.)
PERFORMANCE_MEMORY = 0.3  # weight of the newest outcome in perceived delivery (no lit.)
STYLE_CODES = {"coordinating": 0, "directive": 1, "adaptive": 2}  # as compiled kernels read them


class Post(StrEnum):
    """The coordinator's post: held, between two holders, withdrawn for good, or none at all."""

    IN_POST = "in post"
    VACANT = "vacant"
    WITHDRAWN = "withdrawn"
    NONE = "none"  # shared governance: the network coordinates itself


class Coordinator:
    """Whoever coordinates: an NAO or the lead member's staff, while in post.

    The rules take the month's inputs and say what changed; the members' ties to the person
    are the model's to drop when :meth:`start_month` or :meth:`end_month` reports a change
    of person.
    """

    def __init__(self, params: dict, lead_index: int | None = None) -> None:
        self.params = params
        self.lead_index = lead_index
        self.mandated = params["mandated"]
        self.configure(params)
        self.post = Post.NONE if params["governance"] == "shared" else Post.IN_POST
        self.vacant_months_left = 0
        self.exits = 0
        self.tenures: list[int] = []  # lengths of finished tenures, in months
        self.workload = 0.0
        self.acted_directively = False
        self._withdrawal_done = False
        self._start_tenure()

    def configure(self, params: dict) -> None:
        """Take style, capacity and the mandate's terms from the parameters (again whenever an
        event changes them). A mandate imposed in post fixes the aspiration at
        ``mandate_aspiration`` and scales the legitimacy by ``mandated_leverage``; lifted, the
        aspiration adapts again and the leverage returns."""
        p = self.params = params
        self.style = p["nao_style"]
        self.capacity = p["coordinator_capacity"] * (
            p["lead_capacity_share"] if self.lead_index is not None else 1.0)
        self.initial_legitimacy = p["coordinator_legitimacy"] * (
            p["mandated_leverage"] if p["mandated"] else 1.0)
        leverage = p["mandated_leverage"] if p["mandated"] else 1.0
        if hasattr(self, "legitimacy"):  # in a run: the mandate's terms apply from now on
            applied = self._leverage
            if leverage != applied:  # imposed, lifted, or its leverage changed
                self.legitimacy = (min(1.0, self.legitimacy * leverage / applied) if applied > 0
                                   else self.initial_legitimacy)
            if p["mandated"]:
                self.aspiration = p["mandate_aspiration"]
        self._leverage = leverage  # the factor the legitimacy in post carries
        self.mandated = p["mandated"]

    def withdraw(self) -> bool:
        """The post is withdrawn for good (until a coordinator is appointed); returns whether
        a coordinator left it."""
        left = self.present
        if left:
            self.tenures.append(self.tenure)
        self.post = Post.WITHDRAWN
        self.vacant_months_left = 0
        return left

    def appoint(self) -> None:
        """A new coordinator takes office now (replacing one in post), with fresh state."""
        if self.present:
            self.tenures.append(self.tenure)
        self.post = Post.IN_POST
        self._start_tenure()

    def _start_tenure(self) -> None:
        p = self.params
        self.strain = 0.0
        self.disillusionment = 0.0
        self.legitimacy = self.initial_legitimacy
        self.aspiration = p["mandate_aspiration"] if self.mandated else p["coordinator_aspiration"]
        self.performance = self.aspiration
        self.tenure = 0

    @property
    def present(self) -> bool:
        return self.post is Post.IN_POST

    @property
    def vacant(self) -> bool:
        """Between two coordinators (not withdrawn for good, not shared governance)."""
        return self.post is Post.VACANT

    @property
    def withdrawn(self) -> bool:
        return self.post is Post.WITHDRAWN

    def all_tenures(self) -> list[int]:
        """Finished tenures (ended by exit or withdrawal) and the current one."""
        return self.tenures + ([self.tenure] if self.present else [])

    @property
    def effective_capacity(self) -> float:
        """Strain eats into the capacity that is left (Homer's burnout loop)."""
        return self.capacity * (1.0 - 0.5 * self.strain)

    def free_capacity(self) -> float:
        return self.effective_capacity - self.workload

    def overwork_ceiling(self) -> float:
        """How far beyond its capacity it will go: ``overcommitment`` times its (effective)
        capacity; nobody works without limit."""
        return self.params["overcommitment"] * self.effective_capacity

    def overcommit_chance(self) -> float:
        """The chance it takes on a task it has no time left for: ``takeover`` times
        ``overcommitment``, raised by the pressure to deliver (the gap between its aspiration
        and what it sees delivered, large under a mandate's fixed aspiration)."""
        p = self.params
        pressure = max(0.0, self.aspiration - self.performance)
        return p["takeover"] * min(1.0, p["overcommitment"] + pressure)

    # --- the month's steps -----------------------------------------------------------------
    def start_month(self, step: int, n_active: int) -> bool:
        """Withdrawal, vacancy and replacement; then the month's routine workload.

        Returns whether the person changed (withdrawn, or a successor started).
        """
        p = self.params
        if self.post is Post.NONE:
            return False
        changed = False
        withdrawal = p["nao_withdrawal_step"]
        if withdrawal is not None and step >= withdrawal and not self._withdrawal_done:
            self._withdrawal_done = True
            if not self.withdrawn:
                self.withdraw()
                changed = True
        if self.withdrawn:
            return changed
        if self.vacant:  # count down, then a successor starts
            if self.vacant_months_left > 0:
                self.vacant_months_left -= 1
            else:
                self.post = Post.IN_POST
                self._start_tenure()
                changed = True
        self.acted_directively = self.style == "directive"
        if self.present:
            self.tenure += 1
            self.workload = p["coordinator_admin"] * n_active
        return changed

    def meeting_style(self) -> str | None:
        """Style of the meeting as a whole: only a directive coordinator runs it directively."""
        if not self.present:
            return None
        return "directive" if self.style == "directive" else "coordinating"

    def decides_directively(self, stalled: bool) -> bool:
        """Adaptive coordinators decide a stalled item directively, then go back (M5)."""
        directive = self.style == "directive" or (self.style == "adaptive" and stalled)
        self.acted_directively |= directive
        return directive

    def assigns_task(self, deadline_looms: bool) -> bool:
        """Whether an open task nobody volunteered for is assigned to a member (M5)."""
        directive = self.style == "directive" or (self.style == "adaptive" and deadline_looms)
        self.acted_directively |= directive
        return directive

    @property
    def style_code(self) -> int:
        """The style as the compiled kernels read it (:data:`STYLE_CODES`; 0 when absent)."""
        return STYLE_CODES[self.style] if self.present else 0

    @property
    def current_style(self) -> str | None:
        """How the coordinator acted this month (adaptive shows when it switches)."""
        if not self.present:
            return None
        return "directive" if self.acted_directively else "coordinating"

    def record_outcomes(self, success: np.ndarray, value: np.ndarray) -> None:
        """Projects ended: legitimacy and perceived delivery follow each outcome in turn."""
        if not self.present:
            return
        for ok, worth in zip(success.tolist(), value.tolist()):
            if ok:
                self.legitimacy += LEGITIMACY_STEP * (1.0 - self.legitimacy)
            else:
                self.legitimacy -= LEGITIMACY_STEP * self.legitimacy
            self.performance += PERFORMANCE_MEMORY * ((worth if ok else 0.0) - self.performance)

    def end_month(self, rng: np.random.Generator) -> bool:
        """Strain, aspiration, disillusionment and the chance of leaving (M4).

        Returns whether the coordinator left; the post is then vacant for
        ``vacancy_months`` months.
        """
        if not self.present:
            return False
        p = self.params
        # strain grows with the load above what is sustainable (Homer 1985) and with the
        # disillusionment of a mission it cannot carry out (Darcis 2025), and always recovers
        # a little, so a steady load settles at a graded strain
        excess = max(0.0, self.workload / max(self.effective_capacity, 1e-9)
                     - p["sustainable_load"]) + p["disillusion_strain"] * self.disillusionment
        if excess > 0:
            self.strain += min(1.0, p["strain_rate"] * excess) * (1.0 - self.strain)
        self.strain -= p["strain_recovery"] * self.strain
        self.strain = min(max(self.strain, 0.0), 1.0)
        if not self.mandated:
            self.aspiration += p["aspiration_adaptation"] * (self.performance - self.aspiration)
        gap = self.aspiration - self.performance
        speed = p["disillusion_speed"] * (2.0 - self.legitimacy)
        if gap > 0:
            self.disillusionment += speed * gap * (1.0 - self.disillusionment)
        else:
            self.disillusionment += speed * gap * self.disillusionment
        self.disillusionment = min(max(self.disillusionment, 0.0), 1.0)
        hazard = p["coordinator_exit_rate"] * 0.5 * (self.strain**2 + self.disillusionment**2)
        if rng.random() < hazard:
            self.exits += 1
            self.tenures.append(self.tenure)
            self.post = Post.VACANT
            self.vacant_months_left = p["vacancy_months"]  # then a successor starts
            return True
        return False


class CoordinatorAgent(mesa.Agent):
    """The coordinator as a Mesa agent, for Mesa's tools: a view on the model's coordinator."""

    def __init__(self, model: TrustNetworkModel) -> None:
        super().__init__(model)

    @property
    def state(self) -> Coordinator:
        return self.model.coordinator
