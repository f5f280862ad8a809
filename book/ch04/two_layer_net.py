"""The book's ch04/two_layer_net.py: the two-layer network of chapter 4 (sigmoid, softmax).

Backed by ``nn_tui.core.networks.TwoLayerNet`` with a sigmoid hidden layer,
in float64, with the book's chapter-4 interface:

- ``predict(x)`` gives the softmax probabilities (the chapter-5 network gives
  the scores);
- ``loss(x, t)`` is ``cross_entropy_error(predict(x), t)``, the book's, with
  its log(y + 1e-7);
- ``numerical_gradient(x, t)`` differentiates that loss, element by element;
- ``gradient(x, t)`` is the core's backpropagation, the same (y - t) / N the
  book writes out by hand.

The weights are ``weight_init_std * np.random.randn(...)``, as the book draws them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn_tui.book._adapt import BookNetwork
from nn_tui.book.common.functions import cross_entropy_error, softmax
from nn_tui.book.common.gradient import numerical_gradient
from nn_tui.core import networks as _networks

__all__ = ["TwoLayerNet"]


class TwoLayerNet(BookNetwork, _networks.TwoLayerNet):
    """Affine → Sigmoid → Affine → Softmax, with params W1, b1, W2, b2."""

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 weight_init_std: float = 0.01) -> None:
        _networks.TwoLayerNet.__init__(self, input_size, hidden_size, output_size,
                                       weight_init_std=weight_init_std, activation="sigmoid",
                                       dtype=np.float64, seed=0)
        self._book_start(weight_init_std, book_layer_names=False)

    def predict(self, x: Any) -> np.ndarray:  # type: ignore[override]
        return softmax(super().predict(x))

    def loss(self, x: Any, t: Any) -> float:  # type: ignore[override]
        return cross_entropy_error(self.predict(x), t)

    def numerical_gradient(self, x: Any, t: Any) -> dict[str, np.ndarray]:
        def loss_W(W: np.ndarray) -> float:
            return self.loss(x, t)

        return {key: numerical_gradient(loss_W, self.params[key]) for key in ("W1", "b1", "W2", "b2")}
