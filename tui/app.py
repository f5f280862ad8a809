"""The nn-tui application: a home screen and one mode per lesson."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from functools import partial
from weakref import WeakKeyDictionary, WeakSet

from textual import events
from textual.app import App, ScreenStackError, SystemCommand, UnknownModeError
from textual.binding import Binding
from textual.command import CommandPalette
from textual.theme import ThemeProvider
from textual.geometry import Size
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import LoadingIndicator

from nn_tui.tui.classroom.app_keys import CLASSROOM_BINDINGS, ClassroomKeys, classroom_commands
from nn_tui.tui.crash import crash_message
from nn_tui.tui.help import HelpScreen
from nn_tui.tui.home import HomeScreen
from nn_tui.tui.i18n import COMMON, LANGUAGES, next_language
from nn_tui.tui.lesson_screen import LessonScreen
from nn_tui.tui.lessons import Lesson, all_lessons, lesson, lesson_of_mode
from nn_tui.tui.memory import give_back_memory
from nn_tui.tui.quit_question import QuitQuestion
from nn_tui.tui.screen import NNScreen, localize_bindings
from nn_tui.tui.screenshot import save_handout, screenshot_folder
from nn_tui.tui.teacher.controller import Teacher
from nn_tui.tui.teacher.keys import TEACH_BINDINGS, TeacherKeys, teach_commands
from nn_tui.tui.textual_private import OneLineCrash, SafeCommandPalette, screens_of_every_mode, styled_by_current_css
from nn_tui.tui.themes import PROJECTOR, THEMES
from nn_tui.tui.too_small import TooSmallScreen, is_too_small

#: A lesson a following student left is thrown away, and its memory given back, once nothing was
#: shown or typed for this long (seconds; as long as the app waits to call itself idle, IDLE_SECONDS).
GIVE_BACK_QUIET = 5.0

# What counts as someone at the keyboard (a mouse moving over the window does not).
USER_INPUT = (events.Key, events.MouseDown, events.MouseScrollUp, events.MouseScrollDown, events.Paste)


class NNTuiApp(TeacherKeys, ClassroomKeys, OneLineCrash, App[None]):
    # Every lesson's CSS is read with the app's, once: opening a lesson then
    # reads no stylesheet (see styled_by_current_css).
    CSS_PATH = ["app.tcss", *(item.folder / "screen.tcss" for item in all_lessons())]
    # After this many seconds without a key, click or paste the app is idle: a
    # text cursor (a field, the palette) stops blinking but stays shown, and the
    # palette's hidden "busy" spinner stops ticking (16 times a second); both
    # start again at the next key. A blink redraws the screen: 30 idle students
    # cost a third of a core.
    IDLE_SECONDS = 5.0
    #: A painter drawing for the whole class keeps every lesson it built (see forget_lesson).
    keeps_lessons = False
    MODES = {"home": HomeScreen}
    BINDINGS = [
        Binding("h", "home", "Home", id="home"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("l", "switch_language", "中文", id="language"),
        Binding("q", "quit", "Quit", id="quit"),
        # Textual's own ctrl+q and ctrl+p, given ids: labelled in the language and listed by help.
        Binding("ctrl+q", "quit", "Quit", key_display="^q", show=False, priority=True, id="quit_now"),
        Binding("ctrl+p", "command_palette", "palette", key_display="^p", show=False, priority=True, id="palette"),
        Binding("f12", "handout", "Screenshot (SVG)", show=False, id="handout"),
        *(
            Binding(item.key, f"lesson({item.number})", show=False, id=f"lesson{item.number}")
            for item in all_lessons()
        ),
        *TEACH_BINDINGS,
        *CLASSROOM_BINDINGS,
    ]

    language: reactive[str] = reactive("en")

    def __init__(
        self,
        language: str = "en",
        start_lesson: int | None = None,
        theme: str = "dark",
        teach: int | str | None = None,
        screenshots: str | os.PathLike[str] | None = None,
        blink: bool = True,
        notices: Sequence[str] = (),
        open_file: str | os.PathLike[str] | None = None,
        broadcast: str | None = None,
        follow: str | None = None,
        breaking_off: bool = False,
    ) -> None:
        """`blink=False`: text cursors never blink. `notices`: sentences shown once, as warnings, at the start.

        `open_file`: a lesson's state file to open; `broadcast` / `follow`: the class's socket (see
        nn_tui.tui.classroom); `breaking_off`: a student's terminal that watched the class's picture
        breaks off (F8 leaves the app to watch again: see Following).
        """
        super().__init__()
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
        if theme not in THEMES:
            raise ValueError(f"theme must be one of {', '.join(THEMES)}, not {theme!r}")
        self.set_reactive(NNTuiApp.language, language)
        self._start_lesson = start_lesson
        self.screenshot_folder = screenshot_folder(screenshots)
        # Teacher mode (a lesson number or a script file): see nn_tui.tui.teacher.
        self.teacher = Teacher(self, start=teach)
        self.init_classroom(open_file=open_file, broadcast=broadcast, follow=follow, breaking_off=breaking_off)
        self.register_theme(PROJECTOR)
        self.theme = THEMES[theme]
        self._notices = tuple(notices)
        # After a crash the one sentence (see crash_line) is printed as one line, which the
        # terminal wraps itself: cut at the width of a tiny terminal, only its end was left in view.
        self.error_console.soft_wrap = True
        # Idle (no key, click or paste for a while): see IDLE_SECONDS.
        self._blink = blink
        self._idle = False
        self._last_input = time.monotonic()
        self._last_change = self._last_input
        # Lessons a following student left, thrown away once the app is quiet (see forget_lesson).
        self._to_forget: set[str] = set()
        self._tidying = False
        self._stilled: WeakSet[Widget] = WeakSet()
        self._paused_spinners: WeakKeyDictionary[Widget, float] = WeakKeyDictionary()

    def on_mount(self) -> None:
        for notice in self._notices:
            self.notify(notice, severity="warning", timeout=30)
        self.set_timer(self.IDLE_SECONDS, self._check_idle, name="idle")
        self._retitle()
        localize_bindings(self, COMMON, self.language)
        for item in all_lessons():
            self._install_lesson(item)
        self.switch_mode("home")
        if self._start_lesson is not None:
            self.action_lesson(self._start_lesson)
        self._check_size()

    def _install_lesson(self, item: Lesson) -> None:
        self.add_mode(item.mode, lambda: styled_by_current_css(self, item.load_screen()()))

    def forget_lesson(self, mode: str) -> None:
        """Throw away a lesson's screen once the app is quiet: it is built afresh when next opened.

        A student following the teacher keeps nothing of its own in a lesson
        it left, so it frees the memory (one lesson at a time, not seven).
        Not at once: taking a screen apart and collecting its objects costs
        a student about 150 ms, and a class doing it as the teacher's next
        step arrives saw that step seconds late. It waits until nothing was
        shown or typed for `GIVE_BACK_QUIET` seconds.
        """
        if lesson_of_mode(mode) is None or self.keeps_lessons:
            return
        self._to_forget.add(mode)
        self.note_change()
        if not self._tidying:
            self._tidying = True
            self.set_timer(GIVE_BACK_QUIET, self._tidy_when_quiet, name="forget lessons left")

    def note_change(self) -> None:
        """Something new was just shown (a following student: the teacher's next step)."""
        self._last_change = time.monotonic()

    async def _tidy_when_quiet(self) -> None:
        quiet_for = time.monotonic() - max(self._last_change, self._last_input)
        if quiet_for < GIVE_BACK_QUIET:
            self.set_timer(GIVE_BACK_QUIET - quiet_for, self._tidy_when_quiet, name="forget lessons left")
            return
        self._tidying = False
        left, self._to_forget = self._to_forget, set()
        for mode in sorted(left):
            item = lesson_of_mode(mode)
            if item is None or mode == self.current_mode:
                continue  # the teacher came back to it meanwhile
            if any(isinstance(screen, LessonScreen) and screen.lesson().mode == mode and screen.unsaved_work()
                   for screen in screens_of_every_mode(self)):
                continue  # a network trained on the student's own, not saved: kept
            await self.rebuild_lesson(item)
        give_back_memory()

    async def rebuild_lesson(self, item: Lesson) -> None:
        """Drop the lesson's screen, whatever it holds; the next visit builds a new one (its mode must not be shown)."""
        try:
            await self.remove_mode(item.mode)
        except UnknownModeError:
            pass  # not installed: nothing to drop
        self._install_lesson(item)

    # --- idle: no blinking cursor, no hidden spinner, while nobody is at the keyboard ---

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, USER_INPUT):
            self._input_seen()
        if self.holds_input(event):
            return  # a student following the teacher (see nn_tui.tui.classroom.following)
        await super().on_event(event)

    def _input_seen(self) -> None:
        self._last_input = time.monotonic()
        if not self._idle:
            return
        self._idle = False
        if self._blink:
            for widget in list(self._stilled):
                if widget.has_focus:
                    self._stilled.discard(widget)
                    widget.cursor_blink = True
        for spinner, interval in list(self._paused_spinners.items()):
            spinner.auto_refresh = interval
        self._paused_spinners.clear()
        self.set_timer(self.IDLE_SECONDS, self._check_idle, name="idle")

    def _check_idle(self) -> None:
        left = self._last_input + self.IDLE_SECONDS - time.monotonic()
        if left > 0.01:
            self.set_timer(left, self._check_idle, name="idle")
            return
        try:
            screen = self.screen
        except ScreenStackError:  # quitting: the screens are gone (its timer can fire that late)
            return
        self._idle = True
        self._still_cursor(screen.focused)
        self._pause_hidden_spinners(screen)

    def _still_cursor(self, widget: Widget | None) -> None:
        """Stop `widget`'s cursor blinking (it stays shown), if it has one that blinks."""
        if widget is not None and getattr(widget, "cursor_blink", None) is True:
            widget.cursor_blink = False  # Input and TextArea: pauses their blink timer
            self._stilled.add(widget)

    def _pause_hidden_spinners(self, screen: Screen) -> None:
        """Stop the animation timers of loading indicators nobody sees (the palette's, while it is not busy)."""
        for spinner in screen.query(LoadingIndicator):
            if not spinner.visible and spinner.auto_refresh is not None:
                self._paused_spinners[spinner] = spinner.auto_refresh
                spinner.auto_refresh = None

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        if self._idle:
            # Focus without a key (the teacher's script, a screen shown again, a palette opened by code).
            self._still_cursor(widget)
            self._pause_hidden_spinners(widget.screen)
        elif not self._blink:
            self._still_cursor(widget)
        elif widget in self._stilled:
            self._stilled.discard(widget)
            widget.cursor_blink = True

    # --- a terminal too small for the lessons -------------------------------------

    def _notice_shown(self) -> bool:
        return isinstance(self.screen, TooSmallScreen)

    def on_resize(self, event: events.Resize) -> None:
        # App.size catches up with the terminal a frame later: use the event's.
        self._check_size(event.size)

    def _check_size(self, size: Size | None = None) -> None:
        """Cover the screen with a plain notice while the terminal is too small."""
        size = size or self.size
        notice = next((s for s in self.screen_stack if isinstance(s, TooSmallScreen)), None)
        if is_too_small(size):
            if notice is not None:
                notice.show(size)
            else:
                notice = TooSmallScreen(self.language)
                notice.show(size)
                self.push_screen(notice)
        elif notice is not None:
            # Help or the palette may have been opened over the notice: close them with it.
            while self.screen is not notice:
                self.pop_screen()
            self.pop_screen()

    def _retitle(self) -> None:
        self.title = COMMON.get("app.title", self.language)
        self.sub_title = COMMON.get("app.subtitle", self.language)

    def watch_language(self, old: str, language: str) -> None:
        self._retitle()
        localize_bindings(self, COMMON, language)
        self.refresh_bindings()
        if old == language:
            return  # the first value, not a switch
        # The app tells its screens itself: a screen watching the app would
        # stay referenced by the app's watcher list after its mode is removed
        # (teacher mode's rebuilds, a follower's lessons), and never be freed.
        for screen in screens_of_every_mode(self):
            if isinstance(screen, NNScreen):
                screen.call_next(screen.language_switched, language)

    def action_switch_language(self) -> None:
        self.language = next_language(self.language)

    def action_home(self) -> None:
        self.switch_mode("home")
        self._check_size()

    def action_lesson(self, number: int) -> None:
        self.switch_mode(lesson(number).mode)
        self._check_size()

    def action_handout(self) -> None:
        ok, message = save_handout(self, self.screenshot_folder, self.language)
        self.notify(message, severity="information" if ok else "error", timeout=8)

    def action_help(self) -> None:
        if self._notice_shown():
            return  # the notice says what to do: enlarge the terminal, or q
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.screen, self.language))

    def crash_line(self, error: BaseException) -> str:
        # After a crash a class sees one sentence, not Textual's traceback: the details go to a log file.
        return crash_message(error)

    # --- quitting: ask first if a lesson would lose work --------------------------------

    def unsaved_work(self) -> tuple[LessonScreen, str] | None:
        """The first lesson (the one on screen first, then those of other modes) that quitting would cost work."""
        screens = [*reversed(self.screen_stack), *screens_of_every_mode(self)]
        for screen in screens:
            if isinstance(screen, LessonScreen) and (key := screen.unsaved_work()) is not None:
                return screen, key
        return None

    async def action_quit(self) -> None:
        if isinstance(self.screen, QuitQuestion):
            self.exit()  # ctrl+q (a priority key) while asked: that is the answer
            return
        lost = self.unsaved_work()
        if lost is None:
            self.exit()
            return
        screen, key = lost
        question = QuitQuestion(screen.t(key), COMMON.get("quit.confirm", self.language))
        self.push_screen(question, callback=lambda quit_now: self.exit() if quit_now else None)

    def action_help_quit(self) -> None:
        # Textual's ctrl+c hint, in the app's language.
        self.notify(COMMON.get("quit.ctrl_c", self.language), markup=False)

    # --- the command palette, in the app's language ------------------------------------

    def action_command_palette(self) -> None:
        # Not over the "enlarge" notice: a palette already open under it was opened again (DuplicateIds).
        if self._notice_shown() or isinstance(self.screen, QuitQuestion):
            return
        if any(isinstance(screen, CommandPalette) for screen in self.screen_stack):
            return
        if self.use_command_palette:
            self.push_screen(self._palette(id="--command-palette"))

    def _palette(self, placeholder: str = "palette.placeholder", **options: object) -> SafeCommandPalette:
        t = partial(COMMON.get, language=self.language)
        return SafeCommandPalette(placeholder=t(placeholder), no_matches=t("palette.no_matches"), **options)

    def search_themes(self) -> None:
        # The palette's "Theme" entry opens a second palette: the safe one too.
        self.push_screen(self._palette("palette.theme_placeholder", providers=[ThemeProvider]))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        t = partial(COMMON.get, language=self.language)
        yield SystemCommand(t("palette.home"), t("palette.home_help"), self.action_home)
        for item in all_lessons():
            yield SystemCommand(
                t("palette.lesson", n=item.number, title=item.title(self.language)),
                t("palette.lesson_help"),
                partial(self.action_lesson, item.number),
            )
        yield from teach_commands(self, self.language)
        yield from classroom_commands(self, self.language)
        yield SystemCommand(t("palette.language"), t("palette.language_help"), self.action_switch_language)
        yield SystemCommand(t("palette.help"), t("palette.help_help"), self.action_help)
        # Textual's own commands, in the language; its "Keys" panel (Textual's
        # internal keys, in English) is left out: Help lists the keys.
        yield SystemCommand(t("palette.theme"), t("palette.theme_help"), self.action_change_theme)
        yield SystemCommand(t("palette.screenshot"), t("palette.screenshot_help"), self.action_handout)
        if screen.maximized is not None:
            yield SystemCommand(t("palette.minimize"), t("palette.minimize_help"), screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(t("palette.maximize"), t("palette.maximize_help"), screen.action_maximize)
        yield SystemCommand(t("palette.quit"), t("palette.quit_help"), self.action_quit)
