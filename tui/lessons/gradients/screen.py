"""Lesson 4: derivatives and gradients, in four sections.

d  forward vs central difference, the error against h, and f with its tangent
p  partial derivatives of x0² + x1² at a point you move, over the gradient field
g  gradient descent from (−3, 4), one step per key, with a learning rate you pick
o  SGD, Momentum, AdaGrad and Adam racing on x²/20 + y²

The lesson's state is a `GradientLab` (`nn_tui.core.labs.gradients`); every
number comes from there and this module only lays it out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import ContentSwitcher, Label, Static

from nn_tui.core.labs.gradients import (
    DESCENT_VIEW,
    FIELD_LIMIT,
    H_RANGE,
    LR_PRESETS,
    LR_RANGE,
    RACE_LR_RANGE,
    RACE_NAMES,
    X_LIMIT,
    GradientLab,
    circle,
    ellipse,
    float32_of,
)
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields
from nn_tui.tui.lesson_screen import LessonScreen, Section
from nn_tui.tui.lessons.gradients.text import TEXT
from nn_tui.tui.widgets.chart import Chart, Series, vline
from nn_tui.tui.widgets.key_footer import KeyFooter
from nn_tui.tui.widgets.number_input import NumberInput, format_number
from nn_tui.tui.widgets.readout import Readout
from nn_tui.tui.widgets.section_bar import SectionBar

# The finer arrow field (every 0.25) when the terminal has room for it (columns and rows it needs).
FINE_FIELD_SIZE = (36 + 2 + 5 + 66 + 2, 33 + 1 + 4)
FORWARD_COLOR = "blue"
CENTRAL_COLOR = "green"
# Marker and colour of each racer: the marker tells them apart without colour (NO_COLOR).
RACE_STYLES = MappingProxyType(
    {"SGD": ("•", "red"), "Momentum": ("+", "cyan"), "AdaGrad": ("x", "yellow"), "Adam": ("o", "magenta")}
)
# Which keys act in which section (the footer shows only these).
SECTION_ACTIONS = MappingProxyType(
    {
        "difference": frozenset({"next_x", "next_function", "smaller", "larger", "edit"}),
        "partials": frozenset({"move", "edit"}),
        "descent": frozenset({"step", "reset", "preset", "edit"}),
        "race": frozenset({"step", "reset", "edit"}),
    }
)
SECTION_ONLY = frozenset().union(*SECTION_ACTIONS.values())
# The field `e` focuses in each section.
FIRST_FIELD = MappingProxyType(
    {"difference": "#diff-x", "partials": "#point-x0", "descent": "#descent-lr", "race": "#race-lr-sgd"}
)
# The widget ids of each racer's panel, and the racer each η field belongs to.
RACE_KEYS = MappingProxyType({name: name.lower() for name in RACE_NAMES})
RACE_FIELDS = MappingProxyType({f"race-lr-{key}": name for name, key in RACE_KEYS.items()})
RACE_CONTOURS = (0.5, 2.0)


def full(value: float) -> str:
    """All the digits Python keeps (the book prints numbers this way)."""
    return repr(float(value))


def short(value: float) -> str:
    return f"{float(value):.6g}"


def power_of_ten(exponent: float) -> str:
    """A tick of a log10 axis: -4 is written 1e-4."""
    return f"1e{round(exponent)}"


class GradientsScreen(LessonScreen):
    TEXT = TEXT
    CSS_PATH = "screen.tcss"
    SECTIONS = (
        Section("difference", "d"),
        Section("partials", "p"),
        Section("descent", "g"),
        Section("race", "o"),
    )

    BINDINGS = [
        Binding("n", "step(1)", "Step", id="step"),
        Binding("m", "step(10)", "×10", show=False, id="step10"),
        Binding("r", "reset", "Reset", id="reset"),
        Binding("x", "next_x", "5/10", id="next_x"),
        Binding("f", "next_function", "f(x)", id="next_function"),
        # One footer entry for the pair − / +, to keep the footer within 80 columns.
        Binding("minus", "smaller", "h", key_display="−/+", id="smaller"),
        Binding("plus,equals_sign", "larger", "more", key_display="+", show=False, id="larger"),
        # In descent the same keys pick the learning-rate preset, labelled shortly so the footer keeps q Quit.
        Binding("minus", "preset(-1)", "η", key_display="−/+", id="preset"),
        Binding("plus,equals_sign", "preset(1)", "η", key_display="+", show=False, id="preset_up"),
        Binding("left", "move(-1, 0)", "move", key_display="←↑↓→", id="move"),
        Binding("right", "move(1, 0)", "x0 +0.5", show=False, id="move_right"),
        Binding("up", "move(0, 1)", "x1 +0.5", show=False, id="move_up"),
        Binding("down", "move(0, -1)", "x1 −0.5", show=False, id="move_down"),
        Binding("e", "edit", "Type", id="edit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lab = GradientLab()
        self._stopped_said: object = None  # the diverged descent run whose "press r" was said already

    # -- layout ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        lab = self.lab
        yield SectionBar()
        with ContentSwitcher(initial=self.section, id="sections"):
            with Vertical(id="difference"):
                with Horizontal(classes="g-inputs"):
                    yield Label("x =")
                    yield NumberInput(lab.x, field=self.t("diff.field_x"), low=-X_LIMIT, high=X_LIMIT, id="diff-x")
                    yield Label("h =")
                    yield NumberInput(lab.h, field=self.t("diff.field_h"), low=H_RANGE[0], high=H_RANGE[1], id="diff-h")
                yield Readout(id="diff-table")
                with Horizontal(id="diff-plots"):
                    with Vertical(classes="g-half"):
                        yield Readout(id="diff-plot-title", classes="g-plot-title")
                        yield Chart(heading=False, id="diff-plot")
                    with Vertical(classes="g-half"):
                        yield Readout(id="tangent-title", classes="g-plot-title")
                        yield Chart(heading=False, id="tangent-plot")
            with Horizontal(id="partials"):
                with Vertical(classes="g-side"):
                    yield Readout(self.t("partials.function"), classes="g-heading")
                    with Horizontal(classes="g-inputs"):
                        yield Label("x0 =")
                        yield NumberInput(lab.point[0], field="x0", low=-FIELD_LIMIT, high=FIELD_LIMIT, id="point-x0")
                        yield Label("x1 =")
                        yield NumberInput(lab.point[1], field="x1", low=-FIELD_LIMIT, high=FIELD_LIMIT, id="point-x1")
                    yield Readout(id="partials-values")
                    yield Readout(self.t("partials.meaning"), id="partials-meaning")
                yield Readout(id="partials-field")
            with Horizontal(id="descent"):
                with Vertical(classes="g-side"):
                    yield Readout(self.t("descent.rule"), classes="g-heading")
                    yield Readout(id="descent-presets")
                    with Horizontal(classes="g-inputs"):
                        yield Label(f"{self.t('descent.typed')} η =")
                        yield NumberInput(
                            lab.lr, field=self.t("descent.field_lr"), low=LR_RANGE[0], high=LR_RANGE[1], id="descent-lr"
                        )
                    yield Readout(id="descent-values")
                    yield Readout(id="descent-verdict")
                with Vertical(id="descent-right"):
                    yield Readout(id="descent-plot-title", classes="g-plot-title")
                    yield Chart(heading=False, id="descent-plot")
            with Vertical(id="race"):
                with Horizontal(id="race-top"):
                    yield Readout(self.t("race.function"), id="race-heading")
                    yield Readout(id="race-table")
                with Grid(id="race-grid"):
                    for name, key in RACE_KEYS.items():
                        with Vertical(classes="g-racer", id=f"race-{key}"):
                            with Horizontal(classes="g-racer-head"):
                                yield Readout(id=f"race-key-{key}", classes="g-racer-key")
                                yield Label("η =")
                                yield NumberInput(
                                    lab.race_lrs[RACE_NAMES.index(name)], field=f"{name} η",
                                    low=RACE_LR_RANGE[0], high=RACE_LR_RANGE[1], id=f"race-lr-{key}",
                                )
                            yield Readout(id=f"race-info-{key}", classes="g-racer-info")
                            yield Chart(heading=False, id=f"race-plot-{key}")
        yield KeyFooter()

    def refresh_view(self) -> None:
        self._show_difference()
        self._show_partials()
        self._show_descent()
        self._show_race()

    def _show_number(self, widget_id: str, value: float) -> None:
        """Put the model's value in a field, unless the student is typing a new one into it."""
        field = self.query_one(f"#{widget_id}", NumberInput)
        if field.number != value or not field.has_focus:
            field.set_number(value)

    # -- d: forward vs central difference ---------------------------------------
    def _show_difference(self) -> None:
        lab = self.lab
        self._show_number("diff-x", lab.x)
        self._show_number("diff-h", lab.h)
        row = lab.difference()
        table = Text()
        table.append(self.t(f"diff.function.{lab.function}") + "\n", style="bold")
        for key, value, error in (
            ("diff.forward", row.forward, row.forward_error),
            ("diff.central", row.central, row.central_error),
        ):
            table.append(f"{self.t(key):<34}")
            table.append(f"{full(value):<22}", style="bold")
            table.append(f" {self.t('diff.error')} {error:.1e}\n")
        table.append(f"{self.t(f'diff.exact.{lab.function}'):<34}")
        table.append(f"{full(row.exact)}\n", style="bold")
        if lab.h_lost():
            table.append(self.t("diff.h_lost", h=format_number(lab.h)) + "\n", style="bold red")
        else:
            table.append(self.t("diff.float32", value=full(float32_of(1e-50))) + "\n", style="italic")
        # The caption says what this function's curves show: a quadratic has no truncation error in central.
        table.append(self.t(f"diff.why.{lab.function}"))
        self.query_one("#diff-table", Static).update(table)

        errors = lab.error_plot()
        lowest = min(-15, math.floor(errors.log_h))
        chart = self.query_one("#diff-plot", Chart)
        chart.draw(
            [
                Series(self.t("diff.legend_forward"), *errors.forward, marker="braille", color=FORWARD_COLOR),
                # Dots for central, a line for forward: the two stay apart without colour too.
                Series(
                    self.t("diff.legend_central"), *errors.central, marker="•", color=CENTRAL_COLOR, kind="scatter"
                ),
                vline(errors.log_h, "gray"),  # where h is now
            ],
            x_limits=(lowest - 0.2, -0.8),
            x_ticks=range(lowest, 0, 2),  # every other decade: labels 1e-15 … never crowd
            y_ticks=range(-16, 4, 2),
            x_format=power_of_ten,
            y_format=power_of_ten,
        )
        # The title and the key sit in a Static above the chart, where a long (or Chinese) line can wrap.
        title = Text(self.t("diff.plot_title") + "  ", style="bold")
        title.append_text(chart.legend())
        title.append(f"  {self.t('diff.rounding')}  {self.t('diff.truncation')}", style="dim")
        self.query_one("#diff-plot-title", Static).update(title)

        tangent = lab.tangent()
        plot = self.query_one("#tangent-plot", Chart)
        plot.draw(
            [
                Series("f(x)", tangent.xs, tangent.ys, marker="braille", color=FORWARD_COLOR),
                Series(self.t("diff.legend_tangent"), tangent.xs, tangent.tangent, marker="•", color=CENTRAL_COLOR),
                Series("x", [tangent.point[0]], [tangent.point[1]], marker="●", color="red", kind="scatter",
                       legend=False),
            ],
            x_limits=(tangent.xs[0], tangent.xs[-1]),
            y_limits=(min(tangent.ys), max(tangent.ys)),
        )
        title = Text(self.t("diff.tangent_title", x=format_number(lab.x), slope=short(tangent.slope)) + "  ",
                     style="bold")
        title.append_text(plot.legend())
        self.query_one("#tangent-title", Static).update(title)

    # -- p: partial derivatives and the gradient field -------------------------
    def _show_partials(self) -> None:
        self._show_number("point-x0", self.lab.point[0])
        self._show_number("point-x1", self.lab.point[1])
        partials = self.lab.partials()
        values = Text(self.t("partials.numerical") + "\n", style="underline")
        for name, numeric in zip(("∂f/∂x0", "∂f/∂x1"), partials.numerical):
            values.append(f" {name} = ")
            values.append(full(numeric) + "\n", style="bold")
        values.append(self.t("partials.exact") + "\n", style="underline")
        values.append(f" 2·x0 = {full(partials.exact[0])}   2·x1 = {full(partials.exact[1])}\n")
        values.append(self.t("partials.gradient", norm=short(partials.norm)))
        self.query_one("#partials-values", Static).update(values)
        self.query_one("#partials-field", Static).update(self._field_picture())

    def on_resize(self) -> None:
        # A big terminal gets the finer arrow field (not while the widgets are being rebuilt).
        if self.query("#partials-field"):
            self._show_partials()

    def _field_picture(self) -> Text:
        width, height = FINE_FIELD_SIZE
        field = self.lab.arrow_field(fine=self.size.width >= width and self.size.height >= height)
        styles = ("dim", "", "bold")
        here = field.cell_of(*self.lab.point)
        picture = Text()
        for row, y in enumerate(field.ys):
            label = f"{y:>4g} " if float(y).is_integer() else "     "
            picture.append(label, style="dim")
            for col in range(field.xs.size):
                if (row, col) == here:
                    picture.append(" ●", style="bold reverse")
                else:
                    picture.append(" " + field.arrows[row][col], style=styles[field.levels[row, col]])
            picture.append("\n")
        ticks = "".join(f"{x:>2g}" if float(x).is_integer() and x % 2 == 0 else "  " for x in field.xs)
        picture.append("     " + ticks + f"  {self.t('partials.field_x0')}", style="dim")
        return picture

    # -- g: gradient descent ------------------------------------------------------
    def _show_descent(self) -> None:
        lab = self.lab
        self._show_number("descent-lr", lab.lr)
        presets = Text(f"{self.t('descent.lr')}: ")
        for lr in LR_PRESETS:
            presets.append(f" {full(lr)} ", style="bold reverse" if lr == lab.lr else "")
            presets.append(" ")
        self.query_one("#descent-presets", Static).update(presets)

        path = lab.descent.path
        where = path[-1]
        values = Text()
        values.append(self.t("descent.step", n=lab.descent.steps) + "\n")
        values.append("x0 = ")
        values.append(short(where[0]), style="bold")
        values.append("\nx1 = ")
        values.append(short(where[1]), style="bold")
        values.append(f"\n{self.t('descent.f')} = ")
        values.append(short(lab.descent.values[-1]), style="bold")
        self.query_one("#descent-values", Static).update(values)

        verdict = lab.descent_verdict()
        style = {"good": "bold green", "minimum": "bold green", "start": "", "too_slow": "bold yellow"}.get(
            verdict, "bold red"
        )
        self.query_one("#descent-verdict", Static).update(Text(self.t(f"descent.{verdict}"), style=style))

        contours = [
            Series(f"f = {radius**2}", *circle(radius), color="gray", legend=False) for radius in (1, 3, 5)
        ]
        shown = lab.descent_in_view()
        here = shown[-1:] if len(shown) == len(path) else []
        walk = [
            Series("path", [p[0] for p in shown], [p[1] for p in shown], marker="•", color="red", legend=False),
            # ● is where the run is now: not drawn when that is off the chart (the title says where).
            Series("here", [p[0] for p in here], [p[1] for p in here], marker="●", color="red",
                   kind="scatter", legend=False),
        ]
        view = (-DESCENT_VIEW, DESCENT_VIEW)
        self.query_one("#descent-plot", Chart).draw([*contours, *walk], x_limits=view, y_limits=view)
        title = self.t("descent.plot_title")
        if len(shown) < len(path):
            # Say where it went: the chart keeps [-5, 5]² so the contours stay readable.
            title = f"{title} — {self.t('descent.off_chart', x0=short(where[0]), x1=short(where[1]))}"
        self.query_one("#descent-plot-title", Static).update(title)

    # -- o: the optimiser race -----------------------------------------------------
    def _show_race(self) -> None:
        """One panel per optimiser (the book's Fig. 6-8): contours, the path, a mark at every step."""
        contours = [Series(f"f = {level:g}", *ellipse(level), color="gray", legend=False) for level in RACE_CONTOURS]
        racers = self.lab.racers()
        diverged = [racer.name for racer in racers if racer.diverged]
        status = Text(self.t("race.step", n=self.lab.race.steps), style="bold")
        if diverged:
            status.append(f"   {', '.join(diverged)}: {self.t('race.diverged')}", style="bold red")
        self.query_one("#race-table", Static).update(status)
        for racer in racers:
            key = RACE_KEYS[racer.name]
            glyph, color = RACE_STYLES[racer.name]
            xs, ys = racer.path[:, 0].tolist(), racer.path[:, 1].tolist()
            chart = self.query_one(f"#race-plot-{key}", Chart)
            chart.draw(
                [
                    *contours,
                    Series(f"{racer.name} path", xs, ys, marker="braille", color=color, legend=False),
                    # Every step gets the racer's own glyph: the steps can be counted, even without colour.
                    Series(racer.name, xs, ys, marker=glyph, color=color, kind="scatter"),
                ],
                x_limits=(-8, 4),
                y_limits=(-2.5, 2.5),
                x_ticks=(-6, -3, 0, 3),
                y_ticks=(-2, 0, 2),
            )
            # The key is the chart's own legend: the glyph and colour that drew the steps.
            self.query_one(f"#race-key-{key}", Static).update(chart.legend())
            self._show_number(f"race-lr-{key}", racer.lr)
            info = Text(f"({racer.x:8.4f}, {racer.y:8.4f})", style="bold")
            info.append(f" f = {short(racer.f)}")
            if racer.diverged:
                info = Text(self.t("race.diverged"), style="bold red")
            self.query_one(f"#race-info-{key}", Static).update(info)

    # -- the state document -----------------------------------------------------------
    def state(self) -> dict[str, object]:
        return {"section": self.section, **self.lab.to_state()}

    def restore(self, state: Mapping[str, object]) -> None:
        fields = Fields(state)
        section = fields.choice("section", [s.name for s in self.SECTIONS])
        lab = GradientLab.from_state(fields)
        self.lab, self.section = lab, section

    # -- keys ------------------------------------------------------------------------
    def action_allowed(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in SECTION_ONLY:
            return action in SECTION_ACTIONS[self.section]
        return True

    def _change(self, change, *args: object) -> bool:  # noqa: ANN001 - a method of the lab
        """Make one change to the lab and redraw; a refusal is said, and nothing changes."""
        try:
            change(*args)
        except Refusal as refusal:
            self.refuse(refusal)
            self.refresh_view()  # a refused typed value leaves its field too
            return False
        self.refresh_view()
        return True

    def action_step(self, count: int) -> None:
        if self.section == "race":
            self._change(self.lab.step_race, count)
        elif self.lab.descent_verdict() == "diverged" and self._stopped_said is self.lab.descent:
            # Said once for this run (and the verdict on screen says it): more presses add no notices.
            return
        elif not self._change(self.lab.step_descent, count) and self.lab.descent_verdict() == "diverged":
            self._stopped_said = self.lab.descent

    def action_reset(self) -> None:
        self._change(self.lab.reset_race if self.section == "race" else self.lab.reset_descent)

    def action_next_x(self) -> None:
        self._change(self.lab.next_x)

    def action_next_function(self) -> None:
        self._change(self.lab.next_function)

    def action_smaller(self) -> None:
        self._change(self.lab.scale_h, -1)

    def action_larger(self) -> None:
        self._change(self.lab.scale_h, 1)

    def action_preset(self, direction: int) -> None:
        self._change(self.lab.pick_preset, direction)

    def action_move(self, dx: int, dy: int) -> None:
        self._change(self.lab.move, dx, dy)

    def action_edit(self) -> None:
        self.query_one(FIRST_FIELD[self.section], NumberInput).focus()

    @on(NumberInput.Accepted)
    def _number_typed(self, event: NumberInput.Accepted) -> None:
        lab, name, value = self.lab, event.input.id, event.value
        if name == "diff-x":
            self._change(lab.set_x, value)
        elif name == "diff-h":
            self._change(lab.set_h, value)
        elif name == "point-x0":
            self._change(lab.set_point, value, lab.point[1])
        elif name == "point-x1":
            self._change(lab.set_point, lab.point[0], value)
        elif name in RACE_FIELDS:
            self._change(lab.set_race_lr, RACE_FIELDS[name], value)
        elif name == "descent-lr" and value != lab.lr and self._change(lab.set_lr, value):
            self.notify(self.t("descent.new_lr", lr=format_number(value)))


SCREEN = GradientsScreen
