"""SVG snapshots: the app shell, and every lesson's first screen at 80×24 in each language.

Update with `--snapshot-update` after looking at the new pictures.
"""

import pytest

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.i18n import LANGUAGES
from nn_tui.tui.lessons import all_lessons


def test_home_80x24(snap_compare):
    assert snap_compare(NNTuiApp(), terminal_size=(80, 24))


def test_home_in_chinese_80x24(snap_compare):
    assert snap_compare(NNTuiApp(), terminal_size=(80, 24), press=["l"])


def test_help_overlay_80x24(snap_compare):
    assert snap_compare(NNTuiApp(), terminal_size=(80, 24), press=["question_mark"])


def test_home_projector_theme_80x24(snap_compare):
    assert snap_compare(NNTuiApp(theme="projector"), terminal_size=(80, 24))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("lesson", [pytest.param(item, id=item.mode) for item in all_lessons()])
def test_lesson_first_screen_80x24(snap_compare, lesson, language):
    async def settle(pilot):
        app = pilot.app
        for _ in range(200):  # lesson 6 loads its data in a thread
            if all(worker.is_finished for worker in app.workers):
                break
            await pilot.pause(0.05)
        await pilot.pause()

    app = NNTuiApp(language=language, start_lesson=lesson.number)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)
