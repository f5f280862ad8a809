"""The book's ch02/or_gate.py: ``OR(x1, x2)`` (see ``nn_tui.book.ch02``)."""

from nn_tui.book.ch02 import OR

__all__ = ["OR"]
