"""A lesson's state document in a file: saved whole or not at all, read as if hostile.

A teacher hands out "start here" files and a student hands in "this is where
I got stuck": `save_state` writes a lesson's `document()` as JSON, and
`read_state` reads one back for `open_document`. The file is JSON, never
pickle: reading one runs nothing.

Saving writes a temporary file in the same folder and renames it over the
target (a crash never leaves half a file), keeps the mode of the file it
replaces (else the user's umask applies, as for any new file) and refuses
to replace anything but a regular file. Reading refuses a file that is not
a regular file, is larger than `MAX_STATE_BYTES`, is not UTF-8 JSON, nests
deeper than the classroom protocol allows, or is not a state document (a
table with ``nn_tui`` and ``lesson``); the lesson's `restore` checks the rest.

Errors are `StateFileError`s (a `Refusal`): a ``code`` (``file.*``) and
values the UI words from its catalogue (`nn_tui.tui.classroom.text`).
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

from nn_tui.core.refusal import Refusal
from nn_tui.tui.classroom.protocol import MAX_MESSAGE_BYTES, ProtocolError, check_depth

#: The largest state file read: the largest document a teacher can broadcast.
MAX_STATE_BYTES = MAX_MESSAGE_BYTES
SUFFIX = ".nnstate.json"


class StateFileError(Refusal):
    """A state file not saved or not read. Codes: ``file.not_found``, ``file.not_file``,
    ``file.too_large`` (values: size, limit), ``file.not_json``, ``file.not_state``,
    ``file.cannot_read`` / ``file.cannot_save`` (values: error, the errno's name);
    every code has the value ``path``.
    """


def default_name(lesson_mode: str) -> str:
    """The file a save suggests, in the current folder: named after the lesson."""
    return f"{lesson_mode or 'nn-tui'}{SUFFIX}"


def save_state(path: str | os.PathLike[str], document: Mapping[str, object]) -> Path:
    """Write `document` to `path` atomically; returns the path written."""
    path = Path(os.path.expanduser(os.fspath(path)))
    where = str(path)
    try:
        text = json.dumps(document, ensure_ascii=False, allow_nan=False, indent=1)
    except (TypeError, ValueError, RecursionError):
        raise StateFileError("file.not_state", path=where) from None
    data = text.encode("utf-8") + b"\n"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise StateFileError("file.cannot_save", path=where, error=_name(error)) from None
    if mode is not None and not stat.S_ISREG(mode):
        raise StateFileError("file.not_file", path=where)
    folder = path.parent
    temporary = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        # 0o666: the umask applies, as for any new file the user saves.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise StateFileError("file.cannot_save", path=where, error=_name(error)) from None
    try:
        with os.fdopen(fd, "wb") as file:
            if mode is not None:
                os.chmod(temporary, stat.S_IMODE(mode))
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as error:
        _discard(temporary)
        raise StateFileError("file.cannot_save", path=where, error=_name(error)) from None
    except BaseException:
        _discard(temporary)
        raise
    return path


def read_state(path: str | os.PathLike[str]) -> dict[str, object]:
    """The state document in the file at `path`, checked as far as a file can be (see the module)."""
    path = os.path.expanduser(os.fspath(path))
    try:
        # O_NONBLOCK: a FIFO put where a state file was expected must not hang the app.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise StateFileError("file.not_found", path=path) from None
    except OSError as error:
        raise StateFileError("file.cannot_read", path=path, error=_name(error)) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise StateFileError("file.not_file", path=path)
    with os.fdopen(fd, "rb") as file:
        if info.st_size > MAX_STATE_BYTES:
            raise StateFileError("file.too_large", path=path, size=info.st_size, limit=MAX_STATE_BYTES)
        try:
            data = file.read(MAX_STATE_BYTES + 1)  # the file may have grown since fstat
        except OSError as error:
            raise StateFileError("file.cannot_read", path=path, error=_name(error)) from None
    if len(data) > MAX_STATE_BYTES:
        raise StateFileError("file.too_large", path=path, size=len(data), limit=MAX_STATE_BYTES)
    try:
        document = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
        check_depth(document)
    except (UnicodeDecodeError, ValueError, RecursionError, ProtocolError):
        raise StateFileError("file.not_json", path=path) from None
    if not isinstance(document, dict) or "nn_tui" not in document or not isinstance(document.get("lesson"), str):
        raise StateFileError("file.not_state", path=path)
    return document


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _discard(temporary: Path) -> None:
    try:
        os.unlink(temporary)
    except OSError:
        pass


def _name(error: OSError) -> str:
    return errno.errorcode.get(error.errno or 0, type(error).__name__)
