"""The app's side of teacher mode: its keys (Enter, Backspace, Ctrl+T, F6) and palette entries."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.actions import SkipAction
from textual.app import SystemCommand
from textual.binding import Binding
from textual.widgets import Input

from nn_tui.tui.lessons import all_lessons, lesson_of_mode, number_range
from nn_tui.tui.screen import localize_bindings
from nn_tui.tui.teacher.controller import Teacher
from nn_tui.tui.teacher.text import TEXT
from nn_tui.tui.textual_private import binds_key

if TYPE_CHECKING:
    from textual.app import App

#: Priority keys act only while teaching on the taught lesson (see `TeacherKeys.check_action`).
TEACH_BINDINGS: list[Binding] = [
    Binding("enter", "teach_next", "Next step", show=False, priority=True, id="teach_next"),
    Binding("backspace", "teach_back", "Previous step", show=False, priority=True, id="teach_back"),
    Binding("ctrl+t", "teach_toggle", "Teach (start/stop)", show=False, id="teach_toggle"),
    Binding("f6", "teach_size", "Teacher panel size", show=False, id="teach_size"),
]

class TeacherKeys:
    """The app's side of teacher mode: mixed into the App class.

    Needs `self.teacher` (a `Teacher`) and `TEACH_BINDINGS` in the app's BINDINGS.
    """

    teacher: Teacher

    def on_mount(self) -> None:
        app: App = self  # type: ignore[assignment]
        app.watch(app, "language", self._relabel_teacher_keys, init=True)
        if self.teacher.start_with is not None:
            self.teacher.start(self.teacher.start_with)

    def _relabel_teacher_keys(self, language: str) -> None:
        localize_bindings(self, TEXT, language)  # type: ignore[arg-type]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Listed in help only while teaching; the actions themselves pass the key
        # on when the taught lesson is not on screen (help, palette, another lesson).
        if action in ("teach_next", "teach_back", "teach_size"):
            return self.teacher.teaching
        if action == "command_palette" and self.teacher.busy:
            # Not while a step is entered: a step may rebuild the lesson (switch to home,
            # drop the lesson's mode, switch back), and a palette pushed meanwhile was
            # mounted on another mode's screen stack (IndexError in CommandPalette._on_mount).
            return False
        return True

    def action_teach_next(self) -> None:
        self._leave_key_to_focused("enter")
        self.teacher.next()

    def action_teach_back(self) -> None:
        self._leave_key_to_focused("backspace")
        self.teacher.back()

    def action_teach_size(self) -> None:
        self._leave_key_to_focused("f6")
        self.teacher.cycle_size()

    def _leave_key_to_focused(self, key: str) -> None:
        """Pass the key on unless the taught lesson is on screen and nothing focused wants it.

        A focused field or list keeps its own Enter / Backspace (typing, picking).
        """
        if not self.teacher.on_taught_screen:
            raise SkipAction()
        screen = self.teacher.screen
        node = screen.focused if screen is not None else None
        while node is not None and node is not screen:
            if isinstance(node, Input) or binds_key(node, key):
                raise SkipAction()
            node = node.parent

    def action_teach_toggle(self) -> None:
        teacher = self.teacher
        if teacher.on_taught_screen:
            teacher.stop()
            return
        item = lesson_of_mode(self.current_mode)  # type: ignore[attr-defined]
        if item is None:
            self.notify(teacher.t("teach.open_lesson", lessons=number_range()), timeout=6, markup=False)  # type: ignore[attr-defined]
            return
        teacher.start(item.number)


def teach_commands(app: App, language: str) -> Iterable[SystemCommand]:
    """Command palette entries "Teach lesson N" for every lesson."""
    t = partial(TEXT.get, language=language)
    for item in all_lessons():
        yield SystemCommand(
            t("palette.teach", n=item.number, title=item.title(language)),
            t("palette.teach_help"),
            partial(app.teacher.start, item.number),  # type: ignore[attr-defined]
        )
