"""Browser files for the visualisation, served from a local cache instead of a CDN.

Solara loads its browser code (Vue app, requirejs, fonts, grid layout, ...) from a public CDN
when a page opens; a machine without internet access then shows an empty page. Solara also
reads a local cache laid out as ``DIR/<package>@<version>/<files>`` from the directory named by
``SOLARA_ASSETS_PROXY_CACHE_DIR``. This module fills such a cache from the npm registry with
``npm pack`` (one call, then unpacking), so the page works offline afterwards.

Run ``python -m trustnet.viz.assets [DIR]``; it is idempotent and returns at once when the
cache is complete. The default directory is ``$TRUSTNET_ASSETS_DIR`` if set, else
``trustnet/solara-assets`` under the user cache directory (``$XDG_CACHE_HOME`` or ``~/.cache``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ENV_DIR = "TRUSTNET_ASSETS_DIR"

# The npm packages Solara's page asks the CDN for, with the versions of solara 1.64.1. The
# versions actually requested are read from the installed Solara where it names them, so an
# upgraded Solara gets the files it wants; these are the fallback.
KNOWN_PACKAGES: dict[str, str] = {
    "@widgetti/solara-vuetify-app": "10.1.1",
    "requirejs": "2.3.6",
    "font-awesome": "4.5.0",
    "@widgetti/vue-grid-layout": "2.3.13-alpha.2",
    "mermaid": "10.8.0",
    "katex": "0.16.9",
    "vega": "5",
    "vega-lite": "5",
    "vega-embed": "6",
}


class AssetsError(RuntimeError):
    """The cache could not be filled; the message is one line meant for the user."""


def default_dir() -> Path:
    """Where the cache lives unless a directory is given."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "trustnet" / "solara-assets"


def required_packages() -> list[str]:
    """``name@version`` specs the installed Solara requests from its CDN."""
    found: dict[str, set[str]] = {name: set() for name in KNOWN_PACKAGES}
    try:
        import solara
    except ImportError:  # no solara: nothing to read, use the known list
        root = None
    else:
        root = Path(solara.__file__).parent
    if root is not None:
        patterns = {
            name: re.compile(r"(?<![\w@/-])" + re.escape(name) + r"@(\d[\w.\-]*?)(?=[/'\"`\s])")
            for name in KNOWN_PACKAGES
        }
        for sub in ("server", "components", "widgets"):
            for path in (root / sub).rglob("*"):
                if path.suffix not in (".py", ".vue", ".html", ".js") or not path.is_file():
                    continue
                text = path.read_text(encoding="utf-8", errors="ignore")
                for name, pattern in patterns.items():
                    if name in text:
                        found[name].update(pattern.findall(text))
    specs = []
    for name, fallback in KNOWN_PACKAGES.items():
        for version in sorted(found[name] or {fallback}):
            specs.append(f"{name}@{version}")
    return specs


def missing(cache_dir: Path, specs: list[str] | None = None) -> list[str]:
    """The specs not yet unpacked in ``cache_dir``."""
    specs = required_packages() if specs is None else specs
    return [s for s in specs if not (cache_dir / s).is_dir()]


def ensure_assets(cache_dir: Path | str | None = None, *, quiet: bool = False) -> Path:
    """Fill ``cache_dir`` (default :func:`default_dir`) with every package still missing.

    Raises :class:`AssetsError` with a one-line message when npm is not available or fails.
    """
    cache_dir = Path(cache_dir).expanduser() if cache_dir else default_dir()
    todo = missing(cache_dir)
    if not todo:
        return cache_dir
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsError(
            "npm not found: the visualisation needs Solara's browser files; install Node.js/npm "
            f"and run 'python -m trustnet.viz.assets', or fill {cache_dir} on another machine"
        )
    cache_dir.mkdir(parents=True, exist_ok=True)
    if not quiet:
        print(f"fetching {len(todo)} browser packages from the npm registry into {cache_dir} ...",
              file=sys.stderr)
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".download-") as tmp:
        tmp_path = Path(tmp)
        proc = subprocess.run(
            [npm, "pack", *todo, "--json", "--pack-destination", str(tmp_path)],
            cwd=tmp_path, capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
            raise AssetsError(f"npm pack failed for {' '.join(todo)}: {last}")
        try:
            packed = json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            raise AssetsError(f"npm pack gave unreadable output: {exc}") from None
        if len(packed) != len(todo):
            raise AssetsError(f"npm pack returned {len(packed)} packages for {len(todo)} requested")
        for spec, info in zip(todo, packed, strict=True):
            _unpack(tmp_path / info["filename"], cache_dir / spec, tmp_path)
    return cache_dir


def _unpack(tarball: Path, target: Path, scratch: Path) -> None:
    """Unpack an npm tarball without its top folder, then move it into place in one rename."""
    staging = Path(tempfile.mkdtemp(dir=scratch))
    with tarfile.open(tarball) as tar:
        members = []
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if len(parts) < 2:
                continue
            member.name = str(Path(*parts[1:]))
            members.append(member)
        tar.extractall(staging, members=members, filter="data")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():  # filled meanwhile by another process
        return
    os.replace(staging, target)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python -m trustnet.viz.assets [DIR]", file=sys.stderr)
        return 2
    target = Path(args[0]) if args else None
    try:
        path = ensure_assets(target)
    except AssetsError as exc:
        print(f"trustnet: error: {exc}", file=sys.stderr)
        return 2
    print(f"browser assets ready in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
