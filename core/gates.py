"""Perceptrons and logic gates, the book's chapter 2.

A perceptron with two inputs outputs 1 when ``x1*w1 + x2*w2 + b > 0`` and 0
otherwise (``<= 0`` gives 0, as in the book).  AND, NAND and OR are single
perceptrons with the book's weights; XOR is not linearly separable and needs
two layers: ``XOR = AND(NAND, OR)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, NamedTuple, Sequence

import numpy as np

from nn_tui.core.checks import finite

#: The four input points in truth-table order: (0,0), (1,0), (0,1), (1,1).
INPUTS: tuple[tuple[int, int], ...] = ((0, 0), (1, 0), (0, 1), (1, 1))


class TruthRow(NamedTuple):
    """One row of a gate's truth table."""

    x1: int
    x2: int
    weighted_sum: float
    y: int


@dataclass(frozen=True)
class DecisionLine:
    """The line w1*x1 + w2*x2 + b = 0 on the input plane (x1 across, x2 up).

    ``kind`` is ``"line"`` when w2 != 0 (use ``x2_at``), ``"vertical"`` when
    only w1 != 0 (the line x1 = ``x1_const``), and ``"none"`` when
    w1 = w2 = 0: then there is no line and every point gets the same output.
    """

    w1: float
    w2: float
    b: float

    @property
    def kind(self) -> str:
        if self.w2 != 0:
            return "line"
        if self.w1 != 0:
            return "vertical"
        return "none"

    @property
    def exists(self) -> bool:
        return self.kind != "none"

    @property
    def slope(self) -> float:
        """dx2/dx1 of the line (only for kind "line")."""
        self._need("line")
        return -self.w1 / self.w2

    @property
    def intercept(self) -> float:
        """x2 where the line crosses x1 = 0 (only for kind "line")."""
        self._need("line")
        return -self.b / self.w2

    @property
    def x1_const(self) -> float:
        """The x1 of a vertical line."""
        self._need("vertical")
        return -self.b / self.w1

    def x2_at(self, x1: float) -> float:
        """The x2 on the line above ``x1`` (only for kind "line")."""
        self._need("line")
        return -(self.w1 * x1 + self.b) / self.w2

    def side(self, x1: float, x2: float) -> int:
        """1 on the side where the perceptron outputs 1, else 0."""
        return 1 if x1 * self.w1 + x2 * self.w2 + self.b > 0 else 0

    def segment(
        self,
        x1_range: tuple[float, float] = (-0.5, 1.5),
        x2_range: tuple[float, float] = (-0.5, 1.5),
    ) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """The part of the line inside the box, as two end points, or None."""
        (xa, xb), (ya, yb) = sorted(x1_range), sorted(x2_range)
        kind = self.kind
        if kind == "none":
            return None
        if kind == "vertical":
            c = self.x1_const
            return ((c, ya), (c, yb)) if xa <= c <= xb else None
        if self.w1 == 0:  # horizontal
            c = self.intercept
            return ((xa, c), (xb, c)) if ya <= c <= yb else None
        # Restrict x1 to where the line's x2 stays inside [ya, yb].
        x_at_ya = -(self.w2 * ya + self.b) / self.w1
        x_at_yb = -(self.w2 * yb + self.b) / self.w1
        lo = max(xa, min(x_at_ya, x_at_yb))
        hi = min(xb, max(x_at_ya, x_at_yb))
        if lo > hi:
            return None
        return ((lo, self.x2_at(lo)), (hi, self.x2_at(hi)))

    def _need(self, kind: str) -> None:
        if self.kind != kind:
            raise ValueError(
                f"this decision line is of kind {self.kind!r} "
                f"(w1={self.w1}, w2={self.w2}), not {kind!r}"
            )


@dataclass(frozen=True)
class Perceptron:
    """y = 1 if x1*w1 + x2*w2 + b > 0 else 0."""

    w1: float
    w2: float
    b: float

    def __post_init__(self) -> None:
        for name in ("w1", "w2", "b"):
            object.__setattr__(self, name, finite(getattr(self, name), name))

    @property
    def theta(self) -> float:
        """The threshold θ of the book's first form: y = 1 if w1*x1 + w2*x2 > θ."""
        return -self.b

    def weighted_sum(self, x1: float, x2: float) -> float:
        x1, x2 = finite(x1, "x1"), finite(x2, "x2")
        # Weights are typed as decimals: 0.1 + 0.2 - 0.3 must be 0 (output 0 by
        # the rule "<= 0 gives 0"), not the float noise 5.6e-17 (output 1).
        return round(x1 * self.w1 + x2 * self.w2 + self.b, 10) + 0.0

    def output(self, x1: float, x2: float) -> int:
        return 1 if self.weighted_sum(x1, x2) > 0 else 0

    def outputs(self) -> tuple[int, ...]:
        """The outputs for the four inputs in truth-table order."""
        return tuple(self.output(x1, x2) for x1, x2 in INPUTS)

    def truth_table(self) -> list[TruthRow]:
        return [TruthRow(x1, x2, self.weighted_sum(x1, x2), self.output(x1, x2))
                for x1, x2 in INPUTS]

    def decision_line(self) -> DecisionLine:
        return DecisionLine(self.w1, self.w2, self.b)

    def with_weights(self, w1: float | None = None, w2: float | None = None,
                     b: float | None = None) -> Perceptron:
        """A copy with some weights changed."""
        changes = {k: v for k, v in (("w1", w1), ("w2", w2), ("b", b)) if v is not None}
        return replace(self, **changes)


AND = Perceptron(0.5, 0.5, -0.7)
NAND = Perceptron(-0.5, -0.5, 0.7)
OR = Perceptron(0.5, 0.5, -0.2)

#: Target outputs in truth-table order (0,0), (1,0), (0,1), (1,1).
GATE_TARGETS: dict[str, tuple[int, int, int, int]] = {
    "AND": (0, 0, 0, 1),
    "NAND": (1, 1, 1, 0),
    "OR": (0, 1, 1, 1),
    "XOR": (0, 1, 1, 0),
}


class XorResult(NamedTuple):
    """Every value of the two-layer XOR network."""

    x1: float
    x2: float
    s1: int  # NAND(x1, x2)
    s2: int  # OR(x1, x2)
    y: int   # AND(s1, s2)


def xor(x1: float, x2: float) -> XorResult:
    """XOR as two layers of perceptrons: y = AND(NAND(x1, x2), OR(x1, x2))."""
    s1 = NAND.output(x1, x2)
    s2 = OR.output(x1, x2)
    return XorResult(float(x1), float(x2), s1, s2, AND.output(s1, s2))


# --- linear separability ------------------------------------------------------

Point = tuple[Fraction, Fraction]


def _cross(o: Point, a: Point, b: Point) -> Fraction:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: Sequence[Point]) -> list[Point]:
    """Vertices of the convex hull, counter-clockwise (Andrew's monotone chain).

    Degenerate sets give one point or the two ends of a segment.
    """
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def half(seq: Sequence[Point]) -> list[Point]:
        out: list[Point] = []
        for p in seq:
            while len(out) >= 2 and _cross(out[-2], out[-1], p) <= 0:
                out.pop()
            out.append(p)
        return out

    lower, upper = half(pts), half(pts[::-1])
    hull = lower[:-1] + upper[:-1]
    return hull if len(hull) >= 2 else pts[:1]


def _on_segment(p: Point, q: Point, r: Point) -> bool:
    """Is r (collinear with p, q) within the bounding box of p..q?"""
    return (min(p[0], q[0]) <= r[0] <= max(p[0], q[0])
            and min(p[1], q[1]) <= r[1] <= max(p[1], q[1]))


def _segments_meet(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """Do the closed segments p1p2 and q1q2 share a point (ends may coincide)?"""
    d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
    d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
    if ((d1 > 0) != (d2 > 0) and d1 != 0 and d2 != 0
            and (d3 > 0) != (d4 > 0) and d3 != 0 and d4 != 0):
        return True
    return ((d1 == 0 and _on_segment(q1, q2, p1)) or (d2 == 0 and _on_segment(q1, q2, p2))
            or (d3 == 0 and _on_segment(p1, p2, q1)) or (d4 == 0 and _on_segment(p1, p2, q2)))


def _edges(hull: list[Point]) -> list[tuple[Point, Point]]:
    if len(hull) == 1:
        return [(hull[0], hull[0])]
    if len(hull) == 2:
        return [(hull[0], hull[1])]
    return [(hull[i], hull[(i + 1) % len(hull)]) for i in range(len(hull))]


def _inside(point: Point, hull: list[Point]) -> bool:
    """Is the point inside (or on) a counter-clockwise polygon of >= 3 vertices?"""
    return len(hull) >= 3 and all(_cross(a, b, point) >= 0 for a, b in _edges(hull))


def hulls_intersect(a: Sequence[Point], b: Sequence[Point]) -> bool:
    """Do the convex hulls of two finite 2-D point sets share a point?"""
    ha, hb = convex_hull(a), convex_hull(b)
    if not ha or not hb:
        return False
    if any(_segments_meet(p1, p2, q1, q2) for p1, p2 in _edges(ha) for q1, q2 in _edges(hb)):
        return True
    # No edges cross: they intersect only if one lies entirely inside the other.
    return _inside(ha[0], hb) or _inside(hb[0], ha)


def is_linearly_separable(
    targets: Sequence[int],
    points: Sequence[tuple[float, float]] = INPUTS,
) -> bool:
    """Can one straight line put the 1-points on one side and the 0-points on the other?

    True exactly when the convex hulls of the two classes do not intersect
    (exact rational arithmetic, so no rounding decides the answer).
    """
    targets = _check_targets(targets, len(points))
    exact = [(Fraction(finite(x, "x1")), Fraction(finite(y, "x2"))) for x, y in points]
    ones = [p for p, t in zip(exact, targets) if t == 1]
    zeros = [p for p, t in zip(exact, targets) if t == 0]
    return not hulls_intersect(ones, zeros)


def _check_targets(targets: Any, n: int = 4) -> tuple[int, ...]:
    if isinstance(targets, str):
        key = targets.strip().upper()
        if key not in GATE_TARGETS:
            raise ValueError(f"unknown gate {targets!r}; choose one of {', '.join(GATE_TARGETS)}")
        targets = GATE_TARGETS[key]
    try:
        values = tuple(targets)
    except TypeError:
        raise ValueError(f"targets must be a sequence of {n} zeros and ones, got {targets!r}") from None
    if len(values) != n or any(isinstance(t, bool) or t not in (0, 1) for t in values):
        raise ValueError(f"targets must be {n} values, each 0 or 1, got {values!r}")
    return tuple(int(t) for t in values)


# --- the perceptron learning rule ---------------------------------------------

class LearningStep(NamedTuple):
    """What one application of the learning rule did."""

    step: int                 # 1 for the first step
    sample: tuple[int, int]   # (x1, x2)
    weighted_sum: float
    prediction: int
    target: int
    error: int                # target - prediction: -1, 0 or 1
    old: Perceptron
    new: Perceptron

    @property
    def changed(self) -> bool:
        return self.error != 0


class PerceptronLearner:
    """Learn a gate one sample at a time: w <- w + lr*(t - y)*x, b <- b + lr*(t - y).

    ``targets`` are four outputs in truth-table order, or a gate name from
    ``GATE_TARGETS``.  Without a starting ``perceptron`` the weights are drawn
    uniformly from [-1, 1] and rounded to two decimals (readable on screen)
    with ``rng`` (a Generator or a seed; None means seed 0, so a class sees
    the same run every time).  The samples are visited in truth-table order.
    """

    def __init__(
        self,
        targets: Sequence[int] | str,
        perceptron: Perceptron | None = None,
        lr: float = 0.1,
        rng: np.random.Generator | int | None = None,
    ) -> None:
        self.targets = _check_targets(targets)
        self.lr = finite(lr, "lr")
        if self.lr <= 0:
            raise ValueError(f"lr must be positive, got {self.lr}")
        if perceptron is None:
            gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(
                0 if rng is None else rng)
            w1, w2, b = np.round(gen.uniform(-1.0, 1.0, size=3), 2)
            perceptron = Perceptron(float(w1), float(w2), float(b))
        elif not isinstance(perceptron, Perceptron):
            raise ValueError(f"perceptron must be a Perceptron, got {type(perceptron).__name__}")
        self.start = perceptron
        self._perceptron = perceptron
        self._steps = 0
        self._clean_streak = 0  # steps in a row without an error
        #: Whether any line can solve these targets; if not, learning never converges.
        self.separable = is_linearly_separable(self.targets)

    @property
    def perceptron(self) -> Perceptron:
        return self._perceptron

    @property
    def steps(self) -> int:
        return self._steps

    @property
    def epoch(self) -> int:
        """Completed passes over the four samples."""
        return self._steps // len(INPUTS)

    @property
    def next_sample(self) -> int:
        """Index (truth-table row) of the sample the next step will use."""
        return self._steps % len(INPUTS)

    @property
    def converged(self) -> bool:
        """True after a whole pass (four steps in a row) without an error."""
        return self._clean_streak >= len(INPUTS)

    @property
    def solves_targets(self) -> bool:
        """Does the current perceptron already give every target?"""
        return self._perceptron.outputs() == self.targets

    def step(self) -> LearningStep:
        """Apply the rule to the next sample and report what happened."""
        i = self.next_sample
        x1, x2 = INPUTS[i]
        old = self._perceptron
        s = old.weighted_sum(x1, x2)
        y = 1 if s > 0 else 0
        t = self.targets[i]
        error = t - y
        new = old
        if error:
            delta = self.lr * error
            new = Perceptron(old.w1 + delta * x1, old.w2 + delta * x2, old.b + delta)
        self._perceptron = new
        self._steps += 1
        self._clean_streak = 0 if error else self._clean_streak + 1
        return LearningStep(self._steps, (x1, x2), s, y, t, error, old, new)

    def run(self, max_steps: int = 1000) -> int:
        """Step until converged or ``max_steps`` steps were taken; return the steps taken."""
        if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 0:
            raise ValueError(f"max_steps must be a non-negative integer, got {max_steps!r}")
        taken = 0
        while taken < max_steps and not self.converged:
            self.step()
            taken += 1
        return taken
