"""Lesson 1's workbench: gates, weights, inputs, learning, and the book's number format."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.core.gates import AND, INPUTS, NAND, OR, Perceptron
from nn_tui.core.labs.perceptron import (
    GATES,
    PerceptronLab,
    clean,
    format_sum,
    format_weight,
    output,
)
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields

FAST = settings(max_examples=50, deadline=None)


# --- numbers as the book prints them -------------------------------------------


def test_weighted_sum_of_and_at_1_1_prints_as_0_30_not_float_noise():
    total = 1 * 0.5 + 1 * 0.5 + (-0.7)
    assert total != 0.3  # 0.30000000000000004 in floating point
    assert format_sum(total, (0.5, 0.5, -0.7)) == "0.30"
    assert format_sum(-0.7, (0.5, 0.5, -0.7)) == "-0.70"


@pytest.mark.parametrize(
    "value, text",
    [(0.5, "0.5"), (-0.7, "-0.7"), (1.0, "1"), (0.0, "0"), (-0.0, "0"), (0.6699999999999999, "0.67"),
     (0.1 + 0.2, "0.3"), (-2.7e-17, "0"), (0.125, "0.125"), (-10.0, "-10")],
)
def test_format_weight(value, text):
    assert format_weight(value) == text


def test_sum_shows_as_many_decimals_as_the_weights_need():
    assert format_sum(0.125 + 0.5 - 0.7, (0.125, 0.5, -0.7)) == "-0.075"
    assert format_sum(0.0, (0.0, 0.0, 0.0)) == "0.00"
    assert format_sum(-2.7e-17, (0.3, -0.1, -0.2)) == "0.00"  # never "-0.00"


@FAST
@given(st.lists(st.integers(-1000, 1000), min_size=3, max_size=3), st.sampled_from(INPUTS))
def test_sums_of_two_decimal_weights_print_exactly(hundredths, x):
    w1, w2, b = (h / 100 for h in hundredths)
    exact = x[0] * Decimal(hundredths[0]) / 100 + x[1] * Decimal(hundredths[1]) / 100 + Decimal(hundredths[2]) / 100
    text = format_sum(x[0] * w1 + x[1] * w2 + b, (w1, w2, b))
    assert Decimal(text) == exact
    assert text == f"{exact:.2f}".replace("-0.00", "0.00")


def test_a_sum_that_is_zero_in_decimals_gives_output_0_as_the_rule_says():
    lab = PerceptronLab()
    for name, value in (("w1", 0.1), ("w2", 0.2), ("b", -0.3)):
        lab.set_weight(name, value)
    lab.toggle_x1()
    lab.toggle_x2()
    assert 0.1 + 0.2 - 0.3 > 0  # float noise: 5.55e-17
    assert lab.weighted_sum == 0.0 and lab.output == 0
    assert lab.rows()[3].weighted_sum == 0.0 and lab.rows()[3].y == 0
    assert lab.regions(np.array([1.0]), np.array([1.0])).tolist() == [0]
    assert format_sum(lab.weighted_sum, lab.weights) == "0.00"


# --- the lab's state ---------------------------------------------------------------


def test_starts_as_the_books_and_gate_at_0_0():
    lab = PerceptronLab()
    assert lab.gate == "AND" and lab.perceptron == AND
    assert (lab.x1, lab.x2, lab.row_index) == (0, 0, 0)
    assert lab.weights == (0.5, 0.5, -0.7)
    assert lab.theta == 0.7
    assert lab.output == 0 and lab.solved and lab.separable


@pytest.mark.parametrize(
    "gate, outputs, weights",
    [("AND", (0, 0, 0, 1), (0.5, 0.5, -0.7)), ("NAND", (1, 1, 1, 0), (-0.5, -0.5, 0.7)),
     ("OR", (0, 1, 1, 1), (0.5, 0.5, -0.2))],
)
def test_book_gates_give_their_truth_tables(gate, outputs, weights):
    lab = PerceptronLab(gate)
    assert lab.weights == weights
    assert tuple(row.y for row in lab.rows()) == outputs
    assert tuple(row.target for row in lab.rows()) == outputs
    assert lab.solved


def test_toggling_inputs_moves_the_current_row():
    lab = PerceptronLab("AND")
    lab.toggle_x1()
    assert (lab.x1, lab.x2, lab.row_index, lab.output) == (1, 0, 1, 0)
    lab.toggle_x2()
    assert (lab.row_index, lab.output) == (3, 1)
    assert lab.weighted_sum == pytest.approx(0.3, abs=1e-12)
    assert lab.input_sum == 1.0
    assert [row.current for row in lab.rows()] == [False, False, False, True]
    lab.toggle_x1()
    assert (lab.x1, lab.x2, lab.row_index) == (0, 1, 2)


def test_gates_cycle_and_xor_starts_from_or_with_one_row_wrong():
    lab = PerceptronLab()
    assert [lab.next_gate() for _ in GATES] == ["NAND", "OR", "XOR", "custom", "AND"]
    lab.select_gate("XOR")
    assert lab.perceptron == OR and lab.targets == (0, 1, 1, 0)
    assert lab.wrong_rows == 1 and not lab.rows()[3].correct
    assert not lab.separable
    assert lab.next_gate(-1) == "OR"


def test_custom_keeps_weights_and_flipping_a_target_makes_a_custom_gate():
    lab = PerceptronLab("NAND")
    lab.toggle_x1()
    lab.toggle_x2()
    lab.flip_target()  # NAND with (1, 1) -> 1 is "always 1"
    assert lab.gate == "custom" and lab.targets == (1, 1, 1, 1)
    assert lab.perceptron == NAND and lab.wrong_rows == 1 and lab.separable
    lab.select_gate("AND")
    lab.select_gate("custom")
    assert lab.targets == (0, 0, 0, 1) and lab.perceptron == AND
    lab.toggle_x1()  # the inputs stay (1, 1) across gates: now (0, 1)
    lab.flip_target()  # (0, 0, 1, 1) is x2 itself: separable
    assert lab.targets == (0, 0, 1, 1) and lab.separable


def test_xnor_is_not_separable():
    lab = PerceptronLab("XOR")
    lab.flip_target()
    lab.toggle_x1()
    lab.flip_target()
    lab.toggle_x2()
    lab.flip_target()
    lab.toggle_x1()
    lab.flip_target()
    assert lab.targets == (1, 0, 0, 1) and not lab.separable


def test_unknown_gate_is_refused():
    with pytest.raises(ValueError, match="unknown gate 'XNOR'"):
        PerceptronLab("XNOR")
    lab = PerceptronLab()
    with pytest.raises(ValueError, match="choose one of AND, NAND, OR, XOR, custom"):
        lab.select_gate("and")
    assert lab.gate == "AND"


# --- weights -------------------------------------------------------------------------


def test_set_weight_updates_the_perceptron():
    lab = PerceptronLab()
    lab.set_weight("b", -0.2)
    assert lab.perceptron == Perceptron(0.5, 0.5, -0.2)
    assert tuple(row.y for row in lab.rows()) == (0, 1, 1, 1)  # now OR
    lab.set_weight("w1", 3)
    assert lab.weight("w1") == 3.0


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 10.5, -11.0, "0.5", None, True])
def test_bad_weights_are_refused_and_change_nothing(value):
    lab = PerceptronLab()
    with pytest.raises(ValueError, match="w2"):
        lab.set_weight("w2", value)
    assert lab.perceptron == AND


def test_unknown_weight_name_is_refused():
    lab = PerceptronLab()
    with pytest.raises(ValueError, match="the weights are w1, w2, b"):
        lab.set_weight("w3", 0.1)
    with pytest.raises(ValueError, match="unknown weight"):
        lab.weight("theta")


def test_nudges_leave_no_float_noise():
    lab = PerceptronLab()
    assert lab.nudge("w1", 0.1) == 0.6
    for _ in range(7):
        lab.nudge("b", 0.1)
    assert lab.weight("b") == 0.0  # -0.7 + 7 x 0.1, exactly
    for _ in range(3):
        lab.nudge("b", -0.1)
    assert lab.weight("b") == -0.3
    assert format_weight(lab.weight("b")) == "-0.3"


def test_nudge_stops_at_the_limit():
    lab = PerceptronLab()
    lab.set_weight("w1", 10)
    assert not lab.can_nudge("w1", 0.1) and lab.can_nudge("w1", -0.1)
    with pytest.raises(Refusal) as refused:
        lab.nudge("w1", 0.1)
    assert (refused.value.code, refused.value.values) == ("perceptron.weight_limit", {"name": "w1", "limit": 10.0})
    assert lab.weight("w1") == 10.0


def test_reset_goes_back_to_the_books_weights():
    lab = PerceptronLab("OR")
    lab.set_weight("w1", -3)
    lab.learn_step()
    lab.reset()
    assert lab.perceptron == OR and lab.learner is None and lab.last_step is None


# --- learning -------------------------------------------------------------------------


def test_learning_and_from_seeded_random_weights_converges_after_8_epochs():
    lab = PerceptronLab("AND")
    step = lab.learn_step()
    assert step.old == Perceptron(0.27, -0.46, -0.92)  # seed 0
    assert step.sample == (0, 0) and (lab.x1, lab.x2) == (0, 0)
    assert step.prediction == 0 and step.target == 0 and not step.changed
    assert lab.current_epoch == 1 and lab.converged_epochs is None
    while lab.converged_at is None:
        lab.learn_step()
    assert lab.converged_at == 30 and lab.converged_epochs == 8
    assert lab.weights == pytest.approx((0.57, 0.14, -0.62), abs=1e-9)
    assert lab.solved and lab.last_step.sample == (1, 0)
    lab.learn_step()  # steps after convergence change nothing
    assert lab.converged_at == 30 and lab.weights == pytest.approx((0.57, 0.14, -0.62), abs=1e-9)


def test_a_wrong_prediction_moves_the_weights_by_the_rule():
    lab = PerceptronLab("AND")
    for _ in range(3):
        lab.learn_step()
    step = lab.learn_step()  # sample (1, 1): target 1, the random start says 0
    assert step.sample == (1, 1) and step.prediction == 0 and step.target == 1 and step.error == 1
    assert (step.new.w1, step.new.w2, step.new.b) == pytest.approx((0.37, -0.36, -0.82), abs=1e-12)
    assert lab.perceptron == step.new


@pytest.mark.parametrize("gate", ["AND", "NAND", "OR"])
def test_separable_gates_converge(gate):
    lab = PerceptronLab(gate)
    for _ in range(200):
        lab.learn_step()
    assert lab.converged_epochs is not None and lab.solved


def test_xor_never_converges():
    lab = PerceptronLab("XOR")
    for _ in range(400):
        lab.learn_step()
    assert not lab.separable and lab.converged_at is None and not lab.solved


def test_editing_a_weight_mid_run_restarts_learning_from_the_edited_weights():
    lab = PerceptronLab("AND")
    lab.learn_step()
    lab.set_weight("w1", 0.9)
    assert lab.learner is None and lab.last_step is None
    step = lab.learn_step()
    assert step.old == Perceptron(0.9, -0.46, -0.92) and step.step == 1


def test_changing_the_gate_forgets_the_run():
    lab = PerceptronLab("AND")
    lab.learn_step()
    lab.next_gate()
    assert lab.learner is None and lab.last_step is None and lab.perceptron == NAND


def test_seed_must_be_an_integer():
    with pytest.raises(ValueError, match="seed"):
        PerceptronLab(seed=0.5)


# --- XOR with two layers, and the plane -----------------------------------------------


def test_xor_table_matches_the_book():
    table = PerceptronLab.xor_table()
    assert [(int(r.x1), int(r.x2)) for r in table] == list(INPUTS)
    assert [r.s1 for r in table] == [1, 1, 1, 0]
    assert [r.s2 for r in table] == [0, 1, 1, 1]
    assert [r.y for r in table] == [0, 1, 1, 0]


def test_xor_now_follows_the_inputs():
    lab = PerceptronLab("XOR")
    lab.toggle_x2()
    assert tuple(lab.xor_now()) == (0.0, 1.0, 1, 1, 1)


@FAST
@given(
    st.lists(st.floats(-2, 2, allow_nan=False), min_size=3, max_size=3),
    st.lists(st.tuples(st.floats(-1, 2), st.floats(-1, 2)), min_size=1, max_size=20),
)
def test_regions_agree_with_the_perceptron_everywhere(weights, points):
    lab = PerceptronLab()
    for name, value in zip(("w1", "w2", "b"), weights):
        lab.set_weight(name, value)
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    assert lab.regions(xs, ys).tolist() == [output(lab.perceptron, x, y) for x, y in points]
    for (x, y), region in zip(points, lab.regions(xs, ys).tolist()):
        if abs(lab.perceptron.weighted_sum(x, y)) > 1e-9:  # away from the line: core's own rule
            assert region == lab.perceptron.output(x, y)


def test_xor_regions_are_the_strip_between_the_or_and_nand_lines():
    xs = np.array([0, 1, 0, 1, 0.5, 0.2, 0.9])
    ys = np.array([0, 0, 1, 1, 0.5, 0.1, 0.6])
    assert PerceptronLab.xor_regions(xs, ys).tolist() == [0, 1, 1, 0, 1, 0, 0]


def test_clean_removes_noise_and_negative_zero():
    assert clean(0.1 + 0.2) == 0.3
    assert math.copysign(1, clean(-1e-17)) == 1.0


# --- the state document ------------------------------------------------------------------


def reopened(lab: PerceptronLab) -> PerceptronLab:
    """`lab` written as JSON and read back."""
    return PerceptronLab.from_state(Fields(json.loads(json.dumps(lab.to_state(), allow_nan=False))))


def what_it_shows(lab: PerceptronLab) -> tuple:
    """Every number the lesson shows, and what r and n would do next."""
    return (
        lab.gate, lab.targets, lab.weights, lab.x1, lab.x2, lab.seed, lab.rows(), lab.last_step,
        lab.learning_steps, lab.current_epoch, lab.converged_at, lab.converged_epochs, lab.starts_from_random,
        lab.solved, lab.separable, lab.trail(), lab.line_in_plot, lab.has_line,
    )


def assert_same_lab(a: PerceptronLab, b: PerceptronLab) -> None:
    assert what_it_shows(b) == what_it_shows(a)
    assert b.to_state() == a.to_state()
    a.learn_step(), b.learn_step()  # the run goes on the same way
    assert what_it_shows(b) == what_it_shows(a)
    a.reset(), b.reset()  # and r goes back to the same weights
    assert what_it_shows(b) == what_it_shows(a)


def test_a_fresh_lab_round_trips():
    lab = PerceptronLab()
    assert lab.to_state() == {
        "gate": "AND", "targets": [0, 0, 0, 1], "weights": [0.5, 0.5, -0.7], "reset_weights": [0.5, 0.5, -0.7],
        "x1": 0, "x2": 0, "seed": 0, "learning_steps": 0,
    }
    assert_same_lab(lab, reopened(lab))


def test_a_learning_run_is_replayed_to_the_same_step():
    lab = PerceptronLab("AND", seed=3)
    for _ in range(6):
        lab.learn_step()
    lab.toggle_x2()  # the inputs moved after the last step
    state = lab.to_state()
    assert state["weights"] == [0.5, 0.5, -0.7] and state["learning_steps"] == 6  # a random start: seed 3
    again = reopened(lab)
    assert again.last_step == lab.last_step and (again.x1, again.x2) == (lab.x1, lab.x2)
    assert_same_lab(lab, again)


def test_a_converged_run_comes_back_converged():
    lab = PerceptronLab("AND")
    for _ in range(33):
        lab.learn_step()
    again = reopened(lab)
    assert again.converged_at == 30 and again.converged_epochs == 8
    assert again.weights == lab.weights == pytest.approx((0.57, 0.14, -0.62), abs=1e-9)
    assert_same_lab(lab, again)


def test_a_run_from_edited_weights_and_a_custom_gate_round_trip():
    lab = PerceptronLab("NAND")
    lab.toggle_x1()
    lab.flip_target()  # custom (1, 0, 1, 0)
    lab.set_weight("w2", -0.3)
    for _ in range(5):
        lab.learn_step()
    state = lab.to_state()
    assert state["gate"] == "custom" and state["targets"] == [1, 0, 1, 0]
    assert state["weights"] == [-0.5, -0.3, 0.7] and state["reset_weights"] == [-0.5, -0.5, 0.7]
    assert_same_lab(lab, reopened(lab))


def test_weights_a_run_carried_past_the_typing_limit_still_round_trip():
    lab = PerceptronLab("OR")
    lab.set_weight("w1", 10)
    lab.set_weight("b", -10)
    lab.learn_step()
    lab.learn_step()  # (1, 0) wanted 1, got 0: w1 goes to 10.1
    assert lab.weight("w1") == pytest.approx(10.1)
    lab.set_weight("b", -9)  # a new run will begin at w1 = 10.1
    lab.learn_step()
    assert lab.to_state()["weights"][0] == pytest.approx(10.1)
    assert_same_lab(lab, reopened(lab))


ACTIONS = {
    "a": PerceptronLab.toggle_x1,
    "b": PerceptronLab.toggle_x2,
    "g": PerceptronLab.next_gate,
    "t": PerceptronLab.flip_target,
    "n": PerceptronLab.learn_step,
    "r": PerceptronLab.reset,
    "]": lambda lab: lab.can_nudge("w1", 0.1) and lab.nudge("w1", 0.1),
    "[": lambda lab: lab.can_nudge("b", -0.1) and lab.nudge("b", -0.1),
    "u": lambda lab: lab.learning_steps and lab.undo_step(),
}


@FAST
@given(st.lists(st.sampled_from(sorted(ACTIONS)), max_size=40), st.integers(0, 2**32 - 1))
def test_any_sequence_of_keys_round_trips(keys, seed):
    lab = PerceptronLab(seed=seed)
    for key in keys:
        ACTIONS[key](lab)
    assert_same_lab(lab, reopened(lab))


GOOD = PerceptronLab().to_state()


@pytest.mark.parametrize(
    "change, code, field",
    [
        ({"gate": "XNOR"}, "state.unknown_choice", "state.gate"),
        ({"targets": [0, 0, 1]}, "state.wrong_length", "state.targets"),
        ({"targets": [0, 0, 2, 1]}, "state.out_of_range", "state.targets[2]"),
        ({"targets": [0, 1, 1, 1]}, "perceptron.not_the_gate", "state.targets"),
        ({"reset_weights": [0.5, 0.5, -0.2]}, "perceptron.not_the_gate", "state.reset_weights"),
        ({"weights": [0.5, "abc", -0.7]}, "state.not_a_number", "state.weights[1]"),
        ({"weights": [0.5, math.nan, -0.7]}, "state.not_finite", "state.weights[1]"),
        ({"weights": [0.5, 0.5, -1000]}, "state.out_of_range", "state.weights[2]"),
        ({"weights": 0.5}, "state.not_a_list", "state.weights"),
        ({"x1": 2}, "state.out_of_range", "state.x1"),
        ({"x2": True}, "state.not_integer", "state.x2"),
        ({"seed": -1}, "state.out_of_range", "state.seed"),
        ({"seed": 0.5}, "state.not_integer", "state.seed"),
        ({"learning_steps": 10**9}, "state.out_of_range", "state.learning_steps"),
    ],
)
def test_a_bad_state_is_refused_naming_the_field(change, code, field):
    with pytest.raises(Refusal) as refused:
        PerceptronLab.from_state(Fields({**GOOD, **change}))
    assert refused.value.code == code and refused.value.values["field"] == field


@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_state_missing_a_field_is_refused(name):
    with pytest.raises(Refusal) as refused:
        PerceptronLab.from_state(Fields({k: v for k, v in GOOD.items() if k != name}))
    assert refused.value.code == "state.missing" and refused.value.values["field"] == f"state.{name}"


def test_a_custom_gate_may_have_any_targets_and_reset_weights():
    state = {**GOOD, "gate": "custom", "targets": [1, 0, 0, 1], "reset_weights": [3, -2, 0.25]}
    lab = PerceptronLab.from_state(Fields(state))
    assert lab.targets == (1, 0, 0, 1) and not lab.separable
    lab.reset()
    assert lab.weights == (3.0, -2.0, 0.25)


# --- undo, the trail of earlier lines, a line outside the plot ---------------------------------


def test_undo_goes_back_to_just_before_the_last_step():
    lab = PerceptronLab("AND")
    lab.learn_step()
    lab.learn_step()
    lab.toggle_x1()  # the inputs moved between steps: undo puts them back too
    before = (what_it_shows(lab), lab.to_state(), lab.history[:])
    lab.learn_step()
    lab.learn_step()  # step 4: (1, 1) wanted 1, got 0, the weights move
    lab.undo_step()
    lab.undo_step()
    assert (what_it_shows(lab), lab.to_state(), lab.history) == before
    lab.undo_step()
    lab.undo_step()  # back to before the run: the gate's weights, no run
    assert lab.learning_steps == 0 and lab.last_step is None and lab.weights == (0.5, 0.5, -0.7)
    assert lab.starts_from_random and (lab.x1, lab.x2) == (0, 0)
    with pytest.raises(Refusal) as refused:
        lab.undo_step()
    assert refused.value.code == "perceptron.nothing_to_undo"
    assert lab.learning_steps == 0


def test_undo_after_a_run_converged_and_after_reopening():
    lab = PerceptronLab("AND")
    for _ in range(30):
        lab.learn_step()
    assert lab.converged_at == 30
    lab.undo_step()
    assert lab.converged_at is None and lab.learning_steps == 29
    again = reopened(lab)
    again.undo_step()
    lab.undo_step()
    assert_same_lab(lab, again)


def test_undo_of_a_run_from_edited_weights_keeps_those_weights():
    lab = PerceptronLab("OR")
    lab.set_weight("w1", -0.4)
    lab.learn_step()
    lab.undo_step()
    assert lab.weights == (-0.4, 0.5, -0.2) and not lab.starts_from_random


def test_the_trail_keeps_the_last_three_earlier_lines_newest_first():
    lab = PerceptronLab("AND")
    assert lab.trail() == []
    for _ in range(30):
        lab.learn_step()
    changed = [step for step in lab.history if step.changed]
    assert len(changed) > 3
    assert lab.trail() == [step.old for step in reversed(changed)][:3]
    assert lab.weights not in [(p.w1, p.w2, p.b) for p in lab.trail()]
    assert len(lab.trail(1)) == 1
    lab.reset()
    assert lab.trail() == [] and lab.history == []


def test_the_line_outside_the_plot_and_no_line_at_all():
    lab = PerceptronLab("AND")
    assert lab.line_in_plot and lab.has_line
    lab.learn_step()  # seed 0 starts from (0.27, -0.46, -0.92): the line misses -0.5..1.5
    assert lab.weights == (0.27, -0.46, -0.92)
    assert not lab.line_in_plot and lab.has_line
    lab.set_weight("w1", 0)
    lab.set_weight("w2", 0)
    assert not lab.has_line and not lab.line_in_plot
