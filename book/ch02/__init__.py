"""Chapter 2: the logic gates as the book's functions, ``AND(x1, x2)`` -> 0 or 1.

Backed by ``nn_tui.core.gates`` -- the perceptrons lesson 1 draws: AND
(w = 0.5, 0.5, b = -0.7), NAND (-0.5, -0.5, 0.7), OR (0.5, 0.5, -0.2), each
giving 1 when x1·w1 + x2·w2 + b > 0, else 0; and XOR = AND(NAND, OR), two
layers.  The book's scripts ``and_gate.py`` ... ``xor_gate.py`` import from
each other; ``nn_tui.book.ch02.and_gate`` ... ``xor_gate`` are here for them.
"""

from __future__ import annotations

from nn_tui.core import gates as _gates

__all__ = ["AND", "NAND", "OR", "XOR"]


def AND(x1: float, x2: float) -> int:
    """1 only when both inputs are 1."""
    return _gates.AND.output(x1, x2)


def NAND(x1: float, x2: float) -> int:
    """0 only when both inputs are 1."""
    return _gates.NAND.output(x1, x2)


def OR(x1: float, x2: float) -> int:
    """1 when either input is 1."""
    return _gates.OR.output(x1, x2)


def XOR(x1: float, x2: float) -> int:
    """1 when exactly one input is 1: AND(NAND(x1, x2), OR(x1, x2))."""
    return _gates.xor(x1, x2).y
