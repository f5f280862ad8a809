"""Lesson 5's workbench: the graph on the table, typed inputs, and its state document."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nn_tui.core.graph.expression import ExpressionError
from nn_tui.core.graph.presets import PRESETS
from nn_tui.core.graph.stepper import BACKWARD, DONE, FORWARD
from nn_tui.core.labs.backprop import INPUT_LIMIT, BackpropLab
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields


def round_trip(lab: BackpropLab) -> BackpropLab:
    return BackpropLab.from_state(Fields(json.loads(json.dumps(lab.to_state()))))


def same_numbers(a: BackpropLab, b: BackpropLab) -> bool:
    """Every node's value and gradient, and the stepper's position, are exactly equal."""
    if [n.name for n in a.graph.nodes] != [n.name for n in b.graph.nodes]:
        return False
    for m, n in zip(a.graph.nodes, b.graph.nodes):
        for p, q in ((m.value, n.value), (m.grad, n.grad)):
            if (p is None) != (q is None) or (p is not None and not np.array_equal(p, q)):
                return False
    return a.stepper.steps_done == b.stepper.steps_done


def test_the_start_is_the_books_apples():
    lab = BackpropLab()
    assert (lab.preset, lab.expression, lab.stepper.steps_done) == ("apple", "", 0)
    assert lab.to_state() == {"preset": "apple", "expression": "",
                              "inputs": {"apple": 100.0, "apple_num": 2.0, "tax": 1.1},
                              "phase": FORWARD, "step": 0}


def test_an_input_changed_mid_way_recomputes_up_to_the_same_step():
    lab = BackpropLab()
    lab.stepper.go_to(2)
    assert lab.set_input("apple", 150.0) is None
    assert lab.stepper.steps_done == 2 and lab.graph.output.value == 150.0 * 2.0 * 1.1
    lab.stepper.run_to_end()
    assert lab.graph.gradients() == {"apple": 2.2, "apple_num": 1.1 * 150.0, "tax": 300.0}


def test_a_step_refused_on_the_way_keeps_the_value_and_stops_there():
    lab = BackpropLab()
    lab.use_expression("1 / x * 2")
    lab.stepper.go_to(2)
    refusal = lab.set_input("x", 0.0)
    assert refusal is not None and refusal.code == "op.inverse_of_zero"
    assert lab.graph.inputs["x"].value == 0.0 and lab.stepper.steps_done == 0


def test_inputs_the_student_cannot_type_are_refused():
    lab = BackpropLab()
    with pytest.raises(Refusal) as info:
        lab.set_input("price", 1.0)
    assert info.value.code == "backprop.unknown_input"
    with pytest.raises(Refusal):
        lab.set_input("apple", 2 * INPUT_LIMIT)
    lab.pick_preset("tiny_network")
    assert lab.scalar_inputs() == []
    with pytest.raises(Refusal):
        lab.set_input("W1", 1.0)  # an array: not typed in the lesson


def test_a_formula_keeps_the_values_of_the_names_it_shares():
    lab = BackpropLab()
    lab.pick_preset("add_mul")
    lab.use_expression("  (x + y) * z + w ")
    assert lab.expression == "(x + y) * z + w" and lab.preset == "add_mul"
    assert {n.name: n.value for n in lab.scalar_inputs()} == {"x": -2.0, "y": 5.0, "z": -4.0, "w": 1.0}
    before = lab.stepper
    with pytest.raises(ExpressionError):
        lab.use_expression("(x + * y")
    assert lab.stepper is before and lab.expression == "(x + y) * z + w"
    lab.pick_preset("max_gate")
    assert (lab.preset, lab.expression) == ("max_gate", "")
    with pytest.raises(Refusal):
        lab.pick_preset("nope")


@pytest.mark.parametrize("name", list(PRESETS))
@pytest.mark.parametrize("where", ["start", "forward", "backward", "done"])
def test_every_preset_at_every_phase_round_trips(name, where):
    lab = BackpropLab(name)
    n = len(lab.graph.ops)
    lab.stepper.go_to({"start": 0, "forward": n - 1, "backward": n + n // 2, "done": 2 * n}[where])
    again = round_trip(lab)
    assert again.to_state() == lab.to_state()
    assert same_numbers(lab, again)


def test_the_books_numbers_survive_a_round_trip():
    lab = BackpropLab("apple_orange")
    lab.stepper.run_to_end()
    state = json.loads(json.dumps(lab.to_state()))
    assert state["phase"] == DONE and state["step"] == 0
    again = BackpropLab.from_state(Fields(state))
    assert again.graph.output.value == 715.0000000000001
    assert again.graph.gradients() == {"apple": 2.2, "apple_num": 110.00000000000001,
                                       "orange": 3.3000000000000003, "orange_num": 165.0, "tax": 650}


def test_a_typed_formula_and_its_values_round_trip():
    lab = BackpropLab()
    lab.use_expression("x * sigmoid(y) - max(x, 2)")
    lab.set_input("x", 3.5)
    lab.stepper.go_to(len(lab.graph.ops) + 2)
    state = lab.to_state()
    assert state["expression"] == "x * sigmoid(y) - max(x, 2)" and state["phase"] == BACKWARD
    again = round_trip(lab)
    assert again.expression == lab.expression and again.to_state() == state
    assert same_numbers(lab, again)


def good_state() -> dict:
    lab = BackpropLab("add_mul")
    lab.stepper.go_to(3)
    return lab.to_state()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda s: s.pop("preset"), "state.missing"),
        (lambda s: s.update(preset="pears"), "state.unknown_choice"),
        (lambda s: s.update(expression=3), "state.not_text"),
        (lambda s: s.update(expression="(x + * y"), "backprop.state_expression"),
        (lambda s: s.update(expression="x" * 500), "state.not_text"),
        (lambda s: s.update(inputs=[1, 2]), "state.not_a_table"),
        (lambda s: s["inputs"].update(x="abc"), "state.not_a_number"),
        (lambda s: s["inputs"].update(x=float("nan")), "state.not_finite"),
        (lambda s: s["inputs"].update(x=1e9), "state.out_of_range"),
        (lambda s: s["inputs"].pop("z"), "state.missing"),
        (lambda s: s["inputs"].update(w=1.0), "state.unknown_choice"),
        (lambda s: s.update(phase="sideways"), "state.unknown_choice"),
        (lambda s: s.update(step=2), "state.out_of_range"),
        (lambda s: s.update(step=-1), "state.out_of_range"),
        (lambda s: s.update(step=1.5), "state.not_integer"),
        (lambda s: s.update(phase="done"), "state.out_of_range"),  # step 1 of "done"
    ],
)
def test_a_bad_document_is_refused_naming_the_field(change, code):
    state = good_state()
    change(state)
    with pytest.raises(Refusal) as info:
        BackpropLab.from_state(Fields(state))
    assert info.value.code == code


def test_a_document_whose_step_cannot_be_computed_is_refused():
    lab = BackpropLab()
    lab.use_expression("1 / x")
    state = lab.to_state()
    state["inputs"]["x"] = 0.0
    state["phase"], state["step"] = BACKWARD, 0
    with pytest.raises(Refusal) as info:
        BackpropLab.from_state(Fields(state))
    assert info.value.code == "op.inverse_of_zero"
