"""A class on one server: one teacher broadcasting, N students following (run on demand).

    NN_TUI_MNIST_DIR=/path/to/mnist python benchmarks/bench_classroom.py [--n 30] [--no-solo]

Every app is a real `nn-tui` process in its own pseudo-terminal of 80x24, as
over SSH: one `nn-tui --broadcast SOCK` (the teacher) and N `nn-tui --follow
SOCK` (the students). The teacher is walked through lessons 1-7 by keys
(each lesson's key, then a few of its own keys, taken from the shipped
scripts); after each key the bench waits until every student's terminal has
been quiet for `QUIET` seconds, and before each lesson the teacher talks for
`--pause` seconds (6 by default; the students' apps throw away the lesson
they left in such a pause). It prints:

- change-to-follower-screen latency: from the key written to the teacher's
  terminal to the last byte a student's app drew for it (median, p95, max;
  steps within a lesson and lesson switches apart, and all together);
- each student's proportional memory (PSS, /proc/PID/smaps_rollup) after the
  walk (median, max): memory shared by the students (full MNIST's mapped
  images, the Python libraries' pages) counts for its share only;
- idle CPU per student (the class waiting, nobody typing), and the teacher's
  CPU idle and during the walk (compare N = 1 with N = 30 for the extra that
  followers cost the teacher);
- solo: the PSS of one student training full MNIST in lesson 6 (its peak
  while training).

Targets (issue 15): with 30 followers p95 <= 300 ms, PSS <= 60 MB per
follower, idle CPU <= 0.5 % per follower, a student training full MNIST
<= 120 MB PSS. Linux only (ptys, /proc).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import selectors
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass, field

ROWS, COLUMNS = 24, 80
QUIET = 0.4  # a terminal with no output for this long has finished drawing
STEP_TIMEOUT = 30.0
#: Seconds the teacher talks between two lessons (the students' apps tidy up in such pauses: see
#: NNTuiApp.forget_lesson); --pause 0 walks without a break.
PAUSE = 6.0
TICK = os.sysconf("SC_CLK_TCK")
KEYS = {"up": b"\x1b[A", "down": b"\x1b[B", "right": b"\x1b[C", "left": b"\x1b[D", "space": b" ", "minus": b"-",
        "enter": b"\r"}
#: The walk: each lesson's key, then keys of its own that change what it shows (from its shipped script).
WALK: list[tuple[str, list[str]]] = [
    ("1", ["a", "b", "g", "g"]),
    ("2", ["up", "right", "right", "d"]),
    ("3", ["y", "n", "m", "n"]),
    ("4", ["x", "minus", "minus", "p"]),
    ("5", ["space", "space", "space"]),
    ("6", ["n", "n", "c", "n"]),
    ("7", ["n", "d", "n"]),
]


def pss_kb(pid: int) -> int:
    """A process's proportional memory: what it shares with others counts for its share only."""
    with open(f"/proc/{pid}/smaps_rollup") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("Pss:"))


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


@dataclass
class App:
    """One nn-tui process in a pty of 80x24; what it draws is timed, not kept."""

    name: str
    popen: subprocess.Popen
    master: int
    outputs: list[tuple[float, int]] = field(default_factory=list)

    @classmethod
    def start(cls, name: str, *args: str) -> App:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)}
        popen = subprocess.Popen([sys.executable, "-m", "nn_tui", *args], stdin=slave, stdout=slave, stderr=slave,
                                 env=env, start_new_session=True, close_fds=True)
        os.close(slave)
        os.set_blocking(master, False)
        return cls(name, popen, master)

    def press(self, key: str) -> float:
        os.write(self.master, KEYS.get(key, key.encode()))
        return time.monotonic()

    def last_output(self) -> float:
        return self.outputs[-1][0] if self.outputs else 0.0

    def pss_kb(self) -> int:
        return pss_kb(self.popen.pid)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.popen.pid)

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
        os.close(self.master)


@dataclass
class Painter:
    """A painter the teacher started (it draws the class's picture: see nn_tui.tui.classroom.painter)."""

    pid: int
    name: str

    @classmethod
    def of_class(cls, sock: str) -> list[Painter]:
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    args = f.read().split(b"\0")
            except OSError:
                continue
            if b"nn_tui.tui.classroom.painter" in args and sock.encode() in args:
                found.append(cls(int(entry), b"-".join(args[args.index(sock.encode()) + 1:][:4]).decode()))
        return found

    def pss_kb(self) -> int:
        return pss_kb(self.pid)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)


class Drain(threading.Thread):
    """Reads every app's terminal as it draws (an app whose terminal is not read stops), noting when."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.selector = selectors.DefaultSelector()
        self.lock = threading.Lock()
        self.running = True

    def add(self, app: App) -> None:
        with self.lock:
            self.selector.register(app.master, selectors.EVENT_READ, app)

    def run(self) -> None:
        while self.running:
            with self.lock:
                ready = self.selector.select(timeout=0.01) if self.selector.get_map() else []
            if not ready:
                time.sleep(0.005)
            for key, _ in ready:
                app: App = key.data
                try:
                    data = os.read(app.master, 1 << 16)
                except OSError:  # the app ended
                    with self.lock:
                        self.selector.unregister(app.master)
                    continue
                if data:
                    app.outputs.append((time.monotonic(), len(data)))


def wait_quiet(apps: list[App], since: float, timeout: float = STEP_TIMEOUT) -> dict[str, float | None]:
    """When each app last drew after `since`, once all are quiet (None: it drew nothing in time)."""
    deadline = since + timeout
    while time.monotonic() < deadline:
        now = time.monotonic()
        if all(app.last_output() > since and now - app.last_output() >= QUIET for app in apps):
            break
        time.sleep(0.02)
    return {app.name: (app.last_output() if app.last_output() > since else None) for app in apps}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def show_ms(label: str, values: list[float]) -> None:
    if not values:
        print(f"  {label:<28} (none)")
        return
    ms = [v * 1000 for v in values]
    print(f"  {label:<28} median {statistics.median(ms):7.0f} ms   p95 {percentile(ms, 0.95):7.0f} ms   "
          f"max {max(ms):7.0f} ms   ({len(ms)} screens)")


def class_bench(n: int, folder: str, detail: bool = False, pause: float = PAUSE) -> None:
    sock = os.path.join(folder, "class.sock")
    drain = Drain()
    drain.start()
    apps: list[App] = []
    try:
        teacher = App.start("teacher", "--broadcast", sock)
        apps.append(teacher)
        drain.add(teacher)
        deadline = time.monotonic() + 60
        while not os.path.exists(sock):
            assert time.monotonic() < deadline and teacher.popen.poll() is None, "the teacher did not start"
            time.sleep(0.05)
        began = time.monotonic()
        students = []
        for i in range(n):
            student = App.start(f"student{i + 1}", "--follow", sock)
            drain.add(student)
            students.append(student)
            apps.append(student)
        wait_quiet(students, began, timeout=300)
        print(f"  {n} students started and drawn in {time.monotonic() - began:.1f} s")
        time.sleep(1)
        painters = Painter.of_class(sock)
        print(f"  painters (one per picture asked for): {', '.join(p.name for p in painters) or 'none'}")

        teacher_cpu, walk_began = teacher.cpu_seconds(), time.monotonic()
        painters_cpu = sum(painter.cpu_seconds() for painter in painters)
        students_cpu = sum(student.cpu_seconds() for student in students)
        within: list[float] = []
        switches: list[float] = []
        missing = 0
        for lesson_key, keys in WALK:
            time.sleep(pause)  # the teacher talks before opening the next lesson
            for index, key in enumerate([lesson_key, *keys]):
                settle_from = max([app.last_output() for app in apps] + [0.0])
                while time.monotonic() - settle_from < QUIET:  # nobody still drawing the last change
                    time.sleep(0.02)
                    settle_from = max(app.last_output() for app in apps)
                pressed = teacher.press(key)
                drawn = wait_quiet(students, pressed)
                if detail:
                    shown = sorted(when - pressed for when in drawn.values() if when is not None)
                    print(f"    lesson {lesson_key} key {key!r:8}: median {statistics.median(shown) * 1000:6.0f} ms, "
                          f"max {shown[-1] * 1000:6.0f} ms" if shown else f"    lesson {lesson_key} key {key!r}: none")
                for when in drawn.values():
                    if when is None:
                        missing += 1
                    else:
                        (switches if index == 0 else within).append(when - pressed)
        walk_seconds = time.monotonic() - walk_began
        teacher_walk_cpu = teacher.cpu_seconds() - teacher_cpu
        students_walk_cpu = sum(student.cpu_seconds() for student in students) - students_cpu
        painters_walk_cpu = sum(painter.cpu_seconds() for painter in painters) - painters_cpu
        changes = sum(1 + len(keys) for _, keys in WALK)

        time.sleep(6)  # past the idle threshold (no blinking cursor, no spinner)
        before = {app.name: app.cpu_seconds() for app in [*apps, *painters]}
        idle_window = 10.0
        time.sleep(idle_window)
        idle = {app.name: (app.cpu_seconds() - before[app.name]) / idle_window * 100 for app in [*apps, *painters]}
        pss = [student.pss_kb() / 1024 for student in students]
        painters_pss = [painter.pss_kb() / 1024 for painter in painters]

        print(f"  latency, key at the teacher to the student's screen drawn (walk of {walk_seconds:.0f} s, "
              f"{pause:g} s of talk before each lesson):")
        show_ms("steps within a lesson", within)
        show_ms("lesson switches", switches)
        show_ms("all changes", within + switches)
        if missing:
            print(f"  {missing} student screens showed no change within {STEP_TIMEOUT:.0f} s")
        print(f"  student CPU per change shown: {students_walk_cpu / n / changes * 1000:.0f} ms "
              f"({changes} changes; {n} students need {students_walk_cpu / changes:.2f} CPU-s per change "
              f"on {os.cpu_count()} cores)")
        if painters:
            print(f"  painter CPU per change: {painters_walk_cpu / changes * 1000:.0f} ms for all "
                  f"{len(painters)} painter(s); with the students' share "
                  f"{(students_walk_cpu + painters_walk_cpu) / n / changes * 1000:.0f} ms per student")
        print(f"  student PSS: median {statistics.median(pss):.1f} MB, max {max(pss):.1f} MB")
        if painters:
            print(f"  painter PSS: {', '.join(f'{p:.1f}' for p in painters_pss)} MB; per student with the "
                  f"painters' share: {(sum(pss) + sum(painters_pss)) / n:.1f} MB")
        idle_students = [idle[s.name] for s in students]
        print(f"  idle CPU per student: median {statistics.median(idle_students):.2f} %, "
              f"max {max(idle_students):.2f} %")
        if painters:
            print(f"  idle CPU of the painters: {', '.join(f'{idle[p.name]:.2f}' for p in painters)} %")
        print(f"  teacher CPU: idle {idle['teacher']:.2f} %, during the walk {teacher_walk_cpu:.2f} s "
              f"({teacher_walk_cpu / walk_seconds * 100:.1f} % of one core)")
        print(f"  teacher PSS: {teacher.pss_kb() / 1024:.1f} MB")
    finally:
        drain.running = False
        for app in apps:
            app.stop()


def solo_bench() -> None:
    """One student training full MNIST in lesson 6: its PSS while training."""
    drain = Drain()
    drain.start()
    student = App.start("solo", "--lesson", "6")
    drain.add(student)
    try:
        began = time.monotonic()
        wait_quiet([student], began, timeout=120)
        student.press("s")
        peak, until = 0, time.monotonic() + 15
        while time.monotonic() < until and student.popen.poll() is None:
            peak = max(peak, student.pss_kb())
            time.sleep(0.25)
        print(f"  solo, training full MNIST in lesson 6: peak PSS {peak / 1024:.1f} MB "
              f"(alone: the mapped images count whole)")
    finally:
        drain.running = False
        student.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=30, help="students following (default: 30)")
    parser.add_argument("--detail", action="store_true", help="print each change's latency")
    parser.add_argument("--pause", type=float, default=PAUSE,
                        help=f"seconds the teacher talks between two lessons (default: {PAUSE:g})")
    parser.add_argument("--no-solo", dest="solo", action="store_false", help="skip the solo training figure")
    args = parser.parse_args()
    if not sys.platform.startswith("linux"):
        print("bench_classroom: needs Linux (ptys, /proc)", file=sys.stderr)
        return 2
    if not os.environ.get("NN_TUI_MNIST_DIR"):
        print("bench_classroom: set NN_TUI_MNIST_DIR to full MNIST (lesson 6 trains on it)", file=sys.stderr)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    folder = tempfile.mkdtemp(prefix="nnbench", dir="/tmp")
    try:
        print(f"bench_classroom: 1 teacher + {args.n} students, {os.cpu_count()} cores, {COLUMNS}x{ROWS}")
        class_bench(args.n, folder, args.detail, args.pause)
        if args.solo:
            solo_bench()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
