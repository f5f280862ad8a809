"""Checkpoints: exact round trips, atomic writes, and refusals with clear messages."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from nn_tui import __version__
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
    with pytest.raises(CheckpointError, match="not plain JSON"):
        save_checkpoint(path, trained_net(), metrics={"acc": float("nan")})
    with pytest.raises(CheckpointError, match="not plain JSON"):
        save_checkpoint(path, trained_net(), metrics={"when": object()})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["net.npz"]


def test_save_needs_an_npz_name(tmp_path):
    with pytest.raises(CheckpointError, match="must end in .npz"):
        save_checkpoint(tmp_path / "net.pkl", trained_net())


# -- refusals --------------------------------------------------------------------

def test_refuses_pickled_objects(tmp_path):
    path = tmp_path / "evil.npz"
    good = tmp_path / "good.npz"
    save_checkpoint(good, trained_net())
    with np.load(good) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["W1"] = np.array([{"run": "code"}], dtype=object)  # stored with pickle
    np.savez(path, **arrays)
    with pytest.raises(CheckpointError, match="contains pickled Python objects; nn-tui refuses"):
        load_checkpoint(path)


def test_refuses_a_plain_pickle_file(tmp_path):
    path = tmp_path / "net.npz"
    import pickle

    path.write_bytes(pickle.dumps({"W1": [1, 2, 3]}))
    with pytest.raises(CheckpointError, match="is a Python pickle; nn-tui refuses"):
        load_checkpoint(path)


@pytest.mark.parametrize("keep", [0.3, 0.9, 0.999])
def test_refuses_a_truncated_file(tmp_path, keep):
    path = tmp_path / "net.npz"
    save_checkpoint(path, trained_net())
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(CheckpointError, match="is not a readable nn-tui checkpoint"):
        load_checkpoint(path)


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
    with pytest.raises(CheckpointError, match="is not a readable nn-tui checkpoint"):
        load_checkpoint(path)


def test_refuses_garbage_and_missing_files(tmp_path):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"\x00" * 100)
    with pytest.raises(CheckpointError, match="not a readable nn-tui checkpoint: it is not an .npz"):
        load_checkpoint(garbage)
    with pytest.raises(CheckpointError, match="no checkpoint at"):
        load_checkpoint(tmp_path / "absent.npz")
    npy = tmp_path / "single.npz"
    with open(npy, "wb") as f:
        np.save(f, np.zeros(3))
    with pytest.raises(CheckpointError, match="single .npy array"):
        load_checkpoint(npy)


def test_refuses_an_npz_that_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, W1=np.zeros((2, 2)))
    with pytest.raises(CheckpointError, match="it has no __metadata__ entry"):
        load_checkpoint(path)
    np.savez(path, W1=np.zeros((2, 2)),
             __metadata__=np.frombuffer(b'{"format": "something else"}', np.uint8))
    with pytest.raises(CheckpointError, match="does not say it is one"):
        load_checkpoint(path)
    np.savez(path, __metadata__=np.frombuffer(b"{not json", np.uint8))
    with pytest.raises(CheckpointError, match="not valid JSON"):
        load_checkpoint(path)


def _rewrite_metadata(path, change):
    arrays, meta = read_checkpoint(path)
    change(meta)
    np.savez(path, **arrays, __metadata__=np.frombuffer(json.dumps(meta).encode(), np.uint8))


def test_refuses_another_format_version(tmp_path):
    path = tmp_path / "net.npz"
    save_checkpoint(path, trained_net())
    _rewrite_metadata(path, lambda m: m.update(format_version=2))
    with pytest.raises(CheckpointError, match="format version 2; this nn-tui .* reads version 1"):
        load_checkpoint(path)


def test_refuses_arrays_that_do_not_match_the_recorded_architecture(tmp_path):
    path = tmp_path / "net.npz"
    save_checkpoint(path, trained_net())
    _rewrite_metadata(path, lambda m: m["architecture"].update(hidden_size_list=[8, 7]))
    with pytest.raises(CheckpointError, match=r"cannot build: W2 has shape \(8, 6\)"):
        load_checkpoint(path)
    _rewrite_metadata(path, lambda m: m["architecture"].update(activation="softplus"))
    with pytest.raises(CheckpointError, match="unknown activation 'softplus'"):
        load_checkpoint(path)


def test_load_into_refuses_another_architecture(tmp_path):
    path = tmp_path / "net.npz"
    save_checkpoint(path, trained_net())
    other = MultiLayerNet(20, [8, 5], 4, weight_init="he", seed=0)
    before = other.params["W1"].copy()
    with pytest.raises(CheckpointError, match=r"holds a different network \(hidden_size_list: "
                                              r"file \[8, 6\], network \[8, 5\]"):
        load_into(path, other)
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
