"""Bringing the widgets a step is about into view, above the teacher's panel.

A lesson lays itself out for the rows the panel leaves it; at 80×24 some of
its widgets are then clipped by their container or squeezed under the
panel. For the widgets a step names (its `show`), in this order:

1. a container that clips one is made scrollable and scrolled to it;
2. the panel gives up rows of its text (F6 shows it all again) until they fit.

What was changed for one step is undone at the next.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from nn_tui.tui.teacher.panel import TeacherPanel

#: Inline style put on a container made scrollable, and taken off again at the next step.
_SCROLLED = "-teacher-scrolled"


def named_widgets(screen: Screen, names: Iterable[str]) -> list[Widget]:
    """The widgets with these ids that the lesson shows now (one hidden in another section is left out)."""
    found = []
    for name in names:
        try:
            widget = screen.query_one(f"#{name}")
        except NoMatches:
            continue
        if widget.display and all(node.display for node in widget.ancestors if isinstance(node, Widget)):
            found.append(widget)
    return found


def hidden_part(screen: Screen, panel: TeacherPanel | None, widget: Widget) -> bool:
    """Whether some of `widget` is off screen, clipped by a container, or under the panel."""
    try:
        geometry = screen.find_widget(widget)
    except Exception:  # not laid out (yet): nothing of it is shown
        return True
    region = geometry.region
    if not region:
        return True
    if not geometry.clip.contains_region(region) or not screen.region.contains_region(region):
        return True
    if panel is not None and panel.display and panel.region and region.overlaps(panel.region):
        return True
    return False


async def after_refresh(widget: Widget) -> None:
    """Wait until what was changed has been laid out and drawn.

    Nothing is forced: a change of style or content asks for its own layout,
    and a full one of a lesson with plots costs a frame (tens of ms).
    """
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    widget.call_after_refresh(lambda: done.done() or done.set_result(None))
    try:
        await asyncio.wait_for(done, 1.0)
    except asyncio.TimeoutError:
        pass  # a screen not shown any more is never drawn: give up quietly


def undo(screen: Screen) -> None:
    """Take back the scrolling the last step needed."""
    for container in screen.query(f".{_SCROLLED}"):
        container.remove_class(_SCROLLED)
        container.styles.clear_rule("overflow_y")
        container.styles.clear_rule("scrollbar_size_vertical")
        container.scroll_to(y=0, animate=False, immediate=True)


def _make_scrollable(widget: Widget) -> bool:
    """Let every container that clips `widget` scroll; whether one was changed."""
    changed = False
    for node in widget.ancestors:
        if not isinstance(node, Widget) or isinstance(node, Screen):
            break
        taller = node.virtual_size.height > node.scrollable_content_region.height
        if taller and node.styles.overflow_y == "hidden":
            node.add_class(_SCROLLED)
            node.styles.overflow_y = "auto"
            node.styles.scrollbar_size_vertical = 1
            changed = True
    return changed


async def bring_into_view(screen: Screen, panel: TeacherPanel, names: Iterable[str]) -> None:
    """Show every widget of `names` whole, above the panel (see the module's docstring)."""
    undo(screen)
    panel.text_rows = None
    panel.show()
    await after_refresh(screen)
    widgets = named_widgets(screen, names)
    hidden = [widget for widget in widgets if hidden_part(screen, panel, widget)]
    if not hidden:
        return
    if any([_make_scrollable(widget) for widget in hidden]):
        await after_refresh(screen)
    await _scroll_to(screen, hidden)
    hidden = [widget for widget in widgets if hidden_part(screen, panel, widget)]
    if not hidden or not panel.region:
        return
    # Still under the panel: it gives up as many lines of its text as they need, at once.
    short = max(screen.find_widget(widget).region.bottom - panel.region.y for widget in hidden)
    rows = panel.text_lines()
    panel.text_rows = max(rows - max(short, 1), 0)
    panel.show()
    await after_refresh(screen)
    await _scroll_to(screen, widgets)
    if any(hidden_part(screen, panel, widget) for widget in widgets):
        # Not even that was enough (a widget taller than the lesson's room): keep the text.
        panel.text_rows = None
        panel.show()


async def _scroll_to(screen: Screen, widgets: list[Widget]) -> None:
    for widget in widgets:
        widget.scroll_visible(animate=False, immediate=True)
    await after_refresh(screen)
