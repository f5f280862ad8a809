"""Lesson 6: watch a network learn MNIST, one mini-batch at a time (mini-batch 学习).

Three sections, picked with f, c and i:

f  the setup form: data set, preset, network, optimiser, numbers;
c  the live charts: loss per iteration (raw and smoothed), accuracy per epoch;
i  look inside: the network as of the latest epoch end or pause.

s starts, space pauses / resumes, n trains one mini-batch, x stops, r resets.
Training runs in a thread worker (see `training_worker`); this screen keeps
the run's state in plain attributes and core objects (`TrainConfig`,
`Trainer`, `LossHistory`, `AccuracyCurve`) and re-renders from them on a
timer, so a language switch or a visit to another lesson loses nothing: the
run keeps going while another lesson is shown.
"""

from __future__ import annotations

import sys
import threading
import time
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Grid, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer, Input, Label, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from nn_tui.assets import MNIST_SUBSET
from nn_tui.core.data.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from nn_tui.core.labs.curves import AccuracyCurve, LossHistory
from nn_tui.core.data.mnist import MnistData, MnistError, default_source, load_mnist
from nn_tui.core.networks import MultiLayerNet
from nn_tui.core.optimizers import OPTIMIZERS
from nn_tui.core.presets import PRESETS, get_preset
from nn_tui.core.trainer import IterationEvent, TrainConfig, Trainer
from nn_tui.tui.lessons.training.text import TEXT
from nn_tui.tui.lessons.training.worker import (
    PACES,
    TrainingProgress,
    TrainingStopped,
    network_copy,
    run_training,
)
from nn_tui.tui.screen import NNScreen
from nn_tui.tui.widgets.number_input import NumberInput
from nn_tui.tui.widgets.train_charts import AccuracyChart, AccuracyLabels, LossChart, LossLabels

SECTIONS = ("setup", "charts", "inspect")
SECTION_KEYS = {"setup": "f", "charts": "c", "inspect": "i"}
START_PRESET = "quick"
DEFAULT_NETWORK_FILE = "nn-tui-net.npz"
DEFAULT_CSV_FILE = "nn-tui-metrics.csv"
REDRAW_SECONDS = 0.5
# Charts and the inspector are the costly redraws (and most of the bytes
# sent to a terminal over SSH). While a run goes they are redrawn at most
# this often, and less often still when drawing them is slow (a busy
# machine): the UI thread shares the interpreter with training.
CHART_SECONDS = 1.0
CHART_SHARE = 0.03  # of the UI's time spent drawing charts, at most
INSPECT_SECONDS = 2.0
SWITCH_INTERVAL = 0.0005  # seconds; see train_in_thread
MAX_CHART_POINTS = 500
MAX_GHOSTS = 2
INITS = {"std:0.01": "0.01·randn", "xavier": "Xavier", "he": "He"}
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "Momentum", "adagrad": "AdaGrad", "rmsprop": "RMSProp", "adam": "Adam"}


def parse_hidden_sizes(text: str) -> tuple[int, ...]:
    """'100, 50' -> (100, 50); anything else is a ValueError."""
    parts = [p.strip() for p in text.replace("，", ",").replace(" ", ",").split(",") if p.strip()]
    if not parts:
        raise ValueError(f"no layer sizes in {text!r}")
    sizes = []
    for part in parts:
        if not part.isdigit() or int(part) < 1:
            raise ValueError(f"{part!r} is not a whole number >= 1")
        sizes.append(int(part))
    return tuple(sizes)


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


class TrainingScreen(NNScreen):
    TEXT = TEXT
    CSS_PATH = "screen.tcss"
    AUTO_FOCUS = ""  # letters are keys here until the student enters the form
    BINDINGS = [
        Binding("s", "start", "Start", id="start"),
        Binding("space", "pause", "Pause", id="pause"),
        Binding("n", "step", "1 batch", id="step"),
        Binding("x", "stop", "Stop", id="stop"),
        Binding("r", "reset", "Reset", id="reset"),
        Binding("f", "section('setup')", "Setup", id="section_setup"),
        Binding("c", "section('charts')", "Charts", id="section_charts"),
        Binding("i", "section('inspect')", "Inside", id="section_inspect"),
        Binding("ctrl+s", "save", "Save", id="save"),
        Binding("w", "save", "Save", show=False, id="save_w"),
        Binding("o", "load", "Load", show=False, id="load"),
        Binding("e", "export", "CSV", show=False, id="export"),
        Binding("escape", "leave", "Leave field", show=False, id="leave"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.section = "setup"
        self.preset_name = START_PRESET
        self.config: TrainConfig = get_preset(START_PRESET).config
        self.pace = "full"
        self.data: MnistData | None = None
        self.data_choice = "subset"
        self.folder = ""
        self.loading: str | None = None
        self.announce_data = False
        self.trainer: Trainer | None = None
        self.state = "loading"
        self.busy = False  # a worker owns the trainer
        self.after_stop: str | None = None  # what to do when the worker returns: "stop" / "reset"
        self.stop_request = threading.Event()
        self.loss = LossHistory()
        self.accuracy = AccuracyCurve(START_PRESET)
        self.ghosts: list[AccuracyCurve] = []
        self.runs = 0
        self.last: IterationEvent | None = None
        self.message: str | None = None
        self.message_is_error = False
        self.snapshot: MultiLayerNet | None = None
        self.network_path = DEFAULT_NETWORK_FILE
        self.csv_path = DEFAULT_CSV_FILE
        self.show_timing = True  # off in snapshot tests: speeds are not reproducible
        self.version = 0  # bumped whenever the curves change
        self.accuracy_version = 0  # bumped when the accuracy curves change
        self._drawn_accuracy = -1
        self._drawn_version = -1
        self._drawn_at = 0.0
        self._inspected_version = -1
        self._inspected_at = 0.0
        self._status_text = ""
        self._message_text: str | None = ""
        self.composed = False  # the widgets exist (not before mounting, nor while recomposing)

    # -- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="t-tabs")
        yield Static(id="t-status")
        yield Static(id="t-message")
        with ContentSwitcher(initial=self.section, id="t-sections"):
            with VerticalScroll(id="setup"):
                yield from self.compose_form()
            with Vertical(id="charts"):
                yield LossChart(id="loss-chart")
                yield AccuracyChart(id="accuracy-chart")
            with Container(id="inspect"):
                yield self.make_inspector()
        yield Footer()

    def compose_form(self) -> ComposeResult:
        cfg = self.config
        t = self.t
        with Grid(id="form"):
            yield Label(t("form.preset"))
            yield Select(
                [(name, name) for name in PRESETS], value=self.preset_name, allow_blank=False,
                compact=True, id="preset", classes="wide",
            )
            yield Static(self.preset_text(), id="preset-text", classes="row")
            yield Label(t("form.data"))
            yield Select(self.data_options(), value=self.data_choice, allow_blank=False, compact=True, id="data")
            yield Label(t("form.folder"))
            yield Input(self.folder, placeholder="~/mnist", compact=True, id="folder")
            yield Label(t("form.hidden"))
            yield Input(self.hidden_text(), compact=True, id="hidden")
            yield Label(t("form.activation"))
            yield Select([(a, a) for a in ("relu", "sigmoid", "tanh")], value=cfg.activation,
                         allow_blank=False, compact=True, id="activation")
            yield Label(t("form.init"))
            yield Select([(label, key) for key, label in INITS.items()], value=self.init_choice(),
                         allow_blank=False, compact=True, id="init")
            yield Label(t("form.optimizer"))
            yield Select([(OPTIMIZER_NAMES.get(o, o), o) for o in OPTIMIZERS if o in OPTIMIZER_NAMES],
                         value=cfg.optimizer, allow_blank=False, compact=True, id="optimizer")
            yield Label(t("form.lr"))
            yield NumberInput(cfg.lr, field=t("form.lr"), low=0, id="lr")
            yield Label(t("form.batch"))
            yield NumberInput(cfg.batch_size, field=t("form.batch"), low=1, high=10**6, integer=True, id="batch")
            yield Label(t("form.epochs"))
            yield NumberInput(cfg.epochs, field=t("form.epochs"), low=1, high=10**6, integer=True, id="epochs")
            yield Label(t("form.train_size"))
            yield NumberInput(self.train_size(), field=t("form.train_size"), low=1, high=self.data_train_size(),
                              integer=True, id="train-size")
            yield Label(t("form.decay"))
            yield NumberInput(cfg.weight_decay, field=t("form.decay"), low=0, id="decay")
            yield Label(t("form.dropout"))
            yield NumberInput(cfg.dropout, field=t("form.dropout"), low=0, high=0.99, id="dropout")
            yield Label(t("form.batchnorm"))
            yield Select([(t("form.off"), "off"), (t("form.on"), "on")], value="on" if cfg.batchnorm else "off",
                         allow_blank=False, compact=True, id="batchnorm")
            yield Label(t("form.pace"))
            yield Select([(t(f"pace.{p}"), p) for p in PACES], value=self.pace, allow_blank=False,
                         compact=True, id="pace")
            yield Label(t("form.network_file"))
            yield Input(self.network_path, compact=True, id="network-file")
            yield Label(t("form.csv_file"))
            yield Input(self.csv_path, compact=True, id="csv-file")
            yield Static(t("form.hint"), id="form-hint", classes="row")

    def make_inspector(self) -> Widget:
        try:
            from nn_tui.tui.widgets.network_inspector import NetworkInspector
        except Exception:  # noqa: BLE001 - being written in parallel: a missing or broken one must not stop the lesson
            return Static(self.t("inspect.missing"), id="inspector-placeholder")
        return NetworkInspector(id="inspector")

    def on_mount(self) -> None:
        super().on_mount()
        self.composed = True
        if self.data is None and self.loading is None:
            self.load_data("subset", None, announce=False)
        self.set_interval(REDRAW_SECONDS, self.redraw)
        self.show_all(force=True)

    async def language_changed(self, language: str) -> None:
        # The redraw timer and worker messages keep coming while the widgets are rebuilt.
        self.composed = False
        try:
            await self.recompose()
        finally:
            self.composed = True
        self.show_all(force=True)

    # -- what the form shows ---------------------------------------------------------
    def data_options(self) -> list[tuple[str, str]]:
        options = [(self.t("data.option_subset"), "subset")]
        if default_source() is not None or self.data_choice == "full":
            options.append((self.t("data.option_full"), "full"))
        options.append((self.t("data.option_folder"), "folder"))
        return options

    def hidden_text(self) -> str:
        return ",".join(str(h) for h in self.config.hidden_sizes)

    def init_choice(self) -> str:
        init = self.config.weight_init
        key = init.strip().lower() if isinstance(init, str) else f"std:{init:g}"
        return {"relu": "he", "sigmoid": "xavier", "std:0.01": "std:0.01"}.get(key, key if key in INITS else "he")

    def data_train_size(self) -> int:
        return self.data.train_size if self.data is not None else 60_000

    def train_size(self) -> int:
        return self.config.train_size or self.data_train_size()

    def preset_text(self) -> str:
        preset = PRESETS.get(self.preset_name)
        if preset is None:
            return ""
        key = f"preset.{self.preset_name}"
        text = self.t(key) if key in self.TEXT else preset.description
        if self.config != preset.config:
            text = f"{text} {self.t('preset.custom')}"
        if self.config.iterations is not None:
            text = f"{text}\n{self.t('form.iterations', n=f'{self.config.iterations:,}')}"
        return text

    def refresh_form(self) -> None:
        """Show self.config in every field (after a preset or a loaded network)."""
        cfg = self.config
        with self.prevent(Select.Changed):
            self.query_one("#preset", Select).value = self.preset_name
            self.query_one("#activation", Select).value = cfg.activation
            self.query_one("#init", Select).value = self.init_choice()
            self.query_one("#optimizer", Select).value = cfg.optimizer
            self.query_one("#batchnorm", Select).value = "on" if cfg.batchnorm else "off"
        self.query_one("#hidden", Input).value = self.hidden_text()
        self.query_one("#lr", NumberInput).set_number(cfg.lr)
        self.query_one("#batch", NumberInput).set_number(cfg.batch_size)
        self.query_one("#epochs", NumberInput).set_number(cfg.epochs)
        size = self.query_one("#train-size", NumberInput)
        size.high = self.data_train_size()
        size.set_number(self.train_size())
        self.query_one("#decay", NumberInput).set_number(cfg.weight_decay)
        self.query_one("#dropout", NumberInput).set_number(cfg.dropout)
        self.query_one("#preset-text", Static).update(self.preset_text())

    # -- changing the settings -------------------------------------------------------------
    def apply(self, **changes: object) -> bool:
        """Change the config if TrainConfig accepts it; otherwise say why and change nothing."""
        try:
            config = self.config.replace(**changes)
        except ValueError as error:
            self.notify(self.t("msg.not_applied", reason=str(error)), severity="error", timeout=8)
            return False
        self.set_config(config)
        return True

    def set_config(self, config: TrainConfig) -> None:
        if config == self.config:
            return
        self.config = config
        self.query_one("#preset-text", Static).update(self.preset_text())
        if self.state in ("running", "paused"):
            self.notify(self.t("msg.next_run"))
        elif self.state == "ready" and self.trainer is not None:
            self.refit_loaded_network()

    def refit_loaded_network(self) -> None:
        """A loaded, untrained network follows the new settings if its shape still fits them."""
        assert self.trainer is not None
        network = self.trainer.network
        try:
            self.trainer = Trainer(self.config, self.data, network=network) if self.fits(network) else None
        except ValueError:
            self.trainer = None
        if self.trainer is None:
            self.notify(self.t("msg.loaded_replaced"), severity="warning")

    def fits(self, network: MultiLayerNet) -> bool:
        cfg = self.config
        return (network.hidden_size_list == list(cfg.hidden_sizes) and network.activation == cfg.activation
                and network.use_batchnorm == cfg.batchnorm and network.dropout_ratio == cfg.dropout
                and network.weight_decay_lambda == cfg.weight_decay and network.dtype.name == cfg.dtype)

    @on(Select.Changed, "#preset")
    def preset_changed(self, event: Select.Changed) -> None:
        name = str(event.value)
        if name == self.preset_name:
            return  # a rebuilt form announcing its value, not a new choice
        config = get_preset(name).config
        if config.train_size is not None and self.data is not None and config.train_size > self.data.train_size:
            config = config.replace(train_size=None)
        self.preset_name = name
        self.set_config(config)
        self.refresh_form()

    @on(Select.Changed, "#activation")
    def activation_changed(self, event: Select.Changed) -> None:
        if not self.apply(activation=str(event.value)):
            self.refresh_form()

    @on(Select.Changed, "#init")
    def init_changed(self, event: Select.Changed) -> None:
        if str(event.value) != self.init_choice() and not self.apply(weight_init=str(event.value)):
            self.refresh_form()

    @on(Select.Changed, "#optimizer")
    def optimizer_changed(self, event: Select.Changed) -> None:
        if not self.apply(optimizer=str(event.value)):
            self.refresh_form()

    @on(Select.Changed, "#pace")
    def pace_changed(self, event: Select.Changed) -> None:
        # Takes effect at the next start or resume: the worker got its pace when it began.
        self.pace = str(event.value)

    @on(Select.Changed, "#batchnorm")
    def batchnorm_changed(self, event: Select.Changed) -> None:
        if not self.apply(batchnorm=event.value == "on"):
            self.refresh_form()

    @on(NumberInput.Accepted)
    def number_accepted(self, event: NumberInput.Accepted) -> None:
        field = event.input.id
        value = event.value
        changes: dict[str, object] = {
            "lr": {"lr": value},
            "batch": {"batch_size": int(value)},
            "epochs": {"epochs": int(value), "iterations": None},
            "decay": {"weight_decay": value},
            "dropout": {"dropout": value},
            "train-size": {"train_size": None if int(value) >= self.data_train_size() else int(value)},
        }.get(field or "", {})
        if changes and not self.apply(**changes):
            self.refresh_form()

    @on(Input.Submitted, "#hidden")
    @on(Input.Blurred, "#hidden")
    def hidden_changed(self, event: Input.Submitted | Input.Blurred) -> None:
        text = event.value
        try:
            sizes = parse_hidden_sizes(text)
        except ValueError:
            if text.strip() != self.hidden_text():
                self.notify(self.t("msg.hidden_bad", text=text, old=self.hidden_text()), severity="error", timeout=8)
            self.query_one("#hidden", Input).value = self.hidden_text()
            return
        if not self.apply(hidden_sizes=sizes):
            self.query_one("#hidden", Input).value = self.hidden_text()

    @on(Input.Changed, "#network-file")
    def network_file_changed(self, event: Input.Changed) -> None:
        self.network_path = event.value

    @on(Input.Changed, "#csv-file")
    def csv_file_changed(self, event: Input.Changed) -> None:
        self.csv_path = event.value

    @on(Input.Changed, "#folder")
    def folder_changed(self, event: Input.Changed) -> None:
        self.folder = event.value

    # -- the data set -----------------------------------------------------------------
    @on(Select.Changed, "#data")
    def data_changed(self, event: Select.Changed) -> None:
        choice = str(event.value)
        if choice == self.data_choice:
            return
        if choice == "folder":
            self.query_one("#folder", Input).focus()
            self.notify(self.t("msg.type_folder"))
            return
        if choice == "full":
            source = default_source()
            if source is None:
                self.notify(self.t("msg.no_full"), severity="warning", timeout=8)
                self.restore_data_choice()
                return
            self.load_data("full", source)
        else:
            self.load_data("subset", None)

    @on(Input.Submitted, "#folder")
    def folder_submitted(self, event: Input.Submitted) -> None:
        folder = event.value.strip()
        if folder:
            self.load_data("folder", Path(folder).expanduser())

    def restore_data_choice(self) -> None:
        with self.prevent(Select.Changed):
            self.query_one("#data", Select).value = self.data_choice

    def load_data(self, choice: str, source: Path | None, announce: bool = True) -> None:
        """Load a data set in a thread; `announce` says so in notifications (not at start-up)."""
        if self.busy:
            self.notify(self.t("msg.running"), severity="warning")
            self.restore_data_choice()
            return
        self.loading = choice
        self.state = "loading"
        self.announce_data = announce  # the status line says LOADING DATA meanwhile
        self.run_worker(partial(load_mnist, source or MNIST_SUBSET), thread=True, exclusive=True, group="data",
                        exit_on_error=False, name=choice)
        self.show_status()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "data" or worker.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        choice, self.loading = worker.name, None
        if worker.state == WorkerState.SUCCESS:
            self.data = worker.result
            self.data_choice = choice
            self.reset_run()
            if self.config.train_size is not None and self.config.train_size > self.data.train_size:
                self.config = self.config.replace(train_size=None)
            if self.composed:
                self.refresh_form()
                self.restore_data_choice()
                if self.announce_data:
                    self.notify(self.t("msg.loaded_data", name=self.data_name()))
        else:
            error = worker.error
            reason = str(error) if isinstance(error, (MnistError, OSError, ValueError)) else repr(error)
            # On the message line rather than a toast: it stays until the next action.
            self.message, self.message_is_error = self.t("msg.data_error", reason=reason), True
            self.state = "ready" if self.data is not None else "nodata"
            self.restore_data_choice()
        self.show_status()

    def data_name(self) -> str:
        if self.data is None:
            return "–"
        key = "data.subset" if self.data.source == "subset" else "data.folder"
        return self.t(key, train=f"{self.data.train_size:,}", test=f"{self.data.test_size:,}")

    # -- running --------------------------------------------------------------------------
    def ensure_trainer(self) -> Trainer | None:
        if self.trainer is not None:
            return self.trainer
        if self.data is None:
            self.notify(self.t("msg.no_data"), severity="warning")
            return None
        try:
            self.trainer = Trainer(self.config, self.data)
        except ValueError as error:
            self.notify(self.t("msg.not_applied", reason=str(error)), severity="error", timeout=8)
            return None
        self.runs += 1
        preset = PRESETS.get(self.preset_name)
        label = self.preset_name if preset is not None and preset.config == self.config else f"run {self.runs}"
        self.accuracy = AccuracyCurve(label)
        self.accuracy_version += 1
        return self.trainer

    def begin(self, steps: int | None) -> None:
        """Hand the trainer to a worker for `steps` mini-batches (None: until paused or done)."""
        if self.loading is not None:
            self.notify(self.t("msg.wait_data"))
            return
        trainer = self.ensure_trainer()
        if trainer is None:
            return
        self.stop_request.clear()
        self.after_stop = None
        self.busy = True
        self.message = None
        if steps is None:
            self.state = "running"
        delay = PACES[self.pace] if steps is None else 0.0
        self.run_worker(partial(self.train_in_thread, trainer, steps, delay), thread=True, exclusive=True,
                        group="training", exit_on_error=False, name="training")
        self.show_status()

    def train_in_thread(self, trainer: Trainer, steps: int | None, delay: float) -> None:
        worker = get_current_worker()
        stop = self.stop_request
        # The UI thread gives up the interpreter lock at every wait for input
        # or output and must then wait for training to hand it back: at most
        # the switch interval, 5 ms by default, many times per key press.
        previous = sys.getswitchinterval()
        sys.setswitchinterval(min(previous, SWITCH_INTERVAL))
        try:
            run_training(trainer, self.post_message, steps=steps, delay=delay, wait=stop.wait,
                         should_stop=lambda: stop.is_set() or worker.is_cancelled,
                         want_snapshots=lambda: self.section == "inspect")
        finally:
            sys.setswitchinterval(previous)

    def on_training_progress(self, message: TrainingProgress) -> None:
        if len(message.losses):
            self.loss.append(message.losses)
        for event in message.epochs:
            self.accuracy = self.accuracy.add(event.epoch, event.train_acc, event.test_acc)
        if message.epochs:
            self.accuracy_version += 1
        if message.last is not None:
            self.last = message.last
        if message.snapshot is not None:
            self.snapshot = message.snapshot
        self.version += 1

    def on_training_stopped(self, message: TrainingStopped) -> None:
        self.busy = False
        after, self.after_stop = self.after_stop, None
        if message.reason == "diverged" and message.diverged is not None:
            self.state = "diverged"
            self.message = self.t("msg.diverged", reason=message.diverged.message)
            self.message_is_error = True
        elif message.reason == "finished":
            self.state = "finished"
        elif message.reason == "error":
            self.state = "stopped"
            self.message = self.t("msg.error", reason=message.error)
            self.message_is_error = True
        else:
            self.state = "paused"
        if after == "reset":
            self.reset_run()
        elif after == "stop" and self.state == "paused":
            self.stop_run()
        self.show_all()

    def stop_run(self) -> None:
        if self.trainer is not None:
            self.trainer.stop()
        self.state = "stopped"

    def reset_run(self) -> None:
        """Forget the run (its accuracy curve stays as a ghost) and be ready for a new one."""
        if len(self.accuracy):
            self.ghosts = [*self.ghosts, self.accuracy][-MAX_GHOSTS:]
        self.accuracy = AccuracyCurve(self.preset_name)
        self.loss = LossHistory()
        self.accuracy_version += 1
        self.trainer = None
        self.last = None
        self.message = None
        self.snapshot = None
        self.state = "ready" if self.data is not None else "nodata"
        self.version += 1

    # -- actions ----------------------------------------------------------------------------
    def action_start(self) -> None:
        if self.busy:
            self.notify(self.t("msg.already_running"))
            return
        if self.state in ("finished", "stopped", "diverged"):
            self.reset_run()
        self.begin(None)
        if self.busy:
            self.action_section("charts")

    def action_pause(self) -> None:
        if self.busy:
            if self.state == "running":
                self.stop_request.set()
            return
        if self.state in ("finished", "stopped", "diverged"):
            self.notify(self.t("msg.over"))
            return
        self.begin(None)

    def action_step(self) -> None:
        if self.busy:
            self.notify(self.t("msg.running"), severity="warning")
            return
        if self.state in ("finished", "stopped", "diverged"):
            self.notify(self.t("msg.over"))
            return
        self.begin(1)

    def action_stop(self) -> None:
        if self.busy:
            self.after_stop = "stop"
            self.stop_request.set()
        elif self.state == "paused":
            self.stop_run()
            self.show_status()
        else:
            self.notify(self.t("msg.nothing_to_stop"))

    def action_reset(self) -> None:
        if self.busy:
            self.after_stop = "reset"
            self.stop_request.set()
        else:
            self.reset_run()
            self.show_all()

    def action_section(self, section: str) -> None:
        self.section = section
        self.query_one("#t-sections", ContentSwitcher).current = section
        inspectors = self.query("#inspector")
        if section == "inspect" and inspectors:
            inspectors.first().focus()  # its arrow and [ ] keys work at once; ours still do
        elif section != "setup" and self.focused is not None:
            # Letters are keys again. (Focus is not moved into the form on f:
            # every focus change rebuilds the footer, which is slow; Tab enters the form.)
            self.set_focus(None)
        # Charts come back as last drawn at once; new points follow on the next tick.
        self.show_tabs()

    def action_leave(self) -> None:
        self.set_focus(None)

    def action_save(self) -> None:
        if self.busy:
            self.notify(self.t("msg.running"), severity="warning")
            return
        if self.trainer is None:
            self.notify(self.t("msg.nothing_to_save"), severity="warning")
            return
        trainer = self.trainer
        cfg = trainer.config
        try:
            path = save_checkpoint(
                Path(self.network_path).expanduser(), trainer.network,
                optimizer={"name": cfg.optimizer, "lr": cfg.lr}, dataset=trainer.data_name,
                metrics=trainer.summary(), extra={"config": cfg.to_dict()},
            )
        except (CheckpointError, OSError, ValueError) as error:
            self.notify(self.t("msg.save_error", reason=str(error)), severity="error", timeout=10)
            return
        self.notify(self.t("msg.saved", path=str(path)))

    def action_load(self) -> None:
        if self.busy:
            self.notify(self.t("msg.running"), severity="warning")
            return
        if self.data is None:
            self.notify(self.t("msg.no_data"), severity="warning")
            return
        path = Path(self.network_path).expanduser()
        try:
            network = load_checkpoint(path).network
            spec = network.spec()
            config = self.config.replace(
                hidden_sizes=tuple(spec["hidden_size_list"]), activation=spec["activation"],
                weight_init=spec["weight_init"], weight_decay=spec["weight_decay_lambda"],
                dropout=spec["dropout_ratio"], batchnorm=spec["use_batchnorm"], dtype=spec["dtype"],
            )
            trainer = Trainer(config, self.data, network=network)
            accuracy = trainer.evaluate("test")
        except (CheckpointError, OSError, ValueError) as error:
            self.notify(self.t("msg.load_error", reason=str(error)), severity="error", timeout=10)
            return
        self.reset_run()
        self.config = config
        self.trainer = trainer
        self.snapshot = network_copy(trainer)
        self.refresh_form()
        self.message = self.t("msg.loaded", path=str(path), acc=percent(accuracy))
        self.message_is_error = False
        self.show_all(force=True)

    def action_export(self) -> None:
        if self.busy:
            self.notify(self.t("msg.running"), severity="warning")
            return
        if self.trainer is None or self.trainer.iteration == 0:
            self.notify(self.t("msg.nothing_to_export"), severity="warning")
            return
        path = Path(self.csv_path).expanduser()
        try:
            self.trainer.export_csv(path)
        except (OSError, ValueError) as error:
            self.notify(self.t("msg.export_error", reason=str(error)), severity="error", timeout=10)
            return
        self.notify(self.t("msg.exported", n=f"{self.trainer.iteration:,}", path=str(path)))

    # -- drawing ------------------------------------------------------------------------------
    def redraw(self) -> None:
        """The timer: status when it changed; charts and inspector when their data did (rate-limited)."""
        if not self.composed:
            return
        self.show_status()
        now = time.monotonic()
        if self.section == "charts" and self.version != self._drawn_version:
            cost = self.query_one(LossChart).build_seconds + self.query_one(AccuracyChart).build_seconds
            if not self.busy or now - self._drawn_at >= max(CHART_SECONDS, cost / CHART_SHARE):
                self.show_charts()
        if self.section == "inspect" and self.version != self._inspected_version:
            if not self.busy or now - self._inspected_at >= INSPECT_SECONDS:
                self.show_inspector()

    def show_all(self, force: bool = False) -> None:
        if not self.composed:
            return
        if force:
            self._drawn_version = self._inspected_version = self._drawn_accuracy = -1
            self._status_text = self._message_text = ""
        self.show_tabs()
        self.show_status()
        if self.section == "charts" and self.version != self._drawn_version:
            self.show_charts()
        if self.section == "inspect" and self.version != self._inspected_version:
            self.show_inspector()

    def show_tabs(self) -> None:
        tabs = Text.assemble((self.t("title"), "bold"), "   ")
        for section in SECTIONS:
            label = f" {SECTION_KEYS[section]} {self.t(f'tab.{section}')} "
            tabs.append(label, style="bold reverse" if section == self.section else "")
            tabs.append(" ")
        self.query_one("#t-tabs", Static).update(tabs, layout=False)

    def status_text(self) -> Text:
        state = self.state
        if self.busy and self.state != "running":
            state = "running"
        text = Text.assemble((f" {self.t(f'state.{state}')} ", f"bold reverse {STATE_STYLES[state]}"), "  ",
                             self.data_name(), "\n")
        trainer = self.trainer
        last = self.last
        if trainer is None or last is None:
            text.append(self.t("status.hint_ready") if self.state == "ready" else "")
            text.append("\n")
            text.append(self.plan_text(), style="dim")
            return text
        epochs_total = -(-trainer.max_iter // trainer.iter_per_epoch)
        text.append(self.t("status.epoch", epoch=last.epoch, epochs=epochs_total), style="bold")
        text.append(" · ")
        text.append(self.t("status.iteration", i=f"{last.iteration:,}", n=f"{trainer.max_iter:,}"), style="bold")
        text.append(" · ")
        text.append(self.t("status.loss", loss=f"{last.loss:.4f}"), style="bold")
        text.append("\n")
        if len(self.accuracy):
            text.append(self.t("status.accuracy", train=percent(self.accuracy.train[-1]),
                               test=percent(self.accuracy.test[-1])), style="bold")
        else:
            text.append(self.t("status.no_accuracy"), style="dim")
        if self.show_timing:
            text.append(" · ")
            text.append(self.t("status.speed", speed=f"{last.samples_per_second:,.0f}", elapsed=f"{last.elapsed:.1f}"))
        return text

    def plan_text(self) -> str:
        """The next run in one line: network, optimiser, length."""
        cfg = self.config
        layers = "-".join(str(n) for n in (784, *cfg.hidden_sizes, cfg.output_size))
        length = (self.t("status.plan_iterations", n=f"{cfg.iterations:,}") if cfg.iterations is not None
                  else self.t("status.plan_epochs", n=cfg.epochs))
        return self.t("status.plan", layers=layers, activation=cfg.activation,
                      optimizer=OPTIMIZER_NAMES.get(cfg.optimizer, cfg.optimizer), lr=f"{cfg.lr:g}",
                      batch=cfg.batch_size, length=length)

    def show_status(self) -> None:
        if not self.composed:
            return
        text = self.status_text()
        if text.plain != self._status_text:
            self._status_text = text.plain
            # Three lines, always: no layout pass for a number that changed.
            self.query_one("#t-status", Static).update(text, layout=False)
        if self.message != self._message_text:
            self._message_text = self.message
            message = self.query_one("#t-message", Static)
            message.display = bool(self.message)
            message.update(Text(self.message or "", style="bold red" if self.message_is_error else "bold"))

    def show_charts(self) -> None:
        self._drawn_version, self._drawn_at = self.version, time.monotonic()
        t = self.t
        chart = self.query_one(LossChart)
        curve = self.loss.chart(min(chart.max_points, MAX_CHART_POINTS)) if len(self.loss) else None
        chart.show(curve, LossLabels(t("chart.loss"), t("chart.loss_empty")))
        if self.accuracy_version == self._drawn_accuracy:
            return
        self._drawn_accuracy = self.accuracy_version
        ghosts = ", ".join(g.label for g in self.ghosts if len(g))
        title = t("chart.accuracy_ghosts", ghosts=ghosts) if ghosts else t("chart.accuracy")
        self.query_one(AccuracyChart).show(self.accuracy, self.ghosts, AccuracyLabels(title, t("chart.accuracy_empty")))

    def show_inspector(self) -> None:
        self._inspected_version, self._inspected_at = self.version, time.monotonic()
        inspectors = self.query("#inspector")
        if not inspectors:
            return
        if self.snapshot is None or self.data is None:
            return
        try:
            inspectors.first().show(self.snapshot, self.data, self.language)
        except Exception as error:  # noqa: BLE001 - another team's widget must not crash a class demo
            self.notify(self.t("msg.inspect_error", reason=f"{type(error).__name__}: {error}"), severity="error")


STATE_STYLES = {
    "loading": "yellow",
    "nodata": "red",
    "ready": "blue",
    "running": "green",
    "paused": "yellow",
    "finished": "cyan",
    "stopped": "magenta",
    "diverged": "red",
}

SCREEN = TrainingScreen
