"""The book's common/multi_layer_net_extend.py: MultiLayerNet with dropout and batch norm (ch. 6).

``MultiLayerNetExtend`` is ``nn_tui.core.networks.MultiLayerNet`` (which has
dropout and batch normalisation itself) built the book's way: float64, He
initial weights drawn with ``np.random.randn``, dropout masks drawn with
``np.random.rand``, batch-norm running variance starting at 0, the book's
layer names (``Affine1``, ``BatchNorm1``, ``Activation_function1``,
``Dropout1``, ...), ``predict`` and ``loss`` in test mode unless
``train_flg=True``, and ``gradient`` in training mode.

Unlike the book's, ``numerical_gradient`` evaluates every nudged weight with
the same dropout masks and leaves the batch-norm running averages as they
were, so a gradient check works with dropout too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nn_tui.book._adapt import BookNetwork
from nn_tui.core import networks as _networks

__all__ = ["MultiLayerNetExtend"]


class MultiLayerNetExtend(BookNetwork, _networks.MultiLayerNet):
    """(Affine [→ BatchNorm] → activation [→ Dropout]) × len(hidden_size_list) → Affine → SoftmaxWithLoss.

    ``dropout_ration`` (the book's spelling) is the fraction of units
    silenced while training, used when ``use_dropout`` is True.
    """

    def __init__(self, input_size: int, hidden_size_list: Sequence[int], output_size: int,
                 activation: str = "relu", weight_init_std: Any = "relu",
                 weight_decay_lambda: float = 0, use_dropout: bool = False,
                 dropout_ration: float = 0.5, use_batchnorm: bool = False) -> None:
        self.use_dropout = bool(use_dropout)
        _networks.MultiLayerNet.__init__(
            self, input_size, hidden_size_list, output_size, activation=activation,
            weight_init=weight_init_std, weight_decay_lambda=weight_decay_lambda,
            dropout_ratio=dropout_ration if self.use_dropout else 0.0,
            use_batchnorm=use_batchnorm, dtype=np.float64, seed=0)
        self.dropout_ration = dropout_ration
        self._book_start(weight_init_std, book_layer_names=True)
