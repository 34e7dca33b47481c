"""Pairwise trust and relationship strength between members (M1, M8), stored once.

Trust is a beta reputation with forgetting: per ordered pair (i trusts j) the evidence counts
``r`` (good experiences) and ``s`` (bad ones) give ``T = (r + a0) / (r + s + a0 + b0)``, where
the prior of ``a0 + b0 = prior_weight`` observations has mean ``initial_trust`` (weight 2 is
the textbook ``(r + 1) / (r + s + 2)``; the default 1 lets a first shared project count).
Relationship strength is symmetric; a pair that has not yet met in the network has the strength
of its less embedded member's prior relationships. Tie quality is the geometric mean of trust
and strength, and thresholds on it place each pair at cooperation, coordination or
collaboration.

Forgetting and decay are applied in one pass at each plenary meeting for the months since the
last one, and the pair metrics are then recomputed; between meetings only the pairs touched by
joint work change, and the metrics are updated for those pairs alone. That keeps a month
without a meeting free of any work over all pairs.

Two storages give the same results: :class:`DenseTies` keeps n x n arrays (fastest for the
networks of tens to hundreds of members the model was built for), :class:`SparseTies`
(in :mod:`trustnet.core.ties.sparse`) keeps only pairs that have met, so that memory grows with the
number of ties, not with the square of the number of members.
"""

from __future__ import annotations

import numpy as np

from trustnet.core.ties.base import LEVELS, Ties
from trustnet.core.ties.dense import DenseTies
from trustnet.core.ties.sparse import SparseTies

__all__ = ["DENSE_LIMIT", "LEVELS", "STORAGES", "DenseTies", "SparseTies", "Ties", "make_ties"]

STORAGES = ("auto", "dense", "sparse")
DENSE_LIMIT = 2000  # "auto" stores ties densely up to this many members (see benchmarks/)


def make_ties(embeddedness: np.ndarray, params: dict, storage: str = "auto") -> Ties:
    """Dense or sparse ties for members with the given prior embeddedness."""
    if storage not in STORAGES:
        raise ValueError(f"parameter 'tie_storage': got {storage!r}; allowed: "
                         f"{', '.join(STORAGES)}")
    if storage == "sparse" or (storage == "auto" and len(embeddedness) > DENSE_LIMIT):
        return SparseTies(embeddedness, params)
    return DenseTies(embeddedness, params)
