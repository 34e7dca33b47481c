"""Named scenarios: parameter overrides grounded in the source texts.

A scenario is only a set of overrides on the declared defaults, so everything else about a
scenario (validation, CLI, sweeps, visualisation) comes from :mod:`trustnet.core.parameters`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from trustnet.core.parameters import resolve, unknown_name_message


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    description: str
    source: str
    overrides: Mapping[str, Any] = field(default_factory=dict)


_SCENARIOS = (
    Scenario(
        "swedish_eldercare",
        "Swedish eldercare network with an NAO",
        "A voluntary meso-level network of eldercare, primary care and specialist care around a "
        "local R&D centre: about 40 organisations on the list, about 20 at each of four meetings "
        "a year, two part-time NAO leaders who structure the work, read the room and step in when "
        "nobody volunteers; moderate projects; primary care seldom attends. The defaults are "
        "calibrated to this case.",
        "Hallberg, Winblad & Fredriksson 2021 (source 002)",
        {},
    ),
    Scenario(
        "belgian_mandated",
        "Belgian mandated mental-health network",
        "A network created by a public mandate: broad enrolment of hospitals and community "
        "services, low starting motivation, members who cannot leave, externally imposed "
        "ambitious projects, and a funded coordinator with little leverage whose aspiration is "
        "fixed by the 'myth' of the mandate.",
        "Darcis 2025 (source 000)",
        {
            "mandated": True,
            "nao_style": "coordinating",
            "n_orgs": 30,
            "ambition": 1.0,
            "external_project_rate": 0.25,
            "collaboration_push": 0.3,
        },
    ),
    Scenario(
        "topdown_coordinative",
        "Top-down network that stayed coordinative",
        "Social service agencies brought together by government policy and funding with the "
        "rhetoric of collaboration, but weak relationships at the start; they chose to spend "
        "workshop time on relationship building and ended coordinative, with collaboration in a "
        "small core.",
        "Keast, Brown & Mandell 2007, teaching case (source 001)",
        {
            "n_orgs": 15,
            "nao_style": "coordinating",
            "initial_strength": 0.05,
            "initial_trust": 0.4,
            "collaboration_push": 0.5,
            "relationship_time": 0.6,
        },
    ),
    Scenario(
        "small_shared",
        "Small shared-governance network",
        "A handful of committed organisations that know and trust each other and govern the "
        "network together, without a coordinator, taking the initiative in turn.",
        "Provan & Kenis 2008",
        {
            "governance": "shared",
            "n_orgs": 6,
            "initial_trust": 0.7,
            "initial_strength": 0.4,
            "initial_commitment": 0.8,
            "goal_consensus": 0.65,
        },
    ),
    Scenario(
        "lead_organisation",
        "Lead-organisation network",
        "The most powerful member (typically the hospital) coordinates with some of its own staff, "
        "decides quickly and steers projects towards its own interests.",
        "Provan & Kenis 2008",
        {
            "governance": "lead",
            "nao_style": "directive",
            "n_orgs": 25,
        },
    ),
)

SCENARIOS: dict[str, Scenario] = {s.name: s for s in _SCENARIOS}
DEFAULT_SCENARIO = "swedish_eldercare"


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
