"""The classroom's command line: --open, --broadcast, --follow, and serve --follow for browsers."""

from __future__ import annotations

import os
import shlex

import pytest

from nn_tui.tui.cli import build_parser
from nn_tui.tui.commands.serve import app_command


def test_serve_follow_passes_the_socket_to_every_browsers_app(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for argv in (["serve", "--follow", "class.sock"], ["--follow", "class.sock", "serve"]):
        command = shlex.split(app_command(build_parser().parse_args(argv)))
        assert command[command.index("--follow") + 1] == os.path.join(str(tmp_path), "class.sock"), argv
    assert "--follow" not in app_command(build_parser().parse_args(["serve"]))


def test_the_app_options_reach_the_app():
    args = build_parser().parse_args(["--open", "start.json", "--broadcast", "/tmp/c.sock"])
    assert (args.open_file, args.broadcast, args.follow) == ("start.json", "/tmp/c.sock", None)


def test_one_app_cannot_both_broadcast_and_follow(capsys):
    with pytest.raises(SystemExit) as exit:
        build_parser().parse_args(["--broadcast", "/tmp/a.sock", "--follow", "/tmp/a.sock"])
    assert exit.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
