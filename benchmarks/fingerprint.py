"""A fingerprint of the model's results over many runs, to show that a change alters none.

Runs every named scenario, both tie storages, every governance mode and coordinator style,
mandated and voluntary networks, a withdrawal, large groups with many projects, every kind of
event, a roster with given ties and organisation-level data, and hashes each run's time
series, summary and projects table. Run it before and after a refactoring: equal
fingerprints mean bit-identical results.

    python benchmarks/fingerprint.py            # prints one hash per run and the total
    python benchmarks/fingerprint.py --json F   # also writes them to F
    python benchmarks/fingerprint.py --interpreted  # the kernels as plain Python: the same
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import trustnet
from trustnet.core.compiled import interpreted

STEPS = 72
ROOT = Path(__file__).resolve().parents[1]


def cases() -> list[tuple[str, dict, int, str]]:
    """(scenario, overrides, seed, tie storage) of every run fingerprinted."""
    out = []
    for scenario in ("swedish_eldercare", "belgian_mandated", "topdown_coordinative",
                     "small_shared", "lead_organisation"):  # every built-in, in a fixed order
        assert scenario in trustnet.SCENARIOS
        for seed in (1, 2):
            for storage in ("dense", "sparse"):
                out.append((scenario, {}, seed, storage))
    for governance in ("shared", "lead", "nao"):
        for style in ("coordinating", "directive", "adaptive"):
            for mandated in (False, True):
                params = {"governance": governance, "nao_style": style, "mandated": mandated,
                          "n_orgs": 30, "ambition": 1.2}
                out.append(("swedish_eldercare", params, 3, "dense"))
    out.append(("swedish_eldercare", {"nao_withdrawal_step": 30, "takeover": 0.9}, 4, "dense"))
    out.append(("swedish_eldercare", {"nao_withdrawal_step": 30, "takeover": 0.9}, 4, "sparse"))
    out.append(("belgian_mandated", {"ambition": 2.0, "coordinator_capacity": 0.3}, 5, "dense"))
    out.append(("small_shared", {"n_orgs": 12, "forgetting": 1.0}, 6, "dense"))
    # large groups and many contacts (sums over 8 or more items), and many projects
    for storage in ("dense", "sparse"):
        out.append(("swedish_eldercare", {"n_orgs": 60, "team_size": 12, "meeting_contacts": 12,
                                          "proposal_rate": 4.0}, 7, storage))
    for style in ("adaptive", "directive"):
        out.append(("swedish_eldercare", {"nao_style": style, "_events": "what-ifs"}, 8,
                    "dense"))
    out.append(("swedish_eldercare", {"_events": "what-ifs"}, 8, "sparse"))
    out.append(("swedish_eldercare", {"_network": "own"}, 9, "dense"))
    return out


OWN = ROOT / "experiments" / "own_network"
WHAT_IFS = [  # every kind of event, on the generated network
    {"month": 12, "set": {"relationship_time": 0.6}},
    {"month": 18, "action": "trust_shock", "evidence": -1.5},
    {"month": 24, "action": "withdraw_coordinator"},
    {"month": 36, "action": "appoint_coordinator", "style": "directive"},
    {"month": 40, "action": "impose_mandate"},
    {"month": 52, "action": "lift_mandate"},
    {"month": 60, "action": "trust_shock", "evidence": 2.0},
    {"month": 66, "action": "trust_shock", "evidence": 0.7},  # not a float32 number
    {"month": 69, "action": "trust_shock", "evidence": -0.3},
]


def split(params: dict) -> tuple[dict, dict]:
    """The model's parameters, and the events or own network a case asks for."""
    extra = {}
    if params.get("_events") == "what-ifs":
        extra["events"] = WHAT_IFS
    if params.get("_network") == "own":
        extra.update(members=OWN / "members.csv", ties=OWN / "ties.csv")
    return {k: v for k, v in params.items() if not k.startswith("_")}, extra


def frame_hash(frame: pd.DataFrame) -> str:
    h = hashlib.sha256()
    h.update(",".join(map(str, frame.columns)).encode())
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            h.update(np.ascontiguousarray(column.to_numpy()).tobytes())
        else:  # strings: their text (the bytes of an object array are addresses)
            h.update("|".join(map(str, column)).encode())
    return h.hexdigest()[:16]


def fingerprint_run(scenario: str, params: dict, seed: int, storage: str) -> str:
    params, extra = split(params)
    resolved = trustnet.scenario_params(scenario, params)
    if "members" in extra:
        resolved.pop("n_orgs")
    model = trustnet.TrustNetworkModel(rng=seed, tie_storage=storage, org_data_every=12,
                                       **extra, **resolved)
    model.run_for(STEPS)
    h = hashlib.sha256()
    h.update(frame_hash(model.datacollector.get_model_vars_dataframe()).encode())
    orgs = model.datacollector.get_agenttype_vars_dataframe(type(model.organisations[0]))
    h.update(frame_hash(orgs.reset_index()).encode())
    h.update(frame_hash(model.projects.table()).encode())
    result = trustnet.run_model(params, scenario=scenario, seed=seed, steps=STEPS, **extra)
    h.update(json.dumps(result.summary, sort_keys=True).encode())
    h.update(frame_hash(result.series.reset_index()).encode())
    return h.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the per-run hashes to this file")
    parser.add_argument("--interpreted", action="store_true",
                        help="run the compiled kernels as plain Python (as a first model "
                             "does while they compile)")
    args = parser.parse_args(argv)
    rows = []
    total = hashlib.sha256()
    with interpreted() if args.interpreted else contextlib.nullcontext():
        for scenario, params, seed, storage in cases():
            digest = fingerprint_run(scenario, params, seed, storage)
            total.update(digest.encode())
            label = f"{scenario} seed={seed} {storage} {json.dumps(params, sort_keys=True)}"
            rows.append({"run": label, "hash": digest})
            print(f"{digest}  {label}")
    print(f"{total.hexdigest()[:16]}  total over {len(rows)} runs of {STEPS} months")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"total": total.hexdigest()[:16], "runs": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
