"""NO_COLOR: no caption names a colour, and every mark differs from the others by its glyph.

Was: lesson 2 said the derivative is "orange" (橙色), lesson 1 that earlier
lines are "dim" (暗色) and drew them with the same dots as the current line,
the playground's help spoke of regions "coloured" by class (颜色); a point on
the wrong side of the perceptron's line was only red, and the highlighted
probability bar only a different colour.
"""

from __future__ import annotations

import importlib
import re

import numpy as np
import pytest

from nn_tui.tui.widgets.digit_image import image_lines
from nn_tui.tui.widgets.gate_plane import PlanePoint, PlaneView, plane_text
from nn_tui.tui.widgets.prob_bars import BarRow, ProbBars

# Lesson 6 (training) and its charts are checked by their own tests.
LESSONS = ["perceptron", "activations", "losses", "gradients", "backprop", "playground"]

COLOUR_WORDS = re.compile(
    r"\b(red|green|blue|yellow|orange|purple|violet|grey|gray|pink|cyan|magenta|brown|dim|faint|colou?r(ed|s)?)\b",
    re.IGNORECASE,
)
# 青 is left out: it is the 青 of 青蛙 (frog) in lesson 3.
COLOUR_CHARACTERS = re.compile(r"[红绿蓝黄橙紫灰粉棕]|颜色|彩色|暗色|浅色|深色")


@pytest.mark.parametrize("lesson", LESSONS)
def test_no_caption_names_a_colour(lesson):
    table = importlib.import_module(f"nn_tui.tui.lessons.{lesson}.text").TEXT
    named = [
        (key, found.group())
        for key, (english, chinese) in table.entries.items()
        for found in (*COLOUR_WORDS.finditer(english), *COLOUR_CHARACTERS.finditer(chinese))
    ]
    assert named == []


def test_the_word_lists_find_colours():
    assert COLOUR_WORDS.search("Its derivative (orange) is 0") and COLOUR_WORDS.search("regions, coloured by")
    assert COLOUR_CHARACTERS.search("导数（橙色）") and not COLOUR_CHARACTERS.search("猫、汽车、青蛙")


def plane_rows(view: PlaneView) -> list[str]:
    return plane_text(view, 33, 17).plain.splitlines()


def half_plane(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    return (np.asarray(xs) + np.asarray(ys) > 1.0).astype(int)


def test_a_wrong_point_has_its_own_glyph():
    right = plane_rows(PlaneView(half_plane, points=(PlanePoint(0, 0, 0), PlanePoint(1, 1, 1))))
    wrong = plane_rows(
        PlaneView(half_plane, points=(PlanePoint(0, 0, 0, wrong=True), PlanePoint(1, 1, 1, wrong=True)))
    )
    shown_right = "".join(right)
    shown_wrong = "".join(wrong)
    assert "○" in shown_right and "×" in shown_right
    assert "○" not in shown_wrong and "×" not in shown_wrong and "⊘" in shown_wrong and "⊗" in shown_wrong


def test_earlier_lines_are_dashed_the_current_line_is_not():
    middle = ((-0.5, 0.5), (1.5, 0.5))  # a horizontal line across the whole plot
    current = plane_rows(PlaneView(half_plane, lines=(middle,)))
    earlier = plane_rows(PlaneView(half_plane, trail=(middle,)))
    row = next(i for i, line in enumerate(current) if "⠀" < line[5] <= "⣿")
    drawn = current[row][3:]
    assert all("\u2800" < cell <= "\u28ff" for cell in drawn), drawn
    dashed = earlier[row][3:]
    gaps = [cell for cell in dashed if not "\u2800" < cell <= "\u28ff"]
    assert dashed != drawn and len(gaps) >= len(dashed) // 4, dashed


async def test_the_highlighted_bar_is_marked_not_only_coloured():
    from textual.app import App

    class Bars(App[None]):
        def compose(self):
            yield ProbBars([BarRow("0", 0.2, "0.2"), BarRow("1", 0.7, "0.7", True), BarRow("2", 0.1, "0.1")])

    app = Bars()
    async with app.run_test(size=(30, 5)):
        lines = app.query_one(ProbBars).render().plain.splitlines()
    assert ["▸" in line for line in lines] == [False, True, False]


def test_a_digit_without_colour_draws_ink_and_paper_with_different_glyphs():
    image = np.zeros((28, 28))
    image[8:20, 12:16] = 1.0
    lines = [line.plain for line in image_lines(image, color=False)]
    assert {lines[0][0]} == {" "} and lines[6][13] == "█"
    signed = np.zeros((28, 28))
    signed[:, :14], signed[:, 14:] = 0.9, -0.9
    row = image_lines(signed, signed=True, color=False)[5].plain
    assert row[0] != row[-1] and row[0] in "▓█" and row[-1] in "=≡"


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_lesson_1_with_no_color_shows_no_colour_word(monkeypatch, language):
    from textual.widgets import Static

    from nn_tui.tui.app import NNTuiApp

    monkeypatch.setenv("NO_COLOR", "1")
    app = NNTuiApp(language=language, start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        for key in "nnn":
            await pilot.press(key)
        await pilot.pause(0.3)
        shown = "\n".join(str(static.visual.plain) for static in app.screen.query(Static) if hasattr(static.visual, "plain"))
    assert shown.strip()
    assert not COLOUR_WORDS.search(shown) and not COLOUR_CHARACTERS.search(shown), shown
