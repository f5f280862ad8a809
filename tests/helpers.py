"""What the Pilot tests share: typing into a field as a student does, and bounded waits.

Every wait here has a deadline and says what it waited for, so a hung test
fails with a reason instead of hanging the suite.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input

from nn_tui.tui.textual_private import notification_texts

#: Long enough for a busy 2-core machine to load data or train a few batches.
TIMEOUT = 30.0


async def type_into(pilot: Pilot, selector: str, text: str) -> Input:
    """Tab into a field (`#id` or an id), type `text` key by key, press Enter.

    The field's text is selected when it takes the focus, so the typed text replaces it.
    """
    selector = selector if selector.startswith(("#", ".")) else f"#{selector}"
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    await pilot.pause()
    field.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()
    return field


async def paste_into(pilot: Pilot, selector: str, text: str) -> Input:
    """Put a long text (a file path) into a field at once, as a terminal paste does, then Enter."""
    selector = selector if selector.startswith(("#", ".")) else f"#{selector}"
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    await pilot.pause()
    field.value = text
    await pilot.press("enter")
    await pilot.pause()
    return field


async def wait_until(
    pilot: Pilot, condition: Callable[[], object], timeout: float = TIMEOUT, what: Callable[[], str] = lambda: ""
) -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds, saying `what()`."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {timeout:g} s {what()}".rstrip()
        await pilot.pause(0.05)


def notifications(app) -> list[str]:  # noqa: ANN001 - any App
    """The messages the app is showing (toasts), oldest first."""
    return notification_texts(app)


def json_round_trip(document: object) -> object:
    """`document` as it comes back from a file: JSON, with nan and infinity refused."""
    return json.loads(json.dumps(document, allow_nan=False))


def train(capsys, *args: str) -> tuple[int, str, str]:  # noqa: ANN001 - pytest's capsys
    """`nn-tui train ARGS` in this process: (exit code, stdout, stderr)."""
    from nn_tui.tui.cli import main

    try:
        code = main(["train", *args])
    except SystemExit as exit:  # argparse errors
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err
