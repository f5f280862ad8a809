"""First-layer weights as a gallery of images, one per hidden unit.

Each hidden unit of the first layer has one weight per pixel, so its 784
weights form a 28x28 picture of what excites it (positive, warm colours)
and what inhibits it (negative, blue). The gallery shows as many units as
fit: full size when there is room, half-size thumbnails otherwise.
"""

from __future__ import annotations

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from nn_tui.core.labs.inspect import weight_images
from nn_tui.core.data.mnist import COLS, ROWS
from nn_tui.tui.i18n import Strings
from nn_tui.tui.widgets.digit_image import image_lines

TEXT = Strings(
    {
        "weights.unit": ("unit {n}", "神经元 {n}"),
        "weights.shown": (
            "First-layer weights, units [b]{first}–{last}[/b] of {units} · ←/→ more units",
            "第一层权重：神经元 [b]{first}–{last}[/b]（共 {units} 个）· ←/→ 翻页",
        ),
    }
)

GAP = 2
# Scale each image by the 99th percentile of |w|: a handful of extreme
# weights would otherwise leave the rest of the picture almost black.
PERCENTILE = 99.0
CAPTION = 1


class WeightGallery(Widget):
    """Images of first-layer weights for hidden units ``first``, ``first + 1``, ..."""

    DEFAULT_CSS = """
    WeightGallery {
        width: 1fr;
        height: 1fr;
        min-height: 8;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.W1: np.ndarray | None = None
        self.first = 0
        self.language = "en"

    @property
    def units(self) -> int:
        return 0 if self.W1 is None else int(self.W1.shape[1])

    def set_weights(self, W1: np.ndarray, first: int = 0, language: str = "en") -> None:
        """Show the units of ``W1`` (784, hidden) from ``first`` on."""
        weight_images(W1, [0])  # a wrong shape or NaN weights: ValueError, nothing changes
        if not 0 <= first < W1.shape[1]:
            raise ValueError(f"first unit must be from 0 to {W1.shape[1] - 1}, got {first}")
        self.W1, self.first, self.language = W1, first, language
        self.refresh()

    def _layout(self) -> tuple[int, int, int]:
        """(factor, images per row, rows of images) for the current size."""
        width, height = self.content_size.width, self.content_size.height
        for factor in (1, 2):
            cols, lines = COLS // factor, ROWS // factor // 2
            per_row = (width + GAP) // (cols + GAP)
            rows = (height - 1) // (lines + CAPTION)  # the first line says which units
            if factor == 1 and per_row >= 3 and rows >= 1 or factor == 2:
                return factor, max(per_row, 1), max(rows, 1)
        raise AssertionError("unreachable")

    @property
    def capacity(self) -> int:
        """How many units fit at the current size (at least 1)."""
        _, per_row, rows = self._layout()
        return per_row * rows

    def shown_units(self) -> list[int]:
        return list(range(self.first, min(self.first + self.capacity, self.units)))

    def render(self) -> Text:
        if self.W1 is None:
            return Text("")
        factor, per_row, _ = self._layout()
        color = not getattr(self.app, "no_color", False)
        units = self.shown_units()
        images = weight_images(self.W1, units, percentile=PERCENTILE)
        cols = COLS // factor
        lines = [Text.from_markup(TEXT.get("weights.shown", self.language, first=units[0], last=units[-1],
                                           units=self.units))]
        for start in range(0, len(units), per_row):
            group = range(start, min(start + per_row, len(units)))
            drawn = [image_lines(images[i], signed=True, color=color, factor=factor) for i in group]
            for row in range(len(drawn[0])):
                line = Text()
                for k, image in enumerate(drawn):
                    if k:
                        line.append(" " * GAP)
                    line.append_text(image[row])
                lines.append(line)
            caption = Text()
            for k, i in enumerate(group):
                label = TEXT.get("weights.unit", self.language, n=units[i])
                caption.append((" " * GAP if k else "") + label + " " * max(cols - cell_len(label), 0),
                               style="bold")
            lines.append(caption)
        return Text("\n").join(lines)
