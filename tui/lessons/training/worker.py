"""Work in a thread for lesson 6: the training loop and the data loader, and the messages they post back.

Both run in `@work(thread=True, exclusive=True)` workers of the screen and
report by posting one of the small dataclass messages below; the screen
never reads a worker's result or state.

Training: while the loop runs, only it touches the trainer and its network;
the screen reads what the messages carry (copies). When the loop returns
(pause, finish, single step, stop, quit) the trainer is the screen's again.
So pausing is simply "ask the loop to return", and resuming starts a new
worker on the same trainer. Progress is throttled: at most one
`TrainingProgress` per `PROGRESS_INTERVAL` seconds (5 a second), however many
mini-batches that covers (thousands per second on the offline subset), then
one `TrainingStopped` when the loop returns.

Data: `read_data` loads a data set and says how it went in one `DataLoaded`.

Checkpoints: `read_network` loads a saved network (a file that may be big or
hostile: it is checked before anything large is read) and builds a trainer
for it, then says how it went in one `NetworkLoaded`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from textual.message import Message

from nn_tui.core.data.checkpoint import load_checkpoint
from nn_tui.core.data.mnist import MnistData, MnistError, load_mnist
from nn_tui.core.networks import MultiLayerNet
from nn_tui.core.refusal import Refusal
from nn_tui.core.trainer import DivergedEvent, EpochEvent, FinishedEvent, IterationEvent, TrainConfig, Trainer

PROGRESS_INTERVAL = 0.2

# Seconds to wait after each mini-batch at each pace: full speed, or slow
# enough to follow the curves in class.
PACES: dict[str, float] = {"full": 0.0, "100": 0.01, "10": 0.1}


@dataclass
class TrainingProgress(Message):
    """Mini-batches done since the last message (all values are copies)."""

    losses: np.ndarray
    last: IterationEvent | None
    epochs: list[EpochEvent] = field(default_factory=list)
    snapshot: MultiLayerNet | None = None  # the network at the latest epoch end in this batch


@dataclass
class TrainingStopped(Message):
    """The loop returned; the trainer belongs to the screen again.

    reason: "paused" (asked to stop), "stepped" (did the steps it was asked
    for), "finished", "diverged", or "error" (an unexpected exception, in `error`).
    """

    reason: str
    finished: FinishedEvent | None = None
    diverged: DivergedEvent | None = None
    error: str | None = None


@dataclass
class DataLoaded(Message):
    """A data set was read (`data`), or could not be (`data` None; `refusal` says why, else `reason`).

    `choice` is what was asked for ("subset", "full" or "folder"), `source` where it was read from.
    `refusal` is the core's `MnistError` (a `Refusal` the screen words in the
    student's language); `reason` is for anything else.
    """

    choice: str
    source: Path
    data: MnistData | None
    reason: str | None = None
    refusal: Refusal | None = None


def read_data(choice: str, source: Path) -> DataLoaded:
    """Load the data set at `source`; any failure becomes a message, never an exception."""
    try:
        return DataLoaded(choice, source, load_mnist(source))
    except MnistError as error:
        return DataLoaded(choice, source, None, str(error), refusal=error)
    except OSError as error:  # a catalogue sentence around the system's words, without the errno number
        refusal = Refusal("msg.file_error", path=str(error.filename or source),
                          reason=error.strerror or type(error).__name__)
        return DataLoaded(choice, source, None, str(refusal), refusal=refusal)
    except ValueError as error:
        return DataLoaded(choice, source, None, str(error))
    except Exception as error:  # noqa: BLE001 - a bug must reach the screen as a message, not kill the app
        return DataLoaded(choice, source, None, f"{type(error).__name__}: {error}")


@dataclass
class NetworkLoaded(Message):
    """A saved network was read and a trainer built for it, or it could not be.

    `request` is the screen's number for the request (an older one is
    ignored); on success `trainer`, `config` and `accuracy` (on the test set)
    are set, else `refusal` says why (a `Refusal` the screen words), or
    `error` (an unexpected failure, for the message line).
    """

    request: int
    path: Path
    data: MnistData
    trainer: Trainer | None = None
    config: TrainConfig | None = None
    accuracy: float | None = None
    refusal: Refusal | None = None
    error: str | None = None


def read_network(request: int, path: Path, config: TrainConfig, data: MnistData) -> NetworkLoaded:
    """Load the network saved at `path` and a trainer for it on `data`; a failure becomes the message."""
    try:
        network = load_checkpoint(path).network
        spec = network.spec()
        config = config.replace(
            hidden_sizes=tuple(spec["hidden_size_list"]), activation=spec["activation"],
            weight_init=spec["weight_init"], weight_decay=spec["weight_decay_lambda"],
            dropout=spec["dropout_ratio"], batchnorm=spec["use_batchnorm"], dtype=spec["dtype"],
        )
        trainer = Trainer(config, data, network=network)
        accuracy = trainer.evaluate("test")
    except Refusal as refusal:
        return NetworkLoaded(request, path, data, refusal=refusal)
    except OSError as error:
        return NetworkLoaded(request, path, data, error=error.strerror or type(error).__name__)
    except Exception as error:  # noqa: BLE001 - a bug must reach the screen as a message, not kill the app
        return NetworkLoaded(request, path, data, error=f"{type(error).__name__}: {error}")
    return NetworkLoaded(request, path, data, trainer, config, accuracy)


def network_copy(trainer: Trainer) -> MultiLayerNet:
    """A copy of the trainer's network that later training does not change."""
    return trainer.network.copy()


def run_training(
    trainer: Trainer,
    post: Callable[[Message], object],
    *,
    should_stop: Callable[[], bool],
    steps: int | None = None,
    wait: Callable[[float], object] = time.sleep,
    delay: float = 0.0,
    interval: float = PROGRESS_INTERVAL,
    clock: Callable[[], float] = time.monotonic,
    want_snapshots: Callable[[], bool] = lambda: True,
) -> TrainingStopped:
    """Step `trainer` until it finishes, `should_stop()`, or `steps` steps are done.

    `post` receives the throttled progress messages and the final
    `TrainingStopped` (also returned). `wait(delay)` runs after each step when
    `delay` > 0 (pass an Event's wait so a pause cuts the wait short).
    Progress carries a copy of the network after an epoch end only while
    `want_snapshots()` (copies cost time; only "look inside" needs them); the
    last message always carries one.
    """
    sent = trainer.iteration
    epochs: list[EpochEvent] = []
    last: IterationEvent | None = None
    last_post = clock()
    done = 0

    def flush(final: bool) -> None:
        nonlocal sent, epochs, last_post
        losses = np.array(trainer.loss_history[sent:], dtype=np.float64)
        snapshot = network_copy(trainer) if final or (epochs and want_snapshots()) else None
        post(TrainingProgress(losses, last, epochs, snapshot))
        sent, epochs, last_post = trainer.iteration, [], clock()

    try:
        while True:
            if trainer.finished is not None:
                reason = "diverged" if trainer.diverged is not None else "finished"
                break
            if should_stop():
                reason = "paused"
                break
            if steps is not None and done >= steps:
                reason = "stepped"
                break
            for event in trainer.step():
                if isinstance(event, IterationEvent):
                    last = event
                elif isinstance(event, EpochEvent):
                    epochs.append(event)
            done += 1
            if clock() - last_post >= interval:
                flush(final=False)
            if delay > 0 and trainer.finished is None:
                wait(delay)
        flush(final=True)
        stopped = TrainingStopped(reason, trainer.finished, trainer.diverged)
    except Exception as error:  # noqa: BLE001 - a bug must reach the screen as a message, not kill the app
        stopped = TrainingStopped("error", trainer.finished, trainer.diverged,
                                  error=f"{type(error).__name__}: {error}")
    post(stopped)
    return stopped
