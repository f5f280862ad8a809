"""A network too big for the memory: the core's estimate, and `nn-tui train` refusing it."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from nn_tui.core.networks import training_memory_estimate
from nn_tui.core.trainer import Trainer, TrainConfig
from nn_tui.tui.threads import available_memory

from tests.helpers import train


class Digits:
    """Random uint8 "images" of MNIST's shape (the estimate does not count the data)."""

    name = "random digits"

    def __init__(self, train: int = 3_000, test: int = 1_500) -> None:
        rng = np.random.default_rng(0)
        self.train_images = rng.integers(0, 256, (train, 784), dtype=np.uint8)
        self.train_labels = rng.integers(0, 10, train).astype(np.uint8)
        self.test_images = rng.integers(0, 256, (test, 784), dtype=np.uint8)
        self.test_labels = rng.integers(0, 10, test).astype(np.uint8)


@pytest.mark.parametrize(("hidden", "batch", "optimizer", "batchnorm", "dropout", "decay", "dtype"), [
    ((100,), 100, "sgd", False, 0.0, 0.0, "float32"),
    ((1000, 1000), 100, "adam", False, 0.0, 0.0, "float32"),
    ((500, 500, 500), 500, "momentum", True, 0.5, 0.01, "float64"),
    ((50,), 3000, "adam", True, 0.2, 0.0, "float32"),
    ((4000,), 10, "sgd", False, 0.0, 0.0, "float32"),
    ((300, 300), 2000, "rmsprop", False, 0.0, 0.1, "float64"),
])
def test_the_estimate_bounds_the_measured_peak(hidden, batch, optimizer, batchnorm, dropout, decay, dtype):
    config = TrainConfig(hidden_sizes=hidden, batch_size=batch, optimizer=optimizer, batchnorm=batchnorm,
                         dropout=dropout, weight_decay=decay, dtype=dtype, lr=1e-3, iterations=2)
    data = Digits()
    estimate = training_memory_estimate(784, hidden, 10, batch_size=batch, optimizer=optimizer, dtype=dtype,
                                        batchnorm=batchnorm, dropout=dropout, weight_decay=decay)
    tracemalloc.start()  # NumPy reports its arrays to tracemalloc
    try:
        trainer = Trainer(config, data)
        trainer.run()
        trainer.evaluate("train")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert trainer.diverged is None
    assert peak <= estimate <= 2.2 * peak, (peak, estimate)


def test_the_estimate_of_a_huge_network_is_made_without_allocating_it():
    tracemalloc.start()
    try:
        estimate = training_memory_estimate(784, [100_000, 100_000], 10, batch_size=100, optimizer="adam")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    weights = 784 * 100_000 + 100_000 * 100_000 + 100_000 * 10
    assert estimate > weights * 4 * 5  # float32 weights, gradients, adam's m and v, scratch
    assert peak < 1_000_000


def test_the_estimate_grows_with_what_training_keeps():
    base = dict(input_size=784, hidden_sizes=[500, 500], output_size=10, batch_size=100)
    sgd = training_memory_estimate(**base)
    assert training_memory_estimate(**base, optimizer="momentum") > sgd
    assert training_memory_estimate(**base, optimizer="adam") > training_memory_estimate(**base, optimizer="momentum")
    assert training_memory_estimate(**base, dtype=np.float64) > sgd
    assert training_memory_estimate(**base, batchnorm=True) > sgd
    assert training_memory_estimate(**base, dropout=0.5) > sgd
    assert training_memory_estimate(**base, weight_decay=0.1) > sgd
    assert training_memory_estimate(**{**base, "batch_size": 1000}) > sgd
    assert training_memory_estimate(**{**base, "hidden_sizes": 500}) < sgd  # one hidden layer, as an int


@pytest.mark.parametrize(("changes", "message"), [
    ({"optimizer": "lbfgs"}, "unknown optimizer 'lbfgs'"),
    ({"batch_size": 0}, "batch_size must be a whole number >= 1"),
    ({"hidden_sizes": []}, "at least one hidden layer"),
    ({"hidden_sizes": [0]}, "every hidden layer size must be a whole number"),
    ({"dtype": "int8"}, "dtype must be float32 or float64"),
])
def test_the_estimate_refuses_what_is_not_a_network(changes, message):
    arguments = {"input_size": 784, "hidden_sizes": [100], "output_size": 10, "batch_size": 100, **changes}
    with pytest.raises(ValueError, match=message):
        training_memory_estimate(**arguments)


# --------------------------------------------------------------------------
# nn-tui train


def nn_tui() -> list[str]:
    script = Path(sys.executable).with_name("nn-tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nn_tui"]


def env_for(cache: Path) -> dict[str, str]:
    env = {**os.environ, "NN_TUI_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    env.pop("NN_TUI_MNIST_DIR", None)
    return env


def test_a_network_too_big_for_the_memory_is_refused_before_it_is_allocated(tmp_path):
    if available_memory() is None:
        pytest.skip("this system does not say how much memory is available")
    cache = tmp_path / "cache"
    process = subprocess.Popen([*nn_tui(), "train", "--hidden", "100000,100000"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env_for(cache))
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    out, err = process.stdout.read(), process.stderr.read()
    assert (process.returncode, out) == (2, "")
    assert re.match(r"nn-tui train: training a 784-100000-100000-10 network with sgd, batch 100 and "
                    r"float32 needs about \d+\.\d GB of memory, more than the limit of \d[\d.,]* [GM]B \(80% of ", err)
    assert "% of the " in err and " available now; --max-memory sets it); use smaller hidden layers" in err
    assert err.count("\n") == 1 and "Traceback" not in err and "report" not in err
    assert usage.ru_maxrss * 1024 < 1_000_000_000  # refused before the 40 GB of weights were drawn
    assert not cache.exists()  # no crash log


def test_max_memory_sets_the_limit(capsys, offline_subset):
    code, out, err = train(capsys, "--iterations", "3", "--quiet", "--max-memory", "2M")
    assert (code, out) == (2, "")
    assert err == ("nn-tui train: training a 784-100-10 network with sgd, batch 100 and float32 needs about "
                   "3.6 MB of memory, more than the limit of 2.0 MB (the limit set with --max-memory); "
                   "use smaller hidden layers or a smaller batch\n")
    code, out, err = train(capsys, "--iterations", "3", "--quiet", "--max-memory", "0.5GiB")
    assert code == 0 and out.startswith("test accuracy") and err == ""


@pytest.mark.parametrize("size", ["2X", "lots", "0", "0.1", "1e3"])
def test_max_memory_must_be_a_size(capsys, offline_subset, size):
    code, out, err = train(capsys, "--max-memory", size)
    assert code == 2 and out == ""
    assert f"argument --max-memory: {size!r} is not a memory size; write e.g. 500M or 4G" in err


def test_running_out_of_memory_anyway_is_one_sentence(tmp_path):
    # with the estimate's check lifted (--max-memory 1T), a real allocation
    # fails under an address-space limit of 3 GB: MemoryError, not a crash report
    cache = tmp_path / "cache"
    limit = 3 * 2**30

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    result = subprocess.run([*nn_tui(), "train", "--hidden", "40000,40000", "--max-memory", "1T", "--quiet"],
                            capture_output=True, text=True, env={**env_for(cache), "OPENBLAS_NUM_THREADS": "1"},
                            preexec_fn=limit_memory, timeout=120)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("nn-tui train: ran out of memory while building the network with hidden layers "
                             "40000,40000 and batch 100; use smaller hidden layers or a smaller batch, "
                             "or close other programs.\n")
    assert not cache.exists()  # no crash log
