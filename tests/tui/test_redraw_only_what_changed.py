"""A step redraws what it changed and nothing else (a class of students pays for every redraw).

Each of these was a cost every following student paid at every step: the
footer rebuilt with the same keys, texts set to what they already said,
every stylesheet parsed again to open a lesson.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.css.stylesheet import Stylesheet

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.widgets.key_footer import KeyFooter
from nn_tui.tui.widgets.readout import Readout, same_look


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
