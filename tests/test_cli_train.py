"""`nn-tui train`: output, files, exit codes, and no tracebacks."""

from __future__ import annotations

import csv
import gzip
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from nn_tui.tui.threads import blas_threads
from nn_tui.core.data.checkpoint import load_checkpoint

from tests.helpers import train


@pytest.fixture(autouse=True)
def _offline(offline_subset):
    yield


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_quick_preset_prints_epochs_and_the_result(capsys):
    code, out, err = train(capsys, "--epochs", "2")
    assert code == 0, err
    assert "training 784-100-10 relu, sgd lr 0.1, batch 100, 200 iterations on offline subset" in out
    assert "epoch   1/2  loss" in out and "epoch   2/2  loss" in out
    assert "test accuracy" in out and "samples/s" in out
    assert err == ""


def test_json_lines(capsys):
    code, out, err = train(capsys, "--epochs", "2", "--json", "--hidden", "20,10",
                           "--activation", "tanh", "--optimizer", "adam", "--lr", "0.005",
                           "--batchnorm", "--seed", "3")
    assert code == 0, err
    records = json_lines(out)
    assert [r["event"] for r in records] == ["epoch", "epoch", "finished"]
    assert [r["epoch"] for r in records[:2]] == [1, 2]
    final = records[-1]
    assert final["reason"] == "done" and final["iterations"] == 200
    assert final["test_acc"] == records[1]["test_acc"] > 0.5
    assert final["config"]["hidden_sizes"] == [20, 10]
    assert (final["config"]["activation"], final["config"]["optimizer"],
            final["config"]["lr"], final["config"]["batchnorm"], final["config"]["seed"]) == \
        ("tanh", "adam", 0.005, True, 3)
    assert final["data"].startswith("offline subset")
    assert final["summary"]["test_acc_history"] == [r["test_acc"] for r in records[:2]]


def test_json_quiet_prints_only_the_end(capsys):
    code, out, _ = train(capsys, "--epochs", "2", "--json", "--quiet")
    assert code == 0
    assert [r["event"] for r in json_lines(out)] == ["finished"]


def test_quiet_prints_one_line(capsys):
    code, out, _ = train(capsys, "--iterations", "30", "--quiet")
    assert code == 0
    assert len(out.strip().splitlines()) == 1
    assert out.startswith("test accuracy") and "after 30 iterations on offline subset" in out


def test_same_seed_same_json(capsys):
    first = json_lines(train(capsys, "--iterations", "20", "--json", "--quiet")[1])[0]
    second = json_lines(train(capsys, "--iterations", "20", "--json", "--quiet")[1])[0]
    assert first["summary"]["final_loss"] == second["summary"]["final_loss"]


def test_save_and_metrics_csv(capsys, tmp_path):
    net_path, csv_path = tmp_path / "net.npz", tmp_path / "run.csv"
    code, out, err = train(capsys, "--iterations", "150", "--save", str(net_path),
                           "--metrics-csv", str(csv_path))
    assert code == 0, err
    assert f"wrote the network to {net_path}" in out and f"wrote the metrics to {csv_path}" in out
    loaded = load_checkpoint(net_path)
    meta = loaded.metadata
    assert meta["architecture"]["hidden_size_list"] == [100]
    assert meta["optimizer"] == {"name": "sgd", "lr": 0.1}
    assert meta["dataset"].startswith("offline subset")
    assert meta["train_config"]["iterations"] == 150
    assert meta["metrics"]["iterations"] == 150
    with open(csv_path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["iteration", "epoch", "loss", "train_acc", "test_acc"]
    assert len(rows) == 151 and rows[100][3] != "" and rows[-1][4] != ""


def test_divergence_exits_3_with_one_sentence_and_saves_nothing(capsys, tmp_path):
    code, out, err = train(capsys, "--lr", "1000", "--save", str(tmp_path / "net.npz"))
    assert code == 3
    assert err.startswith("nn-tui train: the loss exploded to")
    assert "the learning rate 1000 is too large for sgd (try 100 or less)" in err
    assert "Nothing was saved." in err and "Traceback" not in err
    assert not (tmp_path / "net.npz").exists()


def test_divergence_in_json_mode(capsys):
    code, out, _ = train(capsys, "--lr", "1000", "--json")
    assert code == 3
    records = json_lines(out)
    assert [r["event"] for r in records] == ["diverged", "finished"]
    assert records[-1]["reason"] == "diverged"


@pytest.mark.parametrize("args, message", [
    (["--lr", "0"], "the learning rate lr must be a finite number"),
    (["--lr", "nan"], "the learning rate lr must be a finite number"),
    (["--dropout", "1"], r"dropout must be a finite number in [0, 1)"),
    (["--batch-size", "20000"], "batch_size 20,000 is larger than the 10,000 training samples"),
    (["--preset", "fastest"], "unknown preset 'fastest'; choose one of quick"),
    (["--init", "glorot"], "unknown weight init 'glorot'"),
    (["--epochs", "0"], "epochs must be a whole number from 1"),
    (["--threads", "0"], "--threads must be from 1 to"),
    (["--threads", "100000"], "(the CPUs this process may use), got 100000"),
    (["--save", "net.pkl"], "--save needs a file name ending in .npz"),
    (["--save", "/no/such/folder/net.npz"], "--save: the folder /no/such/folder does not exist"),
    (["--metrics-csv", "/no/such/folder/m.csv"], "--metrics-csv: the folder /no/such/folder"),
])
def test_bad_values_exit_2_with_a_clear_line(capsys, args, message):
    code, out, err = train(capsys, *args)
    assert code == 2
    assert err.startswith("nn-tui train: ") and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("args", [
    ["--hidden", "100,x"], ["--hidden", "0"], ["--optimizer", "lbfgs"],
    ["--activation", "gelu"], ["--lr", "fast"], ["--epochs", "2", "--iterations", "5"],
])
def test_argparse_errors_exit_2(capsys, args):
    code, _, err = train(capsys, *args)
    assert code == 2 and "error:" in err


def test_data_errors_exit_4(capsys, tmp_path, monkeypatch):
    code, _, err = train(capsys, "--data-dir", str(tmp_path))
    assert code == 4
    assert err.startswith(f"nn-tui train: cannot load the data: {tmp_path} lacks")
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                 "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        (broken / name).write_bytes(b"not an IDX file")
    monkeypatch.setenv("NN_TUI_MNIST_DIR", str(broken))
    code, _, err = train(capsys, "--quiet")
    assert code == 4 and "cannot load the data" in err and "Traceback" not in err


def test_interrupt_exits_130(capsys, monkeypatch):
    from nn_tui.core.trainer import Trainer

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(Trainer, "step", interrupted)
    code, _, err = train(capsys, "--quiet")
    assert code == 130 and "interrupted after 0 iterations; nothing saved." in err


def test_threads_default_to_one(capsys):
    if blas_threads() is None:
        pytest.skip("NumPy's BLAS here is not OpenBLAS")
    assert train(capsys, "--iterations", "2", "--quiet")[0] == 0
    assert blas_threads() == 1
    assert train(capsys, "--iterations", "2", "--quiet", "--threads", "2")[0] == 0
    assert blas_threads() == 2


def test_full_mnist_from_a_folder(capsys, mnist_dir):
    code, out, err = train(capsys, "--data-dir", str(mnist_dir), "--preset", "book-two-layer",
                           "--iterations", "100", "--eval-samples", "2000", "--json", "--quiet")
    assert code == 0, err
    final = json_lines(out)[0]
    assert final["data"] == "MNIST: 60,000 train / 10,000 test"
    assert final["config"]["hidden_sizes"] == [50] and final["iterations"] == 100
    assert final["test_acc"] > 0.5


def test_help_lists_the_presets(capsys):
    code, out, _ = train(capsys, "--help")
    assert code == 0
    assert "book-two-layer" in out and "overfit-300-dropout" in out and "--metrics-csv" in out


def test_installed_command_runs_as_a_subprocess(tmp_path):
    script = Path(sys.executable).with_name("nn-tui")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "nn_tui"]
    env = {**os.environ, "NN_TUI_CACHE_DIR": str(tmp_path)}
    env.pop("NN_TUI_MNIST_DIR", None)
    result = subprocess.run([*command, "train", "--preset", "quick", "--epochs", "1", "--quiet"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("test accuracy") and result.stderr == ""


# --------------------------------------------------------------------------
# Real processes: where the output goes, how many CPUs there are, what data is used


def nn_tui() -> list[str]:
    script = Path(sys.executable).with_name("nn-tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nn_tui"]


def subset_env(cache: Path) -> dict[str, str]:
    env = {**os.environ, "NN_TUI_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    env.pop("NN_TUI_MNIST_DIR", None)
    return env


# 3,000 one-iteration epochs: far more output than a pipe holds
MANY_LINES = ["--train-size", "100", "--batch-size", "100", "--epochs", "3000", "--eval-samples", "10"]


@pytest.mark.parametrize("mode", [["--json"], []], ids=["json", "text"])
def test_a_closed_pipe_ends_quietly(tmp_path, mode):
    cache = tmp_path / "cache"
    train = subprocess.Popen([*nn_tui(), "train", *MANY_LINES, *mode], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=subset_env(cache))
    head = subprocess.Popen(["head", "-1"], stdin=train.stdout, stdout=subprocess.PIPE)
    train.stdout.close()  # only head reads it now
    first_line = head.communicate(timeout=120)[0].decode()
    stderr = train.stderr.read().decode()
    code = train.wait(timeout=120)
    assert first_line.startswith('{"event": "epoch", "epoch": 1,' if mode else "training 784-100-10 relu")
    assert code in (0, 141) and stderr == ""
    assert not cache.exists() and sorted(p.name for p in tmp_path.iterdir()) == []  # no crash log


def dev_full():
    path = Path("/dev/full")
    if not path.exists() or not stat.S_ISCHR(path.stat().st_mode):
        pytest.skip("no /dev/full here")
    return path


@pytest.mark.parametrize("mode", [["--json"], [], ["--quiet"]], ids=["json", "text", "quiet"])
def test_output_to_a_full_disk_is_one_clear_sentence(tmp_path, mode):
    cache = tmp_path / "cache"
    with dev_full().open("w") as full:  # only ever standard output: never a file name to write over
        result = subprocess.run([*nn_tui(), "train", "--iterations", "5", *mode], stdout=full,
                                stderr=subprocess.PIPE, text=True, env=subset_env(cache), timeout=120)
    assert result.returncode == 1
    assert result.stderr == ("nn-tui train: cannot write the output (No space left on device); "
                             "nothing more was written.\n")
    assert not cache.exists()  # no crash log


def test_an_output_file_that_is_not_a_regular_file_is_refused(capsys, tmp_path):
    fifo = tmp_path / "metrics.fifo"
    os.mkfifo(fifo)
    code, out, err = train(capsys, "--iterations", "2", "--metrics-csv", str(fifo))
    assert (code, out) == (2, "")
    assert err == f"nn-tui train: --metrics-csv: {fifo} is not a regular file; give the name of a file\n"
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # written beside and renamed over, it would be gone


def test_threads_are_bounded_by_the_cpus_this_process_may_use(tmp_path):
    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("no CPU affinity here")
    one_cpu = min(os.sched_getaffinity(0))
    result = subprocess.run([*nn_tui(), "train", "--iterations", "2", "--quiet", "--threads", "2"],
                            capture_output=True, text=True, env=subset_env(tmp_path / "cache"), timeout=120,
                            preexec_fn=lambda: os.sched_setaffinity(0, {one_cpu}))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "nn-tui train: --threads must be from 1 to 1 (the CPU this process may use), got 2\n"


def test_a_same_size_corrupted_unpacked_label_file_is_a_data_error(capsys, mnist_dir, tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte"):
        (folder / f"{name}.gz").symlink_to(mnist_dir / f"{name}.gz")
    labels = bytearray(gzip.decompress((mnist_dir / "train-labels-idx1-ubyte.gz").read_bytes()))
    labels[8:] = bytes((label + 3) % 10 for label in labels[8:])
    (folder / "train-labels-idx1-ubyte.gz").unlink()
    (folder / "train-labels-idx1-ubyte").write_bytes(bytes(labels))
    (folder / "t10k-labels-idx1-ubyte").write_bytes(
        gzip.decompress((mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes()))
    code, out, err = train(capsys, "--data-dir", str(folder), "--iterations", "5", "--quiet")
    assert (code, out) == (4, "")
    assert err == ("nn-tui train: cannot load the data: train-labels-idx1-ubyte has the size of the original "
                   "unpacked train-labels-idx1-ubyte but not its sha256, so its contents differ; "
                   "download it again with `nn-tui data download`.\n")
