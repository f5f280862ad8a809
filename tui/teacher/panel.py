"""The teacher's panel: the current step's title and explanation, big enough for the back of a room."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import Static

from nn_tui.tui.teacher.fold import fold
from nn_tui.tui.teacher.script import Step, split_repeat
from nn_tui.tui.teacher.text import TEXT
from nn_tui.tui.widgets.readout import Readout

if TYPE_CHECKING:
    from nn_tui.tui.teacher.controller import Teacher

#: Panel sizes F6 cycles through (CSS classes of `TeacherPanel`).
PANEL_SIZES: tuple[str, ...] = ("normal", "large", "mini")

def key_names(step: Step) -> str:
    """What the app does for a step, as the panel shows it: `a b · w1 = 0.5`."""
    shown = []
    for entry in step.keys:
        key, count = split_repeat(entry)
        shown.append(f"{key} ×{count}" if count > 1 else key)
    parts = [" ".join(shown)] if shown else []
    parts += [f"{typed.field} = {typed.value}" for typed in step.typed]
    return " · ".join(parts)


class TeacherPanel(Vertical):
    """The explanation of the current step, big enough for the back of a room."""

    # A system widget survives the lesson's recompose on a language switch.
    DEFAULT_CLASSES = "-textual-system -normal"
    # A title row and as many lines as the text needs (up to a third of the
    # screen), above the lesson's footer: the lesson keeps every other row. F6
    # makes it half the screen or one row.
    DEFAULT_CSS = """
    TeacherPanel {
        dock: bottom;
        margin-bottom: 1;
        height: auto;
        max-height: 33%;
        background: $boost;
    }
    TeacherPanel.-large { height: 50%; max-height: 50%; min-height: 10; }
    TeacherPanel.-mini { height: 1; min-height: 1; max-height: 1; }
    TeacherPanel.-mini #teach-text, TeacherPanel #teach-hints { display: none; }
    TeacherPanel.-large #teach-hints { display: block; }
    TeacherPanel #teach-bar {
        height: 1;
        background: $accent;
    }
    TeacherPanel #teach-head {
        width: 1fr;
        padding: 0 1;
        color: $text;
        text-style: bold;
    }
    TeacherPanel #teach-keys {
        width: auto;
        max-width: 50%;
        padding: 0 1;
        color: $text;
    }
    TeacherPanel.-large #teach-text { height: 1fr; }
    TeacherPanel #teach-text {
        height: auto;
        padding: 0 2;
        color: $text;
        text-style: bold;
    }
    TeacherPanel #teach-hints {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def __init__(self, teacher: Teacher) -> None:
        super().__init__(id="teacher-panel")
        self.teacher = teacher
        #: At most this many lines of the text (None: all); the rest is one F6 away.
        self.text_rows: int | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="teach-bar"):
            yield Readout(id="teach-head", markup=False)
            yield Readout(id="teach-keys", markup=False)
        yield Readout(id="teach-text", markup=False)
        yield Readout(id="teach-hints", markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "language", lambda _: self.show(), init=False)
        self.show()

    def t(self, key: str, **values: object) -> str:
        return TEXT.get(key, getattr(self.app, "language", "en"), **values)

    def on_resize(self) -> None:
        self.call_after_refresh(self.show)

    def show(self) -> None:
        """Render the current step of the teacher's script."""
        teacher = self.teacher
        script = teacher.script
        if script is None or not self.is_attached:
            return
        parts = self._parts()
        if parts is None:
            # Mounted but not composed yet (F6 or a step pressed while the teacher
            # rebuilds the lesson): `on_mount` shows the step once the parts are there.
            return
        head_box, keys, box, hints = parts
        language = getattr(self.app, "language", "en")
        for size in PANEL_SIZES:
            self.set_class(size == teacher.size, f"-{size}")
        step = script.steps[teacher.index]
        head = Text(self.t("teach.head", k=teacher.index + 1, total=len(script)), no_wrap=True, overflow="ellipsis")
        head.append("  ▸ ")
        head.append(step.title.get(language))
        head_box.update(head)
        pressed = key_names(step)
        keys.display = bool(pressed)
        keys.update(Text(self.t("teach.pressed", keys=pressed) if pressed else "", no_wrap=True, overflow="ellipsis"))
        lines = self._lines(step.text.get(language), box)
        rows = self.text_rows if teacher.size == "normal" and self.text_rows is not None else len(lines)
        if rows < len(lines):
            lines = lines[:rows]
            if lines:
                lines[-1] = lines[-1][: max(box.content_size.width - 2, 0)].rstrip() + " …"
        box.display = bool(lines) and teacher.size != "mini"
        box.update("\n".join(lines))
        hints.update(self.t("teach.hints"))

    def text_lines(self) -> int:
        """How many lines the step's text takes at the panel's width."""
        parts, script = self._parts(), self.teacher.script
        if parts is None or script is None:
            return 0
        language = getattr(self.app, "language", "en")
        return len(self._lines(script.steps[self.teacher.index].text.get(language), parts[2]))

    def _lines(self, text: str, box: Static) -> list[str]:
        # Before the first layout the width is unknown: the panel's own width less the padding.
        width = box.content_size.width or max(self.size.width - 4, 0) or self.app.size.width - 4
        return fold(text, width).split("\n")

    def _parts(self) -> tuple[Static, Static, Static, Static] | None:
        """The head, keys, text and hints lines; None while they are not all mounted."""
        try:
            return tuple(self.query_one(f"#teach-{name}", Static) for name in ("head", "keys", "text", "hints"))
        except NoMatches:
            return None
