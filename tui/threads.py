"""How many threads NumPy's matrix products (BLAS) use.

Why it matters: OpenBLAS starts one thread per core and makes them wait for
each other by spinning. On a shared machine (a class on one SSH server, or
the app's UI beside its training thread on a 2-core laptop) the cores are
busy, and training gets many times *slower* than with a single thread. At
MNIST's sizes a second thread gains little even on an idle machine, so the
app and `nn-tui train` use one unless told otherwise. threadpoolctl does the
work (it also changes the count after NumPy is loaded, which the
OPENBLAS_NUM_THREADS variable cannot).
"""

from __future__ import annotations

from threadpoolctl import threadpool_info, threadpool_limits


def blas_threads() -> int | None:
    """The BLAS thread count now, or None when NumPy's BLAS is not one threadpoolctl knows."""
    counts = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return counts[0] if counts else None


def set_blas_threads(count: int) -> bool:
    """Use `count` BLAS threads from now on; False when there is no BLAS pool to set."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"the BLAS thread count must be a whole number >= 1, got {count!r}")
    if blas_threads() is None:
        return False
    threadpool_limits(limits=count, user_api="blas")
    return True
