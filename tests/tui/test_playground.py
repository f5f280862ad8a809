"""Lesson 7 driven by keys through the real app: what the screen shows is what the core computes."""

from __future__ import annotations

import re

import numpy as np
from rich.console import Console
from textual.widgets import Input, Static

from nn_tui.core.labs.playground import MAX_ITERATIONS, OVERFIT_DATA, DataSpec, NetSpec, Playground, make_split
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons.playground.screen import STEP_ITERATIONS, PlaygroundScreen
from nn_tui.tui.widgets.chart import Chart
from nn_tui.tui.widgets.gate_plane import SHADE_COLOURS, GatePlane, PlanePoint, PlaneView, plane_text
from tests.helpers import json_round_trip, notifications, type_into, wait_until


def shown(app: NNTuiApp, widget_id: str) -> str:
    """The plain text a Static of the lesson shows now."""
    return str(app.screen.query_one(f"#{widget_id}", Static).content)


def shown_iteration(app: NNTuiApp) -> int:
    return int(re.search(r"iteration ([\d,]+)", shown(app, "pg-stats"))[1].replace(",", ""))


def shown_row(app: NNTuiApp, label: str) -> list[str]:
    """The train and test columns of a row of the stats table."""
    line = next(line for line in shown(app, "pg-stats").splitlines() if line.strip().startswith(label))
    return line.split()[-2:]


def shown_plane(app: NNTuiApp) -> str:
    return app.screen.query_one("#pg-plane", GatePlane).render().plain


def plane_text_of(view: PlaneView, width: int, height: int) -> str:
    return plane_text(view, width, height).plain


async def open_lesson(pilot, *keys: str) -> None:
    await pilot.pause()
    if keys:
        await pilot.press(*keys)
    await pilot.pause()


# --- first screen, training ---------------------------------------------------------------


async def test_first_screen_shows_circle_untrained():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        assert app.current_mode == "playground"
        assert app.screen.focused is None  # keys drive the lesson
        assert "data (d):  circle " in shown(app, "pg-title")
        fresh = Playground()
        assert shown_iteration(app) == 0 and "paused" in shown(app, "pg-stats")
        assert shown_row(app, "loss") == [f"{fresh.loss:.4f}", f"{fresh.test_loss:.4f}"]
        assert shown_row(app, "accuracy") == [f"{fresh.train_accuracy:.1%}", f"{fresh.test_accuracy:.1%}"]
        fields = ("noise", "points", "train", "layers", "lr", "l2")
        values = {f: app.screen.query_one(f"#pg-{f}", Input).value for f in fields}
        assert values == {"noise": "0.05", "points": "200", "train": "50", "layers": "8,8", "lr": "0.01", "l2": "0"}
        assert "● ■ train 100  ○ □ test 100" in shown(app, "pg-legend")
        plane = shown_plane(app)
        assert "●" in plane and "■" in plane and "○" in plane and "□" in plane


async def test_training_on_circle_passes_90_percent_and_pause_stops_the_counter():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "space")
        assert "training" in shown(app, "pg-stats")

        def accuracy() -> float:
            return float(shown_row(app, "accuracy")[0].rstrip("%"))

        await wait_until(pilot, lambda: accuracy() >= 90.0)
        await pilot.press("space")
        await pilot.pause()
        stopped_at = shown_iteration(app)
        assert "paused" in shown(app, "pg-stats") and stopped_at > 0
        await pilot.pause(0.3)
        assert shown_iteration(app) == stopped_at == app.screen.pg.iteration
        # What is shown is the core's playground trained as many steps, independently.
        again = Playground()
        again.train(stopped_at)
        assert shown_row(app, "loss") == [f"{again.loss:.4f}", f"{again.test_loss:.4f}"]
        assert shown_row(app, "accuracy") == [f"{again.train_accuracy:.1%}", f"{again.test_accuracy:.1%}"]


async def test_step_takes_exactly_the_chunk():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "n")
        assert shown_iteration(app) == STEP_ITERATIONS == 10
        await pilot.press("n", "n")
        assert shown_iteration(app) == 30
        again = Playground()
        again.train(30)
        assert shown_row(app, "loss") == [f"{again.loss:.4f}", f"{again.test_loss:.4f}"]
        await pilot.press("r")
        assert shown_iteration(app) == 0
        assert shown_row(app, "loss")[0] == f"{Playground().loss:.4f}"


async def test_the_map_repaints_while_training_not_per_iteration():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        plane = app.screen.query_one("#pg-plane", GatePlane)
        views = []
        original = plane.show
        plane.show = lambda view: (views.append(app.screen.pg.iteration), original(view))
        await pilot.press("space")
        await pilot.pause(1.0)
        await pilot.press("space")
        iterations = app.screen.pg.iteration
        assert iterations >= 40
        # At most ~4 repaints a second (plus the two key presses), far fewer than the iterations.
        assert 2 <= len(views) <= 8 < iterations


async def test_a_run_pauses_itself_at_its_length():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        app.screen.run_length = 25  # 5,000 in class; short here
        await pilot.press("space")
        await wait_until(pilot, lambda: not app.screen.running)
        await pilot.pause()
        assert shown_iteration(app) == 25 and "paused" in shown(app, "pg-stats")
        assert "Paused after 25 iterations; space goes on." in shown(app, "pg-message")
        await pilot.press("space")
        await wait_until(pilot, lambda: not app.screen.running)
        assert app.screen.pg.iteration == 50


async def test_leaving_the_lesson_pauses_training():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "space")
        await wait_until(pilot, lambda: app.screen.pg.iteration > 0)
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        assert app.current_mode == "playground" and not app.screen.running
        stopped_at = app.screen.pg.iteration
        await pilot.pause(0.3)
        assert app.screen.pg.iteration == stopped_at and "paused" in shown(app, "pg-stats")


# --- changing the data and the network --------------------------------------------------------


async def test_switching_the_data_set_repaints_the_map():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "n")
        before = shown_plane(app)
        await pilot.press("d")
        assert "XOR" in shown(app, "pg-title") and app.screen.pg.data.name == "xor"
        assert shown_iteration(app) == 0  # new data, new network
        after = shown_plane(app)
        assert after != before
        # The points drawn are the XOR set's, test points hollow.
        split = make_split(DataSpec("xor"))
        view = app.screen.query_one("#pg-plane", GatePlane).view
        drawn = {(p.x, p.y, p.label, p.test) for p in view.points}
        expected = {(x, y, t, False) for (x, y), t in zip(split.x_train.tolist(), split.t_train.tolist())}
        expected |= {(x, y, t, True) for (x, y), t in zip(split.x_test.tolist(), split.t_test.tolist())}
        assert drawn == expected and len(drawn) == 200
        await pilot.press("d", "d")
        assert app.screen.pg.data.name == "gaussian" and "blobs ×2" in shown(app, "pg-title")
        await pilot.press("c")
        assert app.screen.pg.data.classes == 3 and "blobs ×3" in shown(app, "pg-title")
        assert "▲" in shown_plane(app) and "● ■ ▲ train" in shown(app, "pg-legend")
        assert app.screen.pg.network.output_size == 3
        await pilot.press("D")
        assert app.screen.pg.data.name == "spiral"


async def test_new_seed_draws_new_points_and_weights():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "n", "s")
        pg = app.screen.pg
        assert pg.data.seed == 1 and pg.net.seed == 1 and pg.iteration == 0
        expected = Playground(DataSpec(seed=1), NetSpec(seed=1))
        assert np.array_equal(pg.split.x_train, expected.split.x_train)
        assert shown_row(app, "loss") == [f"{expected.loss:.4f}", f"{expected.test_loss:.4f}"]
        assert expected.loss != Playground().loss


async def test_activation_and_optimiser_keys():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "a")
        assert app.screen.pg.net.activation == "relu" and "ReLU" in shown(app, "pg-activation")
        await pilot.press("o")
        assert app.screen.pg.net.optimizer == "sgd" and "SGD" in shown(app, "pg-optimizer")


async def test_typed_values_change_the_playground():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "n")
        await type_into(pilot, "pg-lr", "0.05")
        # The learning rate acts on the running network: the steps taken stay.
        assert app.screen.pg.net.lr == 0.05 and app.screen.pg.iteration == 10
        assert app.screen.focused is None
        await type_into(pilot, "pg-layers", "4, 3")
        assert app.screen.pg.net.hidden == (4, 3) and app.screen.pg.iteration == 0
        assert app.screen.query_one("#pg-layers", Input).value == "4,3"
        await type_into(pilot, "pg-points", "100")
        await type_into(pilot, "pg-train", "70")
        assert "● ■ train 70  ○ □ test 30" in shown(app, "pg-legend")
        await type_into(pilot, "pg-noise", "0.3")
        assert app.screen.pg.data == DataSpec("circle", 100, 0.3, 0.7)
        await pilot.press("n")
        expected = Playground(DataSpec("circle", 100, 0.3, 0.7), NetSpec(hidden=(4, 3), lr=0.05))
        expected.train(10)
        assert shown_row(app, "loss") == [f"{expected.loss:.4f}", f"{expected.test_loss:.4f}"]


async def test_bad_inputs_change_nothing_and_say_why():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "n")
        pg = app.screen.pg
        before = (pg.data, pg.net, pg.iteration, pg.loss, shown(app, "pg-stats"))
        cases = [
            ("pg-noise", "abc", "0.05", "not a number"),
            ("pg-noise", "0.9", "0.05", "at most 0.5"),
            ("pg-points", "20", "200", "at least 50"),
            ("pg-points", "100.5", "200", "whole number"),
            ("pg-train", "95", "50", "at most 90"),
            ("pg-lr", "0", "0.01", "at least"),
            ("pg-lr", "nan", "0.01", "not a finite number"),
            ("pg-l2", "inf", "0", "not a finite number"),
            ("pg-l2", "-1", "0", "at least 0"),
            ("pg-layers", "8,0", "8,8", "1-64 neurons"),
            ("pg-layers", "eight", "8,8", "not a list like 8,8"),
            ("pg-layers", "", "8,8", "not a list like 8,8"),
            ("pg-layers", "1,1,1,1,1,1,1", "8,8", "1-6 layers"),
        ]
        for field_id, text, kept, reason in cases:
            app.clear_notifications()
            field = await type_into(pilot, field_id, text)
            assert field.value == kept, (field_id, text)
            assert any(reason in said and f"kept {kept}" in said for said in notifications(app)), (
                field_id, text, notifications(app))
            assert (pg.data, pg.net, pg.iteration, pg.loss, shown(app, "pg-stats")) == before
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.focused is None
        await pilot.press("n")  # keys work again
        assert app.screen.pg.iteration == 20


async def test_a_diverging_run_stops_with_a_message():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "o")  # SGD
        await type_into(pilot, "pg-lr", "10")
        await type_into(pilot, "pg-l2", "1")
        await pilot.press("space")
        await wait_until(pilot, lambda: app.screen.pg.diverged and not app.screen.running)
        await pilot.pause()
        assert "diverged" in shown(app, "pg-stats") and "too large" in shown(app, "pg-message")
        assert shown_row(app, "loss") == ["nan", "nan"]
        await pilot.press("n")
        assert "press r" in shown(app, "pg-message")
        await type_into(pilot, "pg-lr", "0.1")
        await pilot.press("r")
        assert not app.screen.pg.diverged and shown_iteration(app) == 0


# --- overfitting, language ----------------------------------------------------------------------


async def test_overfitting_demo_switches_few_and_many_neurons():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "v")
        assert app.screen.pg.data == OVERFIT_DATA and app.screen.pg.net.hidden == (2,)
        assert "spirals" in shown(app, "pg-title") and "few ↔ many" in shown(app, "pg-message")
        await pilot.press(*["n"] * 10)
        few = Playground(OVERFIT_DATA, NetSpec(hidden=(2,), lr=0.03))
        few.train(100)
        assert shown_row(app, "▶ few (2)") == [f"{few.train_accuracy:.1%}", f"{few.test_accuracy:.1%}"]
        assert shown_row(app, "many (64,64)") == ["–", "–"]
        await pilot.press("v")
        assert app.screen.pg.net.hidden == (64, 64) and shown_iteration(app) == 0
        await pilot.press(*["n"] * 10)
        many = Playground(OVERFIT_DATA, NetSpec(hidden=(64, 64), lr=0.03))
        many.train(100)
        # Side by side: the remembered few-neuron numbers and the many-neuron run.
        assert shown_row(app, "few (2)") == [f"{few.train_accuracy:.1%}", f"{few.test_accuracy:.1%}"]
        assert shown_row(app, "▶ many (64,64)") == [f"{many.train_accuracy:.1%}", f"{many.test_accuracy:.1%}"]
        assert many.train_accuracy > few.train_accuracy
        await pilot.press("a")  # any change leaves the demo
        assert "few (2)" not in shown(app, "pg-stats")


async def test_language_switch_keeps_the_run_going():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "d", "space")
        await wait_until(pilot, lambda: shown_iteration(app) > 0)
        await pilot.press("l")
        await pilot.pause()
        assert "游乐场" in shown(app, "pg-title") and "异或" in shown(app, "pg-title")
        assert "训练中" in shown(app, "pg-stats") and "训练 100" in shown(app, "pg-legend")
        start = app.screen.pg.iteration
        await wait_until(pilot, lambda: app.screen.pg.iteration > start)
        await pilot.press("space")
        assert "已暂停" in shown(app, "pg-stats")
        assert app.screen.pg.data.name == "xor"


async def test_chinese_refusal_messages():
    app = NNTuiApp(start_lesson=7, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        await type_into(pilot, "pg-layers", "0")
        assert any("隐藏层" in said and "保留原值 8,8" in said for said in notifications(app))
        await type_into(pilot, "pg-lr", "x")
        assert any("学习率" in said for said in notifications(app))


async def test_help_lists_the_keys():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "question_mark")
        text = str(app.screen.query_one("#help-text", Static).content)
        assert "decision regions" in text and "overfitting" in text


async def test_the_message_line_follows_the_language_switch():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        app.screen.run_length = 20
        await pilot.press("space")
        await wait_until(pilot, lambda: not app.screen.running)
        await pilot.pause()
        assert "Paused after 20 iterations" in shown(app, "pg-message")
        await pilot.press("l")
        await pilot.pause()
        assert "已训练 20 次迭代，自动暂停" in shown(app, "pg-message")


async def test_the_loss_chart_draws_the_cores_history():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        chart = app.screen.query_one("#pg-chart", Chart)
        assert chart.series == {} and chart.title == "training loss · press space"
        await pilot.press("n", "n", "n")
        curve = app.screen.pg.history.chart(400)
        assert chart.title == "training loss"
        assert chart.series["loss"].x == curve.iterations.tolist() == list(range(1, 31))
        assert chart.series["loss"].y == curve.raw.tolist()
        assert chart.limits[0] == (1.0, 30.0) and chart.limits[1][0] == 0.0


async def test_a_network_stops_at_the_iteration_limit(monkeypatch):
    from nn_tui.core.labs import playground as core
    from nn_tui.tui.lessons.playground import screen as lesson

    monkeypatch.setattr(core, "MAX_ITERATIONS", 25)
    monkeypatch.setattr(lesson, "MAX_ITERATIONS", 25)
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "n", "space")
        await wait_until(pilot, lambda: not app.screen.running)
        await pilot.pause()
        assert shown_iteration(app) == 25 and "25 steps" in shown(app, "pg-message")
        await pilot.press("n")
        assert shown_iteration(app) == 25 and "press r" in shown(app, "pg-message")
        await pilot.press("r", "n")
        assert shown_iteration(app) == 10


# --- the state document ---------------------------------------------------------------------


def screen_text(app: NNTuiApp) -> dict[str, object]:
    """Everything lesson 7 shows now: every text, field, the region map and the loss chart."""
    screen = app.screen
    seen: dict[str, object] = {}
    for widget in screen.query(Static):
        if widget.id:
            seen[widget.id] = str(widget.content)
    for field in screen.query(Input):
        seen[field.id] = field.value
    seen["plane"] = screen.query_one("#pg-plane", GatePlane).render().plain
    chart = screen.query_one("#pg-chart", Chart)
    seen["chart"] = (chart.title, chart.series, chart.limits)
    return seen



async def saved_after(*keys: str, typed: tuple[tuple[str, str], ...] = ()) -> tuple[dict, dict]:
    """The document and the screen after `typed` values and then `keys`."""
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        for field_id, text in typed:
            await type_into(pilot, field_id, text)
        await pilot.press(*keys)
        await pilot.pause()
        return json_round_trip(app.screen.document()), screen_text(app)


async def reopened(document: object) -> tuple[dict, dict, PlaygroundScreen]:
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot)
        assert app.screen.open_document(document)
        await pilot.pause()
        return json_round_trip(app.screen.document()), screen_text(app), app.screen


async def test_a_saved_playground_opens_the_same_screen_in_a_new_app():
    # XOR, ReLU, SGD, a typed learning rate and hidden layers, 30 steps.
    document, shown_before = await saved_after("d", "a", "o", "n", "n", "n", typed=(("pg-lr", "0.3"), ("pg-layers", "6,4")))
    state = document["state"]
    assert state["playground"]["data"]["name"] == "xor" and state["playground"]["net"]["hidden"] == [6, 4]
    assert state["playground"]["iteration"] == 30 and len(state["playground"]["losses"]) == 30
    assert state["running"] is False
    document_after, shown_after, screen = await reopened(document)
    assert (document_after, shown_after) == (document, shown_before)
    # The restored network goes on exactly as the saved one would have.
    again = Playground(DataSpec("xor"), NetSpec(hidden=(6, 4), activation="relu", lr=0.3, optimizer="sgd"))
    again.train(40)
    screen.pg.train(10)
    assert screen.pg.loss == again.loss and np.array_equal(screen.pg.network.params["W2"], again.network.params["W2"])


async def test_the_overfitting_demo_and_a_diverged_run_come_back():
    document, shown_before = await saved_after("v", *["n"] * 5, "v", *["n"] * 3)
    assert document["state"]["overfit"]["preset"] == "many" and len(document["state"]["overfit"]["few"]) == 2
    assert "few (2)" in shown_before["pg-stats"]
    assert (await reopened(document))[:2] == (document, shown_before)
    # SGD with lr 10 and λ 1 diverges after 161 steps.
    document, shown_before = await saved_after("o", *["n"] * 17, typed=(("pg-lr", "10"), ("pg-l2", "1")))
    assert document["state"]["playground"]["diverged"] is True and "weights" not in document["state"]["playground"]
    assert "diverged" in shown_before["pg-stats"] and "press r" in shown_before["pg-message"]
    assert document["state"]["message"] == {"key": "message.diverged", "values": {}}
    assert (await reopened(document))[:2] == (document, shown_before)


async def test_a_saved_run_goes_on_running():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "n")
        document = json_round_trip(app.screen.document())
        document["state"]["running"] = True
        document["state"]["run_ends_at"] = 40
        assert app.screen.open_document(document)
        assert app.screen.running and "training" in shown(app, "pg-stats")
        await wait_until(pilot, lambda: not app.screen.running)
        await pilot.pause()
        assert app.screen.pg.iteration == 40 and "Paused after 40 iterations" in shown(app, "pg-message")


async def test_a_bad_document_is_refused_with_a_message_and_changes_nothing():
    app = NNTuiApp(start_lesson=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, "a", "n", "n")
        good = json_round_trip(app.screen.document())
        state = good["state"]
        pg = state["playground"]
        shown_before = screen_text(app)
        weights = pg["weights"]
        bad_states = {
            "state.playground.data.noise is 'abc', not a number": {
                **state, "playground": {**pg, "data": {**pg["data"], "noise": "abc"}}},
            "lacks state.playground.iteration": {**state, "playground": {k: v for k, v in pg.items() if k != "iteration"}},
            "lacks state.running": {k: v for k, v in state.items() if k != "running"},
            "state.playground.net.lr is 11.0, outside 0 … 10": {
                **state, "playground": {**pg, "net": {**pg["net"], "lr": 11}}},
            "state.playground.data.name is 'moons'; it must be one of circle, xor, spiral, gaussian": {
                **state, "playground": {**pg, "data": {**pg["data"], "name": "moons"}}},
            "state.playground.losses has 19 items, not 20": {**state, "playground": {**pg, "losses": pg["losses"][1:]}},
            "state.playground.weights.W1 has 15 items, not 16": {
                **state, "playground": {**pg, "weights": {**weights, "W1": weights["W1"][1:]}}},
            "lacks state.playground.weights.b3": {
                **state, "playground": {**pg, "weights": {k: v for k, v in weights.items() if k != "b3"}}},
            "state.playground.moments.v.W1[0] is -1.0, outside 0 … ∞": {
                **state, "playground": {**pg, "moments": {**pg["moments"], "v": {
                    **pg["moments"]["v"], "W1": [-1.0, *pg["moments"]["v"]["W1"][1:]]}}}},
            "state.playground.net.hidden[1] is 0, outside 1 … 64": {
                **state, "playground": {**pg, "net": {**pg["net"], "hidden": [8, 0]}}},
            "hidden layers: 0 layers, but use 1-6 layers; kept 8,8": {
                **state, "playground": {**pg, "net": {**pg["net"], "hidden": []}}},
            "shows the overfitting demo 'few' with other settings": {
                **state, "overfit": {**state["overfit"], "preset": "few"}},
            "state.overfit.many has 1 items, not 2": {**state, "overfit": {**state["overfit"], "many": [0.5]}},
            "state.message.key is 'message.hello'": {**state, "message": {"key": "message.hello", "values": {}}},
            "lacks state.message.values.n": {**state, "message": {"key": "message.run_length", "values": {}}},
        }
        for message, bad in bad_states.items():
            app.clear_notifications()
            assert not app.screen.open_document({**good, "state": bad}), message
            await pilot.pause()
            assert any(
                message in said and ("nothing was changed" in said.lower() or "kept" in said) for said in notifications(app)
            ), (message, notifications(app))
            assert json_round_trip(app.screen.document()) == good
            assert screen_text(app) == shown_before
        nan = {**good, "state": {**state, "playground": {**pg, "losses": [float("nan"), *pg["losses"][1:]]}}}
        assert not app.screen.open_document(nan)
        assert json_round_trip(app.screen.document()) == good
        assert app.screen.pg.iteration == 20 and app.screen.pg.net.activation == "relu"
        assert MAX_ITERATIONS == 100_000


# --- the shaded plane -------------------------------------------------------------------------


def shaded_view(confidence: float, points=()) -> PlaneView:
    return PlaneView(
        lambda xs, ys: (np.asarray(xs) > 0).astype(int),
        tuple(points),
        x_range=(-1, 1),
        y_range=(-1, 1),
        confidence=lambda xs, ys: np.full(np.shape(xs), confidence),
    )


def test_shaded_plane_patterns_grow_denser_with_certainty():
    # 2 classes: 0.55 is unsure (no pattern), 0.8 fairly sure (sparse), 0.99 sure (dense).
    counts = []
    for confidence in (0.55, 0.8, 0.99):
        lines = plane_text_of(shaded_view(confidence), 43, 11).splitlines()
        right = "".join(line[3 + 20 :] for line in lines[:10])  # x > 0: class 1, pattern "·"
        left = "".join(line[3 : 3 + 20] for line in lines[:10])  # x < 0: class 0, no pattern
        assert set(left) == {" "}
        counts.append(right.count("·"))
    assert counts == [0, 50, 100]


def test_shaded_plane_draws_train_filled_and_test_hollow():
    points = (PlanePoint(-0.5, 0.5, 0), PlanePoint(0.5, 0.5, 1), PlanePoint(-0.5, -0.5, 0, test=True),
              PlanePoint(0.5, -0.5, 1, test=True))
    lines = plane_text_of(shaded_view(0.99, points), 43, 11).splitlines()
    # 40 columns over -1..1: x = -0.5 is column 10, 0.5 column 30; 10 rows: y = 0.5 row 2, -0.5 row 7.
    assert lines[2][3 + 10] == "●" and lines[2][3 + 30] == "■"
    assert lines[7][3 + 10] == "○" and lines[7][3 + 30] == "□"


def test_shaded_plane_colours_follow_class_and_certainty():
    text = plane_text(shaded_view(0.99), 43, 11)
    unsure = plane_text(shaded_view(0.55), 43, 11)

    def background(t, col):
        return str(t.get_style_at_offset(Console(), 3 + col).bgcolor.name)

    assert background(text, 5) == SHADE_COLOURS[0][2] and background(text, 35) == SHADE_COLOURS[1][2]
    assert background(unsure, 5) == SHADE_COLOURS[0][0] and background(unsure, 35) == SHADE_COLOURS[1][0]


# --- snapshots ------------------------------------------------------------------------------------


def test_first_screen_80x24(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=7), terminal_size=(80, 24))


def test_paused_mid_training_80x24(snap_compare):
    # 12 steps of 10: deterministic, mid-way through learning the circle.
    assert snap_compare(NNTuiApp(start_lesson=7), terminal_size=(80, 24), press=["n"] * 12)


def test_overfitting_many_neurons_80x24(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=7), terminal_size=(80, 24), press=["v", "v", *["n"] * 20])
