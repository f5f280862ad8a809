import pytest

from nn_tui.tui.i18n import COMMON, LANGUAGES, Strings, next_language


def test_lookup_in_each_language_with_fields():
    assert COMMON.get("key.lesson", "en", n=3) == "Lesson 3"
    assert COMMON.get("key.lesson", "zh", n=3) == "第3课"


def test_missing_translation_is_refused_when_the_table_is_built():
    with pytest.raises(ValueError, match="one non-empty text per language"):
        Strings({"x": ("only English", "")})


def test_extended_table_falls_back_to_common():
    table = COMMON.extend({"only.here": ("here", "这里")})
    assert table.get("only.here", "zh") == "这里"
    assert table.get("key.quit", "zh") == "退出"
    assert "key.quit" in table and "nope" not in table
    with pytest.raises(KeyError):
        table.get("nope")


def test_language_switch_cycles():
    assert [next_language(lang) for lang in LANGUAGES] == ["zh", "en"]
