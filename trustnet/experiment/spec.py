"""Experiment specifications: a TOML file (or a dict) checked completely before anything runs.

A spec names a base scenario and overrides, the arms to compare, and how many replications of
how many steps to run. Every key and every value is checked here against
:mod:`trustnet.core.parameters`, so that a typo fails in a second with the file, the key and what is
allowed, rather than after an hour of runs. This module imports only the standard library (and
:mod:`trustnet.core.metrics` when outcome names must be checked), so the CLI stays fast.

Layout (all keys optional except that something must be run)::

    name = "showcase"               # used for the default output folder
    description = "what it answers"
    scenario = "swedish_eldercare"  # base scenario (trustnet scenarios)
    steps = 120                     # months per run
    replications = 10               # runs per arm; replication r has the same seed in every arm
    seed = 20261122                 # master seed

    [base]                          # overrides applied to every arm
    n_orgs = 40

    [[arms]]                        # explicit arms (crossed with the axes and samples)
    label = "NAO, directive"
    governance = "nao"
    nao_style = "directive"

    [axes]                          # cartesian product
    ambition = [0.5, 1.0, 2.0]                       # a list
    takeover = { start = 0.0, stop = 1.0, step = 0.25 }  # or a range (step or num)
    scenario = ["swedish_eldercare", "belgian_mandated"]  # the scenario itself can be an axis

    [samples]                       # space-filling samples (crossed with the axes)
    method = "lhs"                  # or "sobol"
    n = 32
    [samples.ranges]
    member_capacity = [0.05, 0.3]

    [outputs]
    series = true                   # or a list of reporter names; false keeps summaries only
    every = 1                       # keep every k-th step of the series (plus the last)
    projects = false                # true keeps every project of every run (projects/ table)
    plot = ["mean_trust", "output"] # outcomes `trustnet plot` draws (default: all)

    [sensitivity]                   # for `trustnet sensitivity`
    trajectories = 10               # Morris: trajectories ((k + 1) points each)
    levels = 4                      # Morris: grid levels
    samples = 16                    # Sobol: base samples, a power of two ((k + 2) points each)
    outcomes = ["mean_trust"]       # outcomes analysed (default: all)
    [sensitivity.ranges]
    ambition = [0.4, 2.0]
    # or, instead of the table: ranges = "plausible" (every parameter over its declared
    # plausible range, less those the scenario or [base] sets) and exclude = ["name", ...]
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trustnet.core.parameters import PARAMETERS, Parameter, unknown_name_message
from trustnet.core.scenarios import DEFAULT_SCENARIO, check_scenario

TOP_KEYS = ("name", "description", "scenario", "steps", "replications", "seed", "base", "arms",
            "axes", "samples", "outputs", "sensitivity", "events", "sectors", "members",
            "ties")
SAMPLE_METHODS = ("lhs", "sobol")
MAX_STEPS = 100_000
MAX_RUNS = 10_000_000
MAX_ARMS = 200_000  # each arm holds its resolved parameters (about 2 KB) while a sweep runs
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")  # a folder under results/, no path


class SpecError(ValueError):
    """A spec that cannot be run; the message names the file, the key and what is allowed."""


@dataclass(frozen=True)
class Samples:
    method: str
    n: int
    ranges: dict[str, tuple[float, float]]
    seed: int | None = None


@dataclass(frozen=True)
class Sensitivity:
    ranges: dict[str, tuple[float, float]]
    trajectories: int = 10  # Morris
    levels: int = 4  # Morris
    samples: int = 16  # Sobol base samples (a power of two)
    outcomes: tuple[str, ...] | None = None
    second_order: bool = False


@dataclass(frozen=True)
class Spec:
    """A checked experiment: what to vary, how often, for how long, and what to keep."""

    name: str = "sweep"
    description: str = ""
    scenario: str = DEFAULT_SCENARIO
    steps: int = 120
    replications: int = 1
    seed: int = 0
    base: dict[str, Any] = field(default_factory=dict)
    arms: tuple[dict[str, Any], ...] = ()  # each: overrides, an optional "label" and "events"
    events: tuple[dict[str, Any], ...] = ()  # what-ifs over time on every arm
    axes: dict[str, list[Any]] = field(default_factory=dict)
    samples: Samples | None = None
    series: tuple[str, ...] | None = None  # reporter names kept per step; None: summaries only
    series_every: int = 1
    projects: bool = False  # keep the table of every project of every run
    plot: tuple[str, ...] | None = None
    sensitivity: Sensitivity | None = None
    source: str = "<dict>"
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    members: Any = None  # your own network: a trustnet.core.roster.Roster
    sectors: Any = None  # sectors of a generated network (a roster brings its own)
    ties: Any = None  # and its given ties (trustnet.core.roster.GivenTies)
    data_files: tuple[str, ...] = ()  # the roster's and ties' files (their contents are hashed)

    @property
    def swept(self) -> tuple[str, ...]:
        """Names that vary between arms (axes, sampled parameters, arm overrides)."""
        names: list[str] = []
        for arm in self.arms:
            names += [k for k in arm if k not in ("label", "events")]
        names += list(self.axes)
        if self.samples:
            names += list(self.samples.ranges)
        return tuple(dict.fromkeys(names))

    def n_arms(self) -> int:
        n = max(1, len(self.arms))
        for values in self.axes.values():
            n *= len(values)
        if self.samples:
            n *= self.samples.n
        return n

    def n_runs(self) -> int:
        return self.n_arms() * self.replications


def expand_arms(spec: Spec, points: Sequence[Mapping[str, Any]] = ({},),
                ) -> Iterator[tuple[dict[str, Any], dict[str, Any], str, dict[str, Any]]]:
    """The arms of ``spec`` in design order, each ``(entry, varied, scenario, overrides)``.

    The explicit ``[[arms]]`` (``entry``, with its label), crossed with the ``[axes]``, crossed
    with ``points`` (sample points; one empty point when nothing is sampled), in that nesting
    order. ``varied`` is what distinguishes the arm, ``scenario`` the arm's scenario and
    ``overrides`` the parameters set on it (``[base]`` and ``varied``, without the scenario).
    """
    from itertools import product

    axis_names = list(spec.axes)
    for entry in list(spec.arms) or [{}]:
        arm_values = {k: v for k, v in entry.items() if k not in ("label", "events")}
        for combo in product(*(spec.axes[a] for a in axis_names)):
            for point in points:
                varied = {**arm_values, **dict(zip(axis_names, combo)), **point}
                overrides = {**spec.base, **varied}
                scenario = overrides.pop("scenario", spec.scenario)
                yield entry, varied, scenario, overrides


def _network(data: Mapping[str, Any], source: str, fail: Any
             ) -> tuple[Any, Any, Any, tuple]:
    """The roster, given ties and sector table named by ``members``, ``ties`` and
    ``sectors`` (paths relative to the spec file, or DataFrames in a spec given as a dict)."""
    if "ties" in data and "members" not in data:
        raise fail("ties", "given ties need the members they join (members = \"FILE.csv\")")
    if "members" not in data and "sectors" not in data:
        return None, None, None, ()
    from trustnet.core.roster import RosterError, read_members, read_ties
    from trustnet.core.sectors import SectorError, read_sectors

    def locate(value: Any) -> Any:
        if isinstance(value, str):
            here = Path(source).parent if source not in ("<dict>", "") else Path()
            return here / value
        return value

    files = tuple(str(locate(data[k])) for k in ("sectors", "members", "ties")
                  if k in data and isinstance(data[k], str))
    members = ties = sectors = None
    try:
        if "sectors" in data:
            sectors = read_sectors(locate(data["sectors"]))
        if "members" in data:
            members = read_members(locate(data["members"]), sectors)
            ties = read_ties(locate(data["ties"]), members) if "ties" in data else None
            sectors = None  # the roster carries them
    except SectorError as exc:
        raise fail("sectors", str(exc)) from None
    except RosterError as exc:
        raise fail("members" if "ties" not in data else "members/ties", str(exc)) from None
    if sectors is not None and not sectors.has_shares:
        raise fail("sectors", f"{sectors.source} gives no shares; a network generated from "
                   "n_orgs needs a share for every sector (or give members)")
    return members, ties, sectors, files


def _events(raw: Any, where: str, fail: Any) -> tuple[dict[str, Any], ...]:
    """Events as given (an array of tables); checked against each arm's parameters later."""
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise fail(where, "expected an array of tables, e.g. events = [{month = 24, set = "
                   "{relationship_time = 0.6}}, {month = 36, action = \"withdraw_coordinator\"}]")
    return tuple(raw)


def arm_events(spec: Spec, entry: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """The events of an arm: the spec's own, then the arm's."""
    return (*spec.events, *entry.get("events", ()))


def load_spec(source: str | Path | Mapping[str, Any]) -> Spec:
    """Read and check a spec from a TOML file path or a dict (the same keys)."""
    if isinstance(source, Mapping):
        return parse_spec(dict(source), "<dict>")
    path = Path(source)
    if not path.is_file():
        raise SpecError(f"{path}: no such spec file (expected a TOML file, see experiments/)")
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at "
                        f"position {exc.start}); save the spec as UTF-8") from None
    except OSError as exc:
        raise SpecError(f"{path}: cannot read: {exc.strerror}") from None
    if "name" not in data:  # the file's name, as a folder name
        data = {**data, "name": re.sub(r"[^A-Za-z0-9_.-]", "_", path.stem).lstrip("._-")[:100]
                or "sweep"}
    return parse_spec(data, str(path))


def parse_spec(data: dict[str, Any], source: str = "<dict>") -> Spec:
    """Check every key and value of ``data``; raise SpecError on the first problem."""
    def fail(where: str, problem: str) -> SpecError:
        return SpecError(f"{source}: {where}: {problem}")

    _no_unknown(data, TOP_KEYS, "top level", fail)
    name = _string(data.get("name", "sweep"), "name", fail)
    if not NAME.fullmatch(name) or ".." in name:
        raise fail("name", f"got {name!r}; allowed: 1-100 letters, digits, '_', '-' and '.', "
                   "starting with a letter or digit (the results go to results/<name>)")
    description = _string(data.get("description", ""), "description", fail)
    file = _scenario_file(data.get("scenario"), source, fail)
    scenario = file.base if file else _scenario(data.get("scenario", DEFAULT_SCENARIO),
                                                "scenario", fail)
    steps = _int(data.get("steps", 120), "steps", 1, MAX_STEPS, fail)
    replications = _int(data.get("replications", 1), "replications", 1, 1_000_000, fail)
    seed = _int(data.get("seed", 0), "seed", 0, 2**63 - 1, fail)

    base = _overrides(_table(data.get("base", {}), "[base]", fail), "[base]", fail)
    events = _events(data.get("events", []), "events", fail)
    members, ties, sectors, data_files = _network(data, source, fail)
    if file is not None:  # the scenario file's network, parameters and events come first
        base = {**file.parameters, **base}
        events = (*file.events, *events)
        if members is None and sectors is None:
            members, ties = file.members, file.ties
            sectors = file.sectors if members is None else None
        data_files = (*file.files(), *data_files)
    if members is not None:
        if "n_orgs" in base:
            raise fail("[base] n_orgs", "the roster (members) sets the network's size; give "
                       "one or the other")
        base["n_orgs"] = len(members)

    arms_raw = data.get("arms", [])
    if not isinstance(arms_raw, list) or not all(isinstance(a, dict) for a in arms_raw):
        raise fail("arms", "expected an array of tables ([[arms]] blocks)")
    arms = []
    for i, arm in enumerate(arms_raw, start=1):
        where = f"[[arms]] #{i}"
        label = arm.get("label")
        values = {k: v for k, v in arm.items() if k not in ("label", "events")}
        checked = _overrides(values, where, fail, allow_scenario=True)
        if label is not None:
            checked["label"] = _string(label, f"{where} label", fail)
        if "events" in arm:
            if label is None:
                raise fail(where, "an arm with events needs a label (what the what-if is)")
            checked["events"] = _events(arm["events"], f"{where} events", fail)
        arms.append(checked)

    axes_raw = _table(data.get("axes", {}), "[axes]", fail)
    axes = {name_: _axis(name_, value, fail) for name_, value in axes_raw.items()}
    if members is not None and ("n_orgs" in axes or any("n_orgs" in a for a in arms)):
        raise fail("n_orgs", "the roster (members) sets the network's size; it cannot vary")

    samples = None
    if "samples" in data:
        samples = _samples(_table(data["samples"], "[samples]", fail), seed, fail)

    outputs = _table(data.get("outputs", {}), "[outputs]", fail)
    series, every, plot = _outputs(outputs, fail)
    projects = outputs.get("projects", False)
    if not isinstance(projects, bool):
        raise fail("[outputs] projects", f"got {projects!r}; allowed: true or false")

    sensitivity = None
    if "sensitivity" in data:
        from trustnet.core.scenarios import SCENARIOS

        named = SCENARIOS.get(scenario) if isinstance(scenario, str) else None
        sensitivity = _sensitivity(_table(data["sensitivity"], "[sensitivity]", fail), base,
                                   dict(named.overrides) if named else {}, fail)

    _distinct_arms(arms, fail)
    clash = _clashes(arms, axes, samples)
    if clash:
        raise fail(clash[0], f"parameter '{clash[1]}' is varied twice ({clash[2]})")

    spec = Spec(name=name, description=description, scenario=scenario, steps=steps,
                replications=replications, seed=seed, base=base, arms=tuple(arms), axes=axes,
                events=events, samples=samples, series=series, series_every=every,
                projects=projects, plot=plot, sensitivity=sensitivity, source=source, raw=data,
                members=members, ties=ties, sectors=sectors, data_files=data_files)
    if spec.n_arms() > MAX_ARMS:
        raise fail("top level", f"{spec.n_arms():,} arms; allowed: at most {MAX_ARMS:,} (each "
                   "holds its parameters in memory): fewer axis values, or [samples]")
    if spec.n_runs() > MAX_RUNS:
        raise fail("top level", f"{spec.n_runs():,} runs; allowed: at most {MAX_RUNS:,}")
    _check_arms_resolve(spec, fail)
    return spec


# --- pieces -------------------------------------------------------------------------------

def _distinct_arms(arms: list[dict[str, Any]], fail) -> None:
    """Each [[arms]] block once: a repeated one would run twice, and a repeated label would
    merge two arms' results under one name."""
    seen_label: dict[str, int] = {}
    seen: dict[str, int] = {}
    for i, arm in enumerate(arms, start=1):
        label = arm.get("label")
        if label is not None:
            if label in seen_label:
                raise fail(f"[[arms]] #{i} label", f"'{label}' is the label of [[arms]] "
                           f"#{seen_label[label]} too; each arm needs its own")
            seen_label[label] = i
        key = repr(sorted((k, v) for k, v in arm.items() if k != "label"))
        if key in seen:
            raise fail(f"[[arms]] #{i}", f"the same parameters and events as [[arms]] "
                       f"#{seen[key]}: it would run twice; change or remove one")
        seen[key] = i


def _no_unknown(table: Mapping[str, Any], allowed: tuple[str, ...], where: str, fail) -> None:
    for key in table:
        if key not in allowed:
            raise fail(where, f"unknown key '{key}'; allowed: {', '.join(allowed)}")


def _table(value: Any, where: str, fail) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(where, f"expected a table, got {value!r}")
    return value


def _string(value: Any, where: str, fail) -> str:
    if not isinstance(value, str):
        raise fail(where, f"expected a string, got {value!r}")
    return value


def _int(value: Any, where: str, low: int, high: int, fail) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise fail(where, f"got {value!r}; allowed: an integer in [{low}, {high}]")
    return value


def _scenario_file(value: Any, source: str, fail: Any) -> Any:
    """The scenario file a spec's top-level ``scenario`` names (relative to the spec), or None
    when it names a built-in scenario."""
    from trustnet.scenario_files import ScenarioFileError, is_scenario_file, load_scenario_file

    if not isinstance(value, str):
        return None
    here = Path(source).parent if source not in ("<dict>", "") else Path()
    path = here / value
    if not is_scenario_file(str(path)):
        return None
    try:
        return load_scenario_file(path)
    except ScenarioFileError as exc:
        raise fail("scenario", str(exc)) from None


def _scenario(name: Any, where: str, fail) -> str:
    try:
        return check_scenario(name)
    except ValueError as exc:
        raise fail(where, str(exc)) from None


def _parameter(name: str, where: str, fail) -> Parameter:
    if name not in PARAMETERS:
        raise fail(where, unknown_name_message(name))
    return PARAMETERS[name]


def _value(p: Parameter, value: Any, where: str, fail) -> Any:
    """Validate one value as TOML gives it (the rule of scenario files too)."""
    from trustnet.scenario_files import toml_value

    try:
        return toml_value(p, value)
    except ValueError as exc:
        raise fail(where, str(exc)) from None


def _overrides(values: Mapping[str, Any], where: str, fail, allow_scenario: bool = False,
               ) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if allow_scenario and key == "scenario":
            if isinstance(value, str) and value.endswith(".toml"):
                raise fail(f"{where} scenario", "a scenario file goes at the top level of a "
                           "spec (scenario = \"FILE.toml\"); arms and axes take built-in "
                           "scenarios")
            out[key] = _scenario(value, f"{where} scenario", fail)
            continue
        p = _parameter(key, f"{where} {key}", fail)
        out[key] = _value(p, value, f"{where} {key}", fail)
    return out


def _axis(name: str, value: Any, fail) -> list[Any]:
    where = f"[axes] {name}"
    if name == "scenario":
        if not isinstance(value, list) or not value:
            raise fail(where, "expected a non-empty list of scenario names")
        return _distinct([_scenario(v, where, fail) for v in value], where, fail)
    p = _parameter(name, where, fail)
    if isinstance(value, list):
        if not value:
            raise fail(where, "empty list; give at least one value")
        return _distinct([_value(p, v, where, fail) for v in value], where, fail)
    if isinstance(value, dict):
        if p.kind not in ("int", "float"):
            raise fail(where, f"a range needs a numeric parameter; '{name}' is {p.kind}: "
                              f"give a list of values ({p.allowed()})")
        keys = set(value)
        allowed = ("start", "stop", "step", "num")
        for key in value:
            if key not in allowed:
                raise fail(where, f"unknown key '{key}'; allowed: {', '.join(allowed)}")
        if not {"start", "stop"} <= keys or ("step" in keys) == ("num" in keys):
            raise fail(where, "a range needs start, stop and exactly one of step or num")
        start, stop = value["start"], value["stop"]
        for key in ("start", "stop", "step"):
            if key in value and (isinstance(value[key], bool)
                                 or not isinstance(value[key], (int, float))):
                raise fail(f"{where}.{key}", f"got {value[key]!r}; allowed: a number")
        if "num" in value:
            num = _int(value["num"], f"{where}.num", 1, 100_000, fail)
            points = [start] if num == 1 else [start + (stop - start) * i / (num - 1)
                                               for i in range(num)]
        else:
            step = value["step"]
            if step == 0 or (stop - start) * step < 0:
                raise fail(f"{where}.step", f"got {step!r}; allowed: a non-zero number that "
                                            "moves start towards stop")
            count = math.floor((stop - start) / step + 1e-9) + 1
            if count > 100_000:
                raise fail(where, f"{count} values; allowed: at most 100000")
            points = [start + i * step for i in range(count)]
        points = [round(x, 12) for x in points]
        if p.kind == "int":
            if any(not float(x).is_integer() for x in points):
                raise fail(where, f"'{name}' is an integer parameter; the range gives "
                                  "non-integer values")
            points = [int(x) for x in points]
        return _distinct([_value(p, v, where, fail) for v in points], where, fail)
    raise fail(where, "expected a list of values or a range table {start, stop, step|num}")


def _distinct(values: list[Any], where: str, fail) -> list[Any]:
    seen = []
    for v in values:
        if v in seen:
            raise fail(where, f"value {v!r} appears twice")
        seen.append(v)
    return values


def _ranges(table: Any, where: str, fail) -> dict[str, tuple[float, float]]:
    table = _table(table, where, fail)
    if not table:
        raise fail(where, "no parameters; give name = [low, high] pairs")
    out = {}
    for name, bounds in table.items():
        p = _parameter(name, f"{where} {name}", fail)
        if p.kind not in ("int", "float"):
            raise fail(f"{where} {name}", f"only numeric parameters can be sampled; '{name}' "
                                          f"is {p.kind}: put it on [axes] or in [[arms]]")
        if not isinstance(bounds, list) or len(bounds) != 2:
            raise fail(f"{where} {name}", f"expected [low, high]; allowed: {p.allowed()}")
        low, high = (_value(p, b, f"{where} {name}", fail) for b in bounds)
        if low is None or high is None or not low < high:
            raise fail(f"{where} {name}", f"expected low < high, got {bounds!r}")
        out[name] = (low, high)
    return out


def _plausible_ranges(exclude: Any, fixed: Mapping[str, Any], fail
                      ) -> dict[str, tuple[float, float]]:
    """Every parameter over its declared plausible range, less those the scenario or [base]
    sets (the ranges are about the defaults) and those ``exclude`` names."""
    where = "[sensitivity] exclude"
    if not isinstance(exclude, list):
        raise fail(where, f"got {exclude!r}; allowed: a list of parameter names")
    for name in exclude:
        p = _parameter(name, where, fail)
        if p.plausible is None:
            raise fail(where, f"'{name}' is not varied anyway ({p.not_varied})")
    ranges = {p.name: p.plausible for p in PARAMETERS.values()
              if p.plausible is not None and p.name not in fixed and p.name not in exclude}
    if not ranges:
        raise fail(where, "leaves no parameter to vary; allowed: names of some parameters")
    return ranges


def _samples(table: dict[str, Any], master_seed: int, fail) -> Samples:
    _no_unknown(table, ("method", "n", "ranges", "seed"), "[samples]", fail)
    method = table.get("method", "lhs")
    if method not in SAMPLE_METHODS:
        raise fail("[samples] method", f"got {method!r}; allowed: {', '.join(SAMPLE_METHODS)}")
    n = _int(table.get("n", 0), "[samples] n", 1, 1_000_000, fail)
    ranges = _ranges(table.get("ranges", {}), "[samples.ranges]", fail)
    seed = table.get("seed")
    if seed is not None:
        seed = _int(seed, "[samples] seed", 0, 2**63 - 1, fail)
    return Samples(method=method, n=n, ranges=ranges, seed=seed)


def _outputs(table: dict[str, Any], fail) -> tuple[tuple[str, ...] | None, int, tuple | None]:
    _no_unknown(table, ("series", "every", "projects", "plot"), "[outputs]", fail)
    series_raw = table.get("series", False)
    series: tuple[str, ...] | None
    if series_raw is True:
        series = tuple(_reporters())
    elif series_raw is False:
        series = None
    elif isinstance(series_raw, list) and series_raw:
        series = tuple(_names(series_raw, _reporters(), "[outputs] series", "reporter", fail))
    else:
        raise fail("[outputs] series", f"got {series_raw!r}; allowed: true, false or a list of "
                                       "reporter names")
    every = _int(table.get("every", 1), "[outputs] every", 1, MAX_STEPS, fail)
    plot = None
    if "plot" in table:
        if not isinstance(table["plot"], list) or not table["plot"]:
            raise fail("[outputs] plot", "expected a non-empty list of outcome names")
        plot = tuple(_names(table["plot"], _outcomes(), "[outputs] plot", "outcome", fail))
    return series, every, plot


def _sensitivity(table: dict[str, Any], base: Mapping[str, Any],
                 scenario_set: Mapping[str, Any], fail) -> Sensitivity:
    _no_unknown(table, ("ranges", "exclude", "trajectories", "levels", "samples", "outcomes",
                        "second_order"), "[sensitivity]", fail)
    if isinstance(table.get("ranges"), str):
        if table["ranges"] != "plausible":
            raise fail("[sensitivity] ranges", f"got {table['ranges']!r}; allowed: \"plausible\" "
                                               "or a table of name = [low, high]")
        ranges = _plausible_ranges(table.get("exclude", []), {**scenario_set, **base}, fail)
    elif "exclude" in table:
        raise fail("[sensitivity] exclude", 'only with ranges = "plausible"; leave a parameter '
                                            "out of [sensitivity.ranges] instead")
    else:
        ranges = _ranges(table.get("ranges", {}), "[sensitivity.ranges]", fail)
    trajectories = _int(table.get("trajectories", 10), "[sensitivity] trajectories", 2,
                        1_000_000, fail)
    levels = _int(table.get("levels", 4), "[sensitivity] levels", 2, 100, fail)
    samples = _int(table.get("samples", 16), "[sensitivity] samples", 2, 2**24, fail)
    if samples & (samples - 1):
        raise fail("[sensitivity] samples", f"got {samples}; allowed: a power of two "
                                            "(e.g. 16, 32, 64)")
    outcomes = None
    if "outcomes" in table:
        if not isinstance(table["outcomes"], list) or not table["outcomes"]:
            raise fail("[sensitivity] outcomes", "expected a non-empty list of outcome names")
        outcomes = tuple(_names(table["outcomes"], _outcomes(), "[sensitivity] outcomes",
                                "outcome", fail))
    second = table.get("second_order", False)
    if not isinstance(second, bool):
        raise fail("[sensitivity] second_order", f"got {second!r}; allowed: true or false")
    return Sensitivity(ranges=ranges, trajectories=trajectories, levels=levels, samples=samples,
                       outcomes=outcomes, second_order=second)


def _names(values: list[Any], known: tuple[str, ...], where: str, noun: str, fail) -> list[str]:
    for v in values:
        if v not in known:
            raise fail(where, unknown_name_message(v, known, kind=noun))
    return list(dict.fromkeys(values))


def _reporters() -> tuple[str, ...]:
    from trustnet.core.metrics import REPORTERS
    return tuple(REPORTERS)


def _outcomes() -> tuple[str, ...]:
    from trustnet.core.metrics import SUMMARY_OUTCOMES
    return tuple(SUMMARY_OUTCOMES)


def _clashes(arms, axes, samples) -> tuple[str, str, str] | None:
    sampled = set(samples.ranges) if samples else set()
    for name in axes:
        if name in sampled:
            return (f"[axes] {name}", name, "on [axes] and in [samples.ranges]")
        for arm in arms:
            if name in arm:
                return (f"[axes] {name}", name, "on [axes] and in [[arms]]")
    for name in sampled:
        for arm in arms:
            if name in arm:
                return (f"[samples.ranges] {name}", name, "in [samples.ranges] and in [[arms]]")
    return None


def _check_arms_resolve(spec: Spec, fail) -> None:
    """Rules across parameters (e.g. ordered thresholds) hold for every corner of the design."""
    from itertools import product

    from trustnet.core.events import EventError, check_within, parse_events
    from trustnet.core.scenarios import scenario_params

    sample_corners: list[dict[str, Any]] = [{}]
    if spec.samples:
        sample_corners = [dict(zip(spec.samples.ranges, corner)) for corner in
                          product(*spec.samples.ranges.values())]
    def check(entry: Mapping[str, Any], varied: Mapping[str, Any], scenario: str,
              values: Mapping[str, Any]) -> None:
        label = entry.get("label") or ", ".join(f"{k}={v!r}" for k, v in varied.items())
        try:
            params = scenario_params(scenario, values)
        except ValueError as exc:
            raise fail(f"arm ({label})" if label else "[base]", str(exc)) from None
        roster = spec.members
        try:
            check_within(parse_events(arm_events(spec, entry), params,
                                      roster.names if roster is not None else None,
                                      roster.join_months() if roster is not None else None),
                         spec.steps)
        except EventError as exc:
            raise fail(f"arm ({label})" if label else "events", str(exc)) from None

    for checked, arm in enumerate(expand_arms(spec, sample_corners)):
        if checked >= 20_000:
            # large designs: corners of the first arms suffice for the parameters; events
            # (which depend on governance, the mandate and the thresholds) are checked on
            # every arm, at one corner of the samples
            if spec.events or any("events" in a for a in spec.arms):
                for rest in expand_arms(spec, sample_corners[:1]):
                    check(*rest)
            return
        check(*arm)
