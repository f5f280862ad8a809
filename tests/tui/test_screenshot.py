"""F12 on a full disk: one sentence, and no empty or cut `.svg` left behind.

Was: the SVG was written straight under its final name, so a full disk left
a 0-byte `.svg` there. Now it is written to a hidden temporary file in the
same folder and renamed when complete; on failure the temporary file is
removed.

The disk really is full: a 64 KiB tmpfs (mounting needs root). Where it
cannot be mounted, `os.write` is made to fail as a full disk does, and the
test says so with a warning.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from nn_tui.tui import screenshot
from nn_tui.tui.app import NNTuiApp
from nn_tui.tui.textual_private import notification_texts
from tests.hardening.conftest import PtyProcess

F12 = "\x1b[24~"


def fill(folder: Path) -> None:
    """Fill the file system of `folder` to the last byte."""
    with open(folder / "filler", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC
    # What a block left over might still take: small files, until none fits.
    for n in range(1000):
        try:
            (folder / f"filler-{n}").write_bytes(b"\0" * 64)
        except OSError:
            break


@pytest.fixture
def full_folder(tmp_path, monkeypatch):
    """A folder on a full file system: a real tmpfs if it can be mounted, else failing writes."""
    folder = tmp_path / "full"
    folder.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True, text=True
        ).returncode == 0
    except OSError:  # no mount command
        mounted = False
    if not mounted:
        warnings.warn("no tmpfs could be mounted (not root?): a full disk is imitated by failing os.write")

        def full_disk_write(fd, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(screenshot.os, "write", full_disk_write)
    try:
        if mounted:
            fill(folder)
        yield folder
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def left_behind(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("filler"))


async def test_f12_on_a_full_disk_leaves_no_svg_and_says_one_sentence(full_folder):
    app = NNTuiApp(screenshots=full_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        assert app.is_running
        messages = [m for m in notification_texts(app) if "screenshot" in m]
    assert left_behind(full_folder) == [], "a file was left on the full disk"
    assert messages == [f"Could not save a screenshot in {full_folder}: No space left on device."]
    assert "Errno" not in messages[0]


async def test_f12_saves_a_whole_svg_once_there_is_room_again(full_folder):
    app = NNTuiApp(screenshots=full_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        for filler in full_folder.glob("filler*"):
            filler.unlink()
        if not os.path.ismount(full_folder):
            pytest.skip("the disk was imitated: there is no room to make")
        await pilot.press("f12")
        await pilot.pause()
    names = left_behind(full_folder)
    assert len(names) == 1 and names[0].endswith(".svg"), names
    assert (full_folder / names[0]).read_text().rstrip().endswith("</svg>")


def test_f12_on_a_full_disk_in_a_real_terminal(full_folder, tmp_path):
    if not os.path.ismount(full_folder):
        pytest.skip("needs the real full disk: the imitation cannot reach another process")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "TEXTUAL"))}
    environment.update({"TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30",
                        "NN_TUI_CACHE_DIR": str(tmp_path / "cache"), "HOME": str(tmp_path)})
    tui = PtyProcess([sys.executable, "-m", "nn_tui", "--screenshots", str(full_folder)], environment, (100, 30))
    try:
        tui.wait_for("Perceptron", timeout=20)
        tui.read(0.3)
        tui.send(F12)
        tui.wait_for("Could not save", timeout=10)
        assert left_behind(full_folder) == []
        tui.send("q")
        assert tui.exit_code(timeout=10) == 0
        assert "Traceback" not in tui.text() and "Errno" not in tui.text()
    finally:
        tui.close()
