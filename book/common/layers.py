"""The book's common/layers.py: the layers of chapters 5 and 6.

These are ``nn_tui.core.layers`` -- the layers the app trains with -- with
the book's constructors and defaults.  ``forward`` keeps what ``backward``
needs; ``backward(dout)`` returns the gradient for the input and stores the
parameters' gradients (``dW``, ``db``, ``dgamma``, ``dbeta``).

Where this differs from the book's code, and why:

- ``SoftmaxWithLoss`` computes -log(softmax) exactly instead of
  log(y + 1e-7), so its backward (y - t) / N is the exact gradient of its
  loss and a gradient check agrees to 1e-10; the loss differs from the
  book's by about 1e-7 / y.
- ``Affine`` makes new ``dW`` and ``db`` arrays on each backward pass, as the
  book's does (the core writes into the same ones, for speed).
- ``Dropout`` draws its masks with ``np.random.rand``, as the book's does.
- ``BatchNormalization`` starts its running variance at 0, as the book's
  does (the core starts at 1: see ``nn_tui.core.layers``).

Convolution and Pooling (chapter 7) are not here: nn-tui covers chapters 2-6.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn_tui.book._adapt import GLOBAL_RANDOM
from nn_tui.book.common.functions import cross_entropy_error, softmax
from nn_tui.core import layers as _layers
from nn_tui.core.layers import Relu, Sigmoid, SoftmaxWithLoss

__all__ = [
    "np",
    "softmax",
    "cross_entropy_error",
    "Relu",
    "Sigmoid",
    "Affine",
    "SoftmaxWithLoss",
    "Dropout",
    "BatchNormalization",
]


class Affine(_layers.Affine):
    """out = x·W + b; backward stores dW = xᵀ·dout, db = Σ dout and returns dout·Wᵀ."""

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        # New arrays each time: a student who keeps layer.dW from one pass
        # must not see it change under the next one.
        self.dW = np.empty_like(self.W)
        self.db = np.empty_like(self.b)
        return super().backward(dout)


class Dropout(_layers.Dropout):
    """Silence a random ``dropout_ratio`` of the units while training; scale by 1 - ratio in test mode."""

    def __init__(self, dropout_ratio: float = 0.5) -> None:
        super().__init__(dropout_ratio, rng=GLOBAL_RANDOM)  # type: ignore[arg-type]


class BatchNormalization(_layers.BatchNormalization):
    """Normalise each unit over the mini-batch, then scale by gamma and shift by beta."""

    def __init__(self, gamma: np.ndarray, beta: np.ndarray, momentum: float = 0.9,
                 running_mean: Any = None, running_var: Any = None) -> None:
        if running_var is None:
            running_var = np.zeros_like(gamma)  # the book's start
        super().__init__(gamma, beta, momentum, running_mean, running_var)
