"""What every nn-tui screen shares: translated text and translated key labels."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from functools import cached_property
from typing import ClassVar

from textual import events
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.screen import Screen

from nn_tui.tui.i18n import COMMON, Strings


def localize_bindings(node: DOMNode, strings: Strings, language: str) -> None:
    """Relabel `node`'s key bindings in `language`.

    A binding with id `x` is labelled by the catalogue entry `key.x`. Textual's
    binding descriptions are fixed at class creation, so the per-instance map
    is rebuilt with new labels (new lists: the class-level ones are shared).
    """
    bindings = node._bindings.key_to_bindings
    for key, key_bindings in bindings.items():
        bindings[key] = [
            replace(binding, description=strings.get(f"key.{binding.id}", language))
            if binding.id and f"key.{binding.id}" in strings
            else binding
            for binding in key_bindings
        ]


class NNScreen(Screen):
    """A screen whose text comes from the catalogue and follows the language switch.

    Subclasses set `TEXT` (their own `Strings`, falling back to `COMMON`) and
    build every label with `self.t(...)`. When the language changes the
    screen is recomposed from its state, which lives in core objects, so
    nothing is lost; a screen with costly widgets may override
    `language_changed`.
    """

    TEXT: ClassVar[Strings] = COMMON

    # True while the widgets are rebuilt for a new language: a key that
    # arrives then would find half the widgets gone, so actions wait.
    rebuilding: bool = False

    @property
    def language(self) -> str:
        return getattr(self.app, "language", "en")

    def t(self, key: str, **values: object) -> str:
        return self.TEXT.get(key, self.language, **values)

    def on_mount(self) -> None:
        localize_bindings(self, self.TEXT, self.language)
        self.watch(self.app, "language", self._on_language, init=False)

    # The language changed while this screen was not on view: it is rebuilt
    # when shown again (a hidden screen's new widgets are not mounted yet).
    language_pending: bool = False

    async def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if self.language_pending:
            self.language_pending = False
            await self._on_language(self.language)

    async def _on_language(self, language: str) -> None:
        if self.app.screen is not self:
            self.language_pending = True
            return
        # Two quick switches must not rebuild the same widgets at once: the
        # rebuilds take turns, and one overtaken by a newer switch is skipped.
        async with self._language_lock:
            if language != self.language:
                return
            localize_bindings(self, self.TEXT, language)
            self.rebuilding = True
            try:
                await self.language_changed(language)
            except NoMatches:
                if self.is_attached:
                    raise
                # The screen was taken away mid-rebuild (teacher mode rebuilds
                # a lesson): there is nothing left to show.
            finally:
                self.rebuilding = False
            self.refresh_bindings()

    @cached_property
    def _language_lock(self) -> asyncio.Lock:
        return asyncio.Lock()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.rebuilding:
            return False
        return self.action_allowed(action, parameters)

    def action_allowed(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Whether `action` makes sense now (True), is hidden (False) or greyed (None).

        Textual's `check_action`, minus the language rebuild: lessons override this.
        """
        return True

    async def language_changed(self, language: str) -> None:
        await self.recompose()
