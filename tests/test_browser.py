"""The browser page in a real headless Chromium against a running ``trustnet viz`` server.

Drives what a user does: open the page, Step, choose the own-network scenario file, change a
parameter in the panel of all parameters, add an event, Reset, Play and Pause; saves
screenshots under test-artifacts/ and prints Play's months per second at 40 and 400
organisations (measured, never asserted: see ``benchmarks/suite.py --only viz``).

Needs Debian's chromium at /usr/bin/chromium (or $TRUSTNET_CHROMIUM) and the browser-assets
cache (filled from npm by the server on first use). Skipped only when chromium is missing
outside CI; under CI (the CI variable set) a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import viz_play  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
OWN = "experiments/own_network/regional_network.toml"

if not viz_play.chromium_available() and not os.environ.get("CI"):
    pytest.skip(f"chromium not found at {viz_play.CHROMIUM} (apt-get install -y chromium); "
                "set CI to make this a failure", allow_module_level=True)


@pytest.fixture(scope="module")
def page():
    ARTIFACTS.mkdir(exist_ok=True)
    with viz_play.server("swedish_eldercare", ARTIFACTS / "viz-server.log") as url, \
            viz_play.browser_page(url) as page:
        yield page


def _status(page) -> str:
    return page.locator(".tn-status").inner_text()


def _shot(page, name: str) -> None:
    page.wait_for_timeout(800)  # the last pictures arrive and the layout settles
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _wait_month(page, month: int) -> None:
    page.wait_for_function(
        "m => { const e = document.querySelector('.tn-status');"
        " const k = e && /month\\s*(\\d+)/i.exec(e.innerText); return k && +k[1] === m; }",
        arg=month)


def _select(page, label: str, option: str) -> None:
    """Choose ``option`` in the Vuetify menu whose label is ``label``."""
    page.locator(".v-select", has_text=label).first.click()
    page.locator(".menuable__content__active .v-list-item", has_text=option).first.click()


def test_page_shows_network_plots_members_and_no_mesa_jargon(page):
    for name in ("tn-network", "tn-plot-trust", "tn-plot-projects", "tn-plot-role",
                 "tn-plot-strain"):
        box = page.locator(f"img.{name}").first.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 120, name
    assert "governance" in _status(page).lower()
    # the tab says what it shows, also before the page has drawn
    assert page.title().startswith("trustnet")
    assert "<title>trustnet</title>" in page.request.get(page.url).text()
    text = page.locator("body").inner_text()
    for jargon in ("Use Threads", "Render Interval", "Play Interval"):
        assert jargon not in text
    assert "members (organisations): 40" in text  # a control's value beside its label
    assert page.locator(".tn-members").inner_text().count("member") >= 40
    assert not page.errors, page.errors


def test_step_advances_and_redraws(page):
    before = page.locator("img.tn-plot-trust").get_attribute("src")
    page.locator(".tn-step").click()
    _wait_month(page, 1)
    page.wait_for_function(
        "old => document.querySelector('img.tn-plot-trust').src !== old", arg=before)


def test_own_network_panel_parameter_event_reset_and_play(page):
    # choose the own-network scenario file: names from the roster, given ties with trust now
    _select(page, "scenario or scenario file", "regional_network.toml")
    page.wait_for_function(
        "() => document.querySelector('.tn-status').innerText.includes('of 23')")
    page.locator(".tn-members", has_text="Regional Hospital").wait_for()  # the roster's names
    page.locator(".tn-ties", has_text="University Hospital").wait_for()
    assert "given trust" in page.locator(".tn-ties").inner_text()
    _shot(page, "viz-own-network.png")

    # a parameter in the panel of all parameters: typed, refused in one line, then accepted
    page.get_by_role("button", name="All parameters").click()
    page.get_by_role("button", name=re.compile(r"^▸ trust \(")).click()
    field = page.locator(".tn-param-forgetting input")
    field.fill("7")
    field.press("Enter")
    error = page.locator(".tn-param-forgetting .tn-error")
    error.wait_for()
    assert "parameter 'forgetting'" in error.inner_text() and "allowed" in error.inner_text()
    field.fill("0.98")
    field.press("Enter")
    page.locator(".tn-pending", has_text="0.995 → 0.98").wait_for()

    # an event: the coordinator's funding ends at month 4
    month = page.locator(".tn-event-month input")
    month.fill("4")
    _select(page, "what happens", "withdraw_coordinator")
    page.locator(".tn-add-event").click()
    page.locator(".tn-event", has_text="month 4: withdraw coordinator").wait_for()
    _shot(page, "viz-panel-and-event.png")

    # Reset applies both; Play runs past the event; Pause stops
    page.locator(".tn-reset").click()
    _wait_month(page, 0)
    page.wait_for_function("() => !document.querySelector('.tn-pending')")
    page.wait_for_function(  # this run's changes listed above the pictures
        "() => document.body.innerText.includes('retention of trust evidence 0.98')")
    page.locator(".tn-play").click()
    page.wait_for_function(
        "() => { const k = /month\\s*(\\d+)/i.exec("
        "document.querySelector('.tn-status').innerText); return k && +k[1] >= 8; }")
    page.locator(".tn-play").click()
    page.locator(".tn-step:not([disabled])").wait_for()
    assert "withdrawn" in _status(page)
    page.wait_for_timeout(600)  # the month being drawn when Pause was pressed arrives
    stopped = _status(page)
    page.wait_for_timeout(1500)
    assert _status(page) == stopped  # then nothing moves
    _shot(page, "viz-after-play.png")
    assert not page.errors, page.errors


def test_play_rate_is_printed_at_40_and_400_organisations(page, tmp_path, capsys):
    rates = {}
    for n in (40, 400):
        viz_play.open_scenario_file(page, viz_play.sized_scenario(n, tmp_path), n)
        rates[n] = viz_play.months_per_second(page, seconds=6.0)
        with capsys.disabled():
            print(f"\nbrowser page, Play at {n} organisations: {rates[n]:.1f} months/s")
        assert rates[n] > 0
    _shot(page, "viz-400.png")
    assert not page.errors, page.errors
