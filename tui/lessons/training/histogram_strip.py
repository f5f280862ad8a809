"""Small histograms side by side, one per hidden layer, drawn with ▁▂▃▄▅▆▇█.

All charts share one vertical scale (the tallest bar of any layer), so a
layer whose activations are squeezed together really looks taller and
narrower than a spread-out one. Under each chart: its range, and the share
of exact zeros (ReLU) and of values beyond the range, which the bars leave out.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from nn_tui.core.labs.inspect import LayerHistogram
from nn_tui.tui.i18n import Strings

TEXT = Strings(
    {
        "histogram.layer": ("layer {n}", "第{n}层"),
        "histogram.scale": ("tallest bar = {percent} of a layer's values", "最高的柱 = 该层 {percent} 的值"),
        "histogram.zeros": ("=0 {percent}", "=0 {percent}"),
        "histogram.above": (">{high} {percent}", ">{high} {percent}"),
        "histogram.below": ("<{low} {percent}", "<{low} {percent}"),
    }
)

BLOCKS = " ▁▂▃▄▅▆▇█"
GAP = 3


def _percent(part: int, total: int) -> str:
    return f"{100 * part / total:.0f}%"


def _number(value: float) -> str:
    return f"{value:.3g}"


def column_cells(fraction: float, tallest: float, height: int) -> list[str]:
    """One bar, top row first: ``fraction`` of ``tallest`` over ``height`` rows in eighths."""
    eighths = round(fraction / tallest * height * 8) if tallest > 0 else 0
    if fraction > 0 and eighths == 0:
        eighths = 1  # a bin that holds anything shows at least a sliver
    cells = []
    for row in range(height - 1, -1, -1):
        cells.append(BLOCKS[max(0, min(8, eighths - row * 8))])
    return cells


class HistogramStrip(Widget):
    """Histograms of several layers in a row (wrapping to more rows when narrow)."""

    COMPONENT_CLASSES = {"histogram--bar", "histogram--title", "histogram--note"}

    DEFAULT_CSS = """
    HistogramStrip {
        width: 1fr;
        height: 1fr;
        min-height: 8;
    }
    HistogramStrip > .histogram--bar { color: $primary; }
    HistogramStrip > .histogram--title { text-style: bold; }
    HistogramStrip > .histogram--note { color: $warning; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.histograms: tuple[LayerHistogram, ...] = ()
        self.language = "en"

    def set_histograms(self, histograms: Sequence[LayerHistogram], language: str = "en") -> None:
        self.histograms = tuple(histograms)
        self.language = language
        self.refresh()

    def render(self) -> Text:
        if not self.histograms:
            return Text("")
        t = TEXT.get
        style = self.get_component_rich_style
        width = max(self.content_size.width, 12)
        count = len(self.histograms)
        bins = max(len(h.counts) for h in self.histograms)
        scale = max(1, min(6, (width - GAP * (count - 1)) // (count * bins)))
        chart = bins * scale
        per_row = max(1, (width + GAP) // (chart + GAP))
        chart_rows = -(-count // per_row)
        notes = 2 if any(h.zeros or h.above or h.below for h in self.histograms) else 0
        height = max(3, min(16, (self.content_size.height - 1) // chart_rows - 2 - notes))
        tallest = max(float(h.fractions.max()) for h in self.histograms)

        lines = [Text(t("histogram.scale", self.language, percent=f"{100 * tallest:.2g}%"))]
        for first in range(0, count, per_row):
            group = list(enumerate(self.histograms))[first:first + per_row]
            block: list[Text] = [Text() for _ in range(height + 2 + notes)]
            for position, (index, h) in enumerate(group):
                pad = " " * GAP if position else ""
                title = t("histogram.layer", self.language, n=index + 1)
                block[0].append(pad + title + " " * max(chart - cell_len(title), 0), style=style("histogram--title"))
                columns = [column_cells(float(f), tallest, height) for f in h.fractions]
                for row in range(height):
                    block[1 + row].append(pad)
                    block[1 + row].append("".join(c[row] * scale for c in columns), style=style("histogram--bar"))
                low, high = _number(h.edges[0]), _number(h.edges[-1])
                axis = low + " " * max(chart - len(low) - len(high), 1) + high
                block[1 + height].append(pad + axis)
                if notes:
                    extra = []
                    if h.zeros:
                        extra.append(t("histogram.zeros", self.language, percent=_percent(h.zeros, h.total)))
                    if h.below:
                        extra.append(t("histogram.below", self.language, low=low, percent=_percent(h.below, h.total)))
                    if h.above:
                        extra.append(t("histogram.above", self.language, high=high, percent=_percent(h.above, h.total)))
                    for k in range(notes):
                        text = extra[k] if k < len(extra) else ""
                        block[2 + height + k].append(pad + text + " " * max(chart - cell_len(text), 0),
                                                     style=style("histogram--note"))
            lines.extend(block)
        return Text("\n").join(lines)

