"""Throughput of the sweep engines on 400 default runs (40 organisations, 120 months).

    python benchmarks/engines.py [--repeat 3] [--runs 400]

Prints runs/s for the serial engine, the default local-process engine and a Dask LocalCluster
(its start-up measured separately), best and median over repeats, with the load average
before each measurement: on a shared machine other work lowers the numbers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from trustnet.experiment import run_sweep
from trustnet.experiment.engines import DaskEngine, default_workers


def timed(engine: str, spec: dict) -> float:
    start = time.perf_counter()
    run_sweep(spec, None, engine=engine, progress=False)
    return time.perf_counter() - start


def timed_dask(spec: dict, workers: int) -> tuple[float, float]:
    """(start-up seconds, seconds for the runs on the started cluster)."""
    from trustnet.experiment import engines

    engine = DaskEngine(workers=workers)
    start = time.perf_counter()
    engine.__enter__()
    # wait until every worker has imported the model (the first task on each pays that)
    engine._client.run(lambda: __import__("trustnet.run"))
    startup = time.perf_counter() - start
    original = engines.make_engine
    engines.make_engine = lambda *a, **k: _Started(engine)
    try:
        start = time.perf_counter()
        run_sweep(spec, None, engine="dask", progress=False)
        runs = time.perf_counter() - start
    finally:
        engines.make_engine = original
        engine.__exit__(None, None, None)
    return startup, runs


class _Started:
    """An already started engine (so that start-up is not counted twice)."""

    def __init__(self, engine):
        self.engine, self.name, self.workers = engine, engine.name, engine.workers

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def imap(self, fn, items):
        return self.engine.imap(fn, items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    spec = {"replications": args.runs, "steps": 120, "seed": 1}
    results: dict[str, list[float]] = {"serial": [], "processes": [], "dask": []}
    startups = []
    run_sweep({"replications": 2, "steps": 5}, None, engine="serial", progress=False)  # warm
    for i in range(args.repeat):
        for name, rates in results.items():
            load = os.getloadavg()[0]
            if name == "dask":
                startup, seconds = timed_dask(spec, default_workers())
                startups.append(startup)
            else:
                seconds = timed(name, spec)
            rates.append(args.runs / seconds)
            print(f"repeat {i + 1}: {name:9s} {args.runs / seconds:6.1f} runs/s "
                  f"(load average before: {load:.2f})", flush=True)
    serial_best = max(results["serial"])
    for name, rates in results.items():
        print(f"{name:9s} best {max(rates):6.1f} runs/s, median {statistics.median(rates):6.1f}"
              f", best/serial best {max(rates) / serial_best:.2f}")
    print(f"dask LocalCluster start-up: {min(startups):.2f} s best, "
          f"{statistics.median(startups):.2f} s median ({default_workers()} workers)")


if __name__ == "__main__":
    main()
