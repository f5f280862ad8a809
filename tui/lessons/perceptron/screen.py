"""Lesson 1: the perceptron and logic gates (感知机).

a, b   toggle the inputs x1 and x2
g      next gate: AND, NAND, OR, XOR, custom (t flips the wanted output of a row)
[ ]    nudge the selected weight (w picks w1, w2 or b) by 0.1; Tab to type one
n      one step of the perceptron learning rule (the plane keeps the last lines faintly)
u      undo the last learning step
v      XOR as two layers: AND(NAND, OR)
r      back to the gate's starting weights

Its state document: the lab's (gate, wanted outputs, weights, inputs, seed,
learning steps) plus the selected weight and whether two layers are shown.

Every number comes from `nn_tui.core.labs.perceptron` (on top of
`nn_tui.core.gates`); this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from nn_tui.core.gates import AND, NAND, OR
from nn_tui.core.labs.perceptron import (
    GATES,
    NUDGE,
    PLANE_RANGE,
    WEIGHT_LIMIT,
    WEIGHT_NAMES,
    PerceptronLab,
    format_sum,
    format_weight,
)
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields
from nn_tui.tui.lesson_screen import LessonScreen
from nn_tui.tui.lessons.perceptron.text import TEXT
from nn_tui.tui.widgets.gate_plane import GatePlane, PlanePoint, PlaneView
from nn_tui.tui.widgets.key_footer import KeyFooter
from nn_tui.tui.widgets.number_input import NumberInput
from nn_tui.tui.widgets.readout import Readout

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


class PerceptronScreen(LessonScreen):
    TEXT = TEXT
    CSS_PATH = "screen.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    # The 80-column footer shows the lesson's main keys first: editing the weights
    # (w, [ ]) and the wanted outputs (t) is the point of the lesson. To fit, one
    # entry stands for a/b and one for [ ], and r, u, h (Home) and l (language)
    # are left out of the footer here; ? (help) still lists every key.
    BINDINGS = [
        Binding("a", "toggle_x1", "x1/x2", key_display="a/b", id="toggle_x1"),
        Binding("b", "toggle_x2", "x2", show=False, id="toggle_x2"),
        Binding("g", "gate(1)", "Gate", id="next_gate"),
        Binding("G", "gate(-1)", "Previous gate", show=False, id="previous_gate"),
        Binding("w", "select_weight", "Pick", id="select_weight"),
        Binding("left_square_bracket,minus", "nudge(-1)", "±0.1", key_display="[ ]", id="nudge_down"),
        Binding(
            "right_square_bracket,plus,equals_sign", "nudge(1)", "+0.1", key_display="]", show=False, id="nudge_up"
        ),
        Binding("t", "flip_target", "Flip", id="flip_target"),
        Binding("n", "learn", "Learn", id="learn"),
        Binding("u", "undo", "Undo a step", show=False, id="undo"),
        Binding("v", "two_layer", "XOR", id="two_layer"),
        Binding("r", "reset", "Reset", show=False, id="reset"),
        # The app's own keys, kept working but not shown in this lesson's footer.
        Binding("h", "app.home", "Home", show=False, id="home"),
        Binding("l", "app.switch_language", "中文", show=False, id="language"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lab = PerceptronLab()
        self.selected = "w1"
        self.two_layer = False

    # --- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Readout(id="p-title")
        with Horizontal(id="p-single"):
            with Vertical(id="p-left"):
                yield GatePlane(id="p-plane")
                yield Readout(id="p-legend")
            with Vertical(id="p-right"):
                with Horizontal(id="p-weights"):
                    for name in WEIGHT_NAMES:
                        field = NumberInput(
                            self.lab.weight(name), field=name, low=-WEIGHT_LIMIT, high=WEIGHT_LIMIT, id=name
                        )
                        field.border_title = name
                        yield field
                yield Readout(id="p-formula")
                yield Readout(id="p-table")
        with Horizontal(id="p-two"):
            with Vertical(id="p-two-left"):
                yield Readout(id="p-diagram")
                with Horizontal(id="p-two-bottom"):
                    yield Readout(id="p-xor-table")
                    yield Readout(id="p-xor-weights")
            # Only on wide terminals: the strip between the NAND and OR lines.
            yield GatePlane(id="p-two-plane")
        yield Readout(id="p-learn")
        yield KeyFooter(compact=True)

    # --- the state document ----------------------------------------------------

    def state(self) -> dict[str, object]:
        return {**self.lab.to_state(), "selected": self.selected, "two_layer": self.two_layer}

    def restore(self, state: Mapping[str, object]) -> None:
        fields = Fields(state)
        lab = PerceptronLab.from_state(fields)
        selected = fields.choice("selected", WEIGHT_NAMES)
        two_layer = fields.flag("two_layer")
        if two_layer and lab.gate != "XOR":
            # The two-layer view is XOR built from NAND, OR and AND (v selects XOR).
            raise Refusal("perceptron.two_layer_not_xor", gate=self.gate_name(lab.gate))
        self.lab, self.selected, self.two_layer = lab, selected, two_layer

    # --- rendering from the lab ----------------------------------------------

    def refresh_view(self) -> None:
        """Re-render every widget from `self.lab`, the single source of truth.

        Both views are drawn, the hidden one too: v only swaps which one is on.
        """
        self.query_one("#p-single").display = not self.two_layer
        self.query_one("#p-two").display = self.two_layer
        self.query_one("#p-title", Static).update(self._title())
        for name in WEIGHT_NAMES:
            field = self.query_one(f"#{name}", NumberInput)
            field.set_number(self.lab.weight(name))
            field.border_title = f"▸ {name} ◂" if name == self.selected else name
            field.set_class(name == self.selected, "-selected")
        self.query_one("#p-plane", GatePlane).show(self._plane())
        self.query_one("#p-legend", Static).update(self.t("legend.points") + "\n" + self._line_legend())
        self.query_one("#p-formula", Static).update(self._formula())
        self.query_one("#p-table", Static).update(self._table())
        self.query_one("#p-diagram", Static).update(self._diagram())
        self.query_one("#p-xor-table", Static).update(self._xor_table())
        self.query_one("#p-xor-weights", Static).update(self._xor_weights())
        self.query_one("#p-two-plane", GatePlane).show(self._xor_plane())
        self.query_one("#p-learn", Static).update(self.t("two.note") if self.two_layer else self._learning())

    def gate_name(self, gate: str) -> str:
        return self.t(f"gate.{gate}")

    def _title(self) -> Text:
        text = Text.assemble((self.t("title"), "bold"), "   ", f"{self.t('gate')} (g): ")
        for gate in GATES:
            name = self.gate_name(gate)
            text.append(f" {name} ", "bold reverse" if gate == self.lab.gate else "dim")
        return text

    def _line_legend(self) -> str:
        """What the line on the plane is: the formula, or why it is not there, or its trail."""
        lab = self.lab
        if not lab.has_line:
            return self.t("legend.no_line")
        if not lab.line_in_plot:
            return self.t("legend.outside")
        if lab.trail():
            return self.t("legend.trail", n=len(lab.trail()))
        return self.t("legend.regions")

    def _plane(self) -> PlaneView:
        lab = self.lab
        points = tuple(PlanePoint(r.x1, r.x2, r.target, r.current, not r.correct) for r in lab.rows())
        segment = lab.perceptron.decision_line().segment(PLANE_RANGE, PLANE_RANGE)
        trail = (p.decision_line().segment(PLANE_RANGE, PLANE_RANGE) for p in lab.trail())
        return PlaneView(
            lab.regions,
            points,
            () if segment is None else (segment,),
            x_range=PLANE_RANGE,
            y_range=PLANE_RANGE,
            trail=tuple(s for s in trail if s is not None),
        )

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
        self.refresh_view()

    def action_toggle_x2(self) -> None:
        self.lab.toggle_x2()
        self.refresh_view()

    def action_gate(self, step: int) -> None:
        self.lab.next_gate(step)
        self.two_layer = False
        self.refresh_view()

    def action_select_weight(self) -> None:
        self.selected = WEIGHT_NAMES[(WEIGHT_NAMES.index(self.selected) + 1) % len(WEIGHT_NAMES)]
        self.refresh_view()

    def action_nudge(self, direction: int) -> None:
        if self.two_layer:
            self.refuse("nudge.two_layer")
            return
        try:
            self.lab.nudge(self.selected, direction * NUDGE)
        except Refusal as refusal:  # past ±WEIGHT_LIMIT: the weight stays
            self.refuse(refusal)
            return
        self.refresh_view()

    def action_flip_target(self) -> None:
        self.lab.flip_target()
        self.two_layer = False
        self.refresh_view()

    def action_learn(self) -> None:
        self.lab.learn_step()
        self.two_layer = False
        self.refresh_view()

    def action_undo(self) -> None:
        try:
            self.lab.undo_step()
        except Refusal as refusal:  # no learning step to undo
            self.refuse(refusal)
            return
        self.two_layer = False
        self.refresh_view()

    def action_two_layer(self) -> None:
        if not self.two_layer and self.lab.gate != "XOR":
            self.lab.select_gate("XOR")
        self.two_layer = not self.two_layer
        self.refresh_view()

    def action_reset(self) -> None:
        self.lab.reset()
        self.refresh_view()

    def on_number_input_accepted(self, event: NumberInput.Accepted) -> None:
        # The field hands the keys back to the lesson itself after Enter.
        name = event.input.id
        if name in WEIGHT_NAMES:
            try:
                self.lab.set_weight(name, event.value)
            except Refusal as refusal:
                self.refuse(refusal)
            else:
                self.selected = name
            self.refresh_view()


SCREEN = PerceptronScreen
