"""The lessons, found from their folders.

A lesson is one package here, `tui/lessons/<name>/`, holding:

- `__init__.py`: its declaration, `LESSON = Lesson(number, title)` (plain data:
  the command line lists lessons without importing Textual);
- `screen.py`: `SCREEN`, its `LessonScreen`, beside `screen.tcss`;
- `text.py`: its table of texts in English and 简体中文;
- `script.json`: its teacher-mode script.

The home list, the number keys, `--lesson` and `--teach`, the command palette,
help and teacher mode all come from these declarations, so a new lesson is a
new folder here (and its model in `nn_tui.core.labs`), with no other file edited.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nn_tui.tui.lesson_screen import LessonScreen


@dataclass(frozen=True)
class Lesson:
    """What the app needs to know of a lesson before opening it."""

    number: int
    title_en: str
    title_zh: str
    #: The folder's name; also the lesson's Textual mode. Filled in by discovery.
    mode: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        """The key that opens the lesson."""
        return str(self.number)

    @property
    def package(self) -> str:
        return f"{__name__}.{self.mode}"

    @property
    def folder(self) -> Path:
        return Path(__file__).parent / self.mode

    @property
    def script_path(self) -> Path:
        """The shipped teacher-mode script."""
        return self.folder / "script.json"

    def title(self, language: str) -> str:
        return self.title_zh if language == "zh" else self.title_en

    def load_screen(self) -> type[LessonScreen]:
        """The lesson's screen class, imported on first use so the app starts fast."""
        return importlib.import_module(f"{self.package}.screen").SCREEN


@cache
def all_lessons() -> tuple[Lesson, ...]:
    """Every lesson folder's declaration, by number."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.ispkg:
            declared = importlib.import_module(f"{__name__}.{info.name}").LESSON
            found.append(replace(declared, mode=info.name))
    found.sort(key=lambda item: item.number)
    numbers = [item.number for item in found]
    if len(set(numbers)) != len(numbers) or not all(1 <= n <= 9 for n in numbers):
        raise RuntimeError(f"lesson numbers must be distinct digits 1-9, found {numbers}")
    return tuple(found)


def lesson(number: int) -> Lesson:
    for item in all_lessons():
        if item.number == number:
            return item
    raise ValueError(f"there is no lesson {number}; lessons are {number_range()}")


def lesson_of_mode(mode: str) -> Lesson | None:
    return next((item for item in all_lessons() if item.mode == mode), None)


def number_range() -> str:
    """"1-7": how help and the command line name the lesson keys."""
    numbers = [item.number for item in all_lessons()]
    return f"{numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else str(numbers[0])
