"""`nq57 fmt` recognises canonical files from the fast reader's data (nq57.edit.fmt,
"recognising a canonical file cheaply"): its verdict and output are those of the
round trip (format_text) for every file."""

from __future__ import annotations

import re
import shutil
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nq57.edit import fmt
from nq57.edit.fmt import NESTED_ORDER, TOP_ORDER, canonical_text, format_bytes, format_text
from nq57.io import fastyaml
from nq57.io.loader import SourceFile, discover

from conftest import FIXTURES, invoke

pytestmark = pytest.mark.skipif(not fastyaml.HAVE_LIBYAML, reason="PyYAML without libyaml")

# Characters that mean something to YAML or to the writer, and some that do not.
_TRICKY = " :#-?'\"[]{},&*!|>%@`~=<.+_/0123456789aeTtFfNnyYoxb\u00e9\u0301\u00a0\u3000\ufeff"
_WORDS = [
    "", " ", "-", "- a", "a: b", "a:", "a #b", "a#b", "---", "...", "'a", "a'b", "it's: x",
    "2025-01-01", "2025-1-1", "2025-01-01 10:00:00", "2025-02-30", "1:30", "1_000", "0o17",
    "0x1F", ".5", "1.", "1e3", "+1", "-0", "~", "null", "Null", "NULL", "true", "True",
    "yes", "no", "on", "=", "<<", "!a", "&a", "*a", "%a", "@a", "`a", "?a", "? a", ":a",
    "Tháng 9/2025", "Quý II/2025", "≥ 80", "KH&CN", "a  b", "x\ty", "x\ny", "e\u0301",
]  # fmt: skip
_text = st.one_of(
    st.sampled_from(_WORDS),
    st.text(st.sampled_from(_TRICKY), max_size=8),
    st.text(max_size=12),
    st.builds(lambda a, b: a + b, st.sampled_from(_WORDS), st.text(st.sampled_from(_TRICKY))),
)
_scalar = st.one_of(
    _text,
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.sampled_from([0.5, 1.0, 71.0, 87.6, -2.5, 100.0, 1e16, 1e-5]),
)
_key = st.one_of(
    st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True),
    st.sampled_from(["true", "null", "Yes", "a b", "1", "é"]),
)
_value = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_key, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def documents(draw) -> tuple[str, dict]:
    """Plain data of a data file of some kind, mostly in the house order."""
    kind = draw(st.sampled_from(sorted(TOP_ORDER)))
    order = TOP_ORDER[kind]
    keys = draw(st.lists(st.sampled_from(order), min_size=1, max_size=8, unique=True))
    if draw(st.booleans()):
        keys.sort(key=order.index)
    document = {}
    for key in keys:
        nested = NESTED_ORDER.get((kind, key))
        if nested is not None and draw(st.booleans()):
            fields = sorted(draw(st.lists(st.sampled_from(nested), unique=True)), key=nested.index)
            item = {field: draw(_value) for field in fields}
            document[key] = [item, item] if draw(st.booleans()) else item
        else:
            document[key] = draw(_value)
    if draw(st.booleans()):
        document.update(draw(st.dictionaries(_key, _value, max_size=2)))
    return kind, document


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=documents())
def test_the_canonical_text_is_what_the_round_trip_writes(case):
    """Whenever the fast writer gives a text, the round trip leaves that text unchanged,
    and the fast reader reads the same data back from it."""
    kind, document = case
    text = canonical_text(document, kind)
    assume(text is not None)
    assert format_text(text, kind) == text
    assert _read_back(text) in (document, None)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=_scalar)
def test_any_scalar_is_written_as_the_round_trip_writes_it(value):
    text = canonical_text({"id": "D/1", "title": value}, "task")
    if text is not None:
        assert format_text(text, "task") == text
        assert _read_back(text) in ({"id": "D/1", "title": value}, None)


_comment = st.text(st.sampled_from(_TRICKY + "#\t\u2028\x85"), max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=documents(), header=st.lists(_comment, min_size=1, max_size=3))
def test_a_file_header_is_kept_as_it_is(case, header, monkeypatch):
    """Comment lines above the first key: the fast verdict is the round trip's."""
    kind, document = case
    body = canonical_text(document, kind)
    assume(body is not None)
    text = "".join(f"#{line}\n" for line in header) + body
    fast, slow = _both_ways(Path("x.yaml"), kind, text.encode("utf-8"), monkeypatch)
    assert fast == slow


def _read_back(text: str):
    """What the fast reader reads from text (None when it leaves it to ruamel.yaml)."""
    try:
        return fastyaml.load(text)
    except fastyaml.Unsupported:
        return None


def _both_ways(path: Path, kind: str, raw: bytes, monkeypatch) -> tuple:
    """format_bytes with the fast recognition, and with the round trip only."""
    source = SourceFile(path, str(path), kind, None)

    def outcome():
        result = format_bytes(source, raw)
        return result.after, [d.format() for d in result.diagnostics], str(result.reason)

    fast = outcome()
    with monkeypatch.context() as patch:
        patch.setattr(fmt, "is_canonical", lambda *_: False)
        slow = outcome()
    return fast, slow


def _fixture_files() -> list[SourceFile]:
    folders = {
        p.parent.parent.parent for p in FIXTURES.rglob("*.yaml") if p.parent.parent.name == "tasks"
    }
    return [source for folder in sorted(folders) for source in discover(folder)[0]]


def test_every_fixture_gets_the_same_verdict_and_output(monkeypatch):
    files = _fixture_files()
    assert len(files) > 20
    fast_hits = 0
    for source in files:
        raw = source.path.read_bytes()
        fast, slow = _both_ways(source.path, source.kind, raw, monkeypatch)
        assert fast == slow, source.display
        fast_hits += fast[0] == raw
    assert fast_hits, "some fixture files are canonical"


_LAYOUTS = [
    "id: D/1\ntitle: T\n",  # canonical
    "id: D/1\ntitle: T\n\n",  # a blank line at the end
    "id: D/1\r\ntitle: T\r\n",  # CRLF: canonical, kept
    "\ufeffid: D/1\ntitle: T\n",  # BOM
    "id: D/1\ntitle: T  # c\n",  # a comment
    "# head\nid: D/1\ntitle: T\n",
    "title: T\nid: D/1\n",  # key order
    "id: D/1\nlead: [A, B]\n",  # flow list
    "id: D/1\nlead:\n- A\n",  # list not indented
    "id: D/1\ntitle: 'T'\n",  # needless quotes
    'id: D/1\ntitle: "a: b"\n',  # double quotes where single ones do
    "id: D/1\ntitle: 'a: b'\n",
    "id: D/1\ndue: '2025-01-01'\n",
    "id: D/1\ndue: 2025-01-01\n",
    "id: D/1\nnote: |\n  a\n  b\n",
    "id: D/1\nnote: 'e\u0301'\n",  # not NFC
    "id: D/1\nprogress: 1.50\n",
    "id: D/1\nsource_line: 007\n",
    "id: D/1\nstatus:\n",
    "id: D/1\nstatus: ~\n",
    "id: D/1\nid: D/1\n",  # duplicate key: refused either way
    "id: D/1\nlead:\n\t- X\n",
    "- a\n",
    "id: D/1\nupdates:\n  - note: n\n    date: 2025-01-01\n",  # nested order
    "id: D/1\nupdates:\n  - date: 2025-01-01\n    note: n\n",
    "id: D/1\nupdates: []   # none yet\nnote: N\n",  # crashed fmt before (exit 3)
    "id: D/1\nx: \\ud800\n",
    'id: D/1\nx: "\\ud800"\n',
    "",
]


@pytest.mark.parametrize("text", _LAYOUTS)
def test_layouts_get_the_same_verdict_and_output(tmp_path, monkeypatch, text):
    path = tmp_path / "1.yaml"
    fast, slow = _both_ways(path, "task", text.encode("utf-8"), monkeypatch)
    assert fast == slow


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    case=documents(),
    edit=st.sampled_from(["", "\n", "#", " ", "'", "\r\n", "\ufeff", "  "]),
    at=st.integers(0, 400),
)
def test_any_text_near_a_canonical_one_gets_the_same_verdict(case, edit, at):
    """A canonical text with one character or line end changed: the same result both ways."""
    kind, document = case
    text = canonical_text(document, kind)
    assume(text is not None)
    at = min(at, len(text))
    changed = (text[:at] + edit + text[at:]).encode("utf-8")
    source = SourceFile(Path("x.yaml"), "x.yaml", kind, None)
    fast = format_bytes(source, changed)
    original = fmt.is_canonical
    fmt.is_canonical = lambda *_: False
    try:
        slow = format_bytes(source, changed)
    finally:
        fmt.is_canonical = original
    assert (fast.after, [d.format() for d in fast.diagnostics], str(fast.reason)) == (
        slow.after,
        [d.format() for d in slow.diagnostics],
        str(slow.reason),
    )


def test_the_fast_path_is_taken_for_canonical_files(capsys, tmp_path, monkeypatch):
    """(Not a timing test.) Only canonical files with comments reach the round trip."""
    data = Path(shutil.copytree(FIXTURES / "fmt" / "expected", tmp_path / "data"))
    calls = []
    monkeypatch.setattr(fmt, "format_text", lambda text, kind: calls.append(text) or text)
    code, out, _ = invoke(capsys, "fmt", "--check", "--data", str(data))
    assert (code, out) == (0, "")
    commented = [p for p in data.rglob("*.yaml") if "#" in p.read_text(encoding="utf-8")]
    assert 0 < len(calls) == len(commented) < len(list(data.rglob("*.yaml")))
    assert all("#" in text for text in calls)


def test_keys_the_writer_does_not_know_are_left_to_the_round_trip():
    assert canonical_text({"id": "D/1", "a b": 1}, "task") is None
    assert canonical_text({"id": "D/1", "x": [[1]]}, "task") is None
    assert canonical_text({"id": "D/1", "x": "a\nb"}, "task") is None
    assert canonical_text({"id": "D/1", "x": "it's: x"}, "task") is None
    assert canonical_text({"id": "D/1", "x": 1e16}, "task") is None
    assert canonical_text({}, "task") is None
    assert set(string.ascii_letters) <= set(canonical_text({"id": string.ascii_letters}, "task"))


def test_a_line_break_character_in_a_header_comment_is_left_alone(monkeypatch):
    """ruamel.yaml writes a NEL inside a comment, then cannot read it back: fmt refuses
    the file (left as it is, with the reason), both ways, instead of crashing."""
    text = "#0\x85!\nagencies:\n  - ''\n"
    fast, slow = _both_ways(Path("x.yaml"), "agencies", text.encode("utf-8"), monkeypatch)
    assert fast == slow


def test_the_character_classes_are_the_complements_they_stand_for():
    """_NOT_SIMPLE and _HEADER list what lies outside the ranges ruamel.yaml writes plain
    (cheap to compile); over every code point they match what the ranges' forms match."""
    inside = r"\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
    every = "".join(map(chr, range(0x110000)))
    assert fmt._NOT_SIMPLE.findall(every) == re.findall(f"[^{inside}]", every)
    lines = "".join(f"#{c}\n" for c in every[:0x3000]) + "#\ud800\n#\U0001f600\n"
    for start in range(0, len(lines), 997):
        piece = lines[start:]
        assert fmt._HEADER.match(piece).group() == re.match(f"(?:#[{inside}]*\n)*", piece).group()


@settings(max_examples=200, deadline=None)
@given(values=st.lists(_text, max_size=6))
def test_a_text_seen_before_is_written_as_the_first_time(values):
    """canonical_scalar keeps what it wrote for a text (the same texts recur file after file)."""
    for value in values + values:
        assert fmt.canonical_scalar(value) == fmt._canonical_text_scalar(value)
