"""Save and load a trained network: one .npz file, no pickle.

The file holds the network's arrays (``W1``, ``b1``, ..., batch-norm running
averages) and one more array, ``__metadata__``: UTF-8 JSON bytes (uint8)
with the architecture, the optimiser, the data set's name, the metrics and
the nn-tui version.  It is written to a temporary file in the same folder and
then renamed over the target, so a crash never leaves half a checkpoint.

Saving keeps the mode of the file it replaces (else the user's umask
applies, as for any new file), refuses to replace anything but a regular
file (a folder, a device such as /dev/full, a FIFO: ``checkpoint.save_is_folder``,
``checkpoint.save_not_file``), and removes the temporaries that killed saves
left behind (see `clean_stale_temporaries`).

Loading treats the file as hostile until checked, and checks before it
allocates: the zip directory's size and member count, every member's name,
flags and compression method, the metadata's size and JSON depth, the
recorded architecture (within the limits below), then every array's declared
dtype, shape and byte count against that architecture.  Only then are the
arrays read, a bounded number of bytes each.  Nothing is ever unpickled.

What goes wrong is a `CheckpointError` (a `Refusal`, hence a ValueError): a
``code`` such as ``checkpoint.encrypted`` and the ``values`` that go with it,
which the UI words from its catalogue; its str() is an English sentence for
the command line and logs.  A failed save is a `CheckpointSaveError`, which is
also an OSError; neither shows an errno number or a temporary file's name.

The optimiser's state (momentum, Adam's moments) is not saved: training a
loaded network starts a fresh optimiser.
"""

from __future__ import annotations

import ast
import errno
import hashlib
import json
import math
import os
import re
import secrets
import socket
import stat
import struct
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from nn_tui import __version__
from nn_tui.core.networks import ACTIVATIONS, MAX_UNITS, MultiLayerNet, build_network, weight_scale
from nn_tui.core.refusal import Refusal

FORMAT = "nn-tui checkpoint"
FORMAT_VERSION = 1
METADATA_KEY = "__metadata__"

# -- limits -------------------------------------------------------------------------
# A layer has 1 to MAX_UNITS units, as for `nn-tui train`; a network at most
# MAX_HIDDEN_LAYERS hidden layers (as a saved training config) and
# MAX_PARAMETERS stored numbers in all (weights, biases, batch-norm arrays):
# 100 MB as float32, 200 MB as float64.  [100000, 100000] would be 10**10.
MAX_HIDDEN_LAYERS = 100
MAX_PARAMETERS = 25_000_000
# The metadata: metrics and histories of a long run fit many times over.
MAX_METADATA_BYTES = 4 * 2**20
MAX_JSON_DEPTH = 32
# An .npy header (numpy writes 128 bytes for our arrays).
MAX_HEADER_BYTES = 4096
# W and b per layer, four batch-norm arrays per hidden layer, the metadata.
MAX_MEMBERS = 2 * (MAX_HIDDEN_LAYERS + 1) + 4 * MAX_HIDDEN_LAYERS + 1
_CD_ENTRY_BYTES = 1024          # a central-directory entry of ours is < 100 bytes
_NPY_PREFIX = 12                # magic, version and header length, at most
MAX_FILE_BYTES = (8 * MAX_PARAMETERS + MAX_METADATA_BYTES
                  + MAX_MEMBERS * (2 * _CD_ENTRY_BYTES + MAX_HEADER_BYTES) + 2**16)
# A temporary of ours untouched this long, or whose writer is gone, is stale.
STALE_SECONDS = 60.0

_ARRAY_NAME = re.compile(r"(?:W|b|gamma|beta|running_mean|running_var)[1-9][0-9]{0,2}")
_DESCR = re.compile(r"[<>|=]?[A-Za-z][0-9]{0,3}")
_READ_CHUNK = 2**20
_STORED, _DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
_ENCRYPTED_FLAGS = 0x0001 | 0x0040   # traditional and strong encryption
_PATCHED_FLAG = 0x0020


class CheckpointError(Refusal):
    """A checkpoint file is missing, damaged, unsafe or for another network (or cannot be saved).

    ``code`` names why and ``values`` fill in the UI's sentence; str() is
    the English sentence for the command line and logs.
    """


class CheckpointSaveError(CheckpointError, OSError):
    """Saving failed in the file system: an OSError without errno number or temporary name."""


@dataclass(frozen=True)
class Checkpoint:
    """A loaded network and the metadata saved with it."""

    network: MultiLayerNet
    metadata: dict[str, Any]


# -- saving -------------------------------------------------------------------------

def save_checkpoint(path: str | os.PathLike[str], network: MultiLayerNet, *,
                    optimizer: dict[str, Any] | None = None, dataset: str | None = None,
                    metrics: dict[str, Any] | None = None,
                    extra: dict[str, Any] | None = None) -> Path:
    """Write ``network`` (and what to tell about it) to ``path``; return the path.

    ``optimizer`` is e.g. ``{"name": "adam", "lr": 0.001}``; ``metrics`` and
    ``extra`` must be JSON-serialisable.  A network or metadata that
    `load_checkpoint` would refuse is refused here, before anything is written.
    """
    path = Path(path)
    if path.suffix != ".npz":
        raise CheckpointError("checkpoint.save_name",
                              f"a checkpoint file name must end in .npz, got {path.name!r}",
                              name=path.name)
    spec = network.spec()
    check_architecture(spec, str(path))
    metadata = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "nn_tui_version": __version__,
        "architecture": spec,
        "optimizer": optimizer,
        "dataset": dataset,
        "metrics": metrics or {},
        **(extra or {}),
    }
    try:
        blob = json.dumps(metadata, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as error:
        raise CheckpointError("checkpoint.metadata_not_plain",
                              f"the checkpoint metadata is not plain JSON: {error}",
                              path=str(path), reason=str(error)) from None
    _check_metadata_size(len(blob), str(path))
    _check_json_depth(blob.decode("utf-8"), str(path))
    arrays = {key: np.ascontiguousarray(value) for key, value in network.state().items()}
    arrays[METADATA_KEY] = np.frombuffer(blob, dtype=np.uint8)

    folder = path.parent if str(path.parent) else Path(".")
    clean_stale_temporaries(folder)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        # A folder, a device (/dev/full), a FIFO, a socket: the rename would replace it.
        if stat.S_ISDIR(mode):
            raise CheckpointSaveError("checkpoint.save_is_folder",
                                      f"could not save {path}: it is a folder", path=str(path))
        raise CheckpointSaveError("checkpoint.save_not_file",
                                  f"could not save {path}: it exists and is not a regular file, "
                                  "so nn-tui will not replace it", path=str(path))
    keep_mode = stat.S_IMODE(mode) & 0o777 if mode is not None else None
    tmp: Path | None = None
    key = ""
    try:
        fd, tmp, key = _create_temporary(folder, path.name)
        with os.fdopen(fd, "wb") as f:
            if keep_mode is not None:
                os.chmod(tmp, keep_mode)  # else: 0o666 less the umask, from os.open
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as error:
        _discard(tmp)
        raise _save_error(error, path, folder) from None
    except BaseException:
        _discard(tmp)
        raise
    finally:
        with _WRITING_LOCK:
            _WRITING.discard(key)
    return path


# Our temporaries: ".<name>.<host>-<pid>.<random>.tmp"; the host is a hash of
# the machine's name, so a PID is only judged on the machine that wrote it
# (a class folder may be shared).  Earlier nn-tui versions used
# tempfile.mkstemp's ".<name>.<8 of [a-z0-9_]>.tmp": cleaned by age alone.
_TEMPORARY = re.compile(r"\.(?P<target>.+\.npz)\.(?P<host>[0-9a-f]{8})-(?P<pid>[1-9][0-9]{0,9})\.[0-9a-f]{8}\.tmp")
_OLD_TEMPORARY = re.compile(r"\.(?P<target>.+\.npz)\.[a-z0-9_]{8}\.tmp")
_WRITING: set[str] = set()      # temporaries this process is writing now (real paths)
_WRITING_LOCK = threading.Lock()


def _host_tag() -> str:
    try:
        host = socket.gethostname()
    except OSError:
        host = ""
    return hashlib.sha1(host.encode("utf-8", "replace")).hexdigest()[:8]


def _real(folder: str | os.PathLike[str], name: str) -> str:
    return os.path.join(os.path.realpath(folder), name)


def temporary_name(target: str) -> str:
    """A new name for the temporary file a save of ``target`` (a file name) writes first."""
    return f".{target}.{_host_tag()}-{os.getpid()}.{secrets.token_hex(4)}.tmp"


def _create_temporary(folder: Path, target: str) -> tuple[int, Path, str]:
    """A new temporary file: its descriptor, path and key in _WRITING (the caller discards the key)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        name = temporary_name(target)
        key = _real(folder, name)
        with _WRITING_LOCK:
            _WRITING.add(key)  # before it exists: a cleaner in another thread never sees it unlisted
        try:
            # 0o666: the umask applies, as for any new file the user saves.
            return os.open(folder / name, flags, 0o666), folder / name, key
        except BaseException as error:
            with _WRITING_LOCK:
                _WRITING.discard(key)
            if not isinstance(error, FileExistsError):
                raise
    raise FileExistsError(errno.EEXIST, "no free temporary name")


def _discard(tmp: Path | None) -> None:
    if tmp is not None:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def clean_stale_temporaries(folder: str | os.PathLike[str], now: float | None = None) -> list[Path]:
    """Remove the temporaries that interrupted saves left in ``folder``; return them.

    Only files named as `save_checkpoint` names its temporaries (or as
    earlier versions did), that are empty or start like a zip, and either
    were last written more than STALE_SECONDS ago or were written on this
    machine by a process that no longer runs.  A temporary this process is
    writing is never touched.  Errors are ignored: this is housekeeping.
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    host = _host_tag()
    for entry in entries:
        mine = _TEMPORARY.fullmatch(entry.name)
        if mine is None and _OLD_TEMPORARY.fullmatch(entry.name) is None:
            continue
        path = Path(folder) / entry.name
        with _WRITING_LOCK:
            if _real(folder, entry.name) in _WRITING:
                continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                continue
            stale = now - info.st_mtime > STALE_SECONDS
            if not stale and mine is not None and mine["host"] == host:
                stale = not _running(int(mine["pid"]))
            if not stale or not _starts_like_a_zip(path):
                continue
            os.unlink(path)
        except (OSError, ValueError):
            continue
        removed.append(path)
    return removed


def _running(pid: int) -> bool:
    """False only if no process ``pid`` runs on this machine (unknown counts as running)."""
    if pid == os.getpid() or os.name != "posix":
        return True  # (on Windows os.kill would end the process)
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False  # (a PID too large for the system cannot run either)
    except OSError:
        return True
    return True


def _starts_like_a_zip(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(4)
    return head in (b"", b"PK\x03\x04") or (len(head) < 4 and b"PK\x03\x04".startswith(head))


_DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}
_NO_FOLDER = {errno.ENOENT, errno.ENOTDIR}


def _save_error(error: OSError, path: Path, folder: Path) -> CheckpointSaveError:
    """The OSError of a save as a sentence about ``path``: no errno number, no temporary name."""
    where = str(path)
    if error.errno in _DISK_FULL:
        return CheckpointSaveError("checkpoint.save_disk_full",
                                   f"could not save {where}: the disk is full", path=where)
    if error.errno in _DENIED:
        return CheckpointSaveError("checkpoint.save_denied",
                                   f"could not save {where}: no permission to write there", path=where)
    if error.errno in _NO_FOLDER:
        return CheckpointSaveError("checkpoint.save_no_folder",
                                   f"could not save {where}: the folder {folder} does not exist",
                                   path=where, folder=str(folder))
    if error.errno == errno.EISDIR or path.is_dir():
        return CheckpointSaveError("checkpoint.save_is_folder",
                                   f"could not save {where}: it is a folder", path=where)
    reason = error.strerror or type(error).__name__
    return CheckpointSaveError("checkpoint.save_failed", f"could not save {where}: {reason}",
                               path=where, reason=reason)


# -- loading ------------------------------------------------------------------------

def read_checkpoint(path: str | os.PathLike[str]) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays and metadata of a checkpoint file, checked before anything large is read.

    The arrays are checked against the architecture the file records (names,
    dtypes, shapes, finite values), not against any network of the caller.
    """
    path = Path(path)
    where = str(path)
    if not path.is_file():
        raise CheckpointError("checkpoint.missing", f"no checkpoint at {where}", path=where)
    try:
        f = open(path, "rb")
    except PermissionError:
        raise CheckpointError("checkpoint.read_denied",
                              f"cannot read {where}: no permission", path=where) from None
    except OSError as error:
        raise _unreadable(error, where) from None
    try:
        with f:
            return _read(f, os.fstat(f.fileno()).st_size, where)
    except CheckpointError:
        raise
    except OSError as error:
        raise _unreadable(error, where) from None


def _unreadable(error: OSError, where: str) -> CheckpointError:
    if error.errno == errno.EINVAL:
        return _damaged(where, "")
    reason = error.strerror or type(error).__name__
    return CheckpointError("checkpoint.unreadable", f"cannot read {where}: {reason}",
                           path=where, reason=reason)


def _not_readable(where: str) -> str:
    return f"{where} is not a readable nn-tui checkpoint"


def _damaged(where: str, member: str) -> CheckpointError:
    inside = f" (in {member})" if member else ""
    return CheckpointError("checkpoint.damaged",
                           f"{_not_readable(where)}: the file is damaged{inside}",
                           path=where, member=member)


def _truncated(where: str) -> CheckpointError:
    return CheckpointError("checkpoint.truncated",
                           f"{_not_readable(where)}: the zip archive is cut short (truncated) or damaged",
                           path=where)


def _read(f: BinaryIO, size: int, where: str) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    magic = f.read(6)
    if not magic:
        raise CheckpointError("checkpoint.empty", f"{_not_readable(where)}: the file is empty", path=where)
    # np.load would take any file it does not recognise for a pickle; look first.
    if magic[:1] == b"\x80":
        raise CheckpointError(
            "checkpoint.pickle",
            f"{where} is a Python pickle; nn-tui refuses to load pickles "
            "because loading one can run arbitrary code", path=where)
    if magic == b"\x93NUMPY":
        raise CheckpointError("checkpoint.single_array",
                              f"{_not_readable(where)}: it is a single .npy array, not an .npz archive",
                              path=where)
    if magic[:2] != b"PK":
        raise CheckpointError("checkpoint.not_zip",
                              f"{_not_readable(where)}: it is not an .npz (zip) archive", path=where)
    if size > MAX_FILE_BYTES:
        raise CheckpointError(
            "checkpoint.too_large",
            f"{_not_readable(where)}: it is {size:,} bytes, more than any network nn-tui "
            f"can load ({MAX_FILE_BYTES:,} bytes)", path=where, size=size, limit=MAX_FILE_BYTES)

    _check_directory(f, size, where)
    try:
        archive = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, EOFError, ValueError, struct.error, NotImplementedError,
            UnicodeDecodeError, OverflowError):
        raise _damaged(where, "") from None
    with archive:
        members = _check_members(archive, f, size, where)
        if METADATA_KEY not in members:
            raise CheckpointError("checkpoint.no_metadata",
                                  f"{_not_readable(where)}: it has no {METADATA_KEY} entry", path=where)
        metadata = _read_metadata(archive, members.pop(METADATA_KEY), where)
        shapes = check_architecture(metadata["architecture"], where)
        unexpected = sorted(set(members) - set(shapes))
        if unexpected:
            raise _unexpected(where, members[unexpected[0]].filename)
        missing = [key for key in shapes if key not in members]
        if missing:
            raise CheckpointError(
                "checkpoint.missing_arrays",
                f"{_not_readable(where)}: it lacks the arrays {', '.join(missing)} "
                "of the network it records", path=where, arrays=", ".join(missing))
        # Every declared size against the architecture before any array is read.
        for key, info in members.items():
            limit = math.prod(shapes[key]) * 8 + _NPY_PREFIX + MAX_HEADER_BYTES
            if info.file_size > limit:
                raise _member_too_large(where, info, limit)
        arrays = {key: _read_array(archive, members[key], shapes[key], where) for key in shapes}
    return arrays, metadata


def _check_directory(f: BinaryIO, size: int, where: str) -> None:
    """The zip's end record, as zipfile will find it: member count and directory size bounded."""
    end = 22
    tail_start = max(size - end - 2**16, 0)
    f.seek(tail_start)
    tail = f.read(size - tail_start)
    if len(tail) >= end and tail[-end:-end + 4] == b"PK\x05\x06" and tail[-2:] == b"\0\0":
        at = len(tail) - end
    else:
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + end > len(tail):
            raise _truncated(where)
    (_, disk, cd_disk, here, count, cd_size, _, _) = struct.unpack("<4s4H2LH", tail[at:at + end])
    record = tail_start + at
    if record >= 20:
        f.seek(record - 20)
        locator = f.read(20)
        if locator[:4] == b"PK\x06\x07" and record >= 20 + 56:
            f.seek(record - 20 - 56)
            zip64 = f.read(56)
            if zip64[:4] == b"PK\x06\x06":
                (_, _, _, _, disk, cd_disk, here, count, cd_size, _) = struct.unpack("<4sQ2H2L4Q", zip64)
    if count > MAX_MEMBERS or here > MAX_MEMBERS:
        raise CheckpointError(
            "checkpoint.too_many_members",
            f"{_not_readable(where)}: it holds {max(count, here):,} entries; a checkpoint has "
            f"at most {MAX_MEMBERS:,}", path=where, count=max(count, here), limit=MAX_MEMBERS)
    if disk or cd_disk or here != count or cd_size > MAX_MEMBERS * _CD_ENTRY_BYTES:
        raise _damaged(where, "")


def _unexpected(where: str, member: str) -> CheckpointError:
    return CheckpointError(
        "checkpoint.unexpected_member",
        f"{_not_readable(where)}: it holds an entry {member!r} that does not belong in it",
        path=where, member=member)


def _member_too_large(where: str, info: zipfile.ZipInfo, limit: int) -> CheckpointError:
    return CheckpointError(
        "checkpoint.member_too_large",
        f"{_not_readable(where)}: its entry {info.filename} unpacks to {info.file_size:,} bytes, "
        f"more than the {limit:,} it can need", path=where, member=info.filename,
        size=info.file_size, limit=limit)


def _check_members(archive: zipfile.ZipFile, f: BinaryIO, size: int,
                   where: str) -> dict[str, zipfile.ZipInfo]:
    """Every member's name, flags, method and sizes (central and local header), by array name."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise CheckpointError(
            "checkpoint.too_many_members",
            f"{_not_readable(where)}: it holds {len(infos):,} entries; a checkpoint has "
            f"at most {MAX_MEMBERS:,}", path=where, count=len(infos), limit=MAX_MEMBERS)
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        key = name[:-4] if name.endswith(".npy") else ""
        if key != METADATA_KEY and not _ARRAY_NAME.fullmatch(key):
            raise _unexpected(where, name)
        if key in members:
            raise _damaged(where, name)
        members[key] = info
    for key, info in members.items():
        name = info.filename
        f.seek(info.header_offset)
        local = f.read(30)
        if len(local) < 30:
            raise _truncated(where)
        signature, _, local_flags, local_method = struct.unpack("<4s3H", local[:10])
        if signature != b"PK\x03\x04":
            raise _damaged(where, name)
        if (info.flag_bits | local_flags) & _ENCRYPTED_FLAGS:
            raise CheckpointError(
                "checkpoint.encrypted",
                f"{_not_readable(where)}: its entry {name} is encrypted", path=where, member=name)
        for method in (info.compress_type, local_method):
            if method not in (_STORED, _DEFLATED):
                raise CheckpointError(
                    "checkpoint.compression",
                    f"{_not_readable(where)}: its entry {name} uses compression method {method}; "
                    "nn-tui reads stored and deflated entries only",
                    path=where, member=name, method=method)
        if (info.flag_bits | local_flags) & _PATCHED_FLAG or local_method != info.compress_type:
            raise _damaged(where, name)
        limit = (_NPY_PREFIX + MAX_HEADER_BYTES
                 + (MAX_METADATA_BYTES if key == METADATA_KEY else 8 * MAX_PARAMETERS))
        if info.file_size > limit:
            raise _member_too_large(where, info, limit)
        packed_limit = info.file_size if info.compress_type == _STORED else (
            info.file_size + info.file_size // 1000 + 1024)
        if info.compress_size > packed_limit:
            raise _damaged(where, name)
        if info.header_offset + 30 + info.compress_size > size:
            raise _truncated(where)
    return members


def _read_metadata(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> dict[str, Any]:
    name = info.filename
    not_json = CheckpointError("checkpoint.metadata_not_json",
                               f"{_not_readable(where)}: its metadata is not valid JSON", path=where)
    with _open_member(archive, info, where) as stream:
        dtype, shape, _, header = _read_npy_header(stream, name, where)
        if dtype.hasobject:
            raise _pickled(where, name)
        if dtype != np.uint8 or len(shape) != 1:
            raise not_json
        _check_metadata_size(shape[0], where)
        if info.file_size != header + shape[0]:
            raise _damaged(where, name)
        blob = _read_bytes(stream, shape[0], name, where)
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:
        raise not_json from None
    _check_json_depth(text, where)
    try:
        metadata = json.loads(text)
    except (ValueError, RecursionError):
        raise not_json from None
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT:
        raise CheckpointError("checkpoint.not_ours", f"{_not_readable(where)}: it does not say it is one",
                              path=where)
    version = metadata.get("format_version")
    if version != FORMAT_VERSION:
        raise CheckpointError(
            "checkpoint.version",
            f"{where} is checkpoint format version {version!r}; "
            f"this nn-tui ({__version__}) reads version {FORMAT_VERSION}",
            path=where, version=_shown(version), supported=FORMAT_VERSION, nn_tui_version=__version__)
    if "architecture" not in metadata:
        raise CheckpointError("checkpoint.architecture",
                              f"{where} records no architecture, so nn-tui cannot rebuild its network",
                              path=where, field="architecture", value="")
    return metadata


def _check_metadata_size(size: int, where: str) -> None:
    if size > MAX_METADATA_BYTES:
        raise CheckpointError(
            "checkpoint.metadata_too_large",
            f"{where}: its metadata is {size:,} bytes; a checkpoint's is at most {MAX_METADATA_BYTES:,}",
            path=where, size=size, limit=MAX_METADATA_BYTES)


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def _check_json_depth(text: str, where: str) -> None:
    """JSON nested deeper than MAX_JSON_DEPTH is refused before json.loads sees it."""
    bare = np.frombuffer(_JSON_STRING.sub("", text).encode("utf-8"), dtype=np.uint8)
    steps = np.zeros(len(bare), dtype=np.int32)
    steps[(bare == ord("[")) | (bare == ord("{"))] = 1
    steps[(bare == ord("]")) | (bare == ord("}"))] = -1
    depth = int(np.cumsum(steps).max(initial=0))
    if depth > MAX_JSON_DEPTH:
        raise CheckpointError(
            "checkpoint.metadata_too_deep",
            f"{where}: its metadata is nested {depth:,} levels deep; a checkpoint's is at most "
            f"{MAX_JSON_DEPTH}", path=where, depth=depth, limit=MAX_JSON_DEPTH)


def _open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str):
    try:
        return archive.open(info)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, EOFError,
            UnicodeDecodeError, zlib.error):
        raise _damaged(where, info.filename) from None


def _read_bytes(stream: BinaryIO, count: int, member: str, where: str) -> bytearray:
    """Exactly ``count`` bytes of a member, read a megabyte at a time (CRC checked at its end)."""
    buffer = bytearray(count)
    view = memoryview(buffer)
    done = 0
    try:
        while done < count:
            chunk = stream.read(min(_READ_CHUNK, count - done))
            if not chunk:
                break
            view[done:done + len(chunk)] = chunk
            done += len(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise _damaged(where, member) from None
    if done != count:
        raise _damaged(where, member)
    return buffer


def _read_npy_header(stream: BinaryIO, member: str,
                     where: str) -> tuple[np.dtype, tuple[int, ...], bool, int]:
    """dtype, shape, Fortran order and header length of an .npy stream, parsed without numpy's loader."""
    head = bytes(_read_bytes(stream, 10, member, where))
    if head[:6] != b"\x93NUMPY" or head[6] not in (1, 2, 3):
        raise _damaged(where, member)
    if head[6] == 1:
        length, prefix = struct.unpack("<H", head[8:10])[0], 10
    else:
        rest = bytes(_read_bytes(stream, 2, member, where))
        length, prefix = struct.unpack("<I", head[8:10] + rest)[0], 12
    if length > MAX_HEADER_BYTES:
        raise _damaged(where, member)
    raw = bytes(_read_bytes(stream, length, member, where))
    try:
        fields = ast.literal_eval(raw.decode("utf-8" if head[6] == 3 else "latin-1"))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise _damaged(where, member) from None
    if not isinstance(fields, dict) or set(fields) != {"descr", "fortran_order", "shape"}:
        raise _damaged(where, member)
    descr, fortran, shape = fields["descr"], fields["fortran_order"], fields["shape"]
    if (not isinstance(fortran, bool) or not isinstance(shape, tuple) or len(shape) > 32
            or not all(type(n) is int and n >= 0 for n in shape)):
        raise _damaged(where, member)
    # One simple type code ("<f4", "|u1", "|O"): no structured or sub-array types.
    dtype = None
    if isinstance(descr, str) and _DESCR.fullmatch(descr):
        try:
            dtype = np.dtype(descr)
        except TypeError:
            pass
    if dtype is None:
        raise CheckpointError(
            "checkpoint.array_dtype",
            f"{_not_readable(where)}: {member} holds {_shown(descr)}, not floating-point numbers",
            path=where, array=member[:-4], dtype=_shown(descr))
    return dtype, shape, fortran, prefix + length


def _pickled(where: str, member: str) -> CheckpointError:
    return CheckpointError(
        "checkpoint.pickled_member",
        f"{where} contains pickled Python objects; nn-tui refuses to load them "
        "because loading a pickle can run arbitrary code", path=where, member=member)


def _read_array(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shape: tuple[int, ...],
                where: str) -> np.ndarray:
    name = info.filename
    key = name[:-4]
    with _open_member(archive, info, where) as stream:
        dtype, declared, fortran, header = _read_npy_header(stream, name, where)
        if dtype.hasobject:
            raise _pickled(where, name)
        if dtype.kind != "f" or dtype.itemsize not in (2, 4, 8):
            raise CheckpointError(
                "checkpoint.array_dtype",
                f"{_not_readable(where)}: array {key!r} has dtype {dtype}, not floats",
                path=where, array=key, dtype=str(dtype))
        if declared != shape:
            raise CheckpointError(
                "checkpoint.array_shape",
                f"{_not_readable(where)}: array {key} has shape {declared}; the network it records "
                f"needs {shape}", path=where, array=key, shape=_shown(declared), expected=str(shape))
        count = math.prod(shape)
        if info.file_size != header + count * dtype.itemsize:
            raise _damaged(where, name)
        buffer = _read_bytes(stream, count * dtype.itemsize, name, where)
    array = np.frombuffer(buffer, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    if not dtype.isnative:
        array = array.astype(dtype.newbyteorder("="))
    if not np.isfinite(array).all():
        raise CheckpointError("checkpoint.not_finite",
                              f"{_not_readable(where)}: array {key} holds NaN or infinite values",
                              path=where, array=key)
    return array


# -- architectures ------------------------------------------------------------------

def check_architecture(spec: Any, where: str = "") -> dict[str, tuple[int, ...]]:
    """The shape of every array of the network ``spec`` describes (a ``spec()`` dict).

    Refused (``checkpoint.architecture``, ``checkpoint.too_big_network``)
    unless it is within nn-tui's limits: layer sizes of 1 to MAX_UNITS (2 or
    more classes), 1 to MAX_HIDDEN_LAYERS hidden layers, at most
    MAX_PARAMETERS numbers in all.  Checked on numbers alone: nothing is built.
    """
    def refuse(field: str, value: Any, wanted: str) -> CheckpointError:
        return CheckpointError(
            "checkpoint.architecture",
            f"{where}: the network's {field} is {_shown(value)}, outside what nn-tui can build; "
            f"it must be {wanted}", path=where, field=field, value=_shown(value))

    if not isinstance(spec, dict):
        raise refuse("architecture", spec, "a table of the network's settings")
    known = {"input_size", "hidden_size_list", "output_size", "activation", "weight_init",
             "weight_decay_lambda", "dropout_ratio", "use_batchnorm", "dtype"}
    for field in spec:
        if field not in known:
            raise refuse(str(field), spec[field], "absent (nn-tui does not know this setting)")

    def size(field: str, value: Any, low: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_UNITS:
            raise refuse(field, value, f"a whole number from {low} to {MAX_UNITS:,}")
        return value

    for field in ("input_size", "hidden_size_list", "output_size"):
        if field not in spec:
            raise refuse(field, None, "recorded")
    hidden = spec["hidden_size_list"]
    if not isinstance(hidden, list) or not 1 <= len(hidden) <= MAX_HIDDEN_LAYERS:
        raise refuse("hidden_size_list", hidden, f"a list of 1 to {MAX_HIDDEN_LAYERS} layer sizes")
    sizes = ([size("input_size", spec["input_size"], 1)]
             + [size("hidden_size_list", h, 1) for h in hidden]
             + [size("output_size", spec["output_size"], 2)])
    if "activation" in spec and spec["activation"] not in ACTIVATIONS:
        raise refuse("activation", spec["activation"], f"one of {', '.join(ACTIVATIONS)}")
    if "weight_init" in spec:
        init = spec["weight_init"]
        try:
            if isinstance(init, bool) or not isinstance(init, (str, int, float)):
                raise ValueError(init)
            weight_scale(init, 1)
        except ValueError:
            raise refuse("weight_init", init, "he, xavier, std:<number> or a number > 0") from None
    for field, high in (("weight_decay_lambda", math.inf), ("dropout_ratio", 1.0)):
        if field in spec:
            value = spec[field]
            if (isinstance(value, bool) or not isinstance(value, (int, float))
                    or not math.isfinite(value) or not 0 <= value < high):
                raise refuse(field, value, "a number >= 0" + (" and < 1" if high == 1.0 else ""))
    batchnorm = spec.get("use_batchnorm", False)
    if not isinstance(batchnorm, bool):
        raise refuse("use_batchnorm", batchnorm, "true or false")
    if spec.get("dtype", "float32") not in ("float32", "float64"):
        raise refuse("dtype", spec["dtype"], "float32 or float64")

    shapes: dict[str, tuple[int, ...]] = {}
    for idx in range(1, len(sizes)):
        shapes[f"W{idx}"] = (sizes[idx - 1], sizes[idx])
        shapes[f"b{idx}"] = (sizes[idx],)
    if batchnorm:
        for idx, units in enumerate(sizes[1:-1], start=1):
            for name in ("gamma", "beta", "running_mean", "running_var"):
                shapes[f"{name}{idx}"] = (units,)
    parameters = sum(math.prod(shape) for shape in shapes.values())
    if parameters > MAX_PARAMETERS:
        raise CheckpointError(
            "checkpoint.too_big_network",
            f"{where}: the network has {parameters:,} parameters; nn-tui handles at most "
            f"{MAX_PARAMETERS:,}", path=where, parameters=parameters, limit=MAX_PARAMETERS)
    return shapes


def load_checkpoint(path: str | os.PathLike[str]) -> Checkpoint:
    """Rebuild the saved network (its architecture comes from the file)."""
    arrays, metadata = read_checkpoint(path)
    try:
        network = build_network(metadata["architecture"], seed=0)
        network.load_state(arrays)
    except (TypeError, ValueError) as error:
        raise CheckpointError("checkpoint.cannot_build",
                              f"{path} describes a network nn-tui cannot build: {error}",
                              path=str(path), reason=str(error)) from None
    return Checkpoint(network, metadata)


def load_into(path: str | os.PathLike[str], network: MultiLayerNet) -> dict[str, Any]:
    """Load saved weights into an existing network of the same architecture; return the metadata."""
    arrays, metadata = read_checkpoint(path)
    saved = metadata.get("architecture")
    wanted = network.spec()
    if saved != wanted:
        diffs = _differences(saved, wanted)
        raise CheckpointError(
            "checkpoint.different_network",
            f"{path} holds a different network ({diffs}); load it with load_checkpoint "
            "to get a network of its own architecture", path=str(path),
            fields=", ".join(key for key in sorted(set(saved) | set(wanted))
                             if saved.get(key) != wanted.get(key)),
            differences=diffs)
    try:
        network.load_state(arrays)
    except ValueError as error:
        raise CheckpointError("checkpoint.does_not_fit", f"{path} does not fit this network: {error}",
                              path=str(path), reason=str(error)) from None
    return metadata


def _differences(saved: dict[str, Any], wanted: dict[str, Any]) -> str:
    keys = sorted(set(saved) | set(wanted))
    parts = [f"{key}: file {saved.get(key)!r}, network {wanted.get(key)!r}"
             for key in keys if saved.get(key) != wanted.get(key)]
    return "; ".join(parts)


def _shown(value: Any, limit: int = 60) -> str:
    """A value as a short repr for a sentence (a crafted file can hold a huge one)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."
