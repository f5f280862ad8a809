"""One chart widget for every lesson that plots, built so that it never lies.

Plotext (kept: the product uses it) maps a value v in the limits [lo, hi] to
a cell of a canvas `cells` rows (or columns) long by

    cell = floor(round(0.5 + (f * cells - 1) * (v - lo) / (hi - lo), 8)) // f

where f is the number of dots a marker puts in one cell along that axis: 1
for a plain character, for tick labels and for `hline`/`vline`; along y 2
for "hd", 3 for "fhd" and 4 for "braille"; along x 2 for all three. Row 0 is
the bottom. Tick labels (f = 1) put the centre of row r at the value
lo + r * (hi - lo) / (cells - 1), but a dot marker's rows are shifted by up
to 3/8 of a row, so one value can sit on different rows for different
markers. And plotext's default y ticks (7 evenly spaced values, rounded
labels) often share a row, where the last label written wins: in a plot 8
rows high, a dot at 74.3 in the limits 70..100 is drawn on the row labelled 80.

So this widget (1) moves the points of dot markers by the small affine
shift that puts every value on the row (column) its tick-label arithmetic
gives it, whatever the marker, and (2) chooses its ticks itself: one per
row at most, round values when they fit, otherwise the value the row
stands for, written to as many decimals as it needs to stay on its row.
Each tick is checked with plotext's own arithmetic (`landing`).

Titles and the legend are drawn by rich above the frame, not by plotext,
which counts a Chinese character as one cell and would break its frame; a
legend too long for one line goes on to the next (at most a quarter of the
chart's height), entry by entry.

Without colour (NO_COLOR) the legend's entries must differ by marker alone:
every entry gets a glyph of its own, and the dot markers (braille, hd, fhd),
which all draw a line of fine dots, count as one look, so only one entry
keeps one; the others get plain characters.
"""

from __future__ import annotations

import math
import time
from functools import cache
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, NamedTuple, Union

from plotext._dict import hd_symbols, marker_codes
from plotext._utility import colorize, colors_to_ansi, get_matrix_data
from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

Color = Union[str, int, tuple[int, int, int]]  # a plotext colour: "red+", 0..255 or (r, g, b)
Limits = tuple[Union[float, None], Union[float, None]]
Format = Callable[[float], str]

DOTS = {"hd": (2, 2), "fhd": (2, 3), "braille": (2, 4)}  # dots per cell along x and y; a character has (1, 1)
Y_DOTS = (1, 2, 3, 4)  # every kind along y
X_DOTS = (1, 2)
# Markers handed out when two legend entries would look alike without colour (NO_COLOR).
SPARE_MARKERS = ("braille", "•", "+", "x", "o", "*", "hd", "fhd", "◆", "■", "▲", "#")
# Without colour: plain characters, each unlike the others.
PLAIN_MARKERS = ("•", "+", "x", "o", "*", "◆", "■", "▲", "#", "=", "%", "@")
DOT_MARKERS = frozenset(DOTS)
MOST_TICKS = 8


def marker_name(marker: str) -> str:
    """What plotext will draw for `marker` (its names become characters, longer strings their first)."""
    marker = marker_codes.get(marker, marker)
    return marker if marker in hd_symbols else marker[:1] or "•"


@dataclass(frozen=True)
class Series:
    """One curve or set of points; its marker and colour draw both the data and its legend key."""

    label: str
    x: Sequence[float]
    y: Sequence[float]
    marker: str = "braille"
    color: Color = "default"
    kind: Literal["line", "scatter"] = "line"
    legend: bool = True  # False for helpers such as "you are here" dots
    behind: bool = False  # drawn before (under) the other series, e.g. an earlier run's curve

    @property
    def glyph(self) -> str:
        """The legend key: the marker itself, or plotext's own symbol for a dot marker."""
        marker = marker_name(self.marker)
        return hd_symbols.get(marker, marker)


@dataclass(frozen=True)
class RefLine:
    """A full-height (axis "x") or full-width (axis "y") line at one value, e.g. the current weight."""

    axis: Literal["x", "y"]
    at: float
    color: Color = "gray"
    label: str | None = None  # shown in the legend when given

    @property
    def glyph(self) -> str:
        return "│" if self.axis == "x" else "─"


def vline(x: float, color: Color = "gray", label: str | None = None) -> RefLine:
    return RefLine("x", x, color, label)


def hline(y: float, color: Color = "gray", label: str | None = None) -> RefLine:
    return RefLine("y", y, color, label)


class Drawn(NamedTuple):
    """What was drawn of one series: its finite points, and how many non-finite ones were left out."""

    x: list[float]
    y: list[float]
    dropped: int = 0


class Tick(NamedTuple):
    value: float
    label: str
    cell: int  # row (from the bottom) or column of the canvas that plotext writes the label at


def registered(values: Sequence[float], lo: float, hi: float, cells: int, dots: int) -> list[float]:
    """`values` shifted so that plotext's dot canvas puts each in the cell tick labels give it.

    A cell's `dots` sub-cells then split the band of values the cell stands
    for evenly; the shift is affine, so lines stay straight.
    """
    if dots == 1 or cells < 2:
        return list(values)
    span, fine = hi - lo, dots * cells - 1
    scale, offset = dots * (cells - 1) / fine, (dots - 1) / 2 / fine
    return [lo + (scale * (v - lo) / span + offset) * span for v in values]


def cell_of(value: float, lo: float, hi: float, cells: int, dots: int = 1) -> int:
    """The canvas cell that a (registered) point of this marker lands in, by plotext's own arithmetic."""
    return get_matrix_data(registered([value], lo, hi, cells, dots), [lo, hi], cells * dots)[0] // dots


def landing(value: float, lo: float, hi: float, cells: int, dots: Sequence[int]) -> int | None:
    """The cell that every marker draws `value` in, or None if markers disagree or it is off the canvas."""
    found = {cell_of(value, lo, hi, cells, d) for d in dots}
    cell = found.pop() if len(found) == 1 else -1
    return cell if 0 <= cell < cells else None


def plain_format(value: float, decimals: int) -> str:
    """`value` with `decimals` decimals, or in e-notation when that would be long."""
    if abs(value) >= 1e6 or decimals > 4:
        size = math.floor(math.log10(abs(value))) if value else 0
        text = f"{value:.{max(size + decimals + 1, 1)}g}"
    else:
        text = f"{value:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text  # no "-0"


def nice_steps(span: float, cells: int) -> Iterable[tuple[float, int]]:
    """1, 2, 2.5 and 5 times powers of ten from a tenth of a cell upwards, with the decimals each needs."""
    exponent = math.floor(math.log10(span / cells)) - 1
    while (step := 10.0**exponent) <= span * 10:
        for mantissa in (1, 2, 2.5, 5):
            yield mantissa * step, max(0, -exponent + (mantissa == 2.5))
        exponent += 1


def pick_ticks(
    lo: float,
    hi: float,
    cells: int,
    dots: Sequence[int] = Y_DOTS,
    most: int | None = None,
    values: Sequence[float] | None = None,
    fmt: Format | None = None,
    room: Callable[[list[Tick]], bool] = lambda ticks: True,
) -> list[Tick]:
    """Tick values and labels, each on the cell where every marker draws its value, one per cell at most.

    `values` are the caller's own ticks (e.g. whole powers of ten on a log
    axis): those off their value's cell are left out, the rest thinned until
    they fit. Otherwise round values are preferred; failing that, evenly
    spread cells are labelled with the value each stands for, to as many
    decimals as needed to stay on it. `room` says whether labels fit side by
    side (the x axis needs columns between them).
    """
    if cells < 2 or not hi > lo:
        return []
    ticker = _Ticker(lo, hi, cells, tuple(dots), room, fmt)
    most = most or max(2, min(MOST_TICKS, (cells + 2) // 2))
    if values is not None:
        return ticker.callers(values, most)
    return ticker.round(most, fewest=3 if cells >= 7 else 2) or ticker.centres(most)


@dataclass(frozen=True)
class _Ticker:
    lo: float
    hi: float
    cells: int
    dots: tuple[int, ...]
    room: Callable[[list[Tick]], bool]
    fmt: Format | None

    def cell(self, value: float) -> int | None:
        return landing(value, self.lo, self.hi, self.cells, self.dots) if self.lo <= value <= self.hi else None

    def ticks(self, values: Iterable[float], labels: Iterable[str] | None = None) -> list[Tick] | None:
        """These ticks if each has a cell of its own and the labels fit, else None."""
        values = list(values)
        labels = list(labels) if labels is not None else [self.fmt(v) if self.fmt else f"{v:g}" for v in values]
        ticks = [Tick(v, label, self.cell(v)) for v, label in zip(values, labels)]
        cells = [t.cell for t in ticks]
        return ticks if None not in cells and len(set(cells)) == len(cells) and self.room(ticks) else None

    def callers(self, values: Sequence[float], most: int) -> list[Tick]:
        fit = sorted(v for v in values if math.isfinite(v) and self.cell(v) is not None)
        for every in range(1, len(fit) + 1):
            ticks = self.ticks(fit[::every])
            if ticks is not None and len(ticks) <= most:
                return ticks
        return []

    def labelled(self, texts: list[str]) -> list[Tick] | None:
        """Ticks at the values these texts say, shown through the caller's format if any."""
        values = [float(text) for text in texts]
        return self.ticks(values, [self.fmt(v) for v in values] if self.fmt else texts)

    def round(self, most: int, fewest: int) -> list[Tick]:
        """Multiples of 1, 2, 2.5 or 5 times a power of ten: the finest step that fits."""
        sparse: list[Tick] = []
        for step, decimals in nice_steps(self.hi - self.lo, self.cells):
            first, last = math.ceil(self.lo / step - 1e-9), math.floor(self.hi / step + 1e-9)
            if last - first + 1 > most:
                continue
            if last - first + 1 < 2:
                break
            ticks = self.labelled([plain_format(k * step, decimals) for k in range(first, last + 1)])
            if ticks and len(ticks) >= fewest:
                return ticks
            sparse = sparse or ticks or []
        return sparse

    def centres(self, most: int) -> list[Tick]:
        """Evenly spread cells, each labelled with the value at its centre, as short as stays on it."""
        span, cells = self.hi - self.lo, self.cells
        for count in range(min(most, cells), 1, -1):
            spots = sorted({round(i * (cells - 1) / (count - 1)) for i in range(count)})
            for decimals in range(16):
                texts = [self.shortest(self.lo + spot * span / (cells - 1), spot, decimals) for spot in spots]
                if all(texts) and (ticks := self.labelled(texts)):
                    return ticks
        return []

    def shortest(self, centre: float, spot: int, decimals: int) -> str:
        """`centre` rounded to `decimals`, or down or up (at the edges rounding may leave the limits)."""
        unit = 10.0**decimals
        for value in (centre, math.floor(centre * unit) / unit, math.ceil(centre * unit) / unit):
            text = plain_format(value, decimals)
            if self.cell(float(text)) == spot:
                return text
        return ""


def x_labels_fit(ticks: list[Tick]) -> bool:
    """Plotext centres x labels on their column and drops one that would touch another.

    One column more than the labels need: at the bare minimum plotext's
    placement of a label shifts by a column from run to run (it depends on
    the interpreter's string hashing), so a screen would not be the same twice.
    """
    return all(b.cell - a.cell >= (len(a.label) + len(b.label)) // 2 + 3 for a, b in zip(ticks, ticks[1:]))


def finite_limits(given: Limits | None, data: list[float]) -> tuple[float, float]:
    """The given limits, data limits where none is given, widened when they coincide (as plotext does)."""
    lo, hi = given or (None, None)
    lo = lo if lo is not None and math.isfinite(lo) else min(data, default=None)
    hi = hi if hi is not None and math.isfinite(hi) else max(data, default=None)
    lo, hi = (0.0 if lo is None else float(lo)), (1.0 if hi is None else float(hi))
    if lo == hi:
        lo, hi = (0.5 * lo, 1.5 * lo) if lo > 0 else (1.5 * lo, 0.5 * lo) if lo < 0 else (-1.0, 1.0)
    return min(lo, hi), max(lo, hi)


def clip_segment(p: tuple[float, float], q: tuple[float, float], box: tuple[float, float, float, float]):
    """The part of segment pq inside box (x0, x1, y0, y1), or None (Liang-Barsky)."""
    (px, py), (qx, qy) = p, q
    dx, dy = qx - px, qy - py
    if not (math.isfinite(dx) and math.isfinite(dy)):
        return None
    t0, t1 = 0.0, 1.0
    for d, to_low, to_high in ((dx, px - box[0], box[1] - px), (dy, py - box[2], box[3] - py)):
        for k, gap in ((-d, to_low), (d, to_high)):
            if k == 0:
                if gap < 0:
                    return None
            elif k < 0:
                t0 = max(t0, gap / k)
            else:
                t1 = min(t1, gap / k)
    if t0 > t1:
        return None
    return (px + t0 * dx, py + t0 * dy), (px + t1 * dx, py + t1 * dy)


def line_runs(x: list[float], y: list[float], box) -> list[tuple[list[float], list[float]]]:
    """A line cut to the box and broken at non-finite points: far-off points would overflow plotext."""
    runs: list[tuple[list[float], list[float]]] = []
    if len(x) == 1:
        return [(x, y)] if box[0] <= x[0] <= box[1] and box[2] <= y[0] <= box[3] else []
    for i in range(len(x) - 1):
        part = clip_segment((x[i], y[i]), (x[i + 1], y[i + 1]), box)
        if part is None:
            continue
        (ax, ay), (bx, by) = part
        if runs and (runs[-1][0][-1], runs[-1][1][-1]) == (ax, ay) and (ax, ay) == (x[i], y[i]):
            runs[-1][0].append(bx)
            runs[-1][1].append(by)
        else:
            runs.append(([ax, bx], [ay, by]))
    return runs


@cache
def cell_style(fullground: Color, style: str, background: Color) -> Style:
    """The rich style of plotext's colours for a cell: what its ANSI codes would decode to."""
    decoded = Text.from_ansi(colors_to_ansi(fullground, style, background) + "x")
    return decoded.spans[0].style if decoded.spans else Style()


def matrix_text(matrix) -> Text:  # noqa: ANN001 - plotext's matrix_class
    """Plotext's finished canvas as rich text, one span per run of a colour.

    What `matrix.set_canvas()` and `Text.from_ansi` give, without writing
    ANSI codes only to read them back: a third of a chart's drawing time.
    """
    lines = []
    for row in reversed(matrix.Rows):
        line = Text()
        run: list[str] = []
        colours = None  # (fg, style, bg) of the run
        ink = False  # whether the run has a cell that is not blank
        cells = zip(matrix.marker[row], matrix.fullground[row], matrix.style[row], matrix.background[row])
        for marker, fg, style, bg in cells:
            blank = marker == " "
            # A blank shows no foreground colour, so it joins the run it is in: a sparse curve is
            # then not one colour change per dot (each costs some 25 bytes of a terminal's bandwidth).
            if colours is None or (style, bg) != colours[1:] or (not blank and ink and fg != colours[0]):
                if run:
                    line.append("".join(run), cell_style(*colours))
                run, colours, ink = [], (fg, style, bg), False
            if not blank and not ink:
                colours, ink = (fg, style, bg), True
            run.append(marker)
        if run:
            line.append("".join(run), cell_style(*colours))
        lines.append(line)
    return Text("\n").join(lines)


def _values(ticks: Sequence[float] | None) -> tuple[float, ...] | None:
    return None if ticks is None else tuple(float(value) for value in ticks)


class Chart(PlotextPlot):
    """A plotext plot whose tick labels, legend and markers can be trusted.

    `draw` only records what to show; the picture is built in `render`, as
    the ticks depend on the size, and built again only for new data, a new
    size or a new theme (a repaint alone reuses it). `series` keeps what was
    drawn, label -> Drawn(x, y, dropped), for tests and for the lessons.
    """

    def __init__(self, *, heading: bool = True, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.show_heading = heading  # False: the screen shows `legend()` itself
        self.series: dict[str, Drawn] = {}
        self.drawn: tuple[Series | RefLine, ...] = ()  # as drawn: markers already made distinct
        self.title = ""
        self.limits = ((0.0, 1.0), (0.0, 1.0))
        self.ticks: tuple[list[Tick], list[Tick]] = ([], [])  # x, y, as last rendered
        self._x_ticks: tuple[Sequence[float] | None, Format | None] = (None, None)  # as given to `draw`
        self._y_ticks: tuple[Sequence[float] | None, Format | None] = (None, None)
        self._drawings = 0
        self._look: tuple[object, ...] | None = None  # what the last `draw` was asked for
        self._cache_key: tuple[object, ...] | None = None
        self._cache: Text | None = None
        self.build_seconds = 0.0  # what the last picture cost to build

    def on_unmount(self) -> None:
        # PlotextPlot subscribes to the app's theme signal with a callback that
        # holds the widget, and the signal only drops it on its next publish:
        # without this a lesson's charts outlive its screen (a follower visiting
        # lessons grew by their charts, and all they held, at every visit).
        self.app.theme_changed_signal.unsubscribe(self)

    @property
    def max_points(self) -> int:
        """Points worth drawing: a braille cell holds two columns of dots."""
        return max(2 * self.size.width, 100)

    def draw(
        self,
        items: Iterable[Series | RefLine],
        *,
        x_limits: Limits | None = None,
        y_limits: Limits | None = None,
        x_ticks: Sequence[float] | None = None,
        y_ticks: Sequence[float] | None = None,
        x_format: Format | None = None,
        y_format: Format | None = None,
        title: str = "",
    ) -> None:
        """Show `items` (series and reference lines); ticks=[] hides an axis's labels, None lets the chart choose.

        Non-finite points are left out (a line breaks there) and counted in
        `series[label].dropped`; a legend entry whose marker another entry
        already uses gets the next free one, so entries differ without colour.
        """
        drawn: list[Series | RefLine] = []
        series: dict[str, Drawn] = {}
        used: set[str] = set()
        plain = self.colorless()
        dotted = False  # without colour, one legend entry at most is drawn in dots
        for item in items:
            if isinstance(item, RefLine):
                if math.isfinite(item.at):
                    drawn.append(item)
                    used |= {item.glyph} if item.label else set()
                continue
            if item.label in series:
                raise ValueError(f"two series are labelled {item.label!r}")
            points = [(float(a), float(b)) for a, b in zip(item.x, item.y)]
            kept = [(a, b) for a, b in points if math.isfinite(a) and math.isfinite(b)]
            series[item.label] = Drawn([a for a, _ in kept], [b for _, b in kept], len(points) - len(kept))
            # The drawing keeps them, as places where a line breaks.
            item = replace(item, x=[a for a, _ in points], y=[b for _, b in points])
            if item.legend:
                dots = marker_name(item.marker) in DOT_MARKERS
                if plain and (item.glyph in used or (dots and dotted)):
                    spare = next((m for m in PLAIN_MARKERS if m not in used), item.marker)
                    item = replace(item, marker=spare)
                elif item.glyph in used:
                    spare = next((m for m in SPARE_MARKERS if hd_symbols.get(m, m) not in used), item.marker)
                    item = replace(item, marker=spare)
                dotted = dotted or marker_name(item.marker) in DOT_MARKERS
                used.add(item.glyph)
            drawn.append(item)
        lines = [item for item in drawn if isinstance(item, RefLine)]
        xs = [v for d in series.values() for v in d.x] + [line.at for line in lines if line.axis == "x"]
        ys = [v for d in series.values() for v in d.y] + [line.at for line in lines if line.axis == "y"]
        limits = (finite_limits(x_limits, xs), finite_limits(y_limits, ys))
        look = (tuple(drawn), title, limits, _values(x_ticks), x_format, _values(y_ticks), y_format)
        if look == self._look:
            return  # the same picture: drawing it again would cost a student's app a render for nothing
        self._look = look
        self.series, self.drawn, self.title, self.limits = series, tuple(drawn), title, limits
        self._x_ticks, self._y_ticks = (x_ticks, x_format), (y_ticks, y_format)
        self._drawings += 1
        self.refresh()

    def colorless(self) -> bool:
        """Whether the app draws without colour (NO_COLOR)."""
        try:
            return bool(getattr(self.app, "no_color", False))
        except Exception:  # noqa: BLE001 - not on an app yet: colour is the default
            return False

    def entries(self) -> list[Text]:
        """The legend's entries, built from the very objects that drew the data (glyph and colour as plotted)."""
        entries = []
        for item in self.drawn:
            label = item.label if isinstance(item, RefLine) or item.legend else None
            if label:
                entry = Text.from_ansi(colorize(item.glyph, item.color))
                entry.append(f" {label}")
                entries.append(entry)
        return entries

    def legend(self) -> Text:
        """The key on one line."""
        return Text("  ").join(self.entries())

    def heading(self, width: int | None = None, most_lines: int = 1) -> Text:
        """The title and the legend; given a width, the legend goes on to further lines, entry by entry."""
        text = Text(self.title, style="bold")
        entries = self.entries()
        if width is None or most_lines <= 1:
            if entries:
                text.append("   " if self.title else "")
                text.append_text(self.legend())
            return text
        lines = [text]
        for n, entry in enumerate(entries):
            line = lines[-1]
            gap = ("   " if n == 0 else "  ") if line.cell_len else ""  # as `legend` spaces them after the title
            if line.cell_len and line.cell_len + len(gap) + entry.cell_len > width and len(lines) < most_lines:
                lines.append(Text())
                line, gap = lines[-1], ""
            line.append(gap)
            line.append_text(entry)
        for line in lines:
            line.truncate(width, overflow="ellipsis")
        return Text("\n").join(lines)

    def render(self) -> RenderResult:
        key = (self.size, self._drawings, self.app.theme, self.theme)
        if key != self._cache_key or self._cache is None:
            start = time.perf_counter()
            self._cache = self._picture(self.size.width, self.size.height)
            self._cache_key = key
            self.build_seconds = time.perf_counter() - start
        return self._cache

    def _picture(self, width: int, height: int) -> Text:
        heading = self.heading(width, max(1, height // 4)) if self.show_heading else Text()
        if heading:
            height -= len(heading.split())
        height = max(height, 0)
        self._lay_out(width, height)
        # As PlotextPlot.render does, for a height that leaves room for the heading.
        self.plt.plotsize(width, height)
        self.plt._set_size(width, height)
        self.plt.theme(self._get_plotext_theme_name(self.app.theme))
        plot = self._plot_text() if height else Text()
        return Text("\n").join([heading, plot]) if heading else plot

    def _plot_text(self) -> Text:
        """What `Text.from_ansi(self.plt.build())` gives, built straight from plotext's matrix."""
        plt = self.plt
        plt._set_sizes()
        plt._build_matrix()
        return matrix_text(plt.monitor.matrix)

    def _lay_out(self, width: int, height: int) -> None:
        """Hand plotext the items, limits and ticks that suit this size."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        (x_lo, x_hi), (y_lo, y_hi) = self.limits
        box = (x_lo, x_hi, y_lo, y_hi)
        lines: list[RefLine] = []
        runs: list[tuple[Series, list[float], list[float]]] = []
        for item in self.drawn:
            if isinstance(item, RefLine):
                if (x_lo <= item.at <= x_hi) if item.axis == "x" else (y_lo <= item.at <= y_hi):
                    lines.append(item)
                continue
            x, y = item.x, item.y
            if item.kind == "scatter":
                kept = [(a, b) for a, b in zip(x, y) if x_lo <= a <= x_hi and y_lo <= b <= y_hi]  # not nan
                runs += [(item, [a for a, _ in kept], [b for _, b in kept])] if kept else []
            else:
                runs += [(item, run_x, run_y) for run_x, run_y in line_runs(list(x), list(y), box)]
        # Plotext leaves out an axis's ticks, and the x labels' row, when nothing uses that axis.
        x_used = bool(runs) or any(line.axis == "x" for line in lines)
        y_used = bool(runs) or any(line.axis == "y" for line in lines)
        (x_values, x_format), (y_values, y_format) = self._x_ticks, self._y_ticks
        x_shown = x_used and (x_values is None or len(x_values) > 0)
        rows = height - 2 - x_shown  # less the frame and the x labels' row

        def y_ticks(rows: int) -> list[Tick]:
            return pick_ticks(y_lo, y_hi, rows, Y_DOTS, values=y_values, fmt=y_format) if y_used else []

        def columns(y: list[Tick]) -> int:
            return width - 2 - max((len(t.label) for t in y), default=0)

        def x_ticks(y: list[Tick]) -> list[Tick]:
            return pick_ticks(x_lo, x_hi, columns(y), X_DOTS, MOST_TICKS, x_values, x_format, x_labels_fit)

        y = y_ticks(rows)
        x = x_ticks(y) if x_shown else []
        if x_shown and not x:  # no labels, so no labels' row: the canvas is a row taller
            rows += 1
            y = y_ticks(rows)
        for line in lines:
            (plt.vline if line.axis == "x" else plt.hline)(line.at, line.color)
        runs.sort(key=lambda run: not run[0].behind)  # earlier runs first, so the current one is drawn on top
        for item, run_x, run_y in runs:
            marker = marker_name(item.marker)
            x_dots, y_dots = DOTS.get(marker, (1, 1))
            run_x = registered(run_x, x_lo, x_hi, columns(y), x_dots)
            run_y = registered(run_y, y_lo, y_hi, rows, y_dots)
            (plt.scatter if item.kind == "scatter" else plt.plot)(run_x, run_y, marker=marker, color=item.color)
        plt.xlim(x_lo, x_hi)
        plt.ylim(y_lo, y_hi)
        plt.xticks([t.value for t in x], [t.label for t in x])
        plt.yticks([t.value for t in y], [t.label for t in y])
        self.ticks = (x, y)
