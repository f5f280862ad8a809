"""The bar of a lesson's sections: each with its key, the open one highlighted."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static


class SectionBar(Static):
    """One line: ` d Difference  p Partials …`; the open section in reverse video (clear without colour too)."""

    DEFAULT_CSS = """
    SectionBar {
        height: 1;
        background: $panel;
    }
    """

    def show(self, sections: Sequence[tuple[str, str, bool]]) -> None:
        """`sections` as (key, name, is_open)."""
        bar = Text(" ", no_wrap=True, overflow="ellipsis")
        for key, name, is_open in sections:
            bar.append(f" {key} {name} ", style="bold reverse" if is_open else "")
            bar.append(" ")
        self.update(bar)
