"""Layout of a computational graph on a character grid: boxes never overlap, edges never cross a box."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.core.graph.engine import Graph, add, exp, reciprocal, variable
from nn_tui.core.graph.expression import parse_expression
from nn_tui.core.graph.presets import PRESETS, apple, apple_orange
from nn_tui.tui.lessons.backprop.graph_layout import BOX_HEIGHT, columns, layout_graph


def widths(graph, label=7):
    return {n.name: len(n.name) + 4 for n in graph.nodes}, {n.name: label for n in graph.nodes}


def test_columns_for_a_left_to_right_drawing():
    x, y = variable("x", 1.0), variable("y", 2.0)
    g = Graph(reciprocal(add(exp(add(x, y, name="q")), 1.0, name="d"), name="f"))
    # an operation one right of its rightmost input; the constant 1 sits just left of d, not at the far left
    assert columns(g) == {"x": 0, "y": 0, "q": 1, "exp1": 2, "c1": 2, "d": 3, "f": 4}
    assert columns(apple()) == {"apple": 0, "apple_num": 0, "apple_price": 1, "tax": 1, "price": 2}


def test_the_apple_graph_exactly():
    g = apple()
    layout = layout_graph(g, *widths(g))
    where = {name: (b.column, b.x, b.y, b.width) for name, b in layout.boxes.items()}
    # tax sits just left of the × that uses it (column 1), not at the far left
    assert where == {"apple": (0, 0, 0, 9), "apple_num": (0, 0, 4, 13), "apple_price": (1, 25, 2, 15),
                     "tax": (1, 25, 6, 7), "price": (2, 52, 4, 9)}
    edges = {(e.source.name, e.target.name): (e.points, e.arrow) for e in layout.edges}
    # apple leaves its middle row, goes right to the lane (x 22), down to apple_price's middle row
    assert edges[("apple", "apple_price")] == (((9, 1), (22, 1), (22, 3), (23, 3)), (24, 3))
    assert edges[("apple_num", "apple_price")] == (((13, 5), (22, 5), (22, 3), (23, 3)), (24, 3))
    assert edges[("apple_price", "price")] == (((40, 3), (49, 3), (49, 5), (50, 5)), (51, 5))
    assert edges[("tax", "price")] == (((32, 7), (49, 7), (49, 5), (50, 5)), (51, 5))
    assert (layout.width, layout.height, layout.output_stem_end) == (70, 9, 69)


def test_an_operation_sits_at_the_middle_of_its_inputs():
    g = apple_orange()
    layout = layout_graph(g, *widths(g))
    box = layout.boxes
    assert box["apple_price"].middle == (box["apple"].middle + box["apple_num"].middle) // 2
    assert box["all_price"].middle == (box["apple_price"].middle + box["orange_price"].middle) // 2
    assert box["tax"].column == box["price"].column - 1


def test_an_edge_skipping_columns_passes_on_a_row_of_its_own():
    g = parse_expression("x * sigmoid(x)")
    layout = layout_graph(g, *widths(g))
    skip = next(e for e in layout.edges if e.source.name == "x" and e.target.name == "f")
    sig = layout.boxes["sigmoid1"]
    cells = skip.cells()
    assert all(not sig.contains(x, y) for x, y in cells)
    assert any(sig.x <= x <= sig.right for x, _ in cells)  # it really passes sigmoid's column


def check_layout(graph, layout, label):
    boxes = list(layout.boxes.values())
    assert len(boxes) == len(graph.nodes)
    taken = {}
    for b in boxes:
        # the box and its two labels (above and below the stem)
        cells = [(x, y) for y in range(b.y, b.y + BOX_HEIGHT) for x in range(b.x, b.right + 1)]
        cells += [(b.right + 2 + i, row) for row in (b.y, b.bottom) for i in range(label)]
        for cell in cells:
            assert cell not in taken, f"{b.node.name} overlaps {taken[cell]}"
            taken[cell] = b.node.name
        assert 0 <= b.x and b.right < layout.width and b.bottom < layout.height
    for e in layout.edges:
        source, target = layout.box(e.source), layout.box(e.target)
        assert e.points[0] == (source.right + 1, source.middle)
        assert e.points[-1] == (target.x - 2, target.middle) and e.arrow == (target.x - 1, target.middle)
        for (x0, y0), (x1, y1) in zip(e.points, e.points[1:]):
            assert (x0 == x1) != (y0 == y1), "segments are horizontal or vertical"
            assert x1 >= x0, "edges only run left to right"
        for cell in [*e.cells(), e.arrow]:
            assert cell not in taken, f"edge {e.source.name}→{e.target.name} runs through {taken.get(cell)}"
            assert 0 <= cell[0] < layout.width and 0 <= cell[1] < layout.height
    pairs = {(i.name, n.name) for n in graph.ops for i in n.inputs}
    assert {(e.source.name, e.target.name) for e in layout.edges} == pairs


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_is_drawable(name):
    g = PRESETS[name]()
    check_layout(g, layout_graph(g, *widths(g, 9)), 9)


names = st.sampled_from(["a", "b", "c", "x"])
formulas = st.recursive(
    names | st.sampled_from(["2", "0.5"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" + ", " * ", " - ", " / "]), inner).map(lambda t: f"({''.join(t)})"),
        inner.map(lambda t: f"exp({t})"),
        inner.map(lambda t: f"relu({t})"),
        st.tuples(inner, inner).map(lambda t: f"max({t[0]}, {t[1]})"),
        inner.map(lambda t: f"{t}^2"),
    ),
    max_leaves=8,
)


@settings(max_examples=50, deadline=None)
@given(formulas, st.integers(0, 12))
def test_typed_formulas_never_overlap(text, label):
    try:
        g = parse_expression(text)
    except ValueError:  # e.g. "2 * 0.5" has no input; the parser says so
        return
    check_layout(g, layout_graph(g, *widths(g, label)), label)


def test_bad_widths_are_refused_in_words():
    g = apple()
    boxes, labels = widths(g)
    with pytest.raises(ValueError, match="box width for node 'tax'"):
        layout_graph(g, {**boxes, "tax": 2}, labels)
    with pytest.raises(ValueError, match="label width for node 'apple'"):
        layout_graph(g, boxes, {k: v for k, v in labels.items() if k != "apple"})
    with pytest.raises(ValueError, match="needs a Graph"):
        layout_graph("apple", boxes, labels)
