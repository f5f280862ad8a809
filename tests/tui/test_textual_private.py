"""One test per entry point of tui/textual_private.py: a Textual upgrade that breaks one fails here."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.binding import Binding
from textual.widgets import Input, Static
from textual.widgets.option_list import Option

from nn_tui.tui import textual_private as private


class KeysApp(App[None]):
    BINDINGS = [Binding("n", "note('n')", "Next", id="next"), Binding("left_square_bracket", "note('[')", "Less")]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("x")

    def action_note(self, key: str) -> None:
        self.pressed.append(key)


async def test_relabel_bindings_changes_one_instances_labels_only():
    app = KeysApp()
    async with app.run_test() as pilot:
        private.relabel_bindings(app, lambda b: "下一步" if b.id == "next" else None)
        labels = {b.key: b.description for b in private.own_bindings(app)}
        assert labels["n"] == "下一步" and labels["left_square_bracket"] == "Less"
        assert KeysApp.BINDINGS[0].description == "Next"  # the class's own list is untouched
        await pilot.press("n")
        assert app.pressed == ["n"]


async def test_binds_key_sees_only_the_nodes_own_bindings():
    app = KeysApp()
    async with app.run_test():
        assert private.binds_key(app, "n")
        assert not private.binds_key(app, "x")
        assert not private.binds_key(app.screen, "n")


async def test_key_event_presses_a_key_as_the_terminal_does():
    app = KeysApp()
    async with app.run_test() as pilot:
        for key in ("n", "["):
            event = private.key_event(key)
            event.set_sender(app)
            app.post_message(event)
            await pilot.pause()
        assert app.pressed == ["n", "["]
        assert private.key_event("[").key == "left_square_bracket"
        assert private.key_event("[").character == "["
        assert private.key_event("left").character is None


async def test_notification_texts_lists_what_the_app_shows():
    app = KeysApp()
    async with app.run_test() as pilot:
        app.notify("first")
        app.notify("second")
        await pilot.pause()
        assert private.notification_texts(app) == ["first", "second"]


def test_one_line_crash_prints_one_sentence_not_a_traceback():
    script = textwrap.dedent(
        """
        from textual.widgets import Static
        from nn_tui.tui.textual_private import OneLineCrash

        class Crashing(OneLineCrash):
            def crash_line(self, error):
                return f"ONE LINE: {type(error).__name__}"
            def compose(self):
                yield Static("x")
            def on_mount(self):
                raise ZeroDivisionError("planted")

        Crashing().run(headless=True)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert "ONE LINE: ZeroDivisionError" in output
    assert "Traceback" not in output and "planted" not in output


class PaletteApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("under the palette")

    def action_command_palette(self) -> None:
        self.push_screen(private.SafeCommandPalette())


def burst(app: App, *keys: str) -> None:
    """Keys queued at once, as a fast typist's arrive: the app handles them without pausing between."""
    for key in keys:
        event = private.key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_safe_command_palette_survives_a_double_enter():
    app = PaletteApp()
    async with app.run_test() as pilot:
        under = app.screen
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        burst(app, *"keys", "enter", "enter", "enter")
        await pilot.pause(0.5)
        assert app.screen is under and len(app.screen_stack) == 1
    assert app._exception is None


async def test_safe_command_palette_survives_a_page_key_before_the_matches_are_laid_out():
    app = PaletteApp()
    async with app.run_test() as pilot:
        burst(app, "ctrl+p", "k", "pagedown", "pageup", "pagedown")
        await pilot.pause(0.5)
        assert isinstance(app.screen, private.SafeCommandPalette)
    assert app._exception is None


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield private.OptionList(*(Option(f"item {n}") for n in range(50)))


async def test_option_list_ignores_a_page_key_before_its_first_layout():
    app = ListApp()
    async with app.run_test() as pilot:
        option_list = app.query_one(private.OptionList)
        option_list.display = False  # no size, as before the first layout: the state the guard is for
        await pilot.pause()
        option_list._clear_caches()
        option_list.action_page_down()
        await pilot.pause()
        assert app.is_running


async def test_safe_command_palette_drops_a_search_that_ends_after_it_closed():
    """A search still running when Escape closes the palette must not stop the app (NoMatches in a worker)."""
    app = PaletteApp()
    async with app.run_test() as pilot:
        burst(app, "ctrl+p", *"keys", "escape")
        await pilot.pause(0.5)
        burst(app, "ctrl+p", "k", "e", "y", "escape", "ctrl+p", "s", "escape")
        await pilot.pause(0.5)
        palette = private.SafeCommandPalette()
        app.push_screen(palette)
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        # The search of a palette already closed: what the guard is for.
        worker = palette._gather_commands("keys")
        await worker.wait()
        assert app.is_running
    assert app._exception is None


class ModesApp(App[None]):
    MODES = {"first": lambda: Screen(), "second": lambda: Screen()}

    def on_mount(self) -> None:
        self.switch_mode("first")

    def action_command_palette(self) -> None:
        self.push_screen(private.SafeCommandPalette())


async def test_safe_command_palette_opened_as_the_app_changes_mode():
    """ctrl+p then a lesson key in one burst: the palette mounts on a mode the app has already left.

    Textual's palette looked for the screen it was called from at
    `screen_stack[-2]` of the current mode (IndexError on a one-screen stack).
    """
    app = ModesApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        first = app.screen
        app.action_command_palette()
        app.switch_mode("second")
        await pilot.pause(0.3)
        assert app.is_running and app._exception is None
        app.switch_mode("first")
        await pilot.pause(0.3)
        palette = app.screen
        assert isinstance(palette, private.SafeCommandPalette)
        assert palette._calling_screen is first  # its commands are the first mode's
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is first
    assert app._exception is None


async def test_screens_of_every_mode_finds_a_screen_of_a_mode_not_shown():
    class Other(Screen):
        pass

    app = KeysApp()
    async with app.run_test() as pilot:
        app.add_mode("one", Other)
        app.add_mode("other", Other)
        await app.switch_mode("other")
        other = app.screen
        await app.switch_mode("one")
        await pilot.pause()
        assert app.screen is not other and other in private.screens_of_every_mode(app)
        assert app.screen in private.screens_of_every_mode(app)


async def test_safe_command_palette_says_no_matches_in_the_words_given():
    from textual.command import CommandList

    app = KeysApp()
    async with app.run_test() as pilot:
        app.push_screen(private.SafeCommandPalette(placeholder="搜索命令…", no_matches="没有匹配的命令"))
        await pilot.pause()
        await pilot.press(*"zzzqqq")
        await pilot.pause(0.8)
        found = app.screen.query_one(CommandList)
        prompts = [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]
        assert any("没有匹配的命令" in prompt for prompt in prompts) and not any("No matches" in p for p in prompts)


async def test_forget_old_widgets_lets_a_rebuilt_lessons_widgets_go():
    """A language switch rebuilds a lesson; the widgets of the old build must not stay alive.

    Textual's per-node query cache kept about 20 of lesson 1's widgets alive
    per switch. What is left (a few footer keys a second switch leaves to
    Textual's data bindings) is far below that.
    """
    import gc

    from textual.widget import Widget

    from nn_tui.tui.app import NNTuiApp

    def detached() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, Widget) and not o.is_attached)

    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(2):
            await pilot.press("l")
            await pilot.pause(0.2)
        before = detached()
        for _ in range(6):
            await pilot.press("l")
            await pilot.pause(0.2)
        await pilot.pause(0.3)
        assert (detached() - before) / 6 < 6


async def test_a_lesson_screen_whose_mode_is_removed_is_freed():
    """Teacher mode rebuilds a lesson by removing its mode: the old screen must go (it held ~4 MB each time)."""
    import gc
    import weakref

    from nn_tui.tui.app import NNTuiApp
    from nn_tui.tui.lessons import lesson

    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        item = lesson(1)
        old = weakref.ref(app.screen)
        await app.switch_mode("home")
        await app.remove_mode(item.mode)
        app.add_mode(item.mode, lambda: item.load_screen()())
        await app.switch_mode(item.mode)
        await pilot.pause(0.3)
        gc.collect()
        assert old() is None
        await pilot.press("l")  # the new screen still follows the language
        await pilot.pause(0.3)
        assert "感知机" in str(app.screen.query_one("#p-title", Static).content)
