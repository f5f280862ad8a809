"""q and ctrl+q end `nn-tui` promptly from every lesson, also while lesson 6 trains.

Run in a real pseudo-terminal: the process itself must end (exit code 0),
so no worker thread may keep it alive after the app has closed.
"""

from __future__ import annotations

import time

import pytest

from nn_tui.tui.lessons import Lesson, all_lessons

QUIT_SECONDS = 2.0
CTRL_Q = "\x11"



def quit_time(tui, key: str) -> float:
    start = time.monotonic()
    tui.send(key)
    code = tui.exit_code(timeout=10)
    elapsed = time.monotonic() - start
    assert code == 0, f"exit code {code}; output: {tui.text()[-1500:]}"
    assert "Traceback" not in tui.text()
    return elapsed


def test_q_quits_from_every_lesson(spawn_tui, lesson: Lesson):
    tui = spawn_tui("--lesson", str(lesson.number))
    tui.wait_for("palette", timeout=20)  # the footer is drawn
    tui.read(0.3)
    assert quit_time(tui, "q") < QUIT_SECONDS


def test_ctrl_q_quits_from_home(spawn_tui):
    tui = spawn_tui()
    tui.wait_for("Perceptron", timeout=20)
    assert quit_time(tui, CTRL_Q) < QUIT_SECONDS


@pytest.mark.parametrize("key", ["q", CTRL_Q], ids=["q", "ctrl+q"])
def test_quitting_mid_training_ends_the_process(spawn_tui, key):
    training = next(item for item in all_lessons() if item.mode == "training")
    tui = spawn_tui("--lesson", str(training.number))
    tui.wait_for("READY", timeout=30)
    tui.send("s")
    tui.wait_for("RUNNING", timeout=10)
    tui.send(key)
    tui.wait_for("Press q or y", timeout=5)  # a run in progress: q asks first
    assert quit_time(tui, key) < QUIT_SECONDS
