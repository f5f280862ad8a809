"""The line at the top of a student's screen that says whether it follows the teacher."""

from __future__ import annotations

from textual.widgets import Static


class FollowBanner(Static):
    """One line docked at the top; `show(text, following)` sets it (the colour says the mode)."""

    # A system widget survives the lesson's recompose on a language switch.
    DEFAULT_CLASSES = "-textual-system"
    DEFAULT_CSS = """
    FollowBanner {
        dock: top;
        height: 1;
        width: 100%;
        padding: 0 1;
        background: $accent;
        color: $text;
        text-style: bold;
    }
    FollowBanner.-own {
        background: $warning;
        color: $background;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="follow-banner", markup=False)

    def show(self, text: str, following: bool) -> None:
        self.set_class(not following, "-own")
        self.update(text)
