"""`Teacher` performs a script (`nn_tui.tui.teacher.script`) on the real lesson screen.

Entering a step presses its keys and types its numbers as if the teacher
had, starting from the state the script left at the step before: the first
walk through a script records the lesson's state document (`state()`) after
every step, and a lesson the teacher changed by hand between steps is put
back to that document first. Going back restores the recorded document, so
every step always shows the same state, at once. Enter and Backspace pressed
while a step is being set up are counted, never lost.

A lesson whose document leaves part of its state out (lesson 6's trained
network) gives an in-memory snapshot instead (`LessonScreen.teacher_snapshot`),
recorded beside the document and put back with `teacher_resume`: its steps
are just as absolute and instant, without rebuilding the lesson.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Mapping
from pathlib import Path
from time import monotonic, process_time
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, get_current_worker

from nn_tui.core.refusal import Refusal
from nn_tui.tui.lesson_screen import LessonScreen
from nn_tui.tui.lessons import lesson
from nn_tui.tui.teacher.panel import PANEL_SIZES, TeacherPanel
from nn_tui.tui.teacher.script import LessonScript, ScriptError, load_script, shipped_script
from nn_tui.tui.teacher.text import TEXT
from nn_tui.tui.teacher.view import bring_into_view
from nn_tui.tui.textual_private import key_event

if TYPE_CHECKING:
    from textual.app import App

#: Pause between the keys of a step (0: a step is set up at once; tests slow it down
#: to press keys while a step is under way).
KEY_DELAY = 0.0

#: Lessons whose state document leaves out part of what a step shows: lesson 6's
#: trained network (megabytes, not a document's business). Their steps come
#: back from the lesson's in-memory snapshot; without one they are pressed
#: again on a fresh lesson.
REPLAYED_LESSONS = frozenset({"training"})

#: The longest wait, in seconds, for a lesson busy with a key before the next key is pressed.
BUSY_LIMIT = 30.0


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

    `index` is the step shown; `target` the step Enter and Backspace asked
    for (they only move the target, so none is lost while a step is set up).
    `documents[k]` is the lesson's state document after step k on a straight
    walk from the start, recorded the first time step k is reached.
    """

    def __init__(self, app: App, start: int | str | Path | None = None) -> None:
        self.app = app
        self.start_with = start
        self.script: LessonScript | None = None
        self.index = 0
        self.target = 0
        self.busy = False
        self.size = PANEL_SIZES[0]
        self.key_delay = KEY_DELAY
        self.screen: Screen | None = None
        self.worker: Worker | None = None
        self.documents: dict[int, dict[str, object]] = {}
        #: The document of the lesson as it opens (what a `reset` step goes back to).
        self.fresh_document: dict[str, object] | None = None
        #: The lesson's in-memory snapshots beside the documents (lessons that give one).
        self.snapshots: dict[int, object] = {}
        self.fresh_snapshot: object | None = None
        #: How often the lesson was built afresh and steps pressed again (the tests watch these).
        self.rebuilds = 0
        self.replays = 0
        self._last_key = ""
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
        self._run(self._begin())
        return True

    def next(self) -> None:
        if self.script is None:
            return
        if self.target + 1 >= len(self.script):
            self.app.notify(self.t("teach.last"), timeout=5, markup=False)
            return
        self.target += 1
        self._walk_on()

    def back(self) -> None:
        if self.script is None:
            return
        if self.target == 0:
            self.app.notify(self.t("teach.first"), timeout=4, markup=False)
            return
        self.target -= 1
        self._walk_on()

    def stop(self, quiet: bool = False) -> None:
        if self.worker is not None:
            self.worker.cancel()
        panel = self.panel
        if panel is not None:
            panel.remove()
        was_teaching = self.teaching
        self.script, self.screen, self.index, self.target, self.busy = None, None, 0, 0, False
        self.documents, self.fresh_document = {}, None
        self.snapshots, self.fresh_snapshot = {}, None
        if was_teaching and not quiet:
            self.app.notify(self.t("teach.stopped"), timeout=4, markup=False)

    def cycle_size(self) -> None:
        self.size = PANEL_SIZES[(PANEL_SIZES.index(self.size) + 1) % len(PANEL_SIZES)]
        self._show()
        if not self.busy:
            self._run(self._show_named())

    # --- performing steps ------------------------------------------------------------

    def _walk_on(self) -> None:
        # A walk under way reads `target` after every step; only an idle teacher starts one.
        if not self.busy:
            self._run(self._walk())

    def _run(self, work: Coroutine[object, object, None]) -> None:
        self.busy = True
        self.worker = self.app.run_worker(self._guarded(work), group="teacher", exclusive=True)

    async def wait(self) -> None:
        """Wait until the steps asked for are done (the lesson's own workers may go on)."""
        while self.worker is not None and self.busy:
            worker = self.worker
            await worker.wait()
            if worker is self.worker:
                break

    async def _guarded(self, work: Coroutine[object, object, None]) -> None:
        try:
            await work
        except StepFailed as failure:
            self.target = self.index
            self._failed(self.index, str(failure))
        except Exception as error:  # a lesson failing mid-step must not end the class
            self.target = self.index
            self._failed(self.index, f"{type(error).__name__}: {error}")
        finally:
            # A cancelled run ends after its successor started: leave that one be.
            if self.worker is get_current_worker():
                self.busy = False
                self._show()

    async def _begin(self) -> None:
        """A fresh lesson, its document kept for `reset` steps, then step 1."""
        assert self.script is not None
        # (`stop` set index and target to 0: an Enter pressed already has moved the target on.)
        await self._fresh_lesson()
        self.fresh_document = self._document()
        self.fresh_snapshot = await self._snapshot()
        await self._forward(0)
        await self._walk()

    async def _walk(self) -> None:
        """Step towards `target` until it is reached (Enter and Backspace move it meanwhile)."""
        assert self.script is not None
        # Keys typed just before this Enter may still be on their way through the
        # queues (Enter, a priority key, is handled at once): they are handled
        # before the step's state is put back, not on it after.
        await _queues_emptied(self.app)
        while self.script is not None:
            while self.index != self.target and self.script is not None:
                if self.target < self.index:
                    await self._back_to(self.target)
                else:
                    await self._forward(self.index + 1)
            await self._show_named()
            # A key that came while the step was being shown moved the target: go on. No
            # await between this test and the end of the walk, so none can slip through.
            if self.index == self.target:
                break

    async def _back_to(self, index: int) -> None:
        """Step `index` again: its recorded snapshot or document, or (if the lesson refuses it) a replay."""
        document = self.documents.get(index)
        snapshot = self.snapshots.get(index)
        self.last_error = None
        with self.app.batch_update():
            if snapshot is not None and await self._resume(snapshot):
                self.index = index
            elif document is not None and await self._restore_when_idle(document):
                self.index = index
            else:
                await self._replay(index)
        self._show()

    async def _forward(self, index: int) -> None:
        """Step `index`: its recorded state if it was reached before, else its keys.

        The keys are pressed on the state the script left at the step before:
        a lesson the teacher changed by hand since is put back first, so they
        land where the text says they do.
        """
        assert self.script is not None
        step = self.script.steps[index]
        before = self.fresh_document if step.reset or index == 0 else self.documents.get(index - 1)
        with self.app.batch_update():
            done_before = self.snapshots.get(index)
            if (done_before is not None and await self._resume(done_before)) or (
                    index in self.documents and self._restore(self.documents[index])):
                # Done before: its state comes back at once, without pressing its keys again.
                self.index, self.last_error = index, None
                self._show()
                return
            snapshot = self.fresh_snapshot if step.reset or index == 0 else self.snapshots.get(index - 1)
            if snapshot is not None:
                if not self._as_left(before, snapshot):
                    await self._resume(snapshot)
            elif not self._restorable:
                # Its document changes while it trains: the step goes on from the lesson as it is.
                if step.reset and index:
                    await self._fresh_lesson()
            elif before is not None and self._document() != before and not await self._restore_when_idle(before):
                await self._replay(index - 1)
            await self._perform(index, delay=self.key_delay)
        taken = await self._snapshot() if self.fresh_snapshot is not None else None
        if taken is not None:
            self.snapshots.setdefault(index, taken)
        # The document the snapshot was taken with (a run paused for it has gone on since).
        document = getattr(taken, "document", None)
        self.documents.setdefault(index, document if isinstance(document, dict) else self._document())
        self._show()

    def _as_left(self, before: Mapping[str, object] | None, snapshot: object) -> bool:
        """Whether the lesson is as the step before left it (`before`, `snapshot`): nobody changed it by hand since.

        A snapshot of a run that was going (its `running`) has gone on by
        itself since: only the rest of the document must match.
        """
        now = self._document()
        if before is None or now is None:
            return False
        if now == before:
            return True
        if getattr(snapshot, "running", False) is not True:
            return False
        state, left = now.get("state"), before.get("state")
        if not isinstance(state, dict) or not isinstance(left, dict):
            return False
        return {k: v for k, v in state.items() if k not in ("run", "status")} == {
            k: v for k, v in left.items() if k not in ("run", "status")}

    async def _snapshot(self) -> object | None:
        """The lesson's in-memory snapshot (None: it has none); a lesson busy training pauses for it."""
        screen = self.screen
        if not isinstance(screen, LessonScreen):
            return None
        start = monotonic()
        while True:
            snapshot = screen.teacher_snapshot()
            if snapshot is not None or getattr(screen, "busy", False) is not True:
                return snapshot
            if monotonic() - start > BUSY_LIMIT:
                return None
            await asyncio.sleep(0.002)

    async def _resume(self, snapshot: object) -> bool:
        """Put the lesson back to `snapshot`, once its work has paused; False if it cannot be."""
        screen = self.screen
        if not isinstance(screen, LessonScreen) or self.app.screen is not screen:
            return False
        try:
            screen.teacher_resume(snapshot)
        except Refusal:
            await self._until_idle()
            try:
                screen.teacher_resume(snapshot)
            except Refusal:
                return False
        # As `_restore`: the section shown, every widget redrawn.
        screen.widgets_built()
        screen.refresh_bindings()
        return True

    async def _replay(self, index: int) -> None:
        """A fresh lesson and the steps up to `index` pressed again (when a document cannot be restored)."""
        assert self.script is not None
        self.replays += 1
        await self._fresh_lesson()
        if index < 0:
            return
        for earlier in range(self.script.replay_from(index), index + 1):
            await self._perform(earlier, delay=0.0)

    def _document(self) -> dict[str, object] | None:
        screen = self.screen
        if not isinstance(screen, LessonScreen):
            return None
        try:
            return screen.document()
        except Exception:  # a lesson without a state document: steps are replayed instead
            return None

    @property
    def _restorable(self) -> bool:
        """Whether the taught lesson's state document holds all its steps show (see `REPLAYED_LESSONS`)."""
        return self.script is not None and lesson(self.script.lesson).mode not in REPLAYED_LESSONS

    async def _restore_when_idle(self, document: Mapping[str, object]) -> bool:
        """`_restore`, once more after the lesson's work is done if it was refused (lesson 6 training)."""
        if self._restore(document):
            return True
        if not self._restorable or getattr(self.screen, "busy", False) is not True:
            return False
        await self._until_idle()
        return self._restore(document)

    def _restore(self, document: Mapping[str, object]) -> bool:
        """Put the lesson back to `document`; False if the lesson refuses it now (e.g. while training)."""
        screen = self.screen
        if not isinstance(screen, LessonScreen) or self.app.screen is not screen:
            return False
        if not self._restorable:
            return False
        try:
            screen.restore(document["state"])  # type: ignore[arg-type]
        except Refusal:
            return False
        # As `open_document` does, without its notice: the section shown, every widget redrawn.
        screen.widgets_built()
        screen.refresh_bindings()
        return True

    async def _fresh_lesson(self) -> None:
        """Throw the lesson's screen away and build a new one, with the panel on it."""
        assert self.script is not None
        app, item = self.app, lesson(self.script.lesson)
        self.rebuilds += 1
        if app.current_mode == item.mode:
            await app.switch_mode("home")
        await app.rebuild_lesson(item)  # type: ignore[attr-defined]  # NNTuiApp
        self._last_key = ""
        await app.switch_mode(item.mode)
        self.screen = app.screen
        await self.screen.mount(TeacherPanel(self))
        await _settle(app)

    async def _perform(self, index: int, delay: float) -> None:
        """Press step `index`'s keys and type its numbers on the lesson screen."""
        assert self.script is not None and self.screen is not None
        self.index = index
        self.last_error = None
        step = self.script.steps[index]
        for number, key in enumerate(step.presses):
            if delay:
                await asyncio.sleep(delay)
            if number or key == self._last_key:
                await self._until_idle()
            self._check_on_screen()
            await self._press(key)
            self._last_key = key
        for number, typed in enumerate(step.typed):
            if delay:
                await asyncio.sleep(delay)
            if number or step.presses:
                await self._until_idle()
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

    async def _until_idle(self, limit: float = BUSY_LIMIT) -> None:
        """Wait while the lesson is busy with the last key (lesson 6 training one batch).

        A key pressed meanwhile would be refused ("training is running"), so
        n ×70 would not train 70 batches. Only keys within a step, or a step's
        first key repeating the last one, wait: another first key may be meant
        for the work still going on (i while a run goes on, r to stop it).
        """
        start = monotonic()
        while getattr(self.screen, "busy", False) is True and monotonic() - start < limit:
            await asyncio.sleep(0.005)

    async def _show_named(self) -> None:
        """Bring the widgets the step is about into view, above the panel."""
        if self.script is None or self.screen is None or self.app.screen is not self.screen:
            return
        panel = self.panel
        if panel is not None:
            await bring_into_view(self.screen, panel, self.script.steps[self.index].show)

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
    for a moment, and (unlike Pilot) when no message waits in a queue: a
    process the system did not run for a moment uses no CPU either. A
    shorter window than Pilot's keeps a replay quick; a lesson training in
    a thread never looks idle, so the wait is capped.
    """
    start = monotonic()
    while monotonic() - start < limit:
        cpu = process_time()
        await asyncio.sleep(window)
        if process_time() - cpu < window / 20 and not _messages_waiting(app):
            break
    await app.animator.wait_until_complete()


async def _queues_emptied(app: App, limit: float = 0.5) -> None:
    """Wait until no message waits in the app's queues (at most `limit` seconds: a training run posts on)."""
    start = monotonic()
    while _messages_waiting(app) and monotonic() - start < limit:
        await asyncio.sleep(0.002)


def _messages_waiting(app: App) -> bool:
    """Whether a key or message sent to the app still waits in the queue of the app, its screen or a widget on it.

    Watching the process's CPU alone was fooled on a loaded machine: a
    process the system did not run for a moment looked idle with its key
    still queued, and the step recorded the state from before the key (a
    teacher's Enter later put back that wrong state).
    """
    return any(node.message_queue_size for node in (app, *app.screen.walk_children(with_self=True)))
