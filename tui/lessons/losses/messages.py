"""What the lesson's background work posts back to its screen (small dataclass messages)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from nn_tui.core.labs.inference import SampleNetwork
from nn_tui.core.labs.losses import BatchPlan, MiniBatchLab
from nn_tui.core.refusal import Refusal


@dataclass
class BatchReady(Message):
    """The mini-batches `asked` for, drawn on MNIST in a thread.

    `refusal` says why the lab follows another plan than asked (a batch
    larger than the training set that was found): the screen shows it.
    `network` is the book's trained network, loaded with the data the first
    time (None then if it could not be: `network_error` says why).
    """

    asked: BatchPlan
    lab: MiniBatchLab
    refusal: Refusal | None = None
    network: SampleNetwork | None = None
    network_error: Refusal | None = None


@dataclass
class BatchFailed(Message):
    """MNIST could not be loaded for the mini-batches `asked` for: the core's `MnistError`, else a reason."""

    asked: BatchPlan
    error: Refusal | str
