"""Sectors as data: what the members of one kind of organisation share.

A sector has a ``share`` (of a generated network's members, and its weight when a project's
needed sectors are drawn), a ``power`` (the relative size of its organisations, from which
members' power is drawn) and an ``attendance`` (its members' base chance to attend a
meeting, which also sets how much time they can give working groups). The five built-in
sectors keep the calibrated defaults of the Swedish case; their attendance comes from the
parameters ``base_attendance`` and ``primary_care_attendance``, so that both stay levers of a
sweep.

A sector table (a CSV file or a DataFrame) has the columns ``sector`` (required, unique) and
optional ``share`` (> 0; all given or all empty), ``power`` (> 0) and ``attendance`` (0-1).
Values left empty come from the built-in sector of that name, else power 1 and the
``base_attendance`` parameter. Shares are normalised; left empty, they follow the roster's
composition (a generated network needs them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from trustnet.core.tables import check_columns, numbers, read_table


class SectorError(ValueError):
    """A sector table that cannot be used (names the file, row and column)."""


@dataclass(frozen=True, eq=False)
class Sectors:
    names: tuple[str, ...]
    share: np.ndarray  # sums to 1; NaN throughout until a roster's composition fills it
    power: np.ndarray
    attendance: tuple[float | str, ...]  # a chance, or the parameter that gives it
    source: str = "built-in"

    def __len__(self) -> int:
        return len(self.names)

    @cached_property
    def key_exponent(self) -> np.ndarray:
        """1 / share: a proposal's sectors are drawn with keys ``u ** (1 / share)``."""
        return 1.0 / np.maximum(self.share, 1e-300)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sectors) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def key(self) -> tuple:
        return (self.names, tuple(self.share.tolist()), tuple(self.power.tolist()),
                self.attendance)

    @property
    def has_shares(self) -> bool:
        return bool(np.isfinite(self.share).all())

    def index(self, name: str) -> int:
        return self.names.index(name)

    def base_attendance(self, params: Mapping[str, Any]) -> np.ndarray:
        """Each sector's base chance to attend under ``params``."""
        return np.array([params[a] if isinstance(a, str) else a for a in self.attendance],
                        dtype=float)

    def allocate(self, n: int) -> np.ndarray:
        """Exact sector counts for ``n`` members by largest remainder, in sector order."""
        quota = self.share * n
        counts = np.floor(quota).astype(int)
        short = n - counts.sum()
        counts[np.argsort(-(quota - counts), kind="stable")[:short]] += 1
        return np.repeat(np.arange(len(self)), counts)

    def with_composition(self, sector: np.ndarray) -> Sectors:
        """The table with the shares of a roster (sector indices) where none were given."""
        if self.has_shares:
            return self
        counts = np.bincount(sector, minlength=len(self)).astype(float)
        return Sectors(self.names, counts / counts.sum(), self.power, self.attendance,
                       self.source)

    def table(self) -> pd.DataFrame:
        """The table as the ODD and ``trustnet sectors`` show it."""
        return pd.DataFrame({"sector": self.names, "share": self.share, "power": self.power,
                             "attendance": [a if isinstance(a, str) else f"{a:g}"
                                            for a in self.attendance]})


# Composition of the Swedish network's list and relative size of each sector's organisations
# (structural assumptions, no lit.: hospitals are few and large, municipal care units many);
# primary care rarely attends (Hallberg et al. 2021).
BUILT_IN = Sectors(
    names=("hospital", "primary_care", "municipal_care", "social_services", "private_provider"),
    share=np.array([0.15, 0.20, 0.35, 0.15, 0.15]),
    power=np.array([3.0, 1.0, 1.5, 1.0, 0.8]),
    attendance=("base_attendance", "primary_care_attendance", "base_attendance",
                "base_attendance", "base_attendance"),
)
SECTORS = BUILT_IN.names
COLUMNS = {"sector": None, "share": (0.0, 1e9), "power": (1e-3, 1e3), "attendance": (0.0, 1.0)}


def read_sectors(source: Any) -> Sectors:
    """The validated sector table of ``source`` (see the module docstring); None: built in."""
    if source is None:
        return BUILT_IN
    if isinstance(source, Sectors):
        return source
    frame, where = read_table(source, "sector", SectorError)
    check_columns(frame, where, COLUMNS, ("sector",), SectorError)
    if not len(frame):
        raise SectorError(f"{where}: no sectors; allowed: at least one row")
    names: list[str] = []
    for row, value in enumerate(frame["sector"], start=1):
        text = "" if pd.isna(value) else str(value).strip()
        if not text:
            raise SectorError(f"{where}: row {row}, column 'sector': empty; every sector needs "
                              "a name")
        if text in names:
            raise SectorError(f"{where}: row {row}, column 'sector': '{text}' is also row "
                              f"{names.index(text) + 1}; names must be unique")
        names.append(text)
    values = {c: numbers(frame, where, c, *COLUMNS[c], SectorError,
                         "a number >= 0" if c == "share" else None)
              for c in ("share", "power", "attendance")}
    share = values["share"]
    given = np.isfinite(share)
    if given.any() and not given.all():
        row = int(np.flatnonzero(~given)[0]) + 1
        raise SectorError(f"{where}: row {row}, column 'share': empty while other rows give "
                          "one; allowed: a share on every row, or on none (the roster's "
                          "composition)")
    if given.all() and not (share > 0).any():
        raise SectorError(f"{where}: column 'share': all zero; allowed: at least one share > 0")
    share = share / share.sum() if given.all() else share
    power, attendance = [], []
    for k, name in enumerate(names):
        built = BUILT_IN.names.index(name) if name in BUILT_IN.names else None
        p, a = values["power"][k], values["attendance"][k]
        power.append(p if np.isfinite(p) else BUILT_IN.power[built] if built is not None
                     else 1.0)
        attendance.append(float(a) if np.isfinite(a) else BUILT_IN.attendance[built]
                          if built is not None else "base_attendance")
    return Sectors(tuple(names), share, np.array(power), tuple(attendance), where)

