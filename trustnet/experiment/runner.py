"""Run an experiment: spec -> design -> chunks on an engine -> tables on disk -> data frames.

The same function serves the command line and notebooks::

    from trustnet.experiment import sweep
    result = sweep({"axes": {"ambition": [0.5, 1.0, 2.0]}, "replications": 5, "steps": 60})
    result.runs      # one row per run: parameters and summary outcomes
    result.series    # one row per run and step (when [outputs] series is set)
"""

from __future__ import annotations

import contextlib
import math
import sys
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from trustnet.experiment.engines import default_workers
from trustnet.experiment.spec import Spec, load_spec
from trustnet.experiment.worker import DEFAULT_RUNNER, Chunk

MANIFEST_EVERY_S = 2.0  # while a sweep runs, its manifest is rewritten at most this often,
PROGRESS_SHARE = 50  # and never more than a fiftieth of the time (large designs)
PART_OVERHEAD_BYTES = 30_000  # a Parquet part's schema and statistics (about 150 columns)
COMPRESSED = 0.4  # share of its in-memory size a series or projects table takes on disk


@dataclass
class SweepResult:
    """Tables of a finished experiment (pandas data frames) and its manifest."""

    runs: Any
    series: Any | None
    manifest: dict[str, Any]
    out: Path | None = None
    projects: Any | None = None  # one row per project per run, when [outputs] projects = true

    @property
    def failed(self) -> Any:
        from trustnet.experiment.tables import ok_mask

        return self.runs[~ok_mask(self.runs)]


def default_chunk_size(n_tasks: int, workers: int) -> int:
    """Enough chunks to balance load (about 8 per worker), few enough to keep overhead small."""
    return max(1, min(25, math.ceil(n_tasks / max(1, workers * 8))))


def make_chunks(tasks: Sequence[Any], design: Any, spec: Spec, size: int,
                runner: str) -> list[Chunk]:
    chunks = []
    for i in range(0, len(tasks), size):
        part = tasks[i:i + size]
        chunks.append(Chunk(
            runs=tuple((t.run_id, t.seed, design.arms[t.arm].params, design.arms[t.arm].events)
                       for t in part),
            steps=spec.steps, series=spec.series, series_every=spec.series_every,
            projects=spec.projects, runner=runner, members=spec.members, ties=spec.ties,
            sectors=spec.sectors))
    return chunks


def run_sweep(spec: Spec | Mapping[str, Any] | str | Path, out: str | Path | None = None, *,
              engine: str = "processes", workers: int | None = None,
              scheduler: str | None = None, resume: bool = False,
              chunk_size: int | None = None, progress: bool | None = None,
              runner: str = DEFAULT_RUNNER, points: Sequence[dict[str, Any]] | None = None,
              fingerprint_extra: str = "", load: bool = True,
              retry_failed: bool = False) -> SweepResult:
    """Run every run of ``spec`` not yet in ``out``; return the tables.

    ``out=None`` keeps results in memory. ``engine`` is "serial", "processes" (default, all
    cores) or "dask" (``scheduler`` = "tcp://host:port" of a running cluster; without it a
    LocalCluster). ``resume=True`` continues an interrupted sweep in ``out``. ``points``
    replaces the spec's ``[samples]`` with explicit parameter sets (used by sensitivity).
    ``retry_failed=True`` (with ``resume``) runs the runs that failed again.
    """
    from trustnet.experiment import store as st
    from trustnet.experiment.design import build_design

    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    design = build_design(spec, points)
    store = st.ParquetStore(out) if out is not None else st.MemoryStore()
    # the resolved parameters of every arm count too: changed defaults must not mix into a resume
    arms = [a.params for a in design.arms]
    if any(a.events for a in design.arms):
        arms = [(a.params, a.events) for a in design.arms]
    fp = st.fingerprint(spec, fingerprint_extra + repr(arms) + st.file_digest(spec.data_files))
    try:
        done = store.open(spec, fp, resume)
        written = len(done)  # what earlier sessions wrote, the failed runs included
        if retry_failed and resume:
            done -= store.forget_failed()
        return _execute(spec, design, store, fp, done, resume, written, engine=engine,
                        workers=workers,
                        scheduler=scheduler, chunk_size=chunk_size, progress=progress,
                        runner=runner, load=load, out=out)
    finally:
        store.close()


def _execute(spec: Spec, design: Any, store: Any, fp: str, done: set[int], resume: bool,
             written: int, *,
             engine: str, workers: int | None, scheduler: str | None, chunk_size: int | None,
             progress: bool | None, runner: str, load: bool, out: str | Path | None,
             ) -> SweepResult:
    from trustnet.experiment import store as st
    from trustnet.experiment.engines import make_engine
    from trustnet.experiment.tables import build_tables

    tasks = [t for t in design.tasks() if t.run_id not in done]
    size = chunk_size or default_chunk_size(len(tasks), workers or default_workers())
    n_chunks = math.ceil(len(tasks) / size)
    if n_chunks and engine != "serial" and not scheduler:
        # a worker without a chunk would only cost memory
        workers = min(workers or default_workers(), n_chunks)

    eng = make_engine(engine, workers=workers, scheduler=scheduler)
    if tasks and eng.name != "serial" and scheduler in (None, "local"):
        from trustnet.core.compiled import warm

        warm()  # compiled once here, on two cores, and loaded by every local worker
    manifest = _manifest(dict(store.manifest) if resume else {}, spec, design, fp)
    sessions = manifest.setdefault("sessions", [])
    if resume and sessions and sessions[-1].get("finished") is None:
        # the last session was killed before it could say so: what it wrote is on disk
        sessions[-1]["finished"] = "killed"
        sessions[-1]["runs_done"] = max(0, written - sum(
            x.get("runs_done") or 0 for x in sessions[:-1]))
    session = {"started": st.now(), "engine": eng.name, "workers": None,
               "scheduler": scheduler, "runs_to_do": len(tasks), "runs_done": 0,
               "runs_failed": 0}
    status = "interrupted"
    with ExitStack() as stack:
        if tasks:  # start the engine before writing anything: a failed start leaves no trace
            t0 = time.perf_counter()
            stack.enter_context(eng)
            session["workers"] = eng.workers
            session["engine_startup_s"] = round(time.perf_counter() - t0, 3)
        sessions.append(session)
        store.write_manifest(manifest)
        store.copy_spec(spec)
        start = time.perf_counter()
        bar = _progress_bar(len(tasks), design.n_runs - len(tasks), progress)
        progress_due = time.monotonic() + MANIFEST_EVERY_S
        # (runs done, of them failed, the chunk being written): one assignment each time, so
        # that Ctrl-C or SIGTERM, which may strike between any two statements, cannot leave a
        # chunk on disk that the manifest does not count
        count: tuple[int, int, tuple[int, int] | None] = (0, 0, None)
        try:
            if tasks:
                chunks = make_chunks(tasks, design, spec, size, runner)
                for records in _results(eng, chunks, out):
                    chunk = (len(records), sum(r["status"] != "ok" for r in records))
                    count = (count[0], count[1], chunk)
                    store.write(*build_tables(records, design, spec.series, spec.projects))
                    count = (count[0] + chunk[0], count[1] + chunk[1], None)
                    session["runs_done"], session["runs_failed"] = count[:2]
                    if time.monotonic() > progress_due:
                        progress_due = _write_progress(store, manifest)
                    if bar is not None:
                        bar.update(len(records))
                        if session["runs_failed"]:
                            bar.set_postfix(failed=session["runs_failed"])
            status = "complete"
        except BaseException as exc:
            session["stopped_by"] = type(exc).__name__
            raise
        finally:
            session["runs_done"], session["runs_failed"] = count[:2]
            if count[2] is not None:  # stopped while a chunk was written: did it land?
                with contextlib.suppress(st.StoreError, OSError):
                    stored = (len(store.done_ids()) if hasattr(store, "done_ids")
                              else store.counts()[0])
                    if stored == len(done) + count[0] + count[2][0]:
                        session["runs_done"] += count[2][0]
                        session["runs_failed"] += count[2][1]
            if bar is not None:
                bar.close()
            elapsed = time.perf_counter() - start
            session.update({"finished": st.now(), "elapsed_s": round(elapsed, 3),
                            "runs_per_s": round(session["runs_done"] / elapsed, 3)
                            if elapsed > 0 and session["runs_done"] else None})
            manifest["status"] = status
            manifest["elapsed_s_total"] = round(sum(s.get("elapsed_s") or 0 for s in sessions), 3)
            try:
                store.write_manifest(manifest)
            except st.StoreError:  # e.g. the disk that stopped the sweep is still full
                if status == "complete":
                    raise

    written, failed = store.counts()
    manifest["runs_written"], manifest["runs_failed"] = written, failed
    store.write_manifest(manifest)
    runs, series, projects = store.load() if load else (None, None, None)
    return SweepResult(runs=runs, series=series, manifest=manifest,
                       out=Path(out) if out is not None else None, projects=projects)


def estimate_sweep(spec: Spec, workers: int) -> tuple[float, float]:
    """About how many seconds a whole sweep takes on ``workers`` and how many bytes its tables
    take on disk, from a run of its first arm: a whole run when one takes under
    ``WHOLE_RUN_S``, else its first months (a fraction of a second), scaled to the run."""
    from trustnet.core.compiled import warm
    from trustnet.core.scenarios import scenario_params
    from trustnet.experiment.design import build_design
    from trustnet.experiment.spec import expand_arms
    from trustnet.experiment.tables import build_tables
    from trustnet.experiment.worker import run_chunk

    _, _, scenario, values = next(expand_arms(spec))
    params = scenario_params(scenario, {k: v for k, v in values.items()
                                        if not (spec.samples and k in spec.samples.ranges)})

    def timed(steps: int) -> tuple[float, list]:
        chunk = Chunk(runs=((0, 0, params, ()),), steps=steps, series=spec.series,
                      series_every=spec.series_every, projects=spec.projects,
                      members=spec.members, ties=spec.ties, sectors=spec.sectors)
        start = time.perf_counter()
        records = run_chunk(chunk)
        return time.perf_counter() - start, records

    warm()  # the kernels compiled, as the sweep's workers will find them
    steps = min(spec.steps, 6 if params["n_orgs"] > 1000 else 12)
    timed(steps)  # the first run also pays for imports and caches
    per_run, records = timed(steps)
    if steps < spec.steps and per_run * spec.steps / steps < WHOLE_RUN_S:
        # a run's later months cost more than its first (projects accumulate), and what a
        # run costs besides its months would be scaled with them: time whole runs
        steps = spec.steps
        per_run, records = min((timed(steps) for _ in range(2)), key=lambda t: t[0])
    months = spec.steps / steps
    per_run *= months
    one = replace(spec, arms=(), axes={}, samples=None, replications=1)
    runs, series, projects = build_tables(records, build_design(one), spec.series,
                                          spec.projects)
    per_run_bytes = (runs.nbytes + PART_OVERHEAD_BYTES / default_chunk_size(spec.n_runs(),
                                                                            workers)
                     + COMPRESSED * months * sum(t.nbytes for t in (series, projects)
                                                 if t is not None))
    seconds = spec.n_runs() * per_run / max(1, workers)
    return seconds, spec.n_runs() * per_run_bytes


WHOLE_RUN_S = 0.5  # below this a whole run is timed for the estimate, not its first months


def _write_progress(store: Any, manifest: dict[str, Any]) -> float:
    """Write the manifest so that a sweep killed outright still says how far it got; returns
    when to write it next (a large manifest less often). A failed write stops nothing."""
    from trustnet.experiment.store import StoreError

    start = time.monotonic()
    # the parts are what counts; the final write says whether the disk recovered
    with contextlib.suppress(StoreError):
        store.write_manifest(manifest)
    took = time.monotonic() - start
    return time.monotonic() + max(MANIFEST_EVERY_S, PROGRESS_SHARE * took)


def _results(engine: Any, chunks: list[Chunk], out: str | Path | None) -> Any:
    """The engine's results; a worker process that died stops the sweep in one line."""
    from concurrent.futures.process import BrokenProcessPool

    from trustnet.experiment.engines import EngineError
    from trustnet.experiment.worker import run_chunk

    died: tuple[type[BaseException], ...] = (BrokenProcessPool,)
    if engine.name == "dask":  # loaded only then: importing it takes a second
        from distributed import KilledWorker

        died = (BrokenProcessPool, KilledWorker)
    try:
        yield from engine.imap(run_chunk, chunks)
    except died:
        kept = f"finished runs are kept in {out}; continue with --resume" if out else (
            "the results so far are lost (in memory)")
        raise EngineError("a worker process died (killed, or out of memory) and the sweep "
                          f"stopped; {kept}") from None


def _manifest(manifest: dict[str, Any], spec: Spec, design: Any, fp: str) -> dict[str, Any]:
    """What a reader of the results needs to know: spec, seeds, arms, versions, revision."""
    from trustnet.experiment import store as st
    from trustnet.experiment.design import dimensions

    manifest.update({
        "name": spec.name, "description": spec.description, "spec_source": spec.source,
        "fingerprint": fp, "spec": spec.raw, "status": "running",
        "n_arms": len(design.arms), "replications": spec.replications, "steps": spec.steps,
        "n_runs": design.n_runs, "master_seed": spec.seed,
        "replication_seeds": list(design.seeds),
        "arms": [{"arm": a.arm, "label": a.label, "scenario": a.scenario, "varied": a.varied,
                  **({"events": list(a.events)} if a.events else {})}
                 for a in design.arms],
        "dims": [list(d) for d in dimensions(spec)] or [
            # explicit points (a sensitivity design): each sampled parameter is a dimension
            [name, "sampled"] for name in (design.arms[0].varied if len(design.arms) > 1 else {})],
        "series": list(spec.series) if spec.series else None,
        "series_every": spec.series_every, "projects": spec.projects,
        "plot": list(spec.plot) if spec.plot else None,
        "versions": st.package_versions(), "git": st.git_revision(),
    })
    return manifest


def _progress_bar(total: int, initial: int, progress: bool | None) -> Any:
    """A tqdm bar with ETA on a terminal; nothing when output is piped or logged."""
    show = sys.stderr.isatty() if progress is None else progress
    if not show or total == 0:
        return None
    import tqdm

    tqdm.tqdm.monitor_interval = 0  # no monitor thread (keeps process forks clean)
    return tqdm.tqdm(total=total + initial, initial=initial, unit="run", file=sys.stderr,
                     dynamic_ncols=True, smoothing=0.1)


def load_results(out: str | Path) -> SweepResult:
    """The tables and manifest of an output folder written by a sweep."""
    from trustnet.experiment import store as st

    runs, series, projects = st.load_tables(out)
    return SweepResult(runs=runs, series=series, manifest=st.read_manifest(out), out=Path(out),
                       projects=projects)
