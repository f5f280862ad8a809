"""The teacher's side of the class's pictures: a painter for each picture a student asks for.

`Painters(class_path).ask(picture)` starts `python -m nn_tui.tui.classroom.painter`
for a picture nobody paints yet, in the teacher's session and as the
teacher's user, so a student's terminal only shows what the teacher's nn-tui
drew. At most `MAX_PAINTERS` run (a class has a few terminal sizes, not
thirty); a student whose picture finds no painter follows with its own app.
A painter that stopped is started again when asked, at most once every
`RESTART_AFTER` seconds. Asking never waits: the painter starts on its own.

The painters stop with the teacher: `close` ends their standard input (and
a teacher that crashed ends it too), then terminates any still running.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import stat
import subprocess
import sys
import time

from nn_tui.tui.classroom.picture import Picture, feed_path

log = logging.getLogger(__name__)

MAX_PAINTERS = 8
RESTART_AFTER = 5.0
#: How long a painter may take to stop once told (seconds).
STOP_WAIT = 3.0


class Painters:
    """The painters of the class at `class_path` (see the module's docstring)."""

    def __init__(self, class_path: str, *, max_painters: int = MAX_PAINTERS) -> None:
        self.class_path = class_path
        self.max_painters = max_painters
        self.running: dict[Picture, asyncio.subprocess.Process] = {}
        self._started_at: dict[Picture, float] = {}
        self._starting: set[Picture] = set()
        self._closed = False

    def ask(self, picture: Picture) -> None:
        """A student asked for `picture`: start its painter unless one runs (or may not)."""
        # A painter that stopped paints nothing and takes no place among the most that may run.
        self.running = {shown: process for shown, process in self.running.items() if process.returncode is None}
        if picture in self.running:
            return
        if self._closed or picture in self._starting or feed_path(self.class_path, picture) is None:
            return
        if len(self.running) + len(self._starting) >= self.max_painters:
            return
        if time.monotonic() - self._started_at.get(picture, -RESTART_AFTER) < RESTART_AFTER:
            return
        self._starting.add(picture)
        self._started_at[picture] = time.monotonic()
        asyncio.get_running_loop().create_task(self._start(picture))

    async def _start(self, picture: Picture) -> None:
        try:
            process = await asyncio.create_subprocess_exec(
                *self.command(picture),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=self.environment(picture),
                start_new_session=True,  # the teacher's Ctrl+C is the teacher's, not the painters'
            )
        except OSError:
            log.exception("could not start the painter of %s", picture.name)
            return
        finally:
            self._starting.discard(picture)
        if self._closed:
            await _stop(process)
        else:
            self.running[picture] = process

    def command(self, picture: Picture) -> list[str]:
        command = [sys.executable, "-m", "nn_tui.tui.classroom.painter", self.class_path, picture.language,
                   str(picture.width), str(picture.height), picture.colors]
        with contextlib.suppress(OSError):  # the pictures may be watched by whoever may follow
            command += ["--mode", f"{stat.S_IMODE(os.stat(self.class_path).st_mode):o}"]
        return command

    @staticmethod
    def environment(picture: Picture) -> dict[str, str]:
        environ = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "TEXTUAL_DRIVER")}
        environ.update(
            TEXTUAL_COLOR_SYSTEM="256" if picture.colors == "none" else picture.colors,
            COLUMNS=str(picture.width),
            LINES=str(picture.height),
            OPENBLAS_NUM_THREADS="1",
        )
        if picture.colors == "none":
            environ["NO_COLOR"] = "1"
        return environ

    async def close(self) -> None:
        self._closed = True
        running, self.running = list(self.running.values()), {}
        await asyncio.gather(*(_stop(process) for process in running))


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.stdin is not None:
        process.stdin.close()
    try:
        await asyncio.wait_for(process.wait(), STOP_WAIT)
    except asyncio.TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            await asyncio.wait_for(process.wait(), STOP_WAIT)
        except asyncio.TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
