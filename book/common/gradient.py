"""The book's common/gradient.py: gradients by central differences (ch. 4).

``numerical_gradient`` is ``nn_tui.core.gradient.numerical_gradient`` -- the
book's loop over every element with h = 1e-4, which puts each nudged element
back -- the function lesson 4 and every network's ``numerical_gradient`` use.
``numerical_gradient_2d`` takes a batch of points, one per row.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from nn_tui.core.gradient import numerical_gradient

__all__ = ["np", "numerical_gradient", "numerical_gradient_2d"]


def numerical_gradient_2d(f: Callable[[np.ndarray], Any], X: np.ndarray) -> np.ndarray:
    """The gradient of f at one point (1-D X) or at every row of a 2-D X.

    X must hold floats: with integers x + h would be rounded back to x.
    """
    if np.ndim(X) == 1:
        return numerical_gradient(f, X)
    grad = np.zeros_like(X)
    for idx, x in enumerate(X):
        grad[idx] = numerical_gradient(f, x)
    return grad
