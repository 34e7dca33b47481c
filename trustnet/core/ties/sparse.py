"""Ties of large networks: only pairs that have met are stored (memory grows with the ties).

A pair that has never talked or worked together in the network has no evidence (its trust is
the prior) and the strength of its less embedded member's prior relationships,
``min(e_i, e_j)``; both follow from per-member arrays, so such pairs need no storage. A pair
is stored from the first time it gains evidence or strength, as a row appended to flat
arrays and found through an index of the keys ``i * n + j`` kept sorted.

Because rounding is monotone, ``min(e_i, e_j)`` decayed as two members' values equals the
pair's value decayed by itself, and the level of an unmet pair is the lower of its members'
levels; so this storage gives the same trust, strength and level for every pair as
:class:`trustnet.core.ties.DenseTies`, with the same arithmetic. The sums that feed decisions
are exact (whole units of ``UNIT``), so both storages decide alike; the reported pair metrics
agree to within floating-point summation order.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from trustnet.core.ties.base import Ties, any_nonzero, in_units


class SparseTies(Ties):
    """Evidence, strength, cached trust and level of the pairs that have met, as edge arrays."""

    COLUMNS: ClassVar[dict[str, type]] = {
        "i": np.int32, "j": np.int32, "r": np.float32, "s": np.float32, "strength": np.float32,
        "_trust": np.float32, "level": np.int8}

    def __init__(self, embeddedness: np.ndarray, params: dict) -> None:
        super().__init__(embeddedness, params)
        self.size = 0  # stored pairs; the columns are views of the first ``size`` rows
        self._columns = {name: np.empty(0, dtype) for name, dtype in self.COLUMNS.items()}
        self._view()
        self._sorted_key = np.empty(0, dtype=np.int64)  # the index: i * n + j, sorted,
        self._row_of = np.empty(0, dtype=np.int64)  # and the row of each
        self.refresh()

    def _view(self) -> None:
        for name, column in self._columns.items():
            setattr(self, name, column[: self.size])

    # --- unmet pairs ---------------------------------------------------------------------
    def _prior(self) -> None:
        """Trust of an unmet pair, and each member's level as the weaker side of one."""
        zero = np.zeros(self.n, dtype=np.float32)
        trust, self.member_level = self._derive(zero, zero, self.embeddedness)
        self.prior_trust = trust[:1].copy()  # float32, as stored trust is

    def _unmet_level(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return np.minimum(self.member_level[i], self.member_level[j])

    # --- finding and adding pairs --------------------------------------------------------
    def _find(self, i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row of each pair in the edge arrays, and whether it is stored."""
        return self._find_keys(np.asarray(i, dtype=np.int64) * self.n + j)

    def _find_keys(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        at = np.searchsorted(self._sorted_key, query)
        found = at < self.size
        found[found] = self._sorted_key[at[found]] == query[found]
        row = np.full(len(query), -1, dtype=np.int64)
        row[found] = self._row_of[at[found]]
        return row, found

    def _rows(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Rows of the given pairs, storing those not met before with their unmet state."""
        return self._rows_of_keys(np.asarray(i, dtype=np.int64) * self.n + j)

    def _rows_of_keys(self, query: np.ndarray) -> np.ndarray:
        row, found = self._find_keys(query)
        if found.all():
            return row
        new = np.unique(query[~found])
        row[~found] = self.size + np.searchsorted(new, query[~found])
        self._append(new)
        return row

    def _append(self, new: np.ndarray) -> None:
        """Store the pairs with the (sorted, unstored) keys ``new`` in their unmet state."""
        old, m = self.size, len(new)
        capacity = len(self._columns["r"])
        if old + m > capacity:  # grow by half, so appends cost O(1) each
            capacity = max(old + m, int(1.5 * capacity), 1024)
            for name, column in self._columns.items():
                grown = np.empty(capacity, dtype=column.dtype)
                grown[:old] = column[:old]
                self._columns[name] = grown
        ni, nj = np.divmod(new, self.n)
        e = self.embeddedness
        for name, values in (
                ("i", ni), ("j", nj), ("r", 0.0), ("s", 0.0),
                ("strength", np.minimum(e[ni], e[nj])),
                ("_trust", self.prior_trust[0]), ("level", self._unmet_level(ni, nj))):
            self._columns[name][old:old + m] = values
        self.size = old + m
        self._view()
        # the index: merge the new keys into the sorted ones
        at = np.searchsorted(self._sorted_key, new) + np.arange(m)
        kept = np.ones(old + m, dtype=bool)
        kept[at] = False
        sorted_key = np.empty(old + m, dtype=np.int64)
        sorted_key[at], sorted_key[kept] = new, self._sorted_key
        row_of = np.empty(old + m, dtype=np.int64)
        row_of[at], row_of[kept] = np.arange(old, old + m), self._row_of
        self._sorted_key, self._row_of = sorted_key, row_of

    # --- reading -------------------------------------------------------------------------
    def trust_of(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        row, found = self._find(i, j)
        trust = np.full(len(row), self.prior_trust[0], dtype=np.float32)
        trust[found] = self._trust[row[found]]
        trust[np.asarray(i) == j] = 0.0
        return trust

    def level_of(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        row, found = self._find(i, j)
        level = self._unmet_level(i, j)
        level[found] = self.level[row[found]]
        level[np.asarray(i) == j] = 0
        return level

    def _dense(self, stored: np.ndarray, unmet: np.ndarray) -> np.ndarray:
        """A full n x n matrix from the unmet pairs' one (small networks only: tests and
        pictures)."""
        unmet[self.i, self.j] = stored
        np.fill_diagonal(unmet, 0)
        return unmet

    def trust(self) -> np.ndarray:
        return self._dense(self._trust, np.full((self.n, self.n), self.prior_trust[0]))

    def level_matrix(self) -> np.ndarray:
        return self._dense(self.level, np.minimum.outer(self.member_level, self.member_level))

    def strength_matrix(self) -> np.ndarray:
        return self._dense(self.strength, np.minimum.outer(self.embeddedness, self.embeddedness))

    def count_ties(self) -> int:
        """Ordered pairs with any shared history (trust evidence)."""
        return int(np.count_nonzero((self.r + self.s) > 0))

    def _within(self, members: np.ndarray) -> np.ndarray:
        """Stored rows whose two members are both among ``members``."""
        among = np.zeros(self.n, dtype=bool)
        among[members] = True
        return (among[self.i] & among[self.j]).nonzero()[0]

    def _weighted_trust(self, members: np.ndarray) -> tuple[int, int]:
        rows = self._within(members)
        rows = rows[self.i[rows] != self.j[rows]]
        strength = self.strength[rows]
        prior = self.prior_trust[0]
        # unmet pairs have trust ``prior`` and strength min(e_i, e_j): over all ordered pairs
        # of members, each member's value counts twice for every member above it (sorted),
        # less what the stored pairs had when unmet
        e = np.sort(self.embeddedness[members])
        above = np.arange(len(e) - 1, -1, -1).tolist()
        unmet = np.minimum(self.embeddedness[self.i[rows]], self.embeddedness[self.j[rows]])
        sums = []
        for met, all_pairs, met_unmet in ((self._trust[rows] * strength, prior * e, prior * unmet),
                                          (strength, e, unmet)):
            # Python integers: the sum over all pairs may exceed 64 bits on large networks
            every = 2 * sum(map(int.__mul__, in_units(all_pairs).tolist(), above))
            sums.append(int(in_units(met).sum(dtype=np.int64)) + every
                        - int(in_units(met_unmet).sum(dtype=np.int64)))
        return sums[0], sums[1]

    def level_shares_among(self, members: np.ndarray) -> np.ndarray:
        """Share of ordered pairs within ``members`` at or above each level 1..3."""
        k = len(members)
        if k < 2:
            return np.ones(3)
        return self._level_counts(self._within(members), self.member_level[members]) / (
            k * (k - 1))

    def _level_counts(self, rows: np.ndarray, member_level: np.ndarray) -> np.ndarray:
        """Ordered pairs at or above each level 1..3: stored ``rows`` plus the unmet pairs
        among members with ``member_level``."""
        level, unmet = self.level[rows], self._unmet_level(self.i[rows], self.j[rows])
        counts = np.empty(3)
        for lv in (1, 2, 3):
            m = np.count_nonzero(member_level >= lv)
            counts[lv - 1] = (m * (m - 1) - np.count_nonzero(unmet >= lv)
                              + np.count_nonzero(level >= lv))
        return counts

    # --- changing ------------------------------------------------------------------------
    def add_evidence(self, i: np.ndarray, j: np.ndarray, good: np.ndarray | float,
                     bad: np.ndarray | float = 0.0) -> None:
        """Add good and bad experiences of i with j (pairs may repeat)."""
        has_good, has_bad = any_nonzero(good), any_nonzero(bad)
        if not (has_good or has_bad):
            return
        rows = self._rows(i, j)
        if has_good:
            np.add.at(self.r, rows, good)
        if has_bad:
            np.add.at(self.s, rows, bad)

    def strength_of(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        row, found = self._find(i, j)
        e = self.embeddedness
        strength = np.minimum(e[i], e[j])
        strength[found] = self.strength[row[found]]
        strength[np.asarray(i) == j] = 0.0
        return strength

    def set_strength(self, i: np.ndarray, j: np.ndarray, strength: np.ndarray) -> None:
        """Given relationship strength of pairs (pass both orders of a pair)."""
        rows = self._rows(i, j)  # may store new pairs, and so renew the column views
        self.strength[rows] = strength

    def strengthen(self, i: np.ndarray, j: np.ndarray, gain: np.ndarray | float) -> None:
        """Move the strength of pairs towards 1; pass both orders of a pair to keep symmetry."""
        rows = self._rows(i, j)
        s = self.strength[rows]
        self.strength[rows] = s + gain * (1.0 - s)

    def talk(self, i: np.ndarray, j: np.ndarray, evidence: np.ndarray, gain: float,
             against: np.ndarray | None = None) -> None:
        rows = self._rows(i, j)
        self.r[rows] += evidence
        if against is not None:
            self.s[rows] += against
        s = self.strength[rows]
        self.strength[rows] = s + gain * (1.0 - s)

    # --- derived state and metrics -------------------------------------------------------
    def refresh(self) -> None:
        """Recompute trust and level of every stored pair and of unmet pairs, and the metrics."""
        self._prior()
        # in place: the cached columns are views of the stored rows
        self._trust[:], self.level[:] = self._derive(self.r, self.s, self.strength)
        self._sums()
        self.version += 1

    def _sums(self) -> None:
        active = self.active
        k = int(np.count_nonzero(active))
        self.n_pairs = k * (k - 1)
        rows = (slice(None) if active.all()
                else (active[self.i] & active[self.j]).nonzero()[0])
        trust = self._trust[rows]
        unmet = self.n_pairs - len(trust)
        prior = float(self.prior_trust[0])
        self.sum_trust = float(trust.sum(dtype=np.float64)) + unmet * prior
        level = self.trusting_level
        self.n_trusting = int(np.count_nonzero(trust > level)) + (unmet if prior > level else 0)
        self.at_least = [int(x) for x in
                         self._level_counts(rows, self.member_level[active])]

    def _trust_sums(self, members: np.ndarray) -> np.ndarray:
        rows = self._within(members)
        rows = rows[self.i[rows] != self.j[rows]]
        k = len(members)
        slot = np.empty(self.n, dtype=np.int64)
        slot[members] = np.arange(k)
        at = slot[self.i[rows]]
        # whole numbers below 2^53: their float sums are exact
        met = np.bincount(at, weights=in_units(self._trust[rows]), minlength=k).astype(np.int64)
        unmet = k - 1 - np.bincount(at, minlength=k)  # pairs at the prior
        return met + unmet * int(in_units(self.prior_trust)[0])

    def _earned_sum(self) -> float:
        good = np.zeros(self.size, dtype=np.float32)
        bad = np.zeros(self.size, dtype=np.float32)
        for members, g, b in self.shocks:
            rows = self._within(members)
            good[rows] += g
            bad[rows] += b
        rows = np.flatnonzero(((good > 0) | (bad > 0))
                              & self.active[self.i] & self.active[self.j])
        trust, _ = self._derive(np.maximum(self.r[rows] - good[rows], 0.0),
                                np.maximum(self.s[rows] - bad[rows], 0.0), self.strength[rows])
        return self.sum_trust - float(self._trust[rows].sum(dtype=np.float64)
                                      - trust.sum(dtype=np.float64))

    def touch(self, i: np.ndarray, j: np.ndarray) -> None:
        """Re-derive trust and level of the given pairs and update the metrics by difference."""
        if len(i) == 0:
            return
        keep = i != j
        # in order of the pairs, as the dense storage takes them (the same sums)
        rows = self._rows_of_keys(np.unique(i[keep].astype(np.int64) * self.n + j[keep]))
        old_t, old_l = self._trust[rows], self.level[rows]
        new_t, new_l = self._derive(self.r[rows], self.s[rows], self.strength[rows])
        self._trust[rows], self.level[rows] = new_t, new_l
        counted = self.active[self.i[rows]] & self.active[self.j[rows]]
        if not counted.all():
            old_t, old_l = old_t[counted], old_l[counted]
            new_t, new_l = new_t[counted], new_l[counted]
        self._update_sums(old_t, old_l, new_t, new_l)
