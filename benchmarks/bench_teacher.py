"""Teacher mode's step time at 80x24: how long Enter and Backspace take (run on demand).

    python benchmarks/bench_teacher.py [LESSON ...]

For every shipped script (or the lessons named), in the real app driven
headless at 80x24: Enter through every step (the first walk, which presses
each step's keys and records its state), Backspace back to the first step,
then Enter through them again (from the recorded states). A step's time is
from the key to the step shown with the teacher idle again (the lesson's
own workers may go on: a training run started by `s` is not waited for).
Prints one row per lesson and per direction, then the median and max over
all steps of all scripts, and how often the lesson was built afresh and its
steps pressed again (lesson 6 comes back from its in-memory snapshots: once,
never). The goal: at most 300 ms a step.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.teacher.script import LESSONS, shipped_script

SIZE = (80, 24)
GOAL_MS = 300


async def step_times(number: int) -> tuple[dict[str, list[float]], tuple[int, int]]:
    """Milliseconds per step (first walk forward, back, forward again); lesson builds and replays."""
    times: dict[str, list[float]] = {"forward (first walk)": [], "back": [], "forward again": []}
    app = NNTuiApp(teach=number)
    async with app.run_test(size=SIZE) as pilot:
        teacher = app.teacher
        await teacher.wait()
        await pilot.pause()

        async def timed(key: str, into: str) -> None:
            start = time.perf_counter()
            await pilot.press(key)
            await teacher.wait()
            times[into].append((time.perf_counter() - start) * 1000)
            if teacher.last_error:
                raise SystemExit(f"lesson {number}: {teacher.last_error}")

        length = len(shipped_script(number))
        for _ in range(length - 1):
            await timed("enter", "forward (first walk)")
        for _ in range(length - 1):
            await timed("backspace", "back")
        for _ in range(length - 1):
            await timed("enter", "forward again")
        rebuilt = (teacher.rebuilds, teacher.replays)
    return times, rebuilt


def row(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:<34} (no steps)"
    return f"{label:<34} median {statistics.median(values):7.0f} ms   max {max(values):7.0f} ms   steps {len(values)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", type=int, default=list(LESSONS))
    lessons = parser.parse_args().lessons
    every: dict[str, list[float]] = {}
    print(f"teacher-mode step time at {SIZE[0]}x{SIZE[1]} (goal: at most {GOAL_MS} ms a step)")
    for number in lessons:
        times, (rebuilds, replays) = asyncio.run(step_times(number))
        for direction, values in times.items():
            print(row(f"lesson {number} {direction}", values))
            every.setdefault(direction, []).extend(values)
        print(f"lesson {number}: lesson built {rebuilds} time(s), steps replayed {replays} time(s)")
        sys.stdout.flush()
    print()
    for direction, values in every.items():
        print(row(f"all lessons, {direction}", values))
    print(row("all lessons, every step", [v for values in every.values() for v in values]))


if __name__ == "__main__":
    main()
