"""Named scenarios: parameter overrides grounded in the source texts.

A scenario is only a set of overrides on the declared defaults, so everything else about a
scenario (validation, CLI, sweeps, visualisation) comes from :mod:`trustnet.core.parameters`.
The built-in ones are shipped as TOML files (``data/scenarios/NAME.toml``, the format of a
user's scenario file, :mod:`trustnet.scenario_files`), so a user can copy one to start from.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from trustnet.core.parameters import resolve, unknown_name_message


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    description: str
    source: str
    overrides: Mapping[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The shipped file (copy it to start a scenario of your own)."""
        return str(FOLDER / f"{self.name}.toml")


FOLDER = files("trustnet.core") / "data" / "scenarios"  # one TOML file per scenario
KEYS = ("name", "title", "description", "source", "parameters")
DEFAULT_SCENARIO = "swedish_eldercare"  # the case the defaults are calibrated to


def _load(resource: Any) -> Scenario:
    """A built-in scenario file: the format of a user's scenario file, without a base."""
    data = tomllib.loads(resource.read_text(encoding="utf-8"))
    unknown = [k for k in data if k not in KEYS]
    if unknown or data.get("name") != resource.name.removesuffix(".toml"):
        raise ValueError(f"{resource.name}: a built-in scenario file needs name = file name and "
                         f"only the keys {', '.join(KEYS)}")
    text = {k: " ".join(str(data.get(k, "")).split()) for k in ("title", "description", "source")}
    return Scenario(data["name"], overrides=dict(data.get("parameters", {})), **text)


SCENARIOS: dict[str, Scenario] = {  # the default first, then by name
    s.name: s for s in sorted((_load(r) for r in FOLDER.iterdir() if r.name.endswith(".toml")),
                              key=lambda s: (s.name != DEFAULT_SCENARIO, s.name))}


def check_scenario(name: str) -> str:
    """``name`` if it is a named scenario; else ValueError naming the closest ones."""
    if not isinstance(name, str) or name not in SCENARIOS:
        raise ValueError(unknown_name_message(name, SCENARIOS, kind="scenario",
                                              listing=f"allowed: {', '.join(SCENARIOS)}; "
                                              "'trustnet scenarios' describes them"))
    return name


def scenario_params(name: str = DEFAULT_SCENARIO, overrides: Mapping[str, Any] | None = None,
                    ) -> dict[str, Any]:
    """Validated parameters of a named scenario with ``overrides`` on top."""
    return resolve({**SCENARIOS[check_scenario(name)].overrides, **(overrides or {})})
