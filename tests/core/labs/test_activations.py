"""Lesson 2's core: the plotted activation, its cursor and range, stacked linear layers, softmax."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.core.labs.activations import (
    BOOK_SCORES,
    OVERFLOW_SCORES,
    X_LIMIT,
    ActivationPlot,
    ActivationsLab,
    SoftmaxDemo,
    format_like_numpy,
    linear_stack,
    nice_step,
    parse_scores,
)
from nn_tui.core.functions import sigmoid_grad
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields


def refusal_reason(call) -> str:  # noqa: ANN001
    """The refusal's code without the lesson's prefix."""
    with pytest.raises(Refusal) as caught:
        call()
    assert caught.value.code.startswith("activations.")
    return caught.value.code.removeprefix("activations.")


# --- the cursor and the range ------------------------------------------------------------


@pytest.mark.parametrize("span, step", [(12, 0.2), (10, 0.2), (6, 0.1), (100, 2), (1, 0.02), (0.01, 0.0002), (20, 0.5)])
def test_cursor_step_is_a_round_number_about_a_fortieth_of_the_range(span, step):
    assert nice_step(span) == pytest.approx(step, rel=1e-12)


@pytest.mark.parametrize("span", [0, -1, math.nan, math.inf])
def test_nice_step_refuses_a_span_that_is_not_positive_and_finite(span):
    with pytest.raises(ValueError):
        nice_step(span)


def test_sigmoid_at_zero_is_one_half_with_slope_one_quarter():
    plot = ActivationPlot()
    assert (plot.name, plot.xmin, plot.xmax, plot.cursor) == ("sigmoid", -6.0, 6.0, 0.0)
    assert plot.reading() == (0.0, 0.5, 0.25)


def test_five_steps_left_reach_exactly_minus_one_where_relu_is_zero():
    plot = ActivationPlot("relu")
    for _ in range(5):
        plot.move_cursor(-1)
    assert plot.cursor == -1.0  # exactly, not -1.0000000000000002
    assert plot.reading() == (-1.0, 0.0, 0.0)
    plot.move_cursor(10)
    assert plot.cursor == 1.0 and plot.reading() == (1.0, 1.0, 1.0)


def test_at_a_corner_the_slope_shown_is_only_a_convention():
    plot = ActivationPlot("relu")
    assert plot.slope_is_a_convention and plot.reading().slope == 0.0
    plot.select("leaky_relu")
    assert plot.slope_is_a_convention and plot.reading().slope == 0.01
    plot.select("sigmoid")
    assert not plot.slope_is_a_convention
    plot.select("step")
    plot.move_cursor(1)
    assert not plot.slope_is_a_convention


def test_a_typed_x_off_the_grid_moves_to_the_neighbouring_grid_points():
    plot = ActivationPlot()
    plot.set_cursor(0.37)
    assert plot.move_cursor(1) == 0.4
    plot.set_cursor(0.37)
    assert plot.move_cursor(-1) == 0.2


def test_the_cursor_stops_at_the_ends_and_says_so():
    plot = ActivationPlot()
    plot.set_cursor(5.9)
    assert plot.move_cursor(1) == 6.0
    assert refusal_reason(lambda: plot.move_cursor(1)) == "cursor_right_end"
    assert plot.cursor == 6.0
    plot.set_cursor(-6.0)
    assert refusal_reason(lambda: plot.move_cursor(-3)) == "cursor_left_end"
    assert plot.cursor == -6.0


def test_a_cursor_outside_the_range_is_refused_and_nothing_changes():
    plot = ActivationPlot()
    with pytest.raises(Refusal) as caught:
        plot.set_cursor(7)
    assert caught.value.code == "activations.cursor_outside" and caught.value.values == {"x": 7.0, "xmin": -6.0, "xmax": 6.0}
    for bad in (math.nan, math.inf, "1", True):
        with pytest.raises(ValueError):
            plot.set_cursor(bad)
    assert plot.cursor == 0.0


@pytest.mark.parametrize(
    "xmin, xmax, reason",
    [
        (2, 1, "range_order"),
        (1, 1, "range_order"),
        (0, 0.001, "range_narrow"),
        (-60, 0, "range_limit"),
        (0, 51, "range_limit"),
    ],
)
def test_a_bad_range_is_refused_with_its_reason_and_leaves_the_old_one(xmin, xmax, reason):
    plot = ActivationPlot()
    assert refusal_reason(lambda: plot.set_range(xmin, xmax)) == reason
    assert (plot.xmin, plot.xmax) == (-6.0, 6.0)


def test_a_new_range_pulls_the_cursor_inside():
    plot = ActivationPlot()
    plot.set_range(1, 4)
    assert plot.cursor == 1.0
    plot.set_range(-10, -2)
    assert plot.cursor == -2.0


def test_zoom_keeps_the_cursor_in_place_and_stops_at_the_limits():
    plot = ActivationPlot()
    plot.zoom(0.5)
    assert (plot.xmin, plot.xmax) == (-3.0, 3.0)
    plot.zoom(2)
    plot.move_cursor(-5)
    plot.zoom(0.5)
    assert (plot.xmin, plot.xmax, plot.cursor) == (-3.5, 2.5, -1.0)
    for _ in range(5):
        plot.zoom(2)
    assert (plot.xmin, plot.xmax) == (-X_LIMIT, X_LIMIT)
    assert refusal_reason(lambda: plot.zoom(2)) == "zoom_out_limit"
    with pytest.raises(Refusal):
        for _ in range(20):
            plot.zoom(0.5)
    assert plot.xmax - plot.xmin >= 0.01 and plot.xmin <= plot.cursor <= plot.xmax


def test_zooming_out_near_the_edge_slides_the_window_back_inside():
    plot = ActivationPlot(xmin=30, xmax=50)
    plot.set_cursor(50)
    plot.zoom(2)
    assert (plot.xmin, plot.xmax) == (10.0, 50.0)


@settings(max_examples=50, deadline=None)
@given(
    xmin=st.floats(-50, 49),
    width=st.floats(0.01, 100),
    moves=st.lists(st.integers(-30, 30).filter(bool), max_size=12),
)
def test_the_cursor_never_leaves_the_range(xmin, width, moves):
    xmax = min(xmin + width, X_LIMIT)
    if xmax - xmin < 0.01:
        return
    plot = ActivationPlot(xmin=xmin, xmax=xmax)
    for steps in moves:
        try:
            plot.move_cursor(steps)
        except Refusal:
            pass
        assert xmin <= plot.cursor <= xmax


# --- choosing and drawing a function -------------------------------------------------------------


def test_functions_cycle_in_the_book_order_and_unknown_names_are_refused():
    plot = ActivationPlot("step")
    assert [plot.next_function() for _ in range(6)] == ["sigmoid", "relu", "leaky_relu", "tanh", "identity", "step"]
    assert plot.next_function(-1) == "identity"
    with pytest.raises(ValueError, match="whole number"):
        plot.next_function(0.5)
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        plot.select("softmax")
    assert plot.name == "identity"


def test_curves_sample_the_range_with_the_function_and_its_derivative():
    plot = ActivationPlot("leaky_relu", -2, 2)
    curves = plot.curves(5)
    assert curves.xs.tolist() == [-2, -1, 0, 1, 2]
    assert curves.ys.tolist() == [-0.02, -0.01, 0, 1, 2]
    assert curves.slopes.tolist() == [0.01, 0.01, 0.01, 1, 1]


def test_y_limits_hold_the_derivative_only_when_it_is_drawn():
    plot = ActivationPlot("identity", -2, 2)
    low, high = plot.y_limits()
    assert low < -2 and high > 2
    plot.select("step")
    assert plot.y_limits() == pytest.approx((-0.1, 1.1))
    plot.select("tanh")
    plot.toggle_derivative()
    low, high = plot.y_limits()
    assert low < -1 and 1 < high < 1.3


def test_y_ticks_are_round_numbers_inside_the_limits():
    plot = ActivationPlot("sigmoid")
    assert plot.y_ticks() == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    plot.select("relu")
    assert plot.y_ticks() == [0.0, 2.0, 4.0, 6.0]
    assert plot.y_ticks((-1.3, 1.3)) == [-1.0, -0.5, 0.0, 0.5, 1.0]


def test_the_step_function_has_slope_zero_everywhere_sigmoid_never():
    plot = ActivationPlot("step")
    curves = plot.curves()
    assert not curves.slopes.any()
    assert plot.smallest_slope().slope == 0.0
    plot.select("sigmoid")
    smallest = plot.smallest_slope()
    assert smallest.x == -6.0 and smallest.slope == sigmoid_grad(-6.0) > 0.0024
    plot.set_range(-X_LIMIT, X_LIMIT)
    assert plot.smallest_slope().slope > 0  # still not 0 at the widest range allowed


# --- why non-linear ------------------------------------------------------------------------------------


def test_three_linear_layers_are_one_linear_layer():
    stack = linear_stack(2, 3)
    assert stack.outputs == (6.0, 12.0, 24.0)
    assert (stack.a, stack.one_layer) == (8.0, 24.0)
    assert linear_stack(-1.5, 2).outputs == (-3.0, 4.5, -6.75)


@settings(max_examples=50, deadline=None)
@given(c=st.floats(-10, 10), x=st.floats(-100, 100))
def test_stacked_layers_equal_c_cubed_times_x(c, x):
    stack = linear_stack(c, x)
    assert stack.outputs[-1] == pytest.approx(stack.one_layer, rel=1e-12, abs=1e-300)
    assert stack.a == pytest.approx(c**3, rel=1e-12, abs=1e-300)


def test_stacked_layers_refuse_nan():
    with pytest.raises(ValueError):
        linear_stack(math.nan, 1)


# --- softmax -----------------------------------------------------------------------------------------------


def test_the_book_scores_give_the_book_probabilities():
    demo = SoftmaxDemo()
    assert demo.scores == BOOK_SCORES
    stable, naive = demo.stable(), demo.naive()
    np.testing.assert_allclose(stable.probabilities, [0.01821127, 0.24519181, 0.73659691], atol=5e-9)
    np.testing.assert_allclose(naive.probabilities, stable.probabilities, rtol=1e-12)
    assert format_like_numpy(stable.probabilities) == ["0.01821127", "0.24519181", "0.73659691"]
    assert stable.probability_sum == pytest.approx(1.0, abs=1e-15)
    assert not naive.overflowed and naive.total == pytest.approx(math.exp(0.3) + math.exp(2.9) + math.exp(4.0))


def test_large_scores_overflow_the_naive_softmax_but_not_the_stable_one():
    demo = SoftmaxDemo(OVERFLOW_SCORES)
    naive, stable = demo.naive(), demo.stable()
    assert naive.overflowed and naive.failed and not naive.underflowed and math.isinf(naive.total)
    assert np.isnan(naive.probabilities).all() and math.isnan(naive.probability_sum)
    assert format_like_numpy(naive.probabilities) == ["nan", "nan", "nan"]
    assert demo.shifted.tolist() == [0.0, -10.0, -20.0]
    assert not stable.overflowed and not stable.failed and stable.exps.max() == 1.0
    assert format_like_numpy(stable.probabilities) == ["9.99954600e-01", "4.53978686e-05", "2.06106005e-09"]
    np.testing.assert_allclose(stable.probabilities, [9.99954600e-01, 4.53978686e-05, 2.06106005e-09], rtol=1e-8)


def test_very_negative_scores_underflow_the_naive_softmax_to_zero_over_zero():
    demo = SoftmaxDemo((-1000.0, -1001.0))
    naive, stable = demo.naive(), demo.stable()
    assert naive.underflowed and naive.failed and not naive.overflowed and naive.total == 0.0
    assert format_like_numpy(stable.probabilities) == ["0.73105858", "0.26894142"]


def test_one_overflowing_score_leaves_a_nan_and_a_zero():
    naive = SoftmaxDemo((800.0, 1.0)).naive()
    assert naive.overflowed and format_like_numpy(naive.probabilities) == ["nan", "0"]


def test_an_overflowing_sum_gives_silent_zeros_and_is_flagged():
    naive = SoftmaxDemo((709.5, 709.0)).naive()
    assert np.isfinite(naive.exps).all() and math.isinf(naive.total)
    assert naive.probabilities.tolist() == [0.0, 0.0]
    assert naive.overflowed and naive.failed


@pytest.mark.parametrize("bad", [[1.0], [1.0] * 11, [1.0, math.nan], [1.0, math.inf], [1.0, 2e4]])
def test_bad_scores_are_refused_and_the_old_ones_kept(bad):
    demo = SoftmaxDemo()
    with pytest.raises(ValueError):
        demo.set_scores(bad)
    assert demo.scores == BOOK_SCORES


@pytest.mark.parametrize(
    "text, scores",
    [
        ("0.3, 2.9, 4.0", (0.3, 2.9, 4.0)),
        ("[1010 1000 990]", (1010.0, 1000.0, 990.0)),
        ("−1;2", (-1.0, 2.0)),
        ("1，2, 3e2", (1.0, 2.0, 300.0)),
        (" 1 2 3 4 5 6 ", (1.0, 2.0, 3.0, 4.0, 5.0, 6.0)),
    ],
)
def test_typed_scores_are_read_from_commas_or_spaces(text, scores):
    assert parse_scores(text) == scores


@pytest.mark.parametrize(
    "text, reason, values",
    [
        ("", "scores_empty", {"low": 2, "high": 10}),
        ("[ ]", "scores_empty", {"low": 2, "high": 10}),
        ("1, abc", "scores_not_a_number", {"item": "abc"}),
        ("nan 1", "scores_not_finite", {"item": "nan"}),
        ("1e999, 1", "scores_not_finite", {"item": "1e999"}),
        ("2e4 1", "scores_too_large", {"item": "2e4", "limit": 1e4}),
        ("5", "scores_count", {"n": 1, "low": 2, "high": 10}),
        ("1 2 3 4 5 6 7 8 9 10 11", "scores_count", {"n": 11, "low": 2, "high": 10}),
    ],
)
def test_bad_score_text_is_refused_with_a_reason_a_ui_can_translate(text, reason, values):
    with pytest.raises(Refusal) as caught:
        parse_scores(text)
    assert caught.value.code == f"activations.{reason}" and caught.value.values == values


def test_format_like_numpy_matches_numpy_printing():
    assert format_like_numpy(np.array([0.5, 0.5])) == ["0.5", "0.5"]
    assert format_like_numpy(np.array([1.0, 0.0])) == ["1", "0"]
    with pytest.raises(ValueError):
        format_like_numpy(np.zeros((2, 2)))


# --- the whole lab and its state document ----------------------------------------------------------------


def test_the_linear_layers_take_c_and_x_within_their_limits():
    lab = ActivationsLab()
    assert (lab.linear_c, lab.linear_x) == (2.0, 3.0)
    assert lab.linear_stack().outputs == (6.0, 12.0, 24.0)
    lab.set_linear(c=-1.5)
    lab.set_linear(x=2)
    assert lab.linear_stack().outputs == (-3.0, 4.5, -6.75)
    assert refusal_reason(lambda: lab.set_linear(c=11)) == "linear_c_limit"
    assert refusal_reason(lambda: lab.set_linear(x=-101)) == "linear_x_limit"
    with pytest.raises(ValueError):
        lab.set_linear(c=math.nan)
    assert (lab.linear_c, lab.linear_x) == (-1.5, 2.0)


def a_changed_lab() -> ActivationsLab:
    lab = ActivationsLab()
    lab.plot.select("leaky_relu")
    lab.plot.set_range(-2.5, 4.0)
    lab.plot.set_cursor(0.37)
    lab.plot.toggle_derivative()
    lab.plot.set_alpha(0.2)
    lab.set_linear(c=-1.5, x=0.1)
    lab.softmax.set_scores((1010.0, 1000.0, 990.0, -0.3))
    return lab


def numbers_of(lab: ActivationsLab) -> tuple:
    plot = lab.plot
    return (
        plot.name, plot.show_derivative, plot.xmin, plot.xmax, plot.cursor, plot.reading(),
        lab.linear_stack(), lab.softmax.scores, format_like_numpy(lab.softmax.stable().probabilities),
    )


def test_the_state_document_round_trips_through_json():
    lab = a_changed_lab()
    document = json.loads(json.dumps(lab.to_state()))
    assert document == {
        "function": "leaky_relu", "derivative": True, "xmin": -2.5, "xmax": 4.0, "x": 0.37, "alpha": 0.2,
        "linear_c": -1.5, "linear_x": 0.1, "scores": [1010.0, 1000.0, 990.0, -0.3],
    }
    again = ActivationsLab.from_state(Fields(document))
    assert numbers_of(again) == numbers_of(lab)
    assert again.to_state() == lab.to_state()
    assert ActivationsLab.from_state(Fields(ActivationsLab().to_state())).to_state() == ActivationsLab().to_state()


@pytest.mark.parametrize(
    "change, code",
    [
        ({"function": "softmax"}, "state.unknown_choice"),
        ({"derivative": 1}, "state.not_flag"),
        ({"x": "abc"}, "state.not_a_number"),
        ({"x": math.nan}, "state.not_finite"),
        ({"xmin": -51}, "state.out_of_range"),
        ({"xmin": 5, "xmax": 4}, "activations.range_order"),
        ({"xmin": 1, "xmax": 1.001}, "activations.range_narrow"),
        ({"x": 4.5}, "activations.cursor_outside"),
        ({"linear_c": 10.5}, "state.out_of_range"),
        ({"linear_x": True}, "state.not_a_number"),
        ({"scores": [1.0]}, "state.wrong_length"),
        ({"scores": [1.0] * 11}, "state.wrong_length"),
        ({"scores": [1.0, 2e4]}, "state.out_of_range"),
        ({"scores": "0.3, 2.9"}, "state.not_a_list"),
        ({"scores": [1.0, None]}, "state.not_a_number"),
    ],
)
def test_a_bad_state_document_is_refused_naming_why(change, code):
    document = {**a_changed_lab().to_state(), **change}
    with pytest.raises(Refusal) as caught:
        ActivationsLab.from_state(Fields(document))
    assert caught.value.code == code


@pytest.mark.parametrize("missing", list(ActivationsLab().to_state()))
def test_a_state_document_missing_a_field_is_refused(missing):
    document = a_changed_lab().to_state()
    del document[missing]
    with pytest.raises(Refusal) as caught:
        ActivationsLab.from_state(Fields(document))
    assert caught.value.code == "state.missing" and caught.value.values == {"field": f"state.{missing}"}


def test_scores_set_directly_are_refused_like_typed_ones():
    demo = SoftmaxDemo()
    with pytest.raises(Refusal) as caught:
        demo.set_scores([1.0, 2e4])
    assert caught.value.code == "activations.scores_too_large" and caught.value.values["limit"] == 1e4
    with pytest.raises(Refusal) as caught:
        demo.set_scores([1.0])
    assert caught.value.code == "activations.scores_count" and caught.value.values == {"n": 1, "low": 2, "high": 10}
    assert demo.scores == BOOK_SCORES


# --- leaky ReLU's α, ten scores ------------------------------------------------------------------


def test_leaky_relu_alpha_changes_the_curve_the_reading_and_the_slope():
    plot = ActivationPlot("leaky_relu")
    plot.set_cursor(-2.0)
    assert plot.alpha == 0.01 and plot.reading() == (-2.0, -0.02, 0.01)
    plot.set_alpha(0.2)
    assert plot.reading() == (-2.0, -0.4, 0.2)
    curves = plot.curves(5)  # -6, -3, 0, 3, 6
    assert np.allclose(curves.ys, [-1.2, -0.6, 0.0, 3.0, 6.0])
    assert np.allclose(curves.slopes, [0.2, 0.2, 0.2, 1.0, 1.0])
    assert plot.smallest_slope(curves).slope == 0.2
    plot.select("relu")  # α belongs to leaky ReLU only
    assert plot.reading() == (-2.0, 0.0, 0.0)


@pytest.mark.parametrize("alpha", [0.0, -0.1, 1.5])
def test_an_alpha_out_of_range_is_refused_and_kept(alpha):
    plot = ActivationPlot("leaky_relu")
    plot.set_alpha(0.3)
    with pytest.raises(Refusal) as caught:
        plot.set_alpha(alpha)
    assert caught.value.code == "activations.alpha_limit" and caught.value.values == {"alpha": alpha, "limit": 1.0}
    assert plot.alpha == 0.3


def test_a_state_document_with_alpha_zero_is_refused():
    document = a_changed_lab().to_state() | {"alpha": 0.0}
    with pytest.raises(Refusal) as caught:
        ActivationsLab.from_state(Fields(document))
    assert caught.value.code == "activations.alpha_limit"


def test_ten_scores_an_mnist_output_layer_are_taken():
    scores = parse_scores("-2.5, 1, 0.3, 4.2, 7, 1.5, -0.5, 2, 9.1, 3")
    assert len(scores) == 10
    demo = SoftmaxDemo(scores)
    assert math.isclose(demo.stable().probability_sum, 1.0)
    lab = ActivationsLab()
    lab.softmax.set_scores(scores)
    assert ActivationsLab.from_state(Fields(json.loads(json.dumps(lab.to_state())))).softmax.scores == scores
