"""Lesson 4's core: differences side by side, the error curve, the arrow field, verdicts."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.core.gradient import GradientDescent, function_2
from nn_tui.core.labs.gradients import (
    ARROWS,
    BLOWN_UP,
    MAX_STEPS,
    GradientLab,
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
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields

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


# --- the lesson's model ------------------------------------------------------------


def refused(code: str, change, *args) -> Refusal:
    with pytest.raises(Refusal) as caught:
        change(*args)
    assert caught.value.code == code
    return caught.value


def test_a_new_lab_is_the_lessons_start():
    lab = GradientLab()
    assert (lab.x, lab.h, lab.point, lab.lr) == (5.0, 1e-4, (3.0, 4.0), 0.1)
    assert lab.difference().central == 0.1999999999990898
    assert lab.descent.steps == 0 and lab.race.steps == 0
    assert lab.descent_verdict() == "start"


def test_x_toggles_between_the_books_points():
    lab = GradientLab()
    lab.next_x()
    assert lab.x == 10.0 and lab.difference().central == 0.2999999999986347
    lab.next_x()
    assert lab.x == 5.0
    lab.set_x(7.5)
    lab.next_x()
    assert lab.x == 5.0
    refused("gradients.out_of_range", lab.set_x, 1001.0)
    assert lab.x == 5.0


def test_h_moves_by_whole_decades_and_stays_between_1e_50_and_1():
    lab = GradientLab()
    lab.scale_h(-1)
    assert lab.h == 1e-5
    for _ in range(5):
        lab.scale_h(1)
    assert lab.h == 1.0
    refused("diff.h_range", lab.scale_h, 1)
    assert lab.h == 1.0
    lab.set_h(3e-4)
    lab.scale_h(-1)  # 3e-5 is nearest 1e-5 on the log scale
    assert lab.h == 1e-5
    lab.set_h(1e-20)
    lab.scale_h(-1)  # on down to the book's 1e-50
    assert lab.h == 1e-21
    lab.set_h(1e-50)
    refused("diff.h_range", lab.scale_h, -1)
    refused("diff.h_range", lab.set_h, 0.0)
    refused("diff.h_range", lab.set_h, 1e-51)
    assert lab.h == 1e-50


def test_an_h_of_1e_50_is_rounded_away_and_both_differences_are_0():
    lab = GradientLab()
    assert not lab.h_lost()
    lab.set_h(1e-50)
    assert lab.h_lost()
    row = lab.difference()
    assert row.forward == 0.0 and row.central == 0.0 and row.exact == 0.2
    plot = lab.error_plot()  # the curves go down to h itself
    assert plot.log_h == pytest.approx(-50.0)
    assert min(plot.forward[0]) == pytest.approx(-50.0)
    assert plot.forward[1][-1] == pytest.approx(math.log10(0.2))  # the error is the whole slope


def test_the_books_quadratic_has_no_truncation_error_in_the_central_difference_but_x_cubed_does():
    lab = GradientLab()
    quadratic = lab.error_plot()
    big_h = [e for h, e in zip(*quadratic.central) if h >= -4]
    assert max(big_h) < -12  # rounding only, even at h = 0.1
    lab.next_function()
    assert lab.function == "cube"
    for h in (1e-1, 1e-2, 1e-3):
        lab.set_h(h)
        row = lab.difference()
        assert row.exact == 75.0
        assert row.central_error == pytest.approx(h**2, rel=1e-4)  # (x+h)³ − (x−h)³ over 2h is 3x² + h²
        assert row.forward_error == pytest.approx(3 * 5 * h + h**2, rel=1e-4)
    lab.next_function()
    assert lab.function == "function_1"


def test_the_tangent_is_the_books_tangent_line():
    lab = GradientLab()
    tangent = lab.tangent()
    assert tangent.slope == 0.1999999999990898  # numerical_diff(function_1, 5), the book's Fig. 4-7
    assert tangent.point == (5.0, 0.75)
    assert tangent.xs[0] == 0.0 and tangent.xs[-1] == 20.0
    for x, y, t in zip(tangent.xs, tangent.ys, tangent.tangent):
        assert y == pytest.approx(0.01 * x**2 + 0.1 * x)
        assert t == pytest.approx(0.75 + tangent.slope * (x - 5.0))
    lab.set_x(100.0)  # outside the book's range: the picture is around x
    assert lab.tangent().xs[0] == 90.0 and lab.tangent().xs[-1] == 110.0


def test_the_error_plot_is_in_log10_units():
    plot = GradientLab().error_plot()
    assert plot.log_h == pytest.approx(-4.0)
    assert plot.forward[0][0] == pytest.approx(-1.0) and plot.forward[1][0] == pytest.approx(-3.0)
    assert len(plot.forward[0]) == len(plot.forward[1])


def test_the_point_moves_half_a_step_and_stays_on_the_field():
    lab = GradientLab()
    lab.move(-1, 0)
    assert lab.point == (2.5, 4.0)
    refused("partials.edge", lab.move, 0, 1)
    refused("partials.edge", lab.set_point, -4.5, 0.0)
    assert lab.point == (2.5, 4.0)
    assert repr(float(GradientLab().partials().numerical[0])) == "6.00000000000378"
    assert lab.arrow_field().cell_of(*lab.point) == (0, 13)
    assert lab.arrow_field(fine=True).xs.size == 33


def test_presets_and_a_typed_rate_start_a_new_run():
    lab = GradientLab()
    lab.step_descent(3)
    lab.pick_preset(-1)
    assert lab.lr == 0.01 and lab.descent.steps == 0
    refused("descent.last_preset", lab.pick_preset, -1)
    lab.step_descent()
    assert not lab.set_lr(0.01)  # the same rate: the run goes on
    assert lab.descent.steps == 1
    assert lab.set_lr(0.5) and lab.descent.steps == 0
    refused("gradients.out_of_range", lab.set_lr, 0.0)
    refused("gradients.out_of_range", lab.set_lr, 101.0)
    assert lab.lr == 0.5


def test_descent_at_the_books_rate_reaches_the_books_minimum():
    lab = GradientLab()
    lab.step_descent(100)
    assert lab.descent.x.tolist() == gradient_descent_x(0.1, 100)
    assert lab.descent_verdict() == "minimum"


def gradient_descent_x(lr: float, steps: int) -> list[float]:
    walk = GradientDescent(function_2, (-3.0, 4.0), lr)
    for _ in range(steps):
        walk.step()
    return walk.x.tolist()


def test_a_diverging_run_stops_and_refuses_more_steps():
    lab = GradientLab()
    lab.set_lr(10.0)
    lab.step_descent(100)
    assert lab.descent.steps == 5 and lab.descent_verdict() == "diverged"
    refused("descent.stopped", lab.step_descent)
    assert lab.descent.steps == 5
    # Only the start is in the picture: the first step lands at (57, −76).
    assert [p.tolist() for p in lab.descent_in_view()] == [[-3.0, 4.0]]
    lab.reset_descent()
    assert lab.descent.steps == 0 and lab.lr == 10.0


def test_runs_stop_at_the_step_limit():
    lab = GradientLab()
    lab.step_race(MAX_STEPS + 5)
    assert lab.race.steps == MAX_STEPS
    refused("gradients.step_limit", lab.step_race)
    lab.reset_race()
    assert lab.race.steps == 0


def test_racers_are_the_books_four():
    lab = GradientLab()
    lab.step_race(3)
    racers = {racer.name: racer for racer in lab.racers()}
    assert list(racers) == ["SGD", "Momentum", "AdaGrad", "Adam"]
    assert racers["SGD"].lr == 0.95 and len(racers["SGD"].path) == 4
    adam = racers["Adam"]
    assert adam.f == pytest.approx(adam.x**2 / 20 + adam.y**2)
    assert not any(racer.diverged for racer in racers.values())


def test_each_racer_has_its_own_learning_rate_and_the_race_is_run_again_to_the_same_step():
    lab = GradientLab()
    assert lab.race_lrs == (0.95, 0.1, 1.5, 0.3)  # the book's
    lab.step_race(5)
    book = {racer.name: racer.path for racer in lab.racers()}
    assert lab.set_race_lr("SGD", 0.5)
    assert lab.race.steps == 5
    racers = {racer.name: racer for racer in lab.racers()}
    assert racers["SGD"].lr == 0.5 and len(racers["SGD"].path) == 6
    assert not np.array_equal(racers["SGD"].path, book["SGD"])
    for name in ("Momentum", "AdaGrad", "Adam"):
        assert np.array_equal(racers[name].path, book[name])
    # By hand: plain SGD on x²/20 + y² from (−7, 2), η = 0.5: x ← x − 0.5·x/10, y ← y − 0.5·2y.
    x, y = -7.0, 2.0
    for _ in range(5):
        x, y = x - 0.5 * x / 10, y - 0.5 * 2 * y
    assert racers["SGD"].x == pytest.approx(x) and racers["SGD"].y == pytest.approx(y)
    assert not lab.set_race_lr("SGD", 0.5)  # the same rate: nothing to run again
    lab.reset_race()
    assert lab.race.steps == 0 and lab.race_lrs[0] == 0.5


def test_a_racers_learning_rate_outside_its_range_is_refused_and_nothing_changes():
    lab = GradientLab()
    lab.step_race(2)
    before = [racer.path.copy() for racer in lab.racers()]
    refused("gradients.out_of_range", lab.set_race_lr, "Adam", 0.0)
    refused("gradients.out_of_range", lab.set_race_lr, "Adam", 1000.0)
    assert lab.race_lrs == (0.95, 0.1, 1.5, 0.3)
    assert all(np.array_equal(a, b.path) for a, b in zip(before, lab.racers()))


def test_a_huge_racer_learning_rate_diverges_and_stops_that_racer_only():
    lab = GradientLab()
    lab.set_race_lr("SGD", 100.0)
    lab.step_race(200)
    racers = {racer.name: racer for racer in lab.racers()}
    assert racers["SGD"].diverged and not racers["Adam"].diverged
    assert np.all(np.isfinite(racers["SGD"].path))


def changed_lab() -> GradientLab:
    lab = GradientLab()
    lab.next_function()
    lab.next_x()
    lab.scale_h(-2)
    lab.set_point(-1.5, 2.5)
    lab.set_lr(1.0)
    lab.step_descent(3)
    lab.step_race(7)
    lab.set_race_lr("AdaGrad", 0.5)
    return lab


def test_the_state_round_trips_through_json_to_the_same_numbers():
    lab = changed_lab()
    state = json.loads(json.dumps(lab.to_state()))
    assert state == {
        "function": "cube", "x": 10.0, "h": 1e-6, "point": [-1.5, 2.5], "lr": 1.0, "descent_steps": 3, "race_steps": 7,
        "race_lrs": [0.95, 0.1, 0.5, 0.3],
    }
    again = GradientLab.from_state(Fields(state))
    assert again.to_state() == lab.to_state()
    assert again.difference() == lab.difference()
    assert np.array_equal(again.descent.path, lab.descent.path)
    assert np.array_equal(again.descent.values, lab.descent.values)
    assert again.descent_verdict() == lab.descent_verdict() == "oscillating"
    for mine, theirs in zip(again.racers(), lab.racers()):
        assert np.array_equal(mine.path, theirs.path) and mine.f == theirs.f


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"x": "abc"}, "state.not_a_number", "state.x"),
        ({"function": "sin"}, "state.unknown_choice", "state.function"),
        ({"h": 0.0}, "state.out_of_range", "state.h"),
        ({"h": math.nan}, "state.not_finite", "state.h"),
        ({"point": [1.0]}, "state.wrong_length", "state.point"),
        ({"point": [1.0, 4.5]}, "state.out_of_range", "state.point[1]"),
        ({"lr": 1000.0}, "state.out_of_range", "state.lr"),
        ({"descent_steps": 2.5}, "state.not_integer", "state.descent_steps"),
        ({"race_steps": -1}, "state.out_of_range", "state.race_steps"),
        ({"race_steps": MAX_STEPS + 1}, "state.out_of_range", "state.race_steps"),
        ({"race_lrs": [0.95, 0.1, 1.5]}, "state.wrong_length", "state.race_lrs"),
        ({"race_lrs": [0.95, 0.1, 1.5, 0.0]}, "state.out_of_range", "state.race_lrs[3]"),
        ({"race_lrs": [0.95, "abc", 1.5, 0.3]}, "state.not_a_number", "state.race_lrs[1]"),
        # η = 10 is stopped after 5 steps: a run of 6 never happened.
        ({"lr": 10.0, "descent_steps": 6}, "state.out_of_range", "state.descent_steps"),
    ],
)
def test_a_bad_state_is_refused_naming_the_field(change, code, field):
    state = {**changed_lab().to_state(), **change}
    caught = refused(code, GradientLab.from_state, Fields(state))
    assert caught.values["field"] == field


def test_a_state_missing_a_field_is_refused():
    state = changed_lab().to_state()
    del state["lr"]
    assert refused("state.missing", GradientLab.from_state, Fields(state)).values["field"] == "state.lr"
