"""What every lesson shares, checked for every lesson folder: a new lesson is covered the day it lands.

Declaration and folder, one mount and one refresh hook, CSS scoped to its
screen (and the screen unchanged after every other lesson was shown), the
focus policy, and the state document: round trip, and refusal of a damaged
document with nothing changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from textual.widgets import Footer, Input

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lesson_screen import LessonScreen
from nn_tui.tui.lessons import Lesson, all_lessons
from nn_tui.tui.screen import NNScreen
from nn_tui.tui.teacher.script import shipped_script

from tests.helpers import json_round_trip, wait_until

SIZE = (100, 30)
LESSONS = [pytest.param(item, id=item.mode) for item in all_lessons()]


# --- declaration and folder --------------------------------------------------------


def test_lessons_are_numbered_from_one_without_gaps():
    assert [item.number for item in all_lessons()] == list(range(1, len(all_lessons()) + 1))


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_lesson_folder_holds_its_screen_style_text_and_script(lesson: Lesson):
    for name in ("__init__.py", "screen.py", "screen.tcss", "text.py", "script.json"):
        assert (lesson.folder / name).is_file(), f"{lesson.mode}/{name} is missing"
    screen = lesson.load_screen()
    assert issubclass(screen, LessonScreen)
    assert screen.lesson() == lesson
    assert shipped_script(lesson.number).lesson == lesson.number


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_lesson_leaves_mounting_and_the_language_rebuild_to_the_base(lesson: Lesson):
    for cls in lesson.load_screen().__mro__:
        if cls in (LessonScreen, NNScreen):
            break
        for hook in ("on_mount", "_on_mount", "language_changed", "language_switched"):
            assert hook not in vars(cls), f"{cls.__name__} defines {hook}: the base does that once"


@pytest.mark.parametrize("lesson", LESSONS)
async def test_opening_a_lesson_mounts_and_draws_it_once(lesson: Lesson, monkeypatch):
    counts = {"mount": 0, "refresh": 0}
    screen_class = lesson.load_screen()
    mount, refresh = NNScreen.on_mount, screen_class.refresh_view

    def counted_mount(self):
        counts["mount"] += isinstance(self, screen_class)
        return mount(self)

    def counted_refresh(self, *args, **kwargs):
        counts["refresh"] += 1
        return refresh(self, *args, **kwargs)

    monkeypatch.setattr(NNScreen, "on_mount", counted_mount)
    monkeypatch.setattr(screen_class, "refresh_view", counted_refresh)
    app = NNTuiApp(start_lesson=lesson.number)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert counts["mount"] == 1
        assert counts["refresh"] >= 1
        before = counts["refresh"]
        await pilot.press("l")
        await wait_until(pilot, lambda: not app.screen.rebuilding and counts["refresh"] > before)


# --- CSS -------------------------------------------------------------------------------


def top_level_selectors(css: str) -> Iterator[str]:
    """The selectors of the outermost rule blocks of a .tcss text."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    depth, start = 0, 0
    for i, char in enumerate(css):
        if char == "{":
            if depth == 0:
                yield css[start:i].strip()
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                start = i + 1


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_rule_of_a_lessons_css_sits_inside_its_screen(lesson: Lesson):
    screen_class = lesson.load_screen().__name__
    selectors = list(top_level_selectors((lesson.folder / "screen.tcss").read_text(encoding="utf-8")))
    assert selectors == [screen_class], f"{lesson.mode}/screen.tcss: rules outside `{screen_class} {{ … }}`"


async def settled_screen_text(pilot) -> str:
    """The screen as a terminal shows it, once the lesson's start-up work is done and it stopped changing."""
    app = pilot.app
    await wait_until(pilot, lambda: all(w.is_finished for w in app.workers if w.group != "teacher"))
    await wait_until(pilot, lambda: all(footer.children for footer in app.screen.query(Footer)))
    shown = app.export_screenshot()
    for _ in range(30):  # a busy machine may still be laying out: wait for two equal pictures
        await pilot.pause(0.1)
        again = app.export_screenshot()
        if again == shown:
            break
        shown = again
    return shown


async def test_each_lesson_looks_the_same_after_every_other_lesson_was_shown():
    """The CSS-leak guard: a rule of one lesson styling another shows up as a changed screen."""
    first_seen: dict[str, str] = {}
    for item in all_lessons():
        app = NNTuiApp(start_lesson=item.number)
        async with app.run_test(size=SIZE) as pilot:
            first_seen[item.mode] = await settled_screen_text(pilot)
    app = NNTuiApp()
    async with app.run_test(size=SIZE) as pilot:
        for item in [*all_lessons(), *all_lessons()]:  # the second round: after all the others
            await pilot.press("h", item.key)
            assert await settled_screen_text(pilot) == first_seen[item.mode], f"lesson {item.mode} changed"


# --- focus -------------------------------------------------------------------------------


async def first_field(pilot, lesson: Lesson) -> Input | None:
    """Tab until a field has the focus, as a student does (None: the lesson has none to Tab to)."""
    app = pilot.app
    for _ in range(12):
        await pilot.press("tab")
        if isinstance(app.focused, Input):
            return app.focused
    return None


@pytest.mark.parametrize("lesson", LESSONS)
async def test_enter_and_escape_give_the_keys_back_to_the_lesson(lesson: Lesson):
    app = NNTuiApp(start_lesson=lesson.number)
    async with app.run_test(size=SIZE) as pilot:
        await settled_screen_text(pilot)
        field = await first_field(pilot, lesson)
        if field is None:
            pytest.skip(f"lesson {lesson.mode} has no field reachable with Tab on its first screen")
        before = field.value
        await pilot.press("enter")
        assert app.focused is None, "Enter left the focus in the field"
        field.focus()
        await pilot.pause()
        await pilot.press("9", "9")
        await pilot.press("escape")
        assert app.focused is None, "Esc left the focus in the field"
        assert field.value == before, "Esc kept the typed text"
        await pilot.press("h")  # a lesson key again, never typed into the field
        assert app.current_mode == "home"


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "no-colour"])
async def test_the_focused_field_is_plain_to_see_without_colour(no_color, monkeypatch):
    """Bold and underlined: what stays visible on a projector and under NO_COLOR."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    for theme in ("dark", "projector"):
        app = NNTuiApp(start_lesson=1, theme=theme)
        async with app.run_test(size=SIZE) as pilot:
            field = await first_field(pilot, all_lessons()[0])
            assert field is not None
            region = field.content_region
            style = app.screen.get_style_at(region.x, region.y)
            assert style.bold and style.underline, f"{theme}: the focused field looks like the others"
            app.screen.set_focus(None)
            await pilot.pause()
            style = app.screen.get_style_at(region.x, region.y)
            assert not style.underline


# --- the state document -----------------------------------------------------------------



@pytest.mark.parametrize("lesson", LESSONS)
async def test_the_state_document_is_json_and_restores_the_same_screen(lesson: Lesson):
    app = NNTuiApp(start_lesson=lesson.number)
    async with app.run_test(size=SIZE) as pilot:
        shown = await settled_screen_text(pilot)
        document = json_round_trip(app.screen.document())
    app = NNTuiApp(start_lesson=lesson.number)
    async with app.run_test(size=SIZE) as pilot:
        await settled_screen_text(pilot)
        assert app.screen.open_document(document)
        assert json_round_trip(app.screen.document()) == document
        assert await settled_screen_text(pilot) == shown


def damaged(state: object, path: tuple = ()) -> Iterator[tuple[str, object]]:
    """Copies of `state` with one thing wrong each: a leaf of the wrong type, a key missing."""
    if isinstance(state, dict):
        for key in state:
            yield f"{'.'.join(map(str, path + (key,)))} missing", {k: v for k, v in state.items() if k != key}
            for what, bad in damaged(state[key], path + (key,)):
                yield what, {**state, key: bad}
    elif isinstance(state, list):
        for i, item in enumerate(state[:3]):
            for what, bad in damaged(item, path + (i,)):
                yield what, [*state[:i], bad, *state[i + 1 :]]
    elif isinstance(state, bool):
        yield f"{'.'.join(map(str, path))} = 'yes'", "yes"
    elif isinstance(state, (int, float)):
        yield f"{'.'.join(map(str, path))} = 'abc'", "abc"
    elif isinstance(state, str):
        yield f"{'.'.join(map(str, path))} = [1]", [1]


@pytest.mark.parametrize("lesson", LESSONS)
async def test_a_damaged_document_is_refused_with_a_message_and_changes_nothing(lesson: Lesson):
    app = NNTuiApp(start_lesson=lesson.number)
    async with app.run_test(size=SIZE) as pilot:
        await settled_screen_text(pilot)
        screen = app.screen
        good = json_round_trip(screen.document())
        said: list[str] = []
        screen.notify = lambda message, *args, **kwargs: said.append(str(message))
        tried = 0
        for what, bad_state in damaged(good["state"]):
            before = json_round_trip(screen.document())
            count = len(said)
            assert not screen.open_document({**good, "state": bad_state}), f"{lesson.mode}: accepted {what}"
            assert len(said) == count + 1, f"{lesson.mode}: {what} refused without one message"
            assert json_round_trip(screen.document()) == before, f"{lesson.mode}: {what} changed the lesson"
            tried += 1
        assert tried >= 3
        for bad in ({**good, "nn_tui": 99}, {**good, "lesson": "nowhere"}, [], "text", {**good, "state": None}):
            assert not screen.open_document(bad)
        assert all("Traceback" not in message for message in said)
