"""The book's common/optimizer.py: SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam (ch. 6).

These are ``nn_tui.core.optimizers`` -- the update rules the app trains
with, same arguments and defaults as the book's -- with one addition: like
the book's, ``update(params, grads)`` also takes plain numbers.  The book's
``ch06/optimizer_compare_naive.py`` keeps ``params['x']`` and ``params['y']``
as floats; the core only updates float arrays (in place), so a number is
updated as a 0-d array and written back into ``params`` as a float.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn_tui.core import optimizers as _opt

__all__ = ["np", "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"]


def _is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating))


class _TakesNumbers:
    """``update`` for params that may hold plain numbers as well as arrays."""

    def update(self, params: dict[str, Any], grads: dict[str, Any]) -> None:
        numbers = [key for key, value in params.items() if _is_number(value)]
        if not numbers:
            super().update(params, grads)  # type: ignore[misc]
            return
        arrays = {key: np.array(value, dtype=np.float64) if key in numbers else value
                  for key, value in params.items()}
        super().update(arrays, grads)  # type: ignore[misc]
        for key in numbers:
            params[key] = float(arrays[key])


class SGD(_TakesNumbers, _opt.SGD):
    """W <- W - lr·grad."""


class Momentum(_TakesNumbers, _opt.Momentum):
    """v <- momentum·v - lr·grad;  W <- W + v."""


class Nesterov(_TakesNumbers, _opt.Nesterov):
    """W <- W + momentum²·v - (1 + momentum)·lr·grad;  v <- momentum·v - lr·grad."""


class AdaGrad(_TakesNumbers, _opt.AdaGrad):
    """h <- h + grad²;  W <- W - lr·grad / (√h + 1e-7)."""


class RMSprop(_TakesNumbers, _opt.RMSprop):
    """h <- decay_rate·h + (1 - decay_rate)·grad²;  W <- W - lr·grad / (√h + 1e-7)."""


class Adam(_TakesNumbers, _opt.Adam):
    """Adam with the book's bias-corrected step lr_t = lr·√(1 - beta2^t) / (1 - beta1^t)."""
