"""Teacher mode at 80x24: what a step names is on screen, steps are set up at once and absolutely, keys are never lost."""

from __future__ import annotations

import asyncio
import random
import re

import pytest
from textual.widgets import Static

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.teacher.panel import TeacherPanel
from nn_tui.tui.teacher.script import LESSONS, shipped_script
from nn_tui.tui.teacher.view import named_widgets
from nn_tui.tui.textual_private import key_event
from tests.helpers import type_into, wait_until


async def started(pilot) -> NNTuiApp:
    app = pilot.app
    await pilot.pause()
    await app.teacher.wait()
    await pilot.pause()
    return app


async def to_step(pilot, index: int) -> None:
    teacher = pilot.app.teacher
    while teacher.index != index:
        teacher.next() if teacher.index < index else teacher.back()
        await teacher.wait()
    await pilot.pause()


def hidden_widgets(app: NNTuiApp) -> list[str]:
    """The ids of the widgets the current step names that are not wholly in view above the panel."""
    screen = app.screen
    panel = screen.query_one(TeacherPanel)
    step = app.teacher.script.steps[app.teacher.index]
    hidden = []
    shown = named_widgets(screen, step.show)
    assert [w.id for w in shown] == list(step.show), f"step {app.teacher.index + 1}: a named widget is not shown"
    for widget in shown:
        geometry = screen.find_widget(widget)
        region = geometry.region
        inside = geometry.clip.contains_region(region) and screen.region.contains_region(region)
        if not region or not inside or region.overlaps(panel.region) or region.bottom > panel.region.y:
            hidden.append(f"step {app.teacher.index + 1}: #{widget.id} {region} (panel from row {panel.region.y})")
    return hidden


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("number", list(LESSONS))
async def test_every_named_widget_is_wholly_in_view_at_80x24(number, language):
    script = shipped_script(number)
    app = NNTuiApp(teach=number, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        hidden = []
        for index in range(len(script)):
            await to_step(pilot, index)
            assert app.teacher.last_error is None
            hidden += hidden_widgets(app)
        assert hidden == []


def test_the_steps_the_issue_names_name_their_widgets():
    """Lesson 1 steps 3 and 10 (the truth tables), lesson 4 step 1 (the log-log plot), 3 step 7, 2 step 9."""
    assert "p-table" in shipped_script(1).steps[2].show
    assert "p-xor-table" in shipped_script(1).steps[9].show
    assert "diff-plot" in shipped_script(4).steps[0].show
    assert "batch-plot" in shipped_script(3).steps[6].show
    assert "naive-sum" in shipped_script(2).steps[8].show


def seen_rows(app: NNTuiApp, widget_id: str) -> int:
    """How many rows of the widget can be seen: inside its containers' clip, above the teacher's panel."""
    screen = app.screen
    geometry = screen.find_widget(screen.query_one(f"#{widget_id}"))
    seen = geometry.region.intersection(geometry.clip).intersection(screen.region)
    panel_top = screen.query_one(TeacherPanel).region.y
    return max(min(seen.bottom, panel_top) - seen.y, 0)


async def test_lesson_1_shows_all_four_truth_table_rows_at_steps_3_and_10():
    app = NNTuiApp(teach=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await to_step(pilot, 2)
        table = str(app.screen.query_one("#p-table", Static).content).splitlines()
        assert len(table) == 6  # the title, the header and four rows, (1, 1) the current one
        assert seen_rows(app, "p-table") == 6
        await to_step(pilot, 9)
        xor_table = app.screen.query_one("#p-xor-table", Static)
        assert len(str(xor_table.content).splitlines()) == 5  # the header and four rows
        assert seen_rows(app, "p-xor-table") == xor_table.region.height >= 5


async def test_lesson_3_mini_batch_chart_shows_more_than_three_rows_of_plot():
    app = NNTuiApp(teach=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await to_step(pilot, 6)
        # Its title, the frame's two rows and the x labels, and more than three rows of plot.
        assert seen_rows(app, "batch-plot") > 4 + 3


async def test_lesson_4_log_log_plot_shows_its_h_labels_at_step_1():
    app = NNTuiApp(teach=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        plot = app.screen.query_one("#diff-plot")
        lines = str(plot.render()).splitlines()
        assert "1e-" in lines[-1]  # the h labels are the plot's last line
        assert seen_rows(app, "diff-plot") == plot.region.height


async def test_lesson_2_overflow_step_shows_sum_nan():
    app = NNTuiApp(teach=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await to_step(pilot, 8)
        assert "sum = nan" in str(app.screen.query_one("#naive-sum", Static).content)
        assert seen_rows(app, "naive-sum") == 1


async def test_five_backspaces_from_step_9_land_on_step_4_and_no_key_is_lost():
    app = NNTuiApp(teach=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await to_step(pilot, 8)
        documents = dict(app.teacher.documents)
        await pilot.press(*["backspace"] * 5)  # at once, while the first is being set up
        await app.teacher.wait()
        await pilot.pause()
        assert app.teacher.index == 3
        assert app.screen.document() == documents[3]
        await pilot.press("enter", "enter")
        await app.teacher.wait()
        await pilot.pause()
        assert app.teacher.index == 5
        assert app.screen.document() == documents[5]


@pytest.mark.parametrize("gap", [0.0, 0.01, 0.03, 0.06, 0.1])
async def test_backspaces_arriving_while_a_step_is_shown_are_not_lost(gap):
    """As a terminal delivers them: one key at a time, while the teacher is still busy."""
    app = NNTuiApp(teach=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await to_step(pilot, 6)
        for _ in range(5):
            app.teacher.back()
            await asyncio.sleep(gap)
        await app.teacher.wait()
        await pilot.pause()
        assert (app.teacher.index, app.teacher.target) == (1, 1)
        assert "CEE 2.3025840930" in str(app.screen.query_one("#mass-exact", Static).content)


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
async def test_enter_after_wandering_off_script_shows_what_the_text_says(number):
    """Random lesson keys between steps; Enter still gives the state a straight walk reaches."""
    script = shipped_script(number)
    straight = NNTuiApp(teach=number)
    async with straight.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await to_step(pilot, len(script) - 1)
        documents = dict(straight.teacher.documents)
    keys = sorted({key for step in script.steps for key in step.presses if key not in ("enter", "s")})
    chance = random.Random(number)
    app = NNTuiApp(teach=number)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        for index in range(1, len(script)):
            await pilot.press(*chance.choices(keys, k=4))
            # What the keys started (a redraw, a batch drawn) has finished, as it has when a teacher reads the screen.
            await pilot.wait_for_scheduled_animations()
            await pilot.pause(0.3)
            app.teacher.next()
            await app.teacher.wait()
            await pilot.pause()
            assert app.teacher.index == index
            assert app.screen.document() == documents[index], f"lesson {number}, step {index + 1}"


async def test_a_step_is_drawn_once_without_the_frames_in_between():
    """Backspace from step 9 of lesson 4 (which presses + twice, n five times, − three times, m ten times)."""
    app = NNTuiApp(teach=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await to_step(pilot, 8)
        frames = []
        draw = app._display

        def counted(screen, renderable):
            frames.append(screen)
            return draw(screen, renderable)

        app._display = counted
        app.teacher.back()
        await app.teacher.wait()
        back = len(frames)
        app.teacher.next()
        await app.teacher.wait()
        # One frame for the step (a second at most, should a timer of the lesson's fall in between); was 47 and 17.
        assert back <= 2 and len(frames) - back <= 2


def lesson_6_numbers(app: NNTuiApp) -> tuple[str, ...]:
    """What lesson 6's status line says of the run: the epoch, iteration, loss and accuracy (not the speed)."""
    status = str(app.screen.query_one("#t-status", Static).content)
    return tuple(re.findall(r"(?:epoch|iteration) [\d,]+/[\d,]+|loss [\d.]+|(?:train|test)[^·\n]*?%", status))


TIMINGS = ("elapsed", "samples_per_second", "seconds", "eval_seconds")


def without_timings(value: object) -> object:
    """A state with the run's timings left out: two walks train the same numbers at different speeds."""
    if isinstance(value, dict):
        return {key: without_timings(item) for key, item in value.items() if key not in TIMINGS}
    if isinstance(value, list):
        return [without_timings(item) for item in value]
    return value


def lesson_6_seen(app: NNTuiApp) -> tuple[object, ...]:
    """Lesson 6's state, the run's numbers shown, its status and the trained first layer's weights."""
    screen = app.screen
    trainer = screen.trainer
    weights = None if trainer is None else trainer.network.params["W1"].tobytes()
    return without_timings(screen.state()), lesson_6_numbers(app), screen.run_status, weights


async def test_lesson_6_steps_come_back_from_the_lessons_snapshot_without_rebuilding_it():
    """Backspace from the last step to step 2 and Enter to the end again: every step as first seen, at once.

    Was: each step rebuilt lesson 6 and pressed its keys again (~12 s a step).
    """
    script = shipped_script(6)
    app = NNTuiApp(teach=6)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        teacher = app.teacher
        screen = app.screen
        first_walk = {0: lesson_6_seen(app)}
        for index in range(1, len(script)):
            await to_step(pilot, index)
            assert teacher.last_error is None
            # A run started by s was paused only to be copied, and went on: its step is the copy (checked below).
            if not teacher.snapshots[index].running:
                first_walk[index] = lesson_6_seen(app)
        assert screen.state()["config"]["train_size"] == 300  # the last step's run: the overfitting demo
        assert {0, 1, 2, 3, 7} <= set(first_walk)  # s at step 5 starts a run that may still go at steps 6 and 7
        seen_back = {}
        for index in range(len(script) - 2, 0, -1):
            await pilot.press("backspace")
            await teacher.wait()
            await pilot.pause()
            assert teacher.index == index and teacher.last_error is None
            assert app.screen is screen
            assert screen.document() == teacher.documents[index], f"step {index + 1}"
            assert not screen.busy and screen.run_status != "running"
            seen_back[index] = lesson_6_seen(app)
            if index in first_walk:
                assert seen_back[index] == first_walk[index], f"step {index + 1}"
        assert "iteration 1/1,000" in lesson_6_numbers(app)  # step 2: one mini-batch
        for index in range(2, len(script) - 1):
            await pilot.press("enter")
            await teacher.wait()
            await pilot.pause()
            assert teacher.index == index and teacher.last_error is None
            assert lesson_6_seen(app) == seen_back[index], f"step {index + 1}"
        # Never rebuilt nor replayed: the screen built when teaching began, every step from its snapshot.
        assert (teacher.rebuilds, teacher.replays) == (1, 0)
        assert app.screen is screen
        # The next n trains on from the snapshot: iteration 101 after step 4's 100.
        await to_step(pilot, 3)
        await pilot.press("n")
        await wait_until(pilot, lambda: not screen.busy)
        await pilot.pause()
        assert "iteration 101/1,000" in lesson_6_numbers(app)


async def test_lesson_6_enter_after_wandering_off_script_shows_what_the_text_says():
    """Training a few batches, another section, a changed form: Enter still gives the straight walk's step."""
    straight = NNTuiApp(teach=6)
    async with straight.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        expected = {}
        for index in range(1, 4):
            await to_step(pilot, index)
            expected[index] = lesson_6_seen(straight)
    app = NNTuiApp(teach=6)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        screen = app.screen
        for index, wander in [(1, "epochs"), (2, "n"), (3, "f")]:
            if wander == "epochs":
                await type_into(pilot, "#epochs", "3")
                assert screen.config.epochs == 3
            else:
                await pilot.press(*[wander] * 3)
                await wait_until(pilot, lambda: not screen.busy)
                await pilot.pause()
                assert lesson_6_seen(app) != expected[index - 1] if index > 1 else True
            app.teacher.next()
            await app.teacher.wait()
            await pilot.pause()
            assert app.teacher.index == index and app.teacher.last_error is None
            assert lesson_6_seen(app) == expected[index], f"step {index + 1}"
        assert (app.teacher.rebuilds, app.teacher.replays) == (1, 0)
        assert app.screen is screen


async def test_a_step_waits_for_its_key_even_when_the_app_seems_idle(monkeypatch):
    """Was: on a loaded machine the app, not given the CPU for a moment, looked idle with the step's key
    still queued; the step's state was recorded from before the key, and Enter later put that back."""
    from nn_tui.tui.teacher import controller

    app = NNTuiApp(teach=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        screen = app.screen
        # As if the system ran nothing of the app: its CPU time stands still.
        monkeypatch.setattr(controller, "process_time", lambda: 0.0)
        handled = []
        original = screen.action_function

        def late_function(step: int) -> None:
            handled.append(step)
            original(step)

        monkeypatch.setattr(screen, "action_function", late_function)
        hold = asyncio.Event()
        # The screen is busy with something else first: the key waits in its queue meanwhile.
        screen.call_later(hold.wait)
        asyncio.get_running_loop().call_later(0.1, hold.set)
        await app.teacher._press("down")
        assert handled == [1]  # not returned before the key was handled


async def test_keys_still_queued_when_enter_comes_land_before_the_step_not_on_it():
    # Lesson 3, step 4 sets the margin to 3 and step 5 goes on from there. Keys
    # sent before the step that still wait in the app's queues when it starts
    # (two m: 3 -> 5 -> 1) are handled first, not on the state the step puts
    # back. Enter is a priority key: the app handles it at once, while a key
    # typed just before it may still be on its way through the queues.
    straight = NNTuiApp(teach=3)
    async with straight.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await to_step(pilot, 4)
        expected = straight.screen.document()
    app = NNTuiApp(teach=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await to_step(pilot, 3)
        assert app.screen.document()["state"]["margin"] == 3.0
        for _ in range(2):  # 3 -> 5 -> 1
            app.post_message(key_event("m"))  # as the terminal sends a key
        app.teacher.next()  # as Enter does, before the app has read its queue
        await app.teacher.wait()
        await pilot.pause()
        assert app.teacher.index == 4
        assert app.screen.document() == expected
