"""Type a formula, get a computational graph: ``parse_expression("(x + y) * z")``.

A small recursive-descent parser (never ``eval``). Precedence, loosest first::

    expr     := term (('+' | '-') term)*
    term     := unary (('*' | '/') unary)*
    unary    := ('-' | '+') unary | power
    power    := primary (('^' | '**') exponent)?
    primary  := NUMBER | NAME | NAME '(' expr (',' expr)* ')' | '(' expr ')'
    exponent := ('-' | '+') exponent | (NUMBER | '(' exponent ')') (('^' | '**') exponent)?

so -x^2 is -(x^2) and 2^3^2 is 2^9, as in Python. The exponent must be a number
(the graph's power op is x^n for a constant n). a - b becomes a + (-b) and
a / b becomes a × (1/b) (just 1/b when a is 1), so every step is one of the
engine's own gates.
Functions: exp, max, sigmoid, relu. Every name becomes a named input.

Text that is not a formula raises ``ExpressionError``: a ``Refusal`` whose code
(``"expr.expected_operand"``...) and values the UI words, with the column of
the problem. A ``found`` value is the token found there, or None at the end.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from types import MappingProxyType

from nn_tui.core.graph.engine import Graph, Node, add, as_value, constant, exp, maximum, mul, negate
from nn_tui.core.graph.engine import power, reciprocal, relu, sigmoid, variable
from nn_tui.core.refusal import Refusal

MAX_LENGTH = 200
MAX_DEPTH = 32

_FUNCTIONS = MappingProxyType({"exp": (exp, 1), "max": (maximum, 2), "sigmoid": (sigmoid, 1), "relu": (relu, 1)})
_ALIASES = MappingProxyType(str.maketrans({"×": "*", "·": "*", "÷": "/", "−": "-"}))  # as the app draws them
_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER_TAIL = re.compile(r"[A-Za-z0-9_.]")
_SYMBOLS = ("**", "+", "-", "*", "/", "^", "(", ")", ",")
_END = "end"


class ExpressionError(Refusal):
    """A formula that cannot be parsed; ``position`` is the 0-based column of the problem."""

    def __init__(self, code: str, position: int, **values: object) -> None:
        super().__init__(code, **values)
        self.position = position


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, column) for each token, ending with an 'end' token."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if number := _NUMBER.match(text, i):
            end = number.end()
            if end < len(text) and _NUMBER_TAIL.match(text, end):
                bad = re.match(r"[A-Za-z0-9_.]*", text[i:]).group()
                product = re.search(r"[A-Za-z_]", bad)  # 2x: the student meant 2*x
                raise ExpressionError("expr.number_then_name" if product else "expr.not_a_number", i, text=bad)
            if not math.isfinite(float(number.group())):
                raise ExpressionError("expr.number_too_large", i, text=number.group())
            out.append(("number", number.group(), i))
            i = end
        elif name := _NAME.match(text, i):
            out.append(("name", name.group(), i))
            i = name.end()
        elif symbol := next((s for s in _SYMBOLS if text.startswith(s, i)), None):
            out.append((symbol, symbol, i))
            i += len(symbol)
        else:
            raise ExpressionError("expr.unexpected_character", i, character=ch)
    out.append((_END, "", len(text)))
    return out


def _found(token: tuple[str, str, int]) -> str | None:
    """The token the parser found instead of what it needed; None at the end of the text."""
    return None if token[0] == _END else token[1]


class _Parser:
    def __init__(self, text: str, values: Mapping[str, object], default: float) -> None:
        self.tokens = _tokens(text.translate(_ALIASES))
        self.i = 0
        self.depth = 0
        self.values = values
        self.default = default
        self.variables: dict[str, Node] = {}

    # ---- token helpers ----------------------------------------------------------
    @property
    def token(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def _peek(self, ahead: int = 1) -> str:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)][0]

    def _take(self) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("expr.too_deep", self.token[2], limit=MAX_DEPTH)

    # ---- grammar -----------------------------------------------------------------
    def parse(self) -> Node:
        node = self.expr()
        if self.token[0] == ")":
            raise ExpressionError("expr.unmatched_close", self.token[2])
        if self.token[0] != _END:
            raise ExpressionError("expr.expected_operator", self.token[2], found=_found(self.token))
        return node

    def expr(self) -> Node:
        node = self.term()
        while self.token[0] in ("+", "-"):
            minus = self._take()[0] == "-"
            right = self.term()
            if minus:  # a - b is a + (-b); a literal is just negated
                right = constant(-right.value) if right.is_constant else negate(right)
            node = add(node, right)
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.token[0] in ("*", "/"):
            divide = self._take()[0] == "/"
            right = self.unary()
            if not divide:
                node = mul(node, right)
            elif node.is_constant and node.value == 1.0:
                node = reciprocal(right)  # 1/b needs no "1 ×" step
            else:
                node = mul(node, reciprocal(right))
        return node

    def unary(self) -> Node:
        if self.token[0] not in ("-", "+"):
            return self.power()
        self._enter()
        sign = self._take()[0]
        if sign == "-" and self.token[0] == "number" and self._peek() not in ("^", "**"):
            node = constant(-float(self._take()[1]))  # -2 is a number, not a negate gate
        else:
            node = self.unary()
            node = negate(node) if sign == "-" else node
        self.depth -= 1
        return node

    def power(self) -> Node:
        base = self.primary()
        if self.token[0] not in ("^", "**"):
            return base
        self._take()
        return power(base, self.exponent())

    def exponent(self) -> float:
        self._enter()
        start = self.token[2]
        if self.token[0] in ("-", "+"):
            sign = -1.0 if self._take()[0] == "-" else 1.0
            value = sign * self.exponent()
        else:
            if self.token[0] == "number":
                value = float(self._take()[1])
            elif self.token[0] == "(":
                opening = self._take()
                value = self.exponent()
                self._close(opening)
            else:
                raise ExpressionError("expr.expected_exponent", start, found=_found(self.token))
            if self.token[0] in ("^", "**"):
                self._take()
                value = self._fold_power(value, self.exponent(), start)
        self.depth -= 1
        return value

    @staticmethod
    def _fold_power(base: float, n: float, position: int) -> float:
        try:
            value = base**n
        except (ArithmeticError, ValueError):
            raise ExpressionError("expr.exponent_undefined", position, base=base, n=n) from None
        if isinstance(value, complex) or not math.isfinite(value):
            raise ExpressionError("expr.exponent_not_real", position, base=base, n=n)
        return value

    def _close(self, opening: tuple[str, str, int]) -> None:
        if self.token[0] != ")":
            raise ExpressionError("expr.expected_close", self.token[2], opening=opening[2], found=_found(self.token))
        self._take()

    def primary(self) -> Node:
        kind, text, position = self.token
        if kind == "number":
            self._take()
            return constant(float(text))
        if kind == "(":
            self._enter()
            opening = self._take()
            node = self.expr()
            self._close(opening)
            self.depth -= 1
            return node
        if kind == "name":
            self._take()
            if self.token[0] == "(":
                return self.call(text, position)
            if text in _FUNCTIONS:
                raise ExpressionError("expr.function_without_call", position, name=text)
            return self.variable(text)
        raise ExpressionError("expr.expected_operand", position, found=_found(self.token))

    def call(self, name: str, position: int) -> Node:
        if name not in _FUNCTIONS:
            raise ExpressionError("expr.unknown_function", position, name=name, known=", ".join(sorted(_FUNCTIONS)))
        build, arity = _FUNCTIONS[name]
        self._enter()
        opening = self._take()
        args = [self.expr()]
        while self.token[0] == ",":
            self._take()
            args.append(self.expr())
        self._close(opening)
        self.depth -= 1
        if len(args) != arity:
            code = "expr.takes_two_arguments" if arity == 2 else "expr.takes_one_argument"
            raise ExpressionError(code, position, name=name)
        return build(*args)

    def variable(self, name: str) -> Node:
        if name not in self.variables:
            self.variables[name] = variable(name, self.values.get(name, self.default))
        return self.variables[name]


def parse_expression(text: str, values: Mapping[str, object] | None = None, default: float = 1.0) -> Graph:
    """Build the graph of ``text``; each name is an input valued from ``values`` or ``default``.

    Raises ExpressionError (with ``.position``) for text that is not a formula,
    and ValueError for a value that is not a finite number.
    """
    if not isinstance(text, str):
        raise ExpressionError("expr.not_text", 0)
    if len(text) > MAX_LENGTH:
        raise ExpressionError("expr.too_long", MAX_LENGTH, length=len(text), limit=MAX_LENGTH)
    if not text.strip():
        raise ExpressionError("expr.empty", 0)
    values = dict(values or {})
    for name, value in values.items():
        as_value(value, f"the value of {name!r}")
    as_value(default, "the default value")
    parser = _Parser(text, values, default)
    output = parser.parse()
    if output.is_leaf:
        raise ExpressionError("expr.no_operation", 0)
    if "f" not in parser.variables:
        output.name = output.label = "f"
    return Graph(output)

