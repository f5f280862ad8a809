"""A painter: an nn-tui following the teacher that draws one picture for many students' terminals.

    python -m nn_tui.tui.classroom.painter CLASS_PATH LANGUAGE WIDTH HEIGHT COLORS [--mode OCTAL]

The teacher's app starts one per `Picture` a student asks for (see
`painters`), in the teacher's session, so students only ever read bytes the
teacher's own nn-tui drew. It is the app a following student would run
(`--follow CLASS_PATH`, same lessons, same banner), with a `PictureDriver`
in place of a terminal: everything the app writes goes to every student
watching at `feed_path(CLASS_PATH, picture)`. A student who starts watching
gets the whole screen first (`whole_screen`), then what changes.

Nothing waits for a student: one who falls more than `MAX_BEHIND` bytes
behind is dropped, and its viewer comes back for a whole screen. What a
student sends is thrown away; more than `MAX_INBOUND` bytes and it is dropped.
The painter stops when its standard input ends: the teacher quit or crashed.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App
from textual.driver import Driver
from textual.geometry import Size

from nn_tui.tui.classroom.picture import COLORS, HEIGHTS, WIDTHS, Picture, feed_path
from nn_tui.tui.classroom.socket_file import SocketFile, SocketFileError, create_socket_file
from nn_tui.tui.i18n import LANGUAGES
from nn_tui.tui.textual_private import whole_screen

#: How far a student's terminal may fall behind before it is dropped (bytes not yet taken by its socket).
MAX_BEHIND = 1024 * 1024
MAX_INBOUND = 4096


class PictureFeed:
    """The painter's socket: the app's output, to every student watching (see the module's docstring)."""

    def __init__(self, sock: socket.socket, file: SocketFile, whole: Callable[[], str]) -> None:
        self.sock = sock
        self.file = file
        self.whole = whole
        self.viewers: set[_Viewer] = set()
        self.server: asyncio.AbstractServer | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.server = await loop.create_unix_server(lambda: _Viewer(self), sock=self.sock)

    def send(self, data: bytes) -> None:
        for viewer in list(self.viewers):
            viewer.send(data)

    def close(self) -> None:
        self.file.remove()
        if self.server is not None:
            self.server.close()
        else:
            self.sock.close()
        for viewer in list(self.viewers):
            viewer.drop()


class _Viewer(asyncio.Protocol):
    """One student's terminal watching."""

    def __init__(self, feed: PictureFeed) -> None:
        self.feed = feed
        self.transport: asyncio.Transport | None = None
        self.received = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.feed.viewers.add(self)
        try:
            whole = self.feed.whole()
        except Exception:  # noqa: BLE001 - no screen yet (the app is starting): the next paint is whole
            whole = ""
        self.send(whole.encode("utf-8", "replace"))

    def send(self, data: bytes) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if transport.get_write_buffer_size() > MAX_BEHIND:
            self.drop()  # a terminal this far behind gets a whole screen when its viewer comes back
            return
        transport.write(data)

    def data_received(self, data: bytes) -> None:
        self.received += len(data)
        if self.received > MAX_INBOUND:
            self.drop()

    def eof_received(self) -> bool:
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.feed.viewers.discard(self)

    def drop(self) -> None:
        self.feed.viewers.discard(self)
        if self.transport is not None:
            self.transport.abort()


class PictureDriver(Driver):
    """A Textual driver whose terminal is every student watching: no input, a fixed size."""

    feed: PictureFeed
    picture_size: tuple[int, int]

    def write(self, data: str) -> None:
        self.feed.send(data.encode("utf-8", "replace"))

    def start_application_mode(self) -> None:
        size = Size(*self.picture_size)
        self._app.post_message(events.Resize(size, size))
        self._loop.create_task(self.feed.start())
        self._loop.add_signal_handler(signal.SIGTERM, self._app.exit)  # the socket file goes with it

    def disable_input(self) -> None:
        pass

    def stop_application_mode(self) -> None:
        self.feed.close()


def painting_app(class_path: str, picture: Picture, feed: PictureFeed) -> App[Any]:
    """The app a following student runs, drawing for `feed` at the picture's size and language."""
    from nn_tui.tui.app import NNTuiApp

    driver = type("Driver", (PictureDriver,), {"feed": feed, "picture_size": (picture.width, picture.height)})
    app = NNTuiApp(language=picture.language, follow=class_path)
    app.driver_class = driver
    app.keeps_lessons = True  # one app for the whole class: it keeps every lesson, built before it follows
    assert app.following is not None
    app.following.build_every_lesson = True
    feed.whole = lambda: whole_screen(app)
    return app


def _stop_when_stdin_ends(app: App[Any]) -> None:
    def wait() -> None:
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        try:
            app.call_from_thread(app.exit)
        except RuntimeError:  # not running (yet, or any more)
            pass

    threading.Thread(target=wait, name="painter-stdin", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nn_tui.tui.classroom.painter")
    parser.add_argument("class_path")
    parser.add_argument("language", choices=LANGUAGES)
    parser.add_argument("width", type=int, choices=WIDTHS, metavar="WIDTH")
    parser.add_argument("height", type=int, choices=HEIGHTS, metavar="HEIGHT")
    parser.add_argument("colors", choices=COLORS)
    parser.add_argument("--mode", type=lambda text: int(text, 8), default=None, help="octal, e.g. 660")
    args = parser.parse_args(argv)
    picture = Picture(args.language, args.width, args.height, args.colors)
    path = feed_path(args.class_path, picture)
    if path is None:
        print(f"nn-tui painter: the path for {picture.name} beside {args.class_path} is too long.", file=sys.stderr)
        return 2
    try:
        sock, file = create_socket_file(path, args.mode)
    except SocketFileError as error:
        print(f"nn-tui painter: cannot serve at {path} ({error.code}).", file=sys.stderr)
        return 2
    feed = PictureFeed(sock, file, whole=lambda: "")
    app = painting_app(args.class_path, picture, feed)
    _stop_when_stdin_ends(app)
    try:
        app.run(mouse=False, size=(picture.width, picture.height))
    finally:
        feed.close()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
