"""Activations, softmax and the losses, against the book's and the seed notes' numbers."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nn_tui.core.functions import (
    ACTIVATIONS,
    DELTA,
    cross_entropy_error,
    cross_entropy_terms,
    identity,
    identity_grad,
    l2_penalty,
    leaky_relu,
    leaky_relu_grad,
    mean_squared_error,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_loss,
    softmax_naive,
    squared_error_terms,
    stacked_linear,
    step_function,
    step_function_grad,
    svm_loss,
    svm_loss_batch,
    tanh,
    tanh_grad,
)

# The seed note's example: the correct digit is 2.
T = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
Y1 = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]  # says "2" with 0.6
Y2 = [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]  # says "7" with 0.6


# --- activations ---------------------------------------------------------------

def test_step_function():
    x = np.array([-1.0, 0.0, 1e-300, 2.0])
    assert step_function(x).tolist() == [0.0, 0.0, 1.0, 1.0]
    assert step_function(-0.5) == 0.0 and step_function(3) == 1.0
    assert step_function_grad(x).tolist() == [0.0, 0.0, 0.0, 0.0]
    assert step_function_grad(0.0) == 0.0


def test_sigmoid_values():
    assert sigmoid(0) == 0.5
    # the book's formula where it does not overflow
    x = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-15, atol=0)
    assert sigmoid(1.0) == pytest.approx(0.7310585786300049, abs=1e-16)
    assert sigmoid(-1.0) == pytest.approx(0.2689414213699951, abs=1e-16)


def test_sigmoid_is_stable_for_large_inputs():
    x = np.array([-1e6, -1000.0, -745.0, 1000.0, 1e6, -np.inf, np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            y = sigmoid(x)
            dy = sigmoid_grad(x)
    assert y.tolist() == [0.0, 0.0, y[2], 1.0, 1.0, 0.0, 1.0]
    assert 0 < y[2] < 1e-300  # exp(-745) is tiny but not 0: computed, not cut off
    assert np.all(dy >= 0) and dy[3] == 0.0


def test_sigmoid_grad_matches_book_form():
    x = np.linspace(-10, 10, 41)
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(sigmoid_grad(x), s * (1 - s), rtol=1e-12, atol=1e-17)
    assert sigmoid_grad(0.0) == 0.25


def test_relu_and_leaky_relu():
    x = np.array([-2.0, -0.0, 0.0, 3.0])
    assert relu(x).tolist() == [0.0, 0.0, 0.0, 3.0]
    assert relu_grad(x).tolist() == [0.0, 0.0, 0.0, 1.0]  # 0 at x = 0, like the book's Relu
    assert leaky_relu(x).tolist() == [-0.02, 0.0, 0.0, 3.0]
    assert leaky_relu(x, alpha=0.1).tolist() == [-0.2, 0.0, 0.0, 3.0]
    assert leaky_relu_grad(x).tolist() == [0.01, 0.01, 0.01, 1.0]
    with pytest.raises(ValueError, match="alpha"):
        leaky_relu(x, alpha=-0.1)
    with pytest.raises(ValueError, match="alpha"):
        leaky_relu_grad(x, alpha=math.nan)


def test_tanh_and_identity():
    x = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(tanh(x), np.tanh(x))
    np.testing.assert_array_equal(tanh_grad(x), 1 - np.tanh(x) ** 2)
    out = identity(x)
    assert out.tolist() == x.tolist() and out is not x
    assert identity_grad(x).tolist() == [1.0, 1.0, 1.0]


def test_dtypes_and_scalars():
    x32 = np.array([-1.0, 1.0], dtype=np.float32)
    for act in ACTIVATIONS.values():
        assert act.f(x32).dtype == np.float32, act.name
        assert act.df(x32).dtype == np.float32, act.name
        assert isinstance(act.f(0.5), float) and isinstance(act.df(0.5), float)
        assert act.f(np.array([[1, 2], [3, 4]])).shape == (2, 2)  # ints work, shape kept


def test_registry():
    assert list(ACTIVATIONS) == ["step", "sigmoid", "relu", "leaky_relu", "tanh", "identity"]
    assert ACTIVATIONS["sigmoid"].f is sigmoid and ACTIVATIONS["sigmoid"].df is sigmoid_grad
    assert all(name == act.name for name, act in ACTIVATIONS.items())


@pytest.mark.parametrize("bad", [np.array([1.0, np.nan]), "abc", [1, "a"], np.array([True])])
def test_activation_bad_input(bad):
    for act in ACTIVATIONS.values():
        with pytest.raises(ValueError):
            act.f(bad)
        with pytest.raises(ValueError):
            act.df(bad)


def test_step_has_zero_derivative_but_sigmoid_never():
    # Why the step function cannot learn (the seed note's point).
    x = np.linspace(-20, 20, 401)
    assert np.all(step_function_grad(x) == 0)
    assert np.all(sigmoid_grad(x) > 0)


def test_stacked_linear():
    r = stacked_linear(2, 3)
    assert r.stacked == 24.0 and r.coefficient == 8.0
    x = np.array([-1.0, 0.5, 4.0])
    r = stacked_linear(0.5, x, layers=4)
    assert r.coefficient == 0.0625
    np.testing.assert_array_equal(r.stacked, 0.0625 * x)
    # any c: three layers equal one layer with c**3, up to rounding
    r = stacked_linear(1.7, x)
    np.testing.assert_allclose(r.stacked, 1.7 ** 3 * x, rtol=1e-15)
    for bad in (0, -1, 2.0, True):
        with pytest.raises(ValueError, match="layers"):
            stacked_linear(2, 1, layers=bad)
    with pytest.raises(ValueError, match="c"):
        stacked_linear(math.inf, 1)


# --- softmax -----------------------------------------------------------------------

def test_softmax_book_example():
    y = softmax([0.3, 2.9, 4.0])
    np.testing.assert_allclose(y, [0.01821127, 0.24519181, 0.73659691], atol=5e-9)
    assert y.sum() == pytest.approx(1.0, abs=1e-15)


def test_softmax_overflow_trick():
    a = np.array([1010.0, 1000.0, 990.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may be printed
        naive = softmax_naive(a)
        stable = softmax(a)
    assert np.all(np.isnan(naive))
    np.testing.assert_allclose(stable, [9.99954600e-01, 4.53978686e-05, 2.06106005e-09], rtol=1e-8)
    # for small inputs the two agree
    np.testing.assert_allclose(softmax_naive([0.3, 2.9, 4.0]), softmax([0.3, 2.9, 4.0]), rtol=1e-15)


def test_softmax_batch_row_wise():
    a = np.array([[0.3, 2.9, 4.0], [1010.0, 1000.0, 990.0]])
    y = softmax(a)
    assert y.shape == (2, 3)
    np.testing.assert_allclose(y[0], softmax(a[0]), rtol=1e-15)
    np.testing.assert_allclose(y[1], softmax(a[1]), rtol=1e-15)
    np.testing.assert_allclose(y.sum(axis=1), [1.0, 1.0], rtol=1e-15)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e4, 1e4)))
def test_softmax_properties(a):
    y = softmax(a)
    assert np.all(y >= 0) and np.all(y <= 1)
    assert y.sum() == pytest.approx(1.0, abs=1e-12)
    assert y[np.argmax(a)] == y.max()  # order kept (ties can round equal)
    np.testing.assert_allclose(softmax(a + 123.0), y, rtol=1e-9, atol=1e-300)  # shift invariant


@pytest.mark.parametrize("bad", [[], [[[1.0]]], [1.0, np.nan], [1.0, np.inf], 3.0])
def test_softmax_bad_input(bad):
    with pytest.raises(ValueError):
        softmax(bad)


# --- mean squared error and cross-entropy -------------------------------------------

def test_mean_squared_error_seed_numbers():
    assert mean_squared_error(np.array(Y1), np.array(T)) == 0.09750000000000003
    # The seed prints 0.5975000000000001; NumPy 2.x's np.sum adds the ten squares
    # in another order and gets 0.5975 -- one unit in the last place, 1.1e-16.
    assert mean_squared_error(np.array(Y2), np.array(T)) == pytest.approx(0.5975000000000001, abs=2e-16)
    assert mean_squared_error(Y2, 2) == mean_squared_error(Y2, T)  # label index


def test_mean_squared_error_batch_is_averaged():
    y = np.array([Y1, Y2])
    e = mean_squared_error(y, np.array([T, T]))
    assert e == pytest.approx((0.0975 + 0.5975) / 2, abs=1e-15)
    assert mean_squared_error(y, [2, 2]) == e


def test_squared_error_terms():
    terms = squared_error_terms(Y1, T)
    assert terms[2] == pytest.approx(0.5 * 0.4 ** 2, abs=1e-16)
    assert terms[0] == pytest.approx(0.005, abs=1e-16)
    assert terms.sum() == pytest.approx(mean_squared_error(Y1, T), abs=1e-16)


def test_cross_entropy_seed_numbers():
    assert cross_entropy_error(np.array(Y1), np.array(T)) == 0.510825457099338  # -ln(0.6 + 1e-7)
    # The seed note prints 0.5108254570958627 (3.5e-12 away; within the 1e-9 the lesson asks).
    assert abs(cross_entropy_error(Y1, T) - 0.5108254570958627) < 1e-9
    assert cross_entropy_error(np.array(Y2), np.array(T)) == 2.302584092994546  # -ln(0.1 + 1e-7)
    # The seed note prints 2.3025850929940455: that is -ln(0.1) with no delta.  We
    # keep delta inside the log like the book's code, so we are 1e-6 away from it.
    assert -math.log(0.1) == 2.3025850929940455
    assert abs(cross_entropy_error(Y2, T) - 2.3025850929940455) == pytest.approx(1e-6, rel=1e-3)


def test_cross_entropy_label_index_and_batch():
    assert cross_entropy_error(Y1, 2) == 0.510825457099338
    assert cross_entropy_error(Y1, np.int64(2)) == 0.510825457099338
    y = np.array([Y1, Y2])
    e = cross_entropy_error(y, np.array([T, T]))
    assert e == pytest.approx((0.510825457099338 + 2.302584092994546) / 2, abs=1e-15)
    assert cross_entropy_error(y, [2, 2]) == e
    assert cross_entropy_error(y, np.array([2.0, 2.0])) == e  # whole-number floats are fine
    # the right answer with certainty costs ~0 (delta keeps log finite at y = 0)
    assert cross_entropy_error([0.0, 1.0], 1) == pytest.approx(-math.log(1 + DELTA), abs=1e-20)
    assert cross_entropy_error([1.0, 0.0], 1) == pytest.approx(-math.log(DELTA), abs=1e-12)


def test_cross_entropy_terms():
    terms = cross_entropy_terms(Y1, T)
    assert terms[2] == 0.510825457099338
    assert np.all(np.delete(terms, 2) == 0) and not np.signbit(terms).any()
    assert terms.sum() == cross_entropy_error(Y1, T)
    batch = cross_entropy_terms(np.array([Y1, Y2]), [2, 2])
    assert batch.shape == (2, 10)
    assert batch.sum() / 2 == pytest.approx(cross_entropy_error(np.array([Y1, Y2]), [2, 2]), abs=1e-15)


@pytest.mark.parametrize(
    "y, t, match",
    [
        (Y1, T[:9], "shape"),
        (Y1, 10, "0..9"),
        (Y1, -1, "0..9"),
        (Y1, 2.5, "whole"),
        ([0.5, np.nan], 0, "NaN"),
        ([0.5, 1.5], 0, "probabilities"),
        ([-0.1, 1.1], 0, "probabilities"),
        (Y1, [0, 0, 0.5, 0.5, 0, 0, 0, 0, 0, 0], "one-hot"),
        (Y1, [0, 0, 1, 1, 0, 0, 0, 0, 0, 0], "one-hot"),
        (np.array([Y1, Y2]), [2], "shape"),
        (np.array([Y1, Y2]), T, "shape"),
        ([], 0, "non-empty"),
        (Y1, "2", "integers"),
    ],
)
def test_cross_entropy_bad_arguments(y, t, match):
    with pytest.raises(ValueError, match=match):
        cross_entropy_error(y, t)


def test_mse_allows_any_real_outputs_but_checks_targets():
    assert mean_squared_error([2.0, -1.0], [0, 1]) == 0.5 * (4 + 4)
    with pytest.raises(ValueError, match="NaN"):
        mean_squared_error([np.nan, 1.0], [0, 1])
    with pytest.raises(ValueError, match="shape"):
        mean_squared_error([0.5, 0.5], [0, 1, 0])


# --- cs231n losses -------------------------------------------------------------------

CS231N_SCORES = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])


def test_svm_loss_cs231n_example():
    loss, terms = svm_loss(CS231N_SCORES[0], 0)
    assert loss == pytest.approx(2.9, abs=1e-12)
    np.testing.assert_allclose(terms, [0.0, 2.9, 0.0], atol=1e-12)
    assert terms[0] == 0.0
    assert svm_loss(CS231N_SCORES[1], 1)[0] == 0.0
    loss, terms = svm_loss(CS231N_SCORES[2], 2)
    assert loss == pytest.approx(12.9, abs=1e-12)
    np.testing.assert_allclose(terms, [6.3, 6.6, 0.0], atol=1e-12)
    mean = svm_loss_batch(CS231N_SCORES, [0, 1, 2])
    assert mean == pytest.approx((2.9 + 0.0 + 12.9) / 3, abs=1e-12)
    assert round(mean, 2) == 5.27


def test_svm_margin():
    # margin 0: only scores above the correct one cost
    assert svm_loss(CS231N_SCORES[0], 0, margin=0)[0] == pytest.approx(1.9, abs=1e-12)
    assert svm_loss(CS231N_SCORES[1], 1, margin=3)[0] == pytest.approx(0.1, abs=1e-12)  # 1.3-4.9+3 < 0
    assert svm_loss(CS231N_SCORES[0], 0, margin=5)[0] == pytest.approx(6.9 + 0.1, abs=1e-12)
    for bad in (-1, math.nan, math.inf, "1"):
        with pytest.raises(ValueError, match="margin"):
            svm_loss(CS231N_SCORES[0], 0, margin=bad)


def test_svm_bad_arguments():
    with pytest.raises(ValueError, match="label"):
        svm_loss(CS231N_SCORES[0], 3)
    with pytest.raises(ValueError, match="label"):
        svm_loss(CS231N_SCORES[0], 1.0)
    with pytest.raises(ValueError, match="1-D"):
        svm_loss(CS231N_SCORES, 0)
    with pytest.raises(ValueError, match="shape"):
        svm_loss_batch(CS231N_SCORES, [0, 1])
    with pytest.raises(ValueError, match="NaN"):
        svm_loss([1.0, np.nan], 0)


def test_softmax_loss_step_by_step():
    r = softmax_loss([3.2, 5.1, -1.7], 0)
    np.testing.assert_allclose(r.exp, [24.5, 164.0, 0.18], rtol=0, atol=0.05)
    np.testing.assert_array_equal(r.exp, np.exp([3.2, 5.1, -1.7]))
    assert round(float(r.probabilities[0]), 2) == 0.13
    assert r.probabilities.sum() == pytest.approx(1.0, abs=1e-15)
    assert r.loss == pytest.approx(-math.log(24.5325302 / (24.5325302 + 164.0219073 + 0.18268352)), abs=1e-8)
    assert round(r.loss, 2) == 2.04  # natural log
    # The seed note writes 0.89: that is -log10(0.13), not the natural log.
    assert round(-math.log10(r.probabilities[0]), 2) == 0.89


def test_softmax_loss_large_scores():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = softmax_loss([1000.0, 0.0, -1000.0], 2)
    assert np.isinf(r.exp[0])  # e**1000 is too big to show ...
    assert r.loss == pytest.approx(2000.0, rel=1e-12)  # ... the loss is still right
    assert r.probabilities[0] == 1.0


def test_l2_penalty_seed_example():
    x = np.array([1.0, 1.0, 1.0, 1.0])
    w1 = np.array([1.0, 0.0, 0.0, 0.0])
    w2 = np.array([0.25, 0.25, 0.25, 0.25])
    assert w1 @ x == w2 @ x == 1.0  # same data loss ...
    assert l2_penalty(w1) == 1.0  # ... different penalty
    assert l2_penalty(w2) == 0.25
    assert l2_penalty([np.ones((2, 3)), np.full(4, 2.0)]) == 6.0 + 16.0
    with pytest.raises(ValueError):
        l2_penalty([])
    with pytest.raises(ValueError, match="inf"):
        l2_penalty(np.array([1.0, np.inf]))
