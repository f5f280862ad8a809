"""Crafted checkpoint files: each refused with a code and one sentence, quickly and in little memory.

Every file here is built for real (zipfile, patched header bytes, a hand-made
deflate bomb) and handed to the loader, which must refuse it with a
`CheckpointError` before it decompresses, reads or allocates anything large:
lesson 6 (`o`) once froze for 11.8 s at 1.56 GB on a 1.5 MB bomb.
"""

from __future__ import annotations

import io
import json
import pickle
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest

from nn_tui.core.data import checkpoint
from nn_tui.core.data.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from nn_tui.core.networks import MultiLayerNet

MB = 2**20
GIGA_BOMB = 1536 * MB           # what 1.5 MB of deflated zeros unpacks to


def small_net() -> MultiLayerNet:
    return MultiLayerNet(20, [8], 4, weight_init="he", seed=1)


def good_members(folder: Path) -> dict[str, bytes]:
    """The members of a real checkpoint of `small_net`, by name."""
    path = save_checkpoint(folder / "good.npz", small_net())
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def npy_bytes(header: dict, data: bytes = b"") -> bytes:
    """An .npy member: a version 1.0 header saying whatever ``header`` says, then ``data``."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue() + data


def metadata_member(text: str) -> bytes:
    blob = text.encode("utf-8")
    return npy_bytes({"descr": "|u1", "fortran_order": False, "shape": (len(blob),)}, blob)


def with_architecture(members: dict[str, bytes], **changes) -> dict[str, bytes]:
    """The members with the recorded architecture changed (the arrays stay small)."""
    meta = json.loads(np.lib.format.read_array(
        io.BytesIO(members["__metadata__.npy"]), allow_pickle=False).tobytes())
    meta["architecture"].update(changes)
    return {**members, "__metadata__.npy": metadata_member(json.dumps(meta))}


def patch_member_headers(data: bytes, name: str, *, flags: int | None = None,
                         method: int | None = None) -> bytes:
    """Set the general-purpose flags or compression method of ``name`` in its local and central headers."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    local = info.header_offset
    assert out[local:local + 4] == b"PK\x03\x04"
    central = out.find(b"PK\x01\x02")
    while out[central + 46:central + 46 + len(name)] != name.encode():
        central = out.find(b"PK\x01\x02", central + 4)
        assert central > 0
    for offset, field in ((local + 6, "flags"), (central + 8, "flags"),
                          (local + 8, "method"), (central + 10, "method")):
        value = flags if field == "flags" else method
        if value is not None:
            out[offset:offset + 2] = struct.pack("<H", value)
    return bytes(out)


def raw_zip(entries: list[tuple[str, int, bytes, int, int]]) -> bytes:
    """A zip written by hand: (name, method, packed data, crc, declared unpacked size) each."""
    body, directory = bytearray(), bytearray()
    for name, method, packed, crc, size in entries:
        offset, encoded = len(body), name.encode()
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21,
                            crc, len(packed), size, len(encoded), 0) + encoded + packed
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21,
                                 crc, len(packed), size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(directory), len(body), 0)
    return bytes(body + directory + end)


def deflated_zeros(size: int) -> tuple[bytes, int]:
    """Raw deflate data of ``size`` zero bytes (a multiple of 1 MB) and its CRC-32, made in a second."""
    assert size % MB == 0
    zeros = bytes(MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    # A full flush resets the compressor: the same bytes decompress to each further megabyte.
    segment = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // MB):
        crc = zlib.crc32(zeros, crc)
    return segment * (size // MB) + zlib.compressobj(9, zlib.DEFLATED, -15).flush(), crc


def bomb_file(path: Path, members: dict[str, bytes], name: str, size: int,
              declared: int | None = None) -> Path:
    """``members`` with ``name`` replaced by ``size`` deflated zeros (declared as ``declared`` bytes)."""
    packed, crc = deflated_zeros(size)
    entries = [(key, zipfile.ZIP_STORED, data, zlib.crc32(data), len(data))
               for key, data in members.items() if key != name]
    entries.append((name, zipfile.ZIP_DEFLATED, packed, crc, size if declared is None else declared))
    path.write_bytes(raw_zip(entries))
    return path


def refused(path: Path, code: str, *, seconds: float = 2.0, megabytes: float = 50) -> CheckpointError:
    """Load ``path``: a CheckpointError ``code`` with one sentence, within the time and memory given."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(CheckpointError) as caught:
            load_checkpoint(path)
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.code == code, (error.code, str(error))
    assert error.values["path"] == str(path)
    text = str(error)
    assert "\n" not in text and "Traceback" not in text and not text.startswith(code)
    assert str(path) in text and len(text.split()) >= 6, text
    assert elapsed < seconds, f"{code}: took {elapsed:.2f} s"
    assert peak < megabytes * MB, f"{code}: peak {peak / MB:.0f} MB"
    return error


def no_building(monkeypatch) -> None:
    """Fail (instead of allocating gigabytes) if the loader builds a network."""
    def build_network(spec, seed=None):
        raise AssertionError(f"the loader built a network of {spec.get('hidden_size_list')}")

    monkeypatch.setattr(checkpoint, "build_network", build_network)


# -- the zip itself ------------------------------------------------------------------

@pytest.mark.parametrize("flags", [0x0001, 0x0041], ids=["encrypted", "strong-encryption"])
def test_an_encrypted_member_is_refused(tmp_path, flags):
    path = tmp_path / "encrypted.npz"
    members = good_members(tmp_path)
    data = write_zip(tmp_path / "plain.npz", members).read_bytes()
    path.write_bytes(patch_member_headers(data, "W1.npy", flags=flags))
    error = refused(path, "checkpoint.encrypted")
    assert error.values["member"] == "W1.npy"


@pytest.mark.parametrize("method", [99, 9, 14], ids=["aes", "deflate64", "lzma"])
def test_stored_and_deflated_are_read_any_other_method_is_refused(tmp_path, method):
    # Deflated members (np.savez_compressed) of a float64 batch-norm network load exactly...
    net = MultiLayerNet(20, [16, 8, 4], 3, use_batchnorm=True, dtype=np.float64, seed=3)
    with zipfile.ZipFile(save_checkpoint(tmp_path / "net.npz", net)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    loaded = load_checkpoint(write_zip(tmp_path / "deflated.npz", members, zipfile.ZIP_DEFLATED)).network
    for key, value in net.state().items():
        np.testing.assert_array_equal(loaded.state()[key], value)
    # ... a member of any other method is refused before it is opened.
    path = tmp_path / "method.npz"
    data = write_zip(tmp_path / "plain.npz", good_members(tmp_path)).read_bytes()
    path.write_bytes(patch_member_headers(data, "b1.npy", method=method))
    error = refused(path, "checkpoint.compression")
    assert error.values["member"] == "b1.npy" and error.values["method"] == method


def test_a_method_changed_in_the_local_header_only_is_refused(tmp_path):
    path = tmp_path / "method.npz"
    data = bytearray(write_zip(tmp_path / "plain.npz", good_members(tmp_path)).read_bytes())
    with zipfile.ZipFile(tmp_path / "plain.npz") as archive:
        local = archive.getinfo("W1.npy").header_offset
    data[local + 8:local + 10] = struct.pack("<H", 99)
    path.write_bytes(bytes(data))
    assert refused(path, "checkpoint.compression").values["method"] == 99


@pytest.fixture(scope="module")
def many_members(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("many") / "many.npz"
    with zipfile.ZipFile(path, "w") as archive:
        for index in range(100_000):
            archive.writestr(f"W{index}.npy", b"")
    return path


def test_a_hundred_thousand_entries_are_refused_before_they_are_listed(many_members):
    error = refused(many_members, "checkpoint.too_many_members", seconds=1.0, megabytes=5)
    assert error.values["count"] == 100_000 and error.values["limit"] == checkpoint.MAX_MEMBERS


def test_a_directory_bigger_than_its_member_count_says_is_refused(tmp_path):
    # 60,000 entries (no zip64 record), the end record patched to say 3.
    path = tmp_path / "lying.npz"
    with zipfile.ZipFile(path, "w") as archive:
        for index in range(60_000):
            archive.writestr(f"x{index}.npy", b"")
    data = bytearray(path.read_bytes())
    data[-22 + 8:-22 + 12] = struct.pack("<2H", 3, 3)
    path.write_bytes(bytes(data))
    refused(path, "checkpoint.damaged", seconds=1.0, megabytes=5)


def test_an_entry_that_is_not_a_checkpoint_array_is_refused(tmp_path):
    members = good_members(tmp_path)
    for name in ["../W1.npy", "W1", "notes.txt", "W1.npy/evil", "W1000.npy", "running_mean0.npy"]:
        path = write_zip(tmp_path / "odd.npz", {**members, name: b""})
        assert refused(path, "checkpoint.unexpected_member").values["member"] == name
    # A valid-looking name the recorded network has no use for.
    path = write_zip(tmp_path / "extra.npz", {**members, "W3.npy": members["W1.npy"]})
    assert refused(path, "checkpoint.unexpected_member").values["member"] == "W3.npy"


def test_a_duplicated_entry_is_refused(tmp_path):
    members = good_members(tmp_path)
    path = tmp_path / "twice.npz"
    with pytest.warns(UserWarning, match="Duplicate name"):
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in [*members.items(), ("W1.npy", members["W1.npy"])]:
                archive.writestr(name, data)
    assert refused(path, "checkpoint.damaged").values["member"] == "W1.npy"


# -- bombs ---------------------------------------------------------------------------

def test_a_deflate_bomb_is_refused_before_it_is_unpacked(tmp_path):
    # 1.5 MB of deflate that unpacks to 1.5 GB of zeros, declared honestly.
    path = bomb_file(tmp_path / "bomb.npz", good_members(tmp_path), "W1.npy", GIGA_BOMB)
    assert path.stat().st_size < 2 * MB
    error = refused(path, "checkpoint.member_too_large", seconds=1.0)
    assert error.values["member"] == "W1.npy" and error.values["size"] == GIGA_BOMB


def test_a_bomb_within_the_global_limit_is_refused_by_its_architecture(tmp_path):
    # 150 MB could hold a big network's W1, not the 20x8 one this file records.
    path = bomb_file(tmp_path / "bomb.npz", good_members(tmp_path), "W1.npy", 150 * MB)
    error = refused(path, "checkpoint.member_too_large", seconds=1.0)
    assert error.values["limit"] < MB


def test_a_bomb_in_place_of_the_metadata_is_refused(tmp_path):
    path = bomb_file(tmp_path / "bomb.npz", good_members(tmp_path), "__metadata__.npy", GIGA_BOMB)
    assert refused(path, "checkpoint.member_too_large", seconds=1.0).values["member"] == "__metadata__.npy"


def test_a_bomb_that_understates_its_size_is_read_no_further_than_it_says(tmp_path):
    members = good_members(tmp_path)
    path = bomb_file(tmp_path / "bomb.npz", members, "W1.npy", GIGA_BOMB, declared=len(members["W1.npy"]))
    refused(path, "checkpoint.damaged", seconds=1.0)


# -- what the members say ------------------------------------------------------------

def test_metadata_nested_a_hundred_thousand_deep_is_refused(tmp_path):
    deep = '{"format": "nn-tui checkpoint", "format_version": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    members = {**good_members(tmp_path), "__metadata__.npy": metadata_member(deep)}
    error = refused(write_zip(tmp_path / "deep.npz", members), "checkpoint.metadata_too_deep")
    assert error.values["depth"] == 100_001 and error.values["limit"] == checkpoint.MAX_JSON_DEPTH
    # Brackets inside strings are text, not depth.
    meta = load_checkpoint(write_zip(tmp_path / "net.npz", good_members(tmp_path))).metadata
    meta["note"] = "[[[[{{{{" * 10_000 + '\\"]' * 10
    path = write_zip(tmp_path / "note.npz", {**members, "__metadata__.npy": metadata_member(json.dumps(meta))})
    assert load_checkpoint(path).metadata["note"] == meta["note"]


def test_metadata_larger_than_the_limit_is_refused(tmp_path):
    huge = '{"format": "nn-tui checkpoint", "format_version": 1, "x": "' + "a" * (5 * MB) + '"}'
    members = {**good_members(tmp_path), "__metadata__.npy": metadata_member(huge)}
    path = write_zip(tmp_path / "huge.npz", members, zipfile.ZIP_DEFLATED)
    error = refused(path, "checkpoint.member_too_large")
    assert error.values["member"] == "__metadata__.npy"


@pytest.mark.parametrize("member", ["W1.npy", "__metadata__.npy"])
def test_an_npy_header_announcing_a_trillion_elements_is_refused(tmp_path, member):
    dtype = "<f4" if member == "W1.npy" else "|u1"
    members = good_members(tmp_path)
    members[member] = npy_bytes({"descr": dtype, "fortran_order": False, "shape": (10**12,)}, b"\0" * 64)
    error = refused(write_zip(tmp_path / "trillion.npz", members),
                    "checkpoint.array_shape" if member == "W1.npy" else "checkpoint.metadata_too_large")
    if member == "W1.npy":
        assert error.values["array"] == "W1" and error.values["expected"] == "(20, 8)"
    else:
        assert error.values["size"] == 10**12


def test_a_right_shape_with_missing_data_is_refused(tmp_path):
    members = good_members(tmp_path)
    members["W1.npy"] = members["W1.npy"][:-40]
    refused(write_zip(tmp_path / "short.npz", members), "checkpoint.damaged")


@pytest.mark.parametrize("descr", ["<i4", "|O", "<c8", "<U3", "(1000000000,)f8", [("a", "<f4")]],
                         ids=str)
def test_an_array_of_another_dtype_is_refused(tmp_path, descr):
    members = good_members(tmp_path)
    members["W1.npy"] = npy_bytes({"descr": descr, "fortran_order": False, "shape": (20, 8)}, b"\0" * 640)
    code = "checkpoint.pickled_member" if descr == "|O" else "checkpoint.array_dtype"
    refused(write_zip(tmp_path / "dtype.npz", members), code)


def test_an_array_header_larger_than_any_numpy_writes_is_refused(tmp_path):
    members = good_members(tmp_path)
    members["W1.npy"] = b"\x93NUMPY\x02\x00" + struct.pack("<I", 2**31) + b" " * 100
    refused(write_zip(tmp_path / "header.npz", members), "checkpoint.damaged")


def test_a_weight_that_is_not_finite_is_refused(tmp_path):
    net = small_net()
    net.params["W1"][0, 0] = np.nan
    members = good_members(tmp_path)
    buffer = io.BytesIO()
    np.save(buffer, net.params["W1"])
    members["W1.npy"] = buffer.getvalue()
    assert refused(write_zip(tmp_path / "nan.npz", members), "checkpoint.not_finite").values["array"] == "W1"


# -- the recorded architecture -------------------------------------------------------

def test_an_architecture_of_two_layers_of_100000_is_refused_without_building_it(tmp_path, monkeypatch):
    no_building(monkeypatch)
    members = with_architecture(good_members(tmp_path), input_size=784, hidden_size_list=[100_000, 100_000],
                                output_size=10)
    error = refused(write_zip(tmp_path / "giant.npz", members), "checkpoint.too_big_network")
    assert error.values["parameters"] == 784 * 100_000 + 100_000 + 100_000**2 + 100_000 + 100_000 * 10 + 10
    assert error.values["limit"] == checkpoint.MAX_PARAMETERS


@pytest.mark.parametrize("field, value", [
    ("hidden_size_list", [8] * 101), ("hidden_size_list", []), ("hidden_size_list", [0]),
    ("hidden_size_list", [100_001]), ("hidden_size_list", "8"), ("input_size", 10**6),
    ("input_size", True), ("output_size", 1), ("activation", "softplus"), ("dtype", "float16"),
    ("weight_init", "zeros"), ("dropout_ratio", 1.0), ("weight_decay_lambda", -1),
    ("use_batchnorm", "yes"), ("layers", 3),
], ids=lambda v: str(v)[:20])
def test_an_architecture_outside_nn_tuis_limits_is_refused(tmp_path, monkeypatch, field, value):
    no_building(monkeypatch)
    members = with_architecture(good_members(tmp_path), **{field: value})
    error = refused(write_zip(tmp_path / "odd.npz", members), "checkpoint.architecture")
    assert error.values["field"] == field


# -- not a zip, or not a whole one ---------------------------------------------------

@pytest.mark.parametrize("content", [b"PK", b"PK\x03\x04", b"PK\x03\x04" + bytes(1000)],
                         ids=["2-bytes", "4-bytes", "half-written"])
def test_a_truncated_zip_is_called_truncated_not_pickled(tmp_path, content):
    path = tmp_path / "short.npz"
    path.write_bytes(content)
    error = refused(path, "checkpoint.truncated")
    assert "pickle" not in str(error) and "truncated" in str(error)


def test_a_real_pickle_is_called_a_pickle(tmp_path):
    path = tmp_path / "net.npz"
    path.write_bytes(pickle.dumps({"W1": [1, 2, 3]}))
    assert path.read_bytes()[:1] == b"\x80"
    assert "pickle" in str(refused(path, "checkpoint.pickle"))


def test_an_empty_file_and_an_empty_zip(tmp_path):
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    refused(empty, "checkpoint.empty")
    write_zip(tmp_path / "nothing.npz", {})
    refused(tmp_path / "nothing.npz", "checkpoint.no_metadata")


def test_a_file_larger_than_any_checkpoint_is_refused_unread(tmp_path):
    path = tmp_path / "big.npz"
    with open(path, "wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(checkpoint.MAX_FILE_BYTES + 1)  # sparse: no disk used
    assert refused(path, "checkpoint.too_large").values["size"] == checkpoint.MAX_FILE_BYTES + 1
