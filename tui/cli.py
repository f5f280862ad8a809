"""The `nn-tui` command: open the app, or run a sub-command headless.

Textual is imported only when the app is opened, so `nn-tui --help`,
`nn-tui train` and `nn-tui data` start fast and work without a terminal UI.
"""

from __future__ import annotations

import argparse
import codecs
import locale
import os
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from nn_tui import __version__
from nn_tui.tui import commands
from nn_tui.tui.crash import crash_message
from nn_tui.tui.lessons import all_lessons, number_range

# The names only (no textual import): kept in step with nn_tui.tui.themes.THEMES by a test.
THEMES = ("dark", "light", "projector")

DESCRIPTION = (
    "nn-tui: see how a neural network learns. With no sub-command it opens the "
    "terminal app (lessons {lessons} of Deep Learning from Scratch ch. 2-6 and cs231n)."
)


def _subcommand_modules():
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        yield importlib.import_module(f"{commands.__name__}.{info.name}")


def _lesson_or_script(text: str) -> int | str:
    """`--teach 3` is lesson 3's shipped script; anything else is a script file."""
    if text.isdigit():
        if int(text) not in lesson_numbers():
            raise argparse.ArgumentTypeError(f"there is no lesson {text}; lessons are {number_range()}")
        return int(text)
    return text


def lesson_numbers() -> list[int]:
    return [item.number for item in all_lessons()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nn-tui", description=DESCRIPTION.format(lessons=number_range()))
    parser.add_argument("--version", action="version", version=f"nn-tui {__version__}")
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="interface language (default: en)")
    parser.add_argument(
        "--theme", choices=tuple(THEMES), default="dark", help="colours: dark (default), light, or projector (high contrast)"
    )
    parser.add_argument(
        "--lesson", type=int, choices=lesson_numbers(), metavar="N", help=f"open lesson N ({number_range()}) directly"
    )
    parser.add_argument(
        "--teach",
        type=_lesson_or_script,
        metavar="N|FILE",
        help=f"teacher mode: walk lesson N ({number_range()}) step by step, or a script FILE (see tui/teacher/SCRIPTS.md)",
    )
    parser.add_argument(
        "--screenshots",
        metavar="DIR",
        help="folder for F12's SVG screenshots (default: $NN_TUI_SCREENSHOT_DIR, else the current folder)",
    )
    parser.add_argument(
        "--no-blink",
        dest="blink",
        action="store_false",
        help="text cursors never blink (by default they stop after a few seconds without a key)",
    )
    parser.add_argument("--open", dest="open_file", metavar="FILE", help="open a lesson's saved state (F2 saves one)")
    classroom = parser.add_mutually_exclusive_group()
    classroom.add_argument(
        "--broadcast", metavar="PATH", help="teacher: publish every change to students following the Unix socket PATH"
    )
    classroom.add_argument(
        "--follow", metavar="PATH", help="student: show what the teacher broadcasting at PATH shows (F7 own / F8 rejoin)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _subcommand_modules():
        module.add_parser(subparsers)
    return parser


def _is_utf8(encoding: str | None) -> bool:
    try:
        return bool(encoding) and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _locale_codeset() -> str | None:
    """The character set the locale names (LC_ALL, LC_CTYPE, LANG), or None where it cannot be asked."""
    try:
        return locale.nl_langinfo(locale.CODESET) or None
    except (AttributeError, ValueError):  # no nl_langinfo (Windows)
        return None


def locale_warning() -> str | None:
    """One sentence on how to fix a terminal setting that is not UTF-8, or None if it is.

    Without UTF-8 the app's lines, arrows and Chinese text show as `\\uXXXX`
    codes (Python writes what the locale can hold) or as garbage (the terminal
    reads UTF-8 as something else).
    """
    if os.environ.get("TEXTUAL_DRIVER"):
        return None  # served to a browser (nn-tui serve): always UTF-8
    stream = sys.__stderr__  # where Textual draws
    stream_ok = _is_utf8(getattr(stream, "encoding", None))
    codeset = _locale_codeset()
    if stream_ok and (codeset is None or _is_utf8(codeset)):
        return None
    if not stream_ok and os.environ.get("PYTHONIOENCODING") and (codeset is None or _is_utf8(codeset)):
        fix = "unset PYTHONIOENCODING"
        what = f"PYTHONIOENCODING={os.environ['PYTHONIOENCODING']}"
    else:
        # The variable that decides the character set: LC_ALL, else LC_CTYPE, else LANG.
        name = next((n for n in ("LC_ALL", "LC_CTYPE", "LANG") if os.environ.get(n)), "LANG")
        fix = f"export {name}=C.UTF-8"
        what = f"{name}={os.environ.get(name, '')}" if os.environ.get(name) else "no LANG"
    return (
        f"nn-tui: the terminal is not set up for UTF-8 ({what}), so lines and symbols may show as \\uXXXX "
        f"codes or garbage; to fix it, run `{fix}` (or use another UTF-8 locale) and start nn-tui again."
    )


def _tolerant_output() -> None:
    """Standard output that cannot hold a character writes `\\uXXXX` instead of stopping on an error."""
    stream = sys.stdout
    if stream is not None and not _is_utf8(getattr(stream, "encoding", None)):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass  # not a text stream we can reconfigure


def run_app(args: argparse.Namespace) -> int:
    from nn_tui.tui.classroom.viewer import can_view
    from nn_tui.tui.memory import one_heap_for_all_threads
    from nn_tui.tui.threads import set_blas_threads

    # Said once, and the app still starts: on standard error now (seen again
    # after quitting) and as a warning inside the app.
    notices = [warning] if (warning := locale_warning()) else []
    for notice in notices:
        print(notice, file=sys.stderr)

    # The UI and the training thread share the cores: one BLAS thread each
    # (see nn_tui.tui.threads), unless the user chose otherwise.
    if not os.environ.get("OPENBLAS_NUM_THREADS"):
        set_blas_threads(1)
    one_heap_for_all_threads()

    if args.follow and not notices and can_view():
        return follow_in_terminal(args)
    from nn_tui.tui.app import NNTuiApp  # not before: a student watching the class's picture needs no app

    app = NNTuiApp(
        language=args.lang,
        start_lesson=args.lesson,
        theme=args.theme,
        teach=args.teach,
        screenshots=args.screenshots,
        blink=args.blink,
        notices=notices,
        open_file=args.open_file,
        broadcast=args.broadcast,
        follow=args.follow,
    )
    app.run()
    return app.return_code or 0  # 1 if the app stopped on an error


def follow_in_terminal(args: argparse.Namespace) -> int:
    """A student's terminal watches the class's picture; its own app runs only while it explores on its own."""
    from nn_tui.tui.classroom.viewer import BREAK_OFF, QUIT, Viewer

    language = args.lang
    while True:
        viewer = Viewer(args.follow, language)
        outcome = viewer.run()
        language = viewer.language
        if outcome == QUIT:
            return 0
        # Textual is read only now: a student who only watches never needs it.
        from nn_tui.tui.app import NNTuiApp
        from nn_tui.tui.classroom.following import REJOIN

        app = NNTuiApp(language=language, theme=args.theme, screenshots=args.screenshots, blink=args.blink,
                       follow=args.follow, breaking_off=outcome == BREAK_OFF)
        result = app.run()
        if result != REJOIN or app.return_code:
            return app.return_code or 0
        language = app.language


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_output()  # `nn-tui train --help` (λ, Σ) under an ASCII locale
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            return run_app(args)
        # A sub-command is named after its module in nn_tui.tui.commands.
        return importlib.import_module(f"{commands.__name__}.{args.command}").run(args)
    except KeyboardInterrupt:
        print("nn-tui: interrupted.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - a bug must reach the user as one sentence, not a traceback
        print(crash_message(error), file=sys.stderr)
        return 1
