"""The book's ch05/layer_naive.py: the multiply and add nodes of the apple examples.

Each is a node of ``nn_tui.core.graph`` -- the ``Mul`` and ``Add`` rules that
lesson 5 steps through -- with the book's interface: ``forward(x, y)`` keeps
its inputs, ``backward(dout)`` returns ``(dx, dy)``.  A multiply node swaps
its inputs (dx = dout·y, dy = dout·x); an add node passes dout to both.

Two apples at 100 yen with 10% tax: the price is 220 and the backward pass
gives dApple 2.2, dApple_num 110, dTax 200.
"""

from __future__ import annotations

from typing import Any

from nn_tui.core.graph import ops as _ops

__all__ = ["MulLayer", "AddLayer"]


class MulLayer:
    """out = x·y."""

    def __init__(self) -> None:
        self.x: Any = None
        self.y: Any = None
        self._op = _ops.Mul()

    def forward(self, x: Any, y: Any) -> Any:
        self.x, self.y = x, y
        self.out = self._op.forward((x, y))
        return self.out

    def backward(self, dout: Any) -> tuple[Any, Any]:
        dx, dy = self._op.backward((self.x, self.y), self.out, dout)
        return dx, dy


class AddLayer:
    """out = x + y."""

    def __init__(self) -> None:
        self._op = _ops.Add()
        self._inputs: tuple[Any, Any] | None = None

    def forward(self, x: Any, y: Any) -> Any:
        self._inputs = (x, y)
        self.out = self._op.forward((x, y))
        return self.out

    def backward(self, dout: Any) -> tuple[Any, Any]:
        dx, dy = self._op.backward(self._inputs, self.out, dout)
        return dx, dy
