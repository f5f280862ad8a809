"""Lesson 4 driven by keys through the real app: what is shown must be the book's numbers."""

from __future__ import annotations

import inspect
import json
import re

import numpy as np
from textual.widgets import Static

from nn_tui.core.gradient import function_2, gradient_descent, numerical_gradient, optimizer_race
from nn_tui.core.labs import gradients as lab_module
from nn_tui.core.labs.gradients import compare_differences, function_1, function_1_derivative
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons.gradients.screen import GradientsScreen
from nn_tui.tui.widgets.chart import Chart
from nn_tui.tui.widgets.number_input import NumberInput
from nn_tui.tui.widgets.section_bar import SectionBar

from tests.helpers import notifications, type_into, wait_until

LESSON = 4


def shown(app: NNTuiApp, widget_id: str) -> str:
    """The plain text a Static of the lesson displays now."""
    return str(app.screen.query_one(f"#{widget_id}", Static).content)


def footer_labels(app: NNTuiApp) -> set[str]:
    return {active.binding.description for active in app.screen.active_bindings.values() if active.enabled}


def footer_row(app: NNTuiApp) -> str:
    """The bottom row as the terminal shows it."""
    return app.screen._compositor.render_strips()[-1].text


def section_bar(app: NNTuiApp) -> str:
    return str(app.screen.query_one(SectionBar).content)


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
        assert app.screen.lab.h == 1e-5
        await pilot.press(*["plus"] * 6)  # 1e-5 → 1, then one press too many
        assert app.screen.lab.h == 1.0
        assert any("between 1e-50 and 1" in m for m in notifications(app))


async def test_a_typed_h_of_zero_is_refused_and_nothing_changes():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        before = shown(app, "diff-table")
        await type_into(pilot, "diff-h", "0")
        assert app.screen.lab.h == 1e-4
        assert shown(app, "diff-table") == before
        assert any("at least" in m for m in notifications(app))


async def test_the_caption_matches_the_plot_and_f_shows_a_function_with_an_h_squared_error():
    """Was: "∝ h² central" under a plot of the book's quadratic, whose central difference has no truncation error."""
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        table = shown(app, "diff-table")
        assert "no truncation error" in table and "∝ h²" not in table
        await pilot.press("f")
        table = shown(app, "diff-table")
        assert table.startswith("f(x) = x³")
        assert "exactly h² central" in table
        row = compare_differences(lab_module.cube, lab_module.cube_derivative, 5.0, 1e-4)
        assert repr(row.central) in table and "f'(x) = 3x²" in table
        assert app.screen.lab.function == "cube"
        await pilot.press("f")
        assert "0.1999999999990898" in shown(app, "diff-table")


async def test_h_goes_down_to_1e_50_where_it_is_rounded_away():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "diff-h", "1e-50")
        assert app.screen.lab.h == 1e-50
        table = shown(app, "diff-table")
        assert "h = 1e-50 is lost: x + h rounds to x" in table
        assert "0.0    " in table  # both differences are 0.0
        chart = app.screen.query_one("#diff-plot", Chart)
        (low, high), _ = chart.limits
        assert low <= -50 < high  # the line of h = 1e-50 is on the plot
        count = len(notifications(app))
        await pilot.press("minus")  # below 1e-50: refused, said once
        assert app.screen.lab.h == 1e-50 and len(notifications(app)) == count + 1


async def test_the_difference_section_draws_f_with_its_tangent_at_x():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chart = app.screen.query_one("#tangent-plot", Chart)
        assert chart.region.width >= 30 and chart.region.height >= 6
        curve, tangent = chart.series["f(x)"], chart.series["tangent"]
        assert curve.x[0] == 0.0 and curve.x[-1] == 20.0
        assert tangent.y[0] == 0.75 - 0.1999999999990898 * 5  # through (5, 0.75) with the book's slope
        assert "slope 0.2" in shown(app, "tangent-title")
        await pilot.press("x")
        assert "x = 10, slope 0.3" in shown(app, "tangent-title")


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
        assert app.screen.lab.point == (3.0, 4.0)
        assert shown(app, "partials-values") == before
        assert any("−4 … 4" in m for m in notifications(app))


async def test_a_typed_point_moves_it():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await type_into(pilot, "point-x0", "-1.5")
        expected = numerical_gradient(function_2, np.array([-1.5, 4.0]))
        assert f"∂f/∂x0 = {float(expected[0])!r}\n" in shown(app, "partials-values")
        await pilot.press("right")  # Enter gave the keys back to the lesson
        assert app.screen.lab.point == (-1.0, 4.0)


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
        assert app.screen.lab.lr == 0.01
        assert "too small: barely moves" in shown(app, "descent-verdict")
        await pilot.press("minus")  # no preset below 0.01: refused, and said so
        assert app.screen.lab.lr == 0.01 and app.screen.lab.descent.steps == 1
        assert any("last preset" in m for m in notifications(app))
        await pilot.press("plus", "plus", "n")  # 1.0
        assert app.screen.lab.lr == 1.0
        assert "too large" in shown(app, "descent-verdict")


async def test_lr_10_diverges_stops_and_shows_no_nan():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "plus", "plus")
        assert app.screen.lab.lr == 10.0
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


async def test_lr_10_says_once_that_the_run_stopped_and_where_the_point_went():
    """Was: one notice per press of n after the run had diverged, and ● left at the start."""
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "plus", "plus", *["n"] * 12)
        stopped = [m for m in notifications(app) if "press r" in m]
        assert len(stopped) == 1
        where = app.screen.lab.descent.path[-1]
        title = shown(app, "descent-plot-title")
        assert f"it is at ({where[0]:.6g}, {where[1]:.6g})" in title
        assert app.screen.query_one("#descent-plot", Chart).series["here"].x == []
        await pilot.press("r", *["n"] * 8)  # a new run that diverges is told again, once
        assert len([m for m in notifications(app) if "press r" in m]) == 2


async def test_a_bad_learning_rate_keeps_the_old_one():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "n", "n")
        for text in ("nan", "-1", "0", "0.10"):
            await type_into(pilot, "descent-lr", text)
            assert app.screen.lab.lr == 0.1
            assert app.screen.query_one("#descent-lr", NumberInput).value == "0.1"
            assert "step 2" in shown(app, "descent-values")
        assert len(notifications(app)) == 3  # 0.10 is the same rate: accepted, nothing restarts


async def test_a_typed_learning_rate_starts_a_new_run():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "n")
        await type_into(pilot, "descent-lr", "0.5")
        assert app.screen.lab.lr == 0.5
        await pilot.press("n")  # a lesson key again: Enter left the field
        assert "reached the minimum" in shown(app, "descent-verdict")


# --- o: the optimiser race ---------------------------------------------------------------


RACERS = {"SGD": "sgd", "Momentum": "momentum", "AdaGrad": "adagrad", "Adam": "adam"}


async def test_race_moves_every_optimiser_exactly_one_step_per_press():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        for steps in (1, 2, 3):
            await pilot.press("n")
            paths = app.screen.lab.race.paths
            assert {name: len(path) for name, path in paths.items()} == {
                "SGD": steps + 1, "Momentum": steps + 1, "AdaGrad": steps + 1, "Adam": steps + 1
            }
        for name, key in RACERS.items():
            drawn = app.screen.query_one(f"#race-plot-{key}", Chart).series
            assert len(drawn[name].x) == 4
        assert shown(app, "race-table").startswith("step 3")
        for name, path in optimizer_race(3).items():
            x, y = path[-1]
            assert name in shown(app, f"race-key-{RACERS[name]}")
            assert f"({x:8.4f}, {y:8.4f})" in shown(app, f"race-info-{RACERS[name]}")
        await pilot.press("r")
        assert shown(app, "race-table").startswith("step 0")


async def test_the_race_has_one_panel_per_optimiser_each_marking_its_steps_with_the_legends_glyph():
    """Was: one chart where the four paths overwrote each other, SGD and Adam in one colour."""
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o", "m")
        glyphs, colors = set(), set()
        for name, key in RACERS.items():
            chart = app.screen.query_one(f"#race-plot-{key}", Chart)
            assert chart.region.width >= 36 and chart.region.height >= 7  # a 2×2 grid at 80×24
            legend = [item for item in chart.drawn if getattr(item, "legend", False)]
            assert [item.label for item in legend] == [name]  # only its own racer
            (steps,) = legend
            assert steps.kind == "scatter" and len(chart.series[name].x) == 11  # a mark at every step
            # The panel's key is the chart's own legend: the same glyph and colour.
            key_text = app.screen.query_one(f"#race-key-{key}", Static).content
            assert str(key_text) == str(chart.legend()) == f"{steps.glyph} {name}"
            glyphs.add(steps.glyph)
            colors.add(steps.color)
            assert {item.color for item in chart.drawn if getattr(item, "label", "").startswith(name)} == {steps.color}
        assert len(glyphs) == 4 and len(colors) == 4
        regions = {app.screen.query_one(f"#race-plot-{key}", Chart).region for key in RACERS.values()}
        assert len({r.x for r in regions}) == 2 and len({r.y for r in regions}) == 2


async def test_each_optimiser_has_its_own_learning_rate_field():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o", *"nnnnn")
        assert [app.screen.query_one(f"#race-lr-{key}", NumberInput).value for key in RACERS.values()] == [
            "0.95", "0.1", "1.5", "0.3"
        ]
        await type_into(pilot, "race-lr-sgd", "0.5")
        assert app.screen.lab.race_lrs == (0.5, 0.1, 1.5, 0.3)
        assert app.screen.lab.race.steps == 5  # the race was run again to the same step
        x, y = -7.0, 2.0
        for _ in range(5):
            x, y = x - 0.5 * x / 10, y - 0.5 * 2 * y
        assert f"({x:8.4f}, {y:8.4f})" in shown(app, "race-info-sgd")
        assert app.focused is None
        await pilot.press("n")  # Enter gave the keys back
        assert app.screen.lab.race.steps == 6
        count = len(notifications(app))
        await type_into(pilot, "race-lr-adam", "0")
        assert app.screen.lab.race_lrs[3] == 0.3
        assert app.screen.query_one("#race-lr-adam", NumberInput).value == "0.3"
        assert len(notifications(app)) == count + 1
        await type_into(pilot, "race-lr-momentum", "100")
        await pilot.press("m", "m")
        assert "diverged" in shown(app, "race-info-momentum")
        assert "Momentum" in shown(app, "race-table")


# --- the whole screen ---------------------------------------------------------------------


async def test_footer_shows_only_the_keys_of_the_section():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Step" not in footer_labels(app)
        await pilot.press("g")
        assert {"Step", "Reset"} <= footer_labels(app)
        # The Footer widget itself follows (it rebuilds when told the bindings changed).
        await wait_until(pilot, lambda: "n Step" in footer_row(app), what=lambda: footer_row(app))
        await pilot.press("n")  # n does nothing in other sections
        await pilot.press("d", "n")
        assert app.screen.lab.descent.steps == 1
        await wait_until(pilot, lambda: "x 5/10" in footer_row(app), what=lambda: footer_row(app))
        assert "Step" not in footer_row(app)


SECTION_KEYS = {
    "d": ("x ", "f ", "−/+ "), "p": ("←↑↓→ ",), "g": ("n ", "r ", "−/+ "), "o": ("n ", "r ", "e "),
}


async def test_every_sections_footer_fits_80_columns_with_its_own_keys_first():
    """Was: the descent footer was cut to `q Q` at 80×24."""
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        for language in ("en", "zh"):
            quit_label = GradientsScreen.TEXT.get("key.quit", language)
            for key, keys in SECTION_KEYS.items():
                await pilot.press(key)
                await wait_until(pilot, lambda: footer_row(app).lstrip().startswith(keys[0]),
                                 what=lambda: footer_row(app))
                row = footer_row(app)
                places = [row.index(k) for k in keys]
                assert places == sorted(places) and places[-1] < row.index("? "), row
                assert f"q {quit_label}" in row, row
            await pilot.press("l")
            await pilot.pause()


async def test_language_switch_keeps_the_state_and_translates():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "n", "n", "n", "l")
        await pilot.pause()
        assert "第 3 步" in shown(app, "descent-values")
        assert "合适" in shown(app, "descent-verdict")
        assert "梯度下降法" in section_bar(app)
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


# --- focus and the state document ----------------------------------------------------------


async def test_enter_after_a_typed_learning_rate_gives_the_keys_back():
    """Was: the field kept the focus after Enter, so `h` was typed into it and `q` did not quit."""
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        field = await type_into(pilot, "descent-lr", "0.5")
        assert app.screen.lab.lr == 0.5
        assert app.focused is None
        await pilot.press("h")
        assert app.current_mode == "home"
        assert field.value == "0.5"


async def changed_lesson(pilot) -> None:
    """A lesson far from its start: x = 10, h = 1e-6, point (2.5, 3.5), η = 1.0 after 3 steps, 4 race steps
    with Adam's η = 0.2."""
    await pilot.press("x", "minus", "minus", "p", "left", "down", "g", "plus", *"nnn", "o", *"nnnn")
    await type_into(pilot, "race-lr-adam", "0.2")
    await pilot.press("p")
    await type_into(pilot, "point-x1", "3.5")
    await pilot.press("g")


async def test_the_state_document_restores_the_same_lesson_in_a_new_app():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await changed_lesson(pilot)
        state = app.screen.state()
        assert state == {
            "section": "descent", "function": "function_1", "x": 10.0, "h": 1e-6, "point": [2.5, 3.5], "lr": 1.0,
            "descent_steps": 3, "race_steps": 4, "race_lrs": [0.95, 0.1, 1.5, 0.2],
        }
        document = json.loads(json.dumps(app.screen.document()))
        await pilot.pause()
        picture = app.export_screenshot()
        names = ("diff-table", "partials-values", "descent-values", "race-table", "race-info-adam")
        texts = {name: shown(app, name) for name in names}
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.open_document(document)
        await pilot.pause()
        assert app.screen.state() == state
        assert {name: shown(app, name) for name in texts} == texts
        assert app.export_screenshot() == picture
        assert app.screen.query_one("#diff-h", NumberInput).value == "1e-06"
        assert app.screen.query_one("#point-x1", NumberInput).value == "3.5"
        assert "step 3" in shown(app, "descent-values")
        assert "too large" in shown(app, "descent-verdict")
        assert app.screen.query_one("#race-lr-adam", NumberInput).value == "0.2"


async def test_a_bad_document_is_refused_with_a_message_and_nothing_changes():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await changed_lesson(pilot)
        good = json.loads(json.dumps(app.screen.document()))
        before = app.screen.state()
        picture = app.export_screenshot()
        missing = {k: v for k, v in good["state"].items() if k != "race_steps"}
        bad_states = [
            ({**good["state"], "lr": "abc"}, "state.lr is 'abc', not a number"),
            (missing, "lacks state.race_steps"),
            ({**good["state"], "point": [2.5, 9.0]}, "state.point[1] is 9.0, outside -4 … 4"),
            ({**good["state"], "race_lrs": [0.95, 0.1, 1.5, -1.0]}, "state.race_lrs[3] is -1.0, outside"),
            ({**good["state"], "section": "nowhere"}, "must be one of difference, partials, descent, race"),
            # η = 10 diverges after 5 steps: no run took 7.
            ({**good["state"], "lr": 10.0, "descent_steps": 7}, "state.descent_steps is 7, outside 0 … 5"),
        ]
        for bad, sentence in bad_states:
            count = len(notifications(app))
            assert not app.screen.open_document({**good, "state": bad})
            await pilot.pause()
            assert len(notifications(app)) == count + 1
            assert sentence in notifications(app)[-1]
            assert app.screen.state() == before
        await pilot.pause()
        assert app.export_screenshot() == picture


def test_every_refusal_of_the_model_has_a_sentence_in_both_languages():
    codes = set(re.findall(r'Refusal\(\s*"([\w.]+)"', inspect.getsource(lab_module)))
    assert {"diff.h_range", "partials.edge", "descent.last_preset", "descent.stopped"} <= codes
    values = {"field": "lr", "value": 0.0, "low": 1e-6, "high": 100.0, "limit": 10_000, "h": 10.0}
    for code in codes:
        for language in ("en", "zh"):
            assert GradientsScreen.TEXT.get(code, language, **values)


# --- snapshots (update with --snapshot-update after looking at them) ----------------------


def test_snapshot_difference_section_80x24(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=LESSON), terminal_size=(80, 24))


def test_snapshot_descent_midway_80x24(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=LESSON), terminal_size=(80, 24), press=["g", "n", "n", "n", "n"])
