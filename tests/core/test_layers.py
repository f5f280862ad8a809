"""The book's layers: exact values, gradient checks, dtypes, bad arguments."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nn_tui.core import functions
from nn_tui.core.gradient import numerical_gradient
from nn_tui.core.layers import (
    Affine,
    BatchNormalization,
    Dropout,
    Relu,
    Sigmoid,
    SoftmaxWithLoss,
    Tanh,
)


def max_rel_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).max() / max(np.abs(a).max(), np.abs(b).max(), 1e-4))


def check_layer(layer, x: np.ndarray, params: dict[str, np.ndarray], forward=None,
                before_forward=None) -> dict[str, float]:
    """Backward vs numerical gradient of sum(forward(x) * dout), for x and every parameter."""
    rng = np.random.default_rng(7)
    forward = forward or layer.forward
    if before_forward:
        before_forward()
    out = forward(x)
    dout = rng.standard_normal(out.shape)
    dx = layer.backward(dout.copy())
    analytic = {"x": dx, **{name: getattr(layer, "d" + name).copy() for name in params}}

    def f(_: np.ndarray) -> float:
        if before_forward:
            before_forward()
        return float(np.sum(forward(x) * dout))

    errors = {"x": max_rel_error(dx, numerical_gradient(f, x))}
    for name, p in params.items():
        errors[name] = max_rel_error(analytic[name], numerical_gradient(f, p))
    return errors


# -- Affine -------------------------------------------------------------------

def test_affine_forward_and_backward_exact_values():
    W = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = np.array([0.5, -0.5, 1.0])
    layer = Affine(W, b)
    x = np.array([[1.0, 2.0], [-1.0, 0.0]])
    np.testing.assert_array_equal(layer.forward(x), [[9.5, 11.5, 16.0], [-0.5, -2.5, -2.0]])
    dout = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0]])
    dx = layer.backward(dout)
    np.testing.assert_array_equal(dx, [[7.0, 16.0], [2.0, 5.0]])
    np.testing.assert_array_equal(layer.dW, [[1.0, -1.0, 2.0], [2.0, 0.0, 4.0]])
    np.testing.assert_array_equal(layer.db, [1.0, 1.0, 2.0])


def test_affine_gradient_check():
    rng = np.random.default_rng(0)
    W, b = rng.standard_normal((5, 4)), rng.standard_normal(4)
    errors = check_layer(Affine(W, b), rng.standard_normal((3, 5)), {"W": W, "b": b})
    assert max(errors.values()) < 1e-8, errors


def test_affine_flattens_image_batches_and_restores_their_shape():
    rng = np.random.default_rng(1)
    layer = Affine(rng.standard_normal((12, 2)), np.zeros(2))
    x = rng.standard_normal((3, 3, 4))
    out = layer.forward(x)
    np.testing.assert_allclose(out, x.reshape(3, 12) @ layer.W, rtol=1e-12)
    assert layer.backward(np.ones((3, 2))).shape == (3, 3, 4)


def test_affine_without_dx_still_stores_parameter_gradients():
    rng = np.random.default_rng(2)
    layer = Affine(rng.standard_normal((4, 3)), np.zeros(3))
    layer.need_dx = False
    x = rng.standard_normal((2, 4))
    layer.forward(x)
    assert layer.backward(np.ones((2, 3))) is None
    np.testing.assert_allclose(layer.dW, x.T @ np.ones((2, 3)), rtol=1e-12)
    np.testing.assert_array_equal(layer.db, [2.0, 2.0, 2.0])


def test_affine_rejects_wrong_shapes():
    with pytest.raises(ValueError, match="Affine needs W"):
        Affine(np.zeros((3, 2)), np.zeros(3))
    layer = Affine(np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="expects 3 values per sample, got 4"):
        layer.forward(np.zeros((1, 4)))
    with pytest.raises(ValueError, match="before forward"):
        Affine(np.zeros((3, 2)), np.zeros(2)).backward(np.zeros((1, 2)))


# -- activations ----------------------------------------------------------------

def test_relu_exact_values_and_mask():
    layer = Relu()
    x = np.array([[1.0, -0.5], [-2.0, 3.0]])
    np.testing.assert_array_equal(layer.forward(x), [[1.0, 0.0], [0.0, 3.0]])
    np.testing.assert_array_equal(layer.backward(np.array([[5.0, 6.0], [7.0, 8.0]])),
                                  [[5.0, 0.0], [0.0, 8.0]])


def test_relu_gradient_at_zero_is_zero_like_the_book():
    layer = Relu()
    layer.forward(np.array([[0.0, 1.0]]))
    np.testing.assert_array_equal(layer.backward(np.array([[3.0, 3.0]])), [[0.0, 3.0]])


def test_sigmoid_matches_the_book_formula():
    x = np.linspace(-30, 30, 121).reshape(11, 11)
    out = Sigmoid().forward(x)
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-x)), rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(out, functions.sigmoid(x), rtol=1e-14, atol=1e-300)
    assert Sigmoid().forward(np.array([[0.0]]))[0, 0] == 0.5


def test_sigmoid_does_not_overflow_in_float32():
    with np.errstate(all="raise"):
        out = Sigmoid().forward(np.array([[-1000.0, 1000.0]], dtype=np.float32))
    np.testing.assert_array_equal(out, np.array([[0.0, 1.0]], dtype=np.float32))


def test_sigmoid_backward_exact_value():
    layer = Sigmoid()
    layer.forward(np.array([[0.0]]))
    assert layer.backward(np.array([[1.0]]))[0, 0] == 0.25  # y(1 - y) at y = 0.5


def test_tanh_backward_exact_value():
    layer = Tanh()
    out = layer.forward(np.array([[0.5]]))
    assert out[0, 0] == math.tanh(0.5)
    assert layer.backward(np.array([[2.0]]))[0, 0] == pytest.approx(2 * (1 - math.tanh(0.5) ** 2),
                                                                    rel=1e-15)


@pytest.mark.parametrize("layer_class", [Relu, Sigmoid, Tanh])
def test_activation_gradient_check(layer_class):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 5))
    x[np.abs(x) < 0.01] = 0.5  # keep clear of ReLU's kink at 0
    errors = check_layer(layer_class(), x, {})
    assert errors["x"] < 1e-8, errors


# -- SoftmaxWithLoss -------------------------------------------------------------

def test_softmax_with_loss_uniform_scores_give_log_of_class_count():
    layer = SoftmaxWithLoss()
    loss = layer.forward(np.zeros((4, 10)), np.array([0, 3, 9, 5]))
    assert loss == pytest.approx(math.log(10), rel=1e-15)  # 2.302585092994046
    np.testing.assert_allclose(layer.y, np.full((4, 10), 0.1), rtol=1e-15)


def test_softmax_with_loss_backward_is_y_minus_t_over_n():
    layer = SoftmaxWithLoss()
    x = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    layer.forward(x, np.array([2, 0]))
    y = functions.softmax(x)
    expected = (y - np.array([[0, 0, 1], [1, 0, 0]])) / 2
    np.testing.assert_allclose(layer.backward(), expected, rtol=1e-14, atol=1e-17)


def test_softmax_with_loss_agrees_with_the_books_cross_entropy():
    # The book adds 1e-7 inside the log; our log-softmax does not need it, so
    # the two differ by about 1e-7 / y -- far below anything shown.
    rng = np.random.default_rng(4)
    x = rng.standard_normal((8, 10))
    t = rng.integers(0, 10, 8)
    ours = SoftmaxWithLoss().forward(x, t)
    book = functions.cross_entropy_error(functions.softmax(x), t)
    assert ours == pytest.approx(book, rel=1e-5)
    exact = float(np.mean(np.log(np.exp(x).sum(axis=1)) - x[np.arange(8), t]))
    assert ours == pytest.approx(exact, rel=1e-14)


def test_softmax_with_loss_labels_and_one_hot_agree():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((6, 4))
    t = rng.integers(0, 4, 6)
    a, b = SoftmaxWithLoss(), SoftmaxWithLoss()
    assert a.forward(x, t) == pytest.approx(b.forward(x, np.eye(4)[t]), rel=1e-15)
    np.testing.assert_allclose(a.backward(), b.backward(), rtol=1e-15, atol=1e-18)


def test_softmax_with_loss_huge_scores_stay_finite():
    layer = SoftmaxWithLoss()
    loss = layer.forward(np.array([[1000.0, 0.0, -1000.0]]), np.array([2]))
    assert loss == pytest.approx(2000.0, rel=1e-15)  # the book's delta would cap it at 16.1
    assert np.isfinite(layer.backward()).all()


def test_softmax_with_loss_gradient_check():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((5, 7))
    t = rng.integers(0, 7, 5)
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    dx = layer.backward()
    numeric = numerical_gradient(lambda _: SoftmaxWithLoss().forward(x, t), x)
    assert max_rel_error(dx, numeric) < 1e-8


@pytest.mark.parametrize("t, message", [
    (np.array([0, 1, 3]), r"labels must be in 0\.\.2"),
    (np.array([0, -1, 2]), r"labels must be in 0\.\.2"),
    (np.array([0, 1]), "got 2 labels for a batch of 3"),
    (np.array([0.0, 1.0, 2.0]), "label targets must be integers"),
    (np.zeros((3, 4)), "one-hot targets must have the scores' shape"),
])
def test_softmax_with_loss_rejects_bad_targets(t, message):
    with pytest.raises(ValueError, match=message):
        SoftmaxWithLoss().forward(np.zeros((3, 3)), t)


def test_softmax_with_loss_rejects_1d_scores():
    with pytest.raises(ValueError, match="scores must be 2-D"):
        SoftmaxWithLoss().forward(np.zeros(3), np.array([1]))


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 6)),
              elements=st.floats(-50, 50)),
       st.data())
def test_softmax_with_loss_properties(x, data):
    t = np.array(data.draw(st.lists(st.integers(0, x.shape[1] - 1),
                                    min_size=x.shape[0], max_size=x.shape[0])))
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    assert loss >= 0
    np.testing.assert_allclose(layer.y.sum(axis=1), 1.0, rtol=1e-12)
    dx = layer.backward()
    # Each row of y - t sums to 0: the gradient only moves scores relative to each other.
    np.testing.assert_allclose(dx.sum(axis=1), 0.0, atol=1e-15)


# -- Dropout ---------------------------------------------------------------------

def test_dropout_train_and_test_modes():
    layer = Dropout(0.25, rng=np.random.default_rng(0))
    x = np.ones((200, 50))
    out = layer.forward(x, train_flg=True)
    kept = out.mean()
    assert set(np.unique(out)) == {0.0, 1.0}
    assert 0.72 < kept < 0.78  # 10,000 draws: about 75% kept
    np.testing.assert_array_equal(layer.backward(np.full_like(x, 2.0)), 2.0 * layer.mask)
    np.testing.assert_array_equal(layer.forward(x, train_flg=False), np.full_like(x, 0.75))


def test_dropout_same_seed_same_mask():
    a = Dropout(0.5, rng=np.random.default_rng(3)).forward(np.ones((4, 6)))
    b = Dropout(0.5, rng=np.random.default_rng(3)).forward(np.ones((4, 6)))
    np.testing.assert_array_equal(a, b)


def test_dropout_gradient_check_with_a_replayed_mask():
    rng = np.random.default_rng(8)
    layer = Dropout(0.4, rng=np.random.default_rng(1))
    state = layer.rng.bit_generator.state

    def replay() -> None:
        layer.rng.bit_generator.state = state

    errors = check_layer(layer, rng.standard_normal((3, 6)), {}, before_forward=replay)
    assert errors["x"] < 1e-8


@pytest.mark.parametrize("ratio", [-0.1, 1.0, 1.5, float("nan")])
def test_dropout_rejects_bad_ratio(ratio):
    with pytest.raises(ValueError, match=r"dropout ratio must be in \[0, 1\)"):
        Dropout(ratio)


# -- BatchNormalization ---------------------------------------------------------------

def test_batchnorm_normalises_each_unit_and_updates_running_averages():
    x = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 16.0]])
    layer = BatchNormalization(np.ones(2), np.zeros(2))
    out = layer.forward(x, train_flg=True)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-15)
    # var of column 0 is 8/3; out = (x - 3) / sqrt(8/3 + 1e-6)
    np.testing.assert_allclose(out[:, 0], np.array([-2.0, 0.0, 2.0]) / math.sqrt(8 / 3 + 1e-6),
                               rtol=1e-15)
    np.testing.assert_allclose(layer.running_mean, [0.3, 1.2], rtol=1e-15)  # 0.1 * mean
    np.testing.assert_allclose(layer.running_var, [0.9 + 0.1 * 8 / 3, 0.9 + 0.1 * 8.0], rtol=1e-15)


def test_batchnorm_test_mode_uses_running_averages():
    layer = BatchNormalization(np.array([2.0]), np.array([1.0]),
                               running_mean=np.array([4.0]), running_var=np.array([9.0 - 1e-6]))
    np.testing.assert_allclose(layer.forward(np.array([[7.0]]), train_flg=False), [[3.0]],
                               rtol=1e-15)  # 2 * (7 - 4) / 3 + 1


def test_batchnorm_gradient_check():
    rng = np.random.default_rng(9)
    gamma, beta = rng.standard_normal(4) + 1.0, rng.standard_normal(4)
    layer = BatchNormalization(gamma, beta)
    errors = check_layer(layer, rng.standard_normal((6, 4)) * 2 + 1,
                         {"gamma": gamma, "beta": beta})
    assert max(errors.values()) < 1e-7, errors


def test_batchnorm_rejects_bad_arguments():
    with pytest.raises(ValueError, match="gamma and beta"):
        BatchNormalization(np.ones(3), np.zeros(2))
    with pytest.raises(ValueError, match=r"expects \(batch, 3\) inputs"):
        BatchNormalization(np.ones(3), np.zeros(3)).forward(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="before a training forward pass"):
        BatchNormalization(np.ones(3), np.zeros(3)).backward(np.zeros((2, 3)))


# -- every layer: dtype kept, input untouched ------------------------------------------------

def _all_layers(dtype):
    rng = np.random.default_rng(10)
    return [
        (Affine(rng.standard_normal((6, 6)).astype(dtype), np.zeros(6, dtype)), {}),
        (Relu(), {}), (Sigmoid(), {}), (Tanh(), {}),
        (Dropout(0.3, rng=np.random.default_rng(0)), {"train_flg": True}),
        (BatchNormalization(np.ones(6, dtype), np.zeros(6, dtype)), {"train_flg": True}),
    ]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_layers_keep_dtype_and_leave_their_input_alone(dtype):
    rng = np.random.default_rng(11)
    for layer, kw in _all_layers(dtype):
        x = rng.standard_normal((5, 6)).astype(dtype)
        original = x.copy()
        out = layer.forward(x, **kw)
        dx = layer.backward(np.ones_like(out))
        assert out.dtype == dtype and dx.dtype == dtype, type(layer).__name__
        for name in ("dW", "db", "dgamma", "dbeta"):
            if hasattr(layer, name):
                assert getattr(layer, name).dtype == dtype
        np.testing.assert_array_equal(x, original)
    loss_layer = SoftmaxWithLoss()
    loss_layer.forward(rng.standard_normal((5, 6)).astype(dtype), np.eye(6)[[0, 1, 2, 3, 4]])
    assert loss_layer.backward().dtype == dtype  # float64 one-hot rows do not leak in
