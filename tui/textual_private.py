"""Every use of Textual's private API, in one place.

nn-tui needs a few things Textual keeps private: relabelling key bindings
per language, pressing a key as the terminal would, the screens of every
mode (q asks first if one would lose work), printing one sentence instead
of a traceback, the palette's "No matches found" in the app's language, a
new lesson styled once (not again as it is first shown), the whole screen
as a terminal is sent it, and guards against
crashes of Textual 8.2 on quick keys. They live here, each with its own test
(`tests/tui/test_textual_private.py`; the styling ones in
`test_redraw_only_what_changed.py`), so a Textual upgrade breaks in this
module and nowhere else. pyproject.toml pins textual to the versions tested.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace

from rich.align import Align
from rich.text import Text
from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.screen import Screen
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.widget import Widget
from textual.widgets import Button, Input
from textual.widgets._footer import FooterKey
from textual.widgets import OptionList as TextualOptionList
from textual.widgets.option_list import Option


# --- key bindings ------------------------------------------------------------


def relabel_bindings(node: DOMNode, describe: Callable[[Binding], str | None]) -> None:
    """Give each of `node`'s bindings the description `describe(binding)` (None keeps it).

    Textual fixes binding descriptions when the class is created; a language
    switch needs new ones per instance. The per-node map is rebuilt with new
    lists, because the class-level lists are shared by every instance.
    """
    bindings = node._bindings.key_to_bindings
    for key, key_bindings in bindings.items():
        bindings[key] = [
            binding if (text := describe(binding)) is None else _described(binding, text) for binding in key_bindings
        ]


def _described(binding: Binding, text: str) -> Binding:
    return replace(binding, description=text)


def own_bindings(node: DOMNode) -> list[Binding]:
    """The bindings of `node` itself (not its ancestors'), as relabelled for its language."""
    return [binding for bindings in node._bindings.key_to_bindings.values() for binding in bindings]


def binds_key(node: DOMNode, key: str) -> bool:
    """Whether `node` itself has a binding for `key` (not its ancestors)."""
    return key in node._bindings.key_to_bindings


# --- keys as the terminal sends them ---------------------------------------------


def key_event(key: str) -> events.Key:
    """The Key event a terminal produces for `key` ("a", "G", "space", "[", "left").

    As Textual's Pilot builds it: a single punctuation character becomes its
    key name, and the event carries the character the key types, if any.
    """
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


# --- what the app has said ------------------------------------------------------


def notification_texts(app: App) -> list[str]:
    """The notifications the app is showing now, oldest first (for tests and the teacher)."""
    return [notification.message for notification in app._notifications]


def screens_of_every_mode(app: App) -> list[Screen]:
    """Every screen the app holds, in every mode's stack (a lesson left for another keeps its state)."""
    return [screen for stack in app._screen_stacks.values() for screen in stack]


def forget_old_widgets(node: DOMNode) -> None:
    """Drop the query results a node keeps for widgets that are gone.

    Textual caches each `query_one` result per node (1024 entries), keyed by
    a counter of changes to the children, so a rebuilt screen's cache still
    holds every widget of the builds before: a language switch kept about
    20 widgets of lesson 1 alive each time, and more for larger lessons.
    """
    node._query_one_cache.clear()


def styled_by_current_css(app: App, screen: Screen) -> Screen:
    """Mark a new screen as built with the app's stylesheet as it is now.

    Textual treats every new screen as out of date and re-parses every
    stylesheet of the app and restyles every widget of every screen before
    showing it (about 100 ms a lesson opened, 30 ms of it parsing CSS that
    had not changed). A new screen is styled as it is mounted, and its own
    CSS, read in advance with the app's (`NNTuiApp.CSS_PATH`), is not new:
    nothing is out of date. A screen whose CSS is new still makes Textual
    read and apply it, as before.
    """
    screen._css_update_count = app._css_update_count
    return screen


def first_showing_restyles_nothing(screen: Screen, event: events.ScreenResume) -> None:
    """Let a screen not yet put away keep the styles its widgets were mounted with.

    Textual restyles every widget of a screen each time it is shown: twice
    for a new lesson (opening a mode shows its screen twice), right after
    each widget was styled as it mounted. In lesson 6 that was 400 of the
    940 style applications of opening it, about a fifth of its CPU. Until the
    screen is first put away (`note_put_away`), and while the app's
    stylesheet is the one it was built with (see `styled_by_current_css`),
    nothing can be out of date; afterwards it is restyled as before.
    """
    if not screen.__dict__.get("_put_away") and screen._css_update_count == screen.app._css_update_count:
        event.refresh_styles = False


def note_put_away(screen: Screen) -> None:
    """The screen was suspended: from now on, showing it restyles it (see `first_showing_restyles_nothing`)."""
    screen.__dict__["_put_away"] = True


def footer_key_looks(widget: Widget, compact: bool) -> None:
    """Give a footer key, before it is mounted, its footer's compactness (other widgets are left alone).

    Textual's `FooterKey` starts compact and takes its footer's setting only
    once mounted, each change restyling it: a lesson's keys were styled twice
    more each time the footer was built (90 of the 548 style applications of
    opening lesson 6).
    """
    if isinstance(widget, FooterKey):
        if widget.has_class("-command-palette"):
            compact = True  # not bound to the footer: the palette's key keeps FooterKey's default
        widget.set_reactive(FooterKey.compact, compact)
        widget.set_class(compact, "-compact", update=False)


# --- the whole screen, as the terminal is sent it -----------------------------------


def whole_screen(app: App) -> str:
    """What a terminal needs to show the app's screen from nothing: every line, as `App._display` writes them.

    A painter (`nn_tui.tui.classroom.painter`) sends it to a student who
    starts watching; after it, what the app writes keeps that student's
    terminal up to date.
    """
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return update.render_segments(app.console)


# --- one sentence instead of a traceback -----------------------------------------


class OneLineCrash(App):
    """An App that prints `crash_line(error)` instead of Textual's traceback after a crash.

    A class in front of a projector sees one sentence; the details go to a log
    file (see `nn_tui.tui.crash`). Run with `textual run --dev` (the "debug"
    feature) to see the traceback as usual.
    """

    def crash_line(self, error: BaseException) -> str:
        raise NotImplementedError

    def _print_error_renderables(self) -> None:
        if self._exception is not None and self._exit_renderables and "debug" not in self.features:
            self._exit_renderables.clear()
            self.error_console.print(self.crash_line(self._exception), markup=False, highlight=False)
        super()._print_error_renderables()


# --- guards against crashes of Textual 8.2 on quick keys ---------------------------


class SafeCommandPalette(CommandPalette):
    """Textual's command palette without two crashes on quick keys.

    - Every queued Enter is handled: two quick ones on a single match
      dismissed the palette twice, and the second dismissal popped the lesson
      under it.
    - PageUp/PageDown pressed right after typing (before the new matches are
      laid out) looked up a line map not built yet (KeyError).
    - A search started by the last key typed went on after Escape or a pick
      closed the palette, and found its list gone (NoMatches, in a worker).
    - ctrl+p and a lesson key in one burst: the palette mounted on a mode
      the app had already left, and looked for the screen it was called
      from in the new mode's stack (IndexError on a one-screen stack).

    And it speaks the app's language: `no_matches` replaces Textual's
    "No matches found" (the placeholder is Textual's own parameter).
    """

    def __init__(self, *args: object, no_matches: str = "No matches found", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._no_matches_text = no_matches

    def _start_no_matches_countdown(self, search_value: str) -> None:
        super()._start_no_matches_countdown(search_value)
        if not search_value or self._no_matches_timer is None:
            return
        self._no_matches_timer.stop()  # Textual's, which would say it in English

        def show_no_matches() -> None:
            self.query_one(CommandList).add_option(
                Option(Align.center(Text(self._no_matches_text, style="not bold")), disabled=True, id=self._NO_MATCHES)
            )
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)

    def _on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # the base class's handler is the one replaced here
        self.app.post_message(CommandPalette.Opened())
        # The screen under the palette in its own mode's stack, which need not be the current mode's.
        stack = next(stack for stack in self.app._screen_stacks.values() if self in stack)
        self._calling_screen = stack[stack.index(self) - 1]
        match_style = self.get_visual_style("command-palette--highlight", partial=True)
        self._providers = [provider(self._calling_screen, match_style) for provider in self._provider_classes]
        for provider in self._providers:
            provider._post_init()
        self._gather_commands("")

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        try:
            await CommandPalette._gather_commands.__wrapped__(self, search_value)
        except NoMatches:
            if self.app.screen is self and self.is_attached:
                raise
            # The palette has closed: its search has nothing left to show.

    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(TextualOptionList.OptionSelected)
    def _ignore_once_closed(
        self, event: Input.Submitted | Button.Pressed | TextualOptionList.OptionSelected
    ) -> None:
        if self.app.screen is not self:
            event.prevent_default()  # skips the base class's handlers, which would dismiss again
            event.stop()

    def _action_command_list(self, action: str) -> None:
        try:
            super()._action_command_list(action)
        except KeyError:
            if action not in ("page_up", "page_down"):
                raise
            # The matches are not laid out yet: the page key is simply dropped.


class OptionList(TextualOptionList):
    """An OptionList whose PageUp/PageDown before the first layout does nothing.

    A page key pressed right after the list is mounted looks up a line map
    that is not built yet (KeyError) and stopped the app.
    """

    def _move_page(self, direction) -> None:  # noqa: ANN001 - Textual's own signature
        try:
            super()._move_page(direction)
        except KeyError:
            pass  # not laid out yet: the key is simply dropped


# --- line breaks between Chinese characters ----------------------------------------


def break_lines_between_chinese_characters() -> None:
    """Make every Textual `Content` and Rich `Text` wrap with `nn_tui.tui.line_breaks.divide_line`.

    Both wrap through `rich._wrap.divide_line`, imported by name into their
    modules, which breaks only at spaces: a Chinese sentence overflowed or
    broke badly. Done once, when this module is first imported (every screen
    imports it), so no widget needs to know.
    """
    import rich.text
    import textual.content

    from nn_tui.tui.line_breaks import divide_line

    rich.text.divide_line = divide_line
    textual.content.divide_line = divide_line


break_lines_between_chinese_characters()
