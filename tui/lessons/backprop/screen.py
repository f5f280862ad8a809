"""Lesson 5: computational graphs and backpropagation (计算图 / 反向传播).

space → n   one step: forward node by node, then backward node by node
p ←         undo the last step
g           run the rest of the current pass
b           one backward step (refused until the forward pass is finished)
r           back to the start
s           pick a graph (the book's apples, cs231n's gates, a tiny network)
e           type the inputs' values (the graph recomputes up to the same step)
x           type a formula, e.g. (x + y) * z
c           gradient check: backprop against numerical differentiation

Every number comes from `nn_tui.core.graph.stepper` (and `graph_check`); this
module only lays them out and puts them into words.
"""

from __future__ import annotations

import re

import numpy as np
from nn_tui.core.graph.expression import ExpressionError, parse_expression
from nn_tui.core.graph.engine import Graph, Node
from nn_tui.core.graph.check import gradient_check
from nn_tui.core.graph.ops import Value
from nn_tui.core.graph.presets import PRESETS
from nn_tui.core.graph.stepper import (
    BACKWARD,
    DONE,
    FORWARD,
    GraphStepper,
    StepRecord,
    StepResult,
)
from nn_tui.tui.i18n import COMMON
from nn_tui.tui.screen import NNScreen
from nn_tui.tui.widgets.graph_view import (
    GRAD_STYLE,
    VALUE_STYLE,
    GraphView,
    number_text,
    shape_text,
)
from nn_tui.tui.widgets.number_input import NumberInput
from nn_tui.tui.textual_private import OptionList
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.geometry import Region
from textual.widgets import Footer, Input, Label, Static
from textual.widgets.option_list import Option

DEFAULT_PRESET = "apple"
PANEL_DIGITS = 10  # significant digits in the side panel: 220.00000000000003 reads 220
CHECK_OK = 1e-6  # a relative error below this means backprop and numerical agree
INPUT_LIMIT = 1e6

TEXT = COMMON.extend(
    {
        "title": ("Lesson 5 · Computational graph", "第5课 · 计算图"),
        "phase.forward": ("forward propagation {done}/{total}", "正向传播 {done}/{total}"),
        "phase.backward": ("backward propagation {done}/{total}", "反向传播 {done}/{total}"),
        "phase.done": ("both passes done", "正向与反向传播均已完成"),
        "legend": ("→ value   ← gradient   ╔═╗ this step   ? not computed yet",
                   "→ 值   ← 梯度   ╔═╗ 本步的节点   ? 尚未计算"),
        "hint": ("r reset · b backward step · e inputs · x formula · c gradient check · ? help",
                 "r 重置 · b 反向一步 · e 输入值 · x 公式 · c 梯度确认 · ? 帮助"),
        "key.step": ("Next", "前进"),
        "key.step_right": ("Next", "下一步"),
        "key.step_n": ("Next", "下一步"),
        "key.back": ("Back", "后退"),
        "key.back_left": ("Back", "上一步"),
        "key.run": ("Run", "走完"),
        "key.backward": ("Backward", "反向"),
        "key.reset": ("Reset", "重置"),
        "key.presets": ("Graphs", "选图"),
        "key.edit": ("Inputs", "输入值"),
        "key.expression": ("Formula", "公式"),
        "key.check": ("Check", "梯度确认"),
        "key.close": ("Close", "关闭"),
        "key.scroll_left": ("Scroll graph left", "图左移"),
        "key.scroll_right": ("Scroll graph right", "图右移"),
        "key.scroll_up": ("Scroll text up", "说明上滚"),
        "key.scroll_down": ("Scroll text down", "说明下滚"),
        "help.text": (
            "A computational graph (计算图) splits a calculation into small nodes. Forward propagation "
            "(正向传播) computes each node's value from left to right (→ 200 above a line). Backward "
            "propagation (反向传播) then sends the gradient from right to left (← 1.1 below a line): "
            "each node multiplies the upstream gradient (上游梯度) by its local derivative (局部导数) — "
            "the chain rule (链式法则). An add node distributes the gradient, a multiply node swaps its "
            "inputs, a max node routes it to the larger input. "
            "Space (or → or n) takes one step, p (or ←) undoes one, g runs the rest of the pass, "
            "b takes a backward step, r resets. s picks another graph, e types the inputs, x types a "
            "formula such as (x + y) * z, c checks the gradients against numerical differentiation. "
            "Shift+←/→ scroll a wide graph, shift+↑/↓ scroll the explanation, Escape closes a panel. "
            "? marks a value not computed yet; the double box is the node of the last step.",
            "计算图把一个计算拆成许多小节点。正向传播从左到右计算每个节点的值（线上方的 → 200）。"
            "反向传播再从右到左传递梯度（线下方的 ← 1.1）：每个节点把上游梯度乘以自己的局部导数——"
            "这就是链式法则。加法节点把梯度原样分配，乘法节点把输入互换后相乘，max 节点把梯度路由给较大的输入。"
            "空格（或 →、n）前进一步，p（或 ←）后退一步，g 走完当前这一趟，b 反向走一步，r 重置。"
            "s 选择其他计算图，e 输入数值，x 输入公式（如 (x + y) * z），c 用数值微分确认梯度。"
            "Shift+←/→ 左右滚动较宽的图，Shift+↑/↓ 滚动说明，Esc 关闭面板。"
            "? 表示尚未计算的值；双线框是刚刚计算的节点。",
        ),
        # -- the start
        "start.what": (
            "Computational graph (计算图): each box is one small step. Forward propagation computes the "
            "values left to right (→); backward propagation sends the gradients right to left (←) by the "
            "chain rule (链式法则).",
            "计算图：每个方框是一小步计算。正向传播从左到右计算值（→）；反向传播按链式法则从右到左传递梯度（←）。",
        ),
        "start.next": ("Press space to compute the first node: {node}.", "按空格计算第一个节点：{node}。"),
        # -- a forward step
        "forward.head": ("Forward propagation (正向传播) · step {done} of {total}",
                         "正向传播 · 第 {done}/{total} 步"),
        "forward.local": ("local derivative (局部导数), kept for the way back: {formula}",
                          "局部导数（留给反向传播用）：{formula}"),
        "forward.local_layer": ("backward rule of this layer: {formula}", "该层的反向传播规则：{formula}"),
        "forward.next": ("Next: {node}.", "下一步：{node}。"),
        "forward.last": ("Forward pass finished: {name} = {value}. Next: backward propagation, starting with "
                         "∂{name}/∂{name} = 1.",
                         "正向传播完成：{name} = {value}。接下来是反向传播，从 ∂{name}/∂{name} = 1 开始。"),
        # -- a backward step
        "backward.head": ("Backward propagation (反向传播) · step {done} of {total}",
                          "反向传播 · 第 {done}/{total} 步"),
        "backward.seed": (" (the output starts with 1)", "（输出从 1 开始）"),
        "colon": (": ", "："),
        "backward.upstream": ("upstream gradient (上游梯度) ∂{out}/∂{name} = {value}",
                              "上游梯度 ∂{out}/∂{name} = {value}"),
        "backward.rule": ("chain rule (链式法则): upstream × local derivative = gradient sent back",
                          "链式法则：上游梯度 × 局部导数 = 传回的梯度"),
        "backward.rule_layer": ("the layer's backward rule gives the gradient sent back:",
                                "由该层的反向传播规则得到传回的梯度："),
        "backward.sends": ("sends {product} to {name}", "传给 {name}：{product}"),
        "backward.constant": ("{name} is a constant: no gradient", "{name} 是常数：没有梯度"),
        "backward.no_grad": ("{name} gets no gradient from this node", "{name} 不从该节点得到梯度"),
        "backward.nothing": ("No gradient reached {name}, so it sends nothing back.",
                             "没有梯度到达 {name}，所以它不向回传递。"),
        "backward.adds": ("{name} is used {n} times: its gradients add up, now ∂{out}/∂{name} = {total}",
                          "{name} 被用了 {n} 次：各处的梯度相加，现在 ∂{out}/∂{name} = {total}"),
        "backward.done": ("Backward pass finished: ", "反向传播完成："),
        "float.repr": ("Python's float prints {values}; shown rounded to {digits} digits.",
                       "Python 的浮点数实际是 {values}；这里四舍五入到 {digits} 位有效数字显示。"),
        # -- node kinds
        "kind.add": ("add node (加法节点)", "加法节点"),
        "kind.mul": ("multiply node (乘法节点)", "乘法节点"),
        "kind.max": ("max node (max 节点)", "max 节点"),
        "kind.other": ("{symbol} node", "{symbol} 节点"),
        "behaviour.word.distribute": ("distribute", "分配"),
        "behaviour.word.swap": ("swap", "互换"),
        "behaviour.word.route": ("route", "路由"),
        "behaviour.distribute": ("distribute: passes the upstream gradient on unchanged to both inputs",
                                 "分配：把上游梯度原样传给两个输入"),
        "behaviour.swap": ("swap: each input gets the upstream gradient times the OTHER input",
                           "互换：每个输入得到上游梯度乘以另一个输入的值"),
        "behaviour.route": ("route: the whole gradient goes to the larger input, 0 to the other",
                            "路由：梯度全部给较大的输入，另一个得到 0"),
        # -- gradient check
        "check.head": ("Gradient check: backprop vs numerical differentiation (数值微分, h = 1e-4)",
                       "梯度确认：反向传播 vs 数值微分（h = 1e-4）"),
        "check.short": ("Gradient check", "梯度确认"),
        "check.row": ("{name}: relative error {error}", "{name}：相对误差 {error}"),
        "check.max": ("max relative error {error}", "最大相对误差 {error}"),
        "check.ok": ("✓ agree (< 1e-6)", "✓ 一致（< 1e-6）"),
        "check.bad": ("✗ disagree (≥ 1e-6)", "✗ 不一致（≥ 1e-6）"),
        "check.failed": ("Gradient check impossible: {error}", "无法进行梯度确认：{error}"),
        "check.none": ("This graph has no input that gets a gradient.", "该图没有需要梯度的输入。"),
        # -- panels
        "inputs.title": ("Inputs (Enter accepts, Tab next, Esc closes):", "输入值（Enter 确认，Tab 下一个，Esc 关闭）："),
        "inputs.none": ("The inputs of this graph are arrays; they cannot be typed here.",
                        "该图的输入是数组，不能在这里输入。"),
        "inputs.changed": ("{name} = {value}: recomputed from the start up to step {steps}.",
                           "{name} = {value}：从头重新计算到第 {steps} 步。"),
        "presets.title": ("Pick a graph (↑↓ Enter, Esc closes):", "选择计算图（↑↓ Enter，Esc 关闭）："),
        "expr.title": ("Type a formula with + - * / ^, exp, max, sigmoid, relu — e.g. (x + y) * z. Enter builds it, "
                       "Esc closes.",
                       "输入公式，可用 + - * / ^、exp、max、sigmoid、relu，例如 (x + y) * z。Enter 生成，Esc 关闭。"),
        "expr.error": ("column {column}: {message}", "第 {column} 列：{message}"),
        "expr.bad_value": ("{message}", "{message}"),
        "expr.built": ("Graph of {text}: every name is an input (value 1 unless the last graph had it); "
                       "e changes them.",
                       "{text} 的计算图：每个名字都是输入（默认值 1，或沿用上一个图中的值）；按 e 修改。"),
        # -- refusals, translated from the stepper's own words
        "refuse.finish_forward": ("finish the forward pass first ({n} left)", "请先完成正向传播（还剩 {n} 个节点）"),
        "refuse.all_done": ("both passes are finished; reset to start again",
                            "正向与反向传播都已完成；按 r 重新开始"),
        "refuse.backward_done": ("the backward pass is finished; reset to start again",
                                 "反向传播已完成；按 r 重新开始"),
        "refuse.nothing_to_undo": ("nothing to undo: already at the beginning", "没有可撤销的步骤：已经在开头"),
        "refuse.forward_done": ("the forward pass is already finished", "正向传播已经完成"),
        "refuse.step_backward_now": ("the forward pass is finished; step backward now",
                                     "正向传播已完成；现在进行反向传播"),
        "refuse.other": ("{message}", "无法计算：{message}"),
        "ok.reset": ("Back to the start: nothing computed.", "回到开头：尚未计算任何值。"),
        "ok.graph": ("Graph: {title}.", "计算图：{title}。"),
    }
)

# The stepper's refusals in English, and their catalogue keys (the English
# text shown is the stepper's own; the catalogue gives the Chinese).
REFUSALS = (
    (re.compile(r"finish the forward pass first \((\d+) nodes? left\)"), "refuse.finish_forward"),
    (re.compile(r"both passes are finished"), "refuse.all_done"),
    (re.compile(r"the backward pass is finished"), "refuse.backward_done"),
    (re.compile(r"nothing to undo"), "refuse.nothing_to_undo"),
    (re.compile(r"the forward pass is already finished"), "refuse.forward_done"),
    (re.compile(r"the forward pass is finished; step backward now"), "refuse.step_backward_now"),
)

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


class BackpropScreen(NNScreen):
    TEXT = TEXT
    CSS_PATH = "screen.tcss"
    AUTO_FOCUS = ""  # keys drive the lesson; a field is focused only in a panel

    BINDINGS = [
        Binding("space", "step", "Next", key_display="␣", id="step"),
        Binding("right", "step", "Next", show=False, id="step_right"),
        Binding("n", "step", "Next", show=False, id="step_n"),
        Binding("p", "back", "Back", id="back"),
        Binding("left", "back", "Back", show=False, id="back_left"),
        Binding("g", "run", "Run", id="run"),
        Binding("b", "backward", "Backward", show=False, id="backward"),
        Binding("r", "reset", "Reset", show=False, id="reset"),
        Binding("s", "presets", "Graphs", id="presets"),
        Binding("e", "edit", "Inputs", show=False, id="edit"),
        Binding("x", "expression", "Formula", show=False, id="expression"),
        Binding("c", "check", "Check", show=False, id="check"),
        Binding("escape", "close", "Close", key_display="Esc", id="close"),
        Binding("shift+left", "scroll_graph(-8)", "Scroll graph left", show=False, id="scroll_left"),
        Binding("shift+right", "scroll_graph(8)", "Scroll graph right", show=False, id="scroll_right"),
        Binding("shift+up", "scroll_panel(-3)", "Scroll text up", show=False, id="scroll_up"),
        Binding("shift+down", "scroll_panel(3)", "Scroll text down", show=False, id="scroll_down"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.preset = DEFAULT_PRESET
        self.expression = ""  # the typed formula, when the graph came from one
        self.stepper = GraphStepper(PRESETS[DEFAULT_PRESET].factory())
        self.panel = ""  # "", "inputs", "presets" or "expression"
        self.message = ""  # a refusal or notice for the status line
        self.message_is_error = False
        self.check_text: Text | None = None
        self.check_summary = ""
        self.check_failed = False
        self.expr_text = ""
        self.expr_error: tuple[str, int] | None = None

    @property
    def graph(self) -> Graph:
        return self.stepper.graph

    # -- layout ----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="bp-titlebar"):
            yield Static(id="bp-title")
            yield Static(id="bp-phase")
        with ScrollableContainer(id="bp-graph-box", can_focus=False):
            yield Static(Text(self.t("legend"), style="dim"), id="bp-legend")
            yield GraphView(id="bp-graph")
        yield Static(id="bp-message")
        with VerticalScroll(id="bp-panel", can_focus=False):
            yield Static(id="bp-step")
            yield Static(id="bp-check")
        if self.panel == "inputs":
            with Vertical(id="bp-inputs", classes="bp-drawer"):
                yield Static(self.t("inputs.title"), classes="bp-drawer-title")
                scalars = self.scalar_inputs()
                if not scalars:
                    yield Static(self.t("inputs.none"))
                with Horizontal(id="bp-input-row"):
                    for node in scalars:
                        yield Label(f"{node.name} =")
                        yield NumberInput(node.value, field=node.name, low=-INPUT_LIMIT, high=INPUT_LIMIT,
                                          id=f"in-{node.name}")
        elif self.panel == "presets":
            with Vertical(id="bp-presets", classes="bp-drawer"):
                yield Static(self.t("presets.title"), classes="bp-drawer-title")
                yield OptionList(
                    *(Option(p.title_zh if self.language == "zh" else p.title, id=name)
                      for name, p in PRESETS.items()),
                    id="bp-preset-list",
                )
        elif self.panel == "expression":
            with Vertical(id="bp-expression", classes="bp-drawer"):
                yield Static(self.t("expr.title"), classes="bp-drawer-title")
                yield Input(self.expr_text, placeholder="(x + y) * z", id="bp-expr-input")
                yield Static(id="bp-expr-error")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(GraphView).set_graph(self.graph)
        self.after_compose()

    async def language_changed(self, language: str) -> None:
        await self.open_panel(self.panel)

    async def open_panel(self, panel: str) -> None:
        """Show ``panel`` ("" for none): the screen is rebuilt from the state, like on a language switch."""
        self.panel = panel
        self.rebuilding = True  # keys wait until the new widgets are there
        try:
            await self.recompose()
        finally:
            self.rebuilding = False
        self.query_one(GraphView).set_graph(self.graph)
        self.after_compose()

    def after_compose(self) -> None:
        """Fill every widget from the state, and focus the open panel's first field."""
        self.show_all()
        self.refresh_bindings()  # the new Footer lists the keys of the open panel
        if self.panel == "inputs":
            fields = self.query(NumberInput)
            if fields:
                fields.first().focus()
        elif self.panel == "presets":
            options = self.query_one(OptionList)
            names = list(PRESETS)
            options.highlighted = names.index(self.preset) if self.preset in names else 0
            options.focus()
        elif self.panel == "expression":
            self.query_one("#bp-expr-input", Input).focus()
            self.show_expression_error()

    # -- drawing ---------------------------------------------------------------
    def graph_title(self) -> str:
        if self.expression:
            return self.expression
        preset = PRESETS[self.preset]
        return preset.title_zh if self.language == "zh" else preset.title

    def show_all(self) -> None:
        s = self.stepper
        record = s.current
        view = self.query_one(GraphView)
        view.show(record.node if record else None, backward=record is not None and record.phase == BACKWARD)
        ops = len(self.graph.ops)
        if s.phase == FORWARD:
            phase = self.t("phase.forward", done=s.steps_done, total=ops)
        elif s.phase == BACKWARD:
            phase = self.t("phase.backward", done=s.steps_done - ops, total=ops)
        else:
            phase = self.t("phase.done")
        title = Text(f"{self.t('title')} · {self.graph_title()}", style="bold", no_wrap=True, overflow="ellipsis")
        self.query_one("#bp-title", Static).update(title)
        self.query_one("#bp-phase", Static).update(
            Text(f" ▸ {phase} ", style="bold reverse" if s.phase != DONE else "bold"))
        self.show_message()
        self.query_one("#bp-step", Static).update(self.explanation())
        if s.phase == DONE and self.check_text is None:
            self.check_text = self.check_result()
            if not self.message:
                self.say(self.check_summary, error=self.check_failed)
                self.show_message()
        check = self.query_one("#bp-check", Static)
        check.update(self.check_text or "")
        check.display = self.check_text is not None
        if record is not None:
            self.call_after_refresh(self.scroll_to_node, record.node)
        elif s.next_node is not None:
            self.call_after_refresh(self.scroll_to_node, s.next_node)

    def show_message(self) -> None:
        message = self.query_one("#bp-message", Static)
        if self.message:
            message.update(Text(self.message, style="bold red" if self.message_is_error else "bold"))
        else:
            message.update(Text(self.t("hint"), style="dim"))

    def scroll_to_node(self, node: Node) -> None:
        views = self.query(GraphView)
        if not views:  # called after a refresh that a rebuild overtook
            return
        view = views.first()
        if view.graph is not self.graph or node.name not in view.current_layout().boxes:
            return
        box = self.query_one("#bp-graph-box", ScrollableContainer)
        target = view.region_of(node).translate(view.virtual_region.offset)
        window = Region(int(box.scroll_x), int(box.scroll_y), *box.scrollable_content_region.size)
        if not window.contains_region(target):
            # centred, so the nodes it talks to are in view too; no jump while it is visible
            box.scroll_to_region(target, animate=False, force=True, center=True)

    def node_kind(self, node: Node) -> str:
        key = NODE_KINDS.get(node.op.key)
        return self.t(key) if key else self.t("kind.other", symbol=node.op.symbol)

    def explanation(self) -> Text:
        s = self.stepper
        record = s.current
        text = Text()
        if record is None:
            text.append(self.t("start.what") + "\n")
            text.append(self.t("start.next", node=self.describe(s.next_node)), style="bold")
            return text
        if record.phase == FORWARD:
            self.explain_forward(record, text)
        else:
            self.explain_backward(record, text)
        return text

    @staticmethod
    def describe(node: Node) -> str:
        """What a node computes, by name: "price = apple_price × tax", "neg = -(dot)", "e = exp(neg)"."""
        op, names = node.op, [i.name for i in node.inputs]
        if op.key in ("add", "mul"):
            return f"{node.name} = {names[0]} {op.symbol} {names[1]}"
        if op.key in ("neg", "inv", "pow"):  # symbols written with an x: -x, 1/x, x²
            return f"{node.name} = {op.symbol.replace('x', f'({names[0]})', 1)}"
        return f"{node.name} = {op.symbol}({', '.join(names)})"

    def explain_forward(self, record: StepRecord, text: Text) -> None:
        s = self.stepper
        ops = len(self.graph.ops)
        node = record.node
        text.append(self.t("forward.head", done=s.steps_done, total=ops) + "\n", style="bold")
        text.append(f"{self.node_kind(node)}  {self.describe(node)}\n")
        text.append("  = ")
        text.append(forward_sum(record) + "\n", style=VALUE_STYLE)
        if record.local_derivatives is None:
            text.append(self.t("forward.local_layer", formula=node.op.formula) + "\n")
        else:
            local = ", ".join(
                f"∂{node.name}/∂{i.name} = {panel_value(d)}" for i, d in zip(node.inputs, record.local_derivatives)
                if not i.is_constant
            )
            text.append(self.t("forward.local", formula=node.op.formula) + "\n")
            if local and not any(is_array(d) for d in record.local_derivatives):
                text.append(f"  {local}\n")
        for i, v in zip(node.inputs, record.input_values):
            if is_array(v):
                text.append(array_block(i.name, v) + "\n", style="dim")
        if is_array(record.value):
            text.append(array_block(node.name, record.value) + "\n")
        repr_note = unexact(*record.input_values, record.value)
        if repr_note:
            text.append(self.t("float.repr", values=", ".join(repr_note), digits=PANEL_DIGITS) + "\n", style="dim")
        if s.phase == FORWARD:
            text.append(self.t("forward.next", node=self.describe(s.next_node)), style="dim")
        else:
            out = self.graph.output
            text.append(self.t("forward.last", name=out.name, value=panel_value(out.value)), style="bold")

    def explain_backward(self, record: StepRecord, text: Text) -> None:
        s = self.stepper
        ops = len(self.graph.ops)
        node, op = record.node, record.op
        out = self.graph.output.name
        text.append(self.t("backward.head", done=s.steps_done - ops, total=ops) + "\n", style="bold")
        text.append(self.node_kind(node))
        if op.behaviour:
            text.append(self.t("colon"))
            text.append(self.t(f"behaviour.word.{op.behaviour}"), style="bold")
        text.append(f" — {op.formula}\n")
        if record.upstream is None:
            text.append(self.t("backward.nothing", name=node.name) + "\n")
            return
        text.append(self.t("backward.upstream", out=out, name=node.name, value=panel_value(record.upstream)))
        if node is self.graph.output:
            text.append(self.t("backward.seed"))
        text.append("\n")
        layer = record.local_derivatives is None
        text.append(self.t("backward.rule_layer" if layer else "backward.rule") + "\n")
        exact: list[Value | None] = [record.upstream]
        for index, (i, g) in enumerate(zip(node.inputs, record.sent)):
            text.append("  ")
            if i.is_constant:
                text.append(self.t("backward.constant", name=i.name) + "\n", style="dim")
                continue
            if g is None:
                text.append(self.t("backward.no_grad", name=i.name) + "\n", style="dim")
                continue
            exact.append(g)
            if layer or is_array(g):
                product = panel_value(g)
            else:
                local = record.local_derivatives[index]
                exact.append(local)
                product = f"{panel_value(record.upstream)} × {panel_value(local)} = {panel_value(g)}"
            line = Text(self.t("backward.sends", product=product, name=i.name))
            if not is_array(g):  # the gradient sent, in the gradient colour
                line.highlight_regex(re.escape(panel_value(g)) + "$", GRAD_STYLE)
            text.append_text(line)
            text.append("\n")
            uses = sum(1 for c in self.graph.consumers(i) for j in c.inputs if j is i)
            if uses > 1 and i.grad is not None and not is_array(i.grad):
                text.append("    " + self.t("backward.adds", name=i.name, n=uses, out=out,
                                             total=panel_value(i.grad)) + "\n", style="dim")
        if op.behaviour:
            text.append(self.t(f"behaviour.{op.behaviour}") + "\n", style="dim")
        if is_array(record.upstream):
            text.append(array_block(f"∂{out}/∂{node.name}", record.upstream) + "\n", style="dim")
        for i, g in zip(node.inputs, record.sent):
            if is_array(g):
                text.append(array_block(f"∂{out}/∂{i.name}", g) + "\n", style="dim")
        repr_note = unexact(*exact)
        if repr_note:
            text.append(self.t("float.repr", values=", ".join(repr_note), digits=PANEL_DIGITS) + "\n", style="dim")
        if s.phase == DONE:
            text.append(self.t("backward.done"), style="bold")
            grads = [(name, g) for name, g in self.graph.gradients().items() if g is not None]
            for k, (name, grad) in enumerate(grads):
                text.append(f"∂{out}/∂{name} = ")
                text.append(panel_value(grad), style=GRAD_STYLE)
                text.append(", " if k < len(grads) - 1 else "")

    def check_result(self) -> Text:
        """Run the gradient check; also sets ``check_summary``, its one-line verdict."""
        text = Text()
        self.check_failed = True
        try:
            check = gradient_check(self.graph)
        except ValueError as err:
            self.check_summary = self.t("check.failed", error=str(err))
            text.append(self.check_summary, style="bold red")
            return text
        if not check.inputs:
            self.check_summary = self.t("check.none")
            self.check_failed = False
            text.append(self.check_summary)
            return text
        text.append(self.t("check.head") + "\n", style="bold")
        rows = [self.t("check.row", name=c.name, error=f"{c.relative_error:.1e}") for c in check.inputs]
        text.append("  " + "   ".join(rows) + "\n")
        error = check.max_relative_error
        ok = error < CHECK_OK
        self.check_failed = not ok
        self.check_summary = f"{self.t('check.short')}{self.t('colon')}{self.t('check.max', error=f'{error:.1e}')} " \
                             f"{self.t('check.ok' if ok else 'check.bad')}"
        text.append(self.t("check.max", error=f"{error:.1e}") + "  ", style="bold")
        text.append(self.t("check.ok" if ok else "check.bad"), style="bold green" if ok else "bold red")
        return text

    # -- messages ----------------------------------------------------------------
    def say(self, message: str, error: bool = False) -> None:
        self.message, self.message_is_error = message, error

    def refusal(self, result: StepResult) -> str:
        """The stepper's refusal in the current language (its own words in English)."""
        for pattern, key in REFUSALS:
            match = pattern.search(result.message)
            if match:
                if self.language == "en":
                    return result.message
                return self.t(key, n=match.group(1)) if match.groups() else self.t(key)
        return self.t("refuse.other", message=result.message)

    def after_step(self, result: StepResult) -> None:
        if result.ok:
            self.say("")
        else:
            self.say(self.refusal(result), error=True)
        if self.stepper.phase != DONE:
            self.check_text = None
        self.show_all()

    # -- keys ------------------------------------------------------------------------
    def action_allowed(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a panel is open its field has the keys; Escape closes it.
        if self.panel and action not in ("close", "scroll_graph", "scroll_panel"):
            return False
        if not self.panel and action == "close":
            return False
        return True

    def action_step(self) -> None:
        self.after_step(self.stepper.step())

    def action_back(self) -> None:
        self.after_step(self.stepper.step_back())

    def action_backward(self) -> None:
        self.after_step(self.stepper.step_backward())

    def action_run(self) -> None:
        s = self.stepper
        if s.phase == FORWARD:
            result = s.run_forward()
        elif s.phase == BACKWARD:
            result = s.run_backward()
        else:
            result = s.run_to_end()  # the refusal "both passes are finished"
        self.after_step(result)

    def action_reset(self) -> None:
        self.stepper.reset()
        self.check_text = None
        self.say(self.t("ok.reset"))
        self.show_all()

    def action_check(self) -> None:
        self.check_text = self.check_result()
        self.say(self.check_summary, error=self.check_failed)
        self.show_all()

    def action_scroll_graph(self, dx: int) -> None:
        box = self.query_one("#bp-graph-box", ScrollableContainer)
        box.scroll_relative(x=dx, animate=False)

    def action_scroll_panel(self, dy: int) -> None:
        self.query_one("#bp-panel", VerticalScroll).scroll_relative(y=dy, animate=False)

    async def action_presets(self) -> None:
        await self.open_panel("presets")

    async def action_edit(self) -> None:
        await self.open_panel("inputs")

    async def action_expression(self) -> None:
        self.expr_error = None
        await self.open_panel("expression")

    async def action_close(self) -> None:
        if self.panel == "inputs":
            # a value typed but not yet accepted with Enter counts, as when leaving the field
            for field in self.query(NumberInput):
                field.commit()
        await self.open_panel("")

    def scalar_inputs(self) -> list[Node]:
        return [n for n in self.graph.inputs.values() if not is_array(n.value)]

    # -- panels' events ------------------------------------------------------------
    @on(NumberInput.Accepted)
    def input_typed(self, event: NumberInput.Accepted) -> None:
        name = (event.input.id or "").removeprefix("in-")
        if name not in self.graph.inputs:
            return
        steps = self.stepper.steps_done
        try:
            self.stepper.set_input(name, event.value)
        except ValueError as err:
            self.say(str(err), error=True)
            self.show_all()
            return
        self.query_one(GraphView).set_graph(self.graph)
        self.check_text = None
        failure = None
        for _ in range(steps):  # the same step as before, with the new value
            result = self.stepper.step()
            if not result.ok:
                failure = result
                break
        if failure is not None:
            self.say(self.refusal(failure), error=True)
        else:
            self.say(self.t("inputs.changed", name=name, value=panel_number(event.value), steps=steps))
        self.show_all()

    @on(OptionList.OptionSelected, "#bp-preset-list")
    async def preset_picked(self, event: OptionList.OptionSelected) -> None:
        name = event.option.id
        self.preset, self.expression = name, ""
        await self.new_graph(PRESETS[name].factory(), self.graph_title())

    @on(Input.Submitted, "#bp-expr-input")
    async def expression_typed(self, event: Input.Submitted) -> None:
        text = event.value
        self.expr_text = text
        values = {n.name: n.value for n in self.scalar_inputs()}
        try:
            graph = parse_expression(text, values=values)
        except ExpressionError as err:
            self.expr_error = (err.message, err.position)
            self.show_expression_error()
            return
        except ValueError as err:
            self.expr_error = (str(err), -1)
            self.show_expression_error()
            return
        self.expr_error = None
        self.expression = graph.title
        await self.new_graph(graph, self.t("expr.built", text=graph.title))

    def show_expression_error(self) -> None:
        error = self.query_one("#bp-expr-error", Static)
        if self.expr_error is None:
            error.update("")
            return
        message, position = self.expr_error
        text = Text()
        if position >= 0:
            # the formula again, with ^ under the problem: lines up whatever the Input's styling
            text.append(self.expr_text + "\n", style="bold")
            text.append(" " * position + "^ ", style="bold red")
            text.append(self.t("expr.error", column=position, message=message), style="bold red")
        else:
            text.append(self.t("expr.bad_value", message=message), style="bold red")
        error.update(text)

    async def new_graph(self, graph: Graph, notice: str) -> None:
        self.stepper = GraphStepper(graph)
        self.check_text = None
        self.say(notice if notice.endswith(".") or notice.endswith("。") else self.t("ok.graph", title=notice))
        await self.open_panel("")
        self.query_one("#bp-graph-box", ScrollableContainer).scroll_home(animate=False)


SCREEN = BackpropScreen
