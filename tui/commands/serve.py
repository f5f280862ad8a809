"""`nn-tui serve`: the app in a web browser, for a projector or a class.

textual-serve runs a web server; every browser connection starts its own
`nn-tui` process, so each student (or tab) gets an independent app.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from nn_tui.tui.cli import THEMES


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "serve",
        help="serve the app to web browsers (each connection starts its own app)",
        description=(
            "Serve nn-tui to web browsers with textual-serve. Each browser connection "
            "starts a separate nn-tui process. Listens on 127.0.0.1 unless told otherwise."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument(
        "--public-url", default=None, help="the URL browsers use to reach this server, e.g. behind a proxy"
    )
    # Also accepted after `serve`; SUPPRESS keeps the global option's value when absent.
    parser.add_argument("--lang", choices=("en", "zh"), default=argparse.SUPPRESS, help="language of the served app")
    parser.add_argument("--theme", choices=THEMES, default=argparse.SUPPRESS, help="theme of the served app")
    return parser


def app_command(args: argparse.Namespace) -> str:
    """The shell command each browser connection runs."""
    return shlex.join([sys.executable, "-m", "nn_tui", "--lang", args.lang, "--theme", args.theme])


def run(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        print(f"nn-tui serve: port {args.port} is not between 1 and 65535.", file=sys.stderr)
        return 2
    from textual_serve.server import Server

    server = Server(app_command(args), host=args.host, port=args.port, title="nn-tui", public_url=args.public_url)
    try:
        server.serve()
    except OSError as error:
        print(f"nn-tui serve: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0
