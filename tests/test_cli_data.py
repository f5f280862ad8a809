"""`nn-tui data`: download, path, info, verify (in-process, and once as a real process).

`mnist_dir` is the suite's fixture (tests/conftest.py): the original files, or a skip.
"""

from __future__ import annotations

import argparse
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from nn_tui.core.data import download, mnist
from nn_tui.tui.commands import data

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
NAMES = list(mnist.KNOWN_FILES)


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch, tmp_path: Path) -> Path:
    """Every test starts with its own empty cache."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("NN_TUI_CACHE_DIR", str(cache))
    monkeypatch.setenv("NO_COLOR", "1")
    return cache


@pytest.fixture
def no_mnist_env(monkeypatch) -> None:
    """No NN_TUI_MNIST_DIR (asked for after `mnist_dir`, which may read it)."""
    monkeypatch.delenv("NN_TUI_MNIST_DIR", raising=False)


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="nn-tui")
    data.add_parser(parser.add_subparsers(dest="command"))
    code = data.run(parser.parse_args(["data", *argv]))
    out, err = capsys.readouterr()
    return code, out, err


def link_originals(folder: Path, source: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        (folder / f"{name}.gz").symlink_to(source / f"{name}.gz")
    return folder


def digit_rows(text: str) -> list[tuple[int, int]]:
    """(train, test) for each digit row of the info table."""
    rows = re.findall(r"^\W*(\d)\s*\W\s*([\d,]+)\s*\W\s*([\d,]+)\s*\W*$", text, flags=re.MULTILINE)
    return [(int(train.replace(",", "")), int(test.replace(",", ""))) for _, train, test in rows]


def test_info_of_full_mnist(capsys, mnist_dir: Path) -> None:
    code, out, err = cli(capsys, "info", "--dir", str(mnist_dir))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "MNIST: 60,000 train / 10,000 test"
    assert f"source: {mnist_dir}" in out
    assert "55.0 MB in memory" in out
    assert digit_rows(out) == list(zip(TRAIN_COUNTS, TEST_COUNTS))
    assert re.search(r"all\s*\W\s*60,000\s*\W\s*10,000", out)


def test_info_defaults_to_the_subset(capsys, no_mnist_env) -> None:
    code, out, _ = cli(capsys, "info")
    assert code == 0
    assert out.splitlines()[:2] == ["offline subset: 10,000 train / 2,000 test", "source: subset"]
    assert digit_rows(out)[0] == (1001, 175)


def test_path_reports_the_data_in_use(capsys, monkeypatch, mnist_dir: Path, no_mnist_env, empty_cache: Path) -> None:
    code, out, _ = cli(capsys, "path")
    assert code == 0
    assert out.splitlines() == [
        f"cache folder: {empty_cache} (does not exist yet)",
        "data set:     offline subset: 10,000 train / 2,000 test "
        "(shipped with nn-tui; `nn-tui data download` gets the full set)",
    ]
    link_originals(empty_cache, mnist_dir)
    assert cli(capsys, "path")[1].splitlines() == [
        f"cache folder: {empty_cache} (4 verified files)",
        f"data set:     MNIST in {empty_cache} (downloaded, verified)",
    ]
    monkeypatch.setenv("NN_TUI_MNIST_DIR", str(mnist_dir))
    assert cli(capsys, "path")[1].splitlines()[1] == f"data set:     MNIST in {mnist_dir} (from NN_TUI_MNIST_DIR)"


def test_verify(capsys, mnist_dir: Path, no_mnist_env, tmp_path: Path, empty_cache: Path) -> None:
    code, out, _ = cli(capsys, "verify", "--dir", str(mnist_dir))
    assert code == 0
    assert out.splitlines()[1:] == [f"ok       {name}.gz" for name in NAMES]
    folder = link_originals(tmp_path / "some", mnist_dir)
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"\x1f\x8b not mnist")
    (folder / "train-images-idx3-ubyte.gz").unlink()
    code, out, _ = cli(capsys, "verify", "--dir", str(folder))
    assert code == 1
    assert out.splitlines()[1:] == [
        "missing  train-images-idx3-ubyte.gz",
        "ok       train-labels-idx1-ubyte.gz",
        "ok       t10k-images-idx3-ubyte.gz",
        "wrong    t10k-labels-idx1-ubyte.gz",
        "Run `nn-tui data download` to fetch missing or wrong files.",
    ]
    code, out, _ = cli(capsys, "verify")  # the default: the (empty) cache
    assert code == 1 and out.splitlines()[0] == f"checking {empty_cache}" and out.count("missing  ") == 4


def test_download_skips_verified_files_without_network(capsys, mnist_dir: Path, tmp_path: Path) -> None:
    folder = link_originals(tmp_path / "have", mnist_dir)
    code, out, err = cli(capsys, "download", "--dir", str(folder), "--mirror", "http://127.0.0.1:1/")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == f"MNIST is in {folder}: 4 files, sha256 ok."


def test_download_shows_progress_into_the_cache(capsys, monkeypatch, empty_cache: Path) -> None:
    calls = []

    def fake(dest, mirrors, progress):
        calls.append((dest, mirrors))
        for name in download.FILE_NAMES:
            for done in (0, 1_000, 4_542):
                progress(name, done, 4_542)
        return {name: dest / name for name in download.FILE_NAMES}

    monkeypatch.setattr(download, "download_mnist", fake)
    code, out, _ = cli(capsys, "download", "--mirror", "http://a.example/mnist", "https://b.example/m/")
    assert code == 0
    assert calls == [(empty_cache, ["http://a.example/mnist/", "https://b.example/m/"])]
    assert empty_cache.is_dir()  # the default cache is created
    for name in download.FILE_NAMES:
        assert re.search(rf"{re.escape(name)}.*4\.5/4\.5 kB", out)
    assert out.splitlines()[-1] == f"MNIST is in {empty_cache}: 4 files, sha256 ok."


def test_download_uses_the_built_in_mirrors_by_default(capsys, monkeypatch, tmp_path: Path) -> None:
    seen = []
    monkeypatch.setattr(download, "download_mnist", lambda dest, mirrors, progress: seen.append(mirrors) or {})
    assert cli(capsys, "download", "--dir", str(tmp_path))[0] == 0
    assert seen == [list(download.MIRRORS)]


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (download.DownloadError("could not download x.gz: http://m/: HTTP 404 Not Found."), 1,
         "nn-tui data download: could not download x.gz: http://m/: HTTP 404 Not Found.\n"),
        (KeyboardInterrupt(), 130, "nn-tui data: interrupted; run the same command again to resume.\n"),
        (PermissionError(13, "Permission denied", "/x/y.part"), 1, "nn-tui data download: /x/y.part: Permission denied.\n"),
    ],
)
def test_download_errors_are_one_sentence(capsys, monkeypatch, tmp_path: Path, error, code: int, message: str) -> None:
    def fail(dest, mirrors, progress):
        raise error

    monkeypatch.setattr(download, "download_mnist", fail)
    assert cli(capsys, "download", "--dir", str(tmp_path))[::2] == (code, message)


def test_download_from_an_unreachable_mirror(capsys, tmp_path: Path) -> None:
    code, _, err = cli(capsys, "download", "--dir", str(tmp_path), "--mirror", "http://127.0.0.1:1/")
    assert code == 1
    assert err == (
        "nn-tui data download: could not download train-images-idx3-ubyte.gz: "
        "http://127.0.0.1:1/: Connection refused.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_cache_that_cannot_be_created(capsys, monkeypatch, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("NN_TUI_CACHE_DIR", str(tmp_path / "a-file" / "mnist"))
    code, _, err = cli(capsys, "download")
    assert code == 1
    assert err.startswith(f"nn-tui data download: cannot create the cache folder {tmp_path / 'a-file' / 'mnist'} (")
    assert err.endswith("); give another with --dir.\n") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["download", "--mirror", "ftp://example.org/"], "nn-tui data download: a mirror must be an http:// or https:// URL of a folder, got 'ftp://example.org/'.\n"),
        (["download", "--dir", "/nonexistent/nn-tui"], "nn-tui data download: /nonexistent/nn-tui is not a folder.\n"),
        (["info", "--dir", "/nonexistent/nn-tui"], "nn-tui data info: /nonexistent/nn-tui is not a folder.\n"),
        (["verify", "--dir", "/nonexistent/nn-tui"], "nn-tui data verify: /nonexistent/nn-tui is not a folder.\n"),
        ([], "nn-tui data: say what to do: download, path, info or verify (see `nn-tui data --help`).\n"),
    ],
)
def test_bad_arguments_exit_2(capsys, argv: list[str], message: str) -> None:
    code, out, err = cli(capsys, *argv)
    assert (code, out, err) == (2, "", message)


def test_info_of_a_damaged_folder(capsys, mnist_dir: Path, tmp_path: Path) -> None:
    folder = link_originals(tmp_path / "damaged", mnist_dir)
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes((mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes()[:2_000])
    code, out, err = cli(capsys, "info", "--dir", str(folder))
    assert (code, out) == (1, "")
    assert err == (
        "nn-tui data info: t10k-labels-idx1-ubyte.gz is not the original t10k-labels-idx1-ubyte.gz "
        "(its sha256 differs); download it again with `nn-tui data download`.\n"
    )


def nn_tui_command() -> list[str]:
    """The installed `nn-tui` script (or `python -m nn_tui` if it is not installed)."""
    script = Path(sys.executable).with_name("nn-tui")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "nn_tui"]


def test_as_a_real_process(mnist_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "NN_TUI_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("NN_TUI_MNIST_DIR", None)
    ok = subprocess.run([*nn_tui_command(), "data", "info", "--dir", str(mnist_dir)],
                        capture_output=True, text=True, env=env, timeout=60)
    assert (ok.returncode, ok.stderr) == (0, "")
    assert ok.stdout.splitlines()[0] == "MNIST: 60,000 train / 10,000 test"
    assert digit_rows(ok.stdout) == list(zip(TRAIN_COUNTS, TEST_COUNTS))
    bad = subprocess.run([*nn_tui_command(), "data", "verify", "--dir", str(tmp_path / "none")],
                         capture_output=True, text=True, env=env, timeout=60)
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == f"nn-tui data verify: {tmp_path / 'none'} is not a folder.\n"


def test_output_to_a_full_disk_is_one_clear_sentence(tmp_path: Path) -> None:
    full = Path("/dev/full")
    if not full.exists() or not stat.S_ISCHR(full.stat().st_mode):
        pytest.skip("no /dev/full here")
    env = {**os.environ, "NN_TUI_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("NN_TUI_MNIST_DIR", None)
    with full.open("w") as stdout:  # standard output only: never a file name to write over
        result = subprocess.run([*nn_tui_command(), "data", "info"], stdout=stdout, stderr=subprocess.PIPE,
                                text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert result.stderr == ("nn-tui data info: cannot write the output (No space left on device); "
                             "nothing more was written.\n")
    assert not (tmp_path / "cache").exists()  # no crash log
