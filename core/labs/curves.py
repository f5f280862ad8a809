"""The curves of a training run, ready to draw: loss per iteration, accuracy per epoch.

A chart in a terminal has room for a few hundred points, while a run makes
tens of thousands of iterations.  ``LossHistory.chart`` therefore smooths the
whole history first (a moving average, so the trend is visible through the
mini-batch noise) and then keeps at most ``max_points`` evenly spaced points
of both the raw and the smoothed curve.

``RunRecord`` is what lesson 6 shows of its runs -- the current run's curves
and status numbers, and the accuracy and smoothed loss of the two runs
before it as "ghosts" (the book compares optimisers and initial weights by
their loss curves) -- and what its state document keeps of them (`to_state` / `from_state`):
the numbers, not the network's weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from collections.abc import Sequence
from typing import Any

import numpy as np

from nn_tui.core.refusal import Refusal
from nn_tui.core.state import MAX_ITEMS, Fields
from nn_tui.core.trainer import DivergedEvent, EpochEvent, IterationEvent

# The smoothing window follows the run's length: about 1/20 of the
# iterations so far, but never so short that it is still noisy, nor so
# long that it lags far behind.
MIN_WINDOW = 5
MAX_WINDOW = 200

# A state document keeps at most this many losses; a longer history is
# written as the means of equal blocks of iterations (see LossHistory.to_state).
MAX_STORED_LOSSES = MAX_ITEMS
# Earlier runs whose accuracy and loss curves stay on the charts.
MAX_GHOSTS = 2
# Points kept of an earlier run's smoothed loss: more than a wide terminal has columns of dots.
GHOST_POINTS = 500


def smooth(values: Any, window: int) -> np.ndarray:
    """Trailing moving average: point i is the mean of the last ``window`` values up to i.

    The first points average what there is so far (point 0 is values[0]),
    so the result has the same length as ``values``.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 1:
        raise ValueError(f"smooth needs a 1-D list of values, got shape {v.shape}")
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"the smoothing window must be a whole number >= 1, got {window!r}")
    if not np.isfinite(v).all():
        raise ValueError("smooth got NaN or infinite values; drop them before smoothing")
    if v.size == 0:
        return v.copy()
    total = np.concatenate(([0.0], np.cumsum(v)))
    end = np.arange(1, v.size + 1)
    start = np.maximum(end - int(window), 0)
    return (total[end] - total[start]) / (end - start)


def smoothing_window(n: int) -> int:
    """The moving-average window for a history of ``n`` iterations."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a whole number >= 0, got {n!r}")
    return int(min(max(n // 20, MIN_WINDOW), MAX_WINDOW))


def downsample(n: int, max_points: int) -> np.ndarray:
    """At most ``max_points`` evenly spaced indices into ``range(n)``, first and last included."""
    for value, what in ((n, "n"), (max_points, "max_points")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"{what} must be a whole number, got {value!r}")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if max_points < 2:
        raise ValueError(f"max_points must be at least 2 (the first and the last point), got {max_points}")
    if n <= max_points:
        return np.arange(n)
    # With n > max_points the spacing is over 1, so the rounded indices are
    # already increasing and distinct (np.unique would also import numpy.ma,
    # half a megabyte in every student's app).
    return np.linspace(0, n - 1, max_points).round().astype(np.int64)


@dataclass(frozen=True)
class LossCurve:
    """What the loss chart draws: iteration numbers (1-based), raw and smoothed loss."""

    iterations: np.ndarray
    raw: np.ndarray
    smoothed: np.ndarray
    window: int


class LossHistory:
    """Every iteration's loss of one run, appended as the run goes.

    ``every`` is how many iterations one value stands for: 1, except for a
    very long history read back from a state document, where each value is
    the mean of ``every`` iterations.
    """

    def __init__(self, every: int = 1) -> None:
        self._values = np.empty(1024, dtype=np.float64)
        self._n = 0
        self.every = every

    def __len__(self) -> int:
        return self._n

    @property
    def values(self) -> np.ndarray:
        """The losses so far (a read-only view)."""
        view = self._values[:self._n]
        view.flags.writeable = False
        return view

    @property
    def last(self) -> float | None:
        return float(self._values[self._n - 1]) if self._n else None

    def append(self, losses: Any) -> None:
        """Add the next iterations' losses (finite numbers: a NaN has no place on a chart)."""
        new = np.atleast_1d(np.asarray(losses, dtype=np.float64))
        if new.ndim != 1:
            raise ValueError(f"losses must be a 1-D list, got shape {new.shape}")
        if not np.isfinite(new).all():
            raise ValueError("a loss is NaN or infinite; the run diverged and such a loss is not recorded")
        needed = self._n + new.size
        if needed > self._values.size:
            grown = np.empty(max(needed, 2 * self._values.size), dtype=np.float64)
            grown[:self._n] = self._values[:self._n]
            self._values = grown
        self._values[self._n:needed] = new
        self._n = needed

    def chart(self, max_points: int = 500) -> LossCurve:
        """The raw and smoothed curves, at most ``max_points`` points each."""
        window = smoothing_window(self._n)
        smoothed = smooth(self.values, window)
        index = downsample(self._n, max_points)
        return LossCurve((index + 1) * self.every, self.values[index].copy(), smoothed[index], window)

    def to_state(self) -> dict[str, object]:
        """The losses as plain JSON numbers (exact); past `MAX_STORED_LOSSES`, means of equal blocks."""
        values, every = self.values, self.every
        if len(values) > MAX_STORED_LOSSES:
            block = -(-len(values) // MAX_STORED_LOSSES)
            ends = np.arange(block, len(values) + block, block).clip(max=len(values))
            total = np.concatenate(([0.0], np.cumsum(values)))
            values = (total[ends] - total[ends - block]) / (ends - (ends - block))
            every *= block
        return {"every": every, "values": [float(v) for v in values]}

    @classmethod
    def from_state(cls, fields: Fields) -> LossHistory:
        history = cls(fields.integer("every", 1, 10**9))
        history.append(fields.numbers("values", max_length=MAX_STORED_LOSSES))
        return history


@dataclass(frozen=True)
class AccuracyCurve:
    """Train and test accuracy (0..1) at each epoch's end of one run, and its name."""

    label: str
    epochs: tuple[float, ...] = ()
    train: tuple[float, ...] = ()
    test: tuple[float, ...] = ()
    run: int = 0  # the run's number, for a name when `label` is empty

    def add(self, epoch: float, train_acc: float, test_acc: float) -> AccuracyCurve:
        """This curve with one more epoch's point."""
        for value, what in ((train_acc, "train accuracy"), (test_acc, "test accuracy")):
            if not (isinstance(value, (int, float, np.integer, np.floating)) and 0 <= value <= 1):
                raise ValueError(f"{what} must be a number from 0 to 1, got {value!r}")
        if not isinstance(epoch, (int, float, np.integer, np.floating)) or not math.isfinite(epoch):
            raise ValueError(f"epoch must be a finite number, got {epoch!r}")
        if self.epochs and epoch <= self.epochs[-1]:
            raise ValueError(f"epoch {epoch} does not come after epoch {self.epochs[-1]}")
        return AccuracyCurve(self.label, (*self.epochs, float(epoch)),
                             (*self.train, float(train_acc)), (*self.test, float(test_acc)), self.run)

    @property
    def gap(self) -> float | None:
        """Train minus test accuracy at the last epoch (the overfitting gap), or None."""
        return self.train[-1] - self.test[-1] if self.epochs else None

    def __len__(self) -> int:
        return len(self.epochs)

    def to_state(self) -> dict[str, object]:
        return {"label": self.label, "run": self.run, "epochs": list(self.epochs),
                "train": list(self.train), "test": list(self.test)}

    @classmethod
    def from_state(cls, fields: Fields) -> AccuracyCurve:
        epochs = fields.numbers("epochs", low=0, high=10**12)
        train = fields.numbers("train", len(epochs), low=0, high=1)
        test = fields.numbers("test", len(epochs), low=0, high=1)
        if any(b <= a for a, b in zip(epochs, epochs[1:])):
            raise Refusal("state.not_increasing", field=f"{fields.where}.epochs")
        return cls(fields.text("label", max_length=100), tuple(epochs), tuple(train), tuple(test),
                   fields.integer("run", 0, 10**9))


@dataclass(frozen=True)
class LossGhost:
    """An earlier run's smoothed loss (at most `GHOST_POINTS` points), and its name."""

    label: str
    run: int
    iterations: tuple[float, ...] = ()
    loss: tuple[float, ...] = ()

    def __len__(self) -> int:
        return len(self.iterations)

    @classmethod
    def of(cls, label: str, run: int, history: LossHistory) -> LossGhost:
        curve = history.chart(GHOST_POINTS)
        return cls(label, run, tuple(float(i) for i in curve.iterations), tuple(float(v) for v in curve.smoothed))

    def to_state(self) -> dict[str, object]:
        return {"label": self.label, "run": self.run, "iterations": list(self.iterations), "loss": list(self.loss)}

    @classmethod
    def from_state(cls, fields: Fields) -> LossGhost:
        iterations = fields.numbers("iterations", max_length=GHOST_POINTS, low=1, high=10**12)
        loss = fields.numbers("loss", len(iterations), low=0)
        if any(b <= a for a, b in zip(iterations, iterations[1:])):
            raise Refusal("state.not_increasing", field=f"{fields.where}.iterations")
        return cls(fields.text("label", max_length=100), fields.integer("run", 0, 10**9), tuple(iterations),
                   tuple(loss))


class RunRecord:
    """What lesson 6 shows of its runs: the current run's curves and status numbers, earlier runs as ghosts.

    The trainer does the work; the record keeps what the screen draws from:
    every iteration's loss, the accuracies at each epoch's end, the latest
    iteration (for the status line), the run's length, how it diverged if it
    did, and the accuracy curves of the last `MAX_GHOSTS` runs.
    """

    def __init__(self) -> None:
        self.runs = 0  # runs started so far: a run without a preset's name is called by its number
        self.loss = LossHistory()
        self.accuracy = AccuracyCurve("")
        self.ghosts: tuple[AccuracyCurve, ...] = ()
        self.loss_ghosts: tuple[LossGhost, ...] = ()
        self.last: IterationEvent | None = None
        self.iterations = 0  # the run's length; 0 before a run is planned
        self.iterations_per_epoch = 0
        self.diverged: DivergedEvent | None = None

    @property
    def epochs(self) -> int:
        """The run's length in epochs (the last one may be partial)."""
        return -(-self.iterations // self.iterations_per_epoch) if self.iterations_per_epoch else 0

    def start(self, label: str, iterations: int, iterations_per_epoch: int) -> None:
        """A new run begins: its curves are empty; `label` names it ("" for a run of changed settings)."""
        self.runs += 1
        self.loss = LossHistory()
        self.accuracy = AccuracyCurve(label, run=self.runs)
        self.last = None
        self.diverged = None
        self.plan(iterations, iterations_per_epoch)

    def plan(self, iterations: int, iterations_per_epoch: int) -> None:
        """The run's length (it changes when its settings do before it started)."""
        if iterations < 1 or iterations_per_epoch < 1:
            raise ValueError(f"a run has at least one iteration and epoch, got {iterations}, {iterations_per_epoch}")
        self.iterations, self.iterations_per_epoch = iterations, iterations_per_epoch

    def add(self, losses: Any, last: IterationEvent | None, epochs: Sequence[EpochEvent] = ()) -> None:
        """The iterations done since the last call: their losses, the latest one, the epochs that ended."""
        if len(losses):
            self.loss.append(losses)
        for event in epochs:
            self.accuracy = self.accuracy.add(event.epoch, event.train_acc, event.test_acc)
        if last is not None:
            self.last = last

    def reset(self) -> None:
        """Forget the run; its accuracy curve, if it has one, stays as a ghost."""
        if len(self.accuracy):
            self.ghosts = (*self.ghosts, self.accuracy)[-MAX_GHOSTS:]
        if len(self.loss):
            ghost = LossGhost.of(self.accuracy.label, self.accuracy.run, self.loss)
            self.loss_ghosts = (*self.loss_ghosts, ghost)[-MAX_GHOSTS:]
        self.loss = LossHistory()
        self.accuracy = AccuracyCurve("")
        self.last = None
        self.iterations = self.iterations_per_epoch = 0
        self.diverged = None

    def to_state(self) -> dict[str, object]:
        """Plain JSON-able data: every number the charts and the status line show."""
        last = self.last
        return {
            "runs": self.runs,
            "loss": self.loss.to_state(),
            "accuracy": self.accuracy.to_state(),
            "ghosts": [ghost.to_state() for ghost in self.ghosts],
            "loss_ghosts": [ghost.to_state() for ghost in self.loss_ghosts],
            "last": None if last is None else {
                "iteration": last.iteration, "epoch": last.epoch, "loss": last.loss,
                "elapsed": last.elapsed, "samples_per_second": last.samples_per_second,
            },
            "iterations": self.iterations,
            "iterations_per_epoch": self.iterations_per_epoch,
            "diverged": None if self.diverged is None else self.diverged.to_state(),
        }

    @classmethod
    def from_state(cls, fields: Fields) -> RunRecord:
        """A record read from `to_state`'s document, every number checked; nothing is shared with another."""
        record = cls()
        record.runs = fields.integer("runs", 0, 10**9)
        record.loss = LossHistory.from_state(fields.table_of("loss"))
        record.accuracy = AccuracyCurve.from_state(fields.table_of("accuracy"))
        ghosts = fields.items("ghosts", max_length=MAX_GHOSTS)
        record.ghosts = tuple(
            AccuracyCurve.from_state(Fields(ghost, f"{fields.where}.ghosts[{i}]")) for i, ghost in enumerate(ghosts)
        )
        record.loss_ghosts = tuple(
            LossGhost.from_state(Fields(ghost, f"{fields.where}.loss_ghosts[{i}]"))
            for i, ghost in enumerate(fields.items("loss_ghosts", max_length=MAX_GHOSTS))
        )
        if _is_null(fields, "last"):
            record.last = None
        else:
            last = fields.table_of("last")
            record.last = IterationEvent(
                last.integer("iteration", 1, 10**12), last.integer("epoch", 1, 10**12), last.number("loss", low=0),
                last.number("elapsed", low=0), last.number("samples_per_second", low=0))
        record.iterations = fields.integer("iterations", 0, 10**12)
        record.iterations_per_epoch = fields.integer("iterations_per_epoch", 0, 10**12)
        if (record.iterations == 0) != (record.iterations_per_epoch == 0):
            raise Refusal("state.out_of_range", field=f"{fields.where}.iterations_per_epoch",
                          value=record.iterations_per_epoch, low="1", high="∞")
        record.diverged = None if _is_null(fields, "diverged") else DivergedEvent.from_state(
            fields.table_of("diverged"))
        return record


def _is_null(fields: Fields, name: str) -> bool:
    """Whether `name` is there and null (a missing key is refused by the read that follows)."""
    return fields.has(name) and fields.table[name] is None
