"""`nn-tui data`: download, locate, describe and verify MNIST.

    nn-tui data download [--dir DIR] [--mirror URL ...]
    nn-tui data path
    nn-tui data info [--dir DIR]
    nn-tui data verify [--dir DIR]

One download at a time per folder: a second `nn-tui data download` into the
same folder says so on stderr, waits for the first to finish, and then finds
the files it downloaded.

Exit codes: 0 ok, 1 a download or a check failed (or the output could not
be written), 2 bad arguments, 130 interrupted, 141 the reader of the output
went away (nothing is printed then). Errors are one sentence on stderr,
never a traceback.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from nn_tui.assets import MNIST_SUBSET
from nn_tui.core.data import mnist
from nn_tui.tui.crash import OutputFailed, guarded_stdout, output_failed

if TYPE_CHECKING:
    from nn_tui.core.data.download import DownloadBusy

OK, FAILED, BAD_ARGUMENTS, INTERRUPTED = 0, 1, 2, 130


class _BadArguments(ValueError):
    """A user error in the command line (exit code 2)."""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `nn-tui data` and its four sub-commands."""
    parser = subparsers.add_parser(
        "data",
        help="download, locate, describe and verify MNIST",
        description="Manage the MNIST data used by lesson 6 and `nn-tui train`.",
    )
    commands = parser.add_subparsers(dest="data_command", metavar="{download,path,info,verify}")
    fetch = commands.add_parser("download", help="download the four MNIST files (resumes, checks sha256)")
    fetch.add_argument("--dir", type=Path, help=f"folder to download into (default: the cache, {mnist.cache_dir()})")
    fetch.add_argument(
        "--mirror", action="extend", nargs="+", metavar="URL",
        help="mirror URL(s) to try in order instead of the built-in ones",
    )
    commands.add_parser("path", help="print the cache folder and which data set the app uses")
    info = commands.add_parser("info", help="sizes and counts per digit of a data set")
    info.add_argument("--dir", type=Path, help="a folder of MNIST IDX files (default: what the app uses)")
    verify = commands.add_parser("verify", help="check the sha256 of each MNIST file")
    verify.add_argument("--dir", type=Path, help="the folder to check (default: $NN_TUI_MNIST_DIR or the cache)")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run `nn-tui data ...`; return the exit code."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    command = getattr(args, "data_command", None)
    if command not in _COMMANDS:
        err.print("nn-tui data: say what to do: download, path, info or verify (see `nn-tui data --help`).")
        return BAD_ARGUMENTS
    out = Console(file=guarded_stdout(), highlight=False, soft_wrap=True)
    try:
        return _COMMANDS[command](args, out)
    except OutputFailed as failure:
        return output_failed(failure, f"nn-tui data {command}")
    except KeyboardInterrupt:
        err.print("nn-tui data: interrupted; run the same command again to resume.")
        return INTERRUPTED
    except _BadArguments as error:
        err.print(f"nn-tui data {command}: {error}", markup=False)
        return BAD_ARGUMENTS
    except (OSError, ValueError) as error:
        err.print(f"nn-tui data {command}: {_sentence(error)}", markup=False)
        return FAILED


def _sentence(error: BaseException) -> str:
    from nn_tui.core.data import download  # see _download

    if isinstance(error, OSError) and not isinstance(error, download.DownloadError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror}."
    return str(error)


def _given_folder(folder: Path) -> Path:
    if not folder.is_dir():
        raise _BadArguments(f"{folder} is not a folder.")
    return folder


def _download(args: argparse.Namespace, out: Console) -> int:
    # Imported here, not with the module: every `nn-tui` builds this sub-command's
    # parser, and urllib.request with ssl cost each app (each student of a class)
    # about 6 MB of memory it never used.
    from nn_tui.core.data import download

    try:
        mirrors = [download.check_mirror(url) for url in args.mirror or download.MIRRORS]
    except ValueError as error:
        raise _BadArguments(str(error)) from error
    if args.dir is not None:
        dest = _given_folder(args.dir)
    else:
        dest = mnist.cache_dir()
        try:
            dest.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise download.DownloadError(
                f"cannot create the cache folder {dest} ({error.strerror}); give another with --dir."
            ) from error
    with Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=out,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done, total=total)

        try:
            paths = download.download_mnist(dest, mirrors, progress=progress)
        except download.DownloadBusy as busy:
            Console(stderr=True, highlight=False, soft_wrap=True).print(
                f"nn-tui data download: {_busy_sentence(busy)}", markup=False)
            paths = download.download_mnist(dest, mirrors, progress=progress, wait=True)
    out.print(f"MNIST is in {dest}: {len(paths)} files, sha256 ok.", markup=False)
    return OK


def _busy_sentence(busy: DownloadBusy) -> str:
    who = f" (process {busy.pid})" if busy.pid else ""
    return (f"another download into {busy.folder} is running{who}; waiting for it to finish "
            "(Ctrl+C to stop waiting).")


def _path(args: argparse.Namespace, out: Console) -> int:
    cache = mnist.cache_dir()
    out.print(f"cache folder: {cache} ({_folder_state(cache)})", markup=False)
    source = mnist.default_source()
    if source is None:
        what = f"{mnist.load_subset(MNIST_SUBSET).name} (shipped with nn-tui; `nn-tui data download` gets the full set)"
    elif os.environ.get("NN_TUI_MNIST_DIR"):
        what = f"MNIST in {source} (from NN_TUI_MNIST_DIR)"
    else:
        what = f"MNIST in {source} (downloaded, verified)"
    out.print(f"data set:     {what}", markup=False)
    return OK


def _folder_state(folder: Path) -> str:
    if not folder.is_dir():
        return "does not exist yet"
    states = mnist.verify_folder(folder)
    if all(state == "ok" for state in states.values()):
        return "4 verified files"
    if all(state == "missing" for state in states.values()):
        return "no MNIST files"
    bad = [f"{name} {state}" for name, state in states.items() if state != "ok"]
    return "incomplete: " + ", ".join(bad)


def _info(args: argparse.Namespace, out: Console) -> int:
    source = _given_folder(args.dir) if args.dir is not None else mnist.default_source()
    data = mnist.load_mnist(source or MNIST_SUBSET)
    size = sum(a.nbytes for a in (data.train_images, data.train_labels, data.test_images, data.test_labels))
    out.print(f"{data.name}", markup=False)
    out.print(f"source: {data.source}", markup=False)
    out.print(f"images: 28x28 uint8 (pixels 0-255), {size / 1e6:.1f} MB in memory", markup=False)
    table = Table("digit", "train", "test", title="digits per class", title_justify="left")
    train, test = mnist.label_counts(data.train_labels), mnist.label_counts(data.test_labels)
    for digit in range(mnist.NUM_CLASSES):
        table.add_row(str(digit), f"{train[digit]:,}", f"{test[digit]:,}")
    table.add_row("all", f"{data.train_size:,}", f"{data.test_size:,}")
    out.print(table)
    return OK


def _verify(args: argparse.Namespace, out: Console) -> int:
    if args.dir is not None:
        folder = _given_folder(args.dir)
    else:
        folder = Path(os.environ.get("NN_TUI_MNIST_DIR") or mnist.cache_dir())
    out.print(f"checking {folder}", markup=False)
    states = mnist.verify_folder(folder) if folder.is_dir() else {name: "missing" for name in mnist.KNOWN_FILES}
    found = mnist.find_files(folder) if folder.is_dir() else {}
    for name, state in states.items():
        shown = found.get(name) or Path(name + ".gz")
        style = {"ok": "green", "missing": "yellow"}.get(state, "red")
        out.print(f"[{style}]{state:<8}[/] {shown.name}")
    if all(state == "ok" for state in states.values()):
        return OK
    out.print("Run `nn-tui data download` to fetch missing or wrong files.", markup=False)
    return FAILED


_COMMANDS = {"download": _download, "path": _path, "info": _info, "verify": _verify}
