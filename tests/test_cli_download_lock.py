"""Two `nn-tui data download` into one folder, as two real processes, from a real HTTP
server on 127.0.0.1: the second waits for the first instead of both failing."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from nn_tui.core.data import mnist

FIRST = "train-images-idx3-ubyte.gz"  # the first file a download asks for


class HeldMirror:
    """Serves the four files; the first request gets 64 kB of its file, then waits for `release`."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.log: list[tuple[str, str | None]] = []
        self.release = threading.Event()
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                name = self.path.rsplit("/", 1)[-1]
                asked = self.headers.get("Range")
                mirror.log.append((name, asked))
                data = mirror.files.get(name)
                if data is None:
                    self.send_error(404)
                    return
                start = int(asked[len("bytes="):-1]) if asked else 0
                body = data[start:]
                self.send_response(206 if start else 200)
                self.send_header("Content-Length", str(len(body)))
                if start:
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                self.end_headers()
                try:
                    if len(mirror.log) == 1:
                        self.wfile.write(body[:65_536])
                        self.wfile.flush()
                        mirror.release.wait(60)
                        body = body[65_536:]
                    self.wfile.write(body)
                except OSError:
                    pass
                self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/mnist/"

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def nn_tui_command() -> list[str]:
    script = Path(sys.executable).with_name("nn-tui")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "nn_tui"]


def wait_for(condition, what: str, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"waited {timeout:g} s for {what}")
        time.sleep(0.05)


@pytest.fixture
def held_mirror(mnist_dir: Path):
    server = HeldMirror({f"{name}.gz": (mnist_dir / f"{name}.gz").read_bytes() for name in mnist.KNOWN_FILES})
    yield server
    server.close()


def test_two_downloads_into_one_folder(held_mirror: HeldMirror, tmp_path: Path) -> None:
    folder = tmp_path / "mnist"
    folder.mkdir()
    env = {**os.environ, "NN_TUI_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("NN_TUI_MNIST_DIR", None)
    command = [*nn_tui_command(), "data", "download", "--dir", str(folder), "--mirror", held_mirror.url]
    logs = {n: (tmp_path / f"{n}.out", tmp_path / f"{n}.err") for n in ("first", "second")}

    def start(n: str) -> subprocess.Popen:
        out, err = logs[n]
        with out.open("w") as stdout, err.open("w") as stderr:
            return subprocess.Popen(command, stdout=stdout, stderr=stderr, env=env)

    first = start("first")
    second = None
    try:
        wait_for(lambda: held_mirror.log, "the first download to ask for a file")
        second = start("second")
        # the second one says why it waits, and waits
        wait_for(lambda: "waiting" in logs["second"][1].read_text(), "the second download to say it waits")
        assert second.poll() is None
        held_mirror.release.set()
        assert first.wait(60) == 0, logs["first"][1].read_text()
        assert second.wait(60) == 0, logs["second"][1].read_text()
    finally:
        held_mirror.release.set()
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()

    assert logs["first"][1].read_text() == ""
    assert logs["second"][1].read_text() == (
        f"nn-tui data download: another download into {folder} is running (process {first.pid}); "
        "waiting for it to finish (Ctrl+C to stop waiting).\n"
    )
    for n in ("first", "second"):
        assert logs[n][0].read_text().splitlines()[-1] == f"MNIST is in {folder}: 4 files, sha256 ok."
    # every file was asked for once, by the first download: the second found them verified
    assert sorted(name for name, _ in held_mirror.log) == sorted(f"{name}.gz" for name in mnist.KNOWN_FILES)
    assert mnist.verify_folder(folder) == dict.fromkeys(mnist.KNOWN_FILES, "ok")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{name}.gz" for name in mnist.KNOWN_FILES)
    assert all(hashlib.sha256((folder / f"{n}.gz").read_bytes()).hexdigest() == k.gz_sha256
               for n, k in mnist.KNOWN_FILES.items())
