"""What the pictures need of a model, read once per month.

The only place in the visualisation that reads a model's internals; the figures then work on
the returned arrays and data frames. No Solara here, so notebooks can draw the network too::

    from trustnet.viz.snapshot import snapshot
    from trustnet.viz.figures import network_figure
    network_figure(snapshot(model))
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from trustnet.viz.figures import MAX_DRAWN, NODE_STATES, NetworkSnapshot


def coordinator_state(model: Any) -> str:
    """'present', 'vacant' (between coordinators), 'withdrawn' (for good) or 'none' (shared)."""
    coordinator = model.coordinator
    if coordinator.present:
        return "present"
    if model.governance == "shared":
        return "none"
    return "vacant" if coordinator.vacant else "withdrawn"


def snapshot(model: Any) -> NetworkSnapshot:
    """The network view's data for the model's current month."""
    orgs = model.orgs
    return NetworkSnapshot(
        # copies: the model changes its arrays in place, a month's view must not change
        sector=np.array(orgs.sector, dtype=int),
        sector_names=tuple(orgs.sectors.names),
        capacity=np.array(orgs.capacity, dtype=float),
        active=np.array(orgs.active, dtype=bool),
        attending=np.array(orgs.attending, dtype=bool),
        states={name: np.array(getattr(orgs, name), dtype=float) for name in NODE_STATES},
        level=(model.ties.level_matrix().copy() if orgs.n <= MAX_DRAWN
               else np.zeros((0, 0), dtype=np.int8)),
        coordinator=coordinator_state(model),
        coordinator_style=model.coordinator.current_style,
    )


def series(model: Any) -> pd.DataFrame:
    """The model's time series, one row per month (row k after k steps)."""
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
