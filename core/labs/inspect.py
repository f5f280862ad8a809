"""Look inside a trained network: predictions, mistakes, confusion matrix,
first-layer weights as images, and the distribution of hidden activations.

Also the book's ch. 6 weight-initialisation experiment
(``weight_init_activation_histogram.py``): push 1,000 random inputs through
5 layers of 100 neurons and see where the activations end up for different
initial weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from nn_tui.core.functions import relu, sigmoid, softmax, tanh
from nn_tui.core.data.mnist import COLS, NUM_CLASSES, PIXELS, ROWS, normalize
from nn_tui.core.networks import PREDICT_CHUNK, weight_scale
from nn_tui.core.refusal import Refusal

# The ranges the histograms cover.  ReLU has no upper bound: for a trained
# network the largest activation sets it; the init experiment uses the
# book's fixed (0, 1) so different initial weights are drawn on one axis.
ACTIVATION_RANGES: dict[str, tuple[float, float]] = {
    "sigmoid": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
    "relu": (0.0, 1.0),
}
ACTIVATION_FUNCTIONS = {"sigmoid": sigmoid, "relu": relu, "tanh": tanh}

# The initial weights of the book's experiment, in the order a student tries them.
INIT_CHOICES: tuple[str, ...] = ("std:1", "std:0.01", "xavier", "he")


class Predictions(NamedTuple):
    """Softmax probabilities (N, classes) and the predicted class of each sample (N,)."""

    probabilities: np.ndarray
    predicted: np.ndarray

    @property
    def confidence(self) -> np.ndarray:
        """The probability of the predicted class, per sample."""
        return self.probabilities[np.arange(len(self.predicted)), self.predicted]


@dataclass(frozen=True, eq=False)
class LayerHistogram:
    """How one layer's activations are distributed.

    ``counts[i]`` is the number of values in ``[edges[i], edges[i+1])`` (the
    last bin includes its right edge).  For ReLU, exact zeros (the "off"
    neurons, usually about half) are counted in ``zeros`` and not in the
    first bin, so they do not flatten the rest of the picture; the book's
    figure cuts that spike off with ``ylim`` instead.  ``below`` / ``above``
    count values outside the range, so nothing is dropped silently.
    """

    counts: np.ndarray
    edges: np.ndarray
    total: int
    zeros: int = 0
    below: int = 0
    above: int = 0

    @property
    def fractions(self) -> np.ndarray:
        """counts / total: the share of all the layer's values in each bin."""
        return self.counts / self.total


@dataclass(frozen=True, eq=False)
class Inspection:
    """Everything the "look inside" views show about one network on one set of digits."""

    images: np.ndarray          # uint8 (N, 784)
    labels: np.ndarray          # (N,)
    probabilities: np.ndarray   # (N, classes)
    predicted: np.ndarray       # (N,)
    mistakes: np.ndarray        # indices, most confident mistakes first
    matrix: np.ndarray          # confusion matrix, rows = true class
    histograms: list[LayerHistogram]
    activation: str
    W1: np.ndarray

    @property
    def size(self) -> int:
        return int(self.labels.shape[0])

    @property
    def correct(self) -> int:
        return int(np.trace(self.matrix))


def inspect_network(network: Any, images_uint8: np.ndarray, labels: np.ndarray, *,
                    limit: int | None = 1000, bins: int = 10) -> Inspection:
    """Predictions, mistakes, confusion matrix and activation histograms on the first
    ``limit`` digits (None = all), plus a copy of the first-layer weights."""
    if limit is not None:
        limit = _whole(limit, "limit", 1)
        images_uint8, labels = images_uint8[:limit], labels[:limit]
    probabilities, predicted = predictions(network, images_uint8)
    labels = _check_labels(labels, probabilities.shape[0], probabilities.shape[1])
    return Inspection(
        images=images_uint8,
        labels=labels,
        probabilities=probabilities,
        predicted=predicted,
        mistakes=misclassified(probabilities, labels),
        matrix=confusion_matrix(predicted, labels, probabilities.shape[1]),
        histograms=activation_histograms(network, images_uint8, bins=bins),
        activation=network.activation,
        W1=np.array(network.params["W1"], dtype=np.float64),
    )


# -- predictions ---------------------------------------------------------------

def predictions(network: Any, images_uint8: np.ndarray, batch: int = PREDICT_CHUNK) -> Predictions:
    """Probabilities and predicted classes for uint8 images (N, 784), ``batch`` rows at a time."""
    images = np.asarray(images_uint8)
    if images.dtype != np.uint8 or images.ndim != 2:
        raise ValueError(
            f"images must be uint8 pixels of shape (N, {PIXELS}), got {images.dtype} {images.shape}"
        )
    if images.shape[0] == 0:
        raise ValueError("there are no images to predict")
    batch = _whole(batch, "batch", 1)
    chunks = []
    for start in range(0, images.shape[0], batch):
        x = normalize(images[start:start + batch], network.dtype)
        scores = network.predict(x, train_flg=False).astype(np.float64)
        if not np.isfinite(scores).all():
            # Met by a student (a diverged run's network): a code the UI words, not a sentence.
            raise Refusal("inspect.diverged")
        chunks.append(softmax(scores))
    probabilities = np.concatenate(chunks)
    return Predictions(probabilities, np.argmax(probabilities, axis=1))


def misclassified(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Indices of the samples whose most probable class is not their label,
    most confident mistakes first (ties: lower index first)."""
    probabilities = _check_probabilities(probabilities)
    labels = _check_labels(labels, probabilities.shape[0], probabilities.shape[1])
    predicted = np.argmax(probabilities, axis=1)
    wrong = np.flatnonzero(predicted != labels)
    confidence = probabilities[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")]


def confusion_matrix(predicted: np.ndarray, labels: np.ndarray, classes: int = NUM_CLASSES) -> np.ndarray:
    """Counts (classes, classes): row = true class, column = predicted class."""
    classes = _whole(classes, "classes", 2)
    predicted = _check_labels(predicted, None, classes, what="predicted")
    labels = _check_labels(labels, predicted.shape[0], classes)
    flat = np.bincount(labels * classes + predicted, minlength=classes * classes)
    return flat.reshape(classes, classes)


def per_class_accuracy(matrix: np.ndarray) -> np.ndarray:
    """For each true class, the fraction predicted correctly (NaN for a class with no samples)."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] < 2:
        raise ValueError(f"a confusion matrix is square (classes x classes), got shape {matrix.shape}")
    if not np.issubdtype(matrix.dtype, np.integer) or (matrix < 0).any():
        raise ValueError("a confusion matrix holds counts: whole numbers >= 0")
    totals = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / np.maximum(totals, 1), np.nan)


def worst_confusions(matrix: np.ndarray, count: int = 3) -> list[tuple[int, int, int]]:
    """The ``count`` largest off-diagonal cells as (true, predicted, n), largest first; zeros left out."""
    matrix = np.asarray(matrix)
    per_class_accuracy(matrix)  # the same shape and count checks
    count = _whole(count, "count", 0)
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    # Stable sort of the negated counts: equal counts keep reading order.
    order = np.argsort(-off.ravel(), kind="stable")[:count]
    cells = [(int(i // off.shape[1]), int(i % off.shape[1])) for i in order]
    return [(t, p, int(off[t, p])) for t, p in cells if off[t, p] > 0]


# -- weights as images ---------------------------------------------------------

def weight_images(W1: np.ndarray, units: Sequence[int], percentile: float = 100.0) -> np.ndarray:
    """First-layer weights of hidden ``units`` as images (len(units), 28, 28) in [-1, 1].

    Each image is divided by its own largest |w|, so 0 stays 0 and the sign
    stays visible: a positive pixel excites that neuron, a negative one
    inhibits it.  A unit whose weights are all zero gives an all-zero image.
    ``percentile`` < 100 divides by that percentile of |w| instead and clips
    to [-1, 1], so a few extreme pixels do not wash out the picture.
    """
    W1 = np.asarray(W1)
    if W1.ndim != 2 or W1.shape[0] != PIXELS:
        raise ValueError(f"W1 must have shape ({PIXELS}, hidden units), got {W1.shape}")
    if not np.isfinite(W1).all():
        raise ValueError("W1 contains NaN or infinite weights (training diverged?)")
    chosen = []
    for unit in units:
        if isinstance(unit, bool) or not isinstance(unit, (int, np.integer)) or not 0 <= unit < W1.shape[1]:
            raise ValueError(f"hidden unit {unit!r} does not exist: W1 has units 0 to {W1.shape[1] - 1}")
        chosen.append(int(unit))
    if not chosen:
        raise ValueError("choose at least one hidden unit")
    if not 0 < percentile <= 100:
        raise ValueError(f"percentile must be in (0, 100], got {percentile!r}")
    w = W1[:, chosen].T.astype(np.float64)
    scale = np.percentile(np.abs(w), percentile, axis=1, keepdims=True)
    w = np.divide(w, scale, out=np.zeros_like(w), where=scale > 0)
    return np.clip(w, -1.0, 1.0).reshape(len(chosen), ROWS, COLS)


def shrink(image: np.ndarray, factor: int = 2) -> np.ndarray:
    """An image made ``factor`` times smaller by averaging factor x factor blocks (for thumbnails)."""
    image = np.asarray(image, dtype=np.float64)
    factor = _whole(factor, "factor", 1)
    if image.ndim != 2 or image.shape[0] % factor or image.shape[1] % factor:
        raise ValueError(f"an image of shape {image.shape} cannot be split into {factor}x{factor} blocks")
    rows, cols = image.shape[0] // factor, image.shape[1] // factor
    return image.reshape(rows, factor, cols, factor).mean(axis=(1, 3))


# -- activation histograms -----------------------------------------------------

def histogram(values: np.ndarray, value_range: tuple[float, float], bins: int = 10,
              *, zeros_apart: bool = False) -> LayerHistogram:
    """One layer's values binned over ``value_range`` (see LayerHistogram)."""
    values = np.asarray(values, dtype=np.float64).ravel()
    if values.size == 0:
        raise ValueError("there are no activations to count")
    if not np.isfinite(values).all():
        raise ValueError("the activations contain NaN or infinite values")
    bins = _whole(bins, "bins", 1)
    low, high = (float(v) for v in value_range)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"value_range must be two finite numbers low < high, got {value_range!r}")
    zeros = int(np.count_nonzero(values == 0)) if zeros_apart else 0
    if zeros_apart:
        values = values[values != 0]
    below = int(np.count_nonzero(values < low))
    above = int(np.count_nonzero(values > high))
    counts, edges = np.histogram(values, bins=bins, range=(low, high))
    return LayerHistogram(counts, edges, total=zeros + values.size, zeros=zeros, below=below, above=above)


def activation_histograms(source: Any, x: np.ndarray | None = None, *, activation: str | None = None,
                          bins: int = 10, value_range: tuple[float, float] | None = None
                          ) -> list[LayerHistogram]:
    """A histogram per hidden layer, of a network's activations for inputs ``x``
    (uint8 images are normalised first), or of a list of activation arrays.

    The range: sigmoid (0, 1), tanh (-1, 1), ReLU (0, largest activation of
    any layer), unless ``value_range`` is given.  All layers share it, so
    their shapes can be compared.
    """
    if hasattr(source, "activations"):
        if x is None:
            raise ValueError("give the inputs x whose activations to count")
        activation = activation or source.activation
        x = np.asarray(x)
        if x.dtype == np.uint8:
            x = normalize(x, source.dtype)
        layers = source.activations(x, train_flg=False)
    else:
        if x is not None:
            raise ValueError("x is only used with a network; activations were given directly")
        layers = [np.asarray(a) for a in source]
        if not layers:
            raise ValueError("there are no layers' activations to count")
    if activation not in ACTIVATION_RANGES:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATION_RANGES)}")
    if value_range is None:
        value_range = ACTIVATION_RANGES[activation]
        if activation == "relu":
            top = max(float(np.max(a)) if np.size(a) else 0.0 for a in layers)
            value_range = (0.0, top if np.isfinite(top) and top > 0 else 1.0)
    return [histogram(a, value_range, bins, zeros_apart=activation == "relu") for a in layers]


def init_experiment(activation: str, init: str | float, layers: int = 5, nodes: int = 100,
                    samples: int = 1000, seed: int = 0, bins: int = 10) -> list[LayerHistogram]:
    """The book's weight-initialisation experiment: per-layer activation histograms.

    ``samples`` x ``nodes`` standard-normal inputs go through ``layers``
    layers of ``nodes`` neurons (no bias) whose weights are randn x std, with
    std from ``init``: "std:1", "std:0.01" (or a number), "xavier"
    (sqrt(1/n)) or "he" (sqrt(2/n)).  Ranges are the book's fixed ones.
    """
    if activation not in ACTIVATION_FUNCTIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATION_FUNCTIONS)}")
    layers = _whole(layers, "layers", 1, 20)
    nodes = _whole(nodes, "nodes", 1, 1000)
    samples = _whole(samples, "samples", 1, 10_000)
    std = weight_scale(init, nodes)
    rng = np.random.default_rng(seed)
    function = ACTIVATION_FUNCTIONS[activation]
    x = rng.standard_normal((samples, nodes))
    outputs = []
    for _ in range(layers):
        w = rng.standard_normal((nodes, nodes)) * std
        x = function(x @ w)
        outputs.append(x)
    return [histogram(a, ACTIVATION_RANGES[activation], bins, zeros_apart=activation == "relu")
            for a in outputs]


# -- checks ----------------------------------------------------------------------

def _whole(value: Any, what: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low or (
            high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f">= {low}"
        raise ValueError(f"{what} must be a whole number {bound}, got {value!r}")
    return int(value)


def _check_probabilities(probabilities: Any) -> np.ndarray:
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] < 2:
        raise ValueError(f"probabilities must have shape (N, classes), got {p.shape}")
    if not np.isfinite(p).all():
        raise ValueError("probabilities contain NaN or infinite values")
    return p


def _check_labels(labels: Any, n: int | None, classes: int, what: str = "labels") -> np.ndarray:
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{what} must be a 1-D array of whole class numbers, got {labels.dtype} {labels.shape}")
    if n is not None and labels.shape[0] != n:
        raise ValueError(f"got {labels.shape[0]} {what} for {n} samples; they must match")
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(f"{what} must be classes 0 to {classes - 1}, got {labels.min()}..{labels.max()}")
    return labels.astype(np.int64)
