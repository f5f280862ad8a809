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
Esc         close the open panel

Every number comes from `nn_tui.core.labs.backprop` (a graph of
`nn_tui.core.graph` and the stepper over it); this module only lays them out
(`graph_view`) and puts them into words (`explain`, `text`).
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.geometry import Region
from textual.widgets import Input, Label, Static
from textual.widgets.option_list import Option

from nn_tui.core.graph.check import GradientCheck, gradient_check
from nn_tui.core.graph.engine import Graph, Node
from nn_tui.core.graph.expression import ExpressionError
from nn_tui.core.graph.presets import PRESETS
from nn_tui.core.graph.stepper import BACKWARD, DONE, FORWARD, GraphStepper
from nn_tui.core.labs.backprop import INPUT_LIMIT, BackpropLab
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields
from nn_tui.tui.lesson_screen import LessonScreen
from nn_tui.tui.lessons.backprop.explain import check_report, check_summary, explanation, panel_number
from nn_tui.tui.lessons.backprop.graph_view import GraphView
from nn_tui.tui.lessons.backprop.text import TEXT
from nn_tui.tui.textual_private import OptionList
from nn_tui.tui.widgets.key_footer import KeyFooter
from nn_tui.tui.widgets.number_input import NumberInput
from nn_tui.tui.widgets.readout import Readout

#: The panels that open under the explanation ("" for none).
PANELS = ("", "inputs", "presets", "expression")


class InputRow(Horizontal):
    """One number field per input the student can type, `#in-<name>`."""

    def __init__(self, inputs: list[tuple[str, float]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.inputs = inputs

    def compose(self) -> ComposeResult:
        for name, value in self.inputs:
            yield Label(f"{name} =")
            yield NumberInput(value, field=name, low=-INPUT_LIMIT, high=INPUT_LIMIT, id=f"in-{name}")

    def is_for(self, inputs: list[tuple[str, float]]) -> bool:
        return [name for name, _ in inputs] == [name for name, _ in self.inputs]

    async def rebuild(self, inputs: list[tuple[str, float]]) -> None:
        """Fields for the inputs of another graph."""
        self.inputs = inputs
        await self.recompose()

    def show(self, inputs: list[tuple[str, float]]) -> None:
        """Show the inputs' values; fields for another graph's inputs are built after this refresh."""
        if not self.is_for(inputs):
            self.inputs = inputs
            self.refresh(recompose=True)
            return
        self.inputs = inputs
        for field, (_, value) in zip(self.query(NumberInput), inputs):
            if field.number != value:  # not the field being typed in: its number is the graph's already
                field.set_number(value)


class BackpropScreen(LessonScreen):
    TEXT = TEXT
    CSS_PATH = "screen.tcss"

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
        # The base's Esc (leave the field), shown as "Close" while a panel is open: it closes the panel too.
        Binding("escape", "leave_field", "Close", key_display="Esc", id="leave_field"),
        # A wide graph pans by a column of nodes, not by a few terminal columns.
        Binding("shift+left", "scroll_graph(-1)", "Scroll graph left", show=False, id="scroll_left"),
        Binding("shift+right", "scroll_graph(1)", "Scroll graph right", show=False, id="scroll_right"),
        Binding("shift+up", "scroll_panel(-3)", "Scroll text up", show=False, id="scroll_up"),
        Binding("shift+down", "scroll_panel(3)", "Scroll text down", show=False, id="scroll_down"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lab = BackpropLab()
        self.panel = ""  # one of PANELS
        self.check_requested = False  # c shows the gradient check before both passes are done
        self.notice: tuple[str, dict[str, object]] | None = None  # the message line: a catalogue key
        self.expr_text = ""  # the formula last typed, kept when the panel closes
        self.expr_error: ExpressionError | None = None
        self._check: GradientCheck | Refusal | None = None  # the check of the graph as it is

    @property
    def stepper(self) -> GraphStepper:
        return self.lab.stepper

    @property
    def graph(self) -> Graph:
        return self.lab.graph

    def typed_inputs(self) -> list[tuple[str, float]]:
        return [(n.name, n.value) for n in self.lab.scalar_inputs()]

    # -- widgets ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="bp-titlebar"):
            yield Readout(id="bp-title")
            yield Readout(id="bp-phase")
        with ScrollableContainer(id="bp-graph-box", can_focus=False):
            yield Readout(Text(self.t("legend"), style="dim"), id="bp-legend")
            yield GraphView(id="bp-graph")
        yield Readout(id="bp-message")
        with VerticalScroll(id="bp-panel", can_focus=False):
            yield Readout(id="bp-step")
            yield Readout(id="bp-check")
        with Vertical(id="bp-inputs", classes="bp-drawer"):
            yield Readout(self.t("inputs.title"), classes="bp-drawer-title")
            yield Readout(self.t("inputs.none"), id="bp-inputs-none")
            yield InputRow(self.typed_inputs(), id="bp-input-row")
        with Vertical(id="bp-presets", classes="bp-drawer"):
            yield Readout(self.t("presets.title"), classes="bp-drawer-title")
            yield OptionList(*(Option(self.t(f"preset.{name}"), id=name) for name in PRESETS), id="bp-preset-list")
        with Vertical(id="bp-expression", classes="bp-drawer"):
            yield Readout(self.t("expr.title"), classes="bp-drawer-title")
            yield Input(self.expr_text, placeholder="(x + y) * z", id="bp-expr-input")
            yield Readout(id="bp-expr-error")
        yield KeyFooter()

    def widgets_built(self) -> None:
        super().widgets_built()
        self.focus_panel()  # after a language switch, the open panel's field again

    # -- drawing ----------------------------------------------------------------------------
    def graph_title(self) -> str:
        return self.lab.expression or self.t(f"preset.{self.lab.preset}")

    def refresh_view(self) -> None:
        s = self.stepper
        record = s.current
        view = self.query_one(GraphView)
        if view.graph is not self.graph:
            view.set_graph(self.graph)
        view.show(record.node if record else None, backward=record is not None and record.phase == BACKWARD)
        ops = len(self.graph.ops)
        phase = self.t(f"phase.{s.phase}", done=s.step_in_phase, total=ops)
        title = Text(f"{self.t('title')} · {self.graph_title()}", style="bold", no_wrap=True, overflow="ellipsis")
        self.query_one("#bp-title", Static).update(title)
        self.query_one("#bp-phase", Static).update(
            Text(f" ▸ {phase} ", style="bold reverse" if s.phase != DONE else "bold"))
        self.query_one("#bp-step", Static).update(explanation(s, self.t))
        self.show_check_and_message()
        self.show_panels()
        if record is not None:
            self.call_after_refresh(self.scroll_to_node, record.node)
        elif s.next_node is not None:
            self.call_after_refresh(self.scroll_to_node, s.next_node)

    def show_check_and_message(self) -> None:
        """The gradient check (on request, and always once both passes are done) and the message line."""
        check_widget = self.query_one("#bp-check", Static)
        summary, failed = "", False
        if self.check_requested or self.stepper.phase == DONE:
            if self._check is None:
                self._check = self.run_check()
            if isinstance(self._check, Refusal):
                summary, failed = self.t("check.failed", error=self.refusal_text(self._check)), True
                check_widget.update(Text(summary, style="bold red"))
            else:
                summary = check_summary(self._check, self.t)
                failed = bool(self._check.inputs) and not self._check.agrees
                check_widget.update(check_report(self._check, self.t))
            check_widget.display = True
        else:
            check_widget.update("")
            check_widget.display = False
        message = self.query_one("#bp-message", Static)
        if self.notice is not None:
            key, values = self.notice
            message.update(Text(self.t(key, title=self.graph_title(), **values), style="bold"))
        elif summary:
            message.update(Text(summary, style="bold red" if failed else "bold"))
        else:
            message.update(Text(self.t("hint"), style="dim"))

    def show_panels(self) -> None:
        for panel in PANELS[1:]:
            self.query_one(f"#bp-{panel}").display = self.panel == panel
        inputs = self.typed_inputs()
        self.query_one("#bp-inputs-none").display = not inputs
        self.query_one(InputRow).show(inputs)
        error = self.query_one("#bp-expr-error", Static)
        if self.expr_error is None:
            error.update("")
            return
        position = self.expr_error.position
        # the formula again, with ^ under the problem: lines up whatever the Input's styling
        text = Text()
        text.append(self.expr_text + "\n", style="bold")
        text.append(" " * position + "^ ", style="bold red")
        text.append(self.t("expr.error", column=position, message=self.refusal_text(self.expr_error)),
                    style="bold red")
        error.update(text)

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

    def run_check(self) -> GradientCheck | Refusal:
        try:
            return gradient_check(self.graph)
        except Refusal as refusal:  # e.g. 1/x at x = 0: no pass can finish
            return refusal

    # -- refusals ---------------------------------------------------------------------------
    def wording(self, refusal: Refusal) -> tuple[str, dict[str, object]]:
        """The catalogue key and values for a core refusal: "1 node left", a token found or the end."""
        code, values = refusal.code, dict(refusal.values)
        if values.get("left") == 1 and f"{code}.one" in self.TEXT:
            code = f"{code}.one"
        if "found" in values:
            found = values["found"]
            values["found"] = self.t("expr.ended") if found is None else self.t("expr.found", token=found)
        return code, values

    def refusal_text(self, refusal: Refusal) -> str:
        code, values = self.wording(refusal)
        return self.t(code, **values) if code in self.TEXT else self.t("refusal.other", code=code)

    def refuse(self, reason: str | Refusal, **values: object) -> None:
        if isinstance(reason, Refusal):
            reason, values = self.wording(reason)
        super().refuse(reason, **values)

    # -- the state document ----------------------------------------------------------------
    def state(self) -> dict[str, object]:
        """The graph (preset or formula), its inputs, the step, the open panel, the check on request."""
        return {**self.lab.to_state(), "panel": self.panel, "check": self.check_requested}

    def restore(self, state: Mapping[str, object]) -> None:
        fields = Fields(state)
        lab = BackpropLab.from_state(fields)
        panel = fields.choice("panel", PANELS)
        check = fields.flag("check")
        # all of it was valid: only now does the lesson change
        self.lab, self.panel, self.check_requested = lab, panel, check
        self._check, self.notice, self.expr_error = None, None, None
        self.expr_text = lab.expression
        for field in self.query("#bp-expr-input").results(Input):
            field.value = lab.expression
        self.refresh_bindings()
        self.call_after_refresh(self.focus_panel)

    # -- keys -------------------------------------------------------------------------------
    def action_allowed(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a panel is open its field has the keys; Esc closes it.
        if action == "leave_field":
            return bool(self.panel)
        if self.panel:
            return action in ("scroll_graph", "scroll_panel")
        return True

    def move(self, step) -> None:  # noqa: ANN001 - one of the stepper's moves
        try:
            step()
        except Refusal as refusal:
            self.refuse(refusal)  # a run may have taken steps before the refused one: they are drawn
        else:
            self.notice = None
            self.check_requested = False
        self.refresh_view()

    def action_step(self) -> None:
        self.move(self.stepper.step)

    def action_back(self) -> None:
        self.move(self.stepper.step_back)

    def action_backward(self) -> None:
        self.move(self.stepper.step_backward)

    def action_run(self) -> None:
        s = self.stepper
        self.move(s.run_forward if s.phase == FORWARD else s.run_backward if s.phase == BACKWARD else s.run_to_end)

    def action_reset(self) -> None:
        self.stepper.reset()
        self.check_requested = False
        self.notice = ("ok.reset", {})
        self.refresh_view()

    def action_check(self) -> None:
        self.check_requested = True
        self.notice = None
        self.refresh_view()

    def action_scroll_graph(self, direction: int) -> None:
        """Shift+→ / Shift+←: the next / previous column of nodes comes to the left edge of the view."""
        box = self.query_one("#bp-graph-box", ScrollableContainer)
        view = self.query_one(GraphView)
        if view.graph is None:
            return
        boxes = view.current_layout().boxes.values()
        left = view.virtual_region.x + 1  # the view's left padding
        # where each column of nodes starts (its leftmost box), one cell of margin before it
        starts = sorted({min(b.x for b in boxes if b.column == c) + left - 1 for c in {b.column for b in boxes}})
        now = int(box.scroll_x)
        if direction > 0:
            target = next((x for x in starts if x > now), box.max_scroll_x)
        else:
            target = next((x for x in reversed(starts) if x < now), 0)
        box.scroll_to(x=min(max(target, 0), box.max_scroll_x), animate=False)

    def on_resize(self) -> None:
        """A smaller terminal keeps the node of the step in view (not while the widgets are rebuilt)."""
        if self.query(GraphView):
            node = self.stepper.current.node if self.stepper.current else self.stepper.next_node
            if node is not None:
                self.call_after_refresh(self.scroll_to_node, node)

    def action_scroll_panel(self, dy: int) -> None:
        self.query_one("#bp-panel", VerticalScroll).scroll_relative(y=dy, animate=False)

    # -- panels -------------------------------------------------------------------------------
    def open_panel(self, panel: str) -> None:
        self.panel = panel
        self.refresh_view()
        self.refresh_bindings()  # the footer lists the keys of the open panel
        self.focus_panel()

    def focus_panel(self) -> None:
        """Focus the open panel's first field (a graph's list: the graph on the table)."""
        if self.panel == "inputs":
            fields = self.query(NumberInput)
            if fields:
                fields.first().focus()
        elif self.panel == "presets":
            options = self.query_one("#bp-preset-list", OptionList)
            options.highlighted = list(PRESETS).index(self.lab.preset)
            options.focus()
        elif self.panel == "expression":
            self.query_one("#bp-expr-input", Input).focus()

    def action_presets(self) -> None:
        self.open_panel("presets")

    async def action_edit(self) -> None:
        row = self.query_one(InputRow)
        if not row.is_for(self.typed_inputs()):
            await row.rebuild(self.typed_inputs())
        self.open_panel("inputs")

    def action_expression(self) -> None:
        self.expr_error = None
        self.open_panel("expression")

    def action_leave_field(self) -> None:
        """Esc: leave the field as the base does (its text put back), and close the panel."""
        super().action_leave_field()
        if self.panel:
            self.open_panel("")

    def new_graph(self, notice: tuple[str, dict[str, object]]) -> None:
        self._check = None
        self.check_requested = False
        self.notice = notice
        self.open_panel("")
        self.query_one("#bp-graph-box", ScrollableContainer).scroll_home(animate=False)

    @on(NumberInput.Accepted)
    def input_typed(self, event: NumberInput.Accepted) -> None:
        name = (event.input.id or "").removeprefix("in-")
        if self.panel != "inputs":  # a field of a closed panel: what the graph holds is shown again
            self.refresh_view()
            return
        steps = self.stepper.steps_done
        try:
            stopped = self.lab.set_input(name, event.value)
        except Refusal as refusal:
            self.refuse(refusal)
            self.refresh_view()
            return
        self.query_one(GraphView).set_graph(self.graph)  # new values: labels laid out again
        self._check = None
        self.check_requested = False
        if stopped is not None:  # the value is kept; the steps stop where the arithmetic does
            self.notice = None
            self.refuse(stopped)
        else:
            self.notice = ("inputs.changed", {"name": name, "value": panel_number(event.value), "steps": steps})
        self.refresh_view()

    @on(OptionList.OptionSelected, "#bp-preset-list")
    def preset_picked(self, event: OptionList.OptionSelected) -> None:
        if self.panel != "presets":
            return
        self.lab.pick_preset(event.option.id)
        self.new_graph(("ok.graph", {}))

    @on(Input.Submitted, "#bp-expr-input")
    def expression_typed(self, event: Input.Submitted) -> None:
        if self.panel != "expression":
            return
        self.expr_text = event.value
        try:
            self.lab.use_expression(event.value)
        except ExpressionError as err:
            self.expr_error = err  # shown under the formula, with ^ at its column
            self.refresh_view()
            self.call_after_refresh(event.input.focus)  # the field stays, to put the formula right
            return
        self.expr_error = None
        self.new_graph(("expr.built", {"text": self.lab.expression}))


SCREEN = BackpropScreen
