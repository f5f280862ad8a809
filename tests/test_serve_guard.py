"""`nn-tui serve` lets only its own page in, within bounds: a real server on 127.0.0.1, a real WebSocket client.

Each accepted connection starts a real `nn-tui` app; the tests read what it
draws (the terminal output sent over the WebSocket) and the environment of
the process the server started.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

from nn_tui.tui.commands.serve import COLUMNS, ROWS

# A cursor move to row;column, as Textual's web driver draws each line.
CURSOR = re.compile(rb"\x1b\[(\d+);(\d+)H")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    port: int
    process: subprocess.Popen
    cache: Path

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def apps(self) -> list[int]:
        """The processes the server has started (a shell and the nn-tui app, per connection)."""
        return descendants(self.process.pid)

    def crash_log(self) -> str:
        log = self.cache / "nn-tui-crash.log"
        return log.read_text(encoding="utf-8") if log.exists() else ""


def descendants(pid: int) -> list[int]:
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            children.append(int(entry))
    return children + [grandchild for child in children for grandchild in descendants(child)]


def environment(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    return dict(item.decode(errors="replace").partition("=")[::2] for item in raw.split(b"\0") if b"=" in item)


def start_server(tmp_path: Path, *options: str) -> Served:
    port = free_port()
    cache = tmp_path / "cache"
    env = {**os.environ, "NN_TUI_CACHE_DIR": str(cache)}
    process = subprocess.Popen(
        [sys.executable, "-m", "nn_tui", "serve", "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    served = Served(port, process, cache)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(served.url("/"), timeout=2) as response:
                if response.status == 200:
                    return served
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"the server stopped: {process.stderr.read().decode()}")
            time.sleep(0.2)
    stop_server(served)
    pytest.fail("the server did not answer within 30 s")


def stop_server(served: Served) -> None:
    served.process.send_signal(signal.SIGTERM)
    try:
        served.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        served.process.kill()
        served.process.wait(timeout=5)


@pytest.fixture
def server(tmp_path):
    served = start_server(tmp_path)
    yield served
    stop_server(served)


@dataclass
class Session:
    """What one WebSocket connection saw."""

    output: bytes = b""
    texts: list[str] = field(default_factory=list)
    closed: aiohttp.WSMessage | None = None

    @property
    def rows(self) -> list[int]:
        return [int(match[1]) for match in CURSOR.finditer(self.output)]

    @property
    def last_frame_rows(self) -> list[int]:
        """The rows of the last frame: a frame is drawn from row 1 down (a cursor sent home ends it)."""
        rows = self.rows
        while rows and rows[-1] == 1:
            rows = rows[:-1]
        starts = [i for i, row in enumerate(rows) if row == 1]
        return rows[starts[-1]:] if starts else rows


async def read_until_quiet(
    ws: aiohttp.ClientWebSocketResponse, session: Session, quiet: float = 1.5, limit: float = 40
) -> None:
    """Collect what the app draws until it has drawn something and then been quiet for `quiet` seconds."""
    deadline = time.monotonic() + limit
    last = None
    while time.monotonic() < deadline:
        if last is not None and time.monotonic() - last >= quiet:
            return
        try:
            # Short waits: the server's heartbeat pings restart a receive's timeout.
            message = await ws.receive(timeout=0.25)
        except asyncio.TimeoutError:
            continue
        if message.type == aiohttp.WSMsgType.BINARY:
            session.output += message.data
            if len(session.output) > 1000:
                last = time.monotonic()
        elif message.type == aiohttp.WSMsgType.TEXT:
            session.texts.append(message.data)
        else:
            session.closed = message
            return


async def connect(served: Served, query: str = "", origin: str | None = None, then=None) -> Session:
    """Open the app's WebSocket as the served page does, read what it draws, run `then(ws, session)`."""
    headers = {"Origin": origin or served.origin}
    session = Session()
    async with aiohttp.ClientSession() as client:
        async with client.ws_connect(served.url(f"/ws{query}"), headers=headers) as ws:
            await read_until_quiet(ws, session)
            if then is not None:
                await then(ws, session)
    return session


def app_environments(served: Served) -> list[dict[str, str]]:
    return [env for env in map(environment, served.apps()) if "COLUMNS" in env]


# --- origins -------------------------------------------------------------------------


FOREIGN = [
    "http://evil.example",
    "http://evil.example:{port}",
    "http://127.0.0.1.evil.example:{port}",
    "http://127.0.0.1:{other}",
    "https://127.0.0.1:{port}",
    "null",
    "file://",
    "http://127.0.0.1:notaport",
    None,  # no Origin at all: a browser always sends one
]


def test_only_the_served_pages_own_origin_may_open_the_app(server):
    async def attempts():
        refusals = {}
        async with aiohttp.ClientSession() as client:
            for pattern in FOREIGN:
                origin = None if pattern is None else pattern.format(port=server.port, other=server.port + 1)
                headers = {} if origin is None else {"Origin": origin}
                with pytest.raises(aiohttp.WSServerHandshakeError) as info:
                    async with client.ws_connect(server.url("/ws"), headers=headers):
                        pass
                assert info.value.status == 403, origin
                # The reason, as a plain request to the same address reads it: one line.
                async with client.get(server.url("/ws"), headers=headers) as response:
                    assert response.status == 403
                    refusals[origin] = await response.text()
        return refusals

    refusals = asyncio.run(attempts())
    assert refusals["http://evil.example"] == (
        "nn-tui serve: refused a connection from the web page at 'http://evil.example'; "
        "only this server's own page may connect.\n"
    )
    assert refusals[None] == (
        "nn-tui serve: refused a connection without an Origin header; open the app from this server's page.\n"
    )
    assert all(text.count("\n") == 1 and text.startswith("nn-tui serve: refused") for text in refusals.values())
    assert server.apps() == [], "a refused connection started an app"
    # The page's own origin, by either name of this machine, gets the app.
    for origin in (server.origin, f"http://localhost:{server.port}"):
        session = asyncio.run(connect(server, origin=origin))
        assert b"nn-tui" in session.output and session.closed is None


def test_the_public_urls_origin_may_open_the_app_and_no_other(tmp_path):
    served = start_server(tmp_path, "--public-url", "http://class.example:9000/")
    try:
        with urllib.request.urlopen(served.url("/"), timeout=5) as response:
            assert "ws://class.example:9000/ws" in response.read().decode()
        session = asyncio.run(connect(served, origin="http://CLASS.example:9000"))
        assert b"nn-tui" in session.output

        async def foreign():
            async with aiohttp.ClientSession() as client:
                async with client.get(served.url("/ws"), headers={"Origin": "http://class.example:9001"}) as response:
                    return response.status

        assert asyncio.run(foreign()) == 403
    finally:
        stop_server(served)


# --- sizes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "size"),
    [
        ("?width=900&height=300", (COLUMNS[1], ROWS[1])),
        ("?width=0&height=0", (COLUMNS[0], ROWS[0])),
        ("?width=-7&height=abc", (COLUMNS[0], 24)),
    ],
)
def test_the_size_a_connection_asks_for_is_kept_within_bounds(server, query, size):
    seen = {}

    async def look(ws, session):
        seen["environments"] = app_environments(server)

    session = asyncio.run(connect(server, query, then=look))
    columns, rows = size
    assert seen["environments"], "no app was started"
    assert {(env["COLUMNS"], env["ROWS"]) for env in seen["environments"]} == {(str(columns), str(rows))}
    # The app drew its screen at that size: its last line is the footer on row `rows`.
    assert session.rows and max(session.rows) == rows
    assert session.closed is None
    assert server.crash_log() == ""


def test_a_resize_is_kept_within_bounds_and_a_broken_message_is_ignored(server):
    async def then(ws, session):
        assert max(session.rows) == 24
        session.output = b""
        await ws.send_str(json.dumps(["resize", {"width": 900, "height": 300}]))
        # A 500×200 screen takes a busy machine a while to draw: all of it belongs to "big".
        await read_until_quiet(ws, session, quiet=4.0)
        big = list(session.rows)
        session.output = b""
        broken_messages = [
            "not json", "[", "{}", "[]", '["resize", {"width": "x"}]', '["resize", {"width": 1e999, "height": 5}]',
            '["resize", 3]', '["stdin", 5]', '["stdin", "\\ud800"]', "[" * 100_000,
        ]  # fmt: skip
        for broken in broken_messages:
            await ws.send_str(broken)
        await ws.send_str(json.dumps(["resize", {"width": 0, "height": 0}]))
        await read_until_quiet(ws, session, quiet=4.0)
        # A busy machine may still be finishing the big picture: the last frame is the small one.
        small = session.last_frame_rows
        await ws.send_str(json.dumps(["ping", "still there?"]))
        reply = await ws.receive(timeout=10)
        while reply.type == aiohttp.WSMsgType.BINARY:
            reply = await ws.receive(timeout=10)
        session.texts.append(reply.data)
        session.seen = (big, small)

    session = asyncio.run(connect(server, "?width=80&height=24", then=then))
    big, small = session.seen
    assert big and max(big) == ROWS[1]
    assert small and max(small) == ROWS[0]
    assert json.loads(session.texts[-1]) == ["pong", "still there?"]
    assert server.crash_log() == ""


# --- sessions ------------------------------------------------------------------------


def test_a_connection_above_max_sessions_is_told_so_and_a_freed_place_is_taken(tmp_path):
    served = start_server(tmp_path, "--max-sessions", "1")
    try:

        async def three():
            async with aiohttp.ClientSession() as client:
                headers = {"Origin": served.origin}
                first = Session()
                async with client.ws_connect(served.url("/ws"), headers=headers) as ws:
                    await read_until_quiet(ws, first)
                    second = Session()
                    async with client.ws_connect(served.url("/ws"), headers=headers) as refused:
                        while second.closed is None:
                            message = await refused.receive(timeout=10)
                            if message.type == aiohttp.WSMsgType.BINARY:
                                second.output += message.data
                            else:
                                second.closed = message
                        code = refused.close_code
                # The first app stops: its place is free again (once the server has seen it go).
                deadline = time.monotonic() + 30
                while (third := await connect(served)).closed is not None and time.monotonic() < deadline:
                    await asyncio.sleep(0.5)
                return first, second, code, third

        first, second, code, third = asyncio.run(three())
        sentence = "nn-tui serve: the server is full (1 of 1 apps running, see --max-sessions); try again later."
        assert b"nn-tui" in first.output
        assert second.output.decode() == f"\r\n  {sentence}\r\n"
        assert code == 1013 and second.closed.extra == sentence
        assert b"nn-tui" in third.output and third.closed is None
    finally:
        stop_server(served)
