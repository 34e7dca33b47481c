"""The two tidy tables of an experiment and their fixed schemas.

``runs``: one row per run: run id, arm, label, replication, seed, scenario, status and error,
every model parameter, and every end-of-run summary outcome. ``series``: one row per run and
kept step: run id, arm, replication, step, and the kept reporters. Schemas are fixed up front
(not inferred per chunk) so that parts written at different times always read back as one
table, even when a whole chunk failed.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from trustnet.core.parameters import PARAMETERS

RUN_KEYS = ("run_id", "arm", "label", "replication", "seed", "scenario", "status", "error",
            "traceback", "elapsed_s")
SERIES_KEYS = ("run_id", "arm", "replication", "step")
_KIND_TYPES = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
               "choice": pa.string()}


def ok_mask(runs: Any) -> Any:
    """Boolean array: which rows of a runs table are finished runs (status "ok").

    A table without a status column (e.g. one built by hand) counts every row as finished.
    """
    import numpy as np

    if "status" not in runs.columns:
        return np.ones(len(runs), dtype=bool)
    return (runs["status"] == "ok").to_numpy()


def ok_runs(runs: Any) -> Any:
    """The rows of a runs table whose run finished (failed runs left out)."""
    return runs[ok_mask(runs)]


def n_failed(runs: Any) -> int:
    """How many runs of a runs table failed."""
    return int((~ok_mask(runs)).sum())


def summary_outcomes() -> tuple[str, ...]:
    from trustnet.core.metrics import SUMMARY_OUTCOMES
    return tuple(SUMMARY_OUTCOMES)


def outcome_column(name: str) -> str:
    """Column of an outcome in the runs table; suffixed only if a parameter has the same name."""
    return f"{name}_outcome" if name in PARAMETERS or name in RUN_KEYS else name


def outcome_columns() -> dict[str, str]:
    return {name: outcome_column(name) for name in summary_outcomes()}


def runs_schema() -> pa.Schema:
    fields = [pa.field("run_id", pa.int64()), pa.field("arm", pa.int64()),
              pa.field("label", pa.string()), pa.field("replication", pa.int64()),
              pa.field("seed", pa.int64()), pa.field("scenario", pa.string()),
              pa.field("status", pa.string()), pa.field("error", pa.string()),
              pa.field("traceback", pa.string()), pa.field("elapsed_s", pa.float64())]
    fields += [pa.field(p.name, _KIND_TYPES[p.kind]) for p in PARAMETERS.values()]
    fields += [pa.field(col, pa.float64()) for col in outcome_columns().values()]
    return pa.schema(fields)


def series_schema(reporters: tuple[str, ...]) -> pa.Schema:
    return pa.schema([pa.field(k, pa.int64()) for k in SERIES_KEYS]
                     + [pa.field(r, pa.float64()) for r in reporters])


def build_tables(records: list[dict[str, Any]], design: Any, reporters: tuple[str, ...] | None,
                 projects: bool = False) -> tuple[pa.Table, pa.Table | None, pa.Table | None]:
    """Arrow tables of the runs, and (when kept) series and projects, of worker records."""

    reps = len(design.seeds)
    schema = runs_schema()
    outcomes = outcome_columns()
    columns: dict[str, list[Any]] = {name: [] for name in schema.names}
    for rec in records:
        run_id = rec["run_id"]
        arm = design.arms[run_id // reps]
        replication = run_id % reps
        columns["run_id"].append(run_id)
        columns["arm"].append(arm.arm)
        columns["label"].append(arm.label)
        columns["replication"].append(replication)
        columns["seed"].append(design.seeds[replication])
        columns["scenario"].append(arm.scenario)
        columns["status"].append(rec["status"])
        columns["error"].append(rec["error"])
        columns["traceback"].append(rec.get("traceback"))
        columns["elapsed_s"].append(rec["elapsed_s"])
        for name in PARAMETERS:
            columns[name].append(arm.params[name])
        for name, col in outcomes.items():
            columns[col].append(rec["summary"].get(name, float("nan")))
    runs = pa.Table.from_pydict(columns, schema=schema)

    return runs, _series_table(records, reps, reporters), _projects_table(records, reps, projects)


def _series_table(records: list[dict[str, Any]], reps: int,
                  reporters: tuple[str, ...] | None) -> pa.Table | None:
    import numpy as np

    if not reporters:
        return None
    parts = []
    for rec in records:
        if rec["values"] is None:
            continue
        n = len(rec["steps"])
        run_id = rec["run_id"]
        part = {"run_id": np.full(n, run_id, dtype="int64"),
                "arm": np.full(n, run_id // reps, dtype="int64"),
                "replication": np.full(n, run_id % reps, dtype="int64"),
                "step": rec["steps"]}
        for j, name in enumerate(reporters):
            part[name] = rec["values"][:, j]
        parts.append(part)
    s_schema = series_schema(reporters)
    if not parts:
        return s_schema.empty_table()
    merged = {name: np.concatenate([p[name] for p in parts]) for name in s_schema.names}
    return pa.Table.from_pydict(merged, schema=s_schema)


def _projects_table(records: list[dict[str, Any]], reps: int, keep: bool) -> pa.Table | None:
    """Every project of every run (schema taken from the model's project table)."""
    if not keep:
        return None
    import pandas as pd

    frames = []
    for rec in records:
        frame = rec.get("projects")
        if frame is None or not len(frame):
            continue
        frame = frame.reset_index(drop=True)
        run_id = rec["run_id"]
        frame.insert(0, "replication", run_id % reps)
        frame.insert(0, "arm", run_id // reps)
        frame.insert(0, "run_id", run_id)
        frames.append(frame)
    if not frames:
        return None
    return pa.Table.from_pandas(pd.concat(frames, ignore_index=True), preserve_index=False)


# axes in the words a coordinator plans in (trustnet.core.projects.planning_terms)
PLANNING_TERMS = {"ambition": "ambition (share of its group's spare time a project asks)"}


def label(name: str) -> str:
    """A column's label from the declarations (outcomes and parameters), not its name."""
    from trustnet.core.reporters import OUTCOMES

    if name == "label":
        return "arm"
    if name.endswith("_outcome"):  # an outcome named like a parameter: its end-of-run value
        base = name[: -len("_outcome")]
        return (OUTCOMES[base].label if base in OUTCOMES else base.replace("_", " ")) + " (end)"
    if name in OUTCOMES:
        return OUTCOMES[name].label
    if name in PARAMETERS:
        return PARAMETERS[name].label
    return name.replace("_", " ")


def label_with_unit(name: str) -> str:
    """The label with its unit where the unit says something ("members' capacity (FTE)"),
    never twice ("members", not "members (members)")."""
    from trustnet.core.reporters import OUTCOMES

    if name in PLANNING_TERMS:
        return PLANNING_TERMS[name]
    base = name[: -len("_outcome")] if name.endswith("_outcome") else name
    unit = (OUTCOMES[base].unit if base in OUTCOMES else
            PARAMETERS[base].unit if base in PARAMETERS else "")
    text = label(name)
    if (not unit or unit in ("-", "0-1", "share", "probability", "ratio")
            or unit.rstrip("s") in text.lower()):
        return text
    return f"{text}, {unit}" if "(" in text else f"{text} ({unit})"
