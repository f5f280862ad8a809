"""Lesson 6 driven by keys through the real app: a real run on the offline subset.

Runs use a small seeded network so that they take a fraction of a second;
waiting is done by polling the screen's state with a timeout, never by a
fixed sleep.
"""

from __future__ import annotations

import math
import re
import time

import numpy as np
import pytest
from textual.widgets import Input, Static

from nn_tui.assets import MNIST_SUBSET
from nn_tui.core.data.checkpoint import load_checkpoint
from nn_tui.core.data.mnist import load_mnist
from nn_tui.core.trainer import TrainConfig, Trainer
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons.training.charts import AccuracyChart, LossChart
from nn_tui.tui.lessons.training.network_inspector import NetworkInspector
from nn_tui.tui.lessons.training.screen import TrainingScreen, parse_hidden_sizes
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
        await pilot.pause()
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
        await pilot.pause()
        assert any(m.startswith("Could not load") for m in notifications(app))
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
        assert set(app.screen.query_one(AccuracyChart).series) == {"ghost 1 train", "ghost 1 test"}
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
