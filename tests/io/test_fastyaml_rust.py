"""The Rust reader (yaml_rs) behind the fast reader gives exactly libyaml's answers.

``fastyaml.load`` tries yaml_rs first and falls back to libyaml (then the loader to
ruamel.yaml). Whatever text it is given, the outcome must be the same with yaml_rs as
without it: the same data (types included), or the same refusal. Loading a data folder
gives the same diagnostics, at the same positions, either way.
"""

from __future__ import annotations

import contextlib
import math
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nq57.io import fastyaml
from nq57.io.loader import SourceFile, discover, read

pytest.importorskip("yaml_rs")
pytestmark = pytest.mark.skipif(not fastyaml.HAVE_LIBYAML, reason="PyYAML without libyaml")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@contextlib.contextmanager
def rust(on: bool):
    saved = fastyaml.USE_RUST
    fastyaml.USE_RUST = on
    try:
        yield
    finally:
        fastyaml.USE_RUST = saved


def outcome(text: str, *, use_rust: bool) -> str:
    """The fast reader's answer as text: repr of the data (types and NaN included), or
    that it declined."""
    with rust(use_rust):
        try:
            return repr(fastyaml.load(text))
        except fastyaml.Unsupported:
            return "<declined>"


def assert_same(text: str) -> None:
    assert outcome(text, use_rust=True) == outcome(text, use_rust=False), text


def test_the_rust_reader_is_used():
    with rust(True):
        assert fastyaml._rust_load("id: A/1\nprogress: 5\n") == {"id": "A/1", "progress": 5}


# Every place found where yaml_rs reads otherwise than libyaml with nq57's resolvers.
KNOWN_DIFFERENCES = [
    "k: 0X1F\n",  # upper-case prefixes are numbers for yaml_rs
    "k: 0O17\n",
    "k: 0B1\n",
    "k: _1\n",  # a leading underscore
    "k: _09\n",
    "k: 1e_3\n",  # underscores in an exponent
    "k: 1e3_0\n",
    "k: 1.5e-3_\n",
    "k: 0x_\n",
    "k: -_\n",
    "k: .5e3\n",  # an unsigned exponent after a leading dot
    "k: -.5e3\n",
    "k: .iNf\n",  # .inf in any case
    "k: .nAn\n",
    "1: x\n",  # keys that are not text
    "~: x\n",
    "true: x\n",
    "1.5: x\n",
    "? [a]\n: x\n",
    "k: {1: x}\n",
    "k:\n  - 2: x\n",
    "a: 1\n---\nb: 2\n",  # several documents
    "a: 1\n---\n",
    "k: |\n x\n  y",  # a block scalar at the end, without a final line break
    "k: |1\n  x",
    "k: |\n",  # an empty block scalar on the last line
    "k: >\n\n  \n",
    "k: |+ # c\n",
    "k:\n  - |2\n",
    "a: |\n  x\nb: |\n",
    "\ufeff\ufeffa: 1\n",  # a BOM inside the text
    "k: |\n  \ufeff\n",
    'k: "\\ud83d\\ude00"\n',  # escaped UTF-16 pairs
    'k: "\\U0001F600"\n',
    'k: "\\udcc4"\n',
    "k: x\t\n",  # things libyaml refuses anyway
    "k: \x85\n",
    "k: 'a\u2028b'\n",
    "k: !b\n",
]


@pytest.mark.parametrize("text", KNOWN_DIFFERENCES)
def test_known_differences_are_left_to_libyaml(text):
    assert_same(text)


_NUMBERISH = list("0123456789_.-+eExXoObBaAfFiInN~")
_SHAPES = [
    "k: {}\n",
    "k:\n  - {}\n",
    "k: [{}]\n",
    "{}: v\n",
    "k: {{x: {}}}\n",
    "k: {{{}: x}}\n",
    "- {}\n",
    "k: '{}'\n",
    'k: "{}"\n',
    "k: |\n  {}\n",
    "k: {} # c\n",
    "k: a\n  {}\n",
    "k:\n  {}: v\n",
]


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.text(st.sampled_from(_NUMBERISH), min_size=1, max_size=9),
    st.sampled_from(_SHAPES),
)
def test_number_like_scalars_read_alike(scalar, shape):
    assert_same(shape.format(scalar))


_PIECES = [
    *"ab01_.-+eExXoO:# \n'\"[]{},?|>~!&*%@`\\",
    *["\n  ", "\n- ", ": ", "- ", "null", "true", "inf", "nan", "\r\n", "\r", "\\n"],
    *["\\x41", "\\u00e9", "é", "\u00a0", "\ufeff", "|-", ">+", "---", "...", "  ", "\t"],
]


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_yaml_like_texts_read_alike(text):
    assert_same(text)


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_yaml_like_texts_with_a_final_line_break_read_alike(text):
    assert_same(text + "\n")


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_any_text_reads_alike(text):
    assert_same(text)


_plain = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(["1_000", "0o17", ".inf", "-.inf", "1e3", "Tháng 9/2025", "KH&CN", "~"]),
)
_data = st.recursive(
    _plain,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(st.from_regex(r"[a-z_]{1,10}", fullmatch=True), _data, max_size=8))
def test_documents_in_every_style_read_alike(document):
    """Data written by nq57 and by PyYAML in block, flow and quoted styles."""
    import yaml

    from nq57.io.yamlio import dump_mapping

    texts = [dump_mapping(document)]
    for style in (None, "'", '"'):
        for flow in (False, True, None):
            texts.append(
                yaml.safe_dump(
                    document, default_style=style, default_flow_style=flow, allow_unicode=True
                )
            )
    for text in texts:
        assert_same(text)


def test_risky_parts_are_the_risky_pattern():
    """The split prescan refuses what the one pattern matches (checked on pieces that
    each of its branches needs)."""
    pieces = ["&", "*", "!", "%", "=", "<<", "\t", "\x85", "\u2028", " ", "-", ":", "\n", "a", ","]
    texts = [" " * 40, "- " * 8, "-  " * 8 + "x", "a: b\n%x", "x: - =\n", "a,&b", "\n!x"]

    @settings(max_examples=1500, deadline=None)
    @given(st.lists(st.sampled_from(pieces + texts), max_size=20).map("".join))
    def check(text):
        assert fastyaml._risky(text) == bool(fastyaml._RISKY.search(text)), text

    check()


def _fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_fixture_file_reads_alike(path):
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    assert_same(text)


def _read_both(path: Path, kind: str) -> list[tuple]:
    results = []
    for use_rust in (True, False):
        with rust(use_rust):
            source = read(SourceFile(path, path.name, kind, None))
            results.append(
                (
                    repr(source.document),
                    [(d.line, d.column, d.code, str(d.message)) for d in source.diagnostics],
                    # positions as the checks would look them up afterwards
                    [source.locate(loc) for loc in (("id",), ("title",), ("lead", 0))],
                )
            )
    return results


@pytest.mark.parametrize(
    "text",
    [
        "id: A/1\ntitle: x\nlead: [B, C]\n",
        "id: A/1\ntitle: 0X1F\nlead:\n  - B\n",
        "id: A/1\ntitle: x\ntitle: y\n",  # duplicate key: E102 from ruamel.yaml
        "id: A/1\ntitle: 'x\n",  # syntax error
        'id: A/1\ntitle: "\\udcc4"\n',  # half a character: E104
        "id: A/1\n1: x\n",
        "id: A/1\ntitle: |\n x\n  y",
    ],
)
def test_reading_a_file_gives_the_same_data_diagnostics_and_positions(tmp_path, text):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with_rust, without = _read_both(path, "task")
    assert with_rust == without


@pytest.mark.parametrize("name", ["broken", "minimal", "cycle", "status", "report"])
def test_loading_a_data_folder_gives_the_same_diagnostics(tmp_path, name):
    from nq57.check.pipeline import load

    folder = tmp_path / name
    shutil.copytree(FIXTURES / name, folder)
    results = []
    for use_rust in (True, False):
        with rust(use_rust):
            data = load([folder], use_cache=False)
        results.append(
            [(d.path, d.line, d.column, d.code, str(d.message)) for d in data.diagnostics]
        )
        results.append(sorted(data.tasks))
    assert results[0] == results[2]
    assert results[1] == results[3]


def test_discovered_fixture_files_take_the_rust_path():
    """The fixtures' ordinary files are read by yaml_rs (the path is exercised at all)."""
    files, _ = discover(FIXTURES / "minimal")
    taken = [f for f in files if fastyaml._rust_load(f.path.read_text("utf-8")) is not None]
    assert len(taken) == len(files) > 0


@pytest.mark.parametrize("path", _fixture_files()[:40], ids=lambda p: p.name)
def test_the_files_bytes_read_as_its_text(path):
    """The loader hands yaml_rs the file's bytes it already has: the same data as the
    text (which the other tests give, encoded by the reader itself)."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    with rust(True):
        try:
            given = repr(fastyaml.load(text, text.encode("utf-8")))
        except fastyaml.Unsupported:
            given = "<declined>"
    assert given == outcome(text, use_rust=True) == outcome(text, use_rust=False)


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_file_read_from_its_bytes_is_read_as_its_text(tmp_path, bom):
    """The bytes given to yaml_rs are the text's: without the BOM that decoding removes."""
    path = tmp_path / "x.yaml"
    path.write_bytes(bom + "id: A/1\ntitle: Đổi mới\nlead: [Bộ KH&CN]\n".encode())
    with_rust, without = _read_both(path, "task")
    assert with_rust == without
    assert "Đổi mới" in with_rust[0]
    assert [d[2] for d in with_rust[1]] == (["W207"] if bom else [])


def test_nan_and_numbers_keep_their_types():
    with rust(True):
        data = fastyaml.load("a: .nan\nb: 1.0\nc: 1\nd: -0\ne: 1e400\nf: 1_000\n")
    assert math.isnan(data["a"])
    assert [type(data[k]) for k in "bcdef"] == [float, int, int, float, int]
    assert re.fullmatch(r"inf", repr(data["e"]))
