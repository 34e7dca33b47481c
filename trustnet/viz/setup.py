"""What the page's Reset builds: a scenario, the user's changes to it, its events and a seed.

No Solara here: the page keeps one :class:`Setup` per browser session and replaces it with
each change, and every change is validated as the command line validates it, so that the page
refuses with the same one-line messages (naming the parameter or event and what is allowed)
and never holds a setup that would not build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from trustnet.core.events import ACTIONS, EventError, parse_events
from trustnet.core.model import TrustNetworkModel
from trustnet.core.parameters import PARAMETERS, check_consistency, unknown_name_message
from trustnet.core.roster import RosterError, read_members
from trustnet.core.scenarios import DEFAULT_SCENARIO, SCENARIOS, check_scenario, scenario_params
from trustnet.scenario_files import ScenarioFileError, is_scenario_file, load_scenario_file

SKIP_FOLDERS = {".venv", "venv", "node_modules", "__pycache__", "results", "site-packages"}
MAX_DEPTH = 3  # folders below the working directory searched for scenario files
MAX_FILE_BYTES = 200_000  # a scenario file is short; larger TOML files are something else


@dataclass(frozen=True, eq=False)  # compared by identity: a roster holds arrays
class Setup:
    """A scenario as the page will build it at the next Reset."""

    choice: str  # a built-in scenario's name or a scenario file's path
    title: str
    description: str
    source: str
    params: dict[str, Any]  # every parameter, resolved
    events: tuple[dict[str, Any], ...] = ()
    members: Any = None  # trustnet.core.roster.Roster of a scenario file
    ties: Any = None
    sectors: Any = None
    seed: int = 0
    changed: tuple[str, ...] = field(default=())  # parameters the user changed, in order

    @property
    def names(self) -> tuple[str, ...] | None:
        return self.members.names if self.members is not None else None

    def model_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :class:`TrustNetworkModel` for this setup."""
        data = {k: v for k, v in (("members", self.members), ("ties", self.ties),
                                  ("sectors", self.sectors)) if v is not None}
        params = {k: v for k, v in self.params.items()
                  if not (k == "n_orgs" and self.members is not None)}  # the roster's size
        return {"rng": self.seed, **data, "events": [dict(e) for e in self.events], **params}

    def build(self) -> TrustNetworkModel:
        return TrustNetworkModel(**self.model_kwargs())


def load(choice: str) -> Setup:
    """The setup of a built-in scenario (by name), a scenario file or a roster (by path).

    A roster (a members CSV) runs on the default scenario, its ties from the prior; a
    scenario file names its ties and the scenario it starts from. Raises ValueError with the
    file's one-line message, or the list of names.
    """
    if str(choice).lower().endswith(".csv"):
        try:
            roster = read_members(choice)
        except RosterError as exc:
            raise ValueError(str(exc)) from None
        return Setup(choice=str(choice), title=f"Roster {Path(choice).name}",
                     description=f"{len(roster)} members from {choice} on the default "
                                 "scenario; their ties start from the prior (a scenario file "
                                 "can give them: trustnet scenarios new NAME)",
                     source=str(choice), members=roster, sectors=roster.sectors,
                     params=scenario_params(DEFAULT_SCENARIO, {"n_orgs": len(roster)}))
    if is_scenario_file(choice):
        try:
            f = load_scenario_file(choice)
        except ScenarioFileError as exc:
            raise ValueError(str(exc)) from None
        size = {"n_orgs": len(f.members)} if f.members is not None else {}
        return Setup(choice=str(choice), title=f.title or f.name, description=f.description,
                     source=f.source, params=scenario_params(f.base, {**f.parameters, **size}),
                     events=tuple(dict(e) for e in f.events), members=f.members, ties=f.ties,
                     sectors=f.sectors)
    name = check_scenario(choice)
    s = SCENARIOS[name]
    return Setup(choice=name, title=s.title, description=s.description, source=s.source,
                 params=scenario_params(name))


def _check_events(events: tuple[dict[str, Any], ...], params: dict[str, Any],
                  setup: Setup) -> None:
    joins = setup.members.join_months() if setup.members is not None else None
    try:
        parse_events(events, params, setup.names, joins)
    except EventError as exc:
        raise ValueError(str(exc)) from None


def with_parameter(setup: Setup, name: str, value: Any) -> Setup:
    """``setup`` with one parameter changed; text is parsed as ``--set`` parses it."""
    if name not in PARAMETERS:
        raise ValueError(unknown_name_message(name))
    p = PARAMETERS[name]
    value = p.parse(value) if isinstance(value, str) else p.validate(value)
    if name == "n_orgs" and setup.members is not None:
        raise ValueError(f"parameter 'n_orgs': the roster sets the network's size "
                         f"({len(setup.members)} members); change the roster instead")
    params = {**setup.params, name: value}
    check_consistency(params)
    events = setup.events
    _check_events(events, params, setup)  # e.g. a coordinator's event under shared governance
    changed = setup.changed if name in setup.changed else (*setup.changed, name)
    return replace(setup, params=params, changed=changed)


def with_event(setup: Setup, event: dict[str, Any]) -> Setup:
    """``setup`` with one more event; the events are kept in month order (stable)."""
    events = tuple(sorted((*setup.events, dict(event)), key=lambda e: e.get("month", 0)))
    _check_events(events, setup.params, setup)
    return replace(setup, events=events)


def without_event(setup: Setup, index: int) -> Setup:
    if not 0 <= index < len(setup.events):
        allowed = f"1 to {len(setup.events)}" if setup.events else "none (no events)"
        raise ValueError(f"event {index + 1}: no such event; allowed: {allowed}")
    events = setup.events[:index] + setup.events[index + 1:]
    _check_events(events, setup.params, setup)
    return replace(setup, events=events)


def with_seed(setup: Setup, seed: int) -> Setup:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"random seed: got {seed!r}; allowed: an integer >= 0")
    return replace(setup, seed=seed)


def event_text(event: dict[str, Any]) -> str:
    """An event in words: 'month 36: withdraw coordinator', 'month 13: ambition = 1.5'."""
    head = f"month {event.get('month')}"
    if "set" in event:
        changes = ", ".join(f"{PARAMETERS[k].label if k in PARAMETERS else k} = {v}"
                            for k, v in event["set"].items())
        return f"{head}: {changes}"
    action = str(event.get("action", "?"))
    options = ", ".join(f"{k} {v}" for k, v in event.items() if k not in ("month", "action"))
    return f"{head}: {action.replace('_', ' ')}" + (f" ({options})" if options else "")


def action_options(action: str) -> dict[str, tuple[str, bool]]:
    """The options an action takes: {option: (meaning, required)}."""
    return ACTIONS[action]


def differences(built: Setup, pending: Setup) -> list[str]:
    """What a Reset would change in the running model, in words."""
    out = []
    if built.choice != pending.choice:
        return [f"scenario: {pending.title}"]
    for name, value in pending.params.items():
        if built.params.get(name) != value:
            out.append(f"{PARAMETERS[name].label}: {built.params.get(name)} → {value}")
    if built.events != pending.events:
        out.append(f"events: {len(built.events)} → {len(pending.events)}")
    if built.seed != pending.seed:
        out.append(f"random seed: {built.seed} → {pending.seed}")
    return out


def members_frame(model: Any) -> pd.DataFrame:
    """Who the members are and where they stand this month, one row each."""
    orgs = model.orgs
    sector_names = orgs.sectors.names
    names = orgs.names or [f"{sector_names[s].replace('_', ' ')} {i + 1}"
                           for i, s in enumerate(orgs.sector)]
    status = ["member" if a else ("left" if j else "not yet joined")
              for a, j in zip(orgs.active, orgs.joined, strict=True)]
    return pd.DataFrame({"name": list(names),
                         "sector": [sector_names[s].replace("_", " ") for s in orgs.sector],
                         "status": status,
                         "commitment": orgs.commitment.astype(float),
                         "disillusionment": orgs.disillusionment.astype(float)})


def _search(folder: Path, depth: int):
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in SKIP_FOLDERS:
            continue
        if entry.is_dir() and depth < MAX_DEPTH:
            yield from _search(entry, depth + 1)
        elif entry.suffix == ".toml" and entry.is_file():
            yield entry


def scenario_files(folder: str | Path | None = None) -> list[str]:
    """Scenario files under ``folder`` (the working directory) that load; others are skipped."""
    root = Path(folder) if folder is not None else Path.cwd()
    found = []
    for path in _search(root, 0):
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                continue
            load_scenario_file(path)
        except (ScenarioFileError, OSError, ValueError):
            continue
        found.append(os.path.relpath(path, Path.cwd()))
    return found


def choices(extra: str | None = None, folder: str | Path | None = None) -> dict[str, str]:
    """{choice: label} of the scenario menu: the built-ins, then scenario files found."""
    out = {name: s.title for name, s in SCENARIOS.items()}
    files = scenario_files(folder)
    if extra and is_scenario_file(extra) and extra not in files:
        files.insert(0, extra)
    for path in files:
        out[path] = f"file: {path}"
    return out
