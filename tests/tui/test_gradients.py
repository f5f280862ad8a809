"""Lesson 4 driven by keys through the real app: what is shown must be the book's numbers."""

from __future__ import annotations

import numpy as np
from textual.widgets import Static

from nn_tui.core.gradient import function_2, gradient_descent, numerical_gradient, optimizer_race
from nn_tui.core.labs.gradients import compare_differences, function_1, function_1_derivative
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons.gradients.screen import GradientsScreen
from nn_tui.tui.widgets.number_input import NumberInput

LESSON = 4


def shown(app: NNTuiApp, widget_id: str) -> str:
    """The plain text a Static of the lesson displays now."""
    return str(app.screen.query_one(f"#{widget_id}", Static).content)


def notifications(app: NNTuiApp) -> list[str]:
    return [n.message for n in app._notifications]


def footer_labels(app: NNTuiApp) -> set[str]:
    return {active.binding.description for active in app.screen.active_bindings.values() if active.enabled}


async def type_into(pilot, widget_id: str, text: str) -> None:
    """Type into a number field as a student does: focus it (which selects its text), type, Enter."""
    await pilot.press("escape")
    pilot.app.screen.query_one(f"#{widget_id}", NumberInput).focus()
    await pilot.pause()
    await pilot.press(*text, "enter")
    await pilot.pause()


# --- d: forward vs central difference ------------------------------------------------


async def test_difference_section_shows_the_books_derivatives():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, GradientsScreen)
        table = shown(app, "diff-table")
        assert "0.1999999999990898" in table  # central, x = 5
        assert "0.20000099999917254" in table  # forward, x = 5
        assert "np.float32(1e-50) = 0.0" in table
        await pilot.press("x")
        table = shown(app, "diff-table")
        assert "0.2999999999986347" in table  # central, x = 10
        assert "f'(x) = 0.02x + 0.1      0.3\n" in table  # the exact 0.3, not 0.30000000000000004
        assert app.screen.query_one("#diff-x", NumberInput).value == "10"


async def test_minus_makes_h_ten_times_smaller_and_the_numbers_follow():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("minus", "minus")
        assert app.screen.query_one("#diff-h", NumberInput).value == "1e-06"
        row = compare_differences(function_1, function_1_derivative, 5.0, 1e-6)
        assert repr(row.central) in shown(app, "diff-table")
        assert repr(row.forward) in shown(app, "diff-table")
        await pilot.press("plus")
        assert app.screen.h == 1e-5
        await pilot.press(*["plus"] * 6)  # 1e-5 → 1, then one press too many
        assert app.screen.h == 1.0
        assert any("between 1e-20 and 1" in m for m in notifications(app))


async def test_a_typed_h_of_zero_is_refused_and_nothing_changes():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        before = shown(app, "diff-table")
        await type_into(pilot, "diff-h", "0")
        assert app.screen.h == 1e-4
        assert shown(app, "diff-table") == before
        assert any("at least" in m for m in notifications(app))


# --- p: partial derivatives ------------------------------------------------------------


async def test_partials_at_3_4_are_the_seeds_numbers_in_full():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        values = shown(app, "partials-values")
        assert "∂f/∂x0 = 6.00000000000378\n" in values
        assert "∂f/∂x1 = 7.999999999999119\n" in values
        assert "2·x0 = 6.0   2·x1 = 8.0" in values
        field = shown(app, "partials-field").splitlines()
        assert field[0].split()[1:] == list("↘↘↘↘↘↓↓↓↓↓↓↓↙↙●↙↙")  # ● at (3, 4)


async def test_moving_the_point_recomputes_the_partials_with_core():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "left", "down", "down", "down")
        expected = numerical_gradient(function_2, np.array([2.5, 2.5]))
        values = shown(app, "partials-values")
        assert f"∂f/∂x0 = {float(expected[0])!r}\n" in values
        assert f"∂f/∂x1 = {float(expected[1])!r}\n" in values
        assert app.screen.query_one("#point-x0", NumberInput).value == "2.5"
        assert app.screen.query_one("#point-x1", NumberInput).value == "2.5"


async def test_the_point_cannot_leave_the_field():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        before = shown(app, "partials-values")
        await pilot.press("up", "up", "up")  # x1 = 4 is the top edge
        assert app.screen.point.tolist() == [3.0, 4.0]
        assert shown(app, "partials-values") == before
        assert any("−4 … 4" in m for m in notifications(app))


async def test_a_typed_point_moves_it():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await type_into(pilot, "point-x0", "-1.5")
        expected = numerical_gradient(function_2, np.array([-1.5, 4.0]))
        assert f"∂f/∂x0 = {float(expected[0])!r}\n" in shown(app, "partials-values")
        await pilot.press("escape")
        await pilot.press("right")  # the screen has the keys again after escape
        assert app.screen.point.tolist() == [-1.0, 4.0]


# --- g: gradient descent ---------------------------------------------------------------


async def test_descent_with_lr_0_1_reaches_the_books_minimum():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "n", "n")
        assert "step 2" in shown(app, "descent-values")
        await pilot.press(*["m"] * 9, *["n"] * 8)  # 2 + 90 + 8 = 100 steps
        book = gradient_descent(function_2, (-3.0, 4.0), 0.1, 100).x
        assert abs(book[0] + 6.1e-10) < 1e-11 and abs(book[1] - 8.1e-10) < 1e-11
        values = shown(app, "descent-values")
        assert "step 100" in values
        assert f"x0 = {book[0]:.6g}\nx1 = {book[1]:.6g}" in values
        assert "x0 = -6.11111e-10" in values


async def test_each_learning_rate_preset_is_named_plainly():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "n")
        assert "right" in shown(app, "descent-verdict")
        await pilot.press("minus", "n")  # 0.01
        assert app.screen.lr == 0.01
        assert "too small: barely moves" in shown(app, "descent-verdict")
        await pilot.press("minus")  # no preset below 0.01: refused, and said so
        assert app.screen.lr == 0.01 and app.screen.descent.steps == 1
        assert any("last preset" in m for m in notifications(app))
        await pilot.press("plus", "plus", "n")  # 1.0
        assert app.screen.lr == 1.0
        assert "too large" in shown(app, "descent-verdict")


async def test_lr_10_diverges_stops_and_shows_no_nan():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "plus", "plus")
        assert app.screen.lr == 10.0
        await pilot.press("n")
        assert "diverges: the values blow up — the learning rate is too large" in shown(app, "descent-verdict")
        await pilot.press(*["n"] * 10)
        values = shown(app, "descent-values")
        assert "step 5" in values  # stopped once f passed 1e12
        assert "diverged" in shown(app, "descent-verdict")
        assert any("press r" in m for m in notifications(app))
        for text in (values, shown(app, "descent-verdict"), shown(app, "descent-plot-title")):
            assert "nan" not in text.lower() and "inf" not in text.lower()
        await pilot.press("r")
        assert "step 0" in shown(app, "descent-values")


async def test_a_bad_learning_rate_keeps_the_old_one():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "n", "n")
        for text in ("nan", "-1", "0", "0.10"):
            await type_into(pilot, "descent-lr", text)
            assert app.screen.lr == 0.1
            assert app.screen.query_one("#descent-lr", NumberInput).value == "0.1"
            assert "step 2" in shown(app, "descent-values")
        assert len(notifications(app)) == 3  # 0.10 is the same rate: accepted, nothing restarts


async def test_a_typed_learning_rate_starts_a_new_run():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "n")
        await type_into(pilot, "descent-lr", "0.5")
        assert app.screen.lr == 0.5
        await pilot.press("escape", "n")
        assert "reached the minimum" in shown(app, "descent-verdict")


# --- o: the optimiser race ---------------------------------------------------------------


async def test_race_moves_every_optimiser_exactly_one_step_per_press():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        for steps in (1, 2, 3):
            await pilot.press("n")
            paths = app.screen.race.paths
            assert {name: len(path) for name, path in paths.items()} == {
                "SGD": steps + 1, "Momentum": steps + 1, "AdaGrad": steps + 1, "Adam": steps + 1
            }
        table = shown(app, "race-table")
        assert table.startswith("step 3")
        for name, path in optimizer_race(3).items():
            x, y = path[-1]
            assert f"{name}" in table and f"({x:8.4f}, {y:8.4f})" in table
        await pilot.press("r")
        assert shown(app, "race-table").startswith("step 0")


# --- the whole screen ---------------------------------------------------------------------


async def test_footer_shows_only_the_keys_of_the_section():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Step" not in footer_labels(app)
        await pilot.press("g")
        assert {"Step", "Reset"} <= footer_labels(app)
        await pilot.press("n")  # n does nothing in other sections
        await pilot.press("d", "n")
        assert app.screen.descent.steps == 1


async def test_language_switch_keeps_the_state_and_translates():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "n", "n", "n", "l")
        await pilot.pause()
        assert "第 3 步" in shown(app, "descent-values")
        assert "合适" in shown(app, "descent-verdict")
        assert "梯度下降法" in shown(app, "g-tabs")
        await pilot.press("p")
        assert "数值微分" in shown(app, "partials-values")


async def test_help_describes_the_lesson_in_both_languages():
    text = GradientsScreen.TEXT
    assert "gradient descent" in text.get("help.text", "en")
    assert "梯度下降法" in text.get("help.text", "zh")


async def test_a_big_terminal_gets_a_finer_arrow_field():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        rows = shown(app, "partials-field").splitlines()
        assert len(rows) == 33 + 1  # every 0.25 from 4 down to −4, and the x0 axis
        assert "●" in rows[0]  # (3, 4) is still on the top row


# --- snapshots (update with --snapshot-update after looking at them) ----------------------


def test_snapshot_difference_section_80x24(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=LESSON), terminal_size=(80, 24))


def test_snapshot_descent_midway_80x24(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=LESSON), terminal_size=(80, 24), press=["g", "n", "n", "n", "n"])

