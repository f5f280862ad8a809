"""Teacher mode driven through the real app: Enter walks a script, Backspace rebuilds the previous step."""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, Static

from nn_tui.tui.teacher.script import LESSONS, shipped_script
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.cli import build_parser
from nn_tui.tui.lessons import lesson, number_range
from nn_tui.tui.help import HelpScreen
from nn_tui.tui.teacher.controller import shown_text
from nn_tui.tui.teacher.fold import fold
from nn_tui.tui.teacher.panel import TeacherPanel


def panel_text(app: NNTuiApp, widget_id: str) -> str:
    return str(app.screen.query_one(TeacherPanel).query_one(f"#{widget_id}", Static).content)


def unwrapped(text: str) -> str:
    """`text` without its line breaks and spaces (the panel folds lines to its width)."""
    return "".join(text.split())


def notifications(app: NNTuiApp) -> list[str]:
    return [n.message for n in app._notifications]


async def started(pilot) -> NNTuiApp:
    app = pilot.app
    app.teacher.key_delay = 0  # no pauses between keys in tests
    await pilot.pause()
    await app.teacher.wait()
    await pilot.pause()
    return app


async def press_and_wait(pilot, key: str) -> None:
    await pilot.press(key)
    await pilot.app.teacher.wait()
    await pilot.pause()


def missing_expectations(app: NNTuiApp) -> list[str]:
    """The script's own `expect` texts the lesson does not show now."""
    step = app.teacher.script.steps[app.teacher.index]
    missing = []
    for widget_id, texts in step.expect.items():
        shown = shown_text(app.screen, widget_id)
        missing += [f"step {app.teacher.index + 1}: #{widget_id} lacks {text!r}" for text in texts if text not in shown]
    return missing


# What each step of lesson1.json must leave on screen, written out independently of the
# script's own `expect` (the book's numbers): widget id -> text it shows.
LESSON_1 = [
    {"p-formula": "= -0.70 ≤ 0  →  y = 0", "w1": "0.5", "b": "-0.7"},
    {"p-formula": "= -0.20 ≤ 0  →  y = 0"},
    {"p-formula": "= 0.30 > 0  →  y = 1"},
    {"p-table": "Truth table · AND · all 4 right"},
    {"w1": "-0.5", "w2": "-0.5", "b": "0.7", "p-formula": "= -0.30 ≤ 0  →  y = 0"},
    {"w1": "0.5", "b": "-0.2", "p-formula": "= 0.80 > 0  →  y = 1"},
    {"p-table": "Truth table · XOR · 1 wrong ✗"},
    {"b": "-1.2", "p-table": "Truth table · XOR · 2 wrong ✗"},
    {"p-diagram": "y = AND(s1, s2),  s1 = NAND(x1, x2),  s2 = OR(x1, x2)"},
    {"p-xor-table": "▶  1  0 │  1  1 │ 1"},
    {"p-learn": "Step 1 · sample (0, 0): sum -0.92 → y = 0, target t = 0: right, no change"},
    {"p-learn": "Converged after 5 epochs (19 steps): 4 samples in a row with no error."},
    {"p-learn": "XOR is not linearly separable: the rule will never converge."},
]


def assert_lesson_1_step(app: NNTuiApp, number: int) -> None:
    assert app.teacher.index == number - 1
    assert app.teacher.last_error is None
    for widget_id, text in LESSON_1[number - 1].items():
        assert text in shown_text(app.screen, widget_id), (number, widget_id)
    step = app.teacher.script.steps[number - 1]
    assert panel_text(app, "teach-head").startswith(f"Step {number} / 13  ▸ {step.title.en}")
    assert unwrapped(panel_text(app, "teach-text")) == unwrapped(step.text.en)
    assert missing_expectations(app) == []


async def test_enter_walks_lesson_1_and_backspace_returns_to_the_previous_state():
    app = NNTuiApp(teach=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert app.current_mode == "perceptron"
        assert_lesson_1_step(app, 1)
        assert panel_text(app, "teach-keys") == ""
        for number in range(2, 14):
            await press_and_wait(pilot, "enter")
            assert_lesson_1_step(app, number)
            if number == 3:
                # back to step 2: the document recorded there is restored (x1 = 1, x2 = 0 again)
                first_screen = app.screen
                await press_and_wait(pilot, "backspace")
                assert app.screen is first_screen
                assert_lesson_1_step(app, 2)
                await press_and_wait(pilot, "enter")
                assert_lesson_1_step(app, 3)
        assert panel_text(app, "teach-keys") == "keys: g n ×12"
        await press_and_wait(pilot, "enter")  # there is no step 14
        assert_lesson_1_step(app, 13)
        assert "That was the last step. Backspace goes back, Ctrl+T ends teaching." in notifications(app)
        await press_and_wait(pilot, "backspace")
        assert_lesson_1_step(app, 12)
        assert "Truth table · OR · all 4 right" in shown_text(app.screen, "p-table")


async def test_backspace_on_the_first_step_changes_nothing():
    app = NNTuiApp(teach=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        screen = app.screen
        await press_and_wait(pilot, "backspace")
        assert app.screen is screen
        assert_lesson_1_step(app, 1)
        assert "This is the first step." in notifications(app)


@pytest.mark.parametrize("number", [n for n in LESSONS if n != 1])
async def test_every_shipped_script_walks_end_to_end(number):
    """A lesson whose keys or texts change under a script fails here (lesson 1: walked by keys above)."""
    script = shipped_script(number)
    app = NNTuiApp(teach=number)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        for index in range(len(script)):
            if index:
                app.teacher.next()
                await app.teacher.wait()
                await pilot.pause()
            assert app.teacher.index == index
            assert app.teacher.last_error is None
            assert app.screen is app.teacher.screen
            assert missing_expectations(app) == []
        assert unwrapped(panel_text(app, "teach-text")) == unwrapped(script.steps[-1].text.en)


async def test_a_broken_script_shows_the_message_and_does_not_start(tmp_path):
    bad = tmp_path / "lesson3.json"
    step = {"title": {"en": "One", "zh": "一"}, "text": {"en": "Only English."}}
    bad.write_text(json.dumps({"lesson": 3, "title": {"en": "L", "zh": "课"}, "steps": [{"title": step["title"]}, step]}))
    app = NNTuiApp(teach=str(bad))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.teacher.teaching
        assert app.current_mode == "home"
        assert not app.screen.query(TeacherPanel)
        assert notifications(app) == ["Cannot teach: lesson3.json, step 1: missing 'text'"]
        step["text"]["zh"] = ""
        bad.write_text(json.dumps({"lesson": 3, "title": {"en": "L", "zh": "课"}, "steps": [step]}))
        assert not app.teacher.start(str(bad))
        await pilot.pause()
        assert notifications(app)[-1] == "Cannot teach: lesson3.json, step 1: 'text' needs both 'en' and 'zh' (non-empty texts)"
        await press_and_wait(pilot, "enter")  # Enter is not the teacher's when not teaching
        assert not app.teacher.teaching


async def test_a_message_with_brackets_is_shown_as_written(tmp_path):
    bad = tmp_path / "lesson2.json"
    steps = [{"title": {"en": "T", "zh": "题"}, "text": {"en": "x", "zh": "文"}, "keys": "[b]"}]
    bad.write_text(json.dumps({"lesson": 2, "title": {"en": "L", "zh": "课"}, "steps": steps}))
    app = NNTuiApp(teach=str(bad))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert notifications(app) == [
            "Cannot teach: lesson2.json, step 1: 'keys' must be a list of key names (strings), e.g. [\"a\", \"space\"]"
        ]


async def test_a_step_typing_into_a_missing_field_is_reported(tmp_path):
    mine = tmp_path / "mine.json"
    steps = [{"title": {"en": "T", "zh": "题"}, "text": {"en": "x", "zh": "文"}, "type": {"field": "w9", "value": "1"}}]
    mine.write_text(json.dumps({"lesson": 1, "title": {"en": "L", "zh": "课"}, "steps": steps}))
    app = NNTuiApp(teach=str(mine))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert app.teacher.last_error == "step 1: no field 'w9' on this screen"
        assert "Step 1 could not be done: no field 'w9' on this screen" in notifications(app)
        assert shown_text(app.screen, "w1") == "0.5"


async def test_leaving_the_lesson_during_a_step_stops_the_step_not_the_app(tmp_path):
    mine = tmp_path / "mine.json"
    texts = {"title": {"en": "T", "zh": "题"}, "text": {"en": "x", "zh": "文"}}
    mine.write_text(json.dumps({"lesson": 1, "title": texts["title"], "steps": [texts, {**texts, "keys": ["a*40"]}]}))
    app = NNTuiApp(teach=str(mine))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.teacher.key_delay = 0.05
        await pilot.press("enter", "h")  # home, while the step is still pressing a
        await app.teacher.wait()
        await pilot.pause()
        assert app.current_mode == "home"
        assert app.teacher.last_error == "step 2: the lesson left the screen before the step was done"
        assert not app.teacher.busy


async def test_ctrl_t_during_a_step_stops_it_quietly():
    app = NNTuiApp(teach=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        for _ in range(11):  # to step 12, which presses n 18 times
            app.teacher.next()
            await app.teacher.wait()
        app.teacher.key_delay = 0.05
        await pilot.press("enter", "ctrl+t")
        await pilot.pause()
        assert app.teacher.worker.is_cancelled
        assert not app.teacher.teaching and not app.teacher.busy
        assert not app.screen.query(TeacherPanel)
        assert app.teacher.last_error is None


async def test_the_panel_follows_the_language_switch():
    app = NNTuiApp(teach=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await press_and_wait(pilot, "enter")
        await press_and_wait(pilot, "l")
        step = app.teacher.script.steps[1]
        assert panel_text(app, "teach-head").startswith("第 2 / 13 步  ▸ 输入 (1, 0)")
        assert unwrapped(panel_text(app, "teach-text")) == unwrapped(step.text.zh)
        # Chinese breaks between characters, so the four lines are used to the edge
        lines = panel_text(app, "teach-text").splitlines()
        assert len(lines) == 2 and cell_len(lines[0]) >= 74
        assert panel_text(app, "teach-keys") == "按键：a"
        # the lesson recomposed in Chinese and kept its state under the panel
        assert "= -0.20 ≤ 0  →  y = 0" in shown_text(app.screen, "p-formula")
        await press_and_wait(pilot, "enter")
        assert app.teacher.index == 2
        assert unwrapped(panel_text(app, "teach-text")) == unwrapped(app.teacher.script.steps[2].text.zh)


async def test_enter_in_a_field_is_the_fields_and_the_lesson_keys_still_work():
    app = NNTuiApp(teach=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("tab")
        assert app.screen.focused.id == "w1"
        await pilot.press("backspace", "backspace", "backspace", "0", ".", "3", "enter")
        await pilot.pause()
        assert app.teacher.index == 0  # neither Backspace nor Enter moved the script
        assert shown_text(app.screen, "w1") == "0.3"
        await press_and_wait(pilot, "escape")
        await press_and_wait(pilot, "a")  # touch the lesson by hand between steps
        assert "x1 = 1" in shown_text(app.screen, "p-formula")
        await press_and_wait(pilot, "enter")
        assert app.teacher.index == 1


async def test_help_lists_the_teacher_keys_and_enter_there_does_not_move_the_script():
    app = NNTuiApp(teach=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await press_and_wait(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        actions = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert {"Next step", "Previous step", "Teacher panel size", "Teach (start/stop)"} <= set(actions)
        await press_and_wait(pilot, "enter")
        await press_and_wait(pilot, "escape")
        assert app.teacher.index == 0
        await press_and_wait(pilot, "enter")
        assert app.teacher.index == 1


def test_fold_breaks_english_at_spaces_and_chinese_anywhere_but_before_punctuation():
    assert fold("one two three four", 9) == "one two\nthree\nfour"
    assert fold("一二三四五六，七八", 6) == "一二三\n四五\n六，七\n八"  # "，" stays with "六"
    assert fold("按 a：x1 = 1。加权和", 12) == "按 a：x1 =\n1。加权和"
    assert fold("a\nb", 0) == "a\nb"


async def test_ctrl_t_starts_and_stops_teaching_the_current_lesson():
    app = NNTuiApp(start_lesson=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press_and_wait(pilot, "ctrl+t")
        assert app.teacher.teaching and app.teacher.script.lesson == 4
        assert app.screen.query_one(TeacherPanel)
        assert app.check_action("teach_next", ()) is True
        await press_and_wait(pilot, "ctrl+t")
        assert not app.teacher.teaching
        assert not app.screen.query(TeacherPanel)
        assert "Teaching stopped; the lesson stays as it is." in notifications(app)
        assert app.check_action("teach_next", ()) is False
        await press_and_wait(pilot, "h")
        await press_and_wait(pilot, "ctrl+t")
        assert not app.teacher.teaching
        lessons = number_range()
        assert notifications(app)[-1] == f"Open a lesson ({lessons}) first, then press Ctrl+T; or Ctrl+P → Teach lesson N."


async def test_f6_cycles_the_panel_size():
    app = NNTuiApp(teach=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        panel = app.screen.query_one(TeacherPanel)
        heights = [panel.outer_size.height]
        for _ in range(3):
            await press_and_wait(pilot, "f6")
            heights.append(panel.outer_size.height)
        assert app.teacher.size == "normal"
        # normal (title + 4 lines), large (half of the 22 rows above the footer), mini (the title row), normal again
        assert heights == [5, 11, 1, 5]


async def test_the_palette_offers_teach_lesson_n():
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Teach lesson 1: Perceptron & logic gates" in titles
        assert "Teach lesson 7: Playground: 2-D classification" in titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title.startswith("Teach lesson 2"))
        app.teacher.key_delay = 0
        command.callback()
        await app.teacher.wait()
        await pilot.pause()
        assert app.current_mode == "activations" and app.teacher.index == 0


def test_teacher_panel_at_80x24_on_lesson_1_step_2(snap_compare):
    async def second_step(pilot):
        pilot.app.teacher.key_delay = 0
        await pilot.app.teacher.wait()
        await press_and_wait(pilot, "enter")

    assert snap_compare(NNTuiApp(teach=1), terminal_size=(80, 24), run_before=second_step)


def test_cli_teach_takes_a_lesson_or_a_script_file():
    parser = build_parser()
    assert parser.parse_args(["--teach", "3"]).teach == 3
    assert parser.parse_args(["--teach", "my-lesson3.json"]).teach == "my-lesson3.json"
    assert parser.parse_args([]).teach is None
    with pytest.raises(SystemExit):
        parser.parse_args(["--teach", "9"])
