"""Argument checks shared by the core: a clear ValueError, never a silent wrong number."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def finite(value: Any, name: str) -> float:
    """`value` as a float, or a ValueError naming `name` (bools, text, nan, inf refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def number_in(
    value: Any, name: str, low: float, high: float, *, low_open: bool = False, high_open: bool = False
) -> float:
    """A finite `value` within [low, high] (or an open end), else a ValueError saying the range."""
    value = finite(value, name)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        raise ValueError(f"{name} must be {range_words(low, high, low_open, high_open)}, got {value!r}")
    return value


def range_words(low: float, high: float, low_open: bool, high_open: bool) -> str:
    """The allowed range in words: an open-ended range is not written as "(0, inf]"."""
    if math.isinf(high):
        return f"a finite number {'greater than' if low_open else 'at least'} {low:g}"
    left, right = "(" if low_open else "[", ")" if high_open else "]"
    return f"a finite number in {left}{low:g}, {high:g}{right}"
