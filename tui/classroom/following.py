"""A student's app following the teacher: the teacher's lesson, step and state, shown as they change.

`Following.run` (an app worker) reads the teacher's socket with a `Follower`
and shows each newest message: it opens the message's lesson (the home
screen for none), restores its document with the lesson's own
`open_document` (a bad one is refused with one sentence and the last good
state stays) and shows the teacher's step in a panel. Messages that arrive
while one is shown are skipped but the newest.

While following, the student's keys and clicks on the lessons are held back
(they would change a state the next message replaces): only the keys in
`FREE_KEYS` pass, and F7 breaks off. On its own the student has a copy of
the state to explore (in lesson 6, a run of its own); the messages go on
arriving and F8 rejoins, showing the newest. Nothing is ever sent to the
teacher. A banner at the top of the screen says which mode the student is in.

A student's terminal usually follows by watching the class's painter (see
`viewer`); its own app starts only when it breaks off (`breaking_off`: show
the teacher's newest state, then break off), and F8 then leaves the app
(`REJOIN`) for the terminal to watch again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from textual import events
from textual.worker import Worker

from nn_tui.tui.classroom.banner import FollowBanner
from nn_tui.tui.classroom.follower import Follower
from nn_tui.tui.classroom.protocol import Message
from nn_tui.tui.classroom.shown import RUN_KEY, STEP_KEY, SharedStep, drawn, read_step_document, shown_lesson
from nn_tui.tui.classroom.text import TEXT
from nn_tui.tui.home import HomeScreen
from nn_tui.tui.lesson_screen import LessonScreen
from nn_tui.tui.lessons import all_lessons, lesson_of_mode
from nn_tui.tui.teacher.panel import TeacherPanel

if TYPE_CHECKING:
    from textual.app import App

log = logging.getLogger(__name__)

#: Keys a following student may press: break off and rejoin, save, language, help, quit, palette, screenshot.
FREE_KEYS = frozenset({"f7", "f8", "f2", "f12", "l", "q", "question_mark", "ctrl+q", "ctrl+c", "ctrl+p"})
HELD = (events.Key, events.Paste, events.MouseDown, events.MouseUp, events.Click)
#: How often the "press F7" hint is said at most (seconds).
HINT_EVERY = 5.0
#: How long rejoining waits for the student's own training run to stop (seconds).
STOP_WAIT = 5.0
#: What the app returns when F8 leaves it for the class's picture (see `breaking_off`).
REJOIN = "rejoin"
#: How long a student breaking off waits for the teacher's state before it starts from none (seconds).
FIRST_STATE_WAIT = 3.0


class Following:
    """Follows the teacher at `path` in `app` (see the module's docstring)."""

    def __init__(self, app: App, path: str, *, breaking_off: bool = False, build_every_lesson: bool = False) -> None:
        self.app = app
        self.path = path
        self.on_own = False
        self.breaking_off = breaking_off
        self.build_every_lesson = build_every_lesson
        self.status = "waiting"
        self.latest: Message | None = None
        self.shown: Message | None = None
        self.step = SharedStep()
        self.follower = Follower(path, self._arrived, self._status_changed)
        self._worker: Worker | None = None
        self._hinted_at = 0.0
        self._unknown: str | None = None
        self._refused_by: LessonScreen | None = None

    def t(self, key: str, **values: object) -> str:
        return TEXT.get(key, getattr(self.app, "language", "en"), **values)

    async def run(self) -> None:
        self.app.screen_change_signal.subscribe(self.app, lambda _screen: self.show_banner())
        self.app.watch(self.app, "language", lambda _language: self.show_banner(), init=False)
        self.show_banner()
        if self.breaking_off:
            self.app.set_timer(FIRST_STATE_WAIT, self.break_off)
        # Every lesson's code is read now, as the student joins, not when the
        # teacher opens the lesson: then the whole class would read it at
        # once (30-80 ms a lesson for each student, on the same cores).
        try:
            for item in all_lessons():
                item.load_screen()
        except Exception:  # noqa: BLE001 - a lesson that cannot load says so when opened; following goes on
            log.exception("reading the lessons in advance failed")
        if self.build_every_lesson:
            await self._build_every_lesson()
        await self.follower.run()

    async def _build_every_lesson(self) -> None:
        """A painter opens every lesson once before it follows: the teacher's switches then find them built."""
        app = self.app
        for item in all_lessons():
            await app.switch_mode(item.mode)
            await drawn(app.screen)
        await app.switch_mode("home")

    # --- the student's keys ---------------------------------------------------------

    def holds(self, event: events.Event) -> bool:
        """Whether to hold back this key or click (it would change what the teacher's state shows)."""
        if self.on_own or not isinstance(event, HELD) or event.is_forwarded:
            return False
        if not isinstance(self.app.screen, (LessonScreen, HomeScreen)):
            return False  # help, the palette, the save dialog: the student's own
        if isinstance(event, events.Key) and event.key in FREE_KEYS:
            return False
        if isinstance(event, events.Key) and time.monotonic() - self._hinted_at > HINT_EVERY:
            self._hinted_at = time.monotonic()
            self.app.notify(self.t("follow.held"), timeout=4, markup=False)
        return True

    def break_off(self) -> None:
        if self.on_own:
            return
        self.on_own = True
        screen = shown_lesson(self.app)
        show_run = getattr(screen, "show_teacher_run", None)
        if show_run is not None and getattr(screen, "run_status", None) in ("running", "paused"):
            show_run("stopped")  # the teacher's run goes on without this copy: it has no trainer
        self.show_banner()
        self.app.notify(self.t("follow.broke_off"), timeout=5, markup=False)

    def rejoin(self) -> None:
        if not self.on_own:
            return
        if self.breaking_off:
            self.app.exit(REJOIN)  # back to watching the class's picture
            return
        self.on_own = False
        self.shown = None  # the student may have changed everything: show the newest again
        self.show_banner()
        self.app.notify(self.t("follow.rejoined"), timeout=3, markup=False)
        self._kick()

    # --- what arrives ---------------------------------------------------------------------

    def _arrived(self, message: Message) -> None:
        self.latest = message
        if not self.on_own:
            self._kick()

    def _status_changed(self, status: str, detail: str | None) -> None:
        if status == "bad_message":
            self.app.notify(self.t("follow.bad_message", code=detail), severity="warning", timeout=6, markup=False)
            return
        if status == "teacher_gone":
            self.app.notify(self.t("follow.gone_notice"), severity="warning", timeout=6, markup=False)
        self.status = status
        self.show_banner()

    def _kick(self) -> None:
        if self._worker is None or self._worker.is_finished:
            self._worker = self.app.run_worker(self._show_newest(), group="classroom-show", exit_on_error=False)

    async def _show_newest(self) -> None:
        while not self.on_own and (message := self.latest) is not None and message is not self.shown:
            try:
                await self._show(message)
            except Exception:  # noqa: BLE001 - a student's app must stay up whatever the teacher sent
                log.exception("could not show the teacher's message %s", message.seq)
            self.shown = message
            self.app.note_change()  # type: ignore[attr-defined]  # NNTuiApp: its memory is given back when quiet
            if self.breaking_off:
                self.break_off()

    async def _show(self, message: Message) -> None:
        app = self.app
        if message.lesson == "":
            if app.current_mode != "home":
                left = app.current_mode
                await app.switch_mode("home")
                app.forget_lesson(left)  # type: ignore[attr-defined]  # NNTuiApp: once quiet
            return
        item = lesson_of_mode(message.lesson)
        if item is None:
            if self._unknown != message.lesson:
                self._unknown = message.lesson
                app.notify(self.t("follow.unknown_lesson", lesson=message.lesson), severity="warning", markup=False)
            return
        if app.current_mode != item.mode:
            left = app.current_mode
            await app.switch_mode(item.mode)
            await drawn(app.screen)  # after the lesson's widgets were built
            app.forget_lesson(left)  # type: ignore[attr-defined]  # NNTuiApp: once quiet
        screen = shown_lesson(app)
        if screen is None or screen.lesson().mode != item.mode:
            return
        while screen.rebuilding:  # a language switch: its widgets are being built again
            await asyncio.sleep(0.02)
        await self._stop_own_run(screen)
        document = dict(message.document)
        step = read_step_document(document.pop(STEP_KEY, None))
        run_status = document.pop(RUN_KEY, None)
        if self.on_own:
            return
        if document != self._restored_document(screen) and not self._open(screen, document):
            return
        show_run = getattr(screen, "show_teacher_run", None)
        if show_run is not None and isinstance(run_status, str):
            show_run(run_status)
        self._show_step(screen, step, message.step)

    def _open(self, screen: LessonScreen, document: dict[str, object]) -> bool:
        """Restore the teacher's document; a refusal is said once, not again for every message after it."""
        opened = screen.open_document(document, say_refusal=self._refused_by is not screen)
        self._refused_by = None if opened else screen
        return opened

    async def _stop_own_run(self, screen: LessonScreen) -> None:
        """Lesson 6: a run the student started on their own stops before the teacher's is shown."""
        if not getattr(screen, "busy", False):
            return
        stop = getattr(screen, "action_stop", None)
        if stop is not None:
            stop()
        until = time.monotonic() + STOP_WAIT
        while getattr(screen, "busy", False) and time.monotonic() < until:
            await asyncio.sleep(0.05)

    def _restored_document(self, screen: LessonScreen) -> dict[str, object] | None:
        """What the lesson shows now (None if it cannot say): a document shown already is not restored again."""
        try:
            return screen.document()
        except Exception:  # noqa: BLE001
            return None

    def _show_step(self, screen: LessonScreen, step: tuple | None, index: int | None) -> None:
        panels = screen.query_children(TeacherPanel)
        if step is None or index is None:
            self.step.script = None
            panels.remove()
            return
        self.step.show(step[0], index, step[1])
        if panels:
            panels.first().show()
        else:
            screen.mount(TeacherPanel(self.step))  # type: ignore[arg-type]

    # --- the banner ------------------------------------------------------------------------

    def banner_text(self) -> str:
        if self.on_own:
            return self.t("follow.on_own")
        if self.status == "connected":
            return self.t("follow.following")
        if self.status == "waiting":
            return self.t("follow.waiting", path=self.path)
        return self.t("follow.gone")

    def show_banner(self) -> None:
        screen = self.app.screen
        if not isinstance(screen, (LessonScreen, HomeScreen)):
            return
        banners = screen.query_children(FollowBanner)
        banner = banners.first() if banners else None
        if banner is None:
            banner = FollowBanner()
            screen.mount(banner)
        banner.show(self.banner_text(), following=not self.on_own)
