"""Training speed, accuracy and memory of nn-tui's NumPy core.  Run on demand:

    .venv/bin/python benchmarks/bench_training.py [--data-dir DIR] [--rounds 5]
        [--iterations 200] [--skip-torch] [--only throughput,accuracy,memory]

1. Throughput (training samples per second, evaluation excluded) of
   - A: 784-100-10 ReLU, SGD, batch 100
   - B: 784-[100]x5-10 ReLU, Adam, batch 100
   - C: 784-100-10 ReLU, SGD, batch 1000
   for nn-tui (1 and 2 BLAS threads), the book's own code in float64
   (book_reference.py, same BLAS threads) and PyTorch on the CPU
   (torch.set_num_threads(2), and 1), if importable.  The implementations
   take turns within each round (interleaved) and the median over the rounds
   is reported, so a busy machine hurts all of them alike.
2. Time to 97% test accuracy with a two-layer net, and the ``best`` preset's
   test accuracy and time, on full MNIST.
3. Peak memory with full MNIST loaded while training (in a fresh process).

Data: --data-dir, else $NN_TUI_MNIST_DIR, else ../shared/data/mnist beside
the repository; without full MNIST only the throughput part runs (on the
offline subset).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from nn_tui.tui.threads import blas_threads, set_blas_threads
from nn_tui.core.data.mnist import load_mnist
from nn_tui.core.presets import get_preset
from nn_tui.core.trainer import TrainConfig, Trainer

HERE = Path(__file__).resolve().parent


def _load_book_reference():
    """book_reference.py from beside this script (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("book_reference", HERE / "book_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


book = _load_book_reference()

# Threads spin for a while after a parallel region (OpenBLAS, OpenMP in
# PyTorch); a pause between two measurements keeps one from slowing the next.
SETTLE_SECONDS = 0.3

SCENARIOS = {
    "A": {"title": "784-100-10 ReLU, SGD lr 0.1, batch 100", "hidden": [100],
          "optimizer": "sgd", "lr": 0.1, "batch": 100},
    "B": {"title": "784-[100]x5-10 ReLU, Adam lr 0.001, batch 100", "hidden": [100] * 5,
          "optimizer": "adam", "lr": 0.001, "batch": 100},
    "C": {"title": "784-100-10 ReLU, SGD lr 0.1, batch 1000", "hidden": [100],
          "optimizer": "sgd", "lr": 0.1, "batch": 1000},
}


def find_mnist_dir(given: str | None) -> Path | None:
    for candidate in (given, os.environ.get("NN_TUI_MNIST_DIR"),
                      HERE.parent.parent / "shared" / "data" / "mnist"):
        if candidate and (Path(candidate) / "train-images-idx3-ubyte.gz").exists():
            return Path(candidate)
    return None


# -- the three implementations, each as a step() closure ---------------------------

def ours(data, sc, threads):
    def make():
        set_blas_threads(threads)
        cfg = TrainConfig(hidden_sizes=tuple(sc["hidden"]), activation="relu", weight_init="he",
                          optimizer=sc["optimizer"], lr=sc["lr"], batch_size=sc["batch"],
                          iterations=10**9, eval_train_samples=100, eval_test_samples=100)
        trainer = Trainer(cfg, data)
        return trainer.step
    return make


def book_style(data, sc, threads, cache):
    def make():
        set_blas_threads(threads)
        if "x" not in cache:  # the book's load_mnist(normalize=True, one_hot_label=True)
            cache["x"] = data.train_images.astype(np.float32) / 255.0
            cache["t"] = np.eye(10)[data.train_labels]
        net = book.MultiLayerNet(784, sc["hidden"], 10)
        opt = book.SGD(sc["lr"]) if sc["optimizer"] == "sgd" else book.Adam(sc["lr"])
        trainer = book.BookTrainer(net, cache["x"], cache["t"], sc["batch"], opt)
        return trainer.train_step
    return make


def pytorch(data, sc, threads, cache):
    import torch

    def make():
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        if "x" not in cache:
            cache["x"] = torch.from_numpy(data.train_images.astype(np.float32) / 255.0)
            cache["t"] = torch.from_numpy(data.train_labels.astype(np.int64))
        x, t = cache["x"], cache["t"]
        sizes = [784, *sc["hidden"], 10]
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(torch.nn.ReLU())
        model = torch.nn.Sequential(*layers)
        if sc["optimizer"] == "sgd":
            opt = torch.optim.SGD(model.parameters(), lr=sc["lr"])
        else:
            opt, cache["adam"] = make_torch_adam(model, sc["lr"])
        state = {"perm": torch.randperm(len(x)), "pos": 0}
        batch = sc["batch"]

        def step():
            if state["pos"] + batch > len(x):
                state["perm"], state["pos"] = torch.randperm(len(x)), 0
            index = state["perm"][state["pos"]:state["pos"] + batch]
            state["pos"] += batch
            loss = torch.nn.functional.cross_entropy(model(x[index]), t[index])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            return loss.item()

        return step
    return make


def make_torch_adam(model, lr):
    """PyTorch's fastest Adam on the CPU: fused if this build has it, else foreach."""
    import torch

    try:
        return torch.optim.Adam(model.parameters(), lr=lr, fused=True), "fused"
    except (RuntimeError, TypeError, ValueError):
        return torch.optim.Adam(model.parameters(), lr=lr, foreach=True), "foreach"


def measure(make, iterations, batch):
    step = make()
    for _ in range(max(10, iterations // 10)):  # warm up caches, allocators, thread pools
        step()
    start = time.perf_counter()
    for _ in range(iterations):
        step()
    return iterations * batch / (time.perf_counter() - start)


def throughput(data, rounds, iterations, use_torch):
    book_cache, torch_cache = {}, {}
    results = {}
    for key, sc in SCENARIOS.items():
        its = iterations if sc["batch"] == 100 else max(20, iterations // 5)
        runners = {
            "nn-tui, 1 thread": ours(data, sc, 1),
            "nn-tui, 2 threads": ours(data, sc, 2),
            "book float64, 1 thread": book_style(data, sc, 1, book_cache),
            "book float64, 2 threads": book_style(data, sc, 2, book_cache),
        }
        if use_torch:
            runners["PyTorch, 2 threads"] = pytorch(data, sc, 2, torch_cache)
            runners["PyTorch, 1 thread"] = pytorch(data, sc, 1, torch_cache)
        samples = {name: [] for name in runners}
        for _ in range(rounds):
            for name, make in runners.items():
                time.sleep(SETTLE_SECONDS)
                samples[name].append(measure(make, its, sc["batch"]))
        medians = {name: statistics.median(v) for name, v in samples.items()}
        results[key] = medians
        print(f"\n[{key}] {sc['title']}  ({rounds} rounds x {its} iterations, median samples/s)")
        for name, value in medians.items():
            spread = f"{min(samples[name]):>10,.0f} .. {max(samples[name]):>10,.0f}"
            print(f"  {name:<26} {value:>10,.0f}   (range {spread})")
        best_ours = max(medians["nn-tui, 1 thread"], medians["nn-tui, 2 threads"])
        print(f"  ratio nn-tui / book, 1 thread:   {medians['nn-tui, 1 thread'] / medians['book float64, 1 thread']:.2f}x")
        print(f"  ratio nn-tui / book, 2 threads:  {medians['nn-tui, 2 threads'] / medians['book float64, 2 threads']:.2f}x")
        if use_torch:
            note = f" (torch Adam: {torch_cache.get('adam')})" if sc["optimizer"] == "adam" else ""
            print(f"  ratio nn-tui (1 thread) / PyTorch (2 threads): "
                  f"{medians['nn-tui, 1 thread'] / medians['PyTorch, 2 threads']:.2f}x{note}")
            print(f"  ratio nn-tui (best) / PyTorch (2 threads):     "
                  f"{best_ours / medians['PyTorch, 2 threads']:.2f}x")
            print(f"  ratio nn-tui (1 thread) / PyTorch (1 thread):  "
                  f"{medians['nn-tui, 1 thread'] / medians['PyTorch, 1 thread']:.2f}x")
    return results


# -- accuracy: time to 97%, the best preset --------------------------------------------------

# Chosen for speed: Momentum reaches 97% in about 1,000 mini-batches (~1.7 epochs).
FAST_TWO_LAYER = TrainConfig(hidden_sizes=(100,), activation="relu", weight_init="he",
                             optimizer="momentum", lr=0.1, batch_size=100, iterations=10**9,
                             eval_train_samples=100, eval_test_samples=100)


def time_to_accuracy(data, config, target=0.97, check_every=100, limit_seconds=60.0):
    """Training seconds (evaluation excluded) until the full test accuracy reaches target."""
    set_blas_threads(1)
    trainer = Trainer(config, data)
    clock = 0.0
    while clock < limit_seconds:
        start = time.perf_counter()
        for _ in range(check_every):
            trainer.step()
        clock += time.perf_counter() - start
        accuracy = trainer.evaluate("test")
        if accuracy >= target:
            return clock, trainer.iteration, accuracy
    return None, trainer.iteration, accuracy


def accuracy_runs(data):
    print(f"\n[time to 97% test accuracy] two-layer net: {describe(FAST_TWO_LAYER)}, 1 thread")
    times = []
    for seed in range(3):
        seconds, its, acc = time_to_accuracy(data, FAST_TWO_LAYER.replace(seed=seed))
        times.append(seconds)
        shown = f"{seconds:.2f} s" if seconds is not None else "not reached in 60 s"
        print(f"  seed {seed}: {shown} of training, {its:,} iterations "
              f"({its * 100 / 60000:.1f} epochs), test acc {acc:.2%}")

    cfg = get_preset("best").config
    print(f"\n[best preset] {describe(cfg)}, {cfg.epochs} epochs, 1 thread")
    set_blas_threads(1)
    trainer = Trainer(cfg.replace(eval_train_samples=1000), data)
    start = time.perf_counter()
    final = trainer.run()
    wall = time.perf_counter() - start
    test = trainer.evaluate("test")
    print(f"  test accuracy {test:.2%} (per epoch: "
          + ", ".join(f"{e.test_acc:.2%}" for e in trainer.epoch_events) + ")")
    print(f"  {final.train_seconds:.1f} s of training, {wall:.1f} s with evaluation, "
          f"{final.samples_per_second:,.0f} samples/s")
    return times, test


def describe(cfg: TrainConfig) -> str:
    hidden = "-".join(map(str, cfg.hidden_sizes))
    extra = " + batchnorm" if cfg.batchnorm else ""
    return (f"784-{hidden}-10 {cfg.activation} {cfg.weight_init}{extra}, "
            f"{cfg.optimizer} lr {cfg.lr:g}, batch {cfg.batch_size}")


# -- memory -----------------------------------------------------------------------------

def memory_child(mnist_dir: str) -> None:
    """Run in a fresh process: load full MNIST and train one epoch of ``best``."""
    import tracemalloc

    set_blas_threads(1)
    tracemalloc.start()
    data = load_mnist(mnist_dir)
    loaded = tracemalloc.get_traced_memory()[0]
    trainer = Trainer(get_preset("best").config.replace(epochs=1), data)
    trainer.run()
    _, peak = tracemalloc.get_traced_memory()
    print(json.dumps({"after_load": loaded, "traced_peak": peak, "maxrss": peak_rss()}))


def peak_rss() -> int:
    """Peak resident memory of this process in bytes.

    VmHWM from /proc (Linux): ru_maxrss would do, except that a child started
    by fork + exec inherits its parent's peak (here: PyTorch and the data).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def memory(mnist_dir: Path) -> None:
    result = subprocess.run([sys.executable, __file__, "--memory-child", str(mnist_dir)],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        print(f"\n[memory] failed: {result.stderr.strip()[-500:]}")
        return
    m = json.loads(result.stdout.strip().splitlines()[-1])
    baseline = subprocess.run([sys.executable, __file__, "--memory-baseline"],
                              capture_output=True, text=True, timeout=120)
    print("\n[memory] full MNIST loaded, one epoch of the best preset (fresh process)")
    print(f"  NumPy arrays after loading MNIST:  {m['after_load'] / 1e6:7.1f} MB (tracemalloc)")
    print(f"  NumPy arrays, peak while training: {m['traced_peak'] / 1e6:7.1f} MB (tracemalloc)")
    print(f"  peak resident set size:            {m['maxrss'] / 1e6:7.1f} MB (VmHWM)")
    if baseline.returncode == 0:
        print(f"  (Python + NumPy + nn_tui alone:    {int(baseline.stdout) / 1e6:7.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--skip-torch", action="store_true")
    parser.add_argument("--only", default="throughput,accuracy,memory")
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    parser.add_argument("--memory-baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_baseline:
        print(peak_rss())
        return
    if args.memory_child:
        memory_child(args.memory_child)
        return

    parts = set(args.only.split(","))
    mnist_dir = find_mnist_dir(args.data_dir)
    data = load_mnist(mnist_dir)
    use_torch = False
    if not args.skip_torch:
        try:
            import torch
            use_torch = True
            torch_version = torch.__version__
        except ImportError:
            torch_version = "not installed"
    else:
        torch_version = "skipped"
    load = os.getloadavg()
    print(f"data: {data.name}; NumPy {np.__version__} (BLAS threads at start: {blas_threads()}); "
          f"PyTorch {torch_version}; {os.cpu_count()} CPUs; load average {load[0]:.2f}")
    if "throughput" in parts:
        throughput(data, args.rounds, args.iterations, use_torch)
    if mnist_dir is None:
        print("\n(full MNIST not found: accuracy and memory parts skipped)")
        return
    if "accuracy" in parts:
        accuracy_runs(data)
    if "memory" in parts:
        memory(mnist_dir)
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.2f}")


if __name__ == "__main__":
    main()
