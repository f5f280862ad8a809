"""The book's ch03/neuralnet_mnist.py: ``get_data``, ``init_network``, ``predict``.

The book reads its trained weights from ``sample_weight.pkl`` with pickle;
here ``init_network`` reads the same arrays from nn-tui's shipped ``.npz``
(converted bit-exact, no pickle) through the core's `SampleNetwork`, which
checks every shape first.  ``predict`` is the forward pass the app's lesson 2
draws layer by layer, so a student's loop over the 10,000 test digits counts
the book's 9352 correct.
"""

from __future__ import annotations

import numpy as np

from nn_tui.assets import BOOK_WEIGHTS
from nn_tui.book.dataset.mnist import load_mnist
from nn_tui.core.labs.inference import SampleNetwork

__all__ = ["get_data", "init_network", "predict"]


def get_data() -> tuple[np.ndarray, np.ndarray]:
    """The test images (flattened, scaled to [0, 1]) and their labels, as the book's get_data."""
    (_x_train, _t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=True, one_hot_label=False)
    return x_test, t_test


def init_network() -> dict[str, np.ndarray]:
    """The trained W1, b1, W2, b2, W3, b3 (784-50-100-10), as the book's pickle held them."""
    return {name: np.array(array) for name, array in SampleNetwork.load(BOOK_WEIGHTS).params.items()}


def predict(network: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """sigmoid, sigmoid, softmax: the probabilities of the ten digits."""
    return SampleNetwork(network).predict(np.asarray(x))
