"""Horizontal probability bars, each with its label and its value written out.

Used wherever a softmax output is shown (lesson 2's output layer, the losses,
a digit's predicted classes). A value that is not a number (a softmax that
overflowed) gets no bar and its text in the warning style, so it stands out
instead of silently drawing an empty bar. The highlighted row (the predicted
or chosen class) is marked by a ▸ before its bar as well as by its colour,
so it still stands out with NO_COLOR.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

_EIGHTHS = " ▏▎▍▌▋▊▉"
HIGHLIGHT_MARK = "▸"


class BarRow(NamedTuple):
    """One bar: `value` is a probability in [0, 1], or nan/inf to flag a broken result."""

    label: str
    value: float
    text: str
    highlight: bool = False


def bar_cells(value: float, width: int) -> str:
    """`value` (0..1) of `width` cells as full blocks plus one eighth-block for the remainder."""
    if width < 0:
        raise ValueError(f"width must be >= 0, got {width}")
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"a bar's value must be between 0 and 1, got {value}")
    eighths = round(value * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


class ProbBars(Widget):
    """One row per class: label, bar, value."""

    COMPONENT_CLASSES = {"prob-bars--bar", "prob-bars--highlight", "prob-bars--warning", "prob-bars--track"}

    DEFAULT_CSS = """
    ProbBars {
        height: auto;
        width: 1fr;
    }
    ProbBars > .prob-bars--bar { color: $primary; }
    ProbBars > .prob-bars--highlight { color: $accent; text-style: bold; }
    ProbBars > .prob-bars--warning { color: $error; text-style: bold; }
    ProbBars > .prob-bars--track { color: $foreground 15%; }
    """

    def __init__(self, rows: Sequence[BarRow] = (), *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: tuple[BarRow, ...] = ()
        self.set_rows(rows)

    def set_rows(self, rows: Sequence[BarRow]) -> None:
        """Show `rows` (a probability outside [0, 1] is a caller's mistake: ValueError)."""
        checked = tuple(BarRow(*row) for row in rows)
        for row in checked:
            if math.isfinite(row.value) and not 0.0 <= row.value <= 1.0:
                raise ValueError(f"bar {row.label!r}: a probability must be between 0 and 1, got {row.value}")
        self.rows = checked
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001 (Textual's signature)
        return max(len(self.rows), 1)

    def render(self) -> Text:
        if not self.rows:
            return Text("")
        label_width = max(cell_len(row.label) for row in self.rows)
        text_width = max(cell_len(row.text) for row in self.rows)
        bar_width = max(self.content_size.width - label_width - text_width - 2, 4)
        style = self.get_component_rich_style
        lines = []
        for row in self.rows:
            line = Text(row.label + " " * (label_width - cell_len(row.label)))
            line.append(HIGHLIGHT_MARK if row.highlight else " ")
            if math.isfinite(row.value):
                bar = bar_cells(row.value, bar_width)
                line.append(bar, style=style("prob-bars--highlight" if row.highlight else "prob-bars--bar"))
                line.append("·" * (bar_width - cell_len(bar)), style=style("prob-bars--track"))
                line.append(" " + row.text.rjust(text_width), style="bold" if row.highlight else "")
            else:
                line.append(" " * bar_width + " ")
                line.append(row.text.rjust(text_width), style=style("prob-bars--warning"))
            lines.append(line)
        return Text("\n").join(lines)
