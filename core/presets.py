"""Named training setups: the book's experiments and a few of our own.

Each preset is a TrainConfig plus one sentence saying what it shows; the
command line (``nn-tui train --preset NAME``) and the lesson screen start
from one and let the user change any field.
"""

from __future__ import annotations

from dataclasses import dataclass

from nn_tui.core.trainer import TrainConfig


@dataclass(frozen=True)
class Preset:
    """A named TrainConfig and what it is for."""

    name: str
    description: str
    config: TrainConfig


# The book's ch. 6 overfitting experiment: 300 training digits, 6 hidden
# layers of 100, SGD lr 0.01, batch 100 (ch06/overfit_weight_decay.py).
_OVERFIT = TrainConfig(
    hidden_sizes=(100,) * 6, activation="relu", weight_init="he",
    optimizer="sgd", lr=0.01, batch_size=100, epochs=201, train_size=300,
)

_PRESETS = (
    Preset(
        "quick",
        "A small ReLU net for the offline subset: about a second, ~90% test accuracy.",
        TrainConfig(hidden_sizes=(100,), activation="relu", weight_init="he",
                    optimizer="sgd", lr=0.1, batch_size=100, epochs=10),
    ),
    Preset(
        "book-two-layer",
        "The book's ch. 5 TwoLayerNet: 784-50-10 ReLU, 0.01·randn weights, SGD lr 0.1, "
        "batch 100, 10,000 iterations (16.7 epochs of 60,000): ~97% test accuracy.",
        TrainConfig(hidden_sizes=(50,), activation="relu", weight_init="std:0.01",
                    optimizer="sgd", lr=0.1, batch_size=100, iterations=10_000),
    ),
    Preset(
        "book-two-layer-sigmoid",
        "The same run with the ch. 4 sigmoid network: it learns more slowly (~95%).",
        TrainConfig(hidden_sizes=(50,), activation="sigmoid", weight_init="std:0.01",
                    optimizer="sgd", lr=0.1, batch_size=100, iterations=10_000),
    ),
    Preset(
        "best",
        "784-500-300-10 ReLU with He weights, batch norm, dropout 0.2 and Adam: "
        "about 98.2% test accuracy on full MNIST in 10 epochs (about a minute).",
        TrainConfig(hidden_sizes=(500, 300), activation="relu", weight_init="he",
                    batchnorm=True, dropout=0.2, optimizer="adam", lr=0.001,
                    batch_size=100, epochs=10),
    ),
    Preset(
        "overfit-300",
        "The book's overfitting demo: 300 training digits and a 7-layer net; train "
        "accuracy reaches 100% while test accuracy stays far below.",
        _OVERFIT,
    ),
    Preset(
        "overfit-300-decay",
        "The same with weight decay λ = 0.1 (ch06/overfit_weight_decay.py): the gap narrows.",
        _OVERFIT.replace(weight_decay=0.1),
    ),
    Preset(
        "overfit-300-dropout",
        "The same with dropout 0.2 (ch06/overfit_dropout.py): the gap narrows.",
        _OVERFIT.replace(dropout=0.2, epochs=301),
    ),
)

PRESETS: dict[str, Preset] = {p.name: p for p in _PRESETS}


def get_preset(name: str) -> Preset:
    """The preset called ``name``; an unknown name is a ValueError listing the known ones."""
    try:
        return PRESETS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None
