"""What a user sees when nn-tui meets a bug, or when its output has nowhere to go.

A bug: one sentence, and the details in a log file. Standard output that
cannot be written -- the reader of a pipe has gone (`nn-tui train --json |
head -1`), or the disk is full -- is not a bug: ``guarded_stdout`` tells its
errors apart from any other ``OSError`` (they become ``OutputFailed``) and
``output_failed`` ends the command as a shell tool does: quietly with 141
(128 + SIGPIPE) for a closed pipe, one sentence for anything else.
"""

from __future__ import annotations

import os
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

# What a shell reports for a program that SIGPIPE stopped (128 + 13).
CLOSED_PIPE = 141


def crash_log_path() -> Path:
    """Inside the download cache: $NN_TUI_CACHE_DIR/nn-tui-crash.log, else ~/.cache/nn-tui/crash.log.

    Inside, not beside: the folder named by NN_TUI_CACHE_DIR is the one
    nn-tui was given to write in; its parent may be anyone's.
    """
    if os.environ.get("NN_TUI_CACHE_DIR"):
        return Path(os.environ["NN_TUI_CACHE_DIR"]) / "nn-tui-crash.log"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nn-tui" / "crash.log"


def crash_message(error: BaseException) -> str:
    """Append the traceback to the crash log; return the one line to print instead of it."""
    what = f"{type(error).__name__}: {error}".strip().rstrip(":").splitlines()[0]
    path = crash_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now(timezone.utc).isoformat()}\n")
            log.write("".join(traceback.format_exception(error)))
            # A worker's failure wraps the real error, whose frames say where it happened.
            inner = getattr(error, "error", None)
            if isinstance(inner, BaseException) and inner is not error.__cause__:
                log.write("The worker's own error:\n" + "".join(traceback.format_exception(inner)))
    except OSError:
        return f"nn-tui stopped on an unexpected error ({what}); please report it."
    return f"nn-tui stopped on an unexpected error ({what}); the details are in {path}, please report it."


class OutputFailed(Exception):
    """Standard output could not be written; ``error`` is the OSError (BrokenPipeError for a closed pipe)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class guarded_stdout:  # noqa: N801 - used like a file object
    """sys.stdout (looked up on each call), whose write and flush errors are ``OutputFailed``.

    Give it to a rich Console as its file, or write to it: an ``OSError``
    from the output then cannot be mistaken for one from reading data or
    saving a file.
    """

    def _stream(self) -> TextIO:
        return sys.stdout

    def write(self, text: str) -> int:
        try:
            return self._stream().write(text)
        except OSError as error:
            raise OutputFailed(error) from error

    def flush(self) -> None:
        try:
            self._stream().flush()
        except OSError as error:
            raise OutputFailed(error) from error

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding, ...
        return getattr(self._stream(), name)


def output_failed(failure: OutputFailed, command: str) -> int:
    """End a command whose output failed: the exit code, after one sentence unless the pipe was closed.

    Standard output is pointed at /dev/null first, so the text still
    buffered in it cannot fail again when Python exits.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    if isinstance(failure.error, BrokenPipeError):
        return CLOSED_PIPE
    reason = failure.error.strerror or str(failure.error)
    print(f"{command}: cannot write the output ({reason}); nothing more was written.", file=sys.stderr)
    return 1
