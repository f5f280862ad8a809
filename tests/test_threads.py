"""Reading and setting the BLAS thread count at run time; the CPUs and memory there are."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from nn_tui.tui.threads import available_memory, blas_threads, set_blas_threads, usable_cpus


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


def test_the_thread_count_is_bounded_by_the_cpus(threads):
    assert set_blas_threads(100_000) is True
    assert blas_threads() == usable_cpus()


def test_usable_cpus_follows_the_affinity_mask():
    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("no CPU affinity here")
    assert 1 <= usable_cpus() <= len(os.sched_getaffinity(0)) <= (os.cpu_count() or 1)
    one_cpu = min(os.sched_getaffinity(0))
    script = "from nn_tui.tui.threads import usable_cpus; print(usable_cpus())"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                            preexec_fn=lambda: os.sched_setaffinity(0, {one_cpu}))
    assert (result.returncode, result.stdout) == (0, "1\n"), result.stderr


def test_available_memory_is_what_the_kernel_says():
    try:
        with open("/proc/meminfo") as meminfo:
            fields = {line.split(":")[0]: int(line.split()[1]) * 1024 for line in meminfo}
    except OSError:
        pytest.skip("no /proc/meminfo here")
    available = available_memory()
    assert available is not None and 0 < available <= fields["MemTotal"]
    assert abs(available - fields["MemAvailable"]) < fields["MemTotal"] / 10 or available < fields["MemAvailable"]
