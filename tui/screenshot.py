"""Handouts: an SVG picture of the screen as it is, saved to a chosen folder."""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import App

from nn_tui.tui.i18n import Strings

TEXT = Strings(
    {
        "screenshot.saved": ("Saved {path}", "已保存 {path}"),
        "screenshot.failed": (
            "Could not save a screenshot in {folder}: {reason}",
            "无法在 {folder} 保存截图：{reason}",
        ),
    }
)

# Where handouts go unless `--screenshots DIR` says otherwise.
ENV_FOLDER = "NN_TUI_SCREENSHOT_DIR"


def screenshot_folder(chosen: str | os.PathLike[str] | None = None) -> Path:
    """The folder chosen on the command line, else $NN_TUI_SCREENSHOT_DIR, else the current one."""
    return Path(chosen or os.environ.get(ENV_FOLDER) or ".").expanduser()


def save_handout(app: App, folder: Path, language: str) -> tuple[bool, str]:
    """Save the screen as SVG in `folder`; (ok, a sentence for the user)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = app.save_screenshot(path=str(folder))
    except OSError as error:
        return False, TEXT.get("screenshot.failed", language, folder=folder, reason=error.strerror or error)
    return True, TEXT.get("screenshot.saved", language, path=path)
