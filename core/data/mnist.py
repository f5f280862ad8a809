"""MNIST: read the original IDX files, or the offline subset shipped with nn-tui.

Images stay ``uint8`` with shape ``(N, 784)`` (full MNIST is about 55 MB that
way), mapped read-only from one file on disk that every process shares (see
``map_idx_images``); ``normalize`` turns one mini-batch at a time into floats
in [0, 1], as the book's ``load_mnist(normalize=True)`` does for the whole set.

Where the data comes from (``default_source``), in this order:

1. the folder named by the environment variable ``NN_TUI_MNIST_DIR``, if set
   (an explicit choice: if that folder is broken, loading fails loudly);
2. the download cache (``cache_dir()``), if it holds the four files and their
   sha256 sums are the known ones;
3. otherwise the offline subset shipped with nn-tui, whose path the caller
   passes: the core reads no shipped file on its own (see assets/MNIST_SUBSET.md).

Checks when loading a folder: a gzip file (recognised by its magic bytes, not
its name) must have the known sha256 of the original ``.gz``, an unpacked file
the known sha256 of the original unpacked file (a label file of the right size
with shuffled labels would otherwise train silently to chance level); every
file must have a valid IDX header (magic 2051 / 2049, 28x28 images, a byte
count that matches the header) and labels 0..9. ``load_mnist(check=False)``
skips the checksums and says so in the data set's name ("MNIST (unverified)").
``verify_folder`` does the same sha256 checks and reports each file's state.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nn_tui.core.refusal import Refusal

IMAGE_MAGIC = 2051
LABEL_MAGIC = 2049
ROWS = COLS = 28
PIXELS = ROWS * COLS
NUM_CLASSES = 10
GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 20


@dataclass(frozen=True)
class KnownFile:
    """One of the four original MNIST files, with its published checksums."""

    name: str  # without ".gz", as the originals unpack
    kind: str  # "images" or "labels"
    count: int
    gz_size: int
    gz_sha256: str
    raw_size: int
    raw_sha256: str

    @property
    def gz_name(self) -> str:
        return self.name + ".gz"


# From SHA256SUMS beside the originals; the unpacked sums were computed from them.
KNOWN_FILES: dict[str, KnownFile] = {
    f.name: f
    for f in (
        KnownFile(
            "train-images-idx3-ubyte", "images", 60_000, 9_912_422,
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            47_040_016,
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ),
        KnownFile(
            "train-labels-idx1-ubyte", "labels", 60_000, 28_881,
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            60_008,
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ),
        KnownFile(
            "t10k-images-idx3-ubyte", "images", 10_000, 1_648_877,
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            7_840_016,
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ),
        KnownFile(
            "t10k-labels-idx1-ubyte", "labels", 10_000, 4_542,
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
            10_008,
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        ),
    )
}
TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS = KNOWN_FILES

SUBSET_KEYS = ("train_images", "train_labels", "test_images", "test_labels")


class MnistError(Refusal):
    """An MNIST file or folder is missing, truncated or not what it claims to be.

    A `Refusal` (hence a ValueError): ``code`` (``"mnist.truncated"``, ...)
    names why and ``values`` fill in the UI's sentence; str() is the English
    sentence for the command line and logs.
    """


# --------------------------------------------------------------------------
# Reading IDX files


def is_gzip(path: str | os.PathLike[str]) -> bool:
    """True if the file starts with the gzip magic bytes."""
    with open(path, "rb") as f:
        return f.read(2) == GZIP_MAGIC


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The sha256 of a file, as 64 hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_idx(path: str | os.PathLike[str], kind: str) -> np.ndarray:
    """Read an IDX file (gzip or raw): images as uint8 (N, 784), labels as uint8 (N,).

    The pixels are decompressed straight into the result array, so the data
    is held in memory once. The array is read-only. A gzip file must be one
    gzip member, as the originals are (its trailer gives the unpacked size).
    """
    if kind not in ("images", "labels"):
        raise ValueError(f"kind must be 'images' or 'labels', not {kind!r}")
    path = Path(path)
    try:
        packed = is_gzip(path)
        with open(path, "rb") as raw_file:
            if packed:
                unpacked_size = _gzip_unpacked_size(raw_file, path.name)
                with gzip.GzipFile(fileobj=raw_file) as stream:
                    array = _read_idx_stream(stream, kind, path.name, unpacked_size=unpacked_size)
            else:
                size = os.fstat(raw_file.fileno()).st_size
                array = _read_idx_stream(raw_file, kind, path.name, file_size=size)
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise MnistError("mnist.gzip_damaged", f"{path.name} is a damaged gzip file ({error}); download it again.",
                         file=path.name) from error
    if kind == "labels" and array.size and int(array.max()) >= NUM_CLASSES:
        raise MnistError("mnist.bad_label", f"{path.name} holds a label {int(array.max())}; MNIST labels are 0 to 9.",
                         file=path.name, label=int(array.max()))
    array.flags.writeable = False
    return array


def map_idx_images(path: str | os.PathLike[str], cache: str | os.PathLike[str] | None = None) -> np.ndarray:
    """An IDX image file as a read-only uint8 (N, 784) array mapped from disk, not read into memory.

    Every process that maps the same file shares one copy of its pages (the
    page cache): 30 students training on full MNIST hold one 47 MB copy, each
    counted for its share. An unpacked file is mapped where it is; a gzip file
    is unpacked once into `cache` (a file named by the gzip's sha256, written
    whole or not at all), and that file is mapped. The header and the size are
    checked as `read_idx` checks them. Without a `cache`, or if it cannot be
    written, the images are read into memory (`read_idx`).
    """
    path = Path(path)
    if not is_gzip(path):
        return _map_raw(path, path.name)
    if cache is None:
        return read_idx(path, "images")
    unpacked = Path(cache) / f"{sha256_file(path)[:32]}-{path.name.removesuffix('.gz')}"
    try:
        return _map_raw(unpacked, path.name)
    except (OSError, MnistError):
        pass  # not unpacked yet (or damaged): unpack it again
    try:
        _unpack(path, unpacked)
    except OSError:
        return read_idx(path, "images")  # a cache we cannot write: one copy in this process
    return _map_raw(unpacked, path.name)


def _map_raw(path: Path, name: str) -> np.ndarray:
    with open(path, "rb") as raw_file:
        header_size, shape = _read_header(raw_file, "images", name)
        size = os.fstat(raw_file.fileno()).st_size
    expected = header_size + int(np.prod(shape))
    if size != expected:
        short = size < expected
        raise MnistError("mnist.truncated" if short else "mnist.extra_bytes",
                         f"{name}: the header announces {shape[0]:,} images ({expected:,} bytes) but the file "
                         f"holds {size:,} bytes; {'it is truncated' if short else 'it has extra bytes at the end'}.",
                         file=name, count=shape[0], expected=expected, size=size)
    if shape[0] == 0:
        return _readonly(np.empty(shape, dtype=np.uint8))  # mmap cannot map nothing
    # mode "r": the pages are the file's, shared, and writing to them is an error.
    return np.memmap(path, dtype=np.uint8, mode="r", offset=header_size, shape=shape)


def _unpack(gz_path: Path, target: Path) -> None:
    """Unpack a gzip IDX image file to `target`, checked as `read_idx` does, in bounded chunks."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        with open(gz_path, "rb") as raw_file, open(temporary, "xb") as out:
            unpacked_size = _gzip_unpacked_size(raw_file, gz_path.name)
            with gzip.GzipFile(fileobj=raw_file) as stream:
                header_size, shape = _read_header(stream, "images", gz_path.name)
                expected = header_size + int(np.prod(shape))
                if unpacked_size != expected % 2**32:
                    raise MnistError("mnist.gzip_size",
                                     f"{gz_path.name}: its gzip trailer says {unpacked_size:,} bytes where the "
                                     f"header announces {expected:,}; it is truncated or damaged.",
                                     file=gz_path.name, count=shape[0], expected=expected, size=unpacked_size)
                out.write(struct.pack(">IIII", IMAGE_MAGIC, shape[0], ROWS, COLS))
                left = expected - header_size
                while left:
                    chunk = stream.read(min(CHUNK, left))
                    if not chunk:
                        raise MnistError("mnist.truncated", f"{gz_path.name} is truncated.", file=gz_path.name,
                                         count=shape[0], expected=expected, size=expected - left)
                    out.write(chunk)
                    left -= len(chunk)
                if stream.read(1):
                    raise MnistError("mnist.extra_data", f"{gz_path.name} has extra bytes after its images.",
                                     file=gz_path.name, count=shape[0])
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise MnistError("mnist.gzip_damaged", f"{gz_path.name} is a damaged gzip file ({error}); download it again.",
                         file=gz_path.name) from error
    finally:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass


def _gzip_unpacked_size(raw_file: io.BufferedIOBase, name: str) -> int:
    # The gzip trailer's last 4 bytes are the unpacked size (mod 2**32): checking
    # it against the header refuses a truncated file or an absurd count before
    # any memory is allocated for it.
    size = os.fstat(raw_file.fileno()).st_size
    if size < 18:  # a 10-byte header and an 8-byte trailer at least
        raise MnistError("mnist.gzip_damaged", f"{name} is a damaged gzip file ({size} bytes); download it again.",
                         file=name)
    raw_file.seek(-4, os.SEEK_END)
    unpacked = struct.unpack("<I", raw_file.read(4))[0]
    raw_file.seek(0)
    return unpacked


def _read_idx_stream(
    stream: io.BufferedIOBase,
    kind: str,
    name: str,
    *,
    file_size: int | None = None,
    unpacked_size: int | None = None,
) -> np.ndarray:
    header_size, shape = _read_header(stream, kind, name)
    expected = header_size + int(np.prod(shape))
    announces = f"{name}: the header announces {shape[0]:,} {kind} ({expected:,} bytes)"
    if file_size is not None and file_size != expected:
        short = file_size < expected
        problem = "it is truncated" if short else "it has extra bytes at the end"
        raise MnistError("mnist.truncated" if short else "mnist.extra_bytes",
                         f"{announces} but the file holds {file_size:,} bytes; {problem}.",
                         file=name, count=shape[0], expected=expected, size=file_size)
    if unpacked_size is not None and unpacked_size != expected % 2**32:
        problem = "it is truncated" if unpacked_size < expected else "it has extra bytes at the end"
        raise MnistError(
            "mnist.gzip_size",
            f"{announces} but its gzip trailer says {unpacked_size:,} bytes; {problem} or damaged.",
            file=name, count=shape[0], expected=expected, size=unpacked_size,
        )
    array = np.empty(shape, dtype=np.uint8)
    view = memoryview(array.reshape(-1))  # flat bytes of `array`, no copy
    done = 0
    while done < len(view):
        # Bounded chunks: gzip's readinto would otherwise unpack everything
        # into a temporary bytes object first, doubling the peak memory.
        n = stream.readinto(view[done : done + CHUNK])
        if not n:
            raise MnistError(
                "mnist.truncated",
                f"{name} is truncated: the header announces {shape[0]:,} {kind} "
                f"but the data ends after {header_size + done:,} of {expected:,} bytes.",
                file=name, count=shape[0], expected=expected, size=header_size + done,
            )
        done += n
    if stream.read(1):
        raise MnistError("mnist.extra_data",
                         f"{name} has extra bytes after the {shape[0]:,} {kind} its header announces.",
                         file=name, count=shape[0])
    return array


def _read_header(stream: io.BufferedIOBase, kind: str, name: str) -> tuple[int, tuple[int, ...]]:
    want = IMAGE_MAGIC if kind == "images" else LABEL_MAGIC
    header_size = 16 if kind == "images" else 8
    header = stream.read(header_size)
    if len(header) < 8:
        raise MnistError("mnist.too_short", f"{name} is too short to be an IDX file ({len(header)} bytes).",
                         file=name, size=len(header))
    magic, count = struct.unpack(">II", header[:8])
    if magic != want:
        other = {IMAGE_MAGIC: "an image file", LABEL_MAGIC: "a label file"}.get(magic, "not an IDX file")
        raise MnistError("mnist.magic", f"{name}: magic number {magic} where {kind} need {want}; it is {other}.",
                         file=name, magic=magic, want=want)
    if kind == "labels":
        return header_size, (count,)
    if len(header) < header_size:
        raise MnistError("mnist.header_truncated", f"{name} is truncated inside its header.", file=name)
    rows, cols = struct.unpack(">II", header[8:])
    if (rows, cols) != (ROWS, COLS):
        raise MnistError("mnist.image_size", f"{name}: images are {rows}x{cols}; MNIST images are 28x28.",
                         file=name, rows=rows, cols=cols)
    return header_size, (count, PIXELS)


# --------------------------------------------------------------------------
# The data set


@dataclass(frozen=True, eq=False)
class MnistData:
    """Training and test digits: images uint8 (N, 784), labels uint8 (N,)."""

    train_images: np.ndarray = field(repr=False)
    train_labels: np.ndarray = field(repr=False)
    test_images: np.ndarray = field(repr=False)
    test_labels: np.ndarray = field(repr=False)
    name: str
    source: str  # a folder path, or "subset" for the shipped offline subset

    def __post_init__(self) -> None:
        for split in ("train", "test"):
            images = getattr(self, f"{split}_images")
            labels = getattr(self, f"{split}_labels")
            if not _is_uint8(images) or images.ndim != 2 or images.shape[1] != PIXELS:
                raise MnistError(
                    "mnist.bad_array",
                    f"{split}_images must be a uint8 array of shape (N, 784), got {_describe(images)}.",
                    file=f"{split}_images",
                )
            if not _is_uint8(labels) or labels.shape != images.shape[:1]:
                raise MnistError(
                    "mnist.bad_array",
                    f"{split}_labels must be a uint8 array of shape ({images.shape[0]},) "
                    f"to match {split}_images, got {_describe(labels)}.",
                    file=f"{split}_labels",
                )
            if labels.size and int(labels.max()) >= NUM_CLASSES:
                raise MnistError("mnist.bad_label",
                                 f"{split}_labels holds {int(labels.max())}; MNIST labels are 0 to 9.",
                                 file=f"{split}_labels", label=int(labels.max()))

    @property
    def train_size(self) -> int:
        return int(self.train_images.shape[0])

    @property
    def test_size(self) -> int:
        return int(self.test_images.shape[0])

    def subset(self, n_train: int, seed: int = 0) -> MnistData:
        """A random n_train training digits (same test set), e.g. 300 for the overfitting demo."""
        if not _is_whole(n_train) or not 1 <= n_train <= self.train_size:
            raise ValueError(
                f"n_train must be a whole number from 1 to {self.train_size:,}, got {n_train!r}."
            )
        rng = np.random.default_rng(seed)
        # Sorted so the chosen digits keep the order they have in the full set.
        chosen = np.sort(rng.choice(self.train_size, size=int(n_train), replace=False))
        return MnistData(
            _readonly(self.train_images[chosen]),
            _readonly(self.train_labels[chosen]),
            self.test_images,
            self.test_labels,
            name=f"{self.name.split(':')[0]}, {int(n_train):,} random train / "
            f"{self.test_size:,} test (seed {seed})",
            source=self.source,
        )


def _is_uint8(value: object) -> bool:
    return isinstance(value, np.ndarray) and value.dtype == np.uint8


def _is_whole(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _describe(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.dtype} {value.shape}"
    return type(value).__name__


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def label_counts(labels: np.ndarray) -> np.ndarray:
    """How many of each digit 0..9 the labels hold (int64, length 10)."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D integer array, got {_describe(labels)}.")
    if labels.size and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
        raise ValueError("labels must be digits 0 to 9.")
    return np.bincount(labels, minlength=NUM_CLASSES)


# --------------------------------------------------------------------------
# Loading


def find_files(folder: str | os.PathLike[str]) -> dict[str, Path | None]:
    """The path of each of the four files in a folder (name.gz preferred over name), or None."""
    folder = Path(folder)
    found: dict[str, Path | None] = {}
    for name in KNOWN_FILES:
        candidates = [folder / (name + ".gz"), folder / name]
        found[name] = next((p for p in candidates if p.is_file()), None)
    return found


def check_known_file(path: str | os.PathLike[str], name: str) -> None:
    """The check used when loading: the known sha256 of the original file, packed or unpacked."""
    known = KNOWN_FILES[name]
    path = Path(path)
    if is_gzip(path):
        if sha256_file(path) != known.gz_sha256:
            raise MnistError(
                "mnist.checksum",
                f"{path.name} is not the original {known.gz_name} (its sha256 differs); "
                "download it again with `nn-tui data download`.",
                file=path.name, original=known.gz_name,
            )
        return
    size = path.stat().st_size
    if size != known.raw_size:
        raise MnistError(
            "mnist.raw_size",
            f"{path.name} has {size:,} bytes; the original unpacked "
            f"{known.name} has {known.raw_size:,}, so it is truncated or not the original.",
            file=path.name, size=size, original=known.name, expected=known.raw_size,
        )
    if sha256_file(path) != known.raw_sha256:
        raise MnistError(
            "mnist.checksum",
            f"{path.name} has the size of the original unpacked {known.name} but not its "
            "sha256, so its contents differ; download it again with `nn-tui data download`.",
            file=path.name, original=known.name,
        )


def verify_folder(folder: str | os.PathLike[str]) -> dict[str, str]:
    """Full sha256 check of each of the four files: "ok", "missing" or "wrong"."""
    result: dict[str, str] = {}
    for name, path in find_files(folder).items():
        if path is None:
            result[name] = "missing"
            continue
        known = KNOWN_FILES[name]
        want = known.gz_sha256 if is_gzip(path) else known.raw_sha256
        result[name] = "ok" if sha256_file(path) == want else "wrong"
    return result


def load_mnist(
    source: str | os.PathLike[str], *, check: bool = True, cache: str | os.PathLike[str] | None | bool = True
) -> MnistData:
    """Load MNIST from a folder of the four IDX files, or from a subset file (``.npz``, see ``load_subset``).

    ``check=False`` skips the known-checksum check (for other IDX files
    under the original names) and names the set "MNIST (unverified)"; the IDX
    structure is always validated. The images are mapped from disk (see
    `map_idx_images`); gzip files are unpacked once into ``cache``, by default
    ``unpacked_dir()``; ``cache=None`` reads them into memory instead.
    """
    if cache is True:
        cache = unpacked_dir()
    if Path(source).is_file():
        return load_subset(source)
    folder = Path(source)
    if not folder.is_dir():
        raise MnistError("mnist.not_folder",
                         f"{folder} is not a folder; give the folder that holds the four MNIST files.",
                         folder=str(folder))
    found = find_files(folder)
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise MnistError(
            "mnist.missing_files",
            f"{folder} lacks {', '.join(missing)} (.gz or unpacked); run `nn-tui data download`.",
            folder=str(folder), files=", ".join(missing),
        )
    arrays = {}
    for name, path in found.items():
        assert path is not None
        if check:
            check_known_file(path, name)
        if KNOWN_FILES[name].kind == "images":
            arrays[name] = map_idx_images(path, cache or None)
        else:
            arrays[name] = read_idx(path, "labels")
    for images, labels in ((TRAIN_IMAGES, TRAIN_LABELS), (TEST_IMAGES, TEST_LABELS)):
        if arrays[images].shape[0] != arrays[labels].shape[0]:
            raise MnistError(
                "mnist.count_mismatch",
                f"{images} holds {arrays[images].shape[0]:,} images but {labels} "
                f"holds {arrays[labels].shape[0]:,} labels; they must match.",
                images=images, labels=labels, n_images=int(arrays[images].shape[0]),
                n_labels=int(arrays[labels].shape[0]),
            )
    train, test = arrays[TRAIN_IMAGES].shape[0], arrays[TEST_IMAGES].shape[0]
    what = "MNIST" if check else "MNIST (unverified)"
    return MnistData(
        arrays[TRAIN_IMAGES], arrays[TRAIN_LABELS], arrays[TEST_IMAGES], arrays[TEST_LABELS],
        name=f"{what}: {train:,} train / {test:,} test",
        source=str(folder),
    )


def load_subset(path: str | os.PathLike[str]) -> MnistData:
    """A subset of MNIST saved as ``.npz`` (the offline one is shipped: see assets/MNIST_SUBSET.md)."""
    resource = Path(path)
    damaged = f"The shipped MNIST subset ({resource.name}) is damaged"
    missing_asset = f"The shipped MNIST subset ({resource.name}) is missing"
    try:
        with resource.open("rb") as f, np.load(f, allow_pickle=False) as npz:
            missing = [key for key in SUBSET_KEYS if key not in npz.files]
            if missing:
                raise MnistError("mnist.subset_damaged", f"{damaged}: it lacks {', '.join(missing)}; reinstall nn-tui.",
                                 file=resource.name)
            arrays = {key: _readonly(npz[key]) for key in SUBSET_KEYS}
    except FileNotFoundError as error:
        raise MnistError("mnist.subset_missing", f"{missing_asset}; reinstall nn-tui.",
                         file=resource.name) from error
    except MnistError:
        raise
    except (OSError, ValueError, EOFError, zlib.error, zipfile.BadZipFile) as error:
        raise MnistError("mnist.subset_damaged", f"{damaged} ({error}); reinstall nn-tui.",
                         file=resource.name) from error
    train, test = arrays["train_images"].shape[0], arrays["test_images"].shape[0]
    try:
        name = f"offline subset: {train:,} train / {test:,} test"
        return MnistData(**arrays, name=name, source="subset")
    except MnistError as error:
        raise MnistError("mnist.subset_damaged", f"{damaged}: {error} Reinstall nn-tui.",
                         file=resource.name) from error


def cache_dir() -> Path:
    """Where downloads go: $NN_TUI_CACHE_DIR, else $XDG_CACHE_HOME/nn-tui/mnist,
    else ~/.cache/nn-tui/mnist."""
    if os.environ.get("NN_TUI_CACHE_DIR"):
        return Path(os.environ["NN_TUI_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nn-tui" / "mnist"


def unpacked_dir() -> Path:
    """Where gzip image files are unpacked once, to be mapped by every process (see `map_idx_images`)."""
    return cache_dir() / "unpacked"


def default_source() -> Path | None:
    """The data the app uses: $NN_TUI_MNIST_DIR, else a verified cache, else None (the subset)."""
    if os.environ.get("NN_TUI_MNIST_DIR"):
        return Path(os.environ["NN_TUI_MNIST_DIR"])
    cache = cache_dir()
    if cache.is_dir():
        try:
            if all(status == "ok" for status in verify_folder(cache).values()):
                return cache
        except OSError:
            pass  # an unreadable cache is no reason to stop the app: use the subset
    return None


def find_mnist(subset: str | os.PathLike[str]) -> MnistData:
    """Load the data the app uses (see ``default_source`` for the order), else the `subset` file."""
    return load_mnist(default_source() or subset)


# --------------------------------------------------------------------------
# Mini-batches


def normalize(images: np.ndarray, dtype: type | np.dtype = np.float32) -> np.ndarray:
    """uint8 pixels 0..255 -> floats 0..1 (a new array; do it per mini-batch)."""
    images = np.asarray(images)
    if images.dtype != np.uint8:
        # A float input was probably normalised already: dividing again would be silently wrong.
        raise ValueError(f"normalize expects uint8 pixels 0..255, got {images.dtype}.")
    dtype = np.dtype(dtype)
    if not np.issubdtype(dtype, np.floating):
        raise ValueError(f"normalize needs a floating dtype, got {dtype}.")
    out = images.astype(dtype)
    out /= 255
    return out


def one_hot(
    labels: np.ndarray, num_classes: int = NUM_CLASSES, dtype: type | np.dtype = np.float32
) -> np.ndarray:
    """Labels (N,) -> one-hot rows (N, num_classes): 1 at the label's index, 0 elsewhere."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"one_hot expects a 1-D integer array of labels, got {_describe(labels)}.")
    if not _is_whole(num_classes) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive whole number, got {num_classes!r}.")
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"labels must be from 0 to {num_classes - 1}, got {labels.min()}..{labels.max()}."
        )
    out = np.zeros((labels.size, num_classes), dtype=dtype)
    out[np.arange(labels.size), labels] = 1
    return out


def batch_indices(
    n: int,
    batch_size: int,
    *,
    shuffle: bool = True,
    rng: np.random.Generator | None = None,
    drop_last: bool = False,
) -> Iterator[np.ndarray]:
    """One epoch of index arrays covering range(n) once, batch_size at a time."""
    for value, what in ((n, "n"), (batch_size, "batch_size")):
        if not _is_whole(value) or value < 1:
            raise ValueError(f"{what} must be a positive whole number, got {value!r}.")
    if rng is None:
        rng = np.random.default_rng()
    order = rng.permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        yield order[start : start + batch_size]


def iterate_minibatches(
    images: np.ndarray,
    labels: np.ndarray,
    batch_size: int,
    *,
    shuffle: bool = True,
    rng: np.random.Generator | None = None,
    drop_last: bool = False,
    one_hot_labels: bool = False,
    dtype: type | np.dtype = np.float32,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One epoch of (x, t): x normalised floats (B, 784), t labels (B,) or one-hot (B, 10)."""
    if len(images) != len(labels):
        raise ValueError(f"{len(images)} images but {len(labels)} labels; they must match.")
    for index in batch_indices(len(images), batch_size, shuffle=shuffle, rng=rng, drop_last=drop_last):
        t = labels[index]
        yield normalize(images[index], dtype), (one_hot(t, dtype=dtype) if one_hot_labels else t)
