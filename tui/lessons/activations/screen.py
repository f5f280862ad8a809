"""Lesson 2: activation functions, why they are non-linear, and the softmax output layer.

Three sections (the bar at the top shows which is open; a wide, tall terminal
shows the first two at once):

- functions (f): ↑↓ pick h(x), ←→ move x (shift: 10 steps), x types it, d draws
  h'(x), + and - zoom, a types leaky ReLU's α; the linear layers h(x) = c·x beside it;
- softmax (s, which also switches back): e edits up to 10 scores (an MNIST output
  layer), b and o load the book's and the overflowing ones, ↑↓ scroll. While the
  softmax section alone is on screen, the keys of the hidden plot do nothing;
- network (n): the book's trained chapter-3 network reads an MNIST test digit
  layer by layer (←→ previous / next digit, r a random one), its accuracy over
  the test set and the time of one-by-one vs batched inference (t times again).
  The weights and MNIST are loaded, and the timing measured, in a thread worker
  that posts `messages.NetworkReady` / `InferenceTimed` back.

Its state document: the lab's (function, h' drawn, x range, x, α, the linear
layers' c and x, the scores), the test digit shown and the open section.

Every number comes from `nn_tui.core.labs.activations`; this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import DescendantBlur
from textual.widgets import Input, Label, Static
from textual.worker import get_current_worker

from nn_tui.assets import BOOK_WEIGHTS, MNIST_SUBSET
from nn_tui.core.data.mnist import MnistData, find_mnist
from nn_tui.core.labs.activations import (
    ALPHA_LIMIT,
    BOOK_SCORES,
    C_LIMIT,
    LINEAR_X_LIMIT,
    OVERFLOW_SCORES,
    X_LIMIT,
    ActivationsLab,
    Curves,
    SoftmaxResult,
    format_like_numpy,
    parse_scores,
)
from nn_tui.core.labs.inference import (
    BATCH_SIZE,
    DigitPicker,
    SampleNetwork,
    Timing,
    batch_products,
    strips,
    time_inference,
)
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields
from nn_tui.tui.lesson_screen import LessonScreen, Section
from nn_tui.tui.lessons.activations.messages import InferenceTimed, NetworkFailed, NetworkReady
from nn_tui.tui.lessons.activations.network_view import LayerStrips
from nn_tui.tui.lessons.activations.text import TEXT
from nn_tui.tui.widgets.chart import Chart, Series, vline
from nn_tui.tui.widgets.digit_image import DigitImage
from nn_tui.tui.widgets.key_footer import KeyFooter
from nn_tui.tui.widgets.number_input import NumberInput, format_number
from nn_tui.tui.widgets.prob_bars import BarRow, ProbBars
from nn_tui.tui.widgets.readout import Readout
from nn_tui.tui.widgets.section_bar import SectionBar


def _number(value: float) -> str:
    """A reading as the book would print it: up to 8 significant digits, no '-0'."""
    return f"{value + 0.0:.8g}"


class ActivationsScreen(LessonScreen):
    """Plot an activation with its derivative; compare naive and stable softmax."""

    TEXT = TEXT
    CSS_PATH = "screen.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    SECTIONS = (Section("functions", "f"), Section("softmax", "s"), Section("network", "n"))

    BINDINGS = [
        Binding("left", "cursor(-1)", "x", key_display="←→", id="cursor"),
        Binding("right", "cursor(1)", "x right", show=False, id="cursor_right"),
        Binding("shift+left", "cursor(-10)", "x far left", show=False, id="cursor_far"),
        Binding("shift+right", "cursor(10)", "x far right", show=False, id="cursor_far_right"),
        Binding("up", "function(-1)", "h(x)", key_display="↑↓", id="function"),
        Binding("down", "function(1)", "next function", show=False, id="function_next"),
        # The softmax section alone on screen: ↑↓ scroll it (the plot's keys are off then).
        Binding("up", "scroll_softmax(-1)", "scroll", key_display="↑↓", id="scroll_softmax"),
        Binding("down", "scroll_softmax(1)", "scroll down", show=False, id="scroll_softmax_down"),
        Binding("d", "derivative", "h'(x)", id="derivative"),
        Binding("plus,equals_sign", "zoom(0.5)", "zoom in", key_display="+", show=False, id="zoom_in"),
        Binding("minus", "zoom(2)", "zoom out", key_display="-", show=False, id="zoom_out"),
        Binding("x", "edit_x", "type x", show=False, id="edit_x"),
        Binding("a", "edit_alpha", "type α", show=False, id="edit_alpha"),
        Binding("e", "edit_scores", "edit scores", show=False, id="edit_scores"),
        Binding("b", "load_scores('book')", "book scores", show=False, id="book"),
        Binding("o", "load_scores('overflow')", "overflow scores", show=False, id="overflow"),
        # The network section: ←→ step through the test digits (the plot's keys are off then).
        Binding("left", "digit(-1)", "digit", key_display="←→", id="digit_previous"),
        Binding("right", "digit(1)", "next digit", show=False, id="digit_next"),
        Binding("r", "random_digit", "random digit", id="random_digit"),
        Binding("t", "time_again", "time again", id="time_again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lab = ActivationsLab()
        self._both_panes_were_shown = False
        # The network section's data: loaded in a thread when the section is first opened.
        self.digit = DigitPicker()
        self.network: SampleNetwork | None = None
        self.test_data: MnistData | None = None
        self.network_error: Refusal | str | None = None
        self.timing: Timing | None = None
        self._loading = False
        self._measuring = False
        self._rng = np.random.default_rng()

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        plot = self.lab.plot
        with Horizontal(id="title-row"):
            yield Readout(self.t("title"), id="title")
            yield SectionBar(id="tabs")
        with Vertical(id="functions-pane"):
            yield Readout(id="chooser")
            with Horizontal(id="plot-row"):
                yield Chart(id="plot")
                with Vertical(id="side"):
                    yield Readout(id="formula")
                    with Horizontal(classes="field-row", id="alpha-row"):
                        yield Label("α =", classes="field-label")
                        yield self._number_input(plot.alpha, "alpha", "alpha-input", 0, ALPHA_LIMIT)
                    with Horizontal(classes="field-row"):
                        yield Label("x =", classes="field-label")
                        yield self._number_input(plot.cursor, "x", "cursor-input", plot.xmin, plot.xmax)
                    yield Readout(id="reading")
                    with Horizontal(classes="field-row", id="range-row"):
                        yield Label(self.t("label.range"), classes="field-label")
                        yield self._number_input(plot.xmin, "xmin", "xmin-input", -X_LIMIT, X_LIMIT)
                        yield Label(self.t("label.to"), classes="field-sep")
                        yield self._number_input(plot.xmax, "xmax", "xmax-input", -X_LIMIT, X_LIMIT)
                    yield Readout(self.t("stack.title"), id="stack-title")
                    with Horizontal(classes="field-row"):
                        yield Label("c =", classes="field-label")
                        yield self._number_input(self.lab.linear_c, "c", "stack-c", -C_LIMIT, C_LIMIT)
                        yield Label("x =", classes="field-sep")
                        yield self._number_input(
                            self.lab.linear_x, "stack_x", "stack-x", -LINEAR_X_LIMIT, LINEAR_X_LIMIT
                        )
                    yield Readout(id="stack")
            yield Readout(id="note")
        with VerticalScroll(id="softmax-pane", can_focus=False):
            yield Readout(self.t("softmax.formula"), id="softmax-formula")
            with Horizontal(classes="field-row", id="scores-row"):
                yield Label(self.t("softmax.scores"), classes="field-label")
                yield Input(self._scores_text(), id="scores-input", compact=True, select_on_focus=True)
            yield Readout(self.t("softmax.hint"), id="softmax-hint")
            # Stable (left) and naive (right) side by side, one row of widgets at a time,
            # so a class's two bars stay on one line even when a line above them wraps.
            with Vertical(id="softmax-columns"):
                with Horizontal(classes="softmax-row"):
                    yield Readout(self.t("softmax.stable"), classes="box-title")
                    yield Readout(self.t("softmax.naive"), classes="box-title")
                with Horizontal(classes="softmax-row"):
                    yield Readout(id="shifted")
                    yield Readout(id="naive-exp")
                with Horizontal(classes="softmax-row"):
                    yield ProbBars(id="stable-bars")
                    yield ProbBars(id="naive-bars")
                with Horizontal(classes="softmax-row"):
                    yield Readout(id="stable-sum", classes="box-sum")
                    yield Readout(id="naive-sum", classes="box-sum")
            yield Readout(id="softmax-note")
        with Vertical(id="network-pane"):
            yield Readout(self.t("net.intro"), id="net-intro")
            yield Readout(id="net-status")
            with Horizontal(id="net-top"):
                with Vertical(id="net-digit-column"):
                    # a small one for 80x24, a full-size one when there is room (the stylesheet picks)
                    yield DigitImage(small=True, id="net-digit-small")
                    yield DigitImage(id="net-digit")
                    yield Readout(id="net-caption")
                with Vertical(id="net-flow"):
                    yield Readout(self.t("net.legend"), id="net-legend")
                    yield LayerStrips(id="net-strips")
                    yield Readout(id="net-prediction")
                    with Horizontal(id="net-bars"):
                        yield ProbBars(id="net-bars-low")
                        yield ProbBars(id="net-bars-high")
            yield Readout(id="net-batch")
            yield Readout(id="net-accuracy")
            yield Readout(id="net-timing")
        yield KeyFooter()

    def _number_input(self, value: float, field: str, id: str, low: float, high: float) -> NumberInput:
        return NumberInput(value, field=self.t(f"field.{field}"), low=low, high=high, id=id, classes="number")

    # --- rendering from the lab -----------------------------------------------------------------

    def refresh_view(self) -> None:
        # The panes are shown by the stylesheet: a wide, tall terminal shows the first two together.
        self.set_class(self.section == "softmax", "-show-softmax")
        self.set_class(self.section == "network", "-show-network")
        self._render_title()
        self._render_functions()
        self._render_softmax()
        self._render_network()

    def _render_title(self) -> None:
        """The title (shorter when narrow, so the section bar fits) and the bar's open sections."""
        self.query_one("#title", Static).update(self.t("title.narrow" if self.has_class("-narrow") else "title"))
        together = self.both_panes_shown and self.section != "network"
        opened = {"functions", "softmax"} if together else {self.section}
        self.query_one(SectionBar).show([(s.key, self.t(f"tab.{s.name}"), s.name in opened) for s in self.SECTIONS])

    def _render_functions(self) -> None:
        plot = self.lab.plot
        chooser = Text()
        for name in plot.NAMES:
            label = f" {self.t(f'name.{name}')} "
            chooser.append(label, style="bold reverse" if name == plot.name else "")
            chooser.append(" ")
        self.query_one("#chooser", Static).update(chooser)
        alpha = format_number(plot.alpha)
        self.query_one("#formula", Static).update(Text(self.t(f"formula.{plot.name}", alpha=alpha), style="bold"))
        # α belongs to leaky ReLU only
        self.query_one("#alpha-row").display = plot.name == "leaky_relu"
        self._show_number("#alpha-input", plot.alpha)

        reading = plot.reading()
        cursor_input = self.query_one("#cursor-input", NumberInput)
        cursor_input.low, cursor_input.high = plot.xmin, plot.xmax
        self._show_number("#cursor-input", reading.x)
        self._show_number("#xmin-input", plot.xmin)
        self._show_number("#xmax-input", plot.xmax)
        self._show_number("#stack-c", self.lab.linear_c)
        self._show_number("#stack-x", self.lab.linear_x)
        parts = [
            "h(x)  = ", (_number(reading.y), "bold"), "\n",
            "h'(x) = ", (_number(reading.slope), "bold $accent" if plot.show_derivative else "bold"),
        ]
        if plot.slope_is_a_convention:
            parts.append(("\n" + self.t("reading.convention", slope=_number(reading.slope)), "$text-muted"))
        self.query_one("#reading", Static).update(Content.assemble(*parts))

        stack = self.lab.linear_stack()
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
            note = self.t(
                f"note.{plot.name}.d", slope=f"{smallest.slope:.2g}", x=format_number(smallest.x), alpha=alpha
            )
        else:
            note = self.t(f"note.{plot.name}", alpha=alpha)
        self.query_one("#note", Static).update(note)

    def _draw_plot(self, curves: Curves) -> None:
        """h(x) (and h'(x) when asked for) over the range, the cursor's line and its dots."""
        plot, reading = self.lab.plot, self.lab.plot.reading()
        here = {"marker": "●", "kind": "scatter", "legend": False}
        series = [Series("h(x)", curves.xs, curves.ys, color="cyan")]
        dots = [Series("h(x) here", [reading.x], [reading.y], color="cyan", **here)]
        if plot.show_derivative:
            # a marker of its own, so the two curves differ without colour too (NO_COLOR, a projector)
            series.append(Series("h'(x)", curves.xs, curves.slopes, marker="hd", color="orange"))
            dots.append(Series("h'(x) here", [reading.x], [reading.slope], color="orange", **here))
        limits = plot.y_limits(curves)
        self.query_one("#plot", Chart).draw(
            [vline(reading.x), *series, *dots],
            x_limits=(plot.xmin, plot.xmax),
            y_limits=limits,
            y_ticks=plot.y_ticks(limits),
            y_format=format_number,
        )

    def _show_number(self, selector: str, value: float) -> None:
        field = self.query_one(selector, NumberInput)
        if field.number != value or field.value != format_number(value):
            field.set_number(value)

    def _render_softmax(self) -> None:
        demo = self.lab.softmax
        self.query_one("#scores-input", Input).value = self._scores_text()
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
        return ", ".join(format_number(a) for a in self.lab.softmax.scores)

    def _render_network(self) -> None:
        status = self.query_one("#net-status", Static)
        network, data = self.network, self.test_data
        ready = network is not None and data is not None
        self.query_one("#net-top").display = ready
        for selector in ("#net-batch", "#net-accuracy", "#net-timing"):
            self.query_one(selector).display = ready
        status.display = not ready
        if not ready:
            if self.network_error is not None:
                status.update(Content.styled(self.t("net.failed", error=self._network_failure()), "bold $error"))
            else:
                status.update(self.t("net.loading"))
            return
        assert network is not None and data is not None
        index = self.digit.index
        image, label = data.test_images[index], int(data.test_labels[index])
        forward = network.digit(image)
        for selector in ("#net-digit-small", "#net-digit"):
            self.query_one(selector, DigitImage).set_image(image)
        self._fit_digit()
        self.query_one("#net-caption", Static).update(
            Text.assemble(
                (f"x[{index}]", "bold"),
                " " + self.t("net.of", count=f"{data.test_size:,}"),
                "\n" + self.t("net.label", label=label),
                ("\n" + self.t("net.keys"), "italic"),
            )
        )
        self.query_one("#net-strips", LayerStrips).show(strips(forward)[:-1])  # y is the bars below
        predicted, probability = forward.predicted, forward.probability
        verdict = "net.right" if predicted == label else "net.wrong"
        self.query_one("#net-prediction", Static).update(
            Content.assemble(
                self.t("net.predicted", digit=predicted, p=f"{probability:.8f}"),
                (self.t(verdict, label=label), "bold" if predicted == label else "bold $error"),
            )
        )
        texts = format_like_numpy(forward.y)
        rows = [BarRow(f"{k}", float(p), text, k == predicted) for k, (p, text) in enumerate(zip(forward.y, texts))]
        self.query_one("#net-bars-low", ProbBars).set_rows(rows[:5])
        self.query_one("#net-bars-high", ProbBars).set_rows(rows[5:])
        products = batch_products(network, BATCH_SIZE)
        # as the book's figure: X · W1 · W2 · W3 → Y, with the shape after each product
        steps = [f"{p.right} {p.right_shape} → {'Y ' if p is products[-1] else ''}{p.result_shape}" for p in products]
        first, rest = f"X {products[0].left_shape} · {steps[0]}", "· " + " · ".join(steps[1:])
        self.query_one("#net-batch", Static).update(Text(self.t("net.batch", n=BATCH_SIZE, first=first, rest=rest)))
        self._render_timing(data)

    def _render_timing(self, data: MnistData) -> None:
        accuracy, timing = self.query_one("#net-accuracy", Static), self.query_one("#net-timing", Static)
        if self.timing is None:
            accuracy.update(self.t("net.measuring"))
            timing.update("")
            return
        batched, single = self.timing.batched, self.timing.one_by_one
        values = {"correct": f"{batched.correct:,}", "total": f"{batched.total:,}", "accuracy": f"{batched.value:.4f}"}
        key = "net.accuracy.subset" if data.source == "subset" else "net.accuracy.full"
        accuracy.update(Content.from_markup(self.t(key, **values)))
        timing.update(
            Content.from_markup(
                self.t(
                    "net.timing",
                    total=f"{single.total:,}",
                    single=f"{single.seconds:.3f}",
                    single_us=f"{single.microseconds_per_digit:.0f}",
                    n=self.timing.batch_size,
                    batched=f"{batched.seconds:.3f}",
                    batched_us=f"{batched.microseconds_per_digit:.1f}",
                    speedup=f"{self.timing.speedup:.0f}",
                )
            )
        )

    def _network_failure(self) -> str:
        """Why the network or MNIST could not be loaded, in the language of the moment."""
        error = self.network_error
        if isinstance(error, Refusal) and error.code in self.TEXT:
            return self.t(error.code, **error.values)
        return str(error)

    # --- the state document -------------------------------------------------------------------------

    def state(self) -> dict[str, object]:
        return {**self.lab.to_state(), "digit": self.digit.to_state(), "section": self.section}

    def restore(self, state: Mapping[str, object]) -> None:
        fields = Fields(state)
        lab = ActivationsLab.from_state(fields)
        count = self.test_data.test_size if self.test_data is not None else self.digit.count
        digit = DigitPicker.from_state(fields, "digit", count)
        section = fields.choice("section", [s.name for s in self.SECTIONS])
        self.lab, self.digit, self.section = lab, digit, section
        self.want_network()

    # --- actions --------------------------------------------------------------------------------------

    @property
    def both_panes_shown(self) -> bool:
        """A wide, tall terminal shows the plot and softmax together (see the .tcss)."""
        return self.has_class("-wide") and self.has_class("-tall")

    #: Keys that change the plot: off while the plot is hidden, so ↑↓ scroll the softmax
    #: view and ←→ step through the digits instead of silently changing the hidden function.
    PLOT_ACTIONS = frozenset({"cursor", "function", "derivative", "zoom"})
    NETWORK_ACTIONS = frozenset({"digit", "random_digit", "time_again"})

    @property
    def softmax_alone(self) -> bool:
        return self.section == "softmax" and not self.both_panes_shown

    @property
    def plot_shown(self) -> bool:
        return self.section == "functions" or (self.section == "softmax" and self.both_panes_shown)

    def action_allowed(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "section":
            # f and s mean nothing while both of their sections are on screen
            return not (self.both_panes_shown and self.section != "network" and parameters != ("network",))
        if action in self.PLOT_ACTIONS:
            return self.plot_shown
        if action == "scroll_softmax":
            return self.softmax_alone
        if action in self.NETWORK_ACTIONS:
            # the digits are stepped through once they are here (their number is known then)
            return self.section == "network" and self.test_data is not None
        return True

    def on_resize(self) -> None:
        # the section keys come and go with the room for both sections; only a change redraws the footer
        if self.both_panes_shown != self._both_panes_were_shown:
            self._both_panes_were_shown = self.both_panes_shown
            self.refresh_bindings()
        if not self.rebuilding and self.query("#net-digit"):
            self._render_title()  # the short title and the open sections follow the size
            self._fit_digit()

    #: A terminal this big (a projector) shows the digit at double size: 56x28 cells.
    LARGE_DIGIT_SIZE = (150, 44)

    def _fit_digit(self) -> None:
        width, height = self.LARGE_DIGIT_SIZE
        large = self.size.width >= width and self.size.height >= height
        self.query_one("#net-digit", DigitImage).large = large
        self.set_class(large, "-large-digit")

    def action_section(self, name: str) -> None:
        # s has always switched back and forth: pressed on the open softmax, it goes back to the functions
        self._open("functions" if name == self.section == "softmax" else name)

    def _open(self, section: str) -> None:
        """Open `section` (re-rendering if it was not open); no switching back."""
        super().action_section(section)
        self.want_network()

    def _change(self, change: Callable[[], object]) -> None:
        """Make one change to the lab; a refused one is said in a sentence and changes nothing."""
        try:
            change()
        except Refusal as refusal:
            self.refuse(refusal)
        self.refresh_view()  # also puts a refused value back in its field

    def action_cursor(self, steps: int) -> None:
        self._change(lambda: self.lab.plot.move_cursor(steps))

    def action_function(self, offset: int) -> None:
        self._change(lambda: self.lab.plot.next_function(offset))

    def action_derivative(self) -> None:
        self._change(self.lab.plot.toggle_derivative)

    def action_zoom(self, factor: float) -> None:
        self._change(lambda: self.lab.plot.zoom(factor))

    def action_digit(self, offset: int) -> None:
        self.digit.move(offset)
        self.refresh_view()

    def action_random_digit(self) -> None:
        self.digit.pick_random(self._rng)
        self.refresh_view()

    def action_time_again(self) -> None:
        if self.network is None or self.test_data is None:
            return
        self.timing = None
        self.refresh_view()
        self._measure(self.network, self.test_data)

    def _measure(self, network: SampleNetwork, data: MnistData) -> None:
        self._measuring = True
        self.measure(network, data)

    def action_scroll_softmax(self, lines: int) -> None:
        self.query_one("#softmax-pane", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_edit_alpha(self) -> None:
        if self.lab.plot.name != "leaky_relu":
            self.lab.plot.select("leaky_relu")  # α is leaky ReLU's: a shows it
        self._open("functions")
        self.refresh_view()
        self.query_one("#alpha-input", NumberInput).focus()

    def action_edit_x(self) -> None:
        self._open("functions")
        self.query_one("#cursor-input", NumberInput).focus()

    def action_edit_scores(self) -> None:
        self._open("softmax")
        self.query_one("#scores-input", Input).focus()

    def action_load_scores(self, which: str) -> None:
        self._change(lambda: self.lab.softmax.set_scores(OVERFLOW_SCORES if which == "overflow" else BOOK_SCORES))
        self._open("softmax")

    # --- the trained network, loaded and timed in the background ----------------------------------

    @property
    def busy(self) -> bool:
        """Loading the network or timing it: a teacher script's next key waits (see tui/teacher)."""
        return self._loading or self._measuring

    def want_network(self) -> None:
        """Load the network and the test digits in a thread, once, when the network section is open."""
        if self.section != "network" or self._loading or self.network_error is not None:
            return
        if self.network is not None and self.test_data is not None:
            return
        self._loading = True
        self.load_network()

    @work(thread=True, exclusive=True, group="inference")
    def load_network(self) -> None:
        """The weights and MNIST (the shipped subset unless a full set is installed)."""
        try:
            network = SampleNetwork.load(BOOK_WEIGHTS)
            data = find_mnist(MNIST_SUBSET)
        except (OSError, ValueError) as error:  # a Refusal (MnistError too) is worded by the catalogue
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            self.post_message(NetworkFailed(error if isinstance(error, Refusal) else reason))
            return
        self.post_message(NetworkReady(data, network))

    @work(thread=True, exclusive=True, group="inference")
    def measure(self, network: SampleNetwork, data: MnistData) -> None:
        """Time one-by-one and batched inference over the whole test set (again with t)."""
        worker = get_current_worker()
        timing = time_inference(network, data.test_images, data.test_labels, stop=lambda: worker.is_cancelled)
        if timing is not None:
            self.post_message(InferenceTimed(timing))

    def on_network_ready(self, message: NetworkReady) -> None:
        self._loading = False
        self.network, self.test_data = message.network, message.data
        try:
            self.digit.fit(message.data.test_size)
        except Refusal as refusal:  # a document named a digit the set found does not have
            self.refuse(refusal)
        self._redraw()
        # timed once the screen has drawn the digit, so the drawing does not slow the loops down
        self._measuring = True  # busy from now on, not only from when the timing starts
        self.call_after_refresh(self._measure, message.network, message.data)

    def on_network_failed(self, message: NetworkFailed) -> None:
        self._loading = False
        self.network_error = message.error
        self._redraw()

    def on_inference_timed(self, message: InferenceTimed) -> None:
        self._measuring = False
        self.timing = message.timing
        self._redraw()

    def _redraw(self) -> None:
        """Draw what a worker brought, unless the widgets are being rebuilt (the rebuild draws it)."""
        if not self.rebuilding:
            self.refresh_view()
            self.refresh_bindings()

    # --- typed values --------------------------------------------------------------------------------

    @on(NumberInput.Accepted)
    def _number_accepted(self, event: NumberInput.Accepted) -> None:
        plot, value = self.lab.plot, event.value
        changes = {
            "cursor-input": lambda: plot.set_cursor(value),
            "alpha-input": lambda: plot.set_alpha(value),
            "xmin-input": lambda: plot.set_range(value, plot.xmax),
            "xmax-input": lambda: plot.set_range(plot.xmin, value),
            "stack-c": lambda: self.lab.set_linear(c=value),
            "stack-x": lambda: self.lab.set_linear(x=value),
        }
        if event.input.id in changes:
            self._change(changes[event.input.id])

    @on(Input.Submitted, "#scores-input")
    def _scores_submitted(self) -> None:
        # the base then gives the keys back to the lesson
        self._commit_scores()

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        if getattr(event.widget, "id", None) == "scores-input":
            self._commit_scores()

    def _commit_scores(self) -> None:
        text = self.query_one("#scores-input", Input).value
        if text.strip() != self._scores_text():
            # refused or not, the field then shows the scores in use
            self._change(lambda: self.lab.softmax.set_scores(parse_scores(text)))


SCREEN = ActivationsScreen
