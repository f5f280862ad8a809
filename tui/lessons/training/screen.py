"""Lesson 6: watch a network learn MNIST, one mini-batch at a time (mini-batch 学习).

Three sections, picked with f, c and i:

f  the setup form: data set, preset, network, optimiser, numbers;
c  the live charts: loss per iteration (raw and smoothed), accuracy per epoch;
i  look inside: the network as of the latest epoch end or pause.

s starts, space pauses / resumes, n trains one mini-batch, x stops, r resets.
The model is the setup (`TrainConfig` and the form's other fields) and the
run's `RunRecord` (its curves and status numbers); the `Trainer` is the
engine, lent to a thread worker while it trains (see `worker`). Both the
training loop and the data loader are `@work` threads that post small
messages back; the screen updates the model from them and redraws on a
timer, so a language switch or a visit to another lesson loses nothing: the
run keeps going while another lesson is shown.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Mapping
import copy
from dataclasses import dataclass, fields, replace
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Container, Grid, Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input, Label, Select
from textual.worker import get_current_worker

from nn_tui.assets import MNIST_SUBSET
from nn_tui.core.data.checkpoint import CheckpointError, clean_stale_temporaries, save_checkpoint
from nn_tui.core.data.mnist import MnistData, default_source
from nn_tui.core.labs.curves import RunRecord
from nn_tui.core.networks import MultiLayerNet
from nn_tui.core.optimizers import OPTIMIZERS
from nn_tui.core.presets import PRESETS, get_preset
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields
from nn_tui.core.trainer import TrainConfig, Trainer, memory_needed
from nn_tui.tui import threads
from nn_tui.tui.lesson_screen import LessonScreen, Section
from nn_tui.tui.lessons.training.charts import AccuracyChart, AccuracyLabels, LossChart, LossLabels
from nn_tui.tui.lessons.training.network_inspector import InspectorChoice, NetworkInspector
from nn_tui.tui.lessons.training.text import TEXT
from nn_tui.tui.threads import show_bytes
from nn_tui.tui.lessons.training.worker import (
    PACES,
    DataLoaded,
    NetworkLoaded,
    TrainingProgress,
    TrainingStopped,
    network_copy,
    read_data,
    read_network,
    run_training,
)
from nn_tui.tui.widgets.key_footer import KeyFooter
from nn_tui.tui.widgets.number_input import NumberInput
from nn_tui.tui.widgets.readout import Readout
from nn_tui.tui.widgets.section_bar import SectionBar

START_PRESET = "quick"
DEFAULT_NETWORK_FILE = "nn-tui-net.npz"
DEFAULT_CSV_FILE = "nn-tui-metrics.csv"
DATA_CHOICES = ("subset", "full", "folder")
REDRAW_SECONDS = 0.25
# Charts and the inspector are the costly redraws (and most of the bytes
# sent to a terminal over SSH). While a run goes the charts are redrawn
# at most this often (twice a second: smooth enough to watch, some 9 KB/s
# to an 80x24 terminal; see benchmarks/bench_training_ui.py), and less
# often only when drawing them is slow (a very busy machine): the UI thread
# shares the interpreter with training. The status line is redrawn with
# them, so both always show the same iteration.
CHART_SECONDS = 0.5
CHART_SHARE = 0.2  # of the UI's time spent drawing charts, at most
INSPECT_SECONDS = 2.0
SWITCH_INTERVAL = 0.0005  # seconds; see train_in_thread
MAX_CHART_POINTS = 500
# A network is built only if training it is estimated to need at most this
# share of the memory available now (as for `nn-tui train`).
INITS = {"std:0.01": "0.01·randn", "xavier": "Xavier", "he": "He"}
ACTIVATION_NAMES = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh"}
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "Momentum", "adagrad": "AdaGrad", "rmsprop": "RMSProp", "adam": "Adam"}

# What a state document says of the run: without its weights a run cannot go
# on, so one that was running or paused is kept as stopped.
DOCUMENT_STATUS = {"ready": "ready", "running": "stopped", "paused": "stopped",
                   "finished": "finished", "stopped": "stopped", "diverged": "diverged"}

PHASE_STYLES = {
    "loading": "yellow",
    "nodata": "red",
    "ready": "blue",
    "running": "green",
    "paused": "yellow",
    "finished": "cyan",
    "stopped": "magenta",
    "diverged": "red",
}


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


def chart_interval(cost: float) -> float:
    """Seconds between chart redraws during a run, for pictures that took `cost` seconds to build."""
    return max(CHART_SECONDS, cost / CHART_SHARE)


def init_key(init: str | float) -> str:
    """The form's name for a weight init ("he", "xavier", "std:0.01", or as given)."""
    key = init.strip().lower() if isinstance(init, str) else f"std:{init:g}"
    return {"relu": "he", "sigmoid": "xavier"}.get(key, key)


def layers_text(cfg: TrainConfig) -> str:
    """784-100-10: the network's layer sizes, input to output."""
    return "-".join(str(n) for n in (784, *cfg.hidden_sizes, cfg.output_size))


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


@dataclass(frozen=True)
class TeacherSnapshot:
    """The whole lesson for teacher mode, in memory: its document and what the document leaves out.

    `trainer` is a copy no one trains (it is copied again when put back);
    a run that was going is kept paused.
    """

    document: dict[str, object]
    trainer: Trainer | None
    record: RunRecord
    run_status: str
    inspected: MultiLayerNet | None
    saved_iteration: int
    note: tuple[str, dict[str, object]] | None
    note_is_error: bool
    inspector_choice: InspectorChoice
    #: The run went on after the copy (it was paused only to be copied).
    running: bool = False


class TrainingScreen(LessonScreen):
    TEXT = TEXT
    CSS_PATH = "screen.tcss"
    SECTIONS = (Section("setup", "f"), Section("charts", "c"), Section("inspect", "i"))
    BINDINGS = [
        Binding("s", "start", "Start", id="start"),
        Binding("space", "pause", "Pause", id="pause"),
        Binding("n", "step", "1 batch", id="step"),
        # At 80x24 the footer has room for six keys and ? help: the run's and the network
        # file's come first; x (a pause that ends the run) and r (s starts afresh after a
        # run anyway) are in ? help.
        Binding("x", "stop", "Stop", show=False, id="stop"),
        Binding("r", "reset", "Reset", show=False, id="reset"),
        Binding("ctrl+s", "save", "Save", id="save"),
        Binding("w", "save", "Save", show=False, id="save_w"),
        Binding("o", "load", "Load", id="load"),
        Binding("e", "export", "CSV", id="export"),
    ]

    #: Looking inside, the inspector's keys fill the footer: of the lesson's, only these stay.
    INSPECT_FOOTER = frozenset({"start"})

    def __init__(self) -> None:
        super().__init__()
        # The setup: every field of the form.
        self.preset_name = START_PRESET
        self.config: TrainConfig = get_preset(START_PRESET).config
        self.pace = "full"
        self.folder = ""
        self.network_path = DEFAULT_NETWORK_FILE
        self.csv_path = DEFAULT_CSV_FILE
        # The data: what is loaded, and what is being loaded (a worker reads it).
        self.data: MnistData | None = None
        self.data_choice = "subset"
        self.loading: str | None = None
        self._loading_from: Path | None = None
        self.announce_data = False
        # The run: its record (what is shown), and the trainer (the engine, lent to a worker while busy).
        self.record = RunRecord()
        self.run_status = "ready"  # ready, running, paused, finished, stopped, diverged
        self.trainer: Trainer | None = None
        self.busy = False  # a worker owns the trainer
        self.after_stop: str | None = None  # what to do when the worker returns: "stop" / "reset"
        self.stop_request = threading.Event()
        self.snapshot: MultiLayerNet | None = None  # a copy of the network for "look inside"
        self.saved_iteration = 0  # the trainer's iteration when its network was last saved (or loaded)
        # A saved network being loaded by a worker: its file, and the request's number
        # (a result for an older request, or after a reset or restore, is ignored).
        self.loading_network: Path | None = None
        self.network_request = 0
        # The message line: a catalogue key and its values, worded in the language of the moment.
        self.note: tuple[str, dict[str, object]] | None = None
        self.note_is_error = False
        self.inspector_choice = InspectorChoice()
        self.show_timing = True  # off in snapshot tests: speeds are not reproducible
        self.version = 0  # bumped whenever the record changes
        self.accuracy_version = 0  # bumped when the accuracy curves change
        self._drawn_at = 0.0
        self._inspected: tuple[NetworkInspector | None, int] = (None, -1)  # the inspector drawn, at which version
        self._inspected_at = 0.0
        self._redraw: Timer | None = None
        # Teacher mode: a copy taken while a run was paused for it (the run went on).
        self._teacher_copy: TeacherSnapshot | None = None

    # -- layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="t-top"):
            yield Readout(Text(self.t("title"), style="bold"), id="t-title")
            yield SectionBar(id="t-tabs")
        yield Readout(id="t-status")
        yield Readout(id="t-message")
        with ContentSwitcher(initial=self.section, id="sections"):
            # Not a Tab stop itself: Tab goes from field to field, and the form scrolls to the one focused.
            with VerticalScroll(id="setup", can_focus=False):
                yield from self.compose_form()
            with Vertical(id="charts"):
                yield LossChart(id="loss-chart")
                yield AccuracyChart(id="accuracy-chart")
            with Container(id="inspect"):
                yield NetworkInspector(id="inspector", choice=self.inspector_choice)
        yield KeyFooter()

    def compose_form(self) -> ComposeResult:
        cfg = self.config
        t = self.t
        # The preset's sentence sits between two grids, as tall as its text: in a grid's row
        # a cell spanning columns is measured as if one column wide.
        with Grid(id="form-preset", classes="form"):
            yield Label(t("form.preset"))
            yield Select(
                [(name, name) for name in PRESETS], value=self.preset_name, allow_blank=False,
                compact=True, id="preset",
            )
        yield Readout(self.preset_text(), id="preset-text")
        with Grid(id="form", classes="form"):
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
            yield Readout(t("form.hint"), id="form-hint", classes="row")

    def widgets_built(self) -> None:
        # Started once the screen is on the app (a worker posts back to a mounted screen);
        # after a language rebuild both are already there.
        if self.data is None and self.loading is None:
            # As `nn-tui train` does: $NN_TUI_MNIST_DIR, else a verified download, else the subset.
            full = default_source()
            if full is not None:
                self.load_data("full", full, announce=False)
            else:
                self.load_data("subset", MNIST_SUBSET, announce=False)
        if self._redraw is None:  # the first mount
            self._redraw = self.set_interval(REDRAW_SECONDS, self.redraw)
            # Saves killed half-way leave hidden temporaries beside the network file.
            clean_stale_temporaries(Path(self.network_path).expanduser().parent)
        super().widgets_built()

    # -- the footer -------------------------------------------------------------------
    def hidden_in_footer(self, active: ActiveBinding) -> bool:
        """A key of the lesson left out of the footer in this section (it still works; ? help lists it)."""
        return (self.section == "inspect" and active.node is self and active.binding.show
                and active.binding.id not in self.INSPECT_FOOTER)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings = super().active_bindings
        return {key: active._replace(binding=replace(active.binding, show=False)) if self.hidden_in_footer(active)
                else active for key, active in bindings.items()}

    def _footer_room(self, lesson_keys: Mapping[str, ActiveBinding], palette: ActiveBinding | None) -> int:
        # The room for ? and q is what the keys actually shown leave.
        shown = {key: active for key, active in lesson_keys.items() if not self.hidden_in_footer(active)}
        return super()._footer_room(shown, palette)

    # -- the state document ----------------------------------------------------------
    def state(self) -> dict[str, object]:
        data_folder = str(self.data.source) if self.data is not None and self.data_choice == "folder" else ""
        return {
            "section": self.section,
            "preset": self.preset_name,
            "config": self.config.to_state(),
            "pace": self.pace,
            "data": self.data_choice,
            "data_folder": data_folder,
            "folder": self.folder,
            "network_file": self.network_path,
            "csv_file": self.csv_path,
            "status": DOCUMENT_STATUS[self.run_status],
            "run": self.record.to_state(),
        }

    def restore(self, state: Mapping[str, object]) -> None:
        if self.busy:
            raise Refusal("msg.running")
        fields = Fields(state)
        section = fields.choice("section", [s.name for s in self.SECTIONS])
        preset = fields.choice("preset", list(PRESETS))
        config = TrainConfig.from_state(fields.table_of("config"))
        pace = fields.choice("pace", list(PACES))
        data_choice = fields.choice("data", DATA_CHOICES)
        data_folder = fields.text("data_folder")
        folder = fields.text("folder")
        network_path = fields.text("network_file")
        csv_path = fields.text("csv_file")
        status = fields.choice("status", sorted(set(DOCUMENT_STATUS.values())))
        record = RunRecord.from_state(fields.table_of("run"))
        source = self.data_source(data_choice, data_folder)
        # Everything was read: only now does the lesson change.
        self.section, self.preset_name, self.config, self.pace = section, preset, config, pace
        self.folder, self.network_path, self.csv_path = folder, network_path, csv_path
        self.record, self.run_status, self.trainer, self.snapshot = record, status, None, None
        self.forget_network_load()
        diverged = status == "diverged" and record.diverged is not None
        self.note, self.note_is_error = (("msg.diverged", {}), True) if diverged else (None, False)
        self.version += 1
        self.accuracy_version += 1
        if not self.has_data(data_choice, source):
            self.load_data(data_choice, source, announce=False)

    def data_source(self, choice: str, folder: str) -> Path:
        """Where the data of `choice` is read from (a Refusal if this machine does not have it)."""
        if choice == "subset":
            return MNIST_SUBSET
        if choice == "full":
            source = default_source()
            if source is None:
                raise Refusal("msg.no_full")
            return source
        if not folder.strip():
            raise Refusal("state.missing", field="state.data_folder")
        return Path(folder).expanduser()

    def has_data(self, choice: str, source: Path) -> bool:
        """Whether the data of `choice` at `source` is loaded, or being loaded."""
        if self.loading is not None:
            return (self.loading, self._loading_from) == (choice, source)
        if self.data is None or self.data_choice != choice:
            return False
        return choice != "folder" or Path(self.data.source) == source

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
        key = init_key(self.config.weight_init)
        return key if key in INITS else "he"

    def data_train_size(self) -> int:
        return self.data.train_size if self.data is not None else 60_000

    def train_size(self) -> int:
        return self.config.train_size or self.data_train_size()

    def preset_text(self) -> str:
        preset = PRESETS.get(self.preset_name)
        if preset is None:
            return ""
        text = self.preset_description(preset.config, self.preset_name)
        if self.config != preset.config:
            text = f"{text} {self.t('preset.custom')}"
        if self.config.iterations is not None:
            text = f"{text}\n{self.t('form.iterations', n=f'{self.config.iterations:,}')}"
        return text

    def preset_description(self, cfg: TrainConfig, name: str) -> str:
        """The preset's sentence, its numbers filled in from its own settings."""
        t = self.t
        network = t("preset.network", layers=layers_text(cfg), activation=ACTIVATION_NAMES.get(cfg.activation,
                    cfg.activation), init=INITS.get(init_key(cfg.weight_init), str(cfg.weight_init)))
        if cfg.batchnorm:
            network += t("preset.batchnorm")
        if cfg.dropout:
            network += t("preset.dropout", dropout=f"{cfg.dropout:g}")
        if cfg.weight_decay:
            network += t("preset.decay", decay=f"{cfg.weight_decay:g}")
        training = t("preset.training", optimizer=OPTIMIZER_NAMES.get(cfg.optimizer, cfg.optimizer),
                     lr=f"{cfg.lr:g}", batch=cfg.batch_size, length=self.length_text(cfg))
        return t(f"preset.{name}", network=network, training=training, dropout=f"{cfg.dropout:g}",
                 decay=f"{cfg.weight_decay:g}", train=f"{cfg.train_size or self.data_train_size():,}",
                 depth=len(cfg.hidden_sizes) + 1)

    def length_text(self, cfg: TrainConfig) -> str:
        return (self.t("status.plan_iterations", n=f"{cfg.iterations:,}") if cfg.iterations is not None
                else self.t("status.plan_epochs", n=cfg.epochs))

    def select_values(self) -> dict[str, str]:
        """What each select of the form shows for the setup, by its id."""
        cfg = self.config
        return {"preset": self.preset_name, "data": self.data_choice, "activation": cfg.activation,
                "init": self.init_choice(), "optimizer": cfg.optimizer,
                "batchnorm": "on" if cfg.batchnorm else "off", "pace": self.pace}

    def refresh_form(self) -> None:
        """Show the setup in every field (a field being typed in is left alone)."""
        cfg = self.config
        with self.prevent(Select.Changed):
            for name, value in self.select_values().items():
                self.query_one(f"#{name}", Select).value = value
        texts = {"hidden": self.hidden_text(), "folder": self.folder, "network-file": self.network_path,
                 "csv-file": self.csv_path}
        for name, value in texts.items():
            field = self.query_one(f"#{name}", Input)
            if not field.has_focus:
                field.value = value
        self.query_one("#train-size", NumberInput).high = self.data_train_size()
        numbers = {"lr": cfg.lr, "batch": cfg.batch_size, "epochs": cfg.epochs, "train-size": self.train_size(),
                   "decay": cfg.weight_decay, "dropout": cfg.dropout}
        for name, value in numbers.items():
            field = self.query_one(f"#{name}", NumberInput)
            if not field.has_focus:
                field.set_number(value)
        self.show_preset_text()

    def show_preset_text(self) -> None:
        self.query_one("#preset-text", Readout).update(self.preset_text())

    # -- changing the settings -------------------------------------------------------------
    def apply(self, **changes: object) -> bool:
        """Change the config if TrainConfig accepts it; otherwise say why and change nothing."""
        try:
            config = self.config.replace(**changes)
        except Refusal as refusal:
            self.refuse(refusal)
            return False
        self.set_config(config)
        return True

    def set_config(self, config: TrainConfig) -> None:
        if config == self.config:
            return
        self.config = config
        self.show_preset_text()
        if self.run_status in ("running", "paused"):
            self.notify(self.t("msg.next_run"))
        elif self.run_status == "ready" and self.trainer is not None:
            self.refit_loaded_network()

    def refit_loaded_network(self) -> None:
        """A loaded, untrained network follows the new settings if its shape still fits them."""
        assert self.trainer is not None
        network = self.trainer.network
        try:
            self.trainer = Trainer(self.config, self.data, network=network) if self.fits(network) else None
        except Refusal:
            self.trainer = None
        if self.trainer is None:
            self.notify(self.t("msg.loaded_replaced"), severity="warning")
        else:
            self.record.plan(self.trainer.max_iter, self.trainer.iter_per_epoch)

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

    @on(Select.Changed, "#activation, #init, #optimizer, #batchnorm")
    def setting_chosen(self, event: Select.Changed) -> None:
        """A select that sets one field of the config."""
        name = event.select.id or ""
        if str(event.value) == self.select_values()[name]:
            return  # a rebuilt form announcing its value ("he" for weight_init "relu", say), not a new choice
        field, value = {
            "activation": ("activation", str(event.value)),
            "init": ("weight_init", str(event.value)),
            "optimizer": ("optimizer", str(event.value)),
            "batchnorm": ("batchnorm", event.value == "on"),
        }[name]
        if not self.apply(**{field: value}):
            self.refresh_form()

    @on(Select.Changed, "#pace")
    def pace_changed(self, event: Select.Changed) -> None:
        # Takes effect at the next start or resume: the worker got its pace when it began.
        self.pace = str(event.value)

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
            self.refresh_form()  # the field shows the number in use again

    @on(Input.Submitted, "#hidden")
    @on(Input.Blurred, "#hidden")
    def hidden_changed(self, event: Input.Submitted | Input.Blurred) -> None:
        text = event.value
        try:
            sizes = parse_hidden_sizes(text)
        except ValueError:
            if text.strip() != self.hidden_text():
                self.refuse("msg.hidden_bad", text=text, old=self.hidden_text())
            event.input.value = self.hidden_text()
            return
        if not self.apply(hidden_sizes=sizes):
            event.input.value = self.hidden_text()

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
        try:
            source = self.data_source(choice, "")
        except Refusal as refusal:
            self.refuse(refusal)
            self.show_data_choice()
            return
        self.load_data(choice, source)

    @on(Input.Submitted, "#folder")
    def folder_submitted(self, event: Input.Submitted) -> None:
        folder = event.value.strip()
        if folder:
            self.load_data("folder", Path(folder).expanduser())

    def show_data_choice(self) -> None:
        with self.prevent(Select.Changed):
            self.query_one("#data", Select).value = self.data_choice

    def load_data(self, choice: str, source: Path, announce: bool = True) -> None:
        """Load a data set in a thread; `announce` says so in a notification (not at start-up)."""
        if self.busy:
            self.refuse("msg.running")
            if not self.rebuilding:
                self.show_data_choice()
            return
        self.loading, self._loading_from = choice, source
        self.announce_data = announce  # the status line says LOADING DATA meanwhile
        self.read_data_in_thread(choice, source)
        if self.is_mounted and not self.rebuilding:
            self.show_status()

    @work(thread=True, exclusive=True, group="data", exit_on_error=False)
    def read_data_in_thread(self, choice: str, source: Path) -> None:
        loaded = read_data(choice, source)
        if not get_current_worker().is_cancelled:
            self.post_message(loaded)

    def on_data_loaded(self, message: DataLoaded) -> None:
        if (message.choice, message.source) != (self.loading, self._loading_from):
            return  # an older request, overtaken by a newer one
        self.loading = self._loading_from = None
        if message.data is not None:
            self.data, self.data_choice = message.data, message.choice
            if self.trainer is not None:  # it trained on the other data
                self.reset_run()
            if self.config.train_size is not None and self.config.train_size > self.data.train_size:
                self.config = self.config.replace(train_size=None)
            if self.announce_data:
                self.notify(self.t("msg.loaded_data", name=self.data_name()))
        else:
            # On the message line rather than a toast: it stays until the next action.
            why = {"refusal": message.refusal} if message.refusal is not None else {"reason": message.reason}
            self.note, self.note_is_error = ("msg.data_error", why), True
        if not self.rebuilding:
            self.refresh_view()

    def data_short_name(self) -> str:
        """The data set in a few words: where an accuracy was measured."""
        if self.data is None:
            return "–"
        return self.t("data.option_subset" if self.data.source == "subset" else "data.short_mnist")

    def data_name(self) -> str:
        if self.data is None:
            return "–"
        key = "data.subset" if self.data.source == "subset" else "data.folder"
        return self.t(key, train=f"{self.data.train_size:,}", test=f"{self.data.test_size:,}")

    # -- running --------------------------------------------------------------------------
    @property
    def phase(self) -> str:
        """What the status line says: the data's state, else the run's."""
        if self.loading is not None:
            return "loading"
        if self.data is None:
            return "nodata"
        if self.busy and self.run_status != "running":
            return "running"  # a single step
        return self.run_status

    def run_label(self) -> str:
        """What tells this run from others on a chart: its preset (or its layers), optimiser and η.

        No words in it (it is kept in the state document and shown in either
        language): η is the book's symbol for the learning rate.
        """
        cfg = self.config
        preset = PRESETS.get(self.preset_name)
        name = self.preset_name if preset is not None and preset.config == cfg else layers_text(cfg)
        return f"{name} · {OPTIMIZER_NAMES.get(cfg.optimizer, cfg.optimizer)} η={cfg.lr:g}"

    def ensure_trainer(self) -> Trainer | None:
        if self.trainer is not None:
            return self.trainer
        if self.data is None:
            self.refuse("msg.no_data")
            return None
        if not self.fits_in_memory(self.config, self.data):
            return None
        try:
            self.trainer = Trainer(self.config, self.data)
        except Refusal as refusal:
            self.refuse(refusal)
            return None
        self.saved_iteration = 0
        self.record.start(self.run_label(), self.trainer.max_iter, self.trainer.iter_per_epoch)
        self.accuracy_version += 1
        self.version += 1
        return self.trainer

    def fits_in_memory(self, config: TrainConfig, data: MnistData) -> bool:
        """Whether training `config` is estimated to fit in the memory available now; if not, say so.

        Estimated from the sizes alone: nothing is allocated.
        """
        inputs = int(data.train_images.shape[1])
        try:
            needed = memory_needed(config, inputs, data.train_size)
        except ValueError:
            return True  # a setting the trainer itself refuses, in its own words
        known = threads.memory_limit()
        if known is None:
            return True  # nobody can say
        available, limit = known
        if needed <= limit:
            return True
        layers = "-".join(str(n) for n in (inputs, *config.hidden_sizes, config.output_size))
        self.refuse("msg.too_much_memory", layers=layers, needed=show_bytes(needed), limit=show_bytes(limit),
                    available=show_bytes(available), share=f"{threads.MEMORY_FRACTION:.0%}")
        return False

    def begin(self, steps: int | None) -> None:
        """Hand the trainer to a worker for `steps` mini-batches (None: until paused or done)."""
        if self.loading is not None:
            self.refuse("msg.wait_data")
            return
        if self.loading_network is not None:
            self.refuse("msg.wait_network")
            return
        trainer = self.ensure_trainer()
        if trainer is None:
            return
        self.stop_request.clear()
        self.after_stop = None
        self.busy = True
        self.note = None
        if steps is None:
            self.run_status = "running"
        delay = PACES[self.pace] if steps is None else 0.0
        self.train_in_thread(trainer, steps, delay)
        self.show_status()

    @work(thread=True, exclusive=True, group="training", exit_on_error=False)
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
        self.record.add(message.losses, message.last, message.epochs)
        if message.epochs:
            self.accuracy_version += 1
        if message.snapshot is not None:
            self.snapshot = message.snapshot
        self.version += 1

    def on_training_stopped(self, message: TrainingStopped) -> None:
        self.busy = False
        after, self.after_stop = self.after_stop, None
        if message.reason == "diverged" and message.diverged is not None:
            self.run_status = "diverged"
            self.record.diverged = message.diverged
            self.note, self.note_is_error = ("msg.diverged", {}), True
        elif message.reason == "finished":
            self.run_status = "finished"
        elif message.reason == "error":
            self.run_status = "stopped"
            self.note, self.note_is_error = ("msg.error", {"reason": message.error}), True
        else:
            self.run_status = "paused"
        if after == "teacher":
            # Paused only to be copied for teacher mode: the class sees the run go on.
            going_on = self.run_status == "paused"
            self._teacher_copy = self.copy_for_teacher(running=going_on)
            if going_on:
                self.begin(None)
        elif after == "reset":
            self.reset_run()
        elif after == "stop" and self.run_status == "paused":
            self.stop_run()
        if not self.rebuilding:
            self.refresh_view()

    # -- teacher mode: the lesson copied whole, trained network and all ----------------------
    def teacher_snapshot(self) -> TeacherSnapshot | None:
        """The lesson copied (see `TeacherSnapshot`); while a run goes it is paused for a moment first.

        The trainer belongs to the worker while it trains: it is asked to
        pause, copied when it has, and started again (see
        `on_training_stopped`); until then this returns None.
        """
        if self._teacher_copy is not None:
            taken, self._teacher_copy = self._teacher_copy, None
            return taken
        if self.busy:
            if self.run_status == "running" and self.after_stop is None:
                self.after_stop = "teacher"
                self.stop_request.set()
            return None
        return self.copy_for_teacher()

    def copy_for_teacher(self, running: bool = False) -> TeacherSnapshot:
        status = "paused" if self.run_status == "running" else self.run_status
        return TeacherSnapshot(running=running,
            document=self.document(), trainer=None if self.trainer is None else self.trainer.copy(),
            record=copy.deepcopy(self.record), run_status=status, inspected=self.snapshot,
            saved_iteration=self.saved_iteration, note=self.note, note_is_error=self.note_is_error,
            inspector_choice=replace(self.inspector_choice),
        )

    def teacher_resume(self, snapshot: object) -> None:
        """Put back what `teacher_snapshot` copied; a run going is asked to pause first (`Refusal` until it has)."""
        if not isinstance(snapshot, TeacherSnapshot):
            raise TypeError(f"not a snapshot of this lesson: {type(snapshot).__name__}")
        if self.busy:
            self.after_stop = None  # a plain pause: no copy, no restart
            self.stop_request.set()
            raise Refusal("msg.running")
        self.restore(snapshot.document["state"])  # type: ignore[arg-type]
        self._teacher_copy = None
        self.trainer = None if snapshot.trainer is None else snapshot.trainer.copy()
        self.record = copy.deepcopy(snapshot.record)
        self.run_status = snapshot.run_status
        self.snapshot = snapshot.inspected  # only read: the inspector never trains it
        self.saved_iteration = snapshot.saved_iteration
        self.note, self.note_is_error = snapshot.note, snapshot.note_is_error
        # The inspector's widget holds this very object: its fields are put back, not the object.
        for field in fields(InspectorChoice):
            setattr(self.inspector_choice, field.name, getattr(snapshot.inspector_choice, field.name))
        self.version += 1
        self.accuracy_version += 1

    def stop_run(self) -> None:
        if self.trainer is not None:
            self.trainer.stop()
        self.run_status = "stopped"

    def reset_run(self) -> None:
        """Forget the run (its accuracy curve stays as a ghost) and be ready for a new one."""
        self.record.reset()
        self.accuracy_version += 1
        self.trainer = None
        self.note = None
        self.snapshot = None
        self.run_status = "ready"
        self.version += 1
        self.forget_network_load()

    def forget_network_load(self) -> None:
        """A network being loaded is no longer wanted: its result will be ignored."""
        if self.loading_network is not None:
            self.loading_network = None
            self.network_request += 1

    def unsaved_work(self) -> str | None:
        """What quitting now would lose, as a catalogue key (the app asks first), or None."""
        if self.busy:
            return "quit.training"
        if self.trainer is not None and self.trainer.iteration > self.saved_iteration:
            return "quit.unsaved"
        return None

    # -- actions ----------------------------------------------------------------------------
    def action_start(self) -> None:
        if self.busy:
            self.refuse("msg.already_running")
            return
        if self.run_status in ("finished", "stopped", "diverged"):
            self.reset_run()
        self.begin(None)
        if self.busy:
            self.action_section("charts")
        self.refresh_view()

    def action_pause(self) -> None:
        if self.busy:
            if self.run_status == "running":
                self.stop_request.set()
            return
        if self.run_status in ("finished", "stopped", "diverged"):
            self.refuse("msg.over")
            return
        self.begin(None)

    def action_step(self) -> None:
        if self.busy:
            self.refuse("msg.running")
            return
        if self.run_status in ("finished", "stopped", "diverged"):
            self.refuse("msg.over")
            return
        self.begin(1)

    def action_stop(self) -> None:
        if self.busy:
            self.after_stop = "stop"
            self.stop_request.set()
        elif self.run_status == "paused":
            self.stop_run()
            self.show_status()
        else:
            self.refuse("msg.nothing_to_stop")

    def action_reset(self) -> None:
        if self.busy:
            self.after_stop = "reset"
            self.stop_request.set()
        else:
            self.reset_run()
            self.refresh_view()

    def action_section(self, name: str) -> None:
        super().action_section(name)
        inspectors = self.query(NetworkInspector)
        if name == "inspect" and inspectors:
            inspectors.first().focus()  # its arrow and [ ] keys work at once; ours still do
        elif name != "setup" and self.focused is not None:
            # Letters are keys again. (Focus is not moved into the form on f:
            # every focus change rebuilds the footer, which is slow; Tab enters the form.)
            self.set_focus(None)
        self.refresh_bindings()  # the footer's keys depend on the section (see hidden_in_footer)

    def action_save(self) -> None:
        if self.busy:
            self.refuse("msg.running")
            return
        if self.loading_network is not None:
            self.refuse("msg.wait_network")
            return
        if self.trainer is None:
            self.refuse("msg.nothing_to_save")
            return
        path = Path(self.network_path).expanduser()
        if path.suffix != ".npz":
            self.refuse("msg.npz_needed", name=path.name)
            return
        trainer = self.trainer
        cfg = trainer.config
        try:
            path = save_checkpoint(
                path, trainer.network,
                optimizer={"name": cfg.optimizer, "lr": cfg.lr}, dataset=trainer.data_name,
                metrics=trainer.summary(), extra={"config": cfg.to_dict()},
            )
        except (CheckpointError, OSError, ValueError) as error:
            self.notify(self.t("msg.save_error", reason=self.reason(error, path)), severity="error", timeout=10,
                        markup=False)
            return
        self.saved_iteration = trainer.iteration
        self.notify(self.t("msg.saved", path=str(path)))

    def action_load(self) -> None:
        if self.busy:
            self.refuse("msg.running")
            return
        if self.data is None:
            self.refuse("msg.no_data")
            return
        if self.loading_network is not None:
            self.refuse("msg.wait_network")
            return
        path = Path(self.network_path).expanduser()
        self.network_request += 1
        self.loading_network = path
        self.note, self.note_is_error = ("msg.loading_network", {"path": str(path)}), False
        self.read_network_in_thread(self.network_request, path, self.config, self.data)
        self.show_status()

    @work(thread=True, exclusive=True, group="checkpoint", exit_on_error=False)
    def read_network_in_thread(self, request: int, path: Path, config: TrainConfig, data: MnistData) -> None:
        loaded = read_network(request, path, config, data)
        if not get_current_worker().is_cancelled:
            self.post_message(loaded)

    def on_network_loaded(self, message: NetworkLoaded) -> None:
        if message.request != self.network_request or self.loading_network is None:
            return  # a request overtaken by a reset, a restore or a newer load
        self.loading_network = None
        if self.busy or message.data is not self.data or message.trainer is None or message.config is None:
            if message.refusal is not None:
                reason = self.reason(message.refusal)
            elif message.error is not None:
                reason = message.error
            else:  # the data set changed or a run started meanwhile
                reason = self.t("msg.load_overtaken")
            self.note, self.note_is_error = None, False
            self.notify(self.t("msg.load_error", reason=reason), severity="error", timeout=10, markup=False)
            if not self.rebuilding:
                self.show_status()
            return
        trainer = message.trainer
        self.reset_run()
        self.config = message.config
        self.trainer = trainer
        self.saved_iteration = trainer.iteration
        self.record.start(self.run_label(), trainer.max_iter, trainer.iter_per_epoch)
        self.snapshot = network_copy(trainer)
        # "data" is worded when shown, in the language of the moment.
        self.note = ("msg.loaded", {"path": str(message.path), "acc": percent(message.accuracy),
                                    "n": f"{message.data.test_size:,}", "data": None})
        self.note_is_error = False
        if not self.rebuilding:
            self.refresh_view()

    def action_export(self) -> None:
        if self.busy:
            self.refuse("msg.running")
            return
        if self.loading_network is not None:
            self.refuse("msg.wait_network")
            return
        if self.trainer is None or self.trainer.iteration == 0:
            self.refuse("msg.nothing_to_export")
            return
        path = Path(self.csv_path).expanduser()
        try:
            self.trainer.export_csv(path)
        except (OSError, ValueError) as error:
            self.notify(self.t("msg.export_error", reason=self.reason(error, path)), severity="error", timeout=10,
                        markup=False)
            return
        self.notify(self.t("msg.exported", n=f"{self.trainer.iteration:,}", path=str(path)))

    def reason(self, error: Exception, path: Path | None = None) -> str:
        """Why a file could not be used: a core refusal in the catalogue's words.

        A bare OSError says what the system said, without its errno number
        or the name of a temporary file; anything else, its own words.
        """
        if isinstance(error, Refusal) and error.code in self.TEXT:
            return self.t(error.code, **error.values)
        if isinstance(error, OSError) and path is not None:
            return self.t("msg.file_error", path=str(path), reason=error.strerror or type(error).__name__)
        return str(error)

    # -- drawing ------------------------------------------------------------------------------
    def refresh_view(self) -> None:
        self.refresh_form()
        self.show_status()
        self.show_section(at_once=True)

    def redraw(self) -> None:
        """The timer: the status, and the open section's charts or inspector when their data changed."""
        if self.rebuilding:
            return
        if self.section == "charts" and self.busy and self.charts_stale() and not self.charts_due():
            return  # the status waits for the charts: both show the same iteration
        self.show_status()
        self.show_section(at_once=not self.busy)

    def charts_stale(self) -> bool:
        loss, accuracy = self.query_one(LossChart), self.query_one(AccuracyChart)
        return self.version != loss.drawn_version or self.accuracy_version != accuracy.drawn_version

    def charts_due(self) -> bool:
        cost = self.query_one(LossChart).build_seconds + self.query_one(AccuracyChart).build_seconds
        # Half a tick early is on time: the timer's ticks jitter, and the next one is a whole tick later.
        return time.monotonic() - self._drawn_at + REDRAW_SECONDS / 2 >= chart_interval(cost)

    def show_section(self, at_once: bool) -> None:
        """Charts and inspector when the record changed; while a run goes, no more often than they cost."""
        now = time.monotonic()
        if self.section == "charts":
            if self.charts_stale() and (at_once or self.charts_due()):
                self.show_charts()
        elif self.section == "inspect":
            if self._inspected != (self.query_one(NetworkInspector), self.version):
                if at_once or now - self._inspected_at >= INSPECT_SECONDS:
                    self.show_inspector()

    def status_text(self) -> Text:
        phase = self.phase
        text = Text.assemble((f" {self.t(f'phase.{phase}')} ", f"bold reverse {PHASE_STYLES[phase]}"), "  ",
                             self.data_name(), "\n")
        record, last = self.record, self.record.last
        if last is None or record.iterations == 0:
            text.append(self.t("status.hint_ready") if phase == "ready" else "")
            text.append("\n")
            text.append(self.plan_text(), style="dim")
            return text
        text.append(self.t("status.epoch", epoch=last.epoch, epochs=record.epochs), style="bold")
        text.append(" · ")
        text.append(self.t("status.iteration", i=f"{last.iteration:,}", n=f"{record.iterations:,}"), style="bold")
        text.append(" · ")
        text.append(self.t("status.loss", loss=f"{last.loss:.4f}"), style="bold")
        text.append("\n")
        accuracy = record.accuracy
        if len(accuracy):
            text.append(self.t("status.accuracy", train=percent(accuracy.train[-1]), test=percent(accuracy.test[-1])),
                        style="bold")
        else:
            text.append(self.t("status.no_accuracy"), style="dim")
        if self.show_timing:
            text.append(" · ")
            text.append(self.t("status.speed", speed=f"{last.samples_per_second:,.0f}", elapsed=f"{last.elapsed:.1f}"))
        return text

    def plan_text(self) -> str:
        """The next run in one line: network, optimiser, length."""
        cfg = self.config
        length = self.length_text(cfg)
        return self.t("status.plan", layers=layers_text(cfg), activation=cfg.activation,
                      optimizer=OPTIMIZER_NAMES.get(cfg.optimizer, cfg.optimizer), lr=f"{cfg.lr:g}",
                      batch=cfg.batch_size, length=length)

    def note_text(self) -> str:
        if self.note is None:
            return ""
        key, values = self.note
        if key == "msg.diverged":
            diverged = self.record.diverged
            if diverged is None:
                return ""
            refusal = diverged.refusal
            values = {"reason": self.t(refusal.code, **refusal.values)}
        elif isinstance(values.get("refusal"), Refusal):  # worded now, in the language of the moment
            values = {"reason": self.reason(values["refusal"])}
        elif "data" in values:
            values = {**values, "data": self.data_short_name()}
        return self.t(key, **values)

    def show_teacher_run(self, status: str) -> None:
        """A student following the teacher: the run shown is the teacher's, in its status (running, paused)."""
        if not self.busy and status in DOCUMENT_STATUS:
            self.run_status = status
            self.show_status()

    def show_status(self) -> None:
        # Three lines, always: no layout pass for a number that changed (and a
        # Readout draws nothing when the text is the same).
        self.query_one("#t-status", Readout).update(self.status_text(), layout=False)
        note = self.note_text()
        message = self.query_one("#t-message", Readout)
        if note != str(message.content):
            message.display = bool(note)
            message.update(Text(note, style="bold red" if self.note_is_error else "bold"))

    def show_charts(self) -> None:
        self._drawn_at = time.monotonic()
        t = self.t
        record = self.record
        loss = self.query_one(LossChart)
        if loss.drawn_version != self.version:
            loss.drawn_version = self.version
            curve = record.loss.chart(min(loss.max_points, MAX_CHART_POINTS)) if len(record.loss) else None
            labels = LossLabels(t("chart.loss"), t("chart.loss_empty"), t("chart.raw"), t("chart.smoothed"),
                                t("chart.ghost", n="{n}", label="{label}"))
            loss.show(curve, labels, record.loss_ghosts)
        accuracy = self.query_one(AccuracyChart)
        if accuracy.drawn_version != self.accuracy_version:
            accuracy.drawn_version = self.accuracy_version
            labels = AccuracyLabels(t("chart.accuracy"), t("chart.accuracy_empty"), t("chart.train"), t("chart.test"),
                                    t("chart.ghost_curve", n="{n}", curve="{curve}"))
            accuracy.show(record.accuracy, record.ghosts, labels)

    def show_inspector(self) -> None:
        inspector = self.query_one(NetworkInspector)
        self._inspected, self._inspected_at = (inspector, self.version), time.monotonic()
        if self.snapshot is None or self.data is None:
            inspector.clear()
            return
        try:
            inspector.show(self.snapshot, self.data, self.language, self.data_short_name())
        except Exception as error:  # noqa: BLE001 - a broken view must not crash a class demo
            self.notify(self.t("msg.inspect_error", reason=f"{type(error).__name__}: {error}"), severity="error")


SCREEN = TrainingScreen
