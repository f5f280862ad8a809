"""Broadcaster and Follower on a real Unix socket, in this process: the socket file, statuses, bounds."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import stat
import tempfile
import time
from pathlib import Path

import pytest

from nn_tui.tui.classroom import Broadcaster, Follower, Message, ProtocolError, SocketFileError
from nn_tui.tui.classroom.protocol import encode

DOCUMENT = {"nn_tui": 1, "lesson": "perceptron", "state": {"w": [0.5, 0.5]}}


@pytest.fixture
def folder():
    # Short: a socket's path holds 107 bytes, and pytest's tmp_path can be longer.
    path = Path(tempfile.mkdtemp(prefix="nncls-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


async def until(condition, timeout: float = 5.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {timeout:g} s {what}"
        await asyncio.sleep(0.01)


class Student:
    """A Follower and everything it reported, in order."""

    def __init__(self, path: Path, **options: float) -> None:
        self.messages: list[Message] = []
        self.statuses: list[tuple[str, str | None]] = []
        self.follower = Follower(path, self.messages.append, lambda s, d: self.statuses.append((s, d)), **options)

    async def __aenter__(self) -> Student:
        self.follower.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.follower.stop()

    @property
    def said(self) -> list[str]:
        return [status for status, _ in self.statuses]


def stale_socket(path: Path) -> int:
    """A socket file nobody listens on, as a crashed teacher leaves it; returns its inode."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(path))
    return path.lstat().st_ino


# --- the socket file -----------------------------------------------------------------------


async def test_the_socket_has_the_mode_asked_and_is_removed_on_close(folder):
    path = folder / "class.sock"
    async with Broadcaster(path, mode=0o660):
        info = path.lstat()
        assert stat.S_ISSOCK(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o660
    assert not path.exists()


async def test_without_a_mode_the_umask_decides(folder):
    before = os.umask(0o077)
    try:
        async with Broadcaster(folder / "class.sock"):
            assert stat.S_IMODE((folder / "class.sock").lstat().st_mode) == 0o700
    finally:
        os.umask(before)


async def test_a_stale_socket_of_ours_is_replaced(folder):
    path = folder / "class.sock"
    old = stale_socket(path)
    os.link(path, folder / "kept")  # so that the old inode is not free to be used again
    async with Broadcaster(path):
        assert path.lstat().st_ino != old
        async with Student(path) as student:
            await until(lambda: student.said == ["connected"])
    assert not path.exists()


async def test_a_live_teacher_is_neither_replaced_nor_disturbed(folder):
    path = folder / "class.sock"
    async with Broadcaster(path) as first, Student(path) as student:
        first.publish("perceptron", 0, DOCUMENT)
        inode = path.lstat().st_ino
        with pytest.raises(SocketFileError) as refused:
            await Broadcaster(path).start()
        assert refused.value.code == "in_use"
        assert path.lstat().st_ino == inode
        first.publish("perceptron", 1, DOCUMENT)
        await until(lambda: [m.step for m in student.messages][-1:] == [1])


@pytest.mark.parametrize("what", ["file", "folder", "link", "dangling link"])
async def test_what_is_not_a_socket_is_left_alone(folder, what):
    path = folder / "class.sock"
    if what == "file":
        path.write_text("the teacher's notes")
    elif what == "folder":
        path.mkdir()
    elif what == "link":
        stale_socket(folder / "target.sock")
        path.symlink_to(folder / "target.sock")
    else:
        path.symlink_to(folder / "nowhere")
    with pytest.raises(SocketFileError) as refused:
        await Broadcaster(path).start()
    assert refused.value.code == "not_a_socket"
    assert os.path.lexists(path)
    if what == "file":
        assert path.read_text() == "the teacher's notes"


async def test_another_users_socket_is_left_alone(folder):
    if os.geteuid() != 0:
        pytest.skip("only root can give a socket to another user")
    path = folder / "class.sock"
    stale_socket(path)
    os.chown(path, 65534, 65534)
    with pytest.raises(SocketFileError) as refused:
        await Broadcaster(path).start()
    assert refused.value.code == "not_ours"
    assert path.lstat().st_uid == 65534


async def test_a_path_too_long_for_a_socket(folder):
    with pytest.raises(SocketFileError) as refused:
        await Broadcaster(folder / ("x" * 120)).start()
    assert refused.value.code == "path_too_long"


async def test_closing_leaves_a_newer_teachers_socket(folder):
    path = folder / "class.sock"
    old = Broadcaster(path)
    await old.start()
    path.unlink()  # somebody removed it, and another teacher started there
    async with Broadcaster(path):
        await old.close()
        assert stat.S_ISSOCK(path.lstat().st_mode)
    assert not path.exists()


# --- publishing -------------------------------------------------------------------------------


async def test_a_refused_publish_sends_nothing(folder):
    path = folder / "class.sock"
    async with Broadcaster(path) as teacher, Student(path) as student:
        teacher.publish("perceptron", 0, DOCUMENT)
        await until(lambda: len(student.messages) == 1)
        with pytest.raises(ProtocolError):
            teacher.publish("perceptron", 1, {"x": float("nan")})
        assert teacher.latest is not None and teacher.latest.seq == 1
        assert teacher.publish("perceptron", 2, DOCUMENT).seq == 2
        await until(lambda: len(student.messages) == 2)
        assert [(m.seq, m.step) for m in student.messages] == [(1, 0), (2, 2)]


async def test_a_new_follower_gets_the_latest_message_at_once_and_never_sends(folder):
    path = folder / "class.sock"
    async with Broadcaster(path) as teacher:
        for step in range(3):
            teacher.publish("perceptron", step, DOCUMENT)
        async with Student(path) as student:
            await until(lambda: student.messages)
            assert student.messages == [Message(3, "perceptron", 2, DOCUMENT)]
            assert student.statuses == [("connected", None)]
            assert teacher.followers == 1
            assert [c.received for c in teacher._connections] == [0]


async def test_of_a_run_of_messages_only_the_newest_is_shown(folder):
    path = str(folder / "class.sock")
    burst = b"".join(encode(Message(seq, "perceptron", seq, DOCUMENT)) for seq in range(1, 51))

    async def teacher(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(burst)  # fifty messages in one write
        await writer.drain()

    server = await asyncio.start_unix_server(teacher, path)
    try:
        async with Student(Path(path)) as student:
            await until(lambda: student.messages and student.messages[-1].seq == 50)
            assert len(student.messages) < 10, [m.seq for m in student.messages]
            assert [m.seq for m in student.messages] == sorted(m.seq for m in student.messages)
    finally:
        server.close()


# --- following -----------------------------------------------------------------------------


async def test_the_follower_says_what_happens_and_reconnects(folder):
    path = folder / "class.sock"
    async with Student(path, first_retry=0.02, max_retry=0.1) as student:
        await until(lambda: student.statuses == [("waiting", "ENOENT")])
        async with Broadcaster(path) as teacher:
            teacher.publish("perceptron", 0, DOCUMENT)
            await until(lambda: student.messages)
        await until(lambda: student.said[-1:] == ["reconnecting"])
        stale_socket(path)  # a teacher that crashed
        await until(lambda: student.statuses[-1] == ("reconnecting", "ECONNREFUSED"))
        async with Broadcaster(path) as teacher:
            teacher.publish("activations", None, {"nn_tui": 1})
            await until(lambda: len(student.messages) == 2)
        assert student.statuses[:5] == [
            ("waiting", "ENOENT"), ("connected", None), ("teacher_gone", "eof"),
            ("reconnecting", "ENOENT"), ("reconnecting", "ECONNREFUSED"),
        ]
        assert student.said[5] == "connected"
        assert [(m.seq, m.lesson) for m in student.messages] == [(1, "perceptron"), (1, "activations")]


async def test_not_allowed_to_follow(folder):
    if os.geteuid() == 0:
        pytest.skip("root may connect to any socket")
    path = folder / "class.sock"
    async with Broadcaster(path, mode=0o000), Student(path) as student:
        await until(lambda: student.statuses == [("waiting", "EACCES")])


async def test_a_full_class_turns_followers_away_without_a_busy_loop(folder):
    path = folder / "class.sock"
    async with Broadcaster(path, max_followers=1) as teacher, Student(path) as first:
        await until(lambda: teacher.followers == 1)
        async with Student(path, first_retry=0.05, max_retry=0.4) as turned_away:
            await asyncio.sleep(2.0)
            tries = turned_away.said.count("connected")
            assert 2 <= tries <= 10, turned_away.statuses
        assert teacher.followers == 1 and first.said == ["connected"]


async def test_a_follower_that_talks_too_much_is_dropped(folder):
    path = folder / "class.sock"
    async with Broadcaster(path, max_inbound=10_000) as teacher:
        teacher.publish("perceptron", 0, DOCUMENT)
        reader, writer = await asyncio.open_unix_connection(str(path))
        await until(lambda: teacher.followers == 1)
        writer.write(b"hello teacher\n" * 100)  # a little is read and thrown away
        await writer.drain()
        assert await reader.readline() == encode(teacher.latest)
        await asyncio.sleep(0.1)
        assert teacher.followers == 1
        writer.write(b"x" * 20_000)
        await until(lambda: teacher.followers == 0, what="the chatty follower was not dropped")
        assert await reader.read() == b""
        writer.close()
