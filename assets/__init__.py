"""Shipped data: the offline MNIST subset (see MNIST_SUBSET.md) and the book's trained chapter-3 weights (book/README.md)."""

from pathlib import Path

#: 10,000 training and 2,000 test digits of MNIST, for working offline.
MNIST_SUBSET = Path(__file__).with_name("mnist_subset.npz")

#: The trained weights of the book's chapter-3 network (see book/README.md for their origin and licence).
BOOK_WEIGHTS = Path(__file__).with_name("book") / "sample_weight.npz"
