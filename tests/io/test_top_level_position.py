"""A warning's position found by one search per key is the full top-level index's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nq57.io.loader import top_level_index, top_level_position

_NAMES = ["id", "title", "deadline", "name", "lead", "t", "title-x", "tit", "_a", "é", "1a", "a.b"]
_PIECES = [*_NAMES, ":", ": ", " ", "  ", "\n", "\r\n", "\r", "#", "x", "-", "'", "\t", "|"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join), st.sampled_from(_NAMES))
def test_one_search_finds_what_the_index_holds(text, name):
    index = top_level_index(text)
    expected = index.get(name) if index is not None else None
    assert top_level_position(text, name) == expected


def test_examples():
    text = "# c\nid: A/1\ntitle:   x\ntitle: y\nnote: |\n  name: no\nname:\n"
    assert top_level_position(text, "title") == (3, 10)
    assert top_level_position(text, "id") == (2, 5)
    assert top_level_position(text, "name") is None  # no value on that line
    assert top_level_position("a: 1\rtitle: x\r", "title") is None  # old Mac line ends
