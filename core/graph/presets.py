"""The graphs of lesson 5: the book's ch. 5 examples and cs231n's backprop notes.

Each function returns a fresh ``Graph`` with named, editable inputs; ``PRESETS``
lists them by id, in the order the lesson offers them (the lesson names them).
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

import numpy as np

from nn_tui.core.graph.engine import (
    Graph,
    add,
    affine,
    constant,
    exp,
    maximum,
    mul,
    negate,
    reciprocal,
    relu,
    sigmoid,
    softmax_with_loss,
    square,
    variable,
)


def apple() -> Graph:
    """Book ch. 5: 2 apples at 100 yen, tax 1.1 -> 220.00000000000003."""
    apple_price = mul(variable("apple", 100.0), variable("apple_num", 2.0), name="apple_price")
    return Graph(mul(apple_price, variable("tax", 1.1), name="price"))


def apple_orange() -> Graph:
    """Book ch. 5: 2 apples at 100, 3 oranges at 150, tax 1.1 -> 715.0000000000001."""
    apple_price = mul(variable("apple", 100.0), variable("apple_num", 2.0), name="apple_price")
    orange_price = mul(variable("orange", 150.0), variable("orange_num", 3.0), name="orange_price")
    all_price = add(apple_price, orange_price, name="all_price")
    return Graph(mul(all_price, variable("tax", 1.1), name="price"))


def add_mul() -> Graph:
    """cs231n: f = (x + y)·z at x = -2, y = 5, z = -4 -> f = -12."""
    q = add(variable("x", -2.0), variable("y", 5.0), name="q")
    return Graph(mul(q, variable("z", -4.0), name="f"))


def square_of_sum() -> Graph:
    """Book ch. 5 chain rule: f = (x + y)², so ∂f/∂x = ∂f/∂y = 2(x + y)."""
    u = add(variable("x", 1.0), variable("y", 2.0), name="u")
    return Graph(square(u, name="f"))


def _neuron_input():
    w0, x0 = variable("w0", 2.0), variable("x0", -1.0)
    w1, x1 = variable("w1", -3.0), variable("x1", -2.0)
    dot = add(add(mul(w0, x0, name="w0x0"), mul(w1, x1, name="w1x1"), name="s"), variable("w2", -3.0), name="dot")
    return dot


def sigmoid_neuron_gates() -> Graph:
    """cs231n: f = 1 / (1 + e^-(w0·x0 + w1·x1 + w2)) built from elementary gates."""
    e = exp(negate(_neuron_input(), name="neg"), name="e")
    f = reciprocal(add(e, constant(1.0), name="denom"), name="f")
    return Graph(f)


def sigmoid_neuron_gate() -> Graph:
    """The same neuron with one σ gate: same gradients, fewer steps."""
    return Graph(sigmoid(_neuron_input(), name="f"))


def max_gate() -> Graph:
    """f = max(x, y)·z: max routes the gradient to the larger input only."""
    m = maximum(variable("x", 3.0), variable("y", -1.0), name="m")
    return Graph(mul(m, variable("z", 2.0), name="f"))


def tiny_network(seed: int = 0) -> Graph:
    """Affine → ReLU → Affine → SoftmaxWithLoss: 2 samples, 2 inputs, 3 hidden, 2 classes."""
    rng = np.random.default_rng(seed)
    x = variable("x", [[1.0, 0.5], [-0.5, 1.5]])
    W1, b1 = variable("W1", rng.standard_normal((2, 3))), variable("b1", 0.1 * rng.standard_normal(3))
    W2, b2 = variable("W2", rng.standard_normal((3, 2))), variable("b2", 0.1 * rng.standard_normal(2))
    t = constant([[1.0, 0.0], [0.0, 1.0]], name="t")  # labels: one-hot, no gradient
    hidden = relu(affine(x, W1, b1, name="a1"), name="z1")
    loss = softmax_with_loss(affine(hidden, W2, b2, name="a2"), t, name="loss")
    return Graph(loss)


PRESETS: MappingProxyType[str, Callable[[], Graph]] = MappingProxyType({
    "apple": apple,
    "apple_orange": apple_orange,
    "add_mul": add_mul,
    "square_of_sum": square_of_sum,
    "sigmoid_neuron_gates": sigmoid_neuron_gates,
    "sigmoid_neuron_gate": sigmoid_neuron_gate,
    "max_gate": max_gate,
    "tiny_network": tiny_network,
})
