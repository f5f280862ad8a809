"""Lesson 5 driven by keys through the real app: the graph shows the book's numbers at every step."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Static

from nn_tui.core.graph.expression import MAX_DEPTH, MAX_LENGTH, ExpressionError, parse_expression

from nn_tui.core.graph.presets import PRESETS, apple
from nn_tui.core.graph.stepper import GraphStepper
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons.backprop.screen import BackpropScreen
from nn_tui.tui.lessons.backprop.text import TEXT
from nn_tui.tui.lessons.backprop.graph_view import GraphView, number_text, value_text
from nn_tui.tui.widgets.number_input import NumberInput
from tests.helpers import notifications, type_into

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
        assert notifications(app)[-1] == "both passes are finished; reset to start again"
        assert labels(app, "apple") == ("→ 100", "← 2.2")
        assert re.search(r"Gradient check: max relative error \S+ ✓", shown(app, "bp-message"))


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
        assert notifications(app)[-1] == "nothing to undo: already at the beginning"
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
        assert notifications(app) == ["finish the forward pass first (2 nodes left)"]
        assert app.screen.stepper.steps_done == 0
        assert labels(app, "price") == ("→ ?", "← ?")
        await pilot.press("n", "b")
        assert notifications(app)[-1] == "finish the forward pass first (1 node left)"
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
        assert app.screen.panel == "" and not app.screen.query_one("#bp-inputs").display
        assert app.focused is None
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
        assert app.screen.lab.preset == "apple" and app.screen.lab.expression == ""  # graph unchanged
        assert app.focused is app.screen.query_one("#bp-expr-input")  # to put the formula right


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
        assert "σ node — ∂f/∂dot = f·(1 - f)" in step  # the rule in the graph's own names
        assert "sends 1 × 0.1966119332 = 0.1966119332 to dot" in step


async def test_the_rule_text_uses_the_nodes_own_names():
    """Was: "∂z/∂x = y" beside an input called z, and a box "x² pow1" in a graph with an input x."""
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"z*x+x^2", "enter")
        await pilot.pause()
        await pilot.press("space")
        step = shown(app, "bp-step")
        assert "∂mul1/∂z = x, ∂mul1/∂x = z" in step
        assert "∂z/∂x" not in step and "∂z/∂y" not in step
        await pilot.press("space")
        assert "∂pow1/∂x = 2x" in shown(app, "bp-step")
        assert box_line(app, "pow1") == "║ (·)² pow1 ╟"  # not "x² pow1" beside the input x
        await pilot.press("g", "g")  # the backward pass, to its last step: mul1
        step = shown(app, "bp-step")
        assert "swap — ∂mul1/∂z = x, ∂mul1/∂x = z" in step
        await pick_preset(pilot, "apple")
        await pilot.press("space")
        assert "∂apple_price/∂apple = apple_num, ∂apple_price/∂apple_num = apple" in shown(app, "bp-step")


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
        assert notifications(app)[-1] == "请先完成正向传播（还剩 2 个节点）"
        assert shown(app, "bp-message") == "回到开头：尚未计算任何值。"


SHOWN = ("bp-title", "bp-phase", "bp-step", "bp-check", "bp-message", "bp-graph")


def screen_text(app: NNTuiApp) -> dict[str, str]:
    return {widget_id: shown(app, widget_id) for widget_id in SHOWN}


async def test_the_state_document_brings_back_the_same_graph_and_step():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(100, 30)) as pilot:
        await pick_preset(pilot, "apple_orange")
        await pilot.press("e")
        await type_into(pilot, "in-orange_num", "4")
        await pilot.press("escape")
        await pilot.press("g", "space", "space", "c")  # backward step 2 of 4, the check on request
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        state = screen.state()
        assert state == {"preset": "apple_orange", "expression": "",
                         "inputs": {"apple": 100.0, "apple_num": 2.0, "orange": 150.0, "orange_num": 4.0, "tax": 1.1},
                         "phase": "backward", "step": 2, "panel": "inputs", "check": True}
        document = json.loads(json.dumps(screen.document()))
        text = screen_text(app)
    again = NNTuiApp(start_lesson=LESSON)
    async with again.run_test(size=(100, 30)) as pilot:
        assert again.screen.open_document(document)
        await pilot.pause()
        assert again.screen.state() == state
        assert screen_text(again) == text
        assert again.focused is again.screen.query_one("#in-apple", NumberInput)  # the open panel's field
        assert again.screen.query_one("#in-orange_num", NumberInput).number == 4.0
        await pilot.press("escape", "g")  # and it goes on from there with the book's rules
        assert labels(again, "orange_num") == ("→ 4", "← 165")


async def test_a_typed_formula_comes_back_from_its_document():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("x")
        await type_into(pilot, "bp-expr-input", "x * sigmoid(y) + x")
        await pilot.press("space", "space", "space")
        document = json.loads(json.dumps(app.screen.document()))
        text = screen_text(app)
    again = NNTuiApp(start_lesson=LESSON)
    async with again.run_test(size=(100, 30)) as pilot:
        assert again.screen.open_document(document)
        await pilot.pause()
        assert again.screen.state()["expression"] == "x * sigmoid(y) + x"
        assert screen_text(again) == text
        await pilot.press("x")
        assert again.screen.query_one("#bp-expr-input").value == "x * sigmoid(y) + x"


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda s: s["inputs"].update(apple="abc"),
         "The saved state's state.inputs.apple is 'abc', not a number; nothing was changed."),
        (lambda s: s.pop("phase"), "The saved state lacks state.phase; nothing was changed."),
        (lambda s: s.update(expression="(x + * y"),
         "The saved state's state.expression is not a formula (column 5); nothing was changed."),
        (lambda s: s.update(panel="drawer"),
         "The saved state's state.panel is 'drawer'; it must be one of , inputs, presets, expression. "
         "Nothing was changed."),
    ],
)
async def test_a_bad_document_is_refused_and_changes_nothing(change, said):
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "space", "space")
        document = app.screen.document()
        change(document["state"])
        before, text = app.screen.state(), screen_text(app)
        assert not app.screen.open_document(document)
        await pilot.pause()
        assert notifications(app)[-1] == said
        assert app.screen.state() == before and screen_text(app) == text


async def test_esc_in_a_field_puts_its_value_back_and_closes_the_panel():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "e")
        await pilot.pause()
        await pilot.press("7")  # typed, not accepted
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.panel == "" and app.screen.graph.inputs["apple"].value == 100.0
        assert app.screen.query_one("#in-apple", NumberInput).value == "100"
        assert app.screen.stepper.steps_done == 1
        await pilot.press("space")  # the keys are the lesson's again
        assert app.screen.stepper.steps_done == 2


async def test_a_language_switch_keeps_the_open_panel():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert app.screen.panel == "presets"
        options = app.screen.query_one("#bp-preset-list")
        assert app.focused is options and str(options.get_option_at_index(0).prompt) == "买苹果"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "买苹果和橘子" in shown(app, "bp-title") and shown(app, "bp-message") == "计算图：买苹果和橘子。"


async def test_arithmetic_with_no_answer_is_said_in_words():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await type_into(pilot, "bp-expr-input", "1 / x")
        await pilot.press("e")
        await type_into(pilot, "in-x", "0")
        await pilot.press("escape", "space")
        assert notifications(app)[-1] == "f = 1/x cannot be computed: 1/x is undefined for x = 0"
        assert app.screen.stepper.steps_done == 0
        await pilot.press("c")
        assert shown(app, "bp-check") == ("Gradient check impossible: "
                                          "f = 1/x cannot be computed: 1/x is undefined for x = 0")
        await pilot.press("l")
        await pilot.pause()
        assert shown(app, "bp-check") == "无法进行梯度确认：无法计算 f = 1/x：x = 0 时 1/x 没有定义"


#: The parser's refusals in English, as the lesson words them (the parser itself has codes only).
FORMULA_REFUSALS = [
    ("(x + * y", "expected a number, a name or '(', found '*'"),
    ("", "the expression is empty: type something like (x + y) * z"),
    ("x +", "expected a number, a name or '(', but the expression ended"),
    ("x y", "expected an operator (+ - * / ^) or the end, found 'y'"),
    ("(x + y", "expected ')' to close the '(' at column 0, but the expression ended"),
    ("max(x, y", "expected ')' to close the '(' at column 3, but the expression ended"),
    ("x + y)", "unexpected ')' with no matching '('"),
    ("foo(x) + 1", "unknown function 'foo'; known: exp, max, relu, sigmoid"),
    ("2 * exp", "'exp' is a function: write exp(...)"),
    ("1 + max(x)", "max takes 2 arguments, like max(x, y)"),
    ("exp(x, y)", "exp takes 1 argument, like exp(x)"),
    ("x ^ y", "the exponent must be a number, like 2 or -1, found 'y'"),
    ("x ^ (-2) ^ 0.5", "the exponent -2^0.5 is not a finite real number"),
    ("x ^ 0 ^ -1", "the exponent 0^-1 cannot be computed"),
    ("x * 1e999", "the number 1e999 is too large"),
    ("3 + 2x", "'2x' is not a number (write 2*x for a product)"),
    ("1.2.3 * x", "'1.2.3' is not a number"),
    ("x $ y", "unexpected character '$'"),
    ("x", "the expression needs at least one operation, like x * 2"),
    ("x" * (MAX_LENGTH + 1), f"the expression is too long ({MAX_LENGTH + 1} characters, at most {MAX_LENGTH})"),
    ("(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), f"too deeply nested (more than {MAX_DEPTH} levels)"),
]


async def test_every_formula_refusal_reads_as_a_sentence():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        for formula, sentence in FORMULA_REFUSALS:
            with pytest.raises(ExpressionError) as info:
                parse_expression(formula)
            assert app.screen.refusal_text(info.value) == sentence, formula
        app.language = "zh"
        await pilot.pause()
        with pytest.raises(ExpressionError) as info:
            parse_expression("(x + y")
        assert app.screen.refusal_text(info.value) == "这里应为 ')'，与第 0 列的 '(' 配对，但表达式已结束"


def test_every_code_the_core_raises_is_in_the_catalogue():
    root = Path(__file__).parents[2] / "core"
    sources = [*sorted((root / "graph").glob("*.py")), root / "labs" / "backprop.py"]
    codes = set()
    for source in sources:
        codes |= set(re.findall(r'"((?:stepper|op|graph|expr|backprop)\.[a-z_]+)"', source.read_text()))
        for stem in re.findall(r'f"(graph\.[a-z]+_)\{part\}"', source.read_text()):
            codes |= {stem + part for part in ("value", "local", "gradient")}
    assert {"stepper.finish_forward", "op.inverse_of_zero", "graph.overflow_local", "expr.too_deep"} <= codes
    assert sorted(code for code in codes if code not in TEXT) == []


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


def graph_window(app: NNTuiApp):
    from textual.containers import ScrollableContainer
    from textual.geometry import Region

    box = app.screen.query_one("#bp-graph-box", ScrollableContainer)
    return box, Region(int(box.scroll_x), int(box.scroll_y), *box.scrollable_content_region.size)


def node_in_view(app: NNTuiApp, name: str) -> bool:
    view = app.screen.query_one(GraphView)
    node = next(n for n in app.screen.graph.nodes if n.name == name)
    target = view.region_of(node).translate(view.virtual_region.offset)
    return graph_window(app)[1].contains_region(target)


async def test_shift_arrows_pan_a_wide_graph_by_a_column_of_nodes():
    """Was: 8 terminal columns per Shift+→, so a node could stay half cut."""
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pick_preset(pilot, "sigmoid_neuron_gates")
        view = app.screen.query_one(GraphView)
        layout = view.current_layout()
        left = view.virtual_region.x + 1
        starts = sorted({min(b.x for b in layout.boxes.values() if b.column == c) + left - 1
                         for c in {b.column for b in layout.boxes.values()}})
        box, _ = graph_window(app)
        assert box.max_scroll_x > 0  # wider than 80 columns
        seen = [int(box.scroll_x)]
        while int(box.scroll_x) < box.max_scroll_x and len(seen) < 20:
            await pilot.press("shift+right")
            await pilot.pause()
            seen.append(int(box.scroll_x))
        # each press brings the next column of nodes to the left edge (the last one: as far as it goes)
        assert seen[1:-1] == [x for x in starts if 0 < x < box.max_scroll_x][: len(seen) - 2]
        assert seen[-1] == box.max_scroll_x and len(seen) > 2
        await pilot.press("shift+left")
        await pilot.pause()
        assert int(box.scroll_x) == max(x for x in starts if x < box.max_scroll_x)


async def test_the_node_of_the_step_stays_in_view_when_the_terminal_shrinks():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(160, 45)) as pilot:
        await pick_preset(pilot, "sigmoid_neuron_gates")
        await pilot.press("g")  # the forward pass: the last step is the output's node
        await pilot.pause()
        name = app.screen.stepper.current.node.name
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert node_in_view(app, name)
        await pilot.press("shift+left", "shift+left")  # the student looks elsewhere ...
        await pilot.pause()
        assert not node_in_view(app, name)
        await pilot.press("space")  # ... the next step brings its node back
        await pilot.pause()
        assert node_in_view(app, app.screen.stepper.current.node.name)
