"""SVG snapshots of the app shell (update with --snapshot-update after looking at them)."""

from nn_tui.tui.app import NNTuiApp


def test_home_80x24(snap_compare):
    assert snap_compare(NNTuiApp(), terminal_size=(80, 24))


def test_home_in_chinese_80x24(snap_compare):
    assert snap_compare(NNTuiApp(), terminal_size=(80, 24), press=["l"])


def test_help_overlay_80x24(snap_compare):
    assert snap_compare(NNTuiApp(), terminal_size=(80, 24), press=["question_mark"])


def test_home_projector_theme_80x24(snap_compare):
    assert snap_compare(NNTuiApp(theme="projector"), terminal_size=(80, 24))
