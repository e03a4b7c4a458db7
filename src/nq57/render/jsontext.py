"""Indented JSON text, the same as ``json.dumps(value, ensure_ascii=False, indent=2)``.

The standard library's C encoder cannot indent (before Python 3.14), and its
pure-Python encoder is a chain of nested generators. Kept for a measured reason
(``scripts/bench_jsontext.py``, 2026-12-05, CPython 3.11, shared 2-core machine): on
the status of the size of 30,000 tasks (4.9 MB of JSON) this writer takes 109 ms,
``json.dumps(indent=2)`` 179 ms: 70 ms more, about 6% of a warm ``nq57 status
--format json`` at that size (1.1 s, BENCHMARKS.md). orjson would be faster but is
not a dependency and writes NaN as null. Strings go through the standard library's
own C escaper, so the text is identical (``tests/render/test_jsontext.py``).
Measured again at 30,000 tasks (17 MB, 2026-12-05): 0.24 s, and 0.20 s once each
dict shape's key texts are made once (``_SHAPES``); a dict that appears twice at the
same depth (a task both overdue and stale) is written once and its text repeated.
Plain JSON data only: dicts with text keys, lists, tuples, text, whole numbers,
floats, booleans and None.

With orjson installed (a C writer; 2026-12-05, 30,000 tasks: the status text in ~0.03 s
instead of 0.2 s) the text comes from it whenever it is certainly the same: a walk over
the value (:func:`orjson_safe`) admits only exact dicts with text keys, lists, tuples,
text, whole numbers, booleans, None and floats that orjson writes as ``repr`` does
(orjson 3.13 writes ``1e-05`` as ``0.00001`` and NaN as null: such a value goes to the
writer below). orjson refuses what it cannot write exactly (integers beyond 64 bits,
lone surrogates): the writer below then writes it. Its string escaping equals the
standard library's with ``ensure_ascii=False`` (``tests/render/test_jsontext.py``).
"""

from __future__ import annotations

from json.encoder import encode_basestring  # the C version when available
from typing import Any

try:
    import orjson
except ImportError:  # optional: the writer below gives the same text
    orjson = None

# (indentation, keys...) -> the text before each value: "{\n  \"id\": ", ",\n  \"ref\": ", ...
# Records of one kind share a shape, so the keys are escaped once, not once per record.
_SHAPES: dict[tuple[str, ...], list[str]] = {}
_MAX_SHAPES = 1000  # arbitrary data (tests) must not grow it without bound


def dumps(value: Any) -> str:
    fast = _fast(value)
    return _python(value) if fast is None else fast.decode()


def dumpb(value: Any) -> bytes:
    """:func:`dumps` as UTF-8 (lone surrogates as ``surrogatepass`` writes them)."""
    fast = _fast(value)
    return _python(value).encode("utf-8", "surrogatepass") if fast is None else fast


def _fast(value: Any) -> bytes | None:
    """orjson's text, when it is certainly the standard library's; else None."""
    if orjson is not None and orjson_safe(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_INDENT_2)
        except TypeError:  # beyond what orjson writes exactly (64-bit integers, surrogates)
            pass
    return None


def _python(value: Any) -> str:
    out: list[str] = []
    _write(value, "\n", out, {})
    return "".join(out)


_PLAIN = frozenset({str, int, bool, type(None)})  # orjson writes these as json.dumps does


def orjson_safe(value: Any) -> bool:
    """Is ``value`` made only of what orjson writes exactly as ``json.dumps`` does?
    A container whose items are all plain is checked by the set of their types (in C)."""
    stack = [value]
    pop, push = stack.pop, stack.append
    while stack:
        item = pop()
        kind = type(item)
        if kind is dict:
            if item and set(map(type, item)) != {str}:
                return False
            items: Any = item.values()
        elif kind is list or kind is tuple:
            items = item
        else:
            items = (item,)
        if set(map(type, items)) <= _PLAIN:
            continue
        for inner in items:
            kind = type(inner)
            if kind in _PLAIN:
                continue
            if kind is dict or kind is list or kind is tuple:
                push(inner)
            elif kind is not float or orjson.dumps(inner) != float.__repr__(inner).encode():
                return False
    return True


def _write(value: Any, newline: str, out: list[str], seen: dict[int, Any]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        shape = (inner, *value)
        starts = _SHAPES.get(shape)
        if starts is None:
            starts = _starts(value, inner)
            if len(_SHAPES) < _MAX_SHAPES:
                _SHAPES[shape] = starts
        append = out.append
        for start, item in zip(starts, value.values(), strict=True):
            kind = type(item)
            if kind is str:
                append(start + encode_basestring(item))
            elif item is None:
                append(start + "null")
            elif kind is int:
                append(start + int.__repr__(item))
            else:
                text = _scalar(item)
                if text is None:
                    append(start)
                    _write(item, inner, out, seen)
                else:
                    append(start + text)
        append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            if type(item) is str:
                out.append(encode_basestring(item))
            elif type(item) is dict:
                # The same dict again at the same depth: its text again (the payload
                # holds every dict, so an id is not reused while this runs).
                key = id(item)
                done = seen.get(key)
                if done is not None and done[0] == inner:
                    out.extend(out[done[1] : done[2]])
                else:
                    begin = len(out)
                    _write(item, inner, out, seen)
                    seen[key] = (inner, begin, len(out))
            else:
                _write(item, inner, out, seen)
            separator = "," + inner
        out.append(newline + "]")
    else:
        text = _scalar(value)
        if text is None:
            raise TypeError(f"{type(value).__name__} is not JSON data")
        out.append(text)


def _starts(value: dict[Any, Any], inner: str) -> list[str]:
    starts = []
    separator = "{" + inner
    for key in value:
        if not isinstance(key, str):
            raise TypeError(f"JSON keys must be text, not {type(key).__name__}")
        starts.append(f"{separator}{encode_basestring(key)}: ")
        separator = "," + inner
    return starts


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
