"""The app shell: home screen, lesson keys, language switch, help, palette."""

from __future__ import annotations

from textual.widgets import OptionList

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.help import HelpScreen
from nn_tui.tui.home import HomeScreen
from nn_tui.tui.lessons import all_lessons


def footer_labels(app: NNTuiApp) -> set[str]:
    return {active.binding.description for active in app.screen.active_bindings.values()}


async def test_home_lists_every_lesson_in_order():
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)):
        assert isinstance(app.screen, HomeScreen)
        options = app.screen.query_one(OptionList)
        assert options.option_count == len(all_lessons()) >= 7
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == [item.mode for item in all_lessons()]
        assert "Perceptron" in str(options.get_option_at_index(0).prompt)


async def test_each_lessons_key_opens_it_and_h_goes_home():
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        for item in all_lessons():
            await pilot.press(item.key)
            await pilot.pause()
            assert app.current_mode == item.mode
            await pilot.press("h")
            assert app.current_mode == "home"


async def test_language_switch_translates_title_footer_and_lessons():
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Home" in footer_labels(app)
        await pilot.press("l")
        await pilot.pause()
        assert app.language == "zh"
        assert app.sub_title == "看见神经网络如何学习"
        assert {"首页", "帮助", "退出", "English"} <= footer_labels(app)
        options = app.screen.query_one(OptionList)
        assert "感知机与逻辑门" in str(options.get_option_at_index(0).prompt)
        await pilot.press("l")
        await pilot.pause()
        assert app.language == "en" and "Home" in footer_labels(app)


async def test_language_switch_keeps_the_highlighted_lesson():
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down")
        assert app.screen.query_one(OptionList).highlighted == 2
        await pilot.press("l")
        await pilot.pause()
        assert app.screen.query_one(OptionList).highlighted == 2


async def test_help_opens_and_closes_with_question_mark_and_escape():
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_command_palette_lists_every_lesson_and_the_language_switch():
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for item in all_lessons():
            assert any(f"lesson {item.number}: {item.title_en}" in t for t in titles)
        assert any("简体中文" in t for t in titles)


async def test_start_lesson_option_on_an_unbuilt_lesson_stays_home():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.current_mode in {"home", "playground"}


async def test_q_quits():
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_a_too_small_terminal_shows_a_plain_notice_and_recovers():
    from nn_tui.tui.too_small import TooSmallScreen

    app = NNTuiApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        text = str(app.screen.query_one("#too-small-text").content)
        assert "80×24" in text and "40×12" in text
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_projector_theme_is_black_on_white():
    app = NNTuiApp(theme="projector")
    async with app.run_test(size=(80, 24)):
        assert app.theme == "nn-tui-projector"
        assert app.current_theme.background == "#ffffff" and not app.current_theme.dark


async def test_actions_wait_while_a_lesson_is_rebuilt_for_a_new_language():
    app = NNTuiApp(start_lesson=all_lessons()[0].number)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.check_action("home", ()) is True or screen.check_action("home", ()) is None
        screen.rebuilding = True
        assert screen.check_action("anything", ()) is False
        screen.rebuilding = False


async def test_enter_on_the_home_list_opens_the_highlighted_lesson():
    app = NNTuiApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.current_mode == all_lessons()[1].mode


async def test_f12_saves_an_svg_handout_in_the_chosen_folder(tmp_path):
    folder = tmp_path / "handouts"
    app = NNTuiApp(screenshots=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        await pilot.pause()
    svgs = list(folder.glob("*.svg"))
    assert len(svgs) == 1 and "Perceptron" in svgs[0].read_text()
    assert any("Saved" in n.message and str(folder) in n.message for n in app._notifications)


async def test_a_screenshot_folder_that_cannot_be_made_gives_a_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    app = NNTuiApp(screenshots=blocker / "sub")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        assert app.is_running
    assert any("Could not save a screenshot" in n.message for n in app._notifications)


async def test_a_lesson_switched_to_another_language_while_hidden_is_rebuilt_when_shown():
    app = NNTuiApp(start_lesson=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lesson_screen = app.screen
        await pilot.press("h", "l")
        await pilot.pause()
        assert lesson_screen.language_pending
        await pilot.press("4")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is lesson_screen and not lesson_screen.language_pending
        labels = {active.binding.description for active in app.screen.active_bindings.values()}
        assert "首页" in labels


async def test_help_shows_keys_and_labels_with_brackets_as_plain_text():
    """Was: MarkupError -- the help table read a key shown as "[/]" as a closing markup tag."""
    from textual.binding import Binding
    from textual.widgets import DataTable

    class BracketApp(NNTuiApp):
        # An id: listed in help as one of nn-tui's own keys.
        BINDINGS = [Binding("left_square_bracket", "bell", "Less [b]or[/b] more", key_display="[/]", id="bracket")]

    BracketApp.__module__ = NNTuiApp.__module__  # finds app.tcss beside the app
    app = BracketApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        rows = [
            [str(cell) for cell in table.get_row_at(i)]
            for table in app.screen.query(DataTable)
            for i in range(table.row_count)
        ]
        app.export_screenshot()
        assert ["[/]", "Less [b]or[/b] more"] in rows
    assert app._exception is None
