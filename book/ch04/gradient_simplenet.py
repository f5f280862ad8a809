"""The book's ch04/gradient_simplenet.py: ``simpleNet``, one 2x3 layer, and its gradient.

Its loss is the book's: ``cross_entropy_error(softmax(x·W), t)`` from
``nn_tui.book.common.functions`` (``nn_tui.core.functions``).  Use it as the
book does::

    net = simpleNet()
    f = lambda w: net.loss(x, t)
    dW = numerical_gradient(f, net.W)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn_tui.book.common.functions import cross_entropy_error, softmax
from nn_tui.book.common.gradient import numerical_gradient

__all__ = ["np", "simpleNet", "numerical_gradient"]


class simpleNet:  # noqa: N801 - the book's name
    """Scores x·W for a 2-value input and 3 classes; W drawn with np.random.randn."""

    def __init__(self) -> None:
        self.W = np.random.randn(2, 3)

    def predict(self, x: Any) -> np.ndarray:
        return np.dot(x, self.W)

    def loss(self, x: Any, t: Any) -> float:
        return cross_entropy_error(softmax(self.predict(x)), t)
