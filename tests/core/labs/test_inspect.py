"""Looking inside a network: predictions, mistakes, confusion matrix, weight images, histograms."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nn_tui.core.labs.inspect import (
    activation_histograms,
    confusion_matrix,
    histogram,
    init_experiment,
    misclassified,
    per_class_accuracy,
    predictions,
    shrink,
    weight_images,
    worst_confusions,
)
from nn_tui.core.networks import TwoLayerNet
from nn_tui.core.refusal import Refusal


@pytest.fixture
def tiny_net():
    """784 -> 3 ReLU -> 10 in float64 with fixed weights."""
    net = TwoLayerNet(784, 3, 10, seed=1, dtype=np.float64)
    rng = np.random.default_rng(5)
    for key, value in net.params.items():
        value[...] = rng.standard_normal(value.shape) * 0.1
    return net


def test_predictions_are_the_softmax_of_the_scores_batched(tiny_net):
    images = np.random.default_rng(0).integers(0, 256, size=(25, 784), dtype=np.uint8)
    probs, predicted = predictions(tiny_net, images, batch=7)
    p = tiny_net.params
    x = images / 255.0
    scores = np.maximum(x @ p["W1"] + p["b1"], 0) @ p["W2"] + p["b2"]
    expected = np.exp(scores - scores.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(probs, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert predicted.tolist() == np.argmax(scores, axis=1).tolist()
    # Batching changes nothing but the last bit of the sums.
    np.testing.assert_allclose(predictions(tiny_net, images).confidence, probs.max(axis=1), rtol=1e-14)


@pytest.mark.parametrize(
    "images, message",
    [
        (np.zeros((3, 784), dtype=np.float32), "uint8"),
        (np.zeros((784,), dtype=np.uint8), "uint8"),
        (np.zeros((0, 784), dtype=np.uint8), "no images"),
    ],
)
def test_predictions_refuse_images_that_are_not_uint8_rows(tiny_net, images, message):
    with pytest.raises(ValueError, match=message):
        predictions(tiny_net, images)


def test_predictions_refuse_a_diverged_network(tiny_net):
    tiny_net.params["W2"][0, 0] = np.nan
    with pytest.raises(ValueError, match="diverged"):
        predictions(tiny_net, np.full((2, 784), 255, dtype=np.uint8))
    # A student meets this one (looking inside a diverged run): a code the lesson words.
    with pytest.raises(Refusal) as caught:
        predictions(tiny_net, np.full((2, 784), 255, dtype=np.uint8))
    assert caught.value.code == "inspect.diverged"


def test_misclassified_lists_the_most_confident_mistakes_first():
    probs = np.array([
        [0.7, 0.2, 0.1],   # label 0: right
        [0.6, 0.3, 0.1],   # label 1: wrong, confidence 0.6
        [0.1, 0.1, 0.8],   # label 0: wrong, confidence 0.8
        [0.3, 0.6, 0.1],   # label 2: wrong, confidence 0.6 (tie: later index later)
        [0.1, 0.1, 0.8],   # label 2: right
    ])
    assert misclassified(probs, np.array([0, 1, 0, 2, 2])).tolist() == [2, 1, 3]
    assert misclassified(probs, np.array([0, 0, 2, 1, 2])).tolist() == []


def test_misclassified_refuses_labels_that_do_not_fit():
    probs = np.full((2, 3), 1 / 3)
    with pytest.raises(ValueError, match="must match"):
        misclassified(probs, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="classes 0 to 2"):
        misclassified(probs, np.array([0, 3]))
    with pytest.raises(ValueError, match="NaN"):
        misclassified(np.full((2, 3), np.nan), np.array([0, 1]))


def test_confusion_matrix_of_a_hand_example():
    predicted = np.array([0, 1, 1, 2, 2, 2])
    labels = np.array([0, 1, 2, 2, 0, 2])
    matrix = confusion_matrix(predicted, labels, classes=3)
    assert matrix.tolist() == [[1, 0, 1], [0, 1, 0], [0, 1, 2]]
    np.testing.assert_array_equal(per_class_accuracy(matrix), [0.5, 1.0, 2 / 3])
    assert worst_confusions(matrix) == [(0, 2, 1), (2, 1, 1)]
    assert worst_confusions(matrix, 1) == [(0, 2, 1)]


def test_per_class_accuracy_is_nan_for_a_class_without_samples():
    matrix = confusion_matrix(np.array([0, 1, 2]), np.array([0, 0, 1]), classes=3)
    acc = per_class_accuracy(matrix)
    assert acc[0] == 0.5 and acc[1] == 0.0 and np.isnan(acc[2])


@pytest.mark.parametrize(
    "predicted, labels, classes, message",
    [
        (np.array([0, 1]), np.array([0]), 10, "must match"),
        (np.array([0, 10]), np.array([0, 1]), 10, "0 to 9"),
        (np.array([0.0, 1.0]), np.array([0, 1]), 10, "whole class numbers"),
        (np.array([0, 1]), np.array([0, 1]), 1, "classes"),
    ],
)
def test_confusion_matrix_refuses_bad_arguments(predicted, labels, classes, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(predicted, labels, classes)


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_confusion_matrix_counts_every_sample_once(data):
    n = data.draw(st.integers(0, 60))
    predicted = data.draw(arrays(np.int64, n, elements=st.integers(0, 9)))
    labels = data.draw(arrays(np.int64, n, elements=st.integers(0, 9)))
    matrix = confusion_matrix(predicted, labels)
    assert matrix.shape == (10, 10)
    assert matrix.sum() == n
    assert np.trace(matrix) == np.count_nonzero(predicted == labels)
    assert matrix.sum(axis=1).tolist() == np.bincount(labels, minlength=10).tolist()


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_misclassified_is_exactly_where_the_prediction_is_wrong(data):
    n = data.draw(st.integers(1, 40))
    scores = data.draw(arrays(np.float64, (n, 4), elements=st.floats(-5, 5)))
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    labels = data.draw(arrays(np.int64, n, elements=st.integers(0, 3)))
    wrong = misclassified(probs, labels)
    assert sorted(wrong.tolist()) == np.flatnonzero(np.argmax(probs, axis=1) != labels).tolist()
    confidence = probs.max(axis=1)[wrong]
    assert (np.diff(confidence) <= 0).all()


def test_weight_images_scale_each_unit_to_its_largest_weight_keeping_the_sign():
    W1 = np.zeros((784, 4))
    W1[:, 1] = np.linspace(-2.0, 1.0, 784)
    W1[0, 3] = 0.5
    images = weight_images(W1, [1, 2, 3])
    assert images.shape == (3, 28, 28)
    assert images[0, 0, 0] == -1.0 and images[0, 27, 27] == 0.5
    np.testing.assert_array_equal(images[0].ravel(), W1[:, 1] / 2.0)
    assert not images[1].any()  # an all-zero unit stays zero
    assert images[2, 0, 0] == 1.0 and np.count_nonzero(images[2]) == 1
    # By the 99th percentile: the 8 largest |w| of 784 are clipped to ±1.
    W1[:, 0] = np.arange(784) / 783
    robust = weight_images(W1, [0], percentile=99)[0].ravel()
    scale = np.percentile(np.arange(784) / 783, 99)
    assert robust[:776].tolist() == (np.arange(776) / 783 / scale).tolist()
    assert robust[776:].tolist() == [1.0] * 8


@pytest.mark.parametrize(
    "W1, units, message",
    [
        (np.zeros((100, 4)), [0], "784"),
        (np.zeros((784, 4)), [4], "units 0 to 3"),
        (np.zeros((784, 4)), [-1], "units 0 to 3"),
        (np.zeros((784, 4)), [], "at least one"),
        (np.full((784, 4), np.inf), [0], "infinite"),
    ],
)
def test_weight_images_refuse_bad_arguments(W1, units, message):
    with pytest.raises(ValueError, match=message):
        weight_images(W1, units)
    with pytest.raises(ValueError, match="percentile"):
        weight_images(np.ones((784, 2)), [0], percentile=0)


def test_shrink_averages_blocks():
    image = np.arange(16.0).reshape(4, 4)
    assert shrink(image, 2).tolist() == [[2.5, 4.5], [10.5, 12.5]]
    assert shrink(np.zeros((28, 28))).shape == (14, 14)
    with pytest.raises(ValueError, match="3x3"):
        shrink(image, 3)


def test_histogram_counts_bins_zeros_and_values_out_of_range():
    h = histogram(np.array([0.0, 0.0, 0.1, 0.5, 0.99, 1.0, 1.5]), (0.0, 1.0), bins=2, zeros_apart=True)
    assert h.counts.tolist() == [1, 3] and h.zeros == 2 and h.above == 1 and h.below == 0
    assert h.total == 7 and h.edges.tolist() == [0.0, 0.5, 1.0]
    assert h.fractions.tolist() == [1 / 7, 3 / 7]
    kept = histogram(np.array([-0.5, 0.0, 0.2]), (0.0, 1.0), bins=5)
    assert kept.counts.tolist() == [1, 1, 0, 0, 0] and kept.below == 1 and kept.zeros == 0
    with pytest.raises(ValueError, match="low < high"):
        histogram(np.ones(3), (1.0, 1.0))
    with pytest.raises(ValueError, match="NaN"):
        histogram(np.array([np.nan]), (0.0, 1.0))


def test_activation_histograms_of_a_network_use_its_activation_and_range(tiny_net):
    images = np.random.default_rng(0).integers(0, 256, size=(50, 784), dtype=np.uint8)
    [h] = activation_histograms(tiny_net, images, bins=4)
    hidden = np.maximum(images / 255.0 @ tiny_net.params["W1"] + tiny_net.params["b1"], 0)
    assert h.total == hidden.size and h.zeros == np.count_nonzero(hidden == 0)
    assert h.edges[0] == 0.0 and h.edges[-1] == pytest.approx(hidden.max(), rel=1e-12)
    assert h.counts.sum() + h.zeros == hidden.size and h.above == 0


def test_activation_histograms_of_given_arrays_need_a_known_activation():
    layers = [np.array([[0.1, 0.9]]), np.array([[0.5, 0.5]])]
    first, second = activation_histograms(layers, activation="sigmoid", bins=2)
    assert first.counts.tolist() == [1, 1] and second.counts.tolist() == [0, 2]
    with pytest.raises(ValueError, match="unknown activation"):
        activation_histograms(layers, activation="softplus")
    with pytest.raises(ValueError, match="only used with a network"):
        activation_histograms(layers, np.zeros((1, 784)), activation="sigmoid")


def _middle(h):
    return h.fractions[3:7].sum()


def test_init_experiment_sigmoid_with_std_1_piles_up_at_0_and_1():
    layers = init_experiment("sigmoid", "std:1", seed=0)
    assert len(layers) == 5
    for h in layers:
        assert h.total == 1000 * 100
        assert h.fractions[0] > 0.3 and h.fractions[-1] > 0.3
        assert h.fractions[0] + h.fractions[-1] > 0.7


def test_init_experiment_sigmoid_with_std_001_is_all_near_one_half():
    first, *deeper = init_experiment("sigmoid", "std:0.01", seed=0)
    assert first.counts[4] + first.counts[5] > 0.999 * first.total
    for h in deeper:
        assert h.counts[4] + h.counts[5] == h.total  # every value in [0.4, 0.6]


def test_init_experiment_sigmoid_with_xavier_is_spread_out():
    for h in init_experiment("sigmoid", "xavier", seed=0):
        assert h.fractions.max() < 0.4
        assert np.count_nonzero(h.fractions > 0.04) >= 5
        assert h.fractions[0] + h.fractions[-1] < 0.05


def test_init_experiment_relu_with_he_keeps_every_layer_alike_and_01_collapses():
    he = init_experiment("relu", "he", seed=0)
    for h in he:
        assert 0.4 < h.zeros / h.total < 0.6  # ReLU turns about half off
        assert h.fractions.max() < 0.05 and h.counts.min() > 0  # spread over the whole range
    tiny = init_experiment("relu", "std:0.01", seed=0)
    for h in tiny[1:]:
        assert h.counts[1:].sum() == 0  # everything that is not 0 is below 0.1
    xavier = init_experiment("relu", "xavier", seed=0)
    # With Xavier the ReLU activations shrink toward 0 layer after layer.
    assert [round(float(h.fractions[0]), 2) for h in xavier] == sorted(
        round(float(h.fractions[0]), 2) for h in xavier)
    assert xavier[-1].fractions[0] > 2 * xavier[0].fractions[0]


def test_init_experiment_is_deterministic_with_a_seed():
    a = init_experiment("tanh", "xavier", seed=3)
    b = init_experiment("tanh", "xavier", seed=3)
    c = init_experiment("tanh", "xavier", seed=4)
    assert all((x.counts == y.counts).all() for x, y in zip(a, b))
    assert any((x.counts != z.counts).any() for x, z in zip(a, c))
    assert a[0].edges[0] == -1.0 and a[0].edges[-1] == 1.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"activation": "step", "init": "he"}, "unknown activation"),
        ({"activation": "relu", "init": "lecun"}, "unknown weight init"),
        ({"activation": "relu", "init": "he", "layers": 0}, "layers"),
        ({"activation": "relu", "init": "he", "samples": 10**9}, "samples"),
    ],
)
def test_init_experiment_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        init_experiment(**kwargs)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.integers(1, 200), elements=st.floats(-3, 3)), st.integers(1, 12), st.booleans())
def test_histogram_accounts_for_every_value(values, bins, zeros_apart):
    h = histogram(values, (-1.0, 2.0), bins, zeros_apart=zeros_apart)
    assert h.counts.sum() + h.zeros + h.below + h.above == h.total == values.size
    assert h.zeros == (np.count_nonzero(values == 0) if zeros_apart else 0)
