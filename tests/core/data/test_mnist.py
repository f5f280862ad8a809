"""Reading MNIST: the IDX format, the checks, the offline subset and mini-batches."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import struct
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui import assets
from nn_tui.assets import make_mnist_subset
from nn_tui.core.data import mnist
from nn_tui.core.data.mnist import MnistData, MnistError
from nn_tui.core.refusal import Refusal

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
SUBSET_TRAIN_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
SUBSET_TEST_COUNTS = [175, 234, 219, 207, 217, 179, 178, 205, 192, 194]
SUBSET_SHA256 = "5c666c79e99e1308da80fe8f208c8a4e12026edeb86eca7ead8c008996e62fee"


def idx_bytes(array: np.ndarray, kind: str, *, rows: int = 28, cols: int = 28, magic: int | None = None) -> bytes:
    """An IDX file holding `array` (images (N, rows*cols) or labels (N,))."""
    if kind == "images":
        header = struct.pack(">IIII", magic or mnist.IMAGE_MAGIC, len(array), rows, cols)
    else:
        header = struct.pack(">II", magic or mnist.LABEL_MAGIC, len(array))
    return header + np.asarray(array, dtype=np.uint8).tobytes()


def write(path: Path, data: bytes, *, packed: bool = False) -> Path:
    path.write_bytes(gzip.compress(data, mtime=0) if packed else data)
    return path


def link_originals(folder: Path, source: Path, names=mnist.KNOWN_FILES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.gz").symlink_to(source / f"{name}.gz")
    return folder


# --------------------------------------------------------------------------
# The real files


@pytest.fixture(scope="module")
def full(mnist_dir: Path) -> tuple[MnistData, int, float]:
    """Full MNIST, with the peak memory traced while loading it."""
    tracemalloc.start()
    try:
        data = mnist.load_mnist(mnist_dir)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return data, peak


def test_full_mnist_facts(full) -> None:
    data, _ = full
    assert data.name == "MNIST: 60,000 train / 10,000 test"
    assert (data.train_size, data.test_size) == (60_000, 10_000)
    assert data.train_images.shape == (60_000, 784) and data.train_images.dtype == np.uint8
    assert data.test_images.shape == (10_000, 784) and data.test_labels.dtype == np.uint8
    assert data.train_labels[0] == 5 and data.test_labels[0] == 7
    assert mnist.label_counts(data.train_labels).tolist() == TRAIN_COUNTS
    assert mnist.label_counts(data.test_labels).tolist() == TEST_COUNTS
    assert data.train_images.max() == 255 and data.train_images.min() == 0


def test_full_mnist_is_held_once_in_memory(full) -> None:
    data, peak = full
    arrays = data.train_images.nbytes + data.train_labels.nbytes + data.test_images.nbytes + data.test_labels.nbytes
    assert arrays == 47_040_000 + 60_000 + 7_840_000 + 10_000
    # one copy of the data plus small read buffers, not a second 47 MB
    assert peak < arrays + 8_000_000


def test_arrays_are_read_only(full) -> None:
    data, _ = full
    with pytest.raises(ValueError):
        data.train_images[0, 0] = 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.name = "other"  # type: ignore[misc]


def test_pixels_equal_an_independent_decode(mnist_dir: Path) -> None:
    raw = gzip.decompress((mnist_dir / "t10k-images-idx3-ubyte.gz").read_bytes())
    expected = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(10_000, 784)
    images = mnist.read_idx(mnist_dir / "t10k-images-idx3-ubyte.gz", "images")
    np.testing.assert_array_equal(images, expected)


def test_unpacked_files_and_misleading_names(mnist_dir: Path, tmp_path: Path) -> None:
    # raw test files, named without .gz; the gzip label file under a raw name:
    # the format is told by the magic bytes, not by the name.
    folder = link_originals(tmp_path / "mixed", mnist_dir, names=["train-images-idx3-ubyte"])
    for name in ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        write(folder / name, gzip.decompress((mnist_dir / f"{name}.gz").read_bytes()))
    (folder / "train-labels-idx1-ubyte").symlink_to(mnist_dir / "train-labels-idx1-ubyte.gz")
    data = mnist.load_mnist(folder)
    assert data.test_labels[0] == 7 and data.train_labels[0] == 5
    assert mnist.label_counts(data.test_labels).tolist() == TEST_COUNTS
    assert mnist.verify_folder(folder) == dict.fromkeys(mnist.KNOWN_FILES, "ok")
    raw_named_gz = write(tmp_path / "labels.gz", (folder / "t10k-labels-idx1-ubyte").read_bytes())
    assert mnist.read_idx(raw_named_gz, "labels")[:3].tolist() == [7, 2, 1]


# --------------------------------------------------------------------------
# The checks


def test_truncated_raw_file_names_the_file(tmp_path: Path) -> None:
    data = idx_bytes(np.zeros((3, 784)), "images")
    path = write(tmp_path / "digits-idx3", data[:-100])
    with pytest.raises(MnistError, match=r"digits-idx3: the header announces 3 images \(2,368 bytes\) "
                       r"but the file holds 2,268 bytes; it is truncated\."):
        mnist.read_idx(path, "images")


def test_truncated_gzip_file(tmp_path: Path) -> None:
    packed = gzip.compress(idx_bytes(np.arange(3000) % 10, "labels"), mtime=0)
    path = write(tmp_path / "labels.gz", packed[: len(packed) // 2])
    with pytest.raises(MnistError, match="labels.gz"):
        mnist.read_idx(path, "labels")


def test_gzip_with_a_lying_trailer_is_caught_while_reading(tmp_path: Path) -> None:
    # the announced count and the trailer agree, but the data stops short
    data = idx_bytes(np.zeros(50), "labels")
    packed = bytearray(gzip.compress(data[:-10], mtime=0))
    packed[-4:] = struct.pack("<I", len(data))
    with pytest.raises(MnistError, match="labels.gz"):
        mnist.read_idx(write(tmp_path / "labels.gz", bytes(packed)), "labels")


@pytest.mark.parametrize(
    ("data", "kind", "message"),
    [
        (idx_bytes(np.zeros(4), "labels"), "images", "magic number 2049 where images need 2051; it is a label file"),
        (idx_bytes(np.zeros((2, 784)), "images"), "labels", "magic number 2051 where labels need 2049; it is an image file"),
        (b"PK\x03\x04 not idx", "labels", "magic number 1347093252 where labels need 2049; it is not an IDX file"),
        (idx_bytes(np.zeros((2, 27 * 28)), "images", rows=27), "images", "images are 27x28; MNIST images are 28x28"),
        (idx_bytes(np.array([1, 10, 3]), "labels"), "labels", "holds a label 10; MNIST labels are 0 to 9"),
        (idx_bytes(np.zeros(4), "labels") + b"\0", "labels", "it has extra bytes at the end"),
        (b"\0\0\x08", "labels", r"too short to be an IDX file \(3 bytes\)"),
        (idx_bytes(np.zeros((1, 784)), "images")[:12], "images", "truncated inside its header"),
    ],
)
def test_bad_files_raise_a_clear_error(tmp_path: Path, data: bytes, kind: str, message: str) -> None:
    for packed in (False, True):
        path = write(tmp_path / f"file{int(packed)}", data, packed=packed)
        with pytest.raises(MnistError, match=message):
            mnist.read_idx(path, kind)


def test_mnist_error_is_a_value_error() -> None:
    assert issubclass(MnistError, ValueError)
    assert issubclass(MnistError, Refusal)
    with pytest.raises(ValueError, match="kind must be 'images' or 'labels'"):
        mnist.read_idx("whatever", "pixels")


@settings(max_examples=50, deadline=None)
@given(
    images=st.integers(0, 5).flatmap(
        lambda n: st.binary(min_size=n * 784, max_size=n * 784).map(
            lambda b: np.frombuffer(b, dtype=np.uint8).reshape(-1, 784)
        )
    ),
    packed=st.booleans(),
    cut=st.floats(0, 1, exclude_max=True),
)
def test_round_trip_and_any_truncation(images: np.ndarray, packed: bool, cut: float) -> None:
    data = idx_bytes(images, "images")
    stored = gzip.compress(data, mtime=0) if packed else data
    with tempfile.TemporaryDirectory() as folder:
        whole = write(Path(folder) / "whole", stored)
        np.testing.assert_array_equal(mnist.read_idx(whole, "images"), images)
        cut_file = write(Path(folder) / "cut", stored[: int(cut * len(stored))])
        with pytest.raises(MnistError):  # never a silently shorter array
            mnist.read_idx(cut_file, "images")


def test_folder_checks_sha256_of_gzip_files(mnist_dir: Path, tmp_path: Path) -> None:
    folder = link_originals(tmp_path / "m", mnist_dir, names=list(mnist.KNOWN_FILES)[:3])
    # the same labels, gzipped again: valid IDX, but not the original file
    labels = gzip.decompress((mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes())
    write(folder / "t10k-labels-idx1-ubyte.gz", labels, packed=True)
    with pytest.raises(MnistError, match=r"t10k-labels-idx1-ubyte.gz is not the original t10k-labels-idx1-ubyte.gz \(its sha256 differs\)"):
        mnist.load_mnist(folder)
    assert mnist.load_mnist(folder, check=False).test_labels[0] == 7
    assert mnist.verify_folder(folder)["t10k-labels-idx1-ubyte"] == "wrong"


def test_folder_checks_size_of_unpacked_files(mnist_dir: Path, tmp_path: Path) -> None:
    folder = link_originals(tmp_path / "m", mnist_dir, names=list(mnist.KNOWN_FILES)[:3])
    labels = gzip.decompress((mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes())
    write(folder / "t10k-labels-idx1-ubyte", labels[:8] + labels[8:1008])  # a valid IDX of 1,000 labels
    with pytest.raises(MnistError, match="t10k-labels-idx1-ubyte has 1,008 bytes; the original unpacked t10k-labels-idx1-ubyte has 10,008"):
        mnist.load_mnist(folder)
    # with the check off the structure still catches the count mismatch (header says 10,000)
    with pytest.raises(MnistError, match="truncated"):
        mnist.load_mnist(folder, check=False)


def test_a_same_size_corrupted_unpacked_file_is_refused(mnist_dir: Path, tmp_path: Path) -> None:
    # an unpacked label file of the original size, with labels still 0..9 but wrong:
    # it would train silently towards chance level
    folder = link_originals(tmp_path / "m", mnist_dir, names=list(mnist.KNOWN_FILES)[:3])
    labels = bytearray(gzip.decompress((mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes()))
    labels[8:] = bytes((label + 1) % 10 for label in labels[8:])
    write(folder / "t10k-labels-idx1-ubyte", bytes(labels))
    with pytest.raises(MnistError, match=r"^t10k-labels-idx1-ubyte has the size of the original unpacked "
                       r"t10k-labels-idx1-ubyte but not its sha256, so its contents differ; "
                       r"download it again with `nn-tui data download`\.$"):
        mnist.load_mnist(folder)
    assert mnist.verify_folder(folder)["t10k-labels-idx1-ubyte"] == "wrong"
    # loaded unchecked, the set says it is unverified
    unchecked = mnist.load_mnist(folder, check=False)
    assert unchecked.name == "MNIST (unverified): 60,000 train / 10,000 test"
    assert unchecked.subset(300).name.startswith("MNIST (unverified), 300 random train")
    # the original bytes, unpacked, still load as MNIST
    write(folder / "t10k-labels-idx1-ubyte", gzip.decompress((mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes()))
    assert mnist.load_mnist(folder).name == "MNIST: 60,000 train / 10,000 test"


def test_images_and_labels_counts_must_match(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    folder.mkdir()
    write(folder / "train-images-idx3-ubyte", idx_bytes(np.zeros((3, 784)), "images"))
    write(folder / "train-labels-idx1-ubyte", idx_bytes(np.array([1, 2, 3]), "labels"))
    write(folder / "t10k-images-idx3-ubyte", idx_bytes(np.zeros((2, 784)), "images"))
    write(folder / "t10k-labels-idx1-ubyte", idx_bytes(np.array([4, 5, 6]), "labels"))
    with pytest.raises(MnistError, match="t10k-images-idx3-ubyte holds 2 images but t10k-labels-idx1-ubyte holds 3 labels"):
        mnist.load_mnist(folder, check=False)
    write(folder / "t10k-labels-idx1-ubyte", idx_bytes(np.array([4, 5]), "labels"))
    data = mnist.load_mnist(folder, check=False)
    assert data.name == "MNIST (unverified): 3 train / 2 test" and data.source == str(folder)
    assert data.test_labels.tolist() == [4, 5]


def test_missing_folder_or_files(tmp_path: Path) -> None:
    with pytest.raises(MnistError, match="is not a folder"):
        mnist.load_mnist(tmp_path / "nowhere")
    write(tmp_path / "train-labels-idx1-ubyte", idx_bytes(np.zeros(1), "labels"))
    with pytest.raises(MnistError, match="lacks train-images-idx3-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte"):
        mnist.load_mnist(tmp_path)


def test_verify_folder_states(mnist_dir: Path, tmp_path: Path) -> None:
    assert mnist.verify_folder(mnist_dir) == dict.fromkeys(mnist.KNOWN_FILES, "ok")
    folder = link_originals(tmp_path / "m", mnist_dir, names=["train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"])
    write(folder / "t10k-images-idx3-ubyte", b"not mnist")
    assert mnist.verify_folder(folder) == {
        "train-images-idx3-ubyte": "missing",
        "train-labels-idx1-ubyte": "ok",
        "t10k-images-idx3-ubyte": "wrong",
        "t10k-labels-idx1-ubyte": "ok",
    }


def test_known_sums_match_the_shared_sha256sums(mnist_dir: Path) -> None:
    sums = mnist_dir / "SHA256SUMS"
    if sums.is_file():  # beside the shared copy; a folder named by NN_TUI_MNIST_DIR may lack it
        listed = dict(line.split()[::-1] for line in sums.read_text().splitlines() if line.strip())
        assert {k.gz_name: k.gz_sha256 for k in mnist.KNOWN_FILES.values()} == listed
    for known in mnist.KNOWN_FILES.values():
        packed = (mnist_dir / known.gz_name).read_bytes()
        assert len(packed) == known.gz_size
        raw = gzip.decompress(packed)
        assert (len(raw), hashlib.sha256(raw).hexdigest()) == (known.raw_size, known.raw_sha256)
        assert known.raw_size == (16 + 784 * known.count if known.kind == "images" else 8 + known.count)


# --------------------------------------------------------------------------
# The shipped subset


def test_offline_subset() -> None:
    data = mnist.load_mnist(assets.MNIST_SUBSET)
    assert data.name == "offline subset: 10,000 train / 2,000 test" and data.source == "subset"
    assert data.train_images.shape == (10_000, 784) and data.test_images.shape == (2_000, 784)
    assert data.train_images.dtype == np.uint8 and data.test_labels.dtype == np.uint8
    assert mnist.label_counts(data.train_labels).tolist() == SUBSET_TRAIN_COUNTS
    assert mnist.label_counts(data.test_labels).tolist() == SUBSET_TEST_COUNTS
    assert data.train_labels[0] == 5 and data.test_labels[0] == 7
    assert not data.train_images.flags.writeable


def test_subset_asset_is_small_and_known() -> None:
    payload = assets.MNIST_SUBSET.read_bytes()
    assert len(payload) == 1_966_914 < 3_000_000
    assert hashlib.sha256(payload).hexdigest() == SUBSET_SHA256
    with assets.MNIST_SUBSET.open("rb") as f, np.load(f, allow_pickle=False) as npz:
        assert sorted(npz.files) == sorted(mnist.SUBSET_KEYS)


def test_subset_is_the_first_digits_and_rebuilds_byte_for_byte(full, tmp_path: Path, mnist_dir: Path) -> None:
    data, _ = full
    subset = mnist.load_subset(assets.MNIST_SUBSET)
    np.testing.assert_array_equal(subset.train_images, data.train_images[:10_000])
    np.testing.assert_array_equal(subset.train_labels, data.train_labels[:10_000])
    np.testing.assert_array_equal(subset.test_images, data.test_images[:2_000])
    np.testing.assert_array_equal(subset.test_labels, data.test_labels[:2_000])
    rebuilt = tmp_path / "subset.npz"
    make_mnist_subset.write_npz(rebuilt, {
        "train_images": data.train_images[:10_000], "train_labels": data.train_labels[:10_000],
        "test_images": data.test_images[:2_000], "test_labels": data.test_labels[:2_000],
    })
    assert rebuilt.read_bytes() == assets.MNIST_SUBSET.read_bytes()


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        (None, "is damaged"),  # not a zip at all
        ({"train_images": np.zeros((2, 784), np.uint8)}, "it lacks train_labels, test_images, test_labels"),
        ({"train_images": np.zeros((2, 784), np.float32), "train_labels": np.zeros(2, np.uint8),
          "test_images": np.zeros((1, 784), np.uint8), "test_labels": np.zeros(1, np.uint8)},
         r"is damaged: train_images must be a uint8 array of shape \(N, 784\), got float32 \(2, 784\)"),
        ({"train_images": np.zeros((2, 784), np.uint8), "train_labels": np.zeros(3, np.uint8),
          "test_images": np.zeros((1, 784), np.uint8), "test_labels": np.zeros(1, np.uint8)},
         r"train_labels must be a uint8 array of shape \(2,\)"),
    ],
)
def test_damaged_subset_asset(monkeypatch, tmp_path: Path, arrays, message: str) -> None:
    damaged = tmp_path / "mnist_subset.npz"
    if arrays is None:
        damaged.write_bytes(b"\x93NUMPY garbage")
    else:
        np.savez(damaged, **arrays)
    with pytest.raises(MnistError, match=message) as caught:
        mnist.load_subset(damaged)
    assert "reinstall nn-tui" in str(caught.value).lower()
    with pytest.raises(MnistError, match="is missing; reinstall nn-tui"):
        mnist.load_subset(tmp_path / "gone.npz")


# --------------------------------------------------------------------------
# MnistData


def small_data(n_train: int = 20, n_test: int = 5) -> MnistData:
    rng = np.random.default_rng(1)
    return MnistData(
        rng.integers(0, 256, (n_train, 784), dtype=np.uint8), (np.arange(n_train) % 10).astype(np.uint8),
        rng.integers(0, 256, (n_test, 784), dtype=np.uint8), (np.arange(n_test) % 10).astype(np.uint8),
        name="MNIST: 20 train / 5 test", source="/somewhere",
    )


def test_subset_for_the_overfitting_demo() -> None:
    data = mnist.load_subset(assets.MNIST_SUBSET)
    small = data.subset(300, seed=0)
    assert (small.train_size, small.test_size) == (300, 2_000)
    assert small.name == "offline subset, 300 random train / 2,000 test (seed 0)"
    assert small.test_images is data.test_images
    again = data.subset(300, seed=0)
    np.testing.assert_array_equal(again.train_images, small.train_images)
    assert not np.array_equal(data.subset(300, seed=1).train_labels, small.train_labels)
    # every chosen digit is a distinct digit of the set, with its own label
    rows = {bytes(row): label for row, label in zip(data.train_images, data.train_labels)}
    assert len({bytes(row) for row in small.train_images}) == 300
    assert all(rows[bytes(row)] == label for row, label in zip(small.train_images, small.train_labels))
    assert data.subset(data.train_size).train_size == data.train_size


@pytest.mark.parametrize("n", [0, -1, 21, 2.5, True, "300"])
def test_subset_rejects_bad_sizes(n) -> None:
    with pytest.raises(ValueError, match="n_train must be a whole number from 1 to 20"):
        small_data().subset(n)


def test_mnist_data_validates_its_arrays() -> None:
    good = small_data()
    fields = dict(train_images=good.train_images, train_labels=good.train_labels,
                  test_images=good.test_images, test_labels=good.test_labels, name="x", source="y")
    with pytest.raises(MnistError, match=r"test_images must be a uint8 array of shape \(N, 784\), got uint8 \(5, 28, 28\)"):
        MnistData(**{**fields, "test_images": good.test_images.reshape(5, 28, 28)})
    with pytest.raises(MnistError, match=r"train_labels must be a uint8 array of shape \(20,\) to match train_images, got int64 \(20,\)"):
        MnistData(**{**fields, "train_labels": good.train_labels.astype(np.int64)})
    with pytest.raises(MnistError, match="test_labels holds 12; MNIST labels are 0 to 9"):
        MnistData(**{**fields, "test_labels": np.array([0, 1, 12, 3, 4], np.uint8)})
    with pytest.raises(MnistError, match="got list"):
        MnistData(**{**fields, "train_images": [[0] * 784]})


def test_label_counts() -> None:
    assert mnist.label_counts(np.array([0, 0, 9, 3], np.uint8)).tolist() == [2, 0, 0, 1, 0, 0, 0, 0, 0, 1]
    for bad in (np.array([10]), np.array([-1]), np.array([0.5]), np.zeros((2, 2), int)):
        with pytest.raises(ValueError):
            mnist.label_counts(bad)


# --------------------------------------------------------------------------
# Where the data comes from


def test_cache_dir_order(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NN_TUI_CACHE_DIR", str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert mnist.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("NN_TUI_CACHE_DIR")
    assert mnist.cache_dir() == tmp_path / "xdg" / "nn-tui" / "mnist"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert mnist.cache_dir() == tmp_path / "home" / ".cache" / "nn-tui" / "mnist"


def test_default_source_order(monkeypatch, mnist_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("NN_TUI_CACHE_DIR", str(cache))
    monkeypatch.delenv("NN_TUI_MNIST_DIR", raising=False)
    assert mnist.default_source() is None  # no cache folder yet
    link_originals(cache, mnist_dir, names=list(mnist.KNOWN_FILES)[1:])
    assert mnist.default_source() is None  # incomplete cache
    write(cache / "train-images-idx3-ubyte.gz", b"\x1f\x8b broken")
    assert mnist.default_source() is None  # unverified cache
    (cache / "train-images-idx3-ubyte.gz").unlink()
    (cache / "train-images-idx3-ubyte.gz").symlink_to(mnist_dir / "train-images-idx3-ubyte.gz")
    assert mnist.default_source() == cache
    monkeypatch.setenv("NN_TUI_MNIST_DIR", str(tmp_path / "chosen"))
    assert mnist.default_source() == tmp_path / "chosen"  # explicit, even if absent...
    with pytest.raises(MnistError, match="chosen is not a folder"):
        mnist.find_mnist(assets.MNIST_SUBSET)  # ...so that loading it fails loudly


def test_find_mnist_falls_back_to_the_subset(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NN_TUI_MNIST_DIR", raising=False)
    monkeypatch.setenv("NN_TUI_CACHE_DIR", str(tmp_path / "empty"))
    assert mnist.find_mnist(assets.MNIST_SUBSET).source == "subset"


# --------------------------------------------------------------------------
# Mini-batches


def test_normalize_exact_values() -> None:
    pixels = np.array([[0, 1, 128, 255]], dtype=np.uint8)
    x = mnist.normalize(pixels)
    assert x.dtype == np.float32
    assert x.tolist() == [[0.0, np.float32(1 / 255), np.float32(128 / 255), 1.0]]
    x64 = mnist.normalize(pixels, np.float64)
    assert x64.dtype == np.float64 and x64[0, 2] == 128 / 255
    assert pixels.tolist() == [[0, 1, 128, 255]]  # the input is untouched


def test_normalize_refuses_non_pixels() -> None:
    with pytest.raises(ValueError, match="normalize expects uint8 pixels 0..255, got float32"):
        mnist.normalize(np.zeros((1, 784), np.float32))
    with pytest.raises(ValueError, match="needs a floating dtype, got int32"):
        mnist.normalize(np.zeros((1, 784), np.uint8), np.int32)


def test_one_hot() -> None:
    t = mnist.one_hot(np.array([5, 0, 9], np.uint8))
    assert t.dtype == np.float32 and t.shape == (3, 10)
    assert t.tolist() == [[0, 0, 0, 0, 0, 1, 0, 0, 0, 0], [1] + [0] * 9, [0] * 9 + [1]]
    assert mnist.one_hot(np.array([2]), num_classes=3, dtype=np.float64).tolist() == [[0.0, 0.0, 1.0]]
    assert mnist.one_hot(np.array([], np.uint8)).shape == (0, 10)
    with pytest.raises(ValueError, match="labels must be from 0 to 9, got 0..10"):
        mnist.one_hot(np.array([0, 10]))
    with pytest.raises(ValueError, match="labels must be from 0 to 9, got -1..3"):
        mnist.one_hot(np.array([-1, 3]))
    with pytest.raises(ValueError, match="1-D integer array"):
        mnist.one_hot(np.array([1.0]))
    with pytest.raises(ValueError, match="num_classes must be a positive whole number"):
        mnist.one_hot(np.array([0]), num_classes=0)


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 200), batch_size=st.integers(1, 64), drop_last=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_batch_indices_cover_an_epoch(n: int, batch_size: int, drop_last: bool, seed: int) -> None:
    batches = list(mnist.batch_indices(n, batch_size, rng=np.random.default_rng(seed), drop_last=drop_last))
    sizes = [len(b) for b in batches]
    if drop_last:
        assert sizes == [batch_size] * (n // batch_size)
    else:
        assert sizes == [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    seen = np.concatenate(batches) if batches else np.array([], int)
    assert len(set(seen.tolist())) == len(seen)  # no index twice in an epoch
    if not drop_last:
        assert sorted(seen.tolist()) == list(range(n))
    again = list(mnist.batch_indices(n, batch_size, rng=np.random.default_rng(seed), drop_last=drop_last))
    assert all(np.array_equal(a, b) for a, b in zip(batches, again))


def test_batches_in_order_and_bad_sizes() -> None:
    assert [b.tolist() for b in mnist.batch_indices(5, 2, shuffle=False)] == [[0, 1], [2, 3], [4]]
    for n, size in ((0, 1), (5, 0), (5, 2.0), (True, 1)):
        with pytest.raises(ValueError, match="must be a positive whole number"):
            list(mnist.batch_indices(n, size))


def test_iterate_minibatches() -> None:
    data = small_data()
    batches = list(mnist.iterate_minibatches(data.train_images, data.train_labels, 8, shuffle=False, one_hot_labels=True))
    assert [x.shape for x, _ in batches] == [(8, 784), (8, 784), (4, 784)]
    x, t = batches[1]
    np.testing.assert_array_equal(x, data.train_images[8:16] / np.float32(255))
    assert t.tolist() == mnist.one_hot(data.train_labels[8:16]).tolist()
    x, t = next(mnist.iterate_minibatches(data.train_images, data.train_labels, 3, rng=np.random.default_rng(0)))
    assert t.dtype == np.uint8 and t.shape == (3,) and x.dtype == np.float32
    with pytest.raises(ValueError, match="20 images but 19 labels"):
        next(mnist.iterate_minibatches(data.train_images, data.train_labels[:19], 4))



def test_mnist_errors_carry_a_code_and_values_and_keep_an_english_sentence(tmp_path: Path) -> None:
    with pytest.raises(MnistError) as caught:
        mnist.load_mnist(tmp_path / "nowhere")
    assert caught.value.code == "mnist.not_folder"
    assert caught.value.values == {"folder": str(tmp_path / "nowhere")}
    assert str(caught.value) == f"{tmp_path / 'nowhere'} is not a folder; give the folder that holds the four MNIST files."
    write(tmp_path / "train-labels-idx1-ubyte", idx_bytes(np.zeros(1), "labels"))
    with pytest.raises(MnistError) as caught:
        mnist.load_mnist(tmp_path)
    assert caught.value.code == "mnist.missing_files"
    assert caught.value.values == {
        "folder": str(tmp_path),
        "files": "train-images-idx3-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte"}
    short = tmp_path / "short-idx1"
    short.write_bytes(idx_bytes(np.zeros(5), "labels")[:-2])
    with pytest.raises(MnistError) as caught:
        mnist.read_idx(short, "labels")
    assert caught.value.code == "mnist.truncated"
    assert caught.value.values == {"file": "short-idx1", "count": 5, "expected": 13, "size": 11}
    assert "it is truncated" in str(caught.value)
    with pytest.raises(MnistError) as caught:
        mnist.load_subset(tmp_path / "gone.npz")
    assert (caught.value.code, caught.value.values) == ("mnist.subset_missing", {"file": "gone.npz"})
