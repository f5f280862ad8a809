"""Step through a graph's forward and backward pass one node per key press.

``GraphStepper`` is a cursor over the graph's own topological order: a forward
step calls ``Graph.forward_node`` on the next operation, a backward step calls
``Graph.backward_node`` in reverse order (the first one seeds dout = 1 at the
output). Leaves are given, so each pass has one step per operation node.

Steps never raise for the UI to guess at: each returns a ``StepResult`` with
``ok`` and a ``message`` (e.g. "finish the forward pass first (3 nodes left)").
"""

from __future__ import annotations

from dataclasses import dataclass

from nn_tui.core.graph.engine import Graph, Node
from nn_tui.core.graph.ops import Op, Value

FORWARD, BACKWARD, DONE = "forward", "backward", "done"


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


@dataclass(frozen=True)
class StepResult:
    ok: bool
    message: str
    record: StepRecord | None = None


def _short(value: Value) -> str:
    return f"an array of shape {value.shape}" if hasattr(value, "shape") else repr(value)


def _plural(n: int) -> str:
    return f"{n} node{'' if n == 1 else 's'}"


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

    def step_forward(self) -> StepResult:
        if self.phase == BACKWARD:
            return StepResult(False, "the forward pass is finished; step backward now")
        if self.phase == DONE:
            return StepResult(False, "both passes are finished; reset to start again")
        node = self.next_node
        before = self.graph.state()
        try:
            value = self.graph.forward_node(node)
        except ValueError as err:
            self.graph.restore(before)
            return StepResult(False, str(err))
        try:
            local = self.graph.local_derivatives(node)
        except ValueError:
            local = None  # e.g. √x at 0: the value exists; the backward step will say why it stops
        record = StepRecord(FORWARD, node, tuple(i.value for i in node.inputs), value, local)
        self._history.append((before, record))
        message = f"forward {self.steps_done}/{len(self.graph.ops)}: {node.name} = {_short(value)}"
        return StepResult(True, message, record)

    def step_backward(self) -> StepResult:
        if self.phase == FORWARD:
            return StepResult(False, f"finish the forward pass first ({_plural(self.forward_left)} left)")
        if self.phase == DONE:
            return StepResult(False, "the backward pass is finished; reset to start again")
        node = self.next_node
        before = self.graph.state()
        try:
            if node is self.graph.output:
                self.graph.seed_gradient()
            upstream = node.grad
            local = self.graph.local_derivatives(node)
            sent = self.graph.backward_node(node)
        except ValueError as err:
            self.graph.restore(before)
            return StepResult(False, str(err))
        record = StepRecord(BACKWARD, node, tuple(i.value for i in node.inputs), node.value, local, upstream, sent)
        self._history.append((before, record))
        done = self.steps_done - len(self.graph.ops)
        message = f"backward {done}/{len(self.graph.ops)}: {node.name} sends its gradient back"
        return StepResult(True, message, record)

    def step(self) -> StepResult:
        """One step in whichever pass comes next."""
        return self.step_backward() if self.phase == BACKWARD else self.step_forward()

    def step_back(self) -> StepResult:
        """Undo the last step, restoring every value and gradient exactly."""
        if not self._history:
            return StepResult(False, "nothing to undo: already at the beginning")
        before, record = self._history.pop()
        self.graph.restore(before)
        return StepResult(True, f"undid the {record.phase} step at {record.node.name}", self.current)

    def run_forward(self) -> StepResult:
        """Step forward to the end of the forward pass."""
        if self.phase != FORWARD:
            return StepResult(False, "the forward pass is already finished")
        while self.phase == FORWARD:
            result = self.step_forward()
            if not result.ok:
                return result
        output = self.graph.output
        return StepResult(True, f"forward pass finished: {output.name} = {_short(output.value)}", self.current)

    def run_backward(self) -> StepResult:
        """Step backward to the end (the forward pass must be finished)."""
        if self.phase != BACKWARD:
            return self.step_backward()  # the refusal, with its message
        while self.phase == BACKWARD:
            result = self.step_backward()
            if not result.ok:
                return result
        return StepResult(True, "backward pass finished: every input has its gradient", self.current)

    def run_to_end(self) -> StepResult:
        """Finish both passes from wherever the cursor is."""
        if self.phase == DONE:
            return StepResult(False, "both passes are finished; reset to start again")
        if self.phase == FORWARD:
            result = self.run_forward()
            if not result.ok:
                return result
        return self.run_backward()
