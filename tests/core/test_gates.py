"""Perceptrons, the book's gates, linear separability and the learning rule."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.core.gates import (
    AND,
    GATE_TARGETS,
    INPUTS,
    NAND,
    OR,
    DecisionLine,
    Perceptron,
    PerceptronLearner,
    TruthRow,
    is_linearly_separable,
    xor,
)


def test_book_gates_truth_tables():
    assert AND.outputs() == GATE_TARGETS["AND"] == (0, 0, 0, 1)
    assert NAND.outputs() == GATE_TARGETS["NAND"] == (1, 1, 1, 0)
    assert OR.outputs() == GATE_TARGETS["OR"] == (0, 1, 1, 1)
    assert GATE_TARGETS["XOR"] == (0, 1, 1, 0)
    assert INPUTS == ((0, 0), (1, 0), (0, 1), (1, 1))


def test_book_weights_and_theta():
    assert (AND.w1, AND.w2, AND.b) == (0.5, 0.5, -0.7)
    assert (NAND.w1, NAND.w2, NAND.b) == (-0.5, -0.5, 0.7)
    assert (OR.w1, OR.w2, OR.b) == (0.5, 0.5, -0.2)
    assert AND.theta == 0.7 and NAND.theta == -0.7 and OR.theta == 0.2


def test_seed_note_or_weights_also_give_or():
    # The seed note writes OR with (1.0, 1.0, -0.5); the book uses (0.5, 0.5, -0.2).
    assert Perceptron(1.0, 1.0, -0.5).outputs() == OR.outputs() == (0, 1, 1, 1)


def test_truth_table_rows():
    rows = AND.truth_table()
    assert rows == [
        TruthRow(0, 0, -0.7, 0),
        TruthRow(1, 0, -0.2, 0),
        TruthRow(0, 1, -0.2, 0),
        TruthRow(1, 1, 0.3, 1),
    ]  # the sums as a student writes them, without float noise (0.30000000000000004)


def test_zero_sum_outputs_zero():
    # The book: "<= 0" gives 0.
    p = Perceptron(1.0, 1.0, -1.0)
    assert p.weighted_sum(1, 0) == 0.0 and p.output(1, 0) == 0
    assert p.output(1, 1) == 1


def test_weighted_sum_any_real_input():
    assert AND.weighted_sum(0.5, 2) == 0.5 * 0.5 + 2 * 0.5 - 0.7


def test_with_weights_returns_new_perceptron():
    p = AND.with_weights(b=-0.2)
    assert p == OR and AND.b == -0.7
    assert AND.with_weights() == AND
    with pytest.raises(AttributeError):
        AND.w1 = 3.0  # frozen


@pytest.mark.parametrize("bad", [math.nan, math.inf, "0.5", None, True])
def test_weights_validated(bad):
    with pytest.raises(ValueError):
        Perceptron(bad, 0.5, 0.1)
    with pytest.raises(ValueError):
        AND.with_weights(w2=bad) if bad is not None else Perceptron(0.5, 0.5, bad)
    with pytest.raises(ValueError):
        AND.output(bad, 1)


def test_ints_become_floats():
    p = Perceptron(1, 2, np.float32(3))
    assert type(p.w1) is float and type(p.b) is float


# --- decision line -----------------------------------------------------------

def test_decision_line_of_and():
    line = AND.decision_line()
    assert line.kind == "line" and line.exists
    assert line.slope == -1.0
    assert line.intercept == pytest.approx(1.4)
    assert line.x2_at(0.7) == pytest.approx(0.7)
    # points on the line give weighted sum 0
    for x1 in (-1.0, 0.2, 3.0):
        assert AND.weighted_sum(x1, line.x2_at(x1)) == pytest.approx(0.0, abs=1e-12)
    (a, b) = line.segment((-0.5, 1.5), (-0.5, 1.5))
    assert a == pytest.approx((-0.1, 1.5)) and b == pytest.approx((1.5, -0.1))


def test_decision_line_vertical_horizontal_none():
    vertical = DecisionLine(2.0, 0.0, -1.0)
    assert vertical.kind == "vertical" and vertical.x1_const == 0.5
    assert vertical.segment((0, 1), (0, 1)) == ((0.5, 0), (0.5, 1))
    assert vertical.segment((0.6, 1), (0, 1)) is None
    with pytest.raises(ValueError, match="vertical"):
        vertical.x2_at(0.0)

    horizontal = DecisionLine(0.0, 2.0, -1.0)
    assert horizontal.kind == "line" and horizontal.slope == 0
    assert horizontal.segment((0, 1), (0, 1)) == ((0, 0.5), (1, 0.5))
    assert horizontal.segment((0, 1), (0.6, 1)) is None

    none = Perceptron(0.0, 0.0, 0.3).decision_line()
    assert none.kind == "none" and not none.exists and none.segment() is None
    with pytest.raises(ValueError):
        none.slope


def test_segment_missing_the_box():
    line = DecisionLine(1.0, 1.0, -10.0)  # x1 + x2 = 10
    assert line.segment((-0.5, 1.5), (-0.5, 1.5)) is None


def test_side_matches_output():
    line = NAND.decision_line()
    for x1, x2 in INPUTS:
        assert line.side(x1, x2) == NAND.output(x1, x2)


# --- XOR -----------------------------------------------------------------------

def test_xor_two_layers_with_intermediates():
    rows = [xor(x1, x2) for x1, x2 in INPUTS]
    assert [(r.s1, r.s2, r.y) for r in rows] == [(1, 0, 0), (1, 1, 1), (1, 1, 1), (0, 1, 0)]
    assert tuple(r.y for r in rows) == GATE_TARGETS["XOR"]


# --- linear separability ------------------------------------------------------

def test_separable_gates():
    assert is_linearly_separable(GATE_TARGETS["AND"])
    assert is_linearly_separable("nand")
    assert is_linearly_separable(GATE_TARGETS["OR"])
    assert not is_linearly_separable(GATE_TARGETS["XOR"])
    assert not is_linearly_separable((1, 0, 0, 1))  # XNOR


def test_all_sixteen_two_input_functions():
    not_separable = {(0, 1, 1, 0), (1, 0, 0, 1)}
    for targets in itertools.product((0, 1), repeat=4):
        assert is_linearly_separable(targets) == (targets not in not_separable), targets


def _brute_force_separable(targets, points):
    """Search a grid of lines: a witness that a separating line exists."""
    ws = np.linspace(-2, 2, 41)
    for w1, w2, b in itertools.product(ws, ws, ws):
        out = tuple(1 if x * w1 + y * w2 + b > 0 else 0 for x, y in points)
        if out == tuple(targets):
            return True
    return False


def test_separable_agrees_with_a_brute_force_search():
    for targets in itertools.product((0, 1), repeat=4):
        assert is_linearly_separable(targets) == _brute_force_separable(targets, INPUTS)


def test_other_point_sets():
    collinear = [(0, 0), (1, 1), (2, 2)]
    assert not is_linearly_separable((0, 1, 0), collinear)  # middle point of a line
    assert is_linearly_separable((0, 0, 1), collinear)
    square_with_centre = [(0, 0), (2, 0), (0, 2), (2, 2), (1, 1)]
    assert not is_linearly_separable((0, 0, 0, 0, 1), square_with_centre)
    assert is_linearly_separable((1, 1, 1, 1, 1), square_with_centre)
    # touching hulls: a 1-point lying on the segment between two 0-points
    assert not is_linearly_separable((0, 0, 1), [(0, 0), (2, 0), (1, 0)])
    assert is_linearly_separable((0, 1), [(0.1, 0.2), (0.1, 0.2000001)])


def _separable_by_direction_search(targets, points) -> bool:
    """Try 2880 directions u: separable iff max(u.p over 0s) < min(u.p over 1s) for one u.

    For integer points in [-3, 3]^2 the set of separating directions, when not
    empty, is an arc wider than ~1/72 rad (its ends are perpendicular to
    differences of grid points), so a 1/8-degree grid of directions finds it.
    """
    angles = np.linspace(0, 2 * np.pi, 2880, endpoint=False)
    u = np.stack([np.cos(angles), np.sin(angles)])
    proj = np.asarray(points, dtype=float) @ u
    t = np.asarray(targets, dtype=bool)
    if t.all() or not t.any():
        return True
    return bool(np.any(proj[~t].max(axis=0) < proj[t].min(axis=0) - 1e-9))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=8, unique=True),
    st.data(),
)
def test_separable_agrees_with_direction_search(points, data):
    targets = data.draw(st.lists(st.sampled_from((0, 1)), min_size=len(points), max_size=len(points)))
    assert is_linearly_separable(targets, points) == _separable_by_direction_search(targets, points)


@pytest.mark.parametrize("bad", [(0, 1, 1), (0, 1, 2, 0), (0, 1, 1, 0.5), "XNOR2", 7, (True, 0, 0, 1)])
def test_bad_targets(bad):
    with pytest.raises(ValueError):
        is_linearly_separable(bad)
    with pytest.raises(ValueError):
        PerceptronLearner(bad)


# --- learning rule ------------------------------------------------------------

def test_one_step_by_hand():
    learner = PerceptronLearner("AND", perceptron=Perceptron(0.0, 0.0, 0.5), lr=0.1)
    rec = learner.step()  # sample (0,0): sum 0.5 -> y 1, target 0
    assert rec.sample == (0, 0) and rec.prediction == 1 and rec.target == 0
    assert rec.error == -1 and rec.changed and rec.step == 1
    assert rec.old == Perceptron(0.0, 0.0, 0.5)
    assert rec.new == Perceptron(0.0, 0.0, 0.4) == learner.perceptron
    rec = learner.step()  # sample (1,0): sum 0.4 -> y 1, target 0
    assert rec.sample == (1, 0)
    assert learner.perceptron == Perceptron(-0.1, 0.0, 0.30000000000000004)
    assert learner.steps == 2 and learner.epoch == 0 and learner.next_sample == 2


def test_no_change_when_right():
    learner = PerceptronLearner("AND", perceptron=AND)
    recs = [learner.step() for _ in range(4)]
    assert not any(r.changed for r in recs)
    assert learner.perceptron is AND
    assert learner.converged and learner.epoch == 1 and learner.solves_targets


def test_converged_needs_a_whole_clean_pass():
    learner = PerceptronLearner("AND", perceptron=AND)
    for _ in range(3):
        learner.step()
        assert not learner.converged
    learner.step()
    assert learner.converged


def test_random_start_is_seeded():
    a = PerceptronLearner("OR", rng=3).perceptron
    b = PerceptronLearner("OR", rng=np.random.default_rng(3)).perceptron
    assert a == b
    assert PerceptronLearner("OR").perceptron == PerceptronLearner("OR", rng=0).perceptron
    assert all(-1 <= w <= 1 and round(w, 2) == w for w in (a.w1, a.w2, a.b))


@pytest.mark.parametrize("gate", ["AND", "NAND", "OR"])
@pytest.mark.parametrize("seed", range(8))
def test_separable_gates_converge_quickly(gate, seed):
    learner = PerceptronLearner(gate, rng=seed)
    assert learner.separable
    learner.run(max_steps=4 * 40)
    assert learner.converged, (gate, seed, learner.perceptron)
    assert learner.epoch <= 40
    assert learner.perceptron.outputs() == GATE_TARGETS[gate]


@pytest.mark.parametrize("seed", range(5))
def test_xor_never_converges(seed):
    learner = PerceptronLearner("XOR", rng=seed)
    assert not learner.separable
    taken = learner.run(max_steps=1000)
    assert taken == 1000 and not learner.converged and not learner.solves_targets


def test_learner_arguments():
    with pytest.raises(ValueError, match="lr"):
        PerceptronLearner("AND", lr=0)
    with pytest.raises(ValueError, match="lr"):
        PerceptronLearner("AND", lr=math.nan)
    with pytest.raises(ValueError, match="Perceptron"):
        PerceptronLearner("AND", perceptron=(0.5, 0.5, -0.7))
    with pytest.raises(ValueError, match="max_steps"):
        PerceptronLearner("AND").run(-1)


def test_decimal_weights_summing_to_zero_give_output_zero():
    # 0.1 + 0.2 - 0.3 is 5.6e-17 in floats; the book's rule "<= 0 gives 0" means 0.
    p = Perceptron(0.1, 0.2, -0.3)
    assert p.weighted_sum(1, 1) == 0.0
    assert p.output(1, 1) == 0
    assert AND.weighted_sum(1, 1) == 0.3
