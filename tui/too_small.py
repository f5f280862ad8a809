"""Shown instead of a lesson while the terminal is smaller than the lessons need."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

from nn_tui.tui.i18n import Strings

# Every lesson is laid out for at least a classic 80x24 terminal.
MIN_SIZE = Size(80, 24)

TEXT = Strings(
    {
        "too_small": (
            "Please enlarge the terminal to at least {w}×{h} (now {now_w}×{now_h}).\n"
            "q quits.",
            "请把终端窗口放大到至少 {w}×{h}（现在是 {now_w}×{now_h}）。\n按 q 退出。",
        ),
    }
)


def is_too_small(size: Size) -> bool:
    return size.width < MIN_SIZE.width or size.height < MIN_SIZE.height


class TooSmallScreen(ModalScreen[None]):
    # A modal screen hides the app's keys: q must still quit, as the notice says.
    BINDINGS = [Binding("q", "app.quit", "Quit", show=False)]
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen > Static { width: auto; max-width: 100%; padding: 0 1; }
    """

    def __init__(self, language: str) -> None:
        super().__init__()
        self._language = language
        self._size: Size | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="too-small-text")

    def on_mount(self) -> None:
        self.show(self._size or self.app.size)

    def show(self, size: Size) -> None:
        self._size = size
        notice = self.query("#too-small-text")
        if not notice:
            return  # not composed yet (a resize came first): on_mount shows it
        notice.first(Static).update(
            TEXT.get(
                "too_small", self._language, w=MIN_SIZE.width, h=MIN_SIZE.height, now_w=size.width, now_h=size.height
            )
        )
