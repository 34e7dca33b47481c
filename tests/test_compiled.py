"""The compiled kernels' arithmetic is numpy's: sums in numpy's order, bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from trustnet.core.compiled import pairwise_sum


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
