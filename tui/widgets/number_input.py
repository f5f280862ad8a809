"""A typed number that is either accepted whole or refused with a reason.

Every editable value in a lesson (a weight, a learning rate, a margin) goes
through `NumberInput`: text, `nan`, `inf`, `1e999` or a value outside the
allowed range is refused with a message in the current language and the old
value is put back, so a slip of the finger never changes the lesson's state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from textual import on
from textual.events import Blur
from textual.message import Message
from textual.widgets import Input

from nn_tui.tui.i18n import Strings

TEXT = Strings(
    {
        "number.not_a_number": ("{field}: {text!r} is not a number; kept {old}.", "{field}：{text!r} 不是数字，保留原值 {old}。"),
        "number.not_finite": (
            "{field}: {text!r} is not a finite number; kept {old}.",
            "{field}：{text!r} 不是有限的数字，保留原值 {old}。",
        ),
        "number.too_small": ("{field}: must be at least {low}; kept {old}.", "{field}：不能小于 {low}，保留原值 {old}。"),
        "number.too_large": ("{field}: must be at most {high}; kept {old}.", "{field}：不能大于 {high}，保留原值 {old}。"),
        "number.not_integer": ("{field}: must be a whole number; kept {old}.", "{field}：必须是整数，保留原值 {old}。"),
    }
)


@dataclass(frozen=True)
class Refusal:
    """Why a typed text was not accepted (a catalogue key and its fields)."""

    key: str
    values: dict[str, object]

    def message(self, language: str) -> str:
        return TEXT.get(self.key, language, **self.values)


def parse_number(
    text: str,
    *,
    field: str,
    old: float,
    low: float | None = None,
    high: float | None = None,
    integer: bool = False,
) -> float | Refusal:
    """`text` as a finite number within [low, high], or the reason it is not."""
    common = {"field": field, "text": text.strip(), "old": format_number(old)}
    try:
        value = float(text.strip().replace("−", "-"))
    except ValueError:
        return Refusal("number.not_a_number", common)
    if not math.isfinite(value):
        return Refusal("number.not_finite", common)
    if integer and value != int(value):
        return Refusal("number.not_integer", common)
    if low is not None and value < low:
        return Refusal("number.too_small", {**common, "low": format_number(low)})
    if high is not None and value > high:
        return Refusal("number.too_large", {**common, "high": format_number(high)})
    return int(value) if integer else value


def format_number(value: float) -> str:
    """Short, exact-enough text for a value put back into an input."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value)) if abs(value) < 1e15 else f"{value:g}"
    return f"{value:.6g}"


class NumberInput(Input):
    """An Input holding one number; posts `NumberInput.Accepted` on Enter or leaving it."""

    @dataclass
    class Accepted(Message):
        input: NumberInput
        value: float

        @property
        def control(self) -> NumberInput:
            return self.input

    @dataclass
    class Refused(Message):
        input: NumberInput
        message: str

        @property
        def control(self) -> NumberInput:
            return self.input

    def __init__(
        self,
        value: float,
        *,
        field: str,
        low: float | None = None,
        high: float | None = None,
        integer: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(format_number(value), id=id, classes=classes, select_on_focus=True)
        self.number = value
        self.field = field
        self.low, self.high, self.integer = low, high, integer
        self.last_refusal: str | None = None

    def set_number(self, value: float) -> None:
        """Show `value` (set by the lesson, e.g. after a learning step) without posting."""
        self.number = value
        self.value = format_number(value)

    def commit(self) -> None:
        """Accept or refuse what is typed now."""
        if self.value.strip() == format_number(self.number):
            return
        result = parse_number(
            self.value, field=self.field, old=self.number, low=self.low, high=self.high, integer=self.integer
        )
        if isinstance(result, Refusal):
            self.last_refusal = result.message(getattr(self.app, "language", "en"))
            self.value = format_number(self.number)
            # Markup off: the refused text is the student's own and may hold "[/x".
            self.app.notify(self.last_refusal, severity="error", timeout=6, markup=False)
            self.post_message(self.Refused(self, self.last_refusal))
        else:
            self.last_refusal = None
            changed = result != self.number
            self.number = result
            self.value = format_number(result)
            if changed:  # "0.10" for 0.1 is not a new value: nothing to redo
                self.post_message(self.Accepted(self, result))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input is self:
            event.stop()
            self.commit()
            # Enter gives the keys back to the lesson: a letter typed next is a lesson key.
            if self.has_focus:
                self.screen.set_focus(None)

    def on_blur(self, event: Blur) -> None:
        if not self.app.screen_stack or not self.is_attached:
            return  # the app is closing: there is no lesson left to change
        self.commit()
