"""Random keys through the real `nn-tui` in a pseudo-terminal, while lesson 6 trains on full MNIST.

The headless monkey (test_monkey.py) sends Key events straight into the app;
this one writes bytes to a real pty, as a student's terminal does: escape
sequences are parsed by Textual's driver, keys arrive 5-40 ms apart (faster
than the app redraws), and the process itself must survive -- a crash that
only shows as an exit code, a line on stderr or a crash log is caught here.

Each session starts `nn-tui --lesson 6` with NN_TUI_MNIST_DIR set, starts
training (s), then sends seeded random keys: lesson switches (1-7, h),
language switches (l), help (?), teacher mode (ctrl+t, F6, Enter,
Backspace), F12 screenshots (into a temporary folder), the command palette
(ctrl+p), navigation, letters, symbols and numbers typed into fields.
q, ctrl+q and ctrl+c are never sent (they quit), and the palette is never
left open with an Enter that could pick its "Quit" entry: once it is drawn
(its search icon appears), it is either closed with Escape or used with a
query that cannot match "Quit", then closed with Escape.

Under load an Escape can still merge with the next key (alt+key) and leave
the palette open; if random keys then pick its "Quit" (exit code 0, no crash
log, the entry on screen), a new app takes the next keys, as in the headless
monkey. The test fails when the process otherwise ends before the final q, when "Traceback",
a Python "...Error" or the crash sentence appears in the terminal, when a
crash log is written, or when q (answered with y if it asks) does not end the app with exit code 0. The
message names the seed and the last keys; replay a session with
NN_TUI_PTY_MONKEY_SEED=<seed>.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

# -- the keys, as a terminal (xterm) sends them ---------------------------------------

ESC = "\x1b"
KEY_BYTES: dict[str, str] = {
    "enter": "\r", "tab": "\t", "shift+tab": "\x1b[Z", "backspace": "\x7f", "escape": ESC, "space": " ",
    "up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D",
    "shift+up": "\x1b[1;2A", "shift+down": "\x1b[1;2B", "ctrl+left": "\x1b[1;5D", "ctrl+right": "\x1b[1;5C",
    "home": "\x1b[H", "end": "\x1b[F", "pageup": "\x1b[5~", "pagedown": "\x1b[6~",
    "delete": "\x1b[3~", "insert": "\x1b[2~",
    "f1": "\x1bOP", "f2": "\x1bOQ", "f3": "\x1bOR", "f4": "\x1bOS", "f5": "\x1b[15~", "f6": "\x1b[17~",
    "f7": "\x1b[18~", "f8": "\x1b[19~", "f9": "\x1b[20~", "f10": "\x1b[21~", "f11": "\x1b[23~",
    "f12": "\x1b[24~",
}
# ctrl+c and ctrl+q quit (ctrl+c asks to); ctrl+h/i/j/m are backspace/tab/enter.
CONTROL_KEYS = [f"ctrl+{c}" for c in "abdefgklnoprsuvwxyz"]
KEY_BYTES.update({key: chr(ord(key[-1]) - 96) for key in CONTROL_KEYS})

LETTERS = list("abcdefghijklmnoprstuvwxyz")  # no q: it quits
NAVIGATION = ["up", "down", "left", "right", "tab", "shift+tab", "enter", "escape", "backspace", "space",
              "home", "end", "pageup", "pagedown", "delete", "shift+up", "shift+down", "ctrl+left", "ctrl+right"]
SYMBOLS = list("+-[].,=<>*/!#%")
LESSON_KEYS = [*"1234567", "h"]
TEACHER_KEYS = ["ctrl+t", "f6", "enter", "enter", "backspace"]
OTHER_KEYS = [f"f{n}" for n in range(1, 12)] + ["insert"] + [k for k in CONTROL_KEYS if k not in ("ctrl+p", "ctrl+t")]
# What a student might type into a field, good and bad.
TOKENS = ["0", "1", "-1", "0.5", "42", "3.14159", "1e-4", "100", "nan", "inf", "-inf", "1e999", "abc", "1,5",
          "0.01", "-0", "999999999999", "1e-320", "   "]
# Palette queries none of which matches "Quit the application" (each has a letter Quit lacks, or
# letters in an order Quit lacks): Enter after one of them never quits.
PALETTE_QUERIES = [*(f"lesson {n}" for n in range(1, 8)), "home", "language", "help", "teach", "theme", "keys",
                   "screenshot", "课"]

QUITTING = {"q", "ctrl+q", "ctrl+c"}
assert not QUITTING & {*LETTERS, *NAVIGATION, *SYMBOLS, *LESSON_KEYS, *TEACHER_KEYS, *OTHER_KEYS}
assert all(set(query) - set("quit the application") or query in ("help", "home", "teach")
           for query in PALETTE_QUERIES)

# What a crash leaves in the terminal: a traceback, an exception's name, the app's crash sentence.
CRASH_TEXT = re.compile(r"Traceback|\b[A-Za-z]*Error\b|unexpected error|stopped on an")
ANSI = re.compile(rb"\x1b\[[0-9;?<>=:]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-B]|\x1b[=>78]")

KEY_GAP = (0.005, 0.040)  # seconds between keys
ESCAPE_PAUSE = 0.15  # a lone Escape needs Textual's ESCDELAY (100 ms) of quiet to be one
SIZES = [(80, 24), (120, 36), (100, 30)]
KEEP_OUTPUT = 1 << 16
# A focused field may take a q as text: Escape and q again. The wait is long
# because the last keys open lesson 6 and start training on full MNIST while
# another session does the same on the two cores: once (1 in 7 soak sessions)
# the app had not drawn lesson 6 after 3 x 5 s.
QUIT_TRIES, QUIT_WAIT = 3, 20.0
PALETTE_WAIT = 2.0
ASK_WAIT = 1.0  # for q to end the app or to ask first
MAX_RESTARTS = 3
PALETTE_QUIT = "Quit the application as soon as possible"  # Textual's palette entry
TRAIN_AGAIN = 300  # keys between trips back to lesson 6 to start training again


def base_seed(name: str) -> int:
    override = os.environ.get("NN_TUI_PTY_MONKEY_SEED")
    return int(override) if override else sum(ord(c) * 31**i for i, c in enumerate(name)) % 100_000


@dataclass
class PtyMonkey:
    """Seeded random keys written to a `PtyProcess`; fails with the seed and the last keys."""

    tui: object
    seed: int
    cache: Path
    rng: random.Random = field(init=False)
    sent: int = 0
    palette_open: bool = False
    last: deque = field(default_factory=lambda: deque(maxlen=80))  # (time.time(), key)
    scanned: int = 0  # bytes of tui.output already searched for crash text
    icon_drawn: bool = False  # the palette's search icon was drawn since the last ctrl+p

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    # -- sending ---------------------------------------------------------------

    def press(self, key: str, gap: float | None = None, fast: bool = False) -> None:
        self.tui.send(KEY_BYTES.get(key, key))
        self.sent += 1
        self.last.append((time.time(), key))
        if key == "escape" and not fast:
            # Quiet after Escape makes it one key (not alt+<next key>): it closes the palette
            # (and the theme list it may have opened).
            self.palette_open = False
            gap = max(gap or 0.0, ESCAPE_PAUSE)
        self.pause(gap if gap is not None else self.rng.uniform(*KEY_GAP))

    def pause(self, seconds: float) -> None:
        self.tui.read(seconds)
        self.check()

    def step(self) -> None:
        """One key, or a short gesture (typing a token, using the palette)."""
        rng = self.rng
        if self.palette_open:
            # Typing filters the list; never Enter after random letters (it could pick "Quit").
            roll = rng.random()
            if roll < 0.3:
                self.press("escape")
            else:
                self.press(rng.choice([*LETTERS, "up", "down", "pageup", "pagedown", "backspace", "tab", "space"]))
            return
        roll = rng.random()
        if roll < 0.10:
            self.press(rng.choice(LESSON_KEYS))
        elif roll < 0.14:
            self.press(rng.choice(["l", "?"]))
        elif roll < 0.19:
            self.press(rng.choice(TEACHER_KEYS))
        elif roll < 0.20:
            self.press("f12")
        elif roll < 0.215:
            self.use_palette()
        elif roll < 0.24:
            self.type_token()
        elif roll < 0.28:
            self.press(rng.choice(OTHER_KEYS))
        elif roll < 0.50:
            # A fast Escape is a real gesture too (it may become alt+<next key>).
            self.press(rng.choice(NAVIGATION), fast=rng.random() < 0.5)
        elif roll < 0.58:
            self.press(rng.choice(SYMBOLS))
        else:
            self.press(rng.choice(LETTERS))

    def type_token(self) -> None:
        """Tab to something (maybe a field), type a number or junk, then Enter, tab or Escape."""
        self.press("tab")
        for char in self.rng.choice(TOKENS):
            self.press(char)
        self.press(self.rng.choice(["enter", "tab", "escape"]))

    def use_palette(self) -> None:
        """ctrl+p, then either a safe query and Enter, or a few keys and Escape (see `step`)."""
        self.icon_drawn = False
        self.press("ctrl+p")
        # Wait until it is drawn: an Escape that comes before the palette is mounted leaves it
        # open, and later keys (Enter) could pick its "Quit". It may not open at all (while
        # teacher mode enters a step).
        deadline = time.monotonic() + PALETTE_WAIT
        while not self.icon_drawn:
            if time.monotonic() > deadline:
                return
            self.pause(0.02)
        self.palette_open = True
        if self.rng.random() < 0.5:
            return  # random typing in the palette, closed by Escape
        query = self.rng.choice(PALETTE_QUERIES)
        for char in query:
            self.press(char)
        self.pause(0.4)  # the palette searches in the background: let the matches arrive
        self.press("enter", gap=0.3)
        self.press("enter")  # nothing highlighted yet: the first Enter highlights, this one picks
        # The palette may still be open (no match: another language; the theme entry opens a
        # second palette; the pick may be slow): Escape, or later keys could pick "Quit".
        self.press("escape")

    def keep_training(self) -> None:
        """Back to lesson 6 and start training again (random keys may have stopped it)."""
        for key in ("escape", "escape", "6"):
            self.press(key)
        self.press("s", gap=0.1)

    # -- checking --------------------------------------------------------------

    def check(self) -> None:
        """Fail on a crash: the process ended, crash text on screen, or a crash log."""
        output = self.tui.output
        start = max(0, self.scanned - 200)  # a word split over two reads
        text = ANSI.sub(b"", bytes(output[start:])).decode("utf-8", "replace")
        found = CRASH_TEXT.search(text)
        self.icon_drawn = self.icon_drawn or "🔎" in text
        self.scanned = len(output)
        if len(output) > 2 * KEEP_OUTPUT:
            del output[:-KEEP_OUTPUT]
            self.scanned = len(output)
        if found:
            self.tui.read(1.0)  # the rest of the message
            self.fail(f"crash text {found.group(0)!r} in the terminal")
        code = self.tui.process.poll()
        if code is not None:
            self.tui.read(0.3)
            recent = ANSI.sub(b"", bytes(self.tui.output[-KEEP_OUTPUT:])).decode("utf-8", "replace")
            if code == 0 and PALETTE_QUIT in recent and not self.crash_log().exists():
                raise PaletteQuit  # random keys picked the palette's Quit: a way out, not a crash
            self.fail(f"nn-tui ended before the final q (exit code {code})")
        if self.sent % 25 == 0 and self.crash_log().exists():
            self.fail("a crash log was written")

    def crash_log(self) -> Path:
        return self.cache / "nn-tui-crash.log"

    def fail(self, why: str) -> None:
        self.tui.read(0.5)
        tail = ANSI.sub(b"", bytes(self.tui.output[-6000:])).decode("utf-8", "replace")
        tail = "\n".join(line.rstrip() for line in tail.splitlines() if line.strip())[-2500:]
        log = self.crash_log().read_text(encoding="utf-8")[-4000:] if self.crash_log().exists() else "(none)"
        pytest.fail(
            f"{why}\npty monkey seed {self.seed} after {self.sent} keys "
            f"(replay: NN_TUI_PTY_MONKEY_SEED={self.seed}); last keys: {self.last_keys(log)}\n"
            f"--- crash log:\n{log}\n--- end of the terminal output:\n{tail}",
            pytrace=False,
        )

    def last_keys(self, log: str) -> str:
        """The last keys; those sent after the crash log's first entry follow a marker.

        The app takes a moment to stop after a crash, and keys go on meanwhile.
        """
        stamp = re.search(r"^--- (\S+)$", log, re.MULTILINE)
        crashed = datetime.fromisoformat(stamp.group(1)).timestamp() if stamp else None
        words: list[str] = []
        for sent, key in self.last:
            if crashed is not None and sent > crashed:
                words.append("<<crash log written (the app was closing)>>")
                crashed = None
            words.append(key)
        return " ".join(words)

    def quit(self) -> tuple[int | None, float]:
        """Close what may be open, then q; a few tries (a focused field takes a q as text).

        Returns the exit code (None: still running) and the seconds since the first q.
        """
        first_q = None
        for _ in range(QUIT_TRIES):
            for _ in range(2):
                self.tui.send(KEY_BYTES["escape"])
                self.last.append((time.time(), "escape"))
                code = self.tui.exit_code(timeout=ESCAPE_PAUSE)
                if code is not None and first_q is None:
                    self.fail(f"nn-tui ended before the final q (exit code {code})")
                if code is not None:
                    return code, time.monotonic() - first_q
            self.tui.send("q")
            self.last.append((time.time(), "q (final)"))
            first_q = first_q or time.monotonic()
            code = self.tui.exit_code(timeout=ASK_WAIT)
            if code is None:
                # A run in progress or a network not saved: q asks first, and y answers.
                self.tui.send("y")
                self.last.append((time.time(), "y (quit anyway)"))
                code = self.tui.exit_code(timeout=QUIT_WAIT)
            if code is not None:
                return code, time.monotonic() - first_q
        return None, time.monotonic() - first_q


class PaletteQuit(Exception):
    """nn-tui ended cleanly (0, no crash log) with the palette's Quit entry on screen."""


def run_session(spawn_tui, tmp_path: Path, mnist: Path, seed: int, keys: int, size: tuple[int, int]) -> float:
    """Start nn-tui on lesson 6, train, send `keys` random keys, quit with q. Returns the wall time."""
    cache = tmp_path / f"cache-{seed}"
    shots = tmp_path / f"shots-{seed}"
    shots.mkdir()
    print(f"pty monkey: seed {seed}, {keys} keys, terminal {size[0]}x{size[1]}")
    start = time.monotonic()

    def launch() -> None:
        monkey.tui = tui = spawn_tui("--lesson", "6", size=size, NN_TUI_MNIST_DIR=str(mnist),
                                     NN_TUI_SCREENSHOT_DIR=str(shots), NN_TUI_CACHE_DIR=str(cache))
        monkey.scanned, monkey.palette_open = 0, False
        tui.wait_for("READY", timeout=60)
        monkey.press("s", gap=0.2)
        tui.wait_for("RUNNING", timeout=30)

    monkey = PtyMonkey(None, seed, cache)
    launch()
    next_training, restarts = TRAIN_AGAIN, 0
    while monkey.sent < keys:
        try:
            monkey.step()
            if monkey.sent >= next_training:
                monkey.keep_training()
                next_training += TRAIN_AGAIN
        except PaletteQuit:
            # As in the headless monkey: a way out the keys found; a new app takes the next keys.
            restarts += 1
            print(f"pty monkey: seed {seed}: the palette's Quit was picked after {monkey.sent} keys; restarting")
            if restarts > MAX_RESTARTS:
                monkey.fail(f"the palette's Quit was picked {restarts} times")
            launch()
    tui = monkey.tui
    code, quit_seconds = monkey.quit()
    if code is None:
        monkey.fail(f"q did not end nn-tui ({QUIT_TRIES} tries, {QUIT_WAIT:.0f} s each)")
    tui.read(0.3)
    text = ANSI.sub(b"", bytes(tui.output)).decode("utf-8", "replace")
    if found := CRASH_TEXT.search(text):
        monkey.fail(f"crash text {found.group(0)!r} in the terminal")
    if code != 0:
        monkey.fail(f"q ended nn-tui with exit code {code}")
    if monkey.crash_log().exists():
        monkey.fail("a crash log was written")
    elapsed = time.monotonic() - start
    print(f"pty monkey: seed {seed} passed: {monkey.sent} keys in {elapsed:.1f} s, "
          f"{len(list(shots.glob('*.svg')))} screenshots, q took {quit_seconds:.1f} s, {restarts} palette-Quit restarts")
    return elapsed


def test_pty_monkey_quick(spawn_tui, tmp_path, mnist_dir):
    """300 random keys in a real terminal while lesson 6 trains: every run of the suite."""
    run_session(spawn_tui, tmp_path, mnist_dir, base_seed("pty-quick"), keys=300, size=SIZES[0])


@pytest.mark.soak
@pytest.mark.parametrize("session", range(3))
def test_pty_monkey_soak(spawn_tui, tmp_path, mnist_dir, session):
    """3 sessions x 1500 random keys, each in another terminal size (CI: `pytest -m soak`)."""
    seed = base_seed("pty-soak") + session
    run_session(spawn_tui, tmp_path, mnist_dir, seed, keys=1500, size=SIZES[session % len(SIZES)])
