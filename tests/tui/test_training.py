"""Lesson 6 driven by keys through the real app: a real run on the offline subset.

Runs use a small seeded network so that they take a fraction of a second;
waiting is done by polling the screen's state with a timeout, never by a
fixed sleep.
"""

from __future__ import annotations

import ast
import inspect
import math
import os
import re
import stat
import string
import threading
import time

import numpy as np
import pytest
from textual.widgets import Input, Static

from nn_tui.assets import MNIST_SUBSET
from nn_tui.core.data.checkpoint import load_checkpoint
from nn_tui.core.data.mnist import load_mnist
from nn_tui.core.refusal import Refusal
from nn_tui.core import trainer as trainer_module
from nn_tui.core.trainer import TrainConfig, Trainer
from nn_tui.tui.threads import show_bytes as threads_show_bytes
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons.training.charts import AccuracyChart, LossChart
from nn_tui.tui.lessons.training.network_inspector import NetworkInspector
from nn_tui.tui.lessons.training.screen import TrainingScreen, parse_hidden_sizes
from nn_tui.tui.lessons.training.text import TEXT
from nn_tui.tui.lessons.training.worker import TrainingProgress, run_training
from nn_tui.tui.widgets.number_input import NumberInput

from tests.helpers import json_round_trip, notifications, paste_into, type_into, wait_until
from tests.tui.training_helpers import data_ready, message, screen_of, status, training_app

screen = screen_of


def shown_iteration(app: NNTuiApp) -> int:
    match = re.search(r"iteration ([\d,]+)/", status(app))
    return int(match.group(1).replace(",", "")) if match else 0


def shown_loss(app: NNTuiApp) -> float:
    return float(re.search(r"loss (\d+\.\d+)", status(app)).group(1))


async def small_run(pilot, hidden: str = "30", epochs: str = "3", batch: str | None = None,
                    pace: str | None = None) -> TrainingScreen:
    """Wait for the data, then set a small seeded network (seed 0 is the default).

    `pace` "100" (mini-batches a second) keeps long runs from eating the CPU
    the test itself needs.
    """
    s = await data_ready(pilot)
    # Typing key by key is tested in test_bad_typed_values_...; here the text is put in at once.
    await paste_into(pilot, "hidden", hidden)
    await paste_into(pilot, "epochs", epochs)
    if batch is not None:
        await paste_into(pilot, "batch", batch)
    if pace is not None:
        s.query_one("#pace").value = pace
        await pilot.pause()
        assert s.pace == pace
    assert pilot.app.focused is None
    return s


def idle(s: TrainingScreen) -> bool:
    return not s.busy


# --- the worker loop, without the app -------------------------------------------------------


def tiny_trainer(**changes) -> Trainer:
    config = TrainConfig(hidden_sizes=(10,), batch_size=1000, epochs=2, **changes)
    return Trainer(config, load_mnist(MNIST_SUBSET))


class FakeClock:
    """Time that moves only when a step is taken: 0.03 s per mini-batch."""

    def __init__(self, trainer: Trainer) -> None:
        self.trainer = trainer

    def __call__(self) -> float:
        return 0.03 * self.trainer.iteration


def test_progress_is_throttled_and_carries_every_loss_once():
    trainer = tiny_trainer()
    posted = []
    stopped = run_training(trainer, posted.append, should_stop=lambda: False, clock=FakeClock(trainer),
                           interval=0.1)
    progress = [m for m in posted if isinstance(m, TrainingProgress)]
    assert stopped.reason == "finished" and posted[-1] is stopped
    # 20 mini-batches, a message at most every 0.1 s of (fake) time, plus the last one.
    assert len(progress) == 6
    losses = np.concatenate([m.losses for m in progress])
    np.testing.assert_array_equal(losses, trainer.loss_history)
    assert [e.epoch for m in progress for e in m.epochs] == [1, 2]
    assert progress[-1].snapshot is not None and progress[-1].snapshot is not trainer.network
    assert all(m.snapshot is None for m in progress[:-1] if not m.epochs)


def test_snapshots_only_when_wanted_but_always_at_the_end():
    trainer = tiny_trainer()
    posted = []
    run_training(trainer, posted.append, should_stop=lambda: False, clock=FakeClock(trainer),
                 interval=0.1, want_snapshots=lambda: False)
    progress = [m for m in posted if isinstance(m, TrainingProgress)]
    assert [m.snapshot is not None for m in progress] == [False] * (len(progress) - 1) + [True]


def test_steps_and_stop_leave_the_trainer_where_it_was_asked():
    trainer = tiny_trainer()
    assert run_training(trainer, lambda m: None, should_stop=lambda: False, steps=1).reason == "stepped"
    assert trainer.iteration == 1
    assert run_training(trainer, lambda m: None, should_stop=lambda: trainer.iteration >= 5).reason == "paused"
    assert trainer.iteration == 5 and trainer.finished is None


def test_divergence_and_errors_end_the_loop_with_a_reason():
    trainer = tiny_trainer(lr=1000.0)
    stopped = run_training(trainer, lambda m: None, should_stop=lambda: False)
    assert stopped.reason == "diverged" and stopped.diverged is trainer.diverged

    trainer = tiny_trainer()
    trainer.step = lambda: 1 / 0
    stopped = run_training(trainer, lambda m: None, should_stop=lambda: False)
    assert stopped.reason == "error" and "ZeroDivisionError" in stopped.error


def test_the_pace_waits_after_each_step():
    trainer = tiny_trainer()
    waits = []
    run_training(trainer, lambda m: None, should_stop=lambda: False, steps=3, delay=0.1, wait=waits.append)
    assert waits == [0.1, 0.1, 0.1]


# --- running ----------------------------------------------------------------------------


async def test_a_run_shows_the_cores_first_loss_then_lower_loss_and_accuracy_above_chance():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot)
        assert s.config.hidden_sizes == (30,) and s.config.epochs == 3
        await pilot.press("n")
        await wait_until(pilot, lambda: idle(s) and shown_iteration(app) == 1)
        # The same seeded run done headless gives the same first mini-batch loss.
        reference = Trainer(s.config, load_mnist(MNIST_SUBSET))
        first = reference.step()[0].loss
        assert f"loss {first:.4f}" in status(app)
        await pilot.press("s")
        await wait_until(pilot, lambda: s.phase == "finished")
        await pilot.pause(0.3)
        text = status(app)
        assert "FINISHED" in text
        assert "iteration 300/300" in text and "epoch 3/3" in text
        assert shown_loss(app) < first - 1.0
        accuracies = [float(a) for a in re.findall(r"(\d+\.\d)%", text)]
        assert len(accuracies) == 2 and min(accuracies) > 50.0  # chance is 10%
        # The headless run agrees to the digit shown.
        reference.run()
        assert f"test acc {reference.epoch_events[-1].test_acc * 100:.1f}%" in text
        charts = app.screen.query_one(AccuracyChart).series
        assert charts["test"].y == pytest.approx([e.test_acc * 100 for e in reference.epoch_events])


async def test_pause_stops_the_counter_and_space_resumes():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot, epochs="500", pace="100")
        await pilot.press("s")
        await wait_until(pilot, lambda: shown_iteration(app) > 0)
        await pilot.press("space")
        await wait_until(pilot, lambda: s.phase == "paused" and idle(s))
        await pilot.pause(0.1)
        first = shown_iteration(app)
        await pilot.pause(0.3)
        assert shown_iteration(app) == first > 0
        assert "PAUSED" in status(app)
        await pilot.press("space")
        await wait_until(pilot, lambda: shown_iteration(app) > first)
        await pilot.press("x")
        await wait_until(pilot, lambda: s.phase == "stopped")
        stopped_at = shown_iteration(app)
        await pilot.press("n")
        await pilot.pause(0.2)
        assert shown_iteration(app) == stopped_at
        assert any("over" in m for m in notifications(app))


async def test_single_step_advances_by_exactly_one_mini_batch():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot)
        for expected in (1, 2, 3):
            await pilot.press("n")
            await wait_until(pilot, lambda n=expected: idle(s) and s.record.last is not None and s.record.last.iteration == n)
            await pilot.pause(0.3)
            assert shown_iteration(app) == expected
        assert s.trainer.iteration == 3
        assert len(s.record.loss) == 3
        assert s.phase == "paused"


async def test_bad_typed_values_are_refused_and_not_applied():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = screen(app)
        await wait_until(pilot, lambda: s.phase == "ready")
        before = s.config
        for typed in ("abc", "nan", "-1", "1e999", "0"):
            app.clear_notifications()
            await type_into(pilot, "lr", typed)
            await pilot.press("escape")
            await pilot.pause()
            assert s.config == before and s.config.lr == 0.1, typed
            assert app.screen.query_one("#lr", NumberInput).value == "0.1"
            assert notifications(app), f"the student is told why {typed!r} is refused"
        await type_into(pilot, "dropout", "1")  # NumberInput refuses > 0.99
        await type_into(pilot, "batch", "20000")  # TrainConfig takes it; the trainer checks it at start
        await type_into(pilot, "hidden", "100,abc")
        assert s.config.hidden_sizes == (100,) and s.config.dropout == 0
        assert app.screen.query_one("#hidden", Input).value == "100"
        assert any("100,50" in m for m in notifications(app))
        await pilot.press("escape", "n")
        await pilot.pause()
        assert s.trainer is None and s.phase == "ready"
        # The trainer's refusal, worded by the lesson's catalogue with the trainer's numbers.
        assert "Batch size 20,000 is larger than the 10,000 training samples: use at most 10,000." in notifications(app)
        await type_into(pilot, "hidden", "64, 32")
        assert s.config.hidden_sizes == (64, 32)


def test_parse_hidden_sizes():
    assert parse_hidden_sizes("100, 50") == (100, 50)
    assert parse_hidden_sizes("300，100") == (300, 100)
    for bad in ("", "0", "1.5", "-3", "a,b"):
        with pytest.raises(ValueError):
            parse_hidden_sizes(bad)


async def test_a_diverging_run_stops_with_its_message_and_no_nan_on_the_chart():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot)
        await type_into(pilot, "lr", "1e3")
        await pilot.press("escape")
        assert s.config.lr == 1000.0
        await pilot.press("s")
        await wait_until(pilot, lambda: s.phase == "diverged")
        await pilot.pause(0.3)
        assert "DIVERGED" in status(app)
        diverged = s.trainer.diverged
        shown = message(app)
        # The core's numbers in the catalogue's sentence (the same words the core gives developers).
        assert shown == f"Diverged (发散): {diverged.message}"
        assert f"at iteration {diverged.iteration}: the learning rate 1000 is too large for sgd (try 100 or less)" in shown
        for drawn in app.screen.query_one(LossChart).series.values():
            assert all(math.isfinite(v) for v in drawn.x + drawn.y) and drawn.dropped == 0
        assert np.isfinite(s.record.loss.values).all()
        # In Chinese the whole sentence is Chinese, with the same numbers.
        await pilot.press("l")
        await wait_until(pilot, lambda: not s.rebuilding and "发散" in status(app))
        shown = message(app)
        assert shown.startswith("发散：第 ") and "学习率 1000 太大（试试 100 或更小）" in shown
        assert "learning rate" not in shown


async def test_quitting_mid_run_returns_promptly_and_the_training_thread_ends():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot, epochs="100000", pace="100")
        await pilot.press("s")
        await wait_until(pilot, lambda: shown_iteration(app) > 0)
        trainer = s.trainer
        start = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - start < 3.0
    # The worker saw the cancellation: the trainer is no longer stepped.
    time.sleep(0.1)
    stopped_at = trainer.iteration
    time.sleep(0.3)
    assert trainer.iteration == stopped_at
    assert trainer.finished is None  # cut short, not run to the end


async def test_the_run_keeps_going_while_another_lesson_is_shown():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot, epochs="100000", pace="100")
        await pilot.press("s")
        await wait_until(pilot, lambda: shown_iteration(app) > 0)
        await pilot.press("1")
        assert not isinstance(app.screen, TrainingScreen)
        before = s.trainer.iteration
        await pilot.pause(0.2)
        await pilot.press("6")
        assert app.screen is s and s.phase == "running"
        await wait_until(pilot, lambda: shown_iteration(app) > before)
        await pilot.press("space")
        await wait_until(pilot, lambda: idle(s))


async def test_save_then_load_round_trips_the_network(tmp_path):
    path = tmp_path / "net.npz"
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot, batch="1000")
        await pilot.press("n", "n", "n")
        await wait_until(pilot, lambda: idle(s) and s.trainer.iteration == 3)
        await paste_into(pilot, "network-file", str(path))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert path.is_file(), notifications(app)
        saved = {k: v.copy() for k, v in s.trainer.network.params.items()}
        expected = s.trainer.evaluate("test")
        await pilot.press("r")
        assert s.trainer is None
        await pilot.press("o")
        await wait_until(pilot, lambda: s.loading_network is None and s.trainer is not None)
        loaded = s.trainer.network
        for key, value in saved.items():
            np.testing.assert_array_equal(loaded.params[key], value)
        assert f"test accuracy {expected * 100:.1f}%" in message(app)
        assert load_checkpoint(path).metadata["dataset"].startswith("offline subset")
        # Loaded weights train further from where they were.
        await pilot.press("n")
        await wait_until(pilot, lambda: idle(s) and s.trainer.iteration == 1)


async def test_save_load_and_export_errors_are_messages_not_tracebacks(tmp_path):
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot)
        await pilot.press("ctrl+s", "e")
        assert any("train first" in m for m in notifications(app))
        await pilot.press("n")
        await wait_until(pilot, lambda: idle(s) and s.trainer is not None and s.trainer.iteration == 1)
        await paste_into(pilot, "network-file", str(tmp_path / "missing" / "net.npz"))
        await paste_into(pilot, "csv-file", str(tmp_path / "missing" / "m.csv"))
        await pilot.press("ctrl+s", "e")
        await pilot.pause()
        assert any(m.startswith("Could not save") for m in notifications(app))
        assert any(m.startswith("Could not export") for m in notifications(app))
        (tmp_path / "junk.npz").write_bytes(b"not a checkpoint")
        await paste_into(pilot, "network-file", str(tmp_path / "junk.npz"))
        await pilot.press("o")
        await wait_until(pilot, lambda: any(m.startswith("Could not load") for m in notifications(app)))
        assert s.trainer.iteration == 1  # the run is untouched


async def test_export_writes_one_row_per_iteration(tmp_path):
    path = tmp_path / "metrics.csv"
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot, epochs="1", batch="1000")
        await pilot.press("s")
        await wait_until(pilot, lambda: s.phase == "finished")
        await paste_into(pilot, "csv-file", str(path))
        await pilot.press("e")
        await pilot.pause()
        rows = path.read_text().splitlines()
        assert rows[0] == "iteration,epoch,loss,train_acc,test_acc"
        assert len(rows) == 1 + 10


async def test_reset_keeps_the_previous_run_as_a_ghost_and_presets_fill_the_form():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot, epochs="2", batch="1000")
        await pilot.press("s")
        await wait_until(pilot, lambda: s.phase == "finished")
        await pilot.press("r")
        assert s.phase == "ready" and len(s.record.ghosts) == 1 and len(s.record.ghosts[0]) == 2
        await pilot.press("c")
        await pilot.pause(0.3)
        assert set(app.screen.query_one(AccuracyChart).series) == {"run 1 train", "run 1 test"}
        # The loss chart keeps the run too, named by its setup (no preset: its layers).
        assert set(app.screen.query_one(LossChart).series) == {"run 1 · 784-30-10 · SGD η=0.1"}
        s.query_one("#preset").value = "overfit-300-decay"
        await pilot.pause()
        assert s.config.train_size == 300 and s.config.weight_decay == 0.1
        assert s.query_one("#train-size", NumberInput).value == "300"
        assert s.query_one("#decay", NumberInput).value == "0.1"


async def test_switching_language_keeps_the_run_and_translates_the_status():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot, batch="1000")
        await pilot.press("n", "n")
        await wait_until(pilot, lambda: idle(s) and s.trainer.iteration == 2)
        await pilot.press("l")
        await pilot.pause(0.3)
        text = status(app)
        assert "已暂停" in text and "迭代 2/30" in text
        assert app.screen.query_one("#hidden", Input).value == "30"


async def test_look_inside_shows_the_network_of_the_finished_run():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot, epochs="1", batch="1000")
        await pilot.press("s")
        await wait_until(pilot, lambda: s.phase == "finished")
        await pilot.press("i")
        await pilot.pause(0.3)
        inspector = app.screen.query_one("#inspector")
        assert inspector.has_focus
        assert inspector.inspection is not None
        # The copy shown is the trained network, not a fresh one.
        np.testing.assert_array_equal(s.snapshot.params["W1"], s.trainer.network.params["W1"])
        assert s.snapshot is not s.trainer.network


async def test_a_folder_that_is_not_mnist_is_refused_and_the_subset_stays(tmp_path):
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = screen(app)
        await wait_until(pilot, lambda: s.phase == "ready")
        data = s.data
        await paste_into(pilot, "folder", str(tmp_path))
        await wait_until(pilot, lambda: s.loading is None and s.phase == "ready")
        assert s.data is data and s.data_choice == "subset"
        await pilot.pause(0.1)
        shown = message(app)
        assert shown.startswith("Could not load the data")
        assert str(tmp_path) in shown


async def test_full_mnist_from_a_folder(mnist_dir):
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = screen(app)
        await wait_until(pilot, lambda: s.phase == "ready")
        await paste_into(pilot, "folder", str(mnist_dir))
        await wait_until(pilot, lambda: s.loading is None and s.phase == "ready")
        assert "MNIST: 60,000 train / 10,000 test" in status(app)
        assert s.query_one("#data").value == "folder"
        assert s.query_one("#train-size", NumberInput).value == "60000"


# --- the state document ------------------------------------------------------------------



def charts_drawn(app: NNTuiApp) -> tuple[dict, dict]:
    return ({k: tuple(v) for k, v in app.screen.query_one(LossChart).series.items()},
            {k: tuple(v) for k, v in app.screen.query_one(AccuracyChart).series.items()})


async def test_the_document_restores_the_setup_the_charts_and_the_status_but_not_the_weights():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot, epochs="2", batch="1000")
        s.show_timing = False
        await pilot.press("s")
        await wait_until(pilot, lambda: s.phase == "finished")
        await pilot.press("r")  # the finished run stays as a ghost
        await type_into(pilot, "lr", "0.05")
        await paste_into(pilot, "network-file", "kept.npz")
        s.query_one("#pace").value = "100"
        for expected in range(1, 14):  # 1.3 epochs of a second run, then stopped
            await pilot.press("n")
            await wait_until(pilot, lambda n=expected: idle(s) and s.trainer.iteration == n)
        await pilot.press("x", "c")
        await wait_until(pilot, lambda: s.phase == "stopped")
        await pilot.pause(0.6)
        state, shown, drawn = s.state(), app.export_screenshot(), charts_drawn(app)
        document = json_round_trip(s.document())
    assert state["section"] == "charts" and state["status"] == "stopped" and state["pace"] == "100"
    assert state["config"]["lr"] == 0.05 and state["config"]["hidden_sizes"] == [30]
    assert len(state["run"]["loss"]["values"]) == 13 and len(state["run"]["ghosts"]) == 1

    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await data_ready(pilot)
        s.show_timing = False
        assert s.open_document(document)
        await pilot.pause(0.6)
        assert s.state() == state
        assert json_round_trip(s.document()) == document
        assert charts_drawn(app) == drawn
        assert "STOPPED" in status(app) and "iteration 13/20" in status(app)
        assert app.export_screenshot() == shown
        # The weights are not in the document: the run cannot go on, a new one starts on s.
        assert s.trainer is None
        await pilot.press("n")
        assert any("This run is over" in m for m in notifications(app))
        await pilot.press("s")
        await wait_until(pilot, lambda: idle(s) and s.phase == "finished")
        assert len(s.record.ghosts) == 2


async def test_a_bad_document_is_refused_in_one_sentence_and_changes_nothing():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot, epochs="1", batch="1000")
        await pilot.press("s")
        await wait_until(pilot, lambda: s.phase == "finished")
        good = json_round_trip(s.document())
        before = s.state()

        def changed(**parts):
            document = json_round_trip(good)
            for path, value in parts.items():
                table, *keys, last = path.split("__")
                where = document["state"][table]
                for key in keys:
                    where = where[key]
                if value is KeyError:
                    del where[last]
                else:
                    where[last] = value
            return document

        bad = [
            (changed(config__lr="abc"), "The saved state's state.config.lr is 'abc', not a number"),
            (changed(config__lr=0), "Not applied: the learning rate must be a number greater than 0, not 0."),
            (changed(run__loss__values=KeyError), "The saved state lacks state.run.loss.values"),
            (changed(run__accuracy__test=[1.5]), "The saved state's state.run.accuracy.test[0] is 1.5, outside 0 … 1"),
            (changed(config__activation="gelu"), "The saved state's state.config.activation is 'gelu'"),
        ]
        for document, said in bad:
            app.clear_notifications()
            assert not s.open_document(document)
            await pilot.pause()
            assert [m for m in notifications(app) if m.startswith(said)], (said, notifications(app))
            assert s.state() == before and s.trainer is not None
        # Nor is a document opened while a run goes.
        await paste_into(pilot, "epochs", "500")
        s.query_one("#pace").value = "100"
        await pilot.pause()
        await pilot.press("s")
        await wait_until(pilot, lambda: shown_iteration(app) > 0)
        assert not s.open_document(good)
        await pilot.pause()
        assert "Training is running: press space to pause first." in notifications(app)
        await pilot.press("space")
        await wait_until(pilot, lambda: idle(s))


async def test_a_language_switch_keeps_what_the_inspector_shows():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot, epochs="1", batch="1000")
        await pilot.press("s")
        await wait_until(pilot, lambda: s.phase == "finished")
        await pilot.press("i", "right_square_bracket")  # the confusion matrix
        await pilot.pause(0.3)
        assert s.query_one(NetworkInspector).choice.view == "confusion"
        await pilot.press("l")
        await wait_until(pilot, lambda: not s.rebuilding and "已完成" in status(app))
        await pilot.pause(0.3)
        inspector = s.query_one(NetworkInspector)
        assert inspector.choice.view == "confusion" and inspector.inspection is not None
        assert "混淆矩阵" in str(inspector.query_one("#inspect-tabs", Static).content)


async def test_refusals_are_in_the_students_language():
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await data_ready(pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: not s.rebuilding and "就绪" in status(app))
        await type_into(pilot, "lr", "0")
        assert "未应用：学习率必须是大于 0 的数，不能是 0。" in notifications(app)
        await type_into(pilot, "batch", "20000")
        await pilot.press("n")
        await pilot.pause()
        assert "批大小 20,000 大于训练样本数 10,000：最多只能用 10,000。" in notifications(app)
        assert s.trainer is None


# --- snapshots ------------------------------------------------------------------------------


async def _paused_run(pilot) -> None:
    s = await small_run(pilot, epochs="2", batch="1000")
    s.show_timing = False  # speeds and times differ from run to run
    for expected in range(1, 13):  # 1.2 epochs
        await pilot.press("n")
        await wait_until(pilot, lambda n=expected: idle(s) and s.trainer.iteration == n)
    await pilot.press("c")
    await pilot.pause(0.3)


def test_snapshot_first_screen_80x24(snap_compare):
    async def ready(pilot):
        await wait_until(pilot, lambda: screen(pilot.app).phase == "ready")
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(training_app(), terminal_size=(80, 24), run_before=ready)


def test_snapshot_paused_run_80x24(snap_compare):
    async def run_before(pilot):
        await _paused_run(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(training_app(), terminal_size=(80, 24), run_before=run_before)


# --- checkpoints, memory and housekeeping ----------------------------------------------------


def _refusal_sites(module) -> dict[str, set[str]]:
    """Every code a module raises with CheckpointError/CheckpointSaveError/_refusal, and the values it gives."""
    tree = ast.parse(inspect.getsource(module))
    sites: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("CheckpointError", "CheckpointSaveError", "MnistError", "_refusal", "Refusal")
                and node.args):
            first = node.args[0]  # a code, or `"a" if ... else "b"`
            options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            for option in options:
                if isinstance(option, ast.Constant) and isinstance(option.value, str):
                    sites.setdefault(option.value, set()).update(k.arg for k in node.keywords if k.arg)
    return sites


def _check_sentences(table, sites: dict[str, set[str]]) -> None:
    formatter = string.Formatter()
    for code, given in sites.items():
        assert code in table, f"{code} has no sentence in the catalogue"
        samples = {name: 12345 if name in {"size", "limit", "count", "depth", "parameters", "method", "supported",
                                            "expected", "label", "rows", "cols", "magic", "want", "n_images",
                                            "n_labels"} else f"<{name}>" for name in given}
        for language in ("en", "zh"):
            text = table.get(code, language)  # the unfilled sentence
            fields = {name for _, name, _, _ in formatter.parse(text) if name}
            assert fields <= given, f"{code} ({language}) uses {fields - given}, not given by the core"
            sentence = table.get(code, language, **samples)
            assert "errno" not in sentence.lower() and ".tmp" not in sentence, sentence
            if language == "zh":
                assert re.search(r"[\u4e00-\u9fff]", sentence), f"{code} has no Chinese sentence"


def test_every_mnist_refusal_has_a_sentence_in_both_languages_in_lessons_3_and_6():
    from nn_tui.core.data import mnist
    from nn_tui.tui.lessons.losses.text import TEXT as LOSSES_TEXT

    sites = _refusal_sites(mnist)
    assert set(sites) == set(re.findall(r'"(mnist\.[a-z_]+)"', inspect.getsource(mnist)))
    assert len(sites) >= 15 and "mnist.truncated" in sites
    assert issubclass(mnist.MnistError, Refusal)
    for table in (TEXT, LOSSES_TEXT):
        _check_sentences(table, sites)


def test_every_checkpoint_refusal_has_a_sentence_in_both_languages():
    from nn_tui.core.data import checkpoint

    sites = _refusal_sites(checkpoint)
    # The scan finds every "checkpoint.…" string of the module's source.
    assert set(sites) == set(re.findall(r'"(checkpoint\.[a-z_]+)"', inspect.getsource(checkpoint)))
    assert len(sites) >= 35 and "checkpoint.truncated" in sites and "checkpoint.save_not_file" in sites
    sites["trainer.export_not_file"] = _refusal_sites(trainer_module)["trainer.export_not_file"]
    _check_sentences(TEXT, sites)


async def _switch_to_chinese(pilot, s: TrainingScreen) -> None:
    await pilot.press("l")
    await wait_until(pilot, lambda: not s.rebuilding and "就绪" in status(pilot.app))


async def test_a_refused_load_and_save_are_said_in_chinese(tmp_path):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a checkpoint")
    folder = tmp_path / "folder.npz"
    folder.mkdir()
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot)
        await _switch_to_chinese(pilot, s)
        await paste_into(pilot, "network-file", str(junk))
        await pilot.press("o")
        expected = f"无法加载：{junk} 不是保存的网络（不是 .npz 压缩包）。"
        await wait_until(pilot, lambda: expected in notifications(app), what=lambda: str(notifications(app)))
        assert s.trainer is None and s.loading_network is None
        await pilot.press("n")
        await wait_until(pilot, lambda: idle(s) and s.trainer is not None and s.trainer.iteration == 1)
        await paste_into(pilot, "network-file", str(folder))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert f"无法保存：{folder} 是文件夹，不是文件；请给出以 .npz 结尾的文件名。" in notifications(app)
        assert folder.is_dir() and list(folder.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
async def test_save_and_export_never_replace_a_fifo(tmp_path):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    csv_fifo = tmp_path / "pipe.csv"
    os.mkfifo(csv_fifo)
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: idle(s) and s.trainer is not None and s.trainer.iteration == 1)
        await paste_into(pilot, "network-file", str(fifo))
        await paste_into(pilot, "csv-file", str(csv_fifo))
        await pilot.press("ctrl+s", "e")
        await pilot.pause()
        said = notifications(app)
        assert (f"Could not save: {fifo} exists and is not an ordinary file (a device, a pipe…), "
                "so it is not replaced.") in said, said
        assert any(m.startswith(f"Could not export: {csv_fifo} exists and is not an ordinary file") for m in said)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and stat.S_ISFIFO(os.lstat(csv_fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.csv", "pipe.npz"]


async def test_the_ui_answers_keys_while_a_slow_load_runs_and_the_network_arrives(tmp_path, monkeypatch):
    from nn_tui.tui.lessons.training import worker

    path = tmp_path / "net.npz"
    gate = threading.Event()
    started = threading.Event()
    real_load = worker.load_checkpoint

    def slow_load(file):
        started.set()
        assert gate.wait(30), "the test never let the load finish"
        return real_load(file)

    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot, batch="1000")
        await pilot.press("n", "n")
        await wait_until(pilot, lambda: idle(s) and s.trainer.iteration == 2)
        await paste_into(pilot, "network-file", str(path))
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = {k: v.copy() for k, v in s.trainer.network.params.items()}
        await pilot.press("r")
        assert s.trainer is None
        monkeypatch.setattr(worker, "load_checkpoint", slow_load)
        await pilot.press("o")
        await wait_until(pilot, lambda: started.is_set())
        # The load is stuck in its thread; the lesson still answers every key.
        assert s.loading_network == path and f"Loading the network from {path}" in message(app)
        await pilot.press("c")
        assert s.section == "charts"
        await pilot.press("n")
        await pilot.pause()
        assert "A saved network is still loading; try again in a moment." in notifications(app)
        assert s.trainer is None and not s.busy
        await pilot.press("f")
        assert s.section == "setup"
        gate.set()
        await wait_until(pilot, lambda: s.loading_network is None and s.trainer is not None)
        for key, value in saved.items():
            np.testing.assert_array_equal(s.trainer.network.params[key], value)
        assert "test accuracy" in message(app) and s.snapshot is not None
        await pilot.press("n")
        await wait_until(pilot, lambda: idle(s) and s.trainer.iteration == 1)


async def test_a_load_overtaken_by_a_reset_is_ignored(tmp_path, monkeypatch):
    from nn_tui.tui.lessons.training import worker

    gate = threading.Event()
    real_load = worker.load_checkpoint
    monkeypatch.setattr(worker, "load_checkpoint", lambda file: (gate.wait(30), real_load(file))[1])
    path = tmp_path / "net.npz"
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: idle(s) and s.trainer is not None)
        await paste_into(pilot, "network-file", str(path))
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        request = s.network_request
        await pilot.press("r")  # reset: the load is no longer wanted
        assert s.loading_network is None and s.network_request == request + 1
        gate.set()
        await wait_until(pilot, lambda: not any(w.is_running for w in app.workers if w.group == "checkpoint"))
        await pilot.pause()
        assert s.trainer is None and s.run_status == "ready"


async def test_stale_save_temporaries_are_cleaned_at_start(tmp_path, monkeypatch):
    from nn_tui.core.data.checkpoint import STALE_SECONDS, temporary_name

    monkeypatch.chdir(tmp_path)  # the network file's folder: the default name is relative
    old = time.time() - 10 * STALE_SECONDS
    stale = [tmp_path / temporary_name("nn-tui-net.npz"), tmp_path / ".nn-tui-net.npz.ab12cd34.tmp"]
    for path in stale:
        path.write_bytes(b"PK\x03\x04 half a checkpoint")
        os.utime(path, (old, old))
    fresh = tmp_path / temporary_name("nn-tui-net.npz")  # this process, just now: a save going on
    fresh.write_bytes(b"PK\x03\x04")
    other = tmp_path / ".notes.txt.tmp"  # not ours
    other.write_bytes(b"PK\x03\x04")
    os.utime(other, (old, old))
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await data_ready(pilot)
        assert not any(path.exists() for path in stale)
        assert fresh.exists() and other.exists()


async def test_a_network_too_big_for_memory_is_refused_before_anything_is_allocated(monkeypatch):
    from nn_tui.tui import threads
    from nn_tui.tui.lessons.training import screen as screen_module

    monkeypatch.setattr(threads, "available_memory", lambda: 8 * 10**9)
    built: list[object] = []

    def no_trainer(*args, **kwargs):
        built.append(args)
        raise AssertionError("a Trainer was built")

    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await small_run(pilot, hidden="100000,100000")
        assert s.config.hidden_sizes == (100000, 100000)
        monkeypatch.setattr(screen_module, "Trainer", no_trainer)
        await pilot.press("n")
        await pilot.pause()
        expected = ("Not built: training a 784-100000-100000-10 network needs about "
                    f"{threads_show_bytes(estimate(s))} of memory, more than the limit of 6.4 GB "
                    "(80% of the 8.0 GB available now); use smaller hidden layers or a smaller batch.")
        assert expected in notifications(app), notifications(app)
        assert built == [] and s.trainer is None and not s.busy and s.phase == "ready"
        await pilot.press("s")
        await pilot.pause()
        assert built == [] and s.trainer is None and not s.busy
        await _switch_to_chinese(pilot, s)
        await pilot.press("n")
        await pilot.pause()
        chinese = (f"未构建：训练 784-100000-100000-10 网络约需 {threads_show_bytes(estimate(s))} 内存，"
                   "超过上限 6.4 GB（当前可用 8.0 GB 的 80%）；请用更小的隐藏层或更小的批大小。")
        assert chinese in notifications(app), notifications(app)
        assert built == []
        # A small network is still built (the estimate lets it through).
        monkeypatch.setattr(screen_module, "Trainer", Trainer)
        await paste_into(pilot, "hidden", "30")
        await pilot.press("n")
        await wait_until(pilot, lambda: idle(s) and s.trainer is not None and s.trainer.iteration == 1)


def estimate(s: TrainingScreen) -> int:
    from nn_tui.core.networks import training_memory_estimate

    cfg = s.config
    return training_memory_estimate(784, cfg.hidden_sizes, cfg.output_size, batch_size=cfg.batch_size,
                                    optimizer=cfg.optimizer, dtype=cfg.dtype, batchnorm=cfg.batchnorm,
                                    dropout=cfg.dropout, weight_decay=cfg.weight_decay)


async def test_a_damaged_mnist_folder_is_said_in_chinese(tmp_path):
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = await data_ready(pilot)
        await _switch_to_chinese(pilot, s)
        data = s.data
        await paste_into(pilot, "folder", str(tmp_path))  # an empty folder: the four files are missing
        await wait_until(pilot, lambda: s.loading is None and s.phase == "ready")
        assert s.data is data
        await pilot.pause(0.1)
        missing = "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte"
        assert message(app) == (f"无法加载数据：{tmp_path} 缺少 {missing}（.gz 或解压后的文件）；"
                                "请运行 `nn-tui data download`。")
        await pilot.press("l")  # the message follows the language
        await wait_until(pilot, lambda: not s.rebuilding and "READY" in status(app))
        await pilot.pause(0.1)
        assert message(app).startswith(f"Could not load the data: {tmp_path} lacks train-images-idx3-ubyte")
