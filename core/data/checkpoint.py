"""Save and load a trained network: one .npz file, no pickle.

The file holds the network's arrays (``W1``, ``b1``, ..., batch-norm running
averages) and one more array, ``__metadata__``: UTF-8 JSON bytes (uint8)
with the architecture, the optimiser, the data set's name, the metrics and
the nn-tui version.  It is written to a temporary file in the same folder and
then renamed over the target, so a crash never leaves half a checkpoint, and
it is read with ``allow_pickle=False``, so loading a file can never run code.

The optimiser's state (momentum, Adam's moments) is not saved: training a
loaded network starts a fresh optimiser.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nn_tui import __version__
from nn_tui.core.networks import MultiLayerNet, build_network

FORMAT = "nn-tui checkpoint"
FORMAT_VERSION = 1
METADATA_KEY = "__metadata__"


class CheckpointError(ValueError):
    """A checkpoint file is missing, damaged, unsafe or for another network."""


@dataclass(frozen=True)
class Checkpoint:
    """A loaded network and the metadata saved with it."""

    network: MultiLayerNet
    metadata: dict[str, Any]


def save_checkpoint(path: str | os.PathLike[str], network: MultiLayerNet, *,
                    optimizer: dict[str, Any] | None = None, dataset: str | None = None,
                    metrics: dict[str, Any] | None = None,
                    extra: dict[str, Any] | None = None) -> Path:
    """Write ``network`` (and what to tell about it) to ``path``; return the path.

    ``optimizer`` is e.g. ``{"name": "adam", "lr": 0.001}``; ``metrics`` and
    ``extra`` must be JSON-serialisable.
    """
    path = Path(path)
    if path.suffix != ".npz":
        raise CheckpointError(f"a checkpoint file name must end in .npz, got {path.name!r}")
    metadata = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "nn_tui_version": __version__,
        "architecture": network.spec(),
        "optimizer": optimizer,
        "dataset": dataset,
        "metrics": metrics or {},
        **(extra or {}),
    }
    try:
        blob = json.dumps(metadata, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as error:
        raise CheckpointError(f"the checkpoint metadata is not plain JSON: {error}") from None
    arrays = {key: np.ascontiguousarray(value) for key, value in network.state().items()}
    arrays[METADATA_KEY] = np.frombuffer(blob, dtype=np.uint8)

    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def read_checkpoint(path: str | os.PathLike[str]) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays and metadata of a checkpoint file, checked for format (not for a network)."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"no checkpoint at {path}")
    damaged = f"{path} is not a readable nn-tui checkpoint"
    try:
        # Our own file object: np.load would leak its handle on a truncated zip.
        with open(path, "rb") as f:
            magic = f.read(6)
            # np.load treats any file it does not recognise as a pickle, so look first.
            if magic[:1] == b"\x80":
                raise CheckpointError(
                    f"{path} is a Python pickle; nn-tui refuses to load pickles "
                    "because loading one can run arbitrary code")
            if magic == b"\x93NUMPY":
                raise CheckpointError(f"{damaged}: it is a single .npy array, not an .npz archive")
            if magic[:2] != b"PK":
                raise CheckpointError(f"{damaged}: it is not an .npz (zip) archive")
            f.seek(0)
            with np.load(f, allow_pickle=False) as npz:
                names = list(npz.files)
                if METADATA_KEY not in names:
                    raise CheckpointError(f"{damaged}: it has no {METADATA_KEY} entry")
                arrays = {name: npz[name] for name in names}
    except CheckpointError:
        raise
    except ValueError as error:
        if "allow_pickle" in str(error):
            raise CheckpointError(
                f"{path} contains pickled Python objects; nn-tui refuses to load them "
                "because loading a pickle can run arbitrary code") from None
        raise CheckpointError(f"{damaged} ({error})") from None
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError) as error:
        raise CheckpointError(f"{damaged} (the file is damaged or truncated: {error})") from None

    blob = arrays.pop(METADATA_KEY)
    if blob.dtype != np.uint8 or blob.ndim != 1:
        raise CheckpointError(f"{damaged}: its metadata is not JSON bytes")
    try:
        metadata = json.loads(blob.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CheckpointError(f"{damaged}: its metadata is not valid JSON ({error})") from None
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT:
        raise CheckpointError(f"{damaged}: it does not say it is one")
    if metadata.get("format_version") != FORMAT_VERSION:
        raise CheckpointError(
            f"{path} is checkpoint format version {metadata.get('format_version')!r}; "
            f"this nn-tui ({__version__}) reads version {FORMAT_VERSION}")
    for name, array in arrays.items():
        if array.dtype.kind != "f":
            raise CheckpointError(f"{damaged}: array {name!r} has dtype {array.dtype}, not floats")
    return arrays, metadata


def load_checkpoint(path: str | os.PathLike[str]) -> Checkpoint:
    """Rebuild the saved network (its architecture comes from the file)."""
    arrays, metadata = read_checkpoint(path)
    spec = metadata.get("architecture")
    try:
        if not isinstance(spec, dict):
            raise ValueError("no architecture recorded")
        network = build_network(spec, seed=0)
        network.load_state(arrays)
    except (TypeError, ValueError) as error:
        raise CheckpointError(f"{path} describes a network nn-tui cannot build: {error}") from None
    return Checkpoint(network, metadata)


def load_into(path: str | os.PathLike[str], network: MultiLayerNet) -> dict[str, Any]:
    """Load saved weights into an existing network of the same architecture; return the metadata."""
    arrays, metadata = read_checkpoint(path)
    saved = metadata.get("architecture")
    wanted = network.spec()
    if saved != wanted:
        diffs = _differences(saved, wanted)
        raise CheckpointError(
            f"{path} holds a different network ({diffs}); load it with load_checkpoint "
            "to get a network of its own architecture")
    try:
        network.load_state(arrays)
    except ValueError as error:
        raise CheckpointError(f"{path} does not fit this network: {error}") from None
    return metadata


def _differences(saved: Any, wanted: dict[str, Any]) -> str:
    if not isinstance(saved, dict):
        return "no architecture recorded"
    keys = sorted(set(saved) | set(wanted))
    parts = [f"{key}: file {saved.get(key)!r}, network {wanted.get(key)!r}"
             for key in keys if saved.get(key) != wanted.get(key)]
    return "; ".join(parts)
