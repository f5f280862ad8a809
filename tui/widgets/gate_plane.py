"""The input plane of a 2-D classifier: shaded regions, a decision line, labelled points.

`GatePlane` draws a `PlaneView` into a character grid that fills the widget:
each cell is shaded by the class its centre falls in (a background colour,
and a light dot pattern for class 1 so it still reads with NO_COLOR), the
lines are drawn in braille dots (2×4 per cell, finer than a character), and the
points sit on top as ○ (class 0) and × (class 1), or ⊘ and ⊗ when on the
wrong side of the line. An optional `trail` of earlier lines is drawn faintly
and dashed, under the current lines. The class of a point comes from the
caller: the perceptron lesson passes the gate's wanted outputs, so a point on
the wrong side of the line is a row the perceptron gets wrong. Every mark
differs from the others by its glyph, not only its colour (NO_COLOR).

A view with a `confidence` function is *shaded* (the playground's classifier
map): each class has its own colour in three strengths, stronger where the
network is surer, and, for NO_COLOR, its own pattern character (none, ·, -,
~), denser where it is surer and absent near the decision boundary. Points
can then be drawn as training points (filled glyphs) or test points (hollow).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

Segment = tuple[tuple[float, float], tuple[float, float]]

GLYPHS = ("○", "×", "△", "□")
# A point on the wrong side of the line: its class's glyph struck through (red is not enough with NO_COLOR).
WRONG_GLYPHS = ("⊘", "⊗", "◬", "⊠")
# Shape tells the class, fill tells training (filled) from test (hollow) points.
TRAIN_GLYPHS = ("●", "■", "▲", "◆")
TEST_GLYPHS = ("○", "□", "△", "◇")
REGION_STYLES = (Style(bgcolor="#2a2d38"), Style(bgcolor="#174a5c"))
PATTERN_STYLE = Style(color="#5f9fb0")
LINE_STYLE = Style(color="#ffd75f", bold=True)
TRAIL_STYLE = Style(color="#8a7a40", dim=True)  # earlier lines: faint, under the current one
POINT_STYLE = Style(color="#ffffff", bold=True)
WRONG_STYLE = Style(color="#ff6e6e", bold=True)
CURRENT_STYLE = Style(reverse=True)
AXIS_STYLE = Style(dim=True)

# Shaded views: per class (orange, blue, green, purple), unsure → sure.
SHADE_COLOURS = (
    ("#3a3028", "#5c3b1a", "#804a10"),
    ("#28303a", "#1d3f5e", "#105a8a"),
    ("#2a352b", "#25502c", "#1f6b30"),
    ("#33293a", "#4a3360", "#633f85"),
)
SHADE_STYLES = tuple(tuple(Style(bgcolor=c) for c in levels) for levels in SHADE_COLOURS)
SHADE_PATTERNS = (" ", "·", "-", "~")
POINT_COLOURS = ("#ffb454", "#7cc8ff", "#8cf08c", "#e0a8ff")

# Bit of each braille dot, indexed [row 0-3][column 0-1] (Unicode order).
BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))

LEFT_MARGIN = 3  # the x2 axis labels
BOTTOM_MARGIN = 1  # the x1 axis labels


@dataclass(frozen=True)
class PlanePoint:
    x: float
    y: float
    label: int
    current: bool = False
    wrong: bool = False
    test: bool = False  # a test point: drawn hollow in shaded views


@dataclass(frozen=True)
class PlaneView:
    """What to draw: `regions(xs, ys)` gives the class at each point of a grid."""

    regions: Callable[[np.ndarray, np.ndarray], np.ndarray]
    points: tuple[PlanePoint, ...] = ()
    lines: tuple[Segment, ...] = ()
    x_range: tuple[float, float] = (-0.5, 1.5)
    y_range: tuple[float, float] = (-0.5, 1.5)
    x_ticks: tuple[float, ...] = (0.0, 1.0)
    y_ticks: tuple[float, ...] = (0.0, 1.0)
    x_label: str = "x1"
    y_label: str = "x2"
    # confidence(xs, ys): probability of the class at each point (1/k .. 1); makes the view shaded.
    confidence: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None
    classes: int = 2  # how many classes a shaded view has (for its unsure..sure scale)
    # Earlier lines (e.g. the last steps of a learning run), drawn faintly under `lines`.
    trail: tuple[Segment, ...] = ()


def _tick(value: float) -> str:
    return f"{value:g}"


class _Grid:
    """Maps data coordinates to cells of a plot area `cols` × `rows`."""

    def __init__(self, view: PlaneView, cols: int, rows: int) -> None:
        self.view, self.cols, self.rows = view, cols, rows
        (self.x0, self.x1), (self.y0, self.y1) = view.x_range, view.y_range

    def fraction(self, x: float, y: float) -> tuple[float, float]:
        """(across, down) in 0..1 from the top-left corner."""
        return (x - self.x0) / (self.x1 - self.x0), (self.y1 - y) / (self.y1 - self.y0)

    def cell(self, x: float, y: float) -> tuple[int, int] | None:
        fx, fy = self.fraction(x, y)
        col, row = math.floor(fx * self.cols), math.floor(fy * self.rows)
        if 0 <= col < self.cols and 0 <= row < self.rows:
            return col, row
        return None

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        xs = self.x0 + (np.arange(self.cols) + 0.5) / self.cols * (self.x1 - self.x0)
        ys = self.y1 - (np.arange(self.rows) + 0.5) / self.rows * (self.y1 - self.y0)
        return np.meshgrid(xs, ys)


# A dashed line: this many dots drawn, then as many left out (a trail line, told from the current one).
DASH = 2


def _line_dots(grid: _Grid, line: Segment, dashed: bool = False) -> dict[tuple[int, int], int]:
    """Braille bits per cell for the segment, sampled finer than the dot grid."""
    (xa, ya), (xb, yb) = line
    dots: dict[tuple[int, int], int] = {}
    samples = 2 * (grid.cols * 2 + grid.rows * 4) + 1
    passed: list[tuple[int, int]] = []  # the dots along the line, in order
    for t in np.linspace(0.0, 1.0, samples):
        fx, fy = grid.fraction(xa + t * (xb - xa), ya + t * (yb - ya))
        dx = min(max(math.floor(fx * grid.cols * 2), 0), grid.cols * 2 - 1)
        dy = min(max(math.floor(fy * grid.rows * 4), 0), grid.rows * 4 - 1)
        if not passed or passed[-1] != (dx, dy):
            passed.append((dx, dy))
        if dashed and (len(passed) - 1) // DASH % 2:
            continue
        key = (dx // 2, dy // 4)
        dots[key] = dots.get(key, 0) | BRAILLE_BITS[dy % 4][dx % 2]
    return dots


# Sureness (0 at 1/k, 1 at certainty) from which a cell is shaded at strength 1, 2.
SURE_LEVELS = (0.3, 0.8)


def _sure_levels(view: PlaneView, confidence: np.ndarray) -> np.ndarray:
    """0 (unsure, near the boundary), 1 or 2 (sure) for each probability."""
    chance = 1.0 / max(view.classes, 2)
    sureness = (np.asarray(confidence, dtype=float) - chance) / (1.0 - chance)
    return np.digitize(sureness, SURE_LEVELS)


def _shaded_cell(region: int, level: int, point: PlanePoint | None, col: int, row: int) -> tuple[str, Style]:
    """One cell of a shaded view: the class colour at its strength, a pattern or a point on top."""
    region %= len(SHADE_STYLES)
    if point is not None:
        glyphs = TEST_GLYPHS if point.test else TRAIN_GLYPHS
        label = point.label % len(glyphs)
        style = _POINT_STYLES[region][level][label]
        return glyphs[label], style + CURRENT_STYLE if point.current else style
    # Dense pattern where sure, sparse where less sure, none near the boundary.
    dense = level == 2 and col % 2 == row % 2
    sparse = level == 1 and col % 4 == (row % 2) * 2
    return (SHADE_PATTERNS[region] if dense or sparse else " "), _PATTERN_STYLES[region][level]


def _shaded_row(text: Text, cells: list[tuple[str, Style]]) -> None:
    """Append a row of cells, one span per run of equal style (a map has thousands of cells)."""
    start = 0
    for end in range(1, len(cells) + 1):
        if end == len(cells) or cells[end][1] != cells[start][1]:
            text.append("".join(char for char, _ in cells[start:end]), cells[start][1])
            start = end


# Styles combined once, not per cell.
_PATTERN_STYLES = tuple(tuple(shade + PATTERN_STYLE for shade in levels) for levels in SHADE_STYLES)
_POINT_STYLES = tuple(
    tuple(tuple(shade + Style(color=colour, bold=True) for colour in POINT_COLOURS) for shade in levels)
    for levels in SHADE_STYLES
)


def plane_text(view: PlaneView, width: int, height: int) -> Text:
    """The plane drawn in `width` × `height` cells (axis labels included)."""
    cols, rows = width - LEFT_MARGIN, height - BOTTOM_MARGIN
    if cols < 6 or rows < 4:
        return Text("…")
    grid = _Grid(view, cols, rows)
    xs, ys = grid.centres()
    regions = np.asarray(view.regions(xs, ys), dtype=int).reshape(rows, cols)
    levels = None if view.confidence is None else _sure_levels(view, view.confidence(xs, ys)).reshape(rows, cols)
    points: dict[tuple[int, int], PlanePoint] = {}
    for point in view.points:
        cell = grid.cell(point.x, point.y)
        if cell is not None:
            points[cell] = point
    if points:
        # The cell a point sits in takes the point's own side of the line (one call for all points).
        cols_of, rows_of = (np.array(axis) for axis in zip(*points))
        px = np.array([p.x for p in points.values()], dtype=float)
        py = np.array([p.y for p in points.values()], dtype=float)
        regions[rows_of, cols_of] = np.asarray(view.regions(px, py), dtype=int).ravel()
        if levels is not None:
            levels[rows_of, cols_of] = _sure_levels(view, view.confidence(px, py)).ravel()
    dots: dict[tuple[int, int], int] = {}
    for line in view.lines:
        for cell, bits in _line_dots(grid, line).items():
            dots[cell] = dots.get(cell, 0) | bits
    trail: dict[tuple[int, int], int] = {}
    for line in view.trail:
        for cell, bits in _line_dots(grid, line, dashed=True).items():
            trail[cell] = trail.get(cell, 0) | bits
    y_labels: dict[int, str] = {}
    for tick in view.y_ticks:
        row = math.floor(grid.fraction(view.x_range[0], tick)[1] * rows)
        if 0 <= row < rows:
            y_labels[row] = _tick(tick)

    text = Text(no_wrap=True, overflow="crop")
    for row in range(rows):
        label = view.y_label if row == 0 else y_labels.get(row, "")
        text.append(f"{label:>{LEFT_MARGIN - 1}} "[:LEFT_MARGIN], AXIS_STYLE)
        if levels is not None:
            cells = [_shaded_cell(regions[row, col], levels[row, col], points.get((col, row)), col, row)
                     for col in range(cols)]
            _shaded_row(text, cells)
            text.append("\n")
            continue
        for col in range(cols):
            point = points.get((col, row))
            region = REGION_STYLES[regions[row, col] % len(REGION_STYLES)]
            if point is not None:
                style = WRONG_STYLE if point.wrong else POINT_STYLE
                if point.current:
                    style += CURRENT_STYLE
                glyphs = WRONG_GLYPHS if point.wrong else GLYPHS
                text.append(glyphs[point.label % len(glyphs)], region + style)
            elif (col, row) in dots:
                text.append(chr(0x2800 + dots[col, row]), region + LINE_STYLE)
            elif (col, row) in trail:
                text.append(chr(0x2800 + trail[col, row]), region + TRAIL_STYLE)
            elif regions[row, col] == 1 and col % 4 == (row % 2) * 2:
                text.append("·", region + PATTERN_STYLE)
            else:
                text.append(" ", region)
        text.append("\n")
    axis = [" "] * cols
    for tick in view.x_ticks:
        col = math.floor(grid.fraction(tick, view.y_range[0])[0] * cols)
        for offset, char in enumerate(_tick(tick)):
            if 0 <= col + offset < cols:
                axis[col + offset] = char
    label = view.x_label
    axis[cols - len(label) :] = list(label)
    text.append(" " * LEFT_MARGIN + "".join(axis), AXIS_STYLE)
    return text


class GatePlane(Widget):
    """Draws a `PlaneView`; call `show(view)` to change it."""

    DEFAULT_CSS = """
    GatePlane {
        width: 1fr;
        height: 1fr;
        min-width: 12;
        min-height: 6;
    }
    """

    def __init__(self, view: PlaneView | None = None, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._view = view

    @property
    def view(self) -> PlaneView | None:
        return self._view

    def show(self, view: PlaneView) -> None:
        self._view = view
        self.refresh()

    def render(self) -> Text:
        if self._view is None:
            return Text("")
        return plane_text(self._view, self.content_size.width, self.content_size.height)
