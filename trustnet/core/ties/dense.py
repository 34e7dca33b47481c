"""Dense tie storage: every ordered pair in n x n arrays (fastest up to a few thousand members)."""

from __future__ import annotations

import numpy as np

from trustnet.core.ties.base import Ties, any_nonzero, in_units


class DenseTies(Ties):
    """Evidence, strength, cached trust and level for every ordered pair, as n x n arrays."""

    def __init__(self, embeddedness: np.ndarray, params: dict) -> None:
        super().__init__(embeddedness, params)
        n, e = self.n, self.embeddedness
        self.r = np.zeros((n, n), dtype=np.float32)
        self.s = np.zeros((n, n), dtype=np.float32)
        self.strength = np.minimum.outer(e, e)
        np.fill_diagonal(self.strength, 0.0)
        self._trust = np.empty((n, n), dtype=np.float32)
        self.level = np.zeros((n, n), dtype=np.int8)
        self._work = np.empty((n, n), dtype=np.float32)  # scratch space of refresh
        self._mask = np.empty((n, n), dtype=bool)
        self._product_fresh = False
        self._worked_mask = np.zeros((n, n), dtype=bool)  # working ties, for marking
        self.refresh()

    # --- reading -------------------------------------------------------------------------
    def trust(self) -> np.ndarray:
        """Row i's trust in j (the diagonal is 0 and means nothing)."""
        return self._trust

    def level_matrix(self) -> np.ndarray:
        return self.level

    def strength_matrix(self) -> np.ndarray:
        return self.strength

    def trust_of(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return self._trust[i, j]

    def level_of(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return self.level[i, j]

    def count_ties(self) -> int:
        """Ordered pairs with any shared history (trust evidence)."""
        return int(np.count_nonzero((self.r + self.s) > 0))

    def _weighted_trust(self, members: np.ndarray) -> tuple[int, int]:
        # rows, then columns: faster than gathering the block at once (no strength on the
        # diagonal)
        strength = self.strength[members][:, members]
        # trust x strength as the last refresh left it, or anew
        product = (self._work[members][:, members] if self._product_fresh
                   else self._trust[members][:, members] * strength)
        return (int(in_units(product).sum(dtype=np.int64)),
                int(in_units(strength).sum(dtype=np.int64)))

    def level_shares_among(self, members: np.ndarray) -> np.ndarray:
        """Share of ordered pairs within ``members`` at or above each level 1..3."""
        k = len(members)
        if k < 2:
            return np.ones(3)
        level = self.level[members][:, members]  # the diagonal is level 0
        return np.array([np.count_nonzero(level >= 1), np.count_nonzero(level >= 2),
                         np.count_nonzero(level >= 3)]) / (k * (k - 1))

    def _trust_sums(self, members: np.ndarray) -> np.ndarray:
        # the diagonal holds 0
        block = self._trust if len(members) == self.n else self._trust[members][:, members]
        return in_units(block).sum(axis=1, dtype=np.int64)

    def _has_worked(self, keys: np.ndarray) -> np.ndarray:
        return self._worked_mask.ravel()[keys]

    def _add_worked(self, keys: np.ndarray) -> None:
        self._worked_mask.ravel()[keys] = True

    # --- changing ------------------------------------------------------------------------
    def add_evidence(self, i: np.ndarray, j: np.ndarray, good: np.ndarray | float,
                     bad: np.ndarray | float = 0.0) -> None:
        """Add good and bad experiences of i with j (pairs may repeat)."""
        if any_nonzero(good):
            np.add.at(self.r, (i, j), good)
        if any_nonzero(bad):
            np.add.at(self.s, (i, j), bad)

    def strength_of(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return self.strength[i, j]

    def set_strength(self, i: np.ndarray, j: np.ndarray, strength: np.ndarray) -> None:
        """Given relationship strength of pairs (pass both orders of a pair)."""
        self.strength[i, j] = strength
        self._product_fresh = False

    def strengthen(self, i: np.ndarray, j: np.ndarray, gain: np.ndarray | float) -> None:
        """Move the strength of pairs towards 1; pass both orders of a pair to keep symmetry."""
        s = self.strength[i, j]
        self.strength[i, j] = s + gain * (1.0 - s)
        self._product_fresh = False

    def talk(self, i: np.ndarray, j: np.ndarray, evidence: np.ndarray, gain: float,
             against: np.ndarray | None = None) -> None:
        self.r[i, j] += evidence
        if against is not None:
            self.s[i, j] += against
        self.strengthen(i, j, gain)

    def forget(self, months: int) -> None:
        super().forget(months)
        self._product_fresh = False

    # --- derived state and metrics -------------------------------------------------------
    def refresh(self) -> None:
        """Recompute trust and level of every pair, and the pair metrics.

        The same arithmetic as ``_derive``, written into arrays kept from one meeting to the
        next: allocating n x n temporaries costs more than the arithmetic on large networks.
        """
        trust, level, work, mask = self._trust, self.level, self._work, self._mask
        np.add(self.r, self.s, out=trust)
        trust += np.float32(self.prior_weight)
        np.add(self.r, np.float32(self.a0), out=work)
        np.divide(work, trust, out=trust)
        np.multiply(trust, self.strength, out=work)
        t1, t2, t3 = self.thresholds
        np.greater_equal(work, t1, out=mask)
        np.copyto(level, mask)
        for threshold in (t2, t3):
            np.greater_equal(work, threshold, out=mask)
            level += mask
        np.fill_diagonal(trust, 0.0)
        np.fill_diagonal(level, 0)
        self._product_fresh = True  # ``work`` holds trust x strength (0 on the diagonal)
        self._sums()
        self.version += 1

    def _tally(self, trust: np.ndarray, level: np.ndarray) -> list[float]:
        """Sum of trust, pairs trusting, and pairs at or above each level 1..3."""
        # the whole matrix is counted without temporaries
        out = self._mask if trust.shape == self._mask.shape else None
        count = np.count_nonzero
        return [float(trust.sum(dtype=np.float64)),
                count(np.greater(trust, self.trusting_level, out=out)),
                count(level), count(np.greater_equal(level, 2, out=out)),
                count(np.greater_equal(level, 3, out=out))]

    def _sums(self) -> None:
        gone = (~self.active).nonzero()[0]
        k = self.n - len(gone)
        self.n_pairs = k * (k - 1)
        tally = self._tally(self._trust, self.level)
        if len(gone):  # take out the rows and columns of members who left
            block = np.ix_(gone, gone)
            for sign, part in ((-1, self._tally(self._trust[gone], self.level[gone])),
                               (-1, self._tally(self._trust[:, gone], self.level[:, gone])),
                               (1, self._tally(self._trust[block], self.level[block]))):
                tally = [a + sign * b for a, b in zip(tally, part)]
        self.sum_trust = tally[0]
        self.n_trusting = int(tally[1])
        self.at_least = [int(x) for x in tally[2:]]

    def _earned_sum(self) -> float:
        # only the block of active members a shock reached changes: the sum of trust less
        # that block's trust, plus the block re-derived without the shocks' evidence
        reached = np.unique(np.concatenate([m for m, _, _ in self.shocks]))
        reached = reached[self.active[reached]]
        if len(reached) < 2:
            return self.sum_trust
        k = len(reached)
        good, bad = np.zeros((k, k), dtype=np.float32), np.zeros((k, k), dtype=np.float32)
        for members, g, b in self.shocks:
            at = np.searchsorted(reached, members[self.active[members]])
            good[np.ix_(at, at)] += g
            bad[np.ix_(at, at)] += b
        block = np.ix_(reached, reached)
        trust, _ = self._derive(np.maximum(self.r[block] - good, 0.0),
                                np.maximum(self.s[block] - bad, 0.0), self.strength[block])
        np.fill_diagonal(trust, 0.0)
        return self.sum_trust - float(self._trust[block].sum(dtype=np.float64)
                                      - trust.sum(dtype=np.float64))

    def touch(self, i: np.ndarray, j: np.ndarray) -> None:
        """Re-derive trust and level of the given pairs and update the metrics by difference."""
        if len(i) == 0:
            return
        flat = np.sort(i * self.n + j)  # each pair once, in order (np.unique, faster)
        flat = flat[np.concatenate(([True], flat[1:] != flat[:-1]))]
        rows, cols = np.divmod(flat, self.n)
        keep = rows != cols
        rows, cols, flat = rows[keep], cols[keep], flat[keep]
        old_t = self._trust.ravel()[flat]
        old_l = self.level.ravel()[flat]
        new_t, new_l = self._derive(self.r.ravel()[flat], self.s.ravel()[flat],
                                    self.strength.ravel()[flat])
        self._trust.ravel()[flat] = new_t
        self.level.ravel()[flat] = new_l
        self._product_fresh = False
        counted = self.active[rows] & self.active[cols]
        if not counted.all():
            old_t, old_l = old_t[counted], old_l[counted]
            new_t, new_l = new_t[counted], new_l[counted]
        self._update_sums(old_t, old_l, new_t, new_l)
