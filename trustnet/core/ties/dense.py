"""Dense tie storage: every ordered pair in n x n arrays (fastest up to a few thousand members)."""

from __future__ import annotations

import numpy as np

from trustnet.core.compiled import helper, jit, pairwise_sum, sort_in_place, sum64
from trustnet.core.ties.base import UNIT, Ties, any_nonzero


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
        self._product_fresh = False
        self._worked_mask = np.zeros((n, n), dtype=bool)  # working ties, for marking
        self._all_pairs: tuple | None = None  # the metrics over every pair, until one changes
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
        # trust x strength as the last refresh left it, or anew
        return _weighted_units(self._trust, self.strength, self._work, self._product_fresh,
                               np.asarray(members, dtype=np.int64))

    def level_shares_among(self, members: np.ndarray) -> np.ndarray:
        """Share of ordered pairs within ``members`` (distinct) at or above each level 1..3."""
        k = len(members)
        if k < 2:
            return np.ones(3)
        return _level_counts(self.level, np.asarray(members, dtype=np.int64)) / (k * (k - 1))

    def _mean_trust_in_others(self) -> np.ndarray:
        return _in_others(self._trust, self.active, float(self.prior_trust_value()))

    def _trust_sums(self, members: np.ndarray) -> np.ndarray:
        return _row_units(self._trust, np.asarray(members, dtype=np.int64))

    def _active_sum(self, rows: np.ndarray, cols: np.ndarray) -> tuple[float, int]:
        return _active_sum(self._trust, rows, cols, self.active)

    def mark_worked(self, team: np.ndarray) -> None:
        new = _mark_worked(np.asarray(team, dtype=np.int64), self._worked_mask)
        if len(new):
            self._newly_worked.append(new)
            self._working = None

    # --- changing ------------------------------------------------------------------------
    def add_evidence(self, i: np.ndarray, j: np.ndarray, good: np.ndarray | float,
                     bad: np.ndarray | float = 0.0) -> None:
        """Add good and bad experiences of i with j (pairs may repeat)."""
        # np.add.at makes one number an array of its own precision: a Python float is double
        if any_nonzero(good):
            _add_at(self.r, i, j, _per_pair(good, len(i), weak=False))
        if any_nonzero(bad):
            _add_at(self.s, i, j, _per_pair(bad, len(i), weak=False))

    def strength_of(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return self.strength[i, j]

    def set_strength(self, i: np.ndarray, j: np.ndarray, strength: np.ndarray) -> None:
        """Given relationship strength of pairs (pass both orders of a pair)."""
        self.strength[i, j] = strength
        self._product_fresh = False

    def strengthen(self, i: np.ndarray, j: np.ndarray, gain: np.ndarray | float) -> None:
        """Move the strength of pairs towards 1; pass both orders of a pair to keep symmetry."""
        _strengthen(self.strength, i, j, _per_pair(gain, len(i)), _is_single(gain))
        self._product_fresh = False

    def talk(self, i: np.ndarray, j: np.ndarray, evidence: np.ndarray, gain: float,
             against: np.ndarray | None = None) -> None:
        _add_once(self.r, i, j, _per_pair(evidence, len(i)))
        if against is not None:
            _add_once(self.s, i, j, _per_pair(against, len(i)))
        self.strengthen(i, j, gain)

    def forget(self, months: int) -> None:
        super().forget(months)
        self._product_fresh = False

    # --- derived state and metrics -------------------------------------------------------
    def refresh(self) -> None:
        """Recompute trust and level of every pair, and the pair metrics.

        The same arithmetic as ``_derive``, written into arrays kept from one meeting to the
        next (allocating n x n temporaries costs more than the arithmetic on large networks).
        """
        t1, t2, t3 = self.thresholds
        _refresh(self.r, self.s, self.strength, np.float32(self.prior_weight),
                 np.float32(self.a0), t1, t2, t3, self._trust, self.level, self._work)
        self._all_pairs = None  # counted anew by _sums
        self._product_fresh = True  # ``work`` holds trust x strength (0 on the diagonal)
        self._sums()
        self.version += 1

    def _sums(self) -> None:
        k = int(np.count_nonzero(self.active))
        self.n_pairs = k * (k - 1)
        # the metrics over every pair, kept until a pair changes (members leaving or joining
        # change only what is subtracted); numpy's own sum, which the kernels follow elsewhere
        if self._all_pairs is None:
            self._all_pairs = (float(self._trust.sum(dtype=np.float64)),
                               *_count_every(self._trust, self.level, self.trusting_level))
        total, self.n_trusting, *at_least = _tally(self._trust, self.level, self.active,
                                                   self.trusting_level, self._all_pairs)
        self.sum_trust = total
        self.at_least = at_least

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
        t1, t2, t3 = self.thresholds
        change = _touch(np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64), self.r,
                        self.s, self.strength, np.float32(self.prior_weight),
                        np.float32(self.a0), t1, t2, t3, self._trust, self.level,
                        self.active, self.trusting_level)
        self._product_fresh = False
        self._all_pairs = None
        self.sum_trust += change[0]
        self.n_trusting += change[1]
        self.at_least = [a + b for a, b in zip(self.at_least, change[2:])]
        self.version += 1


# --- the kernels ---------------------------------------------------------------------------
# Each keeps numpy's arithmetic exactly: a value numpy computes in single precision is
# rounded to single precision after each operation (one operation in double precision
# rounded once gives the single-precision result), one it computes in double precision is
# rounded when stored.

def _is_single(values, weak: bool = True) -> bool:
    """Whether numpy computes with ``values`` in single precision next to a single-precision
    array: a numpy array or scalar keeps its own precision, a Python number (``weak``, NEP
    50) takes the array's."""
    return (weak and type(values) in (float, int)) or getattr(values, "dtype", None) == np.float32


def _per_pair(values, count: int, weak: bool = True) -> np.ndarray:
    """``values`` (an array or one number) as one float64 per pair, rounded to single
    precision where numpy would compute in it (one number is every pair's; an array must
    have one per pair, or one for all, as numpy broadcasts)."""
    if isinstance(values, np.ndarray) and values.ndim:
        if values.shape == (count,):  # the kernels only read it: no copy if none is needed
            return np.ascontiguousarray(values, dtype=np.float64)
        return np.broadcast_to(values, (count,)).astype(np.float64)
    value = np.float32(values) if _is_single(values, weak) else np.float64(values)
    return np.full(count, float(value))


@jit
def _add_at(m, i, j, values):  # pragma: no cover - compiled
    """``np.add.at(m, (i, j), values)``: a repeated pair adds each of its values."""
    for k in range(len(i)):
        m[i[k], j[k]] = np.float64(m[i[k], j[k]]) + values[k]


@jit
def _add_once(m, i, j, values):  # pragma: no cover - compiled
    """``m[i, j] += values``: every pair read first, and a repeated pair keeps its last sum."""
    old = np.empty(len(i), dtype=np.float32)
    for k in range(len(i)):
        old[k] = m[i[k], j[k]]
    for k in range(len(i)):
        m[i[k], j[k]] = np.float64(old[k]) + values[k]


@jit
def _strengthen(strength, i, j, gain, single):  # pragma: no cover - compiled
    """``s + gain * (1 - s)`` of each pair, read first; a repeated pair keeps its last value."""
    old = np.empty(len(i), dtype=np.float32)
    for k in range(len(i)):
        old[k] = strength[i[k], j[k]]
    for k in range(len(i)):
        s = old[k]
        rest = np.float32(1.0 - s)
        if single:
            strength[i[k], j[k]] = s + np.float32(np.float32(gain[k]) * rest)
        else:
            strength[i[k], j[k]] = np.float64(s) + gain[k] * np.float64(rest)


@helper
def _derive_pair(r, s, strength, prior_weight, a0, t1, t2, t3):  # pragma: no cover - compiled
    """Trust, trust x strength and level of one pair: ``Ties._derive``'s arithmetic."""
    trust = np.float32(np.float32(r + s) + prior_weight)
    trust = np.float32(np.float32(r + a0) / trust)
    product = np.float32(trust * strength)
    level = int(product >= t1) + int(product >= t2) + int(product >= t3)
    return trust, product, np.int8(level)


@jit
def _refresh(r, s, strength, prior_weight, a0, t1, t2, t3, trust, level,
             product):  # pragma: no cover - compiled
    n = r.shape[0]
    for a in range(n):
        for b in range(n):
            trust[a, b], product[a, b], level[a, b] = _derive_pair(
                r[a, b], s[a, b], strength[a, b], prior_weight, a0, t1, t2, t3)
        trust[a, a] = 0.0
        level[a, a] = 0


@jit
def _count_every(trust, level, trusting):  # pragma: no cover - compiled
    """Over every pair: the number trusting and at or above each level 1..3 (flat loops the
    compiler vectorises)."""
    flat, levels = trust.ravel(), level.ravel()
    above = one = two = three = 0
    for x in range(len(flat)):
        above += flat[x] > trusting
    for x in range(len(levels)):
        lv = levels[x]
        one += lv >= 1
        two += lv >= 2
        three += lv >= 3
    return above, one, two, three


@helper
def _count(trust, level, rows, cols, trusting, counts,
           by_column):  # pragma: no cover - compiled
    """Sum of the trust of the pairs ``rows`` x ``cols``, in numpy's order: row by row (or
    column by column, as numpy sums the columns it gathered), 8,192 at a time cast to double
    precision, each buffer's pairwise sum added to the total; the pairs trusting and at or
    above each level are added to ``counts``."""
    buffer = np.empty(8192)
    total, k = 0.0, 0
    outer, inner = (cols, rows) if by_column else (rows, cols)
    for x in outer:
        for y in inner:
            a, b = (y, x) if by_column else (x, y)
            t = trust[a, b]
            buffer[k] = t
            k += 1
            if k == 8192:
                total += pairwise_sum(buffer)
                k = 0
            counts[0] += int(t > trusting)
            lv = level[a, b]
            counts[1] += int(lv >= 1)
            counts[2] += int(lv >= 2)
            counts[3] += int(lv >= 3)
    return total + pairwise_sum(buffer[:k]) if k else total


@jit
def _tally(trust, level, active, trusting, every):  # pragma: no cover - compiled
    """Sum of trust between active members, the pairs trusting and those at or above each
    level 1..3: over all pairs (``every``: sum and counts), less the rows and columns of
    members not active, plus their block (numpy's sums in that order)."""
    n = trust.shape[0]
    everyone = np.arange(n)
    gone = np.flatnonzero(~active)
    counts = np.zeros(4, dtype=np.int64)
    total = every[0]
    counts[0], counts[1], counts[2], counts[3] = every[1], every[2], every[3], every[4]
    if len(gone):
        out = np.zeros(4, dtype=np.int64)
        total -= _count(trust, level, gone, everyone, trusting, out, False)
        # numpy gathers the columns of those gone in column order (``trust[:, gone]``)
        total -= _count(trust, level, everyone, gone, trusting, out, True)
        block = np.zeros(4, dtype=np.int64)
        total += _count(trust, level, gone, gone, trusting, block, False)
        for x in range(4):
            counts[x] += block[x] - out[x]
    return total, counts[0], counts[1], counts[2], counts[3]


@jit
def _touch(i, j, r, s, strength, prior_weight, a0, t1, t2, t3, trust, level, active,
           trusting):  # pragma: no cover - compiled
    """Re-derive the given pairs (each once, in order of ``i * n + j``); returns the change of
    the sum of trust between active members, of the pairs trusting and of those at or above
    each level."""
    n = r.shape[0]
    flat = i * n + j
    sort_in_place(flat)
    old = np.empty(len(flat), dtype=np.float32)
    new = np.empty(len(flat), dtype=np.float32)
    change = np.zeros(4, dtype=np.int64)
    m, last = 0, -1
    for key in flat:
        if key == last:
            continue
        last = key
        a, b = key // n, key % n
        if a == b:
            continue
        was_t, was_l = trust[a, b], level[a, b]
        t, _, lv = _derive_pair(r[a, b], s[a, b], strength[a, b], prior_weight, a0, t1, t2,
                                t3)
        trust[a, b], level[a, b] = t, lv
        if active[a] and active[b]:
            old[m], new[m] = was_t, t
            m += 1
            change[0] += int(t > trusting) - int(was_t > trusting)
            change[1] += int(lv >= 1) - int(was_l >= 1)
            change[2] += int(lv >= 2) - int(was_l >= 2)
            change[3] += int(lv >= 3) - int(was_l >= 3)
    return (sum64(new[:m]) - sum64(old[:m]), change[0], change[1], change[2], change[3])


SCALE = np.float32(1.0 / UNIT)  # ``in_units``' factor


@jit
def _weighted_units(trust, strength, product, fresh, members):  # pragma: no cover - compiled
    """Sums over the pairs within ``members`` of trust x strength and of strength, in whole
    units (``in_units``: each value times 2^24 in single precision, rounded down)."""
    among = _mask(members, trust.shape[0])
    weighted = total = 0
    for a in members:  # whole rows, masked: faster than gathering the members' columns
        for b in range(len(among)):
            st = strength[a, b]  # 0 on the diagonal
            pr = product[a, b] if fresh else np.float32(trust[a, b] * st)
            weighted += int(np.float32(pr * SCALE)) if among[b] else 0
            total += int(np.float32(st * SCALE)) if among[b] else 0
    return weighted, total


@helper
def _mask(members, n):  # pragma: no cover - compiled
    among = np.zeros(n, dtype=np.bool_)
    for a in members:
        among[a] = True
    return among


@jit
def _in_others(trust, active, prior):  # pragma: no cover - compiled
    """``Ties.trust_in_others`` of the active members: ``mean_trust_within`` (their summed
    trust in whole units, times UNIT, over the others' number), the prior elsewhere."""
    n = len(active)
    mean = np.full(n, prior)
    members = np.flatnonzero(active)
    k = len(members)
    if k > 1:
        units = _units_of_rows(trust, members)
        for x in range(k):
            mean[members[x]] = units[x] * UNIT / (k - 1)
    return mean


@jit
def _row_units(trust, members):  # pragma: no cover - compiled
    return _units_of_rows(trust, members)


@helper
def _units_of_rows(trust, members):  # pragma: no cover - compiled
    """Each member's summed trust in the other ``members``, in whole units (int64)."""
    among = _mask(members, trust.shape[0])
    sums = np.zeros(len(members), dtype=np.int64)
    for k, a in enumerate(members):
        row = 0
        for b in range(len(among)):  # the diagonal holds 0
            row += int(np.float32(trust[a, b] * SCALE)) if among[b] else 0
        sums[k] = row
    return sums


@jit
def _level_counts(level, members):  # pragma: no cover - compiled
    """Ordered pairs within ``members`` at or above each level 1..3."""
    among = _mask(members, level.shape[0])
    one = two = three = 0
    for a in members:
        for b in range(len(among)):
            lv = level[a, b] if among[b] else 0  # the diagonal is level 0
            one += lv >= 1
            two += lv >= 2
            three += lv >= 3
    counts = np.empty(3)
    counts[0], counts[1], counts[2] = one, two, three
    return counts


@jit
def _active_sum(trust, rows, cols, active):  # pragma: no cover - compiled
    kept = np.empty(len(rows), dtype=np.float32)
    count = 0
    for x in range(len(rows)):
        if active[rows[x]] and active[cols[x]]:
            kept[count] = trust[rows[x], cols[x]]
            count += 1
    return sum64(kept[:count]), count


@jit
def _mark_worked(team, worked):  # pragma: no cover - compiled
    """Mark the pairs of ``team`` as working ties; the keys ``i * n + j`` of those that were
    not, in the group's order (first member's pairs first)."""
    k, n = len(team), worked.shape[0]
    new = np.empty(k * (k - 1), dtype=np.int64)
    count = 0
    for a in range(k):
        for b in range(k):
            i, j = team[a], team[b]
            if a != b and not worked[i, j]:
                worked[i, j] = True
                new[count] = i * n + j
                count += 1
    return new[:count]
