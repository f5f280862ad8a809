"""Look inside a trained network: five views switched with [ and ].

- Samples: a test digit, its predicted probabilities and its true label;
  ←/→ step through the digits, m shows only the mistakes (most confident first).
- Confusion: which digit is taken for which.
- Weights: the first layer's weights of each hidden unit as an image.
- Activations: how each hidden layer's outputs are distributed.
- Init experiment: the book's ch. 6 experiment, where the activations of a
  5-layer network end up for different initial weights (←/→ initial
  weights, ↑/↓ activation function); it needs no trained network.

The lesson screen calls ``show(network, data, language)`` after each epoch
with a network the trainer no longer touches; the numbers all come from
``nn_tui.core.labs.inspect``. What the student chose to look at lives in an
`InspectorChoice` the lesson keeps, so an inspector built again (a language
switch rebuilds the lesson's widgets) shows the same view. The inspector
relabels its own keys (its bindings are its own, not the lesson's) when it
is mounted and when the language changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static

from nn_tui.core.labs.inspect import INIT_CHOICES, Inspection, init_experiment, inspect_network
from nn_tui.core.refusal import Refusal
from nn_tui.tui.i18n import Strings
from nn_tui.tui.lessons.training.confusion_matrix import ConfusionMatrix
from nn_tui.tui.lessons.training.histogram_strip import HistogramStrip
from nn_tui.tui.lessons.training.weight_gallery import WeightGallery
from nn_tui.tui.screen import localize_bindings
from nn_tui.tui.widgets.digit_image import DigitImage
from nn_tui.tui.widgets.prob_bars import BarRow, ProbBars
from nn_tui.tui.widgets.readout import Readout

VIEWS: tuple[str, ...] = ("samples", "confusion", "weights", "activations", "init")
INIT_ACTIVATIONS: tuple[str, ...] = ("sigmoid", "relu", "tanh")

# Enough digits for a meaningful confusion matrix, few enough that show()
# takes milliseconds on the UI thread at every epoch's end.
SAMPLE_LIMIT = 1000

# Room for the 56x28 digit (plus the tab line and padding) beside 40-cell bars.
LARGE_DIGIT_HEIGHT = 31
LARGE_DIGIT_WIDTH = 100

TEXT = Strings(
    {
        "key.inspect_previous": ("Previous", "上一个"),
        "key.inspect_next": ("Next", "下一个"),
        "key.inspect_mistakes": ("Mistakes", "只看错误"),
        "key.inspect_next_view": ("Next view", "下一视图"),
        "key.inspect_previous_view": ("Previous view", "上一视图"),
        "key.inspect_activation_up": ("Previous activation", "上一个激活函数"),
        "key.inspect_activation_down": ("Next activation", "下一个激活函数"),
        "help": (
            "Look inside the network (focus it with Tab): [ and ] switch between Samples (a test digit, "
            "its predicted probabilities and true label; ←/→ step, m only the mistakes, most confident "
            "first), Confusion (which digit is taken for which), Weights (each hidden unit's first-layer "
            "weights as an image; ←/→ more units), Activations (each hidden layer's distribution) and the "
            "book's initial-weights experiment (←/→ initial weights, ↑/↓ activation function).",
            "查看网络内部（用 Tab 聚焦）：[ 和 ] 在以下视图间切换：样本（测试数字、预测概率和真实标签；←/→ 翻看，"
            "m 只看识别错误的，最自信的在前）、混淆矩阵（哪个数字被认成哪个）、权重（每个隐藏神经元的第一层权重画成图；"
            "←/→ 翻页）、激活值（各隐藏层激活值的分布），以及书中的权重初始值实验（←/→ 权重初始值，↑/↓ 激活函数）。",
        ),
        "view.samples": ("Samples", "样本"),
        "view.confusion": ("Confusion", "混淆矩阵"),
        "view.weights": ("Weights", "权重"),
        "view.activations": ("Activations", "激活值"),
        "view.init": ("Init experiment", "初始值实验"),
        "views.hint": ("[ ] view", "[ ] 切换"),
        "empty": (
            "Nothing to look inside yet: train for an epoch (or press n) to look inside the network.",
            "还没有可查看的网络：先训练一个 epoch（或按 n），再来看看网络内部。",
        ),
        "cannot": ("Cannot look inside this network: {reason}", "无法查看这个网络：{reason}"),
        "inspect.diverged": (
            "its outputs are NaN or infinite (the run diverged): start a new run.",
            "它的输出为 NaN 或无穷大（训练已发散）：请重新开始训练。",
        ),
        "nothing_yet": ("Train the network first: there are no predictions yet.", "请先训练网络：还没有预测结果。"),
        "sample.where": ("Test digit [b]#{n}[/b] of {total}", "第 [b]{n}[/b] 个测试数字（共 {total} 个）"),
        "sample.true": ("true label [b]{label}[/b]", "真实标签 [b]{label}[/b]"),
        "sample.predicted": (
            "predicted [b]{predicted}[/b] with p = [b]{p}[/b]",
            "预测为 [b]{predicted}[/b]，概率 p = [b]{p}[/b]",
        ),
        "sample.right": ("✓ right", "✓ 正确"),
        "sample.wrong": ("✗ wrong", "✗ 错误"),
        "sample.all": ("all digits · m: only the {n} mistakes", "全部数字 · m：只看 {n} 个错误"),
        "sample.mistake": (
            "mistake [b]{k}[/b] of {n}, most confident first · m: all",
            "第 [b]{k}[/b] 个错误（共 {n} 个，最自信的在前）· m：全部",
        ),
        "sample.true_marker": ("true", "真实"),
        "sample.no_mistakes": ("No mistakes among these {n} digits: nothing to show.", "这 {n} 个数字全部识别正确：没有错误可看。"),
        "sample.back_to_all": ("No mistakes left: showing all digits.", "已经没有错误了：显示全部数字。"),
        "weights.colors": (
            "orange: positive weight (this pixel excites the unit), blue: negative (inhibits)",
            "橙色：正权重（该像素激活此神经元），蓝色：负权重（抑制）",
        ),
        "weights.marks": (
            "blocks ░▒▓█: positive weight (excites the unit), marks ·-=≡: negative (inhibits)",
            "方块 ░▒▓█：正权重（激活此神经元），符号 ·-=≡：负权重（抑制）",
        ),
        "activations.caption": (
            "Distribution of each hidden layer's activations ({activation}) on {n} test digits",
            "{n} 个测试数字上各隐藏层激活值（{activation}）的分布",
        ),
        "init.caption": (
            "Book ch. 6: 1,000 random inputs through 5 layers of 100 neurons",
            "书中第 6 章：1000 个随机输入，经过 5 层、每层 100 个神经元",
        ),
        "init.choice": (
            "activation (↑/↓): [b]{activation}[/b] · initial weights (←/→): [b]{init}[/b]",
            "激活函数（↑/↓）：[b]{activation}[/b] · 权重初始值（←/→）：[b]{init}[/b]",
        ),
        "init.std:1": ("randn × 1", "randn × 1"),
        "init.std:0.01": ("randn × 0.01", "randn × 0.01"),
        "init.xavier": ("Xavier: randn × √(1/n)", "Xavier 初始值：randn × √(1/n)"),
        "init.he": ("He: randn × √(2/n)", "He 初始值：randn × √(2/n)"),
        "explain.sigmoid.std:1": (
            "The activations pile up at 0 and 1, where sigmoid's slope is almost 0: the gradients vanish.",
            "激活值集中在 0 和 1 附近，sigmoid 在那里的斜率几乎为 0：梯度消失。",
        ),
        "explain.sigmoid.std:0.01": (
            "Every activation is near 0.5: all neurons say the same thing, so 100 neurons "
            "are no better than 1 (limited expressiveness).",
            "激活值都集中在 0.5 附近：所有神经元输出几乎相同，100 个神经元和 1 个没有区别（表现力受限）。",
        ),
        "explain.sigmoid.xavier": (
            "Xavier keeps the activations spread out in every layer: information flows through.",
            "使用 Xavier 初始值，各层的激活值都保持一定的广度：信息能够顺利传递。",
        ),
        "explain.sigmoid.he": (
            "He (made for ReLU) also keeps sigmoid's activations spread out, a little wider than Xavier.",
            "He 初始值（为 ReLU 设计）也能让 sigmoid 的激活值保持分散，比 Xavier 稍宽。",
        ),
        "explain.relu.std:1": (
            "The activations grow layer after layer: about half are 0 and the rest far above 1.",
            "激活值一层比一层大：约一半为 0，其余远大于 1。",
        ),
        "explain.relu.std:0.01": (
            "Almost every activation is about 0: the gradients are tiny too, so learning barely moves.",
            "几乎所有激活值都接近 0：梯度也很小，学习几乎无法进行。",
        ),
        "explain.relu.xavier": (
            "With ReLU, Xavier lets the activations shrink toward 0 layer after layer.",
            "对 ReLU 使用 Xavier 初始值，激活值随层数加深逐渐偏向 0。",
        ),
        "explain.relu.he": (
            "He keeps every layer's distribution the same: the right initial weights for ReLU.",
            "He 初始值使各层的分布保持一致：这是 ReLU 应使用的初始值。",
        ),
        "explain.tanh.std:1": (
            "tanh saturates: the activations pile up at -1 and 1, where the gradients vanish.",
            "tanh 饱和：激活值集中在 -1 和 1 附近，梯度消失。",
        ),
        "explain.tanh.std:0.01": (
            "Every activation is about 0: the layers pass on almost nothing.",
            "激活值都接近 0：各层几乎传递不了信息。",
        ),
        "explain.tanh.xavier": (
            "Xavier keeps tanh's activations spread out, narrowing slowly with depth.",
            "使用 Xavier 初始值，tanh 的激活值保持分散，随深度缓慢变窄。",
        ),
        "explain.tanh.he": (
            "He is a bit too large for tanh: the first layers pile up at -1 and 1.",
            "He 初始值对 tanh 略大：前几层的激活值集中在 -1 和 1 附近。",
        ),
    }
)


@dataclass
class InspectorChoice:
    """What the student looks at: the view, the digit, the page of weights, the init experiment's setting."""

    view: str = "samples"
    mistakes_only: bool = False
    position: int = 0
    first_unit: int = 0
    init_activation: str = "sigmoid"
    init_choice: str = "std:1"


class NetworkInspector(Widget, can_focus=True):
    """Samples, confusion matrix, weights and activations of a network; see the module docstring."""

    DEFAULT_CSS = """
    NetworkInspector {
        width: 1fr;
        height: 1fr;
        layout: vertical;
    }
    NetworkInspector #inspect-tabs { height: 1; width: 1fr; }
    NetworkInspector:focus #inspect-tabs { background: $boost; }
    NetworkInspector ContentSwitcher { height: 1fr; }
    NetworkInspector #inspect-empty { padding: 1 2; }
    NetworkInspector #inspect-samples { height: auto; padding-top: 1; }
    NetworkInspector #inspect-digit { margin-right: 2; }
    NetworkInspector #inspect-sample-side { width: 1fr; height: auto; }
    NetworkInspector #inspect-sample-caption { margin-bottom: 1; }
    NetworkInspector #inspect-confusion { padding-top: 1; }
    NetworkInspector .inspect-caption { width: 1fr; height: auto; }
    """

    BINDINGS = [
        Binding("left", "step(-1)", "Previous", id="inspect_previous"),
        Binding("right", "step(1)", "Next", id="inspect_next"),
        Binding("m", "toggle_mistakes", "Mistakes", id="inspect_mistakes"),
        Binding("right_square_bracket", "switch_view(1)", "Next view", key_display="]", id="inspect_next_view"),
        Binding("left_square_bracket", "switch_view(-1)", "Previous view", key_display="[",
                show=False, id="inspect_previous_view"),
        Binding("up", "init_activation(-1)", "Previous activation", show=False, id="inspect_activation_up"),
        Binding("down", "init_activation(1)", "Next activation", show=False, id="inspect_activation_down"),
    ]

    def __init__(self, id: str | None = None, choice: InspectorChoice | None = None) -> None:
        super().__init__(id=id)
        self.choice = choice if choice is not None else InspectorChoice()
        self.inspection: Inspection | None = None
        self.test_set: tuple[int, str] | None = None  # see ConfusionMatrix.set_matrix
        self.error: str | None = None
        self._init_results: dict[tuple[str, str], list[Any]] = {}
        self._language: str | None = None

    # -- public ------------------------------------------------------------
    @property
    def language(self) -> str:
        return self._language or getattr(self.app, "language", "en")

    def show(self, network: Any, data: Any, language: str = "en", data_name: str = "") -> None:
        """Re-render every view from ``network`` evaluated on the first test digits of ``data``.

        `data_name` names the data set where an accuracy is shown (with how many of its test digits).
        """
        self._language = language
        self.test_set = (int(data.test_size), data_name) if data_name else None
        choice = self.choice
        try:
            self.inspection = inspect_network(network, data.test_images, data.test_labels, limit=SAMPLE_LIMIT)
            self.error = None
        except Refusal as refusal:
            self.inspection = None
            self.error = self.t("cannot", reason=self.t(refusal.code, **refusal.values))
        if self.inspection is not None:
            if choice.mistakes_only and not len(self.inspection.mistakes):
                choice.mistakes_only = False
            choice.position = min(choice.position, len(self._sample_order()) - 1)
            choice.first_unit = min(choice.first_unit, self.inspection.W1.shape[1] - 1)
        if self.is_mounted:
            localize_bindings(self, TEXT, self.language)
            self.refresh_bindings()
        self._render_all()

    def clear(self) -> None:
        """Show nothing to look inside (the network shown before is gone, e.g. after a reset)."""
        self.inspection, self.error = None, None
        self._render_all()

    def t(self, key: str, **values: object) -> str:
        return TEXT.get(key, self.language, **values)

    # -- Textual -----------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Readout(id="inspect-tabs")
        with ContentSwitcher(initial="inspect-empty"):
            yield Readout(id="inspect-empty")
            with Horizontal(id="inspect-samples"):
                yield DigitImage(id="inspect-digit")
                with Vertical(id="inspect-sample-side"):
                    yield Readout(id="inspect-sample-caption", classes="inspect-caption")
                    yield ProbBars(id="inspect-probs")
            with Vertical(id="inspect-confusion"):
                yield ConfusionMatrix(id="inspect-matrix")
            with Vertical(id="inspect-weights"):
                yield Readout(id="inspect-weights-caption", classes="inspect-caption")
                yield WeightGallery(id="inspect-gallery")
            with Vertical(id="inspect-activations"):
                yield Readout(id="inspect-activations-caption", classes="inspect-caption")
                yield HistogramStrip(id="inspect-activation-strip")
            with Vertical(id="inspect-init"):
                yield Readout(id="inspect-init-caption", classes="inspect-caption")
                yield HistogramStrip(id="inspect-init-strip")
                yield Readout(id="inspect-init-explain", classes="inspect-caption")

    def on_mount(self) -> None:
        localize_bindings(self, TEXT, self.language)
        if hasattr(self.app, "language"):
            self.watch(self.app, "language", self._on_language, init=False)
        self._render_all()

    def on_resize(self) -> None:
        # A double-size digit when there is room for it (a projector, 120x40).
        size = self.content_size
        self.query_one(DigitImage).large = size.height >= LARGE_DIGIT_HEIGHT and size.width >= LARGE_DIGIT_WIDTH

    def _on_language(self, language: str) -> None:
        self._language = language
        localize_bindings(self, TEXT, language)
        self.refresh_bindings()
        self._render_all()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            return self.choice.view in ("samples", "weights", "init")
        if action == "toggle_mistakes":
            return self.choice.view == "samples"
        if action == "init_activation":
            return self.choice.view == "init"
        return True

    # -- actions -----------------------------------------------------------
    def action_switch_view(self, delta: int) -> None:
        self.choice.view = VIEWS[(VIEWS.index(self.choice.view) + delta) % len(VIEWS)]
        self.refresh_bindings()
        self._render_all()

    def action_step(self, delta: int) -> None:
        choice = self.choice
        if choice.view == "init":
            choice.init_choice = INIT_CHOICES[(INIT_CHOICES.index(choice.init_choice) + delta) % len(INIT_CHOICES)]
            self._render_init()
            return
        if self.inspection is None:
            self.app.notify(self.error or self.t("nothing_yet"), severity="warning")
            return
        if self.choice.view == "samples":
            self.choice.position = (self.choice.position + delta) % len(self._sample_order())
            self._render_samples()
        elif self.choice.view == "weights":
            gallery = self.query_one(WeightGallery)
            page, units = gallery.capacity, self.inspection.W1.shape[1]
            pages = -(-units // page)
            self.choice.first_unit = (self.choice.first_unit // page + delta) % pages * page
            self._render_weights()

    def action_toggle_mistakes(self) -> None:
        if self.inspection is None:
            self.app.notify(self.error or self.t("nothing_yet"), severity="warning")
            return
        if not self.choice.mistakes_only and not len(self.inspection.mistakes):
            self.app.notify(self.t("sample.no_mistakes", n=f"{self.inspection.size:,}"), severity="warning")
            return
        self.choice.mistakes_only = not self.choice.mistakes_only
        self.choice.position = 0
        self._render_samples()

    def action_init_activation(self, delta: int) -> None:
        index = INIT_ACTIVATIONS.index(self.choice.init_activation)
        self.choice.init_activation = INIT_ACTIVATIONS[(index + delta) % len(INIT_ACTIVATIONS)]
        self._render_init()

    # -- rendering ---------------------------------------------------------
    def _sample_order(self) -> list[int]:
        assert self.inspection is not None
        if self.choice.mistakes_only:
            return self.inspection.mistakes.tolist()
        return list(range(self.inspection.size))

    @property
    def sample_index(self) -> int | None:
        """The index (into the test digits) of the digit the samples view shows."""
        if self.inspection is None:
            return None
        return self._sample_order()[self.choice.position]

    def _render_all(self) -> None:
        try:
            self.query_one("#inspect-tabs")
        except NoMatches:
            return  # not composed yet: on_mount renders
        self._render_tabs()
        switcher = self.query_one(ContentSwitcher)
        if self.choice.view != "init" and self.inspection is None:
            self.query_one("#inspect-empty", Static).update(Text(self.error or self.t("empty")))
            switcher.current = "inspect-empty"
            return
        switcher.current = f"inspect-{self.choice.view}"
        {
            "samples": self._render_samples,
            "confusion": self._render_confusion,
            "weights": self._render_weights,
            "activations": self._render_activations,
            "init": self._render_init,
        }[self.choice.view]()

    def _render_tabs(self) -> None:
        line = Text()
        for view in VIEWS:
            name = f" {self.t(f'view.{view}')} "
            line.append(name, style="bold reverse" if view == self.choice.view else "")
            line.append(" ")
        line.append(" " + self.t("views.hint"), style="dim")
        self.query_one("#inspect-tabs", Static).update(line)

    def _render_samples(self) -> None:
        found = self.inspection
        if found is None:
            return
        index = self.sample_index
        assert index is not None
        label, predicted = int(found.labels[index]), int(found.predicted[index])
        p = found.probabilities[index]
        right = predicted == label
        choice = self.choice
        mode = (self.t("sample.mistake", k=choice.position + 1, n=len(found.mistakes)) if choice.mistakes_only
                else self.t("sample.all", n=len(found.mistakes)))
        caption = "\n".join([
            f"{self.t('sample.where', n=index + 1, total=f'{found.size:,}')} · {self.t('sample.true', label=label)}",
            f"{self.t('sample.predicted', predicted=predicted, p=f'{p[predicted]:.3f}')}  "
            f"[b]{self.t('sample.right' if right else 'sample.wrong')}[/b]",
            mode,
        ])
        self.query_one("#inspect-sample-caption", Static).update(caption)
        self.query_one("#inspect-digit", DigitImage).set_image(found.images[index])
        marker = self.t("sample.true_marker")
        self.query_one("#inspect-probs", ProbBars).set_rows([
            BarRow(f"{digit} {marker}" if digit == label else f"{digit}", float(p[digit]), f"{p[digit]:.3f}",
                   digit == predicted)
            for digit in range(len(p))
        ])

    def _render_confusion(self) -> None:
        if self.inspection is not None:
            self.query_one(ConfusionMatrix).set_matrix(self.inspection.matrix, self.language, self.test_set)

    def _render_weights(self) -> None:
        if self.inspection is None:
            return
        self.query_one(WeightGallery).set_weights(self.inspection.W1, self.choice.first_unit, self.language)
        colors = "weights.marks" if getattr(self.app, "no_color", False) else "weights.colors"
        self.query_one("#inspect-weights-caption", Static).update(self.t(colors))

    def _render_activations(self) -> None:
        found = self.inspection
        if found is None:
            return
        self.query_one("#inspect-activations-caption", Static).update(
            self.t("activations.caption", activation=found.activation, n=f"{found.size:,}"))
        self.query_one("#inspect-activation-strip", HistogramStrip).set_histograms(found.histograms, self.language)

    def init_histograms(self) -> list[Any]:
        """The init experiment for the chosen activation and initial weights (computed once, then kept)."""
        key = (self.choice.init_activation, self.choice.init_choice)
        if key not in self._init_results:
            self._init_results[key] = init_experiment(*key, seed=0)
        return self._init_results[key]

    def _render_init(self) -> None:
        if self.choice.view != "init":
            return
        activation, init = self.choice.init_activation, self.choice.init_choice
        self.query_one("#inspect-init-caption", Static).update(
            self.t("init.caption") + "\n" + self.t("init.choice", activation=activation, init=self.t(f"init.{init}")))
        self.query_one("#inspect-init-strip", HistogramStrip).set_histograms(self.init_histograms(), self.language)
        self.query_one("#inspect-init-explain", Static).update(self.t(f"explain.{activation}.{init}"))
