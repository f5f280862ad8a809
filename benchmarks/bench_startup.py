"""Start-up time and memory of `nn-tui`, measured in a real pseudo-terminal (run on demand).

    python benchmarks/bench_startup.py [--runs 5] [--mnist-dir DIR]

1. time to first frame: from starting the process to the home screen drawn
   (its lesson list read back from the terminal), over several runs;
2. peak memory (VmHWM, the resident set's high-water mark) of the app with
   lesson 6 open and full MNIST loaded (picked in its Data set field), and
   of the core alone loading full MNIST, for comparison.

Targets: first frame <= 0.8 s, peak RSS <= 200 MB.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

FIRST_FRAME_TARGET = 0.8
MEMORY_TARGET_MB = 200
DEFAULT_MNIST = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"
ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-B]|\x1b[=>78]")


class Terminal:
    """`nn-tui ARGS` in an 80x24 pseudo-terminal."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.master, self.output = master, bytearray()
        self.started = time.perf_counter()
        self.process = subprocess.Popen([sys.executable, "-m", "nn_tui", *args], stdin=slave, stdout=slave,
                                        stderr=slave, env=env, start_new_session=True)
        os.close(slave)

    def wait_for(self, text: str, timeout: float) -> float:
        """Seconds from the start of the process until `text` is on the terminal."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if select.select([self.master], [], [], 0.005)[0]:
                self.output += os.read(self.master, 65536)
                if text in ESCAPES.sub(b"", bytes(self.output)).decode("utf-8", "replace"):
                    return time.perf_counter() - self.started
        raise TimeoutError(f"{text!r} did not appear within {timeout} s")

    def send(self, keys: str, gap: float = 0.3) -> None:
        for key in keys.split():
            os.write(self.master, {"tab": "\t", "enter": "\r", "down": "\x1b[B", "escape": "\x1b"}.get(key, key).encode())
            time.sleep(gap)

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024

    def close(self) -> None:
        os.write(self.master, b"q")
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NN_TUI_MNIST_DIR", "NO_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS="80", LINES="24", **extra)
    return env


def first_frame(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        terminal = Terminal([], environment())
        try:
            times.append(terminal.wait_for("Perceptron & logic gates", timeout=30))
        finally:
            terminal.close()
    return times


def app_memory_with_full_mnist(mnist_dir: Path) -> tuple[float, float, float]:
    """(seconds until full MNIST is loaded in lesson 6, peak RSS in MB then, and after 5 s of training)."""
    terminal = Terminal(["--lesson", "6"], environment(NN_TUI_MNIST_DIR=str(mnist_dir)))
    try:
        terminal.wait_for("READY", timeout=60)
        start = time.perf_counter()
        # f: the setup form; tab x3: its scroll area, Preset, Data set; Enter opens it, down + Enter: full MNIST.
        terminal.send("f tab tab tab enter down enter")
        terminal.wait_for("MNIST: 60,000 train", timeout=120)
        loaded, rss = time.perf_counter() - start, terminal.peak_rss_mb()
        terminal.send("escape s")
        terminal.wait_for("RUNNING", timeout=30)
        time.sleep(5)
        return loaded, rss, terminal.peak_rss_mb()
    finally:
        terminal.close()


def core_memory_with_full_mnist(mnist_dir: Path) -> float:
    code = ("import resource, sys; from nn_tui.core.data.mnist import load_mnist; d = load_mnist(sys.argv[1]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    result = subprocess.run([sys.executable, "-c", code, str(mnist_dir)], capture_output=True, text=True, check=True)
    return float(result.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mnist-dir", type=Path, default=Path(os.environ.get("NN_TUI_MNIST_DIR") or DEFAULT_MNIST))
    args = parser.parse_args()

    times = first_frame(args.runs)
    median = statistics.median(times)
    print(f"first frame: median {median:.3f} s, min {min(times):.3f} s, max {max(times):.3f} s "
          f"over {len(times)} runs (target <= {FIRST_FRAME_TARGET} s): {'ok' if median <= FIRST_FRAME_TARGET else 'OVER'}")
    if not (args.mnist_dir / "train-images-idx3-ubyte.gz").is_file():
        print(f"full MNIST not found in {args.mnist_dir}: memory not measured")
        return 0
    core_mb = core_memory_with_full_mnist(args.mnist_dir)
    print(f"core alone, full MNIST loaded: peak RSS {core_mb:.0f} MB")
    seconds, app_mb, training_mb = app_memory_with_full_mnist(args.mnist_dir)
    print(f"app, lesson 6 with full MNIST: loaded in {seconds:.1f} s after picking it, peak RSS {app_mb:.0f} MB "
          f"(target <= {MEMORY_TARGET_MB} MB): {'ok' if app_mb <= MEMORY_TARGET_MB else 'OVER'}")
    print(f"app, after 5 s of training on it: peak RSS {training_mb:.0f} MB: "
          f"{'ok' if training_mb <= MEMORY_TARGET_MB else 'OVER'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
