"""Reading a state document: every field refused as a typed input would be, naming the field."""

import math

import pytest

from nn_tui.core.refusal import Refusal
from nn_tui.core.state import Fields


def refused(call) -> Refusal:
    with pytest.raises(Refusal) as caught:
        call()
    return caught.value


def test_good_fields_are_read_as_plain_values():
    fields = Fields({"lr": 0.1, "n": 3, "on": True, "name": "AND", "xs": [1, 2.5], "ks": [1, 2.0], "t": {"a": 1}})
    assert fields.number("lr", 0, 1) == 0.1
    assert fields.integer("n", 0, 9) == 3
    assert fields.flag("on") is True
    assert fields.choice("name", ("AND", "OR")) == "AND"
    assert fields.numbers("xs", length=2) == [1.0, 2.5]
    assert fields.integers("ks") == [1, 2]
    assert fields.table_of("t").integer("a") == 1


@pytest.mark.parametrize(
    ("table", "read", "code", "field"),
    [
        ({}, lambda f: f.number("lr"), "state.missing", "state.lr"),
        ({"lr": "abc"}, lambda f: f.number("lr"), "state.not_a_number", "state.lr"),
        ({"lr": True}, lambda f: f.number("lr"), "state.not_a_number", "state.lr"),
        ({"lr": math.nan}, lambda f: f.number("lr"), "state.not_finite", "state.lr"),
        ({"lr": 1e999}, lambda f: f.number("lr"), "state.not_finite", "state.lr"),
        ({"lr": 2.0}, lambda f: f.number("lr", 0, 1), "state.out_of_range", "state.lr"),
        ({"n": 2.5}, lambda f: f.integer("n"), "state.not_integer", "state.n"),
        ({"on": 1}, lambda f: f.flag("on"), "state.not_flag", "state.on"),
        ({"name": "XNOR"}, lambda f: f.choice("name", ("AND",)), "state.unknown_choice", "state.name"),
        ({"name": ["AND"]}, lambda f: f.text("name"), "state.not_text", "state.name"),
        ({"xs": "1,2"}, lambda f: f.numbers("xs"), "state.not_a_list", "state.xs"),
        ({"xs": [1, 2, 3]}, lambda f: f.numbers("xs", length=2), "state.wrong_length", "state.xs"),
        ({"xs": [1, "b"]}, lambda f: f.numbers("xs"), "state.not_a_number", "state.xs[1]"),
        ({"ks": [1, 9]}, lambda f: f.integers("ks", high=5), "state.out_of_range", "state.ks[1]"),
        ({"t": [1]}, lambda f: f.table_of("t"), "state.not_a_table", "state.t"),
    ],
)
def test_a_bad_field_is_refused_with_its_code_and_name(table, read, code, field):
    refusal = refused(lambda: read(Fields(table)))
    assert refusal.code == code and refusal.values["field"] == field
    assert isinstance(refusal, ValueError)


def test_a_document_that_is_not_a_table_is_refused():
    assert refused(lambda: Fields(["a"], "document")).code == "state.not_a_table"


def test_a_refusal_carries_a_code_and_values_not_a_sentence():
    refusal = Refusal("stepper.at_end", step=3)
    assert refusal.code == "stepper.at_end" and refusal.values == {"step": 3}
    assert str(refusal) == "stepper.at_end(step=3)"
