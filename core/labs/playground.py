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

Whatever a student can get wrong (a hidden-layer list that is not one, a
value out of range, a step on a network that diverged) is refused with a
`Refusal`: a code and its values, translated by the lesson's catalogue.
``to_state`` / ``from_state`` write a playground as plain JSON data (the
settings, the trained weights, the optimiser's moments and every loss so
far) and read it back exactly, so a restored lesson paints the same map.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from nn_tui.core.functions import softmax
from nn_tui.core.labs.curves import LossHistory
from nn_tui.core.networks import MultiLayerNet
from nn_tui.core.optimizers import Adam, Optimizer, make_optimizer
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import MAX_ITEMS, Fields

DATASETS: tuple[str, ...] = ("circle", "xor", "spiral", "gaussian")
ACTIVATION_NAMES: tuple[str, ...] = ("tanh", "relu", "sigmoid")
OPTIMIZER_NAMES: tuple[str, ...] = ("sgd", "momentum", "adam")

MAX_NOISE = 0.5
MIN_POINTS, MAX_POINTS = 50, 1000
MIN_TRAIN_RATIO, MAX_TRAIN_RATIO = 0.1, 0.9
MAX_CLASSES = 4
# Small enough that a training step stays well under a millisecond.
MAX_LAYERS, MAX_NEURONS = 6, 64
MAX_LR, MAX_L2 = 10.0, 1.0  # the learning rate is in (0, MAX_LR], λ in [0, MAX_L2]
MAX_SEED = 2**32 - 1
# A state document keeps every loss of the run, and a document's lists are
# bounded: a network stops learning here (at 200 steps a second, after more
# than eight minutes) and is started again with r.
MAX_ITERATIONS = MAX_ITEMS
# The optimisers' running state, by optimiser: arrays per parameter, saved with the weights.
MOMENTS: dict[str, tuple[str, ...]] = {"sgd": (), "momentum": ("v",), "adam": ("m", "v")}
SQUARED_MOMENTS = {("adam", "v")}  # averages of squared gradients: never below 0

# Where each blob of the ``gaussian`` set sits, and how wide it is before noise.
BLOB_CENTRES = ((-0.5, -0.5), (0.5, 0.5), (-0.5, 0.5), (0.5, -0.5))
BLOB_STD = 0.15
# The ``xor`` points keep this far from the axes, so the quadrants are clear at noise 0.
XOR_PADDING = 0.05
SPIRAL_TURNS = 1.0


def _whole(value: Any, setting: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise Refusal("playground.whole", setting=setting, value=_shown(value), low=low, high=high)
    return int(value)


def _number(value: Any, setting: str, low: float, high: float, *, low_open: bool = False) -> float:
    """A finite number in [low, high] (or (low, high]), else a Refusal naming the setting and the range."""
    if not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if math.isfinite(number) and (low < number if low_open else low <= number) and number <= high:
            return number
    bounds = f"{'(' if low_open else '['}{low:g}, {high:g}]"
    raise Refusal("playground.number", setting=setting, value=_shown(value), range=bounds)


def _name(value: Any, setting: str, choices: Sequence[str]) -> str:
    name = value.strip().lower() if isinstance(value, str) else value
    if name not in choices:
        raise Refusal("playground.choice", setting=setting, value=_shown(value), options=", ".join(choices))
    return name


def _shown(value: Any) -> str:
    """A refused value as a refusal quotes it: short, whatever it is."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --- the data sets ------------------------------------------------------------------


def make_dataset(
    name: str, n_points: int = 200, noise: float = 0.0, *, classes: int = 2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``n_points`` points X (N, 2) and their labels y (N,), the same for the same seed.

    ``classes`` (2 to 4) is used by ``gaussian`` only; the other sets have two.
    """
    name = _name(name, "name", DATASETS)
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
        object.__setattr__(self, "name", _name(self.name, "name", DATASETS))
        _whole(self.n_points, "n_points", MIN_POINTS, MAX_POINTS)
        object.__setattr__(self, "noise", _number(self.noise, "noise", 0.0, MAX_NOISE))
        object.__setattr__(
            self, "train_ratio", _number(self.train_ratio, "train_ratio", MIN_TRAIN_RATIO, MAX_TRAIN_RATIO)
        )
        _whole(self.classes, "classes", 2, MAX_CLASSES)
        _whole(self.seed, "seed", 0, MAX_SEED)

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
    ratio = _number(train_ratio, "train_ratio", MIN_TRAIN_RATIO, MAX_TRAIN_RATIO)
    n_train = round(x.shape[0] * ratio)
    if not 1 <= n_train < x.shape[0]:
        raise Refusal("playground.split", points=x.shape[0], ratio=ratio)
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
    parts = [p for p in re.split(r"[,\s;]+", text.strip()) if p] if isinstance(text, str) else []
    if not parts or not all(re.fullmatch(r"\d+", part) for part in parts):
        shown = text if isinstance(text, str) else _shown(text)
        raise Refusal("playground.layers_text", text=shown, layers=MAX_LAYERS, neurons=MAX_NEURONS)
    return check_hidden_layers([int(part) for part in parts])


def check_hidden_layers(sizes: Sequence[int]) -> tuple[int, ...]:
    """``sizes`` as a tuple, or a Refusal a student can act on."""
    sizes = tuple(sizes)
    if not 1 <= len(sizes) <= MAX_LAYERS:
        raise Refusal("playground.layer_count", count=len(sizes), low=1, high=MAX_LAYERS)
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not 1 <= size <= MAX_NEURONS:
            raise Refusal("playground.layer_size", size=_shown(size), low=1, high=MAX_NEURONS)
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
        object.__setattr__(self, "lr", _number(self.lr, "lr", 0.0, MAX_LR, low_open=True))
        object.__setattr__(self, "l2", _number(self.l2, "l2", 0.0, MAX_L2))
        object.__setattr__(self, "optimizer", _name(self.optimizer, "optimizer", OPTIMIZER_NAMES))
        _whole(self.seed, "seed", 0, MAX_SEED)

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

        A bad value raises a Refusal and changes nothing.
        """
        data = _changed(self.data, changes)
        split = make_split(data)
        self.data, self.split = data, split
        self.reset()

    def set_network(self, **changes: Any) -> None:
        """Change the network (hidden, activation, lr, l2, optimizer, seed).

        The learning rate and λ act on the running network; any other change
        starts a new one. A bad value raises a Refusal and changes nothing.
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
    def check_trainable(self) -> None:
        """Refuse (``playground.diverged``, ``playground.iteration_limit``) if no step can be taken."""
        if self.diverged:
            raise Refusal("playground.diverged")
        if self.iteration >= MAX_ITERATIONS:
            raise Refusal("playground.iteration_limit", most=MAX_ITERATIONS)

    def train(self, iterations: int) -> int:
        """Take up to ``iterations`` full-batch steps; returns how many were taken.

        Stops early, and sets ``diverged``, when the loss stops being a finite
        number (a learning rate far too large), and at ``MAX_ITERATIONS``.
        A network that diverged or reached that limit refuses to take more
        steps until ``reset``.
        """
        iterations = _whole(iterations, "iterations", 0, 1_000_000)
        if iterations == 0:
            return 0
        self.check_trainable()
        iterations = min(iterations, MAX_ITERATIONS - self.iteration)
        x, t = self.split.x_train, self.split.t_train
        done = 0
        with np.errstate(all="ignore"):  # overflow is what `diverged` reports
            while done < iterations and not self.diverged:
                grads = self.network.gradient(x, t, validate=False)
                loss = self.network.last_loss
                if not math.isfinite(loss) or not all(np.isfinite(g).all() for g in grads.values()):
                    self.diverged = True
                    break
                self.optimizer.update(self.network.params, grads)
                self.history.append(loss)
                self.iteration += 1
                done += 1
            if not self.diverged:
                self._loss = self.network.loss(x, t)
                self.diverged = not math.isfinite(self._loss)
        if self.diverged:
            self._loss = math.nan
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
            raise Refusal("playground.diverged")
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

    # -- the state document -------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        """The playground as plain JSON data: settings, weights, optimiser moments, every loss.

        The points are not written: the data settings and their seed draw them
        again. A diverged network has no weights worth keeping (they are not
        finite numbers), only the record of its run.
        """
        state: dict[str, Any] = {
            "data": {f.name: getattr(self.data, f.name) for f in fields(self.data)},
            "net": {**{f.name: getattr(self.net, f.name) for f in fields(self.net)}, "hidden": list(self.net.hidden)},
            "iteration": self.iteration,
            "diverged": self.diverged,
            "losses": self.history.values.tolist(),
        }
        if not self.diverged:
            state["weights"] = _lists(self.network.params)
            # The moments are made by the optimiser's first step: a fresh network has none.
            names = self._moment_names() if self.iteration else ()
            state["moments"] = {name: _lists(getattr(self.optimizer, name)) for name in names}
        return state

    @classmethod
    def from_state(cls, fields: Fields) -> Playground:
        """A new playground from ``to_state`` data, checked as strictly as typed input (Refusal if not)."""
        d = fields.table_of("data")
        data = DataSpec(
            name=d.choice("name", DATASETS),
            n_points=d.integer("n_points", MIN_POINTS, MAX_POINTS),
            noise=d.number("noise", 0.0, MAX_NOISE),
            train_ratio=d.number("train_ratio", MIN_TRAIN_RATIO, MAX_TRAIN_RATIO),
            classes=d.integer("classes", 2, MAX_CLASSES),
            seed=d.integer("seed", 0, MAX_SEED),
        )
        n = fields.table_of("net")
        net = NetSpec(
            hidden=tuple(n.integers("hidden", None, 1, MAX_NEURONS, max_length=MAX_LAYERS)),
            activation=n.choice("activation", ACTIVATION_NAMES),
            lr=n.number("lr", 0.0, MAX_LR),
            l2=n.number("l2", 0.0, MAX_L2),
            optimizer=n.choice("optimizer", OPTIMIZER_NAMES),
            seed=n.integer("seed", 0, MAX_SEED),
        )
        iteration = fields.integer("iteration", 0, MAX_ITERATIONS)
        diverged = fields.flag("diverged")
        losses = fields.numbers("losses", length=iteration)
        playground = cls(data, net)
        arrays = None  # a diverged run keeps no weights
        if not diverged:
            params = playground.network.params
            weights = _arrays(fields.table_of("weights"), params)
            moments = fields.table_of("moments")
            # An optimiser's moments exist once it has taken a step (they are made lazily).
            saved = {
                name: _arrays(moments.table_of(name), params, 0.0 if (net.optimizer, name) in SQUARED_MOMENTS else None)
                for name in (playground._moment_names() if iteration else ())
            }
            arrays = (weights, saved)
        with np.errstate(all="ignore"):
            playground._load(iteration, diverged, losses, arrays)
        return playground

    def _moment_names(self) -> tuple[str, ...]:
        return MOMENTS[self.net.optimizer]

    def _load(
        self,
        iteration: int,
        diverged: bool,
        losses: list[float],
        arrays: tuple[dict[str, np.ndarray], dict[str, dict[str, np.ndarray]]] | None,
    ) -> None:
        """Put a run read from a document into this fresh playground."""
        self.iteration, self.diverged = iteration, diverged
        self.history.append(losses)
        if arrays is None:
            self._loss = math.nan
            return
        weights, moments = arrays
        self.network.load_state(weights)
        optimizer = self.optimizer
        for name, saved in moments.items():
            setattr(optimizer, name, saved)
        if isinstance(optimizer, Adam):
            optimizer.iter = iteration
        if optimizer._flush_every and moments:
            # The optimiser has updated every parameter once per iteration, and
            # flushes tiny moments to zero every `_flush_every` updates: so the
            # next flush comes exactly when it would have without the pause.
            optimizer._steps = {key: iteration % optimizer._flush_every for key in self.network.params}
        self._loss = self.network.loss(self.split.x_train, self.split.t_train)
        if not math.isfinite(self._loss):
            raise Refusal("playground.state_not_finite")


def _lists(arrays: Mapping[str, np.ndarray]) -> dict[str, list[float]]:
    """Arrays as flat lists of floats, row by row (their shapes follow from the network's settings)."""
    return {key: array.ravel().tolist() for key, array in arrays.items()}


def _arrays(table: Fields, like: Mapping[str, np.ndarray], low: float | None = None) -> dict[str, np.ndarray]:
    """One array per key of ``like``, of its shape, read from the flat lists in ``table``."""
    return {
        key: np.array(table.numbers(key, length=array.size, low=low), dtype=np.float64).reshape(array.shape)
        for key, array in like.items()
    }


# --- the overfitting demonstration -----------------------------------------------------

# Noisy spirals with few points: few neurons cannot follow the training points'
# noise, many neurons learn it by heart (the more neurons, the greater the risk
# of overfitting).
OVERFIT_DATA = DataSpec("spiral", n_points=100, noise=0.2, train_ratio=0.5)
OVERFIT_PRESETS: dict[str, NetSpec] = {
    "few": NetSpec(hidden=(2,), activation="tanh", lr=0.03, optimizer="adam"),
    "many": NetSpec(hidden=(64, 64), activation="tanh", lr=0.03, optimizer="adam"),
}


def overfit_playground(preset: str) -> Playground:
    """The playground for the "few neurons" or "many neurons" side of the demonstration."""
    preset = _name(preset, "preset", tuple(OVERFIT_PRESETS))
    return Playground(OVERFIT_DATA, OVERFIT_PRESETS[preset])
