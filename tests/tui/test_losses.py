"""Lesson 3 (loss functions) driven by keys through the real app; the numbers read off the screen."""

from __future__ import annotations

import json

import numpy as np
import pytest
from textual.widgets import Static

from nn_tui.assets import MNIST_SUBSET
from nn_tui.core.data.mnist import find_mnist
from nn_tui.core.labs import losses as loss_lab
from tests.helpers import notifications, type_into, wait_until
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons.losses.messages import BatchReady
from nn_tui.tui.lessons.losses.screen import LossesScreen
from nn_tui.tui.widgets.chart import Chart
from nn_tui.tui.widgets.number_input import NumberInput

LESSON = 3


def shown(app: NNTuiApp, selector: str) -> str:
    """The plain text a widget shows now."""
    return str(app.screen.query_one(selector).render())


def screen(app: NNTuiApp) -> LossesScreen:
    assert isinstance(app.screen, LossesScreen)
    return app.screen


async def open_section(pilot, name: str) -> None:
    while screen(pilot.app).section != name:
        await pilot.press("n")
    await pilot.pause()


def column(text: str, index: int) -> list[str]:
    return [line.split()[index] for line in text.splitlines()]


# --- 1. MSE and CEE ------------------------------------------------------------------


async def test_seed_totals_for_y1_and_y2():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert shown(app, "#mse-total") == "0.0975"
        assert shown(app, "#cee-total") == "0.5108"
        assert "MSE 0.0975000000" in shown(app, "#mass-exact")
        assert "CEE 0.5108254571" in shown(app, "#mass-exact")
        assert "y = y1" in shown(app, "#mass-intro")
        await pilot.press("y")
        assert shown(app, "#mse-total") == "0.5975"
        assert shown(app, "#cee-total") == "2.3026"
        assert "CEE 2.3025840930" in shown(app, "#mass-exact")
        # the note explains the seed's 2.3025850929940455: -ln 0.1 without δ
        assert "= 2.3025850930." in shown(app, "#mass-note")
        assert "2.3025850929940455" in shown(app, "#mass-note")
        await pilot.press("y")
        assert shown(app, "#mse-total") == "0.0975"


async def test_per_class_terms_are_shown():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert shown(app, "#mse-terms").splitlines() == [
            "0.0050", "0.0013", "0.0800", "0", "0.0013", "0.0050", "0", "0.0050", "0", "0",
        ]
        assert shown(app, "#cee-terms").splitlines() == ["0", "0", "0.5108"] + ["0"] * 7
        bars = shown(app, "#mass-bars").splitlines()
        assert bars[2].startswith("▶ 2 ✓") and bars[2].endswith("0.60")
        assert [line.split()[-1] for line in bars] == [f"{v:.2f}" for v in loss_lab.SEED_Y1]


async def test_moving_mass_changes_both_losses_as_core_says():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lab = loss_lab.MassLab()
        await pilot.press("plus", "plus")  # class 2 takes 0.05 from class 0, then from class 5
        lab.take()
        lab.take()
        assert screen(app).lab.mass.y.tolist() == lab.y.tolist()
        assert shown(app, "#mse-total") == f"{lab.mse:.4f}" == "0.0550"  # ½(4·0.05² + 0.3² + 0.1²)
        assert shown(app, "#cee-total") == f"{lab.cee:.4f}" == "0.3567"
        assert "Moved 0.05 from class 5 to class 2" in shown(app, "#mass-hint")
        assert "(changed)" in shown(app, "#mass-intro")
        await pilot.press("down", "down", "down", "down", "down", "minus")  # class 7 gives 0.05 to class 2
        lab.select(7)
        lab.give()
        assert shown(app, "#mse-total") == f"{lab.mse:.4f}"
        assert shown(app, "#cee-total") == f"{lab.cee:.4f}"
        assert shown(app, "#mass-bars").splitlines()[7].startswith("▶ 7")
        await pilot.press("r")
        assert shown(app, "#mse-total") == "0.0975"


async def test_a_move_that_cannot_be_made_is_refused_with_a_message():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "minus")  # class 3 has 0.00
        assert notifications(app)[-1] == "Class 3 has no probability left to give."
        assert screen(app).lab.mass.y.tolist() == list(loss_lab.SEED_Y1)
        assert shown(app, "#mse-total") == "0.0975"
        await pilot.press("up", *["plus"] * 8)  # class 2 now holds everything
        assert shown(app, "#mse-total") == "0.0000"
        await pilot.press("plus")
        assert notifications(app)[-1] == "Class 2 already holds all the probability."
        assert screen(app).lab.mass.y[2] == 1.0
        assert len(notifications(app)) == 2  # the moves that could be made were not refused


# --- 2. SVM ------------------------------------------------------------------------------


async def test_svm_terms_and_totals_at_margin_1_and_3():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, "svm")
        table = shown(app, "#svm-table").splitlines()
        terms = table[-4:-1]
        assert [line.split()[1:] for line in terms] == [["—", "0.0", "6.3"], ["2.9", "—", "6.6"], ["0.0", "0.0", "—"]]
        assert table[-1].split()[1:] == ["2.9", "0.0", "12.9"]
        assert shown(app, "#svm-mean").endswith("= 5.27")
        await pilot.press("m")
        assert screen(app).lab.margin == 3.0
        assert app.screen.query_one("#margin-input", NumberInput).value == "3"
        table = shown(app, "#svm-table").splitlines()
        assert table[-1].split()[1:] == ["4.9", "0.1", "16.9"]
        assert shown(app, "#svm-mean").endswith("= 7.30")
        await pilot.press("m", "m")
        assert screen(app).lab.margin == 1.0


async def test_typed_margin_is_used_and_a_bad_one_keeps_the_old_margin():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, "svm")
        field = app.screen.query_one("#margin-input", NumberInput)
        await pilot.press("e")
        assert field.has_focus
        await pilot.press("2", ".", "5", "enter")
        assert screen(app).lab.margin == 2.5
        expected = loss_lab.svm_example(2.5)
        assert shown(app, "#svm-mean").endswith(f"= {expected.mean:.2f}")
        assert not field.has_focus  # the lesson keys work again
        for bad in ("-1", "nan", "inf", "abc"):
            await pilot.press("e", *bad, "enter")
            await pilot.pause()
            assert screen(app).lab.margin == 2.5
            assert field.value == "2.5"
            assert shown(app, "#svm-mean").endswith(f"= {expected.mean:.2f}")


# --- 3. softmax and L2 ---------------------------------------------------------------


async def test_softmax_chain_and_l2_penalties():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, "softmax")
        rows = shown(app, "#soft-table").splitlines()[1:]
        assert [row.split()[-3:] for row in rows] == [
            ["3.2", "24.5", "0.13"], ["5.1", "164.0", "0.87"], ["-1.7", "0.18", "0.00"],
        ]
        assert shown(app, "#soft-loss") == "Lᵢ = −ln p_cat = −ln 0.13 = 2.04"
        assert "write 0.89" in shown(app, "#soft-log10")
        l2 = shown(app, "#l2-rows").splitlines()
        assert l2[0].startswith("w1 = [1, 0, 0, 0]") and l2[0].endswith("w·x = 1.0   R(W) = 1.00")
        assert l2[1].startswith("w2 = [0.25, 0.25, 0.25, 0.25]") and l2[1].endswith("w·x = 1.0   R(W) = 0.25")
        await pilot.press("i")
        assert "car image" in shown(app, "#soft-title")
        assert shown(app, "#soft-loss").endswith(f"= {-np.log(np.exp(4.9) / np.exp([1.3, 4.9, 2.0]).sum()):.2f}")


# --- 4. accuracy vs loss ----------------------------------------------------------------


async def test_moving_the_weight_shows_core_accuracy_and_loss():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, "accuracy")
        assert shown(app, "#acc-now") == "w = -1.0   accuracy 58% (7/12)   loss 0.7840"
        assert "accuracy 0 " in shown(app, "#acc-slopes")
        await pilot.press(*["right"] * 13)  # w = 0.3
        now = loss_lab.evaluate_weight(0.3)
        assert shown(app, "#acc-now") == f"w = 0.3   accuracy {now.accuracy:.0%} ({now.correct}/12)   loss {now.loss:.4f}"
        assert now.correct == 11
        screen(app).lab.weight.tenths = -29  # near the end without 40 key presses
        await pilot.press("left", "left")  # the second would pass -3: refused, and said
        assert screen(app).lab.weight.weight == -3.0
        assert shown(app, "#acc-now").startswith("w = -3.0   accuracy 50% (6/12)")
        assert notifications(app) == ["w stays between −3 and 3."]


# --- 5. mini-batch ---------------------------------------------------------------------


async def test_mini_batch_indices_and_losses_match_core():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, "batch")
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = loss_lab.MiniBatchLab(find_mnist(MNIST_SUBSET), batch_size=10, seed=0)
        assert expected.data.name in shown(app, "#batch-data")
        lines = shown(app, "#batch-indices").splitlines()
        assert [int(v) for v in lines[0].split()[1:]] == expected.indices.tolist()
        assert [int(v) for v in lines[1].split()[1:]] == expected.labels.tolist()
        assert shown(app, "#batch-code") == f"batch_mask = np.random.choice({expected.train_size}, 10)"
        losses = shown(app, "#batch-losses")
        assert f"batch loss {expected.batch_loss:.4f}" in losses
        assert f"full-set loss {expected.full_loss:.4f}" in losses
        await pilot.press("b")
        expected.draw()
        lines = shown(app, "#batch-indices").splitlines()
        assert [int(v) for v in lines[0].split()[1:]] == expected.indices.tolist()
        assert f"mean of the 2 batch losses so far {expected.mean_batch_loss:.4f}" in shown(app, "#batch-losses")


async def test_batch_size_edit_and_refusal():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, "batch")
        await app.workers.wait_for_complete()
        await pilot.pause()
        lab = screen(app).minibatch
        await pilot.press("e", "3", "enter")
        assert lab.batch_size == 3 and len(lab.indices) == 3
        assert shown(app, "#batch-code").endswith(", 3)")
        before = lab.indices.copy()
        for bad in ("0", "2.5", "x", str(lab.train_size + 1)):
            await pilot.press("e", *bad, "enter")
            await pilot.pause()
            assert lab.batch_size == 3 and np.array_equal(lab.indices, before)


# --- the whole lesson ---------------------------------------------------------------------


async def test_language_switch_keeps_the_state_and_translates():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("y", "plus")
        mse = shown(app, "#mse-total")
        await pilot.press("l")
        await pilot.pause()
        assert shown(app, "#mse-total") == mse
        assert "均方误差" in shown(app, "#mass-sum")
        assert "损失函数" in shown(app, "#title")
        await open_section(pilot, "svm")
        await pilot.press("m")
        assert "猫" in shown(app, "#svm-table")
        await pilot.press("l")
        await pilot.pause()
        assert screen(app).lab.margin == 3.0 and shown(app, "#svm-mean").endswith("= 7.30")


async def test_keys_and_data_arriving_during_a_language_switch_do_not_crash():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        # To the mini-batch section (MNIST starts loading), switch language at once, keep pressing keys.
        await pilot.press("p", "l", "p", "p", "p", "p", "plus")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.language == "zh" and screen(app).section == "mass"
        assert screen(app).minibatch is not None
        # While the widgets are rebuilt, state changes and nothing is drawn (no NoMatches).
        view = screen(app)
        view.rebuilding = True
        await view.query_one("#sections").remove()  # half the widgets gone, as in a recompose
        view.action_take()
        view.on_batch_ready(BatchReady(view.lab.batch, view.minibatch))
        await view.recompose()
        view.rebuilding = False
        view.refresh_view()
        assert shown(app, "#mse-total") == f"{view.lab.mass.mse:.4f}"


async def test_keys_of_other_sections_do_nothing_here():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("m", "right", "b", "i")
        lab = screen(app).lab
        assert lab.margin == 1.0 and lab.weight.weight == -1.0 and lab.image == 0
        labels = {active.binding.description for active in app.screen.active_bindings.values() if active.enabled}
        assert "Take" in labels and "New batch" not in labels


@pytest.mark.parametrize("size", [(120, 40)])  # 80x24 is what every other test uses
async def test_every_section_renders_at_both_sizes(size):
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=size) as pilot:
        for name in ("mass", "svm", "softmax", "accuracy", "batch", "mass"):
            await open_section(pilot, name)
            assert app.screen.query_one(f"#{name}").display
        await app.workers.wait_for_complete()


def test_first_section_snapshot(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=LESSON), terminal_size=(80, 24))


def test_svm_section_snapshot(snap_compare):
    assert snap_compare(NNTuiApp(start_lesson=LESSON), terminal_size=(80, 24), press=["n"])


async def test_every_image_of_the_softmax_section_shows_its_loss():
    # The frog image's p(frog) = 0.0017 rounds to 0.00: it must not crash log10.
    from nn_tui.core.functions import softmax_loss
    from nn_tui.core.labs import losses as loss_lab

    app = NNTuiApp(start_lesson=3)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        while screen.section != "softmax":
            await pilot.press("n")
        for image in range(3):
            scores = [row[image] for row in loss_lab.CS231N_SCORES]
            loss = softmax_loss(scores, loss_lab.CS231N_LABELS[image]).loss
            assert f"{loss:.2f}" in str(screen.query_one("#soft-loss").content)
            await pilot.press("i")
            await pilot.pause()


# --- sections, the title bar ----------------------------------------------------------------


async def test_section_keys_open_each_section_and_n_p_still_step():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        for key, name in (("s", "svm"), ("x", "softmax"), ("a", "accuracy"), ("c", "mass"), ("d", "batch")):
            await pilot.press(key)
            await pilot.pause()
            assert screen(app).section == name
            assert app.screen.query_one("#sections").current == name
        assert shown(app, "#title").endswith(" 5/5 Mini-batch   n/p ›")
        await pilot.press("n")
        assert screen(app).section == "mass"
        await pilot.press("p", "p")
        assert screen(app).section == "accuracy"
        await app.workers.wait_for_complete()


async def test_a_wide_title_bar_names_every_section_with_its_key():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert shown(app, "#title") == (
            "Lesson 3 · Loss functions    c MSE & CEE   s SVM loss   x Softmax & L2   a Accuracy vs loss   d Mini-batch  "
        )
        await pilot.press("l")
        await pilot.pause()
        assert "损失函数" in shown(app, "#title") and " s SVM 损失 " in shown(app, "#title")


async def test_lesson_3_styles_do_not_leak_into_lesson_2():
    """Was: lesson 3's bare `#title` rule gave lesson 2's title its background once lesson 3 had been opened."""

    def title_look(app: NNTuiApp) -> tuple[object, str]:
        title = app.screen.query_one("#title")
        return title.region, title.styles.css

    app = NNTuiApp(start_lesson=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        alone = title_look(app)
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert app.current_mode == "activations"
        assert title_look(app) == alone


# --- plots ----------------------------------------------------------------------------------


async def test_accuracy_and_batch_charts_draw_the_core_numbers():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "right")
        await pilot.pause()
        sweep = loss_lab.weight_sweep(points=301)
        accuracy = app.screen.query_one("#acc-plot", Chart)
        assert accuracy.series["accuracy"].y == sweep.accuracy.tolist()
        assert accuracy.series["now"].x == [-0.9] and accuracy.series["now"].y == [loss_lab.evaluate_weight(-0.9).accuracy]
        assert accuracy.title == "accuracy" and "w = -0.9" in str(accuracy.legend())
        loss = app.screen.query_one("#loss-plot", Chart)
        assert loss.series["loss (cross-entropy)"].y == sweep.loss.tolist()
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("b")
        lab = screen(app).minibatch
        batch = app.screen.query_one("#batch-plot", Chart)
        assert batch.series["batch loss"].y == lab.batch_losses and batch.series["batch loss"].x == [1, 2]
        legend = str(batch.legend())
        assert "batch loss" in legend and "full-set loss" in legend


# --- mini-batches in the background ------------------------------------------------------------


async def test_a_batch_size_typed_while_mnist_loads_is_the_size_drawn():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        view = screen(app)
        await pilot.press("d")
        await type_into(pilot, "batch-size-input", "4")
        await app.workers.wait_for_complete()
        # the worker's message may still be on its way on a busy machine
        await wait_until(pilot, lambda: view.minibatch is not None, what="for the batches of 4")
        await pilot.pause()
        assert view.lab.batch == loss_lab.BatchPlan(4, 0, 1)
        assert view.minibatch.plan == view.lab.batch and len(view.minibatch.indices) == 4
        assert shown(app, "#batch-code").endswith(", 4)")


async def test_a_size_larger_than_the_set_found_is_refused_and_the_set_size_drawn():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        view = screen(app)
        view.lab.batch = loss_lab.BatchPlan(20_000, 0, 3)  # before MNIST is known, as a document may ask
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert notifications(app) == ["A batch of 20000 is not possible: choose 1 to 10000."]
        assert view.lab.batch == loss_lab.BatchPlan(10_000, 0, 1) == view.minibatch.plan


async def test_batches_drawn_for_an_older_plan_are_not_shown():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = screen(app)
        shown_lab = view.minibatch
        old = loss_lab.MiniBatchLab(shown_lab.data, batch_size=7)
        view.post_message(BatchReady(old.plan, old))
        await pilot.pause()
        assert view.minibatch is shown_lab and view.lab.batch == loss_lab.BatchPlan(10, 0, 1)
        assert shown(app, "#batch-code").endswith(", 10)")


async def test_a_failed_load_says_why_in_the_section():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        view = screen(app)

        def broken():
            raise OSError("disk on fire")

        view.load_data = broken
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(app, "#batch-data") == "Could not load MNIST: disk on fire"
        await pilot.press("b")  # nothing to draw from: nothing happens
        assert view.minibatch is None


# --- the state document --------------------------------------------------------------------------


def screen_text(app: NNTuiApp) -> dict[str, str]:
    """Everything the lesson shows, by widget id: texts, fields, and what each chart drew."""
    view = app.screen
    texts = {w.id: str(w.render()) for w in view.query(Static) if w.id}
    texts |= {w.id: w.value for w in view.query(NumberInput)}
    texts |= {w.id: f"{w.title} {w.series} {w.legend()}" for w in view.query(Chart)}
    return texts


async def worked_on(pilot) -> LossesScreen:
    """A lesson with something changed in every section, left in the mini-batch section."""
    app = pilot.app
    await pilot.press("y", "down", "down", "plus", "plus")  # y2, class 4 takes 0.1 from class 7
    await pilot.press("s")
    await type_into(pilot, "margin-input", "2.5")
    await pilot.press("x", "i", "a", *["right"] * 5, "d")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await type_into(pilot, "batch-size-input", "3")
    await pilot.press("b", "b", "a", "d")  # leaving and coming back: no message of the last key stays
    await pilot.pause()
    return screen(app)


async def test_the_state_document_reopens_the_same_lesson_in_a_new_app():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await worked_on(pilot)
        document = json.loads(json.dumps(view.document()))
        state, text = view.state(), screen_text(app)
    assert state == {
        "section": "batch",
        "mass": {
            "example": 2,
            "y": [0.1, 0.05, 0.1, 0.0, 0.15, 0.1, 0.0, 0.5, 0.0, 0.0],
            "selected": 4,
        },
        "margin": 2.5,
        "image": 1,
        "weight": -0.5,
        "batch": {"size": 3, "seed": 0, "draws": 3},
    }
    again = NNTuiApp(start_lesson=LESSON)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert screen(again).open_document(document)
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert screen(again).state() == state
        assert screen_text(again) == text
        assert screen(again).minibatch.indices.tolist() == loss_lab.MiniBatchLab.from_plan(
            find_mnist(MNIST_SUBSET), loss_lab.BatchPlan(3, 0, 3)
        ).indices.tolist()
        assert notifications(again) == []


async def test_a_document_keeps_its_batches_until_the_section_shows_them():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = screen(app)
        state = view.state() | {"section": "svm", "margin": 5.0, "batch": {"size": 6, "seed": 9, "draws": 4}}
        assert view.open_document({"nn_tui": 1, "lesson": "losses", "state": state})
        await pilot.pause()
        assert view.state() == state and view.minibatch is None
        assert shown(app, "#svm-mean").endswith(f"= {loss_lab.svm_example(5.0).mean:.2f}")
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.minibatch.plan == loss_lab.BatchPlan(6, 9, 4) and view.state() == state | {"section": "batch"}
        assert "seed 9 · draw 4" in shown(app, "#batch-data")


BAD_DOCUMENTS = [
    (lambda s: s.update(margin="abc"), "The saved state's state.margin is 'abc', not a number; nothing was changed."),
    (lambda s: s.pop("image"), "The saved state lacks state.image; nothing was changed."),
    (lambda s: s.update(section="nowhere"), "state.section is 'nowhere'; it must be one of mass, svm, softmax"),
    (lambda s: s.update(weight=0.25), "state.weight is 0.25; w moves in steps of 0.1"),
    (lambda s: s.update(weight=3.1), "state.weight is 3.1, outside -3 … 3"),
    (lambda s: s["mass"].update(y=[0.5] * 10), "state.mass.y is not a probability vector on the 0.05 grid"),
    (lambda s: s["mass"].update(y=[0.1] * 9), "state.mass.y has 9 items, not 10"),
    (lambda s: s["mass"].update(selected=10), "state.mass.selected is 10, outside 0 … 9"),
    (lambda s: s["batch"].update(draws=0), "state.batch.draws is 0, outside 1 … 10000"),
    (lambda s: s["batch"].update(size=2.5), "state.batch.size is 2.5, not a whole number"),
    (lambda s: s["batch"].update(size=10_001), "state.batch.size is 10001, outside 1 … 10000"),  # MNIST is loaded
    (lambda s: s.update(margin=float("nan")), "state.margin is nan, not a finite number"),
    (lambda s: s["batch"].pop("seed"), "The saved state lacks state.batch.seed; nothing was changed."),
]


async def test_a_bad_document_is_refused_and_changes_nothing():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await worked_on(pilot)
        before, text = view.state(), screen_text(app)
        for number, (change, message) in enumerate(BAD_DOCUMENTS, start=1):
            document = json.loads(json.dumps(view.document()))
            change(document["state"])
            assert not view.open_document(document)
            await pilot.pause()
            assert len(notifications(app)) == number and message in notifications(app)[-1]
            assert view.state() == before and screen_text(app) == text


async def test_a_document_of_another_lesson_is_refused():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = screen(app)
        before = view.state()
        assert not view.open_document({"nn_tui": 1, "lesson": "gradients", "state": before})
        await pilot.pause()
        assert notifications(app) == ["The saved state belongs to lesson 'gradients', not this one; nothing was changed."]
        assert view.state() == before


# --- the source notes: quoted only where they say it -------------------------------------------


async def test_only_the_cat_is_quoted_from_the_source_notes_and_p_is_shown_as_its_log_needs():
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, "softmax")
        assert "source notes write 0.89" in shown(app, "#soft-log10")
        await pilot.press("i")  # car: the notes do not work it, so nothing is quoted from them
        assert "car image" in shown(app, "#soft-title")
        assert "write" not in shown(app, "#soft-log10") and "0.04" not in shown(app, "#soft-log10")
        assert "cat image only" in shown(app, "#soft-log10")
        assert shown(app, "#soft-loss") == "Lᵢ = −ln p_car = −ln 0.92 = 0.08"
        await pilot.press("i")  # frog: p = 0.0021197, loss 6.16
        assert "2.67" not in shown(app, "#soft-log10")
        assert shown(app, "#soft-loss") == "Lᵢ = −ln p_frog = −ln 0.00212 = 6.16"
        assert shown(app, "#soft-table").splitlines()[3].split()[-1] == "0.00212"  # the frog row, as the loss uses it
        app.language = "zh"
        await pilot.pause()
        assert "笔记只算了猫" in shown(app, "#soft-log10")


def test_the_source_notes_are_never_called_the_seed():
    from nn_tui.tui.lessons.losses.text import TEXT

    english = {key: TEXT.get(key, "en") for key in TEXT.entries}
    # "seed" only names the random generator's seed of the mini-batches.
    assert [key for key, text in english.items() if "seed" in text.lower()] == ["batch.data"]
    assert "the source notes" in english["mass.note"].lower() or "source notes" in english["mass.note"]


async def test_an_mnist_refusal_is_said_in_the_students_language(tmp_path):
    from nn_tui.core.data.mnist import MnistError, load_subset

    gone = tmp_path / "gone.npz"
    app = NNTuiApp(start_lesson=LESSON)
    async with app.run_test(size=(80, 24)) as pilot:
        view = screen(app)
        view.load_data = lambda: load_subset(gone)  # the core's MnistError, with its code
        app.language = "zh"
        await pilot.pause()
        view = screen(app)
        view.load_data = lambda: load_subset(gone)
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(view.batch_error, MnistError) and view.batch_error.code == "mnist.subset_missing"
        assert shown(app, "#batch-data") == "无法载入 MNIST：随附的 MNIST 子集（gone.npz）不见了；请重新安装 nn-tui。"
        app.language = "en"
        await pilot.pause()
        await pilot.pause()
        assert shown(app, "#batch-data") == (
            "Could not load MNIST: the shipped MNIST subset (gone.npz) is missing; reinstall nn-tui.")
