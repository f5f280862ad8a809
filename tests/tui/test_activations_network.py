"""Lesson 2's trained-network section driven through the real app: the book's chapter-3 numbers on screen."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nn_tui.core.labs.inference import LAYER_SIZES
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons.activations.network_view import LayerStrips
from nn_tui.tui.lessons.activations.screen import ActivationsScreen
from nn_tui.tui.lessons.activations.text import TEXT
from nn_tui.tui.lessons.losses.text import TEXT as LOSSES_TEXT
from nn_tui.tui.widgets.prob_bars import ProbBars
from tests.helpers import notifications, wait_until

LESSON = 2
REPO = Path(__file__).resolve().parents[2]


def shown(app: NNTuiApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def open_network(pilot) -> ActivationsScreen:
    """n, then wait for the network, the digits and the timing (a worker each)."""
    await pilot.press("n")
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.timing is not None or screen.network_error is not None,
                     what="for the network to load and be timed")
    await pilot.pause()
    return screen


@pytest.fixture
def full_mnist(monkeypatch, mnist_dir):
    monkeypatch.setenv("NN_TUI_MNIST_DIR", str(mnist_dir))


async def test_on_full_mnist_the_accuracy_is_the_books_0_9352_and_the_first_digit_a_7(full_mnist):
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_network(pilot)
        assert screen.test_data.test_size == 10_000
        assert shown(app, "#net-accuracy") == (
            "accuracy on the 10,000 test digits: 9,352 / 10,000 = 0.9352 (book: 0.9352)"
        )
        timing = screen.timing
        assert timing.batched.value == 0.9352 and timing.one_by_one.correct == 9352
        text = shown(app, "#net-timing")
        assert f"one by one {timing.one_by_one.seconds:.3f} s" in text
        assert f"100 at a time {timing.batched.seconds:.3f} s" in text and f"= {timing.speedup:.0f}× faster" in text
        assert shown(app, "#net-caption").startswith("x[0] of 10,000\nlabel t = 7")
        assert shown(app, "#net-prediction") == "predicted 7, p = 0.99706501: right"


async def test_on_the_offline_subset_it_says_so_and_gives_the_subset_s_accuracy(offline_subset):
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_network(pilot)
        assert screen.test_data.source == "subset"
        text = shown(app, "#net-accuracy")
        assert text.startswith("offline subset, only the first 2,000 test digits: accuracy 1,831 / 2,000 = 0.9155;")
        assert "the book gets 0.9352" in text
        assert shown(app, "#net-caption").startswith("x[0] of 2,000")
        assert shown(app, "#net-timing").startswith("time for 2,000: one by one ")


async def test_the_digit_flows_through_every_layer(offline_subset):
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_network(pilot)
        strips = screen.query_one("#net-strips", LayerStrips)
        assert [s.name for s in strips.strips] == ["a1", "z1", "a2", "z2", "a3"]
        assert [s.levels.size for s in strips.strips] == [50, 50, 100, 100, 10]
        lines = shown(app, "#net-strips").splitlines()
        assert [line.split()[0] for line in lines if not line.startswith(" ")] == ["a1", "z1", "a2", "z2", "a3"]
        assert re.search(r"^a3 [▁▂▃▄▅▆▇█]{10} -?\d+\.\d…-?\d+\.\d$", lines[-1])
        cells = sum(len(re.sub(r"[^▁▂▃▄▅▆▇█]", "", line)) for line in lines)
        assert cells == sum(LAYER_SIZES[1:3]) * 2 + LAYER_SIZES[3]
        low, high = screen.query_one("#net-bars-low", ProbBars), screen.query_one("#net-bars-high", ProbBars)
        assert [row.label for row in low.rows + high.rows] == [str(k) for k in range(10)]
        assert [row.highlight for row in low.rows + high.rows].index(True) == 7
        assert high.rows[2].text == "9.97065008e-01"
        assert shown(app, "#net-batch") == (
            "batch, 100 digits at once: X (100, 784) · W1 (784, 50) → (100, 50)\n"
            "    · W2 (50, 100) → (100, 100) · W3 (100, 10) → Y (100, 10)"
        )


async def test_keys_pick_the_next_previous_and_a_random_digit(offline_subset):
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_network(pilot)
        plot_before = screen.lab.plot.cursor
        await pilot.press("right")
        assert screen.digit.index == 1 and shown(app, "#net-caption").startswith("x[1] of 2,000\nlabel t = 2")
        assert shown(app, "#net-prediction").startswith("predicted 2, p = ")
        await pilot.press("left", "left")
        assert screen.digit.index == 1999 and shown(app, "#net-caption").startswith("x[1999] of 2,000")
        seen = set()
        for _ in range(5):
            before = screen.digit.index
            await pilot.press("r")
            assert screen.digit.index != before
            seen.add(screen.digit.index)
        assert len(seen) >= 4
        assert screen.lab.plot.cursor == plot_before  # ←→ belonged to the digits, not the hidden plot
        await pilot.press("f", "right")
        assert screen.lab.plot.cursor != plot_before and screen.digit.index in seen


async def test_a_wrong_prediction_says_so(offline_subset):
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_network(pilot)
        network, data = screen.network, screen.test_data
        wrong = next(i for i in range(data.test_size) if network.digit(data.test_images[i]).predicted != data.test_labels[i])
        for _ in range(wrong):
            screen.action_digit(1)
        await pilot.pause()
        label = int(data.test_labels[wrong])
        assert shown(app, "#net-prediction").endswith(f": wrong (the label is {label})")


async def test_t_times_again(offline_subset):
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_network(pilot)
        first = screen.timing
        screen.action_time_again()  # what t does (a key press would wait until it is done)
        assert screen.busy and screen.timing is None
        assert shown(app, "#net-accuracy") == "Accuracy and timing: measuring…"
        await wait_until(pilot, lambda: screen.timing is not None and screen.timing is not first, what="for t")
        await pilot.pause()
        assert not screen.busy and screen.timing.batched.correct == first.batched.correct == 1831


async def test_the_digit_is_part_of_the_state_document(offline_subset):
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_network(pilot)
        await pilot.press("right", "right", "right")
        state = screen.state()
        assert state["digit"] == 3 and state["section"] == "network"
        document = json.loads(json.dumps(screen.document()))
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.open_document(document)
        await wait_until(pilot, lambda: screen.timing is not None, what="for the network")
        await pilot.pause()
        assert screen.state() == state and shown(app, "#net-caption").startswith("x[3] of 2,000")
        assert screen.query_one("#network-pane").display
        # the data is known now: a digit past it is refused, nothing changed
        assert not screen.open_document({**document, "state": {**state, "digit": 2000}})
        assert screen.digit.index == 3
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        # before the data is known a digit of full MNIST is taken; the subset then has no x[5000]
        assert screen.open_document({**document, "state": {**state, "digit": 5000}})
        assert screen.digit.index == 5000
        await wait_until(pilot, lambda: screen.timing is not None, what="for the network")
        assert screen.digit.index == 0
        assert "There is no test digit x[5000]: the test set found has 2,000 digits. Showing x[0]." in notifications(app)
        assert not screen.open_document({**document, "state": {**state, "digit": 10_000}})  # past any MNIST
        assert screen.digit.index == 0


async def test_a_document_without_a_digit_is_refused_and_changes_nothing(offline_subset):
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        before = screen.state()
        state = {key: value for key, value in before.items() if key != "digit"}
        assert not screen.open_document({**screen.document(), "state": state})
        assert screen.state() == before


async def test_the_section_speaks_chinese(offline_subset):
    app = NNTuiApp(start_lesson=LESSON, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_network(pilot)
        assert shown(app, "#net-intro").startswith("书中训练好的神经网络（第3章）")
        assert shown(app, "#net-prediction") == "预测为 7，概率 0.99706501：正确"
        assert shown(app, "#net-accuracy").startswith("离线子集，只有前 2,000 张测试图像：识别精度 1,831 / 2,000 = 0.9155")
        assert shown(app, "#net-timing").startswith("处理 2,000 张的耗时：逐张 ")
        await pilot.press("l")
        await pilot.pause()
        await pilot.pause()
        assert shown(app, "#net-prediction") == "predicted 7, p = 0.99706501: right"
        assert app.screen.section == "network"


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_the_section_fits_the_terminal(offline_subset, size):
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=size) as pilot:
        screen = await open_network(pilot)
        width, height = size
        for selector in ("#net-intro", "#net-strips", "#net-prediction", "#net-bars", "#net-batch",
                         "#net-accuracy", "#net-timing", "#net-caption"):
            region = screen.query_one(selector).region
            assert region.height >= 1 and region.bottom <= height - 1 and region.right <= width, selector
        digit = "#net-digit" if size == (160, 45) else "#net-digit-small"
        assert screen.query_one(digit).display and screen.query_one(digit).region.height == (28 if size[1] == 45 else 7)
        lines = shown(app, "#net-strips").splitlines()
        assert len(lines) == 7  # a1, z1, a3 one row each; a layer of 100 two rows of 50


async def test_a_missing_weights_file_is_said_in_the_section(offline_subset, monkeypatch, tmp_path):
    from nn_tui.tui.lessons.activations import screen as activations_screen

    monkeypatch.setattr(activations_screen, "BOOK_WEIGHTS", tmp_path / "sample_weight.npz")
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_network(pilot)
        assert screen.network is None
        assert shown(app, "#net-status") == (
            "Could not load the network: the trained weights (sample_weight.npz) are missing; reinstall nn-tui."
        )
        await pilot.press("right", "r", "t")  # nothing to step through: nothing happens, no traceback
        assert screen.digit.index == 0


def test_every_inference_refusal_has_a_sentence_in_both_languages_of_both_lessons():
    source = (REPO / "core" / "labs" / "inference.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'Refusal\(\s*"(inference\.[a-z_]+)"', source))
    assert codes == {"inference.weights_missing", "inference.weights_damaged", "inference.weights_array",
                     "inference.digit_outside"}
    for catalogue in (TEXT, LOSSES_TEXT):
        for code in codes:
            assert code in catalogue and catalogue.get(code, "en") != catalogue.get(code, "zh"), code


def test_network_section_80x24(snap_compare, offline_subset):
    async def loaded(pilot):
        await open_network(pilot)
        screen = pilot.app.screen
        # the measured seconds change from run to run: a fixed timing for the picture
        from nn_tui.core.labs.inference import Accuracy, Timing

        screen.timing = Timing(Accuracy(1831, 2000, 0.08), Accuracy(1831, 2000, 0.008), 100)
        screen.refresh_view()
        await pilot.pause()

    assert snap_compare(NNTuiApp(start_lesson=LESSON), terminal_size=(80, 24), run_before=loaded)
