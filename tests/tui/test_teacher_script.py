"""Teacher scripts: every shipped one loads; a broken one is refused with a message naming file, step and field."""

from __future__ import annotations

import dataclasses
from nn_tui.tui.lessons import lesson as lesson_of_number

import copy
import json
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
        (lambda d: d.update(lesson=9), "lesson3.json: unknown lesson 9; lessons are 1-7"),
        (lambda d: d.update(lesson="3"), "lesson3.json: 'lesson' must be a whole number 1-7, got '3'"),
        (lambda d: d.update(lesson=True), "lesson3.json: 'lesson' must be a whole number 1-7, got True"),
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
            "lesson3.json, step 1: unknown field 'kyes'; the fields are expect, keys, reset, text, title, type",
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
    ],
)
def test_a_broken_script_is_refused_with_this_message(change, message):
    assert error_of(broken(change)) == message


def test_not_an_object():
    assert error_of([1, 2]) == "lesson3.json: a script is a JSON object with 'lesson', 'title' and 'steps'"


def test_script_errors_are_value_errors():
    assert issubclass(ScriptError, ValueError)


@pytest.mark.parametrize("lesson", [0, 8, "1", 1.0, True])
def test_shipped_script_of_an_unknown_lesson(lesson):
    with pytest.raises(ScriptError, match=r"^there is no lesson .*; lessons are 1-7$"):
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
