"""The update rules against the book's formulas, written out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nn_tui.core.optimizers import (
    OPTIMIZERS,
    SGD,
    AdaGrad,
    Adam,
    Momentum,
    Nesterov,
    RMSprop,
    make_optimizer,
)


# --- the book's rules, one step, plain NumPy (common/optimizer.py) ---------

def ref_sgd(p, g, st, lr):
    return p - lr * g


def ref_momentum(p, g, st, lr, momentum=0.9):
    st["v"] = momentum * st.get("v", 0.0) - lr * g
    return p + st["v"]


def ref_nesterov(p, g, st, lr, momentum=0.9):
    # The weights move with the previous v; v is updated afterwards.
    v = st.get("v", np.zeros_like(p))
    p = p + momentum * momentum * v
    p = p - (1 + momentum) * lr * g
    st["v"] = momentum * v - lr * g
    return p


def ref_adagrad(p, g, st, lr):
    st["h"] = st.get("h", 0.0) + g * g
    return p - lr * g / (np.sqrt(st["h"]) + 1e-7)


def ref_rmsprop(p, g, st, lr, decay_rate=0.99):
    h = st.get("h", np.zeros_like(p)) * decay_rate
    st["h"] = h + (1 - decay_rate) * g * g
    return p - lr * g / (np.sqrt(st["h"]) + 1e-7)


def ref_adam(p, g, st, lr, beta1=0.9, beta2=0.999):
    st["iter"] = st.get("iter", 0) + 1
    lr_t = lr * np.sqrt(1.0 - beta2 ** st["iter"]) / (1.0 - beta1 ** st["iter"])
    m = st.get("m", np.zeros_like(p))
    v = st.get("v", np.zeros_like(p))
    st["m"] = m + (1 - beta1) * (g - m)
    st["v"] = v + (1 - beta2) * (g ** 2 - v)
    return p - lr_t * st["m"] / (np.sqrt(st["v"]) + 1e-7)


CASES = [
    (SGD, ref_sgd, {}),
    (Momentum, ref_momentum, {"momentum": 0.9}),
    (Momentum, ref_momentum, {"momentum": 0.5}),
    (Nesterov, ref_nesterov, {"momentum": 0.9}),
    (AdaGrad, ref_adagrad, {}),
    (RMSprop, ref_rmsprop, {"decay_rate": 0.99}),
    (RMSprop, ref_rmsprop, {"decay_rate": 0.9}),
    (Adam, ref_adam, {"beta1": 0.9, "beta2": 0.999}),
    (Adam, ref_adam, {"beta1": 0.5, "beta2": 0.9}),
]


@pytest.mark.parametrize("cls, ref, kw", CASES, ids=lambda c: getattr(c, "__name__", str(c)))
@pytest.mark.parametrize("lr", [0.01, 0.3])
def test_rule_matches_book_formula(cls, ref, kw, lr):
    rng = np.random.default_rng(7)
    params = {"W": rng.standard_normal((3, 4)), "b": rng.standard_normal(4)}
    expected = {k: v.copy() for k, v in params.items()}
    states = {k: {} for k in params}
    opt = cls(lr=lr, **kw)
    # 150 steps: past the first denormal flush (every <= 100 steps), which
    # must not change normal-sized numbers.
    for _ in range(150):
        grads = {k: rng.standard_normal(v.shape) for k, v in params.items()}
        opt.update(params, grads)
        for k in params:
            expected[k] = ref(expected[k], grads[k], states[k], lr, **kw)
    for k in params:
        np.testing.assert_allclose(params[k], expected[k], rtol=0, atol=1e-12)
        assert not np.array_equal(params[k], expected[k] * 0)  # they moved


def test_adam_first_step_moves_every_weight_by_about_lr():
    # lr_t's bias correction makes the first step sign(g) * lr (up to epsilon).
    params = {"W": np.array([1.0, 2.0, 3.0])}
    Adam(lr=0.1).update(params, {"W": np.array([5.0, -0.5, 0.1])})
    np.testing.assert_allclose(params["W"], [0.9, 2.1, 2.9], rtol=0, atol=1e-5)


def test_nesterov_steps_computed_by_hand():
    # lr 0.1, momentum 0.9, gradient 1 at every step, from W = 1:
    #   step 1: W = 1 - 1.9*0.1 = 0.81                        v = -0.1
    #   step 2: W = 0.81 + 0.81*(-0.1) - 0.19 = 0.539         v = -0.19
    #   step 3: W = 0.539 + 0.81*(-0.19) - 0.19 = 0.1951      v = -0.271
    # (the old rule, with the already-updated v, gave 0.729 after one step:
    # a move of -(1 + m + m²)·lr·g instead of -(1 + m)·lr·g).
    opt = Nesterov(lr=0.1, momentum=0.9)
    params = {"W": np.array([1.0])}
    for want_w, want_v in ((0.81, -0.1), (0.539, -0.19), (0.1951, -0.271)):
        opt.update(params, {"W": np.array([1.0])})
        assert params["W"][0] == pytest.approx(want_w, abs=1e-15)
        assert opt.v["W"][0] == pytest.approx(want_v, abs=1e-15)


def test_nesterov_is_sutskevers_look_ahead_rule():
    # Sutskever et al. (2013): v <- m·v - lr·grad(θ + m·v); θ <- θ + v.  The
    # book's form keeps W = θ + m·v (the look-ahead point) as the weights.
    a, lr, m = np.array([3.0, 0.5]), 0.05, 0.9  # f(x) = 0.5·a·x², grad = a·x
    theta, v = np.array([2.0, -4.0]), np.zeros(2)
    opt = Nesterov(lr=lr, momentum=m)
    params = {"W": theta.copy()}
    for _ in range(25):
        v = m * v - lr * a * (theta + m * v)
        theta = theta + v
        opt.update(params, {"W": a * params["W"]})
        np.testing.assert_allclose(params["W"], theta + m * v, rtol=1e-12, atol=1e-12)


def test_sgd_exact_numbers():
    params = {"W": np.array([1.0, -2.0])}
    SGD(lr=0.5).update(params, {"W": np.array([2.0, -4.0])})
    assert params["W"].tolist() == [0.0, 0.0]


def test_updates_in_place():
    W = np.ones((2, 2))
    params = {"W": W}
    Momentum().update(params, {"W": np.ones((2, 2))})
    assert params["W"] is W
    assert W[0, 0] == 1 - 0.01


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_float32_stays_float32(name):
    rng = np.random.default_rng(0)
    params = {"W": rng.standard_normal((5, 3)).astype(np.float32)}
    opt = make_optimizer(name)
    for _ in range(3):
        # float64 gradients must not turn the float32 weights into float64
        opt.update(params, {"W": rng.standard_normal((5, 3))})
    assert params["W"].dtype == np.float32
    for store in ("v", "h", "m"):
        for arr in getattr(opt, store, {}).values():
            assert arr.dtype == np.float32


def test_state_is_created_lazily_per_key():
    opt = Adam()
    assert opt.m == {} and opt.v == {}
    opt.update({"a": np.zeros(2)}, {"a": np.ones(2)})
    assert set(opt.m) == {"a"}
    opt.update({"a": np.zeros(2), "b": np.zeros(3)}, {"a": np.ones(2), "b": np.ones(3)})
    assert set(opt.m) == {"a", "b"} and opt.m["b"].shape == (3,)


# --- denormals --------------------------------------------------------------

def _is_denormal(a: np.ndarray) -> bool:
    tiny = np.finfo(a.dtype).tiny
    return bool(np.any((a != 0) & (np.abs(a) < tiny)))


@pytest.mark.parametrize(
    "make, ref, kw, g0, stores",
    [
        (lambda: Adam(lr=0.001), ref_adam, {}, 1e-19, ("m", "v")),
        (lambda: Momentum(lr=0.01, momentum=0.99), ref_momentum, {"momentum": 0.99}, 1e-28, ("v",)),
        (lambda: RMSprop(lr=0.01), ref_rmsprop, {}, 3e-15, ("h",)),
    ],
    ids=["adam", "momentum", "rmsprop"],
)
def test_dead_unit_moments_end_at_exactly_zero(make, ref, kw, g0, stores):
    """A unit whose gradient is 0 for 2000 steps: its moments must be 0, not denormal."""
    opt = make()
    params = {"W": np.ones(8, dtype=np.float32)}
    ref_p, ref_state = params["W"].copy(), {}
    grad = np.full(8, g0, dtype=np.float32)
    lr = opt.lr
    with np.errstate(under="ignore"):
        for step in range(2001):
            opt.update(params, {"W": grad})
            ref_p = ref(ref_p, grad, ref_state, np.float32(lr), **kw)
            grad = np.zeros(8, dtype=np.float32)
    # The book's rule leaves denormal numbers behind here (so the test can fail) ...
    ref_moments = [np.asarray(ref_state[s], dtype=np.float32) for s in stores]
    assert any(_is_denormal(a) for a in ref_moments)
    # ... ours holds exact zeros.
    for s in stores:
        state = getattr(opt, s)["W"]
        assert state.dtype == np.float32
        assert not _is_denormal(state)
        assert np.all(state == 0)


def test_flush_keeps_small_normal_values():
    opt = Momentum(lr=1.0, momentum=0.9)
    params = {"W": np.zeros(2, dtype=np.float32)}
    opt.update(params, {"W": np.array([-1e-20, 0.0], dtype=np.float32)})
    for _ in range(99):
        opt.update(params, {"W": np.zeros(2, dtype=np.float32)})
    # 1e-20 * 0.9**99 ~ 3e-25 is far above the flush threshold: kept.
    assert opt.v["W"][0] == pytest.approx(1e-20 * 0.9 ** 99, rel=1e-4)


# --- arguments ---------------------------------------------------------------

def test_registry_and_make_optimizer():
    assert OPTIMIZERS == {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov,
                          "adagrad": AdaGrad, "rmsprop": RMSprop, "adam": Adam}
    assert make_optimizer("adam").lr == 0.001
    assert make_optimizer("sgd").lr == 0.01
    opt = make_optimizer("Momentum", lr=0.1, momentum=0.5)
    assert type(opt) is Momentum and opt.lr == 0.1 and opt.momentum == 0.5


@pytest.mark.parametrize("name", ["sdg", "", "Adam2", None])
def test_unknown_name(name):
    with pytest.raises(ValueError, match="optimiser"):
        make_optimizer(name)


@pytest.mark.parametrize("lr", [0, -0.1, math.nan, math.inf, -math.inf, "0.1", True, None])
def test_bad_lr(lr):
    with pytest.raises(ValueError, match="lr"):
        if lr is None:
            SGD(lr=None)
        else:
            make_optimizer("sgd", lr=lr)
    with pytest.raises(ValueError, match="lr"):
        Adam(lr=lr)


@pytest.mark.parametrize(
    "cls, kw",
    [(Momentum, {"momentum": 1.0}), (Momentum, {"momentum": -0.1}),
     (RMSprop, {"decay_rate": math.nan}), (Adam, {"beta1": 1.5}), (Adam, {"beta2": 1.0})],
)
def test_bad_hyperparameters(cls, kw):
    with pytest.raises(ValueError):
        cls(**kw)


def test_unknown_option_is_value_error():
    with pytest.raises(ValueError, match="SGD"):
        make_optimizer("sgd", momentum=0.9)


def test_bad_grads():
    opt = SGD()
    with pytest.raises(ValueError, match="no gradient"):
        opt.update({"W": np.zeros(2)}, {})
    with pytest.raises(ValueError, match="shape"):
        opt.update({"W": np.zeros(2)}, {"W": np.zeros(3)})
    with pytest.raises(ValueError, match="floating"):
        opt.update({"W": np.zeros(2, dtype=int)}, {"W": np.zeros(2)})
    with pytest.raises(ValueError, match="changed shape"):
        m = Momentum()
        m.update({"W": np.zeros(2)}, {"W": np.zeros(2)})
        m.update({"W": np.zeros(3)}, {"W": np.zeros(3)})
