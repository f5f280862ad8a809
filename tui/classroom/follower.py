"""A student's side: the teacher's newest valid message, what happened to the connection, reconnecting.

`Follower(path, on_message, on_status)` connects to the teacher's socket and
reads; it never writes a byte. Each time data arrives, `on_message(message)`
gets the newest valid message it completed (the ones before it are already
out of date). A bad message (not JSON, too large, another version, a wrong
field: see `protocol`) is dropped; `on_status("bad_message", code)` says so
once for a run of bad messages, and the last good state stays as it was.

`on_status(status, detail)` is called when the connection's state changes:

- ``waiting``: no teacher yet (detail: the errno's name, ``ENOENT`` when there
  is no socket, ``ECONNREFUSED`` for a stale one, ``EACCES`` when not allowed);
- ``connected``: following (the teacher sends its latest state at once);
- ``teacher_gone``: the teacher stopped, restarted or dropped us (detail:
  ``eof`` or the errno's name);
- ``reconnecting``: trying again, every `first_retry` doubling up to `max_retry` seconds;
- ``bad_message``: (detail: the `ProtocolError` code), as above.

Both callbacks run on the event loop, in the order things happened; an
exception raised by one ends `run` (it is the UI's bug, not the teacher's).
"""

from __future__ import annotations

import asyncio
import errno
import os
from collections.abc import Callable

from nn_tui.tui.classroom.framing import TOO_LONG, LineSplitter
from nn_tui.tui.classroom.protocol import MAX_MESSAGE_BYTES, Message, ProtocolError, decode

CHUNK = 256 * 1024


class Follower:
    """Follows the teacher at `path` until `stop` (see the module's docstring)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        on_message: Callable[[Message], object],
        on_status: Callable[[str, str | None], object],
        *,
        first_retry: float = 0.05,
        max_retry: float = 1.0,
    ) -> None:
        self.path = os.fspath(path)
        self.on_message = on_message
        self.on_status = on_status
        self.first_retry = first_retry
        self.max_retry = max_retry
        self.latest: Message | None = None
        #: The connection's state: None before `run`, then a status code (not ``bad_message``).
        self.status: str | None = None
        self._said: tuple[str, str | None] | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> asyncio.Task[None]:
        """Run in a task of the running loop."""
        self._task = asyncio.get_running_loop().create_task(self.run())
        return self._task

    async def stop(self) -> None:
        """Stop the task `start` made (a caller running `run` itself cancels it)."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def run(self) -> None:
        """Follow, reconnecting whenever the teacher goes, until cancelled."""
        loop = asyncio.get_running_loop()
        delay, followed = self.first_retry, False
        while True:
            try:
                reader, writer = await asyncio.open_unix_connection(self.path, limit=CHUNK)
            except OSError as error:
                self._say("reconnecting" if followed else "waiting", _name(error))
            else:
                followed, began = True, loop.time()
                self._say("connected")
                try:
                    why = await self._read(reader)
                finally:
                    writer.close()
                self._say("teacher_gone", why)
                if loop.time() - began > self.max_retry:  # a teacher that turns us away gets no fast loop
                    delay = self.first_retry
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_retry)

    async def _read(self, reader: asyncio.StreamReader) -> str:
        """Deliver messages until the connection ends; returns why it did."""
        lines = LineSplitter(MAX_MESSAGE_BYTES)
        in_bad_run = False
        while True:
            try:
                data = await reader.read(CHUNK)
            except OSError as error:
                return _name(error)
            if not data:
                return "eof"
            newest = None  # of a run of good messages, only the last is shown
            for line in lines.feed(data):
                try:
                    if line is TOO_LONG:
                        raise ProtocolError("too_large")
                    assert isinstance(line, bytes)
                    newest = decode(line)
                    in_bad_run = False
                except ProtocolError as error:
                    self._deliver(newest)
                    newest = None
                    if not in_bad_run:
                        in_bad_run = True
                        self.on_status("bad_message", error.code)
            self._deliver(newest)

    def _deliver(self, message: Message | None) -> None:
        if message is not None:
            self.latest = message
            self.on_message(message)

    def _say(self, status: str, detail: str | None = None) -> None:
        if self._said != (status, detail):
            self._said, self.status = (status, detail), status
            self.on_status(status, detail)


def _name(error: OSError) -> str:
    return errno.errorcode.get(error.errno or 0, type(error).__name__)
