"""The teacher's side: the latest message to every follower, never waiting for any of them.

`publish` encodes the message once and hands the same bytes to every
follower's connection without awaiting anything, so it costs the teacher the
encoding and nothing that depends on the class. Each follower holds at most:

- the bytes its socket has not taken yet, kept below `high_water` before
  anything more is written (asyncio's flow control: `pause_writing`), plus
  the one message that crossed the mark;
- while paused, one waiting message, replaced by each publish: when it
  drains it gets the latest state, not every state it missed.

A follower paused for longer than `stall_timeout` (it stopped reading) is
dropped; its `Follower` reconnects by itself when it reads again. A new
follower gets the latest message at once. Followers have nothing to say
but one thing: a first line that asks for a picture of the lesson (see
`picture`) is handed to `on_request`, and nothing else is read. What one
sends is thrown away, and one that sends more than `max_inbound` bytes is
dropped. At most `max_followers` are served; more are
turned away. All of it runs on the event loop's thread: call `publish` from it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping
from typing import Any

from nn_tui.tui.classroom.picture import MAX_REQUEST_BYTES, Picture, read_request
from nn_tui.tui.classroom.protocol import Message, ProtocolError, encode
from nn_tui.tui.classroom.socket_file import SocketFile, create_socket_file

HIGH_WATER = 256 * 1024
STALL_TIMEOUT = 10.0
MAX_INBOUND = 64 * 1024
MAX_FOLLOWERS = 250


class Broadcaster:
    """The teacher's socket at `path` (see the module's docstring); `start`, `publish`, `close`.

    `mode`: the socket file's permissions (who may follow), None to leave the umask's.
    `on_request(picture)`: called when a student asks for a picture (None: nobody listens).
    Creating the socket raises `SocketFileError`; `publish` raises `ProtocolError`
    for a message no follower would accept, and then sends nothing.
    """

    on_request: Callable[[Picture], object] | None = None

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        mode: int | None = None,
        high_water: int = HIGH_WATER,
        stall_timeout: float = STALL_TIMEOUT,
        max_inbound: int = MAX_INBOUND,
        max_followers: int = MAX_FOLLOWERS,
    ) -> None:
        self.path = os.fspath(path)
        self.mode = mode
        self.high_water = high_water
        self.stall_timeout = stall_timeout
        self.max_inbound = max_inbound
        self.max_followers = max_followers
        self.latest: Message | None = None
        self._frame: bytes | None = None
        self._seq = 0
        self._connections: set[_Connection] = set()
        self._server: asyncio.AbstractServer | None = None
        self._file: SocketFile | None = None

    async def start(self) -> None:
        sock, self._file = create_socket_file(self.path, self.mode)
        try:
            loop = asyncio.get_running_loop()
            self._server = await loop.create_unix_server(lambda: _Connection(self), sock=sock)
        except BaseException:
            sock.close()
            self._file.remove()
            raise

    def publish(self, lesson: str, step: int | None, document: Mapping[str, Any]) -> Message:
        """Send what the teacher shows now to every follower; returns the message sent."""
        message = Message(self._seq + 1, lesson, step, document)
        frame = encode(message)  # refuses before anything changes
        self._seq, self.latest, self._frame = message.seq, message, frame
        for connection in list(self._connections):
            connection.send(frame)
        return message

    @property
    def followers(self) -> int:
        return len(self._connections)

    @property
    def buffered(self) -> int:
        """The bytes held for all followers now: unsent in their sockets' buffers, and waiting."""
        return sum(connection.buffered for connection in self._connections)

    async def close(self) -> None:
        """Stop serving, drop every follower, remove the socket file (if it is still ours)."""
        if self._file is not None:
            self._file.remove()  # first: a follower then finds no socket, not a dead one
        if self._server is not None:
            self._server.close()
        for connection in list(self._connections):
            connection.drop()
        if self._server is not None:
            await self._server.wait_closed()
        self._server = None

    async def __aenter__(self) -> Broadcaster:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class _Connection(asyncio.Protocol):
    """One follower: writes while its socket keeps up, otherwise keeps only the latest frame."""

    def __init__(self, broadcaster: Broadcaster) -> None:
        self.broadcaster = broadcaster
        self.transport: asyncio.Transport | None = None
        self.paused = False
        self.waiting: bytes | None = None
        self.received = 0
        self.first_line: bytearray | None = bytearray()  # None once read (or too long to be a request)
        self.stall: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        b = self.broadcaster
        if len(b._connections) >= b.max_followers:
            transport.abort()
            return
        transport.set_write_buffer_limits(high=b.high_water)
        b._connections.add(self)
        if b._frame is not None:
            self.send(b._frame)

    def send(self, frame: bytes) -> None:
        if self.paused:
            self.waiting = frame
        elif self.transport is not None and not self.transport.is_closing():
            self.transport.write(frame)  # may call pause_writing at once

    def pause_writing(self) -> None:
        self.paused = True
        self._cancel_stall()
        self.stall = asyncio.get_running_loop().call_later(self.broadcaster.stall_timeout, self.drop)

    def resume_writing(self) -> None:
        self.paused = False
        self._cancel_stall()
        frame, self.waiting = self.waiting, None
        if frame is not None:
            self.send(frame)

    def data_received(self, data: bytes) -> None:
        # Nothing but a first line asking for a picture is read: a follower
        # changes nothing on the teacher's side.
        self.received += len(data)
        if self.received > self.broadcaster.max_inbound:
            self.drop()
            return
        if self.first_line is not None:
            self._read_request(data)

    def _read_request(self, data: bytes) -> None:
        assert self.first_line is not None
        end = data.find(b"\n")
        self.first_line += data if end < 0 else data[:end]
        if end < 0 and len(self.first_line) <= MAX_REQUEST_BYTES:
            return
        line, self.first_line = bytes(self.first_line), None
        on_request = self.broadcaster.on_request
        if end < 0 or on_request is None:
            return
        try:
            picture = read_request(line)
        except ProtocolError:
            return
        on_request(picture)

    def eof_received(self) -> bool:
        return False  # the follower left: close

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_stall()
        self.waiting = None
        self.broadcaster._connections.discard(self)

    @property
    def buffered(self) -> int:
        unsent = self.transport.get_write_buffer_size() if self.transport is not None else 0
        return unsent + len(self.waiting or b"")

    def drop(self) -> None:
        self._cancel_stall()
        self.broadcaster._connections.discard(self)
        if self.transport is not None:
            self.transport.abort()  # without flushing: a stuck follower would never take it

    def _cancel_stall(self) -> None:
        if self.stall is not None:
            self.stall.cancel()
            self.stall = None
