"""A libyaml-backed reader with the loader's YAML 1.2 semantics, for speed.

ruamel.yaml's round-trip loader keeps positions but is pure Python; at national
scale (tens of thousands of files) parsing dominates. This reader uses PyYAML's
C parser with resolvers and constructors matching ``nq57.io.loader``'s YAML 1.2
reading (``yes``/``on`` are text, no sexagesimal numbers, dates stay text).
It returns plain data and refuses anything it is not sure about (aliases,
tags, merge keys, duplicate keys, odd keys) by raising :class:`Unsupported`;
the loader then reads that file with ruamel, so results are identical either
way. ``tests/io/test_fastyaml.py`` checks both readers agree on the same inputs.

When the Rust reader ``yaml_rs`` is installed, it reads first: it builds the Python data
in compiled code, about four times faster than libyaml plus our converter (BENCHMARKS.md,
"Fourth round"). It takes only texts where it is known to give libyaml's data (see
:func:`_rust_load`); anything else goes on to libyaml, as before.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

try:
    from yaml_rs import load as _rs_load
except ImportError:  # optional speed-up: libyaml alone gives the same data
    _rs_load = None  # type: ignore[assignment]  # USE_RUST below says which
USE_RUST = _rs_load is not None  # tests turn it off to check the libyaml path alone


class Unsupported(Exception):
    """The fast reader will not decide this document; use the round-trip loader."""


# YAML 1.2 core-schema resolvers, as ruamel.yaml's VersionedResolver defines them for 1.2.
_IMPLICIT = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (
        "tag:yaml.org,2002:float",
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        list("-+0123456789."),
    ),
    (
        "tag:yaml.org,2002:int",
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""",
        list("-+0123456789"),
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]


class _Resolver(yaml.resolver.BaseResolver):
    pass


for _tag, _pattern, _first in _IMPLICIT:
    _Resolver.add_implicit_resolver(_tag, re.compile(_pattern, re.X), _first)
_IMPLICIT_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: [(tag, regexp) for tag, regexp in resolvers]
    for first, resolvers in _Resolver.yaml_implicit_resolvers.items()
}
_IMPLICIT_BY_FIRST[""] = _IMPLICIT_BY_FIRST.get("", [])


def _int(text: str) -> int:
    text = text.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-")
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if body.startswith(prefix):
            return sign * int(body[2:], base)
    return sign * int(body, 10)  # YAML 1.2: a leading zero is still decimal


def _float(text: str) -> float:
    text = text.replace("_", "").lower()
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if text.endswith(".nan"):
        return math.nan
    return float(text)


_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _SEQ, _MAP = (
    _TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map")
)


def _convert(node: Any) -> Any:
    """Node tree -> plain data; faster than PyYAML's generic constructor and strict:
    duplicate or non-text keys and any other tag are refused."""
    if isinstance(node, yaml.ScalarNode):
        tag, value = node.tag, node.value
        if tag == _STR:
            return value
        if tag == _INT:
            return _int(value)
        if tag == _FLOAT:
            return _float(value)
        if tag == _BOOL:
            return value[0] in "tT"
        if tag == _NULL:
            return None
    elif isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_convert(item) for item in node.value]
    elif isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        out: dict[str, Any] = {}
        for key, value in node.value:
            if key.tag != _STR or not isinstance(key, yaml.ScalarNode) or key.value in out:
                raise Unsupported("duplicate or non-text key")
            out[key.value] = _convert(value)
        return out
    raise Unsupported(f"tag {node.tag}")


try:  # a PyYAML built without libyaml has no C parser: every file goes to ruamel.yaml
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]  # stubs omit it

    _BASES: tuple[type, ...] = (_Parser, _Resolver)
except ImportError:  # tested in a subprocess (tests/io/test_yamlio.py)
    _BASES = (_Resolver,)  # never instantiated: load() refuses first
HAVE_LIBYAML = len(_BASES) == 2


class _Loader(*_BASES):  # type: ignore[misc]  # (bases chosen at import: mypy cannot follow)
    def __init__(self, stream: str):
        _BASES[0].__init__(self, stream)  # type: ignore[misc]  # the C parser, chosen above
        _Resolver.__init__(self)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """The resolver's rules without its per-call overhead (called for every scalar)."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT_BY_FIRST.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


# Constructs whose meaning differs between readers, or that we refuse anyway: anchors,
# aliases and tags where a token may start ("KH&CN" inside text is fine), merge keys,
# directives, tabs.
# Also: line breaks only libyaml counts (U+0085, U+2028, U+2029), which would shift line
# numbers, and deep nesting (libyaml's composer recurses in C; ruamel has a depth limit).
_RISKY = re.compile(
    r"(?:^|[\s\[\]{},])[&*!]|<<|^%|\t|[:-][ ]+=[ ]*$|[\x85\u2028\u2029]|^ {40}|(?:- +){8}",
    re.M,
)
MAX_FLOW_BRACKETS = 64
# _RISKY's branches one by one, each after character tests that any match of it implies
# (a one-character test is far faster than a pattern, a pattern starting with one
# character far faster than one alternation); together they refuse what _RISKY matches.
# (Written out: a loop over (tests, pattern) pairs took twice as long.)
_TOKEN_START = re.compile(r"[&*!](?<![^\s\[\]{},][&*!])")  # anchor, alias or tag
_DIRECTIVE = re.compile(r"%(?<![^\n]%)")  # % first on a line
_DEFAULT_VALUE = re.compile(r"[:-][ ]+=[ ]*$", re.M)
_DEEP = re.compile(r"^ {40}", re.M)
_DEEP_LIST = re.compile(r"- +(?:- +){7}")  # = (?:- +){8}, with a literal start
_ODD = re.compile("<<|[\t\x85\u2028\u2029]")  # merge key, tab, libyaml-only line breaks


def _risky(text: str) -> bool:
    """Does ``_RISKY`` match the text?"""
    return bool(
        (("&" in text or "*" in text or "!" in text) and _TOKEN_START.search(text))
        or ("%" in text and _DIRECTIVE.search(text))
        or ("=" in text and _DEFAULT_VALUE.search(text))
        or (" " * 40 in text and _DEEP.search(text))
        or ("- " in text and _DEEP_LIST.search(text))
        or (
            ("<" in text or "\t" in text or "\x85" in text or "\u2028" in text or "\u2029" in text)
            and _ODD.search(text)
        )
    )


def _many_brackets(text: str) -> bool:
    # (a one-character test is far faster than counting, or than a longer substring)
    return ("[" in text or "{" in text) and text.count("[") + text.count("{") > MAX_FLOW_BRACKETS


def load(text: str, raw: bytes | None = None) -> Any:
    """Parse one document to plain data, or raise :class:`Unsupported`. ``raw``: the
    text's UTF-8 bytes, when at hand (the file's bytes without a leading BOM)."""
    if not HAVE_LIBYAML or _risky(text) or _many_brackets(text):
        raise Unsupported("needs the round-trip loader")
    if USE_RUST:
        document = _rust_load(text, raw)
        if document is not None:
            return document
    try:
        loader = _Loader(text)
        try:
            if not loader.check_node():  # an empty stream
                raise Unsupported("empty")
            node = loader.get_node()
            if loader.check_node():
                raise Unsupported("several documents")
            return _convert(node)
        finally:
            loader.dispose()
    except Unsupported:
        raise
    except Exception as exc:  # any parser complaint: let ruamel word the error
        raise Unsupported(str(exc)) from None


# Where the Rust reader's YAML 1.2 differs from nq57's (ruamel.yaml's 1.2 resolvers, as
# above): it also reads 0X1F/0O17/0B1 as numbers, underscores before a number or in an
# exponent (_1, 1e_3, 1e3_0), .5e3 (an exponent without sign after a leading dot) and
# .iNf in any case. Such texts go to libyaml; a few harmless look-alikes ("10X", "v.1e2")
# do too. Also: \u escapes (it joins UTF-16 pairs that libyaml keeps apart), a BOM
# inside the text, and a text not ending in a line break (a block scalar at the end would
# get a final line break libyaml does not give it). An empty block scalar on the last
# line ("k: |" then only blank lines) reads "\n" there, "" in libyaml: a last line with
# "|" or ">" goes to libyaml too.
# Three patterns, each starting with one literal: far faster than one alternation.
_RS_DOUBTS = (
    re.compile(r"_(?:[0-9.+\-]|(?<=[0-9.+\-]_)|(?<=[0-9][eExXoObB]_))"),
    re.compile(r"0[XOB]"),
    re.compile(r"\.(?:[0-9]+[eE][0-9_]|[iInN][nNaA][fFnN])"),
)


def _rust_load(text: str, raw: bytes | None = None) -> dict[str, Any] | None:
    """The Rust reader's data for a text it reads as libyaml does, else None.

    Only mappings with text keys at every level are taken (it makes numbers, None or
    tuples of non-text keys, and a list of several documents); duplicate keys are an
    error. ``tests/io/test_fastyaml_rust.py`` checks that whatever it returns, libyaml's
    path returns too.

    yaml_rs is given the text's UTF-8 bytes (``raw``, else encoded here): handed a
    ``str`` it asks Python for the UTF-8 form, which then stays cached in the text
    (at 30,000 tasks 27 MB more while the texts are kept, and slower)."""
    if (
        not text.endswith(("\n", "\r"))
        or ("\\" in text and ("\\u" in text or "\\U" in text))
        or "\ufeff" in text
        or _RS_DOUBTS[0].search(text)
        or _RS_DOUBTS[1].search(text)
        or _RS_DOUBTS[2].search(text)
        or _ends_with_block_header(text)
    ):
        return None
    try:
        if raw is None:
            raw = text.encode("utf-8")
        document = _rs_load(raw, parse_datetime=False, encoder_errors="strict")
    except Exception:  # noqa: BLE001 - any complaint: libyaml and ruamel.yaml decide and word it
        return None
    if type(document) is not dict:
        return None
    try:
        _text_keys(document)
    except TypeError:
        return None
    return document


def _ends_with_block_header(text: str) -> bool:
    """Has the last line that is not blank a "|" or ">" (a block scalar's header)?"""
    end = len(text)
    while end and text[end - 1] in " \r\n":
        end -= 1
    start = max(text.rfind("\n", 0, end), text.rfind("\r", 0, end)) + 1
    last = text[start:end]
    return "|" in last or ">" in last


def _text_keys(node: dict[Any, Any] | list[Any]) -> None:
    """Raise TypeError unless every mapping key at every level is a ``str``
    (``"".join`` checks a mapping's keys in C)."""
    if type(node) is dict:
        "".join(node)
        node = node.values()  # type: ignore[assignment]  # iterated the same way
    for value in node:
        kind = type(value)
        if kind is dict or kind is list:
            _text_keys(value)


def _index(node: Any) -> dict[Any, Any]:
    """Key -> (key node, value node) of a mapping node, built once and kept on the node
    (locating many problems in one big file stays linear)."""
    index = getattr(node, "_nq57_index", None)
    if index is None:
        index = {k.value: (k, v) for k, v in reversed(node.value)}
        node._nq57_index = index
    return index


def compose(text: str) -> Any:
    """The node tree of a document the fast reader accepted (marks for positions)."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def locate(
    text: str, loc: tuple[Any, ...], *, key: bool = False, tree: Any = None
) -> tuple[int, int]:
    """1-based (line, column) of a field path, from libyaml's node marks.

    Used for files the fast reader accepted; walks as far down ``loc`` as exists.
    Pass ``tree`` (from :func:`compose`) when locating many places in one file.
    """
    node = tree if tree is not None else compose(text)
    line, col = 1, 1
    for depth, part in enumerate(loc):
        last = depth == len(loc) - 1
        if isinstance(node, yaml.MappingNode):
            match = _index(node).get(part)
            if match is None:
                break
            mark_node = match[0] if (key and last) else match[1]
            node = match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = mark_node = node.value[part]
        else:
            break
        line, col = mark_node.start_mark.line + 1, mark_node.start_mark.column + 1
    return line, col
