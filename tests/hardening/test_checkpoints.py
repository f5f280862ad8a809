"""Checkpoints under faults: an interrupted save leaves nothing behind, a bad file is a message.

The format itself (round trip, no pickles, truncation, other architectures)
is tested in tests/core/test_checkpoint.py; here: saves interrupted at every
stage, and lesson 6's Save (w) and Load (o) keys given bad files.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from nn_tui.core.data import checkpoint
from nn_tui.core.data.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from nn_tui.core.networks import MultiLayerNet

from tests.helpers import paste_into, wait_until
from tests.tui.training_helpers import data_ready, training_app


def small_net(seed: int = 1, input_size: int = 784) -> MultiLayerNet:
    return MultiLayerNet(input_size, [8], 10, weight_init="he", seed=seed)


def test_round_trip_is_exact(tmp_path):
    net = small_net()
    path = save_checkpoint(tmp_path / "net.npz", net, metrics={"test_acc": 0.5})
    loaded = load_checkpoint(path)
    for key, value in net.state().items():
        assert np.array_equal(loaded.network.state()[key], value), key
    x = np.random.default_rng(0).random((5, 784))
    assert np.array_equal(loaded.network.predict(x), net.predict(x))
    assert loaded.metadata["metrics"] == {"test_acc": 0.5}


def half_written(error: BaseException):
    """np.savez that writes some bytes, then fails (disk full, Ctrl+C, a kill)."""

    def savez(file, **arrays):
        file.write(b"PK\x03\x04" + b"\0" * 1000)
        raise error

    return savez


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt(), MemoryError()],
                         ids=["disk-full", "ctrl-c", "out-of-memory"])
@pytest.mark.parametrize("existing", [False, True], ids=["new", "replacing"])
def test_a_save_interrupted_midway_leaves_no_partial_file(tmp_path, monkeypatch, error, existing):
    path = tmp_path / "net.npz"
    if existing:
        save_checkpoint(path, small_net(seed=2))
    before = path.read_bytes() if existing else None
    monkeypatch.setattr(checkpoint.np, "savez", half_written(error))
    with pytest.raises(type(error)):
        save_checkpoint(path, small_net())
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["net.npz"] if existing else [])
    if existing:
        assert path.read_bytes() == before
        load_checkpoint(path)


@pytest.mark.parametrize("stage", ["fsync", "replace"])
def test_a_save_failing_at_the_last_step_leaves_no_temp_file(tmp_path, monkeypatch, stage):
    def fail(*args):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(checkpoint.os, stage, fail)
    with pytest.raises(OSError):
        save_checkpoint(tmp_path / "net.npz", small_net())
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def bad_files(folder: Path) -> dict[str, Path]:
    good = save_checkpoint(folder / "good.npz", small_net())
    files = {}
    files["pickled"] = folder / "pickled.npz"
    np.savez(files["pickled"], W1=np.array([{"not": "an array"}], dtype=object))
    files["plain-pickle"] = folder / "plain-pickle.npz"
    files["plain-pickle"].write_bytes(pickle.dumps({"W1": [1, 2, 3]}))
    files["truncated"] = folder / "truncated.npz"
    files["truncated"].write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    files["other-architecture"] = save_checkpoint(folder / "other.npz", small_net(input_size=20))
    files["empty"] = folder / "empty.npz"
    files["empty"].write_bytes(b"")
    files["missing"] = folder / "missing.npz"
    return files


def test_bad_files_are_refused_by_the_core(tmp_path):
    for name, path in bad_files(tmp_path).items():
        if name == "other-architecture":
            continue  # a valid checkpoint: refused where it must fit MNIST (lesson 6, below)
        with pytest.raises(CheckpointError):
            load_checkpoint(path)


async def test_lesson_6_refuses_bad_checkpoints_with_a_message_and_keeps_its_state(tmp_path):
    files = bad_files(tmp_path)
    app = training_app()
    said: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        notify = app.notify
        app.notify = lambda message, *a, **k: (said.append(str(message)), notify(message, *a, **k))[1]
        screen = await data_ready(pilot)
        for name, path in files.items():
            config, trainer = screen.config, screen.trainer
            await paste_into(pilot, "network-file", str(path))
            said.clear()
            await pilot.press("o")  # read in a thread: the refusal comes back as a message
            await wait_until(pilot, lambda: screen.loading_network is None and any(
                s.startswith("Could not load") for s in said), what=lambda: f"{name}: {said}")
            assert screen.config == config and screen.trainer is trainer, name
            assert app._exception is None, name

        # Save with a disk that fills up midway: a message, and no file.
        await pilot.press("n")
        await wait_until(pilot, lambda: not screen.busy and screen.trainer is not None)
        target = tmp_path / "saved.npz"
        await paste_into(pilot, "network-file", str(target))
        original = checkpoint.np.savez
        checkpoint.np.savez = half_written(OSError(28, "No space left on device"))
        try:
            said.clear()
            await pilot.press("w")
            await pilot.pause()
        finally:
            checkpoint.np.savez = original
        assert any(s.startswith("Could not save") for s in said), said
        assert not target.exists() and not list(tmp_path.glob(".saved.npz*"))
    assert app._exception is None
