"""The node-by-node stepper: a cursor over the graph's own order."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.core.graph.engine import Graph, add, mul, reciprocal, variable
from nn_tui.core.graph.presets import PRESETS, apple, apple_orange, sigmoid_neuron_gate, sigmoid_neuron_gates
from nn_tui.core.graph.presets import tiny_network
from nn_tui.core.graph.stepper import BACKWARD, DONE, FORWARD, GraphStepper
from nn_tui.core.refusal import Refusal


def refused(step) -> Refusal:
    """The Refusal a step raises (the test fails if it does not)."""
    with pytest.raises(Refusal) as info:
        step()
    return info.value


def same_state(a, b):
    return len(a) == len(b) and all(
        all((p is None and q is None) or (p is not None and q is not None and np.array_equal(p, q))
            for p, q in zip(x, y))
        for x, y in zip(a, b)
    )


def test_the_start():
    s = GraphStepper(apple())
    assert (s.phase, s.cursor, s.steps_done, s.steps_total) == (FORWARD, 0, 0, 4)
    assert s.next_node.name == "apple_price"
    assert s.current is None and s.records == ()
    assert all(n.value is None for n in s.graph.ops)
    assert all(n.grad is None for n in s.graph.nodes)
    assert s.graph.inputs["tax"].value == 1.1  # leaves are given, not steps


@pytest.mark.parametrize(("factory", "ops"), [(apple, 2), (apple_orange, 4), (sigmoid_neuron_gates, 8),
                                              (sigmoid_neuron_gate, 5), (tiny_network, 4)])
def test_one_step_per_operation_node_each_way(factory, ops):
    s = GraphStepper(factory())
    assert len(s.graph.ops) == ops == sum(not n.is_leaf for n in s.graph.nodes)
    forward = [s.step_forward() for _ in range(ops)]
    assert s.phase == BACKWARD
    assert [r.node for r in forward] == list(s.graph.ops)
    backward = [s.step_backward() for _ in range(ops)]
    assert s.phase == DONE
    assert [r.node for r in backward] == list(reversed(s.graph.ops))
    assert s.steps_done == s.steps_total == 2 * ops


def test_backward_before_the_forward_pass_is_refused():
    s = GraphStepper(apple_orange())
    s.step_forward()
    before = s.graph.state()
    refusal = refused(s.step_backward)
    assert (refusal.code, refusal.values) == ("stepper.finish_forward", {"left": 3})
    assert same_state(before, s.graph.state()) and s.steps_done == 1
    assert refused(s.run_backward).values == {"left": 3}
    s.run_forward()
    s.step_back()
    assert (refused(s.step_backward).code, s.forward_left) == ("stepper.finish_forward", 1)
    assert refused(s.step_backward).values == {"left": 1}


def test_stepping_past_the_end_is_refused():
    s = GraphStepper(apple())
    assert s.run_to_end() is s.current
    assert s.phase == DONE and s.cursor is None and s.next_node is None
    before = s.graph.state()
    for step in (s.step_forward, s.step_backward, s.step, s.run_forward, s.run_backward, s.run_to_end):
        assert refused(step).code.startswith("stepper.")
    assert same_state(before, s.graph.state()) and s.steps_done == 4
    assert refused(s.step_forward).code == "stepper.all_done"
    assert refused(s.step_backward).code == "stepper.backward_done"
    assert refused(s.run_to_end).code == "stepper.all_done"


def test_forward_again_during_the_backward_phase_is_refused():
    s = GraphStepper(apple())
    s.run_forward()
    assert refused(s.step_forward).code == "stepper.forward_finished"
    assert refused(s.run_forward).code == "stepper.forward_done_already"
    assert s.steps_done == 2


def test_the_apple_steps_show_the_books_numbers():
    s = GraphStepper(apple())
    r1 = s.step_forward()
    assert (r1.phase, r1.node.name, r1.input_values, r1.value) == (FORWARD, "apple_price", (100.0, 2.0), 200.0)
    assert r1.local_derivatives == (2.0, 100.0) and r1.upstream is None and r1.sent is None
    r2 = s.step()
    assert r2.value == 220.00000000000003
    assert s.graph.inputs["apple"].grad is None  # not reached yet
    b1 = s.step()
    assert (b1.phase, b1.node.name, b1.upstream) == (BACKWARD, "price", 1.0)
    assert b1.local_derivatives == (1.1, 200.0) and b1.sent == (1.1, 200.0)
    assert s.graph.inputs["tax"].grad == 200.0 and s.graph.inputs["apple"].grad is None
    b2 = s.step()
    assert b2.upstream == 1.1 and b2.sent == (2.2, 110.00000000000001)
    assert b2.op.behaviour == "swap" and s.current is b2
    assert s.graph.gradients() == {"apple": 2.2, "apple_num": 110.00000000000001, "tax": 200.0}


def test_each_backward_record_is_the_chain_rule_product():
    s = GraphStepper(sigmoid_neuron_gates())
    s.run_to_end()
    for record in s.records[len(s.graph.ops):]:
        assert record.sent == tuple(None if i.is_constant else record.upstream * d
                                    for i, d in zip(record.node.inputs, record.local_derivatives))


def test_gradients_of_a_node_used_twice_accumulate_step_by_step():
    x, y, z = variable("x", 2.0), variable("y", -3.0), variable("z", 0.5)
    s = GraphStepper(Graph(mul(add(x, y, name="p"), add(x, z, name="q"), name="f")))
    s.run_forward()
    s.step_backward()  # f: sends q to p and p to q; x not reached yet
    assert x.grad is None
    s.step_backward()  # q = x + z: x gets df/dq = p = -1
    assert x.grad == -1.0
    s.step_backward()  # p = x + y: x gets df/dp = q = 2.5 on top
    assert x.grad == -1.0 + 2.5
    s.step_back()
    assert x.grad == -1.0


@pytest.mark.parametrize("name", list(PRESETS))
def test_stepping_gives_exactly_what_the_whole_passes_give(name):
    g = PRESETS[name]()
    value = g.forward()
    grads = g.backward()
    s = GraphStepper(PRESETS[name]())
    s.run_to_end()
    assert s.phase == DONE
    assert np.array_equal(s.graph.output.value, value)
    for k, v in s.graph.gradients().items():
        assert np.array_equal(v, grads[k]), k


def test_step_back_restores_the_previous_state_exactly():
    s = GraphStepper(apple_orange())
    states = [s.graph.state()]
    for _ in range(s.steps_total):
        s.step()
        states.append(s.graph.state())
    for k in range(s.steps_total, 0, -1):
        s.step_back()
        assert same_state(s.graph.state(), states[k - 1]) and s.steps_done == k - 1
    assert refused(s.step_back).code == "stepper.nothing_to_undo"
    assert s.steps_done == 0


def test_step_back_makes_the_previous_step_current_again():
    s = GraphStepper(apple())
    first = s.step()
    s.step()
    assert s.step_back() is first and s.current is first and s.cursor == 1
    assert s.step_back() is None and s.current is None


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["step", "back", "forward", "backward"]), max_size=30))
def test_any_sequence_of_keys_keeps_the_state_consistent(keys):
    s = GraphStepper(sigmoid_neuron_gates())
    for key in keys:
        try:
            {"step": s.step, "back": s.step_back, "forward": s.step_forward, "backward": s.step_backward}[key]()
        except Refusal:
            pass  # refused: nothing changed, which the checks below see
    n = len(s.graph.ops)
    done = s.steps_done
    computed = [op.value is not None for op in s.graph.ops]
    assert computed == [i < done for i in range(n)]
    processed = set(s.graph.ops[2 * n - done:]) if done > n else set()
    for op in s.graph.ops:
        fed = op in processed or any(c in processed for c in s.graph.consumers(op))
        assert (op.grad is not None) == fed, op
    replay = GraphStepper(sigmoid_neuron_gates())
    for _ in range(done):
        replay.step()
    assert same_state(replay.graph.state(), s.graph.state())


def test_set_input_resets_and_recomputes():
    s = GraphStepper(apple())
    s.run_to_end()
    s.set_input("apple_num", 3)
    assert s.steps_done == 0 and s.phase == FORWARD and s.current is None
    assert all(n.value is None for n in s.graph.ops)
    s.run_to_end()
    assert s.graph.output.value == 300.0 * 1.1
    assert s.graph.inputs["apple"].grad == 1.1 * 3.0


@pytest.mark.parametrize("bad", [math.nan, math.inf, "ten", None])
def test_set_input_rejects_bad_values_without_resetting(bad):
    s = GraphStepper(apple())
    s.step()
    with pytest.raises(ValueError):
        s.set_input("tax", bad)
    assert s.steps_done == 1
    with pytest.raises(ValueError, match="no input named"):
        s.set_input("nope", 1.0)


def test_reset():
    s = GraphStepper(apple())
    s.run_to_end()
    s.reset()
    assert s.steps_done == 0 and s.current is None and all(n.grad is None for n in s.graph.nodes)


def test_arithmetic_that_fails_is_a_refused_step_not_a_crash():
    s = GraphStepper(Graph(mul(reciprocal(variable("x", 0.0), name="r"), 2.0, name="f")))
    refusal = refused(s.step_forward)
    assert (refusal.code, refusal.values) == ("op.inverse_of_zero", {"node": "r", "symbol": "1/x"})
    assert s.steps_done == 0 and s.graph.node("r").value is None
    s.set_input("x", 4.0)
    s.run_to_end()
    assert s.graph.gradients() == {"x": 2.0 * (-1.0 / 16.0)}


def test_runs_return_the_last_record():
    s = GraphStepper(apple())
    last = s.run_forward()
    assert last is s.current and last.node.name == "price" and last.value == 220.00000000000003
    assert s.phase == BACKWARD
    assert s.run_backward() is s.current and s.phase == DONE


def test_a_run_stops_at_a_refused_step_and_keeps_the_steps_before():
    s = GraphStepper(Graph(reciprocal(mul(variable("x", 0.0), 2.0, name="m"), name="r")))
    assert refused(s.run_forward).code == "op.inverse_of_zero"
    assert s.steps_done == 1 and s.graph.node("m").value == 0.0 and s.graph.node("r").value is None


def test_go_to_takes_or_undoes_steps():
    s = GraphStepper(apple_orange())
    s.go_to(6)
    assert (s.phase, s.step_in_phase, s.steps_done) == (BACKWARD, 2, 6)
    s.go_to(3)
    assert (s.phase, s.step_in_phase) == (FORWARD, 3)
    s.go_to(8)
    assert (s.phase, s.step_in_phase) == (DONE, 0)
    with pytest.raises(ValueError):
        s.go_to(9)


def test_the_layer_graph_steps_with_arrays():
    s = GraphStepper(tiny_network())
    r = s.step_forward()
    assert r.value.shape == (2, 3) and r.local_derivatives is None
    s.run_forward()
    first_back = s.step_backward()
    assert first_back.upstream == 1.0 and first_back.sent[1] is None  # t, the labels
    assert first_back.sent[0].shape == (2, 2)


def test_a_local_derivative_that_overflows_stops_the_backward_pass_with_a_refusal():
    from nn_tui.core.graph.engine import power

    s = GraphStepper(Graph(power(variable("x", 1e-300), -1, name="f")))
    forward = s.step_forward()
    assert forward.value == 1e-300 ** -1.0 and forward.local_derivatives is None
    refusal = refused(s.step_backward)
    assert (refusal.code, refusal.values["node"]) == ("graph.overflow_local", "f")
    assert s.steps_done == 1 and s.graph.output.grad is None  # the seed was undone too
