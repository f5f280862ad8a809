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
- `SECTIONS`: its sections, each opened by a key and shown in the section bar;
- `BINDINGS`: its keys. Those with `show=True` are its main keys: the footer
  shows them first, in that order, then `?` and `q` (the other app keys, and
  the lesson's keys with `show=False`, are listed by `?` help). Every binding
  with an id and a label is also a command in the palette (ctrl+p), named by
  `command.<id>` in the lesson's catalogue if it has one, else by its label;
- `unsaved_work()`: what `q` would lose now (a catalogue key), so `q` asks first.

The base gives every lesson the same focus policy (nothing is focused until
the student Tabs into a field; Enter commits a field and Esc cancels it, both
giving the keys back to the lesson), one way to refuse (`refuse`: one
sentence from the catalogue, nothing changed) and the language rebuild.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import ClassVar

from rich.cells import cell_len
from textual import events, on
from textual.binding import ActiveBinding, Binding
from textual.widgets import ContentSwitcher, Footer, Input

from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields
from nn_tui.tui.lesson_commands import LessonCommands
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

    #: The palette (ctrl+p) lists every action of the lesson's keys.
    COMMANDS = {LessonCommands}
    #: The app's keys the footer shows after the lesson's own (binding ids, in order).
    FOOTER_APP_KEYS: ClassVar[tuple[str, ...]] = ("help", "quit")

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

    def teacher_snapshot(self) -> object | None:
        """The lesson's whole model, copied in memory, for teacher mode to put back exactly.

        Only a lesson whose state document leaves something out (lesson 6's
        trained network) writes it; None: the document says it all. A lesson
        busy in a worker asks it to pause and returns None; it is asked again
        once idle.
        """
        return None

    def teacher_resume(self, snapshot: object) -> None:
        """Make the lesson exactly what `teacher_snapshot` copied; raise `Refusal` (nothing changed) while busy."""
        raise NotImplementedError

    def unsaved_work(self) -> str | None:
        """What quitting now would lose, as a key of the lesson's catalogue (None: nothing).

        A lesson that trains returns, e.g., "quit.training" while it runs or
        "quit.unsaved" for a trained network not saved; `q` then asks first.
        """
        return None

    # --- the footer: the lesson's main keys first -----------------------------------

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active keys, ordered for the footer (which shows them in this order).

        The lesson's own keys come first, then those of the app's
        `FOOTER_APP_KEYS` that fit whole; the app's other keys (h, l, ...)
        are hidden from the footer: at 80 columns they pushed the lesson's
        keys off the edge. All are in `?` help.
        """
        bindings = super().active_bindings
        ordered = {key: active for key, active in bindings.items() if active.node is not self.app}
        app_keys = {key: active for key, active in bindings.items() if active.node is self.app}
        room = self._footer_room(ordered, bindings.get(self.app.COMMAND_PALETTE_BINDING))
        for binding_id in self.FOOTER_APP_KEYS:
            for key, active in app_keys.items():
                if active.binding.id == binding_id and key not in ordered:
                    # A key cut in half helps nobody (and a cut wide character garbles
                    # the line): one that does not fit is left out, and so are those after it.
                    room -= self._footer_width(active.binding)
                    if room >= 0:
                        ordered[key] = active._replace(binding=replace(active.binding, show=True))
        for key, active in app_keys.items():
            if key not in ordered:
                hidden = replace(active.binding, show=False) if active.binding.show else active.binding
                ordered[key] = active._replace(binding=hidden)
        return ordered

    def _footer_width(self, binding: Binding) -> int:
        """Columns Textual's Footer gives a key: the key, its label and their padding."""
        padding = 2 if self._compact_footer() else 3
        return cell_len(self.app.get_key_display(binding)) + cell_len(binding.description) + padding

    def _compact_footer(self) -> bool:
        footers = self.query_children(Footer)
        return bool(footers) and footers.first().compact

    def _footer_room(self, lesson_keys: Mapping[str, ActiveBinding], palette: ActiveBinding | None) -> int:
        """Columns the footer has left after the lesson's shown keys and the palette key docked at its right."""
        room = self.size.width
        if palette is not None:
            room -= self._footer_width(palette.binding)
        shown: set[str] = set()
        for active in lesson_keys.values():
            # The Footer shows one key per action.
            if active.binding.show and active.binding.action not in shown:
                shown.add(active.binding.action)
                room -= self._footer_width(active.binding)
        return room

    def on_resize(self) -> None:
        # Which app keys fit in the footer depends on the width: have it laid out again.
        self.refresh_bindings()

    # --- the state as a document ---------------------------------------------------

    def document(self) -> dict[str, object]:
        """The state with what it belongs to: the format's version and the lesson."""
        return {"nn_tui": STATE_FORMAT, "lesson": self.lesson().mode, "state": self.state()}

    def open_document(self, document: object, *, say_refusal: bool = True) -> bool:
        """Restore a document (see `document`); a bad one is refused with one sentence, nothing changed.

        `say_refusal=False`: refused without the sentence (a following
        student is told once, not at every message the teacher sends after).
        """
        try:
            fields = Fields(document, "document")
            if fields.integer("nn_tui") != STATE_FORMAT:
                raise Refusal("state.version", version=fields.table["nn_tui"], expected=STATE_FORMAT)
            if (mode := fields.text("lesson")) != self.lesson().mode:
                raise Refusal("state.other_lesson", lesson=mode)
            self.restore(fields.table_of("state").table)
        except Refusal as refusal:
            if say_refusal:
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
