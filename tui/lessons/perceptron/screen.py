"""Lesson 1: the perceptron and logic gates (感知机).

a, b   toggle the inputs x1 and x2
g      next gate: AND, NAND, OR, XOR, custom (t flips the wanted output of a row)
[ ]    nudge the selected weight (w picks w1, w2 or b) by 0.1; Tab to type one
n      one step of the perceptron learning rule
v      XOR as two layers: AND(NAND, OR)
r      back to the gate's starting weights

Every number comes from `nn_tui.core.labs.perceptron` (on top of
`nn_tui.core.gates`); this module only lays them out.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from nn_tui.core.gates import AND, NAND, OR
from nn_tui.core.labs.perceptron import (
    GATES,
    NUDGE,
    WEIGHT_LIMIT,
    WEIGHT_NAMES,
    PerceptronLab,
    format_sum,
    format_weight,
)
from nn_tui.tui.i18n import COMMON
from nn_tui.tui.screen import NNScreen
from nn_tui.tui.widgets.gate_plane import GatePlane, PlanePoint, PlaneView
from nn_tui.tui.widgets.number_input import NumberInput

TEXT = COMMON.extend(
    {
        "title": ("Lesson 1 · Perceptron", "第1课 · 感知机"),
        "gate": ("gate", "门"),
        "gate.AND": ("AND", "与门"),
        "gate.NAND": ("NAND", "与非门"),
        "gate.OR": ("OR", "或门"),
        "gate.XOR": ("XOR", "异或门"),
        "gate.custom": ("custom", "自定义"),
        "threshold": ("threshold θ = -b = {theta}", "阈值 θ = -b = {theta}"),
        "legend.points": ("○ want 0   × want 1   · y = 1", "○ 目标 0   × 目标 1   · 输出 1"),
        "legend.regions": ("⠤ x1·w1 + x2·w2 + b = 0", "⠤ 直线 x1·w1 + x2·w2 + b = 0"),
        "table.title": ("Truth table", "真值表"),
        "table.sum": ("sum", "加权和"),
        "table.want": ("want", "目标"),
        "table.all_right": ("all 4 right", "4 行全对"),
        "table.wrong": ("{n} wrong ✗", "{n} 行错误 ✗"),
        "table.no_line": (
            "No line separates these: v shows two layers.",
            "没有直线能分开它们：按 v 看两层感知机。",
        ),
        "learn.idle": (
            "n: learn with the perceptron rule  w ← w + η(t − y)·x,  b ← b + η(t − y),  η = {lr}, "
            "one sample per press, from random weights (seed {seed}).",
            "n：用感知机学习规则学习  w ← w + η(t − y)·x，b ← b + η(t − y)，学习率 η = {lr}，"
            "每按一次学一个样本，从随机权重开始（种子 {seed}）。",
        ),
        "learn.idle_edited": (
            "n: learn with the perceptron rule  w ← w + η(t − y)·x,  b ← b + η(t − y),  η = {lr}, "
            "one sample per press, from the weights shown.",
            "n：用感知机学习规则学习  w ← w + η(t − y)·x，b ← b + η(t − y)，学习率 η = {lr}，"
            "每按一次学一个样本，从当前权重开始。",
        ),
        "learn.step": (
            "Step {step} · sample ({x1}, {x2}): sum {sum} → y = {y}, target t = {t}",
            "第 {step} 步 · 样本 ({x1}, {x2})：加权和 {sum} → y = {y}，目标 t = {t}",
        ),
        "learn.right": (": right, no change", "：正确，不更新"),
        "learn.wrong": (": wrong, t − y = {error}, update", "：错误，t − y = {error}，更新权重"),
        "learn.converged": (
            "Converged after {epochs} epochs ({steps} steps): 4 samples in a row with no error.",
            "经过 {epochs} 轮（{steps} 步）收敛：连续 4 个样本都没有错误。",
        ),
        "learn.running": ("Not converged yet (epoch {epoch}).", "尚未收敛（第 {epoch} 轮）。"),
        "learn.never": (
            "{gate} is not linearly separable: the rule will never converge.",
            "{gate}不是线性可分的：学习规则永远不会收敛。",
        ),
        "learn.this_gate": ("This gate", "这个门"),
        "two.title": ("XOR with two layers of perceptrons", "用两层感知机实现异或门"),
        "two.weights": ("weights (w1, w2, b)", "权重 (w1, w2, b)"),
        "two.note": (
            "Layer 1 draws two lines (NAND, OR); layer 2 (AND) keeps the strip between them. "
            "a, b change the inputs; v goes back to one perceptron.",
            "第一层画出两条直线（与非门、或门），第二层（与门）取两条线之间的区域。"
            "a、b 切换输入；v 回到单个感知机。",
        ),
        "nudge.two_layer": (
            "The weights are edited in the one-perceptron view: press v.",
            "权重在单个感知机视图中修改：请按 v。",
        ),
        "nudge.limit": ("{name} stays between -{limit} and {limit}.", "{name} 只能在 -{limit} 到 {limit} 之间。"),
        "key.toggle_x1": ("x1/x2", "x1/x2"),
        "key.toggle_x2": ("x2", "x2"),
        "key.next_gate": ("Gate", "换门"),
        "key.previous_gate": ("Previous gate", "上一个门"),
        "key.select_weight": ("Pick w1/w2/b", "选择 w1/w2/b"),
        "key.nudge_down": ("−0.1", "−0.1"),
        "key.nudge_up": ("+0.1", "+0.1"),
        "key.flip_target": ("Flip wanted output", "翻转目标输出"),
        "key.learn": ("Learn", "学习"),
        "key.two_layer": ("XOR", "异或"),
        "key.reset": ("Reset", "重置"),
        "key.leave": ("Leave input", "离开输入框"),
        # Help text is shown as Textual markup: "\\[" is a literal "[".
        "help.text": (
            "A perceptron outputs y = 1 when x1·w1 + x2·w2 + b > 0, else 0 (θ = -b is the threshold). "
            "a and b toggle the inputs; g picks AND, NAND, OR, XOR or a custom gate (t flips the wanted "
            "output of the current row). The plane shows the four inputs as ○ (want 0) and × (want 1), "
            "the line x1·w1 + x2·w2 + b = 0 and the region where y = 1 (dotted). \\[ and ] change a weight "
            "by 0.1 (w picks which); or Tab to it, type a number, Enter. n applies the perceptron learning "
            "rule to one sample; AND, NAND and OR converge, XOR never does: v shows XOR built from two "
            "layers. r resets.",
            "感知机在 x1·w1 + x2·w2 + b > 0 时输出 y = 1，否则输出 0（θ = -b 是阈值）。"
            "a、b 切换输入；g 选择与门、与非门、或门、异或门或自定义门（t 翻转当前行的目标输出）。"
            "平面上四个输入点画成 ○（目标 0）和 ×（目标 1），还有直线 x1·w1 + x2·w2 + b = 0 "
            "以及 y = 1 的区域（点状）。\\[ 和 ] 把权重调整 0.1（w 选择哪一个）；"
            "或按 Tab 进入输入框，输入数字后按 Enter。"
            "n 对一个样本应用一次感知机学习规则；与门、与非门、或门会收敛，异或门永远不会："
            "v 展示用两层感知机实现异或门。r 重置。",
        ),
    }
)

# The two-layer XOR diagram; {x1} ... {y} are filled with the current values.
XOR_DIAGRAM = (
    " {x1} ──┬──────────▶ ┌──────┐",
    "          │       ┌──▶ │ NAND │──▶ {s1} ──┐",
    "          │       │    └──────┘             │    ┌─────┐",
    "          │       │                         ├──▶ │ AND │──▶ {y}",
    "          │       │    ┌──────┐             │    └─────┘",
    "          └───────┼──▶ │  OR  │──▶ {s2} ──┘",
    " {x2} ──────────┴──▶ └──────┘",
)


def _pad(text: str, width: int) -> str:
    """`text` right-aligned in `width` terminal cells (a Chinese character takes two)."""
    return " " * max(0, width - cell_len(text)) + text


def _value(name: str, value: float | int) -> Text:
    return Text.assemble(f"{name} = ", (str(value), "bold"))


def _term(x: int, w: float) -> str:
    text = format_weight(w)
    return f"{x}·({text})" if text.startswith("-") else f"{x}·{text}"


class PerceptronScreen(NNScreen):
    TEXT = TEXT
    CSS_PATH = "screen.tcss"
    # Keys drive the lesson; the weight inputs take focus only on Tab.
    AUTO_FOCUS = ""
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS = [
        # One footer entry for both inputs: the footer must fit 80 columns.
        Binding("a", "toggle_x1", "x1/x2", key_display="a/b", id="toggle_x1"),
        Binding("b", "toggle_x2", "x2", show=False, id="toggle_x2"),
        Binding("g", "gate(1)", "Gate", id="next_gate"),
        Binding("G", "gate(-1)", "Previous gate", show=False, id="previous_gate"),
        Binding("w", "select_weight", "Pick w1/w2/b", show=False, id="select_weight"),
        Binding("left_square_bracket,minus", "nudge(-1)", "−0.1", key_display="[", show=False, id="nudge_down"),
        Binding(
            "right_square_bracket,plus,equals_sign", "nudge(1)", "+0.1", key_display="]", show=False, id="nudge_up"
        ),
        Binding("t", "flip_target", "Flip wanted output", show=False, id="flip_target"),
        Binding("n", "learn", "Learn", id="learn"),
        Binding("v", "two_layer", "XOR", id="two_layer"),
        Binding("r", "reset", "Reset", id="reset"),
        Binding("escape", "leave_input", "Leave input", show=False, id="leave"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lab = PerceptronLab()
        self.selected = "w1"
        self.two_layer = False

    # --- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="p-title")
        with Horizontal(id="p-single"):
            with Vertical(id="p-left"):
                yield GatePlane(id="p-plane")
                yield Static(id="p-legend")
            with Vertical(id="p-right"):
                with Horizontal(id="p-weights"):
                    for name in WEIGHT_NAMES:
                        field = NumberInput(
                            self.lab.weight(name), field=name, low=-WEIGHT_LIMIT, high=WEIGHT_LIMIT, id=name
                        )
                        field.border_title = name
                        yield field
                yield Static(id="p-formula")
                yield Static(id="p-table")
        with Horizontal(id="p-two"):
            with Vertical(id="p-two-left"):
                yield Static(id="p-diagram")
                with Horizontal(id="p-two-bottom"):
                    yield Static(id="p-xor-table")
                    yield Static(id="p-xor-weights")
            # Only on wide terminals: the strip between the NAND and OR lines.
            yield GatePlane(id="p-two-plane")
        yield Static(id="p-learn")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.show_state()

    async def language_changed(self, language: str) -> None:
        await self.recompose()
        self.show_state()

    # --- rendering from the lab ----------------------------------------------

    def show_state(self) -> None:
        """Re-render every widget from `self.lab`, the single source of truth."""
        self.query_one("#p-single").display = not self.two_layer
        self.query_one("#p-two").display = self.two_layer
        self.query_one("#p-title", Static).update(self._title())
        if self.two_layer:
            self.query_one("#p-diagram", Static).update(self._diagram())
            self.query_one("#p-xor-table", Static).update(self._xor_table())
            self.query_one("#p-xor-weights", Static).update(self._xor_weights())
            self.query_one("#p-two-plane", GatePlane).show(self._xor_plane())
            self.query_one("#p-learn", Static).update(self.t("two.note"))
            return
        for name in WEIGHT_NAMES:
            field = self.query_one(f"#{name}", NumberInput)
            field.set_number(self.lab.weight(name))
            field.border_title = f"▸ {name} ◂" if name == self.selected else name
            field.set_class(name == self.selected, "-selected")
        self.query_one("#p-plane", GatePlane).show(self._plane())
        self.query_one("#p-legend", Static).update(self.t("legend.points") + "\n" + self.t("legend.regions"))
        self.query_one("#p-formula", Static).update(self._formula())
        self.query_one("#p-table", Static).update(self._table())
        self.query_one("#p-learn", Static).update(self._learning())

    def gate_name(self, gate: str) -> str:
        return self.t(f"gate.{gate}")

    def _title(self) -> Text:
        text = Text.assemble((self.t("title"), "bold"), "   ", f"{self.t('gate')} (g): ")
        for gate in GATES:
            name = self.gate_name(gate)
            text.append(f" {name} ", "bold reverse" if gate == self.lab.gate else "dim")
        return text

    def _plane(self) -> PlaneView:
        lab = self.lab
        points = tuple(PlanePoint(r.x1, r.x2, r.target, r.current, not r.correct) for r in lab.rows())
        segment = lab.perceptron.decision_line().segment()
        return PlaneView(lab.regions, points, () if segment is None else (segment,))

    def _xor_plane(self) -> PlaneView:
        lab = self.lab
        current = lab.row_index
        points = tuple(PlanePoint(r.x1, r.x2, r.y, i == current) for i, r in enumerate(lab.xor_table()))
        lines = tuple(s for s in (NAND.decision_line().segment(), OR.decision_line().segment()) if s)
        return PlaneView(lab.xor_regions, points, lines)

    def _formula(self) -> Text:
        lab = self.lab
        w1, w2, b = lab.weights
        total = format_sum(lab.weighted_sum, lab.weights)
        relation = ">" if lab.output else "≤"
        text = Text.assemble(_value("x1", lab.x1), "    ", _value("x2", lab.x2), "\n")
        text.append("x1·w1 + x2·w2 + b\n")
        text.append(f"  = {_term(lab.x1, w1)} + {_term(lab.x2, w2)} + {_term(1, b)[2:]}\n")
        text.append("  = ")
        text.append(total, "bold")
        text.append(f" {relation} 0  →  ")
        text.append(f"y = {lab.output}", "bold reverse")
        text.append("\n")
        text.append(self.t("threshold", theta=format_weight(lab.theta)))
        text.append(f"\n  x1·w1 + x2·w2 = {format_sum(lab.input_sum, lab.weights)} {relation} θ")
        return text

    def _table(self) -> Text:
        lab = self.lab
        sum_head, want_head = _pad(self.t("table.sum"), 7), self.t("table.want")
        want_width = max(4, cell_len(want_head))
        text = Text(self.t("table.title") + f" · {self.gate_name(lab.gate)} · ", style="bold")
        if lab.solved:
            text.append(self.t("table.all_right"), "green")
        else:
            text.append(self.t("table.wrong", n=lab.wrong_rows), "bold red")
        text.append("\n")
        text.append(f"  x1 x2 │ {sum_head} │ y │ {want_head}\n", style="dim")
        for row in lab.rows():
            line = Text(f"  {row.x1:>2} {row.x2:>2} │ {format_sum(row.weighted_sum, lab.weights):>7} │ ")
            line.append(str(row.y), "bold")
            line.append(f" │ {row.target:^{want_width}} ")
            line.append("✓" if row.correct else "✗", "green" if row.correct else "bold red")
            if row.current:
                line.stylize("reverse")
                line = Text("▶") + line[1:]
            text.append(line)
            text.append("\n")
        if not lab.separable:
            text.append(self.t("table.no_line"), "bold")
        text.rstrip()
        return text

    def _learning(self) -> Text:
        lab = self.lab
        step = lab.last_step
        if step is None:
            key = "learn.idle" if lab.starts_from_random else "learn.idle_edited"
            return Text(self.t(key, lr=format_weight(lab.lr), seed=lab.seed))
        text = Text(
            self.t(
                "learn.step",
                step=step.step,
                x1=step.sample[0],
                x2=step.sample[1],
                sum=format_sum(step.weighted_sum, (step.old.w1, step.old.w2, step.old.b)),
                y=step.prediction,
                t=step.target,
            )
        )
        if step.changed:
            text.append(self.t("learn.wrong", error=f"{step.error:+d}"), "bold red")
        else:
            text.append(self.t("learn.right"), "green")
        text.append("\n")
        for name in WEIGHT_NAMES:
            old, new = format_weight(getattr(step.old, name)), format_weight(getattr(step.new, name))
            text.append(f"{name} {old} → ")
            text.append(new, "bold" if old != new else "")
            text.append("    ")
        text.append("\n")
        if not lab.separable:
            gate = self.gate_name("XOR") if lab.gate == "XOR" else self.t("learn.this_gate")
            text.append(self.t("learn.never", gate=gate), "bold red")
        elif lab.converged_epochs is not None:
            text.append(self.t("learn.converged", epochs=lab.converged_epochs, steps=lab.converged_at), "bold green")
        else:
            text.append(self.t("learn.running", epoch=lab.current_epoch))
        return text

    def _diagram(self) -> Text:
        r = self.lab.xor_now()
        values = {"x1": int(r.x1), "x2": int(r.x2), "s1": r.s1, "s2": r.s2, "y": r.y}
        text = Text(self.t("two.title") + "\n", style="bold", no_wrap=True, overflow="crop")
        text.append("y = AND(s1, s2),  s1 = NAND(x1, x2),  s2 = OR(x1, x2)\n\n")
        for template in XOR_DIAGRAM:
            line = Text()
            rest = template
            while "{" in rest:
                before, _, after = rest.partition("{")
                name, _, rest = after.partition("}")
                line.append(before)
                line.append(f"{name} = ")
                line.append(str(values[name]), "bold reverse")
            line.append(rest)
            text.append(line)
            text.append("\n")
        return text

    def _xor_table(self) -> Text:
        text = Text("  x1 x2 │ s1 s2 │ y\n", style="dim")
        current = self.lab.row_index
        for i, r in enumerate(self.lab.xor_table()):
            line = Text(f"  {int(r.x1):>2} {int(r.x2):>2} │ {r.s1:>2} {r.s2:>2} │ ")
            line.append(str(r.y), "bold")
            if i == current:
                line.stylize("reverse")
                line = Text("▶") + line[1:]
            text.append(line)
            text.append("\n")
        return text

    def _xor_weights(self) -> Text:
        text = Text(self.t("two.weights") + "\n", style="dim")
        for name, p in (("NAND", NAND), ("OR", OR), ("AND", AND)):
            weights = ", ".join(format_weight(w) for w in (p.w1, p.w2, p.b))
            text.append(f"{_pad(self.gate_name(name), 6)}  ({weights})\n")
        return text

    # --- actions -------------------------------------------------------------

    def action_toggle_x1(self) -> None:
        self.lab.toggle_x1()
        self.show_state()

    def action_toggle_x2(self) -> None:
        self.lab.toggle_x2()
        self.show_state()

    def action_gate(self, step: int) -> None:
        self.lab.next_gate(step)
        self.two_layer = False
        self.show_state()

    def action_select_weight(self) -> None:
        self.selected = WEIGHT_NAMES[(WEIGHT_NAMES.index(self.selected) + 1) % len(WEIGHT_NAMES)]
        self.show_state()

    def action_nudge(self, direction: int) -> None:
        if self.two_layer:
            self.notify(self.t("nudge.two_layer"), severity="warning")
            return
        delta = direction * NUDGE
        if not self.lab.can_nudge(self.selected, delta):
            self.notify(self.t("nudge.limit", name=self.selected, limit=f"{WEIGHT_LIMIT:g}"), severity="warning")
            return
        self.lab.nudge(self.selected, delta)
        self.show_state()

    def action_flip_target(self) -> None:
        self.lab.flip_target()
        self.two_layer = False
        self.show_state()

    def action_learn(self) -> None:
        self.lab.learn_step()
        self.two_layer = False
        self.show_state()

    def action_two_layer(self) -> None:
        if not self.two_layer and self.lab.gate != "XOR":
            self.lab.select_gate("XOR")
        self.two_layer = not self.two_layer
        self.show_state()

    def action_reset(self) -> None:
        self.lab.reset()
        self.show_state()

    def action_leave_input(self) -> None:
        self.set_focus(None)

    def on_number_input_accepted(self, event: NumberInput.Accepted) -> None:
        name = event.input.id
        if name in WEIGHT_NAMES:
            self.lab.set_weight(name, event.value)
            self.selected = name
            if event.input.has_focus:
                self.set_focus(None)
            self.show_state()


SCREEN = PerceptronScreen
