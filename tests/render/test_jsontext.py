"""The fast indented JSON writer gives exactly the standard library's text."""

from __future__ import annotations

import json

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
