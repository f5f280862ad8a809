"""The book's dataset/mnist.py: ``load_mnist`` from nn-tui's MNIST, with no pickle.

``load_mnist(normalize=True, flatten=True, one_hot_label=False)`` returns
``(x_train, t_train), (x_test, t_test)`` as the book's does:

- images: float32 in [0, 1] (pixels / 255) with ``normalize``, else uint8
  0..255; shape (N, 784) with ``flatten``, else (N, 1, 28, 28);
- labels: uint8 of shape (N,), or float64 one-hot rows (N, 10) with
  ``one_hot_label``;
- 60,000 training and 10,000 test digits, writeable arrays of their own.

Where the data comes from (``nn_tui.core.data.mnist``, as the app):

1. the folder named by ``NN_TUI_MNIST_DIR``, if set;
2. nn-tui's download cache (``nn-tui data path`` prints where), if it holds
   the four original files with their known sha256;
3. otherwise the four files are downloaded into that cache (about 11 MB,
   once; progress on stderr; each file's sha256 checked before it is kept).
   With no network this raises ``MnistUnavailable``, naming the one command
   that fixes it: ``nn-tui data download``.

``load_mnist_subset`` gives nn-tui's shipped offline subset (10,000 training
and 2,000 test digits) the same way, for working with no network at all.
The files are read by nn-tui's IDX reader; nothing is ever unpickled.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import IO

import numpy as np

from nn_tui.assets import MNIST_SUBSET
from nn_tui.core.data import download as _download
from nn_tui.core.data import mnist as _mnist

__all__ = ["load_mnist", "load_mnist_subset", "init_mnist", "MnistUnavailable"]

# The book's constants.
train_num = 60000
test_num = 10000
img_dim = (1, 28, 28)
img_size = 784

#: Where a missing MNIST is downloaded from, in order (nn-tui's mirrors).
MIRRORS: tuple[str, ...] = _download.MIRRORS

Arrays = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


class MnistUnavailable(_download.DownloadError):
    """MNIST is not on this computer and could not be downloaded."""


def load_mnist(normalize: bool = True, flatten: bool = True, one_hot_label: bool = False) -> Arrays:
    """MNIST as the book's arrays: ``(x_train, t_train), (x_test, t_test)`` (see the module's notes)."""
    return _book_arrays(_read(str(init_mnist())), normalize, flatten, one_hot_label)


def load_mnist_subset(normalize: bool = True, flatten: bool = True,
                      one_hot_label: bool = False) -> Arrays:
    """nn-tui's offline subset (10,000 train / 2,000 test digits) as the book's arrays."""
    return _book_arrays(_read(str(MNIST_SUBSET)), normalize, flatten, one_hot_label)


def init_mnist(stream: IO[str] | None = None) -> Path:
    """The folder of the four MNIST files, downloading them into nn-tui's cache if needed.

    Progress goes to ``stream`` (default: stderr).
    """
    source = _mnist.default_source()
    if source is not None:
        return source
    cache = _mnist.cache_dir()
    fix = (f"Run `nn-tui data download` once while online: it saves the four files in {cache}, "
           "where load_mnist finds them.")
    out = sys.stderr if stream is None else stream
    try:
        cache.mkdir(parents=True, exist_ok=True)
        print(f"MNIST is not on this computer yet: downloading it into {cache} (about 11 MB, once).",
              file=out, flush=True)
        _download.download_mnist(cache, MIRRORS, progress=_Progress(out))
    except _download.DownloadError as error:
        reason = str(error).rstrip(".")
    except OSError as error:  # the cache folder cannot be made
        reason = f"{error.filename or cache}: {error.strerror or error}"
    else:
        print(f"MNIST is in {cache}: 4 files, sha256 ok.", file=out, flush=True)
        return cache
    raise MnistUnavailable(f"MNIST is not on this computer and could not be downloaded ({reason}). {fix}")


@functools.lru_cache(maxsize=2)
def _read(source: str) -> _mnist.MnistData:
    # Read-only uint8 arrays, shared by every call (the arrays handed out are copies).
    return _mnist.load_mnist(source)


def _book_arrays(data: _mnist.MnistData, normalize: bool, flatten: bool, one_hot_label: bool) -> Arrays:
    def images(pixels: np.ndarray) -> np.ndarray:
        # The book's float32 / 255.0, from the core's normalize.
        x = _mnist.normalize(pixels, np.float32) if normalize else pixels.copy()
        return x if flatten else x.reshape(-1, *img_dim)

    def labels(digits: np.ndarray) -> np.ndarray:
        return _mnist.one_hot(digits, dtype=np.float64) if one_hot_label else digits.copy()

    return ((images(data.train_images), labels(data.train_labels)),
            (images(data.test_images), labels(data.test_labels)))


class _Progress:
    """Download progress: one line per file, redrawn in place on a terminal."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.tty = bool(getattr(out, "isatty", lambda: False)())
        self.shown: dict[str, int] = {}

    def __call__(self, name: str, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if self.shown.get(name) == percent:
            return
        first = name not in self.shown
        self.shown[name] = percent
        line = f"  {name}: {percent:3d}% of {total / 1e6:.1f} MB"
        if self.tty:
            print("\r" + line, end="\n" if percent == 100 else "", file=self.out, flush=True)
        elif first or percent == 100:
            print(line, file=self.out, flush=True)
