"""One classroom message: what the teacher shows, as one line of JSON.

    {"nn_tui_class": 1, "seq": 7, "lesson": "perceptron", "step": 2, "document": {...}}\n

- `nn_tui_class`: the protocol's version; a message of another version is refused;
- `seq`: the teacher's count of messages, from 1 (it starts again when the teacher does);
- `lesson`: the lesson's mode (its folder's name), or "" when no lesson is open;
- `step`: the teacher-mode step (from 0), or null outside teacher mode;
- `document`: the lesson's state document (`LessonScreen.document()`), a JSON
  object; the transport checks only that it is one, the lesson reads it.

A message is one line of compact UTF-8 JSON (JSON writes a newline inside a
string as an escape, so a message never contains one) ended by a newline, at
most `MAX_MESSAGE_BYTES` long without it, nested at most `MAX_DEPTH` deep.
`encode` refuses what `decode` would, so a teacher never sends what its class
would drop. Both raise `ProtocolError`, whose `code` says why (the UI has the words).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nn_tui.core.refusal import Refusal

#: The protocol's version, the `nn_tui_class` field of every message.
VERSION = 1
#: The longest message, newline excluded. A state document can be large: the
#: playground's, with six layers of 64 neurons, their optimiser moments and
#: 100,000 losses, is about 3.6 MB.
MAX_MESSAGE_BYTES = 8 * 1024 * 1024
#: The deepest nesting of objects and lists; the envelope and a document use under 10.
MAX_DEPTH = 32
MAX_SEQ = 2**53  # the largest whole number every JSON reader keeps exactly
MAX_STEP = 1_000_000
LESSON_NAME = re.compile(r"[a-z0-9_]{0,64}")
FIELDS = ("nn_tui_class", "seq", "lesson", "step", "document")


class ProtocolError(Refusal):
    """A message refused: `code` names why, `values` tell more (for logs and the UI's sentence).

    Codes: ``too_large``, ``not_utf8``, ``not_json``, ``too_deep``, ``not_object``,
    ``version`` (values: version), ``bad_field`` (values: field).
    """



@dataclass(frozen=True)
class Message:
    """What the teacher shows: a lesson, a step and the lesson's state document."""

    seq: int
    lesson: str
    step: int | None
    document: Mapping[str, Any]


def encode(message: Message) -> bytes:
    """The message as one line of JSON, newline included; `ProtocolError` if a follower would refuse it."""
    table = {"nn_tui_class": VERSION, "seq": message.seq, "lesson": message.lesson,
             "step": message.step, "document": message.document}
    _check_fields(table)
    check_depth(table)  # first: json.dumps would recurse
    try:
        text = json.dumps(table, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as error:  # a value JSON has no word for: nan, a set, an object
        raise ProtocolError("not_json", error=type(error).__name__) from None
    line = text.encode("utf-8")
    if len(line) > MAX_MESSAGE_BYTES:
        raise ProtocolError("too_large", size=len(line), limit=MAX_MESSAGE_BYTES)
    return line + b"\n"


def decode(line: bytes) -> Message:
    """One line (its newline removed or not) back into a message; `ProtocolError` if it is not a good one."""
    line = line.removesuffix(b"\n")
    if len(line) > MAX_MESSAGE_BYTES:
        raise ProtocolError("too_large", size=len(line), limit=MAX_MESSAGE_BYTES)
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("not_utf8") from None
    try:
        table = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ProtocolError("too_deep") from None
    except ValueError:  # bad JSON, NaN or Infinity, an integer of thousands of digits
        raise ProtocolError("not_json") from None
    check_depth(table)
    if not isinstance(table, dict):
        raise ProtocolError("not_object")
    _check_fields(table)
    return Message(table["seq"], table["lesson"], table["step"], table["document"])


def _check_fields(table: Mapping[str, Any]) -> None:
    # The version first: a message of another version may have other fields.
    version = table.get("nn_tui_class")
    if not _whole(version, 0, None):
        raise ProtocolError("bad_field", field="nn_tui_class")
    if version != VERSION:
        raise ProtocolError("version", version=version, expected=VERSION)
    if set(table) != set(FIELDS):
        unknown = sorted(set(table) ^ set(FIELDS))
        raise ProtocolError("bad_field", field=unknown[0])
    if not _whole(table["seq"], 0, MAX_SEQ):
        raise ProtocolError("bad_field", field="seq")
    if not isinstance(table["lesson"], str) or not LESSON_NAME.fullmatch(table["lesson"]):
        raise ProtocolError("bad_field", field="lesson")
    if table["step"] is not None and not _whole(table["step"], 0, MAX_STEP):
        raise ProtocolError("bad_field", field="step")
    if not isinstance(table["document"], Mapping):
        raise ProtocolError("bad_field", field="document")


def _whole(value: object, low: int, high: int | None) -> bool:
    return type(value) is int and value >= low and (high is None or value <= high)


def check_depth(value: object) -> None:
    """Refuse nesting deeper than MAX_DEPTH, one level at a time (no recursion to exhaust)."""
    level, depth = [value], 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            raise ProtocolError("too_deep")
        inner: list[object] = []
        for item in level:
            children = item.values() if isinstance(item, Mapping) else item if isinstance(item, (list, tuple)) else ()
            if not _SCALARS.issuperset(map(type, children)):  # at C speed for a long list of numbers
                inner.extend(child for child in children if isinstance(child, (Mapping, list, tuple)))
        level = inner


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")
