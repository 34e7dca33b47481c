"""The validation command: run the pattern sweeps, analyse them, write the report and figures.

``python -m trustnet.validation [--out DIR] [--replications N] [--workers N] [--only p01,p02]``;
``trustnet validate`` calls :func:`main` with the same arguments.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from trustnet.cli import int_at_least
from trustnet.validation.patterns import PATTERNS
from trustnet.validation.sweeps import REPO, ratios

DEFAULT_OUT = Path("results") / "validation"
DEFAULT_REPORT = REPO / "docs" / "VALIDATION.md"


class UsageError(Exception):
    """Bad command-line input: one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage block
        raise UsageError(message)


_positive = int_at_least(1)


def parse_only(text: str) -> list[str]:
    """'p01,p2,12' -> ['p01', 'p02', 'p12'] (in pattern order); unknown names are an error."""
    keys = []
    for part in filter(None, (p.strip().lower() for p in text.split(","))):
        digits = part.removeprefix("p")
        key = f"p{int(digits):02d}" if digits.isdigit() else part
        if key not in PATTERNS:
            raise argparse.ArgumentTypeError(
                f"unknown pattern {part!r}; allowed: {', '.join(PATTERNS)}")
        keys.append(key)
    if not keys:
        raise argparse.ArgumentTypeError(f"got {text!r}; allowed: a comma-separated list "
                                         f"of {', '.join(PATTERNS)}")
    return [k for k in PATTERNS if k in keys]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="trustnet validate",
        description="Run the twelve pattern sweeps (experiments/p01..p12), compare their arms "
        "statistically and write docs/VALIDATION.md with figures in docs/validation/. Results "
        "are kept in --out; an interrupted run continues where it stopped, and results made "
        "with another spec or model source are recomputed.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                        help=f"folder for the sweep results (default: {DEFAULT_OUT})")
    parser.add_argument("--replications", type=_positive, default=None,
                        metavar="N", help="replications per arm (default: each spec's own, 100; "
                        "path dependence and the correlation scale theirs by the same ratio)")
    parser.add_argument("--workers", type=_positive, default=None, metavar="N",
                        help="worker processes (default: all usable cores)")
    parser.add_argument("--only", type=parse_only, default=None, metavar="p01,p02",
                        help="run only these patterns (the report keeps the others whose "
                        "current results are already in --out)")
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT, metavar="FILE",
                        help="the report to write; figures go to a 'validation' folder next to "
                        "it (default: docs/VALIDATION.md)")
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(f"trustnet validate: error: {exc}", file=sys.stderr)
        return 2
    try:
        return _validate(args)
    except KeyboardInterrupt:
        print("trustnet validate: interrupted; run again to continue", file=sys.stderr)
        return 130
    except (OSError, ValueError) as exc:  # unreadable spec, locked or unwritable folder
        print(f"trustnet validate: error: {exc}", file=sys.stderr)
        return 2


def _validate(args: argparse.Namespace) -> int:
    from trustnet.experiment.store import git_revision
    from trustnet.validation import figures, report
    from trustnet.validation.patterns import analyse
    from trustnet.validation.sweeps import current_results, model_source_hash, run_pattern

    def log(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    selected = args.only or list(PATTERNS)
    to_run = set(selected) | {n for k in selected for n in PATTERNS[k].needs}
    fig_dir = args.report.parent / "validation"
    fig_dir.mkdir(parents=True, exist_ok=True)
    entries, compute, results, workers = [], 0.0, {}, set()
    start = time.perf_counter()
    for key in PATTERNS:
        out = args.out / PATTERNS[key].spec.removesuffix(".toml")
        if key in to_run:
            log(f"{key}: sweep {PATTERNS[key].spec} -> {out}")
            t0 = time.perf_counter()
            result = run_pattern(key, out, replications=args.replications,
                                 workers=args.workers, progress=None if not args.quiet else False,
                                 log=log)
            log(f"{key}: {len(result.runs)} runs ready in {time.perf_counter() - t0:.1f} s")
        else:
            result = current_results(key, out, replications=args.replications)
        results[key] = result
        needed = [results.get(n) for n in PATTERNS[key].needs]
        if result is None or any(r is None for r in needed):
            entries.append(report.Entry(key, None))
            continue
        res = analyse(key, result, *needed)
        fig = figures.figure(key, res.frames)
        name = PATTERNS[key].spec.replace(".toml", ".png")
        fig.savefig(fig_dir / name, dpi=110)
        import matplotlib.pyplot as plt

        plt.close(fig)
        seconds = float(result.manifest.get("elapsed_s_total") or 0.0)
        compute += seconds
        workers |= {x["workers"] for x in result.manifest.get("sessions", []) if x.get("workers")}
        failed = int((result.runs["status"] != "ok").sum())
        entries.append(report.Entry(key, res, f"{fig_dir.name}/{name}", seconds,
                                    len(result.runs), failed))
        log(f"{key}: {res.verdict} ({res.key_number})")
    git = git_revision()
    reps = args.replications or 100
    meta = {
        "git": (git["commit"][:10] + (" with uncommitted changes" if git["dirty"] else ""))
        if git else "unknown",
        "model_source": model_source_hash(),
        "replications_text": f"{reps} per arm, except " + ", ".join(
            f"{PATTERNS[k].title.lower()} ({r * reps})" for k, r in ratios().items() if r > 1),
        "compute_text": (f"{compute:.0f} s wall clock for {sum(e.runs for e in entries)} runs "
                         f"with {'/'.join(map(str, sorted(workers))) or '?'} worker processes "
                         "(summed over the sweeps, as their manifests record it); the "
                         "invocation that wrote this file, reusing finished sweeps, took "
                         f"{time.perf_counter() - start:.0f} s"),
    }
    report.write(entries, args.report, meta)
    log(f"wrote {args.report} and figures in {fig_dir}")
    return 0
