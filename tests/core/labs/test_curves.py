"""The curves behind lesson 6's live charts: moving average, downsampling, histories."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.core.labs.curves import AccuracyCurve, LossHistory, downsample, smooth, smoothing_window

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
    assert len(index) <= max_points
    assert (np.diff(index) > 0).all()
    if n:
        assert index[0] == 0 and index[-1] == n - 1


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
