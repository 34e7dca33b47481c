"""The parameter declarations and everything derived from them."""

import math

import pytest

from trustnet.core.parameters import (
    DEFAULTS,
    PARAMETERS,
    markdown_table,
    parameter_table,
    parse_assignment,
    resolve,
)
from trustnet.core.scenarios import SCENARIOS, scenario_params


def test_every_parameter_is_fully_declared():
    for p in PARAMETERS.values():
        assert p.meaning and p.source and p.unit, p.name
        assert p.kind in ("int", "float", "bool", "choice"), p.name
        assert p.validate(p.default) == p.default or p.default is None, p.name
        if p.kind == "choice":
            assert p.default in p.choices
        if p.kind in ("int", "float"):
            assert p.low is not None and p.high is not None, f"{p.name} needs a range"


def test_every_parameter_has_a_plausible_range_narrower_than_allowed_or_a_reason_not_to():
    for p in PARAMETERS.values():
        if p.kind in ("bool", "choice"):
            assert p.plausible is None and p.not_varied, p.name
            continue
        if p.plausible is None:
            assert p.not_varied, p.name
            continue
        lo, hi = p.plausible
        assert p.low <= lo < hi <= p.high and (lo, hi) != (p.low, p.high), p.name
        # the default lies in the range, so the analysis is about the model as run
        assert p.default is None or lo <= p.default <= hi, p.name
    # any point of the plausible ranges keeps the integration thresholds in their order
    lows = {n: PARAMETERS[n].plausible for n in
            ("cooperation_threshold", "coordination_threshold", "collaboration_threshold")}
    assert lows["cooperation_threshold"][1] <= lows["coordination_threshold"][0]
    assert lows["coordination_threshold"][1] <= lows["collaboration_threshold"][0]


def test_a_declaration_without_a_plausible_range_or_a_reason_is_refused():
    from trustnet.core.parameters import Parameter

    with pytest.raises(ValueError, match="'x': declare a plausible range or why"):
        Parameter("x", "float", 0.5, "m", low=0.0, high=1.0)
    with pytest.raises(ValueError, match=r"'x': got 2\.0; allowed: a number in"):
        Parameter("x", "float", 0.5, "m", low=0.0, high=1.0, plausible=(0.2, 2.0))


def test_the_names_others_rely_on_exist_with_their_meaning():
    assert PARAMETERS["governance"].choices == ("nao", "lead", "shared")
    assert PARAMETERS["nao_style"].choices == ("coordinating", "directive", "adaptive")
    assert PARAMETERS["n_orgs"].low == 3 and PARAMETERS["n_orgs"].kind == "int"
    assert PARAMETERS["ambition"].low_open and PARAMETERS["ambition"].low == 0
    assert (PARAMETERS["takeover"].low, PARAMETERS["takeover"].high) == (0, 1)
    assert PARAMETERS["mandated"].kind == "bool"
    assert PARAMETERS["nao_withdrawal_step"].allow_none
    assert PARAMETERS["meeting_interval"].low == 1


@pytest.mark.parametrize("name, value", [
    ("n_orgs", 2), ("n_orgs", 3.5), ("governance", "anarchy"), ("nao_style", "bossy"),
    ("ambition", 0), ("ambition", -1), ("ambition", math.nan), ("takeover", 1.01),
    ("takeover", "half"), ("mandated", "maybe"), ("meeting_interval", 0),
    ("nao_withdrawal_step", -1), ("n_orgs", True),
])
def test_bad_values_are_refused_naming_the_parameter_and_what_is_allowed(name, value):
    with pytest.raises(ValueError, match=f"parameter '{name}'.*allowed: "):
        resolve({name: value})


def test_unknown_names_are_refused_with_suggestions():
    with pytest.raises(ValueError, match=r"unknown parameter 'ambtion'.*'ambition'"):
        resolve({"ambtion": 1.0})


def test_level_thresholds_must_be_ordered():
    with pytest.raises(ValueError, match="cooperation_threshold"):
        resolve({"cooperation_threshold": 0.5, "coordination_threshold": 0.3})


def test_text_parsing_gives_typed_values():
    assert parse_assignment("n_orgs=25") == ("n_orgs", 25)
    assert parse_assignment("ambition = 1.5") == ("ambition", 1.5)
    assert parse_assignment("mandated=true") == ("mandated", True)
    assert parse_assignment("mandated=False") == ("mandated", False)
    for text in ("yes", "on", "1", "no"):  # one rule for booleans: true or false
        with pytest.raises(ValueError, match="allowed: true or false"):
            parse_assignment(f"mandated={text}")
    assert parse_assignment("nao_withdrawal_step=none") == ("nao_withdrawal_step", None)
    assert parse_assignment("governance=shared") == ("governance", "shared")
    with pytest.raises(ValueError, match="parameter 'n_orgs'"):
        parse_assignment("n_orgs=many")
    with pytest.raises(ValueError, match="name=value"):
        parse_assignment("n_orgs")


def test_tables_cover_every_parameter():
    rows = parameter_table()
    assert [r["name"] for r in rows] == list(PARAMETERS)
    table = markdown_table()
    for name in PARAMETERS:
        assert f"`{name}`" in table


def test_scenarios_are_valid_overrides():
    for name, scenario in SCENARIOS.items():
        params = scenario_params(name)
        assert set(params) == set(DEFAULTS)
        for key, value in scenario.overrides.items():
            assert params[key] == value
        assert scenario.description and scenario.source
    with pytest.raises(ValueError, match="unknown scenario 'atlantis'"):
        scenario_params("atlantis")


def test_scenario_names_are_checked_in_one_place_with_suggestions():
    from trustnet.core.scenarios import check_scenario

    assert check_scenario("small_shared") == "small_shared"
    with pytest.raises(ValueError) as err:
        check_scenario("belgian_mandate")
    message = str(err.value)
    assert message.startswith("unknown scenario 'belgian_mandate'; did you mean "
                              "'belgian_mandated'?")
    assert all(name in message for name in SCENARIOS) and "\n" not in message
    for bad in (3, ["swedish_eldercare"], None):
        with pytest.raises(ValueError, match="unknown scenario"):
            check_scenario(bad)


def test_unknown_name_message_serves_other_kinds_of_names():
    from trustnet.core.parameters import unknown_name_message

    assert unknown_name_message("ambtion") == ("unknown parameter 'ambtion'; did you mean "
                                               "'ambition'? ('trustnet params' lists them)")
    assert unknown_name_message("mean_trus", ["mean_trust", "output"], kind="outcome") == (
        "unknown outcome 'mean_trus'; did you mean 'mean_trust'? (allowed: mean_trust, output)")
    assert unknown_name_message(7, ["a"], kind="reporter", listing="see the ODD") == (
        "unknown reporter 7 (see the ODD)")
