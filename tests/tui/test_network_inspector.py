"""The network inspector, driven by keys in a small host app, showing a seeded trained network."""

from __future__ import annotations

import re

import numpy as np
import pytest
from textual.app import App, ComposeResult
from textual.reactive import reactive
from textual.widgets import Footer, Static

from nn_tui.assets import MNIST_SUBSET
from nn_tui.core.labs.inspect import init_experiment, inspect_network
from nn_tui.core.data.mnist import MnistData, load_mnist, normalize
from nn_tui.core.trainer import TrainConfig, Trainer
from nn_tui.tui.lessons.training.confusion_matrix import ConfusionMatrix
from nn_tui.tui.lessons.training.histogram_strip import HistogramStrip
from nn_tui.tui.lessons.training.network_inspector import SAMPLE_LIMIT, NetworkInspector
from nn_tui.tui.lessons.training.weight_gallery import WeightGallery
from nn_tui.tui.widgets.digit_image import DigitImage, image_lines, mono_cell, mono_signed_cell
from nn_tui.tui.widgets.prob_bars import ProbBars


@pytest.fixture(scope="module")
def data() -> MnistData:
    return load_mnist(MNIST_SUBSET)


@pytest.fixture(scope="module")
def network(data):
    """784 -> 30 ReLU -> 10, 200 seeded SGD steps on the offline subset (~88% right)."""
    config = TrainConfig(hidden_sizes=(30,), iterations=200, batch_size=100, lr=0.1, optimizer="sgd",
                         seed=0, eval_train_samples=100, eval_test_samples=100)
    trainer = Trainer(config, data)
    trainer.run()
    return trainer.network


@pytest.fixture(scope="module")
def expected(network, data):
    return inspect_network(network, data.test_images, data.test_labels, limit=SAMPLE_LIMIT)


class Host(App[None]):
    language: reactive[str] = reactive("en")

    def __init__(self, network=None, data=None, language: str = "en") -> None:
        super().__init__()
        self.network, self.data, self.show_language = network, data, language
        self.set_reactive(Host.language, language)

    def compose(self) -> ComposeResult:
        yield NetworkInspector(id="inspector")
        yield Footer()

    def on_mount(self) -> None:
        inspector = self.query_one(NetworkInspector)
        if self.network is not None:
            inspector.show(self.network, self.data, self.show_language)
        inspector.focus()


def caption(app: App) -> str:
    return str(app.query_one("#inspect-sample-caption", Static).render())


def shown_sample(app: App) -> tuple[int, int, int, str]:
    """(digit number, true label, predicted class, probability text) as written on screen."""
    text = caption(app)
    number = int(re.search(r"Test digit #(\d+) of 1,000", text).group(1))
    label = int(re.search(r"true label (\d)", text).group(1))
    predicted, p = re.search(r"predicted (\d) with p = (\d\.\d{3})", text).groups()
    return number, label, int(predicted), p


async def test_before_show_it_says_how_to_get_something_to_look_at():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        empty = str(app.query_one("#inspect-empty", Static).render())
        assert "train for an epoch (or press n) to look inside" in empty
        await pilot.press("right", "m")
        assert app.query_one(NetworkInspector).inspection is None
        assert any("no predictions yet" in n.message for n in app._notifications)


async def test_the_sample_view_shows_true_label_prediction_and_its_probability(network, data, expected):
    app = Host(network, data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        p = expected.probabilities[0]
        predicted = int(expected.predicted[0])
        assert shown_sample(app) == (1, int(data.test_labels[0]), predicted, f"{p[predicted]:.3f}")
        assert shown_sample(app)[1] == 7  # the first MNIST test digit is a 7
        bars = app.query_one(ProbBars)
        assert [row.text for row in bars.rows] == [f"{v:.3f}" for v in p]
        assert [row.label for row in bars.rows] == [f"{d}" if d != 7 else "7 true" for d in range(10)]
        assert [row.highlight for row in bars.rows] == [d == predicted for d in range(10)]
        np.testing.assert_array_equal(app.query_one(DigitImage).image.ravel(),
                                      normalize(data.test_images[0], np.float64))

        await pilot.press("right")
        assert shown_sample(app)[:2] == (2, int(data.test_labels[1]))
        np.testing.assert_array_equal(app.query_one(DigitImage).image.ravel(),
                                      normalize(data.test_images[1], np.float64))
        await pilot.press("left", "left")  # wraps round to the last digit
        number, label, predicted, p_text = shown_sample(app)
        assert (number, label, predicted) == (1000, int(data.test_labels[999]), int(expected.predicted[999]))


async def test_mistakes_mode_shows_only_wrong_predictions_most_confident_first(network, data, expected):
    app = Host(network, data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        assert f"mistake 1 of {len(expected.mistakes)}" in caption(app)
        seen = []
        for _ in range(5):
            number, label, predicted, p_text = shown_sample(app)
            assert predicted != label and "✗ wrong" in caption(app)
            seen.append(number - 1)
            await pilot.press("right")
        assert seen == expected.mistakes[:5].tolist()
        confidence = [expected.probabilities[i].max() for i in seen]
        assert confidence == sorted(confidence, reverse=True)
        await pilot.press("m")
        assert "all digits" in caption(app) and shown_sample(app)[0] == 1


async def test_without_mistakes_the_m_key_is_refused_and_nothing_changes(network, data, expected):
    right = np.flatnonzero(expected.predicted == expected.labels)[:50]
    perfect = MnistData(data.train_images[:1], data.train_labels[:1], data.test_images[right],
                        data.test_labels[right], name="only right answers", source="test")
    app = Host(network, perfect)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right")
        before = caption(app)
        await pilot.press("m")
        inspector = app.query_one(NetworkInspector)
        assert not inspector.choice.mistakes_only and caption(app) == before
        assert any("No mistakes among these 50 digits" in n.message for n in app._notifications)


async def test_the_confusion_view_counts_every_sample_once(network, data, expected):
    app = Host(network, data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket")
        lines = str(app.query_one(ConfusionMatrix).render()).splitlines()
        rows = [[0 if cell == "·" else int(cell) for cell in line.split()[1:11]] for line in lines[1:11]]
        shown = np.array(rows)
        assert shown.sum() == SAMPLE_LIMIT
        assert shown.tolist() == expected.matrix.tolist()
        accuracy = [line.split()[-1] for line in lines[1:11]]
        assert accuracy == [f"{100 * expected.matrix[d, d] / expected.matrix[d].sum():.1f}%" for d in range(10)]
        assert f"1,000 test digits, {expected.correct} right" in lines[11]


async def test_weights_view_pages_through_the_hidden_units(network, data):
    app = Host(network, data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket")
        gallery = app.query_one(WeightGallery)
        page = gallery.capacity
        assert page == 10  # two rows of five thumbnails at 80x24
        assert str(gallery.render()).startswith(f"First-layer weights, units 0–{page - 1} of 30")
        await pilot.press("right")
        assert gallery.shown_units() == list(range(page, 2 * page))
        await pilot.press("left", "left")  # wraps to the last page
        assert gallery.shown_units() == list(range(20, 30))


async def test_activations_and_init_experiment_show_the_core_histograms(network, data, expected):
    app = Host(network, data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("left_square_bracket", "left_square_bracket")
        [shown] = app.query_one("#inspect-activation-strip", HistogramStrip).histograms
        assert shown.counts.tolist() == expected.histograms[0].counts.tolist()
        await pilot.press("right_square_bracket")
        strip = app.query_one("#inspect-init-strip", HistogramStrip)
        book = init_experiment("sigmoid", "std:1", seed=0)
        assert [h.counts.tolist() for h in strip.histograms] == [h.counts.tolist() for h in book]
        assert "pile up at 0 and 1" in str(app.query_one("#inspect-init-explain", Static).render())
        await pilot.press("right", "down")  # std 0.01, then ReLU
        book = init_experiment("relu", "std:0.01", seed=0)
        assert [h.counts.tolist() for h in strip.histograms] == [h.counts.tolist() for h in book]
        text = str(app.query_one("#inspect-init-caption", Static).render())
        assert "relu" in text and "randn × 0.01" in text


async def test_the_init_experiment_works_before_any_training():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("left_square_bracket")
        strip = app.query_one("#inspect-init-strip", HistogramStrip)
        assert len(strip.histograms) == 5


async def test_a_diverged_network_gives_a_message_not_a_traceback(network, data):
    broken = type(network)(784, 30, 10, seed=0)
    broken.params["W2"][...] = np.nan
    app = Host(broken, data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right", "m", "right_square_bracket", "right")
        assert "Cannot look inside this network" in str(app.query_one("#inspect-empty", Static).render())


async def test_text_follows_the_language(network, data):
    app = Host(network, data, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "第 1 个测试数字" in caption(app) and "真实标签 7" in caption(app)
        assert app.query_one(ProbBars).rows[7].label == "7 真实"
        app.language = "en"
        await pilot.pause()
        assert "true label 7" in caption(app)


def test_mono_cells_keep_the_digit_readable_without_colour():
    assert [mono_cell(a, b) for a, b in [(0, 0), (1, 1), (1, 0), (0, 1), (0.5, 0.5), (0.3, 0.3)]] == [
        " ", "█", "▀", "▄", "▒", "░"]
    assert [mono_signed_cell(a, a) for a in (1, 0.5, 0, -0.5, -1)] == ["█", "▒", " ", "-", "≡"]
    seven = load_mnist(MNIST_SUBSET).test_images[0]
    lines = [line.plain for line in image_lines(seven, color=False)]
    assert len(lines) == 14 and all(len(line) == 28 for line in lines)
    assert lines[0].strip() == "" and lines[4].strip().startswith("▒▓▓▓███")  # the 7's top bar
    with pytest.raises(ValueError, match="within"):
        image_lines(np.full((28, 28), 1.5))


def test_samples_view_snapshot_80x24(snap_compare, network, data):
    assert snap_compare(Host(network, data), terminal_size=(80, 24))


def test_confusion_view_snapshot_80x24(snap_compare, network, data):
    assert snap_compare(Host(network, data), terminal_size=(80, 24), press=["right_square_bracket"])


def test_digit_sizes_half_normal_and_double():
    seven = load_mnist(MNIST_SUBSET).test_images[0]
    assert [len(x) for x in (image_lines(seven, factor=2), image_lines(seven), image_lines(seven, large=True))] == [
        7, 14, 28]
    assert image_lines(seven, large=True)[0].cell_len == 56
    assert image_lines(seven, factor=2, color=False)[0].cell_len == 14
