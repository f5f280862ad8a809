"""Lesson 3: loss functions (损失函数).

Five sections, switched with n / p: MSE and cross-entropy on the seed
example, the multiclass SVM loss, the softmax classifier with L2
regularisation, why accuracy is not the loss, and mini-batches of MNIST.
Every number comes from `nn_tui.core.functions` and `nn_tui.core.labs.losses`;
this module only lays them out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import ContentSwitcher, Footer, Static
from textual_plotext import PlotextPlot

from nn_tui.assets import MNIST_SUBSET
from nn_tui.core.labs import losses as loss_lab
from nn_tui.core.functions import softmax_loss
from nn_tui.core.data.mnist import MnistData, find_mnist
from nn_tui.tui.i18n import COMMON
from nn_tui.tui.screen import NNScreen
from nn_tui.tui.widgets.number_input import NumberInput
from nn_tui.tui.widgets.prob_bars import BarRow, ProbBars

SECTIONS = ("mass", "svm", "softmax", "accuracy", "batch")
#: How many batch indices are written out; the rest are counted.
SHOWN_INDICES = 20

TEXT = COMMON.extend(
    {
        "title": ("Lesson 3 · Loss functions", "第3课 · 损失函数"),
        "section.mass": ("MSE & CEE", "均方误差与交叉熵误差"),
        "section.svm": ("SVM loss", "SVM 损失"),
        "section.softmax": ("Softmax & L2", "Softmax 与 L2"),
        "section.accuracy": ("Accuracy vs loss", "识别精度与损失"),
        "section.batch": ("Mini-batch", "mini-batch 学习"),
        "key.next_section": ("Section", "小节"),
        "key.previous_section": ("Previous section", "上一节"),
        "key.class_up": ("Class", "类别"),
        "key.class_down": ("Class ↓", "类别 ↓"),
        "key.take": ("Take", "取"),
        "key.give": ("Give", "给"),
        "key.example": ("y1/y2", "y1/y2"),
        "key.reset": ("Reset y", "重置 y"),
        "key.margin": ("Δ 1→3→5", "Δ 1→3→5"),
        "key.edit": ("Edit", "输入"),
        "key.image": ("Next image", "下一张图"),
        "key.weight_left": ("w −0.1", "w −0.1"),
        "key.weight_right": ("w +0.1", "w +0.1"),
        "key.redraw": ("New batch", "重新抽取"),
        "key.leave": ("Leave input", "离开输入框"),
        "help.text": (
            "Lesson 3 shows how a loss function scores a network's output. n / p switch "
            "sections. MSE & CEE: the seed example (the correct digit is 2); ↑↓ pick a class, "
            "+ moves 0.05 of probability to it from the biggest other class, − moves 0.05 "
            "away from it, y switches between y1 and y2. SVM loss: the cs231n scores; m "
            "cycles the margin Δ through 1, 3, 5, e lets you type Δ. Softmax & L2: exp → "
            "normalise → −ln, and why a penalty prefers small spread-out weights; i picks "
            "the image. Accuracy vs loss: ←→ move one weight and watch accuracy jump while "
            "the loss slides. Mini-batch: b draws a new batch with np.random.choice, e sets "
            "the batch size.",
            "第3课展示损失函数如何给网络的输出打分。n / p 切换小节。均方误差与交叉熵误差：笔记中的例子"
            "（正确答案是 2）；↑↓ 选择类别，+ 从其他类别中概率最大的那个移 0.05 给它，− 从它移走 0.05，"
            "y 在 y1 与 y2 之间切换。SVM 损失：cs231n 的得分；m 在 1、3、5 之间切换间隔 Δ，e 可输入 Δ。"
            "Softmax 与 L2：指数 → 归一化 → 取负对数，以及正则化惩罚项为何偏爱小而分散的权重；i 选择图片。"
            "识别精度与损失：←→ 移动一个权重，看识别精度跳变而损失平滑变化。mini-batch 学习：b 用 "
            "np.random.choice 重新抽取一批，e 设置批大小。",
        ),
        # --- 1. MSE and CEE
        "mass.intro": (
            "t = one-hot, correct class [b]2[/b] ✓    y = [b]{example}[/b]{edited}  (the network's output, Σy = 1)",
            "t = one-hot 标签，正确类别 [b]2[/b] ✓    y = [b]{example}[/b]{edited}（网络的输出，Σy = 1）",
        ),
        "mass.edited": (" (changed)", "（已改动）"),
        "mass.head.y": ("class   y", "类别    y"),
        "mass.head.mse": ("½(y−t)²", "½(y−t)²"),
        "mass.head.cee": ("−t·ln(y+δ)", "−t·ln(y+δ)"),
        "mass.sum": ("sum = mean squared error, cross-entropy error", "求和 = 均方误差、交叉熵误差"),
        "mass.exact": (
            "to 10 places: MSE {mse}   CEE {cee}   (δ = 1e-7 inside the log)",
            "精确到10位：均方误差 {mse}   交叉熵误差 {cee}（δ = 1e-7 加在 log 里）",
        ),
        "mass.note": (
            "No δ: −ln(y of class 2) = {plain}. The seed's 2.3025850929940455 for y2 is −ln 0.1 "
            "without δ; the book's code adds δ so that ln 0 = −∞ never happens.",
            "不加 δ：−ln(类别 2 的 y) = {plain}。笔记中 y2 的 2.3025850929940455 是不加 δ 的 −ln 0.1；"
            "书中代码加上 δ，以免出现 ln 0 = −∞。",
        ),
        "mass.moved_in": ("Moved 0.05 from class {source} to class {target}.", "从类别 {source} 移 0.05 到类别 {target}。"),
        "mass.full": ("Class {k} already holds all the probability.", "类别 {k} 已经拥有全部概率。"),
        "mass.empty": ("Class {k} has no probability left to give.", "类别 {k} 已经没有概率可以移走。"),
        "mass.hint": (
            "↑↓ class · + take 0.05 from the biggest other · − give 0.05 to it · y: y1 ↔ y2",
            "↑↓ 选择类别 · + 从概率最大的其他类别取 0.05 · − 把 0.05 给它 · y 切换 y1/y2",
        ),
        # --- 2. SVM
        "svm.formula": (
            "Multiclass SVM loss  Lᵢ = Σ_(j≠yᵢ) max(0, sⱼ − s_yᵢ + Δ)",
            "多类 SVM 损失  Lᵢ = Σ_(j≠yᵢ) max(0, sⱼ − s_yᵢ + Δ)",
        ),
        "svm.margin": ("margin Δ", "间隔 Δ"),
        "svm.scores": ("scores s", "得分 s"),
        "svm.terms": ("max(0, sⱼ − s_yᵢ + Δ)", "max(0, sⱼ − s_yᵢ + Δ)"),
        "svm.image": ("{name} image", "{name}的图片"),
        "svm.loss_row": ("Lᵢ", "Lᵢ"),
        "svm.mean": (
            "data loss L = ({terms}) / 3 = [b]{mean}[/b]",
            "数据损失 L = ({terms}) / 3 = [b]{mean}[/b]",
        ),
        "svm.explain": (
            "Δ is how far the correct score must beat every other score before the loss is 0 "
            "(the seed: 1, or try 3, 5). — marks the correct class, which is skipped.",
            "Δ 表示正确类别的得分至少要比其他类别高多少，损失才为 0（笔记用 1，也可以试 3、5）。"
            "— 表示正确类别，不计入求和。",
        ),
        "svm.margin_set": ("Δ = {margin}", "Δ = {margin}"),
        "svm.hint": ("m: Δ 1 → 3 → 5 · e: type Δ (≥ 0), Enter to accept", "m：Δ 1 → 3 → 5 · e：输入 Δ（≥ 0），回车确认"),
        "class.cat": ("cat", "猫"),
        "class.car": ("car", "汽车"),
        "class.frog": ("frog", "青蛙"),
        # --- 3. softmax and L2
        "soft.title": (
            "Softmax classifier on the {name} image: exp → normalise → −ln",
            "Softmax 分类器，{name}的图片：指数 → 归一化 → 取负对数",
        ),
        "soft.head": ("class      s      exp(s)    p = exp/Σ", "类别       s      exp(s)    p = exp/Σ"),
        "soft.loss": (
            "Lᵢ = −ln p_{name} = −ln {p} = [b]{loss}[/b]",
            "Lᵢ = −ln p_{name} = −ln {p} = [b]{loss}[/b]",
        ),
        "soft.log10": (
            "The seed writes {log10} here: that is −log₁₀ {p}. The loss uses the natural log, ln.",
            "笔记此处写作 {log10}：那是 −log₁₀ {p}。损失函数用的是自然对数 ln。",
        ),
        "l2.title": (
            "L2 regularisation (正则化惩罚项)  R(W) = Σ W²   with x = {x}",
            "L2 正则化惩罚项  R(W) = Σ W²，输入 x = {x}",
        ),
        "l2.row": ("{name} = {w:<28} w·x = {score}   R(W) = [b]{penalty}[/b]", "{name} = {w:<28} w·x = {score}   R(W) = [b]{penalty}[/b]"),
        "l2.explain": (
            "Same scores, so the same data loss. The penalty prefers w2, which uses every input "
            "instead of one: loss = data loss + λ·R(W).",
            "得分相同，所以数据损失相同。惩罚项偏爱 w2：它利用了全部输入，而不是只看一个。"
            "损失 = 数据损失 + λ·R(W)。",
        ),
        "soft.hint": ("i: next image (cat, car, frog)", "i：下一张图（猫、汽车、青蛙）"),
        # --- 4. accuracy vs loss
        "acc.intro": (
            "12 points, 2 classes. Class 1 scores w·x₁ + x₂, class 0 scores 0; softmax + cross-entropy.",
            "12 个点、2 个类别。类别 1 的得分为 w·x₁ + x₂，类别 0 的得分为 0；softmax + 交叉熵误差。",
        ),
        "acc.plot_accuracy": ("accuracy", "识别精度"),
        "acc.plot_loss": ("loss (cross-entropy)", "损失（交叉熵误差）"),
        "acc.now": (
            "w = [b]{w}[/b]   accuracy [b]{acc}[/b] ({correct}/{total})   loss [b]{loss}[/b]",
            "w = [b]{w}[/b]   识别精度 [b]{acc}[/b]（{correct}/{total}）   损失 [b]{loss}[/b]",
        ),
        "acc.slopes": (
            "slope here: accuracy {acc_slope} (no hint which way to move w) · loss [b]{loss_slope}[/b]",
            "此处斜率：识别精度 {acc_slope}（看不出 w 该往哪边走）· 损失 [b]{loss_slope}[/b]",
        ),
        "acc.edge": ("w stays between −3 and 3.", "w 只能在 −3 到 3 之间。"),
        "acc.hint": (
            "←→ move w by 0.1. Accuracy jumps in steps; the loss changes smoothly, so its slope guides learning.",
            "←→ 每次把 w 移动 0.1。识别精度跳跃式变化；损失平滑变化，它的斜率才能指导学习。",
        ),
        # --- 5. mini-batch
        "batch.loading": ("Loading the MNIST training set…", "正在载入 MNIST 训练数据…"),
        "batch.failed": ("Could not load MNIST: {error}", "无法载入 MNIST：{error}"),
        "batch.subset": ("offline subset: {train} train / {test} test", "离线子集：训练 {train} / 测试 {test}"),
        "batch.full": ("MNIST: {train} train / {test} test", "MNIST：训练 {train} / 测试 {test}"),
        "batch.data": ("data: [b]{name}[/b] · seed {seed} · draw {draw}", "数据：[b]{name}[/b] · 种子 {seed} · 第 {draw} 次抽取"),
        "batch.code": (
            "batch_mask = np.random.choice({train_size}, {batch_size})",
            "batch_mask = np.random.choice({train_size}, {batch_size})",
        ),
        "batch.size": ("batch size", "批大小"),
        "batch.index": ("index", "索引"),
        "batch.label": ("label", "标签"),
        "batch.more": ("… and {n} more", "… 另有 {n} 个"),
        "batch.model": (
            "model (fixed): nearest class mean, W = each digit's mean image; softmax + CEE",
            "模型（固定）：最近类均值，W = 每个数字的平均图像；softmax + 交叉熵误差",
        ),
        "batch.losses": (
            "batch loss [b]{batch}[/b]   full-set loss [b]{full}[/b] (all {n} digits)\n"
            "mean of the {draws} batch losses so far [b]{mean}[/b]",
            "批损失 [b]{batch}[/b]   全体损失 [b]{full}[/b]（全部 {n} 个数字）\n"
            "目前 {draws} 次批损失的平均 [b]{mean}[/b]",
        ),
        "batch.plot": ("batch losses (•) and the full-set loss (line)", "每批的损失（•）与全体数据的损失（线）"),
        "batch.hint": (
            "b: new batch · e: batch size. A batch loss estimates the full-set loss.",
            "b：重新抽取 · e：批大小。批损失是全体损失的近似。",
        ),
        "batch.size_refused": (
            "A batch of {n} is not possible: choose 1 to {high}.",
            "批大小 {n} 不可用：请在 1 到 {high} 之间选择。",
        ),
        "batch.size_set": ("Batch size {n}: a new batch was drawn.", "批大小 {n}：已重新抽取。"),
    }
)

HINT_KEYS = {"mass": "mass.hint", "svm": "svm.hint", "softmax": "soft.hint", "accuracy": "acc.hint", "batch": "batch.hint"}

#: Which section each lesson key works in (keys not listed work everywhere).
SECTION_OF_ACTION = {
    "select_class": "mass",
    "take": "mass",
    "give": "mass",
    "example": "mass",
    "reset": "mass",
    "margin": "svm",
    "image": "softmax",
    "weight": "accuracy",
    "redraw": "batch",
}


def fixed(value: float, places: int) -> str:
    """`value` to `places` decimals, with no '-0.000' for a value that rounds to zero."""
    text = f"{value:.{places}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def term_text(value: float) -> str:
    """A loss term; an exact 0 (t_k = 0, or y_k = t_k) is written 0 so it reads as 'no part in the sum'."""
    return "0" if value == 0 else fixed(value, 4)


def short(value: float) -> str:
    """A margin or weight as a student would write it: 1, 2.5, -0.3."""
    return f"{value:g}"


class LossesScreen(NNScreen):
    TEXT = TEXT
    CSS_PATH = "screen.tcss"
    AUTO_FOCUS = ""  # keys drive the lesson; an input is focused only on `e`

    BINDINGS = [
        Binding("n", "section(1)", "Section", id="next_section"),
        Binding("p", "section(-1)", "Previous section", id="previous_section", show=False),
        Binding("up", "select_class(-1)", "Class", id="class_up", key_display="↑↓"),
        Binding("down", "select_class(1)", "Class ↓", id="class_down", show=False),
        Binding("plus,equals_sign", "take", "Take", id="take", key_display="+"),
        Binding("minus", "give", "Give", id="give", key_display="−"),
        Binding("y", "example", "y1/y2", id="example", show=False),
        Binding("r", "reset", "Reset y", id="reset", show=False),
        Binding("m", "margin", "Δ 1→3→5", id="margin"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("i", "image", "Next image", id="image"),
        Binding("left", "weight(-1)", "w −0.1", id="weight_left", key_display="←"),
        Binding("right", "weight(1)", "w +0.1", id="weight_right", key_display="→"),
        Binding("b", "redraw", "New batch", id="redraw"),
        Binding("escape", "leave", "Leave input", id="leave", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.section = "mass"
        self.mass = loss_lab.MassLab()
        self.margin = 1.0
        self.image = 0  # which cs231n image the softmax chain is shown for
        self.weight = loss_lab.WeightLab()
        self.sweep = loss_lab.weight_sweep(points=301)  # steps of 0.02: fine enough to see every jump
        self.minibatch: loss_lab.MiniBatchLab | None = None
        self.batch_error: str | None = None
        self.batch_size = 10
        self.messages: dict[str, str] = {}
        self.composed = False  # True while the widgets exist to draw into

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        with ContentSwitcher(initial=self.section, id="sections"):
            with Vertical(id="mass"):
                yield Static(id="mass-intro")
                with Grid(id="mass-grid"):
                    yield Static(self.t("mass.head.y"), classes="head")
                    yield Static(self.t("mass.head.mse"), classes="head num")
                    yield Static(self.t("mass.head.cee"), classes="head num")
                    yield ProbBars(id="mass-bars")
                    yield Static(id="mse-terms", classes="num")
                    yield Static(id="cee-terms", classes="num")
                    yield Static(self.t("mass.sum"), id="mass-sum")
                    yield Static(id="mse-total", classes="num total")
                    yield Static(id="cee-total", classes="num total")
                yield Static(id="mass-exact", classes="dim")
                yield Static(id="mass-note", classes="dim")
                yield Static(id="mass-hint", classes="hint")
            with Vertical(id="svm"):
                with Horizontal(id="svm-top"):
                    yield Static(self.t("svm.formula"), id="svm-formula")
                    yield Static(self.t("svm.margin"), id="margin-label")
                    yield NumberInput(self.margin, field=self.t("svm.margin"), low=0, high=1000, id="margin-input")
                yield Static(id="svm-table")
                yield Static(id="svm-mean")
                yield Static(self.t("svm.explain"), id="svm-explain", classes="dim")
                yield Static(id="svm-hint", classes="hint")
            with Vertical(id="softmax"):
                yield Static(id="soft-title")
                yield Static(id="soft-table")
                yield Static(id="soft-loss")
                yield Static(id="soft-log10", classes="dim")
                yield Static(id="l2-title")
                yield Static(id="l2-rows")
                yield Static(self.t("l2.explain"), id="l2-explain", classes="dim")
                yield Static(id="soft-hint", classes="hint")
            with Vertical(id="accuracy"):
                yield Static(self.t("acc.intro"), id="acc-intro")
                with Horizontal(id="acc-plots"):
                    yield PlotextPlot(id="acc-plot")
                    yield PlotextPlot(id="loss-plot")
                yield Static(id="acc-now")
                yield Static(id="acc-slopes")
                yield Static(id="acc-hint", classes="hint")
            with Vertical(id="batch"):
                yield Static(id="batch-data")
                with Horizontal(id="batch-top"):
                    yield Static(id="batch-code")
                    yield Static(self.t("batch.size"), id="batch-size-label")
                    yield NumberInput(self.batch_size, field=self.t("batch.size"), low=1, high=60000, integer=True, id="batch-size-input")
                yield Static(id="batch-indices")
                yield Static(self.t("batch.model"), id="batch-model", classes="dim")
                yield Static(id="batch-losses")
                yield PlotextPlot(id="batch-plot")
                yield Static(id="batch-hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.composed = True
        self.show_all()

    async def language_changed(self, language: str) -> None:
        # Keys and the MNIST worker may arrive while the widgets are being rebuilt:
        # they change the state only, and show_all below draws it.
        self.composed = False
        try:
            await self.recompose()
        finally:
            self.composed = True
        self.show_all()

    def show(self, part: str) -> None:
        """Redraw one part (a section, or the title) from the state, if the widgets are there."""
        if self.composed:
            getattr(self, f"show_{part}")()

    # --- rendering from the core objects ----------------------------------------------

    def show_all(self) -> None:
        self.query_one(ContentSwitcher).current = self.section
        self.show_title()
        self.show_mass()
        self.show_svm()
        self.show_softmax()
        self.show_accuracy()
        self.show_batch()

    def set(self, selector: str, content: str | Text) -> None:
        self.query_one(selector, Static).update(content)

    def hint(self, section: str) -> str:
        """The section's last message if there is one, else its key hint."""
        return self.messages.get(section) or self.t(HINT_KEYS[section])

    def show_title(self) -> None:
        title = Text()
        title.append(self.t("title"), style="bold")
        title.append("   ")
        full = title.copy()
        for name in SECTIONS:
            full.append(f" {self.t(f'section.{name}')} ", style="bold reverse" if name == self.section else "dim")
            full.append(" ")
        if full.cell_len <= self.size.width - 2:
            self.set("#title", full)
            return
        # Too narrow for every name: the current section, its number, and the key to move on.
        number = SECTIONS.index(self.section) + 1
        title.append(f" {number}/{len(SECTIONS)} {self.t(f'section.{self.section}')} ", style="bold reverse")
        title.append("  n/p ›", style="dim")
        self.set("#title", title)

    def on_resize(self) -> None:
        self.show("title")

    def show_mass(self) -> None:
        lab = self.mass
        example = f"y{lab.example}"
        edited = "" if list(lab.y) == list(loss_lab.SEED_Y1 if lab.example == 1 else loss_lab.SEED_Y2) else self.t("mass.edited")
        self.set("#mass-intro", self.t("mass.intro", example=example, edited=edited))
        rows = []
        for k, (y, t) in enumerate(zip(lab.y, lab.t)):
            cursor = "▶" if k == lab.selected else " "
            mark = "✓" if t == 1 else " "
            rows.append(BarRow(f"{cursor} {k} {mark}", float(y), f"{y:.2f}", highlight=k == lab.selected))
        self.query_one("#mass-bars", ProbBars).set_rows(rows)
        self.set("#mse-terms", "\n".join(term_text(v) for v in lab.squared_terms))
        self.set("#cee-terms", "\n".join(term_text(v) for v in lab.cross_entropy_terms))
        self.set("#mse-total", Text(fixed(lab.mse, 4), style="bold"))
        self.set("#cee-total", Text(fixed(lab.cee, 4), style="bold"))
        self.set("#mass-exact", self.t("mass.exact", mse=fixed(lab.mse, 10), cee=fixed(lab.cee, 10)))
        plain = lab.cee_without_delta
        self.set("#mass-note", self.t("mass.note", plain="∞" if math.isinf(plain) else fixed(plain, 10)))
        self.set("#mass-hint", self.hint("mass"))

    def class_name(self, index: int) -> str:
        return self.t(f"class.{loss_lab.CS231N_CLASSES[index]}")

    def show_svm(self) -> None:
        example = loss_lab.svm_example(self.margin)
        names = [self.class_name(k) for k in range(len(loss_lab.CS231N_CLASSES))]
        head_width = max(12, max(len(self.t("svm.terms")), len(self.t("svm.scores"))) + 1)
        column = 12
        table = Text()
        table.append(" " * head_width)
        for name in names:
            label = self.t("svm.image", name=name)
            table.append(label.rjust(column // 2 + 3 - _wide(label)).ljust(column - _wide(label)), style="bold")
        table.append("\n")
        table.append(self.t("svm.scores") + "\n", style="italic")
        for k, name in enumerate(names):
            table.append(f"  {name}".ljust(head_width - _wide(name)))
            for image in range(len(names)):
                table.append(_cell(f"{example.scores[k, image]:.1f}", column))
            table.append("\n")
        table.append(self.t("svm.terms") + "\n", style="italic")
        for k, name in enumerate(names):
            table.append(f"  {name}".ljust(head_width - _wide(name)))
            for image, label in enumerate(loss_lab.CS231N_LABELS):
                table.append(_cell("—" if k == label else f"{example.terms[k, image]:.1f}", column))
            table.append("\n")
        table.append(f"  {self.t('svm.loss_row')}".ljust(head_width), style="bold")
        for image in range(len(names)):
            table.append(_cell(f"{example.losses[image]:.1f}", column), style="bold")
        self.set("#svm-table", table)
        terms = " + ".join(f"{v:.1f}" for v in example.losses)
        self.set("#svm-mean", self.t("svm.mean", terms=terms, mean=f"{example.mean:.2f}"))
        self.query_one("#margin-input", NumberInput).set_number(self.margin)
        self.set("#svm-hint", self.hint("svm"))

    def show_softmax(self) -> None:
        scores = [row[self.image] for row in loss_lab.CS231N_SCORES]
        label = loss_lab.CS231N_LABELS[self.image]
        chain = softmax_loss(scores, label)
        name = self.class_name(label)
        self.set("#soft-title", self.t("soft.title", name=name))
        table = Text(self.t("soft.head") + "\n", style="bold")
        for k in range(len(scores)):
            mark = "✓" if k == label else " "
            cls = f"{self.class_name(k)} {mark}"
            row = f"{cls:<{9 - _wide(cls)}}{chain.scores[k]:>6.1f}  {_exp_text(chain.exp[k]):>10}  {chain.probabilities[k]:>9.2f}"
            table.append(row + "\n", style="bold" if k == label else "")
        table.rstrip()
        self.set("#soft-table", table)
        p = chain.probabilities[label]
        self.set("#soft-loss", self.t("soft.loss", name=name, p=f"{p:.2f}", loss=f"{chain.loss:.2f}"))
        # The seed rounds p to 0.13 before its log10; a p that rounds to 0.00
        # (the frog image) keeps its digits, since log10(0) is not a number.
        p_rounded = round(p, 2) or p
        self.set("#soft-log10", self.t("soft.log10", log10=f"{loss_lab.minus_log10(p_rounded):.2f}", p=f"{p_rounded:.2g}"))
        l2 = loss_lab.l2_example()
        self.set("#l2-title", self.t("l2.title", x=_vector(l2.x)))
        rows = [
            self.t("l2.row", name=f"w{i + 1}", w=_vector(w), score=f"{s:.1f}", penalty=f"{r:.2f}")
            for i, (w, s, r) in enumerate(zip(l2.weights, l2.scores, l2.penalties))
        ]
        self.set("#l2-rows", "\n".join(rows))
        self.set("#soft-hint", self.hint("softmax"))

    def show_accuracy(self) -> None:
        now = self.weight.evaluation
        self.set(
            "#acc-now",
            self.t(
                "acc.now", w=f"{now.weight:.1f}", acc=f"{now.accuracy:.0%}", correct=now.correct,
                total=now.total, loss=fixed(now.loss, 4),
            ),
        )
        self.set(
            "#acc-slopes",
            self.t("acc.slopes", acc_slope=term_text(self.weight.accuracy_slope), loss_slope=fixed(self.weight.loss_slope, 4)),
        )
        for plot_id, values, title, y_now in (
            ("#acc-plot", self.sweep.accuracy, self.t("acc.plot_accuracy"), now.accuracy),
            ("#loss-plot", self.sweep.loss, self.t("acc.plot_loss"), now.loss),
        ):
            plot = self.query_one(plot_id, PlotextPlot)
            plt = plot.plt
            plt.clear_data()
            plt.clear_figure()
            plt.title(title)
            plt.plot(self.sweep.weights.tolist(), values.tolist(), marker="braille")
            plt.vline(now.weight, "red")
            plt.scatter([now.weight], [y_now], marker="●", color="red")
            plt.xlim(loss_lab.WEIGHT_LOW, loss_lab.WEIGHT_HIGH)
            plt.xlabel("w")
            if plot_id == "#acc-plot":
                plt.ylim(0, 1)
            else:
                plt.ylim(0, float(values.max()) * 1.05)
            plot.refresh()
        self.set("#acc-hint", self.hint("accuracy"))

    def show_batch(self) -> None:
        lab = self.minibatch
        if lab is None:
            waiting = self.t("batch.failed", error=self.batch_error) if self.batch_error else self.t("batch.loading")
            self.set("#batch-data", waiting)
            for selector in ("#batch-code", "#batch-indices", "#batch-losses"):
                self.set(selector, "")
            self.set("#batch-hint", self.hint("batch"))
            return
        name = self.t(
            "batch.subset" if lab.data.source == "subset" else "batch.full",
            train=f"{lab.data.train_size:,}", test=f"{lab.data.test_size:,}",
        )
        self.set("#batch-data", self.t("batch.data", name=name, seed=lab.seed, draw=len(lab.batch_losses)))
        self.set("#batch-code", self.t("batch.code", train_size=lab.train_size, batch_size=lab.batch_size))
        size_input = self.query_one("#batch-size-input", NumberInput)
        size_input.high = lab.train_size
        size_input.set_number(lab.batch_size)
        self.set("#batch-indices", self.index_table(lab))
        self.set(
            "#batch-losses",
            self.t(
                "batch.losses", batch=fixed(lab.batch_loss, 4), full=fixed(lab.full_loss, 4),
                n=f"{lab.train_size:,}", draws=len(lab.batch_losses), mean=fixed(lab.mean_batch_loss, 4),
            ),
        )
        plot = self.query_one("#batch-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(self.t("batch.plot"))
        draws = list(range(1, len(lab.batch_losses) + 1))
        right = max(10, len(draws) + 1)
        # A braille line, not hline: it has four dots per row, so it sits at the right height.
        plt.plot([0, right], [lab.full_loss, lab.full_loss], marker="braille", color="red")
        plt.scatter(draws, lab.batch_losses, marker="•")
        plt.xlim(0, right)
        plt.ylim(0, max(max(lab.batch_losses), lab.full_loss) * 1.3)
        plot.refresh()
        self.set("#batch-hint", self.hint("batch"))

    def index_table(self, lab: loss_lab.MiniBatchLab) -> Text:
        shown = lab.indices[:SHOWN_INDICES]
        per_line = 10
        index_label, label_label = self.t("batch.index"), self.t("batch.label")
        width = max(_wide(index_label) + len(index_label), _wide(label_label) + len(label_label)) + 1
        text = Text()
        for start in range(0, len(shown), per_line):
            part = range(start, min(start + per_line, len(shown)))
            text.append(index_label.ljust(width - _wide(index_label)), style="dim")
            text.append("".join(f"{int(lab.indices[i]):>6}" for i in part) + "\n")
            text.append(label_label.ljust(width - _wide(label_label)), style="dim")
            text.append("".join(f"{int(lab.labels[i]):>6}" for i in part) + "\n", style="bold")
        if len(lab.indices) > SHOWN_INDICES:
            text.append(self.t("batch.more", n=len(lab.indices) - SHOWN_INDICES), style="dim")
        text.rstrip()
        return text

    # --- keys ------------------------------------------------------------------------

    def action_allowed(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        section = SECTION_OF_ACTION.get(action)
        if section is not None:
            return section == self.section
        if action == "edit":
            return self.section in ("svm", "batch")
        return True

    def say(self, section: str, message: str) -> None:
        """Show a message in the section's hint line (until the next key)."""
        self.messages[section] = message

    def action_section(self, step: int) -> None:
        self.messages.clear()
        self.section = SECTIONS[(SECTIONS.index(self.section) + step) % len(SECTIONS)]
        if self.composed:
            self.query_one(ContentSwitcher).current = self.section
            self.show_title()
        if self.section == "batch" and self.minibatch is None and self.batch_error is None:
            self.load_batch()
        self.refresh_bindings()

    def action_select_class(self, step: int) -> None:
        self.messages.clear()
        self.mass.select((self.mass.selected + step) % self.mass.y.size)
        self.show("mass")

    def action_take(self) -> None:
        self.messages.clear()
        try:
            source = self.mass.take()
        except ValueError:
            self.say("mass", self.t("mass.full", k=self.mass.selected))
        else:
            self.say("mass", self.t("mass.moved_in", source=source, target=self.mass.selected))
        self.show("mass")

    def action_give(self) -> None:
        self.messages.clear()
        try:
            target = self.mass.give()
        except ValueError:
            self.say("mass", self.t("mass.empty", k=self.mass.selected))
        else:
            self.say("mass", self.t("mass.moved_in", source=self.mass.selected, target=target))
        self.show("mass")

    def action_example(self) -> None:
        self.messages.clear()
        self.mass.load(2 if self.mass.example == 1 else 1)
        self.show("mass")

    def action_reset(self) -> None:
        self.messages.clear()
        self.mass.load(self.mass.example)
        self.show("mass")

    def action_margin(self) -> None:
        self.messages.clear()
        self.set_margin(loss_lab.next_margin(self.margin))

    def set_margin(self, margin: float) -> None:
        self.margin = float(margin)
        self.say("svm", self.t("svm.margin_set", margin=short(self.margin)))
        self.show("svm")

    def action_edit(self) -> None:
        if not self.composed:
            return
        selector = "#margin-input" if self.section == "svm" else "#batch-size-input"
        self.query_one(selector, NumberInput).focus()

    def action_leave(self) -> None:
        self.set_focus(None)

    def action_image(self) -> None:
        self.image = (self.image + 1) % len(loss_lab.CS231N_LABELS)
        self.show("softmax")

    def action_weight(self, step: int) -> None:
        self.messages.clear()
        try:
            self.weight.step(step)
        except ValueError:
            self.say("accuracy", self.t("acc.edge"))
        self.show("accuracy")

    def action_redraw(self) -> None:
        if self.minibatch is None:
            return
        self.messages.clear()
        self.minibatch.draw()
        self.show("batch")

    @on(NumberInput.Accepted, "#margin-input")
    def margin_typed(self, event: NumberInput.Accepted) -> None:
        self.set_margin(event.value)
        self.set_focus(None)

    @on(NumberInput.Accepted, "#batch-size-input")
    def batch_size_typed(self, event: NumberInput.Accepted) -> None:
        size = int(event.value)
        if self.minibatch is None:
            self.batch_size = size
            return
        try:
            self.minibatch.set_batch_size(size)
        except ValueError:
            # Not reachable through the input (its bounds are the set's size); kept so no traceback shows.
            event.input.set_number(self.minibatch.batch_size)
            self.say("batch", self.t("batch.size_refused", n=size, high=self.minibatch.train_size))
        else:
            self.batch_size = size
            self.say("batch", self.t("batch.size_set", n=size))
        self.show("batch")
        self.set_focus(None)

    @on(NumberInput.Refused)
    def typed_number_refused(self, event: NumberInput.Refused) -> None:
        self.set_focus(None)

    # --- MNIST in the background ----------------------------------------------------------

    @work(thread=True, exclusive=True, group="mnist")
    def load_batch(self) -> None:
        try:
            lab = loss_lab.MiniBatchLab(self.load_data(), batch_size=self.batch_size)
        except (OSError, ValueError) as error:  # MnistError is a ValueError
            self.deliver(self.batch_failed, str(error))
        else:
            self.deliver(self.batch_ready, lab)

    def deliver(self, callback: Callable[[Any], None], value: object) -> None:
        try:
            self.app.call_from_thread(callback, value)
        except RuntimeError:
            pass  # the app was closed while MNIST loaded: there is no screen left to show it

    def load_data(self) -> MnistData:
        """The MNIST the app uses (the shipped subset unless a full set is installed)."""
        return find_mnist(MNIST_SUBSET)

    def batch_ready(self, lab: loss_lab.MiniBatchLab) -> None:
        self.minibatch = lab
        self.show("batch")

    def batch_failed(self, error: str) -> None:
        self.batch_error = error
        self.show("batch")


def _wide(text: str) -> int:
    """How many extra cells `text` takes beyond its length (CJK characters are two wide)."""
    return cell_len(text) - len(text)


def _cell(text: str, column: int) -> str:
    """A number right-aligned a little left of the column's middle, so signs and points line up."""
    return text.rjust(column // 2 + 3).ljust(column)


def _exp_text(value: float) -> str:
    """exp(s) as the seed writes it: 24.5, 164.0, 0.18."""
    if math.isinf(value):
        return "∞"
    return f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def _vector(values: Iterable[float]) -> str:
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


SCREEN = LossesScreen
