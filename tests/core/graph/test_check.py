"""Gradient check: backprop against numerical gradients, for any graph."""

import numpy as np
import pytest

from nn_tui.core.graph.engine import Graph, apply, mul, variable
from nn_tui.core.graph.check import gradient_check, relative_error
from nn_tui.core.graph.ops import Mul
from nn_tui.core.graph.presets import PRESETS, tiny_network
from nn_tui.core.graph.stepper import GraphStepper
from nn_tui.core.refusal import Refusal


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tiny_network_backprop_agrees_with_numerical_gradients(seed):
    check = gradient_check(tiny_network(seed))
    assert [c.name for c in check.inputs] == ["x", "W1", "b1", "W2", "b2"]  # not the labels t
    # the brief's bound is 1e-6; with the book's 1e-7 inside the log it would be only ~3e-7
    assert check.max_relative_error < 1e-7
    assert check.max_relative_error == max(c.relative_error for c in check.inputs)
    for c in check.inputs:
        assert c.backprop.shape == c.numerical.shape
        assert c.max_abs_error == np.max(np.abs(c.backprop - c.numerical))
        assert c.mean_abs_error <= c.max_abs_error


@pytest.mark.parametrize("name", [n for n in PRESETS if n != "tiny_network"])
def test_scalar_presets_pass_the_check(name):
    check = gradient_check(PRESETS[name]())
    assert check.max_relative_error < 1e-8 and check.agrees
    assert all(type(c.backprop) is float and type(c.numerical) is float for c in check.inputs)


def test_apple_check_numbers():
    check = gradient_check(PRESETS["apple"]())
    assert check["tax"].backprop == 200.0
    assert check["tax"].numerical == pytest.approx(200.0, abs=1e-8)
    with pytest.raises(KeyError):
        check["price"]


class WrongMul(Mul):
    """A multiply gate that forgets to swap: the mistake a gradient check is for."""

    def local_derivatives(self, xs, out):
        return xs[0], xs[1]


def test_a_wrong_backward_rule_is_caught():
    g = Graph(apply(WrongMul(), variable("x", 3.0), variable("y", -2.0)))
    check = gradient_check(g)
    assert check["x"].backprop == 3.0 and check["x"].numerical == pytest.approx(-2.0)
    assert check.max_relative_error > 0.1 and not check.agrees


def test_the_check_puts_the_graph_back_as_it_was():
    g = tiny_network()
    s = GraphStepper(g)
    s.step_forward()
    before = [(n.value, n.grad) for n in g.nodes]
    params = {k: n.value for k, n in g.inputs.items()}
    gradient_check(g)
    assert all(n.value is v and n.grad is d for n, (v, d) in zip(g.nodes, before))
    assert all(np.array_equal(g.inputs[k].value, v) for k, v in params.items())
    s.step_forward()
    assert s.steps_done == 2


def test_a_graph_that_cannot_be_computed_is_refused():
    from nn_tui.core.graph.engine import reciprocal

    g = Graph(reciprocal(variable("x", 0.0)))
    with pytest.raises(Refusal) as info:
        gradient_check(g)
    assert info.value.code == "op.inverse_of_zero"
    assert g.output.value is None


def test_relative_error():
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(1.0, 1.0) == 0.0
    assert relative_error(1.0, -1.0) == 1.0
    assert relative_error(np.array([3.0, 4.0]), np.array([0.0, 0.0])) == 1.0
    assert relative_error(2.0, 1.0) == pytest.approx(1 / 3)


def test_only_the_sum_matters_for_an_array_output():
    x = variable("x", np.array([1.0, 2.0, 3.0]))
    check = gradient_check(Graph(mul(x, x)))
    np.testing.assert_array_equal(check["x"].backprop, [2.0, 4.0, 6.0])
    assert check.max_relative_error < 1e-9
