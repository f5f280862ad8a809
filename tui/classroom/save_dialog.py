"""The small dialog that asks where to save the lesson's state (F2 or the palette)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from nn_tui.tui.classroom.text import TEXT


class SaveStateDialog(ModalScreen[str | None]):
    """Dismissed with the path typed (Enter), or None (Esc)."""

    # Enter is the dialog's own (not the field's Submitted message, which an
    # Esc typed right after would overtake): the keys act in the order typed.
    BINDINGS = [
        Binding("enter", "save", "Save", show=False, priority=True),
        Binding("escape", "cancel", "Cancel", show=False),
    ]
    DEFAULT_CSS = """
    SaveStateDialog { align: center middle; }
    SaveStateDialog #save-box {
        width: 70;
        max-width: 100%;
        height: auto;
        padding: 0 1;
        border: round $accent;
        background: $surface;
    }
    SaveStateDialog Static { width: 100%; }
    SaveStateDialog #save-hint { color: $text-muted; }
    """

    def __init__(self, suggested: str, language: str) -> None:
        super().__init__()
        self.suggested = suggested
        self.words_language = language

    def compose(self) -> ComposeResult:
        t = TEXT.get
        with Vertical(id="save-box"):
            yield Static(t("save.title", self.words_language), id="save-title", markup=False)
            yield Input(self.suggested, id="save-path")
            yield Static(t("save.hint", self.words_language), id="save-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_save(self) -> None:
        path = self.query_one(Input).value.strip()
        if not path:
            self.notify(TEXT.get("save.empty", self.words_language), severity="warning", timeout=4, markup=False)
            return
        self._close(path)

    def action_cancel(self) -> None:
        self._close(None)

    def _close(self, path: str | None) -> None:
        # Enter then Esc typed quickly both arrive: the second, handled after
        # the dialog closed, would have closed the lesson under it.
        if self.app.screen is self:
            self.dismiss(path)
