"""Your own network: members and existing ties from data.

``members`` is a CSV file, a DataFrame or a networkx graph (its nodes and their attributes)
with the columns:

- ``name`` (required, unique) and ``sector`` (required: one of the built-in sectors, or of
  the sector table given with the roster, :mod:`trustnet.core.sectors`);
- optional ``power`` (0-1, the most powerful member 1), ``capacity`` (share of a
  representative's working time for the network, 0-1), ``commitment`` (0-1),
  ``attendance`` (base chance to attend a meeting, 0-1) and ``joins`` (the month the member
  joins; 0 or empty: a member from the start; ``never``: only when a ``member_joins`` event
  brings it in).

``ties`` is a CSV file, a DataFrame or the graph's edges with ``source`` and ``target``
(member names) and optional ``trust`` (0.01-0.99) and ``strength`` (0-1). A pair given once
applies both ways; give both directions for asymmetric trust. A missing optional value comes
from the member's sector, drawn as for a generated network; so does everything about a
member a roster leaves out. Given trust is set as evidence under the prior
(``initial_trust`` with the weight of ``prior_weight`` observations), so it fades as any
evidence does.

The core reads CSV through pandas; other formats belong to the applications.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from trustnet.core.sectors import BUILT_IN, SectorError, Sectors, read_sectors
from trustnet.core.tables import check_columns, numbers, read_table

MEMBER_COLUMNS = {  # column -> (low, high); None: not a number
    "name": None, "sector": None, "power": (1e-4, 1.0), "capacity": (1e-4, 1.0),
    "commitment": (0.0, 1.0), "attendance": (0.0, 1.0), "joins": (0, 100_000),
}
TIE_COLUMNS = {"source": None, "target": None, "trust": (0.01, 0.99), "strength": (0.0, 1.0)}
NEVER = 10**9  # the month of a member who joins only when an event brings it in


class RosterError(ValueError):
    """A roster or tie table that cannot be used (names the file, row and column)."""


@dataclass(frozen=True)
class Roster:
    """Members given by name; NaN where a value comes from the member's sector."""

    names: tuple[str, ...]
    sector: np.ndarray  # sector index of each member
    power: np.ndarray
    capacity: np.ndarray
    commitment: np.ndarray
    attendance: np.ndarray
    joins: np.ndarray | None = None  # month each member joins (0: from the start)
    source: str = "<members>"
    sectors: Sectors = BUILT_IN  # the table ``sector`` indexes

    def __len__(self) -> int:
        return len(self.names)

    def index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.names)}

    def join_months(self) -> dict[str, int]:
        joins = self.joins if self.joins is not None else np.zeros(len(self.names), int)
        return dict(zip(self.names, joins.tolist()))


@dataclass(frozen=True)
class GivenTies:
    """Ordered pairs with given trust and strength (NaN where not given)."""

    i: np.ndarray
    j: np.ndarray
    trust: np.ndarray
    strength: np.ndarray


def read_members(source: Any, sectors: Any = None) -> Roster:
    """The validated roster of ``source`` (see the module docstring), its sectors those of
    ``sectors`` (a sector table; None: the built-in ones)."""
    if isinstance(source, Roster):
        if sectors is not None and read_sectors(sectors) != source.sectors:
            raise RosterError(f"sectors: the roster {source.source} was read with its own "
                              "sector table; give the table to read_members instead")
        return source
    try:
        table = read_sectors(sectors)
    except SectorError as exc:
        raise RosterError(str(exc)) from None
    frame, where = read_table(source, "members", RosterError, graphs=True)
    check_columns(frame, where, MEMBER_COLUMNS, ("name", "sector"), RosterError)
    if len(frame) < 3:
        raise RosterError(f"{where}: {len(frame)} members; allowed: at least 3")
    names = []
    for row, name in enumerate(frame["name"], start=1):
        if pd.isna(name) or not str(name).strip():
            raise RosterError(f"{where}: row {row}, column 'name': empty; every member needs a "
                              "name")
        names.append(str(name).strip())
    seen: dict[str, int] = {}
    for row, name in enumerate(names, start=1):
        if name in seen:
            raise RosterError(f"{where}: row {row}, column 'name': '{name}' is also row "
                              f"{seen[name]}; names must be unique")
        seen[name] = row
    sector = np.empty(len(frame), dtype=np.int64)
    for row, value in enumerate(frame["sector"], start=1):
        text = str(value).strip()
        if text not in table.names:
            more = ("" if table is not BUILT_IN else
                    ", or another sector given in a sector table (sectors=...)")
            raise RosterError(f"{where}: row {row}, column 'sector': got {value!r}; allowed: "
                              f"one of {', '.join(table.names)}{more}")
        sector[row - 1] = table.index(text)
    values = {c: numbers(frame, where, c, *MEMBER_COLUMNS[c], RosterError)
              for c in ("power", "capacity", "commitment", "attendance")}
    if "joins" in frame.columns:  # "never": only an event brings the member in
        never = frame["joins"].astype(str).str.strip().str.lower() == "never"
        frame["joins"] = frame["joins"].where(~never, NEVER)
    joins = numbers(frame, where, "joins", 0, NEVER, RosterError)
    for row, month in enumerate(joins, start=1):
        if np.isfinite(month) and not float(month).is_integer():
            raise RosterError(f"{where}: row {row}, column 'joins': got {month!r}; allowed: a "
                              "whole month (0 or empty: from the start)")
    joins = np.where(np.isfinite(joins), joins, 0).astype(np.int64)
    if not (joins == 0).any():
        raise RosterError(f"{where}: column 'joins': every member joins later; at least one "
                          "must be a member from the start (0 or empty)")
    return Roster(tuple(names), sector, joins=joins, source=where,
                  sectors=table.with_composition(sector), **values)


def read_ties(source: Any, roster: Roster) -> GivenTies:
    """The validated given ties of ``source`` between members of ``roster``."""
    if isinstance(source, GivenTies):
        return source
    frame, where = read_table(source, "ties", RosterError, graphs=True, edges=True)
    check_columns(frame, where, TIE_COLUMNS, ("source", "target"), RosterError)
    index = roster.index()
    pairs = []
    for row, (a, b) in enumerate(zip(frame["source"], frame["target"]), start=1):
        for column, name in (("source", a), ("target", b)):
            if str(name).strip() not in index:
                raise RosterError(f"{where}: row {row}, column '{column}': '{name}' is not a "
                                  f"member of {roster.source}")
        i, j = index[str(a).strip()], index[str(b).strip()]
        if i == j:
            raise RosterError(f"{where}: row {row}: a tie of '{a}' to itself")
        pairs.append((i, j))
    trust = numbers(frame, where, "trust", *TIE_COLUMNS["trust"], RosterError)
    strength = numbers(frame, where, "strength", *TIE_COLUMNS["strength"], RosterError)
    given = {}
    for row, ((i, j), t, s) in enumerate(zip(pairs, trust, strength), start=1):
        if (i, j) in given and given[(i, j)][2]:
            raise RosterError(f"{where}: row {row}: the pair '{roster.names[i]}' -> "
                              f"'{roster.names[j]}' is given twice")
        given[(i, j)] = (t, s, True)
        if (j, i) not in given or not given[(j, i)][2]:  # once applies both ways
            given[(j, i)] = (t, s, False)
    for (i, j), (t, s, explicit) in list(given.items()):  # strength is symmetric
        other = given[(j, i)][1]
        if np.isfinite(s) and np.isfinite(other) and s != other:
            raise RosterError(f"{where}: the pair '{roster.names[i]}' and '{roster.names[j]}' "
                              f"has two strengths ({s:g}, {other:g}); strength is symmetric")
        if not np.isfinite(s) and np.isfinite(other):
            given[(i, j)] = (t, other, explicit)
    keys = sorted(given)
    return GivenTies(np.array([k[0] for k in keys], dtype=np.int64),
                     np.array([k[1] for k in keys], dtype=np.int64),
                     np.array([given[k][0] for k in keys], dtype=float),
                     np.array([given[k][1] for k in keys], dtype=float))


def evidence_for(trust: np.ndarray, a0: float, weight: float) -> tuple[np.ndarray, np.ndarray]:
    """Good and bad evidence that give ``trust`` under the prior of ``weight`` observations,
    ``a0`` of them good."""
    mean = a0 / weight
    good = np.where(trust >= mean, (weight * trust - a0) / (1 - trust), 0.0)
    bad = np.where(trust < mean, a0 / trust - weight, 0.0)
    return good, bad
