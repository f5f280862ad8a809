"""Lesson 2 driven by keys through the real app: what the screen shows is the book's numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path

from textual.widgets import Input, Static

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.help import HelpScreen
from nn_tui.tui.lessons.activations.screen import ActivationsScreen
from nn_tui.tui.lessons.activations.text import TEXT
from nn_tui.tui.widgets.chart import Chart
from nn_tui.tui.widgets.number_input import NumberInput
from nn_tui.tui.widgets.prob_bars import ProbBars
from nn_tui.tui.widgets.section_bar import SectionBar
from tests.helpers import notifications, type_into

LESSON = 2


def shown(app: NNTuiApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def bar_texts(app: NNTuiApp, selector: str) -> list[str]:
    return [row.text for row in app.screen.query_one(selector, ProbBars).rows]


async def test_the_lesson_opens_on_sigmoid_at_zero():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ActivationsScreen)
        assert shown(app, "#reading") == "h(x)  = 0.5\nh'(x) = 0.25"
        assert shown(app, "#formula") == "h(x) = 1 / (1 + exp(−x))"
        assert app.screen.query_one("#cursor-input", NumberInput).value == "0"
        assert app.focused is None  # letters drive the lesson, they are not typed into a field


async def test_relu_at_minus_one_is_zero_with_slope_zero():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", *["left"] * 5)
        assert app.screen.lab.plot.name == "relu"
        assert app.screen.query_one("#cursor-input", NumberInput).value == "-1"
        assert shown(app, "#reading") == "h(x)  = 0\nh'(x) = 0"
        assert shown(app, "#formula") == "h(x) = max(0, x)"
        await pilot.press(*["right"] * 5)
        assert shown(app, "#reading").endswith("(h'(0) does not exist: a jump or corner; the code uses 0)")
        await pilot.press(*["right"] * 5)
        assert shown(app, "#reading") == "h(x)  = 1\nh'(x) = 1"


async def test_step_with_its_derivative_says_why_it_cannot_learn():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("up")
        assert "Press d" in shown(app, "#note")
        await pilot.press("d")
        note = shown(app, "#note")
        assert "is 0 everywhere except x = 0" in note and "cannot learn" in note
        await pilot.press("down")  # sigmoid, derivative still drawn
        note = shown(app, "#note")
        assert "never 0" in note and "0.0025 at x = -6" in note


async def test_typed_x_shows_the_sigmoid_and_its_slope_there():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        assert app.focused is app.screen.query_one("#cursor-input")
        await type_into(pilot, "#cursor-input", "2")
        # sigmoid(2) = 0.8807970779778823, sigmoid'(2) = 0.10499358540350662
        assert shown(app, "#reading") == "h(x)  = 0.88079708\nh'(x) = 0.10499359"
        assert app.focused is None  # Enter hands the keys back to the lesson
        await pilot.press("right")
        assert shown(app, "#reading") == "h(x)  = 0.90024951\nh'(x) = 0.089800329"  # x = 2.2
        await pilot.press("tab")
        assert app.focused is not None
        await pilot.press("escape")
        assert app.focused is None


async def test_bad_typed_values_leave_the_plot_unchanged():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "#cursor-input", "9")  # outside [-6, 6]
        await type_into(pilot, "#xmin-input", "7")  # above xmax
        await type_into(pilot, "#xmax-input", "nan")
        plot = app.screen.lab.plot
        assert (plot.xmin, plot.xmax, plot.cursor) == (-6.0, 6.0, 0.0)
        fields = ("xmin-input", "xmax-input", "cursor-input")
        assert [app.screen.query_one(f"#{i}", NumberInput).value for i in fields] == ["-6", "6", "0"]
        assert any("x from (7) must be smaller than x to (6)" in m for m in notifications(app))
        assert shown(app, "#reading") == "h(x)  = 0.5\nh'(x) = 0.25"


async def test_zoom_keys_and_the_edge_of_the_range():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus")
        assert app.screen.query_one("#xmin-input", NumberInput).value == "-3"
        assert app.screen.query_one("#xmax-input", NumberInput).value == "3"
        await pilot.press(*["shift+right"] * 4)
        assert app.screen.lab.plot.cursor == 3.0
        await pilot.press("right")
        assert app.screen.lab.plot.cursor == 3.0
        assert any("right end of the range" in m for m in notifications(app))
        await pilot.press("minus")
        assert (app.screen.lab.plot.xmin, app.screen.lab.plot.xmax) == (-9.0, 3.0)


async def test_three_linear_layers_collapse_to_one_for_the_typed_c_and_x():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        assert shown(app, "#stack") == "3 layers: 6 → 12 → 24\nc·c·c·x = 2·2·2·3 = 24\n= one layer a·x with a = 8"
        await type_into(pilot, "#stack-c", "-1.5")
        await type_into(pilot, "#stack-x", "2")
        assert shown(app, "#stack") == (
            "3 layers: -3 → 4.5 → -6.75\nc·c·c·x = -1.5·-1.5·-1.5·2 = -6.75\n= one layer a·x with a = -3.375"
        )
        await type_into(pilot, "#stack-c", "11")
        assert any("c of the linear layers: must be at most 10" in m for m in notifications(app))
        assert app.screen.lab.linear_c == -1.5 and "a = -3.375" in shown(app, "#stack")


async def test_softmax_of_the_book_scores():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        assert app.screen.query_one("#softmax-pane").display
        assert not app.screen.query_one("#functions-pane").display
        assert bar_texts(app, "#stable-bars") == ["0.01821127", "0.24519181", "0.73659691"]
        assert bar_texts(app, "#naive-bars") == ["0.01821127", "0.24519181", "0.73659691"]
        rendered = str(app.screen.query_one("#stable-bars", ProbBars).render())
        assert "a1 = 0.3" in rendered and rendered.splitlines()[2].endswith("0.73659691")
        assert shown(app, "#stable-sum") == "sum = 1"
        assert shown(app, "#shifted") == "a − max a = [-3.7, -1.1, 0]"
        await pilot.press("s")
        assert app.screen.query_one("#functions-pane").display


async def test_overflow_scores_break_the_naive_softmax_only():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")  # also switches to the softmax pane
        assert app.screen.query_one("#softmax-pane").display
        assert app.screen.query_one("#scores-input", Input).value == "1010, 1000, 990"
        assert bar_texts(app, "#naive-bars") == ["nan", "nan", "nan"]
        assert shown(app, "#naive-exp") == "Σ exp(a) = inf"
        assert shown(app, "#naive-sum") == "sum = nan"
        assert "overflowed to inf" in shown(app, "#softmax-note")
        assert bar_texts(app, "#stable-bars") == ["9.99954600e-01", "4.53978686e-05", "2.06106005e-09"]
        assert shown(app, "#shifted") == "a − max a = [0, -10, -20]"
        await pilot.press("b")
        assert bar_texts(app, "#naive-bars") == ["0.01821127", "0.24519181", "0.73659691"]


async def test_typed_scores_are_applied_and_digits_do_not_switch_lessons():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        assert app.focused is app.screen.query_one("#scores-input")
        await type_into(pilot, "#scores-input", "1010 1000 990")
        assert app.current_mode == "activations"
        assert app.screen.lab.softmax.scores == (1010.0, 1000.0, 990.0)
        assert bar_texts(app, "#naive-bars") == ["nan", "nan", "nan"]


async def test_bad_score_text_leaves_the_old_scores():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        for text in ("1, abc", "5", "1e999 2", "1 2 3 4 5 6 7 8 9 10 11"):
            await type_into(pilot, "#scores-input", text)
            assert app.screen.lab.softmax.scores == (0.3, 2.9, 4.0)
            assert app.screen.query_one("#scores-input", Input).value == "0.3, 2.9, 4"
            assert bar_texts(app, "#stable-bars") == ["0.01821127", "0.24519181", "0.73659691"]
        shown_messages = notifications(app)
        assert any("'abc' is not a number" in m for m in shown_messages)
        assert any("Give 2 to 10 scores (got 1)" in m for m in shown_messages)
        assert any("'1e999' is not a finite number" in m for m in shown_messages)


def section_keys(screen) -> set[str]:
    return {a.binding.key for a in screen.active_bindings.values() if a.binding.action.startswith("section")}


def lit_sections(bar: SectionBar) -> list[str]:
    text = bar.content
    return ["".join(text.plain[span.start : span.end]) for span in text.spans if "reverse" in str(span.style)]


async def test_wide_terminal_shows_plot_and_softmax_together_and_only_the_network_key():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#softmax-pane").display and screen.query_one("#functions-pane").display
        assert not screen.query_one("#network-pane").display
        assert screen.query_one("#softmax-pane").region.height >= 14
        assert section_keys(screen) == {"n"}  # f and s are both open
        assert lit_sections(screen.query_one(SectionBar)) == [" f Activations ", " s Softmax "]
        await pilot.press("n")
        await pilot.pause()
        assert screen.query_one("#network-pane").display and not screen.query_one("#functions-pane").display
        assert section_keys(screen) == {"f", "s", "n"}
        assert lit_sections(screen.query_one(SectionBar)) == [" n Network "]
        await pilot.press("s")
        await pilot.pause()
        assert screen.query_one("#softmax-pane").display and screen.query_one("#functions-pane").display


async def test_growing_the_terminal_opens_both_sections_and_shrinking_it_keeps_the_open_one():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        screen = app.screen
        assert section_keys(screen) == {"f", "s", "n"}
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert screen.query_one("#functions-pane").display and screen.query_one("#softmax-pane").display
        assert section_keys(screen) == {"n"}
        assert lit_sections(screen.query_one(SectionBar)) == [" f Activations ", " s Softmax "]
        await pilot.press("s")  # nothing to switch
        assert screen.section == "softmax"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert section_keys(screen) == {"f", "s", "n"} and screen.query_one(SectionBar).display
        assert lit_sections(screen.query_one(SectionBar)) == [" s Softmax "]
        assert screen.query_one("#softmax-pane").display and not screen.query_one("#functions-pane").display


async def test_language_switch_keeps_the_state_and_translates():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("up", "d", "left", "o")
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert (screen.lab.plot.name, screen.lab.plot.cursor, screen.lab.plot.show_derivative) == ("step", -0.2, True)
        assert screen.query_one("#scores-input", Input).value == "1010, 1000, 990"
        assert "溢出" in shown(app, "#softmax-note")
        await pilot.press("s")
        assert "阶跃函数的导数" in shown(app, "#note")
        assert screen.query_one("#cursor-input", NumberInput).value == "-0.2"


async def test_help_explains_the_lesson():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "cannot learn" in str(app.screen.query_one("#help-text", Static).content)


async def test_the_section_bar_shows_the_open_section_and_s_switches_back_and_forth():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(SectionBar)

        def open_section() -> str:
            text = bar.content
            return "".join(text.plain[span.start : span.end] for span in text.spans if "reverse" in str(span.style))

        assert str(bar.content).split() == ["f", "Activations", "s", "Softmax", "n", "Network"]
        assert open_section() == " f Activations "
        await pilot.press("s")
        assert (app.screen.section, open_section()) == ("softmax", " s Softmax ")
        assert app.screen.query_one("#softmax-pane").display and not app.screen.query_one("#functions-pane").display
        await pilot.press("s")
        assert (app.screen.section, open_section()) == ("functions", " f Activations ")
        await pilot.press("e")  # editing the scores opens their section
        assert app.screen.section == "softmax" and app.focused is app.screen.query_one("#scores-input")
        await pilot.press("escape", "f")
        assert (app.screen.section, open_section()) == ("functions", " f Activations ")
        await pilot.press("f")  # f on its own section stays there
        assert app.screen.section == "functions"


async def test_the_plot_draws_the_function_its_derivative_and_the_cursor():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chart = app.screen.query_one("#plot", Chart)
        assert list(chart.series) == ["h(x)", "h(x) here"]
        assert chart.series["h(x) here"].x == [0.0] and chart.series["h(x) here"].y == [0.5]
        assert chart.legend().plain.endswith("h(x)")
        await pilot.press("d", "right")
        assert list(chart.series) == ["h(x)", "h'(x)", "h(x) here", "h'(x) here"]
        assert chart.series["h'(x) here"].y == [app.screen.lab.plot.reading().slope]
        assert "h'(x)" in chart.legend().plain
        assert chart.limits[0] == (-6.0, 6.0)
        await pilot.pause()
        assert [tick.label for tick in chart.ticks[1]][0] == "0"


def screen_texts(app: NNTuiApp) -> list[str]:
    """Every text the lesson shows: its static texts, fields and bars."""
    screen = app.screen
    return (
        [str(w.render()) for w in screen.query(Static)]
        + [w.value for w in screen.query(Input)]
        + [row.text for bars in screen.query(ProbBars) for row in bars.rows]
    )


async def change_everything(pilot) -> None:  # noqa: ANN001
    await pilot.press("down", "down", "d", "plus")  # leaky ReLU, h' drawn, zoomed in
    await type_into(pilot, "#cursor-input", "-0.7")
    await type_into(pilot, "#alpha-input", "0.2")
    await type_into(pilot, "#xmax-input", "2.5")
    await type_into(pilot, "#stack-c", "-1.5")
    await type_into(pilot, "#stack-x", "0.5")
    await type_into(pilot, "#scores-input", "1010 1000 990 2")
    await pilot.press("s")


async def test_the_state_document_brings_back_what_the_student_set():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await change_everything(pilot)
        state = app.screen.state()
        assert state == {
            "function": "leaky_relu", "derivative": True, "xmin": -3.0, "xmax": 2.5, "x": -0.7, "alpha": 0.2,
            "linear_c": -1.5, "linear_x": 0.5, "scores": [1010.0, 1000.0, 990.0, 2.0], "digit": 0,
            "section": "softmax",
        }
        document = json.loads(json.dumps(app.screen.document()))
        texts = screen_texts(app)
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.open_document(document)
        await pilot.pause()
        assert app.screen.state() == state
        assert screen_texts(app) == texts
        assert app.screen.query_one("#scores-input", Input).value == "1010, 1000, 990, 2"
        assert app.screen.query_one("#cursor-input", NumberInput).number == -0.7
        assert app.screen.query_one("#softmax-pane").display and not app.screen.query_one("#functions-pane").display


async def test_a_bad_document_is_refused_with_a_message_and_changes_nothing():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await change_everything(pilot)
        good = app.screen.document()
        before, texts = app.screen.state(), screen_texts(app)
        bad_states = [
            {**good["state"], "x": "abc"},
            {key: value for key, value in good["state"].items() if key != "scores"},
            {**good["state"], "xmin": 2.6},  # above xmax
            {**good["state"], "x": 3.0},  # outside the range
            {**good["state"], "section": "losses"},
            {**good["state"], "scores": [1.0]},
        ]
        for state in bad_states:
            assert not app.screen.open_document({**good, "state": state})
            await pilot.pause()
            assert app.screen.state() == before and screen_texts(app) == texts
        said = notifications(app)[-len(bad_states) :]
        assert said == [
            "The saved state's state.x is 'abc', not a number; nothing was changed.",
            "The saved state lacks state.scores; nothing was changed.",
            "x from (2.6) must be smaller than x to (2.5).",
            "x = 3 is outside the plotted range [-3, 2.5].",
            "The saved state's state.section is 'losses'; it must be one of functions, softmax, network. "
            "Nothing was changed.",
            "The saved state's state.scores has 1 items, not 2-10; nothing was changed.",
        ]


def test_every_refusal_of_the_lab_has_a_sentence_in_both_languages():
    source = (Path(__file__).parents[2] / "core" / "labs" / "activations.py").read_text(encoding="utf-8")
    found = re.findall(r'Refusal\(\s*f?"(activations\.[a-z_{}]+)"', source)
    codes = {code.replace("{side}", side) for code in found for side in ("left", "right")}
    assert len(codes) >= 15
    for code in codes:
        assert code in TEXT and TEXT.get(code, "en") != TEXT.get(code, "zh"), code


def test_first_screen_80x24(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=LESSON), terminal_size=(80, 24))


def test_softmax_overflow_80x24(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=LESSON), terminal_size=(80, 24), press=["o"])


def test_step_derivative_120x40(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=LESSON), terminal_size=(120, 40), press=["up", "d", "left"])


# --- ten scores, leaky ReLU's α, the softmax view's keys ------------------------------------------

TEN = "-2.5, 1, 0.3, 4.2, 7, 1.5, -0.5, 2, 9.1, 3"


async def test_ten_scores_fit_an_80x24_screen():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await type_into(pilot, "#scores-input", TEN)
        await pilot.pause()
        assert len(app.screen.lab.softmax.scores) == 10
        for selector in ("#stable-bars", "#naive-bars"):
            bars = app.screen.query_one(selector, ProbBars)
            assert len(bar_texts(app, selector)) == 10
            assert bars.region.height == 10 and bars.region.bottom <= 23  # above the footer, not cut
        stable, naive = app.screen.query_one("#stable-bars"), app.screen.query_one("#naive-bars")
        assert stable.region.y == naive.region.y  # a class's two bars on one line
        assert app.screen.query_one("#softmax-note").region.bottom <= 23


async def test_when_it_does_not_fit_the_softmax_view_scrolls_with_the_arrows_and_the_function_stays():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        # ten scores with six decimals: the "a − max a" line wraps, the view no longer fits
        await type_into(pilot, "#scores-input", ", ".join(f"{k * 111.1234567:.7f}" for k in range(10)))
        await pilot.pause()
        pane = app.screen.query_one("#softmax-pane")
        assert pane.max_scroll_y >= 2 and pane.scroll_y == 0
        before = {k: v for k, v in app.screen.state().items() if k != "scores"}
        await pilot.press("down", "down")
        await pilot.pause()
        assert pane.scroll_y == 2
        await pilot.press("up")
        await pilot.pause()
        assert pane.scroll_y == 1
        assert {k: v for k, v in app.screen.state().items() if k != "scores"} == before


async def test_the_plot_keys_do_nothing_while_the_softmax_view_hides_the_plot():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        before = app.screen.state()
        await pilot.press("up", "down", "down", "left", "right", "shift+right", "d", "plus", "minus")
        await pilot.pause()
        assert app.screen.state() == before and app.screen.lab.plot.name == "sigmoid"
        footer = {active.binding.description for active in app.screen.active_bindings.values()}
        assert "scroll" in footer and "h(x)" not in footer
        await pilot.press("s")  # back to the functions: ↑↓ pick the function again
        await pilot.press("down")
        assert app.screen.lab.plot.name == "relu"


async def test_wide_and_tall_both_sections_show_and_the_arrows_pick_the_function():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down")
        assert app.screen.lab.plot.name == "relu"


async def test_leaky_relu_alpha_can_be_typed():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#alpha-row").display  # sigmoid has no α
        await pilot.press("a")  # a goes to leaky ReLU's α
        await pilot.pause()
        assert app.screen.lab.plot.name == "leaky_relu" and app.screen.query_one("#alpha-row").display
        assert app.screen.focused is app.screen.query_one("#alpha-input")
        await type_into(pilot, "#alpha-input", "0.2")
        await type_into(pilot, "#cursor-input", "-2")
        assert app.screen.lab.plot.alpha == 0.2
        assert "h(x)  = -0.4" in shown(app, "#reading") and "h'(x) = 0.2" in shown(app, "#reading")
        assert "α = 0.2" in shown(app, "#note")
        assert shown(app, "#formula") == "h(x) = x if x > 0, else α·x"
        await type_into(pilot, "#alpha-input", "0")
        await pilot.pause()
        assert app.screen.lab.plot.alpha == 0.2
        assert any("α = 0 is not possible" in n for n in notifications(app))
        app.language = "zh"
        await pilot.pause()
        assert "α = 0.2" in shown(app, "#note") and app.screen.query_one("#alpha-input", NumberInput).value == "0.2"
