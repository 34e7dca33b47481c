"""What both tie storages share: the parameters, the derivation of trust and level, the metrics."""

from __future__ import annotations

import functools

import numpy as np

LEVELS = ("none", "cooperation", "coordination", "collaboration")
TRUSTING_MARGIN = 0.1  # a pair "trusts" when its trust is this far above the prior (no lit.)
UNIT = 2.0 ** -24  # sums over pairs that feed decisions count in whole units of this


def in_units(values) -> np.ndarray:
    """Values in [0, 1] as whole numbers of ``UNIT``, rounded down (single precision values
    have about that resolution).

    Sums of whole numbers are exact, so they are the same in any order: the two storages, which
    add pairs in different orders, read the same sums and so make the same decisions. At most
    2^24 each, they fit int32 (half the memory traffic of int64); numpy sums them as int64.
    """
    return (np.asarray(values, dtype=np.float32) * np.float32(1.0 / UNIT)).astype(np.int32)


def any_nonzero(values: np.ndarray | float) -> bool:
    """Whether evidence ``values`` (an array or one number) hold anything to add: the method, not
    the slower ``np.any``, in the month's hot paths."""
    return bool(values.any()) if isinstance(values, np.ndarray) else values != 0


@functools.cache
def slot_pairs(k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ordered pairs of distinct slots of a group of ``k``: (first slots, second slots)."""
    return np.nonzero(~np.eye(k, dtype=bool))


class Ties:
    """What both storages share: the parameters, the derivation of trust and level, metrics."""

    def __init__(self, embeddedness: np.ndarray, params: dict) -> None:
        self.n = n = len(embeddedness)
        self.prior_mean = params["initial_trust"]
        self.prior_weight = params["prior_weight"]
        self.a0 = self.prior_weight * self.prior_mean  # the prior's good observations
        # a pair trusts when its trust is clearly above where it started
        self.trusting_level = np.float32(min(0.999, self.prior_mean + TRUSTING_MARGIN))
        # single precision halves memory and the time of the passes over all pairs
        self.embeddedness = np.asarray(embeddedness, dtype=np.float32).copy()
        self.configure(params)
        self.active = np.ones(n, dtype=bool)
        self.version = 0  # changes whenever any pair's trust or level may have changed
        self.n_pairs = n * (n - 1)
        self.sum_trust = 0.0
        self.n_trusting = 0
        self.at_least = [0, 0, 0]  # pairs at >= cooperation, coordination, collaboration
        # the pairs that have worked together (working ties), and those marked since last read
        self.worked_i = self.worked_j = np.empty(0, dtype=np.int64)
        self._newly_worked: list[np.ndarray] = []
        self._worked_keys: set[int] = set()
        self._working: tuple | None = None  # working_trust's last value, with its key
        self._in_others: tuple | None = None  # trust_in_others' last value, with its key
        self.shocks: list[list] = []  # [members, good, bad] left of each trust shock

    def configure(self, params: dict) -> bool:
        """Take the thresholds and rates from the parameters (again whenever an event changes
        them); returns whether the thresholds changed, so that levels must be derived anew."""
        # thresholds on quality = sqrt(trust * strength), compared squared
        thresholds = tuple(np.float32(params[name]) ** 2 for name in (
            "cooperation_threshold", "coordination_threshold", "collaboration_threshold"))
        changed = thresholds != getattr(self, "thresholds", None)
        self.thresholds = thresholds
        self.forgetting = params["forgetting"]
        self.retention = 1.0 - params["strength_decay"]
        return changed

    def shock(self, members: np.ndarray, evidence: float) -> None:
        """Trust evidence between every ordered pair of ``members``: good when positive, bad
        when negative (a trust shock); trust and levels are derived anew."""
        k = len(members)
        if k < 2:
            return
        i = np.repeat(members, k)
        j = np.tile(members, k)
        keep = i != j
        i, j = i[keep], j[keep]
        if evidence > 0:
            self.add_evidence(i, j, evidence)
        else:
            self.add_evidence(i, j, 0.0, -evidence)
        self.shocks.append([np.asarray(members), max(evidence, 0.0), max(-evidence, 0.0)])
        self.refresh()

    def earned_mean_trust(self) -> float:
        """Mean trust without what is left of the evidence trust shocks added: the trust the
        network built itself (in a run that has had no shock, its mean trust)."""
        if self.n_pairs == 0:
            return 0.0
        if not self.shocks:
            return self.sum_trust / self.n_pairs
        return self._earned_sum() / self.n_pairs

    def _earned_sum(self) -> float:
        raise NotImplementedError

    def trust_in_others(self) -> np.ndarray:
        """Each member's mean trust in the other active members (the prior mean for a member
        alone); kept until trust changes."""
        key = self.version  # changes with trust and with membership
        if self._in_others is None or self._in_others[0] != key:
            self._in_others = (key, self._mean_trust_in_others())
        return self._in_others[1]

    def _mean_trust_in_others(self) -> np.ndarray:
        act = self.active.nonzero()[0]
        mean = np.full(self.n, float(self.prior_trust_value()))
        if len(act) > 1:
            mean[act] = self.mean_trust_within(act)
        return mean

    def mean_trust_within(self, members: np.ndarray) -> np.ndarray:
        """Each member's mean trust in the other ``members`` (at least two, distinct); exact
        sums, the same from either storage."""
        return self._trust_sums(members) * UNIT / (len(members) - 1)

    def prior_trust_value(self) -> np.float32:
        """Trust of a pair without evidence, as stored (single precision)."""
        return np.float32(self.a0) / np.float32(self.prior_weight)

    def _trust_sums(self, members: np.ndarray) -> np.ndarray:
        """Each member's summed trust in the other ``members``, in whole ``UNIT``s (int64)."""
        raise NotImplementedError

    def core_trust_among(self, members: np.ndarray) -> float:
        """Trust within ``members`` (distinct), each pair weighted by its relationship strength.

        Pairs that work together (the core) count; pairs that hardly know each other do not.
        The initial trust when there are no relationships at all. Exact sums, the same from
        either storage.
        """
        weighted, total = self._weighted_trust(members)
        return weighted / total if total > 0 else self.prior_mean

    def _weighted_trust(self, members: np.ndarray) -> tuple[int, int]:
        """Sums over the ordered pairs within ``members`` of trust x strength and of strength,
        in whole ``UNIT``s."""
        raise NotImplementedError

    def mark_worked(self, team: np.ndarray) -> None:
        """The members of ``team`` (distinct) now share a working group (working ties)."""
        team = np.asarray(team, dtype=np.int64)
        a, b = slot_pairs(len(team))
        keys = team[a] * self.n + team[b]
        new = ~self._has_worked(keys)  # in the group's order, whatever the storage
        if new.any():  # marking a group costs its size, not the number of working ties
            self._add_worked(keys[new])
            self._newly_worked.append(keys[new])  # joined to worked_i, worked_j when read
            self._working = None

    def _has_worked(self, keys: np.ndarray) -> np.ndarray:
        """Whether each pair ``i * n + j`` of ``keys`` is a working tie."""
        return np.fromiter((key in self._worked_keys for key in keys.tolist()), bool, len(keys))

    def _add_worked(self, keys: np.ndarray) -> None:
        self._worked_keys.update(keys.tolist())

    def working_trust(self) -> float:
        """Mean trust of active members in those they have shared a working group with
        (working ties); the prior mean while nobody has."""
        key = self.version
        if self._working is not None and self._working[0] == key:
            return self._working[1]
        if self._newly_worked:
            rows, cols = np.divmod(np.concatenate(self._newly_worked), self.n)
            self.worked_i = np.concatenate([self.worked_i, rows])
            self.worked_j = np.concatenate([self.worked_j, cols])
            self._newly_worked = []
        total, count = self._active_sum(self.worked_i, self.worked_j)
        # the sum over the count: ndarray.mean's arithmetic without its overhead
        value = total / count if count else self.prior_mean
        self._working = (key, value)
        return value

    def _active_sum(self, rows: np.ndarray, cols: np.ndarray) -> tuple[float, int]:
        """The double-precision sum of the trust of the pairs (rows, cols) of two active
        members, and their number."""
        keep = self.active[rows] & self.active[cols]
        trust = self.trust_of(rows[keep], cols[keep])
        return float(np.add.reduce(trust, dtype=np.float64)), len(trust)

    def _derive(self, r, s, strength):
        """Trust and level of the given pairs."""
        trust = r + s
        trust += np.float32(self.prior_weight)
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
        level = self.trusting_level
        self.n_trusting += int(np.count_nonzero(new_t > level) - np.count_nonzero(old_t > level))
        for level in (1, 2, 3):
            self.at_least[level - 1] += int(np.count_nonzero(new_l >= level)
                                            - np.count_nonzero(old_l >= level))
        self.version += 1

    def set_active(self, active: np.ndarray) -> None:
        """Members who left (or have not joined) do not count in the pair metrics."""
        self.active = active.copy()
        self._sums()
        self.version += 1  # what is read over active pairs has changed

    def metrics(self) -> tuple[float, float, tuple[float, float, float]]:
        """Mean trust, share of pairs trusting (clearly above the prior), and share of pairs at
        each level."""
        if self.n_pairs == 0:
            return 0.0, 0.0, (0.0, 0.0, 0.0)
        n = self.n_pairs
        a, b, c = self.at_least
        return self.sum_trust / n, self.n_trusting / n, ((a - b) / n, (b - c) / n, c / n)

    def talk(self, i: np.ndarray, j: np.ndarray, evidence: np.ndarray, gain: float,
             against: np.ndarray | None = None) -> None:
        """Pairs that talked at a meeting: trust evidence (and evidence ``against``, if any)
        and strength, once per pair however often the draw paired them (pass both orders of
        a pair)."""
        raise NotImplementedError

    def forget(self, months: int) -> None:
        """Apply forgetting of evidence and decay of strength for ``months`` months."""
        if months <= 0:
            return
        keep = self.forgetting ** months
        if keep < 1.0:
            self.r *= keep
            self.s *= keep
            for shock in self.shocks:  # what is left of a shock fades like any evidence
                shock[1] *= keep
                shock[2] *= keep
        fade = self.retention ** months
        if fade < 1.0:
            self.strength *= fade
            self.embeddedness *= fade  # the strength of pairs that have not met

    def _sums(self) -> None:
        raise NotImplementedError
