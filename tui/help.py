"""The help overlay: what the screen under it is for, and its keys."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from nn_tui.tui.i18n import COMMON, Strings
from nn_tui.tui.lessons import number_range


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close", show=False),
        Binding("question_mark", "dismiss", "Close", show=False),
    ]

    def __init__(self, under: Screen, language: str) -> None:
        super().__init__()
        self._under = under
        self._language = language
        self._strings: Strings = getattr(under, "TEXT", COMMON)

    def _t(self, key: str) -> str:
        return self._strings.get(key, self._language)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._t("help.title"), id="help-title")
            if "help.text" in self._strings:
                yield Static(self._t("help.text"), id="help-text", markup=False)
            yield Static(self._t("help.keys"), classes="help-heading")
            yield DataTable(id="help-keys", show_header=False, cursor_type="none", zebra_stripes=True)
            yield Static(self._strings.get("help.global", self._language, lessons=number_range()), id="help-global")
            yield Static(self._t("help.close"), id="help-close")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("key", "action")
        seen: set[str] = set()
        for key, active in self._under.active_bindings.items():
            binding = active.binding
            # Keys hidden from the footer to keep it short are still listed
            # here; Textual's own widget keys (scrolling, copying) are not.
            ours = type(active.node).__module__.startswith("nn_tui.")
            if not ours or not binding.description or binding.description in seen:
                continue
            seen.add(binding.description)
            # As plain text: a key shown as "[/]" or a label with brackets is not markup (MarkupError).
            table.add_row(Text(self.app.get_key_display(binding)), Text(binding.description))
