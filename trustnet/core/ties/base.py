"""What both tie storages share: the parameters, the derivation of trust and level, the metrics."""

from __future__ import annotations

import numpy as np

LEVELS = ("none", "cooperation", "coordination", "collaboration")
TRUSTING_MARGIN = 0.1  # a pair "trusts" when its trust is this far above the prior (no lit.)


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
        self.worked = np.empty(0, dtype=np.int64)  # keys i * n + j of pairs that worked together
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
            act = np.flatnonzero(self.active)
            prior = float(self.prior_trust_value())
            mean = np.full(self.n, prior)
            if len(act) > 1:
                # each float32 trust less the prior is exact in float64, and so are sums of
                # a few thousand of them: the same means from either storage, in any order
                mean[act] = prior + self._excess_over_prior(act) / (len(act) - 1)
            self._in_others = (key, mean)
        return self._in_others[1]

    def prior_trust_value(self) -> np.float32:
        """Trust of a pair without evidence, as stored (single precision)."""
        return np.float32(self.a0) / np.float32(self.prior_weight)

    def _excess_over_prior(self, members: np.ndarray) -> np.ndarray:
        """Each member's summed trust in the other ``members`` above the prior (float64)."""
        raise NotImplementedError

    def mark_worked(self, team: np.ndarray) -> None:
        """The members of ``team`` now share a working group (working ties)."""
        keys = (np.asarray(team, dtype=np.int64)[:, None] * self.n + team).ravel()
        new = set(keys[keys // self.n != keys % self.n].tolist()) - self._worked_keys
        if new:  # a set: marking a group costs its size, not the number of working ties
            self._worked_keys |= new
            self.worked = np.concatenate([self.worked, np.fromiter(new, np.int64, len(new))])
            self._working = None

    def working_trust(self) -> float:
        """Mean trust of active members in those they have shared a working group with
        (working ties); the prior mean while nobody has."""
        key = self.version
        if self._working is not None and self._working[0] == key:
            return self._working[1]
        rows, cols = np.divmod(self.worked, self.n)
        keep = self.active[rows] & self.active[cols]
        value = (float(self.trust_of(rows[keep], cols[keep]).mean(dtype=np.float64))
                 if keep.any() else self.prior_mean)
        self._working = (key, value)
        return value

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
