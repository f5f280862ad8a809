"""What a user sees when nn-tui meets a bug: one sentence, and the details in a log file."""

from __future__ import annotations

import os
import traceback
from datetime import datetime, timezone
from pathlib import Path


def crash_log_path() -> Path:
    """Beside the download cache: $NN_TUI_CACHE_DIR/../crash.log, else ~/.cache/nn-tui/crash.log."""
    if os.environ.get("NN_TUI_CACHE_DIR"):
        return Path(os.environ["NN_TUI_CACHE_DIR"]).parent / "nn-tui-crash.log"
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
    except OSError:
        return f"nn-tui stopped on an unexpected error ({what}); please report it."
    return f"nn-tui stopped on an unexpected error ({what}); the details are in {path}, please report it."
