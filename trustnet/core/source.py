"""The model's source, as one hash: what decides a run's results."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

CORE = Path(__file__).resolve().parent


@functools.cache
def source_hash() -> str:
    """Hash of every module and built-in scenario file of :mod:`trustnet.core`, by its path
    there (read once per process)."""
    h = hashlib.sha256()
    for path in sorted([*CORE.rglob("*.py"), *CORE.rglob("*.toml")]):
        h.update(path.relative_to(CORE).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]
