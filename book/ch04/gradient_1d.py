"""The book's ch04/gradient_1d.py: the derivative by central differences.

``numerical_diff`` is ``nn_tui.core.gradient.numerical_diff``:
(f(x + h) - f(x - h)) / 2h with h = 1e-4, the one lesson 4 shows.
``numerical_diff(function_1, 5)`` is 0.1999999999990898 (exactly 0.2).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from nn_tui.core.gradient import numerical_diff

__all__ = ["np", "numerical_diff", "function_1", "tangent_line"]


def function_1(x: Any) -> Any:
    """y = 0.01x² + 0.1x."""
    return 0.01 * x ** 2 + 0.1 * x


def tangent_line(f: Callable[[Any], Any], x: Any) -> Callable[[Any], Any]:
    """The tangent to f at x, as a function of t (for plotting beside f)."""
    d = numerical_diff(f, x)
    y = f(x) - d * x
    return lambda t: d * t + y
