"""Chapter 2 through nn_tui.book: the book's gate functions print 0 and 1."""

from __future__ import annotations

import pytest

from nn_tui.book.ch02 import AND, NAND, OR, XOR
from nn_tui.book.ch02.and_gate import AND as AND_from_script
from nn_tui.book.ch02.nand_gate import NAND as NAND_from_script
from nn_tui.book.ch02.or_gate import OR as OR_from_script
from nn_tui.book.ch02.xor_gate import XOR as XOR_from_script
from nn_tui.core import gates

INPUTS = [(0, 0), (1, 0), (0, 1), (1, 1)]


@pytest.mark.parametrize(
    "gate, outputs",
    [(AND, [0, 0, 0, 1]), (NAND, [1, 1, 1, 0]), (OR, [0, 1, 1, 1]), (XOR, [0, 1, 1, 0])],
    ids=["AND", "NAND", "OR", "XOR"],
)
def test_truth_tables_as_the_book_prints_them(gate, outputs):
    # The book's and_gate.py ... xor_gate.py print "(0, 0) -> 0" and so on.
    printed = [str(xs) + " -> " + str(gate(xs[0], xs[1])) for xs in INPUTS]
    assert printed == [f"{xs} -> {y}" for xs, y in zip(INPUTS, outputs)]
    for xs in INPUTS:
        assert type(gate(*xs)) is int


def test_the_book_calls_them_as_functions():
    # The issue: gates.AND(1, 1) raised TypeError; the book's AND is a function.
    assert AND(1, 1) == 1 and NAND(1, 1) == 0 and OR(0, 0) == 0 and XOR(1, 0) == 1
    assert AND(1.0, 1.0) == 1  # floats, as in the book's np.array([x1, x2])


def test_the_script_modules_give_the_same_functions():
    assert (AND_from_script, NAND_from_script, OR_from_script, XOR_from_script) == (AND, NAND, OR, XOR)


def test_backed_by_the_core_perceptrons():
    for x1, x2 in INPUTS:
        assert AND(x1, x2) == gates.AND.output(x1, x2)
        assert XOR(x1, x2) == gates.xor(x1, x2).y


def test_xor_is_and_of_nand_and_or():
    # The book's xor_gate.py: s1 = NAND, s2 = OR, y = AND(s1, s2).
    for x1, x2 in INPUTS:
        assert XOR(x1, x2) == AND(NAND(x1, x2), OR(x1, x2))


def test_a_wrong_input_is_a_clear_error():
    with pytest.raises(ValueError, match="x1"):
        AND("1", 0)
