"""Lesson 6 in the real app, as its tests (and the hardening suites) open it.

`training_app()` starts the app on lesson 6; `data_ready(pilot)` waits until
its data set is loaded and returns the screen, ready for keys.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons import lesson_of_mode
from nn_tui.tui.lessons.training.screen import TrainingScreen

from tests.helpers import wait_until

LESSON = lesson_of_mode("training")
assert LESSON is not None


def training_app() -> NNTuiApp:
    """The app, opened on lesson 6."""
    return NNTuiApp(start_lesson=LESSON.number)


def screen_of(app: NNTuiApp) -> TrainingScreen:
    assert isinstance(app.screen, TrainingScreen), f"lesson 6 is not shown but {type(app.screen).__name__}"
    return app.screen


async def data_ready(pilot: Pilot) -> TrainingScreen:
    """Wait until lesson 6 has loaded its data and is ready to train; its screen."""
    screen = screen_of(pilot.app)
    await wait_until(pilot, lambda: screen.phase == "ready", what=lambda: f"(lesson 6 is {screen.phase})")
    return screen


def status(app: NNTuiApp) -> str:
    """The three status lines as shown."""
    return str(app.screen.query_one("#t-status", Static).content)


def message(app: NNTuiApp) -> str:
    """The message line as shown (empty when hidden)."""
    return str(app.screen.query_one("#t-message", Static).content)
