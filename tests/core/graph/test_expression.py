"""The expression parser: formulas become the engine's graphs, bad text gets a column."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.core.graph.expression import MAX_DEPTH, MAX_LENGTH, ExpressionError, parse_expression
from nn_tui.core.graph.presets import add_mul, sigmoid_neuron_gates
from nn_tui.core.refusal import Refusal


def value(text, **values):
    return parse_expression(text, values).forward()


def grads(text, **values):
    g = parse_expression(text, values)
    g.forward()
    return g.backward()


def test_add_mul_gives_the_same_numbers_as_the_preset():
    g = parse_expression("(x + y) * z", {"x": -2, "y": 5, "z": -4})
    preset = add_mul()
    assert g.forward() == preset.forward() == -12.0
    assert g.backward() == preset.backward() == {"x": -4.0, "y": -4.0, "z": 3.0}
    assert [n.op.symbol for n in g.ops] == ["+", "×"]
    assert g.output.name == "f"


def test_the_sigmoid_neuron_formula_matches_the_gates_preset():
    values = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}
    g = parse_expression("1/(1+exp(-(w0*x0 + w1*x1 + w2)))", values)
    preset = sigmoid_neuron_gates()
    assert g.forward() == pytest.approx(preset.forward(), abs=1e-12)
    expected = preset.backward()
    got = g.backward()
    assert list(got) == ["w0", "x0", "w1", "x1", "w2"]
    for k in expected:
        assert got[k] == pytest.approx(expected[k], abs=1e-12)
    assert [n.op.symbol for n in g.ops] == ["×", "×", "+", "+", "-x", "exp", "+", "1/x"]  # 1/b: no "1 ×" step


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("(x + y)^2", {"x": 1, "y": 2}, 9.0),
        ("x**2", {"x": 3}, 9.0),
        ("max(x, y) * z", {"x": 3, "y": -1, "z": 2}, 6.0),
        ("-x", {"x": 3}, -3.0),
        ("sigmoid(w*x+b)", {"w": 0, "x": 5, "b": 0}, 0.5),
        ("relu(x)", {"x": -2}, 0.0),
        ("1.1 * x", {"x": 2}, 1.1 * 2.0),
        ("2e-3 + x", {"x": 1}, 2e-3 + 1.0),
        (".5 * x + 3. * x", {"x": 2}, 0.5 * 2.0 + 3.0 * 2.0),
        ("exp(x)", {"x": 1}, math.e),
        ("x × y · z", {"x": 2, "y": 3, "z": 4}, 24.0),
        ("x ÷ y − z", {"x": 1, "y": 4, "z": 1}, -0.75),
    ],
)
def test_accepted_formulas(text, values, expected):
    assert value(text, **values) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 + 3 * 4", 14.0),
        ("(2 + 3) * 4", 20.0),
        ("10 - 3 - 2", 5.0),
        ("8 / 4 / 2", 1.0),
        ("-x^2", -9.0),  # -(x²), as in Python
        ("(-x)^2", 9.0),
        ("2^3^2", 512.0),  # right-associative: 2^(3^2)
        ("x^-1", 1 / 3),
        ("x ** 2 ** -1", math.sqrt(3.0)),
        ("--x", 3.0),
        ("+x", None),
        ("x - -2", 5.0),
        ("2 * -x", -6.0),
    ],
)
def test_precedence(text, expected):
    if expected is None:
        with pytest.raises(ExpressionError) as info:
            parse_expression(text)
        assert info.value.code == "expr.no_operation"
    else:
        assert value(text, x=3) == pytest.approx(expected, abs=1e-12)


def test_a_variable_used_twice_is_one_input_and_accumulates():
    g = parse_expression("x * x + x", {"x": 3})
    assert list(g.inputs) == ["x"]
    g.forward()
    assert g.backward() == {"x": 2 * 3.0 + 1.0}


def test_division_is_multiply_by_reciprocal():
    g = parse_expression("x / y", {"x": 3, "y": 2})
    assert [n.op.symbol for n in g.ops] == ["1/x", "×"]
    assert g.forward() == 1.5
    assert g.backward() == {"x": 0.5, "y": -3.0 / 4.0}


def test_subtraction_is_add_of_a_negation_and_a_literal_is_just_negative():
    g = parse_expression("x - y - 2", {"x": 5, "y": 1})
    assert [n.op.symbol for n in g.ops] == ["-x", "+", "+"]
    assert [n.label for n in g.nodes if n.is_constant] == ["-2"]
    assert g.forward() == 2.0
    assert g.backward() == {"x": 1.0, "y": -1.0}


def test_values_and_default():
    g = parse_expression("a * b", {"a": 4}, default=2.5)
    assert g.inputs["a"].value == 4.0 and g.inputs["b"].value == 2.5
    assert parse_expression("a * b").inputs["b"].value == 1.0
    with pytest.raises(ValueError, match="finite"):
        parse_expression("a * b", {"a": math.nan})
    with pytest.raises(ValueError, match="default"):
        parse_expression("a * b", default=math.inf)


def test_the_output_is_called_f_unless_f_is_an_input():
    assert parse_expression("x * 2").output.name == "f"
    g = parse_expression("f * 2")
    assert g.output.name == "mul1" and list(g.inputs) == ["f"]


def test_power_needs_a_number_exponent_and_folds_it():
    g = parse_expression("x ^ (2 ^ 2)")
    assert g.output.op.symbol == "x⁴"
    assert parse_expression("x^0.5").output.op.symbol == "x^0.5"


#: Each formula, the column of its problem, and the refusal's code and values (the words are the UI's).
REJECTED = [
    ("(x + * y", 5, "expr.expected_operand", {"found": "*"}),
    ("", 0, "expr.empty", {}),
    ("   ", 0, "expr.empty", {}),
    ("x +", 3, "expr.expected_operand", {"found": None}),
    ("x y", 2, "expr.expected_operator", {"found": "y"}),
    ("(x + y", 6, "expr.expected_close", {"opening": 0, "found": None}),
    ("max(x, y", 8, "expr.expected_close", {"opening": 3, "found": None}),
    ("x + y)", 5, "expr.unmatched_close", {}),
    ("()", 1, "expr.expected_operand", {"found": ")"}),
    ("foo(x) + 1", 0, "expr.unknown_function", {"name": "foo", "known": "exp, max, relu, sigmoid"}),
    ("2 * exp", 4, "expr.function_without_call", {"name": "exp"}),
    ("1 + max(x)", 4, "expr.takes_two_arguments", {"name": "max"}),
    ("exp(x, y)", 0, "expr.takes_one_argument", {"name": "exp"}),
    ("x ^ y", 4, "expr.expected_exponent", {"found": "y"}),
    ("x ^ (y)", 5, "expr.expected_exponent", {"found": "y"}),
    ("x ^ (-2) ^ 0.5", 4, "expr.exponent_not_real", {"base": -2.0, "n": 0.5}),
    ("x ^ 0 ^ -1", 4, "expr.exponent_undefined", {"base": 0.0, "n": -1.0}),
    ("x * 1e999", 4, "expr.number_too_large", {"text": "1e999"}),
    ("3 + 2x", 4, "expr.number_then_name", {"text": "2x"}),
    ("1.2.3 * x", 0, "expr.not_a_number", {"text": "1.2.3"}),
    ("x $ y", 2, "expr.unexpected_character", {"character": "$"}),
    ("x = 2", 2, "expr.unexpected_character", {"character": "="}),
    ("x", 0, "expr.no_operation", {}),
    ("2", 0, "expr.no_operation", {}),
    ("x" * (MAX_LENGTH + 1), MAX_LENGTH, "expr.too_long", {"length": MAX_LENGTH + 1, "limit": MAX_LENGTH}),
    ("(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), MAX_DEPTH, "expr.too_deep", {"limit": MAX_DEPTH}),
    ("-" * (MAX_DEPTH + 1) + "x", MAX_DEPTH, "expr.too_deep", {"limit": MAX_DEPTH}),
]


@pytest.mark.parametrize(("text", "position", "code", "values"), REJECTED)
def test_rejected_with_the_column_of_the_problem(text, position, code, values):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert info.value.position == position
    assert (info.value.code, info.value.values) == (code, values)


def test_an_expression_error_is_a_refusal():
    assert issubclass(ExpressionError, Refusal) and issubclass(ExpressionError, ValueError)
    with pytest.raises(ExpressionError) as info:
        parse_expression(None)
    assert info.value.code == "expr.not_text"


def test_nesting_up_to_the_limit_is_fine():
    depth = MAX_DEPTH
    assert value("(" * depth + "x * 2" + ")" * depth, x=1) == 2.0


def test_arithmetic_problems_show_up_when_computing_not_when_parsing():
    g = parse_expression("1 / x", {"x": 0})
    with pytest.raises(Refusal) as info:
        g.forward()
    assert info.value.code == "op.inverse_of_zero"


formula_pieces = st.sampled_from(
    ["x", "y", "2", "1.5", "e", "1e", "+", "-", "*", "/", "^", "**", "(", ")", ",", " ", "exp", "max",
     "sigmoid", "relu", "foo", ".", "1e999", "×", "é", "٣", "\t", "_"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(formula_pieces, max_size=40).map("".join)))
def test_garbage_never_raises_anything_but_expression_error(text):
    try:
        g = parse_expression(text)
    except ExpressionError as err:
        assert 0 <= err.position <= len(text)
        return
    assert g.ops  # a parsed formula always has something to step through
