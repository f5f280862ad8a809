"""Reading a lesson's state document back, as carefully as typed input.

A lesson's state is a small JSON-able document: what the student set and
where they are. Restoring one must never leave a lesson half changed, so the
models read every field through `Fields`, which refuses (with a `Refusal`
naming the field) anything a typed input would refuse: a missing field, a
string where a number belongs, nan, a number out of range, an unknown choice.
A model builds its new state completely from the document first, and only
then replaces the old one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from nn_tui.core.refusal import Refusal

#: Documents are small: a longer list is a mistake or an attack.
MAX_ITEMS = 100_000


class Fields:
    """The fields of one table of a state document; `where` names it in refusals."""

    def __init__(self, table: object, where: str = "state") -> None:
        if not isinstance(table, Mapping):
            raise Refusal("state.not_a_table", field=where)
        self.table = table
        self.where = where

    def _name(self, name: str) -> str:
        return f"{self.where}.{name}"

    def _get(self, name: str) -> object:
        if name not in self.table:
            raise Refusal("state.missing", field=self._name(name))
        return self.table[name]

    def has(self, name: str) -> bool:
        return name in self.table

    def number(self, name: str, low: float | None = None, high: float | None = None) -> float:
        """A finite number within [low, high]."""
        return self._check_number(self._get(name), self._name(name), low, high)

    def integer(self, name: str, low: int | None = None, high: int | None = None) -> int:
        return self._check_integer(self._get(name), self._name(name), low, high)

    def flag(self, name: str) -> bool:
        value = self._get(name)
        if not isinstance(value, bool):
            raise Refusal("state.not_flag", field=self._name(name), value=_shown(value))
        return value

    def text(self, name: str, max_length: int = 1000) -> str:
        value = self._get(name)
        if not isinstance(value, str) or len(value) > max_length:
            raise Refusal("state.not_text", field=self._name(name), value=_shown(value))
        return value

    def choice(self, name: str, options: Sequence[str]) -> str:
        value = self._get(name)
        if not isinstance(value, str) or value not in options:
            raise Refusal("state.unknown_choice", field=self._name(name), value=_shown(value), options=", ".join(options))
        return value

    def numbers(
        self,
        name: str,
        length: int | None = None,
        low: float | None = None,
        high: float | None = None,
        max_length: int = MAX_ITEMS,
    ) -> list[float]:
        """A list of finite numbers, of exactly `length` items if given."""
        items = self.items(name, length, max_length)
        return [self._check_number(item, f"{self._name(name)}[{i}]", low, high) for i, item in enumerate(items)]

    def integers(
        self,
        name: str,
        length: int | None = None,
        low: int | None = None,
        high: int | None = None,
        max_length: int = MAX_ITEMS,
    ) -> list[int]:
        """A list of whole numbers, of exactly `length` items if given."""
        items = self.items(name, length, max_length)
        return [self._check_integer(item, f"{self._name(name)}[{i}]", low, high) for i, item in enumerate(items)]

    def items(self, name: str, length: int | None = None, max_length: int = MAX_ITEMS) -> list[object]:
        value = self._get(name)
        if not isinstance(value, (list, tuple)):
            raise Refusal("state.not_a_list", field=self._name(name))
        if (length is not None and len(value) != length) or len(value) > max_length:
            raise Refusal("state.wrong_length", field=self._name(name), length=len(value), expected=length or max_length)
        return list(value)

    def table_of(self, name: str) -> Fields:
        """A nested table."""
        return Fields(self._get(name), self._name(name))

    def _check_integer(self, value: object, name: str, low: int | None, high: int | None) -> int:
        # 3.0 is a whole number as JSON writes it; True is not.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise Refusal("state.not_integer", field=name, value=_shown(value))
        self._check_range(value, name, low, high)
        return value

    def _check_number(self, value: object, name: str, low: float | None, high: float | None) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Refusal("state.not_a_number", field=name, value=_shown(value))
        value = float(value)
        if not math.isfinite(value):
            raise Refusal("state.not_finite", field=name, value=_shown(value))
        self._check_range(value, name, low, high)
        return value

    @staticmethod
    def _check_range(value: float, name: str, low: float | None, high: float | None) -> None:
        if (low is not None and value < low) or (high is not None and value > high):
            raise Refusal(
                "state.out_of_range",
                field=name,
                value=value,
                low="-∞" if low is None else f"{low:g}",
                high="∞" if high is None else f"{high:g}",
            )


def _shown(value: object) -> str:
    """A value as a refusal quotes it: short, whatever it is."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
