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
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from types import MappingProxyType

from nn_tui.core.graph.engine import Graph, Node, add, as_value, constant, exp, maximum, mul, negate
from nn_tui.core.graph.engine import power, reciprocal, relu, sigmoid, variable

MAX_LENGTH = 200
MAX_DEPTH = 32

_FUNCTIONS = MappingProxyType({"exp": (exp, 1), "max": (maximum, 2), "sigmoid": (sigmoid, 1), "relu": (relu, 1)})
_ALIASES = MappingProxyType(str.maketrans({"×": "*", "·": "*", "÷": "/", "−": "-"}))  # as the app draws them
_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER_TAIL = re.compile(r"[A-Za-z0-9_.]")
_SYMBOLS = ("**", "+", "-", "*", "/", "^", "(", ")", ",")
_END = "end"


class ExpressionError(ValueError):
    """A formula that cannot be parsed; ``position`` is the 0-based column of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"column {position}: {message}")
        self.message = message
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
                hint = " (write 2*x for a product)" if re.search(r"[A-Za-z_]", bad) else ""
                raise ExpressionError(f"{bad!r} is not a number{hint}", i)
            if not math.isfinite(float(number.group())):
                raise ExpressionError(f"the number {number.group()} is too large", i)
            out.append(("number", number.group(), i))
            i = end
        elif name := _NAME.match(text, i):
            out.append(("name", name.group(), i))
            i = name.end()
        elif symbol := next((s for s in _SYMBOLS if text.startswith(s, i)), None):
            out.append((symbol, symbol, i))
            i += len(symbol)
        else:
            raise ExpressionError(f"unexpected character {ch!r}", i)
    out.append((_END, "", len(text)))
    return out


def _found(token: tuple[str, str, int]) -> str:
    return "but the expression ended" if token[0] == _END else f"found {token[1]!r}"


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
            raise ExpressionError(f"too deeply nested (more than {MAX_DEPTH} levels)", self.token[2])

    def _expect(self, kind: str, what: str) -> tuple[str, str, int]:
        if self.token[0] != kind:
            raise ExpressionError(f"expected {what}, {_found(self.token)}", self.token[2])
        return self._take()

    # ---- grammar -----------------------------------------------------------------
    def parse(self) -> Node:
        node = self.expr()
        if self.token[0] == ")":
            raise ExpressionError("unexpected ')' with no matching '('", self.token[2])
        if self.token[0] != _END:
            raise ExpressionError(f"expected an operator (+ - * / ^) or the end, {_found(self.token)}",
                                  self.token[2])
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
                raise ExpressionError(f"the exponent must be a number, like 2 or -1, {_found(self.token)}", start)
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
            raise ExpressionError(f"the exponent {base:g}^{n:g} cannot be computed", position) from None
        if isinstance(value, complex) or not math.isfinite(value):
            raise ExpressionError(f"the exponent {base:g}^{n:g} is not a finite real number", position)
        return value

    def _close(self, opening: tuple[str, str, int]) -> None:
        if self.token[0] != ")":
            raise ExpressionError(f"expected ')' to close the '(' at column {opening[2]}, {_found(self.token)}",
                                  self.token[2])
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
                raise ExpressionError(f"{text!r} is a function: write {text}(...)", position)
            return self.variable(text)
        raise ExpressionError(f"expected a number, a name or '(', {_found(self.token)}", position)

    def call(self, name: str, position: int) -> Node:
        if name not in _FUNCTIONS:
            raise ExpressionError(f"unknown function {name!r}; known: {', '.join(sorted(_FUNCTIONS))}", position)
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
            example = "max(x, y)" if arity == 2 else f"{name}(x)"
            raise ExpressionError(f"{name} takes {arity} argument{'s' * (arity > 1)}, like {example}", position)
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
        raise ExpressionError(f"the expression must be text, got {type(text).__name__}", 0)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is too long ({len(text)} characters, at most {MAX_LENGTH})",
                              MAX_LENGTH)
    if not text.strip():
        raise ExpressionError("the expression is empty: type something like (x + y) * z", 0)
    values = dict(values or {})
    for name, value in values.items():
        as_value(value, f"the value of {name!r}")
    as_value(default, "the default value")
    parser = _Parser(text, values, default)
    output = parser.parse()
    if output.is_leaf:
        raise ExpressionError("the expression needs at least one operation, like x * 2", 0)
    if "f" not in parser.variables:
        output.name = output.label = "f"
    return Graph(output, title=text.strip())

