"""Lesson 5 driven by keys through the real app: the graph shows the book's numbers at every step."""

from __future__ import annotations

import re

import numpy as np
from textual.widgets import Static

from nn_tui.core.graph.presets import PRESETS, apple
from nn_tui.core.graph.stepper import GraphStepper
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons.backprop.screen import BackpropScreen
from nn_tui.tui.widgets.graph_view import GraphView, number_text, value_text
from nn_tui.tui.widgets.number_input import NumberInput

LESSON = 5


def shown(app: NNTuiApp, widget_id: str) -> str:
    return str(app.screen.query_one(f"#{widget_id}", Static).content)


def labels(app: NNTuiApp, name: str) -> tuple[str, str]:
    """The value label ("→ 200") and gradient label ("← 1.1") drawn beside node ``name``."""
    view = app.screen.query_one(GraphView)
    lines = str(view.content).split("\n")
    box = view.graph_layout.boxes[name]
    start = box.right + 2

    def read(row: int) -> str:
        return lines[row][start:].split("  ")[0].strip().rstrip("│").strip()

    return read(box.y), read(box.bottom)


def box_line(app: NNTuiApp, name: str) -> str:
    """The middle row of a node's box, e.g. "║ × price ╟"."""
    view = app.screen.query_one(GraphView)
    box = view.graph_layout.boxes[name]
    return str(view.content).split("\n")[box.middle][box.x:box.right + 1]


async def pick_preset(pilot, name: str) -> None:
    await pilot.press("s")
    await pilot.pause()
    await pilot.press("home", *["down"] * list(PRESETS).index(name), "enter")
    await pilot.pause()


async def test_the_apple_graph_one_key_at_a_time():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BackpropScreen)
        # at the start only the inputs have values; nothing is 0
        assert labels(app, "apple") == ("→ 100", "← ?")
        assert labels(app, "apple_price") == ("→ ?", "← ?")
        assert labels(app, "price") == ("→ ?", "← ?")
        assert "apple_price = apple × apple_num" in shown(app, "bp-step")

        await pilot.press("space")
        assert labels(app, "apple_price") == ("→ 200", "← ?")
        assert labels(app, "price") == ("→ ?", "← ?")
        assert box_line(app, "apple_price") == "║ × apple_price ╟"  # the node of this step
        assert "= 100 × 2 = 200\n" in shown(app, "bp-step")
        assert "forward propagation 1/2" in shown(app, "bp-phase")

        await pilot.press("space")
        assert labels(app, "price") == ("→ 220", "← ?")
        step = shown(app, "bp-step")
        assert "= 200 × 1.1 = 220\n" in step
        assert "220.00000000000003" in step  # Python's float, in full
        assert box_line(app, "apple_price") == "│ × apple_price ├"

        await pilot.press("space")  # backward: the tax node
        assert labels(app, "price") == ("→ 220", "← 1")
        assert labels(app, "apple_price") == ("→ 200", "← 1.1")
        assert labels(app, "tax") == ("→ 1.1", "← 200")
        assert labels(app, "apple") == ("→ 100", "← ?")
        step = shown(app, "bp-step")
        assert "multiply node (乘法节点): swap" in step
        assert "sends 1 × 1.1 = 1.1 to apple_price" in step
        assert "sends 1 × 200 = 200 to tax" in step

        await pilot.press("space")  # backward: the first multiply
        assert labels(app, "apple") == ("→ 100", "← 2.2")
        assert labels(app, "apple_num") == ("→ 2", "← 110")
        step = shown(app, "bp-step")
        assert "upstream gradient (上游梯度) ∂price/∂apple_price = 1.1" in step
        assert "sends 1.1 × 2 = 2.2 to apple" in step
        assert "sends 1.1 × 100 = 110 to apple_num" in step
        assert "110.00000000000001" in step
        assert "both passes done" in shown(app, "bp-phase")
        assert re.search(r"Gradient check: max relative error \S+ ✓", shown(app, "bp-message"))

        await pilot.press("space")  # nothing left: refused, nothing changes
        assert shown(app, "bp-message") == "both passes are finished; reset to start again"
        assert labels(app, "apple") == ("→ 100", "← 2.2")


async def test_back_undoes_and_reset_forgets_everything():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "right", "right")
        assert labels(app, "tax") == ("→ 1.1", "← 200")
        await pilot.press("p")
        assert labels(app, "tax") == ("→ 1.1", "← ?")
        assert labels(app, "price") == ("→ 220", "← ?")
        await pilot.press("left", "left")
        assert labels(app, "apple_price") == ("→ ?", "← ?")
        await pilot.press("left")
        assert shown(app, "bp-message") == "nothing to undo: already at the beginning"
        await pilot.press("g")  # the whole forward pass
        assert labels(app, "price") == ("→ 220", "← ?")
        assert "backward propagation 0/2" in shown(app, "bp-phase")
        await pilot.press("g")  # the whole backward pass
        assert labels(app, "apple_num") == ("→ 2", "← 110")
        await pilot.press("r")
        assert labels(app, "price") == ("→ ?", "← ?")
        assert labels(app, "apple") == ("→ 100", "← ?")


async def test_backward_before_the_forward_pass_is_refused():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        assert shown(app, "bp-message") == "finish the forward pass first (2 nodes left)"
        assert app.screen.stepper.steps_done == 0
        assert labels(app, "price") == ("→ ?", "← ?")
        await pilot.press("n", "b")
        assert shown(app, "bp-message") == "finish the forward pass first (1 node left)"
        await pilot.press("n", "b")  # forward finished: b takes the first backward step
        assert labels(app, "tax") == ("→ 1.1", "← 200")
        assert shown(app, "bp-message").startswith("r reset")  # the hint is back


async def test_editing_an_input_recomputes_up_to_the_same_step():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.press("e")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#in-apple", NumberInput)
        await pilot.press(*"150", "enter")
        await pilot.pause()
        assert labels(app, "apple") == ("→ 150", "← ?")
        assert labels(app, "apple_price") == ("→ 300", "← ?")
        assert labels(app, "price") == ("→ 330", "← ?")  # 330.00000000000006
        assert "apple = 150: recomputed from the start up to step 2" in shown(app, "bp-message")
        # a bad value is refused and changes nothing
        await pilot.press("tab", *"abc", "enter")
        await pilot.pause()
        assert app.screen.graph.inputs["apple_num"].value == 2.0
        assert labels(app, "price") == ("→ 330", "← ?")
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query("#in-apple")
        await pilot.press("g")
        assert labels(app, "apple") == ("→ 150", "← 2.2")
        assert labels(app, "tax") == ("→ 1.1", "← 300")


async def test_a_bad_formula_shows_where_the_problem_is():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"(x + * y", "enter")
        await pilot.pause()
        error = shown(app, "bp-expr-error").split("\n")
        assert error[0] == "(x + * y"
        assert error[1].startswith("     ^ column 5: expected a number, a name or '(', found '*'")
        assert app.screen.preset == "apple" and app.screen.expression == ""  # graph unchanged


async def test_a_typed_formula_becomes_the_graph():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_preset(pilot, "add_mul")  # x = -2, y = 5, z = -4: the formula keeps them
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"(x + y) * z", "enter")
        await pilot.pause()
        assert "(x + y) * z" in shown(app, "bp-title")
        await pilot.press("g", "g")
        assert labels(app, "f") == ("→ -12", "← 1")
        assert labels(app, "x") == ("→ -2", "← -4")
        assert labels(app, "y") == ("→ 5", "← -4")
        assert labels(app, "z") == ("→ -4", "← 3")


async def test_apples_and_oranges_reach_the_books_numbers():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(100, 30)) as pilot:
        await pick_preset(pilot, "apple_orange")
        assert "Apples and oranges" in shown(app, "bp-title")
        await pilot.press("g", "g")
        assert labels(app, "price") == ("→ 715", "← 1")
        assert labels(app, "apple") == ("→ 100", "← 2.2")
        assert labels(app, "apple_num") == ("→ 2", "← 110")
        assert labels(app, "orange") == ("→ 150", "← 3.3")
        assert labels(app, "orange_num") == ("→ 3", "← 165")
        assert labels(app, "tax") == ("→ 1.1", "← 650")
        assert labels(app, "all_price") == ("→ 650", "← 1.1")


async def test_add_and_max_nodes_name_their_behaviour():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(100, 30)) as pilot:
        await pick_preset(pilot, "apple_orange")
        await pilot.press("g", "space", "space")  # backward: price, then all_price (add)
        step = shown(app, "bp-step")
        assert "add node (加法节点): distribute" in step
        assert "sends 1.1 × 1 = 1.1 to apple_price" in step
        await pick_preset(pilot, "max_gate")
        await pilot.press("g", "g")
        step = shown(app, "bp-step")
        assert "max node (max 节点): route" in step
        assert "sends 2 × 1 = 2 to x" in step and "sends 2 × 0 = 0 to y" in step


async def test_the_sigmoid_neuron_has_the_same_gradients_as_gates_or_as_one_gate():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(120, 40)) as pilot:
        expected = {"w0": ("→ 2", "← -0.196612"), "x0": ("→ -1", "← 0.393224"), "w1": ("→ -3", "← -0.393224"),
                    "x1": ("→ -2", "← -0.589836"), "w2": ("→ -3", "← 0.196612"), "f": ("→ 0.731059", "← 1")}
        for preset in ("sigmoid_neuron_gates", "sigmoid_neuron_gate"):
            await pick_preset(pilot, preset)
            await pilot.press("g", "g")
            assert {name: labels(app, name) for name in expected} == expected
        await pilot.press("r", "g", "space")  # the one σ gate's backward step
        step = shown(app, "bp-step")
        assert "σ node — ∂y/∂x = y(1 - y)" in step
        assert "sends 1 × 0.1966119332 = 0.1966119332 to dot" in step


async def test_the_tiny_network_passes_the_gradient_check():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_preset(pilot, "tiny_network")
        assert labels(app, "W1") == ("→ 2×3", "← ?")  # arrays by shape on the graph
        await pilot.press("space")
        assert "x 2×2 · W1 2×3 + b1 (3,) = 2×3" in shown(app, "bp-step")
        assert "W1 (2×3) =\n[[" in shown(app, "bp-step")  # the current node's arrays in full
        await pilot.press("g", "g")
        message = shown(app, "bp-message")
        error = float(re.search(r"max relative error (\S+) ✓", message).group(1))
        assert 0 <= error < 1e-6
        assert "W1: relative error" in shown(app, "bp-check")
        await pilot.press("c")  # on request too, and it leaves the state alone
        assert "max relative error" in shown(app, "bp-message")
        assert labels(app, "W1") == ("→ 2×3", "← 2×3")


async def test_chinese_keeps_the_state():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "space", "space")
        await pilot.press("l")
        await pilot.pause()
        assert "计算图" in shown(app, "bp-title") and "买苹果" in shown(app, "bp-title")
        assert "反向传播 1/2" in shown(app, "bp-phase")
        step = shown(app, "bp-step")
        assert "乘法节点：互换" in step and "传给 tax：1 × 200 = 200" in step
        assert labels(app, "tax") == ("→ 1.1", "← 200")
        await pilot.press("r", "b")
        assert shown(app, "bp-message") == "请先完成正向传播（还剩 2 个节点）"


def test_numbers_read_as_the_book_prints_them():
    assert number_text(220.00000000000003) == "220"
    assert number_text(110.00000000000001) == "110"
    assert number_text(2.2) == "2.2"
    assert number_text(-0.0) == "0"
    assert number_text(0.19661193324148185) == "0.196612"
    assert number_text(0.19661193324148185, 10) == "0.1966119332"
    assert value_text(None) == "?"
    assert value_text(np.zeros((2, 3))) == "2×3" and value_text(np.zeros(3)) == "(3,)"


APPLE_DONE = """\
┌───────────┐ → 100
│ apple 100 ├─────────┐
└───────────┘ ← 2.2   │  ╔═══════════════╗ → 200
                      ├─▶║ × apple_price ╟───────┐
┌─────────────┐ → 2   │  ╚═══════════════╝ ← 1.1 │  ┌─────────┐ → 220
│ apple_num 2 ├───────┘                          ├─▶│ × price ├───────
└─────────────┘ ← 110    ┌─────────┐ → 1.1       │  └─────────┘ ← 1
                         │ tax 1.1 ├─────────────┘
                         └─────────┘ ← 200"""


def test_the_drawing_reads_without_colour():
    graph = apple()
    stepper = GraphStepper(graph)
    view = GraphView()
    view.set_graph(graph)
    start = view.picture().plain
    assert "→ ?" in start and "→ 0" not in start and "╔" not in start
    stepper.run_to_end()
    done = view.picture(stepper.current.node, backward=True).plain
    assert "\n".join(line.rstrip() for line in done.split("\n")) == APPLE_DONE


def test_first_screen_80x24(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=LESSON), terminal_size=(80, 24))


def test_apple_mid_forward_100x30(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=LESSON), terminal_size=(100, 30), press=["space"])


def test_apple_mid_backward_100x30(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=LESSON), terminal_size=(100, 30), press=["space"] * 3)
