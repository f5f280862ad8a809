"""Both sides of the classroom channel without the app, as JSON lines (for trying it, and for tests).

    python -m nn_tui.tui.classroom broadcast PATH [--mode 660]
        reads lines from stdin: {"lesson": ..., "step": ..., "document": {...}} publishes,
        {"command": "followers"} prints how many follow; stops at the end of stdin or on SIGTERM.
    python -m nn_tui.tui.classroom follow PATH [--digest]
        prints every status and every message it shows, until SIGTERM.

Each printed line is a JSON object with an "event" and "t" (time.time()).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import signal
import sys
import time
from collections.abc import Coroutine
from typing import Any

from nn_tui.tui.classroom.broadcaster import Broadcaster
from nn_tui.tui.classroom.follower import Follower
from nn_tui.tui.classroom.protocol import MAX_MESSAGE_BYTES, Message, ProtocolError
from nn_tui.tui.classroom.socket_file import SocketFileError


def say(event: str, **values: object) -> None:
    print(json.dumps({"event": event, "t": time.time(), **values}), flush=True)


async def broadcast(path: str, mode: int | None) -> int:
    broadcaster = Broadcaster(path, mode=mode)
    try:
        await broadcaster.start()
    except SocketFileError as error:
        say("error", code=error.code, values=error.values)
        return 2
    loop = asyncio.get_running_loop()
    stdin = asyncio.StreamReader(limit=2 * MAX_MESSAGE_BYTES)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
    stopping = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stopping.cancel)
    say("ready", path=path)
    try:
        while line := await _first(stdin.readline(), stopping):
            try:
                command = json.loads(line)
                if command.get("command") == "followers":
                    say("followers", count=broadcaster.followers, buffered=broadcaster.buffered)
                    continue
                sent_at, began = time.time(), time.perf_counter()
                sent = broadcaster.publish(command["lesson"], command["step"], command["document"])
                say("published", seq=sent.seq, seconds=time.perf_counter() - began, sent_at=sent_at)
            except ProtocolError as error:
                say("refused", code=error.code)
            except (ValueError, KeyError, AttributeError) as error:
                say("refused", code=type(error).__name__)
    finally:
        await broadcaster.close()
        say("closed")
    return 0


async def _first(read: Coroutine[Any, Any, bytes], stopping: asyncio.Future[None]) -> bytes:
    """The next stdin line, or b"" once stopping is cancelled (SIGTERM)."""
    reading = asyncio.ensure_future(read)
    await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if reading.done():
        return reading.result()
    reading.cancel()
    return b""


async def follow(path: str, digest: bool) -> int:
    def message(sent: Message) -> None:
        document: object = sent.document
        if digest:
            text = json.dumps(sent.document, sort_keys=True).encode()
            document = {"sha256": hashlib.sha256(text).hexdigest(), "size": len(text)}
        say("message", seq=sent.seq, lesson=sent.lesson, step=sent.step, document=document)

    follower = Follower(path, message, lambda status, detail: say("status", status=status, detail=detail))
    loop = asyncio.get_running_loop()
    task = follower.start()
    loop.add_signal_handler(signal.SIGTERM, task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nn_tui.tui.classroom")
    sides = parser.add_subparsers(dest="side", required=True)
    teacher = sides.add_parser("broadcast")
    teacher.add_argument("path")
    teacher.add_argument("--mode", type=lambda text: int(text, 8), default=None, help="octal, e.g. 660")
    student = sides.add_parser("follow")
    student.add_argument("path")
    student.add_argument("--digest", action="store_true", help="print each document's hash and size, not itself")
    args = parser.parse_args(argv)
    if args.side == "broadcast":
        return asyncio.run(broadcast(args.path, args.mode))
    return asyncio.run(follow(args.path, args.digest))


if __name__ == "__main__":
    raise SystemExit(main())
