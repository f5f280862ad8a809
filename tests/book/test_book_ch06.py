"""Chapter 6 through nn_tui.book: the optimisers, initial weights, batch norm, weight decay, dropout, Trainer."""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
import pytest

from nn_tui.book.common.multi_layer_net import MultiLayerNet
from nn_tui.book.common.multi_layer_net_extend import MultiLayerNetExtend
from nn_tui.book.common.optimizer import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop
from nn_tui.book.common.trainer import Trainer
from nn_tui.book.common.util import shuffle_dataset, smooth_curve
from nn_tui.book.dataset.mnist import load_mnist_subset
from nn_tui.core import optimizers as core_optimizers
from nn_tui.core.gradient import optimizer_race


def f(x, y):
    return x ** 2 / 20.0 + y ** 2


def df(x, y):
    return x / 10.0, 2.0 * y


def optimizer_compare_naive(optimizers, steps=30):
    """The loop of the book's ch06/optimizer_compare_naive.py (plots left out)."""
    init_pos = (-7.0, 2.0)
    params, grads, histories = {}, {}, {}
    for key, optimizer in optimizers.items():
        x_history, y_history = [], []
        params["x"], params["y"] = init_pos[0], init_pos[1]
        for _ in range(steps):
            x_history.append(params["x"])
            y_history.append(params["y"])
            grads["x"], grads["y"] = df(params["x"], params["y"])
            optimizer.update(params, grads)
        histories[key] = (x_history, y_history, (params["x"], params["y"]))
    return histories


def book_optimizers():
    optimizers = OrderedDict()
    optimizers["SGD"] = SGD(lr=0.95)
    optimizers["Momentum"] = Momentum(lr=0.1)
    optimizers["AdaGrad"] = AdaGrad(lr=1.5)
    optimizers["Adam"] = Adam(lr=0.3)
    return optimizers


def test_optimizer_compare_naive_runs_on_plain_floats():
    histories = optimizer_compare_naive(book_optimizers())
    for key, (xs, ys, end) in histories.items():
        assert len(xs) == len(ys) == 30 and (xs[0], ys[0]) == (-7.0, 2.0)
        assert all(type(v) is float for v in xs + ys), key  # the book's params stay numbers
        assert f(*end) < f(-7.0, 2.0), key


def test_first_steps_computed_by_hand():
    histories = optimizer_compare_naive(book_optimizers(), steps=1)
    # gradient at (-7, 2): (-0.7, 4)
    assert histories["SGD"][2] == pytest.approx((-7 + 0.95 * 0.7, 2 - 0.95 * 4), abs=1e-15)
    assert histories["Momentum"][2] == pytest.approx((-7 + 0.1 * 0.7, 2 - 0.1 * 4), abs=1e-15)
    # AdaGrad's first step is lr·g/|g|, Adam's lr·sign(g) (up to the 1e-7s).
    assert histories["AdaGrad"][2] == pytest.approx((-7 + 1.5, 2 - 1.5), abs=1e-6)
    assert histories["Adam"][2] == pytest.approx((-7 + 0.3, 2 - 0.3), abs=1e-5)


def reference(name, lr, steps=30):
    """The book's update formulas written out on Python floats."""
    x, y = -7.0, 2.0
    state = {"v": [0.0, 0.0], "h": [0.0, 0.0], "m": [0.0, 0.0], "iter": 0}
    for _ in range(steps):
        g = df(x, y)
        p = [x, y]
        state["iter"] += 1
        for i in range(2):
            if name == "SGD":
                p[i] -= lr * g[i]
            elif name == "Momentum":
                state["v"][i] = 0.9 * state["v"][i] - lr * g[i]
                p[i] += state["v"][i]
            elif name == "Nesterov":
                p[i] += 0.9 * 0.9 * state["v"][i]
                p[i] -= (1 + 0.9) * lr * g[i]
                state["v"][i] = 0.9 * state["v"][i] - lr * g[i]
            elif name == "AdaGrad":
                state["h"][i] += g[i] * g[i]
                p[i] -= lr * g[i] / (math.sqrt(state["h"][i]) + 1e-7)
            elif name == "RMSprop":
                state["h"][i] = 0.99 * state["h"][i] + 0.01 * g[i] * g[i]
                p[i] -= lr * g[i] / (math.sqrt(state["h"][i]) + 1e-7)
            elif name == "Adam":
                t = state["iter"]
                lr_t = lr * math.sqrt(1.0 - 0.999 ** t) / (1.0 - 0.9 ** t)
                state["m"][i] += (1 - 0.9) * (g[i] - state["m"][i])
                state["h"][i] += (1 - 0.999) * (g[i] ** 2 - state["h"][i])
                p[i] -= lr_t * state["m"][i] / (math.sqrt(state["h"][i]) + 1e-7)
        x, y = p
    return x, y


@pytest.mark.parametrize(
    "cls, lr",
    [(SGD, 0.95), (Momentum, 0.1), (Nesterov, 0.1), (AdaGrad, 1.5), (RMSprop, 0.3), (Adam, 0.3)],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_every_optimizer_follows_the_books_formulas(cls, lr):
    end = optimizer_compare_naive({cls.__name__: cls(lr=lr)})[cls.__name__][2]
    assert end == pytest.approx(reference(cls.__name__, lr), rel=1e-12, abs=1e-12)


def test_the_app_race_walks_the_same_paths():
    # Lesson 4's race (nn_tui.core.gradient.optimizer_race) runs the book's four
    # racers: the student's script lands on the same points, digit for digit.
    race = optimizer_race(steps=30)
    for key, (xs, ys, end) in optimizer_compare_naive(book_optimizers()).items():
        assert race[key][:30].tolist() == [list(p) for p in zip(xs, ys)], key
        assert tuple(race[key][30]) == end, key


def test_optimizers_are_the_cores_with_the_books_defaults():
    for cls, core, defaults in [
        (SGD, core_optimizers.SGD, {"lr": 0.01}),
        (Momentum, core_optimizers.Momentum, {"lr": 0.01, "momentum": 0.9}),
        (Nesterov, core_optimizers.Nesterov, {"lr": 0.01, "momentum": 0.9}),
        (AdaGrad, core_optimizers.AdaGrad, {"lr": 0.01}),
        (RMSprop, core_optimizers.RMSprop, {"lr": 0.01, "decay_rate": 0.99}),
        (Adam, core_optimizers.Adam, {"lr": 0.001, "beta1": 0.9, "beta2": 0.999}),
    ]:
        opt = cls()
        assert isinstance(opt, core)
        assert {k: getattr(opt, k) for k in defaults} == defaults


def test_array_params_are_updated_in_place():
    W = np.ones(3)
    params = {"W": W}
    Momentum(lr=0.1).update(params, {"W": np.full(3, 2.0)})
    assert params["W"] is W and W.tolist() == [0.8, 0.8, 0.8]


# --- networks -----------------------------------------------------------------

@pytest.mark.parametrize(
    "weight_init_std, std1, std2",
    [(0.01, 0.01, 0.01), ("sigmoid", math.sqrt(1 / 784), math.sqrt(1 / 100)),
     ("relu", math.sqrt(2 / 784), math.sqrt(2 / 100))],
)
def test_weight_init_compare(weight_init_std, std1, std2):
    # ch06/weight_init_compare.py's three networks; He ('relu') is the default.
    np.random.seed(0)
    net = MultiLayerNet(input_size=784, hidden_size_list=[100, 100, 100, 100], output_size=10,
                        weight_init_std=weight_init_std)
    np.random.seed(0)
    W1 = std1 * np.random.randn(784, 100)
    np.testing.assert_array_equal(net.params["W1"], W1)  # drawn as the book draws them
    assert net.params["W2"].std() == pytest.approx(std2, rel=0.05)
    assert all(p.dtype == np.float64 for p in net.params.values())


def test_he_is_the_default():
    np.random.seed(0)
    net = MultiLayerNet(784, [100], 10)
    np.random.seed(0)
    np.testing.assert_array_equal(net.params["W1"], math.sqrt(2.0 / 784) * np.random.randn(784, 100))


def test_layers_have_the_books_names():
    net = MultiLayerNet(784, [100, 100], 10, activation="sigmoid")
    assert list(net.layers) == ["Affine1", "Activation_function1", "Affine2", "Activation_function2", "Affine3"]
    ext = MultiLayerNetExtend(784, [100, 100], 10, use_dropout=True, use_batchnorm=True)
    assert list(ext.layers) == [
        "Affine1", "BatchNorm1", "Activation_function1", "Dropout1",
        "Affine2", "BatchNorm2", "Activation_function2", "Dropout2", "Affine3"]
    assert [k for k in ext.params] == ["W1", "b1", "W2", "b2", "W3", "b3", "gamma1", "beta1", "gamma2", "beta2"]


def test_weight_decay_in_loss_and_gradient():
    # ch06/overfit_weight_decay.py uses weight_decay_lambda = 0.1.
    np.random.seed(0)
    x, t = np.random.rand(3, 6), np.array([0, 2, 1])
    plain = MultiLayerNet(6, [5, 4], 3)
    decayed = MultiLayerNet(6, [5, 4], 3, weight_decay_lambda=0.1)
    for key in plain.params:  # the same weights, copied in place
        decayed.params[key][...] = plain.params[key]
    penalty = 0.5 * 0.1 * sum(np.sum(plain.params[f"W{i}"] ** 2) for i in (1, 2, 3))
    assert decayed.loss(x, t) == pytest.approx(plain.loss(x, t) + penalty, rel=1e-14)
    numerical = decayed.numerical_gradient(x, t)
    backprop = decayed.gradient(x, t)
    for key in numerical:
        assert np.average(np.abs(backprop[key] - numerical[key])) < 1e-9, key


def test_batch_norm_gradient_check():
    # ch06/batch_norm_gradient_check.py with hidden layers of 10 (the book's
    # 100 take a minute) and two samples (with one, every normalised value is 0).
    (x_train, t_train), _ = load_mnist_subset(normalize=True, one_hot_label=True)
    np.random.seed(0)
    network = MultiLayerNetExtend(input_size=784, hidden_size_list=[10, 10], output_size=10,
                                  use_batchnorm=True)
    x_batch, t_batch = x_train[:2], t_train[:2]
    grad_backprop = network.gradient(x_batch, t_batch)
    grad_numerical = network.numerical_gradient(x_batch, t_batch)
    assert set(grad_numerical) == set(network.params)
    for key in grad_numerical:
        diff = np.average(np.abs(grad_backprop[key] - grad_numerical[key]))
        assert diff < 1e-9, (key, diff)


def test_batch_norm_starts_as_the_books():
    net = MultiLayerNetExtend(10, [4], 3, use_batchnorm=True)
    assert net.layers["BatchNorm1"].running_var.tolist() == [0.0] * 4
    assert net.params["gamma1"].tolist() == [1.0] * 4 and net.params["beta1"].tolist() == [0.0] * 4


def test_extend_evaluates_in_test_mode_unless_told():
    np.random.seed(0)
    net = MultiLayerNetExtend(8, [20, 20], 3, use_dropout=True, dropout_ration=0.5)
    x, t = np.random.rand(4, 8), np.array([0, 1, 2, 0])
    assert net.loss(x, t) == net.loss(x, t)  # no dropout: the same twice
    assert net.loss(x, t, train_flg=True) != net.loss(x, t)
    np.testing.assert_array_equal(net.predict(x), net.predict(x, train_flg=False))


def test_dropout_masks_come_from_np_random():
    x, t = np.random.rand(4, 8), np.array([0, 1, 2, 0])
    losses = []
    for _ in range(2):
        np.random.seed(7)
        net = MultiLayerNetExtend(8, [20], 3, use_dropout=True, dropout_ration=0.3)
        losses.append([net.loss(x, t, train_flg=True) for _ in range(3)])
    assert losses[0] == losses[1]
    assert len(set(losses[0])) == 3


def test_no_dropout_layers_without_use_dropout():
    net = MultiLayerNetExtend(8, [5], 3, dropout_ration=0.5)
    assert not any(k.startswith("Dropout") for k in net.layers)


def test_optimizer_compare_mnist_every_optimizer_learns():
    # ch06/optimizer_compare_mnist.py, smaller: two layers of 50 (not four of
    # 100), 30 iterations (not 2000).
    (x_train, t_train), _ = load_mnist_subset(normalize=True)
    np.random.seed(0)
    optimizers = {"SGD": SGD(), "Momentum": Momentum(), "AdaGrad": AdaGrad(), "Adam": Adam()}
    networks = {key: MultiLayerNet(input_size=784, hidden_size_list=[50, 50], output_size=10)
                for key in optimizers}
    losses = {key: [] for key in optimizers}
    for _ in range(30):
        batch_mask = np.random.choice(x_train.shape[0], 128)
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        for key in optimizers:
            grads = networks[key].gradient(x_batch, t_batch)
            optimizers[key].update(networks[key].params, grads)
            losses[key].append(networks[key].loss(x_batch, t_batch))
    for key, history in losses.items():
        assert np.mean(history[-5:]) < np.mean(history[:5]), key


# --- Trainer ---------------------------------------------------------------------

def test_overfit_dropout_with_the_trainer(capsys):
    # ch06/overfit_dropout.py: 300 samples, six layers of 100, dropout 0.2 (3 epochs, not 301).
    (x_train, t_train), (x_test, t_test) = load_mnist_subset(normalize=True)
    x_train, t_train = x_train[:300], t_train[:300]
    np.random.seed(0)
    network = MultiLayerNetExtend(input_size=784, hidden_size_list=[100, 100, 100, 100, 100, 100],
                                  output_size=10, use_dropout=True, dropout_ration=0.2)
    trainer = Trainer(network, x_train, t_train, x_test, t_test, epochs=3, mini_batch_size=100,
                      optimizer="sgd", optimizer_param={"lr": 0.01}, verbose=True)
    trainer.train()
    lines = capsys.readouterr().out.splitlines()
    assert trainer.max_iter == 9 and trainer.iter_per_epoch == 3.0
    assert len(trainer.train_loss_list) == 9
    assert len(trainer.train_acc_list) == len(trainer.test_acc_list) == 3
    # train loss, then the epoch line, at steps 1, 4, 7; then the final accuracy.
    assert [line.split(":")[0] for line in lines[:3]] == ["train loss", "=== epoch", "train loss"]
    assert lines[0] == "train loss:" + str(trainer.train_loss_list[0])
    assert lines[1] == ("=== epoch:1, train acc:" + str(trainer.train_acc_list[0])
                        + ", test acc:" + str(trainer.test_acc_list[0]) + " ===")
    assert sum(line.startswith("=== epoch:") for line in lines) == 3
    assert lines[-2] == "=============== Final Test Accuracy ==============="
    assert lines[-1] == "test acc:" + str(network.accuracy(x_test, t_test))
    assert len(lines) == 9 + 3 + 2


def test_trainer_quiet_and_evaluation_samples(capsys):
    (x_train, t_train), (x_test, t_test) = load_mnist_subset(normalize=True)
    network = MultiLayerNet(784, [20], 10)
    trainer = Trainer(network, x_train[:200], t_train[:200], x_test, t_test, epochs=2,
                      mini_batch_size=50, optimizer="Adam", optimizer_param={"lr": 0.001},
                      evaluate_sample_num_per_epoch=10, verbose=False)
    trainer.train()
    assert capsys.readouterr().out == ""
    assert isinstance(trainer.optimizer, Adam) and trainer.optimizer.lr == 0.001
    assert all(acc * 10 == round(acc * 10) for acc in trainer.train_acc_list + trainer.test_acc_list)


def test_trainer_is_repeatable_with_np_random_seed():
    (x_train, t_train), (x_test, t_test) = load_mnist_subset(normalize=True)
    runs = []
    for _ in range(2):
        np.random.seed(3)
        network = MultiLayerNet(784, [20], 10)
        trainer = Trainer(network, x_train[:200], t_train[:200], x_test[:100], t_test[:100],
                          epochs=2, mini_batch_size=50, verbose=False)
        trainer.train()
        runs.append(trainer.train_loss_list)
    assert runs[0] == runs[1]


@pytest.mark.parametrize("name, cls", [("SGD", SGD), ("momentum", Momentum), ("Nesterov", Nesterov),
                                       ("AdaGrad", AdaGrad), ("rmsprpo", RMSprop), ("RMSprop", RMSprop),
                                       ("adam", Adam)])
def test_trainer_optimizer_names(name, cls):
    x = np.zeros((10, 4))
    trainer = Trainer(MultiLayerNet(4, [3], 2), x, np.zeros(10, dtype=int), x, np.zeros(10, dtype=int),
                      optimizer=name, optimizer_param={"lr": 0.5})
    assert type(trainer.optimizer) is cls and trainer.optimizer.lr == 0.5


def test_trainer_unknown_optimizer():
    x = np.zeros((10, 4))
    with pytest.raises(ValueError, match="Adam"):
        Trainer(MultiLayerNet(4, [3], 2), x, np.zeros(10, dtype=int), x, np.zeros(10, dtype=int),
                optimizer="adamw")


def test_trainer_epochs_when_the_batch_does_not_divide_the_data():
    x = np.random.rand(250, 4)
    t = np.random.randint(0, 2, 250)
    trainer = Trainer(MultiLayerNet(4, [3], 2), x, t, x, t, epochs=3, mini_batch_size=100, verbose=False)
    trainer.train()
    assert trainer.max_iter == 7 and len(trainer.train_acc_list) == 3


# --- util ------------------------------------------------------------------------

def test_smooth_curve():
    rng = np.random.default_rng(0)
    curve = rng.random(50)
    smoothed = smooth_curve(curve)
    assert smoothed.shape == curve.shape
    w = np.kaiser(11, 2)
    # Inside, each point is the Kaiser-weighted mean of the 11 around it.
    assert smoothed[20] == pytest.approx(np.dot(w, curve[15:26]) / w.sum(), rel=1e-12)
    np.testing.assert_allclose(smooth_curve(np.full(30, 2.5)), 2.5)
    assert smooth_curve([1.0, 2.0]).tolist() == [1.0, 2.0]


def test_shuffle_dataset_keeps_pairs():
    x = np.arange(20).reshape(10, 2)
    t = np.arange(10)
    np.random.seed(0)
    xs, ts = shuffle_dataset(x, t)
    assert sorted(ts.tolist()) == list(range(10)) and ts.tolist() != list(range(10))
    np.testing.assert_array_equal(xs, x[ts])
