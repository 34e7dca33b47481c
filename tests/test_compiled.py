"""The compiled kernels' arithmetic is numpy's: sums in numpy's order, bit for bit."""

from __future__ import annotations

import os

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from trustnet.core.compiled import pairwise_sum, sort_in_place, sum64


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


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_dense_kernels_keep_numpys_promotion_and_repeats(seed, scalar):
    # a Python-float gain is single precision, an array gain double and rounded when stored;
    # np.add.at adds every repeat, ``m[i, j] += v`` keeps a repeated pair's last sum
    from trustnet.core.parameters import resolve
    from trustnet.core.ties import DenseTies

    rng = np.random.default_rng(seed)
    n = 9
    ties = DenseTies(rng.random(n), resolve())
    i = rng.integers(0, n, 40)
    j = (i + rng.integers(1, n, 40)) % n  # repeats, never the diagonal
    good = rng.random(40)
    gain = float(rng.random()) if scalar else rng.random(40)
    r, s, strength = ties.r.copy(), ties.s.copy(), ties.strength.copy()
    np.add.at(r, (i, j), good)
    np.add.at(s, (i, j), 0.3)
    old = strength[i, j]
    strength[i, j] = old + gain * (1.0 - old)
    ties.add_evidence(i, j, good, 0.3)
    ties.strengthen(i, j, gain)
    assert np.array_equal(ties.r, r) and np.array_equal(ties.s, s)
    assert np.array_equal(ties.strength, strength)
    r[i, j] += good
    old = strength[i, j]
    strength[i, j] = old + 0.25 * (1.0 - old)
    ties.talk(i, j, good, 0.25)
    assert np.array_equal(ties.r, r) and np.array_equal(ties.strength, strength)
    # the re-derived pairs are the stored arithmetic's, and the metrics follow them
    ties.touch(i, j)
    touched = ties.trust().copy()
    ties.refresh()
    assert np.array_equal(ties.trust(), touched)


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


def test_an_empty_cache_is_filled_on_two_cores(tmp_path):
    # the first model of a new version compiles half the kernels in a helper process and
    # loads them from the cache: here none of that half was compiled in this process
    import subprocess
    import sys

    script = ("from trustnet.core import compiled, model\n"
              "assert len(compiled.cold()) == len(compiled.KERNELS) > 10\n"
              "compiled.warm()\n"
              "assert compiled.cold() == [], compiled.cold()\n"
              "ours, helpers = compiled.halves()\n"
              "assert ours and helpers\n"
              "assert all(k.signatures for k in ours)\n"
              "assert not any(k.signatures for k in helpers)\n"
              "from trustnet.core.run import run_model\n"
              "run_model(seed=1, steps=24)\n"
              "assert all(k.signatures for k in helpers)  # loaded when first called\n")
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True,
                          text=True,
                          env={**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
