"""`nn-tui serve` serves the app's page over HTTP on 127.0.0.1."""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

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
        assert "<title>nn-tui</title>" in page and "textual.js" in page
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


def refusal(*options: str) -> str:
    """Run `nn-tui serve OPTIONS` (on a free port); it must stop at once with status 2: its stderr."""
    command = [sys.executable, "-m", "nn_tui", "serve", "--port", str(free_port()), *options]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"`nn-tui serve {shlex.join(options)}` started serving instead of refusing") from None
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    return done.stderr.strip()


@pytest.mark.parametrize("host", ["", "   "])
def test_an_empty_host_is_refused_not_served_on_every_interface(host):
    assert refusal("--host", host) == (
        f"nn-tui serve: --host {host!r} would listen on every network interface; "
        "give --host 0.0.0.0 if that is what you mean."
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--max-sessions", "0"), "nn-tui serve: --max-sessions must be at least 1, got 0."),
        (
            ("--public-url", "ftp://class.example"),
            "nn-tui serve: --public-url must be an http:// or https:// address such as http://192.168.1.5:8000, "
            "got 'ftp://class.example'.",
        ),
        (
            ("--public-url", "http://class.example:99999"),
            "nn-tui serve: --public-url must be an http:// or https:// address such as http://192.168.1.5:8000, "
            "got 'http://class.example:99999'.",
        ),
    ],
)
def test_bad_serve_options_are_refused_in_one_sentence(options, message):
    assert refusal(*options) == message


def test_every_interface_is_said_out_loud():
    from nn_tui.tui.commands.serve import listening_note

    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "8000"])
    assert listening_note(args) == (
        "nn-tui serve: listening on every network interface (0.0.0.0): anyone who can reach this machine on "
        "port 8000 can open the app; other machines also need --public-url http://THIS-MACHINE:8000."
    )
    args = build_parser().parse_args(["serve", "--host", "::", "--public-url", "http://192.168.1.5:8000"])
    assert listening_note(args).endswith("(::): anyone who can reach this machine on port 8000 can open the app.")
    assert build_parser().parse_args(["serve"]).max_sessions == 40
