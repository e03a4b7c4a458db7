"""The fast indented JSON writer gives exactly the standard library's text."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nq57.render.jsontext import dumps

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
data = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(data)
def test_same_text_as_json_dumps(value):
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_tuples_are_lists_and_odd_text_is_escaped():
    value = {"a": ("x", 1.5, None), 'b\n"': "tiếng Việt \u2028 \x00", "c": [], "d": {}}
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_a_dict_shared_at_several_places_and_depths():
    record = {"id": "T-1", "lead": ["A", "B"], "n": 1}
    value = {"a": [record, record], "b": [[record]], "c": record, "d": [{"id": 2}, record]}
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_values_orjson_would_write_otherwise_give_the_standard_text():
    """orjson writes 1e-05 as 0.00001, NaN and infinities as null, refuses integers beyond
    64 bits and lone surrogates: each goes to the Python writer, same text as json.dumps."""
    for odd in (
        1e-05,
        2.5e-7,
        1e16,
        float("nan"),
        float("inf"),
        -float("inf"),
        2**64,
        -(2**63) - 1,
        "\ud800",
        5e-324,
        1.7976931348623157e308,
        -0.0,
    ):
        value = {"a": [{"x": odd, "y": "ồ"}], "b": odd}
        assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_what_is_not_plain_json_is_refused_as_before():
    import datetime as dt
    import enum

    class Colour(enum.Enum):
        RED = 1

    for odd in (dt.date(2025, 1, 1), Colour.RED, {1: "x"}, {"a": {None: 1}}, b"x"):
        with pytest.raises(TypeError):
            dumps({"a": [odd]})


@given(st.text())
def test_text_is_escaped_as_the_standard_library_does(text):
    assert dumps([text, {text: text}]) == json.dumps(
        [text, {text: text}], ensure_ascii=False, indent=2
    )


def test_subclasses_are_written_as_their_plain_values():
    import collections

    value = {"c": collections.Counter(a=1), "o": collections.OrderedDict(b=2), "t": (1, "x")}
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


@given(data)
def test_bytes_are_the_text_in_utf8(value):
    from nq57.render.jsontext import dumpb

    assert dumpb(value) == dumps(value).encode("utf-8", "surrogatepass")
