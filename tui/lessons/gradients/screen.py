"""Lesson 4: derivatives and gradients (数值微分 / 梯度), in four sections.

d  forward vs central difference, and the error against h
p  partial derivatives of x0² + x1² at a point you move, over the gradient field
g  gradient descent from (−3, 4), one step per key, with a learning rate you pick
o  SGD, Momentum, AdaGrad and Adam racing on x²/20 + y²

Every number comes from `nn_tui.core.gradient` and `nn_tui.core.labs.gradients`;
this module only lays them out.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, Footer, Label, Static
from textual_plotext import PlotextPlot

from nn_tui.core.gradient import GradientDescent, OptimizerRace, function_2, race_function
from nn_tui.core.labs.gradients import (
    ArrowGrid,
    arrow_grid,
    circle,
    compare_differences,
    descent_verdict,
    ellipse,
    error_curve,
    float32_of,
    function_1,
    function_1_derivative,
    log_points,
    partials_of_function_2,
)
from nn_tui.tui.i18n import COMMON
from nn_tui.tui.screen import NNScreen
from nn_tui.tui.widgets.number_input import NumberInput, format_number

SECTIONS = ("difference", "partials", "descent", "race")
X_PRESETS = (5.0, 10.0)
LR_PRESETS = (0.01, 0.1, 1.0, 10.0)
DESCENT_START = (-3.0, 4.0)
FIELD_LIMIT = 4.0
FIELD_STEP = 0.5
# A finer arrow grid when the terminal has room for it (columns and rows it needs).
FINE_FIELD_STEP = 0.25
FINE_FIELD_SIZE = (36 + 2 + 5 + 66 + 2, 33 + 1 + 4)
# Past this the descent plot stops following the point: it has left the picture.
DESCENT_VIEW = 5.0
FORWARD_COLOR = "blue"
CENTRAL_COLOR = "green"
# Marker and colour of each racer: the marker tells them apart without colour (NO_COLOR).
RACE_STYLES = MappingProxyType(
    {"SGD": ("•", "red"), "Momentum": ("+", "cyan"), "AdaGrad": ("x", "yellow"), "Adam": ("o", "magenta")}
)
# Which keys act in which section (the footer shows only these).
SECTION_ACTIONS = MappingProxyType(
    {
        "difference": frozenset({"next_x", "smaller", "larger", "edit"}),
        "partials": frozenset({"move", "edit"}),
        "descent": frozenset({"step", "reset", "smaller", "larger", "edit"}),
        "race": frozenset({"step", "reset"}),
    }
)
SECTION_ONLY = frozenset().union(*SECTION_ACTIONS.values())

TEXT = COMMON.extend(
    {
        "tab.difference": ("Difference", "数值微分"),
        "tab.partials": ("Partials & gradient", "偏导数与梯度"),
        "tab.descent": ("Gradient descent", "梯度下降法"),
        "tab.race": ("Optimisers", "优化器比较"),
        "key.section_difference": ("Difference", "数值微分"),
        "key.section_partials": ("Partials", "偏导数"),
        "key.section_descent": ("Descent", "梯度下降"),
        "key.section_race": ("Optimisers", "优化器"),
        "key.next_x": ("x 5/10", "x 5/10"),
        "key.smaller": ("less/more", "调整"),
        "key.larger": ("more", "增大"),
        "key.move": ("move", "移动"),
        "key.step": ("Step", "一步"),
        "key.step10": ("×10", "×10"),
        "key.reset": ("Reset", "重置"),
        "key.edit": ("Type", "输入"),
        "key.leave": ("Leave input", "离开输入框"),
        "key.move_right": ("x0 +0.5", "x0 +0.5"),
        "key.move_up": ("x1 +0.5", "x1 +0.5"),
        "key.move_down": ("x1 −0.5", "x1 −0.5"),
        "help.text": (
            "Four sections, picked with d, p, g, o.\n"
            "d — numerical differentiation (数值微分): the forward difference (f(x+h)−f(x))/h against "
            "the central difference (f(x+h)−f(x−h))/2h of the book's 0.01x²+0.1x. x toggles x = 5 / 10, "
            "− and + make h ten times smaller or larger, e types x or h. The plot shows the error "
            "against h on log-log axes: too large an h gives truncation error, too small a rounding error.\n"
            "p — partial derivatives of x0²+x1² at a point moved with the arrow keys (0.5 a step) or typed "
            "(e); the arrows of the field point along −∇f, downhill.\n"
            "g — gradient descent from (−3, 4): n one step, m ten steps, r reset, − and + pick the "
            "learning rate 0.01 / 0.1 / 1.0 / 10, e types one.\n"
            "o — SGD, Momentum, AdaGrad and Adam on x²/20+y² from (−7, 2): n one step for all four, "
            "m ten steps, r reset. Escape leaves a number field.",
            "四个部分，用 d、p、g、o 切换。\n"
            "d — 数值微分：比较书中函数 0.01x²+0.1x 的前向差分 (f(x+h)−f(x))/h 与中心差分 "
            "(f(x+h)−f(x−h))/2h。x 键在 x = 5 / 10 间切换，− 和 + 把 h 缩小或放大 10 倍，e 输入 x 或 h。"
            "图中是误差随 h 变化的双对数曲线：h 太大有截断误差，h 太小有舍入误差。\n"
            "p — x0²+x1² 在某点的偏导数；用方向键（每次 0.5）移动该点或按 e 输入；"
            "梯度场中的箭头指向 −∇f，即下降方向。\n"
            "g — 从 (−3, 4) 开始的梯度下降法：n 走一步，m 走十步，r 重置，− 和 + 选择学习率 "
            "0.01 / 0.1 / 1.0 / 10，e 输入学习率。\n"
            "o — SGD、Momentum、AdaGrad、Adam 在 x²/20+y² 上从 (−7, 2) 出发：n 四者各走一步，"
            "m 走十步，r 重置。Esc 离开数字输入框。",
        ),
        # -- d: numerical differentiation
        "diff.function": (
            "f(x) = 0.01x² + 0.1x   (the book's function_1)",
            "f(x) = 0.01x² + 0.1x（书中的 function_1）",
        ),
        "diff.forward": ("forward  (f(x+h) − f(x)) / h", "前向差分 (f(x+h) − f(x)) / h"),
        "diff.central": ("central  (f(x+h) − f(x−h)) / 2h", "中心差分 (f(x+h) − f(x−h)) / 2h"),
        "diff.exact": ("exact    f'(x) = 0.02x + 0.1", "解析解   f'(x) = 0.02x + 0.1"),
        "diff.error": ("error", "误差"),
        "diff.float32": (
            "np.float32(1e-50) = {value}: a too-small number is rounded away (舍入误差).",
            "np.float32(1e-50) = {value}：过小的数值会产生舍入误差。",
        ),
        "diff.why": (
            "Large h: truncation error (∝ h forward, ∝ h² central). Tiny h: rounding error (∝ 1/h). "
            "So the book takes h = 1e-4.",
            "h 大：截断误差（前向差分 ∝ h，中心差分 ∝ h²）。h 太小：舍入误差（∝ 1/h）。"
            "所以书中取 h = 1e-4。",
        ),
        "diff.h_range": ("h stays between 1e-20 and 1 here.", "这里 h 的范围是 1e-20 到 1。"),
        "diff.plot_title": ("error against h (log-log)", "误差与 h 的关系（双对数）"),
        "diff.rounding": ("← rounding", "← 舍入误差"),
        "diff.truncation": ("truncation →", "截断误差 →"),
        "diff.legend_forward": ("forward", "前向差分"),
        "diff.legend_central": ("central", "中心差分"),
        "diff.field_x": ("x", "x"),
        "diff.field_h": ("h", "h"),
        # -- p: partial derivatives
        "partials.function": ("f(x0, x1) = x0² + x1²", "f(x0, x1) = x0² + x1²"),
        "partials.numerical": ("numerical (central, h = 1e-4)", "数值微分（中心差分，h = 1e-4）"),
        "partials.exact": ("exact (analytic)", "解析解"),
        "partials.gradient": (
            "gradient ∇f = (∂f/∂x0, ∂f/∂x1)\n|∇f| = {norm}",
            "梯度 ∇f = (∂f/∂x0, ∂f/∂x1)\n|∇f| = {norm}",
        ),
        "partials.meaning": (
            "The arrows show −∇f: the way f falls fastest, towards the minimum (0, 0). "
            "Brighter = steeper. ● is your point.",
            "−∇f 的箭头：函数值下降最快的方向，指向最小值 (0, 0)。越亮越陡。● 是当前点。",
        ),
        "partials.edge": (
            "The field shows −4 … 4; the point stays inside it.",
            "梯度场的范围是 −4 … 4，点不能移出。",
        ),
        "partials.field_x0": ("x0", "x0"),
        # -- g: gradient descent
        "descent.rule": ("gradient descent  x ← x − η·∇f(x)", "梯度下降法  x ← x − η·∇f(x)"),
        "descent.lr": ("learning rate η", "学习率 η"),
        "descent.typed": ("typed", "输入"),
        "descent.field_lr": ("learning rate", "学习率"),
        "descent.step": ("step {n}", "第 {n} 步"),
        "descent.f": ("f(x)", "f(x)"),
        "descent.start": (
            "Start at (−3, 4). Press n for one step.",
            "从 (−3, 4) 出发。按 n 走一步。",
        ),
        "descent.too_slow": (
            "too small: barely moves — f falls less than 10 % a step.",
            "学习率太小：几乎不动，每步 f 下降不到 10%。",
        ),
        "descent.good": ("right: heading straight for the minimum.", "合适：快速接近最小值。"),
        "descent.minimum": ("reached the minimum (0, 0).", "已到达最小值 (0, 0)。"),
        "descent.oscillating": (
            "too large: jumps across the valley and back, never closer.",
            "学习率太大：在谷底两侧来回跳，永远不靠近。",
        ),
        "descent.growing": (
            "diverges: the values blow up — the learning rate is too large.",
            "发散：数值越来越大——学习率太大了。",
        ),
        "descent.diverged": (
            "diverged: the values blew up, so the run stopped — the learning rate is too large. Press r.",
            "已发散：数值爆炸，计算已停止——学习率太大了。按 r 重置。",
        ),
        "descent.stopped": (
            "This run has diverged and stopped; press r to start again.",
            "本次运行已发散并停止；按 r 重新开始。",
        ),
        "descent.off_chart": ("the point has left the chart", "该点已移出图外"),
        "descent.new_lr": (
            "Learning rate {lr}: started again from (−3, 4).",
            "学习率 {lr}：从 (−3, 4) 重新开始。",
        ),
        "descent.last_preset": (
            "That is the last preset; press e to type any learning rate.",
            "已是最后一个预设值；按 e 可输入任意学习率。",
        ),
        "descent.plot_title": ("path on the contours of x0² + x1²", "x0² + x1² 等高线上的路径"),
        # -- o: optimiser race
        "race.function": (
            "f(x, y) = x²/20 + y² from (−7, 2) — the book's ch. 6 comparison",
            "f(x, y) = x²/20 + y²，从 (−7, 2) 出发——书中第6章的比较",
        ),
        "race.step": ("step {n}", "第 {n} 步"),
        "race.diverged": ("diverged, stopped", "已发散，停止"),
    }
)


def full(value: float) -> str:
    """All the digits Python keeps (the book prints numbers this way)."""
    return repr(float(value))


def short(value: float) -> str:
    return f"{float(value):.6g}"


class GradientsScreen(NNScreen):
    TEXT = TEXT
    CSS_PATH = "screen.tcss"
    # Letters are the lesson's keys: nothing is focused until the student asks (e, tab).
    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("d", "section('difference')", "Difference", show=False, id="section_difference"),
        Binding("p", "section('partials')", "Partials", show=False, id="section_partials"),
        Binding("g", "section('descent')", "Descent", show=False, id="section_descent"),
        Binding("o", "section('race')", "Optimisers", show=False, id="section_race"),
        Binding("n", "step(1)", "Step", id="step"),
        Binding("m", "step(10)", "×10", show=False, id="step10"),
        Binding("r", "reset", "Reset", id="reset"),
        Binding("x", "next_x", "x 5/10", id="next_x"),
        # One footer entry for the pair − / +, to keep the footer within 80 columns.
        Binding("minus", "smaller", "less/more", key_display="−/+", id="smaller"),
        Binding("plus,equals_sign", "larger", "more", key_display="+", show=False, id="larger"),
        Binding("left", "move(-1, 0)", "move", key_display="←↑↓→", id="move"),
        Binding("right", "move(1, 0)", "x0 +0.5", show=False, id="move_right"),
        Binding("up", "move(0, 1)", "x1 +0.5", show=False, id="move_up"),
        Binding("down", "move(0, -1)", "x1 −0.5", show=False, id="move_down"),
        Binding("e", "edit", "Type", id="edit"),
        Binding("escape", "leave_input", "Leave input", show=False, id="leave"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.section = "difference"
        self.x = X_PRESETS[0]
        self.h = 1e-4
        self.point = np.array([3.0, 4.0])
        self._fields: dict[float, ArrowGrid] = {}
        self.lr = 0.1
        self.descent = GradientDescent(function_2, np.array(DESCENT_START), lr=self.lr)
        self.race = OptimizerRace()

    # -- layout ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="g-tabs")
        with ContentSwitcher(initial=self.section, id="g-sections"):
            with Vertical(id="difference"):
                with Horizontal(classes="g-inputs"):
                    yield Label("x =")
                    yield NumberInput(self.x, field=self.t("diff.field_x"), low=-1000, high=1000, id="diff-x")
                    yield Label("h =")
                    yield NumberInput(self.h, field=self.t("diff.field_h"), low=1e-20, high=1.0, id="diff-h")
                yield Static(id="diff-table")
                yield Static(id="diff-plot-title", classes="g-plot-title")
                yield PlotextPlot(id="diff-plot")
            with Horizontal(id="partials"):
                with Vertical(classes="g-side"):
                    yield Static(self.t("partials.function"), classes="g-heading")
                    with Horizontal(classes="g-inputs"):
                        yield Label("x0 =")
                        yield NumberInput(
                            self.point[0], field="x0", low=-FIELD_LIMIT, high=FIELD_LIMIT, id="point-x0"
                        )
                        yield Label("x1 =")
                        yield NumberInput(
                            self.point[1], field="x1", low=-FIELD_LIMIT, high=FIELD_LIMIT, id="point-x1"
                        )
                    yield Static(id="partials-values")
                    yield Static(self.t("partials.meaning"), id="partials-meaning")
                yield Static(id="partials-field")
            with Horizontal(id="descent"):
                with Vertical(classes="g-side"):
                    yield Static(self.t("descent.rule"), classes="g-heading")
                    yield Static(id="descent-presets")
                    with Horizontal(classes="g-inputs"):
                        yield Label(f"{self.t('descent.typed')} η =")
                        yield NumberInput(
                            self.lr, field=self.t("descent.field_lr"), low=1e-6, high=100, id="descent-lr"
                        )
                    yield Static(id="descent-values")
                    yield Static(id="descent-verdict")
                with Vertical(id="descent-right"):
                    yield Static(id="descent-plot-title", classes="g-plot-title")
                    yield PlotextPlot(id="descent-plot")
            with Vertical(id="race"):
                yield Static(self.t("race.function"), id="race-heading")
                yield PlotextPlot(id="race-plot")
                yield Static(id="race-table")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.show_all()

    async def language_changed(self, language: str) -> None:
        await self.recompose()
        self.show_all()

    def show_all(self) -> None:
        self.show_tabs()
        self.show_difference()
        self.show_partials()
        self.show_descent()
        self.show_race()

    def show_tabs(self) -> None:
        keys = dict(zip(SECTIONS, "dpgo"))
        tabs = Text(" ")
        for section in SECTIONS:
            label = f" {keys[section]} {self.t('tab.' + section)} "
            tabs.append(label, style="bold reverse" if section == self.section else "")
            tabs.append(" ")
        self.query_one("#g-tabs", Static).update(tabs)

    # -- d: forward vs central difference ---------------------------------------
    def show_difference(self) -> None:
        row = compare_differences(function_1, function_1_derivative, self.x, self.h)
        curve = error_curve(function_1, function_1_derivative, self.x)
        table = Text()
        table.append(self.t("diff.function") + "\n", style="bold")
        for key, value, error in (
            ("diff.forward", row.forward, row.forward_error),
            ("diff.central", row.central, row.central_error),
        ):
            table.append(f"{self.t(key):<34}")
            table.append(f"{full(value):<22}", style="bold")
            table.append(f" {self.t('diff.error')} {error:.1e}\n")
        table.append(f"{self.t('diff.exact'):<34}")
        table.append(f"{full(row.exact)}\n", style="bold")
        table.append(self.t("diff.float32", value=full(float32_of(1e-50))) + "\n", style="italic")
        table.append(self.t("diff.why"))
        self.query_one("#diff-table", Static).update(table)

        plot = self.query_one("#diff-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        hf, ef = log_points(curve.hs, curve.forward)
        hc, ec = log_points(curve.hs, curve.central)
        # Titles and legends live in a Static above the plot: plotext miscounts
        # the width of Chinese characters and would break the frame.
        plt.plot(hf, ef, marker="braille", color=FORWARD_COLOR)
        # Dots for central, a line for forward: the two stay apart without colour too.
        plt.scatter(hc, ec, marker="•", color=CENTRAL_COLOR)
        plt.vline(float(np.log10(self.h)), "gray")
        ticks = list(range(-15, 0, 2))
        plt.xticks(ticks, [f"1e{t}" for t in ticks])
        lows = [t for t in range(-16, 1, 2)]
        plt.yticks(lows, [f"1e{t}" for t in lows])
        plt.xlim(-15.2, -0.8)
        plot.refresh()
        title = Text(self.t("diff.plot_title") + "   ", style="bold")
        title.append(f"━ {self.t('diff.legend_forward')}", style=f"bold {FORWARD_COLOR}")
        title.append("  ")
        title.append(f"• {self.t('diff.legend_central')}", style=f"bold {CENTRAL_COLOR}")
        title.append(f"   {self.t('diff.rounding')}  {self.t('diff.truncation')}", style="dim")
        self.query_one("#diff-plot-title", Static).update(title)

    def action_next_x(self) -> None:
        index = X_PRESETS.index(self.x) + 1 if self.x in X_PRESETS else 0
        self.x = X_PRESETS[index % len(X_PRESETS)]
        self.query_one("#diff-x", NumberInput).set_number(self.x)
        self.show_difference()

    # -- p: partial derivatives and the gradient field -------------------------
    def show_partials(self) -> None:
        partials = partials_of_function_2(*self.point)
        values = Text(self.t("partials.numerical") + "\n", style="underline")
        for name, numeric in zip(("∂f/∂x0", "∂f/∂x1"), partials.numerical):
            values.append(f" {name} = ")
            values.append(full(numeric) + "\n", style="bold")
        values.append(self.t("partials.exact") + "\n", style="underline")
        values.append(f" 2·x0 = {full(partials.exact[0])}   2·x1 = {full(partials.exact[1])}\n")
        values.append(self.t("partials.gradient", norm=short(partials.norm)))
        self.query_one("#partials-values", Static).update(values)
        self.query_one("#partials-field", Static).update(self.field_picture())

    def field(self) -> ArrowGrid:
        """The arrow grid that fits the terminal: every 0.5, or every 0.25 on a big screen."""
        width, height = FINE_FIELD_SIZE
        fine = self.size.width >= width and self.size.height >= height
        step = FINE_FIELD_STEP if fine else FIELD_STEP
        if step not in self._fields:
            self._fields[step] = arrow_grid(function_2, -FIELD_LIMIT, FIELD_LIMIT, step)
        return self._fields[step]

    def on_resize(self) -> None:
        if self.query("#partials-field"):  # not while the screen is being recomposed
            self.show_partials()

    def field_picture(self) -> Text:
        field = self.field()
        arrows = field.arrows
        levels = field.levels
        styles = ("dim", "", "bold")
        here = field.cell_of(float(self.point[0]), float(self.point[1]))
        picture = Text()
        for row, y in enumerate(field.ys):
            label = f"{y:>4g} " if float(y).is_integer() else "     "
            picture.append(label, style="dim")
            for col in range(field.xs.size):
                if (row, col) == here:
                    picture.append(" ●", style="bold reverse")
                else:
                    picture.append(" " + arrows[row][col], style=styles[levels[row, col]])
            picture.append("\n")
        ticks = "".join(
            f"{x:>2g}" if float(x).is_integer() and x % 2 == 0 else "  " for x in field.xs
        )
        picture.append("     " + ticks + f"  {self.t('partials.field_x0')}", style="dim")
        return picture

    def action_move(self, dx: int, dy: int) -> None:
        target = self.point + FIELD_STEP * np.array([dx, dy])
        if np.any(np.abs(target) > FIELD_LIMIT):
            self.notify(self.t("partials.edge"), severity="warning")
            return
        self.set_point(target)

    def set_point(self, point: np.ndarray) -> None:
        self.point = np.asarray(point, dtype=float)
        self.query_one("#point-x0", NumberInput).set_number(float(self.point[0]))
        self.query_one("#point-x1", NumberInput).set_number(float(self.point[1]))
        self.show_partials()

    # -- g: gradient descent ------------------------------------------------------
    def show_descent(self) -> None:
        presets = Text(f"{self.t('descent.lr')}: ")
        for lr in LR_PRESETS:
            presets.append(f" {full(lr)} ", style="bold reverse" if lr == self.lr else "")
            presets.append(" ")
        self.query_one("#descent-presets", Static).update(presets)

        path = self.descent.path
        where = path[-1]
        values = Text()
        values.append(self.t("descent.step", n=len(path) - 1) + "\n")
        values.append("x0 = ")
        values.append(short(where[0]), style="bold")
        values.append("\nx1 = ")
        values.append(short(where[1]), style="bold")
        values.append(f"\n{self.t('descent.f')} = ")
        values.append(short(self.descent.values[-1]), style="bold")
        self.query_one("#descent-values", Static).update(values)

        verdict = self.descent_verdict()
        style = {"good": "bold green", "minimum": "bold green", "start": ""}.get(verdict, "bold red")
        if verdict == "too_slow":
            style = "bold yellow"
        self.query_one("#descent-verdict", Static).update(Text(self.t(f"descent.{verdict}"), style=style))

        plot = self.query_one("#descent-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        for radius in (1, 3, 5):
            xs, ys = circle(radius)
            plt.plot(xs, ys, marker="braille", color="gray")
        # Points outside the picture are left out: a blown-up value has no place on it.
        shown = [p for p in path if np.all(np.abs(p) <= DESCENT_VIEW)]
        if shown:
            plt.plot([p[0] for p in shown], [p[1] for p in shown], marker="•", color="red")
            plt.scatter([shown[-1][0]], [shown[-1][1]], marker="●", color="red")
        plt.xlim(-DESCENT_VIEW, DESCENT_VIEW)
        plt.ylim(-DESCENT_VIEW, DESCENT_VIEW)
        title = self.t("descent.plot_title")
        if len(shown) < len(path):
            title = f"{title} — {self.t('descent.off_chart')}"
        plot.refresh()
        self.query_one("#descent-plot-title", Static).update(title)

    def descent_verdict(self) -> str:
        return descent_verdict(self.descent.values, stopped=self.descent.stopped)

    def new_descent(self, lr: float) -> None:
        self.lr = lr
        self.descent = GradientDescent(function_2, np.array(DESCENT_START), lr=lr)
        self.query_one("#descent-lr", NumberInput).set_number(lr)
        self.show_descent()

    # -- o: the optimiser race -----------------------------------------------------
    def show_race(self) -> None:
        plot = self.query_one("#race-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        for level in (0.5, 2.0):
            xs, ys = ellipse(level)
            plt.plot(xs, ys, marker="braille", color="gray")
        rows = [Text(self.t("race.step", n=self.race.steps), style="bold")]
        for name, path in self.race.paths.items():
            marker, color = RACE_STYLES.get(name, ("•", "white"))
            # No plotext legend: it would cover the start (−7, 2); the table below is the key.
            plt.plot(path[:, 0].tolist(), path[:, 1].tolist(), marker=marker, color=color)
            x, y = path[-1]
            row = Text(f" {marker} ", style=f"bold {color}")
            row.append(f"{name:<9} η = {format_number(self.race.optimizers[name].lr):<5}")
            row.append(f"({x:8.4f}, {y:8.4f})", style="bold")
            row.append(f"   f = {short(race_function(x, y))}")
            if name in self.race.diverged:
                row.append(f"  {self.t('race.diverged')}", style="bold red")
            rows.append(row)
        plt.xlim(-8, 4)
        plt.ylim(-2.5, 2.5)
        plot.refresh()
        self.query_one("#race-table", Static).update(Text("\n").join(rows))

    # -- keys ------------------------------------------------------------------------
    def action_allowed(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in SECTION_ONLY:
            return action in SECTION_ACTIONS[self.section]
        return True

    def action_section(self, section: str) -> None:
        self.section = section
        self.set_focus(None)
        self.query_one(ContentSwitcher).current = section
        self.show_tabs()
        self.refresh_bindings()

    def action_step(self, count: int) -> None:
        if self.section == "race":
            for _ in range(count):
                self.race.step()
            self.show_race()
            return
        if self.descent_verdict() == "diverged":
            self.notify(self.t("descent.stopped"), severity="warning")
            return
        for _ in range(count):
            self.descent.step()
            if self.descent_verdict() == "diverged":
                break
        self.show_descent()

    def action_reset(self) -> None:
        if self.section == "race":
            self.race = OptimizerRace()
            self.show_race()
        else:
            self.new_descent(self.lr)

    def action_smaller(self) -> None:
        if self.section == "difference":
            self.set_h(self.h / 10)
        else:
            self.pick_preset(-1)

    def action_larger(self) -> None:
        if self.section == "difference":
            self.set_h(self.h * 10)
        else:
            self.pick_preset(1)

    def set_h(self, h: float) -> None:
        # Stay on whole powers of ten, inside the input's range 1e-20 … 1.
        exponent = int(round(np.log10(h)))
        if not -20 <= exponent <= 0:
            self.notify(self.t("diff.h_range"), severity="warning")
            return
        self.h = 10.0**exponent
        self.query_one("#diff-h", NumberInput).set_number(self.h)
        self.show_difference()

    def pick_preset(self, direction: int) -> None:
        below = [lr for lr in LR_PRESETS if lr < self.lr]
        above = [lr for lr in LR_PRESETS if lr > self.lr]
        if direction < 0 and below:
            self.new_descent(below[-1])
        elif direction > 0 and above:
            self.new_descent(above[0])
        else:
            self.notify(self.t("descent.last_preset"), severity="warning")

    def action_edit(self) -> None:
        first = {"difference": "#diff-x", "partials": "#point-x0", "descent": "#descent-lr"}
        self.query_one(first[self.section], NumberInput).focus()

    def action_leave_input(self) -> None:
        self.set_focus(None)

    @on(NumberInput.Accepted)
    def number_typed(self, event: NumberInput.Accepted) -> None:
        name = event.input.id
        if name == "diff-x":
            self.x = event.value
            self.show_difference()
        elif name == "diff-h":
            self.h = event.value
            self.show_difference()
        elif name in ("point-x0", "point-x1"):
            point = self.point.copy()
            point[0 if name == "point-x0" else 1] = event.value
            self.set_point(point)
        elif name == "descent-lr" and event.value != self.lr:
            self.new_descent(event.value)
            self.notify(self.t("descent.new_lr", lr=format_number(event.value)))


SCREEN = GradientsScreen
