"""The book's common/multi_layer_net.py: a fully connected network of any depth (ch. 6).

``MultiLayerNet`` is ``nn_tui.core.networks.MultiLayerNet`` -- the network
lesson 6 and ``nn-tui train`` train -- built the book's way: float64, He
initial weights unless told otherwise, drawn with ``np.random.randn``
(``np.random.seed`` gives the book's own starting weights), layers named as
the book names them (``Affine1``, ``Activation_function1``, ..., and
``last_layer``), and weight decay 0.5·λ·ΣW² in ``loss`` and λ·W in
``gradient``.

The loss is the core's exact softmax cross-entropy (see
``nn_tui.book.common.layers``).  ``gradient`` returns new arrays each call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nn_tui.book._adapt import BookNetwork
from nn_tui.core import networks as _networks

__all__ = ["MultiLayerNet"]


class MultiLayerNet(BookNetwork, _networks.MultiLayerNet):
    """(Affine → activation) × len(hidden_size_list) → Affine → SoftmaxWithLoss.

    ``weight_init_std``: a number (the weights' standard deviation), 'relu'
    or 'he' (He: √(2/n)), 'sigmoid' or 'xavier' (Xavier: √(1/n)), n being
    the number of inputs of the layer.
    """

    def __init__(self, input_size: int, hidden_size_list: Sequence[int], output_size: int,
                 activation: str = "relu", weight_init_std: Any = "relu",
                 weight_decay_lambda: float = 0) -> None:
        _networks.MultiLayerNet.__init__(
            self, input_size, hidden_size_list, output_size, activation=activation,
            weight_init=weight_init_std, weight_decay_lambda=weight_decay_lambda,
            dtype=np.float64, seed=0)
        self._book_start(weight_init_std, book_layer_names=True)

    def predict(self, x: Any) -> np.ndarray:  # type: ignore[override]
        return super().predict(x)

    def loss(self, x: Any, t: Any) -> float:  # type: ignore[override]
        return super().loss(x, t)
