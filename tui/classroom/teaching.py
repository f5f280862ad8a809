"""The teacher's app on the air: what it shows, published to the class on every change.

`Broadcasting.run` (an app worker) opens the socket and then looks at what
the app shows: the lesson (its `document()`), the teacher-mode step and the
step's text; when that changed it is published. It looks right after each
key or click (`nudge`), and every `INTERVAL` for what changes on its own (a
training run's progress).
Looking costs the teacher the document's encoding, so a large document is
looked at less often (at most `SHARE` of the time); a follower costs the
teacher nothing (see `Broadcaster`). The pictures students ask for are
painted by painters it starts (see `painters`).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import TYPE_CHECKING, Any

from nn_tui.tui.classroom.broadcaster import Broadcaster
from nn_tui.tui.classroom.painters import Painters
from nn_tui.tui.classroom.protocol import ProtocolError
from nn_tui.tui.classroom.shown import RUN_KEY, STEP_KEY, shown_lesson, step_document
from nn_tui.tui.classroom.socket_file import SocketFileError
from nn_tui.tui.classroom.text import TEXT

if TYPE_CHECKING:
    from textual.app import App

#: The time between two looks at what the app shows when nobody types (seconds): a
#: training run's progress; a key or click makes it look at once (see `nudge`).
INTERVAL = 0.2
#: After a key, a second look this much later (seconds).
NUDGE_AGAIN = 0.05
#: The most of the teacher's time spent encoding what it shows.
SHARE = 0.05


class Broadcasting:
    """Publishes what `app` shows at `path` (see the module's docstring)."""

    def __init__(self, app: App, path: str, mode: int | None = None) -> None:
        self.app = app
        self.path = path
        self.broadcaster = Broadcaster(path, mode=mode)
        self.painters = Painters(path)
        self.broadcaster.on_request = self.painters.ask
        self.on_air = False
        self.published = 0
        self._last: str | None = None
        self._refused: str | None = None
        self._nudged = False

    def t(self, key: str, **values: object) -> str:
        return TEXT.get(key, getattr(self.app, "language", "en"), **values)

    async def run(self) -> None:
        try:
            await self.broadcaster.start()
        except SocketFileError as error:
            self.app.notify(self.t(f"broadcast.{error.code}", path=self.path, **error.values),
                            severity="error", timeout=30, markup=False)
            return
        self.on_air = True
        self.app.notify(self.t("broadcast.on", path=self.path), timeout=10, markup=False)
        try:
            while True:
                began = time.perf_counter()
                self.look()
                await asyncio.sleep(max(INTERVAL, (time.perf_counter() - began) / SHARE))
        finally:
            self.on_air = False
            await self.broadcaster.close()
            await self.painters.close()

    def nudge(self) -> None:
        """A key or click just arrived: look once it has been handled, not at the next tick only."""
        if self.on_air and not self._nudged:
            self._nudged = True
            self.app.call_after_refresh(self._look_after_nudge)

    def _look_after_nudge(self) -> None:
        self._nudged = False
        self.look()
        # A key may start work that changes the lesson a moment later (a worker, a timer).
        self.app.set_timer(NUDGE_AGAIN, self.look)

    def now(self) -> tuple[str, int | None, dict[str, Any]] | None:
        """The lesson, step and document the app shows; None while a lesson is half built."""
        screen = shown_lesson(self.app)
        if screen is None:
            return "", None, {}
        if screen.rebuilding or not screen.is_mounted:
            return None
        try:
            document = screen.document()
        except Exception:  # noqa: BLE001 - a lesson between two states: look again next time
            return None
        run_status = getattr(screen, "run_status", None)  # lesson 6's training run
        if isinstance(run_status, str):
            document = {**document, RUN_KEY: run_status}
        teacher = getattr(self.app, "teacher", None)
        step = None
        if teacher is not None and teacher.teaching and teacher.screen is screen:
            script = teacher.script
            step = teacher.index
            document = {**document, STEP_KEY: step_document(script.steps[step], len(script), script.lesson)}
        return screen.lesson().mode, step, document

    def look(self) -> None:
        """Publish what the app shows if it changed since the last look."""
        now = self.now()
        if now is None:
            return
        try:
            key = json.dumps(now, sort_keys=True, default=repr)
        except (TypeError, ValueError, RecursionError):
            key = None
        if key is not None and key == self._last:
            return
        try:
            self.broadcaster.publish(*now)
        except ProtocolError as error:
            if self._refused != error.code:
                self._refused = error.code
                self.app.notify(self.t("broadcast.refused", code=error.code), severity="warning", timeout=8,
                                markup=False)
        else:
            self._refused = None
            self.published += 1
        self._last = key
