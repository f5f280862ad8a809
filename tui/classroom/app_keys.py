"""The app's side of the classroom: --open, F2 (save state), --broadcast, --follow with F7 / F8.

Mixed into the App class, like `TeacherKeys`: the app calls `init_classroom`
in its constructor, lists `CLASSROOM_BINDINGS` in its BINDINGS, asks
`holds_input` before handling a key or click, and yields `classroom_commands`
in its palette.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.app import SystemCommand
from textual.binding import Binding

from nn_tui.tui.classroom.following import Following
from nn_tui.tui.classroom.save_dialog import SaveStateDialog
from nn_tui.tui.classroom.shown import drawn, shown_lesson
from nn_tui.tui.classroom.teaching import Broadcasting
from nn_tui.tui.classroom.text import TEXT
from nn_tui.tui.lessons import lesson_of_mode
from nn_tui.tui.screen import localize_bindings
from nn_tui.tui.state_file import StateFileError, default_name, read_state, save_state

if TYPE_CHECKING:
    from textual.app import App

CLASSROOM_BINDINGS: list[Binding] = [
    Binding("f2", "save_state", "Save state", show=False, id="save_state"),
    Binding("f7", "break_off", "On my own", show=False, id="break_off"),
    Binding("f8", "rejoin", "Rejoin", show=False, id="rejoin"),
]


class ClassroomKeys:
    """The classroom's part of the app (see the module's docstring)."""

    following: Following | None
    broadcasting: Broadcasting | None

    def init_classroom(
        self,
        open_file: str | os.PathLike[str] | None = None,
        broadcast: str | None = None,
        follow: str | None = None,
        breaking_off: bool = False,
    ) -> None:
        app: App = self  # type: ignore[assignment]
        self._open_file = os.fspath(open_file) if open_file is not None else None
        self.broadcasting = Broadcasting(app, broadcast) if broadcast else None
        self.following = Following(app, follow, breaking_off=breaking_off) if follow else None

    def on_mount(self) -> None:
        app: App = self  # type: ignore[assignment]
        app.watch(app, "language", self._relabel_classroom_keys, init=True)
        if self._open_file is not None:
            app.run_worker(self.open_state_file(self._open_file), group="classroom-open", exit_on_error=False)
        if self.broadcasting is not None:
            app.run_worker(self.broadcasting.run(), group="classroom-broadcast", exit_on_error=False)
        if self.following is not None:
            app.run_worker(self.following.run(), group="classroom-follow", exit_on_error=False)

    def _relabel_classroom_keys(self, language: str) -> None:
        localize_bindings(self, TEXT, language)  # type: ignore[arg-type]

    def _t(self, key: str, **values: object) -> str:
        return TEXT.get(key, getattr(self, "language", "en"), **values)

    def holds_input(self, event: events.Event) -> bool:
        """Whether a key or click is held back (a student following the teacher).

        A teacher's key or click makes it look for a change at once (see `Broadcasting.nudge`).
        """
        if self.broadcasting is not None and isinstance(event, (events.Key, events.MouseUp, events.Paste)):
            self.broadcasting.nudge()
        return self.following is not None and self.following.holds(event)

    # --- state files ---------------------------------------------------------------

    async def open_state_file(self, path: str) -> bool:
        """Open the lesson of the state file at `path` and show its state; one sentence if it cannot."""
        app: App = self  # type: ignore[assignment]
        try:
            document = read_state(path)
        except StateFileError as error:
            app.notify(self._t(error.code, **error.values), severity="error", timeout=12, markup=False)
            return False
        item = lesson_of_mode(str(document["lesson"]))
        if item is None:
            app.notify(self._t("file.unknown_lesson", path=path, lesson=str(document["lesson"])[:40]),
                       severity="error", timeout=12, markup=False)
            return False
        before = app.current_mode
        if app.current_mode != item.mode:
            await app.switch_mode(item.mode)
            await drawn(app.screen)
        screen = shown_lesson(app)
        if screen is None:
            return False
        if screen.open_document(document):
            return True
        if before != item.mode:  # refused (the lesson said why): back where the app was
            await app.switch_mode(before)
        return False

    def action_save_state(self) -> None:
        app: App = self  # type: ignore[assignment]
        screen = shown_lesson(app)
        if screen is None:
            app.notify(self._t("save.no_lesson"), timeout=5, markup=False)
            return
        suggested = default_name(screen.lesson().mode)

        def save(path: str | None) -> None:
            if path is None:
                return
            try:
                written = save_state(path, screen.document())
            except StateFileError as error:
                app.notify(self._t(error.code, **error.values), severity="error", timeout=10, markup=False)
                return
            app.notify(self._t("save.done", path=str(written)), timeout=8, markup=False)

        app.push_screen(SaveStateDialog(suggested, getattr(app, "language", "en")), save)

    # --- following ------------------------------------------------------------------------

    def action_break_off(self) -> None:
        if self.following is None:
            self._not_following()
        else:
            self.following.break_off()

    def action_rejoin(self) -> None:
        if self.following is None:
            self._not_following()
        else:
            self.following.rejoin()

    def _not_following(self) -> None:
        self.notify(self._t("follow.not_following"), timeout=5, markup=False)  # type: ignore[attr-defined]


def classroom_commands(app: ClassroomKeys, language: str) -> Iterable[SystemCommand]:
    """Palette entries: save the state; break off and rejoin while following."""
    t = partial(TEXT.get, language=language)
    yield SystemCommand(t("palette.save_state"), t("palette.save_state_help"), app.action_save_state)
    if app.following is not None:
        if app.following.on_own:
            yield SystemCommand(t("palette.rejoin"), t("palette.rejoin_help"), app.action_rejoin)
        else:
            yield SystemCommand(t("palette.break_off"), t("palette.break_off_help"), app.action_break_off)
