"""Rebuild assets/mnist_subset.npz from the four original MNIST files.

    python -m nn_tui.assets.make_mnist_subset --source DIR [--out PATH]

The subset is the first 10,000 training digits and the first 2,000 test
digits, in their original order (see MNIST_SUBSET.md). The output is byte-for-
byte reproducible: the .npz (a zip of .npy files, as np.savez_compressed
makes) is written with fixed timestamps and attributes, which np.savez does
not do. The compressed bytes depend on zlib, so rebuild with the same zlib
(CPython's bundled one) to get identical bytes; the arrays are identical anyway.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

from nn_tui.core.data.mnist import SUBSET_KEYS, load_mnist, sha256_file

N_TRAIN = 10_000
N_TEST = 2_000
FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold


def subset_arrays(source: str | Path) -> dict[str, np.ndarray]:
    """The first N_TRAIN training and N_TEST test digits of the originals in `source`."""
    data = load_mnist(source)
    return {
        "train_images": data.train_images[:N_TRAIN],
        "train_labels": data.train_labels[:N_TRAIN],
        "test_images": data.test_images[:N_TEST],
        "test_labels": data.test_labels[:N_TEST],
    }


def write_npz(path: str | Path, arrays: dict[str, np.ndarray]) -> None:
    """Write arrays as a deterministic compressed .npz (no pickle, fixed zip metadata)."""
    with zipfile.ZipFile(path, "w") as archive:
        for key in SUBSET_KEYS:
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[key]), allow_pickle=False)
            info = zipfile.ZipInfo(key + ".npy", date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, whatever system builds it
            info.external_attr = 0o644 << 16
            # zlib's default level: level 9 is 12 times slower for a file 2% smaller
            archive.writestr(info, buffer.getvalue(), compresslevel=6)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, help="folder with the four original MNIST .gz files")
    parser.add_argument("--out", default=str(Path(__file__).with_name("mnist_subset.npz")))
    args = parser.parse_args(argv)
    write_npz(args.out, subset_arrays(args.source))
    out = Path(args.out)
    sys.stdout.write(f"{out}: {out.stat().st_size:,} bytes, sha256 {sha256_file(out)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
