"""The book's ch05/two_layer_net.py: the two-layer network trained by backpropagation.

``nn_tui.core.networks.TwoLayerNet`` -- the network lesson 6 trains by
default -- in float64 with the book's interface: layers ``Affine1``,
``Relu1``, ``Affine2`` and ``lastLayer`` (a SoftmaxWithLoss), weights
``weight_init_std * np.random.randn(...)``, and ``gradient`` returning new
arrays each call.  Its loss is the core's exact softmax cross-entropy, so
the book's ``gradient_check.py`` shows differences near 1e-10 or below.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn_tui.book._adapt import BookNetwork
from nn_tui.core import networks as _networks

__all__ = ["TwoLayerNet"]


class TwoLayerNet(BookNetwork, _networks.TwoLayerNet):
    """Affine1 → Relu1 → Affine2 → SoftmaxWithLoss, with params W1, b1, W2, b2."""

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 weight_init_std: float = 0.01) -> None:
        _networks.TwoLayerNet.__init__(self, input_size, hidden_size, output_size,
                                       weight_init_std=weight_init_std, activation="relu",
                                       dtype=np.float64, seed=0)
        self._book_start(weight_init_std, book_layer_names=False)

    @property
    def lastLayer(self) -> Any:  # noqa: N802 - the book's name
        return self.last_layer

    def predict(self, x: Any) -> np.ndarray:  # type: ignore[override]
        return super().predict(x)

    def loss(self, x: Any, t: Any) -> float:  # type: ignore[override]
        return super().loss(x, t)
