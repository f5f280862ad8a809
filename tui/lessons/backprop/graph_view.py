"""A computational graph drawn with box characters: nodes, edges, values, gradients.

Readable without colour (NO_COLOR): a forward value is written "→ 200" above a
node's outgoing line, its gradient "← 1.1" below it, a value or gradient not
computed yet is "?" (never 0), and the node of the current step has a
double-line box. Colour only repeats what the text already says.
"""

from __future__ import annotations

import numpy as np
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.widgets import Static

from nn_tui.core.graph.engine import Graph, Node
from nn_tui.core.graph.ops import Value
from nn_tui.tui.lessons.backprop.graph_layout import GraphLayout, layout_graph

VALUE_STYLE = "bold #5fd7ff"
GRAD_STYLE = "bold #ffaf5f"
UNKNOWN_STYLE = "dim"
CURRENT_STYLE = "bold #ffff5f"
EDGE_STYLE = "#808080"

_LINES = {  # which neighbours a line cell connects to -> its character
    frozenset("lr"): "─", frozenset("ud"): "│", frozenset("rd"): "┌", frozenset("ld"): "┐",
    frozenset("ru"): "└", frozenset("lu"): "┘", frozenset("lrd"): "┬", frozenset("lru"): "┴",
    frozenset("udr"): "├", frozenset("udl"): "┤", frozenset("lrud"): "┼",
    frozenset("l"): "─", frozenset("r"): "─", frozenset("u"): "│", frozenset("d"): "│",
}
_SINGLE = "┌─┐│└┘"
_DOUBLE = "╔═╗║╚╝"


def number_text(value: float, digits: int = 6) -> str:
    """A float for reading: ``digits`` significant digits, no trailing zeros, never "-0"."""
    value = float(value)
    if value == 0:
        return "0"
    return f"{value:.{digits}g}"


def shape_text(shape: tuple[int, ...]) -> str:
    """(2, 3) -> "2×3"; (3,) -> "(3,)"."""
    return "×".join(map(str, shape)) if len(shape) > 1 else f"({shape[0]},)" if shape else "()"


def value_text(value: Value | None, digits: int = 6) -> str:
    """What the graph writes for a value: a short number, an array's shape, or "?"."""
    if value is None:
        return "?"
    if isinstance(value, np.ndarray):
        return shape_text(value.shape)
    return number_text(value, digits)


#: The ops whose symbol writes their input as x (-x, 1/x, x²).
SLOT_SYMBOLS = frozenset({"neg", "inv", "pow"})


def box_text(node: Node) -> str:
    """The words inside a node's box: an input's name and value, an operation's symbol and name."""
    if node.is_input:
        return f"{node.name} {value_text(node.value)}"
    if node.is_constant:
        return node.label if isinstance(node.value, float) else f"{node.label} {value_text(node.value)}"
    if node.op.key in SLOT_SYMBOLS:  # "x² f" would read as x squared times f: the x is a slot, (·)² f
        return f"{node.op.symbol.replace('x', '(·)', 1)} {node.name}"
    return f"{node.op.symbol} {node.name}"


def value_label(node: Node) -> str:
    return f"→ {value_text(node.value)}"


def grad_label(node: Node) -> str:
    """Constants never get a gradient, so they have no label for one."""
    return "" if node.is_constant else f"← {value_text(node.grad)}"


def _final_label_widths(graph: Graph) -> dict[str, int]:
    """Label widths once everything is computed, so the drawing does not shift while stepping."""
    widths = {n.name: max(len(value_label(n)), len(grad_label(n)), 3) for n in graph.nodes}
    saved = graph.state()
    try:
        graph.forward()
        graph.backward()
        for n in graph.nodes:
            widths[n.name] = max(widths[n.name], len(value_label(n)), len(grad_label(n)))
    except ValueError:
        pass  # a pass that cannot finish (1/x at 0): widths grow when values appear
    finally:
        graph.restore(saved)
    return widths


class GraphView(Static):
    """Draws a ``Graph`` in its current state; call ``show`` after every step."""

    DEFAULT_CSS = """
    GraphView { width: auto; height: auto; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.graph: Graph | None = None
        self.graph_layout: GraphLayout | None = None
        self._label_widths: dict[str, int] = {}

    def set_graph(self, graph: Graph) -> None:
        """A new graph, or new input values: lay it out again."""
        self.graph = graph
        self._label_widths = _final_label_widths(graph)
        self.graph_layout = None

    def current_layout(self) -> GraphLayout:
        """The layout for the graph as it is now (redone only if a label outgrew its room)."""
        graph = self.graph
        widths = {n.name: max(self._label_widths.get(n.name, 3), len(value_label(n)), len(grad_label(n)))
                  for n in graph.nodes}
        boxes = {n.name: len(box_text(n)) + 4 for n in graph.nodes}
        if self.graph_layout is None or widths != self._label_widths:
            self._label_widths = widths
            self.graph_layout = layout_graph(graph, boxes, widths)
        return self.graph_layout

    def region_of(self, node: Node) -> Region:
        """Where ``node`` and its labels are, in the widget's content (for scrolling to it)."""
        layout = self.current_layout()
        box = layout.box(node)
        # +1: the widget's left padding
        return Region(box.x + 1, box.y, box.width + self._label_widths[node.name] + 3, 3)

    def show(self, current: Node | None = None, backward: bool = False) -> None:
        """Draw the graph; ``current`` (the node of the last step) gets a double box."""
        if self.graph is None:
            self.update("")
            return
        self.update(self.picture(current, backward))

    def picture(self, current: Node | None = None, backward: bool = False) -> Text:
        layout = self.current_layout()
        width, height = layout.width, layout.height
        chars = [[" "] * width for _ in range(height)]
        styles: list[list[str]] = [[""] * width for _ in range(height)]
        bits: dict[tuple[int, int], set[str]] = {}
        line_style: dict[tuple[int, int], str] = {}

        def link(a: tuple[int, int], b: tuple[int, int]) -> None:
            (x0, y0), (x1, y1) = a, b
            if y0 == y1:
                bits.setdefault(a, set()).add("r" if x1 > x0 else "l")
                bits.setdefault(b, set()).add("l" if x1 > x0 else "r")
            else:
                bits.setdefault(a, set()).add("d" if y1 > y0 else "u")
                bits.setdefault(b, set()).add("u" if y1 > y0 else "d")

        active = GRAD_STYLE if backward else VALUE_STYLE
        for edge in layout.edges:
            cells = edge.cells()
            bits.setdefault(cells[0], set()).add("l")  # joins the source's stem
            bits.setdefault(cells[-1], set()).add("r")  # runs into the arrow
            for a, b in zip(cells, cells[1:]):
                link(a, b)
            lit = current is not None and edge.target is current
            for cell in cells:
                if lit or cell not in line_style:
                    line_style[cell] = active if lit else EDGE_STYLE
            x, y = edge.arrow
            chars[y][x] = "▶"
            styles[y][x] = active if lit else EDGE_STYLE
        output = layout.box(self.graph.output)
        for x in range(output.right + 1, layout.output_stem_end + 1):
            bits.setdefault((x, output.middle), set()).update("lr")
        for (x, y), b in bits.items():
            chars[y][x] = _LINES[frozenset(b)]
            styles[y][x] = line_style.get((x, y), EDGE_STYLE)

        for box in layout.boxes.values():
            node = box.node
            is_current = node is current
            frame = _DOUBLE if is_current else _SINGLE
            known = node.value is not None
            frame_style = CURRENT_STYLE if is_current else "" if known else UNKNOWN_STYLE
            inner = box.width - 2
            rows = (frame[0] + frame[1] * inner + frame[2],
                    frame[3] + box_text(node).center(inner) + frame[3],
                    frame[4] + frame[1] * inner + frame[5])
            for dy, row in enumerate(rows):
                for dx, ch in enumerate(row):
                    chars[box.y + dy][box.x + dx] = ch
                    styles[box.y + dy][box.x + dx] = frame_style
            text_style = "bold" if is_current or (known and not node.is_leaf) else "" if known else UNKNOWN_STYLE
            for dx in range(1, box.width - 1):
                styles[box.middle][box.x + dx] = text_style
            chars[box.middle][box.right] = "├" if not is_current else "╟"
            for row, label, style in ((box.y, value_label(node), VALUE_STYLE if known else UNKNOWN_STYLE),
                                      (box.bottom, grad_label(node),
                                       GRAD_STYLE if node.grad is not None else UNKNOWN_STYLE)):
                for dx, ch in enumerate(label):
                    chars[row][box.right + 2 + dx] = ch
                    styles[row][box.right + 2 + dx] = style

        text = Text(no_wrap=True, overflow="crop")
        for y in range(height):
            row = chars[y]
            start = 0
            for x in range(1, width + 1):
                if x == width or styles[y][x] != styles[y][start]:
                    style = styles[y][start]
                    text.append("".join(row[start:x]), Style.parse(style) if style else None)
                    start = x
            if y < height - 1:
                text.append("\n")
        return text
