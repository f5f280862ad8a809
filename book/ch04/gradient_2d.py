"""The book's ch04/gradient_2d.py: the gradient of f(x0, x1) = x0² + x1².

``numerical_gradient`` takes one point (1-D) or a batch of points (one per
row), each by ``nn_tui.core.gradient.numerical_gradient``.
``numerical_gradient(function_2, np.array([3.0, 4.0]))`` is [6. 8.]
(printed in full: 6.00000000000378, 7.999999999999119).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn_tui.book.ch04.gradient_1d import tangent_line
from nn_tui.book.common.gradient import numerical_gradient_2d as numerical_gradient

__all__ = ["np", "numerical_gradient", "function_2", "tangent_line"]


def function_2(x: np.ndarray) -> Any:
    """x0² + x1² (+ ...) of one point, or of each row of a batch."""
    x = np.asarray(x)
    return np.sum(x ** 2) if x.ndim == 1 else np.sum(x ** 2, axis=1)
