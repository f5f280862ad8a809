"""The operations of a computational graph, each with its local derivative rule.

Like the book's ch. 5 layers (MulLayer, AddLayer, Relu, Affine, SoftmaxWithLoss)
but stateless: the graph's nodes keep the values that the book's layers keep in
``self.x``, so an op only says how to go forward and how to send a gradient back.

For an elementwise op the gradient sent to input i is ``dout * local[i]`` (the
chain rule: upstream times local); Affine and SoftmaxWithLoss are matrix-level
and only give the product (``local_derivatives`` returns None for them): they
run the book's layers from ``nn_tui.core.layers``, so lesson 5's tiny network
computes exactly what lesson 6 trains with.

Scalar values stay Python floats so the book's printed numbers come out exactly
as Python computes them; NumPy arrays are used for the layer graph.

An op has no display text: ``symbol`` and ``formula`` are notation, and
``behaviour`` is a code ("distribute", "swap", "route") the UI names in the
student's language. Arithmetic a student can ask for but that has no answer
(1/x at x = 0) raises a ``Refusal`` with a code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from nn_tui.core import layers
from nn_tui.core.refusal import Refusal

Value = float | np.ndarray


def _is_array(x: Value) -> bool:
    return isinstance(x, np.ndarray)


def _unbroadcast(grad: Value, like: Value) -> Value:
    """Sum ``grad`` back to the shape of ``like`` (NumPy broadcast it in forward)."""
    if not _is_array(like):
        return float(np.sum(grad)) if _is_array(grad) else grad
    grad = np.asarray(grad, dtype=float)
    if grad.shape == like.shape:
        return grad
    if grad.ndim > like.ndim:
        grad = np.sum(grad, axis=tuple(range(grad.ndim - like.ndim)))
    axes = tuple(i for i, n in enumerate(like.shape) if n == 1 and grad.ndim == like.ndim and grad.shape[i] != 1)
    if axes:
        grad = np.sum(grad, axis=axes, keepdims=True)
    return np.broadcast_to(grad, like.shape).copy()


_GENERIC = re.compile(r"(?<![A-Za-z_])([xyz])(?![A-Za-z_])")


def _rename(formula: str, names: dict[str, str]) -> str:
    """`formula` with each generic one-letter name replaced at once; a product stays readable:
    2x with x = add1 is 2·add1, y(1 - y) with y = f is f·(1 - f)."""

    def swap(match: re.Match[str]) -> str:
        name = names.get(match.group(1), match.group(1))
        before = formula[match.start() - 1] if match.start() else ""
        after = formula[match.end()] if match.end() < len(formula) else ""
        joined = len(name) > 1 or name != match.group(1)
        return ("·" if joined and before.isdigit() else "") + name + ("·" if joined and after == "(" else "")

    return _GENERIC.sub(swap, formula)


class Op:
    """Base class: what a graph node computes and how its gradient flows back."""

    key = ""  # short machine name, also used to name unnamed nodes ("mul1")
    symbol = ""  # drawn inside the node
    formula = ""  # the local derivative rule, in notation
    behaviour: str | None = None  # how the gate passes dout on, a code: distribute / swap / route
    arity = 1

    #: The generic names the formula is written in: the output's, then each input's ("z", "x", "y").
    #: Empty for a layer, whose formula uses the layer's own notation (x, W, b, dout).
    formula_names: tuple[str, ...] = ("z", "x", "y")

    def rule(self, out: str, inputs: Sequence[str], constant: Sequence[bool] = ()) -> str:
        """The formula in a node's own names: Mul's "∂z/∂x = y, ∂z/∂y = x" for price = apple × num is
        "∂price/∂apple = num, ∂price/∂num = apple". The part of an input that is a constant (`constant[i]`)
        is left out. A layer's formula is returned as it is."""
        if not self.formula_names:
            return self.formula
        names = dict(zip(self.formula_names, (out, *inputs)))
        parts = self.formula.split(", ")
        if constant and len(parts) == len(inputs) > 1:
            parts = [part for part, fixed in zip(parts, constant) if not fixed] or parts
        return ", ".join(_rename(part, names) for part in parts)

    def forward(self, xs: Sequence[Value]) -> Value:
        raise NotImplementedError

    def local_derivatives(self, xs: Sequence[Value], out: Value) -> tuple[Value, ...] | None:
        """∂out/∂x_i for each input, or None for a matrix-level op."""
        raise NotImplementedError

    def backward(self, xs: Sequence[Value], out: Value, dout: Value) -> tuple[Value | None, ...]:
        """The gradient sent to each input: dout × local derivative."""
        local = self.local_derivatives(xs, out)
        if _is_array(out):  # a plain-number dout stands for the same dout at every element
            dout = np.broadcast_to(dout, out.shape)
        return tuple(_unbroadcast(dout * d, x) for d, x in zip(local, xs))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Add(Op):
    key, symbol, arity = "add", "+", 2
    formula = "∂z/∂x = 1, ∂z/∂y = 1"
    behaviour = "distribute"

    def forward(self, xs):
        return xs[0] + xs[1]

    def local_derivatives(self, xs, out):
        return 1.0, 1.0


class Mul(Op):
    key, symbol, arity = "mul", "×", 2
    formula = "∂z/∂x = y, ∂z/∂y = x"
    behaviour = "swap"

    def forward(self, xs):
        return xs[0] * xs[1]

    def local_derivatives(self, xs, out):
        x, y = xs
        return y, x


class Max(Op):
    """max(x, y); on a tie the gradient goes to x (the first input)."""

    key, symbol, arity = "max", "max", 2
    formula = "∂z/∂x = 1 if x ≥ y else 0, ∂z/∂y = 1 if y > x else 0"
    behaviour = "route"

    def forward(self, xs):
        x, y = xs
        if _is_array(x) or _is_array(y):
            return np.where(np.asarray(x) >= y, x, y).astype(float)
        return x if x >= y else y

    def local_derivatives(self, xs, out):
        x, y = xs
        if _is_array(x) or _is_array(y):
            first = np.asarray(x) >= y
            return first.astype(float), (~first).astype(float)
        return (1.0, 0.0) if x >= y else (0.0, 1.0)


class Exp(Op):
    key, symbol = "exp", "exp"
    formula = "∂z/∂x = exp(x)"

    def forward(self, xs):
        x = xs[0]
        return np.exp(x) if _is_array(x) else math.exp(x)

    def local_derivatives(self, xs, out):
        return (out,)


class Negate(Op):
    key, symbol = "neg", "-x"
    formula = "∂z/∂x = -1"

    def forward(self, xs):
        return -xs[0]

    def local_derivatives(self, xs, out):
        return (-1.0,)


class Reciprocal(Op):
    key, symbol = "inv", "1/x"
    formula = "∂z/∂x = -1/x²"

    def forward(self, xs):
        x = xs[0]
        if np.any(np.asarray(x) == 0):
            raise Refusal("op.inverse_of_zero")
        return 1.0 / x

    def local_derivatives(self, xs, out):
        x = xs[0]
        return (-1.0 / (x**2),)


def _exponent_text(n: float) -> str:
    """Superscript for whole exponents (x², x⁻¹), ^ otherwise (x^0.5)."""
    if n.is_integer():
        return str(int(n)).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))
    return f"^{n!r}"


class Power(Op):
    """x**n for a constant exponent n (square is n = 2)."""

    key = "pow"

    def __init__(self, n: float) -> None:
        if isinstance(n, bool) or not isinstance(n, (int, float)) or not math.isfinite(n):
            raise ValueError(f"the exponent must be a finite number, got {n!r}")
        self.n = float(n)
        self.symbol = "x" + _exponent_text(self.n)
        n_text = str(int(self.n)) if self.n.is_integer() else repr(self.n)
        rest = {0.0: "", 1.0: "", 2.0: "x"}.get(self.n, "·x" + _exponent_text(self.n - 1))
        self.formula = f"∂z/∂x = {n_text}{rest}"  # 2x, 3·x², -1·x⁻², 0.5·x^-0.5

    def forward(self, xs):
        x = xs[0]
        if not self.n.is_integer() and np.any(np.asarray(x) < 0):
            raise Refusal("op.power_of_negative", n=self.n)  # a complex number
        if self.n < 0 and np.any(np.asarray(x) == 0):
            raise Refusal("op.power_of_zero", n=self.n)
        return x**self.n

    def local_derivatives(self, xs, out):
        x = xs[0]
        if self.n == 0:
            return (np.zeros_like(x) if _is_array(x) else 0.0,)
        if self.n < 1 and np.any(np.asarray(x) == 0):
            raise Refusal("op.no_derivative_at_zero", n=self.n)
        return (self.n * x ** (self.n - 1),)

    def __repr__(self) -> str:
        return f"Power({self.n!r})"


class Sigmoid(Op):
    key, symbol = "sigmoid", "σ"
    formula = "∂y/∂x = y(1 - y)"
    formula_names = ("y", "x")

    def forward(self, xs):
        x = xs[0]
        if _is_array(x):
            with np.errstate(over="ignore"):  # exp(-x) = inf just gives 0
                return 1.0 / (1.0 + np.exp(-x))
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)  # this branch keeps math.exp from overflowing for x << 0
        return e / (1.0 + e)

    def local_derivatives(self, xs, out):
        return ((1.0 - out) * out,)


class Relu(Op):
    """ReLU; at x = 0 the derivative is taken as 0, as in the book's Relu (mask x <= 0)."""

    key, symbol = "relu", "ReLU"
    formula = "∂y/∂x = 1 if x > 0 else 0"
    formula_names = ("y", "x")

    def forward(self, xs):
        x = xs[0]
        if _is_array(x):
            return np.where(x > 0, x, 0.0)
        return x if x > 0 else 0.0

    def local_derivatives(self, xs, out):
        x = xs[0]
        return ((x > 0).astype(float),) if _is_array(x) else (1.0 if x > 0 else 0.0,)


class Affine(Op):
    """x·W + b for a batch x of shape (N, D), W (D, M), b (M,): the book's Affine layer."""

    key, symbol, arity = "affine", "Affine", 3
    formula = "∂L/∂x = dout·Wᵀ, ∂L/∂W = xᵀ·dout, ∂L/∂b = np.sum(dout, axis=0)"
    formula_names = ()

    @staticmethod
    def _layer(xs: Sequence[Value]) -> tuple[layers.Affine, np.ndarray]:
        x, W, b = xs
        if not (_is_array(x) and x.ndim == 2):
            raise ValueError(f"Affine needs x as a 2-D batch (N, D), got {np.shape(x)}")
        if not (_is_array(W) and W.ndim == 2 and W.shape[0] == x.shape[1]):
            raise ValueError(f"Affine needs W of shape ({x.shape[1]}, M) for x {x.shape}, got {np.shape(W)}")
        if not (_is_array(b) and b.shape == (W.shape[1],)):
            raise ValueError(f"Affine needs b of shape ({W.shape[1]},) for W {W.shape}, got {np.shape(b)}")
        return layers.Affine(W, b), x

    def forward(self, xs):
        layer, x = self._layer(xs)
        return layer.forward(x)

    def local_derivatives(self, xs, out):
        return None

    def backward(self, xs, out, dout):
        layer, x = self._layer(xs)
        layer.forward(x)  # the layer keeps x for its backward, as in the book
        dx = layer.backward(dout)
        return dx, layer.dW, layer.db


def _targets(x: np.ndarray, t: Value) -> np.ndarray:
    """One-hot rows as they are, or labels (N,) as integers for the layer."""
    if _is_array(t) and t.shape == x.shape:
        if not (np.all((t == 0) | (t == 1)) and np.all(t.sum(axis=1) == 1)):
            raise ValueError("one-hot t must have a single 1 (and 0 elsewhere) in each row")
        return t
    if _is_array(t) and t.shape == (x.shape[0],):
        if not np.all((t == np.round(t)) & (t >= 0) & (t < x.shape[1])):
            raise ValueError(f"labels t must be whole numbers from 0 to {x.shape[1] - 1}")
        return t.astype(int)
    raise ValueError(f"t must be one-hot of shape {x.shape} or labels of shape ({x.shape[0]},), got {np.shape(t)}")


class SoftmaxWithLoss(Op):
    """Softmax then cross-entropy, mean over the batch: the book's layer (t gets no gradient).

    The same layer lesson 6 trains with; it takes -log softmax exactly, without
    the book's 1e-7 inside the log, so (y - t) / N is the exact gradient and the
    gradient check agrees to ~1e-9 even where the right class is unlikely.
    """

    key, symbol, arity = "softmax_loss", "Softmax+Loss", 2
    formula = "∂L/∂x = (y - t) / N"
    formula_names = ()

    @staticmethod
    def _layer(xs: Sequence[Value]) -> tuple[layers.SoftmaxWithLoss, float]:
        x, t = xs
        if not (_is_array(x) and x.ndim == 2):
            raise ValueError(f"SoftmaxWithLoss needs scores as a 2-D batch (N, classes), got {np.shape(x)}")
        layer = layers.SoftmaxWithLoss()
        return layer, layer.forward(x, _targets(x, t))

    def forward(self, xs):
        return self._layer(xs)[1]

    def local_derivatives(self, xs, out):
        return None

    def backward(self, xs, out, dout):
        layer, _ = self._layer(xs)
        return layer.backward(dout), None
