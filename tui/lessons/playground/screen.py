"""Lesson 7: the playground — a small network learning 2-D data, its decision regions painted live.

space  start / pause training        n  a few steps (STEP_ITERATIONS)
d, D   next / previous data set       c  number of gaussian blobs (2-4)
a      next activation function       o  next optimiser
v      overfitting demo: few ↔ many neurons on noisy spirals
r      reset the network (same starting weights);  s  new points and new starting weights
Tab    to the fields: noise, points, training share, hidden layers, learning rate, λ

Training runs on a timer on the UI thread, up to MAX_CHUNK iterations per
tick (the networks are tiny: a step takes about a millisecond, and a tick
that runs long halves its share), so every key acts at once; the region map
and the loss chart are repainted a few times a second, not per iteration.
Every number comes from `nn_tui.core.labs.playground`.
"""

from __future__ import annotations

import math
import time

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, Static
from textual_plotext import PlotextPlot

from nn_tui.core.labs.playground import (
    ACTIVATION_NAMES,
    DATASETS,
    MAX_CLASSES,
    MAX_NOISE,
    MAX_POINTS,
    MAX_SEED,
    MIN_POINTS,
    OPTIMIZER_NAMES,
    OVERFIT_DATA,
    OVERFIT_PRESETS,
    Playground,
    format_hidden_layers,
    parse_hidden_layers,
)
from nn_tui.tui.i18n import COMMON
from nn_tui.tui.screen import NNScreen
from nn_tui.tui.widgets.gate_plane import TEST_GLYPHS, TRAIN_GLYPHS, GatePlane, PlanePoint, PlaneView
from nn_tui.tui.widgets.number_input import NumberInput
from nn_tui.tui.widgets.train_charts import whole_ticks

STEP_ITERATIONS = 10  # what one press of n does
TICK_SECONDS = 0.05
MAX_CHUNK = 10  # iterations per tick: 200 a second, slow enough to watch the regions move
TICK_BUDGET = 0.010  # a tick that takes longer halves the chunk, so keys never wait
REDRAW_SECONDS = 0.25  # the region map and the chart, at most 4 times a second
RUN_LENGTH = 5000  # a run pauses itself after this many iterations (the server is shared)
PLANE_RANGE = (-1.25, 1.25)
CHART_POINTS = 400

TEXT = COMMON.extend(
    {
        "title": ("Lesson 7 · Playground", "第7课 · 游乐场"),
        "data": ("data (d)", "数据 (d)"),
        "data.circle": ("circle", "圆形"),
        "data.xor": ("XOR", "异或"),
        "data.spiral": ("spirals", "双螺旋"),
        "data.gaussian": ("blobs ×{k}", "高斯团 ×{k}"),
        "field.noise": ("noise", "噪声"),
        "field.points": ("points", "数据点数"),
        "field.train": ("train %", "训练集 %"),
        "field.layers": ("hidden layers", "隐藏层"),
        "field.activation": ("activation", "激活函数"),
        "field.lr": ("learning rate", "学习率"),
        "field.l2": ("L2 λ", "正则化 λ"),
        "field.optimizer": ("optimiser", "优化器"),
        "act.tanh": ("tanh", "tanh"),
        "act.relu": ("ReLU", "ReLU"),
        "act.sigmoid": ("sigmoid", "sigmoid"),
        "opt.sgd": ("SGD", "SGD"),
        "opt.momentum": ("Momentum", "Momentum"),
        "opt.adam": ("Adam", "Adam"),
        "status.running": ("▶ training", "▶ 训练中"),
        "status.paused": ("‖ paused", "‖ 已暂停"),
        "status.diverged": ("✗ diverged", "✗ 已发散"),
        "stats.iteration": ("iteration", "迭代次数"),
        "stats.loss": ("loss", "损失"),
        "stats.accuracy": ("accuracy", "准确率"),
        "stats.train": ("train", "训练集"),
        "stats.test": ("test", "测试集"),
        "stats.gap": ("gap", "差距"),
        "overfit.title": (
            "More neurons fit the training set better, but not the test set. v: few ↔ many",
            "过拟合：神经元越多，越能拟合训练集，测试集却未必更好。v 切换少/多。",
        ),
        "overfit.few": ("few ({layers})", "少（{layers}）"),
        "overfit.many": ("many ({layers})", "多（{layers}）"),
        "legend": (
            "{train} train {n_train}  {test} test {n_test}  deep = sure",
            "{train} 训练集 {n_train}  {test} 测试集 {n_test}  越深越确定",
        ),
        "chart.title": ("training loss", "训练集损失"),
        "chart.empty": ("press space", "按空格开始"),
        "message.diverged": (
            "The loss is no longer a number (diverged): the learning rate or λ is too large. "
            "Lower it and press r.",
            "损失已不是数字（发散）：学习率或 λ 太大。请调小后按 r 重置。",
        ),
        "message.run_length": (
            "Paused after {n} iterations; space goes on.",
            "已训练 {n} 次迭代，自动暂停；按空格继续。",
        ),
        "message.diverged_step": ("The network diverged: press r to start again.", "网络已发散：按 r 重新开始。"),
        "error.layers": (
            "hidden layers: {text!r} is not a list like 8,8 (1-6 layers of 1-64 neurons); kept {old}.",
            "隐藏层：{text!r} 不是形如 8,8 的列表（1-6 层，每层 1-64 个神经元），保留原值 {old}。",
        ),
        "error.value": ("Not accepted: {reason}", "未接受：{reason}"),
        "key.run": ("Run/pause", "运行"),
        "key.step": ("Step", "单步"),
        "key.reset": ("Reset", "重置"),
        "key.dataset": ("Data", "数据"),
        "key.dataset_back": ("Previous data set", "上一个数据集"),
        "key.classes": ("Blobs 2-4", "高斯团数 2-4"),
        "key.activation": ("Activation", "激活函数"),
        "key.optimizer": ("Optimiser", "优化器"),
        "key.overfit": ("Overfit", "过拟合"),
        "key.leave": ("Leave field", "离开输入框"),
        "key.reseed": ("New points and weights", "换一组数据点和初始权重"),
        "help.text": (
            "A small network (Affine → activation → … → Softmax) learns to separate 2-D points; the plane "
            "shows its decision regions, coloured by the class it predicts, stronger where it is surer, "
            "with the training points filled (● ■) and the test points hollow (○ □). space starts and "
            "pauses training (full-batch steps on the training points), n takes a few steps, r starts "
            "again from the same weights, s draws new points and new starting weights. d picks the data set (circle, XOR, two spirals, gaussian blobs; "
            "c sets the number of blobs), a the activation, o the optimiser; Tab reaches the noise, the "
            "number of points, the training share, the hidden layers (e.g. 8,8), the learning rate and the "
            "L2 regularisation λ. v loads noisy spirals with few neurons, and again with many: more neurons "
            "fit the training set better but the test set no better — overfitting.",
            "一个小网络（Affine → 激活函数 → … → Softmax）学习分开二维平面上的点；平面显示它的决策边界与区域，"
            "颜色表示预测的类别，越确定颜色越深；训练集的点是实心的（● ■），测试集的点是空心的（○ □）。"
            "空格开始/暂停训练（每步用全部训练集），n 训练几步，r 从同样的初始权重重新开始，s 换一组新的数据点和初始权重。"
            "d 选择数据集（圆形、异或、双螺旋、高斯团；c 设置团数），a 选择激活函数，o 选择优化器；"
            "Tab 进入输入框：噪声、数据点数、训练集比例、隐藏层（如 8,8）、学习率、正则化 λ。"
            "v 载入带噪声的双螺旋，少神经元；再按一次是多神经元：神经元越多，越能拟合训练集，"
            "测试集却不更好——这就是过拟合。",
        ),
    }
)


def _pad(text: str, width: int) -> str:
    """`text` right-aligned in `width` terminal cells (a Chinese character takes two)."""
    return " " * max(0, width - cell_len(text)) + text


def percent(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1%}"


def loss_text(value: float) -> str:
    return "nan" if math.isnan(value) else f"{value:.4f}"


class PlaygroundScreen(NNScreen):
    TEXT = TEXT
    CSS_PATH = "screen.tcss"
    # Keys drive the lesson; the fields take focus only on Tab.
    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("space", "run", "Run/pause", key_display="space", id="run"),
        Binding("n", "step", "Step", id="step"),
        Binding("r", "reset", "Reset", id="reset"),
        # d is named in the title line, a and o beside their fields: the footer stays short.
        Binding("d", "dataset(1)", "Data", show=False, id="dataset"),
        Binding("D", "dataset(-1)", "Previous data set", show=False, id="dataset_back"),
        Binding("c", "classes", "Blobs 2-4", show=False, id="classes"),
        Binding("a", "activation", "Activation", show=False, id="activation"),
        Binding("o", "optimizer", "Optimiser", show=False, id="optimizer"),
        Binding("v", "overfit", "Overfit", id="overfit"),
        Binding("s", "reseed", "New points and weights", show=False, id="reseed"),
        Binding("escape", "leave", "Leave field", show=False, id="leave"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pg = Playground()
        self.running = False
        self.run_length = RUN_LENGTH
        self.stop_at = RUN_LENGTH
        self.chunk = MAX_CHUNK
        self.message: str | None = None
        # The overfitting demo: which preset is loaded (None once anything is changed),
        # and the last (train, test) accuracy seen for each.
        self.preset: str | None = None
        self.preset_results: dict[str, tuple[float, float]] = {}
        self._ticker: Timer | None = None
        self._drawn_at = 0.0

    # --- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="pg-title")
        with Horizontal(id="pg-body"):
            with Vertical(id="pg-left"):
                yield GatePlane(id="pg-plane")
                yield Static(id="pg-legend")
            with Vertical(id="pg-right"):
                with Grid(id="pg-form"):
                    yield from self._fields()
                yield Static(id="pg-stats")
                yield PlotextPlot(id="pg-chart")
        yield Static(id="pg-message")
        yield Footer(compact=True)

    def _fields(self) -> ComposeResult:
        data, net = self.pg.data, self.pg.net
        yield Label(self.t("field.noise"))
        yield NumberInput(data.noise, field=self.t("field.noise"), low=0, high=MAX_NOISE, id="pg-noise")
        yield Label(self.t("field.points"))
        yield NumberInput(
            data.n_points, field=self.t("field.points"), low=MIN_POINTS, high=MAX_POINTS, integer=True, id="pg-points"
        )
        yield Label(self.t("field.train"))
        yield NumberInput(
            round(data.train_ratio * 100), field=self.t("field.train"), low=10, high=90, integer=True, id="pg-train"
        )
        yield Label(self.t("field.layers"))
        yield Input(format_hidden_layers(net.hidden), id="pg-layers", select_on_focus=True)
        yield Label(self.t("field.activation"))
        yield Static(id="pg-activation")
        yield Label(self.t("field.lr"))
        yield NumberInput(net.lr, field=self.t("field.lr"), low=1e-6, high=10, id="pg-lr")
        yield Label(self.t("field.l2"))
        yield NumberInput(net.l2, field=self.t("field.l2"), low=0, high=1, id="pg-l2")
        yield Label(self.t("field.optimizer"))
        yield Static(id="pg-optimizer")

    def on_mount(self) -> None:
        super().on_mount()
        self._ticker = self.set_interval(TICK_SECONDS, self._tick, pause=not self.running)
        self.show_state()

    def on_screen_suspend(self) -> None:
        # Another lesson is shown: training in the background would only take the CPU.
        if self.running:
            self._set_running(False)
            self.show_state()

    async def language_changed(self, language: str) -> None:
        await self.recompose()
        self.show_state()

    # --- rendering from the playground ------------------------------------------

    def show_state(self) -> None:
        """Re-render every widget from `self.pg`, the single source of truth."""
        self._show_fields()
        self._show_numbers()
        self._show_pictures()

    def _show_fields(self) -> None:
        data, net = self.pg.data, self.pg.net
        self.query_one("#pg-title", Static).update(self._title())
        numbers = {
            "#pg-noise": data.noise,
            "#pg-points": data.n_points,
            "#pg-train": round(data.train_ratio * 100),
            "#pg-lr": net.lr,
            "#pg-l2": net.l2,
        }
        for selector, value in numbers.items():
            field = self.query_one(selector, NumberInput)
            if not field.has_focus:  # never overwrite what is being typed
                field.set_number(value)
        layers = self.query_one("#pg-layers", Input)
        if not layers.has_focus:
            layers.value = format_hidden_layers(net.hidden)
        self.query_one("#pg-activation", Static).update(self._choice(f"act.{net.activation}", "a"))
        self.query_one("#pg-optimizer", Static).update(self._choice(f"opt.{net.optimizer}", "o"))

    def _show_numbers(self) -> None:
        """The cheap part, redone after every tick: counters, loss, accuracy."""
        self.query_one("#pg-stats", Static).update(self._stats())
        hint = self.t("overfit.title") if self.preset is not None else ""
        self.query_one("#pg-message", Static).update(self.message or hint)

    def _show_pictures(self) -> None:
        """The region map and the loss chart (throttled while training)."""
        self._drawn_at = time.monotonic()
        self.query_one("#pg-plane", GatePlane).show(self._plane())
        k, split = self.pg.data.n_classes, self.pg.split
        legend = self.t("legend", train=" ".join(TRAIN_GLYPHS[:k]), test=" ".join(TEST_GLYPHS[:k]),
                        n_train=len(split.t_train), n_test=len(split.t_test))
        self.query_one("#pg-legend", Static).update(legend)
        self._chart()

    def data_name(self, name: str) -> str:
        return self.t(f"data.{name}", k=self.pg.data.classes)

    def _title(self) -> Text:
        text = Text.assemble((self.t("title"), "bold"), "   ", f"{self.t('data')}: ")
        for name in DATASETS:
            chosen = name == self.pg.data.name
            text.append(f" {self.data_name(name)} ", "bold reverse" if chosen else "dim")
        return text

    def _choice(self, name_key: str, key: str) -> Text:
        return Text.assemble((self.t(name_key), "bold"), "  ", (f"({key})", "dim"))

    def _stats(self) -> Text:
        pg = self.pg
        if pg.diverged:
            status, style = self.t("status.diverged"), "bold red"
        elif self.running:
            status, style = self.t("status.running"), "bold green"
        else:
            status, style = self.t("status.paused"), "bold"
        text = Text.assemble(f"{self.t('stats.iteration')} ", (f"{pg.iteration:,}", "bold"), "  ", (status, style))
        # A small table, train and test side by side: the gap between them is the point.
        rows = [
            (self.t("stats.loss"), loss_text(pg.loss), loss_text(pg.test_loss), False),
            (self.t("stats.accuracy"), percent(pg.train_accuracy), percent(pg.test_accuracy), False),
            *self._overfit_rows(),
        ]
        label_width = max(cell_len(label) for label, *_ in rows) + 1
        text.append("\n" + " " * label_width)
        text.append(_pad(self.t("stats.train"), 8) + _pad(self.t("stats.test"), 9), "dim")
        for label, train, test, chosen in rows:
            line = Text(label + " " * (label_width - cell_len(label)))
            line.append(_pad(train, 8), "bold")
            line.append(_pad(test, 9), "bold")
            if chosen:
                line.stylize("reverse")
            text.append("\n")
            text.append(line)
        return text

    def _overfit_rows(self) -> list[tuple[str, str, str, bool]]:
        """Few against many neurons: the last train and test accuracy seen for each."""
        if self.preset is None:
            return []
        if self.pg.iteration > 0 and not self.pg.diverged:
            self.preset_results[self.preset] = (self.pg.train_accuracy, self.pg.test_accuracy)
        rows = []
        for name in ("few", "many"):
            chosen = name == self.preset
            layers = format_hidden_layers(OVERFIT_PRESETS[name].hidden)
            label = ("▶ " if chosen else "  ") + self.t(f"overfit.{name}", layers=layers)
            result = self.preset_results.get(name)
            train, test = ("–", "–") if result is None else (percent(result[0]), percent(result[1]))
            rows.append((label, train, test, chosen))
        return rows

    def _plane(self) -> PlaneView:
        pg = self.pg
        split = pg.split
        # Test points first, so a training point sharing a cell is the one drawn.
        points = tuple(
            PlanePoint(x, y, t, test=True) for (x, y), t in zip(split.x_test.tolist(), split.t_test.tolist())
        )
        points += tuple(PlanePoint(x, y, t) for (x, y), t in zip(split.x_train.tolist(), split.t_train.tolist()))
        classes = pg.data.n_classes
        answers: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}

        def classify(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            # The plane asks for the class and then the confidence of the same points: one forward pass.
            key = (pg.iteration, pg.diverged, np.shape(xs), np.asarray(xs).tobytes(), np.asarray(ys).tobytes())
            if key not in answers:
                answers.clear()
                if pg.diverged:  # nothing to show but the points
                    answers[key] = (np.zeros(np.shape(xs), dtype=int), np.full(np.shape(xs), 1.0 / classes))
                else:
                    answers[key] = pg.classify(xs, ys)
            return answers[key]

        def regions(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
            return classify(xs, ys)[0]

        def confidence(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
            return classify(xs, ys)[1]

        return PlaneView(
            regions,
            points,
            x_range=PLANE_RANGE,
            y_range=PLANE_RANGE,
            x_ticks=(-1.0, 0.0, 1.0),
            y_ticks=(-1.0, 0.0, 1.0),
            confidence=confidence,
            classes=classes,
        )

    def _chart(self) -> None:
        chart = self.query_one("#pg-chart", PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(self.t("chart.title"))
        history = self.pg.history
        if len(history) == 0:
            plt.xlim(0, 1)
            plt.ylim(0, 1)
            plt.xticks([])
            plt.text(self.t("chart.empty"), 0.5, 0.5, alignment="center")
        else:
            curve = history.chart(CHART_POINTS)
            x = curve.iterations.tolist()
            plt.plot(x, curve.raw.tolist(), marker="braille", color="red+")
            plt.xlim(1, max(x[-1], 2))
            plt.xticks(whole_ticks(1, max(x[-1], 2), count=3))
            plt.ylim(0, None)
        chart.refresh()

    # --- training ---------------------------------------------------------------

    def _tick(self) -> None:
        if not self.running or self.rebuilding:  # no tick while the widgets are replaced
            return
        started = time.perf_counter()
        try:
            self.pg.train(min(self.chunk, max(self.stop_at - self.pg.iteration, 0)))
        except ValueError as error:  # a bug must stop the run with a message, never end the lesson
            self._set_running(False)
            self.message = self.t("error.value", reason=error)
            self.show_state()
            return
        elapsed = time.perf_counter() - started
        # A tick must leave the UI free: a big net on many points gets fewer iterations per tick.
        if elapsed > TICK_BUDGET and self.chunk > 1:
            self.chunk = max(1, self.chunk // 2)
        elif elapsed < TICK_BUDGET / 3 and self.chunk < MAX_CHUNK:
            self.chunk += 1
        if self.pg.diverged:
            self._set_running(False)
            self.message = self.t("message.diverged")
            self.show_state()
            return
        if self.pg.iteration >= self.stop_at:
            self._set_running(False)
            self.message = self.t("message.run_length", n=f"{self.pg.iteration:,}")
            self.show_state()
            return
        self._show_numbers()
        if time.monotonic() - self._drawn_at >= REDRAW_SECONDS:
            self._show_pictures()

    def _set_running(self, running: bool) -> None:
        self.running = running
        if self._ticker is not None:
            if running:
                self._ticker.resume()
            else:
                self._ticker.pause()

    # --- actions -----------------------------------------------------------------

    def action_run(self) -> None:
        if self.running:
            self._set_running(False)
        elif self.pg.diverged:
            self.message = self.t("message.diverged_step")
        else:
            self.stop_at = self.pg.iteration + self.run_length
            self.message = None
            self._set_running(True)
        self.show_state()

    def action_step(self) -> None:
        if self.pg.diverged:
            self.message = self.t("message.diverged_step")
        else:
            self.pg.train(STEP_ITERATIONS)
            if self.pg.diverged:
                self.message = self.t("message.diverged")
        self.show_state()

    def action_reset(self) -> None:
        self.pg.reset()
        self.message = None
        self.show_state()

    def _change(self, *, data: dict | None = None, net: dict | None = None) -> bool:
        """Apply a change through the core; a refusal leaves everything as it was."""
        try:
            if data:
                self.pg.set_data(**data)
            if net:
                self.pg.set_network(**net)
        except ValueError as error:
            self.notify(self.t("error.value", reason=error), severity="error", timeout=6)
            return False
        self.message = None
        if self.preset is not None and (self.pg.data != OVERFIT_DATA or self.pg.net != OVERFIT_PRESETS[self.preset]):
            self.preset = None
        self.show_state()
        return True

    def action_dataset(self, step: int) -> None:
        index = DATASETS.index(self.pg.data.name)
        self._change(data={"name": DATASETS[(index + step) % len(DATASETS)]})

    def action_classes(self) -> None:
        data = self.pg.data
        classes = data.classes % MAX_CLASSES + 1 if data.name == "gaussian" else data.classes
        self._change(data={"name": "gaussian", "classes": max(classes, 2)})

    def action_activation(self) -> None:
        names = ACTIVATION_NAMES
        self._change(net={"activation": names[(names.index(self.pg.net.activation) + 1) % len(names)]})

    def action_optimizer(self) -> None:
        names = OPTIMIZER_NAMES
        self._change(net={"optimizer": names[(names.index(self.pg.net.optimizer) + 1) % len(names)]})

    def action_overfit(self) -> None:
        preset = "many" if self.preset == "few" else "few"
        self.pg = Playground(OVERFIT_DATA, OVERFIT_PRESETS[preset])
        self.preset = preset
        self.message = None
        self.show_state()

    def action_reseed(self) -> None:
        data, net = self.pg.data, self.pg.net
        self._change(data={"seed": (data.seed + 1) % (MAX_SEED + 1)}, net={"seed": (net.seed + 1) % (MAX_SEED + 1)})

    def action_leave(self) -> None:
        self.set_focus(None)

    # --- typed values ---------------------------------------------------------------

    def on_number_input_accepted(self, event: NumberInput.Accepted) -> None:
        changes = {
            "pg-noise": ("data", "noise", event.value),
            "pg-points": ("data", "n_points", int(event.value)),
            "pg-train": ("data", "train_ratio", event.value / 100),
            "pg-lr": ("net", "lr", event.value),
            "pg-l2": ("net", "l2", event.value),
        }
        where = changes.get(event.input.id or "")
        if where is None:
            return
        part, name, value = where
        if not self._change(**{part: {name: value}}):
            self.show_state()  # puts the kept value back into the field
        elif event.input.has_focus:
            self.set_focus(None)  # Enter hands the keys back to the lesson

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "pg-layers":
            event.stop()
            self._commit_layers(event.input)

    def on_descendant_blur(self, event) -> None:
        if getattr(event.widget, "id", None) == "pg-layers":
            self._commit_layers(event.widget)

    def _commit_layers(self, field: Input) -> None:
        old = format_hidden_layers(self.pg.net.hidden)
        text = field.value.strip()
        try:
            hidden = parse_hidden_layers(text)
        except ValueError:
            field.value = old
            self.notify(self.t("error.layers", text=text, old=old), severity="error", timeout=6)
            return
        field.value = format_hidden_layers(hidden)
        if hidden != self.pg.net.hidden and self._change(net={"hidden": hidden}) and field.has_focus:
            self.set_focus(None)


SCREEN = PlaygroundScreen
