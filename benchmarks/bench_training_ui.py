"""Lesson 6 under load: does watching training cost training speed, keys or bandwidth?

Run on demand (it takes about a minute):

    .venv/bin/python benchmarks/bench_training_ui.py [--terminal]

Prints three figures, with the targets beside them:

1. throughput: the same seeded run headless (``Trainer.run``) and inside the
   running app (headless ``run_test``), wall clock from start to finish;
   target: the app reaches >= 90% of headless.
2. key latency while training: ``nn-tui --lesson 6`` in a pty, a long run
   going, then f / c pressed alternately; time from writing the key to the
   first output that shows the other section; target p95 <= 50 ms.
3. the charts while training at 80x24, over ~10 s: how often the loss chart
   is redrawn (target >= 2 a second) and the bytes written to the terminal
   per second (target <= 10 KB/s).

With $NN_TUI_MNIST_DIR set, the app in the pty trains on full MNIST, as a
student's would.

OPENBLAS_NUM_THREADS defaults to 1 here (and in the child app): on a busy
two-core machine OpenBLAS's own threads make both sides many times slower.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import asyncio  # noqa: E402
import fcntl  # noqa: E402
import pty  # noqa: E402
import select  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import termios  # noqa: E402
import time  # noqa: E402

from nn_tui.assets import MNIST_SUBSET
from nn_tui.core.data.mnist import load_mnist  # noqa: E402
from nn_tui.core.trainer import TrainConfig, Trainer  # noqa: E402

RUN = TrainConfig(hidden_sizes=(50,), activation="relu", weight_init="he", lr=0.1, batch_size=100,
                  iterations=8000, seed=0)
CHILD_FLAG = "--child"
DRAWS_FILE = "NN_TUI_BENCH_DRAWS"  # the child writes a line there each time it builds the loss chart's picture


# -- 1. throughput -----------------------------------------------------------------------

def headless_seconds(data) -> tuple[float, float]:
    """(wall, CPU) seconds of the run done by Trainer.run."""
    trainer = Trainer(RUN, data)
    start, cpu = time.perf_counter(), time.process_time()
    trainer.run()
    return time.perf_counter() - start, time.process_time() - cpu


async def app_seconds() -> tuple[float, float]:
    """(wall, CPU of the whole process: UI and worker) seconds of the run in the app."""
    from nn_tui.tui.app import NNTuiApp
    from nn_tui.tui.lessons.training.screen import TrainingScreen

    app = NNTuiApp(start_lesson=6)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, TrainingScreen)
        while screen.phase != "ready":
            await pilot.pause(0.05)
        screen.config = RUN
        # Before the key: pilot.press returns only once the app is idle.
        start, cpu = time.perf_counter(), time.process_time()
        await pilot.press("s")
        while screen.phase != "finished":
            await asyncio.sleep(0.005)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert screen.trainer.iteration == RUN.iterations
    return seconds, cpu


def throughput(pairs: int = 4) -> None:
    data = load_mnist(MNIST_SUBSET)
    headless_seconds(data)  # warm up numpy and the caches
    runs = []
    for _ in range(pairs):  # alternate, so a change in machine load hits both
        runs.append((headless_seconds(data), asyncio.run(app_seconds())))
    wall = statistics.median(h[0] / a[0] for h, a in runs)
    cpu = statistics.median(h[1] / a[1] for h, a in runs)
    best_headless = min(h[0] for h, _ in runs)
    best_app = min(a[0] for _, a in runs)
    samples = RUN.iterations * RUN.batch_size
    print(f"throughput   {RUN.iterations:,} iterations of 784-50-10, batch 100: headless "
          f"{samples / best_headless:,.0f} samples/s, in the app {samples / best_app:,.0f} samples/s (best runs); "
          f"app/headless speed, median of {pairs} alternating pairs: {wall:.0%} by wall clock, "
          f"{cpu:.0%} by CPU time (target >= 90%)")
    print("             pairs (wall s headless/app):",
          ", ".join(f"{h[0]:.2f}/{a[0]:.2f}" for h, a in runs))


# -- 2 and 3. the app in a pty ---------------------------------------------------------------

def child() -> None:
    """The app as a student runs it, but starting on a long preset."""
    from nn_tui.core.presets import Preset
    from nn_tui.tui.app import NNTuiApp
    from nn_tui.tui.lessons.training import screen as training
    from nn_tui.tui.lessons.training.charts import LossChart

    # The first preset, made long enough to be still running at the end.
    long = Preset(training.START_PRESET, "", RUN.replace(iterations=1_000_000))
    training.get_preset = lambda name: long
    draws = open(os.environ[DRAWS_FILE], "a", buffering=1)
    picture = LossChart._picture

    def counted(chart, width, height):
        draws.write(f"{time.monotonic()}\n")
        return picture(chart, width, height)

    LossChart._picture = counted
    NNTuiApp(start_lesson=6).run()


class Terminal:
    def __init__(self, columns: int = 80, rows: int = 24) -> None:
        self.draws = tempfile.NamedTemporaryFile("r", prefix="nn-tui-draws-", suffix=".txt")
        os.environ[DRAWS_FILE] = self.draws.name
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["TERM"] = "xterm-256color"
            os.execv(sys.executable, [sys.executable, __file__, CHILD_FLAG])
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.buffer = bytearray()

    def read(self, seconds: float) -> int:
        """Read for `seconds`; return the bytes read."""
        end = time.monotonic() + seconds
        total = 0
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                total += len(chunk)
                self.buffer += chunk
        return total

    def wait_for(self, text: str, timeout: float = 10.0) -> float:
        """Seconds until `text` appears in output read from now on."""
        self.buffer.clear()
        start = time.monotonic()
        needle = text.encode()
        while needle not in self.buffer:
            if time.monotonic() - start > timeout:
                raise TimeoutError(f"{text!r} did not appear")
            ready, _, _ = select.select([self.fd], [], [], 0.5)
            if ready:
                self.buffer += os.read(self.fd, 65536)
        return time.monotonic() - start

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def close(self) -> None:
        self.send("q")
        self.read(1.0)
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        self.draws.close()

    def chart_draws(self) -> int:
        """Loss chart pictures built so far."""
        with open(self.draws.name) as lines:
            return sum(1 for _ in lines)


def key_latencies(term: Terminal, presses: int = 40) -> list[float]:
    """Seconds from each key to the output showing its section, sorted."""
    latencies = []
    for n in range(presses):
        # Setup shows the form's labels; Charts the plot's title.
        key, text = ("c", "loss per iteration") if n % 2 == 0 else ("f", "Learning rate")
        start = time.monotonic()
        term.send(key)
        term.wait_for(text)
        latencies.append(time.monotonic() - start)
        term.read(0.2)
    return sorted(latencies)


def describe(latencies: list[float]) -> str:
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    return (f"median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms")


def in_a_terminal() -> None:
    term = Terminal()
    try:
        term.wait_for("Learning rate", timeout=30)
        if b"READY" not in term.buffer:  # the data set loads (full MNIST with $NN_TUI_MNIST_DIR: seconds)
            term.wait_for("READY", timeout=120)
        term.read(1.0)
        idle = key_latencies(term, 20)
        term.send("s")
        term.wait_for("RUNNING")
        term.read(1.0)
        busy = key_latencies(term)
        print(f"key latency  f/c section switch while training: {describe(busy)} (target p95 <= 50 ms); "
              f"the same with no training: {describe(idle)}")
        term.send("c")
        term.read(1.0)
        seconds = 10.0
        draws = term.chart_draws()
        total = term.read(seconds)
        draws = term.chart_draws() - draws
        still = b"RUNNING" in term.buffer or b"FINISHED" not in term.buffer
        print(f"charts       loss chart redrawn {draws / seconds:.1f} times a second (target >= 2); "
              f"{total / seconds / 1024:.1f} KB/s written to the terminal at 80x24 over {seconds:.0f} s of "
              f"training on the charts (target <= 10 KB/s){'' if still else ' - NOTE: the run ended early'}")
    finally:
        term.close()


if __name__ == "__main__":
    if CHILD_FLAG in sys.argv:
        child()
    else:
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
              f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
        if "--terminal" not in sys.argv:  # --terminal: the pty figures (2 and 3) alone, in half a minute
            throughput()
        in_a_terminal()
