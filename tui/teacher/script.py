"""Teacher scripts: a lesson walked through as a fixed list of steps.

A script is a JSON file (see `tui/teacher/SCRIPTS.md`) a teacher can copy
and edit without touching code. Each step has a title and an explanation in
English and Chinese, and says what the app does when the step is entered:
keys pressed on the lesson screen, numbers typed into its fields. This module
only reads and checks scripts; the app performs them (`nn_tui.tui.teacher.controller`).

A broken script is refused as a whole with a `ScriptError` naming the file,
the step and the field, so a class never sees half a lesson.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from nn_tui.tui.lessons import all_lessons, lesson as lesson_of_number

LANGUAGES: tuple[str, ...] = ("en", "zh")
#: The numbers of the lessons, from their declarations.
LESSONS: tuple[int, ...] = tuple(item.number for item in all_lessons())

#: Keys a script may not press: they belong to the app (home, language,
#: quit, help, lessons, palette) or to the teacher (stop, panel size), and
#: pressing them would leave the lesson or the script. Enter and Backspace
#: are allowed: they reach the lesson when a field or list has the focus.
RESERVED_KEYS: frozenset[str] = frozenset(
    {
        "h", "l", "q", "?", "question_mark", "ctrl+p", "ctrl+q", "ctrl+c",
        *(str(n) for n in LESSONS),
        "ctrl+t", "f6",
    }
)  # fmt: skip

# A script drives a lesson; it never writes, reads or names a file (a shared
# script must not be able to overwrite ~/.bashrc). So it may not type into a
# field that holds a file or folder path, nor press a key that saves, loads or
# exports a file. Keep these lists in step with the lessons' own fields and keys.

#: Widget ids of the fields that hold a path (lesson 6: data folder, network file, CSV file).
FILE_FIELDS: frozenset[str] = frozenset({"folder", "network-file", "csv-file"})

#: Keys that write a file in every lesson: F12 saves an SVG screenshot.
FILE_KEYS: frozenset[str] = frozenset({"f12"})

#: Keys that touch files in one lesson, by the lesson's folder (its mode). In
#: training: ctrl+s and w save the network, o loads it, e exports the CSV; tab
#: and shift+tab (ctrl+i is tab) move into the form, where keys would type a
#: path into the file fields.
FILE_KEYS_OF_LESSON: Mapping[str, frozenset[str]] = MappingProxyType(
    {"training": frozenset({"ctrl+s", "w", "o", "e", "tab", "ctrl+i", "shift+tab"})}
)

#: Bounds of a script file: it is read whole into memory and parsed.
MAX_SCRIPT_BYTES = 256 * 1024
MAX_DEPTH = 20  # a script nests 5 deep: script, steps, step, type list, entry
MAX_NUMBER_CHARS = 40

# A Textual key name ("a", "G", "space", "shift+left", "left_square_bracket")
# or one printable character ("[", "+").
_KEY_NAME = re.compile(r"^(?:[a-z]+\+)*[A-Za-z0-9_]+$|^[^\sA-Za-z0-9]$")

_WIDGET_ID = re.compile(r"[A-Za-z_][\w-]*")

_REPEAT = re.compile(r"^(.+)\*([0-9]+)$")
MAX_REPEAT = 100

_SCRIPT_FIELDS = {"lesson", "title", "steps"}
_STEP_FIELDS = {"title", "text", "keys", "type", "reset", "expect", "show"}
#: At most this many widgets named in a step's `show`.
MAX_SHOWN = 6
_TYPE_FIELDS = {"field", "value"}


class ScriptError(ValueError):
    """A script that cannot be used; the message names file, step and field."""


@dataclass(frozen=True)
class Translated:
    """One text in both languages of the app."""

    en: str
    zh: str

    def get(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


@dataclass(frozen=True)
class TypedValue:
    """A number typed into the lesson's input with widget id `field`, then Enter."""

    field: str
    value: str


@dataclass(frozen=True)
class Step:
    """One step: what it is about, and what the app does when it is entered.

    `keys` are pressed first, in order ("n*5" is n five times), then each of
    `typed` is typed. With `reset` the lesson starts afresh before the step.
    `expect` maps a widget id to texts that widget shows after the step
    (checked by the tests, so a lesson change that breaks a script is caught).
    `show` names the widgets the text is about: the app brings them into view.
    """

    title: Translated
    text: Translated
    keys: tuple[str, ...] = ()
    typed: tuple[TypedValue, ...] = ()
    reset: bool = False
    expect: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    show: tuple[str, ...] = ()

    @property
    def presses(self) -> tuple[str, ...]:
        """Every key press of the step, repeats written out."""
        return tuple(key for entry in self.keys for key in [split_repeat(entry)[0]] * split_repeat(entry)[1])


@dataclass(frozen=True)
class LessonScript:
    """A lesson's steps, checked; `source` is the file name used in messages."""

    lesson: int
    title: Translated
    steps: tuple[Step, ...]
    source: str = "<script>"

    def __len__(self) -> int:
        return len(self.steps)

    def replay_from(self, index: int) -> int:
        """Where a fresh lesson starts replaying to reach step `index` (0-based).

        Replaying starts at the last step at or before `index` that resets
        the lesson (nothing before it matters), or at the first step.
        """
        if not 0 <= index < len(self.steps):
            raise ValueError(f"step index must be 0-{len(self.steps) - 1}, got {index}")
        for i in range(index, 0, -1):
            if self.steps[i].reset:
                return i
        return 0


def split_repeat(entry: str) -> tuple[str, int]:
    """"n*5" -> ("n", 5); "n" -> ("n", 1)."""
    match = _REPEAT.match(entry)
    return (match[1], int(match[2])) if match else (entry, 1)


# --- reading -------------------------------------------------------------------------


def load_script(path: str | Path) -> LessonScript:
    """Read and check the script at `path` (a JSON file).

    Only a regular file of at most `MAX_SCRIPT_BYTES` is read: a FIFO would
    block the app before it draws, a device such as /dev/zero never ends.
    """
    path = Path(path)
    name = path.name or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ScriptError(f"{name}: no such file ({path})") from None
    except (OSError, ValueError) as error:
        raise ScriptError(f"{name}: cannot be read ({_reason(error)})") from None
    _check_file(info, name)
    try:
        # Non-blocking, in case the path was swapped for a FIFO since the stat.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as file:
            _check_file(os.fstat(file.fileno()), name)
            data = file.read(MAX_SCRIPT_BYTES + 1)
    except OSError as error:
        raise ScriptError(f"{name}: cannot be read ({_reason(error)})") from None
    if len(data) > MAX_SCRIPT_BYTES:
        raise ScriptError(_too_large(name))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScriptError(f"{name}: cannot be read ({error})") from None
    return parse_script_text(text, name)


def _check_file(info: os.stat_result, name: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise ScriptError(f"{name}: is {kind}; a script is a JSON file")
    if info.st_size > MAX_SCRIPT_BYTES:
        raise ScriptError(_too_large(name))


def _too_large(name: str) -> str:
    return f"{name}: too large for a script (more than {MAX_SCRIPT_BYTES // 1024} KB)"


def _reason(error: BaseException) -> str:
    return (error.strerror if isinstance(error, OSError) else None) or str(error)


def parse_script_text(text: str, source: str = "<script>") -> LessonScript:
    """Check a script given as JSON text (bounded in size, nesting and number length)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_SCRIPT_BYTES:
        raise ScriptError(_too_large(source))
    depth = _nesting(text)
    if depth > MAX_DEPTH:
        raise ScriptError(f"{source}: nested {depth} levels deep; a script needs at most {MAX_DEPTH}")

    def number(kind: type) -> object:
        def parse(literal: str) -> object:
            if len(literal) > MAX_NUMBER_CHARS:
                raise ScriptError(
                    f"{source}: has a number {len(literal)} characters long; a script's numbers have at most "
                    f"{MAX_NUMBER_CHARS}"
                )
            return kind(literal)

        return parse

    try:
        data = json.loads(text, parse_int=number(int), parse_float=number(float))
    except json.JSONDecodeError as error:
        raise ScriptError(f"{source}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    return parse_script(data, source)


# A JSON string (skipped whole: brackets in texts do not nest) or a bracket. An
# unterminated string runs to the end, so the scan stays linear in the text.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


def _nesting(text: str) -> int:
    """How deep the arrays and objects of the JSON `text` nest (the deepest point)."""
    depth = deepest = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match[0]
        if token in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("]", "}"):
            depth -= 1
    return deepest


def shipped_script(lesson: int) -> LessonScript:
    """The script shipped in the folder of lesson number `lesson`."""
    if isinstance(lesson, bool) or not isinstance(lesson, int) or lesson not in LESSONS:
        raise ScriptError(f"there is no lesson {lesson!r}; lessons are {LESSONS[0]}-{LESSONS[-1]}")
    resource = lesson_of_number(lesson).script_path
    name = f"{resource.parent.name}/{resource.name}"
    if not resource.is_file():
        raise ScriptError(f"{name}: no script is shipped for lesson {lesson}")
    script = parse_script_text(resource.read_text(encoding="utf-8"), name)
    if script.lesson != lesson:
        raise ScriptError(f"{name}: 'lesson' is {script.lesson}, expected {lesson}")
    return script


# --- checking ------------------------------------------------------------------------


def parse_script(data: object, source: str = "<script>") -> LessonScript:
    """Check a script already decoded from JSON; raise `ScriptError` naming what is wrong."""
    if not isinstance(data, dict):
        raise ScriptError(f"{source}: a script is a JSON object with 'lesson', 'title' and 'steps'")
    _no_unknown(data, _SCRIPT_FIELDS, source)
    for name in ("lesson", "title", "steps"):
        if name not in data:
            raise ScriptError(f"{source}: missing '{name}'")
    lesson = data["lesson"]
    if isinstance(lesson, bool) or not isinstance(lesson, int):
        raise ScriptError(f"{source}: 'lesson' must be a whole number {LESSONS[0]}-{LESSONS[-1]}, got {lesson!r}")
    if lesson not in LESSONS:
        raise ScriptError(f"{source}: unknown lesson {lesson}; lessons are {LESSONS[0]}-{LESSONS[-1]}")
    title = _translated(data["title"], source, "title")
    steps = data["steps"]
    if not isinstance(steps, list):
        raise ScriptError(f"{source}: 'steps' must be a list of steps")
    if not steps:
        raise ScriptError(f"{source}: 'steps' is empty; a script needs at least one step")
    file_keys = FILE_KEYS | FILE_KEYS_OF_LESSON.get(lesson_of_number(lesson).mode, frozenset())
    return LessonScript(
        lesson=lesson,
        title=title,
        steps=tuple(
            _step(raw, f"{source}, step {number}", file_keys) for number, raw in enumerate(steps, start=1)
        ),
        source=source,
    )


def _step(raw: object, where: str, file_keys: frozenset[str] = FILE_KEYS) -> Step:
    if not isinstance(raw, dict):
        raise ScriptError(f"{where}: a step is a JSON object with 'title' and 'text'")
    _no_unknown(raw, _STEP_FIELDS, where)
    for name in ("title", "text"):
        if name not in raw:
            raise ScriptError(f"{where}: missing '{name}'")
    reset = raw.get("reset", False)
    if not isinstance(reset, bool):
        raise ScriptError(f"{where}: 'reset' must be true or false, got {reset!r}")
    return Step(
        title=_translated(raw["title"], where, "title"),
        text=_translated(raw["text"], where, "text"),
        keys=_keys(raw.get("keys", []), where, file_keys),
        typed=_typed(raw.get("type", []), where),
        reset=reset,
        expect=_expect(raw.get("expect", {}), where),
        show=_shown(raw.get("show", []), where),
    )


def _translated(raw: object, where: str, name: str) -> Translated:
    if not isinstance(raw, dict) or not all(isinstance(raw.get(lang), str) and raw[lang].strip() for lang in LANGUAGES):
        raise ScriptError(f"{where}: '{name}' needs both 'en' and 'zh' (non-empty texts)")
    _no_unknown(raw, set(LANGUAGES), f"{where}, '{name}'")
    return Translated(raw["en"].strip(), raw["zh"].strip())


def _keys(raw: object, where: str, file_keys: frozenset[str] = FILE_KEYS) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(key, str) for key in raw):
        raise ScriptError(f"{where}: 'keys' must be a list of key names (strings), e.g. [\"a\", \"space\"]")
    for entry in raw:
        key, count = split_repeat(entry)
        if not 1 <= count <= MAX_REPEAT:
            raise ScriptError(f"{where}: 'keys' has {entry!r}; a key can be repeated 1-{MAX_REPEAT} times")
        if not _KEY_NAME.match(key):
            raise ScriptError(f"{where}: 'keys' has {key!r}, which is not a key name (e.g. \"a\", \"space\", \"left\")")
        if key in RESERVED_KEYS:
            raise ScriptError(f"{where}: 'keys' has {key!r}, a key of the app or the teacher; a script cannot press it")
        # Key names are matched exactly ("W" is not "w"), but "F12" or "Ctrl+S" must not slip through.
        if key in file_keys or (len(key) > 1 and key.lower() in file_keys):
            raise ScriptError(
                f"{where}: 'keys' has {key!r}, which saves, loads or exports a file (or types a file name) in "
                "this lesson; a script cannot touch files"
            )
    return tuple(raw)


def _typed(raw: object, where: str) -> tuple[TypedValue, ...]:
    # One entry may be given bare, a list for several fields.
    entries = [raw] if isinstance(raw, dict) else raw
    message = f"{where}: 'type' must be {{\"field\": widget id, \"value\": text}} or a list of them"
    if not isinstance(entries, list):
        raise ScriptError(message)
    typed = []
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != _TYPE_FIELDS:
            raise ScriptError(message)
        widget, value = entry["field"], entry["value"]
        if not isinstance(widget, str) or not _WIDGET_ID.fullmatch(widget):
            raise ScriptError(f"{where}: 'type' field must be a widget id such as \"w1\", got {widget!r}")
        if widget in FILE_FIELDS:
            raise ScriptError(
                f"{where}: 'type' field {widget!r} holds a file or folder name; a script cannot name files"
            )
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ScriptError(f"{where}: 'type' value must be the text to type, e.g. \"0.5\", got {value!r}")
        typed.append(TypedValue(widget, str(value)))
    return tuple(typed)


def _shown(raw: object, where: str) -> tuple[str, ...]:
    # One widget may be given bare, a list for several.
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(name, str) and _WIDGET_ID.fullmatch(name) for name in names):
        raise ScriptError(f"{where}: 'show' must be a widget id such as \"p-table\" or a list of them, got {raw!r}")
    if len(names) > MAX_SHOWN:
        raise ScriptError(f"{where}: 'show' names {len(names)} widgets; a step can show at most {MAX_SHOWN}")
    return tuple(names)


def _expect(raw: object, where: str) -> Mapping[str, tuple[str, ...]]:
    message = f"{where}: 'expect' must map widget ids to a text they show (or a list of texts), e.g. {{\"p-formula\": \"y = 1\"}}"
    if not isinstance(raw, dict):
        raise ScriptError(message)
    expect = {}
    for widget, texts in raw.items():
        texts = [texts] if isinstance(texts, str) else texts
        if not isinstance(texts, list) or not texts or not all(isinstance(text, str) and text for text in texts):
            raise ScriptError(message)
        expect[widget] = tuple(texts)
    return MappingProxyType(expect)


def _no_unknown(raw: dict, known: set[str], where: str) -> None:
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ScriptError(f"{where}: unknown field '{unknown[0]}'; the fields are {', '.join(sorted(known))}")
