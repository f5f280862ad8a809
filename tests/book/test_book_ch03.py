"""Chapter 3 through nn_tui.book: activations, softmax, a 3-layer forward pass, MNIST as arrays."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui.book.common.functions import identity_function, relu, sigmoid, softmax, step_function
from nn_tui.book.dataset.mnist import load_mnist, load_mnist_subset


def test_step_function_prints_integers():
    y = step_function(np.array([-1.0, 1.0, 2.0]))
    assert str(y) == "[0 1 1]"
    assert y.dtype.kind == "i"
    assert step_function(3.0) == 1 and step_function(-3.0) == 0


def test_sigmoid_and_relu():
    assert str(sigmoid(np.array([-1.0, 1.0, 2.0]))) == "[0.26894142 0.73105858 0.88079708]"
    assert str(relu(np.array([-1.0, 0.0, 2.0]))) == "[0. 0. 2.]"


def init_network():
    # Section 3.4.3's weights.
    return {
        "W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]), "b1": np.array([0.1, 0.2, 0.3]),
        "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]), "b2": np.array([0.1, 0.2]),
        "W3": np.array([[0.1, 0.3], [0.2, 0.4]]), "b3": np.array([0.1, 0.2]),
    }


def forward(network, x):
    a1 = np.dot(x, network["W1"]) + network["b1"]
    z1 = sigmoid(a1)
    a2 = np.dot(z1, network["W2"]) + network["b2"]
    z2 = sigmoid(a2)
    a3 = np.dot(z2, network["W3"]) + network["b3"]
    return a1, z1, identity_function(a3)


def test_three_layer_network_forward():
    a1, z1, y = forward(init_network(), np.array([1.0, 0.5]))
    assert str(a1) == "[0.3 0.7 1.1]"
    assert str(z1) == "[0.57444252 0.66818777 0.75026011]"
    assert str(y) == "[0.31682708 0.69627909]"


def test_softmax():
    y = softmax(np.array([0.3, 2.9, 4.0]))
    assert str(y) == "[0.01821127 0.24519181 0.73659691]"
    assert np.sum(y) == pytest.approx(1.0, abs=1e-15)


def test_softmax_does_not_overflow():
    # The naive exp(a) / sum(exp(a)) gives [nan nan nan] here; the book subtracts the max.
    y = softmax(np.array([1010, 1000, 990]))
    assert str(y) == "[9.99954600e-01 4.53978686e-05 2.06106005e-09]"


def test_softmax_of_a_batch_is_row_by_row():
    a = np.array([[0.3, 2.9, 4.0], [1010, 1000, 990]])
    np.testing.assert_array_equal(softmax(a)[0], softmax(a[0]))
    np.testing.assert_array_equal(softmax(a)[1], softmax(a[1]))


def test_mnist_show_the_first_digit(monkeypatch, mnist_dir):
    # ch03/mnist_show.py: label 5, shape (784,), reshaped to (28, 28).
    monkeypatch.setenv("NN_TUI_MNIST_DIR", str(mnist_dir))
    (x_train, t_train), (x_test, t_test) = load_mnist(flatten=True, normalize=False)
    img, label = x_train[0], t_train[0]
    assert label == 5
    assert img.shape == (784,)
    assert img.reshape(28, 28).shape == (28, 28)
    assert x_train.shape == (60000, 784) and t_train.shape == (60000,)
    assert x_test.shape == (10000, 784) and t_test.shape == (10000,)


def test_neuralnet_mnist_batch_shapes_on_the_subset():
    # ch03/neuralnet_mnist_batch.py's shapes, on the subset (its weights are a
    # pickle, which nn-tui does not read).
    _, (x, t) = load_mnist_subset(normalize=True, flatten=True, one_hot_label=False)
    W1 = np.zeros((784, 50))
    batch = x[0:100]
    assert x[0].shape == (784,) and np.dot(batch, W1).shape == (100, 50)
    assert x.dtype == np.float32 and 0.0 <= x.min() and x.max() <= 1.0


def test_neuralnet_mnist_counts_the_books_9352(monkeypatch, mnist_dir):
    """The book's neuralnet_mnist_batch.py loop, with only its import changed: Accuracy:0.9352."""
    from nn_tui.book.ch03.neuralnet_mnist import get_data, init_network, predict

    monkeypatch.setenv("NN_TUI_MNIST_DIR", str(mnist_dir))
    x, t = get_data()
    network = init_network()
    assert network["W1"].shape == (784, 50) and network["b3"].shape == (10,)
    batch_size = 100
    accuracy_cnt = 0
    for i in range(0, len(x), batch_size):
        y_batch = predict(network, x[i:i + batch_size])
        p = np.argmax(y_batch, axis=1)
        accuracy_cnt += np.sum(p == t[i:i + batch_size])
    assert "Accuracy:" + str(float(accuracy_cnt) / len(x)) == "Accuracy:0.9352"
    # One digit at a time, as neuralnet_mnist.py does, agrees on the first hundred.
    assert [int(np.argmax(predict(network, x[i]))) for i in range(100)] == list(np.argmax(predict(network, x[:100]), axis=1))
