"""`nn-tui serve` serves the app's page over HTTP on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

from nn_tui.tui.cli import build_parser
from nn_tui.tui.commands.serve import app_command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_served_page_is_the_apps_page():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "nn_tui", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        page = None
        while time.monotonic() < deadline and page is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    assert response.status == 200
                    page = response.read().decode("utf-8")
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.2)
        assert page is not None, "the server did not answer within 30 s"
        assert "<div>nn-tui</div>" in page and "textual.js" in page
        assert f"ws://127.0.0.1:{port}/ws" in page
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_each_connection_runs_nn_tui_with_the_chosen_language_and_theme():
    args = build_parser().parse_args(["serve", "--lang", "zh", "--theme", "projector"])
    assert app_command(args).endswith("-m nn_tui --lang zh --theme projector")
    args = build_parser().parse_args(["--lang", "zh", "serve"])
    assert app_command(args).endswith("-m nn_tui --lang zh --theme dark")


def test_bad_port_is_refused(capsys):
    from nn_tui.tui.cli import main

    assert main(["serve", "--port", "70000"]) == 2
    assert "70000" in capsys.readouterr().err
