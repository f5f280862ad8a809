"""Crashes the monkey and the terminal suites found in the app shell, each pinned by its keys.

Keys are sent in one burst (as a fast typist or key auto-repeat sends them),
without waiting for the app between them: that is how they were found.
"""

from __future__ import annotations

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
import unicodedata

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.too_small import TooSmallScreen

from tests.helpers import wait_until


def burst(app, *keys: str) -> None:
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_two_quick_enters_in_the_palette_do_not_pop_the_lesson():
    """Was: ScreenStackError "Can't pop screen" (the palette dismissed itself twice)."""
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        burst(app, *"lesson 4", "enter", "enter", "enter")
        await pilot.pause(0.5)
        assert app.current_mode == "gradients"
        assert len(app.screen_stack) == 1
    assert app._exception is None


async def test_page_down_right_after_typing_in_the_palette():
    """Was: KeyError in OptionList._move_page (matches not laid out yet)."""
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(app, "ctrl+p", "g", "pagedown", "pageup", "pagedown")
        await pilot.pause(0.5)
        burst(app, "escape")
        await pilot.pause()
        assert app.current_mode == "perceptron"
    assert app._exception is None


async def test_the_theme_palette_is_the_safe_one_too():
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.search_themes()
        await pilot.pause(0.2)
        burst(app, "d", "pagedown", "escape")
        await pilot.pause(0.3)
    assert app._exception is None


async def test_two_quick_language_switches():
    """Was: NoMatches 'HeaderTitle' (the home screen was recomposed under its Header's title watcher)."""
    for start in (None, 1):
        app = NNTuiApp(start_lesson=start)
        async with app.run_test(size=(80, 24)) as pilot:
            burst(app, "l", "l", "l")
            await pilot.pause(0.5)
            assert app.language == "zh"
        assert app._exception is None


async def test_a_lesson_opened_in_a_too_small_terminal():
    """Was: NoMatches 'Static' (`nn-tui --lesson N` in a small terminal updated the notice before it was built)."""
    app = NNTuiApp(start_lesson=2)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "now 60×20" in str(app.screen.query_one("#too-small-text").content)
    assert app._exception is None


async def test_q_quits_under_the_too_small_notice():
    """Was: q did nothing (the modal notice hid the app's keys), though the notice says "q quits"."""
    app = NNTuiApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_help_over_the_notice_closes_with_it_when_the_terminal_grows():
    """Was: the notice stayed forever under the help overlay opened while the terminal was small."""
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("question_mark")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert app.current_mode == "perceptron" and not isinstance(app.screen, TooSmallScreen)
        assert len(app.screen_stack) == 1


async def test_a_lesson_whose_widgets_are_still_mounting_is_drawn_once_they_are(monkeypatch):
    """Was: NoMatches '#point-x0' on a loaded machine (lesson 4 drawn before its nested fields were mounted)."""
    from textual.css.query import NoMatches

    from nn_tui.tui.lessons.gradients.screen import GradientsScreen

    draws = []
    refresh_view = GradientsScreen.refresh_view

    def late_widgets(screen):
        draws.append(screen)
        if len(draws) <= 2:  # as if the field were still mounting the first two times
            raise NoMatches("No nodes match '#point-x0' on GradientsScreen()")
        refresh_view(screen)

    monkeypatch.setattr(GradientsScreen, "refresh_view", late_widgets)
    app = NNTuiApp(start_lesson=4)
    async with app.run_test(size=(80, 24)) as pilot:
        # Each try waits for a refresh, and on a loaded machine (CI) 0.3 s was not three of them.
        await wait_until(pilot, lambda: len(draws) >= 3, what=lambda: f"{len(draws)} draws")
        await pilot.pause(0.2)
        assert len(draws) == 3
        assert "∂f/∂x0" in str(app.screen.query_one("#partials-values").content)  # drawn after all
        await pilot.press("p")
        await pilot.pause()
        assert app.current_mode == "gradients"
    assert app._exception is None
