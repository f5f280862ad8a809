"""The shape of nn_tui.book: the book's module names, signatures and defaults, and its note."""

from __future__ import annotations

import inspect
import pkgutil
from pathlib import Path

import numpy as np
import pytest

import nn_tui.book

BOOK = Path(nn_tui.book.__file__).parent

# What the book's scripts import, and the names they need from each.
MODULES = {
    "common.functions": ["identity_function", "step_function", "sigmoid", "sigmoid_grad", "relu",
                         "relu_grad", "softmax", "mean_squared_error", "cross_entropy_error", "softmax_loss"],
    "common.gradient": ["numerical_gradient", "numerical_gradient_2d"],
    "common.layers": ["Relu", "Sigmoid", "Affine", "SoftmaxWithLoss", "Dropout", "BatchNormalization"],
    "common.optimizer": ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"],
    "common.multi_layer_net": ["MultiLayerNet"],
    "common.multi_layer_net_extend": ["MultiLayerNetExtend"],
    "common.trainer": ["Trainer"],
    "common.util": ["smooth_curve", "shuffle_dataset"],
    "dataset.mnist": ["load_mnist"],
    "ch02": ["AND", "NAND", "OR", "XOR"],
    "ch02.and_gate": ["AND"],
    "ch02.nand_gate": ["NAND"],
    "ch02.or_gate": ["OR"],
    "ch02.xor_gate": ["XOR"],
    "ch03.neuralnet_mnist": ["get_data", "init_network", "predict"],
    "ch04.gradient_1d": ["numerical_diff", "function_1", "tangent_line"],
    "ch04.gradient_2d": ["numerical_gradient", "function_2", "tangent_line"],
    "ch04.gradient_method": ["gradient_descent"],
    "ch04.gradient_simplenet": ["simpleNet"],
    "ch04.two_layer_net": ["TwoLayerNet"],
    "ch05.layer_naive": ["MulLayer", "AddLayer"],
    "ch05.two_layer_net": ["TwoLayerNet"],
}

# The packages pyproject.toml must list (setuptools cannot find them itself).
PACKAGES = ["nn_tui.book", "nn_tui.book.ch02", "nn_tui.book.ch03", "nn_tui.book.ch04", "nn_tui.book.ch05",
            "nn_tui.book.common", "nn_tui.book.dataset"]


@pytest.mark.parametrize("module, names", MODULES.items(), ids=list(MODULES))
def test_star_import_gives_the_books_names(module, names):
    namespace: dict = {}
    exec(f"from nn_tui.book.{module} import *", namespace)
    missing = [name for name in names if name not in namespace]
    assert missing == []


def test_every_module_is_listed_above_and_in_the_note():
    found = {m.name.removeprefix("nn_tui.book.")
             for m in pkgutil.walk_packages(nn_tui.book.__path__, prefix="nn_tui.book.")
             if not m.name.rsplit(".", 1)[-1].startswith("_")}
    assert found - {"common", "dataset", "ch03", "ch04", "ch05"} == set(MODULES)
    note = nn_tui.book.__doc__
    for module in MODULES:
        top = module if not module.startswith("ch02.") else "ch02"
        assert f"``{top}``" in note, module


def test_the_packages_to_list_in_pyproject():
    found = sorted(".".join(("nn_tui", *p.parent.relative_to(BOOK.parent).parts))
                   for p in BOOK.rglob("__init__.py") if "__pycache__" not in p.parts)
    assert found == sorted(PACKAGES)


def signature(obj) -> list[tuple[str, object]]:
    return [(p.name, p.default) for p in inspect.signature(obj).parameters.values()]


E = inspect.Parameter.empty


def test_the_books_signatures_and_defaults():
    from nn_tui.book.ch04.gradient_method import gradient_descent
    from nn_tui.book.ch04.two_layer_net import TwoLayerNet as TwoLayerNet4
    from nn_tui.book.ch05.two_layer_net import TwoLayerNet as TwoLayerNet5
    from nn_tui.book.common.layers import BatchNormalization, Dropout
    from nn_tui.book.common.multi_layer_net import MultiLayerNet
    from nn_tui.book.common.multi_layer_net_extend import MultiLayerNetExtend
    from nn_tui.book.common.optimizer import RMSprop
    from nn_tui.book.common.trainer import Trainer
    from nn_tui.book.dataset.mnist import load_mnist

    assert signature(load_mnist) == [("normalize", True), ("flatten", True), ("one_hot_label", False)]
    assert signature(MultiLayerNet) == [
        ("input_size", E), ("hidden_size_list", E), ("output_size", E), ("activation", "relu"),
        ("weight_init_std", "relu"), ("weight_decay_lambda", 0)]
    assert signature(MultiLayerNetExtend) == signature(MultiLayerNet) + [
        ("use_dropout", False), ("dropout_ration", 0.5), ("use_batchnorm", False)]
    for cls in (TwoLayerNet4, TwoLayerNet5):
        assert signature(cls) == [("input_size", E), ("hidden_size", E), ("output_size", E),
                                  ("weight_init_std", 0.01)]
    trainer = signature(Trainer)
    assert [name for name, _ in trainer] == [
        "network", "x_train", "t_train", "x_test", "t_test", "epochs", "mini_batch_size", "optimizer",
        "optimizer_param", "evaluate_sample_num_per_epoch", "verbose"]
    assert dict(trainer)["epochs"] == 20 and dict(trainer)["mini_batch_size"] == 100
    assert dict(trainer)["optimizer"] == "SGD" and dict(dict(trainer)["optimizer_param"]) == {"lr": 0.01}
    assert dict(trainer)["evaluate_sample_num_per_epoch"] is None and dict(trainer)["verbose"] is True
    assert signature(gradient_descent) == [("f", E), ("init_x", E), ("lr", 0.01), ("step_num", 100)]
    assert signature(Dropout) == [("dropout_ratio", 0.5)]
    assert signature(BatchNormalization) == [("gamma", E), ("beta", E), ("momentum", 0.9),
                                             ("running_mean", None), ("running_var", None)]
    assert signature(RMSprop) == [("lr", 0.01), ("decay_rate", 0.99)]


def test_networks_are_the_cores_in_float64():
    from nn_tui.book.ch04.two_layer_net import TwoLayerNet as TwoLayerNet4
    from nn_tui.book.ch05.two_layer_net import TwoLayerNet as TwoLayerNet5
    from nn_tui.book.common.multi_layer_net import MultiLayerNet
    from nn_tui.book.common.multi_layer_net_extend import MultiLayerNetExtend
    from nn_tui.core import networks

    for net in (TwoLayerNet4(4, 3, 2), TwoLayerNet5(4, 3, 2), MultiLayerNet(4, [3], 2),
                MultiLayerNetExtend(4, [3], 2, use_batchnorm=True, use_dropout=True)):
        assert isinstance(net, networks.MultiLayerNet)
        assert net.dtype == np.float64
        assert all(p.dtype == np.float64 for p in net.params.values())


def test_images_shaped_as_pictures_are_flattened():
    from nn_tui.book.common.multi_layer_net import MultiLayerNet

    net = MultiLayerNet(784, [5], 10)
    x = np.random.rand(3, 1, 28, 28)
    np.testing.assert_array_equal(net.predict(x), net.predict(x.reshape(3, 784)))
    assert net.loss(x, np.array([1, 2, 3])) == net.loss(x.reshape(3, 784), np.array([1, 2, 3]))


def test_modules_import_nothing_from_the_app():
    for path in BOOK.rglob("*.py"):
        assert "nn_tui.tui" not in path.read_text(encoding="utf-8"), path
