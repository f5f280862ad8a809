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
    assert all(r.ok for r in forward) and s.phase == BACKWARD
    assert [r.record.node for r in forward] == list(s.graph.ops)
    backward = [s.step_backward() for _ in range(ops)]
    assert all(r.ok for r in backward) and s.phase == DONE
    assert [r.record.node for r in backward] == list(reversed(s.graph.ops))
    assert s.steps_done == s.steps_total == 2 * ops


def test_backward_before_the_forward_pass_is_refused():
    s = GraphStepper(apple_orange())
    s.step_forward()
    before = s.graph.state()
    result = s.step_backward()
    assert not result.ok and result.record is None
    assert result.message == "finish the forward pass first (3 nodes left)"
    assert same_state(before, s.graph.state()) and s.steps_done == 1
    assert s.run_backward().message == "finish the forward pass first (3 nodes left)"
    s.run_forward()
    s.step_back()
    assert s.step_backward().message == "finish the forward pass first (1 node left)"


def test_stepping_past_the_end_is_refused():
    s = GraphStepper(apple())
    assert s.run_to_end().ok
    assert s.phase == DONE and s.cursor is None and s.next_node is None
    for step in (s.step_forward, s.step_backward, s.step, s.run_forward, s.run_backward, s.run_to_end):
        result = step()
        assert not result.ok and result.message
    assert s.step_forward().message == "both passes are finished; reset to start again"
    assert s.step_backward().message == "the backward pass is finished; reset to start again"


def test_forward_again_during_the_backward_phase_is_refused():
    s = GraphStepper(apple())
    s.run_forward()
    assert s.step_forward().message == "the forward pass is finished; step backward now"
    assert s.run_forward().message == "the forward pass is already finished"


def test_the_apple_steps_show_the_books_numbers():
    s = GraphStepper(apple())
    r1 = s.step_forward().record
    assert (r1.phase, r1.node.name, r1.input_values, r1.value) == (FORWARD, "apple_price", (100.0, 2.0), 200.0)
    assert r1.local_derivatives == (2.0, 100.0) and r1.upstream is None and r1.sent is None
    r2 = s.step().record
    assert r2.value == 220.00000000000003
    assert s.graph.inputs["apple"].grad is None  # not reached yet
    b1 = s.step().record
    assert (b1.phase, b1.node.name, b1.upstream) == (BACKWARD, "price", 1.0)
    assert b1.local_derivatives == (1.1, 200.0) and b1.sent == (1.1, 200.0)
    assert s.graph.inputs["tax"].grad == 200.0 and s.graph.inputs["apple"].grad is None
    b2 = s.step().record
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
    g = PRESETS[name].factory()
    value = g.forward()
    grads = g.backward()
    s = GraphStepper(PRESETS[name].factory())
    assert s.run_to_end().ok
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
        assert s.step_back().ok
        assert same_state(s.graph.state(), states[k - 1]) and s.steps_done == k - 1
    result = s.step_back()
    assert not result.ok and result.message == "nothing to undo: already at the beginning"


def test_step_back_makes_the_previous_step_current_again():
    s = GraphStepper(apple())
    first = s.step().record
    s.step()
    result = s.step_back()
    assert result.ok and result.record is first and s.current is first and s.cursor == 1
    s.step_back()
    assert s.current is None


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["step", "back", "forward", "backward"]), max_size=30))
def test_any_sequence_of_keys_keeps_the_state_consistent(keys):
    s = GraphStepper(sigmoid_neuron_gates())
    for key in keys:
        {"step": s.step, "back": s.step_back, "forward": s.step_forward, "backward": s.step_backward}[key]()
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
    result = s.step_forward()
    assert not result.ok and "1/x" in result.message and "x = 0" in result.message
    assert s.steps_done == 0 and s.graph.node("r").value is None
    s.set_input("x", 4.0)
    assert s.run_to_end().ok and s.graph.gradients() == {"x": 2.0 * (-1.0 / 16.0)}


def test_run_messages():
    s = GraphStepper(apple())
    assert s.run_forward().message == "forward pass finished: price = 220.00000000000003"
    result = s.run_backward()
    assert result.ok and result.record is s.current and s.phase == DONE


def test_the_layer_graph_steps_with_arrays():
    s = GraphStepper(tiny_network())
    r = s.step_forward()
    assert r.ok and r.record.value.shape == (2, 3) and r.record.local_derivatives is None
    assert "shape (2, 3)" in r.message
    s.run_forward()
    first_back = s.step_backward().record
    assert first_back.upstream == 1.0 and first_back.sent[1] is None  # t, the labels
    assert first_back.sent[0].shape == (2, 2)


def test_a_local_derivative_that_overflows_stops_the_backward_pass_with_a_message():
    from nn_tui.core.graph.engine import power

    s = GraphStepper(Graph(power(variable("x", 1e-300), -1, name="f")))
    forward = s.step_forward()
    assert forward.ok and forward.record.value == 1e-300 ** -1.0 and forward.record.local_derivatives is None
    result = s.step_backward()
    assert not result.ok and "local derivative" in result.message and "f" in result.message
    assert s.steps_done == 1 and s.graph.output.grad is None  # the seed was undone too
