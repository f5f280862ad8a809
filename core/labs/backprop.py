"""Lesson 5's workbench: which graph is on the table, its inputs, and where the stepper is.

`BackpropLab` holds what the computational-graph lesson shows -- a graph
from `nn_tui.core.graph.presets` or one typed as a formula, the values of its
inputs, and a `GraphStepper` over it -- so a screen only renders it. Every
number comes from `nn_tui.core.graph`; this module adds the lesson's choices:
a new value for an input recomputes up to the same step, and the whole of it
is a small state document.
"""

from __future__ import annotations

import numpy as np

from nn_tui.core.graph.engine import Graph, Node
from nn_tui.core.graph.expression import MAX_LENGTH, ExpressionError, parse_expression
from nn_tui.core.graph.presets import PRESETS
from nn_tui.core.graph.stepper import BACKWARD, DONE, FORWARD, PHASES, GraphStepper
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields

DEFAULT_PRESET = "apple"
#: A typed input stays within ±INPUT_LIMIT (the same limit for a state document).
INPUT_LIMIT = 1e6


class BackpropLab:
    """A graph (a preset, or a typed formula) and a stepper over it."""

    def __init__(self, preset: str = DEFAULT_PRESET) -> None:
        if preset not in PRESETS:
            raise Refusal("backprop.unknown_preset", preset=preset)
        self.preset = preset  # the last preset picked (the list shows it even under a formula)
        self.expression = ""  # the formula the graph was built from; "" for the preset
        self.stepper = GraphStepper(PRESETS[preset]())

    @property
    def graph(self) -> Graph:
        return self.stepper.graph

    def scalar_inputs(self) -> list[Node]:
        """The inputs a student can type (the tiny network's arrays are fixed)."""
        return [n for n in self.graph.inputs.values() if not isinstance(n.value, np.ndarray)]

    # ---- changing the graph -------------------------------------------------------------
    def pick_preset(self, preset: str) -> None:
        """One of the lesson's graphs, from the start."""
        if preset not in PRESETS:
            raise Refusal("backprop.unknown_preset", preset=preset)
        self.preset, self.expression = preset, ""
        self.stepper = GraphStepper(PRESETS[preset]())

    def use_expression(self, text: str) -> None:
        """The graph of a typed formula; a name the current graph has keeps its value, others are 1.

        Raises ExpressionError (a Refusal with the column) and changes nothing if
        ``text`` is not a formula.
        """
        values = {n.name: n.value for n in self.scalar_inputs()}
        graph = parse_expression(text, values=values)
        self.expression = text.strip()
        self.stepper = GraphStepper(graph)

    def set_input(self, name: str, value: float) -> Refusal | None:
        """A new value for a scalar input, recomputed from the start up to the same step.

        The value is kept even if a step on the way is refused (1/x at x = 0):
        the steps stop there, and that refusal is returned.
        """
        if name not in {n.name for n in self.scalar_inputs()}:
            raise Refusal("backprop.unknown_input", name=name)
        if not -INPUT_LIMIT <= value <= INPUT_LIMIT:
            raise Refusal("backprop.input_out_of_range", name=name, value=value, limit=INPUT_LIMIT)
        steps = self.stepper.steps_done
        self.stepper.set_input(name, value)
        try:
            self.stepper.go_to(steps)
        except Refusal as refusal:
            return refusal
        return None

    # ---- the state document ---------------------------------------------------------------
    def to_state(self) -> dict[str, object]:
        """The graph, its typed inputs and the stepper's position, as plain data."""
        s = self.stepper
        return {
            "preset": self.preset,
            "expression": self.expression,
            "inputs": {n.name: n.value for n in self.scalar_inputs()},
            "phase": s.phase,
            "step": s.step_in_phase,
        }

    @classmethod
    def from_state(cls, fields: Fields) -> BackpropLab:
        """A new lab from a state document; a Refusal (naming the field) if any of it is wrong."""
        lab = cls(fields.choice("preset", list(PRESETS)))
        expression = fields.text("expression", MAX_LENGTH)
        inputs = fields.table_of("inputs")
        if expression:
            values = {name: inputs.number(name, -INPUT_LIMIT, INPUT_LIMIT) for name in inputs.table}
            try:
                lab.stepper = GraphStepper(parse_expression(expression, values=values))
            except ExpressionError as err:
                raise Refusal("backprop.state_expression", field=f"{fields.where}.expression",
                              column=err.position) from err
            lab.expression = expression.strip()
        typed = {n.name for n in lab.scalar_inputs()}
        for name in inputs.table:
            if name not in typed:
                raise Refusal("state.unknown_choice", field=inputs.where, value=repr(name),
                              options=", ".join(sorted(typed)))
        for name in typed:
            lab.stepper.graph.set_input(name, inputs.number(name, -INPUT_LIMIT, INPUT_LIMIT))
        phase = fields.choice("phase", PHASES)
        n = len(lab.graph.ops)
        step = fields.integer("step", 0, 0 if phase == DONE else n - 1)
        lab.stepper.reset()
        lab.stepper.go_to({FORWARD: step, BACKWARD: n + step, DONE: 2 * n}[phase])
        return lab

