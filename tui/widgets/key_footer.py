"""The footer of every screen: Textual's, rebuilt only when the keys it shows change.

Textual's `Footer` throws its keys away and mounts new ones whenever the
screen's bindings *may* have changed: after every key that refreshes them,
every focus change, every state a following student is shown. That rebuild
(a dozen widgets mounted, styled and laid out) was the largest part of what a
step costs; most of the time the footer would look exactly the same.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from nn_tui.tui.textual_private import footer_key_looks


class KeyFooter(Footer):
    """A `Footer` that keeps its keys while what they would show is unchanged."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and self._shown is not None and self.children:
            if self._looks() == self._shown:
                return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        self._shown = self._looks() if self._bindings_ready else None
        for widget in super().compose():
            footer_key_looks(widget, self.compact)
            yield widget

    def _looks(self) -> tuple[object, ...]:
        """Everything of the screen's bindings that the footer draws."""
        app = self.app
        return (
            self.compact,
            self.show_command_palette,
            tuple(
                (key, binding.key, app.get_key_display(binding), binding.description, binding.action,
                 binding.group, enabled, tooltip)
                for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                if binding.show or key == app.COMMAND_PALETTE_BINDING
            ),
        )
