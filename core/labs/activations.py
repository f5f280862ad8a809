"""Lesson 2's state: an activation plotted with its derivative, stacked linear layers, softmax.

The maths is `nn_tui.core.functions`; this module keeps what the learner has
chosen (function, x range, cursor, the linear layers' c and x, scores) and
checks every change, so a screen only renders what it is given. A change that
cannot be made raises a `Refusal` whose code (``activations.range_order``...)
the screen's catalogue turns into a sentence; nothing is changed then.

`ActivationsLab` gathers the three experiments; its state document
(`to_state` / `from_state`) keeps everything the learner set.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from nn_tui.core.checks import finite
from nn_tui.core.functions import (
    ACTIVATIONS,
    Activation,
    leaky_relu,
    leaky_relu_grad,
    softmax,
    softmax_naive,
    stacked_linear,
)
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields

#: How far the x axis may reach; sigmoid'(50) is still a (tiny) positive float.
X_LIMIT = 50.0
#: The narrowest x range, so the cursor step never gets silly.
MIN_SPAN = 0.01
#: Scores further out only make the numbers unreadable; the overflow already happens at 710.
SCORE_LIMIT = 1e4
#: Up to 10 scores: the output layer of an MNIST network has one per digit.
MAX_SCORES = 10
MIN_SCORES = 2
#: The linear layers h(x) = c·x: c within ±C_LIMIT, x within ±LINEAR_X_LIMIT (c³·x stays readable).
C_LIMIT = 10.0
LINEAR_X_LIMIT = 100.0

#: Leaky ReLU's slope α for x < 0: the usual 0.01; a learner may type any 0 < α ≤ ALPHA_LIMIT.
DEFAULT_ALPHA = 0.01
ALPHA_LIMIT = 1.0

BOOK_SCORES = (0.3, 2.9, 4.0)
OVERFLOW_SCORES = (1010.0, 1000.0, 990.0)


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
    """One activation over [xmin, xmax], a cursor on it, whether h' is drawn, and leaky ReLU's α."""

    NAMES: tuple[str, ...] = tuple(ACTIVATIONS)
    #: Functions with a jump or a corner at x = 0, where h'(0) does not exist and the code picks a value.
    CORNER_AT_ZERO: frozenset[str] = frozenset({"step", "relu", "leaky_relu"})

    def __init__(self, name: str = "sigmoid", xmin: float = -6.0, xmax: float = 6.0) -> None:
        self.name = "sigmoid"
        self.select(name)
        self.xmin, self.xmax, self.cursor = -6.0, 6.0, 0.0
        self.set_range(xmin, xmax)
        self.show_derivative = False
        self.alpha = DEFAULT_ALPHA

    def set_alpha(self, alpha: float) -> None:
        """Leaky ReLU's slope for x < 0: above 0 (0 is ReLU) and at most ALPHA_LIMIT."""
        alpha = finite(alpha, "alpha")
        if not 0 < alpha <= ALPHA_LIMIT:
            raise Refusal("activations.alpha_limit", alpha=alpha, limit=ALPHA_LIMIT)
        self.alpha = alpha

    @property
    def activation(self) -> Activation:
        """The plotted function and its derivative (leaky ReLU with this plot's α)."""
        if self.name == "leaky_relu":
            alpha = self.alpha
            return Activation(self.name, lambda x: leaky_relu(x, alpha), lambda x: leaky_relu_grad(x, alpha))
        return ACTIVATIONS[self.name]

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
            raise Refusal("activations.range_order", xmin=xmin, xmax=xmax)
        if xmax - xmin < MIN_SPAN:
            raise Refusal("activations.range_narrow", span=MIN_SPAN)
        if xmin < -X_LIMIT or xmax > X_LIMIT:
            raise Refusal("activations.range_limit", limit=X_LIMIT)
        self.xmin, self.xmax = xmin, xmax
        self.cursor = min(max(self.cursor, xmin), xmax)

    def zoom(self, factor: float) -> None:
        """Scale the range by `factor` (< 1 zooms in) around the cursor, within ±X_LIMIT."""
        factor = finite(factor, "factor")
        if factor <= 0:
            raise ValueError(f"zoom factor must be positive, got {factor:g}")
        span = (self.xmax - self.xmin) * factor
        if span < MIN_SPAN:
            raise Refusal("activations.zoom_in_limit", span=MIN_SPAN)
        if span >= 2 * X_LIMIT:
            xmin, xmax = -X_LIMIT, X_LIMIT
        else:
            # keep the cursor where it is on the screen, then slide the window back inside the limits
            xmin = self.cursor - (self.cursor - self.xmin) * factor
            shift = max(0.0, -X_LIMIT - xmin) - max(0.0, xmin + span - X_LIMIT)
            xmin += shift
            xmax = xmin + span
        if (xmin, xmax) == (self.xmin, self.xmax):
            raise Refusal("activations.zoom_out_limit", limit=X_LIMIT)
        self.set_range(round(xmin, 10), round(xmax, 10))

    @property
    def cursor_step(self) -> float:
        """How far one ←/→ press moves the cursor: a round number, about 1/40 of the range."""
        return nice_step(self.xmax - self.xmin)

    def set_cursor(self, x: float) -> None:
        x = finite(x, "x")
        if not self.xmin <= x <= self.xmax:
            raise Refusal("activations.cursor_outside", x=x, xmin=self.xmin, xmax=self.xmax)
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
            raise Refusal(f"activations.cursor_{side}_end")
        self.cursor = min(max(target, self.xmin), self.xmax)
        return self.cursor

    # --- what is drawn -------------------------------------------------------------------------

    def reading(self) -> Reading:
        activation = self.activation
        x = self.cursor
        return Reading(x, float(activation.f(x)) + 0.0, float(activation.df(x)) + 0.0)

    @property
    def slope_is_a_convention(self) -> bool:
        """True at x = 0 of a function with a jump or corner: the h'(0) shown is the code's choice."""
        return self.name in self.CORNER_AT_ZERO and self.cursor == 0.0

    def curves(self, points: int = 401) -> Curves:
        if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 2:
            raise ValueError(f"points must be a whole number >= 2, got {points!r}")
        activation = self.activation
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
    """'0.3, 2.9, 4.0' (commas or spaces, brackets allowed) as 2-6 finite scores, or a Refusal."""
    if not isinstance(text, str):
        raise ValueError(f"scores must be given as text, got {text!r}")
    # A minus sign and a full-width comma (what a Chinese keyboard types) count as - and ,
    cleaned = text.replace("\u2212", "-").replace("\uff0c", ",").strip().strip("[]()").strip()
    pieces = [p for p in re.split(r"[\s,;]+", cleaned) if p]
    if not pieces:
        raise Refusal("activations.scores_empty", low=MIN_SCORES, high=MAX_SCORES)
    values = []
    for piece in pieces:
        try:
            value = float(piece)
        except ValueError:
            raise Refusal("activations.scores_not_a_number", item=piece) from None
        if not math.isfinite(value):
            raise Refusal("activations.scores_not_finite", item=piece)
        if abs(value) > SCORE_LIMIT:
            raise Refusal("activations.scores_too_large", item=piece, limit=SCORE_LIMIT)
        values.append(value)
    if not MIN_SCORES <= len(values) <= MAX_SCORES:
        raise Refusal("activations.scores_count", n=len(values), low=MIN_SCORES, high=MAX_SCORES)
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
        """Use these scores; refused (a `Refusal`, the old scores kept) as typed scores would be."""
        values = tuple(finite(v, "score") for v in scores)
        if not MIN_SCORES <= len(values) <= MAX_SCORES:
            raise Refusal("activations.scores_count", n=len(values), low=MIN_SCORES, high=MAX_SCORES)
        for v in values:
            if abs(v) > SCORE_LIMIT:
                raise Refusal("activations.scores_too_large", item=v, limit=SCORE_LIMIT)
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


class ActivationsLab:
    """Everything lesson 2 lets the learner set: the plotted activation, the linear layers, the scores."""

    def __init__(self) -> None:
        self.plot = ActivationPlot("sigmoid", -6.0, 6.0)
        self.linear_c, self.linear_x = 2.0, 3.0
        self.softmax = SoftmaxDemo(BOOK_SCORES)

    def set_linear(self, c: float | None = None, x: float | None = None) -> None:
        """Change c and/or x of the linear layers h(x) = c·x; out of range is refused, nothing changed."""
        c = self.linear_c if c is None else finite(c, "c")
        x = self.linear_x if x is None else finite(x, "x")
        if abs(c) > C_LIMIT:
            raise Refusal("activations.linear_c_limit", c=c, limit=C_LIMIT)
        if abs(x) > LINEAR_X_LIMIT:
            raise Refusal("activations.linear_x_limit", x=x, limit=LINEAR_X_LIMIT)
        self.linear_c, self.linear_x = c, x

    def linear_stack(self) -> LinearStack:
        return linear_stack(self.linear_c, self.linear_x)

    # --- the state document -------------------------------------------------------------

    def to_state(self) -> dict[str, object]:
        """What the learner set, as plain JSON-able data (`from_state` reads it back)."""
        plot = self.plot
        return {
            "function": plot.name,
            "derivative": plot.show_derivative,
            "xmin": plot.xmin,
            "xmax": plot.xmax,
            "x": plot.cursor,
            "alpha": plot.alpha,
            "linear_c": self.linear_c,
            "linear_x": self.linear_x,
            "scores": list(self.softmax.scores),
        }

    @classmethod
    def from_state(cls, fields: Fields) -> ActivationsLab:
        """A new lab from a state document; raise `Refusal` (naming the field) if it is not valid.

        The limits are those of typed input: a document can hold nothing a learner could not type.
        """
        name = fields.choice("function", ActivationPlot.NAMES)
        derivative = fields.flag("derivative")
        xmin = fields.number("xmin", -X_LIMIT, X_LIMIT)
        xmax = fields.number("xmax", -X_LIMIT, X_LIMIT)
        x = fields.number("x", -X_LIMIT, X_LIMIT)
        alpha = fields.number("alpha", 0, ALPHA_LIMIT)
        c = fields.number("linear_c", -C_LIMIT, C_LIMIT)
        linear_x = fields.number("linear_x", -LINEAR_X_LIMIT, LINEAR_X_LIMIT)
        scores = fields.numbers("scores", low=-SCORE_LIMIT, high=SCORE_LIMIT)
        if not MIN_SCORES <= len(scores) <= MAX_SCORES:
            raise Refusal(
                "state.wrong_length", field=f"{fields.where}.scores", length=len(scores),
                expected=f"{MIN_SCORES}-{MAX_SCORES}",
            )
        lab = cls()
        lab.plot.select(name)
        lab.plot.set_range(xmin, xmax)
        lab.plot.set_cursor(x)
        lab.plot.show_derivative = derivative
        lab.plot.set_alpha(alpha)
        lab.set_linear(c, linear_x)
        lab.softmax.set_scores(scores)
        return lab
