"""`nn-tui serve` for a class: offline page, lesson and teacher options, a too-small browser window, a quit.

A real server on 127.0.0.1 and a real WebSocket client (see tests/test_serve_guard.py).
"""

from __future__ import annotations

import asyncio
import os
import re
import urllib.request
from html.parser import HTMLParser

import pytest
from textual.geometry import Size

from nn_tui.tui.cli import build_parser
from nn_tui.tui.commands.serve import ENDED, app_command
from nn_tui.tui.lessons.losses.text import TEXT as LOSSES
from nn_tui.tui.too_small import notice_text
from tests.test_serve_guard import Session, connect, read_until_quiet, start_server, stop_server

# Drawing sequences between the characters of the app's output: colours, cursor moves.
ESCAPE = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def screen_text(session: Session) -> str:
    return ESCAPE.sub(b"", session.output).decode("utf-8", "replace")


class Assets(HTMLParser):
    """Every address the page makes the browser load."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])
        if tag in ("link", "img") and (attributes.get("href") or attributes.get("src")):
            self.urls.append(attributes.get("href") or attributes.get("src"))

    def handle_data(self, data):
        self.urls += re.findall(r"url\(\s*[\"']?([^\"')]+)", data)


@pytest.fixture
def served(tmp_path):
    server = start_server(tmp_path, "--lang", "zh")
    yield server
    stop_server(server)


def test_the_page_loads_nothing_from_the_internet(served):
    """Was: textual-serve's page loaded its font from fonts.googleapis.com (offline: no font)."""
    with urllib.request.urlopen(served.url("/"), timeout=5) as response:
        page = response.read().decode("utf-8")
    assets = Assets()
    assets.feed(page)
    assert len(assets.urls) >= 4, assets.urls  # the stylesheet, the script, two fonts
    for url in assets.urls:
        assert url.startswith(served.origin + "/static/"), url
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200 and len(response.read()) > 1000, url
    assert "googleapis" not in page and not re.search(r"https?://(?!127\.0\.0\.1)", page)
    assert 'class="textual-terminal"' in page and f'"ws://127.0.0.1:{served.port}/ws"' in page


def test_a_quit_is_said_in_the_page(served):
    """q ends the app: the socket closes and the page shows that nn-tui has ended (in the app's language)."""
    with urllib.request.urlopen(served.url("/"), timeout=5) as response:
        page = response.read().decode("utf-8")
    ended, start = ENDED["zh"]
    assert ended == "nn-tui 已结束；重新加载页面即可再次开始。" and f'<p id="ended">{ended}</p>' in page
    # textual.js marks the page's body `-closed` when the socket closes; that shows the notice.
    assert re.search(r"body\.-closed \.ended[^{]*\{ display: flex", page)

    async def quit(ws, session):
        await ws.send_str('["stdin", "q"]')
        await read_until_quiet(ws, session, quiet=1.0, limit=20)

    session = asyncio.run(connect(served, "?width=80&height=24", then=quit))
    assert session.closed is not None, "the socket stayed open after q"


def test_serve_passes_lesson_and_teach_to_every_session(tmp_path):
    args = build_parser().parse_args(["serve", "--lesson", "3", "--teach", "3"])
    assert app_command(args).endswith("-m nn_tui --lang en --theme dark --lesson 3 --teach 3")
    args = build_parser().parse_args(["--lesson", "2", "serve"])
    assert app_command(args).endswith("--lesson 2")
    script = tmp_path / "my.md"
    args = build_parser().parse_args(["serve", "--teach", os.path.relpath(script)])
    assert app_command(args).endswith(f"--teach {script}")

    server = start_server(tmp_path, "--lesson", "3")
    try:
        session = asyncio.run(connect(server, "?width=80&height=24"))
    finally:
        stop_server(server)
    assert LOSSES.get("title", "en") in screen_text(session).replace("\xa0", " ")


def test_a_too_small_browser_window_is_named_as_such(served):
    session = asyncio.run(connect(served, "?width=60&height=20"))
    text = screen_text(session)
    assert "浏览器窗口" in text and "终端" not in text


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_too_small_notice_names_the_window_the_user_can_enlarge(language):
    terminal = notice_text(language, Size(60, 20))
    browser = notice_text(language, Size(60, 20), in_browser=True)
    assert ("terminal" in terminal or "终端" in terminal) and "browser" not in terminal and "浏览器" not in terminal
    assert ("browser window" in browser or "浏览器窗口" in browser) and "terminal" not in browser and "终端" not in browser
    # Narrow windows get the short sentence, still about the browser.
    assert "window" in notice_text("en", Size(20, 8), in_browser=True)


def test_a_missing_teacher_script_is_refused_before_serving(tmp_path):
    from tests.test_cli_serve import refusal

    missing = str(tmp_path / "no-such-script.md")
    assert refusal("--teach", missing) == (
        f"nn-tui serve: --teach {missing!r} is neither a lesson number nor a script file."
    )
