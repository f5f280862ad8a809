"""Full MNIST shared between processes: the images mapped read-only from one file, never copied whole.

A gzip folder is unpacked once into a cache file named by the gzip's
sha256; every later load (in any process) maps that file. An unpacked
folder is mapped where it is. Training converts one mini-batch at a time.
"""

from __future__ import annotations

import gzip
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_tui.core.data import mnist
from nn_tui.core.trainer import TrainConfig, Trainer

IMAGES = np.arange(5 * 784, dtype=np.uint64).reshape(5, 784) % 256


def idx(array: np.ndarray, kind: str) -> bytes:
    if kind == "images":
        return struct.pack(">IIII", mnist.IMAGE_MAGIC, len(array), 28, 28) + array.astype(np.uint8).tobytes()
    return struct.pack(">II", mnist.LABEL_MAGIC, len(array)) + array.astype(np.uint8).tobytes()


def small_folder(folder: Path, packed: bool) -> Path:
    folder.mkdir()
    files = {"train-images-idx3-ubyte": idx(IMAGES, "images"), "train-labels-idx1-ubyte": idx(np.arange(5) % 10, "labels"),
             "t10k-images-idx3-ubyte": idx(IMAGES[:2], "images"), "t10k-labels-idx1-ubyte": idx(np.arange(2), "labels")}
    for name, data in files.items():
        if packed:
            (folder / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
        else:
            (folder / name).write_bytes(data)
    return folder


def mapped_file(array: np.ndarray) -> str:
    assert isinstance(array, np.memmap), type(array)
    return str(array.filename)


def test_gzip_images_are_unpacked_once_and_mapped_read_only(tmp_path):
    folder, cache = small_folder(tmp_path / "data", packed=True), tmp_path / "cache"
    data = mnist.load_mnist(folder, check=False, cache=cache)
    assert np.array_equal(data.train_images, IMAGES.astype(np.uint8))
    assert data.train_images.dtype == np.uint8 and not data.train_images.flags.writeable
    with pytest.raises(ValueError):
        data.train_images[0, 0] = 1
    unpacked = Path(mapped_file(data.train_images))
    assert unpacked.parent == cache and unpacked.name.endswith("-train-images-idx3-ubyte")
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [unpacked.name, Path(mapped_file(data.test_images)).name])  # no temporary left
    made = unpacked.stat().st_mtime_ns
    again = mnist.load_mnist(folder, check=False, cache=cache)  # another process would do the same
    assert mapped_file(again.train_images) == str(unpacked) and unpacked.stat().st_mtime_ns == made


def test_unpacked_images_are_mapped_where_they_are(tmp_path):
    folder = small_folder(tmp_path / "data", packed=False)
    data = mnist.load_mnist(folder, check=False, cache=tmp_path / "cache")
    assert mapped_file(data.train_images) == str(folder / "train-images-idx3-ubyte")
    assert not (tmp_path / "cache").exists()


def test_a_damaged_cache_file_is_unpacked_again_and_an_unwritable_cache_reads_into_memory(tmp_path):
    folder, cache = small_folder(tmp_path / "data", packed=True), tmp_path / "cache"
    first = Path(mapped_file(mnist.load_mnist(folder, check=False, cache=cache).train_images))
    with open(first, "r+b") as f:
        f.truncate(100)  # a cache file cut short (a full disk, a crash of an older version)
    data = mnist.load_mnist(folder, check=False, cache=cache)
    assert np.array_equal(data.train_images, IMAGES.astype(np.uint8)) and first.stat().st_size == 16 + 5 * 784
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    data = mnist.load_mnist(folder, check=False, cache=blocked)
    assert not isinstance(data.train_images, np.memmap) and np.array_equal(data.train_images, IMAGES.astype(np.uint8))


def test_a_raw_file_with_a_wrong_size_is_refused(tmp_path):
    folder = small_folder(tmp_path / "data", packed=False)
    with open(folder / "train-images-idx3-ubyte", "ab") as f:
        f.write(b"\0")
    with pytest.raises(mnist.MnistError) as caught:
        mnist.load_mnist(folder, check=False, cache=None)
    assert caught.value.code == "mnist.extra_bytes"


def test_training_keeps_the_mapped_pixels_and_converts_one_batch_at_a_time(tmp_path):
    folder = small_folder(tmp_path / "data", packed=True)
    data = mnist.load_mnist(folder, check=False, cache=tmp_path / "cache")
    trainer = Trainer(TrainConfig(hidden_sizes=(4,), batch_size=2, epochs=1), data)
    assert trainer.x_train.dtype == np.uint8 and np.shares_memory(trainer.x_train, data.train_images)
    trainer.step()
    assert trainer.iteration == 1


def test_full_mnist_is_mapped_from_one_cache_file_shared_by_processes(mnist_dir, tmp_path):
    """Two processes load full MNIST: one unpacks, both map the same file; neither holds a copy of its own."""
    cache = tmp_path / "cache"
    script = (
        "import sys, numpy as np\n"
        "from nn_tui.core.data import mnist\n"
        f"data = mnist.load_mnist({str(mnist_dir)!r}, cache={str(cache)!r})\n"
        "assert isinstance(data.train_images, np.memmap)\n"
        "int(data.train_images.sum())  # touch every page\n"
        "rss = open('/proc/self/smaps_rollup').read()\n"
        "print(data.train_images.filename, [l.split()[1] for l in rss.splitlines() if l.startswith('Anonymous:')][0])\n"
    )
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True) for _ in range(2)]
    files = {run.stdout.split()[0] for run in runs}
    assert len(files) == 1 and Path(files.pop()).stat().st_size == 47_040_016
    for run in runs:
        anonymous_kb = int(run.stdout.split()[1])
        assert anonymous_kb < 40_000, f"{anonymous_kb} kB of private memory: the 47 MB of images were copied"
