"""nn_tui.book.dataset.mnist: the book's load_mnist arrays, from nn-tui's data, with no pickle."""

from __future__ import annotations

import functools
import io
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from nn_tui.book.dataset import mnist as book_mnist
from nn_tui.book.dataset.mnist import MnistUnavailable, load_mnist, load_mnist_subset
from nn_tui.core.data.download import DownloadError
from nn_tui.core.data.mnist import MnistError

BOOK = Path(book_mnist.__file__).resolve().parents[1]


def check_book_arrays(arrays, n_train, n_test):
    """The four arrays of the default load_mnist(): float32 (N, 784) in [0, 1], uint8 labels."""
    (x_train, t_train), (x_test, t_test) = arrays
    assert x_train.shape == (n_train, 784) and x_test.shape == (n_test, 784)
    assert t_train.shape == (n_train,) and t_test.shape == (n_test,)
    assert x_train.dtype == x_test.dtype == np.float32
    assert t_train.dtype == t_test.dtype == np.uint8
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert x_train.flags.writeable and t_train.flags.writeable


def test_the_subset_as_the_books_arrays():
    check_book_arrays(load_mnist_subset(), 10000, 2000)


def test_every_option():
    (raw, labels), _ = load_mnist_subset(normalize=False)
    assert raw.dtype == np.uint8 and raw.shape == (10000, 784) and raw.max() == 255
    (x, _), _ = load_mnist_subset(normalize=True)
    # The book's astype(np.float32) then /= 255.0, to the last bit.
    np.testing.assert_array_equal(x, raw.astype(np.float32) / np.float32(255.0))
    (images, _), (test_images, _) = load_mnist_subset(flatten=False)
    assert images.shape == (10000, 1, 28, 28) and test_images.shape == (2000, 1, 28, 28)
    assert images.dtype == np.float32
    np.testing.assert_array_equal(images.reshape(10000, 784), x)
    (_, one_hot), (_, test_one_hot) = load_mnist_subset(one_hot_label=True)
    assert one_hot.dtype == np.float64 and one_hot.shape == (10000, 10) and test_one_hot.shape == (2000, 10)
    assert np.all(one_hot.sum(axis=1) == 1) and np.array_equal(one_hot.argmax(axis=1), labels)


def test_each_call_hands_out_arrays_of_its_own():
    (x1, t1), _ = load_mnist_subset(normalize=False)
    x1[0, 0] = 123
    t1[0] = 9
    (x2, t2), _ = load_mnist_subset(normalize=False)
    assert x2[0, 0] != 123 or t2[0] != 9
    assert not np.shares_memory(x1, x2)


def test_full_mnist_from_nn_tui_mnist_dir(monkeypatch, mnist_dir):
    monkeypatch.setenv("NN_TUI_MNIST_DIR", str(mnist_dir))
    arrays = load_mnist()
    check_book_arrays(arrays, 60000, 10000)
    (_, t_train), (_, t_test) = arrays
    assert t_train[:5].tolist() == [5, 0, 4, 1, 9] and t_test[:5].tolist() == [7, 2, 1, 0, 4]
    (x, t), _ = load_mnist(normalize=False, flatten=False, one_hot_label=True)
    assert x.shape == (60000, 1, 28, 28) and x.dtype == np.uint8
    assert t.shape == (60000, 10) and t.dtype == np.float64


def test_a_broken_nn_tui_mnist_dir_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("NN_TUI_MNIST_DIR", str(tmp_path))
    with pytest.raises(MnistError, match="nn-tui data download"):
        load_mnist()


def test_offline_with_no_data_names_the_one_command(offline_book):
    out = io.StringIO()
    with pytest.raises(MnistUnavailable) as caught:
        book_mnist.init_mnist(stream=out)
    message = str(caught.value)
    assert "could not be downloaded" in message
    assert "Run `nn-tui data download` once while online" in message
    assert str(offline_book) in message
    assert isinstance(caught.value, (OSError, DownloadError))
    assert "downloading it into" in out.getvalue()


def test_load_mnist_offline_raises_the_same(capsys):
    with pytest.raises(MnistUnavailable, match=re.escape("`nn-tui data download`")):
        load_mnist()
    assert "downloading" in capsys.readouterr().err  # progress goes to stderr, not stdout


class _Quiet(SimpleHTTPRequestHandler):
    requests: list[str] = []

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        super().do_GET()


@pytest.fixture
def mirror(mnist_dir) -> Iterator[tuple[str, list[str]]]:
    """A local HTTP mirror serving the four original .gz files; yields (url, requested paths)."""
    handler = type("Handler", (_Quiet,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(mnist_dir)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", handler.requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_downloads_into_the_cache_when_absent(monkeypatch, offline_book, mirror, capsys):
    url, requests = mirror
    monkeypatch.setattr(book_mnist, "MIRRORS", (url,))
    arrays = load_mnist()
    check_book_arrays(arrays, 60000, 10000)
    err = capsys.readouterr().err
    assert f"downloading it into {offline_book}" in err
    assert "train-images-idx3-ubyte.gz: 100% of 9.9 MB" in err
    assert "sha256 ok" in err
    assert sorted(p.name for p in offline_book.iterdir()) == sorted(
        [*(f"{n}.gz" for n in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                               "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")), "unpacked"])
    # The images, unpacked once to be memory-mapped by every process that reads them.
    assert sorted(p.name.split("-", 1)[1] for p in (offline_book / "unpacked").iterdir()) == [
        "t10k-images-idx3-ubyte", "train-images-idx3-ubyte"]
    assert len(requests) == 4
    # The next call reads the cache: no request, no message.
    load_mnist(one_hot_label=True)
    assert len(requests) == 4 and capsys.readouterr().err == ""


def test_reads_a_filled_cache_without_the_network(offline_book, mnist_dir, capsys):
    offline_book.mkdir(parents=True)
    for path in mnist_dir.glob("*.gz"):
        shutil.copy(path, offline_book / path.name)
    check_book_arrays(load_mnist(), 60000, 10000)
    assert capsys.readouterr().err == ""


def test_no_pickle_anywhere_in_the_book_package():
    for path in BOOK.rglob("*.py"):
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+pickle\b|pickle\.load|allow_pickle\s*=\s*True", code, re.M), path
        assert not re.search(r"sys\.path\.(append|insert)", code), path
