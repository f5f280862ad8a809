"""The playground core: toy data sets, the training loop, the decision grid, overfitting."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.core.labs import playground as playground_module
from nn_tui.core.labs.playground import (
    ACTIVATION_NAMES,
    DATASETS,
    MAX_ITERATIONS,
    OPTIMIZER_NAMES,
    OVERFIT_DATA,
    DataSpec,
    NetSpec,
    Playground,
    grid_centres,
    make_dataset,
    make_split,
    overfit_playground,
    parse_hidden_layers,
    split_data,
)
from nn_tui.core.networks import ACTIVATIONS
from nn_tui.core.optimizers import OPTIMIZERS
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import MAX_ITEMS, Fields


def refused(code: str, **values: object):
    """A context that expects a Refusal with this code and (at least) these values."""
    return _Refused(code, values)


class _Refused:
    def __init__(self, code: str, values: dict[str, object]) -> None:
        self.code, self.values = code, values

    def __enter__(self) -> None:
        self._raises = pytest.raises(Refusal)
        self.info = self._raises.__enter__()

    def __exit__(self, *exc: object) -> bool:
        handled = self._raises.__exit__(*exc)
        refusal = self.info.value
        assert refusal.code == self.code, (refusal.code, refusal.values)
        assert {k: refusal.values.get(k) for k in self.values} == self.values, refusal.values
        return handled

# --- data sets -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DATASETS)
def test_data_sets_are_shaped_right_and_deterministic(name):
    x, y = make_dataset(name, 200, 0.1, seed=3)
    assert x.shape == (200, 2) and x.dtype == np.float64
    assert y.shape == (200,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [100, 100]
    again_x, again_y = make_dataset(name, 200, 0.1, seed=3)
    assert np.array_equal(x, again_x) and np.array_equal(y, again_y)
    other, _ = make_dataset(name, 200, 0.1, seed=4)
    assert not np.array_equal(x, other)


def test_circle_is_a_disc_inside_a_ring():
    x, y = make_dataset("circle", 400, 0.0, seed=0)
    r = np.hypot(x[:, 0], x[:, 1])
    assert r[y == 0].max() <= 0.5 and r[y == 1].min() >= 0.7 and r.max() <= 1.0


def test_xor_labels_are_the_quadrants():
    x, y = make_dataset("xor", 400, 0.0, seed=0)
    # class 1 exactly where x1 > 0 XOR x2 > 0; every quadrant gets points
    assert np.array_equal(y, ((x[:, 0] > 0) != (x[:, 1] > 0)).astype(int))
    quadrants = {(bool(a > 0), bool(b > 0)) for a, b in x}
    assert len(quadrants) == 4
    assert np.abs(x).min() >= 0.05 and np.abs(x).max() <= 1.0


def test_two_spirals_are_each_others_half_turn():
    x, y = make_dataset("spiral", 200, 0.0, seed=0)
    r = np.hypot(x[:, 0], x[:, 1])
    assert 0.05 <= r.min() and r.max() <= 1.0
    # A point of spiral 1 rotated by π lies on spiral 0: same angle-radius relation.
    angle0 = np.arctan2(x[y == 0, 0], x[y == 0, 1]) % (2 * np.pi)
    angle1 = (np.arctan2(x[y == 1, 0], x[y == 1, 1]) - np.pi) % (2 * np.pi)
    for angle, radius in ((angle0, r[y == 0]), (angle1, r[y == 1])):
        expected = (0.05 + 0.95 * (angle / (2 * np.pi)))
        assert np.allclose(radius, expected, atol=1e-12)


def test_gaussian_blobs_up_to_four_classes():
    x, y = make_dataset("gaussian", 400, 0.0, classes=4, seed=0)
    assert np.bincount(y).tolist() == [100] * 4
    means = np.array([x[y == k].mean(axis=0) for k in range(4)])
    assert np.allclose(means, [(-0.5, -0.5), (0.5, 0.5), (-0.5, 0.5), (0.5, -0.5)], atol=0.05)
    # The other sets ignore `classes`.
    assert set(make_dataset("circle", 100, classes=4)[1]) == {0, 1}


def test_noise_spreads_the_points_by_its_standard_deviation():
    clean, _ = make_dataset("circle", 1000, 0.0, seed=5)
    noisy, _ = make_dataset("circle", 1000, 0.3, seed=5)
    assert not np.array_equal(clean, noisy)
    # Same seed, same clean points: the difference is the jitter alone.
    assert np.std(noisy - clean) == pytest.approx(0.3, rel=0.1)


@pytest.mark.parametrize(
    "kwargs, code, values",
    [
        ({"name": "moons"}, "playground.choice", {"setting": "name", "value": "'moons'",
                                                  "options": "circle, xor, spiral, gaussian"}),
        ({"n_points": 10}, "playground.whole", {"setting": "n_points", "value": "10", "low": 50, "high": 1000}),
        ({"n_points": 2000}, "playground.whole", {"setting": "n_points", "low": 50, "high": 1000}),
        ({"n_points": 100.0}, "playground.whole", {"setting": "n_points", "value": "100.0"}),
        ({"noise": -0.1}, "playground.number", {"setting": "noise", "value": "-0.1", "range": "[0, 0.5]"}),
        ({"noise": 0.6}, "playground.number", {"setting": "noise", "range": "[0, 0.5]"}),
        ({"noise": math.nan}, "playground.number", {"setting": "noise", "value": "nan"}),
        ({"classes": 5}, "playground.whole", {"setting": "classes", "value": "5", "low": 2, "high": 4}),
    ],
)
def test_bad_data_arguments_are_refused(kwargs, code, values):
    args = {"name": "gaussian", "n_points": 100, "noise": 0.0, "classes": 2, **kwargs}
    with refused(code, **values):
        make_dataset(args.pop("name"), args.pop("n_points"), args.pop("noise"), **args)


def test_split_keeps_every_point_once():
    x, y = make_dataset("xor", 200, 0.1, seed=1)
    split = split_data(x, y, 0.7, seed=2)
    assert split.x_train.shape == (140, 2) and split.x_test.shape == (60, 2)
    joined = np.concatenate((split.x_train, split.x_test))
    assert sorted(map(tuple, joined)) == sorted(map(tuple, x))
    lookup = {tuple(p): t for p, t in zip(x, y)}
    assert all(lookup[tuple(p)] == t for p, t in zip(split.x_train, split.t_train))
    with refused("playground.number", setting="train_ratio", range="[0.1, 0.9]"):
        split_data(x, y, 1.0)
    with pytest.raises(ValueError, match=r"x must be \(N, 2\)"):
        split_data(x[:, :1], y)


@settings(max_examples=50, deadline=None)
@given(
    name=st.sampled_from(DATASETS),
    n=st.integers(50, 1000),
    noise=st.floats(0, 0.5),
    ratio=st.floats(0.1, 0.9),
    seed=st.integers(0, 2**31),
)
def test_any_valid_spec_gives_a_clean_split(name, n, noise, ratio, seed):
    split = make_split(DataSpec(name, n, noise, ratio, seed=seed))
    assert len(split.t_train) == round(n * ratio) and len(split.t_train) + len(split.t_test) == n
    assert np.isfinite(split.x_train).all() and np.isfinite(split.x_test).all()
    assert set(np.unique(np.concatenate((split.t_train, split.t_test)))) <= {0, 1}


# --- the network spec ------------------------------------------------------------------------


def test_parse_hidden_layers():
    assert parse_hidden_layers("8,8") == (8, 8)
    assert parse_hidden_layers(" 4 , 2 ") == (4, 2)
    assert parse_hidden_layers("16") == (16,)
    assert parse_hidden_layers("3 3 3") == (3, 3, 3)


LAYERS_TEXT = {"layers": 6, "neurons": 64}


@pytest.mark.parametrize(
    "text, code, values",
    [
        ("", "playground.layers_text", {"text": "", **LAYERS_TEXT}),
        ("  ", "playground.layers_text", {"text": "  "}),
        ("8,0", "playground.layer_size", {"size": "0", "low": 1, "high": 64}),
        ("8,x", "playground.layers_text", {"text": "8,x", **LAYERS_TEXT}),
        ("2.5", "playground.layers_text", {"text": "2.5"}),
        ("-3", "playground.layers_text", {"text": "-3"}),
        ("65", "playground.layer_size", {"size": "65", "low": 1, "high": 64}),
        ("1,1,1,1,1,1,1", "playground.layer_count", {"count": 7, "low": 1, "high": 6}),
        (8, "playground.layers_text", {"text": "8"}),
    ],
)
def test_bad_hidden_layers_are_refused(text, code, values):
    with refused(code, **values):
        parse_hidden_layers(text)


@pytest.mark.parametrize(
    "kwargs, code, values",
    [
        ({"lr": 0.0}, "playground.number", {"setting": "lr", "value": "0.0", "range": "(0, 10]"}),
        ({"lr": math.inf}, "playground.number", {"setting": "lr", "value": "inf"}),
        ({"lr": math.nan}, "playground.number", {"setting": "lr", "value": "nan"}),
        ({"lr": "0.1"}, "playground.number", {"setting": "lr", "value": "'0.1'"}),
        ({"l2": -1e-3}, "playground.number", {"setting": "l2", "value": "-0.001", "range": "[0, 1]"}),
        ({"activation": "softplus"}, "playground.choice", {"setting": "activation", "value": "'softplus'",
                                                            "options": "tanh, relu, sigmoid"}),
        ({"optimizer": "lbfgs"}, "playground.choice", {"setting": "optimizer", "options": "sgd, momentum, adam"}),
        ({"hidden": ()}, "playground.layer_count", {"count": 0, "low": 1, "high": 6}),
        ({"hidden": (8, 0)}, "playground.layer_size", {"size": "0", "low": 1, "high": 64}),
    ],
)
def test_bad_network_specs_are_refused(kwargs, code, values):
    with refused(code, **values):
        NetSpec(**kwargs)


def test_the_names_offered_are_the_books_layers_and_optimisers():
    assert set(ACTIVATION_NAMES) <= set(ACTIVATIONS)
    assert set(OPTIMIZER_NAMES) <= set(OPTIMIZERS)
    assert NetSpec(activation="relu").weight_init == "he" and NetSpec().weight_init == "xavier"


# --- training -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["circle", "xor"])
def test_a_small_net_learns_circle_and_xor(name):
    pg = Playground(DataSpec(name, 200, 0.05), NetSpec(hidden=(8,), lr=0.03))
    assert pg.train_accuracy < 0.9
    assert pg.train(300) == 300 and pg.iteration == 300
    assert pg.train_accuracy >= 0.95 and pg.test_accuracy >= 0.9
    assert len(pg.history) == 300 and pg.history.values[-1] < pg.history.values[0]


def test_training_is_deterministic_and_loss_is_the_networks():
    first, second = Playground(), Playground()
    first.train(25)
    second.train(10)
    second.train(15)
    assert first.loss == second.loss and np.array_equal(first.history.values, second.history.values)
    expected = first.network.loss(first.split.x_train, first.split.t_train)
    assert first.loss == expected
    # Accuracy is the share of test points whose largest score is their label.
    scores = first.network.predict(first.split.x_test)
    assert first.test_accuracy == np.mean(scores.argmax(axis=1) == first.split.t_test)


def test_reset_gives_back_the_starting_weights():
    pg = Playground()
    start = {k: v.copy() for k, v in pg.network.params.items()}
    loss0 = pg.loss
    pg.train(20)
    pg.reset()
    assert pg.iteration == 0 and len(pg.history) == 0 and pg.loss == loss0
    assert all(np.array_equal(start[k], v) for k, v in pg.network.params.items())


def test_changing_lr_keeps_the_weights_but_changing_layers_does_not():
    pg = Playground()
    pg.train(10)
    weights = pg.network.params["W1"].copy()
    pg.set_network(lr=0.05, l2=0.001)
    assert pg.iteration == 10 and np.array_equal(pg.network.params["W1"], weights)
    assert pg.optimizer.lr == 0.05 and pg.network.weight_decay_lambda == 0.001
    assert pg.loss == pytest.approx(pg.network.loss(pg.split.x_train, pg.split.t_train))
    pg.set_network(hidden=(3,))
    assert pg.iteration == 0 and pg.network.params["W1"].shape == (2, 3)


def test_bad_changes_change_nothing():
    pg = Playground()
    pg.train(5)
    before = (pg.data, pg.net, pg.iteration, pg.loss)
    with refused("playground.number", setting="lr", value="-1"):
        pg.set_network(lr=-1)
    with refused("playground.number", setting="noise", value="2"):
        pg.set_data(noise=2)
    with refused("playground.choice", setting="name", value="'moons'"):
        pg.set_data(name="moons")
    # A setting that does not exist is a programmer's mistake, not a student's: plain ValueError.
    with pytest.raises(ValueError, match="unknown setting colour; the settings are name, n_points"):
        pg.set_data(colour="red")
    with pytest.raises(ValueError, match="unknown setting momentum"):
        pg.set_network(momentum=0.9)
    with refused("playground.whole", setting="seed", value="'one'", low=0, high=2**32 - 1):
        pg.set_data(seed="one")
    with refused("playground.whole", setting="seed", value="-1"):
        pg.set_network(seed=-1)
    assert (pg.data, pg.net, pg.iteration, pg.loss) == before


def test_new_data_means_a_new_network_and_blobs_get_more_outputs():
    pg = Playground()
    pg.train(5)
    pg.set_data(name="gaussian", classes=3, n_points=90)
    assert pg.iteration == 0 and pg.network.output_size == 3
    assert len(pg.split.t_train) == 45
    pg.train(200)
    assert pg.train_accuracy == 1.0


def test_a_huge_learning_rate_diverges_and_stops():
    # λ·lr = 10: every step multiplies the weights by about -9, until they overflow.
    pg = Playground(DataSpec("spiral"), NetSpec(hidden=(8,), lr=10.0, l2=1.0, optimizer="sgd"))
    done = pg.train(500)
    assert pg.diverged and done < 500 and pg.iteration == done
    assert math.isnan(pg.loss) and math.isnan(pg.train_accuracy) and math.isnan(pg.test_loss)
    # A diverged network refuses to take more steps, and to paint the plane.
    with refused("playground.diverged"):
        pg.train(10)
    with refused("playground.diverged"):
        pg.check_trainable()
    assert pg.iteration == done and pg.train(0) == 0
    assert np.isfinite(pg.history.values).all()
    with refused("playground.diverged"):
        pg.classify(np.zeros(1), np.zeros(1))
    pg.set_network(lr=0.01)  # a diverged network cannot be saved by a smaller lr: start again
    assert not pg.diverged and pg.iteration == 0


def test_bad_iterations_are_refused():
    pg = Playground()
    for bad in (-1, 1.5, True):
        with refused("playground.whole", setting="iterations"):
            pg.train(bad)
    assert pg.train(0) == 0


# --- the decision grid ------------------------------------------------------------------------


def test_grid_centres_top_row_first():
    xs, ys = grid_centres((-1, 1), (-1, 1), 4, 2)
    assert xs[0].tolist() == [-0.75, -0.25, 0.25, 0.75]
    assert ys[:, 0].tolist() == [0.5, -0.5]
    with pytest.raises(ValueError, match="x_range"):
        grid_centres((1, -1), (-1, 1), 4, 2)
    with refused("playground.whole", setting="width"):
        grid_centres((-1, 1), (-1, 1), 0, 2)


def test_decision_grid_matches_the_networks_softmax():
    pg = Playground(DataSpec("circle", 200, 0.0), NetSpec(hidden=(8,), lr=0.03))
    pg.train(300)
    grid = pg.decision_grid((-1.2, 1.2), (-1.2, 1.2), 24, 12)
    assert grid.classes.shape == grid.confidence.shape == (12, 24)
    # The centre is the disc (class 0), the corners the ring side (class 1).
    assert grid.classes[5, 11] == 0 and grid.classes[0, 0] == 1 and grid.classes[11, 23] == 1
    scores = pg.network.predict(np.array([[grid.xs[3, 7], grid.ys[3, 7]]]))
    probs = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    assert grid.classes[3, 7] == probs.argmax()
    assert grid.confidence[3, 7] == pytest.approx(probs.max(), abs=1e-12)
    assert (grid.confidence >= 0.5).all() and (grid.confidence <= 1).all()
    with pytest.raises(ValueError, match="same shape"):
        pg.classify(np.zeros(3), np.zeros(2))


# --- overfitting: the more neurons, the greater the risk ---------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_many_neurons_fit_noisy_spirals_better_and_overfit_more(seed):
    results = {}
    for preset in ("few", "many"):
        pg = overfit_playground(preset)
        pg.set_data(seed=seed)
        pg.train(800)
        results[preset] = (pg.train_accuracy, pg.train_accuracy - pg.test_accuracy)
    (few_train, few_gap), (many_train, many_gap) = results["few"], results["many"]
    assert many_train == 1.0 and many_train >= few_train + 0.1
    assert many_gap >= few_gap + 0.1


def test_overfit_presets():
    few, many = overfit_playground("few"), overfit_playground("many")
    assert few.data == many.data == OVERFIT_DATA and few.data.name == "spiral"
    assert few.net.hidden == (2,) and many.net.hidden == (64, 64)
    with refused("playground.choice", setting="preset", value="'some'", options="few, many"):
        overfit_playground("some")


# --- the iteration limit ---------------------------------------------------------------------------


def test_a_network_stops_at_the_iteration_limit(monkeypatch):
    monkeypatch.setattr(playground_module, "MAX_ITERATIONS", 25)
    pg = Playground()
    assert pg.train(20) == 20 and pg.train(20) == 5 and pg.iteration == 25 and len(pg.history) == 25
    with refused("playground.iteration_limit", most=25):
        pg.check_trainable()
    with refused("playground.iteration_limit", most=25):
        pg.train(1)
    pg.reset()
    assert pg.train(10) == 10
    # A state document holds every loss, and its lists are bounded.
    assert MAX_ITERATIONS <= MAX_ITEMS


# --- the state document ----------------------------------------------------------------------------


def round_trip(pg: Playground) -> Playground:
    """`pg` written as JSON text and read back (strict JSON: a nan would fail here)."""
    return Playground.from_state(Fields(json.loads(json.dumps(pg.to_state(), allow_nan=False))))


def same(a: Playground, b: Playground) -> None:
    assert (a.data, a.net, a.iteration, a.diverged) == (b.data, b.net, b.iteration, b.diverged)
    assert np.array_equal(a.history.values, b.history.values)
    assert (a.loss == b.loss) or (math.isnan(a.loss) and math.isnan(b.loss))
    for key, value in a.network.params.items():
        assert np.array_equal(value, b.network.params[key]), key


@pytest.mark.parametrize("optimizer", OPTIMIZER_NAMES)
def test_a_saved_playground_comes_back_and_goes_on_exactly(optimizer):
    data = DataSpec("gaussian", 120, 0.1, 0.6, classes=3, seed=7)
    pg = Playground(data, NetSpec(hidden=(5, 4), activation="relu", lr=0.05, l2=0.001, optimizer=optimizer, seed=3))
    pg.train(37)
    pg.set_network(lr=0.02)  # the learning rate acts on the running network
    pg.train(13)
    back = round_trip(pg)
    same(back, pg)
    assert back.to_state() == pg.to_state()
    assert back.test_accuracy == pg.test_accuracy and back.test_loss == pg.test_loss
    xs, ys = grid_centres((-1.25, 1.25), (-1.25, 1.25), 30, 12)
    assert all(np.array_equal(p, q) for p, q in zip(back.classify(xs, ys), pg.classify(xs, ys)))
    # The optimiser's moments came back too: both go on to the same numbers.
    pg.train(150)
    back.train(150)
    same(back, pg)


def test_a_fresh_and_a_diverged_playground_come_back():
    fresh = Playground()
    state = fresh.to_state()
    assert state["iteration"] == 0 and state["losses"] == [] and state["moments"] == {}
    same(round_trip(fresh), fresh)
    pg = Playground(DataSpec("spiral"), NetSpec(hidden=(8,), lr=10.0, l2=1.0, optimizer="sgd"))
    pg.train(500)
    assert pg.diverged
    state = pg.to_state()
    assert "weights" not in state and len(state["losses"]) == pg.iteration
    back = round_trip(pg)
    assert back.diverged and back.iteration == pg.iteration and math.isnan(back.loss)
    assert np.array_equal(back.history.values, pg.history.values)
    with refused("playground.diverged"):
        back.train(1)
    back.reset()
    assert back.train(5) == 5


def good_state() -> dict:
    pg = Playground(net=NetSpec(hidden=(3,)))
    pg.train(4)
    return json.loads(json.dumps(pg.to_state()))


def edited(change) -> dict:
    state = good_state()
    change(state)
    return state


@pytest.mark.parametrize(
    "change, code, values",
    [
        (lambda s: s.pop("losses"), "state.missing", {"field": "state.losses"}),
        (lambda s: s["data"].update(noise="0.1"), "state.not_a_number", {"field": "state.data.noise"}),
        (lambda s: s["data"].update(noise=0.7), "state.out_of_range", {"field": "state.data.noise"}),
        (lambda s: s["data"].update(n_points=100.5), "state.not_integer", {"field": "state.data.n_points"}),
        (lambda s: s["data"].update(name="moons"), "state.unknown_choice", {"field": "state.data.name"}),
        (lambda s: s["net"].update(lr=0), "playground.number", {"setting": "lr", "range": "(0, 10]"}),
        (lambda s: s["net"].update(hidden=[3, 0]), "state.out_of_range", {"field": "state.net.hidden[1]"}),
        (lambda s: s["net"].update(hidden=[]), "playground.layer_count", {"count": 0}),
        (lambda s: s["net"].update(hidden=[3] * 7), "state.wrong_length", {"field": "state.net.hidden"}),
        (lambda s: s.update(iteration=5), "state.wrong_length", {"field": "state.losses", "expected": 5}),
        (lambda s: s.update(iteration=-1), "state.out_of_range", {"field": "state.iteration"}),
        (lambda s: s.update(diverged="no"), "state.not_flag", {"field": "state.diverged"}),
        (lambda s: s["losses"].__setitem__(0, None), "state.not_a_number", {"field": "state.losses[0]"}),
        (lambda s: s["weights"]["W1"].pop(), "state.wrong_length", {"field": "state.weights.W1", "expected": 6}),
        (lambda s: s["weights"].pop("b2"), "state.missing", {"field": "state.weights.b2"}),
        (lambda s: s["weights"]["W2"].__setitem__(0, 1e308), "playground.state_not_finite", {}),
        (lambda s: s.pop("moments"), "state.missing", {"field": "state.moments"}),
        (lambda s: s["moments"].pop("m"), "state.missing", {"field": "state.moments.m"}),
        (lambda s: s["moments"]["v"]["b1"].__setitem__(0, -0.5), "state.out_of_range", {"field": "state.moments.v.b1[0]"}),
    ],
)
def test_a_bad_state_is_refused(change, code, values):
    with refused(code, **values):
        Playground.from_state(Fields(edited(change)))


def test_the_core_holds_no_chinese_text():
    source = Path(playground_module.__file__).read_text(encoding="utf-8")
    assert not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", source)
