"""Time a full trustnet run against Mesa's own network example, side by side in one process.

    python benchmarks/model_vs_mesa.py [--sizes 40 1000] [--steps 120] [--repeats 15]

For each size it prints the median time of a whole run (construction, ``steps`` steps and data
collection) of trustnet with default parameters and of ``mesa.examples.basic.virus_on_network``
with as many nodes, and their ratio. Runs of the two alternate, so that a busy machine slows
both alike. Targets: ratio at most 1.5 at 40 organisations and under 0.15 at 1,000.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import mesa
from mesa.examples.basic.virus_on_network.model import VirusOnNetwork

import trustnet
from trustnet.model import TrustNetworkModel


def run_trustnet(n: int, steps: int, seed: int) -> None:
    model = TrustNetworkModel(rng=seed, n_orgs=n)
    for _ in range(steps):
        model.step()


def run_virus(n: int, steps: int, seed: int) -> None:
    model = VirusOnNetwork(num_nodes=n, rng=seed)
    for _ in range(steps):
        model.step()


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[40, 1000])
    parser.add_argument("--steps", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=None,
                        help="runs per size and model (default: 21 up to 100 nodes, else 5)")
    args = parser.parse_args()
    print(f"trustnet {trustnet.__version__}, mesa {mesa.__version__}, "
          f"Python {platform.python_version()}, {platform.machine()}")
    print(f"{'size':>6} {'trustnet (s)':>13} {'virus_on_network (s)':>21} {'ratio':>7}")
    for n in args.sizes:
        repeats = args.repeats or (21 if n <= 100 else 5)
        run_trustnet(n, args.steps, 0), run_virus(n, args.steps, 0)  # warm-up
        ours, theirs = [], []
        for seed in range(repeats):
            ours.append(timed(run_trustnet, n, args.steps, seed))
            theirs.append(timed(run_virus, n, args.steps, seed))
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"{n:>6} {a:>13.4f} {b:>21.4f} {a / b:>7.3f}")


if __name__ == "__main__":
    main()
