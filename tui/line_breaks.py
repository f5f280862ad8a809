"""Where a line of text may break: at spaces, and between two Chinese characters.

Rich and Textual break lines only at spaces. Chinese puts no spaces between
words, so a Chinese sentence was one long "word": moved whole to the next
line (leaving the line before it half empty) or cut wherever the width ran
out. Here each Chinese character is a word of its own, as Chinese typesetting
has it, except that closing punctuation (，。）) stays with the character
before it and opening punctuation (（“《) with the one after: no line starts
with a comma or ends with an opening bracket.

`divide_line` has the signature of Rich's own (`rich._wrap.divide_line`), which
both Rich's `Text` and Textual's `Content` call to wrap a line;
`nn_tui.tui.textual_private` puts this one in its place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.cells import cell_len, chop_cells

# Characters that are words of their own: CJK ideographs, kana, hangul, CJK symbols and full-width forms.
_WIDE = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f"
)
# Punctuation that keeps to the character after it, and to the one before it.
_OPENING = "（《〈「『【〔［｛“‘"
_CLOSING = "，。、；：！？）》〉」』】〕］｝”’…—％"

_WORD = re.compile(
    rf"\s*[{_OPENING}]*"
    rf"(?:(?![{_OPENING}{_CLOSING}])[{_WIDE}]|[^\s{_WIDE}{_OPENING}]+)"
    rf"[{_CLOSING}]*\s*"
)
# What _WORD cannot match (a lone bracket): one character, as a word of its own.
_ANY = re.compile(r"\s*\S\s*|\s+")


def words(text: str) -> Iterator[tuple[int, str]]:
    """Each word of `text` with the spaces after it, and where it starts; together they are the whole text."""
    position = 0
    while position < len(text):
        match = _WORD.match(text, position) or _ANY.match(text, position)
        assert match is not None  # _ANY matches any character
        yield position, match.group()
        position = match.end()


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """The character offsets at which to break `text` into lines of at most `width` cells.

    A word longer than a whole line is cut at `width` cells if `fold`, else
    left whole (the line is cropped), as Rich does.
    """
    breaks: list[int] = []
    column = 0  # cells used on the current line
    for start, word in words(text):
        length = cell_len(word.rstrip())
        if column + length <= width:
            column += cell_len(word)
        elif length > width:
            # At a width of 0 or 1 (a 1×1 terminal) a Chinese character is wider than the line:
            # Rich's chop_cells then gives an empty first piece, and nothing at all below width 1.
            pieces = [piece for piece in chop_cells(word, max(width, 1)) if piece] if fold else [word]
            for piece in pieces:
                if start and (not breaks or breaks[-1] < start):
                    breaks.append(start)
                start += len(piece)
            column = cell_len(pieces[-1]) if pieces else 0
        elif column and start:
            breaks.append(start)
            column = cell_len(word)
    return breaks
