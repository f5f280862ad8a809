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
"""

from __future__ import annotations

import http.client
import math
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

from nn_tui.core.data.mnist import KNOWN_FILES, KnownFile, sha256_file

MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
FILE_NAMES: tuple[str, ...] = tuple(known.gz_name for known in KNOWN_FILES.values())
CHUNK = 64 * 1024
USER_AGENT = "nn-tui (MNIST downloader; Python urllib)"

Progress = Callable[[str, int, int], None]


class _Event(Protocol):
    def is_set(self) -> bool: ...


class DownloadError(OSError):
    """A download failed; the message says what happened at each mirror."""


class DownloadCancelled(DownloadError):
    """The download was cancelled; a partial ``.part`` file is kept for resuming."""


class _MirrorFailed(Exception):
    """One mirror could not deliver one file (the reason is the message)."""


def check_mirror(url: str) -> str:
    """A mirror URL ending in "/", or ValueError if it is not http(s)://host/..."""
    parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"a mirror must be an http:// or https:// URL of a folder, got {url!r}.")
    return url if url.endswith("/") else url + "/"


def download_mnist(
    dest_dir: str | os.PathLike[str],
    mirrors: Sequence[str] = MIRRORS,
    progress: Progress | None = None,
    *,
    timeout: float = 30.0,
    cancel: Callable[[], bool] | _Event | None = None,
    files: Iterable[str] = FILE_NAMES,
) -> dict[str, Path]:
    """Download MNIST .gz files into an existing, writable dest_dir; return their paths.

    A file already present with the right sha256 is not downloaded again.
    Mirrors are tried in order; if all fail, ``DownloadError`` lists why.
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
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout < math.inf:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}.")
    dest = Path(dest_dir)
    _check_writable(dest)
    is_cancelled = _cancel_check(cancel)
    report = progress or (lambda name, done, total: None)

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
                _fetch_verified(mirror + name, part, known, report, is_cancelled, timeout)
            except _MirrorFailed as failure:
                failures.append(f"{mirror}: {failure}")
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
) -> None:
    """Complete `part` from `url` and check its sha256 (raises _MirrorFailed)."""
    for _attempt in range(2):
        offset = part.stat().st_size if part.exists() else 0
        if offset >= known.gz_size and sha256_file(part) != known.gz_sha256:
            part.unlink()
            offset = 0
        if offset < known.gz_size:
            _fetch(url, part, offset, known, report, is_cancelled, timeout)
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
) -> None:
    """Write `url` into `part` from byte `offset` on (raises _MirrorFailed)."""
    name, total = known.gz_name, known.gz_size
    headers = {"User-Agent": USER_AGENT}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        response = urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code == 416 and offset:
            part.unlink()  # our .part does not fit this server's file: start again
            return _fetch(url, part, 0, known, report, is_cancelled, timeout)
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
        with open(part, "ab" if offset else "wb") as out:
            report(name, done, total)
            while True:
                if is_cancelled():
                    raise DownloadCancelled(f"download of {name} cancelled; run it again to resume.")
                try:
                    chunk = response.read(CHUNK)
                except (OSError, http.client.HTTPException) as error:
                    raise _MirrorFailed(f"{_reason(error)} after {done:,} of {total:,} bytes") from error
                if not chunk:
                    break
                if done + len(chunk) > total:
                    out.close()
                    part.unlink()
                    raise _MirrorFailed(f"it sends more than the {total:,} bytes the original has")
                out.write(chunk)
                done += len(chunk)
                report(name, done, total)
            out.flush()
            os.fsync(out.fileno())
    if done < total:
        raise _MirrorFailed(f"the connection closed after {done:,} of {total:,} bytes")


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
