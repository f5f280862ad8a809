"""Textual's OptionList, safe against a page key that comes too early."""

from __future__ import annotations

from textual.widgets import OptionList as TextualOptionList


class OptionList(TextualOptionList):
    """An OptionList whose PageUp/PageDown before the first layout does nothing.

    In Textual 8.2 a page key pressed right after the list is mounted looks up
    a line map that is not built yet (KeyError) and stops the app.
    """

    def _move_page(self, direction) -> None:
        try:
            super()._move_page(direction)
        except KeyError:
            pass  # not laid out yet: the key is simply dropped
