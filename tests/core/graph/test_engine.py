"""The graph engine: structure, exact values, accumulation, and its refusals."""

import math

import numpy as np
import pytest

from nn_tui.core.refusal import Refusal

from nn_tui.core.graph.engine import (
    Graph,
    add,
    as_value,
    constant,
    exp,
    maximum,
    mul,
    negate,
    power,
    reciprocal,
    relu,
    sigmoid,
    square,
    variable,
)
from nn_tui.core.graph.ops import (
    Add,
    Affine,
    Exp,
    Max,
    Mul,
    Negate,
    Power,
    Reciprocal,
    Relu,
    Sigmoid,
    SoftmaxWithLoss,
)


def apple_graph():
    apple_price = mul(variable("apple", 100), variable("apple_num", 2), name="apple_price")
    return Graph(mul(apple_price, variable("tax", 1.1), name="price"))


def test_the_book_apple_example_exactly():
    g = apple_graph()
    assert g.forward() == 220.00000000000003
    assert g.backward() == {"apple": 2.2, "apple_num": 110.00000000000001, "tax": 200.0}
    assert g.node("apple_price").grad == 1.1
    assert g.output.grad == 1.0


def test_values_are_python_floats_for_a_scalar_graph():
    g = apple_graph()
    g.forward()
    g.backward()
    for n in g.nodes:
        assert type(n.value) is float and type(n.grad) is float, n


def test_topological_order_is_micrographs_inputs_in_order():
    g = apple_graph()
    assert [n.name for n in g.nodes] == ["apple", "apple_num", "apple_price", "tax", "price"]
    assert [n.name for n in g.ops] == ["apple_price", "price"]
    assert list(g.inputs) == ["apple", "apple_num", "tax"]


def test_nothing_is_computed_before_forward_and_none_is_not_zero():
    x = variable("x", 0.0)
    g = Graph(mul(x, 3.0, name="f"))
    assert g.output.value is None and x.grad is None
    assert x.value == 0.0
    g.forward()
    assert g.output.value == 0.0
    assert x.grad is None
    g.backward()
    assert x.grad == 3.0


def test_a_node_used_twice_accumulates_its_gradient():
    x = variable("x", 3.0)
    g = Graph(mul(x, x))
    g.forward()
    assert g.backward() == {"x": 6.0}


def test_x_plus_y_times_x_plus_z_accumulates():
    x, y, z = variable("x", 2.0), variable("y", -3.0), variable("z", 0.5)
    g = Graph(mul(add(x, y), add(x, z)))
    assert g.forward() == (2.0 - 3.0) * (2.0 + 0.5)
    grads = g.backward()
    assert grads == {"x": (2.0 + 0.5) + (2.0 - 3.0), "y": 2.5, "z": -1.0}


def test_backward_twice_does_not_double_the_gradients():
    g = apple_graph()
    g.forward()
    first = g.backward()
    assert g.backward() == first


def test_backward_before_forward_is_refused():
    g = apple_graph()
    with pytest.raises(ValueError, match="forward pass first"):
        g.backward()
    with pytest.raises(ValueError, match="forward pass first"):
        g.seed_gradient()
    with pytest.raises(ValueError, match="apple_price"):
        g.forward_node(g.node("price"))  # its input apple_price has no value yet


def test_forward_node_only_takes_this_graphs_operations():
    g = apple_graph()
    with pytest.raises(ValueError, match="not an operation"):
        g.forward_node(g.node("tax"))
    with pytest.raises(ValueError, match="not an operation"):
        g.forward_node(mul(1.0, 2.0))


def test_set_input_clears_everything_computed():
    g = apple_graph()
    g.forward()
    g.backward()
    g.set_input("apple_num", 3)
    assert all(n.value is None for n in g.ops) and all(n.grad is None for n in g.nodes)
    assert g.inputs["apple_num"].value == 3.0
    assert g.forward() == 300.0 * 1.1


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "2", None, True, [1.0, 2.0], object()])
def test_set_input_rejects_bad_values(bad):
    g = apple_graph()
    with pytest.raises(ValueError):
        g.set_input("tax", bad)
    assert g.inputs["tax"].value == 1.1


def test_set_input_rejects_unknown_names_and_lists_the_inputs():
    with pytest.raises(ValueError, match="no input named 'price'.*apple, apple_num, tax"):
        apple_graph().set_input("price", 1.0)


def test_set_input_of_an_array_keeps_its_shape():
    W = variable("W", np.ones((2, 3)))
    g = Graph(relu(W))
    g.set_input("W", np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"shape \(2, 3\)"):
        g.set_input("W", np.zeros((3, 2)))
    with pytest.raises(ValueError, match="finite"):
        g.set_input("W", np.array([[1, 2, np.nan], [0, 0, 0]]))


def test_as_value():
    assert as_value(2) == 2.0 and type(as_value(2)) is float
    assert type(as_value(np.float64(1.5))) is float
    assert as_value(np.array(3.0)) == 3.0
    assert as_value([[1, 2]]).shape == (1, 2)
    with pytest.raises(ValueError):
        as_value([1, "a"])


def test_names_are_checked_and_unnamed_nodes_get_readable_names():
    with pytest.raises(ValueError, match="letters, digits"):
        variable("2x", 1.0)
    with pytest.raises(ValueError, match="both named 'x'"):
        Graph(add(variable("x", 1.0), variable("x", 2.0)))
    g = Graph(add(mul(variable("add1", 1.0), 2.0), mul(3.0, 4.0)))
    assert [n.name for n in g.ops] == ["mul1", "mul2", "add2"]  # add1 is taken by the input
    assert [n.label for n in g.nodes if n.is_constant] == ["2", "3", "4"]
    assert len({n.name for n in g.nodes}) == len(g.nodes)


def test_a_graph_needs_an_operation():
    with pytest.raises(ValueError, match="at least one operation"):
        Graph(variable("x", 1.0))
    with pytest.raises(ValueError):
        Graph("x")


def test_constants_get_no_gradient():
    x = variable("x", 2.0)
    one = constant(1.0)
    g = Graph(add(x, one))
    g.forward()
    g.backward()
    assert x.grad == 1.0 and one.grad is None


def test_consumers_are_the_operations_using_a_node():
    x, y = variable("x", 1.0), variable("y", 2.0)
    g = Graph(reciprocal(add(exp(add(x, y, name="q")), 1.0, name="d"), name="f"))
    assert g.consumers(x) == (g.node("q"),)
    assert g.consumers(g.node("q")) == (g.node("exp1"),) and g.consumers(g.output) == ()
    assert not hasattr(g, "column")  # where a node is drawn is the UI's business


def test_consumers_lists_a_node_once_even_if_used_twice():
    x = variable("x", 3.0)
    g = Graph(mul(x, x, name="f"))
    assert g.consumers(x) == (g.output,)


def test_state_and_restore_round_trip():
    g = apple_graph()
    before = g.state()
    g.forward()
    g.backward()
    after = g.state()
    g.restore(before)
    assert all(n.value is None for n in g.ops)
    g.restore(after)
    assert g.output.value == 220.00000000000003 and g.inputs["tax"].grad == 200.0


@pytest.mark.parametrize(
    ("build", "code", "values"),
    [
        (lambda x: reciprocal(x, name="r"), "op.inverse_of_zero", {"node": "r", "symbol": "1/x"}),
        (lambda x: power(x, -1, name="r"), "op.power_of_zero", {"n": -1.0, "node": "r", "symbol": "x⁻¹"}),
        (lambda x: power(add(x, -1.0), 0.5, name="r"), "op.power_of_negative", {"n": 0.5, "node": "r"}),
        (lambda x: exp(add(x, 1000.0), name="e"), "graph.overflow_value", {"node": "e", "symbol": "exp"}),
        (lambda x: mul(add(x, 1e308), 10.0, name="m"), "graph.overflow_value", {"node": "m", "symbol": "×"}),
    ],
)
def test_impossible_arithmetic_is_a_refusal_naming_the_node(build, code, values):
    g = Graph(build(variable("x", 0.0)))
    with pytest.raises(Refusal) as info:
        g.forward()
    assert info.value.code == code
    assert values.items() <= info.value.values.items()


def test_a_derivative_that_does_not_exist_is_a_refusal():
    g = Graph(power(variable("x", 0.0), 0.5, name="r"))
    assert g.forward() == 0.0
    with pytest.raises(Refusal) as info:
        g.backward()
    assert (info.value.code, info.value.values) == ("op.no_derivative_at_zero", {"n": 0.5, "node": "r", "symbol": "x^0.5"})


def test_a_local_derivative_or_gradient_that_overflows_is_a_refusal():
    g = Graph(power(variable("x", 1e-300), -1, name="f"))
    g.forward()
    with pytest.raises(Refusal) as info:
        g.local_derivatives(g.output)
    assert info.value.code == "graph.overflow_local"
    x, s, t = variable("x", 1e-300), variable("s", 1e300), variable("t", 1e300)
    g = Graph(mul(mul(x, s, name="xs"), t, name="f"))
    assert g.forward() == 1e300
    with pytest.raises(Refusal) as info:
        g.backward()  # ∂f/∂x = t·s = 1e600
    assert (info.value.code, info.value.values["node"]) == ("graph.overflow_gradient", "xs")


def test_failed_forward_node_leaves_the_node_uncomputed():
    x = variable("x", 0.0)
    g = Graph(reciprocal(x, name="r"))
    with pytest.raises(ValueError):
        g.forward_node(g.output)
    assert g.output.value is None


def test_sigmoid_gate_does_not_overflow_for_large_inputs():
    g = Graph(sigmoid(variable("x", -1000.0)))
    assert g.forward() == 0.0
    g.set_input("x", 1000.0)
    assert g.forward() == 1.0


def test_scalar_ops_through_the_graph():
    x, y = variable("x", 3.0), variable("y", -2.0)
    g = Graph(add(add(maximum(x, y), negate(y)), add(square(x), relu(y))))
    assert g.forward() == 3.0 + 2.0 + 9.0 + 0.0
    assert g.backward() == {"x": 1.0 + 6.0, "y": -1.0}


def test_max_ties_route_to_the_first_input():
    x, y = variable("x", 2.0), variable("y", 2.0)
    g = Graph(maximum(x, y))
    g.forward()
    assert g.backward() == {"x": 1.0, "y": 0.0}


def test_array_graph_with_broadcasting_sums_the_gradient_back():
    x = variable("x", np.arange(6.0).reshape(2, 3))
    b = variable("b", np.array([1.0, -1.0, 2.0]))
    s = variable("s", 2.0)
    g = Graph(mul(add(x, b), s))
    out = g.forward()
    np.testing.assert_array_equal(out, (np.arange(6.0).reshape(2, 3) + [1.0, -1.0, 2.0]) * 2.0)
    grads = g.backward()
    np.testing.assert_array_equal(grads["x"], np.full((2, 3), 2.0))
    np.testing.assert_array_equal(grads["b"], np.full(3, 4.0))
    assert grads["s"] == float(np.sum(out) / 2.0) and type(grads["s"]) is float


def test_op_descriptions_for_the_ui():
    symbols = [Add(), Mul(), Max(), Exp(), Negate(), Reciprocal(), Power(2), Sigmoid(), Relu(), Affine(),
               SoftmaxWithLoss()]
    assert [op.symbol for op in symbols] == ["+", "×", "max", "exp", "-x", "1/x", "x²", "σ", "ReLU", "Affine",
                                             "Softmax+Loss"]
    assert [op.behaviour for op in (Add(), Mul(), Max())] == ["distribute", "swap", "route"]  # codes
    assert Exp().behaviour is None
    assert Mul().formula == "∂z/∂x = y, ∂z/∂y = x"
    assert Add().formula == "∂z/∂x = 1, ∂z/∂y = 1"
    assert Power(2).formula == "∂z/∂x = 2x"
    assert [Power(n).formula for n in (3, -1, 0.5, 0)] == [
        "∂z/∂x = 3·x²", "∂z/∂x = -1·x⁻²", "∂z/∂x = 0.5·x^-0.5", "∂z/∂x = 0"]
    assert (Power(3).symbol, Power(-1).symbol, Power(0.5).symbol) == ("x³", "x⁻¹", "x^0.5")
    assert all(op.formula for op in symbols)
    with pytest.raises(ValueError, match="exponent"):
        Power(math.nan)


def test_wrong_number_of_inputs_is_refused():
    from nn_tui.core.graph.engine import apply

    with pytest.raises(ValueError, match="takes 2 input"):
        apply(Mul(), variable("x", 1.0))


def test_a_rule_is_written_in_the_nodes_own_names():
    assert Mul().rule("price", ["apple_price", "tax"]) == "∂price/∂apple_price = tax, ∂price/∂tax = apple_price"
    assert Mul().rule("f", ["z", "x"]) == "∂f/∂z = x, ∂f/∂x = z"  # at once: no z renamed twice
    assert Mul().rule("m", ["x", "2"], [False, True]) == "∂m/∂x = 2"  # no derivative by a constant
    assert Max().rule("f", ["a", "b"]) == "∂f/∂a = 1 if a ≥ b else 0, ∂f/∂b = 1 if b > a else 0"
    assert Power(2).rule("f", ["add1"]) == "∂f/∂add1 = 2·add1"
    assert Power(2).rule("f", ["x"]) == "∂f/∂x = 2x"
    assert Power(-1).rule("r", ["y"]) == "∂r/∂y = -1·y⁻²"
    assert Exp().rule("e", ["neg"]) == "∂e/∂neg = exp(neg)"  # the x of exp is not a name
    assert Sigmoid().rule("f", ["dot"]) == "∂f/∂dot = f·(1 - f)"
    assert Relu().rule("h", ["a"]) == "∂h/∂a = 1 if a > 0 else 0"
    assert Reciprocal().rule("f", ["b"]) == "∂f/∂b = -1/b²"
    assert Affine().rule("a", ["x", "W", "b"]) == Affine().formula  # a layer keeps its own notation
