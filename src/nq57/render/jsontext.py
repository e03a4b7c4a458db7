"""Indented JSON text, the same as ``json.dumps(value, ensure_ascii=False, indent=2)``.

The standard library's C encoder cannot indent (before Python 3.14), and its
pure-Python encoder is a chain of nested generators. Kept for a measured reason
(``scripts/bench_jsontext.py``, 2026-12-05, CPython 3.11, shared 2-core machine): on
the status of the size of 30,000 tasks (4.9 MB of JSON) this writer takes 109 ms,
``json.dumps(indent=2)`` 179 ms: 70 ms more, about 6% of a warm ``nq57 status
--format json`` at that size (1.1 s, BENCHMARKS.md). orjson would be faster but is
not a dependency and writes NaN as null. Strings go through the standard library's
own C escaper, so the text is identical (``tests/render/test_jsontext.py``).
Plain JSON data only: dicts with text keys, lists, tuples, text, whole numbers,
floats, booleans and None.
"""

from __future__ import annotations

from json.encoder import encode_basestring  # the C version when available
from typing import Any


def dumps(value: Any) -> str:
    out: list[str] = []
    _write(value, "\n", out)
    return "".join(out)


def _write(value: Any, newline: str, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"JSON keys must be text, not {type(key).__name__}")
            text = encode_basestring(item) if type(item) is str else _scalar(item)
            if text is None:
                out.append(f"{separator}{encode_basestring(key)}: ")
                _write(item, inner, out)
            else:
                out.append(f"{separator}{encode_basestring(key)}: {text}")
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _write(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    else:
        text = _scalar(value)
        if text is None:
            raise TypeError(f"{type(value).__name__} is not JSON data")
        out.append(text)


def _scalar(value: Any) -> str | None:
    """The JSON text of a single value; None for containers (and what is not JSON)."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    return None
