"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def shared_mnist_dir() -> Path | None:
    """The four original MNIST IDX files, if this machine has them.

    NN_TUI_MNIST_DIR wins; otherwise the checkout's sibling `shared/`
    (CI clones the repository with `shared/` beside it).
    """
    candidates = [os.environ.get("NN_TUI_MNIST_DIR"), REPO.parent / "shared" / "data" / "mnist"]
    for candidate in candidates:
        if candidate and all((Path(candidate) / f"{name}.gz").is_file() for name in MNIST_FILES):
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    path = shared_mnist_dir()
    if path is None:
        pytest.skip("full MNIST not found: set NN_TUI_MNIST_DIR or put the IDX files in ../shared/data/mnist")
    return path


@pytest.fixture
def offline_subset(monkeypatch, tmp_path):
    """Train on the shipped subset: no $NN_TUI_MNIST_DIR, an empty download cache.

    `nn-tui train` sets the BLAS thread count for the whole process; put it back.
    """
    from nn_tui.tui.threads import blas_threads, set_blas_threads

    monkeypatch.delenv("NN_TUI_MNIST_DIR", raising=False)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("NN_TUI_CACHE_DIR", str(tmp_path / "empty-cache"))
    threads = blas_threads()
    yield
    if threads is not None:
        set_blas_threads(threads)
