"""Shown instead of a lesson while the terminal is smaller than the lessons need."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text
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
        # When the sentence above does not fit (a terminal a few cells wide or high).
        "too_small.short": ("Enlarge to {w}×{h}.\nq quits.", "请放大到 {w}×{h}。\n按 q 退出。"),
        "too_small.tiny": ("{w}×{h}", "{w}×{h}"),
        # Served to a web browser (nn-tui serve): the "terminal" is the browser window, and
        # zooming out (ctrl+minus) gives it more characters.
        "too_small.browser": (
            "Please enlarge the browser window to at least {w}×{h} characters (now {now_w}×{now_h}), "
            "or press ctrl+minus to make the text smaller.\nq quits.",
            "请把浏览器窗口放大到至少 {w}×{h} 个字符（现在是 {now_w}×{now_h}），或按 Ctrl+减号缩小文字。\n按 q 退出。",
        ),
        "too_small.browser.short": (
            "Enlarge the window to {w}×{h}.\nq quits.",
            "请放大浏览器窗口到 {w}×{h}。\n按 q 退出。",
        ),
    }
)

# Narrower than this, the notice has no padding: every column is for the text.
PADDED_FROM = 12


def is_too_small(size: Size) -> bool:
    return size.width < MIN_SIZE.width or size.height < MIN_SIZE.height


class TooSmallScreen(ModalScreen[None]):
    # A modal screen hides the app's keys: q must still quit, as the notice says.
    BINDINGS = [Binding("q", "app.quit", "Quit", show=False)]
    DEFAULT_CSS = """
    /* No scrollbar: at 1×1 one came and went with every frame (the text no longer fitted beside it). */
    TooSmallScreen { align: center middle; background: $background; overflow: hidden hidden; }
    TooSmallScreen > Static { width: auto; max-width: 100%; padding: 0 1; }
    TooSmallScreen > Static.-unpadded { padding: 0; }
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
        static = notice.first(Static)
        static.set_class(size.width < PADDED_FROM, "-unpadded")
        static.update(notice_text(self._language, size, in_browser=self.app.is_web))


def notice_text(language: str, size: Size, in_browser: bool = False) -> str:
    """The longest notice that fits `size` (the full sentence, a short one, or just the size needed).

    `in_browser`: the app is served to a web browser (`nn-tui serve`), whose
    window is what the user can enlarge.
    """
    width = max(1, size.width - (2 if size.width >= PADDED_FROM else 0))
    values = dict(w=MIN_SIZE.width, h=MIN_SIZE.height, now_w=size.width, now_h=size.height)
    keys = ("too_small.browser", "too_small.browser.short") if in_browser else ("too_small", "too_small.short")
    texts = [TEXT.get(key, language, **values) for key in (*keys, "too_small.tiny")]
    console = Console(file=io.StringIO(), width=width)
    return next((text for text in texts if len(Text(text).wrap(console, width)) <= size.height), texts[-1])
