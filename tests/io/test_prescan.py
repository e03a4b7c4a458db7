"""The line prescan gives the same verdict and diagnostics from the file's bytes as from
its text (the loader passes the bytes it has; edits pass the text alone)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from nq57.io.loader import _CONTROL, SourceFile, _maybe_control, prescan

# characters the prescan looks for, their UTF-8 neighbours, and ordinary text
_PIECES = [
    *"\x00\x08\x09\x0a\x0b\x0c\x0d\x0e\x1f\x7f\x80\x84\x85\x86\x9f\xa0\xc2\xef",
    *"\ufeff\ufffd\ufffe\uffff\u2028\uf8ff",
    *["<" * 7, "=" * 7, ">" * 7, "<", "=", ">", " ", "  ", "\t", "\n", "\r\n", "\r"],
    *["a: b", "- x", "Đổi mới", "tiêu đề", "KH&CN", "é", "\U0001f600"],
]
_texts = st.one_of(st.text(max_size=60), st.lists(st.sampled_from(_PIECES)).map("".join))


def _scan(text: str, raw: bytes | None) -> tuple[bool, list]:
    source = SourceFile(Path("x.yaml"), "x.yaml", "task", None)
    ok = prescan(source, text, raw)
    return ok, [(d.line, d.column, d.code, str(d.message)) for d in source.diagnostics]


@settings(max_examples=2000, deadline=None)
@given(_texts)
def test_the_bytes_find_every_control_character(text):
    raw = text.encode("utf-8")
    if _CONTROL.search(text):
        assert _maybe_control(text, raw)
    assert _maybe_control(text, None) == bool(_CONTROL.search(text))


@settings(max_examples=2000, deadline=None)
@given(_texts)
def test_the_prescan_of_the_bytes_is_that_of_the_text(text):
    assert _scan(text, text.encode("utf-8")) == _scan(text, None)


def test_examples():
    assert _scan("a: b\n", b"a: b\n") == (True, [])
    ok, found = _scan("a: b\x07\n", b"a: b\x07\n")
    assert not ok and found[0][:3] == (1, 5, "E100")
    ok, found = _scan("a: \u0086\n", "a: \u0086\n".encode())
    assert not ok and found[0][:3] == (1, 4, "E100")
    assert _scan("a: \u0085 \u00a0\n", "a: \u0085 \u00a0\n".encode()) == (True, [])
