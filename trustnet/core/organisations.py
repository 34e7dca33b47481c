"""Organisations: their state in model-level arrays, and thin Mesa agents that view it.

State lives in :class:`Organisations` (one numpy array per variable) so that every mechanism
updates all members at once; :class:`Organisation` agents exist so that Mesa's tools
(``agenttype_reporters``, agent sets, the visualisation) can see each member as an agent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from trustnet.core.compiled import helper, jit, maximum, minimum
from trustnet.core.sectors import BUILT_IN, Sectors

if TYPE_CHECKING:
    from trustnet.core.model import TrustNetworkModel


STATE_VARIABLES = (
    "sector", "capacity", "power", "commitment", "volunteering", "disillusionment",
    "trust_in_network", "perceived_progress", "coordinator_tie", "active", "attending",
)


class Organisations:
    """Per-member state, one array per variable, index i = organisation i."""

    def __init__(self, params: dict, rng: np.random.Generator, roster: Any = None,
                 sectors: Sectors = BUILT_IN) -> None:
        """Members drawn from the sectors, or those of ``roster`` (a
        :class:`trustnet.core.roster.Roster`, which brings its own sectors), whose given
        values replace the draws."""
        n = params["n_orgs"]
        self.n = n
        self.sectors = roster.sectors if roster is not None else sectors
        # Draws have fixed shapes whatever the parameters, so that arms of a comparison that
        # share a seed face the same members (common random numbers).
        z = rng.standard_normal((4, n))
        drawn = rng.permutation(self.sectors.allocate(n))  # drawn for a roster too (same stream)
        self.sector = roster.sector.copy() if roster is not None else drawn
        size = np.exp(0.5 * z[0]) * self.sectors.power[self.sector]
        self.power = size / size.max()
        self.capacity = np.clip(params["member_capacity"] * np.exp(0.3 * z[1] - 0.045), 1e-4, 1.0)
        motivation = params["initial_commitment"]
        if params["mandated"]:
            motivation *= params["mandated_motivation"]
        self.commitment = np.clip(motivation + 0.12 * z[2], 0.02, 1.0)
        self.names = roster.names if roster is not None else None
        self.given_attendance = None
        if roster is not None:
            for name in ("power", "capacity", "commitment"):
                given = getattr(roster, name)
                setattr(self, name, np.where(np.isfinite(given), given, getattr(self, name)))
            if np.isfinite(roster.attendance).any():
                self.given_attendance = roster.attendance
        self.commitment_base = self.commitment.copy()
        self.volunteering_base = np.clip(params["volunteering"] + 0.12 * z[3], 0.0, 1.0)
        self.volunteering = self.volunteering_base.copy()
        self.disillusionment = np.zeros(n)
        self.trust_in_network = np.full(n, params["initial_trust"])
        self.trust_in_network_start = self.trust_in_network.copy()
        self.perceived_progress = np.zeros(n)
        self.coordinator_tie = np.zeros(n)
        self.active = np.ones(n, dtype=bool)
        self.exits = 0  # members who have left so far
        self.pending = 0  # members of the roster who have not joined yet
        self.attending = np.zeros(n, dtype=bool)
        self.configure(params)
        self.load = np.zeros(n, dtype=np.int64)  # number of active projects a member works on
        self.capacity_used = np.zeros(n)  # share of this month's capacity taken by meetings etc.
        self.power_order = np.argsort(self.power, kind="stable")  # least to most powerful
        self._halves: tuple[tuple[int, int], tuple[np.ndarray, np.ndarray]] | None = None
        if roster is not None and roster.joins is not None:  # who joins later is not yet in
            later = roster.joins > 0
            self.active[later] = False
            self.pending = int(later.sum())
        self.joined = self.active.copy()  # a member joins once; who left does not come back

    def configure(self, params: dict) -> None:
        """What members derive from the parameters (again whenever an event changes them)."""
        base = self.sectors.base_attendance(params)
        self.base_attendance = base[self.sector]
        if self.given_attendance is not None:  # a roster's own attendance, where given
            given = self.given_attendance
            self.base_attendance = np.where(np.isfinite(given), given, self.base_attendance)
        # the same scarcity of time that keeps a sector from meetings keeps it from
        # working groups
        self.availability = np.minimum(1.0, self.base_attendance / max(base.max(), 1e-9))

    @property
    def n_active(self) -> int:
        return self.n - self.exits - self.pending

    def begin_month(self, coordination_cost: float) -> None:
        """A new month: only the share shared coordination takes is used up so far."""
        self.capacity_used[:] = 0.0
        if coordination_cost:
            self.capacity_used += coordination_cost

    def leave(self, who: np.ndarray) -> None:
        """Members ``who`` leave the network for good."""
        if len(who):
            self.exits += len(who)
            self.active[who] = False
            self.attending[who] = False

    def join(self, who: np.ndarray) -> None:
        """Members ``who`` of the roster join the network now."""
        who = who[~self.joined[who]]
        if len(who):
            self.pending -= len(who)
            self.active[who] = True
            self.joined[who] = True

    def drop_coordinator_ties(self) -> None:
        """The coordinator left or a successor started: ties with the person go with it."""
        self.coordinator_tie[:] = 0.0

    def power_halves(self) -> tuple[np.ndarray, np.ndarray]:
        """The less and the more powerful half of the active members (equal sizes)."""
        key = (self.exits, self.pending)
        if self._halves is None or self._halves[0] != key:
            ranked = self.power_order[self.active[self.power_order]]
            half = len(ranked) // 2
            self._halves = (key, (ranked[:half], ranked[len(ranked) - half:]))
        return self._halves[1]

    def recover(self, months: int, params: dict) -> None:
        """Commitment relaxes towards each organisation's motivation: why it joined, moved by
        how its trust in the network has changed since (so commitment carries the network's
        history instead of returning to where it started)."""
        keep = (1.0 - params["commitment_recovery"]) ** months
        _recover(self.commitment, self.commitment_base, self.trust_in_network,
                 self.trust_in_network_start, params["motivation_trust_link"], 1.0 - keep)

    def signal(self, who: np.ndarray, value: np.ndarray | float, params: dict) -> None:
        """Perceived progress of members ``who`` moves with a signal in [-1, 1] (M2).

        Commitment and trust in the network follow perceived progress; negative progress
        disillusions. Each update moves a share (a rate in [0, 1]) of the way to a bound, so
        every state stays within [0, 1] without clipping. ``who`` holds each member once.
        """
        values = np.asarray(value, dtype=np.float64).reshape(-1)  # one for all, or one each
        if len(values) not in (1, len(who)):
            raise ValueError(f"signal: got {len(values)} values for {len(who)} members; "
                             "allowed: one for all or one each")
        _signal(who, values, self.perceived_progress, self.commitment, self.trust_in_network,
                self.disillusionment, params["progress_memory"], params["motivation_rate"],
                params["disillusion_rate"])

    def recover_volunteering(self, params: dict) -> None:
        """Willingness to volunteer relaxes towards each member's own propensity."""
        _relax(self.volunteering, self.volunteering_base, params["volunteering_recovery"])

    def overrule(self, who: np.ndarray, params: dict) -> None:
        """Members whose view was set aside lose trust in the network and some commitment (M5).

        The loss grows with how little say a member had: a directive coordinator consults the
        powerful, whose objections shape the item, so the most powerful member loses nothing.
        """
        who = np.asarray(who)
        if who.dtype == np.bool_:
            who = np.flatnonzero(who)
        if len(who):  # one by one: a member overruled twice loses twice
            _overrule(who.astype(np.int64, copy=False), self.power, self.trust_in_network,
                      self.commitment, params["overrule_penalty"])


class Organisation(mesa.Agent):
    """A member organisation: a view on row ``index`` of the model's :class:`Organisations`."""

    def __init__(self, model: TrustNetworkModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def sector_name(self) -> str:
        return self.model.orgs.sectors.names[self.model.orgs.sector[self.index]]

    @property
    def name(self) -> str:
        """The member's name in the roster (its sector and number in a generated network)."""
        names = self.model.orgs.names
        return names[self.index] if names is not None else f"{self.sector_name} {self.index}"


def _view(name: str) -> property:
    def get(self: Organisation):
        value = getattr(self.model.orgs, name)[self.index]
        return value.item() if hasattr(value, "item") else value

    get.__doc__ = f"This organisation's {name.replace('_', ' ')} (read from the model's arrays)."
    return property(get)


for _name in STATE_VARIABLES:
    setattr(Organisation, _name, _view(_name))


@jit
def _signal(who, values, perceived_progress, commitment, trust_in_network, disillusionment,
            rho, rate, disillusion_rate):  # pragma: no cover - compiled
    for x in range(len(who)):
        m = who[x]
        value = minimum(maximum(values[x if len(values) > 1 else 0], -1.0), 1.0)
        pp = perceived_progress[m] * (1 - rho) + rho * value
        perceived_progress[m] = pp
        up = pp > 0
        c = commitment[m]
        commitment[m] = c + rate * pp * (1 - c if up else c)
        t = trust_in_network[m]
        trust_in_network[m] = t + 0.5 * rate * pp * (1 - t if up else t)
        d = disillusionment[m]
        disillusionment[m] = d - disillusion_rate * pp * (d if up else 1 - d)


@helper
def overrule_member(m, power, trust_in_network, commitment,
                    overrule_penalty):  # pragma: no cover - compiled
    """Member ``m``'s view was set aside (:meth:`Organisations.overrule`)."""
    penalty = overrule_penalty * (1.0 - power[m])
    trust_in_network[m] *= 1.0 - penalty
    commitment[m] *= 1.0 - 0.5 * penalty


@jit
def _overrule(who, power, trust_in_network, commitment,
              overrule_penalty):  # pragma: no cover - compiled
    for x in range(len(who)):
        overrule_member(who[x], power, trust_in_network, commitment, overrule_penalty)


@jit
def _recover(commitment, commitment_base, trust_in_network, trust_in_network_start, link,
             share):  # pragma: no cover - compiled
    for m in range(len(commitment)):
        motivation = minimum(maximum(
            commitment_base[m] + link * (trust_in_network[m] - trust_in_network_start[m]),
            0.02), 1.0)
        commitment[m] += share * (motivation - commitment[m])


@jit
def _relax(values, towards, rate):  # pragma: no cover - compiled
    """``values += rate * (towards - values)``."""
    for m in range(len(values)):
        values[m] += rate * (towards[m] - values[m])
