"""Any terminal a class might have: tiny, huge, resized, colourless, dumb, mouseless, real.

Below 80×24 every lesson is covered by the plain "please enlarge the
terminal" notice (`tui/too_small.py`); at and above it the lesson itself is
shown. The last tests start the real `nn-tui` command in a pseudo-terminal.
"""

from __future__ import annotations

import re
import time

import pytest
from textual.geometry import Size
from textual.widgets import Static

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons import Lesson, all_lessons
from nn_tui.tui.too_small import TooSmallScreen, is_too_small

SIZES = [(40, 12), (60, 20), (79, 23), (80, 24), (100, 30), (120, 40), (200, 60), (250, 80)]



async def test_every_lesson_draws_at_every_size_and_while_resized(lesson: Lesson, failures):
    """Open the lesson at 80×24, resize through every size (and back): no error, the right screen on top."""
    app = NNTuiApp(start_lesson=lesson.number)
    async with app.run_test(size=(80, 24), message_hook=failures.hook) as pilot:
        await pilot.pause()
        lesson_screen = app.screen
        for width, height in [*SIZES, *reversed(SIZES[:-1])]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            app.export_screenshot()  # a full render at this size
            where = f"lesson {lesson.mode} at {width}×{height}"
            assert app._exception is None, where
            assert not failures.seen, f"{where}: {failures.seen}"
            if is_too_small(Size(width, height)):
                assert isinstance(app.screen, TooSmallScreen), f"{where}: no 'enlarge' notice"
                notice = str(app.screen.query_one(Static).content)
                assert f"now {width}×{height}" in notice and "80×24" in notice, where
            else:
                assert app.screen is lesson_screen, f"{where}: {app.screen!r} on top"


@pytest.mark.parametrize("size", [(40, 12), (79, 24), (80, 23)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_starting_in_a_too_small_terminal_shows_the_notice_then_the_lesson(size):
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("2", "l", "?")  # keys under the notice do no harm
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)
    assert app._exception is None


async def test_resizing_during_training_on_lesson_6(failures):
    training = next(item for item in all_lessons() if item.mode == "training")
    app = NNTuiApp(start_lesson=training.number)
    async with app.run_test(size=(80, 24), message_hook=failures.hook) as pilot:
        screen = app.screen
        deadline = time.monotonic() + 20
        while getattr(screen, "phase", None) != "ready":
            assert time.monotonic() < deadline, "lesson 6 did not load its data"
            await pilot.pause(0.05)
        await pilot.press("escape", "s")
        await pilot.pause(0.1)
        assert screen.busy or screen.phase == "finished"
        for width, height in [*SIZES, (80, 24), (40, 12), (120, 40)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause(0.05)
        await pilot.press("space")  # pause
        assert app._exception is None and not failures.seen, failures.seen


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TEXTUAL_COLOR_SYSTEM": "standard"}], ids=["no-color", "16-colours"])
async def test_plain_terminals_draw_every_lesson(monkeypatch, env, failures):
    """NO_COLOR (Textual drops all colour) and a 16-colour terminal: every lesson draws."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = NNTuiApp()
    async with app.run_test(size=(80, 24), message_hook=failures.hook) as pilot:
        if "NO_COLOR" in env:
            assert app.no_color
        for item in all_lessons():
            await pilot.press(str(item.number))
            await pilot.pause()
            svg = app.export_screenshot()
            if "NO_COLOR" in env:
                # Monochrome: the only colours drawn are greys (the SVG's default text is #c5c8c6).
                for colour in re.findall(r"fill: #([0-9a-f]{6})", svg):
                    rgb = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
                    assert max(rgb) - min(rgb) <= 8, f"lesson {item.mode}: colour #{colour} under NO_COLOR"
        assert app._exception is None and not failures.seen, failures.seen


async def test_no_mouse_needed_the_palette_lists_every_lesson():
    """ctrl+p, type a lesson's title, Enter: every lesson is reachable from the keyboard alone."""
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        for item in all_lessons():
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*f"lesson {item.number}")
            await pilot.pause(0.3)
            await pilot.press("down", "enter")
            await pilot.pause(0.2)
            assert app.current_mode == item.mode, f"the palette did not open lesson {item.number}"
            await pilot.press("escape")


def test_real_terminal_xterm_256_colours(spawn_tui):
    tui = spawn_tui(size=(80, 24))
    tui.wait_for("Perceptron", timeout=15)
    tui.send("1")
    tui.wait_for("Lesson 1", timeout=10)
    tui.send("2")
    tui.read(0.5)
    tui.send("h")
    tui.read(0.3)
    tui.send("q")
    assert tui.exit_code(timeout=5) == 0, tui.text()[-2000:]
    assert "Traceback" not in tui.text()


@pytest.mark.parametrize("env", [{"TERM": "dumb"}, {"NO_COLOR": "1"}, {"TERM": "dumb", "NO_COLOR": "1"}],
                         ids=["dumb", "no-color", "dumb-no-color"])
def test_real_terminal_dumb_or_colourless(spawn_tui, env):
    tui = spawn_tui(size=(80, 24), **env)
    tui.wait_for("Perceptron", timeout=15)
    tui.send("1")
    tui.read(0.5)
    tui.send("q")
    assert tui.exit_code(timeout=5) == 0, tui.text()[-2000:]
    assert "Traceback" not in tui.text()


def test_real_terminal_too_small_then_quit(spawn_tui):
    tui = spawn_tui(size=(60, 20))
    tui.wait_for("enlarge", timeout=15)
    tui.send("q")
    assert tui.exit_code(timeout=5) == 0
    assert "Traceback" not in tui.text()
