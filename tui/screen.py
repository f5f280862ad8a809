"""What every nn-tui screen shares: translated text, translated key labels, the language rebuild."""

from __future__ import annotations

import asyncio
from functools import cached_property
from typing import ClassVar

from textual import events
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.screen import Screen

from nn_tui.tui.i18n import COMMON, Strings
from nn_tui.tui.textual_private import (
    first_showing_restyles_nothing,
    forget_old_widgets,
    note_put_away,
    relabel_bindings,
)


def localize_bindings(node: DOMNode, strings: Strings, language: str) -> None:
    """Relabel `node`'s key bindings in `language`: a binding with id `x` is labelled by `key.x`.

    A lesson's section key (id `section_<name>`) without its own label takes the section's, `tab.<name>`.
    """

    def describe(binding) -> str | None:  # noqa: ANN001 - a Textual Binding
        if not binding.id:
            return None
        names = [f"key.{binding.id}"]
        if binding.id.startswith("section_"):
            names.append(f"tab.{binding.id.removeprefix('section_')}")
        return next((strings.get(name, language) for name in names if name in strings), None)

    relabel_bindings(node, describe)


#: How many refreshes a screen waits at most for its widgets to be mounted before drawing.
MOST_DRAW_TRIES = 20


class NNScreen(Screen):
    """A screen whose text comes from the catalogue and follows the language switch.

    Subclasses set `TEXT` (their own `Strings`, falling back to `COMMON`),
    build every label with `self.t(...)` and draw their state in
    `refresh_view()`. When the language changes, the widgets are built again
    (`compose`) and drawn again from the state, which lives in core objects,
    so nothing is lost.
    """

    TEXT: ClassVar[Strings] = COMMON

    # Times `widgets_built` found a widget still mounting and waited a refresh.
    _draw_tries: int = 0

    # True while the widgets are rebuilt for a new language: a key that
    # arrives then would find half the widgets gone, so actions wait.
    rebuilding: bool = False

    # The language changed while this screen was not on view: it is rebuilt
    # when shown again (a hidden screen's new widgets are not mounted yet).
    language_pending: bool = False

    @property
    def language(self) -> str:
        return getattr(self.app, "language", "en")

    def t(self, key: str, **values: object) -> str:
        return self.TEXT.get(key, self.language, **values)

    # The only on_mount of the screen classes: Textual calls the on_mount of
    # every class in the hierarchy, so subclasses draw in `widgets_built`.
    def on_mount(self) -> None:
        localize_bindings(self, self.TEXT, self.language)
        # Widgets nested a few containers deep may still be mounting when the
        # screen's Mount arrives (seen when a lesson opens from the palette on
        # a busy machine): draw once the whole tree is there.
        self.call_after_refresh(self._draw_once_built)

    def _draw_once_built(self) -> None:
        try:
            self.widgets_built()
        except NoMatches:
            # On a loaded machine a widget four containers deep can still be
            # mounting after the screen's first refresh (lesson 4 opened from
            # the palette): draw again once it is there.
            if not self.is_attached or self._draw_tries >= MOST_DRAW_TRIES:
                raise
            self._draw_tries += 1
            self.call_after_refresh(self._draw_once_built)

    def widgets_built(self) -> None:
        """The widgets are new (mounted, or rebuilt for a language): draw them."""
        self.refresh_view()

    def refresh_view(self) -> None:
        """Re-render every widget from the state."""

    async def language_changed(self, language: str) -> None:
        """Rebuild the widgets in the new language; a screen may relabel in place instead."""
        await self.recompose()
        forget_old_widgets(self)
        forget_old_widgets(self.app)
        self.widgets_built()

    def _on_screen_suspend(self) -> None:
        note_put_away(self)

    async def _on_screen_resume(self, event: events.ScreenResume) -> None:
        first_showing_restyles_nothing(self, event)  # runs before Textual's own handler
        if self.language_pending:
            self.language_pending = False
            await self.language_switched(self.language)

    async def language_switched(self, language: str) -> None:
        """The app's language changed (the app calls this on every screen it holds)."""
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
