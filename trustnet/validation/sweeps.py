"""Running the pattern sweeps: specs from experiments/, results that resume but never go stale.

Each pattern's sweep goes into its own folder. A folder is resumed (nothing computed twice)
when it was made from the same spec, the same replications and the same model source; when the
model's source or the spec changed, its results are stale and the folder is started afresh.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

from trustnet.experiment.store import model_source_hash
from trustnet.validation.patterns import PATTERNS

PACKAGE = Path(__file__).resolve().parents[1]
REPO = PACKAGE.parent
EXPERIMENTS = REPO / "experiments"
KEY_FILE = "validation_key.json"


def pattern_spec(key: str, *, replications: int | None = None, steps: int | None = None,
                 experiments: Path = EXPERIMENTS, **changes: Any) -> dict[str, Any]:
    """The spec of pattern ``key`` as a dict, with replications, steps or keys replaced.

    ``replications`` scales the spec: the spec's own count is the full run's, and a pattern that
    needs more replications than the others (path dependence, correlations) keeps its ratio to
    the default of 100 (so ``replications=20`` gives p02 80 runs).
    """
    path = experiments / PATTERNS[key].spec
    if not path.exists():
        raise FileNotFoundError(f"{path}: pattern spec not found")
    with open(path, "rb") as fh:
        spec = tomllib.load(fh)
    spec.setdefault("name", path.stem)
    if replications is not None:
        ratio = max(1, round(spec.get("replications", 100) / 100))
        spec["replications"] = replications * ratio
    if steps is not None:
        spec["steps"] = steps
    spec.update(changes)
    return spec


def ratios(experiments: Path = EXPERIMENTS) -> dict[str, int]:
    """Each pattern's replications relative to the default of 100 (its spec's own count)."""
    out = {}
    for key, pattern in PATTERNS.items():
        with open(experiments / pattern.spec, "rb") as fh:
            out[key] = max(1, round(tomllib.load(fh).get("replications", 100) / 100))
    return out


def run_pattern(key: str, out: Path | None = None, *, replications: int | None = None,
                steps: int | None = None, engine: str = "processes", workers: int | None = None,
                progress: bool | None = None, log: Any = None, **changes: Any) -> Any:
    """Run (or finish, or reuse) the sweep of pattern ``key``; return its tables."""
    from trustnet.experiment import run_sweep
    from trustnet.experiment.store import StoreError

    spec = pattern_spec(key, replications=replications, steps=steps, **changes)
    if out is None:
        return run_sweep(spec, None, engine=engine, workers=workers, progress=progress)
    out = Path(out)
    source = model_source_hash()
    key_data = {"spec": spec, "model_source": source}
    resume = False
    key_path = out / KEY_FILE
    if out.exists():
        old = json.loads(key_path.read_text()) if key_path.exists() else None
        if old == json.loads(json.dumps(key_data, default=str)):
            resume = True
        elif (out / "manifest.json").exists() or (out / "runs").exists() or key_path.exists():
            if log:
                log(f"{out}: results of another spec or model version; starting afresh")
            shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    key_path.write_text(json.dumps(key_data, indent=1, sort_keys=True, default=str))
    try:
        return run_sweep(spec, out, engine=engine, workers=workers, resume=resume,
                         progress=progress)
    except StoreError:
        if not resume:
            raise
        # the store knows more than the key (e.g. changed parameter defaults): this folder
        # belongs to the validation, so its stale results are replaced
        if log:
            log(f"{out}: results the store cannot resume; starting afresh")
        shutil.rmtree(out)
        out.mkdir(parents=True)
        key_path.write_text(json.dumps(key_data, indent=1, sort_keys=True, default=str))
        return run_sweep(spec, out, engine=engine, workers=workers, progress=progress)


def current_results(key: str, out: Path, *, replications: int | None = None,
                    steps: int | None = None) -> Any | None:
    """The finished results of pattern ``key`` in ``out`` if they are current, else None."""
    from trustnet.experiment import load_results

    key_path = Path(out) / KEY_FILE
    if not key_path.exists():
        return None
    spec = pattern_spec(key, replications=replications, steps=steps)
    expected = json.loads(json.dumps({"spec": spec, "model_source": model_source_hash()},
                                     default=str))
    if json.loads(key_path.read_text()) != expected:
        return None
    try:
        result = load_results(out)
    except (OSError, ValueError):
        return None
    return result if result.manifest.get("status") == "complete" else None
