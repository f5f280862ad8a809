"""Lesson 2: activation functions, why they are non-linear, and the softmax output layer."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import DescendantBlur
from textual.widgets import Footer, Input, Label, Static
from textual_plotext import PlotextPlot

from nn_tui.core.labs.activations import (
    BOOK_SCORES,
    OVERFLOW_SCORES,
    X_LIMIT,
    ActivationPlot,
    Curves,
    LabRefusal,
    SoftmaxDemo,
    SoftmaxResult,
    format_like_numpy,
    linear_stack,
    parse_scores,
)
from nn_tui.tui.i18n import COMMON
from nn_tui.tui.screen import NNScreen
from nn_tui.tui.widgets.number_input import NumberInput, format_number
from nn_tui.tui.widgets.prob_bars import BarRow, ProbBars

TEXT = COMMON.extend(
    {
        "key.cursor": ("x", "x"),
        "key.cursor_right": ("x right", "x 右移"),
        "key.cursor_far": ("x far left", "x 大步左移"),
        "key.cursor_far_right": ("x far right", "x 大步右移"),
        "key.function": ("h(x)", "函数"),
        "key.function_next": ("next function", "下一个函数"),
        "key.derivative": ("h'(x)", "导数"),
        "key.section": ("softmax", "softmax"),
        "key.zoom_in": ("zoom in", "放大"),
        "key.zoom_out": ("zoom out", "缩小"),
        "key.book": ("book scores", "书中的例子"),
        "key.overflow": ("overflow scores", "溢出的例子"),
        "key.edit_scores": ("edit scores", "编辑得分"),
        "key.edit_x": ("type x", "输入 x"),
        "key.leave": ("leave the field", "离开输入框"),
        "help.text": (
            "Activation functions h(x) turn a neuron's weighted sum into its output. ↑↓ picks "
            "the function, ←→ moves the cursor x (shift: 10 steps), x types it; the panel shows "
            "h(x) and its derivative h'(x). d draws h'(x) too: the step function's is 0 almost "
            "everywhere, so it cannot learn. + and - zoom; the range can be typed. Tab moves between "
            "fields, Esc leaves one. s switches to softmax, the output layer of a classifier: e edits "
            "the scores a, b loads the book's [0.3, 2.9, 4.0], o loads [1010, 1000, 990], where the "
            "naive exp(a) overflows and only the version that subtracts max(a) works.",
            "激活函数 h(x) 把神经元的加权和变成输出。↑↓ 选择函数，←→ 移动 x（shift：10 步），"
            "x 键直接输入；右侧显示 h(x) 和导数 h'(x)。d 同时画出导数：阶跃函数的导数几乎处处为 0，"
            "所以无法学习。+ 和 - 缩放，也可以输入范围。Tab 在输入框之间移动，Esc 离开输入框。"
            "s 切换到 softmax（分类问题的输出层）：e 编辑得分 a，b 载入书中的 [0.3, 2.9, 4.0]，"
            "o 载入 [1010, 1000, 990]：朴素的 exp(a) 溢出，只有减去 max(a) 的版本能算对。",
        ),
        "title": ("Lesson 2 · Activation functions & output layer", "第2课 · 激活函数与输出层"),
        "tab.functions": ("Activations", "激活函数"),
        "tab.softmax": ("Softmax", "Softmax"),
        "name.step": ("step", "阶跃函数"),
        "name.sigmoid": ("sigmoid", "sigmoid"),
        "name.relu": ("ReLU", "ReLU"),
        "name.leaky_relu": ("leaky ReLU", "Leaky ReLU"),
        "name.tanh": ("tanh", "tanh"),
        "name.identity": ("identity", "恒等函数"),
        "formula.step": ("h(x) = 1 if x > 0, else 0", "h(x) = 1（x > 0），否则 0"),
        "formula.sigmoid": ("h(x) = 1 / (1 + exp(−x))", "h(x) = 1 / (1 + exp(−x))"),
        "formula.relu": ("h(x) = max(0, x)", "h(x) = max(0, x)"),
        "formula.leaky_relu": ("h(x) = x if x > 0, else 0.01·x", "h(x) = x（x > 0），否则 0.01·x"),
        "formula.tanh": ("h(x) = tanh(x)", "h(x) = tanh(x)"),
        "formula.identity": ("h(x) = x", "h(x) = x"),
        "field.x": ("x", "x"),
        "field.xmin": ("x from", "x 最小值"),
        "field.xmax": ("x to", "x 最大值"),
        "field.c": ("c of the linear layers", "线性层的 c"),
        "field.stack_x": ("x of the linear layers", "线性层的 x"),
        "label.range": ("range", "范围"),
        "reading.convention": (
            "(h'(0) does not exist: a jump or corner; the code uses {slope})",
            "（h'(0) 不存在：跳变或折点；代码取 {slope}）",
        ),
        "label.to": ("to", "到"),
        "stack.title": ("Why non-linear? h(x) = c·x", "为什么要非线性？h(x) = c·x"),
        "stack.layers": ("3 layers: {outputs}", "叠加三层：{outputs}"),
        "stack.one": ("= one layer a·x with a = ", "相当于一层 a·x，a = "),
        "note.step": (
            "The step function jumps from 0 to 1 at x = 0 and is flat everywhere else. "
            "Press d to draw its derivative.",
            "阶跃函数在 x = 0 处从 0 跳到 1，其余地方都是平的。按 d 画出它的导数。",
        ),
        "note.step.d": (
            "Its derivative (orange) is 0 everywhere except x = 0 (the jump has none): a small change of a "
            "weight changes nothing, the loss stays the same, so a network of step functions cannot learn.",
            "阶跃函数的导数（橙色）在绝大多数地方（除了 0 以外的地方）均为 0：参数的微小变化会被阶跃函数抹杀，"
            "损失函数的值不会发生任何变化，神经网络无法学习。",
        ),
        "note.sigmoid": (
            "sigmoid: a smooth S from 0 to 1, the perceptron's step made continuous. "
            "Press d to draw its derivative.",
            "sigmoid：从 0 到 1 的平滑 S 形曲线，是阶跃函数的连续版本。按 d 画出它的导数。",
        ),
        "note.sigmoid.d": (
            "sigmoid's derivative is never 0 (smallest here: {slope} at x = {x}): every small change "
            "of a weight moves the output a little, so learning can go on.",
            "sigmoid 函数的导数在任何地方都不为 0（这里最小为 {slope}，x = {x}）："
            "参数的微小变化都会让输出连续变化，神经网络的学习得以正常进行。",
        ),
        "note.relu": (
            "ReLU passes x > 0 unchanged and gives 0 for x ≤ 0 — the usual choice today. "
            "Press d to draw its derivative.",
            "ReLU：x > 0 时原样输出，x ≤ 0 时输出 0——现在最常用。按 d 画出它的导数。",
        ),
        "note.relu.d": (
            "ReLU's derivative is 1 for x > 0 and 0 for x ≤ 0: where a neuron is active, "
            "the gradient passes through unchanged.",
            "ReLU 的导数：x > 0 时为 1，x ≤ 0 时为 0；神经元激活时，梯度原样通过。",
        ),
        "note.leaky_relu": (
            "Leaky ReLU keeps a small slope 0.01 for x < 0 instead of 0. Press d to draw its derivative.",
            "Leaky ReLU 在 x < 0 时保留 0.01 的小斜率，而不是 0。按 d 画出它的导数。",
        ),
        "note.leaky_relu.d": (
            "Its derivative is 1 for x > 0 and 0.01 otherwise — never 0, so no neuron stops learning for good.",
            "它的导数：x > 0 时为 1，否则为 0.01——永不为 0，神经元不会彻底停止学习。",
        ),
        "note.tanh": (
            "tanh: an S-curve from −1 to 1, centred on 0. Press d to draw its derivative.",
            "tanh：从 −1 到 1、以 0 为中心的 S 形曲线。按 d 画出它的导数。",
        ),
        "note.tanh.d": (
            "tanh's derivative is largest (1) at x = 0 and tiny for large |x| (here {slope} at x = {x}): "
            "the curve goes flat, the gradient vanishes (梯度消失).",
            "tanh 的导数在 x = 0 处最大（1），|x| 很大时非常小（这里 x = {x} 处为 {slope}）："
            "曲线变平，出现梯度消失。",
        ),
        "note.identity": (
            "The identity passes its input through: the output layer for regression. It is linear — "
            "stacking it, like any c·x, adds nothing (see Why non-linear?).",
            "恒等函数将输入原样输出，用于回归问题的输出层。它是线性的：和 c·x 一样，叠加多层毫无意义。",
        ),
        "note.identity.d": (
            "Its derivative is 1 everywhere: a straight line. Linear layers stacked stay one straight line.",
            "它的导数处处为 1：一条直线。线性层叠加起来仍然是一条直线。",
        ),
        "softmax.formula": (
            "Softmax, the output layer of a classifier: y_k = exp(a_k) / Σ exp(a_i)",
            "Softmax（分类问题的输出层）：y_k = exp(a_k) / Σ exp(a_i)",
        ),
        "softmax.scores": ("scores a =", "得分 a ="),
        "softmax.hint": (
            "e edit, Enter applies · b book [0.3, 2.9, 4.0] · o overflow [1010, 1000, 990]",
            "e 编辑，Enter 确认 · b 书中的例子 [0.3, 2.9, 4.0] · o 溢出 [1010, 1000, 990]",
        ),
        "softmax.stable": ("Stable: exp(a − max a) / Σ", "稳定版：exp(a − max a) / Σ"),
        "softmax.shifted": ("a − max a = [{values}]", "a − max a = [{values}]"),
        "softmax.naive": ("Naive: exp(a) / Σ exp(a)", "朴素版：exp(a) / Σ exp(a)"),
        "softmax.sum": ("sum = {total}", "总和 = {total}"),
        "softmax.exp_sum": ("Σ exp(a) = {total}", "Σ exp(a) = {total}"),
        "softmax.overflow": (
            "exp(a) overflowed to inf: inf / inf = nan (or x / inf = 0). Subtract max(a) first (溢出对策).",
            "exp(a) 溢出为 inf：inf / inf = nan（或 x / inf = 0）。先减去 max(a)（溢出对策）。",
        ),
        "softmax.underflow": (
            "Every exp(a) underflowed to 0, and 0 / 0 = nan: subtracting max(a) makes the largest exp 1.",
            "每个 exp(a) 都下溢为 0，0 / 0 = nan：减去 max(a) 后最大的 exp 是 1。",
        ),
        "softmax.same": (
            "Both agree: subtracting max(a) changes nothing but keeps exp from overflowing.",
            "两者相同：减去 max(a) 不改变结果，只是防止 exp 溢出。",
        ),
        "refusal.range_order": (
            "x from ({xmin:g}) must be smaller than x to ({xmax:g}).",
            "x 最小值（{xmin:g}）必须小于 x 最大值（{xmax:g}）。",
        ),
        "refusal.range_narrow": ("The x range must be at least {span:g} wide.", "x 范围至少要有 {span:g} 宽。"),
        "refusal.range_limit": ("x must stay between −{limit:g} and {limit:g}.", "x 必须在 −{limit:g} 到 {limit:g} 之间。"),
        "refusal.zoom_in_limit": (
            "Cannot zoom in further (the range must stay {span:g} wide).",
            "无法再放大（范围至少 {span:g} 宽）。",
        ),
        "refusal.zoom_out_limit": (
            "Cannot zoom out further: x is limited to ±{limit:g}.",
            "无法再缩小：x 限于 ±{limit:g}。",
        ),
        "refusal.cursor_outside": (
            "x = {x:g} is outside the plotted range [{xmin:g}, {xmax:g}].",
            "x = {x:g} 不在图像范围 [{xmin:g}, {xmax:g}] 内。",
        ),
        "refusal.cursor_right_end": (
            "x is at the right end of the range; zoom out (-) to go further.",
            "x 已在范围右端；按 - 缩小再继续。",
        ),
        "refusal.cursor_left_end": (
            "x is at the left end of the range; zoom out (-) to go further.",
            "x 已在范围左端；按 - 缩小再继续。",
        ),
        "refusal.scores_empty": (
            "Type {low} to {high} numbers, e.g. 0.3, 2.9, 4.0.",
            "请输入 {low} 到 {high} 个数，例如 0.3, 2.9, 4.0。",
        ),
        "refusal.scores_not_a_number": ("{item!r} is not a number; scores kept.", "{item!r} 不是数字，保留原来的得分。"),
        "refusal.scores_not_finite": (
            "{item!r} is not a finite number; scores kept.",
            "{item!r} 不是有限的数字，保留原来的得分。",
        ),
        "refusal.scores_too_large": (
            "{item!r} is beyond ±{limit:g}; scores kept.",
            "{item!r} 超出 ±{limit:g}，保留原来的得分。",
        ),
        "refusal.scores_count": (
            "Give {low} to {high} scores (got {n}); scores kept.",
            "请给出 {low} 到 {high} 个得分（现在是 {n} 个），保留原来的得分。",
        ),
    }
)


def _number(value: float) -> str:
    """A reading as the book would print it: up to 8 significant digits, no '-0'."""
    return f"{value + 0.0:.8g}"


class ActivationsScreen(NNScreen):
    """Plot an activation with its derivative; compare naive and stable softmax."""

    TEXT = TEXT
    CSS_PATH = "screen.tcss"
    AUTO_FOCUS = ""  # keys drive the lesson; a field gets focus only when asked for
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]

    BINDINGS = [
        Binding("left", "cursor(-1)", "x", key_display="←→", id="cursor"),
        Binding("right", "cursor(1)", "x right", show=False, id="cursor_right"),
        Binding("shift+left", "cursor(-10)", "x far left", show=False, id="cursor_far"),
        Binding("shift+right", "cursor(10)", "x far right", show=False, id="cursor_far_right"),
        Binding("up", "function(-1)", "h(x)", key_display="↑↓", id="function"),
        Binding("down", "function(1)", "next function", show=False, id="function_next"),
        Binding("d", "derivative", "h'(x)", id="derivative"),
        Binding("s", "section", "softmax", id="section"),
        Binding("plus,equals_sign", "zoom(0.5)", "zoom in", key_display="+", show=False, id="zoom_in"),
        Binding("minus", "zoom(2)", "zoom out", key_display="-", show=False, id="zoom_out"),
        Binding("x", "edit_x", "type x", show=False, id="edit_x"),
        Binding("e", "edit_scores", "edit scores", show=False, id="edit_scores"),
        Binding("b", "load_scores('book')", "book scores", show=False, id="book"),
        Binding("o", "load_scores('overflow')", "overflow scores", show=False, id="overflow"),
        Binding("escape", "leave", "leave the field", show=False, id="leave"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.plot = ActivationPlot("sigmoid", -6.0, 6.0)
        self.stack_c, self.stack_x = 2.0, 3.0
        self.softmax = SoftmaxDemo(BOOK_SCORES)
        self.section = "functions"

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="title-row"):
            yield Static(self.t("title"), id="title")
            yield Static(id="tabs")
        with Vertical(id="functions-pane"):
            yield Static(id="chooser")
            with Horizontal(id="plot-row"):
                yield PlotextPlot(id="plot")
                with Vertical(id="side"):
                    yield Static(id="formula")
                    with Horizontal(classes="field-row"):
                        yield Label("x =", classes="field-label")
                        yield self._number_input(self.plot.cursor, "x", "cursor-input", self.plot.xmin, self.plot.xmax)
                    yield Static(id="reading")
                    with Horizontal(classes="field-row", id="range-row"):
                        yield Label(self.t("label.range"), classes="field-label")
                        yield self._number_input(self.plot.xmin, "xmin", "xmin-input", -X_LIMIT, X_LIMIT)
                        yield Label(self.t("label.to"), classes="field-sep")
                        yield self._number_input(self.plot.xmax, "xmax", "xmax-input", -X_LIMIT, X_LIMIT)
                    yield Static(self.t("stack.title"), id="stack-title")
                    with Horizontal(classes="field-row"):
                        yield Label("c =", classes="field-label")
                        yield self._number_input(self.stack_c, "c", "stack-c", -10, 10)
                        yield Label("x =", classes="field-sep")
                        yield self._number_input(self.stack_x, "stack_x", "stack-x", -100, 100)
                    yield Static(id="stack")
            yield Static(id="note")
        with Vertical(id="softmax-pane"):
            yield Static(self.t("softmax.formula"), id="softmax-formula")
            with Horizontal(classes="field-row", id="scores-row"):
                yield Label(self.t("softmax.scores"), classes="field-label")
                yield Input(self._scores_text(), id="scores-input", compact=True, select_on_focus=True)
            yield Static(self.t("softmax.hint"), id="softmax-hint")
            with Horizontal(id="softmax-columns"):
                with Vertical(id="stable-box", classes="softmax-box"):
                    yield Static(self.t("softmax.stable"), classes="box-title")
                    yield Static(id="shifted")
                    yield ProbBars(id="stable-bars")
                    yield Static(id="stable-sum", classes="box-sum")
                with Vertical(id="naive-box", classes="softmax-box"):
                    yield Static(self.t("softmax.naive"), classes="box-title")
                    yield Static(id="naive-exp")
                    yield ProbBars(id="naive-bars")
                    yield Static(id="naive-sum", classes="box-sum")
            yield Static(id="softmax-note")
        yield Footer()

    def _number_input(self, value: float, field: str, id: str, low: float, high: float) -> NumberInput:
        return NumberInput(value, field=self.t(f"field.{field}"), low=low, high=high, id=id, classes="number")

    def on_mount(self) -> None:
        super().on_mount()
        self.render_state()

    async def language_changed(self, language: str) -> None:
        await self.recompose()
        self.render_state()

    # --- rendering from the core objects -----------------------------------------------------------

    def render_state(self) -> None:
        self.set_class(self.section == "softmax", "-show-softmax")
        self._render_tabs()
        self._render_functions()
        self._render_softmax()

    def _render_tabs(self) -> None:
        tabs = Text()
        for section in ("functions", "softmax"):
            label = f" {self.t(f'tab.{section}')} "
            tabs.append(label, style="bold reverse" if section == self.section else "dim")
            tabs.append(" ")
        self.query_one("#tabs", Static).update(tabs)

    def _render_functions(self) -> None:
        plot = self.plot
        chooser = Text()
        for name in plot.NAMES:
            label = f" {self.t(f'name.{name}')} "
            chooser.append(label, style="bold reverse" if name == plot.name else "")
            chooser.append(" ")
        self.query_one("#chooser", Static).update(chooser)
        self.query_one("#formula", Static).update(Text(self.t(f"formula.{plot.name}"), style="bold"))

        reading = plot.reading()
        cursor_input = self.query_one("#cursor-input", NumberInput)
        cursor_input.low, cursor_input.high = plot.xmin, plot.xmax
        if cursor_input.number != reading.x:
            cursor_input.set_number(reading.x)
        self.query_one("#xmin-input", NumberInput).set_number(plot.xmin)
        self.query_one("#xmax-input", NumberInput).set_number(plot.xmax)
        parts = [
            "h(x)  = ", (_number(reading.y), "bold"), "\n",
            "h'(x) = ", (_number(reading.slope), "bold $accent" if plot.show_derivative else "bold"),
        ]
        if plot.slope_is_a_convention:
            parts.append(("\n" + self.t("reading.convention", slope=_number(reading.slope)), "$text-muted"))
        self.query_one("#reading", Static).update(Content.assemble(*parts))

        stack = linear_stack(self.stack_c, self.stack_x)
        c, x = format_number(stack.c), format_number(stack.x)
        self.query_one("#stack", Static).update(
            Text.assemble(
                self.t("stack.layers", outputs=" → ".join(format_number(v) for v in stack.outputs)),
                f"\nc·c·c·x = {c}·{c}·{c}·{x} = ",
                (format_number(stack.outputs[-1]), "bold"),
                "\n" + self.t("stack.one"),
                (format_number(stack.a), "bold"),
            )
        )

        curves = plot.curves()
        self._draw_plot(curves)
        if plot.show_derivative:
            smallest = plot.smallest_slope(curves)
            note = self.t(f"note.{plot.name}.d", slope=f"{smallest.slope:.2g}", x=format_number(smallest.x))
        else:
            note = self.t(f"note.{plot.name}")
        self.query_one("#note", Static).update(note)

    def _draw_plot(self, curves: Curves) -> None:
        widget = self.query_one("#plot", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        plt.plot(curves.xs, curves.ys, marker="braille", label="h(x)", color="cyan")
        if self.plot.show_derivative:
            plt.plot(curves.xs, curves.slopes, marker="braille", label="h'(x)", color="orange")
        reading = self.plot.reading()
        plt.vline(reading.x, color="gray")
        plt.scatter([reading.x], [reading.y], marker="●", color="cyan")
        if self.plot.show_derivative:
            plt.scatter([reading.x], [reading.slope], marker="●", color="orange")
        plt.xlim(self.plot.xmin, self.plot.xmax)
        limits = self.plot.y_limits(curves)
        plt.ylim(*limits)
        ticks = self.plot.y_ticks(limits)
        plt.yticks(ticks, [format_number(t) for t in ticks])
        widget.refresh()

    def _render_softmax(self) -> None:
        demo = self.softmax
        labels = [f"a{i + 1} = {format_number(a)}" for i, a in enumerate(demo.scores)]
        stable, naive = demo.stable(), demo.naive()
        self.query_one("#shifted", Static).update(
            self.t("softmax.shifted", values=", ".join(format_number(v) for v in demo.shifted))
        )
        self._fill_bars("#stable-bars", labels, stable)
        self._fill_bars("#naive-bars", labels, naive)
        self.query_one("#stable-sum", Static).update(
            Text(self.t("softmax.sum", total=_number(stable.probability_sum)), style="bold")
        )
        warn = "bold $error"
        exp_sum = self.t("softmax.exp_sum", total=_number(naive.total))
        self.query_one("#naive-exp", Static).update(Content.styled(exp_sum, warn if naive.failed else ""))
        naive_sum = self.t("softmax.sum", total=_number(naive.probability_sum))
        self.query_one("#naive-sum", Static).update(Content.styled(naive_sum, warn if naive.failed else "bold"))
        note = self.query_one("#softmax-note", Static)
        if naive.overflowed:
            note.update(Content.styled(self.t("softmax.overflow"), warn))
        elif naive.underflowed:
            note.update(Content.styled(self.t("softmax.underflow"), warn))
        else:
            note.update(self.t("softmax.same"))

    def _fill_bars(self, selector: str, labels: list[str], result: SoftmaxResult) -> None:
        best = -1 if result.failed else int(result.probabilities.argmax())
        texts = format_like_numpy(result.probabilities)
        rows = [
            BarRow(label, float(p), text, i == best)
            for i, (label, p, text) in enumerate(zip(labels, result.probabilities, texts))
        ]
        self.query_one(selector, ProbBars).set_rows(rows)

    def _scores_text(self) -> str:
        return ", ".join(format_number(a) for a in self.softmax.scores)

    # --- refusals ------------------------------------------------------------------------------------

    def refuse(self, refusal: LabRefusal) -> None:
        """Say why a change was not made (the state is untouched)."""
        self.notify(self.t(f"refusal.{refusal.reason}", **refusal.values), severity="warning", timeout=5)

    # --- actions --------------------------------------------------------------------------------------

    @property
    def both_panes_shown(self) -> bool:
        """A wide, tall terminal shows the plot and softmax together (see the .tcss)."""
        return self.has_class("-wide") and self.has_class("-tall")

    def action_allowed(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # the pane switch means nothing while both panes are on screen
        return not (action == "section" and self.both_panes_shown)

    def on_resize(self) -> None:
        self.refresh_bindings()

    def action_cursor(self, steps: int) -> None:
        try:
            self.plot.move_cursor(steps)
        except LabRefusal as refusal:
            self.refuse(refusal)
        self._render_functions()

    def action_function(self, offset: int) -> None:
        self.plot.next_function(offset)
        self._render_functions()

    def action_derivative(self) -> None:
        self.plot.toggle_derivative()
        self._render_functions()

    def action_zoom(self, factor: float) -> None:
        try:
            self.plot.zoom(factor)
        except LabRefusal as refusal:
            self.refuse(refusal)
        self._render_functions()

    def action_section(self) -> None:
        self.section = "softmax" if self.section == "functions" else "functions"
        self.set_focus(None)
        self.render_state()

    def action_edit_x(self) -> None:
        self._show("functions")
        self.query_one("#cursor-input", NumberInput).focus()

    def action_edit_scores(self) -> None:
        self._show("softmax")
        self.query_one("#scores-input", Input).focus()

    def action_load_scores(self, which: str) -> None:
        self.softmax.set_scores(OVERFLOW_SCORES if which == "overflow" else BOOK_SCORES)
        self.query_one("#scores-input", Input).value = self._scores_text()
        self._show("softmax")
        self._render_softmax()

    def action_leave(self) -> None:
        self.set_focus(None)

    def _show(self, section: str) -> None:
        if self.section != section:
            self.section = section
            self.set_class(section == "softmax", "-show-softmax")
            self._render_tabs()

    # --- typed values --------------------------------------------------------------------------------

    @on(NumberInput.Accepted)
    def _number_accepted(self, event: NumberInput.Accepted) -> None:
        field_id, value = event.input.id, event.value
        try:
            if field_id == "cursor-input":
                self.plot.set_cursor(value)
            elif field_id == "xmin-input":
                self.plot.set_range(value, self.plot.xmax)
            elif field_id == "xmax-input":
                self.plot.set_range(self.plot.xmin, value)
            elif field_id == "stack-c":
                self.stack_c = value
            elif field_id == "stack-x":
                self.stack_x = value
        except LabRefusal as refusal:
            self.refuse(refusal)
        self._render_functions()  # also puts a refused value back in its field
        self._leave_after_enter(event.input)

    @on(NumberInput.Refused)
    def _number_refused(self, event: NumberInput.Refused) -> None:
        self._leave_after_enter(event.input)

    def _leave_after_enter(self, field: Input) -> None:
        # Enter hands the keys back to the lesson; leaving by Tab moves on as usual
        if field.has_focus:
            self.set_focus(None)

    @on(Input.Submitted, "#scores-input")
    def _scores_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._commit_scores()
        self._leave_after_enter(event.input)

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        if getattr(event.widget, "id", None) == "scores-input":
            self._commit_scores()

    def _commit_scores(self) -> None:
        field = self.query_one("#scores-input", Input)
        if field.value.strip() == self._scores_text():
            return
        try:
            self.softmax.set_scores(parse_scores(field.value))
        except LabRefusal as refusal:
            self.refuse(refusal)
        field.value = self._scores_text()
        self._render_softmax()


SCREEN = ActivationsScreen
