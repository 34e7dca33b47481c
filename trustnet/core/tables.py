"""Reading a user's table (members, ties, sectors): one set of checks, one style of error.

Every error names the file (or table), and where it can the row and column, and says what is
allowed; each reader passes its own error class so that callers can tell them apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def read_table(source: Any, what: str, error: type[ValueError], graphs: bool = False,
               edges: bool = False) -> tuple[pd.DataFrame, str]:
    """A DataFrame of ``source`` (a CSV path, a DataFrame or, with ``graphs``, a networkx
    graph's nodes or ``edges``) and the name its errors use."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise error(f"{path}: no such {what} file (expected a CSV file)")
        try:
            return pd.read_csv(path, skipinitialspace=True), str(path)
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
            raise error(f"{path}: not a readable CSV file: "
                        f"{str(exc).splitlines()[0]}") from None
    if isinstance(source, pd.DataFrame):
        return source.copy(), f"<{what} table>"
    if graphs and hasattr(source, "nodes") and hasattr(source, "edges"):
        if edges:
            rows = [{"source": a, "target": b, **data} for a, b, data in source.edges(data=True)]
            frame = pd.DataFrame(rows, columns=None if rows else ["source", "target"])
        else:
            frame = pd.DataFrame([{"name": n, **data} for n, data in source.nodes(data=True)])
        return frame, f"<graph {what}>"
    allowed = "a CSV file path, a pandas DataFrame or a networkx graph" if graphs else \
        "a CSV file path or a pandas DataFrame"
    raise error(f"{what}: got {type(source).__name__}; allowed: {allowed}")


def check_columns(frame: pd.DataFrame, where: str, columns: dict, required: tuple[str, ...],
                  error: type[ValueError]) -> None:
    """No column but those of ``columns``, and every one of ``required``."""
    unknown = [c for c in frame.columns if c not in columns]
    if unknown:
        raise error(f"{where}: unknown column '{unknown[0]}'; allowed: {', '.join(columns)}")
    for c in required:
        if c not in frame.columns:
            raise error(f"{where}: missing column '{c}' (required: {', '.join(required)})")


def numbers(frame: pd.DataFrame, where: str, column: str, low: float, high: float,
            error: type[ValueError], allowed: str | None = None) -> np.ndarray:
    """The column as floats, NaN where empty or absent; any other value outside [low, high]
    (or not a number) is an error naming its row (``allowed`` says what is, if not that)."""
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    for row, (raw, value) in enumerate(zip(frame[column], values), start=1):
        if pd.isna(raw):
            continue
        if not np.isfinite(value) or not low <= value <= high:
            raise error(f"{where}: row {row}, column '{column}': got {raw!r}; allowed: "
                        f"{allowed or f'a number in [{low:g}, {high:g}]'} or empty")
    return values
