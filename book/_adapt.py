"""What every network of nn_tui.book changes in nn-tui's core networks.

The book's networks draw every random number from NumPy's global generator
(``np.random.randn`` for the weights, ``np.random.rand`` for dropout masks,
``np.random.choice`` for mini-batches), so ``np.random.seed(0)`` at the top of
a script makes a run repeatable.  nn-tui's core networks use their own
``np.random.Generator`` instead.  ``GLOBAL_RANDOM`` lets a core network draw
from the global generator, and ``BookNetwork`` gives a core network the
book's starting weights, its float64, its defaults and its fresh gradient
arrays.  Nothing here computes a layer: that stays in ``nn_tui.core``.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

import numpy as np

from nn_tui.core import layers as _layers
from nn_tui.core import networks as _networks

_ACTIVATION_LAYERS = (_layers.Relu, _layers.Sigmoid, _layers.Tanh)


class _GlobalState:
    """``bit_generator.state`` of NumPy's global generator, as a core network reads and restores it."""

    @property
    def state(self) -> dict[str, Any]:
        return np.random.get_state(legacy=False)

    @state.setter
    def state(self, value: dict[str, Any]) -> None:
        np.random.set_state(value)


class GlobalRandom:
    """NumPy's global generator (``np.random.*``) seen through what the core asks of a Generator.

    ``random(shape)`` is ``np.random.rand(*shape)``: a dropout layer given this
    draws the book's masks.  ``bit_generator.state`` lets
    ``MultiLayerNet.numerical_gradient`` replay the same masks for every
    nudged weight, as it does with its own Generator.
    """

    bit_generator = _GlobalState()

    def random(self, shape: Any = None, dtype: Any = np.float64) -> Any:
        return np.random.random_sample(shape).astype(dtype, copy=False)


GLOBAL_RANDOM = GlobalRandom()


def rows(x: Any) -> np.ndarray:
    """Images as one row each: the book's Affine flattens (N, 1, 28, 28) to (N, 784) itself."""
    x = np.asarray(x)
    return x.reshape(x.shape[0], -1) if x.ndim > 2 else x


class BookNetwork:
    """Mixed into a subclass of ``nn_tui.core.networks.MultiLayerNet`` (which does all the maths).

    - ``_book_start`` redraws the weights as the book does, with
      ``scale * np.random.randn(fan_in, fan_out)`` layer after layer, sends
      the dropout masks to the global generator and starts the batch-norm
      running variance at 0 as the book does;
    - ``loss`` evaluates in test mode unless ``train_flg=True`` (the book's
      default; ``gradient`` trains, as in the book);
    - ``gradient`` returns new arrays on every call, as the book's layers make
      them (the core reuses its arrays from one mini-batch to the next);
    - inputs shaped (N, 1, 28, 28) are flattened, as the book's Affine does.
    """

    params: dict[str, np.ndarray]
    layers: OrderedDict[str, Any]

    def _book_start(self, weight_init_std: Any, book_layer_names: bool) -> None:
        sizes = [self.input_size, *self.hidden_size_list, self.output_size]
        for idx in range(1, len(sizes)):
            scale = _networks.weight_scale(weight_init_std, sizes[idx - 1])
            # In place: the Affine layers hold these very arrays.
            self.params[f"W{idx}"][...] = scale * np.random.randn(sizes[idx - 1], sizes[idx])
        for layer in self.layers.values():
            if isinstance(layer, _layers.Dropout):
                layer.rng = GLOBAL_RANDOM
                # numerical_gradient replays the masks through self.rng.  Only
                # with dropout: saving np.random's state takes ~0.1 ms, and a
                # gradient check does it for every weight.
                self.rng = GLOBAL_RANDOM
            elif isinstance(layer, _layers.BatchNormalization):
                layer.running_var[...] = 0.0  # the book's start (core starts at 1: see core/layers.py)
        if book_layer_names:
            # The book names every activation layer "Activation_function<n>".
            renamed = OrderedDict()
            for key, layer in self.layers.items():
                if isinstance(layer, _ACTIVATION_LAYERS):
                    key = "Activation_function" + re.sub(r"\D", "", key)
                renamed[key] = layer
            self.layers = renamed

    def predict(self, x: Any, train_flg: bool = False) -> np.ndarray:
        return super().predict(rows(x), train_flg)  # type: ignore[misc]

    def loss(self, x: Any, t: Any, train_flg: bool = False) -> float:
        return super().loss(rows(x), t, train_flg)  # type: ignore[misc]

    def accuracy(self, x: Any, t: Any) -> float:
        return super().accuracy(rows(x), t)  # type: ignore[misc]

    def numerical_gradient(self, x: Any, t: Any) -> dict[str, np.ndarray]:
        return super().numerical_gradient(rows(x), t)  # type: ignore[misc]

    def gradient(self, x: Any, t: Any) -> dict[str, np.ndarray]:
        grads = super().gradient(rows(x), t)  # type: ignore[misc]
        return {key: grad.copy() for key, grad in grads.items()}
