"""The loss-function lesson's experiments: what lesson 3 lets you touch.

The losses themselves live in ``nn_tui.core.functions``; this module holds
the lesson's examples (the seed notes' y1/y2, the cs231n scores, the L2
weights) and the small state objects the screen drives: probability mass
moved between classes, a weight swept to compare accuracy with the loss, and
mini-batches drawn from MNIST. `LossesLab` gathers what the student set, and
its state document (`to_state` / `from_state`) keeps it; the mini-batches are
replayed from their `BatchPlan` (size, seed, number of draws).

What a student can ask for and not get (a class with no probability left, a
weight past the end of its range, a batch larger than the set) is refused
with a `Refusal` whose code the screen's catalogue turns into a sentence.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from nn_tui.core.functions import (
    cross_entropy_error,
    cross_entropy_terms,
    l2_penalty,
    mean_squared_error,
    SoftmaxLoss,
    softmax,
    softmax_loss,
    squared_error_terms,
    svm_loss,
)
from nn_tui.core.data.mnist import MnistData, normalize
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields

# --- 1. MSE and cross-entropy on the seed example ----------------------------------

#: The seed notes' example: the correct digit is 2 (one-hot t).
SEED_T = (0, 0, 1, 0, 0, 0, 0, 0, 0, 0)
#: The network is fairly sure it is a 2 (0.6 on class 2).
SEED_Y1 = (0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0)
#: The network thinks it is a 7 (0.6 on class 7, only 0.1 on class 2).
SEED_Y2 = (0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0)
SEED_LABEL = 2
#: Probability moved by one key press.
MASS_STEP = 0.05
#: How far a state document's y may be from a probability vector on the 0.05 grid.
GRID_TOLERANCE = 1e-9


def cross_entropy_without_delta(y: np.ndarray, label: int) -> float:
    """-ln y[label] with no 1e-7: what the seed prints for y2 (2.3025850929940455).

    Infinite when y[label] is 0 -- the very reason the book adds the delta.
    """
    y = np.asarray(y, dtype=float)
    if not 0 <= label < y.size:
        raise ValueError(f"label must be in 0..{y.size - 1}, got {label}")
    p = float(y[label])
    return math.inf if p <= 0 else -math.log(p)


def biggest_other(y: np.ndarray, k: int) -> int:
    """The class with the most probability apart from k (the lowest index on a tie)."""
    others = np.asarray(y, dtype=float).copy()
    others[k] = -np.inf
    return int(np.argmax(others))


def move_mass(y: np.ndarray, source: int, target: int, amount: float = MASS_STEP) -> np.ndarray:
    """A copy of y with `amount` of probability moved from class `source` to class `target`.

    The sum stays 1. Refused (ValueError) if `source` has less than `amount`.
    """
    y = np.asarray(y, dtype=float)
    n = y.size
    for name, k in (("source", source), ("target", target)):
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k < n:
            raise ValueError(f"{name} must be a class 0..{n - 1}, got {k!r}")
    if source == target:
        raise ValueError("source and target are the same class; nothing would move")
    if not (math.isfinite(amount) and amount > 0):
        raise ValueError(f"amount must be a positive finite number, got {amount}")
    if y[source] < amount - 1e-12:
        raise ValueError(f"class {source} has only {y[source]:.2f}; it cannot give {amount:.2f}")
    moved = y.copy()
    moved[source] -= amount
    moved[target] += amount
    # Keep the values on the 0.05 grid a student reads (0.6 - 0.05 + 0.05 is 0.6 again).
    return np.round(moved, 12) + 0.0


@dataclass
class MassLab:
    """One network output y against the one-hot target of the seed example.

    `select` picks a class; `take` moves 0.05 to it from the biggest other
    class, `give` moves 0.05 from it to the biggest other class.
    """

    y: np.ndarray = field(default_factory=lambda: np.array(SEED_Y1))
    t: np.ndarray = field(default_factory=lambda: np.array(SEED_T, dtype=float))
    selected: int = SEED_LABEL
    example: int = 1  # 1 or 2: which seed output was loaded last

    def load(self, example: int) -> None:
        """Start again from the seed's y1 or y2."""
        if example not in (1, 2):
            raise ValueError(f"example must be 1 or 2, got {example!r}")
        self.y = np.array(SEED_Y1 if example == 1 else SEED_Y2)
        self.example = example

    def select(self, k: int) -> None:
        if not 0 <= k < self.y.size:
            raise ValueError(f"class must be 0..{self.y.size - 1}, got {k}")
        self.selected = k

    def take(self) -> int:
        """Move 0.05 to the selected class; returns the class it came from.

        Refused (`losses.mass_full`) when the class already holds everything.
        """
        if self.y[self.selected] >= 1 - 1e-12:
            raise Refusal("losses.mass_full", k=self.selected)
        source = biggest_other(self.y, self.selected)
        self.y = move_mass(self.y, source, self.selected)
        return source

    def give(self) -> int:
        """Move 0.05 from the selected class; returns the class it went to.

        Refused (`losses.mass_empty`) when the class has less than 0.05 left.
        """
        if self.y[self.selected] < MASS_STEP - 1e-12:
            raise Refusal("losses.mass_empty", k=self.selected)
        target = biggest_other(self.y, self.selected)
        self.y = move_mass(self.y, self.selected, target)
        return target

    @property
    def edited(self) -> bool:
        """Whether y was moved away from the seed output it was loaded from."""
        return self.y.tolist() != list(SEED_Y1 if self.example == 1 else SEED_Y2)

    @property
    def label(self) -> int:
        return int(np.argmax(self.t))

    @property
    def squared_terms(self) -> np.ndarray:
        return squared_error_terms(self.y, self.t)

    @property
    def cross_entropy_terms(self) -> np.ndarray:
        return cross_entropy_terms(self.y, self.t)

    @property
    def mse(self) -> float:
        return mean_squared_error(self.y, self.t)

    @property
    def cee(self) -> float:
        return cross_entropy_error(self.y, self.t)

    @property
    def cee_without_delta(self) -> float:
        return cross_entropy_without_delta(self.y, self.label)

    def to_state(self) -> dict[str, object]:
        return {"example": self.example, "y": self.y.tolist(), "selected": self.selected}

    @classmethod
    def from_state(cls, fields: Fields) -> MassLab:
        """y must be what moves can reach: ten values on the 0.05 grid that sum to 1."""
        example = fields.integer("example", 1, 2)
        y = np.array(fields.numbers("y", length=len(SEED_T), low=0.0, high=1.0))
        on_grid = np.allclose(y / MASS_STEP, np.round(y / MASS_STEP), rtol=0, atol=GRID_TOLERANCE)
        if not on_grid or abs(float(y.sum()) - 1.0) > GRID_TOLERANCE:
            raise Refusal("losses.mass_y", field=f"{fields.where}.y", step=MASS_STEP)
        selected = fields.integer("selected", 0, len(SEED_T) - 1)
        return cls(y=y, selected=selected, example=example)


# --- 2. cs231n: SVM (hinge) loss, softmax classifier, L2 ------------------------------

CS231N_CLASSES = ("cat", "car", "frog")
#: Class scores (rows: cat, car, frog) of three images (columns: a cat, a car, a frog).
CS231N_SCORES = ((3.2, 1.3, 2.2), (5.1, 4.9, 2.5), (-1.7, 2.0, -3.1))
CS231N_LABELS = (0, 1, 2)
#: The margins the seed suggests trying.
MARGINS = (1.0, 3.0, 5.0)
#: The largest margin a student may type (the scores are a few units apart).
MARGIN_HIGH = 1000.0


@dataclass(frozen=True)
class SvmExample:
    """The hinge loss of each cs231n image at one margin Δ."""

    margin: float
    scores: np.ndarray  # (classes, images)
    terms: np.ndarray  # (classes, images): max(0, s_j - s_y + Δ), 0 at the correct class
    losses: np.ndarray  # (images,): the sum of each column's terms
    mean: float  # the data loss: the mean over images


def svm_example(margin: float = 1.0) -> SvmExample:
    """The cs231n three-image hinge-loss example (2.9, 0, 12.9, mean 5.27 at Δ = 1)."""
    scores = np.array(CS231N_SCORES)
    terms = np.zeros_like(scores)
    losses = np.zeros(scores.shape[1])
    for image, label in enumerate(CS231N_LABELS):
        losses[image], terms[:, image] = svm_loss(scores[:, image], label, margin)
    return SvmExample(float(margin), scores, terms, losses, float(losses.mean()))


def next_margin(margin: float) -> float:
    """The next of 1, 3, 5 after `margin` (back to 1 after 5 or from any other value)."""
    later = [m for m in MARGINS if m > margin]
    return later[0] if later else MARGINS[0]


def check_margin(margin: float) -> float:
    """A margin a student may set: 0 to MARGIN_HIGH (refused `losses.margin` otherwise)."""
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not 0 <= margin <= MARGIN_HIGH:
        raise Refusal("losses.margin", margin=margin, high=MARGIN_HIGH)
    return float(margin)


def minus_log10(p: float) -> float:
    """-log10 p: the seed's 0.89 for p = 0.13 (it used log base 10; the loss uses ln)."""
    if not (math.isfinite(p) and 0 < p <= 1):
        raise ValueError(f"p must be a probability in (0, 1], got {p}")
    return -math.log10(p)


@dataclass(frozen=True)
class SoftmaxExample:
    """The softmax chain (exp, normalise, -ln) of one cs231n image, and the seed's log10 slip."""

    image: int
    label: int  # the image's correct class
    chain: SoftmaxLoss
    p_rounded: float  # p of the correct class as the seed rounds it (2 places)
    seed_log10: float  # -log10 of that: what the seed wrote where -ln belongs

    @property
    def p(self) -> float:
        return float(self.chain.probabilities[self.label])

    @property
    def in_notes(self) -> bool:
        """Whether the source notes work this image's chain (only the cat's: p = 0.13, 0.89)."""
        return self.image == NOTES_IMAGE

    @property
    def p_places(self) -> int:
        """Decimals to print p with so that -ln of the printed p gives the printed loss."""
        return log_places(self.p)


#: The one cs231n image whose softmax chain the source notes work out: the cat.
NOTES_IMAGE = 0


def log_places(p: float, loss_places: int = 2, most: int = 12) -> int:
    """The fewest decimals (2 or more) for p such that -ln(p rounded) rounds like -ln p.

    0.13 needs 2 (-ln 0.13 = 2.04); the frog's 0.0021197 needs 5: -ln 0.00 is no
    number and -ln 0.0021 = 6.17, but -ln 0.00212 = 6.16 like the loss itself.
    """
    if not (math.isfinite(p) and 0 < p <= 1):
        raise ValueError(f"p must be a probability in (0, 1], got {p}")
    target = round(-math.log(p), loss_places)
    for places in range(2, most + 1):
        shown = round(p, places)
        if shown > 0 and round(-math.log(shown), loss_places) == target:
            return places
    return most


def softmax_example(image: int) -> SoftmaxExample:
    """The softmax loss of cs231n image `image` (0 cat, 1 car, 2 frog): 2.04 for the cat."""
    if isinstance(image, bool) or not isinstance(image, (int, np.integer)) or not 0 <= image < len(CS231N_LABELS):
        raise ValueError(f"image must be 0..{len(CS231N_LABELS) - 1}, got {image!r}")
    label = CS231N_LABELS[image]
    chain = softmax_loss([row[image] for row in CS231N_SCORES], label)
    p = float(chain.probabilities[label])
    # The seed rounds p to 0.13 before its log10; a p that rounds to 0.00
    # (the frog image) keeps its digits, since log10(0) is not a number.
    p_rounded = round(p, 2) or p
    return SoftmaxExample(int(image), label, chain, p_rounded, minus_log10(p_rounded))


#: The seed's regularisation example: one input and two weight vectors.
L2_X = (1.0, 1.0, 1.0, 1.0)
L2_W1 = (1.0, 0.0, 0.0, 0.0)
L2_W2 = (0.25, 0.25, 0.25, 0.25)


@dataclass(frozen=True)
class L2Example:
    x: np.ndarray
    weights: tuple[np.ndarray, np.ndarray]
    scores: tuple[float, float]  # w·x: equal, so the data loss is equal
    penalties: tuple[float, float]  # R(w) = Σ w²: 1.0 and 0.25


def l2_example() -> L2Example:
    """Same score w·x = 1 for w1 and w2, but R(w1) = 1.0 and R(w2) = 0.25."""
    x = np.array(L2_X)
    w1, w2 = np.array(L2_W1), np.array(L2_W2)
    return L2Example(
        x,
        (w1, w2),
        (float(w1 @ x), float(w2 @ x)),
        (l2_penalty(w1), l2_penalty(w2)),
    )


# --- 3. why accuracy is not the loss -------------------------------------------------

#: Twelve points (x1, x2, label) in the plane; two classes, not quite separable.
TOY_POINTS = (
    (1.0, 0.55, 1), (2.0, -0.7, 1), (0.4, 1.5, 1), (-0.5, 2.0, 1), (1.5, 1.0, 1), (-1.0, 0.65, 1),
    (-1.0, -0.55, 0), (-2.0, 0.3, 0), (0.65, -1.5, 0), (1.0, -2.45, 0), (-0.55, -1.0, 0), (1.0, -0.45, 0),
)
WEIGHT_LOW, WEIGHT_HIGH = -3.0, 3.0
#: Sweep and key steps in tenths: w = i / 10 keeps every step exact.
WEIGHT_TENTHS = (-30, 30)


def toy_data() -> tuple[np.ndarray, np.ndarray]:
    """The toy points as x (12, 2) and labels t (12,)."""
    points = np.array(TOY_POINTS)
    return points[:, :2], points[:, 2].astype(int)


def toy_probabilities(w: float, x: np.ndarray | None = None) -> np.ndarray:
    """softmax of the scores [0, w·x1 + x2]: class 1's score has the weight w on x1."""
    if not math.isfinite(w):
        raise ValueError(f"the weight must be a finite number, got {w}")
    if x is None:
        x = toy_data()[0]
    scores = np.stack([np.zeros(len(x)), w * x[:, 0] + x[:, 1]], axis=1)
    return softmax(scores)


@dataclass(frozen=True)
class Evaluation:
    weight: float
    correct: int
    total: int
    loss: float  # mean cross-entropy error

    @property
    def accuracy(self) -> float:
        return self.correct / self.total


def evaluate_weight(w: float) -> Evaluation:
    """Accuracy and cross-entropy loss of the toy classifier at weight w."""
    x, t = toy_data()
    y = toy_probabilities(w, x)
    # argmax picks class 0 on a tie (score exactly 0): a point on the line counts as 0.
    correct = int(np.sum(np.argmax(y, axis=1) == t))
    return Evaluation(float(w), correct, len(t), cross_entropy_error(y, t))


@dataclass(frozen=True)
class Sweep:
    weights: np.ndarray
    accuracy: np.ndarray
    loss: np.ndarray


def weight_sweep(low: float = WEIGHT_LOW, high: float = WEIGHT_HIGH, points: int = 601) -> Sweep:
    """Accuracy (stairs) and loss (smooth) of the toy classifier for w from low to high."""
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"need finite low < high, got {low}, {high}")
    if points < 2:
        raise ValueError(f"points must be at least 2, got {points}")
    weights = np.linspace(low, high, points)
    results = [evaluate_weight(w) for w in weights]
    return Sweep(weights, np.array([r.accuracy for r in results]), np.array([r.loss for r in results]))


def slope(f: Callable[[float], float], w: float, h: float = 1e-4) -> float:
    """Central difference (f(w + h) - f(w - h)) / 2h, the book's numerical_diff."""
    return (f(w + h) - f(w - h)) / (2 * h)


@dataclass
class WeightLab:
    """The weight the student moves with ←/→, in steps of 0.1 from -3 to 3."""

    tenths: int = -10

    @property
    def weight(self) -> float:
        return self.tenths / 10

    def step(self, direction: int) -> None:
        """Move one step (direction +1 or -1); refused (`losses.weight_edge`) at the ends of the range."""
        new = self.tenths + direction
        if not WEIGHT_TENTHS[0] <= new <= WEIGHT_TENTHS[1]:
            raise Refusal("losses.weight_edge", low=WEIGHT_LOW, high=WEIGHT_HIGH)
        self.tenths = new

    @classmethod
    def read(cls, fields: Fields, name: str = "weight") -> WeightLab:
        """The weight of a state document: -3 to 3 in steps of 0.1, as the keys move it."""
        weight = fields.number(name, WEIGHT_LOW, WEIGHT_HIGH)
        tenths = round(weight * 10)
        if abs(weight * 10 - tenths) > GRID_TOLERANCE:
            raise Refusal("losses.weight_step", field=f"{fields.where}.{name}", value=weight)
        return cls(tenths)

    @property
    def evaluation(self) -> Evaluation:
        return evaluate_weight(self.weight)

    @property
    def loss_slope(self) -> float:
        return slope(lambda w: evaluate_weight(w).loss, self.weight)

    @property
    def accuracy_slope(self) -> float:
        return slope(lambda w: evaluate_weight(w).accuracy, self.weight)


# --- 4. mini-batch learning ------------------------------------------------------------

#: The largest batch a document may ask for before the data is known (full MNIST's training set).
MNIST_TRAIN_SIZE = 60_000
#: Batches drawn at one size before `draw` refuses: a state document replays them all.
MAX_DRAWS = 10_000
SEED_HIGH = 2**32 - 1


def draw_batch(train_size: int, batch_size: int, rng: np.random.Generator) -> np.ndarray:
    """The book's batch_mask = np.random.choice(train_size, batch_size) (with replacement)."""
    for name, value in (("train_size", train_size), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive whole number, got {value!r}")
    if batch_size > train_size:
        raise ValueError(f"batch_size {batch_size} is larger than the training set ({train_size})")
    return rng.choice(train_size, batch_size)


@dataclass(frozen=True)
class NearestMeanModel:
    """A fixed linear classifier: score_k = x·m_k - ½|m_k|², m_k the mean image of digit k.

    The biggest score is the nearest class mean; softmax of the scores gives
    probabilities, so the book's cross-entropy error applies.
    """

    W: np.ndarray  # (784, 10)
    b: np.ndarray  # (10,)

    @classmethod
    def fit(cls, images: np.ndarray, labels: np.ndarray) -> NearestMeanModel:
        images, labels = np.asarray(images), np.asarray(labels)
        if images.dtype != np.uint8 or images.ndim != 2:
            raise ValueError(f"images must be uint8 rows of pixels, got {images.dtype} {images.shape}")
        if labels.shape != (len(images),):
            raise ValueError(f"{len(images)} images but labels of shape {labels.shape}")
        missing = [k for k in range(10) if not np.any(labels == k)]
        if missing:
            raise ValueError(f"no training image of digit(s) {missing}: every digit needs a mean")
        # Mean of the uint8 pixels, then / 255: full MNIST as float64 would take 376 MB.
        means = np.stack([images[labels == k].mean(axis=0) / 255 for k in range(10)], axis=1)
        return cls(means, -0.5 * np.sum(means**2, axis=0))

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        return softmax(normalize(images, np.float64) @ self.W + self.b)

    def loss(self, images: np.ndarray, labels: np.ndarray, chunk: int = 2000) -> float:
        """Mean cross-entropy error over all the images (in chunks, to bound memory)."""
        n = len(images)
        if n == 0 or len(labels) != n:
            raise ValueError(f"need as many labels as images (and at least one), got {n} and {len(labels)}")
        total = 0.0
        for start in range(0, n, chunk):
            part = slice(start, start + chunk)
            count = len(images[part])
            total += cross_entropy_error(self.probabilities(images[part]), np.asarray(labels[part])) * count
        return total / n


@dataclass(frozen=True)
class BatchPlan:
    """Which batch is shown: `draws` batches of `size` drawn from a generator seeded with `seed`.

    A lab built from the same plan on the same data draws the same batches.
    """

    size: int = 10
    seed: int = 0
    draws: int = 1

    def to_state(self) -> dict[str, object]:
        return {"size": self.size, "seed": self.seed, "draws": self.draws}

    @classmethod
    def from_state(cls, fields: Fields, train_size: int = MNIST_TRAIN_SIZE) -> BatchPlan:
        return cls(
            fields.integer("size", 1, train_size),
            fields.integer("seed", 0, SEED_HIGH),
            fields.integer("draws", 1, MAX_DRAWS),
        )


@dataclass
class MiniBatchLab:
    """Mini-batches of a training set and their loss beside the loss on the whole set.

    The generator starts from `seed` again whenever the batch size changes,
    so (size, seed, draws) names the batch on screen: see `plan`.
    """

    data: MnistData
    batch_size: int = 10
    seed: int = 0
    model: NearestMeanModel = field(init=False)
    full_loss: float = field(init=False)
    rng: np.random.Generator = field(init=False, repr=False)
    indices: np.ndarray = field(init=False)
    batch_losses: list[float] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.check_batch_size(self.batch_size)
        self.model = NearestMeanModel.fit(self.data.train_images, self.data.train_labels)
        self.full_loss = self.model.loss(self.data.train_images, self.data.train_labels)
        self.rng = np.random.default_rng(self.seed)
        self.draw()

    @property
    def train_size(self) -> int:
        return self.data.train_size

    def check_batch_size(self, batch_size: int) -> None:
        """Refused (`losses.batch_size`) unless a whole number from 1 to the training set's size."""
        whole = not isinstance(batch_size, bool) and isinstance(batch_size, (int, np.integer))
        if not whole or not 1 <= batch_size <= self.data.train_size:
            raise Refusal("losses.batch_size", n=batch_size, high=self.data.train_size)

    def draw(self) -> None:
        """A new batch: np.random.choice(train_size, batch_size), and its loss."""
        if len(self.batch_losses) >= MAX_DRAWS:
            raise Refusal("losses.too_many_draws", most=MAX_DRAWS)
        self.indices = draw_batch(self.train_size, self.batch_size, self.rng)
        self.batch_losses.append(self.batch_loss)

    def set_batch_size(self, batch_size: int) -> None:
        """Change the batch size and draw a batch of that size.

        The loss history restarts, and so does the generator (from `seed`).
        """
        self.check_batch_size(batch_size)
        self.batch_size = int(batch_size)
        self.rng = np.random.default_rng(self.seed)
        self.batch_losses = []
        self.draw()

    @property
    def plan(self) -> BatchPlan:
        return BatchPlan(self.batch_size, self.seed, len(self.batch_losses))

    @classmethod
    def from_plan(
        cls, data: MnistData, plan: BatchPlan, stop: Callable[[], bool] = lambda: False
    ) -> MiniBatchLab | None:
        """The lab that `plan` names on `data`, its batches drawn again; None if `stop()` turned true."""
        lab = cls(data, batch_size=plan.size, seed=plan.seed)
        for _ in range(plan.draws - 1):
            if stop():
                return None
            lab.draw()
        return lab

    @property
    def labels(self) -> np.ndarray:
        return self.data.train_labels[self.indices]

    @property
    def batch_loss(self) -> float:
        return self.model.loss(self.data.train_images[self.indices], self.labels)

    @property
    def mean_batch_loss(self) -> float:
        """The mean of every batch loss drawn so far: it closes in on the full loss."""
        return float(np.mean(self.batch_losses))


# --- the lesson ---------------------------------------------------------------------------


@dataclass
class LossesLab:
    """Everything lesson 3 lets the student set, apart from the MNIST data itself.

    `batch` is the plan of the mini-batch section: the screen builds a
    `MiniBatchLab` from it once the data is loaded (and keeps the two in step).
    """

    mass: MassLab = field(default_factory=MassLab)
    margin: float = 1.0
    image: int = 0  # which cs231n image the softmax chain is shown for
    weight: WeightLab = field(default_factory=WeightLab)
    batch: BatchPlan = field(default_factory=BatchPlan)

    def set_margin(self, margin: float) -> None:
        self.margin = check_margin(margin)

    def cycle_margin(self) -> None:
        """Δ 1 → 3 → 5 → 1."""
        self.margin = next_margin(self.margin)

    def next_image(self) -> None:
        self.image = (self.image + 1) % len(CS231N_LABELS)

    def svm(self) -> SvmExample:
        return svm_example(self.margin)

    def softmax(self) -> SoftmaxExample:
        return softmax_example(self.image)

    def to_state(self) -> dict[str, object]:
        """What the student set, as plain JSON-able data (`from_state` reads it back)."""
        return {
            "mass": self.mass.to_state(),
            "margin": self.margin,
            "image": self.image,
            "weight": self.weight.weight,
            "batch": self.batch.to_state(),
        }

    @classmethod
    def from_state(cls, fields: Fields, train_size: int = MNIST_TRAIN_SIZE) -> LossesLab:
        """A new lab from a state document, read with typed input's limits; `Refusal` names a bad field.

        `train_size` bounds the batch size when the data is known.
        """
        return cls(
            mass=MassLab.from_state(fields.table_of("mass")),
            margin=check_margin(fields.number("margin", 0.0, MARGIN_HIGH)),
            image=fields.integer("image", 0, len(CS231N_LABELS) - 1),
            weight=WeightLab.read(fields, "weight"),
            batch=BatchPlan.from_state(fields.table_of("batch"), train_size),
        )


__all__ = [
    "CS231N_CLASSES",
    "CS231N_LABELS",
    "CS231N_SCORES",
    "MARGIN_HIGH",
    "MAX_DRAWS",
    "MNIST_TRAIN_SIZE",
    "L2_W1",
    "L2_W2",
    "L2_X",
    "MARGINS",
    "SEED_T",
    "SEED_Y1",
    "SEED_Y2",
    "BatchPlan",
    "Evaluation",
    "L2Example",
    "LossesLab",
    "MassLab",
    "MiniBatchLab",
    "NearestMeanModel",
    "SoftmaxExample",
    "Sweep",
    "SvmExample",
    "WeightLab",
    "biggest_other",
    "check_margin",
    "cross_entropy_without_delta",
    "draw_batch",
    "evaluate_weight",
    "l2_example",
    "minus_log10",
    "move_mass",
    "next_margin",
    "slope",
    "softmax_example",
    "svm_example",
    "toy_data",
    "toy_probabilities",
    "weight_sweep",
]
