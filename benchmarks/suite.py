"""trustnet's benchmark suite: speed against Mesa's own network example, peak memory, growth
with size, sweep throughput of the engines, start-up time (and the first run, compiling), the
browser page's Play (months per second in headless Chromium) and a Sobol analysis over every
parameter run to the end, each beside its target.

    python benchmarks/suite.py                        # everything (long: see benchmarks/README.md)
    python benchmarks/suite.py --quick                # smoke run of every section, 1-2 minutes
    python benchmarks/suite.py --only model,memory --sizes 40 1000
    python benchmarks/suite.py --update-readme        # also rewrite the results in the README

Prints one table per section and writes every figure, with a record of the machine and of its
load before each section, to JSON. On a shared machine other work slows everything: read the
load averages before trusting a figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECTIONS = ("model", "memory", "sweep", "startup", "viz", "sensitivity")
VIZ_SIZES = (40, 400)
README_START, README_END = "<!-- results:start -->", "<!-- results:end -->"
MB = 2**20

# key: (what, comparison, limit, unit, format); the figures are looked up in `evaluate_targets`
TARGETS = {
    "ratio_40": ("time ratio trustnet / virus_on_network at 40 organisations", "≤", 0.5, "",
                 ".3f"),
    "ratio_1000": ("time ratio trustnet / virus_on_network at 1,000 organisations", "≤", 0.05,
                   "", ".3f"),
    "time_10000": ("10,000 organisations × 120 steps: time", "<", 30, " s", ".2f"),
    "memory_10000": ("10,000 organisations × 120 steps: peak memory", "<", 4096, " MB", ".0f"),
    "serial": ("serial engine: default runs a second on one core, spec to stored row", "≥",
               300, " runs/s", ".1f"),
    "speedup_processes": ("default engine (local processes): speed-up over serial", "≥", 1.8,
                          "×", ".2f"),
    "speedup_dask": ("Dask LocalCluster, once started: speed-up over serial", "≥", 1.6, "×",
                     ".2f"),
    "help": ("`trustnet --help`: wall time", "<", 0.3, " s", ".3f"),
    "first_run": ("first `trustnet run` on an empty kernel cache: wall time", "<", 10, " s",
                  ".2f"),
    "sobol_all": ("Sobol over every parameter, N=256 (first and total order): wall time", "<",
                  10, " min", ".1f"),
    "play_40": ("browser page, Play at 40 organisations", "≥", 5, " months/s", ".1f"),
    "play_400": ("browser page, Play at 400 organisations", "≥", 2, " months/s", ".1f"),
}


# ---------------------------------------------------------------- 1. model vs virus_on_network

def run_trustnet(n: int, steps: int, seed: int):
    from trustnet.core.model import TrustNetworkModel

    model = TrustNetworkModel(rng=seed, n_orgs=n)
    for _ in range(steps):
        model.step()
    return model


def run_virus(n: int, steps: int, seed: int):
    from mesa.examples.basic.virus_on_network.model import VirusOnNetwork

    model = VirusOnNetwork(num_nodes=n, rng=seed)
    for _ in range(steps):
        model.step()
    return model


def count_ties(model) -> int | None:
    """Ordered pairs with any shared history at the end of a run (None on a model without the
    method), so that growth can be read against the work a run really does."""
    count = getattr(model.ties, "count_ties", None)
    return int(count()) if count is not None else None


def default_repeats(n: int, quick: bool) -> int:
    """Enough runs for a stable median where runs are short, few where a run takes seconds."""
    if quick:
        return 5 if n <= 100 else 3
    return 21 if n <= 100 else 5 if n <= 1000 else 3 if n <= 3000 else 2


def measure_model(args) -> dict:
    """Median wall time of a whole run (construction and steps) of each model at each size.

    The two models alternate within one process, so that a change in the machine's load slows
    both alike. A warm-up run of each comes first (imports, caches), except above 3,000, where
    a virus_on_network run takes minutes and the smaller sizes have warmed everything up.
    """
    rows = []
    for n in args.sizes:
        repeats = args.repeats or default_repeats(n, args.quick)
        with_virus = args.virus_max_size is None or n <= args.virus_max_size
        if n <= 3000 or n == args.sizes[0]:
            run_trustnet(n, args.steps, 0)
            if with_virus:
                run_virus(n, args.steps, 0)
        ours, theirs, ties = [], [], []
        for seed in range(repeats):
            start = time.perf_counter()
            model = run_trustnet(n, args.steps, seed)
            ours.append(time.perf_counter() - start)
            ties.append(count_ties(model))
            del model  # free a large model before timing the other one
            if with_virus:
                start = time.perf_counter()
                run_virus(n, args.steps, seed)
                theirs.append(time.perf_counter() - start)
        a = statistics.median(ours)
        b = statistics.median(theirs) if theirs else None
        row = {"n_orgs": n, "repeats": repeats, "ties": median_or_none(ties),
               "trustnet_s": a, "virus_s": b, "ratio": a / b if b else None,
               "trustnet_runs_s": ours, "virus_runs_s": theirs}
        rows.append(row)
        print(f"  {n:>6} orgs: trustnet {a:.4f} s, virus_on_network {fmt(b, '.4f', ' s')}"
              f" ({repeats} runs each)", flush=True)
    return {"steps": args.steps, "virus_max_size": args.virus_max_size, "rows": rows}


def median_or_none(values: list) -> float | None:
    return None if not values or None in values else statistics.median(values)


# ---------------------------------------------------------------- 2. peak memory

# Run in a fresh interpreter, so that nothing measured before inflates the high-water mark.
MEMORY_CHILD = """
import json, resource, sys
import numpy, mesa, trustnet
from trustnet.core.model import TrustNetworkModel

def maxrss():
    # Linux: this process's own high-water mark (ru_maxrss would carry over the parent's
    # from before the exec); elsewhere ru_maxrss (bytes on macOS)
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r if sys.platform == "darwin" else r * 1024

n, steps = int(sys.argv[1]), int(sys.argv[2])
baseline = maxrss()
model = TrustNetworkModel(rng=0, n_orgs=n)
for _ in range(steps):
    model.step()
peak = maxrss()
count = getattr(model.ties, "count_ties", None)
print(json.dumps({"baseline": baseline, "peak": peak,
                  "ties": int(count()) if count is not None else None}))
"""


def measure_memory(args) -> dict:
    """Peak resident memory of one run per size, each in a fresh process, with the baseline
    of the same process after importing numpy, Mesa and the model code (so the model's own
    share shows even where the interpreter and libraries dominate)."""
    rows = []
    for n in args.sizes:
        done = subprocess.run([sys.executable, "-c", MEMORY_CHILD, str(n), str(args.steps)],
                              check=False, capture_output=True, text=True)
        if done.returncode != 0:
            error = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
            rows.append({"n_orgs": n, "peak_mb": None, "baseline_mb": None, "model_mb": None,
                         "ties": None, "error": error})
            print(f"  {n:>6} orgs: failed ({error})", flush=True)
            continue
        child = json.loads(done.stdout.strip().splitlines()[-1])
        peak, baseline = child["peak"] / MB, child["baseline"] / MB
        rows.append({"n_orgs": n, "peak_mb": peak, "baseline_mb": baseline,
                     "model_mb": peak - baseline, "ties": child["ties"]})
        print(f"  {n:>6} orgs: peak {peak:.0f} MB (baseline {baseline:.0f} MB)", flush=True)
    return {"steps": args.steps, "rows": rows}


# ---------------------------------------------------------------- 3. growth exponents

def slope(xs: list, ys: list) -> float | None:
    """Least-squares slope of log(y) on log(x): y grows like x to this power."""
    import numpy as np

    pairs = [(x, y) for x, y in zip(xs, ys) if x and y and x > 0 and y > 0]
    if len({x for x, _ in pairs}) < 2:
        return None
    x, y = np.log([p[0] for p in pairs]), np.log([p[1] for p in pairs])
    return float(np.polyfit(x, y, 1)[0])


def growth(results: dict) -> dict:
    """How time and memory grow with the number of organisations and of ties (over every
    measured size; the smallest sizes carry fixed costs, so read the exponents as a trend)."""
    out = {}
    model = results.get("model")
    if model:
        rows = model["rows"]
        n, ties = [r["n_orgs"] for r in rows], [r["ties"] for r in rows]
        out["trustnet time"] = {"vs_orgs": slope(n, [r["trustnet_s"] for r in rows]),
                                "vs_ties": slope(ties, [r["trustnet_s"] for r in rows])}
        out["virus_on_network time"] = {"vs_orgs": slope(n, [r["virus_s"] for r in rows]),
                                        "vs_ties": None}
    memory = results.get("memory")
    if memory:
        rows = memory["rows"]
        n, ties = [r["n_orgs"] for r in rows], [r["ties"] for r in rows]
        for label, key in (("peak memory", "peak_mb"), ("peak memory above baseline", "model_mb")):
            out[label] = {"vs_orgs": slope(n, [r[key] for r in rows]),
                          "vs_ties": slope(ties, [r[key] for r in rows])}
    return out


# ---------------------------------------------------------------- 4. sweep throughput

def sweep_seconds(spec: dict, **engine) -> tuple[float, int, int]:
    """(seconds for the runs once the engine has started, its workers, failed runs), from
    the spec to the rows stored in a results folder."""
    import tempfile

    from trustnet.experiment import run_sweep

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = run_sweep(spec, Path(out) / "sweep", progress=False, **engine)
        seconds = time.perf_counter() - start
    session = result.manifest["sessions"][-1]
    return (seconds - (session.get("engine_startup_s") or 0), session["workers"],
            session["runs_failed"])


def dask_seconds(spec: dict, workers: int) -> tuple[float, float, int, int]:
    """(cluster start-up, then as `sweep_seconds`) on a LocalCluster set up as the Dask engine
    sets one up. Start-up lasts until every worker has imported the model, so that the runs
    are timed on a cluster that is ready, as in a long sweep."""
    from importlib import import_module

    from distributed import Client, LocalCluster

    start = time.perf_counter()
    with (LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                       dashboard_address=None) as cluster, Client(cluster) as client):
        client.wait_for_workers(workers)
        client.run(import_module, "trustnet.core.run")
        startup = time.perf_counter() - start
        seconds, used, failed = sweep_seconds(spec, engine="dask",
                                              scheduler=cluster.scheduler_address)
    return startup, seconds, used, failed


def measure_sweep(args) -> dict:
    """Runs per second of default runs (40 organisations) on each engine, speed-up over serial
    and parallel efficiency (speed-up per worker)."""
    from trustnet.experiment import run_sweep
    from trustnet.experiment.engines import default_workers

    spec = {"replications": args.sweep_runs, "steps": args.steps, "seed": 1}
    workers = default_workers()
    run_sweep({"replications": 2, "steps": 5}, None, engine="serial", progress=False)  # warm
    rows, startup = [], None
    for engine in ("serial", "processes", "dask"):
        load = loadavg()
        if engine == "dask":
            startup, seconds, used, failed = dask_seconds(spec, workers)
        else:
            seconds, used, failed = sweep_seconds(spec, engine=engine)
        rows.append({"engine": engine, "workers": used, "seconds": seconds,
                     "runs_per_s": args.sweep_runs / seconds, "failed_runs": failed,
                     "load_before": load})
        print(f"  {engine:9s} {args.sweep_runs / seconds:7.1f} runs/s on {used} worker(s)"
              f" (load average before {load[0]:.2f})", flush=True)
    serial = rows[0]["runs_per_s"]
    for row in rows:
        row["speedup"] = row["runs_per_s"] / serial
        row["efficiency"] = row["speedup"] / row["workers"]
    return {"runs": args.sweep_runs, "steps": args.steps, "n_orgs": 40,
            "usable_cores": workers, "dask_startup_s": startup, "rows": rows}


# ---------------------------------------------------------------- 5. start-up

def measure_startup(args) -> dict:
    """Wall time of short commands in fresh processes: what a user waits for before anything
    happens. Bare `python -c pass` shows the interpreter's own share."""
    script = Path(sys.executable).parent / "trustnet"
    run = [str(script), "run", "--steps", "120", "--seed", "1"] if script.exists() else None
    rows = [first_run(run)] if run else []
    commands = [("trustnet --help", [str(script), "--help"] if script.exists() else None),
                ("trustnet run (kernels cached)", run),
                ("python -c 'import trustnet'", [sys.executable, "-c", "import trustnet"]),
                ("python -c pass", [sys.executable, "-c", "pass"])]
    for label, argv in commands:
        if argv is None:
            rows.append({"command": label, "median_s": None, "error": "console script not found"})
            continue
        times = []
        for _ in range(args.startup_repeats + 1):  # the first only fills the file cache
            start = time.perf_counter()
            done = subprocess.run(argv, check=False, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - start)
            if done.returncode != 0:
                break
        if done.returncode != 0:
            rows.append({"command": label, "median_s": None,
                         "error": f"failed with exit code {done.returncode}"})
            print(f"  {label:28s} failed (exit code {done.returncode})", flush=True)
            continue
        rows.append({"command": label, "median_s": statistics.median(times[1:]),
                     "runs_s": times[1:]})
        print(f"  {label:28s} {statistics.median(times[1:]):.3f} s", flush=True)
    return {"repeats": args.startup_repeats, "rows": rows}


def first_run(argv: list[str]) -> dict:
    """`trustnet run` as on a fresh machine: an empty cache, so the kernels are compiled."""
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        done = subprocess.run(argv, check=False, capture_output=True, cwd=ROOT,
                              env={**os.environ, "NUMBA_CACHE_DIR": cache})
        seconds = time.perf_counter() - start
        # the kernels compile in the background meanwhile: wait for them (they would take
        # cores from the next measurements), and say when they were ready
        from trustnet.core.compiled import HELPER_TIMEOUT, compiling
        from trustnet.core.source import source_hash

        kernels = Path(cache) / "trustnet" / f"kernels-{source_hash()}"
        while compiling(kernels) and time.perf_counter() - start < HELPER_TIMEOUT:
            time.sleep(0.1)
        compiled_s = None if compiling(kernels) else time.perf_counter() - start
    label = "trustnet run (first, empty cache)"
    if done.returncode != 0:
        print(f"  {label:28s} failed (exit code {done.returncode})", flush=True)
        return {"command": label, "median_s": None,
                "error": f"failed with exit code {done.returncode}"}
    ready = (f"{compiled_s:.1f} s" if compiled_s is not None
             else f"not within {HELPER_TIMEOUT} s")
    print(f"  {label:28s} {seconds:.3f} s (kernels compiled in the background: {ready})",
          flush=True)
    return {"command": label, "median_s": seconds, "runs_s": [seconds],
            "compiled_after_s": compiled_s}


def measure_viz(args) -> dict:
    """Months per second of the page's Play in headless Chromium (benchmarks/viz_play.py)."""
    sys.path.insert(0, str(HERE))
    import viz_play

    return {"seconds": args.viz_seconds, "rows": viz_play.measure(list(VIZ_SIZES),
                                                                  args.viz_seconds)}


def measure_sensitivity(args) -> dict:
    """Wall time of `experiments/sensitivity_all.toml` run to the end on every usable core
    (Sobol over every parameter that can vary; 8 base samples with --quick), and how far its
    indices have converged."""
    import tempfile

    from trustnet.experiment import run_sensitivity
    from trustnet.experiment.engines import default_workers
    from trustnet.experiment.spec import load_spec

    spec = load_spec(ROOT / "experiments" / "sensitivity_all.toml")
    if args.quick:
        from dataclasses import replace
        spec = replace(spec, sensitivity=replace(spec.sensitivity, samples=8))
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = run_sensitivity(spec, "sobol", Path(out) / "sobol", progress=False,
                                 workers=default_workers())
        seconds = time.perf_counter() - start
    failed = int((result.runs["status"] != "ok").sum())
    conv = result.convergence  # none when every outcome was constant
    converged = ([] if conv is None or "rank_correlation" not in conv
                 else conv.dropna(subset=["rank_correlation"]).to_dict("records"))
    print(f"  {len(result.runs):,} runs over {len(spec.sensitivity.ranges)} parameters in "
          f"{seconds / 60:.1f} min ({len(result.runs) / seconds:.1f} runs/s)", flush=True)
    top = (result.indices.dropna(subset=["ST"]).sort_values(["outcome", "rank"])
           .groupby("outcome", sort=False).head(3))
    return {"samples": spec.sensitivity.samples, "parameters": len(spec.sensitivity.ranges),
            "runs": len(result.runs), "failed_runs": failed, "seconds": seconds,
            "workers": default_workers(),
            "convergence": converged,
            "top": [{"outcome": r.outcome, "parameter": r.parameter, "ST": r.ST,
                     "ST_conf": r.ST_conf, "S1": r.S1} for r in top.itertuples()]}


# ---------------------------------------------------------------- machine and targets

def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def git(*argv: str) -> str | None:
    try:
        done = subprocess.run(["git", *argv], cwd=ROOT, check=False, capture_output=True,
                              text=True)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def machine_record() -> dict:
    """What a reader needs to compare figures across machines and revisions."""
    import mesa
    import numpy

    import trustnet
    from trustnet.experiment.engines import default_workers

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        ram_gb = None
    argv = list(sys.argv)
    if Path(argv[0]).is_absolute() and Path(argv[0]).resolve().is_relative_to(ROOT):
        argv[0] = str(Path(argv[0]).resolve().relative_to(ROOT))
    changes = git("status", "--porcelain", "--untracked-files=no", "--", "trustnet")
    return {"cpu": cpu, "logical_cores": os.cpu_count(), "usable_cores": default_workers(),
            "ram_gb": round(ram_gb, 1) if ram_gb else None, "os": platform.platform(),
            "python": platform.python_version(), "numpy": numpy.__version__,
            "mesa": mesa.__version__, "trustnet": trustnet.__version__,
            "git_revision": git("rev-parse", "--short", "HEAD"),
            "uncommitted_model_changes": bool(changes) if changes is not None else None,
            "date": datetime.now().astimezone().isoformat(timespec="seconds"),
            "command": shlex.join(["python", *argv])}


def evaluate_targets(results: dict) -> dict:
    """Each target with its measured figure and whether it is met (None: not measured)."""
    def row(section: str, key: str, value) -> dict | None:
        rows = (results.get(section) or {}).get("rows", [])
        return next((r for r in rows if r.get(key) == value), None)

    full_run = all((results.get(s) or {}).get("steps", 120) == 120 for s in ("model", "memory"))
    figures = {
        "ratio_40": (row("model", "n_orgs", 40) or {}).get("ratio"),
        "ratio_1000": (row("model", "n_orgs", 1000) or {}).get("ratio"),
        "time_10000": (row("model", "n_orgs", 10000) or {}).get("trustnet_s") if full_run else None,
        "memory_10000": (row("memory", "n_orgs", 10000) or {}).get("peak_mb") if full_run else None,
        "speedup_processes": (row("sweep", "engine", "processes") or {}).get("speedup"),
        "speedup_dask": (row("sweep", "engine", "dask") or {}).get("speedup"),
        "help": (row("startup", "command", "trustnet --help") or {}).get("median_s"),
        "first_run": (row("startup", "command", "trustnet run (first, empty cache)")
                      or {}).get("median_s"),
        "serial": ((row("sweep", "engine", "serial") or {}).get("runs_per_s")
                   if (results.get("sweep") or {}).get("steps") == 120 else None),
        "sobol_all": (results["sensitivity"]["seconds"] / 60
                      if (results.get("sensitivity") or {}).get("samples") == 256 else None),
        "play_40": (row("viz", "n_orgs", 40) or {}).get("months_per_s"),
        "play_400": (row("viz", "n_orgs", 400) or {}).get("months_per_s"),
    }
    out = {}
    for key, (what, op, limit, unit, _) in TARGETS.items():
        value = figures[key]
        met = None if value is None else {"≤": value <= limit, "<": value < limit,
                                          "≥": value >= limit}[op]
        out[key] = {"target": f"{op} {limit:g}{unit}", "what": what, "measured": value,
                    "met": met}
    return out


def target_cell(results: dict, key: str) -> str:
    t = results["targets"][key]
    return f"{t['target']}: {'pass' if t['met'] else 'miss'}" if t["met"] is not None else ""


# ---------------------------------------------------------------- tables

@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def fmt(value, spec: str = ".3f", unit: str = "") -> str:
    if value is None:
        return "n/a"
    text = f"{value:{spec}}"
    if text.startswith("-") and not any(c in text for c in "123456789"):
        text = text[1:]  # no "-0.00"
    return text + unit


def tables(results: dict) -> list[Table]:
    out = []
    if model := results.get("model"):
        t = Table(f"Whole run (construction + {model['steps']} steps), median wall time",
                  ["orgs", "ties", "runs", "trustnet (s)", "virus_on_network (s)", "ratio",
                   "target"])
        for r in model["rows"]:
            targets = [target_cell(results, k) for k in
                       {40: ["ratio_40"], 1000: ["ratio_1000"], 10000: ["time_10000"]}
                       .get(r["n_orgs"], [])]
            t.rows.append([f"{r['n_orgs']:,}", fmt(r["ties"], ",.0f"), str(r["repeats"]),
                           fmt(r["trustnet_s"], ".4f"), fmt(r["virus_s"], ".4f"),
                           fmt(r["ratio"], ".3f"), "; ".join(c for c in targets if c)])
        t.notes.append("ratio = trustnet / virus_on_network; the two alternate in one process. "
                       f"Load average before: {model['load_before']}.")
        out.append(t)
    if memory := results.get("memory"):
        t = Table(f"Peak memory of one run ({memory['steps']} steps, fresh process)",
                  ["orgs", "ties", "peak (MB)", "baseline (MB)", "model's share (MB)", "target"])
        for r in memory["rows"]:
            t.rows.append([f"{r['n_orgs']:,}", fmt(r["ties"], ",.0f"), fmt(r["peak_mb"], ".0f"),
                           fmt(r["baseline_mb"], ".0f"), fmt(r["model_mb"], ".0f"),
                           target_cell(results, "memory_10000") if r["n_orgs"] == 10000 else
                           r.get("error", "")])
        t.notes.append("Baseline: the same process after importing numpy, Mesa and the model "
                       "code. Both are high-water marks (VmHWM on Linux), so a run that never "
                       "grows beyond what the imports reached shows a share of 0. MB = 2^20 bytes. "
                       f"Load average before: {memory['load_before']}.")
        out.append(t)
    if results.get("growth"):
        t = Table("Growth exponents (slope of log-log least squares over the measured sizes)",
                  ["quantity", "vs organisations", "vs ties"])
        for label, g in results["growth"].items():
            t.rows.append([label, fmt(g["vs_orgs"], ".2f"), fmt(g["vs_ties"], ".2f")])
        t.notes.append("1 = linear, 2 = quadratic. Ties: ordered pairs with any shared history "
                       "at the end of a run (n/a where the model cannot count them). The fit "
                       "spans the switch from n x n tie arrays to storing only the pairs that "
                       "met, above 2,000 organisations (trustnet.core.ties.DENSE_LIMIT).")
        out.append(t)
    if sweep := results.get("sweep"):
        t = Table(f"Sweep throughput: {sweep['runs']:,} default runs ({sweep['n_orgs']} "
                  f"organisations, {sweep['steps']} months)",
                  ["engine", "workers", "runs/s", "speed-up", "efficiency", "target"])
        for r in sweep["rows"]:
            target = {"processes": "speedup_processes", "dask": "speedup_dask"}.get(r["engine"])
            target = target or "serial"
            t.rows.append([r["engine"], str(r["workers"]), fmt(r["runs_per_s"], ".1f"),
                           fmt(r["speedup"], ".2f", "×"), fmt(r["efficiency"], ".0%"),
                           target_cell(results, target)])
        t.notes.append(f"Dask LocalCluster start-up (until every worker has imported the model):"
                       f" {fmt(sweep['dask_startup_s'], '.2f', ' s')}, not counted in its runs/s."
                       f" Usable cores: {sweep['usable_cores']}. Efficiency = speed-up / workers."
                       f" Load average before: {sweep['load_before']}.")
        failed = sum(r["failed_runs"] for r in sweep["rows"])
        if failed:
            t.notes.append(f"{failed} runs failed: these figures are not comparable.")
        out.append(t)
    if startup := results.get("startup"):
        t = Table(f"Start-up, median of {startup['repeats']} fresh processes",
                  ["command", "wall time (s)", "target"])
        for r in startup["rows"]:
            target = {"trustnet --help": "help",
                      "trustnet run (first, empty cache)": "first_run"}.get(r["command"])
            t.rows.append([r["command"], fmt(r["median_s"], ".3f") if r["median_s"] is not None
                           else r.get("error", "n/a"),
                           target_cell(results, target) if target else ""])
        for r in startup["rows"]:
            if "compiled_after_s" not in r:
                continue
            if r["compiled_after_s"] is None:
                t.notes.append("First run: its background compiler was still running "
                               "when the suite stopped waiting for it.")
            else:
                t.notes.append(f"First run: the kernels were compiled and cached "
                               f"{r['compiled_after_s']:.1f} s after it started (in the "
                               "background: the run does not wait for them).")
        t.notes.append(f"Load average before: {startup['load_before']}.")
        out.append(t)
    if viz := results.get("viz"):
        t = Table(f"Browser page: Play in headless Chromium, months shown over "
                  f"{viz['seconds']:g} s", ["orgs", "months/s", "target"])
        for r in viz["rows"]:
            t.rows.append([f"{r['n_orgs']:,}", fmt(r["months_per_s"], ".1f")
                           if r["months_per_s"] is not None else r.get("error", "n/a"),
                           target_cell(results, f"play_{r['n_orgs']}")
                           if f"play_{r['n_orgs']}" in TARGETS else ""])
        t.notes.append("Default scenario at each size, pace 'as fast as it draws': each month "
                       "is stepped, drawn and sent to the browser before the next. "
                       f"Load average before: {viz['load_before']}.")
        out.append(t)
    if sens := results.get("sensitivity"):
        t = Table(f"Sobol over every parameter: {sens['parameters']} parameters, "
                  f"{sens['samples']} base samples, {sens['runs']:,} runs on "
                  f"{sens['workers']} workers in {sens['seconds'] / 60:.1f} min "
                  f"({sens['runs'] / sens['seconds']:.1f} runs/s)",
                  ["outcome", "largest ST (95% interval)", "largest ST change N/2 to N",
                   "rank correlation", "top five kept"])
        tops = {}
        for r in sens["top"]:
            tops.setdefault(r["outcome"], r)
        for r in sens["convergence"]:
            top = tops.get(r["outcome"])
            t.rows.append([r["outcome"],
                           f"{top['parameter']} {top['ST']:.2f} ± {top['ST_conf']:.2f}"
                           if top else "n/a",
                           fmt(r["largest_ST_change"], ".3f"), fmt(r["rank_correlation"], ".2f"),
                           f"{r['top5_kept']} of 5"])
        t.notes.append("experiments/sensitivity_all.toml run to the end "
                       f"({target_cell(results, 'sobol_all') or 'not the full design'}); "
                       "convergence compares the indices of the first half of the base samples "
                       f"with all of them. Failed runs: {sens['failed_runs']}. Load average "
                       f"before: {sens['load_before']}.")
        out.append(t)
    t = Table("Targets", ["target", "measured", "result"])
    for key, r in results["targets"].items():
        unit, spec = TARGETS[key][3:]
        t.rows.append([f"{r['what']} {r['target']}", fmt(r["measured"], spec, unit),
                       {True: "pass", False: "miss", None: "not measured"}[r["met"]]])
    out.append(t)
    return out


def render_text(results: dict) -> str:
    lines = [f"{k}: {v}" for k, v in results["machine"].items()]
    for t in tables(results):
        widths = [max(len(c) for c in col) for col in zip(t.header, *t.rows)]
        lines += ["", t.title, "  ".join(h.ljust(w) for h, w in zip(t.header, widths)).rstrip()]
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in t.rows]
        lines += t.notes
    return "\n".join(lines)


def render_markdown(results: dict) -> str:
    m = results["machine"]
    lines = [f"Measured {m['date']} at revision `{m['git_revision']}`"
             + (" (with uncommitted model changes)" if m["uncommitted_model_changes"] else "")
             + f", in {results['duration_s'] / 60:.1f} minutes, with", "",
             f"    {m['command']}", "",
             "| machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in m.items() if k not in ("command", "date")]
    for t in tables(results):
        lines += ["", f"#### {t.title}", "", "| " + " | ".join(t.header) + " |",
                  "|" + "|".join("---" for _ in t.header) + "|"]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in t.rows]
        lines += ["", *t.notes] if t.notes else []
    return "\n".join(lines)


def update_readme(results: dict, path: Path = HERE / "README.md") -> None:
    text = path.read_text()
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        sys.exit(f"{path.name}: markers {README_START} ... {README_END} not found; "
                 "the results are in the JSON file only")
    body = render_markdown(results)
    path.write_text(f"{text[:start + len(README_START)]}\n{body}\n{text[end:]}")


# ---------------------------------------------------------------- command line

class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        """One line, exit code 2: the usage is one ``--help`` away."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = _Parser(
        description="trustnet's benchmark suite (see benchmarks/README.md).")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections to run (default: {','.join(SECTIONS)})")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: sizes 40 and 300, few repeats, 200 sweep runs")
    parser.add_argument("--sizes", type=int, nargs="+",
                        help="numbers of organisations (default: 40 1000 3000 10000)")
    parser.add_argument("--steps", type=int, default=120, help="steps (months) of every run")
    parser.add_argument("--repeats", type=int,
                        help="timed runs per size and model (default: 21 up to 100 "
                             "organisations, 5 up to 1,000, 3 up to 3,000, else 2)")
    parser.add_argument("--virus-max-size", type=int, metavar="N",
                        help="skip virus_on_network above N nodes (reported n/a)")
    parser.add_argument("--sweep-runs", type=int, help="runs per engine (default: 2000)")
    parser.add_argument("--json", type=Path, default=HERE / "results.json",
                        help="where to write the results (default: benchmarks/results.json)")
    parser.add_argument("--update-readme", action="store_true",
                        help="rewrite the results section of benchmarks/README.md")
    parser.add_argument("--from-json", type=Path, metavar="PATH",
                        help="measure nothing: print (and with --update-readme, write) the "
                             "tables of results saved earlier")
    args = parser.parse_args(argv)
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in args.only if s not in SECTIONS]
    if unknown or not args.only:
        parser.error(f"unknown section {', '.join(unknown) or '(none given)'}; "
                     f"allowed: {', '.join(SECTIONS)}")
    for name in ("steps", "repeats", "sweep_runs", "virus_max_size"):
        value = getattr(args, name)
        if value is not None and value < 1:
            parser.error(f"--{name.replace('_', '-')}: expected a positive integer, got {value}")
    if args.sizes is not None and min(args.sizes) < 3:
        parser.error(f"--sizes: {min(args.sizes)} is too small; a network needs at least 3 "
                     "organisations")
    if args.sizes is None:
        args.sizes = [40, 300] if args.quick else [40, 1000, 3000, 10000]
    if args.sweep_runs is None:
        args.sweep_runs = 200 if args.quick else 2000
    args.startup_repeats = 5 if args.quick else 7
    args.viz_seconds = 5.0 if args.quick else 15.0
    return args


def write_json(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.from_json:
        try:
            results = json.loads(args.from_json.read_text())
            render_text(results)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"suite.py: error: --from-json {args.from_json}: not a results file of this "
                  f"suite ({exc})", file=sys.stderr)
            sys.exit(2)
        print(render_text(results))
        if args.update_readme:
            update_readme(results)
            print("results section of benchmarks/README.md rewritten")
        return
    began = time.perf_counter()
    results = {"machine": machine_record()}
    measure = {"model": measure_model, "memory": measure_memory, "sweep": measure_sweep,
               "startup": measure_startup, "viz": measure_viz,
               "sensitivity": measure_sensitivity}
    for section in SECTIONS:  # a fixed order, whatever the order given to --only
        if section in args.only:
            load = loadavg()
            print(f"{section} (load average before: {load})", flush=True)
            results[section] = {"load_before": load, **measure[section](args)}
            write_json(results, args.json)  # an interrupted suite keeps what it measured
    results["growth"] = growth(results)
    results["targets"] = evaluate_targets(results)
    results["duration_s"] = time.perf_counter() - began
    write_json(results, args.json)
    print("\n" + render_text(results))
    print(f"\nresults written to {args.json}")
    if args.update_readme:
        update_readme(results)
        print("results section of benchmarks/README.md rewritten")


if __name__ == "__main__":
    main()
