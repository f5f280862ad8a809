"""A lesson's state in a file: saved whole or not at all (mode kept, umask obeyed), read as hostile."""

from __future__ import annotations

import json
import os
import stat

import pytest

from nn_tui.tui.state_file import MAX_STATE_BYTES, StateFileError, default_name, read_state, save_state

DOCUMENT = {"nn_tui": 1, "lesson": "perceptron", "state": {"gate": "and", "w": [0.5, 0.5], "b": -0.7, "note": "门"}}


def test_a_saved_document_reads_back_the_same(tmp_path):
    path = save_state(tmp_path / "p.nnstate.json", DOCUMENT)
    assert read_state(path) == DOCUMENT
    assert json.loads(path.read_text("utf-8")) == DOCUMENT  # plain JSON a person can read
    assert [p.name for p in tmp_path.iterdir()] == ["p.nnstate.json"]  # no temporary left


def test_the_default_name_is_the_lesson_in_the_current_folder():
    assert default_name("perceptron") == "perceptron.nnstate.json"
    assert os.sep not in default_name("training")


def test_a_new_file_obeys_the_umask_and_a_replaced_one_keeps_its_mode(tmp_path):
    old = os.umask(0o077)
    try:
        fresh = save_state(tmp_path / "new.json", DOCUMENT)
    finally:
        os.umask(old)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    kept = tmp_path / "kept.json"
    kept.write_text("{}")
    kept.chmod(0o640)
    save_state(kept, DOCUMENT)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    assert read_state(kept) == DOCUMENT


def test_saving_never_replaces_a_folder_or_leaves_half_a_file(tmp_path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(StateFileError) as caught:
        save_state(tmp_path / "folder", DOCUMENT)
    assert caught.value.code == "file.not_file"
    with pytest.raises(StateFileError) as caught:
        save_state(tmp_path / "p.json", {"state": float("nan")})
    assert caught.value.code == "file.not_state"
    with pytest.raises(StateFileError) as caught:
        save_state(tmp_path / "missing" / "p.json", DOCUMENT)
    assert caught.value.code == "file.cannot_save" and caught.value.values["error"] == "ENOENT"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]


def hostile_files(tmp_path):
    yield "missing", tmp_path / "nothing.json", "file.not_found"
    (tmp_path / "dir").mkdir()
    yield "a folder", tmp_path / "dir", "file.not_file"
    os.mkfifo(tmp_path / "fifo")
    yield "a FIFO (would block a reader)", tmp_path / "fifo", "file.not_file"
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(MAX_STATE_BYTES + 1)
    yield "too large", big, "file.too_large"
    for name, data in [
        ("binary", b"\x80\x81\xff"),
        ("not JSON", b"{'lesson': 1}"),
        ("NaN", b'{"nn_tui": 1, "lesson": "perceptron", "state": {"b": NaN}}'),
        ("a huge integer", b'{"nn_tui": 1, "lesson": "x", "n": ' + b"9" * 100_000 + b"}"),
        ("nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000),
        ("nested 40 deep", b'{"nn_tui": 1, "lesson": "x", "s": ' + b"[" * 40 + b"]" * 40 + b"}"),
    ]:
        path = tmp_path / f"{len(name)}-{name[:3]}.json"
        path.write_bytes(data)
        yield name, path, "file.not_json"
    for name, value in [("a list", []), ("no lesson", {"nn_tui": 1}), ("lesson not text", {"nn_tui": 1, "lesson": 6})]:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(value))
        yield name, path, "file.not_state"


def test_a_hostile_file_is_refused_with_a_code(tmp_path):
    seen = 0
    for name, path, code in hostile_files(tmp_path):
        with pytest.raises(StateFileError) as caught:
            read_state(path)
        assert caught.value.code == code, name
        assert caught.value.values["path"] == str(path)
        seen += 1
    assert seen == 13
