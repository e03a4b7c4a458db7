"""A libyaml-backed reader with the loader's YAML 1.2 semantics, for speed.

ruamel.yaml's round-trip loader keeps positions but is pure Python; at national
scale (tens of thousands of files) parsing dominates. This reader uses PyYAML's
C parser with resolvers and constructors matching ``nq57.io.loader``'s YAML 1.2
reading (``yes``/``on`` are text, no sexagesimal numbers, dates stay text).
It returns plain data and refuses anything it is not sure about (aliases,
tags, merge keys, duplicate keys, odd keys) by raising :class:`Unsupported`;
the loader then reads that file with ruamel, so results are identical either
way. ``tests/test_fastyaml.py`` checks both readers agree on the same inputs.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml


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
_IMPLICIT_BY_FIRST: dict[str, list] = {
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
    from yaml.cyaml import CParser as _Parser

    _BASES: tuple[type, ...] = (_Parser, _Resolver)
except ImportError:  # tested in a subprocess (tests/io/test_yamlio.py)
    _BASES = (_Resolver,)  # never instantiated: load() refuses first
HAVE_LIBYAML = len(_BASES) == 2


class _Loader(*_BASES):  # type: ignore[misc]  # (bases chosen at import: mypy cannot follow)
    def __init__(self, stream: str):
        _BASES[0].__init__(self, stream)
        _Resolver.__init__(self)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """The resolver's rules without its per-call overhead (called for every scalar)."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT_BY_FIRST.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
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
# Cheap substring tests first: the regex runs only when one of these occurs.
_TRIGGERS = ("&", "*", "!", "%", "\t", "<<", "=", "\x85", "\u2028", "\u2029", " " * 40, "- -")


def load(text: str) -> Any:
    """Parse one document to plain data, or raise :class:`Unsupported`."""
    if (
        not HAVE_LIBYAML
        or (any(t in text for t in _TRIGGERS) and _RISKY.search(text))
        or text.count("[") + text.count("{") > MAX_FLOW_BRACKETS
    ):
        raise Unsupported("needs the round-trip loader")
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


def _index(node: Any) -> dict:
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


def locate(text: str, loc: tuple, *, key: bool = False, tree: Any = None) -> tuple[int, int]:
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
