"""Typed numbers: accepted whole, or refused with a message and the old value kept."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from nn_tui.tui.widgets.number_input import NumberInput, Refusal, parse_number


@pytest.mark.parametrize(
    "text, key",
    [
        ("abc", "number.not_a_number"),
        ("", "number.not_a_number"),
        ("nan", "number.not_finite"),
        ("inf", "number.not_finite"),
        ("-inf", "number.not_finite"),
        ("1e999", "number.not_finite"),
        ("-50", "number.too_small"),
        ("1e6", "number.too_large"),
    ],
)
def test_bad_text_is_refused_with_its_reason(text, key):
    result = parse_number(text, field="w1", old=0.5, low=-10, high=10)
    assert isinstance(result, Refusal) and result.key == key
    assert "0.5" in result.message("en") and "w1" in result.message("zh")


def test_good_text_is_a_float_and_unicode_minus_is_allowed():
    assert parse_number(" -0.7 ", field="b", old=0.0) == -0.7
    assert parse_number("−2", field="b", old=0.0) == -2.0
    assert parse_number("3", field="n", old=1, integer=True) == 3
    assert isinstance(parse_number("2.5", field="n", old=1, integer=True), Refusal)


class OneInput(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.accepted: list[float] = []

    def compose(self) -> ComposeResult:
        yield NumberInput(0.5, field="w1", low=-10, high=10, id="w1")

    def on_number_input_accepted(self, event: NumberInput.Accepted) -> None:
        self.accepted.append(event.value)


async def type_and_submit(pilot, text: str) -> None:
    field = pilot.app.query_one(NumberInput)
    field.focus()
    field.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


@pytest.mark.parametrize("text", ["abc", "nan", "1e999", "-inf", "99"])
async def test_refused_text_keeps_the_old_value_and_shows_a_message(text):
    app = OneInput()
    async with app.run_test() as pilot:
        await type_and_submit(pilot, text)
        field = app.query_one(NumberInput)
        assert field.number == 0.5 and field.value == "0.5"
        assert app.accepted == []
        assert field.last_refusal and "w1" in field.last_refusal
        assert any("w1" in n.message for n in app._notifications)


async def test_accepted_text_posts_the_value():
    app = OneInput()
    async with app.run_test() as pilot:
        await type_and_submit(pilot, "-0.25")
        assert app.accepted == [-0.25]
        assert app.query_one(NumberInput).number == -0.25


async def test_the_same_value_typed_differently_is_not_a_change():
    app = OneInput()
    async with app.run_test() as pilot:
        await type_and_submit(pilot, "0.50")
        assert app.accepted == []
        assert app.query_one(NumberInput).value == "0.5"

