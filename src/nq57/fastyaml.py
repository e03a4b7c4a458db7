"""A libyaml-backed reader with the loader's YAML 1.2 semantics, for speed.

ruamel.yaml's round-trip loader keeps positions but is pure Python; at national
scale (tens of thousands of files) parsing dominates. This reader uses PyYAML's
C parser with resolvers and constructors matching ``nq57.loader``'s YAML 1.2
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
import yaml.cyaml

HAVE_LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))


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


class _Constructor(yaml.constructor.SafeConstructor):
    def construct_mapping(self, node, deep=False):
        keys = set()
        for key_node, _ in node.value:
            if key_node.tag != "tag:yaml.org,2002:str" or key_node.value in keys:
                raise Unsupported("duplicate or non-text key")
            keys.add(key_node.value)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        return _int(self.construct_scalar(node))

    def construct_yaml_float(self, node):
        return _float(self.construct_scalar(node))


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)
for _name in ("timestamp", "binary", "omap", "pairs", "set", "merge", "value"):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_name}", None)  # type: ignore[arg-type]
_Constructor.add_constructor(None, None)  # type: ignore[arg-type]


_Parser = yaml.cyaml.CParser if HAVE_LIBYAML else None


class _Loader(_Parser or object, _Constructor, _Resolver):  # type: ignore[misc]
    def __init__(self, stream: str):
        _Parser.__init__(self, stream)  # type: ignore[union-attr]
        _Constructor.__init__(self)
        _Resolver.__init__(self)


# Constructs whose meaning differs between readers, or that we refuse anyway: anchors,
# aliases and tags where a token may start ("KH&CN" inside text is fine), merge keys,
# directives, tabs.
_RISKY = re.compile(r"(?:^|[\s\[\]{},])[&*!]|<<|^%|\t|[:-][ ]+=[ ]*$", re.M)


def load(text: str) -> Any:
    """Parse one document to plain data, or raise :class:`Unsupported`."""
    if not HAVE_LIBYAML or _RISKY.search(text):
        raise Unsupported("needs the round-trip loader")
    try:
        loader = _Loader(text)
        try:
            if not loader.check_node():  # an empty stream
                raise Unsupported("empty")
            node = loader.get_node()
            if loader.check_node():
                raise Unsupported("several documents")
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except Unsupported:
        raise
    except Exception as exc:  # any parser complaint: let ruamel word the error
        raise Unsupported(str(exc)) from None


def locate(text: str, loc: tuple, *, key: bool = False) -> tuple[int, int]:
    """1-based (line, column) of a field path, from libyaml's node marks.

    Used for files the fast reader accepted; walks as far down ``loc`` as exists.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    line, col = 1, 1
    for depth, part in enumerate(loc):
        last = depth == len(loc) - 1
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
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
