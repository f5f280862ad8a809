"""The command palette's entries for the lesson on screen: every action of its keys, by name.

Built from the lesson's own bindings (as relabelled for the language), so a
new key is a new command with nothing else to write. A binding's command is
named `command.<id>` in the lesson's catalogue when that exists (a key label
like "±0.1" says little in a list), else by its key label ("Section: …" for
a section's key). Picking one runs
the action on the lesson, as its key would.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from nn_tui.tui.i18n import COMMON


class LessonCommands(Provider):
    """One command per action the lesson on screen allows now."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        language = getattr(screen, "language", "en")
        strings = getattr(screen, "TEXT", COMMON)
        commands: dict[str, tuple[str, str, Callable[[], object]]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            # The lesson's own keys, enabled now (a section's keys only in its section).
            if active.node is not screen or not active.enabled or not binding.id or not binding.description:
                continue
            # The app's actions are listed already; Esc (leave a field) is no command.
            if binding.action in commands or binding.action.startswith("app.") or binding.action == "leave_field":
                continue
            command_key = f"command.{binding.id}"
            if command_key in strings:
                name = strings.get(command_key, language)
            elif binding.id.startswith("section_"):
                name = COMMON.get("palette.section", language, name=binding.description)
            else:
                name = binding.description
            # The palette reads names and help as markup: a key like "[ ]" is escaped.
            help_text = escape(COMMON.get("palette.key_help", language, keys=self.app.get_key_display(binding)))
            commands[binding.action] = (name, help_text, partial(screen.run_action, binding.action))
        return list(commands.values())

    async def discover(self) -> Hits:
        for name, help_text, run in self._commands():
            yield DiscoveryHit(Content(name), run, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._commands():
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(escape(name)), run, text=name, help=help_text)
