"""`nn-tui serve`: the app in a web browser, for a projector or a class.

textual-serve runs a web server; every browser connection starts its own
`nn-tui` process, so each student (or tab) gets an independent app.

A connection drives a real app that can read and write files, so the server
guards what textual-serve leaves open (see `_guarded_server`):

- only the served page itself may open the app's WebSocket: any other web
  origin (a page the teacher happens to visit) gets HTTP 403;
- the terminal size a connection asks for is kept within `COLUMNS`/`ROWS`
  (a huge size pins a core and eats memory; 0 breaks the app);
- at most `--max-sessions` apps run at once; one more connection is told so;
- `--host ''` (every interface, by accident) is refused: say `--host 0.0.0.0`.

textual-serve and aiohttp are imported only when serving, so `nn-tui --help`
stays fast.
"""

from __future__ import annotations

import argparse
import html
import os
import shlex
import sys
from typing import NamedTuple
from urllib.parse import urlsplit

from nn_tui.tui.cli import THEMES, _lesson_or_script, lesson_numbers
from nn_tui.tui.lessons import number_range

#: Terminal sizes a connection may ask for (columns, rows); outside, the nearest bound is used.
COLUMNS = (20, 500)
ROWS = (10, 200)
#: Apps (browser connections) running at once unless `--max-sessions` says otherwise.
DEFAULT_MAX_SESSIONS = 40

#: Addresses that mean "every interface", and the names of this machine's loopback.
EVERY_INTERFACE = ("0.0.0.0", "::")
LOOPBACK = ("127.0.0.1", "localhost", "::1")

#: The WebSocket close code for "try again later" (RFC 6455 registry).
TRY_AGAIN_LATER = 1013


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "serve",
        help="serve the app to web browsers (each connection starts its own app)",
        description=(
            "Serve nn-tui to web browsers with textual-serve. Each browser connection "
            "starts a separate nn-tui process. Listens on 127.0.0.1 unless told otherwise; "
            "only pages served by this server may connect."
        ),
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1; 0.0.0.0 means every network interface)",
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument(
        "--public-url",
        default=None,
        help="the URL browsers use to reach this server, e.g. http://192.168.1.5:8000 or behind a proxy",
    )
    parser.add_argument(
        "--max-sessions",
        type=int,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=f"most apps (browser tabs) running at once (default: {DEFAULT_MAX_SESSIONS})",
    )
    # Also accepted after `serve`; SUPPRESS keeps the global option's value when absent.
    parser.add_argument("--lang", choices=("en", "zh"), default=argparse.SUPPRESS, help="language of the served app")
    parser.add_argument("--theme", choices=THEMES, default=argparse.SUPPRESS, help="theme of the served app")
    parser.add_argument(
        "--lesson",
        type=int,
        choices=lesson_numbers(),
        metavar="N",
        default=argparse.SUPPRESS,
        help=f"every connection opens lesson N ({number_range()}) directly",
    )
    parser.add_argument(
        "--teach",
        type=_lesson_or_script,
        metavar="N|FILE",
        default=argparse.SUPPRESS,
        help="every connection starts in teacher mode on lesson N's script, or a script FILE",
    )
    parser.add_argument(
        "--follow",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="every connection follows the teacher broadcasting at the Unix socket PATH (nn-tui --broadcast PATH)",
    )
    return parser


def app_command(args: argparse.Namespace) -> str:
    """The shell command each browser connection runs."""
    command = [sys.executable, "-m", "nn_tui", "--lang", args.lang, "--theme", args.theme]
    if getattr(args, "lesson", None) is not None:
        command += ["--lesson", str(args.lesson)]
    teach = getattr(args, "teach", None)
    if teach is not None:
        # A script file is named as the teacher typed it: the sessions may start elsewhere.
        command += ["--teach", str(teach) if isinstance(teach, int) else os.path.abspath(teach)]
    if getattr(args, "follow", None):
        command += ["--follow", os.path.abspath(args.follow)]  # the same socket, wherever the sessions start
    return shlex.join(command)


# --- the page -------------------------------------------------------------------------

#: What the page says once the app has ended (q, or the connection closed), per language.
ENDED = {
    "en": ("nn-tui has ended; reload the page to start again.", "Start again"),
    "zh": ("nn-tui 已结束；重新加载页面即可再次开始。", "重新开始"),
}

# Everything the page needs comes from this server: textual-serve's own page also
# loads a web font from fonts.googleapis.com, which a classroom offline cannot reach.
PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>nn-tui</title>
<link rel="stylesheet" href="{static}css/xterm.css">
<style>
@font-face {{
  font-family: "Roboto Mono"; font-style: normal; font-weight: 100 700;
  src: url("{static}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
}}
@font-face {{
  font-family: "Roboto Mono"; font-style: italic; font-weight: 100 700;
  src: url("{static}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
}}
body {{ background: #0c181f; margin: 0; }}
.notice {{
  position: absolute; inset: 0; z-index: 10; display: flex; align-items: center; justify-content: center;
  background: #0c181f; color: rgba(255, 255, 255, 0.95); font: 16px "Roboto Mono", monospace; text-align: center;
}}
.notice button {{
  display: block; margin: 16px auto 0; padding: 12px 28px; border: none;
  background: #5e0ba7; color: inherit; font: inherit; cursor: pointer;
}}
body.-first-byte .starting, .ended, #start {{ display: none; }}
body.-closed .ended, #start.-delay {{ display: flex; }}
.textual-terminal {{ opacity: 0; }}
body.-first-byte .textual-terminal {{ opacity: 1; }}
</style>
<script src="{static}js/textual.js"></script>
</head>
<body>
<div class="notice starting"><div>nn-tui<button type="button" id="start" onclick="location.reload()">{start}</button></div></div>
<div class="notice ended"><div><p id="ended">{ended}</p><button type="button" onclick="location.reload()">{start}</button></div></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{websocket}" data-font-size="{font_size}"></div>
</body>
</html>
"""


def page(args: argparse.Namespace, static_url: str, websocket_url: str, font_size: int) -> str:
    """The served page, in the app's language."""
    ended, start = ENDED.get(args.lang, ENDED["en"])
    escape = html.escape
    return PAGE.format(
        lang="zh-Hans" if args.lang == "zh" else "en",
        static=escape(static_url),
        websocket=escape(websocket_url),
        font_size=font_size,
        ended=escape(ended),
        start=escape(start),
    )


# --- what a connection may ask ---------------------------------------------------------


class Origin(NamedTuple):
    """A web origin, normalised: scheme and host in lower case, the port always given."""

    scheme: str
    host: str
    port: int


def parse_origin(url: str) -> Origin | None:
    """The origin of an http(s) URL or Origin header; None if it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # a port that is not a number, or out of range
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    return Origin(scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80))


def allowed_origins(host: str, port: int, public_url: str | None) -> frozenset[Origin]:
    """The origins of the pages this server serves: the only ones that may open its WebSocket.

    That is `--public-url`'s origin, and http://HOST:PORT; a server on this
    machine's loopback (or on every interface, loopback included) is also
    reached as localhost, 127.0.0.1 and [::1]. The Host header is not
    trusted: a page of another site can make its name point here.
    """
    origins = set()
    if public_url and (origin := parse_origin(public_url)) is not None:
        origins.add(origin)
    hosts = {host.lower().strip("[]")}
    if hosts & {*EVERY_INTERFACE, *LOOPBACK} or host.startswith("127."):
        hosts |= set(LOOPBACK)
    origins.update(Origin("http", name, port) for name in hosts - set(EVERY_INTERFACE))
    return frozenset(origins)


def origin_refusal(origin: str | None, allowed: frozenset[Origin]) -> str | None:
    """Why a WebSocket with this Origin header is refused (one sentence), or None to accept it.

    Browsers always send Origin when a page opens a WebSocket, so a missing
    one is refused too.
    """
    if origin is None:
        return "nn-tui serve: refused a connection without an Origin header; open the app from this server's page."
    if parse_origin(origin) not in allowed:
        shown = origin if len(origin) <= 80 else origin[:77] + "..."
        return (
            f"nn-tui serve: refused a connection from the web page at {shown!r}; "
            "only this server's own page may connect."
        )
    return None


def bounded(value: object, bounds: tuple[int, int]) -> int | None:
    """`value` as a whole number moved into `bounds`; None if it is not a number."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return None
    return min(max(number, bounds[0]), bounds[1])


def terminal_size(width: object, height: object) -> tuple[int, int]:
    """The size an app starts with: the one asked for, within bounds (80×24 if not a number)."""
    columns, rows = bounded(width, COLUMNS), bounded(height, ROWS)
    return (80 if columns is None else columns, 24 if rows is None else rows)


def sessions_refusal(limit: int) -> str:
    return f"nn-tui serve: the server is full ({limit} of {limit} apps running, see --max-sessions); try again later."


def one_line(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".strip().rstrip(":")
    return text.splitlines()[0] if text else type(error).__name__


# --- the server ---------------------------------------------------------------------


def _guarded_server(args: argparse.Namespace, public_url: str | None):
    """A textual-serve `Server` that only its own page may use, within bounds (see the module doc)."""
    import asyncio
    import json
    import logging

    from aiohttp import WSMsgType, web
    from textual_serve.server import AppService, Server

    log = logging.getLogger("textual-serve")
    allowed = allowed_origins(args.host, args.port, public_url)
    limit = args.max_sessions

    class GuardedServer(Server):
        sessions = 0

        async def handle_index(self, request: web.Request) -> web.Response:
            """Our page (see PAGE): textual-serve's fetches a web font from the internet."""
            font_size = bounded(request.query.get("fontsize", "16"), (6, 64)) or 16
            static_url = f"{self.public_url}{request.app.router['static'].url_for(filename='/')}".rstrip("/") + "/"
            websocket_url = f"{self.public_url}{request.app.router['websocket'].url_for()}"
            scheme, rest = websocket_url.split(":", 1)
            websocket_url = ("wss:" if scheme == "https" else "ws:") + rest
            return web.Response(text=page(args, static_url, websocket_url, font_size), content_type="text/html")

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            refusal = origin_refusal(request.headers.get("Origin"), allowed)
            if refusal is not None:
                log.warning(refusal)
                return web.Response(status=403, text=refusal + "\n")
            width, height = terminal_size(request.query.get("width"), request.query.get("height"))
            websocket = web.WebSocketResponse(heartbeat=15)
            if self.sessions >= limit:
                return await self._refuse(request, websocket)
            # Counted before the first await: connections arriving together cannot all slip in.
            self.sessions += 1
            app_service: AppService | None = None
            try:
                await websocket.prepare(request)
                app_service = AppService(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await app_service.start(width, height)
                try:
                    await self._process_messages(websocket, app_service)
                finally:
                    await app_service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:  # noqa: BLE001 - one line on the teacher's console, not a traceback
                log.error("nn-tui serve: a session ended on an error (%s).", one_line(error))
            finally:
                self.sessions -= 1
                if app_service is not None:
                    await app_service.stop()
            return websocket

        async def _refuse(self, request: web.Request, websocket: web.WebSocketResponse) -> web.WebSocketResponse:
            """Say in the browser's terminal, and as the close reason, that the server is full."""
            reason = sessions_refusal(limit)
            log.warning(reason)
            await websocket.prepare(request)
            await websocket.send_bytes(f"\r\n  {reason}\r\n".encode())
            await websocket.close(code=TRY_AGAIN_LATER, message=reason.encode()[:123])
            return websocket

        async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
            """textual-serve's loop, with every message checked and sizes kept within bounds.

            A message that is not what textual.js sends is ignored (upstream
            stopped the session with a traceback on the console).
            """
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    envelope = json.loads(message.data)
                except (ValueError, RecursionError):
                    continue
                if not isinstance(envelope, list) or not envelope:
                    continue
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
                if kind == "stdin" and isinstance(data, str):
                    await app_service.send_bytes(data.encode("utf-8", "replace"))
                elif kind == "resize" and isinstance(data, dict):
                    width, height = bounded(data.get("width"), COLUMNS), bounded(data.get("height"), ROWS)
                    if width is not None and height is not None:
                        await app_service.set_terminal_size(width, height)
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await app_service.blur()
                elif kind == "focus":
                    await app_service.focus()

    return GuardedServer(app_command(args), host=args.host, port=args.port, title="nn-tui", public_url=public_url)


def check(args: argparse.Namespace) -> str | None:
    """What is wrong with the options (one sentence), or None."""
    if not 0 < args.port < 65536:
        return f"nn-tui serve: port {args.port} is not between 1 and 65535."
    if not args.host.strip():
        return (
            f"nn-tui serve: --host {args.host!r} would listen on every network interface; "
            "give --host 0.0.0.0 if that is what you mean."
        )
    if args.public_url is not None and parse_origin(args.public_url) is None:
        return (
            f"nn-tui serve: --public-url must be an http:// or https:// address such as "
            f"http://192.168.1.5:8000, got {args.public_url!r}."
        )
    if args.max_sessions < 1:
        return f"nn-tui serve: --max-sessions must be at least 1, got {args.max_sessions}."
    teach = getattr(args, "teach", None)
    if isinstance(teach, str) and not os.path.isfile(teach):
        # Said once here, not by every session the browsers start.
        return f"nn-tui serve: --teach {teach!r} is neither a lesson number nor a script file."
    return None


def listening_note(args: argparse.Namespace) -> str:
    """What a server on every interface means (said when it starts)."""
    note = (
        f"nn-tui serve: listening on every network interface ({args.host}): anyone who can reach "
        f"this machine on port {args.port} can open the app"
    )
    if args.public_url is None:
        # The page tells browsers to connect to the address it was served on: 0.0.0.0 is none.
        return f"{note}; other machines also need --public-url http://THIS-MACHINE:{args.port}."
    return f"{note}."


def run(args: argparse.Namespace) -> int:
    problem = check(args)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    if args.host in EVERY_INTERFACE:
        print(listening_note(args), file=sys.stderr)
    # textual-serve appends paths ("/ws") to the public URL: no trailing slash.
    public_url = args.public_url.strip().rstrip("/") if args.public_url else None
    server = _guarded_server(args, public_url)
    try:
        server.serve()
    except OSError as error:
        print(f"nn-tui serve: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0
