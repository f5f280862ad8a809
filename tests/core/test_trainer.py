"""The mini-batch trainer: config checks, epochs, determinism, divergence, pause, CSV."""

from __future__ import annotations

import csv
import json
import math
import os
import stat
from types import SimpleNamespace

import numpy as np
import pytest

from nn_tui.tui.threads import blas_threads, set_blas_threads
from nn_tui.assets import MNIST_SUBSET
from nn_tui.core.data.mnist import load_mnist, normalize
from nn_tui.core.layers import BATCH_MEMORY
from nn_tui.core.presets import PRESETS, get_preset
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields
from nn_tui.core.trainer import (
    CSV_COLUMNS,
    DIVERGENCE_FACTOR,
    DivergedEvent,
    EpochEvent,
    FinishedEvent,
    IterationEvent,
    TrainConfig,
    Trainer,
)


@pytest.fixture(autouse=True)
def one_blas_thread():
    """One BLAS thread, as `nn-tui train` uses: on 2 shared cores (pytest-xdist,
    other jobs) OpenBLAS's second thread makes training 10x slower, not faster."""
    before = blas_threads()
    if before is not None:
        set_blas_threads(1)
    yield
    if before is not None:
        set_blas_threads(before)


def toy_data(n_train: int = 250, n_test: int = 60, d: int = 20, seed: int = 0):
    """uint8 'images' whose label (0..9) is which tenth of the pixel sum they fall in."""
    rng = np.random.default_rng(seed)

    def split(n):
        images = rng.integers(0, 256, (n, d), dtype=np.uint8)
        score = images[:, : d // 2].astype(int).sum(1) - images[:, d // 2:].astype(int).sum(1)
        labels = np.digitize(score, np.quantile(score, np.linspace(0, 1, 11)[1:-1])).astype(np.uint8)
        return images, labels

    (xtr, ttr), (xte, tte) = split(n_train), split(n_test)
    return SimpleNamespace(train_images=xtr, train_labels=ttr, test_images=xte,
                           test_labels=tte, name="toy")


SMALL = TrainConfig(hidden_sizes=(16,), optimizer="adam", lr=0.01, batch_size=100, epochs=2)


# -- TrainConfig -------------------------------------------------------------------

@pytest.mark.parametrize("changes, message", [
    ({"lr": 0}, r"learning rate lr must be a finite number in \(0, inf\]"),
    ({"lr": -0.1}, "learning rate lr must be a finite number"),
    ({"lr": float("nan")}, "learning rate lr must be a finite number"),
    ({"lr": float("inf")}, "learning rate lr must be a finite number"),
    ({"lr": "0.1"}, "learning rate lr must be a number"),
    ({"batch_size": 0}, "batch_size must be a whole number from 1"),
    ({"batch_size": 10.5}, "batch_size must be a whole number"),
    ({"epochs": 0}, "epochs must be a whole number from 1"),
    ({"iterations": 0}, "iterations must be a whole number from 1"),
    ({"hidden_sizes": ()}, "at least one hidden layer"),
    ({"hidden_sizes": (10, -1)}, "every hidden layer size"),
    ({"hidden_sizes": "100"}, "hidden_sizes must be a list"),
    ({"activation": "swish"}, "unknown activation 'swish'"),
    ({"weight_init": "glorot"}, "unknown weight init"),
    ({"weight_decay": -0.1}, "weight_decay must be a finite number"),
    ({"dropout": 1.0}, r"dropout must be a finite number in \[0, 1\)"),
    ({"optimizer": "lbfgs"}, "unknown optimizer 'lbfgs'; choose one of sgd, momentum"),
    ({"seed": -1}, "seed must be a whole number from 0"),
    ({"dtype": "float16"}, "dtype must be float32 or float64"),
    ({"train_size": 0}, "train_size must be a whole number from 1"),
    ({"eval_test_samples": 0}, "eval_test_samples must be a whole number from 1"),
    ({"batchnorm": "yes"}, "batchnorm must be True or False"),
    ({"nonsense": 1}, "TrainConfig has no field nonsense"),
])
def test_config_rejects_bad_values(changes, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig().replace(**changes)


def test_config_normalises_names_and_sizes():
    cfg = TrainConfig(hidden_sizes=[50, 20], activation="ReLU", optimizer=" Adam ", dtype=np.float64)
    assert cfg.hidden_sizes == (50, 20)
    assert (cfg.activation, cfg.optimizer, cfg.dtype) == ("relu", "adam", "float64")
    assert TrainConfig(hidden_sizes=30).hidden_sizes == (30,)
    assert cfg.to_dict()["hidden_sizes"] == [50, 20]


def test_trainer_rejects_data_that_does_not_fit_the_config():
    data = toy_data()
    with pytest.raises(ValueError, match="batch_size 300 is larger than the 250 training samples"):
        Trainer(SMALL.replace(batch_size=300), data)
    with pytest.raises(ValueError, match="train_size 1,000 is more than the 250 training samples of toy"):
        Trainer(SMALL.replace(train_size=1000), data)
    bad = SimpleNamespace(**{**vars(data), "train_labels": data.train_labels + 10})
    with pytest.raises(ValueError, match=r"train_labels must be 0\.\.9"):
        Trainer(SMALL, bad)
    nan = SimpleNamespace(**{**vars(data), "test_images": np.full((3, 20), np.nan)})
    with pytest.raises(ValueError, match="test_images contains NaN"):
        Trainer(SMALL, nan)
    with pytest.raises(ValueError, match="the data has no train_images"):
        Trainer(SMALL, object())


# -- epochs and events -----------------------------------------------------------------

def test_an_epoch_is_ceil_n_over_batch_size_iterations():
    trainer = Trainer(SMALL, toy_data(n_train=250))  # 3 batches: 100, 100, 50
    assert trainer.iter_per_epoch == 3 and trainer.max_iter == 6
    kinds = [[type(e).__name__ for e in trainer.step()] for _ in range(6)]
    assert kinds == [
        ["IterationEvent"], ["IterationEvent"], ["IterationEvent", "EpochEvent"],
        ["IterationEvent"], ["IterationEvent"], ["IterationEvent", "EpochEvent", "FinishedEvent"],
    ]
    assert trainer.step() == []  # finished: nothing more to do
    assert [e.epoch for e in trainer.epoch_events] == [1, 2]
    assert [e.iteration for e in trainer.epoch_events] == [3, 6]


def test_each_epoch_visits_every_training_sample_once(monkeypatch):
    trainer = Trainer(SMALL.replace(batch_size=40), toy_data(n_train=250))
    seen = []
    original = trainer.network.gradient

    def spy(x, t, validate=True):
        seen.append(x.copy())
        return original(x, t, validate=validate)

    monkeypatch.setattr(trainer.network, "gradient", spy)
    for _ in range(trainer.iter_per_epoch):
        trainer.step()
    rows = np.concatenate(seen)
    assert [len(b) for b in seen] == [40] * 6 + [10]
    expected = normalize(trainer.x_train)
    # same multiset of rows: sort both lexicographically
    order = lambda a: a[np.lexsort(a.T[::-1])]  # noqa: E731
    np.testing.assert_array_equal(order(rows), order(expected))


def test_iterations_replace_epochs_and_the_last_partial_epoch_is_evaluated():
    trainer = Trainer(SMALL.replace(iterations=7), toy_data(n_train=250))
    final = trainer.run()
    assert isinstance(final, FinishedEvent) and final.reason == "done"
    assert trainer.iteration == 7 and final.iterations == 7
    assert [(e.epoch, e.iteration) for e in trainer.epoch_events] == [(1, 3), (2, 6), (3, 7)]
    assert final.epochs_completed == 2


def test_event_fields():
    trainer = Trainer(SMALL, toy_data())
    events = []
    final = trainer.run(events.append)
    its = [e for e in events if isinstance(e, IterationEvent)]
    assert [e.iteration for e in its] == list(range(1, 7))
    assert [e.epoch for e in its] == [1, 1, 1, 2, 2, 2]
    assert all(e.samples_per_second > 0 and e.elapsed > 0 for e in its)
    assert all(b.elapsed >= a.elapsed for a, b in zip(its, its[1:]))
    epochs = [e for e in events if isinstance(e, EpochEvent)]
    assert epochs[0].mean_loss == pytest.approx(np.mean(trainer.loss_history[:3]), rel=1e-6)
    assert epochs[0].train_samples == 250 and epochs[0].test_samples == 60
    assert events[-1] is final and final.test_acc == epochs[-1].test_acc
    with pytest.raises(Exception):
        its[0].loss = 0.0  # events are frozen


def test_evaluation_sample_sizes_are_bounded():
    trainer = Trainer(SMALL.replace(eval_train_samples=100, eval_test_samples=30), toy_data())
    trainer.run()
    event = trainer.epoch_events[-1]
    assert (event.train_samples, event.test_samples) == (100, 30)
    assert event.test_acc == trainer.evaluate("test", 30)
    assert event.train_acc == trainer.evaluate("train", 100)


def test_evaluate_matches_the_networks_own_accuracy():
    data = toy_data()
    trainer = Trainer(SMALL, data)
    trainer.run()
    assert trainer.evaluate("test") == trainer.network.accuracy(normalize(data.test_images),
                                                                 data.test_labels)
    with pytest.raises(ValueError, match="which must be 'train' or 'test'"):
        trainer.evaluate("validation")


# -- determinism --------------------------------------------------------------------------

def test_same_seed_gives_identical_losses():
    cfg = SMALL.replace(dropout=0.2, epochs=3, seed=5)
    a, b = Trainer(cfg, toy_data()), Trainer(cfg, toy_data())
    a.run()
    b.run()
    np.testing.assert_array_equal(a.loss_history, b.loss_history)
    for key in a.network.params:
        np.testing.assert_array_equal(a.network.params[key], b.network.params[key])
    c = Trainer(cfg.replace(seed=6), toy_data())
    c.run()
    assert not np.array_equal(a.loss_history, c.loss_history)


def test_uint8_and_prenormalised_float_data_train_identically():
    data = toy_data()
    floats = SimpleNamespace(**{**vars(data), "train_images": normalize(data.train_images),
                                "test_images": normalize(data.test_images)})
    a, b = Trainer(SMALL, data), Trainer(SMALL, floats)
    a.run()
    b.run()
    np.testing.assert_array_equal(a.loss_history, b.loss_history)


# -- pause / single step / stop ---------------------------------------------------------------

def test_pause_is_not_calling_step_and_resume_continues_exactly():
    cfg = SMALL.replace(epochs=4)
    straight = Trainer(cfg, toy_data())
    straight.run()

    paused = Trainer(cfg, toy_data())
    calls = iter(range(100))
    assert paused.run(should_stop=lambda: next(calls) >= 5) is None  # paused after 5 steps
    assert paused.iteration == 5 and paused.finished is None
    assert [type(e) for e in paused.step()] == [IterationEvent, EpochEvent]  # single step: #6
    final = paused.run()  # resume
    assert final.reason == "done"
    np.testing.assert_array_equal(paused.loss_history, straight.loss_history)


def test_stop_ends_the_run():
    trainer = Trainer(SMALL, toy_data())
    trainer.step()
    final = trainer.stop()
    assert final.reason == "stopped" and final.iterations == 1
    assert trainer.step() == [] and trainer.run() is final


# -- divergence -----------------------------------------------------------------------------

def test_a_huge_learning_rate_is_detected_and_explained():
    trainer = Trainer(SMALL.replace(optimizer="sgd", lr=1e3, epochs=50), toy_data())
    for _ in range(10):
        before = {k: v.copy() for k, v in trainer.network.params.items()}
        events = trainer.step()
        if isinstance(events[0], DivergedEvent):
            break
    diverged, finished = events
    assert isinstance(diverged, DivergedEvent)
    assert diverged.iteration == trainer.iteration + 1 <= 3
    assert diverged.loss > DIVERGENCE_FACTOR * trainer.loss_history[0]
    assert f"exploded to" in diverged.message
    assert (f"at iteration {diverged.iteration}: the learning rate 1000 is too large for sgd "
            "(try 100 or less)") in diverged.message
    assert finished.reason == "diverged" and trainer.diverged is diverged
    assert trainer.step() == []
    # the bad step's update was not applied
    for key, value in trainer.network.params.items():
        np.testing.assert_array_equal(value, before[key])
    assert np.isfinite(trainer.loss_history).all()


def test_a_nan_loss_is_detected():
    # Weights of std 1e20 overflow float32 in the second layer: inf - inf = NaN.
    trainer = Trainer(SMALL.replace(weight_init=1e20), toy_data())
    with np.errstate(all="raise"):  # the trainer silences the overflow itself
        diverged, finished = trainer.step()
    assert math.isnan(diverged.loss) and diverged.iteration == 1
    assert diverged.message.startswith("the loss became NaN (not a number) before the first step")
    assert trainer.iteration == 0 and finished.iterations == 0


def test_a_sensible_run_does_not_diverge():
    trainer = Trainer(SMALL.replace(epochs=5), toy_data())
    assert trainer.run().reason == "done" and trainer.diverged is None


# -- history, CSV, dtypes -------------------------------------------------------------------------

def test_loss_history_grows_past_its_first_buffer():
    trainer = Trainer(SMALL.replace(batch_size=1, iterations=1500, optimizer="sgd", lr=0.01),
                      toy_data())
    trainer.run()
    history = trainer.loss_history
    assert history.shape == (1500,) and history.dtype == np.float32
    assert np.isfinite(history).all()
    with pytest.raises(ValueError):
        history[0] = 1.0  # read-only view


def test_export_csv(tmp_path):
    trainer = Trainer(SMALL.replace(iterations=5), toy_data())
    trainer.run()
    path = tmp_path / "metrics.csv"
    trainer.export_csv(path)
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == CSV_COLUMNS == ("iteration", "epoch", "loss", "train_acc", "test_acc")
    body = rows[1:]
    assert [r[0] for r in body] == ["1", "2", "3", "4", "5"]
    assert [r[1] for r in body] == ["1", "1", "1", "2", "2"]
    np.testing.assert_array_equal([np.float32(r[2]) for r in body], trainer.loss_history)
    assert [bool(r[3]) for r in body] == [False, False, True, False, True]
    assert float(body[2][4]) == trainer.epoch_events[0].test_acc
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_float32_everywhere_after_training_steps():
    trainer = Trainer(SMALL.replace(batchnorm=True, dropout=0.1, weight_decay=1e-3), toy_data())
    trainer.step()
    trainer.step()
    net = trainer.network
    assert all(v.dtype == np.float32 for v in net.state().values())
    assert all(v.dtype == np.float32 for v in trainer.optimizer.m.values())
    assert trainer._batch.dtype == np.float32


def test_float64_runs_are_float64():
    trainer = Trainer(SMALL.replace(dtype="float64"), toy_data())
    trainer.step()
    assert all(v.dtype == np.float64 for v in trainer.network.state().values())


# -- presets and real data ------------------------------------------------------------------------

def test_presets_are_valid_and_named():
    assert {"quick", "book-two-layer", "best", "overfit-300", "overfit-300-decay",
            "overfit-300-dropout"} <= set(PRESETS)
    book = get_preset("book-two-layer").config
    assert (book.hidden_sizes, book.lr, book.batch_size, book.iterations, book.optimizer) == \
        ((50,), 0.1, 100, 10_000, "sgd")
    overfit = get_preset("overfit-300").config
    assert overfit.train_size == 300 and overfit.hidden_sizes == (100,) * 6
    assert get_preset("overfit-300-decay").config.weight_decay == 0.1
    with pytest.raises(ValueError, match="unknown preset 'fast'; choose one of quick"):
        get_preset("fast")


def test_quick_preset_learns_the_offline_subset():
    data = load_mnist(MNIST_SUBSET)
    trainer = Trainer(get_preset("quick").config.replace(epochs=5), data)
    final = trainer.run()
    assert final.reason == "done"
    assert final.test_acc > 0.85, final
    assert trainer.loss_history[-10:].mean() < trainer.loss_history[:10].mean() / 3


@pytest.mark.slow
def test_books_two_layer_net_on_full_mnist(mnist_dir):
    data = load_mnist(mnist_dir)
    cfg = get_preset("book-two-layer").config.replace(eval_train_samples=1000)
    trainer = Trainer(cfg, data)
    final = trainer.run()
    assert final.iterations == 10_000
    assert trainer.evaluate("test") >= 0.965, final


def test_training_can_continue_with_a_given_network():
    first = Trainer(SMALL, toy_data())
    first.run()
    weights = first.network.params["W1"].copy()
    more = Trainer(SMALL.replace(epochs=1), toy_data(), network=first.network)
    assert more.network is first.network
    more.run()
    assert not np.array_equal(first.network.params["W1"], weights)
    from nn_tui.core.networks import MultiLayerNet

    wide = MultiLayerNet(30, [8], 10, seed=0, dtype=np.float64)
    with pytest.raises(ValueError, match="the network takes 30 inputs and gives 10 classes; "
                                         "the data needs 20 and 10"):
        Trainer(SMALL, toy_data(), network=wide)
    f64 = MultiLayerNet(20, [8], 10, seed=0, dtype=np.float64)
    trainer = Trainer(SMALL, toy_data(), network=f64)  # config says float32: the network wins
    trainer.step()
    assert trainer.network.params["W1"].dtype == np.float64


# -- refusals a lesson words, and the config as a state document ------------------------------

@pytest.mark.parametrize("changes, code, values", [
    ({"lr": 0}, "train.lr", {"value": "0", "low": "0"}),
    ({"lr": float("nan")}, "train.lr", {"value": "nan"}),
    ({"hidden_sizes": (10, 200_000)}, "train.hidden_size", {"value": "200,000", "low": "1", "high": "100,000"}),
    ({"hidden_sizes": ()}, "train.hidden_sizes", {}),
    ({"dropout": 1.0}, "train.dropout", {"value": "1", "high": "1"}),
    ({"batch_size": 0}, "train.batch_size", {"value": "0"}),
    ({"activation": "swish"}, "train.activation", {"value": "swish"}),
    ({"weight_init": "glorot"}, "train.weight_init", {"value": "glorot"}),
    ({"dtype": "float16"}, "train.dtype", {"value": "float16"}),
])
def test_a_refused_setting_has_a_code_and_its_numbers_and_english_for_developers(changes, code, values):
    with pytest.raises(Refusal) as caught:
        TrainConfig().replace(**changes)
    assert caught.value.code == code
    assert values.items() <= caught.value.values.items()
    assert " " in str(caught.value)  # the developers' sentence, not the bare code


def test_the_trainer_refuses_data_that_does_not_fit_with_codes():
    with pytest.raises(Refusal) as caught:
        Trainer(SMALL.replace(batch_size=300), toy_data())
    assert (caught.value.code, caught.value.values) == ("trainer.batch_too_large", {"batch": "300", "samples": "250"})
    with pytest.raises(Refusal) as caught:
        Trainer(SMALL.replace(train_size=1000), toy_data())
    assert caught.value.code == "trainer.train_size_too_large" and caught.value.values["samples"] == "250"
    from nn_tui.core.networks import MultiLayerNet

    with pytest.raises(Refusal) as caught:
        Trainer(SMALL, toy_data(), network=MultiLayerNet(30, [8], 10, seed=0))
    assert caught.value.code == "trainer.network_mismatch"
    assert caught.value.values == {"inputs": 30, "classes": 10, "data_inputs": 20, "data_classes": 10}


def test_a_divergence_is_a_code_with_the_numbers_the_message_uses():
    trainer = Trainer(SMALL.replace(optimizer="sgd", lr=1e3, epochs=50), toy_data())
    trainer.run()
    diverged = trainer.diverged
    assert diverged is not None and diverged.cause == "exploded"
    refusal = diverged.refusal
    assert refusal.code == "trainer.diverged_exploded"
    assert refusal.values["lr"] == "1000" and refusal.values["smaller"] == "100"
    assert refusal.values["optimizer"] == "sgd" and refusal.values["iteration"] == f"{diverged.iteration:,}"
    assert f"exploded to {refusal.values['loss']} (it started at {refusal.values['start']})" in diverged.message
    # Its state document gives the same event back.
    again = DivergedEvent.from_state(Fields(json.loads(json.dumps(diverged.to_state()))))
    assert again == diverged

    nan = Trainer(SMALL.replace(weight_init=1e20), toy_data())
    nan.step()
    assert nan.diverged.cause == "nan" and nan.diverged.refusal.code == "trainer.diverged_nan_at_start"
    document = json.loads(json.dumps(nan.diverged.to_state(), allow_nan=False))
    assert document["loss"] is None
    again = DivergedEvent.from_state(Fields(document))
    assert math.isnan(again.loss) and again.message == nan.diverged.message


@pytest.mark.parametrize("config", [
    *[preset.config for preset in PRESETS.values()],
    TrainConfig(hidden_sizes=(64, 32), weight_init=0.05, dropout=0.5, batchnorm=True, optimizer="rmsprop",
                lr=0.002, seed=None, dtype="float64", eval_test_samples=500, train_size=1234),
], ids=[*PRESETS, "custom"])
def test_a_config_comes_back_from_its_state_document(config):
    document = json.loads(json.dumps(config.to_state(), allow_nan=False))
    assert TrainConfig.from_state(Fields(document)) == config


@pytest.mark.parametrize("change, code", [
    ({"lr": "abc"}, "state.not_a_number"),
    ({"lr": 0}, "train.lr"),
    ({"epochs": 2.5}, "state.not_integer"),
    ({"hidden_sizes": []}, "train.hidden_sizes"),
    ({"hidden_sizes": [100, 0]}, "state.out_of_range"),
    ({"activation": "gelu"}, "state.unknown_choice"),
    ({"batchnorm": "yes"}, "state.not_flag"),
    ({"iterations": "many"}, "state.not_integer"),
    ({"weight_init": [1]}, "state.not_text"),
    ({"weight_init": "glorot"}, "train.weight_init"),
    ({"dropout": 1.0}, "train.dropout"),
])
def test_a_bad_config_document_is_refused_with_a_code(change, code):
    document = {**TrainConfig().to_state(), **change}
    with pytest.raises(Refusal) as caught:
        TrainConfig.from_state(Fields(document))
    assert caught.value.code == code


def test_every_field_of_a_config_document_is_required():
    for name in TrainConfig().to_state():
        document = {k: v for k, v in TrainConfig().to_state().items() if k != name}
        with pytest.raises(Refusal) as caught:
            TrainConfig.from_state(Fields(document))
        assert caught.value.code == "state.missing", name


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_export_csv_refuses_to_replace_a_fifo(tmp_path):
    trainer = Trainer(SMALL.replace(iterations=2), toy_data())
    trainer.run()
    path = tmp_path / "metrics.csv"
    os.mkfifo(path)
    with pytest.raises(Refusal) as caught:
        trainer.export_csv(path)
    assert caught.value.code == "trainer.export_not_file"
    assert caught.value.values == {"path": str(path), "kind": "special"}
    assert stat.S_ISFIFO(os.lstat(path).st_mode)
    assert list(tmp_path.iterdir()) == [path]


def test_export_csv_refuses_to_replace_a_folder(tmp_path):
    trainer = Trainer(SMALL.replace(iterations=2), toy_data())
    trainer.run()
    path = tmp_path / "metrics.csv"
    path.mkdir()
    with pytest.raises(Refusal) as caught:
        trainer.export_csv(path)
    assert caught.value.code == "trainer.export_not_file"
    assert caught.value.values["kind"] == "folder"
    assert path.is_dir() and list(tmp_path.iterdir()) == [path]


def test_a_loss_too_large_before_any_step_blames_the_starting_network_not_the_learning_rate():
    huge_init = Trainer(SMALL.replace(weight_init=1e20), toy_data())
    huge_init.step()
    event = huge_init.diverged
    assert event.at_start and event.iteration == 1
    assert "learning rate is not the cause" in event.message and "1e+20" in event.message
    assert event.refusal.values["weight_init"] == "1e+20" and "lr" not in event.refusal.values
    decay = Trainer(SMALL.replace(weight_decay=1e308), toy_data())
    decay.step()
    assert decay.diverged.at_start and decay.diverged.refusal.values["weight_decay"] == "1e+308"
    again = DivergedEvent.from_state(Fields(json.loads(json.dumps(decay.diverged.to_state(), allow_nan=False))))
    assert again == decay.diverged
    later = Trainer(SMALL.replace(optimizer="sgd", lr=1e3, epochs=50), toy_data())
    later.run()
    assert not later.diverged.at_start and "learning rate 1000 is too large" in later.diverged.message


def test_initial_weights_that_overflow_are_refused_in_words_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would fail the test
        with pytest.raises(Refusal) as caught:
            Trainer(SMALL.replace(weight_init=1e308), toy_data())
    assert caught.value.code == "network.init_overflow" and caught.value.values["dtype"] == "float32"
    assert str(caught.value).startswith("initial weights with std 1e+308 overflow float32")


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_a_copy_trains_on_exactly_as_the_original_would(optimizer):
    """The teacher's snapshot of lesson 6: a copy trained one batch equals the original trained one batch."""
    cfg = SMALL.replace(optimizer=optimizer, dropout=0.3, batch_size=30, epochs=3)
    original = Trainer(cfg, toy_data())
    for _ in range(8):  # the epoch's end is at 9: the copy's first batch is its last (the order, an evaluation)
        original.step()
    twin = original.copy()
    twin_events, original_events = twin.step(), original.step()
    assert [type(e) for e in twin_events] == [IterationEvent, EpochEvent]
    assert [(e.loss, e.iteration) for e in twin_events[:1]] == [(e.loss, e.iteration) for e in original_events[:1]]
    assert twin_events[1].test_acc == original_events[1].test_acc
    for _ in range(5):  # a new epoch: a new shuffled order, new dropout masks
        twin.step()
        original.step()
    assert twin.iteration == original.iteration == 14
    assert twin.loss_history.tobytes() == original.loss_history.tobytes()
    for name, value in original.network.params.items():
        assert twin.network.params[name].tobytes() == value.tobytes(), name


def test_training_a_copy_leaves_the_original_as_it_was():
    original = Trainer(SMALL, toy_data())
    original.step()
    before = {name: value.copy() for name, value in original.network.params.items()}
    losses = original.loss_history.copy()
    twin = original.copy()
    for _ in range(4):
        twin.step()
    assert (original.iteration, twin.iteration) == (1, 5)
    np.testing.assert_array_equal(original.loss_history, losses)
    for name, value in original.network.params.items():
        np.testing.assert_array_equal(value, before[name])
    assert len(original.epoch_events) == 0 and len(twin.epoch_events) == 1  # 3 batches an epoch


def test_an_accuracy_check_leaves_no_chunk_behind_and_training_goes_on_as_before():
    checked, plain = Trainer(SMALL, toy_data()), Trainer(SMALL, toy_data())
    checked.step()
    plain.step()
    checked.evaluate("test")
    for name, layer in checked.network.layers.items():
        for attribute in BATCH_MEMORY:
            assert getattr(layer, attribute, None) is None, f"{name}.{attribute} kept a chunk"
    for _ in range(5):
        checked.step()
        plain.step()
    assert checked.loss_history.tobytes() == plain.loss_history.tobytes()
