import math

import numpy as np
import pytest

from nn_tui.core.checks import finite, number_in


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), "1", None, True, [1.0]])
def test_finite_refuses_what_is_not_a_finite_number(bad):
    with pytest.raises(ValueError, match="w1 must be"):
        finite(bad, "w1")


def test_finite_accepts_python_and_numpy_numbers():
    assert finite(3, "x") == 3.0 and isinstance(finite(np.float32(0.5), "x"), float)


def test_number_in_names_the_range_with_open_ends():
    assert number_in(0.5, "lr", 0, 1, low_open=True) == 0.5
    with pytest.raises(ValueError, match=r"lr must be a finite number in \(0, 1\], got 0.0"):
        number_in(0.0, "lr", 0, 1, low_open=True)
    with pytest.raises(ValueError, match=r"in \[0, 1\)"):
        number_in(1.0, "p", 0, 1, high_open=True)


def test_an_open_ended_range_is_said_in_words_not_as_inf():
    with pytest.raises(ValueError, match=r"^lr must be a finite number greater than 0, got 0.0$"):
        number_in(0, "lr", 0, math.inf, low_open=True)
    with pytest.raises(ValueError, match=r"^decay must be a finite number at least 0, got -1.0$"):
        number_in(-1, "decay", 0, math.inf)
