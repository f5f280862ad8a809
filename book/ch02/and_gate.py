"""The book's ch02/and_gate.py: ``AND(x1, x2)`` (see ``nn_tui.book.ch02``)."""

from nn_tui.book.ch02 import AND

__all__ = ["AND"]
