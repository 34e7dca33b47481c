"""Start the browser page: ``trustnet viz`` (or ``python -m trustnet.viz.launch``).

Runs ``solara run`` on :mod:`trustnet.viz.app` in a child process with the settings the page
needs on any machine: Solara's browser files from the local cache (filled from npm on first
use, see :mod:`trustnet.viz.assets`), production mode (no page fetched from the internet), and
no telemetry.
"""

from __future__ import annotations

import argparse
import errno
import importlib.util
import ipaddress
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from trustnet.core.scenarios import DEFAULT_SCENARIO, check_scenario
from trustnet.scenario_files import is_scenario_file, load_scenario_file
from trustnet.viz.assets import AssetsError, ensure_assets

APP_MODULE = "trustnet.viz.app"
ENV_SCENARIO = "TRUSTNET_VIZ_SCENARIO"  # read by the app (kept here to import nothing heavy)


def _bind_problem(host: str, port: int) -> str | None:
    """Why the page cannot be served at ``host:port`` (None if it can)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return f"host {host!r}: not a known name or address of this machine; try 127.0.0.1"
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is in use; choose another with --port"
            return f"host {host}: cannot serve there ({exc.strerror}); try 127.0.0.1"
    return None


def is_open_to_network(host: str) -> bool:
    """Whether a page served at ``host`` can be reached from other machines (a name counts
    as open unless every address it stands for is a loopback one)."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        return True
    return not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


def command(host: str, port: int) -> list[str]:
    """The ``solara run`` command line."""
    return [sys.executable, "-m", "solara", "run", APP_MODULE, "--host", host,
            "--port", str(port), "--no-open", "--production"]


def environment(scenario: str, assets_dir: Path) -> dict[str, str]:
    """The child's environment: the parent's plus the page's settings."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # so the app imports this very package
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    env["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(assets_dir)
    env["SOLARA_THEME_TITLE"] = "trustnet"  # the tab's title until the page names its scenario
    env[ENV_SCENARIO] = scenario
    return env


def serve(scenario: str = DEFAULT_SCENARIO, host: str = "127.0.0.1", port: int = 8765) -> int:
    """Serve the page until interrupted; returns an exit code (2 for bad input).

    Prints the address to open. Fills the browser-assets cache first if it is incomplete.
    """
    try:
        if is_scenario_file(scenario):
            load_scenario_file(scenario)
            scenario = os.path.abspath(scenario)
        else:
            check_scenario(scenario)
    except ValueError as exc:  # a scenario file's error is a ValueError too
        print(f"trustnet: error: {exc}", file=sys.stderr)
        return 2
    if not 0 < int(port) < 65536:
        print(f"trustnet: error: port {port}: allowed: an integer in [1, 65535]", file=sys.stderr)
        return 2
    missing = [name for name in ("solara", "mesa.visualization")
               if importlib.util.find_spec(name.split(".")[0]) is None]
    if missing:  # before any address is printed: the page would never come up
        print(f"trustnet: error: the browser view needs {', '.join(missing)}, which is not "
              "installed; run 'bash .ci/bootstrap viz' in the project (or pip install "
              "'trustnet[viz]')", file=sys.stderr)
        return 2
    problem = _bind_problem(host, port)
    if problem:
        print(f"trustnet: error: {problem}", file=sys.stderr)
        return 2
    try:
        assets_dir = ensure_assets()
    except AssetsError as exc:  # one line, and how to get them, like any bad set-up
        print(f"trustnet: error: {exc}", file=sys.stderr)
        return 2
    if is_open_to_network(host):
        print(f"trustnet: warning: --host {host} opens the page to the network: anyone who "
              f"can reach this machine on port {port} can use it (the default, 127.0.0.1, "
              "keeps it to this machine)", file=sys.stderr, flush=True)
    url_host = f"[{host}]" if ":" in host else host
    print(f"trustnet viz: scenario '{scenario}' at http://{url_host}:{port}/ (Ctrl+C stops)",
          flush=True)
    child = subprocess.Popen(command(host, port), env=environment(scenario, assets_dir))

    def stop(signum, frame):  # a SIGTERM to this process stops the server too
        child.terminate()

    previous = None
    if hasattr(signal, "SIGTERM"):
        try:
            previous = signal.signal(signal.SIGTERM, stop)
        except ValueError:  # not the main thread: leave signals alone
            previous = None
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.terminate()
        return 0
    finally:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trustnet.viz.launch",
                                     description="Serve the trustnet browser page.")
    parser.add_argument("--scenario", default=DEFAULT_SCENARIO, help="scenario shown first")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    return serve(args.scenario, args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
