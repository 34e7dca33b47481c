"""The compiled kernels' arithmetic is numpy's: sums in numpy's order, bit for bit."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from trustnet.core import compiled
from trustnet.core.compiled import pairwise_sum, sort_in_place, sum64
from trustnet.core.machine import usable_cores


@pytest.fixture(autouse=True)
def compiled_kernels():
    """The compiled kernels, not the plain Python ones a first model may still be running."""
    compiled.warm()


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.integers(0, 700),
              elements=st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False)),
       st.integers(0, 20))
def test_pairwise_sum_is_numpys_sum_bit_for_bit(values, offset):
    offset = min(offset, len(values))
    part = values[offset:]
    assert pairwise_sum(np.ascontiguousarray(part)) == np.add.reduce(part)


def test_pairwise_sum_of_long_arrays_follows_numpys_halving():
    rng = np.random.default_rng(3)
    for n in (129, 130, 255, 256, 1000, 4097, 100_003):
        values = rng.random(n) * 1e3 - 300.0
        assert pairwise_sum(values) == np.add.reduce(values), n
        # and a sequential sum is not the same, so the test can tell the orders apart
    values = rng.random(100_003) * 1e3 - 300.0
    plain = 0.0
    for v in values.tolist():
        plain += v
    assert plain != np.add.reduce(values)


def test_kernels_are_cached_per_version_of_the_models_source():
    # numba checks only the file that defines a kernel: a helper edited in another file
    # must not leave an old copy running, so the cache is keyed by the whole source
    from trustnet.core import work
    from trustnet.core.compiled import cache_dir
    from trustnet.core.source import source_hash

    assert cache_dir().name == f"kernels-{source_hash()}"
    locator = work._work._cache._impl._locator
    assert str(locator.get_cache_path()).startswith(str(cache_dir()))


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 30_000), st.integers(0, 2**32 - 1))
def test_sum64_is_numpys_double_sum_of_single_values(n, seed):
    # numpy casts 8,192 items at a time: the buffers' sums, added in turn
    rng = np.random.default_rng(seed)
    values = (rng.random(n) * 10.0 ** rng.uniform(-3, 3, n)).astype(np.float32)
    assert sum64(values) == values.sum(dtype=np.float64)


@settings(deadline=None)
@given(st.lists(st.integers(-10**9, 10**9), max_size=300))
def test_sort_in_place_sorts(keys):
    values = np.array(keys, dtype=np.int64)
    sort_in_place(values)
    assert values.tolist() == sorted(keys)


GAINS = st.sampled_from(["python", "array", "float32 array", "numpy float64", "python int"])


def _gain(kind, rng, count):
    value = float(rng.random())
    return {"python": value, "array": rng.random(count),
            "float32 array": rng.random(count).astype(np.float32),
            "numpy float64": np.float64(value), "python int": 1}[kind]


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32 - 1), GAINS, st.floats(0.01, 2.0))
def test_dense_kernels_keep_numpys_promotion_and_repeats(seed, kind, shock):
    # numpy's promotion (NEP 50): a Python number next to a single-precision array is single
    # precision, a numpy scalar or array keeps its own, and np.add.at makes a Python float an
    # array of doubles; np.add.at adds every repeat, ``m[i, j] += v`` keeps the last sum
    from trustnet.core.parameters import resolve
    from trustnet.core.ties import DenseTies

    rng = np.random.default_rng(seed)
    n = 9
    ties = DenseTies(rng.random(n), resolve())
    i = rng.integers(0, n, 40)
    j = (i + rng.integers(1, n, 40)) % n  # repeats, never the diagonal
    good = rng.random(40)
    gain = _gain(kind, rng, 40)
    r, s, strength = ties.r.copy(), ties.s.copy(), ties.strength.copy()
    for _ in range(2):  # onto evidence already there, so that the precision shows
        np.add.at(r, (i, j), good)
        np.add.at(s, (i, j), shock)
        ties.add_evidence(i, j, good, shock)
    old = strength[i, j]
    strength[i, j] = old + gain * (1.0 - old)
    ties.strengthen(i, j, gain)
    assert np.array_equal(ties.r, r) and np.array_equal(ties.s, s)
    assert np.array_equal(ties.strength, strength)
    r[i, j] += good
    old = strength[i, j]
    strength[i, j] = old + 0.25 * (1.0 - old)
    ties.talk(i, j, good, 0.25)
    assert np.array_equal(ties.r, r) and np.array_equal(ties.strength, strength)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 5))
def test_dense_derivation_and_pair_metrics_are_numpys(seed, leaving):
    # the trust and level of every pair as numpy derives them (the sparse storage's code),
    # and the pair metrics over the active members in numpy's order of summation, whether
    # re-derived for some pairs or for all
    from trustnet.core.parameters import resolve
    from trustnet.core.ties import DenseTies

    rng = np.random.default_rng(seed)
    n = 12
    ties = DenseTies(rng.random(n), resolve())
    active = np.ones(n, dtype=bool)
    active[rng.choice(n, leaving, replace=False)] = False
    ties.set_active(active)
    i = rng.integers(0, n, 60)
    j = rng.integers(0, n, 60)  # the diagonal and repeats among them
    ties.add_evidence(i, j, rng.random(60) * 10.0 ** rng.uniform(-6, 1, 60),
                      rng.random(60) * 3.0)
    ties.strengthen(i, j, rng.random(60))

    def oracle():
        trust, level = ties._derive(ties.r, ties.s, ties.strength)
        np.fill_diagonal(trust, 0.0)
        np.fill_diagonal(level, 0)
        gone = np.flatnonzero(~active)
        total = float(trust.sum(dtype=np.float64))
        if len(gone):
            total = (total - float(trust[gone].sum(dtype=np.float64))
                     - float(trust[:, gone].sum(dtype=np.float64))
                     + float(trust[np.ix_(gone, gone)].sum(dtype=np.float64)))
        block = np.ix_(active, active)
        at_least = [int(np.count_nonzero(level[block] >= k)) for k in (1, 2, 3)]
        trusting = int(np.count_nonzero(trust[block] > ties.trusting_level))
        return trust, level, total, trusting, at_least

    ties.touch(i, j)  # by difference from the metrics before
    trust, level, total, trusting, at_least = oracle()
    assert np.array_equal(ties.trust()[i, j], trust[i, j])
    assert np.array_equal(ties.level_matrix()[i, j], level[i, j])
    assert (ties.n_trusting, ties.at_least) == (trusting, at_least)
    ties.refresh()
    assert np.array_equal(ties.trust(), trust) and np.array_equal(ties.level_matrix(), level)
    assert (ties.sum_trust, ties.n_trusting, ties.at_least) == (total, trusting, at_least)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 20), st.integers(2, 130))
def test_pair_metrics_sum_in_numpys_order(seed, leaving, n):
    # values over many magnitudes, so that the order of the double sum shows: numpy sums the
    # rows of those gone row by row and their columns (``trust[:, gone]``) column by column
    from trustnet.core.ties.dense import _count_every, _tally

    rng = np.random.default_rng(seed)
    trust = (rng.random((n, n)) * 10.0 ** rng.uniform(-12, 0, (n, n))).astype(np.float32)
    np.fill_diagonal(trust, 0.0)
    level = rng.integers(0, 4, (n, n)).astype(np.int8)
    active = np.ones(n, dtype=bool)
    active[rng.choice(n, min(leaving, n - 1), replace=False)] = False
    gone = np.flatnonzero(~active)
    expected = (float(trust.sum(dtype=np.float64)) - float(trust[gone].sum(dtype=np.float64))
                - float(trust[:, gone].sum(dtype=np.float64))
                + float(trust[np.ix_(gone, gone)].sum(dtype=np.float64)))
    block = np.ix_(active, active)
    counts = (int(np.count_nonzero(trust[block] > np.float32(0.6))),
              *(int(np.count_nonzero(level[block] >= k)) for k in (1, 2, 3)))
    every = _count_every(trust, level, np.float32(0.6))  # then as the storage passes them
    assert every == (int(np.count_nonzero(trust > np.float32(0.6))),
                     *(int(np.count_nonzero(level >= k)) for k in (1, 2, 3)))
    got = _tally(trust, level, active, np.float32(0.6),
                 (float(trust.sum(dtype=np.float64)), *every))
    assert got[0] == expected and tuple(got[1:]) == counts


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 30), st.integers(1, 8), st.floats(-1.0, 1.0), st.integers(0, 2**32 - 1))
def test_conversations_are_numpys_pairs_and_evidence_bit_for_bit(k, contacts, mood, seed):
    # the numpy expressions the kernel replaced, as the oracle
    from trustnet.core.meetings import _conversations

    rng = np.random.default_rng(seed)
    present = np.sort(rng.choice(60, k, replace=False))
    commitment = rng.random(60)
    gain, weight = 0.05, 1.7
    if contacts >= k - 1:
        a, b = np.repeat(present, k), np.tile(present, k)
        i, j = a[a != b], b[a != b]
        draws = np.empty((0, 0))
    else:
        draws = rng.random((k, contacts))
        pick = (draws * (k - 1)).astype(np.int64)
        pick += pick >= np.arange(k)[:, None]
        one, other = np.repeat(present, contacts), present[pick.ravel()]
        i, j = np.concatenate([one, other]), np.concatenate([other, one])
    evidence = gain * 0.5 * (commitment[i] + commitment[j])
    got = _conversations(present, commitment, draws, gain * 0.5, 1.0 + mood, weight, -mood)
    assert np.array_equal(got[0], i) and np.array_equal(got[1], j)
    assert np.array_equal(got[2], evidence * (1.0 + mood))
    if mood < 0:
        assert np.array_equal(got[3], evidence * weight * -mood)


def _in_a_fresh_process(script: str, cache, **env: str) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True,
                          text=True, env={**os.environ, "NUMBA_CACHE_DIR": str(cache), **env},
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.skipif(usable_cores() < 2, reason="the helper process needs a second core")
def test_an_empty_cache_is_filled_on_two_cores(tmp_path):
    # warm() (a sweep's, before its workers start) compiles half the kernels in a helper
    # process and loads them from the cache: here none of that half was compiled
    script = ("from trustnet.core import compiled, model\n"
              "assert len(compiled.cold()) == len(compiled.KERNELS) > 10\n"
              "compiled.warm()\n"
              "assert compiled.cold() == [], compiled.cold()\n"
              "ours, helpers = compiled.halves()\n"
              "assert ours and helpers\n"
              "assert all(k.signatures for k in ours)\n"
              "assert not any(k.signatures for k in helpers)\n"
              "from trustnet.core.run import run_model\n"
              "for params in compiled.WARM_RUNS:  # between them they call every kernel\n"
              "    run_model(params, seed=1, steps=24)\n"
              "assert all(k.signatures for k in helpers)  # loaded when first called\n")
    _in_a_fresh_process(script, cache=tmp_path)


@pytest.mark.parametrize("failure", ["no helper", "warm-up fails"])
def test_warming_is_best_effort(monkeypatch, tmp_path, failure):
    # a helper that cannot start, or small models that fail, leave each kernel to compile
    # when first called: the model is built all the same
    import subprocess

    from trustnet.core.run import run_model

    def refuse(*args, **kwargs):
        raise OSError("no Python here")

    monkeypatch.setattr(compiled, "cache_dir", lambda: tmp_path)  # no other process's lock
    monkeypatch.setattr(compiled._State, "warm", False)
    monkeypatch.setattr(compiled, "cold", lambda: compiled.KERNELS)
    if failure == "no helper":
        monkeypatch.setattr(subprocess, "Popen", refuse)
    else:
        monkeypatch.setattr(compiled, "usable_cores", lambda: 1)  # this process alone
        monkeypatch.setattr(compiled, "WARM_RUNS", ({"n_orgs": -1},))  # refused by the model
    compiled.warm()
    assert compiled._State.warm and not compiled._State.warming
    assert run_model(seed=3, steps=6).summary["active_members"] > 0


def test_a_failed_warm_up_puts_every_kernel_back(monkeypatch):
    # the other half's kernels run as plain Python only while the small models run
    monkeypatch.setattr(compiled, "WARM_RUNS", ({"n_orgs": 8}, {"n_orgs": -1}))
    with pytest.raises(ValueError, match="n_orgs"):
        compiled.warm_part(0)
    assert not compiled._State.warming
    for kernel in compiled.KERNELS:
        module = __import__(kernel.py_func.__module__, fromlist=["_"])
        assert getattr(module, kernel.__name__) is kernel


@pytest.mark.parametrize("case", [
    {},
    {"tie_storage": "sparse", "events": [{"month": 6, "action": "trust_shock", "evidence": 0.7},
                                         {"month": 9, "action": "withdraw_coordinator"}]},
    {"nao_style": "directive", "ambition": 1.5, "n_orgs": 25},
    {"governance": "shared", "n_orgs": 12},
])
def test_interpreted_kernels_give_the_compiled_results_bit_for_bit(case):
    # a first model runs the kernels as plain Python while they compile: the same numbers
    from trustnet.core.model import TrustNetworkModel

    def run():
        model = TrustNetworkModel(rng=11, **case)
        model.run_for(18)
        return model.datacollector.get_model_vars_dataframe(), model.projects.table()

    series, projects = run()
    with compiled.interpreted():
        from trustnet.core import work

        assert not hasattr(work._work, "signatures")  # plain Python
        series_py, projects_py = run()
    assert hasattr(work._work, "signatures")  # compiled again
    pd.testing.assert_frame_equal(series, series_py, check_exact=True)
    pd.testing.assert_frame_equal(projects, projects_py, check_exact=True)


def test_interpreted_kernels_return_what_compiled_ones_return():
    # numba boxes a float64 result as a Python float; numpy's scalar would compute next to
    # single-precision values in double precision (NEP 50), and Python's sum of Python floats
    # is compensated
    import numba

    def first(values):
        return values[0], len(values), values[0] > 0

    kernel = numba.njit(first)
    values = np.array([0.5, 1.0], dtype=np.float32)
    assert type(first(values)[0]) is np.float32
    assert [type(v) for v in kernel(values)] == [float, int, bool]
    assert [type(v) for v in compiled._boxing(first)(values)] == [float, int, bool]
    assert compiled._boxing(first)(values) == kernel(values)


needs_locks = pytest.mark.skipif(compiled.fcntl is None, reason="no file locks (Windows): "
                                 "a first model waits for the compiler")


@needs_locks
def test_a_first_model_runs_interpreted_until_the_kernels_are_compiled(tmp_path):
    # with an empty cache, the first model does not wait for a compiler: it runs the plain
    # kernels and changes to the compiled ones mid-run, once the background compiler has
    # cached them; the next model finds them compiled; the results are a compiled run's
    script = ("import time\n"
              "from trustnet.core import compiled, metrics, work\n"
              "from trustnet.core.model import TrustNetworkModel\n"
              "model = TrustNetworkModel(rng=2)\n"
              "model.run_for(3)\n"
              "assert compiled._State.interpreted and compiled._State.compiler is not None\n"
              "assert compiled.compiling() and compiled.cold()\n"
              "assert not hasattr(work._work, 'signatures')\n"
              "deadline = time.monotonic() + 300\n"
              "while compiled._State.interpreted and time.monotonic() < deadline:\n"
              "    time.sleep(0.1)\n"
              "    model.step()\n"
              "assert not compiled._State.interpreted and compiled.cold() == []\n"
              "assert not compiled.compiling() and compiled._State.compiler.returncode == 0\n"
              "# every month measures; a month with no running project does no work\n"
              "assert metrics._member_means.signatures  # compiled, loaded from the cache\n"
              "model.run_for(6)\n"
              "again = TrustNetworkModel(rng=2)\n"
              "again.run_for(model.steps)\n"
              "first = model.datacollector.get_model_vars_dataframe()\n"
              "assert first.equals(again.datacollector.get_model_vars_dataframe())\n"
              "assert model.projects.table().equals(again.projects.table())\n"
              "assert model.steps > 6\n")
    _in_a_fresh_process(script, cache=tmp_path)


def test_a_large_first_model_waits_for_the_compiled_kernels(monkeypatch):
    # a month of a large network as plain Python would cost more than waiting
    called = []
    monkeypatch.setattr(compiled._State, "warm", False)
    monkeypatch.setattr(compiled, "cold", lambda: compiled.KERNELS)
    monkeypatch.setattr(compiled, "warm", lambda: called.append("warm"))
    monkeypatch.setattr(compiled, "_start_compiler", lambda: called.append("background"))
    compiled.prepare(compiled.INTERPRET_LIMIT + 1)
    assert called == ["warm"] and not compiled._State.interpreted


@needs_locks
def test_the_compilers_lock_goes_with_its_process_however_it_ends(monkeypatch, tmp_path):
    # processes starting together compile once; a compiler that was killed holds nobody up
    import signal
    import subprocess
    import sys

    monkeypatch.setattr(compiled, "cache_dir", lambda: tmp_path)
    assert not compiled.compiling() and not compiled.lock_file().exists()  # asking made none

    def sleeper(code, **options):  # a compiler that only holds what it was given
        return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                                **options)

    monkeypatch.setattr(compiled, "_python", sleeper)
    first = compiled._start_compiler()
    try:
        assert compiled.compiling()  # the lock went to the process, with its descriptor
        assert compiled._start_compiler() is None  # the other one compiles
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert not compiled.compiling()
    fd = compiled._wait_for_lock()
    assert fd is not None
    os.close(fd)


@needs_locks
def test_without_file_locks_a_first_model_waits_for_the_compilation(monkeypatch, tmp_path):
    # some network file systems refuse flock: that is no compiler to wait for
    import errno

    def refuse(fd, operation):
        raise OSError(errno.ENOLCK, "no locks available")

    called = []
    monkeypatch.setattr(compiled, "cache_dir", lambda: tmp_path)
    monkeypatch.setattr(compiled.fcntl, "flock", refuse)
    assert compiled._wait_for_lock() is None  # at once, not after HELPER_TIMEOUT
    compiled.lock_file().touch()
    assert not compiled.compiling()
    monkeypatch.setattr(compiled._State, "warm", False)
    monkeypatch.setattr(compiled, "cold", lambda: compiled.KERNELS)
    monkeypatch.setattr(compiled, "warm", lambda: called.append("warm"))
    compiled.prepare(40)
    assert called == ["warm"] and not compiled._State.interpreted


def test_a_compiler_that_stopped_early_is_started_once_more_then_its_work_done_here(
        monkeypatch):
    started, compiled_here = [], []
    monkeypatch.setattr(compiled._State, "interpreted", True)
    monkeypatch.setattr(compiled._State, "warm", False)
    monkeypatch.setattr(compiled._State, "restarted", False)
    monkeypatch.setattr(compiled._State, "checked", 0.0)
    monkeypatch.setattr(compiled, "compiling", lambda directory=None: False)
    monkeypatch.setattr(compiled, "cold", lambda: compiled.KERNELS)
    monkeypatch.setattr(compiled, "_start_compiler", lambda: started.append(1) or None)
    monkeypatch.setattr(compiled, "_swap", lambda **kwargs: None)
    monkeypatch.setattr(compiled, "_wait_for_lock", lambda: None)
    monkeypatch.setattr(compiled, "_compile_on_two_cores", lambda: compiled_here.append(1))
    compiled.switch_when_compiled()  # nothing cached, nobody compiling: once more
    assert started == [1] and compiled._State.interpreted
    compiled._State.checked = 0.0
    compiled.switch_when_compiled()  # stopped again: the compiled kernels, compiled when called
    assert started == [1] and not compiled._State.interpreted
    compiled._State.interpreted, compiled._State.warm = True, False
    compiled.warm()  # a sweep compiles what is still missing before its workers start
    assert compiled_here == [1] and compiled._State.warm


@needs_locks
def test_a_compiler_that_cannot_start_leaves_the_kernels_to_compile_when_called(monkeypatch,
                                                                                 tmp_path):
    from trustnet.core import work
    from trustnet.core.run import run_model

    def refuse(*args, **kwargs):
        raise OSError("no Python here")

    monkeypatch.setattr(compiled, "cache_dir", lambda: tmp_path)
    monkeypatch.setattr(compiled._State, "warm", False)
    monkeypatch.setattr(compiled, "cold", lambda: compiled.KERNELS)
    monkeypatch.setattr(compiled, "_python", refuse)
    compiled.prepare(40)
    assert compiled._State.warm and not compiled._State.interpreted
    assert not compiled.compiling()
    assert hasattr(work._work, "signatures")
    assert run_model(seed=3, steps=6).summary["active_members"] > 0


def test_kernels_without_numba_give_the_compiled_results(tmp_path):
    # NUMBA_DISABLE_JIT (for debugging) runs the kernels' Python source, boxed alike
    from trustnet.core.run import run_model

    expected = run_model(seed=2, steps=60).series
    expected.to_parquet(tmp_path / "compiled.parquet")
    script = ("import pandas as pd\n"
              "from trustnet.core.run import run_model\n"
              f"expected = pd.read_parquet({str(tmp_path / 'compiled.parquet')!r})\n"
              "pd.testing.assert_frame_equal(run_model(seed=2, steps=60).series, expected,\n"
              "                              check_exact=True)\n")
    _in_a_fresh_process(script, cache=tmp_path, NUMBA_DISABLE_JIT="1")
