"""Chapter 3's trained network: the book's 784-50-100-10 sigmoid network reading MNIST digits.

The weights are the book's ``sample_weight.pkl`` converted array for array to
an ``.npz`` (no pickle): W1 (784, 50), b1 (50,), W2 (50, 100), b2 (100,),
W3 (100, 10), b3 (10,), float32. `SampleNetwork.load` reads them with
``allow_pickle=False`` and checks every array before the network exists; the
caller passes the path (the core reads no shipped file on its own).

`SampleNetwork.forward` is the book's ``predict(network, x)`` keeping every
step (a1, z1, a2, z2, a3, y); `batched_accuracy` is its
``for i in range(0, len(x), batch_size)`` loop and `one_by_one_accuracy` the
loop before it, each timed, so a lesson can show what batching gains.
`batch_cross_entropy` is the source notes' cross-entropy of the network on a
mini-batch, in the one-hot form and the label form.
"""

from __future__ import annotations

import math
import os
import time
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from nn_tui.core.data.mnist import NUM_CLASSES, PIXELS, normalize, one_hot
from nn_tui.core.functions import DELTA, sigmoid, softmax
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields

#: Input, the two hidden layers, output: the book's network for MNIST.
LAYER_SIZES = (PIXELS, 50, 100, NUM_CLASSES)
#: The arrays of the book's network and the shape each must have.
PARAM_SHAPES: dict[str, tuple[int, ...]] = {
    "W1": (LAYER_SIZES[0], LAYER_SIZES[1]),
    "b1": (LAYER_SIZES[1],),
    "W2": (LAYER_SIZES[1], LAYER_SIZES[2]),
    "b2": (LAYER_SIZES[2],),
    "W3": (LAYER_SIZES[2], LAYER_SIZES[3]),
    "b3": (LAYER_SIZES[3],),
}
#: The book's batch_size in ``neuralnet_mnist_batch.py``.
BATCH_SIZE = 100
#: MNIST's test set; a document may name a digit up to here before the data is known.
MNIST_TEST_SIZE = 10_000
#: How many heights a strip cell has (the block characters ▁ … █).
STRIP_LEVELS = 8


# --- the network --------------------------------------------------------------------


class Forward(NamedTuple):
    """Every step of the book's ``predict`` for one digit (1-D) or a batch (2-D, one row per digit)."""

    x: np.ndarray
    a1: np.ndarray  # x·W1 + b1
    z1: np.ndarray  # sigmoid(a1)
    a2: np.ndarray  # z1·W2 + b2
    z2: np.ndarray  # sigmoid(a2)
    a3: np.ndarray  # z2·W3 + b3
    y: np.ndarray  # softmax(a3)

    @property
    def predicted(self) -> int | np.ndarray:
        """The class with the largest probability (one per row for a batch)."""
        best = np.argmax(self.y, axis=-1)
        return int(best) if self.y.ndim == 1 else best

    @property
    def probability(self) -> float | np.ndarray:
        """The probability of the predicted class."""
        top = np.max(self.y, axis=-1)
        return float(top) if self.y.ndim == 1 else top


@dataclass(frozen=True, eq=False)
class SampleNetwork:
    """The book's trained network; `params` holds W1, b1, W2, b2, W3, b3 (read-only float arrays)."""

    params: Mapping[str, np.ndarray]

    def __post_init__(self) -> None:
        for name, shape in PARAM_SHAPES.items():
            array = self.params.get(name)
            if (
                not isinstance(array, np.ndarray)
                or array.shape != shape
                or not np.issubdtype(array.dtype, np.floating)
                or not np.isfinite(array).all()
            ):
                raise Refusal("inference.weights_array", name=name, expected=str(shape))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SampleNetwork:
        """Read the weights (``.npz``, no pickle); a missing, damaged or wrong file is a `Refusal`."""
        path = Path(path)
        try:
            with path.open("rb") as f, np.load(f, allow_pickle=False) as npz:
                missing = [name for name in PARAM_SHAPES if name not in npz.files]
                if missing:
                    raise Refusal("inference.weights_damaged", file=path.name)
                params = {name: npz[name] for name in PARAM_SHAPES}
        except FileNotFoundError as error:
            raise Refusal("inference.weights_missing", file=path.name) from error
        except Refusal:
            raise
        except (OSError, ValueError, EOFError, zlib.error, zipfile.BadZipFile) as error:
            # a pickled array (allow_pickle=False refuses it) lands here too
            raise Refusal("inference.weights_damaged", file=path.name) from error
        for array in params.values():
            array.flags.writeable = False
        try:
            return cls(params)
        except Refusal as refusal:
            raise Refusal(refusal.code, file=path.name, **refusal.values) from None

    def forward(self, x: np.ndarray) -> Forward:
        """The book's predict, every step kept: x (784,) or (N, 784) floats in [0, 1]."""
        x = np.asarray(x)
        if x.ndim not in (1, 2) or x.shape[-1] != PIXELS or not np.issubdtype(x.dtype, np.floating):
            raise ValueError(f"x must be floats of shape (784,) or (N, 784), got {x.dtype} {x.shape}")
        p = self.params
        a1 = np.dot(x, p["W1"]) + p["b1"]
        z1 = sigmoid(a1)
        a2 = np.dot(z1, p["W2"]) + p["b2"]
        z2 = sigmoid(a2)
        a3 = np.dot(z2, p["W3"]) + p["b3"]
        return Forward(x, a1, z1, a2, z2, a3, softmax(a3))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """y = softmax(a3), as the book's ``predict(network, x)`` returns it."""
        return self.forward(x).y

    def digit(self, image: np.ndarray) -> Forward:
        """One MNIST test image (uint8 pixels, 784) through the network, normalised as the book loads it."""
        return self.forward(normalize(np.asarray(image).reshape(-1), np.float32))


# --- what a lesson draws of one forward pass --------------------------------------------


class Strip(NamedTuple):
    """One layer's values as cell heights 0 … levels−1 between `low` and `high`."""

    name: str  # the book's variable: a1, z1, a2, z2, a3, y
    values: np.ndarray
    low: float
    high: float
    levels: np.ndarray


def strip_levels(values: np.ndarray, low: float, high: float, levels: int = STRIP_LEVELS) -> np.ndarray:
    """Each value's height: `low` gives 0, `high` gives levels−1 (all 0 when low = high)."""
    values = np.asarray(values, dtype=np.float64)
    if not high >= low:
        raise ValueError(f"high ({high}) must not be below low ({low})")
    if high == low:
        return np.zeros(values.shape, dtype=np.intp)
    scaled = np.floor((values - low) / (high - low) * levels)
    return np.clip(scaled, 0, levels - 1).astype(np.intp)


def strips(forward: Forward, levels: int = STRIP_LEVELS) -> list[Strip]:
    """a1 … y of one digit: the weighted sums a on their own range, the outputs z and y on [0, 1]."""
    if forward.y.ndim != 1:
        raise ValueError("strips are drawn for one digit, not a batch")
    found = []
    for name in ("a1", "z1", "a2", "z2", "a3", "y"):
        values = getattr(forward, name)
        if name.startswith("a"):  # a weighted sum can be any number: its own smallest to largest
            low, high = float(values.min()), float(values.max())
        else:  # sigmoid and softmax give 0 … 1: a fixed scale shows how saturated a layer is
            low, high = 0.0, 1.0
        found.append(Strip(name, values, low, high, strip_levels(values, low, high, levels)))
    return found


class Product(NamedTuple):
    """One matrix product of the batched forward pass: left (shape) · right (shape) → result (shape)."""

    left: str
    left_shape: tuple[int, ...]
    right: str
    right_shape: tuple[int, ...]
    result: str
    result_shape: tuple[int, ...]


def batch_products(network: SampleNetwork, batch_size: int = BATCH_SIZE) -> list[Product]:
    """The shapes of the three products when `batch_size` digits go through at once (read off a real pass)."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive whole number, got {batch_size!r}")
    f = network.forward(np.zeros((int(batch_size), PIXELS), dtype=np.float32))
    p = network.params
    return [
        Product("X", f.x.shape, "W1", p["W1"].shape, "A1", f.a1.shape),
        Product("Z1", f.z1.shape, "W2", p["W2"].shape, "A2", f.a2.shape),
        Product("Z2", f.z2.shape, "W3", p["W3"].shape, "Y", f.y.shape),
    ]


# --- accuracy over a test set, and what batching gains --------------------------------------


class Accuracy(NamedTuple):
    """How many digits were read right, and how long the loop took (seconds)."""

    correct: int
    total: int
    seconds: float

    @property
    def value(self) -> float:
        return self.correct / self.total

    @property
    def microseconds_per_digit(self) -> float:
        return self.seconds / self.total * 1e6


def _check_set(images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim != 2 or images.shape[1] != PIXELS or len(images) == 0:
        raise ValueError(f"images must be (N, 784) with N ≥ 1, got {images.shape}")
    if labels.shape != (len(images),):
        raise ValueError(f"{len(images)} images but labels of shape {labels.shape}")
    if images.dtype == np.uint8:  # the book normalises while loading; the timing leaves it out
        images = normalize(images, np.float32)
    return images, labels


def batched_accuracy(
    network: SampleNetwork,
    images: np.ndarray,
    labels: np.ndarray,
    batch_size: int = BATCH_SIZE,
    stop: Callable[[], bool] = lambda: False,
) -> Accuracy | None:
    """The book's ``for i in range(0, len(x), batch_size)`` loop; None if `stop()` turned true."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive whole number, got {batch_size!r}")
    x, t = _check_set(images, labels)
    correct = 0
    start = time.perf_counter()
    for i in range(0, len(x), batch_size):
        if stop():
            return None
        y_batch = network.predict(x[i : i + batch_size])
        p = np.argmax(y_batch, axis=1)
        correct += int(np.sum(p == t[i : i + batch_size]))
    return Accuracy(correct, len(x), time.perf_counter() - start)


def one_by_one_accuracy(
    network: SampleNetwork,
    images: np.ndarray,
    labels: np.ndarray,
    stop: Callable[[], bool] = lambda: False,
) -> Accuracy | None:
    """The book's first loop, ``for i in range(len(x))``: one predict per digit; None if stopped."""
    x, t = _check_set(images, labels)
    correct = 0
    start = time.perf_counter()
    for i in range(len(x)):
        if i % BATCH_SIZE == 0 and stop():
            return None
        y = network.predict(x[i])
        if np.argmax(y) == t[i]:
            correct += 1
    return Accuracy(correct, len(x), time.perf_counter() - start)


class Timing(NamedTuple):
    """The same test set read one digit at a time and `batch_size` at a time."""

    one_by_one: Accuracy
    batched: Accuracy
    batch_size: int

    @property
    def speedup(self) -> float:
        """How many times faster the batches were (inf if too fast to measure)."""
        return self.one_by_one.seconds / self.batched.seconds if self.batched.seconds > 0 else float("inf")


def time_inference(
    network: SampleNetwork,
    images: np.ndarray,
    labels: np.ndarray,
    batch_size: int = BATCH_SIZE,
    stop: Callable[[], bool] = lambda: False,
) -> Timing | None:
    """Both loops over the whole set, timed (the pixels normalised once, before either); None if stopped."""
    x, t = _check_set(images, labels)
    network.predict(x[:batch_size])  # a first product pays for setting up; neither loop should
    batched = batched_accuracy(network, x, t, batch_size, stop)
    single = one_by_one_accuracy(network, x, t, stop) if batched is not None else None
    if batched is None or single is None:
        return None
    return Timing(single, batched, int(batch_size))


# --- the source notes' cross-entropy on a mini-batch ---------------------------------------


class BatchLoss(NamedTuple):
    """The network's cross-entropy error on one batch, with t one-hot and with t as labels."""

    y_shape: tuple[int, ...]
    one_hot_shape: tuple[int, ...]
    label_shape: tuple[int, ...]
    one_hot: float  # −Σ t·log(y + δ) / N
    label: float  # −Σ log(y[n, t_n] + δ) / N

    @property
    def agree(self) -> bool:
        """The two forms give the same loss (up to float32 rounding: the sums add in another order)."""
        return math.isclose(self.one_hot, self.label, rel_tol=1e-5, abs_tol=1e-7)


def batch_cross_entropy(network: SampleNetwork, images: np.ndarray, labels: np.ndarray) -> BatchLoss:
    """y_batch = predict(network, x_batch) and its cross-entropy in both of the book's forms."""
    x, t = _check_set(images, labels)
    y = network.predict(x)
    t_one_hot = one_hot(t, NUM_CLASSES, y.dtype)
    n = y.shape[0]
    one_hot_form = -np.sum(t_one_hot * np.log(y + DELTA)) / n
    label_form = -np.sum(np.log(y[np.arange(n), t] + DELTA)) / n
    return BatchLoss(y.shape, t_one_hot.shape, t.shape, float(one_hot_form), float(label_form))


# --- which test digit is shown ---------------------------------------------------------------


@dataclass
class DigitPicker:
    """The test digit on screen: an index into a test set of `count` digits."""

    index: int = 0
    count: int = MNIST_TEST_SIZE

    def move(self, offset: int) -> None:
        """The next (+1) or previous (−1) digit, round the end of the set."""
        self.index = (self.index + int(offset)) % self.count

    def pick_random(self, rng: np.random.Generator) -> None:
        """Any other digit of the set, chosen at random."""
        if self.count > 1:
            self.index = (self.index + int(rng.integers(1, self.count))) % self.count

    def fit(self, count: int) -> None:
        """The set found has `count` digits; refused (`inference.digit_outside`) if the index is past it.

        The refusal comes after the change: the first digit is then shown.
        """
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
            raise ValueError(f"count must be a positive whole number, got {count!r}")
        asked = self.index
        self.count = int(count)
        if asked >= count:
            self.index = 0
            raise Refusal("inference.digit_outside", index=asked, count=int(count))

    def to_state(self) -> int:
        return self.index

    @classmethod
    def from_state(cls, fields: Fields, name: str = "digit", count: int = MNIST_TEST_SIZE) -> DigitPicker:
        """The picker a document names."""
        return cls(fields.integer(name, 0, count - 1), count)


__all__ = [
    "BATCH_SIZE",
    "LAYER_SIZES",
    "MNIST_TEST_SIZE",
    "PARAM_SHAPES",
    "STRIP_LEVELS",
    "Accuracy",
    "BatchLoss",
    "DigitPicker",
    "Forward",
    "Product",
    "SampleNetwork",
    "Strip",
    "Timing",
    "batch_cross_entropy",
    "batch_products",
    "batched_accuracy",
    "one_by_one_accuracy",
    "strip_levels",
    "strips",
    "time_inference",
]
