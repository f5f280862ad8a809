"""Lesson 4's core: differences side by side, the error curve, the arrow field, verdicts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.core.gradient import GradientDescent, function_2
from nn_tui.core.labs.gradients import (
    ARROWS,
    BLOWN_UP,
    NO_ARROW,
    arrow_for,
    arrow_grid,
    circle,
    compare_differences,
    default_steps,
    descent_verdict,
    ellipse,
    error_curve,
    float32_of,
    function_1,
    function_1_derivative,
    function_2_gradient,
    grid_axis,
    log_points,
    partials_of_function_2,
)

# --- numerical differentiation (the book's ch04/gradient_1d.py) ------------------


def test_central_difference_of_function_1_is_the_books_number():
    assert compare_differences(function_1, function_1_derivative, 5).central == 0.1999999999990898
    assert compare_differences(function_1, function_1_derivative, 10).central == 0.2999999999986347


def test_exact_derivative_prints_as_the_book_does():
    assert function_1_derivative(5) == 0.2
    assert function_1_derivative(10) == 0.3


def test_forward_difference_is_further_off_than_central():
    row = compare_differences(function_1, function_1_derivative, 5.0, 1e-4)
    assert row.forward == 0.20000099999917254
    assert row.forward_error == pytest.approx(1e-6, rel=1e-6)  # truncation 0.01·h
    assert row.central_error == abs(0.1999999999990898 - 0.2)
    assert row.central_error < row.forward_error


@pytest.mark.parametrize("h", [0.0, -1e-4, math.nan, math.inf])
def test_a_step_that_is_not_positive_and_finite_is_refused(h):
    with pytest.raises(ValueError, match="h"):
        compare_differences(function_1, function_1_derivative, 5.0, h)


def test_a_nan_point_is_refused():
    with pytest.raises(ValueError, match="x"):
        compare_differences(function_1, function_1_derivative, math.nan)


def test_float32_rounds_a_tiny_number_to_zero():
    assert float32_of(1e-50) == 0.0
    assert float32_of(1e-4) == pytest.approx(1e-4, rel=1e-7)
    with pytest.raises(ValueError):
        float32_of(math.inf)


# --- the error against h ------------------------------------------------------------


def test_default_steps_run_from_1e_1_to_1e_15_four_per_decade():
    hs = default_steps()
    assert hs[0] == pytest.approx(1e-1) and hs[-1] == pytest.approx(1e-15)
    assert len(hs) == 57
    assert np.all(np.diff(hs) < 0)


def test_error_curve_shows_truncation_at_large_h_and_rounding_at_tiny_h():
    curve = error_curve(function_1, function_1_derivative, 5.0)
    # Forward: truncation error 0.01·h at large h (f'' / 2 = 0.01).
    assert curve.forward[0] == pytest.approx(0.01 * 0.1, rel=1e-9)
    # A parabola has no central truncation error: only rounding is left.
    assert curve.central[0] < 1e-14
    # At h = 1e-4 both are small; at 1e-15 rounding makes both far worse.
    at_1e4 = int(np.argmin(np.abs(np.log10(curve.hs) + 4)))
    assert curve.forward[-1] > 1e3 * curve.forward[at_1e4]
    assert curve.central[-1] > 1e6 * curve.central[at_1e4]


def test_log_points_are_log10_and_leave_out_exact_zeros():
    xs, ys = log_points(np.array([1e-1, 1e-2, 1e-3]), np.array([1e-3, 0.0, 1e-5]))
    assert xs == [-1.0, -3.0]
    assert ys == [-3.0, -5.0]


def test_log_points_refuses_mismatched_lists():
    with pytest.raises(ValueError, match="same length"):
        log_points(np.array([1e-1, 1e-2]), np.array([1e-3]))


# --- arrows and the gradient field ------------------------------------------------


@pytest.mark.parametrize(
    ("dx", "dy", "arrow"),
    [
        (1, 0, "→"), (1, 1, "↗"), (0, 1, "↑"), (-1, 1, "↖"),
        (-1, 0, "←"), (-1, -1, "↙"), (0, -1, "↓"), (1, -1, "↘"),
    ],
)
def test_arrow_for_the_eight_directions(dx, dy, arrow):
    assert arrow_for(dx, dy) == arrow


def test_no_arrow_where_the_gradient_vanishes():
    assert arrow_for(0.0, 0.0) == NO_ARROW


@settings(max_examples=50, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_arrow_is_within_half_a_sector_of_the_vector(dx, dy):
    if math.hypot(dx, dy) < 1e-9:
        return
    index = ARROWS.index(arrow_for(dx, dy))
    gap = (math.atan2(dy, dx) - index * math.pi / 4 + math.pi) % (2 * math.pi) - math.pi
    assert abs(gap) <= math.pi / 8 + 1e-12


def test_grid_axis_is_exact_and_inclusive():
    axis = grid_axis(-4, 4, 0.5)
    assert axis.tolist() == [-4 + 0.5 * i for i in range(17)]
    with pytest.raises(ValueError):
        grid_axis(-4, 4, 0)


def test_arrow_field_of_function_2_points_to_the_minimum():
    grid = arrow_grid(function_2, -4, 4, 0.5)
    assert grid.xs[0] == -4 and grid.ys[0] == 4  # top-left is (−4, 4)
    assert grid.cell_of(3, 4) == (0, 14)
    assert grid.arrows[0][14] == "↙"  # at (3, 4) downhill is down-left
    assert grid.arrows[8][0] == "→"  # at (−4, 0) it is right
    assert grid.arrows[16][8] == "↑"  # at (0, −4) it is up
    assert grid.arrows[8][8] == NO_ARROW  # the minimum itself
    assert grid.magnitudes[0, 14] == pytest.approx(10.0, rel=1e-9)
    assert grid.levels[0, 0] == 2 and grid.levels[8, 8] == 0


def test_cell_of_a_point_off_the_grid_is_none():
    grid = arrow_grid(function_2, -4, 4, 0.5)
    assert grid.cell_of(4.6, 0) is None
    assert grid.cell_of(3.2, 3.9) == (0, 14)


def test_arrow_grid_refuses_zero_bands():
    with pytest.raises(ValueError, match="bands"):
        arrow_grid(function_2, -1, 1, 1, bands=0)


def test_exact_gradient_of_function_2():
    assert function_2_gradient(np.array([3.0, 4.0])).tolist() == [6.0, 8.0]


def test_contours_lie_on_their_level():
    xs, ys = circle(3.0)
    assert np.allclose(np.hypot(xs, ys), 3.0)
    xs, ys = ellipse(2.0)
    assert np.allclose(np.array(xs) ** 2 / 20 + np.array(ys) ** 2, 2.0)
    with pytest.raises(ValueError):
        ellipse(0.0)


# --- how a gradient-descent run is going -------------------------------------------


def verdicts(lr: float, steps: int) -> list[str]:
    walk = GradientDescent(function_2, (-3.0, 4.0), lr)
    seen = [descent_verdict(walk.values, walk.stopped)]
    for _ in range(steps):
        walk.step()
        seen.append(descent_verdict(walk.values, walk.stopped))
    return seen


def test_the_four_learning_rates_of_the_lesson():
    assert verdicts(0.01, 3) == ["start", "too_slow", "too_slow", "too_slow"]
    assert verdicts(0.1, 3) == ["start", "good", "good", "good"]
    assert verdicts(1.0, 3) == ["start", "oscillating", "oscillating", "oscillating"]
    # f grows 361-fold a step: 25 → 9025 → … → past 1e12 at step 5.
    assert verdicts(10.0, 5) == ["start", "growing", "growing", "growing", "growing", "diverged"]


def test_reaching_the_minimum_is_said_so():
    assert verdicts(0.5, 1)[-1] == "minimum"


def test_non_finite_or_huge_values_are_diverged():
    assert descent_verdict([25.0, math.inf]) == "diverged"
    assert descent_verdict([25.0, BLOWN_UP * 2]) == "diverged"
    assert descent_verdict([25.0], stopped=True) == "diverged"
    with pytest.raises(ValueError):
        descent_verdict([])


@settings(max_examples=50, deadline=None)
@given(st.floats(1e-4, 0.49))
def test_a_learning_rate_below_one_half_never_looks_divergent(lr):
    for verdict in verdicts(lr, 3)[1:]:
        assert verdict in {"good", "too_slow", "minimum"}


def test_partials_at_3_4_are_the_seeds_numbers():
    partials = partials_of_function_2(3, 4)
    assert repr(float(partials.numerical[0])) == "6.00000000000378"
    assert repr(float(partials.numerical[1])) == "7.999999999999119"
    assert partials.exact.tolist() == [6.0, 8.0]
    assert partials.norm == pytest.approx(10.0, rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.floats(-4, 4), st.floats(-4, 4))
def test_partials_agree_with_2x_to_1e_9(x0, x1):
    partials = partials_of_function_2(x0, x1)
    assert np.allclose(partials.numerical, [2 * x0, 2 * x1], atol=1e-9)


def test_partials_refuse_nan():
    with pytest.raises(ValueError, match="x1"):
        partials_of_function_2(1.0, math.nan)
