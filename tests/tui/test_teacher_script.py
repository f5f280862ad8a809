"""Teacher scripts: every shipped one loads; a broken one is refused with a message naming file, step and field."""

from __future__ import annotations

import dataclasses
from nn_tui.tui.lessons import lesson as lesson_of_number, number_range

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.tui.teacher.script import (
    LESSONS,
    RESERVED_KEYS,
    LessonScript,
    ScriptError,
    Step,
    Translated,
    TypedValue,
    load_script,
    parse_script,
    parse_script_text,
    shipped_script,
    split_repeat,
)

GOOD = {
    "lesson": 3,
    "title": {"en": "Losses", "zh": "损失函数"},
    "steps": [
        {"title": {"en": "Start", "zh": "开始"}, "text": {"en": "First.", "zh": "第一步。"}},
        {
            "title": {"en": "Press", "zh": "按键"},
            "text": {"en": "Second.", "zh": "第二步。"},
            "keys": ["y", "right*3", "["],
            "type": {"field": "margin-input", "value": "3"},
            "expect": {"svm-mean": "7.30", "mse-total": ["0.5975", "x"]},
        },
        {
            "title": {"en": "Again", "zh": "重来"},
            "text": {"en": "Third.", "zh": "第三步。"},
            "reset": True,
            "type": [{"field": "w1", "value": 0.5}, {"field": "b", "value": "-0.7"}],
        },
    ],
}


def broken(change) -> dict:
    data = copy.deepcopy(GOOD)
    change(data)
    return data


def error_of(data: object, source: str = "lesson3.json") -> str:
    with pytest.raises(ScriptError) as info:
        parse_script(data, source)
    return str(info.value)


# --- shipped scripts -----------------------------------------------------------------


@pytest.mark.parametrize("lesson", list(LESSONS))
def test_every_shipped_script_loads(lesson):
    script = shipped_script(lesson)
    assert script.lesson == lesson
    assert script.source == f"{lesson_of_number(lesson).mode}/script.json"
    assert len(script) >= 4
    for step in script.steps:
        assert step.title.en and step.title.zh and step.text.en and step.text.zh
        assert not set(step.presses) & RESERVED_KEYS


def test_lesson_1_script_follows_the_book():
    script = shipped_script(1)
    assert script.title == Translated("Lesson 1 · Perceptron", "第1课 · 感知机")
    assert [s.keys for s in script.steps[:3]] == [(), ("a",), ("b",)]
    assert script.steps[7].typed == (TypedValue("b", "-1.2"),)
    assert script.steps[10].reset and script.steps[10].keys == ("g", "g", "n")
    assert script.steps[11].presses == ("n",) * 18


def test_the_good_example_parses_to_these_values():
    script = parse_script(GOOD, "lesson3.json")
    assert script == LessonScript(
        lesson=3,
        title=Translated("Losses", "损失函数"),
        steps=(
            Step(Translated("Start", "开始"), Translated("First.", "第一步。")),
            Step(
                Translated("Press", "按键"),
                Translated("Second.", "第二步。"),
                keys=("y", "right*3", "["),
                typed=(TypedValue("margin-input", "3"),),
                expect={"svm-mean": ("7.30",), "mse-total": ("0.5975", "x")},
            ),
            Step(
                Translated("Again", "重来"),
                Translated("Third.", "第三步。"),
                typed=(TypedValue("w1", "0.5"), TypedValue("b", "-0.7")),
                reset=True,
            ),
        ),
        source="lesson3.json",
    )
    assert script.steps[1].presses == ("y", "right", "right", "right", "[")
    assert script.title.get("zh") == "损失函数" and script.title.get("en") == "Losses"


def test_replay_starts_at_the_last_reset_step():
    script = parse_script(GOOD)
    assert [script.replay_from(i) for i in range(3)] == [0, 0, 2]
    with pytest.raises(ValueError, match="step index must be 0-2, got 3"):
        script.replay_from(3)


def test_split_repeat():
    assert split_repeat("n*18") == ("n", 18)
    assert split_repeat("n") == ("n", 1)
    assert split_repeat("*") == ("*", 1)
    assert split_repeat("**2") == ("*", 2)


# --- a teacher's own script ------------------------------------------------------------


def test_a_teachers_script_in_a_temp_dir_loads(tmp_path: Path):
    mine = tmp_path / "my-lesson3.json"
    mine.write_text(json.dumps(GOOD, ensure_ascii=False), encoding="utf-8")
    script = load_script(mine)
    assert script.source == "my-lesson3.json"
    assert len(script) == 3 and script.steps[1].keys == ("y", "right*3", "[")


def test_a_copy_of_a_shipped_script_loads_the_same(tmp_path: Path):
    from nn_tui.tui.lessons import lesson

    copy_path = tmp_path / "lesson1.json"
    copy_path.write_text(lesson(1).script_path.read_text(encoding="utf-8"), encoding="utf-8")
    copy = load_script(copy_path)
    assert copy.source == "lesson1.json"
    assert dataclasses.replace(copy, source="") == dataclasses.replace(shipped_script(1), source="")


def test_missing_file(tmp_path: Path):
    with pytest.raises(ScriptError, match=r"^nope.json: no such file \("):
        load_script(tmp_path / "nope.json")


def test_not_json(tmp_path: Path):
    path = tmp_path / "bad.json"
    path.write_text('{"lesson": 1,\n  "title": }', encoding="utf-8")
    with pytest.raises(ScriptError) as info:
        load_script(path)
    assert str(info.value) == "bad.json: not valid JSON (line 2, column 12: Expecting value)"


# --- broken scripts: exact messages ---------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("steps"), "lesson3.json: missing 'steps'"),
        (lambda d: d.pop("title"), "lesson3.json: missing 'title'"),
        (lambda d: d.update(lesson=99), f"lesson3.json: unknown lesson 99; lessons are {number_range()}"),
        (lambda d: d.update(lesson="3"), f"lesson3.json: 'lesson' must be a whole number {number_range()}, got '3'"),
        (lambda d: d.update(lesson=True), f"lesson3.json: 'lesson' must be a whole number {number_range()}, got True"),
        (lambda d: d.update(steps=[]), "lesson3.json: 'steps' is empty; a script needs at least one step"),
        (lambda d: d.update(steps={"a": 1}), "lesson3.json: 'steps' must be a list of steps"),
        (lambda d: d.update(title="Losses"), "lesson3.json: 'title' needs both 'en' and 'zh' (non-empty texts)"),
        (lambda d: d.update(extra=1), "lesson3.json: unknown field 'extra'; the fields are lesson, steps, title"),
        (
            lambda d: d["steps"][1]["text"].pop("zh"),
            "lesson3.json, step 2: 'text' needs both 'en' and 'zh' (non-empty texts)",
        ),
        (
            lambda d: d["steps"][0]["title"].update(zh="  "),
            "lesson3.json, step 1: 'title' needs both 'en' and 'zh' (non-empty texts)",
        ),
        (
            lambda d: d["steps"][0]["text"].update(fr="Premier."),
            "lesson3.json, step 1, 'text': unknown field 'fr'; the fields are en, zh",
        ),
        (lambda d: d["steps"][2].pop("text"), "lesson3.json, step 3: missing 'text'"),
        (
            lambda d: d["steps"][0].update(kyes=["a"]),
            "lesson3.json, step 1: unknown field 'kyes'; the fields are expect, keys, reset, show, text, title, type",
        ),
        (
            lambda d: d["steps"][1].update(keys="y"),
            "lesson3.json, step 2: 'keys' must be a list of key names (strings), e.g. [\"a\", \"space\"]",
        ),
        (
            lambda d: d["steps"][1].update(keys=["y", 3]),
            "lesson3.json, step 2: 'keys' must be a list of key names (strings), e.g. [\"a\", \"space\"]",
        ),
        (
            lambda d: d["steps"][1].update(keys=["two words"]),
            "lesson3.json, step 2: 'keys' has 'two words', which is not a key name (e.g. \"a\", \"space\", \"left\")",
        ),
        (
            lambda d: d["steps"][1].update(keys=[""]),
            "lesson3.json, step 2: 'keys' has '', which is not a key name (e.g. \"a\", \"space\", \"left\")",
        ),
        (
            lambda d: d["steps"][1].update(keys=["q"]),
            "lesson3.json, step 2: 'keys' has 'q', a key of the app or the teacher; a script cannot press it",
        ),
        (
            lambda d: d["steps"][1].update(keys=["3*2"]),
            "lesson3.json, step 2: 'keys' has '3', a key of the app or the teacher; a script cannot press it",
        ),
        (
            lambda d: d["steps"][1].update(keys=["n*0"]),
            "lesson3.json, step 2: 'keys' has 'n*0'; a key can be repeated 1-100 times",
        ),
        (
            lambda d: d["steps"][1].update(keys=["n*101"]),
            "lesson3.json, step 2: 'keys' has 'n*101'; a key can be repeated 1-100 times",
        ),
        (lambda d: d["steps"][2].update(reset="yes"), "lesson3.json, step 3: 'reset' must be true or false, got 'yes'"),
        (
            lambda d: d["steps"][1].update(type={"field": "w1"}),
            "lesson3.json, step 2: 'type' must be {\"field\": widget id, \"value\": text} or a list of them",
        ),
        (
            lambda d: d["steps"][1].update(type="w1=3"),
            "lesson3.json, step 2: 'type' must be {\"field\": widget id, \"value\": text} or a list of them",
        ),
        (
            lambda d: d["steps"][1].update(type={"field": "#w1", "value": "3"}),
            "lesson3.json, step 2: 'type' field must be a widget id such as \"w1\", got '#w1'",
        ),
        (
            lambda d: d["steps"][1].update(type={"field": "w1", "value": None}),
            "lesson3.json, step 2: 'type' value must be the text to type, e.g. \"0.5\", got None",
        ),
        (
            lambda d: d["steps"][1].update(expect={"svm-mean": 7.3}),
            "lesson3.json, step 2: 'expect' must map widget ids to a text they show (or a list of texts), "
            "e.g. {\"p-formula\": \"y = 1\"}",
        ),
        (lambda d: d["steps"].__setitem__(1, "press y"), "lesson3.json, step 2: a step is a JSON object with 'title' and 'text'"),
        (
            lambda d: d["steps"][1].update(show=["svm-mean", "#x"]),
            "lesson3.json, step 2: 'show' must be a widget id such as \"p-table\" or a list of them, got ['svm-mean', '#x']",
        ),
        (
            lambda d: d["steps"][1].update(show={"svm-mean": True}),
            "lesson3.json, step 2: 'show' must be a widget id such as \"p-table\" or a list of them, got {'svm-mean': True}",
        ),
        (
            lambda d: d["steps"][1].update(show=[f"w{n}" for n in range(7)]),
            "lesson3.json, step 2: 'show' names 7 widgets; a step can show at most 6",
        ),
    ],
)
def test_a_broken_script_is_refused_with_this_message(change, message):
    assert error_of(broken(change)) == message


def test_show_names_the_widgets_a_step_is_about():
    data = broken(lambda d: (d["steps"][1].update(show=["svm-mean", "margin-input"]), d["steps"][2].update(show="l2-rows")))
    script = parse_script(data, "lesson3.json")
    assert [step.show for step in script.steps] == [(), ("svm-mean", "margin-input"), ("l2-rows",)]


def test_not_an_object():
    assert error_of([1, 2]) == "lesson3.json: a script is a JSON object with 'lesson', 'title' and 'steps'"


def test_script_errors_are_value_errors():
    assert issubclass(ScriptError, ValueError)


@pytest.mark.parametrize("lesson", [0, 99, "1", 1.0, True])
def test_shipped_script_of_an_unknown_lesson(lesson):
    with pytest.raises(ScriptError, match=rf"^there is no lesson .*; lessons are {number_range()}$"):
        shipped_script(lesson)


def test_parse_script_text_names_the_source():
    with pytest.raises(ScriptError, match=r"^mine\.json: not valid JSON \(line 1, column 1: "):
        parse_script_text("", "mine.json")


# --- properties ---------------------------------------------------------------------


key_names = st.sampled_from(["a", "b", "G", "space", "left", "shift+right", "left_square_bracket", "[", "+", "enter"])


@settings(max_examples=50, deadline=None)
@given(keys=st.lists(st.tuples(key_names, st.integers(1, 100)), max_size=6))
def test_presses_expand_every_repeat(keys):
    entries = [key if count == 1 else f"{key}*{count}" for key, count in keys]
    step = {"title": {"en": "t", "zh": "题"}, "text": {"en": "x", "zh": "文"}, "keys": entries}
    script = parse_script({"lesson": 1, "title": {"en": "t", "zh": "题"}, "steps": [step]})
    expected = tuple(key for key, count in keys for _ in range(count))
    assert script.steps[0].presses == expected


@settings(max_examples=50, deadline=None)
@given(data=st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5), lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=4), max_leaves=12))
def test_any_json_is_either_a_script_or_a_script_error(data):
    try:
        parse_script(data, "fuzz.json")
    except ScriptError as error:
        assert str(error).startswith("fuzz.json")


# --- a script never touches files ---------------------------------------------------------


def lesson6(step: dict) -> dict:
    """A lesson 6 script whose second step is `step` (title and text added)."""
    data = broken(lambda d: d.update(lesson=6))
    data["steps"][1] = {"title": {"en": "Files", "zh": "文件"}, "text": {"en": "Two.", "zh": "二。"}, **step}
    return data


@pytest.mark.parametrize("field", ["csv-file", "network-file", "folder"])
def test_a_script_cannot_type_a_file_name(field):
    data = lesson6({"type": [{"field": "hidden", "value": "100"}, {"field": field, "value": "~/.bashrc"}]})
    assert error_of(data, "lesson6.json") == (
        f"lesson6.json, step 2: 'type' field '{field}' holds a file or folder name; a script cannot name files"
    )


@pytest.mark.parametrize(
    ("lesson", "key"),
    [
        (6, "e"), (6, "e*2"), (6, "w"), (6, "o"), (6, "ctrl+s"), (6, "ctrl+S"), (6, "TAB"),
        (6, "tab"), (6, "ctrl+i"), (6, "shift+tab"), (6, "f12"),
        (1, "f12"), (2, "F12"), (7, "f12"),
    ],
)  # fmt: skip
def test_a_script_cannot_press_a_key_that_saves_loads_or_exports(lesson, key):
    data = lesson6({"keys": ["n", key]})
    data["lesson"] = lesson
    name = split_repeat(key)[0]
    assert error_of(data, "mine.json") == (
        f"mine.json, step 2: 'keys' has {name!r}, which saves, loads or exports a file (or types a file name) "
        "in this lesson; a script cannot touch files"
    )


def test_the_issues_script_is_refused_and_file_keys_of_lesson_6_stay_free_elsewhere():
    # The report: type ~/.bashrc into lesson 6's CSV field and press e.
    attack = lesson6({"keys": ["e"], "type": {"field": "csv-file", "value": "~/.bashrc"}})
    assert error_of(attack, "shared.json").startswith("shared.json, step 2: 'keys' has 'e', which saves")
    attack["steps"][1].pop("keys")
    assert "'csv-file' holds a file or folder name" in error_of(attack, "shared.json")
    # e, o, w and tab are ordinary lesson keys in other lessons (lesson 2's script presses o).
    other = lesson6({"keys": ["e", "o", "w", "tab"]})
    other["lesson"] = 2
    assert parse_script(other).steps[1].keys == ("e", "o", "w", "tab")


# --- only a small regular file is read ----------------------------------------------------------


def load_in_child(path: Path | str) -> str:
    """`load_script(path)` in a child process capped at 1 GB of memory and 60 s: what it says.

    A regression (reading a FIFO or /dev/zero) then fails the test instead of
    hanging it or eating the machine's memory.
    """
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from nn_tui.tui.teacher.script import ScriptError, load_script\n"
        "try:\n"
        "    load_script(sys.argv[1])\n"
        "except ScriptError as error:\n"
        "    print('refused:', error)\n"
        "else:\n"
        "    print('loaded')\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"load_script({str(path)!r}) did not return within 60 s")
    assert done.returncode == 0 and not done.stderr, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path):
    fifo = tmp_path / "script.json"
    os.mkfifo(fifo)
    assert load_in_child(fifo) == "refused: script.json: is not a regular file; a script is a JSON file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero_is_refused_without_reading_it():
    assert load_in_child("/dev/zero") == "refused: zero: is not a regular file; a script is a JSON file"


def test_a_folder_is_refused(tmp_path: Path):
    with pytest.raises(ScriptError) as info:
        load_script(tmp_path)
    assert str(info.value) == f"{tmp_path.name}: is a folder; a script is a JSON file"


def test_a_file_over_256_kb_is_refused(tmp_path: Path):
    # A good script, padded with spaces past the limit: only its size is wrong.
    big = tmp_path / "big.json"
    big.write_text(json.dumps(GOOD, ensure_ascii=False) + " " * 300_000, encoding="utf-8")
    with pytest.raises(ScriptError) as info:
        load_script(big)
    assert str(info.value) == "big.json: too large for a script (more than 256 KB)"
    with pytest.raises(ScriptError, match=r"^pasted: too large for a script \(more than 256 KB\)$"):
        parse_script_text(big.read_text(encoding="utf-8"), "pasted")


def test_deep_json_is_refused(tmp_path: Path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ScriptError) as info:
        load_script(deep)
    assert str(info.value) == "deep.json: nested 100000 levels deep; a script needs at most 20"
    # Brackets inside texts do not count.
    texts = broken(lambda d: d["steps"][0]["text"].update(en="[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ \"{{{{{{{{{{{{{{{{{{{{{{"))
    assert parse_script_text(json.dumps(texts), "texts.json").steps[0].text.en.startswith("[[[")


@pytest.mark.parametrize(
    "number", ["1" * 5000, "0." + "5" * 5000, "-" + "9" * 41], ids=["5000 digits", "long fraction", "41 characters"]
)
def test_a_huge_number_is_refused(tmp_path: Path, number):
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(GOOD).replace('"value": "3"', f'"value": {number}'), encoding="utf-8")
    with pytest.raises(ScriptError) as info:
        load_script(path)
    assert str(info.value) == (
        f"huge.json: has a number {len(number)} characters long; a script's numbers have at most 40"
    )


# --- what the shipped scripts say ------------------------------------------------------


def test_lesson_3_mini_batch_step_matches_the_screen():
    """The subset has 10,000 training digits, not 60,000, and one batch's loss (0.1556) is far from the full set's (0.7264)."""
    step = shipped_script(3).steps[6]
    assert step.title.en == "Mini-batch"
    for text in (step.text.en, step.text.zh):
        assert "60,000" not in text and "6 万" not in text and "60000" not in text
    assert "close to the full-set loss" not in step.text.en
    assert "noisy estimate" in step.text.en and "带噪声估计" in step.text.zh


def test_one_term_per_concept_the_multiply_node_swaps():
    """Lesson 5 calls the multiply node's rule 互换 (swap); its script says the same."""
    texts = [step.text.zh for step in shipped_script(5).steps]
    assert not any("翻转" in text for text in texts)
    assert sum("互换" in text for text in texts) == 2


def test_lesson_6_script_covers_the_run_and_never_presses_a_file_key():
    script = shipped_script(6)
    pressed = [key for step in script.steps for key in step.presses]
    assert {"n", "c", "s", "i", "f", "r"} <= set(pressed)
    assert pressed.count("n") == 100  # one epoch of the 10,000-digit subset, batch by batch
    assert not {"ctrl+s", "w", "o", "e", "tab"} & set(pressed)
    typed = {typed.field: typed.value for step in script.steps for typed in step.typed}
    assert typed == {"train-size": "300", "epochs": "100"}  # the overfitting demo
    narrated = " ".join(step.text.en for step in script.steps)
    assert "Ctrl+S" in narrated and "space pauses" in narrated
    assert [step.show for step in script.steps if "accuracy" in step.text.en.lower()]
    for step in script.steps:
        if "accuracy chart" in step.text.en:
            assert "accuracy-chart" in step.show, step.title.en
