"""Judging a check by size and by emergence, not by significance alone.

With a hundred paired replications on common random numbers almost any difference is
significant, so a check is judged against its *smallest effect of interest* (SESOI, declared
with the outcome in :mod:`trustnet.core.reporters`, or by the check itself with a reason):

- **holds**: significant in the claimed direction, and the estimate is at least the SESOI;
- **negligible**: an equivalence test (two one-sided tests at +-SESOI, level ``ALPHA``) places
  the effect inside the margin, i.e. the (1 - 2 ALPHA) interval lies within it;
- **not shown**: neither (too small to matter but not shown to be inside the margin, too
  uncertain, or the other way round).

A claim of *no difference* ("no worse") is a non-inferiority test with the SESOI as the margin:
it holds when the (1 - 2 ALPHA) interval's lower end lies above -SESOI.

Emergence: each check names the rule that turns its treatment into its outcome most directly,
and the validation reruns the pattern with that rule switched off (the treatment kept). The
share of the effect that survives decides: **emergent** when at least ``EMERGENT_SHARE``
survives, **built in** otherwise; **by construction** where the effect is part of what the
treatment means, so no knockout can be run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ALPHA = 0.05
HOLDS, NEGLIGIBLE, NOT_SHOWN = "holds", "negligible", "not shown"
EMERGENT, BUILT_IN, BY_CONSTRUCTION, NO_KNOCKOUT = (
    "emergent", "built in", "by construction", "not tested")
NOT_JUDGED = "not judged (does not hold)"
EMERGENT_SHARE = 0.5  # at least half of the effect survives its knockout (the rule)


@dataclass(frozen=True)
class Margin:
    """A smallest effect of interest in the outcome's unit, with its reason."""

    value: float
    reason: str

    def describe(self) -> str:
        return f"{self.value:.3g}"


def status(estimate: float, expected: int, significant: bool, directions_agree: bool,
           interval: tuple[float, float], margin: float) -> str:
    """The size verdict of one check (see the module docstring).

    ``interval`` is the (1 - 2 ALPHA) interval of the estimate; ``directions_agree`` says the
    estimate and the rank test point the claimed way.
    """
    low, high = interval
    if not (math.isfinite(estimate) and math.isfinite(margin)):
        return NOT_SHOWN
    if expected == 0:
        return HOLDS if math.isfinite(low) and low > -margin else NOT_SHOWN
    if significant and directions_agree and expected * estimate >= margin:
        return HOLDS
    if math.isfinite(low) and math.isfinite(high) and -margin < low and high < margin:
        return NEGLIGIBLE
    return NOT_SHOWN


def surviving_share(original: float, knocked_out: float) -> float:
    """Share of an effect that survives its knockout, clipped to 0-1 (nan without an effect)."""
    if not (math.isfinite(original) and math.isfinite(knocked_out)) or original == 0:
        return math.nan
    return min(1.0, max(0.0, knocked_out / original))


def emergence(share: float | None, by_construction: bool = False) -> str:
    """Emergent, built in, by construction, or not tested (no knockout, or no effect)."""
    if by_construction:
        return BY_CONSTRUCTION
    if share is None or not math.isfinite(share):
        return NO_KNOCKOUT
    return EMERGENT if share >= EMERGENT_SHARE else BUILT_IN


def pattern_verdict(statuses: list[str]) -> str:
    """Reproduced when every check holds by size; partly when some do; else not reproduced."""
    held = sum(s == HOLDS for s in statuses)
    if statuses and held == len(statuses):
        return "reproduced"
    return "partly" if held else "not reproduced"


def pattern_emergence(kinds: list[str]) -> str:
    """Of the checks that hold: built in when any is; emergent when each tested one is and
    none is by construction; partly by construction when some are; else not tested."""
    if BUILT_IN in kinds:
        return BUILT_IN
    if BY_CONSTRUCTION in kinds:
        return f"partly {BY_CONSTRUCTION}" if EMERGENT in kinds else BY_CONSTRUCTION
    return EMERGENT if EMERGENT in kinds else NO_KNOCKOUT
