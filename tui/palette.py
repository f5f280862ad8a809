"""The command palette, safe against an Enter that arrives after it has closed."""

from __future__ import annotations

from textual import on
from textual.command import CommandPalette
from textual.widgets import Button, Input, OptionList


class SafeCommandPalette(CommandPalette):
    """Textual's command palette without two crashes of Textual 8 on quick keys.

    - Every queued Enter is handled: two quick ones on a single match
      dismissed the palette twice, and the second dismissal popped the lesson
      under it.
    - PageUp/PageDown pressed right after typing (before the new matches are
      laid out) looked up a line map not built yet (KeyError).
    """

    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def _ignore_once_closed(self, event: Input.Submitted | Button.Pressed | OptionList.OptionSelected) -> None:
        if self.app.screen is not self:
            event.prevent_default()  # skips the base class's handlers, which would dismiss again
            event.stop()

    def _action_command_list(self, action: str) -> None:
        try:
            super()._action_command_list(action)
        except KeyError:
            if action not in ("page_up", "page_down"):
                raise
            # The matches are not laid out yet: the page key is simply dropped.
