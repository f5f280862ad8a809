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
