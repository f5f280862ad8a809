"""Chapter 3's trained network: the book's numbers, its checks on the weights file, the digit picker."""

from __future__ import annotations

import io
import pickle
import tomllib
import zipfile
from pathlib import Path

import numpy as np
import pytest

from nn_tui.assets import BOOK_WEIGHTS, MNIST_SUBSET
from nn_tui.core.data.mnist import load_mnist, load_subset, normalize
from nn_tui.core.functions import cross_entropy_error
from nn_tui.core.labs.inference import (
    BATCH_SIZE,
    PARAM_SHAPES,
    DigitPicker,
    SampleNetwork,
    batch_cross_entropy,
    batch_products,
    batched_accuracy,
    one_by_one_accuracy,
    strip_levels,
    strips,
    time_inference,
)
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def network() -> SampleNetwork:
    return SampleNetwork.load(BOOK_WEIGHTS)


@pytest.fixture(scope="module")
def full_test_set(mnist_dir):
    data = load_mnist(mnist_dir)
    return data.test_images, data.test_labels


def book_predict(params, x):
    """The book's predict, written out as ch03/neuralnet_mnist.py has it, as an independent oracle."""

    def sigmoid(v):
        return 1 / (1 + np.exp(-v))

    def softmax(a):
        a = a - np.max(a, axis=-1, keepdims=True)
        return np.exp(a) / np.sum(np.exp(a), axis=-1, keepdims=True)

    with np.errstate(over="ignore"):
        z1 = sigmoid(np.dot(x, params["W1"]) + params["b1"])
        z2 = sigmoid(np.dot(z1, params["W2"]) + params["b2"])
    return softmax(np.dot(z2, params["W3"]) + params["b3"])


# --- the shipped weights ------------------------------------------------------------------


def test_the_shipped_weights_are_the_books_float32_arrays(network):
    assert {name: network.params[name].shape for name in PARAM_SHAPES} == PARAM_SHAPES
    assert all(network.params[name].dtype == np.float32 for name in PARAM_SHAPES)
    assert not network.params["W1"].flags.writeable


def test_the_weights_are_package_data():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["nn_tui.assets"]
    relative = BOOK_WEIGHTS.relative_to(REPO / "assets")
    assert any(relative.match(pattern) for pattern in patterns)
    readme = (BOOK_WEIGHTS.parent / "README.md").read_text(encoding="utf-8")
    assert "Copyright (c) 2016 Koki Saitoh" in readme and "MIT License" in readme


def _npz(tmp_path: Path, arrays: dict[str, np.ndarray], name: str = "w.npz") -> Path:
    path = tmp_path / name
    np.savez(path, **arrays)
    return path


def _good(network) -> dict[str, np.ndarray]:
    return {name: np.array(array) for name, array in network.params.items()}


@pytest.mark.parametrize(
    "change, code",
    [
        (lambda a: a.pop("b3"), "inference.weights_damaged"),
        (lambda a: a.update(W2=a["W2"].T.copy()), "inference.weights_array"),
        (lambda a: a.update(b1=a["b1"].astype(np.int32)), "inference.weights_array"),
        (lambda a: a["W3"].__setitem__((0, 0), np.nan), "inference.weights_array"),
        (lambda a: a["b2"].__setitem__(5, np.inf), "inference.weights_array"),
    ],
    ids=["missing array", "wrong shape", "integers", "nan", "inf"],
)
def test_a_wrong_weights_file_is_refused(tmp_path, network, change, code):
    arrays = _good(network)
    change(arrays)
    with pytest.raises(Refusal) as info:
        SampleNetwork.load(_npz(tmp_path, arrays))
    assert info.value.code == code and info.value.values["file"] == "w.npz"


def test_a_pickled_or_broken_file_is_refused_not_unpickled(tmp_path, network):
    arrays = {name: array for name, array in _good(network).items()}
    arrays["W1"] = np.array([object()] * 3, dtype=object)  # only pickle can store this
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, **arrays)
    raw = tmp_path / "sample_weight.pkl"
    raw.write_bytes(pickle.dumps(_good(network)))
    truncated = tmp_path / "cut.npz"
    truncated.write_bytes(BOOK_WEIGHTS.read_bytes()[:5000])
    for path in (pickled, raw, truncated):
        with pytest.raises(Refusal) as info:
            SampleNetwork.load(path)
        assert info.value.code == "inference.weights_damaged", path
    with pytest.raises(Refusal) as info:
        SampleNetwork.load(tmp_path / "absent.npz")
    assert info.value.code == "inference.weights_missing"


def test_a_zip_that_is_not_npz_is_refused(tmp_path):
    path = tmp_path / "x.npz"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("W1.npy", b"not an array")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(Refusal) as info:
        SampleNetwork.load(path)
    assert info.value.code == "inference.weights_damaged"


# --- the forward pass ----------------------------------------------------------------------


def test_the_forward_pass_keeps_every_step_with_the_books_shapes(network):
    x = normalize(load_subset(MNIST_SUBSET).test_images[0], np.float32)
    f = network.forward(x)
    assert [v.shape for v in f] == [(784,), (50,), (50,), (100,), (100,), (10,), (10,)]
    p = network.params
    assert np.allclose(f.a1, x @ p["W1"] + p["b1"]) and np.allclose(f.z1, 1 / (1 + np.exp(-f.a1)))
    assert np.allclose(f.a2, f.z1 @ p["W2"] + p["b2"]) and np.allclose(f.z2, 1 / (1 + np.exp(-f.a2)))
    assert np.allclose(f.a3, f.z2 @ p["W3"] + p["b3"])
    assert f.y.dtype == np.float32 and abs(float(f.y.sum()) - 1) < 1e-6
    assert np.allclose(f.y, book_predict(p, x), rtol=1e-6, atol=1e-9)


def test_the_first_test_digit_is_a_seven_read_as_the_book_reads_it(network):
    data = load_subset(MNIST_SUBSET)  # the subset's test digits are MNIST's first 2,000
    f = network.digit(data.test_images[0])
    assert int(data.test_labels[0]) == 7
    assert f.predicted == 7 and f.probability == pytest.approx(0.99706501, abs=1e-7)
    expected = book_predict(network.params, normalize(data.test_images[0], np.float32))
    assert int(np.argmax(expected)) == 7 and f.probability == pytest.approx(float(expected.max()), abs=1e-7)


def test_a_batch_gives_one_row_per_digit(network):
    data = load_subset(MNIST_SUBSET)
    f = network.forward(normalize(data.test_images[:5], np.float32))
    assert f.y.shape == (5, 10) and f.predicted.tolist() == [7, 2, 1, 0, 4]
    assert f.probability.shape == (5,)


def test_bad_input_is_a_value_error(network):
    for bad in (np.zeros(783, np.float32), np.zeros((2, 3, 784), np.float32), np.zeros(784, np.uint8)):
        with pytest.raises(ValueError):
            network.forward(bad)


def test_the_batch_products_have_the_books_shapes(network):
    products = batch_products(network)
    assert [(p.left, p.left_shape, p.right, p.right_shape, p.result, p.result_shape) for p in products] == [
        ("X", (100, 784), "W1", (784, 50), "A1", (100, 50)),
        ("Z1", (100, 50), "W2", (50, 100), "A2", (100, 100)),
        ("Z2", (100, 100), "W3", (100, 10), "Y", (100, 10)),
    ]
    assert batch_products(network, 1)[0].left_shape == (1, 784)
    with pytest.raises(ValueError):
        batch_products(network, 0)


# --- accuracy and timing --------------------------------------------------------------------


def test_accuracy_over_the_10000_test_digits_is_the_books_0_9352(network, full_test_set):
    images, labels = full_test_set
    batched = batched_accuracy(network, images, labels)
    assert (batched.correct, batched.total) == (9352, 10_000) and batched.value == 0.9352
    single = one_by_one_accuracy(network, images, labels)
    assert (single.correct, single.total) == (9352, 10_000)


def test_accuracy_on_the_offline_subset(network):
    data = load_subset(MNIST_SUBSET)
    accuracy = batched_accuracy(network, data.test_images, data.test_labels, BATCH_SIZE)
    assert (accuracy.correct, accuracy.total) == (1831, 2000) and accuracy.value == 0.9155
    # the oracle agrees digit for digit
    expected = book_predict(network.params, normalize(data.test_images, np.float32)).argmax(axis=1)
    assert int(np.sum(expected == data.test_labels)) == 1831


def test_the_timing_runs_both_loops_on_the_same_digits_and_can_be_stopped(network):
    data = load_subset(MNIST_SUBSET)
    images, labels = data.test_images[:300], data.test_labels[:300]
    timing = time_inference(network, images, labels)
    assert timing.one_by_one.correct == timing.batched.correct and timing.batched.total == 300
    assert timing.one_by_one.seconds > 0 and timing.batched.seconds > 0 and timing.batch_size == 100
    assert timing.speedup == timing.one_by_one.seconds / timing.batched.seconds
    assert timing.one_by_one.microseconds_per_digit == pytest.approx(timing.one_by_one.seconds / 300 * 1e6)
    assert time_inference(network, images, labels, stop=lambda: True) is None
    # a last batch shorter than batch_size still counts
    assert batched_accuracy(network, data.test_images[:250], data.test_labels[:250]).total == 250


# --- the source notes' cross-entropy on a batch of 10 ----------------------------------------


def test_cross_entropy_of_a_batch_in_both_forms(network):
    data = load_subset(MNIST_SUBSET)
    rng = np.random.default_rng(0)
    mask = rng.choice(data.train_size, 10)
    loss = batch_cross_entropy(network, data.train_images[mask], data.train_labels[mask])
    assert (loss.y_shape, loss.one_hot_shape, loss.label_shape) == ((10, 10), (10, 10), (10,))
    assert loss.one_hot == pytest.approx(loss.label, abs=1e-6)
    y = book_predict(network.params, normalize(data.train_images[mask], np.float32))
    t = data.train_labels[mask]
    assert loss.label == pytest.approx(-np.sum(np.log(y[np.arange(10), t] + 1e-7)) / 10, rel=1e-5)
    assert loss.label == pytest.approx(cross_entropy_error(y, t), rel=1e-5)
    assert 0 < loss.label < 1  # a trained network: far below ln 10 = 2.30 of a guess


def test_one_confident_mistake_dominates_the_batch_loss(network):
    data = load_subset(MNIST_SUBSET)
    right = batch_cross_entropy(network, data.test_images[:1], data.test_labels[:1])
    assert right.label == pytest.approx(-np.log(0.99706501 + 1e-7), abs=1e-6)
    wrong = data.test_labels[:1].copy()
    wrong[0] = 6  # the network gives 6 about 1.6e-8
    assert batch_cross_entropy(network, data.test_images[:1], wrong).label > 15


# --- strips --------------------------------------------------------------------------------


def test_strip_levels_span_the_range():
    assert strip_levels(np.array([0.0, 0.5, 1.0]), 0, 1).tolist() == [0, 4, 7]
    assert strip_levels(np.array([-2.0, 2.0]), -2, 2, 4).tolist() == [0, 3]
    assert strip_levels(np.array([3.0, 3.0]), 3, 3).tolist() == [0, 0]
    with pytest.raises(ValueError):
        strip_levels(np.array([1.0]), 1, 0)


def test_strips_of_one_digit(network):
    f = network.digit(load_subset(MNIST_SUBSET).test_images[0])
    found = strips(f)
    assert [s.name for s in found] == ["a1", "z1", "a2", "z2", "a3", "y"]
    assert [s.levels.size for s in found] == [50, 50, 100, 100, 10, 10]
    a1, z1 = found[0], found[1]
    assert (a1.low, a1.high) == (float(f.a1.min()), float(f.a1.max()))
    assert a1.levels.min() == 0 and a1.levels.max() == 7
    assert (z1.low, z1.high) == (0.0, 1.0)
    assert found[-1].levels[7] == 7  # y: the 7 at 0.997
    with pytest.raises(ValueError):
        strips(network.forward(np.zeros((2, 784), np.float32)))


# --- the digit picker ----------------------------------------------------------------------


def test_the_picker_steps_round_the_set_and_picks_another_digit_at_random():
    picker = DigitPicker(0, 2000)
    picker.move(-1)
    assert picker.index == 1999
    picker.move(1)
    assert picker.index == 0
    rng = np.random.default_rng(1)
    seen = set()
    for _ in range(50):
        before = picker.index
        picker.pick_random(rng)
        assert picker.index != before and 0 <= picker.index < 2000
        seen.add(picker.index)
    assert len(seen) > 40


def test_the_picker_fits_the_set_found_and_reads_its_state():
    picker = DigitPicker.from_state(Fields({"digit": 5000}))
    assert picker.index == 5000
    with pytest.raises(Refusal) as info:
        picker.fit(2000)
    assert info.value.code == "inference.digit_outside" and info.value.values == {"index": 5000, "count": 2000}
    assert (picker.index, picker.count) == (0, 2000)
    with pytest.raises(Refusal):
        DigitPicker.from_state(Fields({}))  # a document must name its digit
    for bad in (-1, 10_000, 2.5, "7", True):
        with pytest.raises(Refusal):
            DigitPicker.from_state(Fields({"digit": bad}))
