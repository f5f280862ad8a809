"""Lesson 3: loss functions.

Five sections, opened with c s x a d or stepped through with n / p: MSE and
cross-entropy on the source notes' example, the multiclass SVM loss, the softmax
classifier with L2 regularisation, why accuracy is not the loss, and
mini-batches of MNIST. Every number comes from `nn_tui.core.functions` and
`nn_tui.core.labs.losses` (the `LossesLab` holds what the student set); this
module only lays them out. MNIST is loaded, and mini-batches replayed from
their plan, in a thread worker that posts `messages.BatchReady` back; the
book's trained chapter-3 network is loaded with it, and its cross-entropy on
the batch shown as the source notes compute it (`nn_tui.core.labs.inference`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import ContentSwitcher, Static
from textual.worker import get_current_worker

from nn_tui.assets import BOOK_WEIGHTS, MNIST_SUBSET
from nn_tui.core.data.mnist import MnistData, find_mnist
from nn_tui.core.labs import losses as loss_lab
from nn_tui.core.labs.inference import BatchLoss, SampleNetwork, batch_cross_entropy
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields
from nn_tui.tui.lesson_screen import LessonScreen, Section
from nn_tui.tui.lessons.losses.messages import BatchFailed, BatchReady
from nn_tui.tui.lessons.losses.text import TEXT
from nn_tui.tui.widgets.chart import Chart, Series, hline, vline
from nn_tui.tui.widgets.key_footer import KeyFooter
from nn_tui.tui.widgets.number_input import NumberInput
from nn_tui.tui.widgets.prob_bars import BarRow, ProbBars
from nn_tui.tui.widgets.readout import Readout
from nn_tui.tui.widgets.section_bar import SectionBar

#: How many batch indices are written out; the rest are counted.
SHOWN_INDICES = 20

HINT_KEYS = {
    "mass": "mass.hint", "svm": "svm.hint", "softmax": "soft.hint", "accuracy": "acc.hint", "batch": "batch.hint",
}

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


class TitleBar(SectionBar):
    """The lesson's title and its sections on one line.

    Too narrow for every section's name (80 columns), it shows the open
    section with its number and the n/p keys instead.
    """

    def __init__(self, lesson_title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lesson_title = lesson_title
        self._sections: list[tuple[str, str, bool]] = []

    def show(self, sections: Sequence[tuple[str, str, bool]]) -> None:
        self._sections = list(sections)
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        title = Text()
        title.append(self.lesson_title, style="bold")
        title.append("   ")
        full = title.copy()
        for key, name, is_open in self._sections:
            full.append(f" {key} {name} ", style="bold reverse" if is_open else "dim")
            full.append(" ")
        opened = [(number, name) for number, (_, name, is_open) in enumerate(self._sections, 1) if is_open]
        if full.cell_len <= self.size.width or not opened:
            self.update(full)
            return
        number, name = opened[0]
        title.append(f" {number}/{len(self._sections)} {name} ", style="bold reverse")
        title.append("  n/p ›", style="dim")
        self.update(title)


class LossesScreen(LessonScreen):
    TEXT = TEXT
    CSS_PATH = "screen.tcss"
    SECTIONS = (
        Section("mass", "c"),
        Section("svm", "s"),
        Section("softmax", "x"),
        Section("accuracy", "a"),
        Section("batch", "d"),
    )

    BINDINGS = [
        Binding("n", "step_section(1)", "Section", id="next_section"),
        Binding("p", "step_section(-1)", "Previous section", id="previous_section", show=False),
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
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lab = loss_lab.LossesLab()
        self.sweep = loss_lab.weight_sweep(points=301)  # steps of 0.02: fine enough to see every jump
        # The mini-batch section needs MNIST, loaded in a thread when the section is first opened.
        self.data: MnistData | None = None
        self.minibatch: loss_lab.MiniBatchLab | None = None  # built from `lab.batch`, in step with it
        self.batch_error: str | Refusal | None = None
        self._building: loss_lab.BatchPlan | None = None  # the plan a worker is drawing now
        # The book's trained network, loaded with MNIST; its loss on the batch shown, kept per batch.
        self.network: SampleNetwork | None = None
        self.network_error: Refusal | None = None
        self._trained: tuple[int, loss_lab.BatchPlan, BatchLoss] | None = None
        # section -> what its last key did, shown in its hint line: a catalogue key and its values,
        # worded when drawn, so a language switch translates it too
        self.messages: dict[str, tuple[str, dict[str, object]]] = {}

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar(self.t("title"), id="title")
        with ContentSwitcher(initial=self.section, id="sections"):
            with Vertical(id="mass"):
                yield Readout(id="mass-intro")
                with Grid(id="mass-grid"):
                    yield Readout(self.t("mass.head.y"), classes="head")
                    yield Readout(self.t("mass.head.mse"), classes="head num")
                    yield Readout(self.t("mass.head.cee"), classes="head num")
                    yield ProbBars(id="mass-bars")
                    yield Readout(id="mse-terms", classes="num")
                    yield Readout(id="cee-terms", classes="num")
                    yield Readout(self.t("mass.sum"), id="mass-sum")
                    yield Readout(id="mse-total", classes="num total")
                    yield Readout(id="cee-total", classes="num total")
                yield Readout(id="mass-exact", classes="dim")
                yield Readout(id="mass-note", classes="dim")
                yield Readout(id="mass-hint", classes="hint")
            with Vertical(id="svm"):
                with Horizontal(id="svm-top"):
                    yield Readout(self.t("svm.formula"), id="svm-formula")
                    yield Readout(self.t("svm.margin"), id="margin-label")
                    yield NumberInput(
                        self.lab.margin, field=self.t("svm.margin"), low=0, high=loss_lab.MARGIN_HIGH, id="margin-input"
                    )
                yield Readout(id="svm-table")
                yield Readout(id="svm-mean")
                yield Readout(self.t("svm.explain"), id="svm-explain", classes="dim")
                yield Readout(id="svm-hint", classes="hint")
            with Vertical(id="softmax"):
                yield Readout(id="soft-title")
                yield Readout(id="soft-table")
                yield Readout(id="soft-loss")
                yield Readout(id="soft-log10", classes="dim")
                yield Readout(id="l2-title")
                yield Readout(id="l2-rows")
                yield Readout(self.t("l2.explain"), id="l2-explain", classes="dim")
                yield Readout(id="soft-hint", classes="hint")
            with Vertical(id="accuracy"):
                yield Readout(self.t("acc.intro"), id="acc-intro")
                with Horizontal(id="acc-plots"):
                    yield Chart(id="acc-plot")
                    yield Chart(id="loss-plot")
                yield Readout(id="acc-now")
                yield Readout(id="acc-slopes")
                yield Readout(id="acc-hint", classes="hint")
            with Vertical(id="batch"):
                yield Readout(id="batch-data")
                with Horizontal(id="batch-top"):
                    yield Readout(id="batch-code")
                    yield Readout(self.t("batch.size"), id="batch-size-label")
                    yield NumberInput(
                        self.lab.batch.size, field=self.t("batch.size"), low=1, high=loss_lab.MNIST_TRAIN_SIZE,
                        integer=True, id="batch-size-input",
                    )
                yield Readout(id="batch-indices")
                yield Readout(self.t("batch.model"), id="batch-model", classes="dim")
                yield Readout(id="batch-losses")
                yield Readout(id="batch-trained")
                yield Chart(id="batch-plot")
                yield Readout(id="batch-hint", classes="hint")
        yield KeyFooter()

    # --- rendering from the model ---------------------------------------------------

    def refresh_view(self) -> None:
        self.show_mass()
        self.show_svm()
        self.show_softmax()
        self.show_accuracy()
        self.show_batch()

    def redraw(self) -> None:
        """Draw a change, unless the widgets are being rebuilt for a language (the rebuild draws it)."""
        if not self.rebuilding:
            self.refresh_view()

    def set(self, selector: str, content: str | Text) -> None:
        self.query_one(selector, Static).update(content)

    def hint(self, section: str) -> str:
        """The section's last message if there is one, else its key hint."""
        if section in self.messages:
            key, values = self.messages[section]
            return self.t(key, **values)
        return self.t(HINT_KEYS[section])

    def show_mass(self) -> None:
        lab = self.lab.mass
        example = f"y{lab.example}"
        edited = self.t("mass.edited") if lab.edited else ""
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
        example = self.lab.svm()
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
        self.query_one("#margin-input", NumberInput).set_number(self.lab.margin)
        self.set("#svm-hint", self.hint("svm"))

    def show_softmax(self) -> None:
        example = self.lab.softmax()
        chain, label = example.chain, example.label
        name = self.class_name(label)
        self.set("#soft-title", self.t("soft.title", name=name))
        table = Text(self.t("soft.head") + "\n", style="bold")
        places = example.p_places  # the correct class's p as the loss line shows it
        for k in range(len(chain.scores)):
            mark = "✓" if k == label else " "
            cls = f"{self.class_name(k)} {mark}"
            row = (
                f"{cls:<{9 - _wide(cls)}}{chain.scores[k]:>6.1f}  "
                f"{_exp_text(chain.exp[k]):>10}  {chain.probabilities[k]:>9.{places if k == label else 2}f}"
            )
            table.append(row + "\n", style="bold" if k == label else "")
        table.rstrip()
        self.set("#soft-table", table)
        p = f"{example.p:.{example.p_places}f}"  # −ln of the p shown gives the loss shown
        self.set("#soft-loss", self.t("soft.loss", name=name, p=p, loss=f"{chain.loss:.2f}"))
        if example.in_notes:
            note = self.t("soft.log10", log10=f"{example.seed_log10:.2f}", p=f"{example.p_rounded:.2g}")
        else:  # only the cat is worked in the source notes: nothing to quote for car and frog
            note = self.t("soft.not_in_notes")
        self.set("#soft-log10", note)
        l2 = loss_lab.l2_example()
        self.set("#l2-title", self.t("l2.title", x=_vector(l2.x)))
        rows = [
            self.t("l2.row", name=f"w{i + 1}", w=_vector(w), score=f"{s:.1f}", penalty=f"{r:.2f}")
            for i, (w, s, r) in enumerate(zip(l2.weights, l2.scores, l2.penalties))
        ]
        self.set("#l2-rows", "\n".join(rows))
        self.set("#soft-hint", self.hint("softmax"))

    def show_accuracy(self) -> None:
        weight = self.lab.weight
        now = weight.evaluation
        self.set(
            "#acc-now",
            self.t(
                "acc.now", w=f"{now.weight:.1f}", acc=f"{now.accuracy:.0%}", correct=now.correct,
                total=now.total, loss=fixed(now.loss, 4),
            ),
        )
        self.set(
            "#acc-slopes",
            self.t("acc.slopes", acc_slope=term_text(weight.accuracy_slope), loss_slope=fixed(weight.loss_slope, 4)),
        )
        sweep, w = self.sweep, now.weight
        for plot_id, values, title, y_now, y_limits in (
            ("#acc-plot", sweep.accuracy, self.t("acc.plot_accuracy"), now.accuracy, (0.0, 1.0)),
            ("#loss-plot", sweep.loss, self.t("acc.plot_loss"), now.loss, (0.0, float(sweep.loss.max()) * 1.05)),
        ):
            self.query_one(plot_id, Chart).draw(
                [
                    Series(title, sweep.weights.tolist(), values.tolist(), legend=False),
                    Series("now", [w], [y_now], marker="●", color="red", kind="scatter", legend=False),
                    vline(w, "red", label=f"w = {w:.1f}"),
                ],
                x_limits=(loss_lab.WEIGHT_LOW, loss_lab.WEIGHT_HIGH),
                y_limits=y_limits,
                title=title,
            )
        self.set("#acc-hint", self.hint("accuracy"))

    def show_batch(self) -> None:
        lab = self.minibatch
        size_input = self.query_one("#batch-size-input", NumberInput)
        if lab is None:
            waiting = self.t("batch.failed", error=self.batch_failure()) if self.batch_error else self.t("batch.loading")
            self.set("#batch-data", waiting)
            for selector in ("#batch-code", "#batch-indices", "#batch-losses", "#batch-trained"):
                self.set(selector, "")
            size_input.set_number(self.lab.batch.size)
            self.query_one("#batch-plot", Chart).draw([])
            self.set("#batch-hint", self.hint("batch"))
            return
        name = self.t(
            "batch.subset" if lab.data.source == "subset" else "batch.full",
            train=f"{lab.data.train_size:,}", test=f"{lab.data.test_size:,}",
        )
        self.set("#batch-data", self.t("batch.data", name=name, seed=lab.seed, draw=len(lab.batch_losses)))
        self.set("#batch-code", self.t("batch.code", train_size=lab.train_size, batch_size=lab.batch_size))
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
        self.set("#batch-trained", self.trained_text(lab))
        draws = list(range(1, len(lab.batch_losses) + 1))
        self.query_one("#batch-plot", Chart).draw(
            [
                Series(self.t("batch.series_batch"), draws, lab.batch_losses, marker="•", kind="scatter"),
                hline(lab.full_loss, "red", label=self.t("batch.series_full")),
            ],
            x_limits=(0, max(10, len(draws) + 1)),
            y_limits=(0, max(max(lab.batch_losses), lab.full_loss) * 1.3),
            title=self.t("batch.plot"),
        )
        self.set("#batch-hint", self.hint("batch"))

    def trained_text(self, lab: loss_lab.MiniBatchLab) -> str:
        """The trained network's cross-entropy on the batch, in the one-hot and the label form."""
        if self.network is None:
            error = self.network_error
            if error is None:
                return ""
            return self.t("batch.trained_failed", error=self.t(error.code, **error.values))
        if self._trained is None or self._trained[:2] != (id(lab), lab.plan):
            images = lab.data.train_images[lab.indices]
            self._trained = (id(lab), lab.plan, batch_cross_entropy(self.network, images, lab.labels))
        loss = self._trained[2]
        return self.t(
            "batch.trained",
            y_shape=loss.y_shape, one_hot_shape=loss.one_hot_shape, label_shape=loss.label_shape,
            one_hot=f"{loss.one_hot:.6f}", label=f"{loss.label:.6f}", same="=" if loss.agree else "≠",
        )

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

    def say(self, section: str, key: str, **values: object) -> None:
        """Show the catalogue's sentence `key` in the section's hint line (until the next key)."""
        self.messages[section] = (key, values)

    def action_section(self, name: str) -> None:
        if name != self.section:
            self.messages.clear()
        super().action_section(name)
        self.want_batches()
        self.refresh_bindings()  # the footer shows the open section's keys

    def action_step_section(self, step: int) -> None:
        names = [section.name for section in self.SECTIONS]
        self.action_section(names[(names.index(self.section) + step) % len(names)])

    def action_select_class(self, step: int) -> None:
        self.messages.clear()
        mass = self.lab.mass
        mass.select((mass.selected + step) % mass.y.size)
        self.redraw()

    def action_take(self) -> None:
        self.messages.clear()
        try:
            source = self.lab.mass.take()
        except Refusal as refusal:
            self.refuse(refusal)
        else:
            self.say("mass", "mass.moved_in", source=source, target=self.lab.mass.selected)
        self.redraw()

    def action_give(self) -> None:
        self.messages.clear()
        try:
            target = self.lab.mass.give()
        except Refusal as refusal:
            self.refuse(refusal)
        else:
            self.say("mass", "mass.moved_in", source=self.lab.mass.selected, target=target)
        self.redraw()

    def action_example(self) -> None:
        self.messages.clear()
        self.lab.mass.load(2 if self.lab.mass.example == 1 else 1)
        self.redraw()

    def action_reset(self) -> None:
        self.messages.clear()
        self.lab.mass.load(self.lab.mass.example)
        self.redraw()

    def action_margin(self) -> None:
        self.messages.clear()
        self.lab.cycle_margin()
        self.margin_changed()

    def margin_changed(self) -> None:
        self.say("svm", "svm.margin_set", margin=short(self.lab.margin))
        self.redraw()

    def action_edit(self) -> None:
        selector = "#margin-input" if self.section == "svm" else "#batch-size-input"
        self.query_one(selector, NumberInput).focus()

    def action_image(self) -> None:
        self.lab.next_image()
        self.redraw()

    def action_weight(self, step: int) -> None:
        self.messages.clear()
        try:
            self.lab.weight.step(step)
        except Refusal as refusal:
            self.refuse(refusal)
        self.redraw()

    def action_redraw(self) -> None:
        if self.minibatch is None:
            return
        self.messages.clear()
        try:
            self.minibatch.draw()
        except Refusal as refusal:
            self.refuse(refusal)
        self.lab.batch = self.minibatch.plan
        self.redraw()

    @on(NumberInput.Accepted, "#margin-input")
    def margin_typed(self, event: NumberInput.Accepted) -> None:
        try:
            self.lab.set_margin(event.value)
        except Refusal as refusal:  # the field's own bounds refuse first; kept so no traceback shows
            event.input.set_number(self.lab.margin)
            self.refuse(refusal)
            return
        self.margin_changed()

    @on(NumberInput.Accepted, "#batch-size-input")
    def batch_size_typed(self, event: NumberInput.Accepted) -> None:
        size = int(event.value)
        if self.minibatch is None:
            # MNIST is still loading (or failed): the batches will be drawn at this size.
            self.lab.batch = loss_lab.BatchPlan(size, self.lab.batch.seed)
            self.want_batches()
            return
        try:
            self.minibatch.set_batch_size(size)
        except Refusal as refusal:
            # Not reachable through the input (its bounds are the set's size); kept so no traceback shows.
            event.input.set_number(self.minibatch.batch_size)
            self.refuse(refusal)
        else:
            self.say("batch", "batch.size_set", n=size)
        self.lab.batch = self.minibatch.plan
        self.redraw()

    # --- the state document ----------------------------------------------------------------

    def state(self) -> dict[str, object]:
        return {"section": self.section, **self.lab.to_state()}

    def restore(self, state: Mapping[str, object]) -> None:
        fields = Fields(state, "state")
        section = fields.choice("section", [s.name for s in self.SECTIONS])
        train_size = self.data.train_size if self.data is not None else loss_lab.MNIST_TRAIN_SIZE
        lab = loss_lab.LossesLab.from_state(fields, train_size)
        # The whole document was valid: only now does the lesson change.
        self.lab, self.section = lab, section
        self.messages.clear()
        if self.minibatch is not None and self.minibatch.plan != lab.batch:
            self.minibatch = None  # drawn again, in the background, when the section shows it
        self.want_batches()
        self.refresh_bindings()

    # --- MNIST in the background ----------------------------------------------------------

    def want_batches(self) -> None:
        """Draw the plan's mini-batches in a thread if the section shows them and they are not there yet."""
        plan = self.lab.batch
        if self.section != "batch" or self.batch_error is not None or self._building == plan:
            return
        if self.minibatch is not None and self.minibatch.plan == plan:
            return
        self.minibatch = None
        self._building = plan
        self.draw_batches(plan, self.data, self.network is None and self.network_error is None)

    @property
    def busy(self) -> bool:
        """Drawing mini-batches in the background: a teacher script's next key waits (see tui/teacher)."""
        return self._building is not None

    @work(thread=True, exclusive=True, group="mnist")
    def draw_batches(self, plan: loss_lab.BatchPlan, data: MnistData | None, with_network: bool = False) -> None:
        """Load MNIST (once) and draw `plan`'s batches again; post `BatchReady` or `BatchFailed`.

        `with_network`: load the book's trained network too (a missing one only loses its line).
        """
        worker = get_current_worker()
        network, network_error = None, None
        if with_network:
            try:
                network = SampleNetwork.load(BOOK_WEIGHTS)
            except Refusal as refusal:
                network_error = refusal
        try:
            data = data if data is not None else self.load_data()
            drawn, refusal = plan, None
            if plan.size > data.train_size:  # asked for before the data's size was known
                refusal = Refusal("losses.batch_size", n=plan.size, high=data.train_size)
                drawn = loss_lab.BatchPlan(data.train_size, plan.seed)
            lab = loss_lab.MiniBatchLab.from_plan(data, drawn, stop=lambda: worker.is_cancelled)
        except (OSError, ValueError) as error:  # MnistError is a Refusal, worded by the catalogue
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            self.post_message(BatchFailed(plan, error if isinstance(error, Refusal) else reason))
            return
        if lab is not None:
            self.post_message(BatchReady(plan, lab, refusal, network, network_error))

    def load_data(self) -> MnistData:
        """The MNIST the app uses (the shipped subset unless a full set is installed)."""
        return find_mnist(MNIST_SUBSET)

    def on_batch_ready(self, message: BatchReady) -> None:
        self.data = message.lab.data
        if message.network is not None or message.network_error is not None:
            self.network, self.network_error = message.network, message.network_error
        if message.asked == self._building:
            self._building = None
        if message.asked != self.lab.batch:
            return  # the student (or a document) asked for other batches meanwhile
        self.minibatch = message.lab
        self.lab.batch = message.lab.plan
        if message.refusal is not None:
            self.refuse(message.refusal)
        self.redraw()

    def batch_failure(self) -> str:
        """Why MNIST could not be loaded, in the language of the moment."""
        error = self.batch_error
        if isinstance(error, Refusal) and error.code in self.TEXT:
            return self.t(error.code, **error.values)
        return str(error)

    def on_batch_failed(self, message: BatchFailed) -> None:
        if message.asked == self._building:
            self._building = None
        if message.asked != self.lab.batch:
            return
        self.batch_error = message.error
        self.redraw()


def _wide(text: str) -> int:
    """How many extra cells `text` takes beyond its length (CJK characters are two wide)."""
    return cell_len(text) - len(text)


def _cell(text: str, column: int) -> str:
    """A number right-aligned a little left of the column's middle, so signs and points line up."""
    return text.rjust(column // 2 + 3).ljust(column)


def _exp_text(value: float) -> str:
    """exp(s) as the source notes write it: 24.5, 164.0, 0.18."""
    if math.isinf(value):
        return "∞"
    return f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def _vector(values: Iterable[float]) -> str:
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


SCREEN = LossesScreen
