"""Running the pattern sweeps: specs from experiments/, results that resume but never go stale.

The specs are read from an experiments folder (by default ``experiments`` in the current
folder, as in the repository). Each pattern's sweep goes into its own folder. A folder is
resumed (nothing computed twice) when it was made from the same spec, the same replications and
the same model source; when the model's source or the spec changed, its results are stale and
the folder is started afresh.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

from trustnet.experiment.store import model_source_hash
from trustnet.validation.patterns import PATTERNS

EXPERIMENTS = Path("experiments")
KEY_FILE = "validation_key.json"
BASE_REPLICATIONS = 100  # replications per arm of most patterns; the others have a multiple


def _read_spec(key: str, experiments: Path | str) -> dict[str, Any]:
    path = Path(experiments) / PATTERNS[key].spec
    if not path.is_file():
        raise FileNotFoundError(f"{path}: pattern spec not found (give the experiments folder "
                                "with --experiments)")
    with open(path, "rb") as fh:
        spec = tomllib.load(fh)
    spec.setdefault("name", path.stem)
    return spec


def _ratio(spec: dict[str, Any]) -> int:
    return max(1, round(spec.get("replications", BASE_REPLICATIONS) / BASE_REPLICATIONS))


def pattern_spec(key: str, *, replications: int | None = None, steps: int | None = None,
                 experiments: Path | str = EXPERIMENTS, knockout: Any = None, **changes: Any,
                 ) -> dict[str, Any]:
    """The spec of pattern ``key`` as a dict, with replications, steps or keys replaced, and
    with a :class:`~trustnet.validation.controls.Knockout`'s rule switched off on every arm.

    ``replications`` scales the spec: the spec's own count is the full run's, and a pattern that
    needs more replications than the others (path dependence, correlations) keeps its ratio to
    BASE_REPLICATIONS (so ``replications=20`` gives p02 80 runs).
    """
    spec = _read_spec(key, experiments)
    if replications is not None:
        spec["replications"] = replications * _ratio(spec)
    if steps is not None:
        spec["steps"] = steps
    spec.update(changes)
    if knockout is not None:
        from trustnet.validation.controls import knockout_spec

        spec = knockout_spec(spec, knockout)
    return spec


def ratios(experiments: Path | str = EXPERIMENTS) -> dict[str, int]:
    """Each pattern's replications relative to BASE_REPLICATIONS (its spec's own count)."""
    return {key: _ratio(_read_spec(key, experiments)) for key in PATTERNS}


def run_pattern(key: str, out: Path | None = None, *, replications: int | None = None,
                steps: int | None = None, engine: str = "processes", workers: int | None = None,
                progress: bool | None = None, log: Any = None,
                experiments: Path | str = EXPERIMENTS, knockout: Any = None,
                **changes: Any) -> Any:
    """Run (or finish, or reuse) the sweep of pattern ``key``; return its tables."""
    from trustnet.experiment import run_sweep
    from trustnet.experiment.store import StoreError

    spec = pattern_spec(key, replications=replications, steps=steps, experiments=experiments,
                        knockout=knockout, **changes)
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
                    steps: int | None = None, experiments: Path | str = EXPERIMENTS,
                    knockout: Any = None) -> Any | None:
    """The finished results of pattern ``key`` in ``out`` if they are current, else None."""
    from trustnet.experiment import load_results

    key_path = Path(out) / KEY_FILE
    if not key_path.exists():
        return None
    spec = pattern_spec(key, replications=replications, steps=steps, experiments=experiments,
                        knockout=knockout)
    expected = json.loads(json.dumps({"spec": spec, "model_source": model_source_hash()},
                                     default=str))
    if json.loads(key_path.read_text()) != expected:
        return None
    try:
        result = load_results(out)
    except (OSError, ValueError):
        return None
    return result if result.manifest.get("status") == "complete" else None
