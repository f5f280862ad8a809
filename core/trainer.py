"""Mini-batch training of a MultiLayerNet on MNIST, one step at a time.

``Trainer.step()`` does exactly one mini-batch (forward, backward, update) and
returns the events it produced; whoever calls it decides when to call it
again.  That gives every control the lesson screen needs:

- run:          call ``run(callback, should_stop)`` from a worker thread;
- pause:        make ``should_stop`` return True -- ``run`` returns after the
                current mini-batch and the trainer keeps its place;
- resume:       call ``run`` again;
- single step:  call ``step()`` once (while paused);
- stop:         pause and drop the trainer.

A trainer is not thread-safe: one thread at a time calls ``step``/``run``.

Epochs: every epoch visits all N training samples once in a new random order,
in ceil(N / batch_size) mini-batches (the last one may be smaller).  The book
instead draws every batch with np.random.choice (with replacement), so its
"epoch" only visits ~63% of the samples; the shuffled version learns a bit
faster and makes "epoch" mean what it says.

The loss recorded for an iteration is the loss of its mini-batch *before*
that iteration's update (the value the gradient was computed from).

What a student can get wrong -- a learning rate of 0, a batch larger than
the training set, a run that diverges -- is a ``Refusal``: a code such as
``train.lr``, ``trainer.batch_too_large`` or ``trainer.diverged_exploded``
and the numbers that go with it, which a lesson words from its catalogue.
The exceptions' English text is for the command line and logs.
"""

from __future__ import annotations

import copy
import csv
import math
import os
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Protocol, Union

import numpy as np

from nn_tui.core.networks import (
    ACTIVATIONS,
    MAX_UNITS,
    PREDICT_CHUNK,
    MultiLayerNet,
    parse_dtype,
    training_memory_estimate,
    weight_scale,
)
from nn_tui.core.optimizers import OPTIMIZERS, Optimizer, make_optimizer
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields

CSV_COLUMNS = ("iteration", "epoch", "loss", "train_acc", "test_acc")

# A loss this many times the first one (or chance level, ln(classes), if
# larger) means training has diverged.  Waiting for NaN is not enough:
# with a too-large learning rate the loss typically jumps from 2.3 to 1e5 or
# more, then every ReLU dies and it sits at a large finite value for ever.
DIVERGENCE_FACTOR = 100.0


class Dataset(Protocol):
    """What the trainer needs from its data (``nn_tui.core.data.mnist.MnistData`` fits)."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    name: str


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a training run; checked when created.

    ``iterations`` (if given) replaces ``epochs`` as the length of the run,
    e.g. the book's 10,000 iterations.  ``train_size`` keeps only the first
    that many training samples (the book's 300 for the overfitting demo).
    ``eval_train_samples`` / ``eval_test_samples`` bound the accuracy
    evaluation at each epoch's end to the first that many samples
    (None = all of them).
    """

    hidden_sizes: tuple[int, ...] = (100,)
    activation: str = "relu"
    weight_init: Union[str, float] = "he"
    weight_decay: float = 0.0
    dropout: float = 0.0
    batchnorm: bool = False
    optimizer: str = "sgd"
    lr: float = 0.1
    batch_size: int = 100
    epochs: int = 10
    iterations: Union[int, None] = None
    train_size: Union[int, None] = None
    eval_train_samples: Union[int, None] = None
    eval_test_samples: Union[int, None] = None
    seed: Union[int, None] = 0
    dtype: str = "float32"
    output_size: int = 10

    def __post_init__(self) -> None:
        hidden = self.hidden_sizes
        if isinstance(hidden, (int, np.integer)) and not isinstance(hidden, bool):
            hidden = (hidden,)
        if isinstance(hidden, str) or not hasattr(hidden, "__iter__"):
            raise _refusal("train.hidden_sizes", f"hidden_sizes must be a list of layer sizes, got {hidden!r}")
        hidden = tuple(hidden)
        if not hidden:
            raise _refusal("train.hidden_sizes", "hidden_sizes needs at least one hidden layer, e.g. (100,)")
        for h in hidden:
            _whole(h, "every hidden layer size", 1, MAX_UNITS, code="train.hidden_size")
        object.__setattr__(self, "hidden_sizes", tuple(int(h) for h in hidden))
        if not isinstance(self.activation, str) or self.activation.lower() not in ACTIVATIONS:
            raise _refusal(
                "train.activation",
                f"unknown activation {self.activation!r}; choose one of {', '.join(ACTIVATIONS)}",
                value=self.activation, options=", ".join(ACTIVATIONS))
        object.__setattr__(self, "activation", self.activation.lower())
        try:
            weight_scale(self.weight_init, 1)
        except ValueError as error:
            raise _refusal("train.weight_init", str(error), value=self.weight_init) from None
        _number(self.weight_decay, "weight_decay", 0.0, math.inf, code="train.weight_decay")
        _number(self.dropout, "dropout", 0.0, 1.0, high_open=True, code="train.dropout")
        if not isinstance(self.batchnorm, (bool, np.bool_)):
            raise _refusal("train.batchnorm", f"batchnorm must be True or False, got {self.batchnorm!r}",
                           value=self.batchnorm)
        if not isinstance(self.optimizer, str) or self.optimizer.strip().lower() not in OPTIMIZERS:
            raise _refusal(
                "train.optimizer",
                f"unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}",
                value=self.optimizer, options=", ".join(OPTIMIZERS))
        object.__setattr__(self, "optimizer", self.optimizer.strip().lower())
        _number(self.lr, "the learning rate lr", 0.0, math.inf, low_open=True, code="train.lr")
        _whole(self.batch_size, "batch_size", 1, 10**9, code="train.batch_size")
        _whole(self.epochs, "epochs", 1, 10**6, code="train.epochs")
        for name in ("iterations", "train_size", "eval_train_samples", "eval_test_samples"):
            value = getattr(self, name)
            if value is not None:
                _whole(value, name, 1, 10**9, code=f"train.{name}")
        if self.seed is not None:
            _whole(self.seed, "seed", 0, 2**63 - 1, code="train.seed")
        try:
            dtype = parse_dtype(self.dtype).name
        except ValueError as error:
            raise _refusal("train.dtype", str(error), value=self.dtype) from None
        object.__setattr__(self, "dtype", dtype)
        _whole(self.output_size, "output_size", 2, MAX_UNITS, code="train.output_size")

    def replace(self, **changes: Any) -> TrainConfig:
        """A copy with some fields changed (checked again); unknown names are a ValueError."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"TrainConfig has no field {', '.join(unknown)}")
        return TrainConfig(**{**asdict(self), **changes})

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (hidden_sizes as a list)."""
        d = asdict(self)
        d["hidden_sizes"] = list(self.hidden_sizes)
        return d

    def to_state(self) -> dict[str, Any]:
        """Every field as plain JSON-able data (`from_state` reads it back)."""
        return self.to_dict()

    @classmethod
    def from_state(cls, fields: Fields) -> TrainConfig:
        """The config a `to_state` document describes: every field required, checked as when typed."""
        whole = {"batch_size": (1, 10**9), "epochs": (1, 10**6), "output_size": (2, MAX_UNITS)}
        optional = {name: (1, 10**9) for name in ("iterations", "train_size", "eval_train_samples",
                                                   "eval_test_samples")}
        optional["seed"] = (0, 2**63 - 1)
        raw_init = fields.table.get("weight_init")
        if isinstance(raw_init, (int, float)) and not isinstance(raw_init, bool):
            weight_init: Union[str, float] = fields.number("weight_init", low=0)
        else:
            weight_init = fields.text("weight_init", max_length=40)
        return cls(
            hidden_sizes=tuple(fields.integers("hidden_sizes", low=1, high=MAX_UNITS, max_length=100)),
            activation=fields.choice("activation", list(ACTIVATIONS)),
            weight_init=weight_init,
            weight_decay=fields.number("weight_decay", low=0),
            dropout=fields.number("dropout", low=0, high=1),
            batchnorm=fields.flag("batchnorm"),
            optimizer=fields.choice("optimizer", list(OPTIMIZERS)),
            lr=fields.number("lr", low=0),
            dtype=fields.choice("dtype", ["float32", "float64"]),
            **{name: fields.integer(name, *limits) for name, limits in whole.items()},
            **{name: _optional_integer(fields, name, *limits) for name, limits in optional.items()},
        )


# -- events -----------------------------------------------------------------

@dataclass(frozen=True)
class IterationEvent:
    """One mini-batch done.  ``loss`` is the batch's loss before the update."""

    iteration: int              # 1-based, counted over the whole run
    epoch: int                  # the epoch this iteration belongs to (1-based)
    loss: float
    elapsed: float              # seconds spent in step() so far (training + evaluation)
    samples_per_second: float   # training throughput so far (evaluation excluded)


@dataclass(frozen=True)
class EpochEvent:
    """An epoch ended (or the run did, mid-epoch): accuracies measured."""

    epoch: int
    iteration: int
    mean_loss: float            # mean mini-batch loss over this epoch
    train_acc: float
    test_acc: float
    train_samples: int          # how many samples the accuracies were measured on
    test_samples: int
    elapsed: float
    eval_seconds: float         # time this evaluation took
    samples_per_second: float


DIVERGENCE_CAUSES = ("nan", "inf", "exploded")


@dataclass(frozen=True)
class DivergedEvent:
    """The loss became NaN or infinite, or exploded: training stopped.

    ``cause`` is "nan", "inf" or "exploded"; ``start_loss`` the loss it is
    compared with (the first one, or chance level if larger); ``lr`` and
    ``optimizer`` the run's. At iteration 1 no step has been taken yet, so
    the learning rate cannot be to blame: the starting network is (its
    ``weight_init`` or its ``weight_decay``). A lesson words it from
    ``refusal``; ``message`` is the developers' (and the command line's)
    English sentence.
    """

    iteration: int
    epoch: int
    loss: float
    message: str
    cause: str = "exploded"
    start_loss: float = math.nan
    lr: float = math.nan
    optimizer: str = ""
    weight_init: str = ""
    weight_decay: float = 0.0

    @property
    def at_start(self) -> bool:
        """Whether the loss was already too large before the first step."""
        return self.iteration == 1

    @classmethod
    def of(cls, cause: str, iteration: int, epoch: int, loss: float, start_loss: float, lr: float,
           optimizer: str, weight_init: object = "", weight_decay: float = 0.0) -> DivergedEvent:
        """The event with its English message written from the same numbers."""
        if cause not in DIVERGENCE_CAUSES:
            raise ValueError(f"cause must be one of {', '.join(DIVERGENCE_CAUSES)}, got {cause!r}")
        what = {
            "nan": "became NaN (not a number)",
            "inf": "became infinite",
            "exploded": f"exploded to {loss:,.4g} (it started at {start_loss:.3g})",
        }[cause]
        if iteration == 1:
            message = (
                f"the loss {what} before the first step, from the starting network alone, so the "
                f"learning rate is not the cause: the initial weights ({weight_init}) or the weight decay "
                f"λ = {weight_decay:g} are too large. Choose smaller ones and start again."
            )
        else:
            message = (
                f"the loss {what} at iteration {iteration}: the learning rate "
                f"{lr:g} is too large for {optimizer} (try {lr / 10:g} or less). "
                "Training stopped without applying this step, but the weights are already "
                "far too large: start a new run rather than continuing this one."
            )
        return cls(iteration, epoch, loss, message, cause, start_loss, lr, optimizer, str(weight_init),
                   float(weight_decay))

    @property
    def refusal(self) -> Refusal:
        """Why the run stopped, as a code (``trainer.diverged_<cause>``) and the numbers to say it with."""
        numbers = dict(iteration=f"{self.iteration:,}", loss=f"{self.loss:,.4g}", start=f"{self.start_loss:.3g}")
        if self.at_start:
            return Refusal(f"trainer.diverged_{self.cause}_at_start", **numbers, weight_init=self.weight_init,
                           weight_decay=f"{self.weight_decay:g}")
        return Refusal(f"trainer.diverged_{self.cause}", **numbers, lr=f"{self.lr:g}", optimizer=self.optimizer,
                       smaller=f"{self.lr / 10:g}")

    def to_state(self) -> dict[str, Any]:
        """Plain JSON-able data (a NaN or infinite loss is written as null: its cause says which)."""
        return {"cause": self.cause, "iteration": self.iteration, "epoch": self.epoch,
                "loss": self.loss if math.isfinite(self.loss) else None,
                "start_loss": self.start_loss, "lr": self.lr, "optimizer": self.optimizer,
                "weight_init": self.weight_init, "weight_decay": self.weight_decay}

    @classmethod
    def from_state(cls, fields: Fields) -> DivergedEvent:
        cause = fields.choice("cause", DIVERGENCE_CAUSES)
        if cause == "exploded":
            loss = fields.number("loss", low=0)
        else:
            if not fields.has("loss"):
                fields.number("loss")  # refused: the key is required, null for this cause
            loss = math.nan if cause == "nan" else math.inf
        return cls.of(cause, fields.integer("iteration", 1, 10**12), fields.integer("epoch", 1, 10**12), loss,
                      fields.number("start_loss", low=0), fields.number("lr", low=0),
                      fields.choice("optimizer", list(OPTIMIZERS)), fields.text("weight_init", max_length=40),
                      fields.number("weight_decay", low=0))


@dataclass(frozen=True)
class FinishedEvent:
    """The run ended: all iterations done, diverged, or stopped by the caller."""

    iterations: int
    epochs_completed: int
    train_acc: Union[float, None]  # the last measured accuracies (None if never measured)
    test_acc: Union[float, None]
    elapsed: float
    train_seconds: float
    samples_per_second: float
    reason: str                    # "done", "diverged" or "stopped"


Event = Union[IterationEvent, EpochEvent, DivergedEvent, FinishedEvent]


# -- the trainer --------------------------------------------------------------

class Trainer:
    """Trains a new MultiLayerNet built from ``config`` on ``data``."""

    def __init__(self, config: TrainConfig, data: Dataset,
                 network: MultiLayerNet | None = None) -> None:
        if not isinstance(config, TrainConfig):
            raise ValueError(f"config must be a TrainConfig, got {type(config).__name__}")
        self.config = config
        self.data_name = str(getattr(data, "name", "data"))
        # A network passed in (e.g. loaded from a checkpoint) keeps its own dtype.
        self.dtype = network.dtype if network is not None else parse_dtype(config.dtype)
        x_train, t_train = _check_split(data, "train", config.output_size)
        x_test, t_test = _check_split(data, "test", config.output_size)
        if x_train.shape[1] != x_test.shape[1]:
            raise ValueError(
                f"train images have {x_train.shape[1]} values each but test images "
                f"{x_test.shape[1]}; they must match")
        if config.train_size is not None:
            if config.train_size > len(x_train):
                raise _refusal(
                    "trainer.train_size_too_large",
                    f"train_size {config.train_size:,} is more than the "
                    f"{len(x_train):,} training samples of {self.data_name}",
                    train_size=f"{config.train_size:,}", samples=f"{len(x_train):,}")
            x_train, t_train = x_train[:config.train_size], t_train[:config.train_size]
        self.x_train, self.t_train = self._prepare(x_train), t_train
        self.x_test, self.t_test = self._prepare(x_test), t_test
        self.train_size = len(self.x_train)
        if config.batch_size > self.train_size:
            raise _refusal(
                "trainer.batch_too_large",
                f"batch_size {config.batch_size:,} is larger than the "
                f"{self.train_size:,} training samples; use at most {self.train_size:,}",
                batch=f"{config.batch_size:,}", samples=f"{self.train_size:,}")
        self.batch_size = config.batch_size
        self.iter_per_epoch = math.ceil(self.train_size / self.batch_size)
        self.max_iter = (config.iterations if config.iterations is not None
                         else config.epochs * self.iter_per_epoch)

        seeds = np.random.SeedSequence(config.seed).spawn(2)
        if network is None:
            network = MultiLayerNet(
                x_train.shape[1], list(config.hidden_sizes), config.output_size,
                activation=config.activation, weight_init=config.weight_init,
                weight_decay_lambda=config.weight_decay, dropout_ratio=config.dropout,
                use_batchnorm=config.batchnorm, dtype=self.dtype,
                seed=np.random.default_rng(seeds[0]))
        elif network.input_size != x_train.shape[1] or network.output_size != config.output_size:
            raise _refusal(
                "trainer.network_mismatch",
                f"the network takes {network.input_size} inputs and gives "
                f"{network.output_size} classes; the data needs "
                f"{x_train.shape[1]} and {config.output_size}",
                inputs=network.input_size, classes=network.output_size,
                data_inputs=x_train.shape[1], data_classes=config.output_size)
        self.network = network
        self.optimizer: Optimizer = make_optimizer(config.optimizer, config.lr)
        self._shuffle_rng = np.random.default_rng(seeds[1])
        self._order = np.arange(self.train_size)
        self._batch = np.empty((self.batch_size, x_train.shape[1]), dtype=self.dtype)

        self.iteration = 0
        self.epoch = 0                      # epochs completed
        self._losses = np.empty(1024, dtype=np.float32)
        self._epoch_loss_sum = 0.0
        self._epoch_loss_count = 0
        self.epoch_events: list[EpochEvent] = []
        self.finished: FinishedEvent | None = None
        self.diverged: DivergedEvent | None = None
        self._train_seconds = 0.0
        self._eval_seconds = 0.0
        self._reference_loss: float | None = None

    # -- public --------------------------------------------------------------
    @property
    def loss_history(self) -> np.ndarray:
        """Every iteration's loss so far (float32, a read-only view)."""
        view = self._losses[:self.iteration]
        view.flags.writeable = False
        return view

    @property
    def elapsed(self) -> float:
        """Seconds spent in step() so far (pauses do not count)."""
        return self._train_seconds + self._eval_seconds

    def step(self) -> list[Event]:
        """Train on one mini-batch; return what happened, in order.

        Usually ``[IterationEvent]``; at an epoch's end ``[IterationEvent,
        EpochEvent]``; after the last iteration also a ``FinishedEvent``; when
        the loss is NaN/inf or exploded ``[DivergedEvent, FinishedEvent]`` (the
        update is not applied).  After the run has finished it returns ``[]``.
        """
        if self.finished is not None:
            return []
        start = time.perf_counter()
        position = self.iteration % self.iter_per_epoch
        if position == 0:
            self._order = self._shuffle_rng.permutation(self.train_size)
            self._epoch_loss_sum, self._epoch_loss_count = 0.0, 0
        index = self._order[position * self.batch_size:(position + 1) * self.batch_size]
        x_batch = self._to_float(self.x_train[index], self._batch)
        t_batch = self.t_train[index]

        net = self.network
        # A diverging run overflows somewhere; we detect that from the loss
        # and say so in words, so NumPy's warnings would only be noise (and
        # would scribble over a terminal UI).
        with np.errstate(all="ignore"):
            grads = net.gradient(x_batch, t_batch, validate=False)
        loss = net.last_loss
        assert loss is not None
        epoch_number = self.epoch + 1
        if self._reference_loss is None:
            # Chance level if the first loss is larger, or not a number at all.
            chance = math.log(self.config.output_size)
            self._reference_loss = max(loss, chance) if math.isfinite(loss) else chance
        if not math.isfinite(loss) or loss > DIVERGENCE_FACTOR * self._reference_loss:
            self._train_seconds += time.perf_counter() - start
            cause = "nan" if math.isnan(loss) else "inf" if math.isinf(loss) else "exploded"
            self.diverged = DivergedEvent.of(cause, self.iteration + 1, epoch_number, loss,
                                             self._reference_loss, self.config.lr, self.config.optimizer,
                                             self.config.weight_init, self.config.weight_decay)
            return [self.diverged, self._finish("diverged")]
        self.optimizer.update(net.params, grads)
        self._record_loss(loss)
        self._train_seconds += time.perf_counter() - start

        events: list[Event] = [IterationEvent(
            self.iteration, epoch_number, loss, self.elapsed, self._throughput())]
        end_of_epoch = self.iteration % self.iter_per_epoch == 0
        last = self.iteration >= self.max_iter
        if end_of_epoch or last:
            events.append(self._evaluate(complete=end_of_epoch))
        if last:
            events.append(self._finish("done"))
        return events

    def run(self, callback: Callable[[Event], Any] | None = None,
            should_stop: Callable[[], bool] | None = None) -> FinishedEvent | None:
        """Step until the run ends or ``should_stop()`` is true (checked before each step).

        Every event goes to ``callback``.  Returns the FinishedEvent, or None
        if stopped early (the trainer can carry on later: that is a pause).
        """
        while self.finished is None:
            if should_stop is not None and should_stop():
                return None
            for event in self.step():
                if callback is not None:
                    callback(event)
        return self.finished

    def copy(self) -> Trainer:
        """An independent twin that trains on from here exactly as this one would, bit for bit.

        What training changes (the network, the optimiser's moments, the
        shuffling generator and order, the losses, the epoch events) is
        copied; the data and the config are shared, since nothing writes them.
        Not while another thread is stepping this trainer.
        """
        twin = copy.copy(self)
        twin.network = self.network.copy()
        twin.optimizer = copy.deepcopy(self.optimizer)
        twin._shuffle_rng = copy.deepcopy(self._shuffle_rng)
        twin._order = self._order.copy()
        twin._batch = np.empty_like(self._batch)
        twin._losses = self._losses.copy()
        twin.epoch_events = list(self.epoch_events)
        return twin

    def stop(self) -> FinishedEvent:
        """End the run now (no more steps): returns a FinishedEvent with reason "stopped"."""
        if self.finished is None:
            return self._finish("stopped")
        return self.finished

    def evaluate(self, which: str = "test", samples: int | None = None) -> float:
        """Accuracy on the "train" or "test" set (first ``samples`` of it, None = all)."""
        if which not in ("train", "test"):
            raise ValueError(f"which must be 'train' or 'test', got {which!r}")
        x, t = (self.x_train, self.t_train) if which == "train" else (self.x_test, self.t_test)
        if samples is not None:
            _whole(samples, "samples", 1, 10**9)
            x, t = x[:samples], t[:samples]
        return self._count_correct(x, t) / len(x)

    def export_csv(self, path: str | os.PathLike[str]) -> None:
        """Write iteration, epoch, loss, train_acc, test_acc (accuracies on epoch-end rows).

        The rows go to a temporary file renamed over ``path``; an existing
        ``path`` that is not a regular file (a folder, a device, a FIFO) is
        refused (``trainer.export_not_file``), never replaced.
        """
        by_iteration = {e.iteration: e for e in self.epoch_events}
        losses = self.loss_history
        path = Path(path)
        try:
            mode = os.stat(path).st_mode
        except OSError:
            mode = None
        if mode is not None and not stat.S_ISREG(mode):
            # A folder, a device (/dev/full), a FIFO: the rename below would replace it.
            raise _refusal("trainer.export_not_file",
                           f"cannot write the metrics to {path}: it exists and is not a regular file, "
                           "so it is not replaced", path=str(path),
                           kind="folder" if stat.S_ISDIR(mode) else "special")
        fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow(CSV_COLUMNS)
                for i, loss in enumerate(losses.tolist(), start=1):
                    epoch = (i - 1) // self.iter_per_epoch + 1
                    ev = by_iteration.get(i)
                    writer.writerow([i, epoch, repr(loss),
                                     "" if ev is None else repr(ev.train_acc),
                                     "" if ev is None else repr(ev.test_acc)])
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def summary(self) -> dict[str, Any]:
        """Metrics as plain JSON values (for checkpoints and --json output)."""
        last = self.epoch_events[-1] if self.epoch_events else None
        return {
            "iterations": self.iteration,
            "epochs_completed": self.epoch,
            "final_loss": float(self._losses[self.iteration - 1]) if self.iteration else None,
            "train_acc": last.train_acc if last else None,
            "test_acc": last.test_acc if last else None,
            "train_acc_history": [e.train_acc for e in self.epoch_events],
            "test_acc_history": [e.test_acc for e in self.epoch_events],
            "train_seconds": self._train_seconds,
            "samples_per_second": self._throughput(),
            "diverged": self.diverged is not None,
        }

    # -- internals -------------------------------------------------------------
    def _prepare(self, images: np.ndarray) -> np.ndarray:
        # uint8 pixels stay uint8 (4x less memory) and are normalised one
        # mini-batch at a time; float inputs are used as they are.
        if images.dtype == np.uint8:
            return images
        return np.ascontiguousarray(images, dtype=self.dtype)

    def _to_float(self, rows: np.ndarray, buffer: np.ndarray) -> np.ndarray:
        """``rows`` as floats, written into (the first rows of) ``buffer``."""
        out = buffer[:len(rows)]
        if rows.dtype == np.uint8:
            # The same numbers as nn_tui.core.data.mnist.normalize (pixels / 255),
            # without a new array per mini-batch.
            np.divide(rows, self.dtype.type(255), out=out)
            return out
        return rows

    def _count_correct(self, x: np.ndarray, t: np.ndarray) -> int:
        buffer = np.empty((min(PREDICT_CHUNK, len(x)), x.shape[1]), dtype=self.dtype)
        correct = 0
        for start in range(0, len(x), PREDICT_CHUNK):
            chunk = slice(start, start + PREDICT_CHUNK)
            xb = self._to_float(x[chunk], buffer)
            with np.errstate(all="ignore"):  # huge weights: the accuracy says enough
                correct += self.network.count_correct(xb, t[chunk], PREDICT_CHUNK)
        return correct

    def _evaluate(self, complete: bool) -> EpochEvent:
        start = time.perf_counter()
        cfg = self.config
        n_train = min(cfg.eval_train_samples or self.train_size, self.train_size)
        n_test = min(cfg.eval_test_samples or len(self.x_test), len(self.x_test))
        train_acc = self._count_correct(self.x_train[:n_train], self.t_train[:n_train]) / n_train
        test_acc = self._count_correct(self.x_test[:n_test], self.t_test[:n_test]) / n_test
        self._eval_seconds += time.perf_counter() - start
        if complete:
            self.epoch += 1
        event = EpochEvent(
            epoch=self.epoch if complete else self.epoch + 1,
            iteration=self.iteration,
            mean_loss=self._epoch_loss_sum / max(self._epoch_loss_count, 1),
            train_acc=train_acc, test_acc=test_acc,
            train_samples=n_train, test_samples=n_test,
            elapsed=self.elapsed, eval_seconds=time.perf_counter() - start,
            samples_per_second=self._throughput())
        self.epoch_events.append(event)
        return event

    def _record_loss(self, loss: float) -> None:
        if self.iteration == len(self._losses):
            grown = np.empty(2 * len(self._losses), dtype=np.float32)
            grown[:self.iteration] = self._losses
            self._losses = grown
        self._losses[self.iteration] = loss
        self.iteration += 1
        self._epoch_loss_sum += loss
        self._epoch_loss_count += 1

    def _throughput(self) -> float:
        samples = self.iteration * self.batch_size  # the odd last batch of an epoch is ignored
        return samples / self._train_seconds if self._train_seconds > 0 else 0.0

    def _finish(self, reason: str) -> FinishedEvent:
        last = self.epoch_events[-1] if self.epoch_events else None
        self.finished = FinishedEvent(
            iterations=self.iteration, epochs_completed=self.epoch,
            train_acc=last.train_acc if last else None,
            test_acc=last.test_acc if last else None,
            elapsed=self.elapsed, train_seconds=self._train_seconds,
            samples_per_second=self._throughput(), reason=reason)
        return self.finished


# -- checks ------------------------------------------------------------------

def _check_split(data: Any, split: str, classes: int) -> tuple[np.ndarray, np.ndarray]:
    """(images as (N, D), labels as int array) of one split, or a ValueError."""
    try:
        images = np.asarray(getattr(data, f"{split}_images"))
        labels = np.asarray(getattr(data, f"{split}_labels"))
    except AttributeError:
        raise ValueError(
            f"the data has no {split}_images / {split}_labels "
            "(load it with nn_tui.core.data.mnist.load_mnist)") from None
    if images.ndim > 2:
        images = images.reshape(len(images), -1)
    if images.ndim != 2 or len(images) == 0:
        raise ValueError(f"{split}_images must be a non-empty (N, pixels) array, got shape {images.shape}")
    if images.dtype.kind not in "uf":
        raise ValueError(f"{split}_images must be uint8 pixels or floats, got {images.dtype}")
    if images.dtype.kind == "f" and not np.isfinite(images).all():
        raise ValueError(f"{split}_images contains NaN or infinite values")
    if labels.shape != (len(images),) or labels.dtype.kind not in "iu":
        raise ValueError(
            f"{split}_labels must be {len(images):,} integer labels, got {labels.dtype} {labels.shape}")
    if labels.min() < 0 or labels.max() >= classes:
        raise ValueError(
            f"{split}_labels must be 0..{classes - 1}, got {labels.min()}..{labels.max()}")
    return images, labels


def _refusal(code: str, text: str, **values: Any) -> Refusal:
    """A `Refusal` the UI words from `code` and `values`; `text` is the developers' sentence.

    The English text is what the exception says (``str(error)``): the
    command line and logs print it; a lesson never shows it.
    """
    return Refusal(code, text, **values)


def _optional_integer(fields: Fields, name: str, low: int, high: int) -> int | None:
    """A whole number, or null for "not set" (the key itself is still required)."""
    if fields.has(name) and fields.table[name] is None:
        return None
    return fields.integer(name, low, high)


def _whole(value: Any, what: str, low: int, high: int, code: str = "train.whole") -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        shown = f"{value:,}" if isinstance(value, (int, np.integer)) and not isinstance(value, bool) else repr(value)
        raise _refusal(code, f"{what} must be a whole number from {low:,} to {high:,}, got {value!r}",
                       value=shown, low=f"{low:,}", high=f"{high:,}")
    return int(value)


def _number(value: Any, what: str, low: float, high: float, *,
            low_open: bool = False, high_open: bool = False, code: str = "train.number") -> float:
    left, right = "(" if low_open else "[", ")" if high_open else "]"
    numeric = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    values = {"value": f"{float(value):g}" if numeric else repr(value), "low": f"{low:g}", "high": f"{high:g}"}
    if not numeric:
        raise _refusal(code, f"{what} must be a number, got {value!r}", **values)
    v = float(value)
    if not math.isfinite(v) or (v <= low if low_open else v < low) or (v >= high if high_open else v > high):
        raise _refusal(code, f"{what} must be a finite number in {left}{low:g}, {high:g}{right}, got {value!r}",
                       **values)
    return v


def memory_needed(config: TrainConfig, input_size: int, train_rows: int) -> int:
    """Bytes training `config` on `train_rows` samples of `input_size` values is estimated to need.

    From the sizes alone (see ``networks.training_memory_estimate``): nothing is allocated.
    """
    rows = train_rows if config.train_size is None else min(config.train_size, train_rows)
    return training_memory_estimate(
        input_size, config.hidden_sizes, config.output_size,
        batch_size=max(1, min(config.batch_size, rows)), optimizer=config.optimizer,
        dtype=config.dtype, batchnorm=config.batchnorm, dropout=config.dropout,
        weight_decay=config.weight_decay)
