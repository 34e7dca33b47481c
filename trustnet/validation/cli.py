"""The validation command: run the pattern sweeps, analyse them, write the report and figures.

``trustnet validate [--out DIR] [--experiments DIR] [--report FILE] [--replications N]
[--workers N] [--only p01,p02]`` is a subcommand of the ``trustnet`` command line, which
declares its options and reports bad input; ``python -m trustnet.validation`` takes the same
options and runs the same code (:func:`main`). Paths are relative to the current folder, so
the defaults (``experiments/``, ``docs/VALIDATION.md``, ``results/validation/``) work from the
repository root, and an installed package works on any experiments folder given.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any


def pattern_keys() -> tuple[str, ...]:
    from trustnet.validation.patterns import PATTERNS

    return tuple(PATTERNS)


def parse_only(text: str) -> list[str]:
    """'p01,p2,12' -> ['p01', 'p02', 'p12'] (in pattern order); unknown names are a ValueError."""
    from trustnet.core.parameters import unknown_name_message

    known = pattern_keys()
    keys = []
    for part in filter(None, (p.strip().lower() for p in text.split(","))):
        digits = part.removeprefix("p")
        key = f"p{int(digits):02d}" if digits.isdigit() else part
        if key not in known:
            raise ValueError(unknown_name_message(part, known, kind="pattern"))
        keys.append(key)
    if not keys:
        raise ValueError(f"got {text!r}; allowed: a comma-separated list of {', '.join(known)}")
    return [k for k in known if k in keys]


def main(argv: list[str] | None = None) -> int:
    """``python -m trustnet.validation ARGS`` is ``trustnet validate ARGS``."""
    from trustnet.cli import main as trustnet_main

    try:
        return trustnet_main(["validate", *(sys.argv[1:] if argv is None else argv)])
    except SystemExit as exc:  # --help, or bad options (one line already written)
        return exc.code if isinstance(exc.code, int) else 2


def _knockouts(key: str, res: Any, out: Path, args: argparse.Namespace, experiments: Path,
               run: bool, log: Any) -> tuple[float, int]:
    """Rerun pattern ``key`` with each of its knockout rules switched off and mark its checks
    with the share that survives; returns the compute time the reruns' manifests record and
    the number of their runs."""
    from trustnet.validation import controls
    from trustnet.validation.patterns import PATTERNS, analyse
    from trustnet.validation.sweeps import current_results, run_pattern

    knocked, seconds, runs = {}, 0.0, 0
    for i, knockout in enumerate(controls.CONTROLS[key].knockouts):
        results = []
        # the patterns this one reads are rerun under the same knockout
        for name in (key, *PATTERNS[key].needs):
            stem = PATTERNS[name].spec.removesuffix(".toml")
            folder = out.parent / (f"{stem}-knockout-{i + 1}" if name == key
                                   else f"{stem}-for-{key}-knockout-{i + 1}")
            if run:
                switched = ", ".join(f"{k}={v:g}" for k, v in knockout.overrides.items())
                log(f"{key}: knockout {i + 1} ({switched}) of {name} -> {folder}")
                result = run_pattern(name, folder, replications=args.replications,
                                     workers=args.workers,
                                     progress=None if not args.quiet else False, log=log,
                                     experiments=experiments, knockout=knockout)
            else:
                result = current_results(name, folder, replications=args.replications,
                                         experiments=experiments, knockout=knockout)
            results.append(result)
        if all(r is not None for r in results):
            knocked[i] = analyse(key, *results)
            seconds += sum(float(r.manifest.get("elapsed_s_total") or 0.0) for r in results)
            runs += sum(len(r.runs) for r in results)
    controls.apply(res, controls.CONTROLS[key], knocked)
    return seconds, runs


def validate(args: argparse.Namespace) -> int:
    """Run, analyse and report the selected patterns (the options of ``trustnet validate``)."""
    from trustnet.experiment.store import git_revision
    from trustnet.experiment.tables import n_failed
    from trustnet.validation import report
    from trustnet.validation.patterns import PATTERNS, analyse
    from trustnet.validation.sweeps import (
        BASE_REPLICATIONS,
        current_results,
        model_source_hash,
        pattern_spec,
        ratios,
        run_pattern,
    )

    def log(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    experiments, out_root, report_path = (Path(args.experiments), Path(args.out),
                                          Path(args.report))
    if not experiments.is_dir():
        raise ValueError(f"{experiments}: no such folder (expected the experiments folder with "
                         "the pattern specs; give it with --experiments)")
    selected = args.only or list(PATTERNS)
    to_run = set(selected) | {n for k in selected for n in PATTERNS[k].needs}
    specs = {key: pattern_spec(key, replications=args.replications, experiments=experiments)
             for key in PATTERNS}
    fig_dir = report_path.parent / "validation"
    fig_dir.mkdir(parents=True, exist_ok=True)
    entries, compute, results, workers = [], 0.0, {}, set()
    knockout_runs = 0
    start = time.perf_counter()
    for key, pattern in PATTERNS.items():
        out = out_root / pattern.spec.removesuffix(".toml")
        if key in to_run:
            log(f"{key}: sweep {pattern.spec} -> {out}")
            t0 = time.perf_counter()
            result = run_pattern(key, out, replications=args.replications,
                                 workers=args.workers, progress=None if not args.quiet else False,
                                 log=log, experiments=experiments)
            log(f"{key}: {len(result.runs)} runs ready in {time.perf_counter() - t0:.1f} s")
        else:
            result = current_results(key, out, replications=args.replications,
                                     experiments=experiments)
        results[key] = result
        needed = [results.get(n) for n in pattern.needs]
        if result is None or any(r is None for r in needed):
            entries.append(report.Entry(key, specs[key], None))
            continue
        res = analyse(key, result, *needed)
        ko_seconds, ko_runs = _knockouts(key, res, out, args, experiments, key in to_run, log)
        compute += ko_seconds
        knockout_runs += ko_runs
        name = pattern.spec.replace(".toml", ".png")
        pattern.figure(res).savefig(fig_dir / name, dpi=110)
        seconds = float(result.manifest.get("elapsed_s_total") or 0.0)
        compute += seconds
        workers |= {x["workers"] for x in result.manifest.get("sessions", []) if x.get("workers")}
        entries.append(report.Entry(key, specs[key], res, f"{fig_dir.name}/{name}", seconds,
                                    len(result.runs), n_failed(result.runs)))
        log(f"{key}: {res.verdict} ({res.key_number})")
    git = git_revision()
    reps = args.replications or BASE_REPLICATIONS
    meta = {
        "git": (git["commit"][:10] + (" with uncommitted changes" if git["dirty"] else ""))
        if git else "unknown",
        "model_source": model_source_hash(),
        "replications": reps,
        "replications_text": f"{reps} per arm, except " + ", ".join(
            f"{PATTERNS[k].title.lower()} ({r * reps})"
            for k, r in ratios(experiments).items() if r > 1),
        "compute_text": (f"{compute:.0f} s wall clock for {sum(e.runs for e in entries)} runs "
                         f"and {knockout_runs} knockout reruns "
                         f"with {'/'.join(map(str, sorted(workers))) or '?'} worker processes "
                         "(summed over the sweeps, as their manifests record it); the "
                         "invocation that wrote this file, reusing finished sweeps, took "
                         f"{time.perf_counter() - start:.0f} s"),
    }
    report.write(entries, report_path, meta)
    log(f"wrote {report_path} and figures in {fig_dir}")
    return 0
