"""The hardening figures: faults survived / tried per area (run on demand).

    python benchmarks/bench_hardening.py [--soak]

Each fault is one test case (a parametrised case is one fault): a crafted
checkpoint, a hostile teacher script, a probe of `nn-tui serve`, a random-key
session in a real terminal, a terminal size or environment. A fault is
survived when its test passes: the app refuses it with one sentence, keeps
its state, and writes nothing the user did not ask for. The script runs the
areas' tests with pytest and prints one table row per area, then the
pseudo-terminal monkey's key count and wall time as the monkey printed them.
`--soak` adds the three long monkey sessions (about 5 minutes more).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# area -> the pytest selections whose cases are its faults
AREAS: dict[str, list[str]] = {
    "checkpoint files (lesson 6 `o`, `--init-from`)": [
        "tests/core/data/test_checkpoint_crafted.py",
        "tests/core/data/test_checkpoint_files.py",
        "tests/hardening/test_checkpoints.py",
    ],
    "teacher script files": [
        "tests/tui/test_teacher_script.py",
        "tests/tui/test_teacher.py::test_a_broken_script_shows_the_message_and_does_not_start",
        "tests/tui/test_teacher.py::test_a_step_typing_into_a_missing_field_is_reported",
    ],
    "`nn-tui serve` probes (origin, size, sessions, host)": [
        "tests/test_serve_guard.py",
        "tests/test_cli_serve.py",
        "tests/test_serve_page.py",
    ],
    "random keys (headless, and in a real terminal)": [
        "tests/hardening/test_monkey.py",
        "tests/hardening/test_pty_monkey.py",
        "tests/tui/test_textual_private.py",
    ],
    "terminals and environments (sizes, NO_COLOR, dumb, memory, threads, data)": [
        "tests/hardening/test_terminals.py",
        "tests/hardening/test_tiny_terminals.py",
        "tests/hardening/test_data_faults.py",
        "tests/hardening/test_bad_input.py",
        "tests/hardening/test_no_traceback.py",
        "tests/hardening/test_quit.py",
        "tests/test_cli_memory.py",
        "tests/test_threads.py",
    ],
}

MONKEY_LINE = re.compile(r"pty monkey: seed \d+ passed: (\d+) keys in ([\d.]+) s")


def run_area(selections: list[str], soak: bool, report: Path) -> tuple[int, list[str], list[tuple[int, float]], float]:
    marker = "" if soak else "not soak"
    command = [sys.executable, "-m", "pytest", "-q", "-n", "2", "-m", marker,
               "-o", "junit_logging=system-out", f"--junit-xml={report}", *selections]
    start = time.monotonic()
    subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    cases = ET.parse(report).getroot().iter("testcase")
    tried, failed = 0, []
    for case in cases:
        outcomes = {child.tag for child in case}
        if "skipped" in outcomes:
            continue
        tried += 1
        if outcomes & {"failure", "error"}:
            failed.append(f"{case.get('classname')}::{case.get('name')}")
    monkey = [(int(keys), float(seconds)) for keys, seconds in MONKEY_LINE.findall(report.read_text())]
    return tried, failed, monkey, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soak", action="store_true", help="add the long pseudo-terminal monkey sessions")
    args = parser.parse_args()
    print(f"{'area':<76} survived / tried   wall")
    monkeys: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        for n, (area, selections) in enumerate(AREAS.items()):
            tried, failed, monkey, elapsed = run_area(selections, args.soak, Path(folder, f"{n}.xml"))
            monkeys += monkey
            survived = tried - len(failed)
            share = 100 * survived / tried if tried else 0
            print(f"{area:<76} {survived:>4} / {tried:<4} ({share:.0f}%)  {elapsed:5.0f} s")
            for name in failed:
                print(f"    not survived: {name}")
    for keys, seconds in monkeys:
        print(f"pseudo-terminal monkey session: {keys} keys in {seconds:.1f} s ({keys / seconds:.0f} keys/s)")


if __name__ == "__main__":
    main()
