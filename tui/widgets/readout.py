"""A line or block of text that a lesson rewrites as its state changes.

A lesson's `refresh_view` sets every text it shows, most of them to what
they already say. Textual's `Static.update` re-renders the widget and lays
out the whole screen again even then; a student following the teacher pays
that for every text of the lesson at every step. `Readout` skips an update
that changes nothing.
"""

from __future__ import annotations

from rich.text import Text
from textual.visual import VisualType
from textual.widgets import Static


class Readout(Static):
    """A `Static` whose `update` does nothing when the new content looks exactly like the shown one."""

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        if not same_look(content, self.content):
            super().update(content, layout=layout)


def same_look(new: object, old: object) -> bool:
    """Whether two contents draw the same: equal strings (markup included), or rich Texts alike in every part.

    Anything else (a table, a Textual Content, whose equality looks at the
    letters only) counts as different and is drawn again.
    """
    if type(new) is not type(old):
        return False
    if isinstance(new, str):
        return new == old
    if isinstance(new, Text):
        assert isinstance(old, Text)
        return (new.plain, new.spans, new.style, new.justify, new.overflow, new.no_wrap, new.end, new.tab_size) == (
            old.plain, old.spans, old.style, old.justify, old.overflow, old.no_wrap, old.end, old.tab_size)
    return False
