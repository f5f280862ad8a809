"""Lesson 2's trained network: each layer of one digit's forward pass as a strip of cells.

A strip has one cell per neuron, its height the neuron's value (▁ lowest, █
highest) on the scale the core chose: a weighted sum a on its own smallest
to largest value (written after the strip), an output z or y on 0 … 1.
The layers' sizes (50, 100, 10) show as the strips' lengths.
Heights, not colours, carry the values, so the strips read the same with
NO_COLOR. A layer longer than the room splits into equal rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from nn_tui.core.labs.inference import Strip

CELLS = "▁▂▃▄▅▆▇█"


def range_text(strip: Strip) -> str:
    """The scale of a weighted sum's strip, e.g. '-6.1…3.9'; none for the fixed 0 … 1."""
    if strip.name.startswith("a"):
        return f"{strip.low:.1f}…{strip.high:.1f}"
    return ""


def strip_rows(strip: Strip, room: int) -> list[str]:
    """The strip's cells split into as few equal rows as fit in `room` cells."""
    cells = "".join(CELLS[level] for level in strip.levels.tolist())
    rows = max(1, math.ceil(len(cells) / max(room, 1)))
    per_row = math.ceil(len(cells) / rows)
    return [cells[start : start + per_row] for start in range(0, len(cells), per_row)]


class LayerStrips(Widget):
    """The strips of a1, z1, a2, z2, a3 (and y), one layer under the other, each named as in the book."""

    COMPONENT_CLASSES = {"layer-strips--cells", "layer-strips--range"}

    DEFAULT_CSS = """
    LayerStrips {
        height: auto;
        width: 1fr;
    }
    LayerStrips > .layer-strips--cells { color: $primary; }
    LayerStrips > .layer-strips--range { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.strips: tuple[Strip, ...] = ()

    def show(self, strips: Sequence[Strip]) -> None:
        self.strips = tuple(strips)
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Text]:
        if not self.strips:
            return []
        label_width = max(cell_len(s.name) for s in self.strips) + 1
        room = max(width - label_width, 10)
        cells = self.get_component_rich_style("layer-strips--cells")
        muted = self.get_component_rich_style("layer-strips--range")
        lines = []
        for strip in self.strips:
            rows = strip_rows(strip, room)
            for number, row in enumerate(rows):
                line = Text((strip.name if number == 0 else "").ljust(label_width), no_wrap=True)
                line.append(row, style=cells)
                lines.append(line)
            scale = range_text(strip)
            if scale and cell_len(rows[-1]) + 1 + cell_len(scale) <= room:
                lines[-1].append(" " + scale, style=muted)  # after the strip's last row if it fits
            elif scale:
                lines.append(Text(" " * label_width + scale, style=muted, no_wrap=True))
        return lines

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001 (Textual's signature)
        return max(len(self._lines(width)), 1)

    def render(self) -> Text:
        return Text("\n").join(self._lines(self.content_size.width))
