"""Chapter 4 through nn_tui.book: losses, derivatives, gradients, gradient descent, the ch. 4 network."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui.book.ch04.gradient_1d import function_1, numerical_diff, tangent_line
from nn_tui.book.ch04.gradient_2d import function_2, numerical_gradient
from nn_tui.book.ch04.gradient_method import gradient_descent
from nn_tui.book.ch04.gradient_simplenet import simpleNet
from nn_tui.book.ch04.two_layer_net import TwoLayerNet
from nn_tui.book.common import gradient as common_gradient
from nn_tui.book.common.functions import cross_entropy_error, mean_squared_error, softmax
from nn_tui.book.common.layers import SoftmaxWithLoss
from nn_tui.book.dataset.mnist import load_mnist_subset
from nn_tui.core import gradient as core_gradient

T = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
Y_RIGHT = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
Y_WRONG = [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]


def test_mean_squared_error():
    assert mean_squared_error(np.array(Y_RIGHT), np.array(T)) == 0.09750000000000003
    assert mean_squared_error(np.array(Y_WRONG), np.array(T)) == 0.5975


def test_cross_entropy_error():
    assert cross_entropy_error(np.array(Y_RIGHT), np.array(T)) == 0.510825457099338
    assert cross_entropy_error(np.array(Y_WRONG), np.array(T)) == 2.302584092994546


def test_batch_losses_take_one_hot_rows_or_labels():
    y = np.array([Y_RIGHT, Y_WRONG])
    one_hot = np.array([T, T])
    assert cross_entropy_error(y, one_hot) == cross_entropy_error(y, np.array([2, 2]))
    assert cross_entropy_error(y, one_hot) == pytest.approx((0.510825457099338 + 2.302584092994546) / 2)
    # The book's mean_squared_error sums a batch (it does not average it).
    assert mean_squared_error(y, one_hot) == pytest.approx(0.09750000000000003 + 0.5975, abs=1e-15)


def test_cross_entropy_reads_any_t_shaped_like_y_as_its_argmax():
    # Section 4.5.1 passes t = np.random.rand(100, 10); the book's loss takes t.argmax(axis=1).
    rng = np.random.default_rng(0)
    y = softmax(rng.standard_normal((5, 10)))
    t = rng.random((5, 10))
    assert cross_entropy_error(y, t) == cross_entropy_error(y, t.argmax(axis=1))


def test_numerical_diff():
    assert numerical_diff(function_1, 5) == 0.1999999999990898
    assert numerical_diff(function_1, 10) == 0.2999999999986347
    line = tangent_line(function_1, 5)
    assert line(5) == pytest.approx(function_1(5))


def test_partial_derivatives():
    def function_tmp1(x0):
        return x0 * x0 + 4.0 ** 2.0

    def function_tmp2(x1):
        return 3.0 ** 2.0 + x1 * x1

    assert numerical_diff(function_tmp1, 3.0) == 6.00000000000378
    assert numerical_diff(function_tmp2, 4.0) == 7.999999999999119


def test_numerical_gradient():
    grad = numerical_gradient(function_2, np.array([3.0, 4.0]))
    assert str(grad) == "[6. 8.]"
    # The book's footnote gives the digits: 6.0000000000037801, 7.9999999999991189.
    assert grad.tolist() == [6.00000000000378, 7.999999999999119]
    assert str(numerical_gradient(function_2, np.array([0.0, 2.0]))) == "[0. 4.]"
    assert str(numerical_gradient(function_2, np.array([3.0, 0.0]))) == "[6. 0.]"


def test_numerical_gradient_of_a_batch_of_points():
    # gradient_2d.py draws the field with one point per row.
    points = np.array([[3.0, 4.0], [0.0, 2.0], [-1.0, 0.5]])
    grads = numerical_gradient(function_2, points.copy())
    np.testing.assert_allclose(grads, 2 * points, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(grads[0], numerical_gradient(function_2, np.array([3.0, 4.0])))


def test_common_gradient_is_the_cores():
    assert common_gradient.numerical_gradient is core_gradient.numerical_gradient


@pytest.mark.parametrize(
    "lr, printed",
    [(0.1, "[-6.11110793e-10  8.14814391e-10]"),
     (10.0, "[-2.58983747e+13 -1.29524862e+12]"),
     (1e-10, "[-2.99999994  3.99999992]")],
)
def test_gradient_descent(lr, printed):
    init_x = np.array([-3.0, 4.0])
    x = gradient_descent(function_2, init_x=init_x, lr=lr, step_num=100)
    assert isinstance(x, np.ndarray)  # the array the book prints, not a result object
    assert str(x) == printed
    assert init_x.tolist() == [-3.0, 4.0]


# Section 4.4.2, with the weights the book prints (rounded to 8 digits).
SIMPLE_W = np.array([[0.47355232, 0.9977393, 0.84668094], [0.85557411, 0.03563661, 0.69422093]])


def test_simple_net():
    net = simpleNet()
    assert net.W.shape == (2, 3)
    net.W = SIMPLE_W.copy()
    x = np.array([0.6, 0.9])
    p = net.predict(x)
    assert str(p) == "[1.05414809 0.63071653 1.1328074 ]"
    assert np.argmax(p) == 2
    t = np.array([0, 0, 1])
    # The book prints 0.92806853663411326 and this dW.  Those are the numbers
    # of -log(y) itself; the book's cross_entropy_error (section 4.2.2, whose
    # printed 0.510825457099338 above needs it) takes -log(y + 1e-7), which is
    # lower by 1e-7 / y = 2.5e-7 here.  Both are shown.
    assert net.loss(x, t) == pytest.approx(0.92806853663411326 - 1e-7 / softmax(p)[2], abs=5e-9)
    dW = numerical_gradient(lambda W: net.loss(x, t), net.W)
    book_dW = np.array([[0.21924763, 0.14356247, -0.36281009], [0.32887144, 0.2153437, -0.54421514]])
    np.testing.assert_allclose(dW, book_dW, rtol=3e-7, atol=5e-9)

    exact = SoftmaxWithLoss()
    assert exact.forward(net.predict(x)[None, :], t[None, :]) == pytest.approx(0.92806853663411326, abs=5e-9)
    dW_exact = numerical_gradient(lambda W: exact.forward(net.predict(x)[None, :], t[None, :]), net.W)
    assert str(dW_exact) == str(book_dW)


def test_two_layer_net_shapes():
    # Section 4.5.1.
    net = TwoLayerNet(input_size=784, hidden_size=100, output_size=10)
    assert net.params["W1"].shape == (784, 100) and net.params["b1"].shape == (100,)
    assert net.params["W2"].shape == (100, 10) and net.params["b2"].shape == (10,)
    assert all(p.dtype == np.float64 for p in net.params.values())
    assert 0.008 < net.params["W1"].std() < 0.012 and not net.params["b1"].any()
    x = np.random.rand(100, 784)
    y = net.predict(x)
    assert y.shape == (100, 10)
    np.testing.assert_allclose(y.sum(axis=1), 1.0)  # ch. 4's predict ends with softmax


def test_two_layer_net_numerical_gradient_and_backprop_agree():
    np.random.seed(0)
    net = TwoLayerNet(input_size=6, hidden_size=4, output_size=3, weight_init_std=0.5)
    x = np.random.rand(5, 6)
    t = np.eye(3)[[0, 2, 1, 1, 0]]
    numerical = net.numerical_gradient(x, t)
    backprop = net.gradient(x, t)
    assert list(numerical) == ["W1", "b1", "W2", "b2"]
    for key in numerical:
        # The ch. 4 loss keeps the book's + 1e-7 in the log, so its numerical
        # gradient differs from (y - t) / N by about 1e-7 relative.
        np.testing.assert_allclose(backprop[key], numerical[key], rtol=0, atol=1e-7)


def test_two_layer_net_with_random_targets_as_in_section_4_5_1():
    net = TwoLayerNet(input_size=6, hidden_size=4, output_size=3)
    grads = net.numerical_gradient(np.random.rand(10, 6), np.random.rand(10, 3))
    assert {k: g.shape for k, g in grads.items()} == {k: p.shape for k, p in net.params.items()}


def test_train_neuralnet_learns():
    # ch04/train_neuralnet.py, 300 iterations on the subset.
    (x_train, t_train), (x_test, t_test) = load_mnist_subset(normalize=True, one_hot_label=True)
    np.random.seed(0)
    network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
    first = network.loss(x_train[:100], t_train[:100])
    for _ in range(300):
        batch_mask = np.random.choice(x_train.shape[0], 100)
        grad = network.gradient(x_train[batch_mask], t_train[batch_mask])
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= 0.1 * grad[key]
    assert first == pytest.approx(2.30, abs=0.02)
    assert network.loss(x_train[:100], t_train[:100]) < 2.0
    assert network.accuracy(x_test, t_test) > 0.3
