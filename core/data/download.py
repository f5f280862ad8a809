"""Download the four original MNIST files, resumably, and check their sha256.

Each file is fetched into ``<name>.part`` and only renamed to ``<name>``
(``os.replace``, atomic) once its sha256 is the known one, so a final file is
never half-written. What happens to the ``.part``:

- the transfer was interrupted (network error, a server that closes early,
  cancellation): it stays; it is a prefix of the file and the next mirror or
  the next run resumes it with an HTTP Range request (a server that ignores
  Range sends the whole file and the ``.part`` is rewritten from the start);
- the finished file has the wrong sha256, or a server sends more bytes than
  the original has: it is deleted. If the bad file had been resumed, the same
  mirror is tried once more from scratch, since the old prefix may be at fault.

Progress is reported through a callback ``progress(file_name, bytes_done,
bytes_total)``; cancellation is a callable or a ``threading.Event`` checked
between chunks (it raises ``DownloadCancelled`` and keeps the ``.part``).

Two deadlines keep a bad mirror from holding the download for ever: it may
stay silent for at most ``timeout`` seconds at a time (the idle deadline),
and it must deliver a file within ``deadline`` seconds (the overall one, for
a mirror that trickles a byte now and then); either way the next mirror
resumes the ``.part``. A redirect may only lead to another http(s) URL.

One download at a time per folder: ``download_mnist`` holds an exclusive
``fcntl.flock`` on ``.nn-tui-download.lock`` in the folder while it works (the
file holds the process id and is removed at the end). A second download into
the same folder raises ``DownloadBusy`` at once, or with ``wait=True`` waits
for the first one to finish (checking ``cancel`` meanwhile) and then finds
its files verified.
"""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

try:
    import fcntl
except ImportError:  # Windows: no locking
    fcntl = None  # type: ignore[assignment]

from nn_tui.core.data.mnist import KNOWN_FILES, KnownFile, sha256_file

MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
FILE_NAMES: tuple[str, ...] = tuple(known.gz_name for known in KNOWN_FILES.values())
CHUNK = 64 * 1024
USER_AGENT = "nn-tui (MNIST downloader; Python urllib)"
LOCK_NAME = ".nn-tui-download.lock"
# How often a download waiting for another one to finish looks again.
LOCK_POLL = 0.1

Progress = Callable[[str, int, int], None]


class _Event(Protocol):
    def is_set(self) -> bool: ...


class DownloadError(OSError):
    """A download failed; the message says what happened at each mirror."""


class DownloadCancelled(DownloadError):
    """The download was cancelled; a partial ``.part`` file is kept for resuming."""


class DownloadBusy(DownloadError):
    """Another download into the same folder is running (``folder``; ``pid`` if it is known)."""

    def __init__(self, folder: Path, pid: int | None) -> None:
        who = f" (process {pid})" if pid else ""
        super().__init__(f"another download into {folder} is running{who}; wait for it to finish.")
        self.folder, self.pid = folder, pid


class _MirrorFailed(Exception):
    """One mirror could not deliver one file (the reason is the message)."""


def check_mirror(url: str) -> str:
    """A mirror URL ending in "/", or ValueError if it is not http(s)://host/..."""
    parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        shown = shown_url(url) if isinstance(url, str) else url
        raise ValueError(f"a mirror must be an http:// or https:// URL of a folder, got {shown!r}.")
    return url if url.endswith("/") else url + "/"


def shown_url(url: str) -> str:
    """`url` as a message may print it: a user name and password in it are left out."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def download_mnist(
    dest_dir: str | os.PathLike[str],
    mirrors: Sequence[str] = MIRRORS,
    progress: Progress | None = None,
    *,
    timeout: float = 30.0,
    deadline: float = 600.0,
    cancel: Callable[[], bool] | _Event | None = None,
    files: Iterable[str] = FILE_NAMES,
    wait: bool = False,
) -> dict[str, Path]:
    """Download MNIST .gz files into an existing, writable dest_dir; return their paths.

    A file already present with the right sha256 is not downloaded again.
    Mirrors are tried in order; if all fail, ``DownloadError`` lists why.
    ``timeout``: seconds a mirror may send nothing; ``deadline``: seconds it
    has for one file. Another download into dest_dir: ``DownloadBusy``, or
    with ``wait`` wait for it.
    """
    # one URL or one file name given as a plain string means just that one
    mirrors = [check_mirror(url) for url in ([mirrors] if isinstance(mirrors, str) else mirrors)]
    if not mirrors:
        raise ValueError("give at least one mirror URL.")
    wanted = [files] if isinstance(files, str) else list(files)
    unknown = [name for name in wanted if name not in FILE_NAMES]
    if unknown:
        raise ValueError(
            f"unknown MNIST file(s) {', '.join(map(repr, unknown))}; choose from {', '.join(FILE_NAMES)}."
        )
    for value, what in ((timeout, "timeout"), (deadline, "deadline")):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < math.inf:
            raise ValueError(f"{what} must be a positive number of seconds, got {value!r}.")
    dest = Path(dest_dir)
    _check_writable(dest)
    is_cancelled = _cancel_check(cancel)
    report = progress or (lambda name, done, total: None)
    with _folder_lock(dest, wait, is_cancelled):
        return _download_all(dest, mirrors, wanted, report, is_cancelled, timeout, deadline)


def _download_all(
    dest: Path,
    mirrors: list[str],
    wanted: list[str],
    report: Progress,
    is_cancelled: Callable[[], bool],
    timeout: float,
    deadline: float,
) -> dict[str, Path]:
    paths: dict[str, Path] = {}
    for name in wanted:
        known = KNOWN_FILES[name.removesuffix(".gz")]
        final = dest / name
        if final.is_file() and sha256_file(final) == known.gz_sha256:
            report(name, known.gz_size, known.gz_size)
            paths[name] = final
            continue
        part = dest / (name + ".part")
        failures = []
        for mirror in mirrors:
            if is_cancelled():
                raise DownloadCancelled(f"download of {name} cancelled; run it again to resume.")
            try:
                _fetch_verified(mirror + name, part, known, report, is_cancelled, timeout, deadline)
            except _MirrorFailed as failure:
                failures.append(f"{shown_url(mirror)}: {failure}")
                continue
            os.replace(part, final)
            paths[name] = final
            break
        else:
            raise DownloadError(f"could not download {name}: " + "; ".join(failures) + ".")
    return paths


def _check_writable(dest: Path) -> None:
    if not dest.is_dir():
        raise DownloadError(f"the folder {dest} does not exist; create it first.")
    try:
        # os.access says yes to root even on a read-only file system: try it.
        handle, probe = tempfile.mkstemp(dir=dest, prefix=".nn-tui-write-test-")
    except OSError as error:
        raise DownloadError(
            f"cannot write in {dest} ({error.strerror or error}); choose another folder."
        ) from error
    os.close(handle)
    os.unlink(probe)


@contextlib.contextmanager
def _folder_lock(dest: Path, wait: bool, is_cancelled: Callable[[], bool]) -> Iterator[None]:
    """Hold the folder's download lock (DownloadBusy, or wait, if another process has it)."""
    if fcntl is None:
        yield
        return
    path = dest / LOCK_NAME
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if _try_lock(handle):
                try:
                    same = os.path.samestat(os.fstat(handle), os.stat(path))
                except FileNotFoundError:
                    same = False
                if same:
                    break
                # The holder removed the file as it finished: lock the new one.
            elif not wait:
                raise DownloadBusy(dest, _lock_owner(handle))
            elif is_cancelled():
                raise DownloadCancelled(f"waiting for the other download into {dest} was cancelled.")
            else:
                time.sleep(LOCK_POLL)
        except BaseException:
            os.close(handle)
            raise
        os.close(handle)
    try:
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode())
        yield
    finally:
        # Removed while still locked, so a process that opened it meanwhile
        # sees, once it has the lock, that the file is gone and starts over.
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(handle)


def _try_lock(handle: int) -> bool:
    """True if we hold the lock now; False if another process does."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        pass  # a file system without flock (some network ones): go on unlocked, as before
    return True


def _lock_owner(handle: int) -> int | None:
    try:
        text = os.pread(handle, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def _cancel_check(cancel: Callable[[], bool] | _Event | None) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    if hasattr(cancel, "is_set"):
        return cancel.is_set
    if callable(cancel):
        return cancel
    raise ValueError(f"cancel must be a callable or a threading.Event, got {type(cancel).__name__}.")


def _fetch_verified(
    url: str,
    part: Path,
    known: KnownFile,
    report: Progress,
    is_cancelled: Callable[[], bool],
    timeout: float,
    deadline: float,
) -> None:
    """Complete `part` from `url` and check its sha256 (raises _MirrorFailed)."""
    give_up_at = time.monotonic() + deadline
    for _attempt in range(2):
        offset = part.stat().st_size if part.exists() else 0
        if offset >= known.gz_size and sha256_file(part) != known.gz_sha256:
            part.unlink()
            offset = 0
        if offset < known.gz_size:
            _fetch(url, part, offset, known, report, is_cancelled, timeout, (give_up_at, deadline))
        if sha256_file(part) == known.gz_sha256:
            return
        part.unlink()
        if offset == 0:
            break
    raise _MirrorFailed("the file it serves is not the original (wrong sha256)")


def _fetch(
    url: str,
    part: Path,
    offset: int,
    known: KnownFile,
    report: Progress,
    is_cancelled: Callable[[], bool],
    timeout: float,
    deadline: tuple[float, float],
) -> None:
    """Write `url` into `part` from byte `offset` on (raises _MirrorFailed).

    `deadline` is (the monotonic time to give up at, its length in seconds).
    """
    name, total = known.gz_name, known.gz_size
    headers = {"User-Agent": USER_AGENT}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        response = _http_only_opener().open(urllib.request.Request(url, headers=headers), timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code == 416 and offset:
            part.unlink()  # our .part does not fit this server's file: start again
            return _fetch(url, part, 0, known, report, is_cancelled, timeout, deadline)
        raise _MirrorFailed(f"HTTP {error.code} {error.reason}") from error
    except (OSError, http.client.HTTPException) as error:
        raise _MirrorFailed(_reason(error)) from error
    with response:
        if offset and response.status == 206:
            start = _content_range_start(response.headers.get("Content-Range"))
            if start != offset:
                answer = response.headers.get("Content-Range")
                raise _MirrorFailed(f"it answered a resume request with the wrong range ({answer})")
        else:
            offset = 0  # a plain 200: the server ignored Range and sends it all
        length = response.headers.get("Content-Length")
        if length is not None and length.isdigit() and offset + int(length) != total:
            raise _MirrorFailed(f"it serves {offset + int(length):,} bytes; the original has {total:,}")
        done = offset
        pending = bytearray()  # written a whole CHUNK at a time, or when the transfer stops
        with open(part, "ab" if offset else "wb") as out:

            def write_pending() -> None:
                nonlocal done
                if done + len(pending) > total:
                    out.close()
                    part.unlink()
                    raise _MirrorFailed(f"it sends more than the {total:,} bytes the original has")
                out.write(pending)
                done += len(pending)
                pending.clear()
                report(name, done, total)

            report(name, done, total)
            while True:
                if is_cancelled():
                    if pending:
                        write_pending()  # what arrived stays in the .part, for resuming
                    raise DownloadCancelled(f"download of {name} cancelled; run it again to resume.")
                if time.monotonic() >= deadline[0]:
                    if pending:
                        write_pending()
                    raise _MirrorFailed(f"too slow: {done:,} of {total:,} bytes after {deadline[1]:g} s")
                try:
                    # read1: what has arrived (waiting at most the idle timeout), not
                    # all CHUNK bytes, so a trickle meets the deadline check above.
                    piece = response.read1(CHUNK - len(pending))
                except (OSError, http.client.HTTPException) as error:
                    if pending:
                        write_pending()
                    raise _MirrorFailed(f"{_reason(error)} after {done:,} of {total:,} bytes") from error
                pending += piece
                if len(pending) >= CHUNK or (pending and not piece):
                    write_pending()
                if not piece:
                    break
            out.flush()
            os.fsync(out.fileno())
    if done < total:
        raise _MirrorFailed(f"the connection closed after {done:,} of {total:,} bytes")


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another http:// or https:// URL (urllib's own also follows ftp://)."""

    def http_error_302(self, req, fp, code, msg, headers):  # noqa: ANN001 - urllib's signature
        location = headers.get("location") or headers.get("uri")
        if location is not None:
            target = urllib.parse.urljoin(req.full_url, location)
            if urllib.parse.urlsplit(target).scheme.lower() not in ("http", "https"):
                fp.close()
                raise _MirrorFailed(f"it redirects to {shown_url(target)}, which is not an http:// or https:// URL")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _http_only_opener() -> urllib.request.OpenerDirector:
    """urllib's default opener without its ftp:, file: and data: handlers, and with http(s)-only redirects.

    Made for each request, as ``urlopen`` would, so the proxy variables are read when it is used.
    """
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.UnknownHandler(),
                    urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), _HttpOnlyRedirects(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _content_range_start(value: str | None) -> int | None:
    # "bytes 100-199/200" -> 100
    if not value or not value.startswith("bytes ") or "-" not in value:
        return None
    start = value[len("bytes ") :].split("-", 1)[0]
    return int(start) if start.isdigit() else None


def _reason(error: BaseException) -> str:
    while isinstance(error, urllib.error.URLError) and isinstance(error.reason, BaseException):
        error = error.reason
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
