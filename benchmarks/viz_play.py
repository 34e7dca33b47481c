"""Months per second of the browser page's Play, in headless Chromium.

Serves ``trustnet viz`` on a scenario of the size asked, opens it in Chromium through
Playwright, presses Play and counts the months the page shows over a fixed time: the rate a
user sees, drawing included. Used by ``benchmarks/suite.py --only viz`` and printed (never
asserted) by the browser test.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("TRUSTNET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-sync", "--disable-quic",
]
SERVER_START_TIMEOUT = 90  # seconds; the first start may fill the assets cache from npm
MONTH = re.compile(r"month\s*(\d+)", re.IGNORECASE)


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def viz_command(scenario: str, port: int) -> list[str]:
    """``trustnet viz`` from this environment; the launcher module if the CLI is not there."""
    script = Path(sys.executable).with_name("trustnet")
    args = ["--scenario", scenario, "--host", "127.0.0.1", "--port", str(port)]
    if script.exists():
        return [str(script), "viz", *args]
    return [sys.executable, "-m", "trustnet.viz.launch", *args]


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server's process group (the launcher and its solara child)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@contextlib.contextmanager
def server(scenario: str, log_path: Path, cwd: Path = ROOT) -> Iterator[str]:
    """A running ``trustnet viz`` on ``scenario``; yields its address."""
    port = free_port()
    with open(log_path, "w") as log:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(viz_command(scenario, port), cwd=cwd, stdout=log,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while True:
                if proc.poll() is not None:
                    log.flush()
                    raise RuntimeError(f"server exited with {proc.returncode}: "
                                       f"{log_path.read_text()[-2000:]}")
                try:
                    with urllib.request.urlopen(url, timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server did not answer at {url} within "
                                       f"{SERVER_START_TIMEOUT} s")
                time.sleep(0.5)
            yield url
        finally:
            _stop(proc)


@contextlib.contextmanager
def browser_page(url: str, timeout_ms: int = 30_000) -> Iterator:
    """A Chromium page at ``url``, its uncaught errors collected in ``page.errors``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1600, "height": 1900}).new_page()
            page.errors = []
            page.on("pageerror", lambda exc: page.errors.append(str(exc)))
            page.set_default_timeout(timeout_ms)
            page.goto(url)
            wait_until_drawn(page)
            yield page
        finally:
            browser.close()


def wait_until_drawn(page, pictures: int = 5) -> None:
    """Until the status panel and the network and four time plots are on the page."""
    page.locator(".tn-status").wait_for()
    page.wait_for_function(
        "n => [...document.querySelectorAll('img.tn-figure')]"
        ".filter(i => i.complete && i.naturalWidth > 100).length >= n", arg=pictures)


def shown_month(page) -> int:
    match = MONTH.search(page.locator(".tn-status").inner_text())
    if match is None:
        raise RuntimeError("the status panel shows no month")
    return int(match.group(1))


def months_per_second(page, seconds: float = 10.0) -> float:
    """Press Play, count the months shown over ``seconds`` (after a start-up month), pause."""
    start = shown_month(page)
    page.locator(".tn-play").click()
    page.wait_for_function(
        "m => { const e = document.querySelector('.tn-status');"
        " const k = e && /month\\s*(\\d+)/i.exec(e.innerText); return k && +k[1] >= m; }",
        arg=start + 2)
    first, began = shown_month(page), time.perf_counter()
    time.sleep(seconds)
    last, ended = shown_month(page), time.perf_counter()
    page.locator(".tn-play").click()  # pause
    page.locator(".tn-step:not([disabled])").wait_for()
    return (last - first) / (ended - began)


def open_scenario_file(page, path: str | Path, n_orgs: int) -> None:
    """Open a scenario file through the page's path field and wait for its network."""
    field = page.locator(".tn-scenario input[type=text]").last
    field.fill(str(path))
    field.press("Enter")
    page.wait_for_function(
        "n => { const e = document.querySelector('.tn-status');"
        " return e && e.innerText.includes('of ' + n + ' active')"
        " && /month\\s*0\\b/i.test(e.innerText); }", arg=n_orgs)
    wait_until_drawn(page)


def sized_scenario(n_orgs: int, folder: Path) -> Path:
    """A scenario file: the default scenario with ``n_orgs`` organisations."""
    path = folder / f"play_{n_orgs}.toml"
    path.write_text(f'name = "play_{n_orgs}"\ntitle = "Default scenario, {n_orgs} organisations"'
                    f'\n\n[parameters]\nn_orgs = {n_orgs}\n')
    return path


def measure(sizes: list[int], seconds: float = 10.0) -> list[dict]:
    """One row per size: months per second of Play, or the reason it was not measured."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            if not chromium_available():
                rows.append({"n_orgs": n, "months_per_s": None,
                             "error": f"chromium not found at {CHROMIUM}"})
                continue
            try:
                scenario = sized_scenario(n, Path(folder))
                with server(str(scenario), Path(folder) / f"server_{n}.log") as url, \
                        browser_page(url) as page:
                    rate = months_per_second(page, seconds)
                rows.append({"n_orgs": n, "months_per_s": rate, "seconds": seconds})
            except Exception as exc:  # reported in the table, not raised
                rows.append({"n_orgs": n, "months_per_s": None,
                             "error": f"{type(exc).__name__}: {str(exc)[:200]}"})
            print(f"  {n:5d} organisations: "
                  + (f"{rows[-1]['months_per_s']:.1f} months/s" if rows[-1]["months_per_s"]
                     is not None else rows[-1]["error"]), flush=True)
    return rows
