"""Fixtures for the MNIST tests: the original files, and local HTTP mirrors serving them."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


_NAMES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


@pytest.fixture(scope="session")
def mnist_bytes(mnist_dir: Path) -> dict[str, bytes]:
    """The bytes of each original .gz file, by file name."""
    return {f"{name}.gz": (mnist_dir / f"{name}.gz").read_bytes() for name in _NAMES}


@dataclass
class Served:
    """How a mirror serves one file."""

    data: bytes
    honour_range: bool = True  # False: answer a Range request with the whole file (200)
    cut_after: int | None = None  # close the connection after this many body bytes
    missing: bool = False  # answer 404
    stall: bool = False  # send nothing until the server closes


class MirrorServer:
    """An HTTP server on 127.0.0.1 serving files under /mnist/, logging each request."""

    def __init__(self, files: Mapping[str, bytes | dict]) -> None:
        # a value is the file's bytes, or Served's fields as a dict: {"data": ..., "cut_after": 100}
        self.files = {name: Served(**v) if isinstance(v, dict) else Served(v) for name, v in files.items()}
        # (file name, Range header or None, body bytes sent), in request order
        self.log: list[tuple[str, str | None, int]] = []
        self.release = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (_Handler,), {"mirror": self}))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/mnist/"

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    mirror: MirrorServer

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        name = self.path.rsplit("/", 1)[-1]
        asked = self.headers.get("Range")
        served = self.mirror.files.get(name)
        if served is None or served.missing:
            self.mirror.log.append((name, asked, 0))
            self.send_error(404)
            return
        if served.stall:
            self.mirror.log.append((name, asked, 0))
            self.mirror.release.wait(10)
            return
        data, start, status = served.data, 0, 200
        match = re.fullmatch(r"bytes=(\d+)-", asked or "")
        if match and served.honour_range:
            start, status = int(match[1]), 206
            if start >= len(data):
                self.mirror.log.append((name, asked, 0))
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        body = data[start:]
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        sent = body if served.cut_after is None else body[: served.cut_after]
        # logged before sending, so the log is complete once the client has the bytes
        self.mirror.log.append((name, asked, len(sent)))
        self.wfile.write(sent)
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output clean


@pytest.fixture
def mirror_server() -> Iterator:
    """start(files) -> a running MirrorServer; all are stopped after the test."""
    servers: list[MirrorServer] = []

    def start(files: Mapping[str, bytes | dict]) -> MirrorServer:
        servers.append(MirrorServer(files))
        return servers[-1]

    yield start
    for server in servers:
        server.close()
