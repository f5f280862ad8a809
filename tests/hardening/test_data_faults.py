"""Damaged MNIST folders through the CLI and through lesson 6: a clear sentence, nothing half-written.

The core's reading and checking of IDX files is tested in tests/core/test_mnist.py
and the downloader in tests/core/test_download.py; this file checks what a user
meets: `nn-tui data info --dir …`, `nn-tui train --data-dir …` and lesson 6's
folder field, each given every kind of damaged folder.
"""

from __future__ import annotations

import gzip
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from nn_tui.tui import cli

from tests.helpers import paste_into, wait_until
from tests.tui.training_helpers import data_ready, status, training_app

FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def idx_bytes(magic: int, dims: tuple[int, ...], fill: int = 0) -> bytes:
    """An IDX file written by hand: magic, big-endian sizes, then the bytes."""
    count = 1
    for d in dims:
        count *= d
    return struct.pack(">I", magic) + struct.pack(f">{len(dims)}I", *dims) + bytes([fill]) * count


def truncated(folder: Path) -> None:
    path = folder / "train-labels-idx1-ubyte.gz"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def flipped(folder: Path) -> None:
    path = folder / "t10k-images-idx3-ubyte.gz"
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 64):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def wrong_magic(folder: Path) -> None:
    """An unpacked labels file of the right size whose header says 'images'."""
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    (folder / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(0x00000803, (10_000,)))


def wrong_checksum(folder: Path) -> None:
    """A well-formed gzip of a well-formed IDX file, but not the published one."""
    with gzip.open(folder / "t10k-labels-idx1-ubyte.gz", "wb") as out:
        out.write(idx_bytes(0x00000801, (10_000,), fill=3))


def empty(folder: Path) -> None:
    (folder / "train-images-idx3-ubyte.gz").write_bytes(b"")


def missing(folder: Path) -> None:
    (folder / "t10k-images-idx3-ubyte.gz").unlink()


def not_gzip(folder: Path) -> None:
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(b"this is not a gzip file\n" * 10)


FAULTS = {f.__name__: f for f in (truncated, flipped, wrong_magic, wrong_checksum, empty, missing, not_gzip)}


@pytest.fixture
def damaged(mnist_dir: Path, tmp_path: Path):
    """damaged(name) -> a folder with the four real files, one of them damaged that way."""

    def make(name: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for file in FILES:
            shutil.copyfile(mnist_dir / f"{file}.gz", folder / f"{file}.gz")
        FAULTS[name](folder)
        return folder

    return make


def listing(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in folder.iterdir()}


def one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and 'File "' not in stderr, stderr
    return lines[0]


@pytest.mark.parametrize("fault", FAULTS)
def test_data_info_names_the_problem_in_one_sentence(fault, damaged, capsys):
    folder = damaged(fault)
    before = listing(folder)
    code = cli.main(["data", "info", "--dir", str(folder)])
    line = one_sentence(capsys.readouterr().err)
    assert code != 0
    assert line.startswith("nn-tui data info: ")
    assert listing(folder) == before, "the command changed the folder"


@pytest.mark.parametrize("fault", FAULTS)
def test_train_refuses_a_damaged_folder_with_exit_4(fault, damaged, capsys, tmp_path):
    folder = damaged(fault)
    before = listing(folder)
    saved = tmp_path / "out.npz"
    code = cli.main(["train", "--data-dir", str(folder), "--iterations", "1", "--quiet", "--save", str(saved)])
    line = one_sentence(capsys.readouterr().err)
    assert code == 4
    assert line.startswith("nn-tui train: cannot load the data: ")
    assert listing(folder) == before
    assert not saved.exists() and not list(tmp_path.glob("out*"))


def test_a_real_process_prints_no_traceback(damaged):
    folder = damaged("flipped")
    result = subprocess.run([sys.executable, "-m", "nn_tui", "data", "info", "--dir", str(folder)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "t10k-images" in one_sentence(result.stderr)


def test_a_cache_that_cannot_be_written_is_one_sentence(tmp_path, monkeypatch, capsys):
    """The cache folder sits under a file (as good as read-only, even for root): download says so."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("NN_TUI_CACHE_DIR", str(blocker / "mnist"))
    code = cli.main(["data", "download", "--mirror", "http://127.0.0.1:9/"])
    line = one_sentence(capsys.readouterr().err)
    assert code == 1 and "cannot create the cache folder" in line
    assert blocker.read_text() == ""


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_download_folder_is_one_sentence(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code = cli.main(["data", "download", "--dir", str(folder), "--mirror", "http://127.0.0.1:9/"])
        one_sentence(capsys.readouterr().err)
        assert code != 0 and list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


# --- lesson 6 -------------------------------------------------------------------------------

UI_FAULTS = ["truncated", "flipped", "wrong_checksum", "missing"]


@pytest.mark.parametrize("fault", UI_FAULTS)
async def test_lesson_6_says_so_and_the_offline_subset_still_works(fault, damaged):
    folder = damaged(fault)
    before = listing(folder)
    app = training_app()
    said: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        notify = app.notify
        app.notify = lambda message, *a, **k: (said.append(str(message)), notify(message, *a, **k))[1]
        screen = await data_ready(pilot)
        await paste_into(pilot, "folder", str(folder))  # pasted, as a path usually is

        def shown() -> list[str]:  # notifications, and the lesson's own message line
            return said + [str(w.content) for w in screen.query(Static)]

        await wait_until(pilot, lambda: screen.loading is None and any("Could not load" in s for s in shown()))
        message = next(s for s in shown() if "Could not load" in s)
        assert "Traceback" not in message and 'File "' not in message
        # The subset is still loaded and trains.
        assert screen.phase == "ready" and screen.data.source == "subset"
        await pilot.press("n")
        await wait_until(pilot, lambda: not screen.busy and "iteration 1/" in status(app), what=lambda: (
            f"status {status(app)}, focus {app.focused}, said {said}"))
    assert app._exception is None
    assert listing(folder) == before
