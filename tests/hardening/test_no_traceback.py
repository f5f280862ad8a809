"""No traceback ever reaches a user: `nn-tui`'s top level turns any bug into one sentence.

The traceback goes to a crash log (`nn_tui.tui.crash.crash_log_path()`), named
in that sentence.
"""

from __future__ import annotations

import argparse

import pytest

from nn_tui.tui import cli
from nn_tui.tui.commands import data
from nn_tui.tui.crash import crash_log_path

CRASHING_APP = """
import sys
from nn_tui.tui.home import HomeScreen
def on_key(self, event):
    if event.key == "z":
        raise RuntimeError("a bug in a key handler")
HomeScreen.on_key = on_key
from nn_tui.tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def one_clear_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and 'File "' not in stderr
    return lines[0]


def test_a_bug_in_a_sub_command_is_one_line_and_a_log(monkeypatch, capsys):
    def broken(args: argparse.Namespace, out) -> int:
        raise KeyError("boom")

    monkeypatch.setitem(data._COMMANDS, "path", broken)
    assert cli.main(["data", "path"]) == 1
    line = one_clear_line(capsys.readouterr().err)
    assert "unexpected error (KeyError: 'boom')" in line and str(crash_log_path()) in line
    log = crash_log_path().read_text()
    assert "Traceback" in log and "KeyError: 'boom'" in log


def test_a_bug_while_opening_the_app_is_one_line(monkeypatch, capsys):
    from nn_tui.tui import app

    def broken(self, *args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(app.NNTuiApp, "run", broken)
    assert cli.main([]) == 1
    assert "ZeroDivisionError: division by zero" in one_clear_line(capsys.readouterr().err)


def test_ctrl_c_in_a_sub_command_is_one_line(monkeypatch, capsys):
    def interrupted(args: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(data, "run", interrupted)
    assert cli.main(["data", "path"]) == 130
    assert one_clear_line(capsys.readouterr().err) == "nn-tui: interrupted."


def test_the_log_cannot_be_written_still_one_line(monkeypatch, capsys, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("NN_TUI_CACHE_DIR", str(blocker / "cache"))  # its parent is a file
    monkeypatch.setitem(data._COMMANDS, "path", lambda args, out: 1 / 0)
    assert cli.main(["data", "path"]) == 1
    assert "please report it" in one_clear_line(capsys.readouterr().err)


def test_a_crash_inside_the_running_app_prints_one_line_in_a_real_terminal(spawn_tui, tmp_path):
    tui = spawn_tui(python=["-c", CRASHING_APP])
    tui.wait_for("Perceptron", timeout=20)
    tui.send("z")
    assert tui.exit_code(timeout=10) == 1
    text = tui.text()
    assert "Traceback" not in text and "❱" not in text, text[-2000:]
    assert "unexpected error (RuntimeError: a bug in a key handler)" in text
    log = (tmp_path / "cache" / "nn-tui-crash.log").read_text()
    assert "RuntimeError: a bug in a key handler" in log and "on_key" not in text
