"""Handouts: an SVG picture of the screen as it is, saved to a chosen folder.

The picture is written to a hidden temporary file in the same folder and
renamed to its final name only once it is complete: a full disk, or any other
failure, never leaves a truncated or empty `.svg` behind.
"""

from __future__ import annotations

import html
import os
import re
import secrets
from datetime import datetime
from pathlib import Path

from rich.cells import cell_len
from textual.app import App

from nn_tui.tui.i18n import Strings

TEXT = Strings(
    {
        "screenshot.saved": ("Saved {path}", "已保存 {path}"),
        "screenshot.failed": (
            "Could not save a screenshot in {folder}: {reason}.",
            "无法在 {folder} 保存截图：{reason}。",
        ),
        "screenshot.unknown": ("the system refused to write it", "系统拒绝写入"),
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
        path = folder / handout_name(app.title)
        write_atomically(path, handout_svg(app).encode("utf-8"))
    except OSError as error:
        # The system's words ("No space left on device"), never "[Errno 28] ...".
        reason = error.strerror or TEXT.get("screenshot.unknown", language)
        return False, TEXT.get("screenshot.failed", language, folder=folder, reason=reason)
    return True, TEXT.get("screenshot.saved", language, path=path)


def handout_svg(app: App) -> str:
    """The screen as SVG, with wide characters (Chinese) given the two cells they take on screen."""
    return widen_text_runs(app.export_screenshot())


# One run of text in Rich's SVG: its `textLength` and its (escaped) characters.
_TEXT_RUN = re.compile(r'(<text [^>]*?textLength=")([0-9.]+)("[^>]*>)([^<]*)(</text>)')


def widen_text_runs(svg: str) -> str:
    """Give each `<text>` run the width of its cells, not of its characters.

    Rich 15 sets a run's `textLength` to one cell per character: a browser then
    squeezes "第5课" (5 cells) into 3, and the glyphs overlap until the "5" is
    lost. The run's x positions are right already (Rich counts cells there).
    """

    def widen(match: re.Match[str]) -> str:
        text = html.unescape(match[4])
        characters, cells = len(text), cell_len(text)
        if not characters or cells == characters:
            return match[0]
        cell_width = float(match[2]) / characters
        return f"{match[1]}{format(cell_width * cells, 'g')}{match[3]}{match[4]}{match[5]}"

    return _TEXT_RUN.sub(widen, svg)


def handout_name(title: str) -> str:
    """`<title> <date and time>.svg`, with the characters a file name cannot hold as `_` (as Textual names them)."""
    stem = f"{title} {datetime.now().isoformat()}"
    for reserved in ' <>:"/\\|?*.':
        stem = stem.replace(reserved, "_")
    return f"{stem}.svg"


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: a temporary file in the same folder, then a rename.

    On any error the temporary file is removed and the error raised; a file
    already at `path` is left as it was.
    """
    # Created as open() creates a file (0666 less the umask), not private as mkstemp's.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
