"""Projects and their working groups, stored as arrays (one row per project ever created).

Also the two rules that judge a project (M2): its chance of success, a logistic in required
over delivered effort, and how meaningful a success feels, which grows with ambition.
"""

from __future__ import annotations

import numpy as np

from trustnet.core.compiled import helper, jit
from trustnet.core.sectors import SECTORS
from trustnet.core.ties import LEVELS

STATUSES = ("active", "succeeded", "failed", "abandoned")
ACTIVE, SUCCEEDED, FAILED, ABANDONED = range(4)
ORIGINS = ("member", "coordinator", "external")


def meaning(ambition: np.ndarray | float, meaningful_ambition: float) -> np.ndarray | float:
    """How much progress a success feels like: little for unambitious projects."""
    return 1.0 - np.exp(-np.asarray(ambition) / meaningful_ambition)


def success_probability(required: np.ndarray, delivered: np.ndarray, missing: np.ndarray,
                        params: dict) -> np.ndarray:
    """Chance of success: logistic in required / delivered effort, less for missing sectors."""
    ratio = required / np.maximum(delivered, 1e-12)
    z = params["success_slope"] * (ratio - params["success_midpoint"])
    z = np.minimum(np.maximum(z, -50.0), 50.0)  # np.clip's result, without its overhead
    return (1.0 - params["missing_sector_penalty"]) ** missing / (1.0 + np.exp(z))


def planning_terms(params: dict) -> str:
    """What the ambition asks of a working group, in the words a coordinator plans in."""
    a, d = params["ambition"], params["project_duration"]
    chance = float(success_probability(np.array([a]), np.ones(1), np.zeros(1), params)[0])
    return (f"ambition {a:g}: a typical project asks its working group for {a:.0%} of the "
            f"network time its members can spare, for all of its {d} months; delivered at that "
            f"pace, with every needed sector in the group, it succeeds with probability "
            f"{chance:.0%} (a coin flip at ambition {params['success_midpoint']:g})")


class Portfolio:
    """All projects of a run. ``members`` is a padded table: -1 marks an empty slot."""

    def __init__(self, team_size: int, capacity: int = 16,
                 sectors: tuple[str, ...] = SECTORS) -> None:
        self.team_size = team_size
        self.sectors = sectors
        self.count = 0
        self.version = 0  # changes whenever a project starts or ends
        self.status_counts = np.zeros(len(STATUSES), dtype=np.int64)
        self._allocate(capacity)

    def _allocate(self, capacity: int) -> None:
        def grow(old, shape, fill, dtype):
            new = np.full(shape, fill, dtype=dtype)
            if old is not None:
                new[: len(old)] = old
            return new

        k = self.team_size
        g = getattr
        self.ambition = grow(g(self, "ambition", None), capacity, 0.0, float)
        self.level = grow(g(self, "level", None), capacity, 1, np.int8)
        self.needs = grow(g(self, "needs", None), (capacity, len(self.sectors)), False, bool)
        self.members = grow(g(self, "members", None), (capacity, k), -1, np.int64)
        self.start = grow(g(self, "start", None), capacity, 0, np.int64)
        self.deadline = grow(g(self, "deadline", None), capacity, 0, np.int64)
        self.required = grow(g(self, "required", None), capacity, 0.0, float)
        self.planned_capacity = grow(g(self, "planned_capacity", None), capacity, 0.0, float)
        self.progress = grow(g(self, "progress", None), capacity, 0.0, float)
        self.effort_members = grow(g(self, "effort_members", None), capacity, 0.0, float)
        self.effort_coordinator = grow(g(self, "effort_coordinator", None), capacity, 0.0, float)
        self.missing = grow(g(self, "missing", None), capacity, 0, np.int64)
        self.origin = grow(g(self, "origin", None), capacity, 0, np.int8)
        self.status = grow(g(self, "status", None), capacity, ACTIVE, np.int8)
        self.ended = grow(g(self, "ended", None), capacity, -1, np.int64)
        # joint work not yet credited to the members' ties: member-months, and months each
        # member volunteered for the open task (credited at the next meeting or at the end)
        self.joint_months = grow(g(self, "joint_months", None), capacity, 0.0, float)
        self.volunteered = grow(g(self, "volunteered", None), (capacity, k), 0, np.int64)
        self.capacity = capacity

    def add_many(self, *, ambition: np.ndarray, level: np.ndarray, needs: np.ndarray,
                 members: np.ndarray, start: int, duration: int,
                 planned_capacity: np.ndarray, origin: np.ndarray, missing: np.ndarray,
                 keep: np.ndarray | None = None) -> np.ndarray:
        """Start projects now, one per row of the arguments (``members`` padded with -1),
        only the rows ``keep`` (bool) if it is given; returns their rows in the portfolio."""
        wanted = len(ambition) if keep is None else int(np.count_nonzero(keep))
        while self.count + wanted > self.capacity:
            self._allocate(2 * self.capacity)
        first = self.count
        _store(first, self.ambition, self.level, self.needs, self.members, self.start,
               self.deadline, self.planned_capacity, self.required, self.origin, self.missing,
               self.status, ambition, level, needs, members, start, duration,
               planned_capacity, origin, missing,
               np.ones(len(ambition), dtype=bool) if keep is None else keep)
        self.count += wanted
        self.version += wanted
        self.status_counts[ACTIVE] += wanted
        return np.arange(first, first + wanted)

    def end(self, rows: np.ndarray, status: np.ndarray | int, step: int) -> None:
        """Projects ``rows`` end now with the given (final) status."""
        self.status[rows] = status
        self.ended[rows] = step
        self.status_counts[ACTIVE] -= len(rows)
        if np.ndim(status) == 0:
            self.status_counts[status] += len(rows)
        else:
            self.status_counts += np.bincount(status, minlength=len(STATUSES))
        self.version += 1

    def active(self) -> np.ndarray:
        return (self.status[: self.count] == ACTIVE).nonzero()[0]

    def counts(self) -> np.ndarray:
        """Number of projects in each status (active, succeeded, failed, abandoned)."""
        return self.status_counts

    def table(self):
        """One row per project created so far, for analysis and display."""
        import pandas as pd

        n = self.count
        effort = self.effort_members[:n] + self.effort_coordinator[:n]
        return pd.DataFrame({
            "project": np.arange(n),
            "origin": [ORIGINS[o] for o in self.origin[:n]],
            "ambition": self.ambition[:n],
            "level": [LEVELS[v] for v in self.level[:n]],
            "needs": [",".join(self.sectors[s] for s in np.flatnonzero(row))
                      for row in self.needs[:n]],
            "team_size": (self.members[:n] >= 0).sum(axis=1),
            "missing_sectors": self.missing[:n],
            "start": self.start[:n],
            "deadline": self.deadline[:n],
            "ended": self.ended[:n],
            "required": self.required[:n],
            "delivered": self.progress[:n],
            "coordinator_share": np.divide(self.effort_coordinator[:n], effort,
                                           out=np.zeros(n), where=effort > 0),
            "status": [STATUSES[s] for s in self.status[:n]],
        })


@jit
def _store(first, ambitions, levels, needs_of, members_of, starts, deadlines, planned, required,
           origins, missings, status, ambition, level, needs, members, start, duration,
           planned_capacity, origin, missing, keep):  # pragma: no cover - compiled
    """Rows ``first``, ``first + 1``, ... of the portfolio: the projects ``keep`` of the
    arguments, which start now."""
    p = first
    for x in range(len(ambition)):
        if not keep[x]:
            continue
        ambitions[p] = ambition[x]
        levels[p] = level[x]
        needs_of[p] = needs[x]
        members_of[p] = members[x]
        starts[p] = start
        deadlines[p] = start + duration
        planned[p] = planned_capacity[x]
        required[p] = ambition[x] * planned_capacity[x] * duration
        origins[p] = origin[x]
        missings[p] = missing[x]
        status[p] = ACTIVE
        p += 1


def team_pairs(members: np.ndarray, with_slot_of: str = "j", active: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ordered pairs within each row of a padded team table (-1 = empty slot), row by row and
    within a row in the order of the slots (first member's slot, then the second's); only
    members ``active`` when that is given.

    Returns (row, i, j, slot): the team row of each pair, its two members, and the slot of
    member ``with_slot_of`` ("i" or "j") in its row.
    """
    row, i, j, slot_i, slot_j = _team_pairs(  # one array: numba returns it faster than five
        np.ascontiguousarray(members, dtype=np.int64),
        NOBODY_LEFT if active is None else active)
    return row, i, j, slot_i if with_slot_of == "i" else slot_j


NOBODY_LEFT = np.empty(0, dtype=bool)  # for _team_pairs: every listed member is active


@jit
def _team_pairs(members, active):  # pragma: no cover - compiled
    return pairs_within(members, active)


@helper
def pairs_within(members, active):  # pragma: no cover - compiled
    """The ordered pairs within each row of ``members`` (see :func:`team_pairs`), as rows of
    one array: row, i, j, slot of i, slot of j."""
    rows, k = members.shape
    if len(active):  # members not active as empty slots
        members = members.copy()
        for r in range(rows):
            for a in range(k):
                if members[r, a] >= 0 and not active[members[r, a]]:
                    members[r, a] = -1
    size = 0
    for r in range(rows):
        filled = 0
        for a in range(k):
            filled += int(members[r, a] >= 0)
        size += filled * (filled - 1)
    pairs = np.empty((5, size), dtype=np.int64)  # row, i, j, slot of i, slot of j
    at = 0
    for r in range(rows):
        for a in range(k):
            if members[r, a] < 0:
                continue
            for b in range(k):
                if b == a or members[r, b] < 0:
                    continue
                pairs[0, at], pairs[1, at], pairs[2, at] = r, members[r, a], members[r, b]
                pairs[3, at], pairs[4, at] = a, b
                at += 1
    return pairs
