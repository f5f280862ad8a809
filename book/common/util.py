"""The book's common/util.py, the part chapters 2-6 use: ``smooth_curve`` and ``shuffle_dataset``.

Plain NumPy: there is nothing of nn-tui's core to stand on here (the app
draws raw curves).  ``im2col``/``col2im`` (chapter 7) are not here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["np", "smooth_curve", "shuffle_dataset"]

# A Kaiser window of 11 points, beta 2: the book's smoothing of a loss curve.
WINDOW = 11
KAISER_BETA = 2


def smooth_curve(x: Any) -> np.ndarray:
    """A moving weighted average of a curve (e.g. a loss history), as long as the curve.

    Each point becomes the average of the 11 around it, weighted by a Kaiser
    window; near the ends the curve is mirrored to fill the window.  A curve
    shorter than the window is returned unchanged (as floats).
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"smooth_curve takes a 1-D curve, got shape {x.shape}")
    if len(x) < WINDOW:
        return x.copy()
    half = WINDOW - 1
    # Mirrored at the start without repeating x[0], at the end repeating x[-1].
    padded = np.concatenate([np.pad(x, (half, 0), mode="reflect")[:half], x,
                             np.pad(x, (0, half), mode="symmetric")[-half:]])
    weights = np.kaiser(WINDOW, KAISER_BETA)
    smoothed = np.convolve(weights / weights.sum(), padded, mode="valid")
    centre = WINDOW // 2
    return smoothed[centre:len(smoothed) - centre]


def shuffle_dataset(x: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x and t in the same new random order (``np.random.permutation``, the global generator)."""
    if len(x) != len(t):
        raise ValueError(f"{len(x)} samples but {len(t)} labels; they must match")
    order = np.random.permutation(len(x))
    return x[order], t[order]
