"""Probability bars: exact bar lengths, values written out, nan flagged instead of drawn."""

from __future__ import annotations

import math

import pytest
from textual.app import App, ComposeResult

from nn_tui.tui.widgets.prob_bars import BarRow, ProbBars, bar_cells


@pytest.mark.parametrize(
    "value, width, cells",
    [(0.0, 10, ""), (1.0, 4, "████"), (0.5, 10, "█████"), (0.0625, 8, "▌"), (0.73659691, 10, "███████▍")],
)
def test_a_bar_is_full_blocks_and_one_eighth_block(value, width, cells):
    assert bar_cells(value, width) == cells


@pytest.mark.parametrize("value", [-0.1, 1.01, math.nan])
def test_a_bar_refuses_a_value_that_is_not_a_probability(value):
    with pytest.raises(ValueError):
        bar_cells(value, 10)


class Bars(App[None]):
    def compose(self) -> ComposeResult:
        yield ProbBars(
            [BarRow("cat", 0.25, "0.25"), BarRow("dog", 0.75, "0.75", True), BarRow("ship", math.nan, "nan")]
        )


async def test_rows_show_label_bar_and_value_and_nan_gets_no_bar():
    app = Bars()
    async with app.run_test(size=(30, 5)):
        bars = app.query_one(ProbBars)
        assert bars.size.height == 3
        lines = str(bars.render()).splitlines()
        # 30 columns: label 4 + space, bar 20, space, value 4
        assert lines[0] == "cat  █████··············· 0.25"
        assert lines[1] == "dog ▸███████████████····· 0.75"  # highlighted: marked, not only coloured
        assert lines[2] == "ship " + " " * 21 + " nan"
        with pytest.raises(ValueError, match="between 0 and 1"):
            bars.set_rows([BarRow("x", 1.5, "1.5")])
        assert len(bars.rows) == 3
