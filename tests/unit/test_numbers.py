"""How a value that is not a number in the documented format is explained."""

import pytest

from etl.validate import explain_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234", "ambiguous"),
        ("12,5", "decimal comma: write 12.5"),
        ("1.234.567", "thousands separator (European format): write 1234567"),
        ("1.234,5", "write 1234.5"),
        ("1 234", "thousands separator"),
        ("NaN", "not a finite number"),
        ("-inf", "not a finite number"),
        ("abc", "text where a number belongs"),
    ],
)
def test_explain_number_says_what_is_wrong_and_how_to_write_it(text, expected):
    assert expected in explain_number(text)


def test_explain_number_for_whole_numbers_rejects_fractions():
    assert explain_number("2019.5", integer=True) == "'2019.5' is not a whole number"
    assert "a whole number belongs" in explain_number("twenty", integer=True)
