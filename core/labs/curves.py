"""The curves of a training run, ready to draw: loss per iteration, accuracy per epoch.

A chart in a terminal has room for a few hundred points, while a run makes
tens of thousands of iterations.  ``LossHistory.chart`` therefore smooths the
whole history first (a moving average, so the trend is visible through the
mini-batch noise) and then keeps at most ``max_points`` evenly spaced points
of both the raw and the smoothed curve.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

# The smoothing window follows the run's length: about 1/20 of the
# iterations so far, but never so short that it is still noisy, nor so
# long that it lags far behind.
MIN_WINDOW = 5
MAX_WINDOW = 200


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
    return np.unique(np.linspace(0, n - 1, max_points).round().astype(np.int64))


@dataclass(frozen=True)
class LossCurve:
    """What the loss chart draws: iteration numbers (1-based), raw and smoothed loss."""

    iterations: np.ndarray
    raw: np.ndarray
    smoothed: np.ndarray
    window: int


class LossHistory:
    """Every iteration's loss of one run, appended as the run goes."""

    def __init__(self) -> None:
        self._values = np.empty(1024, dtype=np.float64)
        self._n = 0

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
        return LossCurve(index + 1, self.values[index].copy(), smoothed[index], window)


@dataclass(frozen=True)
class AccuracyCurve:
    """Train and test accuracy (0..1) at each epoch's end of one run, and its name."""

    label: str
    epochs: tuple[float, ...] = ()
    train: tuple[float, ...] = ()
    test: tuple[float, ...] = ()

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
                             (*self.train, float(train_acc)), (*self.test, float(test_acc)))

    @property
    def gap(self) -> float | None:
        """Train minus test accuracy at the last epoch (the overfitting gap), or None."""
        return self.train[-1] - self.test[-1] if self.epochs else None

    def __len__(self) -> int:
        return len(self.epochs)
