"""The classroom message and its framing, without sockets: every refusal has its code."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.tui.classroom.framing import TOO_LONG, LineSplitter
from nn_tui.tui.classroom.protocol import MAX_DEPTH, MAX_MESSAGE_BYTES, VERSION, Message, ProtocolError, decode, encode

GOOD = {"nn_tui_class": VERSION, "seq": 3, "lesson": "perceptron", "step": 1,
        "document": {"nn_tui": 1, "lesson": "perceptron", "state": {"w": [0.5, -1.0], "note": "感知机\nline"}}}


def line_of(table: object) -> bytes:
    return json.dumps(table).encode() + b"\n"


def nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def refusal(line: bytes) -> ProtocolError:
    with pytest.raises(ProtocolError) as caught:
        decode(line)
    return caught.value


# --- messages ------------------------------------------------------------------------


def test_a_message_is_one_line_and_comes_back_the_same():
    message = Message(3, "perceptron", 1, GOOD["document"])
    line = encode(message)
    assert line.endswith(b"\n") and line.count(b"\n") == 1  # the newline in the text is escaped
    assert "感知机".encode() in line  # UTF-8, not \\u escapes: Chinese text stays small
    assert decode(line) == message
    assert decode(line.rstrip(b"\n")) == message
    assert json.loads(line) == GOOD


def test_no_lesson_and_no_step_are_allowed():
    message = Message(0, "", None, {})
    assert decode(encode(message)) == message


@pytest.mark.parametrize(
    ("line", "code"),
    [
        (b"\xff\xfe{}", "not_utf8"),
        (b"", "not_json"),
        (b"garbage", "not_json"),
        (b'{"nn_tui_class": 1, "seq": ', "not_json"),
        (b'{"nn_tui_class": 1, "seq": NaN}', "not_json"),
        (b'{"nn_tui_class": 1, "seq": -Infinity}', "not_json"),
        (b'{"nn_tui_class": 1, "seq": ' + b"9" * 5000 + b"}", "not_json"),
        (b"[" * 100_000 + b"]" * 100_000, "too_deep"),
        (b"[]", "not_object"),
        (b"null", "not_object"),
        (b'"text"', "not_object"),
    ],
)
def test_what_is_not_a_message_object(line, code):
    assert refusal(line).code == code


def test_nesting_is_limited():
    assert decode(line_of({**GOOD, "document": {"x": nested(MAX_DEPTH - 3)}})).seq == 3
    assert refusal(line_of({**GOOD, "document": {"x": nested(MAX_DEPTH)}})).code == "too_deep"


def test_size_is_limited():
    padding = "x" * (MAX_MESSAGE_BYTES - len(line_of({**GOOD, "document": {"p": ""}})) + 1)
    at_limit = line_of({**GOOD, "document": {"p": padding}})
    assert len(at_limit) == MAX_MESSAGE_BYTES + 1  # the newline does not count
    assert decode(at_limit).document == {"p": padding}
    assert refusal(line_of({**GOOD, "document": {"p": padding + "x"}})).code == "too_large"
    with pytest.raises(ProtocolError, match="too_large"):
        encode(Message(1, "perceptron", None, {"p": padding + "x" * 20}))


@pytest.mark.parametrize("version", [0, 2, 99])
def test_another_version_is_refused_as_such(version):
    # Whatever the rest looks like: a newer teacher may send other fields.
    error = refusal(line_of({"nn_tui_class": version, "anything": []}))
    assert (error.code, error.values["version"]) == ("version", version)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nn_tui_class": "1"}, "nn_tui_class"),
        ({"nn_tui_class": True}, "nn_tui_class"),
        ({"nn_tui_class": 1.0}, "nn_tui_class"),
        ({"seq": -1}, "seq"),
        ({"seq": True}, "seq"),
        ({"seq": 1.5}, "seq"),
        ({"seq": 2**60}, "seq"),
        ({"seq": None}, "seq"),
        ({"lesson": None}, "lesson"),
        ({"lesson": "Perceptron"}, "lesson"),
        ({"lesson": "../etc"}, "lesson"),
        ({"lesson": "x" * 65}, "lesson"),
        ({"step": -1}, "step"),
        ({"step": "1"}, "step"),
        ({"step": False}, "step"),
        ({"step": 10**7}, "step"),
        ({"document": None}, "document"),
        ({"document": [1, 2]}, "document"),
        ({"document": "{}"}, "document"),
        ({"extra": 1}, "extra"),
    ],
)
def test_each_field_is_checked(change, field):
    error = refusal(line_of({**GOOD, **change}))
    assert (error.code, error.values["field"]) == ("bad_field", field)


@pytest.mark.parametrize("missing", ["nn_tui_class", "seq", "lesson", "step", "document"])
def test_every_field_is_required(missing):
    error = refusal(line_of({name: value for name, value in GOOD.items() if name != missing}))
    assert (error.code, error.values["field"]) == ("bad_field", missing)


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (Message(1, "perceptron", None, {"x": float("nan")}), "not_json"),
        (Message(1, "perceptron", None, {"x": float("inf")}), "not_json"),
        (Message(1, "perceptron", None, {"x": {1, 2}}), "not_json"),
        (Message(1, "perceptron", None, {"x": nested(MAX_DEPTH)}), "too_deep"),
        (Message(1, "Perceptron", None, {}), "bad_field"),
        (Message(-1, "perceptron", None, {}), "bad_field"),
        (Message(1, "perceptron", None, []), "bad_field"),  # type: ignore[arg-type]
    ],
)
def test_the_teacher_cannot_send_what_a_follower_would_refuse(message, code):
    with pytest.raises(ProtocolError) as caught:
        encode(message)
    assert caught.value.code == code


def test_a_document_that_contains_itself_is_refused():
    document: dict[str, object] = {}
    document["self"] = document
    with pytest.raises(ProtocolError, match="too_deep"):
        encode(Message(1, "perceptron", None, document))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_to_a_message_or_a_protocol_error(data):
    try:
        message = decode(data)
    except ProtocolError:
        return
    assert decode(encode(message)) == message


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*GOOD, "other"]), JSON, max_size=7))
def test_any_json_object_decodes_to_a_message_or_a_protocol_error(table):
    try:
        message = decode(line_of(table))
    except ProtocolError as error:
        assert error.code in {"bad_field", "version", "too_deep"}
        return
    assert message == Message(table["seq"], table["lesson"], table["step"], table["document"])


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), JSON, max_size=5), st.integers(0, 2**53), st.none() | st.integers(0, 99))
def test_every_json_document_goes_through(document, seq, step):
    message = Message(seq, "training", step, document)
    assert decode(encode(message)) == message


# --- framing -------------------------------------------------------------------------


def test_lines_are_cut_wherever_the_chunks_end():
    lines = LineSplitter(100)
    assert lines.feed(b"ab") == []
    assert lines.feed(b"c\nde\n\nf") == [b"abc", b"de", b""]
    assert lines.pending == 1
    assert lines.feed(b"\n") == [b"f"]
    assert lines.feed(b"") == []


def test_a_line_past_the_limit_is_reported_once_and_never_held():
    lines = LineSplitter(10)
    assert lines.feed(b"0123456789\n") == [b"0123456789"]  # at the limit: kept
    assert lines.feed(b"01234") == []
    assert lines.feed(b"567890") == [TOO_LONG]
    for _ in range(1000):  # 10 MB more of it, in chunks: nothing held, nothing more said
        assert lines.feed(b"x" * 10_000) == []
        assert lines.pending == 0
    assert lines.feed(b"end\nok\n") == [b"ok"]  # the rest of the long line is dropped, then all is well


def test_a_chunk_past_the_limit_at_once():
    assert LineSplitter(4).feed(b"12345\n123\n12345678") == [TOO_LONG, b"123", TOO_LONG]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"")), max_size=12),
       st.lists(st.integers(1, 20), min_size=1, max_size=40))
def test_chunking_never_changes_the_lines(lines, cuts):
    limit = 6
    stream = b"".join(line + b"\n" for line in lines)
    expected = [line if len(line) <= limit else TOO_LONG for line in lines]
    splitter, got, start = LineSplitter(limit), [], 0
    for cut in cuts * (len(stream) + 1):
        if start >= len(stream):
            break
        got += splitter.feed(stream[start:start + cut])
        start += cut
    assert got == expected
    assert splitter.pending == 0


# --- layering ------------------------------------------------------------------------


def test_the_transport_imports_no_textual():
    script = textwrap.dedent(
        """
        import sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {"textual", "rich", "numpy"}:
                    raise ImportError(f"{name} is blocked in this test")

        sys.meta_path.insert(0, Block())
        import nn_tui.tui.classroom, nn_tui.tui.classroom.__main__, nn_tui.tui.classroom.viewer
        print(" ".join(sorted(m for m in sys.modules if m.startswith("nn_tui"))))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    assert {"nn_tui.tui.classroom.broadcaster", "nn_tui.tui.classroom.follower", "nn_tui.tui.classroom.viewer"} <= loaded
    # A student watching the class's picture runs the viewer: no Textual, no NumPy (the language names come from i18n).
    assert {name for name in loaded if not name.startswith("nn_tui.tui.classroom")} == {
        "nn_tui", "nn_tui.tui", "nn_tui.tui.i18n", "nn_tui.core", "nn_tui.core.refusal"}
