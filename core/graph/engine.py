"""A computational graph you can run forward and backward one node at a time.

The structure of micrograd's ``Value``: a node knows its inputs (in order), its
operation and its local backward rule; ``Graph`` puts the nodes in topological
order once, and both the full passes here and ``GraphStepper`` walk that order.

Build a graph from leaves and operations, then wrap its output::

    apple, num, tax = variable("apple", 100), variable("apple_num", 2), variable("tax", 1.1)
    g = Graph(mul(mul(apple, num, name="apple_price"), tax, name="price"))
    g.forward()    # 220.00000000000003
    g.backward()   # {'apple': 2.2, 'apple_num': 110.00000000000001, 'tax': 200.0}

A value or gradient that has not been computed yet is None (never 0).

What a student can cause (1/x at x = 0, a value too large for a float) is a
``Refusal`` naming the node; a ValueError in words is a programming mistake
(building a graph wrongly, a pass out of order), never shown to a student.
Where the nodes go on a screen is the UI's business, not the graph's.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from nn_tui.core.graph.ops import (
    Add,
    Affine,
    Exp,
    Max,
    Mul,
    Negate,
    Op,
    Power,
    Reciprocal,
    Relu,
    Sigmoid,
    SoftmaxWithLoss,
    Value,
)
from nn_tui.core.refusal import Refusal

INPUT, CONSTANT, OPERATION = "input", "constant", "op"


def as_value(value: object, what: str = "value") -> Value:
    """A finite Python float, or a finite float64 array; anything else is a ValueError."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, bytes)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if isinstance(value, numbers.Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{what} must be a finite number, got {value}")
        return value
    try:
        array = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number or an array of numbers, got {value!r}") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{what} must contain only finite numbers (no NaN or inf)")
    return float(array) if array.ndim == 0 else array


def _check_name(name: object, what: str) -> str:
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"{what} name must be letters, digits and _ (not starting with a digit), got {name!r}")
    return name


class Node:
    """One box of the graph: a named input, a constant, or an operation on earlier nodes."""

    __slots__ = ("kind", "name", "label", "op", "inputs", "value", "grad")

    def __init__(self, kind: str, name: str, op: Op | None = None, inputs: tuple[Node, ...] = (),
                 value: Value | None = None, label: str = "") -> None:
        self.kind = kind
        self.name = name  # unique in its graph once the Graph is built
        self.label = label or name  # a short name to draw: an unnamed constant is its number
        self.op = op
        self.inputs = inputs
        self.value = value  # None: not computed yet
        self.grad: Value | None = None  # None: not reached by the backward pass yet

    @property
    def is_leaf(self) -> bool:
        return self.op is None

    @property
    def is_input(self) -> bool:
        return self.kind == INPUT

    @property
    def is_constant(self) -> bool:
        return self.kind == CONSTANT

    def __repr__(self) -> str:
        what = self.op.symbol if self.op else self.kind
        return f"Node({self.name!r}, {what}, value={self.value!r}, grad={self.grad!r})"


def variable(name: str, value: object) -> Node:
    """A named, editable input (a leaf that gets a gradient)."""
    return Node(INPUT, _check_name(name, "an input"), value=as_value(value, f"input {name!r}"))


def constant(value: object, name: str = "") -> Node:
    """A fixed leaf such as the 1 in 1 + e^x; constants get no gradient."""
    v = as_value(value, "a constant")
    label = f"{v:g}" if isinstance(v, float) else f"array{v.shape}"
    return Node(CONSTANT, _check_name(name, "a constant") if name else "", value=v, label=name or label)


def apply(op: Op, *inputs: Node | float, name: str = "") -> Node:
    """A new node computing ``op`` on ``inputs``; plain numbers become constants."""
    if len(inputs) != op.arity:
        raise ValueError(f"{op.symbol} takes {op.arity} input(s), got {len(inputs)}")
    nodes = tuple(i if isinstance(i, Node) else constant(i) for i in inputs)
    return Node(OPERATION, _check_name(name, "a node") if name else "", op=op, inputs=nodes)


def add(x: Node | float, y: Node | float, name: str = "") -> Node:
    return apply(Add(), x, y, name=name)


def mul(x: Node | float, y: Node | float, name: str = "") -> Node:
    return apply(Mul(), x, y, name=name)


def maximum(x: Node | float, y: Node | float, name: str = "") -> Node:
    return apply(Max(), x, y, name=name)


def exp(x: Node | float, name: str = "") -> Node:
    return apply(Exp(), x, name=name)


def negate(x: Node | float, name: str = "") -> Node:
    return apply(Negate(), x, name=name)


def reciprocal(x: Node | float, name: str = "") -> Node:
    return apply(Reciprocal(), x, name=name)


def power(x: Node | float, n: float, name: str = "") -> Node:
    return apply(Power(n), x, name=name)


def square(x: Node | float, name: str = "") -> Node:
    return apply(Power(2), x, name=name)


def sigmoid(x: Node | float, name: str = "") -> Node:
    return apply(Sigmoid(), x, name=name)


def relu(x: Node | float, name: str = "") -> Node:
    return apply(Relu(), x, name=name)


def affine(x: Node, W: Node, b: Node, name: str = "") -> Node:
    return apply(Affine(), x, W, b, name=name)


def softmax_with_loss(x: Node, t: Node, name: str = "") -> Node:
    return apply(SoftmaxWithLoss(), x, t, name=name)


def _topological_order(output: Node) -> list[Node]:
    """micrograd's build_topo (inputs in order), without recursion so deep graphs are fine."""
    order: list[Node] = []
    visited: set[int] = set()
    stack: list[tuple[Node, bool]] = [(output, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.inputs))
    return order


class Graph:
    """The nodes that lead to ``output``, in topological order.

    ``nodes`` holds every node; ``ops`` the operations only: forward visits
    ``ops`` in order, backward in reverse. Leaves (inputs and constants) are
    given, never computed, so a pass has exactly ``len(ops)`` steps.
    """

    def __init__(self, output: Node) -> None:
        if not isinstance(output, Node):
            raise ValueError(f"a graph is built from its output Node, got {output!r}")
        if output.is_leaf:
            raise ValueError("a graph needs at least one operation, e.g. x * 2")
        self.output = output
        self.nodes: tuple[Node, ...] = tuple(_topological_order(output))
        self.ops: tuple[Node, ...] = tuple(n for n in self.nodes if not n.is_leaf)
        self._name_nodes()
        self.inputs: dict[str, Node] = {n.name: n for n in self.nodes if n.is_input}
        self._by_name = {n.name: n for n in self.nodes}
        self._op_ids = {id(n) for n in self.ops}
        self._consumers: dict[int, list[Node]] = {id(n): [] for n in self.nodes}
        for n in self.ops:
            for i in dict.fromkeys(map(id, n.inputs)):
                self._consumers[i].append(n)
        self.clear()

    def _name_nodes(self) -> None:
        names: dict[str, Node] = {}
        for n in self.nodes:
            if n.name and names.setdefault(n.name, n) is not n:
                raise ValueError(f"two different nodes are both named {n.name!r}; give each its own name")
        counters: dict[str, int] = {}
        for n in self.nodes:
            if not n.name:
                stem = "c" if n.is_constant else n.op.key
                while True:  # mul1, mul2, ... skipping names already taken
                    counters[stem] = counters.get(stem, 0) + 1
                    if f"{stem}{counters[stem]}" not in names:
                        break
                n.name = f"{stem}{counters[stem]}"
                n.label = n.label or n.name
                names[n.name] = n

    # ---- looking at the graph -------------------------------------------------------
    def node(self, name: str) -> Node:
        try:
            return self._by_name[name]
        except KeyError:
            raise ValueError(f"no node named {name!r}; nodes are: {', '.join(self._by_name)}") from None

    def consumers(self, node: Node) -> tuple[Node, ...]:
        """The operations that use ``node`` as an input (each once)."""
        return tuple(self._consumers[id(node)])

    def gradients(self) -> dict[str, Value | None]:
        """The gradient of every named input (None if not computed yet)."""
        return {name: n.grad for name, n in self.inputs.items()}

    # ---- editing --------------------------------------------------------------------
    def set_input(self, name: str, value: object) -> None:
        """Change an input's value; every computed value and gradient is forgotten."""
        if name not in self.inputs:
            raise ValueError(f"no input named {name!r}; inputs are: {', '.join(self.inputs) or 'none'}")
        node = self.inputs[name]
        new = as_value(value, f"input {name!r}")
        if np.shape(new) != np.shape(node.value):
            raise ValueError(f"input {name!r} must keep its shape {np.shape(node.value)}, got {np.shape(new)}")
        node.value = new
        self.clear()

    def clear(self) -> None:
        """Back to the start: operation values and all gradients not computed."""
        for n in self.nodes:
            n.grad = None
            if not n.is_leaf:
                n.value = None

    def state(self) -> tuple[tuple[Value | None, Value | None], ...]:
        """Every node's (value, grad), to put back later with ``restore``."""
        return tuple((n.value, n.grad) for n in self.nodes)

    def restore(self, state: tuple[tuple[Value | None, Value | None], ...]) -> None:
        for n, (value, grad) in zip(self.nodes, state, strict=True):
            n.value, n.grad = value, grad

    # ---- one node at a time -----------------------------------------------------------
    def _check_op(self, node: Node) -> None:
        if id(node) not in self._op_ids:
            raise ValueError(f"{node.name!r} is not an operation of this graph")

    @staticmethod
    def _compute(node: Node, part: str, rule, *args):
        """Run one of the op's rules (``part``: value, local or gradient); trouble becomes a Refusal.

        An op's own refusal (1/x at x = 0) gets the node's name added; a result
        too large for a float is an overflow, any other failure "failed".
        """
        where = {"node": node.name, "symbol": node.op.symbol}
        try:
            with np.errstate(all="ignore"):  # overflow is refused below
                result = rule([i.value for i in node.inputs], *args)
        except Refusal as refusal:
            raise Refusal(refusal.code, **refusal.values, **where) from refusal
        except (ArithmeticError, ValueError) as err:
            raise Refusal(f"graph.overflow_{part}" if isinstance(err, OverflowError) else f"graph.failed_{part}",
                          **where) from err
        parts = result if isinstance(result, tuple) else (result,)
        if not all(p is None or np.all(np.isfinite(p)) for p in parts):
            raise Refusal(f"graph.overflow_{part}", **where)
        return result

    def forward_node(self, node: Node) -> Value:
        """Compute one operation from its inputs' values."""
        self._check_op(node)
        missing = [i.name for i in node.inputs if i.value is None]
        if missing:
            raise ValueError(f"{node.name!r} needs the value of {', '.join(missing)} first")
        node.value = self._compute(node, "value", node.op.forward)
        return node.value

    def local_derivatives(self, node: Node) -> tuple[Value, ...] | None:
        """∂node/∂input for each input at the current values (None for Affine, Softmax+Loss)."""
        self._check_op(node)
        if node.value is None:
            raise ValueError(f"{node.name!r} has no value yet: run the forward pass first")
        return self._compute(node, "local", node.op.local_derivatives, node.value)

    def seed_gradient(self) -> None:
        """The backward pass starts with ∂out/∂out = 1 at the output."""
        if self.output.value is None:
            raise ValueError("run the forward pass first: the output has no value yet")
        v = self.output.value
        self.output.grad = np.ones_like(v) if isinstance(v, np.ndarray) else 1.0

    def backward_node(self, node: Node) -> tuple[Value | None, ...]:
        """Apply one node's local rule: add dout × local to each input's gradient (+=).

        Returns the gradient sent to each input; None for constants, for inputs
        the op does not differentiate (labels t), or if nothing reached ``node``.
        """
        self._check_op(node)
        if node.value is None:
            raise ValueError(f"{node.name!r} has no value yet: run the forward pass first")
        if node.grad is None:
            return (None,) * len(node.inputs)
        sent = self._compute(node, "gradient", node.op.backward, node.value, node.grad)
        sent = tuple(None if i.is_constant else g for i, g in zip(node.inputs, sent))
        for i, g in zip(node.inputs, sent):
            if g is not None:  # a node used twice gets both contributions, as in micrograd
                i.grad = g if i.grad is None else i.grad + g
        return sent

    # ---- whole passes -------------------------------------------------------------------
    def forward(self) -> Value:
        """Compute every operation in topological order; returns the output value."""
        self.clear()
        for n in self.ops:
            self.forward_node(n)
        return self.output.value

    def backward(self) -> dict[str, Value | None]:
        """Seed 1 at the output and apply every local rule in reverse topological order."""
        if any(n.value is None for n in self.ops):
            raise ValueError("run the forward pass first")
        for n in self.nodes:
            n.grad = None
        self.seed_gradient()
        for n in reversed(self.ops):
            self.backward_node(n)
        return self.gradients()
