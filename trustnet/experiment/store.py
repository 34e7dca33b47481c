"""Results that survive: a Parquet dataset written as runs complete, plus ``manifest.json``.

Layout of an output folder::

    manifest.json          spec, seeds, versions, git revision, timings, counts
    spec.toml              the spec file as given (when it came from a file)
    runs/part-*.parquet      the runs table, one file per completed chunk
    series/part-*.parquet    the series table (when kept), same part names
    projects/part-*.parquet  every project of every run (when kept), same part names

Each part is written to a temporary name and renamed, so a part is either complete or absent.
The series and projects parts of a chunk are written before its runs part, and a runs part is
what marks its runs as done: after a kill at any moment, ``resume`` drops temporary files and
series or projects parts whose runs part is missing, then skips exactly the run ids already in
``runs/``. Every run ends up in the tables exactly once. While a sweep writes, it holds a lock
on ``.lock`` in the folder (released by the operating system even if the process is killed),
so two sweeps never write into one folder at the same time.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


FINGERPRINT_KEY = b"trustnet_fingerprint"  # in each part's metadata: which experiment wrote it


class StoreError(ValueError):
    """An output folder that cannot be used as asked (names the folder and the way out)."""


class StoreWarning(UserWarning):
    """Something in an output folder was repaired (e.g. an unreadable part moved aside)."""


def _os_problem(exc: OSError) -> str:
    """An operating system error in a few words ("No space left on device")."""
    return exc.strerror or type(exc).__name__


def model_source_hash() -> str:
    """Hash of the model's source: every module and built-in scenario file of
    :mod:`trustnet.core`, by its path there."""
    from trustnet.core.source import source_hash

    return source_hash()


def file_digest(paths: Any) -> str:
    """Hash of the contents of data files a spec reads (a roster, its ties): an edited file
    is another experiment ("" without files)."""
    if not paths:
        return ""
    h = hashlib.sha256()
    for path in paths:
        h.update(Path(path).read_bytes())
    return h.hexdigest()[:16]


def fingerprint(spec: Any, extra: str = "") -> str:
    """Hash of everything that decides the runs (not the name, description or plot choice),
    the model's source included, so that a resume never mixes two versions of the model."""
    raw = {k: v for k, v in spec.raw.items() if k not in ("name", "description")}
    if "outputs" in raw:
        raw["outputs"] = {k: v for k, v in raw["outputs"].items() if k != "plot"}
    text = json.dumps(raw, sort_keys=True, default=str) + model_source_hash() + extra
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def part_name(ids: list[int]) -> str:
    """The file name of a part holding the runs ``ids`` (unique: parts hold disjoint runs)."""
    return f"part-{min(ids):09d}-{len(ids):05d}.parquet"


def pa_array(values: list[int]) -> Any:
    import pyarrow as pa

    return pa.array(values, type=pa.int64())


def _write_parquet(table: Any, path: Path) -> None:
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


class ParquetStore:
    """Stream chunks of results into ``out`` and read them back as data frames."""

    def __init__(self, out: str | os.PathLike) -> None:
        self.out = Path(out)
        self.runs_dir = self.out / "runs"
        self.series_dir = self.out / "series"
        self.projects_dir = self.out / "projects"
        self.manifest: dict[str, Any] = {}
        self.fp = ""  # the experiment's fingerprint, set by open()
        self._lock: Any = None

    # --- opening and resuming --------------------------------------------------------------
    def open(self, spec: Any, fp: str, resume: bool) -> set[int]:
        """Prepare the folder; return the run ids already written (empty unless resuming)."""
        self.fp = fp
        try:
            return self._open(spec, fp, resume)
        except OSError as exc:
            self.close()
            raise StoreError(f"{self.out}: cannot write results there "
                             f"({_os_problem(exc)}); choose another --out") from None

    def _open(self, spec: Any, fp: str, resume: bool) -> set[int]:
        if self.out.exists() and not self.out.is_dir():
            raise StoreError(f"{self.out}: is a file; --out names a folder for the results")
        self._acquire_lock()
        has_results = (self.out / MANIFEST).exists() or any(self.runs_dir.glob("part-*.parquet"))
        if has_results and not resume:
            raise StoreError(f"{self.out}: already holds results; pass --resume to finish them "
                             "or choose another --out")
        if has_results:
            old = self.read_manifest()
            if not old.get("fingerprint"):
                # without it nothing tells whose runs these are: never count them as done
                raise StoreError(f"{self.out}: holds results but no readable {MANIFEST}, so "
                                 "which spec they belong to is unknown; resume needs it: "
                                 "choose another --out or delete the folder")
            if old["fingerprint"] != fp:
                raise StoreError(f"{self.out}: holds results of a different spec, parameter "
                                 f"defaults or model version ({old.get('spec_source', '?')}); "
                                 "resume needs the same: choose another --out or delete the "
                                 "folder")
            self.manifest = old
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        if spec.series:
            self.series_dir.mkdir(parents=True, exist_ok=True)
        if spec.projects:
            self.projects_dir.mkdir(parents=True, exist_ok=True)
        for folder in (self.runs_dir, self.series_dir, self.projects_dir):
            for tmp in folder.glob(".*.tmp"):
                tmp.unlink()
        self._set_aside_unreadable_parts(fp)
        done_parts = {p.name for p in self.runs_dir.glob("part-*.parquet")}
        for folder in (self.series_dir, self.projects_dir):
            for part in folder.glob("part-*.parquet"):
                if part.name not in done_parts:
                    part.unlink()  # its chunk never finished: its runs will be run again
        return self.done_ids()

    def _set_aside_unreadable_parts(self, fp: str) -> None:
        """Parts that cannot be read are renamed ``*.unreadable`` (kept, not counted: their
        runs run again, and a series or projects part takes its runs part with it); a part
        written by another experiment stops the resume."""
        import warnings

        import pyarrow.parquet as pq

        for part in sorted(self.runs_dir.glob("part-*.parquet")):
            problem = None
            try:
                table = pq.read_table(part, columns=["run_id", "status"])
                table.validate(full=True)
                metadata = pq.read_schema(part).metadata or {}
            except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
                problem = f"{part}: unreadable ({str(exc).splitlines()[0]})"
            else:
                written_by = metadata.get(FINGERPRINT_KEY, fp.encode()).decode()
                if written_by != fp:
                    raise StoreError(f"{part}: written by another spec or model version than "
                                     "the folder's manifest says; resume cannot tell which "
                                     "runs are done: choose another --out")
                for folder in (self.series_dir, self.projects_dir):
                    other = folder / part.name
                    if other.exists():
                        try:
                            pq.read_table(other, columns=["run_id"]).validate(full=True)
                        except (OSError, ValueError) as exc:
                            problem = f"{other}: unreadable ({str(exc).splitlines()[0]})"
            if problem is None:
                continue
            for folder in (self.runs_dir, self.series_dir, self.projects_dir):
                if (folder / part.name).exists():
                    os.replace(folder / part.name, folder / (part.name + ".unreadable"))
            warnings.warn(f"{problem}; moved aside as {part.name}.unreadable, its runs will "
                          "run again", StoreWarning, stacklevel=4)

    def forget_failed(self) -> set[int]:
        """Take the failed runs out of the tables, so that a resume runs them again; returns
        their run ids.

        A part with failed runs is replaced by one of its other runs, named by what it now
        holds (parts hold disjoint runs, so names stay unique and a retried chunk never
        lands on one): the new parts are written before the old ones go, so a kill in
        between leaves runs twice (read once), never none.
        """
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        failed: set[int] = set()
        for part in sorted(self.runs_dir.glob("part-*.parquet")):
            table = pq.read_table(part)
            bad = pc.not_equal(table.column("status"), "ok")
            if not pc.any(bad).as_py():
                continue
            ids = pc.filter(table.column("run_id"), bad).to_pylist()
            failed.update(ids)
            remaining = table.filter(pc.invert(bad))
            others = [folder / part.name for folder in (self.series_dir, self.projects_dir)
                      if (folder / part.name).exists()]
            if remaining.num_rows:
                name = part_name(remaining.column("run_id").to_pylist())
                for other in others:
                    kept = pq.read_table(other)
                    keep = pc.invert(pc.is_in(kept.column("run_id"), pa_array(ids)))
                    _write_parquet(kept.filter(keep), other.with_name(name))
                _write_parquet(remaining, part.with_name(name))
            for old in (part, *others):  # the runs part first: its runs are no longer done
                old.unlink()
        return failed

    def _acquire_lock(self) -> None:
        import fcntl

        self.out.mkdir(parents=True, exist_ok=True)
        handle = open(self.out / ".lock", "a+")  # noqa: SIM115 - held until close()
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            owner = handle.read().strip() or "?"
            handle.close()
            raise StoreError(f"{self.out}: another sweep (process {owner}) is writing into this "
                             "folder; wait for it or choose another --out") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock = handle

    def close(self) -> None:
        """Release the folder for other sweeps."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def done_ids(self) -> set[int]:
        import pyarrow.parquet as pq

        done: set[int] = set()
        for part in sorted(self.runs_dir.glob("part-*.parquet")):
            done.update(pq.read_table(part, columns=["run_id"]).column(0).to_pylist())
        return done

    # --- writing ---------------------------------------------------------------------------
    def write(self, runs: Any, series: Any | None = None, projects: Any | None = None) -> None:
        name = part_name(runs.column("run_id").to_pylist())
        if (self.runs_dir / name).exists():  # never replace runs already written
            raise StoreError(f"{self.runs_dir / name}: exists already; the folder holds these "
                             "runs twice, which resume cannot mend: choose another --out")
        runs = runs.replace_schema_metadata({**(runs.schema.metadata or {}),
                                             FINGERPRINT_KEY: self.fp.encode()})
        try:
            if series is not None:
                _write_parquet(series, self.series_dir / name)
            if projects is not None:
                _write_parquet(projects, self.projects_dir / name)
            _write_parquet(runs, self.runs_dir / name)
        except OSError as exc:
            for folder in (self.runs_dir, self.series_dir, self.projects_dir):
                (folder / f".{name}.tmp").unlink(missing_ok=True)
            raise StoreError(f"{self.out}: cannot write {name} ({_os_problem(exc)}); the runs "
                             "written before it are kept") from None

    def read_manifest(self) -> dict[str, Any]:
        path = self.out / MANIFEST
        if not path.exists():
            return {}
        try:
            manifest = json.loads(path.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError, OSError):
            return {}
        return manifest if isinstance(manifest, dict) else {}

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        self.manifest = manifest
        text = json.dumps(manifest, indent=2, default=str, sort_keys=False)
        self._write_file(MANIFEST, text.encode())

    def copy_spec(self, spec: Any) -> None:
        source = Path(spec.source)
        if source.is_file():
            self._write_file("spec.toml", source.read_bytes())

    def _write_file(self, name: str, data: bytes) -> None:
        try:
            _atomic_write_bytes(self.out / name, data)
        except OSError as exc:
            (self.out / f".{name}.tmp").unlink(missing_ok=True)
            raise StoreError(f"{self.out / name}: cannot write ({_os_problem(exc)}); the runs "
                             "written before it are kept") from None

    # --- reading ---------------------------------------------------------------------------
    def counts(self) -> tuple[int, int]:
        """Runs written and how many of them failed."""
        import pyarrow.parquet as pq

        written = failed = 0
        for part in self.runs_dir.glob("part-*.parquet"):
            status = pq.read_table(part, columns=["status"]).column(0).to_pylist()
            written += len(status)
            failed += sum(s != "ok" for s in status)
        return written, failed

    def load(self) -> tuple[Any, Any | None, Any | None]:
        return load_tables(self.out)


def load_tables(out: str | os.PathLike) -> tuple[Any, Any | None, Any | None]:
    """The runs, series and projects tables of an output folder as pandas data frames."""
    import pyarrow as pa

    out = Path(out)
    runs_parts = sorted((out / "runs").glob("part-*.parquet"))
    if not runs_parts:
        raise StoreError(f"{out}: no results (expected runs/part-*.parquet from "
                         "'trustnet sweep ... --out DIR')")
    runs = pa.concat_tables([_read_part(p) for p in runs_parts], promote_options="default")
    runs = runs.to_pandas().drop_duplicates("run_id").sort_values("run_id")
    runs = runs.reset_index(drop=True)
    done = {p.name for p in runs_parts}
    series = _read_parts(out / "series", done, ["run_id", "step"])
    projects = _read_parts(out / "projects", done, ["run_id", "project"])
    return runs, series, projects


def _read_parts(folder: Path, done: set[str], order: list[str]) -> Any | None:
    import pyarrow as pa

    parts = [p for p in sorted(folder.glob("part-*.parquet")) if p.name in done]
    if not parts:
        return None
    frame = pa.concat_tables([_read_part(p) for p in parts],
                             promote_options="default").to_pandas()
    order = [c for c in order if c in frame.columns]
    return frame.sort_values(order).reset_index(drop=True)


def _read_part(path: Path) -> Any:
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path)
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: unreadable ({str(exc).splitlines()[0]}); 'trustnet sweep "
                         "SPEC --out DIR --resume' sets it aside and runs its runs again") from None


def read_manifest(out: str | os.PathLike) -> dict[str, Any]:
    path = Path(out) / MANIFEST
    if not path.exists():
        raise StoreError(f"{out}: no {MANIFEST} (not an output folder of 'trustnet sweep')")
    try:
        manifest = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StoreError(f"{path}: not readable as JSON ({exc})") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({_os_problem(exc)})") from None
    if not isinstance(manifest, dict):
        raise StoreError(f"{path}: not a manifest of 'trustnet sweep' (expected a JSON object)")
    return manifest


class MemoryStore:
    """Keeps tables in memory (for notebooks that do not need files)."""

    def __init__(self) -> None:
        self.runs: list[Any] = []
        self.series: list[Any] = []
        self.projects: list[Any] = []
        self.manifest: dict[str, Any] = {}

    def open(self, spec: Any, fp: str, resume: bool) -> set[int]:
        return set()

    def forget_failed(self) -> set[int]:
        return set()  # nothing is kept between sweeps in memory

    def close(self) -> None:
        return None

    def write(self, runs: Any, series: Any | None = None, projects: Any | None = None) -> None:
        self.runs.append(runs)
        if series is not None:
            self.series.append(series)
        if projects is not None:
            self.projects.append(projects)

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        self.manifest = manifest

    def copy_spec(self, spec: Any) -> None:
        return None

    def counts(self) -> tuple[int, int]:
        status = [s for t in self.runs for s in t.column("status").to_pylist()]
        return len(status), sum(s != "ok" for s in status)

    def load(self) -> tuple[Any, Any | None, Any | None]:
        import pyarrow as pa

        runs = pa.concat_tables(self.runs).to_pandas().sort_values("run_id")
        series = projects = None
        if self.series:
            series = (pa.concat_tables(self.series).to_pandas()
                      .sort_values(["run_id", "step"]).reset_index(drop=True))
        if self.projects:
            projects = (pa.concat_tables(self.projects, promote_options="default").to_pandas()
                        .sort_values(["run_id", "project"]).reset_index(drop=True))
        return runs.reset_index(drop=True), series, projects


# --- provenance ---------------------------------------------------------------------------

def package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    from trustnet import __version__

    # the code's own version: an editable install's metadata keeps the one it was installed at
    out = {"python": platform.python_version(), "trustnet": __version__}
    for name in ("mesa", "numpy", "pandas", "scipy", "pyarrow", "SALib", "dask",
                 "distributed"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def git_revision() -> dict[str, Any] | None:
    """Commit of the trustnet source tree, and whether it had uncommitted changes."""
    here = Path(__file__).resolve().parent
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                             text=True, timeout=5, check=False)
        if rev.returncode != 0:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--", str(here.parent)],
                               cwd=here, capture_output=True, text=True, timeout=5,
                               check=False)
        return {"commit": rev.stdout.strip(), "dirty": bool(dirty.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        return None


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
