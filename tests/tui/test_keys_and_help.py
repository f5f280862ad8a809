"""Keys a class can find at 80×24: the footer, `?` help, the command palette, and q that asks first."""

from __future__ import annotations

import re

import pytest
from textual.command import CommandInput, CommandList, CommandPalette
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.help import APP_KEYS_ROW, HelpScreen
from nn_tui.tui.i18n import COMMON, Strings
from nn_tui.tui.lesson_commands import LessonCommands
from nn_tui.tui.lesson_screen import LessonScreen
from nn_tui.tui.lessons import Lesson, all_lessons
from nn_tui.tui.quit_question import QuitQuestion
from tests.helpers import wait_until

LANGUAGES = ("en", "zh")

# Textual's own key labels, which help listed before (and its English palette entries).
TEXTUAL_KEY_LABELS = {
    "Focus Next", "Focus Previous", "Copy selected text", "Scroll Left", "Scroll Right", "Scroll Up",
    "Scroll Down", "Page Left", "Page Right", "Page Up", "Page Down", "Scroll Home", "Scroll End",
}
TEXTUAL_COMMANDS = {"Theme", "Quit", "Keys", "Maximize", "Minimize", "Screenshot"}


def footer_line(app: NNTuiApp) -> str:
    return app.screen._compositor.render_strips()[-1].text


async def open_lesson(pilot, item: Lesson) -> LessonScreen:  # noqa: ANN001 - a Pilot
    await pilot.press(item.key)
    await pilot.pause(0.3)
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen)
    return screen


async def settled_footer(pilot, text: str) -> None:  # noqa: ANN001 - a Pilot
    """Wait (on a busy machine) until the footer has been drawn with `text` in it, or 5 s."""
    try:
        await wait_until(pilot, lambda: text in footer_line(pilot.app), timeout=5)
    except AssertionError:
        pass  # the caller's assertion says what is missing


def main_keys(app: NNTuiApp) -> list[str]:
    """`key label` of each action the lesson shows in the footer (its keys with show=True)."""
    shown: dict[str, str] = {}
    for active in app.screen.active_bindings.values():
        binding = active.binding
        if active.node is not app and binding.show and binding.action not in shown:
            shown[binding.action] = f"{app.get_key_display(binding)} {binding.description}"
    return list(shown.values())


def english_only_labels(strings: Strings) -> set[str]:
    """The English texts of a catalogue (and its fallbacks) that differ from their Chinese."""
    found: set[str] = set()
    table: Strings | None = strings
    while table is not None:
        found |= {en for en, zh in table.entries.values() if en != zh}
        table = table.fallback
    return found


# --- 1. the footer: the lesson's main keys first, then ? -----------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("item", all_lessons(), ids=lambda item: item.mode)
async def test_the_80x24_footer_shows_every_main_key_of_every_section_and_help(item: Lesson, language: str):
    app = NNTuiApp(language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson(pilot, item)
        help_label = COMMON.get("key.help", language)
        for section in screen.SECTIONS or (None,):
            if section is not None:
                await pilot.press(section.key)
                await pilot.pause(0.2)
            keys = main_keys(app)
            assert keys, f"{item.mode}: no main keys"
            await settled_footer(pilot, keys[0])
            line = footer_line(app)
            missing = [key for key in keys if key not in line]
            assert not missing, f"{item.mode} {section}: {missing} not in the footer {line!r}"
            assert f"? {help_label}" in line, f"{item.mode} {section}: no ? in {line!r}"
            # The lesson's keys before the app's: ? comes after every main key.
            assert all(line.index(key) < line.index(f"? {help_label}") for key in keys)
            # An app key is shown whole or not at all.
            for active in app.screen.active_bindings.values():
                if active.node is app and active.binding.show:
                    shown = f"{app.get_key_display(active.binding)} {active.binding.description}"
                    assert shown in line, f"{item.mode}: {shown!r} cut in {line!r}"


async def test_the_app_keys_h_and_l_are_in_help_not_in_a_lessons_footer():
    app = NNTuiApp(start_lesson=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled_footer(pilot, "? Help")
        line = footer_line(app)
        assert "h Home" not in line and "l 中文" not in line
        assert "? Help" in line and "q Quit" in line


async def test_an_app_key_that_does_not_fit_is_left_out_and_comes_back_when_the_terminal_grows():
    class Crowded(LessonScreen):
        # Four keys of 16 columns: 64 of the 68 left of the palette key at 80 columns.
        BINDINGS = [Binding(c, f"noop('{c}')", f"key {c} " + "·" * 6, id=f"k{c}") for c in "abcd"]

        def compose(self):  # noqa: ANN201 - Textual's ComposeResult
            yield Footer()

        def refresh_view(self) -> None:
            pass

        def action_noop(self, key: str) -> None:
            pass

    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(Crowded())
        await pilot.pause(0.5)
        line = footer_line(app)
        assert "key d ······" in line and "Help" not in line and "Quit" not in line, line
        assert "?" not in line.replace("▏", "")
        await pilot.resize_terminal(160, 45)
        await pilot.pause(0.3)
        assert "? Help" in footer_line(app) and "q Quit" in footer_line(app)


# --- 2. ? help: the lesson's keys first, no Textual internals, no duplicates, no markup ---------


def help_rows(app: NNTuiApp) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The help table's rows: the lesson's, and those under the heading of the keys every screen has."""
    table = app.screen.query_one("#help-keys", DataTable)
    rows = [(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1])) for i in range(table.row_count)]
    heading = table.get_row_index(APP_KEYS_ROW)
    return rows[:heading], rows[heading + 1 :]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("item", all_lessons(), ids=lambda item: item.mode)
async def test_help_lists_the_lessons_keys_first_once_each_in_its_language(item: Lesson, language: str):
    app = NNTuiApp(language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson(pilot, item)
        own: dict[str, str] = {}  # the first label of each action of the lesson
        for active in screen.active_bindings.values():
            if active.node is screen and active.binding.id and not active.binding.action.startswith("app."):
                own.setdefault(active.binding.action, active.binding.description)
        await pilot.press("question_mark")
        await pilot.pause(0.2)
        assert isinstance(app.screen, HelpScreen)
        lesson_rows, app_rows = help_rows(app)
        rows = lesson_rows + app_rows
        labels = [label for _, label in rows]
        # Every key of the lesson (also those the footer leaves out) is in the first table.
        assert set(own.values()) <= {label for _, label in lesson_rows}
        assert {COMMON.get("key.help", language), COMMON.get("key.quit", language)} <= {label for _, label in app_rows}
        assert not TEXTUAL_KEY_LABELS & set(labels)
        # One row per action, and no two rows alike.
        assert len(labels) == len(set(labels)), labels
        keys = [shown for shown, _ in rows]
        assert len(keys) == len(set(keys)), keys
        text = str(app.screen.query_one("#help-text", Static).render())
        assert "\\[" not in text and "[/" not in text
        if language == "zh":
            english = english_only_labels(screen.TEXT) - {"中文"}  # the switch names the other language
            assert not english & set(labels), english & set(labels)
            assert not re.search(r"\b(Focus|Copy|Scroll|Page|palette)\b", " ".join(labels))


async def test_lesson_1s_help_shows_the_bracket_keys_without_a_backslash():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("question_mark")
        await pilot.pause(0.2)
        text = str(app.screen.query_one("#help-text", Static).render())
        assert "[ and ] change a weight" in text and "\\" not in text
        lesson_rows, _ = help_rows(app)
        assert ("[ ]", "±0.1") in lesson_rows and ("w", "Pick") in lesson_rows


# --- 3. the command palette: every action of the lesson, by name, in the language -----------------


async def palette_matches(pilot, query: str) -> list[str]:  # noqa: ANN001 - a Pilot
    await pilot.press("ctrl+p")
    await pilot.pause(0.3)
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    await pilot.pause(0.6)
    found = pilot.app.screen.query_one(CommandList)
    return [str(found.get_option_at_index(i).prompt).split("\n")[0] for i in range(found.option_count)]


@pytest.mark.parametrize(("language", "query", "name"), [("en", "learn", "Learn one sample"), ("zh", "学习", "学习一个样本")])
async def test_the_palette_finds_lesson_1s_learn_step_and_enter_runs_it(language: str, query: str, name: str):
    app = NNTuiApp(start_lesson=1, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        lesson = app.screen
        before = lesson.state()
        found = await palette_matches(pilot, query)
        assert found and found[0].startswith(name), found
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.screen is lesson
        assert lesson.state() != before  # one learning step was taken
        assert lesson.lab.steps if hasattr(lesson, "lab") and hasattr(lesson.lab, "steps") else True


@pytest.mark.parametrize("item", all_lessons(), ids=lambda item: item.mode)
async def test_the_palette_lists_every_action_of_each_lesson(item: Lesson):
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson(pilot, item)
        actions = {
            active.binding.description
            for active in screen.active_bindings.values()
            if active.node is screen and active.enabled and active.binding.id
            and active.binding.action not in ("leave_field",) and not active.binding.action.startswith("app.")
        }
        await pilot.press("ctrl+p")
        await pilot.pause(0.4)
        listed = app.screen.query_one(CommandList)
        prompts = "\n".join(str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count))
        for binding in (a.binding for a in screen.active_bindings.values() if a.binding.description in actions):
            name = f"command.{binding.id}"
            expected = screen.t(name) if name in screen.TEXT else binding.description
            assert expected in prompts, f"{item.mode}: {expected!r} not in the palette"


def palette_naming_bindings(screen: LessonScreen) -> list[Binding]:
    """The lesson's bindings that may name a palette command (any key of an action; not Esc, a section's or the app's)."""
    return [
        binding
        for binding in type(screen).BINDINGS
        if binding.id and not binding.id.startswith("section_") and binding.action != "leave_field"
        and not binding.action.startswith("app.")
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "item",
    all_lessons(),
    ids=lambda item: item.mode,
)
async def test_every_palette_command_of_a_lesson_is_named_by_a_sentence_not_its_key_label(item: Lesson, language: str):
    # Was: lessons 2-7 listed "取", "5/10", "η", "×10", "h" — the footer's terse labels.
    app = NNTuiApp(language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson(pilot, item)
        naming = palette_naming_bindings(screen)
        # Every action, also one disabled now (Stop before a run), has its name in the catalogue.
        unnamed = [binding.id for binding in naming if f"command.{binding.id}" not in screen.TEXT]
        assert not unnamed, f"{item.mode}: no command.<id> for {unnamed}"
        # Keys of one action (Space, → and n in lesson 5) give it one name, whichever the palette meets first.
        by_action: dict[str, set[str]] = {}
        for binding in naming:
            by_action.setdefault(binding.action, set()).add(screen.t(f"command.{binding.id}"))
        assert all(len(names) == 1 for names in by_action.values()), f"{item.mode}: {by_action}"
        names = set().union(*by_action.values())
        section_prefix = COMMON.get("palette.section", language, name="")
        for section in screen.SECTIONS or (None,):
            if section is not None:
                await pilot.press(section.key)
                await pilot.pause(0.2)
            listed = [name for name, _, _ in LessonCommands(screen)._commands()]
            assert listed, f"{item.mode} {section}: no commands"
            # Each command the palette lists now is one of those names (or a section's "Section: …").
            terse = [name for name in listed if name not in names and not name.startswith(section_prefix)]
            assert not terse, f"{item.mode} {section}: named by key labels {terse}"


# --- 5. Textual's own strings in Chinese -------------------------------------------------------------


async def test_after_l_the_palette_and_its_system_commands_speak_chinese():
    app = NNTuiApp(start_lesson=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("l")
        await pilot.pause(0.5)
        assert "^p 命令" in footer_line(app)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert not TEXTUAL_COMMANDS & titles
        assert {"主题", "退出", "截图（SVG）"} <= titles
        await pilot.press("ctrl+p")
        await pilot.pause(0.4)
        assert app.screen.query_one(CommandInput).placeholder == "搜索命令…"
        listed = app.screen.query_one(CommandList)
        prompts = [str(listed.get_option_at_index(i).prompt).split("\n")[0] for i in range(listed.option_count)]
        assert not TEXTUAL_COMMANDS & set(prompts)
        await pilot.press(*"qqqzzz")
        await pilot.pause(0.8)
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert any("没有匹配的命令" in prompt for prompt in prompts), prompts


async def test_the_theme_palette_speaks_chinese():
    app = NNTuiApp(language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        app.search_themes()
        await pilot.pause(0.3)
        assert app.screen.query_one(CommandInput).placeholder == "搜索主题…"


# --- 4. q asks first when a lesson would lose work -------------------------------------------------


class Unsaved(LessonScreen):
    """A lesson with nothing but work to lose (so these tests do not wait for lesson 6)."""

    TEXT = COMMON.extend({"quit.unsaved": ("The trained network is not saved.", "训练好的网络尚未保存。")})
    lost: str | None = "quit.unsaved"

    def compose(self):  # noqa: ANN201 - Textual's ComposeResult
        yield Static("a lesson with unsaved work")

    def refresh_view(self) -> None:
        pass

    def unsaved_work(self) -> str | None:
        return self.lost


async def asked(pilot, key: str) -> QuitQuestion:  # noqa: ANN001 - a Pilot
    await pilot.press(key)
    await pilot.pause(0.2)
    question = pilot.app.screen
    assert isinstance(question, QuitQuestion), question
    return question


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
@pytest.mark.parametrize("confirm", ["q", "y", "ctrl+q"])
async def test_q_with_unsaved_work_asks_and_one_key_quits(key: str, confirm: str):
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(Unsaved())
        question = await asked(pilot, key)
        text = " ".join(str(widget.render()) for widget in question.query(Static))
        assert "The trained network is not saved." in text and "Press q or y" in text
        await pilot.press(confirm)
        await pilot.pause(0.2)
    assert app.return_code == 0


@pytest.mark.parametrize("other", ["x", "n", "escape", "tab", "enter", "1", "question_mark"])
async def test_any_other_key_goes_back_to_the_lesson(other: str):
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lesson = Unsaved()
        await app.push_screen(lesson)
        await asked(pilot, "q")
        await pilot.press(other)
        await pilot.pause(0.2)
        assert app.is_running and app.screen is lesson
        await asked(pilot, "q")  # and asks again next time


async def test_the_question_is_in_chinese_after_l():
    app = NNTuiApp(language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(Unsaved())
        question = await asked(pilot, "q")
        text = " ".join(str(widget.render()) for widget in question.query(Static))
        assert "训练好的网络尚未保存。" in text and "按 q 或 y 仍然退出" in text


async def test_a_lesson_left_for_another_mode_is_asked_too():
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.add_mode("unsaved", Unsaved)
        await app.switch_mode("unsaved")
        await pilot.pause()
        await app.switch_mode("home")
        await pilot.pause()
        await asked(pilot, "q")


async def test_nothing_to_lose_quits_at_once():
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        lesson = Unsaved()
        lesson.lost = None
        await app.push_screen(lesson)
        await pilot.press("q")
        await pilot.pause(0.2)
    assert app.return_code == 0


async def test_lesson_6_asks_while_training_runs_and_for_a_network_not_saved():
    from nn_tui.tui.lessons.training.screen import TrainingScreen

    from tests.helpers import paste_into
    from tests.tui.training_helpers import data_ready, training_app

    if TrainingScreen.unsaved_work is LessonScreen.unsaved_work:
        pytest.skip("lesson 6 does not say yet what quitting would lose")
    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        lesson = await data_ready(pilot)
        assert lesson.unsaved_work() is None
        await pilot.press("q")  # nothing trained yet: q quits at once
        await pilot.pause(0.2)
    assert app.return_code == 0

    app = training_app()
    async with app.run_test(size=(80, 24)) as pilot:
        lesson = await data_ready(pilot)
        await paste_into(pilot, "epochs", "1")
        await pilot.press("s")
        await wait_until(pilot, lambda: lesson.unsaved_work() is not None)
        question = await asked(pilot, "q")
        text = " ".join(str(widget.render()) for widget in question.query(Static))
        # Running, or (a one-epoch run on the subset is quick) finished and not saved.
        assert lesson.t("quit.training") in text or lesson.t("quit.unsaved") in text
        await pilot.press("x")  # x also stops training on the lesson: here it only goes back
        await pilot.pause(0.2)
        assert app.screen is lesson and app.is_running
        await wait_until(pilot, lambda: not lesson.busy, timeout=30)
        question = await asked(pilot, "q")
        assert lesson.t("quit.unsaved") in " ".join(str(widget.render()) for widget in question.query(Static))
        await pilot.press("y")
        await pilot.pause(0.2)
    assert app.return_code == 0
