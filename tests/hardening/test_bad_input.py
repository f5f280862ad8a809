"""Bad input matrix: every field of every lesson × every kind of bad text.

The fields are discovered on the mounted screen (every `Input`, which
includes every `NumberInput`), so a new lesson or a new field is covered
without touching this file. For each (field, text):

- the app is still running;
- a `NumberInput` either accepted a number within its range, or refused it
  with a notification, put its old value back and left the lesson's state
  as it was;
- any other `Input`: if it refused the text (value put back) it said so
  (a notification or a message on screen), and a refusal changed no state.
"""

from __future__ import annotations

import math
import time

from textual.widgets import Input, Static

import pytest

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons import Lesson
from nn_tui.tui.textual_private import own_bindings
from nn_tui.tui.widgets.number_input import NumberInput, Refusal, format_number, parse_number

#: Every run of the suite tries these in every field; the soak run tries all of BAD_TEXTS.
QUICK_TEXTS = ["abc", "1e999"]
BAD_TEXTS = ["abc", "", "nan", "inf", "-inf", "1e999", "0", "-1", "1e308", "-1e308", "   ", "1,5", "０.５"]
SIZE = (100, 30)



def count_notifications(app) -> list[str]:
    """Record every notification from now on (the toasts themselves expire)."""
    said: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        said.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return said


def screen_state(screen) -> dict[str, object]:
    """The lesson's own state: its state document (see LessonScreen.state)."""
    return screen.state()


def shown_texts(screen) -> list[str]:
    return [str(w.content) for w in screen.query(Static) if w.id]


async def settle(pilot, timeout: float = 20.0) -> None:
    """Wait until no worker (e.g. lesson 6's data loader) is still going."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    await pilot.pause()
    while any(not worker.is_finished for worker in app.workers if worker.group != "training"):
        assert time.monotonic() < deadline, "a worker did not finish"
        await pilot.pause(0.05)


def fields(screen) -> list[Input]:
    return [w for w in screen.query(Input) if w.id]


async def enter_text(pilot, widget: Input, text: str) -> bool:
    """Type `text` into `widget` and press Enter, as a student would. False if it cannot be focused."""
    app = pilot.app
    app.screen.set_focus(None)
    widget.focus()  # selects the old text, so typing replaces it
    await pilot.pause()
    if app.focused is not widget:
        # In a section not shown now: submit the text as Enter would.
        widget.value = text
        await widget.action_submit()
        return False
    await pilot.press(*text, "enter") if text else await pilot.press("backspace", "enter")
    return True


REVEALING_ACTIONS = ("edit", "expression", "type")  # keys that open a lesson's fields (e.g. lesson 5's e, x)


@pytest.mark.parametrize(
    "texts", [pytest.param(QUICK_TEXTS, id="quick"), pytest.param(BAD_TEXTS, id="all", marks=pytest.mark.soak)]
)
async def test_every_field_refuses_bad_text_or_accepts_it_within_range(lesson: Lesson, texts, failures):
    app = NNTuiApp(start_lesson=lesson.number)
    tried = typed = 0
    async with app.run_test(size=SIZE, message_hook=failures.hook) as pilot:
        await settle(pilot)
        said = count_notifications(app)
        screen = app.screen
        done: set[str] = set()
        bindings = own_bindings(screen)
        reveal_keys = [None, *sorted({b.key for b in bindings if b.action.startswith(REVEALING_ACTIONS)})]
        for reveal in reveal_keys:
            if reveal is not None:
                screen.set_focus(None)
                await pilot.press("escape", reveal)  # close what the previous key opened
                await settle(pilot)
            ids = [w.id for w in fields(screen) if w.id not in done]
            done.update(ids)
            for field_id in ids:
                for text in texts:
                    matches = screen.query(f"#{field_id}")
                    if not matches:
                        continue  # the lesson replaced its fields (e.g. another section); covered elsewhere
                    widget = matches.first()
                    result = await try_text(pilot, screen, widget, text, said, failures, lesson)
                    tried += 1
                    typed += result
        assert done, f"lesson {lesson.mode} has no field to type into"
    print(f"{lesson.mode}: {tried} inputs tried ({typed} typed by keys)")
    assert tried >= len(done) * len(texts) // 2


async def try_text(pilot, screen, widget: Input, text: str, said: list[str], failures, lesson: Lesson) -> bool:
    app = pilot.app
    field_id = widget.id
    before_state = screen_state(screen)
    before_texts = shown_texts(screen)
    before_value = widget.value
    before_number = getattr(widget, "number", None)
    notes = len(said)
    typed = await enter_text(pilot, widget, text)
    await settle(pilot)
    where = f"lesson {lesson.mode}, field #{field_id}, text {text!r}"
    assert app.is_running and app._exception is None, f"{where}: the app stopped"
    assert not failures.seen, f"{where}: {failures.seen}"
    said_something = len(said) > notes or shown_texts(screen) != before_texts
    if isinstance(widget, NumberInput):
        expected = parse_number(text, field="", old=before_number, low=widget.low,
                                high=widget.high, integer=widget.integer)
        if isinstance(expected, Refusal) and text.strip() != format_number(before_number):
            assert len(said) > notes, f"{where}: refused without a message"
            assert widget.number == before_number, f"{where}: refused but the number changed"
            assert widget.value == format_number(before_number), f"{where}: old value not put back"
            assert screen_state(screen) == before_state, f"{where}: refused but the state changed"
        elif not isinstance(expected, Refusal):
            assert math.isfinite(widget.number), where
            if widget.low is not None:
                assert widget.number >= widget.low, where
            if widget.high is not None:
                assert widget.number <= widget.high, where
    else:
        refused = widget.value == before_value and text.strip() != before_value.strip()
        if refused:
            assert said_something or screen_state(screen) == before_state, f"{where}: the text was dropped silently"
            if len(said) > notes:
                assert screen_state(screen) == before_state, f"{where}: refused but the state changed"
    return typed
