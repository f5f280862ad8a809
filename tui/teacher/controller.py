"""`Teacher` performs a script (`nn_tui.tui.teacher.script`) on the real lesson screen.

Entering a step presses its keys and types its numbers as if the teacher
had. Going back rebuilds the lesson from scratch and replays the steps
before, so every step always shows the same state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from time import monotonic, process_time
from typing import TYPE_CHECKING

from textual.app import UnknownModeError
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, get_current_worker

from nn_tui.tui.lessons import lesson
from nn_tui.tui.teacher.panel import PANEL_SIZES, TeacherPanel
from nn_tui.tui.teacher.script import LessonScript, ScriptError, load_script, shipped_script
from nn_tui.tui.teacher.text import TEXT
from nn_tui.tui.textual_private import key_event

if TYPE_CHECKING:
    from textual.app import App

#: Pause between the keys of the step being entered, so the class sees them land.
KEY_DELAY = 0.15


def shown_text(screen: Screen, widget_id: str) -> str:
    """The plain text a lesson widget shows now (an input's value, a Static's content)."""
    widget = screen.query_one(f"#{widget_id}")
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, Static):
        return str(widget.content)
    return str(widget.render())


class StepFailed(Exception):
    """A step that cannot be performed on the lesson as it is (the message says why)."""


class Teacher:
    """Performs a lesson script on the app: start, next, back, stop.

    The lesson's own state lives in its screen; the teacher only knows which
    step it is on, so going back rebuilds the screen and replays.
    """

    def __init__(self, app: App, start: int | str | Path | None = None) -> None:
        self.app = app
        self.start_with = start
        self.script: LessonScript | None = None
        self.index = 0
        self.busy = False
        self.size = PANEL_SIZES[0]
        self.key_delay = KEY_DELAY
        self.screen: Screen | None = None
        self.worker: Worker | None = None
        #: The last problem met performing a step (None: all went well).
        self.last_error: str | None = None

    @property
    def teaching(self) -> bool:
        return self.script is not None

    @property
    def on_taught_screen(self) -> bool:
        return self.teaching and self.screen is not None and self.app.screen is self.screen

    def t(self, key: str, **values: object) -> str:
        return TEXT.get(key, getattr(self.app, "language", "en"), **values)

    @property
    def panel(self) -> TeacherPanel | None:
        if self.screen is None:
            return None
        panels = self.screen.query_children(TeacherPanel)
        return panels.first() if panels else None

    # --- what the keys do ----------------------------------------------------------

    def start(self, source: int | str | Path) -> bool:
        """Load a script (a lesson number or a file) and enter its first step.

        A script that does not load is reported and nothing changes.
        """
        try:
            script = shipped_script(source) if isinstance(source, int) else load_script(source)
        except ScriptError as error:
            self.app.notify(self.t("teach.cannot", error=error), severity="error", timeout=12, markup=False)
            return False
        self.stop(quiet=True)
        self.script = script
        self._run(self._go_to(0))
        return True

    def next(self) -> None:
        if self.script is None or self.busy:
            return
        if self.index + 1 >= len(self.script):
            self.app.notify(self.t("teach.last"), timeout=5, markup=False)
            return
        self._run(self._enter(self.index + 1))

    def back(self) -> None:
        if self.script is None or self.busy:
            return
        if self.index == 0:
            self.app.notify(self.t("teach.first"), timeout=4, markup=False)
            return
        self._run(self._go_to(self.index - 1))

    def stop(self, quiet: bool = False) -> None:
        if self.worker is not None:
            self.worker.cancel()
        panel = self.panel
        if panel is not None:
            panel.remove()
        was_teaching = self.teaching
        self.script, self.screen, self.index, self.busy = None, None, 0, False
        if was_teaching and not quiet:
            self.app.notify(self.t("teach.stopped"), timeout=4, markup=False)

    def cycle_size(self) -> None:
        self.size = PANEL_SIZES[(PANEL_SIZES.index(self.size) + 1) % len(PANEL_SIZES)]
        self._show()

    # --- performing steps ------------------------------------------------------------

    def _run(self, work: Coroutine[object, object, None]) -> None:
        self.busy = True
        self._show()
        self.worker = self.app.run_worker(self._guarded(work), group="teacher", exclusive=True)

    async def wait(self) -> None:
        """Wait until the step being entered is done (the lesson's own workers may go on)."""
        if self.worker is not None:
            await self.worker.wait()

    async def _guarded(self, work: Coroutine[object, object, None]) -> None:
        try:
            await work
        except StepFailed as failure:
            self._failed(self.index, str(failure))
        except Exception as error:  # a lesson failing mid-step must not end the class
            self._failed(self.index, f"{type(error).__name__}: {error}")
        finally:
            # A cancelled run ends after its successor started: leave that one be.
            if self.worker is get_current_worker():
                self.busy = False
                self._show()

    async def _go_to(self, index: int) -> None:
        """A fresh lesson, the steps before `index` replayed at once, then step `index`."""
        assert self.script is not None
        await self._fresh_lesson()
        for earlier in range(self.script.replay_from(index), index):
            await self._perform(earlier, delay=0.0)
        await self._perform(index, delay=self.key_delay)

    async def _enter(self, index: int) -> None:
        """Step `index` from the lesson as it is now (a reset step starts afresh)."""
        assert self.script is not None
        if self.script.steps[index].reset:
            await self._fresh_lesson()
        await self._perform(index, delay=self.key_delay)

    async def _fresh_lesson(self) -> None:
        """Throw the lesson's screen away and build a new one, with the panel on it."""
        assert self.script is not None
        app, item = self.app, lesson(self.script.lesson)
        if app.current_mode == item.mode:
            await app.switch_mode("home")
        try:
            await app.remove_mode(item.mode)
        except UnknownModeError:
            pass  # not opened yet
        app.add_mode(item.mode, lambda: item.load_screen()())
        await app.switch_mode(item.mode)
        self.screen = app.screen
        await self.screen.mount(TeacherPanel(self))
        await _settle(app)

    async def _perform(self, index: int, delay: float) -> None:
        """Press step `index`'s keys and type its numbers on the lesson screen."""
        assert self.script is not None and self.screen is not None
        self.index = index
        self.last_error = None
        self._show()
        step = self.script.steps[index]
        for key in step.presses:
            if delay:
                await asyncio.sleep(delay)
            self._check_on_screen()
            await self._press(key)
        for typed in step.typed:
            if delay:
                await asyncio.sleep(delay)
            self._check_on_screen()
            found = self.screen.query(f"#{typed.field}")
            field = found.first() if found else None
            if not isinstance(field, Input):
                raise StepFailed(f"no field '{typed.field}' on this screen")
            field.focus()
            field.value = typed.value
            await self._press("enter")
            if self.screen.focused is field:
                self.screen.set_focus(None)
            await _settle(self.app)

    async def _press(self, key: str) -> None:
        """Send `key` to the app as the terminal would (as Textual's Pilot does)."""
        event = key_event(key)
        event.set_sender(self.app)
        self.app.post_message(event)
        await _settle(self.app)

    def _check_on_screen(self) -> None:
        # Keys go to whatever screen is shown: never to help, home or another lesson.
        if self.app.screen is not self.screen:
            raise StepFailed("the lesson left the screen before the step was done")

    def _failed(self, index: int, error: str) -> None:
        self.last_error = f"step {index + 1}: {error}"
        self.app.notify(self.t("teach.step_failed", k=index + 1, error=error), severity="error", timeout=8, markup=False)

    def _show(self) -> None:
        panel = self.panel
        if panel is not None:
            panel.show()


async def _settle(app: App, window: float = 0.005, limit: float = 0.5) -> None:
    """Wait until the app has handled what was sent to it.

    Like Textual's Pilot: the app is done when the process stops using CPU
    for a moment. A shorter window than Pilot's keeps a replay quick; a
    lesson training in a thread never looks idle, so the wait is capped.
    """
    start = monotonic()
    while monotonic() - start < limit:
        cpu = process_time()
        await asyncio.sleep(window)
        if process_time() - cpu < window / 20:
            break
    await app.animator.wait_until_complete()
