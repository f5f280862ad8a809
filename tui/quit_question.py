"""Asking before quitting when a lesson would lose work (training running, a network not saved)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class QuitQuestion(ModalScreen[bool]):
    """One sentence and one key: q or y (or ctrl+q) quits, any other key goes back."""

    CONFIRM_KEYS = ("q", "y", "ctrl+q")

    def __init__(self, sentence: str, confirm: str) -> None:
        super().__init__()
        self._sentence = sentence
        self._confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-box"):
            yield Static(self._sentence, id="quit-text", markup=False)
            yield Static(self._confirm, id="quit-keys", markup=False)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.dismiss(event.key in self.CONFIRM_KEYS)

    def on_click(self) -> None:
        self.dismiss(False)
