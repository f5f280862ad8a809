"""Lesson 2's state: an activation plotted with its derivative, stacked linear layers, softmax.

The maths is `nn_tui.core.functions`; this module keeps what the learner has
chosen (function, x range, cursor, scores) and checks every change, so a
screen only renders what it is given.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from nn_tui.core.checks import finite

from nn_tui.core.functions import ACTIVATIONS, softmax, softmax_naive, stacked_linear

#: How far the x axis may reach; sigmoid'(50) is still a (tiny) positive float.
X_LIMIT = 50.0
#: The narrowest x range, so the cursor step never gets silly.
MIN_SPAN = 0.01
#: Scores further out only make the numbers unreadable; the overflow already happens at 710.
SCORE_LIMIT = 1e4
MAX_SCORES = 6
MIN_SCORES = 2

BOOK_SCORES = (0.3, 2.9, 4.0)
OVERFLOW_SCORES = (1010.0, 1000.0, 990.0)


class LabRefusal(ValueError):
    """A change the learner asked for that cannot be made; `reason` and `values` let a UI say why."""

    def __init__(self, reason: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.reason = reason
        self.values = values


def nice_step(span: float, steps: int = 40) -> float:
    """The largest 1, 2 or 5 times a power of ten that fits `steps` times into `span`."""
    span = finite(span, "span")
    if span <= 0:
        raise ValueError(f"span must be positive, got {span}")
    raw = span / steps
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (5, 2, 1):
        if factor * power <= raw * (1 + 1e-9):
            return factor * power
    return power  # unreachable: factor 1 always fits


class Reading(NamedTuple):
    """h(x) and h'(x) at one x."""

    x: float
    y: float
    slope: float


class Curves(NamedTuple):
    """Sampled points of h and h' over the plotted range."""

    xs: np.ndarray
    ys: np.ndarray
    slopes: np.ndarray


class ActivationPlot:
    """One activation over [xmin, xmax], a cursor on it, and whether h' is drawn."""

    NAMES: tuple[str, ...] = tuple(ACTIVATIONS)
    #: Functions with a jump or a corner at x = 0, where h'(0) does not exist and the code picks a value.
    CORNER_AT_ZERO: frozenset[str] = frozenset({"step", "relu", "leaky_relu"})

    def __init__(self, name: str = "sigmoid", xmin: float = -6.0, xmax: float = 6.0) -> None:
        self.name = "sigmoid"
        self.select(name)
        self.xmin, self.xmax, self.cursor = -6.0, 6.0, 0.0
        self.set_range(xmin, xmax)
        self.show_derivative = False

    # --- which function ---------------------------------------------------------------

    def select(self, name: str) -> None:
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(self.NAMES)}")
        self.name = name

    def next_function(self, offset: int = 1) -> str:
        """Move `offset` places along the list of functions (wrapping round); the new name."""
        if isinstance(offset, bool) or not isinstance(offset, (int, np.integer)):
            raise ValueError(f"offset must be a whole number, got {offset!r}")
        index = (self.NAMES.index(self.name) + offset) % len(self.NAMES)
        self.name = self.NAMES[index]
        return self.name

    def toggle_derivative(self) -> bool:
        self.show_derivative = not self.show_derivative
        return self.show_derivative

    # --- the x range and the cursor -------------------------------------------------------

    def set_range(self, xmin: float, xmax: float) -> None:
        """Plot [xmin, xmax]; the cursor is pulled inside if it falls out."""
        xmin, xmax = finite(xmin, "xmin"), finite(xmax, "xmax")
        if xmin >= xmax:
            raise LabRefusal(
                "range_order", f"xmin ({xmin:g}) must be smaller than xmax ({xmax:g})", xmin=xmin, xmax=xmax
            )
        if xmax - xmin < MIN_SPAN:
            raise LabRefusal("range_narrow", f"the x range must be at least {MIN_SPAN:g} wide", span=MIN_SPAN)
        if xmin < -X_LIMIT or xmax > X_LIMIT:
            raise LabRefusal("range_limit", f"x must stay between {-X_LIMIT:g} and {X_LIMIT:g}", limit=X_LIMIT)
        self.xmin, self.xmax = xmin, xmax
        self.cursor = min(max(self.cursor, xmin), xmax)

    def zoom(self, factor: float) -> None:
        """Scale the range by `factor` (< 1 zooms in) around the cursor, within ±X_LIMIT."""
        factor = finite(factor, "factor")
        if factor <= 0:
            raise ValueError(f"zoom factor must be positive, got {factor:g}")
        span = (self.xmax - self.xmin) * factor
        if span < MIN_SPAN:
            raise LabRefusal(
                "zoom_in_limit", f"cannot zoom in: the x range must be at least {MIN_SPAN:g} wide", span=MIN_SPAN
            )
        if span >= 2 * X_LIMIT:
            xmin, xmax = -X_LIMIT, X_LIMIT
        else:
            # keep the cursor where it is on the screen, then slide the window back inside the limits
            xmin = self.cursor - (self.cursor - self.xmin) * factor
            shift = max(0.0, -X_LIMIT - xmin) - max(0.0, xmin + span - X_LIMIT)
            xmin += shift
            xmax = xmin + span
        if (xmin, xmax) == (self.xmin, self.xmax):
            raise LabRefusal(
                "zoom_out_limit", f"cannot zoom out: x is limited to {-X_LIMIT:g}..{X_LIMIT:g}", limit=X_LIMIT
            )
        self.set_range(round(xmin, 10), round(xmax, 10))

    @property
    def cursor_step(self) -> float:
        """How far one ←/→ press moves the cursor: a round number, about 1/40 of the range."""
        return nice_step(self.xmax - self.xmin)

    def set_cursor(self, x: float) -> None:
        x = finite(x, "x")
        if not self.xmin <= x <= self.xmax:
            raise LabRefusal(
                "cursor_outside",
                f"x = {x:g} is outside the plotted range [{self.xmin:g}, {self.xmax:g}]",
                x=x, xmin=self.xmin, xmax=self.xmax,
            )
        self.cursor = x

    def move_cursor(self, steps: int) -> float:
        """Move to the `steps`-th grid point of `cursor_step` to the right (negative: left)."""
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps == 0:
            raise ValueError(f"steps must be a non-zero whole number, got {steps!r}")
        step = self.cursor_step
        # grid points, so that 0, -1, 0.5 ... are hit exactly after a typed x like 0.37
        here = self.cursor / step
        index = math.floor(here + 1e-9) + steps if steps > 0 else math.ceil(here - 1e-9) + steps
        target = round(index * step, 12) + 0.0
        if (steps > 0 and self.cursor >= self.xmax) or (steps < 0 and self.cursor <= self.xmin):
            side = "right" if steps > 0 else "left"
            raise LabRefusal(f"cursor_{side}_end", f"x is already at the {side} end; zoom out or widen the range")
        self.cursor = min(max(target, self.xmin), self.xmax)
        return self.cursor

    # --- what is drawn -------------------------------------------------------------------------

    def reading(self) -> Reading:
        activation = ACTIVATIONS[self.name]
        x = self.cursor
        return Reading(x, float(activation.f(x)) + 0.0, float(activation.df(x)) + 0.0)

    @property
    def slope_is_a_convention(self) -> bool:
        """True at x = 0 of a function with a jump or corner: the h'(0) shown is the code's choice."""
        return self.name in self.CORNER_AT_ZERO and self.cursor == 0.0

    def curves(self, points: int = 401) -> Curves:
        if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 2:
            raise ValueError(f"points must be a whole number >= 2, got {points!r}")
        activation = ACTIVATIONS[self.name]
        xs = np.linspace(self.xmin, self.xmax, int(points))
        return Curves(xs, np.asarray(activation.f(xs)), np.asarray(activation.df(xs)))

    def y_limits(self, curves: Curves | None = None) -> tuple[float, float]:
        """A y range holding every drawn curve, with a margin so flat lines are not on the frame."""
        curves = self.curves() if curves is None else curves
        drawn = [curves.ys, curves.slopes] if self.show_derivative else [curves.ys]
        low = min(float(np.min(c)) for c in drawn)
        high = max(float(np.max(c)) for c in drawn)
        margin = max((high - low) * 0.08, 0.1)
        return low - margin, high + margin

    def y_ticks(self, limits: tuple[float, float] | None = None) -> list[float]:
        """Round y values to label (0 and 1 included for the S-curves), three to eight of them."""
        low, high = self.y_limits() if limits is None else limits
        step = nice_step(high - low, steps=3)
        first = math.ceil(low / step - 1e-9)
        last = math.floor(high / step + 1e-9)
        return [round(k * step, 12) + 0.0 for k in range(first, last + 1)]

    def smallest_slope(self, curves: Curves | None = None) -> Reading:
        """Where on the plotted range h' is smallest (the step function: 0 everywhere)."""
        curves = self.curves() if curves is None else curves
        i = int(np.argmin(curves.slopes))
        return Reading(float(curves.xs[i]), float(curves.ys[i]), float(curves.slopes[i]) + 0.0)


class LinearStack(NamedTuple):
    """h(x) = c·x applied three times, next to the one layer a·x that does the same."""

    c: float
    x: float
    outputs: tuple[float, ...]  # after layer 1, 2, 3
    a: float                    # c·c·c
    one_layer: float            # a·x


def linear_stack(c: float, x: float, layers: int = 3) -> LinearStack:
    """Every layer's output of a stack of linear layers, and the single layer equal to it."""
    c, x = finite(c, "c"), finite(x, "x")
    outputs = tuple(float(stacked_linear(c, x, k).stacked) + 0.0 for k in range(1, layers + 1))
    a = float(stacked_linear(c, x, layers).coefficient) + 0.0
    return LinearStack(c, x, outputs, a, a * x + 0.0)


def parse_scores(text: str) -> tuple[float, ...]:
    """'0.3, 2.9, 4.0' (commas or spaces, brackets allowed) as 2-6 finite scores, or LabRefusal."""
    if not isinstance(text, str):
        raise ValueError(f"scores must be given as text, got {text!r}")
    cleaned = text.replace("−", "-").replace("，", ",").strip().strip("[]()").strip()
    pieces = [p for p in re.split(r"[\s,;]+", cleaned) if p]
    if not pieces:
        raise LabRefusal("scores_empty", "type 2 to 6 numbers, e.g. 0.3, 2.9, 4.0", low=MIN_SCORES, high=MAX_SCORES)
    values = []
    for piece in pieces:
        try:
            value = float(piece)
        except ValueError:
            raise LabRefusal("scores_not_a_number", f"{piece!r} is not a number", item=piece) from None
        if not math.isfinite(value):
            raise LabRefusal("scores_not_finite", f"{piece!r} is not a finite number", item=piece)
        if abs(value) > SCORE_LIMIT:
            raise LabRefusal(
                "scores_too_large", f"{piece!r} is beyond ±{SCORE_LIMIT:g}", item=piece, limit=SCORE_LIMIT
            )
        values.append(value)
    if not MIN_SCORES <= len(values) <= MAX_SCORES:
        raise LabRefusal(
            "scores_count", f"give {MIN_SCORES} to {MAX_SCORES} scores, got {len(values)}",
            n=len(values), low=MIN_SCORES, high=MAX_SCORES,
        )
    return tuple(values)


def format_like_numpy(values: np.ndarray) -> list[str]:
    """Each value as NumPy prints the whole array with precision 8, i.e. as the book shows it."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"values must be 1-D, got shape {arr.shape}")
    text = np.array2string(arr, precision=8, separator=",", max_line_width=10**6, threshold=10**6)
    return [piece.strip().removesuffix(".") for piece in text.strip("[]").split(",")]


@dataclass(frozen=True)
class SoftmaxResult:
    """One way of computing softmax, with the intermediate exp values."""

    exps: np.ndarray
    total: float
    probabilities: np.ndarray

    @property
    def overflowed(self) -> bool:
        """Some exp(a), or their sum, is too large for a float (about exp(709.8))."""
        return bool(np.isinf(self.exps).any()) or math.isinf(self.total)

    @property
    def underflowed(self) -> bool:
        """Every exp(a) rounded to 0 (all scores below about -745), so the sum is 0."""
        return self.total == 0.0

    @property
    def failed(self) -> bool:
        """The result is unusable: nan, or zeros from dividing by an infinite sum."""
        return bool(np.isnan(self.probabilities).any()) or self.overflowed or self.underflowed

    @property
    def probability_sum(self) -> float:
        with np.errstate(invalid="ignore"):
            return float(np.sum(self.probabilities))


class SoftmaxDemo:
    """A score vector and its softmax computed naively and with the max subtracted."""

    def __init__(self, scores: tuple[float, ...] = BOOK_SCORES) -> None:
        self.scores: tuple[float, ...] = BOOK_SCORES
        self.set_scores(scores)

    def set_scores(self, scores: tuple[float, ...] | list[float]) -> None:
        values = tuple(finite(v, "score") for v in scores)
        if not MIN_SCORES <= len(values) <= MAX_SCORES:
            raise ValueError(f"give {MIN_SCORES} to {MAX_SCORES} scores, got {len(values)}")
        if any(abs(v) > SCORE_LIMIT for v in values):
            raise ValueError(f"scores must stay within ±{SCORE_LIMIT:g}")
        self.scores = values

    @property
    def shifted(self) -> np.ndarray:
        """a − max(a): the overflow trick; the largest becomes 0, so exp never exceeds 1."""
        a = np.asarray(self.scores)
        return a - a.max() + 0.0

    def naive(self) -> SoftmaxResult:
        with np.errstate(over="ignore", invalid="ignore"):
            exps = np.exp(np.asarray(self.scores))
            total = float(np.sum(exps))
        return SoftmaxResult(exps, total, softmax_naive(self.scores))

    def stable(self) -> SoftmaxResult:
        exps = np.exp(self.shifted)
        return SoftmaxResult(exps, float(np.sum(exps)), softmax(self.scores))
