"""Step through a graph's forward and backward pass one node per key press.

``GraphStepper`` is a cursor over the graph's own topological order: a forward
step calls ``Graph.forward_node`` on the next operation, a backward step calls
``Graph.backward_node`` in reverse order (the first one seeds dout = 1 at the
output). Leaves are given, so each pass has one step per operation node.

A step that cannot be taken raises a ``Refusal`` (a code such as
``"stepper.finish_forward"`` with its values) and changes nothing; the UI says
why in the student's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from nn_tui.core.graph.engine import Graph, Node
from nn_tui.core.graph.ops import Op, Value
from nn_tui.core.refusal import Refusal

FORWARD, BACKWARD, DONE = "forward", "backward", "done"
PHASES = (FORWARD, BACKWARD, DONE)


@dataclass(frozen=True)
class StepRecord:
    """What one step did, for the UI to print."""

    phase: str  # FORWARD or BACKWARD
    node: Node
    input_values: tuple[Value, ...]
    value: Value
    local_derivatives: tuple[Value, ...] | None  # ∂value/∂input; None for Affine, Softmax+Loss
    upstream: Value | None = None  # backward: the gradient arriving at the node (dout)
    sent: tuple[Value | None, ...] | None = None  # backward: dout × local, for each input

    @property
    def op(self) -> Op:
        return self.node.op


class GraphStepper:
    """A cursor over ``graph.ops``: forward in order, then backward in reverse."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._history: list[tuple[tuple, StepRecord]] = []  # graph state before each step
        self.reset()

    # ---- where we are ---------------------------------------------------------------
    @property
    def steps_total(self) -> int:
        return 2 * len(self.graph.ops)

    @property
    def steps_done(self) -> int:
        return len(self._history)

    @property
    def phase(self) -> str:
        n = len(self.graph.ops)
        return FORWARD if self.steps_done < n else BACKWARD if self.steps_done < 2 * n else DONE

    @property
    def step_in_phase(self) -> int:
        """Steps done in the current pass (0 when both are done)."""
        n, done = len(self.graph.ops), self.steps_done
        return done if done < n else done - n if done < 2 * n else 0

    @property
    def cursor(self) -> int | None:
        """Index in ``graph.ops`` of the node the next step processes (None when done)."""
        n, done = len(self.graph.ops), self.steps_done
        return done if done < n else 2 * n - 1 - done if done < 2 * n else None

    @property
    def next_node(self) -> Node | None:
        return None if self.cursor is None else self.graph.ops[self.cursor]

    @property
    def forward_left(self) -> int:
        return max(0, len(self.graph.ops) - self.steps_done)

    @property
    def backward_left(self) -> int:
        return min(len(self.graph.ops), self.steps_total - self.steps_done)

    @property
    def current(self) -> StepRecord | None:
        """The record of the last step taken (None at the start)."""
        return self._history[-1][1] if self._history else None

    @property
    def records(self) -> tuple[StepRecord, ...]:
        return tuple(record for _, record in self._history)

    # ---- moving -----------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the beginning: nothing computed."""
        self.graph.clear()
        self._history.clear()

    def set_input(self, name: str, value: object) -> None:
        """Edit an input (ValueError if bad); the steps start again from the beginning."""
        self.graph.set_input(name, value)
        self.reset()

    def step_forward(self) -> StepRecord:
        if self.phase == BACKWARD:
            raise Refusal("stepper.forward_finished")
        if self.phase == DONE:
            raise Refusal("stepper.all_done")
        node = self.next_node
        before = self.graph.state()
        try:
            value = self.graph.forward_node(node)
        except ValueError:  # a Refusal: nothing computed stays
            self.graph.restore(before)
            raise
        try:
            local = self.graph.local_derivatives(node)
        except Refusal:
            local = None  # e.g. √x at 0: the value exists; the backward step will say why it stops
        record = StepRecord(FORWARD, node, tuple(i.value for i in node.inputs), value, local)
        self._history.append((before, record))
        return record

    def step_backward(self) -> StepRecord:
        if self.phase == FORWARD:
            raise Refusal("stepper.finish_forward", left=self.forward_left)
        if self.phase == DONE:
            raise Refusal("stepper.backward_done")
        node = self.next_node
        before = self.graph.state()
        try:
            if node is self.graph.output:
                self.graph.seed_gradient()
            upstream = node.grad
            local = self.graph.local_derivatives(node)
            sent = self.graph.backward_node(node)
        except ValueError:  # a Refusal: nothing computed stays
            self.graph.restore(before)
            raise
        record = StepRecord(BACKWARD, node, tuple(i.value for i in node.inputs), node.value, local, upstream, sent)
        self._history.append((before, record))
        return record

    def step(self) -> StepRecord:
        """One step in whichever pass comes next."""
        return self.step_backward() if self.phase == BACKWARD else self.step_forward()

    def step_back(self) -> StepRecord | None:
        """Undo the last step, restoring every value and gradient exactly; returns the new current record."""
        if not self._history:
            raise Refusal("stepper.nothing_to_undo")
        before, _ = self._history.pop()
        self.graph.restore(before)
        return self.current

    def go_to(self, steps: int) -> None:
        """Be ``steps`` steps from the start, taking or undoing steps (a refused step stops there)."""
        if not 0 <= steps <= self.steps_total:
            raise ValueError(f"steps must be 0 to {self.steps_total}, got {steps}")
        while self.steps_done > steps:
            self.step_back()
        while self.steps_done < steps:
            self.step()

    def run_forward(self) -> StepRecord:
        """Step forward to the end of the forward pass.

        A refused step stops the run there: the steps before it stay taken.
        """
        if self.phase != FORWARD:
            raise Refusal("stepper.forward_done_already")
        while self.phase == FORWARD:
            self.step_forward()
        return self.current

    def run_backward(self) -> StepRecord:
        """Step backward to the end (the forward pass must be finished)."""
        if self.phase != BACKWARD:
            self.step_backward()  # raises the refusal that fits
        while self.phase == BACKWARD:
            self.step_backward()
        return self.current

    def run_to_end(self) -> StepRecord:
        """Finish both passes from wherever the cursor is."""
        if self.phase == DONE:
            raise Refusal("stepper.all_done")
        if self.phase == FORWARD:
            self.run_forward()
        return self.run_backward()
