"""The curves behind lesson 6's live charts: moving average, downsampling, histories."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.core.labs.curves import (
    MAX_GHOSTS,
    MAX_STORED_LOSSES,
    AccuracyCurve,
    LossHistory,
    RunRecord,
    downsample,
    smooth,
    smoothing_window,
)
from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields
from nn_tui.core.trainer import DivergedEvent, EpochEvent, IterationEvent

finite = st.floats(-1e6, 1e6, allow_nan=False)


def test_smooth_is_the_trailing_mean_of_the_last_window_values():
    assert smooth([1, 2, 3, 4, 5], 2).tolist() == [1.0, 1.5, 2.5, 3.5, 4.5]
    assert smooth([3, 1, 2, 6], 3).tolist() == [3.0, 2.0, 2.0, 3.0]
    assert smooth([4, 8], 1).tolist() == [4.0, 8.0]
    assert smooth([], 5).tolist() == []


@settings(max_examples=50, deadline=None)
@given(st.lists(finite, min_size=1, max_size=60), st.integers(1, 70))
def test_smooth_matches_a_plain_loop(values, window):
    expected = [np.mean(values[max(0, i - window + 1):i + 1]) for i in range(len(values))]
    np.testing.assert_allclose(smooth(values, window), expected, rtol=1e-9, atol=1e-6)


@settings(max_examples=50, deadline=None)
@given(st.lists(finite, min_size=1, max_size=60), st.integers(1, 70))
def test_smoothing_stays_within_the_range_of_the_values(values, window):
    s = smooth(values, window)
    assert s.shape == (len(values),)
    assert (s >= min(values) - 1e-6).all() and (s <= max(values) + 1e-6).all()


@pytest.mark.parametrize("window", [0, -1, 2.5, True, "3"])
def test_smooth_refuses_a_window_that_is_not_a_positive_whole_number(window):
    with pytest.raises(ValueError, match="window"):
        smooth([1, 2, 3], window)


@pytest.mark.parametrize("bad", [[1.0, float("nan")], [float("inf")], [[1, 2], [3, 4]]])
def test_smooth_refuses_nan_inf_and_tables(bad):
    with pytest.raises(ValueError):
        smooth(bad, 2)


def test_the_window_grows_with_the_run_within_bounds():
    assert [smoothing_window(n) for n in (0, 10, 100, 101, 1000, 10_000)] == [5, 5, 5, 5, 50, 200]
    with pytest.raises(ValueError):
        smoothing_window(-1)


def test_downsample_keeps_everything_when_it_fits_and_the_ends_otherwise():
    assert downsample(4, 10).tolist() == [0, 1, 2, 3]
    assert downsample(0, 10).tolist() == []
    assert downsample(101, 5).tolist() == [0, 25, 50, 75, 100]


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 100_000), st.integers(2, 600))
def test_downsample_is_bounded_sorted_and_has_both_ends(n, max_points):
    index = downsample(n, max_points)
    assert len(index) == min(n, max_points)
    assert (np.diff(index) > 0).all()
    if n:
        assert index[0] == 0 and index[-1] == n - 1


def test_charting_a_long_run_does_not_load_numpy_ma():
    # np.unique imports numpy.ma (half a megabyte in every student's app).
    code = ("import sys; from nn_tui.core.labs.curves import LossHistory; h = LossHistory(); "
            "h.append([1.0] * 100_000); h.chart(400); print('numpy.ma' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"


@pytest.mark.parametrize("args", [(10, 1), (-1, 5), (10.0, 5), (10, True)])
def test_downsample_refuses_bad_arguments(args):
    with pytest.raises(ValueError):
        downsample(*args)


def test_loss_history_grows_and_charts_at_most_max_points():
    history = LossHistory()
    assert len(history) == 0 and history.last is None
    history.append(np.linspace(2.3, 0.3, 3000, dtype=np.float32))
    history.append(0.25)
    assert len(history) == 3001
    assert history.last == 0.25
    curve = history.chart(max_points=400)
    assert len(curve.iterations) == len(curve.raw) == len(curve.smoothed) <= 400
    assert curve.iterations[0] == 1 and curve.iterations[-1] == 3001
    assert curve.window == 150
    assert curve.raw[-1] == 0.25
    assert curve.smoothed[-1] == pytest.approx(np.mean(history.values[-150:]), rel=1e-12)
    assert not history.values.flags.writeable


def test_loss_history_refuses_nan_and_keeps_what_it_had():
    history = LossHistory()
    history.append([1.0, 2.0])
    with pytest.raises(ValueError, match="NaN or infinite"):
        history.append([3.0, float("nan")])
    assert history.values.tolist() == [1.0, 2.0]


def test_accuracy_curve_collects_epochs_and_the_gap():
    curve = AccuracyCurve("overfit-300").add(1, 0.5, 0.25).add(2, 1.0, 0.75)
    assert curve.epochs == (1.0, 2.0)
    assert curve.train == (0.5, 1.0) and curve.test == (0.25, 0.75)
    assert curve.gap == 0.25
    assert len(curve) == 2
    assert AccuracyCurve("empty").gap is None


@pytest.mark.parametrize("args", [(3, 1.5, 0.5), (3, 0.5, float("nan")), (1, 0.5, 0.5), (float("inf"), 0.5, 0.5)])
def test_accuracy_curve_refuses_bad_points(args):
    curve = AccuracyCurve("run").add(1, 0.5, 0.5)
    with pytest.raises(ValueError):
        curve.add(*args)


# --- the run's record and its state document ---------------------------------------------


def json_round_trip(document):
    return json.loads(json.dumps(document, allow_nan=False))


def epoch_end(epoch: int, train: float, test: float) -> EpochEvent:
    return EpochEvent(epoch, 10 * epoch, 1.0, train, test, 100, 100, 0.5, 0.01, 1000.0)


def recorded_runs() -> RunRecord:
    """Three runs: two kept as ghosts, and a third that diverged after 15 iterations."""
    record = RunRecord()
    losses = np.linspace(2.3, 0.4, 30, dtype=np.float32)
    for label in ("quick", ""):
        record.start(label, 30, 10)
        for epoch in (1, 2, 3):
            record.add(losses[10 * (epoch - 1):10 * epoch], IterationEvent(10 * epoch, epoch, 0.5, 0.1, 900.0),
                       [epoch_end(epoch, 0.5 + epoch / 10, 0.4 + epoch / 10)])
        record.reset()
    record.start("overfit-300", 600, 3)
    record.add(losses[:15], IterationEvent(15, 5, float(losses[14]), 1.25, 1234.5), [epoch_end(1, 0.3, 0.2)])
    record.diverged = DivergedEvent.of("exploded", 16, 6, 4.2e5, 2.31, 10.0, "sgd")
    return record


def test_a_record_keeps_the_runs_curves_and_the_last_runs_as_ghosts():
    record = recorded_runs()
    assert record.runs == 3
    assert [(g.label, g.run, len(g)) for g in record.ghosts] == [("quick", 1, 3), ("", 2, 3)]
    assert len(record.loss) == 15 and record.last.iteration == 15
    assert (record.iterations, record.epochs) == (600, 200)
    record.reset()
    assert len(record.ghosts) == MAX_GHOSTS and record.ghosts[-1].label == "overfit-300"
    assert len(record.loss) == 0 and record.last is None and record.diverged is None and record.epochs == 0


def test_a_record_comes_back_from_its_state_document_with_the_same_numbers():
    """Round trip through JSON: the same losses (exactly), accuracies, status numbers and divergence."""
    record = recorded_runs()
    again = RunRecord.from_state(Fields(json_round_trip(record.to_state())))
    assert again.to_state() == record.to_state()
    np.testing.assert_array_equal(again.loss.values, record.loss.values)
    chart, chart_again = record.loss.chart(8), again.loss.chart(8)
    for name in ("iterations", "raw", "smoothed"):
        np.testing.assert_array_equal(getattr(chart_again, name), getattr(chart, name))
    assert again.accuracy == record.accuracy and again.ghosts == record.ghosts
    assert again.last == record.last and again.diverged == record.diverged
    assert again.loss is not record.loss  # nothing shared with the record it came from


def test_an_empty_record_comes_back_too():
    record = RunRecord()
    assert RunRecord.from_state(Fields(json_round_trip(record.to_state()))).to_state() == record.to_state()


def test_a_very_long_history_is_kept_as_block_means():
    history = LossHistory()
    history.append(np.arange(2 * MAX_STORED_LOSSES + 10, dtype=np.float64))
    document = json_round_trip(history.to_state())
    assert document["every"] == 3 and len(document["values"]) <= MAX_STORED_LOSSES
    assert document["values"][:2] == [1.0, 4.0]  # means of 0, 1, 2 and of 3, 4, 5
    again = LossHistory.from_state(Fields(document))
    curve = again.chart(5)
    assert curve.iterations[0] == 3 and curve.iterations[-1] == 3 * len(document["values"])


def damaged(document: dict, path: str, value: object) -> dict:
    document = json_round_trip(document)
    *keys, last = path.split(".")
    where = document
    for key in keys:
        where = where[int(key)] if isinstance(where, list) else where[key]
    if value is KeyError:
        del where[last]
    else:
        where[last] = value
    return document


@pytest.mark.parametrize("path, value, code", [
    ("runs", "abc", "state.not_integer"),
    ("loss.values", KeyError, "state.missing"),
    ("loss.values", [1.0, "abc"], "state.not_a_number"),
    ("loss.values", [1.0, float("inf")], "state.not_finite"),
    ("accuracy.test", [1.5], "state.out_of_range"),
    ("accuracy.train", [0.5, 0.6], "state.wrong_length"),
    ("ghosts.0.epochs", [2.0, 1.0, 3.0], "state.not_increasing"),
    ("ghosts.0.label", [1], "state.not_text"),
    ("last.iteration", 0, "state.out_of_range"),
    ("last", KeyError, "state.missing"),
    ("iterations_per_epoch", 0, "state.out_of_range"),
    ("diverged.cause", "boom", "state.unknown_choice"),
    ("diverged.loss", "abc", "state.not_a_number"),
])
def test_a_damaged_record_document_is_refused_with_a_code(path, value, code):
    with pytest.raises(Refusal) as caught:
        RunRecord.from_state(Fields(damaged(recorded_runs().to_state(), path, value)))
    assert caught.value.code == code


def test_too_many_ghosts_are_refused():
    document = recorded_runs().to_state()
    document["ghosts"] = document["ghosts"] * 2
    with pytest.raises(Refusal) as caught:
        RunRecord.from_state(Fields(json_round_trip(document)))
    assert caught.value.code == "state.wrong_length"
