"""F12 handouts of a Chinese screen: every character is there, and takes its two cells.

Was: Rich gave each run of text a `textLength` of one cell per character, so a
browser squeezed "第5课 · 计算图 · 买苹果" (23 cells) into 15 and the "5"
vanished between the overlapping glyphs ("第课").
"""

from __future__ import annotations

import html
import re

from rich.cells import cell_len

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.screenshot import save_handout, widen_text_runs
from tests.helpers import wait_until

RUN = re.compile(r'<text [^>]*?x="([0-9.]+)"[^>]*?textLength="([0-9.]+)"[^>]*>([^<]*)</text>')


def runs(svg: str) -> list[tuple[float, float, str]]:
    return [(float(x), float(length), html.unescape(text)) for x, length, text in RUN.findall(svg)]


async def test_a_chinese_lesson_title_keeps_every_character_at_its_width(tmp_path):
    app = NNTuiApp(language="zh", start_lesson=5)
    async with app.run_test(size=(80, 24)) as pilot:
        # The lesson drawn, its footer's keys too (the ASCII runs measured below), then taken:
        # on a loaded machine a fixed pause was not always enough.
        await wait_until(pilot, lambda: app.screen.query("#bp-title")
                         and "第5课" in str(app.screen.query_one("#bp-title").content)
                         and len(app.screen.query("FooterKey")) > 3)
        await pilot.pause(0.2)
        ok, _ = save_handout(app, tmp_path, "zh")
        assert ok
    (svg_file,) = tmp_path.glob("*.svg")
    found = runs(svg_file.read_text("utf-8"))
    title = next(text for _, _, text in found if "第5课" in text)
    assert title.startswith("第5课\xa0·\xa0计算图")
    # The width of one cell, from a run of plain ASCII.
    cell = next(length / len(text) for _, length, text in found if text.strip() and text.isascii())
    wide = [(length, text) for _, length, text in found if cell_len(text) != len(text)]
    assert wide, "the screen shows no Chinese"
    for length, text in wide:
        assert abs(length - cell * cell_len(text)) < 0.01, (text, length, cell * cell_len(text))


def test_runs_of_narrow_characters_are_left_as_they_are():
    svg = '<text class="r1" x="0" y="20" textLength="36.6" clip-path="url(#l)">a&#160;b</text>'
    assert widen_text_runs(svg) == svg
    wide = '<text class="r1" x="0" y="20" textLength="36.6" clip-path="url(#l)">第5课</text>'
    assert 'textLength="61"' in widen_text_runs(wide)
