"""A class on one server, as real terminals see it: a teacher, students watching the class's picture.

Every process is `nn-tui` in its own pseudo-terminal; the teacher starts the
painter itself (see nn_tui.tui.classroom.painter). What a student's terminal
shows is read from its pty with the escape codes taken out.
"""

from __future__ import annotations

import os
import re
import stat
import time

import pytest

from nn_tui.tui.classroom.viewer import LEAVE_SCREEN

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs pseudo-terminals")

TIMEOUT = 60.0  # two shared cores: the teacher, the painter building every lesson, the students
F7, F8 = "\x1b[18~", "\x1b[19~"


#: The 256-colour palette's greys: black, white, the two greys of the 16, and the grey ramp.
GREYS = {0, 7, 8, 15, 16, 231, *range(232, 256)}


def colours(terminal) -> set[int]:
    """The 256-colour codes a terminal was sent (24-bit colours count as -1)."""
    sent = bytes(terminal.output)
    return {int(code) for code in re.findall(rb"[34]8;5;(\d+)", sent)} | ({-1} if re.search(rb"[34]8;2;", sent) else set())


def painters_of(sock: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
        except OSError:
            continue
        if b"nn_tui.tui.classroom.painter" in args and sock.encode() in args:
            found.append(int(entry))
    return found


def wait_until(condition, what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the painters in /proc")
def test_two_students_watch_one_painter_follow_every_step_break_off_rejoin_and_quit(spawn_tui, tmp_path):
    sock = str(tmp_path / "class.sock")
    teacher = spawn_tui("--lesson", "1", "--broadcast", sock)
    wait_until(lambda: os.path.exists(sock), "the teacher's socket")
    students = [spawn_tui("--follow", sock) for _ in range(2)]
    for student in students:
        student.wait_for("Following the teacher — press F7", TIMEOUT)
        student.wait_for("Lesson 1 · Perceptron", TIMEOUT)
    painter = f"{sock}.en-80x24-256"  # TERM=xterm-256color, no COLORTERM: 256 colours
    assert stat.S_ISSOCK(os.stat(painter).st_mode)
    assert len(painters_of(sock)) == 1  # one picture, one painter for both

    teacher.send("g")  # AND -> NAND: each student's terminal shows the new truth table
    for student in students:
        student.wait_for("Truth table · NAND", TIMEOUT)

    first = students[0]
    first.send(F7)  # its own app, from the teacher's state
    first.wait_for("On your own — press F8 to rejoin", TIMEOUT)
    first.wait_for("NAND", TIMEOUT)
    teacher.send("g")  # NAND -> OR: the student on its own stays where it was
    students[1].wait_for("Truth table · OR", TIMEOUT)
    first.read(1.0)
    assert "Truth table · OR" not in first.text()

    first.send(F8)  # back to the class's picture: the whole screen again, now at OR
    start = len(first.text())
    wait_until(lambda: (first.read(0.05), "Truth table · OR" in first.text()[start:])[1], "the rejoined picture")
    assert "Following the teacher — press F7" in first.text()[start:]

    first.send("q")
    assert first.exit_code(TIMEOUT) == 0
    assert bytes(first.output).endswith(LEAVE_SCREEN)  # the terminal is given back as it was

    teacher.send("q")
    assert teacher.exit_code(TIMEOUT) == 0
    students[1].wait_for("The teacher stopped; reconnecting by itself", TIMEOUT)
    wait_until(lambda: not painters_of(sock), "the painter to stop with the teacher")
    assert not os.path.exists(painter)


def test_a_student_in_chinese_and_one_without_colour_get_pictures_of_their_own(spawn_tui, tmp_path):
    sock = str(tmp_path / "class.sock")
    spawn_tui("--lesson", "1", "--broadcast", sock)
    wait_until(lambda: os.path.exists(sock), "the teacher's socket")
    chinese = spawn_tui("--follow", sock, "--lang", "zh")
    plain = spawn_tui("--follow", sock, NO_COLOR="1")
    chinese.wait_for("正在跟随老师", TIMEOUT)
    chinese.wait_for("感知机", TIMEOUT)
    plain.wait_for("Lesson 1 · Perceptron", TIMEOUT)
    assert os.path.exists(f"{sock}.zh-80x24-256") and os.path.exists(f"{sock}.en-80x24-none")
    # NO_COLOR: Textual draws in greys only (its Monochrome filter), as the student's own app would
    assert 0 < len(colours(plain)) and colours(plain) <= GREYS
    assert colours(chinese) - GREYS  # the coloured picture has colours

    chinese.send("l")  # the language key: the English picture
    chinese.wait_for("Following the teacher — press F7", TIMEOUT)
    assert os.path.exists(f"{sock}.en-80x24-256")


def test_a_student_who_starts_before_the_teacher_waits_and_then_watches(spawn_tui, tmp_path):
    sock = str(tmp_path / "class.sock")
    student = spawn_tui("--follow", sock)
    student.wait_for(f"Waiting for the teacher ({sock})", TIMEOUT)
    spawn_tui("--lesson", "3", "--broadcast", sock)
    student.wait_for("Lesson 3", TIMEOUT)
