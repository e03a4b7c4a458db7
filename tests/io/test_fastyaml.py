"""The libyaml fast reader and the round-trip loader read data the same way."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nq57.io import fastyaml
from nq57.io.loader import to_plain
from nq57.io.yamlio import checked_yaml

pytestmark = pytest.mark.skipif(not fastyaml.HAVE_LIBYAML, reason="PyYAML without libyaml")

SCALARS = [
    "0o17",
    "017",
    "0x1F",
    "0b101",
    "1_000",
    "1e3",
    ".5",
    "1.",
    "1:30",
    "yes",
    "No",
    "on",
    "off",
    "y",
    "~",
    "null",
    "",
    "True",
    "FALSE",
    "-.inf",
    ".NaN",
    "+12",
    "-0",
    "2025-02-30",
    "2025-09-30",
    "2025-09-30 10:00:00",
    "1.5e-3",
    "0.1_5",
    "12e3",
    "'1.1'",
    '"16."',
    "16.",
    "Tháng 9/2025",
    "≥ 80",
    "- a",
    "[a, b]",
    "{}",
    "[]",
    "'yes'",
    "1,5",
    "0,7",
    "1.000",
    "Quý II/2025",
    "KH&CN",
    "a # comment",
    "'a # b'",
]


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def ruamel_read(text: str):
    return to_plain(checked_yaml().load(text))


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalars_read_alike(scalar):
    text = f"value: {scalar}\n"
    try:
        fast = fastyaml.load(text)
    except fastyaml.Unsupported:
        return  # the loader then uses ruamel itself: nothing to compare
    assert _same(fast["value"], ruamel_read(text)["value"]) or fast == ruamel_read(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key
        "a: &x 1\nb: *x\n",  # alias
        "base: &b {x: 1}\nc:\n  <<: *b\n",  # merge key
        "a: !!omap [x: 1]\n",  # tag
        "%YAML 1.1\n---\na: yes\n",  # directive changes semantics
        "a: 1\n---\nb: 2\n",  # two documents
        "1: x\n",  # non-text key
        "a: [1,\n",  # syntax error
        "",
    ],
)
def test_doubtful_documents_go_to_the_round_trip_loader(text):
    with pytest.raises(fastyaml.Unsupported):
        fastyaml.load(text)


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    _text,
)
_document = st.dictionaries(
    st.from_regex(r"[a-z_]{1,10}", fullmatch=True),
    st.one_of(
        _scalar,
        st.lists(_scalar, max_size=4),
        st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), _scalar, max_size=4),
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(_document)
def test_documents_written_by_nq57_read_alike(document):
    from nq57.io.yamlio import dump_mapping

    text = dump_mapping(document)
    expected = ruamel_read(text)
    try:
        fast = fastyaml.load(text)
    except fastyaml.Unsupported:
        return
    assert fast == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_reads_alike_or_is_refused(text):
    try:
        fast = fastyaml.load(text)
    except fastyaml.Unsupported:
        return
    if not isinstance(fast, dict):
        return  # the loader reads only mappings with the fast reader
    try:
        expected = ruamel_read(text)
    except Exception:
        pytest.fail(f"fast reader accepted text ruamel rejects: {text!r}")
    assert fast == expected or repr(fast) == repr(expected)


def test_locate_matches_the_round_trip_positions():
    from nq57.io.loader import position

    text = (
        "id: A/1\ntitle: X\nlead:\n  - Bộ Tài chính\n  - Cục Thuế\n"
        "updates:\n  - date: 2025-01-01\n    progress: 5\n"
    )
    rt = checked_yaml().load(text)
    for loc in [("title",), ("lead", 1), ("updates", 0, "progress"), ("missing",), ("lead", 9)]:
        assert fastyaml.locate(text, loc) == position(rt, loc)
    assert fastyaml.locate(text, ("title",), key=True) == position(rt, ("title",), key=True)


@pytest.mark.parametrize(
    "text",
    [
        "id: A/1\ntitle: 'Quoted: x'\nlead: [A, B]\ndeadline: Tháng 9/2025\n",
        "id: A/1\r\ntitle:   Nhiều   khoảng trắng\r\nnote: |\n  title: not this\n",
        "# comment\nid: A/1\ntitle: x # trailing comment\n",
    ],
)
def test_top_level_shortcut_agrees_with_the_node_tree(text):
    from nq57.io.loader import top_level_index

    tree = fastyaml.compose(text)
    for name, (line, column) in top_level_index(text).items():
        assert (line, column) == fastyaml.locate(text, (name,), tree=tree)
        assert (line, 1) == fastyaml.locate(text, (name,), key=True, tree=tree)
