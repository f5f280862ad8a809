"""The step in words: what lesson 5's side panel says about the last step.

Every number comes from the stepper's records (`nn_tui.core.graph.stepper`)
and the gradient check (`nn_tui.core.graph.check`); this module only lays
them out: the book's arithmetic ("100 × 2 = 200"), the chain rule of a
backward step, and Python's own float where the panel rounds it. `t` is the
screen's translator (catalogue key and values -> a sentence).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from rich.text import Text

from nn_tui.core.graph.check import GradientCheck
from nn_tui.core.graph.engine import Graph, Node
from nn_tui.core.graph.ops import Value
from nn_tui.core.graph.stepper import DONE, FORWARD, GraphStepper, StepRecord
from nn_tui.tui.lessons.backprop.graph_view import GRAD_STYLE, VALUE_STYLE, number_text, shape_text

Translate = Callable[..., str]

PANEL_DIGITS = 10  # significant digits in the side panel: 220.00000000000003 reads 220
NODE_KINDS = {"add": "kind.add", "mul": "kind.mul", "max": "kind.max"}


def panel_number(value: float) -> str:
    return number_text(value, PANEL_DIGITS)


def is_array(value: object) -> bool:
    return isinstance(value, np.ndarray)


def panel_value(value: Value | None) -> str:
    """A value for the side panel: a rounded number, or an array's shape (printed in full below)."""
    if value is None:
        return "?"
    return shape_text(value.shape) if is_array(value) else panel_number(value)


def array_block(name: str, value: np.ndarray) -> str:
    # + 0.0 turns -0.0 (ReLU's mask times a negative number) into 0.0
    body = np.array2string(value + 0.0, precision=4, suppress_small=True, max_line_width=70)
    shape = shape_text(value.shape)
    return f"{name} {shape if value.ndim == 1 else f'({shape})'} =\n{body}"


def forward_sum(record: StepRecord) -> str:
    """The book's arithmetic of one forward step, e.g. "100 × 2 = 200"."""
    node, op = record.node, record.op
    values = record.input_values
    if any(is_array(v) for v in (*values, record.value)):
        parts = [f"{i.name} {panel_value(v)}" for i, v in zip(node.inputs, values)]
        if op.key == "affine":
            return f"{parts[0]} · {parts[1]} + {parts[2]} = {panel_value(record.value)}"
        return f"{op.symbol}({', '.join(parts)}) = {panel_value(record.value)}"
    shown = [panel_number(v) for v in values]
    shown_in = [f"({s})" if s.startswith("-") else s for s in shown]
    result = panel_number(record.value)
    if op.key in ("add", "mul"):
        return f"{shown_in[0]} {op.symbol} {shown_in[1]} = {result}"
    if op.key == "max":
        return f"max({shown[0]}, {shown[1]}) = {result}"
    if op.key == "pow":
        return f"{op.symbol.replace('x', f'({shown[0]})', 1)} = {result}"
    if op.key == "inv":
        return f"1/{shown_in[0]} = {result}"
    if op.key == "neg":
        return f"-({shown[0]}) = {result}"
    return f"{op.symbol}({shown[0]}) = {result}"


def unexact(*values: Value | None) -> list[str]:
    """Python's repr of each number the panel shows rounded (220.00000000000003 shown as 220)."""
    rounded = [repr(float(v)) for v in values
               if v is not None and not is_array(v) and float(panel_number(v)) != float(v)]
    return list(dict.fromkeys(rounded))


def describe(node: Node) -> str:
    """What a node computes, by name: "price = apple_price × tax", "neg = -(dot)", "e = exp(neg)"."""
    op, names = node.op, [i.name for i in node.inputs]
    if op.key in ("add", "mul"):
        return f"{node.name} = {names[0]} {op.symbol} {names[1]}"
    if op.key in ("neg", "inv", "pow"):  # symbols written with an x: -x, 1/x, x²
        return f"{node.name} = {op.symbol.replace('x', f'({names[0]})', 1)}"
    return f"{node.name} = {op.symbol}({', '.join(names)})"


def rule(node: Node) -> str:
    """The node's local derivative rule written in its own names (∂price/∂tax = apple_price)."""
    return node.op.rule(node.name, [i.label for i in node.inputs], [i.is_constant for i in node.inputs])


def node_kind(node: Node, t: Translate) -> str:
    key = NODE_KINDS.get(node.op.key)
    return t(key) if key else t("kind.other", symbol=node.op.symbol)


def explanation(stepper: GraphStepper, t: Translate) -> Text:
    """The last step in words, or what the first step will do."""
    record = stepper.current
    text = Text()
    if record is None:
        text.append(t("start.what") + "\n")
        text.append(t("start.next", node=describe(stepper.next_node)), style="bold")
    elif record.phase == FORWARD:
        _explain_forward(stepper, record, text, t)
    else:
        _explain_backward(stepper, record, text, t)
    return text


def _float_note(values: list[Value | None], text: Text, t: Translate) -> None:
    repr_note = unexact(*values)
    if repr_note:
        text.append(t("float.repr", values=", ".join(repr_note), digits=PANEL_DIGITS) + "\n", style="dim")


def _explain_forward(s: GraphStepper, record: StepRecord, text: Text, t: Translate) -> None:
    graph = s.graph
    node = record.node
    text.append(t("forward.head", done=s.steps_done, total=len(graph.ops)) + "\n", style="bold")
    text.append(f"{node_kind(node, t)}  {describe(node)}\n")
    text.append("  = ")
    text.append(forward_sum(record) + "\n", style=VALUE_STYLE)
    if record.local_derivatives is None:
        text.append(t("forward.local_layer", formula=node.op.formula) + "\n")
    else:
        local = ", ".join(
            f"∂{node.name}/∂{i.name} = {panel_value(d)}" for i, d in zip(node.inputs, record.local_derivatives)
            if not i.is_constant
        )
        text.append(t("forward.local", formula=rule(node)) + "\n")
        if local and not any(is_array(d) for d in record.local_derivatives):
            text.append(f"  {local}\n")
    for i, v in zip(node.inputs, record.input_values):
        if is_array(v):
            text.append(array_block(i.name, v) + "\n", style="dim")
    if is_array(record.value):
        text.append(array_block(node.name, record.value) + "\n")
    _float_note([*record.input_values, record.value], text, t)
    if s.phase == FORWARD:
        text.append(t("forward.next", node=describe(s.next_node)), style="dim")
    else:
        out = graph.output
        text.append(t("forward.last", name=out.name, value=panel_value(out.value)), style="bold")


def _uses(graph: Graph, node: Node) -> int:
    """How many times ``node`` is an input (x * x uses x twice)."""
    return sum(1 for c in graph.consumers(node) for j in c.inputs if j is node)


def _explain_backward(s: GraphStepper, record: StepRecord, text: Text, t: Translate) -> None:
    graph = s.graph
    node, op = record.node, record.op
    out = graph.output.name
    text.append(t("backward.head", done=s.steps_done - len(graph.ops), total=len(graph.ops)) + "\n", style="bold")
    text.append(node_kind(node, t))
    if op.behaviour:
        text.append(t("colon"))
        text.append(t(f"behaviour.word.{op.behaviour}"), style="bold")
    text.append(f" — {rule(node)}\n")
    if record.upstream is None:
        text.append(t("backward.nothing", name=node.name) + "\n")
        return
    text.append(t("backward.upstream", out=out, name=node.name, value=panel_value(record.upstream)))
    if node is graph.output:
        text.append(t("backward.seed"))
    text.append("\n")
    layer = record.local_derivatives is None
    text.append(t("backward.rule_layer" if layer else "backward.rule") + "\n")
    exact: list[Value | None] = [record.upstream]
    for index, (i, g) in enumerate(zip(node.inputs, record.sent)):
        text.append("  ")
        if i.is_constant:
            text.append(t("backward.constant", name=i.name) + "\n", style="dim")
            continue
        if g is None:
            text.append(t("backward.no_grad", name=i.name) + "\n", style="dim")
            continue
        exact.append(g)
        if layer or is_array(g):
            product = panel_value(g)
        else:
            local = record.local_derivatives[index]
            exact.append(local)
            product = f"{panel_value(record.upstream)} × {panel_value(local)} = {panel_value(g)}"
        line = Text(t("backward.sends", product=product, name=i.name))
        if not is_array(g):  # the gradient sent, in the gradient colour
            line.highlight_regex(re.escape(panel_value(g)) + "$", GRAD_STYLE)
        text.append_text(line)
        text.append("\n")
        uses = _uses(graph, i)
        if uses > 1 and i.grad is not None and not is_array(i.grad):
            text.append("    " + t("backward.adds", name=i.name, n=uses, out=out, total=panel_value(i.grad)) + "\n",
                        style="dim")
    if op.behaviour:
        text.append(t(f"behaviour.{op.behaviour}") + "\n", style="dim")
    if is_array(record.upstream):
        text.append(array_block(f"∂{out}/∂{node.name}", record.upstream) + "\n", style="dim")
    for i, g in zip(node.inputs, record.sent):
        if is_array(g):
            text.append(array_block(f"∂{out}/∂{i.name}", g) + "\n", style="dim")
    _float_note(exact, text, t)
    if s.phase == DONE:
        text.append(t("backward.done"), style="bold")
        grads = [(name, g) for name, g in graph.gradients().items() if g is not None]
        for k, (name, grad) in enumerate(grads):
            text.append(f"∂{out}/∂{name} = ")
            text.append(panel_value(grad), style=GRAD_STYLE)
            text.append(", " if k < len(grads) - 1 else "")


def check_summary(check: GradientCheck, t: Translate) -> str:
    """The check's verdict in one line, for the message line."""
    if not check.inputs:
        return t("check.none")
    verdict = t("check.ok" if check.agrees else "check.bad")
    return f"{t('check.short')}{t('colon')}{t('check.max', error=f'{check.max_relative_error:.1e}')} {verdict}"


def check_report(check: GradientCheck, t: Translate) -> Text:
    """The check under the explanation: each input's relative error, then the verdict."""
    text = Text()
    if not check.inputs:
        text.append(t("check.none"))
        return text
    text.append(t("check.head") + "\n", style="bold")
    rows = [t("check.row", name=c.name, error=f"{c.relative_error:.1e}") for c in check.inputs]
    text.append("  " + "   ".join(rows) + "\n")
    text.append(t("check.max", error=f"{check.max_relative_error:.1e}") + "  ", style="bold")
    text.append(t("check.ok" if check.agrees else "check.bad"),
                style="bold green" if check.agrees else "bold red")
    return text
