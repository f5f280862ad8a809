"""Downloading MNIST from local HTTP mirrors (127.0.0.1, never the internet)."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from nn_tui.core.data import download, mnist
from nn_tui.core.data.download import DownloadCancelled, DownloadError, download_mnist

LABELS = "t10k-labels-idx1-ubyte.gz"  # 4,542 bytes
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"  # 28,881 bytes
IMAGES = "t10k-images-idx3-ubyte.gz"  # 1,648,877 bytes: many chunks
SMALL = (LABELS, TRAIN_LABELS, IMAGES)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def known_sha(name: str) -> str:
    return mnist.KNOWN_FILES[name.removesuffix(".gz")].gz_sha256


class Recorder:
    """A progress callback remembering every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, name: str, done: int, total: int) -> None:
        self.calls.append((name, done, total))

    def of(self, name: str) -> list[int]:
        return [done for n, done, _ in self.calls if n == name]


def test_download_small_files(mirror_server, mnist_bytes, tmp_path: Path) -> None:
    server = mirror_server({name: mnist_bytes[name] for name in SMALL})
    progress = Recorder()
    paths = download_mnist(tmp_path, [server.url], progress=progress, files=SMALL)
    assert paths == {name: tmp_path / name for name in SMALL}
    for name in SMALL:
        assert sha(tmp_path / name) == known_sha(name)
        done = progress.of(name)
        assert done[0] == 0 and done[-1] == len(mnist_bytes[name]) and done == sorted(done)
        assert {total for n, _, total in progress.calls if n == name} == {len(mnist_bytes[name])}
    assert len(progress.of(IMAGES)) == 2 + len(mnist_bytes[IMAGES]) // download.CHUNK  # one call per chunk
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SMALL)  # no .part left
    assert [(name, rng) for name, rng, _ in server.log] == [(name, None) for name in SMALL]


def test_verified_files_are_not_downloaded_again(mirror_server, mnist_bytes, tmp_path: Path) -> None:
    server = mirror_server({LABELS: mnist_bytes[LABELS], TRAIN_LABELS: mnist_bytes[TRAIN_LABELS]})
    (tmp_path / LABELS).write_bytes(mnist_bytes[LABELS])
    (tmp_path / TRAIN_LABELS).write_bytes(mnist_bytes[TRAIN_LABELS][:-5] + b"wrong")  # present but wrong
    progress = Recorder()
    download_mnist(tmp_path, [server.url], progress=progress, files=[LABELS, TRAIN_LABELS])
    assert progress.of(LABELS) == [4_542]
    assert [name for name, _, _ in server.log] == [TRAIN_LABELS]
    assert sha(tmp_path / TRAIN_LABELS) == known_sha(TRAIN_LABELS)


def test_resume_a_partial_file(mirror_server, mnist_bytes, tmp_path: Path) -> None:
    server = mirror_server({IMAGES: mnist_bytes[IMAGES]})
    (tmp_path / f"{IMAGES}.part").write_bytes(mnist_bytes[IMAGES][:1_000_000])
    progress = Recorder()
    download_mnist(tmp_path, [server.url], progress=progress, files=[IMAGES])
    assert server.log == [(IMAGES, "bytes=1000000-", 1_648_877 - 1_000_000)]
    assert progress.of(IMAGES)[0] == 1_000_000
    assert sha(tmp_path / IMAGES) == known_sha(IMAGES)
    assert not (tmp_path / f"{IMAGES}.part").exists()


def test_server_ignoring_range_restarts_cleanly(mirror_server, mnist_bytes, tmp_path: Path) -> None:
    server = mirror_server({LABELS: {"data": mnist_bytes[LABELS], "honour_range": False}})
    (tmp_path / f"{LABELS}.part").write_bytes(mnist_bytes[LABELS][:3_000])
    download_mnist(tmp_path, server.url, files=LABELS)  # one mirror, one file: plain strings
    assert server.log == [(LABELS, "bytes=3000-", 4_542)]
    assert sha(tmp_path / LABELS) == known_sha(LABELS)


def test_a_part_that_is_not_a_prefix_is_downloaded_again(mirror_server, mnist_bytes, tmp_path: Path) -> None:
    server = mirror_server({LABELS: mnist_bytes[LABELS]})
    (tmp_path / f"{LABELS}.part").write_bytes(b"\0" * 1_000)
    download_mnist(tmp_path, [server.url], files=[LABELS])
    assert server.log == [(LABELS, "bytes=1000-", 3_542), (LABELS, None, 4_542)]
    assert sha(tmp_path / LABELS) == known_sha(LABELS)


def test_a_complete_but_wrong_part_is_replaced(mirror_server, mnist_bytes, tmp_path: Path) -> None:
    server = mirror_server({LABELS: mnist_bytes[LABELS]})
    (tmp_path / f"{LABELS}.part").write_bytes(b"\0" * 4_542)
    download_mnist(tmp_path, [server.url], files=[LABELS])
    assert server.log == [(LABELS, None, 4_542)]
    assert sha(tmp_path / LABELS) == known_sha(LABELS)


def test_connection_cut_then_next_mirror_resumes(mirror_server, mnist_bytes, tmp_path: Path) -> None:
    cut = mirror_server({IMAGES: {"data": mnist_bytes[IMAGES], "cut_after": 500_000}})
    good = mirror_server({IMAGES: mnist_bytes[IMAGES]})
    download_mnist(tmp_path, [cut.url, good.url], files=[IMAGES])
    assert cut.log == [(IMAGES, None, 500_000)]
    assert good.log == [(IMAGES, "bytes=500000-", 1_148_877)]
    assert sha(tmp_path / IMAGES) == known_sha(IMAGES)


def test_short_file_then_good_mirror(mirror_server, mnist_bytes, tmp_path: Path) -> None:
    short = mirror_server({LABELS: mnist_bytes[LABELS][:4_000]})  # honest about its (wrong) length
    good = mirror_server({LABELS: mnist_bytes[LABELS]})
    download_mnist(tmp_path, [short.url, good.url], files=[LABELS])
    assert [n for n, _, _ in good.log] == [LABELS]
    assert sha(tmp_path / LABELS) == known_sha(LABELS)


def test_wrong_checksum_then_good_mirror(mirror_server, mnist_bytes, tmp_path: Path) -> None:
    data = bytearray(mnist_bytes[LABELS])
    data[2_000] ^= 0xFF
    bad = mirror_server({LABELS: bytes(data)})
    good = mirror_server({LABELS: mnist_bytes[LABELS]})
    download_mnist(tmp_path, [bad.url, good.url], files=[LABELS])
    assert good.log == [(LABELS, None, 4_542)]  # from scratch: the bad bytes were not kept
    assert sha(tmp_path / LABELS) == known_sha(LABELS)


def test_all_mirrors_bad(mirror_server, mnist_bytes, tmp_path: Path) -> None:
    data = bytearray(mnist_bytes[LABELS])
    data[-100] ^= 0xFF
    mirrors = [
        mirror_server({}),
        mirror_server({LABELS: {"data": mnist_bytes[LABELS], "cut_after": 1_000}}),
        mirror_server({LABELS: bytes(data)}),
        mirror_server({LABELS: mnist_bytes[LABELS] + b"extra"}),
    ]
    with pytest.raises(DownloadError) as caught:
        download_mnist(tmp_path, [m.url for m in mirrors], files=[LABELS])
    assert str(caught.value) == (
        f"could not download {LABELS}: "
        f"{mirrors[0].url}: HTTP 404 Not Found; "
        f"{mirrors[1].url}: the connection closed after 1,000 of 4,542 bytes; "
        f"{mirrors[2].url}: the file it serves is not the original (wrong sha256); "
        f"{mirrors[3].url}: it serves 4,547 bytes; the original has 4,542."
    )
    # mirror 3 resumed mirror 2's prefix, found it wrong and retried from scratch
    assert mirrors[2].log == [(LABELS, "bytes=1000-", 3_542), (LABELS, None, 4_542)]
    assert list(tmp_path.iterdir()) == []  # no final file, no .part


def test_unreachable_and_stalled_mirrors(mirror_server, tmp_path: Path) -> None:
    stalled = mirror_server({LABELS: {"data": b"", "stall": True}})
    with pytest.raises(DownloadError, match=rf"{stalled.url}: timed out; http://127.0.0.1:1/: Connection refused\.$"):
        download_mnist(tmp_path, [stalled.url, "http://127.0.0.1:1/"], files=[LABELS], timeout=0.3)
    assert list(tmp_path.iterdir()) == []


def test_cancel_keeps_the_part_for_resuming(mirror_server, mnist_bytes, tmp_path: Path) -> None:
    server = mirror_server({IMAGES: mnist_bytes[IMAGES]})
    stop = threading.Event()

    def progress(name: str, done: int, total: int) -> None:
        if done >= 5 * download.CHUNK:
            stop.set()

    with pytest.raises(DownloadCancelled, match="cancelled; run it again to resume"):
        download_mnist(tmp_path, [server.url], progress=progress, cancel=stop, files=[IMAGES])
    part = tmp_path / f"{IMAGES}.part"
    assert part.read_bytes() == mnist_bytes[IMAGES][: 5 * download.CHUNK]
    assert not (tmp_path / IMAGES).exists()
    download_mnist(tmp_path, [server.url], cancel=lambda: False, files=[IMAGES])
    assert server.log[-1][1] == f"bytes={5 * download.CHUNK}-"
    assert sha(tmp_path / IMAGES) == known_sha(IMAGES)


def test_missing_or_unwritable_folder(mirror_server, mnist_bytes, tmp_path: Path) -> None:
    server = mirror_server({LABELS: mnist_bytes[LABELS]})
    with pytest.raises(DownloadError, match="the folder .*nowhere does not exist; create it first"):
        download_mnist(tmp_path / "nowhere", [server.url], files=[LABELS])
    assert not (tmp_path / "nowhere").exists()
    locked = tmp_path / "locked"
    locked.mkdir()
    with read_only(locked):
        with pytest.raises(DownloadError, match="cannot write in .*locked"):
            download_mnist(locked, [server.url], files=[LABELS])
        assert list(locked.iterdir()) == []
    assert server.log == []  # refused before any request


class read_only:
    """Make a folder unwritable, even for root (chattr +i) if chmod is not enough."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.immutable = folder, False

    def __enter__(self) -> None:
        self.folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        if os.access(self.folder, os.W_OK) and _writable(self.folder):
            chattr = shutil.which("chattr")
            done = chattr and subprocess.run([chattr, "+i", str(self.folder)], capture_output=True).returncode == 0
            if not done:
                self.folder.chmod(0o755)
                pytest.skip("cannot make a folder read-only here (root without chattr)")
            self.immutable = True

    def __exit__(self, *exc: object) -> None:
        if self.immutable:
            subprocess.run([shutil.which("chattr"), "-i", str(self.folder)], check=True)
        self.folder.chmod(0o755)


def _writable(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return False
    probe.unlink()
    return True


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mirrors": ["ftp://example.org/mnist/"]}, "a mirror must be an http:// or https:// URL of a folder"),
        ({"mirrors": ["example.org/mnist"]}, "a mirror must be an http:// or https:// URL"),
        ({"mirrors": []}, "give at least one mirror URL"),
        ({"files": ["mnist.pkl.gz"]}, "unknown MNIST file"),
        ({"timeout": 0}, "timeout must be a positive number of seconds"),
        ({"timeout": float("nan")}, "timeout must be a positive number of seconds"),
        ({"cancel": "yes"}, "cancel must be a callable or a threading.Event"),
    ],
)
def test_bad_arguments(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        download_mnist(tmp_path, **{"mirrors": ["http://127.0.0.1:1/"], **kwargs})
    assert list(tmp_path.iterdir()) == []


def test_check_mirror_adds_the_slash() -> None:
    assert download.check_mirror("https://example.org/mnist") == "https://example.org/mnist/"
    assert download.check_mirror(download.MIRRORS[0]) == download.MIRRORS[0]


def test_download_everything_into_the_cache(monkeypatch, mirror_server, mnist_bytes, tmp_path: Path) -> None:
    # the one test that moves the 9.9 MB training images
    server = mirror_server(mnist_bytes)
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("NN_TUI_CACHE_DIR", str(cache))
    monkeypatch.delenv("NN_TUI_MNIST_DIR", raising=False)
    assert mnist.default_source() is None
    download_mnist(mnist.cache_dir(), [server.url])
    assert mnist.verify_folder(cache) == dict.fromkeys(mnist.KNOWN_FILES, "ok")
    assert mnist.default_source() == cache
    assert sorted(n for n, _, _ in server.log) == sorted(mnist_bytes)
