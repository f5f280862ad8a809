"""Lesson 1 driven by keys through the real app: what the screen shows must be the book's numbers."""

from __future__ import annotations


import numpy as np
import pytest
from rich.console import Console
from rich.style import Style
from textual.widgets import Input, Static

from nn_tui.core.gates import AND
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.widgets.gate_plane import GatePlane, PlanePoint, PlaneView, plane_text
from nn_tui.tui.widgets.number_input import NumberInput

from tests.helpers import json_round_trip, notifications, type_into


def shown(app: NNTuiApp, widget_id: str) -> str:
    """The plain text a Static of the lesson shows now."""
    return str(app.screen.query_one(f"#{widget_id}", Static).content)


def table_rows(app: NNTuiApp) -> list[str]:
    return shown(app, "p-table").splitlines()[2:6]


async def open_lesson(pilot, *keys: str) -> None:
    await pilot.pause()
    if keys:
        await pilot.press(*keys)
    await pilot.pause()


# --- the gates ---------------------------------------------------------------------


async def test_first_screen_is_the_books_and_gate():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        assert app.current_mode == "perceptron"
        assert [app.screen.query_one(f"#{n}", NumberInput).value for n in ("w1", "w2", "b")] == ["0.5", "0.5", "-0.7"]
        formula = shown(app, "p-formula")
        assert "= 0·0.5 + 0·0.5 + (-0.7)" in formula
        assert "= -0.70 ≤ 0  →  y = 0" in formula
        assert "threshold θ = -b = 0.7" in formula
        assert app.screen.focused is None  # keys drive the lesson, not an input


async def test_and_at_1_1_shows_the_sum_0_30_and_output_1():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "a", "b")
        formula = shown(app, "p-formula")
        assert "x1 = 1    x2 = 1" in formula
        assert "= 1·0.5 + 1·0.5 + (-0.7)" in formula
        assert "= 0.30 > 0  →  y = 1" in formula
        assert "x1·w1 + x2·w2 = 1.00 > θ" in formula
        assert "0000" not in formula + shown(app, "p-table")
        rows = table_rows(app)
        assert rows[3].startswith("▶") and "0.30 │ 1 │" in rows[3]
        assert not any(row.startswith("▶") for row in rows[:3])


async def test_nand_at_1_1_shows_0():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "g", "a", "b")
        assert "Truth table · NAND · all 4 right" in shown(app, "p-table")
        assert "= 1·(-0.5) + 1·(-0.5) + 0.7" in shown(app, "p-formula")
        assert "= -0.30 ≤ 0  →  y = 0" in shown(app, "p-formula")


async def test_or_at_1_0_shows_1():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "g", "g", "a")
        formula = shown(app, "p-formula")
        assert "x1 = 1    x2 = 0" in formula
        assert "= 0.30 > 0  →  y = 1" in formula
        assert "θ = -b = 0.2" in formula
        assert [row.split("│")[1].strip() for row in table_rows(app)] == ["-0.20", "0.30", "0.30", "0.80"]


async def test_truth_table_shows_every_row_of_each_gate():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        outputs = {}
        for gate in ("AND", "NAND", "OR"):
            assert f"· {gate} ·" in shown(app, "p-table")
            outputs[gate] = [int(row.split("│")[2]) for row in table_rows(app)]
            await pilot.press("g")
        assert outputs == {"AND": [0, 0, 0, 1], "NAND": [1, 1, 1, 0], "OR": [0, 1, 1, 1]}


async def test_xor_single_perceptron_marks_the_wrong_row():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "g", "g", "g")
        table = shown(app, "p-table")
        assert "Truth table · XOR · 1 wrong ✗" in table
        assert table_rows(app)[3].rstrip().endswith("✗")
        assert "No line separates these" in table


# --- editing the weights -------------------------------------------------------------


async def test_typing_a_non_number_into_w1_keeps_w1():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "a", "b")
        for text in ("abc", "nan", "inf", "1e999"):
            app.clear_notifications()
            field = await type_into(pilot, "w1", text)
            assert field.value == "0.5" and field.number == 0.5, text
            assert app.screen.lab.weight("w1") == 0.5
            assert "= 0.30 > 0  →  y = 1" in shown(app, "p-formula")
            assert any("w1" in n and "kept 0.5" in n for n in notifications(app)), text


async def test_typing_a_weight_updates_formula_table_and_plane():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "a", "b")
        await type_into(pilot, "b", "-0.2")
        assert app.screen.focused is None  # Enter hands the keys back to the lesson
        assert "= 1·0.5 + 1·0.5 + (-0.2)" in shown(app, "p-formula")
        assert "= 0.80 > 0" in shown(app, "p-formula")
        assert [int(row.split("│")[2]) for row in table_rows(app)] == [0, 1, 1, 1]
        plane = app.screen.query_one("#p-plane", GatePlane)
        assert plane.view.regions(np.array([1.0]), np.array([0.0])).tolist() == [1]
        await pilot.press("b")  # keys work again after typing
        assert "x2 = 0" in shown(app, "p-formula")


async def test_nudging_the_selected_weight_leaves_no_float_noise():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "a", "b", "w", "w")  # select b
        assert app.screen.selected == "b"
        for _ in range(3):
            await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.screen.query_one("#b", NumberInput).value == "-0.4"
        assert "= 1·0.5 + 1·0.5 + (-0.4)" in shown(app, "p-formula")
        assert "= 0.60 > 0" in shown(app, "p-formula")
        await pilot.press("left_square_bracket")
        assert app.screen.lab.weight("b") == -0.5


async def test_escape_leaves_a_weight_input_and_keys_work_again():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "tab")
        assert app.screen.focused is app.screen.query_one("#w1", NumberInput)
        await pilot.press("a")  # typed into the input, not a key for the lesson
        assert app.screen.lab.x1 == 0
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.focused is None
        assert app.screen.query_one("#w1", NumberInput).value == "0.5"  # "0.5a" was refused
        await pilot.press("a")
        assert app.screen.lab.x1 == 1


async def test_nudging_in_the_two_layer_view_is_refused_with_a_message():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "v", "right_square_bracket")
        assert app.screen.lab.weights == (0.5, 0.5, -0.2)  # XOR starts from OR's weights
        assert any("press v" in n for n in notifications(app))
        await pilot.press("G")  # previous gate
        assert app.screen.lab.gate == "OR" and not app.screen.two_layer


async def test_nudging_past_the_limit_is_refused_with_a_message():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        await type_into(pilot, "w1", "10")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.screen.lab.weight("w1") == 10.0
        assert app.screen.query_one("#w1", NumberInput).value == "10"
        assert any("w1 stays between -10 and 10" in n for n in notifications(app))


async def test_reset_brings_back_the_books_weights():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "right_square_bracket", "n")
        await pilot.press("r")
        assert app.screen.lab.perceptron == AND
        assert app.screen.query_one("#w1", NumberInput).value == "0.5"


# --- XOR with two layers -----------------------------------------------------------------


async def test_two_layer_xor_shows_s1_s2_y_for_every_input():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "v")
        assert app.screen.lab.gate == "XOR"
        # a and b walk through (0,0) -> (1,0) -> (1,1) -> (0,1).
        for key, (x1, x2, s1, s2, y) in zip(
            ("", "a", "b", "a"), ((0, 0, 1, 0, 0), (1, 0, 1, 1, 1), (1, 1, 0, 1, 0), (0, 1, 1, 1, 1))
        ):
            if key:
                await pilot.press(key)
            diagram = shown(app, "p-diagram")
            for name, value in (("x1", x1), ("x2", x2), ("s1", s1), ("s2", s2), ("y", y)):
                assert f"{name} = {value}" in diagram, (name, x1, x2)
            current = [line for line in shown(app, "p-xor-table").splitlines() if line.startswith("▶")]
            assert len(current) == 1
            assert current[0].split() == ["▶", str(x1), str(x2), "│", str(s1), str(s2), "│", str(y)]


async def test_two_layer_table_is_the_books_table():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "v")
        rows = [line.replace("▶", " ").split() for line in shown(app, "p-xor-table").splitlines()[1:]]
        assert rows == [
            ["0", "0", "│", "1", "0", "│", "0"],
            ["1", "0", "│", "1", "1", "│", "1"],
            ["0", "1", "│", "1", "1", "│", "1"],
            ["1", "1", "│", "0", "1", "│", "0"],
        ]
        await pilot.press("v")  # back to one perceptron, still XOR
        assert app.screen.query_one("#p-single").display
        assert "· XOR ·" in shown(app, "p-table")


# --- learning ---------------------------------------------------------------------------


async def test_learning_and_step_by_step_converges():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "n")
        learn = shown(app, "p-learn")
        assert "Step 1 · sample (0, 0): sum -0.92 → y = 0, target t = 0: right, no change" in learn
        assert "w1 0.27 → 0.27" in learn and "b -0.92 → -0.92" in learn
        assert "Not converged yet (epoch 1)." in learn
        await pilot.press("n", "n", "n")
        learn = shown(app, "p-learn")
        assert "Step 4 · sample (1, 1): sum -1.11 → y = 0, target t = 1: wrong, t − y = +1, update" in learn
        assert "w1 0.27 → 0.37" in learn and "w2 -0.46 → -0.36" in learn and "b -0.92 → -0.82" in learn
        assert app.screen.query_one("#w1", NumberInput).value == "0.37"
        await pilot.press(*["n"] * 26)
        await pilot.pause()
        learn = shown(app, "p-learn")
        assert "Converged after 8 epochs (30 steps)" in learn
        weights = [app.screen.query_one(f"#{n}", NumberInput).value for n in ("w1", "w2", "b")]
        assert weights == ["0.57", "0.14", "-0.62"]
        assert "all 4 right" in shown(app, "p-table")
        assert "0000" not in learn + shown(app, "p-table") + shown(app, "p-formula")


async def test_learning_xor_says_it_never_converges():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "g", "g", "g", *["n"] * 12)
        learn = shown(app, "p-learn")
        assert "XOR is not linearly separable: the rule will never converge." in learn
        assert "Converged" not in learn


async def test_flipping_a_target_makes_a_custom_gate():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "t")
        assert app.screen.lab.gate == "custom"
        assert "Truth table · custom · 1 wrong ✗" in shown(app, "p-table")
        assert [row.split("│")[3].split()[0] for row in table_rows(app)] == ["1", "0", "0", "1"]
        await pilot.press("n")
        assert "This gate is not linearly separable" in shown(app, "p-learn")


async def test_language_switch_keeps_the_state():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "a", "b", "g", "l")
        await pilot.pause()
        assert "真值表 · 与非门" in shown(app, "p-table")
        assert "阈值 θ = -b = -0.7" in shown(app, "p-formula")
        assert "= -0.30 ≤ 0  →  y = 0" in shown(app, "p-formula")
        assert app.screen.query_one("#w1", NumberInput).value == "-0.5"
        await pilot.press("g", "g", "n")
        assert "异或门不是线性可分的" in shown(app, "p-learn")


def test_help_text_shows_the_bracket_keys():
    from textual.content import Content

    from nn_tui.tui.lessons.perceptron.text import TEXT

    for language in ("en", "zh"):
        assert "[ " in Content.from_markup(TEXT.get("help.text", language)).plain


async def test_leaving_and_coming_back_keeps_the_lesson_where_it_was():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "v", "a", "h")
        assert app.current_mode == "home"
        await pilot.press("1", "l")
        await pilot.pause()
        assert app.current_mode == "perceptron" and app.screen.two_layer
        assert "x1 = 1" in shown(app, "p-diagram") and "y = 1" in shown(app, "p-diagram")
        assert "用两层感知机实现异或门" in shown(app, "p-diagram")


# --- the keys after typing ------------------------------------------------------------


async def test_after_enter_in_a_weight_the_next_letter_is_a_lesson_key():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        field = await type_into(pilot, "w1", "0.3")
        assert app.screen.focused is None
        await pilot.press("n")  # a learning step, not an "n" typed after 0.3
        await pilot.pause()
        assert field.value == "0.3" and app.screen.lab.learning_steps == 1
        learn = shown(app, "p-learn")
        assert "Step 1 · sample (0, 0): sum -0.70 → y = 0, target t = 0: right, no change" in learn
        assert "w1 0.3 → 0.3" in learn  # the run started from the weight just typed


async def test_after_enter_in_a_weight_h_goes_home_and_q_quits():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        field = await type_into(pilot, "b", "-0.2")
        await pilot.press("h")
        await pilot.pause()
        assert app.current_mode == "home" and field.value == "-0.2"
        await pilot.press("1")
        await pilot.pause()
        await type_into(pilot, "w2", "0.4")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


# --- the state document ---------------------------------------------------------------------


def screen_text(app: NNTuiApp) -> dict[str, object]:
    """Everything lesson 1 shows now: every text, field, plane, and which view is on."""
    screen = app.screen
    seen: dict[str, object] = {
        "single": screen.query_one("#p-single").display,
        "two": screen.query_one("#p-two").display,
    }
    for widget in screen.query(Static):
        if widget.id:
            seen[widget.id] = str(widget.content)
    for field in screen.query(Input):
        seen[field.id] = (field.value, field.border_title, field.has_class("-selected"))
    for plane in screen.query(GatePlane):
        seen[plane.id] = plane.render().plain
    return seen



async def saved_after(*keys: str, typed: tuple[tuple[str, str], ...] = ()) -> tuple[dict, dict]:
    """The document and the screen after `typed` weights and then `keys`."""
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_lesson(pilot)
        for field_id, text in typed:
            await type_into(pilot, field_id, text)
        await pilot.press(*keys)
        await pilot.pause()
        return json_round_trip(app.screen.document()), screen_text(app)


async def reopened(document: object) -> tuple[dict, dict]:
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_lesson(pilot)
        assert app.screen.open_document(document)
        await pilot.pause()
        return json_round_trip(app.screen.document()), screen_text(app)


async def test_a_saved_lesson_opens_the_same_screen_in_a_new_app():
    # An edited w2 (selecting it), a custom gate (t), the inputs moved, b selected (w), six learning steps, x1 toggled.
    document, shown_before = await saved_after("a", "t", "w", *["n"] * 6, "a", typed=(("w2", "-0.3"),))
    state = document["state"]
    assert state["gate"] == "custom" and state["learning_steps"] == 6 and state["selected"] == "b"
    assert state["weights"] == [0.5, -0.3, -0.7]  # where the run began; the steps are replayed
    assert "Step 6" in shown_before["p-learn"]
    assert await reopened(document) == (document, shown_before)


async def test_a_converged_run_and_the_two_layer_view_come_back():
    document, shown_before = await saved_after(*["n"] * 31)
    assert "Converged after 8 epochs (30 steps)" in shown_before["p-learn"]
    assert await reopened(document) == (document, shown_before)
    document, shown_before = await saved_after("g", "g", "g", "n", "n", "v", "b", "w")
    assert document["state"]["two_layer"] and document["state"]["gate"] == "XOR"
    assert await reopened(document) == (document, shown_before)


async def test_a_bad_document_is_refused_with_a_message_and_changes_nothing():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "a", "g", "n", "n")
        good = json_round_trip(app.screen.document())
        state = good["state"]
        shown_before = screen_text(app)
        without_seed = {k: v for k, v in state.items() if k != "seed"}
        bad_states = {
            "The saved state's state.weights[0] is 'abc', not a number": {**state, "weights": ["abc", 0.5, -0.7]},
            "The saved state lacks state.seed": without_seed,
            "state.weights[2] is 1000.0, outside -100 … 100": {**state, "weights": [0.5, 0.5, 1000]},
            "state.x1 is 2, outside 0 … 1": {**state, "x1": 2},
            "state.gate is 'XNOR'; it must be one of AND, NAND, OR, XOR, custom": {**state, "gate": "XNOR"},
            "state.targets does not belong to the NAND gate": {**state, "targets": [0, 0, 0, 1]},
            "state.reset_weights does not belong to the NAND gate": {**state, "reset_weights": [1, 1, 1]},
            "state.learning_steps is -1, outside 0 … 100000": {**state, "learning_steps": -1},
            "state.selected is 'theta'": {**state, "selected": "theta"},
            "shows two layers for the NAND gate": {**state, "two_layer": True},
        }
        for message, bad in bad_states.items():
            app.clear_notifications()
            assert not app.screen.open_document({**good, "state": bad}), message
            await pilot.pause()
            assert any(message in said and "nothing was changed" in said.lower() for said in notifications(app)), (
                message,
                notifications(app),
            )
            assert json_round_trip(app.screen.document()) == good
            assert screen_text(app) == shown_before
        nan = {**good, "state": {**state, "weights": [float("nan"), 0.5, -0.7]}}
        assert not app.screen.open_document(nan)
        assert json_round_trip(app.screen.document()) == good


# --- the plane widget -------------------------------------------------------------------


def and_view() -> PlaneView:
    points = tuple(PlanePoint(x1, x2, int(x1 and x2)) for x1, x2 in ((0, 0), (1, 0), (0, 1), (1, 1)))
    lab_regions = lambda xs, ys: (xs * AND.w1 + ys * AND.w2 + AND.b > 0).astype(int)  # noqa: E731
    return PlaneView(lab_regions, points, (AND.decision_line().segment(),))


def test_plane_puts_points_ticks_and_line_in_place():
    lines = plane_text(and_view(), 35, 17).plain.splitlines()
    assert len(lines) == 17 and all(len(line) == 35 for line in lines)
    # 32 columns span -0.5..1.5: x = 0 is column 8, x = 1 column 24 (after the 3-column margin);
    # 16 rows: x2 = 1 is row 4, x2 = 0 row 12.
    assert lines[4][3 + 8] == "○" and lines[4][3 + 24] == "×"
    assert lines[12][3 + 8] == "○" and lines[12][3 + 24] == "○"
    assert lines[4].startswith(" 1 ") and lines[12].startswith(" 0 ") and lines[0].startswith("x2")
    assert lines[16][3 + 8] == "0" and lines[16][3 + 24] == "1" and lines[16].endswith("x1")
    braille = [ch for line in lines for ch in line if 0x2800 < ord(ch) <= 0x28FF]
    assert len(braille) > 16  # the line x1 + x2 = 1.4 crosses the plane


def test_plane_regions_read_without_colour():
    text = plane_text(and_view(), 35, 17)
    console = Console(width=35, no_color=True, record=True, file=open("/dev/null", "w"))
    console.print(text)
    plain = console.export_text().splitlines()
    # The y = 1 corner (top right) carries the dot pattern, the y = 0 corner (bottom left) none.
    assert "·" in plain[0][-8:] and "·" not in plain[14][3:12]


def test_plane_draws_a_trail_faintly_and_nothing_changes_without_one():
    from dataclasses import replace

    from nn_tui.tui.widgets.gate_plane import LINE_STYLE, TRAIL_STYLE

    view = and_view()
    plain = plane_text(view, 35, 17)
    assert plane_text(replace(view, trail=()), 35, 17) == plain  # the default: no trail, same drawing
    earlier = ((-0.5, 1.0), (1.5, 1.0))  # an earlier line: x2 = 1
    trailed = plane_text(replace(view, trail=(earlier,)), 35, 17)
    colours = {span.style.color for span in trailed.spans if isinstance(span.style, Style)}
    assert TRAIL_STYLE.color in colours and LINE_STYLE.color in colours
    assert TRAIL_STYLE.color not in {span.style.color for span in plain.spans if isinstance(span.style, Style)}


def test_plane_without_a_line_and_too_small():
    view = PlaneView(lambda xs, ys: np.zeros_like(xs, dtype=int))
    lines = plane_text(view, 20, 8).plain.splitlines()
    assert not any(0x2800 <= ord(ch) <= 0x28FF for line in lines for ch in line)
    assert plane_text(view, 5, 3).plain == "…"


# --- learning: undo, the trail, a line outside the plot --------------------------------------


def footer_row(app: NNTuiApp) -> str:
    """The bottom row as the terminal shows it."""
    return app.screen._compositor.render_strips()[-1].text


def lesson_text(app: NNTuiApp) -> str:
    return "\n".join(shown(app, name) for name in ("p-title", "p-legend", "p-formula", "p-table", "p-learn"))


async def test_u_undoes_the_last_learning_step():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "n", "n", "n")
        after_three = (lesson_text(app), app.screen.state())
        await pilot.press("n")  # step 4 moves the weights to (0.37, -0.36, -0.82)
        assert app.screen.query_one("#w1", NumberInput).value == "0.37"
        await pilot.press("u")
        await pilot.pause()
        assert (lesson_text(app), app.screen.state()) == after_three
        assert app.screen.query_one("#w1", NumberInput).value == "0.27"
        await pilot.press("u", "u", "u")  # back to before the run: the book's AND weights
        await pilot.pause()
        assert app.screen.lab.weights == (0.5, 0.5, -0.7) and app.screen.lab.learning_steps == 0
        assert "from random weights (seed 0)" in shown(app, "p-learn")
        await pilot.press("u")
        await pilot.pause()
        assert any("no learning step to undo" in n for n in notifications(app))
        assert app.screen.lab.learning_steps == 0


async def test_learning_leaves_a_faint_trail_of_earlier_lines():
    from nn_tui.tui.widgets.gate_plane import TRAIL_STYLE

    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, *["n"] * 20)
        plane = app.screen.query_one("#p-plane", GatePlane)
        assert len(plane.view.trail) == 3 and plane.view.lines
        assert shown(app, "p-legend").splitlines()[1] == "⠤ the line, dashed: its last 3"
        drawn = plane_text(plane.view, plane.content_size.width, plane.content_size.height)
        assert any(span.style == TRAIL_STYLE or TRAIL_STYLE.color == getattr(span.style, "color", None)
                   for span in drawn.spans)
        await pilot.press("r")
        await pilot.pause()
        assert plane.view.trail == () and shown(app, "p-legend").splitlines()[1] == "⠤ x1·w1 + x2·w2 + b = 0"


async def test_the_legend_says_when_the_line_lies_outside_the_plot():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "n")  # seed 0 starts from (0.27, -0.46, -0.92): the line misses the plot
        assert app.screen.query_one("#p-plane", GatePlane).view.lines == ()
        assert shown(app, "p-legend").splitlines()[1] == "the line lies outside the plot"
        app.language = "zh"
        await pilot.pause()
        assert shown(app, "p-legend").splitlines()[1] == "直线在图外：四个点在同一侧"
        await type_into(pilot, "w1", "0")
        await type_into(pilot, "w2", "0")
        assert shown(app, "p-legend").splitlines()[1] == "没有直线：w1 = w2 = 0"


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_80_column_footer_shows_the_weight_keys(language):
    app = NNTuiApp(start_lesson=1, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        await pilot.pause()
        row = footer_row(app)
        labels = {"en": ("w Pick", "[ ] ±0.1", "t Flip", "n Learn", "? Help", "q Quit"),
                  "zh": ("w 选择", "[ ] ±0.1", "t 翻转", "n 学习", "? 帮助", "q 退出")}[language]
        for label in labels:
            assert label in row, row
        assert row.index("w ") < row.index("? ")  # the lesson's keys first
        await pilot.press("h")  # h still goes home, l still switches language
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"


async def test_every_key_of_lesson_1_is_still_listed_in_help():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "question_mark")
        await pilot.pause()
        table = app.screen.query_one("#help-keys")
        keys = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert {"a/b", "w", "[ ]", "]", "t", "n", "u", "v", "r", "h", "l"} <= keys


# --- snapshots ------------------------------------------------------------------------------


def test_first_screen_80x24(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=1), terminal_size=(80, 24))


def test_xor_two_layers_80x24(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=1), terminal_size=(80, 24), press=["v", "a"])
