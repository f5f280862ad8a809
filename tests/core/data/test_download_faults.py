"""Downloading MNIST when things go wrong: a trickling mirror, a redirect off http(s),
two downloads into one folder (real processes, real HTTP servers on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import re
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from nn_tui.core.data.download import DownloadBusy, DownloadCancelled, DownloadError, download_mnist

LABELS = "t10k-labels-idx1-ubyte.gz"  # 4,542 bytes
LOCK = ".nn-tui-download.lock"


class Mirror:
    """A local HTTP mirror. Each file is served by a rule:

    - bytes: the file, honouring ``Range: bytes=N-``;
    - ("trickle", data, interval): all the headers at once, then one byte every `interval` s;
    - ("hold", data, first): `first` bytes, then the rest once ``release`` is set;
    - ("redirect", location): a 302 to `location`.
    """

    def __init__(self, files: dict[str, object]) -> None:
        self.files = files
        self.log: list[tuple[str, str | None]] = []  # (file name, Range header)
        self.release = threading.Event()
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (_Handler,), {"mirror": self}))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/mnist/"

    def close(self) -> None:
        self.stopping.set()
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    mirror: Mirror

    def do_GET(self) -> None:  # noqa: N802
        name = self.path.rsplit("/", 1)[-1]
        asked = self.headers.get("Range")
        self.mirror.log.append((name, asked))
        rule = self.mirror.files.get(name)
        if rule is None:
            self.send_error(404)
            return
        if isinstance(rule, tuple) and rule[0] == "redirect":
            self.send_response(302)
            self.send_header("Location", rule[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = rule if isinstance(rule, bytes) else rule[1]
        start = int(re.fullmatch(r"bytes=(\d+)-", asked)[1]) if asked else 0
        body = data[start:]
        self.send_response(206 if start else 200)
        self.send_header("Content-Length", str(len(body)))
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        try:
            if isinstance(rule, bytes):
                self.wfile.write(body)
            elif rule[0] == "trickle":
                for i in range(len(body)):
                    if self.mirror.stopping.wait(rule[2]):
                        return
                    self.wfile.write(body[i : i + 1])
                    self.wfile.flush()
            elif rule[0] == "hold":
                self.wfile.write(body[: rule[2]])
                self.wfile.flush()
                self.mirror.release.wait(60)
                self.wfile.write(body[rule[2] :])
        except OSError:
            pass  # the client gave up
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def mirror() -> Iterator:
    started: list[Mirror] = []

    def start(files: dict[str, object]) -> Mirror:
        started.append(Mirror(files))
        return started[-1]

    yield start
    for server in started:
        server.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------
# A mirror that trickles


def test_a_trickling_mirror_meets_the_overall_deadline_and_the_next_mirror_resumes(mirror, mnist_bytes, tmp_path):
    # one byte every 0.05 s: never idle for the 1 s timeout, but 4,542 bytes would take 4 minutes
    trickle = mirror({LABELS: ("trickle", mnist_bytes[LABELS], 0.05)})
    good = mirror({LABELS: mnist_bytes[LABELS]})
    started = time.monotonic()
    paths = download_mnist(tmp_path, [trickle.url, good.url], files=[LABELS], timeout=1.0, deadline=1.0)
    assert time.monotonic() - started < 10
    assert sha(paths[LABELS]) == sha_of(mnist_bytes[LABELS])
    # the good mirror resumed from what the trickle had sent
    [(name, asked)] = good.log
    assert name == LABELS and asked is not None and 0 < int(asked[len("bytes="):-1]) < 100


def test_a_mirror_that_only_trickles_fails_with_a_reason_and_keeps_the_part(mirror, mnist_bytes, tmp_path):
    trickle = mirror({LABELS: ("trickle", mnist_bytes[LABELS], 0.05)})
    with pytest.raises(DownloadError, match=rf"^could not download {LABELS}: {trickle.url}: too slow: "
                                            r"\d+ of 4,542 bytes after 0\.6 s\.$"):
        download_mnist(tmp_path, [trickle.url], files=[LABELS], timeout=1.0, deadline=0.6)
    part = tmp_path / f"{LABELS}.part"
    assert 0 < part.stat().st_size < 100 and mnist_bytes[LABELS].startswith(part.read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{LABELS}.part"]  # and no lock file left


@pytest.mark.parametrize("value", [0, -1, float("inf"), True, "10"])
def test_the_deadline_must_be_a_positive_number(tmp_path, value):
    with pytest.raises(ValueError, match="deadline must be a positive number of seconds"):
        download_mnist(tmp_path, ["http://127.0.0.1:1/"], files=[LABELS], deadline=value)


# --------------------------------------------------------------------------
# Redirects


def test_a_redirect_to_ftp_is_refused_without_connecting(mirror, mnist_bytes, tmp_path):
    # something listening where the redirect points, to see whether urllib goes there
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    ftp = f"ftp://127.0.0.1:{listener.getsockname()[1]}/{LABELS}"
    to_ftp = mirror({LABELS: ("redirect", ftp)})
    good = mirror({LABELS: mnist_bytes[LABELS]})
    to_good = mirror({LABELS: ("redirect", good.url + LABELS)})  # http -> http is still followed
    try:
        with pytest.raises(DownloadError) as caught:
            download_mnist(tmp_path, [to_ftp.url], files=[LABELS], timeout=2)
        assert str(caught.value) == (f"could not download {LABELS}: {to_ftp.url}: it redirects to {ftp}, "
                                     "which is not an http:// or https:// URL.")
        with pytest.raises(socket.timeout):
            listener.accept()[0].close()  # nobody came
        download_mnist(tmp_path, [to_ftp.url, to_good.url], files=[LABELS], timeout=2)
    finally:
        listener.close()
    assert good.log == [(LABELS, None)]
    assert sha(tmp_path / LABELS) == sha_of(mnist_bytes[LABELS])


@pytest.mark.parametrize("location", ["file:///etc/passwd", "data:,hello"])
def test_a_redirect_to_another_scheme_is_refused(mirror, tmp_path, location):
    server = mirror({LABELS: ("redirect", location)})
    with pytest.raises(DownloadError, match=re.escape(f"{server.url}: it redirects to {location}, which is not an http")):
        download_mnist(tmp_path, [server.url], files=[LABELS], timeout=2)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------
# Two downloads into one folder

DOWNLOADER = textwrap.dedent(
    """
    import sys
    from nn_tui.core.data.download import download_mnist
    download_mnist(sys.argv[1], [sys.argv[2]], files=[sys.argv[3]])
    print("done", flush=True)
    """
)


def start_download_process(folder: Path, url: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", DOWNLOADER, str(folder), url, LABELS],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(condition, what: str, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"waited {timeout:g} s for {what}")
        time.sleep(0.02)


def test_a_second_download_into_a_busy_folder_is_refused_or_waits(mirror, mnist_bytes, tmp_path):
    held = mirror({LABELS: ("hold", mnist_bytes[LABELS], 1_000)})
    second = mirror({LABELS: mnist_bytes[LABELS]})
    first = start_download_process(tmp_path, held.url)
    try:
        wait_until(lambda: held.log, "the first process to ask for the file")
        assert (tmp_path / LOCK).read_text().strip() == str(first.pid)

        with pytest.raises(DownloadBusy) as caught:
            download_mnist(tmp_path, [second.url], files=[LABELS])
        assert (caught.value.folder, caught.value.pid) == (tmp_path, first.pid)
        assert str(caught.value) == f"another download into {tmp_path} is running (process {first.pid}); wait for it to finish."

        stop = threading.Event()
        stop.set()
        with pytest.raises(DownloadCancelled, match="waiting for the other download"):
            download_mnist(tmp_path, [second.url], files=[LABELS], wait=True, cancel=stop)

        result: dict[str, object] = {}
        waiting = threading.Thread(target=lambda: result.update(
            download_mnist(tmp_path, [second.url], files=[LABELS], wait=True)))
        waiting.start()
        time.sleep(0.5)
        assert waiting.is_alive()  # it waits...
        held.release.set()  # ...until the first one is done
        assert first.wait(20) == 0, first.stderr.read()
        waiting.join(20)
        assert not waiting.is_alive()
    finally:
        held.release.set()
        first.kill()
        first.wait()
    assert result == {LABELS: tmp_path / LABELS}
    assert second.log == []  # it found the file the first one had verified: nobody blamed a sha256
    assert held.log == [(LABELS, None)]
    assert sha(tmp_path / LABELS) == sha_of(mnist_bytes[LABELS])
    assert sorted(p.name for p in tmp_path.iterdir()) == [LABELS]  # the lock file is gone


def test_a_lock_left_by_a_killed_download_does_not_block(mirror, mnist_bytes, tmp_path):
    held = mirror({LABELS: ("hold", mnist_bytes[LABELS], 1_000)})
    good = mirror({LABELS: mnist_bytes[LABELS]})
    first = start_download_process(tmp_path, held.url)
    try:
        wait_until(lambda: held.log, "the first process to ask for the file")
        first.kill()
        first.wait()
    finally:
        held.release.set()
    assert (tmp_path / LOCK).exists()  # left behind, but the kernel released its lock
    download_mnist(tmp_path, [good.url], files=[LABELS], wait=False)
    assert [name for name, _ in good.log] == [LABELS]
    assert sha(tmp_path / LABELS) == sha_of(mnist_bytes[LABELS])
    assert sorted(p.name for p in tmp_path.iterdir()) == [LABELS]


def sha_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_mirrors_password_is_never_printed(tmp_path):
    from nn_tui.core.data import download

    assert download.shown_url("https://ann:s3cret@example.org:8443/mnist/") == "https://example.org:8443/mnist/"
    assert download.shown_url("http://127.0.0.1:9/x/") == "http://127.0.0.1:9/x/"
    with pytest.raises(ValueError) as caught:
        download.check_mirror("ftp://ann:s3cret@example.org/")
    assert "s3cret" not in str(caught.value) and "ann" not in str(caught.value)
    with pytest.raises(download.DownloadError) as failed:
        download.download_mnist(tmp_path, ["http://ann:s3cret@127.0.0.1:1/"], files=["t10k-labels-idx1-ubyte.gz"], timeout=0.5)
    assert "s3cret" not in str(failed.value) and "127.0.0.1:1" in str(failed.value)
