"""The live charts of a training run: loss per iteration and accuracy per epoch.

Both are the shared `Chart` (ticks on the rows their values fall on, the
legend drawn from the series themselves, and a picture built again only for
new data, a new size or a new theme). They are drawn only when told
(`show`), never per iteration: the screen calls `show` from a timer when the
run's record changed. The points come ready to draw from
`nn_tui.core.labs.curves` (finite, bounded in number); these widgets only
lay them out. Raw, smoothed, train and test are told apart by marker as well
as colour, so they still read without colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nn_tui.core.labs.curves import AccuracyCurve, LossCurve
from nn_tui.tui.widgets.chart import Chart, Series

RAW_COLOR = "gray"
SMOOTH_COLOR = "red+"
TRAIN_COLOR = "blue+"
TEST_COLOR = "green+"
GHOST_COLOR = "gray"


@dataclass(frozen=True)
class LossLabels:
    title: str
    empty: str  # the title while there is nothing to draw
    raw: str  # the legend's names of the two curves
    smoothed: str  # may hold {window}, the smoothing window


@dataclass(frozen=True)
class AccuracyLabels:
    title: str
    empty: str  # the title while there is nothing to draw
    train: str
    test: str


def whole_ticks(first: float, last: float, count: int = 5) -> list[int]:
    """Up to `count` whole numbers spread from `first` to `last` (iterations and epochs are whole)."""
    step = max((last - first) / (count - 1), 1)
    return sorted({round(first + i * step) for i in range(count) if first + i * step <= last + 0.5})


def whole(value: float) -> str:
    return f"{value:.0f}"


class TrainChart(Chart):
    """A chart that knows which version of the run's record it shows (-1: none yet)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.drawn_version = -1

    def empty(self, title: str, y_high: float) -> None:
        # The hint goes in the title, above the frame: nothing to plot yet.
        self.draw([], x_limits=(0, 1), y_limits=(0, y_high), x_ticks=[], y_ticks=[], title=title)


class LossChart(TrainChart):
    """Mini-batch loss per iteration: the raw curve, thin, and its moving average, thick."""

    def show(self, curve: LossCurve | None, labels: LossLabels) -> None:
        if curve is None or len(curve.iterations) == 0:
            self.empty(labels.empty, 1)
            return
        x = curve.iterations.tolist()
        last = max(x[-1], 2)
        self.draw(
            [
                Series(labels.raw, x, curve.raw.tolist(), "braille", RAW_COLOR),
                Series(labels.smoothed.format(window=curve.window), x, curve.smoothed.tolist(), "hd", SMOOTH_COLOR),
            ],
            x_limits=(1, last),
            x_ticks=whole_ticks(1, last),
            x_format=whole,
            title=labels.title,
        )


class AccuracyChart(TrainChart):
    """Train and test accuracy (%) per epoch; earlier runs as dim "ghost" curves."""

    def show(self, current: AccuracyCurve, ghosts: Sequence[AccuracyCurve], labels: AccuracyLabels) -> None:
        drawn = [g for g in ghosts if len(g)]
        curves = [*drawn, current] if len(current) else drawn
        if not curves:
            self.empty(labels.empty, 100)
            return
        series: list[Series] = []
        for n, ghost in enumerate(drawn):
            # Named in the title, not the legend: two grey curves each, told apart by their place.
            series += self._pair(ghost, f"ghost {n + 1} ", "braille", "braille", GHOST_COLOR, GHOST_COLOR, legend=False)
        if len(current):
            series += self._pair(current, "", "hd", "dot", TRAIN_COLOR, TEST_COLOR, labels=labels)
        first = min(c.epochs[0] for c in curves)
        last = max(max(c.epochs[-1] for c in curves), first + 1)
        lowest = min(min(c.train + c.test) for c in curves) * 100
        # From the whole ten below the lowest point to 100: the top is what matters.
        self.draw(
            series,
            x_limits=(first, last),
            y_limits=(max(0.0, (lowest // 10) * 10), 100),
            x_ticks=whole_ticks(first, last),
            x_format=whole,
            title=labels.title,
        )

    @staticmethod
    def _pair(curve: AccuracyCurve, prefix: str, train_marker: str, test_marker: str, train_color: str,
              test_color: str, labels: AccuracyLabels | None = None, legend: bool = True) -> list[Series]:
        x = list(curve.epochs)
        train, test = (labels.train, labels.test) if labels is not None else ("train", "test")
        return [
            Series(f"{prefix}{train}", x, [a * 100 for a in curve.train], train_marker, train_color, legend=legend),
            Series(f"{prefix}{test}", x, [a * 100 for a in curve.test], test_marker, test_color, legend=legend),
        ]
