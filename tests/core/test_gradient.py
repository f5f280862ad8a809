"""Numerical derivatives, gradients, gradient descent and the optimiser race."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nn_tui.core import functions as F
from nn_tui.core.gradient import (
    BOOK_RACERS,
    DescentResult,
    GradientDescent,
    OptimizerRace,
    difference_errors,
    forward_diff,
    function_2,
    gradient_descent,
    gradient_field,
    numerical_diff,
    numerical_gradient,
    optimizer_race,
    race_function,
)
from nn_tui.core.optimizers import SGD, Adam


# The book's helpers for the partial derivatives of x0**2 + x1**2 at (3, 4).
def function_tmp1(x0):
    return x0 ** 2 + 4.0 ** 2.0


def function_tmp2(x1):
    return 3.0 ** 2.0 + x1 ** 2


def test_partial_derivatives_seed_numbers():
    assert numerical_diff(function_tmp1, 3.0) == 6.00000000000378
    assert numerical_diff(function_tmp2, 4.0) == 7.999999999999119
    assert numerical_diff(function_tmp1, 3) == 6.00000000000378  # an int x works the same


def test_float32_underflow():
    # Why h = 1e-50 is useless: it is 0 in float32.
    assert np.float32(1e-50) == 0


def test_book_function_1():
    # The book's f(x) = 0.01x^2 + 0.1x: derivative 0.2 at 5 and 0.3 at 10.
    def function_1(x):
        return 0.01 * x ** 2 + 0.1 * x

    assert numerical_diff(function_1, 5) == pytest.approx(0.1999999999990898, abs=1e-15)
    assert numerical_diff(function_1, 10) == pytest.approx(0.2999999999986347, abs=1e-15)


def test_forward_vs_central():
    def cube(x):
        return x ** 3

    # exact derivative at 2 is 12; forward gives 12 + 6h + h^2, central 12 + h^2
    assert forward_diff(cube, 2.0) == pytest.approx(12.00060001, abs=1e-9)
    assert numerical_diff(cube, 2.0) == pytest.approx(12.00000001, abs=1e-10)


def test_difference_errors():
    hs = [1e-1, 1e-4, 1e-12]
    err = difference_errors(lambda x: x ** 3, lambda x: 3 * x ** 2, 2.0, hs)
    assert err.hs.tolist() == hs
    assert err.forward.shape == err.central.shape == (3,)
    # truncation: at h = 1e-4 central beats forward by far
    assert err.central[1] < err.forward[1] / 1000
    assert err.forward[0] == pytest.approx(0.61, abs=1e-12)  # 3*x*h + h^2
    assert err.central[0] == pytest.approx(0.01, abs=1e-12)  # h^2
    # rounding: at h = 1e-12 both are worse than central at 1e-4
    assert err.forward[2] > 100 * err.central[1]
    assert err.central[2] > 100 * err.central[1]


def test_difference_errors_arguments():
    with pytest.raises(ValueError, match="h"):
        difference_errors(np.sin, np.cos, 1.0, [1e-4, 0.0])
    with pytest.raises(ValueError, match="at least one"):
        difference_errors(np.sin, np.cos, 1.0, [])
    with pytest.raises(ValueError, match="single number"):
        difference_errors(np.sin, np.cos, [1.0, 2.0], [1e-4])


@pytest.mark.parametrize("h", [0, -1e-4, math.nan, math.inf, "1e-4"])
def test_bad_h(h):
    with pytest.raises(ValueError, match="h"):
        numerical_diff(np.sin, 1.0, h=h)
    with pytest.raises(ValueError, match="h"):
        forward_diff(np.sin, 1.0, h=h)


def test_bad_x_and_f():
    with pytest.raises(ValueError, match="finite"):
        numerical_diff(np.sin, math.nan)
    with pytest.raises(ValueError, match="function"):
        numerical_diff(3.0, 1.0)


def test_numerical_diff_on_arrays():
    x = np.linspace(-3, 3, 7)
    np.testing.assert_allclose(numerical_diff(F.sigmoid, x), F.sigmoid_grad(x), atol=1e-9)


# --- numerical_gradient -------------------------------------------------------------

def test_numerical_gradient_book_values():
    g = numerical_gradient(function_2, np.array([3.0, 4.0]))
    assert g.tolist() == [6.00000000000378, 7.999999999999119]
    assert numerical_gradient(function_2, np.array([0.0, 2.0])).tolist() == [0.0, 4.000000000004]
    assert numerical_gradient(function_2, np.array([3.0, 0.0])).tolist() == [6.000000000012662, 0.0]


def test_numerical_gradient_restores_x():
    x = np.array([[1.5, -2.0, 0.25], [3.0, 1e-3, -7.0]])
    before = x.copy()
    g = numerical_gradient(lambda w: np.sum(w ** 3), x)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_allclose(g, 3 * before ** 2, rtol=1e-7, atol=1e-8)
    assert g.shape == x.shape


def test_numerical_gradient_restores_x_when_f_fails():
    x = np.array([1.0, 2.0])

    def broken(w):
        if w[0] != 1.0:
            raise RuntimeError("boom")
        return 0.0

    with pytest.raises(RuntimeError):
        numerical_gradient(broken, x)
    assert x.tolist() == [1.0, 2.0]


def test_numerical_gradient_f_reads_x():
    # Like the book's networks: f ignores its argument and reads the weights.
    W = np.array([1.0, -2.0])
    g = numerical_gradient(lambda _: float(W @ W), W)
    np.testing.assert_allclose(g, [2.0, -4.0], rtol=1e-9)


def test_numerical_gradient_rejects_integers():
    # The book's silent bug: int arrays round x + h back to x, giving gradient 0.
    with pytest.raises(ValueError, match="float"):
        numerical_gradient(function_2, np.array([3, 4]))
    with pytest.raises(ValueError, match="NumPy array"):
        numerical_gradient(function_2, [3.0, 4.0])
    with pytest.raises(ValueError, match="single number"):
        numerical_gradient(lambda x: x * 2, np.array([1.0, 2.0]))
    ro = np.array([1.0, 2.0])
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="writeable"):
        numerical_gradient(function_2, ro)


def test_numerical_gradient_zero_dim_and_float32():
    assert numerical_gradient(lambda x: x ** 2, np.array(3.0)) == pytest.approx(6.0, abs=1e-9)
    g = numerical_gradient(function_2, np.array([3.0, 4.0], dtype=np.float32), h=1e-2)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, [6.0, 8.0], rtol=1e-3)


@settings(max_examples=50, deadline=None)
@given(
    st.integers(1, 4).flatmap(lambda n: st.tuples(
        st.lists(st.floats(-3, 3), min_size=n * n, max_size=n * n),
        st.lists(st.floats(-3, 3), min_size=n, max_size=n),
        st.lists(st.floats(-3, 3), min_size=n, max_size=n),
    ))
)
def test_numerical_gradient_of_quadratics(data):
    a, b, x = data
    n = len(b)
    A = np.array(a).reshape(n, n)
    A = A + A.T  # symmetric: grad of 0.5 x'Ax + b'x is Ax + b
    b, x = np.array(b), np.array(x)

    def f(v):
        return 0.5 * v @ A @ v + b @ v

    g = numerical_gradient(f, x.copy())
    np.testing.assert_allclose(g, A @ x + b, rtol=0, atol=1e-7)


# --- activation derivatives against numerical_diff (property tests) -------------------

SMOOTH = [F.ACTIVATIONS[name] for name in ("sigmoid", "tanh", "identity")]


@settings(max_examples=50, deadline=None)
@given(st.floats(-20, 20), st.sampled_from(SMOOTH))
def test_smooth_activation_derivatives(x, act):
    assert act.df(x) == pytest.approx(numerical_diff(act.f, x), abs=1e-8)


@settings(max_examples=50, deadline=None)
@given(st.floats(-50, 50), st.sampled_from(["relu", "leaky_relu", "step"]))
def test_kinked_activation_derivatives_away_from_zero(x, name):
    assume(abs(x) > 1e-3)  # h = 1e-4 must not straddle the kink at 0
    act = F.ACTIVATIONS[name]
    assert act.df(x) == pytest.approx(numerical_diff(act.f, x), abs=1e-7)


@settings(max_examples=50, deadline=None)
@given(st.floats(-50, 50).filter(lambda x: abs(x) > 1e-3), st.floats(0, 1))
def test_leaky_relu_alpha_derivative(x, alpha):
    def f(v):
        return F.leaky_relu(v, alpha)

    assert F.leaky_relu_grad(x, alpha) == pytest.approx(numerical_diff(f, x), abs=1e-7)


# --- gradient descent -----------------------------------------------------------------

def test_gradient_descent_book_result():
    init_x = np.array([-3.0, 4.0])
    r = gradient_descent(function_2, init_x, lr=0.1, step_num=100)
    assert isinstance(r, DescentResult)
    assert init_x.tolist() == [-3.0, 4.0]  # not overwritten (the book's version did)
    assert r.path.shape == (101, 2) and r.values.shape == (101,)
    assert r.path[0].tolist() == [-3.0, 4.0]
    np.testing.assert_allclose(r.x, [-6.11110793e-10, 8.14814391e-10], rtol=1e-8)
    assert not r.diverged and not r.stopped_early
    assert np.all(np.diff(r.values) < 0)  # downhill every step


def test_gradient_descent_too_large_lr():
    r = gradient_descent(function_2, [-3.0, 4.0], lr=10.0, step_num=100)
    # The book's output: it blows up, then x + h == x and the walk freezes.
    np.testing.assert_allclose(r.x, [-2.58983747e13, -1.29524862e12], rtol=1e-8)
    assert r.diverged and not r.stopped_early
    assert r.path.shape == (101, 2)


def test_gradient_descent_too_small_lr():
    r = gradient_descent(function_2, [-3.0, 4.0], lr=1e-10, step_num=100)
    np.testing.assert_allclose(r.x, [-2.99999994, 3.99999992], rtol=1e-8)
    assert not r.diverged


def test_gradient_descent_stops_on_overflow():
    r = gradient_descent(lambda x: np.sum(np.exp(x ** 2)), [2.0], lr=10.0, step_num=50)
    assert r.stopped_early and r.diverged
    assert len(r.path) < 51
    assert np.all(np.isfinite(r.path)) and np.all(np.isfinite(r.values))


@pytest.mark.parametrize(
    "kwargs, match",
    [({"lr": 0}, "lr"), ({"lr": math.inf}, "lr"), ({"step_num": -1}, "step_num"),
     ({"step_num": 2.5}, "step_num"), ({"init_x": [math.nan, 1.0]}, "init_x"),
     ({"init_x": []}, "init_x")],
)
def test_gradient_descent_arguments(kwargs, match):
    args = {"f": function_2, "init_x": [-3.0, 4.0]} | kwargs
    with pytest.raises(ValueError, match=match):
        gradient_descent(**args)


def test_stepper():
    walk = GradientDescent(lr=0.1)  # f = x0^2 + x1^2 from (-3, 4)
    assert walk.steps == 0 and walk.path.shape == (1, 2)
    np.testing.assert_allclose(walk.gradient(), [-6.0, 8.0], rtol=1e-10)
    x1 = walk.step()
    np.testing.assert_allclose(x1, [-2.4, 3.2], rtol=1e-10)  # x - 0.1 * 2x
    for _ in range(99):
        walk.step()
    ref = gradient_descent(function_2, [-3.0, 4.0], lr=0.1, step_num=100)
    np.testing.assert_array_equal(walk.path, ref.path)
    assert not walk.diverged


def test_stepper_diverges_and_stops():
    walk = GradientDescent(lr=1.5)
    walk.step()
    assert walk.diverged and not walk.stopped  # f went up: (-3,4) -> (6,-8)
    np.testing.assert_allclose(walk.x, [6.0, -8.0], rtol=1e-9)
    boom = GradientDescent(lambda x: np.sum(np.exp(x ** 2)), [2.0], lr=10.0)
    while boom.step() is not None:
        pass
    assert boom.stopped and boom.diverged
    n = boom.steps
    assert boom.step() is None and boom.steps == n


def test_gradient_field_points_downhill():
    field = gradient_field(function_2, [-2.0, 0.0, 2.0], [-1.0, 1.0])
    assert field.x.shape == field.u.shape == (2, 3)
    np.testing.assert_allclose(field.u, -2 * field.x, atol=1e-9)
    np.testing.assert_allclose(field.v, -2 * field.y, atol=1e-9)


# --- optimiser race ---------------------------------------------------------------------

def test_optimizer_race_shapes_and_progress():
    paths = optimizer_race()
    assert list(paths) == ["SGD", "Momentum", "AdaGrad", "Adam"]
    start_dist = math.hypot(-7.0, 2.0)
    for name, path in paths.items():
        assert path.shape == (31, 2), name
        assert path[0].tolist() == [-7.0, 2.0]
        assert math.hypot(*path[-1]) < start_dist, name
        assert race_function(*path[-1]) < race_function(-7.0, 2.0)
    assert optimizer_race(steps=5, start=(1.0, -1.0))["Adam"].shape == (6, 2)


def test_sgd_zigzags_exactly():
    path = optimizer_race(steps=10)["SGD"]
    # lr 0.95: y <- y - 0.95 * 2y = -0.9 y (sign flips); x <- x - 0.95 x/10 = 0.905 x
    k = np.arange(11)
    np.testing.assert_allclose(path[:, 1], 2.0 * (-0.9) ** k, rtol=1e-12)
    np.testing.assert_allclose(path[:, 0], -7.0 * 0.905 ** k, rtol=1e-12)
    assert np.all(np.sign(path[:6, 1]) == [1, -1, 1, -1, 1, -1])


def test_race_uses_book_learning_rates():
    assert BOOK_RACERS == (("SGD", "sgd", 0.95), ("Momentum", "momentum", 0.1),
                           ("AdaGrad", "adagrad", 1.5), ("Adam", "adam", 0.3))
    race = OptimizerRace()
    assert [race.optimizers[n].lr for n in race.names] == [0.95, 0.1, 1.5, 0.3]
    # Adam's first step moves each coordinate by ~lr
    race.step()
    np.testing.assert_allclose(race.paths["Adam"][1], [-6.7, 1.7], atol=1e-6)
    # AdaGrad's first step too: lr * g / |g|
    np.testing.assert_allclose(race.paths["AdaGrad"][1], [-5.5, 0.5], atol=1e-5)


def test_race_steppable_equals_batch():
    race = OptimizerRace()
    for _ in range(30):
        race.step()
    assert race.steps == 30
    batch = optimizer_race(30)
    for name in race.names:
        np.testing.assert_array_equal(race.paths[name], batch[name])


def test_race_custom_optimizers_and_divergence():
    race = OptimizerRace(start=(1.0, 1.0), optimizers={"wild": SGD(lr=1e300), "calm": Adam(lr=0.1)})
    for _ in range(5):
        race.step()
    assert race.diverged == {"wild"}
    assert len(race.paths["wild"]) < 6 and np.all(np.isfinite(race.paths["wild"]))
    assert race.paths["calm"].shape == (6, 2)


def test_race_arguments():
    with pytest.raises(ValueError, match="start"):
        OptimizerRace(start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="start"):
        OptimizerRace(start=(math.nan, 2.0))
    with pytest.raises(ValueError, match="optimisers"):
        OptimizerRace(optimizers={"x": "sgd"})
    with pytest.raises(ValueError, match="steps"):
        optimizer_race(steps=-1)


def test_race_positions_are_each_racers_last_point():
    race = OptimizerRace()
    assert race.positions == {name: (-7.0, 2.0) for name in race.names}
    for _ in range(3):
        race.step()
    assert race.positions == {name: tuple(path[-1]) for name, path in race.paths.items()}
