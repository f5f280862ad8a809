"""Terminals a few cells wide or high: from 1×1 the app shows the "enlarge" notice, and q quits.

Was: from 1×1 to 10×3 the home screen's lesson list was given no width at
all under the notice, and rich's line folding divided by zero (`range() arg 3
must not be zero`): at start, on `q` (the home screen laid out again while
closing), or when the home screen was shrunk to 9×3.

The first tests run the app headless (Pilot); the others start the real
`nn-tui` in a pseudo-terminal of that size, and resize it as a terminal does
(TIOCSWINSZ, then SIGWINCH). A crash, wherever it happens, must reach the
user as the one sentence of `nn_tui.tui.crash`, on one line, with the details
in the crash log.
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import termios
import textwrap
import time

import pytest
from textual.command import CommandPalette

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.crash import crash_log_path
from nn_tui.tui.lessons import Lesson
from nn_tui.tui.too_small import TooSmallScreen

# The sizes that stopped the app, and the way down from 80×24 to 1×1.
TINY = [(1, 1), (5, 2), (8, 2), (9, 3), (10, 3)]
SHRINKING = [(20, 5), (10, 3), (9, 3), (8, 2), (5, 2), (1, 1)]
F = lambda size: f"{size[0]}x{size[1]}"  # noqa: E731 - test ids


async def _assert_notice(app: NNTuiApp, pilot, where: str) -> None:
    await pilot.pause()
    app.export_screenshot()  # a full render at this size
    assert app._exception is None, f"{where}: {app._exception!r}"
    assert isinstance(app.screen, TooSmallScreen), f"{where}: {app.screen!r} on top, not the notice"


@pytest.mark.parametrize("size", TINY, ids=F)
async def test_home_starts_at_a_tiny_size_then_grows_and_shrinks_to_1x1(size):
    app = NNTuiApp()
    async with app.run_test(size=size) as pilot:
        await _assert_notice(app, pilot, f"home started at {F(size)}")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.current_mode == "home" and not isinstance(app.screen, TooSmallScreen)
        for step in SHRINKING:
            await pilot.resize_terminal(*step)
            await _assert_notice(app, pilot, f"home shrunk to {F(step)}")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)
        app.export_screenshot()
    assert app._exception is None


@pytest.mark.parametrize("size", [(1, 1), (8, 2), (10, 3)], ids=F)
async def test_every_lesson_starts_at_a_tiny_size_then_grows_and_shrinks_to_1x1(lesson: Lesson, size, failures):
    """`nn-tui --lesson N` in a tiny terminal; then the lesson at 80×24, shrunk to 1×1 and back."""
    app = NNTuiApp(start_lesson=lesson.number)
    async with app.run_test(size=size, message_hook=failures.hook) as pilot:
        await _assert_notice(app, pilot, f"lesson {lesson.mode} started at {F(size)}")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        lesson_screen = app.screen
        assert app.current_mode == lesson.mode and not isinstance(lesson_screen, TooSmallScreen)
        for step in SHRINKING:
            await pilot.resize_terminal(*step)
            await _assert_notice(app, pilot, f"lesson {lesson.mode} shrunk to {F(step)}")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen is lesson_screen
        app.export_screenshot()
        assert not failures.seen, failures.seen
    assert app._exception is None


@pytest.mark.parametrize("size", [(1, 1), (5, 2), (40, 12)], ids=F)
async def test_ctrl_p_under_the_notice_with_a_palette_under_it(size):
    """Was: DuplicateIds -- the palette opened at 80×24 was still under the notice, and ctrl+p opened another."""
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        await pilot.resize_terminal(*size)
        await _assert_notice(app, pilot, f"palette under the notice at {F(size)}")
        await pilot.press("ctrl+p", "question_mark")
        await _assert_notice(app, pilot, f"ctrl+p and ? under the notice at {F(size)}")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert CommandPalette.is_open(app)  # the palette is back as it was
    assert app._exception is None


# --- the real command in a pseudo-terminal -------------------------------------------


def resize(tui, columns: int, rows: int) -> None:
    """What a terminal does when its window is resized."""
    fcntl.ioctl(tui.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    os.killpg(tui.process.pid, signal.SIGWINCH)


def assert_clean_exit(tui, code: int | None) -> None:
    output = tui.text()
    assert code == 0, f"exit code {code}; output: {output[-1500:]!r}"
    assert "Traceback" not in output and "unexpected error" not in output, output[-1500:]


@pytest.mark.parametrize("size", TINY, ids=F)
def test_nn_tui_at_a_tiny_size_shows_the_notice_and_q_quits(spawn_tui, size):
    tui = spawn_tui(size=size)
    tui.wait_for("8", timeout=20)  # "80×24", or its first cell at 1×1
    tui.read(1.5)  # the app has settled: a crash now would end it
    assert tui.process.poll() is None, tui.text()[-1500:]
    before = len(tui.output)
    tui.read(2.0)
    # Idle: at 1×1 a scrollbar once came and went with every frame, redrawing without end.
    assert len(tui.output) - before < 100, bytes(tui.output[before:])[:300]
    tui.send("q")
    assert_clean_exit(tui, tui.exit_code(timeout=10))


def test_nn_tui_shrunk_to_9x3_and_back(spawn_tui):
    tui = spawn_tui(COLUMNS="", LINES="")  # the size is the terminal's, not fixed by the environment
    tui.wait_for("Perceptron", timeout=20)
    for columns, rows in [(9, 3), (1, 1), (80, 24)]:
        start = len(tui.output)
        resize(tui, columns, rows)
        tui.read(1.0)
        assert tui.process.poll() is None, f"ended at {columns}×{rows}: {tui.text()[-1500:]!r}"
        drawn = bytes(tui.output[start:]).decode("utf-8", "replace")
        if columns == 9:
            assert "Enlarge" in drawn
    tui.send("q")
    assert_clean_exit(tui, tui.exit_code(timeout=10))


# A crash where the app is built, starts, and closes: the same sentence, on one line, and the log.
CRASHES = {
    "compose": "from nn_tui.tui.home import HomeScreen as Where; Where.compose = boom",
    "mount": "from nn_tui.tui.app import NNTuiApp as Where; Where.on_mount = boom",
}
# A crash while closing (a screen's on_unmount) already ends in the sentence, printed by `main`.


@pytest.mark.parametrize("where", list(CRASHES))
def test_a_crash_prints_one_line_and_writes_the_crash_log(spawn_tui, tmp_path, monkeypatch, where):
    script = tmp_path / "crashing_nn_tui.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        def boom(*args, **kwargs):
            raise RuntimeError("injected in {where}")
        {CRASHES[where]}
        from nn_tui.tui.cli import main
        sys.exit(main(sys.argv[1:]))
    """))
    tui = spawn_tui(python=[str(script)])
    code = tui.exit_code(timeout=20)
    output = tui.text()
    monkeypatch.setenv("NN_TUI_CACHE_DIR", str(tmp_path / "cache"))  # as spawn_tui sets it
    log = crash_log_path()
    sentence = (
        f"nn-tui stopped on an unexpected error (RuntimeError: injected in {where}); "
        f"the details are in {log}, please report it."
    )
    assert code == 1, f"exit code {code}: {output[-1500:]!r}"
    assert sentence in output, f"not one line: {output[-1000:]!r}"
    assert output.count("unexpected error") == 1 and "Traceback" not in output, output[-1500:]
    assert f"injected in {where}" in log.read_text() and "Traceback" in log.read_text()


def test_the_crash_sentence_is_not_cut_to_the_width_of_a_narrow_terminal(spawn_tui, tmp_path, monkeypatch):
    """Cut into 10-cell lines by the error console, only the sentence's end stayed in view."""
    script = tmp_path / "crashing_nn_tui.py"
    script.write_text(textwrap.dedent("""
        import sys
        def boom(*args, **kwargs):
            raise RuntimeError("injected")
        from nn_tui.tui.app import NNTuiApp
        NNTuiApp.on_mount = boom
        from nn_tui.tui.cli import main
        sys.exit(main(sys.argv[1:]))
    """))
    tui = spawn_tui(python=[str(script)], size=(10, 3))
    start = time.monotonic()
    code = tui.exit_code(timeout=20)
    assert code == 1, f"exit code {code} after {time.monotonic() - start:.1f} s: {tui.text()[-800:]!r}"
    monkeypatch.setenv("NN_TUI_CACHE_DIR", str(tmp_path / "cache"))
    assert f"(RuntimeError: injected); the details are in {crash_log_path()}, please report it." in tui.text()
