"""What every lesson screen is: one base class, so every lesson behaves alike.

A lesson screen holds one model from `nn_tui.core.labs` (the single source
of truth) and writes:

- `compose()`: its widgets, once; the base builds them again for a new language;
- `refresh_view()`: every widget re-rendered from the model, called after
  mounting, after a language switch and after every change the lesson makes;
- `state()` / `restore(state)`: the student's work as a small JSON-able
  document and back. `restore` reads the document through
  `nn_tui.core.state.Fields`, builds everything first and changes the lesson
  only when the whole document was valid;
- `SECTIONS`: its sections, each opened by a key and shown in the section bar.

The base gives every lesson the same focus policy (nothing is focused until
the student Tabs into a field; Enter commits a field and Esc cancels it, both
giving the keys back to the lesson), one way to refuse (`refuse`: one
sentence from the catalogue, nothing changed) and the language rebuild.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

from textual import events, on
from textual.binding import Binding
from textual.widgets import ContentSwitcher, Input

from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields
from nn_tui.tui.lessons import Lesson
from nn_tui.tui.screen import NNScreen
from nn_tui.tui.widgets.section_bar import SectionBar

#: The version of the state document's format; a document of another version is refused.
STATE_FORMAT = 1


@dataclass(frozen=True)
class Section:
    """A part of a lesson, opened by `key`; its name in the catalogue is `tab.<name>`."""

    name: str
    key: str


class LessonScreen(NNScreen):
    """The base of every lesson's screen (see the module's docstring)."""

    # Letters are the lesson's keys: nothing is focused until the student Tabs into a field.
    AUTO_FOCUS = ""
    SECTIONS: ClassVar[tuple[Section, ...]] = ()
    BINDINGS = [Binding("escape", "leave_field", "Leave the field", show=False, id="leave_field")]

    def __init_subclass__(cls, **kwargs: object) -> None:
        # Each section's key is bound here, from the one declaration in SECTIONS.
        if "SECTIONS" in cls.__dict__:
            sections = [
                Binding(s.key, f"section('{s.name}')", s.name, show=False, id=f"section_{s.name}") for s in cls.SECTIONS
            ]
            cls.BINDINGS = [*sections, *cls.__dict__.get("BINDINGS", [])]
        super().__init_subclass__(**kwargs)

    def __init__(self) -> None:
        super().__init__()
        self.section: str = self.SECTIONS[0].name if self.SECTIONS else ""
        self._field_before: tuple[Input, str] | None = None

    @classmethod
    def lesson(cls) -> Lesson:
        """The declaration in the `__init__.py` of the lesson's folder."""
        return _declaration(cls.__module__.rpartition(".")[0])

    # --- what a lesson writes ----------------------------------------------------

    def refresh_view(self) -> None:
        """Re-render every widget from the model."""
        raise NotImplementedError

    def state(self) -> dict[str, object]:
        """What the student set and where they are, as plain JSON-able data."""
        raise NotImplementedError

    def restore(self, state: Mapping[str, object]) -> None:
        """Make the lesson show `state`; raise `Refusal` with nothing changed if it is not valid."""
        raise NotImplementedError

    # --- the state as a document ---------------------------------------------------

    def document(self) -> dict[str, object]:
        """The state with what it belongs to: the format's version and the lesson."""
        return {"nn_tui": STATE_FORMAT, "lesson": self.lesson().mode, "state": self.state()}

    def open_document(self, document: object) -> bool:
        """Restore a document (see `document`); a bad one is refused with one sentence, nothing changed."""
        try:
            fields = Fields(document, "document")
            if fields.integer("nn_tui") != STATE_FORMAT:
                raise Refusal("state.version", version=fields.table["nn_tui"], expected=STATE_FORMAT)
            if (mode := fields.text("lesson")) != self.lesson().mode:
                raise Refusal("state.other_lesson", lesson=mode)
            self.restore(fields.table_of("state").table)
        except Refusal as refusal:
            self.refuse(refusal)
            return False
        self._show_section()
        self.refresh_view()
        self.refresh_bindings()
        return True

    # --- refusing --------------------------------------------------------------------

    def refuse(self, reason: str | Refusal, **values: object) -> None:
        """Say in one sentence why something was not done (the lesson stays as it was)."""
        if isinstance(reason, Refusal):
            reason, values = reason.code, reason.values
        text = self.t(reason, **values) if reason in self.TEXT else self.t("refusal.other", code=reason)
        self.notify(text, severity="warning", timeout=6, markup=False)

    # --- sections ----------------------------------------------------------------------

    def action_section(self, name: str) -> None:
        if name == self.section or name not in {s.name for s in self.SECTIONS}:
            return
        self.section = name
        self._show_section()
        self.refresh_view()
        self.refresh_bindings()  # the footer's keys may depend on the section

    def _show_section(self) -> None:
        if not self.SECTIONS:
            return
        for switcher in self.query(ContentSwitcher).filter("#sections"):
            switcher.current = self.section
        for bar in self.query(SectionBar):
            bar.show([(s.key, self.t(f"tab.{s.name}"), s.name == self.section) for s in self.SECTIONS])

    def widgets_built(self) -> None:
        self._show_section()
        super().widgets_built()

    # --- focus: the keys belong to the lesson unless a field is being typed in ---------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, Input):
            self._field_before = (event.widget, event.widget.value)

    @on(Input.Submitted)
    def _leave_after_enter(self) -> None:
        self.set_focus(None)

    def action_leave_field(self) -> None:
        """Esc: leave the field, putting back what it held (a NumberInput its number)."""
        focused = self.focused
        if isinstance(focused, Input) and self._field_before is not None and self._field_before[0] is focused:
            focused.value = self._field_before[1]
        self.set_focus(None)


@cache
def _declaration(package: str) -> Lesson:
    from nn_tui.tui.lessons import lesson_of_mode

    found = lesson_of_mode(package.rpartition(".")[2])
    if found is None:
        found = importlib.import_module(package).LESSON
    return found
