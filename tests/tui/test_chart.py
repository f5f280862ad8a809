"""The shared Chart: every label sits where its value is drawn, and the legend is the lines' own.

The checks read the rendered characters only (frame, labels, marks), never
the widget's own idea of where things went, so they would catch plotext
placing something other than where the chart meant it to go.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual_plotext.plot import Plot

from nn_tui.tui.widgets.chart import Chart, Series, X_DOTS, Y_DOTS, landing, pick_ticks, vline, x_labels_fit

HEIGHTS = list(range(5, 25)) + [31]
RANGES = [(70.0, 100.0), (0.0, 1.0), (-2.5, 2.5), (0.0, 0.7313), (-16.2, 0.4), (1e-3, 3.7e-3), (12345.0, 12346.5)]
DOT_MARKERS = ("braille", "hd", "fhd", "•")
BRAILLE = {chr(c) for c in range(0x2801, 0x2900)}
QUADRANTS = set("▘▖▗▝▌▐▄▀▚▞▛▙▟▜█")


@dataclass
class Picture:
    """A rendered plot taken apart: rows counted from the bottom, as plotext counts them."""

    labels: dict[int, str]  # row -> y label printed on it
    canvas: list[str]  # canvas rows, bottom first
    colours: list[list[object]]  # the foreground colour of every canvas cell, bottom first
    x_marks: list[int]  # columns with a tick mark on the bottom axis
    x_labels: list[tuple[int, str]]  # the words under the frame, by the canvas column they start at
    heading: Text | None

    @property
    def rows(self) -> int:
        return len(self.canvas)

    @property
    def columns(self) -> int:
        return len(self.canvas[0])

    def drawn_rows(self) -> set[int]:
        return {r for r, line in enumerate(self.canvas) if line.strip(" │─┼")}

    def drawn_columns(self) -> set[int]:
        return {c for c in range(self.columns) if any(line[c] not in " │─┼" for line in self.canvas)}


def colours_of(line: Text) -> list[object]:
    out: list[object] = [None] * len(line.plain)
    for span in line.spans:
        if not isinstance(span.style, str) and span.style.color is not None:
            out[span.start : span.end] = [span.style.color] * (span.end - span.start)
    return out


def take_apart(text: Text) -> Picture:
    lines = text.split("\n", allow_blank=True)
    plain = [line.plain for line in lines]
    top = next(i for i, line in enumerate(plain) if "┌" in line)
    bottom = next(i for i, line in enumerate(plain) if "└" in line)
    axis, right = plain[top].index("┌"), plain[top].index("┐")
    body = list(range(bottom - 1, top, -1))  # bottom row first
    labels = {r: plain[i][:axis].strip() for r, i in enumerate(body) if plain[i][:axis].strip()}
    return Picture(
        labels=labels,
        canvas=[plain[i][axis + 1 : right] for i in body],
        colours=[colours_of(lines[i])[axis + 1 : right] for i in body],
        x_marks=[c for c, ch in enumerate(plain[bottom][axis + 1 : right]) if ch in "┬┼"],
        x_labels=[(start - axis - 1, word) for start, word in words(plain[bottom + 1])] if bottom + 1 < len(plain) else [],
        heading=lines[0] if top > 0 else None,
    )


def off_labels(labels: dict[int, str], lo: float, hi: float, cells: int) -> list[str]:
    """Labels farther than half a step from the value their row (or column) stands for."""
    step = (hi - lo) / (cells - 1)
    return [f"{text} on {cell}" for cell, text in labels.items() if abs(float(text) - (lo + cell * step)) > step / 2 * (1 + 1e-9)]


def x_labels(picture: Picture) -> dict[int, str]:
    """Each x tick mark with the one label printed across its column."""
    found = {}
    for mark in picture.x_marks:
        over = [word for start, word in picture.x_labels if start <= mark < start + len(word)]
        assert len(over) == 1, f"no single label under the tick mark at column {mark}: {picture.x_labels}"
        found[mark] = over[0]
    assert len(picture.x_labels) == len(picture.x_marks), f"a label without a tick mark: {picture.x_labels}"
    return found


def words(line: str):
    start = None
    for i, ch in enumerate(line + " "):
        if ch != " " and start is None:
            start = i
        elif ch == " " and start is not None:
            yield start, line[start:i]
            start = None


class OneChart(App[None]):
    CSS = "Chart { width: 80; height: 24; }"

    def compose(self) -> ComposeResult:
        yield Chart()


async def sized(pilot, chart: Chart, width: int, height: int) -> None:
    chart.styles.width, chart.styles.height = width, height
    await pilot.pause()
    assert (chart.size.width, chart.size.height) == (width, height)


def flat(label: str, value: float, x: tuple[float, float], marker: str) -> Series:
    return Series(label, list(x), [value, value], marker, "red", legend=False)


def upright(label: str, value: float, y: tuple[float, float], marker: str) -> Series:
    return Series(label, [value, value], list(y), marker, "red", legend=False)


# -- the tick arithmetic, exhaustively ---------------------------------------------


def test_every_chosen_tick_lands_on_its_own_row_for_every_marker():
    rng = random.Random(7)
    ranges = RANGES + [tuple(sorted(rng.uniform(-1e3, 1e3) for _ in range(2))) for _ in range(60)]
    ranges += [(a, a + rng.choice([1e-6, 0.3, 7.0, 2e5])) for a in (rng.uniform(-50, 50) for _ in range(40))]
    for lo, hi in ranges:
        for cells in range(2, 50):
            ticks = pick_ticks(lo, hi, cells, Y_DOTS)
            assert len(ticks) >= 2, (lo, hi, cells)
            assert len({t.cell for t in ticks}) == len(ticks)
            for tick in ticks:
                assert float(tick.label) == tick.value
                assert landing(tick.value, lo, hi, cells, Y_DOTS) == tick.cell
            assert off_labels({t.cell: t.label for t in ticks}, lo, hi, cells) == []


def test_every_chosen_x_tick_lands_on_its_own_column_with_room_for_its_label():
    rng = random.Random(11)
    ranges = RANGES + [tuple(sorted(rng.uniform(-1e4, 1e4) for _ in range(2))) for _ in range(40)]
    for lo, hi in ranges:
        for cells in range(12, 130, 7):
            ticks = pick_ticks(lo, hi, cells, X_DOTS, 8, room=x_labels_fit)
            assert len(ticks) >= 2, (lo, hi, cells)
            assert x_labels_fit(ticks)
            assert all(landing(t.value, lo, hi, cells, X_DOTS) == t.cell for t in ticks)
            assert off_labels({t.cell: t.label for t in ticks}, lo, hi, cells) == []


def test_round_values_are_chosen_when_they_fit():
    assert [t.label for t in pick_ticks(0, 1, 11, Y_DOTS)] == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
    assert [t.label for t in pick_ticks(70, 100, 13, Y_DOTS)] == ["70", "75", "80", "85", "90", "95", "100"]


def test_a_callers_ticks_are_kept_only_where_they_land_and_thinned_to_fit():
    ticks = pick_ticks(-15.2, -0.8, 50, X_DOTS, values=range(-15, 0, 2), fmt=lambda t: f"1e{t:g}")
    assert [t.label for t in ticks] == [f"1e{t}" for t in range(-15, 0, 2)]
    few = pick_ticks(-16, 0, 3, Y_DOTS, values=range(-16, 1, 2), fmt=lambda t: f"1e{t:g}")
    assert 2 <= len(few) <= 3 and all(landing(t.value, -16, 0, 3, Y_DOTS) == t.cell for t in few)


# -- rendered: what the screen shows ----------------------------------------------


async def test_y_labels_sit_on_the_rows_their_values_are_drawn_on_at_every_height():
    app = OneChart()
    async with app.run_test(size=(120, 40)) as pilot:
        chart = app.query_one(Chart)
        for width, heights in ((64, HEIGHTS), (30, (5, 6, 8, 11, 17, 24)), (110, (5, 6, 8, 11, 17, 24))):
            for height in heights:
                await sized(pilot, chart, width, height)
                for lo, hi in RANGES:
                    limits = {"x_limits": (0, 1), "y_limits": (lo, hi)}
                    chart.draw([Series("anchor", [0], [lo], "•", legend=False)], **limits)
                    picture = take_apart(chart.render())
                    labels, rows = picture.labels, picture.rows
                    assert len(labels) >= 2, (width, height, lo, hi, chart.render().plain)
                    assert off_labels(labels, lo, hi, rows) == [], (width, height, lo, hi)
                    for marker in DOT_MARKERS:
                        chart.draw([flat(text, float(text), (0, 1), marker) for text in labels.values()], **limits)
                        drawn = take_apart(chart.render())
                        assert drawn.labels == labels
                        assert drawn.drawn_rows() == set(labels), (width, height, lo, hi, marker)


async def test_any_value_is_drawn_within_half_a_row_of_what_its_row_stands_for():
    rng = random.Random(3)
    app = OneChart()
    async with app.run_test(size=(80, 40)) as pilot:
        chart = app.query_one(Chart)
        for height in (5, 6, 8, 11, 17, 24):
            await sized(pilot, chart, 60, height)
            for lo, hi in RANGES:
                for marker in DOT_MARKERS:
                    for value in [lo, hi] + [rng.uniform(lo, hi) for _ in range(6)]:
                        chart.draw([flat("v", value, (0, 1), marker)], x_limits=(0, 1), y_limits=(lo, hi))
                        picture = take_apart(chart.render())
                        (row,) = picture.drawn_rows()
                        step = (hi - lo) / (picture.rows - 1)
                        assert abs(value - (lo + row * step)) <= step / 2 * (1 + 1e-9), (height, lo, hi, marker, value)


async def test_x_labels_sit_under_their_marks_and_on_the_columns_their_values_are_drawn_on():
    app = OneChart()
    async with app.run_test(size=(120, 30)) as pilot:
        chart = app.query_one(Chart)
        for width in (24, 41, 60, 80, 117):
            await sized(pilot, chart, width, 12)
            for lo, hi in RANGES:
                limits = {"x_limits": (lo, hi), "y_limits": (0, 1)}
                chart.draw([Series("anchor", [lo], [0], "•", legend=False)], **limits)
                picture = take_apart(chart.render())
                labels = x_labels(picture)
                assert len(labels) >= 2, (width, lo, hi, chart.render().plain)
                assert off_labels(labels, lo, hi, picture.columns) == [], (width, lo, hi)
                for marker in ("braille", "hd", "•"):
                    chart.draw([upright(text, float(text), (0, 1), marker) for text in labels.values()], **limits)
                    assert take_apart(chart.render()).drawn_columns() == set(labels), (width, lo, hi, marker)


async def test_a_callers_log_ticks_are_labelled_as_asked():
    app = OneChart()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(Chart)
        await sized(pilot, chart, 70, 14)
        chart.draw(
            [Series("err", [-15, -1], [-14, -2], "braille", "cyan", legend=False)],
            x_limits=(-15.2, -0.8), x_ticks=range(-15, 0, 2), x_format=lambda t: f"1e{t:g}",
            y_ticks=range(-16, 1, 2), y_format=lambda t: f"1e{t:g}",
        )
        picture = take_apart(chart.render())
        shown = x_labels(picture)
        assert set(shown.values()) <= {f"1e{t}" for t in range(-15, 0, 2)} and len(shown) >= 4
        step = 14.4 / (picture.columns - 1)
        for column, text in shown.items():
            assert abs(float(text[2:]) - (-15.2 + column * step)) <= step / 2
        (lo, hi), rows = chart.limits[1], picture.rows
        assert off_labels({r: t[2:] for r, t in picture.labels.items()}, lo, hi, rows) == []


async def test_the_legend_shows_each_line_with_its_own_marker_and_colour():
    app = OneChart()
    async with app.run_test(size=(90, 24)) as pilot:
        chart = app.query_one(Chart)
        await sized(pilot, chart, 80, 16)
        xs = [i / 20 for i in range(21)]
        series = [
            Series("h(x)", xs, [x * x for x in xs], "braille", "cyan"),
            Series("slope", xs, [x / 2 for x in xs], "hd", "orange"),
            Series("central", xs[::4], [1 - x for x in xs[::4]], "•", "red+", kind="scatter"),
            Series("batch", xs[1::4], [0.8] * 6, "+", (0, 200, 100), kind="scatter"),
        ]
        chart.draw([*series, vline(0.5, "blue", label="w now")], title="损失 loss")
        picture = take_apart(chart.render())
        heading = picture.heading
        assert heading is not None and heading.plain.startswith("损失 loss")
        heading_colours = colours_of(heading)
        canvas_cells = [(ch, col) for line, cols in zip(picture.canvas, picture.colours) for ch, col in zip(line, cols)]
        families = {"braille": BRAILLE, "hd": QUADRANTS, "•": {"•"}, "+": {"+"}}
        for item in series:
            at = heading.plain.index(f"{item.glyph} {item.label}")
            legend_colour = heading_colours[at]
            assert legend_colour is not None
            drawn = {col for ch, col in canvas_cells if ch in families[item.marker]}
            assert drawn == {legend_colour}, item.label
        at = heading.plain.index("│ w now")
        assert heading_colours[at] in {col for ch, col in canvas_cells if ch == "│"}


async def test_under_no_color_every_legend_entry_has_its_own_marker(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = OneChart()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color  # Textual will grey every colour out
        chart = app.query_one(Chart)
        await sized(pilot, chart, 78, 14)
        xs = list(range(10))
        chart.draw([Series(f"run {k}", xs, [x * (k + 1) for x in xs], "braille", "blue") for k in range(5)])
        glyphs = [item.glyph for item in chart.drawn]
        assert len(set(glyphs)) == 5 and glyphs[0] == "⢕"
        picture = take_apart(chart.render())
        legend = picture.heading.plain
        canvas = "".join(picture.canvas)
        for item in chart.drawn:
            assert f"{item.glyph} {item.label}" in legend
            marker = item.marker if item.marker not in ("braille", "hd", "fhd") else None
            assert (marker in canvas) if marker else any(ch in BRAILLE | QUADRANTS for ch in canvas)


async def test_non_finite_points_are_left_out_and_counted_and_far_ones_do_not_break_the_plot():
    app = OneChart()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(Chart)
        await sized(pilot, chart, 60, 12)
        chart.draw(
            [
                Series("gap", [0, 1, 2, 3, 4], [0, 0, math.nan, 1, 1], "•", "red", legend=False),
                Series("wild", [0, 1, 2], [0.5, 1e300, -math.inf], "braille", "blue", legend=False),
            ],
            x_limits=(0, 4), y_limits=(0, 1),
        )
        assert chart.series["gap"] == ([0, 1, 3, 4], [0, 0, 1, 1], 1)
        assert chart.series["wild"].dropped == 1
        picture = take_apart(chart.render())
        per_column = (picture.columns - 1) / 4
        between = set(range(round(1 * per_column) + 1, round(3 * per_column)))
        gap_cells = {c for line in picture.canvas for c, ch in enumerate(line) if ch == "•"}
        assert gap_cells and not gap_cells & between, "the line was joined across the missing point"


async def test_a_picture_is_built_again_only_for_new_data_or_size():
    app = OneChart()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(Chart)
        chart.draw([Series("a", [0, 1], [0, 1])])
        first = chart.render()
        assert chart.render() is first
        chart.draw([Series("a", [0, 1], [1, 0])])
        second = chart.render()
        assert second is not first
        await sized(pilot, chart, 50, 10)
        assert chart.render() is not second


async def test_drawing_the_same_picture_again_asks_for_no_render(monkeypatch):
    app = OneChart()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(Chart)
        chart.draw([Series("a", [0, 1], [0, 1])], y_ticks=[0.0, 1.0], title="t")
        await pilot.pause()
        refreshes = []
        monkeypatch.setattr(chart, "refresh", lambda *a, **k: refreshes.append(1))
        chart.draw([Series("a", [0.0, 1.0], [0.0, 1.0])], y_ticks=(0, 1), title="t")  # the same, written otherwise
        assert refreshes == []
        chart.draw([Series("a", [0, 1], [0, 1])], y_ticks=[0.0, 1.0], title="u")
        chart.draw([Series("a", [0, 1], [0, 1])], y_ticks=[0.0, 0.5, 1.0], title="u")
        chart.draw([Series("a", [0, 1], [0, 1], color="red")], y_ticks=[0.0, 0.5, 1.0], title="u")
        assert len(refreshes) == 3


async def test_the_charts_of_a_lesson_thrown_away_are_freed():
    """Was: plotext's theme signal kept every chart of every lesson screen thrown away (and all it held)."""
    import gc
    import weakref

    from nn_tui.tui.app import NNTuiApp
    from nn_tui.tui.lessons import lesson

    app = NNTuiApp(start_lesson=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        charts = [weakref.ref(chart) for chart in app.screen.query(Chart)]
        assert charts
        await app.switch_mode("home")
        await app.rebuild_lesson(lesson(2))
        await pilot.pause(0.3)
        gc.collect()
        assert [ref() for ref in charts if ref() is not None] == []


def test_two_series_may_not_share_a_label():
    chart = Chart()
    with pytest.raises(ValueError):
        chart.draw([Series("a", [0], [0]), Series("a", [1], [1])])


# -- the bug this widget exists for ----------------------------------------------


def test_plain_plotext_draws_a_value_on_a_row_labelled_otherwise():
    """Plotext's own ticks at 40 x 8: the checks above would have failed on it."""
    pictures = {}
    for marker in ("dot", "braille"):
        plot = Plot()
        plot.plot([1, 3], [74.3, 74.3], marker=marker)
        plot.ylim(70, 100)
        plot.plotsize(40, 8)
        pictures[marker] = take_apart(Text.from_ansi(plot.build()))
    (dot_row,) = pictures["dot"].drawn_rows()
    (braille_row,) = pictures["braille"].drawn_rows()
    assert dot_row != braille_row  # one value, two rows, depending on the marker
    label = pictures["dot"].labels[dot_row]
    assert label == "80"
    step = 30 / (pictures["dot"].rows - 1)
    assert abs(float(label) - 74.3) > step / 2


async def test_without_colour_only_one_legend_entry_is_drawn_in_dots(monkeypatch):
    """Braille, hd and fhd all draw a line of fine dots: without colour they are one look, not three."""
    xs = list(range(10))
    items = [Series("raw", xs, xs, "braille", "gray"), Series("mean", xs, [x / 2 for x in xs], "hd", "red+"),
             Series("fine", xs, [x / 3 for x in xs], "fhd", "blue")]
    app = OneChart()
    async with app.run_test(size=(80, 24)):
        chart = app.query_one(Chart)
        chart.draw(items)
        assert [item.marker for item in chart.drawn] == ["braille", "hd", "fhd"]  # colour tells them apart
    monkeypatch.setenv("NO_COLOR", "1")
    app = OneChart()
    async with app.run_test(size=(80, 24)):
        chart = app.query_one(Chart)
        chart.draw(items)
        markers = [item.marker for item in chart.drawn]
        assert markers[0] == "braille" and len({item.glyph for item in chart.drawn}) == 3
        assert not {"hd", "fhd", "braille"} & set(markers[1:])


async def test_a_legend_too_long_for_one_line_goes_on_to_the_next_entry_by_entry():
    app = OneChart()
    async with app.run_test(size=(90, 30)) as pilot:
        chart = app.query_one(Chart)
        await sized(pilot, chart, 60, 16)
        xs = list(range(10))
        labels = [f"run {k} · book-two-layer · SGD η=0.1" for k in range(3)]
        chart.draw([Series(label, xs, [x + k for x in xs]) for k, label in enumerate(labels)], title="loss")
        text = chart.render()
        lines = text.plain.split("\n")
        assert len(lines) == 16
        heading = [line for line in lines[:4] if "run" in line or "loss" in line]
        assert len(heading) >= 2 and all(len(line) <= 60 for line in heading)
        for label in labels:  # each entry whole, on one line
            assert any(label in line for line in heading), label
        # The frame starts right under the heading: the plot lost only the rows the heading took.
        assert lines[len(heading)].lstrip().startswith("┌")
