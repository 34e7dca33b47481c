"""Pairwise trust and relationship strength between members (M1, M8), stored once.

Trust is a beta reputation with forgetting: per ordered pair (i trusts j) the evidence counts
``r`` (good experiences) and ``s`` (bad ones) give ``T = (r + a0) / (r + s + a0 + b0)``, where
the prior ``a0 + b0 = 2`` has mean ``initial_trust`` (so the default is the textbook
``(r + 1) / (r + s + 2)``). Relationship strength is symmetric; a pair that has not yet met in
the network has the strength of its less embedded member's prior relationships. Tie quality is
the geometric mean of trust and strength, and thresholds on it place each pair at cooperation,
coordination or collaboration.

Forgetting and decay are applied in one pass at each plenary meeting for the months since the
last one, and the pair metrics are then recomputed; between meetings only the pairs touched by
joint work change, and the metrics are updated for those pairs alone. That keeps a month
without a meeting free of any work over all pairs.

Two storages give the same results: :class:`DenseTies` keeps n x n arrays (fastest for the
networks of tens to hundreds of members the model was built for), :class:`SparseTies`
(in :mod:`trustnet.sparse_ties`) keeps only pairs that have met, so that memory grows with the
number of ties, not with the square of the number of members.
"""

from __future__ import annotations

import functools

import numpy as np

LEVELS = ("none", "cooperation", "coordination", "collaboration")
STORAGES = ("auto", "dense", "sparse")
DENSE_LIMIT = 2000  # "auto" stores ties densely up to this many members (see benchmarks/)


def make_ties(embeddedness: np.ndarray, params: dict, storage: str = "auto") -> Ties:
    """Dense or sparse ties for members with the given prior embeddedness."""
    if storage not in STORAGES:
        raise ValueError(f"parameter 'tie_storage': got {storage!r}; allowed: "
                         f"{', '.join(STORAGES)}")
    if storage == "sparse" or (storage == "auto" and len(embeddedness) > DENSE_LIMIT):
        from trustnet.sparse_ties import SparseTies

        return SparseTies(embeddedness, params)
    return DenseTies(embeddedness, params)


class Ties:
    """What both storages share: the parameters, the derivation of trust and level, metrics."""

    def __init__(self, embeddedness: np.ndarray, params: dict) -> None:
        self.n = n = len(embeddedness)
        self.a0 = 2.0 * params["initial_trust"]
        # single precision halves memory and the time of the passes over all pairs
        self.embeddedness = np.asarray(embeddedness, dtype=np.float32).copy()
        # thresholds on quality = sqrt(trust * strength), compared squared
        self.thresholds = tuple(np.float32(params[name]) ** 2 for name in (
            "cooperation_threshold", "coordination_threshold", "collaboration_threshold"))
        self.forgetting = params["forgetting"]
        self.retention = 1.0 - params["strength_decay"]
        self.active = np.ones(n, dtype=bool)
        self.version = 0  # changes whenever any pair's trust or level may have changed
        self.n_pairs = n * (n - 1)
        self.sum_trust = 0.0
        self.n_trusting = 0
        self.at_least = [0, 0, 0]  # pairs at >= cooperation, coordination, collaboration

    def _derive(self, r, s, strength):
        """Trust and level of the given pairs."""
        trust = r + s
        trust += 2.0
        np.divide(r + np.float32(self.a0), trust, out=trust)
        product = trust * strength
        t1, t2, t3 = self.thresholds
        level = (product >= t1).view(np.int8)
        level += product >= t2
        level += product >= t3
        return trust, level

    def _update_sums(self, old_t, old_l, new_t, new_l) -> None:
        """Move the pair metrics by the change of some pairs' trust and level."""
        self.sum_trust += float(new_t.sum(dtype=np.float64) - old_t.sum(dtype=np.float64))
        self.n_trusting += int(np.count_nonzero(new_t > 0.5) - np.count_nonzero(old_t > 0.5))
        for level in (1, 2, 3):
            self.at_least[level - 1] += int(np.count_nonzero(new_l >= level)
                                            - np.count_nonzero(old_l >= level))
        self.version += 1

    def set_active(self, active: np.ndarray) -> None:
        """Members who left no longer count in the pair metrics."""
        self.active = active.copy()
        self._sums()

    def metrics(self) -> tuple[float, float, tuple[float, float, float]]:
        """Mean trust, share of pairs trusting above 0.5, and share of pairs at each level."""
        if self.n_pairs == 0:
            return 0.0, 0.0, (0.0, 0.0, 0.0)
        n = self.n_pairs
        a, b, c = self.at_least
        return self.sum_trust / n, self.n_trusting / n, ((a - b) / n, (b - c) / n, c / n)

    def talk(self, i: np.ndarray, j: np.ndarray, evidence: np.ndarray, gain: float) -> None:
        """Pairs that talked at a meeting: trust evidence and strength, once per pair however
        often the draw paired them (pass both orders of a pair)."""
        raise NotImplementedError

    def forget(self, months: int) -> None:
        """Apply forgetting of evidence and decay of strength for ``months`` months."""
        if months <= 0:
            return
        keep = self.forgetting ** months
        if keep < 1.0:
            self.r *= keep
            self.s *= keep
        fade = self.retention ** months
        if fade < 1.0:
            self.strength *= fade
            self.embeddedness *= fade  # the strength of pairs that have not met

    def _sums(self) -> None:
        raise NotImplementedError


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

    def strength_of(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return self.strength[i, j]

    def count_ties(self) -> int:
        """Ordered pairs with any shared history (trust evidence)."""
        return int(np.count_nonzero((self.r + self.s) > 0))

    def core_trust_among(self, members: np.ndarray) -> float:
        """Trust within ``members``, each pair weighted by its relationship strength.

        Pairs that work together (the core) count; pairs that hardly know each other do not.
        The initial trust when there are no relationships at all.
        """
        # sums over the members' rows, then over their columns: cheaper than gathering the
        # block (the diagonal has no strength)
        among = np.zeros(self.n)
        among[members] = 1.0
        total = float(self.strength[members].sum(axis=0, dtype=np.float64) @ among)
        if total <= 0.0:
            return self.a0 / 2.0
        if self._product_fresh:  # trust x strength as the last refresh left it
            weighted = self._work[members]
        else:
            weighted = self._trust[members] * self.strength[members]
        return float(weighted.sum(axis=0, dtype=np.float64) @ among) / total

    def level_shares_among(self, members: np.ndarray) -> np.ndarray:
        """Share of ordered pairs within ``members`` at or above each level 1..3."""
        k = len(members)
        if k < 2:
            return np.ones(3)
        level = self.level[members][:, members]  # the diagonal is level 0
        return np.array([np.count_nonzero(level >= 1), np.count_nonzero(level >= 2),
                         np.count_nonzero(level >= 3)]) / (k * (k - 1))

    def mean_trust_within(self, members: np.ndarray) -> np.ndarray:
        """Each member's mean trust in the other ``members`` (at least two)."""
        return self._trust[members][:, members].sum(axis=1) / (len(members) - 1)

    # --- changing ------------------------------------------------------------------------
    def add_evidence(self, i: np.ndarray, j: np.ndarray, good: np.ndarray | float,
                     bad: np.ndarray | float = 0.0) -> None:
        """Add good and bad experiences of i with j (pairs may repeat)."""
        if np.any(good):
            np.add.at(self.r, (i, j), good)
        if np.any(bad):
            np.add.at(self.s, (i, j), bad)

    def strengthen(self, i: np.ndarray, j: np.ndarray, gain: np.ndarray | float) -> None:
        """Move the strength of pairs towards 1; pass both orders of a pair to keep symmetry."""
        s = self.strength[i, j]
        self.strength[i, j] = s + gain * (1.0 - s)
        self._product_fresh = False

    def talk(self, i: np.ndarray, j: np.ndarray, evidence: np.ndarray, gain: float) -> None:
        self.r[i, j] += evidence
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
        trust += 2.0
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
        """Sum of trust, pairs above 0.5, and pairs at or above each level 1..3."""
        # the whole matrix is counted without temporaries
        out = self._mask if trust.shape == self._mask.shape else None
        count = np.count_nonzero
        return [float(trust.sum(dtype=np.float64)), count(np.greater(trust, 0.5, out=out)),
                count(level), count(np.greater_equal(level, 2, out=out)),
                count(np.greater_equal(level, 3, out=out))]

    def _sums(self) -> None:
        gone = np.flatnonzero(~self.active)
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

    def touch(self, i: np.ndarray, j: np.ndarray) -> None:
        """Re-derive trust and level of the given pairs and update the metrics by difference."""
        if len(i) == 0:
            return
        flat = np.unique(i * self.n + j)
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


@functools.cache
def _slot_pairs(k: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.nonzero(~np.eye(k, dtype=bool))
    return a, b


def team_pairs(members: np.ndarray, with_slot_of: str = "j"
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ordered pairs within each row of a padded team table (-1 = empty slot).

    Returns (row, i, j, slot): the team row of each pair, its two members, and the slot of
    member ``with_slot_of`` ("i" or "j") in its row.
    """
    a, b = _slot_pairs(members.shape[1])
    i, j = members[:, a], members[:, b]
    rows, cols = np.nonzero((i >= 0) & (j >= 0))
    return rows, i[rows, cols], j[rows, cols], (a if with_slot_of == "i" else b)[cols]
