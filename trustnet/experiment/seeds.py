"""Per-run seeds from one master seed, with common random numbers across arms.

Replication ``r`` gets the ``r``-th child of ``SeedSequence(master)`` and uses it in every arm,
so two arms of a comparison face the same random draws (same networks, same chance events as
far as the model's streams allow). Seeds depend only on the master seed and the replication
index, never on worker count, task order or engine.
"""

from __future__ import annotations

import numpy as np


def replication_seeds(master_seed: int, replications: int) -> list[int]:
    """One 63-bit integer seed per replication, spawned from ``master_seed``."""
    children = np.random.SeedSequence(master_seed).spawn(replications)
    return [_to_int(c.generate_state(2, dtype=np.uint32)) for c in children]


def derived_seed(master_seed: int, purpose: str) -> int:
    """A seed for an auxiliary purpose (e.g. sampling a design), independent of run seeds."""
    key = [ord(ch) for ch in purpose]
    return _to_int(np.random.SeedSequence([master_seed, *key]).generate_state(2, dtype=np.uint32))


def _to_int(words: np.ndarray) -> int:
    return (int(words[0]) | (int(words[1]) << 32)) & (2**63 - 1)
