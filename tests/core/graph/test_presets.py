"""Lesson 5's graphs give the book's and cs231n's numbers."""

import numpy as np
import pytest

from nn_tui.core.graph.engine import Graph
from nn_tui.core.graph.presets import (
    PRESETS,
    add_mul,
    apple,
    apple_orange,
    max_gate,
    sigmoid_neuron_gate,
    sigmoid_neuron_gates,
    square_of_sum,
    tiny_network,
)


class MulLayer:  # the book's ch05/layer_naive.py, to compute the expected floats the book's way
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class AddLayer:
    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout * 1, dout * 1


def test_apple_is_the_books_buy_apple():
    apple_, apple_num, tax = 100, 2, 1.1
    mul_apple_layer, mul_tax_layer = MulLayer(), MulLayer()
    price = mul_tax_layer.forward(mul_apple_layer.forward(apple_, apple_num), tax)
    dapple_price, dtax = mul_tax_layer.backward(1)
    dapple, dapple_num = mul_apple_layer.backward(dapple_price)

    g = apple()
    assert g.forward() == price == 220.00000000000003
    grads = g.backward()
    assert grads == {"apple": dapple, "apple_num": dapple_num, "tax": dtax}
    assert grads == {"apple": 2.2, "apple_num": 110.00000000000001, "tax": 200}


def test_apple_orange_is_the_books_buy_apple_orange():
    apple_, apple_num, orange, orange_num, tax = 100, 2, 150, 3, 1.1
    mul_apple_layer, mul_orange_layer = MulLayer(), MulLayer()
    add_apple_orange_layer, mul_tax_layer = AddLayer(), MulLayer()
    apple_price = mul_apple_layer.forward(apple_, apple_num)
    orange_price = mul_orange_layer.forward(orange, orange_num)
    all_price = add_apple_orange_layer.forward(apple_price, orange_price)
    price = mul_tax_layer.forward(all_price, tax)
    dall_price, dtax = mul_tax_layer.backward(1)
    dapple_price, dorange_price = add_apple_orange_layer.backward(dall_price)
    dorange, dorange_num = mul_orange_layer.backward(dorange_price)
    dapple, dapple_num = mul_apple_layer.backward(dapple_price)

    g = apple_orange()
    assert g.forward() == price == 715.0000000000001
    grads = g.backward()
    assert grads == {"apple": dapple, "apple_num": dapple_num, "orange": dorange, "orange_num": dorange_num,
                     "tax": dtax}
    assert grads == {"apple": 2.2, "apple_num": 110.00000000000001, "orange": 3.3000000000000003,
                     "orange_num": 165.0, "tax": 650}
    # what the book prints: int(price), int(dapple_num), int(dorange_num)
    assert (int(g.output.value), int(grads["apple_num"]), int(grads["orange_num"])) == (715, 110, 165)
    assert g.node("all_price").value == 650.0 and g.node("all_price").grad == 1.1


def test_add_mul_is_cs231ns_example():
    g = add_mul()
    assert g.forward() == -12.0
    assert g.backward() == {"x": -4.0, "y": -4.0, "z": 3.0}
    assert g.node("q").value == 3.0 and g.node("q").op.behaviour == "distribute"


@pytest.mark.parametrize(("x", "y"), [(1.0, 2.0), (-3.5, 0.25), (0.0, 0.0)])
def test_square_of_sum_gradient_is_two_x_plus_y(x, y):
    g = square_of_sum()
    g.set_input("x", x)
    g.set_input("y", y)
    assert g.forward() == (x + y) ** 2
    assert g.backward() == {"x": 2 * (x + y), "y": 2 * (x + y)}


def test_sigmoid_neuron_from_small_gates_matches_cs231n():
    g = sigmoid_neuron_gates()
    assert round(g.forward(), 2) == 0.73
    grads = {k: round(v, 2) for k, v in g.backward().items()}
    assert grads == {"w0": -0.2, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.2}
    assert [n.op.symbol for n in g.ops] == ["×", "×", "+", "+", "-x", "exp", "+", "1/x"]


def test_sigmoid_neuron_one_gate_gives_the_same_gradients():
    gates, gate = sigmoid_neuron_gates(), sigmoid_neuron_gate()
    assert gate.forward() == pytest.approx(gates.forward(), abs=1e-12)
    ddot = (1 - gate.output.value) * gate.output.value  # cs231n: (1 - f) * f
    expected = {"w0": -1.0 * ddot, "x0": 2.0 * ddot, "w1": -2.0 * ddot, "x1": -3.0 * ddot, "w2": ddot}
    one, many = gate.backward(), gates.backward()
    for k in expected:
        assert one[k] == pytest.approx(expected[k], abs=1e-12)
        assert many[k] == pytest.approx(expected[k], abs=1e-12)
    assert len(gate.ops) == 5 and gate.output.op.symbol == "σ"


def test_max_gate_routes_the_gradient():
    g = max_gate()
    assert g.forward() == 6.0
    assert g.backward() == {"x": 2.0, "y": 0.0, "z": 3.0}
    g.set_input("y", 5.0)
    g.forward()
    assert g.backward() == {"x": 0.0, "y": 2.0, "z": 5.0}
    assert g.node("m").op.behaviour == "route"


def test_tiny_network_shapes_and_names():
    g = tiny_network()
    assert list(g.inputs) == ["x", "W1", "b1", "W2", "b2"]
    shapes = {k: n.value.shape for k, n in g.inputs.items()}
    assert shapes == {"x": (2, 2), "W1": (2, 3), "b1": (3,), "W2": (3, 2), "b2": (2,)}
    assert [n.op.symbol for n in g.ops] == ["Affine", "ReLU", "Affine", "Softmax+Loss"]
    loss = g.forward()
    assert type(loss) is float and 0 < loss < 10
    grads = g.backward()
    assert all(grads[k].shape == shapes[k] for k in shapes)
    assert g.node("t").grad is None


def test_tiny_network_is_fixed_by_its_seed():
    a, b, c = tiny_network(0), tiny_network(0), tiny_network(1)
    assert np.array_equal(a.inputs["W1"].value, b.inputs["W1"].value)
    assert not np.array_equal(a.inputs["W1"].value, c.inputs["W1"].value)
    assert a.forward() == b.forward()


def test_registry():
    assert list(PRESETS) == ["apple", "apple_orange", "add_mul", "square_of_sum", "sigmoid_neuron_gates",
                             "sigmoid_neuron_gate", "max_gate", "tiny_network"]
    for name, factory in PRESETS.items():
        first, second = factory(), factory()
        assert isinstance(first, Graph) and first.inputs
        assert not set(map(id, first.nodes)) & set(map(id, second.nodes)), "each call is a fresh graph"
    assert PRESETS["apple"] is apple  # ids only: the lesson names them in each language
    with pytest.raises(TypeError):
        PRESETS["mine"] = PRESETS["apple"]  # read-only
