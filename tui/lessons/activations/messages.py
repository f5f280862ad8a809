"""What lesson 2's background work posts back to its screen (small dataclass messages)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from nn_tui.core.data.mnist import MnistData
from nn_tui.core.labs.inference import SampleNetwork, Timing
from nn_tui.core.refusal import Refusal


@dataclass
class NetworkReady(Message):
    """The book's trained network and the MNIST test digits it reads, loaded in a thread."""

    data: MnistData
    network: SampleNetwork


@dataclass
class NetworkFailed(Message):
    """The weights or MNIST could not be loaded: a core `Refusal` (worded by the catalogue), else a reason."""

    error: Refusal | str


@dataclass
class InferenceTimed(Message):
    """The whole test set read one digit at a time and 100 at a time: accuracy and seconds of each."""

    timing: Timing
