"""What the app shows now, as the classroom sees it: the lesson screen, and the teacher's step."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from nn_tui.tui.lesson_screen import LessonScreen
from nn_tui.tui.teacher.script import ScriptError, Step, parse_script

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

#: The key a broadcast document carries the teacher's step under (a lesson's restore never reads it).
STEP_KEY = "teacher_step"
#: The key it carries the status of the teacher's training run under (lesson 6: a document says
#: "stopped" for a run that is running, as a saved one is; a student sees "running").
RUN_KEY = "teacher_run"


def shown_lesson(app: App) -> LessonScreen | None:
    """The lesson screen of the mode on view (under help or the palette, if they are open)."""
    for screen in reversed(app.screen_stack):
        if isinstance(screen, LessonScreen):
            return screen
    return None


async def drawn(screen: Screen) -> None:
    """Wait until `screen` has drawn once more (after its widgets were built)."""
    done = asyncio.get_running_loop().create_future()
    screen.call_after_refresh(lambda: done.done() or done.set_result(None))
    await done


def step_document(step: Step, total: int, lesson_number: int) -> dict[str, Any]:
    """The teacher's step as the follower's panel needs it (a script of one step, as a file writes it)."""
    return {
        "lesson": lesson_number,
        "total": total,
        "step": {
            "title": {"en": step.title.en, "zh": step.title.zh},
            "text": {"en": step.text.en, "zh": step.text.zh},
            "keys": list(step.keys),
            "type": [{"field": typed.field, "value": typed.value} for typed in step.typed],
        },
    }


def read_step_document(raw: object) -> tuple[Step, int] | None:
    """The step and the script's length, checked as a script file is; None if it is not a good one."""
    if not isinstance(raw, Mapping):
        return None
    total = raw.get("total")
    if type(total) is not int or not 1 <= total <= 10_000:
        return None
    try:
        script = parse_script({"lesson": raw.get("lesson"), "title": {"en": "-", "zh": "-"}, "steps": [raw.get("step")]})
    except ScriptError:
        return None
    return script.steps[0], total


class SharedStep:
    """What the teacher panel reads of a `Teacher`, for a follower: the teacher's step, shown only."""

    def __init__(self) -> None:
        self.script: _OneStep | None = None
        self.index = 0
        self.size = "normal"
        self.busy = False

    def show(self, step: Step, index: int, total: int) -> None:
        self.script, self.index = _OneStep({index: step}, total), index


class _OneStep:
    """A script of which only the shown step is known."""

    def __init__(self, steps: dict[int, Step], total: int) -> None:
        self.steps = steps
        self.total = total

    def __len__(self) -> int:
        return self.total
