"""Lesson 3's mini-batch section: the book's trained network's cross-entropy on the batch (as the
source notes compute it), and every status line said in the language of the moment."""

from __future__ import annotations

import numpy as np

from nn_tui.assets import BOOK_WEIGHTS, MNIST_SUBSET
from nn_tui.core.data.mnist import find_mnist
from nn_tui.core.labs import losses as loss_lab
from nn_tui.core.labs.inference import SampleNetwork, batch_cross_entropy
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons.losses.screen import LossesScreen
from tests.helpers import wait_until

LESSON = 3


def shown(app: NNTuiApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def open_batches(pilot) -> LossesScreen:
    await pilot.press("d")
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.minibatch is not None, what="for the mini-batches")
    await pilot.pause()
    return screen


async def test_a_status_line_follows_the_language_switch():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_batches(pilot)
        await pilot.press("e", "1", "0", "0", "enter")
        await pilot.pause()
        assert shown(app, "#batch-hint") == "Batch size 100: a new batch was drawn."
        await pilot.press("l")
        await pilot.pause()
        await pilot.pause()
        assert shown(app, "#batch-hint") == "批大小 100：已重新抽取。"
        await pilot.press("l")
        await pilot.pause()
        await pilot.pause()
        assert shown(app, "#batch-hint") == "Batch size 100: a new batch was drawn."


async def test_the_other_status_lines_follow_the_language_too():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus")
        assert shown(app, "#mass-hint") == "Moved 0.05 from class 0 to class 2."
        await pilot.press("l")
        await pilot.pause()
        await pilot.pause()
        assert shown(app, "#mass-hint") == "从类别 0 移 0.05 到类别 2。"
        await pilot.press("n", "m")
        assert shown(app, "#svm-hint") == "Δ = 3"


async def test_the_trained_network_s_cross_entropy_on_the_batch_in_both_forms():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_batches(pilot)
        expected_lab = loss_lab.MiniBatchLab(find_mnist(MNIST_SUBSET), batch_size=10, seed=0)
        assert np.array_equal(screen.minibatch.indices, expected_lab.indices)
        network = SampleNetwork.load(BOOK_WEIGHTS)
        data = expected_lab.data
        loss = batch_cross_entropy(network, data.train_images[expected_lab.indices], expected_lab.labels)
        text = shown(app, "#batch-trained")
        assert "y_batch (10, 10)" in text
        assert f"one-hot t (10, 10): {loss.one_hot:.6f}" in text and f"labels t (10,): {loss.label:.6f}" in text
        assert f"{loss.one_hot:.6f}" == f"{loss.label:.6f}"  # the two forms agree
        await pilot.press("b")
        expected_lab.draw()
        loss = batch_cross_entropy(network, data.train_images[expected_lab.indices], expected_lab.labels)
        assert f"labels t (10,): {loss.label:.6f}" in shown(app, "#batch-trained")
        await pilot.press("l")
        await pilot.pause()
        await pilot.pause()
        assert "书中训练好的神经网络" in shown(app, "#batch-trained")
        assert f"{loss.label:.6f}" in shown(app, "#batch-trained")


async def test_a_missing_weights_file_is_said_in_the_section_and_the_batches_still_show(monkeypatch, tmp_path):
    from nn_tui.tui.lessons.losses import screen as losses_screen

    monkeypatch.setattr(losses_screen, "BOOK_WEIGHTS", tmp_path / "sample_weight.npz")
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_batches(pilot)
        assert screen.minibatch is not None and "batch loss" in shown(app, "#batch-losses")
        assert shown(app, "#batch-trained") == (
            "The book's trained network: the trained weights (sample_weight.npz) are missing; reinstall nn-tui."
        )
