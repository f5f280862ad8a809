"""Saving as a file system sees it: stale temporaries cleaned, modes kept, errors without errno or temp names."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from nn_tui.core.data import checkpoint
from nn_tui.core.data.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from nn_tui.core.networks import MultiLayerNet

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes, umask and signals")


def small_net(seed: int = 1) -> MultiLayerNet:
    return MultiLayerNet(20, [8], 4, weight_init="he", seed=seed)


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- stale temporaries (killed saves) ------------------------------------------------

KILLED_SAVE = textwrap.dedent("""
    import sys, time
    from nn_tui.core.data import checkpoint
    from nn_tui.core.networks import MultiLayerNet

    def savez(file, **arrays):          # half a file written, then the process is killed
        file.write(b"PK\\x03\\x04" + bytes(100_000))
        file.flush()
        print("writing", flush=True)
        time.sleep(60)

    checkpoint.np.savez = savez
    checkpoint.save_checkpoint(sys.argv[1], MultiLayerNet(20, [8], 4, seed=0))
""")


@posix_only
def test_the_temporary_of_a_killed_save_is_removed_by_the_next_save(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", KILLED_SAVE, str(tmp_path / "net.npz")],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "writing\n"
        left = hidden(tmp_path)
        assert len(left) == 1 and left[0].startswith(".net.npz.") and left[0].endswith(".tmp")
        assert f"-{child.pid}." in left[0]  # the writer's PID is in the name
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        child.stdout.close()
    assert hidden(tmp_path) == left  # a kill runs no clean-up: the temporary stays

    # A minute has not passed, but its writer is gone: the next save into the folder removes it.
    save_checkpoint(tmp_path / "other.npz", small_net())
    assert hidden(tmp_path) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["other.npz"]


@pytest.fixture
def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait(10)
    return process.pid


@pytest.fixture
def live_pid():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process.pid
    process.kill()
    process.wait(10)


def ours(target: str, pid: int, host: str | None = None) -> str:
    """A temporary name as save_checkpoint makes it, for another writer ``pid`` (and host)."""
    name = checkpoint.temporary_name(target)
    match = re.fullmatch(r"(\..+\.npz\.)([0-9a-f]{8})-(\d+)(\.[0-9a-f]{8}\.tmp)", name)
    assert match, name
    return f"{match[1]}{host or match[2]}-{pid}{match[4]}"


@posix_only
def test_only_stale_temporaries_of_our_own_are_removed(tmp_path, dead_pid, live_pid):
    zip_start = b"PK\x03\x04" + bytes(100)
    old = time.time() - 120
    files = {
        # name: (content, last written two minutes ago, should be removed)
        ours("net.npz", dead_pid): (zip_start, False, True),        # its writer is gone
        ours("net.npz", live_pid): (zip_start, False, False),       # a save going on
        ours("a.npz", live_pid): (zip_start, True, True),           # untouched for two minutes
        ours("b.npz", dead_pid, "00000000"): (zip_start, False, False),  # another machine's PID
        ours("c.npz", dead_pid, "00000000"): (zip_start, True, True),
        ours("d.npz", dead_pid): (b"", False, True),                # killed before a byte was written
        ".net.npz.k2_9xq0a.tmp": (zip_start, True, True),           # tempfile.mkstemp's, by earlier nn-tui
        ".net.npz.k2_9xq0b.tmp": (zip_start, False, False),
        ours("e.npz", dead_pid).replace(".tmp", ".txt"): (zip_start, True, False),
        ".net.npz.tmp": (zip_start, True, False),
        ".net.npz.abc.tmp": (zip_start, True, False),
        ".net.pkl.k2_9xq0a.tmp": (zip_start, True, False),
        ".notes.npz.backup01.tmp": (b"my notes", True, False),      # the right name, not a zip
        "net.npz.k2_9xq0a.tmp": (zip_start, True, False),           # not hidden
        "net.npz": (zip_start, True, False),
    }
    for name, (content, stale, _) in files.items():
        (tmp_path / name).write_bytes(content)
        if stale:
            os.utime(tmp_path / name, (old, old))
    folder, link = ours("dir.npz", dead_pid), ours("link.npz", dead_pid)
    (tmp_path / folder).mkdir()
    (tmp_path / link).symlink_to(tmp_path / "net.npz")

    save_checkpoint(tmp_path / "saved.npz", small_net())
    kept = {p.name for p in tmp_path.iterdir()}
    for name, (_, _, removed) in files.items():
        assert (name not in kept) == removed, name
    assert {folder, link, "saved.npz"} <= kept  # neither a folder nor a symbolic link
    assert checkpoint.clean_stale_temporaries(tmp_path) == []


def test_a_temporary_being_written_by_this_process_is_never_removed(tmp_path, monkeypatch):
    removed: list[Path] = []
    real_savez = checkpoint.np.savez

    def savez(file, **arrays):
        real_savez(file, **arrays)
        file.flush()
        # Another save (a thread) cleaning the folder an hour later sees this one's file.
        removed.extend(checkpoint.clean_stale_temporaries(tmp_path, now=time.time() + 3600))

    monkeypatch.setattr(checkpoint.np, "savez", savez)
    save_checkpoint(tmp_path / "net.npz", small_net())
    monkeypatch.undo()
    assert removed == [] and hidden(tmp_path) == []
    load_checkpoint(tmp_path / "net.npz")


# -- file modes ----------------------------------------------------------------------

@posix_only
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o007, 0o660), (0o027, 0o640)])
def test_a_new_file_gets_the_users_umask(tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        path = save_checkpoint(tmp_path / "net.npz", small_net())
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o7777 == mode


@posix_only
@pytest.mark.parametrize("existing, umask", [(0o640, 0o022), (0o664, 0o077), (0o444, 0o022), (0o644, 0o077)])
def test_replacing_a_file_keeps_its_mode(tmp_path, existing, umask):
    path = tmp_path / "net.npz"
    save_checkpoint(path, small_net(seed=2))
    os.chmod(path, existing)
    previous = os.umask(umask)
    try:
        save_checkpoint(path, small_net())
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o7777 == existing
    assert load_checkpoint(path).network.spec() == small_net().spec()


# -- what a failed save says ---------------------------------------------------------

def failing(error: OSError):
    def fail(*args, **kwargs):
        raise error
    return fail


def save_refused(path: Path, code: str) -> CheckpointError:
    with pytest.raises(CheckpointError) as caught:
        save_checkpoint(path, small_net())
    error = caught.value
    assert error.code == code, (error.code, str(error))
    text = str(error)
    assert isinstance(error, OSError) and isinstance(error, ValueError)  # callers catching either still do
    assert error.values["path"] == str(path) and str(path) in text
    assert not re.search(r"errno|\[\d+\]|\.tmp\b", text, re.IGNORECASE), text
    assert hidden(path.parent) == [] if path.parent.exists() else True
    return error


@pytest.mark.parametrize("raised, code", [
    (OSError(errno.ENOSPC, "No space left on device"), "checkpoint.save_disk_full"),
    (PermissionError(errno.EACCES, "Permission denied"), "checkpoint.save_denied"),
    (OSError(errno.EROFS, "Read-only file system"), "checkpoint.save_denied"),
    (OSError(errno.EIO, "Input/output error"), "checkpoint.save_failed"),
], ids=["disk-full", "denied", "read-only", "io-error"])
@pytest.mark.parametrize("stage", ["savez", "replace"])
def test_a_failed_save_says_why_without_errno_or_temporary_name(tmp_path, monkeypatch, raised, code, stage):
    tmp = str(tmp_path / ".net.npz.0123abcd-42.89abcdef.tmp")
    error = type(raised)(raised.errno, raised.strerror, tmp, str(tmp_path / "net.npz"))
    monkeypatch.setattr(checkpoint.np if stage == "savez" else checkpoint.os, stage, failing(error))
    refusal = save_refused(tmp_path / "net.npz", code)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []
    if code == "checkpoint.save_failed":
        assert refusal.values["reason"] == "Input/output error"


def test_saving_into_a_missing_folder_or_over_a_folder(tmp_path):
    error = save_refused(tmp_path / "no" / "such" / "net.npz", "checkpoint.save_no_folder")
    assert error.values["folder"] == str(tmp_path / "no" / "such")
    (tmp_path / "net.npz").mkdir()
    save_refused(tmp_path / "net.npz", "checkpoint.save_is_folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz"]


def test_a_network_nn_tui_could_not_load_is_not_saved(tmp_path):
    net = MultiLayerNet(20, [2] * 101, 4, seed=0)
    with pytest.raises(CheckpointError) as caught:
        save_checkpoint(tmp_path / "deep.npz", net)
    assert caught.value.code == "checkpoint.architecture"
    assert caught.value.values["field"] == "hidden_size_list"
    nested: list = []
    for _ in range(checkpoint.MAX_JSON_DEPTH):
        nested = [nested]
    with pytest.raises(CheckpointError) as caught:
        save_checkpoint(tmp_path / "notes.npz", small_net(), extra={"x": nested})
    assert caught.value.code == "checkpoint.metadata_too_deep"
    assert list(tmp_path.iterdir()) == []
