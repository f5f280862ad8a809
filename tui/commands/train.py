"""`nn-tui train`: train a network headless, with a progress bar or JSON lines.

    nn-tui train [--preset quick] [--epochs N] [--optimizer adam] [--lr 0.001]
                 [--hidden 100,100] ... [--data-dir DIR] [--save net.npz]
                 [--metrics-csv run.csv] [--quiet] [--json]

Start from a preset (``quick`` unless told otherwise) and change any field
with an option.  Data: ``--data-dir``, else what the app uses
($NN_TUI_MNIST_DIR, the verified download cache, or the offline subset).

Before anything is allocated, the network's peak memory is estimated
(``nn_tui.core.networks.training_memory_estimate``) and a run that would not
fit is refused: the limit is ``--max-memory``, else 80% of the memory
available now.

Exit codes: 0 done, 2 bad arguments (a network too big for the memory
included), 3 the training diverged, 4 the data could not be loaded, 1
anything else that failed (e.g. saving, or a full disk for the output), 130
interrupted, 141 the reader of the output went away (`| head -1`; nothing
is printed then).  Errors are one sentence on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

OK, FAILED, BAD_ARGUMENTS, DIVERGED, DATA_ERROR, INTERRUPTED = 0, 1, 2, 3, 4, 130

# Redraw the progress bar at most this often: a redraw costs more than a
# mini-batch of the quick preset.
PROGRESS_INTERVAL = 0.1

# Without --max-memory, a run may take this share of the memory available
# when it starts (the rest is for the data, Python, and everything else).
from nn_tui.tui.threads import MEMORY_FRACTION  # noqa: E402 - beside its explanation


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `nn-tui train` and its options."""
    from nn_tui.core.presets import PRESETS

    parser = subparsers.add_parser(
        "train",
        help="train a network on MNIST without the UI (progress bar or JSON lines)",
        description="Train a fully connected network on MNIST and print its metrics. "
                    "Start from a preset and change any field with the options below.",
        epilog="presets: " + "; ".join(f"{p.name}: {p.description.rstrip('.')}" for p in PRESETS.values()) + ".",
    )
    parser.add_argument("--preset", default="quick", metavar="NAME",
                        help=f"starting point: {', '.join(PRESETS)} (default: quick)")
    net = parser.add_argument_group("network")
    net.add_argument("--hidden", type=_sizes, metavar="SIZES",
                     help="hidden layer sizes, comma-separated, e.g. 100,100")
    net.add_argument("--activation", choices=("relu", "sigmoid", "tanh"))
    net.add_argument("--init", metavar="INIT",
                     help="initial weights: he, xavier, std:0.01 or a number (the std)")
    net.add_argument("--weight-decay", type=float, metavar="LAMBDA",
                     help="L2 weight decay λ (the loss gains 0.5·λ·ΣW²)")
    net.add_argument("--dropout", type=float, metavar="RATIO",
                     help="dropout ratio in [0, 1); 0 = no dropout")
    net.add_argument("--batchnorm", action=argparse.BooleanOptionalAction,
                     help="batch normalisation after every hidden Affine layer")
    net.add_argument("--dtype", choices=("float32", "float64"))
    run = parser.add_argument_group("training")
    run.add_argument("--optimizer", choices=("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"))
    run.add_argument("--lr", type=float, metavar="RATE", help="learning rate")
    run.add_argument("--batch-size", type=int, metavar="N")
    length = run.add_mutually_exclusive_group()
    length.add_argument("--epochs", type=int, metavar="N")
    length.add_argument("--iterations", type=int, metavar="N",
                        help="train for exactly N mini-batches instead of whole epochs")
    run.add_argument("--train-size", type=int, metavar="N",
                     help="use only the first N training images (e.g. 300 to show overfitting)")
    run.add_argument("--eval-samples", type=int, metavar="N",
                     help="measure accuracies on the first N train/test images (default: all)")
    run.add_argument("--seed", type=int, metavar="N", help="random seed (default: the preset's, 0)")
    run.add_argument("--threads", type=int, metavar="N",
                     help="threads for matrix products, at most the CPUs this process may use "
                          "(default: 1, or $OPENBLAS_NUM_THREADS; more rarely helps at MNIST's "
                          "sizes and hurts a lot on a busy machine)")
    run.add_argument("--max-memory", type=_memory_size, metavar="SIZE",
                     help="refuse a network whose training would need more memory than this, "
                          f"e.g. 500M or 4G (default: {MEMORY_FRACTION * 100:.0f}%% of the memory available)")
    io = parser.add_argument_group("input and output")
    io.add_argument("--data-dir", type=Path, metavar="DIR",
                    help="folder with the four MNIST IDX files (default: $NN_TUI_MNIST_DIR, "
                         "the download cache, else the offline subset)")
    io.add_argument("--save", type=Path, metavar="PATH", help="save the trained network (.npz)")
    io.add_argument("--metrics-csv", type=Path, metavar="PATH",
                    help="write every iteration's loss and each epoch's accuracies as CSV")
    io.add_argument("--quiet", action="store_true", help="print only the final result")
    io.add_argument("--json", action="store_true",
                    help="print JSON lines (one per epoch and one at the end) instead of text")
    return parser


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.replace(" ", "").split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of layer sizes; write e.g. 100 or 100,50") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"layer sizes must be whole numbers >= 1, got {text!r}")
    return sizes


_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12,
          "ki": 2**10, "mi": 2**20, "gi": 2**30, "ti": 2**40}


def _memory_size(text: str) -> int:
    """'500M', '4G', '1.5GiB' or a number of bytes, as bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([kmgt]i?)?b?\s*", text, flags=re.IGNORECASE)
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a memory size; write e.g. 500M or 4G")
    size = float(match[1]) * _UNITS[(match[2] or "").lower()]
    if not 1 <= size < 2**63:
        raise argparse.ArgumentTypeError(f"{text!r} is not a memory size; write e.g. 500M or 4G")
    return int(size)


def build_config(args: argparse.Namespace):
    """The preset's TrainConfig with the command line's changes (ValueError if invalid)."""
    from nn_tui.core.presets import get_preset

    config = get_preset(args.preset).config
    changes: dict[str, Any] = {}
    simple = {"hidden": "hidden_sizes", "activation": "activation", "weight_decay": "weight_decay",
              "dropout": "dropout", "batchnorm": "batchnorm", "dtype": "dtype",
              "optimizer": "optimizer", "lr": "lr", "batch_size": "batch_size",
              "train_size": "train_size", "seed": "seed"}
    for option, field in simple.items():
        value = getattr(args, option, None)
        if value is not None:
            changes[field] = value
    if args.init is not None:
        try:
            changes["weight_init"] = float(args.init)
        except ValueError:
            changes["weight_init"] = args.init
    if args.epochs is not None:
        changes.update(epochs=args.epochs, iterations=None)
    if args.iterations is not None:
        changes["iterations"] = args.iterations
    if args.eval_samples is not None:
        changes.update(eval_train_samples=args.eval_samples, eval_test_samples=args.eval_samples)
    return config.replace(**changes)


def run(args: argparse.Namespace) -> int:
    """Run `nn-tui train`; return the exit code."""
    from rich.console import Console

    from nn_tui.tui.crash import OutputFailed, guarded_stdout, output_failed

    err = Console(stderr=True, highlight=False, soft_wrap=True)

    def fail(code: int, message: str) -> int:
        err.print(f"nn-tui train: {message}", markup=False)
        return code

    try:
        config = build_config(args)
        _check_output_path(args.save, ".npz", "--save")
        _check_output_path(args.metrics_csv, None, "--metrics-csv")
    except ValueError as error:
        return fail(BAD_ARGUMENTS, str(error))

    from nn_tui.assets import MNIST_SUBSET
    from nn_tui.core.data import mnist
    from nn_tui.tui.threads import set_blas_threads, usable_cpus
    from nn_tui.core.trainer import Trainer

    if args.threads is not None and not 1 <= args.threads <= usable_cpus():
        cpus = usable_cpus()
        return fail(BAD_ARGUMENTS, f"--threads must be from 1 to {cpus} (the CPU{'s' if cpus > 1 else ''} "
                                   f"this process may use), got {args.threads}")
    if args.threads is not None or not os.environ.get("OPENBLAS_NUM_THREADS"):
        set_blas_threads(args.threads or 1)  # False (not OpenBLAS): nothing to tune

    try:
        data = mnist.load_mnist(args.data_dir if args.data_dir is not None else mnist.default_source() or MNIST_SUBSET)
    except (OSError, ValueError) as error:
        return fail(DATA_ERROR, f"cannot load the data: {_sentence(error)}")
    too_big = _memory_refusal(config, data, args.max_memory)
    if too_big:
        return fail(BAD_ARGUMENTS, too_big)
    try:
        trainer = Trainer(config, data)
    except ValueError as error:
        return fail(BAD_ARGUMENTS, str(error))
    except MemoryError:
        return fail(FAILED, _out_of_memory(config, "building the network"))

    out = Console(file=guarded_stdout(), highlight=False, soft_wrap=True)
    try:
        if args.json:
            final = _train_json(trainer, args.quiet)
        else:
            final = _train_text(trainer, config, data.name, out, args.quiet)
    except KeyboardInterrupt:
        return fail(INTERRUPTED, f"interrupted after {trainer.iteration:,} iterations; nothing saved.")
    except OutputFailed as failure:
        return output_failed(failure, "nn-tui train")
    except MemoryError:
        return fail(FAILED, _out_of_memory(config, f"iteration {trainer.iteration + 1:,}"))

    if trainer.diverged is not None:
        return fail(DIVERGED, trainer.diverged.message + " Nothing was saved.")
    for what, path, write in (("metrics", args.metrics_csv, trainer.export_csv),
                              ("network", args.save, lambda path: _save(trainer, config, path))):
        if path is None:
            continue
        try:
            write(path)
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            return fail(FAILED, f"cannot write the {what} to {path}: {reason}.")
    try:
        if not args.json and not args.quiet:
            for what, path in (("metrics", args.metrics_csv), ("network", args.save)):
                if path is not None:
                    out.print(f"wrote the {what} to {path}", markup=False)
    except OutputFailed as failure:
        return output_failed(failure, "nn-tui train")
    return OK if final is not None else FAILED


def _memory_refusal(config, data, limit: int | None) -> str | None:
    """Why training `config` on `data` would not fit in memory, or None if it would (or nobody can say)."""
    from nn_tui.core.trainer import memory_needed
    from nn_tui.tui.threads import memory_limit, show_bytes

    images = data.train_images
    needed = memory_needed(config, int(math.prod(images.shape[1:])), len(images))
    if limit is not None:
        where = "the limit set with --max-memory"
    else:
        known = memory_limit()
        if known is None:
            return None
        available, limit = known
        where = f"{MEMORY_FRACTION:.0%} of the {show_bytes(available)} available now; --max-memory sets it"
    if needed <= limit:
        return None
    shape = "-".join(str(n) for n in (math.prod(images.shape[1:]), *config.hidden_sizes, config.output_size))
    return (f"training a {shape} network with {config.optimizer}, batch {config.batch_size:,} and "
            f"{config.dtype} needs about {show_bytes(needed)} of memory, more than the limit of "
            f"{show_bytes(limit)} ({where}); use smaller hidden layers or a smaller batch")


def _out_of_memory(config, when: str) -> str:
    hidden = ",".join(str(h) for h in config.hidden_sizes)
    return (f"ran out of memory while {when} with hidden layers {hidden} and batch {config.batch_size:,}; "
            "use smaller hidden layers or a smaller batch, or close other programs.")


def _train_text(trainer, config, data_name: str, out, quiet: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from nn_tui.core.trainer import EpochEvent

    hidden = "-".join(str(h) for h in config.hidden_sizes)
    header = (f"training {trainer.x_train.shape[1]}-{hidden}-{config.output_size} {config.activation}, "
              f"{config.optimizer} lr {config.lr:g}, batch {config.batch_size}, "
              f"{trainer.max_iter:,} iterations on {data_name}")
    if quiet:
        final = trainer.run()
    else:
        out.print(header, markup=False)
        epochs_total = math.ceil(trainer.max_iter / trainer.iter_per_epoch)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]}"), TextColumn("{task.fields[speed]}"),
            TimeElapsedColumn(), TimeRemainingColumn(), console=out, transient=True,
        ) as bar:
            task = bar.add_task(f"epoch 1/{epochs_total}", total=trainer.max_iter, loss="-", speed="")
            last_draw = 0.0

            def show(event) -> None:
                nonlocal last_draw
                if isinstance(event, EpochEvent):
                    bar.console.print(_epoch_line(event, epochs_total), markup=False)
                now = time.monotonic()
                if now - last_draw >= PROGRESS_INTERVAL or isinstance(event, EpochEvent):
                    last_draw = now
                    bar.update(task, completed=trainer.iteration,
                               description=f"epoch {min(trainer.epoch + 1, epochs_total)}/{epochs_total}",
                               loss=f"{trainer.loss_history[-1]:.4f}" if trainer.iteration else "-",
                               speed=f"{getattr(event, 'samples_per_second', 0):,.0f} samples/s")

            final = trainer.run(show)
    if trainer.diverged is None and final is not None:
        out.print(_final_line(trainer, final, data_name if quiet else None), markup=False)
    return final


def _epoch_line(event, epochs_total: int) -> str:
    return (f"epoch {event.epoch:>3}/{epochs_total}  loss {event.mean_loss:.4f}  "
            f"train acc {event.train_acc:7.2%}  test acc {event.test_acc:7.2%}  "
            f"{event.elapsed:6.1f} s  {event.samples_per_second:,.0f} samples/s")


def _final_line(trainer, final, data_name: str | None) -> str:
    where = f" on {data_name}" if data_name else ""
    return (f"test accuracy {final.test_acc:.2%} (train {final.train_acc:.2%}) after "
            f"{final.iterations:,} iterations{where}; {final.train_seconds:.1f} s of training, "
            f"{final.samples_per_second:,.0f} samples/s")


def _train_json(trainer, quiet: bool):
    from nn_tui.core.trainer import DivergedEvent, EpochEvent, FinishedEvent
    from nn_tui.tui.crash import guarded_stdout

    names = {EpochEvent: "epoch", DivergedEvent: "diverged", FinishedEvent: "finished"}

    def emit(event) -> None:
        kind = names.get(type(event))
        if kind is None or (quiet and kind == "epoch"):
            return
        record = {"event": kind, **asdict(event)}
        if kind == "finished":
            record["summary"] = trainer.summary()
            record["config"] = trainer.config.to_dict()
            record["data"] = trainer.data_name
        stdout.write(json.dumps(_plain(record), allow_nan=False) + "\n")
        stdout.flush()

    stdout = guarded_stdout()
    return trainer.run(emit)


def _plain(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null (JSON has no such numbers)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _save(trainer, config, path: Path) -> None:
    from nn_tui.core.data.checkpoint import save_checkpoint

    save_checkpoint(path, trainer.network,
                    optimizer={"name": config.optimizer, "lr": config.lr},
                    dataset=trainer.data_name, metrics=_plain(trainer.summary()),
                    extra={"train_config": config.to_dict()})


def _check_output_path(path: Path | None, suffix: str | None, option: str) -> None:
    """Fail before training, not after, if an output file cannot be written there."""
    if path is None:
        return
    if suffix is not None and path.suffix != suffix:
        raise ValueError(f"{option} needs a file name ending in {suffix}, got {path.name!r}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ValueError(f"{option}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"{option}: cannot write into {folder}")
    if path.is_dir():
        raise ValueError(f"{option}: {path} is a folder, not a file name")
    if path.exists() and not path.is_file():
        # The file is written beside it and renamed over it: a device or a
        # pipe (/dev/null, /dev/stdout) would be replaced, not written to.
        raise ValueError(f"{option}: {path} is not a regular file; give the name of a file")


def _sentence(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror}."
    return str(error)
