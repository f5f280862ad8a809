"""The book's common/functions.py: activations, softmax and the two losses (ch. 3-4).

Backed by ``nn_tui.core.functions`` -- the functions lessons 2 and 3 plot and
compute.  Where the book's numbers differ from the core's, this module gives
the book's:

- ``step_function`` returns integers (the book's ``dtype=int``);
- ``mean_squared_error`` sums over a whole batch, as the book's does (the
  core averages a batch over its rows), and takes any targets shaped like y;
- ``cross_entropy_error`` reads any t shaped like y as the labels
  ``t.argmax(axis=1)``, as the book's does (its section 4.5 passes random
  numbers as t); the core takes only exact one-hot rows or labels.

Like the core, and unlike the book, these check their arguments: a NaN or a
label out of range is a ``ValueError`` that says so, not a silent ``nan``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn_tui.core import functions as _f
from nn_tui.core.functions import (
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
)

__all__ = [
    "np",
    "identity_function",
    "step_function",
    "sigmoid",
    "sigmoid_grad",
    "relu",
    "relu_grad",
    "softmax",
    "mean_squared_error",
    "cross_entropy_error",
    "softmax_loss",
]

# What the re-exported core functions compute (the book's formulas):
#   sigmoid(x)             1 / (1 + exp(-x)), without overflow for large |x|
#   sigmoid_grad(x)        (1 - sigmoid(x)) * sigmoid(x)
#   relu(x), relu_grad(x)  max(0, x); 1 where x > 0 else 0 (0 at x = 0, like the
#                          book's Relu layer: the book's relu_grad says 1 there)
#   softmax(x)             exp(x - max) / sum(exp(x - max)), row by row for a batch


def identity_function(x: Any) -> Any:
    """The output layer of a regression: x unchanged."""
    return x


def step_function(x: Any) -> np.ndarray:
    """1 where x > 0, else 0, as integers (``step_function(np.array([-1.0, 1.0, 2.0]))`` is [0 1 1])."""
    return np.array(_f.step_function(x), dtype=int)


def mean_squared_error(y: Any, t: Any) -> float:
    """0.5 * sum((y - t)**2), summed over everything given, as the book's.

    t: targets shaped like y (one-hot rows, or any numbers), or label indices.
    """
    y_arr, t_arr = np.asarray(y), np.asarray(t)
    if t_arr.shape == y_arr.shape:
        return float(0.5 * np.sum((y_arr - t_arr) ** 2))
    # Labels: the core makes them one-hot.  Halving is exact in binary, so
    # summing its halved terms gives 0.5 * sum(...) to the last digit.
    return float(np.sum(_f.squared_error_terms(y, t)))


def cross_entropy_error(y: Any, t: Any) -> float:
    """-sum(log(y[label] + 1e-7)) / batch size: y probabilities, t one-hot rows or labels."""
    y_arr, t_arr = np.asarray(y), np.asarray(t)
    if t_arr.size == y_arr.size and y_arr.ndim in (1, 2) and y_arr.size:
        labels = t_arr.reshape(-1, y_arr.shape[-1]).argmax(axis=1)
        t = labels[0] if y_arr.ndim == 1 else labels
    return _f.cross_entropy_error(y, t)


def softmax_loss(X: Any, t: Any) -> float:
    """cross_entropy_error(softmax(X), t)."""
    return cross_entropy_error(softmax(X), t)
