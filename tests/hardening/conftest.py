"""Shared by the hardening suites: which lessons exist, and how a failure is noticed.

Every suite here iterates over `all_lessons()`, so a lesson is covered the
day its folder lands.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from textual.message import Message
from textual.worker import Worker, WorkerState

from nn_tui.tui.lessons import all_lessons

def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking `lesson` runs once per lesson folder."""
    if "lesson" in metafunc.fixturenames:
        metafunc.parametrize("lesson", [pytest.param(item, id=item.mode) for item in all_lessons()])


@dataclass
class Failures:
    """Errors the app swallowed but a user would meet: worker errors, error stops of training."""

    seen: list[str] = field(default_factory=list)

    def hook(self, message: Message) -> None:
        """A `run_test(message_hook=...)`: sees every message of every pump."""
        if isinstance(message, Worker.StateChanged) and message.state == WorkerState.ERROR:
            worker = message.worker
            if not _expected_worker_error(worker):
                self.seen.append(f"worker {worker.name!r} (group {worker.group!r}) failed: {worker.error!r}")
        # Lesson 6's TrainingStopped carries reason "error" when the training loop raised.
        if type(message).__name__ == "TrainingStopped" and getattr(message, "reason", None) == "error":
            self.seen.append(f"training stopped by an error: {getattr(message, 'error', None)}")


def _expected_worker_error(worker: Worker) -> bool:
    """A data loader refusing a bad folder is a message to the user, not a bug."""
    return worker.group == "data" and isinstance(worker.error, (OSError, ValueError))


@pytest.fixture
def failures() -> Failures:
    return Failures()


@pytest.fixture(autouse=True)
def _sandbox(tmp_path, monkeypatch) -> Iterator[None]:
    """Keys like w (save), e (export) or a screenshot write files: make the working folder and HOME temp ones.

    The download cache and the crash log point there too, so nothing outside the test is read or written.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))  # the palette's "Save screenshot" writes to ~/Downloads
    monkeypatch.setenv("NN_TUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NN_TUI_MNIST_DIR", raising=False)
    yield



class PtyProcess:
    """`nn-tui` in a real pseudo-terminal: what a student's SSH session runs."""

    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.master = master
        self.output = bytearray()
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave,
            env=env, start_new_session=True, close_fds=True,
        )
        os.close(slave)

    def read(self, seconds: float) -> None:
        """Collect output for up to `seconds` (less if the process ends)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the child closed the terminal
                    return
                if not chunk:
                    return
                self.output += chunk
            elif self.process.poll() is not None:
                return

    def wait_for(self, text: str, timeout: float) -> float:
        """Seconds until `text` appears in the output (as drawn, escape codes removed)."""
        start = time.monotonic()
        while text not in self.text():
            assert time.monotonic() - start < timeout, f"{text!r} did not appear; got: {self.text()[-500:]!r}"
            assert self.process.poll() is None, f"nn-tui ended early: {self.text()[-2000:]}"
            self.read(0.05)
        return time.monotonic() - start

    def send(self, data: str) -> None:
        os.write(self.master, data.encode())

    def text(self) -> str:
        plain = re.sub(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-B]|\x1b[=>78]",
                       b"", bytes(self.output))
        return plain.decode("utf-8", "replace")

    def exit_code(self, timeout: float) -> int | None:
        """The exit code within `timeout` seconds, else None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read(0.05)
            code = self.process.poll()
            if code is not None:
                self.read(0.2)
                return code
        return None

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # only the session this test started
            self.process.wait(5)
        os.close(self.master)


@pytest.fixture
def spawn_tui(tmp_path):
    """Start `python -m nn_tui ARGS` (or `python PYTHON... ARGS`) in a pty; killed at the end if still running."""
    started: list[PtyProcess] = []

    def spawn(*args: str, size: tuple[int, int] = (80, 24), python: list[str] | None = None,
              **env: str) -> PtyProcess:
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "TEXTUAL"))}
        environment.pop("NO_COLOR", None)
        environment.pop("NN_TUI_MNIST_DIR", None)
        environment.update({"TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1]),
                            "NN_TUI_CACHE_DIR": str(tmp_path / "cache"), **env})
        command = [sys.executable, *(python or ["-m", "nn_tui"]), *args]
        process = PtyProcess(command, environment, size)
        started.append(process)
        return process

    yield spawn
    for process in started:
        process.close()
