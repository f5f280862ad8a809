"""Checkpoints: exact round trips, atomic writes, and refusals with a code and a clear sentence.

Crafted files (bombs, encryption, huge shapes) are in test_checkpoint_crafted.py;
temporaries, file modes and save errors in test_checkpoint_files.py.
"""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile

import numpy as np
import pytest

from nn_tui import __version__
from nn_tui.core.refusal import Refusal
from nn_tui.core.data.checkpoint import (
    METADATA_KEY,
    CheckpointError,
    load_checkpoint,
    load_into,
    read_checkpoint,
    save_checkpoint,
)
from nn_tui.core.networks import MultiLayerNet, TwoLayerNet


def trained_net(**options) -> MultiLayerNet:
    rng = np.random.default_rng(0)
    net = MultiLayerNet(20, [8, 6], 4, weight_init="he", seed=1, **options)
    for _ in range(3):  # move weights and batch-norm running averages off their start
        grads = net.gradient(rng.random((16, 20), dtype=np.float32), rng.integers(0, 4, 16))
        for key in net.params:
            net.params[key] -= 0.1 * grads[key]
    return net


@pytest.mark.parametrize("options", [
    {}, {"use_batchnorm": True}, {"dropout_ratio": 0.3, "activation": "tanh"},
    {"dtype": np.float64, "weight_decay_lambda": 0.01},
], ids=["plain", "batchnorm", "dropout", "float64"])
def test_round_trip_gives_bit_identical_predictions(tmp_path, options):
    net = trained_net(**options)
    path = save_checkpoint(tmp_path / "net.npz", net, optimizer={"name": "adam", "lr": 0.001},
                           dataset="MNIST: 60,000 train / 10,000 test",
                           metrics={"test_acc": 0.97, "test_acc_history": [0.9, 0.97]})
    loaded = load_checkpoint(path)
    x = np.random.default_rng(5).random((50, 20))
    np.testing.assert_array_equal(loaded.network.predict(x), net.predict(x))
    assert loaded.network.spec() == net.spec()
    for key, value in net.state().items():
        restored = loaded.network.state()[key]
        assert restored.dtype == value.dtype
        np.testing.assert_array_equal(restored, value)


def test_metadata_is_saved(tmp_path):
    net = TwoLayerNet(20, 5, 4, seed=0)
    save_checkpoint(tmp_path / "net.npz", net, optimizer={"name": "sgd", "lr": 0.1},
                    dataset="offline subset", metrics={"test_acc": 0.9},
                    extra={"config": {"epochs": 3}})
    meta = load_checkpoint(tmp_path / "net.npz").metadata
    assert meta["format"] == "nn-tui checkpoint" and meta["format_version"] == 1
    assert meta["nn_tui_version"] == __version__
    assert meta["architecture"] == {
        "input_size": 20, "hidden_size_list": [5], "output_size": 4, "activation": "relu",
        "weight_init": 0.01, "weight_decay_lambda": 0.0, "dropout_ratio": 0.0,
        "use_batchnorm": False, "dtype": "float32"}
    assert meta["optimizer"] == {"name": "sgd", "lr": 0.1}
    assert meta["dataset"] == "offline subset"
    assert meta["metrics"] == {"test_acc": 0.9} and meta["config"] == {"epochs": 3}


def test_the_file_is_a_plain_npz_without_pickles(tmp_path):
    save_checkpoint(tmp_path / "net.npz", trained_net(use_batchnorm=True))
    with np.load(tmp_path / "net.npz", allow_pickle=False) as npz:
        assert sorted(npz.files) == sorted(
            ["W1", "b1", "W2", "b2", "W3", "b3", "gamma1", "beta1", "gamma2", "beta2",
             "running_mean1", "running_var1", "running_mean2", "running_var2", METADATA_KEY])
        assert npz[METADATA_KEY].dtype == np.uint8
        json.loads(npz[METADATA_KEY].tobytes())


def test_save_replaces_atomically_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "net.npz"
    path.write_bytes(b"old contents")
    save_checkpoint(path, trained_net())
    assert [p.name for p in tmp_path.iterdir()] == ["net.npz"]
    load_checkpoint(path)


def test_a_failed_save_keeps_the_old_file(tmp_path):
    path = tmp_path / "net.npz"
    save_checkpoint(path, trained_net())
    before = path.read_bytes()
    with pytest.raises(CheckpointError, match="not plain JSON") as caught:
        save_checkpoint(path, trained_net(), metrics={"acc": float("nan")})
    assert caught.value.code == "checkpoint.metadata_not_plain"
    with pytest.raises(CheckpointError, match="not plain JSON"):
        save_checkpoint(path, trained_net(), metrics={"when": object()})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["net.npz"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_save_refuses_to_replace_a_fifo(tmp_path):
    path = tmp_path / "net.npz"
    os.mkfifo(path)
    with pytest.raises(CheckpointError) as caught:
        save_checkpoint(path, trained_net())
    assert caught.value.code == "checkpoint.save_not_file"
    assert caught.value.values == {"path": str(path)}
    assert isinstance(caught.value, OSError)
    assert stat.S_ISFIFO(os.lstat(path).st_mode)  # still the FIFO, not a checkpoint
    assert [p.name for p in tmp_path.iterdir()] == ["net.npz"]  # no temporary left


def test_save_refuses_to_replace_a_folder(tmp_path):
    path = tmp_path / "net.npz"
    path.mkdir()
    (path / "inside").write_text("kept")
    with pytest.raises(CheckpointError) as caught:
        save_checkpoint(path, trained_net())
    assert caught.value.code == "checkpoint.save_is_folder"
    assert path.is_dir() and (path / "inside").read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["net.npz"]


def test_save_needs_an_npz_name(tmp_path):
    with pytest.raises(CheckpointError, match="must end in .npz") as caught:
        save_checkpoint(tmp_path / "net.pkl", trained_net())
    assert caught.value.code == "checkpoint.save_name" and caught.value.values == {"name": "net.pkl"}


# -- refusals --------------------------------------------------------------------

def refusal(path, code: str, match: str, load=load_checkpoint) -> CheckpointError:
    """``load(path)`` refused: a Refusal with ``code`` and ``path``; str() the English sentence."""
    with pytest.raises(CheckpointError, match=match) as caught:
        load(path)
    error = caught.value
    assert isinstance(error, Refusal) and isinstance(error, ValueError)
    assert error.code == code, (error.code, str(error))
    assert error.values["path"] == str(path)
    return error


def test_refuses_pickled_objects(tmp_path):
    path = tmp_path / "evil.npz"
    good = tmp_path / "good.npz"
    save_checkpoint(good, trained_net())
    with np.load(good) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["W1"] = np.array([{"run": "code"}], dtype=object)  # stored with pickle
    np.savez(path, **arrays)
    error = refusal(path, "checkpoint.pickled_member", "contains pickled Python objects; nn-tui refuses")
    assert error.values["member"] == "W1.npy"


def test_refuses_a_plain_pickle_file(tmp_path):
    path = tmp_path / "net.npz"
    import pickle

    path.write_bytes(pickle.dumps({"W1": [1, 2, 3]}))
    refusal(path, "checkpoint.pickle", "is a Python pickle; nn-tui refuses")


@pytest.mark.parametrize("keep", [0.3, 0.9, 0.999])
def test_refuses_a_truncated_file(tmp_path, keep):
    path = tmp_path / "net.npz"
    save_checkpoint(path, trained_net())
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    refusal(path, "checkpoint.truncated", "is not a readable nn-tui checkpoint: the zip archive is cut short")


def test_refuses_a_corrupted_member(tmp_path):
    path = tmp_path / "net.npz"
    save_checkpoint(path, trained_net())
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "W1.npy":
                data = data[:40]  # a header cut short
            dst.writestr(item, data)
    path.write_bytes(buffer.getvalue())
    error = refusal(path, "checkpoint.damaged", "is not a readable nn-tui checkpoint: the file is damaged")
    assert error.values["member"] == "W1.npy"


def test_refuses_garbage_and_missing_files(tmp_path):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"\x00" * 100)
    refusal(garbage, "checkpoint.not_zip", "not a readable nn-tui checkpoint: it is not an .npz")
    refusal(tmp_path / "absent.npz", "checkpoint.missing", "no checkpoint at")
    refusal(tmp_path, "checkpoint.missing", "no checkpoint at")
    npy = tmp_path / "single.npz"
    with open(npy, "wb") as f:
        np.save(f, np.zeros(3))
    refusal(npy, "checkpoint.single_array", "single .npy array")


def test_refuses_an_npz_that_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, W1=np.zeros((2, 2)))
    refusal(path, "checkpoint.no_metadata", "it has no __metadata__ entry")
    np.savez(path, W1=np.zeros((2, 2)),
             __metadata__=np.frombuffer(b'{"format": "something else"}', np.uint8))
    refusal(path, "checkpoint.not_ours", "does not say it is one")
    np.savez(path, __metadata__=np.frombuffer(b"{not json", np.uint8))
    refusal(path, "checkpoint.metadata_not_json", "not valid JSON")


def _rewrite_metadata(path, change):
    arrays, meta = read_checkpoint(path)
    change(meta)
    np.savez(path, **arrays, __metadata__=np.frombuffer(json.dumps(meta).encode(), np.uint8))


def test_refuses_another_format_version(tmp_path):
    path = tmp_path / "net.npz"
    save_checkpoint(path, trained_net())
    _rewrite_metadata(path, lambda m: m.update(format_version=2))
    error = refusal(path, "checkpoint.version", "format version 2; this nn-tui .* reads version 1")
    assert error.values["version"] == "2" and error.values["supported"] == 1


def test_refuses_arrays_that_do_not_match_the_recorded_architecture(tmp_path):
    path = tmp_path / "net.npz"
    save_checkpoint(path, trained_net())
    _rewrite_metadata(path, lambda m: m["architecture"].update(hidden_size_list=[8, 7]))
    error = refusal(path, "checkpoint.array_shape", r"array W2 has shape \(8, 6\); the network it "
                                                    r"records needs \(8, 7\)")
    assert error.values == {"path": str(path), "array": "W2", "shape": "(8, 6)", "expected": "(8, 7)"}
    path = save_checkpoint(tmp_path / "softplus.npz", trained_net())
    _rewrite_metadata(path, lambda m: m["architecture"].update(activation="softplus"))
    error = refusal(path, "checkpoint.architecture", "the network's activation is 'softplus'")
    assert error.values["field"] == "activation" and error.values["value"] == "'softplus'"


def test_load_into_refuses_another_architecture(tmp_path):
    path = tmp_path / "net.npz"
    save_checkpoint(path, trained_net())
    other = MultiLayerNet(20, [8, 5], 4, weight_init="he", seed=0)
    before = other.params["W1"].copy()
    error = refusal(path, "checkpoint.different_network",
                    r"holds a different network \(hidden_size_list: file \[8, 6\], network \[8, 5\]",
                    load=lambda p: load_into(p, other))
    assert error.values["fields"] == "hidden_size_list"
    np.testing.assert_array_equal(other.params["W1"], before)  # untouched


def test_load_into_the_same_architecture(tmp_path):
    net = trained_net()
    path = save_checkpoint(tmp_path / "net.npz", net)
    fresh = MultiLayerNet(20, [8, 6], 4, weight_init="he", seed=7)
    w1 = fresh.params["W1"]
    load_into(path, fresh)
    assert fresh.params["W1"] is w1  # copied in place: the layers still see it
    x = np.random.default_rng(1).random((5, 20))
    np.testing.assert_array_equal(fresh.predict(x), net.predict(x))
