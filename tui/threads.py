"""What the machine lends nn-tui: CPUs for NumPy's matrix products, and memory.

Threads. OpenBLAS starts one thread per core and makes them wait for each
other by spinning. On a shared machine (a class on one SSH server, or the
app's UI beside its training thread on a 2-core laptop) the cores are busy,
and training gets many times *slower* than with a single thread. At MNIST's
sizes a second thread gains little even on an idle machine, so the app and
`nn-tui train` use one unless told otherwise, and never more than the CPUs
this process may run on (more only adds waiting). threadpoolctl does the
work (it also changes the count after NumPy is loaded, which the
OPENBLAS_NUM_THREADS variable cannot).

Memory. ``available_memory`` is what a new allocation can count on: the
kernel's MemAvailable, or less if a container (cgroup) limit leaves less.
`nn-tui train` refuses a network whose estimated peak
(``nn_tui.core.networks.training_memory_estimate``) is above a fraction of it.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from threadpoolctl import threadpool_info, threadpool_limits

# Limits at or above this mean "no limit" (cgroup v1 writes 2**63 rounded to a page).
_NO_LIMIT = 1 << 60


def usable_cpus() -> int:
    """How many CPUs this process may run on: its affinity mask, within a container's CPU quota."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        count = os.cpu_count() or 1
    quota = _cgroup_cpu_quota()
    if quota is not None:
        count = min(count, quota)
    return max(1, count)


def _cgroup_cpu_quota() -> int | None:
    """CPUs a cgroup's quota allows (rounded up), or None if there is no quota."""
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]  # v2: "max 100000"
    except (OSError, ValueError):
        try:
            root = Path("/sys/fs/cgroup/cpu")  # v1
            quota = (root / "cpu.cfs_quota_us").read_text().strip()
            period = (root / "cpu.cfs_period_us").read_text().strip()
        except OSError:
            return None
    try:
        quota_us, period_us = int(quota), int(period)
    except ValueError:  # "max"
        return None
    if quota_us <= 0 or period_us <= 0:  # v1 writes -1 for no quota
        return None
    return max(1, math.ceil(quota_us / period_us))


def blas_threads() -> int | None:
    """The BLAS thread count now, or None when NumPy's BLAS is not one threadpoolctl knows."""
    counts = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return counts[0] if counts else None


def set_blas_threads(count: int) -> bool:
    """Use `count` BLAS threads from now on, at most ``usable_cpus()``; False when there is no BLAS pool to set."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"the BLAS thread count must be a whole number >= 1, got {count!r}")
    if blas_threads() is None:
        return False
    threadpool_limits(limits=min(count, usable_cpus()), user_api="blas")
    return True


#: The share of the memory available now that one training run may plan to use.
MEMORY_FRACTION = 0.8


def memory_limit() -> tuple[int, int] | None:
    """(available, limit): the bytes available now and the share a run may use; None if unknown."""
    available = available_memory()
    return None if available is None else (available, int(available * MEMORY_FRACTION))


def show_bytes(size: float) -> str:
    """A number of bytes for a sentence: 1.2 GB, 350.0 MB, 12.0 kB."""
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:,.1f} {unit}"
    return f"{size:,.0f} bytes"


def available_memory() -> int | None:
    """Bytes a new allocation can count on now, or None if this system does not say.

    Linux: MemAvailable from /proc/meminfo, or what a cgroup's memory limit
    leaves if that is less. Elsewhere: the free physical pages, if the
    system reports them.
    """
    amounts = [amount for amount in (_meminfo_available(), _cgroup_memory_left()) if amount is not None]
    if not amounts:
        try:
            amounts.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (AttributeError, OSError, ValueError):
            return None
    return max(0, min(amounts))


def _meminfo_available() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024  # in kB
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cgroup_memory_left() -> int | None:
    """A cgroup's memory limit less what it uses (not counting page cache it can drop), or None."""
    root = Path("/sys/fs/cgroup")
    for limit_file, usage_file, stat_file, cache_key in (
        ("memory.max", "memory.current", "memory.stat", "inactive_file"),  # cgroup v2
        ("memory/memory.limit_in_bytes", "memory/memory.usage_in_bytes", "memory/memory.stat",
         "total_inactive_file"),  # cgroup v1
    ):
        try:
            limit_text = (root / limit_file).read_text().strip()
            usage = int((root / usage_file).read_text().strip())
        except (OSError, ValueError):
            continue
        if not limit_text.isdigit() or int(limit_text) >= _NO_LIMIT:
            return None  # "max", or v1's unlimited
        try:
            stats = dict(line.split()[:2] for line in (root / stat_file).read_text().splitlines() if line.strip())
            usage -= min(usage, int(stats.get(cache_key, 0)))
        except (OSError, ValueError):
            pass
        return max(0, int(limit_text) - usage)
    return None
