"""The book's ch02/nand_gate.py: ``NAND(x1, x2)`` (see ``nn_tui.book.ch02``)."""

from nn_tui.book.ch02 import NAND

__all__ = ["NAND"]
