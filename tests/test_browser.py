"""The browser page in a real headless Chromium against a running ``trustnet viz`` server.

Needs Debian's chromium at /usr/bin/chromium (or $TRUSTNET_CHROMIUM) and the browser-assets
cache (filled from npm by the server on first use). Skipped only when chromium is missing
outside CI; under CI (the CI variable set) a missing browser is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("TRUSTNET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-sync", "--disable-quic",
]
SERVER_START_TIMEOUT = 90  # seconds; the first start may fill the assets cache from npm
UI_TIMEOUT = 30_000  # milliseconds


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


if not _chromium_available() and not os.environ.get("CI"):
    pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install -y chromium); "
                "set CI to make this a failure", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _viz_command(port: int) -> list[str]:
    """``trustnet viz`` from this environment; the launcher module if the CLI is not there."""
    script = Path(sys.executable).with_name("trustnet")
    args = ["--scenario", "swedish_eldercare", "--host", "127.0.0.1", "--port", str(port)]
    if script.exists() and importlib.util.find_spec("trustnet.cli") is not None:
        return [str(script), "viz", *args]
    return [sys.executable, "-m", "trustnet.viz.launch", *args]


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server's process group (the launcher and its solara child), by id."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / "viz-server.log", "w") as log:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(_viz_command(port), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                env=env, start_new_session=True)
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while True:
                if proc.poll() is not None:
                    log.flush()
                    pytest.fail(f"server exited with {proc.returncode}: "
                                f"{(ARTIFACTS / 'viz-server.log').read_text()[-2000:]}")
                try:
                    with urllib.request.urlopen(url, timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"server did not answer at {url} within {SERVER_START_TIMEOUT} s")
                time.sleep(0.5)
            yield url
        finally:
            _stop(proc)


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_default_timeout(UI_TIMEOUT)
        page.goto(server)
        page.errors = errors
        yield page
        browser.close()


def _images_loaded(page, count: int) -> None:
    page.wait_for_function(
        "n => [...document.querySelectorAll('img')]"
        ".filter(i => i.complete && i.naturalWidth > 100).length >= n", arg=count)


def _status(page) -> str:
    return page.locator(".tn-status").inner_text()


def _figure_src(page, name: str) -> str:
    return page.locator(f"img.{name}").first.get_attribute("src") or ""


def test_page_shows_network_and_plots(page):
    page.get_by_text("Time: 0.0").wait_for()
    _images_loaded(page, 5)  # the network and four time plots
    for name in ("tn-network", "tn-plot-trust", "tn-plot-projects", "tn-plot-role",
                 "tn-plot-strain"):
        box = page.locator(f"img.{name}").first.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 120, name
    assert "governance" in _status(page).lower()
    assert not page.errors, page.errors


def test_step_advances_time_and_redraws(page):
    before = _figure_src(page, "tn-plot-trust")
    page.get_by_role("button", name="Step").click()
    page.get_by_text("Time: 1.0").wait_for()
    page.wait_for_function(
        "old => document.querySelector('img.tn-plot-trust').src !== old", arg=before)
    assert re.search(r"month\s*1\b", _status(page).lower())


def test_play_runs_until_paused(page):
    page.get_by_role("button", name="▶").click()
    page.wait_for_function(
        "() => /Time: ([4-9]|\\d\\d+)\\.0/.test(document.body.innerText)", timeout=UI_TIMEOUT)
    page.get_by_role("button", name="❚❚").click()
    page.get_by_role("button", name="Step").wait_for()
    _images_loaded(page, 5)
    page.wait_for_timeout(1500)  # let the last images arrive and the layout settle
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz-after-play.png"), full_page=True)


def test_slider_change_then_reset_rebuilds_model(page):
    slider = page.locator(".v-input", has_text="n_orgs (organisations)").locator("[role=slider]")
    slider.focus()
    slider.press("Home")  # the declared minimum
    low = slider.get_attribute("aria-valuenow")
    assert low is not None and int(low) < 40
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("Time: 0.0").wait_for()
    page.wait_for_function(
        "n => document.querySelector('.tn-status').innerText.includes('of ' + n)", arg=low)
    assert re.search(rf"\bof {low}\b", _status(page))
