"""nq57.edit.values: dates, numbers and text as the user types them."""

from __future__ import annotations

import datetime as dt

import pytest

from nq57.edit.values import clean_text, parse_date, parse_number

DAY = dt.date(2025, 7, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-07-15", DAY),
        (" 2025-07-15 ", DAY),
        ("15/07/2025", DAY),
        ("15/7/2025", DAY),
        ("15.07.2025", DAY),
        ("15-07-2025", DAY),
        ("01/02/2025", dt.date(2025, 2, 1)),  # day first, always
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2025-02-30",
        "31/04/2025",
        "15/13/2025",
        "2025/07/15",
        "15/07/25",
        "July 15",
        "",
        "2025-7-15",
    ],
)
def test_parse_date_refuses(text):
    with pytest.raises(ValueError, match="không phải là ngày"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("55", 55),
        ("0,7", 0.7),
        ("0.7", 0.7),
        ("55.0", 55),
        ("55,00", 55),
        ("-3", -3),
        ("+2,50", 2.5),
        (" 12 ", 12),
        ("0.125", 0.125),
        ("1234,5", 1234.5),
        ("1500", 1500),
        ("0,000", 0),
        ("12.3456", 12.3456),
        ("\u22121,5", -1.5),
    ],
)
def test_parse_number(text, expected):
    value = parse_number(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    "text",
    [
        "1.500",
        "1,500",
        "-2.000",
        "abc",
        "1e3",
        "55%",
        "1 234",
        "",
        "1.2.3",
        "nan",
        "inf",
        ",5",
        "5,",
    ],
)
def test_parse_number_refuses(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_parse_number_explains_ambiguous_thousands():
    with pytest.raises(ValueError, match="không rõ nghĩa.*viết 1500 hoặc 1,5"):
        parse_number("1.500")


def test_clean_text():
    decomposed = "Đa\u0303 xong"  # NFD: a + combining tilde
    assert clean_text(decomposed) == "Đã xong"
    assert clean_text("  a\r\nb\rc\u2028d\x85e  ") == "a\nb\nc\nd\ne"
    assert clean_text("   ") is None
    assert clean_text(None) is None
