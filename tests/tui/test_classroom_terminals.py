"""Two real terminals (tmux, 80x24): `nn-tui --teach 1 --broadcast SOCK` and `nn-tui --follow SOCK`.

The student's terminal shows the teacher's step and state after every
Enter of the teacher's, in English and in Chinese; F7 breaks off and F8
rejoins; a hostile client on the same socket (garbage in, never reading)
slows nobody; a teacher that quits and comes back is followed again.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")

TIMEOUT = 20.0
HEAD = {"en": re.compile(r"Step (\d+) / 13"), "zh": re.compile(r"第 (\d+) / 13 步")}
BANNER = {"en": ("Following the teacher", "On your own", "The teacher stopped"),
          "zh": ("正在跟随老师", "自己探索中", "老师已停止")}


class Terminals:
    """A tmux server of this test's own, its sessions 80x24."""

    def __init__(self) -> None:
        self.server = f"nncls{os.getpid()}-{secrets.token_hex(3)}"

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.server, *args], check=True, capture_output=True, text=True).stdout

    def start(self, name: str, *args: str) -> None:
        command = shlex.join([sys.executable, "-m", "nn_tui", *args])
        self.tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", f"cd {shlex.quote(os.getcwd())} && {command}")

    def screen(self, name: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", name)

    def keys(self, name: str, *keys: str) -> None:
        self.tmux("send-keys", "-t", name, *keys)

    def wait(self, name: str, condition: Callable[[str], object], what: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while True:
            shown = self.screen(name)
            if condition(shown):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{name}: timed out waiting for {what}; the screen:\n{shown}")
            time.sleep(0.05)

    def settled(self, name: str, still: float = 0.6) -> str:
        """The screen once it has not changed for `still` seconds."""
        shown, since, deadline = self.screen(name), time.monotonic(), time.monotonic() + TIMEOUT
        while time.monotonic() - since < still:
            assert time.monotonic() < deadline, f"{name}: the screen never settled"
            time.sleep(0.1)
            again = self.screen(name)
            if again != shown:
                shown, since = again, time.monotonic()
        return shown

    def stop(self) -> None:
        subprocess.run(["tmux", "-L", self.server, "kill-server"], capture_output=True)


@pytest.fixture
def terminals() -> Iterator[Terminals]:
    shown = Terminals()
    try:
        yield shown
    finally:
        shown.stop()


@pytest.fixture
def socket_path() -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix="nnt", dir="/tmp")
    yield os.path.join(folder, "class.sock")
    shutil.rmtree(folder, ignore_errors=True)


def step_of(screen: str, language: str) -> int | None:
    found = HEAD[language].search(screen)
    return int(found.group(1)) if found else None


def panel(screen: str, language: str) -> list[str]:
    """The teacher panel's lines, from its head line to the footer (left out), each up to a
    toast's border (the toast "Broadcasting to the class at ..." covers the right of the teacher's)."""
    lines = screen.rstrip("\n").split("\n")
    start = next(i for i, line in enumerate(lines) if HEAD[language].search(line))
    return [line.split("▌")[0].rstrip() for line in lines[start:-1]]


def same_panel(student: list[str], teacher: list[str]) -> bool:
    """Each of the teacher's lines begins the student's (what the toast leaves of it)."""
    return len(student) == len(teacher) and all(s.startswith(t) for s, t in zip(student, teacher))


def inputs_line(screen: str) -> str:
    """Lesson 1's line with the inputs (x1 = 0    x2 = 1), right of the plot."""
    return re.search(r"x1 = \S+ +x2 = \S+", screen).group(0)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_student_terminal_shows_the_teachers_screen_step_by_step(terminals, socket_path, language):
    following, on_own, gone = BANNER[language]
    terminals.start("teacher", "--lang", language, "--teach", "1", "--broadcast", socket_path)
    terminals.wait("teacher", lambda s: step_of(s, language) == 1, "step 1")
    terminals.settled("teacher")
    terminals.start("student", "--lang", language, "--follow", socket_path)
    terminals.wait("student", lambda s: following in s and step_of(s, language) == 1, "the student on step 1")
    hostile = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)  # sends garbage, never reads
    hostile.connect(socket_path)
    hostile.setblocking(False)
    try:
        hostile.send(b"\x00garbage\n" * 4096)
    except BlockingIOError:
        pass
    for step in range(2, 6):
        terminals.keys("teacher", "Enter")
        terminals.wait("teacher", lambda s: step_of(s, language) == step, f"the teacher on step {step}")
        teacher = terminals.settled("teacher")  # the step's keys are pressed one by one; Enter meanwhile is ignored
        student = terminals.wait(
            "student",
            lambda s: step_of(s, language) == step and same_panel(panel(s, language), panel(teacher, language))
            and inputs_line(s) == inputs_line(teacher),
            f"the student showing step {step} as the teacher does:\n{teacher}",
        )
        assert student.split("\n")[0].strip().startswith(following)
    # The student's keys are held while following; F7 breaks off, F8 rejoins.
    before = inputs_line(student)
    terminals.keys("student", "a")
    time.sleep(0.5)
    assert inputs_line(terminals.screen("student")) == before
    terminals.keys("student", "F7")
    terminals.wait("student", lambda s: on_own in s, "the banner saying on your own")
    terminals.keys("student", "a")
    terminals.wait("student", lambda s: inputs_line(s) != before, "the student's own change")
    terminals.keys("student", "F8")
    terminals.wait("student", lambda s: following in s and inputs_line(s) == before, "the teacher's state again")
    hostile.close()
    # The teacher quits: the student says so, and follows the teacher that comes back.
    terminals.keys("teacher", "q")
    terminals.wait("student", lambda s: gone in s, "the banner saying the teacher stopped")
    terminals.tmux("kill-session", "-t", "teacher")
    terminals.start("teacher", "--lang", language, "--teach", "1", "--broadcast", socket_path)
    terminals.wait("student", lambda s: following in s and step_of(s, language) == 1, "the student following again")
    terminals.keys("student", "q")
    terminals.keys("teacher", "q")
    terminals.wait("teacher", lambda s: not os.path.exists(socket_path), "the socket removed as the teacher quits")
