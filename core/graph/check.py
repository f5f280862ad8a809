"""Gradient check: backprop's gradients against numerical differentiation.

The book's ch. 5 gradient_check.py for any graph: for each named input, the
gradient the backward pass gives and the one ``numerical_gradient`` (central
difference, h = 1e-4) gives should agree; a large difference means a wrong
backward rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_tui.core.gradient import numerical_gradient
from nn_tui.core.graph.engine import Graph, Node
from nn_tui.core.graph.ops import Value

#: Backprop and numerical gradients agree when the largest relative error is below this.
AGREEMENT = 1e-6


@dataclass(frozen=True)
class InputCheck:
    """One input: both gradients and how far apart they are."""

    name: str
    backprop: Value
    numerical: Value
    max_abs_error: float  # largest |backprop - numerical| over the elements
    mean_abs_error: float  # what the book's gradient_check.py prints
    relative_error: float  # ‖backprop - numerical‖ / (‖backprop‖ + ‖numerical‖); 0 when both are 0


@dataclass(frozen=True)
class GradientCheck:
    inputs: tuple[InputCheck, ...]

    @property
    def max_relative_error(self) -> float:
        return max((c.relative_error for c in self.inputs), default=0.0)

    @property
    def agrees(self) -> bool:
        """Every input's two gradients agree (relative error below ``AGREEMENT``)."""
        return self.max_relative_error < AGREEMENT

    def __getitem__(self, name: str) -> InputCheck:
        for c in self.inputs:
            if c.name == name:
                return c
        raise KeyError(name)


def relative_error(a: Value, b: Value) -> float:
    """‖a - b‖ / (‖a‖ + ‖b‖): scale-free, and 0 (not 0/0) when both are exactly 0."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def _numerical(graph: Graph, node: Node) -> Value:
    original = node.value
    scalar = not isinstance(original, np.ndarray)
    x = np.array([original] if scalar else original, dtype=float)

    def loss(v: np.ndarray) -> float:
        # numerical_gradient nudges v in place; the graph reads it on every forward pass
        node.value = float(v[0]) if scalar else v
        return float(np.sum(graph.forward()))  # sum: an array output was seeded with ones

    try:
        grad = numerical_gradient(loss, x)
    finally:
        node.value = original
    return float(grad[0]) if scalar else grad


def gradient_check(graph: Graph) -> GradientCheck:
    """Compare backprop with numerical gradients for every input that gets a gradient.

    The graph's values and gradients are put back as they were afterwards, so a
    stepper driving it is not disturbed. Raises the engine's ``Refusal`` if a
    pass fails (e.g. 1/x at x = 0).
    """
    saved = graph.state()
    try:
        graph.forward()
        backprop = graph.backward()
        checks = []
        for name, node in graph.inputs.items():
            if backprop[name] is None:
                continue  # e.g. labels: the op gives them no gradient
            numerical = _numerical(graph, node)
            diff = np.abs(np.asarray(backprop[name]) - np.asarray(numerical))
            checks.append(InputCheck(name, backprop[name], numerical, float(np.max(diff)), float(np.mean(diff)),
                                     relative_error(backprop[name], numerical)))
    finally:
        graph.restore(saved)
    return GradientCheck(tuple(checks))
