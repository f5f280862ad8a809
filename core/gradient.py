"""Numerical differentiation, gradients and gradient descent, the book's chapter 4.

Also the chapter-6 race of optimisers on f(x, y) = x**2/20 + y**2, using the
update rules of ``nn_tui.core.optimizers``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Sequence

import numpy as np

from nn_tui.core.optimizers import Optimizer, make_optimizer

#: The book's h: small, but not so small that rounding error takes over.
H = 1e-4


def _check_h(h: Any) -> float:
    if isinstance(h, bool) or not isinstance(h, (int, float, np.integer, np.floating)):
        raise ValueError(f"h must be a number, got {h!r}")
    h = float(h)
    if not (math.isfinite(h) and h > 0):
        raise ValueError(f"h must be a finite positive number, got {h}")
    return h


def _check_point(x: Any, name: str = "x") -> Any:
    """A plain number stays a float (so the book's arithmetic is reproduced); arrays become float arrays."""
    if isinstance(x, bool):
        raise ValueError(f"{name} must be a number, got {x!r}")
    if isinstance(x, (int, float, np.integer, np.floating)):
        x = float(x)
        if not math.isfinite(x):
            raise ValueError(f"{name} must be finite, got {x}")
        return x
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers, got {x!r}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def _check_callable(f: Any, name: str = "f") -> None:
    if not callable(f):
        raise ValueError(f"{name} must be a function, got {type(f).__name__}")


# --- derivatives of one variable -----------------------------------------------

def numerical_diff(f: Callable[[Any], Any], x: Any, h: float = H) -> Any:
    """Central difference (f(x+h) - f(x-h)) / 2h: error shrinks like h**2."""
    _check_callable(f)
    h = _check_h(h)
    x = _check_point(x)
    return (f(x + h) - f(x - h)) / (2 * h)


def forward_diff(f: Callable[[Any], Any], x: Any, h: float = H) -> Any:
    """Forward difference (f(x+h) - f(x)) / h: error shrinks only like h."""
    _check_callable(f)
    h = _check_h(h)
    x = _check_point(x)
    return (f(x + h) - f(x)) / h


class DifferenceErrors(NamedTuple):
    """|numerical - exact| derivative for each h, for a log-log plot."""

    hs: np.ndarray
    forward: np.ndarray
    central: np.ndarray


def difference_errors(
    f: Callable[[float], float],
    df: Callable[[float], float],
    x: float,
    hs: Iterable[float],
) -> DifferenceErrors:
    """Errors of forward and central differences at ``x`` for every h in ``hs``.

    Large h: truncation error (the formula's approximation) dominates.  Tiny h:
    rounding error dominates, since f(x+h) and f(x) agree in almost every digit.
    """
    _check_callable(f)
    _check_callable(df, "df")
    x = _check_point(x)
    if not isinstance(x, float):
        raise ValueError("x must be a single number")
    hs_arr = np.array([_check_h(h) for h in hs], dtype=float)
    if hs_arr.size == 0:
        raise ValueError("hs must hold at least one step size")
    exact = float(df(x))
    forward = np.array([abs(float(forward_diff(f, x, h)) - exact) for h in hs_arr])
    central = np.array([abs(float(numerical_diff(f, x, h)) - exact) for h in hs_arr])
    return DifferenceErrors(hs_arr, forward, central)


# --- gradients ---------------------------------------------------------------------

def numerical_gradient(f: Callable[[np.ndarray], Any], x: np.ndarray, h: float = H) -> np.ndarray:
    """The gradient of f at x by central differences, one element at a time (the book's loop).

    ``x`` is changed while f is evaluated and restored afterwards, so f may read
    it (as the book's networks read their weights).  It must be a float array:
    with integers, x + h would be silently rounded back to x.
    """
    _check_callable(f)
    h = _check_h(h)
    if not isinstance(x, np.ndarray):
        raise ValueError(f"x must be a NumPy array, got {type(x).__name__}; "
                         "use np.array(..., dtype=float)")
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"x must be a float array, got dtype {x.dtype}: x + h would be rounded "
                         "back to an integer (use x.astype(float))")
    if not x.flags.writeable:
        raise ValueError("x must be writeable: numerical_gradient nudges each element in turn")
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    try:
        while not it.finished:
            idx = it.multi_index
            tmp_val = x[idx]
            try:
                x[idx] = float(tmp_val) + h
                fxh1 = _scalar(f(x))
                x[idx] = tmp_val - h
                fxh2 = _scalar(f(x))
            finally:
                x[idx] = tmp_val  # put it back even if f fails
            grad[idx] = (fxh1 - fxh2) / (2 * h)
            it.iternext()
    finally:
        it.close()
    return grad


def _scalar(value: Any) -> Any:
    if np.ndim(value) != 0:
        raise ValueError(f"f must return a single number (like a loss), got shape {np.shape(value)}")
    return value


def function_2(x: np.ndarray) -> Any:
    """The book's f(x0, x1) = x0**2 + x1**2 (the sum of squares, for any length)."""
    return np.sum(x ** 2)


class GradientField(NamedTuple):
    """Arrows -grad f at grid points (x, y, u, v all shaped (len(ys), len(xs)))."""

    x: np.ndarray
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray


def gradient_field(f: Callable[[np.ndarray], Any], xs: Sequence[float], ys: Sequence[float]) -> GradientField:
    """-grad f on the grid xs x ys: the arrows point where f falls fastest."""
    xs_arr, ys_arr = _check_point(xs, "xs"), _check_point(ys, "ys")
    if np.ndim(xs_arr) != 1 or np.ndim(ys_arr) != 1:
        raise ValueError("xs and ys must be 1-D lists of coordinates")
    X, Y = np.meshgrid(xs_arr, ys_arr)
    U, V = np.empty_like(X), np.empty_like(Y)
    for idx in np.ndindex(X.shape):
        g = numerical_gradient(f, np.array([X[idx], Y[idx]]))
        U[idx], V[idx] = -g[0], -g[1]
    return GradientField(X, Y, U, V)


# --- gradient descent -----------------------------------------------------------------

def _check_lr(lr: Any) -> float:
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)):
        raise ValueError(f"lr must be a number, got {lr!r}")
    lr = float(lr)
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a finite positive number, got {lr}")
    return lr


class GradientDescent:
    """Gradient descent one step at a time: x <- x - lr * grad f(x) (numerical gradient).

    ``diverged`` turns True when x or f(x) stops being finite (then ``step``
    does nothing more) or when f has climbed above its starting value.
    """

    def __init__(
        self,
        f: Callable[[np.ndarray], Any] = function_2,
        init_x: Sequence[float] | np.ndarray = (-3.0, 4.0),
        lr: float = 0.1,
    ) -> None:
        _check_callable(f)
        self.f = f
        self.lr = _check_lr(lr)
        x = np.array(init_x, dtype=float)  # a copy: the book's version overwrote init_x
        if x.ndim == 0 or x.size == 0 or not np.all(np.isfinite(x)):
            raise ValueError("init_x must be a non-empty list of finite numbers, e.g. (-3.0, 4.0)")
        start_value = float(_scalar(f(x)))
        if not math.isfinite(start_value):
            raise ValueError(f"f(init_x) is {start_value}; start where f is finite")
        self._x = x
        self._path = [x.copy()]
        self._values = [start_value]
        self._blew_up = False

    @property
    def x(self) -> np.ndarray:
        return self._x.copy()

    @property
    def path(self) -> np.ndarray:
        """Every point so far, the start first: shape (steps + 1, n)."""
        return np.array(self._path)

    @property
    def values(self) -> np.ndarray:
        """f at every point of the path."""
        return np.array(self._values)

    @property
    def steps(self) -> int:
        return len(self._path) - 1

    @property
    def stopped(self) -> bool:
        """True once a step produced inf or NaN: the walk cannot go on."""
        return self._blew_up

    @property
    def diverged(self) -> bool:
        return self._blew_up or self._values[-1] > self._values[0]

    def gradient(self) -> np.ndarray:
        """The numerical gradient at the current point."""
        return numerical_gradient(self.f, self._x.copy())

    def step(self) -> np.ndarray | None:
        """Take one step and return the new point, or None once stopped."""
        if self._blew_up:
            return None
        grad = numerical_gradient(self.f, self._x)
        with np.errstate(over="ignore", invalid="ignore"):
            new_x = self._x - self.lr * grad
            value = float(_scalar(self.f(new_x))) if np.all(np.isfinite(new_x)) else math.nan
        if not math.isfinite(value):
            self._blew_up = True
            return None
        self._x = new_x
        self._path.append(new_x.copy())
        self._values.append(value)
        return new_x.copy()


@dataclass(frozen=True)
class DescentResult:
    """The whole walk of ``gradient_descent``."""

    path: np.ndarray    # (steps taken + 1, n), the start first
    values: np.ndarray  # f at each point
    diverged: bool      # went non-finite, or ended above where it started
    stopped_early: bool  # a step gave inf/NaN; path holds the finite points before it

    @property
    def x(self) -> np.ndarray:
        """Where the walk ended."""
        return self.path[-1]


def gradient_descent(
    f: Callable[[np.ndarray], Any],
    init_x: Sequence[float] | np.ndarray,
    lr: float = 0.01,
    step_num: int = 100,
) -> DescentResult:
    """The book's gradient_descent, returning the whole path (init_x is not modified)."""
    if isinstance(step_num, bool) or not isinstance(step_num, (int, np.integer)) or step_num < 0:
        raise ValueError(f"step_num must be a non-negative integer, got {step_num!r}")
    walk = GradientDescent(f, init_x, lr)
    for _ in range(int(step_num)):
        if walk.step() is None:
            break
    return DescentResult(walk.path, walk.values, walk.diverged, walk.stopped)


# --- the optimiser race (chapter 6) -----------------------------------------------------

def race_function(x: Any, y: Any) -> Any:
    """f(x, y) = x**2 / 20 + y**2: a long narrow valley, hard for plain SGD."""
    return x ** 2 / 20.0 + y ** 2


def race_gradient(x: Any, y: Any) -> tuple[Any, Any]:
    """(df/dx, df/dy) = (x / 10, 2y)."""
    return x / 10.0, 2.0 * y


#: The book's racers (ch06/optimizer_compare_naive.py): display name, optimiser, lr.
BOOK_RACERS: tuple[tuple[str, str, float], ...] = (
    ("SGD", "sgd", 0.95),
    ("Momentum", "momentum", 0.1),
    ("AdaGrad", "adagrad", 1.5),
    ("Adam", "adam", 0.3),
)


class OptimizerRace:
    """Several optimisers walking down f(x, y) = x**2/20 + y**2 together, one step per ``step()``.

    A racer whose position becomes inf/NaN stops and is listed in ``diverged``.
    """

    def __init__(
        self,
        start: tuple[float, float] = (-7.0, 2.0),
        optimizers: Mapping[str, Optimizer] | None = None,
    ) -> None:
        point = _check_point(start, "start")
        if np.shape(point) != (2,):
            raise ValueError(f"start must be a point (x, y), got {start!r}")
        self.start = (float(point[0]), float(point[1]))
        if optimizers is None:
            optimizers = {name: make_optimizer(key, lr=lr) for name, key, lr in BOOK_RACERS}
        elif not optimizers or not all(isinstance(o, Optimizer) for o in optimizers.values()):
            raise ValueError("optimizers must map names to optimisers from nn_tui.core.optimizers")
        self.optimizers = dict(optimizers)
        self._params = {name: {"x": np.array(self.start[0]), "y": np.array(self.start[1])}
                        for name in self.optimizers}
        self._paths: dict[str, list[tuple[float, float]]] = {n: [self.start] for n in self.optimizers}
        self.diverged: set[str] = set()
        self._steps = 0

    @property
    def names(self) -> list[str]:
        return list(self.optimizers)

    @property
    def steps(self) -> int:
        return self._steps

    @property
    def paths(self) -> dict[str, np.ndarray]:
        """Each racer's points so far, shape (steps + 1, 2) (shorter if it diverged)."""
        return {name: np.array(points) for name, points in self._paths.items()}

    @property
    def positions(self) -> dict[str, tuple[float, float]]:
        """Where each racer is now (its last finite point), without copying the paths."""
        return {name: points[-1] for name, points in self._paths.items()}

    def step(self) -> None:
        """Move every racer one update."""
        for name, opt in self.optimizers.items():
            if name in self.diverged:
                continue
            params = self._params[name]
            gx, gy = race_gradient(params["x"].copy(), params["y"].copy())
            with np.errstate(over="ignore", invalid="ignore"):
                opt.update(params, {"x": np.asarray(gx), "y": np.asarray(gy)})
            point = (float(params["x"]), float(params["y"]))
            if not (math.isfinite(point[0]) and math.isfinite(point[1])):
                self.diverged.add(name)
                continue
            self._paths[name].append(point)
        self._steps += 1


def optimizer_race(steps: int = 30, start: tuple[float, float] = (-7.0, 2.0)) -> dict[str, np.ndarray]:
    """The book's comparison: SGD, Momentum, AdaGrad and Adam, each path (steps + 1, 2)."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    race = OptimizerRace(start)
    for _ in range(int(steps)):
        race.step()
    return race.paths
