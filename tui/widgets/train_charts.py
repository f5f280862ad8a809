"""The live charts of a training run: loss per iteration and accuracy per epoch.

Both are plotext plots that are redrawn only when told (`show`), never per
iteration: the screen calls `show` from a timer when its curves changed. The
points come ready to draw from `nn_tui.core.labs.curves` (finite, bounded in
number); these widgets only lay them out. Raw, smoothed, train and test are
told apart by marker as well as colour, so they still read without colour.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import RenderResult
from textual_plotext import PlotextPlot

from nn_tui.core.labs.curves import AccuracyCurve, LossCurve

RAW_COLOR = "gray"
SMOOTH_COLOR = "red+"
TRAIN_COLOR = "blue+"
TEST_COLOR = "green+"
GHOST_COLOR = "gray"


@dataclass(frozen=True)
class LossLabels:
    title: str  # may hold {window}, the smoothing window
    empty: str  # the title while there is nothing to draw


@dataclass(frozen=True)
class AccuracyLabels:
    title: str
    empty: str  # the title while there is nothing to draw


def whole_ticks(first: float, last: float, count: int = 5) -> list[int]:
    """Up to `count` whole numbers spread from `first` to `last` (iterations and epochs are whole)."""
    step = max((last - first) / (count - 1), 1)
    return sorted({round(first + i * step) for i in range(count) if first + i * step <= last + 0.5})


class Chart(PlotextPlot):
    """A plotext plot that remembers what it drew last (`series`, label -> (x, y)).

    Plotext rebuilds the whole picture on every render, which a screen
    repaint asks for even when nothing changed; here a picture is built
    again only for new data, a new size or a new theme.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.series: dict[str, tuple[list[float], list[float]]] = {}
        self._drawings = 0
        self._cache_key: tuple[object, ...] | None = None
        self._cache: RenderResult | None = None
        self.build_seconds = 0.0  # what the last picture cost to build

    @property
    def max_points(self) -> int:
        """Points worth drawing: a braille cell holds two columns of dots."""
        return max(2 * self.size.width, 100)

    def render(self) -> RenderResult:
        key = (self.size, self._drawings, self.app.theme, self.theme)
        if key != self._cache_key or self._cache is None:
            start = time.perf_counter()
            self._cache = super().render()
            self._cache_key = key
            self.build_seconds = time.perf_counter() - start
        return self._cache

    def begin(self, title: str) -> None:
        self._drawings += 1
        self.series = {}
        self.plt.clear_data()
        self.plt.clear_figure()
        self.plt.title(title)

    def line(self, name: str, x: list[float], y: list[float], marker: str, color: str) -> None:
        # The legend is in the title: plotext's own sits on the first points of the curves.
        self.series[name] = (x, y)
        self.plt.plot(x, y, marker=marker, color=color)

    def empty(self, y_high: float) -> None:
        self.plt.xlim(0, 1)
        self.plt.ylim(0, y_high)
        self.plt.xticks([])


class LossChart(Chart):
    """Mini-batch loss per iteration: the raw curve, thin, and its moving average, thick."""

    def show(self, curve: LossCurve | None, labels: LossLabels) -> None:
        plt = self.plt
        if curve is None or len(curve.iterations) == 0:
            # The hint goes in the title: plotext counts a Chinese character as
            # one cell, so text inside the frame would push its right edge out.
            self.begin(labels.empty)
            self.empty(1)
        else:
            self.begin(labels.title.format(window=curve.window))
            x = curve.iterations.tolist()
            self.line("raw", x, curve.raw.tolist(), "braille", RAW_COLOR)
            self.line("smoothed", x, curve.smoothed.tolist(), "hd", SMOOTH_COLOR)
            plt.xlim(1, max(x[-1], 2))
            plt.xticks(whole_ticks(1, max(x[-1], 2)))
        self.refresh()


class AccuracyChart(Chart):
    """Train and test accuracy (%) per epoch; earlier runs as dim "ghost" curves."""

    def show(self, current: AccuracyCurve, ghosts: Sequence[AccuracyCurve], labels: AccuracyLabels) -> None:
        plt = self.plt
        drawn = [g for g in ghosts if len(g)]
        curves = [*drawn, current] if len(current) else drawn
        if not curves:
            self.begin(labels.empty)
            self.empty(100)
            self.refresh()
            return
        self.begin(labels.title)
        for n, ghost in enumerate(drawn):
            self._series(f"ghost{n}", ghost, "braille", GHOST_COLOR, GHOST_COLOR)
        if len(current):
            self._series("current", current, "hd", TRAIN_COLOR, TEST_COLOR, test_marker="dot")
        first = min(c.epochs[0] for c in curves)
        last = max(max(c.epochs[-1] for c in curves), first + 1)
        lowest = min(min(c.train + c.test) for c in curves) * 100
        # From the whole ten below the lowest point to 100: the top is what matters.
        plt.ylim(max(0.0, (lowest // 10) * 10), 100)
        plt.xlim(first, last)
        plt.xticks(whole_ticks(first, last))
        self.refresh()

    def _series(self, name: str, curve: AccuracyCurve, marker: str, train_color: str, test_color: str,
                test_marker: str | None = None) -> None:
        x = list(curve.epochs)
        self.line(f"{name} train", x, [a * 100 for a in curve.train], marker, train_color)
        self.line(f"{name} test", x, [a * 100 for a in curve.test], test_marker or marker, test_color)
