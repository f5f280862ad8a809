"""The playground: small networks learning 2-D toy data (like TensorFlow Playground).

Four data sets drawn in the square [-1, 1] × [-1, 1] (the *data scale* is 1):
``circle`` (an inner disc against a ring), ``xor`` (the four quadrants),
``spiral`` (two interleaved spirals) and ``gaussian`` (2 to 4 blobs).
``noise`` is the standard deviation of the Gaussian jitter added to every
point, as a fraction of that scale (0 to 0.5).

A ``Playground`` holds one data set, split into training and test points,
and one ``MultiLayerNet`` (the book's network, ch. 6) with its optimiser.
``train(n)`` takes ``n`` full-batch steps: every step uses every training
point, because the sets are tiny (at most 1,000 points) and a full batch
gives a smooth loss curve a class can read. Changing the data or the
network's shape starts a new network; the learning rate and the L2
strength act on the running one, as in TensorFlow Playground.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from nn_tui.core.checks import number_in

from nn_tui.core.labs.curves import LossHistory
from nn_tui.core.functions import softmax
from nn_tui.core.networks import MultiLayerNet
from nn_tui.core.optimizers import Optimizer, make_optimizer

DATASETS: tuple[str, ...] = ("circle", "xor", "spiral", "gaussian")
ACTIVATION_NAMES: tuple[str, ...] = ("tanh", "relu", "sigmoid")
OPTIMIZER_NAMES: tuple[str, ...] = ("sgd", "momentum", "adam")

MAX_NOISE = 0.5
MIN_POINTS, MAX_POINTS = 50, 1000
MIN_TRAIN_RATIO, MAX_TRAIN_RATIO = 0.1, 0.9
MAX_CLASSES = 4
# Small enough that a training step stays well under a millisecond.
MAX_LAYERS, MAX_NEURONS = 6, 64
MAX_SEED = 2**32 - 1

# Where each blob of the ``gaussian`` set sits, and how wide it is before noise.
BLOB_CENTRES = ((-0.5, -0.5), (0.5, 0.5), (-0.5, 0.5), (0.5, -0.5))
BLOB_STD = 0.15
# The ``xor`` points keep this far from the axes, so the quadrants are clear at noise 0.
XOR_PADDING = 0.05
SPIRAL_TURNS = 1.0


def _whole(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}, got {value!r}")
    return int(value)


def _number(value: Any, what: str, low: float, high: float, *, low_open: bool = False) -> float:
    return number_in(value, what, low, high, low_open=low_open)


def _name(value: Any, what: str, choices: Sequence[str]) -> str:
    name = value.strip().lower() if isinstance(value, str) else value
    if name not in choices:
        raise ValueError(f"unknown {what} {value!r}; choose one of {', '.join(choices)}")
    return name


# --- the data sets ------------------------------------------------------------------


def make_dataset(
    name: str, n_points: int = 200, noise: float = 0.0, *, classes: int = 2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``n_points`` points X (N, 2) and their labels y (N,), the same for the same seed.

    ``classes`` (2 to 4) is used by ``gaussian`` only; the other sets have two.
    """
    name = _name(name, "data set", DATASETS)
    n = _whole(n_points, "n_points", MIN_POINTS, MAX_POINTS)
    noise = _number(noise, "noise", 0.0, MAX_NOISE)
    k = _whole(classes, "classes", 2, MAX_CLASSES) if name == "gaussian" else 2
    rng = np.random.default_rng(seed)
    y = np.arange(n) % k  # classes as even as n allows
    if name == "circle":
        # Inner disc r < 0.5 is class 0, the ring 0.7 < r < 1 class 1.
        r = np.where(y == 0, 0.5 * np.sqrt(rng.uniform(size=n)), rng.uniform(0.7, 1.0, size=n))
        angle = rng.uniform(0.0, 2 * np.pi, size=n)
        x = np.column_stack((r * np.cos(angle), r * np.sin(angle)))
    elif name == "xor":
        x = rng.uniform(XOR_PADDING, 1.0, size=(n, 2))
        # Class 1 where the two signs differ: x1 > 0 XOR x2 > 0.
        flip = rng.integers(0, 2, size=n)
        x[:, 0] *= np.where(flip == 1, 1.0, -1.0)
        x[:, 1] *= np.where((flip == 1) != (y == 1), 1.0, -1.0)
    elif name == "spiral":
        # Each spiral turns once outward; the second is the first rotated by π.
        s = rng.uniform(size=n)
        angle = SPIRAL_TURNS * 2 * np.pi * s + np.pi * y
        r = 0.05 + 0.95 * s
        x = np.column_stack((r * np.sin(angle), r * np.cos(angle)))
    else:
        centres = np.asarray(BLOB_CENTRES[:k])
        x = centres[y] + rng.normal(0.0, BLOB_STD, size=(n, 2))
    if noise:
        x = x + rng.normal(0.0, noise, size=(n, 2))
    return x.astype(np.float64), y.astype(np.int64)


@dataclass(frozen=True)
class DataSpec:
    """Which data set, how many points, how noisy, and the share kept for training."""

    name: str = "circle"
    n_points: int = 200
    noise: float = 0.05
    train_ratio: float = 0.5
    classes: int = 2
    seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _name(self.name, "data set", DATASETS))
        _whole(self.n_points, "the number of points", MIN_POINTS, MAX_POINTS)
        object.__setattr__(self, "noise", _number(self.noise, "noise", 0.0, MAX_NOISE))
        object.__setattr__(
            self, "train_ratio", _number(self.train_ratio, "the training share", MIN_TRAIN_RATIO, MAX_TRAIN_RATIO)
        )
        _whole(self.classes, "the number of classes", 2, MAX_CLASSES)
        _whole(self.seed, "the seed", 0, MAX_SEED)

    @property
    def n_classes(self) -> int:
        return self.classes if self.name == "gaussian" else 2


@dataclass(frozen=True)
class Split:
    """A data set cut into training points and test points (test points are never trained on)."""

    x_train: np.ndarray
    t_train: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray


def split_data(x: np.ndarray, t: np.ndarray, train_ratio: float = 0.5, *, seed: int = 0) -> Split:
    """A random train/test split, ``round(N · train_ratio)`` points for training."""
    x, t = np.asarray(x), np.asarray(t)
    if x.ndim != 2 or x.shape[1] != 2 or t.shape != (x.shape[0],):
        raise ValueError(f"x must be (N, 2) and t (N,), got {x.shape} and {t.shape}")
    ratio = _number(train_ratio, "the training share", MIN_TRAIN_RATIO, MAX_TRAIN_RATIO)
    n_train = round(x.shape[0] * ratio)
    if not 1 <= n_train < x.shape[0]:
        raise ValueError(f"{x.shape[0]} points cannot be split {ratio:.0%} / {1 - ratio:.0%}")
    order = np.random.default_rng(seed).permutation(x.shape[0])
    train, test = order[:n_train], order[n_train:]
    return Split(x[train], t[train], x[test], t[test])


def make_split(data: DataSpec) -> Split:
    """The points ``data`` describes, already split."""
    x, t = make_dataset(data.name, data.n_points, data.noise, classes=data.classes, seed=data.seed)
    return split_data(x, t, data.train_ratio, seed=data.seed + 1)


# --- the network ----------------------------------------------------------------------


def parse_hidden_layers(text: str) -> tuple[int, ...]:
    """ "8, 8" -> (8, 8): neurons per hidden layer, 1 to 6 layers of 1 to 64 neurons."""
    if not isinstance(text, str):
        raise ValueError(f"hidden layers must be text like '8,8', got {text!r}")
    parts = [p for p in re.split(r"[,\s;]+", text.strip()) if p]
    if not parts:
        raise ValueError("give at least one hidden layer, e.g. '8' or '8,8'")
    sizes = []
    for part in parts:
        if not re.fullmatch(r"\d+", part):
            raise ValueError(f"{part!r} is not a whole number of neurons; write the layers like '8,8'")
        sizes.append(int(part))
    return check_hidden_layers(sizes)


def check_hidden_layers(sizes: Sequence[int]) -> tuple[int, ...]:
    """``sizes`` as a tuple, or a ValueError a student can act on."""
    sizes = tuple(sizes)
    if not 1 <= len(sizes) <= MAX_LAYERS:
        raise ValueError(f"use 1 to {MAX_LAYERS} hidden layers, got {len(sizes)}")
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not 1 <= size <= MAX_NEURONS:
            raise ValueError(f"every hidden layer needs 1 to {MAX_NEURONS} neurons, got {size!r}")
    return tuple(int(s) for s in sizes)


def format_hidden_layers(sizes: Sequence[int]) -> str:
    return ",".join(str(s) for s in sizes)


@dataclass(frozen=True)
class NetSpec:
    """The network's shape and how it learns."""

    hidden: tuple[int, ...] = (8, 8)
    activation: str = "tanh"
    lr: float = 0.01
    l2: float = 0.0
    optimizer: str = "adam"
    seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden", check_hidden_layers(self.hidden))
        object.__setattr__(self, "activation", _name(self.activation, "activation", ACTIVATION_NAMES))
        object.__setattr__(self, "lr", _number(self.lr, "the learning rate", 0.0, 10.0, low_open=True))
        object.__setattr__(self, "l2", _number(self.l2, "the L2 strength λ", 0.0, 1.0))
        object.__setattr__(self, "optimizer", _name(self.optimizer, "optimiser", OPTIMIZER_NAMES))
        _whole(self.seed, "the seed", 0, MAX_SEED)

    @property
    def weight_init(self) -> str:
        # The book's advice (ch. 6): He for ReLU, Xavier for sigmoid and tanh.
        return "he" if self.activation == "relu" else "xavier"



@dataclass(frozen=True)
class DecisionGrid:
    """The network's answer on a grid: row 0 is the top (largest y), column 0 the left.

    ``classes[r, c]`` is the predicted class at the centre of cell (r, c) and
    ``confidence[r, c]`` its softmax probability (1/k .. 1).
    """

    xs: np.ndarray
    ys: np.ndarray
    classes: np.ndarray
    confidence: np.ndarray


def grid_centres(
    x_range: tuple[float, float], y_range: tuple[float, float], width: int, height: int
) -> tuple[np.ndarray, np.ndarray]:
    """The centres of ``width`` × ``height`` cells, as two (height, width) arrays, top row first."""
    width = _whole(width, "width", 1, 10_000)
    height = _whole(height, "height", 1, 10_000)
    (x0, x1), (y0, y1) = x_range, y_range
    for low, high, what in ((x0, x1, "x_range"), (y0, y1, "y_range")):
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise ValueError(f"{what} must be two finite numbers, low < high, got ({low!r}, {high!r})")
    xs = x0 + (np.arange(width) + 0.5) / width * (x1 - x0)
    ys = y1 - (np.arange(height) + 0.5) / height * (y1 - y0)
    return np.meshgrid(xs, ys)


def _changed(spec: Any, changes: dict[str, Any]) -> Any:
    """``spec`` with ``changes``; an unknown setting is a ValueError naming the known ones."""
    known = [f.name for f in fields(spec)]
    unknown = sorted(set(changes) - set(known))
    if unknown:
        raise ValueError(f"unknown setting {', '.join(unknown)}; the settings are {', '.join(known)}")
    return replace(spec, **changes)


class Playground:
    """One data set, one network, and the record of its training."""

    def __init__(self, data: DataSpec | None = None, net: NetSpec | None = None) -> None:
        self.data = data or DataSpec()
        self.net = net or NetSpec()
        self.split = make_split(self.data)
        self.reset()

    # -- set-up -------------------------------------------------------------------
    def reset(self) -> None:
        """A fresh network (same seed, so the same starting weights) and an empty history."""
        self.network = MultiLayerNet(
            2,
            list(self.net.hidden),
            self.data.n_classes,
            activation=self.net.activation,
            weight_init=self.net.weight_init,
            weight_decay_lambda=self.net.l2,
            dtype=np.float64,
            seed=self.net.seed,
        )
        self.optimizer: Optimizer = make_optimizer(self.net.optimizer, self.net.lr)
        self.iteration = 0
        self.history = LossHistory()
        self.diverged = False
        self._loss = self.network.loss(self.split.x_train, self.split.t_train)

    def set_data(self, **changes: Any) -> None:
        """Change the data (name, n_points, noise, train_ratio, classes, seed): new points, new network.

        A bad value raises ValueError and changes nothing.
        """
        data = _changed(self.data, changes)
        split = make_split(data)
        self.data, self.split = data, split
        self.reset()

    def set_network(self, **changes: Any) -> None:
        """Change the network (hidden, activation, lr, l2, optimizer, seed).

        The learning rate and λ act on the running network; any other change
        starts a new one. A bad value raises ValueError and changes nothing.
        """
        net = _changed(self.net, changes)
        keeps_weights = set(changes) <= {"lr", "l2"}
        self.net = net
        if keeps_weights and not self.diverged:
            self.optimizer.lr = net.lr
            self.network.weight_decay_lambda = net.l2
            self._loss = self.network.loss(self.split.x_train, self.split.t_train)
        else:
            self.reset()

    # -- training -------------------------------------------------------------------
    def train(self, iterations: int) -> int:
        """Take up to ``iterations`` full-batch steps; returns how many were taken.

        Stops early, and sets ``diverged``, when the loss stops being a finite
        number (a learning rate far too large); a diverged network takes no
        more steps until ``reset``.
        """
        iterations = _whole(iterations, "iterations", 0, 1_000_000)
        x, t = self.split.x_train, self.split.t_train
        done = 0
        with np.errstate(all="ignore"):  # overflow is what `diverged` reports
            while done < iterations and not self.diverged:
                grads = self.network.gradient(x, t, validate=False)
                loss = self.network.last_loss
                if not math.isfinite(loss) or not all(np.isfinite(g).all() for g in grads.values()):
                    self.diverged = True
                    self._loss = math.nan
                    break
                self.optimizer.update(self.network.params, grads)
                self.history.append(loss)
                self.iteration += 1
                done += 1
            if not self.diverged:
                self._loss = self.network.loss(x, t)
                if not math.isfinite(self._loss):
                    self.diverged = True
        return done

    @property
    def loss(self) -> float:
        """Training loss of the network as it is now (cross-entropy + 0.5·λ·ΣW²); nan if diverged."""
        return self._loss

    @property
    def test_loss(self) -> float:
        if self.diverged:
            return math.nan
        with np.errstate(all="ignore"):
            return self.network.loss(self.split.x_test, self.split.t_test)

    @property
    def train_accuracy(self) -> float:
        return self._accuracy(self.split.x_train, self.split.t_train)

    @property
    def test_accuracy(self) -> float:
        return self._accuracy(self.split.x_test, self.split.t_test)

    def _accuracy(self, x: np.ndarray, t: np.ndarray) -> float:
        if self.diverged:
            return math.nan
        with np.errstate(all="ignore"):
            return self.network.accuracy(x, t)

    # -- what the network says about the plane ---------------------------------------
    def classify(self, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Predicted class and its probability at each point (xs[i], ys[i]), in xs's shape."""
        xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
        if xs.shape != ys.shape:
            raise ValueError(f"xs and ys must have the same shape, got {xs.shape} and {ys.shape}")
        if self.diverged:
            raise ValueError("the network diverged (its loss is not a number): reset it first")
        points = np.column_stack((xs.ravel(), ys.ravel()))
        with np.errstate(all="ignore"):
            probs = softmax(self.network.predict(points))
        return probs.argmax(axis=1).reshape(xs.shape), probs.max(axis=1).reshape(xs.shape)

    def decision_grid(
        self, x_range: tuple[float, float], y_range: tuple[float, float], width: int, height: int
    ) -> DecisionGrid:
        """Predicted class and probability at the centre of each of ``width`` × ``height`` cells."""
        xs, ys = grid_centres(x_range, y_range, width, height)
        classes, confidence = self.classify(xs, ys)
        return DecisionGrid(xs, ys, classes, confidence)


# --- the overfitting demonstration -----------------------------------------------------

# Noisy spirals with few points: few neurons cannot follow the training points'
# noise, many neurons learn it by heart ("神经元越多，过拟合风险越大").
OVERFIT_DATA = DataSpec("spiral", n_points=100, noise=0.2, train_ratio=0.5)
OVERFIT_PRESETS: dict[str, NetSpec] = {
    "few": NetSpec(hidden=(2,), activation="tanh", lr=0.03, optimizer="adam"),
    "many": NetSpec(hidden=(64, 64), activation="tanh", lr=0.03, optimizer="adam"),
}


def overfit_playground(preset: str) -> Playground:
    """The playground for the "few neurons" or "many neurons" side of the demonstration."""
    preset = _name(preset, "preset", tuple(OVERFIT_PRESETS))
    return Playground(OVERFIT_DATA, OVERFIT_PRESETS[preset])
