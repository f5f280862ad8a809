"""Follow the teacher with real processes on a real Unix socket.

Teachers and students are `python -m nn_tui.tui.classroom broadcast|follow`
processes, talking JSON lines on their stdin/stdout; where the test must
look inside the teacher (how long `publish` takes, what it holds for a
follower), the teacher is a `Broadcaster` in this process and the others are
processes. Hostile peers are small scripts on raw sockets.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from nn_tui.tui.classroom import Broadcaster, Message
from nn_tui.tui.classroom.broadcaster import HIGH_WATER
from nn_tui.tui.classroom.protocol import encode

TIMEOUT = 15.0  # generous: two shared cores; every wait says what it waited for
PERCEPTRON = {"nn_tui": 1, "lesson": "perceptron", "state": {"gate": "and", "w": [0.5, 0.5], "b": -0.7}}


class Process:
    """A process whose stdout is JSON lines, read as they come by a thread."""

    def __init__(self, args: list[str], **options: object) -> None:
        self.popen = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options
        )
        self.events: list[dict] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    @classmethod
    def classroom(cls, *args: str) -> Process:
        return cls([sys.executable, "-m", "nn_tui.tui.classroom", *args])

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.events.append(json.loads(line))

    def send(self, **command: object) -> None:
        assert self.popen.stdin is not None
        self.popen.stdin.write(json.dumps(command).encode() + b"\n")
        self.popen.stdin.flush()

    def of(self, event: str) -> list[dict]:
        return [e for e in list(self.events) if e["event"] == event]

    @property
    def statuses(self) -> list[tuple[str, str | None]]:
        return [(e["status"], e["detail"]) for e in self.of("status")]

    @property
    def messages(self) -> list[dict]:
        return self.of("message")

    def wait_for(self, condition: Callable[[Process], object], what: str, timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not condition(self):
            if time.monotonic() > deadline or (self.popen.poll() is not None and not self.thread.is_alive()):
                raise AssertionError(f"timed out waiting for {what}; events {self.events[-8:]}; {self.stderr()}")
            time.sleep(0.005)

    async def until(self, condition: Callable[[Process], object], what: str, timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not condition(self):
            assert time.monotonic() < deadline, f"timed out waiting for {what}; events {self.events[-8:]}"
            await asyncio.sleep(0.005)

    def stderr(self) -> str:
        if self.popen.poll() is None or self.popen.stderr is None:
            return ""
        return self.popen.stderr.read().decode(errors="replace")[-2000:]

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
        try:
            code = self.popen.wait(10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            code = self.popen.wait(10)
        self.thread.join(5)
        return code


@pytest.fixture
def folder() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="nncls-", dir="/tmp"))  # a socket path holds 107 bytes
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def spawn() -> Iterator[Callable[..., Process]]:
    """Start processes that are all stopped at the end of the test, whatever happened."""
    started: list[Process] = []

    def start(*args: str, raw: list[str] | None = None) -> Process:
        process = Process(raw) if raw else Process.classroom(*args)
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop(signal.SIGKILL)


def teacher_in(spawn: Callable[..., Process], path: Path) -> Process:
    teacher = spawn("broadcast", str(path))
    teacher.wait_for(lambda p: p.of("ready") or p.of("error"), "the teacher to start")
    return teacher


def followers_of(teacher: Process) -> int:
    count = len(teacher.of("followers"))
    teacher.send(command="followers")
    teacher.wait_for(lambda p: len(p.of("followers")) > count, "the follower count")
    return teacher.of("followers")[-1]["count"]


def latencies(teacher: Process, student: Process) -> list[float]:
    """For each message the student showed: seconds from the teacher's publish to the student's callback."""
    sent = {e["seq"]: e["sent_at"] for e in teacher.of("published")}
    return [m["t"] - sent[m["seq"]] for m in student.messages]


def codes(student: Process) -> list[str]:
    """The student's statuses, a repeated one once (its detail may change while it retries)."""
    said = [status for status, _ in student.statuses]
    return [status for i, status in enumerate(said) if i == 0 or said[i - 1] != status]


def report(name: str, seconds: list[float]) -> str:
    text = (f"{name}: {len(seconds)} messages, median {statistics.median(seconds) * 1000:.1f} ms, "
            f"max {max(seconds) * 1000:.1f} ms")
    print(text)
    return text


def big_document(size: int, tag: int = 0) -> dict:
    """A playground-like state of about `size` bytes of JSON (a long loss history)."""
    rng = random.Random(tag)
    losses = [rng.random() for _ in range(size // 20)]
    return {"nn_tui": 1, "lesson": "playground", "state": {"tag": tag, "losses": losses}}


# --- a teacher and its class -----------------------------------------------------------------


def test_a_student_sees_each_change_within_300_ms(folder, spawn):
    path = folder / "class.sock"
    teacher = teacher_in(spawn, path)
    student = spawn("follow", str(path))
    student.wait_for(lambda p: p.statuses == [("connected", None)], "the student to connect")
    for step in range(20):
        teacher.send(lesson="perceptron", step=step, document={**PERCEPTRON, "step": step})
        time.sleep(0.05)
    student.wait_for(lambda p: p.messages and p.messages[-1]["seq"] == 20, "the last change")
    assert [m["document"] for m in student.messages] == [{**PERCEPTRON, "step": m["step"]} for m in student.messages]
    small = latencies(teacher, student)
    report("small state (0.1 KB), teacher process -> student process", small)

    count = len(student.messages)
    for tag in range(5):  # about the largest a lesson makes: a big playground after a long run
        teacher.send(lesson="playground", step=None, document=big_document(1_500_000, tag))
        time.sleep(0.3)
    student.wait_for(lambda p: p.messages and p.messages[-1]["seq"] == 25, "the last large change")
    large = latencies(teacher, student)[count:]
    report("large state (1.5 MB)", large)
    assert max(small) < 1.0 and max(large) < 1.0  # the aim is 300 ms; 1 s keeps a loaded machine from failing it


def test_five_students_see_the_same_state(folder, spawn):
    path = folder / "class.sock"
    teacher = teacher_in(spawn, path)
    teacher.send(lesson="perceptron", step=0, document=PERCEPTRON)  # before anyone follows
    students = [spawn("follow", str(path)) for _ in range(5)]
    for student in students:
        student.wait_for(lambda p: p.messages, "the state already published")
    assert followers_of(teacher) == 5
    for step in range(1, 11):
        document = {"nn_tui": 1, "lesson": "activations", "state": {"x": step}}
        teacher.send(lesson="activations", step=step, document=document)
        time.sleep(0.03)
    for student in students:
        student.wait_for(lambda p: p.messages[-1]["seq"] == 11, "the last change")
        assert student.messages[0]["document"] == PERCEPTRON
        assert student.messages[-1]["document"]["state"] == {"x": 10}
        assert student.statuses == [("connected", None)]
    report("5 students, each message to each", [t for s in students for t in latencies(teacher, s)[1:]])


def test_a_teacher_that_stops_and_starts_again(folder, spawn):
    path = folder / "class.sock"
    teacher = teacher_in(spawn, path)
    teacher.send(lesson="perceptron", step=3, document=PERCEPTRON)
    student = spawn("follow", str(path))
    student.wait_for(lambda p: p.messages, "the first state")
    teacher.popen.stdin.close()  # the teacher quits
    assert teacher.popen.wait(TIMEOUT) == 0
    teacher.wait_for(lambda p: p.of("closed"), "the teacher to say it closed")
    assert not path.exists()
    student.wait_for(lambda p: ("teacher_gone", "eof") in p.statuses, "the student to notice")
    student.wait_for(lambda p: ("reconnecting", "ENOENT") in p.statuses, "the student to try again")

    again = teacher_in(spawn, path)
    again.send(lesson="losses", step=None, document={"nn_tui": 1, "lesson": "losses", "state": {}})
    student.wait_for(lambda p: len(p.messages) == 2, "the new teacher's state")
    back = student.of("status")[-1]["t"] - again.of("ready")[0]["t"]
    print(f"reconnected {back * 1000:.0f} ms after the new teacher was ready")
    assert [(m["seq"], m["lesson"]) for m in student.messages] == [(1, "perceptron"), (1, "losses")]
    assert codes(student) == ["connected", "teacher_gone", "reconnecting", "connected"]


def test_a_teacher_killed_leaves_a_stale_socket_the_next_one_replaces(folder, spawn):
    path = folder / "class.sock"
    teacher = teacher_in(spawn, path)
    teacher.send(lesson="perceptron", step=0, document=PERCEPTRON)
    student = spawn("follow", str(path))
    student.wait_for(lambda p: p.messages, "the first state")
    teacher.stop(signal.SIGKILL)
    assert path.is_socket()  # nobody removed it
    student.wait_for(lambda p: ("reconnecting", "ECONNREFUSED") in p.statuses, "the student to find it stale")

    again = teacher_in(spawn, path)
    assert again.of("ready")
    again.send(lesson="perceptron", step=1, document=PERCEPTRON)
    student.wait_for(lambda p: len(p.messages) == 2, "the new teacher's state")
    assert student.messages[-1]["step"] == 1
    assert codes(student) == ["connected", "teacher_gone", "reconnecting", "connected"]


def test_a_second_teacher_on_a_live_socket_is_refused(folder, spawn):
    path = folder / "class.sock"
    teacher = teacher_in(spawn, path)
    student = spawn("follow", str(path))
    student.wait_for(lambda p: p.statuses == [("connected", None)], "the student to connect")
    intruder = teacher_in(spawn, path)
    assert intruder.of("error")[0]["code"] == "in_use"
    assert intruder.popen.wait(TIMEOUT) == 2
    teacher.send(lesson="perceptron", step=0, document=PERCEPTRON)
    student.wait_for(lambda p: p.messages, "the first teacher's state")
    assert student.statuses == [("connected", None)]


def test_the_sockets_permissions_say_who_may_follow(folder, spawn):
    if os.geteuid() != 0:
        pytest.skip("needs root to run a student as another user (the in-process EACCES test covers the rest)")
    folder.chmod(0o755)
    # The interpreter is loaded as root, then the student becomes `nobody` and follows.
    as_nobody = textwrap.dedent("""
        import os, sys
        import argparse, shutil, gettext  # what argparse imports late, while root may still read it
        import nn_tui.tui.classroom.__main__ as classroom
        os.setgroups([]); os.setgid(65534); os.setuid(65534)
        sys.exit(classroom.main(["follow", sys.argv[1]]))
    """)
    for mode, expected in ((0o600, ("waiting", "EACCES")), (0o666, ("connected", None))):
        path = folder / f"class-{mode:o}.sock"
        teacher = spawn("broadcast", str(path), "--mode", f"{mode:o}")
        teacher.wait_for(lambda p: p.of("ready"), "the teacher to start")
        teacher.send(lesson="perceptron", step=0, document=PERCEPTRON)
        student = spawn(raw=[sys.executable, "-c", as_nobody, str(path)])
        student.wait_for(lambda p: p.statuses, "the student's first status")
        assert student.statuses[0] == expected
        time.sleep(0.3)
        assert bool(student.messages) == (mode == 0o666)


# --- a follower that stops reading ------------------------------------------------------------

STUCK = textwrap.dedent("""
    import socket, sys, time
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(sys.argv[1])
    print('{"event": "connected"}', flush=True)
    time.sleep(600)  # never reads
""")


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


async def publish_all(teacher: Broadcaster, documents: list[dict]) -> tuple[list[float], int]:
    """Publish each document as the app would, one change at a time; the seconds each took, the most held."""
    seconds, held = [], 0
    for step, document in enumerate(documents):
        began = time.perf_counter()
        teacher.publish("playground", step, document)
        seconds.append(time.perf_counter() - began)
        held = max(held, teacher.buffered)
        await asyncio.sleep(0)  # the app's loop runs between two changes
    return seconds, held


async def test_a_stuck_follower_never_slows_the_teacher_nor_makes_it_queue(folder, spawn):
    path = folder / "class.sock"
    documents = [big_document(100_000, tag) for tag in range(200)]
    frame = len(encode(Message(1, "playground", 0, documents[0])))
    async with Broadcaster(path, stall_timeout=60) as teacher:
        student = spawn("follow", str(path), "--digest")
        await student.until(lambda p: p.statuses, "the student")
        alone, _ = await publish_all(teacher, documents[:100])  # the cost with a class that keeps up

        stuck = spawn(raw=[sys.executable, "-c", STUCK, str(path)])
        await stuck.until(lambda p: p.of("connected"), "the stuck follower")
        while teacher.followers < 2:
            await asyncio.sleep(0.01)
        rss_before = rss_bytes()
        seconds, held = await publish_all(teacher, documents)
        growth = rss_bytes() - rss_before
        report(f"publish of a {frame / 1000:.0f} KB state to a student", alone)
        report(f"publish of a {frame / 1000:.0f} KB state to a student and a stuck follower", seconds)
        print(f"most held for the followers: {held / 1000:.0f} KB (200 states are {200 * frame / 1e6:.0f} MB); "
              f"RSS grew {growth / 1e6:.1f} MB")
        await student.until(lambda p: p.messages and p.messages[-1]["seq"] == 300, "the student to get the last state")
        assert teacher.followers == 2  # the stuck one is still there, within its stall timeout
        # A follower that would block publish would block it for good (until its stall timeout: 60 s here).
        assert statistics.median(seconds) < 2 * statistics.median(alone) + 0.005 and max(seconds) < 0.5
        assert held <= 2 * (HIGH_WATER + 2 * frame)  # per follower: its socket's unsent bytes and one waiting state
        assert growth < 40 * frame  # nothing like the 200 states queued


async def test_a_follower_paused_too_long_is_dropped_and_comes_back_with_the_latest(folder, spawn):
    path = folder / "class.sock"
    async with Broadcaster(path, stall_timeout=0.5) as teacher:
        student = spawn("follow", str(path), "--digest")
        await student.until(lambda p: p.statuses == [("connected", None)], "the student")
        student.popen.send_signal(signal.SIGSTOP)  # Ctrl+Z in the student's terminal
        try:
            for step in range(20):
                teacher.publish("playground", step, big_document(100_000, step))
                await asyncio.sleep(0.01)
            deadline = time.monotonic() + TIMEOUT
            while teacher.followers:
                assert time.monotonic() < deadline, "the paused student was never dropped"
                await asyncio.sleep(0.05)
        finally:
            student.popen.send_signal(signal.SIGCONT)
        await student.until(lambda p: p.messages and p.messages[-1]["seq"] == 20, "the latest state after waking")
        assert [s for s, _ in student.statuses] == ["connected", "teacher_gone", "connected"]
        assert len(student.messages) < 20  # it got the latest, not everything it missed


# --- hostile peers ----------------------------------------------------------------------------

HOSTILE = textwrap.dedent("""
    import json, os, socket, sys, time
    kind, path = sys.argv[1], sys.argv[2]
    def connect():
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(path)
        return sock
    payloads = {
        "garbage": os.urandom(3000),
        "huge line": b"x" * 10_000_000 + b"\\n",
        "invalid json": b'{"nn_tui_class": 1, "seq": 99, "lesson": "losses",,,}\\n' * 20,
        "wrong version": json.dumps({"nn_tui_class": 2, "command": "quit"}).encode() + b"\\n",
        "a message": json.dumps({"nn_tui_class": 1, "seq": 999, "lesson": "losses", "step": 0,
                                 "document": {"nn_tui": 1, "lesson": "losses", "state": {}}}).encode() + b"\\n",
    }
    outcome = "kept"
    if kind == "many connections":
        for _ in range(200):
            connect().close()
    else:
        sock = connect()
        try:
            sock.sendall(payloads[kind])
            time.sleep(0.5)
            sock.sendall(b"more\\n")
        except OSError as error:
            outcome = "dropped"
    print(json.dumps({"event": "done", "outcome": outcome}), flush=True)
    time.sleep(600)
""")
KINDS = ["garbage", "huge line", "invalid json", "wrong version", "a message", "many connections"]


async def test_hostile_clients_change_nothing_and_the_class_goes_on(folder, spawn):
    path = folder / "class.sock"
    errors: list[dict] = []
    asyncio.get_running_loop().set_exception_handler(lambda loop, context: errors.append(context))
    async with Broadcaster(path) as teacher:
        teacher.publish("perceptron", 0, PERCEPTRON)
        student = spawn("follow", str(path))
        await student.until(lambda p: p.messages, "the student's first state")
        hostiles = {kind: spawn(raw=[sys.executable, "-c", HOSTILE, kind, str(path)]) for kind in KINDS}
        for step in range(1, 30):  # the teacher goes on teaching meanwhile
            teacher.publish("perceptron", step, {**PERCEPTRON, "step": step})
            await asyncio.sleep(0.05)
        for kind, hostile in hostiles.items():
            await hostile.until(lambda p: p.of("done"), f"the {kind} client")
        outcomes = {kind: hostile.of("done")[0]["outcome"] for kind, hostile in hostiles.items()}
        assert outcomes["huge line"] == "dropped"  # past max_inbound: cut off, not read to the end
        assert teacher.latest == Message(30, "perceptron", 29, {**PERCEPTRON, "step": 29})
        teacher.publish("perceptron", 30, PERCEPTRON)
        await student.until(lambda p: p.messages[-1]["seq"] == 31, "the student's last state")
        assert {m["lesson"] for m in student.messages} == {"perceptron"}
        assert student.statuses == [("connected", None)]
        # Those still connected are followers like any other (they get the state, and it is all they get).
        kept = [kind for kind, outcome in outcomes.items() if outcome == "kept" and kind != "many connections"]
        assert teacher.followers == 1 + len(kept)
    assert errors == []
    print("hostile clients:", outcomes)


def bad_lines() -> list[bytes]:
    good = json.loads(encode(Message(1, "perceptron", 0, PERCEPTRON)))
    return [
        bytes(random.Random(1).randrange(256) for _ in range(500)).replace(b"\n", b" ") + b"\n",
        b"{not json}\n",
        b"\n",
        json.dumps({**good, "nn_tui_class": 2}).encode() + b"\n",
        json.dumps({**good, "lesson": "../../etc/passwd"}).encode() + b"\n",
        json.dumps({**good, "document": [1, 2, 3]}).encode() + b"\n",
        b"[" * 200_000 + b"\n",
        b"\xff\xfe" + b"x" * 100 + b"\n",
        b"x" * 10_000_000 + b"\n",  # 10 MB: over the 8 MiB limit
    ]


async def test_a_follower_drops_what_a_bad_teacher_sends_and_keeps_the_last_good_state(folder, spawn):
    path = folder / "class.sock"
    connected: asyncio.Queue[asyncio.StreamWriter] = asyncio.Queue()

    async def fake_teacher(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await connected.put(writer)

    server = await asyncio.start_unix_server(fake_teacher, str(path))
    try:
        student = spawn("follow", str(path))
        writer = await asyncio.wait_for(connected.get(), TIMEOUT)

        async def send(*lines: bytes) -> None:
            writer.write(b"".join(lines))
            await writer.drain()

        first = {**PERCEPTRON, "step": 1}
        await send(encode(Message(1, "perceptron", 1, first)))
        await student.until(lambda p: len(p.messages) == 1, "the first state")
        await send(*bad_lines())
        await student.until(lambda p: ("bad_message", "not_json") in p.statuses, "the notice")
        await asyncio.sleep(0.5)  # all of them read by now
        assert student.statuses == [("connected", None), ("bad_message", "not_json")]  # one notice for the run
        assert [m["document"] for m in student.messages] == [first]  # the last good state stays

        await send(encode(Message(2, "perceptron", 2, PERCEPTRON)))
        await student.until(lambda p: len(p.messages) == 2, "the next good state")
        await send(b'{"nn_tui_class": 7}\n', encode(Message(3, "perceptron", 3, PERCEPTRON)))
        await student.until(lambda p: len(p.messages) == 3, "the state after a second bad run")
        assert student.statuses[2:] == [("bad_message", "version")]
        assert [m["seq"] for m in student.messages] == [1, 2, 3]
        writer.close()
    finally:
        server.close()
