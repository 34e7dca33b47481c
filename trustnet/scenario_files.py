"""Scenario files: your own network and its what-ifs, saved once and reused in run and sweep.

A scenario file is TOML::

    name = "regional_network"
    title = "Our regional care network"
    description = "23 members, two hospitals, primary care seldom at the table"
    source = "the authority's membership list, 2026"
    scenario = "swedish_eldercare"   # the built-in scenario it starts from (optional)
    sectors = "sectors.csv"          # sectors of your own (optional; default: the built-in five)
    members = "members.csv"          # a roster, relative to this file (optional)
    ties = "ties.csv"                # its existing ties (optional, needs members)
    events = [{ month = 36, action = "withdraw_coordinator" }]   # what-ifs (optional)

    [parameters]                     # overrides of the base scenario (optional)
    ambition = 0.8

``trustnet run --scenario FILE.toml`` and a sweep spec's ``scenario = "FILE.toml"`` (relative
to the spec) take it; ``trustnet scenarios new NAME`` writes a commented template to start
from. A value of ``--scenario`` that ends in ``.toml`` or names an existing file is a file,
otherwise a built-in scenario's name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KEYS = ("name", "title", "description", "source", "scenario", "sectors", "members", "ties",
        "events", "parameters")
DATA_KEYS = ("sectors", "members", "ties")  # the data files a scenario file may name


class ScenarioFileError(ValueError):
    """A scenario file that cannot be used (names the file, the key and what is allowed)."""


@dataclass(frozen=True)
class ScenarioFile:
    path: Path
    name: str
    title: str
    description: str
    source: str
    base: str  # the built-in scenario it starts from
    parameters: dict[str, Any] = field(default_factory=dict)
    members: Any = None  # a trustnet.core.roster.Roster
    ties: Any = None
    sectors: Any = None  # a trustnet.core.sectors.Sectors (the roster's, when there is one)
    events: tuple[dict[str, Any], ...] = ()
    raw_paths: dict[str, str] = field(default_factory=dict)  # the data files it reads

    def files(self) -> tuple[str, ...]:
        """This file and the data files it reads (their contents decide a sweep's results)."""
        out = [str(self.path)]
        for key in DATA_KEYS:
            value = self.raw_paths.get(key)
            if value:
                out.append(value)
        return tuple(out)


def is_scenario_file(value: str | None) -> bool:
    return bool(value) and (str(value).endswith(".toml") or Path(str(value)).is_file())


def load_scenario_file(path: str | Path) -> ScenarioFile:
    """The validated scenario file at ``path``."""
    from trustnet.core.events import EventError, parse_events
    from trustnet.core.parameters import PARAMETERS, unknown_name_message
    from trustnet.core.roster import RosterError, read_members, read_ties
    from trustnet.core.scenarios import DEFAULT_SCENARIO, check_scenario, scenario_params
    from trustnet.core.sectors import SectorError, read_sectors

    path = Path(path)
    if not path.is_file():
        raise ScenarioFileError(f"{path}: no such scenario file ('trustnet scenarios new NAME' "
                                "writes one to start from)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ScenarioFileError(f"{path}: not a UTF-8 text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioFileError(f"{path}: not valid TOML: {exc}") from None

    def fail(key: str, problem: str) -> ScenarioFileError:
        return ScenarioFileError(f"{path}: {key}: {problem}")

    for key in data:
        if key not in KEYS:
            raise ScenarioFileError(f"{path}: "
                                    + unknown_name_message(key, KEYS, kind="key"))
    texts = {}
    for key in ("name", "title", "description", "source", "scenario", *DATA_KEYS):
        if key in data and not isinstance(data[key], str):
            raise fail(key, f"got {data[key]!r}; allowed: a string")
        texts[key] = data.get(key, "")
    try:
        base = check_scenario(texts["scenario"] or DEFAULT_SCENARIO)
    except ValueError as exc:
        raise fail("scenario", str(exc)) from None
    parameters = data.get("parameters", {})
    if not isinstance(parameters, dict):
        raise fail("parameters", "expected a table ([parameters]) of parameter values")
    if texts["members"] and "n_orgs" in parameters:
        raise fail("parameters n_orgs", "the roster (members) sets the network's size; give "
                   "one or the other")
    members = ties = sectors = None
    raw_paths = {}
    try:
        if texts["sectors"]:
            raw_paths["sectors"] = str(path.parent / texts["sectors"])
            sectors = read_sectors(path.parent / texts["sectors"])
        if texts["members"]:
            raw_paths["members"] = str(path.parent / texts["members"])
            members = read_members(path.parent / texts["members"], sectors)
            if sectors is not None:  # with the roster's composition where it gives no shares
                sectors = members.sectors
        if texts["ties"]:
            if members is None:
                raise fail("ties", "given ties need the members they join (members = "
                           "\"FILE.csv\")")
            raw_paths["ties"] = str(path.parent / texts["ties"])
            ties = read_ties(path.parent / texts["ties"], members)
    except (RosterError, SectorError) as exc:
        raise ScenarioFileError(str(exc)) from None
    if sectors is not None and not sectors.has_shares:
        raise fail("sectors", f"{sectors.source} gives no shares; a network generated from "
                   "n_orgs needs a share for every sector (or give members)")
    try:
        parameters = {name: toml_value(PARAMETERS[name], value) if name in PARAMETERS else value
                      for name, value in parameters.items()}
        params = scenario_params(base, {**parameters, **(
            {"n_orgs": len(members)} if members is not None else {})})
    except ValueError as exc:
        raise fail("parameters", str(exc)) from None
    events = data.get("events", [])
    try:
        parse_events(events, params, members.names if members is not None else None,
                     members.join_months() if members is not None else None)
    except EventError as exc:
        raise fail("events", str(exc)) from None
    return ScenarioFile(path=path, name=texts["name"] or path.stem, title=texts["title"],
                        description=texts["description"], source=texts["source"], base=base,
                        parameters=dict(parameters), members=members, ties=ties,
                        sectors=sectors, events=tuple(events), raw_paths=raw_paths)


TEMPLATE = '''# A scenario file: your own network and its what-ifs (the README: "Your own network").
# Run it:    trustnet run --scenario {name}.toml
# Sweep it:  scenario = "{name}.toml" in a sweep spec, with replications and arms

name = "{name}"
title = "{name}: our network"
description = "Who the members are, how they work together, what we want to know."
source = "where the roster and ties come from (a membership list, minutes, interviews)"
scenario = "swedish_eldercare"   # the built-in scenario it starts from (trustnet scenarios)
members = "{name}_members.csv"   # name and sector required; power, capacity, commitment and
                                 # attendance optional (empty: drawn from the sector)
ties = "{name}_ties.csv"         # existing ties: source, target, optional trust and strength

# what-ifs over time: months count from 1 (year 2 is months 13-24)
events = [
    # {{ month = 13, set = {{ relationship_time = 0.6 }} }},
    # {{ month = 36, action = "withdraw_coordinator" }},
]

[parameters]                     # anything else that differs (trustnet params lists them)
ambition = 0.8
'''

TEMPLATE_MEMBERS = """name,sector,power,capacity,commitment,attendance
Regional Hospital,hospital,1.0,,,
Practice One,primary_care,,,,0.1
Practice Two,primary_care,,,,
Home Care Unit,municipal_care,,,0.8,
Social Services Office,social_services,,,,
Private Provider,private_provider,,,,
"""

TEMPLATE_TIES = """source,target,trust,strength
Regional Hospital,Home Care Unit,0.7,0.6
"""


def write_template(name: str, folder: str | Path = ".") -> list[Path]:
    """Write NAME.toml and its two CSV files into ``folder``; never overwrites a file."""
    if not name or not name.replace("_", "").replace("-", "").isalnum():
        raise ScenarioFileError(f"scenario name {name!r}: allowed: letters, digits, _ and -")
    folder = Path(folder)
    files = {folder / f"{name}.toml": TEMPLATE.format(name=name),
             folder / f"{name}_members.csv": TEMPLATE_MEMBERS,
             folder / f"{name}_ties.csv": TEMPLATE_TIES}
    for path in files:
        if path.exists():
            raise ScenarioFileError(f"{path}: exists already; choose another name or folder")
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return list(files)


def toml_value(p: Any, value: Any) -> Any:
    """A parameter's value as a TOML file (a spec or a scenario file) gives it: numbers and
    booleans unquoted, as in Python; TOML has no null, so "none" is the one text a number may
    be. ValueError names the parameter and what is allowed."""
    if isinstance(value, str) and p.kind != "choice":
        if p.allow_none and value.strip().lower() == "none":
            return None
        raise ValueError(f"parameter '{p.name}': got {value!r} (text); allowed: "
                         f"{p.allowed()}, unquoted")
    return p.validate(value)
