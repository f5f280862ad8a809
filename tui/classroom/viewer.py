"""A student's terminal showing the teacher's lesson as the class's painter draws it (see `picture`).

`Viewer(class_path, language).run()` takes the terminal over, asks the
teacher for the picture that fits it, and copies what the painter draws to
the terminal until the student presses a key: F7 (explore on your own), q,
Ctrl+C or Ctrl+Q (quit); l switches the language (another picture). It
returns what the student chose, with the language it was in:

- `BREAK_OFF`: start the student's own app from the teacher's state;
- `QUIT`;
- `OWN_APP`: no painter came within `PAINTER_WAIT` (a teacher's nn-tui
  without painters, or all its painters busy), or the terminal is too small
  for one: the student's own app follows the teacher instead.

Only a painter of the teacher's (the same user as the process at the
teacher's socket) is watched. When the teacher stops, the viewer says so and
asks again until one is back. A new terminal size asks for a new picture.
No Textual here: a viewer costs a student a socket and a copy loop.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import selectors
import signal
import socket
import struct
import sys
import termios
import time
import tty
from collections.abc import Iterator, Mapping

from nn_tui.tui.classroom.picture import HEIGHTS, WIDTHS, Picture, feed_path, request_line, terminal_colors
from nn_tui.tui.classroom.text import TEXT
from nn_tui.tui.i18n import next_language

BREAK_OFF, QUIT, OWN_APP = "break_off", "quit", "own_app"
SWITCH_LANGUAGE = "switch_language"
#: How long a viewer waits for its painter after asking (seconds): starting one takes a second or two.
PAINTER_WAIT = 10.0
#: How often a viewer looks for a teacher that is not there (seconds).
RETRY = 0.5
F7 = b"\x1b[18~"
QUIT_KEYS = (b"q", b"Q", b"\x03", b"\x11")
ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|O.|.)?", re.DOTALL)
ENTER_SCREEN = b"\x1b[?1049h\x1b[?25l\x1b[2J\x1b[H"
LEAVE_SCREEN = b"\x1b[0m\x1b[2J\x1b[?25h\x1b[?1049l"


class Viewer:
    """Watches the painter of the teacher at `class_path` for this terminal (see the module's docstring)."""

    def __init__(
        self, class_path: str, language: str, *, keys: int = 0, screen: int = 2, environ: Mapping[str, str] = os.environ
    ) -> None:
        self.class_path = class_path
        self.language = language
        self.keys = keys
        self.screen = screen
        self.colors = terminal_colors(environ)
        self.feed: socket.socket | None = None
        # The teacher's socket, open while the painter is awaited: what the teacher sends
        # is read and dropped (closed at once, the teacher's first write would fail before
        # it had read the request).
        self.asking: socket.socket | None = None
        self.teacher: int | None = None  # the teacher's user id, once its socket answered
        self.asked_at: float | None = None  # when the painter of the picture was asked for
        self.next_try = 0.0
        self.said: str | None = None

    def picture(self) -> Picture | None:
        columns, rows = os.get_terminal_size(self.screen)
        if columns not in WIDTHS or rows not in HEIGHTS:
            return None
        return Picture(self.language, columns, rows, self.colors)

    def run(self) -> str:
        with _raw_terminal(self.keys, self.screen), _on_resize() as resized:
            selector = selectors.DefaultSelector()
            selector.register(self.keys, selectors.EVENT_READ, "keys")
            selector.register(resized, selectors.EVENT_READ, "resized")
            try:
                return self._loop(selector, resized)
            finally:
                self._close_feed(selector)
                selector.close()

    # --- the loop ---------------------------------------------------------------------

    def _loop(self, selector: selectors.BaseSelector, resized: int) -> str:
        while True:
            if self.feed is None and time.monotonic() >= self.next_try:
                outcome = self._find_painter(selector)
                if outcome is not None:
                    return outcome
            for key, _events in selector.select(timeout=0.1):
                if key.data == "keys":
                    outcome = self._keys(os.read(self.keys, 1024))
                    if outcome == SWITCH_LANGUAGE:
                        self.language = next_language(self.language)
                        self._ask_again(selector)
                    elif outcome is not None:
                        return outcome
                elif key.data == "resized":
                    os.read(resized, 1024)
                    self._ask_again(selector)
                elif key.data == "teacher":
                    self._drain_teacher(selector)
                else:
                    self._copy(selector)

    def _keys(self, typed: bytes) -> str | None:
        if not typed or F7 in typed:
            return BREAK_OFF if typed else QUIT  # no keys any more: the terminal went away
        plain = ESCAPES.sub(b"", typed)
        if any(key in plain for key in QUIT_KEYS):
            return QUIT
        if b"l" in plain or b"L" in plain:
            return SWITCH_LANGUAGE
        return None

    def _copy(self, selector: selectors.BaseSelector) -> None:
        assert self.feed is not None
        try:
            data = self.feed.recv(256 * 1024)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if data:
            _write_all(self.screen, data)
            return
        self._close_feed(selector)
        self._say("follow.gone")  # the painter stopped: the teacher did
        self.next_try = time.monotonic() + RETRY

    def _ask_again(self, selector: selectors.BaseSelector) -> None:
        self._close_feed(selector)
        self.said = None
        self.next_try = 0.0

    # --- finding the painter -----------------------------------------------------------

    def _find_painter(self, selector: selectors.BaseSelector) -> str | None:
        picture = self.picture()
        if picture is None:
            return OWN_APP
        path = feed_path(self.class_path, picture)
        if path is None:
            return OWN_APP
        if self.asked_at is None:
            if not self._ask(picture, selector):
                self.next_try = time.monotonic() + RETRY
                return None
            self.asked_at = time.monotonic()
            self._say("view.starting")
        feed = _connect(path)
        if feed is None:
            if time.monotonic() - self.asked_at > PAINTER_WAIT:
                return OWN_APP
            self.next_try = time.monotonic() + 0.1
            return None
        if _owner(feed, path) != self.teacher:
            feed.close()
            return OWN_APP  # not the teacher's painter: never shown
        feed.setblocking(False)
        self._stop_asking(selector)
        self.feed, self.asked_at, self.said = feed, None, None
        _write_all(self.screen, b"\x1b[0m\x1b[2J")
        selector.register(feed, selectors.EVENT_READ, "feed")
        return None

    def _ask(self, picture: Picture, selector: selectors.BaseSelector) -> bool:
        """Ask the teacher for the painter of `picture`; False (and say why) when no teacher answers."""
        self._stop_asking(selector)
        teacher = _connect(self.class_path)
        if teacher is None:
            self._say("follow.waiting" if self.teacher is None else "follow.gone")
            return False
        self.teacher = _owner(teacher, self.class_path)
        try:
            teacher.sendall(request_line(picture))
        except OSError:
            teacher.close()
            return False
        teacher.setblocking(False)
        self.asking = teacher
        selector.register(teacher, selectors.EVENT_READ, "teacher")
        return True

    def _drain_teacher(self, selector: selectors.BaseSelector) -> None:
        assert self.asking is not None
        try:
            if self.asking.recv(256 * 1024):
                return
        except BlockingIOError:
            return
        except OSError:
            pass
        self._stop_asking(selector)

    def _stop_asking(self, selector: selectors.BaseSelector) -> None:
        if self.asking is not None:
            selector.unregister(self.asking)
            self.asking.close()
            self.asking = None

    def _close_feed(self, selector: selectors.BaseSelector) -> None:
        if self.feed is not None:
            selector.unregister(self.feed)
            self.feed.close()
            self.feed = None
        self._stop_asking(selector)
        self.asked_at = None

    def _say(self, key: str) -> None:
        """One line at the top of the terminal, as the app's banner says it."""
        if self.said == key:
            return
        self.said = key
        text = TEXT.get(key, self.language, path=self.class_path)
        _write_all(self.screen, b"\x1b[0m\x1b[2J\x1b[H\x1b[7m " + text.encode() + b" \x1b[0m")


def _connect(path: str) -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(1.0)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        return None
    return sock


def _owner(sock: socket.socket, path: str) -> int | None:
    """The user id of the process at the other end of `sock` (where the system says it), else the file's owner."""
    peer_credentials = getattr(socket, "SO_PEERCRED", None)
    if peer_credentials is not None:
        with contextlib.suppress(OSError):
            _pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, peer_credentials, 12))
            return uid
    try:
        return os.stat(path).st_uid
    except OSError:
        return None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view):]
        except InterruptedError:
            continue
        except BlockingIOError:
            time.sleep(0.01)
        except OSError as error:
            if error.errno in (errno.EIO, errno.EPIPE, errno.EBADF):
                return  # the terminal is gone
            raise


@contextlib.contextmanager
def _raw_terminal(keys: int, screen: int) -> Iterator[None]:
    saved = termios.tcgetattr(keys)
    tty.setraw(keys)
    _write_all(screen, ENTER_SCREEN)
    try:
        yield
    finally:
        _write_all(screen, LEAVE_SCREEN)
        with contextlib.suppress(termios.error):
            termios.tcsetattr(keys, termios.TCSADRAIN, saved)


@contextlib.contextmanager
def _on_resize() -> Iterator[int]:
    """A pipe that becomes readable when the terminal changes size (SIGWINCH)."""
    read, write = os.pipe()
    os.set_blocking(write, False)

    def resized(_signal: int, _frame: object) -> None:
        with contextlib.suppress(BlockingIOError):
            os.write(write, b".")

    before = signal.signal(signal.SIGWINCH, resized)
    try:
        yield read
    finally:
        signal.signal(signal.SIGWINCH, before)
        os.close(read)
        os.close(write)


def can_view(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether this process draws on a terminal of its own (not served to a browser, not redirected)."""
    return not environ.get("TEXTUAL_DRIVER") and os.isatty(0) and os.isatty(2) and sys.platform != "win32"
