"""The book's ch02/xor_gate.py: ``XOR(x1, x2)`` (see ``nn_tui.book.ch02``)."""

from nn_tui.book.ch02 import XOR

__all__ = ["XOR"]
