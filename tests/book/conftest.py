"""Fixtures for the nn_tui.book tests: no test may reach the internet or the user's cache."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from nn_tui.book.dataset import mnist as book_mnist


@pytest.fixture(scope="session")
def refused_url() -> Iterator[str]:
    """An http:// URL on this machine whose port refuses connections (bound, never listening)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/mnist/"
    finally:
        sock.close()


@pytest.fixture(autouse=True)
def offline_book(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, refused_url: str) -> Path:
    """An empty download cache and a mirror that refuses: load_mnist cannot download anything.

    Returns the cache folder.  A test that wants the full data sets NN_TUI_MNIST_DIR.
    """
    cache = tmp_path / "nn-tui-cache"
    monkeypatch.setenv("NN_TUI_CACHE_DIR", str(cache))
    monkeypatch.delenv("NN_TUI_MNIST_DIR", raising=False)
    monkeypatch.setattr(book_mnist, "MIRRORS", (refused_url,))
    return cache
