"""The book's gradient descent (section 4.4.1): x <- x - lr·∇f(x), step_num times.

Backed by ``nn_tui.core.gradient.gradient_descent`` -- the walk lesson 4
animates -- returning the final point as the book prints it:
``gradient_descent(function_2, init_x=np.array([-3.0, 4.0]), lr=0.1,
step_num=100)`` is about [-6.1e-10, 8.1e-10].  Unlike the book's,
``init_x`` is not changed.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from nn_tui.book.ch04.gradient_2d import function_2
from nn_tui.core import gradient as _gradient

__all__ = ["np", "gradient_descent", "function_2"]


def gradient_descent(f: Callable[[np.ndarray], Any], init_x: Any, lr: float = 0.01,
                     step_num: int = 100) -> np.ndarray:
    """The point reached after ``step_num`` steps from ``init_x`` (a float array)."""
    return _gradient.gradient_descent(f, init_x, lr, step_num).x
