"""Reading and setting the BLAS thread count at run time."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui.tui.threads import blas_threads, set_blas_threads


@pytest.fixture
def threads():
    before = blas_threads()
    if before is None:
        pytest.skip("NumPy's BLAS here is not OpenBLAS")
    yield before
    set_blas_threads(before)


def test_set_and_read_back(threads):
    assert set_blas_threads(1) is True
    assert blas_threads() == 1
    a = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(a @ a.T, [[14, 38, 62], [38, 126, 214], [62, 214, 366]])
    assert set_blas_threads(2) is True
    assert blas_threads() == 2


@pytest.mark.parametrize("count", [0, -1, 1.5, True, "2"])
def test_rejects_bad_counts(count):
    with pytest.raises(ValueError, match="whole number >= 1"):
        set_blas_threads(count)
