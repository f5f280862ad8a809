"""An idle app costs next to nothing: a text cursor stops blinking when nobody types.

Was: the palette's field, or a lesson's focused field, blinked for ever (a
redraw twice a second: 1.0-1.2% CPU per idle app, a third of a core for 30
students). Now it stops after `NNTuiApp.IDLE_SECONDS` without a key,
click or paste, stays shown, and blinks again at the next key; `--no-blink`
(`NNTuiApp(blink=False)`) never blinks.

Blinking is seen as a student sees it: the screen, rendered over a second,
changes (the cursor cell comes and goes) or does not.
"""

from __future__ import annotations

from textual.widgets import Input

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.cli import build_parser
from nn_tui.tui.lessons import all_lessons

IDLE = 2.5  # seconds: IDLE_SECONDS for these tests (a blink is 0.5 s, slower under a busy test)


async def frames(pilot, seconds: float = 1.3, step: float = 0.1) -> int:
    """How many different pictures of the screen `seconds` of waiting show."""
    seen = set()
    for _ in range(round(seconds / step)):
        await pilot.pause(step)
        seen.add(pilot.app.export_screenshot())
    return len(seen)


def quick_idle_app(**options) -> NNTuiApp:
    app = NNTuiApp(**options)
    app.IDLE_SECONDS = IDLE
    return app


async def test_the_palette_cursor_stops_blinking_when_idle_and_blinks_again_after_a_key():
    app = quick_idle_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        field = app.screen.query_one(Input)
        assert field.has_focus
        await pilot.pause(IDLE + 0.5)
        assert await frames(pilot) == 1, "the cursor still blinks after the app went idle"
        assert not field.cursor_blink
        await pilot.press("left")  # a key that changes nothing but the time of the last key
        assert field.cursor_blink
        assert await frames(pilot, seconds=IDLE - 0.3) > 1, "no blinking after a key"
        await pilot.pause(IDLE + 0.3)
        assert await frames(pilot) == 1, "the cursor blinks again for ever after a key"


async def test_a_focused_lesson_field_stops_blinking_and_a_key_starts_it_again():
    lesson = next(item for item in all_lessons() if item.mode == "training")
    app = quick_idle_app(start_lesson=lesson.number)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        field = app.screen.query(Input).first()
        field.focus()
        await pilot.pause(IDLE + 0.5)
        assert field.has_focus and not field.cursor_blink
        await pilot.press("end")
        assert field.has_focus and field.cursor_blink


async def test_a_field_focused_while_idle_does_not_blink_until_a_key():
    """Focus that comes without a key (the teacher's script, a screen shown again) keeps the cursor still."""
    app = quick_idle_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(IDLE + 0.3)
        app.action_command_palette()
        await pilot.pause()
        field = app.screen.query_one(Input)
        assert field.has_focus and not field.cursor_blink
        assert await frames(pilot) == 1
        await pilot.press("left")
        assert field.cursor_blink


async def test_no_blink_never_blinks():
    app = quick_idle_app(blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        field = app.screen.query_one(Input)
        assert await frames(pilot) == 1 and not field.cursor_blink
        await pilot.press("left")
        assert await frames(pilot, seconds=1.0) == 1 and not field.cursor_blink


def test_no_blink_option():
    assert build_parser().parse_args(["--no-blink"]).blink is False
    assert build_parser().parse_args([]).blink is True


async def test_the_palettes_hidden_spinner_stops_ticking_when_idle():
    """Was: the palette's "busy" indicator, hidden, still redrew itself 16 times a second (about 1% CPU)."""
    from textual.widgets import LoadingIndicator

    app = quick_idle_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        spinner = app.screen.query_one(LoadingIndicator)
        assert not spinner.visible and spinner.auto_refresh
        await pilot.pause(IDLE + 0.5)
        assert spinner.auto_refresh is None
        await pilot.press("left")
        assert spinner.auto_refresh  # ticking again: a search may show it


async def test_an_idle_check_that_fires_as_the_app_quits_does_nothing():
    # Its timer can fire after the screens are gone: that once stopped the app on a ScreenStackError.
    app = quick_idle_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
    app._last_input = 0.0  # long ago: the check is due
    app._check_idle()
    assert app._idle is False
