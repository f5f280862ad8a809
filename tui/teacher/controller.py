"""Teacher mode: a lesson walked through as scripted steps, Enter = next.

`Teacher` performs a script (`nn_tui.tui.teacher.script`) on the real lesson
screen: entering a step presses its keys and types its numbers as if the
teacher had. Going back rebuilds the lesson from scratch and replays the
steps before, so every step always shows the same state. `TeacherPanel` is
the big explanation panel docked under the lesson; `TeacherKeys` gives the app
its teacher keys (Enter, Backspace, Ctrl+T, F6) and palette commands.
"""

from __future__ import annotations

import asyncio
import re
from time import monotonic, process_time
from collections.abc import Coroutine, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.app import ComposeResult, SystemCommand, UnknownModeError
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, get_current_worker

from nn_tui.tui.teacher.script import LessonScript, ScriptError, Step, load_script, shipped_script, split_repeat
from nn_tui.tui.i18n import COMMON
from nn_tui.tui.lessons import Lesson, all_lessons, lesson, lesson_of_mode, number_range
from nn_tui.tui.screen import localize_bindings
from nn_tui.tui.textual_private import binds_key, key_event

if TYPE_CHECKING:
    from textual.app import App

TEXT = COMMON.extend(
    {
        "teach.head": ("Step {k} / {total}", "第 {k} / {total} 步"),
        "teach.pressed": ("keys: {keys}", "按键：{keys}"),
        "teach.hints": (
            "Enter next step · Backspace previous · F6 panel size · Ctrl+T stop teaching",
            "Enter 下一步 · Backspace 上一步 · F6 面板大小 · Ctrl+T 结束教学",
        ),
        "teach.working": ("… setting up the step …", "……正在准备这一步……"),
        "teach.first": ("This is the first step.", "已经是第一步。"),
        "teach.last": (
            "That was the last step. Backspace goes back, Ctrl+T ends teaching.",
            "这是最后一步。Backspace 返回上一步，Ctrl+T 结束教学。",
        ),
        "teach.cannot": ("Cannot teach: {error}", "无法开始教学：{error}"),
        "teach.open_lesson": (
            "Open a lesson ({lessons}) first, then press Ctrl+T; or Ctrl+P → Teach lesson N.",
            "请先打开一课（{lessons}）再按 Ctrl+T；或 Ctrl+P → 教学模式。",
        ),
        "teach.step_failed": ("Step {k} could not be done: {error}", "第 {k} 步无法完成：{error}"),
        "teach.stopped": ("Teaching stopped; the lesson stays as it is.", "教学结束；课程保持当前状态。"),
        "key.teach_next": ("Next step", "下一步"),
        "key.teach_back": ("Previous step", "上一步"),
        "key.teach_toggle": ("Teach (start/stop)", "教学模式（开始/结束）"),
        "key.teach_size": ("Teacher panel size", "教学面板大小"),
        "palette.teach": ("Teach lesson {n}: {title}", "教学模式：第{n}课 {title}"),
        "palette.teach_help": (
            "Walk through the lesson step by step: Enter next, Backspace previous",
            "逐步讲解本课：Enter 下一步，Backspace 上一步",
        ),
    }
)

#: Priority keys act only while teaching on the taught lesson (see `TeacherKeys.check_action`).
TEACH_BINDINGS: list[Binding] = [
    Binding("enter", "teach_next", "Next step", show=False, priority=True, id="teach_next"),
    Binding("backspace", "teach_back", "Previous step", show=False, priority=True, id="teach_back"),
    Binding("ctrl+t", "teach_toggle", "Teach (start/stop)", show=False, id="teach_toggle"),
    Binding("f6", "teach_size", "Teacher panel size", show=False, id="teach_size"),
]

#: Panel sizes F6 cycles through (CSS classes of `TeacherPanel`).
PANEL_SIZES: tuple[str, ...] = ("normal", "large", "mini")

#: Pause between the keys of the step being entered, so the class sees them land.
KEY_DELAY = 0.15


def key_names(step: Step) -> str:
    """What the app does for a step, as the panel shows it: `a b · w1 = 0.5`."""
    shown = []
    for entry in step.keys:
        key, count = split_repeat(entry)
        shown.append(f"{key} ×{count}" if count > 1 else key)
    parts = [" ".join(shown)] if shown else []
    parts += [f"{typed.field} = {typed.value}" for typed in step.typed]
    return " · ".join(parts)


# Chinese has no spaces: a line may break between any two characters, but not
# before closing punctuation (，。：). Latin words still break only at spaces.
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_NO_LINE_START = frozenset("，。：；、！？）》」』】,.:;!?)")


def fold(text: str, width: int) -> str:
    """`text` broken into lines of at most `width` cells, Chinese and English alike."""
    if width <= 0:
        return text
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for space, word in _words(paragraph):
            piece = (" " if space and line else "") + word
            if line and cell_len(line + piece) > width:
                lines.append(line)
                line = word
            else:
                line += piece
        lines.append(line)
    return "\n".join(lines)


def _words(text: str) -> list[tuple[bool, str]]:
    """(space before?, word) pairs; each Chinese character is a word of its own."""
    words: list[tuple[bool, str]] = []
    word, space, ends_word = "", False, False
    for char in text:
        if char == " ":
            if word:
                words.append((space, word))
                word = ""
            space, ends_word = True, False
        elif char in _NO_LINE_START:
            word += char
        elif _CJK.match(char) or ends_word:
            if word:
                words.append((space, word))
                space = False
            word, ends_word = char, bool(_CJK.match(char))
        else:
            word += char
    if word:
        words.append((space, word))
    return words


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


class TeacherPanel(Vertical):
    """The explanation of the current step, big enough for the back of a room."""

    # A system widget survives the lesson's recompose on a language switch.
    DEFAULT_CLASSES = "-textual-system -normal"
    # 80x24: a title row and four lines of text, above the lesson's footer (the
    # lesson keeps 18 rows); a quarter of taller screens; F6 makes it half the
    # screen or one row.
    DEFAULT_CSS = """
    TeacherPanel {
        dock: bottom;
        margin-bottom: 1;
        height: 22%;
        min-height: 5;
        background: $boost;
    }
    TeacherPanel.-large { height: 50%; min-height: 10; }
    TeacherPanel.-mini { height: 1; min-height: 1; }
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
    TeacherPanel #teach-text {
        height: 1fr;
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

    def compose(self) -> ComposeResult:
        with Horizontal(id="teach-bar"):
            yield Static(id="teach-head", markup=False)
            yield Static(id="teach-keys", markup=False)
        yield Static(id="teach-text", markup=False)
        yield Static(id="teach-hints", markup=False)

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
        language = getattr(self.app, "language", "en")
        for size in PANEL_SIZES:
            self.set_class(size == teacher.size, f"-{size}")
        step = script.steps[teacher.index]
        head = Text(self.t("teach.head", k=teacher.index + 1, total=len(script)), no_wrap=True, overflow="ellipsis")
        head.append("  ▸ ")
        head.append(step.title.get(language))
        self.query_one("#teach-head", Static).update(head)
        pressed = key_names(step)
        keys = self.query_one("#teach-keys", Static)
        keys.display = bool(pressed)
        keys.update(Text(self.t("teach.pressed", keys=pressed) if pressed else "", no_wrap=True, overflow="ellipsis"))
        text = self.t("teach.working") if teacher.busy else step.text.get(language)
        box = self.query_one("#teach-text", Static)
        box.update(fold(text, box.content_size.width))
        self.query_one("#teach-hints", Static).update(self.t("teach.hints"))


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

        A script that does not load, or a lesson not built yet, is reported
        and nothing changes.
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
