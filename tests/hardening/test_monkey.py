"""Monkey test: thousands of seeded random keys through the real app must never break it.

Each run sends keys in small bursts (as a fast typist or key auto-repeat
does) and checks after every burst that the app has not crashed, that no
worker died with an uncaught exception and that lesson 6's training loop was
not stopped by an error. On a failure the message names the seed and the
last 30 keys; replay one run with `NN_TUI_MONKEY_SEED=<seed>`.

q and ctrl+q are never pressed (they quit). Other ways out (the command
palette's "Quit") end the run cleanly: a new app is started and the keys go on.
A run on one lesson stays on it (no digits outside fields, no h, no palette),
so what breaks is that lesson; the run across lessons does all of that.
"""

from __future__ import annotations

import os
import random
import traceback
from collections import deque
from dataclasses import dataclass, field

import pytest
from textual.app import App
from textual.widgets import Input

from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.lessons import Lesson, all_lessons
from nn_tui.tui.textual_private import key_event

# Key counts of the soak run (`-m soak`); every run of the suite sends QUICK_SHARE of them.
QUICK_SHARE = 0.08
KEYS_PER_LESSON = 1000
CROSS_LESSON_KEYS = 2300
TEACHER_RUN_KEYS = 400
TRAINING_KEYS = 300
BURST = 40  # keys sent before the app is given time to catch up
SIZE = (80, 24)

LETTERS = [c for c in "abcdefghijklmnoprstuvwxyz"]  # no q: it quits
NAVIGATION = ["up", "down", "left", "right", "tab", "shift+tab", "enter", "escape", "backspace", "space",
              "home", "end", "pageup", "pagedown", "delete"]
SYMBOLS = ["+", "-", "[", "]", "?", ".", ",", "=", "<", ">", "*", "/"]
# Teacher mode's keys (ctrl+t starts it, f6 sizes its panel) have their own run below.
TEACHER_KEYS = ["ctrl+t", "f6"]
FUNCTION_KEYS = [f"f{n}" for n in range(1, 13) if f"f{n}" not in TEACHER_KEYS]
CONTROL_KEYS = [f"ctrl+{c}" for c in "abdefghklnoprsuvwxyz"] + ["ctrl+left", "ctrl+right", "ctrl+c"]
DIGITS = [str(d) for d in range(10)]
# What a student might type into a field, good and bad.
TOKENS = ["0", "1", "-1", "0.5", "42", "3.14159", "1e-4", "100", "nan", "inf", "-inf", "1e999", "1e308",
          "abc", "", "1,5", "   ", "2,3", "0.01", "-0", "9" * 12, "1e-320"]

assert not {"q", "ctrl+q"} & {*LETTERS, *CONTROL_KEYS}


@dataclass
class Monkey:
    """A seeded random keyboard; remembers the last keys for the failure message."""

    seed: int
    lesson: Lesson | None  # None: wander across `wander` (lesson numbers)
    wander: tuple[int, ...] = tuple(item.number for item in all_lessons())
    extra_keys: tuple[str, ...] = ()
    rng: random.Random = field(init=False)
    sent: int = 0
    typing_next: bool = False
    last: deque = field(default_factory=lambda: deque(maxlen=30))

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def send(self, app: App, key: str) -> None:
        event = key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)
        self.sent += 1
        self.last.append(key)

    def burst(self, app: App) -> None:
        """About BURST keys: single keys mostly, sometimes text typed into a field."""
        rng = self.rng
        if self.typing_next:  # typing is a burst of its own, once the app has caught up
            self.typing_next = False
            self.type_text(app)
            return
        count = 0
        # Between bursts the student mostly leaves a field or closes help/the palette, so that
        # letters are lesson keys again (a screen also focuses its first field when shown again).
        if isinstance(app.focused, Input) and rng.random() < 0.8:
            app.screen.set_focus(None)
            self.last.append("<leave field>")
        elif len(app.screen_stack) > 1 and rng.random() < 0.7:
            self.send(app, "escape")
            count += 1
        while count < BURST:
            roll = rng.random()
            if roll < 0.10:
                # Focusing a field takes effect at once, before the keys already queued are
                # handled: type in the next burst.
                self.typing_next = True
                return
            if self.lesson is None and roll < 0.26:
                key = rng.choice([*map(str, self.wander), "h"])  # wander across the lessons
            elif roll < 0.20:
                key = rng.choice(LETTERS)
            elif roll < 0.22:
                key = rng.choice(["l", "?"])  # recompose in the other language; help overlay
            elif roll < 0.27:
                key = rng.choice(FUNCTION_KEYS + CONTROL_KEYS + list(self.extra_keys))
                if self.lesson is not None and key == "ctrl+p":
                    key = "f5"  # one lesson's run stays on it: the palette could open another
            elif roll < 0.50:
                key = rng.choice(NAVIGATION)
            elif roll < 0.58:
                key = rng.choice(SYMBOLS)
            else:
                key = rng.choice(LETTERS)
            self.send(app, key)
            count += 1

    def type_text(self, app: App) -> int:
        """Focus a field that tab would reach (if any) and type a token into it, then Enter or tab."""
        fields = [w for w in app.screen.focus_chain if isinstance(w, Input)]
        token = self.rng.choice(TOKENS)
        if fields:
            target = self.rng.choice(fields)
            target.focus()
            self.last.append(f"<focus #{target.id}>")
        for char in token:
            self.send(app, char)
        self.send(app, self.rng.choice(["enter", "enter", "tab", "escape"]))
        if self.rng.random() < 0.5:
            self.send(app, "escape")  # most lessons leave the field on Esc: letters are keys again
            return len(token) + 2
        return len(token) + 1


def our_frames(error: BaseException) -> str:
    """The traceback's frames in nn_tui (where to look), or its last frames."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/nn_tui/" in f.filename or "/work/main/" in f.filename] or frames[-3:]
    return "".join(traceback.format_list(ours[-6:]))


def describe(monkey: Monkey, why: str) -> str:
    where = monkey.lesson.mode if monkey.lesson else "all lessons"
    return (f"{why}\nmonkey seed {monkey.seed} on {where}, after {monkey.sent} keys "
            f"(replay: NN_TUI_MONKEY_SEED={monkey.seed}); last keys: {' '.join(monkey.last)}")


async def run_monkey(monkey: Monkey, total: int, failures, before_burst=None) -> int:
    """Send `total` keys; fail on a crash, a dead worker or a training error. Returns the apps started.

    `before_burst(app, monkey)`, if given, runs before every burst (e.g. to keep training going).
    """
    starts = 0
    start_lesson = monkey.lesson.number if monkey.lesson else None
    while monkey.sent < total:
        app = NNTuiApp(start_lesson=start_lesson)
        starts += 1
        assert starts < 50, describe(monkey, "the app quit over and over")
        try:
            async with app.run_test(size=SIZE, message_hook=failures.hook) as pilot:
                while monkey.sent < total and app.is_running and app._exception is None:
                    if before_burst is not None:
                        before_burst(app, monkey)
                    monkey.burst(app)
                    await pilot.pause()
                    if failures.seen:
                        pytest.fail(describe(monkey, "; ".join(failures.seen)))
                    if monkey.lesson is not None and app.is_running and app.current_mode != monkey.lesson.mode:
                        app.switch_mode(monkey.lesson.mode)  # stay on the lesson under test
                        monkey.last.append(f"<back to {monkey.lesson.mode}>")
                        await pilot.pause()
        except pytest.fail.Exception:
            raise
        except Exception as error:  # noqa: BLE001 - the crash itself is the finding: report it with the keys
            raise AssertionError(describe(monkey, f"the app crashed: {type(error).__name__}: {error}\n"
                                                  f"{our_frames(error)}")) from error
        assert app._exception is None, describe(monkey, f"the app crashed: {app._exception!r}")
    return starts


def seed_for(name: str) -> int:
    override = os.environ.get("NN_TUI_MONKEY_SEED")
    return int(override) if override else sum(ord(c) * 31**i for i, c in enumerate(name)) % 100_000




#: `share` of each run's keys: a quick share in every run of the suite, all of them in the soak.
SHARES = [pytest.param(QUICK_SHARE, id="quick"), pytest.param(1.0, id="soak", marks=pytest.mark.soak)]


def keys(total: int, share: float) -> int:
    return max(BURST, round(total * share))


@pytest.mark.parametrize("share", SHARES)
async def test_monkey_on_each_lesson(lesson: Lesson, share, failures):
    monkey = Monkey(seed_for(lesson.mode), lesson)
    await run_monkey(monkey, keys(KEYS_PER_LESSON, share), failures)
    assert monkey.sent >= keys(KEYS_PER_LESSON, share)


# Three shorter walks instead of one long one, so `-n 2` can share them out.
CROSS_LESSON_PARTS = 3


@pytest.mark.parametrize("share", SHARES)
@pytest.mark.parametrize("part", range(CROSS_LESSON_PARTS))
async def test_monkey_across_all_lessons(part, share, failures):
    total = keys(-(-CROSS_LESSON_KEYS // CROSS_LESSON_PARTS), share)
    monkey = Monkey(seed_for(f"across-all-{part}"), None)
    await run_monkey(monkey, total, failures)
    assert monkey.sent >= total


@pytest.mark.parametrize("share", SHARES)
async def test_monkey_with_teacher_keys(share, failures):
    monkey = Monkey(seed_for("teacher"), None, extra_keys=tuple(TEACHER_KEYS) * 4)
    await run_monkey(monkey, keys(TEACHER_RUN_KEYS, share), failures)
    assert monkey.sent >= keys(TEACHER_RUN_KEYS, share)


@pytest.mark.parametrize("share", SHARES)
async def test_monkey_while_training_on_lesson_6(share, failures):
    """Random keys while a run is going: whenever lesson 6 is idle, Esc and s start a run again."""
    training = next((item for item in all_lessons() if item.mode == "training"), None)
    busy_bursts = 0

    def keep_training(app: App, monkey: Monkey) -> None:
        nonlocal busy_bursts
        screen = app.screen
        trainer = getattr(screen, "trainer", None)
        if getattr(screen, "busy", False) or (trainer is not None and trainer.iteration > 0):
            busy_bursts += 1  # running now, or has run (a quick run may end between two bursts)
        if not getattr(screen, "busy", False) and getattr(screen, "phase", None) not in (None, "loading"):
            monkey.send(app, "escape")
            monkey.send(app, "s")

    monkey = Monkey(seed_for("training-running"), training)
    # At least three bursts: the data loads, a run starts, and the next burst finds it busy.
    await run_monkey(monkey, max(keys(TRAINING_KEYS, share), 3 * BURST), failures, before_burst=keep_training)
    assert busy_bursts > 0, "training never ran during the monkey run"


# --- the monkey itself notices what it must -------------------------------------------------


async def test_the_monkey_reports_a_crash_with_its_seed_and_keys(monkeypatch, failures):
    perceptron = all_lessons()[0]
    screen_class = perceptron.load_screen()

    def broken(self, *args) -> None:
        raise RuntimeError("planted bug")

    # A bug behind every typed weight: the monkey's typed numbers must reach it.
    monkeypatch.setattr(screen_class, "on_number_input_accepted", broken)
    with pytest.raises(AssertionError, match=r"(?s)planted bug.*monkey seed 7 on perceptron.*last keys: \S"):
        await run_monkey(Monkey(7, perceptron), 400, failures)


async def test_the_monkey_notices_a_worker_that_died(failures):
    def dies() -> None:
        raise ZeroDivisionError("in a worker")

    app = NNTuiApp()
    async with app.run_test(size=SIZE, message_hook=failures.hook) as pilot:
        worker = app.run_worker(dies, thread=True, exit_on_error=False, group="anything")
        while not worker.is_finished:
            await pilot.pause(0.01)
        await pilot.pause()
    assert any("ZeroDivisionError" in seen for seen in failures.seen)
