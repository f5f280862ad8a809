"""Chapter 3's trained network: one digit at a time vs 100 at a time (run on demand).

    NN_TUI_MNIST_DIR=/path/to/mnist python benchmarks/bench_inference.py [--repeat 5] [--threads 1]

Reads the 10,000 MNIST test digits (or the shipped subset's 2,000 when no
full set is found) with the book's trained 784-50-100-10 network, as lesson 2
does: the book's ``for i in range(len(x))`` loop and its batched
``for i in range(0, len(x), batch_size)`` loop, each `--repeat` times. Prints
the accuracy (0.9352 on full MNIST) and, per loop, the median seconds and
microseconds per digit, and the median speed-up of batching. BLAS threads
default to 1, as `nn-tui` sets them.
"""

from __future__ import annotations

import argparse
import statistics

from nn_tui.assets import BOOK_WEIGHTS, MNIST_SUBSET
from nn_tui.core.data.mnist import find_mnist
from nn_tui.core.labs.inference import SampleNetwork, time_inference
from nn_tui.tui.threads import set_blas_threads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=100)
    args = parser.parse_args()
    set_blas_threads(args.threads)
    data = find_mnist(MNIST_SUBSET)
    network = SampleNetwork.load(BOOK_WEIGHTS)
    runs = [time_inference(network, data.test_images, data.test_labels, args.batch_size) for _ in range(args.repeat)]
    first = runs[0]
    print(f"data: {data.name}")
    print(f"accuracy: {first.batched.correct:,} / {first.batched.total:,} = {first.batched.value:.4f} "
          f"(one by one: {first.one_by_one.value:.4f})")
    for name, pick in (("one by one", lambda t: t.one_by_one), (f"{args.batch_size} at a time", lambda t: t.batched)):
        seconds = statistics.median(pick(t).seconds for t in runs)
        print(f"{name:>14}: {seconds:.4f} s  ({seconds / first.batched.total * 1e6:.1f} µs a digit)")
    print(f"speed-up: {statistics.median(t.speedup for t in runs):.1f}x (median of {args.repeat})")


if __name__ == "__main__":
    main()
