"""Lesson 3's experiments against the seed notes' and cs231n's printed numbers."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.assets import MNIST_SUBSET
from nn_tui.core.labs import losses as loss_lab
from nn_tui.core.labs.losses import (
    BatchPlan,
    LossesLab,
    MassLab,
    MiniBatchLab,
    NearestMeanModel,
    WeightLab,
    biggest_other,
    cross_entropy_without_delta,
    draw_batch,
    evaluate_weight,
    l2_example,
    minus_log10,
    move_mass,
    next_margin,
    softmax_example,
    svm_example,
    weight_sweep,
)
from nn_tui.core.data.mnist import MnistData, load_subset
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields

# --- 1. MSE and CEE on the seed example ----------------------------------------------


def test_seed_example_gives_the_seed_numbers():
    lab = MassLab()
    assert lab.mse == pytest.approx(0.09750000000000003, abs=1e-12)
    assert lab.cee == pytest.approx(0.5108254570958627, abs=1e-9)
    lab.load(2)
    assert lab.mse == pytest.approx(0.5975000000000001, abs=1e-12)
    # δ = 1e-7 inside the log, as the book's code: not the seed's 2.3025850929940455 ...
    assert lab.cee == pytest.approx(2.3025840929945460, abs=1e-12)
    # ... which is -ln 0.1 without δ.
    assert lab.cee_without_delta == 2.3025850929940455


def test_terms_sum_to_the_losses_and_only_the_correct_class_has_a_cee_term():
    lab = MassLab()
    assert lab.squared_terms.sum() == pytest.approx(lab.mse, abs=1e-15)
    assert lab.squared_terms[2] == pytest.approx(0.08, abs=1e-15)  # ½(0.6 − 1)²
    assert lab.cross_entropy_terms.sum() == lab.cee
    assert np.count_nonzero(lab.cross_entropy_terms) == 1


def test_cross_entropy_without_delta_is_infinite_at_zero():
    assert cross_entropy_without_delta(np.array([1.0, 0.0]), 1) == math.inf
    with pytest.raises(ValueError, match="label"):
        cross_entropy_without_delta(np.array([1.0, 0.0]), 2)


def test_take_moves_0_05_from_the_biggest_other_class():
    lab = MassLab()  # y1: class 2 has 0.6, the biggest others are 0, 5, 7 at 0.1
    source = lab.take()
    assert source == 0  # the lowest index on a tie
    assert lab.y.tolist() == [0.05, 0.05, 0.65, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
    assert lab.mse == pytest.approx(0.5 * (0.05**2 * 3 + 0.35**2 + 0.1**2 * 2), abs=1e-15)
    assert lab.cee == pytest.approx(-math.log(0.65 + 1e-7), abs=1e-15)


def test_give_then_take_returns_exactly_to_the_seed_values():
    lab = MassLab()
    lab.select(7)
    assert lab.give() == 2  # class 2 holds the most (0.6)
    assert lab.y[2] == 0.65
    assert lab.take() == 2
    assert lab.y.tolist() == list(loss_lab.SEED_Y1)


def test_take_until_certain_then_refused_without_change():
    lab = MassLab()
    for _ in range(8):
        lab.take()
    assert lab.y[2] == 1.0 and lab.y.sum() == 1.0
    assert lab.mse == 0.0
    before = lab.y.copy()
    with pytest.raises(Refusal) as refused:
        lab.take()
    assert (refused.value.code, refused.value.values) == ("losses.mass_full", {"k": 2})
    assert np.array_equal(lab.y, before)


def test_give_from_an_empty_class_is_refused_without_change():
    lab = MassLab()
    lab.select(3)  # y1[3] = 0
    before = lab.y.copy()
    with pytest.raises(Refusal) as refused:
        lab.give()
    assert (refused.value.code, refused.value.values) == ("losses.mass_empty", {"k": 3})
    assert np.array_equal(lab.y, before)
    with pytest.raises(ValueError, match="only 0.00"):
        move_mass(lab.y, 3, 2)  # called directly, move_mass says why in its own words


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.booleans()), max_size=40))
def test_any_sequence_of_moves_keeps_a_probability_vector_on_the_grid(moves):
    lab = MassLab()
    for k, take in moves:
        lab.select(k)
        try:
            lab.take() if take else lab.give()
        except ValueError:
            pass
        assert lab.y.sum() == pytest.approx(1.0, abs=1e-12)
        assert np.all(lab.y >= 0) and np.all(lab.y <= 1)
        assert np.allclose(lab.y * 20, np.round(lab.y * 20), atol=1e-9)


def test_move_mass_refuses_bad_arguments():
    y = np.array(loss_lab.SEED_Y1)
    with pytest.raises(ValueError, match="source"):
        move_mass(y, 10, 2)
    with pytest.raises(ValueError, match="same class"):
        move_mass(y, 2, 2)
    with pytest.raises(ValueError, match="amount"):
        move_mass(y, 0, 2, amount=math.nan)
    with pytest.raises(ValueError, match="example"):
        MassLab().load(3)


def test_biggest_other_skips_the_class_itself():
    assert biggest_other(np.array([0.1, 0.6, 0.3]), 1) == 2
    assert biggest_other(np.array([0.1, 0.6, 0.3]), 2) == 1


# --- 2. cs231n -----------------------------------------------------------------------


def test_svm_example_at_margin_1_is_the_cs231n_one():
    example = svm_example(1.0)
    assert example.losses == pytest.approx([2.9, 0.0, 12.9], abs=1e-12)
    assert example.mean == pytest.approx(15.8 / 3, abs=1e-12)
    assert round(example.mean, 2) == 5.27
    # per class, column = image: the cat image loses 2.9 to car; the frog image 6.3 + 6.6
    assert example.terms[:, 0] == pytest.approx([0.0, 2.9, 0.0], abs=1e-12)
    assert example.terms[:, 2] == pytest.approx([6.3, 6.6, 0.0], abs=1e-12)


def test_svm_example_at_margin_3():
    example = svm_example(3.0)
    assert example.losses == pytest.approx([4.9, 0.1, 16.9], abs=1e-12)
    assert example.mean == pytest.approx(21.9 / 3, abs=1e-12)


def test_svm_margin_must_be_finite_and_not_negative():
    for bad in (-1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="margin"):
            svm_example(bad)


def test_next_margin_cycles_1_3_5():
    assert [next_margin(m) for m in (1.0, 3.0, 5.0, 2.0, 7.5, 0.0)] == [3.0, 5.0, 1.0, 3.0, 1.0, 1.0]


def test_minus_log10_is_the_seeds_0_89():
    assert round(minus_log10(0.13), 2) == 0.89
    with pytest.raises(ValueError):
        minus_log10(0.0)


def test_l2_example_same_scores_different_penalty():
    example = l2_example()
    assert example.scores == (1.0, 1.0)
    assert example.penalties == (1.0, 0.25)


# --- 3. accuracy vs loss ----------------------------------------------------------------


def test_sweep_accuracy_is_piecewise_constant_with_few_jumps():
    sweep = weight_sweep()
    jumps = np.flatnonzero(np.diff(sweep.accuracy) != 0)
    assert 3 <= len(jumps) <= 12  # one per point crossing the line, at most
    assert len(np.unique(sweep.accuracy)) <= 13
    # accuracy takes only the values k/12
    assert np.allclose(sweep.accuracy * 12, np.round(sweep.accuracy * 12))


def test_sweep_loss_is_continuous_and_never_flat():
    sweep = weight_sweep()
    step = sweep.weights[1] - sweep.weights[0]
    slopes = np.diff(sweep.loss) / step
    assert np.max(np.abs(np.diff(sweep.loss))) < 0.02  # no jump between neighbouring points
    assert np.count_nonzero(slopes == 0) == 0


def test_evaluate_weight_known_values():
    at = evaluate_weight(-1.0)
    assert (at.correct, at.total) == (7, 12)
    assert at.loss == pytest.approx(0.784038978890388, abs=1e-12)
    assert evaluate_weight(0.3).correct == 11


def test_weight_lab_steps_in_tenths_and_stops_at_the_ends():
    lab = WeightLab()
    assert lab.weight == -1.0
    assert lab.accuracy_slope == 0.0
    assert lab.loss_slope == pytest.approx(-0.4727658270, abs=1e-8)
    for _ in range(20):
        lab.step(-1)
    assert lab.weight == -3.0
    with pytest.raises(Refusal) as refused:
        lab.step(-1)
    assert (refused.value.code, refused.value.values) == ("losses.weight_edge", {"low": -3.0, "high": 3.0})
    assert lab.weight == -3.0
    for _ in range(60):
        lab.step(1)
    assert lab.weight == 3.0


def test_weight_must_be_finite():
    with pytest.raises(ValueError, match="finite"):
        evaluate_weight(math.nan)


# --- 4. mini-batches --------------------------------------------------------------------


def test_draw_batch_is_the_books_choice_and_reproducible():
    a = draw_batch(10_000, 10, np.random.default_rng(0))
    b = draw_batch(10_000, 10, np.random.default_rng(0))
    assert np.array_equal(a, b)
    assert a.tolist() == [8506, 6369, 5111, 2697, 3078, 409, 752, 165, 1752, 8132]
    assert np.array_equal(a, np.random.default_rng(0).choice(10_000, 10))


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 5000), st.integers(1, 5000), st.integers(0, 2**32 - 1))
def test_draw_batch_indices_are_in_range(train_size, batch_size, seed):
    if batch_size > train_size:
        with pytest.raises(ValueError, match="larger"):
            draw_batch(train_size, batch_size, np.random.default_rng(seed))
        return
    indices = draw_batch(train_size, batch_size, np.random.default_rng(seed))
    assert indices.shape == (batch_size,)
    assert indices.min() >= 0 and indices.max() < train_size


def test_draw_batch_refuses_bad_sizes():
    rng = np.random.default_rng(0)
    for bad in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match="batch_size"):
            draw_batch(100, bad, rng)


def tiny_data() -> MnistData:
    """Two images per digit: digit k lights pixel k (and pixel 700 + k half as bright)."""
    images = np.zeros((20, 784), dtype=np.uint8)
    labels = np.repeat(np.arange(10, dtype=np.uint8), 2)
    for i, k in enumerate(labels.tolist()):
        images[i, k] = 255
        images[i, 700 + k] = 128 if i % 2 else 0
    return MnistData(images, labels, images[:10], labels[:10], name="tiny", source="test")


def test_nearest_mean_model_is_softmax_of_the_mean_image_scores():
    data = tiny_data()
    model = NearestMeanModel.fit(data.train_images, data.train_labels)
    x = data.train_images[:2].astype(float) / 255
    means = np.stack([data.train_images[data.train_labels == k].astype(float).mean(0) / 255 for k in range(10)], 1)
    scores = x @ means - 0.5 * (means**2).sum(0)
    expected = np.exp(scores) / np.exp(scores).sum(1, keepdims=True)
    assert model.probabilities(data.train_images[:2]) == pytest.approx(expected, abs=1e-12)
    loss = -np.mean(np.log(expected[[0, 1], [0, 0]] + 1e-7))
    assert model.loss(data.train_images[:2], data.train_labels[:2]) == pytest.approx(loss, abs=1e-12)


def test_model_loss_in_chunks_equals_the_loss_in_one_go():
    data = tiny_data()
    model = NearestMeanModel.fit(data.train_images, data.train_labels)
    whole = model.loss(data.train_images, data.train_labels, chunk=1000)
    assert model.loss(data.train_images, data.train_labels, chunk=3) == pytest.approx(whole, abs=1e-12)


def test_model_needs_every_digit():
    data = tiny_data()
    with pytest.raises(ValueError, match="digit"):
        NearestMeanModel.fit(data.train_images[:10], data.train_labels[:10] % 5)


def test_minibatch_lab_draws_reproducible_batches_and_tracks_their_losses():
    data = tiny_data()
    a, b = MiniBatchLab(data, batch_size=4, seed=3), MiniBatchLab(data, batch_size=4, seed=3)
    assert np.array_equal(a.indices, b.indices)
    assert a.indices.tolist() == np.random.default_rng(3).choice(20, 4).tolist()
    a.draw()
    a.draw()
    assert len(a.batch_losses) == 3
    assert a.batch_losses[-1] == a.model.loss(data.train_images[a.indices], data.train_labels[a.indices])
    assert a.mean_batch_loss == pytest.approx(np.mean(a.batch_losses), abs=1e-15)
    assert np.array_equal(a.labels, data.train_labels[a.indices])


def test_minibatch_lab_refuses_a_batch_larger_than_the_set_and_keeps_its_state():
    lab = MiniBatchLab(tiny_data(), batch_size=4)
    before = lab.indices.copy()
    for bad in (0, 21, 2.5):
        with pytest.raises(Refusal) as refused:
            lab.set_batch_size(bad)
        assert (refused.value.code, refused.value.values) == ("losses.batch_size", {"n": bad, "high": 20})
    assert lab.batch_size == 4 and np.array_equal(lab.indices, before)
    lab.set_batch_size(20)
    assert lab.indices.shape == (20,) and lab.batch_losses == [lab.batch_loss]


def test_minibatch_lab_on_the_offline_subset():
    lab = MiniBatchLab(load_subset(MNIST_SUBSET), batch_size=10, seed=0)
    assert lab.train_size == 10_000
    assert lab.indices.tolist() == [8506, 6369, 5111, 2697, 3078, 409, 752, 165, 1752, 8132]
    # The mean of many batch losses closes in on the full-set loss.
    for _ in range(199):
        lab.draw()
    assert abs(lab.mean_batch_loss - lab.full_loss) < 0.1


def test_model_wants_raw_uint8_pixels():
    data = tiny_data()
    with pytest.raises(ValueError, match="uint8"):
        NearestMeanModel.fit(data.train_images / 255, data.train_labels)


def test_changing_the_batch_size_starts_the_generator_again_so_the_plan_names_the_batch():
    data = tiny_data()
    lab = MiniBatchLab(data, batch_size=4, seed=3)
    lab.draw()
    lab.set_batch_size(5)
    lab.draw()
    assert lab.plan == BatchPlan(5, 3, 2)
    fresh = MiniBatchLab(data, batch_size=5, seed=3)
    fresh.draw()
    assert np.array_equal(lab.indices, fresh.indices) and lab.batch_losses == fresh.batch_losses
    again = MiniBatchLab.from_plan(data, lab.plan)
    assert np.array_equal(again.indices, lab.indices) and again.batch_losses == lab.batch_losses
    assert again.full_loss == lab.full_loss


def test_replaying_a_plan_stops_when_asked():
    calls = []
    assert MiniBatchLab.from_plan(tiny_data(), BatchPlan(2, 0, 50), stop=lambda: calls.append(1) or len(calls) > 3) is None
    assert len(calls) == 4


def test_draws_stop_at_the_limit_a_document_can_replay(monkeypatch):
    monkeypatch.setattr(loss_lab, "MAX_DRAWS", 3)
    lab = MiniBatchLab(tiny_data(), batch_size=2)
    lab.draw()
    lab.draw()
    before = lab.indices.copy()
    with pytest.raises(Refusal) as refused:
        lab.draw()
    assert (refused.value.code, refused.value.values) == ("losses.too_many_draws", {"most": 3})
    assert len(lab.batch_losses) == 3 and np.array_equal(lab.indices, before)
    lab.set_batch_size(3)  # a new size starts the count again
    assert lab.plan == BatchPlan(3, 0, 1)


# --- the softmax chain and the margin, as the screen asks for them ------------------------------


def test_softmax_example_of_each_image():
    cat = softmax_example(0)
    assert (cat.label, round(cat.chain.loss, 2), round(cat.p, 2), cat.p_rounded) == (0, 2.04, 0.13, 0.13)
    assert round(cat.seed_log10, 2) == 0.89
    frog = softmax_example(2)
    assert frog.p_rounded == frog.p and frog.p < 0.005  # rounds to 0.00: its digits are kept for log10
    assert frog.seed_log10 == pytest.approx(-math.log10(frog.p), abs=1e-12)
    with pytest.raises(ValueError, match="image"):
        softmax_example(3)


def test_margin_is_0_to_1000_like_the_field():
    lab = LossesLab()
    lab.set_margin(2.5)
    assert lab.margin == 2.5 and lab.svm().mean == pytest.approx(svm_example(2.5).mean, abs=0)
    for bad in (-0.1, 1000.5, math.nan, math.inf):
        with pytest.raises(Refusal) as refused:
            lab.set_margin(bad)
        assert refused.value.code == "losses.margin"
    assert lab.margin == 2.5
    for expected in (3.0, 5.0, 1.0):
        lab.cycle_margin()
        assert lab.margin == expected


def test_edited_says_whether_y_left_its_seed_output():
    lab = MassLab()
    assert not lab.edited
    lab.take()
    assert lab.edited
    lab.load(2)
    assert not lab.edited and lab.example == 2


# --- the state document ----------------------------------------------------------------------------


def worked_lab() -> LossesLab:
    lab = LossesLab()
    lab.mass.load(2)
    lab.mass.select(4)
    lab.mass.take()
    lab.mass.take()
    lab.mass.select(9)
    lab.set_margin(2.5)
    lab.next_image()
    for _ in range(7):
        lab.weight.step(1)
    lab.batch = BatchPlan(3, 12345, 4)
    return lab


def test_the_lab_round_trips_through_json():
    lab = worked_lab()
    state = json.loads(json.dumps(lab.to_state()))
    assert state == {
        "mass": {"example": 2, "y": [0.1, 0.05, 0.1, 0.0, 0.15, 0.1, 0.0, 0.5, 0.0, 0.0], "selected": 9},
        "margin": 2.5,
        "image": 1,
        "weight": -0.3,
        "batch": {"size": 3, "seed": 12345, "draws": 4},
    }
    again = LossesLab.from_state(Fields(state))
    assert again.mass.y.tolist() == lab.mass.y.tolist() and again.mass.selected == 9 and again.mass.example == 2
    assert (again.mass.mse, again.mass.cee) == (lab.mass.mse, lab.mass.cee)
    assert again.margin == 2.5 and again.svm().mean == lab.svm().mean
    assert again.image == 1 and again.softmax().chain.loss == lab.softmax().chain.loss
    assert again.weight.tenths == -3 and again.weight.evaluation == lab.weight.evaluation
    assert again.batch == lab.batch
    assert again.to_state() == state


def test_every_state_reachable_by_moves_is_read_back():
    lab = MassLab()
    for k in (5, 5, 5, 0, 2, 9, 9):
        lab.select(k)
        for _ in range(3):
            try:
                lab.take()
            except Refusal:
                pass
        again = MassLab.from_state(Fields(json.loads(json.dumps(lab.to_state()))))
        assert again.y.tolist() == lab.y.tolist()


def test_the_batch_plan_of_a_document_replays_the_same_batches():
    data = tiny_data()
    lab = MiniBatchLab(data, batch_size=4, seed=7)
    lab.draw()
    lab.draw()
    plan = BatchPlan.from_state(Fields(json.loads(json.dumps(lab.plan.to_state()))), data.train_size)
    again = MiniBatchLab.from_plan(data, plan)
    assert np.array_equal(again.indices, lab.indices) and again.batch_losses == lab.batch_losses


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (lambda s: s.update(margin="abc"), "state.not_a_number", "state.margin"),
        (lambda s: s.update(margin=1000.5), "state.out_of_range", "state.margin"),
        (lambda s: s.pop("weight"), "state.missing", "state.weight"),
        (lambda s: s.update(weight=-0.35), "losses.weight_step", "state.weight"),
        (lambda s: s.update(image=3), "state.out_of_range", "state.image"),
        (lambda s: s.update(image=True), "state.not_integer", "state.image"),
        (lambda s: s["mass"].update(example=3), "state.out_of_range", "state.mass.example"),
        (lambda s: s["mass"].update(y=[0.1] * 10 + [0.0]), "state.wrong_length", "state.mass.y"),
        (lambda s: s["mass"].update(y=[0.12, 0.88] + [0.0] * 8), "losses.mass_y", "state.mass.y"),
        (lambda s: s["mass"].update(y=[0.5, 0.55] + [0.0] * 8), "losses.mass_y", "state.mass.y"),
        (lambda s: s["mass"].update(y=[1.05, -0.05] + [0.0] * 8), "state.out_of_range", "state.mass.y[0]"),
        (lambda s: s["mass"].update(selected=-1), "state.out_of_range", "state.mass.selected"),
        (lambda s: s.update(batch=[3, 0, 1]), "state.not_a_table", "state.batch"),
        (lambda s: s["batch"].update(size=0), "state.out_of_range", "state.batch.size"),
        (lambda s: s["batch"].update(size=60_001), "state.out_of_range", "state.batch.size"),
        (lambda s: s["batch"].update(seed=-1), "state.out_of_range", "state.batch.seed"),
        (lambda s: s["batch"].update(draws=10_001), "state.out_of_range", "state.batch.draws"),
    ],
)
def test_a_bad_state_is_refused_naming_the_field(change, code, field):
    state = json.loads(json.dumps(worked_lab().to_state()))
    change(state)
    with pytest.raises(Refusal) as refused:
        LossesLab.from_state(Fields(state))
    assert refused.value.code == code and refused.value.values["field"] == field


def test_the_batch_size_is_bounded_by_the_set_when_it_is_known():
    state = worked_lab().to_state() | {"batch": {"size": 30, "seed": 0, "draws": 1}}
    assert LossesLab.from_state(Fields(state)).batch.size == 30
    with pytest.raises(Refusal) as refused:
        LossesLab.from_state(Fields(state), train_size=20)
    assert refused.value.values["field"] == "state.batch.size" and refused.value.values["high"] == "20"


def test_p_is_printed_with_the_decimals_its_log_needs():
    from nn_tui.core.labs.losses import log_places

    cat, car, frog = (softmax_example(image) for image in range(3))
    assert (cat.p_places, car.p_places, frog.p_places) == (2, 2, 5)
    assert f"{frog.p:.{frog.p_places}f}" == "0.00212"
    assert round(-math.log(round(frog.p, frog.p_places)), 2) == round(frog.chain.loss, 2) == 6.16
    assert [example.in_notes for example in (cat, car, frog)] == [True, False, False]
    assert log_places(0.5) == 2
    with pytest.raises(ValueError):
        log_places(0.0)
