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
That is animation, not background work: no tick runs while the widgets are
rebuilt for a new language (`rebuilding`). Every number comes from
`nn_tui.core.labs.playground`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from nn_tui.core.labs.playground import (
    ACTIVATION_NAMES,
    DATASETS,
    MAX_CLASSES,
    MAX_ITERATIONS,
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
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields
from nn_tui.tui.lesson_screen import LessonScreen
from nn_tui.tui.lessons.playground.text import TEXT
from nn_tui.tui.widgets.chart import Chart, Series
from nn_tui.tui.widgets.gate_plane import TEST_GLYPHS, TRAIN_GLYPHS, GatePlane, PlanePoint, PlaneView
from nn_tui.tui.widgets.key_footer import KeyFooter
from nn_tui.tui.widgets.number_input import NumberInput
from nn_tui.tui.widgets.readout import Readout

STEP_ITERATIONS = 10  # what one press of n does
TICK_SECONDS = 0.05
MAX_CHUNK = 10  # iterations per tick: 200 a second, slow enough to watch the regions move
TICK_BUDGET = 0.010  # a tick that takes longer halves the chunk, so keys never wait
REDRAW_SECONDS = 0.25  # the region map and the chart, at most 4 times a second
RUN_LENGTH = 5000  # a run pauses itself after this many iterations (the server is shared)
PLANE_RANGE = (-1.25, 1.25)
CHART_POINTS = 400
CHART_COLOR = "red+"
# The refusals about the hidden layers say which layers were kept.
LAYER_REFUSALS = ("playground.layers_text", "playground.layer_count", "playground.layer_size")
# What the message line can say (a catalogue key), and the whole numbers each sentence needs.
NOTES: dict[str, tuple[str, ...]] = {
    "message.diverged": (),
    "message.run_length": ("n",),
    "playground.diverged": (),
    "playground.iteration_limit": ("most",),
}


def _pad(text: str, width: int) -> str:
    """`text` right-aligned in `width` terminal cells (a Chinese character takes two)."""
    return " " * max(0, width - cell_len(text)) + text


def percent(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1%}"


def loss_text(value: float) -> str:
    return "nan" if math.isnan(value) else f"{value:.4f}"


def whole_ticks(last: int, count: int = 3) -> list[int]:
    """Up to `count` whole iteration numbers spread from 1 to `last` (iterations are whole)."""
    step = max((last - 1) / (count - 1), 1)
    return sorted({round(1 + i * step) for i in range(count) if 1 + i * step <= last + 0.5})


class PlaygroundScreen(LessonScreen):
    TEXT = TEXT
    CSS_PATH = "screen.tcss"

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
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pg = Playground()
        self.running = False
        self.run_length = RUN_LENGTH
        self.stop_at = RUN_LENGTH  # the iteration where the current run pauses itself
        self.chunk = MAX_CHUNK
        # The message line: a catalogue key and its values, translated when drawn.
        self.note: tuple[str, dict[str, object]] | None = None
        # The overfitting demo: which preset is loaded (None once anything is changed),
        # and the last (train, test) accuracy seen for each.
        self.preset: str | None = None
        self.preset_results: dict[str, tuple[float, float]] = {}
        self._ticker: Timer | None = None  # made on the first run, paused between runs
        self._drawn_at = 0.0

    # --- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Readout(id="pg-title")
        with Horizontal(id="pg-body"):
            with Vertical(id="pg-left"):
                yield GatePlane(id="pg-plane")
                yield Readout(id="pg-legend")
            with Vertical(id="pg-right"):
                with Grid(id="pg-form"):
                    yield from self._fields()
                yield Readout(id="pg-stats")
                yield Chart(id="pg-chart")
        yield Readout(id="pg-message")
        yield KeyFooter(compact=True)

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
        yield Readout(id="pg-activation")
        yield Label(self.t("field.lr"))
        yield NumberInput(net.lr, field=self.t("field.lr"), low=1e-6, high=10, id="pg-lr")
        yield Label(self.t("field.l2"))
        yield NumberInput(net.l2, field=self.t("field.l2"), low=0, high=1, id="pg-l2")
        yield Label(self.t("field.optimizer"))
        yield Readout(id="pg-optimizer")

    def on_screen_suspend(self) -> None:
        # Another lesson is shown: training in the background would only take the CPU.
        if self.running:
            self._set_running(False)
            self.refresh_view()

    # --- the state document ---------------------------------------------------------

    def state(self) -> dict[str, object]:
        key, values = self.note or ("", {})
        return {
            "playground": self.pg.to_state(),
            "running": self.running,
            "run_ends_at": self.stop_at,
            "overfit": {
                "preset": self.preset or "",
                **{name: list(self.preset_results.get(name, ())) for name in OVERFIT_PRESETS},
            },
            "message": {"key": key, "values": dict(values)},
        }

    def restore(self, state: Mapping[str, object]) -> None:
        fields = Fields(state, "state")
        pg = Playground.from_state(fields.table_of("playground"))
        running = fields.flag("running")
        stop_at = fields.integer("run_ends_at", 0, MAX_ITERATIONS)
        overfit = fields.table_of("overfit")
        preset = overfit.choice("preset", ("", *OVERFIT_PRESETS)) or None
        results = {}
        for name in OVERFIT_PRESETS:
            seen = overfit.numbers(name, low=0.0, high=1.0, max_length=2)
            if len(seen) == 1:
                raise Refusal("state.wrong_length", field=f"state.overfit.{name}", length=1, expected=2)
            if seen:
                results[name] = (seen[0], seen[1])
        if preset is not None and (pg.data != OVERFIT_DATA or pg.net != OVERFIT_PRESETS[preset]):
            raise Refusal("playground.preset", preset=preset)
        message = fields.table_of("message")
        key = message.choice("key", ("", *NOTES))
        values = message.table_of("values")
        note = (key, {name: values.integer(name, 0) for name in NOTES[key]}) if key else None
        # Everything was read: only now does the lesson change.
        self.pg, self.stop_at, self.preset, self.preset_results = pg, stop_at, preset, results
        self.note = note
        self.chunk = MAX_CHUNK
        self._set_running(running and not pg.diverged and pg.iteration < min(stop_at, MAX_ITERATIONS))

    # --- refusing ---------------------------------------------------------------------

    def refuse(self, reason: str | Refusal, **values: object) -> None:
        """The base's refusal, with the setting a core refusal names in the student's words."""
        if isinstance(reason, Refusal):
            reason, values = reason.code, {**reason.values, **values}
        setting = values.get("setting")
        if isinstance(setting, str) and f"setting.{setting}" in self.TEXT:
            values["setting"] = self.t(f"setting.{setting}")
        if reason in LAYER_REFUSALS:
            values.setdefault("old", format_hidden_layers(self.pg.net.hidden))
        super().refuse(reason, **values)

    # --- rendering from the playground ------------------------------------------

    def refresh_view(self) -> None:
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
        if self.note is not None:
            key, values = self.note
            message = self.t(key, **values)
        else:
            message = self.t("overfit.title") if self.preset is not None else ""
        self.query_one("#pg-message", Static).update(message)

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
        chart = self.query_one("#pg-chart", Chart)
        history = self.pg.history
        if len(history) == 0:
            # The hint is the title: the chart draws titles with rich, so Chinese keeps its width.
            chart.draw([], x_limits=(0, 1), y_limits=(0, 1), title=self.t("chart.empty"))
            return
        curve = history.chart(CHART_POINTS)
        last = max(int(curve.iterations[-1]), 2)
        loss = Series(self.t("stats.loss"), curve.iterations.tolist(), curve.raw.tolist(), "braille",
                      CHART_COLOR, legend=False)
        chart.draw([loss], x_limits=(1, last), y_limits=(0, None), x_ticks=whole_ticks(last),
                   title=self.t("chart.title"))

    # --- training ---------------------------------------------------------------

    def _tick(self) -> None:
        if not self.running or self.rebuilding:  # no tick while the widgets are replaced
            return
        started = time.perf_counter()
        try:
            self.pg.train(min(self.chunk, max(self.stop_at - self.pg.iteration, 0)))
        except ValueError as error:  # a bug must stop the run with a message, never end the lesson
            self._set_running(False)
            self.refuse(error if isinstance(error, Refusal) else type(error).__name__)
            self.refresh_view()
            return
        elapsed = time.perf_counter() - started
        # A tick must leave the UI free: a big net on many points gets fewer iterations per tick.
        if elapsed > TICK_BUDGET and self.chunk > 1:
            self.chunk = max(1, self.chunk // 2)
        elif elapsed < TICK_BUDGET / 3 and self.chunk < MAX_CHUNK:
            self.chunk += 1
        self._remember_preset()
        if self.pg.diverged:
            self._set_running(False)
            self.note = ("message.diverged", {})
            self.refresh_view()
            return
        if self.pg.iteration >= self.stop_at:
            self._set_running(False)
            if self.pg.iteration >= MAX_ITERATIONS:
                self.note = ("playground.iteration_limit", {"most": MAX_ITERATIONS})
            else:
                self.note = ("message.run_length", {"n": self.pg.iteration})
            self.refresh_view()
            return
        self._show_numbers()
        if time.monotonic() - self._drawn_at >= REDRAW_SECONDS:
            self._show_pictures()

    def _set_running(self, running: bool) -> None:
        self.running = running
        if running and self._ticker is None:
            self._ticker = self.set_interval(TICK_SECONDS, self._tick)
        elif self._ticker is not None:
            if running:
                self._ticker.resume()
            else:
                self._ticker.pause()

    def _remember_preset(self) -> None:
        """The overfitting demo keeps the accuracies of the preset being trained, to compare."""
        if self.preset is not None and self.pg.iteration > 0 and not self.pg.diverged:
            self.preset_results[self.preset] = (self.pg.train_accuracy, self.pg.test_accuracy)

    # --- actions -----------------------------------------------------------------

    def action_run(self) -> None:
        if self.running:
            self._set_running(False)
        else:
            try:
                self.pg.check_trainable()
            except Refusal as refusal:
                # Said on the message line, where the lesson says what the network is doing.
                self.note = (refusal.code, refusal.values)
            else:
                self.stop_at = min(self.pg.iteration + self.run_length, MAX_ITERATIONS)
                self.note = None
                self._set_running(True)
        self.refresh_view()

    def action_step(self) -> None:
        try:
            self.pg.train(STEP_ITERATIONS)
        except Refusal as refusal:
            self.note = (refusal.code, refusal.values)
        else:
            self._remember_preset()
            if self.pg.diverged:
                self.note = ("message.diverged", {})
        self.refresh_view()

    def action_reset(self) -> None:
        self.pg.reset()
        self.note = None
        self.refresh_view()

    def _change(self, *, data: dict | None = None, net: dict | None = None) -> bool:
        """Apply a change through the core; a refusal leaves everything as it was."""
        try:
            if data:
                self.pg.set_data(**data)
            if net:
                self.pg.set_network(**net)
        except Refusal as refusal:
            self.refuse(refusal)
            return False
        self.note = None
        if self.preset is not None and (self.pg.data != OVERFIT_DATA or self.pg.net != OVERFIT_PRESETS[self.preset]):
            self.preset = None
        self.refresh_view()
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
        self.note = None
        self.refresh_view()

    def action_reseed(self) -> None:
        data, net = self.pg.data, self.pg.net
        self._change(data={"seed": (data.seed + 1) % (MAX_SEED + 1)}, net={"seed": (net.seed + 1) % (MAX_SEED + 1)})

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
            self.refresh_view()  # puts the kept value back into the field

    @on(Input.Submitted, "#pg-layers")
    def _layers_entered(self, event: Input.Submitted) -> None:
        self._commit_layers(event.input)

    def on_descendant_blur(self, event) -> None:  # noqa: ANN001 - a DescendantBlur
        if getattr(event.widget, "id", None) == "pg-layers":
            self._commit_layers(event.widget)

    def _commit_layers(self, field: Input) -> None:
        old = format_hidden_layers(self.pg.net.hidden)
        try:
            hidden = parse_hidden_layers(field.value.strip())
        except Refusal as refusal:
            field.value = old
            self.refuse(refusal, old=old)
            return
        field.value = format_hidden_layers(hidden)
        if hidden != self.pg.net.hidden:
            self._change(net={"hidden": hidden})


SCREEN = PlaygroundScreen
