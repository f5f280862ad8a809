"""The live charts of a training run: loss per iteration and accuracy per epoch.

Both are the shared `Chart` (ticks on the rows their values fall on, the
legend drawn from the series themselves, and a picture built again only for
new data, a new size or a new theme). They are drawn only when told
(`show`), never per iteration: the screen calls `show` from a timer when the
run's record changed. The points come ready to draw from
`nn_tui.core.labs.curves` (finite, bounded in number); these widgets only
lay them out. Raw, smoothed, train and test are told apart by marker as well
as colour, so they still read without colour.

Earlier runs ("ghosts") are drawn under the current run, each named in the
legend; the x axis follows the current run (a ghost is cut where the
current run ends), and the y axis covers what is visible of every curve.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nn_tui.core.labs.curves import AccuracyCurve, LossCurve, LossGhost
from nn_tui.tui.widgets.chart import Chart, Series

RAW_COLOR = "gray"
SMOOTH_COLOR = "red+"
TRAIN_COLOR = "blue+"
TEST_COLOR = "green+"
GHOST_COLOR = "gray"
GHOST_MARKER = "braille"  # a legend entry whose glyph is taken gets a spare one (see Chart.draw)


@dataclass(frozen=True)
class LossLabels:
    title: str
    empty: str  # the title while there is nothing to draw
    raw: str  # the legend's names of the two curves
    smoothed: str  # may hold {window}, the smoothing window
    ghost: str = "run {n}"  # an earlier run in the legend: may hold {n} (its number) and {label} (its setup)


@dataclass(frozen=True)
class AccuracyLabels:
    title: str
    empty: str  # the title while there is nothing to draw
    train: str
    test: str
    ghost: str = "run {n} {curve}"  # an earlier run's train or test curve: {n} its number, {curve} train/test


def whole_ticks(first: float, last: float, count: int = 5) -> list[int]:
    """Up to `count` whole numbers spread from `first` to `last` (iterations and epochs are whole)."""
    step = max((last - first) / (count - 1), 1)
    return sorted({round(first + i * step) for i in range(count) if first + i * step <= last + 0.5})


def whole(value: float) -> str:
    return f"{value:.0f}"


def visible(x: Sequence[float], y: Sequence[float], first: float, last: float) -> list[float]:
    """The y values of the points whose x lies within [first, last]."""
    return [b for a, b in zip(x, y) if first <= a <= last]


class TrainChart(Chart):
    """A chart that knows which version of the run's record it shows (-1: none yet)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.drawn_version = -1

    def empty(self, title: str, y_high: float) -> None:
        # The hint goes in the title, above the frame: nothing to plot yet.
        self.draw([], x_limits=(0, 1), y_limits=(0, y_high), x_ticks=[], y_ticks=[], title=title)


class LossChart(TrainChart):
    """Mini-batch loss per iteration: the raw curve, thin, and its moving average, thick; earlier runs' averages."""

    def show(self, curve: LossCurve | None, labels: LossLabels, ghosts: Sequence[LossGhost] = ()) -> None:
        ghosts = [g for g in ghosts if len(g)]
        current = curve is not None and len(curve.iterations) > 0
        if not current and not ghosts:
            self.empty(labels.empty, 1)
            return
        series: list[Series] = []
        if current:
            x = curve.iterations.tolist()
            series += [
                Series(labels.raw, x, curve.raw.tolist(), "braille", RAW_COLOR),
                Series(labels.smoothed.format(window=curve.window), x, curve.smoothed.tolist(), "hd", SMOOTH_COLOR),
            ]
            last = max(x[-1], 2)
        else:
            last = max(max(g.iterations[-1] for g in ghosts), 2)
        for ghost in ghosts:
            name = labels.ghost.format(n=ghost.run, label=ghost.label).rstrip(" ·")  # a state document's "" label
            series.append(Series(name, ghost.iterations, ghost.loss, GHOST_MARKER, GHOST_COLOR, behind=True))
        shown = [v for item in series for v in visible(item.x, item.y, 1, last)]
        self.draw(
            series,
            x_limits=(1, last),
            y_limits=(min(shown), max(shown)) if shown else None,
            x_ticks=whole_ticks(1, last),
            x_format=whole,
            title=labels.title,
        )


class AccuracyChart(TrainChart):
    """Train and test accuracy (%) per epoch; earlier runs as "ghost" curves under it."""

    def show(self, current: AccuracyCurve, ghosts: Sequence[AccuracyCurve], labels: AccuracyLabels) -> None:
        drawn = [g for g in ghosts if len(g)]
        if not len(current) and not drawn:
            self.empty(labels.empty, 100)
            return
        series: list[Series] = []
        if len(current):
            series += self._pair(current, labels.train, labels.test, "hd", "dot", TRAIN_COLOR, TEST_COLOR)
        for ghost in drawn:
            series += self._pair(ghost, labels.ghost.format(n=ghost.run, curve=labels.train),
                                 labels.ghost.format(n=ghost.run, curve=labels.test),
                                 GHOST_MARKER, GHOST_MARKER, GHOST_COLOR, GHOST_COLOR, behind=True)
        # The x axis follows the current run: a longer earlier run must not squash it.
        follow = [current] if len(current) else drawn
        first = min(c.epochs[0] for c in follow)
        last = max(max(c.epochs[-1] for c in follow), first + 1)
        shown = [v for item in series for v in visible(item.x, item.y, first, last)]
        lowest = min(shown, default=0.0)
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
    def _pair(curve: AccuracyCurve, train: str, test: str, train_marker: str, test_marker: str, train_color: str,
              test_color: str, behind: bool = False) -> list[Series]:
        x = list(curve.epochs)
        return [
            Series(train, x, [a * 100 for a in curve.train], train_marker, train_color, behind=behind),
            Series(test, x, [a * 100 for a in curve.test], test_marker, test_color, behind=behind),
        ]
