"""TwoLayerNet and MultiLayerNet: gradient checks, the book's structure, dtypes, checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nn_tui.core.layers import BATCH_MEMORY
from nn_tui.core.networks import (
    MultiLayerNet,
    TwoLayerNet,
    build_network,
    gradient_check,
    weight_scale,
)
from nn_tui.core.optimizers import Adam


def small_batch(seed: int, n: int = 4, d: int = 12, classes: int = 4):
    rng = np.random.default_rng(seed)
    return rng.random((n, d)), rng.integers(0, classes, n)  # pixel-like inputs in [0, 1)


def with_random_biases(net: MultiLayerNet, seed: int = 0) -> MultiLayerNet:
    # Biases of exactly 0 can put a ReLU input exactly on its kink (where no
    # numerical gradient is meaningful) when dropout zeroes a whole row.
    rng = np.random.default_rng(seed)
    for key, p in net.params.items():
        if key.startswith("b"):
            p[...] = rng.uniform(0.05, 0.2, p.shape)
    return net


# -- gradient checks --------------------------------------------------------------

@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("options", [
    {},
    {"use_batchnorm": True},
    {"dropout_ratio": 0.3},
    {"weight_decay_lambda": 0.1},
    {"use_batchnorm": True, "dropout_ratio": 0.2, "weight_decay_lambda": 0.05},
], ids=["plain", "batchnorm", "dropout", "decay", "all"])
def test_multi_layer_net_gradient_check(activation, options):
    # 8 samples: with fewer, batch norm is so curved that h = 1e-4 central
    # differences themselves are off by ~1e-6.
    x, t = small_batch(1, n=8)
    net = with_random_biases(MultiLayerNet(12, [10, 8], 4, activation=activation,
                                           weight_init="xavier", dtype=np.float64, seed=3,
                                           **options))
    errors = gradient_check(net, x, t)
    assert set(errors) == set(net.params)
    assert max(errors.values()) < 1e-6, errors


def test_two_layer_net_gradient_check():
    x, t = small_batch(2, n=3, d=10, classes=3)
    net = TwoLayerNet(10, 6, 3, weight_init_std=0.5, dtype=np.float64, seed=0)
    errors = gradient_check(net, x, t)
    assert sorted(errors) == ["W1", "W2", "b1", "b2"]
    assert max(errors.values()) < 1e-6, errors


def test_two_layer_net_gradient_check_with_one_hot_targets():
    x, t = small_batch(3, n=3, d=10, classes=3)
    net = TwoLayerNet(10, 6, 3, weight_init_std=0.5, dtype=np.float64, seed=1)
    errors = gradient_check(net, x, np.eye(3)[t])
    assert max(errors.values()) < 1e-6, errors


def test_gradient_check_catches_a_wrong_backward():
    x, t = small_batch(4)
    net = MultiLayerNet(12, [6], 4, weight_init="he", dtype=np.float64, seed=0)
    net.layers["Affine2"].backward = _doubled(net.layers["Affine2"].backward, net.layers["Affine2"])
    errors = gradient_check(net, x, t)
    assert errors["W2"] == pytest.approx(0.5, rel=1e-6)  # |2g - g| / |2g|


def _doubled(backward, layer):
    def wrong(dout):
        dx = backward(dout)
        layer.dW *= 2
        return dx
    return wrong


def test_numerical_gradient_leaves_the_network_unchanged():
    x, t = small_batch(5)
    net = MultiLayerNet(12, [5], 4, use_batchnorm=True, dropout_ratio=0.5,
                        dtype=np.float64, seed=2)
    before = {k: v.copy() for k, v in net.state().items()}
    rng_state = net.rng.bit_generator.state
    net.numerical_gradient(x, t)
    for key, value in net.state().items():
        np.testing.assert_array_equal(value, before[key])
    assert net.rng.bit_generator.state == rng_state


# -- the book's structure ---------------------------------------------------------------

def test_two_layer_net_is_the_books_ch5_network():
    net = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
    assert list(net.layers) == ["Affine1", "Relu1", "Affine2"]
    assert {k: v.shape for k, v in net.params.items()} == {
        "W1": (784, 50), "b1": (50,), "W2": (50, 10), "b2": (10,)}
    assert not net.params["b1"].any()
    # The layers hold the very arrays in params, so in-place updates reach them.
    assert net.layers["Affine1"].W is net.params["W1"]


def test_multi_layer_net_layer_order_and_keys():
    net = MultiLayerNet(784, [100, 50], 10, activation="sigmoid", use_batchnorm=True,
                        dropout_ratio=0.2)
    assert list(net.layers) == [
        "Affine1", "BatchNorm1", "Sigmoid1", "Dropout1",
        "Affine2", "BatchNorm2", "Sigmoid2", "Dropout2", "Affine3"]
    assert sorted(net.params) == sorted(
        ["W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3"])
    assert net.layers["BatchNorm2"].gamma is net.params["gamma2"]


@pytest.mark.parametrize("init, expected", [
    ("he", math.sqrt(2 / 784)), ("relu", math.sqrt(2 / 784)),
    ("xavier", math.sqrt(1 / 784)), ("sigmoid", math.sqrt(1 / 784)),
    ("std:0.01", 0.01), (0.05, 0.05),
])
def test_weight_init_scales(init, expected):
    assert weight_scale(init, 784) == pytest.approx(expected, rel=1e-15)
    net = MultiLayerNet(784, [200], 10, weight_init=init, dtype=np.float64, seed=0)
    assert net.params["W1"].std() == pytest.approx(expected, rel=0.02)  # 156,800 draws


def test_same_seed_same_weights_in_both_dtypes():
    a = MultiLayerNet(20, [7], 3, weight_init="he", seed=42, dtype=np.float64)
    b = MultiLayerNet(20, [7], 3, weight_init="he", seed=42, dtype=np.float32)
    c = MultiLayerNet(20, [7], 3, weight_init="he", seed=43, dtype=np.float64)
    np.testing.assert_array_equal(a.params["W1"].astype(np.float32), b.params["W1"])
    assert not np.array_equal(a.params["W1"], c.params["W1"])


# -- loss, accuracy, activations -----------------------------------------------------

def test_loss_adds_the_books_weight_decay():
    x, t = small_batch(6)
    plain = MultiLayerNet(12, [5], 4, weight_init="he", dtype=np.float64, seed=0)
    decayed = MultiLayerNet(12, [5], 4, weight_init="he", dtype=np.float64, seed=0,
                            weight_decay_lambda=0.3)
    penalty = 0.5 * 0.3 * sum(np.sum(decayed.params[k] ** 2) for k in ("W1", "W2"))
    assert decayed.loss(x, t) - plain.loss(x, t) == pytest.approx(penalty, rel=1e-12)


def test_loss_of_a_tiny_network_by_hand():
    net = MultiLayerNet(2, [2], 2, dtype=np.float64, seed=0)
    net.params["W1"][...] = [[1.0, -1.0], [0.5, 2.0]]
    net.params["W2"][...] = [[1.0, 0.0], [0.0, 1.0]]
    # hidden = relu([1, 2] @ W1) = relu([2, 3]) = [2, 3]; scores [2, 3]
    assert net.loss(np.array([[1.0, 2.0]]), np.array([1])) == pytest.approx(
        math.log(1 + math.exp(-1)), rel=1e-15)
    np.testing.assert_array_equal(net.predict(np.array([[1.0, 2.0]])), [[2.0, 3.0]])


def test_accuracy_is_batched_but_counts_every_sample():
    rng = np.random.default_rng(7)
    net = MultiLayerNet(12, [9], 4, weight_init="he", dtype=np.float64, seed=0)
    x = rng.random((2500, 12))
    expected_labels = np.argmax(x @ net.params["W1"].clip(0) @ np.ones((9, 4)), axis=1)
    predicted = np.argmax(net.predict(x), axis=1)
    t = np.where(rng.random(2500) < 0.7, predicted, expected_labels)
    expected = np.mean(predicted == t)
    assert net.accuracy(x, t) == expected
    assert net.accuracy(x, t, batch_size=7) == expected
    assert net.accuracy(x, np.eye(4)[t]) == expected


def test_activations_of_the_books_weight_init_experiment():
    # ch06/weight_init_activation_histogram.py: 5 sigmoid layers of 100 units.
    x = np.random.default_rng(0).standard_normal((1000, 100))
    small = MultiLayerNet(100, [100] * 5, 10, activation="sigmoid", weight_init="std:0.01",
                          dtype=np.float64, seed=0).activations(x)
    xavier = MultiLayerNet(100, [100] * 5, 10, activation="sigmoid", weight_init="xavier",
                           dtype=np.float64, seed=0).activations(x)
    assert len(small) == 5 and all(a.shape == (1000, 100) for a in small)
    # 0.01·randn: every unit says ~0.5 ("expressive power is limited");
    # Xavier: the values stay spread out, layer after layer.
    assert all(abs(a.mean() - 0.5) < 0.01 and a.std() < 0.03 for a in small)
    assert all(a.std() > 0.1 for a in xavier)


def test_activations_are_copies():
    net = MultiLayerNet(4, [3], 2, seed=0)
    acts = net.activations(np.ones((2, 4)))
    acts[0][...] = 99
    assert not np.array_equal(net.activations(np.ones((2, 4)))[0], acts[0])


# -- speed-related guarantees ----------------------------------------------------------------

def test_float32_stays_float32_through_a_training_step():
    rng = np.random.default_rng(8)
    net = MultiLayerNet(784, [30, 20], 10, weight_init="he", weight_decay_lambda=0.01,
                        dropout_ratio=0.1, use_batchnorm=True, seed=0)
    x = rng.random((32, 784)).astype(np.float32)
    t = rng.integers(0, 10, 32)
    grads = net.gradient(x, t)
    opt = Adam()
    opt.update(net.params, grads)
    for key in net.params:
        assert net.params[key].dtype == np.float32, key
        assert grads[key].dtype == np.float32, key
        assert opt.m[key].dtype == np.float32 and opt.v[key].dtype == np.float32, key
    for key, value in net.state().items():
        assert value.dtype == np.float32, key
    assert net.predict(x).dtype == np.float32
    assert all(a.dtype == np.float32 for a in net.activations(x))
    assert isinstance(net.last_loss, float) and math.isfinite(net.last_loss)


def test_gradient_reuses_its_arrays_and_skips_the_input_gradient():
    rng = np.random.default_rng(9)
    net = MultiLayerNet(12, [5], 4, seed=0)
    x, t = rng.random((6, 12)), rng.integers(0, 4, 6)
    first = net.gradient(x, t)
    w1 = first["W1"]
    second = net.gradient(x[:3], t[:3])
    assert second["W1"] is w1  # no new 784x100 array per mini-batch
    assert net.layers["Affine1"].need_dx is False


def test_gradient_equals_numerical_gradient_in_float32_roughly():
    x, t = small_batch(10)
    net = MultiLayerNet(12, [6], 4, weight_init="he", seed=0)
    grads = {k: v.copy() for k, v in net.gradient(x, t).items()}
    ref = MultiLayerNet(12, [6], 4, weight_init="he", seed=0, dtype=np.float64)
    for key, g in ref.gradient(x, t).items():
        np.testing.assert_allclose(grads[key], g, rtol=1e-3, atol=1e-5)


# -- state ------------------------------------------------------------------------

def test_state_round_trip_into_a_new_network():
    rng = np.random.default_rng(11)
    net = MultiLayerNet(12, [5, 4], 3, use_batchnorm=True, seed=0)
    net.gradient(rng.random((8, 12)), rng.integers(0, 3, 8))  # moves the running averages
    copy = build_network(net.spec(), seed=99)
    copy.load_state(net.state())
    x = rng.random((5, 12))
    np.testing.assert_array_equal(copy.predict(x), net.predict(x))
    assert copy.spec() == net.spec()


@pytest.mark.parametrize("options", [{"activation": "relu"}, {"activation": "sigmoid", "use_batchnorm": True},
                                     {"activation": "tanh", "dropout_ratio": 0.3}])
def test_a_copy_keeps_what_was_learned_and_leaves_out_the_last_batch(options):
    rng = np.random.default_rng(5)
    net = MultiLayerNet(12, [6, 5], 3, seed=0, **options)
    net.gradient(rng.random((8, 12)), rng.integers(0, 3, 8))  # moves the running averages
    x, t = rng.random((300, 12)), rng.integers(0, 3, 300)
    net.predict(x)  # every layer now holds what it needs of these 300 rows for backward
    assert net.layers["Affine1"].x is not None
    twin = net.copy()

    for name, layer in twin.layers.items():
        for attribute in BATCH_MEMORY:
            assert getattr(layer, attribute, None) is None, f"{name}.{attribute} was copied"
    assert twin.last_layer.y is None
    np.testing.assert_array_equal(twin.predict(x), net.predict(x))
    for key, value in twin.params.items():
        assert value is not net.params[key] and twin.layers[_layer_of(key)] is not net.layers[_layer_of(key)]
    twin.params["W1"][...] = 0
    assert net.params["W1"].any()
    # Both still train: the original kept its batch, the copy makes its own.
    grads = net.gradient(x[:8], t[:8])
    twin_grads = twin.gradient(x[:8], t[:8])
    assert grads.keys() == twin_grads.keys()
    if options.get("dropout_ratio"):
        dropouts = [layer for layer in twin.layers.values() if type(layer).__name__ == "Dropout"]
        assert all(layer.rng is twin.rng for layer in dropouts) and twin.rng is not net.rng


def test_counting_correct_answers_and_measuring_activations_keep_no_batch():
    rng = np.random.default_rng(6)
    net = MultiLayerNet(12, [6, 5], 3, seed=0, use_batchnorm=True, dropout_ratio=0.2)
    x, t = rng.random((300, 12)), rng.integers(0, 3, 300)

    def kept() -> list[str]:
        return [f"{name}.{attribute}" for name, layer in (*net.layers.items(), ("last", net.last_layer))
                for attribute in BATCH_MEMORY if getattr(layer, attribute, None) is not None]

    net.gradient(x[:8], t[:8])
    assert kept()  # a training step keeps its batch for backward, as the book's layers do
    accuracy = net.accuracy(x, t, batch_size=100)
    assert kept() == []
    net.predict(x)
    hidden = net.activations(x)
    assert kept() == [] and len(hidden) == 2
    assert net.accuracy(x, t, batch_size=100) == accuracy
    grads = net.gradient(x[:8], t[:8])  # and training goes on
    assert all(np.isfinite(g).all() for g in grads.values())


def _layer_of(key: str) -> str:
    kind, number = key[:-1], key[-1]
    return {"W": "Affine", "b": "Affine", "gamma": "BatchNorm", "beta": "BatchNorm"}[kind] + number


def test_load_state_refuses_arrays_that_do_not_fit():
    net = MultiLayerNet(12, [5], 3, seed=0)
    state = {k: v.copy() for k, v in net.state().items()}
    with pytest.raises(ValueError, match="missing b2"):
        net.load_state({k: v for k, v in state.items() if k != "b2"})
    with pytest.raises(ValueError, match=r"W1 has shape \(12, 6\)"):
        net.load_state({**state, "W1": np.zeros((12, 6))})
    with pytest.raises(ValueError, match="finite"):
        net.load_state({**state, "b1": np.full(5, np.nan)})


# -- bad arguments -------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    ({"activation": "softplus"}, "unknown activation 'softplus'"),
    ({"weight_init": "glorot"}, "unknown weight init 'glorot'"),
    ({"weight_init": "std:abc"}, "is not a number"),
    ({"weight_init": -0.1}, "must be a finite number > 0"),
    ({"weight_init": float("nan")}, "must be a finite number > 0"),
    ({"weight_decay_lambda": -1}, "weight_decay_lambda must be a finite number >= 0"),
    ({"weight_decay_lambda": float("inf")}, "weight_decay_lambda must be a finite number >= 0"),
    ({"dropout_ratio": 1.0}, r"dropout_ratio must be in \[0, 1\)"),
    ({"dtype": np.float16}, "dtype must be float32 or float64"),
    ({"dtype": "int"}, "dtype must be float32 or float64"),
    ({"hidden_size_list": []}, "at least one hidden layer"),
    ({"hidden_size_list": [10, 0]}, "every hidden layer size must be a whole number"),
    ({"hidden_size_list": [2.5]}, "every hidden layer size must be a whole number"),
    ({"output_size": 1}, "output_size must be at least 2"),
])
def test_constructor_rejects_bad_arguments(kwargs, message):
    args = {"input_size": 4, "hidden_size_list": [3], "output_size": 2, **kwargs}
    with pytest.raises(ValueError, match=message):
        MultiLayerNet(**args)


@pytest.mark.parametrize("x, message", [
    (np.zeros((2, 5)), r"x must have shape \(N, 4\)"),
    (np.zeros((2, 2, 2)), r"x must have shape \(N, 4\)"),
    (np.full((1, 4), np.nan), "NaN or infinite"),
    (np.full((1, 4), np.inf), "NaN or infinite"),
    (np.zeros((1, 4), dtype=np.uint8), "raw uint8 pixels"),
    (np.array([["a", "b", "c", "d"]]), "must hold numbers"),
])
def test_predict_rejects_bad_input(x, message):
    net = MultiLayerNet(4, [3], 2, seed=0)
    with pytest.raises(ValueError, match=message):
        net.predict(x)


def test_single_sample_is_a_batch_of_one():
    net = MultiLayerNet(4, [3], 2, seed=0)
    assert net.predict(np.ones(4)).shape == (1, 2)


def test_loss_rejects_bad_labels():
    net = MultiLayerNet(4, [3], 2, seed=0)
    with pytest.raises(ValueError, match=r"labels must be in 0\.\.1"):
        net.loss(np.zeros((2, 4)), np.array([0, 2]))
