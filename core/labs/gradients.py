"""What lesson 4 shows beside the book's gradient code: differences, fields, verdicts.

`nn_tui.core.gradient` holds the book's functions (numerical_diff,
numerical_gradient, gradient_descent, the optimiser race); this module adds
what a screen needs to *show* them: forward vs central difference side by
side, the error-vs-h curve on log axes, the gradient field as arrows,
contour lines, and a plain-words verdict on a gradient-descent run.

`GradientLab` is the lesson's model: the x and h of the difference, the point
of the partials, the learning rate and the descent run, and the optimiser
race. The screen only draws it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from nn_tui.core.checks import finite
from nn_tui.core.gradient import (
    BOOK_RACERS,
    DifferenceErrors,
    GradientDescent,
    OptimizerRace,
    difference_errors,
    forward_diff,
    function_2,
    gradient_field,
    numerical_diff,
    numerical_gradient,
    race_function,
)
from nn_tui.core.optimizers import make_optimizer
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields


def function_1(x: float) -> float:
    """The book's function_1: y = 0.01x² + 0.1x (ch04/gradient_1d.py)."""
    return 0.01 * x**2 + 0.1 * x


def function_1_derivative(x: float) -> float:
    """Its derivative worked out by hand: 0.02x + 0.1."""
    # Written over 100 so x = 10 gives 0.3, not 0.02*10 + 0.1 = 0.30000000000000004.
    return (2.0 * x + 10.0) / 100.0


def cube(x: float) -> float:
    """x³: its central difference is off by exactly h² (((x+h)³ − (x−h)³)/2h = 3x² + h²),
    its forward one by 3xh + h²."""
    return x**3


def cube_derivative(x: float) -> float:
    return 3.0 * x**2


#: The functions of the difference section, by name: the book's quadratic function_1, whose central
#: difference has no truncation error (its h² term is 0), and x³, where the h² error shows.
DIFF_FUNCTIONS: dict[str, tuple[Callable[[float], float], Callable[[float], float]]] = {
    "function_1": (function_1, function_1_derivative),
    "cube": (cube, cube_derivative),
}


def function_2_gradient(x: np.ndarray) -> np.ndarray:
    """The exact gradient of the book's function_2 = x0² + x1²: (2x0, 2x1)."""
    return 2.0 * np.asarray(x, dtype=float)


@dataclass(frozen=True)
class Partials:
    """The partial derivatives of function_2 at a point, numerical beside exact."""

    point: np.ndarray
    numerical: np.ndarray
    exact: np.ndarray

    @property
    def norm(self) -> float:
        """|∇f|, the length of the (numerical) gradient."""
        return float(np.hypot(*self.numerical))


def partials_of_function_2(x0: float, x1: float) -> Partials:
    """∂f/∂x0 and ∂f/∂x1 of x0² + x1² by numerical_gradient.

    At (3, 4) these are the seed's 6.00000000000378 and 7.999999999999119.
    """
    point = np.array([finite(x0, "x0"), finite(x1, "x1")])
    return Partials(point, numerical_gradient(function_2, point.copy()), function_2_gradient(point))


def float32_of(value: float) -> float:
    """`value` stored as float32 and read back: np.float32(1e-50) is 0.0."""
    return float(np.float32(finite(value, "value")))


@dataclass(frozen=True)
class DifferenceRow:
    """Forward and central differences of f at x with step h, beside the exact slope."""

    x: float
    h: float
    forward: float
    central: float
    exact: float

    @property
    def forward_error(self) -> float:
        return abs(self.forward - self.exact)

    @property
    def central_error(self) -> float:
        return abs(self.central - self.exact)


def compare_differences(
    f: Callable[[float], float], df: Callable[[float], float], x: float, h: float = 1e-4
) -> DifferenceRow:
    """Both difference quotients of `f` at `x` and the exact derivative `df(x)`."""
    x = finite(x, "x")
    h = finite(h, "h")
    if h <= 0:
        raise ValueError(f"the step h must be greater than 0, got {h!r}")
    return DifferenceRow(x, h, forward_diff(f, x, h), numerical_diff(f, x, h), float(df(x)))


def default_steps(smallest: int = 15) -> np.ndarray:
    """h from 1e-1 down to 1e-`smallest` (15 unless asked), four per decade (the x axis of the error plot)."""
    return 10.0 ** -np.linspace(1.0, float(smallest), 4 * (smallest - 1) + 1)


def log_points(hs: np.ndarray, errors: np.ndarray) -> tuple[list[float], list[float]]:
    """(log10 h, log10 error) for a log-log plot; an error of exactly 0 has no log and is left out."""
    hs, errors = np.asarray(hs, dtype=float), np.asarray(errors, dtype=float)
    if hs.shape != errors.shape or hs.ndim != 1:
        raise ValueError("hs and errors must be 1-D lists of the same length")
    keep = errors > 0
    return np.log10(hs[keep]).tolist(), np.log10(errors[keep]).tolist()


def error_curve(
    f: Callable[[float], float], df: Callable[[float], float], x: float, smallest: int = 15
) -> DifferenceErrors:
    """`difference_errors` of f at x over `default_steps(smallest)` (1e-1 … 1e-15 unless asked)."""
    return difference_errors(f, df, finite(x, "x"), default_steps(smallest))


# -- the gradient field -------------------------------------------------------

# Eight directions, counter-clockwise from "right", so index = round(angle / 45°).
ARROWS = ("→", "↗", "↑", "↖", "←", "↙", "↓", "↘")
NO_ARROW = "·"


def arrow_for(dx: float, dy: float) -> str:
    """The arrow closest in direction to the vector (dx, dy); y points up."""
    if dx == 0 and dy == 0:
        return NO_ARROW
    angle = math.atan2(dy, dx)
    return ARROWS[round(angle / (math.pi / 4)) % 8]


def grid_axis(low: float, high: float, step: float) -> np.ndarray:
    """low, low+step, …, high (inclusive), without float drift."""
    low, high, step = finite(low, "low"), finite(high, "high"), finite(step, "step")
    if step <= 0 or high < low:
        raise ValueError("a grid axis needs low <= high and a step greater than 0")
    count = int(round((high - low) / step)) + 1
    return low + step * np.arange(count)


@dataclass(frozen=True)
class ArrowGrid:
    """The field −∇f drawn as one arrow per grid point, top row (largest x1) first.

    `arrows[row][col]` is the arrow at (xs[col], ys[row]); `levels` puts |∇f|
    into bands (0 = weakest) so a screen can draw the steep arrows brighter.
    """

    xs: np.ndarray
    ys: np.ndarray
    arrows: tuple[tuple[str, ...], ...]
    magnitudes: np.ndarray
    levels: np.ndarray

    def cell_of(self, x0: float, x1: float) -> tuple[int, int] | None:
        """(row, col) of the grid point nearest to (x0, x1), or None outside the grid."""
        col = int(np.argmin(np.abs(self.xs - x0)))
        row = int(np.argmin(np.abs(self.ys - x1)))
        half_x = (self.xs[1] - self.xs[0]) / 2 if self.xs.size > 1 else 0.5
        half_y = (self.ys[0] - self.ys[1]) / 2 if self.ys.size > 1 else 0.5
        if abs(self.xs[col] - x0) > half_x or abs(self.ys[row] - x1) > half_y:
            return None
        return row, col


def arrow_grid(
    f: Callable[[np.ndarray], float], low: float, high: float, step: float, bands: int = 3
) -> ArrowGrid:
    """`gradient_field` of f on the square [low, high]² as arrows along −∇f."""
    if isinstance(bands, bool) or not isinstance(bands, int) or bands < 1:
        raise ValueError(f"bands must be a whole number of at least 1, got {bands!r}")
    xs = grid_axis(low, high, step)
    ys = xs[::-1].copy()  # drawn top-down: the largest x1 is the first row
    field = gradient_field(f, xs, ys)
    arrows = tuple(
        tuple(arrow_for(u, v) for u, v in zip(row_u, row_v)) for row_u, row_v in zip(field.u, field.v)
    )
    magnitudes = np.hypot(field.u, field.v)
    top = float(magnitudes.max())
    if top == 0:
        levels = np.zeros(magnitudes.shape, dtype=int)
    else:
        levels = np.minimum((magnitudes / top * bands).astype(int), bands - 1)
    return ArrowGrid(xs, ys, arrows, magnitudes, levels)


def circle(radius: float, points: int = 72) -> tuple[list[float], list[float]]:
    """A contour line x0² + x1² = radius² of function_2, as x and y lists."""
    radius = finite(radius, "radius")
    t = np.linspace(0.0, 2.0 * np.pi, points)
    return (radius * np.cos(t)).tolist(), (radius * np.sin(t)).tolist()


def ellipse(level: float, points: int = 72) -> tuple[list[float], list[float]]:
    """A contour line x²/20 + y² = level of the race function."""
    level = finite(level, "level")
    if level <= 0:
        raise ValueError("a contour level must be greater than 0")
    t = np.linspace(0.0, 2.0 * np.pi, points)
    return (math.sqrt(20.0 * level) * np.cos(t)).tolist(), (math.sqrt(level) * np.sin(t)).tolist()


# -- how a gradient-descent run is going ----------------------------------------

# Less than a 10 % drop in f per step counts as "barely moving".
SLOW_DROP = 0.9
# f this close to the previous f (relatively) is a bounce that gets nowhere.
SAME_VALUE = 1e-6
# Below this f the run has reached the minimum for the eye.
AT_MINIMUM = 1e-12
# Above this f the run has blown up: the lesson stops it rather than wait for inf.
BLOWN_UP = 1e12


def descent_verdict(values: Sequence[float], stopped: bool = False) -> str:
    """How a descent goes, from its f values: start, diverged, growing,
    oscillating, too_slow, minimum or good.

    Judged from the last two values, so it works for any learning rate, not
    only the presets. `stopped` is the stepper's own "a step gave inf/NaN".
    """
    if stopped:
        return "diverged"
    if len(values) == 0:
        raise ValueError("a descent has at least its starting value")
    now = float(values[-1])
    if not math.isfinite(now) or now > BLOWN_UP:
        return "diverged"
    if len(values) < 2:
        return "start"
    before = float(values[-2])
    if now <= AT_MINIMUM:
        return "minimum"
    if now > before * (1 + SAME_VALUE):
        return "growing"
    if abs(now - before) <= SAME_VALUE * before:
        return "oscillating"
    if now > SLOW_DROP * before:
        return "too_slow"
    return "good"


# -- the lesson's model ----------------------------------------------------------

#: x toggles between the book's two points.
X_PRESETS = (5.0, 10.0)
#: The range a typed x may take.
X_LIMIT = 1000.0
#: h from 1e-50 to 1: far below 1e-16·x, x + h rounds to x and both differences are 0 (the book's
#: 1e-50, rounded away); larger than 1 is no derivative.
H_RANGE = (1e-50, 1.0)
H_DECADES = (-50, 0)
#: The point of the partials stays on the drawn field [-4, 4]², moved 0.5 at a time.
FIELD_LIMIT = 4.0
FIELD_STEP = 0.5
#: A finer arrow grid for a big screen.
FINE_FIELD_STEP = 0.25
#: The learning-rate presets and the range a typed one may take.
LR_PRESETS = (0.01, 0.1, 1.0, 10.0)
LR_RANGE = (1e-6, 100.0)
#: The book's start of gradient descent on function_2 (ch04/gradient_method.py).
DESCENT_START = (-3.0, 4.0)
#: The descent picture shows [-5, 5]²: a point past it has left the picture.
DESCENT_VIEW = 5.0
#: The racers' names and their learning rates in the book (ch. 6, optimizer_compare_naive.py).
RACE_NAMES = tuple(name for name, _, _ in BOOK_RACERS)
RACE_LRS = tuple(lr for _, _, lr in BOOK_RACERS)
#: The range a racer's typed learning rate may take (a large one diverges, and the race says so).
RACE_LR_RANGE = (1e-6, 100.0)
#: More steps than any lesson needs; it also bounds what a state document replays (about a second).
MAX_STEPS = 10_000


def _within(value: float, name: str, low: float, high: float) -> float:
    """`value` as a float within [low, high], else a Refusal naming the field and the range."""
    value = finite(value, name)
    if not low <= value <= high:
        raise Refusal("gradients.out_of_range", field=name, value=value, low=low, high=high)
    return value


@dataclass(frozen=True)
class ErrorPlot:
    """The error-vs-h picture in log10 units: both curves (exact zeros left out) and h itself."""

    forward: tuple[list[float], list[float]]
    central: tuple[list[float], list[float]]
    log_h: float


@dataclass(frozen=True)
class Tangent:
    """f near x and its tangent y = f(x) + d·(t − x), d the central difference (the book's Fig. 4-7)."""

    xs: list[float]
    ys: list[float]
    tangent: list[float]
    slope: float
    point: tuple[float, float]


@dataclass(frozen=True)
class Racer:
    """One optimiser of the race as it stands: where it is and how high f is there."""

    name: str
    lr: float
    path: np.ndarray
    x: float
    y: float
    f: float
    diverged: bool


def _race_step(race: OptimizerRace) -> None:
    """One step of every racer; one whose f has blown up (past BLOWN_UP) is stopped, as descent is."""
    race.step()
    for name, (x, y) in race.positions.items():
        with np.errstate(over="ignore"):
            if not race_function(np.float64(x), np.float64(y)) <= BLOWN_UP:
                race.diverged.add(name)


class GradientLab:
    """Lesson 4's state: difference (x, h), partials (point), descent (lr, run) and the race.

    Every change that would leave the lesson's ranges raises a `Refusal` and
    changes nothing.
    """

    def __init__(self) -> None:
        self.function = "function_1"
        self.x = X_PRESETS[0]
        self.h = 1e-4
        self.point: tuple[float, float] = (3.0, 4.0)
        self.lr = 0.1
        self.descent = GradientDescent(function_2, DESCENT_START, lr=self.lr)
        self.race_lrs: tuple[float, ...] = RACE_LRS
        self.race = self._new_race()
        self._fields: dict[float, ArrowGrid] = {}

    # --- d: forward vs central difference ---------------------------------------

    def difference(self) -> DifferenceRow:
        return compare_differences(*DIFF_FUNCTIONS[self.function], self.x, self.h)

    def h_lost(self) -> bool:
        """True when x + h rounds back to x: h is too small to change x at all, both differences are 0."""
        return self.x + self.h == self.x and self.x - self.h == self.x

    def error_plot(self) -> ErrorPlot:
        """Both error curves from h = 1e-1 down to 1e-15, or down to h itself when it is smaller."""
        smallest = max(15, -int(np.floor(np.log10(self.h))))
        curve = error_curve(*DIFF_FUNCTIONS[self.function], self.x, smallest)
        return ErrorPlot(
            log_points(curve.hs, curve.forward), log_points(curve.hs, curve.central), float(np.log10(self.h))
        )

    def next_function(self) -> None:
        """The book's function_1, then x³, then function_1 again."""
        names = list(DIFF_FUNCTIONS)
        self.function = names[(names.index(self.function) + 1) % len(names)]

    def tangent(self, points: int = 201) -> Tangent:
        """f over [0, 20] (the book's range; around x when x is outside it) and its tangent at x."""
        f, _ = DIFF_FUNCTIONS[self.function]
        low, high = (0.0, 20.0) if 0.0 <= self.x <= 20.0 else (self.x - 10.0, self.x + 10.0)
        xs = np.linspace(low, high, points)
        slope = float(numerical_diff(f, self.x, self.h))
        y0 = float(f(self.x))
        return Tangent(
            xs.tolist(), [float(f(v)) for v in xs], (y0 + slope * (xs - self.x)).tolist(), slope, (self.x, y0)
        )

    def next_x(self) -> None:
        """The next of the book's points x = 5, 10 (from a typed x: the first)."""
        index = X_PRESETS.index(self.x) + 1 if self.x in X_PRESETS else 0
        self.x = X_PRESETS[index % len(X_PRESETS)]

    def set_x(self, x: float) -> None:
        self.x = _within(x, "x", -X_LIMIT, X_LIMIT)

    def set_h(self, h: float) -> None:
        h = finite(h, "h")
        if not H_RANGE[0] <= h <= H_RANGE[1]:
            raise Refusal("diff.h_range", h=h)
        self.h = h

    def scale_h(self, decades: int) -> None:
        """h times 10**decades, kept on a whole power of ten within H_RANGE."""
        scaled = self.h * 10.0**decades if decades >= 0 else self.h / 10.0**-decades
        exponent = int(round(np.log10(scaled)))
        if not H_DECADES[0] <= exponent <= H_DECADES[1]:
            raise Refusal("diff.h_range", h=scaled)
        self.h = 10.0**exponent

    # --- p: partial derivatives and the gradient field --------------------------

    def partials(self) -> Partials:
        return partials_of_function_2(*self.point)

    def set_point(self, x0: float, x1: float) -> None:
        x0, x1 = finite(x0, "x0"), finite(x1, "x1")
        if max(abs(x0), abs(x1)) > FIELD_LIMIT:
            raise Refusal("partials.edge", x0=x0, x1=x1, limit=FIELD_LIMIT)
        self.point = (x0, x1)

    def move(self, dx: int, dy: int) -> None:
        """Move the point FIELD_STEP times (dx, dy)."""
        self.set_point(self.point[0] + FIELD_STEP * dx, self.point[1] + FIELD_STEP * dy)

    def arrow_field(self, fine: bool = False) -> ArrowGrid:
        """−∇f on [-4, 4]² every 0.5 (every 0.25 if `fine`), worked out once."""
        step = FINE_FIELD_STEP if fine else FIELD_STEP
        if step not in self._fields:
            self._fields[step] = arrow_grid(function_2, -FIELD_LIMIT, FIELD_LIMIT, step)
        return self._fields[step]

    # --- g: gradient descent ------------------------------------------------------

    def set_lr(self, lr: float) -> bool:
        """A new learning rate starts a new run from DESCENT_START; False if it is the same one."""
        lr = _within(lr, "lr", *LR_RANGE)
        if lr == self.lr:
            return False
        self.lr = lr
        self.reset_descent()
        return True

    def pick_preset(self, direction: int) -> None:
        """The next preset learning rate below (direction < 0) or above the current one."""
        below = [lr for lr in LR_PRESETS if lr < self.lr]
        above = [lr for lr in LR_PRESETS if lr > self.lr]
        choice = below[-1] if direction < 0 and below else above[0] if direction > 0 and above else None
        if choice is None:
            raise Refusal("descent.last_preset", lr=self.lr)
        self.set_lr(choice)

    def reset_descent(self) -> None:
        self.descent = GradientDescent(function_2, DESCENT_START, lr=self.lr)

    def descent_verdict(self) -> str:
        return descent_verdict(self.descent.values, stopped=self.descent.stopped)

    def step_descent(self, count: int = 1) -> None:
        """Up to `count` steps; the run stops once it has diverged (refused from then on)."""
        if self.descent_verdict() == "diverged":
            raise Refusal("descent.stopped")
        if self.descent.steps >= MAX_STEPS:
            raise Refusal("gradients.step_limit", limit=MAX_STEPS)
        for _ in range(min(count, MAX_STEPS - self.descent.steps)):
            self.descent.step()
            if self.descent_verdict() == "diverged":
                break

    def descent_in_view(self) -> list[np.ndarray]:
        """The points of the run inside the picture [-5, 5]²: a blown-up value has no place on it."""
        return [p for p in self.descent.path if np.all(np.abs(p) <= DESCENT_VIEW)]

    # --- o: the optimiser race -----------------------------------------------------

    def step_race(self, count: int = 1) -> None:
        if self.race.steps >= MAX_STEPS:
            raise Refusal("gradients.step_limit", limit=MAX_STEPS)
        for _ in range(min(count, MAX_STEPS - self.race.steps)):
            _race_step(self.race)

    def _new_race(self, lrs: Sequence[float] | None = None) -> OptimizerRace:
        lrs = self.race_lrs if lrs is None else lrs
        return OptimizerRace(
            optimizers={name: make_optimizer(key, lr=lr) for (name, key, _), lr in zip(BOOK_RACERS, lrs)}
        )

    def reset_race(self) -> None:
        self.race = self._new_race()

    def set_race_lr(self, name: str, lr: float) -> bool:
        """A new learning rate for one racer: the race is run again to the same step; False if unchanged."""
        if name not in RACE_NAMES:
            raise ValueError(f"no racer is called {name!r}; the racers are {', '.join(RACE_NAMES)}")
        lr = _within(lr, "lr", *RACE_LR_RANGE)
        index = RACE_NAMES.index(name)
        if lr == self.race_lrs[index]:
            return False
        lrs = (*self.race_lrs[:index], lr, *self.race_lrs[index + 1:])
        race = self._new_race(lrs)
        for _ in range(self.race.steps):
            _race_step(race)
        self.race_lrs, self.race = lrs, race
        return True

    def racers(self) -> list[Racer]:
        racers = []
        for name, path in self.race.paths.items():
            x, y = (float(v) for v in path[-1])
            with np.errstate(over="ignore"):
                f = float(race_function(np.float64(x), np.float64(y)))
            racers.append(Racer(name, self.race.optimizers[name].lr, path, x, y, f, name in self.race.diverged))
        return racers

    # --- the state document ----------------------------------------------------------

    def to_state(self) -> dict[str, object]:
        """What the student set, as plain data; the runs as the number of steps taken."""
        return {
            "function": self.function,
            "x": self.x,
            "h": self.h,
            "point": list(self.point),
            "lr": self.lr,
            "descent_steps": self.descent.steps,
            "race_steps": self.race.steps,
            "race_lrs": list(self.race_lrs),
        }

    @classmethod
    def from_state(cls, fields: Fields) -> GradientLab:
        """A new lab from `to_state`'s document, read with typed input's limits; the runs are replayed."""
        function = fields.choice("function", list(DIFF_FUNCTIONS))
        x = fields.number("x", -X_LIMIT, X_LIMIT)
        h = fields.number("h", *H_RANGE)
        x0, x1 = fields.numbers("point", 2, -FIELD_LIMIT, FIELD_LIMIT)
        lr = fields.number("lr", *LR_RANGE)
        descent_steps = fields.integer("descent_steps", 0, MAX_STEPS)
        race_steps = fields.integer("race_steps", 0, MAX_STEPS)
        race_lrs = tuple(fields.numbers("race_lrs", len(RACE_NAMES), *RACE_LR_RANGE))
        lab = cls()
        lab.race_lrs = race_lrs
        lab.reset_race()
        lab.function, lab.x, lab.h, lab.point = function, x, h, (x0, x1)
        lab.set_lr(lr)
        if descent_steps:
            lab.step_descent(descent_steps)
        if lab.descent.steps != descent_steps:
            # This learning rate diverges sooner: no run took that many steps.
            raise Refusal(
                "state.out_of_range", field=f"{fields.where}.descent_steps", value=descent_steps,
                low="0", high=str(lab.descent.steps),
            )
        lab.step_race(race_steps)
        return lab
