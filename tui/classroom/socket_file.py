"""The socket file at PATH: made without harming anything there, removed only while it is ours.

`create_socket_file` binds a Unix socket at PATH. Whatever is already there
is left alone and refused, except a stale socket of this user's (one that
nobody listens on any more, left by a teacher that crashed), which is
replaced. The permissions are set before the socket listens, so nobody
connects while they are wider than asked. `SocketFile.remove` removes the
file only if it is still the one made here, not a newer teacher's.

Who may follow is who may write to the socket file (Linux checks that on
connect): with the usual umask of 022 that is its owner only; a teacher
gives the class the right with `mode` (0o660 for a group, 0o666 for all).
"""

from __future__ import annotations

import errno
import os
import socket
import stat
import sys
from dataclasses import dataclass

from nn_tui.core.refusal import Refusal

#: The longest path a Unix socket address holds, its final NUL byte excluded.
MAX_PATH_BYTES = 107 if sys.platform.startswith("linux") else 103
#: How long a live teacher at PATH may take to accept the probe that tells it from a stale socket.
PROBE_TIMEOUT = 0.5


class SocketFileError(Refusal):
    """The socket file could not be made: `code` says why.

    Codes: ``path_too_long``; ``not_a_socket`` (a file, a folder or a link is
    there); ``not_ours`` (another user's socket); ``in_use`` (a teacher is
    broadcasting there); ``cannot_create`` (values: error, the errno's name).
    """



@dataclass(frozen=True)
class SocketFile:
    """The socket file made here, known by its device and inode."""

    path: str
    device: int
    inode: int

    def is_still_ours(self) -> bool:
        try:
            info = os.lstat(self.path)
        except OSError:
            return False
        return stat.S_ISSOCK(info.st_mode) and (info.st_dev, info.st_ino) == (self.device, self.inode)

    def remove(self) -> None:
        """Remove the file if it is still the one made here (another teacher may have replaced it)."""
        if self.is_still_ours():
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass


def create_socket_file(path: str | os.PathLike[str], mode: int | None = None) -> tuple[socket.socket, SocketFile]:
    """A bound, not yet listening, non-blocking Unix stream socket at `path`; `SocketFileError` if not."""
    path = os.fspath(path)
    if len(os.fsencode(path)) > MAX_PATH_BYTES:
        raise SocketFileError("path_too_long", length=len(os.fsencode(path)), limit=MAX_PATH_BYTES)
    _clear_stale(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(path)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:  # another teacher took PATH since it was checked
            raise SocketFileError("in_use") from None
        raise SocketFileError("cannot_create", error=_name(error)) from None
    try:
        info = os.lstat(path)
        made = SocketFile(path, info.st_dev, info.st_ino)
        if mode is not None:
            os.chmod(path, mode)
    except OSError as error:
        sock.close()
        os.unlink(path)
        raise SocketFileError("cannot_create", error=_name(error)) from None
    sock.setblocking(False)
    return sock, made


def _clear_stale(path: str) -> None:
    """Remove a stale socket of ours at `path`; refuse anything else that is there."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise SocketFileError("cannot_create", error=_name(error)) from None
    if not stat.S_ISSOCK(info.st_mode):
        raise SocketFileError("not_a_socket")
    if info.st_uid != os.geteuid():
        raise SocketFileError("not_ours", owner=info.st_uid)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(PROBE_TIMEOUT)
        try:
            probe.connect(path)
        except ConnectionRefusedError:  # nobody listens: stale
            pass
        except TimeoutError:  # somebody listens, too busy to accept at once
            raise SocketFileError("in_use") from None
        except OSError as error:
            raise SocketFileError("cannot_create", error=_name(error)) from None
        else:
            raise SocketFileError("in_use")
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise SocketFileError("cannot_create", error=_name(error)) from None


def _name(error: OSError) -> str:
    return errno.errorcode.get(error.errno or 0, type(error).__name__)
