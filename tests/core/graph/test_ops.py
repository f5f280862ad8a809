"""Every operation's backward rule against a numerical gradient (the book's gradient check)."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nn_tui.core.functions import cross_entropy_error, softmax
from nn_tui.core.gradient import numerical_gradient
from nn_tui.core.graph.ops import (
    Add,
    Affine,
    Exp,
    Max,
    Mul,
    Negate,
    Power,
    Reciprocal,
    Relu,
    Sigmoid,
    SoftmaxWithLoss,
)

FAST = settings(max_examples=50, deadline=None)
reals = st.floats(-5.0, 5.0, allow_nan=False)
douts = st.floats(-3.0, 3.0, allow_nan=False)


def numerical_input_gradients(op, xs):
    """∂ sum(op(xs)) / ∂ xs[i] by central differences, for each input."""
    grads = []
    for i, xi in enumerate(xs):
        scalar = not isinstance(xi, np.ndarray)
        v = np.array([xi] if scalar else xi, dtype=float)

        def f(v, i=i, scalar=scalar):
            args = list(xs)
            args[i] = float(v[0]) if scalar else v
            return float(np.sum(op.forward(args)))

        g = numerical_gradient(f, v)
        grads.append(float(g[0]) if scalar else g)
    return grads


def check_backward(op, xs, dout=1.0, rtol=1e-6, atol=1e-7):
    out = op.forward(xs)
    analytic = op.backward(xs, out, dout)
    numeric = numerical_input_gradients(op, xs)
    for a, n in zip(analytic, numeric):
        # numeric is the gradient of sum(out), i.e. for dout = 1 everywhere
        scale = dout if np.ndim(dout) == 0 else 1.0
        np.testing.assert_allclose(a, scale * np.asarray(n), rtol=rtol, atol=atol)
    return analytic


@FAST
@given(reals, reals, douts)
def test_add_distributes(x, y, dout):
    assert Add().backward([x, y], x + y, dout) == (dout, dout)
    check_backward(Add(), [x, y], dout)


@FAST
@given(reals, reals, douts)
def test_mul_swaps(x, y, dout):
    assert Mul().backward([x, y], x * y, dout) == (dout * y, dout * x)
    check_backward(Mul(), [x, y], dout)


@FAST
@given(reals, reals, douts)
def test_max_routes_to_the_larger_input(x, y, dout):
    assume(abs(x - y) > 1e-3)  # away from the kink
    dx, dy = check_backward(Max(), [x, y], dout)
    assert (dx, dy) == ((dout, 0.0) if x > y else (0.0, dout))


@FAST
@given(reals, douts)
def test_exp(x, dout):
    check_backward(Exp(), [x], dout)


@FAST
@given(reals, douts)
def test_negate(x, dout):
    assert Negate().backward([x], -x, dout) == (-dout,)
    check_backward(Negate(), [x], dout)


@FAST
@given(st.floats(0.5, 5.0), st.sampled_from([1.0, -1.0]), douts)
def test_reciprocal(x, sign, dout):
    check_backward(Reciprocal(), [sign * x], dout)


@FAST
@given(reals, st.sampled_from([1, 2, 3, 4]), douts)
def test_integer_powers(x, n, dout):
    check_backward(Power(n), [x], dout)


@FAST
@given(st.floats(0.5, 5.0), st.sampled_from([-2.0, -1.0, 0.5, 1.5]), douts)
def test_other_powers(x, n, dout):
    check_backward(Power(n), [x], dout)


@FAST
@given(st.floats(-8.0, 8.0), douts)
def test_sigmoid(x, dout):
    check_backward(Sigmoid(), [x], dout)


@FAST
@given(reals, douts)
def test_relu(x, dout):
    assume(abs(x) > 1e-3)
    (dx,) = check_backward(Relu(), [x], dout)
    assert dx == (dout if x > 0 else 0.0)


@FAST
@given(st.integers(0, 2**32 - 1))
def test_elementwise_ops_on_arrays(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(-3, 3, (2, 3)), rng.uniform(-3, 3, 3)
    assume(np.all(np.abs(x) > 1e-3) and np.all(np.abs(x - y) > 1e-3))
    for op, xs in [(Add(), [x, y]), (Mul(), [x, y]), (Max(), [x, y]), (Exp(), [x]), (Negate(), [x]),
                   (Sigmoid(), [x]), (Relu(), [x]), (Power(3), [x]), (Mul(), [x, 2.5])]:
        check_backward(op, xs, np.ones((2, 3)))
        check_backward(op, xs, 0.5)


@FAST
@given(st.integers(0, 2**32 - 1))
def test_affine_against_numerical_gradients(seed):
    rng = np.random.default_rng(seed)
    x, W, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 4)), rng.standard_normal(4)
    dout = rng.standard_normal((2, 4))
    out = Affine().forward([x, W, b])
    np.testing.assert_array_equal(out, np.dot(x, W) + b)
    dx, dW, db = Affine().backward([x, W, b], out, dout)
    # backward(dout) is the gradient of the weighted sum sum(dout * out)
    numeric = (
        numerical_gradient(lambda v: float(np.sum(dout * Affine().forward([v, W, b]))), x.copy()),
        numerical_gradient(lambda v: float(np.sum(dout * Affine().forward([x, v, b]))), W.copy()),
        numerical_gradient(lambda v: float(np.sum(dout * Affine().forward([x, W, v]))), b.copy()),
    )
    for analytic, n in zip((dx, dW, db), numeric):
        np.testing.assert_allclose(analytic, n, rtol=1e-6, atol=1e-8)
    assert Affine().local_derivatives([x, W, b], out) is None


@FAST
@given(st.integers(0, 2**32 - 1))
def test_softmax_with_loss_against_numerical_gradients(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((3, 4))
    labels = rng.integers(0, 4, 3)
    one_hot = np.eye(4)[labels]
    op = SoftmaxWithLoss()
    loss = op.forward([x, one_hot])
    y = softmax(x)
    assert loss == pytest.approx(-np.mean(np.log(y[np.arange(3), labels])), rel=1e-14)
    # the book's cross_entropy_error adds 1e-7 inside the log: a difference of about 1e-7 / y
    assert loss == pytest.approx(cross_entropy_error(y, one_hot), abs=1.01e-7 / y[np.arange(3), labels].min())
    assert op.forward([x, labels.astype(float)]) == pytest.approx(loss, rel=1e-14)
    dx, dt = op.backward([x, one_hot], loss, 1.0)
    assert dt is None  # labels get no gradient
    np.testing.assert_allclose(dx, (y - one_hot) / 3, rtol=1e-14, atol=1e-16)
    dx_labels, _ = op.backward([x, labels.astype(float)], loss, 1.0)
    np.testing.assert_allclose(dx_labels, dx, rtol=0, atol=1e-15)
    numeric = numerical_gradient(lambda v: op.forward([v, one_hot]), x.copy())
    np.testing.assert_allclose(dx, numeric, rtol=1e-6, atol=1e-9)


def test_softmax_with_loss_rejects_bad_labels():
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match="labels"):
        SoftmaxWithLoss().forward([x, np.array([0.0, 3.0])])
    with pytest.raises(ValueError, match="one-hot"):
        SoftmaxWithLoss().forward([x, np.zeros((3, 3))])
    with pytest.raises(ValueError, match="single 1"):
        SoftmaxWithLoss().forward([x, np.full((2, 3), 0.5)])
    with pytest.raises(ValueError, match="2-D"):
        SoftmaxWithLoss().forward([np.zeros(3), np.zeros(3)])


def test_affine_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="W of shape"):
        Affine().forward([np.zeros((2, 3)), np.zeros((2, 4)), np.zeros(4)])
    with pytest.raises(ValueError, match="b of shape"):
        Affine().forward([np.zeros((2, 3)), np.zeros((3, 4)), np.zeros(3)])
    with pytest.raises(ValueError, match="2-D batch"):
        Affine().forward([np.zeros(3), np.zeros((3, 4)), np.zeros(4)])


def test_local_derivatives_at_a_point():
    assert Mul().local_derivatives([3.0, -2.0], -6.0) == (-2.0, 3.0)
    assert Reciprocal().local_derivatives([2.0], 0.5) == (-0.25,)
    assert Power(2).local_derivatives([3.0], 9.0) == (6.0,)
    assert Power(0).local_derivatives([0.0], 1.0) == (0.0,)
    assert Sigmoid().local_derivatives([0.0], 0.5) == (0.25,)
    assert Relu().local_derivatives([0.0], 0.0) == (0.0,)  # the book's Relu: x <= 0 gives 0
    assert Max().local_derivatives([1.0, 1.0], 1.0) == (1.0, 0.0)
