"""Breaking a paragraph into lines of a width, Chinese and English alike."""

from __future__ import annotations

import re

from rich.cells import cell_len

# Chinese has no spaces: a line may break between any two characters, but not
# before closing punctuation (，。：). Latin words still break only at spaces.
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_NO_LINE_START = frozenset("，。：；、！？）》」』】,.:;!?)")


def fold(text: str, width: int) -> str:
    """`text` broken into lines of at most `width` cells, Chinese and English alike."""
    if width <= 0:
        return text
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for space, word in _words(paragraph):
            piece = (" " if space and line else "") + word
            if line and cell_len(line + piece) > width:
                lines.append(line)
                line = word
            else:
                line += piece
        lines.append(line)
    return "\n".join(lines)


def _words(text: str) -> list[tuple[bool, str]]:
    """(space before?, word) pairs; each Chinese character is a word of its own."""
    words: list[tuple[bool, str]] = []
    word, space, ends_word = "", False, False
    for char in text:
        if char == " ":
            if word:
                words.append((space, word))
                word = ""
            space, ends_word = True, False
        elif char in _NO_LINE_START:
            word += char
        elif _CJK.match(char) or ends_word:
            if word:
                words.append((space, word))
                space = False
            word, ends_word = char, bool(_CJK.match(char))
        else:
            word += char
    if word:
        words.append((space, word))
    return words
