"""A step redraws what it changed and nothing else (a class of students pays for every redraw).

Each of these was a cost every following student paid at every step: the
footer rebuilt with the same keys, texts set to what they already said,
every stylesheet parsed again to open a lesson, every widget of a new lesson
styled again twice as it was first shown.
"""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual import events
from textual.content import Content
from textual.css.stylesheet import Stylesheet

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.textual_private import first_showing_restyles_nothing
from nn_tui.tui.widgets.key_footer import KeyFooter
from nn_tui.tui.widgets.readout import Readout, same_look
from tests.helpers import wait_until


def test_same_look_compares_everything_drawn():
    assert same_look("[b]x[/b] = 1", "[b]x[/b] = 1")
    assert not same_look("[b]x[/b] = 1", "[i]x[/i] = 1")
    assert same_look(Text("x = 1", style="bold"), Text("x = 1", style="bold"))
    assert not same_look(Text("x = 1", style="bold"), Text("x = 1"))
    assert not same_look(Text("x = 1", justify="right"), Text("x = 1"))
    styled = Text("x = 1")
    styled.stylize("red", 0, 1)
    assert not same_look(styled, Text("x = 1"))
    assert not same_look("x = 1", Text("x = 1"))
    # Textual's Content compares its letters only: never taken as the same.
    assert not same_look(Content("x"), Content("x"))


async def test_a_readout_set_to_what_it_shows_is_not_drawn_again(monkeypatch):
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        title = app.screen.query_one("#p-title", Readout)
        refreshes = []
        monkeypatch.setattr(title, "refresh", lambda *a, **k: refreshes.append(k))
        shown = title.content
        title.update(shown.copy() if isinstance(shown, Text) else str(shown))  # equal, not the same object
        assert refreshes == []
        title.update("something else")
        assert refreshes == [{"layout": True}]
        assert str(title.content) == "something else"


async def test_the_footer_keeps_its_keys_until_they_change():
    app = NNTuiApp(start_lesson=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        footer = app.screen.query_one(KeyFooter)
        keys = list(footer.children)
        labels = [key.description for key in keys]
        await pilot.press("x")  # another x: the same keys
        await pilot.pause(0.2)
        # As a following student is shown the teacher's state: restored, and the keys refreshed.
        assert app.screen.open_document(app.screen.document())
        await pilot.pause(0.3)
        assert list(footer.children) == keys  # the very same widgets: not rebuilt
        await pilot.press("p")  # partial derivatives: other keys
        await pilot.pause(0.3)
        shown = [key.description for key in footer.children]
        assert shown != labels
        assert "move" in shown and "5/10" not in shown


async def test_opening_a_lesson_parses_no_stylesheet_and_styles_it_all_the_same(monkeypatch):
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        parsed = []
        reparse = Stylesheet.reparse
        monkeypatch.setattr(Stylesheet, "reparse", lambda sheet: (parsed.append(1), reparse(sheet))[1])
        await pilot.press("1")
        await pilot.pause(0.3)
        assert app.current_mode == "perceptron"
        assert parsed == []
        title = app.screen.query_one("#p-title")
        assert title.styles.height.value == 1  # from the lesson's own screen.tcss
        assert title.styles.background.a > 0  # $panel, where a Static has none
        await pilot.press("l")  # a new language still restyles (a rebuild)
        await pilot.pause(0.5)
        assert app.screen.query_one("#p-title").styles.height.value == 1


async def styles_applied_opening(lesson_key: str, monkeypatch) -> tuple[int, int, str]:
    """Style applications while lesson `lesson_key` opens, its widget count, and a picture of it."""
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        applied = []
        apply = Stylesheet.apply
        monkeypatch.setattr(Stylesheet, "apply", lambda sheet, node, **kw: (applied.append(1), apply(sheet, node, **kw)))
        await pilot.press(lesson_key)
        await pilot.pause(0.5)
        monkeypatch.setattr(Stylesheet, "apply", apply)
        widgets = len(list(app.screen.walk_children(with_self=True)))
        return len(applied), widgets, app.export_screenshot()


async def test_a_new_lesson_is_styled_as_it_mounts_and_not_again_when_shown(monkeypatch):
    once, widgets, picture = await styles_applied_opening("6", monkeypatch)
    # Textual's way: every widget restyled on both of the new screen's showings.
    monkeypatch.setattr("nn_tui.tui.screen.first_showing_restyles_nothing", lambda screen, event: None)
    thrice, _, same_picture = await styles_applied_opening("6", monkeypatch)
    assert thrice - once >= widgets
    assert same_picture == picture


async def test_a_screen_is_restyled_when_shown_after_it_was_put_away_or_the_css_changed():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        screen = app.screen

        def restyles() -> bool:
            event = events.ScreenResume()
            first_showing_restyles_nothing(screen, event)
            return event.refresh_styles

        assert not restyles()  # new, and styled by the app's stylesheet as it is
        screen._css_update_count -= 1
        assert restyles()  # the app's CSS changed since
        screen._css_update_count += 1
        await pilot.press("h")  # put away: Textual's way from now on
        await pilot.pause(0.2)
        assert restyles()


async def test_a_lesson_shown_again_after_a_theme_change_is_restyled():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        background = app.screen.query_one("#p-title").styles.background
        await pilot.press("h")
        await pilot.pause(0.2)
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause(0.2)
        await pilot.press("1")
        await pilot.pause(0.3)
        assert app.screen.query_one("#p-title").styles.background != background


async def test_a_footer_built_again_styles_each_key_once(monkeypatch):
    for start_lesson, compact in ((6, False), (1, True)):  # lesson 1's footer is compact
        app = NNTuiApp(start_lesson=start_lesson)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: app.screen.query(KeyFooter) and app.screen.query("FooterKey"))
            await pilot.pause(0.3)
            # Counted by node, not id(node): a widget freed in the meantime may
            # leave its id to a new footer key (seen once, in a full CI run).
            styled = Counter()
            apply = Stylesheet.apply
            monkeypatch.setattr(Stylesheet, "apply",
                                lambda sheet, node, **kw: (styled.update([node]), apply(sheet, node, **kw))[1])
            await pilot.press("l")  # the screen is built again in Chinese, its footer too
            await wait_until(pilot, lambda: app.screen.language == "zh" and not app.screen.rebuilding
                             and any(key.description == "帮助" for key in app.screen.query("FooterKey")))
            await pilot.pause(0.5)
            monkeypatch.setattr(Stylesheet, "apply", apply)
            footer = app.screen.query_one(KeyFooter)
            assert footer.compact is compact
            keys = list(footer.query("FooterKey"))
            assert len(keys) > 5
            assert [styled[key] for key in keys] == [1] * len(keys)
            looks = {key.has_class("-compact") for key in keys if not key.has_class("-command-palette")}
            assert looks == {compact}
