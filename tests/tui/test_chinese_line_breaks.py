"""Chinese lines break between characters, not only at spaces.

Was: Rich and Textual wrapped at spaces only, so a Chinese sentence was one
"word": moved whole to the next line (the line before it left half empty) or
cut wherever the width ran out. Now every Textual `Content` and Rich `Text`
wraps with `nn_tui.tui.line_breaks.divide_line` (installed by
`nn_tui.tui.textual_private`).
"""

from __future__ import annotations

import importlib

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Static

import nn_tui.tui.textual_private  # noqa: F401 - installs the line breaks, as the app does
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.line_breaks import divide_line, words

LESSONS = ["perceptron", "activations", "losses", "gradients", "backprop", "training", "playground"]
CLOSING = "，。、；：！？）》」』】”"
OPENING = "（《「『【“"


def chinese_texts() -> list[str]:
    texts = []
    for lesson in LESSONS:
        table = importlib.import_module(f"nn_tui.tui.lessons.{lesson}.text").TEXT
        for english, chinese in table.entries.values():
            for line in chinese.split("\n"):
                # Plain sentences: markup and {fields} change the width once filled in.
                plain = not any(mark in line for mark in ("{", "[", "  "))
                if plain and any("\u4e00" <= ch <= "\u9fff" for ch in line) and cell_len(line) > 30:
                    texts.append(line)
    return texts


def check_wrapped(line: str, wrapped: list[str], width: int) -> None:
    """Within `width`, nothing lost, no line starting with a comma, no line broken early."""
    assert all(cell_len(piece) <= width for piece in wrapped), (width, wrapped)
    assert "".join(wrapped).replace(" ", "") == line.replace(" ", ""), (line, wrapped)
    for before, after in zip(wrapped, wrapped[1:]):
        assert after[:1] not in CLOSING and before.rstrip()[-1:] not in OPENING, (before, after)
        # Broken only because the next word would not fit (after a space, if there was one).
        first_word = next(word for _, word in words(after))
        assert cell_len(before) + 1 + cell_len(first_word.rstrip()) > width, (
            width,
            before,
            after,
        )


SENTENCE = "学习率 η 太大时，损失会来回振荡甚至发散（变成 nan）；太小时，学习很慢。"


def test_a_chinese_sentence_breaks_between_characters():
    offsets = [0, *divide_line(SENTENCE, 20), len(SENTENCE)]
    lines = [SENTENCE[a:b].rstrip() for a, b in zip(offsets, offsets[1:])]
    assert lines == ["学习率 η 太大时，损", "失会来回振荡甚至发散", "（变成 nan）；太小", "时，学习很慢。"]


def test_english_still_breaks_at_spaces_only():
    text = "the learning rate η is too large: the loss “don’t” settle"
    offsets = [0, *divide_line(text, 20), len(text)]
    assert [text[a:b].rstrip() for a, b in zip(offsets, offsets[1:])] == [
        "the learning rate η",
        "is too large: the",
        "loss “don’t” settle",
    ]


@pytest.mark.parametrize("width", [24, 37, 76])
def test_every_chinese_catalogue_line_wraps_within_the_width(width):
    texts = chinese_texts()
    assert len(texts) > 50
    for line in texts:
        check_wrapped(line, [piece.plain for piece in Content(line).wrap(width)], width)
        check_wrapped(line, [piece.plain for piece in Text(line).wrap(Console(), width)], width)


@pytest.mark.parametrize("lesson", [2, 3])
async def test_a_chinese_paragraph_in_an_80x24_lesson_wraps_within_its_widget(lesson):
    app = NNTuiApp(language="zh", start_lesson=lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        checked = 0
        for static in app.screen.query(Static):
            content = static.visual
            if not isinstance(content, Content) or not static.region.width:
                continue
            plain, width = content.plain, static.content_size.width
            if not any("\u4e00" <= ch <= "\u9fff" for ch in plain) or cell_len(plain) <= width:
                continue
            shown = [strip.text for strip in static.render_lines(Region(0, 0, *static.region.size))]
            assert all(cell_len(line.rstrip()) <= static.region.width for line in shown)
            if "\n" not in plain and static.virtual_size.height <= static.content_size.height:
                # One paragraph, all of it in view: the lines on screen are its wrapping.
                left = static.styles.padding.left
                lines = [line[left:].rstrip() for line in shown if line.strip()]
                check_wrapped(plain, lines, width)
                checked += 1
        assert checked, f"no one-paragraph Chinese text wider than its widget in lesson {lesson}"


@pytest.mark.parametrize("text", ["，开头（", "  两个空格  ", "（", "a“b”c", "第5课\xa0·\xa0计算图", ""])
def test_the_words_are_the_whole_text(text):
    assert "".join(word for _, word in words(text)) == text
    offsets = [0, *divide_line(text, 4), len(text)]
    assert offsets == sorted(offsets) and "".join(text[a:b] for a, b in zip(offsets, offsets[1:])) == text


def test_a_word_wider_than_the_line_is_cut_only_when_folding():
    word = "abcdefghij"
    assert divide_line(f"xy {word}", 4) == [3, 7, 11]
    assert divide_line(f"xy {word}", 4, fold=False) == [3]


@pytest.mark.parametrize("width", [0, -1, 1])
def test_no_width_at_all_is_no_error(width):
    """A 1×1 terminal wraps at width 0 (was: IndexError, the app stopped)."""
    for text in ("abc def", "学习率", "a"):
        offsets = divide_line(text, width)
        assert offsets == sorted(set(offsets)) and all(0 < offset < len(text) for offset in offsets)
