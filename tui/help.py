"""The help overlay: what the screen under it is for, and its keys.

The keys come in one table: the screen's own first (the lesson's, in the
order of its BINDINGS), then, under a heading row, the keys that work
everywhere. Each action is one row, with all its keys ("␣ → n"); Textual's
own keys for widgets (scrolling, copying, moving the focus) are not listed:
they have no id.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from nn_tui.tui.i18n import COMMON, Strings
from nn_tui.tui.lesson_screen import LessonScreen
from nn_tui.tui.lessons import number_range

#: Keys every lesson has from its base class (Esc leaves a field): listed after the lesson's own.
_FRAMEWORK_KEYS = {binding.id for binding in LessonScreen.BINDINGS if isinstance(binding, Binding)}


def key_rows(bindings: Iterable[ActiveBinding]) -> list[tuple[str, str]]:
    """One (keys, label) row per action, in the order met, for bindings of ours (with an id and a label)."""
    rows: dict[str, tuple[list[str], str]] = {}
    for active in bindings:
        binding = active.binding
        if not binding.id or not binding.description:
            continue
        keys, label = rows.setdefault(binding.action.removeprefix("app."), ([], binding.description))
        shown = active.node.app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)
    # A plain key before its ctrl+ twin ("q ^q").
    return [(" ".join(sorted(keys, key=lambda k: k.startswith("^"))), label) for keys, label in rows.values()]


#: The key of the help table's row that heads the keys every screen has.
APP_KEYS_ROW = "app-keys"


def _app_action(active: ActiveBinding) -> bool:
    return active.binding.action.startswith("app.")


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

    def _t(self, key: str, **values: object) -> str:
        return self._strings.get(key, self._language, **values)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._t("help.title"), id="help-title")
            if "help.text" in self._strings:
                # Markup: a literal bracket is written "\[" in the catalogue.
                yield Static(Content.from_markup(self._t("help.text")), id="help-text")
            yield Static(self._t("help.keys"), classes="help-heading", id="help-keys-heading")
            yield DataTable(id="help-keys", show_header=False, cursor_type="none", zebra_stripes=True)
            yield Static(self._t("help.close"), id="help-close")

    def on_mount(self) -> None:
        active = list(self._under.active_bindings.values())
        # A lesson may bind an app action itself (l in lesson 1): that key is listed with the app's.
        ours = [binding for binding in active if binding.node is not self.app and not _app_action(binding)]
        # The lesson's keys before those every lesson has (Esc leaves a field).
        ours.sort(key=lambda binding: binding.binding.id in _FRAMEWORK_KEYS)
        # In the order the app declares them (Textual's own ctrl+q would come first).
        declared = [binding for binding in type(self.app).BINDINGS if isinstance(binding, Binding)]
        app_order = {binding.id: index for index, binding in enumerate(declared)}
        everywhere = [binding for binding in active if binding.node is self.app or _app_action(binding)]
        everywhere.sort(key=lambda binding: app_order.get(binding.binding.id, len(app_order)))
        app_rows = [(number_range(), self._t("help.open_lesson")), *key_rows(everywhere)]
        screen_rows = key_rows(ours)
        # The home screen has no keys of its own (its list's arrows and Enter are in its text).
        self.query_one("#help-keys-heading").display = bool(screen_rows)
        table = self.query_one("#help-keys", DataTable)
        table.add_columns("key", "action")
        for keys, label in screen_rows:
            # As plain text: a key shown as "[ ]" or a label with brackets is not markup.
            table.add_row(Text(keys), Text(label))
        # One table, so the two columns line up; the app's keys under their own heading.
        table.add_row(Text(""), Text(self._t("help.app_keys"), style="bold"), key=APP_KEYS_ROW)
        for keys, label in app_rows:
            table.add_row(Text(keys), Text(label))
