"""One picture of the teacher's lesson for every student whose terminal is alike: what a student asks for.

Thirty students following the teacher at 80x24 in English would each build
and draw the same screen, thirty times on the same cores. Instead a *painter*
(`painter`), an nn-tui in the teacher's session following the teacher, draws
it once per `Picture` (language, size, colours), and every student's terminal
shows the bytes it draws (`viewer`). A student's own app is built only when it
breaks off with F7.

A student asks for its picture with one line on the teacher's socket
(`request_line`, at most `MAX_REQUEST_BYTES`); the teacher starts the painter
(`painters`), which serves the picture on a socket beside the teacher's,
at `feed_path`. Asking changes nothing in the teacher's app.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass

from nn_tui.tui.classroom.protocol import VERSION, ProtocolError
from nn_tui.tui.classroom.socket_file import MAX_PATH_BYTES
from nn_tui.tui.i18n import LANGUAGES

#: The longest request line, newline excluded.
MAX_REQUEST_BYTES = 256
#: What a terminal can show: 24-bit, 256 or 16 colours (Rich's names), or no colour (NO_COLOR).
COLORS = ("truecolor", "256", "standard", "none")
#: The sizes a painter draws at (columns, rows): any terminal from tiny to a projector's.
WIDTHS = range(10, 501)
HEIGHTS = range(5, 201)


@dataclass(frozen=True)
class Picture:
    """What a student's terminal needs: the app's language, its size, its colours."""

    language: str
    width: int
    height: int
    colors: str

    @property
    def name(self) -> str:
        return f"{self.language}-{self.width}x{self.height}-{self.colors}"


def request_line(picture: Picture) -> bytes:
    """The line a student writes on the teacher's socket to ask for `picture`."""
    asked = {"language": picture.language, "width": picture.width, "height": picture.height, "colors": picture.colors}
    return json.dumps({"nn_tui_class": VERSION, "picture": asked}, separators=(",", ":")).encode() + b"\n"


def read_request(line: bytes) -> Picture:
    """The picture a request line asks for; `ProtocolError("bad_request")` for anything else."""
    try:
        if len(line) > MAX_REQUEST_BYTES:
            raise ValueError
        request = json.loads(line.decode("utf-8"))
        asked = request["picture"]
        if request.get("nn_tui_class") != VERSION or not isinstance(asked, dict) or set(asked) != set(_FIELDS):
            raise ValueError
        language, width, height, colors = (asked[field] for field in _FIELDS)
        if (
            language not in LANGUAGES
            or colors not in COLORS
            or type(width) is not int
            or type(height) is not int
            or width not in WIDTHS
            or height not in HEIGHTS
        ):
            raise ValueError
    except (ValueError, TypeError, KeyError, UnicodeDecodeError, RecursionError):
        raise ProtocolError("bad_request") from None
    return Picture(language, width, height, colors)


_FIELDS = ("language", "width", "height", "colors")


def feed_path(class_path: str, picture: Picture) -> str | None:
    """Where the painter of `picture` serves it, beside the teacher's socket; None if too long a path."""
    path = f"{class_path}.{picture.name}"
    return path if len(os.fsencode(path)) <= MAX_PATH_BYTES else None


def terminal_colors(environ: Mapping[str, str]) -> str:
    """The colours of the terminal the environment describes, as Rich (so Textual) detects them."""
    if "NO_COLOR" in environ:
        return "none"
    if environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return "truecolor"
    colors = environ.get("TERM", "").strip().lower().rpartition("-")[2]
    return "256" if colors in ("256color", "kitty") else "standard"
