"""The class's pictures: a student asks for one, the teacher starts its painter, the painter serves it.

Real sockets throughout; the painter processes of `Painters` are stand-ins
(a Python that waits for its stdin to end) where only their lifecycle is
tested. The whole class in real terminals is in
tests/hardening/test_class_picture_pty.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sys
import tempfile
import threading
import time

import pytest
from rich.console import Console

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.classroom import Broadcaster
from nn_tui.tui.classroom import painter as painter_module
from nn_tui.tui.classroom import painters as painters_module
from nn_tui.tui.classroom import viewer as viewer_module
from nn_tui.tui.classroom.following import REJOIN
from nn_tui.tui.classroom.painter import PictureFeed
from nn_tui.tui.classroom.painters import Painters
from nn_tui.tui.classroom.picture import (
    MAX_REQUEST_BYTES,
    Picture,
    feed_path,
    read_request,
    request_line,
    terminal_colors,
)
from nn_tui.tui.classroom.protocol import ProtocolError
from nn_tui.tui.classroom.socket_file import create_socket_file
from nn_tui.tui.classroom.viewer import OWN_APP, Viewer
from nn_tui.tui.textual_private import whole_screen

from tests.helpers import wait_until

PICTURE = Picture("en", 80, 24, "256")
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


@pytest.fixture
def folder():
    path = tempfile.mkdtemp(prefix="nnp", dir="/tmp")  # short: a socket path has at most 107 bytes
    yield path
    for name in os.listdir(path):
        os.unlink(os.path.join(path, name))
    os.rmdir(path)


# --- what a student asks for ------------------------------------------------------------


@pytest.mark.parametrize("picture", [PICTURE, Picture("zh", 10, 5, "none"), Picture("en", 500, 200, "truecolor")])
def test_a_request_reads_back_as_the_picture_it_asks_for(picture):
    line = request_line(picture)
    assert line.endswith(b"\n") and b"\n" not in line[:-1] and len(line) <= MAX_REQUEST_BYTES
    assert read_request(line[:-1]) == picture


@pytest.mark.parametrize(
    "line",
    [
        b"",
        b"garbage",
        b"\xff\xfe",
        b"[]",
        b'{"nn_tui_class": 2, "picture": {"language": "en", "width": 80, "height": 24, "colors": "256"}}',
        b'{"nn_tui_class": 1, "picture": {"language": "fr", "width": 80, "height": 24, "colors": "256"}}',
        b'{"nn_tui_class": 1, "picture": {"language": "en", "width": 9, "height": 24, "colors": "256"}}',
        b'{"nn_tui_class": 1, "picture": {"language": "en", "width": 80, "height": 201, "colors": "256"}}',
        b'{"nn_tui_class": 1, "picture": {"language": "en", "width": 80.0, "height": 24, "colors": "256"}}',
        b'{"nn_tui_class": 1, "picture": {"language": "en", "width": true, "height": 24, "colors": "256"}}',
        b'{"nn_tui_class": 1, "picture": {"language": "en", "width": 80, "height": 24, "colors": "16m"}}',
        b'{"nn_tui_class": 1, "picture": {"language": "en", "width": 80, "height": 24}}',
        b'{"nn_tui_class": 1, "picture": {"language": "en", "width": 80, "height": 24, "colors": "256", "x": 1}}',
        b'{"nn_tui_class": 1, "picture": "en-80x24-256"}',
        b"[" * 100_000,
        b'{"nn_tui_class": 1, "picture": {"language": "' + b"e" * 300 + b'"}}',
    ],
)
def test_anything_else_is_a_bad_request(line):
    with pytest.raises(ProtocolError) as refused:
        read_request(line)
    assert refused.value.code == "bad_request"


def test_a_painter_serves_beside_the_teachers_socket_unless_the_path_would_be_too_long():
    assert feed_path("/tmp/class.sock", PICTURE) == "/tmp/class.sock.en-80x24-256"
    assert feed_path("/tmp/" + "c" * 90, PICTURE) is None


@pytest.mark.parametrize(
    "environ",
    [
        {"TERM": "xterm-256color"},
        {"TERM": "xterm"},
        {"TERM": "xterm-kitty"},
        {"TERM": "screen-16color"},
        {"TERM": "xterm", "COLORTERM": "truecolor"},
        {"TERM": "xterm-256color", "COLORTERM": " 24BIT "},
        {},
    ],
)
def test_a_terminals_colours_are_those_rich_detects(environ):
    detected = Console(force_terminal=True, _environ=environ).color_system
    assert terminal_colors(environ) == detected
    assert terminal_colors({**environ, "NO_COLOR": ""}) == "none"


# --- the teacher hears a request --------------------------------------------------------------


def talk(path: str, said: bytes, seconds: float = 0.3) -> bytes:
    """Connect as a student, say `said`, read what the teacher sends for `seconds`."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(path)
        sock.sendall(said)
        sock.settimeout(0.05)
        heard, until = b"", time.monotonic() + seconds
        while time.monotonic() < until:
            try:
                heard += sock.recv(65536)
            except TimeoutError:
                pass
        return heard


@pytest.mark.parametrize(
    "said, asked",
    [
        (request_line(PICTURE), [PICTURE]),
        (request_line(PICTURE)[:20], []),  # no newline yet: not a request
        (b"garbage\n" + request_line(PICTURE), []),  # only a first line can ask
        (b"x" * (MAX_REQUEST_BYTES + 1) + b"\n", []),
        (request_line(PICTURE) + request_line(Picture("zh", 80, 24, "256")), [PICTURE]),  # one request a connection
    ],
)
async def test_the_teacher_hands_a_first_line_that_asks_for_a_picture_to_on_request_and_nothing_else(folder, said, asked):
    path = os.path.join(folder, "class.sock")
    heard: list[Picture] = []
    async with Broadcaster(path) as teacher:
        teacher.on_request = heard.append
        teacher.publish("perceptron", None, {"a": 1})
        received = await asyncio.to_thread(talk, path, said)
        assert heard == asked
        assert b'"lesson":"perceptron"' in received  # whatever it said, it is served as a follower
        assert teacher.latest is not None and teacher.latest.seq == 1  # and nothing changed


# --- the teacher's painters ----------------------------------------------------------------------


class StandIns(Painters):
    """Painters that are a Python waiting for its stdin to end (what a painter stops on)."""

    def command(self, picture: Picture) -> list[str]:
        return [sys.executable, "-c", "import sys; sys.stdin.buffer.read()"]


async def running(painters: Painters, count: int) -> None:
    until = time.monotonic() + 15
    while len(painters.running) != count or painters._starting:
        assert time.monotonic() < until, f"{len(painters.running)} painters, not {count}"
        await asyncio.sleep(0.02)


async def test_one_painter_a_picture_at_most_max_painters_and_none_after_close(folder):
    painters = StandIns(os.path.join(folder, "class.sock"), max_painters=2)
    for _ in range(3):
        painters.ask(PICTURE)
    await running(painters, 1)
    painters.ask(Picture("zh", 80, 24, "256"))
    painters.ask(Picture("en", 100, 30, "256"))  # a third picture: no painter (that student runs its own app)
    await running(painters, 2)
    assert set(painters.running) == {PICTURE, Picture("zh", 80, 24, "256")}
    processes = list(painters.running.values())
    await painters.close()
    assert all(process.returncode is not None for process in processes)
    painters.ask(PICTURE)
    await asyncio.sleep(0.2)
    assert not painters.running


async def test_a_painter_that_stopped_is_started_again_when_asked_but_not_in_a_loop(folder, monkeypatch):
    painters = StandIns(os.path.join(folder, "class.sock"))
    painters.ask(PICTURE)
    await running(painters, 1)
    first = painters.running[PICTURE]
    first.kill()
    await first.wait()
    painters.ask(PICTURE)  # within RESTART_AFTER of the first start: not again yet
    await asyncio.sleep(0.2)
    assert PICTURE not in painters.running
    monkeypatch.setattr(painters_module, "RESTART_AFTER", 0.0)
    painters.ask(PICTURE)
    await running(painters, 1)
    assert painters.running[PICTURE] is not first
    await painters.close()


async def test_a_painter_that_stopped_leaves_its_place_to_another_picture(folder):
    painters = StandIns(os.path.join(folder, "class.sock"), max_painters=1)
    painters.ask(PICTURE)
    await running(painters, 1)
    stopped = painters.running[PICTURE]
    stopped.kill()
    await stopped.wait()
    other = Picture("zh", 80, 24, "256")
    painters.ask(other)
    await running(painters, 1)
    assert set(painters.running) == {other}
    await painters.close()


def test_a_painter_is_told_its_picture_and_who_may_watch_it(folder):
    path = os.path.join(folder, "class.sock")
    sock, _file = create_socket_file(path, 0o660)
    try:
        command = Painters(path).command(Picture("zh", 100, 30, "none"))
        assert command[1:] == ["-m", "nn_tui.tui.classroom.painter", path, "zh", "100", "30", "none", "--mode", "660"]
        environ = Painters.environment(Picture("zh", 100, 30, "none"))
        assert environ["NO_COLOR"] == "1" and environ["COLUMNS"] == "100" and environ["LINES"] == "30"
        assert "NO_COLOR" not in Painters.environment(PICTURE)
        assert Painters.environment(PICTURE)["TEXTUAL_COLOR_SYSTEM"] == "256"
    finally:
        sock.close()


# --- a painter's socket -----------------------------------------------------------------------------


async def test_a_viewer_gets_the_whole_screen_then_what_changes_and_one_that_stops_reading_is_dropped(
    folder, monkeypatch
):
    monkeypatch.setattr(painter_module, "MAX_BEHIND", 64 * 1024)
    path = os.path.join(folder, "class.sock.en-80x24-256")
    sock, file = create_socket_file(path)
    feed = PictureFeed(sock, file, whole=lambda: "WHOLE|")
    await feed.start()
    try:
        loop = asyncio.get_running_loop()
        reader, writer = await asyncio.open_unix_connection(path)
        stuck = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        stuck.connect(path)
        stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        await asyncio.sleep(0.1)
        assert len(feed.viewers) == 2
        assert await reader.readexactly(6) == b"WHOLE|"
        feed.send(b"step 1|")
        assert await reader.readexactly(7) == b"step 1|"
        chunk = b"x" * 16384
        received = 0
        until = loop.time() + 10
        while len(feed.viewers) == 2:  # the stuck viewer falls behind and is dropped
            assert loop.time() < until
            feed.send(chunk)
            received += len(await reader.readexactly(len(chunk)))
        assert len(feed.viewers) == 1
        feed.send(b"still here")
        assert await reader.readexactly(10) == b"still here"
        stuck.close()
        writer.close()
    finally:
        feed.close()
    assert not os.path.exists(path)


# --- the student's viewer ---------------------------------------------------------------------------


def test_a_viewer_never_shows_a_painter_that_is_not_the_teachers(folder, monkeypatch):
    """Anybody may make a socket file where a painter would be (in /tmp): it must be the teacher's user's."""
    path = os.path.join(folder, "class.sock")
    teacher, teacher_file = create_socket_file(path)
    teacher.listen()
    fake, fake_file = create_socket_file(feed_path(path, PICTURE))
    fake.listen()
    served = threading.Event()

    def owner(sock, where):
        if where == path:
            return 1000
        served.wait(5)  # the fake has sent what it would show before the viewer looks at who it is
        time.sleep(0.1)
        return 1001

    monkeypatch.setattr(viewer_module, "_owner", owner)
    master, slave = os.openpty()
    os.set_blocking(master, False)
    try:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        viewer = Viewer(path, "en", keys=slave, screen=slave, environ={"TERM": "xterm-256color"})

        def serve_fake() -> None:
            fake.setblocking(True)
            client, _ = fake.accept()
            client.sendall(b"\x1b]52;c;aGFjaw==\x07FAKE")  # would write the student's clipboard
            served.set()
            client.close()

        server = threading.Thread(target=serve_fake, daemon=True)
        server.start()
        finished = threading.Event()

        def end_a_viewer_that_watches_the_fake() -> None:
            if not finished.wait(10):
                os.write(master, b"q")  # as a student would

        threading.Thread(target=end_a_viewer_that_watches_the_fake, daemon=True).start()
        outcome = viewer.run()  # in the main thread: it listens for SIGWINCH
        finished.set()
        assert outcome == OWN_APP
        server.join(5)
        assert served.is_set()
        shown = b""
        while True:
            try:
                shown += os.read(master, 65536)
            except (BlockingIOError, OSError):
                break
        assert b"FAKE" not in shown and b"]52;" not in shown
    finally:
        os.close(master)
        os.close(slave)
        for sock, file in ((teacher, teacher_file), (fake, fake_file)):
            sock.close()
            file.remove()


# --- breaking off from a picture ----------------------------------------------------------------


async def test_breaking_off_shows_the_teachers_state_on_ones_own_and_f8_leaves_to_watch_again(folder):
    path = os.path.join(folder, "class.sock")
    async with Broadcaster(path) as teacher:
        start = NNTuiApp(start_lesson=1)
        async with start.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.2)
            document = json.loads(json.dumps(start.screen.document()))
        state = {**document["state"], "x1": 1, "x2": 1}
        teacher.publish("perceptron", None, {**document, "state": state})
        app = NNTuiApp(follow=path, breaking_off=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: app.following.on_own)
            assert app.current_mode == "perceptron" and app.screen.document()["state"] == state
            await pilot.press("a")  # the student's own copy: its keys work
            assert app.screen.document()["state"] != state
            await pilot.press("f8")
            await pilot.pause(0.2)
        assert app.return_value == REJOIN


async def test_breaking_off_with_no_teacher_there_starts_on_ones_own_after_a_while(folder, monkeypatch):
    from nn_tui.tui.classroom import following

    monkeypatch.setattr(following, "FIRST_STATE_WAIT", 0.3)
    app = NNTuiApp(follow=os.path.join(folder, "nobody.sock"), breaking_off=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.following.on_own)
        await pilot.press("1")
        await pilot.pause(0.2)
        assert app.current_mode == "perceptron"


# --- the whole screen ------------------------------------------------------------------------------


async def test_the_whole_screen_is_every_line_the_terminal_shows():
    app = NNTuiApp(start_lesson=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        whole = whole_screen(app)
        lines = re.findall(r"\x1b\[(\d+);1H", whole)
        assert [int(line) for line in lines] == list(range(1, 25))  # every row, from the first column
        assert "Lesson 1 · Perceptron" in ESCAPES.sub("", whole)


def test_a_browser_tab_runs_its_own_app_not_a_viewer():
    """nn-tui serve runs each tab's app under Textual's web driver: it has no terminal to copy a picture to."""
    from nn_tui.tui.classroom.viewer import can_view

    assert not can_view({"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"})
