"""What-ifs over time: parameter changes and named actions scheduled at given months.

An event is a mapping with ``month`` (months count from 1: "year 2" is months 13-24) and either
``set``, parameters that take new values from that month on, or ``action``, one of
:data:`ACTIONS`, with its options::

    [{"month": 13, "set": {"relationship_time": 0.6}},
     {"month": 25, "set": {"relationship_time": 0.2}},
     {"month": 36, "action": "withdraw_coordinator"},
     {"month": 12, "action": "appoint_coordinator", "style": "directive"},
     {"month": 24, "action": "trust_shock", "evidence": 2.0}]

Events apply at the start of their month, before anything else happens in it, in the order
given within a month; a run is therefore identical, month by month, to the same seed without
them up to the month of the first event. Parameters declared fixed for a run (structure and
starting values) are refused by name. A coordinator's starting values
(``coordinator_aspiration``, ``coordinator_legitimacy``) apply to the next coordinator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from trustnet.core.parameters import PARAMETERS, check_consistency, unknown_name_message

# action -> {option: (meaning, required)}
ACTIONS: dict[str, dict[str, tuple[str, bool]]] = {
    "withdraw_coordinator": {},
    "appoint_coordinator": {"style": ("the new coordinator's style (nao_style)", False)},
    "impose_mandate": {},
    "lift_mandate": {},
    "member_joins": {"name": ("the member who joins, by its name in the roster (one due to "
                              "join later, or never)", True)},
    "member_leaves": {"name": ("the member who leaves, by its name in the roster", True)},
    "trust_shock": {"evidence": ("trust evidence added to every pair of active members: "
                                 "positive as good experiences, negative as bad ones, in "
                                 "observations (-20 to 20, not 0)", True)},
}
COORDINATOR_ACTIONS = ("withdraw_coordinator", "appoint_coordinator")


@dataclass(frozen=True)
class Event:
    month: int
    changes: Mapping[str, Any] = field(default_factory=dict)  # parameters set from this month
    action: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


class EventError(ValueError):
    """An event that cannot be scheduled (names the event, the key and what is allowed)."""


def parse_events(events: Sequence[Mapping[str, Any]] | None, params: Mapping[str, Any],
                 names: Sequence[str] | None = None, joins: Mapping[str, int] | None = None,
                 ) -> tuple[Event, ...]:
    """Validated events, in the order they apply; ``params`` are the run's starting parameters,
    ``names`` the roster's members (None for a generated network) and ``joins`` the month each
    joins."""
    if events is None:
        return ()
    if isinstance(events, (str, bytes, Mapping)) or not isinstance(events, Sequence):
        raise EventError(f"events: got {type(events).__name__}; allowed: a list of mappings "
                         "with 'month' and 'set' or 'action'")
    # checked in the order they apply: by month, in the order given within a month
    numbered = list(enumerate(events, start=1))
    months = [raw.get("month") if isinstance(raw, Mapping) else None for _, raw in numbered]
    if all(isinstance(m, int) and not isinstance(m, bool) for m in months):
        numbered = [numbered[k] for k in sorted(range(len(numbered)), key=months.__getitem__)]
    out, current = [], dict(params)
    left: set[str] = set()
    joined_at = dict(joins or {})
    for i, raw in numbered:
        event = _parse_one(i, raw, current)
        if event.action in ("member_joins", "member_leaves"):
            _check_member(i, event, names, joined_at, left)
        out.append(event)
    return tuple(out)


def _check_member(i: int, event: Event, names: Sequence[str] | None,
                  joined_at: dict[str, int], left: set[str]) -> None:
    """A member joining or leaving by name: one of the roster, at a month that makes sense."""
    name = event.options["name"]
    where = f"event {i} (month {event.month})"
    if names is None:
        raise EventError(f"{where}: action '{event.action}' needs a roster of named members "
                         "(members=...)")
    if name not in names:
        raise EventError(f"{where}: option 'name': '{name}' is not a member of the roster")
    month = joined_at.get(name, 0)
    if event.action == "member_joins":
        if name in left:
            raise EventError(f"{where}: '{name}' has left; a member who left does not come "
                             "back")
        if month <= event.month:
            raise EventError(f"{where}: '{name}' is a member by then (it joins at month "
                             f"{month}); member_joins brings in one due later or never")
        joined_at[name] = event.month
        return
    if name in left:
        raise EventError(f"{where}: '{name}' has already left")
    if month > event.month:
        shown = "never joins" if month >= 10**9 else f"joins at month {month}"
        raise EventError(f"{where}: '{name}' {shown}, so it cannot leave at month "
                         f"{event.month}")
    left.add(name)


def _parse_one(i: int, raw: Any, current: dict[str, Any]) -> Event:
    if not isinstance(raw, Mapping):
        raise EventError(f"event {i}: got {raw!r}; allowed: a mapping with 'month' and 'set' or "
                         "'action'")
    month = raw.get("month")
    where = f"event {i} (month {month})" if "month" in raw else f"event {i}"
    if isinstance(month, bool) or not isinstance(month, int) or month < 1:
        raise EventError(f"{where}: 'month' got {month!r}; allowed: an integer >= 1 (months "
                         "count from 1; year 2 is months 13-24)")
    kinds = [k for k in ("set", "action") if k in raw]
    if len(kinds) != 1:
        raise EventError(f"{where}: needs exactly one of 'set' (parameters) or 'action' (one of "
                         f"{', '.join(ACTIONS)})")
    if kinds == ["set"]:
        extra = set(raw) - {"month", "set"}
        if extra:
            raise EventError(f"{where}: unknown key '{sorted(extra)[0]}'; allowed: month, set")
        changes = raw["set"]
        if not isinstance(changes, Mapping) or not changes:
            raise EventError(f"{where}: 'set' got {changes!r}; allowed: a non-empty mapping of "
                             "parameter names to values")
        valid = {}
        for name, value in changes.items():
            if name not in PARAMETERS:
                raise EventError(f"{where}: {unknown_name_message(name)}")
            if not PARAMETERS[name].changeable:
                raise EventError(f"{where}: parameter '{name}' is fixed for a run (structure or "
                                 "a starting value) and cannot change in an event")
            try:
                valid[name] = PARAMETERS[name].validate(value)
            except ValueError as exc:
                raise EventError(f"{where}: {exc}") from None
        current.update(valid)
        try:
            check_consistency(current)
        except ValueError as exc:
            raise EventError(f"{where}: {exc}") from None
        return Event(month, changes=valid)
    action = raw["action"]
    if action not in ACTIONS:
        raise EventError(f"{where}: {unknown_name_message(str(action), ACTIONS, kind='action')}")
    allowed = ACTIONS[action]
    options = {k: v for k, v in raw.items() if k not in ("month", "action")}
    for key in options:
        if key not in allowed:
            names = ", ".join(allowed) or "none"
            raise EventError(f"{where}: action '{action}' takes no option '{key}'; allowed: "
                             f"{names}")
    for key, (meaning, required) in allowed.items():
        if required and key not in options:
            raise EventError(f"{where}: action '{action}' needs '{key}' ({meaning})")
    if action in COORDINATOR_ACTIONS and current["governance"] == "shared":
        raise EventError(f"{where}: action '{action}' needs a coordinator's post; under shared "
                         "governance the network coordinates itself")
    if "style" in options:
        try:
            options["style"] = PARAMETERS["nao_style"].validate(options["style"])
        except ValueError as exc:
            raise EventError(f"{where}: option 'style': {exc}") from None
        current["nao_style"] = options["style"]
    if action == "trust_shock":
        e = options["evidence"]
        if isinstance(e, bool) or not isinstance(e, (int, float)) or not -20 <= e <= 20 or e == 0:
            raise EventError(f"{where}: option 'evidence' got {e!r}; allowed: a number in "
                             "[-20, 20], not 0")
        options["evidence"] = float(e)
    if action in ("member_joins", "member_leaves"):
        options["name"] = str(options["name"]).strip()
    if action in ("impose_mandate", "lift_mandate"):
        current["mandated"] = action == "impose_mandate"
    return Event(month, action=action, options=options)


def event_from_text(text: str) -> dict[str, Any]:
    """``MONTH:NAME=VALUE[,NAME=VALUE...]`` or ``MONTH:ACTION[:OPTION=VALUE]`` (as given to
    ``trustnet run --event``) as an event mapping; values are parsed as the parameters declare."""
    head, sep, rest = text.partition(":")
    if not sep or not head.strip().lstrip("-").isdigit() or not rest.strip():
        raise EventError(f"expected MONTH:NAME=VALUE or MONTH:ACTION, got {text!r}")
    month = int(head)
    action, _, options = rest.partition(":")
    if "=" not in action:
        out: dict[str, Any] = {"month": month, "action": action.strip()}
        for part in filter(None, (o.strip() for o in options.split(","))):
            key, eq, value = part.partition("=")
            if not eq:
                raise EventError(f"{text!r}: expected OPTION=VALUE after the action, got "
                                 f"{part!r}")
            try:
                out[key.strip()] = float(value)
            except ValueError:
                out[key.strip()] = value.strip()
        return out
    changes = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        name, eq, value = part.partition("=")
        name = name.strip()
        if not eq:
            raise EventError(f"{text!r}: expected NAME=VALUE, got {part!r}")
        if name not in PARAMETERS:
            raise EventError(f"{text!r}: {unknown_name_message(name)}")
        try:
            changes[name] = PARAMETERS[name].parse(value)
        except ValueError as exc:
            raise EventError(f"{text!r}: {exc}") from None
    return {"month": month, "set": changes}


def by_month(events: Sequence[Event]) -> dict[int, list[Event]]:
    schedule: dict[int, list[Event]] = {}
    for event in events:
        schedule.setdefault(event.month, []).append(event)
    return schedule


def check_within(events: Sequence[Event], steps: int) -> None:
    """Refuse events after the run's last month."""
    for i, event in enumerate(events, start=1):
        if event.month > steps:
            raise EventError(f"event {i} (month {event.month}): after the run's end (month "
                             f"{steps}); allowed: months 1 to {steps}")


class Parameters(dict):
    """A run's parameters, read-only: they change only through events, so that every value a
    mechanism derives from them is refreshed when they do."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("the model's parameters are read-only during a run; schedule a change "
                        "with events=[{'month': M, 'set': {NAME: VALUE}}] (trustnet.core.events)")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _refuse
    __ior__ = _refuse

    def _set(self, changes: Mapping[str, Any]) -> None:
        dict.update(self, changes)

    def __reduce__(self) -> Any:
        return (dict, (dict(self),))  # a pickled copy is a plain dict
