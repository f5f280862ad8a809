"""The book's fully connected networks: TwoLayerNet (ch. 5) and MultiLayerNet (ch. 6).

``MultiLayerNet`` is the book's ``MultiLayerNetExtend``: any number of hidden
layers, sigmoid/ReLU/tanh, 0.01·randn / Xavier / He initial weights, weight
decay, dropout and batch normalisation.  ``TwoLayerNet`` is the same class
with one hidden layer and the book's ch. 5 arguments.

Parameters live in ``net.params`` under the book's keys (``W1``, ``b1``, ...,
``gamma1``, ``beta1``); the layers hold the same arrays, so an optimiser that
updates ``params`` in place updates the network.

Speed, without changing the maths: float32 by default, label-index targets,
no gradient for the input images, gradients written into arrays that are
reused from one mini-batch to the next (see ``gradient``).
"""

from __future__ import annotations

import copy
import math
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Union

import numpy as np

from nn_tui.core.layers import (
    BATCH_MEMORY,
    Affine,
    BatchNormalization,
    Dropout,
    Relu,
    Sigmoid,
    SoftmaxWithLoss,
    Tanh,
)
from nn_tui.core.refusal import Refusal

ACTIVATIONS = {"relu": Relu, "sigmoid": Sigmoid, "tanh": Tanh}

# Rows per chunk when predicting many samples: 10,000 test digits at once
# would need a 10,000 x hidden temporary per layer for no gain in speed. 250
# rows check 60,000 digits as fast as 1,000 did (within 5 %, measured with
# hidden layers of 50 to 500 + 300), in a quarter of the memory.
PREDICT_CHUNK = 250

# The layer limit keeps a typo ("--hidden 1000000") from allocating gigabytes.
MAX_UNITS = 100_000

# Gradients smaller than this count as zero in gradient_check: central
# differences with h = 1e-4 cannot resolve less (a bias followed by batch
# norm has a true gradient of exactly 0, and a numerical one of ~1e-12).
GRADIENT_FLOOR = 1e-4

WeightInit = Union[str, float]
Seed = Union[int, np.random.Generator, np.random.SeedSequence, None]


def parse_dtype(dtype: Any) -> np.dtype:
    """np.float32 / np.float64 (or their names) as a dtype; anything else is a ValueError."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
    return dt


def weight_scale(weight_init: WeightInit, fan_in: int) -> float:
    """Standard deviation of a layer's initial weights, the book's way.

    ``"he"`` (alias ``"relu"``): sqrt(2 / fan_in); ``"xavier"`` (alias
    ``"sigmoid"``): sqrt(1 / fan_in); ``"std:0.01"`` or a number: that std.
    """
    if isinstance(weight_init, str):
        name = weight_init.strip().lower()
        if name in ("he", "relu"):
            return math.sqrt(2.0 / fan_in)
        if name in ("xavier", "sigmoid"):
            return math.sqrt(1.0 / fan_in)
        if name.startswith("std:"):
            return _check_std(name[4:], weight_init)
        raise ValueError(
            f"unknown weight init {weight_init!r}; use 'he', 'xavier', 'std:0.01' or a number"
        )
    return _check_std(weight_init, weight_init)


def _check_std(value: Any, original: Any) -> float:
    try:
        std = float(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"weight init {original!r} is not a number; use 'he', 'xavier', 'std:0.01' or a number"
        ) from None
    if isinstance(value, bool) or not math.isfinite(std) or std <= 0:
        raise ValueError(f"the initial weights' std must be a finite number > 0, got {original!r}")
    return std


def _check_size(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 1 <= value <= MAX_UNITS:
        raise ValueError(f"{what} must be a whole number from 1 to {MAX_UNITS:,}, got {value!r}")
    return int(value)


class MultiLayerNet:
    """A fully connected network: (Affine [→ BatchNorm] → activation [→ Dropout]) × n → Affine → Softmax.

    ``dropout_ratio=0`` means no dropout layers; ``seed`` fixes the initial
    weights and the dropout masks.
    """

    def __init__(self, input_size: int, hidden_size_list: Sequence[int], output_size: int,
                 activation: str = "relu", weight_init: WeightInit = "std:0.01",
                 weight_decay_lambda: float = 0.0, dropout_ratio: float = 0.0,
                 use_batchnorm: bool = False, dtype: Any = np.float32,
                 seed: Seed = None) -> None:
        self.input_size = _check_size(input_size, "input_size")
        if isinstance(hidden_size_list, (int, np.integer)):
            hidden_size_list = [hidden_size_list]
        self.hidden_size_list = [_check_size(h, "every hidden layer size") for h in hidden_size_list]
        if not self.hidden_size_list:
            raise ValueError("hidden_size_list needs at least one hidden layer")
        self.output_size = _check_size(output_size, "output_size")
        if output_size < 2:
            raise ValueError(f"output_size must be at least 2 classes, got {output_size}")
        if not isinstance(activation, str) or activation.lower() not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
        self.activation = activation.lower()
        weight_scale(weight_init, 1)  # raises ValueError if it is not understood
        self.weight_init = weight_init if isinstance(weight_init, str) else float(weight_init)
        self.weight_decay_lambda = _check_nonnegative(weight_decay_lambda, "weight_decay_lambda")
        self.dropout_ratio = _check_nonnegative(dropout_ratio, "dropout_ratio")
        if self.dropout_ratio >= 1:
            raise ValueError(f"dropout_ratio must be in [0, 1), got {dropout_ratio!r}")
        self.use_batchnorm = bool(use_batchnorm)
        self.dtype = parse_dtype(dtype)
        self.rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.hidden_layer_num = len(self.hidden_size_list)
        self.params: dict[str, np.ndarray] = {}
        self.last_loss: float | None = None

        self._init_weight(weight_init)
        self.layers: OrderedDict[str, Any] = OrderedDict()
        for idx in range(1, self.hidden_layer_num + 1):
            self.layers[f"Affine{idx}"] = Affine(self.params[f"W{idx}"], self.params[f"b{idx}"])
            if self.use_batchnorm:
                size = self.hidden_size_list[idx - 1]
                self.params[f"gamma{idx}"] = np.ones(size, dtype=self.dtype)
                self.params[f"beta{idx}"] = np.zeros(size, dtype=self.dtype)
                self.layers[f"BatchNorm{idx}"] = BatchNormalization(
                    self.params[f"gamma{idx}"], self.params[f"beta{idx}"])
            act = ACTIVATIONS[self.activation]
            self.layers[f"{act.__name__}{idx}"] = act()
            if self.dropout_ratio > 0:
                self.layers[f"Dropout{idx}"] = Dropout(self.dropout_ratio, rng=self.rng)
        idx = self.hidden_layer_num + 1
        self.layers[f"Affine{idx}"] = Affine(self.params[f"W{idx}"], self.params[f"b{idx}"])
        self.layers["Affine1"].need_dx = False
        self.last_layer = SoftmaxWithLoss()
        self._grads: dict[str, np.ndarray] = {}

    def _init_weight(self, weight_init: WeightInit) -> None:
        sizes = [self.input_size, *self.hidden_size_list, self.output_size]
        for idx in range(1, len(sizes)):
            scale = weight_scale(weight_init, sizes[idx - 1])
            # Drawn in float64 and then rounded, so one seed gives the same
            # starting weights in float32 and float64.
            with np.errstate(over="ignore", invalid="ignore"):  # said in words just below
                w = (scale * self.rng.standard_normal((sizes[idx - 1], sizes[idx]))).astype(self.dtype)
            if not np.isfinite(w).all():
                dtype = np.dtype(self.dtype).name
                raise Refusal("network.init_overflow", f"initial weights with std {scale:g} overflow {dtype}: "
                              "choose a smaller std", std=f"{scale:g}", dtype=dtype)
            self.params[f"W{idx}"] = w
            self.params[f"b{idx}"] = np.zeros(sizes[idx], dtype=self.dtype)

    # -- copies ----------------------------------------------------------
    def copy(self) -> MultiLayerNet:
        """An independent copy of what the network is and has learned, without its last batch.

        Weights, biases, batch-norm statistics and the dropout generator are
        copied. What each layer kept of its last forward pass for backward is
        not: a mini-batch's worth per layer (megabytes for a wide network) that
        the next forward pass overwrites anyway.
        """
        # deepcopy takes an object found in its memo as already copied: the
        # batch arrays are "copied" as None.
        leave_out: dict[int, Any] = {id(value): None for _layer, _name, value in self._batch_memory()}
        return copy.deepcopy(self, leave_out)

    def forget_batch(self) -> None:
        """Drop what the layers kept of the last forward pass for backward; the next forward keeps its own.

        Counting correct answers and measuring activations call it when they
        are done: no backward pass follows them, and what the layers kept
        (a chunk of up to 1,000 rows per layer, and through the first layer
        the caller's input) would stay until the next training step, for
        good on a copy kept for "look inside".
        """
        for layer, name, _value in self._batch_memory():
            setattr(layer, name, None)

    def _batch_memory(self) -> list[tuple[Any, str, np.ndarray]]:
        return [(layer, name, value) for layer in (*self.layers.values(), self.last_layer) for name in BATCH_MEMORY
                if isinstance(value := getattr(layer, name, None), np.ndarray)]

    # -- forward ---------------------------------------------------------
    def predict(self, x: np.ndarray, train_flg: bool = False) -> np.ndarray:
        """Scores (before softmax) for a batch ``x`` of shape (N, input_size)."""
        x = self._check_x(x)
        return self._predict(x, train_flg)

    def _predict(self, x: np.ndarray, train_flg: bool) -> np.ndarray:
        for layer in self.layers.values():
            if isinstance(layer, (Dropout, BatchNormalization)):
                x = layer.forward(x, train_flg)
            else:
                x = layer.forward(x)
        return x

    def loss(self, x: np.ndarray, t: np.ndarray, train_flg: bool = True) -> float:
        """Cross-entropy of the batch plus the weight decay 0.5·λ·ΣW² (the book's)."""
        return self._loss(self._check_x(x), t, train_flg)

    def _loss(self, x: np.ndarray, t: np.ndarray, train_flg: bool) -> float:
        y = self._predict(x, train_flg)
        loss = self.last_layer.forward(y, t)
        if self.weight_decay_lambda:
            decay = 0.0
            for idx in range(1, self.hidden_layer_num + 2):
                w = self.params[f"W{idx}"].ravel()
                decay += float(np.dot(w, w))
            loss += 0.5 * self.weight_decay_lambda * decay
        return loss

    def accuracy(self, x: np.ndarray, t: np.ndarray, batch_size: int = PREDICT_CHUNK) -> float:
        """Fraction of samples whose highest score is the label (t: labels or one-hot)."""
        x = self._check_x(x)
        t = np.asarray(t)
        if t.ndim == 2:
            t = np.argmax(t, axis=1)
        if t.shape != (x.shape[0],):
            raise ValueError(f"got {t.shape[0] if t.ndim else 0} labels for {x.shape[0]} samples")
        if x.shape[0] == 0:
            raise ValueError("accuracy of an empty batch is undefined")
        return self.count_correct(x, t, batch_size) / x.shape[0]

    def count_correct(self, x: np.ndarray, t: np.ndarray, batch_size: int = PREDICT_CHUNK) -> int:
        """How many rows of ``x`` are classified as their label ``t`` (x already checked)."""
        correct = 0
        for start in range(0, x.shape[0], batch_size):
            y = self._predict(x[start:start + batch_size], train_flg=False)
            correct += int(np.count_nonzero(np.argmax(y, axis=1) == t[start:start + batch_size]))
        self.forget_batch()  # no backward follows: see forget_batch
        return correct

    def activations(self, x: np.ndarray, train_flg: bool = False) -> list[np.ndarray]:
        """The output of every hidden layer's activation function (copies), for histograms."""
        x = self._check_x(x)
        outputs = []
        for layer in self.layers.values():
            if isinstance(layer, (Dropout, BatchNormalization)):
                x = layer.forward(x, train_flg)
            else:
                x = layer.forward(x)
            if isinstance(layer, tuple(ACTIVATIONS.values())):
                outputs.append(x.copy())
        self.forget_batch()  # no backward follows: see forget_batch
        return outputs

    # -- gradients -------------------------------------------------------
    def gradient(self, x: np.ndarray, t: np.ndarray, validate: bool = True) -> dict[str, np.ndarray]:
        """Gradients of the loss by backpropagation; the loss is kept in ``last_loss``.

        The returned arrays are reused by the next call (that is what makes a
        training step cheap): copy them if you want to keep them.
        ``validate=False`` skips the input checks, for a trainer that has
        checked its data once.
        """
        if validate:
            x = self._check_x(x)
        self.last_loss = self._loss(x, t, train_flg=True)

        dout = self.last_layer.backward(1.0)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)

        grads = self._grads
        lam = self.weight_decay_lambda
        for idx in range(1, self.hidden_layer_num + 2):
            affine = self.layers[f"Affine{idx}"]
            if lam:
                g = grads.get(f"W{idx}")
                if g is None or g.shape != affine.dW.shape:
                    g = grads[f"W{idx}"] = np.empty_like(affine.dW)
                np.multiply(self.params[f"W{idx}"], lam, out=g)
                g += affine.dW
            else:
                grads[f"W{idx}"] = affine.dW
            grads[f"b{idx}"] = affine.db
            if self.use_batchnorm and idx <= self.hidden_layer_num:
                bn = self.layers[f"BatchNorm{idx}"]
                grads[f"gamma{idx}"] = bn.dgamma
                grads[f"beta{idx}"] = bn.dbeta
        return grads

    def numerical_gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Gradients by central differences (slow: two forward passes per parameter).

        Every evaluation replays the same dropout masks, and the batch-norm
        running averages are restored afterwards, so calling this does not
        change the network.
        """
        from nn_tui.core.gradient import numerical_gradient

        x = self._check_x(x)
        rng_state = self.rng.bit_generator.state
        saved = self._running_stats()

        def loss_w(_: np.ndarray) -> float:
            self.rng.bit_generator.state = rng_state
            return self._loss(x, t, train_flg=True)

        try:
            grads = {key: numerical_gradient(loss_w, param) for key, param in self.params.items()}
        finally:
            self.rng.bit_generator.state = rng_state
            self._restore_running_stats(saved)
        return grads

    # -- state -------------------------------------------------------------
    def spec(self) -> dict[str, Any]:
        """The constructor arguments as plain JSON values (what a checkpoint records)."""
        return {
            "input_size": self.input_size,
            "hidden_size_list": list(self.hidden_size_list),
            "output_size": self.output_size,
            "activation": self.activation,
            "weight_init": self.weight_init,
            "weight_decay_lambda": self.weight_decay_lambda,
            "dropout_ratio": self.dropout_ratio,
            "use_batchnorm": self.use_batchnorm,
            "dtype": self.dtype.name,
        }

    def state(self) -> dict[str, np.ndarray]:
        """Every array that defines the network: params plus batch-norm running averages."""
        arrays = dict(self.params)
        for idx in range(1, self.hidden_layer_num + 1):
            if self.use_batchnorm:
                bn = self.layers[f"BatchNorm{idx}"]
                arrays[f"running_mean{idx}"] = bn.running_mean
                arrays[f"running_var{idx}"] = bn.running_var
        return arrays

    def load_state(self, arrays: dict[str, np.ndarray]) -> None:
        """Copy arrays (as from ``state()``) into this network, checking every name and shape."""
        mine = self.state()
        missing = sorted(set(mine) - set(arrays))
        extra = sorted(set(arrays) - set(mine))
        if missing or extra:
            raise ValueError(
                "the arrays do not fit this network"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unexpected {', '.join(extra)}" if extra else "")
            )
        for key, target in mine.items():
            source = np.asarray(arrays[key])
            if source.shape != target.shape:
                raise ValueError(f"{key} has shape {source.shape}, this network needs {target.shape}")
            if not np.issubdtype(source.dtype, np.floating) or not np.isfinite(source).all():
                raise ValueError(f"{key} must hold finite floating-point numbers")
        for key, target in mine.items():
            # In place: the layers hold these very arrays.
            np.copyto(target, arrays[key], casting="same_kind")

    def _running_stats(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(layer.running_mean.copy(), layer.running_var.copy())
                for layer in self.layers.values() if isinstance(layer, BatchNormalization)]

    def _restore_running_stats(self, saved: list[tuple[np.ndarray, np.ndarray]]) -> None:
        bns = [layer for layer in self.layers.values() if isinstance(layer, BatchNormalization)]
        for layer, (mean, var) in zip(bns, saved):
            layer.running_mean[...] = mean
            layer.running_var[...] = var

    def _check_x(self, x: Any) -> np.ndarray:
        """x as a 2-D array of this network's dtype, or a ValueError saying what is wrong."""
        x = np.asarray(x)
        if x.dtype == np.uint8:
            raise ValueError(
                "x holds raw uint8 pixels 0..255: normalise them to 0..1 first "
                "(nn_tui.core.data.mnist.normalize)"
            )
        if x.dtype.kind not in "fiub":
            raise ValueError(f"x must hold numbers, got dtype {x.dtype}")
        if x.ndim == 1:
            x = x.reshape(1, -1)
        if x.ndim != 2 or x.shape[1] != self.input_size:
            raise ValueError(
                f"x must have shape (N, {self.input_size}) for this network, got {np.shape(x)}"
            )
        x = x.astype(self.dtype, copy=False)
        if not np.isfinite(x).all():
            raise ValueError("x contains NaN or infinite values")
        return x


class TwoLayerNet(MultiLayerNet):
    """The book's ch. 5 network: Affine1 → Relu1 → Affine2 → SoftmaxWithLoss.

    ``activation="sigmoid"`` gives the ch. 4 version.
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 weight_init_std: WeightInit = 0.01, activation: str = "relu",
                 dtype: Any = np.float32, seed: Seed = None) -> None:
        super().__init__(input_size, [hidden_size], output_size, activation=activation,
                         weight_init=weight_init_std, dtype=dtype, seed=seed)


def build_network(spec: dict[str, Any], seed: Seed = None) -> MultiLayerNet:
    """A new network from ``spec()`` output (a checkpoint's architecture)."""
    return MultiLayerNet(seed=seed, **spec)


def gradient_check(net: MultiLayerNet, x: np.ndarray, t: np.ndarray) -> dict[str, float]:
    """Backprop vs numerical gradient: for each parameter, the largest difference
    relative to the largest gradient entry of that parameter.

    Use a float64 network and a small batch; both gradients see the same
    dropout masks, so the check is exact for dropout too.
    """
    rng_state = net.rng.bit_generator.state
    saved = net._running_stats()
    backprop = {key: g.copy() for key, g in net.gradient(x, t).items()}
    net.rng.bit_generator.state = rng_state
    net._restore_running_stats(saved)
    numerical = net.numerical_gradient(x, t)
    errors = {}
    for key, g in backprop.items():
        scale = max(float(np.abs(g).max()), float(np.abs(numerical[key]).max()), GRADIENT_FLOOR)
        errors[key] = float(np.abs(g - numerical[key]).max()) / scale
    return errors


def _check_nonnegative(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite number >= 0, got {value!r}")
    return value


def training_memory_estimate(input_size: int, hidden_sizes: Sequence[int], output_size: int, *,
                             batch_size: int, optimizer: str = "sgd", dtype: Any = np.float32,
                             batchnorm: bool = False, dropout: float = 0.0,
                             weight_decay: float = 0.0) -> int:
    """Bytes that training such a network takes at its peak: an estimate made before allocating anything.

    It counts, in the network's dtype: the parameters, their gradients (a
    second copy of every W with weight decay), the optimiser's state (none
    for sgd, one array per parameter for momentum, nesterov, adagrad and
    rmsprop, two for adam) and its scratch array; what a mini-batch of
    ``batch_size`` rows keeps for backpropagation and its temporaries; two
    evaluation chunks of ``PREDICT_CHUNK`` rows; and, while the weights are
    drawn, two float64 temporaries of the largest layer. The training images
    (already loaded) are not counted. It errs on the high side: measured
    peaks are between half of it and all of it.
    """
    if isinstance(hidden_sizes, (int, np.integer)):
        hidden_sizes = [hidden_sizes]
    hidden = [_check_size(h, "every hidden layer size") for h in hidden_sizes]
    if not hidden:
        raise ValueError("hidden_sizes needs at least one hidden layer")
    sizes = [_check_size(input_size, "input_size"), *hidden, _check_size(output_size, "output_size")]
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number >= 1, got {batch_size!r}")
    # Arrays of state per parameter, besides the scratch array every rule has.
    state_arrays = {"sgd": 0, "momentum": 1, "nesterov": 1, "adagrad": 1, "rmsprop": 1, "adam": 2}
    name = optimizer.strip().lower() if isinstance(optimizer, str) else optimizer
    if name not in state_arrays:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose one of {', '.join(state_arrays)}")
    item = parse_dtype(dtype).itemsize
    bn, drop = int(bool(batchnorm)), int(bool(dropout))
    layers = list(zip(sizes, sizes[1:]))
    weights = sum(a * b for a, b in layers)
    params = weights + sum(sizes[1:]) + 2 * bn * sum(hidden)
    # parameters, gradients, optimiser state and scratch; batch-norm running
    # averages; the separate W gradients that weight decay writes
    arrays = params * (3 + state_arrays[name]) + 2 * bn * sum(hidden) + (weights if weight_decay else 0)
    widest = max(sizes[1:])
    # A training step: the float batch and its uint8 rows; per hidden unit the
    # output kept for backward (plus xc and xn with batch norm) and one-byte
    # masks; temporaries of the widest layer going forward and back; softmax.
    rows = int(batch_size)
    step = rows * (sizes[0] * (item + 1) + sum(hidden) * ((1 + 2 * bn) * item + 1 + drop)
                   + widest * (3 + bn + drop) * item + 4 * sizes[-1] * item)
    # Evaluation: a chunk's outputs and masks, kept by the layers until the
    # next chunk has replaced them (so two at once), and its temporaries.
    chunk = PREDICT_CHUNK * (2 * (sizes[0] + sum(sizes[1:])) * item + 2 * sum(hidden)
                             + widest * (2 + 2 * bn) * item)
    training = arrays * item + step + chunk
    # Drawing the initial weights: float64 normals, then scaled (another float64 array).
    drawing = params * item + 16 * max(a * b for a, b in layers)
    return int(max(training, drawing))
