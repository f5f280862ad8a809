"""Shipped data: the offline MNIST subset (see MNIST_SUBSET.md for where it comes from)."""

from pathlib import Path

#: 10,000 training and 2,000 test digits of MNIST, for working offline.
MNIST_SUBSET = Path(__file__).with_name("mnist_subset.npz")
