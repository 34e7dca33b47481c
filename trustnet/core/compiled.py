"""What the compiled kernels of the month share: how they are compiled, and numpy's sums.

A phase whose arithmetic is many small array operations runs as one kernel compiled by numba
(a month at 40 members is a few thousand operations; as numpy calls it costs a microsecond
each). The kernels are compiled on first use and cached on disk, so a machine pays for
compilation once and every worker process of a sweep loads the cached machine code. The
cache is kept per version of the model's source (``~/.cache/trustnet/kernels-<hash>``, under
``$NUMBA_CACHE_DIR`` when that is set): numba only checks the file that defines a kernel, so
a kernel would otherwise keep running an old copy of a helper edited in another file.
When a version's cache is empty, a background process compiles the kernels on two cores
while the first model runs their Python source, with the same results (:func:`prepare`);
a sweep compiles them before it starts its workers (:func:`warm`).

Results stay bit-identical to numpy's: no fast-math, the same order of every operation, and
sums in numpy's own order (:func:`pairwise_sum`), since a float sum depends on its order.
"""

from __future__ import annotations

import functools
import inspect
import os
import subprocess
import sys
import threading
import time
import types
from contextlib import contextmanager
from pathlib import Path

import numba
import numpy as np

from trustnet.core.machine import usable_cores
from trustnet.core.source import source_hash

try:
    import fcntl
except ImportError:  # Windows: no file locks, so no background compiler
    fcntl = None


def cache_dir() -> Path:
    """Where the kernels of this version of the model's source are cached."""
    base = os.environ.get("NUMBA_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    base = Path(base) if base else Path.home() / ".cache"
    return base / "trustnet" / f"kernels-{source_hash()}"


KERNELS: list = []  # every kernel called from Python code, for :func:`warm`
HELPERS: list = []  # functions only kernels call
WARMING = "TRUSTNET_WARMING"  # set in the processes that compile kernels for the others
HELPER_TIMEOUT = 600  # seconds to wait for a compiler
# members up to which a first model runs the kernels as plain Python (a month of 200 members
# takes about 0.16 s so, of 400 about 0.5 s: a larger model waits for the compiler instead)
INTERPRET_LIMIT = 200


class _State:
    lock = threading.RLock()  # models of other threads wait until the kernels are compiled
    warm = False  # whether this process has made sure its kernels are compiled
    warming = False  # while the small models of warm_part run (they must not warm again)
    interpreted = False  # while the kernels run as plain Python (see :func:`prepare`)
    compiler = None  # the background process this one started, reaped when it is done
    checked = 0.0  # when a model last asked whether the compiler is done
    restarted = False  # whether a compiler that stopped early was started again


def _after_fork() -> None:
    # a thread of the parent may have held the lock; this process has that thread no more
    _State.lock = threading.RLock()
    _State.compiler = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def _compile(function):
    if numba.config.DISABLE_JIT:  # numba returns the function itself
        function.py_func = function
        return function
    previous = numba.config.CACHE_DIR
    numba.config.CACHE_DIR = str(cache_dir())  # read when the cache is set up, here
    try:
        return numba.njit(cache=True, nogil=True, error_model="numpy")(function)
    finally:
        numba.config.CACHE_DIR = previous


def jit(function):
    """Compile ``function`` with numba (no fast-math), cached in :func:`cache_dir`: a kernel
    called from Python code."""
    kernel = _compile(function)
    KERNELS.append(kernel)
    if numba.config.DISABLE_JIT:
        return _boxing(function)
    return kernel


def helper(function):
    """:func:`jit` for a function only kernels call (compiled into each of them)."""
    kernel = _compile(function)
    HELPERS.append(kernel)
    return kernel


def cold() -> list:
    """The kernels with no machine code in the cache (all of them on a fresh machine)."""
    return [k for k in KERNELS if not os.path.exists(k._cache._cache_file._index_path)]


def prepare(members: int = 0) -> None:
    """Called by every model built, with its number of members: kernels ready to run.

    With a complete cache this only checks its files, once per process. With an empty one
    (a new machine or version), a background process compiles the kernels on two cores
    while a first model of at most ``INTERPRET_LIMIT`` members runs them as plain Python,
    with the same results: a first ``trustnet run``, notebook cell or browser page does not
    wait for a compiler. That model changes to the compiled kernels as soon as they are in
    the cache (:func:`switch_when_compiled`, at each step); a larger model, or the next
    model built, waits for them. The compiler holds a lock on a file in the cache while it
    runs, so that processes starting together compile once, and it outlives a short first
    run to fill the cache for the next. Where there is no such lock (Windows), the first
    model waits for the compilation, as a sweep does (:func:`warm`).
    """
    if _State.warm or os.environ.get(WARMING) or numba.config.DISABLE_JIT:
        return
    with _State.lock:
        if _State.warm or _State.warming:
            return
        if _State.interpreted:  # a later model: the compiled kernels from now on
            warm()
            return
        try:
            import trustnet.core.model  # noqa: F401 - every kernel is defined when the model is

            if not cold():
                _State.warm = True
                return
            if fcntl is None or members > INTERPRET_LIMIT:
                warm()
                return
            try:
                _State.compiler = _start_compiler()
            except OSError:  # no file locks here (some network file systems): wait instead
                warm()
                return
            _swap(interpreted=True)
            _State.interpreted = True
            _State.checked = time.monotonic()
        except Exception:  # compiling each kernel when first called is the fallback
            _swap(interpreted=False)
            _State.interpreted = False
            _State.warm = True


def switch_when_compiled() -> None:
    """Change to the compiled kernels if the background compiler is done (asked at most
    four times a second, by each step of a model running interpreted kernels)."""
    now = time.monotonic()
    if not _State.interpreted or now - _State.checked < 0.25:
        return
    _State.checked = now
    if compiling():
        return
    with _State.lock:
        if not _State.interpreted:
            return
        if cold() and not _State.restarted:
            # the compiler stopped before it was done (killed, or it failed): once more
            _State.restarted = True
            try:
                _State.compiler = _start_compiler()
                return
            except OSError:
                pass
        _finish()


def warm() -> None:
    """Make sure the kernels are compiled and cached, once per process (best effort), before
    work that runs many models: a sweep warms before it starts its workers.

    With an empty cache, a helper process compiles half of the kernels (by size of their
    source) while this one compiles the other half, each by running small models with the
    other half's kernels as plain Python; this process then loads the helper's from the
    cache. If another process is compiling them, this one waits for it and compiles only
    what is still missing. Whatever goes wrong here (no helper, an unwritable cache) only
    means that a kernel is compiled when first called, as any numba function is.
    """
    if _State.warm or os.environ.get(WARMING) or numba.config.DISABLE_JIT:
        return
    with _State.lock:
        if _State.warm or _State.warming:
            return
        if _State.interpreted:
            _finish()  # then compile what the compiler left, if it stopped early
        held = None
        try:
            import trustnet.core.model  # noqa: F401 - every kernel is defined when the model is

            if cold():
                held = _wait_for_lock()  # another process may be compiling them
                if cold():
                    _compile_on_two_cores()
        except Exception:  # compiling each kernel when first called is the fallback
            pass
        finally:
            if held is not None:
                os.close(held)
            _State.warm = True


def compile_kernels() -> None:
    """Fill the cache, in the background process :func:`prepare` starts (which passes it
    the lock it holds for as long as it runs)."""
    _compile_on_two_cores()


def lock_file(directory: Path | None = None) -> Path:
    """The file a compiler locks while it fills the cache ``directory`` (this version's)."""
    return (directory or cache_dir()) / "compiling.lock"


def _try_lock(path: Path) -> int | None:
    """A descriptor holding the compiler's lock, or None while a compiler holds it (the lock
    goes with the process, however it ends). OSError where files cannot be locked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    except PermissionError:  # a lock file of another user: locking needs no writing
        fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except OSError:
        os.close(fd)
        raise
    return fd


def compiling(directory: Path | None = None) -> bool:
    """Whether a compiler is filling the cache ``directory`` (this version's) now; asking
    creates nothing."""
    if fcntl is None:
        return False
    if _State.compiler is not None:
        _State.compiler.poll()  # reaped once done
    try:
        fd = os.open(lock_file(directory), os.O_RDONLY)
    except OSError:  # no lock file: nobody has compiled into this folder
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    except OSError:  # no file locks here: nobody can be waited for
        return False
    finally:
        os.close(fd)  # and with it the shared lock


def _wait_for_lock() -> int | None:
    """The compiler's lock, once no other process holds it (None without locks, or after
    ``HELPER_TIMEOUT``)."""
    if fcntl is None:
        return None
    deadline = time.monotonic() + HELPER_TIMEOUT
    while True:
        try:
            fd = _try_lock(lock_file())
        except OSError:  # no file locks here
            return None
        if fd is not None or time.monotonic() > deadline:
            return fd
        time.sleep(0.1)


def _start_compiler() -> subprocess.Popen | None:
    """The background process that compiles the kernels, holding the compiler's lock; None
    if another process holds it (this one then waits for that one)."""
    for _ in range(3):  # another process may be only asking whether a compiler runs
        fd = _try_lock(lock_file())
        if fd is not None:
            break
        time.sleep(0.05)
    else:
        return None
    try:
        return _python("from trustnet.core.compiled import compile_kernels; compile_kernels()",
                       pass_fds=(fd,), start_new_session=True)  # not stopped with this one
    finally:
        os.close(fd)  # the compiler's copy holds the lock until it exits


def _python(code: str, **options) -> subprocess.Popen:
    """A Python process running ``code`` with this process's trustnet, as a compiler."""
    path = os.pathsep.join(p for p in sys.path if p)
    return subprocess.Popen([sys.executable, "-c", code],
                            env={**os.environ, WARMING: "1", "PYTHONPATH": path},
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, **options)


def _finish() -> None:
    """The compiled kernels from now on, once no compiler is filling the cache."""
    try:
        held = _wait_for_lock()
        if held is not None:
            os.close(held)
    except Exception:  # the kernels not cached compile when first called
        pass
    finally:
        _swap(interpreted=False)
        _State.interpreted = False
        _State.warm = True


def _compile_on_two_cores() -> None:
    helper_process = None
    if usable_cores() > 1:
        helper_process = _python("from trustnet.core.compiled import warm_part; warm_part(1)")
    try:
        warm_part(0 if helper_process else None)
        if helper_process is not None:
            helper_process.wait(timeout=HELPER_TIMEOUT)  # its kernels are in the cache now
    finally:
        if helper_process is not None and helper_process.poll() is None:
            helper_process.kill()  # interrupted or too slow: its half compiles when called
            helper_process.wait()


KERNEL = "_compiled_kernel"  # the attribute of an interpreted kernel naming the compiled one


def _references() -> list[tuple[object, str, object]]:
    """(module, name, kernel) for every name a module of the core binds to a kernel, in
    either of its versions."""
    known = {id(k): k for k in KERNELS}
    found = []
    for name, module in list(sys.modules.items()):
        if name == "trustnet.core" or name.startswith("trustnet.core."):
            for attribute, value in list(vars(module).items()):
                kernel = known.get(id(value)) or known.get(id(getattr(value, KERNEL, None)))
                if kernel is not None:
                    found.append((module, attribute, kernel))
    return found


def _swap(*, interpreted: bool, only: list | None = None) -> None:
    """Every name of the kernels (``only`` these) bound to their plain Python versions, or
    back to the compiled ones. The helpers and the modules' globals that compiled kernels
    read stay as they are: the plain versions read copies (:func:`_plain_versions`)."""
    chosen = {id(k) for k in (only if only is not None else KERNELS)}
    plain = _plain_versions() if interpreted else {}
    for module, attribute, kernel in _references():
        if id(kernel) in chosen:
            setattr(module, attribute, plain[id(kernel)] if interpreted else kernel)


_plain: dict = {}


def _plain_versions() -> dict:
    """id(kernel) -> its plain Python version, boxing its results as the compiled one does.

    Each reads a copy of its module's globals in which the kernels and helpers it calls are
    plain Python too (numba reads a module's globals when it compiles, as these copies do).
    """
    if len(_plain) == len(KERNELS):
        return _plain
    compiled = KERNELS + HELPERS
    functions, spaces = {}, {}
    for kernel in compiled:
        f = kernel.py_func
        space = spaces.setdefault(f.__module__, dict(vars(sys.modules[f.__module__])))
        functions[id(kernel)] = types.FunctionType(f.__code__, space, f.__name__,
                                                   f.__defaults__, f.__closure__)
    for space in spaces.values():
        for name, value in list(space.items()):
            if id(value) in functions:
                space[name] = functions[id(value)]
    for kernel in KERNELS:
        boxed = _boxing(functions[id(kernel)])
        setattr(boxed, KERNEL, kernel)
        _plain[id(kernel)] = boxed
    return _plain


def _boxing(function):
    """``function`` returning what a compiled kernel returns: Python numbers where numpy's
    scalars come out (next to single-precision values numpy computes with a Python float in
    single precision, with a numpy scalar in double; Python sums Python floats compensated)."""
    @functools.wraps(function)
    def boxed(*args):
        return _boxed(function(*args))

    return boxed


def _boxed(value):
    if isinstance(value, tuple):
        return tuple(_boxed(v) for v in value)
    if isinstance(value, np.generic):
        return value.item()
    return value


@contextmanager
def interpreted():
    """Run every kernel as plain Python inside this block (to check that both agree); the
    compiled kernels are made ready first, so that nothing changes them back inside."""
    warm()
    with _State.lock:
        _swap(interpreted=True)
        try:
            yield
        finally:
            _swap(interpreted=False)


def halves() -> tuple[list, list]:
    """The kernels in two halves of about equal compilation time (the size of their source),
    the same in every process."""
    import trustnet.core.model  # noqa: F401 - every kernel is defined when the model is

    parts: tuple[list, list] = ([], [])
    weight = [0, 0]
    for kernel in sorted(KERNELS, key=lambda k: -len(inspect.getsource(k.py_func))):
        lighter = 0 if weight[0] <= weight[1] else 1
        parts[lighter].append(kernel)
        weight[lighter] += len(inspect.getsource(kernel.py_func))
    return parts


def warm_part(part: int | None) -> None:
    """Compile half ``part`` (0 or 1) of the kernels, or all of them (None), by running small
    models with the other kernels as plain Python."""
    from trustnet.core.run import run_model

    others = [] if part is None else halves()[1 - part]
    with _State.lock:
        _State.warming = True
        _swap(interpreted=True, only=others)
        try:
            for params in WARM_RUNS:
                run_model(params, seed=0, steps=36)
        finally:
            _swap(interpreted=False, only=others)
            _State.warming = False


# small runs that call every kernel: a coordinating NAO, a directive one, shared governance
WARM_RUNS = ({"n_orgs": 8}, {"n_orgs": 8, "nao_style": "directive"},
             {"n_orgs": 8, "governance": "shared"})


@helper
def _block_sum(a, lo, n):  # pragma: no cover - compiled
    """numpy's sum of at most 128 items: in turn below 8, else eight running sums."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    m = n - n % 8
    i = 8
    while i < m:
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@helper
def pairwise_sum(a):  # pragma: no cover - compiled
    """Sum of the contiguous array ``a`` in numpy's order (``np.add.reduce``): blocks of at
    most 128 items, above that the sum of two halves (left, then right).

    numpy recurses; this walks the same tree with a stack (a cached numba function must not
    call itself)."""
    lo, n = 0, len(a)
    if n <= 128:
        return _block_sum(a, lo, n)
    # tasks: (lo, n) to sum, or n = -1 to add the last two sums
    task_lo = np.empty(128, dtype=np.int64)
    task_n = np.empty(128, dtype=np.int64)
    sums = np.empty(128)
    tasks, depth = 1, 0
    task_lo[0], task_n[0] = lo, n
    while tasks:
        tasks -= 1
        at, size = task_lo[tasks], task_n[tasks]
        if size == -1:
            depth -= 1
            sums[depth - 1] = sums[depth - 1] + sums[depth]
        elif size <= 128:
            sums[depth] = _block_sum(a, at, size)
            depth += 1
        else:
            half = size // 2
            half -= half % 8
            task_lo[tasks], task_n[tasks] = 0, -1  # last: add the two halves
            task_lo[tasks + 1], task_n[tasks + 1] = at + half, size - half  # then the right
            task_lo[tasks + 2], task_n[tasks + 2] = at, half  # first the left
            tasks += 3
    return sums[0]


@helper
def minimum(a, b):  # pragma: no cover - compiled
    """``np.minimum`` of two floats (a NaN in either is the result, as in numpy)."""
    return a if a <= b or a != a else b


@helper
def maximum(a, b):  # pragma: no cover - compiled
    """``np.maximum`` of two floats (a NaN in either is the result, as in numpy)."""
    return a if a >= b or a != a else b


@helper
def sum64(a):  # pragma: no cover - compiled
    """``a.sum(dtype=np.float64)`` of a contiguous single-precision array, in numpy's order:
    numpy casts 8,192 items at a time into a buffer and adds each buffer's pairwise sum to
    the running total."""
    buffer = np.empty(min(len(a), 8192))
    total = 0.0
    for lo in range(0, len(a), 8192):
        size = min(8192, len(a) - lo)
        for k in range(size):
            buffer[k] = a[lo + k]
        total += pairwise_sum(buffer[:size])
    return total


@helper
def sort_in_place(a):  # pragma: no cover - compiled
    """Sort the integer array ``a`` (heapsort: any correct sort of distinct keys gives the
    same order, and this one compiles in a fraction of numba's ``np.sort``)."""
    n = len(a)
    for start in range(n // 2 - 1, -1, -1):
        _sift(a, start, n)
    for end in range(n - 1, 0, -1):
        a[0], a[end] = a[end], a[0]
        _sift(a, 0, end)


@helper
def _sift(a, root, end):  # pragma: no cover - compiled
    while True:
        child = 2 * root + 1
        if child >= end:
            return
        if child + 1 < end and a[child] < a[child + 1]:
            child += 1
        if a[root] >= a[child]:
            return
        a[root], a[child] = a[child], a[root]
        root = child
