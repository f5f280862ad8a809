"""Where each box and edge of a computational graph goes on a grid of characters.

Pure geometry, no drawing: the UI says how wide each node's box and its edge
labels are, and gets back boxes (x, y, width) and edges as polylines of
(x, y) corners, left to right in columns like the book's figures.

- An operation sits one column right of its rightmost input (leaves counting
  as column 0); a leaf (input or constant) sits just left of the first
  operation that uses it, so the book's ``tax`` enters the last × from below
  instead of from far away at the left edge.
- Every box is 3 rows high; its *stem* leaves the middle row of its right side,
  with room above and below it for the value label ("→ 200") and the gradient
  label ("← 1.1").
- An edge that skips columns passes through them on a row of its own (a
  "dummy" slot in each column it crosses), so it never runs through a box.
- Between two columns every target gets its own vertical *lane*; all inputs
  of one operation arrive through that lane at the middle row of its box.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nn_tui.core.graph.engine import Graph, Node

BOX_HEIGHT = 3
ROW_GAP = 1  # empty rows between two slots of a column


@dataclass(frozen=True)
class Box:
    """A node's box: top-left corner (x, y), ``width`` columns, ``BOX_HEIGHT`` rows."""

    node: Node
    column: int
    x: int
    y: int
    width: int

    @property
    def right(self) -> int:
        """The column of the box's right border."""
        return self.x + self.width - 1

    @property
    def bottom(self) -> int:
        return self.y + BOX_HEIGHT - 1

    @property
    def middle(self) -> int:
        """The row where edges leave (stem) and arrive (port)."""
        return self.y + 1

    def contains(self, x: int, y: int) -> bool:
        return self.x <= x <= self.right and self.y <= y <= self.bottom


@dataclass(frozen=True)
class Edge:
    """``source`` feeding ``target``: a polyline from just right of the source's stem
    to just left of the target's arrow cell ``arrow``."""

    source: Node
    target: Node
    points: tuple[tuple[int, int], ...]
    arrow: tuple[int, int]

    def cells(self) -> list[tuple[int, int]]:
        """Every (x, y) the line passes through, arrow excluded."""
        out = [self.points[0]]
        for (x0, y0), (x1, y1) in zip(self.points, self.points[1:]):
            dx, dy = (x1 > x0) - (x1 < x0), (y1 > y0) - (y1 < y0)
            x, y = x0, y0
            while (x, y) != (x1, y1):
                x, y = x + dx, y + dy
                out.append((x, y))
        return out


@dataclass(frozen=True)
class GraphLayout:
    boxes: Mapping[str, Box]  # by node name
    edges: tuple[Edge, ...]
    width: int
    height: int
    output_stem_end: int  # the output's stem runs from its box to here (its labels sit above/below)

    def box(self, node: Node) -> Box:
        return self.boxes[node.name]


def columns(graph: Graph) -> dict[str, int]:
    """The column of each node, by name: operations by depth, leaves just left of their first user."""
    depth: dict[str, int] = {}
    for n in graph.nodes:  # topological order: inputs come first
        depth[n.name] = 0 if n.is_leaf else 1 + max(depth[i.name] for i in n.inputs)
    column = {n.name: depth[n.name] for n in graph.ops}
    for n in graph.nodes:
        if n.is_leaf:
            column[n.name] = min(column[c.name] for c in graph.consumers(n)) - 1
    return column


@dataclass
class _Slot:
    """One item of a column: a node's box, or a row an edge passes through."""

    key: int  # order in the column (topological index of the node, or of the edge's source)
    node: Node | None = None
    edge: tuple[Node, Node] | None = None  # for a pass-through: (source, target)
    top: int = 0

    @property
    def height(self) -> int:
        return BOX_HEIGHT if self.node is not None else 1

    @property
    def anchor(self) -> int:
        return self.top + (1 if self.node is not None else 0)


def _check_widths(graph: Graph, widths: Mapping[str, int], what: str, least: int) -> None:
    for n in graph.nodes:
        w = widths.get(n.name)
        if not isinstance(w, int) or isinstance(w, bool) or w < least:
            raise ValueError(f"{what} for node {n.name!r} must be a whole number ≥ {least}, got {w!r}")


def layout_graph(graph: Graph, box_widths: Mapping[str, int], label_widths: Mapping[str, int]) -> GraphLayout:
    """Place every node of ``graph``; widths are in terminal cells, by node name.

    ``box_widths`` include the borders (at least 3); ``label_widths`` is the
    widest text written beside a node's stem (value or gradient label).
    """
    if not isinstance(graph, Graph):
        raise ValueError(f"layout_graph needs a Graph, got {graph!r}")
    _check_widths(graph, box_widths, "the box width", 3)
    _check_widths(graph, label_widths, "the label width", 0)
    column = columns(graph)
    order = {n.name: i for i, n in enumerate(graph.nodes)}
    last = max(column.values())

    # ---- slots: nodes, plus a pass-through row in each column an edge skips --------
    slots: list[list[_Slot]] = [[] for _ in range(last + 1)]
    node_slot: dict[str, _Slot] = {}
    for n in graph.nodes:
        slot = _Slot(order[n.name], node=n)
        slots[column[n.name]].append(slot)
        node_slot[n.name] = slot
    pass_slots: dict[tuple[str, str], dict[int, _Slot]] = {}
    links: list[tuple[Node, Node]] = []  # (source, target), each pair once
    for target in graph.ops:
        for source in dict.fromkeys(target.inputs):
            links.append((source, target))
            crossing = {}
            for c in range(column[source.name] + 1, column[target.name]):
                crossing[c] = _Slot(order[source.name], edge=(source, target))
                slots[c].append(crossing[c])
            pass_slots[(source.name, target.name)] = crossing
    for col in slots:
        col.sort(key=lambda s: (s.key, s.node is None))

    def slot_in(link: tuple[Node, Node], c: int) -> _Slot:
        """Where ``link`` is in column ``c``: its source's box or its pass-through row."""
        source, target = link
        return node_slot[source.name] if c == column[source.name] else pass_slots[(source.name, target.name)][c]

    # ---- rows: left to right, each slot as near its inputs as the slots above allow -
    for c, col in enumerate(slots):
        below = 0
        for slot in col:
            wanted = None
            if slot.edge is not None:
                wanted = slot_in(slot.edge, c - 1).anchor
            elif not slot.node.is_leaf:
                rows = [slot_in((i, slot.node), c - 1).anchor for i in dict.fromkeys(slot.node.inputs)]
                wanted = sum(rows) // len(rows)
            top = below if wanted is None else max(below, wanted - (slot.anchor - slot.top))
            slot.top = top
            below = top + slot.height + ROW_GAP

    # ---- x: box zone, label zone, one lane per target, then the arrow ---------------
    box_zone = [max((box_widths[s.node.name] for s in col if s.node), default=1) for col in slots]
    label_zone = [max((label_widths[s.node.name] for s in col if s.node), default=0) for col in slots]
    targets: list[list[_Slot]] = [[] for _ in slots]  # slots that receive a line, by column
    for c, col in enumerate(slots):
        targets[c] = [s for s in col if s.edge is not None or (s.node is not None and not s.node.is_leaf)]
    xs = [0]
    lane_start: list[int] = []
    for c in range(last):
        start = xs[c] + box_zone[c] + label_zone[c] + 2
        lane_start.append(start)
        xs.append(start + max(1, len(targets[c + 1])) + 2)

    def lane(c: int, slot: _Slot) -> int:
        """The lane, left of column c + 1, that leads into ``slot``."""
        return lane_start[c] + targets[c + 1].index(slot)

    boxes = {
        s.node.name: Box(s.node, c, xs[c], s.top, box_widths[s.node.name])
        for c, col in enumerate(slots) for s in col if s.node is not None
    }

    edges = []
    for source, target in links:
        box = boxes[source.name]
        points = [(box.right + 1, box.middle)]
        for c in range(column[source.name], column[target.name]):
            nxt = slot_in((source, target), c + 1) if c + 1 < column[target.name] else node_slot[target.name]
            x = lane(c, nxt)
            row = points[-1][1]
            points.append((x, row))
            if nxt.anchor != row:
                points.append((x, nxt.anchor))
            if nxt.node is None:  # straight through the column it crosses
                points.append((xs[c + 1] + box_zone[c + 1] + label_zone[c + 1] + 1, nxt.anchor))
        target_box = boxes[target.name]
        points.append((target_box.x - 2, target_box.middle))
        edges.append(Edge(source, target, tuple(_simplify(points)), (target_box.x - 1, target_box.middle)))

    output = boxes[graph.output.name]
    stem_end = output.right + label_widths[graph.output.name] + 2
    width = max([stem_end + 1] + [b.right + 1 for b in boxes.values()])
    height = max(b.bottom + 1 for b in boxes.values())
    return GraphLayout(boxes, tuple(edges), width, height, stem_end)


def _simplify(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop repeated points and corners that are not corners (three in a line)."""
    out: list[tuple[int, int]] = []
    for p in points:
        if out and out[-1] == p:
            continue
        if len(out) >= 2 and (out[-2][0] == out[-1][0] == p[0] or out[-2][1] == out[-1][1] == p[1]):
            out[-1] = p
        else:
            out.append(p)
    return out
